"""The centre pane: a small reader toolbar, the :class:`ReaderView` and the find
bar; it turns entities, search hits, find matches and annotations into
highlight layers, steps through them, and offers highlighting in the toolbar
and the context menu."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QFont, QPainter, QPaintEvent, QResizeEvent, QTextCharFormat
from PySide6.QtWidgets import (
    QFontComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reader.core.article import Article, LineRole
from reader.store import Annotation, EntitySpan
from reader.ui.models.annotations import annotation_tooltip
from reader.ui.span_cursor import SpanCursor
from reader.ui.theme import (
    ANNOTATION_TEXT,
    CURRENT_HIT_OUTLINE,
    FIND_HIT,
    FLASH,
    SEARCH_HIT,
    annotation_colour,
    annotation_mark,
    entity_name,
    entity_underline,
)
from reader.ui.views.find_bar import FindBar, find_all
from reader.ui.views.reader_view import (
    PRIORITY_ANNOTATIONS,
    PRIORITY_CURRENT,
    PRIORITY_ENTITIES,
    PRIORITY_FIND,
    PRIORITY_SEARCH,
    ReaderView,
)


class ElidedLabel(QLabel):
    """A one-line label that yields its width to its neighbours: the text is
    elided ("Hit 1 of 21 for “Stoltenb…") rather than pushing over the next
    widget; the whole text is in the tooltip."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setMinimumWidth(0)

    def minimumSizeHint(self):  # noqa: ANN201, N802 - Qt override
        hint = super().minimumSizeHint()
        hint.setWidth(0)
        return hint

    def setText(self, text: str) -> None:  # noqa: N802 - Qt override
        super().setText(text)
        self.setToolTip(text)

    def shown_text(self) -> str:
        """The text as drawn at the current width."""
        return self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, max(0, self.width()))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(self.rect(), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), self.shown_text())


class CompactToolButton(QToolButton):
    """A tool button showing its icon and text when it has room, only the icon
    when the window is narrow (so the text never raises the window's minimum width)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full: QSize | None = None
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)  # may shrink to the icon

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        if self.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon:
            self._full = super().sizeHint()
        return QSize(self._full) if self._full is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = self.sizeHint()
        return QSize(min(hint.width(), hint.height() + 16), hint.height())  # the icon and the menu arrow

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        roomy = self.width() >= self.sizeHint().width()
        style = Qt.ToolButtonStyle.ToolButtonTextBesideIcon if roomy else Qt.ToolButtonStyle.ToolButtonIconOnly
        if style != self.toolButtonStyle():
            self.setToolButtonStyle(style)
        super().resizeEvent(event)


class ReaderPane(QWidget):
    """Reader view + toolbar + find bar."""

    bookmark_toggled = Signal()
    edit_annotation_requested = Signal(str)  # annotation id
    delete_annotation_requested = Signal(str)

    FLASH_MS = 900

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
        self.hit_label = ElidedLabel("")
        self.font_combo = QFontComboBox()
        self.font_combo.setToolTip("Reading font")
        self.font_combo.setMaximumWidth(130)
        # narrow windows: the font name yields its room to the hit label ("Hit 1 of 21: ...")
        self.font_combo.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.font_combo.setSizeAdjustPolicy(QFontComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.font_combo.setMinimumContentsLength(4)
        self.zoom_out = QToolButton(text="A−")
        self.zoom_out.setToolTip("Smaller text (Ctrl+-)")
        self.zoom_in = QToolButton(text="A+")
        self.zoom_in.setToolTip("Larger text (Ctrl++)")
        self.highlight_button = CompactToolButton()
        self.highlight_button.setObjectName("highlightButton")
        self.highlight_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        # the colour swatch and the word: a bare colour square says nothing about what it does
        self.highlight_button.setAccessibleName("Highlight selection (H)")
        self.note_button = QToolButton()
        self.note_button.setObjectName("noteButton")
        self.highlight_button.hide()
        self.note_button.hide()
        bar.addWidget(self.star)
        bar.addWidget(self.highlight_button)
        bar.addWidget(self.note_button)
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
        self._annotations: list[Annotation] = []
        self._context_actions: list[QAction] = []
        self._flash_timer = QTimer(self)
        self._flash_timer.setSingleShot(True)
        self._flash_timer.setInterval(self.FLASH_MS)
        self._flash_timer.timeout.connect(lambda: self.view.clear_layer("flash"))
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)

    # ---- article -----------------------------------------------------
    @property
    def article(self) -> Article | None:
        return self.view.article

    def show_article(self, article: Article | None, position: int = 0, bookmarked: bool = False) -> None:
        for cursor in self.cursors.values():
            cursor.set([], cursor.kind)
        self.hit_label.setText("")
        self._entity_spans = []
        self._annotations = []
        self._flash_timer.stop()
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
        self._apply_annotations()
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
        dateline = self._dateline()
        for span in self._entity_spans:
            if self._visible_labels is not None and span.label not in self._visible_labels:
                continue
            if dateline is not None and span.start < dateline[1] and span.end > dateline[0]:
                continue  # the metadata line ("Published 4 April 2024 · By ...") is not prose
            fmt = formats.get(span.label)
            if fmt is None:
                # an underline, not a background: backgrounds are the notes' colours
                fmt = QTextCharFormat()
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
                fmt.setUnderlineColor(entity_underline(span.label, self._dark))
                fmt.setFontUnderline(True)
                formats[span.label] = fmt
            tip = f"{entity_name(span.label)} ({span.label}): {span.norm or span.text}"
            spans.append((span.start, span.end, fmt, tip))
        self.view.set_layer("entities", spans, PRIORITY_ENTITIES)

    def _dateline(self) -> tuple[int, int] | None:
        """Offsets of the article's metadata line, if it has one."""
        if self.article is None:
            return None
        for line in self.article.lines():
            if line.role is LineRole.META:
                return line.start, line.start + len(line.text)
        return None

    def focus_mentions(self, label: str, norm: str, mentions: list[tuple[int, int]]) -> tuple[int, int] | None:
        cursor = self.cursors["entity"]
        cursor.set(mentions, "entity")
        self._focus_name = f"{norm} ({entity_name(label)})"
        return self.step("entity", 1)

    # ---- annotations -------------------------------------------------
    def set_annotation_actions(self, highlight: QAction, note: QAction, colours: QMenu) -> None:
        """The window's Highlight (H) / Note (N) actions for the toolbar and the context menu."""
        self.highlight_button.setDefaultAction(highlight)
        self.highlight_button.setMenu(colours)
        self.note_button.setDefaultAction(note)
        self.highlight_button.show()
        self.note_button.show()
        self._context_actions = [highlight, note]

    def set_annotations(self, annotations: list[Annotation]) -> None:
        """Show these highlights (orphans have no place in the text and are skipped)."""
        self._annotations = [a for a in annotations if not a.orphan]
        self._apply_annotations()

    def annotation_format(self, ann: Annotation) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setBackground(annotation_colour(ann.colour, self._dark))
        fmt.setForeground(QColor(ANNOTATION_TEXT[1] if self._dark else ANNOTATION_TEXT[0]))
        if ann.note.strip():  # a note: dashed underline in a deeper shade of the colour
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
            fmt.setUnderlineColor(annotation_mark(ann.colour, self._dark))
        else:  # no note: no mark - an entity's underline must not show through as one
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.NoUnderline)
            fmt.setFontUnderline(False)
        return fmt

    def _apply_annotations(self) -> None:
        spans = [(a.start, a.end, self.annotation_format(a), annotation_tooltip(a)) for a in self._annotations]
        self.view.set_layer("annotations", spans, PRIORITY_ANNOTATIONS)

    def annotations_at(self, offset: int) -> list[Annotation]:
        """Highlights covering the character at ``offset``, innermost first."""
        found = [a for a in self._annotations if a.start <= offset < a.end]
        return sorted(found, key=lambda a: a.end - a.start)

    def flash(self, start: int, end: int) -> None:
        """Scroll to a passage and outline it briefly (a jump from the notes panel)."""
        light, dark = FLASH
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(dark if self._dark else light))
        fmt.setForeground(QColor("#000000"))
        self.view.set_layer("flash", [(start, end, fmt, "")], PRIORITY_CURRENT)
        self.view.scroll_to_offset(start)
        self._flash_timer.start()

    def build_context_menu(self, pos: QPoint) -> QMenu:
        """The reader's context menu at viewport ``pos``: copy/select, highlight, and
        edit/delete for a highlight under the pointer."""
        doc_pos = QPoint(pos.x() + self.view.horizontalScrollBar().value(),
                         pos.y() + self.view.verticalScrollBar().value())  # document coordinates (link under it)
        menu = self.view.createStandardContextMenu(doc_pos)
        menu.setParent(self, menu.windowFlags())
        if self._context_actions:
            menu.addSeparator()
            for action in self._context_actions:
                menu.addAction(action)
        offset = self.view.offset_at(pos.x(), pos.y())
        here = self.annotations_at(offset)
        if here:
            ann = here[0]
            menu.addSeparator()
            edit = menu.addAction("&Edit note…" if ann.note.strip() else "Add a &note…")
            edit.triggered.connect(lambda _c=False, i=ann.id: self.edit_annotation_requested.emit(i))
            delete = menu.addAction("&Delete highlight")
            delete.triggered.connect(lambda _c=False, i=ann.id: self.delete_annotation_requested.emit(i))
        return menu

    def _context_menu(self, pos: QPoint) -> None:
        menu = self.build_context_menu(pos)
        menu.exec(self.view.viewport().mapToGlobal(pos))
        menu.deleteLater()

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
            # short, so it fits a small window; the keys are in the tooltip
            self.hit_label.setText(f"Hit {n} of {total}: “{self.search_query}”")
            self.hit_label.setToolTip(f"Hit {n} of {total} for “{self.search_query}” - F3 next, Shift+F3 previous")
        elif kind == "entity":
            self.hit_label.setText(f"Mention {n} of {total}: {getattr(self, '_focus_name', '')}")
        else:
            self.find_bar.set_count(cursor.current, total)

    def _font_chosen(self, font: QFont) -> None:
        self.view.set_reading_font(font, self.view.reading_font().pointSize())
