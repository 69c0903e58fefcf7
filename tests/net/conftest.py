"""The ``server`` fixture: a real HTTP server on 127.0.0.1, stopped after the test."""

from __future__ import annotations

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
