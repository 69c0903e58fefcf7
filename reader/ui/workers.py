"""Background work for the GUI: QRunnables that return plain data through signals.

Rules (see ARCHITECTURE.md):

* a job takes immutable input and returns plain data (dataclasses, lists, dicts);
* it never touches a widget: results come back through a signal of a QObject
  that lives in the GUI thread, so the slot runs there (queued connection);
* every job has an id; :class:`TaskRunner` remembers the newest id per *kind*
  and silently drops results of older jobs of that kind (stale results);
* a job needing the library opens its own connection (``jobs.library_at``);
* writes to the search index and bulk SQLite writes go through one
  single-thread pool (``writer=True``);
* a failure goes to the job's ``on_error``, else to the runner's
  ``default_error`` (the window shows it), never only to the log.

There is also :class:`StallMonitor`, a debug heartbeat that logs GUI-thread
stalls (``READER_DEBUG_STALLS=1`` or ``--debug-stalls``).
"""

from __future__ import annotations

import itertools
import logging
import os
import threading
import time
import traceback
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QElapsedTimer, QObject, QRunnable, QThreadPool, QTimer, Signal

log = logging.getLogger(__name__)

_ids = itertools.count(1)
_RUNNERS: weakref.WeakSet[TaskRunner] = weakref.WeakSet()


class JobContext:
    """What a running job may use: progress reports and the cancel flag."""

    def __init__(self, job_id: int, signals: WorkerSignals) -> None:
        self.job_id = job_id
        self._signals = signals
        self._cancel = threading.Event()
        self._last_progress = 0.0

    def progress(self, done: int, total: int, label: str = "") -> None:
        """Report progress (throttled to ~20 per second, the last one always passes)."""
        now = time.monotonic()
        if done < total and now - self._last_progress < 0.05:
            return
        self._last_progress = now
        try:
            self._signals.progress.emit(self.job_id, int(done), int(total), str(label))
        except RuntimeError:  # receiver gone (window closed)
            pass

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()


class WorkerSignals(QObject):
    """Signals of one job; the object lives in the GUI thread."""

    finished = Signal(int, object)  # job id, result
    failed = Signal(int, str)  # job id, message
    progress = Signal(int, int, int, str)  # job id, done, total, label


class Worker(QRunnable):
    """Runs ``fn(ctx, *args)`` in a pool thread and reports through ``signals``."""

    def __init__(self, job_id: int, fn: Callable[..., Any], args: tuple[Any, ...], signals: WorkerSignals) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.job_id = job_id
        self.fn = fn
        self.args = args
        self.signals = signals
        self.context = JobContext(job_id, signals)

    def run(self) -> None:  # noqa: D401 - Qt override
        try:
            result = self.fn(self.context, *self.args)
        except Exception as exc:  # reported, never raised into Qt
            # (a job cancelled because the window closes may fail as what it waits for stops)
            level = logging.DEBUG if self.context.cancelled() else logging.WARNING
            log.log(level, "job %s (%s) failed: %s\n%s", self.job_id, getattr(self.fn, "__name__", "?"), exc,
                    traceback.format_exc())
            try:
                self.signals.failed.emit(self.job_id, f"{type(exc).__name__}: {exc}")
            except RuntimeError:
                pass
            return
        try:
            self.signals.finished.emit(self.job_id, result)
        except RuntimeError:
            pass


@dataclass
class _Job:
    kind: str
    signals: WorkerSignals
    context: JobContext
    on_done: Callable[[Any], None] | None
    on_error: Callable[[str], None] | None
    on_progress: Callable[[int, int, str], None] | None
    writes: bool  # it writes to the library (the change watcher waits for it)


class TaskRunner(QObject):
    """Starts jobs and routes their results back to callbacks in the GUI thread."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, max_threads: int = 4,
                 default_error: Callable[[str, str], None] | None = None) -> None:
        super().__init__(parent)
        #: (what failed, the error) for a failing job that has no ``on_error``
        self.default_error = default_error
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self.writer_pool = QThreadPool(self)
        self.writer_pool.setMaxThreadCount(1)  # one writer for the index and bulk SQLite
        self._jobs: dict[int, _Job] = {}
        self._latest: dict[str, int] = {}
        self.closed = False
        _RUNNERS.add(self)

    def run(
        self,
        kind: str,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[str], None] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
        writer: bool = False,
        keep_all: bool = False,
        writes: bool = False,
    ) -> int:
        """Start ``fn(ctx, *args)``; returns the job id.

        Results of an older job of the same ``kind`` arriving after a newer one
        started are dropped unless ``keep_all`` (e.g. bookmark index updates).
        ``writer``: in the single writer pool; ``writes``: it writes to the
        library though it runs elsewhere (a process of its own).
        """
        if self.closed:  # (the window closed: a change announced while it closes starts nothing)
            return 0
        job_id = next(_ids)
        signals = WorkerSignals(self)
        worker = Worker(job_id, fn, args, signals)
        self._jobs[job_id] = _Job(kind if not keep_all else f"{kind}#{job_id}", signals, worker.context,
                                  on_done, on_error, on_progress, writer or writes)
        self._latest[self._jobs[job_id].kind] = job_id
        signals.finished.connect(self._finished)
        signals.failed.connect(self._failed)
        signals.progress.connect(self._progress)
        was_busy = self.is_busy()
        (self.writer_pool if writer else self.pool).start(worker)
        if not was_busy:
            self.busy_changed.emit(True)
        return job_id

    def is_busy(self) -> bool:
        return bool(self._jobs)

    def writing(self) -> bool:
        """Whether a job that writes to the library is running."""
        return any(job.writes for job in self._jobs.values())

    def is_current(self, job_id: int) -> bool:
        job = self._jobs.get(job_id)
        return job is not None and self._latest.get(job.kind) == job_id

    def cancel(self, job_id: int) -> None:
        job = self._jobs.get(job_id)
        if job is not None:
            job.context.cancel()

    def cancel_all(self) -> None:
        for job in self._jobs.values():
            job.context.cancel()

    def shutdown(self) -> None:
        """Cancel everything and drop every result still to come (window closing)."""
        self.closed = True
        self.cancel_all()

    def _pop(self, job_id: int) -> tuple[_Job | None, bool]:
        job = self._jobs.pop(job_id, None)
        if job is None:
            return None, False
        current = self._latest.get(job.kind) == job_id
        if current:
            del self._latest[job.kind]
        job.signals.deleteLater()
        if not self._jobs:
            self.busy_changed.emit(False)
        return job, current

    def _finished(self, job_id: int, result: object) -> None:
        job, current = self._pop(job_id)
        if job is not None and current and not self.closed and job.on_done is not None:
            job.on_done(result)

    def _failed(self, job_id: int, message: str) -> None:
        job, current = self._pop(job_id)
        if job is None or not current or self.closed:
            return
        if job.on_error is not None:
            job.on_error(message)
        elif self.default_error is not None:
            self.default_error(f"A background task ({job.kind.split('#')[0]}) failed", message)

    def _progress(self, job_id: int, done: int, total: int, label: str) -> None:
        job = self._jobs.get(job_id)
        if self.closed or job is None or job.on_progress is None:
            return
        if self._latest.get(job.kind) == job_id:
            job.on_progress(done, total, label)

    def wait(self, msecs: int = 30000) -> bool:
        """Wait for all pools to finish (tests, shutdown)."""
        ok = self.pool.waitForDone(msecs)
        return self.writer_pool.waitForDone(msecs) and ok


def wait_for_all_runners(msecs: int = 60000) -> bool:
    """Cancel and wait for the jobs of every live :class:`TaskRunner`.

    A pool thread still running Python when the interpreter finalises is ended
    by a forced unwind, which Qt's thread pool reports as an escaped exception
    and aborts the process ("exceptions thrown in worker threads must be caught
    before control returns to Qt Concurrent").  Call this before exiting."""
    ok = True
    for runner in list(_RUNNERS):
        try:
            runner.cancel_all()
            ok = runner.wait(msecs) and ok
        except RuntimeError:  # its C++ side is already gone, and with it its threads
            continue
    return ok


class StallMonitor(QObject):
    """Logs GUI-thread stalls: a heartbeat timer that measures its own lateness."""

    def __init__(self, threshold_ms: int = 50, interval_ms: int = 20, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.threshold_ms = threshold_ms
        self.interval_ms = interval_ms
        self.stalls: list[int] = []
        self._clock = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._beat)

    def start(self) -> None:
        self._clock.start()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _beat(self) -> None:
        late = self._clock.restart() - self.interval_ms
        if late > self.threshold_ms:
            self.stalls.append(int(late))
            log.warning("GUI thread stalled for %d ms", late)


def stall_debugging_requested(argv: list[str]) -> bool:
    return "--debug-stalls" in argv or os.environ.get("READER_DEBUG_STALLS") == "1"
