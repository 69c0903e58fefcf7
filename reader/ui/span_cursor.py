"""Stepping through spans: search hits, find matches, an entity's mentions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass
class SpanCursor:
    """Steps through a list of spans (search hits, find matches, mentions)."""

    spans: list[tuple[int, int]] = field(default_factory=list)
    current: int = -1
    kind: str = ""

    def set(self, spans: Sequence[tuple[int, int]], kind: str) -> None:
        self.spans = sorted(spans)
        self.current = -1
        self.kind = kind

    def step(self, delta: int) -> tuple[int, int] | None:
        if not self.spans:
            return None
        if self.current < 0:
            self.current = 0 if delta >= 0 else len(self.spans) - 1
        else:
            self.current = (self.current + delta) % len(self.spans)
        return self.spans[self.current]

    def first_after(self, offset: int) -> tuple[int, int] | None:
        """Jump to the first span at or after ``offset`` (or the first one)."""
        if not self.spans:
            return None
        for i, span in enumerate(self.spans):
            if span[0] >= offset:
                self.current = i
                return span
        self.current = 0
        return self.spans[0]


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch in "_"


#: inside a word (don't, Smith-Jones, 2.5): joins two word characters
JOINERS = "'’-‐.,"


def _in_word(text: str, i: int) -> bool:
    """Whether ``text[i]`` belongs to a word (a joiner counts between two word characters)."""
    if not 0 <= i < len(text):
        return False
    ch = text[i]
    if _word_char(ch):
        return True
    return ch in JOINERS and 0 < i < len(text) - 1 and _word_char(text[i - 1]) and _word_char(text[i + 1])


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """``start:end`` widened to whole words (as Kindle and Hypothesis do): a
    selection beginning or ending inside a word takes all of it.  A selection
    of spaces or punctuation only is left as it is."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    if start >= end:
        return start, end
    while start > 0 and _in_word(text, start) and _in_word(text, start - 1):
        start -= 1
    while end < len(text) and _in_word(text, end - 1) and _in_word(text, end):
        end += 1
    return start, end
