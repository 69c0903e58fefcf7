"""Rows of the related-articles list: the title (up to two lines, elided), then
the reasons as small rounded chips on one line (what does not fit is left out)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from reader.ui.models.related import CHIPS_ROLE

PAD = 6
CHIP_PAD = 5
CHIP_GAP = 4
TITLE_LINES = 2


def _chip_font(base: QFont) -> QFont:
    font = QFont(base)
    font.setPointSizeF(max(7.0, base.pointSizeF() * 0.88))
    return font


class RelatedDelegate(QStyledItemDelegate):
    """Title and reason chips."""

    def chip_rects(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
                   ) -> list[tuple[QRect, str, str]]:
        """Where each chip that fits is drawn: (rect, kind, text)."""
        fm = QFontMetrics(_chip_font(option.font))
        title_h = self._title_height(option, index)
        x, y = option.rect.left() + PAD, option.rect.top() + PAD + title_h + 3
        right = option.rect.right() - PAD
        out = []
        for kind, text in index.data(CHIPS_ROLE) or []:
            w = fm.horizontalAdvance(text) + 2 * CHIP_PAD
            if x + w > right:
                break
            out.append((QRect(x, y, w, fm.height() + 4), kind, text))
            x += w + CHIP_GAP
        return out

    def _title_height(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> int:
        font = QFont(option.font)
        font.setBold(True)
        fm = QFontMetrics(font)
        width = max(40, option.rect.width() - 2 * PAD)
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        rect = fm.boundingRect(QRect(0, 0, width, fm.height() * TITLE_LINES), int(Qt.TextFlag.TextWordWrap), text)
        return min(rect.height(), fm.height() * TITLE_LINES)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802
        chips = bool(index.data(CHIPS_ROLE))
        chip_h = QFontMetrics(_chip_font(option.font)).height() + 4 + 3 if chips else 0
        return QSize(option.rect.width() or 200, self._title_height(option, index) + chip_h + 2 * PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        pal = option.palette
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.save()
        font = QFont(option.font)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(pal.color(text_role))
        title = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        fm = QFontMetrics(font)
        width = option.rect.width() - 2 * PAD
        lines = self._wrap(fm, title, width)
        y = option.rect.top() + PAD
        for line in lines:
            painter.drawText(QRect(option.rect.left() + PAD, y, width, fm.height()),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), line)
            y += fm.height()
        painter.setFont(_chip_font(option.font))
        for rect, kind, text in self.chip_rects(option, index):
            fill = pal.color(QPalette.ColorRole.AlternateBase if kind == "term" else QPalette.ColorRole.Button)
            painter.setPen(pal.color(QPalette.ColorRole.Mid))
            painter.setBrush(fill)
            painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
            painter.setPen(pal.color(QPalette.ColorRole.ButtonText))
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), text)
        painter.restore()

    @staticmethod
    def _wrap(fm: QFontMetrics, text: str, width: int) -> list[str]:
        """Up to :data:`TITLE_LINES` lines of ``text``, the last one elided."""
        words, lines, current = text.split(), [], ""
        for word in words:
            trial = f"{current} {word}".strip()
            if fm.horizontalAdvance(trial) <= width or not current:
                current = trial
            else:
                lines.append(current)
                current = word
        if current:
            lines.append(current)
        if len(lines) > TITLE_LINES:
            rest = " ".join(lines[TITLE_LINES - 1:])
            lines = lines[:TITLE_LINES - 1] + [rest]
        return [fm.elidedText(line, Qt.TextElideMode.ElideRight, width) for line in lines]
