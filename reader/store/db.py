"""SQLite connection, schema migrations and integrity checks.

User data is precious: the database is checked on open (``quick_check``), a
corrupt file is reported and left alone (never overwritten), and a copy is
written next to the file before any migration.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
import time
from pathlib import Path

log = logging.getLogger(__name__)

SCHEMA_VERSION = 4


class StoreError(Exception):
    """A database problem the user must hear about (corrupt file, newer schema...).

    ``damaged`` is true when the file itself is unusable (corrupt, not a
    database, another program's SQLite file): moving it aside and starting a
    new library is then a sensible offer.  It is false when the file is fine
    but cannot be used now (permissions, a newer schema, a failed backup).
    """

    def __init__(self, message: str, *, damaged: bool = False) -> None:
        super().__init__(message)
        self.damaged = damaged


class StoreWriteError(StoreError, sqlite3.OperationalError):
    """A change could not be saved (disk full, read-only file, I/O error).

    The transaction was rolled back, so what was stored before is intact.  It
    is also an ``sqlite3.OperationalError`` so callers that catch
    ``sqlite3.Error`` (the importer) keep working.
    """


_WRITE_FAILURES = {
    "SQLITE_FULL": "the disk is full",
    "SQLITE_READONLY": "the file is read-only",
    "SQLITE_IOERR": "the disk reported an error",
    "SQLITE_CANTOPEN": "the file cannot be opened",
}


def write_error(exc: sqlite3.Error, path: Path | str | None) -> StoreError | None:
    """A :class:`StoreWriteError` for a failed write (disk full...), or ``None``
    when ``exc`` is not one of those (a bug or a constraint: let it propagate)."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    reason = next((text for code, text in _WRITE_FAILURES.items() if name.startswith(code)), None)
    if reason is None and "disk is full" in str(exc):
        reason = _WRITE_FAILURES["SQLITE_FULL"]
    if reason is None:
        return None
    where = path if path is not None else "the library database"
    return StoreWriteError(f"{where}: the change could not be saved because {reason} ({exc}); nothing was changed")


_MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE articles (
        id            TEXT PRIMARY KEY,
        identity      TEXT NOT NULL UNIQUE,
        content_hash  TEXT NOT NULL,
        title         TEXT NOT NULL,
        source        TEXT NOT NULL DEFAULT '',
        url           TEXT,
        published     TEXT,
        updated       TEXT,
        sort_date     TEXT,
        section       TEXT,
        format        TEXT NOT NULL,
        source_path   TEXT,
        data          TEXT NOT NULL,      -- Article.to_json()
        plain_text    TEXT NOT NULL,
        imported_at   TEXT NOT NULL,
        is_read       INTEGER NOT NULL DEFAULT 0,
        user_rev      INTEGER NOT NULL DEFAULT 0,  -- bumped on bookmark/tag/note change
        read_pos      INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX articles_content_hash ON articles(content_hash);
    CREATE INDEX articles_sort_date ON articles(sort_date);

    CREATE TABLE bookmarks (
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        created    TEXT NOT NULL,
        folder     TEXT NOT NULL DEFAULT ''
    );

    CREATE TABLE tags (
        id     INTEGER PRIMARY KEY,
        name   TEXT NOT NULL UNIQUE COLLATE NOCASE,
        colour TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE article_tags (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        tag_id     INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
        PRIMARY KEY (article_id, tag_id)
    );

    -- article_id is kept (not cascaded) so notes of a deleted article survive as orphans
    CREATE TABLE annotations (
        id          TEXT PRIMARY KEY,
        article_id  TEXT NOT NULL,
        article_title TEXT NOT NULL DEFAULT '',
        start       INTEGER NOT NULL,
        end         INTEGER NOT NULL,
        exact       TEXT NOT NULL,
        prefix      TEXT NOT NULL DEFAULT '',
        suffix      TEXT NOT NULL DEFAULT '',
        colour      TEXT NOT NULL DEFAULT 'yellow',
        note        TEXT NOT NULL DEFAULT '',
        tags        TEXT NOT NULL DEFAULT '[]',
        created     TEXT NOT NULL,
        updated     TEXT NOT NULL,
        orphan      INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX annotations_article ON annotations(article_id);

    CREATE TABLE entities (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        start      INTEGER NOT NULL,
        end        INTEGER NOT NULL,
        label      TEXT NOT NULL,
        text       TEXT NOT NULL,
        norm       TEXT NOT NULL,
        PRIMARY KEY (article_id, start, end, label)
    ) WITHOUT ROWID;
    CREATE INDEX entities_norm ON entities(label, norm);

    CREATE TABLE entity_runs (
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        backend    TEXT NOT NULL,
        text_hash  TEXT NOT NULL,
        computed_at TEXT NOT NULL
    );

    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 2: feeds (reader/store/feeds.py).  An article's link is articles.url and its
    # read state articles.is_read (both in schema 1); its feed is feed_items.
    2: """
    CREATE TABLE feeds (
        id            INTEGER PRIMARY KEY,
        url           TEXT NOT NULL UNIQUE,   -- the feed document's address
        site_url      TEXT,
        title         TEXT NOT NULL DEFAULT '',
        name          TEXT,                   -- the user's name for it (shown instead of title)
        kind          TEXT NOT NULL DEFAULT '',
        folder        TEXT NOT NULL DEFAULT '',   -- from OPML; kept for export
        full_text     INTEGER NOT NULL DEFAULT 1,  -- fetch the page of summary-only items
        etag          TEXT,
        last_modified TEXT,
        ttl_minutes   INTEGER,
        added         TEXT NOT NULL,
        last_checked  TEXT,
        last_success  TEXT,
        last_error    TEXT,
        error_count   INTEGER NOT NULL DEFAULT 0,
        next_check    TEXT
    );
    -- one row per feed item seen: key is the item's GUID (or its link when the
    -- GUID is missing or not unique); link finds an item whose GUID changed
    CREATE TABLE feed_items (
        feed_id     INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        key         TEXT NOT NULL,
        guid        TEXT,
        link        TEXT,
        article_id  TEXT NOT NULL,
        first_seen  TEXT NOT NULL,
        text_from   TEXT NOT NULL DEFAULT 'feed',  -- feed | page | summary
        fetch_error TEXT,                          -- why the page could not be fetched
        fetch_attempts INTEGER NOT NULL DEFAULT 0,  -- page fetches tried (retried while in the feed)
        PRIMARY KEY (feed_id, key)
    );
    CREATE INDEX feed_items_link ON feed_items(feed_id, link);
    CREATE INDEX feed_items_article ON feed_items(article_id);
    """,
    # 3: entity corrections and canonical entities (reader/store/entity_*.py)
    3: """
    -- what the recogniser found (``entities`` is this with the user's corrections applied)
    CREATE TABLE entity_recognised (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        start      INTEGER NOT NULL,
        end        INTEGER NOT NULL,
        label      TEXT NOT NULL,
        text       TEXT NOT NULL,
        norm       TEXT NOT NULL,
        PRIMARY KEY (article_id, start, end, label)
    ) WITHOUT ROWID;
    INSERT INTO entity_recognised SELECT article_id, start, end, label, text, norm FROM entities;

    -- the user's corrections: rules applied to every article, now and on later imports;
    -- article_id is kept (no cascade) so a correction applies again when the article comes back
    CREATE TABLE entity_corrections (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        kind        TEXT NOT NULL,             -- retype hide add merge split rename
        name        TEXT NOT NULL DEFAULT '',  -- the name (or alias) it is about
        label       TEXT NOT NULL DEFAULT '',  -- that name's type ('' = any)
        names       TEXT NOT NULL DEFAULT '[]',-- JSON: every name of the entity when made
        article_id  TEXT,                      -- NULL = everywhere
        start       INTEGER,
        end         INTEGER,
        exact       TEXT NOT NULL DEFAULT '',  -- the text at start:end when made
        value       TEXT NOT NULL DEFAULT '',  -- new type / new name / the entity merged into
        value_label TEXT NOT NULL DEFAULT '',  -- the type of the entity merged into
        created     TEXT NOT NULL
    );
    CREATE INDEX entity_corrections_article ON entity_corrections(article_id);

    -- canonical entities across the library (a cache: recomputed after the entities pass)
    CREATE TABLE canon_entities (
        id        TEXT PRIMARY KEY,
        name      TEXT NOT NULL,
        label     TEXT NOT NULL,
        articles  INTEGER NOT NULL,
        mentions  INTEGER NOT NULL,
        ambiguous INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX canon_entities_label ON canon_entities(label, articles);
    CREATE TABLE canon_aliases (
        entity_id TEXT NOT NULL,
        alias     TEXT NOT NULL,
        folded    TEXT NOT NULL,
        PRIMARY KEY (entity_id, alias)
    ) WITHOUT ROWID;
    CREATE INDEX canon_aliases_folded ON canon_aliases(folded);
    CREATE TABLE canon_links (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        label      TEXT NOT NULL,
        norm       TEXT NOT NULL,
        entity_id  TEXT NOT NULL,
        mentions   INTEGER NOT NULL,
        PRIMARY KEY (article_id, label, norm)
    ) WITHOUT ROWID;
    CREATE INDEX canon_links_entity ON canon_links(entity_id, article_id);
    """,
    # 4: the library list at 100k articles.  Each ORDER BY of Library.ids() and
    # the unread filter read one covering index instead of scanning the table
    # (whose rows carry the article JSON and plain text: 240 ms -> 23 ms at
    # 22k articles); Library.rows() reads its columns from a covering index,
    # and so does Library.index_versions() (every startup refresh).
    4: """
    CREATE INDEX IF NOT EXISTS articles_list_date ON articles((sort_date IS NULL), sort_date DESC, title, id);
    CREATE INDEX IF NOT EXISTS articles_list_title ON articles(title COLLATE NOCASE, id);
    CREATE INDEX IF NOT EXISTS articles_list_source ON articles(source, sort_date DESC, id);
    CREATE INDEX IF NOT EXISTS articles_list_unread
        ON articles(is_read, (sort_date IS NULL), sort_date DESC, title, id);
    CREATE INDEX IF NOT EXISTS articles_list_row ON articles(id, is_read, sort_date, source, title);
    CREATE INDEX IF NOT EXISTS annotations_article_live ON annotations(article_id, orphan);
    CREATE INDEX IF NOT EXISTS article_tags_tag ON article_tags(tag_id, article_id);
    CREATE INDEX IF NOT EXISTS articles_versions ON articles(id, content_hash, user_rev);
    """,
}


def _backup(path: Path, old_version: int) -> Path:
    """Copy the database (a consistent snapshot, WAL included) next to itself;
    never overwrites an earlier backup."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.v{old_version}-{stamp}.bak")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.v{old_version}-{stamp}-{n}.bak")
    src = sqlite3.connect(path)
    try:
        dst = sqlite3.connect(target)
        try:
            with dst:
                src.backup(dst)
        finally:
            dst.close()
    except sqlite3.Error as exc:
        target.unlink(missing_ok=True)  # no half-written backup that looks complete
        raise StoreError(
            f"{path}: could not write a backup before upgrading the library ({exc}); nothing was changed"
        ) from exc
    finally:
        src.close()
    log.info("backed up %s to %s before migrating", path, target)
    return target


def connect(path: Path | str, *, check: bool = True) -> sqlite3.Connection:
    """Open (creating or migrating) the library database at ``path``.

    Raises :class:`StoreError` with a message naming the file when it is not a
    usable database; the file is then left untouched.
    """
    path = Path(path)
    memory = str(path) == ":memory:"
    existed = not memory and path.exists() and path.stat().st_size > 0
    try:
        conn = sqlite3.connect(str(path), timeout=15.0, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot open the library database ({exc})") from exc
    conn.row_factory = sqlite3.Row
    try:
        conn.execute("PRAGMA busy_timeout = 15000")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if existed and (check or 0 < version < SCHEMA_VERSION):  # never migrate an unchecked file
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
            if result != "ok":
                raise StoreError(f"{path}: the library database is damaged ({result}); it was left untouched",
                                 damaged=True)
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{path}: the library was written by a newer Reader (schema {version}, this one knows {SCHEMA_VERSION})"
            )
        if existed and version == 0:
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if tables:
                # an SQLite file of some other program: never write into it
                raise StoreError(f"{path}: this SQLite file is not a Reader library; it was left untouched",
                                 damaged=True)
        backup = None
        if existed and 0 < version < SCHEMA_VERSION:
            backup = _backup(path, version)  # before anything at all is written
        if not memory:
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        if version < SCHEMA_VERSION:
            _migrate(conn, version, path, backup)
    except sqlite3.DatabaseError as exc:
        conn.close()
        # "file is not a database" / "malformed" are the file's fault; locked,
        # read-only or I/O errors (OperationalError) are not
        damaged = not isinstance(exc, sqlite3.OperationalError) or "malformed" in str(exc)
        raise StoreError(f"{path}: not a usable library database ({exc}); it was left untouched",
                         damaged=damaged) from exc
    except StoreError:
        conn.close()
        raise
    return conn


def _migrate(conn: sqlite3.Connection, version: int, path: Path, backup: Path | None) -> None:
    """Run the migrations after ``version``, each in its own transaction
    (a failed step leaves the database at the last completed schema)."""
    for target in range(version + 1, SCHEMA_VERSION + 1):
        script = _MIGRATIONS[target]
        try:
            # one script, one transaction: executescript handles triggers and
            # semicolons inside strings, which a split on ";" would not
            conn.executescript(f"BEGIN IMMEDIATE;\n{script}\n;PRAGMA user_version = {target};\nCOMMIT;")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            kept = f"; a copy from before is at {backup}" if backup else ""
            raise StoreError(
                f"{path}: upgrading the library to schema {target} failed ({exc}); "
                f"it was left at schema {target - 1}{kept}"
            ) from exc
        log.info("library database migrated to schema %d", target)


def check_integrity(path: Path | str) -> str | None:
    """``PRAGMA quick_check`` of an existing library on its own read-only
    connection: ``None`` when it is fine (or absent), else what is wrong.
    The GUI runs it beside building the window (SQLite releases the GIL while
    it reads), so a large library's check does not delay the window."""
    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=15.0)
    except sqlite3.Error as exc:
        return f"cannot open it ({exc})"
    try:
        result = conn.execute("PRAGMA quick_check").fetchone()[0]
        return None if result == "ok" else str(result)
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        conn.close()


def move_aside(path: Path) -> Path:
    """Rename a damaged database (and its WAL/journal files) so a fresh one can be made.
    Returns the new name of the old file; nothing is deleted or overwritten."""
    path = Path(path)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    shutil.move(str(path), str(target))
    for suffix in ("-wal", "-shm", "-journal"):
        side = Path(str(path) + suffix)
        if side.exists():
            shutil.move(str(side), str(target) + suffix)
    return target
