"""Helpers for the spawned worker processes (index writers, imports, the
search process): exit with the parent, run at a lower priority."""

from __future__ import annotations

import os
import threading
import time


def watch_parent(parent_pid: int) -> None:
    """Exit this process at once when its parent dies (kill -9 included).

    Without it an orphan could hang for ever: at exit, multiprocessing flushes
    its queues into pipes nobody reads any more.  Whatever the process
    committed stays committed; work under way is abandoned as after a crash."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(0.25)
        os._exit(3)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def lower_priority(niceness: int) -> None:
    """Add ``niceness`` to this process's nice value (no-op where unsupported)."""
    try:
        os.nice(niceness)
    except (AttributeError, OSError):
        pass
