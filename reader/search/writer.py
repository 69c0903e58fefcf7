"""Writing the index: full builds (in parallel processes) and incremental changes.

Whoosh indexing is pure Python and holds the GIL, so large jobs run in worker
processes started with the ``spawn`` context (safe beside Qt threads).  A full
build splits the articles between up to two workers; each writes one segment
into the new generation folder and hands the segment object back; the parent
then commits a TOC listing both (what Whoosh's own ``MpWriter`` does with
``multisegment=True``, without its fork-only process handling).  Workers report
progress through a queue and give up, without committing, when their parent
dies.  A large incremental change works the same way on the live generation:
the parent marks the old versions deleted, workers write the new ones as new
segments, and the parent commits one TOC with all of them.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue as queue_mod
import traceback
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec, W3PostingsWriter
from whoosh.writing import SegmentWriter

from reader import childproc
from reader.search.schema import add_words, doc_fields, shared_schema, vocab_fields
from reader.search.storage import INDEX_NAME, write_state
from reader.store.library import IndexDoc, Library

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]

#: Changes up to this many documents are written in the calling thread.
SMALL_JOB = 50
#: A full build uses two worker processes from this many documents on.
TWO_WORKERS_FROM = 400
#: Memory Whoosh may use for postings before spilling sorted runs to temp
#: files (per writer; a full build has two).  256 MB let each build worker
#: reach ~370 MB at 10x BBC; 128 keeps two workers, the app and its search
#: process well under 1.5 GB at 45x (benchmarks/README.md, fix 15).
LIMIT_MB = 128
_PROGRESS_EVERY = 25


#: Posting blocks with fewer postings than this are written uncompressed.
COMPRESS_FROM = 16


class _PostingsWriter(W3PostingsWriter):
    """Compresses only blocks worth it.  Most terms have a handful of postings;
    zlib on those tiny blocks was an eighth of a full build and saves little
    space.  Each block records its own compression, so readers need nothing."""

    def _write_block(self, last: bool = False) -> None:
        self._compression = self._level if len(self._ids) >= COMPRESS_FROM else 0
        super()._write_block(last)


class ReaderCodec(W3Codec):
    """Whoosh's W3 codec without per-block field-length statistics, and with
    small posting blocks left uncompressed.

    Those stats only tighten the upper score bounds used to skip blocks; without
    them the bounds are looser (still correct) and a build spends ~25 % less
    time writing postings."""

    length_stats = False

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> W3PostingsWriter:
        writer = _PostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                                 compression=self._compression, inlinelimit=self._inlinelimit)
        writer._level = self._compression
        return writer


class BuildError(RuntimeError):
    """A worker process failed or vanished."""


def codec() -> ReaderCodec:
    return ReaderCodec()


def open_library(db_path: Path | str) -> Library:
    """A connection for index work (no integrity check: the app did it at start)."""
    return Library.open(db_path, check=False)


def create_index(path: Path) -> Any:
    return whoosh_index.create_in(str(path), shared_schema(), indexname=INDEX_NAME)


def open_index(path: Path) -> Any:
    return whoosh_index.open_dir(str(path), indexname=INDEX_NAME, schema=shared_schema())


def segment_count(path: Path) -> int:
    """Segments in the committed index at ``path``."""
    return len(open_index(path)._segments())


def _content_key(version: str | None) -> str | None:
    """The content-hash part of a version token ("hash:user_rev")."""
    return version.rsplit(":", 1)[0] if version else None


# ---- incremental changes -------------------------------------------------
def apply_changes(
    path: Path,
    docs: Iterable[IndexDoc],
    delete_ids: Iterable[str],
    versions: dict[str, str],
    *,
    total: int = 0,
    progress: Progress | None = None,
    alive: Callable[[], bool] | None = None,
) -> dict[str, str]:
    """Delete ``delete_ids``, add or replace ``docs`` in the index at ``path``,
    commit, and write the sidecar.  ``versions`` is the id -> version map the
    index held before; returns the new one.  Raises ``LockError`` when Whoosh's
    own lock is held (an orphaned worker still writing)."""
    ix = open_index(path)
    writer = SegmentWriter(ix, codec=codec(), timeout=2.0, limitmb=LIMIT_MB)
    new_versions = dict(versions)
    try:
        # One searcher over the committed segments for every deletion; ids the
        # index does not hold (new articles) are added without a look-up.
        searcher = writer.searcher()
        for article_id in delete_ids:
            writer.delete_by_term("id", article_id, searcher=searcher)
            new_versions.pop(article_id, None)
        words: set[str] = set()
        done = 0
        for doc in docs:
            if doc.id in versions:
                writer.delete_by_term("id", doc.id, searcher=searcher)
            writer.add_document(**doc_fields(doc))
            if _content_key(versions.get(doc.id)) != _content_key(doc.version):
                add_words(words, doc.title + "\n" + doc.body)
            new_versions[doc.id] = doc.version
            done += 1
            if done % _PROGRESS_EVERY == 0:
                if alive is not None and not alive():
                    raise BuildError("the parent process is gone")
                if progress:
                    progress(done, total)
        if words:
            writer.add_document(**vocab_fields(words))
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    write_state(path, new_versions)
    if progress:
        progress(total or done, total or done)
    return new_versions


# ---- full builds -----------------------------------------------------------
def build_in_process(path: Path, lib: Library, ids: Sequence[str], progress: Progress | None = None) -> dict[str, str]:
    """Build the index of ``ids`` into the empty generation ``path`` in this thread."""
    ix = create_index(path)
    writer = SegmentWriter(ix, codec=codec(), limitmb=LIMIT_MB, compound=False)
    versions: dict[str, str] = {}
    words: set[str] = set()
    total = len(ids)
    try:
        for n, doc in enumerate(lib.index_docs(ids), 1):
            writer.add_document(**doc_fields(doc))
            add_words(words, doc.title + "\n" + doc.body)
            versions[doc.id] = doc.version
            if progress and (n % _PROGRESS_EVERY == 0 or n == total):
                progress(n, total)
        if words:
            writer.add_document(**vocab_fields(words))
    except BaseException:
        writer.cancel()
        raise
    writer.commit(merge=False)
    write_state(path, versions)
    return versions


def _parent_alive(parent_pid: int) -> Callable[[], bool]:
    return lambda: os.getppid() == parent_pid


def _segment_worker(db_path: str, path: str, ids: list[str], out: Any, parent_pid: int) -> None:
    """Worker process: index ``ids`` into one new segment of ``path`` and send it back."""
    childproc.watch_parent(parent_pid)
    childproc.lower_priority()
    try:
        alive = _parent_alive(parent_pid)
        lib = open_library(db_path)
        ix = open_index(Path(path))
        # _lk=False: the parent holds the locks; each worker writes its own segment.
        writer = SegmentWriter(ix, _lk=False, codec=codec(), limitmb=LIMIT_MB, compound=False)
        versions: dict[str, str] = {}
        words: set[str] = set()
        pending = 0
        for doc in lib.index_docs(ids):
            writer.add_document(**doc_fields(doc))
            add_words(words, doc.title + "\n" + doc.body)
            versions[doc.id] = doc.version
            pending += 1
            if pending == _PROGRESS_EVERY:
                if not alive():
                    return
                out.put(("progress", pending))
                pending = 0
        lib.close()
        if words:
            writer.add_document(**vocab_fields(words))
        segment = writer._finalize_segment()
        out.put(("progress", pending))
        out.put(("segment", segment, versions))
    except BaseException:
        out.put(("error", traceback.format_exc()))


def _run_workers(
    specs: list[tuple[Callable[..., None], tuple[Any, ...]]], total: int, progress: Progress | None, cumulative: bool
) -> list[tuple[Any, ...]]:
    """Start one spawned process per spec, relay progress, collect final messages."""
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    procs = [ctx.Process(target=fn, args=(*args, out, os.getpid()), daemon=True) for fn, args in specs]
    for proc in procs:
        proc.start()
    results: list[tuple[Any, ...]] = []
    done = 0
    try:
        while len(results) < len(procs):
            try:
                msg = out.get(timeout=0.2)
            except queue_mod.Empty:
                if any(p.exitcode is not None and p.exitcode != 0 for p in procs) or all(
                    p.exitcode is not None for p in procs
                ):
                    # A worker died without a word (killed, crashed interpreter); drain once more.
                    try:
                        msg = out.get(timeout=0.5)
                    except queue_mod.Empty:
                        raise BuildError("an indexing process exited unexpectedly") from None
                else:
                    continue
            if msg[0] == "progress":
                done = done + msg[1] if cumulative else msg[1]
                if progress:
                    progress(min(done, total), total)
            elif msg[0] == "error":
                raise BuildError(f"indexing process failed:\n{msg[1]}")
            else:
                results.append(msg)
    finally:
        for proc in procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.kill()
                proc.join(timeout=5)
        out.close()
    return results


def build_parallel(path: Path, db_path: Path, ids: Sequence[str], progress: Progress | None = None) -> dict[str, str]:
    """Build the index of ``ids`` into the empty generation ``path`` using worker processes."""
    ix = create_index(path)
    nproc = 2 if len(ids) >= TWO_WORKERS_FROM and (os.cpu_count() or 1) >= 2 else 1
    chunks = [list(ids[i::nproc]) for i in range(nproc)]
    specs: list[tuple[Callable[..., None], tuple[Any, ...]]] = [
        (_segment_worker, (str(db_path), str(path), chunk)) for chunk in chunks
    ]
    results = _run_workers(specs, len(ids), progress, cumulative=True)
    segments = [msg[1] for msg in results]
    versions: dict[str, str] = {}
    for msg in results:
        versions.update(msg[2])
    writer = SegmentWriter(ix, codec=codec())
    writer._close_segment()
    writer._commit_toc(segments)
    writer._finish()
    write_state(path, versions)
    return versions


def update_in_worker(
    path: Path,
    db_path: Path,
    ids: Sequence[str],
    delete_ids: Sequence[str],
    versions: dict[str, str],
    progress: Progress | None = None,
) -> dict[str, str]:
    """Apply a large incremental change to the live generation ``path``: index
    ``ids`` (new or changed) into new segments written by worker processes (two
    from :data:`TWO_WORKERS_FROM` documents on) while this process holds
    Whoosh's lock and marks ``delete_ids`` and the old versions of ``ids``
    deleted, then commits one TOC listing the old segments (with their
    deletions) and the new ones, and writes the sidecar.  Nothing is committed
    if a worker fails (``BuildError``); their segment files are left unlisted
    and removed by the next commit.  Raises ``LockError`` when Whoosh's lock is
    held.  Returns the new id -> version map."""
    ix = open_index(path)
    writer = SegmentWriter(ix, codec=codec(), timeout=2.0, limitmb=LIMIT_MB)
    new_versions = dict(versions)
    try:
        searcher = writer.searcher()
        for article_id in list(delete_ids) + [i for i in ids if i in versions]:
            writer.delete_by_term("id", article_id, searcher=searcher)
            new_versions.pop(article_id, None)
        segments: list[Any] = []
        if ids:
            nproc = 2 if len(ids) >= TWO_WORKERS_FROM and (os.cpu_count() or 1) >= 2 else 1
            chunks = [list(ids[i::nproc]) for i in range(nproc)]
            specs: list[tuple[Callable[..., None], tuple[Any, ...]]] = [
                (_segment_worker, (str(db_path), str(path), chunk)) for chunk in chunks
            ]
            for msg in _run_workers(specs, len(ids), progress, cumulative=True):
                segments.append(msg[1])
                new_versions.update(msg[2])
    except BaseException:
        writer.cancel()
        raise
    try:
        writer._close_segment()
        writer._commit_toc(list(writer.segments) + segments)
    finally:
        writer._finish()
    write_state(path, new_versions)
    return new_versions
