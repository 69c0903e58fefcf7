"""The job functions the window's workers run (see :mod:`reader.ui.workers`).

Each takes the :class:`~reader.ui.workers.JobContext` first and only
immutable arguments (paths, strings, frozen dataclasses), opens what it needs
itself (``with library_at(db_path) as lib``) and returns plain data.  Whatever
it raises reaches the caller's ``on_error`` (by default the window's
``events.error``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from reader.jobs import imports
from reader.jobs.entities import compute_for_library
from reader.jobs.process import run_in_process
from reader.search import RelatedHit, SearchResult
from reader.store import ArticleSnapshot, Library, StoreError, importer
from reader.store.export import ImportNotesReport, import_w3c
from reader.store.importer import ImportReport
from reader.ui.list_query import ListQuery, compute_ids
from reader.ui.search_backend import SearchBackend
from reader.ui.workers import JobContext

log = logging.getLogger(__name__)


def library_at(db_path: Path) -> Library:
    """A worker's own connection to the library, for ``with``: closed on leaving
    (no integrity check: the window checked the file when it opened it)."""
    return Library.open(db_path, check=False)


class _LazyLibrary:
    """A library whose connection opens on first use: the search process is
    only told the path, the in-process index reads rows."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lib: Library | None = None

    def __getattr__(self, name: str) -> Any:
        if self._lib is None:
            self._lib = Library.open(self.path, check=False)
        return getattr(self._lib, name)

    def close(self) -> None:
        if self._lib is not None:
            self._lib.close()


@contextmanager
def lazy_library(db_path: Path) -> Iterator[Library]:
    """As :func:`library_at`, opening the connection only if it is used."""
    lib = _LazyLibrary(db_path)
    try:
        yield cast(Library, lib)
    finally:
        lib.close()


# ---- the list and the panels ------------------------------------------------
def job_list_ids(ctx: JobContext, db_path: Path, query: ListQuery) -> tuple[ListQuery, list[str], list[str], int]:
    """(query, ids, all tags, articles in the library)."""
    with library_at(db_path) as lib:
        return query, compute_ids(lib, query), [name for name, _ in lib.all_tags()], lib.count()


def job_top_entities(ctx: JobContext, db_path: Path, labels: tuple[str, ...], limit: int) -> list[tuple[str, str, int]]:
    with library_at(db_path) as lib:
        return lib.top_entities(labels, limit)


# ---- search -------------------------------------------------------------------
def job_search(ctx: JobContext, index: SearchBackend, db_path: Path, query: str, sort: str,
               limit: int) -> SearchResult:
    with lazy_library(db_path) as lib:
        return index.search(query, lib, limit=limit, sort=sort)


def job_related(ctx: JobContext, index: SearchBackend, db_path: Path, article_id: str,
                limit: int) -> list[RelatedHit]:
    with lazy_library(db_path) as lib:
        return list(index.related(article_id, lib, limit))


def job_match_spans(ctx: JobContext, index: SearchBackend, query: str, text: str) -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in index.match_spans(query, text)]


def job_refresh_index(ctx: JobContext, index: SearchBackend, db_path: Path, full: bool = False) -> tuple[Any, int | None]:
    """(refresh stats, documents in the index afterwards or ``None``)."""
    stats = index.refresh(db_path, progress=lambda done, total: ctx.progress(done, total), full=full)
    try:
        count: int | None = int(index.doc_count())
    except Exception as exc:  # noqa: BLE001 - the window falls back to the library's count
        log.warning("cannot count the indexed documents: %s", exc)
        count = None
    return stats, count


def job_update_docs(ctx: JobContext, index: SearchBackend, db_path: Path, ids: tuple[str, ...]) -> int:
    with library_at(db_path) as lib:
        docs = list(lib.index_docs(ids))
    index.update_docs(docs)
    return len(docs)


# ---- entities -----------------------------------------------------------------
def _entities_in_child(db_path: str, backend: str, force: bool = False, *, progress: Any, cancel: Any) -> int:
    return int(compute_for_library(Path(db_path), backend=backend, progress=lambda d, t: progress(d, t),
                                   cancel=cancel, processes=2, force=force))


def job_compute_entities(ctx: JobContext, db_path: Path, backend: str, force: bool = False) -> int:
    """Recognise entities where missing, in a spawned process.

    ``compute_for_library`` recognises in its own worker pool, but its parent
    side (reading every text, turning each result into rows, storing them) is
    Python holding the GIL for a minute at 20k articles: in a thread of the GUI
    process that is a minute of the GUI thread taking turns for every call into
    Python.  So the whole of it runs in a process of its own."""
    return int(run_in_process(_entities_in_child, (str(db_path), backend, force),
                              progress=lambda d, t, _n: ctx.progress(d, t), cancel=ctx.cancelled, name="entities"))


# ---- imports ------------------------------------------------------------------
def job_import(ctx: JobContext, db_path: Path, sources: tuple[str, ...], tag_from_folder: bool = False) -> ImportReport:
    """Import ``sources``; a folder or many files in a separate process
    (parsing holds the GIL: in this process it would take turns with the GUI thread)."""
    progress = lambda done, total, name: ctx.progress(done, total, name)  # noqa: E731
    if imports.wants_process(sources):
        return imports.import_paths_in_process(db_path, sources, progress=progress, cancel=ctx.cancelled,
                                               tag_from_folder=tag_from_folder)
    with library_at(db_path) as lib:
        return imports.import_files(lib, [Path(p) for p in sources], progress=progress, cancel=ctx.cancelled,
                                    tag_from_folder=tag_from_folder)


def job_import_seeds(ctx: JobContext, db_path: Path, seeds: Path) -> ImportReport | None:
    with library_at(db_path) as lib:
        return importer.import_seeds(lib, seeds, progress=lambda done, total, name: ctx.progress(done, total, name))


def job_import_notes(ctx: JobContext, db_path: Path, path: str) -> tuple[str | None, ImportNotesReport | None, list[str]]:
    """Store the notes of the W3C JSON file ``path``.  Returns (what is wrong
    with the file or ``None``, the report, the articles touched)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return f"{path} is not a readable JSON notes file: {exc}", None, []
    with library_at(db_path) as lib:
        try:
            report = import_w3c(lib, data)
        except StoreError as exc:
            return f"Nothing was imported from {path}: {exc}", None, []
        touched = [a.article_id for a in (lib.annotation(i) for i in (*report.added, *report.updated)) if a]
        return None, report, touched


# ---- deletes and undo (the writer pool) ------------------------------------------
def job_delete_articles(ctx: JobContext, db_path: Path, ids: tuple[str, ...],
                        delete_notes: bool) -> list[ArticleSnapshot]:
    with library_at(db_path) as lib:
        return lib.delete_articles(ids, delete_notes=delete_notes)


def job_restore_articles(ctx: JobContext, db_path: Path, snaps: tuple[ArticleSnapshot, ...]) -> list[str]:
    with library_at(db_path) as lib:
        return lib.restore_articles(snaps)


def job_write(ctx: JobContext, db_path: Path, step: Callable[[Library], Sequence[str]]) -> list[str]:
    """Run one undo or redo step on a connection of its own; the touched article ids."""
    with library_at(db_path) as lib:
        return list(step(lib))
