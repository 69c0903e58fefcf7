"""Annotations for the notes panel: a list model of frozen
:class:`~reader.store.library.Annotation` rows, and a filter/sort proxy
(colour, tag, text; by position or newest first)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor, QFont, QIcon

from reader.store.library import Annotation
from reader.ui.models.base import leaf_flags
from reader.ui.panels.swatches import colour_icon
from reader.ui.theme import annotation_label

ID_ROLE = Qt.ItemDataRole.UserRole + 1
ANNOTATION_ROLE = Qt.ItemDataRole.UserRole + 2
COLOUR_ROLE = Qt.ItemDataRole.UserRole + 3
TAGS_ROLE = Qt.ItemDataRole.UserRole + 4
ORPHAN_ROLE = Qt.ItemDataRole.UserRole + 5
_Index = QModelIndex | QPersistentModelIndex

ORPHAN_MARK = "⚠ Could not be placed in the current text"
QUOTE_CHARS = 160
NOTE_CHARS = 200


def _short(text: str, limit: int) -> str:
    text = " ¶ ".join(part.strip() for part in text.split("\n") if part.strip())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


QUOTE_MARKS = "\"'“”„‟«»‹›‘’‚‛「」『』"


def quoted(text: str) -> str:
    """``text`` in curly quotes, unless it already begins and ends with quotation marks."""
    stripped = text.strip()
    if len(stripped) >= 2 and stripped[0] in QUOTE_MARKS and stripped[-1] in QUOTE_MARKS:
        return stripped
    return f"“{text}”"


def annotation_summary(ann: Annotation, *, with_article: bool) -> str:
    """The lines a panel row shows: (article,) orphan mark, quote, note, tags."""
    lines = []
    if with_article:
        lines.append(ann.article_title or "(untitled article)")
    if ann.orphan:
        lines.append(ORPHAN_MARK)
    lines.append(quoted(_short(ann.exact, QUOTE_CHARS)))
    if ann.note.strip():
        lines.append(f"✎ {_short(ann.note, NOTE_CHARS)}")
    if ann.tags:
        lines.append(" ".join(f"#{t}" for t in ann.tags))
    return "\n".join(lines)


def annotation_tooltip(ann: Annotation) -> str:
    parts = [annotation_label(ann.colour)]
    if ann.orphan:
        parts.append("Could not be placed: the article's text changed or the article was deleted.")
    parts.append(quoted(ann.exact))
    if ann.note.strip():
        parts.append(f"Note: {ann.note.strip()}")
    if ann.tags:
        parts.append("Tags: " + ", ".join(ann.tags))
    if ann.created:
        parts.append(f"Created {ann.created}" + (f", changed {ann.updated}" if ann.updated != ann.created else ""))
    return "\n".join(parts)


class AnnotationListModel(QAbstractListModel):
    """One row per annotation; rows are replaced as a whole (reset) when the notes change."""

    def __init__(self, parent: object | None = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self._rows: list[Annotation] = []
        self._with_article = False
        self._dark = False
        self._icons: dict[str, QIcon] = {}

    def set_annotations(self, annotations: Sequence[Annotation], *, with_article: bool = False) -> None:
        self.beginResetModel()
        self._rows = list(annotations)
        self._with_article = with_article
        self.endResetModel()

    def set_dark(self, dark: bool) -> None:
        self._dark = dark
        self._icons.clear()
        if self._rows:
            self.dataChanged.emit(self.index(0), self.index(len(self._rows) - 1), [Qt.ItemDataRole.DecorationRole])

    def annotation_at(self, row: int) -> Annotation | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, annotation_id: str) -> int:
        return next((i for i, a in enumerate(self._rows) if a.id == annotation_id), -1)

    def annotations(self) -> list[Annotation]:
        return list(self._rows)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return leaf_flags(index)

    def _icon(self, colour: str) -> QIcon:
        icon = self._icons.get(colour)
        if icon is None:
            icon = self._icons[colour] = colour_icon(colour, self._dark)
        return icon

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        ann = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return annotation_summary(ann, with_article=self._with_article)
        if role == Qt.ItemDataRole.ToolTipRole:
            return annotation_tooltip(ann)
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon(ann.colour)
        if role == Qt.ItemDataRole.FontRole and ann.orphan:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and ann.orphan:
            return QColor("#b35c00" if not self._dark else "#ffb86b")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{annotation_label(ann.colour)}. {annotation_summary(ann, with_article=self._with_article)}"
        if role == ID_ROLE:
            return ann.id
        if role == ANNOTATION_ROLE:
            return ann
        if role == COLOUR_ROLE:
            return ann.colour
        if role == TAGS_ROLE:
            return list(ann.tags)
        if role == ORPHAN_ROLE:
            return ann.orphan
        return None


SORTS = ("position", "date")


class AnnotationFilterModel(QSortFilterProxyModel):
    """Filters by colour, tag and text (quote, note, tags, article title); sorts
    by position in the article (orphans last) or newest first."""

    def __init__(self, parent: object | None = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self._colour = ""
        self._tag = ""
        self._text = ""
        self._sort = "position"
        self.setDynamicSortFilter(True)
        self.sort(0)

    def _set_filter(self, name: str, value: str) -> None:
        if getattr(self, name) == value:
            return
        self.beginFilterChange()  # Qt 6.9+: the successor of invalidateFilter()
        setattr(self, name, value)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_colour(self, colour: str) -> None:
        self._set_filter("_colour", colour)

    def set_tag(self, tag: str) -> None:
        self._set_filter("_tag", tag)

    def set_text(self, text: str) -> None:
        self._set_filter("_text", text.casefold().strip())

    def set_sort(self, sort: str) -> None:
        if sort not in SORTS:
            raise ValueError(f"unknown sort {sort!r}")
        self._sort = sort
        self.invalidate()
        self.sort(0, Qt.SortOrder.DescendingOrder if sort == "date" else Qt.SortOrder.AscendingOrder)

    @property
    def sort_mode(self) -> str:
        return self._sort

    def annotation_at(self, row: int) -> Annotation | None:
        ann = self.index(row, 0).data(ANNOTATION_ROLE)
        return ann if isinstance(ann, Annotation) else None

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:  # noqa: N802
        ann = self.sourceModel().index(source_row, 0, source_parent).data(ANNOTATION_ROLE)
        if not isinstance(ann, Annotation):
            return False
        if self._colour and ann.colour != self._colour:
            return False
        if self._tag and self._tag not in ann.tags:
            return False
        if self._text:
            hay = "\n".join((ann.exact, ann.note, " ".join(ann.tags), ann.article_title)).casefold()
            if self._text not in hay:
                return False
        return True

    def _key(self, index: _Index) -> tuple:
        ann = index.data(ANNOTATION_ROLE)
        if not isinstance(ann, Annotation):
            return ()
        if self._sort == "date":
            return (ann.created, ann.id)  # sorted descending: newest first
        return (ann.article_title.casefold(), ann.article_id, ann.orphan, ann.start, ann.end, ann.id)

    def lessThan(self, left: _Index, right: _Index) -> bool:  # noqa: N802
        return self._key(left) < self._key(right)
