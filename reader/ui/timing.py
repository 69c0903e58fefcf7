"""Timing marks for the benchmarks (``READER_TIMING=1``), and the GUI process's GIL switch interval."""

from __future__ import annotations

import os
import sys
import time
from typing import Any


def timing_mark(name: str) -> None:
    """Print a timing mark when ``READER_TIMING=1`` (benchmarks read them)."""
    if os.environ.get("READER_TIMING") == "1":
        print(f"READER_TIMING {name} {time.time():.6f}", flush=True)


def mark_index_ready(state: Any) -> None:
    """``index_ready`` once the index state says it is ready."""
    if getattr(state, "ready", False):
        timing_mark("index_ready")


#: GIL switch interval for the GUI process (s).  Every call from Qt into Python
#: (a model's data(), a delegate, a slot) must take the GIL; while a worker
#: thread runs Python (loading the list's ids, a small import) each take waits
#: up to the interval (5 ms by default), and laying out a page of results makes
#: dozens of them: 170 ms stalls measured at 10x when searches still ran in this
#: process.  1 ms bounds that wait at a small cost in switching for the workers.
GUI_SWITCH_INTERVAL = 0.001


def shorten_gil_switch_interval() -> None:
    """Set :data:`GUI_SWITCH_INTERVAL` for this process (never lengthen it)."""
    if sys.getswitchinterval() > GUI_SWITCH_INTERVAL:
        sys.setswitchinterval(GUI_SWITCH_INTERVAL)
