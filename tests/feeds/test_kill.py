"""A feed refresh killed with SIGKILL half-way: the next run refreshes again,
with no duplicate items and no lost read state."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from reader import cli, paths
from reader.store import Library
from tests.child_process import ROOT, child_env, wait_for
from tests.feeds.feedfix import Item, serve_feed
from tests.net.httpserver import LocalServer, Reply, page

N = 24


def stored_items(db: Path) -> int:
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
    try:
        return int(conn.execute("SELECT count(*) FROM feed_items").fetchone()[0])
    except sqlite3.OperationalError:
        return 0
    finally:
        conn.close()


def children_of(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found.extend(int(x) for x in text)
    return found


def zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].startswith("Z")
    except (OSError, IndexError):
        return True


@pytest.mark.timeout(120)
def test_refresh_killed_mid_way_is_completed_by_the_next_run(server: LocalServer, reader_home: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    items = []
    for k in range(N):
        body = page(f"Killed story {k}", [f"Paragraph {k} of a story long enough to keep as an article text."] * 3,
                    canonical=server.url(f"/k{k}"))
        # each page arrives slowly, so the child is surely killed half-way through
        server.route(f"/k{k}", Reply(body=[body[:200], body[200:]], pause=0.5))
        items.append(Item(f"kill-{k}", server.url(f"/k{k}"), f"Killed story {k}"))
    url = serve_feed(server, "/feed.xml", items, etag='"kill"')
    db = paths.database_path()
    lib = Library.open(db)
    feed = lib.feeds.add(url)
    lib.close()

    child = subprocess.Popen(
        [sys.executable, "-m", "reader", "feeds", "refresh", "--processes", "2", "--no-entities", "--no-index"],
        cwd=ROOT, env=child_env(READER_HOME=str(reader_home)), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        # wait until the child has stored some items (and not all): past the first 8
        # pages it extracts in spawned helper processes, which must leave with it
        def stored_some() -> bool:
            assert child.poll() is None, child.stderr.read() if child.stderr else ""
            return stored_items(db) >= 10

        wait_for(stored_some, lambda: "the child stored nothing", 60)
        helpers = children_of(child.pid)
        assert helpers, "the child runs no extraction processes"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()  # type: ignore[union-attr]
        child.stderr.close()  # type: ignore[union-attr]
    assert child.returncode == -signal.SIGKILL
    wait_for(lambda: not any(Path(f"/proc/{pid}").exists() and not zombie(pid) for pid in helpers),
             lambda: f"helper processes {helpers} outlived the killed refresh", 20)

    lib = Library.open(db)
    partial = lib.count()
    assert 10 <= partial < N
    stored = lib.feeds.get(feed.id)
    assert stored is not None and stored.etag is None and stored.last_success is None  # not saved: redo
    read_id = lib.ids()[0]
    lib.set_read(read_id)
    lib.close()

    assert cli.main(["feeds", "refresh", "--no-entities", "--no-index"]) == 0
    out = capsys.readouterr().out
    assert f"{N - partial} new" in out

    lib = Library.open(db)
    try:
        assert lib.count() == N
        identities = [r[0] for r in lib.conn.execute("SELECT identity FROM articles")]
        assert len(set(identities)) == N
        assert lib.conn.execute("SELECT count(*) FROM feed_items").fetchone()[0] == N
        assert lib.conn.execute("SELECT is_read FROM articles WHERE id=?", (read_id,)).fetchone()[0] == 1
        assert lib.feeds.get(feed.id).unread == N - 1  # type: ignore[union-attr]
        assert lib.feeds.get(feed.id).etag == '"kill"'  # type: ignore[union-attr]
    finally:
        lib.close()
