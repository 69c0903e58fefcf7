"""The open article: :class:`ArticleSession` shows it in the reader with its
entities, remembers the reading position, loads its related
articles, and keeps all of that current as the library changes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QTimer

from reader.core.article import untitled_label
from reader.store import Library
from reader.ui.actions import Std, make_action
from reader.ui.events import IndexState, LibraryEvents, What
from reader.ui.jobs import job_related
from reader.ui.panels.entity_panel import EntityPanel
from reader.ui.panels.library_panels import RelatedPanel
from reader.ui.search_backend import SearchBackend
from reader.ui.timing import timing_mark
from reader.ui.views.reader_pane import ReaderPane
from reader.ui.workers import TaskRunner
from reader.ui.writes import GuiWrites


class ArticleSession(QObject):
    """What is open in the reader, and everything shown about it."""

    def __init__(self, library: Library, writes: GuiWrites, runner: TaskRunner, events: LibraryEvents,
                 settings: QSettings, reader: ReaderPane, entity_panel: EntityPanel, related_panel: RelatedPanel,
                 backend: SearchBackend | None, *, bookmarked: Callable[[str], bool],
                 entities_running: Callable[[], bool]) -> None:
        super().__init__(reader)
        self.library, self.writes, self.runner, self.events, self.settings = library, writes, runner, events, settings
        self.reader, self.entity_panel, self.related_panel, self.backend = reader, entity_panel, related_panel, backend
        assert library.path is not None
        self.db_path: Path = library.path
        self.bookmarked, self.entities_running = bookmarked, entities_running
        self.current_id: str | None = None
        self.actions = {
            "find": make_action(self, "&Find in article…", reader.open_find, [Std.Find]),
            "find_next": make_action(self, "Next hit", lambda: self.step_hit(1), [Std.FindNext, "F3"]),
            "find_prev": make_action(self, "Previous hit", lambda: self.step_hit(-1), [Std.FindPrevious, "Shift+F3"]),
            "next_mention": make_action(self, "Next mention of entity", lambda: self.step_mention(1), ["Alt+Down"]),
            "prev_mention": make_action(self, "Previous mention of entity", lambda: self.step_mention(-1),
                                        ["Alt+Up"]),
            "zoom_in": make_action(self, "Zoom &in", lambda: reader.view.zoom_by(1), [Std.ZoomIn, "Ctrl+="]),
            "zoom_out": make_action(self, "Zoom &out", lambda: reader.view.zoom_by(-1), [Std.ZoomOut]),
            "zoom_reset": make_action(self, "&Reset zoom", reader.view.zoom_reset, ["Ctrl+0"]),
        }
        entity_panel.entity_selected.connect(self._entity_selected)
        entity_panel.step_requested.connect(self.step_mention)
        entity_panel.visibility_changed.connect(lambda: reader.set_visible_labels(entity_panel.visible_labels()))
        events.articles_changed.connect(self._articles_changed)
        events.entities_changed.connect(self._entities_changed)
        events.index_state.connect(self._index_state)

    # ---- opening -------------------------------------------------------
    def open(self, article_id: str) -> None:
        """Show ``article_id`` (unknown: nothing) and tell the window."""
        if article_id == self.current_id and self.reader.article is not None:
            self.events.current_article.emit(article_id)  # (e.g. the search hits of a new query)
            return
        self.save_read_position()
        article = self.library.article(article_id)
        if article is None:
            self.close_article()
            return
        self.current_id = article_id
        waiting = self.writes.pending("set_read_position", article_id)
        position = int(waiting[0]) if waiting else self.library.read_position(article_id)
        self.reader.show_article(article, position, self.bookmarked(article_id))
        self._show_entities(article_id)
        self.settings.setValue("window/last_article", article_id)
        # (the read mark: reader.ui.reading.ReadMarker, after 2 s or at the end)
        timing_mark("article_rendered")
        self.events.current_article.emit(article_id)
        self.load_related()

    def close_article(self, placeholder: str = "") -> None:
        """Nothing open (the article is gone, or the library is empty)."""
        if placeholder:
            self.reader.set_placeholder(placeholder)
        self.reader.show_article(None)
        self.current_id = None
        self.events.current_article.emit("")

    def list_loaded(self, _ids: list[str], total: int) -> None:
        if total == 0:
            self.close_article("Nothing to read yet.")

    @property
    def title(self) -> str:
        article = self.reader.article
        if article is None or not self.current_id:
            return ""
        return article.title or untitled_label(article.source, article.published)  # as the list shows it

    def save_read_position(self) -> None:
        if self.current_id and self.reader.article is not None:
            self.writes.write("set_read_position", self.current_id, self.reader.view.first_visible_offset())

    def _show_entities(self, article_id: str) -> None:
        spans = self.library.entities(article_id)
        self.reader.set_entities(spans, self.entity_panel.visible_labels())
        backend = self.library.entity_backend(article_id)
        status = "" if backend or spans else ("Recognising entities…" if self.entities_running()
                                             else "No entities recognised for this article.")
        self.entity_panel.set_spans(spans, status)
        if not self.entities_running():
            # (the recogniser's version is in Help > About, not in the status bar)
            self.events.entities_state.emit("Entities: up to date" if backend else "Entities: none yet")

    def load_related(self) -> None:
        if self.backend is None or self.current_id is None:
            self.related_panel.set_hits([], "Related articles need the search index.")
            return
        self.runner.run("related", job_related, self.backend, self.db_path, self.current_id, 10,
                        on_done=lambda hits: self.related_panel.set_hits(hits),
                        on_error=lambda msg: self.related_panel.set_hits([], f"Not available: {msg}"))

    # ---- stepping ----------------------------------------------------------
    def step_hit(self, delta: int) -> None:
        kind = "find" if self.reader.find_bar.isVisible() and self.reader.cursors["find"].spans else "search"
        self.reader.step(kind, delta)

    def step_mention(self, delta: int) -> None:
        self.reader.step("entity", delta)
        cur = self.reader.cursors["entity"]
        self.entity_panel.set_mention_position(cur.current, len(cur.spans))

    def _entity_selected(self, label: str, norm: str, mentions: list) -> None:
        self.reader.focus_mentions(label, norm, [tuple(m) for m in mentions])
        cur = self.reader.cursors["entity"]
        self.entity_panel.set_mention_position(cur.current, len(cur.spans))

    def bookmarks_shown(self, ids: list[str], on: bool) -> None:
        """Bookmarks were set (maybe still waiting to be written): the star follows."""
        if self.current_id in ids:
            self.reader.set_bookmarked(on)

    # ---- what changed ----------------------------------------------------------
    def _articles_changed(self, ids: list[str], what: str) -> None:
        current = self.current_id
        if current is None:
            return
        if what == What.DELETED and current in ids:
            # the list selects the next article; if none is opened, nothing is open
            QTimer.singleShot(0, self, lambda gone=current: self._deleted(gone))
        elif what in (What.ADDED, What.EXTERNAL) and (current in ids or not ids):
            article = self.library.article(current)
            shown = self.reader.article
            if article is None:
                self.close_article()
                return
            if what == What.EXTERNAL:
                self.reader.set_bookmarked(self.bookmarked(current))
            if shown is None or article.plain_text != shown.plain_text or article.title != shown.title:
                self.current_id = None  # its text changed: show it again
                self.open(current)

    def _deleted(self, article_id: str) -> None:
        if self.current_id == article_id:
            self.close_article()

    def _entities_changed(self, ids: list[str]) -> None:
        if self.current_id and (not ids or self.current_id in ids):
            spans = self.library.entities(self.current_id)
            self.reader.set_entities(spans, self.entity_panel.visible_labels())
            self.entity_panel.set_spans(spans)

    def _index_state(self, state: IndexState) -> None:
        if state.ready and self.current_id:
            self.load_related()
