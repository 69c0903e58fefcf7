"""Logging: a rotating file in the user's log dir, and stderr with ``--verbose``."""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

from reader import paths

LOG_NAME = "reader.log"


def log_file() -> Path:
    return paths.log_dir() / LOG_NAME


def setup_logging(verbose: bool = False) -> Path | None:
    """Configure the root logger once; returns the log file path (None if unwritable)."""
    root = logging.getLogger()
    if getattr(root, "_reader_configured", False):
        return log_file()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    path: Path | None = None
    try:
        path = log_file()
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
        handler.setFormatter(fmt)
        root.addHandler(handler)
    except OSError as exc:  # read-only home: keep going, say so on stderr
        print(f"reader: cannot write the log file ({exc})", file=sys.stderr)
        path = None
    stream = logging.StreamHandler(sys.stderr)
    stream.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    stream.setLevel(logging.DEBUG if verbose else logging.WARNING)
    root.addHandler(stream)
    root._reader_configured = True  # type: ignore[attr-defined]
    return path
