"""What the list models share: read-only leaf rows, and a flat list of frozen hits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the article id of a row, in every model that has one
LEAF_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


def leaf_flags(index: Index) -> Qt.ItemFlag:
    """Flags of a selectable, read-only row without children (every model here)."""
    return LEAF_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags


class HitListModel(QAbstractListModel):
    """A flat list of frozen hit objects (search results, related articles)."""

    def __init__(self, parent: object | None = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self._hits: list[Any] = []

    def _reset(self, hits: Sequence[Any]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def hit(self, row: int) -> Any | None:
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def hit_at(self, index: Index) -> Any | None:
        return self.hit(index.row()) if index.isValid() else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._hits)

    def flags(self, index: Index) -> Qt.ItemFlag:
        return leaf_flags(index)
