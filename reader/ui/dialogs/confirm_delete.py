"""Asking before articles are deleted (Delete key, Edit > Delete)."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QMessageBox, QWidget


def confirm_delete(parent: QWidget, articles: int, notes: int) -> bool | None:
    """Ask whether to delete ``articles`` articles; ``None``: cancelled, else
    whether to delete their ``notes`` notes too (kept as orphans by default)."""
    box = QMessageBox(QMessageBox.Icon.Question, "Delete articles",
                      f"Delete {articles} article(s) from the library?\n"
                      "You can undo this with Edit > Undo (Ctrl+Z).",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, parent)
    box.setObjectName("confirmDelete")
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    check = None
    if notes:
        box.setInformativeText(f"Their {notes} note(s) are kept (listed under Notes > All notes) "
                               "unless you tick the box.")
        check = QCheckBox(f"Also delete their {notes} note{'s' if notes != 1 else ''}")
        check.setObjectName("deleteNotes")
        box.setCheckBox(check)
    if box.exec() != QMessageBox.StandardButton.Yes:
        return None
    return bool(check is not None and check.isChecked())
