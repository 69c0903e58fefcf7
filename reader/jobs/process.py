"""Run a function in a spawned process and relay its progress back.

Parsing, storing and recognising entities are pure Python holding the GIL; in
a thread of the GUI process they take turns with the GUI thread.  So bulk work
runs in a process of its own, started with the ``spawn`` context (never
``fork``: the GUI process runs Qt threads).
"""

from __future__ import annotations

import multiprocessing
import os
import queue as queue_mod
import time
import traceback
from collections.abc import Callable
from typing import Any

from reader import childproc

Progress = Callable[[int, int, str], None]  # done, total, current item name

_PROGRESS_EVERY_S = 0.05


class JobProcessError(RuntimeError):
    """The job's process failed or vanished (what it stored stays stored)."""


def _child(target: Callable[..., Any], args: tuple[Any, ...], out: Any, cancel: Any, parent_pid: int) -> None:
    """In the spawned process: ``target(*args, progress=..., cancel=...)``, its
    progress (throttled) and its result or traceback sent through ``out``."""
    childproc.watch_parent(parent_pid)
    childproc.lower_priority()
    try:
        last = [0.0]

        def progress(done: int, total: int, name: str = "") -> None:
            now = time.monotonic()
            if done >= total or now - last[0] >= _PROGRESS_EVERY_S:
                last[0] = now
                out.put(("progress", done, total, name))

        out.put(("done", target(*args, progress=progress, cancel=cancel.is_set)))
    except BaseException:
        out.put(("error", traceback.format_exc()))


def run_in_process(
    target: Callable[..., Any],
    args: tuple[Any, ...],
    *,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
    name: str = "reader-job",
) -> Any:
    """Run ``target(*args, progress=p, cancel=c)`` (a module-level function: it
    is pickled) in a spawned process - never ``fork``: the GUI process runs Qt
    threads - and return its result.  This thread only relays ``progress(done,
    total, name)`` and the ``cancel()`` request.  The process exits when its
    parent dies.  Raises :class:`JobProcessError` when it fails."""
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    cancelled = ctx.Event()
    # not a daemon: it may start its own workers (entity recognition does); it
    # leaves when asked to cancel, and at once when this process dies
    proc = ctx.Process(target=_child, args=(target, args, out, cancelled, os.getpid()), name=name, daemon=False)
    proc.start()
    try:
        while True:
            if cancel is not None and cancel():
                cancelled.set()
            try:
                msg = out.get(timeout=0.1)
            except queue_mod.Empty:
                if proc.exitcode is None:
                    continue
                try:  # it exited: what it sent last may still be in the pipe
                    msg = out.get(timeout=1.0)
                except queue_mod.Empty:
                    raise JobProcessError(f"the {name} process exited unexpectedly (code {proc.exitcode})") from None
            if msg[0] == "progress":
                if progress is not None:
                    progress(msg[1], msg[2], msg[3])
            elif msg[0] == "done":
                return msg[1]
            else:
                raise JobProcessError(f"the {name} process failed:\n{msg[1]}")
    finally:
        proc.join(timeout=5)
        if proc.is_alive():
            proc.kill()
            proc.join(timeout=5)
        out.close()
