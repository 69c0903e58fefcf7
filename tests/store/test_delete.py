"""Deleting articles and undoing it: one transaction each, all or nothing."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from store_articles import paragraph_article

from reader.core.article import Article
from reader.store import EntitySpan, Library, StoreWriteError

PARAS = (
    "The harbour authority opened a second container terminal on Friday.",
    "Dock workers said the new cranes would halve the time ships spend in port.",
    "The port of Rotterdam remains the largest in Europe by tonnage.",
)


def make(identity: str, title: str) -> Article:
    return paragraph_article(identity, title, tuple(f"{title}: {p}" for p in PARAS), url=identity)


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    with Library.open(tmp_path / "library.db") as library:
        yield library


@pytest.fixture
def three(lib: Library) -> list[Article]:
    """Three articles, each with everything a delete must take or keep: a
    bookmark, tags, two notes, entities, reading state."""
    arts = [make(f"https://example.org/{n}", f"Story {n}") for n in ("one", "two", "three")]
    for i, art in enumerate(arts):
        lib.upsert(art)
        lib.set_bookmark(art.id, True, folder=f"folder {i}")
        lib.add_tag(art.id, "ports")
        lib.add_tag(art.id, f"story-{i}")
        lib.annotate_quote(art.id, "second container terminal", note=f"note {i}", colour="green", tags=["q"])
        lib.annotate_quote(art.id, "largest in Europe")
        start = art.plain_text.index("Rotterdam")
        lib.set_entities(art.id, [EntitySpan(start, start + 9, "GPE", "Rotterdam", "Rotterdam")],
                         backend="test:1", text_hash=f"h{i}")
        lib.set_read(art.id, i % 2 == 0)
        lib.set_read_position(art.id, 10 * (i + 1))
    return arts


def dump(lib: Library) -> list[str]:
    """The whole database as SQL statements (what "nothing changed" compares)."""
    return list(lib.conn.iterdump())


def state(lib: Library, aid: str) -> dict[str, object]:
    """What a person sees of one article (not the revision counters)."""
    row = lib.conn.execute("SELECT is_read, read_pos, imported_at FROM articles WHERE id=?", (aid,)).fetchone()
    return {
        "article": lib.article(aid),
        "bookmark": lib.bookmark_folder(aid),
        "tags": lib.tags_of(aid),
        "notes": [(a.id, a.start, a.end, a.exact, a.note, a.colour, a.tags, a.orphan) for a in lib.annotations(aid)],
        "entities": lib.entities(aid),
        "entity_run": lib.entity_backend(aid),
        "read": tuple(row) if row else None,
    }


def test_delete_takes_everything_but_the_notes(lib: Library, three: list[Article]) -> None:
    one, two, three_ = three
    keep = state(lib, three_.id)
    snaps = lib.delete_articles([one.id, two.id, "no-such-id", one.id])
    assert [s.article.id for s in snaps] == [one.id, two.id]  # unknown ids skipped, duplicates once
    assert lib.count() == 1 and lib.ids() == [three_.id]
    for art in (one, two):
        assert lib.article(art.id) is None
        assert lib.bookmark_folder(art.id) is None and lib.tags_of(art.id) == []
        assert lib.entities(art.id) == [] and lib.entity_backend(art.id) is None
        kept = lib.annotations(art.id)
        assert len(kept) == 2 and all(a.orphan and a.article_title == art.title for a in kept)
    assert lib.bookmarked_ids() == [three_.id] and lib.ids_with_tag("ports") == [three_.id]
    assert state(lib, three_.id) == keep
    # the snapshot holds what undo needs
    snap = snaps[1]
    assert snap.bookmarked and snap.bookmark_folder == "folder 1"
    assert snap.tags == ("ports", "story-1") and len(snap.annotations) == 2
    assert [e.text for e in snap.entities] == ["Rotterdam"] and snap.entity_run == ("test:1", "h1")
    assert (snap.is_read, snap.read_position) == (False, 20) and snap.imported_at


def test_delete_with_notes_and_undo_restores_everything(lib: Library, three: list[Article]) -> None:
    one, two, _ = three
    before = {a.id: state(lib, a.id) for a in (one, two)}
    snaps = lib.delete_articles([one.id, two.id], delete_notes=True)
    assert lib.annotations(one.id) == [] and lib.annotations(two.id) == []
    assert all(len(s.annotations) == 2 for s in snaps)
    assert lib.restore_articles(snaps) == [one.id, two.id]
    assert {a.id: state(lib, a.id) for a in (one, two)} == before
    assert lib.rows([one.id])[one.id].note_count == 2


def test_undo_after_keeping_notes_reattaches_them(lib: Library, three: list[Article]) -> None:
    one = three[0]
    before = state(lib, one.id)
    snaps = lib.delete_articles([one.id])
    assert all(a.orphan for a in lib.annotations(one.id))
    lib.restore_articles(snaps)
    assert state(lib, one.id) == before  # the orphans are placed again, not doubled
    assert len(lib.annotations()) == 6


def test_undo_puts_back_the_deleted_version(lib: Library, three: list[Article]) -> None:
    """Imported again with other text after the delete, then undone: the
    article is as it was when deleted, with the entities found on that text."""
    one = three[0]
    before = state(lib, one.id)
    snaps = lib.delete_articles([one.id])
    lib.upsert(make("https://example.org/one", "Story one, corrected"))
    assert lib.article(one.id).title == "Story one, corrected"  # type: ignore[union-attr]
    lib.restore_articles(snaps)
    assert state(lib, one.id) == before


def test_an_identical_article_under_another_id_keeps_its_own_entities(lib: Library, three: list[Article]) -> None:
    """The same text came back under another identity meanwhile: undo finds it
    (by content) and leaves its entities alone."""
    one = three[0]
    snaps = lib.delete_articles([one.id])
    twin = paragraph_article("file:///twin.txt", one.title, tuple(f"{one.title}: {p}" for p in PARAS))
    assert twin.content_hash == one.content_hash and twin.id != one.id
    lib.upsert(twin)
    lib.set_entities(twin.id, [EntitySpan(0, 5, "MISC", "Story")], backend="test:2", text_hash="t")
    assert lib.restore_articles(snaps) == [twin.id]
    assert lib.entity_backend(twin.id) == ("test:2", "t") and [e.text for e in lib.entities(twin.id)] == ["Story"]
    assert lib.tags_of(twin.id) == ["ports", "story-0"] and lib.bookmark_folder(twin.id) == "folder 0"


@pytest.mark.parametrize("table", ["articles", "entities", "bookmarks", "article_tags"])
def test_a_failure_midway_deletes_nothing(lib: Library, three: list[Article], table: str) -> None:
    """The second article's delete is refused by the database itself (a trigger,
    on the article row or on one of the rows its delete cascades to); the first
    article, already deleted inside the transaction, must be back whole."""
    one, two, _ = three
    before = dump(lib)
    column = "id" if table == "articles" else "article_id"
    lib.conn.execute(
        f"CREATE TEMP TRIGGER refuse BEFORE DELETE ON main.{table} WHEN old.{column} = '{two.id}'"
        " BEGIN SELECT RAISE(ABORT, 'refused by the test trigger'); END"
    )
    with pytest.raises(sqlite3.IntegrityError, match="refused by the test trigger"):
        lib.delete_articles([one.id, two.id])
    assert not lib.conn.in_transaction
    assert dump(lib) == before
    assert all(not a.orphan for a in lib.annotations(one.id))
    lib.conn.execute("DROP TRIGGER refuse")
    assert len(lib.delete_articles([one.id, two.id])) == 2  # and the connection works on


def test_a_failure_midway_restores_nothing(lib: Library, three: list[Article]) -> None:
    one, two, _ = three
    snaps = lib.delete_articles([one.id, two.id])
    before = dump(lib)
    lib.conn.execute(
        f"CREATE TEMP TRIGGER refuse BEFORE INSERT ON main.bookmarks WHEN new.article_id = '{two.id}'"
        " BEGIN SELECT RAISE(ABORT, 'refused by the test trigger'); END"
    )
    with pytest.raises(sqlite3.IntegrityError, match="refused"):
        lib.restore_articles(snaps)
    assert dump(lib) == before and lib.article(one.id) is None


def test_a_read_only_file_deletes_nothing(tmp_path: Path, lib: Library, three: list[Article]) -> None:
    """A library another connection may only read: the delete is refused with a
    message naming the file, and everything is still there."""
    assert lib.path is not None
    lib.restart_wal()
    with Library(sqlite3.connect(f"{lib.path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None),
                 lib.path) as ro:
        ro.conn.row_factory = sqlite3.Row
        with pytest.raises(StoreWriteError, match="library.db.*read-only.*nothing was changed"):
            ro.delete_articles([a.id for a in three])
    assert lib.count() == 3 and len(lib.annotations()) == 6 and not any(a.orphan for a in lib.annotations())


def test_delete_one_keeps_its_notes_as_orphans(lib: Library, three: list[Article]) -> None:
    one = three[0]
    lib.delete(one.id)
    assert lib.article(one.id) is None and all(a.orphan for a in lib.annotations(one.id))
