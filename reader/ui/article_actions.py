"""What a person does with articles in the list: the rows' context menu (open,
open original link, bookmark, tag…, mark read / unread, export…, delete) and
the actions behind it that no other component owns: mark read / unread, open
the original link in the system browser, export the article (Markdown, HTML,
PDF) and print it.

Read marks are written through :class:`~reader.ui.writes.GuiWrites` and
announced as ``articles_changed(ids, "read")`` (the list re-reads its rows).
The original link is opened only when the user asks (the reader pane never
loads remote content)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QPoint, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMenu, QTableView, QWidget

from reader.store import Library
from reader.store.export_article import article_html, article_markdown
from reader.store.overrides import MetadataError, set_metadata
from reader.ui.actions import Std, make_action
from reader.ui.dialogs.metadata_dialog import MetadataDialog
from reader.ui.events import LibraryEvents, What
from reader.ui.writes import GuiWrites

#: the context menu of library rows: action names (None: a separator)
ROW_MENU = ("open", "open_original", None, "bookmark_selected", "tag", "mark_read", "mark_unread", "edit_metadata",
            None, "export_article", "print_article", None, "delete")
EXPORT_FILTERS = {"markdown": "Markdown (*.md)", "html": "HTML page (*.html)", "pdf": "PDF document (*.pdf)"}
SUFFIX = {"markdown": ".md", "html": ".html", "pdf": ".pdf"}


class ArticleActions(QObject):
    """Row actions of the library list, and its context menu."""

    #: the user asked to open this article
    open_requested = Signal(str)

    def __init__(self, library: Library, writes: GuiWrites, events: LibraryEvents,
                 selected: Callable[[], list[str]], table: QTableView, parent: QWidget) -> None:
        super().__init__(parent)
        self.library, self.writes, self.events, self.selected = library, writes, events, selected
        self.table, self.parent_widget = table, parent
        self.current_id = ""
        self.menu_actions: dict[str, QAction] = {}
        self.last_menu: QMenu | None = None
        self.open_url = QDesktopServices.openUrl  # (tests record the URL instead)
        self.actions = {
            "open": make_action(self, "&Open", self._open_row),
            "open_original": make_action(self, "Open &original link", self.open_original, ["Ctrl+Shift+B"]),
            "mark_read": make_action(self, "Mark &read", lambda: self.mark_read(True), ["Ctrl+Shift+R", "M"]),
            "mark_unread": make_action(self, "Mark &unread", lambda: self.mark_read(False), ["Ctrl+U", "U"]),
            "export_article": make_action(self, "E&xport article…", self.export_article, ["Ctrl+E"]),
            "print_article": make_action(self, "&Print article…", self.print_article, [Std.Print, "Ctrl+P"]),
            "edit_metadata": make_action(self, "Edit &details…", self.edit_metadata, ["Ctrl+Shift+M"]),
        }
        self.metadata_dialog: MetadataDialog | None = None
        events.current_article.connect(self._current)
        table.setContextMenuPolicy(table.contextMenuPolicy().CustomContextMenu)
        table.customContextMenuRequested.connect(self.show_menu)

    def _current(self, article_id: str) -> None:
        self.current_id = article_id

    def _targets(self) -> list[str]:
        return self.selected() or ([self.current_id] if self.current_id else [])

    def _one(self) -> str:
        """The article an action on one article means: the open one, else the first selected."""
        ids = self.selected()
        if self.current_id and (not ids or self.current_id in ids):
            return self.current_id
        return ids[0] if ids else ""

    # ---- the context menu ---------------------------------------------------
    def use(self, actions: dict[str, QAction]) -> None:
        """The window's actions by name (the menu shows the other components' ones too)."""
        self.menu_actions = actions

    def build_menu(self) -> QMenu:
        """The context menu for the selected rows."""
        menu = QMenu(self.parent_widget)
        menu.setObjectName("rowMenu")
        ids = self._targets()
        one = self._one()
        url = self._url(one) if one else ""
        for name in ROW_MENU:
            if name is None:
                menu.addSeparator()
                continue
            action = self.menu_actions.get(name) or self.actions.get(name)
            if action is None:
                continue
            menu.addAction(action)
            if name == "open_original":
                action.setEnabled(bool(url) and len(ids) <= 1)
                action.setToolTip(url)
        rows = self.library.rows(ids)
        self.actions["mark_read"].setEnabled(any(not r.is_read for r in rows.values()))
        self.actions["mark_unread"].setEnabled(any(r.is_read for r in rows.values()))
        return menu

    def show_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid():
            return
        self.last_menu = self.build_menu()
        self.last_menu.popup(self.table.viewport().mapToGlobal(pos))

    # ---- the actions -----------------------------------------------------
    def _open_row(self) -> None:
        aid = self._one()
        if aid:
            self.open_requested.emit(aid)

    def _url(self, article_id: str) -> str:
        article = self.library.article(article_id)
        if article is None:
            return ""
        return article.url or article.short_url or ""

    def open_original(self) -> None:
        """Open the article's original web address in the system browser."""
        aid = self._one()
        url = self._url(aid) if aid else ""
        if not url:
            self.events.warn("This article has no original link.")
            return
        if not self.open_url(QUrl(url)):
            self.events.fail(f"Could not open {url}: no web browser answered", "")
            return
        self.events.info(f"Opened {url} in the web browser")

    def mark_read(self, read: bool) -> None:
        """Mark the selected articles read (or unread)."""
        ids = self._targets()
        for aid in ids:
            self.writes.write("set_read", aid, read,
                              on_done=lambda aid=aid: self.events.articles_changed.emit([aid], What.READ))
        if ids:
            self.events.info(f"Marked {len(ids)} article{'s' if len(ids) != 1 else ''} {'read' if read else 'unread'}")

    def export_article(self, path: str | None = None, fmt: str | None = None) -> Path | None:
        """Export one article (the open one) with its highlights and notes, as
        Markdown, HTML or PDF; asks for the file unless ``path`` is given."""
        aid = self._one()
        if not aid:
            return None
        if path is None:
            title = (self.library.article(aid) or None)
            name = "".join(c if c.isalnum() or c in " -_" else "_" for c in (title.title if title else aid))[:80]
            chosen, filt = QFileDialog.getSaveFileName(self.parent_widget, "Export article", f"{name.strip()}.md",
                                                       ";;".join(EXPORT_FILTERS.values()))
            if not chosen:
                return None
            path = chosen
            fmt = fmt or next((k for k, v in EXPORT_FILTERS.items() if v == filt), None)
        target = Path(path)
        fmt = fmt or next((k for k, s in SUFFIX.items() if target.suffix.lower() in (s, ".htm", ".markdown")), "markdown")
        if not target.suffix:
            target = target.with_suffix(SUFFIX[fmt])
        try:
            if fmt == "pdf":
                from reader.ui.printing import write_pdf

                write_pdf(article_html(self.library, aid), target, title=target.stem)
            else:
                text = article_markdown(self.library, aid) if fmt == "markdown" else article_html(self.library, aid)
                target.write_text(text, encoding="utf-8")
        except OSError as exc:
            self.events.fail(f"Could not write {target}: {exc.strerror or exc}", "")
            return None
        self.events.done(f"Exported the article to {target}")
        return target

    def edit_metadata(self) -> MetadataDialog | None:
        """Article > Edit details…: correct title, date, authors, source."""
        aid = self._one()
        article = self.library.article(aid) if aid else None
        if article is None:
            return None
        self.metadata_dialog = MetadataDialog(article, self.parent_widget)
        self.metadata_dialog.saved.connect(lambda t, d, a, s, aid=aid: self.save_metadata(aid, t, d, a, s))
        self.metadata_dialog.open()
        return self.metadata_dialog

    def save_metadata(self, article_id: str, title: str, date: str, authors: list[str], source: str) -> bool:
        """Store the corrected details; the list, the reader and the index follow."""
        try:
            set_metadata(self.library, article_id, title=title, published=date, authors=authors, source=source)
        except (MetadataError, KeyError, sqlite3.Error) as exc:
            self.events.fail(f"Could not save the article's details: {exc}", "")
            return False
        # (as after an import of a changed article: the list, the open article,
        # the index and the entities of its new text follow)
        self.events.articles_changed.emit([article_id], What.ADDED)
        self.events.done("Saved the article's details (kept when it is imported again)")
        return True

    def print_article(self) -> None:
        """Print the open article with its highlights and notes (the system print dialog)."""
        aid = self._one()
        if not aid:
            return
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        from reader.ui.printing import print_html

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self.parent_widget)
        dialog.setWindowTitle("Print article")
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            print_html(article_html(self.library, aid), printer)
            self.events.done("Sent the article to the printer")
