"""Small writes from the GUI thread that never wait for the database.

Opening an article marks it read and remembers where the reader left the last
one; the user bookmarks, tags and annotates articles: small writes on the
window's own connection.  While another connection writes (an import, entity
recognition) or checkpoints the WAL, such a write would wait - up to the
connection's 15 s busy timeout - and the window would freeze.
:class:`GuiWrites` tries each write with a short wait and, when the database is
busy, keeps it and tries again a moment later from the event loop, in order;
nothing is lost, and :meth:`GuiWrites.flush` writes what is left (waiting as
long as it must) when the window closes.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QTimer

from reader.store import Library

log = logging.getLogger(__name__)


@dataclass
class _Write:
    run: Callable[[], Any]
    args: tuple[Any, ...]  # what :meth:`GuiWrites.pending` reports
    on_done: Callable[[Any], None] | None  # gets what ``run`` returned
    on_error: Callable[[Exception], None] | None


class GuiWrites(QObject):
    """Ordered, retried small writes on the GUI thread's library connection.

    :meth:`write` names a write by the :class:`Library` method and its article
    id (e.g. ``("set_read", aid)``); a newer write of the same name replaces
    one still waiting, unless it is written with ``replace=False`` (``add_tag``:
    each tag is its own write).  :meth:`call` queues any write whose result the
    caller needs (a new annotation).  ``on_done`` runs once it is written."""

    #: How long one attempt may wait for the write lock (ms).
    WAIT_MS = 20
    #: Pause before trying again when the database was busy (ms).
    RETRY_MS = 200

    def __init__(self, library: Library, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self._pending: dict[tuple[Any, ...], _Write] = {}  # in order
        self._calls = itertools.count(1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.RETRY_MS)
        self._timer.timeout.connect(self.drain)
        self.retries = 0  # attempts that found the database busy (tests, diagnostics)

    def write(self, method: str, article_id: str, *args: Any, on_done: Callable[[], None] | None = None,
              replace: bool = True) -> bool:
        """``library.<method>(article_id, *args)`` now if the database is free,
        else later; returns whether it is written."""
        key: tuple[Any, ...] = (method, article_id) if replace else (method, article_id, *args)
        fn = getattr(self.library, method)
        return self._queue(key, _Write(lambda: fn(article_id, *args), args,
                                       (lambda _result: on_done()) if on_done is not None else None, None))

    def call(self, run: Callable[[], Any], on_done: Callable[[Any], None],
             on_error: Callable[[Exception], None]) -> bool:
        """``run()`` now if the database is free, else later, in order with the
        other writes; ``on_done`` gets its result, ``on_error`` any error it
        raises (other than a busy database).  Returns whether it ran now."""
        return self._queue(("call", next(self._calls)), _Write(run, (), on_done, on_error))

    def _queue(self, key: tuple[Any, ...], entry: _Write) -> bool:
        self._pending.pop(key, None)  # a newer value goes to the back of the queue
        self._pending[key] = entry
        self.drain()
        return key not in self._pending

    def pending(self, method: str, article_id: str) -> tuple[Any, ...] | None:
        """The arguments of a (replacing) write still waiting, or ``None``."""
        entry = self._pending.get((method, article_id))
        return entry.args if entry is not None else None

    def __len__(self) -> int:
        return len(self._pending)

    def drain(self, wait_ms: int | None = None) -> None:
        """Write what waits, in order, until the database is busy (then retry later)."""
        while self._pending:
            key, entry = next(iter(self._pending.items()))
            result: list[Any] = []
            try:
                written = self.library.try_write(lambda e=entry, out=result: out.append(e.run()),
                                                 self.WAIT_MS if wait_ms is None else wait_ms)
            except Exception as exc:  # refused for good (a deleted article, a full disk): say so, go on
                self._forget(key, entry)
                self._failed(entry, exc)
                continue
            if not written:
                self.retries += 1
                if not self._timer.isActive():
                    self._timer.start()
                return
            self._forget(key, entry)
            if entry.on_done is not None:
                entry.on_done(result[0] if result else None)

    def _forget(self, key: tuple[Any, ...], entry: _Write) -> None:
        if self._pending.get(key) is entry:  # (not replaced meanwhile)
            del self._pending[key]

    @staticmethod
    def _failed(entry: _Write, exc: Exception) -> None:
        if entry.on_error is not None:
            entry.on_error(exc)
        else:
            log.warning("a write from the window failed: %r", exc)

    def flush(self) -> None:
        """Write everything now, waiting for the database as long as it takes (closing)."""
        self._timer.stop()
        entries, self._pending = list(self._pending.values()), {}
        for entry in entries:
            try:
                result = entry.run()
            except Exception as exc:  # the library may be closing under us: say so, do not crash the close
                log.warning("could not save a change from the window: %s", exc)
                continue
            if entry.on_done is not None:
                entry.on_done(result)
