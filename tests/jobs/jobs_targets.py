"""Module-level job functions for test_process (a spawned process imports them by name)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from reader.store import Library


def count_to(n: int, *, progress: Callable[[int, int, str], None], cancel: Callable[[], bool]) -> dict[str, int]:
    for i in range(n):
        progress(i, n, f"item {i}")
    progress(n, n, "")
    return {"counted": n, "pid": os.getpid()}


def wait_for_cancel(flag: str, *, progress: Callable[[int, int, str], None], cancel: Callable[[], bool]) -> str:
    """Tell the parent it started (a file), then work until asked to stop
    (giving up after a minute, so a cancel that never arrives fails the test)."""
    Path(flag).write_text("started")
    give_up = time.monotonic() + 60
    while not cancel():
        if time.monotonic() > give_up:
            return "never cancelled"
        time.sleep(0.01)
    return "stopped"


def fail(message: str, *, progress: Callable[[int, int, str], None], cancel: Callable[[], bool]) -> None:
    raise ValueError(message)


def vanish(code: int, *, progress: Callable[[int, int, str], None], cancel: Callable[[], bool]) -> None:
    os._exit(code)


def tag_all(db: str, tag: str, *, progress: Callable[[int, int, str], None], cancel: Callable[[], bool]) -> int:
    with Library.open(db, check=False) as lib:
        ids = lib.ids()
        for n, aid in enumerate(ids):
            lib.add_tag(aid, tag)
            progress(n + 1, len(ids), aid)
        return len(ids)
