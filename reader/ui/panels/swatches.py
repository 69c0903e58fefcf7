"""Small colour swatch icons for annotation colours (menus, combos, buttons)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from reader.ui.theme import annotation_colour


def colour_icon(colour: str, dark: bool = False, size: int = 14) -> QIcon:
    """A filled square with a thin border (so pale colours show on pale menus)."""
    pix = QPixmap(size, size)
    pix.fill(annotation_colour(colour, dark))
    painter = QPainter(pix)
    painter.setPen(QColor("#777777"))
    painter.drawRect(0, 0, size - 1, size - 1)
    painter.end()
    return QIcon(pix)
