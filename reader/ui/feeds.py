"""The Feeds sidebar's controller: subscriptions, their views (a feed, All
unread, Today) filtering the article list, read marks, undoable removal, OPML
import/export, and the background refresh at start and every N minutes.

Every refresh runs :func:`~reader.jobs.feeds.refresh_in_process` from a
worker (the GUI never waits for the network nor for the parser's GIL); its
progress goes to the status bar and what it brought to the change bus
(``articles_changed(ids, ADDED)`` and ``feeds_changed``)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from reader.feeds.refresh import RefreshReport
from reader.settings import DEFAULTS
from reader.store import Library
from reader.store.feeds import Feed, FeedSnapshot
from reader.ui.actions import make_action
from reader.ui.events import LibraryEvents, What
from reader.ui.feed_jobs import (
    job_export_opml,
    job_feed_state,
    job_feed_view_ids,
    job_import_opml,
    job_mark_view_read,
    job_refresh,
    job_remove_feed,
    job_subscribe,
)
from reader.ui.panels.feeds_panel import ALL_UNREAD, TODAY, FeedsPanel
from reader.ui.undo import Change, StepRunner
from reader.ui.workers import TaskRunner

#: settings key of the minutes between background refreshes (0: only at start and on request)
REFRESH_KEY = "feeds/refresh_minutes"


class SubscribeDialog(QDialog):
    """Asks for a feed's address, or a site's page (its feed is found there)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("subscribeDialog")
        self.setWindowTitle("Subscribe to feed")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("The address of a feed (RSS, Atom, JSON Feed) or of a site that has one:"))
        form = QFormLayout()
        self.url = QLineEdit()
        self.url.setObjectName("subscribeUrl")
        self.url.setPlaceholderText("https://example.com/ or https://example.com/feed.xml")
        self.name = QLineEdit()
        self.name.setObjectName("subscribeName")
        self.name.setPlaceholderText("(the feed's own title)")
        form.addRow("Address:", self.url)
        form.addRow("Name:", self.name)
        layout.addLayout(form)
        self.message = QLabel("")
        self.message.setObjectName("subscribeMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Subscribe")
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(520, 180)

    def _accept(self) -> None:
        url = self.url.text().strip()
        if not url.lower().startswith(("http://", "https://")):
            self.message.setText(f"{url or '(empty)'}: not a web address (it starts with http:// or https://)")
            return
        self.accept()

    @property
    def values(self) -> tuple[str, str | None]:
        return self.url.text().strip(), (self.name.text().strip() or None)


class FeedsController(QObject):
    """Keeps :class:`FeedsPanel` up to date and does what its actions ask."""

    #: list these articles (the view's ids) under this scope text
    view_requested = Signal(list, str)
    #: the sidebar's view was cleared: the list shows the library again
    view_cleared = Signal()

    def __init__(self, library: Library, runner: TaskRunner, events: LibraryEvents, settings: QSettings,
                 panel: FeedsPanel, undo_stack: QUndoStack, selected_ids: object, parent: QWidget) -> None:
        super().__init__(parent)
        assert library.path is not None
        self.db_path: Path = library.path
        self.runner, self.events, self.settings, self.panel = runner, events, settings, panel
        self.undo_stack, self.selected_ids, self.parent_widget = undo_stack, selected_ids, parent
        self.steps = StepRunner(self.db_path, runner, events)
        self.feeds: list[Feed] = []
        self.refresh_job = 0
        self.last_report: RefreshReport | None = None
        self.subscribe_dialog: SubscribeDialog | None = None
        self._started = False
        self._state_timer = QTimer(self)  # (many changes in a row: one reload of the counts)
        self._state_timer.setSingleShot(True)
        self._state_timer.setInterval(250)
        self._state_timer.timeout.connect(self.load)
        self.timer = QTimer(self)
        self.timer.timeout.connect(lambda: self.refresh(force=False))
        a = make_action
        self.actions = {
            "feed_subscribe": a(self, "&Subscribe to feed…", self.ask_subscribe, ["Ctrl+Shift+F"],
                                "Subscribe to a feed, or to a site's feed"),
            "feed_refresh": a(self, "&Refresh feeds", lambda: self.refresh(force=True), ["F5"],
                              "Fetch every feed now"),
            "feed_remove": a(self, "&Unsubscribe from feed", self.remove_current, [],
                             "Remove the selected feed (its articles stay; Undo brings it back)"),
            "feed_mark_all_read": a(self, "Mark &all read", self.mark_view_read, ["Shift+A"],
                                    "Mark every article of the selected feed (or of all feeds) read"),
            "import_opml": a(self, "Import subscriptions (OPML)…", self.choose_opml_import, [],
                             "Subscribe to the feeds of an OPML file (NetNewsWire, Feedly, Miniflux…)"),
            "export_opml": a(self, "Export subscriptions (OPML)…", self.choose_opml_export, [],
                             "Save every subscription as an OPML file"),
        }
        panel.menu_actions = [self.actions["feed_refresh"], self.actions["feed_mark_all_read"], None,
                              self.actions["feed_subscribe"], self.actions["feed_remove"]]
        panel.view_selected.connect(self.show_view)
        # the sidebar shows once there are subscriptions (View > Feeds shows it any time)
        self.dock = panel.parentWidget() if isinstance(panel.parentWidget(), QDockWidget) else None
        if self.dock is not None:
            self.dock.hide()
        events.feeds_changed.connect(self._state_timer.start)
        events.articles_changed.connect(self._articles_changed)

    # ---- state -----------------------------------------------------------
    def start(self) -> None:
        """Load the sidebar, refresh the feeds that are due, and every N minutes."""
        self._started = True
        minutes = int(self.settings.value(REFRESH_KEY, DEFAULTS.feed_refresh_minutes))
        if minutes > 0:
            self.timer.start(minutes * 60_000)
        self.runner.run("feed_state", job_feed_state, self.db_path, on_done=self._first_state)

    def load(self) -> None:
        self.runner.run("feed_state", job_feed_state, self.db_path, on_done=self._state)

    def _first_state(self, state: tuple[list[Feed], int, int]) -> None:
        self._state(state)
        if self.feeds and self.dock is not None:
            self.dock.show()
        if self.feeds:  # (no feeds: no process to start)
            self.refresh(force=False)

    def _state(self, state: tuple[list[Feed], int, int]) -> None:
        self.feeds, all_unread, today = state
        self.panel.set_feeds(self.feeds, all_unread, today)

    def _articles_changed(self, _ids: list[str], what: str) -> None:
        if what in (What.READ, What.DELETED, What.RESTORED, What.ADDED, What.EXTERNAL):
            self._state_timer.start()

    def feed(self, feed_id: int | None) -> Feed | None:
        return next((f for f in self.feeds if f.id == feed_id), None)

    # ---- views -----------------------------------------------------------
    def show_view(self, view: object) -> None:
        """List the articles of a view (``None``: back to the whole library)."""
        if view is None:
            self.view_cleared.emit()
            return
        if view == ALL_UNREAD:
            scope = "All unread feed articles"
        elif view == TODAY:
            scope = "Feed articles that came today"
        else:
            feed = self.feed(view)  # type: ignore[arg-type]
            scope = f"Feed: {feed.display_title}" if feed else "Feed"
        self.runner.run("feed_view", job_feed_view_ids, self.db_path, view,
                        on_done=lambda ids: self.view_requested.emit(ids, scope))

    def clear_view(self, *_args: object) -> None:
        """The list left the view (its scope was cleared): no view selected."""
        self.panel.select_view(None, emit=False)

    # ---- refresh ---------------------------------------------------------
    @property
    def refreshing(self) -> bool:
        return self.refresh_job != 0

    def refresh(self, feed_ids: list[int] | None = None, *, force: bool = True) -> int:
        """Refresh ``feed_ids`` (all) in the background; ``force``: also those not due."""
        if self.refreshing:
            if force:
                self.events.info("Feeds are being refreshed already.")
            return 0
        if not self.feeds and feed_ids is None:
            if force:
                self.events.info("No subscriptions to refresh: File › Subscribe to feed… adds one.")
            return 0
        self.events.busy("Refreshing feeds…")
        self.refresh_job = self.runner.run(
            "feed_refresh", job_refresh, self.db_path, tuple(feed_ids) if feed_ids is not None else None, force,
            on_done=self._refreshed, on_error=self._refresh_failed, on_progress=self._refresh_progress, writes=True)
        return self.refresh_job

    def _refresh_progress(self, done: int, total: int, name: str) -> None:
        self.events.busy(f"Refreshing feeds {done}/{total}" + (f": {name}" if name else ""))

    def _refreshed(self, report: RefreshReport) -> None:
        self.refresh_job = 0
        self.last_report = report
        self.events.busy("")
        failed = report.failed
        if failed:
            first = failed[0]
            more = f" (and {len(failed) - 1} more)" if len(failed) > 1 else ""
            self.events.warn(f"Feeds: {report.summary()}. {first.title}: {first.error}{more}")
        elif any(o.status != "not_due" for o in report.outcomes):
            self.events.done(f"Feeds: {report.summary()}")
        if report.changed_ids:
            self.events.articles_changed.emit(report.changed_ids, What.ADDED)
            if self.panel.current_view() is not None:  # (the view lists what came)
                self.show_view(self.panel.current_view())
        self.events.feeds_changed.emit()

    def _refresh_failed(self, message: str) -> None:
        self.refresh_job = 0
        self.events.busy("")
        self.events.warn(f"Feed refresh failed: {message}")
        self.events.feeds_changed.emit()  # (what it stored before failing stays)

    # ---- subscribe / remove -------------------------------------------------
    def ask_subscribe(self) -> None:
        dialog = SubscribeDialog(self.parent_widget)
        self.subscribe_dialog = dialog
        dialog.accepted.connect(lambda: self.subscribe(*dialog.values))
        dialog.open()

    def subscribe(self, url: str, name: str | None = None) -> int:
        self.events.busy(f"Subscribing to {url}…")
        return self.runner.run("feed_subscribe", job_subscribe, self.db_path, url, name, keep_all=True,
                               on_done=self._subscribed, on_error=self._subscribe_failed, writes=True)

    def _subscribed(self, feed: Feed) -> None:
        self.events.busy("")
        self.events.done(f"Subscribed to {feed.display_title}")
        self.feeds = [*self.feeds, feed]
        if self.dock is not None:
            self.dock.show()
        self.events.feeds_changed.emit()
        self.refresh([feed.id], force=True)

    def _subscribe_failed(self, message: str) -> None:
        self.events.busy("")
        self.events.fail("Could not subscribe", message)

    def remove_current(self) -> None:
        feed = self.feed(self.panel.current_feed())
        if feed is None:
            self.events.info("Select a feed in the Feeds list to unsubscribe from it.")
            return
        self.runner.run("feed_remove", job_remove_feed, self.db_path, feed.id, writes=True, keep_all=True,
                        on_done=lambda snap: self._removed(snap))

    def _removed(self, snapshot: FeedSnapshot | None) -> None:
        if snapshot is None:
            return
        title = snapshot.feed.display_title
        feed_id = snapshot.feed.id

        def apply(lib: Library) -> list[str]:
            lib.feeds.remove_for_undo(feed_id)
            return []

        def revert(lib: Library) -> list[str]:
            lib.feeds.restore(snapshot)
            return []

        self.undo_stack.push(Change(f"Unsubscribe from {title}", apply, revert, self.steps,
                                    lambda _ids: self.events.feeds_changed.emit()))
        self.panel.select_view(None)
        self.events.info(f"Unsubscribed from {title} (its articles stay; Undo subscribes again)")
        self.events.feeds_changed.emit()

    # ---- read marks --------------------------------------------------------
    def mark_view_read(self) -> None:
        view = self.panel.current_view()
        self.runner.run("mark_read", job_mark_view_read, self.db_path, view, writes=True, keep_all=True,
                        on_done=self._marked)

    def _marked(self, ids: list[str]) -> None:
        if ids:
            self.events.articles_changed.emit(ids, What.READ)
        self.events.feeds_changed.emit()

    # ---- OPML ------------------------------------------------------------------
    def choose_opml_import(self) -> None:
        start = str(self.settings.value("feeds/opml_dir", str(Path.home())))
        path, _ = QFileDialog.getOpenFileName(self.parent_widget, "Import subscriptions", start,
                                              "OPML (*.opml *.xml);;All files (*)")
        if path:
            self.settings.setValue("feeds/opml_dir", str(Path(path).parent))
            self.import_opml(path)

    def import_opml(self, path: str) -> int:
        return self.runner.run("opml", job_import_opml, self.db_path, path, writes=True, keep_all=True,
                               on_done=self._opml_imported,
                               on_error=lambda msg: self.events.fail("Could not import the subscriptions", msg))

    def _opml_imported(self, result: tuple[int, int, list[str]]) -> None:
        added, known, problems = result
        text = f"OPML: {added} feeds added, {known} already subscribed"
        if problems:
            self.events.warn(f"{text}, {len(problems)} failed: {problems[0]}")
        else:
            self.events.done(text)
        self.events.feeds_changed.emit()
        if added:
            self._state_timer.stop()
            self.runner.run("feed_state", job_feed_state, self.db_path, on_done=self._first_state)

    def choose_opml_export(self) -> None:
        start = str(self.settings.value("feeds/opml_dir", str(Path.home())))
        path, _ = QFileDialog.getSaveFileName(self.parent_widget, "Export subscriptions",
                                              str(Path(start) / "subscriptions.opml"), "OPML (*.opml)")
        if path:
            self.settings.setValue("feeds/opml_dir", str(Path(path).parent))
            self.export_opml(path)

    def export_opml(self, path: str) -> int:
        return self.runner.run("opml", job_export_opml, self.db_path, path, keep_all=True,
                               on_done=lambda n: self.events.done(f"Exported {n} subscriptions to {path}"),
                               on_error=lambda msg: self.events.fail("Could not export the subscriptions", msg))
