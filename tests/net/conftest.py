"""The ``server`` fixture: a real HTTP server on 127.0.0.1, stopped after the test;
and logging as a new process has it (these tests run ``cli.main`` in-process)."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from tests.net.httpserver import LocalServer


@pytest.fixture
def server() -> Iterator[LocalServer]:
    srv = LocalServer().start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture(autouse=True)
def own_logging() -> Iterator[None]:
    """cli.main configures logging once per process (a file handler in this
    test's READER_HOME, a stderr handler on this test's captured stderr): undo
    it afterwards, so no later test writes into this one's files."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    root._reader_configured = False  # type: ignore[attr-defined]
    yield
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    root._reader_configured = False  # type: ignore[attr-defined]
