"""Search results as a list model of frozen hits (title, source, date, snippet)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from reader.ui.models.base import ID_ROLE, HitListModel, Index

__all__ = ["ID_ROLE", "META_ROLE", "SNIPPET_ROLE", "SearchResultsModel", "hit_meta"]

SNIPPET_ROLE = Qt.ItemDataRole.UserRole + 3
META_ROLE = Qt.ItemDataRole.UserRole + 4


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


class SearchResultsModel(HitListModel):
    """The hits of the current query (objects with id, title, source, published, snippet)."""

    def __init__(self, parent: object | None = None) -> None:
        super().__init__(parent)
        self.query = ""
        self.total = 0

    def set_hits(self, query: str, hits: Sequence[Any], total: int) -> None:
        """Show ``hits``; when they are the same query's next page (the rows
        shown, then more) only the new rows are added, so the selection and
        the scroll position stay."""
        old = [h.id for h in self._hits]
        if (query and query == self.query and len(hits) > len(old)
                and [h.id for h in hits[:len(old)]] == old):
            self.total = total
            self.beginInsertRows(QModelIndex(), len(old), len(hits) - 1)
            self._hits.extend(hits[len(old):])
            self.endInsertRows()
            return
        self.query = query
        self.total = total
        self._reset(hits)

    def has_more(self) -> bool:
        """Whether the query found more articles than the rows shown."""
        return self.total > len(self._hits)

    def clear(self) -> None:
        self.set_hits("", [], 0)

    def ids(self) -> list[str]:
        return [h.id for h in self._hits]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        hit = self.hit_at(index)
        if hit is None:
            return None
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
