"""Highlights and notes in the GUI: the logic behind H / N, the colour choice,
editing and deleting (undoable), the notes panel, jumping to a passage, and
File > Export notes / Import notes.

Every change goes straight to SQLite (each ``Library`` call is one committed
transaction) and is then pushed on the window's undo stack; afterwards the
reader layer, the notes panel, the article list's note count and the search
index (``has:notes``, text search over notes and quotes) are refreshed.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QMessageBox

from reader.store import COLOURS, Annotation, StoreError
from reader.store.export import ImportNotesReport, import_w3c
from reader.ui import undo
from reader.ui.dialogs.export_dialog import ExportNotesDialog
from reader.ui.dialogs.note_dialog import NoteDialog
from reader.ui.panels.swatches import colour_icon
from reader.ui.theme import annotation_label

if TYPE_CHECKING:
    from reader.ui.main_window import MainWindow

log = logging.getLogger(__name__)

DEFAULT_COLOUR = "yellow"
PANEL_INTRODUCED = "annotations/panel_introduced"  # settings key: the Notes panel was raised once
JSON_FILTER = "W3C Web Annotation JSON (*.json *.jsonld);;All files (*)"


def trimmed_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``start:end`` without surrounding whitespace (line breaks included); ``None`` if nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def job_import_notes(ctx: Any, db_path: Path, path: str) -> tuple[str | None, ImportNotesReport | None, list[str]]:
    """Worker: store the notes of the W3C JSON file ``path``.  Returns (what
    is wrong with the file or ``None``, the report, the articles touched)."""
    from reader.ui.controller import worker_library

    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return f"{path} is not a readable JSON notes file: {exc}", None, []
    lib = worker_library(db_path)
    try:
        try:
            report = import_w3c(lib, data)
        except StoreError as exc:
            return f"Nothing was imported from {path}: {exc}", None, []
        touched = [a.article_id for a in (lib.annotation(i) for i in (*report.added, *report.updated)) if a]
        return None, report, touched
    finally:
        lib.close()


class AnnotationController(QObject):
    """Annotations for one window (its library, reader pane, notes panel and undo stack)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.library = window.library
        self.reader = window.reader
        self.panel = window.annotation_panel
        self.undo_stack = window.undo_stack
        colour = str(window.settings.value("annotations/colour", DEFAULT_COLOUR))
        self.colour = colour if colour in COLOURS else DEFAULT_COLOUR
        self.dark = False
        self.note_dialog: NoteDialog | None = None
        self.export_dialog: ExportNotesDialog | None = None
        self.message_box: QMessageBox | None = None
        self.last_import: ImportNotesReport | None = None
        self.panel.jump_requested.connect(self.jump)
        self.panel.edit_requested.connect(self.edit)
        self.panel.delete_requested.connect(self.delete)
        self.panel.scope_changed.connect(lambda _s: self.refresh_panel())
        self.reader.edit_annotation_requested.connect(self.edit)
        self.reader.delete_annotation_requested.connect(self.delete)

    # ---- colour --------------------------------------------------------
    def set_colour(self, colour: str) -> None:
        """The colour new highlights get (remembered across sessions)."""
        if colour not in COLOURS:
            raise ValueError(f"unknown colour {colour!r}")
        self.colour = colour
        self.window.settings.setValue("annotations/colour", colour)
        action = self.window.actions_by_name.get(f"colour_{colour}")
        if action is not None:
            action.setChecked(True)
        self.update_highlight_action()
        self.status(f"New highlights: {annotation_label(colour)}")

    def update_highlight_action(self) -> None:
        """The Highlight action shows the current colour (icon and tooltip)."""
        action = self.window.actions_by_name.get("highlight")
        if action is not None:
            action.setIcon(colour_icon(self.colour, self.dark))
            action.setToolTip(f"Highlight selection (H) in {annotation_label(self.colour)}; "
                              "the arrow chooses the colour")

    def set_dark(self, dark: bool) -> None:
        self.dark = dark
        self.panel.set_dark(dark)
        for name in COLOURS:
            action = self.window.actions_by_name.get(f"colour_{name}")
            if action is not None:
                action.setIcon(colour_icon(name, dark))
        self.update_highlight_action()

    # ---- creating ------------------------------------------------------
    def _selection(self) -> tuple[str, int, int] | None:
        """(article id, start, end) of the reader's selection, or ``None`` with a status message."""
        article = self.reader.article
        if article is None or self.window.current_id is None:
            self.status("Open an article first, then select the passage to highlight.")
            return None
        span = self.reader.view.selected_span()
        trimmed = trimmed_span(article.plain_text, *span) if span else None
        if trimmed is None:
            self.status("Select some text in the article first (mouse or Shift+arrows), then press H or N.")
            return None
        return self.window.current_id, trimmed[0], trimmed[1]

    def highlight(self) -> None:
        """H: highlight the selection in the current colour, no questions asked."""
        chosen = self._selection()
        if chosen is not None:
            self._create(*chosen, note="", colour=self.colour, tags=())

    def highlight_with_note(self) -> NoteDialog | None:
        """N: highlight the selection with a note (opens the note editor)."""
        chosen = self._selection()
        if chosen is None:
            return None
        aid, start, end = chosen
        quote = self.reader.article.plain_text[start:end] if self.reader.article else ""
        dialog = NoteDialog(quote, colour=self.colour, title="Highlight with a note", dark=self.dark,
                            parent=self.window)
        dialog.accepted.connect(lambda: self._create(aid, start, end, *dialog.values()))
        self._open_dialog(dialog)
        return dialog

    # Creating, editing and deleting go through the window's GuiWrites: while an
    # import or a checkpoint holds the database they wait in its queue (the
    # status bar says so), not on the GUI thread.  Undo commands are pushed once
    # the change is written.
    def _write(self, run: Callable[[], Any], done: Callable[[Any], None], failure: str) -> None:
        def failed(exc: Exception) -> None:
            if not isinstance(exc, StoreError | KeyError | ValueError):
                log.error("%s: %r", failure, exc, exc_info=exc)
            self.error(failure, str(exc))

        if not self.window.writes.call(run, done, failed):
            self.status("Saving… (the library is busy; your change is kept and written in a moment)")

    def _create(self, article_id: str, start: int, end: int, note: str, colour: str,
                tags: tuple[str, ...]) -> None:
        self._write(lambda: self.library.annotate(article_id, start, end, note=note, colour=colour, tags=tags),
                    lambda ann: self._created(ann, note, colour), "Could not save the highlight")

    def _created(self, ann: Annotation, note: str, colour: str) -> None:
        article_id = ann.article_id
        self.undo_stack.push(undo.added(self.library, ann, self.after_change))
        self.after_change([article_id])
        cursor = self.reader.view.textCursor()
        cursor.clearSelection()
        self.reader.view.setTextCursor(cursor)
        self.status(("Highlighted with a note" if note else "Highlighted")
                    + f" ({annotation_label(colour)}). Ctrl+Z undoes.")
        self.introduce_panel()

    def introduce_panel(self) -> None:
        """On the first highlight ever, bring the Notes panel to the front (it
        starts tabbed behind Entities, where nobody would find it).  Only once,
        and never reopens a panel the person closed."""
        settings = self.window.settings
        if str(settings.value(PANEL_INTRODUCED, "")) == "1":
            return
        settings.setValue(PANEL_INTRODUCED, "1")
        dock = self.window.docks.get("notes")
        if dock is not None and dock.toggleViewAction().isChecked():
            dock.raise_()

    # ---- editing, deleting ---------------------------------------------
    def edit(self, annotation_id: str) -> NoteDialog | None:
        """Open the note editor for an annotation; saving changes note, colour and tags."""
        ann = self.library.annotation(annotation_id)
        if ann is None:
            self.refresh_panel()
            return None
        dialog = NoteDialog(ann.exact, note=ann.note, colour=ann.colour, tags=ann.tags, title="Edit note",
                            dark=self.dark, parent=self.window)
        dialog.accepted.connect(lambda: self._save_edit(ann, *dialog.values()))
        self._open_dialog(dialog)
        return dialog

    def _save_edit(self, before: Annotation, note: str, colour: str, tags: tuple[str, ...]) -> None:
        if (note, colour, tags) == (before.note, before.colour, before.tags):
            return
        self._write(lambda: self.library.update_annotation(before.id, note=note, colour=colour, tags=tags),
                    lambda after: self._edited(before, after), "Could not save the note")

    def _edited(self, before: Annotation, after: Annotation) -> None:
        self.undo_stack.push(undo.edited(self.library, before, after, self.after_change))
        self.after_change([before.article_id])
        self.status("Note saved. Ctrl+Z undoes.")

    def delete(self, annotation_id: str) -> None:
        self._write(lambda: self.library.delete_annotation(annotation_id), self._deleted,
                    "Could not delete the highlight")

    def _deleted(self, ann: Annotation | None) -> None:
        if ann is None:  # already gone (deleted elsewhere)
            self.refresh_panel()
            return
        self.undo_stack.push(undo.deleted(self.library, ann, self.after_change))
        self.after_change([ann.article_id])
        self.status("Highlight deleted — Edit > Undo (Ctrl+Z) brings it back.")

    # ---- showing ---------------------------------------------------------
    def article_opened(self) -> None:
        """The window opened an article (or none): show its highlights."""
        aid = self.window.current_id
        self.reader.set_annotations(self.library.annotations(aid) if aid else [])
        self.refresh_panel()

    def refresh_panel(self) -> None:
        aid = self.window.current_id
        if self.panel.scope_key() == "library":
            self.panel.set_annotations(self.library.annotations(None), "No notes in the library yet.")
        elif aid is None:
            self.panel.set_annotations([], "No article open.")
        else:
            self.panel.set_annotations(self.library.annotations(aid))

    def after_change(self, article_ids: list[str]) -> None:
        """Annotations of these articles changed: refresh what shows them, and the index."""
        ids = list(dict.fromkeys(article_ids))
        if self.window.current_id in ids:
            self.reader.set_annotations(self.library.annotations(self.window.current_id))
        self.refresh_panel()
        self.window.list_pane.model.refresh_ids(ids)
        self.window.indexing.update([i for i in ids if self.library.plain_text(i) is not None])

    def jump(self, annotation_id: str) -> bool:
        """Show an annotation's passage in the reader (opening its article) and flash it."""
        ann = self.library.annotation(annotation_id)
        if ann is None:
            self.refresh_panel()
            return False
        if ann.orphan:
            where = "the article's current text" if self.library.plain_text(ann.article_id) else \
                "the library: its article was deleted"
            self.status(f"This note could not be placed in {where}. Its quote and note are kept here.")
            return False
        if ann.article_id != self.window.current_id:
            self.window.open_in_library(ann.article_id)
        if ann.article_id != self.window.current_id:
            self.status("Could not open the article of this note.")
            return False
        self.reader.flash(ann.start, ann.end)
        return True

    # ---- files -----------------------------------------------------------
    def export_notes(self) -> ExportNotesDialog:
        """File > Export notes…"""
        w = self.window
        article = self.reader.article
        start = str(w.settings.value("notes/last_dir", str(Path.home())))
        dialog = ExportNotesDialog(self.library, w.current_id, article.title if article else "", start, w)
        dialog.exported.connect(self._exported)
        self.export_dialog = dialog
        dialog.open()
        return dialog

    def _exported(self, path: str, count: int) -> None:
        self.window.settings.setValue("notes/last_dir", str(Path(path).parent))
        self.status(f"Exported {count} note{'s' if count != 1 else ''} to {path}")

    def import_notes(self) -> None:
        """File > Import notes…: a W3C JSON notes file (as Export writes it)."""
        start = str(self.window.settings.value("notes/last_dir", str(Path.home())))
        name, _ = QFileDialog.getOpenFileName(self.window, "Import notes", start, JSON_FILTER)
        if name:
            self.window.settings.setValue("notes/last_dir", str(Path(name).parent))
            self.import_file(Path(name))

    def import_file(self, path: Path) -> None:
        """Store the notes of ``path`` (W3C JSON) in a worker - parsing and
        re-anchoring every note on its article's text is not for the GUI
        thread - then show them."""
        self.status(f"Importing notes from {path.name}…", 0)
        self.window.runner.run("import_notes", job_import_notes, self.window.db_path, str(path),
                               on_done=lambda outcome, p=path: self._notes_imported(p, *outcome),
                               on_error=lambda msg, p=path: self.error("Could not import notes",
                                                                        f"Nothing was imported from {p}: {msg}"))

    def _notes_imported(self, path: Path, problem: str | None, report: ImportNotesReport | None,
                        touched: list[str]) -> None:
        if problem is not None or report is None:
            self.error("Could not import notes", problem or f"Nothing was imported from {path}")
            return
        self.last_import = report
        self.after_change(touched)
        headline = report.summary().splitlines()[0]
        self.status(f"Imported {path.name}: {headline}")
        if report.skipped:
            self.error("Some notes were not imported", f"From {path}: {report.summary()}")

    # ---- messages ----------------------------------------------------------
    def status(self, text: str, ms: int = 8000) -> None:
        self.window.statusBar().showMessage(text, ms)

    def error(self, title: str, text: str) -> QMessageBox:
        """A non-blocking warning (also in the status bar)."""
        self.status(text, 15000)
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self.window)
        box.setObjectName("notesMessage")
        self.message_box = box
        box.open()
        return box

    def _open_dialog(self, dialog: NoteDialog) -> None:
        self.note_dialog = dialog
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
