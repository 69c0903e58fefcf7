"""The index folder on disk: generations, the writer lock and the state sidecar.

Layout (``index_dir`` is a cache: anything odd in it is rebuilt, never trusted)::

    index_dir/
      LOCK                  flock held by whoever writes (refresh, update_docs)
      CURRENT               name of the live generation folder, replaced atomically
      g000007/              one complete Whoosh index
        _MAIN_<n>.toc, MAIN_<segment>.*      Whoosh's files
        SCHEMA_VERSION      our schema version (text); another value -> rebuild
        state.txt           sidecar: a JSON line (Whoosh TOC generation, file
                            sizes/mtimes, count), then one "id<TAB>version" line
                            per article; rewritten after every commit
        DAMAGED             marker left by a search that could not read the index

A full (re)build writes a new generation folder and then swaps ``CURRENT``, so
searches (also in another app instance) always see a complete index and a
kill -9 at any moment leaves the previous generation intact.  Incremental
changes commit into the live generation (Whoosh's own TOC swap is atomic) and
then rewrite the sidecar; a sidecar that does not match the TOC generation is
recomputed from the index's stored fields.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from whoosh.util.filelock import FileLock

from reader.fsutil import atomic_write
from reader.search.schema import SCHEMA_VERSION

log = logging.getLogger(__name__)

INDEX_NAME = "MAIN"
SCHEMA_FILE = "SCHEMA_VERSION"
STATE_FILE = "state.txt"
DAMAGED_FILE = "DAMAGED"
_GEN_RE = re.compile(r"^g(\d{6,})$")
_TOC_RE = re.compile(r"^_MAIN_(\d+)\.toc$")
_WHOOSH_FILE_RE = re.compile(r"^(_MAIN_\d+\.toc|MAIN_[0-9a-z]+\.[A-Za-z0-9_.]+)$")


def toc_generation(path: Path) -> int:
    """The newest Whoosh TOC generation in ``path`` (-1: none)."""
    best = -1
    try:
        names = os.listdir(path)
    except OSError:
        return -1
    for name in names:
        match = _TOC_RE.match(name)
        if match:
            best = max(best, int(match.group(1)))
    return best


def file_manifest(path: Path) -> dict[str, list[int]]:
    """name -> [size, mtime_ns] of Whoosh's files in ``path`` (never rewritten in place)."""
    out: dict[str, list[int]] = {}
    for entry in os.scandir(path):
        if entry.is_file() and _WHOOSH_FILE_RE.match(entry.name):
            st = entry.stat()
            out[entry.name] = [st.st_size, st.st_mtime_ns]
    return out


@dataclass
class IndexState:
    """The sidecar of one generation (see the module docstring)."""

    schema: int
    toc: int
    files: dict[str, list[int]]
    versions: dict[str, str]

    def matches_disk(self, path: Path) -> bool:
        """Cheap check that the Whoosh files are the ones this state was written for."""
        for name, (size, mtime) in self.files.items():
            try:
                st = os.stat(path / name)
            except OSError:
                return False
            if st.st_size != size or st.st_mtime_ns != mtime:
                return False
        return True


def read_state(path: Path) -> IndexState | None:
    """The sidecar of generation folder ``path``, or ``None`` if missing or unreadable.

    The versions are lines, not one JSON object: ``json.loads`` of 22k entries
    is one C call holding the GIL for 40-90 ms, a GUI stall at every start
    (this runs in a thread of the app); splitting lines in a generator lets
    the GUI thread in every few milliseconds."""
    try:
        head, _, body = (path / STATE_FILE).read_text(encoding="utf-8").partition("\n")
        data = json.loads(head)
        versions = dict(line.split("\t", 1) for line in body.splitlines())  # type: ignore[misc]
        if len(versions) != int(data["count"]):
            return None
        state = IndexState(int(data["schema"]), int(data["toc"]), dict(data["files"]), versions)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return state


def write_state(path: Path, versions: dict[str, str]) -> IndexState:
    """Record the current TOC generation, file manifest and versions of ``path``
    (article ids and versions never hold tabs or newlines: hex and "hash:rev")."""
    state = IndexState(SCHEMA_VERSION, toc_generation(path), file_manifest(path), versions)
    head = {"schema": state.schema, "toc": state.toc, "files": state.files, "count": len(versions)}
    lines = "\n".join(f"{k}\t{v}" for k, v in versions.items())
    atomic_write(path / STATE_FILE, json.dumps(head, separators=(",", ":")) + "\n" + lines)
    return state


def read_schema_version(path: Path) -> int | None:
    try:
        return int((path / SCHEMA_FILE).read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None


class IndexFolder:
    """The index folder: which generation is live, new generations, the lock."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    # ---- generations ----------------------------------------------------
    def current(self) -> Path | None:
        """The live generation folder, or ``None`` when there is none."""
        try:
            name = (self.root / "CURRENT").read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return None
        if not _GEN_RE.match(name):
            return None
        path = self.root / name
        return path if path.is_dir() else None

    def generations(self) -> list[Path]:
        try:
            return sorted(p for p in self.root.iterdir() if p.is_dir() and _GEN_RE.match(p.name))
        except OSError:
            return []

    def new_generation(self) -> Path:
        """A fresh, empty generation folder (numbered after every existing one)."""
        self.root.mkdir(parents=True, exist_ok=True)
        numbers = [int(_GEN_RE.match(p.name).group(1)) for p in self.generations()]  # type: ignore[union-attr]
        path = self.root / f"g{max(numbers, default=0) + 1:06d}"
        path.mkdir()
        (path / SCHEMA_FILE).write_text(f"{SCHEMA_VERSION}\n", encoding="ascii")
        return path

    def publish(self, path: Path) -> None:
        """Make ``path`` the live generation and remove the others."""
        atomic_write(self.root / "CURRENT", path.name + "\n")
        self.remove_stale()

    def remove_stale(self) -> None:
        """Delete every generation but the live one (call with the lock held).

        Searches still reading an old generation keep working on POSIX (open
        files survive unlinking) and retry on the new one otherwise."""
        live = self.current()
        for path in self.generations():
            if live is None or path != live:
                shutil.rmtree(path, ignore_errors=True)

    # ---- the writer lock --------------------------------------------------
    @contextlib.contextmanager
    def lock(self, timeout: float) -> Iterator[bool]:
        """Hold the writer lock; yields whether it was acquired within ``timeout`` s.

        A flock: released by the OS when its holder dies (kill -9 included)."""
        self.root.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.root / "LOCK"))
        deadline = time.monotonic() + timeout
        acquired = lock.acquire(blocking=False)
        while not acquired and time.monotonic() < deadline:
            time.sleep(0.02)
            acquired = lock.acquire(blocking=False)
        try:
            yield acquired
        finally:
            if acquired:
                lock.release()

    # ---- markers ----------------------------------------------------------
    @staticmethod
    def mark_damaged(path: Path, reason: str) -> None:
        with contextlib.suppress(OSError):
            (path / DAMAGED_FILE).write_text(reason[:500] + "\n", encoding="utf-8")

    @staticmethod
    def is_damaged(path: Path) -> bool:
        return (path / DAMAGED_FILE).exists()
