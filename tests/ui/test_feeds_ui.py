"""The Feeds sidebar as a person uses it: subscribe through the dialog, see
the unread counts, pick a feed to filter the list, mark all read, see a
failing feed's error, unsubscribe and undo.  Feeds come from a real HTTP
server on 127.0.0.1 started by each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from tests.feeds.feedfix import LONG, Item, serve_feed
from tests.net.httpserver import LocalServer, Reply


@pytest.fixture
def server() -> Iterator[LocalServer]:
    srv = LocalServer().start()
    try:
        yield srv
    finally:
        srv.stop()


def _items(n: int) -> list[Item]:
    return [Item(f"guid-{i}", f"https://news.example/story-{i}", f"Local story {i}",
                 content="".join(f"<p>{LONG} Story {i}, part {p}.</p>" for p in range(3))) for i in range(n)]


def _texts(window) -> list[str]:  # noqa: ANN001
    lst = window.feeds_panel.list
    return [lst.item(r).text() for r in range(lst.count())]


def _feed_item(window, title: str):  # noqa: ANN001, ANN202
    lst = window.feeds_panel.list
    return next((lst.item(r) for r in range(lst.count()) if title in lst.item(r).text()), None)


@pytest.mark.timeout(180)
def test_subscribe_see_counts_filter_and_mark_all_read(qtbot, window, server: LocalServer) -> None:
    url = serve_feed(server, "/feed.xml", _items(3), title="Harbour Gazette")
    assert _texts(window)[:2] == ["All unread  (0)", "Today  (0)"]
    assert window.feeds_panel.empty.isVisibleTo(window.feeds_panel)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = window.feeds.subscribe_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.url, url)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(window.docks["feeds"].isVisible, timeout=60000)  # (subscribed: the sidebar shows)
    # subscribed, then refreshed in the background: the three items arrive, unread
    qtbot.waitUntil(lambda: "Harbour Gazette  (3)" in _texts(window), timeout=90000)
    qtbot.waitUntil(lambda: _texts(window)[:2] == ["All unread  (3)", "Today  (3)"], timeout=10000)
    qtbot.waitUntil(lambda: window.list_pane.model.rowCount() == 15, timeout=10000)  # 12 + 3 in the library
    # picking the feed lists its articles only
    item = _feed_item(window, "Harbour Gazette")
    rect = window.feeds_panel.list.visualItemRect(item)
    qtbot.mouseClick(window.feeds_panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: window.list_pane.model.rowCount() == 3, timeout=10000)
    assert window.list_pane.scope_label.text() == "Feed: Harbour Gazette"
    titles = {window.list_pane.model.index(r, 1).data() for r in range(3)}
    assert titles == {"Local story 0", "Local story 1", "Local story 2"}
    # mark all read (Shift+A): the count goes
    window.list_pane.table.setFocus()
    window.activateWindow()  # (back in the window after the dialog: its shortcuts work again)
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    qtbot.keyClick(window.list_pane.table, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: "Harbour Gazette" in _texts(window) and _texts(window)[0] == "All unread  (0)",
                    timeout=10000)
    # the scope's clear button goes back to the library and leaves the feed view
    qtbot.mouseClick(window.list_pane.scope_clear, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.list_pane.model.rowCount() == 15, timeout=10000)
    assert window.feeds_panel.current_view() is None
    # the server now fails: F5 refreshes, the feed shows its error and last success
    server.route("/feed.xml", Reply(503, b"down for maintenance"))
    qtbot.keyClick(window.list_pane.table, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: any(t.startswith("⚠ Harbour Gazette") for t in _texts(window)), timeout=90000)
    failing = _feed_item(window, "Harbour Gazette")
    assert "\nFailed · last success " in failing.text() and "never" not in failing.text()
    assert "503" in failing.toolTip() and url in failing.toolTip()
    assert "Harbour Gazette" in window.statusBar().currentMessage()  # (the status bar said which feed failed)
    assert "503" in window.statusBar().currentMessage()


def test_unsubscribe_then_undo_brings_the_feed_back(qtbot, window) -> None:
    assert not window.docks["feeds"].isVisible()  # (no subscriptions yet: the sidebar waits)
    window.docks["feeds"].toggleViewAction().trigger()  # View > Feeds
    assert window.docks["feeds"].isVisible()
    window.library.feeds.add("http://127.0.0.1:9/rss", title="Quiet Valley News")
    window.events.feeds_changed.emit()  # (what a subscription made elsewhere announces)
    qtbot.waitUntil(lambda: _feed_item(window, "Quiet Valley News") is not None, timeout=5000)
    item = _feed_item(window, "Quiet Valley News")
    rect = window.feeds_panel.list.visualItemRect(item)
    qtbot.mouseClick(window.feeds_panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.feeds_panel.current_feed() is not None
    menu = window.feeds_panel.build_menu()
    remove = next(a for a in menu.actions() if a.text().replace("&", "") == "Unsubscribe from feed")
    remove.trigger()
    qtbot.waitUntil(lambda: _feed_item(window, "Quiet Valley News") is None, timeout=5000)
    assert window.library.feeds.all() == []
    qtbot.keyClick(window.list_pane.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: _feed_item(window, "Quiet Valley News") is not None, timeout=5000)
    assert [f.display_title for f in window.library.feeds.all()] == ["Quiet Valley News"]


def test_mark_read_and_unread_with_keys(qtbot, window) -> None:
    table = window.list_pane.table
    model = window.list_pane.model
    table.setFocus()
    table.selectRow(3)
    target = model.id_at(3)
    qtbot.keyClick(table, Qt.Key.Key_M)
    qtbot.waitUntil(lambda: window.library.rows([target])[target].is_read, timeout=5000)
    qtbot.waitUntil(lambda: model.article_row(3).is_read, timeout=5000)  # the list shows it read
    qtbot.keyClick(table, Qt.Key.Key_U)
    qtbot.waitUntil(lambda: not window.library.rows([target])[target].is_read, timeout=5000)


def test_opml_export_then_import_into_the_sidebar(qtbot, window, tmp_path) -> None:
    window.library.feeds.add("http://127.0.0.1:9/a.xml", title="Alpha Feed")
    window.library.feeds.add("http://127.0.0.1:9/b.xml", title="Beta Feed")
    out = tmp_path / "subs.opml"
    window.feeds.export_opml(str(out))
    qtbot.waitUntil(out.exists, timeout=5000)
    text = out.read_text(encoding="utf-8")
    assert "http://127.0.0.1:9/a.xml" in text and "Beta Feed" in text
    window.library.feeds.remove(window.library.feeds.by_url("http://127.0.0.1:9/a.xml").id)
    window.feeds.import_opml(str(out))
    qtbot.waitUntil(lambda: _feed_item(window, "Alpha Feed") is not None, timeout=10000)
    assert sorted(f.url for f in window.library.feeds.all()) == ["http://127.0.0.1:9/a.xml",
                                                                 "http://127.0.0.1:9/b.xml"]
    bad = tmp_path / "broken.opml"
    bad.write_text("<opml><body><outline", encoding="utf-8")
    with qtbot.waitSignal(window.events.error, timeout=5000) as blocker:
        window.feeds.import_opml(str(bad))
    assert "broken.opml" in blocker.args[1]
