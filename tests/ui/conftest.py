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


def pytest_configure(config) -> None:  # noqa: ANN001
    config.addinivalue_line("markers", "window_options(search=..., recognise=...): how the window fixture starts")


@pytest.fixture
def window(request, qtbot, filled_library: Library, settings: QSettings, built_index: SearchIndex):
    """The window over the synthetic library as the app runs: searching
    ``built_index`` through the search process, and with the entities pass
    (the rules backend: no spaCy model to load) - done before the test starts.

    A test opts out with ``@pytest.mark.window_options(search="in_process")``
    (the same index in this process) or ``recognise=False`` (keep the
    synthetic entities of ``fill_library``); parametrized indirectly with
    "in_process" or "search_process" it runs with either index."""
    from reader.ui.app import make_main_window

    marker = request.node.get_closest_marker("window_options")
    options = dict(marker.kwargs) if marker else {}
    where = getattr(request, "param", options.get("search", "search_process"))
    recognise = bool(options.get("recognise", True))
    settings.setValue("entities/backend", "rules")
    index: SearchIndex | SearchService = built_index if where == "in_process" else SearchService(built_index.index_dir)
    win = make_main_window(filled_library, settings=settings, index=index, import_seeds=False, recognise=recognise)
    win.reader.view.open_external = False
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.reader.article is not None, timeout=5000)
    # the startup refresh has finished (it re-runs a search showing when it ends)
    qtbot.waitUntil(lambda: win.indexing.index_state.ready, timeout=30000)
    if recognise:  # the entities pass ran over the library, and its own refresh of the index followed
        qtbot.waitUntil(lambda: win.status_entities.text().startswith("Entities: ")
                        and win.status_entities.text().split(": ")[1][:1].isdigit()
                        and not win.indexing.entities_running, timeout=60000)
        qtbot.waitUntil(lambda: win.indexing.index_state.ready and not win.indexing.refreshing, timeout=30000)
    yield win
    win.runner.cancel_all()
    win.runner.wait(10000)
