"""The centre pane: a small reader toolbar, the :class:`ReaderView` and the find
bar; it turns entities, search hits and find matches into highlight layers and
steps through them."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QColor, QFont, QTextCharFormat
from PySide6.QtWidgets import QFontComboBox, QHBoxLayout, QLabel, QStackedWidget, QToolButton, QVBoxLayout, QWidget

from reader.core.article import Article
from reader.store import EntitySpan
from reader.ui.controller import SpanCursor
from reader.ui.theme import CURRENT_HIT_OUTLINE, FIND_HIT, SEARCH_HIT, entity_colour, entity_name
from reader.ui.views.find_bar import FindBar, find_all
from reader.ui.views.reader_view import (
    PRIORITY_CURRENT,
    PRIORITY_ENTITIES,
    PRIORITY_FIND,
    PRIORITY_SEARCH,
    ReaderView,
)


class ReaderPane(QWidget):
    """Reader view + toolbar + find bar."""

    bookmark_toggled = Signal()

    def __init__(self, parent: QWidget | None = None, settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self._dark = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 3, 6, 3)
        self.star = QToolButton(text="☆")
        self.star.setObjectName("readerStar")
        self.star.setCheckable(True)
        self.star.setToolTip("Bookmark this article (Ctrl+D)")
        self.star.setEnabled(False)
        self.hit_label = QLabel("")
        self.font_combo = QFontComboBox()
        self.font_combo.setToolTip("Reading font")
        self.font_combo.setMaximumWidth(200)
        self.zoom_out = QToolButton(text="A−")
        self.zoom_out.setToolTip("Smaller text (Ctrl+-)")
        self.zoom_in = QToolButton(text="A+")
        self.zoom_in.setToolTip("Larger text (Ctrl++)")
        bar.addWidget(self.star)
        bar.addWidget(self.hit_label, 1)
        bar.addWidget(self.font_combo)
        bar.addWidget(self.zoom_out)
        bar.addWidget(self.zoom_in)
        layout.addLayout(bar)
        self.view = ReaderView(self, settings)
        self.placeholder = QLabel("Select an article to read it.")
        self.placeholder.setObjectName("emptyState")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self.view)
        layout.addWidget(self.stack, 1)
        self.find_bar = FindBar(self)
        self.find_bar.hide()
        layout.addWidget(self.find_bar)
        self.font_combo.setCurrentFont(self.view.reading_font())
        self.font_combo.currentFontChanged.connect(self._font_chosen)
        self.zoom_in.clicked.connect(lambda: self.view.zoom_by(1))
        self.zoom_out.clicked.connect(lambda: self.view.zoom_by(-1))
        self.star.clicked.connect(lambda _c: self.bookmark_toggled.emit())
        self.find_bar.find_requested.connect(self._find)
        self.find_bar.step_requested.connect(lambda d: self.step("find", d))
        self.find_bar.closed.connect(self._find_closed)
        self.cursors: dict[str, SpanCursor] = {"search": SpanCursor(), "find": SpanCursor(), "entity": SpanCursor()}
        self._entity_spans: list[EntitySpan] = []
        self._visible_labels: set[str] | None = None
        self.search_query = ""

    # ---- article -----------------------------------------------------
    @property
    def article(self) -> Article | None:
        return self.view.article

    def show_article(self, article: Article | None, position: int = 0, bookmarked: bool = False) -> None:
        for cursor in self.cursors.values():
            cursor.set([], cursor.kind)
        self.hit_label.setText("")
        self._entity_spans = []
        self.view.show_article(article, position)
        self.stack.setCurrentWidget(self.view if article is not None else self.placeholder)
        self.star.setEnabled(article is not None)
        self.set_bookmarked(bookmarked)
        if article is not None and self.find_bar.isVisible() and self.find_bar.field.text():
            self._find(self.find_bar.field.text())

    def set_placeholder(self, text: str) -> None:
        self.placeholder.setText(text)

    def set_bookmarked(self, on: bool) -> None:
        self.star.setChecked(on)
        self.star.setText("★" if on else "☆")
        self.star.setToolTip("Remove bookmark (Ctrl+D)" if on else "Bookmark this article (Ctrl+D)")

    def set_dark(self, dark: bool) -> None:
        self._dark = dark
        self.view.set_dark(dark)
        self._apply_entities()
        for kind in ("search", "find"):
            self._apply_hits(kind)

    # ---- entities ----------------------------------------------------
    def set_entities(self, spans: list[EntitySpan], visible: set[str] | None = None) -> None:
        self._entity_spans = list(spans)
        if visible is not None:
            self._visible_labels = visible
        self._apply_entities()

    def set_visible_labels(self, visible: set[str]) -> None:
        self._visible_labels = visible
        self._apply_entities()

    def _apply_entities(self) -> None:
        spans = []
        formats: dict[str, QTextCharFormat] = {}
        for span in self._entity_spans:
            if self._visible_labels is not None and span.label not in self._visible_labels:
                continue
            fmt = formats.get(span.label)
            if fmt is None:
                fmt = QTextCharFormat()
                fmt.setBackground(entity_colour(span.label, self._dark))
                formats[span.label] = fmt
            tip = f"{entity_name(span.label)} ({span.label}): {span.norm or span.text}"
            spans.append((span.start, span.end, fmt, tip))
        self.view.set_layer("entities", spans, PRIORITY_ENTITIES)

    def focus_mentions(self, label: str, norm: str, mentions: list[tuple[int, int]]) -> tuple[int, int] | None:
        cursor = self.cursors["entity"]
        cursor.set(mentions, "entity")
        self._focus_name = f"{norm} ({entity_name(label)})"
        return self.step("entity", 1)

    # ---- search hits and find ----------------------------------------
    def set_search_hits(self, query: str, spans: list[tuple[int, int]]) -> None:
        self.search_query = query
        self.cursors["search"].set(spans, "search")
        self._apply_hits("search")
        if spans:
            self.step("search", 1)
        else:
            self.view.clear_layer("current")
            self.hit_label.setText("")

    def clear_search_hits(self) -> None:
        self.search_query = ""
        self.cursors["search"].set([], "search")
        self.view.clear_layer("search")
        self.view.clear_layer("current")
        self.hit_label.setText("")

    def _apply_hits(self, kind: str) -> None:
        light, dark = SEARCH_HIT if kind == "search" else FIND_HIT
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(dark if self._dark else light))
        if self._dark:
            fmt.setForeground(QColor("#ffffff"))
        else:
            fmt.setForeground(QColor("#000000"))
        tip = f"Search hit for “{self.search_query}”" if kind == "search" else "Find match"
        spans = [(s, e, fmt, tip) for s, e in self.cursors[kind].spans]
        self.view.set_layer(kind, spans, PRIORITY_SEARCH if kind == "search" else PRIORITY_FIND)

    def _find(self, text: str) -> None:
        article = self.view.article
        spans = find_all(article.plain_text, text) if article is not None else []
        cursor = self.cursors["find"]
        cursor.set(spans, "find")
        self._apply_hits("find")
        span = cursor.first_after(self.view.first_visible_offset()) if spans else None
        if span is not None:
            self._show_current("find", span)
        else:
            self.view.clear_layer("current")
        self.find_bar.set_count(cursor.current, len(spans))

    def _find_closed(self) -> None:
        self.cursors["find"].set([], "find")
        self.view.clear_layer("find")
        self.view.clear_layer("current")
        self.view.setFocus()

    def open_find(self) -> None:
        self.find_bar.open_bar()

    def step(self, kind: str, delta: int) -> tuple[int, int] | None:
        span = self.cursors[kind].step(delta)
        if span is not None:
            self._show_current(kind, span)
        return span

    def _show_current(self, kind: str, span: tuple[int, int]) -> None:
        cursor = self.cursors[kind]
        light, dark = CURRENT_HIT_OUTLINE
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(dark if self._dark else light))
        fmt.setForeground(QColor("#000000" if self._dark else "#ffffff"))
        fmt.setFontUnderline(True)
        self.view.set_layer("current", [(span[0], span[1], fmt, "Current")], PRIORITY_CURRENT)
        self.view.scroll_to_offset(span[0])
        n, total = cursor.current + 1, len(cursor.spans)
        if kind == "search":
            self.hit_label.setText(f"Hit {n} of {total} for “{self.search_query}” (F3 / Shift+F3)")
        elif kind == "entity":
            self.hit_label.setText(f"Mention {n} of {total}: {getattr(self, '_focus_name', '')}")
        else:
            self.find_bar.set_count(cursor.current, total)

    def _font_chosen(self, font: QFont) -> None:
        self.view.set_reading_font(font, self.view.reading_font().pointSize())
