"""Feed subscriptions and the items they brought, in the library's SQLite file.

A :class:`FeedStore` works on the library's connection (``Library.feeds``).
Items are known by their GUID, or by their link when the GUID is missing or
repeated; a known link with a new GUID is the same item (feeds whose GUIDs
change on every refresh do not fill the library with copies).  A feed's
``etag``/``last_modified`` are written only after all of its items are
stored, so a refresh killed half-way is simply done again by the next one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from reader.store.db import write_error

#: ``fetch_attempts`` of an item whose page failed for good (never tried again).
GAVE_UP = 1000


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Feed:
    """One subscription with its state and its unread count."""

    id: int
    url: str
    title: str = ""
    name: str | None = None
    site_url: str | None = None
    kind: str = ""
    folder: str = ""
    full_text: bool = True
    etag: str | None = None
    last_modified: str | None = None
    ttl_minutes: int | None = None
    added: str = ""
    last_checked: str | None = None
    last_success: str | None = None
    last_error: str | None = None
    error_count: int = 0
    next_check: str | None = None
    unread: int = 0
    total: int = 0

    @property
    def display_title(self) -> str:
        """The user's name for the feed, else its own title, else its address."""
        return self.name or self.title or self.url

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "title": self.display_title, "url": self.url, "site_url": self.site_url,
                "unread": self.unread, "items": self.total, "last_success": self.last_success,
                "last_error": self.last_error, "full_text": self.full_text, "next_check": self.next_check}


@dataclass(frozen=True)
class KnownItems:
    """The keys and links of a feed's items already stored (what a refresh skips)."""

    keys: frozenset[str]
    links: frozenset[str]

    def __contains__(self, pair: tuple[str, str | None]) -> bool:
        key, link = pair
        return key in self.keys or (link is not None and link in self.links)


@dataclass(frozen=True)
class FeedSnapshot:
    """A removed feed as it was (see :meth:`FeedStore.remove_for_undo`)."""

    feed: Feed
    columns: tuple[str, ...]
    row: tuple[object, ...]
    items: tuple[tuple[object, ...], ...]


@dataclass(frozen=True)
class RetryItem:
    """A stored item that only has the feed's summary: its key and its article."""

    key: str
    article_id: str
    identity: str


class FeedExistsError(ValueError):
    """A subscription to that address exists already (``feed`` is it)."""

    def __init__(self, feed: Feed) -> None:
        super().__init__(f"{feed.url}: already subscribed (feed {feed.id}, {feed.display_title!r})")
        self.feed = feed


_FEED_SELECT = (
    "SELECT f.*,"
    " (SELECT count(DISTINCT i.article_id) FROM feed_items i JOIN articles a ON a.id = i.article_id"
    "   WHERE i.feed_id = f.id AND a.is_read = 0) AS unread,"
    " (SELECT count(DISTINCT i.article_id) FROM feed_items i JOIN articles a ON a.id = i.article_id"
    "   WHERE i.feed_id = f.id) AS total"
    " FROM feeds f"
)


def _feed(row: sqlite3.Row) -> Feed:
    return Feed(
        id=row["id"], url=row["url"], title=row["title"], name=row["name"], site_url=row["site_url"],
        kind=row["kind"], folder=row["folder"], full_text=bool(row["full_text"]), etag=row["etag"], last_modified=row["last_modified"],
        ttl_minutes=row["ttl_minutes"], added=row["added"], last_checked=row["last_checked"],
        last_success=row["last_success"], last_error=row["last_error"], error_count=row["error_count"],
        next_check=row["next_check"], unread=row["unread"], total=row["total"],
    )


class FeedStore:
    """Feeds, their items and their refresh state (one connection; each change
    its own committed transaction)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
        except sqlite3.OperationalError as exc:
            translated = write_error(exc, None)
            if translated is None:
                raise
            raise translated from exc

    # ---- subscriptions -----------------------------------------------------
    def add(self, url: str, *, title: str = "", name: str | None = None, site_url: str | None = None,
            kind: str = "", full_text: bool = True, folder: str = "") -> Feed:
        """Subscribe; :class:`FeedExistsError` when ``url`` is subscribed already."""
        existing = self.by_url(url)
        if existing is not None:
            raise FeedExistsError(existing)
        with self._transaction() as conn:
            cur = conn.execute(
                "INSERT INTO feeds (url, title, name, site_url, kind, full_text, folder, added) VALUES (?,?,?,?,?,?,?,?)",
                (url, title, name or None, site_url, kind, int(full_text), folder, now_iso()),
            )
            feed_id = int(cur.lastrowid or 0)
        feed = self.get(feed_id)
        assert feed is not None
        return feed

    def get(self, feed_id: int) -> Feed | None:
        row = self.conn.execute(f"{_FEED_SELECT} WHERE f.id = ?", (feed_id,)).fetchone()
        return _feed(row) if row else None

    def by_url(self, url: str) -> Feed | None:
        row = self.conn.execute(f"{_FEED_SELECT} WHERE f.url = ?", (url,)).fetchone()
        return _feed(row) if row else None

    def all(self) -> list[Feed]:
        """Every feed, by displayed title."""
        rows = self.conn.execute(f"{_FEED_SELECT} ORDER BY lower(coalesce(f.name, nullif(f.title, ''), f.url))")
        return [_feed(r) for r in rows]

    def remove(self, feed_id: int) -> Feed | None:
        """Unsubscribe; the articles it brought stay in the library.  Returns what was removed."""
        feed = self.get(feed_id)
        if feed is None:
            return None
        with self._transaction() as conn:
            conn.execute("DELETE FROM feed_items WHERE feed_id = ?", (feed_id,))
            conn.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))
        return feed

    def remove_for_undo(self, feed_id: int) -> FeedSnapshot | None:
        """Unsubscribe, returning everything needed to :meth:`restore` it (the GUI's undo)."""
        feed_row = self.conn.execute("SELECT * FROM feeds WHERE id = ?", (feed_id,)).fetchone()
        if feed_row is None:
            return None
        items = tuple(tuple(r) for r in self.conn.execute(
            "SELECT feed_id, key, guid, link, article_id, first_seen, text_from, fetch_error, fetch_attempts"
            " FROM feed_items WHERE feed_id = ?", (feed_id,)))
        feed = self.get(feed_id)
        assert feed is not None
        self.remove(feed_id)
        return FeedSnapshot(feed, tuple(feed_row.keys()), tuple(feed_row), items)

    def restore(self, snapshot: FeedSnapshot) -> Feed:
        """Put back a removed feed with its id, its state and its items."""
        marks = ",".join("?" * len(snapshot.columns))
        with self._transaction() as conn:
            conn.execute(f"INSERT INTO feeds ({', '.join(snapshot.columns)}) VALUES ({marks})", snapshot.row)
            conn.executemany(
                "INSERT OR IGNORE INTO feed_items (feed_id, key, guid, link, article_id, first_seen, text_from,"
                " fetch_error, fetch_attempts) VALUES (?,?,?,?,?,?,?,?,?)", snapshot.items)
        feed = self.get(snapshot.feed.id)
        assert feed is not None
        return feed

    def update(self, feed_id: int, *, name: str | None = None, full_text: bool | None = None) -> None:
        """Rename (``name=""`` goes back to the feed's own title) or switch full-text fetching."""
        with self._transaction() as conn:
            if name is not None:
                conn.execute("UPDATE feeds SET name = ? WHERE id = ?", (name or None, feed_id))
            if full_text is not None:
                conn.execute("UPDATE feeds SET full_text = ? WHERE id = ?", (int(full_text), feed_id))

    # ---- refresh state -------------------------------------------------------
    def due(self, now: str | None = None) -> list[Feed]:
        """Feeds whose next check time has come (or that were never checked)."""
        now = now or now_iso()
        rows = self.conn.execute(f"{_FEED_SELECT} WHERE f.next_check IS NULL OR f.next_check <= ? ORDER BY f.id",
                                 (now,))
        return [_feed(r) for r in rows]

    def next_check_time(self) -> str | None:
        """The earliest time (ISO, UTC) a feed is due; ``None`` without feeds.
        A feed never checked is due now (its time is the empty string)."""
        row = self.conn.execute("SELECT min(coalesce(next_check, '')) FROM feeds").fetchone()
        return None if row is None or row[0] is None else str(row[0])

    def record_success(self, feed_id: int, *, etag: str | None, last_modified: str | None, next_check: str,
                       title: str | None = None, site_url: str | None = None, kind: str | None = None,
                       ttl_minutes: int | None = None, not_modified: bool = False) -> None:
        """A refresh worked: keep the validators for the next conditional GET
        (only now that every item is stored) and clear the error."""
        stamp = now_iso()
        with self._transaction() as conn:
            if not_modified:
                conn.execute(
                    "UPDATE feeds SET last_checked=?, last_success=?, last_error=NULL, error_count=0, next_check=?,"
                    " etag=coalesce(?, etag), last_modified=coalesce(?, last_modified) WHERE id=?",
                    (stamp, stamp, next_check, etag, last_modified, feed_id),
                )
                return
            conn.execute(
                "UPDATE feeds SET last_checked=?, last_success=?, last_error=NULL, error_count=0, next_check=?,"
                " etag=?, last_modified=?, ttl_minutes=?, title=coalesce(nullif(?, ''), title),"
                " site_url=coalesce(?, site_url), kind=coalesce(?, kind) WHERE id=?",
                (stamp, stamp, next_check, etag, last_modified, ttl_minutes, title, site_url, kind, feed_id),
            )

    def record_failure(self, feed_id: int, error: str, *, next_check: str) -> int:
        """A refresh failed: keep the error for the sidebar; returns the failures in a row."""
        with self._transaction() as conn:
            conn.execute(
                "UPDATE feeds SET last_checked=?, last_error=?, error_count=error_count+1, next_check=? WHERE id=?",
                (now_iso(), error, next_check, feed_id),
            )
            row = conn.execute("SELECT error_count FROM feeds WHERE id=?", (feed_id,)).fetchone()
        return int(row[0]) if row else 0

    # ---- items ------------------------------------------------------------------
    def known(self, feed_id: int) -> KnownItems:
        rows = self.conn.execute("SELECT key, link FROM feed_items WHERE feed_id = ?", (feed_id,)).fetchall()
        return KnownItems(frozenset(r[0] for r in rows), frozenset(r[1] for r in rows if r[1]))

    def record_item(self, feed_id: int, *, key: str, guid: str | None, link: str | None, article_id: str,
                    text_from: str = "feed", fetch_error: str | None = None, give_up: bool = False) -> None:
        """Remember an item as stored (a second record of the same key is ignored);
        ``give_up``: its page failed for good and is not to be tried again."""
        with self._transaction() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO feed_items (feed_id, key, guid, link, article_id, first_seen, text_from,"
                " fetch_error, fetch_attempts) VALUES (?,?,?,?,?,?,?,?,?)",
                (feed_id, key, guid, link, article_id, now_iso(), text_from, fetch_error,
                 GAVE_UP if give_up else 1 if text_from == "page" or fetch_error else 0),
            )

    def retryable(self, feed_id: int, max_attempts: int) -> dict[str, RetryItem]:
        """Items of a feed whose page could not be fetched, tried fewer than
        ``max_attempts`` times, by key and by link (for the next refresh to try again)."""
        rows = self.conn.execute(
            "SELECT i.key, i.link, i.article_id, a.identity FROM feed_items i JOIN articles a ON a.id = i.article_id"
            " WHERE i.feed_id = ? AND i.fetch_error IS NOT NULL AND i.fetch_attempts < ?",
            (feed_id, max_attempts),
        ).fetchall()
        out: dict[str, RetryItem] = {}
        for r in rows:
            item = RetryItem(r["key"], r["article_id"], r["identity"])
            out[r["key"]] = item
            if r["link"]:
                out[f"link:{r['link']}"] = item
        return out

    def record_retry(self, feed_id: int, key: str, *, fetch_error: str | None, give_up: bool = False) -> None:
        """Another try at an item's page: ``fetch_error`` ``None`` when it worked."""
        with self._transaction() as conn:
            conn.execute(
                "UPDATE feed_items SET fetch_attempts = CASE WHEN ? THEN ? ELSE fetch_attempts + 1 END,"
                " fetch_error = ?, text_from = CASE WHEN ? IS NULL THEN 'page' ELSE text_from END"
                " WHERE feed_id = ? AND key = ?",
                (int(give_up), GAVE_UP, fetch_error, fetch_error, feed_id, key),
            )

    def item_state(self, article_id: str) -> tuple[str, str | None] | None:
        """(text_from, fetch_error) of a feed article: ``("summary", "<url>: HTTP 404 ...")``
        says the page could not be fetched and only the feed's summary is kept."""
        row = self.conn.execute(
            "SELECT text_from, fetch_error FROM feed_items WHERE article_id = ? ORDER BY first_seen LIMIT 1",
            (article_id,),
        ).fetchone()
        return (row[0], row[1]) if row else None

    def article_ids(self, feed_id: int | None = None, *, unread_only: bool = False,
                    since: str | None = None) -> list[str]:
        """Articles of one feed (or of all feeds), newest first; ``unread_only``
        for the "All unread" view, ``since`` (ISO time of first seen) for "Today"."""
        where = ["1=1"]
        params: list[object] = []
        if feed_id is not None:
            where.append("i.feed_id = ?")
            params.append(feed_id)
        if unread_only:
            where.append("a.is_read = 0")
        if since is not None:
            where.append("i.first_seen >= ?")
            params.append(since)
        rows = self.conn.execute(
            "SELECT a.id FROM feed_items i JOIN articles a ON a.id = i.article_id"
            f" WHERE {' AND '.join(where)} GROUP BY a.id"
            " ORDER BY a.sort_date IS NULL, a.sort_date DESC, a.title",
            params,
        )
        return [r[0] for r in rows]

    def mark_read(self, article_ids: Iterable[str], read: bool = True) -> int:
        """Mark articles read or unread; returns how many changed."""
        ids = list(article_ids)
        changed = 0
        with self._transaction() as conn:
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                marks = ",".join("?" * len(chunk))
                cur = conn.execute(f"UPDATE articles SET is_read = ? WHERE is_read != ? AND id IN ({marks})",
                                   (int(read), int(read), *chunk))
                changed += cur.rowcount
        return changed

    def mark_all_read(self, feed_id: int | None = None) -> int:
        """Mark every article of a feed (or of all feeds) read."""
        return self.mark_read(self.article_ids(feed_id, unread_only=True))

    def article_links(self) -> dict[str, tuple[str | None, str | None]]:
        """article id -> (its link, the title of the feed it came from) for every article."""
        feeds: dict[str, str] = {}
        has_feeds = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='feed_items'").fetchone() is not None
        for r in [] if not has_feeds else self.conn.execute(
            "SELECT i.article_id, coalesce(f.name, nullif(f.title, ''), f.url) FROM feed_items i"
            " JOIN feeds f ON f.id = i.feed_id ORDER BY i.first_seen DESC"
        ):
            feeds[r[0]] = r[1]
        return {r[0]: (r[1], feeds.get(r[0])) for r in self.conn.execute("SELECT id, url FROM articles")}
