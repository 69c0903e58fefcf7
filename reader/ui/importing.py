"""Importing from the GUI: File > Import files/folder and drag-and-drop.

The import runs ``reader.store.importer.import_paths`` in a worker (the
single writer pool) with a cancellable, non-modal progress dialog; afterwards
a non-modal summary lists what failed and why, and ``articles_changed(ids,
ADDED)`` brings the list, the open article, the index and the entities up to date.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QMimeData, QObject, QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QProgressDialog,
    QVBoxLayout,
    QWidget,
)

from reader import paths
from reader.store.importer import ImportReport
from reader.ui.actions import Std, make_action
from reader.ui.events import LibraryEvents, What
from reader.ui.jobs import job_import, job_import_seeds
from reader.ui.workers import TaskRunner

log = logging.getLogger(__name__)

FILE_FILTER = ("Articles (*.txt *.md *.markdown *.text *.html *.htm *.xhtml);;"
               "Read-later exports (*.zip *.json *.csv *.html);;All files (*)")


def paths_from_mime(mime: QMimeData) -> list[str]:
    return [url.toLocalFile() for url in mime.urls() if url.isLocalFile() and url.toLocalFile()]


class ImportSummaryDialog(QDialog):
    """What an import did: every file that failed and why, every file passed
    over and why, what was imported with a warning, and the highlights brought in."""

    def __init__(self, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importSummary")
        self.setWindowTitle("Import finished" if not report.cancelled else "Import cancelled")
        self.setModal(False)
        layout = QVBoxLayout(self)
        headline = QLabel(f"<b>{report.summary().capitalize()}.</b>")
        headline.setObjectName("importHeadline")
        headline.setWordWrap(True)
        layout.addWidget(headline)
        if report.highlights:
            placed = report.highlights - report.orphaned
            text = f"{report.highlights} highlight(s) brought in"
            if report.orphaned:
                text += f": {placed} placed in their articles, {report.orphaned} not found in the text (kept as notes)"
            self.highlights = QLabel(text + ".")
            self.highlights.setObjectName("importHighlights")
            layout.addWidget(self.highlights)
        self.errors = self._section(layout, "importErrors", report.errors, "{n} file(s) could not be imported:")
        self.skipped = self._section(layout, "importSkipped", report.skipped, "{n} file(s) skipped:")
        self.warnings = self._section(layout, "importWarnings", report.warnings, "{n} warning(s):")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        buttons.accepted.connect(self.close)
        layout.addWidget(buttons)
        sections = sum(1 for lines in (report.errors, report.skipped, report.warnings) if lines)
        self.resize(660, 140 + 160 * sections)

    @staticmethod
    def _section(layout: QVBoxLayout, name: str, lines: list[str], title: str) -> QPlainTextEdit:
        box = QPlainTextEdit()
        box.setObjectName(name)
        box.setReadOnly(True)
        box.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        if lines:
            layout.addWidget(QLabel(title.format(n=len(lines))))
            box.setPlainText("\n".join(lines))
            layout.addWidget(box, 1)
        else:
            box.hide()
        return box


class FolderDialog(QFileDialog):
    """Choosing a folder to import, with "Tag with the folder's name" (for
    plain-text corpora without dates or sources)."""

    def __init__(self, parent: QWidget | None, start: str, tag_from_folder: bool) -> None:
        super().__init__(parent, "Import folder", start)
        self.setObjectName("importFolderDialog")
        self.setFileMode(QFileDialog.FileMode.Directory)
        self.setOption(QFileDialog.Option.ShowDirsOnly, True)
        self.setOption(QFileDialog.Option.DontUseNativeDialog, True)  # (a native one takes no checkbox)
        self.tag_box = QCheckBox("&Tag with the folder's name")
        self.tag_box.setObjectName("tagFromFolder")
        self.tag_box.setToolTip("Each article gets the name of the folder it is in as a tag")
        self.tag_box.setChecked(tag_from_folder)
        grid = self.layout()
        if isinstance(grid, QGridLayout):
            grid.addWidget(self.tag_box, grid.rowCount(), 0, 1, grid.columnCount())
        else:
            grid.addWidget(self.tag_box)

    @property
    def tag_from_folder(self) -> bool:
        return self.tag_box.isChecked()


class ImportController(QObject):
    """Runs imports for the window; one at a time."""

    finished = Signal(object)  # ImportReport

    def __init__(self, db_path: Path, runner: TaskRunner, events: LibraryEvents, settings: QSettings,
                 parent: QWidget) -> None:
        super().__init__(parent)
        self.db_path, self.runner, self.events, self.settings = db_path, runner, events, settings
        self.parent_widget = parent
        self.job_id = 0
        self.progress: QProgressDialog | None = None
        self.summary: ImportSummaryDialog | None = None
        self.last_report: ImportReport | None = None
        self.actions = {
            "import_files": make_action(self, "&Import files…", self.choose_files, [Std.Open],
                                        "Import articles from files"),
            "import_folder": make_action(self, "Import &folder…", self.choose_folder, ["Ctrl+Shift+O"],
                                         "Import every article in a folder"),
        }

    @property
    def busy(self) -> bool:
        return self.job_id != 0

    # ---- user actions ------------------------------------------------
    def choose_files(self) -> None:
        start = str(self.settings.value("import/last_dir", str(Path.home())))
        files, _ = QFileDialog.getOpenFileNames(self.parent_widget, "Import files", start, FILE_FILTER)
        if files:
            self.settings.setValue("import/last_dir", str(Path(files[0]).parent))
            self.import_paths(files)

    def choose_folder(self) -> None:
        start = str(self.settings.value("import/last_dir", str(Path.home())))
        tag = str(self.settings.value("import/tag_from_folder", "false")).lower() == "true"
        dialog = FolderDialog(self.parent_widget, start, tag)
        if dialog.exec() and dialog.selectedFiles():
            folder = dialog.selectedFiles()[0]
            self.settings.setValue("import/last_dir", folder)
            self.settings.setValue("import/tag_from_folder", "true" if dialog.tag_from_folder else "false")
            self.import_paths([folder], tag_from_folder=dialog.tag_from_folder)

    def import_paths(self, sources: Iterable[str | Path], *, tag_from_folder: bool = False) -> int:
        """Import ``sources`` in the background (``tag_from_folder``: each article
        gets its folder's name as a tag)."""
        sources = tuple(str(s) for s in sources)
        if not sources:
            return 0
        if self.busy:
            self.events.info("An import is already running.")
            return 0
        self.progress = QProgressDialog("Importing…", "Cancel", 0, 0, self.parent_widget)
        self.progress.setWindowTitle("Import")
        self.progress.setWindowModality(Qt.WindowModality.NonModal)
        self.progress.setMinimumDuration(400)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.canceled.connect(self.cancel)
        self.job_id = self.runner.run(
            "import", job_import, self.db_path, sources, tag_from_folder,
            on_done=self._done, on_error=self._failed, on_progress=self._progressed, writer=True)
        return self.job_id

    def import_seeds(self) -> None:
        """The bundled articles, on a first start."""
        self.events.busy("Importing the bundled articles…")
        self.runner.run("seeds", job_import_seeds, self.db_path, paths.seeds_dir(),
                        on_done=self._seeds_done, on_error=self._seeds_failed, writer=True)

    def cancel(self) -> None:
        if self.job_id:
            self.runner.cancel(self.job_id)
            if self.progress is not None:
                self.progress.setLabelText("Cancelling…")

    # ---- results -----------------------------------------------------
    def _progressed(self, done: int, total: int, name: str) -> None:
        if self.progress is None:
            return
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        self.progress.setLabelText(f"Importing {done:,} of {total:,}: {name}" if name else "Importing…")
        self.events.busy(f"Importing {done:,}/{total:,}")

    def _close_progress(self) -> None:
        self.job_id = 0
        if self.progress is not None:
            self.progress.canceled.disconnect(self.cancel)
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        self.events.busy("")

    def _done(self, report: ImportReport) -> None:
        self._close_progress()
        self.last_report = report
        log.info("import: %s", report.summary())
        self.events.done(f"Import: {report.summary()}")
        if report.errors or report.cancelled or report.skipped or report.warnings or report.highlights:
            self.summary = ImportSummaryDialog(report, self.parent_widget)
            self.summary.show()
        self.events.articles_changed.emit(list(report.changed_ids), What.ADDED)
        self.finished.emit(report)

    def _failed(self, message: str) -> None:
        self._close_progress()
        self.events.fail("Import failed", f"Nothing more was imported: {message}")

    def _seeds_done(self, report: ImportReport | None) -> None:
        self.events.busy("")
        if report is not None and report.errors:
            log.warning("seed import problems: %s", report.errors)
        self.events.articles_changed.emit(list(report.changed_ids) if report else [], What.ADDED)

    def _seeds_failed(self, message: str) -> None:
        self.events.busy("")
        self.events.fail("Could not import the bundled articles", message)
