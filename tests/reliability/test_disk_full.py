"""A full disk at import and at index writes: a clear one-line message, no
traceback, no corruption, and everything works again once there is room.

The existing tests in tests/store/test_crash_safety.py cover a note and a
re-import hitting SQLITE_FULL on a Library; here the full disk meets the real
importer, `reader import`, and the search index.  SQLite is filled for real
(``PRAGMA max_page_count``: the next page it needs fails with SQLITE_FULL); for
Whoosh the file writes in the index folder are given a byte budget after which
they fail with ENOSPC, as a full file system does.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader import cli, paths
from reader.search import SearchIndex
from reader.store import Library
from reader.store.importer import import_paths, import_seeds
from tests.reliability.corpus import snapshot


def write_articles(folder: Path, n: int, tag: str = "") -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        body = "\n\n".join(f"Paragraph {k} of a long story {i}{tag} " + "words " * 200 for k in range(12))
        path = folder / f"story{i}.txt"
        path.write_text(f"Story {i}{tag} zzstory{i}{tag}\n\n{body}\n", encoding="utf-8")
        out.append(path)
    return out


@pytest.fixture
def library(seeds_dir: Path) -> Iterator[tuple[Library, list[str]]]:
    """The library at READER_HOME: seeds, one with a bookmark, tag and note."""
    lib = Library.open(paths.database_path())
    import_seeds(lib, seeds_dir)
    ids = sorted(lib.ids())
    lib.set_bookmark(ids[0])
    lib.add_tag(ids[0], "keep")
    lib.annotate_quote(ids[0], (lib.plain_text(ids[0]) or "")[20:60], note="before the disk filled up")
    yield lib, ids
    lib.close()


def fill_up(lib: Library) -> None:
    pages = lib.conn.execute("PRAGMA page_count").fetchone()[0]
    lib.conn.execute(f"PRAGMA max_page_count = {pages}")


def make_room(lib: Library) -> None:
    lib.conn.execute("PRAGMA max_page_count = 1073741823")


def test_full_disk_during_import_names_each_file_and_keeps_the_library(
    library: tuple[Library, list[str]], tmp_path: Path
) -> None:
    lib, ids = library
    files = write_articles(tmp_path / "new", 4)
    before = snapshot(lib.path, ids)  # type: ignore[arg-type]
    count = lib.count()
    fill_up(lib)
    report = import_paths(lib, [tmp_path / "new"])
    assert report.stored == 0 and len(report.errors) == len(files)
    for path, message in zip(files, sorted(report.errors), strict=True):
        assert "\n" not in message
        assert message.startswith(f"{path}: could not be stored")
        assert "the disk is full" in message and "nothing was changed" in message
    assert not lib.conn.in_transaction
    assert lib.count() == count
    assert snapshot(lib.path, ids) == before  # type: ignore[arg-type]
    assert lib.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    make_room(lib)
    assert len(import_paths(lib, [tmp_path / "new"]).added) == len(files)


def test_full_disk_during_cli_import(
    library: tuple[Library, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str]
) -> None:
    lib, ids = library
    files = write_articles(tmp_path / "new", 3)
    before = snapshot(lib.path, ids)  # type: ignore[arg-type]
    fill_up(lib)
    monkeypatch.setattr(cli, "_open_library", lambda: lib)  # the CLI's own connection, full
    rc = cli.main(["import", str(tmp_path / "new"), "--no-entities", "--no-index"])
    out, err = capsys.readouterr()
    assert rc == 1
    lines = err.strip().split("\n")
    assert len(lines) == len(files)
    for path, line in zip(files, sorted(lines), strict=True):
        assert line.startswith(f"error: {path}: could not be stored") and "disk is full" in line
    assert out.strip() == f"imported: 0 added, 0 updated, 0 unchanged, {len(files)} failed"
    assert snapshot(lib.path, ids) == before  # type: ignore[arg-type]


# ---- the search index ---------------------------------------------------------------
class DiskBudget:
    """Whoosh file writes under the index folder fail with ENOSPC once ``left`` bytes are used."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from whoosh.filedb import filestore

        self.left: int | None = None  # None: unlimited
        self.refused = 0
        real = filestore.FileStorage.create_file
        budget = self

        class Limited:
            def __init__(self, handle: object) -> None:
                self._handle = handle

            def write(self, data: bytes) -> int:
                if budget.left is not None:
                    if len(data) > budget.left:
                        budget.refused += 1
                        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                    budget.left -= len(data)
                return self._handle.write(data)  # type: ignore[attr-defined]

            def __getattr__(self, name: str) -> object:
                return getattr(self._handle, name)

        def create_file(storage, name, excl=False, mode="wb", **kwargs):  # noqa: ANN001, ANN202
            struct = real(storage, name, excl, mode, **kwargs)
            struct.file = Limited(struct.file)
            return struct

        monkeypatch.setattr(filestore.FileStorage, "create_file", create_file)


@pytest.mark.parametrize("budget", [0, 3000, 60_000])
def test_full_disk_during_index_writes(
    library: tuple[Library, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], budget: int
) -> None:
    """`reader import` whose indexing hits ENOSPC (at once, or part-way through the
    segment files): one line, exit 0 (the articles are stored), the library intact,
    the old index still answers; with room again a search repairs the index."""
    lib, ids = library
    SearchIndex(paths.index_dir()).refresh(lib.path)  # type: ignore[arg-type]
    write_articles(tmp_path / "new", 60)  # > SMALL_JOB: the update runs in a worker (spawn)
    disk = DiskBudget(monkeypatch)
    disk.left = budget
    before = snapshot(lib.path, ids)  # type: ignore[arg-type]
    # in-process import, so the budget applies (a spawned worker would not inherit it)
    monkeypatch.setattr("reader.search.writer.SMALL_JOB", 10_000)
    rc = cli.main(["import", str(tmp_path / "new"), "--no-entities"])
    out, err = capsys.readouterr()
    assert rc == 0 and out.startswith("imported: 60 added")
    assert disk.refused >= 1
    assert err.count("\n") == 1 and err.startswith("reader: the search index could not be updated (")
    assert "No space left on device" in err and "Traceback" not in err
    assert snapshot(lib.path, ids) == before  # type: ignore[arg-type]
    assert sqlite3.connect(lib.path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"  # type: ignore[arg-type]
    index = SearchIndex(paths.index_dir())
    # nothing half-written is live: the old index, whole, with the old articles only
    assert index.is_ready() and index.doc_count() == len(ids)
    assert index.search("zzstory7", lib).total == 0
    old = index.search("Ukraine", lib)
    assert old.error is None and old.hits  # the old index still answers
    disk.left = None  # room again
    rc = cli.main(["search", "zzstory7", "--json"])
    out, err = capsys.readouterr()
    assert rc == 0 and '"total": 1' in out and err == ""
    assert SearchIndex(paths.index_dir()).doc_count() == lib.count()


def test_full_disk_during_a_note_index_update(
    library: tuple[Library, list[str]], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`reader annotate` saves the note; the index update hitting ENOSPC is not an
    error the user must act on (the note is stored; the next refresh catches up)."""
    lib, ids = library
    SearchIndex(paths.index_dir()).refresh(lib.path)  # type: ignore[arg-type]
    disk = DiskBudget(monkeypatch)
    disk.left = 0
    quote = (lib.plain_text(ids[1]) or "")[5:25]
    rc = cli.main(["annotate", ids[1], "--quote", quote, "--note", "zznotefull"])
    out, err = capsys.readouterr()
    assert rc == 0 and out.startswith(f"annotated {ids[1]}") and "Traceback" not in err
    # one line: the index is behind, the next refresh rebuilds it
    assert err.count("\n") == 1 and "search index update failed" in err and "No space left" in err, err
    assert disk.refused >= 1
    assert any(a.note == "zznotefull" for a in lib.annotations(ids[1]))
    disk.left = None
    rc = cli.main(["search", "note:zznotefull", "--json"])
    out, _ = capsys.readouterr()
    assert rc == 0 and '"total": 1' in out
    assert SearchIndex(paths.index_dir()).doc_count() == lib.count()
