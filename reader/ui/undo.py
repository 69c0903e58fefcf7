"""Undoable changes (one QUndoStack per window: Edit > Undo / Redo).

Each change is made (and committed to SQLite) *before* its command is pushed,
so a failed write never leaves a command on the stack; the first ``redo()``
that ``QUndoStack.push`` calls is therefore skipped.  Every later undo and
redo runs as one job in the window's single writer pool (never on the GUI
thread, which would wait up to the busy timeout behind an import) on a
connection of its own, and reports the touched article ids when written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QUndoCommand

from reader.store import ArticleSnapshot, Library
from reader.store.library import Annotation
from reader.ui.events import LibraryEvents
from reader.ui.jobs import job_write
from reader.ui.workers import TaskRunner

Changed = Callable[[list[str]], None]
Step = Callable[[Library], list[str]]


class StepRunner:
    """Runs undo and redo steps in the writer pool, in order; failures reach ``events.error``."""

    def __init__(self, db_path: Path, runner: TaskRunner, events: LibraryEvents) -> None:
        self.db_path, self.runner, self.events = db_path, runner, events

    def run(self, step: Step, done: Changed) -> None:
        self.runner.run("undo", job_write, self.db_path, step, writer=True, keep_all=True, on_done=done,
                        on_error=lambda msg: self.events.fail("Could not undo or redo the change", msg))


class Change(QUndoCommand):
    """A change already made when pushed: ``apply`` redoes it, ``revert`` undoes
    it; both return the ids of the articles they touched, given to ``changed``."""

    def __init__(self, text: str, apply: Step, revert: Step, steps: StepRunner, changed: Changed) -> None:
        super().__init__(text)
        self._apply, self._revert, self._steps, self._changed = apply, revert, steps, changed
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True
            return
        self._steps.run(self._apply, self._changed)

    def undo(self) -> None:
        self._steps.run(self._revert, self._changed)


def _restore(library: Library, ann: Annotation) -> list[str]:
    library.restore_annotation(ann)
    return [ann.article_id]


def _remove(library: Library, ann: Annotation) -> list[str]:
    library.delete_annotation(ann.id)
    return [ann.article_id]


def _set(library: Library, ann: Annotation) -> list[str]:
    library.update_annotation(ann.id, note=ann.note, colour=ann.colour, tags=ann.tags)
    return [ann.article_id]


def added(ann: Annotation, steps: StepRunner, changed: Changed) -> Change:
    """Undo removes the new highlight; redo puts it back as it was."""
    text = "Highlight with note" if ann.note else "Highlight"
    return Change(text, lambda lib: _restore(lib, ann), lambda lib: _remove(lib, ann), steps, changed)


def edited(before: Annotation, after: Annotation, steps: StepRunner, changed: Changed) -> Change:
    """Undo puts back the note, colour and tags from before the edit."""
    return Change("Edit note", lambda lib: _set(lib, after), lambda lib: _set(lib, before), steps, changed)


def deleted(ann: Annotation, steps: StepRunner, changed: Changed) -> Change:
    """Undo restores the deleted highlight (re-anchored on the current text)."""
    return Change("Delete highlight", lambda lib: _remove(lib, ann), lambda lib: _restore(lib, ann), steps, changed)


class DeleteArticles(QUndoCommand):
    """Undo restores the articles with bookmark, tags, notes and reading state.

    The snapshots are replaced inside the writer job that deletes again (redo),
    so an undo queued right behind it restores what that redo took."""

    def __init__(self, snaps: list[ArticleSnapshot], delete_notes: bool, steps: StepRunner,
                 deleted: Changed, restored: Changed) -> None:
        n = len(snaps)
        super().__init__(f"Delete {n} article{'s' if n != 1 else ''}")
        self.snaps, self.delete_notes, self._steps = snaps, delete_notes, steps
        self._deleted, self._restored = deleted, restored
        self._ids = [s.article.id for s in snaps]
        self._pushed = False

    def _delete(self, library: Library) -> list[str]:
        self.snaps = library.delete_articles(self._ids, delete_notes=self.delete_notes)
        return [s.article.id for s in self.snaps]

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True
            return
        self._steps.run(self._delete, self._deleted)

    def undo(self) -> None:
        self._steps.run(lambda lib: lib.restore_articles(self.snaps), self._restored)
