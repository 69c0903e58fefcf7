"""A big import while searches keep reading must not grow the WAL without bound.

Found by the load test: importing 10x BBC (a 210 MB library) while the GUI
searched every 300 ms left a 1.7 GB ``library.sqlite3-wal``.  SQLite's automatic
checkpoints copy pages back but can only *restart* the WAL when no reader is
using it; with overlapping readers (a search starting before the previous one
ended) that moment never comes.  Here two reader connections take turns so one
is always inside a read transaction, as overlapping searches are, while the
real importer stores a few thousand articles.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from reader.store import Library
from reader.store.db import connect
from reader.store.importer import import_paths


def write_files(folder: Path, n: int) -> None:
    folder.mkdir()
    para = "Markets rose and the government said the economy grew again this quarter. " * 12
    for i in range(n):
        (folder / f"a{i:05d}.txt").write_text(f"Story {i}\n\n{para}\n\n{para} {i}\n", encoding="utf-8")


@pytest.mark.timeout(120)
def test_import_under_overlapping_readers_keeps_the_wal_bounded(tmp_path: Path) -> None:
    db = tmp_path / "lib.sqlite3"
    write_files(tmp_path / "in", 3000)
    lib = Library.open(db)
    stop = threading.Event()
    reads = [0]

    def reader(offset: float) -> None:
        conn = connect(db, check=False)
        time.sleep(offset)
        while not stop.is_set():
            conn.execute("BEGIN")
            conn.execute("SELECT count(*) FROM articles").fetchone()
            time.sleep(0.06)  # a search reading for a while; the other reader overlaps it
            conn.execute("COMMIT")
            reads[0] += 1
            time.sleep(0.01)
        conn.close()

    threads = [threading.Thread(target=reader, args=(k * 0.035,)) for k in range(2)]
    for t in threads:
        t.start()
    wal = Path(f"{db}-wal")
    biggest = [0]

    def progress(done: int, total: int, name: str) -> None:
        if done % 100 == 0 and wal.exists():
            biggest[0] = max(biggest[0], wal.stat().st_size)

    try:
        report = import_paths(lib, [tmp_path / "in"], progress=progress)
    finally:
        stop.set()
        for t in threads:
            t.join(10)
    assert len(report.added) == 3000 and reads[0] > 10
    db_size = db.stat().st_size + biggest[0]  # (pages may still sit in the WAL only)
    print(f"db {os.path.getsize(db) / 1e6:.1f} MB, biggest WAL {biggest[0] / 1e6:.1f} MB, reads {reads[0]}")
    # without periodic restarts the WAL ends up holding every page written (> the database)
    assert 0 < biggest[0] < 16 * 1024 * 1024 and biggest[0] < db_size / 2  # (0: the WAL was never sampled)
    lib.close()


def test_index_docs_holds_no_read_open_while_its_consumer_works(tmp_path: Path) -> None:
    """While a consumer works on the documents index_docs yielded, no read
    transaction of the library is open: a RESTART checkpoint by a writer succeeds
    at once (it could not while the chunk's cursor stayed open across the yield)."""
    from reader.core.ingest import load_file

    db = tmp_path / "lib.sqlite3"
    write_files(tmp_path / "in", 30)
    lib = Library.open(db)
    for path in sorted((tmp_path / "in").iterdir()):
        lib.upsert(load_file(path))
    reader_lib = Library(connect(db, check=False), db)
    docs = reader_lib.index_docs()
    first = next(docs)  # the consumer now works on the first document of a chunk of 30
    lib.set_bookmark(first.id)  # a write meanwhile
    assert lib.restart_wal(wait_ms=100) is True
    assert len([first, *docs]) == 30
    reader_lib.close()
    lib.close()
