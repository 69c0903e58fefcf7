"""The application shell: identity (name, icon, settings path), the crash dialog,
and what happens when the library cannot be opened."""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from reader import paths
from reader.store.db import SCHEMA_VERSION
from reader.ui.app import app_icon, make_settings, open_library
from reader.ui.crash import CrashReporter


def test_application_identity(qapp: QApplication) -> None:
    from reader.ui.app import ensure_app

    assert ensure_app() is qapp
    assert not app_icon().isNull(), "the SVG icon must load (resources/icons/reader.svg)"
    settings = make_settings()
    assert Path(settings.fileName()).parent == paths.config_dir()


@pytest.mark.qt_no_exception_capture
def test_exception_in_a_slot_shows_a_dialog_naming_the_log(qtbot, tmp_path: Path,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    log_path = tmp_path / "reader.log"
    reporter = CrashReporter(lambda: log_path)
    reporter.install()
    try:
        def broken_slot() -> None:
            raise ZeroDivisionError("division by zero in a slot")

        with caplog.at_level(logging.ERROR):
            QTimer.singleShot(0, broken_slot)
            qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible(), timeout=3000)
        box = reporter.dialog
        assert box is not None
        assert "ZeroDivisionError" in box.text()
        assert str(log_path) in box.informativeText()
        assert "safe" in box.informativeText()
        assert "broken_slot" in box.detailedText()
        assert any("division by zero" in r.getMessage() for r in caplog.records)
        # a second error right away is logged but does not stack another dialog
        QTimer.singleShot(0, broken_slot)
        qtbot.waitUntil(lambda: reporter.count == 2, timeout=3000)
        QCoreApplication.processEvents()
        dialogs = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, QMessageBox) and w.objectName() == "crashDialog" and w.isVisible()]
        assert dialogs == [box]
        box.close()
        qtbot.waitUntil(lambda: reporter.dialog is None, timeout=3000)  # deleted on close
    finally:
        reporter.uninstall()


@pytest.mark.qt_no_exception_capture
def test_exception_in_a_thread_reaches_the_gui(qtbot, tmp_path: Path) -> None:
    reporter = CrashReporter(lambda: None)
    reporter.install()
    try:
        def work() -> None:
            raise RuntimeError("worker thread failed")

        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
        qtbot.waitUntil(lambda: reporter.dialog is not None, timeout=3000)
        assert "worker thread failed" in reporter.dialog.text()
        assert "could not be written" in reporter.dialog.informativeText()
        reporter.dialog.close()
        qtbot.waitUntil(lambda: reporter.dialog is None, timeout=3000)
    finally:
        reporter.uninstall()


def test_newer_library_is_not_offered_for_moving_aside(tmp_path: Path) -> None:
    db = tmp_path / "library.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE articles (id TEXT)")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    asked: list[str] = []
    assert open_library(db, ask=lambda msg: asked.append(msg) or True) is None
    assert asked == [], "a healthy file from a newer Reader must not be offered for replacement"
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("library")) == ["library.sqlite3"]


def test_damaged_library_is_moved_aside_only_when_the_user_agrees(tmp_path: Path) -> None:
    db = tmp_path / "library.sqlite3"
    db.write_bytes(b"this is not an SQLite database at all" * 100)
    asked: list[str] = []
    assert open_library(db, ask=lambda msg: asked.append(msg) or False) is None
    assert len(asked) == 1 and str(db) in asked[0]
    assert db.read_bytes().startswith(b"this is not")
    lib = open_library(db, ask=lambda msg: True)
    assert lib is not None
    lib.close()
    kept = [p for p in tmp_path.iterdir() if ".damaged-" in p.name]
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"this is not")


def _library_with_articles(path: Path, n: int = 300) -> None:
    from reader.core.article import Article, Block, BlockKind, article_id
    from reader.store import Library

    lib = Library.open(path)
    for i in range(n):
        body = f"Paragraph {i} " + "words and more words " * 40
        lib.upsert(Article(id=article_id(f"t:{i}"), identity=f"t:{i}", title=f"Title {i}", content_hash=f"h{i}",
                           blocks=(Block(BlockKind.PARAGRAPH, body),)))
    lib.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    lib.close()


def test_start_checks_the_library_beside_building_the_window(qtbot, tmp_path: Path) -> None:
    from reader.ui.app import _open_checked

    db = tmp_path / "library.sqlite3"
    _library_with_articles(db)
    asked: list[str] = []
    library, window = _open_checked(db, ask=lambda m: asked.append(m) or False)
    assert library is not None and window is not None and asked == []
    assert library.count() == 300
    window.deleteLater()
    library.close()


def test_start_with_a_corrupt_page_asks_before_anything_is_shown(qtbot, tmp_path: Path) -> None:
    from reader.store.db import check_integrity
    from reader.ui.app import _open_checked

    db = tmp_path / "library.sqlite3"
    _library_with_articles(db)
    data = bytearray(db.read_bytes())
    page = 4096
    middle = (len(data) // page // 2) * page
    data[middle + 8:middle + page] = b"\xa5" * (page - 8)  # garble one page's cells, keep its header byte
    db.write_bytes(bytes(data))
    assert check_integrity(db) is not None, "the garbled page must be noticed"
    asked: list[str] = []
    library, window = _open_checked(db, ask=lambda m: asked.append(m) or False)
    assert (library, window) == (None, None)
    assert len(asked) == 1 and str(db) in asked[0] and "damaged" in asked[0]
    assert db.read_bytes() == bytes(data), "the damaged file is left untouched"
