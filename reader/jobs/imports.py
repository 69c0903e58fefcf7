"""Imports as the app runs them: files, folders and exports, big ones in a
separate process (see :func:`reader.jobs.process.run_in_process`).

:func:`reader.store.importer.import_paths` does the work; :func:`import_files`
adds the content hooks of the layers above the store (a Pocket export's links
are fetched, :mod:`reader.net.pocket`), and this module decides when an import
deserves its own process and runs it there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from reader.jobs.process import JobProcessError, Progress, run_in_process
from reader.net import pocket
from reader.store.importer import FileHook, ImportReport, import_paths
from reader.store.library import Library

#: Files these take are not read by the format parsers (see ``FileHook``).
HOOKS: tuple[FileHook, ...] = (pocket.import_hook,)

#: Imports of more files than this (or of any folder) run in a separate process.
BIG_IMPORT = 50

#: The name this error had when it lived in ``reader.store.importer``.
ImportProcessError = JobProcessError

__all__ = ["BIG_IMPORT", "HOOKS", "ImportProcessError", "import_files", "import_paths_in_process", "wants_process"]


def import_files(library: Library, sources: Sequence[Path | str], **options: Any) -> ImportReport:
    """:func:`~reader.store.importer.import_paths` with the app's content hooks
    (the CLI, the window and the import process all import through this)."""
    return import_paths(library, sources, hooks=HOOKS, **options)


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


def _import_in_child(db_path: str, sources: list[str], tag_from_folder: bool = False, *, progress: Progress,
                     cancel: Callable[[], bool]) -> ImportReport:
    with Library.open(db_path, check=False) as library:
        return import_files(library, sources, progress=progress, cancel=cancel, tag_from_folder=tag_from_folder)


def import_paths_in_process(
    db_path: Path | str,
    sources: Sequence[Path | str],
    *,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
    tag_from_folder: bool = False,
) -> ImportReport:
    """:func:`~reader.store.importer.import_paths` run in a spawned process;
    every article it stored is committed, whatever happens to it afterwards.
    Raises :class:`ImportProcessError` when the process fails."""
    report: ImportReport = run_in_process(_import_in_child, (str(db_path), [str(s) for s in sources], tag_from_folder),
                                          progress=progress, cancel=cancel, name="import")
    return report
