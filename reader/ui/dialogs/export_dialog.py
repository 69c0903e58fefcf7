"""File > Export notes…: Markdown or W3C JSON, this article or the whole
library, to a file chosen with the save dialog.  A failed write is shown in
the dialog, naming the file, and the dialog stays open to try again."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from reader.store import Library
from reader.store.export import write_notes

SUFFIX = {"markdown": ".md", "json": ".json"}
FILTERS = {"markdown": "Markdown (*.md *.markdown)", "json": "W3C Web Annotation JSON (*.json *.jsonld)"}


class ExportNotesDialog(QDialog):
    """Choose the format and the scope, then a file; writes it and closes."""

    exported = Signal(str, int)  # path, number of notes

    def __init__(self, library: Library, current_id: str | None, current_title: str, start_dir: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportNotesDialog")
        self.setWindowTitle("Export notes")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.library = library
        self.current_id = current_id
        self.start_dir = start_dir
        layout = QVBoxLayout(self)
        fmt_box = QGroupBox("Format")
        fmt_layout = QVBoxLayout(fmt_box)
        self.markdown = QRadioButton("&Markdown — a readable notes file")
        self.json = QRadioButton("&W3C Web Annotation JSON — for other tools, and to import again")
        self.markdown.setChecked(True)
        self.formats = QButtonGroup(self)
        for button in (self.markdown, self.json):
            self.formats.addButton(button)
            fmt_layout.addWidget(button)
        scope_box = QGroupBox("Notes of")
        scope_layout = QVBoxLayout(scope_box)
        title = current_title if len(current_title) <= 60 else current_title[:59] + "…"
        self.this_article = QRadioButton(f"this &article: {title}" if current_id else "this article (none open)")
        self.this_article.setEnabled(current_id is not None)
        self.whole_library = QRadioButton("the whole &library")
        (self.this_article if current_id else self.whole_library).setChecked(True)
        self.scopes = QButtonGroup(self)
        for button in (self.this_article, self.whole_library):
            self.scopes.addButton(button)
            scope_layout.addWidget(button)
        layout.addWidget(fmt_box)
        layout.addWidget(scope_box)
        self.error = QLabel("")
        self.error.setObjectName("exportError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: palette(bright-text);")
        self.error.hide()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = QPushButton("&Export…")
        self.export_button.setDefault(True)
        self.buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.rejected.connect(self.reject)
        self.export_button.clicked.connect(self.choose_and_write)
        layout.addWidget(self.buttons)
        self.last_path: Path | None = None

    def fmt(self) -> str:
        return "json" if self.json.isChecked() else "markdown"

    def article_ids(self) -> list[str] | None:
        return [self.current_id] if self.this_article.isChecked() and self.current_id else None

    def choose_and_write(self) -> None:
        fmt = self.fmt()
        suggested = str(Path(self.start_dir) / f"reader-notes{SUFFIX[fmt]}")
        name, _ = QFileDialog.getSaveFileName(self, "Export notes", suggested, FILTERS[fmt] + ";;All files (*)")
        if not name:
            return
        path = Path(name)
        if not path.suffix:
            path = path.with_suffix(SUFFIX[fmt])
        try:
            count = write_notes(self.library, path, fmt, self.article_ids())
        except OSError as exc:
            self.error.setText(f"Could not export the notes to {path}: {exc.strerror or exc}")
            self.error.show()
            return
        self.last_path = path
        self.exported.emit(str(path), count)
        self.accept()
