"""The database file: migrations with backups, damaged and foreign files, moving aside."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from reader.core.article import Article, Block, BlockKind, article_id, content_hash
from reader.store import Library, StoreError
from reader.store import db as dbmod


def make_article(n: int = 0) -> Article:
    identity = f"https://example.org/story-{n}"
    paras = (f"Story {n} begins with a quiet morning in the harbour.", "Then the storm came and the boats stayed in.")
    return Article(
        id=article_id(identity),
        identity=identity,
        title=f"Story {n}",
        content_hash=content_hash("\n".join(paras) + str(n)),
        url=identity,
        published=datetime(2024, 1, 1) + timedelta(days=n),
        blocks=tuple(Block(BlockKind.PARAGRAPH, p) for p in paras),
    )


def filled_library(path: Path, articles: int = 3) -> list[str]:
    """A library file with articles, a bookmark, a tag and notes; returns the annotation ids."""
    lib = Library.open(path)
    ids = []
    for n in range(articles):
        art = make_article(n)
        lib.upsert(art)
        ids.append(lib.annotate_quote(art.id, "storm", note=f"note {n}").id)
    lib.set_bookmark(make_article(0).id)
    lib.add_tag(make_article(1).id, "weather")
    lib.close()
    return ids


def checkpointed(path: Path) -> bytes:
    """The file's bytes after folding the WAL in (so a copy of the file is the whole database)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path.read_bytes()


# ---- fresh database --------------------------------------------------------
def test_new_database_is_at_the_current_schema_in_wal_mode(tmp_path: Path) -> None:
    conn = dbmod.connect(tmp_path / "new.db")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == dbmod.SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    conn.close()
    assert not list(tmp_path.glob("*.bak"))  # nothing to back up


def test_in_memory_database(tmp_path: Path) -> None:
    lib = Library.open(":memory:")
    lib.upsert(make_article())
    assert lib.count() == 1
    with pytest.raises(ValueError):
        lib.reopen()


def test_reopen_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "lib.db"
    ids = filled_library(path)
    lib = Library.open(path)
    assert {a.id for a in lib.annotations()} == set(ids)
    assert lib.bookmarked_ids() == [make_article(0).id]
    assert lib.tags_of(make_article(1).id) == ["weather"]
    lib.close()


# ---- migrations --------------------------------------------------------------
V2 = "ALTER TABLE annotations ADD COLUMN source TEXT NOT NULL DEFAULT '';\nCREATE TABLE extra (x TEXT);"


def test_migration_backs_up_first_and_keeps_the_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "lib.db"
    monkeypatch.setattr(dbmod, "SCHEMA_VERSION", 1)  # a library of schema 1, then an upgrade
    ids = filled_library(path)
    v1_bytes = checkpointed(path)
    monkeypatch.setattr(dbmod, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(dbmod._MIGRATIONS, 2, V2)
    lib = Library.open(path)
    assert lib.conn.execute("PRAGMA user_version").fetchone()[0] == 2
    assert {a.id for a in lib.annotations()} == set(ids)  # data survived
    assert [r[1] for r in lib.conn.execute("PRAGMA table_info(annotations)")][-1] == "source"
    lib.close()
    (backup,) = tmp_path.glob("lib.db.v1-*.bak")
    # the backup is the v1 database, readable on its own
    conn = sqlite3.connect(backup)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert {r[0] for r in conn.execute("SELECT id FROM annotations")} == set(ids)
    conn.close()
    assert len(backup.read_bytes()) == len(v1_bytes)
    # opening again: already migrated, no second backup
    Library.open(path).close()
    assert len(list(tmp_path.glob("*.bak"))) == 1


def test_backups_never_overwrite_each_other(tmp_path: Path) -> None:
    path = tmp_path / "lib.db"
    filled_library(path)
    first = dbmod._backup(path, 1)
    second = dbmod._backup(path, 1)
    assert first != second and first.exists() and second.exists()


def test_failed_migration_rolls_back_and_says_where_the_backup_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "lib.db"
    monkeypatch.setattr(dbmod, "SCHEMA_VERSION", 1)  # a library of schema 1, then an upgrade
    ids = filled_library(path)
    monkeypatch.setattr(dbmod, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(dbmod._MIGRATIONS, 2, "CREATE TABLE half (x);\nALTER TABLE no_such_table ADD COLUMN y;")
    with pytest.raises(StoreError, match=r"schema 2 failed.*left at schema 1.*\.bak") as info:
        Library.open(path)
    assert str(path) in str(info.value)
    monkeypatch.setattr(dbmod, "SCHEMA_VERSION", 1)
    lib = Library.open(path)
    assert lib.conn.execute("SELECT count(*) FROM sqlite_master WHERE name='half'").fetchone()[0] == 0
    assert {a.id for a in lib.annotations()} == set(ids)
    lib.close()


def test_migration_scripts_may_contain_semicolons_in_strings_and_triggers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "lib.db"
    monkeypatch.setattr(dbmod, "SCHEMA_VERSION", 1)  # a library of schema 1, then an upgrade
    filled_library(path)
    monkeypatch.setattr(dbmod, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(
        dbmod._MIGRATIONS,
        2,
        "CREATE TABLE log (msg TEXT NOT NULL DEFAULT 'a;b');\n"
        "CREATE TRIGGER note_log AFTER INSERT ON annotations BEGIN INSERT INTO log VALUES ('added;'); END;",
    )
    lib = Library.open(path)
    lib.annotate_quote(make_article(0).id, "harbour")
    assert lib.conn.execute("SELECT msg FROM log").fetchall()[0][0] == "added;"
    lib.close()


def test_newer_schema_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "lib.db"
    filled_library(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = checkpointed(path)
    with pytest.raises(StoreError, match="newer Reader") as info:
        Library.open(path)
    assert str(path) in str(info.value)
    assert path.read_bytes() == before


def test_foreign_sqlite_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.execute("INSERT INTO recipes VALUES ('soup')")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a Reader library"):
        Library.open(path)
    assert path.read_bytes() == before


# ---- damaged files -------------------------------------------------------------
def assert_refused_untouched(path: Path) -> None:
    before = path.read_bytes()
    siblings = sorted(p.name for p in path.parent.iterdir())
    with pytest.raises(StoreError) as info:
        Library.open(path)
    assert str(path) in str(info.value)
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == siblings  # no -wal/-shm/backup made


def test_garbage_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "garbage.db"
    path.write_bytes(bytes(range(256)) * 64)
    assert_refused_untouched(path)


def test_text_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("These are my notes, not a database.\n" * 100, encoding="utf-8")
    assert_refused_untouched(path)


@pytest.mark.parametrize("keep", [0.5, 0.25])
def test_truncated_database_is_refused_and_left_alone(tmp_path: Path, keep: float) -> None:
    path = tmp_path / "lib.db"
    filled_library(path, articles=40)
    data = checkpointed(path)
    for side in ("-wal", "-shm"):
        Path(str(path) + side).unlink(missing_ok=True)
    path.write_bytes(data[: int(len(data) * keep)])
    assert_refused_untouched(path)


def test_damaged_page_is_found_by_the_check_on_open(tmp_path: Path) -> None:
    path = tmp_path / "lib.db"
    filled_library(path, articles=40)
    data = bytearray(checkpointed(path))
    for side in ("-wal", "-shm"):
        Path(str(path) + side).unlink(missing_ok=True)
    page = 4096
    data[2 * page : 3 * page] = b"\xff" * page  # scribble over a b-tree page
    path.write_bytes(bytes(data))
    assert_refused_untouched(path)


def test_move_aside_renames_and_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "lib.db"
    filled_library(path)
    lib = Library.open(path)  # leave a WAL beside it
    lib.annotate_quote(make_article(2).id, "harbour", note="in the WAL")
    wal = Path(str(path) + "-wal").read_bytes()
    main = path.read_bytes()
    lib.conn.close()  # (close folds the WAL in; copy the pair back to simulate a crash)
    path.write_bytes(main)
    Path(str(path) + "-wal").write_bytes(wal)
    moved = dbmod.move_aside(path)
    assert not path.exists() and not Path(str(path) + "-wal").exists()
    assert moved.read_bytes() == main and Path(str(moved) + "-wal").read_bytes() == wal
    again = dbmod.move_aside  # a second damaged file in the same second gets its own name
    path.write_bytes(b"junk")
    assert again(path) != moved
    # a fresh library can be made; the moved one still opens with everything in it
    Library.open(path).close()
    old = Library.open(moved)
    assert any(a.note == "in the WAL" for a in old.annotations())
    old.close()


def test_failed_backup_stops_the_migration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "lib.db"
    monkeypatch.setattr(dbmod, "SCHEMA_VERSION", 1)  # a library of schema 1, then an upgrade
    filled_library(path)
    before = checkpointed(path)
    monkeypatch.setattr(dbmod, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(dbmod._MIGRATIONS, 2, V2)
    real_connect = sqlite3.connect

    def no_room_for_backups(target: object, *args: object, **kwargs: object) -> sqlite3.Connection:
        if str(target).endswith(".bak"):
            raise sqlite3.OperationalError("database or disk is full")
        return real_connect(target, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(dbmod.sqlite3, "connect", no_room_for_backups)
    with pytest.raises(StoreError, match="could not write a backup"):
        Library.open(path)
    assert path.read_bytes() == before and not list(tmp_path.glob("*.bak"))
