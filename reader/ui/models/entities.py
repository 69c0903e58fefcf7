"""Entity models: the current article's entities grouped by type (a tree), and
the library's most mentioned entities (a table)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QAbstractItemModel, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from reader.store import EntitySpan
from reader.ui.models.base import leaf_flags

_Index = QModelIndex | QPersistentModelIndex

LABEL_ROLE = Qt.ItemDataRole.UserRole + 1
NORM_ROLE = Qt.ItemDataRole.UserRole + 2
MENTIONS_ROLE = Qt.ItemDataRole.UserRole + 3

# display order of types; unknown labels follow alphabetically
LABEL_ORDER = ("PERSON", "ORG", "PLACE", "GPE", "LOC", "FACILITY", "NORP", "EVENT", "PRODUCT", "LAW", "WORK",
               "DATE", "TIME", "MONEY", "PERCENT", "QUANTITY")


def _label_key(label: str) -> tuple[int, str]:
    return (LABEL_ORDER.index(label) if label in LABEL_ORDER else len(LABEL_ORDER), label)


@dataclass
class EntityGroup:
    """Mentions of one entity (by normalised name) in the article."""

    label: str
    norm: str
    mentions: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class LabelGroup:
    label: str
    entities: list[EntityGroup] = field(default_factory=list)

    @property
    def mention_count(self) -> int:
        return sum(len(e.mentions) for e in self.entities)


def group_spans(spans: Sequence[EntitySpan]) -> list[LabelGroup]:
    by_label: dict[str, dict[str, EntityGroup]] = {}
    for span in spans:
        norm = span.norm or span.text
        group = by_label.setdefault(span.label, {}).setdefault(norm, EntityGroup(span.label, norm))
        group.mentions.append((span.start, span.end))
    out = []
    for label in sorted(by_label, key=_label_key):
        entities = sorted(by_label[label].values(), key=lambda e: (-len(e.mentions), e.norm.lower()))
        out.append(LabelGroup(label, entities))
    return out


class ArticleEntitiesModel(QAbstractItemModel):
    """Two levels: entity types, then entities with their mention counts."""

    def __init__(self, parent: object | None = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self._groups: list[LabelGroup] = []

    def set_spans(self, spans: Sequence[EntitySpan]) -> None:
        self.beginResetModel()
        self._groups = group_spans(spans)
        self.endResetModel()

    def groups(self) -> list[LabelGroup]:
        return list(self._groups)

    def labels(self) -> list[str]:
        return [g.label for g in self._groups]

    def find(self, label: str, norm: str) -> QModelIndex:
        for gi, group in enumerate(self._groups):
            if group.label == label:
                for ei, ent in enumerate(group.entities):
                    if ent.norm == norm:
                        return self.index(ei, 0, self.index(gi, 0))
        return QModelIndex()

    # -- structure: internalId 0 = top level, gi + 1 = child of group gi
    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:
        if column not in (0, 1) or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0) if row < len(self._groups) else QModelIndex()
        if parent.internalId() != 0 or parent.column() != 0:
            return QModelIndex()
        gi = parent.row()
        if gi >= len(self._groups) or row >= len(self._groups[gi].entities):
            return QModelIndex()
        return self.createIndex(row, column, gi + 1)

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == 0 and parent.column() == 0 and parent.row() < len(self._groups):
            return len(self._groups[parent.row()].entities)
        return 0

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 2

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and section in (0, 1):
            return ("Entity", "Mentions")[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        from reader.ui.theme import entity_colour, entity_name, is_dark

        if index.internalId() == 0:
            if index.row() >= len(self._groups):
                return None
            group = self._groups[index.row()]
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{entity_name(group.label)} ({len(group.entities)})" if index.column() == 0 else str(
                    group.mention_count)
            if role == LABEL_ROLE:
                return group.label
            if role == Qt.ItemDataRole.DecorationRole and index.column() == 0:
                return entity_colour(group.label, is_dark())
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{entity_name(group.label)} ({group.label}): {group.mention_count} mention(s)"
            return None
        gi = index.internalId() - 1
        if gi >= len(self._groups) or index.row() >= len(self._groups[gi].entities):
            return None
        ent = self._groups[gi].entities[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return ent.norm if index.column() == 0 else str(len(ent.mentions))
        if role == LABEL_ROLE:
            return ent.label
        if role == NORM_ROLE:
            return ent.norm
        if role == MENTIONS_ROLE:
            return list(ent.mentions)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{ent.norm} - {entity_name(ent.label)}, {len(ent.mentions)} mention(s)"
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class TopEntitiesModel(QAbstractTableModel):
    """The library's most mentioned entities: type, name, number of articles."""

    def __init__(self, parent: object | None = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self._rows: list[tuple[str, str, int]] = []

    def set_rows(self, rows: Sequence[tuple[str, str, int]]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def entry(self, row: int) -> tuple[str, str, int] | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else 3

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < 3:
            return ("Type", "Name", "Articles")[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return leaf_flags(index)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        from reader.ui.theme import entity_colour, entity_name, is_dark

        label, norm, count = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (entity_name(label), norm, str(count))[col] if 0 <= col < 3 else None
        if role == LABEL_ROLE:
            return label
        if role == NORM_ROLE:
            return norm
        if role == Qt.ItemDataRole.DecorationRole and col == 0:
            return entity_colour(label, is_dark())
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{norm} ({entity_name(label)}) is mentioned in {count} article(s); double-click to filter the list"
        return None
