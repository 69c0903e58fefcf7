"""Fixtures shared by the reliability tests."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest


@pytest.fixture
def fresh_logging() -> Iterator[None]:
    """cli.main configures logging once per process, its stderr handler bound to the
    sys.stderr of that moment; give each in-process run its own (as a new process has)."""
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
