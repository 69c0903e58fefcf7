"""Changes made by another process (``reader import`` beside an open window)
reach the window: :class:`ExternalChanges` polls SQLite's ``PRAGMA
data_version`` once a second and emits ``articles_changed([], EXTERNAL)``.

``data_version`` changes when *another connection* committed, never for the
connection's own writes (SQLite's definition).  So it is read on the window's
own connection, on the GUI thread: the window's own small writes (bookmarks,
notes, the read mark) do not count, the read takes microseconds and never
waits for a writer (WAL readers do not block).  The window's own workers do
write on connections of their own; while one runs (``busy()``) the change is
probably theirs: their own event follows, and after each event of the window's
own the watcher takes the current version as seen; as another process may have
written meanwhile too, one change is passed on once they are done.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from reader.store import Library
from reader.ui.events import LibraryEvents, What

log = logging.getLogger(__name__)

#: How often the library is checked for changes by other processes (ms).
POLL_MS = 1000


class ExternalChanges(QObject):
    """Tells the window when another process changed the library."""

    def __init__(self, library: Library, events: LibraryEvents, busy: Callable[[], bool],
                 parent: QObject | None = None, interval_ms: int = POLL_MS) -> None:
        super().__init__(parent)
        self.library, self.events, self.busy = library, events, busy
        self.seen = self._version()
        self.noticed = 0  # changes by other processes passed on (tests, diagnostics)
        self._while_busy = False  # a change seen while the window's own jobs wrote
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)
        events.articles_changed.connect(self._articles_changed)
        events.annotations_changed.connect(lambda _aid: self._resync())
        events.entities_changed.connect(lambda _ids: self._resync())

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _version(self) -> int | None:
        try:
            return int(self.library.conn.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error as exc:  # (closing, or the file went away): try again next time
            log.debug("cannot read data_version: %s", exc)
            return None

    def _articles_changed(self, _ids: list[str], what: str) -> None:
        if what != What.EXTERNAL:  # the window's own change
            self._resync()

    def _resync(self) -> None:
        version = self._version()
        if version is not None:
            self.seen = version

    def check(self) -> bool:
        """Emit a change if another process committed since the last check; whether it did."""
        version = self._version()
        changed = version is not None and version != self.seen
        if changed:
            self.seen = version
        if self.busy():  # one of the window's own jobs is writing: its own event follows
            self._while_busy = self._while_busy or changed
            return False
        if not (changed or self._while_busy):
            return False
        self._while_busy = False
        self.noticed += 1
        self.events.articles_changed.emit([], What.EXTERNAL)
        return True
