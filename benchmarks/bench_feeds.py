"""Refreshing 50 loopback feeds of 50 items each, full text fetched for every new item.

A server process (this script with ``--serve``) answers on 50 ports of
127.0.0.1, one "site" per port: ``/feed.xml`` (RSS 2.0, summaries only, an
ETag so a second request gets 304) and the 50 article pages it links to,
built from the BBC corpus with realistic boilerplate (navigation, cookie
banner, related links, footer).  The client is the app's own code
(``reader.feeds.refresh.Refresher``) on a fresh library:

  first     every feed fetched, 2,500 pages fetched and extracted, stored
  second    the same feeds again (forced): every answer is 304, nothing new

Targets (issue 13): first < 15 s, second < 1 s.  ``--quick``: 10 feeds x 10 items.
``--processes N`` extracts pages in N spawned processes (default 0, as the
app: in this process's threads).  ``--stalls`` also measures a 20 ms Qt heartbeat in this process while a refresh
runs in a worker thread (the longest late beat; the GUI's stall monitor
measures the same way).  Writes ``benchmarks/results/feeds.json``.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from html import escape
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
BBC = ROOT.parent / "shared" / "data" / "bbc"
sys.path.insert(0, str(ROOT))


# ---- the server process -------------------------------------------------------------
def _bbc_articles(limit: int) -> list[tuple[str, list[str]]]:
    files = sorted(BBC.rglob("*.txt"))
    out: list[tuple[str, list[str]]] = []
    k = 0
    while len(out) < limit and files:
        lines = [x.strip() for x in files[k % len(files)].read_text(encoding="latin-1").splitlines() if x.strip()]
        if len(lines) >= 2:
            copy = k // len(files)
            suffix = f" ({copy + 1})" if copy else ""
            body = lines[1:] + ([f"This is copy {copy + 1} of the story, for the benchmark."] if copy else [])
            out.append((lines[0] + suffix, body))
        k += 1
    return out


def _page(title: str, paragraphs: list[str], url: str) -> bytes:
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    related = "".join(f"<li><a href='/related/{n}'>Related story number {n} you may like</a></li>" for n in range(8))
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{escape(title)} - Loopback News</title><link rel='canonical' href='{url}'>"
        "<meta name='author' content='Loopback Desk'><meta property='article:published_time' "
        "content='2026-11-30T08:00:00Z'></head><body>"
        "<div class='cookie-banner'><p>We use cookies to improve your experience. By continuing you agree.</p>"
        "<button>Accept all</button><button>Settings</button></div>"
        "<header><nav><ul><li><a href='/'>Home</a></li><li><a href='/news'>News</a></li><li><a href='/sport'>Sport"
        "</a></li><li><a href='/business'>Business</a></li><li><a href='/tech'>Technology</a></li></ul></nav></header>"
        f"<main><article><h1>{escape(title)}</h1><div class='byline'>By Loopback Desk</div>{body}</article>"
        f"<aside><h2>Related stories</h2><ul>{related}</ul></aside></main>"
        "<footer><ul><li><a href='/about'>About us</a></li><li><a href='/privacy'>Privacy</a></li>"
        "<li><a href='/terms'>Terms</a></li></ul><p>© 2026 Loopback News. All rights reserved.</p></footer>"
        "</body></html>"
    ).encode()


def serve(feeds: int, items: int) -> None:
    """Serve the feeds (one per port) until stdin closes; print the ports first."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    articles = _bbc_articles(feeds * items)
    servers = []
    for f in range(feeds):
        docs: dict[str, tuple[bytes, str]] = {}
        srv = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
        base = f"http://127.0.0.1:{srv.server_address[1]}"
        entries = []
        for i in range(items):
            title, paragraphs = articles[f * items + i]
            path = f"/a/{i}"
            docs[path] = (_page(title, paragraphs, base + path), "text/html; charset=utf-8")
            entries.append(f"<item><title>{escape(title)}</title><link>{base}{path}</link><guid>{base}{path}</guid>"
                           f"<pubDate>Mon, 30 Nov 2026 08:{i % 60:02d}:00 GMT</pubDate>"
                           f"<description>{escape(paragraphs[0])}</description><category>Loopback</category></item>")
        docs["/feed.xml"] = (('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                              f"<title>Loopback feed {f}</title><link>{base}/</link><description>d</description>"
                              + "".join(entries) + "</channel></rss>").encode(), "application/rss+xml")

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            pages = docs
            disable_nagle_algorithm = True  # (else small writes wait for delayed ACKs: 40 ms each)
            wbufsize = 1 << 16  # headers and body leave in one write

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                body, ctype = self.pages.get(self.path, (b"not found", "text/plain"))
                tag = f'"{len(body)}"'
                if self.headers.get("If-None-Match") == tag:
                    self.send_response(304)
                    self.send_header("ETag", tag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200 if self.path in self.pages else 404)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("ETag", tag)
                self.end_headers()
                self.wfile.write(body)

        srv.RequestHandlerClass = Handler
        srv.daemon_threads = True
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers.append(base + "/feed.xml")
    print(json.dumps(servers), flush=True)
    sys.stdin.read()  # until the benchmark closes the pipe


# ---- the benchmark ------------------------------------------------------------------
_CPU: list[float] = []  # this process's CPU seconds of each refresh (the machine may be busy)

def _refresh_once(db: Path, force: bool, processes: int = 0) -> tuple[float, Any]:
    from reader.feeds.refresh import Refresher
    from reader.store import Library

    lib = Library.open(db)
    try:
        start = time.perf_counter()
        cpu = time.process_time()
        report = Refresher(lib, extract_processes=processes).refresh(force=force)
        _CPU.append(time.process_time() - cpu)
        return time.perf_counter() - start, report
    finally:
        lib.close()


def _stalls_during_refresh(db: Path, mode: str) -> dict[str, Any]:
    """Late beats of a 20 ms Qt timer here while a refresh runs in a thread of
    this process (``thread``) or in a spawned process (``process``, what the GUI uses)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, QElapsedTimer, QTimer

    app = QCoreApplication.instance() or QCoreApplication([])
    late: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.elapsed()]

    def beat() -> None:
        now = clock.elapsed()
        late.append(max(0.0, now - last[0] - 20))
        last[0] = now

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(beat)
    timer.start()
    done = threading.Event()
    result: dict[str, Any] = {}

    def work() -> None:
        if mode == "thread":
            result["seconds"], result["report"] = _refresh_once(db, True)
        else:
            from reader.jobs.feeds import refresh_in_process

            start = time.perf_counter()
            result["report"] = refresh_in_process(db, force=True)
            result["seconds"] = time.perf_counter() - start
        done.set()

    threading.Thread(target=work, daemon=True).start()
    while not done.is_set():
        app.processEvents()
        time.sleep(0.001)
    timer.stop()
    return {"refresh_s": round(result["seconds"], 2), "max_stall_ms": round(max(late or [0]), 1),
            "beats_over_50ms": sum(1 for x in late if x > 50), "beats": len(late)}


def main(argv: list[str]) -> int:
    if "--serve" in argv:
        serve(int(argv[argv.index("--serve") + 1]), int(argv[argv.index("--serve") + 2]))
        return 0
    if not BBC.is_dir():
        print(f"the BBC corpus is not at {BBC}", file=sys.stderr)
        return 1
    quick = "--quick" in argv
    feeds, items = (10, 10) if quick else (50, 50)
    server = subprocess.Popen([sys.executable, __file__, "--serve", str(feeds), str(items)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        urls = json.loads(server.stdout.readline())  # type: ignore[union-attr]
        with tempfile.TemporaryDirectory(prefix="bench-feeds-") as home:
            os.environ["READER_HOME"] = home
            from reader.store import Library

            db = Path(home) / "lib.sqlite3"
            lib = Library.open(db)
            for url in urls:
                lib.feeds.add(url)
            lib.close()
            processes = int(argv[argv.index("--processes") + 1]) if "--processes" in argv else 0
            first_s, first = _refresh_once(db, False, processes)
            second_runs = [_refresh_once(db, True) for _ in range(3)]
            second_s = statistics.median(s for s, _ in second_runs)
            lib = Library.open(db)
            stored = lib.count()
            recorded = lib.conn.execute("SELECT count(*) FROM feed_items").fetchone()[0]
            lib.close()
            out: dict[str, Any] = {
                "feeds": feeds, "items_per_feed": items,
                "first": {"seconds": round(first_s, 2), "new_items": len(first.changed_ids),
                          "failed_feeds": len(first.failed),
                          "item_errors": sum(len(o.item_errors) for o in first.outcomes),
                          "items_per_s": round(len(first.changed_ids) / first_s, 1),
                          "client_cpu_s": round(_CPU[0], 2)},
                "second": {"seconds_median_of_3": round(second_s, 3),
                           "not_modified": sum(1 for o in second_runs[0][1].outcomes if o.status == "not_modified"),
                           "new_items": len(second_runs[0][1].changed_ids)},
                "extract_processes": processes,
                # (the BBC corpus holds about 100 duplicate texts: one article each, every item recorded)
                "stored_articles": stored, "items_recorded": recorded,
                "cpus": os.cpu_count(), "load_avg": os.getloadavg(),
            }
            if "--stalls" in argv:
                for mode in ("thread", "process"):
                    with _Reset(db):
                        out[f"stalls_{mode}"] = _stalls_during_refresh(db, mode)
    finally:
        server.stdin.close()  # type: ignore[union-attr]
        server.wait(10)
    print(f"feeds {feeds} x {items} items")
    print(f"first refresh   {out['first']['seconds']:7.2f} s  ({out['first']['new_items']} new, "
          f"{out['first']['items_per_s']} items/s, client CPU {out['first']['client_cpu_s']} s; target < 15 s)")
    print(f"second refresh  {out['second']['seconds_median_of_3']:7.3f} s  ({out['second']['not_modified']} x 304; "
          "target < 1 s)")
    for mode in ("thread", "process"):
        if f"stalls_{mode}" in out:
            s = out[f"stalls_{mode}"]
            print(f"refresh in a {mode}: {s['refresh_s']} s, longest Qt-timer stall {s['max_stall_ms']} ms, "
                  f"{s['beats_over_50ms']} beats over 50 ms")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "feeds.json").write_text(json.dumps(out, indent=2), encoding="utf-8")
    print(f"wrote {RESULTS / 'feeds.json'}")
    return 0


class _Reset:
    """Forget every stored item, so a refresh fetches every page again."""

    def __init__(self, db: Path) -> None:
        self.db = db

    def __enter__(self) -> None:
        import sqlite3

        conn = sqlite3.connect(self.db)
        conn.executescript("DELETE FROM feed_items; DELETE FROM articles; UPDATE feeds SET etag=NULL, next_check=NULL;")
        conn.close()

    def __exit__(self, *exc: object) -> None:
        pass


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
