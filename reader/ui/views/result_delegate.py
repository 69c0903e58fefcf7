"""Paints a search result: bold title, source and date, and the snippet HTML
(the search module marks matched terms with ``<b>``; everything else in it is
escaped text)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from reader.ui.models.search_results import META_ROLE, SNIPPET_ROLE

_Index = QModelIndex | QPersistentModelIndex


class ResultDelegate(QStyledItemDelegate):
    """Draws title / meta / snippet in three lines with marked terms."""

    LINES = 6

    def _document(self, option: QStyleOptionViewItem, index: _Index, width: int) -> QTextDocument:
        import html

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
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        doc = self._document(option, index, option.rect.width())
        painter.save()
        painter.translate(option.rect.topLeft())
        clip = QRectF(0, 0, option.rect.width(), option.rect.height())
        painter.setClipRect(clip)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        ctx.clip = clip
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:  # noqa: N802
        width = option.rect.width() if option.rect.width() > 0 else 360
        doc = self._document(option, index, width)
        line = option.fontMetrics.lineSpacing()
        height = min(int(doc.size().height()) + 6, line * (self.LINES + 1) + 14)
        return QSize(width, max(height, line * 2 + 12))
