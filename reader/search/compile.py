"""The query tree (:mod:`reader.search.query`) -> Whoosh query objects, and
"did you mean" suggestions.

Stemmed fields (title, body, notes) cannot take ``prefix*`` or ``fuzzy~``
words directly: Whoosh would stem ``goverment`` to ``gover`` and find nothing.
Those words are expanded instead against the unstemmed vocabulary (the ``raw``
lexicon, see :func:`reader.search.schema.vocab_fields`), and the expansions'
stems are searched.  Name fields (author, entities, source, section, tag) are
not stemmed, so Whoosh's own Prefix and FuzzyTerm work on them.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable, Sequence
from datetime import date
from math import log
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length

from reader.search.phrase import FastPhrase
from reader.search.query import Dates, Flag, Node, Not, Or, ParsedQuery, Phrase, Word
from reader.search.schema import (
    DEFAULT_FIELDS,
    ENTITY_FIELD_NAMES,
    KIND_ARTICLE,
    day_cover,
    name_analyzer,
    stem_analyzer,
)

STEMMED_FIELDS = frozenset({"title", "body", "notes"})
MAX_EXPANSIONS = 200
SHORT_PREFIX_EXPANSIONS = 40
_STEM = stem_analyzer()
_NAME = name_analyzer()


def stems(text: str) -> list[str]:
    """The index terms of ``text`` in a stemmed field (stop words dropped)."""
    return [t.text for t in _STEM(text)]


def names(text: str) -> list[str]:
    """The index terms of ``text`` in a name field (lower case words)."""
    return [t.text for t in _NAME(text)]


def every_article() -> Any:
    return wq.Term("kind", KIND_ARTICLE)


def nothing() -> Any:
    """Matches no document (Whoosh's NullQuery would be dropped from an And)."""
    return wq.Term("kind", "-")


class ReaderBM25F(BM25F):
    """BM25F with Lucene's always-positive IDF, log(1 + (N - df + .5) / (df + .5)).

    Whoosh's own IDF, log(N / (df + 1)) + 1, turns negative for words in more
    than about a third of the articles ("said" in news), which ranks the best
    matches last.

    Its scorers also read document lengths from a list per segment and field
    (:func:`field_lengths`) instead of Whoosh's per-document column look-up
    (five Python calls and a file read for every matching document: 13 % of a
    search at 10x).

    Entity fields get no length normalisation (B = 0): their terms are repeated
    by how much the article is about the entity (store/indexing.py), and an
    article naming many people should not rank the one it is about lower."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**{**{f"{name}_B": 0.0 for name in ENTITY_FIELD_NAMES}, **kwargs})

    def idf(self, searcher: Any, fieldname: str, text: str) -> float:
        parent = searcher.get_parent()
        df = parent.doc_frequency(fieldname, text)
        n = parent.doc_count_all()
        return log(1.0 + (n - df + 0.5) / (df + 0.5))

    def scorer(self, searcher: Any, fieldname: str, text: str, qf: int = 1) -> Any:
        scorer = super().scorer(searcher, fieldname, text, qf=qf)
        if hasattr(scorer, "dfl"):
            lengths = field_lengths(searcher.reader(), fieldname)
            if lengths is not None:
                scorer.dfl = lengths.__getitem__
        return scorer


#: (segment id, field) -> each document's field length as Whoosh's scorers see it.
_LENGTHS: dict[tuple[str, str], list[int]] = {}
_LENGTHS_KEEP = 64  # entries (a few segments x ~10 fields); a segment id is never reused
_BYTE_LENGTH = [byte_to_length(b) for b in range(256)]


def field_lengths(reader: Any, fieldname: str) -> list[int] | None:
    """The lengths of ``fieldname`` for every document of the segment reader
    ``reader`` (what ``reader.doc_field_length(doc, fieldname)`` answers for
    documents that have the field), read once per segment; ``None`` when the
    reader is not a single segment's or the field has no lengths."""
    segid, perdoc = getattr(reader, "_segid", None), getattr(reader, "_perdoc", None)
    if segid is None or perdoc is None:
        return None
    key = (segid, fieldname)
    lengths = _LENGTHS.get(key)
    if lengths is None:
        column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is None or not hasattr(column, "_dbfile"):
            return None
        raw = column._dbfile.get(column._basepos, column._count)  # one byte per document
        lengths = [_BYTE_LENGTH[b] for b in raw]
        lengths.extend([_BYTE_LENGTH[0]] * (perdoc.doc_count_all() - len(lengths)))
        if len(_LENGTHS) >= _LENGTHS_KEEP:
            _LENGTHS.clear()
        _LENGTHS[key] = lengths
    return lengths


class Vocabulary:
    """The sorted unstemmed words of the index (the ``raw`` lexicon), for
    prefix and fuzzy expansion and spelling suggestions."""

    def __init__(self, words: Sequence[str]) -> None:
        self.words = list(words)
        self._by_stem: dict[str, list[str]] | None = None
        self._field_terms: dict[tuple[str, str], list[str]] = {}

    @classmethod
    def from_reader(cls, reader: Any) -> Vocabulary:
        return cls([b.decode("utf-8") for b in reader.lexicon("raw")] if "raw" in reader.indexed_field_names() else [])

    def by_stem(self) -> dict[str, list[str]]:
        """stem -> the vocabulary words with that stem (built on first use)."""
        if self._by_stem is None:
            index: dict[str, list[str]] = {}
            word = _STEM.word
            for w in self.words:
                stem = word(w)
                if stem is not None:
                    index.setdefault(stem, []).append(w)
            self._by_stem = index
        return self._by_stem

    def extended(self, words: Iterable[str]) -> Vocabulary:
        """This vocabulary with ``words`` added (its stem index carried over)."""
        known = set(self.words)
        new = sorted({w for w in words if w not in known})
        if not new:
            return self
        merged = list(self.words)
        for w in new:
            insort(merged, w)
        out = Vocabulary(merged)
        if self._by_stem is not None:
            index = dict(self._by_stem)  # the lists are shared; changed ones are replaced
            for w in new:
                stem = _STEM.word(w)
                if stem is not None:
                    index[stem] = [*index.get(stem, ()), w]
            out._by_stem = index
        return out

    def field_terms(self, reader: Any, fld: str, first: str) -> list[str]:
        """The terms of name field ``fld`` starting with ``first`` (read once per
        index generation, as the vocabulary is)."""
        key = (fld, first)
        found = self._field_terms.get(key)
        if found is None:
            found = []
            if fld in reader.indexed_field_names():
                found = [b.decode("utf-8") for b in reader.expand_prefix(fld, first)] if first else []
            self._field_terms[key] = found
        return found

    def __contains__(self, word: object) -> bool:
        """Whether ``word`` (lower case, unstemmed) occurs in some article."""
        if not isinstance(word, str):
            return False
        i = bisect_left(self.words, word)
        return i < len(self.words) and self.words[i] == word

    def with_prefix(self, prefix: str, limit: int = MAX_EXPANSIONS) -> list[str]:
        out: list[str] = []
        i = bisect_left(self.words, prefix)
        while i < len(self.words) and self.words[i].startswith(prefix) and len(out) < limit:
            out.append(self.words[i])
            i += 1
        return out

    def near(self, word: str, maxdist: int, limit: int = MAX_EXPANSIONS) -> list[tuple[str, int]]:
        """(word, distance) within ``maxdist`` edits (optimal string alignment:
        a swap of two letters is one edit), closest first."""
        found = process.extract(word, self.words, scorer=OSA.distance, score_cutoff=maxdist, limit=limit)
        return sorted(((w, int(d)) for w, d, _ in found), key=lambda item: item[1])


class Compiler:
    """Compiles one parsed query against one open index reader."""

    def __init__(self, reader: Any, vocabulary: Vocabulary) -> None:
        self.reader = reader
        self.vocab = vocabulary
        self._years: list[int] | None = None

    def compile(self, node: Node | None) -> Any | None:
        if node is None:
            return None
        if isinstance(node, Word):
            return self._word(node)
        if isinstance(node, Phrase):
            return self._phrase(node)
        if isinstance(node, Flag):
            if node.name == "undated":  # no calendar term at all: every year the index knows, negated
                years = list(self.reader.expand_prefix("day", "y"))
                dated = _or([wq.Term("day", y) for y in years])
                return wq.AndNot(every_article(), dated) if dated is not None else every_article()
            return wq.Term("bookmarked" if node.name == "bookmarked" else "has_notes", True)
        if isinstance(node, Dates):
            return self._dates(node)
        if isinstance(node, Not):
            inner = self.compile(node.node)
            return wq.AndNot(every_article(), inner) if inner is not None else None
        if isinstance(node, Or):
            parts = [q for q in (self.compile(n) for n in node.nodes) if q is not None]
            return _or(parts)
        # And: positives AND NOT (any negative)
        positive: list[Any] = []
        negative: list[Any] = []
        for child in node.nodes:
            if isinstance(child, Not):
                inner = self.compile(child.node)
                if inner is not None:
                    negative.append(inner)
            else:
                compiled = self.compile(child)
                if compiled is not None:
                    positive.append(compiled)
        if not positive and not negative:
            return None
        base = wq.And(positive) if len(positive) > 1 else (positive[0] if positive else every_article())
        return wq.AndNot(base, _or(negative)) if negative else base

    def _dates(self, node: Dates) -> Any:
        if self._years is None:
            self._years = [int(b[1:]) for b in self.reader.expand_prefix("day", "y") if b[1:].isdigit()]
        start = node.start.date() if node.start else date.min
        end = node.end.date() if node.end else date.max
        terms = [t for t in day_cover(start, end, self._years) if self._has("day", t)]
        return _or([wq.Term("day", t) for t in terms]) or nothing()

    # ---- words --------------------------------------------------------------
    def _expanded_stems(self, word: Word) -> list[tuple[str, int]]:
        """(stem, edits) for the vocabulary words a prefix/fuzzy word stands
        for (edits: the fewest of the words with that stem; 0 for a prefix).
        Short prefixes ("pro*": hundreds of words) keep only their most
        frequent stems: a union of hundreds of posting lists is slow in Whoosh."""
        lower = word.text.lower()
        if word.mode == "prefix":
            near = [(w, 0) for w in self.vocab.with_prefix(lower, limit=2000)]
        else:
            near = self.vocab.near(lower, word.dist)
        found: dict[str, int] = {}
        for w, dist in near:
            for s in stems(w):
                found[s] = min(dist, found.get(s, dist))
        limit = MAX_EXPANSIONS if len(lower) >= 4 or word.mode != "prefix" else SHORT_PREFIX_EXPANSIONS
        out = list(found.items())
        if len(out) > limit:
            out.sort(key=lambda item: (item[1], -self.reader.doc_frequency("body", item[0])))
            out = out[:limit]
        return out

    def _expansion(self, fld: str, word: Word, terms: list[tuple[str, int]], boost: float) -> Any | None:
        """The union of a prefix/fuzzy word's stems in a stemmed field.

        A fuzzy word's variants are ranked by closeness and frequency, as a
        reader means them: every variant is scored with the IDF of the most
        common one (a rare misspelling would otherwise outrank the word meant,
        BM25 favouring rare terms), times :data:`FUZZY_CLOSENESS` for its
        edits and a factor growing with its document frequency.  So
        ``goverment~`` ranks "government" above "movement" and "governess"."""
        present = [(t, d) for t, d in terms if self._has(fld, t)]
        if word.mode != "fuzzy" or len(present) < 2:
            return _or([wq.Term(fld, t, boost=boost) for t, _d in present], many=True)
        dfs = [max(1, self.reader.doc_frequency(fld, t)) for t, _d in present]
        n = max(self.reader.doc_count_all(), max(dfs))
        top = max(dfs)
        top_idf = _idf(n, top)
        parts = []
        for (term, dist), df in zip(present, dfs, strict=True):
            weight = FUZZY_CLOSENESS[min(dist, len(FUZZY_CLOSENESS) - 1)] * top_idf / _idf(n, df)
            weight *= 0.5 + 0.5 * log(1 + df) / log(1 + top)
            parts.append(wq.Term(fld, term, boost=boost * weight))
        return _or(parts, many=True)

    def _in_field(self, fld: str, word: Word, boost: float = 1.0,
                  expanded: list[tuple[str, int]] | None = None) -> Any | None:
        lower = word.text.lower()
        if fld == "tag":
            if word.mode == "prefix":
                return wq.Prefix("tag", lower, boost=boost)
            if word.mode == "fuzzy":
                return wq.FuzzyTerm("tag", lower, boost=boost, maxdist=word.dist, prefixlength=1)
            return wq.Term("tag", lower, boost=boost) if self._has("tag", lower) else nothing()
        if fld in STEMMED_FIELDS:
            if word.mode != "term":
                terms = expanded if expanded is not None else self._expanded_stems(word)
                return self._expansion(fld, word, terms, boost) or nothing()
            tokens = stems(word.text)
        else:
            tokens = names(word.text)
            if word.mode == "prefix" and len(tokens) == 1:
                return wq.Prefix(fld, tokens[0], boost=boost)
            if word.mode == "fuzzy" and len(tokens) == 1:
                return self._fuzzy_names(fld, tokens[0], word.dist, boost)
        if not tokens:
            return None
        return self._term_or_phrase(fld, tokens, boost)

    def _fuzzy_names(self, fld: str, token: str, dist: int, boost: float) -> Any:
        """Whoosh's ``FuzzyTerm(prefixlength=1)`` for a name field, expanded
        with rapidfuzz over the field's terms: Whoosh builds a Levenshtein
        automaton in Python per field and segment (~5 ms each for two edits,
        about 50 ms for one fuzzy word over the name fields at 10x)."""
        terms = self.vocab.field_terms(self.reader, fld, token[:1])
        found = process.extract(token, terms, scorer=OSA.distance, score_cutoff=dist, limit=MAX_EXPANSIONS)
        return _or([wq.Term(fld, t, boost=boost) for t, _d, _i in found], many=True) or nothing()

    def _has(self, fld: str, term: str) -> bool:
        try:
            return (fld, term) in self.reader
        except Exception:  # unknown field etc.: let Whoosh decide
            return True

    def _term_or_phrase(self, fld: str, tokens: list[str], boost: float) -> Any:
        """A Term or Phrase; ``nothing()`` when a word is not in the field at all
        (skipping absent terms keeps multi-field queries cheap)."""
        if not all(self._has(fld, t) for t in tokens):
            return nothing()
        if len(tokens) == 1:
            return wq.Term(fld, tokens[0], boost=boost)
        return FastPhrase(fld, tokens, boost=boost)

    def _word(self, word: Word) -> Any | None:
        if word.field is not None:
            return self._in_field(word.field, word)
        if word.mode == "term" and not stems(word.text):
            return None  # a stop word on its own
        expanded = self._expanded_stems(word) if word.mode != "term" else None
        parts = [self._in_field(fld, word, boost, expanded) for fld, boost in DEFAULT_FIELDS.items()]
        parts.append(self._in_field("tag", word))
        return _or([p for p in parts if p is not None and not _is_nothing(p)]) or nothing()

    def _phrase(self, phrase: Phrase) -> Any | None:
        if phrase.field == "tag":
            return wq.Term("tag", " ".join(phrase.text.lower().split()))
        fields = {phrase.field: 1.0} if phrase.field else DEFAULT_FIELDS
        parts = []
        for fld, boost in fields.items():
            tokens = stems(phrase.text) if fld in STEMMED_FIELDS else names(phrase.text)
            if not tokens:
                continue
            parts.append(self._term_or_phrase(fld, tokens, boost))
        live = [p for p in parts if not _is_nothing(p)]
        return _or(live) or (nothing() if parts else None)


def _is_nothing(q: Any) -> bool:
    return isinstance(q, wq.Term) and q.fieldname == "kind" and q.text == "-"


#: Score factor of a fuzzy word's variants by their edits (0, 1, 2).
FUZZY_CLOSENESS = (1.0, 0.6, 0.35)


def _idf(n: int, df: int) -> float:
    """:meth:`ReaderBM25F.idf` for ``df`` of ``n`` documents."""
    return log(1.0 + (n - df + 0.5) / (df + 0.5))


#: From this many terms on, an expansion's union is scored block-wise.
ARRAY_UNION_FROM = 8


def _or(parts: list[Any], many: bool = False) -> Any | None:
    """An Or of ``parts``.  With ``many`` (the terms of one prefix/fuzzy word),
    a long union uses Whoosh's array matcher, which adds up the scores of
    each sub-matcher block by block instead of walking a binary tree of
    UnionMatchers document by document: 2-3x faster for "pro*"-like words."""
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    union = wq.Or(parts)
    if many and len(parts) >= ARRAY_UNION_FROM:
        union.matcher_type = wq.Or.ARRAY_MATCHER
    return union


# ---- "did you mean" ------------------------------------------------------------
def _frequency(reader: Any, word: str) -> int:
    """Documents containing ``word`` (stemmed) in the title or body."""
    total = 0
    for term in stems(word)[:1]:
        for fld in ("title", "body"):
            total += reader.doc_frequency(fld, term)
    return total


#: "Did you mean" for a word that has hits of its own: when it is in at most
#: this share of the articles (at least :data:`FEW_HITS_MIN`)...
FEW_HITS_SHARE = 0.002
FEW_HITS_MIN = 3
#: ...and a spelling one edit away is in this many times as many articles,
#: when the word as typed occurs nowhere (its hits are other words with its
#: stem: "goverment" finds "governess")...
MORE_COMMON = 20
#: ...or this many times when it does occur ("lager" is not "later").
MORE_COMMON_WRITTEN = 300


def suggest(parsed: ParsedQuery, reader: Any, vocab: Vocabulary) -> str | None:
    """The query with its plain words respelt, or ``None`` when there is nothing to fix.

    A word that matches nothing is replaced by the most common close spelling
    that does (one edit for words of up to 4 letters, two for longer ones);
    a word with a few hits by a spelling one edit away that is in far more
    articles (:data:`MORE_COMMON` times, :data:`MORE_COMMON_WRITTEN` when the
    word itself is written somewhere), as web search engines do:
    ``goverment`` (one article, on "governess") -> ``government``."""
    from reader.search.query import positives

    fixes: list[tuple[int, int, str]] = []
    few = max(FEW_HITS_MIN, int(reader.doc_count_all() * FEW_HITS_SHARE))
    for item in positives(parsed.node):
        if not isinstance(item, Word) or item.mode != "term" or (item.field not in (None, *STEMMED_FIELDS)):
            continue
        lower = item.text.lower()
        if len(lower) < 3 or not lower.isalpha():
            continue
        own = _frequency(reader, lower)
        if own > few or (own and len(lower) < 5):
            continue
        own_stems = stems(lower)
        ratio = (MORE_COMMON_WRITTEN if lower in vocab else MORE_COMMON) if own else 0
        best: tuple[int, int, str] | None = None
        for candidate, dist in vocab.near(lower, 1 if (own or len(lower) <= 4) else 2, limit=50):
            if candidate == lower or (own and stems(candidate) == own_stems):
                continue  # the word itself, or another form of it ("goverments")
            freq = _frequency(reader, candidate)
            if freq <= 0 or freq < own * ratio:
                continue
            key = (dist, -freq, candidate)
            if best is None or key < best:
                best = key
        if best is not None:
            fixes.append((item.start, item.end, best[2]))
    if not fixes:
        return None
    text = parsed.text
    for start, end, replacement in sorted(fixes, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text
