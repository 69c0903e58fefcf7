"""Small writes from the GUI thread that never wait for the database.

Opening an article marks it read and remembers where the reader left the last
one; the user bookmarks and tags articles: small writes on the window's own
connection.  While another
connection writes (an import, entity recognition) or checkpoints the WAL, such a
write would wait - up to the connection's 15 s busy timeout - and the window
would freeze.  :class:`GuiWrites` tries each write with a short wait and, when
the database is busy, keeps it and tries again a moment later from the event
loop, in order; nothing is lost, and :meth:`GuiWrites.flush` writes what is left
(waiting as long as it must) when the window closes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer

from reader.store import Library

log = logging.getLogger(__name__)


class GuiWrites(QObject):
    """Ordered, retried small writes on the GUI thread's library connection.

    A write is named by the :class:`Library` method and its article id (e.g.
    ``("set_read", aid)``); a newer write of the same name replaces one still
    waiting, unless it is written with ``replace=False`` (``add_tag``: each
    tag is its own write).  ``on_done`` runs once it is written."""

    #: How long one attempt may wait for the write lock (ms).
    WAIT_MS = 20
    #: Pause before trying again when the database was busy (ms).
    RETRY_MS = 200

    def __init__(self, library: Library, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        # key -> (method, article id, arguments, on_done); a key is (method, article id),
        # plus the arguments for writes that do not replace each other
        self._pending: dict[tuple[Any, ...], tuple[str, str, tuple[Any, ...], Callable[[], None] | None]] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.RETRY_MS)
        self._timer.timeout.connect(self.drain)
        self.retries = 0  # attempts that found the database busy (tests, diagnostics)

    def write(self, method: str, article_id: str, *args: Any, on_done: Callable[[], None] | None = None,
              replace: bool = True) -> bool:
        """Write now if the database is free, else later; returns whether it is written."""
        key: tuple[Any, ...] = (method, article_id) if replace else (method, article_id, *args)
        self._pending.pop(key, None)  # a newer value goes to the back of the queue
        self._pending[key] = (method, article_id, args, on_done)
        self.drain()
        return key not in self._pending

    def pending(self, method: str, article_id: str) -> tuple[Any, ...] | None:
        """The arguments of a (replacing) write still waiting, or ``None``."""
        entry = self._pending.get((method, article_id))
        return entry[2] if entry is not None else None

    def __len__(self) -> int:
        return len(self._pending)

    def drain(self, wait_ms: int | None = None) -> None:
        """Write what waits, in order, until the database is busy (then retry later)."""
        while self._pending:
            key, entry = next(iter(self._pending.items()))
            method, article_id, args, on_done = entry
            fn = getattr(self.library, method)
            if not self.library.try_write(lambda fn=fn, aid=article_id, a=args: fn(aid, *a),
                                          self.WAIT_MS if wait_ms is None else wait_ms):
                self.retries += 1
                if not self._timer.isActive():
                    self._timer.start()
                return
            if self._pending.get(key) is entry:
                del self._pending[key]
            if on_done is not None:
                on_done()

    def flush(self) -> None:
        """Write everything now, waiting for the database as long as it takes (closing)."""
        self._timer.stop()
        for method, article_id, args, on_done in list(self._pending.values()):
            try:
                getattr(self.library, method)(article_id, *args)
            except Exception as exc:  # the library may be closing under us: say so, do not crash the close
                log.warning("could not save %s of %s: %s", method, article_id, exc)
                continue
            if on_done is not None:
                on_done()
        self._pending.clear()
