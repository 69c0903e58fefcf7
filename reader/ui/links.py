"""File > Add from link (Ctrl+L), pasting a web address into the window and
dropping a link from a browser: each page is fetched and imported in the
background (:func:`reader.jobs.links.add_links_in_process`), with progress
and a result per address (what was added, or why it failed)."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reader.net.links import AddReport, split_urls
from reader.ui.actions import Std, make_action
from reader.ui.events import LibraryEvents, What
from reader.ui.feed_jobs import job_add_links
from reader.ui.workers import TaskRunner


def web_urls(text: str) -> list[str]:
    """The http(s) addresses in pasted or dropped text, once each, in order."""
    found = [u for u in split_urls([text]) if u.lower().startswith(("http://", "https://"))]
    return list(dict.fromkeys(found))


def web_urls_from_mime(mime: QMimeData) -> list[str]:
    """Links dropped from a browser (text/uri-list, else a plain-text address)."""
    urls = [u.toString() for u in mime.urls() if u.scheme() in ("http", "https")]
    if not urls and mime.hasText() and not mime.urls():
        urls = web_urls(mime.text())
    return list(dict.fromkeys(urls))


def focus_takes_text() -> bool:
    """Whether the focus is in an editable text field (Ctrl+V is its own paste there)."""
    widget = QApplication.focusWidget()
    if isinstance(widget, QLineEdit):
        return not widget.isReadOnly()
    if isinstance(widget, (QPlainTextEdit, QTextEdit)):
        return not widget.isReadOnly()
    return False


class AddLinksDialog(QDialog):
    """Addresses in, a result per address out."""

    add_requested = Signal(list)  # urls
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("addLinksDialog")
        self.setWindowTitle("Add from link")
        self.setModal(False)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Web addresses of articles, one per line (or separated by spaces):"))
        self.edit = QPlainTextEdit()
        self.edit.setObjectName("linksEdit")
        self.edit.setPlaceholderText("https://www.example.com/news/a-story")
        self.edit.setTabChangesFocus(True)
        layout.addWidget(self.edit, 1)
        self.message = QLabel("")
        self.message.setObjectName("linksMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.progress = QProgressBar()
        self.progress.setObjectName("linksProgress")
        self.progress.hide()
        layout.addWidget(self.progress)
        self.results = QTreeWidget()
        self.results.setObjectName("linksResults")
        self.results.setHeaderLabels(["Result", "Address", "Title or error"])
        self.results.setRootIsDecorated(False)
        self.results.setAlternatingRowColors(True)
        self.results.setColumnWidth(0, 90)
        self.results.setColumnWidth(1, 260)
        self.results.hide()
        layout.addWidget(self.results, 2)
        self.buttons = QDialogButtonBox()
        self.add_button = QPushButton("&Add")
        self.add_button.setObjectName("linksAdd")
        self.add_button.setDefault(True)
        self.buttons.addButton(self.add_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.add_button.clicked.connect(self._add)
        self.close_button.clicked.connect(self._close_or_cancel)
        layout.addWidget(self.buttons)
        self.running = False
        self.resize(680, 420)

    def _add(self) -> None:
        text = self.edit.toPlainText()
        urls = web_urls(text)
        others = [u for u in split_urls([text]) if u not in urls]
        if others:
            self.message.setText(f"{others[0]}: not a web address (it starts with http:// or https://)")
            return
        if not urls:
            self.message.setText("Type or paste at least one web address.")
            return
        self.add_requested.emit(urls)

    def _close_or_cancel(self) -> None:
        if self.running:
            self.cancel_requested.emit()
        else:
            self.close()

    def start(self, urls: list[str]) -> None:
        """Show ``urls`` as waiting; the fetch has started."""
        self.running = True
        self.edit.setPlainText("\n".join(urls))
        self.edit.setReadOnly(True)
        self.add_button.setEnabled(False)
        self.close_button.setText("Cancel")
        self.message.setText(f"Fetching {len(urls)} page(s)…")
        self.progress.setRange(0, len(urls))
        self.progress.setValue(0)
        self.progress.show()
        self.results.clear()
        for url in urls:
            QTreeWidgetItem(self.results, ["waiting", url, ""])
        self.results.show()

    def progressed(self, done: int, total: int, url: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        for row in range(self.results.topLevelItemCount()):
            item = self.results.topLevelItem(row)
            if item.text(1) == url and item.text(0) == "waiting":
                item.setText(0, "fetching…")

    def finished(self, report: AddReport | None, error: str = "") -> None:
        self.running = False
        self.edit.setReadOnly(False)
        self.add_button.setEnabled(True)
        self.close_button.setText("Close")
        self.progress.hide()
        if report is None:
            self.message.setText(f"Nothing was added: {error}")
            return
        by_url = {r.url: r for r in report.results}
        for row in range(self.results.topLevelItemCount()):
            item = self.results.topLevelItem(row)
            result = by_url.get(item.text(1))
            if result is None:
                item.setText(0, "cancelled" if report.cancelled else "not tried")
            elif result.ok:
                item.setText(0, result.outcome or "added")
                item.setText(2, result.title or "")
            else:
                item.setText(0, "failed")
                item.setText(2, result.error or "")
                item.setForeground(0, Qt.GlobalColor.red)
            item.setToolTip(2, item.text(2))
        self.message.setText(f"{report.summary().capitalize()}.")
        self.edit.clear()


class LinkController(QObject):
    """Adds links for the window, one batch at a time."""

    finished = Signal(object)  # AddReport

    def __init__(self, db_path: object, runner: TaskRunner, events: LibraryEvents, parent: QWidget) -> None:
        super().__init__(parent)
        self.db_path, self.runner, self.events, self.parent_widget = db_path, runner, events, parent
        self.dialog: AddLinksDialog | None = None
        self.job_id = 0
        self.last_report: AddReport | None = None
        self.actions = {
            "add_link": make_action(self, "Add from &link…", self.show_dialog, ["Ctrl+L"],
                                    "Fetch web pages by their address and import their articles"),
            "paste_link": make_action(self, "&Paste link", self.paste, [Std.Paste],
                                      "Add the web address on the clipboard"),
        }

    def show_dialog(self) -> AddLinksDialog:
        if self.dialog is None:
            self.dialog = AddLinksDialog(self.parent_widget)
            self.dialog.add_requested.connect(self.add)
            self.dialog.cancel_requested.connect(self.cancel)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        if not self.dialog.running:
            self.dialog.edit.setFocus()
        return self.dialog

    def paste(self) -> None:
        """Ctrl+V outside a text field: add the clipboard's web addresses."""
        if focus_takes_text():
            return
        urls = web_urls(QGuiApplication.clipboard().text())
        if not urls:
            self.events.info("Nothing to add: the clipboard holds no web address.")
            return
        self.add(urls)

    def add(self, urls: list[str]) -> int:
        """Fetch and import ``urls`` (each once) in the background, shown in the dialog."""
        urls = list(dict.fromkeys(urls))
        dialog = self.show_dialog()
        if self.job_id:
            self.events.info("Links are being added already; wait for them or cancel.")
            return 0
        dialog.start(urls)
        self.events.busy(f"Adding {len(urls)} link(s)…")
        self.job_id = self.runner.run("add_links", job_add_links, self.db_path, tuple(urls), writes=True,
                                      on_done=self._done, on_error=self._failed, on_progress=self._progressed)
        return self.job_id

    def cancel(self) -> None:
        if self.job_id:
            self.runner.cancel(self.job_id)

    def _progressed(self, done: int, total: int, url: str) -> None:
        if self.dialog is not None:
            self.dialog.progressed(done, total, url)
        self.events.busy(f"Adding links {done}/{total}")

    def _done(self, report: AddReport) -> None:
        self.job_id = 0
        self.last_report = report
        self.events.busy("")
        if self.dialog is not None:
            self.dialog.finished(report)
        (self.events.warn if report.failed else self.events.done)(f"Add from link: {report.summary()}")
        if report.changed_ids:
            self.events.articles_changed.emit(report.changed_ids, What.ADDED)
        self.finished.emit(report)

    def _failed(self, message: str) -> None:
        self.job_id = 0
        self.events.busy("")
        if self.dialog is not None:
            self.dialog.finished(None, message)
        self.events.warn(f"Add from link failed: {message}")
