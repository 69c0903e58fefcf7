"""Where a query matches in article text: spans for the reader, HTML snippets
for the result list.

Matching mirrors the index: words are compared by their stems (``defend``
marks "defense"), names by lower case, ``prefix*`` by prefix and ``fuzzy~`` by
edit distance; phrases must occur as consecutive words (stop words skipped,
as in the index).  Offsets are Python string indices into the text given,
i.e. the article's plain text (the app's one coordinate system).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime

from rapidfuzz.distance import OSA

from reader.core.article import clean_text, format_date
from reader.search.compile import STEMMED_FIELDS, Vocabulary, names, stems
from reader.search.query import Node, Phrase, Word, positives
from reader.search.schema import MIN_WORD, WORD_PATTERN, stem_analyzer

_STEM = stem_analyzer()
SNIPPET_CHARS = 220
#: Up to this many resolved words are found with one regex alternation; more by a set test per token.
ALTERNATION_MAX = 60


@dataclass
class Matcher:
    """The positive words of a query, ready to test text tokens against."""

    stems: set[str] = field(default_factory=set)
    lowers: set[str] = field(default_factory=set)
    prefixes: tuple[str, ...] = ()
    fuzzy: list[tuple[str, int]] = field(default_factory=list)
    stem_phrases: list[list[str]] = field(default_factory=list)
    name_phrases: list[list[str]] = field(default_factory=list)
    _memo: dict[str, bool] = field(default_factory=dict, repr=False)
    _resolved: bool = field(default=False, repr=False)
    _pattern: re.Pattern[str] | None = field(default=None, repr=False)
    _word_set: frozenset[str] = field(default=frozenset(), repr=False)

    @classmethod
    def from_tree(cls, node: Node | None) -> Matcher:
        m = cls()
        prefixes: list[str] = []
        for item in positives(node):
            stemmed = item.field is None or item.field in STEMMED_FIELDS
            if isinstance(item, Word) and item.mode == "prefix":
                prefixes.append(item.text.lower())
            elif isinstance(item, Word) and item.mode == "fuzzy":
                m.fuzzy.append((item.text.lower(), item.dist))
            else:
                tokens = stems(item.text) if stemmed else names(item.text)
                if isinstance(item, Phrase) and len(tokens) > 1:
                    (m.stem_phrases if stemmed else m.name_phrases).append(tokens)
                elif len(tokens) > 1:  # "rock-solid" as one word: a phrase
                    (m.stem_phrases if stemmed else m.name_phrases).append(tokens)
                elif tokens:
                    (m.stems if stemmed else m.lowers).add(tokens[0])
        m.prefixes = tuple(prefixes)
        return m

    def with_vocabulary(self, vocab: Vocabulary) -> Matcher:
        """Resolve the single-word tests against the index vocabulary once, so
        :meth:`spans` is one regex scan per text (snippets for many hits)."""
        words: set[str] = set(self.lowers)
        by_stem = vocab.by_stem()
        for stem in self.stems:
            words.update(by_stem.get(stem, ()))
        for prefix in self.prefixes:
            words.update(vocab.with_prefix(prefix, limit=2000))
        for word, dist in self.fuzzy:
            words.update(w for w, _d in vocab.near(word, dist, limit=500))
        if len(words) > ALTERNATION_MAX:
            # "pro*": hundreds of words; a regex alternation of them tries each
            # one at every position (35 ms for 20 snippets); a set test per token is linear
            self._word_set = frozenset(w.lower() for w in words)
            self._pattern = None
        else:
            self._pattern = _alternation(words) if words else None
        self._resolved = True
        return self

    @property
    def empty(self) -> bool:
        return not (self.stems or self.lowers or self.prefixes or self.fuzzy or self.stem_phrases or self.name_phrases)

    def _word_matches(self, lower: str) -> bool:
        hit = self._memo.get(lower)
        if hit is None:
            stem = _STEM.word(lower)
            hit = self._memo[lower] = bool(
                (stem is not None and stem in self.stems)
                or lower in self.lowers
                or (self.prefixes and lower.startswith(self.prefixes))
                or (len(lower) >= MIN_WORD and any(OSA.distance(lower, w, score_cutoff=d) <= d for w, d in self.fuzzy))
            )
        return hit

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Merged, sorted (start, end) offsets of matches in ``text``."""
        if self.empty or not text:
            return []
        found: list[tuple[int, int]] = []
        if self._resolved:
            if self._pattern is not None:
                found += [(m.start(), m.end()) for m in self._pattern.finditer(text)]
            elif self._word_set:
                wanted = self._word_set
                found += [(m.start(), m.end()) for m in WORD_PATTERN.finditer(text) if m.group(0).lower() in wanted]
        elif self.stems or self.lowers or self.prefixes or self.fuzzy:
            # Decide once per distinct word (C-speed findall), then find the
            # matching words' occurrences with one regex.
            memo = self._memo
            words = set()
            for word in set(WORD_PATTERN.findall(text.lower())):
                hit = memo.get(word)
                if hit is None:
                    hit = self._word_matches(word)
                if hit:
                    words.add(word)
            if words:
                found += [(m.start(), m.end()) for m in _alternation(words).finditer(text)]
        if self.stem_phrases or self.name_phrases:
            tokens: list[tuple[int, int, str, str | None]] = []  # start, end, lower, stem (None: stop word)
            for match in WORD_PATTERN.finditer(text):
                lower = match.group(0).lower()
                tokens.append((match.start(), match.end(), lower, _STEM.word(lower)))
            if self.stem_phrases:
                content = [t for t in tokens if t[3] is not None]
                found += _phrase_spans(content, [t[3] or "" for t in content], self.stem_phrases)
            if self.name_phrases:
                found += _phrase_spans(tokens, [t[2] for t in tokens], self.name_phrases)
        return merge(found)


def _alternation(words: set[str]) -> re.Pattern[str]:
    """A regex matching any of ``words`` as whole index tokens, ignoring case."""
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?<!\w\.)(?:{alternation})(?!\.?\w)", re.IGNORECASE)


def _phrase_spans(
    tokens: list[tuple[int, int, str, str | None]], keys: list[str], phrases: list[list[str]]
) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for phrase in phrases:
        k = len(phrase)
        first = phrase[0]
        for i, key in enumerate(keys):
            if key == first and keys[i : i + k] == phrase:
                out.append((tokens[i][0], tokens[i + k - 1][1]))
    return out


def merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _window(text: str, spans: list[tuple[int, int]], width: int) -> tuple[int, int]:
    """The ``width``-character stretch of ``text`` holding the most matches."""
    if not spans:
        # No match in the text (the hit came from tags, notes or a filter):
        # the first paragraph-sized line, skipping the short title/meta lines.
        pos = 0
        for line in text.split("\n"):
            if len(line) >= 80:
                return pos, min(len(text), pos + width)
            pos += len(line) + 1
        return 0, min(len(text), width)
    best_start, best_count = spans[0][0], 0
    j = 0
    for i, (start, _end) in enumerate(spans):
        j = max(j, i)
        while j + 1 < len(spans) and spans[j + 1][1] <= start + width:
            j += 1
        count = j - i + 1
        if count > best_count:
            best_start, best_count = start, count
    # some context before the first match (within its paragraph), cut at a word boundary
    line_start = text.rfind("\n", 0, best_start) + 1
    start = max(line_start, best_start - width // 4)
    if start > line_start:
        space = text.find(" ", start, best_start)
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        if space > best_start:
            end = space
    return start, end


def body_start(text: str, title: str, published: datetime | None) -> int:
    """Where the body (lede and paragraphs) begins in an article's plain text:
    after the optional section line, the title line and the dateline (see
    :meth:`reader.core.article.Article.lines`); 0 when the title line is not
    one of the first two lines."""
    lines = text.split("\n", 3)
    wanted = clean_text(title)
    if lines and lines[0] == wanted:
        i = 1
    elif len(lines) > 1 and lines[1] == wanted:
        i = 2
    else:
        return 0
    if i < len(lines):
        line = lines[i]
        if published is not None:
            day = format_date(published)
            is_meta = line.startswith((day, "Published " + day))
        else:
            is_meta = line.startswith(("last updated ", "By "))
        if is_meta:
            i += 1
    return min(len(text), sum(len(line) + 1 for line in lines[:i]))


def snippet(text: str, spans: list[tuple[int, int]], width: int = SNIPPET_CHARS) -> str:
    """HTML: the best stretch of ``text``, escaped, with ``<b>`` around matches."""
    start, end = _window(text, spans, width)
    parts: list[str] = ["…" if start > 0 and text[start - 1] != "\n" else ""]
    pos = start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        parts.append(html.escape(text[pos:s]))
        parts.append("<b>" + html.escape(text[s:e]) + "</b>")
        pos = e
    parts.append(html.escape(text[pos:end]))
    if end < len(text):
        parts.append("…")
    return "".join(parts).replace("\n", " ")
