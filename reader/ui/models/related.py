"""Related articles (from ``SearchIndex.related``) with the reasons they are related."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt

from reader.ui.models.base import ID_ROLE, HitListModel, Index

__all__ = ["ID_ROLE", "RelatedModel", "reasons_text"]


def reasons_text(hit: Any) -> str:
    reasons = getattr(hit, "reasons", ()) or ()
    if isinstance(reasons, str):
        return reasons
    return ", ".join(str(r) for r in reasons)


class RelatedModel(HitListModel):
    """Rows of related hits: title on the first line, reasons on the second."""

    def set_hits(self, hits: Sequence[Any]) -> None:
        self._reset(hits)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        hit = self.hit_at(index)
        if hit is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            reasons = reasons_text(hit)
            return f"{hit.title}\n{reasons}" if reasons else hit.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{hit.title}\nRelated because: {reasons_text(hit) or 'similar words'}\nScore {float(hit.score):.2f}"
        if role == ID_ROLE:
            return hit.id
        return None
