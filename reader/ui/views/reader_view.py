"""The reader pane: one article as a read-only rich text document, with layers
of highlights on top.

The HTML comes from :func:`reader.core.render.render_html` (one block per
line), so ``document().toPlainText() == article.plain_text``.  All offsets
given to this view are Python offsets into ``article.plain_text``; the view
converts them to Qt positions with :class:`~reader.ui.textmap.TextMap`.

Highlights never re-render the HTML.  They live in named *layers*
(:meth:`ReaderView.set_layer`), each with a priority: entities (10) < find (20)
< search hits (25) < annotations (30) < current item (90).  The layers are
flattened into non-overlapping pieces, each piece's format being the merge of
the covering spans in priority order (higher wins per property) - so nothing is
drawn twice and nothing is lost; a hover tooltip lists every covering span.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFont, QKeyEvent, QMouseEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextBrowser, QTextEdit, QToolTip, QWidget

from reader.core.article import Article
from reader.core.render import render_html, stylesheet
from reader.settings import DEFAULTS
from reader.ui.span_cursor import snap_to_words
from reader.ui.textmap import TextMap

Span = tuple[int, int, QTextCharFormat, str]

PRIORITY_ENTITIES = 10
PRIORITY_FIND = 20
PRIORITY_SEARCH = 25
PRIORITY_ANNOTATIONS = 30
PRIORITY_CURRENT = 90

MIN_FONT, MAX_FONT = 7, 48


@dataclass(frozen=True)
class Piece:
    """One flattened highlight piece (Python offsets)."""

    start: int
    end: int
    layers: tuple[str, ...]
    tooltip: str


class ReaderView(QTextBrowser):
    """Shows one article; highlights are layers of spans over its plain text."""

    link_activated = Signal(QUrl)
    remote_load_blocked = Signal(QUrl)

    def __init__(self, parent: QWidget | None = None, settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readerView")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextBrowserInteraction | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.document().setDocumentMargin(28)
        self.anchorClicked.connect(self._on_anchor)
        self._settings = settings
        self._article: Article | None = None
        self._map = TextMap("")
        self._dark = False
        self._layers: dict[str, tuple[int, list[Span]]] = {}
        self._pieces: list[Piece] = []
        self.blocked_urls: list[str] = []
        self.open_external = True  # tests switch it off
        family = DEFAULTS.reader_font_family
        size = DEFAULTS.reader_font_size
        if settings is not None:
            family = str(settings.value("reader/font_family", family))
            size = int(settings.value("reader/font_size", size))  # type: ignore[arg-type]
        self.set_reading_font(QFont(family), size, remember=False)
        self.document().setDefaultStyleSheet(stylesheet())
        self.setPlaceholderText("")

    # ---- article -----------------------------------------------------
    @property
    def article(self) -> Article | None:
        return self._article

    @property
    def text_map(self) -> TextMap:
        return self._map

    def show_article(self, article: Article | None, position: int = 0) -> None:
        """Render ``article`` (``None`` clears) and scroll to a Python offset."""
        self._article = article
        self._layers.clear()
        self._pieces = []
        self.setExtraSelections([])
        if article is None:
            self._map = TextMap("")
            self.clear()
            return
        self._map = TextMap(article.plain_text)
        self.setHtml(render_html(article))
        if position > 0:
            self.scroll_to_offset(position, top=True)
        else:
            self.verticalScrollBar().setValue(0)

    def set_dark(self, dark: bool) -> None:
        """Switch the document colours (re-renders, keeps layers and the scroll position)."""
        from reader.ui.theme import reader_colours

        self._dark = dark
        self.document().setDefaultStyleSheet(stylesheet(reader_colours(dark)))
        if self._article is not None:
            pos = self.first_visible_offset()
            layers = dict(self._layers)
            self.setHtml(render_html(self._article))
            self._layers = layers
            self._apply_layers()
            self.scroll_to_offset(pos, top=True)

    # ---- layers ------------------------------------------------------
    def set_layer(self, name: str, spans: list[Span], priority: int) -> None:
        """Replace the spans of layer ``name`` (Python offsets, format, tooltip)."""
        if spans:
            self._layers[name] = (priority, list(spans))
        else:
            self._layers.pop(name, None)
        self._apply_layers()

    def clear_layer(self, name: str) -> None:
        if self._layers.pop(name, None) is not None:
            self._apply_layers()

    def layer_spans(self, name: str) -> list[Span]:
        return list(self._layers.get(name, (0, []))[1])

    def layer_names(self) -> list[str]:
        return sorted(self._layers, key=lambda n: self._layers[n][0])

    @property
    def pieces(self) -> list[Piece]:
        return list(self._pieces)

    def _flatten(self) -> list[tuple[int, int, QTextCharFormat, tuple[str, ...], str]]:
        length = self._map.length
        items: list[tuple[int, int, int, int, str, QTextCharFormat, str]] = []
        order = 0
        for name, (priority, spans) in self._layers.items():
            for start, end, fmt, tip in spans:
                start, end = max(0, start), min(length, end)
                if end > start:
                    items.append((start, end, priority, order, name, fmt, tip))
                    order += 1
        if not items:
            return []
        bounds = sorted({b for it in items for b in (it[0], it[1])})
        items.sort(key=lambda it: it[0])
        out: list[tuple[int, int, QTextCharFormat, tuple[str, ...], str]] = []
        active: list[tuple[int, int, int, int, str, QTextCharFormat, str]] = []
        nxt = 0
        for i in range(len(bounds) - 1):
            lo, hi = bounds[i], bounds[i + 1]
            active = [it for it in active if it[1] > lo]
            while nxt < len(items) and items[nxt][0] <= lo:
                if items[nxt][1] > lo:
                    active.append(items[nxt])
                nxt += 1
            if not active:
                continue
            ranked = sorted(active, key=lambda it: (it[2], it[3]))
            fmt = QTextCharFormat()
            for it in ranked:
                fmt.merge(it[5])
            tips = list(dict.fromkeys(it[6] for it in reversed(ranked) if it[6]))
            out.append((lo, hi, fmt, tuple(dict.fromkeys(it[4] for it in ranked)), "\n".join(tips)))
        return out

    def _apply_layers(self) -> None:
        selections: list[QTextEdit.ExtraSelection] = []
        self._pieces = []
        doc = self.document()
        for start, end, fmt, names, tip in self._flatten():
            sel = QTextEdit.ExtraSelection()
            cursor = QTextCursor(doc)
            qs, qe = self._map.span_to_qt(start, end)
            cursor.setPosition(qs)
            cursor.setPosition(qe, QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cursor
            sel.format = fmt
            selections.append(sel)
            self._pieces.append(Piece(start, end, names, tip))
        self.setExtraSelections(selections)

    def pieces_at(self, offset: int) -> list[Piece]:
        return [p for p in self._pieces if p.start <= offset < p.end]

    # ---- positions ---------------------------------------------------
    def offset_at(self, x: int, y: int) -> int:
        """Python offset of the character at viewport point (x, y)."""
        return self._map.to_py(self.cursorForPosition(QPoint(x, y)).position())

    def first_visible_offset(self) -> int:
        """Python offset of the start of the first line whose top is visible."""
        if self._article is None:
            return 0
        cursor = self.cursorForPosition(QPoint(4, 1))
        cursor.movePosition(QTextCursor.MoveOperation.StartOfLine)
        if self.cursorRect(cursor).top() < 0:
            cursor.movePosition(QTextCursor.MoveOperation.Down)
            cursor.movePosition(QTextCursor.MoveOperation.StartOfLine)
        return self._map.to_py(cursor.position())

    def scroll_to_offset(self, offset: int, *, top: bool = False) -> None:
        """Scroll so the character at ``offset`` is visible (its line at the top with ``top``)."""
        if self._article is None:
            return
        if top and offset <= 0:
            self.verticalScrollBar().setValue(0)
            return
        cursor = QTextCursor(self.document())
        cursor.setPosition(min(self._map.to_qt(max(0, offset)), self.document().characterCount() - 1))
        rect = self.cursorRect(cursor)
        bar = self.verticalScrollBar()
        if top:
            bar.setValue(bar.value() + rect.top())
        elif rect.top() < 0 or rect.bottom() > self.viewport().height():
            bar.setValue(bar.value() + rect.top() - self.viewport().height() // 3)

    def selected_span(self) -> tuple[int, int] | None:
        """The selection as Python offsets (for annotations), or ``None``."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return self._map.span_to_py(cursor.selectionStart(), cursor.selectionEnd())

    # ---- font and zoom -----------------------------------------------
    def set_reading_font(self, font: QFont, size: int | None = None, *, remember: bool = True) -> None:
        size = size or (font.pointSize() if font.pointSize() > 0 else DEFAULTS.reader_font_size)
        size = max(MIN_FONT, min(MAX_FONT, size))
        font = QFont(font)
        font.setPointSize(size)
        font.setStyleHint(QFont.StyleHint.Serif)
        self.document().setDefaultFont(font)
        self.setFont(font)
        if remember and self._settings is not None:
            self._settings.setValue("reader/font_family", font.family())
            self._settings.setValue("reader/font_size", size)

    def reading_font(self) -> QFont:
        return self.document().defaultFont()

    def zoom_by(self, steps: int) -> None:
        font = self.reading_font()
        self.set_reading_font(font, font.pointSize() + steps * DEFAULTS.zoom_step)

    def zoom_reset(self) -> None:
        self.set_reading_font(self.reading_font(), DEFAULTS.reader_font_size)

    # ---- links and resources -----------------------------------------
    def loadResource(self, type_: int, url: QUrl) -> object:  # noqa: N802 - Qt override
        """Never fetch anything: article content is data, remote loads are refused."""
        if url.scheme() in ("", "file", "qrc", "data") and not url.host():
            if url.scheme() == "qrc":
                return super().loadResource(type_, url)
            return None  # no local files either: articles carry no images
        self.blocked_urls.append(url.toString())
        self.remote_load_blocked.emit(url)
        return None

    def _on_anchor(self, url: QUrl) -> None:
        self.link_activated.emit(url)
        if url.scheme() in ("http", "https", "mailto") and self.open_external:
            QDesktopServices.openUrl(url)

    # ---- events ------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and self._article is not None:
            pos = event.pos()  # type: ignore[attr-defined]
            cursor = self.cursorForPosition(pos)
            offset = self._map.to_py(cursor.position())
            tips = [p.tooltip for p in self.pieces_at(offset) if p.tooltip]
            if tips:
                QToolTip.showText(event.globalPos(), tips[0], self)  # type: ignore[attr-defined]
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        """A mouse selection snaps to whole words (as in Kindle and Hypothesis),
        shown at once, unless Alt is held (then it is exactly what was dragged)."""
        super().mouseReleaseEvent(event)
        if (event.button() == Qt.MouseButton.LeftButton and self._article is not None
                and not event.modifiers() & Qt.KeyboardModifier.AltModifier):
            self.snap_selection()

    def snap_selection(self) -> None:
        """Widen the selection to whole words (keeps its direction)."""
        cursor = self.textCursor()
        if not cursor.hasSelection() or self._article is None:
            return
        start, end = self._map.span_to_py(cursor.selectionStart(), cursor.selectionEnd())
        s, e = snap_to_words(self._article.plain_text, start, end)
        if (s, e) == (start, end):
            return
        qs, qe = self._map.span_to_qt(s, e)
        forward = cursor.position() >= cursor.anchor()
        cursor.setPosition(qs if forward else qe)
        cursor.setPosition(qe if forward else qs, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Space and not event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier:
            bar = self.verticalScrollBar()
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                bar.triggerAction(bar.SliderAction.SliderPageStepSub)
            else:
                bar.triggerAction(bar.SliderAction.SliderPageStepAdd)
            event.accept()
            return
        super().keyPressEvent(event)
