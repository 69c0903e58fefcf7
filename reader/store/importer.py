"""Importing files into the library: ingest each file, store it, report.

The same code runs for the CLI (``reader import``), the GUI's import dialog and
drag-and-drop, and the first-start import of the bundled seeds (a big import
runs this in a process of its own: :mod:`reader.jobs.imports`).  A bad file
never stops an import: it is reported with its reason and the rest goes on;
nothing already stored changes because of it.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from reader.core.ingest import IngestError, iter_files, load_file
from reader.store.library import ImportOutcome, Library

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]  # done, total, current file name


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
    for path, error in iter_files(Path(p) for p in paths):
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
