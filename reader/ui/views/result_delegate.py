"""Paints a search result: bold title, source and date, and the snippet HTML
(the search module marks matched terms with ``<b>``; everything else in it is
escaped text).

The row is exactly as tall as what it shows: the title, the meta line and at
most :attr:`ResultDelegate.SNIPPET_LINES` lines of snippet, the last one
ending in "…" when the snippet is longer.  The snippet is shortened, never the
row, so no line is ever cut in half at the row's bottom edge."""

from __future__ import annotations

import html
import math

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextCursor, QTextDocument
from PySide6.QtWidgets import QAbstractScrollArea, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from reader.ui.models.search_results import META_ROLE, SNIPPET_ROLE

_Index = QModelIndex | QPersistentModelIndex
ELLIPSIS = "…"


def elide_last_block(doc: QTextDocument, max_lines: int) -> bool:
    """Shorten the document's last block (laid out at the document's text
    width) to ``max_lines`` lines, the last ending in an ellipsis.  Returns
    whether anything was cut."""
    block = doc.lastBlock()
    doc.size()  # lay the document out
    layout = block.layout()
    if layout is None or layout.lineCount() <= max_lines:
        return False
    line = layout.lineAt(max_lines - 1)
    cursor = QTextCursor(doc)
    cursor.setPosition(block.position() + line.textStart() + line.textLength())
    cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
    cursor.removeSelectedText()
    while True:
        while cursor.position() > block.position() and doc.characterAt(cursor.position() - 1).isspace():
            cursor.deletePreviousChar()
        cursor.insertText(ELLIPSIS)
        doc.size()
        if block.layout().lineCount() <= max_lines or cursor.position() - 1 <= block.position():
            return True
        cursor.deletePreviousChar()  # the ellipsis
        cursor.deletePreviousChar()  # and one more character of the text


class ResultDelegate(QStyledItemDelegate):
    """Draws title / meta / snippet with marked terms, in rows that fit them.

    Laying out a result (rich text, then shortening the snippet) costs a
    millisecond or more and Qt asks for it several times per row (size hints,
    then every paint): the laid-out documents are cached by what they show and
    the width, so each is made once."""

    #: Lines of snippet a result shows at most.
    SNIPPET_LINES = 3
    #: Laid-out results kept (a few result lists' worth).
    CACHE_SIZE = 1000

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._docs: dict[tuple, QTextDocument] = {}
        self.layouts = 0  # documents laid out (tests)

    def cached_document(self, option: QStyleOptionViewItem, index: _Index, width: int) -> QTextDocument:
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        key = (str(index.data(Qt.ItemDataRole.DisplayRole) or ""), str(index.data(META_ROLE) or ""),
               str(index.data(SNIPPET_ROLE) or ""), width, selected, option.font.key(),
               *(option.palette.color(QPalette.ColorGroup.Active, role).rgba()
                 for role in (QPalette.ColorRole.Text, QPalette.ColorRole.HighlightedText,
                              QPalette.ColorRole.PlaceholderText)))
        doc = self._docs.get(key)
        if doc is None:
            if len(self._docs) >= self.CACHE_SIZE:
                self._docs.clear()
            doc = self._docs[key] = self.document(option, index, width)
            self.layouts += 1
        return doc

    def _width(self, option: QStyleOptionViewItem) -> int:
        """The width rows are laid out at: the view's viewport (so sizeHint and
        paint agree), else the option's rect."""
        widget: QWidget | None = option.widget
        if isinstance(widget, QAbstractScrollArea) and widget.viewport().width() > 0:
            return widget.viewport().width()
        return option.rect.width() if option.rect.width() > 0 else 360

    def document(self, option: QStyleOptionViewItem, index: _Index, width: int) -> QTextDocument:
        """The result's text laid out at ``width``, snippet already shortened."""
        title = html.escape(str(index.data(Qt.ItemDataRole.DisplayRole) or ""))
        meta = html.escape(str(index.data(META_ROLE) or ""))
        snippet = str(index.data(SNIPPET_ROLE) or "")
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        group = QPalette.ColorGroup.Active
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        text = option.palette.color(group, text_role).name()
        muted = text if selected else option.palette.color(group, QPalette.ColorRole.PlaceholderText).name()
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(4)
        doc.setDefaultStyleSheet(f"body {{ color: {text}; }} .meta {{ color: {muted}; font-size: small; }}"
                                 " b { font-weight: bold; text-decoration: underline; }")
        doc.setHtml(f"<div><b style='text-decoration:none'>{title}</b></div>"
                    f"<div class='meta'>{meta}</div><div>{snippet}</div>")
        doc.setTextWidth(width)
        elide_last_block(doc, self.SNIPPET_LINES)
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        doc = self.cached_document(option, index, option.rect.width())
        painter.save()
        painter.translate(option.rect.topLeft())
        clip = QRectF(0, 0, option.rect.width(), option.rect.height())
        painter.setClipRect(clip)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        ctx.clip = clip
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:  # noqa: N802
        width = self._width(option)
        doc = self.cached_document(option, index, width)
        return QSize(width, math.ceil(doc.size().height()) + 2)
