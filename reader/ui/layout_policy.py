"""The reader pane gets priority when the window is small: below
:data:`COMPACT_WIDTH` the right-hand panels (entities, notes, related, library
entities) step aside and the list takes a smaller share, so the article keeps a
readable line (at 900x600 it had ~290 px, 3-5 words a line).  Growing the
window brings back the panels that were open; a panel the user opens while the
window is small stays open (View menu, Ctrl+Shift+N)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QMainWindow, QSplitter

#: below this window width the side panels are hidden
COMPACT_WIDTH = 1100
#: the list's share of the central area when compact
COMPACT_LIST_SHARE = 0.36


class CompactLayout(QObject):
    """Hides the docks below a width and restores them above it."""

    def __init__(self, window: QMainWindow, splitter: QSplitter, docks: dict[str, QDockWidget]) -> None:
        super().__init__(window)
        self.window, self.splitter, self.docks = window, splitter, docks
        self.compact = False
        self._hidden: list[QDockWidget] = []  # the docks this hid (shown again when there is room)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.apply)
        window.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if obj is self.window and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self._timer.start()
        elif obj is self.window and event.type() == QEvent.Type.Close and self._hidden:
            # the window saves its dock state as it closes: save the panels as the user left them
            for dock in self._hidden:
                dock.setVisible(True)
            self._hidden = []
            self.compact = False
        return False

    def apply(self) -> None:
        """Compact or not, for the window's width now."""
        compact = self.window.width() < COMPACT_WIDTH
        if compact != self.compact:
            self.compact = compact
            if compact:
                self._hidden = [d for d in self.docks.values() if d.isVisible() and not d.isFloating()
                                and self.window.dockWidgetArea(d) != Qt.DockWidgetArea.NoDockWidgetArea]
                for dock in self._hidden:
                    dock.hide()
            else:
                for dock in self._hidden:
                    dock.show()
                self._hidden = []
        # the list's share, once the docks' room has gone to (or come from) the central area
        QTimer.singleShot(0, self._share)

    def _share(self) -> None:
        total = sum(self.splitter.sizes()) or self.window.width()
        if self.compact:
            first = int(total * COMPACT_LIST_SHARE)
            self.splitter.setSizes([first, total - first])
