"""The library: articles and the user's work on them, in SQLite.

One :class:`Library` wraps one connection.  Every change is its own committed
transaction, so a crash loses at most the change under way.  Connections are
cheap: each worker thread opens its own ``Library`` on the same file (WAL lets
readers run beside the one writer).
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path

from reader.core.anchoring import Selector, anchor, make_selector
from reader.core.article import Article
from reader.store.db import connect, write_error

COLOURS: dict[str, str] = {
    # name -> meaning shown to the user
    "yellow": "important",
    "green": "agree",
    "blue": "question",
    "pink": "disagree",
    "purple": "follow up",
}


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class ImportOutcome(str, Enum):  # noqa: UP042 - StrEnum would change str() of members
    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class ArticleRow:
    """What the article list shows for one article (no body text)."""

    id: str
    title: str
    source: str
    sort_date: str | None
    bookmarked: bool
    note_count: int
    is_read: bool


@dataclass(frozen=True)
class Annotation:
    """A highlight with an optional note over ``article.plain_text[start:end]``."""

    id: str
    article_id: str
    start: int
    end: int
    exact: str
    prefix: str = ""
    suffix: str = ""
    colour: str = "yellow"
    note: str = ""
    tags: tuple[str, ...] = ()
    created: str = ""
    updated: str = ""
    orphan: bool = False
    article_title: str = ""

    @property
    def selector(self) -> Selector:
        return Selector(self.start, self.end, self.exact, self.prefix, self.suffix)


@dataclass(frozen=True)
class EntitySpan:
    """A named entity mention over the article's plain text."""

    start: int
    end: int
    label: str
    text: str
    norm: str = ""


@dataclass(frozen=True)
class IndexDoc:
    """Everything the search index needs for one article (no Qt, no SQLite)."""

    id: str
    version: str  # content hash + user revision: changes when the doc must be reindexed
    title: str
    body: str
    source: str
    section: str
    authors: tuple[str, ...]
    published: datetime | None
    bookmarked: bool
    tags: tuple[str, ...]
    notes: tuple[str, ...]  # annotation notes and quotes
    entities: dict[str, tuple[str, ...]] = field(default_factory=dict)  # label -> texts


def _clean_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Tags stripped, without empties and duplicates, in the order given."""
    return tuple(dict.fromkeys(t.strip() for t in tags if t and t.strip()))


def _row_to_annotation(row: sqlite3.Row) -> Annotation:
    return Annotation(
        id=row["id"],
        article_id=row["article_id"],
        start=row["start"],
        end=row["end"],
        exact=row["exact"],
        prefix=row["prefix"],
        suffix=row["suffix"],
        colour=row["colour"],
        note=row["note"],
        tags=tuple(json.loads(row["tags"])),
        created=row["created"],
        updated=row["updated"],
        orphan=bool(row["orphan"]),
        article_title=row["article_title"],
    )


class Library:
    """The article library and the user's bookmarks, tags and annotations."""

    #: Every this many committed changes, the WAL is checkpointed and restarted (see :meth:`restart_wal`).
    RESTART_WAL_EVERY = 100
    #: How long such a restart waits for readers to leave the WAL (ms); it is skipped after that.
    RESTART_WAL_WAIT_MS = 250

    def __init__(self, conn: sqlite3.Connection, path: Path | None = None) -> None:
        self.conn = conn
        self.path = path
        self._commits = 0

    @classmethod
    def open(cls, path: Path | str, *, check: bool = True) -> Library:
        """Open (creating or migrating) the library; ``check=False`` skips the
        integrity check, for a caller that runs :func:`~reader.store.db.check_integrity`
        itself (a file needing migration is always checked first)."""
        return cls(connect(path, check=check), Path(path) if str(path) != ":memory:" else None)

    def reopen(self) -> Library:
        """A new connection on the same file (for another thread)."""
        if self.path is None:
            raise ValueError("an in-memory library cannot be reopened")
        return Library(connect(self.path, check=False), self.path)

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One committed transaction; rolled back on any error.

        A write the disk refuses (full, read-only, I/O error) is raised as
        :class:`~reader.store.db.StoreWriteError` naming the file; what was
        stored before is untouched.
        """
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
                self.conn.execute("COMMIT")
                self._commits += 1
                if self._commits % self.RESTART_WAL_EVERY == 0:
                    self.restart_wal()
            except BaseException:
                # SQLite may already have rolled back by itself (SQLITE_FULL,
                # SQLITE_IOERR); a second ROLLBACK would hide the real error
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
        except sqlite3.OperationalError as exc:
            translated = write_error(exc, self.path)
            if translated is None:
                raise
            raise translated from exc

    def restart_wal(self, wait_ms: int | None = None) -> bool:
        """Checkpoint the WAL into the database and start it over from the beginning.

        SQLite's automatic checkpoints copy pages back but only restart the WAL
        when no reader is using it; under overlapping readers (searches while a
        big import writes) that moment never comes and the WAL grows without
        bound (1.7 GB beside a 210 MB library, measured).  A RESTART checkpoint
        waits for the readers of the moment to finish - new ones read the
        database file - for at most ``wait_ms``; returns whether it restarted.
        """
        if self.path is None or self.conn.in_transaction:
            return False
        try:
            with self._busy_timeout(self.RESTART_WAL_WAIT_MS if wait_ms is None else wait_ms):
                busy = self.conn.execute("PRAGMA wal_checkpoint(RESTART)").fetchone()[0]
        except sqlite3.Error:
            return False  # (a cache-like optimisation: never fail a saved change over it)
        return busy == 0

    @contextmanager
    def _busy_timeout(self, ms: int) -> Iterator[None]:
        """This connection waits at most ``ms`` for a lock inside the block."""
        previous = self.conn.execute("PRAGMA busy_timeout").fetchone()[0]
        self.conn.execute(f"PRAGMA busy_timeout = {int(ms)}")
        try:
            yield
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {int(previous)}")

    def try_write(self, write: Callable[[], object], wait_ms: int = 20) -> bool:
        """Run a small ``write`` (e.g. ``lambda: lib.set_read(aid)``) if the
        database's write lock can be had within ``wait_ms``; ``False`` (nothing
        written) when another connection holds it longer.

        For the GUI thread: a plain write waits up to the connection's busy
        timeout (15 s) behind another connection's write transaction or a WAL
        checkpoint, and the window would freeze as long.  The caller keeps the
        write and tries again later (see ``reader.ui.writes``)."""
        try:
            with self._busy_timeout(wait_ms):
                write()
        except sqlite3.OperationalError as exc:
            name = getattr(exc, "sqlite_errorname", "") or ""
            if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in str(exc):
                return False
            raise
        return True

    # ---- articles -----------------------------------------------------
    def find_existing(self, article: Article) -> tuple[str, str] | None:
        """(id, content_hash) of the stored article this one is, by identity or content."""
        row = self.conn.execute(
            "SELECT id, content_hash FROM articles WHERE identity = ?", (article.identity,)
        ).fetchone()
        if row is None:
            row = self.conn.execute(
                "SELECT id, content_hash FROM articles WHERE content_hash = ?", (article.content_hash,)
            ).fetchone()
        return (row["id"], row["content_hash"]) if row else None

    def upsert(self, article: Article) -> tuple[ImportOutcome, str]:
        """Store ``article``: add it, update it in place (re-anchoring its
        annotations) or do nothing when the same content is already stored.
        Returns the outcome and the stored id."""
        with self.transaction() as conn:
            existing = self.find_existing(article)
            if existing and existing[1] == article.content_hash:
                return ImportOutcome.UNCHANGED, existing[0]
            sort_date = article.published.isoformat() if article.published else None
            values = (
                article.title,
                article.source,
                article.url,
                article.published.isoformat() if article.published else None,
                article.updated.isoformat() if article.updated else None,
                sort_date,
                " · ".join(x for x in (article.section, article.kicker) if x),
                article.format,
                article.source_path,
                json.dumps(article.to_json(), ensure_ascii=False),
                article.plain_text,
                article.content_hash,
            )
            if existing is None:
                conn.execute(
                    "INSERT INTO articles (title, source, url, published, updated, sort_date, section, format,"
                    " source_path, data, plain_text, content_hash, id, identity, imported_at)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (*values, article.id, article.identity, now_iso()),
                )
                for tag in article.tags:
                    self._add_tag(article.id, tag)
                # notes kept as orphans when this article was deleted find their places again
                self._reanchor(article.id, article.plain_text, article.title)
                return ImportOutcome.ADDED, article.id
            stored_id = existing[0]
            conn.execute(
                "UPDATE articles SET title=?, source=?, url=?, published=?, updated=?, sort_date=?, section=?,"
                " format=?, source_path=?, data=?, plain_text=?, content_hash=?, user_rev=user_rev+1"
                " WHERE id=?",
                (*values, stored_id),
            )
            conn.execute("DELETE FROM entities WHERE article_id=?", (stored_id,))
            conn.execute("DELETE FROM entity_runs WHERE article_id=?", (stored_id,))
            self._reanchor(stored_id, article.plain_text, article.title)
            return ImportOutcome.UPDATED, stored_id

    def _reanchor(self, article_id: str, text: str, title: str) -> None:
        """Place every annotation of an article on its new text; those that
        cannot be placed become orphans (their last selector is kept)."""
        rows = self.conn.execute("SELECT * FROM annotations WHERE article_id=?", (article_id,)).fetchall()
        for row in rows:
            ann = _row_to_annotation(row)
            span = anchor(text, ann.selector)
            if span is None:
                self.conn.execute("UPDATE annotations SET orphan=1, article_title=? WHERE id=?", (title, ann.id))
                continue
            sel = make_selector(text, *span)
            self.conn.execute(
                "UPDATE annotations SET start=?, end=?, exact=?, prefix=?, suffix=?, orphan=0,"
                " article_title=? WHERE id=?",
                (sel.start, sel.end, sel.exact, sel.prefix, sel.suffix, title, ann.id),
            )

    def article(self, article_id: str) -> Article | None:
        row = self.conn.execute("SELECT data FROM articles WHERE id=?", (article_id,)).fetchone()
        if row is None:
            return None
        article = Article.from_json(json.loads(row["data"]))
        return article.with_changes(tags=tuple(self.tags_of(article_id)))

    def plain_text(self, article_id: str) -> str | None:
        row = self.conn.execute("SELECT plain_text FROM articles WHERE id=?", (article_id,)).fetchone()
        return row["plain_text"] if row else None

    def resolve_id(self, prefix: str) -> str | None:
        """The full id for an id or a unique id prefix (as the CLI accepts)."""
        rows = self.conn.execute(
            "SELECT id FROM articles WHERE id = ? OR id LIKE ? LIMIT 2", (prefix, prefix.replace("%", "") + "%")
        ).fetchall()
        exact = [r["id"] for r in rows if r["id"] == prefix]
        if exact:
            return exact[0]
        return rows[0]["id"] if len(rows) == 1 else None

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM articles").fetchone()[0])

    def ids(self, order: str = "date") -> list[str]:
        """All article ids, newest first (``date``), or by ``title``/``source``."""
        order_sql = {
            "date": "sort_date IS NULL, sort_date DESC, title",
            "title": "title COLLATE NOCASE",
            "source": "source, sort_date DESC",
        }[order]
        return [r[0] for r in self.conn.execute(f"SELECT id FROM articles ORDER BY {order_sql}")]

    def rows(self, ids: Sequence[str]) -> dict[str, ArticleRow]:
        """List rows for the given ids (the list model fetches them lazily)."""
        out: dict[str, ArticleRow] = {}
        for chunk_start in range(0, len(ids), 500):
            chunk = list(ids[chunk_start : chunk_start + 500])
            marks = ",".join("?" * len(chunk))
            query = (
                "SELECT a.id, a.title, a.source, a.sort_date, a.is_read,"
                " (b.article_id IS NOT NULL) AS bookmarked,"
                " (SELECT count(*) FROM annotations n WHERE n.article_id = a.id AND n.orphan = 0) AS notes"
                f" FROM articles a INDEXED BY articles_list_row LEFT JOIN bookmarks b ON b.article_id = a.id"
                f" WHERE a.id IN ({marks})"
            )
            for r in self.conn.execute(query, chunk):
                out[r["id"]] = ArticleRow(
                    r["id"], r["title"], r["source"], r["sort_date"], bool(r["bookmarked"]), r["notes"], bool(r["is_read"])
                )
        return out

    def all_rows(self, order: str = "date") -> list[ArticleRow]:
        ids = self.ids(order)
        rows = self.rows(ids)
        return [rows[i] for i in ids]

    def delete(self, article_id: str) -> None:
        """Delete an article.  Its annotations are kept as orphans (with the title)."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE annotations SET orphan=1,"
                " article_title=coalesce((SELECT title FROM articles WHERE id=?), article_title)"
                " WHERE article_id=?",
                (article_id, article_id),
            )
            conn.execute("DELETE FROM articles WHERE id=?", (article_id,))

    def set_read(self, article_id: str, read: bool = True) -> None:
        self.conn.execute("UPDATE articles SET is_read=? WHERE id=?", (int(read), article_id))

    def set_read_position(self, article_id: str, pos: int) -> None:
        self.conn.execute("UPDATE articles SET read_pos=? WHERE id=?", (pos, article_id))

    def read_position(self, article_id: str) -> int:
        row = self.conn.execute("SELECT read_pos FROM articles WHERE id=?", (article_id,)).fetchone()
        return int(row[0]) if row else 0

    def _touch(self, article_id: str) -> None:
        self.conn.execute("UPDATE articles SET user_rev = user_rev + 1 WHERE id=?", (article_id,))

    # ---- bookmarks ----------------------------------------------------
    def set_bookmark(self, article_id: str, on: bool = True, folder: str = "") -> bool:
        """Bookmark or unbookmark; returns whether the article exists."""
        with self.transaction() as conn:
            if conn.execute("SELECT 1 FROM articles WHERE id=?", (article_id,)).fetchone() is None:
                return False
            if on:
                conn.execute(
                    "INSERT INTO bookmarks (article_id, created, folder) VALUES (?,?,?)"
                    " ON CONFLICT(article_id) DO UPDATE SET folder=excluded.folder",
                    (article_id, now_iso(), folder),
                )
            else:
                conn.execute("DELETE FROM bookmarks WHERE article_id=?", (article_id,))
            self._touch(article_id)
            return True

    def is_bookmarked(self, article_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM bookmarks WHERE article_id=?", (article_id,)).fetchone() is not None

    def bookmarked_ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT article_id FROM bookmarks ORDER BY created DESC")]

    # ---- tags ---------------------------------------------------------
    def _add_tag(self, article_id: str, name: str) -> None:
        name = name.strip()
        if not name:
            return
        self.conn.execute("INSERT OR IGNORE INTO tags (name) VALUES (?)", (name,))
        tag_id = self.conn.execute("SELECT id FROM tags WHERE name=?", (name,)).fetchone()[0]
        self.conn.execute("INSERT OR IGNORE INTO article_tags VALUES (?,?)", (article_id, tag_id))

    def add_tag(self, article_id: str, name: str) -> None:
        with self.transaction():
            self._add_tag(article_id, name)
            self._touch(article_id)

    def remove_tag(self, article_id: str, name: str) -> None:
        with self.transaction() as conn:
            conn.execute(
                "DELETE FROM article_tags WHERE article_id=? AND tag_id=(SELECT id FROM tags WHERE name=?)",
                (article_id, name),
            )
            self._touch(article_id)

    def tags_of(self, article_id: str) -> list[str]:
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT t.name FROM tags t JOIN article_tags a ON a.tag_id=t.id WHERE a.article_id=? ORDER BY t.name",
                (article_id,),
            )
        ]

    def all_tags(self) -> list[tuple[str, str]]:
        """(name, colour) of every tag."""
        return [(r[0], r[1]) for r in self.conn.execute("SELECT name, colour FROM tags ORDER BY name")]

    def ids_with_tag(self, name: str) -> list[str]:
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT article_id FROM article_tags WHERE tag_id=(SELECT id FROM tags WHERE name=?)", (name,)
            )
        ]

    # ---- annotations --------------------------------------------------
    def annotate(
        self,
        article_id: str,
        start: int,
        end: int,
        *,
        note: str = "",
        colour: str = "yellow",
        tags: Iterable[str] = (),
        annotation_id: str | None = None,
    ) -> Annotation:
        """Highlight ``plain_text[start:end]`` of an article (with an optional note)."""
        if colour not in COLOURS:
            raise ValueError(f"unknown colour {colour!r}; choose one of {', '.join(COLOURS)}")
        with self.transaction() as conn:
            row = conn.execute("SELECT plain_text, title FROM articles WHERE id=?", (article_id,)).fetchone()
            if row is None:
                raise KeyError(f"no article with id {article_id}")
            sel = make_selector(row["plain_text"], start, end)
            stamp = now_iso()
            ann = Annotation(
                id=annotation_id or uuid.uuid4().hex,
                article_id=article_id,
                start=sel.start,
                end=sel.end,
                exact=sel.exact,
                prefix=sel.prefix,
                suffix=sel.suffix,
                colour=colour,
                note=note,
                tags=_clean_tags(tags),
                created=stamp,
                updated=stamp,
                article_title=row["title"],
            )
            self._insert_annotation(ann)
            self._touch(article_id)
            return ann

    def _insert_annotation(self, ann: Annotation) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO annotations (id, article_id, article_title, start, end, exact, prefix, suffix,"
            " colour, note, tags, created, updated, orphan) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                ann.id,
                ann.article_id,
                ann.article_title,
                ann.start,
                ann.end,
                ann.exact,
                ann.prefix,
                ann.suffix,
                ann.colour,
                ann.note,
                json.dumps(list(ann.tags), ensure_ascii=False),
                ann.created,
                ann.updated,
                int(ann.orphan),
            ),
        )

    def restore_annotation(self, ann: Annotation) -> None:
        """Put back an annotation as it was (undo of a delete, JSON import),
        placed on the article's current text (an orphan if it cannot be)."""
        self.restore_annotations([ann])

    def restore_annotations(self, anns: Iterable[Annotation]) -> list[Annotation]:
        """Put back (insert or replace by id) many annotations in one transaction,
        each re-anchored on its article's current text; returns them as stored."""
        stored: list[Annotation] = []
        with self.transaction():
            for ann in anns:
                placed = self._place(ann)
                self._insert_annotation(placed)
                self._touch(placed.article_id)
                stored.append(placed)
        return stored

    def _place(self, ann: Annotation) -> Annotation:
        row = self.conn.execute("SELECT plain_text, title FROM articles WHERE id=?", (ann.article_id,)).fetchone()
        if row is None:
            return replace(ann, orphan=True)
        span = anchor(row["plain_text"], ann.selector)
        if span is None:
            return replace(ann, orphan=True, article_title=row["title"])
        sel = make_selector(row["plain_text"], *span)
        return replace(
            ann,
            start=sel.start,
            end=sel.end,
            exact=sel.exact,
            prefix=sel.prefix,
            suffix=sel.suffix,
            orphan=False,
            article_title=row["title"],
        )

    def annotate_quote(self, article_id: str, quote: str, **kwargs: object) -> Annotation:
        """Highlight the first occurrence of ``quote`` in the article's plain text."""
        text = self.plain_text(article_id)
        if text is None:
            raise KeyError(f"no article with id {article_id}")
        start = text.find(quote)
        if start < 0 or not quote:
            raise ValueError(f"the quote {quote[:60]!r} does not occur in article {article_id}")
        return self.annotate(article_id, start, start + len(quote), **kwargs)  # type: ignore[arg-type]

    def update_annotation(
        self, annotation_id: str, *, note: str | None = None, colour: str | None = None, tags: Iterable[str] | None = None
    ) -> Annotation:
        """Change the note, colour and/or tags of an annotation (``None`` keeps one)."""
        if colour is not None and colour not in COLOURS:
            raise ValueError(f"unknown colour {colour!r}; choose one of {', '.join(COLOURS)}")
        with self.transaction() as conn:
            ann = self.annotation(annotation_id)  # read inside the transaction: no lost update
            if ann is None:
                raise KeyError(f"no annotation with id {annotation_id}")
            conn.execute(
                "UPDATE annotations SET note=?, colour=?, tags=?, updated=? WHERE id=?",
                (
                    ann.note if note is None else note,
                    ann.colour if colour is None else colour,
                    json.dumps(list(ann.tags if tags is None else _clean_tags(tags)), ensure_ascii=False),
                    now_iso(),
                    annotation_id,
                ),
            )
            self._touch(ann.article_id)
        result = self.annotation(annotation_id)
        assert result is not None
        return result

    def delete_annotation(self, annotation_id: str) -> Annotation | None:
        """Delete; returns what was deleted (so the caller can offer undo)."""
        with self.transaction() as conn:
            ann = self.annotation(annotation_id)
            if ann is None:
                return None
            conn.execute("DELETE FROM annotations WHERE id=?", (annotation_id,))
            self._touch(ann.article_id)
        return ann

    def annotation(self, annotation_id: str) -> Annotation | None:
        row = self.conn.execute("SELECT * FROM annotations WHERE id=?", (annotation_id,)).fetchone()
        return _row_to_annotation(row) if row else None

    def annotations(self, article_id: str | None = None) -> list[Annotation]:
        """Annotations of one article (by position) or of the whole library."""
        if article_id is None:
            rows = self.conn.execute(
                "SELECT * FROM annotations ORDER BY article_title, article_id, orphan, start, end, id"
            ).fetchall()
        else:
            rows = self.conn.execute(
                "SELECT * FROM annotations WHERE article_id=? ORDER BY orphan, start, end, id", (article_id,)
            ).fetchall()
        return [_row_to_annotation(r) for r in rows]

    # ---- entities -----------------------------------------------------
    def set_entities(self, article_id: str, spans: Iterable[EntitySpan], backend: str, text_hash: str) -> None:
        with self.transaction() as conn:
            if conn.execute("SELECT 1 FROM articles WHERE id=?", (article_id,)).fetchone() is None:
                return
            conn.execute("DELETE FROM entities WHERE article_id=?", (article_id,))
            conn.executemany(
                "INSERT OR IGNORE INTO entities VALUES (?,?,?,?,?,?)",
                [(article_id, s.start, s.end, s.label, s.text, s.norm or s.text) for s in spans],
            )
            conn.execute(
                "INSERT OR REPLACE INTO entity_runs VALUES (?,?,?,?)", (article_id, backend, text_hash, now_iso())
            )
            conn.execute("UPDATE articles SET user_rev = user_rev + 1 WHERE id=?", (article_id,))

    def entities(self, article_id: str) -> list[EntitySpan]:
        return [
            EntitySpan(r["start"], r["end"], r["label"], r["text"], r["norm"])
            for r in self.conn.execute(
                "SELECT * FROM entities WHERE article_id=? ORDER BY start, end", (article_id,)
            )
        ]

    def entity_backend(self, article_id: str) -> tuple[str, str] | None:
        """(backend, text_hash) the stored entities were computed with."""
        row = self.conn.execute("SELECT backend, text_hash FROM entity_runs WHERE article_id=?", (article_id,)).fetchone()
        return (row[0], row[1]) if row else None

    def ids_needing_entities(self, backend: str) -> list[str]:
        """Articles with no entities from ``backend`` (name+version) yet."""
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT a.id FROM articles a LEFT JOIN entity_runs r ON r.article_id = a.id"
                " WHERE r.backend IS NULL OR r.backend != ?",
                (backend,),
            )
        ]

    def top_entities(self, labels: Sequence[str], limit: int = 50) -> list[tuple[str, str, int]]:
        """(label, norm, number of articles) of the most mentioned entities."""
        marks = ",".join("?" * len(labels))
        return [
            (r[0], r[1], r[2])
            for r in self.conn.execute(
                f"SELECT label, norm, count(DISTINCT article_id) AS n FROM entities WHERE label IN ({marks})"
                " GROUP BY label, norm ORDER BY n DESC, norm LIMIT ?",
                (*labels, limit),
            )
        ]

    def ids_with_entity(self, label: str, norm: str) -> list[str]:
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT DISTINCT article_id FROM entities WHERE label=? AND norm=?", (label, norm)
            )
        ]

    # ---- search index feed -------------------------------------------
    def index_versions(self) -> dict[str, str]:
        """id -> version token for every article (what the index compares against)."""
        # one covering index scan (schema 4), the token built by SQLite
        return dict(self.conn.execute("SELECT id, content_hash || ':' || user_rev FROM articles"))

    def index_docs(self, ids: Iterable[str] | None = None) -> Iterator[IndexDoc]:
        """IndexDocs for the given ids (all articles when ``None``).

        Every read of a chunk is finished before its documents are yielded: a
        cursor left open across a ``yield`` is a read transaction lasting as long
        as the consumer (Whoosh) takes over 200 documents, and readers that never
        leave keep the WAL from being restarted while others write (see
        :meth:`restart_wal`)."""
        if ids is None:
            id_list = [r[0] for r in self.conn.execute("SELECT id FROM articles")]
        else:
            id_list = list(ids)
        for chunk_start in range(0, len(id_list), 200):
            chunk = id_list[chunk_start : chunk_start + 200]
            marks = ",".join("?" * len(chunk))
            bookmarked = {
                r[0] for r in self.conn.execute(f"SELECT article_id FROM bookmarks WHERE article_id IN ({marks})", chunk)
            }
            tags: dict[str, list[str]] = {}
            for r in self.conn.execute(
                f"SELECT a.article_id, t.name FROM article_tags a JOIN tags t ON t.id=a.tag_id"
                f" WHERE a.article_id IN ({marks})",
                chunk,
            ):
                tags.setdefault(r[0], []).append(r[1])
            notes: dict[str, list[str]] = {}
            for r in self.conn.execute(
                f"SELECT article_id, exact, note FROM annotations WHERE orphan=0 AND article_id IN ({marks})", chunk
            ):
                notes.setdefault(r[0], []).extend(x for x in (r[1], r[2]) if x)
            ents: dict[str, dict[str, list[str]]] = {}
            for r in self.conn.execute(
                f"SELECT article_id, label, norm FROM entities WHERE article_id IN ({marks})", chunk
            ):
                ents.setdefault(r[0], {}).setdefault(r[1], []).append(r[2])
            rows = self.conn.execute(
                f"SELECT id, content_hash, user_rev, data FROM articles WHERE id IN ({marks})", chunk
            ).fetchall()
            for r in rows:
                art = Article.from_json(json.loads(r["data"]))
                yield IndexDoc(
                    id=r["id"],
                    version=f"{r['content_hash']}:{r['user_rev']}",
                    title=art.title,
                    body=art.body_text,
                    source=art.source,
                    section=" ".join(x for x in (art.section, art.kicker) if x),
                    authors=art.authors,
                    published=art.published,
                    bookmarked=r["id"] in bookmarked,
                    tags=tuple(tags.get(r["id"], ())),
                    notes=tuple(notes.get(r["id"], ())),
                    entities={k: tuple(dict.fromkeys(v)) for k, v in ents.get(r["id"], {}).items()},
                )

    # ---- meta ---------------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta VALUES (?,?)", (key, value))
