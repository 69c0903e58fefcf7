"""Importing from the GUI: File > Import files/folder and drag-and-drop.

The import runs ``reader.store.importer.import_paths`` in a worker (the
single writer pool) with a cancellable, non-modal progress dialog; afterwards
a non-modal summary lists what failed and why, and the window refreshes the
list, the index and the entities.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QMimeData, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QProgressDialog,
    QVBoxLayout,
    QWidget,
)

from reader import paths
from reader.ui.controller import ingest_available, worker_library

if TYPE_CHECKING:
    from reader.ui.main_window import MainWindow

log = logging.getLogger(__name__)

FILE_FILTER = "Articles (*.txt *.md *.markdown *.text *.html *.htm);;All files (*)"


def job_import(ctx: Any, db_path: Path, sources: tuple[str, ...]) -> Any:
    """Worker: import ``sources``; a folder or many files in a separate process
    (parsing holds the GIL: in this process it would take turns with the GUI thread)."""
    from reader.jobs import imports

    if imports.wants_process(sources):
        return imports.import_paths_in_process(
            db_path, sources, progress=lambda done, total, name: ctx.progress(done, total, name),
            cancel=ctx.cancelled)
    return _import_here(ctx, db_path, sources)


def _import_here(ctx: Any, db_path: Path, sources: tuple[str, ...]) -> Any:
    from reader.store.importer import import_paths

    lib = worker_library(db_path)
    try:
        return import_paths(lib, [Path(p) for p in sources],
                            progress=lambda done, total, name: ctx.progress(done, total, name),
                            cancel=ctx.cancelled)
    finally:
        lib.close()


def job_import_seeds(ctx: Any, db_path: Path, seeds: Path) -> Any:
    from reader.store.importer import import_seeds

    lib = worker_library(db_path)
    try:
        return import_seeds(lib, seeds, progress=lambda done, total, name: ctx.progress(done, total, name))
    finally:
        lib.close()


def paths_from_mime(mime: QMimeData) -> list[str]:
    return [url.toLocalFile() for url in mime.urls() if url.isLocalFile() and url.toLocalFile()]


class ImportSummaryDialog(QDialog):
    """What an import did, and every file that failed with its reason."""

    def __init__(self, report: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importSummary")
        self.setWindowTitle("Import finished" if not report.cancelled else "Import cancelled")
        self.setModal(False)
        layout = QVBoxLayout(self)
        headline = QLabel(f"<b>{report.summary().capitalize()}.</b>")
        layout.addWidget(headline)
        self.errors = QPlainTextEdit()
        self.errors.setReadOnly(True)
        if report.errors:
            layout.addWidget(QLabel(f"{len(report.errors)} file(s) could not be imported:"))
            self.errors.setPlainText("\n".join(report.errors))
            layout.addWidget(self.errors, 1)
        else:
            self.errors.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        buttons.accepted.connect(self.close)
        layout.addWidget(buttons)
        self.resize(620, 320 if report.errors else 120)


class ImportController(QObject):
    """Runs imports for the window; one at a time."""

    finished = Signal(object)  # ImportReport

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.job_id = 0
        self.progress: QProgressDialog | None = None
        self.summary: ImportSummaryDialog | None = None
        self.last_report: Any = None

    @property
    def busy(self) -> bool:
        return self.job_id != 0

    # ---- user actions ------------------------------------------------
    def choose_files(self) -> None:
        start = str(self.window.settings.value("import/last_dir", str(Path.home())))
        files, _ = QFileDialog.getOpenFileNames(self.window, "Import files", start, FILE_FILTER)
        if files:
            self.window.settings.setValue("import/last_dir", str(Path(files[0]).parent))
            self.import_paths(files)

    def choose_folder(self) -> None:
        start = str(self.window.settings.value("import/last_dir", str(Path.home())))
        folder = QFileDialog.getExistingDirectory(self.window, "Import folder", start)
        if folder:
            self.window.settings.setValue("import/last_dir", folder)
            self.import_paths([folder])

    def import_paths(self, sources: Iterable[str | Path]) -> int:
        sources = tuple(str(s) for s in sources)
        if not sources:
            return 0
        if not ingest_available():
            self.window.statusBar().showMessage("Import is not available in this build (no ingest module).", 8000)
            return 0
        if self.busy:
            self.window.statusBar().showMessage("An import is already running.", 5000)
            return 0
        self.progress = QProgressDialog("Importing…", "Cancel", 0, 0, self.window)
        self.progress.setWindowTitle("Import")
        self.progress.setWindowModality(Qt.WindowModality.NonModal)
        self.progress.setMinimumDuration(400)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.canceled.connect(self.cancel)
        self.job_id = self.window.runner.run(
            "import", job_import, self.window.db_path, sources,
            on_done=self._done, on_error=self._failed, on_progress=self._progressed, writer=True)
        return self.job_id

    def cancel(self) -> None:
        if self.job_id:
            self.window.runner.cancel(self.job_id)
            if self.progress is not None:
                self.progress.setLabelText("Cancelling…")

    # ---- results -----------------------------------------------------
    def _progressed(self, done: int, total: int, name: str) -> None:
        if self.progress is None:
            return
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        self.progress.setLabelText(f"Importing {done:,} of {total:,}: {name}" if name else "Importing…")
        self.window.set_status_task(f"Importing {done:,}/{total:,}")

    def _close_progress(self) -> None:
        self.job_id = 0
        if self.progress is not None:
            self.progress.canceled.disconnect(self.cancel)
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        self.window.set_status_task("")

    def _done(self, report: Any) -> None:
        self._close_progress()
        self.last_report = report
        log.info("import: %s", report.summary())
        self.window.statusBar().showMessage(f"Import: {report.summary()}", 10000)
        if report.errors or report.cancelled:
            self.summary = ImportSummaryDialog(report, self.window)
            self.summary.show()
        self.finished.emit(report)

    def _failed(self, message: str) -> None:
        self._close_progress()
        self.window.statusBar().showMessage(f"Import failed: {message}", 15000)


def seeds_dir() -> Path:
    return paths.seeds_dir()
