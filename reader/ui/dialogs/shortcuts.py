"""The keyboard shortcuts dialog (Help > Keyboard shortcuts), generated from
the window's actual QActions so it never drifts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


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
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self.fit()

    def fit(self) -> None:
        """As wide as both columns (no horizontal scrolling), within the screen."""
        needed = (self.table.columnWidth(0) + self.table.columnWidth(1) + self.table.verticalScrollBar().sizeHint().width()
                  + 2 * self.table.frameWidth() + 32)
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        width = min(max(520, needed), int(screen.width() * 0.9) if screen else needed)
        height = min(600, int(screen.height() * 0.85)) if screen else 560
        self.resize(width, height)
        if width < needed:  # a very small screen: the action names wrap instead
            self.table.setColumnWidth(0, max(120, width - self.table.columnWidth(1) - 60))
            self.table.resizeRowsToContents()


def show_shortcuts(w: QWidget) -> ShortcutsDialog:
    """Show the dialog (not modal); it is deleted when closed."""
    dialog = ShortcutsDialog(w)
    dialog.setModal(False)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
