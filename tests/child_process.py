"""Running the app's code in a child process for crash tests: its environment,
and killing it then reading what it reported."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def child_env(**extra: str) -> dict[str, str]:
    """This environment, with the checkout importable (and ``extra`` set)."""
    return {**os.environ, "PYTHONPATH": str(ROOT), **extra}


def kill_and_drain(child: subprocess.Popen[str], kill: Callable[[], None]) -> tuple[list[tuple[str, str]], str]:
    """``kill()`` the child, wait for it, close its pipes; returns the ``kind id``
    lines it printed after the caller's last ``readline`` (a last line cut off
    by the kill does not count: its id may be cut short) and its stderr."""
    out = err = ""
    try:
        kill()
        child.wait(timeout=10)
        out = child.stdout.read()  # type: ignore[union-attr]  # (not communicate(): it skips readline's buffer)
        err = child.stderr.read()  # type: ignore[union-attr]
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()  # type: ignore[union-attr]
        child.stderr.close()  # type: ignore[union-attr]
    lines = []
    for line in out.split("\n")[:-1]:
        kind, ident = line.split()
        lines.append((kind, ident))
    return lines, err


def wait_for(done: Callable[[], bool], failure: Callable[[], str], limit_s: float) -> None:
    """Poll ``done`` until it holds; fail with ``failure()`` if it never does
    (``limit_s`` only bounds a hang: the test checks the event, not the time)."""
    import time

    end = time.monotonic() + limit_s
    while not done():
        if time.monotonic() > end:
            raise AssertionError(failure())
        time.sleep(0.05)
