"""Keeping the search index and the entities up to date.

:class:`IndexingController` listens to the change bus: articles that came,
went or changed (bookmarks, tags, notes) are brought into the index - a few
one by one, many by a refresh (one at a time; asked again while one runs, one
more follows) - and new articles get their entities recognised.  It reports
``index_state`` and ``entities_state``, and ``entities_changed`` when the
entities pass stored new entities.  Whether a refresh rebuilds or updates is
the search engine's call (``reader.search.index.REBUILD_FRACTION``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from reader.settings import DEFAULTS
from reader.ui import jobs
from reader.ui.actions import make_action
from reader.ui.events import IndexState, LibraryEvents, What
from reader.ui.search_backend import SearchBackend
from reader.ui.workers import TaskRunner

#: More changed articles than this are brought in by a refresh (which compares
#: the whole library and may use worker processes) rather than re-indexed one by one.
SMALL_UPDATE = 50


class IndexingController(QObject):
    """The window's index refreshes, index updates and entities pass."""

    def __init__(self, backend: SearchBackend | None, db_path: Path, runner: TaskRunner, events: LibraryEvents,
                 settings: QSettings, library_count: Callable[[], int], *, recognise: bool = True,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.index, self.db_path, self.runner, self.events, self.settings = backend, db_path, runner, events, settings
        self.library_count = library_count
        self.recognise = recognise  # run the entities pass (tests of other things may opt out)
        self.index_state = IndexState("unavailable", "Search: unavailable") if backend is None else \
            IndexState("checking", "Index: …")
        self.entities_running = False
        self.entities_current = False  # the last pass left every article's entities current
        self.confirm_box: QMessageBox | None = None
        self._job = 0  # the running refresh's job id
        self._again: bool | None = None  # a refresh asked for while one ran (full or not)
        self._entities_after = False  # recognise once the running refresh ends (big imports)
        self._notes: set[str] = set()  # articles whose notes changed, indexed in one go
        self.actions = {
            "reindex": make_action(self, "Rebuild search index", lambda: self.refresh(full=True)),
            "entities": make_action(self, "Recognise entities again…", self.recognise_again),
        }
        events.articles_changed.connect(self._articles_changed)
        events.annotations_changed.connect(self._annotations_changed)
        events.index_state.emit(self.index_state)

    @property
    def refreshing(self) -> bool:
        return bool(self._job)

    @property
    def docs(self) -> int | None:
        """Documents in the index after the last refresh."""
        return self.index_state.docs

    @property
    def state(self) -> str:
        """The status bar's text for the index ("Index: 1,234 docs")."""
        return self.index_state.text

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
        self._set_state(IndexState("checking", "Index: checking…", self.index_state.docs))
        self._job = self.runner.run(
            "index", jobs.job_refresh_index, self.index, self.db_path, full, writer=True,
            on_done=self._done, on_error=self._failed,
            on_progress=lambda d, t, _n: self._set_state(IndexState("indexing", f"Indexing {d:,}/{t:,}")))

    def update(self, ids: Sequence[str]) -> None:
        """Re-index these articles (bookmarks, tags, notes changed)."""
        if self.index is None or not ids:
            return
        if len(ids) > SMALL_UPDATE:
            self.refresh()
            return
        self.runner.run("update_docs", jobs.job_update_docs, self.index, self.db_path, tuple(ids),
                        writer=True, keep_all=True,
                        on_error=lambda msg: self.events.warn(f"The search index could not be updated: {msg}"))

    def _set_state(self, state: IndexState) -> None:
        self.index_state = state
        self.events.index_state.emit(state)

    def _finished(self) -> None:
        self._job = 0
        if self._again is not None:
            self.refresh(self._again)
        elif self._entities_after:
            self._entities_after = False
            self.compute_entities()

    def _failed(self, message: str) -> None:
        self._set_state(IndexState("failed", f"Index: failed ({message})"))
        self._finished()

    def _done(self, result: tuple[Any, int | None]) -> None:
        # the job counted the documents (reading the index is not for the GUI thread)
        _stats, count = result
        if count is None:
            count = self.library_count()
        self._set_state(IndexState("ready", f"Index: {count:,} docs", int(count)))
        self._finished()

    # ---- entities -----------------------------------------------------
    def recognise_again(self) -> None:
        """File > Recognise entities again: where missing; when every article's
        entities are current, ask, then recognise them all again."""
        if not self.recognise or self.entities_running:
            return
        if self.entities_current and self.library_count() > 0:
            self.confirm_box = QMessageBox(
                QMessageBox.Icon.Question, "Recognise entities again",
                f"Entities are up to date for all {self.library_count():,} articles.\n"
                "Recognise them all again? This replaces the entities found so far.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self.parent_widget())
            self.confirm_box.button(QMessageBox.StandardButton.Yes).setText("Recognise again")
            self.confirm_box.accepted.connect(lambda: self.compute_entities(force=True))
            self.confirm_box.open()
            return
        self.compute_entities()

    def parent_widget(self) -> QWidget | None:
        parent = self.parent()
        return parent if isinstance(parent, QWidget) else None

    def compute_entities(self, force: bool = False) -> None:
        """Recognise entities where missing (``force``: everywhere; a spawned
        process), then re-index."""
        if not self.recognise:
            return
        backend = str(self.settings.value("entities/backend", DEFAULTS.entity_backend))
        if self.library_count() == 0:  # nothing to recognise: say so rather than "starting…"
            self.events.entities_state.emit("Entities: nothing to do")
            return
        self.entities_running = True
        self.events.entities_state.emit(f"Entities ({backend}): starting…")
        self.runner.run("entities", jobs.job_compute_entities, self.db_path, backend, force, writes=True,
                        on_done=self._entities_done, on_error=self._entities_failed,
                        on_progress=lambda d, t, _n: self.events.entities_state.emit(f"Entities: {d:,}/{t:,}"))

    def _entities_done(self, count: int) -> None:
        self.entities_running = False
        self.entities_current = True
        self.events.entities_state.emit(f"Entities: {count:,} articles updated" if count else "Entities: up to date")
        if count:
            self.events.entities_changed.emit([])
            self.refresh()  # (entities are indexed: each of those articles changed)

    def _entities_failed(self, message: str) -> None:
        self.entities_running = False
        self.events.entities_state.emit("Entities: failed")
        self.events.fail("Entity recognition failed", message)

    # ---- what changed ---------------------------------------------------
    def _articles_changed(self, ids: list[str], what: str) -> None:
        if what in (What.ADDED, What.EXTERNAL):
            self.entities_current = False
        if what == What.ADDED:
            self._imported(ids)
        elif what in (What.DELETED, What.EXTERNAL):
            self.refresh()
        elif what in What.INDEXED:
            self.update(ids)

    def _annotations_changed(self, article_id: str) -> None:
        if not self._notes:
            QTimer.singleShot(0, self, self._index_notes)  # (an import of notes touches many at once)
        self._notes.add(article_id)

    def _index_notes(self) -> None:
        ids, self._notes = sorted(self._notes), set()
        self.update(ids)

    def _imported(self, ids: Sequence[str]) -> None:
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
