"""Fetching one web page or feed with httpx, safely.

Every fetch has a connect timeout, a read timeout (no data for that long) and a
total deadline (a server sending one byte a second is cut off too), a size cap
counted on the *decoded* body while it streams (a gzip bomb or a never-ending
body stops at the cap), at most five redirects (a loop is named as one), a
content-type check before the body is read, gzip/deflate/brotli decoding and
no cookies kept from one page to the next.  Every failure is a
:class:`FetchError` whose ``str()`` is one line naming the URL and the reason.

A :class:`Fetcher` is safe to share between threads: it keeps one connection
pool and limits the requests to one host that run at once (politeness).
"""

from __future__ import annotations

import codecs
import email.utils
import http.cookiejar
import re
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import brotli
import httpcore
import httpx

from reader import __version__

#: Sent with every request: names the program and says what it is.
USER_AGENT = f"Reader/{__version__} (desktop news reader; fetches pages and feeds the user asked for)"

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
#: What a feed may be served as (many servers use the generic XML or text types).
FEED_TYPES = frozenset({
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml",
    "application/feed+json", "application/json", "text/json", "application/x-rss+xml", "text/rss+xml",
    "text/plain", "application/octet-stream",
    # a site page instead of a feed: the caller looks for <link rel="alternate">
    "text/html", "application/xhtml+xml",
})

Cancel = Callable[[], bool]


class FetchError(Exception):
    """A page or feed could not be fetched.

    ``str(err)`` is ``"<url>: <reason>"``, one line.  ``kind`` is a short
    machine-readable cause (``dns``, ``refused``, ``offline``, ``timeout``,
    ``deadline``, ``http``, ``redirects``, ``too_large``, ``type``,
    ``bad_url``, ``protocol``, ``tls``, ``cancelled``, ``network``); ``status``
    the HTTP status for ``http``; ``retry_after`` seconds when the server said.
    """

    def __init__(self, url: str, reason: str, *, kind: str = "network", status: int | None = None,
                 retry_after: float | None = None) -> None:
        self.url = url
        self.reason = " ".join(reason.split())
        self.kind = kind
        self.status = status
        self.retry_after = retry_after
        super().__init__(f"{url}: {self.reason}")

    def __reduce__(self) -> Any:  # picklable across processes, keyword arguments included
        return (_rebuild_error, (self.url, self.reason, self.kind, self.status, self.retry_after))

    @property
    def transient(self) -> bool:
        """Whether trying again later may help (timeouts, 5xx, 429, network trouble)."""
        if self.kind == "http":
            return self.status is not None and (self.status >= 500 or self.status in (408, 425, 429))
        return self.kind in {"dns", "refused", "offline", "timeout", "deadline", "protocol", "network"}


def _rebuild_error(url: str, reason: str, kind: str, status: int | None, retry_after: float | None) -> FetchError:
    return FetchError(url, reason, kind=kind, status=status, retry_after=retry_after)


@dataclass(frozen=True)
class FetchLimits:
    """Timeouts (seconds) and caps of one fetch."""

    connect_timeout: float = 10.0
    read_timeout: float = 20.0  # no data at all for this long
    deadline: float = 60.0  # the whole fetch, redirects and body included
    max_bytes: int = 10 * 1024 * 1024  # decoded body
    max_redirects: int = 5


@dataclass(frozen=True)
class FetchResult:
    """What a fetch brought back (the body already decoded from gzip/br)."""

    url: str  # as asked for
    final_url: str  # after redirects
    status: int
    content_type: str  # lower case, without parameters ("" when the server sent none)
    charset: str | None  # from the Content-Type header
    body: bytes
    etag: str | None = None
    last_modified: str | None = None
    cache_seconds: int | None = None  # Cache-Control max-age
    redirects: int = 0

    @property
    def not_modified(self) -> bool:
        """A conditional GET answered 304: nothing new, ``body`` is empty."""
        return self.status == 304

    def text(self) -> str:
        """The body as text: the declared charset, else a ``<meta charset>``,
        a BOM, UTF-8, or charset-normalizer's best guess."""
        return decode_body(self.body, self.charset)


# ---- text decoding -------------------------------------------------------------
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")


def _known_codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip()).name
    except LookupError:
        return None


def decode_body(body: bytes, declared: str | None = None) -> str:
    """Decode a page body; never raises (undecodable bytes become U+FFFD)."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if body.startswith(bom):
            return body.decode(codec, errors="replace")
    head = body[:4096]
    found = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    for name in (declared, found.group(1).decode("ascii") if found else None):
        known = _known_codec(name)
        if known is not None:
            return body.decode(known, errors="replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(body[:200_000]).best()
    codec = _known_codec(best.encoding if best else None) or "utf-8"
    return body.decode(codec, errors="replace")


# ---- content decoding with an output cap ------------------------------------------
class _Decoder:
    """One Content-Encoding, producing at most ``room`` bytes per call."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._first = True
        if encoding in ("gzip", "x-gzip"):
            self._z: Any = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._z = zlib.decompressobj(zlib.MAX_WBITS)
        elif encoding == "br":
            self._z = brotli.Decompressor()
        elif encoding == "identity":
            self._z = None
        else:
            raise ValueError(encoding)

    def feed(self, data: bytes, room: int) -> bytes:
        if self._z is None:
            return data
        if self.encoding == "br":
            return bytes(self._z.process(data, output_buffer_limit=room + 1))
        try:
            out = self._z.decompress(data, room + 1)
        except zlib.error:
            if self.encoding == "deflate" and self._first:  # raw deflate without the zlib header
                self._z = zlib.decompressobj(-zlib.MAX_WBITS)
                self._first = False
                return self.feed(data, room)
            raise
        self._first = False
        return bytes(out)


# ---- a total deadline and a cancel flag inside httpcore's reads ---------------------
_state = threading.local()


def _remaining() -> float | None:
    deadline = getattr(_state, "deadline", None)
    return None if deadline is None else deadline - time.monotonic()


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read ends by the fetch's total deadline and
    notices a cancel request within a quarter of a second."""

    SLICE = 0.25

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        waited = 0.0
        while True:
            remaining = _remaining()
            if remaining is not None and remaining <= 0:
                raise httpcore.ReadTimeout("deadline")
            cancel = getattr(_state, "cancel", None)
            if cancel is not None and cancel():
                raise httpcore.ReadError("cancelled")
            step = self.SLICE
            if remaining is not None:
                step = min(step, remaining)
            if timeout is not None:
                step = min(step, max(timeout - waited, 0.001))
            try:
                return self._inner.read(max_bytes, step)
            except httpcore.ReadTimeout:
                waited += step
                if timeout is not None and waited >= timeout:
                    raise

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        remaining = _remaining()
        if remaining is not None:
            if remaining <= 0:
                raise httpcore.WriteTimeout("deadline")
            timeout = remaining if timeout is None else min(timeout, remaining)
        self._inner.write(buffer, timeout)

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Any = None) -> httpcore.NetworkStream:
        remaining = _remaining()
        if remaining is not None:
            if remaining <= 0:
                raise httpcore.ConnectTimeout("deadline")
            timeout = remaining if timeout is None else min(timeout, remaining)
        return _DeadlineStream(self._inner.connect_tcp(host, port, timeout, local_address, socket_options))

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Any = None) -> httpcore.NetworkStream:  # pragma: no cover - unused
        return _DeadlineStream(self._inner.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:  # pragma: no cover - httpcore retries are off
        self._inner.sleep(seconds)


class _Transport(httpx.HTTPTransport):
    """httpx's transport on a connection pool that uses :class:`_DeadlineBackend`."""

    def __init__(self, max_connections: int) -> None:
        super().__init__(trust_env=True)
        ssl_context = self._pool._ssl_context  # type: ignore[attr-defined]  # (made once by httpx)
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context, max_connections=max_connections, max_keepalive_connections=max_connections,
            keepalive_expiry=5.0, network_backend=_DeadlineBackend(),
        )


class _NoCookies(http.cookiejar.DefaultCookiePolicy):
    def set_ok(self, cookie: http.cookiejar.Cookie, request: Any) -> bool:
        return False


# ---- the fetcher ------------------------------------------------------------------
def check_url(url: str) -> str:
    """``url`` stripped, or a :class:`FetchError` when it is not an http(s) address."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise FetchError(url, f"not a valid web address ({exc})", kind="bad_url") from exc
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(url, "not a web address (it must start with http:// or https://)", kind="bad_url")
    if not parts.hostname:
        raise FetchError(url, "not a web address (no host name after the scheme)", kind="bad_url")
    return url


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n // 1024} KB"


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _max_age(value: str | None) -> int | None:
    match = re.search(r"max-age\s*=\s*(\d+)", value or "")
    return int(match.group(1)) if match else None


def _connect_reason(exc: Exception) -> tuple[str, str]:
    text = str(exc)
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, socket.gaierror):
            if cause.errno in (socket.EAI_AGAIN,):
                return "offline", "the server's name could not be looked up (no network or no DNS answer)"
            return "dns", "no such server (the name could not be found)"
        if isinstance(cause, ConnectionRefusedError):
            return "refused", "connection refused (nothing is answering at that address)"
        cause = cause.__cause__ or cause.__context__
    low = text.lower()
    if "name or service not known" in low or "nodename nor servname" in low or "no address associated" in low:
        return "dns", "no such server (the name could not be found)"
    if "temporary failure in name resolution" in low:
        return "offline", "the server's name could not be looked up (no network or no DNS answer)"
    if "refused" in low:
        return "refused", "connection refused (nothing is answering at that address)"
    if "unreachable" in low:
        return "offline", "the network is unreachable (offline?)"
    if "ssl" in low or "certificate" in low:
        return "tls", f"the secure connection failed ({text})"
    return "network", f"could not connect ({text or type(exc).__name__})"


class Fetcher:
    """Fetches pages and feeds (thread-safe; one connection pool).

    ``per_host`` requests to one host (``host:port``) run at once at most, and
    ``max_connections`` in all.  Close it (or use it as a context manager) when done.
    """

    def __init__(self, limits: FetchLimits | None = None, *, user_agent: str = USER_AGENT, per_host: int = 2,
                 max_connections: int = 8) -> None:
        self.limits = limits or FetchLimits()
        self.user_agent = user_agent
        self.per_host = per_host
        self._hosts: dict[str, threading.BoundedSemaphore] = {}
        self._hosts_lock = threading.Lock()
        self._client = httpx.Client(
            transport=_Transport(max_connections),
            cookies=http.cookiejar.CookieJar(policy=_NoCookies()),
            timeout=httpx.Timeout(connect=self.limits.connect_timeout, read=self.limits.read_timeout,
                                  write=self.limits.read_timeout, pool=self.limits.deadline),
            follow_redirects=False,
            headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate, br"},
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _host_slot(self, url: str) -> Iterator[None]:
        key = urlsplit(url).netloc.lower()
        with self._hosts_lock:
            sem = self._hosts.setdefault(key, threading.BoundedSemaphore(self.per_host))
        sem.acquire()
        try:
            yield
        finally:
            sem.release()

    def fetch_page(self, url: str, *, cancel: Cancel | None = None) -> FetchResult:
        """Fetch a web page (HTML only: anything else is a ``type`` error)."""
        return self.fetch(url, kind="page", cancel=cancel)

    def fetch(self, url: str, *, kind: str = "page", etag: str | None = None, last_modified: str | None = None,
              cancel: Cancel | None = None) -> FetchResult:
        """Fetch ``url``: ``kind`` ``"page"`` accepts HTML only, ``"feed"`` feed
        and page types.  ``etag``/``last_modified`` make a conditional GET (a
        304 answer is a result with ``not_modified``).  Raises :class:`FetchError`."""
        url = check_url(url)
        accept = ("text/html,application/xhtml+xml;q=0.9,*/*;q=0.1" if kind == "page" else
                  "application/rss+xml,application/atom+xml,application/feed+json,application/xml;q=0.9,"
                  "text/xml;q=0.9,application/json;q=0.8,text/html;q=0.5,*/*;q=0.1")
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        _state.deadline = time.monotonic() + self.limits.deadline
        _state.cancel = cancel
        try:
            return self._fetch(url, kind, headers, cancel)
        finally:
            _state.deadline = None
            _state.cancel = None

    def _fetch(self, url: str, kind: str, headers: dict[str, str], cancel: Cancel | None) -> FetchResult:
        limits = self.limits
        jar = httpx.Cookies()  # cookies live for this page's redirects only
        seen = {url}
        current = url
        request = self._client.build_request("GET", url, headers=headers)
        for hop in range(limits.max_redirects + 1):
            if cancel is not None and cancel():
                raise FetchError(url, "cancelled", kind="cancelled")
            with self._host_slot(current):
                response = self._send(url, request, cancel)
                try:
                    jar.extract_cookies(response)
                    if response.status_code in (301, 302, 303, 307, 308):
                        next_request = response.next_request
                        if next_request is None or "Location" not in response.headers:
                            raise FetchError(url, f"HTTP {response.status_code} redirect without a Location",
                                             kind="protocol")
                        target = str(next_request.url)
                        if next_request.url.scheme not in ("http", "https"):
                            raise FetchError(url, f"redirected to something that is not a web page ({target})",
                                             kind="bad_url")
                        if target in seen:
                            raise FetchError(url, f"redirect loop (back to {target})", kind="redirects")
                        if hop == limits.max_redirects:
                            raise FetchError(url, f"more than {limits.max_redirects} redirects (last to {target})",
                                             kind="redirects")
                        seen.add(target)
                        next_request.headers.pop("Cookie", None)
                        jar.set_cookie_header(next_request)
                        request = next_request
                        current = target
                        continue
                    return self._finish(url, response, kind, hop)
                finally:
                    response.close()
        raise AssertionError("unreachable")  # pragma: no cover

    def _send(self, url: str, request: httpx.Request, cancel: Cancel | None) -> httpx.Response:
        try:
            return self._client.send(request, stream=True, follow_redirects=False)
        except httpx.ConnectTimeout as exc:
            if (_remaining() or 1) <= 0:
                raise FetchError(url, f"took longer than {self.limits.deadline:g} s (the time limit for one page)",
                                 kind="deadline") from exc
            raise FetchError(url, f"timed out: no connection within {self.limits.connect_timeout:g} s",
                             kind="timeout") from exc
        except httpx.TimeoutException as exc:
            raise self._timeout(url, exc) from exc
        except httpx.ConnectError as exc:
            kind, reason = _connect_reason(exc)
            raise FetchError(url, reason, kind=kind) from exc
        except httpx.ReadError as exc:
            if cancel is not None and cancel():
                raise FetchError(url, "cancelled", kind="cancelled") from exc
            raise FetchError(url, f"the connection broke ({exc or 'read error'})", kind="network") from exc
        except (httpx.RemoteProtocolError, httpx.LocalProtocolError) as exc:
            raise FetchError(url, f"the server's answer is not valid HTTP ({exc})", kind="protocol") from exc
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            raise FetchError(url, f"not a web address ({exc})", kind="bad_url") from exc
        except httpx.HTTPError as exc:
            raise FetchError(url, f"{type(exc).__name__}: {exc}", kind="network") from exc

    def _timeout(self, url: str, exc: Exception) -> FetchError:
        remaining = _remaining()
        if str(exc) == "deadline" or (remaining is not None and remaining <= 0):
            return FetchError(url, f"took longer than {self.limits.deadline:g} s (the time limit for one page; "
                                   "the server is too slow)", kind="deadline")
        return FetchError(url, f"timed out: the server sent nothing for {self.limits.read_timeout:g} s",
                          kind="timeout")

    def _finish(self, url: str, response: httpx.Response, kind: str, hops: int) -> FetchResult:
        limits = self.limits
        status = response.status_code
        final = str(response.url)
        etag = response.headers.get("ETag")
        last_modified = response.headers.get("Last-Modified")
        cache_seconds = _max_age(response.headers.get("Cache-Control"))
        if status == 304:
            return FetchResult(url, final, 304, "", None, b"", etag, last_modified, cache_seconds, hops)
        if status >= 400 or status < 200:
            phrase = response.reason_phrase or ""
            raise FetchError(url, f"HTTP {status} {phrase}".strip(), kind="http", status=status,
                             retry_after=_retry_after(response.headers.get("Retry-After")))
        raw_type = response.headers.get("Content-Type", "")
        content_type = raw_type.split(";")[0].strip().lower()
        charset_match = re.search(r"charset\s*=\s*\"?([^\s;\"]+)", raw_type, re.IGNORECASE)
        charset = charset_match.group(1) if charset_match else None
        allowed = HTML_TYPES if kind == "page" else FEED_TYPES
        if content_type and content_type not in allowed and not content_type.endswith(("+xml", "+json")):
            what = "a web page" if kind == "page" else "a feed or a web page"
            raise FetchError(url, f"not {what}: {content_type}", kind="type")
        if content_type.endswith(("+xml", "+json")) and kind == "page" and content_type not in HTML_TYPES:
            raise FetchError(url, f"not a web page: {content_type}", kind="type")
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > limits.max_bytes:
            raise FetchError(url, f"too large: {_mb(int(length))} (the limit is {_mb(limits.max_bytes)})",
                             kind="too_large")
        body = self._read_body(url, response)
        if not content_type and kind == "page" and not _looks_like_html(body):
            raise FetchError(url, "not a web page: the server did not say what it is and it is not HTML", kind="type")
        return FetchResult(url, final, status, content_type, charset, body, etag, last_modified, cache_seconds, hops)

    def _read_body(self, url: str, response: httpx.Response) -> bytes:
        cap = self.limits.max_bytes
        encodings = [e.strip().lower() for e in response.headers.get("Content-Encoding", "").split(",") if e.strip()]
        try:
            decoders = [_Decoder(e) for e in reversed(encodings)]
        except ValueError as exc:
            raise FetchError(url, f"unsupported content encoding: {exc}", kind="protocol") from None
        parts: list[bytes] = []
        size = raw_size = 0
        too_large = FetchError(url, f"too large: more than {_mb(cap)} (the limit)", kind="too_large")
        try:
            for chunk in response.iter_raw():
                raw_size += len(chunk)
                if raw_size > cap:
                    raise too_large
                for decoder in decoders:
                    chunk = decoder.feed(chunk, cap - size)
                size += len(chunk)
                if size > cap:
                    raise too_large
                parts.append(chunk)
        except (zlib.error, brotli.error) as exc:
            raise FetchError(url, f"the compressed answer is damaged ({exc})", kind="protocol") from exc
        except httpx.TimeoutException as exc:
            raise self._timeout(url, exc) from exc
        except httpx.ReadError as exc:
            if getattr(_state, "cancel", None) is not None and _state.cancel():
                raise FetchError(url, "cancelled", kind="cancelled") from exc
            raise FetchError(url, f"the connection broke before the end ({exc or 'read error'})",
                             kind="network") from exc
        except httpx.RemoteProtocolError as exc:
            raise FetchError(url, f"the server broke off the answer ({exc})", kind="protocol") from exc
        return b"".join(parts)


def _looks_like_html(body: bytes) -> bool:
    head = body[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or b"<html" in head
