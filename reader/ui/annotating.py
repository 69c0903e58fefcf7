"""Highlights and notes in the GUI: the logic behind H / N, the colour choice,
editing and deleting (undoable), the notes panel, jumping to a passage, and
File > Export notes / Import notes.

Every change is written through the window's :class:`~reader.ui.writes.GuiWrites`
(it queues while another connection holds the database) and then pushed on the
undo stack; the controller then emits ``annotations_changed`` for the article,
and whatever shows notes (this controller's reader layer and panel, the list's
note count, the search index) follows from that event.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QActionGroup, QUndoStack
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMenu, QWidget

from reader.store import COLOURS, Annotation, Library, StoreError
from reader.store.export import ImportNotesReport
from reader.ui import undo
from reader.ui.actions import make_action
from reader.ui.dialogs.export_dialog import ExportNotesDialog
from reader.ui.dialogs.note_dialog import NoteDialog
from reader.ui.events import Kind, LibraryEvents, What
from reader.ui.jobs import job_import_notes
from reader.ui.panels.annotation_panel import AnnotationPanel
from reader.ui.panels.swatches import colour_icon
from reader.ui.theme import annotation_label
from reader.ui.views.reader_pane import ReaderPane
from reader.ui.workers import TaskRunner
from reader.ui.writes import GuiWrites

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


class AnnotationController(QObject):
    """Annotations for one window: its reader pane, notes panel and undo stack."""

    #: open this article (a note of another article was chosen in the panel)
    open_requested = Signal(str)

    def __init__(self, library: Library, writes: GuiWrites, runner: TaskRunner, events: LibraryEvents,
                 settings: QSettings, reader: ReaderPane, panel: AnnotationPanel, undo_stack: QUndoStack,
                 parent: QWidget, notes_dock: QDockWidget | None = None) -> None:
        super().__init__(parent)
        self.library, self.writes, self.runner, self.events, self.settings = library, writes, runner, events, settings
        self.reader, self.panel, self.undo_stack, self.parent_widget = reader, panel, undo_stack, parent
        self.notes_dock = notes_dock
        assert library.path is not None
        self.db_path: Path = library.path
        self.steps = undo.StepRunner(self.db_path, runner, events)
        colour = str(settings.value("annotations/colour", DEFAULT_COLOUR))
        self.colour = colour if colour in COLOURS else DEFAULT_COLOUR
        self.dark = False
        self.current_id: str | None = None
        self.note_dialog: NoteDialog | None = None
        self.export_dialog: ExportNotesDialog | None = None
        self.last_import: ImportNotesReport | None = None
        self.actions = self._make_actions()
        panel.jump_requested.connect(self.jump)
        panel.edit_requested.connect(self.edit)
        panel.delete_requested.connect(self.delete)
        panel.scope_changed.connect(lambda _s: self.refresh_panel())
        reader.edit_annotation_requested.connect(self.edit)
        reader.delete_annotation_requested.connect(self.delete)
        events.current_article.connect(self.article_opened)
        events.annotations_changed.connect(self._annotations_changed)
        events.articles_changed.connect(self._articles_changed)

    def _make_actions(self) -> dict[str, Any]:
        a = {
            "highlight": make_action(self, "&Highlight selection", self.highlight, ["H"],
                                     "Highlight the selected text in the current colour"),
            "highlight_note": make_action(self, "Highlight with a &note…", self.highlight_with_note, ["N"],
                                          "Highlight the selected text and write a note"),
            "export_notes": make_action(self, "&Export notes…", self.export_notes, ["Ctrl+Shift+E"],
                                        "Write highlights and notes to a Markdown or W3C JSON file"),
            "import_notes": make_action(self, "Import &notes…", self.import_notes, [],
                                        "Read highlights and notes from a W3C JSON notes file"),
        }
        a["highlight"].setIconText("Highlight")
        a["highlight_note"].setIconText("Note…")
        self.colour_menu = QMenu("Highlight &colour", self.parent_widget)
        self.colour_menu.setObjectName("colourMenu")
        group = QActionGroup(self)
        for i, name in enumerate(COLOURS, start=1):
            act = make_action(self, annotation_label(name), lambda _c=False, n=name: self.set_colour(n), [f"Alt+{i}"])
            act.setCheckable(True)
            act.setChecked(name == self.colour)
            act.setIcon(colour_icon(name))
            group.addAction(act)
            self.colour_menu.addAction(act)
            a[f"colour_{name}"] = act
        a["colour_menu"] = self.colour_menu.menuAction()
        self.reader.set_annotation_actions(a["highlight"], a["highlight_note"], self.colour_menu)
        a["highlight_note"].setToolTip("Highlight the selection and write a note (N)")
        return a

    # ---- colour --------------------------------------------------------
    def set_colour(self, colour: str) -> None:
        """The colour new highlights get (remembered across sessions)."""
        if colour not in COLOURS:
            raise ValueError(f"unknown colour {colour!r}")
        self.colour = colour
        self.settings.setValue("annotations/colour", colour)
        action = self.actions.get(f"colour_{colour}")
        if action is not None:
            action.setChecked(True)
        self.update_highlight_action()
        self.status(f"New highlights: {annotation_label(colour)}")

    def update_highlight_action(self) -> None:
        """The Highlight action shows the current colour (icon and tooltip)."""
        action = self.actions.get("highlight")
        if action is not None:
            action.setIcon(colour_icon(self.colour, self.dark))
            action.setToolTip(f"Highlight selection (H) in {annotation_label(self.colour)}; "
                              "the arrow chooses the colour")

    def set_dark(self, dark: bool) -> None:
        self.dark = dark
        self.panel.set_dark(dark)
        for name in COLOURS:
            action = self.actions.get(f"colour_{name}")
            if action is not None:
                action.setIcon(colour_icon(name, dark))
        self.update_highlight_action()

    # ---- creating ------------------------------------------------------
    def _selection(self) -> tuple[str, int, int] | None:
        """(article id, start, end) of the reader's selection, or ``None`` with a status message."""
        article = self.reader.article
        if article is None or self.current_id is None:
            self.status("Open an article first, then select the passage to highlight.")
            return None
        span = self.reader.view.selected_span()
        trimmed = trimmed_span(article.plain_text, *span) if span else None
        if trimmed is None:
            self.status("Select some text in the article first (mouse or Shift+arrows), then press H or N.")
            return None
        return self.current_id, trimmed[0], trimmed[1]

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
                            parent=self.parent_widget)
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

        if not self.writes.call(run, done, failed):
            self.status("Saving… (the library is busy; your change is kept and written in a moment)", Kind.WAITING)

    def _create(self, article_id: str, start: int, end: int, note: str, colour: str,
                tags: tuple[str, ...]) -> None:
        self._write(lambda: self.library.annotate(article_id, start, end, note=note, colour=colour, tags=tags),
                    lambda ann: self._created(ann, note, colour), "Could not save the highlight")

    def _created(self, ann: Annotation, note: str, colour: str) -> None:
        article_id = ann.article_id
        self.undo_stack.push(undo.added(ann, self.steps, self.after_change))
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
        if str(self.settings.value(PANEL_INTRODUCED, "")) == "1":
            return
        self.settings.setValue(PANEL_INTRODUCED, "1")
        dock = self.notes_dock
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
                            dark=self.dark, parent=self.parent_widget)
        dialog.accepted.connect(lambda: self._save_edit(ann, *dialog.values()))
        self._open_dialog(dialog)
        return dialog

    def _save_edit(self, before: Annotation, note: str, colour: str, tags: tuple[str, ...]) -> None:
        if (note, colour, tags) == (before.note, before.colour, before.tags):
            return
        self._write(lambda: self.library.update_annotation(before.id, note=note, colour=colour, tags=tags),
                    lambda after: self._edited(before, after), "Could not save the note")

    def _edited(self, before: Annotation, after: Annotation) -> None:
        self.undo_stack.push(undo.edited(before, after, self.steps, self.after_change))
        self.after_change([before.article_id])
        self.status("Note saved. Ctrl+Z undoes.")

    def delete(self, annotation_id: str) -> None:
        self._write(lambda: self.library.delete_annotation(annotation_id), self._deleted,
                    "Could not delete the highlight")

    def _deleted(self, ann: Annotation | None) -> None:
        if ann is None:  # already gone (deleted elsewhere)
            self.refresh_panel()
            return
        self.undo_stack.push(undo.deleted(ann, self.steps, self.after_change))
        self.after_change([ann.article_id])
        self.status("Highlight deleted — Edit > Undo (Ctrl+Z) brings it back.")

    # ---- showing ---------------------------------------------------------
    def article_opened(self, article_id: str) -> None:
        """An article was opened ("": none): show its highlights."""
        self.current_id = article_id or None
        self.reader.set_annotations(self.library.annotations(article_id) if article_id else [])
        self.refresh_panel()

    def refresh_panel(self) -> None:
        aid = self.current_id
        if self.panel.scope_key() == "library":
            self.panel.set_annotations(self.library.annotations(None), "No notes in the library yet.")
        elif aid is None:
            self.panel.set_annotations([], "No article open.")
        else:
            self.panel.set_annotations(self.library.annotations(aid))

    def after_change(self, article_ids: list[str]) -> None:
        """Annotations of these articles changed: say so on the bus."""
        for aid in dict.fromkeys(article_ids):
            self.events.annotations_changed.emit(aid)

    def _annotations_changed(self, article_id: str) -> None:
        if article_id == self.current_id:
            self.reader.set_annotations(self.library.annotations(article_id))
        self.refresh_panel()

    def _articles_changed(self, _ids: list[str], what: str) -> None:
        if what in What.RELOAD:  # articles came or went: their notes are placed, or orphans, now
            self.refresh_panel()

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
        if ann.article_id != self.current_id:
            self.open_requested.emit(ann.article_id)  # (the session says when it is open)
        if ann.article_id != self.current_id:
            self.status("Could not open the article of this note.")
            return False
        self.reader.flash(ann.start, ann.end)
        return True

    # ---- files -----------------------------------------------------------
    def export_notes(self) -> ExportNotesDialog:
        """File > Export notes…"""
        article = self.reader.article
        start = str(self.settings.value("notes/last_dir", str(Path.home())))
        dialog = ExportNotesDialog(self.library, self.current_id, article.title if article else "", start,
                                   self.parent_widget)
        dialog.exported.connect(self._exported)
        self.export_dialog = dialog
        dialog.open()
        return dialog

    def _exported(self, path: str, count: int) -> None:
        self.settings.setValue("notes/last_dir", str(Path(path).parent))
        self.status(f"Exported {count} note{'s' if count != 1 else ''} to {path}")

    def import_notes(self) -> None:
        """File > Import notes…: a W3C JSON notes file (as Export writes it)."""
        start = str(self.settings.value("notes/last_dir", str(Path.home())))
        name, _ = QFileDialog.getOpenFileName(self.parent_widget, "Import notes", start, JSON_FILTER)
        if name:
            self.settings.setValue("notes/last_dir", str(Path(name).parent))
            self.import_file(Path(name))

    def import_file(self, path: Path) -> None:
        """Store the notes of ``path`` (W3C JSON) in a worker - parsing and
        re-anchoring every note on its article's text is not for the GUI
        thread - then show them."""
        self.status(f"Importing notes from {path.name}…", Kind.WAITING)
        self.runner.run("import_notes", job_import_notes, self.db_path, str(path), writes=True,
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
    def status(self, text: str, kind: str = Kind.INFO) -> None:
        self.events.status.emit(text, kind)

    def error(self, title: str, text: str) -> None:
        """A warning that does not block (and a line in the status bar)."""
        self.events.fail(title, text)

    def _open_dialog(self, dialog: NoteDialog) -> None:
        self.note_dialog = dialog
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
