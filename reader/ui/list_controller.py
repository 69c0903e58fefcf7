"""The article list: what it shows (filters, order, an entity scope), loading
its ids in a worker, choosing the first article, keeping it up to date.

It listens to the change bus: rows are re-read when bookmarks, tags, notes or
the read mark of their articles change, and the whole list is reloaded when
articles come or go (an import, a delete, another process)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QTimer, Signal

from reader.ui.actions import make_action
from reader.ui.events import LibraryEvents, ListMode, What
from reader.ui.jobs import job_list_ids
from reader.ui.list_query import ListQuery
from reader.ui.theme import entity_name
from reader.ui.views.list_pane import ListPane
from reader.ui.workers import TaskRunner

#: Milliseconds between the first list being shown and the start of the side
#: work (the library entities table, the entities check).
FOLLOW_UP_DELAY_MS = 150


class ListController(QObject):
    """Loads and refreshes the list pane's library page."""

    #: the list was (re)loaded: (article ids shown, articles in the library)
    loaded = Signal(list, int)
    #: the list and the first article are painted (once): side work may start
    first_shown = Signal()
    #: open this article, it is not in the list (or the list is not showing it)
    open_requested = Signal(str)

    def __init__(self, db_path: Path, runner: TaskRunner, events: LibraryEvents, settings: QSettings,
                 pane: ListPane) -> None:
        super().__init__(pane)
        self.db_path, self.runner, self.settings, self.pane = db_path, runner, settings, pane
        self.query = ListQuery()
        self.scope_text = ""
        self.current_id = ""
        self.is_loaded = False
        self._want_first_article = True
        self._first_shown = False
        self.actions = {
            "next": make_action(self, "&Next article", lambda: pane.step(1), ["J"]),
            "prev": make_action(self, "&Previous article", lambda: pane.step(-1), ["K"]),
        }
        pane.filters_changed.connect(self.reload)
        pane.clear_scope_requested.connect(self.clear_scope)
        pane.model.sort_requested.connect(self._sort_requested)
        events.current_article.connect(self._current)
        events.articles_changed.connect(self._articles_changed)
        events.annotations_changed.connect(lambda aid: pane.model.refresh_ids([aid]))  # the notes column

    # ---- loading -----------------------------------------------------
    def reload(self) -> None:
        """Load the ids for the filters the pane shows (in a worker)."""
        state = self.pane.filter_state()
        self.query = self.query.but(text=str(state["text"]), bookmarked=bool(state["bookmarked"]),
                                    has_notes=bool(state["has_notes"]), unread=bool(state["unread"]),
                                    tag=str(state["tag"]))
        self.runner.run("list", job_list_ids, self.db_path, self.query, on_done=self._loaded)

    def _loaded(self, result: tuple[ListQuery, list[str], list[str], int]) -> None:
        query, ids, tags, total = result
        self.pane.set_tags(tags)
        self.pane.set_ids(ids, total, query.is_filtered)
        self.pane.set_scope(self.scope_text)
        self.is_loaded = True
        if self.current_id and self.pane.mode() is ListMode.LIBRARY:
            self.pane.select_id(self.current_id, emit=False)
        if self._want_first_article and ids:
            last = str(self.settings.value("window/last_article", "") or "")
            target = last if last in set(ids[:5000]) else ids[0]
            self._want_first_article = False
            if not self.pane.select_id(target):
                self.open_requested.emit(target)
        self.loaded.emit(ids, total)
        if not self._first_shown:
            # Side work waits until the list and the first article are painted: on
            # 2 cores, started beside them it took the CPU (and the GIL) from the
            # first paint - the longest stall of a start at 10x (60-150 ms).
            self._first_shown = True
            QTimer.singleShot(FOLLOW_UP_DELAY_MS, self, self._emit_first_shown)

    def _emit_first_shown(self) -> None:
        if not self.runner.closed:  # (the window closed meanwhile)
            self.first_shown.emit()

    # ---- scope and order ---------------------------------------------
    def filter_by_entity(self, label: str, norm: str) -> None:
        """List the articles mentioning an entity."""
        self.query = self.query.but(entity=(label, norm), only_ids=None)
        self.scope_text = f"Articles mentioning {norm} ({entity_name(label)})"
        self.pane.show_library()
        self.reload()

    def show_ids(self, ids: list[str], scope: str) -> None:
        """List only ``ids`` (a feed's articles, All unread...) under ``scope``."""
        self.query = self.query.but(entity=None, only_ids=tuple(ids))
        self.scope_text = scope
        self.pane.show_library()
        self.reload()

    def clear_scope(self) -> None:
        self.query = self.query.but(entity=None, only_ids=None)
        self.scope_text = ""
        self.reload()

    def _sort_requested(self, key: str, descending: bool) -> None:
        self.query = self.query.but(order=key, descending=descending)
        self.reload()

    def open_in_library(self, article_id: str) -> None:
        """Select ``article_id`` in the list (which opens it), or open it anyway."""
        if not self.pane.select_id(article_id):
            self.open_requested.emit(article_id)

    # ---- what changed ------------------------------------------------
    def _current(self, article_id: str) -> None:
        self.current_id = article_id

    def _articles_changed(self, ids: list[str], what: str) -> None:
        if what == What.DELETED:
            self._removed(ids)
        elif what in What.RELOAD:
            if what in (What.ADDED, What.EXTERNAL) and not self.current_id:
                self._want_first_article = True  # the library was empty: open what came
            self.reload()
        else:
            self.pane.model.refresh_ids(ids)

    def _removed(self, ids: list[str]) -> None:
        model = self.pane.model
        rows = [r for r in (model.row_of(i) for i in ids) if r >= 0]
        model.remove_ids(ids)
        if self.current_id in ids and model.rowCount():
            nxt = model.id_at(min(min(rows, default=0), model.rowCount() - 1))
            if nxt is not None:
                self.pane.select_id(nxt)
        self.reload()  # (counts, tags)
