"""Keeping the search index and the entities up to date for the window.

:class:`IndexingController` runs the index refreshes (one at a time; asked
again while one runs, one more follows), pushes small changes (bookmarks,
tags, notes) into the index, runs the entities pass, and keeps the two
status-bar texts that report them.  Whether a refresh rebuilds or updates is
the search engine's call (``reader.search.index.REBUILD_FRACTION``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from reader.settings import DEFAULTS
from reader.ui import controller as ctl

if TYPE_CHECKING:
    from reader.ui.main_window import MainWindow

#: More changed articles than this are brought in by a refresh (which compares
#: the whole library and may use worker processes) rather than re-indexed one by one.
SMALL_UPDATE = 50


class IndexingController(QObject):
    """The window's index refreshes, index updates and entities pass."""

    def __init__(self, window: MainWindow, index: Any) -> None:
        super().__init__(window)
        self.window = window
        self.index = index
        self.state = "Search: unavailable" if index is None else "Index: …"  # the status-bar text
        self.docs: int | None = None  # documents in the index after the last refresh
        self.entities_running = False
        self._job = 0  # the running refresh's job id
        self._again: bool | None = None  # a refresh asked for while one ran (full or not)
        self._entities_after = False  # recognise once the running refresh ends (big imports)

    @property
    def refreshing(self) -> bool:
        return bool(self._job)

    # ---- the index ----------------------------------------------------
    def refresh(self, full: bool = False) -> None:
        """Bring the index up to date (in the writer pool; the search process
        does the work, big jobs in its worker processes).

        One refresh at a time: asked again while one runs, one more runs when
        it ends (a refresh started later would drop the running one's result
        and then redo its work - 21k documents twice after a big import)."""
        if self.index is None:
            return
        if self._job:
            self._again = bool(self._again) or full
            return
        self._again = None
        self.set_state("Index: checking…")
        w = self.window
        self._job = w.runner.run(
            "index", ctl.job_refresh_index, self.index, w.db_path, full, writer=True,
            on_done=self._done, on_error=self._failed,
            on_progress=lambda d, t, _n: self.set_state(f"Indexing {d:,}/{t:,}"))

    def update(self, ids: Sequence[str]) -> None:
        """Re-index these articles (bookmarks, tags, notes changed)."""
        if self.index is None or not ids:
            return
        if len(ids) > SMALL_UPDATE:
            self.refresh()
            return
        w = self.window
        w.runner.run("update_docs", ctl.job_update_docs, self.index, w.db_path, tuple(ids),
                     writer=True, keep_all=True)

    def set_state(self, text: str) -> None:
        self.state = text
        self.window.status_index.setText(text)

    def _finished(self) -> None:
        self._job = 0
        if self._again is not None:
            self.refresh(self._again)
        elif self._entities_after:
            self._entities_after = False
            self.compute_entities()

    def _failed(self, message: str) -> None:
        self.set_state(f"Index: failed ({message})")
        self._finished()

    def _done(self, result: Any) -> None:
        # the job counted the documents (reading the index is not for the GUI thread)
        _stats, count = result if isinstance(result, tuple) else (result, None)
        if count is None:
            count = self.window.library.count()
        self.docs = int(count)
        self.set_state(f"Index: {count:,} docs")
        self._finished()
        self.window.index_refreshed()

    # ---- entities -----------------------------------------------------
    def compute_entities(self) -> None:
        """Recognise entities where missing (a spawned process), then re-index."""
        w = self.window
        if ctl.entities_api() is None:
            w.status_entities.setText("Entities: unavailable")
            return
        backend = str(w.settings.value("entities/backend", DEFAULTS.entity_backend))
        if w.library.count() == 0:  # nothing to recognise: say so rather than "starting…"
            w.status_entities.setText("Entities: nothing to do")
            return
        self.entities_running = True
        w.status_entities.setText(f"Entities ({backend}): starting…")
        w.runner.run("entities", ctl.job_compute_entities, w.db_path, backend, writer=False,
                     on_done=self._entities_done, on_error=self._entities_failed,
                     on_progress=lambda d, t, _n: w.status_entities.setText(f"Entities: {d:,}/{t:,}"))

    def _entities_done(self, count: int) -> None:
        self.entities_running = False
        self.window.status_entities.setText(
            f"Entities: {count:,} articles updated" if count else "Entities: up to date")
        if count:
            self.window.entities_changed()
            self.refresh()  # (entities are indexed: each of those articles changed)

    def _entities_failed(self, message: str) -> None:
        self.entities_running = False
        self.window.status_entities.setText("Entities: failed")
        self.window.statusBar().showMessage(f"Entity recognition failed: {message}", 10000)

    # ---- after an import ----------------------------------------------
    def articles_changed(self, ids: Sequence[str]) -> None:
        """Imported articles: index them, then recognise their entities."""
        if not ids:
            return
        if len(ids) <= SMALL_UPDATE:
            self.update(ids)
            self.compute_entities()
            return
        self.refresh()
        if self._job:
            # Both are CPU-bound worker processes: recognising beside the build
            # would slow it down (2 cores), and the entities re-index every
            # article anyway.  The new articles become searchable first.
            self._entities_after = True
        else:
            self.compute_entities()
