"""Deleting articles (Delete key, Article > Delete selected articles…), undoably.

The delete - a snapshot of each article, then the delete - runs as one job in
the single writer pool on a connection of its own, never on the GUI thread
(which would wait up to the busy timeout behind an import).  Once it is done
the undo command is pushed and ``articles_changed(ids, DELETED)`` tells the
list, the reader and the index; undo and redo run in the writer pool too."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from reader.store import ArticleSnapshot, Library
from reader.ui import undo
from reader.ui.actions import Std, make_action
from reader.ui.dialogs.confirm_delete import confirm_delete
from reader.ui.events import LibraryEvents, What
from reader.ui.jobs import job_delete_articles
from reader.ui.workers import TaskRunner


class DeleteController(QObject):
    """Deletes the selected articles; Edit > Undo restores them."""

    def __init__(self, library: Library, runner: TaskRunner, events: LibraryEvents, undo_stack: QUndoStack,
                 selected: Callable[[], list[str]], parent: QWidget) -> None:
        super().__init__(parent)
        self.library, self.runner, self.events, self.undo_stack = library, runner, events, undo_stack
        self.selected, self.parent_widget = selected, parent
        assert library.path is not None
        self.db_path: Path = library.path
        self.steps = undo.StepRunner(self.db_path, runner, events)
        self.actions = {"delete": make_action(self, "&Delete selected articles…", lambda: self.delete_selected(),
                                              [Std.Delete])}

    def delete_selected(self, confirm: bool = True, delete_notes: bool = False) -> int:
        """Delete the selected articles (undoable); returns the job id (0: nothing to do).
        Their notes are kept as orphans unless the user ticks "Also delete…"."""
        ids = self.selected()
        if not ids:
            return 0
        if confirm:
            answer = self.confirm(ids)
            if answer is None:
                return 0
            delete_notes = answer
        self.events.busy(f"Deleting {len(ids)} article(s)…")
        return self.runner.run("delete", job_delete_articles, self.db_path, tuple(ids), delete_notes,
                               writer=True, keep_all=True,
                               on_done=lambda snaps: self._deleted(snaps, delete_notes), on_error=self._failed)

    def confirm(self, ids: list[str]) -> bool | None:
        """Ask before deleting; ``None``: cancelled, else whether to delete the notes too."""
        return confirm_delete(self.parent_widget, len(ids), sum(len(self.library.annotations(i)) for i in ids))

    def _deleted(self, snaps: list[ArticleSnapshot], delete_notes: bool) -> None:
        self.events.busy("")
        if not snaps:
            return
        self.undo_stack.push(undo.DeleteArticles(snaps, delete_notes, self.steps, self._gone, self._restored))
        self._gone([s.article.id for s in snaps])
        kept = sum(len(s.annotations) for s in snaps) if not delete_notes else 0
        note = f"; {kept} note(s) kept under Notes > All notes" if kept else ""
        self.events.done(f"Deleted {len(snaps)} article(s){note} — Edit > Undo (Ctrl+Z) restores them")

    def _failed(self, message: str) -> None:
        self.events.busy("")
        self.events.fail("Could not delete the articles", f"Nothing was deleted: {message}")

    def _gone(self, ids: list[str]) -> None:
        self.events.articles_changed.emit(ids, What.DELETED)

    def _restored(self, ids: list[str]) -> None:
        self.events.info(f"Restored {len(ids)} article(s)")
        self.events.articles_changed.emit(ids, What.RESTORED)
