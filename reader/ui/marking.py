"""Bookmarks and tags from the window: Ctrl+D, the star in the list and in the
reader, "Bookmark selected articles", "Tag…".

They are written through the window's :class:`~reader.ui.writes.GuiWrites`:
while an import or a WAL checkpoint holds the database they wait in a queue
instead of on the GUI thread (a blocking write waited up to ~250 ms, and up to
the 15 s busy timeout in the worst case).  What is shown counts the writes still
waiting; once written, the list rows and the search index follow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

if TYPE_CHECKING:
    from reader.ui.main_window import MainWindow


class MarkingController(QObject):
    """Bookmarks and tags of the window's articles."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._written: set[str] = set()  # written, not yet shown in the list and the index
        self._tags_written = False

    def bookmarked(self, article_id: str) -> bool:
        """Whether it is bookmarked, counting a change still waiting to be written."""
        waiting = self.window.writes.pending("set_bookmark", article_id)
        return bool(waiting[0]) if waiting is not None else self.window.library.is_bookmarked(article_id)

    def toggle(self, article_id: str | None = None) -> None:
        """Bookmark ``article_id`` (default: the open article), or remove its bookmark."""
        article_id = article_id or self.window.current_id
        if article_id:
            self.set_bookmarks([article_id], not self.bookmarked(article_id))

    def set_bookmarks(self, ids: list[str], on: bool) -> None:
        w = self.window
        for aid in ids:
            w.writes.write("set_bookmark", aid, on, on_done=lambda aid=aid: self._written_one(aid))
        self._show_written()
        if w.current_id in ids:
            w.reader.set_bookmarked(on)
        w.statusBar().showMessage(f"{'Bookmarked' if on else 'Removed bookmark from'} {len(ids)} article(s)", 3000)

    def bookmark_selected(self) -> None:
        """Bookmark the selected articles (or remove the bookmarks when all have one)."""
        ids = self.window.list_pane.selected_ids()
        if ids:
            self.set_bookmarks(ids, not all(self.bookmarked(i) for i in ids))

    def tag_selected(self, tag: str) -> None:
        """Add ``tag`` to the selected articles."""
        w = self.window
        ids = w.list_pane.selected_ids()
        tag = tag.strip()
        if not ids or not tag:
            return
        for aid in ids:
            w.writes.write("add_tag", aid, tag, replace=False, on_done=lambda aid=aid: self._written_one(aid, True))
        self._show_written()
        w.statusBar().showMessage(f"Tagged {len(ids)} article(s) “{tag}”", 3000)

    def _written_one(self, article_id: str, tags: bool = False) -> None:
        """A bookmark or tag reached the database (now, or later from the queue)."""
        if not self._written:
            QTimer.singleShot(0, self, self._show_written)
        self._written.add(article_id)
        self._tags_written = self._tags_written or tags

    def _show_written(self) -> None:
        """Show what was written since the last call in the list, and index it."""
        w = self.window
        ids, self._written = sorted(self._written), set()
        if ids:
            w.list_pane.model.refresh_ids(ids)
            w.indexing.update(ids)
        if self._tags_written:
            self._tags_written = False
            w.reload_list()  # the tag filter lists the new tag
