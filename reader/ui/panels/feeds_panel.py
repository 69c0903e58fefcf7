"""The Feeds section of the library sidebar: All unread, Today and every
subscription with its unread count; a failing feed says why and when it last
worked (a second line and its tooltip)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QFont
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QMenu, QVBoxLayout, QWidget

from reader.store.feeds import Feed

#: the two views above the feeds (the value is what an item holds)
ALL_UNREAD, TODAY = "all_unread", "today"
ROLE = Qt.ItemDataRole.UserRole


def when_text(iso: str | None) -> str:
    """``2026-12-04T09:30:00+00:00`` as the user's local "4 Dec 2026 10:30"; ``never``."""
    if not iso:
        return "never"
    try:
        moment = datetime.fromisoformat(iso).astimezone()
    except ValueError:
        return iso
    return f"{moment.day} {moment:%b %Y %H:%M}"


def feed_label(feed: Feed) -> str:
    """The feed's line in the list (two lines when its last refresh failed)."""
    head = f"{feed.display_title}  ({feed.unread})" if feed.unread else feed.display_title
    if feed.last_error:
        return f"⚠ {head}\nFailed · last success {when_text(feed.last_success)}"
    return head


def feed_tip(feed: Feed) -> str:
    lines = [feed.display_title, feed.url, f"{feed.unread} unread of {feed.total}",
             f"Last success: {when_text(feed.last_success)}"]
    if feed.last_error:
        lines.append(f"Last error: {feed.last_error}")
    if feed.next_check:
        lines.append(f"Next check: {when_text(feed.next_check)}")
    return "\n".join(lines)


class FeedsPanel(QWidget):
    """The list of views and feeds.  Emits :attr:`view_selected` with
    :data:`ALL_UNREAD`, :data:`TODAY`, a feed id (int) or ``None`` (no feed view)."""

    view_selected = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("feedsPanel")
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("All unread  (999)") + 24)  # (not squeezed to nothing)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.list = QListWidget()
        self.list.setObjectName("feedsList")
        self.list.setWordWrap(False)
        self.list.setUniformItemSizes(False)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._menu)
        self.empty = QLabel("No subscriptions yet.\nFile › Subscribe to feed… (Ctrl+Shift+F)")
        self.empty.setObjectName("feedsEmpty")
        self.empty.setWordWrap(True)
        self.empty.setContentsMargins(8, 4, 8, 4)
        self.empty.setEnabled(False)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        self.menu_actions: list[QAction | None] = []
        self._views: dict[str, QListWidgetItem] = {}
        for key, text in ((ALL_UNREAD, "All unread"), (TODAY, "Today")):
            item = QListWidgetItem(text)
            item.setData(ROLE, key)
            bold = QFont(item.font())
            bold.setBold(True)
            item.setFont(bold)
            self.list.addItem(item)
            self._views[key] = item
        self.list.currentItemChanged.connect(self._current_changed)
        self.list.itemClicked.connect(lambda item: self.view_selected.emit(item.data(ROLE)))

    # ---- contents ------------------------------------------------------
    def set_feeds(self, feeds: list[Feed], all_unread: int, today: int) -> None:
        """Show ``feeds`` (keeping the selection) and the two views' counts."""
        current = self.current_view()
        self.list.blockSignals(True)
        try:
            self._views[ALL_UNREAD].setText(f"All unread  ({all_unread})")
            self._views[TODAY].setText(f"Today  ({today})")
            while self.list.count() > len(self._views):
                self.list.takeItem(self.list.count() - 1)
            for feed in feeds:
                item = QListWidgetItem(feed_label(feed))
                item.setData(ROLE, feed.id)
                item.setToolTip(feed_tip(feed))
                if feed.unread:
                    bold = QFont(item.font())
                    bold.setBold(True)
                    item.setFont(bold)
                if feed.last_error:
                    item.setForeground(QBrush(QColor("#d9483b")))
                self.list.addItem(item)
            self.select_view(current, emit=False)
        finally:
            self.list.blockSignals(False)
        self.empty.setVisible(not feeds)

    def item_for(self, view: object) -> QListWidgetItem | None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(ROLE) == view:
                return item
        return None

    def current_view(self) -> object:
        item = self.list.currentItem()
        return item.data(ROLE) if item is not None and item.isSelected() else None

    def current_feed(self) -> int | None:
        view = self.current_view()
        return view if isinstance(view, int) else None

    def select_view(self, view: object, *, emit: bool = True) -> None:
        item = self.item_for(view) if view is not None else None
        if item is None:
            self.list.clearSelection()
            self.list.setCurrentItem(None)
        else:
            self.list.setCurrentItem(item)
        if emit:
            self.view_selected.emit(self.current_view())

    # ---- events --------------------------------------------------------
    def _current_changed(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        self.view_selected.emit(current.data(ROLE) if current is not None else None)

    def _menu(self, pos: QPoint) -> None:
        item = self.list.itemAt(pos)
        if item is not None:
            self.list.setCurrentItem(item)
        menu = self.build_menu()
        menu.exec(self.list.viewport().mapToGlobal(pos))

    def build_menu(self) -> QMenu:
        """The context menu (the actions the controller gave, ``None``: a separator)."""
        menu = QMenu(self)
        for action in self.menu_actions:
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        return menu
