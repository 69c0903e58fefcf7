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
