"""Article > Edit details…: correct an article's title, date, authors and
source.  A bad date is said under the field and the dialog stays open; the
correction is kept across re-import (:mod:`reader.store.overrides`)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from reader.core.article import Article
from reader.store.overrides import MetadataError, parse_date


class MetadataDialog(QDialog):
    """Edit the details of one article; ``saved(title, date, authors, source)``."""

    saved = Signal(str, str, list, str)

    def __init__(self, article: Article, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("metadataDialog")
        self.setWindowTitle("Edit article details")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.title_field = QLineEdit(article.title)
        self.date_field = QLineEdit(article.published.date().isoformat() if article.published else "")
        self.date_field.setPlaceholderText("YYYY-MM-DD (empty: keep; “undated”: no date)")
        self.authors_field = QLineEdit(", ".join(article.authors))
        self.authors_field.setPlaceholderText("Names, separated by commas")
        self.source_field = QLineEdit(article.source or "")
        form.addRow("&Title:", self.title_field)
        form.addRow("&Date:", self.date_field)
        form.addRow("&Authors:", self.authors_field)
        form.addRow("&Source:", self.source_field)
        layout.addLayout(form)
        self.error = QLabel("")
        self.error.setObjectName("metadataError")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        note = QLabel("Your corrections are kept when the article is imported again.")
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(max(460, self.fontMetrics().horizontalAdvance(article.title[:80]) + 140))

    def _save(self) -> None:
        date = self.date_field.text().strip()
        if date:
            try:
                parse_date(date)
            except MetadataError as exc:
                self.show_error(str(exc))
                return
        authors = [a.strip() for a in self.authors_field.text().split(",") if a.strip()]
        self.saved.emit(self.title_field.text().strip(), date, authors, self.source_field.text().strip())
        self.accept()

    def show_error(self, text: str) -> None:
        self.error.setText(text[:1].upper() + text[1:])
        self.error.show()
