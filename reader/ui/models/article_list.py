"""The article list: a table model over article ids, rows fetched lazily by id.

The model holds only the ordered ids of the current view (library order,
filtered).  Row data (:class:`reader.store.ArticleRow`) is fetched from the
library in pages of :data:`PAGE` ids the first time a row is painted and then
cached, so 50,000 articles cost one list of strings plus what is on screen
(Anki's browser works the same way).  Sorting and filtering produce a new id
list in a worker (see :mod:`reader.ui.list_controller`); ``sort()`` only asks for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication, QPalette

from reader.core.article import untitled_label
from reader.store import ArticleRow, Library
from reader.ui.models.base import leaf_flags

PAGE = 200

COL_STAR, COL_TITLE, COL_SOURCE, COL_DATE, COL_NOTES = range(5)
HEADERS = ("★", "Title", "Source", "Date", "✎")
SORT_KEYS = {COL_TITLE: "title", COL_SOURCE: "source", COL_DATE: "date"}

ID_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex


#: the date column of an article without a publication date
UNDATED = "undated"


def display_date(sort_date: str | None) -> str:
    if not sort_date:
        return ""
    try:
        value = datetime.fromisoformat(sort_date)
    except ValueError:
        return sort_date[:10]
    return f"{value.day} {value.strftime('%b')} {value.year}"


class ArticleListModel(QAbstractTableModel):
    """Table of articles (star, title, source, date, notes) over a list of ids."""

    sort_requested = Signal(str, bool)  # key (date|title|source), descending

    def __init__(self, library: Library, parent: object | None = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self._library = library
        self._ids: list[str] = []
        self._pos: dict[str, int] | None = None  # id -> row, built at the second lookup
        self._lookups = 0
        self._cache: dict[str, ArticleRow] = {}
        self._bold = QFont()
        self._bold.setBold(True)
        self.fetches = 0  # pages fetched (tests, benchmarks)

    # ---- content -----------------------------------------------------
    def set_library(self, library: Library) -> None:
        self._library = library
        self.set_ids([])

    def set_ids(self, ids: Sequence[str]) -> None:
        self.beginResetModel()
        self._ids = list(ids)
        self._pos = None
        self._lookups = 0
        self._cache.clear()
        self.endResetModel()

    def ids(self) -> list[str]:
        return list(self._ids)

    def id_at(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, article_id: str) -> int:
        if self._pos is None:
            if not self._lookups:  # often the only one (the first article): a C-speed scan
                self._lookups = 1
                try:
                    return self._ids.index(article_id)
                except ValueError:
                    return -1
            self._pos = {aid: i for i, aid in enumerate(self._ids)}
        return self._pos.get(article_id, -1)

    def article_row(self, row: int) -> ArticleRow | None:
        aid = self.id_at(row)
        if aid is None:
            return None
        cached = self._cache.get(aid)
        if cached is None:
            self._fetch_page(row)
            cached = self._cache.get(aid)
        return cached

    def _fetch_page(self, row: int) -> None:
        start = (row // PAGE) * PAGE
        page = [i for i in self._ids[start : start + PAGE] if i not in self._cache]
        if page:
            self._cache.update(self._library.rows(page))
            self.fetches += 1

    def refresh_ids(self, ids: Iterable[str]) -> None:
        """Re-read the given articles' rows (bookmark, notes, read state changed)."""
        for aid in ids:
            row = self.row_of(aid)
            if row < 0:
                continue
            self._cache.pop(aid, None)
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def remove_ids(self, ids: Iterable[str]) -> None:
        """Remove rows (after a delete) without a reset, keeping the selection elsewhere."""
        rows = sorted((self.row_of(aid) for aid in ids), reverse=True)
        for row in rows:
            if row < 0:
                continue
            self.beginRemoveRows(QModelIndex(), row, row)
            aid = self._ids.pop(row)
            self._cache.pop(aid, None)
            self._pos = None
            self.endRemoveRows()

    # ---- Qt model API ------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return ("Bookmarked (click a star to toggle)", "Title", "Source", "Published", "Number of notes")[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return leaf_flags(index)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == ID_ROLE:
            return self._ids[index.row()]
        row = self.article_row(index.row())
        if row is None:
            return None
        col = index.column()
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_STAR:
                return "★" if row.bookmarked else "☆"
            if col == COL_TITLE:
                return row.title or untitled_label(row.source, row.sort_date)
            if col == COL_SOURCE:
                return row.source
            if col == COL_DATE:
                return display_date(row.sort_date) if row.sort_date else UNDATED
            if col == COL_NOTES:
                return str(row.note_count) if row.note_count else ""
        elif role == Qt.ItemDataRole.ForegroundRole:
            if col == COL_DATE and not row.sort_date:
                return QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        elif role == Qt.ItemDataRole.FontRole:
            return None if row.is_read else self._bold
        elif role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_STAR:
                return "Bookmarked - click to remove" if row.bookmarked else "Click to bookmark"
            if col == COL_TITLE:
                return row.title or untitled_label(row.source, row.sort_date)
            if col == COL_NOTES and row.note_count:
                return f"{row.note_count} note(s)"
            if col == COL_DATE and not row.sort_date:
                return "No publication date in the file (Article > Edit details… sets one; search is:undated)"
        elif role == Qt.ItemDataRole.TextAlignmentRole:
            if col in (COL_STAR, COL_NOTES):
                return int(Qt.AlignmentFlag.AlignCenter)
        elif role == Qt.ItemDataRole.AccessibleTextRole and col == COL_STAR:
            return "bookmarked" if row.bookmarked else "not bookmarked"
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS.get(column)
        if key is None:
            return
        self.sort_requested.emit(key, order == Qt.SortOrder.DescendingOrder)
