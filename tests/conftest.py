"""Test setup: Qt offscreen before Qt is imported; every test gets its own READER_HOME."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests.net.httpserver import LocalServer

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

# Bounded property tests in the normal run; `make fuzz` runs many more examples.
settings.register_profile("default", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=5000, deadline=None, suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
BBC = ROOT.parent / "shared" / "data" / "bbc"


@pytest.fixture(autouse=True)
def reader_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point all of Reader's data, cache, state and config dirs into tmp_path."""
    home = tmp_path / "reader-home"
    home.mkdir()
    monkeypatch.setenv("READER_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def fresh_logging() -> Iterator[None]:
    """Logging as a new process has it, for every test: ``cli.main`` configures the
    root logger once per process (a file handler in this test's READER_HOME, a
    stderr handler on this test's captured stderr); both are removed afterwards,
    so no later test writes into this one's files or streams."""
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


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture
def bbc_dir() -> Path:
    if not BBC.is_dir():
        pytest.skip("the BBC corpus (../shared/data/bbc) is not beside this checkout")
    return BBC


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Let every window's background jobs end before the interpreter does: a Qt
    pool thread still running Python at finalisation aborts the process."""
    import sys

    workers = sys.modules.get("reader.ui.workers")
    if workers is not None:
        workers.wait_for_all_runners(120000)


@pytest.fixture
def server() -> Iterator[LocalServer]:
    """A real HTTP server on 127.0.0.1 (tests/net/httpserver.py), stopped after the test."""
    srv = LocalServer().start()
    try:
        yield srv
    finally:
        srv.stop()
