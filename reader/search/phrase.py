"""Phrase queries that do not build span objects for every candidate.

Whoosh's ``Phrase`` turns into ``SpanNear2``: an intersection of the words'
posting lists that, for every document holding all the words, decodes each
word's positions into ``Span`` objects and pairs them up in Python (~40 µs a
candidate: ``"prime minister"`` at 10x BBC took 40-70 ms, 6-8x FTS5).

:class:`FastPhrase` matches the same documents with the same scores (the sum
of the words' BM25F scores, as Whoosh's intersection gives):

* the intersection is led by the rarest word, the others jump to its
  documents (``bisect`` inside a posting block instead of Whoosh's one
  ``next()`` call per posting);
* positions are decoded only for documents holding every word, rarest word
  first, and compared as sets of start positions (one C-level set
  intersection per word), stopping as soon as no start is left.
"""

from __future__ import annotations

from bisect import bisect_left
from itertools import accumulate
from pickle import loads
from typing import Any

from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import mcore, wrappers
from whoosh.query import qcore

_INT_SIZE = 4  # the frequency before the pickled position deltas


def positions(value: bytes) -> list[int]:
    """The positions in a ``Positions``-format posting value."""
    data = value[_INT_SIZE:]
    if not data.endswith(b"."):
        data += b"."
    return list(accumulate(loads(data)))


def _skip(m: Any, target: int) -> None:
    """``m.skip_to(target)``; for a plain posting list, by bisection in its block."""
    if type(m) is not W3LeafMatcher:
        m.skip_to(target)
        return
    if target <= m.id():
        return
    if target > m._maxid:
        m._skip_to_block(lambda: target > m._maxid)
        if not m.is_active():
            return
    if m._ids is None:
        m._read_ids()
    m._i = bisect_left(m._ids, target, m._i)


class PhraseMatcher(mcore.Matcher):
    """Documents where ``matchers`` (one per word, in phrase order) occur at
    consecutive positions.  ``order``: the word indexes, rarest first."""

    def __init__(self, matchers: list[Any], order: list[int]) -> None:
        self._ms = matchers
        self._order = order
        self._active = all(m.is_active() for m in matchers)
        self._id = -1
        self._find()

    # ---- matching -----------------------------------------------------------
    def _find(self) -> None:
        """Move to the first document from the lead's current one that has the phrase."""
        ms, order = self._ms, self._order
        lead = ms[order[0]]
        rest = [ms[k] for k in order[1:]]
        while self._active:
            if not lead.is_active():
                self._active = False
                return
            target = lead.id()
            aligned = True
            for m in rest:
                _skip(m, target)
                if not m.is_active():
                    self._active = False
                    return
                found = m.id()
                if found > target:
                    _skip(lead, found)
                    aligned = False
                    break
            if aligned:
                if self._has_phrase():
                    self._id = target
                    return
                lead.next()

    def _has_phrase(self) -> bool:
        starts: set[int] | None = None
        for k in self._order:
            shifted = [p - k for p in positions(self._ms[k].value())]
            starts = set(shifted) if starts is None else starts.intersection(shifted)
            if not starts:
                return False
        return True

    # ---- the Matcher interface ------------------------------------------------
    def is_active(self) -> bool:
        return self._active

    def id(self) -> int:
        return self._id

    def next(self) -> bool:
        if not self._active:
            raise mcore.ReadTooFar
        self._ms[self._order[0]].next()
        self._find()
        return False

    def skip_to(self, target: int) -> bool:
        if not self._active:
            raise mcore.ReadTooFar
        if target > self._id:
            _skip(self._ms[self._order[0]], target)
            self._find()
        return False

    def score(self) -> float:
        return float(sum(m.score() for m in self._ms))

    def weight(self) -> float:
        return float(sum(m.weight() for m in self._ms))

    def supports_block_quality(self) -> bool:
        return False

    def copy(self) -> PhraseMatcher:
        return PhraseMatcher([m.copy() for m in self._ms], list(self._order))

    def replace(self, minquality: float = 0) -> Any:
        return self if self._active else mcore.NullMatcher()

    def depth(self) -> int:
        return 1 + max(m.depth() for m in self._ms)

    def children(self) -> list[Any]:
        return list(self._ms)

    def term_matchers(self) -> Any:
        for m in self._ms:
            yield from m.term_matchers()


class FastPhrase(wq.Phrase):
    """``wq.Phrase`` (exact, slop 1) matched by :class:`PhraseMatcher`."""

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        fieldname = self.fieldname
        if self.slop != 1 or len(self.words) < 2 or fieldname not in searcher.schema:
            return super().matcher(searcher, context)
        field = searcher.schema[fieldname]
        if not field.format or not field.format.supports("positions"):
            raise qcore.QueryError(f"Phrase search: {fieldname!r} field has no positions")
        reader = searcher.reader()
        words = []
        for word in self.words:
            try:
                btext = field.to_bytes(word)
            except ValueError:
                return mcore.NullMatcher()
            if (fieldname, btext) not in reader:
                return mcore.NullMatcher()
            words.append(btext)
        matchers = [wq.Term(fieldname, w).matcher(searcher, context) for w in words]
        freqs = [reader.doc_frequency(fieldname, w) for w in words]
        order = sorted(range(len(words)), key=lambda k: (freqs[k], k))
        m: Any = PhraseMatcher(matchers, order)
        if self.boost != 1.0:
            m = wrappers.WrappingMatcher(m, boost=self.boost)
        return m
