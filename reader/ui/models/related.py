"""Related articles (from ``SearchIndex.related``) with the reasons they are related."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

ID_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex


def reasons_text(hit: Any) -> str:
    reasons = getattr(hit, "reasons", ()) or ()
    if isinstance(reasons, str):
        return reasons
    return ", ".join(str(r) for r in reasons)


class RelatedModel(QAbstractListModel):
    """Rows of related hits: title on the first line, reasons on the second."""

    def __init__(self, parent: object | None = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self._hits: list[Any] = []

    def set_hits(self, hits: Sequence[Any]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def hit(self, row: int) -> Any | None:
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._hits)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            reasons = reasons_text(hit)
            return f"{hit.title}\n{reasons}" if reasons else hit.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{hit.title}\nRelated because: {reasons_text(hit) or 'similar words'}\nScore {float(hit.score):.2f}"
        if role == ID_ROLE:
            return hit.id
        return None
