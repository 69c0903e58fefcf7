"""The status bar: the one place messages reach the person.

:class:`StatusPanel` listens to :class:`~reader.ui.events.LibraryEvents`:
``status(text, kind)`` shows a message for as long as its kind says
(:data:`~reader.ui.events.DURATIONS`) or, for ``Kind.BUSY``, in the "what runs
now" field; ``error(text, detail)`` shows the line and, when there is a
detail, a non-modal warning dialog; ``index_state`` and ``entities_state``
keep their fields.  The library's size has a field of its own."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QMessageBox, QStatusBar, QWidget

from reader.ui.events import DURATIONS, IndexState, Kind, LibraryEvents


class StatusPanel(QObject):
    """The status bar's fields and messages for one window."""

    def __init__(self, bar: QStatusBar, events: LibraryEvents, dialog_parent: QWidget) -> None:
        super().__init__(bar)
        self.bar = bar
        self.dialog_parent = dialog_parent
        self.task = QLabel("")
        self.size = QLabel("")
        self.index = QLabel("Index: …")
        self.entities = QLabel("Entities: —")
        for label in (self.task, self.size, self.index, self.entities):
            bar.addPermanentWidget(label)
        self.message_box: QMessageBox | None = None  # the last error dialog
        events.status.connect(self.show_status)
        events.error.connect(self.show_error)
        events.index_state.connect(self._index_state)
        events.entities_state.connect(self.entities.setText)

    def show_status(self, text: str, kind: str = Kind.INFO) -> None:
        if kind == Kind.BUSY:
            self.task.setText(text)
        else:
            self.bar.showMessage(text, DURATIONS.get(kind, DURATIONS[Kind.INFO]))

    def show_error(self, text: str, detail: str = "") -> None:
        """The line in the status bar; with a detail, also a warning that does not block."""
        self.bar.showMessage(f"{text}: {detail}" if detail and len(detail) < 200 else text, DURATIONS[Kind.WARNING])
        if not detail:
            return
        box = QMessageBox(QMessageBox.Icon.Warning, text, detail, QMessageBox.StandardButton.Ok, self.dialog_parent)
        box.setObjectName("errorMessage")
        self.message_box = box
        box.open()

    def set_library_size(self, total: int) -> None:
        """The one place for the library's size (the list's footer only speaks
        up when filters hide some articles)."""
        self.size.setText(f"Library: {total:,} article{'s' if total != 1 else ''}")

    def _index_state(self, state: IndexState) -> None:
        self.index.setText(state.text)
