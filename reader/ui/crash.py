"""Unexpected exceptions in the GUI: logged with their traceback, then shown in
a dialog that names the log file, instead of vanishing into stderr.

User data is safe regardless: every change is committed to SQLite when it is
made (see :mod:`reader.store.library`), so there is nothing to "save" here.
The dialog is non-modal and shown at most once per ``QUIET_S`` seconds, so an
exception raised on every paint cannot bury the user in dialogs.
"""

from __future__ import annotations

import logging
import queue
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

log = logging.getLogger(__name__)

QUIET_S = 10.0
POLL_MS = 200


class CrashReporter(QObject):
    """Installs ``sys.excepthook`` and ``threading.excepthook``; shows the dialog
    in the GUI thread.  Reports go through a plain queue that a GUI-thread timer
    drains: a plain Python thread must not touch Qt (emitting a signal from one
    makes Qt adopt the thread, which crashed at interpreter exit)."""

    def __init__(self, log_path: Callable[[], Path | None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._log_path = log_path
        self._last_shown = -QUIET_S
        self.dialog: QMessageBox | None = None
        self.count = 0
        self._previous_hook = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        self._pending: queue.SimpleQueue[tuple[str, str]] = queue.SimpleQueue()
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._drain)

    def install(self) -> None:
        sys.excepthook = self._hook
        threading.excepthook = self._thread_hook
        self._timer.start()

    def uninstall(self) -> None:
        sys.excepthook = self._previous_hook
        threading.excepthook = self._previous_thread_hook
        self._timer.stop()

    def _hook(self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            self._previous_hook(kind, exc, tb)
            return
        self.handle(exc, tb)

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            self.handle(args.exc_value, args.exc_traceback)

    def handle(self, exc: BaseException, tb: TracebackType | None) -> None:
        """Log ``exc`` and ask the GUI thread to show the dialog."""
        self.count += 1
        text = "".join(traceback.format_exception(type(exc), exc, tb))
        log.error("unexpected error: %s", text)
        self._pending.put((f"{type(exc).__name__}: {exc}", text))

    def _drain(self) -> None:
        while True:
            try:
                summary, details = self._pending.get_nowait()
            except queue.Empty:
                return
            self._show(summary, details)

    def _show(self, summary: str, details: str) -> None:
        now = time.monotonic()
        if now - self._last_shown < QUIET_S or QApplication.instance() is None:
            return
        self._last_shown = now
        path = self._log_path()
        where = f"The details were written to the log file:\n{path}" if path else (
            "The log file could not be written; the details are below.")
        box = QMessageBox(QApplication.activeWindow())
        box.setObjectName("crashDialog")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Reader ran into a problem")
        box.setText(f"Something went wrong: {summary[:300]}")
        box.setInformativeText(
            f"Your library, bookmarks and notes are safe: every change is saved when you make it.\n\n{where}\n\n"
            "You can keep working; if it happens again, please report it with the log file.")
        box.setDetailedText(details)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setModal(False)
        box.destroyed.connect(self._forget_dialog)
        box.show()
        self.dialog = box

    def _forget_dialog(self) -> None:
        self.dialog = None
