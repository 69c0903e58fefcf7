"""Issue 17, the layout at 900x600: the reader gets priority (the side panels
step aside, and come back with room), labels are not cut, and the shortcuts
dialog fits without horizontal scrolling."""

from __future__ import annotations

from PySide6.QtCore import Qt

from reader.ui.layout_policy import COMPACT_WIDTH


def _resize(qtbot, window, w: int, h: int) -> None:
    window.resize(w, h)
    qtbot.waitUntil(lambda: window.width() == w and window.compact.compact == (w < COMPACT_WIDTH), timeout=3000)


def test_small_window_gives_the_reader_priority(qtbot, window) -> None:
    _resize(qtbot, window, 1440, 900)
    open_docks = {name for name, dock in window.docks.items() if dock.isVisible()}
    assert open_docks  # the entities and related panels, at least
    _resize(qtbot, window, 900, 600)
    qtbot.waitUntil(lambda: not any(d.isVisible() for d in window.docks.values()), timeout=3000)
    # the article column is the widest thing in the window, a readable line
    qtbot.waitUntil(lambda: window.reader.view.viewport().width() >= 480, timeout=3000)
    assert window.reader.width() > window.list_pane.width()
    # a panel asked for while small opens (the user's choice wins)
    qtbot.keyClick(window.reader.view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(window.docks["notes"].isVisible, timeout=3000)
    # with room again, the panels that were open come back
    _resize(qtbot, window, 1440, 900)
    qtbot.waitUntil(lambda: open_docks <= {n for n, d in window.docks.items() if d.isVisible()}, timeout=3000)


def test_hit_label_not_cut_at_900(qtbot, window) -> None:
    _resize(qtbot, window, 900, 600)
    window.search_bar.set_query("closing")
    qtbot.waitUntil(lambda: window.list_pane.results_model.query == "closing", timeout=5000)
    label = window.reader.hit_label
    view = window.list_pane.results
    index = window.list_pane.results_model.index(2, 0)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())
    qtbot.waitUntil(lambda: label.text().startswith("Hit "), timeout=8000)  # text: {label.text()!r}
    qtbot.waitUntil(lambda: label.shown_text() == label.text(), timeout=3000)
    assert "…" not in label.shown_text()


def test_shortcuts_dialog_fits_without_horizontal_scrolling(qtbot, window) -> None:
    qtbot.keyClick(window.reader.view, Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.shell.shortcuts_dialog is not None and window.shell.shortcuts_dialog.isVisible(),
                    timeout=3000)
    dialog = window.shell.shortcuts_dialog
    table = dialog.table
    qtbot.waitUntil(lambda: table.viewport().width() > 100, timeout=2000)
    assert not table.horizontalScrollBar().isVisible()
    assert table.columnWidth(0) + table.columnWidth(1) <= table.viewport().width() + 1
    # every action name is shown whole in its cell
    for row in range(table.rowCount()):
        item = table.item(row, 0)
        assert table.fontMetrics().horizontalAdvance(item.text()) <= table.columnWidth(0) or table.rowHeight(row) > \
            table.fontMetrics().height() * 1.5
    dialog.close()
