"""Issue 17, search in the window: the rendered search help, the result count
as typed (quotes not escaped) and elided, and more results on scroll."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTextBrowser

from reader.ui import search_controller
from reader.ui.dialogs.search_help import SearchHelpWindow


def _menu_action(window, menu_title: str, text: str):
    for menu_action in window.menuBar().actions():
        if menu_action.text().replace("&", "") == menu_title:
            for action in menu_action.menu().actions():
                if action.text().replace("&", "") == text:
                    return action
    raise AssertionError(f"no {menu_title} > {text}")


def _help_window(window) -> SearchHelpWindow:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, SearchHelpWindow) and w.isVisible()]
    assert len(found) == 1
    return found[0]


def test_question_mark_shows_rendered_scrollable_help(qtbot, window) -> None:
    qtbot.mouseClick(window.search_bar.help_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(isinstance(w, SearchHelpWindow) and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=3000)
    help_window = _help_window(window)
    text = help_window.plain_text()
    # rendered, not raw Markdown: no heading marks, no ** or table pipes
    assert text.startswith("Searching")
    assert "# Searching" not in text and "**all**" not in text and "|---|" not in text
    assert "nato summit" in text and "exact phrase" in text
    html = help_window.browser.toHtml()
    assert "<table" in html and "font-weight" in html  # a real table, bold text
    # sized and scrollable: the whole help does not fit, so it scrolls
    assert help_window.width() >= 600 and help_window.height() >= 400
    browser = help_window.findChild(QTextBrowser)
    assert browser.verticalScrollBar().maximum() > 0
    browser.verticalScrollBar().setValue(browser.verticalScrollBar().maximum())
    assert browser.cursorForPosition(browser.viewport().rect().bottomLeft()).block().text() != ""
    qtbot.keyClick(help_window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not help_window.isVisible(), timeout=2000)


def test_help_menu_search_syntax_opens_the_same_help(qtbot, window) -> None:
    _menu_action(window, "Help", "Search syntax").trigger()
    qtbot.waitUntil(lambda: any(isinstance(w, SearchHelpWindow) and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=3000)
    assert "Finds articles" in _help_window(window).plain_text()


def test_result_count_shows_quotes_as_typed(qtbot, window) -> None:
    field = window.search_bar.field
    field.setFocus()
    qtbot.keyClicks(field, '"closing paragraph"')
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.list_pane.results_model.query == '"closing paragraph"', timeout=5000)
    header = window.list_pane.results_header
    assert header.shown_text() == '12 results for “"closing paragraph"”'
    assert "&quot;" not in header.shown_text()


def test_long_query_label_elides_instead_of_widening(qtbot, window) -> None:
    window.resize(1100, 700)
    qtbot.waitUntil(lambda: window.width() == 1100, timeout=2000)
    before = window.list_pane.width()
    reader_before = window.reader.width()
    query = "closing " + " ".join(f"paragraph{i}~ OR closing" for i in range(30))
    window.search_bar.set_query(query)
    qtbot.waitUntil(lambda: window.list_pane.results_model.query == query, timeout=10000)
    header = window.list_pane.results_header
    assert window.list_pane.width() == before and window.reader.width() == reader_before
    assert header.shown_text().endswith("…") and len(header.shown_text()) > 10
    assert header.toolTip().startswith("12 results for “closing paragraph0~")


@pytest.mark.window_options(search="in_process")
def test_results_load_more_on_scroll(qtbot, window, monkeypatch) -> None:
    monkeypatch.setattr(search_controller, "DEFAULTS", dataclasses.replace(search_controller.DEFAULTS, search_limit=3))
    window.resize(1100, 420)
    window.search_bar.set_query("closing")
    model = window.list_pane.results_model
    qtbot.waitUntil(lambda: model.query == "closing" and model.rowCount() >= 3, timeout=5000)
    header = window.list_pane.results_header
    view = window.list_pane.results
    # pages come until the list can scroll (the 3 rows fit: nothing to scroll with)
    qtbot.waitUntil(lambda: view.verticalScrollBar().maximum() > 0, timeout=5000)
    shown = model.rowCount()
    assert shown in (3, 6, 9) and header.toolTip() == f"12 results for “closing” (showing {shown}; scroll for more)"
    first_ids = model.ids()
    view.setCurrentIndex(model.index(1, 0))
    # scroll to the end, as with the wheel or the scroll bar: the next page comes
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
    qtbot.waitUntil(lambda: model.rowCount() == shown + 3, timeout=5000)
    assert model.ids()[:shown] == first_ids  # appended: the rows shown stay, the selection too
    assert view.currentIndex().row() == 1
    for rows in range(shown + 6, 13, 3):
        qtbot.waitUntil(lambda: view.verticalScrollBar().value() < view.verticalScrollBar().maximum(), timeout=3000)
        view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
        qtbot.waitUntil(lambda r=rows: model.rowCount() == r, timeout=5000)
    assert len(set(model.ids())) == 12
    assert header.toolTip() == "12 results for “closing”"
    # a new query starts again at one page
    window.search_bar.set_query("paragraph")
    qtbot.waitUntil(lambda: model.query == "paragraph", timeout=5000)
    assert 3 <= model.rowCount() < 12
