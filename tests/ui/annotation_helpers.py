"""Driving the reader like a person: select text with the mouse or the keyboard,
and read back what is drawn (the highlight format at an offset)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QApplication

from reader.ui.views.reader_view import ReaderView


def point_at(view: ReaderView, offset: int, *, before: bool = True) -> QPoint:
    """Viewport point just inside the character at ``offset`` (left edge) or, with
    ``before=False``, just after the character before ``offset`` (right edge)."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.text_map.to_qt(offset))
    rect = view.cursorRect(cursor)
    x = rect.left() + (1 if before else -1)
    return QPoint(max(1, x), rect.center().y())


def drag_select(qtbot, view: ReaderView, start: int, end: int) -> None:
    """Press at ``start``, move and release at ``end`` (the passage must be on screen)."""
    view.scroll_to_offset(start)
    a, b = point_at(view, start), point_at(view, end, before=False)
    vp = view.viewport()
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=a)
    mid = QPoint((a.x() + b.x()) // 2, (a.y() + b.y()) // 2)
    for p in (mid, b):
        qtbot.mouseMove(vp, p)
        QApplication.processEvents()
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=b)


def keyboard_select(qtbot, view: ReaderView, start: int, length: int) -> None:
    """Click to put the cursor at ``start``, then Shift+Right ``length`` times."""
    view.scroll_to_offset(start)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point_at(view, start))
    view.setFocus()
    for _ in range(length):
        qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)


def format_at(view: ReaderView, offset: int) -> QTextCharFormat | None:
    """The merged highlight format drawn over the character at ``offset`` (``None``: plain)."""
    qt = view.text_map.to_qt(offset)
    selections = view.extraSelections()
    for sel in selections:
        if sel.cursor.selectionStart() <= qt < sel.cursor.selectionEnd():
            return QTextCharFormat(sel.format)
    return None


def press(qtbot, window, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key press on the reader, as when reading (window shortcuts apply to the active window:
    after a dialog closed, a person's click in the text makes the window active again)."""
    if QApplication.activeWindow() is not window:
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    window.reader.view.setFocus()
    qtbot.keyClick(window.reader.view, key, modifiers)


COLOUR_KEYS = {"yellow": Qt.Key.Key_1, "green": Qt.Key.Key_2, "blue": Qt.Key.Key_3, "pink": Qt.Key.Key_4,
               "purple": Qt.Key.Key_5}


def annotate(qtbot, window, quote: str, *, colour: str | None = None, note: str = "", tags: str = "") -> None:
    """Select ``quote`` (first occurrence) with the keyboard, pick the colour with
    Alt+digit, and press H (or N, type the note and tags, Ctrl+Enter)."""
    text = window.reader.article.plain_text
    start = text.index(quote)
    if colour is not None:
        press(qtbot, window, COLOUR_KEYS[colour], Qt.KeyboardModifier.AltModifier)
    keyboard_select(qtbot, window.reader.view, start, len(quote))
    if not note and not tags:
        press(qtbot, window, Qt.Key.Key_H)
        return
    press(qtbot, window, Qt.Key.Key_N)
    dialog = window.notes.note_dialog
    qtbot.keyClicks(dialog.note, note)
    qtbot.keyClicks(dialog.tags, tags)
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=2000)


def rows(panel) -> list[str]:
    """The notes panel's rows as shown (filtered, sorted)."""
    return [panel.proxy.index(r, 0).data() for r in range(panel.proxy.rowCount())]
