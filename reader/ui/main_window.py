"""The main window: article list (left), reader (centre), docks (right).

Widgets live in views/ and panels/, menus in :mod:`reader.ui.menus`, background
work in workers (:mod:`reader.ui.workers`) running the job functions of
:mod:`reader.ui.controller`.  This module wires them together.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeyEvent, QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QSplitter,
    QTabBar,
    QToolBar,
)

from reader import paths
from reader.core.article import untitled_label
from reader.settings import DEFAULTS
from reader.store import Library
from reader.ui import controller as ctl
from reader.ui import undo
from reader.ui.annotating import AnnotationController
from reader.ui.dialogs.confirm_delete import confirm_delete
from reader.ui.importing import ImportController, job_import_seeds, paths_from_mime
from reader.ui.indexing import IndexingController
from reader.ui.marking import MarkingController
from reader.ui.panels.annotation_panel import AnnotationPanel
from reader.ui.panels.entity_panel import EntityPanel
from reader.ui.panels.library_panels import RelatedPanel, TopEntitiesPanel
from reader.ui.theme import ThemeState, apply_theme, entity_name
from reader.ui.views.list_pane import ListPane
from reader.ui.views.reader_pane import ReaderPane
from reader.ui.views.search_bar import SearchBar
from reader.ui.workers import StallMonitor, TaskRunner
from reader.ui.writes import GuiWrites

log = logging.getLogger(__name__)
#: GIL switch interval for the GUI process (s).  Every call from Qt into Python
#: (a model's data(), a delegate, a slot) must take the GIL; while a worker
#: thread runs Python (loading the list's ids, a small import) each take waits
#: up to the interval (5 ms by default), and laying out a page of results makes
#: dozens of them: 170 ms stalls measured at 10x when searches still ran in this
#: process.  1 ms bounds that wait at a small cost in switching for the workers.
GUI_SWITCH_INTERVAL = 0.001
#: Milliseconds between the first list being shown and the start of the side
#: work (library entities table, the entities check).
FOLLOW_UP_DELAY_MS = 150


def timing_mark(name: str) -> None:
    """Print a timing mark when ``READER_TIMING=1`` (benchmarks read them)."""
    if os.environ.get("READER_TIMING") == "1":
        print(f"READER_TIMING {name} {time.time():.6f}", flush=True)


class MainWindow(QMainWindow):
    """Reader's main window over one library."""

    def __init__(self, library: Library, *, settings: QSettings | None = None, index: Any = None,
                 start_background: bool = True, import_seeds: bool = True, debug_stalls: bool = False) -> None:
        super().__init__()
        if sys.getswitchinterval() > GUI_SWITCH_INTERVAL:
            sys.setswitchinterval(GUI_SWITCH_INTERVAL)
        self.library = library
        assert library.path is not None, "the window needs a library file (workers reopen it)"
        self.db_path: Path = library.path
        self.settings = settings or QSettings()
        self.runner = TaskRunner(self)
        self.writes = GuiWrites(library, self)  # small writes that never wait for the database
        self.search_mod = ctl.search_api()
        self.index = index
        if self.index is None and self.search_mod is not None:
            try:
                # Whoosh in a process of its own: its pure-Python work beside the
                # GUI thread made that thread wait for the GIL (see reader/search/service.py)
                self.index = self.search_mod.SearchService(paths.index_dir())
            except Exception as exc:  # a broken index is a cache: the app runs on without search
                log.warning("cannot open the search index: %s", exc)
        self.theme = ThemeState("system", False)
        self.query = ctl.ListQuery()
        self.scope_text = ""
        self.current_id: str | None = None
        self.undo_stack = QUndoStack(self)
        self.indexing = IndexingController(self, self.index)  # refreshes, updates, the entities pass
        self.list_loaded = False
        self._search_job = 0  # the running search's job id
        self._search_next: str | None = None  # the newest query asked for while it runs
        self._want_first_article = True
        self._after_first_list: list[Callable[[], None]] = []  # started once the first list is shown
        self.setWindowTitle("Reader")
        self.setAcceptDrops(True)
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks)
        self._build_widgets()
        self.notes = AnnotationController(self)
        self.marks = MarkingController(self)
        from reader.ui.menus import build_menus

        self.actions_by_name: dict[str, QAction] = build_menus(self)
        self.importer = ImportController(self)
        self.importer.finished.connect(self.after_import)
        self._connect()
        self._restore_state()
        self.stall_monitor: StallMonitor | None = None
        if debug_stalls:
            self.stall_monitor = StallMonitor(DEFAULTS.stall_log_ms, parent=self)
            self.stall_monitor.start()
        if start_background:
            QTimer.singleShot(0, lambda: self.start_background(import_seeds))

    # ---- construction ------------------------------------------------
    def _build_widgets(self) -> None:
        help_text = getattr(self.search_mod, "QUERY_HELP", "") if self.search_mod else ""
        self.search_bar = SearchBar(self, self.settings, help_text)
        toolbar = QToolBar("Search", self)
        toolbar.setObjectName("searchToolbar")
        toolbar.setMovable(False)
        toolbar.addWidget(self.search_bar)
        self.search_bar.setMaximumWidth(640)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
        self.list_pane = ListPane(self.library, self)
        self.reader = ReaderPane(self, self.settings)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.list_pane)
        self.splitter.addWidget(self.reader)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([470, 590])
        self.setCentralWidget(self.splitter)
        self.entity_panel = EntityPanel(self, self.settings)
        self.related_panel = RelatedPanel(self)
        self.top_panel = TopEntitiesPanel(self)
        self.annotation_panel = AnnotationPanel(self)
        self.docks: dict[str, QDockWidget] = {}
        for name, title, widget in (("entities", "Entities", self.entity_panel),
                                    ("notes", "Notes", self.annotation_panel),
                                    ("related", "Related articles", self.related_panel),
                                    ("library_entities", "Library entities", self.top_panel)):
            dock = QDockWidget(title, self)
            dock.setObjectName(f"dock_{name}")
            dock.setWidget(widget)
            self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
            self.docks[name] = dock
        self.tabifyDockWidget(self.docks["entities"], self.docks["notes"])
        self.tabifyDockWidget(self.docks["related"], self.docks["library_entities"])
        self.docks["entities"].raise_()
        self.docks["related"].raise_()
        self.status_size = QLabel("")
        self.status_index = QLabel(self.indexing.state)
        self.status_entities = QLabel("Entities: —")
        self.status_task = QLabel("")
        for label in (self.status_task, self.status_size, self.status_index, self.status_entities):
            self.statusBar().addPermanentWidget(label)
        self.resize(1280, 800)

    def _connect(self) -> None:
        lp = self.list_pane
        lp.article_selected.connect(self.open_article)
        lp.result_selected.connect(self.open_article)
        lp.star_clicked.connect(self.marks.toggle)
        lp.filters_changed.connect(self.reload_list)
        lp.clear_scope_requested.connect(self.clear_scope)
        lp.suggestion_clicked.connect(lambda s: self.search_bar.set_query(s))
        lp.result_sort_changed.connect(lambda _s: self.run_search(self.search_bar.text()))
        lp.model.sort_requested.connect(self._sort_requested)
        self.search_bar.search_requested.connect(self.run_search)
        self.search_bar.cleared.connect(self.leave_search)
        self.reader.bookmark_toggled.connect(lambda: self.marks.toggle(self.current_id))
        self.entity_panel.entity_selected.connect(self._entity_selected)
        self.entity_panel.step_requested.connect(self.step_mention)
        self.entity_panel.list_articles_requested.connect(self.filter_by_entity)
        self.entity_panel.visibility_changed.connect(
            lambda: self.reader.set_visible_labels(self.entity_panel.visible_labels()))
        self.top_panel.filter_requested.connect(self.filter_by_entity)
        self.top_panel.labels_changed.connect(lambda _l: self.load_top_entities())
        self.related_panel.open_requested.connect(self.open_in_library)

    # ---- startup -----------------------------------------------------
    def start_background(self, import_seeds: bool = True) -> None:
        """List first (so the window has content at once), then seeds, index and entities."""
        self.reload_list()
        if import_seeds and self.library.get_meta("seeds_imported") != "1" and ctl.ingest_available():
            self.set_status_task("Importing the bundled articles…")
            self.runner.run("seeds", job_import_seeds, self.db_path, paths.seeds_dir(),
                            on_done=self._seeds_done, on_error=self._seeds_failed, writer=True)
        else:
            self.indexing.refresh()
            self._after_first_list.append(self.indexing.compute_entities)
        self._after_first_list.append(self.load_top_entities)

    def _seeds_done(self, report: Any) -> None:
        self.set_status_task("")
        timing_mark("seeds_imported")
        if report is not None and report.errors:
            log.warning("seed import problems: %s", report.errors)
        self.reload_list()
        self.indexing.refresh()
        self.indexing.compute_entities()

    def _seeds_failed(self, message: str) -> None:
        self.set_status_task("")
        self.statusBar().showMessage(f"Could not import the bundled articles: {message}", 15000)
        self.indexing.refresh()

    # ---- the list ----------------------------------------------------
    def reload_list(self) -> None:
        state = self.list_pane.filter_state()
        self.query = ctl.ListQuery(order=self.query.order, descending=self.query.descending,
                                   text=str(state["text"]), bookmarked=bool(state["bookmarked"]),
                                   has_notes=bool(state["has_notes"]), unread=bool(state["unread"]),
                                   tag=str(state["tag"]), entity=self.query.entity, only_ids=self.query.only_ids)
        self.runner.run("list", ctl.job_list_ids, self.db_path, self.query, on_done=self._list_loaded)

    def _list_loaded(self, result: tuple[ctl.ListQuery, list[str], list[str]]) -> None:
        query, ids, tags = result
        total = self.library.count()
        self.list_pane.set_tags(tags)
        self.list_pane.set_ids(ids, total, query.is_filtered)
        self.list_pane.set_scope(self.scope_text)
        self.set_library_size(total)
        self.list_loaded = True
        timing_mark("list_loaded")
        if self.current_id and self.list_pane.currentIndex() == 0:
            self.list_pane.select_id(self.current_id, emit=False)
        if self._want_first_article and ids:
            last = str(self.settings.value("window/last_article", "") or "")
            target = last if last in set(ids[:5000]) else ids[0]
            self._want_first_article = False
            if not self.list_pane.select_id(target):
                self.open_article(target)
        if total == 0:
            self.reader.set_placeholder("Nothing to read yet.")
            self.reader.show_article(None)
        if self._after_first_list:
            # Side work waits until the list and the first article are painted: on
            # 2 cores, started beside them it took the CPU (and the GIL) from the
            # first paint - the longest stall of a start at 10x (60-150 ms).
            QTimer.singleShot(FOLLOW_UP_DELAY_MS, self, self._run_after_first_list)

    def _run_after_first_list(self) -> None:
        jobs, self._after_first_list = self._after_first_list, []
        if self.runner.closed:  # the window closed meanwhile
            return
        for job in jobs:
            job()

    def _sort_requested(self, key: str, descending: bool) -> None:
        self.query = ctl.ListQuery(**{**self.query.__dict__, "order": key, "descending": descending})
        self.reload_list()

    def filter_by_entity(self, label: str, norm: str) -> None:
        self.query = ctl.ListQuery(**{**self.query.__dict__, "entity": (label, norm), "only_ids": None})
        self.scope_text = f"Articles mentioning {norm} ({entity_name(label)})"
        self.search_bar.clear()
        self.list_pane.show_library()
        self.reload_list()

    def clear_scope(self) -> None:
        self.query = ctl.ListQuery(**{**self.query.__dict__, "entity": None, "only_ids": None})
        self.scope_text = ""
        self.reload_list()

    # ---- the reader --------------------------------------------------
    def open_article(self, article_id: str) -> None:
        if article_id == self.current_id and self.reader.article is not None:
            self._highlight_search_hits()
            return
        self.save_read_position()
        article = self.library.article(article_id)
        if article is None:
            self.reader.show_article(None)
            self.current_id = None
            self.notes.article_opened()
            return
        self.current_id = article_id
        waiting = self.writes.pending("set_read_position", article_id)
        position = int(waiting[0]) if waiting else self.library.read_position(article_id)
        self.reader.show_article(article, position, self.marks.bookmarked(article_id))
        self.notes.article_opened()
        spans = self.library.entities(article_id)
        self.reader.set_entities(spans, self.entity_panel.visible_labels())
        backend = self.library.entity_backend(article_id)
        status = "" if backend or spans else ("Recognising entities…" if self.indexing.entities_running
                                             else "No entities recognised for this article.")
        self.entity_panel.set_spans(spans, status)
        if not self.indexing.entities_running:
            self.status_entities.setText(f"Entities: {backend[0]}" if backend else (
                "Entities: none yet" if ctl.entities_api() is not None else "Entities: unavailable"))
        self.setWindowTitle(f"{article.title or untitled_label(article.source, article.published)} — Reader")
        self.settings.setValue("window/last_article", article_id)
        row = self.library.rows([article_id]).get(article_id)
        if row is not None and not row.is_read and self.writes.pending("set_read", article_id) is None:
            self.writes.write("set_read", article_id, True,
                              on_done=lambda aid=article_id: self.list_pane.model.refresh_ids([aid]))
        timing_mark("article_rendered")
        self._highlight_search_hits()
        self.load_related()

    def save_read_position(self) -> None:
        if self.current_id and self.reader.article is not None:
            self.writes.write("set_read_position", self.current_id, self.reader.view.first_visible_offset())

    def _highlight_search_hits(self) -> None:
        query = self.search_bar.text().strip() if self.list_pane.currentIndex() == 1 else ""
        article = self.reader.article
        if not query or article is None or self.index is None:
            self.reader.clear_search_hits()
            return
        self.runner.run("match", ctl.job_match_spans, self.index, query, article.plain_text,
                        on_done=lambda spans, q=query, aid=article.id: self._hits_ready(q, aid, spans))

    def _hits_ready(self, query: str, article_id: str, spans: list[tuple[int, int]]) -> None:
        if article_id == self.current_id:
            self.reader.set_search_hits(query, spans)

    def load_related(self) -> None:
        if self.index is None or self.current_id is None:
            self.related_panel.set_hits([], "Related articles need the search index.")
            return
        self.runner.run("related", ctl.job_related, self.index, self.db_path, self.current_id, 10,
                        on_done=lambda hits: self.related_panel.set_hits(hits),
                        on_error=lambda msg: self.related_panel.set_hits([], f"Not available: {msg}"))

    def open_in_library(self, article_id: str) -> None:
        if not self.list_pane.select_id(article_id):
            self.open_article(article_id)

    def step_article(self, delta: int) -> None:
        self.list_pane.step(delta)

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

    # ---- delete (bookmarks and tags: self.marks) ------------------------
    def delete_selected(self, confirm: bool = True, delete_notes: bool = False) -> None:
        """Delete the selected articles (undoable).  Their notes are kept as
        orphans unless the user ticks "Also delete…" in the confirmation."""
        ids = self.list_pane.selected_ids()
        if not ids:
            return
        if confirm:
            answer = self.confirm_delete(ids)
            if answer is None:
                return
            delete_notes = answer
        next_row = min(self.list_pane.model.row_of(i) for i in ids)
        snaps = undo.delete_articles(self.library, ids, delete_notes)
        self.undo_stack.push(undo.DeleteArticles(self.library, snaps, delete_notes,
                                                 lambda gone: self._articles_deleted(gone, next_row),
                                                 self._articles_restored))
        self._articles_deleted([s.article.id for s in snaps], next_row)
        kept = sum(len(s.annotations) for s in snaps) if not delete_notes else 0
        note = f"; {kept} note(s) kept under Notes > All notes" if kept else ""
        self.statusBar().showMessage(f"Deleted {len(snaps)} article(s){note} — Edit > Undo (Ctrl+Z) restores them",
                                     10000)

    def confirm_delete(self, ids: list[str]) -> bool | None:
        """Ask before deleting; ``None``: cancelled, else whether to delete the notes too."""
        return confirm_delete(self, len(ids), sum(len(self.library.annotations(i)) for i in ids))

    def _articles_deleted(self, ids: list[str], next_row: int) -> None:
        self.list_pane.model.remove_ids(ids)
        if self.current_id in ids:
            self.current_id = None
            count = self.list_pane.model.rowCount()
            nxt = self.list_pane.model.id_at(min(next_row, count - 1)) if count else None
            if nxt is None or not self.list_pane.select_id(nxt):
                self.reader.show_article(None)
                self.notes.article_opened()
        self.notes.refresh_panel()
        self.set_library_size(self.library.count())
        self.indexing.refresh()

    def _articles_restored(self, restored: list[str]) -> None:
        self.statusBar().showMessage(f"Restored {len(restored)} article(s)", 5000)
        self.reload_list()
        self.notes.refresh_panel()
        self.indexing.update(restored)

    # ---- search ------------------------------------------------------
    def run_search(self, query: str) -> None:
        query = query.strip()
        if not query:
            self.leave_search()
            return
        if self.index is None:
            self.list_pane.show_results(query, [], 0, None, "Search is not available (no search index).")
            return
        self.list_pane.show_searching(query)
        if self._search_job:
            # One search at a time: a search cannot be stopped once sent, and
            # several at once (typing, or a query every 300 ms) only take turns
            # for the CPU.  The newest query runs when the running one ends.
            self._search_next = query
            return
        self._start_search(query)

    def _start_search(self, query: str) -> None:
        self._search_next = None
        self._search_job = self.runner.run(
            "search", ctl.job_search, self.index, self.db_path, query, self.list_pane.result_sort(),
            DEFAULTS.search_limit, on_done=self._search_finished,
            on_error=lambda msg, q=query: self._search_finished(None, q, msg))

    def _search_finished(self, result: Any, query: str = "", error: str = "") -> None:
        self._search_job = 0
        if self._search_next is not None:  # a newer query waits: this result is already stale
            self._start_search(self._search_next)
            return
        if result is None:
            self.list_pane.show_results(query, [], 0, None, error)
        else:
            self._search_done(result)

    def _search_done(self, result: Any) -> None:
        if self.search_bar.text().strip() == "":
            return
        hits = list(getattr(result, "hits", ()))
        self.list_pane.show_results(result.query, hits, int(getattr(result, "total", len(hits))),
                                    getattr(result, "suggestion", None), getattr(result, "error", None))
        timing_mark("search_done")
        if self.current_id in {h.id for h in hits}:
            self._highlight_search_hits()

    def leave_search(self) -> None:
        self._search_next = None
        self.list_pane.show_library()
        self.reader.clear_search_hits()
        if self.current_id:
            self.list_pane.select_id(self.current_id, emit=False)

    # ---- index and entities (run by self.indexing) ---------------------
    def index_refreshed(self) -> None:
        """The index is up to date: what shows index results asks again."""
        timing_mark("index_ready")
        if self.current_id:
            self.load_related()
        if self.list_pane.currentIndex() == 1 and self.search_bar.text().strip():
            self.run_search(self.search_bar.text())

    def entities_changed(self) -> None:
        """The entities pass stored new entities: show them."""
        self.load_top_entities()
        if self.current_id:
            spans = self.library.entities(self.current_id)
            self.reader.set_entities(spans, self.entity_panel.visible_labels())
            self.entity_panel.set_spans(spans)

    def load_top_entities(self) -> None:
        self.runner.run("top_entities", ctl.job_top_entities, self.db_path, self.top_panel.labels(), 100,
                        on_done=self.top_panel.set_rows)

    def after_import(self, report: Any) -> None:
        self.reload_list()
        changed = list(report.changed_ids)
        current = self.current_id
        if current is not None and current in changed:  # its text may have changed: show it again
            self.current_id = None
            self.open_article(current)
        else:
            self.notes.refresh_panel()
        if changed:
            self._want_first_article = self.current_id is None
            self.indexing.articles_changed(changed)

    # ---- theme, state ------------------------------------------------
    def set_theme(self, name: str) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            self.theme = apply_theme(app, name)
        self.settings.setValue("ui/theme", name)
        self.reader.set_dark(self.theme.dark)
        self.entity_panel.set_dark(self.theme.dark)
        self.notes.set_dark(self.theme.dark)
        action = self.actions_by_name.get(f"theme_{name}")
        if action is not None:
            action.setChecked(True)

    def set_library_size(self, total: int) -> None:
        """The status bar's one place for the library's size (the list's footer
        only speaks up when filters hide some articles)."""
        self.status_size.setText(f"Library: {total:,} article{'s' if total != 1 else ''}")

    def set_status_task(self, text: str) -> None:
        self.status_task.setText(text)

    def _restore_state(self) -> None:
        geometry = self.settings.value("window/geometry")
        if geometry:
            self.restoreGeometry(geometry)
        state = self.settings.value("window/state")
        if state:
            self.restoreState(state)
        splitter = self.settings.value("window/splitter")
        if splitter:
            self.splitter.restoreState(splitter)
        self.set_theme(str(self.settings.value("ui/theme", DEFAULTS.theme)))

    def save_state(self) -> None:
        self.save_read_position()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.sync()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        QTimer.singleShot(0, self.hide_stray_tab_bars)

    def hide_stray_tab_bars(self) -> None:
        """Qt 6.11 leaves a spare dock tab bar ("Related articles | Library entities")
        shown behind the central widget after tabifyDockWidget; it shows through
        the empty state.  Dock tab bars never overlap the central area: hide those that do."""
        central = self.centralWidget().geometry()
        for bar in self.findChildren(QTabBar):
            if bar.parent() is self and bar.isVisible() and bar.geometry().intersects(central):
                bar.hide()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.save_state()
        self.writes.flush()
        self.runner.shutdown()
        close_index = getattr(self.index, "close", None)  # the search process, when there is one
        if close_index is not None:
            close_index()
        if self.stall_monitor is not None:
            self.stall_monitor.stop()
        super().closeEvent(event)

    # ---- drag and drop, keys -----------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if paths_from_mime(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        sources = paths_from_mime(event.mimeData())
        if sources:
            event.acceptProposedAction()
            self.importer.import_paths(sources)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Escape and self.list_pane.currentIndex() == 1:
            self.search_bar.clear()
            return
        super().keyPressEvent(event)
