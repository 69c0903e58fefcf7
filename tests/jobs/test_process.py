"""run_in_process: a job in a spawned process, its progress, cancel, result and failures."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from reader.jobs.imports import ImportProcessError
from reader.jobs.process import JobProcessError, run_in_process
from reader.store import Library
from tests.jobs import jobs_targets  # (by this name the spawned process imports it too)
from tests.store.store_articles import paragraph_article


def test_result_and_progress_come_back() -> None:
    seen: list[tuple[int, int, str]] = []
    result = run_in_process(jobs_targets.count_to, (5,), progress=lambda d, t, n: seen.append((d, t, n)), name="count")
    assert result["counted"] == 5 and result["pid"] != os.getpid()  # it ran in another process
    assert seen and seen[-1] == (5, 5, "")  # progress is throttled, but the last report always arrives
    assert all(t == 5 and 0 <= d <= 5 for d, t, _ in seen)


def test_cancel_reaches_the_process(tmp_path: Path) -> None:
    flag = tmp_path / "started"
    asked = threading.Event()

    def cancel() -> bool:
        if flag.exists():  # ask only once the job runs: the request must reach a running process
            asked.set()
        return asked.is_set()

    assert run_in_process(jobs_targets.wait_for_cancel, (str(flag),), cancel=cancel, name="waiter") == "stopped"
    assert asked.is_set()


def test_a_failure_is_raised_with_the_childs_traceback() -> None:
    with pytest.raises(JobProcessError, match=r"(?s)the checker process failed:.*ValueError: bad input 42"):
        run_in_process(jobs_targets.fail, ("bad input 42",), name="checker")


def test_a_vanished_process_is_reported_with_its_exit_code() -> None:
    with pytest.raises(JobProcessError, match=r"the ghost process exited unexpectedly \(code 3\)"):
        run_in_process(jobs_targets.vanish, (3,), name="ghost")


def test_the_import_error_keeps_its_old_name() -> None:
    assert ImportProcessError is JobProcessError


def test_what_the_process_writes_is_in_the_library(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    with Library.open(db) as lib:
        for n in range(3):
            lib.upsert(paragraph_article(f"test:{n}", f"Title {n}", (f"Text {n}.",)))
    seen: list[int] = []
    assert run_in_process(jobs_targets.tag_all, (str(db), "checked"), progress=lambda d, t, n: seen.append(d)) == 3
    with Library.open(db) as lib:
        assert sorted(lib.ids_with_tag("checked")) == sorted(lib.ids())
    assert seen[-1] == 3
