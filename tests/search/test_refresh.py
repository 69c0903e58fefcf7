"""Startup refresh: incremental changes, rebuilds of broken indexes, locking."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from reader.search import SearchIndex, writer
from reader.search.schema import SCHEMA_VERSION
from reader.search.storage import SCHEMA_FILE, STATE_FILE, IndexFolder
from reader.store.library import Library
from tests.search.conftest import make_article, many_articles


def generated_library(tmp_path: Path, n: int) -> tuple[Path, Library, SearchIndex]:
    """A library of ``n`` generated articles in ``tmp_path`` and an index object (not built yet)."""
    db = tmp_path / "big.sqlite3"
    lib = Library.open(db)
    for article in many_articles(n):
        lib.upsert(article)
    return db, lib, SearchIndex(tmp_path / "index")


def current(index_dir: Path) -> Path:
    path = IndexFolder(index_dir).current()
    assert path is not None
    return path


def test_first_refresh_builds_then_nothing_to_do(tmp_path: Path, db_path: Path) -> None:
    ix = SearchIndex(tmp_path / "index")
    assert not ix.is_ready()
    stats = ix.refresh(db_path)
    assert stats.rebuilt and stats.added == 5
    assert ix.is_ready() and ix.doc_count() == 5
    stats = SearchIndex(tmp_path / "index").refresh(db_path)
    assert (stats.added, stats.updated, stats.deleted, stats.rebuilt) == (0, 0, 0, False)


def test_refresh_adds_updates_deletes(index: SearchIndex, lib: Library, ids_of) -> None:
    lib.upsert(make_article("new", "Brand new article", "About zeppelins."))
    changed = make_article("budget", "Government unveils budget", "The government now plans airships.")
    lib.upsert(changed)
    lib.delete("tech")
    stats = index.refresh(lib.path)
    assert (stats.added, stats.updated, stats.deleted, stats.rebuilt) == (1, 1, 1, False)
    assert ids_of(index, "zeppelins", lib) == ["new"]
    assert ids_of(index, "airships", lib) == ["budget"]
    assert ids_of(index, "hospitals", lib) == []  # the old text is gone
    assert ids_of(index, "phone", lib) == []
    assert index.doc_count() == 5
    # new words reach the vocabulary: fuzzy and suggestions find them
    assert ids_of(index, "zepelins~", lib) == ["new"]
    assert index.search("zepelins", lib).suggestion == "zeppelins"


def test_full_refresh_rebuilds(index: SearchIndex, lib: Library) -> None:
    before = current(index.index_dir)
    stats = index.refresh(lib.path, full=True)
    assert stats.rebuilt and stats.added == 5
    after = current(index.index_dir)
    assert after != before and not before.exists()


@pytest.mark.parametrize("target", ["segments", "toc", "all"])
def test_corrupt_index_is_rebuilt(index: SearchIndex, lib: Library, ids_of, target: str,
                                  caplog: pytest.LogCaptureFixture) -> None:
    path = current(index.index_dir)
    for file in path.iterdir():
        is_toc = file.name.endswith(".toc")
        if file.is_file() and file.name.startswith(("MAIN_", "_MAIN_")) and (
            target == "all" or (target == "toc") == is_toc
        ):
            file.write_bytes(b"garbage" * 3)
    # searching a broken index explains instead of raising
    result = SearchIndex(index.index_dir).search("patriot", lib)
    assert result.hits == () and result.error
    caplog.set_level("INFO")
    stats = SearchIndex(index.index_dir).refresh(lib.path)
    assert stats.rebuilt
    assert "rebuilding the search index" in caplog.text
    assert ids_of(SearchIndex(index.index_dir), "patriot", lib) == ["nato24"]


def test_garbage_in_state_or_pointer(index: SearchIndex, lib: Library, ids_of) -> None:
    path = current(index.index_dir)
    (path / STATE_FILE).write_text("{not json")
    stats = SearchIndex(index.index_dir).refresh(lib.path)
    assert not stats.rebuilt  # the sidecar is recomputed from the index itself
    assert ids_of(index, "patriot", lib) == ["nato24"]
    (index.index_dir / "CURRENT").write_bytes(b"\xff\x00../../etc")
    assert not index.is_ready()
    assert SearchIndex(index.index_dir).refresh(lib.path).rebuilt
    assert ids_of(index, "patriot", lib) == ["nato24"]


def test_missing_index_dir_contents(index: SearchIndex, lib: Library) -> None:
    import shutil

    shutil.rmtree(index.index_dir)
    assert not index.is_ready()
    assert index.refresh(lib.path).rebuilt
    assert index.doc_count() == 5


def test_schema_version_mismatch_is_rebuilt(index: SearchIndex, lib: Library, caplog) -> None:
    path = current(index.index_dir)
    (path / SCHEMA_FILE).write_text(f"{SCHEMA_VERSION - 1}\n")
    assert not index.is_ready()
    caplog.set_level("INFO")
    stats = index.refresh(lib.path)
    assert stats.rebuilt
    assert "schema version" in caplog.text
    assert index.is_ready() and index.doc_count() == 5


def test_sidecar_behind_the_index_is_recovered(index: SearchIndex, lib: Library, ids_of) -> None:
    """A crash between a Whoosh commit and the sidecar write: recompute, don't rebuild."""
    path = current(index.index_dir)
    old_state = (path / STATE_FILE).read_bytes()
    lib.set_bookmark("tech", True)
    index.update_docs(lib.index_docs(["tech"]))
    (path / STATE_FILE).write_bytes(old_state)  # as if the process died before writing it
    stats = SearchIndex(index.index_dir).refresh(lib.path)
    assert (stats.added, stats.updated, stats.rebuilt) == (0, 0, False)
    assert ids_of(index, "is:bookmarked", lib) == ["tech"]


def test_second_writer_waits_or_skips(index: SearchIndex, lib: Library, ids_of) -> None:
    other = SearchIndex(index.index_dir)
    other.refresh_lock_timeout = 0.1
    other.update_lock_timeout = 0.1
    lib.set_bookmark("tech", True)
    with IndexFolder(index.index_dir).lock(1.0) as held:
        assert held
        stats = other.refresh(lib.path)
        assert (stats.added, stats.updated, stats.rebuilt) == (0, 0, False)
        other.update_docs(lib.index_docs(["tech"]))  # queued, not lost
        assert ids_of(other, "is:bookmarked", lib) == []  # still searchable read-only
    lib.set_bookmark("budget", True)
    other.update_docs(lib.index_docs(["budget"]))  # writes the queued change too
    assert set(ids_of(other, "is:bookmarked", lib)) == {"tech", "budget"}


def test_two_index_objects_writing_at_once(index: SearchIndex, lib: Library, ids_of) -> None:
    a, b = SearchIndex(index.index_dir), SearchIndex(index.index_dir)
    for ix in (a, b):
        ix.update_lock_timeout = 5.0
    errors: list[BaseException] = []
    own = {a: ["nato24", "nato23"], b: ["budget", "football"]}

    def toggle(ix: SearchIndex) -> None:
        try:
            my_lib = Library.open(lib.path)
            for round_no in range(6):
                for aid in own[ix]:
                    my_lib.set_bookmark(aid, round_no % 2 == 0)
                    ix.update_docs(my_lib.index_docs([aid]))
                if round_no == 3:
                    ix.refresh(lib.path)
            my_lib.close()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=toggle, args=(ix,)) for ix in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    # 6 rounds: the last (round 5) unbookmarked everything
    assert ids_of(index, "is:bookmarked", lib) == []
    stats = index.refresh(lib.path)
    assert (stats.added, stats.updated, stats.deleted, stats.rebuilt) == (0, 0, 0, False)
    assert index.doc_count() == 5


def test_large_refresh_runs_in_a_worker_with_progress(tmp_path: Path, ids_of) -> None:
    db, lib, ix = generated_library(tmp_path, 200)
    seen: list[tuple[int, int]] = []
    stats = ix.refresh(db, progress=lambda done, total: seen.append((done, total)))
    assert stats.rebuilt and stats.added == 200
    assert seen and seen[-1] == (200, 200)
    assert ix.doc_count() == 200
    for article in many_articles(70, start=500):
        lib.upsert(article)
    for aid in ("gen1", "gen2", "gen3"):
        lib.delete(aid)
    seen.clear()
    stats = ix.refresh(db, progress=lambda done, total: seen.append((done, total)))
    assert (stats.added, stats.deleted, stats.rebuilt) == (70, 3, False)
    assert seen and seen[-1][1] == 70
    assert ix.doc_count() == 267
    assert ids_of(ix, "unique555", lib) == ["gen555"]
    assert ids_of(ix, "unique2", lib) == []
    lib.close()


def test_large_update_in_two_workers_replaces_old_versions(tmp_path: Path, ids_of,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Changed and new articles are indexed by two worker processes into new
    segments; the old versions are gone, the sidecar is right, and the next
    refresh has nothing to do."""
    monkeypatch.setattr("reader.search.writer.TWO_WORKERS_FROM", 10)
    db, lib, ix = generated_library(tmp_path, 200)
    ix.refresh(db)
    for n in range(40):  # edited: new text
        lib.upsert(make_article(f"gen{n}", f"Edited {n}", f"rewritten{n} story"))
    for article in many_articles(30, start=700):  # new
        lib.upsert(article)
    lib.delete("gen199")
    segments_before = writer.segment_count(current(tmp_path / "index"))
    seen: list[tuple[int, int]] = []
    stats = ix.refresh(db, progress=lambda done, total: seen.append((done, total)))
    assert (stats.added, stats.updated, stats.deleted, stats.rebuilt) == (30, 40, 1, False)
    assert seen and seen[-1] == (70, 70)
    # one new segment per worker process (two on a 2-core machine), the old ones kept
    workers = 2 if (os.cpu_count() or 1) >= 2 else 1
    assert writer.segment_count(current(tmp_path / "index")) == segments_before + workers
    assert ix.doc_count() == 229
    assert ids_of(ix, "rewritten7", lib) == ["gen7"]
    assert ids_of(ix, "unique7", lib) == []
    assert ids_of(ix, "unique707", lib) == ["gen707"]
    assert ids_of(ix, "unique199", lib) == []
    stats = SearchIndex(tmp_path / "index").refresh(db)
    assert (stats.added, stats.updated, stats.deleted, stats.rebuilt) == (0, 0, 0, False)
    lib.close()


def test_a_change_to_most_of_the_library_rebuilds(tmp_path: Path, ids_of) -> None:
    db, lib, ix = generated_library(tmp_path, 100)
    ix.refresh(db)
    before = current(tmp_path / "index")
    for article in many_articles(80, start=300):
        lib.upsert(article)
    stats = ix.refresh(db)
    assert (stats.added, stats.updated, stats.deleted, stats.rebuilt) == (80, 0, 0, True)
    assert current(tmp_path / "index") != before  # a new generation
    assert ix.doc_count() == 180
    assert ids_of(ix, "unique350", lib) == ["gen350"]
    stats = SearchIndex(tmp_path / "index").refresh(db)
    assert (stats.added, stats.updated, stats.deleted, stats.rebuilt) == (0, 0, 0, False)
    lib.close()


def test_large_refreshes_rebuild_once_segments_pile_up(tmp_path: Path, ids_of, monkeypatch) -> None:
    """Each large incremental refresh adds a segment written by a worker
    process; at MAX_SEGMENTS the next large one rebuilds into one or two."""
    from reader.search import index as index_mod

    monkeypatch.setattr(index_mod, "MAX_SEGMENTS", 3)
    db, lib, ix = generated_library(tmp_path, 300)
    ix.refresh(db)
    counts = []
    for batch in range(3):
        for article in many_articles(60, start=1000 + 100 * batch):
            lib.upsert(article)
        stats = ix.refresh(db)
        counts.append((stats.rebuilt, writer.segment_count(current(tmp_path / "index"))))
    first = counts[0][1]
    assert counts[0][0] is False and counts[1] == (False, first + 1)
    assert counts[2][0] is True and counts[2][1] <= 2  # rebuilt: the pile is gone
    assert ix.doc_count() == 480
    assert ids_of(ix, "unique1210", lib) == ["gen1210"]
    lib.close()
