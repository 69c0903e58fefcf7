"""The search index served by a process of its own (what the desktop app uses):
the same answers as the in-process index, progress across the pipe, and a
process that dies or is closed never hangs a caller."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import fill, many_articles

from reader.search import SearchIndex, SearchService, SearchServiceError
from reader.store.library import Library

QUERIES = [
    "patriot",
    '"rock solid"',
    "person:stoltenberg date:2023",
    "stoltenbreg",
    "defend OR chelsea",
    "nato -ukraine",
    "educ*",
    "goverment~1",
    'title:"budget" (',
    "tag:football",
    "\x00\x07 *",
]


@pytest.fixture
def service(index: SearchIndex) -> Iterator[SearchService]:
    svc = SearchService(index.index_dir)
    yield svc
    svc.close()


def test_answers_like_the_index_in_this_process(service: SearchService, index: SearchIndex, lib: Library) -> None:
    for query in QUERIES:
        assert service.search(query, lib) == index.search(query, lib), query
    assert service.search("nato", lib, sort="date", limit=1) == index.search("nato", lib, sort="date", limit=1)
    assert service.related("nato24", lib) == index.related("nato24", lib)
    assert service.related("nato24", lib)  # not trivially equal: there is something related
    assert service.match_spans('"rock solid" patriot', "Rock-solid. PATRIOT!") == [(0, 10), (12, 19)]
    assert service.doc_count() == index.doc_count() == lib.count()
    assert service.is_ready()
    assert service.pid is not None and service.pid != os.getpid()


def test_writes_and_progress_go_through_the_process(service: SearchService, lib: Library) -> None:
    assert lib.path is not None
    lib.set_bookmark("budget", True)
    service.update_docs(lib.index_docs(["budget"]))
    assert [h.id for h in service.search("is:bookmarked", lib).hits] == ["budget"]
    service.delete_docs(["football"])
    assert service.search("chelsea", lib).total == 0
    # 120 new articles: more than a thread job, so the search process starts index
    # writer processes of its own; their progress comes back through the pipe.
    fill(lib, many_articles(120), {})
    seen: list[tuple[int, int]] = []
    stats = service.refresh(lib.path, progress=lambda done, total: seen.append((done, total)))
    # (and the article deleted from the index above is still in the library: back it comes)
    assert (stats.added, stats.deleted) == (121, 0)
    assert stats.rebuilt  # most of the library is new: rebuilt whole, so progress counts it all
    assert seen and seen[-1] == (lib.count(), lib.count())
    assert [h.id for h in service.search("unique17", lib).hits] == ["gen17"]
    assert service.search("chelsea", lib).total == 1


def test_a_killed_process_is_started_again(service: SearchService, lib: Library) -> None:
    before = service.search("patriot", lib)
    first = service.pid
    assert first is not None
    os.kill(first, signal.SIGKILL)
    # the next read fails over to a new process and answers the same
    assert service.search("patriot", lib) == before
    assert service.pid not in (None, first)


def test_a_caller_waiting_when_the_process_dies_gets_an_error(tmp_path: Path, lib: Library) -> None:
    assert lib.path is not None
    fill(lib, many_articles(600), {})
    svc = SearchService(tmp_path / "big-index")
    outcome: list[object] = []
    started = threading.Event()

    def build() -> None:
        try:
            outcome.append(svc.refresh(lib.path, progress=lambda d, t: started.set()))  # type: ignore[arg-type]
        except SearchServiceError as exc:
            outcome.append(exc)

    worker = threading.Thread(target=build)
    worker.start()
    assert started.wait(60), "the build never reported progress"
    pid = svc.pid
    assert pid is not None  # (kill(0) would signal the whole process group, pytest included)
    os.kill(pid, signal.SIGKILL)
    worker.join(30)
    assert not worker.is_alive(), "the refresh call hung after its process died"
    assert isinstance(outcome[0], SearchServiceError) and "ended" in str(outcome[0])
    # nothing half-built is used: the next refresh builds the index whole
    stats = svc.refresh(lib.path)
    assert stats.rebuilt and svc.doc_count() == lib.count()
    svc.close()


def test_close_ends_the_process(service: SearchService, lib: Library) -> None:
    service.start()
    pid = service.pid
    assert pid is not None
    service.close()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.05)
    assert not _alive(pid)
    with pytest.raises(SearchServiceError, match="closed"):
        service.search("patriot", lib)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie (exited, not yet reaped) counts as gone
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
