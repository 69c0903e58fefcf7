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


#: Niceness of worker processes (index writers, imports, entity recognition):
#: on 2 cores they would otherwise take the CPU from the GUI thread (stalls of
#: 100-600 ms measured during a 10x build, with the GUI thread idle in the event
#: loop waiting for a CPU).  Lower priority costs nothing on an idle machine.
WORKER_NICE = 10


def lower_priority(niceness: int = WORKER_NICE) -> None:
    """Add ``niceness`` to this process's nice value (no-op where unsupported)."""
    try:
        os.nice(niceness)
    except (AttributeError, OSError):
        pass
