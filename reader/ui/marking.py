"""Bookmarks and tags: Ctrl+D, the star in the list and in the reader,
"Bookmark selected articles", "Tag…".

They are written through the window's :class:`~reader.ui.writes.GuiWrites`:
while an import or a WAL checkpoint holds the database they wait in a queue
instead of on the GUI thread (a blocking write waited up to ~250 ms, and up to
the 15 s busy timeout in the worst case).  What is shown counts the writes still
waiting (:attr:`MarkingController.shown`); once written, ``articles_changed``
tells the list and the search index.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from reader.store import Library
from reader.ui.actions import make_action
from reader.ui.dialogs.tag_dialog import TagDialog
from reader.ui.events import LibraryEvents, What
from reader.ui.writes import GuiWrites


class MarkingController(QObject):
    """Bookmarks and tags of the window's articles."""

    #: bookmarks set (maybe still waiting to be written): (ids, on)
    shown = Signal(list, bool)

    def __init__(self, library: Library, writes: GuiWrites, events: LibraryEvents,
                 selected: Callable[[], list[str]], parent: QWidget) -> None:
        super().__init__(parent)
        self.library, self.writes, self.events, self.selected = library, writes, events, selected
        self.parent_widget = parent
        self.current_id = ""
        self.tag_dialog: TagDialog | None = None
        self._written: dict[str, set[str]] = {What.MARKS: set(), What.TAGS: set()}  # not yet announced
        self.actions = {
            "bookmark": make_action(self, "&Bookmark", lambda: self.toggle(), ["Ctrl+D"]),
            "bookmark_selected": make_action(self, "Bookmark selected articles", self.bookmark_selected,
                                             ["Ctrl+Shift+D"]),
            "tag": make_action(self, "&Tag…", self.ask_tag, ["Ctrl+T"]),
        }
        events.current_article.connect(self._current)

    def _current(self, article_id: str) -> None:
        self.current_id = article_id

    def bookmarked(self, article_id: str) -> bool:
        """Whether it is bookmarked, counting a change still waiting to be written."""
        waiting = self.writes.pending("set_bookmark", article_id)
        return bool(waiting[0]) if waiting is not None else self.library.is_bookmarked(article_id)

    def toggle(self, article_id: str | None = None) -> None:
        """Bookmark ``article_id`` (default: the open article), or remove its bookmark."""
        article_id = article_id or self.current_id
        if article_id:
            self.set_bookmarks([article_id], not self.bookmarked(article_id))

    def set_bookmarks(self, ids: list[str], on: bool) -> None:
        for aid in ids:
            self.writes.write("set_bookmark", aid, on, on_done=lambda aid=aid: self._written_one(aid, What.MARKS))
        self._announce()
        self.shown.emit(ids, on)
        self.events.info(f"{'Bookmarked' if on else 'Removed bookmark from'} {len(ids)} article(s)")

    def bookmark_selected(self) -> None:
        """Bookmark the selected articles (or remove the bookmarks when all have one)."""
        ids = self.selected()
        if ids:
            self.set_bookmarks(ids, not all(self.bookmarked(i) for i in ids))

    def ask_tag(self) -> None:
        """Article > Tag selected articles…: ask for the tag."""
        ids = self.selected()
        if not ids:
            return
        self.tag_dialog = TagDialog(len(ids), [name for name, _norm in self.library.all_tags()], self.parent_widget)
        self.tag_dialog.accepted.connect(lambda d=self.tag_dialog: self.tag_selected(d.tag()))
        self.tag_dialog.open()

    def tag_selected(self, tag: str) -> None:
        """Add ``tag`` to the selected articles."""
        ids = self.selected()
        tag = tag.strip()
        if not ids or not tag:
            return
        for aid in ids:
            self.writes.write("add_tag", aid, tag, replace=False,
                              on_done=lambda aid=aid: self._written_one(aid, What.TAGS))
        self._announce()
        self.events.info(f"Tagged {len(ids)} article(s) “{tag}”")

    def _written_one(self, article_id: str, what: str) -> None:
        """A bookmark or tag reached the database (now, or later from the queue):
        announce it once the writes of this pass of the event loop are done."""
        if not any(self._written.values()):
            QTimer.singleShot(0, self, self._announce)
        self._written[what].add(article_id)

    def _announce(self) -> None:
        for what, ids in self._written.items():
            if ids:
                self._written[what] = set()
                self.events.articles_changed.emit(sorted(ids), what)
