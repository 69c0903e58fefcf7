"""Python str offsets <-> Qt (UTF-16 code unit) positions.

Python indexes text by code point, Qt by UTF-16 code unit: the two differ after
every character outside the Basic Multilingual Plane (emoji, some CJK), which
takes two UTF-16 units.  Every offset that crosses into Qt goes through a
:class:`TextMap` built once per article; for pure-BMP text it is the identity.
"""

from __future__ import annotations

from bisect import bisect_left


class TextMap:
    """Offset conversion for one text."""

    __slots__ = ("_astral", "_astral_qt", "length", "qt_length")

    def __init__(self, text: str) -> None:
        # code point indices of astral characters, and their Qt positions
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF] if not text.isascii() else []
        self._astral_qt = [i + n for n, i in enumerate(self._astral)]
        self.length = len(text)
        self.qt_length = self.length + len(self._astral)

    @property
    def is_identity(self) -> bool:
        return not self._astral

    def to_qt(self, offset: int) -> int:
        """Python offset -> Qt position."""
        if not self._astral:
            return offset
        return offset + bisect_left(self._astral, offset)

    def to_py(self, position: int) -> int:
        """Qt position -> Python offset (a position inside a surrogate pair maps to its character)."""
        if not self._astral:
            return position
        # number of astral characters that start strictly before ``position``
        n = bisect_left(self._astral_qt, position)
        offset = position - n
        return offset

    def span_to_qt(self, start: int, end: int) -> tuple[int, int]:
        return self.to_qt(start), self.to_qt(end)

    def span_to_py(self, start: int, end: int) -> tuple[int, int]:
        return self.to_py(start), self.to_py(end)


def qt_length(text: str) -> int:
    """The length of ``text`` in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2

