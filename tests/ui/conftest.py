"""UI test fixtures: a temp library of synthetic articles, the real search
index built over it (in the test's READER_HOME), and a window over them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from ui_fixtures import fill_library

from reader import paths
from reader.search import SearchIndex, SearchService
from reader.store import Library


@pytest.fixture
def library(reader_home: Path) -> Iterator[Library]:
    lib = Library.open(reader_home / "library.sqlite3")
    yield lib
    lib.close()


@pytest.fixture
def filled_library(library: Library) -> Library:
    fill_library(library, 12)
    return library


@pytest.fixture
def settings(reader_home: Path) -> QSettings:
    return QSettings(str(reader_home / "test-settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def search_index(reader_home: Path) -> SearchIndex:
    """The real search index where the app keeps it (under this test's
    READER_HOME); empty until something refreshes it."""
    return SearchIndex(paths.index_dir())


@pytest.fixture
def built_index(filled_library: Library, search_index: SearchIndex) -> SearchIndex:
    """The real search index, fully built over the synthetic library before the
    window starts (12 small articles: ~0.05 s, in this thread)."""
    assert filled_library.path is not None
    stats = search_index.refresh(filled_library.path, full=True)
    assert stats.rebuilt and search_index.doc_count() == filled_library.count()
    return search_index


@pytest.fixture
def window(request, qtbot, filled_library: Library, settings: QSettings, built_index: SearchIndex, monkeypatch):
    """The window over the synthetic library, searching ``built_index`` in this
    process; parametrized indirectly with "search_process", it searches the
    same index through the search process as the app does (one more process
    start per test, so only where that path matters)."""
    from reader.ui import controller
    from reader.ui.app import make_main_window

    monkeypatch.setattr(controller, "entities_api", lambda: None)  # keep the test entities

    index: SearchIndex | SearchService = built_index
    if getattr(request, "param", "in_process") == "search_process":
        index = SearchService(built_index.index_dir)
    win = make_main_window(filled_library, settings=settings, index=index, import_seeds=False)
    win.reader.view.open_external = False
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.reader.article is not None, timeout=5000)
    # the startup refresh has finished (it re-runs a search showing when it ends)
    qtbot.waitUntil(lambda: win.indexing.state.startswith("Index: ") and win.indexing.state[7:8].isdigit(),
                    timeout=30000)
    yield win
    win.runner.cancel_all()
    win.runner.wait(10000)
