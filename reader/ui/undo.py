"""Undoable changes (one QUndoStack per window: Edit > Undo / Redo).

Each change is made (and committed to SQLite) *before* its command is pushed,
so a failed write never leaves a command on the stack; the first ``redo()``
that ``QUndoStack.push`` calls is therefore skipped.  Every undo and redo is
again its own committed transaction, and reports the touched article ids to
``changed`` so the window refreshes its views and the search index.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtGui import QUndoCommand

from reader.store.library import Annotation, Library
from reader.ui import controller as ctl

Changed = Callable[[list[str]], None]
Step = Callable[[], list[str]]


class Change(QUndoCommand):
    """A change already made when pushed: ``apply`` redoes it, ``revert`` undoes
    it; both return the ids of the articles they touched."""

    def __init__(self, text: str, apply: Step, revert: Step, changed: Changed) -> None:
        super().__init__(text)
        self._apply, self._revert, self._changed = apply, revert, changed
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True
            return
        self._changed(self._apply())

    def undo(self) -> None:
        self._changed(self._revert())


def _restore(library: Library, ann: Annotation) -> list[str]:
    library.restore_annotation(ann)
    return [ann.article_id]


def _remove(library: Library, ann: Annotation) -> list[str]:
    library.delete_annotation(ann.id)
    return [ann.article_id]


def _set(library: Library, ann: Annotation) -> list[str]:
    library.update_annotation(ann.id, note=ann.note, colour=ann.colour, tags=ann.tags)
    return [ann.article_id]


def added(library: Library, ann: Annotation, changed: Changed) -> Change:
    """Undo removes the new highlight; redo puts it back as it was."""
    text = "Highlight with note" if ann.note else "Highlight"
    return Change(text, lambda: _restore(library, ann), lambda: _remove(library, ann), changed)


def edited(library: Library, before: Annotation, after: Annotation, changed: Changed) -> Change:
    """Undo puts back the note, colour and tags from before the edit."""
    return Change("Edit note", lambda: _set(library, after), lambda: _set(library, before), changed)


def deleted(library: Library, ann: Annotation, changed: Changed) -> Change:
    """Undo restores the deleted highlight (re-anchored on the current text)."""
    return Change("Delete highlight", lambda: _remove(library, ann), lambda: _restore(library, ann), changed)


def delete_articles(library: Library, ids: Sequence[str], delete_notes: bool) -> list[ctl.ArticleSnapshot]:
    """Delete articles; their notes are kept as orphans unless ``delete_notes``."""
    snaps = ctl.delete_articles(library, ids)
    if delete_notes:
        for snap in snaps:
            for ann in snap.annotations:
                library.delete_annotation(ann.id)
    return snaps


class DeleteArticles(QUndoCommand):
    """Undo restores the articles with bookmark, tags, notes and reading state."""

    def __init__(self, library: Library, snaps: list[ctl.ArticleSnapshot], delete_notes: bool,
                 deleted: Changed, restored: Changed) -> None:
        n = len(snaps)
        super().__init__(f"Delete {n} article{'s' if n != 1 else ''}")
        self.library, self.snaps, self.delete_notes = library, snaps, delete_notes
        self._deleted, self._restored = deleted, restored
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True
            return
        ids = [s.article.id for s in self.snaps]
        self.snaps = delete_articles(self.library, ids, self.delete_notes)
        self._deleted(ids)

    def undo(self) -> None:
        self._restored(ctl.restore_articles(self.library, self.snaps))
