"""Importing from the GUI: the menu (QFileDialog patched), drag-and-drop, the
summary of failures, and the first start with the bundled seeds."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog
from ui_fixtures import search_ids


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "one.md").write_text("# Sudden thaw in Oslo\n\nThe fjord melted on Tuesday, officials said.\n",
                                   encoding="utf-8")
    (folder / "two.txt").write_text("Quiet harbour reopens\n\nBoats returned to the quay in Bergen.\n",
                                    encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    return folder


def test_import_folder_by_menu(qtbot, window, tmp_path, monkeypatch, built_index) -> None:
    folder = _folder(tmp_path)
    chosen: list[str] = []

    def choose() -> None:  # the folder dialog, as a person answers it
        dialog = QApplication.activeModalWidget()
        assert dialog is not None and dialog.objectName() == "importFolderDialog"
        dialog.setDirectory(str(folder))
        dialog.selectFile(str(folder))
        chosen.append(dialog.windowTitle())
        dialog.accept()

    QTimer.singleShot(0, choose)
    window.actions_by_name["import_folder"].trigger()
    assert chosen == ["Import folder"]
    qtbot.waitUntil(lambda: window.importer.last_report is not None, timeout=10000)
    report = window.importer.last_report
    assert len(report.added) == 2 and len(report.errors) == 1
    qtbot.waitUntil(lambda: window.list_pane.model.rowCount() == 14, timeout=5000)
    # the failure is listed, non-modal
    assert window.importer.summary is not None and window.importer.summary.isVisible()
    assert not window.importer.summary.isModal()
    assert "empty.txt" in window.importer.summary.errors.toPlainText()
    # the new articles reach the search index
    oslo = {aid for aid in report.added if "Oslo" in (window.library.plain_text(aid) or "")}
    assert len(oslo) == 1
    qtbot.waitUntil(lambda: search_ids(built_index, window.library, "fjord") == oslo, timeout=5000)
    qtbot.waitUntil(lambda: search_ids(built_index, window.library, "harbour bergen") == set(report.added) - oslo,
                    timeout=5000)


def test_import_files_by_menu(qtbot, window, tmp_path, monkeypatch) -> None:
    folder = _folder(tmp_path)
    files = [str(folder / "one.md")]
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: (files, "")))
    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.importer.last_report is not None, timeout=10000)
    assert len(window.importer.last_report.added) == 1
    assert window.importer.summary is None  # nothing failed: a status message only
    assert "1 added" in window.statusBar().currentMessage()


def test_import_by_drop(qtbot, window, tmp_path) -> None:
    folder = _folder(tmp_path)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder))])
    event = QDropEvent(QPoint(100, 100).toPointF(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    qtbot.waitUntil(lambda: window.importer.last_report is not None, timeout=10000)
    qtbot.waitUntil(lambda: window.list_pane.model.rowCount() == 14, timeout=5000)


def test_cancel_import(qtbot, window, tmp_path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(300):
        (folder / f"n{i}.txt").write_text(f"Headline {i}\n\nBody text number {i} for the test.\n", encoding="utf-8")
    window.importer.import_paths([str(folder)])
    window.importer.cancel()
    qtbot.waitUntil(lambda: window.importer.last_report is not None, timeout=20000)
    assert window.importer.last_report.cancelled
    assert len(window.importer.last_report.added) < 300


def test_first_start_imports_seeds(qtbot, library, settings, search_index, monkeypatch) -> None:
    from reader.ui.app import make_main_window

    win = make_main_window(library, settings=settings, index=search_index, recognise=False)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.reader.article is not None, timeout=3000)  # within a second or so
    assert library.count() == 2
    assert win.reader.article.title.startswith("NATO stresses unity")  # the newest seed
    assert win.reader.view.document().toPlainText() == win.reader.article.plain_text
    win.runner.wait(10000)
