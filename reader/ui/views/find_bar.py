"""Find in article (Ctrl+F): a slim bar under the reader with a match count."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget


def find_all(text: str, needle: str) -> list[tuple[int, int]]:
    """Case-insensitive, whitespace-tolerant occurrences of ``needle`` in ``text``."""
    needle = needle.strip()
    if not needle:
        return []
    pattern = r"\s+".join(re.escape(part) for part in needle.split())
    return [(m.start(), m.end()) for m in re.finditer(pattern, text, re.IGNORECASE)]


class FindBar(QFrame):
    """The find bar; emits what to find and where to step; owns no document."""

    find_requested = Signal(str)
    step_requested = Signal(int)  # +1 next, -1 previous
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        self.label = QLabel("Find:")
        self.field = QLineEdit()
        self.field.setPlaceholderText("Find in article")
        self.field.setClearButtonEnabled(True)
        self.count_label = QLabel("")
        self.count_label.setMinimumWidth(90)
        self.prev_button = QToolButton(text="▲")
        self.prev_button.setToolTip("Previous match (Shift+Enter)")
        self.next_button = QToolButton(text="▼")
        self.next_button.setToolTip("Next match (Enter)")
        self.close_button = QToolButton(text="✕")
        self.close_button.setToolTip("Close (Esc)")
        for w in (self.label, self.field, self.count_label, self.prev_button, self.next_button, self.close_button):
            layout.addWidget(w)
        layout.setStretch(1, 1)
        self.field.textChanged.connect(self.find_requested)
        self.prev_button.clicked.connect(lambda: self.step_requested.emit(-1))
        self.next_button.clicked.connect(lambda: self.step_requested.emit(1))
        self.close_button.clicked.connect(self.close_bar)
        self.field.installEventFilter(self)

    def open_bar(self) -> None:
        self.show()
        self.field.setFocus()
        self.field.selectAll()
        if self.field.text():
            self.find_requested.emit(self.field.text())

    def close_bar(self) -> None:
        self.hide()
        self.closed.emit()

    def set_count(self, current: int, total: int) -> None:
        if not self.field.text().strip():
            self.count_label.setText("")
        elif total == 0:
            self.count_label.setText("No matches")
        else:
            self.count_label.setText(f"{current + 1} of {total}")

    def eventFilter(self, obj: object, event: object) -> bool:  # noqa: N802 - Qt override
        if obj is self.field and isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
                self.step_requested.emit(-1 if shift else 1)
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.close_bar()
                return True
        return super().eventFilter(obj, event)  # type: ignore[arg-type]
