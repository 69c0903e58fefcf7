"""The GUI thread never waits for the database or for bulk work: a list reload
on a hidden table, a write while another connection writes, a big import, and
the index refreshes an import sets off.  (Deterministic checks of the causes of
the stalls the load test measured; no timed assertions.)"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from ui_fixtures import held_write_lock, search_ids

from reader.jobs import imports as importer
from reader.store.library import ArticleRow
from reader.ui.events import Kind


class _CountingLibrary:
    """Rows for any id; counts the page fetches."""

    def __init__(self) -> None:
        self.fetches = 0

    def rows(self, ids: list[str]) -> dict[str, ArticleRow]:
        self.fetches += 1
        return {i: ArticleRow(i, f"Title {i}", "BBC", "2005-01-01", False, 0, False) for i in ids}


def test_reloading_a_hidden_list_fetches_one_page(qtbot) -> None:
    """While the search results show, the library table is hidden; Qt sizes a
    ResizeToContents column of a hidden table over every row (22k rows: 112
    page fetches, 2.4 s on the GUI thread).  A reload fetches one page."""
    from reader.ui.views.list_pane import ListPane

    lib = _CountingLibrary()
    pane = ListPane(lib)  # type: ignore[arg-type]
    qtbot.addWidget(pane)
    pane.resize(470, 700)
    pane.show()
    pane.setCurrentIndex(1)  # the results page: the table is hidden
    ids = [f"id{i:05d}" for i in range(22_250)]
    pane.set_ids(ids, len(ids), False)
    pane.select_id(ids[11_000], emit=False)
    # lay the hidden table out now (what the event loop would do next): a
    # ResizeToContents column would fetch every page here
    pane.table.doItemsLayout()
    pane.table.horizontalHeader().doItemsLayout()
    QApplication.processEvents()
    assert lib.fetches <= 1
    pane.setCurrentIndex(0)  # shown again: only what is on screen is fetched
    qtbot.waitUntil(pane.table.isVisible, timeout=2000)
    pane.table.doItemsLayout()
    pane.table.viewport().repaint()  # (a paint, now: it reads the rows on screen)
    assert 1 <= lib.fetches <= 3
    row = pane.model.row_of(ids[11_000])
    assert pane.model.index(row, 1).data() == f"Title {ids[11_000]}"  # the rows on screen are there


@pytest.mark.timeout(60)
def test_marking_read_while_another_connection_writes_does_not_wait(qtbot, window) -> None:
    """Another connection holds the write lock (an import's transaction, a WAL
    checkpoint): opening an article must not wait for it (the busy timeout is
    15 s) and its read mark is written once the lock is free - not lost."""
    model = window.list_pane.model
    target = next(model.id_at(r) for r in range(model.rowCount())
                  if model.id_at(r) != window.current_id and not model.article_row(r).is_read)
    with held_write_lock(window.db_path) as other:
        window.session.open(target)  # (with a blocking write this raises "locked" after 15 s)
        assert window.current_id == target
        window.read_marker.mark()  # (what 2 s open does)
        assert window.writes.pending("set_read", target) is not None
        assert window.writes.retries >= 1
        assert other.execute("SELECT is_read FROM articles WHERE id=?", (target,)).fetchone()[0] == 0
        window.session.open(model.id_at(0) if model.id_at(0) != target else model.id_at(1))  # position waits too
        assert len(window.writes) >= 2
    qtbot.waitUntil(lambda: len(window.writes) == 0, timeout=5000)
    assert window.library.rows([target])[target].is_read
    row = model.row_of(target)
    assert model.article_row(row).is_read  # the list shows it read (not bold) again


def test_read_position_waiting_to_be_written_is_the_one_shown(qtbot, window) -> None:
    first = window.current_id
    assert first is not None
    with held_write_lock(window.db_path):
        window.writes.write("set_read_position", first, 123)
        assert window.writes.pending("set_read_position", first) == (123,)
        window.writes.write("set_read_position", first, 456)  # the newer value replaces it
        assert window.writes.pending("set_read_position", first) == (456,)
    qtbot.waitUntil(lambda: len(window.writes) == 0, timeout=5000)
    assert window.library.read_position(first) == 456


@pytest.mark.timeout(60)
def test_bookmarks_and_tags_while_another_connection_writes_do_not_wait(qtbot, window, built_index) -> None:
    """Ctrl+D and tagging while the database is locked (an import's
    transaction, a checkpoint): the window shows the change at once, toggles
    from what it shows, and writes it - every tag, the last bookmark state -
    when the lock is free; then the list and the index follow."""
    from PySide6.QtCore import Qt

    from reader.ui.models.article_list import COL_STAR

    aid = window.current_id
    assert aid is not None and not window.library.is_bookmarked(aid)
    window.list_pane.select_id(aid)
    with held_write_lock(window.db_path) as other:
        # (with blocking writes the first key press raises "locked" after 15 s)
        qtbot.keyClick(window.reader.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
        assert window.reader.star.text() == "★"
        assert window.writes.pending("set_bookmark", aid) == (True,)
        qtbot.keyClick(window.reader.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClick(window.reader.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
        assert window.reader.star.text() == "★"  # on, off, on: from the state shown, not the stored one
        window.marks.tag_selected("waiting")
        window.marks.tag_selected("queued")  # a second tag does not replace the first
        assert other.execute("SELECT count(*) FROM tags").fetchone()[0] == 0
        assert other.execute("SELECT count(*) FROM bookmarks WHERE article_id=?", (aid,)).fetchone()[0] == 0
    qtbot.waitUntil(lambda: len(window.writes) == 0, timeout=5000)
    assert window.library.is_bookmarked(aid)
    assert sorted(window.library.tags_of(aid)) == ["queued", "waiting"]
    qtbot.waitUntil(lambda: window.list_pane.model.index(window.list_pane.model.row_of(aid), COL_STAR).data() == "★",
                    timeout=3000)
    qtbot.waitUntil(lambda: window.list_pane.tag_combo.findData("queued") >= 0, timeout=3000)
    qtbot.waitUntil(lambda: search_ids(built_index, window.library, "is:bookmarked tag:waiting") == {aid},
                    timeout=5000)


def test_close_writes_what_waits(qtbot, window) -> None:
    first = window.current_id
    other = sqlite3.connect(str(window.db_path), isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    window.writes.write("set_read_position", first, 77)
    assert len(window.writes) == 1
    threading.Timer(0.3, lambda: (other.execute("COMMIT"), other.close())).start()
    window.writes.flush()  # closing: waits for the lock (here 0.3 s) rather than dropping the write
    assert len(window.writes) == 0
    assert window.library.read_position(first) == 77


# ---- big imports in their own process ---------------------------------------
def _many(folder: Path, n: int) -> Path:
    folder.mkdir()
    for i in range(n):
        (folder / f"n{i}.txt").write_text(f"Headline number {i}\n\nBody text {i} about harbours.\n", encoding="utf-8")
    return folder


def test_wants_process(tmp_path: Path) -> None:
    files = [tmp_path / f"f{i}.txt" for i in range(importer.BIG_IMPORT + 1)]
    assert importer.wants_process([tmp_path])  # a folder: any size
    assert importer.wants_process(files)
    assert not importer.wants_process(files[:3])


def test_folder_import_runs_in_a_separate_process(qtbot, window, tmp_path: Path, monkeypatch) -> None:
    calls: list[tuple[Any, ...]] = []
    real = importer.import_paths_in_process

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(importer, "import_paths_in_process", spy)
    progress: list[str] = []
    window.events.status.connect(lambda text, kind: kind == Kind.BUSY and progress.append(text))
    folder = _many(tmp_path / "many", 60)
    window.importer.import_paths([str(folder)])
    qtbot.waitUntil(lambda: window.importer.last_report is not None, timeout=30000)
    assert len(calls) == 1
    report = window.importer.last_report
    assert len(report.added) == 60 and not report.errors and not report.cancelled
    assert any(t.startswith("Importing") for t in progress)  # progress came back from the process
    qtbot.waitUntil(lambda: window.list_pane.model.rowCount() == 72, timeout=10000)


def test_import_process_cancel_and_failure(tmp_path: Path, library) -> None:
    folder = _many(tmp_path / "many", 20)
    report = importer.import_paths_in_process(library.path, [folder], cancel=lambda: True)
    assert report.cancelled and report.stored == 0 and library.count() == 0
    seen: list[tuple[int, int]] = []
    report = importer.import_paths_in_process(library.path, [folder], progress=lambda d, t, _n: seen.append((d, t)))
    assert len(report.added) == 20 and library.count() == 20 and seen[-1] == (20, 20)
    bad = tmp_path / "not-a-library"
    bad.mkdir()
    with pytest.raises(importer.ImportProcessError, match="StoreError"):
        importer.import_paths_in_process(bad, [folder])


# ---- the index refreshes an import sets off -----------------------------------
class HeldRefresh:
    """Stands in for the index refresh job only (these tests are about how the
    window schedules refreshes): records each run's ``full`` and holds it until
    ``release`` is set; the real refresh is tested in tests/search."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.runs: list[bool] = []

    def __call__(self, ctx: Any, index: Any, db_path: Path, full: bool = False) -> Any:
        self.runs.append(full)
        self.release.wait(10)
        return None, 12


@pytest.fixture
def held_refresh(monkeypatch) -> HeldRefresh:
    from reader.ui import jobs

    job = HeldRefresh()
    monkeypatch.setattr(jobs, "job_refresh_index", job)
    return job


def test_refreshes_asked_for_while_one_runs_make_one_more(qtbot, window, held_refresh) -> None:
    release, runs = held_refresh.release, held_refresh.runs
    window.indexing.refresh()
    qtbot.waitUntil(lambda: len(runs) == 1, timeout=5000)
    window.indexing.refresh()
    window.indexing.refresh(full=True)
    window.indexing.refresh()
    release.set()
    # (once no refresh runs, none is waiting either: a waiting one starts as the last ends)
    qtbot.waitUntil(lambda: len(runs) == 2 and not window.indexing.refreshing, timeout=5000)
    assert runs == [False, True]  # the first one's result was not dropped, then one (full) more
    assert window.indexing.docs == 12 and window.indexing.state == "Index: 12 docs"
    assert window.status_index.text() == "Index: 12 docs"


def _record(window) -> list[tuple[str, str]]:
    """What the bus says about the index and the entities, in order."""
    seen: list[tuple[str, str]] = []
    window.events.index_state.connect(lambda state: seen.append(("index", state.phase)))
    window.events.entities_state.connect(lambda text: seen.append(("entities", text)))
    return seen


def _harbour_files(folder: Path, n: int) -> list[Path]:
    folder.mkdir()
    files = []
    for i in range(n):
        path = folder / f"h{i}.txt"
        path.write_text(f"Harbour report {i}\n\nShips from Rotterdam reached Hamburg on day {i}.\n", encoding="utf-8")
        files.append(path)
    return files


def test_a_big_import_refreshes_the_index_then_recognises(qtbot, window, built_index, tmp_path: Path) -> None:
    """60 new articles: one refresh of the index (the engine then rebuilds, as
    most of the library changed: tests/search/test_refresh.py), and the
    entities pass only once it is done - not beside it (2 cores)."""
    _harbour_files(tmp_path / "big", 60)
    seen = _record(window)
    window.importer.import_paths([str(tmp_path / "big")])
    qtbot.waitUntil(lambda: window.importer.last_report is not None, timeout=60000)
    assert len(window.importer.last_report.added) == 60
    qtbot.waitUntil(lambda: ("entities", "Entities: 60 articles updated") in seen, timeout=120000)
    refresh = seen.index(("index", "checking"))
    ready = seen.index(("index", "ready"), refresh)
    starting = next(i for i, e in enumerate(seen) if e[0] == "entities" and e[1].endswith("starting…"))
    assert refresh < ready < starting  # searchable first, then recognised
    qtbot.waitUntil(lambda: len(search_ids(built_index, window.library, "rotterdam")) == 60, timeout=30000)
    new = window.importer.last_report.added[0]
    assert window.library.entity_backend(new)[0].startswith("rules")


def test_a_small_import_updates_its_articles_and_recognises_at_once(qtbot, window, built_index,
                                                                    tmp_path: Path) -> None:
    """Two new articles: re-indexed one by one (no refresh of the whole index
    first) and recognised at once; the refresh that follows is the entities'."""
    seen = _record(window)
    window.importer.import_paths([str(p) for p in _harbour_files(tmp_path / "small", 2)])
    qtbot.waitUntil(lambda: len(search_ids(built_index, window.library, "rotterdam")) == 2, timeout=30000)
    qtbot.waitUntil(lambda: ("entities", "Entities: 2 articles updated") in seen, timeout=60000)
    first = seen[0]
    assert first[0] == "entities" and first[1].endswith("starting…"), seen  # before any refresh
    for aid in window.importer.last_report.added:
        assert window.library.entity_backend(aid)[0].startswith("rules")


def test_entities_are_recognised_in_a_separate_process(filled_library, monkeypatch) -> None:
    """The whole of ``compute_for_library`` (its parent side is Python holding
    the GIL) runs in a spawned process; what it stores is in the library."""
    from reader.ui import jobs

    spawned: list[str] = []
    real = jobs.run_in_process

    def spy(target: Any, args: tuple[Any, ...], **kwargs: Any) -> Any:
        spawned.append(target.__name__)
        return real(target, args, **kwargs)

    monkeypatch.setattr(jobs, "run_in_process", spy)

    class Ctx:
        seen: list[tuple[int, int]] = []

        def progress(self, done: int, total: int, label: str = "") -> None:
            self.seen.append((done, total))

        def cancelled(self) -> bool:
            return False

    ctx = Ctx()
    count = jobs.job_compute_entities(ctx, filled_library.path, "rules")
    assert spawned == ["_entities_in_child"]
    assert count == filled_library.count() == 12
    assert ctx.seen and ctx.seen[-1] == (12, 12)
    some = filled_library.ids()[0]
    assert filled_library.entity_backend(some)[0].startswith("rules")


def test_one_search_at_a_time_and_the_newest_query_wins(qtbot, window, monkeypatch) -> None:
    """Searches are Whoosh in threads of this process and cannot be stopped:
    queries typed while one runs wait, and only the newest of them runs."""
    from reader.ui import jobs

    release = threading.Event()
    started: list[str] = []
    real = jobs.job_search

    def gated(ctx: Any, index: Any, db_path: Path, query: str, *args: Any) -> Any:
        started.append(query)
        if query == "nato":
            release.wait(10)
        return real(ctx, index, db_path, query, *args)

    monkeypatch.setattr(jobs, "job_search", gated)
    window.search_bar.set_query("nato")
    qtbot.waitUntil(lambda: started == ["nato"], timeout=5000)
    window.search_bar.set_query("berlin")
    window.search_bar.set_query("stoltenberg")
    # nothing else started beside it: the newest query waits for the running one
    assert window.search.job != 0 and window.search.next_query == "stoltenberg"
    assert started == ["nato"]
    release.set()
    model = window.list_pane.results_model
    qtbot.waitUntil(lambda: model.query == "stoltenberg", timeout=5000)
    assert started == ["nato", "stoltenberg"]  # "berlin" was skipped, and nato's stale result not shown
    assert model.rowCount() > 0


@pytest.mark.timeout(60)
def test_delete_and_undo_while_another_connection_writes_do_not_wait(qtbot, window) -> None:
    """Deleting and undoing are written in the writer pool: while another
    connection holds the write lock the window goes on (a delete on the GUI
    connection waited up to the 15 s busy timeout), and both are written, in
    order, once the lock is free."""
    aid = window.current_id
    model = window.list_pane.model
    window.list_pane.select_id(aid)
    with held_write_lock(window.db_path) as other:
        window.deleting.delete_selected(confirm=False)  # returns at once
        assert window.runner.writing()  # the delete waits for the lock in its worker
        window.list_pane.step(1)  # the window still answers: the next article opens
        assert window.current_id != aid
        assert other.execute("SELECT count(*) FROM articles WHERE id=?", (aid,)).fetchone()[0] == 1
    qtbot.waitUntil(lambda: model.row_of(aid) < 0, timeout=10000)
    assert window.library.article(aid) is None
    with held_write_lock(window.db_path):
        window.actions_by_name["undo"].trigger()
        assert window.runner.writing() and window.library.article(aid) is None
    qtbot.waitUntil(lambda: model.row_of(aid) >= 0, timeout=10000)
    assert window.library.article(aid) is not None
