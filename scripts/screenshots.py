"""Write screenshots of the app to docs/screenshots/ (run offscreen: `make screenshots`).

library-light.png / library-dark.png  the library with an article open
search.png                            search results with snippets, hits in the reader
import-summary.png                    the import summary listing failed files
annotations.png / annotations-dark.png  highlights in several colours, one with a note, the notes panel
empty.png                             a new, empty library
feeds-sidebar.png / feeds-sidebar-dark.png / feeds-small.png
                                      the Feeds sidebar with unread counts and a failing feed
                                      (1440x900 light and dark, 900x600)
add-link.png                          Add from link with a result per address (a loopback server)
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"


def wait(app, done, timeout: float = 60.0) -> bool:  # noqa: ANN001
    from reader.ui.app import wait_until

    return wait_until(app, done, timeout)


def settle(app, seconds: float = 0.3) -> None:  # noqa: ANN001
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="reader-shots-") as home:
        os.environ["READER_HOME"] = home
        from reader import paths
        from reader.store import Library
        from reader.ui.app import ensure_app, make_main_window
        from reader.ui.importing import ImportSummaryDialog

        app = ensure_app()
        # ---- the empty state
        empty_home = Path(home) / "empty"
        empty_home.mkdir()
        empty_lib = Library.open(empty_home / "library.sqlite3")
        win = make_main_window(empty_lib, import_seeds=False)
        win.resize(1280, 800)
        win.show()
        wait(app, lambda: win.list_loaded)
        settle(app)
        win.grab().save(str(OUT / "empty.png"))
        written = ["empty.png"]
        win.runner.wait(30000)
        win.close()
        empty_lib.close()
        # ---- the library with the seeds
        lib = Library.open(paths.database_path())
        win = make_main_window(lib)
        win.resize(1280, 800)
        win.show()
        wait(app, lambda: lib.get_meta("seeds_imported") == "1" and win.reader.article is not None)
        if win.index is not None:
            wait(app, lambda: win.indexing.state[7:8].isdigit(), 120)
        wait(app, lambda: not win.indexing.entities_running, 180)
        settle(app, 0.5)
        # open the newest article again so the entity layer reflects the finished run
        # at a large and a small window (the layout must hold at 900x600), both themes
        for (w, h), suffix in (((1440, 900), ""), ((900, 600), "-900x600")):
            win.resize(w, h)
            for theme in ("light", "dark"):
                win.set_theme(theme)
                settle(app)
                win.grab().save(str(OUT / f"library-{theme}{suffix}.png"))
                written.append(f"library-{theme}{suffix}.png")
        win.resize(1440, 900)
        win.set_theme("light")
        # ---- search
        if win.index is not None:
            win.search_bar.set_query("Stoltenberg")
            wait(app, lambda: win.list_pane.results_model.query == "Stoltenberg")
            win.list_pane.step(1)
            wait(app, lambda: bool(win.reader.view.layer_spans("search")), 10)
            settle(app)
            win.grab().save(str(OUT / "search.png"))
            written.append("search.png")
            win.resize(900, 600)
            settle(app)
            win.grab().save(str(OUT / "search-900x600.png"))
            written.append("search-900x600.png")
            win.resize(1440, 900)
            win.search_bar.clear()
        # ---- annotations
        written += annotated(app, win)
        # ---- feeds and links
        written += feeds_and_links(app, win)
        # ---- import summary with errors
        bad = Path(home) / "to-import"
        bad.mkdir()
        (bad / "empty.txt").write_text("", encoding="utf-8")
        (bad / "binary.txt").write_bytes(bytes(range(256)) * 8)
        (bad / "note.md").write_text("# A Markdown note\n\nWith a paragraph about NATO in Brussels.\n",
                                     encoding="utf-8")
        (bad / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n")
        win.importer.import_paths([str(bad)])
        wait(app, lambda: win.importer.last_report is not None, 60)
        settle(app, 0.5)
        report = win.importer.last_report
        if report is not None:
            dialog = win.importer.summary or ImportSummaryDialog(report, win)
            dialog.show()
            settle(app)
            dialog.grab().save(str(OUT / "import-summary.png"))
            written.append("import-summary.png")
        win.runner.cancel_all()
        win.runner.wait(30000)
        win.close()
        lib.close()
    print("wrote", ", ".join(str(OUT / name) for name in written))
    return 0


STORY = (b"<!DOCTYPE html><html lang='en'><head><title>Harbour reopens after the storm | Coast News</title>"
         b"<meta name='author' content='Ana Ruiz'></head><body><nav><a href='/'>Home</a></nav><article>"
         b"<h1>Harbour reopens after the storm</h1>"
         + b"".join(b"<p>The harbour reopened on Tuesday after two days of storms closed it to ferries and "
                    b"fishing boats, the port authority said in a statement.</p>" for _ in range(6))
         + b"</article><footer>Coast News</footer></body></html>")


def _serve_story() -> tuple[object, str]:
    """A loopback server with one article page at /story (everything else: 404)."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            found = self.path == "/story"
            body = STORY if found else b"not here"
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def feeds_and_links(app, win) -> list[str]:  # noqa: ANN001
    """The Feeds sidebar (filled from the library's own articles) and Add from link."""
    from datetime import UTC, datetime, timedelta

    store = win.library.feeds
    ids = win.library.ids("date")
    later = (datetime.now(UTC) + timedelta(days=1)).isoformat(timespec="seconds")
    feeds = [("https://www.dw.com/en/top-stories/rss", "DW — Top stories"),
             ("https://feeds.bbci.co.uk/news/world/rss.xml", "BBC News — World"),
             ("https://www.theguardian.com/europe/rss", "The Guardian — Europe"),
             ("https://example.org/blog/feed.atom", "A quiet blog")]
    for n, (url, title) in enumerate(feeds):
        feed = store.add(url, title=title)
        store.record_success(feed.id, etag=None, last_modified=None, next_check=later)
        for k, aid in enumerate(ids if n < 3 else ids[:1]):  # (the seed library is small: feeds share articles)
            store.record_item(feed.id, key=f"shot-{n}-{k}", guid=None, link=None, article_id=aid)
            win.library.set_read(aid, k > 0)
    failing = store.by_url(feeds[3][0])
    store.record_failure(failing.id, f"{feeds[3][0]}: HTTP 503 Service Unavailable", next_check=later)
    win.events.feeds_changed.emit()
    wait(app, lambda: any("DW" in t for t in _sidebar(win)), 20)
    win.docks["feeds"].show()
    win.feeds_panel.select_view(store.by_url(feeds[0][0]).id)
    wait(app, lambda: win.list_pane.scope_label.text().startswith("Feed:"), 20)
    written = []
    for name, theme, size in (("feeds-sidebar.png", "light", (1440, 900)), ("feeds-sidebar-dark.png", "dark", (1440, 900)),
                              ("feeds-small.png", "light", (900, 600))):
        win.set_theme(theme)
        win.resize(*size)
        settle(app, 0.6)
        win.grab().save(str(OUT / name))
        written.append(name)
    win.set_theme("light")
    win.resize(1280, 800)
    win.feeds_panel.select_view(None)
    server, base = _serve_story()
    try:
        win.links.add([f"{base}/story", f"{base}/gone", "http://127.0.0.1:9/refused"])
        wait(app, lambda: win.links.dialog is not None and not win.links.dialog.running, 90)
        settle(app, 0.4)
        win.links.dialog.grab().save(str(OUT / "add-link.png"))
        written.append("add-link.png")
        win.links.dialog.close()
    finally:
        server.shutdown()  # type: ignore[attr-defined]
    return written


def _sidebar(win) -> list[str]:  # noqa: ANN001
    lst = win.feeds_panel.list
    return [lst.item(r).text() for r in range(lst.count())]


HIGHLIGHTS = (  # (quote, colour, note) in the NATO seed article
    ("The US and Europe still need each other", "yellow", ""),
    ("secure the long-term viability of the military alliance", "green", ""),
    ('"central anchor of security"', "blue", "Baerbock's phrase: compare with the 2023 strategy paper."),
    ('"direct confrontation"', "pink", ""),
    ("Here are some of the main developments", "purple", ""),
)


def annotated(app, win) -> list[str]:  # noqa: ANN001
    """Highlights made the way the app makes them: select, choose a colour, H (or N and a note)."""
    from PySide6.QtGui import QTextCursor

    target = next((i for i in win.library.ids() if "wrap up summit" in (win.library.article(i).title or "")), None)
    if target is None:
        return []
    win.lists.open_in_library(target)
    wait(app, lambda: win.current_id == target)
    view = win.reader.view
    text = win.reader.article.plain_text
    for quote, colour, note in HIGHLIGHTS:
        start = text.find(quote)
        if start < 0:
            continue
        cursor = QTextCursor(view.document())
        cursor.setPosition(view.text_map.to_qt(start))
        cursor.setPosition(view.text_map.to_qt(start + len(quote)), QTextCursor.MoveMode.KeepAnchor)
        view.setTextCursor(cursor)
        win.notes.set_colour(colour)
        if note:
            dialog = win.notes.highlight_with_note()
            if dialog is not None:
                dialog.note.setPlainText(note)
                dialog.tags.setText("security, quotes")
                dialog.accept()
        else:
            win.notes.highlight()
    win.notes.set_colour("yellow")
    win.docks["notes"].show()
    win.docks["notes"].raise_()
    win.statusBar().clearMessage()
    view.scroll_to_offset(text.find("What you need to know"), top=True)
    settle(app)
    win.grab().save(str(OUT / "annotations.png"))
    win.set_theme("dark")
    settle(app)
    win.grab().save(str(OUT / "annotations-dark.png"))
    win.set_theme("light")
    settle(app)
    return ["annotations.png", "annotations-dark.png"]


if __name__ == "__main__":
    raise SystemExit(main())
