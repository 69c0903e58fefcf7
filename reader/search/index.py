"""``SearchEngine``: what :class:`reader.search.SearchIndex` (the one object
the app and the CLI talk to) does.

Thread safety: searches may run in any number of threads at once (each opens
its own Whoosh searcher); writes (refresh, update_docs, delete_docs) are
serialised by a thread lock inside one process and by a file lock across
processes.  A second app instance that finds the file lock taken waits
briefly, then skips writing and keeps searching the (maybe stale) index.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from whoosh.index import LockError
from whoosh.query import Term

from reader.search import writer as w
from reader.search.compile import Compiler, ReaderBM25F, Vocabulary, suggest
from reader.search.highlight import Matcher, body_start, snippet
from reader.search.model import Hit, LockTimeouts, RefreshStats, RelatedHit, SearchResult
from reader.search.query import parse
from reader.search.related import find_related
from reader.search.schema import KIND_VOCAB, SCHEMA_VERSION
from reader.search.storage import IndexFolder, read_schema_version, read_state, toc_generation, write_state
from reader.search.topk import QueryTooSlow, search_top
from reader.store.library import IndexDoc, Library

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]

#: A refresh changing more than this share of the library (and more than
#: ``writer.SMALL_JOB`` documents) rebuilds the index instead: a full parallel
#: build costs about as much as re-indexing half the library incrementally.
REBUILD_FRACTION = 0.4
#: A large refresh (one handed to worker processes) rebuilds instead when the
#: index already has this many segments: each such refresh adds whole segments
#: that Whoosh's small-segment merging leaves alone, and every search reads
#: every segment.
MAX_SEGMENTS = 12


class _Unusable(Exception):
    """The live generation cannot be used; the message says why (for the log)."""


#: Seconds one search may take before it is stopped with an explanation (the
#: costliest realistic queries take ~0.2 s at 45x BBC on a loaded 2-core machine).
QUERY_BUDGET = 3.0


class SearchEngine(LockTimeouts):
    """The implementation behind :class:`reader.search.SearchIndex` (which
    imports this module, and Whoosh, on first use).

    Construction is cheap and touches nothing on disk; :meth:`refresh` builds
    or updates the index, :meth:`search` and :meth:`related` read it.  The lock
    timeouts are read from ``owner`` (the front object users configure)."""

    #: See :data:`QUERY_BUDGET`.
    query_budget = QUERY_BUDGET

    def __init__(self, index_dir: Path, owner: Any = None) -> None:
        self._owner = owner if owner is not None else self
        self.index_dir = Path(index_dir)
        self._folder = IndexFolder(self.index_dir)
        self._write_lock = threading.RLock()
        self._pending: dict[str, IndexDoc] = {}
        self._pending_deletes: set[str] = set()
        self._pending_lock = threading.Lock()
        self._vocab_key: tuple[str, int] | None = None
        self._vocab: Vocabulary | None = None
        self._vocab_lock = threading.Lock()
        self._segment_words: dict[tuple[str, str], list[str]] = {}  # (generation, segment id) -> words

    # ---- state ------------------------------------------------------------
    def is_ready(self) -> bool:
        """An index exists and can be searched (it may be stale)."""
        path = self._folder.current()
        return (
            path is not None
            and read_schema_version(path) == SCHEMA_VERSION
            and toc_generation(path) >= 0
            and not self._folder.is_damaged(path)
        )

    def doc_count(self) -> int:
        """Articles in the index (0 when there is no usable index)."""
        path = self._folder.current()
        if path is None or not self.is_ready():
            return 0
        try:
            with w.open_index(path).searcher() as searcher:
                vocab_docs = len(list(searcher.docs_for_query(Term("kind", KIND_VOCAB))))
                return int(searcher.doc_count()) - vocab_docs
        except Exception as exc:  # unreadable: the next refresh rebuilds it
            log.warning("search index unreadable: %s", exc)
            return 0

    def _check_live(self) -> tuple[Path, dict[str, str]]:
        """The live generation and its id -> version map; raises :class:`_Unusable`."""
        path = self._folder.current()
        if path is None:
            raise _Unusable("no index yet")
        found = read_schema_version(path)
        if found != SCHEMA_VERSION:
            raise _Unusable(f"schema version {found}, this version of Reader uses {SCHEMA_VERSION}")
        if self._folder.is_damaged(path):
            raise _Unusable("a search found it damaged")
        state = read_state(path)
        toc = toc_generation(path)
        if toc < 0:
            raise _Unusable("no table of contents")
        try:
            ix = w.open_index(path)
            with ix.searcher() as searcher:
                if state is not None and state.schema == SCHEMA_VERSION and state.toc == toc:
                    if not state.matches_disk(path):
                        raise _Unusable("its files were changed outside Reader")
                    searcher.doc_count_all()
                    return path, state.versions
                # The sidecar is missing or older than the last commit (a crash between
                # the two): recompute it from the stored fields, which also reads them all.
                versions = {
                    f["id"]: f.get("version", "")
                    for f in searcher.all_stored_fields()
                    if not str(f.get("id", "")).startswith("~")
                }
        except _Unusable:
            raise
        except Exception as exc:
            raise _Unusable(f"cannot be read ({type(exc).__name__}: {exc})") from exc
        write_state(path, versions)
        return path, versions

    # ---- writing ------------------------------------------------------------
    def refresh(self, db_path: Path, progress: Progress | None = None, *, full: bool = False) -> RefreshStats:
        """Bring the index up to date with the library at ``db_path``.

        Compares the library's version tokens with the index's sidecar and
        adds, updates and deletes only what changed; rebuilds everything when
        ``full``, when the index is missing, corrupt or of another schema
        version, or when more than :data:`REBUILD_FRACTION` of the library
        changed (callers need not decide).  More than a few dozen documents are
        indexed in spawned worker processes (reporting ``progress(done, total)``);
        fewer in this thread."""
        started = time.perf_counter()
        db_path = Path(db_path)
        if not self._write_lock.acquire(timeout=self._owner.refresh_lock_timeout):
            log.warning("search index busy in this process; refresh skipped")
            return RefreshStats(0, 0, 0, False, time.perf_counter() - started)
        try:
            with self._folder.lock(self._owner.refresh_lock_timeout) as locked:
                if not locked:
                    log.warning("search index is being written by another process; refresh skipped")
                    return RefreshStats(0, 0, 0, False, time.perf_counter() - started)
                stats = self._refresh_locked(db_path, progress, full, started)
                self._flush_pending()
                return stats
        finally:
            self._write_lock.release()

    def _refresh_locked(self, db_path: Path, progress: Progress | None, full: bool, started: float) -> RefreshStats:
        lib = w.open_library(db_path)
        try:
            wanted = lib.index_versions()
            reason = "a full rebuild was asked for"
            have: dict[str, str] | None = None
            if not full:
                try:
                    path, have = self._check_live()
                except _Unusable as exc:
                    reason = str(exc)
            if have is None:
                if full:
                    log.info("rebuilding the search index (%d articles): %s", len(wanted), reason)
                elif self._folder.current() is not None or self._folder.generations():
                    log.warning("rebuilding the search index: %s", reason)
                else:
                    log.info("building the search index (%d articles)", len(wanted))
                self._rebuild(lib, db_path, list(wanted), progress)
                return RefreshStats(len(wanted), 0, 0, True, time.perf_counter() - started)
            if have == wanted:  # the usual start: one C-level comparison instead of three passes
                return RefreshStats(0, 0, 0, False, time.perf_counter() - started)
            delete = [i for i in have if i not in wanted]
            add = [i for i in wanted if i not in have]
            update = [i for i, v in wanted.items() if i in have and have[i] != v]
            changed = add + update
            if not (delete or changed):
                return RefreshStats(0, 0, 0, False, time.perf_counter() - started)
            n_changes = len(changed) + len(delete)
            segments = w.segment_count(path) if n_changes > w.SMALL_JOB else 0
            if n_changes > w.SMALL_JOB and (n_changes > REBUILD_FRACTION * max(len(wanted), len(have))
                                            or segments >= MAX_SEGMENTS):
                # Cheaper to rebuild (in a new generation, two workers) than to
                # delete and re-add this much, and it leaves one or two segments.
                log.info("rebuilding the search index: %d of %d articles changed, %d segments",
                         n_changes, len(wanted), segments)
                self._rebuild(lib, db_path, list(wanted), progress)
                return RefreshStats(len(add), len(update), len(delete), True, time.perf_counter() - started)
            if n_changes > w.SMALL_JOB:
                w.update_in_worker(path, db_path, changed, delete, have, progress)
            else:
                w.apply_changes(path, lib.index_docs(changed), delete, have, total=len(changed), progress=progress)
            self._vocab_key = None
            log.info("search index refreshed: +%d ~%d -%d", len(add), len(update), len(delete))
            return RefreshStats(len(add), len(update), len(delete), False, time.perf_counter() - started)
        except LockError:
            log.warning("search index locked by a leftover writer; refresh skipped")
            return RefreshStats(0, 0, 0, False, time.perf_counter() - started)
        finally:
            lib.close()

    def _rebuild(self, lib: Library, db_path: Path, ids: list[str], progress: Progress | None) -> None:
        self._folder.remove_stale()
        path = self._folder.new_generation()
        try:
            if len(ids) > w.SMALL_JOB:
                try:
                    w.build_parallel(path, db_path, ids, progress)
                except (w.BuildError, OSError) as exc:
                    log.warning("indexing in worker processes failed (%s); indexing here instead", exc)
                    shutil.rmtree(path, ignore_errors=True)
                    path = self._folder.new_generation()
                    w.build_in_process(path, lib, ids, progress)
            else:
                w.build_in_process(path, lib, ids, progress)
        except BaseException:
            shutil.rmtree(path, ignore_errors=True)
            raise
        self._folder.publish(path)
        self._vocab_key = None

    def update_docs(self, docs: Iterable[IndexDoc]) -> None:
        """Re-index a few documents now, in this thread (bookmarks, tags, notes).

        When another writer holds the index, the documents are kept and written
        by the next ``update_docs``/``delete_docs``/``refresh`` of this object."""
        with self._pending_lock:
            for doc in docs:
                self._pending[doc.id] = doc
                self._pending_deletes.discard(doc.id)
        self._write_pending(self._owner.update_lock_timeout)

    def delete_docs(self, ids: Iterable[str]) -> None:
        """Remove articles from the index now, in this thread."""
        with self._pending_lock:
            for article_id in ids:
                self._pending.pop(article_id, None)
                self._pending_deletes.add(article_id)
        self._write_pending(self._owner.update_lock_timeout)

    def _write_pending(self, timeout: float) -> None:
        if not self._write_lock.acquire(timeout=timeout):
            log.info("search index busy; %d change(s) queued", len(self._pending) + len(self._pending_deletes))
            return
        try:
            with self._folder.lock(timeout) as locked:
                if not locked:
                    log.info("search index locked by another process; changes queued")
                    return
                self._flush_pending()
        finally:
            self._write_lock.release()

    def _flush_pending(self) -> None:
        """Write queued changes (call with both locks held)."""
        with self._pending_lock:
            pending, self._pending = self._pending, {}
            deleted, self._pending_deletes = self._pending_deletes, set()
        if not (pending or deleted):
            return
        try:
            path, have = self._check_live()
        except _Unusable as exc:
            # No usable index: the next refresh (re)builds it from the library anyway.
            log.info("search index not usable (%s); %d queued change(s) left to the next refresh", exc,
                     len(pending) + len(deleted))
            return
        try:
            w.apply_changes(path, list(pending.values()), [i for i in deleted if i in have], have, total=len(pending))
        except LockError:
            log.info("search index locked by a leftover writer; changes queued")
            with self._pending_lock:  # put back what newer calls have not replaced
                for article_id, doc in pending.items():
                    if article_id not in self._pending and article_id not in self._pending_deletes:
                        self._pending[article_id] = doc
                for article_id in deleted:
                    if article_id not in self._pending:
                        self._pending_deletes.add(article_id)
            return
        except Exception as exc:  # the index is broken: searches go on, the next refresh rebuilds
            log.warning("search index update failed (%r); it will be rebuilt at the next refresh", exc)
            self._folder.mark_damaged(path, repr(exc))
            return
        self._vocab_key = None

    # ---- reading ------------------------------------------------------------
    def _budget(self) -> float:
        return float(getattr(self._owner, "query_budget", self.query_budget))

    def _vocabulary(self, path: Path, reader: Any) -> Vocabulary:
        """The vocabulary of the live generation, from words read once per
        segment: segments never change, so after a small update (a bookmark,
        a tag: one new segment) only that segment's few words are read, not
        the whole lexicon again (0.5 s at 10x BBC, at the next search after
        every update)."""
        key = (str(path), toc_generation(path))
        with self._vocab_lock:
            if self._vocab is not None and self._vocab_key == key:
                return self._vocab
            leaves = [leaf for leaf, _offset in reader.leaf_readers()]
            if not leaves or any(getattr(leaf, "_segid", None) is None for leaf in leaves):
                self._vocab = Vocabulary.from_reader(reader)
            else:
                words: dict[tuple[str, str], list[str]] = {}
                for leaf in leaves:
                    seg = (str(path), str(leaf._segid))
                    found = self._segment_words.get(seg)
                    words[seg] = found if found is not None else Vocabulary.from_reader(leaf).words
                before, self._segment_words = self._segment_words, words  # only the live segments' words
                added = [seg for seg in words if seg not in before]
                if self._vocab is not None and before and set(before) <= set(words) and len(added) <= 2:
                    # segments were only added (a small update): add their new words
                    self._vocab = self._vocab.extended(w for seg in added for w in words[seg])
                else:
                    lists = list(words.values())
                    self._vocab = Vocabulary(lists[0] if len(lists) == 1 else sorted(set().union(*lists)))
            self._vocab_key = key
            return self._vocab

    def search(self, query: str, library: Library, *, limit: int = 20, sort: str = "relevance",
               offset: int = 0) -> SearchResult:
        """Search; never raises.  ``sort`` is "relevance" (BM25F) or "date" (newest first);
        the hits are ranks ``offset`` to ``offset + limit`` of all matches."""
        offset = max(0, int(offset))
        parsed = parse(query)
        if parsed.node is None:
            return SearchResult(query, (), 0, None, parsed.error, offset)
        rows: list[tuple[dict[str, Any], float]] = []
        total = 0
        suggestion = None
        last_error: Exception | None = None
        for _attempt in range(2):  # a concurrent rebuild may swap the generation under us
            path = self._folder.current()
            if path is None or not self.is_ready():
                return SearchResult(query, (), 0, None, "the search index is not built yet")
            try:
                with w.open_index(path).searcher(weighting=ReaderBM25F()) as searcher:
                    reader = searcher.reader()
                    vocab = self._vocabulary(path, reader)
                    compiled = Compiler(reader, vocab).compile(parsed.node)
                    if compiled is None:
                        return SearchResult(query, (), 0, None, parsed.error or "nothing to search for")
                    if sort == "date":
                        results = searcher.search(compiled, limit=offset + max(1, limit), sortedby="date",
                                                  reverse=True)
                        total = len(results)
                        rows = [(dict(hit.fields()), float(hit.score or 0.0))
                                for hit in results[offset : offset + max(0, limit)]]
                    else:
                        # Block-max pruning and an exact count by set algebra where the
                        # query allows (topk.py); no periodic matcher "replace": with a
                        # union of hundreds of expanded terms it walks the whole tree
                        # every 10 matches (pro*: 0.9 s -> 0.4 s at 22k articles).
                        top, total = search_top(searcher, compiled, offset + max(1, limit),
                                                budget=self._budget())
                        rows = [(dict(searcher.stored_fields(docnum)), score)
                                for docnum, score in top[offset : offset + max(0, limit)]]
                    suggestion = suggest(parsed, reader, vocab)
                    matcher = Matcher.from_tree(parsed.node).with_vocabulary(vocab)
                last_error = None
                break
            except QueryTooSlow:
                return SearchResult(query, (), 0, None, f"the search took longer than {self._budget():g} s and "
                                    "was stopped: try fewer or longer prefix* and fuzzy~ words", offset)
            except Exception as exc:
                last_error = exc
                time.sleep(0.05)
        if last_error is not None:
            path = self._folder.current()
            if path is not None and not isinstance(last_error, FileNotFoundError):
                self._folder.mark_damaged(path, repr(last_error))
            log.warning("search failed: %r", last_error)
            return SearchResult(query, (), 0, None, "the search index could not be read; it will be rebuilt")
        hits = []
        for fields, score in rows:
            title = fields.get("title", "")
            published = _parse_date(fields.get("pub"))
            text = library.plain_text(fields["id"]) or ""
            body = text[body_start(text, title, published):]
            hits.append(
                Hit(
                    id=fields["id"],
                    title=title,
                    source=fields.get("source", ""),
                    published=published,
                    score=score,
                    snippet=snippet(body, matcher.spans(body)) if body else "",
                    title_highlights=tuple(matcher.spans(title)),
                )
            )
        return SearchResult(query, tuple(hits), total, suggestion, parsed.error, offset)

    def match_spans(self, query: str, text: str) -> list[tuple[int, int]]:
        """Offsets in ``text`` of the query's positive words and phrases."""
        return Matcher.from_tree(parse(query).node).spans(text)

    def related(self, article_id: str, library: Library, limit: int = 10) -> list[RelatedHit]:
        """Articles sharing distinctive terms and named entities with ``article_id``."""
        path = self._folder.current()
        if path is None or not self.is_ready():
            return []
        try:
            with w.open_index(path).searcher(weighting=ReaderBM25F()) as searcher:
                return find_related(searcher, article_id, library, limit)
        except Exception as exc:
            log.warning("related articles failed: %r", exc)
            return []


def _parse_date(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None

