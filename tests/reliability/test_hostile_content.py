"""Hostile content: scripts, remote images, javascript: links, CSS and raw HTML in
articles are shown as text; the reader pane never loads a remote resource and a
javascript: link never opens anything.

Two independent witnesses: the reader view's ``loadResource`` (every URL Qt asks
it for is recorded in ``blocked_urls``) and a real HTTP server on 127.0.0.1 whose
URLs the hostile articles embed - it must receive no request at all.  Both are
shown to work by positive controls (a raw ``<img>`` given to the view *is* asked
for; a request from the test *is* counted by the server).
"""

from __future__ import annotations

import http.server
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QPoint, Qt, QUrl  # noqa: E402
from PySide6.QtGui import QDesktopServices, QTextCharFormat, QTextCursor  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from reader.core.article import Article  # noqa: E402
from reader.core.ingest import load_file  # noqa: E402
from reader.store import Library  # noqa: E402
from reader.ui.views.reader_pane import ReaderPane  # noqa: E402


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str]

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        self.server.requests.append(self.path)  # type: ignore[attr-defined]
        body = b"body{}" if self.path.endswith(".css") else b"alert(1)"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET  # noqa: N815

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def trap() -> Iterator[http.server.ThreadingHTTPServer]:
    """An HTTP server on loopback, random port, recording every request path."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.requests = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(5)


def hostile_files(folder: Path, base: str) -> list[Path]:
    """Articles in every import format, each carrying remote loads and scripts."""
    folder.mkdir()
    payload = (
        f'<script src="{base}/script.js"></script><script>fetch("{base}/fetch")</script>\n'
        f'<img src="{base}/img.png"> <img src={base}/img2.png onerror="fetch(\'{base}/onerror\')">\n'
        f'<link rel="stylesheet" href="{base}/link.css">\n'
        f'<style>@import url("{base}/import.css"); body {{ background: url({base}/bg.png); }}</style>\n'
        f'<div style="background-image:url({base}/inline.png)">styled</div>\n'
        f'<iframe src="{base}/frame"></iframe><object data="{base}/object"></object>\n'
        f'<a href="javascript:fetch(\'{base}/js-link\')">click me</a>\n'
        f'<svg><image href="{base}/svg.png"/></svg>\n'
    )
    files = {
        "raw.md": (
            f"---\ntitle: Hostile Markdown\nurl: javascript:fetch('{base}/fm-url')\n---\n\n"
            f"Intro paragraph.\n\n{payload}\n"
            f"![an image]({base}/md-image.png)\n\n"
            f"[a javascript link](javascript:fetch('{base}/md-js'))\n\n"
            f"[a data link](data:text/html,<script>fetch('{base}/data')</script>)\n\n"
            f"<{base}/autolink>\n\n"
            f"[ref]: {base}/reference\n\n"
            f"Last paragraph [with a ref][ref].\n"
        ),
        "linked.md": f"---\ntitle: Hostile link line\nurl: {base}/article-link\n---\n\n{payload}",
        "plain.txt": f"Hostile <script>fetch('{base}/title')</script> text\n\n{payload}",
        "dw.txt": (
            f"Skip to content\nSkip to main menu\nWorld\n<img src={base}/dw-title.png> Hostile DW\n"
            f"April 4, 2024\n{payload}\nCaption <img src={base}/caption.png>Image: <b>A</b>/{base}/credit\n"
            f"mf/sms (Reuters, dpa)\nhttps://p.dw.com/p/4SgeI\n"
        ),
    }
    paths = []
    for name, text in files.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def char_formats(pane: ReaderPane) -> list[QTextCharFormat]:
    """The character format of every fragment of the rendered document."""
    found = []
    block = pane.view.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            found.append(it.fragment().charFormat())
            it += 1
        block = block.next()
    return found


def anchors(pane: ReaderPane) -> list[str]:
    """Every link target present in the rendered document."""
    return [fmt.anchorHref() for fmt in char_formats(pane) if fmt.isAnchor() and fmt.anchorHref()]


def settle(qtbot, pane: ReaderPane) -> None:  # noqa: ANN001
    """Scroll through the whole article, laying out and painting every part of it now."""
    bar = pane.view.verticalScrollBar()
    for value in range(0, bar.maximum() + bar.pageStep(), max(1, bar.pageStep())):
        bar.setValue(value)
        pane.view.viewport().repaint()
        QApplication.processEvents()


def barrier(qtbot, server: http.server.ThreadingHTTPServer) -> list[str]:  # noqa: ANN001
    """The requests the server got before a request of the test's own (which
    it then forgets): a request the app sent earlier has arrived by then."""
    with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/barrier", timeout=5) as response:  # noqa: S310
        response.read()
    qtbot.waitUntil(lambda: "/barrier" in server.requests, timeout=5000)  # type: ignore[attr-defined]
    server.requests.remove("/barrier")  # type: ignore[attr-defined]
    return list(server.requests)  # type: ignore[attr-defined]


@pytest.mark.timeout(60)
def test_hostile_articles_load_nothing_and_run_nothing(
    qtbot, tmp_path: Path, trap: http.server.ThreadingHTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = f"http://127.0.0.1:{trap.server_port}"
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url.toString()) or True))
    lib = Library.open(tmp_path / "lib.sqlite3")
    articles: list[Article] = []
    for path in hostile_files(tmp_path / "hostile", base):
        outcome, art_id = lib.upsert(load_file(path))
        articles.append(lib.article(art_id))  # type: ignore[arg-type]  # as stored, then shown
        assert f'<img src="{base}/img.png">' in articles[-1].plain_text, path.name  # the payload got through
    lib.close()

    pane = ReaderPane()
    qtbot.addWidget(pane)
    pane.resize(700, 400)
    pane.show()
    view = pane.view
    assert view.open_external  # the real link handling, with openUrl recorded
    for article in articles:
        pane.show_article(article)
        settle(qtbot, pane)
        assert view.isVisible()  # laid out and painted, as a reader sees it
        doc = view.document()
        # shown as text: the plain-text invariant holds and the markup is literal
        assert doc.toPlainText() == article.plain_text
        body_html = doc.toHtml().split("<body", 1)[1]  # (Qt writes its own <style> in the head)
        assert "<img" not in body_html and "<script" not in body_html and "<style" not in body_html
        assert "&lt;img" in body_html or "img" not in article.plain_text  # the markup is literal text
        assert not any(fmt.isImageFormat() for fmt in char_formats(pane))
        for href in anchors(pane):
            assert href.startswith(("http://", "https://")), href  # never javascript:, data:, file:
        # the only possible links: the article's own URL line and the http/https links its
        # Markdown wrote (kept as marks over their text, issue 17), never one from raw HTML
        written = {m.href for block in article.blocks for m in block.marks if m.kind == "link"}
        assert all(h.startswith(("http://", "https://", "mailto:")) for h in written)
        assert set(anchors(pane)) <= {article.url or "", article.short_url or ""} | written
    assert "<script" in articles[0].plain_text  # shown as text, not run
    assert view.blocked_urls == []  # Qt never even asked for a resource
    assert barrier(qtbot, trap) == []  # and nothing reached the network

    # clicks: a javascript: link (as if one were in the document) opens nothing;
    # a real http link is handed to the system browser only when clicked
    for url in ("javascript:fetch('x')", f"javascript:fetch('{base}/click')", "data:text/html,<b>x</b>",
                "file:///etc/passwd", "vbscript:msgbox(1)"):
        view.anchorClicked.emit(QUrl(url))
    assert opened == []
    linked = next(a for a in articles if a.url and a.url.startswith(base))
    pane.show_article(linked)
    settle(qtbot, pane)
    assert anchors(pane) == [linked.url]
    link_at = linked.plain_text.rindex(linked.url) + 2
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.text_map.to_qt(link_at))
    view.scroll_to_offset(link_at)
    QApplication.processEvents()
    point = view.cursorRect(cursor).center() + QPoint(2, 0)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: opened == [linked.url], timeout=3000)
    assert barrier(qtbot, trap) == []  # clicking hands the URL over; the reader itself loads nothing
    assert view.blocked_urls == []


def test_positive_controls_the_witnesses_work(qtbot, tmp_path: Path, trap: http.server.ThreadingHTTPServer) -> None:
    """Raw HTML given straight to the view *is* asked for (and refused); a request
    to the trap *is* counted - so the empty lists above mean something."""
    base = f"http://127.0.0.1:{trap.server_port}"
    pane = ReaderPane()
    qtbot.addWidget(pane)
    pane.resize(700, 400)
    pane.show()
    pane.show_article(load_file(hostile_files(tmp_path / "h", base)[2]))
    pane.view.setHtml(f'<p>raw</p><img src="{base}/control.png">')
    settle(qtbot, pane)
    assert f"{base}/control.png" in pane.view.blocked_urls
    assert trap.requests == []  # refused by loadResource: never fetched
    with urllib.request.urlopen(f"{base}/probe", timeout=5) as response:  # noqa: S310 - loopback
        response.read()
    assert trap.requests == ["/probe"]
