"""Changes made by another process reach an open window: ``reader import``
beside it (the window polls the database's ``data_version`` every second)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from ui_fixtures import fill_library, search_ids

from reader import paths
from reader.search import SearchIndex, SearchService
from reader.store import Library
from reader.ui.events import What

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app_window(qtbot, reader_home: Path, settings):
    """A window over the app's own library file (where ``reader import`` writes)."""
    from reader.ui.app import make_main_window

    lib = Library.open(paths.database_path())
    fill_library(lib, 3)
    index = SearchIndex(paths.index_dir())
    index.refresh(paths.database_path(), full=True)
    win = make_main_window(lib, settings=settings, index=SearchService(paths.index_dir()), import_seeds=False,
                           recognise=False)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.list_pane.model.rowCount() == 3 and win.indexing.index_state.ready, timeout=30000)
    yield win, index
    win.runner.cancel_all()
    win.runner.wait(10000)
    win.close()
    lib.close()


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    import os

    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "reader", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=120)


def test_a_cli_import_shows_in_the_open_window_within_two_seconds(qtbot, app_window, tmp_path: Path) -> None:
    window, index = app_window
    changes: list[tuple[list[str], str]] = []
    window.events.articles_changed.connect(lambda ids, what: changes.append((ids, what)))
    source = tmp_path / "harbour.txt"
    source.write_text("Lighthouse keepers strike\n\nThe keepers of Fastnet walked out on Monday.\n", encoding="utf-8")
    proc = _cli("import", str(source), "--no-entities", "--no-index")
    assert proc.returncode == 0, proc.stderr
    assert "1 added" in proc.stdout
    # what a person sees: the list and the status bar count it (the poll runs every second)
    qtbot.waitUntil(lambda: window.list_pane.model.rowCount() == 4
                    and window.status_size.text() == "Library: 4 articles", timeout=2000)
    assert ([], What.EXTERNAL) in changes
    titles = [window.list_pane.model.index(r, 1).data() for r in range(4)]
    assert "Lighthouse keepers strike" in titles
    # the window brings the index up to date too (the import was told not to)
    qtbot.waitUntil(lambda: len(search_ids(index, window.library, "fastnet")) == 1, timeout=15000)


def test_the_windows_own_writes_are_not_taken_for_another_process(qtbot, app_window) -> None:
    window, _index = app_window
    noticed = window.watcher.noticed
    qtbot.keyClick(window.reader.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)  # a write of its own
    assert window.library.is_bookmarked(window.current_id)
    qtbot.waitUntil(lambda: not window.runner.writing(), timeout=5000)  # (its index update is written)
    assert window.watcher.check() is False  # (the same check the timer runs, now)
    other = Library.open(paths.database_path(), check=False)  # another connection, as another process
    try:
        other.set_bookmark(window.current_id, False)
    finally:
        other.close()
    assert window.watcher.check() is True
    assert window.watcher.noticed == noticed + 1
    assert window.watcher.check() is False  # once
    assert window.reader.star.text() == "☆"  # the open article shows the other process's change
