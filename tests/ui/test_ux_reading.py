"""Issue 17, reading: mouse highlights snap to whole words unless Alt is held."""

from __future__ import annotations

from annotation_helpers import point_at
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from reader.ui.span_cursor import snap_to_words


def _drag(qtbot, view, start: int, end: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    view.scroll_to_offset(start)
    a, b = point_at(view, start), point_at(view, end, before=False)
    vp = view.viewport()
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, modifier, pos=a)
    for p in (QPoint((a.x() + b.x()) // 2, (a.y() + b.y()) // 2), b):
        qtbot.mouseMove(vp, p)
        QApplication.processEvents()
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, modifier, pos=b)


def _highlighted(qtbot, window) -> str:
    qtbot.keyClick(window.reader.view, Qt.Key.Key_H)
    aid = window.current_id
    qtbot.waitUntil(lambda: len(window.library.annotations(aid)) > 0, timeout=3000)
    return window.library.annotations(aid)[-1].exact


def test_snap_to_words_rules() -> None:
    text = "It was an extraordinary time, making Smith-Jones don't stop."
    assert text[slice(*snap_to_words(text, 1, 33))] == "It was an extraordinary time, making"
    assert text[slice(*snap_to_words(text, 40, 45))] == "Smith-Jones"
    assert text[slice(*snap_to_words(text, 50, 52))] == "don't"
    assert snap_to_words(text, 28, 29) == (28, 29)  # a lone comma stays itself
    assert snap_to_words(text, 0, 2) == (0, 2)  # already whole


def test_mouse_selection_snaps_to_whole_words(qtbot, window) -> None:
    view = window.reader.view
    text = window.reader.article.plain_text
    start = text.index("Stoltenberg") + 3  # "ltenberg met offic"
    end = text.index("officials") + 5
    _drag(qtbot, view, start, end)
    assert view.textCursor().selectedText() == "Jens Stoltenberg met officials"[5:]  # seen at once
    assert _highlighted(qtbot, window) == "Stoltenberg met officials"


def test_alt_keeps_the_exact_selection(qtbot, window) -> None:
    view = window.reader.view
    text = window.reader.article.plain_text
    start = text.index("Stoltenberg") + 3
    end = text.index("officials") + 5
    _drag(qtbot, view, start, end, Qt.KeyboardModifier.AltModifier)
    assert view.textCursor().selectedText() == text[start:end]
    assert _highlighted(qtbot, window) == text[start:end] == "ltenberg met offic"
