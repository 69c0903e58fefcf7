"""Add from link, pasting a web address and dropping a link, as a person does
them; the read mark after 2 s (or at the end); the import summary and the
"Tag with the folder's name" checkbox.  Pages come from a real HTTP server on
127.0.0.1 started by each test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication
from ui_fixtures import make_article

from reader.ui.events import What
from reader.ui.importing import FolderDialog
from tests.feeds.feedfix import serve_story
from tests.net.httpserver import LocalServer


@pytest.fixture
def server() -> Iterator[LocalServer]:
    srv = LocalServer().start()
    try:
        yield srv
    finally:
        srv.stop()


def _rows(dialog) -> list[tuple[str, str, str]]:  # noqa: ANN001
    tree = dialog.results
    return [tuple(tree.topLevelItem(r).text(c) for c in range(3)) for r in range(tree.topLevelItemCount())]


@pytest.mark.timeout(120)
def test_add_from_link_dialog_lists_each_result(qtbot, window, server: LocalServer) -> None:
    good = serve_story(server, "/news/harbour-reopens", "Harbour reopens after storm")
    missing = server.url("/news/gone")
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    dialog = window.links.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.edit, good)
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.edit, missing)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.running, timeout=90000)
    rows = _rows(dialog)
    assert rows[0][:2] == ("added", good) and rows[0][2] == "Harbour reopens after storm"
    assert rows[1][0] == "failed" and missing in rows[1][2] and "404" in rows[1][2]
    assert dialog.message.text().startswith("1 added")
    qtbot.waitUntil(lambda: window.list_pane.model.rowCount() == 13, timeout=10000)


def test_a_typed_address_that_is_not_a_web_address_is_named(qtbot, window) -> None:
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    dialog = window.links.dialog
    qtbot.keyClicks(dialog.edit, "ftp://example.org/file")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "ftp://example.org/file: not a web address (it starts with http:// or https://)"
    assert not dialog.running and window.links.job_id == 0


@pytest.mark.timeout(120)
def test_ctrl_v_outside_a_text_field_adds_the_link(qtbot, window, server: LocalServer) -> None:
    good = serve_story(server, "/news/pasted", "Pasted story about the bridge")
    QGuiApplication.clipboard().setText(f"  {good}  ")
    window.list_pane.quick_filter.setFocus()
    qtbot.keyClick(window.list_pane.quick_filter, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert window.links.dialog is None  # (in a text field Ctrl+V pastes the text there)
    assert window.list_pane.quick_filter.text().strip() == good
    window.list_pane.quick_filter.clear()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    window.list_pane.table.setFocus()
    qtbot.keyClick(window.list_pane.table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    dialog = window.links.dialog
    assert dialog is not None and [r[1] for r in _rows(dialog)] == [good]
    qtbot.waitUntil(lambda: not dialog.running, timeout=90000)
    assert _rows(dialog)[0][0] == "added"


@pytest.mark.timeout(120)
def test_dropping_a_browser_link_adds_it(qtbot, window, server: LocalServer) -> None:
    good = serve_story(server, "/news/dropped", "Dropped story about the ferry")
    mime = QMimeData()
    mime.setUrls([QUrl(good)])  # text/uri-list, as a browser drags a link
    drop = QDropEvent(QPoint(200, 200).toPointF(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    enter = QDragEnterEvent(QPoint(200, 200), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    window.dragEnterEvent(enter)
    assert enter.isAccepted()  # (the window takes the link)
    window.dropEvent(drop)
    dialog = window.links.dialog
    assert dialog is not None and [r[1] for r in _rows(dialog)] == [good]
    qtbot.waitUntil(lambda: not dialog.running, timeout=90000)
    assert _rows(dialog)[0] == ("added", good, "Dropped story about the ferry")


def test_an_article_open_two_seconds_counts_as_read(qtbot, window) -> None:
    lib, table, model = window.library, window.list_pane.table, window.list_pane.model
    unread = [model.id_at(r) for r in range(model.rowCount()) if not lib.rows([model.id_at(r)])[model.id_at(r)].is_read]
    first, second = unread[0], unread[1]
    window.lists.open_in_library(first)
    assert window.current_id == first and not lib.rows([first])[first].is_read  # (not at once)
    window.lists.open_in_library(second)  # switching away cancels the first one's timer
    qtbot.waitUntil(lambda: lib.rows([second])[second].is_read, timeout=6000)
    assert not lib.rows([first])[first].is_read
    row = model.row_of(second)
    qtbot.waitUntil(lambda: model.article_row(row).is_read, timeout=3000)  # and the list shows it
    assert table.isVisible()


def test_scrolling_to_the_end_counts_as_read(qtbot, window) -> None:
    long = make_article(99, title="A very long article", body=" ".join(["Many words in a long paragraph."] * 900))
    window.library.upsert(long)
    window.events.articles_changed.emit([long.id], What.ADDED)
    window.read_marker.timer.setInterval(10 * 60_000)  # (only the scrolling can mark it now)
    window.lists.open_in_library(long.id)
    view = window.reader.view
    qtbot.waitUntil(lambda: view.verticalScrollBar().maximum() > 0, timeout=5000)
    assert window.current_id == long.id
    qtbot.keyClick(view.verticalScrollBar(), Qt.Key.Key_End)  # (the scroll bar's End: to the bottom)
    qtbot.waitUntil(lambda: window.library.rows([long.id])[long.id].is_read, timeout=5000)


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "harbour-notes"
    folder.mkdir()
    (folder / "storm.txt").write_text("Storm closes harbour\n\nThe harbour closed for two days.\n", encoding="utf-8")
    (folder / "book.epub").write_bytes(b"PK\x03\x04 not really a book")
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n0000")
    (folder / "blank.rtf").write_bytes(b"")
    return folder


@pytest.mark.timeout(120)
def test_import_folder_with_tag_checkbox_and_summary_of_skipped_files(qtbot, window, tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    window.settings.setValue("import/last_dir", str(tmp_path))

    def answer() -> None:  # the person in the folder dialog: picks the folder, ticks the box
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, FolderDialog)
        dialog.setDirectory(str(folder))  # (went into the folder: Choose takes it)
        qtbot.mouseClick(dialog.tag_box, Qt.MouseButton.LeftButton, pos=QPoint(8, dialog.tag_box.height() // 2))
        assert dialog.tag_box.isChecked()
        dialog.accept()

    QTimer.singleShot(300, answer)
    window.actions_by_name["import_folder"].trigger()
    qtbot.waitUntil(lambda: window.importer.last_report is not None, timeout=90000)
    summary = window.importer.summary
    assert summary is not None and summary.isVisible()
    skipped = summary.skipped.toPlainText()
    assert "book.epub: skipped (.epub: not a supported format" in skipped
    assert "photo.png: skipped (image file)" in skipped and "blank.rtf: skipped (empty)" in skipped
    assert summary.skipped.isVisibleTo(summary)
    stored = window.importer.last_report.added
    assert len(stored) == 1
    assert window.library.ids_with_tag("harbour-notes") == stored
    assert window.settings.value("import/tag_from_folder") == "true"
