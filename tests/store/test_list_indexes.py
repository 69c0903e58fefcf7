"""Schema 4: the library list reads covering indexes (no table scan, no sort)
for every order and the unread filter, and an older library gains them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reader.store import db as dbmod
from reader.store.library import Library
from tests.search.conftest import make_article

LIST_QUERIES = {
    "articles_list_date": "SELECT id FROM articles ORDER BY sort_date IS NULL, sort_date DESC, title",
    "articles_list_title": "SELECT id FROM articles ORDER BY title COLLATE NOCASE",
    "articles_list_source": "SELECT id FROM articles ORDER BY source, sort_date DESC",
    "articles_list_unread": "SELECT id FROM articles WHERE is_read=0 ORDER BY sort_date IS NULL, sort_date DESC, title",
}


def _plan(conn: sqlite3.Connection, sql: str, args: tuple[object, ...] = ()) -> str:
    return " / ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, args))


@pytest.mark.parametrize("index", sorted(LIST_QUERIES))
def test_list_orders_read_a_covering_index(tmp_path: Path, index: str) -> None:
    lib = Library.open(tmp_path / "lib.db")
    plan = _plan(lib.conn, LIST_QUERIES[index])
    assert f"COVERING INDEX {index}" in plan and "TEMP B-TREE" not in plan
    lib.close()


def test_ids_and_rows_keep_their_order_and_values(tmp_path: Path) -> None:
    from datetime import datetime

    lib = Library.open(tmp_path / "lib.db")
    for i, (title, day) in enumerate([("b", 3), ("A", 1), ("c", None), ("a2", 2)]):
        lib.upsert(make_article(f"x{i}", title, "text", published=datetime(2024, 1, day) if day else None,
                                source="S" if i % 2 else "R"))
    assert [lib.rows([a])[a].title for a in lib.ids("date")] == ["b", "a2", "A", "c"]  # undated last
    assert [lib.rows([a])[a].title for a in lib.ids("title")] == ["A", "a2", "b", "c"]
    lib.set_read("x0", True)
    rows = lib.rows(lib.ids())
    assert rows["x0"].is_read and not rows["x1"].is_read
    assert "COVERING INDEX articles_list_row" in _plan(
        lib.conn, "SELECT a.id, a.title, a.source, a.sort_date, a.is_read FROM articles a INDEXED BY"
        " articles_list_row WHERE a.id IN (?, ?)", ("x0", "x1"))
    lib.close()


def test_a_schema_1_library_gains_the_indexes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "lib.db"
    monkeypatch.setattr(dbmod, "SCHEMA_VERSION", 1)
    old = Library.open(path)
    old.upsert(make_article("x1", "Kept", "body"))
    old.close()
    monkeypatch.undo()
    lib = Library.open(path)
    names = {r[0] for r in lib.conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert set(LIST_QUERIES) | {"articles_list_row", "article_tags_tag", "annotations_article_live"} <= names
    assert lib.conn.execute("PRAGMA user_version").fetchone()[0] == dbmod.SCHEMA_VERSION
    assert [lib.rows([a])[a].title for a in lib.ids()] == ["Kept"]
    lib.close()
    assert list(tmp_path.glob("lib.db.v1-*.bak"))  # backed up first, as every migration
