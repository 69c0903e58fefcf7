"""Workers: results come back on the GUI thread, stale results are dropped,
failures are reported, stalls are measured."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

from reader.ui.list_query import ListQuery, compute_ids
from reader.ui.span_cursor import SpanCursor
from reader.ui.workers import StallMonitor, TaskRunner


def test_result_on_gui_thread(qtbot) -> None:
    runner = TaskRunner()
    seen: dict[str, object] = {}

    def job(ctx, x):  # noqa: ANN001
        seen["worker_thread"] = threading.get_ident()
        ctx.progress(1, 2)
        return x * 2

    def done(result):  # noqa: ANN001
        seen["result"] = result
        seen["on_gui"] = QThread.currentThread() is QApplication.instance().thread()

    runner.run("double", job, 21, on_done=done)
    qtbot.waitUntil(lambda: "result" in seen, timeout=3000)
    assert seen["result"] == 42 and seen["on_gui"]
    assert seen["worker_thread"] != threading.get_ident()


def test_stale_results_dropped(qtbot) -> None:
    runner = TaskRunner()
    results: list[str] = []

    def slow(ctx, name, delay):  # noqa: ANN001
        time.sleep(delay)
        return name

    runner.run("search", slow, "old", 0.3, on_done=results.append)
    runner.run("search", slow, "new", 0.0, on_done=results.append)
    # both have come back (the runner forgets a job when its result arrives, used or dropped)
    qtbot.waitUntil(lambda: not runner.is_busy(), timeout=5000)
    assert results == ["new"]


def test_failure_reported(qtbot) -> None:
    runner = TaskRunner()
    errors: list[str] = []

    def boom(ctx):  # noqa: ANN001
        raise ValueError("bad input")

    runner.run("x", boom, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=3000)
    assert "bad input" in errors[0]


def test_cancel_flag(qtbot) -> None:
    runner = TaskRunner()
    out: list[int] = []

    def loop(ctx):  # noqa: ANN001
        n = 0
        while not ctx.cancelled() and n < 500:
            time.sleep(0.01)
            n += 1
        return n

    job = runner.run("loop", loop, on_done=out.append)
    runner.cancel(job)
    qtbot.waitUntil(lambda: bool(out), timeout=5000)
    assert out[0] < 500


def test_stall_monitor(qtbot) -> None:
    monitor = StallMonitor(threshold_ms=50, interval_ms=10)
    monitor.start()
    time.sleep(0.15)  # a deliberate GUI-thread stall: the next beat is that late
    qtbot.waitUntil(lambda: bool(monitor.stalls), timeout=2000)
    monitor.stop()
    assert monitor.stalls and max(monitor.stalls) >= 100


def test_list_query(filled_library) -> None:
    ids = compute_ids(filled_library, ListQuery())
    assert ids == filled_library.ids("date")
    assert compute_ids(filled_library, ListQuery(descending=False)) == list(reversed(ids))
    assert len(compute_ids(filled_library, ListQuery(text="number 1"))) == 3  # 1, 10, 11
    assert compute_ids(filled_library, ListQuery(entity=("PERSON", "Jens Stoltenberg"))) == ids
    filled_library.set_bookmark(ids[3], True)
    assert compute_ids(filled_library, ListQuery(bookmarked=True)) == [ids[3]]
    assert compute_ids(filled_library, ListQuery(only_ids=(ids[5], ids[1]))) == [ids[1], ids[5]]


def test_span_cursor() -> None:
    cur = SpanCursor()
    assert cur.step(1) is None
    cur.set([(10, 12), (1, 3)], "x")
    assert cur.step(1) == (1, 3)
    assert cur.step(1) == (10, 12)
    assert cur.step(1) == (1, 3)
    assert cur.step(-1) == (10, 12)
    assert cur.first_after(5) == (10, 12)


def test_a_failure_without_a_handler_is_reported_not_only_logged(qtbot) -> None:
    reported: list[tuple[str, str]] = []
    runner = TaskRunner(default_error=lambda text, detail: reported.append((text, detail)))

    def boom(ctx):  # noqa: ANN001
        raise OSError("disk on fire")

    runner.run("thumbnails", boom)
    qtbot.waitUntil(lambda: bool(reported), timeout=3000)
    assert reported == [("A background task (thumbnails) failed", "OSError: disk on fire")]


def test_a_closed_runner_starts_nothing(qtbot) -> None:
    """Once the window closes (``shutdown``), a change announced on the way out
    (a bookmark written by the final flush) starts no job on a closed search process."""
    runner = TaskRunner()
    ran: list[int] = []
    runner.shutdown()
    assert runner.run("update_docs", lambda ctx: ran.append(1), writer=True) == 0
    assert runner.wait(1000) and not runner.is_busy()
    assert ran == []
