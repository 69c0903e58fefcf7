"""Scoring a whole posting list at once, with exact totals.

The matcher-based search scored every matching document with several Python
calls (``said`` at 10x BBC: 19k matches, 50-80 ms; Whoosh's block-max
skipping does not help there: its blocks' bounds are far above the actual
scores).  For queries made only of terms, phrases, OR, AND and AND NOT (the
common case; other Whoosh queries take the matcher path),
:func:`search_top` scores each term's postings as arrays instead:

* a phrase's documents come from :class:`~reader.search.phrase.PhraseMatcher`;
* a term's posting list is read block by block (ids and weights, one
  ``extend`` per block) and scored with BM25F in numpy, with the same
  formula, statistics and order of operations as Whoosh's ``BM25FScorer``;
* OR sums the scores of a document (``bincount`` over the union), AND keeps
  the documents every part has (``intersect1d``), AND NOT removes the
  documents of the negative part; deleted documents are dropped per term;
* the best ``limit`` come from ``argpartition``; ties go to the lower
  document number, as in Whoosh.  The total is exact.

Scores equal Whoosh's up to the order of additions (last-bit differences);
a test compares hits, order and totals with the matcher path.
"""

from __future__ import annotations

import logging
import threading
import time
from array import array
from typing import Any

from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.collectors import TimeLimitCollector, TopCollector
from whoosh.scoring import BM25FScorer, WeightScorer
from whoosh.searching import TimeLimit

from reader.search.compile import field_lengths
from reader.search.phrase import FastPhrase

try:  # a dependency of pyqtgraph; the slim bundle leaves it out: then every query uses the matchers
    import numpy as np
except ImportError:  # pragma: no cover - exercised by the slim bundle
    np = None  # type: ignore[assignment]

log = logging.getLogger(__name__)


def prunable(q: Any) -> bool:
    """Whether ``q`` is made only of terms, phrases, OR, AND and AND NOT (what
    :func:`vector_top` scores)."""
    if isinstance(q, wq.Term):
        return type(q) is wq.Term
    if type(q) in (FastPhrase, wq.Prefix, wq.FuzzyTerm):
        return True
    if type(q) in (wq.Or, wq.And):
        return all(prunable(sub) for sub in q.subqueries)
    if type(q) is wq.AndNot:
        return prunable(q.a) and prunable(q.b)
    return False


class QueryTooSlow(Exception):
    """The query ran past its time budget (see :func:`search_top`)."""


_BUDGET = threading.local()


def _check_time() -> None:
    deadline = getattr(_BUDGET, "deadline", None)
    if deadline is not None and time.monotonic() > deadline:
        raise QueryTooSlow


class _NotVector(Exception):
    """A part of the query that :func:`_evaluate` cannot score as arrays."""


_EMPTY_IDS = np.zeros(0, dtype=np.int64) if np is not None else None
_EMPTY_SCORES = np.zeros(0, dtype=np.float64) if np is not None else None
_LENGTH_ARRAYS: dict[tuple[str, str], np.ndarray] = {}


def _lengths(reader: Any, fieldname: str) -> np.ndarray | None:
    key = (getattr(reader, "_segid", ""), fieldname)
    found = _LENGTH_ARRAYS.get(key)
    if found is None:
        lengths = field_lengths(reader, fieldname)
        if lengths is None:
            return None
        if len(_LENGTH_ARRAYS) >= 64:
            _LENGTH_ARRAYS.clear()
        found = _LENGTH_ARRAYS[key] = np.asarray(lengths, dtype=np.float64)
    return found


def _postings(reader: Any, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
    """(ids, weights) of a term in one segment, deleted documents included."""
    m = reader.postings(fieldname, btext)
    leaf = getattr(m, "child", m)
    if type(leaf) is not W3LeafMatcher:
        raise _NotVector(f"posting list of type {type(leaf).__name__}")
    ids: array[int] = array("q")
    weights: array[float] = array("f")  # Whoosh's block weights are 32-bit floats
    while leaf.is_active():
        if leaf._ids is None:
            leaf._read_ids()
        if leaf._weights is None:
            leaf._read_weights()
        ids.extend(leaf._ids)
        weights.extend(leaf._weights)
        leaf._next_block()
    return np.frombuffer(ids, dtype=np.int64), np.frombuffer(weights, dtype=np.float32).astype(np.float64)


def _term(sub: Any, q: Any) -> tuple[np.ndarray, np.ndarray]:
    _check_time()
    reader = sub.reader()
    if q.fieldname not in reader.schema:
        return _EMPTY_IDS, _EMPTY_SCORES
    btext = q.text if isinstance(q.text, bytes) else reader.schema[q.fieldname].to_bytes(q.text)
    if (q.fieldname, btext) not in reader:
        return _EMPTY_IDS, _EMPTY_SCORES
    ids, weights = _postings(reader, q.fieldname, btext)
    scorer = sub.weighting.scorer(sub, q.fieldname, btext)
    if isinstance(scorer, BM25FScorer):
        lengths = _lengths(reader, q.fieldname)
        if lengths is None:
            raise _NotVector(f"no lengths for {q.fieldname}")
        k1, b = scorer.K1, scorer.B
        scores = scorer.idf * ((weights * (k1 + 1)) / (weights + k1 * ((1 - b) + b * lengths[ids] / scorer.avgfl)))
    elif isinstance(scorer, WeightScorer):
        scores = weights
    else:
        raise _NotVector(f"scorer {type(scorer).__name__}")
    if q.boost != 1.0:
        scores = scores * q.boost
    if reader.has_deletions():
        keep = ~np.isin(ids, np.fromiter(reader.deleted_docs_set, dtype=np.int64), assume_unique=True)
        ids, scores = ids[keep], scores[keep]
    return ids, scores


def _has_phrase(q: Any) -> bool:
    if isinstance(q, FastPhrase):
        return True
    if isinstance(q, (wq.Or, wq.And)):
        return any(_has_phrase(part) for part in q.subqueries)
    if isinstance(q, wq.AndNot):
        return _has_phrase(q.a) or _has_phrase(q.b)
    return False


def _phrase(sub: Any, q: Any, allowed: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """A phrase's documents and scores from its matcher; with ``allowed`` (sorted
    ids), only those documents are tested (the others are dropped by the AND or
    AND NOT around it anyway)."""
    _check_time()
    m = q.matcher(sub)
    docs: list[int] = []
    found: list[float] = []
    if allowed is None:
        while m.is_active():
            docs.append(m.id())
            found.append(m.score())
            m.next()
            if len(docs) % 256 == 0:
                _check_time()
    else:
        for n, target in enumerate(allowed.tolist()):
            if not m.is_active():
                break
            if m.id() < target:
                m.skip_to(target)
                if not m.is_active():
                    break
            if m.id() == target:
                docs.append(target)
                found.append(m.score())
            if n % 256 == 255:
                _check_time()
    return np.asarray(docs, dtype=np.int64), np.asarray(found, dtype=np.float64)


def _evaluate(sub: Any, q: Any, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(sorted ids, scores) of the documents of segment searcher ``sub`` matching
    ``q``.  ``allowed``: the caller keeps only these documents, so phrases need
    not be tested elsewhere (the result may still hold others)."""
    if isinstance(q, wq.Term):
        return _term(sub, q)
    if isinstance(q, FastPhrase):  # its own matcher finds the documents; one step per match
        return _phrase(sub, q, allowed)
    if isinstance(q, (wq.Prefix, wq.FuzzyTerm)):
        # as Whoosh's MultiTerm.matcher: the segment's matching terms, one term
        # alone unboosted, several as an OR with the query's boost
        words = [word for word in q._btexts(sub.reader()) if word]
        if len(words) == 1:
            return _term(sub, wq.Term(q.fieldname, words[0]))
        q = wq.Or([wq.Term(q.fieldname, word) for word in words], boost=q.boost)
    if isinstance(q, wq.Or):
        parts = [_evaluate(sub, part, allowed) for part in q.subqueries]
        parts = [p for p in parts if len(p[0])]
        if not parts:
            return _EMPTY_IDS, _EMPTY_SCORES
        if len(parts) == 1:
            ids, scores = parts[0]
        else:
            ids, inverse = np.unique(np.concatenate([p[0] for p in parts]), return_inverse=True)
            scores = np.bincount(inverse, weights=np.concatenate([p[1] for p in parts]), minlength=len(ids))
    elif isinstance(q, wq.And):
        # the parts without phrases first; phrases are then tested only where the rest matched
        plain = [part for part in q.subqueries if not _has_phrase(part)]
        phrasey = [part for part in q.subqueries if _has_phrase(part)]
        ids, scores = _EMPTY_IDS, _EMPTY_SCORES
        first = True
        for group in (plain, phrasey):
            for part in group:
                part_ids, part_scores = _evaluate(sub, part, None if first else ids)
                if first:
                    ids, scores, first = part_ids, part_scores, False
                else:
                    ids, mine, theirs = np.intersect1d(ids, part_ids, assume_unique=True, return_indices=True)
                    scores = scores[mine] + part_scores[theirs]
                if not len(ids):
                    return _EMPTY_IDS, _EMPTY_SCORES
    elif isinstance(q, wq.AndNot):
        ids, scores = _evaluate(sub, q.a, allowed)
        if len(ids):
            minus, _ = _evaluate(sub, q.b, ids)
            if len(minus):
                keep = ~np.isin(ids, minus, assume_unique=True)
                ids, scores = ids[keep], scores[keep]
    else:
        raise _NotVector(type(q).__name__)
    if q.boost != 1.0:
        scores = scores * q.boost
    return ids, scores


def vector_top(searcher: Any, q: Any, limit: int) -> tuple[list[tuple[int, float]], int]:
    """The best ``limit`` (global docnum, score) pairs and the number of matches,
    scored as arrays; raises :class:`_NotVector` for queries it cannot score."""
    all_ids: list[np.ndarray] = []
    all_scores: list[np.ndarray] = []
    total = 0
    for sub, offset in searcher.leaf_searchers():
        ids, scores = _evaluate(sub, q)
        total += len(ids)
        if len(ids) > limit:
            best = np.argpartition(-scores, limit - 1)[:limit]
            # keep every document tied with the limit-th score: the lower docnums win ties
            cut = scores[best].min()
            best = np.flatnonzero(scores >= cut)
            ids, scores = ids[best], scores[best]
        all_ids.append(ids + offset)
        all_scores.append(scores)
    if not all_ids:
        return [], 0
    ids, scores = np.concatenate(all_ids), np.concatenate(all_scores)
    order = np.lexsort((ids, -scores))[:limit]
    return [(int(ids[i]), float(scores[i])) for i in order], total


def search_top(searcher: Any, q: Any, limit: int, budget: float | None = None) -> tuple[list[tuple[int, float]], int]:
    """The best ``limit`` (docnum, score) pairs for ``q`` and the exact number of
    matches: as arrays when ``q`` is :func:`prunable`, else with Whoosh's matchers.
    Raises :class:`QueryTooSlow` when it takes more than ``budget`` seconds."""
    _BUDGET.deadline = time.monotonic() + budget if budget else None
    try:
        if np is not None and prunable(q):
            try:
                return vector_top(searcher, q, limit)
            except _NotVector as exc:
                log.debug("scoring with matchers: %s", exc)
        collector: Any = TopCollector(limit, usequality=False, replace=0)
        if budget:
            left = max(0.001, _BUDGET.deadline - time.monotonic())
            collector = TimeLimitCollector(collector, timelimit=left, use_alarm=False)
        try:
            searcher.search_with_collector(q, collector)
        except TimeLimit:
            raise QueryTooSlow from None
        results = collector.results()
        return [(hit.docnum, float(hit.score or 0.0)) for hit in results], len(results)
    finally:
        _BUDGET.deadline = None
