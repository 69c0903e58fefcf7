"""Importing files into the library: ingest each file, store it, report.

The same code runs for the CLI (``reader import``), the GUI's import dialog and
drag-and-drop, and the first-start import of the bundled seeds.  A bad file
never stops an import: it is reported with its reason and the rest goes on;
nothing already stored changes because of it.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue as queue_mod
import sqlite3
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader import childproc
from reader.core.ingest import IngestError, iter_files, load_file
from reader.store.library import ImportOutcome, Library

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]  # done, total, current file name

#: Content hooks, as "module:function" names, tried on every file before the
#: format parsers: ``hook(library, path, head_bytes, progress, cancel)`` returns
#: an :class:`ImportReport` for a file it handles, else ``None``.  Names, not
#: imports: the handlers live in higher layers (reader.net.pocket: Pocket
#: exports hold links to fetch) and must also work in the import process.
FILE_HOOKS: list[str] = ["reader.net.pocket:import_hook"]


def _run_file_hooks(library: Library, path: Path, report: ImportReport, progress: Progress | None,
                    cancel: Callable[[], bool] | None) -> bool:
    """Whether a hook took ``path`` (its results then merged into ``report``)."""
    import importlib

    try:
        if not path.is_file():
            return False
        with open(path, "rb") as handle:
            head = handle.read(8192)
    except OSError:
        return False  # the format parsers report it
    for name in FILE_HOOKS:
        module, _, func = name.partition(":")
        result = getattr(importlib.import_module(module), func)(library, path, head, progress, cancel)
        if result is not None:
            for key in ("added", "updated", "unchanged", "errors"):
                getattr(report, key).extend(getattr(result, key))
            report.cancelled = report.cancelled or result.cancelled
            return True
    return False


@dataclass
class ImportReport:
    """What an import did: ids per outcome and one message per failed file."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    cancelled: bool = False

    @property
    def stored(self) -> int:
        return len(self.added) + len(self.updated) + len(self.unchanged)

    @property
    def changed_ids(self) -> list[str]:
        return self.added + self.updated

    def summary(self) -> str:
        parts = [f"{len(self.added)} added", f"{len(self.updated)} updated", f"{len(self.unchanged)} unchanged"]
        if self.errors:
            parts.append(f"{len(self.errors)} failed")
        if self.cancelled:
            parts.append("cancelled")
        return ", ".join(parts)


def import_paths(
    library: Library,
    paths: Iterable[Path | str],
    *,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
    identity_for: Callable[[Path], str | None] | None = None,
) -> ImportReport:
    """Import files and folders into ``library``.

    ``identity_for`` may give a file a fixed identity (the bundled seeds use
    ``seed:<name>`` so their ids do not depend on where the app is installed).
    """
    report = ImportReport()
    files: list[Path] = []
    named = [Path(p) for p in paths]
    named = [p for p in named if not _run_file_hooks(library, p, report, progress, cancel)]  # named files
    for path, error in iter_files(named):
        if error is not None:
            report.errors.append(str(error))
        else:
            files.append(path)
    total = len(files)
    for done, path in enumerate(files):
        if cancel is not None and cancel():
            report.cancelled = True
            break
        if progress is not None:
            progress(done, total, path.name)
        if _run_file_hooks(library, path, report, None, cancel):  # (files found in folders)
            continue
        try:
            identity = identity_for(path) if identity_for else None
            article = load_file(path, identity=identity)
            outcome, stored_id = library.upsert(article)
        except IngestError as exc:
            report.errors.append(str(exc))
            continue
        except sqlite3.Error as exc:  # disk full, locked for too long...
            report.errors.append(f"{path}: could not be stored ({exc})")
            # the report carries the message to the user; the log file keeps a copy
            # (not WARNING+, which the CLI also prints: the user would read it twice)
            log.info("storing %s failed: %s", path, exc)
            continue
        {
            ImportOutcome.ADDED: report.added,
            ImportOutcome.UPDATED: report.updated,
            ImportOutcome.UNCHANGED: report.unchanged,
        }[outcome].append(stored_id)
    if progress is not None and not report.cancelled:
        progress(total, total, "")
    return report


def seed_identity(path: Path) -> str:
    return f"seed:{path.name}"


def import_seeds(library: Library, seeds: Path, progress: Progress | None = None) -> ImportReport | None:
    """Import the bundled seeds once (first start); ``None`` when already done."""
    if library.get_meta("seeds_imported") == "1":
        return None
    report = import_paths(library, [seeds], progress=progress, identity_for=seed_identity)
    library.set_meta("seeds_imported", "1")
    return report


# ---- big imports in a separate process -------------------------------------
#: Imports of more files than this (or of any folder) run in a separate process.
BIG_IMPORT = 50
_PROGRESS_EVERY_S = 0.05


class ImportProcessError(RuntimeError):
    """The import process failed or vanished (what it stored stays stored)."""


def wants_process(sources: Sequence[Path | str]) -> bool:
    """Whether an import of ``sources`` is big enough for its own process: a
    folder, or more than :data:`BIG_IMPORT` files.

    Parsing and storing is pure Python holding the GIL: in a thread of the GUI
    process, thousands of files take turns with the GUI thread for 40 s and
    more, and every Qt call back into Python (a model's ``data()``) waits for
    its turn.  A few files are faster in a thread (no process start)."""
    if len(sources) > BIG_IMPORT:
        return True
    try:
        return any(Path(s).is_dir() for s in sources)
    except OSError:
        return True


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
    parent dies.  Raises :class:`ImportProcessError` when it fails."""
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
                    raise ImportProcessError(f"the {name} process exited unexpectedly (code {proc.exitcode})") from None
            if msg[0] == "progress":
                if progress is not None:
                    progress(msg[1], msg[2], msg[3])
            elif msg[0] == "done":
                return msg[1]
            else:
                raise ImportProcessError(f"the {name} process failed:\n{msg[1]}")
    finally:
        proc.join(timeout=5)
        if proc.is_alive():
            proc.kill()
            proc.join(timeout=5)
        out.close()


def _import_in_child(db_path: str, sources: list[str], *, progress: Progress, cancel: Callable[[], bool]) -> ImportReport:
    from reader.store.db import connect

    library = Library(connect(db_path, check=False), Path(db_path))
    try:
        return import_paths(library, sources, progress=progress, cancel=cancel)
    finally:
        library.close()


def import_paths_in_process(
    db_path: Path | str,
    sources: Sequence[Path | str],
    *,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
) -> ImportReport:
    """:func:`import_paths` run in a spawned process (see :func:`run_in_process`);
    every article it stored is committed, whatever happens to it afterwards."""
    report: ImportReport = run_in_process(_import_in_child, (str(db_path), [str(s) for s in sources]),
                                          progress=progress, cancel=cancel, name="import")
    return report
