"""The small note editor: the quoted passage, a colour, the note and tags.

Used for "highlight with a note" (N) and for editing an annotation later.  It
is opened window-modal with ``open()`` (never a nested event loop), and the
caller reads :meth:`NoteDialog.values` when it is accepted.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from reader.store.library import COLOURS
from reader.ui.models.annotations import _short
from reader.ui.panels.swatches import colour_icon


def parse_tags(text: str) -> tuple[str, ...]:
    """Tags typed as ``a, b c`` (commas separate; a ``#`` in front is dropped)."""
    return tuple(dict.fromkeys(t.strip().lstrip("#").strip() for t in text.split(",") if t.strip().lstrip("#")))


class NoteDialog(QDialog):
    """Edit the note, colour and tags of a highlight (new or existing)."""

    def __init__(self, quote: str, *, note: str = "", colour: str = "yellow", tags: tuple[str, ...] = (),
                 title: str = "Note", dark: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noteDialog")
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        layout = QVBoxLayout(self)
        self.quote = QLabel(f"“{_short(quote, 400)}”")
        self.quote.setObjectName("noteQuote")
        self.quote.setWordWrap(True)
        self.quote.setTextFormat(Qt.TextFormat.PlainText)
        self.quote.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.quote)
        form = QFormLayout()
        self.colour = QComboBox()
        self.colour.setObjectName("noteColour")
        for name, meaning in COLOURS.items():
            self.colour.addItem(colour_icon(name, dark), f"{name.title()} — {meaning}", name)
        self.colour.setCurrentIndex(max(0, self.colour.findData(colour)))
        self.note = QPlainTextEdit(note)
        self.note.setObjectName("noteText")
        self.note.setPlaceholderText("Your note (Ctrl+Enter saves)")
        self.note.setTabChangesFocus(True)
        self.tags = QLineEdit(", ".join(tags))
        self.tags.setObjectName("noteTags")
        self.tags.setPlaceholderText("tags, separated by commas")
        form.addRow("&Colour", self.colour)
        form.addRow("&Note", self.note)
        form.addRow("&Tags", self.tags)
        layout.addLayout(form, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.note.installEventFilter(self)  # Ctrl+Enter in the note saves (the editor would take it)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.accept)
        self.note.setFocus()
        self.resize(460, 320)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.note and event.type() in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) \
                and isinstance(event, QKeyEvent) and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            if event.type() == QEvent.Type.KeyPress:
                self.accept()
            event.accept()
            return True
        return super().eventFilter(watched, event)

    def values(self) -> tuple[str, str, tuple[str, ...]]:
        """(note, colour, tags) as entered."""
        return self.note.toPlainText().strip(), str(self.colour.currentData()), parse_tags(self.tags.text())
