"""Notes across the life of an article: deleting it (notes kept as orphans
unless the user asks), re-importing an edited copy (notes re-anchored, the
lost one listed as an orphan), bookmarks reaching the index, the shortcuts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from annotation_helpers import annotate, format_at, rows
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from ui_fixtures import search_ids

from reader.ui.models.annotations import ORPHAN_MARK
from reader.ui.theme import annotation_colour


def _answer_delete(qtbot, *, tick: bool | None, seen: dict) -> None:
    """When the confirmation appears: note what it offers, tick the box if asked, click Yes."""

    def handle() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, handle)
            return
        check = box.checkBox()
        seen["text"] = box.text()
        seen["check"] = check.text() if check is not None else None
        seen["checked_by_default"] = check.isChecked() if check is not None else None
        if tick and check is not None:
            qtbot.mouseClick(check, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, handle)


def test_deleting_an_article_keeps_its_notes_by_default(qtbot, window) -> None:
    aid = window.current_id
    title = window.reader.article.title
    annotate(qtbot, window, "Jens Stoltenberg", note="keep me")
    seen: dict = {}
    _answer_delete(qtbot, tick=None, seen=seen)
    window.list_pane.table.setFocus()
    window.list_pane.select_id(aid)
    qtbot.keyClick(window.list_pane.table, Qt.Key.Key_Delete)
    assert seen["check"] == "Also delete their 1 note" and seen["checked_by_default"] is False
    qtbot.waitUntil(lambda: window.list_pane.model.row_of(aid) < 0, timeout=3000)  # (deleted in a worker)
    assert window.library.article(aid) is None
    [ann] = window.library.annotations()
    assert ann.orphan and ann.note == "keep me" and ann.article_title == title
    panel = window.annotation_panel
    panel.scope.setCurrentIndex(panel.scope.findData("library"))
    assert rows(panel) == [f"{title}\n{ORPHAN_MARK}\n“Jens Stoltenberg”\n✎ keep me"]
    assert "1 could not be placed" in panel.status.text()
    # undo brings the article back with its note placed again
    window.actions_by_name["undo"].trigger()
    qtbot.waitUntil(lambda: window.list_pane.model.row_of(aid) >= 0, timeout=3000)
    [ann] = window.library.annotations()
    assert not ann.orphan
    assert rows(panel) == [f"{title}\n“Jens Stoltenberg”\n✎ keep me"]


def test_deleting_an_article_with_its_notes_when_ticked_and_undo(qtbot, window) -> None:
    aid = window.current_id
    annotate(qtbot, window, "Jens Stoltenberg", note="one")
    annotate(qtbot, window, "First point")
    seen: dict = {}
    _answer_delete(qtbot, tick=True, seen=seen)
    window.list_pane.select_id(aid)
    window.actions_by_name["delete"].trigger()
    assert seen["check"] == "Also delete their 2 notes"
    qtbot.waitUntil(lambda: window.list_pane.model.row_of(aid) < 0, timeout=3000)
    assert window.library.article(aid) is None and window.library.annotations() == []
    window.actions_by_name["undo"].trigger()
    qtbot.waitUntil(lambda: window.list_pane.model.row_of(aid) >= 0, timeout=3000)
    assert sorted(a.exact for a in window.library.annotations(aid)) == ["First point", "Jens Stoltenberg"]


def test_no_checkbox_without_notes(qtbot, window) -> None:
    seen: dict = {}
    _answer_delete(qtbot, tick=None, seen=seen)
    window.actions_by_name["delete"].trigger()
    assert seen["check"] is None and "Delete 1 article(s)" in seen["text"]


@pytest.fixture
def seed_window(qtbot, library, settings, search_index, monkeypatch, tmp_path, seeds_dir):
    """A window over an empty library, and a copy of a bundled DW article to import."""
    from reader.ui.app import make_main_window

    seed = tmp_path / "nato.txt"
    shutil.copy(next(seeds_dir.glob("000_*.txt")), seed)
    win = make_main_window(library, settings=settings, index=search_index, import_seeds=False, recognise=False)
    win.reader.view.open_external = False
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.list_loaded, timeout=5000)
    yield win, seed
    win.runner.cancel_all()
    win.runner.wait(10000)


def _import(qtbot, window, path: Path) -> None:
    window.importer.last_report = None
    window.importer.import_paths([str(path)])
    qtbot.waitUntil(lambda: window.importer.last_report is not None, timeout=20000)


def test_edited_reimport_reanchors_notes_and_lists_the_lost_one(qtbot, seed_window) -> None:
    window, seed = seed_window
    _import(qtbot, window, seed)
    qtbot.waitUntil(lambda: window.reader.article is not None, timeout=5000)
    annotate(qtbot, window, "rock-solid", colour="pink", note="strong words")
    doomed = "He also expressed support for a pathway for Ukraine to eventually join the bloc."
    annotate(qtbot, window, doomed, colour="purple", note="goes away")
    # the article changes: a paragraph added before the quotes, one sentence removed
    text = seed.read_text(encoding="utf-8")
    assert "What you need to know\n\nNATO foreign ministers" in text and doomed in text
    text = text.replace("What you need to know\n\nNATO foreign ministers",
                        "What you need to know\n\nAn editor's note added later.\n\nNATO foreign ministers")
    seed.write_text(text.replace(" " + doomed, ""), encoding="utf-8")
    _import(qtbot, window, seed)
    assert window.importer.last_report.summary().startswith("0 added, 1 updated")
    plain = window.reader.article.plain_text
    assert "An editor's note added later." in plain  # the reader shows the new text
    assert window.reader.view.document().toPlainText() == plain
    placed = [a for a in window.library.annotations(window.current_id) if not a.orphan]
    [rock] = placed
    assert plain[rock.start:rock.end] == "rock-solid"
    assert [(s, e) for s, e, _f, _t in window.reader.view.layer_spans("annotations")] == [(rock.start, rock.end)]
    assert format_at(window.reader.view, rock.start).background().color() == annotation_colour("pink", False)
    assert rows(window.annotation_panel) == [
        "“rock-solid”\n✎ strong words",
        f"{ORPHAN_MARK}\n“{doomed}”\n✎ goes away",
    ]


def test_bookmarks_filter_and_index(qtbot, window, built_index) -> None:
    aid = window.current_id
    window.reader.view.setFocus()
    qtbot.keyClick(window.reader.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: search_ids(built_index, window.library, "is:bookmarked") == {aid}, timeout=5000)
    window.list_pane.filter_combo.setCurrentIndex(window.list_pane.filter_combo.findText("Bookmarked"))
    qtbot.waitUntil(lambda: window.list_pane.model.rowCount() == 1, timeout=3000)
    assert window.list_pane.model.id_at(0) == aid
    qtbot.keyClick(window.reader.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: search_ids(built_index, window.library, "is:bookmarked") == set(), timeout=5000)


def test_shortcuts_dialog_lists_the_note_keys(qtbot, window) -> None:
    from reader.ui.dialogs.shortcuts import shortcut_rows

    table = dict(shortcut_rows(window))
    assert table["Highlight selection"] == "H"
    assert table["Highlight with a note"] == "N"
    assert table["Yellow — important"] == "Alt+1" and table["Purple — follow up"] == "Alt+5"
    assert table["Export notes"] == "Ctrl+Shift+E"
    assert "Ctrl+Z" in table["Undo"] and "Ctrl+Shift+Z" in table["Redo"]
    assert table["Show notes panel"] == "Ctrl+Shift+N"
    assert "Del" in table["Delete the selected note (in the notes panel)"]
