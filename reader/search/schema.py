"""The Whoosh schema, its analyzers and the IndexDoc -> fields conversion.

Everything that decides how text becomes index terms lives here, so the query
side (:mod:`reader.search.query`) and the highlighter
(:mod:`reader.search.highlight`) analyse words exactly like the index did.

Bump :data:`SCHEMA_VERSION` whenever the schema, an analyzer or the stem table
changes: an index with another version is rebuilt at the next refresh.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from functools import lru_cache
from pickle import dumps
from typing import Any

from whoosh.analysis import STOP_WORDS, Analyzer, Token
from whoosh.columns import NumericColumn
from whoosh.fields import BOOLEAN, COLUMN, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.formats import Positions
from whoosh.lang.porter import stem as porter_stem
from whoosh.system import pack_uint

from reader.core.article import untitled_label
from reader.store.library import IndexDoc

SCHEMA_VERSION = 4

#: Porter stems of words whose noun and verb Porter does not conflate
#: ("defense" -> "defens" but "defend" -> "defend").  Mapped onto the verb's
#: stem so a search for one finds the other.
STEM_OVERRIDES: dict[str, str] = {
    "defens": "defend",
    "defenc": "defend",
    "offens": "offend",
    "offenc": "offend",
    "respons": "respond",
    "expens": "expend",
    "suspens": "suspend",
    "pretens": "pretend",
    "pretenc": "pretend",
    "extens": "extend",
    "decis": "decid",
    "divis": "divid",
    "inclus": "includ",
    "exclus": "exclud",
    "conclus": "conclud",
    "invas": "invad",
    "evas": "evad",
    "persuas": "persuad",
    "explos": "explod",
    "collis": "collid",
    "provis": "provid",
    "permiss": "permit",
    "admiss": "admit",
    "submiss": "submit",
    "transmiss": "transmit",
}

#: Entity labels (as the recognisers emit them) -> index field.  Numeric and
#: temporal labels (DATE, MONEY, PERCENT, ...) are not indexed as fields.
ENTITY_FIELDS: dict[str, str] = {
    "PERSON": "person",
    "PER": "person",
    "ORG": "org",
    "PLACE": "place",
    "GPE": "place",
    "LOC": "place",
    "NORP": "norp",
    "FAC": "facility",
    "FACILITY": "facility",
    "EVENT": "event",
    "PRODUCT": "product",
    "WORK_OF_ART": "work",
    "WORK": "work",
    "LAW": "law",
    "LANGUAGE": "language",
    "MISC": "misc",
}

#: The entity fields, in the order they are shown in reasons.
ENTITY_FIELD_NAMES: tuple[str, ...] = tuple(dict.fromkeys(ENTITY_FIELDS.values()))

#: Fields a bare word is searched in, with their query-time boosts.
DEFAULT_FIELDS: dict[str, float] = {
    "title": 3.0, "body": 1.0, "notes": 1.0, "author": 1.0, "source": 0.5, "section": 0.5
}

KIND_ARTICLE = "a"
KIND_VOCAB = "v"
VOCAB_PREFIX = "~vocab:"

#: Separator between list values of one field (keeps phrases from crossing).
VALUE_SEP = "\n"


def reader_stem(word: str) -> str:
    """Porter stem plus :data:`STEM_OVERRIDES` (module level so it pickles)."""
    stemmed = porter_stem(word)
    return STEM_OVERRIDES.get(stemmed, stemmed)


WORD_PATTERN = re.compile(r"\w+(?:\.?\w+)*")
MIN_WORD = 2


class FastAnalyzer(Analyzer):
    """Tokenizer, lower case, stop words and (optionally) stemming fused into one
    loop: the same tokens as Whoosh's ``RegexTokenizer | LowercaseFilter |
    StopFilter | StemFilter`` chain, at about twice the speed (indexing is pure
    Python and this is its hottest loop)."""

    def __init__(self, stem: bool = True, stop: bool = True) -> None:
        self.stem = stem
        self.stop = stop
        self._cache: dict[str, str] = {}

    def __getstate__(self) -> dict[str, Any]:
        return {"stem": self.stem, "stop": self.stop}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._cache = {}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FastAnalyzer) and (self.stem, self.stop) == (other.stem, other.stop)

    def __hash__(self) -> int:
        return hash((self.stem, self.stop))

    def __repr__(self) -> str:
        return f"FastAnalyzer(stem={self.stem}, stop={self.stop})"

    def word(self, lower: str) -> str | None:
        """The index term for one lower-case word (``None``: a stop word)."""
        if self.stop and (len(lower) < MIN_WORD or lower in STOP_WORDS):
            return None
        if not self.stem:
            return lower
        stemmed = self._cache.get(lower)
        if stemmed is None:
            stemmed = self._cache[lower] = reader_stem(lower)
        return stemmed

    def terms(self, value: str) -> list[str]:
        """The index terms of ``value`` in order, stop words dropped: the same
        terms as :meth:`__call__`, and a term's position is its index here."""
        out: list[str] = []
        append = out.append
        stop = self.stop
        stem = self.stem
        cache = self._cache
        for original in WORD_PATTERN.findall(value):
            lower = original.lower()
            if stop and (len(lower) < MIN_WORD or lower in STOP_WORDS):
                continue
            if stem:
                text = cache.get(lower)
                if text is None:
                    text = cache[lower] = reader_stem(lower)
                append(text)
            else:
                append(lower)
        return out

    def __call__(  # type: ignore[override]
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        matches: Iterable[Any] = WORD_PATTERN.finditer(value) if tokenize else [_Whole(value)]
        pos = start_pos
        stop = self.stop
        stem = self.stem
        cache = self._cache
        for match in matches:
            original = match.group(0)
            lower = original.lower()
            stopped = stop and (len(lower) < MIN_WORD or lower in STOP_WORDS)
            if stopped and removestops:
                continue
            if stem and not stopped:
                text = cache.get(lower)
                if text is None:
                    text = cache[lower] = reader_stem(lower)
            else:
                text = lower
            token.text = text
            token.boost = 1.0
            token.stopped = stopped
            if keeporiginal:
                token.original = original
            if positions:
                token.pos = pos
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            if not stopped:
                pos += 1
            yield token


class FastPositions(Positions):
    """Whoosh's ``Positions`` format (same bytes on disk) with the indexing
    path fused for :class:`FastAnalyzer`: term strings straight from the regex
    instead of a Token object per word (about a quarter of a full build)."""

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterator[tuple[str, int, float, bytes]]:
        if not isinstance(analyzer, FastAnalyzer) or not isinstance(value, str) or kwargs.get("mode") != "index":
            yield from super().word_values(value, analyzer, **kwargs)
            return
        poses: dict[str, list[int]] = {}
        for pos, term in enumerate(analyzer.terms(value)):
            found = poses.get(term)
            if found is None:
                poses[term] = [pos]
            else:
                found.append(pos)
        boost = self.field_boost
        for term, poslist in poses.items():
            deltas = [poslist[0]]
            deltas.extend(b - a for a, b in zip(poslist, poslist[1:], strict=False))
            yield term, len(poslist), len(poslist) * boost, pack_uint(len(deltas)) + dumps(deltas, 2)


class _Whole:
    """A fake match for ``tokenize=False`` (the whole value is one token)."""

    def __init__(self, value: str) -> None:
        self.value = value

    def group(self, _n: int = 0) -> str:
        return self.value

    def start(self) -> int:
        return 0

    def end(self) -> int:
        return len(self.value)


def stem_analyzer() -> FastAnalyzer:
    """Title, body, notes: words, lower case, no stop words, stemmed."""
    return FastAnalyzer(stem=True, stop=True)


def raw_analyzer() -> FastAnalyzer:
    """The unstemmed vocabulary (fuzzy, prefix, "did you mean")."""
    return FastAnalyzer(stem=False, stop=True)


def name_analyzer() -> FastAnalyzer:
    """Names (authors, entities, source, section): words and lower case only."""
    return FastAnalyzer(stem=False, stop=False)


def vocabulary(text: str) -> set[str]:
    """The distinct unstemmed index words of ``text`` (C-speed: regex + set)."""
    words = set(WORD_PATTERN.findall(text.lower()))
    return {w for w in words if len(w) >= MIN_WORD and w not in STOP_WORDS}


def build_schema() -> Schema:
    """The index schema (see HELP.md for the fields users can name)."""
    stemmed = stem_analyzer()
    names = name_analyzer()
    fields: dict[str, Any] = {
        "id": ID(unique=True, stored=True),
        "kind": ID(),
        "version": STORED(),
        "title": TEXT(analyzer=stemmed, stored=True, phrase=True, field_boost=1.0),
        "body": TEXT(analyzer=stemmed, phrase=True),
        "raw": TEXT(analyzer=raw_analyzer(), phrase=False),  # only in vocabulary docs
        "author": TEXT(analyzer=names, phrase=True),
        "source": TEXT(analyzer=names, phrase=True, stored=True),
        "section": TEXT(analyzer=names, phrase=True),
        # sort key (yyyymmddHHMMSS as a number, 0 = undated) and calendar terms
        # ("y2024 m202404 d20240405") that date filters look up directly
        "date": COLUMN(NumericColumn("q", default=0)),
        "day": KEYWORD(),
        "pub": STORED(),
        "bookmarked": BOOLEAN(),
        "has_notes": BOOLEAN(),
        "tag": KEYWORD(lowercase=True, commas=True),
        "notes": TEXT(analyzer=stemmed, phrase=True),
    }
    for name in ENTITY_FIELD_NAMES:
        fields[name] = TEXT(analyzer=names, phrase=True)
    for fld in fields.values():
        if type(fld.format) is Positions:
            fld.format = FastPositions(field_boost=fld.format.field_boost)
    return Schema(**fields)


def vocab_fields(words: Iterable[str]) -> dict[str, Any]:
    """A vocabulary document: the unstemmed words of a batch of articles.

    Only its ``raw`` lexicon is used (to expand ``prefix*`` and ``fuzzy~`` words
    and to suggest spellings); no query ever matches it.  Indexing each word
    once per batch instead of once per article halves the build time."""
    keep = sorted(w for w in words if len(w) >= MIN_WORD and w not in STOP_WORDS)
    return {"id": VOCAB_PREFIX + uuid.uuid4().hex, "kind": KIND_VOCAB, "raw": " ".join(keep)}


def add_words(words: set[str], text: str) -> None:
    """Add the lower-case words of ``text`` to ``words``, unfiltered (a full
    build collects them so; :func:`vocab_fields` drops stop words once)."""
    words.update(WORD_PATTERN.findall(text.lower()))


def sort_key(value: datetime) -> int:
    """yyyymmddHHMMSS of the wall-clock time as published (the zone ignored)."""
    return int(value.strftime("%Y%m%d%H%M%S")) if value.year >= 1000 else 1


def day_terms(value: date) -> str:
    """The calendar terms of a publication date: year, month and day."""
    return f"y{value.year:04d} m{value.year:04d}{value.month:02d} d{value.year:04d}{value.month:02d}{value.day:02d}"


def day_cover(start: date, end: date, years: Iterable[int]) -> list[str]:
    """Calendar terms exactly covering the days in [start, end): whole years,
    then whole months, then single days (a handful of terms, not thousands).
    ``years`` are the years present in the index (bounds what is generated)."""
    known = sorted(years)
    if not known:
        return []
    start = max(start, date(known[0], 1, 1))
    end = min(end, date(known[-1] + 1, 1, 1)) if known[-1] < 9999 else end
    out: list[str] = []
    d = start
    while d < end and len(out) < 2000:
        next_year = date(d.year + 1, 1, 1) if d.year < 9999 else date.max
        next_month = date(d.year + (d.month == 12), d.month % 12 + 1, 1) if d < date(9999, 12, 1) else date.max
        if d.month == 1 and d.day == 1 and next_year <= end:
            out.append(f"y{d.year:04d}")
            d = next_year
        elif d.day == 1 and next_month <= end:
            out.append(f"m{d.year:04d}{d.month:02d}")
            d = next_month
        else:
            out.append(f"d{d.year:04d}{d.month:02d}{d.day:02d}")
            if d == date.max:
                break
            d += timedelta(days=1)
    return out


def doc_fields(doc: IndexDoc) -> dict[str, Any]:
    """The Whoosh field values for one document (empty fields left out)."""
    fields: dict[str, Any] = {
        "id": doc.id,
        "kind": KIND_ARTICLE,
        "version": doc.version,
        "title": doc.title or untitled_label(doc.source, doc.published),  # untitled DW pages are found by that
        "bookmarked": bool(doc.bookmarked),
        "has_notes": bool(doc.notes),
    }
    if doc.body:
        fields["body"] = doc.body
    if doc.authors:
        fields["author"] = VALUE_SEP.join(doc.authors)
    if doc.source:
        fields["source"] = doc.source
    if doc.section:
        fields["section"] = doc.section
    if doc.published is not None:
        fields["date"] = sort_key(doc.published)
        fields["day"] = day_terms(doc.published.date())
        fields["pub"] = doc.published.isoformat()
    tags = [t.replace(",", " ").strip() for t in doc.tags]
    if any(tags):
        fields["tag"] = ",".join(t for t in tags if t)
    if doc.notes:
        fields["notes"] = VALUE_SEP.join(doc.notes)
    entities: dict[str, list[str]] = {}
    for label, values in doc.entities.items():
        name = ENTITY_FIELDS.get(label.upper())
        if name:
            entities.setdefault(name, []).extend(values)
    for name, found in entities.items():
        fields[name] = VALUE_SEP.join(found)  # repeats kept: a canonical name's weight (store/indexing.py)
    return fields


@lru_cache(maxsize=1)
def shared_schema() -> Schema:
    """One schema object per process (analyzers hold stem caches)."""
    return build_schema()
