"""reader.net.fetch against a real server on 127.0.0.1: every limit and every error."""

from __future__ import annotations

import socket
import threading
import zlib

import brotli
import pytest

from reader.net.fetch import Fetcher, FetchError, FetchLimits, decode_body
from tests.net.httpserver import LocalServer, Reply, endless, gzip_bomb, page

PAGE = page("Storm hits coast", ["The storm arrived at dawn and closed the harbour."] * 3)


def fetch(url: str, **limits: float) -> object:
    with Fetcher(FetchLimits(**limits)) as f:  # type: ignore[arg-type]
        return f.fetch_page(url)


def error_of(url: str, **limits: float) -> FetchError:
    with pytest.raises(FetchError) as info:
        fetch(url, **limits)
    err = info.value
    assert str(err).startswith(url + ": ")
    assert "\n" not in str(err)
    return err


def test_a_page_is_fetched_with_a_user_agent_and_compression_offered(server: LocalServer) -> None:
    url = server.route("/a", Reply(body=PAGE))
    result = fetch(url)
    assert result.status == 200 and result.body == PAGE  # type: ignore[attr-defined]
    assert result.content_type == "text/html" and result.charset == "utf-8"  # type: ignore[attr-defined]
    seen = server.hits("/a")[0].headers
    assert seen["user-agent"].startswith("Reader/")
    assert {"gzip", "deflate", "br"} <= {x.strip() for x in seen["accept-encoding"].split(",")}


@pytest.mark.parametrize("encoding, encode", [
    ("gzip", lambda b: __import__("gzip").compress(b)),
    ("deflate", zlib.compress),
    ("deflate", lambda b: _raw_deflate(b)),  # raw deflate, as some servers send it
    ("br", brotli.compress),
])
def test_compressed_answers_are_decoded(server: LocalServer, encoding: str, encode: object) -> None:
    url = server.route("/z", Reply(body=encode(PAGE), headers={"Content-Encoding": encoding}))  # type: ignore[operator]
    assert fetch(url).body == PAGE  # type: ignore[attr-defined]


def _raw_deflate(data: bytes) -> bytes:
    c = zlib.compressobj(wbits=-15)
    return c.compress(data) + c.flush()


def test_redirects_are_followed_up_to_five(server: LocalServer) -> None:
    for k in range(5):
        server.route(f"/r{k}", Reply(302, headers={"Location": f"/r{k + 1}"}))
    server.route("/r5", Reply(body=PAGE))
    result = fetch(server.url("/r0"))
    assert result.final_url == server.url("/r5") and result.redirects == 5  # type: ignore[attr-defined]


def test_a_sixth_redirect_is_refused(server: LocalServer) -> None:
    for k in range(6):
        server.route(f"/r{k}", Reply(301, headers={"Location": f"/r{k + 1}"}))
    server.route("/r6", Reply(body=PAGE))
    err = error_of(server.url("/r0"))
    assert err.kind == "redirects" and "more than 5 redirects" in str(err)


def test_a_redirect_loop_is_named(server: LocalServer) -> None:
    server.route("/a", Reply(302, headers={"Location": "/b"}))
    server.route("/b", Reply(302, headers={"Location": "/a"}))
    err = error_of(server.url("/a"))
    assert "redirect loop" in str(err) and server.url("/a") in err.reason


@pytest.mark.parametrize("status, phrase", [(404, "Not Found"), (410, "Gone"), (500, "Internal Server Error"),
                                            (503, "Service Unavailable")])
def test_http_errors(server: LocalServer, status: int, phrase: str) -> None:
    url = server.route("/e", Reply(status, b"nope"))
    err = error_of(url)
    assert err.kind == "http" and err.status == status and err.reason == f"HTTP {status} {phrase}"
    assert err.transient == (status >= 500)


def test_retry_after_is_kept(server: LocalServer) -> None:
    url = server.route("/busy", Reply(429, b"slow down", headers={"Retry-After": "120"}))
    err = error_of(url)
    assert err.retry_after == 120 and err.transient


@pytest.mark.parametrize("ctype", ["application/pdf", "image/jpeg", "application/zip"])
def test_only_web_pages(server: LocalServer, ctype: str) -> None:
    url = server.route("/f", Reply(body=b"%PDF-1.7 ...", content_type=ctype))
    err = error_of(url)
    assert err.reason == f"not a web page: {ctype}" and err.kind == "type"


def test_an_untyped_answer_must_look_like_html(server: LocalServer) -> None:
    server.route("/html", Reply(body=PAGE, content_type=None))
    assert fetch(server.url("/html")).body == PAGE  # type: ignore[attr-defined]
    server.route("/bin", Reply(body=b"\x89PNG\r\n\x1a\n....", content_type=None))
    assert error_of(server.url("/bin")).kind == "type"


def test_a_declared_size_over_the_cap_is_refused_before_reading(server: LocalServer) -> None:
    url = server.route("/big", Reply(body=b"<html>" + b"x" * 3000, headers={"Content-Length": str(50 * 1024 * 1024)}))
    err = error_of(url)
    assert err.kind == "too_large" and "50 MB" in err.reason and "10 MB" in err.reason


def test_a_never_ending_body_stops_at_the_cap(server: LocalServer) -> None:
    url = server.route("/endless", Reply(body=endless()))
    err = error_of(url, max_bytes=2 * 1024 * 1024)
    assert err.kind == "too_large" and "more than 2 MB" in err.reason


def test_a_gzip_bomb_stops_at_the_cap(server: LocalServer) -> None:
    bomb = gzip_bomb(200)
    assert len(bomb) < 1024 * 1024
    url = server.route("/bomb", Reply(body=bomb, headers={"Content-Encoding": "gzip"}))
    err = error_of(url)
    assert err.kind == "too_large"


def test_a_brotli_bomb_stops_at_the_cap(server: LocalServer) -> None:
    bomb = brotli.compress(b"\0" * (100 * 1024 * 1024), quality=5)
    url = server.route("/bbomb", Reply(body=bomb, headers={"Content-Encoding": "br"}))
    assert error_of(url).kind == "too_large"


def test_damaged_compression_is_an_error(server: LocalServer) -> None:
    url = server.route("/bad", Reply(body=b"this is not gzip at all", headers={"Content-Encoding": "gzip"}))
    assert "damaged" in error_of(url).reason


def test_silence_is_a_read_timeout(server: LocalServer) -> None:
    url = server.route("/quiet", Reply(body=iter([b"<html><p>start", b"", b"</p>"]), pause=3.0))
    err = error_of(url, read_timeout=0.5)
    assert err.kind == "timeout" and "sent nothing for 0.5 s" in err.reason


def test_one_byte_a_second_hits_the_total_deadline(server: LocalServer) -> None:
    drip = (bytes([c]) for c in b"<html><body><p>" + b"x" * 100)
    url = server.route("/drip", Reply(body=drip, pause=0.4))
    err = error_of(url, deadline=1.5, read_timeout=5)
    assert err.kind == "deadline" and "longer than 1.5 s" in err.reason


def test_refused_connection() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    err = error_of(f"http://127.0.0.1:{port}/x")
    assert err.kind == "refused" and "connection refused" in err.reason


@pytest.mark.parametrize("errno, kind, words", [
    (socket.EAI_NONAME, "dns", "no such server"),
    (socket.EAI_AGAIN, "offline", "no network"),
])
def test_name_lookup_failures(monkeypatch: pytest.MonkeyPatch, errno: int, kind: str, words: str) -> None:
    # the resolver is the operating system's; it is made to fail here so that
    # no test ever sends a DNS query anywhere
    def fail(*args: object, **kwargs: object) -> object:
        raise socket.gaierror(errno, "lookup failed")

    monkeypatch.setattr(socket, "getaddrinfo", fail)
    err = error_of("http://news.example.invalid/story")
    assert err.kind == kind and words in err.reason


@pytest.mark.parametrize("url, words", [
    ("https:/www.bbc.co.uk/news", "no host name"),
    ("ftp://example.org/file", "must start with http"),
    ("www.example.org", "must start with http"),
])
def test_not_web_addresses(url: str, words: str) -> None:
    err = error_of(url)
    assert err.kind == "bad_url" and words in err.reason


def test_cookies_are_not_kept_between_pages_but_live_through_redirects(server: LocalServer) -> None:
    server.route("/login", Reply(302, headers={"Location": "/landing", "Set-Cookie": "session=abc; Path=/"}))
    server.route("/landing", Reply(body=PAGE))
    server.route("/other", Reply(body=PAGE))
    with Fetcher() as f:
        f.fetch_page(server.url("/login"))
        f.fetch_page(server.url("/other"))
    assert server.hits("/landing")[0].headers.get("cookie") == "session=abc"
    assert "cookie" not in server.hits("/other")[0].headers


def test_conditional_get_answers_not_modified(server: LocalServer) -> None:
    def route(seen: object) -> Reply:
        if seen.headers.get("if-none-match") == '"v1"':  # type: ignore[attr-defined]
            return Reply(304, b"", content_type=None, headers={"ETag": '"v1"'})
        return Reply(body=PAGE, headers={"ETag": '"v1"', "Last-Modified": "Wed, 02 Dec 2026 10:00:00 GMT"})

    url = server.route("/c", route)
    with Fetcher() as f:
        first = f.fetch(url)
        second = f.fetch(url, etag=first.etag, last_modified=first.last_modified)
    assert first.etag == '"v1"' and not first.not_modified
    assert second.not_modified and second.body == b""
    assert server.hits("/c")[1].headers["if-modified-since"] == "Wed, 02 Dec 2026 10:00:00 GMT"


def test_a_cancel_request_stops_a_slow_download(server: LocalServer) -> None:
    url = server.route("/slow", Reply(body=(b"<html>" + b"x" * 10 for _ in range(1000)), pause=0.2))
    stop = threading.Event()
    threading.Timer(0.5, stop.set).start()
    with Fetcher() as f, pytest.raises(FetchError) as info:
        f.fetch_page(url, cancel=stop.is_set)
    assert info.value.kind == "cancelled"


def test_at_most_per_host_requests_run_at_once(server: LocalServer) -> None:
    active = [0]
    peak = [0]
    two = threading.Condition()

    def route(seen: object) -> Reply:
        with two:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
            two.notify_all()
            # hold the request until a second one runs beside it (or 2 s pass)
            two.wait_for(lambda: active[0] >= 2, timeout=2.0)
        with two:
            active[0] -= 1
        return Reply(body=PAGE)

    url = server.route("/p", route)
    with Fetcher(per_host=2) as f:
        threads = [threading.Thread(target=f.fetch_page, args=(url,)) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert len(server.hits("/p")) == 6
    assert peak[0] == 2


def test_decoding_follows_the_declared_then_the_meta_charset() -> None:
    text = "Café £5 – naïve"
    assert decode_body(text.encode("cp1252"), "windows-1252") == text
    meta = b'<html><head><meta charset="iso-8859-1"></head><body>' + "Café".encode("latin-1")
    assert "Café" in decode_body(meta)
    assert decode_body("Grüße".encode()) == "Grüße"
    assert decode_body(b"\xef\xbb\xbfhello") == "hello"


def test_an_untrusted_certificate_is_a_secure_connection_error(tmp_path: object) -> None:
    import shutil
    import ssl
    import subprocess
    from http.server import BaseHTTPRequestHandler, HTTPServer
    from pathlib import Path

    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a self-signed certificate")
    folder = Path(str(tmp_path))
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
                   check=True, capture_output=True)
    httpd = HTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        err = error_of(f"https://127.0.0.1:{httpd.server_address[1]}/")
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert err.kind == "tls" and "secure connection failed" in err.reason and "CERTIFICATE_VERIFY_FAILED" in err.reason


def test_no_network_at_all(monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    # what the operating system answers when the machine is offline (no route anywhere)
    def unreachable(*args: object, **kwargs: object) -> object:
        raise OSError(errno.ENETUNREACH, "Network is unreachable")

    monkeypatch.setattr(socket, "create_connection", unreachable)
    err = error_of("http://127.0.0.1:9/offline")
    assert err.kind == "offline" and err.reason == "the network is unreachable (offline?)" and err.transient
