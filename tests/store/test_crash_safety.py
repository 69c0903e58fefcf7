"""Crash safety: a writer killed at random moments loses nothing it reported saved;
a full disk refuses the change clearly and leaves what was stored intact."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from reader.core.article import Article, Block, BlockKind, article_id, content_hash
from reader.store import Library, StoreError
from reader.store.db import StoreWriteError
from tests.child_process import ROOT, child_env, kill_and_drain

WRITER = Path(__file__).with_name("crash_writer.py")
KILLS = int(os.environ.get("READER_CRASH_KILLS", "24"))


def make_article() -> Article:
    identity = "https://example.org/crash"
    paras = tuple(f"Paragraph {n}: the quick brown fox jumps over the lazy dog again and again." for n in range(30))
    return Article(id=article_id(identity), identity=identity, title="Crash test", url=identity,
                   content_hash=content_hash("\n".join(paras)), published=datetime(2024, 1, 1),
                   blocks=tuple(Block(BlockKind.PARAGRAPH, p) for p in paras))


def run_and_kill(db: Path, run: int, target: str, rng: random.Random) -> list[tuple[str, str]]:
    """Start a writer, SIGKILL it after a random number of reported commits
    (sometimes before the first), return every (kind, id) it reported."""
    child = subprocess.Popen([sys.executable, str(WRITER), str(db), str(run), target], cwd=ROOT, env=child_env(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    reported: list[tuple[str, str]] = []
    try:
        wanted = rng.choice([0, *range(1, 40)])
        if wanted == 0:
            time.sleep(rng.uniform(0.0, 0.3))  # during start-up and opening
        while len(reported) < wanted:
            line = child.stdout.readline()  # type: ignore[union-attr]
            if not line:
                raise AssertionError(f"the writer stopped by itself:\n{child.stderr.read()}")  # type: ignore[union-attr]
            kind, ident = line.split()
            reported.append((kind, ident))
        time.sleep(rng.uniform(0.0, 0.004))  # land somewhere inside the next write
    finally:
        # lines printed between our last read and the kill were printed after their commit too
        rest, _err = kill_and_drain(child, lambda: child.send_signal(signal.SIGKILL))
    reported += rest
    assert child.returncode == -signal.SIGKILL
    return reported


def test_killed_writer_loses_nothing_it_reported(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    lib = Library.open(db)
    target = make_article()
    lib.upsert(target)
    lib.close()
    rng = random.Random(int(os.environ.get("READER_CRASH_SEED", "20240501")))
    saved: list[tuple[str, str]] = []
    for run in range(KILLS):
        saved += run_and_kill(db, run, target.id, rng)
        conn = sqlite3.connect(db)  # raw SQLite: no help from our own open checks
        try:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], f"after kill {run}"
            notes = {r[0] for r in conn.execute("SELECT id FROM annotations")}
            marks = {r[0] for r in conn.execute("SELECT article_id FROM bookmarks")}
            tagged = {r[0] for r in conn.execute(
                "SELECT a.article_id FROM article_tags a JOIN tags t ON t.id = a.tag_id WHERE t.name = 'crash'")}
        finally:
            conn.close()
        for kind, ident in saved:
            store = {"A": notes, "B": marks, "T": tagged}[kind]
            assert ident in store, f"{kind} {ident} was reported saved but is missing after kill {run}"
    assert len(saved) > KILLS  # the writers really wrote
    lib = Library.open(db)  # and the library opens normally afterwards
    assert {a.id for a in lib.annotations(target.id)} >= {i for k, i in saved if k == "A"}
    lib.close()


# ---- full disk ----------------------------------------------------------------------
@pytest.fixture
def full_library(tmp_path: Path) -> Library:
    lib = Library.open(tmp_path / "full.db")
    art = make_article()
    lib.upsert(art)
    lib.annotate_quote(art.id, "lazy dog", note="before the disk filled up", annotation_id="kept")
    lib.set_bookmark(art.id)
    pages = lib.conn.execute("PRAGMA page_count").fetchone()[0]
    # the database may not grow any more: the next write that needs a page fails with SQLITE_FULL
    lib.conn.execute(f"PRAGMA max_page_count = {pages}")
    yield lib  # type: ignore[misc]
    lib.close()


def test_full_disk_refuses_the_note_clearly_and_keeps_the_rest(full_library: Library) -> None:
    lib = full_library
    art_id = make_article().id
    before = lib.annotations()
    with pytest.raises(StoreWriteError) as info:
        lib.annotate(art_id, 0, 10, note="y" * 200_000)
    message = str(info.value)
    assert "disk is full" in message and str(lib.path) in message and "nothing was changed" in message
    assert isinstance(info.value, StoreError) and isinstance(info.value, sqlite3.OperationalError)
    assert isinstance(info.value.__cause__, sqlite3.OperationalError)
    assert "database or disk is full" in str(info.value.__cause__)
    # what was there is intact, and the connection is not stuck in a transaction
    assert not lib.conn.in_transaction
    assert lib.annotations() == before and lib.is_bookmarked(art_id)
    assert lib.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # once there is room again, saving works
    lib.conn.execute("PRAGMA max_page_count = 1073741823")
    lib.annotate(art_id, 0, 10, note="y" * 200_000, annotation_id="after")
    assert lib.annotation("after") is not None


def test_full_disk_during_reimport_keeps_the_old_article_and_notes(full_library: Library) -> None:
    lib = full_library
    old = make_article()
    bigger = Article(**{**old.__dict__, "blocks": old.blocks + tuple(
        Block(BlockKind.PARAGRAPH, f"New paragraph {n} " + "z" * 400) for n in range(300)),
        "content_hash": "changed"})
    with pytest.raises(StoreError, match="disk is full"):
        lib.upsert(bigger)
    assert lib.plain_text(old.id) == old.plain_text
    assert [a.id for a in lib.annotations(old.id)] == ["kept"]
    assert not lib.conn.in_transaction


def test_other_database_errors_are_not_disguised(full_library: Library) -> None:
    """Only write failures become StoreWriteError; a bug stays what it is."""
    with pytest.raises(sqlite3.OperationalError) as info, full_library.transaction() as conn:
        conn.execute("SELECT no_such_column FROM articles")
    assert not isinstance(info.value, StoreError)
    assert not full_library.conn.in_transaction
