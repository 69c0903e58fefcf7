"""The main window: it builds the components, hands each what it uses, lays
them out and wires their signals - nothing else.

Components talk through one change bus (:class:`~reader.ui.events.LibraryEvents`):
the list (``list_controller``), the open article (``session``, ``reading``),
search (``search_controller``), notes (``annotating``), bookmarks and tags
(``marking``), deletes, imports, links and feeds, the index and the entities
pass, the status bar and the watcher of other processes' changes.  Each makes
its own actions; :mod:`reader.ui.menus` arranges them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeyEvent, QShowEvent, QUndoStack
from PySide6.QtWidgets import QDockWidget, QMainWindow, QSplitter, QTabBar, QToolBar

from reader import paths
from reader.settings import DEFAULTS
from reader.store import Library
from reader.ui.actions import Std, set_keys
from reader.ui.annotating import AnnotationController
from reader.ui.article_actions import ArticleActions
from reader.ui.deleting import DeleteController
from reader.ui.events import LibraryEvents
from reader.ui.feeds import FeedsController
from reader.ui.importing import ImportController, paths_from_mime
from reader.ui.indexing import IndexingController
from reader.ui.layout_policy import CompactLayout
from reader.ui.library_entities import TopEntitiesController
from reader.ui.links import LinkController, web_urls_from_mime
from reader.ui.list_controller import ListController
from reader.ui.marking import MarkingController
from reader.ui.menus import build_menus
from reader.ui.panels.annotation_panel import AnnotationPanel
from reader.ui.panels.entity_panel import EntityPanel
from reader.ui.panels.feeds_panel import FeedsPanel
from reader.ui.panels.library_panels import RelatedPanel, TopEntitiesPanel
from reader.ui.reading import ReadMarker
from reader.ui.search_backend import QUERY_HELP, SearchBackend, close_backend, open_search_backend
from reader.ui.search_controller import SearchController
from reader.ui.session import ArticleSession
from reader.ui.shell import WindowShell
from reader.ui.status import StatusPanel
from reader.ui.theme import ThemeState
from reader.ui.timing import mark_index_ready, shorten_gil_switch_interval, timing_mark
from reader.ui.views.list_pane import ListPane
from reader.ui.views.reader_pane import ReaderPane
from reader.ui.views.search_bar import SearchBar
from reader.ui.watcher import ExternalChanges
from reader.ui.workers import StallMonitor, TaskRunner
from reader.ui.writes import GuiWrites

DOCKS = (("entities", "Entities"), ("notes", "Notes"), ("related", "Related articles"),
         ("library_entities", "Library entities"), ("feeds", "Feeds"))


class MainWindow(QMainWindow):
    """Reader's main window over one library.

    ``index``: the search backend to use (default: a search process over the
    app's index; ``search=False``: none).  ``recognise=False`` leaves out the
    entities pass (tests whose entities are their own)."""

    def __init__(self, library: Library, *, settings: QSettings | None = None, index: SearchBackend | None = None,
                 search: bool = True, recognise: bool = True, start_background: bool = True,
                 import_seeds: bool = True, debug_stalls: bool = False) -> None:
        super().__init__()
        shorten_gil_switch_interval()
        assert library.path is not None, "the window needs a library file (workers reopen it)"
        self.library, self.db_path = library, Path(library.path)
        self.settings = settings or QSettings()
        self.events = LibraryEvents(self)
        self.runner = TaskRunner(self, default_error=self.events.fail)
        self.writes = GuiWrites(library, self)  # small writes that never wait for the database
        self.index = index if index is not None or not search else open_search_backend(paths.index_dir())
        self.undo_stack = QUndoStack(self)
        self._seeding = False  # the bundled articles are being imported (they start the entities pass)
        self._build_widgets()
        self._build_components(recognise)
        self._wire()
        self._restore_state()
        self.stall_monitor: StallMonitor | None = None
        if debug_stalls:
            self.stall_monitor = StallMonitor(DEFAULTS.stall_log_ms, parent=self)
            self.stall_monitor.start()
        if start_background:
            QTimer.singleShot(0, lambda: self.start_background(import_seeds))

    # ---- construction ------------------------------------------------
    def _build_widgets(self) -> None:
        self.setWindowTitle("Reader")
        self.setAcceptDrops(True)
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks)
        self.search_bar = SearchBar(self, self.settings, QUERY_HELP)
        self.search_bar.setMaximumWidth(640)
        toolbar = QToolBar("Search", self)
        toolbar.setObjectName("searchToolbar")
        toolbar.setMovable(False)
        toolbar.addWidget(self.search_bar)
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
        self.annotation_panel = AnnotationPanel(self)
        self.related_panel = RelatedPanel(self)
        self.top_panel = TopEntitiesPanel(self)
        self.docks: dict[str, QDockWidget] = {}
        self.feeds_panel = FeedsPanel(self)  # (the library sidebar, on the left)
        widgets = (self.entity_panel, self.annotation_panel, self.related_panel, self.top_panel, self.feeds_panel)
        left = Qt.DockWidgetArea.LeftDockWidgetArea
        for (name, title), widget in zip(DOCKS, widgets, strict=True):
            dock = QDockWidget(title, self)
            dock.setObjectName(f"dock_{name}")
            dock.setWidget(widget)
            self.addDockWidget(left if name == "feeds" else Qt.DockWidgetArea.RightDockWidgetArea, dock)
            self.docks[name] = dock
        self.tabifyDockWidget(self.docks["entities"], self.docks["notes"])
        self.tabifyDockWidget(self.docks["related"], self.docks["library_entities"])
        self.docks["entities"].raise_()
        self.docks["related"].raise_()
        self.status_panel = StatusPanel(self.statusBar(), self.events, self)
        self.status_size, self.status_index = self.status_panel.size, self.status_panel.index
        self.status_entities, self.status_task = self.status_panel.entities, self.status_panel.task
        self.resize(1280, 800)

    def _build_components(self, recognise: bool) -> None:
        lib, db, run, ev, st, lp = self.library, self.db_path, self.runner, self.events, self.settings, self.list_pane
        self.indexing = IndexingController(self.index, db, run, ev, st, lib.count, recognise=recognise, parent=self)
        self.lists = ListController(db, run, ev, st, self.list_pane)
        self.marks = MarkingController(lib, self.writes, ev, self.list_pane.selected_ids, self)
        self.session = ArticleSession(lib, self.writes, run, ev, st, self.reader, self.entity_panel,
                                      self.related_panel, self.index, bookmarked=self.marks.bookmarked,
                                      entities_running=lambda: self.indexing.entities_running)
        self.search = SearchController(self.index, db, run, ev, self.search_bar, self.list_pane, self.reader)
        self.notes = AnnotationController(lib, self.writes, run, ev, st, self.reader, self.annotation_panel,
                                          self.undo_stack, self, self.docks["notes"])
        self.rows = ArticleActions(lib, self.writes, ev, self.list_pane.selected_ids, self.list_pane.table, self)
        self.deleting = DeleteController(lib, run, ev, self.undo_stack, self.list_pane.selected_ids, self)
        self.importer = ImportController(db, run, ev, st, self)
        self.top_entities = TopEntitiesController(db, run, ev, self.top_panel)
        self.feeds = FeedsController(lib, run, ev, st, self.feeds_panel, self.undo_stack, lp.selected_ids, self)
        self.links = LinkController(db, run, ev, self)
        self.read_marker = ReadMarker(lib, self.writes, ev, st, self.reader.view)
        self.shell = WindowShell(self, st, self.docks)
        self.compact = CompactLayout(self, self.splitter, self.docks)
        self.watcher = ExternalChanges(lib, ev, run.writing, self)
        undo_redo = {"undo": self.undo_stack.createUndoAction(self, "&Undo"),
                     "redo": self.undo_stack.createRedoAction(self, "&Redo")}
        set_keys(undo_redo["undo"], [Std.Undo])
        set_keys(undo_redo["redo"], [Std.Redo, "Ctrl+Shift+Z"])
        self.actions_by_name: dict[str, QAction] = {}
        for part in (self.importer.actions, self.notes.actions, self.indexing.actions, undo_redo,
                     self.session.actions, self.search.actions, self.lists.actions, self.marks.actions,
                     self.deleting.actions, self.rows.actions, self.feeds.actions, self.links.actions,
                     self.shell.actions):
            self.actions_by_name.update(part)
        for action in self.actions_by_name.values():
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(action)
        build_menus(self.menuBar(), self.actions_by_name)
        self.rows.use(self.actions_by_name)

    def _wire(self) -> None:
        """The components' own signals, connected in one place."""
        lp, session = self.list_pane, self.session
        lp.article_selected.connect(session.open)
        lp.result_selected.connect(session.open)
        lp.star_clicked.connect(self.marks.toggle)
        self.rows.open_requested.connect(session.open)
        self.reader.bookmark_toggled.connect(lambda: self.marks.toggle())
        self.marks.shown.connect(session.bookmarks_shown)
        self.lists.open_requested.connect(session.open)
        self.lists.loaded.connect(lambda ids, total: self.status_panel.set_library_size(total))
        self.lists.loaded.connect(session.list_loaded)
        self.lists.loaded.connect(lambda ids, total: timing_mark("list_loaded"))
        self.lists.first_shown.connect(self._after_first_list)
        self.notes.open_requested.connect(self.lists.open_in_library)
        self.related_panel.open_requested.connect(self.lists.open_in_library)
        for signal in (self.entity_panel.list_articles_requested, self.top_panel.filter_requested):
            signal.connect(lambda _label, _norm: self.search_bar.clear())  # (back to the library first)
            signal.connect(self.lists.filter_by_entity)
            signal.connect(self.feeds.clear_view)
        self.feeds.view_requested.connect(self.lists.show_ids)
        self.feeds.view_cleared.connect(self.lists.clear_scope)
        lp.clear_scope_requested.connect(self.feeds.clear_view)
        self.shell.theme_changed.connect(self.reader.set_dark)
        self.shell.theme_changed.connect(self.entity_panel.set_dark)
        self.shell.theme_changed.connect(self.notes.set_dark)
        self.events.current_article.connect(
            lambda aid: self.setWindowTitle(f"{session.title} — Reader" if aid else "Reader"))
        self.events.index_state.connect(mark_index_ready)

    # ---- startup -----------------------------------------------------
    def start_background(self, import_seeds: bool = True) -> None:
        """List first (so the window has content at once), then seeds, index and entities."""
        self.lists.reload()
        self._seeding = import_seeds and self.library.get_meta("seeds_imported") != "1"
        if self._seeding:
            self.importer.import_seeds()  # (its articles then get indexed and recognised)
        self.indexing.refresh()  # (after the seeds: the writer pool runs one job at a time)
        self.watcher.start()
        self.feeds.start()  # (the sidebar, and a refresh of the feeds that are due)

    def _after_first_list(self) -> None:
        if not self._seeding:
            self.indexing.compute_entities()
        self.top_entities.load()

    # ---- the public face used by the app and its tests -------------------
    @property
    def current_id(self) -> str | None:
        """The open article."""
        return self.session.current_id

    @property
    def list_loaded(self) -> bool:
        return self.lists.is_loaded

    def set_theme(self, name: str) -> None:
        self.shell.set_theme(name)

    @property
    def theme(self) -> ThemeState:
        return self.shell.theme

    # ---- state -----------------------------------------------------------
    def _restore_state(self) -> None:
        for key, restore in (("window/geometry", self.restoreGeometry), ("window/state", self.restoreState),
                             ("window/splitter", self.splitter.restoreState)):
            value = self.settings.value(key)
            if value:
                restore(value)
        self.shell.set_theme(str(self.settings.value("ui/theme", DEFAULTS.theme)))

    def save_state(self) -> None:
        self.session.save_read_position()
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
        self.watcher.stop()
        self.save_state()
        self.writes.flush()
        self.runner.shutdown()
        close_backend(self.index)  # the search process, when there is one
        if self.stall_monitor is not None:
            self.stall_monitor.stop()
        super().closeEvent(event)

    # ---- drag and drop, keys -----------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if paths_from_mime(event.mimeData()) or web_urls_from_mime(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        sources, links = paths_from_mime(event.mimeData()), web_urls_from_mime(event.mimeData())
        if sources or links:
            event.acceptProposedAction()
            _ = self.importer.import_paths(sources) if sources else self.links.add(links)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Escape and self.search.escape():
            return
        super().keyPressEvent(event)
