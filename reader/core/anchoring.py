"""Annotation anchoring: W3C-style text-position + text-quote selectors.

A selector records where a passage was (``start``/``end`` into the article's
plain text) and what it said (``exact`` with ~32 characters of ``prefix`` and
``suffix``).  After the text changes, :func:`anchor` finds the passage again:

1. by position, if the quote is still there;
2. by exact quote, choosing the occurrence whose context and position fit best;
3. fuzzily: approximate matches of the quote near its old position, where its
   context now is, and anywhere in the text, each scored by how well the quote
   *and* its context match (an exact copy elsewhere with the wrong context
   loses against a slightly edited copy in the right place);
4. otherwise ``None``: the caller keeps the annotation as an orphan.

Fuzzy search only ever aligns needles of at most :data:`PROBE` characters
(rapidfuzz's bit-parallel fast path), so a long quote in a long text costs
milliseconds: a long quote is found by its head and its tail.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

CONTEXT = 32
FUZZY_MIN_SCORE = 75.0  # rapidfuzz similarity (0-100) a fuzzy match must reach
SHORT_QUOTE = 20  # quotes shorter than this also need their context to be placed elsewhere
PROBE = 64  # longest needle handed to rapidfuzz's partial alignment
MAX_EXACT_HITS = 1000
EXACT_BONUS = 0.5  # score bonus (per context side) of an exact copy over near matches  # occurrences of a very common quote scored (the nearest ones)


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


def anchor(text: str, sel: Selector) -> tuple[int, int] | None:
    """Find the passage ``sel`` describes in ``text``; ``None`` when it is gone.

    The result, when not ``None``, is a non-empty span inside ``text``.  Never
    raises on well-typed input, however odd (negative or huge positions, a
    quote longer than the text, empty strings).
    """
    exact = sel.exact
    if not exact or not text:
        return None
    n = len(exact)
    old = min(max(int(sel.start), 0), len(text))
    # 1. the position still holds the quote
    if 0 <= sel.start and sel.start + n <= len(text) and text[sel.start : sel.start + n] == exact:
        return sel.start, sel.start + n
    # 2. the exact quote elsewhere: best context, then nearest to the old position
    best_exact: tuple[int, int] | None = None
    hits = _find_all(text, exact)
    if hits:
        hits.sort(key=lambda i: abs(i - old))
        hits = hits[:MAX_EXACT_HITS]
        best = max(hits, key=lambda i: (_context(text, i, i + n, sel), -abs(i - old)))
        ctx = _context(text, best, best + n, sel)
        top = _context_max(sel)
        if top == 0 or ctx >= 0.9 * top:
            return best, best + n
        # a unique copy is taken even out of context; of several short copies,
        # one without its context is a guess (the passage may be gone)
        if n >= SHORT_QUOTE or len(hits) == 1 or ctx >= 0.5 * top:
            best_exact = (best, best + n)
    # 3. fuzzy candidates (plus the exact one with poor context), scored alike
    candidates = _fuzzy_candidates(text, sel, old)
    if best_exact is not None:
        candidates.append(best_exact)
    best_span: tuple[int, int] | None = None
    best_key = (float("-inf"), 0)
    for s, e in dict.fromkeys(candidates):
        total, quote, ctx = _score(text, s, e, sel)
        if (s, e) == best_exact:
            # the exact words are trusted unless a near match sits clearly better in context
            total += EXACT_BONUS * _context_max(sel)
        elif not _acceptable(s, e, quote, ctx, sel):
            continue
        key = (total, -abs(s - old))
        if key > best_key:
            best_span, best_key = (s, e), key
    return best_span


# ---- scoring -----------------------------------------------------------
def _context(text: str, start: int, end: int, sel: Selector) -> float:
    """How well the text around ``start:end`` matches the selector's context (0..2)."""
    score = 0.0
    if sel.prefix:
        before = text[max(0, start - len(sel.prefix)) : start]
        score += Levenshtein.normalized_similarity(before, sel.prefix)
    if sel.suffix:
        after = text[end : end + len(sel.suffix)]
        score += Levenshtein.normalized_similarity(after, sel.suffix)
    return score


def _context_max(sel: Selector) -> float:
    return float(bool(sel.prefix)) + float(bool(sel.suffix))


def _score(text: str, start: int, end: int, sel: Selector) -> tuple[float, float, float]:
    """(total, quote similarity 0..1, context 0..2) of a candidate span."""
    quote = fuzz.ratio(text[start:end], sel.exact) / 100.0
    ctx = _context(text, start, end, sel)
    return 2.0 * quote + ctx, quote, ctx


def _acceptable(start: int, end: int, quote: float, ctx: float, sel: Selector) -> bool:
    n = len(sel.exact)
    if not 0.5 * n <= end - start <= 1.5 * n:
        return False  # never a match wildly longer or shorter than the quote
    if quote * 100.0 < FUZZY_MIN_SCORE:
        return False
    top = _context_max(sel)
    # a short quote is too easily found by chance: it must also sit in its context
    return n >= SHORT_QUOTE or top == 0 or ctx >= 0.5 * top


def _find_all(text: str, needle: str) -> list[int]:
    hits: list[int] = []
    i = text.find(needle)
    while i != -1:
        hits.append(i)
        i = text.find(needle, i + 1)
    return hits


# ---- fuzzy search ------------------------------------------------------
def _fuzzy_candidates(text: str, sel: Selector, old: int) -> list[tuple[int, int]]:
    """Approximate spans for the quote: near its old place, by its context, anywhere."""
    n = len(sel.exact)
    if n < 4:
        return []
    margin = max(256, 2 * n)
    regions = [(max(0, old - margin), min(len(text), old + n + margin))]
    if regions[0] != (0, len(text)):
        regions.append((0, len(text)))
    found: list[tuple[int, int]] = []
    for lo, hi in regions:
        span = _locate(text, sel.exact, lo, hi)
        if span is not None:
            found.append(_refine(text, *span, sel))
    by_context = _locate_by_context(text, sel)
    if by_context is not None:
        found.append(_refine(text, *by_context, sel))
    return [(s, e) for s, e in found if 0 <= s < e <= len(text)]


def _align(needle: str, text: str, lo: int, hi: int) -> tuple[int, int, int, int] | None:
    """Best approximate place of ``needle`` in ``text[lo:hi]``: (src_start, src_end, dest_start, dest_end)."""
    if lo >= hi:
        return None
    r = fuzz.partial_ratio_alignment(needle, text[lo:hi], score_cutoff=FUZZY_MIN_SCORE)
    if r is None:
        return None
    return r.src_start, r.src_end, lo + r.dest_start, lo + r.dest_end


def _locate(text: str, exact: str, lo: int, hi: int) -> tuple[int, int] | None:
    """A rough span for ``exact`` in ``text[lo:hi]`` (refined by :func:`_refine`)."""
    n = len(exact)
    if n <= PROBE:
        hit = _align(exact, text, lo, hi)
        return None if hit is None else (hit[2] - hit[0], hit[3] + (n - hit[1]))
    # long quote: find the head, then the tail where it should be (or the tail alone)
    head, tail = exact[:PROBE], exact[-PROBE:]
    h = _align(head, text, lo, hi)
    if h is not None:
        start = h[2] - h[0]
        t = _align(tail, text, max(lo, start + n // 2), min(hi, start + n + n // 2 + PROBE))
        end = t[3] + (PROBE - t[1]) if t is not None else start + n
        return start, end
    t = _align(tail, text, lo, hi)
    if t is None:
        return None
    end = t[3] + (PROBE - t[1])
    return end - n, end


def _locate_by_context(text: str, sel: Selector) -> tuple[int, int] | None:
    """Where the quote's context now is: align prefix + quote + suffix (short quotes only)."""
    n = len(sel.exact)
    if n > PROBE or not (sel.prefix or sel.suffix):
        return None
    room = 2 * PROBE - n
    prefix = sel.prefix[-(room // 2) :] if room >= 2 else ""
    suffix = sel.suffix[: room - len(prefix)] if room > len(prefix) else ""
    needle = prefix + sel.exact + suffix
    hit = _align(needle, text, 0, len(text))
    if hit is None:
        return None
    # where the needle's start lands, shifted to the quote's start
    start = hit[2] - hit[0] + len(prefix)
    return _locate(text, sel.exact, max(0, start - CONTEXT), min(len(text), start + n + CONTEXT))


def _refine(text: str, start: int, end: int, sel: Selector) -> tuple[int, int]:
    """Move each end of a rough span to where quote and context fit best.

    Each boundary is judged by the nearest :data:`PROBE` characters of the
    quote plus the context beyond it, so the cost does not grow with the quote.
    """
    exact = sel.exact
    n = len(exact)
    size = len(text)
    slack = max(4, min(PROBE, n // 4))
    h = min(n, PROBE)
    head, tail = exact[:h], exact[-h:]

    def start_cost(s: int) -> tuple[int, int]:
        cost = Levenshtein.distance(text[s : s + h], head)
        if sel.prefix:
            cost += Levenshtein.distance(text[max(0, s - len(sel.prefix)) : s], sel.prefix)
        return cost, abs(s - start)

    def end_cost(e: int) -> tuple[int, int]:
        cost = Levenshtein.distance(text[max(0, e - h) : e], tail)
        if sel.suffix:
            cost += Levenshtein.distance(text[e : e + len(sel.suffix)], sel.suffix)
        return cost, abs(e - end)

    start = max(0, min(start, size))
    end = max(0, min(end, size))
    new_start = min(range(max(0, start - slack), min(size, start + slack) + 1), key=start_cost)
    new_end = min(range(max(0, end - slack), min(size, end + slack) + 1), key=end_cost)
    if new_start < new_end:
        return new_start, new_end
    return (start, end) if start < end else (start, min(size, start + n))
