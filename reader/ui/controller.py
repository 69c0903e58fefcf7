"""Plain logic behind the window (no widgets): list queries, job functions run
by workers, delete/undo snapshots, stepping through spans.

Job functions take a :class:`~reader.ui.workers.JobContext` first and only
immutable arguments (paths, strings, frozen dataclasses); each opens its own
library connection and returns plain data.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.core.article import Article, untitled_label
from reader.store import Annotation, Library
from reader.store.db import connect

log = logging.getLogger(__name__)


# ---- optional modules written by colleagues ------------------------------
def search_api() -> Any | None:
    """``reader.search`` when it provides ``SearchIndex``, else ``None``."""
    try:
        import reader.search as mod
    except Exception as exc:  # not written yet, or broken: the app runs without search
        log.debug("search unavailable: %s", exc)
        return None
    return mod if hasattr(mod, "SearchIndex") else None


def entities_api() -> Any | None:
    """``reader.jobs.entities`` when available, else ``None``."""
    try:
        import reader.jobs.entities as mod
    except Exception as exc:
        log.debug("entity recognition unavailable: %s", exc)
        return None
    return mod if hasattr(mod, "compute_for_library") else None


def ingest_available() -> bool:
    try:
        import reader.core.ingest as mod
    except Exception:
        return False
    return hasattr(mod, "load_file")


def worker_library(db_path: Path) -> Library:
    """A worker's own connection (as ``Library.reopen()``: no integrity check again)."""
    return Library(connect(db_path, check=False), Path(db_path))


# ---- the article list ----------------------------------------------------
@dataclass(frozen=True)
class ListQuery:
    """What the article list shows: order and filters."""

    order: str = "date"  # date | title | source
    descending: bool = True  # for date: newest first
    text: str = ""
    bookmarked: bool = False
    has_notes: bool = False
    unread: bool = False
    tag: str = ""
    entity: tuple[str, str] | None = None  # (label, norm)
    only_ids: tuple[str, ...] | None = None  # e.g. "articles mentioning X" from the search index

    @property
    def is_filtered(self) -> bool:
        return bool(self.text or self.bookmarked or self.has_notes or self.unread or self.tag or self.entity
                    or self.only_ids is not None)


def compute_ids(library: Library, query: ListQuery) -> list[str]:
    """The ordered, filtered ids for ``query`` (runs in a worker)."""
    ids = library.ids(query.order)
    default_desc = query.order == "date"
    if query.descending != default_desc:
        ids.reverse()
    keep: set[str] | None = None

    def narrow(subset: Sequence[str]) -> None:
        nonlocal keep
        keep = set(subset) if keep is None else keep & set(subset)

    if query.only_ids is not None:
        narrow(query.only_ids)
    if query.bookmarked:
        narrow(library.bookmarked_ids())
    if query.tag:
        narrow(library.ids_with_tag(query.tag))
    if query.entity:
        narrow(library.ids_with_entity(*query.entity))
    if keep is not None:
        ids = [i for i in ids if i in keep]
    if query.text or query.has_notes or query.unread:
        rows = library.rows(ids)
        needle = query.text.casefold().strip()
        out = []
        for aid in ids:
            row = rows.get(aid)
            if row is None:
                continue
            shown = row.title or untitled_label(row.source, row.sort_date)  # as the list shows it
            if needle and needle not in shown.casefold() and needle not in row.source.casefold():
                continue
            if query.has_notes and not row.note_count:
                continue
            if query.unread and row.is_read:
                continue
            out.append(aid)
        ids = out
    return ids


def job_list_ids(ctx: Any, db_path: Path, query: ListQuery) -> tuple[ListQuery, list[str], list[str]]:
    """Worker: (query, ids, all tags)."""
    lib = worker_library(db_path)
    try:
        return query, compute_ids(lib, query), [name for name, _ in lib.all_tags()]
    finally:
        lib.close()


def job_top_entities(ctx: Any, db_path: Path, labels: tuple[str, ...], limit: int) -> list[tuple[str, str, int]]:
    lib = worker_library(db_path)
    try:
        return lib.top_entities(labels, limit)
    finally:
        lib.close()


# ---- search --------------------------------------------------------------
def job_search(ctx: Any, index: Any, db_path: Path, query: str, sort: str, limit: int) -> Any:
    lib = worker_library(db_path)
    try:
        return index.search(query, lib, limit=limit, sort=sort)
    finally:
        lib.close()


def job_related(ctx: Any, index: Any, db_path: Path, article_id: str, limit: int) -> list[Any]:
    lib = worker_library(db_path)
    try:
        return list(index.related(article_id, lib, limit))
    finally:
        lib.close()


def job_match_spans(ctx: Any, index: Any, query: str, text: str) -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in index.match_spans(query, text)]


def job_refresh_index(ctx: Any, index: Any, db_path: Path, full: bool = False) -> tuple[Any, int | None]:
    """Worker: (refresh stats, documents in the index afterwards or ``None``)."""
    stats = index.refresh(db_path, progress=lambda done, total: ctx.progress(done, total), full=full)
    try:
        count: int | None = int(index.doc_count())
    except Exception as exc:  # the window falls back to the library's count
        log.warning("cannot count the indexed documents: %s", exc)
        count = None
    return stats, count


def job_update_docs(ctx: Any, index: Any, db_path: Path, ids: tuple[str, ...]) -> int:
    lib = worker_library(db_path)
    try:
        docs = list(lib.index_docs(ids))
    finally:
        lib.close()
    index.update_docs(docs)
    return len(docs)


def _entities_in_child(db_path: str, backend: str, *, progress: Any, cancel: Any) -> int:
    api = entities_api()
    if api is None:
        return 0
    return int(api.compute_for_library(Path(db_path), backend=backend, progress=lambda d, t: progress(d, t),
                                       cancel=cancel, processes=2))


def job_compute_entities(ctx: Any, db_path: Path, backend: str) -> int:
    """Worker: recognise entities where missing, in a spawned process.

    ``compute_for_library`` recognises in its own worker pool, but its parent
    side (reading every text, turning each result into rows, storing them) is
    Python holding the GIL for a minute at 20k articles: in a thread of the GUI
    process that is a minute of the GUI thread taking turns for every call into
    Python.  So the whole of it runs in a process of its own."""
    if entities_api() is None:
        return 0
    from reader.jobs.process import run_in_process

    return int(run_in_process(_entities_in_child, (str(db_path), backend),
                              progress=lambda d, t, _n: ctx.progress(d, t), cancel=ctx.cancelled, name="entities"))


def job_ids_with_entity(ctx: Any, db_path: Path, label: str, norm: str) -> list[str]:
    lib = worker_library(db_path)
    try:
        return lib.ids_with_entity(label, norm)
    finally:
        lib.close()


# ---- bookmarks, delete and undo -------------------------------------------
@dataclass(frozen=True)
class ArticleSnapshot:
    """Everything needed to undo the delete of one article."""

    article: Article
    bookmarked: bool
    tags: tuple[str, ...]
    annotations: tuple[Annotation, ...]
    is_read: bool
    read_position: int


def snapshot(library: Library, article_id: str) -> ArticleSnapshot | None:
    article = library.article(article_id)
    if article is None:
        return None
    rows = library.rows([article_id])
    row = rows.get(article_id)
    return ArticleSnapshot(
        article=article,
        bookmarked=library.is_bookmarked(article_id),
        tags=tuple(library.tags_of(article_id)),
        annotations=tuple(library.annotations(article_id)),
        is_read=bool(row.is_read) if row else False,
        read_position=library.read_position(article_id),
    )


def delete_articles(library: Library, ids: Sequence[str]) -> list[ArticleSnapshot]:
    """Delete articles, returning snapshots for :func:`restore_articles`."""
    snaps = []
    for aid in ids:
        snap = snapshot(library, aid)
        if snap is not None:
            snaps.append(snap)
            library.delete(aid)
    return snaps


def restore_articles(library: Library, snaps: Sequence[ArticleSnapshot]) -> list[str]:
    """Undo :func:`delete_articles`: re-store each article with its bookmark,
    tags, annotations (re-attached, no longer orphans) and reading state."""
    restored = []
    for snap in snaps:
        _, stored_id = library.upsert(snap.article)
        for tag in snap.tags:
            library.add_tag(stored_id, tag)
        if snap.bookmarked:
            library.set_bookmark(stored_id, True)
        for ann in snap.annotations:
            library.restore_annotation(ann)
        library.set_read(stored_id, snap.is_read)
        library.set_read_position(stored_id, snap.read_position)
        restored.append(stored_id)
    return restored


@dataclass
class SpanCursor:
    """Steps through a list of spans (search hits, find matches, mentions)."""

    spans: list[tuple[int, int]] = field(default_factory=list)
    current: int = -1
    kind: str = ""

    def set(self, spans: Sequence[tuple[int, int]], kind: str) -> None:
        self.spans = sorted(spans)
        self.current = -1
        self.kind = kind

    def step(self, delta: int) -> tuple[int, int] | None:
        if not self.spans:
            return None
        if self.current < 0:
            self.current = 0 if delta >= 0 else len(self.spans) - 1
        else:
            self.current = (self.current + delta) % len(self.spans)
        return self.spans[self.current]

    def first_after(self, offset: int) -> tuple[int, int] | None:
        """Jump to the first span at or after ``offset`` (or the first one)."""
        if not self.spans:
            return None
        for i, span in enumerate(self.spans):
            if span[0] >= offset:
                self.current = i
                return span
        self.current = 0
        return self.spans[0]
