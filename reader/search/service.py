"""The search index in a process of its own, for the desktop app.

:class:`SearchService` has the API of :class:`reader.search.SearchIndex`; each
call is sent to a spawned *search process* that owns the Whoosh engine and
answers from threads of its own (searches side by side, writes one at a time,
in the order sent).

Why: searching, building the spelling vocabulary and the parent side of a
refresh are pure-Python Whoosh work that holds the GIL.  Run in threads of the
GUI process they made the GUI thread wait at every one of its many GIL
acquisitions (each Qt-to-Python call takes it anew): stalls of 70-220 ms
measured by ``benchmarks/bench_stalls.py`` while its own CPU use stayed under
40 ms.  Out of process, the GUI process never imports Whoosh and its worker
threads only wait on a pipe.

Lifecycle: the process starts on the first call (normally the startup refresh,
from a worker thread), ends with :meth:`SearchService.close` or with the app
(it is a daemon of the app process and exits when the app dies, kill -9
included), and is started again by the next call when it died.  A call
in flight when it dies fails with :class:`SearchServiceError`; reads are then
retried once in a new process.
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.search.model import LockTimeouts, RefreshStats, RelatedHit, SearchResult

if TYPE_CHECKING:
    from reader.store.library import IndexDoc, Library

log = logging.getLogger(__name__)

#: Threads of the search process answering reads (searches, related, counts).
READ_THREADS = 3
#: Niceness of the search process: its start (imports, ~0.3 s of CPU) and a
#: refresh's parent side give way to the GUI thread on 2 cores; a search typed
#: into an idle app runs as fast as before.  Index writers add their own.
SEARCH_NICE = 5


class SearchServiceError(RuntimeError):
    """The search process could not answer (it ended, or did not start)."""


class _Call:
    """One request waiting for its answer."""

    def __init__(self, progress: Callable[[int, int], None] | None) -> None:
        self.progress = progress
        self.done = threading.Event()
        self.value: Any = None
        self.error: BaseException | None = None

    def finish(self, value: Any = None, error: BaseException | None = None) -> None:
        self.value, self.error = value, error
        self.done.set()


class _ProcessGone(SearchServiceError):
    """The process ended while a call waited (a read may be retried)."""


class SearchService(LockTimeouts):
    """:class:`reader.search.SearchIndex`, served by a search process.

    Thread safe: any thread may call; each call blocks that thread (never the
    GIL) until the answer comes.  ``progress`` callbacks of :meth:`refresh`
    run in the service's reader thread."""

    #: Seconds a read (search, related, ...) may take before it fails.
    read_timeout = 120.0

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = Path(index_dir)
        self._lock = threading.Lock()  # process state and the table of calls
        self._send_lock = threading.Lock()
        self._ids = itertools.count(1)
        self._calls: dict[int, _Call] = {}
        self._proc: Any = None
        self._conn: Any = None
        self._closed = False

    # ---- process ----------------------------------------------------------
    @property
    def pid(self) -> int | None:
        """The search process's pid while it runs (tests, diagnostics)."""
        proc = self._proc
        return proc.pid if proc is not None and proc.is_alive() else None

    def start(self) -> None:
        """Start the search process now (else the first call does)."""
        self._connection()

    def _connection(self) -> Any:
        with self._lock:
            if self._closed:
                raise SearchServiceError("the search service is closed")
            if self._conn is None:
                ctx = multiprocessing.get_context("spawn")
                mine, theirs = ctx.Pipe(duplex=True)
                proc = ctx.Process(target=serve, args=(theirs, str(self.index_dir), os.getpid(), _app_log_level()),
                                   name="reader-search", daemon=True)
                try:
                    proc.start()
                except OSError as exc:
                    raise SearchServiceError(f"cannot start the search process: {exc}") from exc
                finally:
                    theirs.close()
                self._proc, self._conn = proc, mine
                threading.Thread(target=self._read, args=(proc, mine), name="search-service-reader",
                                 daemon=True).start()
                log.info("search process started (pid %s)", proc.pid)
            return self._conn

    def _read(self, proc: Any, conn: Any) -> None:
        """Reader thread: route answers to their calls until the process ends."""
        while True:
            try:
                call_id, kind, payload = conn.recv()
            except (EOFError, OSError, TypeError, ValueError):
                break
            with self._lock:
                call = self._calls.get(call_id) if kind == "progress" else self._calls.pop(call_id, None)
            if call is None:
                continue
            if kind == "progress":
                if call.progress is not None:
                    try:
                        call.progress(*payload)
                    except Exception:  # a progress report is never worth a failed refresh
                        log.exception("progress callback failed")
            elif kind == "ok":
                call.finish(payload)
            else:
                call.finish(error=SearchServiceError(payload))
        proc.join(1.0)
        with self._lock:
            if self._conn is conn:
                self._proc = self._conn = None
            calls, self._calls = self._calls, {}
            closed = self._closed
        if not closed:
            log.warning("search process ended (exit code %s); the next search starts it again", proc.exitcode)
        for call in calls.values():
            call.finish(error=_ProcessGone(f"the search process ended (exit code {proc.exitcode})"))
        try:
            conn.close()
        except OSError:
            pass

    def close(self) -> None:
        """Stop the search process; calls waiting fail with :class:`SearchServiceError`."""
        with self._lock:
            self._closed = True
            proc, conn = self._proc, self._conn
        if conn is not None:
            try:
                with self._send_lock:
                    conn.send(None)
            except (OSError, ValueError):
                pass
        if proc is not None:
            proc.join(3.0)
            if proc.is_alive():  # a long refresh: the index survives a kill (each commit is atomic)
                proc.terminate()
                proc.join(3.0)

    def _call(self, method: str, *args: Any, progress: Callable[[int, int], None] | None = None,
              timeout: float | None = None, retry: bool = False) -> Any:
        for attempt in (1, 2):
            conn = self._connection()
            call = _Call(progress)
            call_id = next(self._ids)
            with self._lock:
                self._calls[call_id] = call
            timeouts = {"refresh_lock_timeout": self.refresh_lock_timeout,
                        "update_lock_timeout": self.update_lock_timeout}
            try:
                with self._send_lock:
                    conn.send((call_id, method, args, timeouts))
            except (OSError, ValueError) as exc:  # the process is gone; the reader thread tidies up
                with self._lock:
                    self._calls.pop(call_id, None)
                call.finish(error=_ProcessGone(f"the search process is gone ({exc})"))
            if not call.done.wait(timeout):
                with self._lock:
                    self._calls.pop(call_id, None)
                raise SearchServiceError(f"the search process did not answer within {timeout:.0f} s")
            if isinstance(call.error, _ProcessGone) and retry and attempt == 1 and not self._closed:
                self._wait_gone(conn)
                continue
            if call.error is not None:
                raise call.error
            return call.value
        raise AssertionError("unreachable")

    def _wait_gone(self, conn: Any) -> None:
        """Wait until the reader thread has forgotten the dead process ``conn``."""
        for _ in range(200):
            with self._lock:
                if self._conn is not conn:
                    return
            threading.Event().wait(0.01)

    # ---- the SearchIndex API ---------------------------------------------
    def is_ready(self) -> bool:
        """An index exists and can be searched (it may be stale)."""
        return bool(self._call("is_ready", timeout=self.read_timeout, retry=True))

    def doc_count(self) -> int:
        """Articles in the index (0 when there is no usable index)."""
        return int(self._call("doc_count", timeout=self.read_timeout, retry=True))

    def refresh(self, db_path: Path, progress: Callable[[int, int], None] | None = None, *,
                full: bool = False) -> RefreshStats:
        """Bring the index up to date with the library at ``db_path``."""
        result: RefreshStats = self._call("refresh", str(db_path), full, progress=progress)
        return result

    def update_docs(self, docs: Iterable[IndexDoc]) -> None:
        """Re-index a few documents now (bookmarks, tags, notes)."""
        self._call("update_docs", list(docs))

    def delete_docs(self, ids: Iterable[str]) -> None:
        """Remove articles from the index now."""
        self._call("delete_docs", list(ids))

    def search(self, query: str, library: Library, *, limit: int = 20, sort: str = "relevance",
               offset: int = 0) -> SearchResult:
        """Search the library at ``library.path`` (ranks ``offset`` to ``offset + limit``)."""
        result: SearchResult = self._call("search", query, str(library.path), limit, sort, offset,
                                          timeout=self.read_timeout, retry=True)
        return result

    def match_spans(self, query: str, text: str) -> list[tuple[int, int]]:
        """Offsets in ``text`` of the query's positive words and phrases."""
        return list(self._call("match_spans", query, text, timeout=self.read_timeout, retry=True))

    def related(self, article_id: str, library: Library, limit: int = 10) -> list[RelatedHit]:
        """Articles sharing distinctive terms and named entities with ``article_id``."""
        return list(self._call("related", article_id, str(library.path), limit,
                               timeout=self.read_timeout, retry=True))


# ---- the search process ------------------------------------------------------
def _app_log_level() -> int | None:
    """The root logger's level when the app configured logging (``reader.logs``), else ``None``."""
    root = logging.getLogger()
    return root.level if getattr(root, "_reader_configured", False) else None


def serve(conn: Any, index_dir: str, parent_pid: int, log_level: int | None) -> None:
    """The search process: answer requests from ``conn`` until told to stop
    (``None``), until the pipe closes, or until the app process dies.  Logs
    to the app's log file when the app logs (``log_level`` is its level)."""
    if log_level is not None:
        from reader.logs import setup_logging

        setup_logging(log_level <= logging.DEBUG)
    multiprocessing.current_process().daemon = False  # full builds start worker processes of their own
    from concurrent.futures import ThreadPoolExecutor

    from reader import childproc
    from reader.search import writer
    from reader.search.index import SearchEngine

    childproc.watch_parent(parent_pid)
    childproc.lower_priority(SEARCH_NICE)
    settings = LockTimeouts()  # the engine's owner: the timeouts as the client last sent them
    engine = SearchEngine(Path(index_dir), owner=settings)
    local = threading.local()
    send_lock = threading.Lock()

    def library(db_path: str) -> Library:
        libs: dict[str, Library] = local.__dict__.setdefault("libs", {})
        if db_path not in libs:
            libs[db_path] = writer.open_library(db_path)
        return libs[db_path]

    def send(message: tuple[Any, ...]) -> None:
        with send_lock:
            try:
                conn.send(message)
            except (OSError, ValueError):  # the app is gone; the parent watch ends this process
                pass
            except Exception as exc:  # an answer that cannot be pickled: the caller must not wait for ever
                log.exception("search process: cannot send an answer")
                conn.send((message[0], "error", f"the search process could not send its answer ({exc!r})"))

    handlers: dict[str, Callable[..., Any]] = {
        "is_ready": engine.is_ready,
        "doc_count": engine.doc_count,
        "match_spans": engine.match_spans,
        "update_docs": engine.update_docs,
        "delete_docs": engine.delete_docs,
        "search": lambda q, db, limit, sort, offset=0: engine.search(q, library(db), limit=limit, sort=sort,
                                                                     offset=offset),
        "related": lambda article_id, db, limit: engine.related(article_id, library(db), limit),
    }

    def run(call_id: int, method: str, args: tuple[Any, ...], timeouts: dict[str, float]) -> None:
        try:
            for name, seconds in timeouts.items():
                setattr(settings, name, float(seconds))
            if method == "refresh":
                db_path, full = args
                result = engine.refresh(Path(db_path), lambda d, t: send((call_id, "progress", (d, t))), full=full)
            else:
                result = handlers[method](*args)
        except Exception as exc:
            log.exception("search process: %s failed", method)
            send((call_id, "error", f"{type(exc).__name__}: {exc}"))
        else:
            send((call_id, "ok", result))

    reads = ThreadPoolExecutor(READ_THREADS, thread_name_prefix="search-read")
    writes = ThreadPoolExecutor(1, thread_name_prefix="search-write")  # in the order sent
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            break
        if message is None:
            break
        pool = writes if message[1] in ("refresh", "update_docs", "delete_docs") else reads
        pool.submit(run, *message)
    # Told to stop (the app is closing): leave at once; a refresh still running
    # is abandoned like after a crash, and the next start finishes it.
    os._exit(0)
