"""The left pane: the library table (with quick filter and filters) and the
search results list, stacked; each with its empty state."""

from __future__ import annotations

import html

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reader.store import Library
from reader.ui.events import ListMode
from reader.ui.models.article_list import (
    COL_DATE,
    COL_NOTES,
    COL_SOURCE,
    COL_STAR,
    COL_TITLE,
    ID_ROLE,
    ArticleListModel,
)
from reader.ui.models.search_results import ID_ROLE as HIT_ID_ROLE
from reader.ui.models.search_results import SearchResultsModel
from reader.ui.views.reader_pane import ElidedLabel
from reader.ui.views.result_delegate import ResultDelegate

FILTERS = ("All articles", "Unread", "Bookmarked", "With notes")
EMPTY_LIBRARY = "No articles yet — import some (Ctrl+O)\n\nor drop files and folders here."


def _empty_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("emptyState")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    return label


class ListPane(QStackedWidget):
    """Library table (page 0) and search results (page 1)."""

    article_selected = Signal(str)
    star_clicked = Signal(str)
    filters_changed = Signal()
    clear_scope_requested = Signal()
    result_selected = Signal(str)
    suggestion_clicked = Signal(str)
    result_sort_changed = Signal(str)
    #: the results list was scrolled to its end and the query found more
    more_results_requested = Signal()

    def __init__(self, library: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("listPane")
        # ---- library page
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        row = QHBoxLayout()
        row.setContentsMargins(4, 4, 4, 0)
        self.quick_filter = QLineEdit()
        self.quick_filter.setObjectName("quickFilter")
        self.quick_filter.setPlaceholderText("Filter by title or source")
        self.quick_filter.setClearButtonEnabled(True)
        self.filter_combo = QComboBox()
        self.filter_combo.addItems(FILTERS)
        self.tag_combo = QComboBox()
        self.tag_combo.addItem("Any tag", "")
        row.addWidget(self.quick_filter, 1)
        row.addWidget(self.filter_combo)
        row.addWidget(self.tag_combo)
        layout.addLayout(row)
        scope_row = QHBoxLayout()
        scope_row.setContentsMargins(6, 0, 4, 0)
        self.scope_label = QLabel("")
        self.scope_clear = QToolButton(text="✕")
        self.scope_clear.setToolTip("Show all articles again")
        scope_row.addWidget(self.scope_label, 1)
        scope_row.addWidget(self.scope_clear)
        self.scope_widget = QWidget()
        self.scope_widget.setLayout(scope_row)
        self.scope_widget.hide()
        layout.addWidget(self.scope_widget)
        self.model = ArticleListModel(library, self)
        self.table = QTableView()
        self.table.setObjectName("articleTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        # The title takes all the room the other columns leave: they are as
        # narrow as their contents (the star and the note count: fixed, small).
        # Not ResizeToContents: on a hidden table (the results page showing) Qt
        # sizes such a column over *every* row - 22k rows fetched page by page
        # on the GUI thread at each list reload (2.4 s alone, 14 s beside an
        # import).  The date column is as wide as the widest date; the source
        # column fits the first page of rows (see :meth:`fit_columns`).
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(24)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_SOURCE, QHeaderView.ResizeMode.Interactive)
        for col in (COL_STAR, COL_NOTES, COL_DATE):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
        for col in (COL_STAR, COL_NOTES):
            header.resizeSection(col, self.fontMetrics().horizontalAdvance("99") + 16)
        header.resizeSection(COL_DATE, self._text_width("28 May 2000") + 16)
        header.resizeSection(COL_SOURCE, self._text_width("Source") + 16)
        header.setSortIndicator(COL_DATE, Qt.SortOrder.DescendingOrder)
        header.setSortIndicatorShown(True)
        self.library_stack = QStackedWidget()
        self.library_stack.addWidget(self.table)
        self.empty_label = _empty_label(EMPTY_LIBRARY)
        self.library_stack.addWidget(self.empty_label)
        layout.addWidget(self.library_stack, 1)
        # "3 of 12 articles" while filters narrow the list; hidden otherwise
        # (the status bar always shows the library's size).
        self.count_label = QLabel("")
        self.count_label.setObjectName("listCount")
        self.count_label.setContentsMargins(6, 0, 6, 2)
        self.count_label.hide()
        layout.addWidget(self.count_label)
        self.addWidget(page)
        # ---- results page
        results = QWidget()
        rlayout = QVBoxLayout(results)
        rlayout.setContentsMargins(0, 0, 0, 0)
        rlayout.setSpacing(2)
        hrow = QHBoxLayout()
        hrow.setContentsMargins(4, 4, 4, 0)
        self.results_header = ElidedLabel("")
        self.results_header.setTextFormat(Qt.TextFormat.PlainText)
        self.results_header.setObjectName("resultsHeader")
        self.sort_combo = QComboBox()
        self.sort_combo.addItem("Relevance", "relevance")
        self.sort_combo.addItem("Newest first", "date")
        hrow.addWidget(self.results_header, 1)
        hrow.addWidget(self.sort_combo)
        rlayout.addLayout(hrow)
        self.did_you_mean = QLabel("")
        self.did_you_mean.setObjectName("didYouMean")
        self.did_you_mean.setTextFormat(Qt.TextFormat.RichText)
        self.did_you_mean.hide()
        rlayout.addWidget(self.did_you_mean)
        self.results_model = SearchResultsModel(self)
        self.results = QListView()
        self.results.setObjectName("resultsList")
        self.results.setModel(self.results_model)
        self.results.setItemDelegate(ResultDelegate(self.results))
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        # rows are laid out at the viewport's width: lay them out again when it changes
        self.results.setResizeMode(QListView.ResizeMode.Adjust)
        # lay out a few rows per pass of the event loop (up to 200 rich-text rows per search)
        self.results.setLayoutMode(QListView.LayoutMode.Batched)
        self.results.setBatchSize(10)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results_stack = QStackedWidget()
        self.results_stack.addWidget(self.results)
        self.no_results = _empty_label("")
        self.results_stack.addWidget(self.no_results)
        rlayout.addWidget(self.results_stack, 1)
        self.addWidget(results)
        # ---- wiring
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(150)
        self._filter_timer.timeout.connect(self.filters_changed)
        self.quick_filter.textChanged.connect(lambda _t: self._filter_timer.start())
        self.filter_combo.currentIndexChanged.connect(lambda _i: self.filters_changed.emit())
        self.tag_combo.currentIndexChanged.connect(lambda _i: self.filters_changed.emit())
        self.scope_clear.clicked.connect(self.clear_scope_requested)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.clicked.connect(self._clicked)
        self.results.selectionModel().currentRowChanged.connect(self._result_changed)
        self.results.clicked.connect(self._result_changed)
        self.did_you_mean.linkActivated.connect(self.suggestion_clicked)
        self.sort_combo.currentIndexChanged.connect(lambda _i: self.result_sort_changed.emit(self.result_sort()))
        self.loading_more = False
        self.results.verticalScrollBar().valueChanged.connect(self._results_scrolled)
        # after the rows are laid out (in batches): check again whether they all fit
        self._more_timer = QTimer(self)
        self._more_timer.setSingleShot(True)
        self._more_timer.setInterval(100)
        self._more_timer.timeout.connect(self._results_scrolled)
        self.results.verticalScrollBar().rangeChanged.connect(lambda _a, _b: self._more_timer.start())

    # ---- library page ------------------------------------------------
    def filter_state(self) -> dict[str, object]:
        kind = self.filter_combo.currentIndex()
        return {
            "text": self.quick_filter.text().strip(),
            "unread": kind == 1,
            "bookmarked": kind == 2,
            "has_notes": kind == 3,
            "tag": str(self.tag_combo.currentData() or ""),
        }

    def set_tags(self, tags: list[str]) -> None:
        current = self.tag_combo.currentData()
        self.tag_combo.blockSignals(True)
        self.tag_combo.clear()
        self.tag_combo.addItem("Any tag", "")
        for tag in tags:
            self.tag_combo.addItem(f"Tag: {tag}", tag)
        found = self.tag_combo.findData(current)
        self.tag_combo.setCurrentIndex(max(0, found))
        self.tag_combo.blockSignals(False)

    def set_scope(self, text: str) -> None:
        self.scope_label.setText(text)
        self.scope_widget.setVisible(bool(text))

    def _text_width(self, text: str) -> int:
        return self.table.fontMetrics().horizontalAdvance(text)

    def fit_columns(self, rows: int = 200) -> None:
        """Size the source column to the sources of the first ``rows`` rows (one
        page fetch at most), between a minimum and a third of the table."""
        sources = {"Source"}
        for row in range(min(rows, self.model.rowCount())):
            article = self.model.article_row(row)
            if article is not None and article.source:
                sources.add(article.source)
        widths = [self._text_width(source) for source in sources]
        limit = max(80, self.table.viewport().width() // 3)
        self.table.horizontalHeader().resizeSection(COL_SOURCE, min(max(widths) + 16, limit))

    def set_ids(self, ids: list[str], total: int, filtered: bool) -> None:
        current = self.current_id()
        self.model.set_ids(ids)
        self.fit_columns()
        if not ids:
            self.empty_label.setText(EMPTY_LIBRARY if total == 0 else "No articles match the filters.")
            self.library_stack.setCurrentWidget(self.empty_label)
        else:
            self.library_stack.setCurrentWidget(self.table)
        self.count_label.setText(f"{len(ids):,} of {total:,} articles" if filtered else "")
        self.count_label.setVisible(filtered)
        if current:
            self.select_id(current, emit=False)

    def mode(self) -> ListMode:
        """Which page shows: the library or the search results."""
        return ListMode(self.currentIndex())

    def current_id(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.id_at(index.row()) if index.isValid() else None

    def selected_ids(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        ids = [self.model.id_at(r) for r in rows]
        out = [i for i in ids if i]
        if not out and self.current_id():
            out = [self.current_id()]  # type: ignore[list-item]
        return out

    def select_id(self, article_id: str, *, emit: bool = True) -> bool:
        row = self.model.row_of(article_id)
        if row < 0:
            return False
        index = self.model.index(row, COL_TITLE)
        self.table.blockSignals(not emit)
        sel = self.table.selectionModel()
        sel.blockSignals(not emit)
        sel.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                            | QItemSelectionModel.SelectionFlag.Rows)
        sel.blockSignals(False)
        self.table.blockSignals(False)
        self.table.scrollTo(index)
        return True

    def step(self, delta: int) -> None:
        """Select the next/previous row of whichever page is showing."""
        view = self.table if self.mode() is ListMode.LIBRARY else self.results
        model = view.model()
        count = model.rowCount()
        if not count:
            return
        row = view.currentIndex().row()
        row = 0 if row < 0 else max(0, min(count - 1, row + delta))
        index = model.index(row, COL_TITLE if view is self.table else 0)
        view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        view.scrollTo(index)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        aid = current.data(ID_ROLE) if current.isValid() else None
        if aid:
            self.article_selected.emit(str(aid))

    def _clicked(self, index: QModelIndex) -> None:
        if index.column() == COL_STAR:
            aid = index.data(ID_ROLE)
            if aid:
                self.star_clicked.emit(str(aid))

    # ---- results page ------------------------------------------------
    def show_library(self) -> None:
        self.setCurrentIndex(ListMode.LIBRARY)

    def _results_scrolled(self, _value: int = 0) -> None:
        """Near the end of the rows shown: ask for the next page (once at a time)."""
        bar = self.results.verticalScrollBar()
        count = self.results_model.rowCount()
        if bar.maximum() > 0:
            near_end = bar.value() >= bar.maximum() - self.results.viewport().height() // 2
        else:  # every row fits (once the last one is laid out): nothing to scroll, so fetch more
            last = self.results.visualRect(self.results_model.index(count - 1, 0)) if count else None
            near_end = last is not None and last.isValid() and last.bottom() <= self.results.viewport().height()
        if (near_end and not self.loading_more and self.mode() is ListMode.RESULTS
                and self.results_model.rowCount() and self.results_model.has_more()):
            self.loading_more = True
            self.results_header.setText(f"{self.results_header.text().split(' (showing')[0]} (loading more…)")
            self.more_results_requested.emit()

    def show_results(self, query: str, hits: list, total: int, suggestion: str | None, error: str | None) -> None:
        self.setCurrentIndex(ListMode.RESULTS)
        self.loading_more = False
        self.results_model.set_hits(query, hits, total)
        self._more_timer.start()
        shown = f" (showing {len(hits)}; scroll for more)" if total > len(hits) else ""
        quoted = f"“{query}”"  # a plain-text label: shown as typed, never entity-escaped
        if error:
            self.results_header.setText(f"Cannot search for {quoted}: {error}")
        else:
            self.results_header.setText(f"{total:,} result{'s' if total != 1 else ''} for {quoted}{shown}")
        if suggestion:
            self.did_you_mean.setText(f'Did you mean <a href="{html.escape(suggestion, quote=True)}">'
                                      f"{html.escape(suggestion)}</a>?")
            self.did_you_mean.show()
        else:
            self.did_you_mean.hide()
        if hits:
            self.results_stack.setCurrentWidget(self.results)
        else:
            self.no_results.setText(error or f"No results for “{query}”")
            self.results_stack.setCurrentWidget(self.no_results)

    def show_searching(self, query: str) -> None:
        if self.mode() is not ListMode.RESULTS:
            self.setCurrentIndex(ListMode.RESULTS)
            self.results_model.clear()
            self.results_stack.setCurrentWidget(self.results)
        self.results_header.setText(f"Searching for “{query}”…")

    def result_sort(self) -> str:
        return str(self.sort_combo.currentData() or "relevance")

    def _result_changed(self, current: QModelIndex, _previous: QModelIndex | None = None) -> None:
        aid = current.data(HIT_ID_ROLE) if current.isValid() else None
        if aid:
            self.result_selected.emit(str(aid))
