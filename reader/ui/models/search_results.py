"""Search results as a list model of frozen hits (title, source, date, snippet)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

ID_ROLE = Qt.ItemDataRole.UserRole + 1
SNIPPET_ROLE = Qt.ItemDataRole.UserRole + 3
META_ROLE = Qt.ItemDataRole.UserRole + 4

_Index = QModelIndex | QPersistentModelIndex


def hit_meta(hit: Any) -> str:
    parts = []
    source = getattr(hit, "source", "") or ""
    if source:
        parts.append(source)
    published = getattr(hit, "published", None)
    if published is not None:
        try:
            parts.append(f"{published.day} {published.strftime('%b')} {published.year}")
        except AttributeError:
            parts.append(str(published)[:10])
    return " · ".join(parts)


class SearchResultsModel(QAbstractListModel):
    """The hits of the current query (objects with id, title, source, published, snippet)."""

    def __init__(self, parent: object | None = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self._hits: list[Any] = []
        self.query = ""
        self.total = 0

    def set_hits(self, query: str, hits: Sequence[Any], total: int) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self.query = query
        self.total = total
        self.endResetModel()

    def clear(self) -> None:
        self.set_hits("", [], 0)

    def hit(self, row: int) -> Any | None:
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def ids(self) -> list[str]:
        return [h.id for h in self._hits]

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
            return hit.title
        if role == ID_ROLE:
            return hit.id
        if role == SNIPPET_ROLE:
            return getattr(hit, "snippet", "") or ""
        if role == META_ROLE:
            return hit_meta(hit)
        if role == Qt.ItemDataRole.ToolTipRole:
            return hit.title
        return None
