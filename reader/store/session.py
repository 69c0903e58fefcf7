"""One SQLite connection and its transactions, shared by the repositories.

:class:`Session` owns the connection: transactions (nested ones become
savepoints), the WAL restart every so many commits, and the short-wait write
the GUI thread uses.  :class:`Repository` is the base of the focused parts of
the library (articles, reading state, tags and bookmarks, notes, entities,
index bookkeeping), which all work on their library's one connection.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from reader.store.db import write_error

if TYPE_CHECKING:
    from reader.store.library import Library


class Session:
    """One connection to the library database and its transactions."""

    #: Every this many committed changes, the WAL is checkpointed and restarted (see :meth:`restart_wal`).
    RESTART_WAL_EVERY = 100
    #: How long such a restart waits for readers to leave the WAL (ms); it is skipped after that.
    RESTART_WAL_WAIT_MS = 250

    def __init__(self, conn: sqlite3.Connection, path: Path | None = None) -> None:
        self.conn = conn
        self.path = path
        self._commits = 0
        self._depth = 0  # transactions of ours under way on this connection (1 = the outer one)
        self._owner = 0  # the thread running them: only its own calls nest

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One committed transaction; rolled back on any error.

        Inside another transaction of this session (in the same thread) it is a savepoint: an error
        undoes only its own part (and goes on to the outer transaction, which
        rolls back unless its caller handles the error); nothing is committed
        before the outer transaction commits.

        A write the disk refuses (full, read-only, I/O error) is raised as
        :class:`~reader.store.db.StoreWriteError` naming the file; what was
        stored before is untouched.
        """
        if self._depth and self._owner == threading.get_ident():
            yield from self._savepoint()
            return
        try:
            # (another thread's call while one runs fails here, as on any connection)
            self.conn.execute("BEGIN IMMEDIATE")
            self._depth, self._owner = 1, threading.get_ident()
            try:
                yield self.conn
                self.conn.execute("COMMIT")
                self._commits += 1
            except BaseException:
                # SQLite may already have rolled back by itself (SQLITE_FULL,
                # SQLITE_IOERR); a second ROLLBACK would hide the real error
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            finally:
                self._depth = 0
        except sqlite3.OperationalError as exc:
            translated = write_error(exc, self.path)
            if translated is None:
                raise
            raise translated from exc
        if self._commits % self.RESTART_WAL_EVERY == 0:
            self.restart_wal()

    def _savepoint(self) -> Iterator[sqlite3.Connection]:
        name = f"reader_sp{self._depth}"
        self.conn.execute(f"SAVEPOINT {name}")
        self._depth += 1
        try:
            yield self.conn
        except BaseException:
            if self.conn.in_transaction:  # (SQLite may have rolled back the whole transaction)
                self.conn.execute(f"ROLLBACK TO {name}")
                self.conn.execute(f"RELEASE {name}")
            raise
        else:
            self.conn.execute(f"RELEASE {name}")
        finally:
            self._depth -= 1

    @property
    def in_transaction(self) -> bool:
        """Whether one of this session's transactions is under way."""
        return self._depth > 0

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

    def data_version(self) -> int:
        """SQLite's ``PRAGMA data_version`` of this connection: it changes when
        another connection (another process: ``reader import``, a worker)
        commits a change to the file, and not for this connection's own
        commits.  Cheap (no disk read); a window polls it to notice changes
        made elsewhere."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def touch(self, article_id: str) -> None:
        """Mark the article's user data as changed (its search document is rebuilt)."""
        self.conn.execute("UPDATE articles SET user_rev = user_rev + 1 WHERE id=?", (article_id,))


class Repository:
    """A focused part of a :class:`~reader.store.library.Library`, on its connection."""

    def __init__(self, library: Library) -> None:
        self.library = library

    @property
    def conn(self) -> sqlite3.Connection:
        return self.library.conn

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        """The library's :meth:`Session.transaction`."""
        return self.library.transaction()
