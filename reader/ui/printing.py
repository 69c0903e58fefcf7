"""Exported articles on paper: HTML (from :mod:`reader.store.export_article`)
laid out by Qt into a PDF or onto a printer.

``write_pdf`` works without a window (offscreen), so ``reader export ID
--format pdf`` and File > Export share it; ``print_html`` is what a Print
action calls with a configured ``QPrinter``.  No new dependency: Qt's
``QTextDocument`` does the layout, ``QPdfWriter`` / ``QPrinter`` the output.
The document never loads remote resources (images and style sheets named by
URL are not fetched).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QMarginsF, QUrl
from PySide6.QtGui import QFont, QGuiApplication, QPagedPaintDevice, QPageLayout, QPageSize, QPdfWriter, QTextDocument

PAGE_MARGIN_MM = 18.0
PDF_RESOLUTION = 300  # dots per inch of the PDF's layout
BODY_POINT_SIZE = 11.0  # the text size on paper (headings are relative to it)


class _OfflineDocument(QTextDocument):
    """A QTextDocument that loads no resource at all (no file, no network)."""

    def loadResource(self, type_: int, name: QUrl) -> object:  # noqa: N802 - Qt override
        return None


def ensure_gui_application() -> QGuiApplication:
    """The running Qt application, or a new offscreen one for command-line use
    (layout needs fonts, which need a QGuiApplication)."""
    app = QGuiApplication.instance()
    if app is None:
        platform = os.environ.get("QT_QPA_PLATFORM") or "offscreen"
        app = QGuiApplication(["reader", "-platform", platform])
    assert isinstance(app, QGuiApplication)
    return app


def document_for(html: str, title: str = "") -> QTextDocument:
    """A text document of ``html`` (with its own ``<style>``), ready to paint.

    It is left without a page size: ``print_`` then lays it out afresh for the
    printer's resolution and page (with its margins), so point sizes come out
    as points on paper."""
    ensure_gui_application()
    doc = _OfflineDocument()
    font = QFont(doc.defaultFont())
    font.setPointSizeF(BODY_POINT_SIZE)
    doc.setDefaultFont(font)
    doc.setHtml(html)
    if title:
        doc.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, title)
    return doc


def write_pdf(html: str, path: Path | str, *, title: str = "", page_size: QPageSize.PageSizeId | None = None) -> int:
    """Lay ``html`` out on A4 pages (or ``page_size``) and write it as a PDF to
    ``path`` atomically (a temp file beside it, then replaced), so a failed
    write leaves an earlier file intact.  Returns the number of pages.
    Raises ``OSError`` when the file cannot be written."""
    path = Path(path)
    doc = document_for(html, title)
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb"):  # a missing folder or no permission: a real OSError, before Qt says only "false"
        pass
    writer = QPdfWriter(str(tmp))
    writer.setResolution(PDF_RESOLUTION)
    writer.setTitle(title)
    writer.setCreator("Reader")
    writer.setPageLayout(QPageLayout(QPageSize(page_size or QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(PAGE_MARGIN_MM, PAGE_MARGIN_MM, PAGE_MARGIN_MM, PAGE_MARGIN_MM),
                                     QPageLayout.Unit.Millimeter))
    try:
        doc.print_(writer)
        del writer  # closes (finishes) the PDF file
        if not tmp.exists() or tmp.stat().st_size == 0:
            raise OSError(f"Qt could not write {tmp}")
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return max(1, doc.pageCount())


def print_html(html: str, printer: QPagedPaintDevice, *, title: str = "") -> None:
    """Print ``html`` on ``printer`` (a ``QPrinter`` the user configured in a print dialog)."""
    doc = document_for(html, title)
    doc.print_(printer)
