"""Menus, actions and shortcuts of the main window, and the shortcuts dialog
(generated from the actual QActions so it never drifts)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QMenu,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reader.store import COLOURS
from reader.ui.panels.swatches import colour_icon
from reader.ui.theme import annotation_label

if TYPE_CHECKING:
    from reader.ui.main_window import MainWindow

Std = QKeySequence.StandardKey


def _action(window: MainWindow, text: str, slot: object, shortcuts: list[QKeySequence | str] | None = None,
            tip: str = "") -> QAction:
    action = QAction(text, window)
    if shortcuts:
        action.setShortcuts([QKeySequence(s) if isinstance(s, str) else s for s in shortcuts])
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    if tip:
        action.setStatusTip(tip)
    action.triggered.connect(slot)  # type: ignore[arg-type]
    window.addAction(action)
    return action


def build_menus(w: MainWindow) -> dict[str, QAction]:
    """Create every action of the window, put them in menus; returns them by name."""
    a: dict[str, QAction] = {}
    bar = w.menuBar()
    # ---- File
    m = bar.addMenu("&File")
    a["import_files"] = _action(w, "&Import files…", lambda: w.importer.choose_files(), [Std.Open], "Import articles from files")
    a["import_folder"] = _action(w, "Import &folder…", lambda: w.importer.choose_folder(), ["Ctrl+Shift+O"],
                                 "Import every article in a folder")
    m.addAction(a["import_files"])
    m.addAction(a["import_folder"])
    m.addSeparator()
    a["export_notes"] = _action(w, "&Export notes…", w.notes.export_notes, ["Ctrl+Shift+E"],
                                "Write highlights and notes to a Markdown or W3C JSON file")
    a["import_notes"] = _action(w, "Import &notes…", w.notes.import_notes, [],
                                "Read highlights and notes from a W3C JSON notes file")
    m.addAction(a["export_notes"])
    m.addAction(a["import_notes"])
    m.addSeparator()
    a["reindex"] = _action(w, "Rebuild search index", lambda: w.indexing.refresh(full=True))
    a["entities"] = _action(w, "Recognise entities again", w.indexing.compute_entities)
    m.addAction(a["reindex"])
    m.addAction(a["entities"])
    m.addSeparator()
    a["quit"] = _action(w, "&Quit", w.close, [Std.Quit, "Ctrl+Q"])
    a["quit"].setMenuRole(QAction.MenuRole.QuitRole)
    m.addAction(a["quit"])
    # ---- Edit
    m = bar.addMenu("&Edit")
    a["undo"] = w.undo_stack.createUndoAction(w, "&Undo")
    a["undo"].setShortcuts([QKeySequence(Std.Undo)])
    a["redo"] = w.undo_stack.createRedoAction(w, "&Redo")
    a["redo"].setShortcuts([QKeySequence(Std.Redo), QKeySequence("Ctrl+Shift+Z")])
    for key in ("undo", "redo"):
        a[key].setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        w.addAction(a[key])
        m.addAction(a[key])
    m.addSeparator()
    a["find"] = _action(w, "&Find in article…", w.reader.open_find, [Std.Find])
    a["find_next"] = _action(w, "Next hit", lambda: w.step_hit(1), [Std.FindNext, "F3"])
    a["find_prev"] = _action(w, "Previous hit", lambda: w.step_hit(-1), [Std.FindPrevious, "Shift+F3"])
    a["search"] = _action(w, "&Search library", w.search_bar.focus, ["Ctrl+K", "Ctrl+L"])
    for key in ("find", "find_next", "find_prev", "search"):
        m.addAction(a[key])
    # ---- Article
    m = bar.addMenu("&Article")
    a["next"] = _action(w, "&Next article", lambda: w.step_article(1), ["J"])
    a["prev"] = _action(w, "&Previous article", lambda: w.step_article(-1), ["K"])
    a["bookmark"] = _action(w, "&Bookmark", lambda: w.marks.toggle(), ["Ctrl+D"])
    a["bookmark_selected"] = _action(w, "Bookmark selected articles", w.marks.bookmark_selected, ["Ctrl+Shift+D"])
    a["tag"] = _action(w, "&Tag selected articles…", lambda: _ask_tag(w), ["Ctrl+T"])
    a["delete"] = _action(w, "&Delete selected articles…", lambda: w.delete_selected(), [Std.Delete])
    a["next_mention"] = _action(w, "Next mention of entity", lambda: w.step_mention(1), ["Alt+Down"])
    a["prev_mention"] = _action(w, "Previous mention of entity", lambda: w.step_mention(-1), ["Alt+Up"])
    for key in ("next", "prev", None, "bookmark", "bookmark_selected", "tag", "delete", None,
                "next_mention", "prev_mention"):
        m.addSeparator() if key is None else m.addAction(a[key])
    _notes_menu(w, bar.addMenu("&Notes"), a)
    # ---- View
    m = bar.addMenu("&View")
    a["zoom_in"] = _action(w, "Zoom &in", lambda: w.reader.view.zoom_by(1), [Std.ZoomIn, "Ctrl+="])
    a["zoom_out"] = _action(w, "Zoom &out", lambda: w.reader.view.zoom_by(-1), [Std.ZoomOut])
    a["zoom_reset"] = _action(w, "&Reset zoom", w.reader.view.zoom_reset, ["Ctrl+0"])
    for key in ("zoom_in", "zoom_out", "zoom_reset"):
        m.addAction(a[key])
    m.addSeparator()
    theme_menu = m.addMenu("&Theme")
    group = QActionGroup(w)
    for name, label in (("system", "Follow &system"), ("light", "&Light"), ("dark", "&Dark")):
        act = _action(w, label, lambda _c=False, n=name: w.set_theme(n))
        act.setCheckable(True)
        group.addAction(act)
        theme_menu.addAction(act)
        a[f"theme_{name}"] = act
    m.addSeparator()
    for name, dock in w.docks.items():
        toggle = dock.toggleViewAction()
        m.addAction(toggle)
        a[f"dock_{name}"] = toggle
    m.addSeparator()
    a["fullscreen"] = _action(w, "&Full screen", lambda: _toggle_fullscreen(w), [Std.FullScreen, "F11"])
    m.addAction(a["fullscreen"])
    # ---- Help
    m = bar.addMenu("&Help")
    a["shortcuts"] = _action(w, "&Keyboard shortcuts", lambda: show_shortcuts(w), ["Ctrl+/"])
    a["query_help"] = _action(w, "&Search syntax", w.search_bar.show_help)
    a["about"] = _action(w, "&About Reader", lambda: QMessageBox.about(
        w, "About Reader", "Reader — read, search and annotate news articles."))
    for key in ("shortcuts", "query_help", "about"):
        m.addAction(a[key])
    _dedupe_shortcuts(a)
    return a


def _notes_menu(w: MainWindow, m: QMenu, a: dict[str, QAction]) -> None:
    """Notes: highlight (H), with a note (N), the highlight colour, the panel."""
    a["highlight"] = _action(w, "&Highlight selection", w.notes.highlight, ["H"],
                             "Highlight the selected text in the current colour")
    a["highlight_note"] = _action(w, "Highlight with a &note…", w.notes.highlight_with_note, ["N"],
                                  "Highlight the selected text and write a note")
    a["highlight"].setIconText("Highlight")
    a["highlight_note"].setIconText("Note…")
    m.addAction(a["highlight"])
    m.addAction(a["highlight_note"])
    colours = m.addMenu("Highlight &colour")
    colours.setObjectName("colourMenu")
    group = QActionGroup(w)
    for i, name in enumerate(COLOURS, start=1):
        act = _action(w, annotation_label(name), lambda _c=False, n=name: w.notes.set_colour(n), [f"Alt+{i}"])
        act.setCheckable(True)
        act.setChecked(name == w.notes.colour)
        act.setIcon(colour_icon(name))
        group.addAction(act)
        colours.addAction(act)
        a[f"colour_{name}"] = act
    m.addSeparator()
    a["dock_notes_focus"] = _action(w, "Show &notes panel", lambda: _show_dock(w, "notes"), ["Ctrl+Shift+N"])
    m.addAction(a["dock_notes_focus"])
    w.reader.set_annotation_actions(a["highlight"], a["highlight_note"], colours)
    a["highlight_note"].setToolTip("Highlight the selection and write a note (N)")


def _show_dock(w: MainWindow, name: str) -> None:
    dock = w.docks[name]
    dock.show()
    dock.raise_()
    dock.widget().setFocus()


def _dedupe_shortcuts(actions: dict[str, QAction]) -> None:
    """Standard keys may repeat an explicit one (Ctrl+Q twice): keep each once."""
    for action in actions.values():
        seen: list[QKeySequence] = []
        for seq in action.shortcuts():
            if not seq.isEmpty() and all(seq != s for s in seen):
                seen.append(seq)
        action.setShortcuts(seen)


def _toggle_fullscreen(w: MainWindow) -> None:
    w.showNormal() if w.isFullScreen() else w.showFullScreen()


def _ask_tag(w: MainWindow) -> None:
    ids = w.list_pane.selected_ids()
    if not ids:
        return
    tag, ok = QInputDialog.getText(w, "Tag articles", f"Tag for {len(ids)} article(s):")
    if ok and tag.strip():
        w.marks.tag_selected(tag)


def shortcut_rows(window: QWidget) -> list[tuple[str, str]]:
    """(action, shortcuts) for every action of ``window`` that has a shortcut."""
    rows = []
    for action in window.actions():
        keys = [s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts() if not s.isEmpty()]
        if keys:
            rows.append((action.text().replace("&", "").rstrip("…"), ", ".join(keys)))
    rows.append(("Page down / up in the article", "Space, Shift+Space"))
    rows.append(("Clear the search and return to the library", "Esc"))
    rows.append(("Previous / next query", "Up, Down (in the search field)"))
    rows.append(("Select text in the article", "Shift+arrows (after a click in the text)"))
    rows.append(("Save the note (in the note editor)", "Ctrl+Enter"))
    rows.append(("Edit the selected note (in the notes panel)", "F2"))
    rows.append(("Delete the selected note (in the notes panel)", "Del, Backspace"))
    return rows


class ShortcutsDialog(QDialog):
    """Lists the window's shortcuts, read from its actions."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts")
        layout = QVBoxLayout(self)
        rows = shortcut_rows(window)
        self.table = QTableWidget(len(rows), 2)
        self.table.setHorizontalHeaderLabels(["Action", "Shortcut"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for i, (name, keys) in enumerate(rows):
            self.table.setItem(i, 0, QTableWidgetItem(name))
            self.table.setItem(i, 1, QTableWidgetItem(keys))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self.resize(520, 560)


def show_shortcuts(w: QWidget) -> ShortcutsDialog:
    dialog = ShortcutsDialog(w)
    dialog.setModal(False)
    dialog.show()
    w._shortcuts_dialog = dialog  # type: ignore[attr-defined]
    return dialog

