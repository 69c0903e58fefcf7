"""A real HTTP server on 127.0.0.1 for the network tests (started and stopped by
each test through the ``server`` fixture); nothing reaches any other address."""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    """What a route answers: ``body`` bytes, or chunks written one by one
    (``pause`` seconds apart) without a Content-Length."""

    status: int = 200
    body: bytes | Iterable[bytes] = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = "text/html; charset=utf-8"
    pause: float = 0.0


@dataclass(frozen=True)
class Seen:
    """One request the server received."""

    method: str
    path: str
    headers: dict[str, str]


Route = Callable[["Seen"], Reply]


class _QuietServer(ThreadingHTTPServer):
    """Clients that give up (timeouts, cancelled or capped fetches) are what the
    tests do on purpose: their disconnects are not printed as tracebacks."""

    def handle_error(self, request: object, client_address: object) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class LocalServer:
    """``server.route("/a", Reply(...))`` or a function of the request; ``url("/a")``."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Seen] = []
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # (else small writes wait for delayed ACKs: 40 ms each)
            wbufsize = 1 << 16  # headers and body leave in one write

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                seen = Seen("GET", self.path, {k.lower(): v for k, v in self.headers.items()})
                with outer._lock:
                    outer.requests.append(seen)
                route = outer.routes.get(self.path.split("?")[0])
                reply = route(seen) if route else Reply(404, b"not here")
                try:
                    self._send(reply)
                except (BrokenPipeError, ConnectionResetError, OSError):
                    self.close_connection = True

            def _send(self, reply: Reply) -> None:
                self.send_response(reply.status)
                if reply.content_type:
                    self.send_header("Content-Type", reply.content_type)
                for key, value in reply.headers.items():
                    self.send_header(key, value)
                if isinstance(reply.body, bytes):
                    if "Content-Length" not in reply.headers:
                        self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                    return
                self.send_header("Connection", "close")
                self.close_connection = True
                self.end_headers()
                for chunk in reply.body:
                    self.wfile.write(chunk)
                    self.wfile.flush()
                    if reply.pause:
                        time.sleep(reply.pause)

        self.httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.port = self.httpd.server_address[1]
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def start(self) -> LocalServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(5)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path: str, reply: Reply | Route) -> str:
        """Serve ``reply`` at ``path``; returns the full URL."""
        self.routes[path] = reply if callable(reply) else (lambda _seen, r=reply: r)
        return self.url(path)

    def hits(self, path: str) -> list[Seen]:
        with self._lock:
            return [s for s in self.requests if s.path.split("?")[0] == path]


def endless(chunk: bytes = b"<p>more and more</p>\n" * 50) -> Iterator[bytes]:
    while True:
        yield chunk


def gzip_bomb(decoded_mb: int = 200) -> bytes:
    """A gzip body of a few hundred KB that inflates to ``decoded_mb`` MB of zeros."""
    out = gzip.compress(b"\0" * (decoded_mb * 1024 * 1024), compresslevel=9)
    return out


def page(title: str, paragraphs: Iterable[str], *, canonical: str | None = None, author: str | None = None,
         date: str | None = None, extra_head: str = "") -> bytes:
    """A realistic article page: navigation, cookie banner, related links, footer."""
    head = [f"<title>{title} | Example News</title>", '<meta charset="utf-8">']
    if canonical:
        head.append(f'<link rel="canonical" href="{canonical}">')
    if author:
        head.append(f'<meta name="author" content="{author}">')
    if date:
        head.append(f'<meta property="article:published_time" content="{date}">')
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = (
        f"<!DOCTYPE html><html lang='en'><head>{''.join(head)}{extra_head}</head><body>"
        "<div class='cookie-banner'>We use cookies. <a href='/privacy'>Accept all</a></div>"
        "<nav><ul><li><a href='/'>Home</a></li><li><a href='/world'>World</a></li>"
        "<li><a href='/business'>Business</a></li></ul></nav>"
        f"<main><article><h1>{title}</h1>{body}</article>"
        "<aside><h2>Related</h2><ul><li><a href='/r1'>Another story</a></li><li><a href='/r2'>More</a></li></ul>"
        "</aside></main><footer><p>© Example News. All rights reserved.</p></footer></body></html>"
    )
    return html.encode("utf-8")
