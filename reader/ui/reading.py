"""The read mark: an article counts as read once it was open for
``read_after_ms`` (2 s), or when it is scrolled to its end.  A timer starts
when an article opens and is cancelled when another one opens (or none)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, QTimer

from reader.settings import DEFAULTS
from reader.store import Library
from reader.ui.events import LibraryEvents, What
from reader.ui.views.reader_view import ReaderView
from reader.ui.writes import GuiWrites

READ_AFTER_KEY = "reading/read_after_ms"


class ReadMarker(QObject):
    """Marks the open article read after a while, or at its end."""

    def __init__(self, library: Library, writes: GuiWrites, events: LibraryEvents, settings: QSettings,
                 view: ReaderView) -> None:
        super().__init__(view)
        self.library, self.writes, self.events, self.view = library, writes, events, view
        self.article_id = ""
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(int(settings.value(READ_AFTER_KEY, DEFAULTS.read_after_ms)))
        self.timer.timeout.connect(self.mark)
        events.current_article.connect(self._opened)
        view.verticalScrollBar().valueChanged.connect(self._scrolled)

    def _opened(self, article_id: str) -> None:
        if article_id == self.article_id and self.timer.isActive():
            return
        self.timer.stop()
        self.article_id = article_id
        if article_id:
            self.timer.start()

    def _scrolled(self, value: int) -> None:
        bar = self.view.verticalScrollBar()
        if self.article_id and bar.maximum() > 0 and value >= bar.maximum():
            self.mark()

    def mark(self) -> None:
        """Mark the open article read (once: nothing when it is read or its mark waits)."""
        self.timer.stop()
        aid = self.article_id
        if not aid or not self.view.isVisible() or self.writes.pending("set_read", aid) is not None:
            return  # (nothing open, the window closed, or the mark is on its way)
        row = self.library.rows([aid]).get(aid)
        if row is None or row.is_read:
            return
        self.writes.write("set_read", aid, True, on_done=lambda: self.events.articles_changed.emit([aid], What.READ))
