"""Annotation anchoring: W3C-style text-position + text-quote selectors.

A selector records where a passage was (``start``/``end`` into the article's
plain text) and what it said (``exact`` with ~32 characters of ``prefix`` and
``suffix``).  After the text changes, :func:`anchor` finds the passage again:

1. by position, if the quote is still there;
2. by exact quote, choosing the occurrence whose context and position fit best;
3. fuzzily (the best approximate match of the quote, scored with its context);
4. otherwise ``None``: the caller keeps the annotation as an orphan.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

CONTEXT = 32
FUZZY_MIN_SCORE = 75.0  # rapidfuzz similarity (0-100) a fuzzy match must reach


@dataclass(frozen=True)
class Selector:
    """Where a passage is (position) and what it says (quote with context)."""

    start: int
    end: int
    exact: str
    prefix: str = ""
    suffix: str = ""


def make_selector(text: str, start: int, end: int) -> Selector:
    """The selector for ``text[start:end]``; raises ValueError on an empty or out-of-range span."""
    if not 0 <= start < end <= len(text):
        raise ValueError(f"span {start}..{end} is outside the text (length {len(text)})")
    return Selector(
        start=start,
        end=end,
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT) : start],
        suffix=text[end : end + CONTEXT],
    )


def _context_score(text: str, start: int, end: int, sel: Selector) -> float:
    before = text[max(0, start - len(sel.prefix)) : start]
    after = text[end : end + len(sel.suffix)]
    score = 0.0
    if sel.prefix:
        score += Levenshtein.normalized_similarity(before, sel.prefix)
    if sel.suffix:
        score += Levenshtein.normalized_similarity(after, sel.suffix)
    return score


def _find_all(text: str, needle: str) -> list[int]:
    hits: list[int] = []
    i = text.find(needle)
    while i != -1:
        hits.append(i)
        i = text.find(needle, i + 1)
    return hits


def anchor(text: str, sel: Selector) -> tuple[int, int] | None:
    """Find the passage ``sel`` describes in ``text``; ``None`` when it is gone."""
    if not sel.exact:
        return None
    # 1. position still holds the quote
    if text[sel.start : sel.end] == sel.exact:
        return sel.start, sel.end
    # 2. exact quote elsewhere: best context, then nearest to the old position
    hits = _find_all(text, sel.exact)
    if hits:
        best = max(
            hits,
            key=lambda i: (_context_score(text, i, i + len(sel.exact), sel), -abs(i - sel.start)),
        )
        return best, best + len(sel.exact)
    # 3. fuzzy: best approximate alignment of the quote
    return _fuzzy(text, sel)


def _fuzzy(text: str, sel: Selector) -> tuple[int, int] | None:
    if len(sel.exact) < 4 or not text:
        return None
    result = fuzz.partial_ratio_alignment(sel.exact, text, score_cutoff=FUZZY_MIN_SCORE)
    if result is None:
        # the quote may have grown: try prefix+exact+suffix and trim the context back
        return None
    start, end = result.dest_start, result.dest_end
    # never return a match that is wildly longer or shorter than the quote
    if not 0.5 * len(sel.exact) <= end - start <= 1.5 * len(sel.exact):
        return None
    return start, end
