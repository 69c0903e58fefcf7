"""Application start: QApplication, settings, the library, the window; and
``smoke()``, a start-to-search self check for ``reader --smoke``."""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from reader import paths
from reader.store import Library, StoreError
from reader.ui.main_window import MainWindow
from reader.ui.search_backend import SearchBackend
from reader.ui.timing import timing_mark
from reader.ui.workers import stall_debugging_requested

log = logging.getLogger(__name__)

APP_NAME = "Reader"


def app_icon() -> QIcon:
    return QIcon(str(paths.resource_path("icons", "reader.svg")))


def make_settings() -> QSettings:
    """User preferences and window state: an INI file in the config dir
    (so ``READER_HOME`` isolates tests and portable builds)."""
    return QSettings(str(paths.config_dir() / "reader.ini"), QSettings.Format.IniFormat)


def ensure_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication (created once, named, with the icon)."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    if not QGuiApplication.instance():
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setOrganizationName(APP_NAME)
    app = QApplication(argv if argv is not None else [sys.argv[0] if sys.argv else "reader"])
    app.setApplicationDisplayName(APP_NAME)
    QGuiApplication.setDesktopFileName("reader")
    app.setWindowIcon(app_icon())
    return app


def make_main_window(library: Library, *, settings: QSettings | None = None, start_background: bool = True,
                     import_seeds: bool = True, index: SearchBackend | None = None, search: bool = True,
                     recognise: bool = True, debug_stalls: bool = False) -> MainWindow:
    """The main window over ``library`` (tests pass their own settings, index,
    or leave out search or the entities pass)."""
    window = MainWindow(library, settings=settings or make_settings(), index=index, search=search,
                        recognise=recognise, start_background=start_background, import_seeds=import_seeds,
                        debug_stalls=debug_stalls)
    window.setWindowIcon(app_icon())
    return window


def open_library(path: Path, ask: Callable[[str], bool] | None = None, *, check: bool = True) -> Library | None:
    """Open the library; on a damaged file ask whether to move it aside and
    start a new one (never deletes).  ``None`` means quit."""
    try:
        return Library.open(path, check=check)
    except StoreError as exc:
        log.error("cannot open the library: %s", exc)
        if not exc.damaged:  # the file is fine (locked, newer schema, permissions): only say so
            if ask is None:
                _tell_cannot_open(str(exc))
            return None
        if ask is None:
            ask = _ask_move_aside
        if not ask(str(exc)):
            return None
        from reader.store.db import move_aside

        moved = move_aside(path)
        log.warning("moved the damaged library to %s", moved)
        return Library.open(path)


def _ask_move_aside(message: str) -> bool:
    box = QMessageBox()
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("Reader cannot open your library")
    box.setText("Reader cannot open the library file.")
    box.setInformativeText(
        f"{message}\n\nYou can move the file aside (it is kept, renamed, next to the original) and start a new "
        "library, or quit and try to repair or restore it.")
    move = box.addButton("Move aside and start a new library", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is move


def _tell_cannot_open(message: str) -> None:
    QMessageBox.critical(None, "Reader cannot open your library",
                         f"{message}\n\nThe file was not changed. Close other Reader windows, check the file's "
                         "permissions, or use the newer Reader that wrote it.")


def run_gui(argv: list[str]) -> int:
    """Start the desktop app; returns the exit code."""
    timing_mark("process_main")
    try:
        from reader.logs import setup_logging

        setup_logging("--verbose" in argv or "-v" in argv)
    except Exception:  # logging is a help, never a reason not to start
        pass
    app = ensure_app(argv)
    from reader.logs import log_file
    from reader.ui.crash import CrashReporter

    reporter = CrashReporter(log_file, app)  # exceptions in slots: a dialog naming the log, not silence
    reporter.install()
    library, window = _open_checked(paths.database_path(), stall_debugging_requested(argv))
    if library is None or window is None:
        return 1
    window.show()
    QTimer.singleShot(0, lambda: window.start_background(True))
    timing_mark("window_shown")
    code = int(app.exec())
    from reader.ui.workers import wait_for_all_runners

    finished = wait_for_all_runners(10000)
    library.close()
    if not finished:
        # A job (e.g. a search Whoosh cannot stop) is still running: leave without
        # finalising Python, which would end that thread by a forced unwind that
        # Qt turns into an abort.  Everything the user did is committed already.
        log.warning("quitting while a background job still runs")
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


def _open_checked(path: Path, debug_stalls: bool = False, ask: Callable[[str], bool] | None = None,
                  ) -> tuple[Library | None, MainWindow | None]:
    """Open the library and build the window while the integrity check of the
    file runs beside it in a thread; nothing is shown or written until the
    check passed.  A damaged file goes the way of :func:`open_library`."""
    from reader.store.db import check_integrity

    outcome: dict[str, str | None] = {}
    checker = threading.Thread(target=lambda: outcome.update(problem=check_integrity(path)), daemon=True)
    checker.start()
    library = open_library(path, check=False)
    window = None
    if library is not None:
        window = make_main_window(library, start_background=False, debug_stalls=debug_stalls)
    checker.join()
    if outcome.get("problem") is None:
        return library, window
    log.error("%s failed its integrity check: %s", path, outcome["problem"])
    if window is not None:
        window.deleteLater()
    if library is not None:
        library.close()
    library = open_library(path, ask)  # checks again and, if still damaged, asks what to do
    if library is None:
        return None, None
    return library, make_main_window(library, start_background=False, debug_stalls=debug_stalls)


def wait_until(app: QApplication, done: Callable[[], bool], timeout: float = 60.0) -> bool:
    """Process events until ``done()`` or ``timeout`` seconds (smoke, screenshots)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        app.processEvents()
        if done():
            return True
        time.sleep(0.01)
    return done()


def _smoke_web_page() -> str:
    """The title of a small saved web page read through the saved-page extractor."""
    from reader.core.ingest.html import parse_html

    body = "<p>" + "A paragraph long enough to be taken for the article text of this page. " * 4 + "</p>"
    page = (f"<html><head><title>Smoke page</title></head><body><article><h1>Smoke page</h1>{body}"
            "</article></body></html>")
    return parse_html(page, url="https://smoke.example/page").title


def smoke(timeout: float = 120.0) -> dict[str, Any]:
    """Start, import the seeds into the current READER_HOME, build the index,
    render an article, search once; returns a summary (``ok`` says it all)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    t0 = time.perf_counter()
    summary: dict[str, Any] = {"ok": False, "reader_home": os.environ.get("READER_HOME", "")}
    app = ensure_app()
    library = Library.open(paths.database_path())
    window = make_main_window(library)
    window.show()
    summary["window_shown_s"] = round(time.perf_counter() - t0, 3)
    try:
        wait_until(app, lambda: library.get_meta("seeds_imported") == "1" and window.list_pane.model.rowCount() > 0,
              timeout)
        summary["articles"] = library.count()
        wait_until(app, lambda: window.reader.article is not None, timeout)
        article = window.reader.article
        summary["rendered"] = article.title if article else None
        summary["plain_text_invariant"] = bool(
            article and window.reader.view.document().toPlainText() == article.plain_text)
        summary["first_article_s"] = round(time.perf_counter() - t0, 3)
        if window.index is None:
            summary["search"] = "unavailable"
        else:
            wait_until(app, lambda: window.indexing.state.startswith("Index:") and window.indexing.state[7:8].isdigit(),
                  timeout)
            summary["index"] = window.indexing.state
            window.search_bar.set_query("NATO")
            wait_until(app, lambda: window.list_pane.results_model.query == "NATO", timeout)
            summary["search_query"] = "NATO"
            summary["search_hits"] = window.list_pane.results_model.rowCount()
            summary["search_total"] = window.list_pane.results_model.total
        wait_until(app, lambda: not window.indexing.entities_running, timeout)
        summary["entities"] = window.status_entities.text()
        backend = library.entity_backend(article.id) if article else None
        summary["entity_backend"] = backend[0] if backend else None
        summary["entity_count"] = len(library.entities(article.id)) if article else 0
        summary["web_page"] = _smoke_web_page()  # trafilatura's data files are in the bundle
        expected = os.environ.get("READER_SMOKE_EXPECT_BACKEND")  # the bundle's smoke says which it built
        summary["ok"] = bool(summary.get("articles") and summary["plain_text_invariant"]
                             and summary["web_page"] == "Smoke page"
                             and (window.index is None or summary.get("search_hits", 0) > 0)
                             and summary["entity_count"] > 0
                             and (not expected or str(summary["entity_backend"]).split(":")[0] == expected))
    except Exception as exc:  # the summary says what broke
        summary["error"] = f"{type(exc).__name__}: {exc}"
    finally:
        summary["total_s"] = round(time.perf_counter() - t0, 3)
        window.runner.cancel_all()
        window.close()
        from reader.ui.workers import wait_for_all_runners

        wait_for_all_runners(30000)
        library.close()
    return summary
