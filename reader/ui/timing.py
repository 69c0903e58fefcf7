"""Timing marks for the benchmarks (``READER_TIMING=1``)."""

from __future__ import annotations

import os
import time


def timing_mark(name: str) -> None:
    """Print a timing mark when ``READER_TIMING=1`` (benchmarks read them)."""
    if os.environ.get("READER_TIMING") == "1":
        print(f"READER_TIMING {name} {time.time():.6f}", flush=True)
