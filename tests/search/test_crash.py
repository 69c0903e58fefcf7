"""kill -9 in the middle of a refresh never leaves an index the next start cannot repair."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from reader.search import SearchIndex
from reader.store.library import Library
from tests.search.conftest import many_articles

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys
from pathlib import Path
sys.path.insert(0, {root!r})
from reader.search import SearchIndex
import reader.search.index as engine

if __name__ == "__main__":
    if sys.argv[3] != "full":
        engine.REBUILD_FRACTION = 1.0  # keep the incremental path even for a big change
    ix = SearchIndex(Path(sys.argv[1]))
    ix.refresh(Path(sys.argv[2]), progress=lambda d, t: print("progress", d, t, flush=True), full=sys.argv[3] == "full")
    print("done", flush=True)
"""


def _kill_when(proc: subprocess.Popen[bytes], when: str, whom: str) -> str:
    """Kill ``proc`` (or its whole process group) at a moment of the refresh; returns
    the output line it was killed after."""
    line = ""
    if when.startswith("after:"):
        time.sleep(float(when.split(":")[1]))
    else:
        assert proc.stdout is not None
        guard = threading.Timer(60, lambda: os.killpg(proc.pid, signal.SIGKILL))
        guard.start()
        for raw in proc.stdout:
            line = raw.decode().strip()
            if line.startswith("progress"):
                done, total = map(int, line.split()[1:])
                if when == "first-progress" or (when == "last-progress" and done == total):
                    break
            if line == "done":
                break
        guard.cancel()
    if whom == "group":
        os.killpg(proc.pid, signal.SIGKILL)  # the refresh and its workers
    else:
        proc.send_signal(signal.SIGKILL)  # only the refresh: orphaned workers must give up
    proc.wait(10)
    return line


@pytest.mark.slow
def test_kill_9_during_refresh_is_repaired(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    index_dir = tmp_path / "index"
    script = tmp_path / "refresh_script.py"
    script.write_text(SCRIPT.format(root=str(ROOT)))
    lib = Library.open(db)
    for article in many_articles(150):
        lib.upsert(article)
    SearchIndex(index_dir).refresh(db)
    start = 1000
    plans = [
        ("incremental", "first-progress", "group"),
        ("full", "first-progress", "main"),
        ("incremental", "first-progress", "main"),
        ("full", "after:0.3", "group"),
        ("incremental", "last-progress", "group"),
        ("full", "last-progress", "main"),
    ]
    for mode, when, whom in plans:
        # change enough to need a worker process
        for article in many_articles(250, start=start):
            lib.upsert(article)
        start += 1000
        proc = subprocess.Popen(
            [sys.executable, str(script), str(index_dir), str(db), mode],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        last = _kill_when(proc, when, whom)
        assert last != "done", (mode, when, "finished before the kill")
        # the next start repairs or completes the index
        ix = SearchIndex(index_dir)
        ix.refresh(db)
        assert ix.is_ready()
        assert ix.doc_count() == lib.count()
        hits = ix.search(f"unique{start - 1000}", lib).hits
        assert [h.id for h in hits] == [f"gen{start - 1000}"]
        assert ix.search("unique5", lib).total == 1
        stats = SearchIndex(index_dir).refresh(db)
        assert (stats.added, stats.updated, stats.deleted, stats.rebuilt) == (0, 0, 0, False)
    lib.close()
    # orphaned workers (their refresh was killed) notice and leave
    deadline = time.monotonic() + 10
    while _orphans(tmp_path) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _orphans(tmp_path) == []


def _orphans(tmp_path: Path) -> list[int]:
    """Worker processes started by this test that are still running."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if b"spawn_main" in cmdline and str(tmp_path).encode() in environ:
            found.append(int(entry.name))
    return found
