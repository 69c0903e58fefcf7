"""The search field in the top toolbar: search-as-you-type after a typing
pause, query history on Up/Down, Esc clears, and a help popover."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QToolButton, QWidget

from reader.settings import DEFAULTS
from reader.ui.dialogs.search_help import SearchHelpWindow

HISTORY_SIZE = 50

FALLBACK_HELP = """# Searching

Words: all must occur (stemmed).  `"exact phrase"`  `OR`  `NOT`  `-word`

Fields: `title:` `source:` `author:` `tag:` `person:` `org:` `place:`

Dates: `date:2024`  `date:2024-04`  `after:2024-01-01`
"""


class SearchBar(QWidget):
    """Search field; emits ``search_requested`` after a typing pause and
    ``cleared`` when the query is emptied (Esc)."""

    search_requested = Signal(str)
    cleared = Signal()

    def __init__(self, parent: QWidget | None = None, settings: QSettings | None = None, help_text: str = "") -> None:
        super().__init__(parent)
        self._settings = settings
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.field = QLineEdit()
        self.field.setObjectName("searchField")
        self.field.setPlaceholderText("Search the library (Ctrl+K)")
        self.field.setClearButtonEnabled(True)
        self.field.setMinimumWidth(260)
        self.help_button = QToolButton(text="?")
        self.help_button.setToolTip("Search syntax")
        layout.addWidget(self.field, 1)
        layout.addWidget(self.help_button)
        self.help_text = help_text or FALLBACK_HELP
        self.popover: SearchHelpWindow | None = None
        self.help_button.clicked.connect(self.show_help)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEFAULTS.search_debounce_ms)
        self.timer.timeout.connect(self._fire)
        self.field.textEdited.connect(self._edited)
        self.field.returnPressed.connect(self._fire_now)
        self.field.installEventFilter(self)
        self.history: list[str] = []
        if settings is not None:
            value = settings.value("search/history", [])
            self.history = [str(v) for v in (value if isinstance(value, list) else [value]) if v]
        self._history_pos = -1
        self._last_emitted = ""

    def text(self) -> str:
        return self.field.text()

    def set_query(self, query: str, *, run: bool = True) -> None:
        self.field.setText(query)
        if run:
            self._fire_now()

    def focus(self) -> None:
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def show_help(self) -> None:
        """Show the search syntax help window (rendered Markdown, scrollable)."""
        if self.popover is None:
            self.popover = SearchHelpWindow(self.help_text, self.window())
        self.popover.show()
        self.popover.raise_()
        self.popover.activateWindow()

    # ---- internals ---------------------------------------------------
    def _edited(self, text: str) -> None:
        self._history_pos = -1
        if not text.strip():
            self.timer.stop()
            self._last_emitted = ""
            self.cleared.emit()
            return
        self.timer.start()

    def _fire_now(self) -> None:
        self.timer.stop()
        self._fire(force=True)
        self.remember(self.field.text())

    def _fire(self, force: bool = False) -> None:
        query = self.field.text().strip()
        if not query:
            self.cleared.emit()
            return
        if query == self._last_emitted and not force:
            return
        self._last_emitted = query
        self.search_requested.emit(query)

    def remember(self, query: str) -> None:
        query = query.strip()
        if not query:
            return
        if query in self.history:
            self.history.remove(query)
        self.history.insert(0, query)
        del self.history[HISTORY_SIZE:]
        if self._settings is not None:
            self._settings.setValue("search/history", self.history)

    def clear(self) -> None:
        self.timer.stop()
        self.field.clear()
        self._last_emitted = ""
        self._history_pos = -1
        self.cleared.emit()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if obj is self.field and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key == Qt.Key.Key_Escape:
                self.clear()
                return True
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and self.history:
                step = 1 if key == Qt.Key.Key_Up else -1
                self._history_pos = max(-1, min(len(self.history) - 1, self._history_pos + step))
                if self._history_pos >= 0:
                    self.field.setText(self.history[self._history_pos])
                    self._fire()
                else:
                    self.field.clear()
                    self.cleared.emit()
                return True
        return super().eventFilter(obj, event)
