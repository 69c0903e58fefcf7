"""Article > Tag…: a dialog sized for its title and a tag name, completing
the tags the library already has (as the user types, any part of the name)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCompleter, QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget


class TagDialog(QDialog):
    """Ask for one tag for ``count`` articles; ``existing`` tags are suggested."""

    def __init__(self, count: int, existing: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tagDialog")
        self.setWindowTitle("Tag articles")
        layout = QVBoxLayout(self)
        self.prompt = QLabel(f"Tag for {count} article{'s' if count != 1 else ''}:")
        layout.addWidget(self.prompt)
        self.field = QLineEdit()
        self.field.setObjectName("tagField")
        self.field.setPlaceholderText("e.g. follow-up" if not existing else f"e.g. {existing[0]}")
        self.completer = QCompleter(sorted(existing, key=str.casefold), self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.field.setCompleter(self.completer)
        layout.addWidget(self.field)
        if existing:
            shown = ", ".join(existing[:8]) + ("…" if len(existing) > 8 else "")
            hint = QLabel(f"Existing tags: {shown}")
            hint.setWordWrap(True)
            hint.setObjectName("tagHint")
            layout.addWidget(hint)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.field.textChanged.connect(self._changed)
        self._changed("")
        # wide enough for the title bar's text and a long tag name
        self.setMinimumWidth(max(380, self.fontMetrics().horizontalAdvance(self.windowTitle()) * 3))

    def _changed(self, text: str) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(text.strip()))

    def tag(self) -> str:
        """The tag typed (trimmed)."""
        return self.field.text().strip()
