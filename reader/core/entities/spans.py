"""The entity span type, the label set and helpers shared by every backend."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

#: All labels, in the order the UI lists them.
LABELS: tuple[str, ...] = (
    "PERSON",
    "ORG",
    "PLACE",
    "FACILITY",
    "NORP",
    "EVENT",
    "DATE",
    "TIME",
    "MONEY",
    "PERCENT",
    "QUANTITY",
    "PRODUCT",
    "LAW",
    "WORK",
    "LANGUAGE",
)

#: Labels naming a thing (as opposed to a value: a date, an amount).
NAME_LABELS = frozenset({"PERSON", "ORG", "PLACE", "FACILITY", "NORP", "EVENT", "PRODUCT", "LAW", "WORK", "LANGUAGE"})
#: Labels of values that the pattern rules find precisely.
VALUE_LABELS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY"})


@dataclass(frozen=True)
class Span:
    """One entity mention: ``text == source[start:end]``; ``norm`` is the
    canonical form used to group mentions (``"Pistorius"`` -> ``"Boris Pistorius"``)."""

    start: int
    end: int
    label: str
    text: str
    norm: str

    def __len__(self) -> int:
        return self.end - self.start


_WS = re.compile(r"\s+")
_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$")


def normalise(text: str) -> str:
    """Collapse whitespace, drop a possessive ``'s`` and a leading ``the``."""
    norm = _WS.sub(" ", text).strip()
    norm = _POSSESSIVE.sub("", norm)
    if norm[:4].lower() == "the " and len(norm) > 4:
        norm = norm[4:]
    return norm


def make_span(text: str, start: int, end: int, label: str, norm: str | None = None) -> Span:
    """A :class:`Span` over ``text[start:end]`` (norm computed unless given)."""
    surface = text[start:end]
    return Span(start, end, label, surface, norm if norm is not None else normalise(surface))


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` past surrounding whitespace/quotes and a trailing possessive."""
    while start < end and (text[start].isspace() or text[start] in "\"“”'‘’([{"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in '"“”‘’,;:)]}'):
        end -= 1
    if end - start > 2 and text[end - 2] in "'’" and text[end - 1] == "s":
        end -= 2
    return start, end


def non_overlapping(spans: Iterable[Span]) -> list[Span]:
    """Sorted spans with overlaps removed (the earlier, then longer, span wins)."""
    out: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if span.end <= span.start:
            continue
        if out and span.start < out[-1].end:
            continue
        out.append(span)
    return out
