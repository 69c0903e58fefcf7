"""UI test fixtures: a temp library of synthetic articles, a fake search index
(so the search UI is tested on its own), and a window over them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from ui_fixtures import FakeIndex, fill_library

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
def fake_index() -> FakeIndex:
    return FakeIndex()


@pytest.fixture
def window(qtbot, filled_library: Library, settings: QSettings, fake_index: FakeIndex, monkeypatch):
    from reader.ui import controller
    from reader.ui.app import make_main_window

    monkeypatch.setattr(controller, "entities_api", lambda: None)  # keep the test entities

    win = make_main_window(filled_library, settings=settings, index=fake_index, import_seeds=False)
    win.reader.view.open_external = False
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.reader.article is not None, timeout=5000)
    yield win
    win.runner.cancel_all()
    win.runner.wait(10000)
