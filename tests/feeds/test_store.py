"""Schema 2 (feeds) on a fresh and on an upgraded library, and FeedStore basics."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reader.core.ingest import parse_text
from reader.store import Library
from reader.store import db as dbmod
from reader.store.feeds import FeedExistsError


def test_a_schema_1_library_is_upgraded_with_its_data_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.sqlite3"
    monkeypatch.setattr(dbmod, "SCHEMA_VERSION", 1)
    lib = Library.open(path)
    article = parse_text("Old story\n\nBody text of the old story.", fmt="text")
    lib.upsert(article)
    lib.set_read(article.id)
    lib.close()
    monkeypatch.undo()  # this version's schema: every migration from 1 on
    lib = Library.open(path)
    try:
        assert lib.conn.execute("PRAGMA user_version").fetchone()[0] == dbmod.SCHEMA_VERSION >= 2
        assert lib.count() == 1 and lib.rows([article.id])[article.id].is_read
        feed = lib.feeds.add("https://news.example/feed.xml", title="News")
        lib.feeds.record_item(feed.id, key="guid:1", guid="1", link=None, article_id=article.id)
        assert lib.feeds.get(feed.id).unread == 0 and lib.feeds.get(feed.id).total == 1  # type: ignore[union-attr]
    finally:
        lib.close()
    assert list(tmp_path.glob("old.sqlite3.v1-*.bak"))


def test_feed_store_add_remove_and_links(tmp_path: Path) -> None:
    lib = Library.open(tmp_path / "lib.sqlite3")
    a = lib.feeds.add("https://a.example/rss", title="Beta")
    b = lib.feeds.add("https://b.example/rss", title="alpha", name=None)
    with pytest.raises(FeedExistsError):
        lib.feeds.add("https://a.example/rss")
    assert [f.id for f in lib.feeds.all()] == [b.id, a.id]  # by title, case-insensitively
    article = parse_text("A story\n\nText.", fmt="text").with_changes(url="https://a.example/story")
    lib.upsert(article)
    lib.feeds.record_item(a.id, key="guid:x", guid="x", link="https://a.example/story", article_id=article.id)
    lib.feeds.record_item(a.id, key="guid:x", guid="x", link="https://a.example/story", article_id=article.id)
    assert lib.conn.execute("SELECT count(*) FROM feed_items").fetchone()[0] == 1
    assert ("guid:other", "https://a.example/story") in lib.feeds.known(a.id)  # same link, new GUID
    assert lib.feeds.article_links()[article.id] == ("https://a.example/story", "Beta")
    lib.feeds.update(a.id, name="My A")
    assert lib.feeds.get(a.id).display_title == "My A"  # type: ignore[union-attr]
    removed = lib.feeds.remove(a.id)
    assert removed is not None and removed.total == 1
    assert lib.count() == 1 and lib.feeds.article_links()[article.id] == ("https://a.example/story", None)
    lib.close()


def test_deleting_a_feed_article_does_not_bring_it_back(tmp_path: Path) -> None:
    lib = Library.open(tmp_path / "lib.sqlite3")
    feed = lib.feeds.add("https://a.example/rss")
    article = parse_text("A story\n\nText.", fmt="text")
    lib.upsert(article)
    lib.feeds.record_item(feed.id, key="guid:x", guid="x", link=None, article_id=article.id)
    lib.delete(article.id)
    assert ("guid:x", None) in lib.feeds.known(feed.id)  # a refresh skips it
    assert lib.feeds.get(feed.id).total == 0  # type: ignore[union-attr]
    with pytest.raises(sqlite3.IntegrityError):
        lib.conn.execute("INSERT INTO feed_items (feed_id, key, article_id, first_seen) VALUES (999, 'k', 'a', 'x')")
    lib.close()


def test_a_removed_feed_can_be_put_back_as_it_was(tmp_path: Path) -> None:
    lib = Library.open(tmp_path / "lib.sqlite3")
    feed = lib.feeds.add("https://a.example/rss", title="A", name="Mine", folder="News")
    article = parse_text("A story\n\nText.", fmt="text")
    lib.upsert(article)
    lib.feeds.record_item(feed.id, key="guid:x", guid="x", link="https://a.example/x", article_id=article.id)
    lib.feeds.record_success(feed.id, etag='"e"', last_modified=None, next_check="2030-01-01T00:00:00+00:00")
    before = lib.feeds.get(feed.id)
    snapshot = lib.feeds.remove_for_undo(feed.id)
    assert snapshot is not None and lib.feeds.all() == []
    assert lib.feeds.restore(snapshot) == before
    assert ("guid:x", None) in lib.feeds.known(feed.id)
    lib.close()
