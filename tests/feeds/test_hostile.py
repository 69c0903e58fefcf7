"""Hostile feeds through a whole refresh: each fails alone with a clear error,
nothing in the library is lost, and the other feeds are refreshed."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.feeds.refresh import Refresher
from reader.net.fetch import Fetcher, FetchLimits
from reader.store import Library
from tests.feeds.feedfix import LONG, Item, rss20, serve_feed, serve_story
from tests.net.httpserver import LocalServer, Reply, endless, gzip_bomb

RSS = "application/rss+xml"


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    library = Library.open(tmp_path / "lib.sqlite3")
    yield library
    library.close()


def refresh_with_a_good_feed(server: LocalServer, lib: Library, hostile_url: str,
                             limits: FetchLimits | None = None) -> tuple[str | None, int]:
    """Refresh the hostile feed beside a good one; (hostile error, good new items)."""
    good = serve_feed(server, "/good.xml", [Item("g", serve_story(server, "/g", "Good story"), "Good story")])
    before = lib.count()
    lib.feeds.add(hostile_url)
    lib.feeds.add(good)
    with Fetcher(limits or FetchLimits(connect_timeout=2, read_timeout=2, deadline=5)) as fetcher:
        report = Refresher(lib, fetcher=fetcher, retries=0).refresh()
    outcomes = {o.url: o for o in report.outcomes}
    assert outcomes[good].status == "updated"
    assert lib.count() == before + len(outcomes[good].added) + len(outcomes[hostile_url].added)
    error = outcomes[hostile_url].error
    if error is not None:
        assert error.startswith(hostile_url + ": ") and "\n" not in error
        stored = lib.feeds.by_url(hostile_url)
        assert stored is not None and stored.last_error == error
    return error, len(outcomes[good].added)


def test_billion_laughs(server: LocalServer, lib: Library) -> None:
    lol = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
           + b"".join(b'<!ENTITY lol%d "%s">' % (i, b"&lol;" * 10 if i == 1 else b"&lol%d;" % (i - 1) * 10)
                      for i in range(1, 10))
           + b']><rss version="2.0"><channel><title>&lol9;</title></channel></rss>')
    url = server.route("/lol.xml", Reply(body=lol, content_type=RSS))
    error, good = refresh_with_a_good_feed(server, lib, url)
    assert "declares XML entities" in (error or "") and good == 1


def test_a_50_mb_feed(server: LocalServer, lib: Library) -> None:
    item = rss20([Item("x", "https://n.example/x", "Big", summary="y" * 1000)])
    huge = item.replace(b"</channel>", b"<!--" + b"z" * (50 * 1024 * 1024) + b"--></channel>")
    url = server.route("/huge.xml", Reply(body=huge, content_type=RSS))
    error, _ = refresh_with_a_good_feed(server, lib, url)
    assert error == f"{url}: too large: 50 MB (the limit is 10 MB)"


def test_a_50_mb_feed_without_a_length(server: LocalServer, lib: Library) -> None:
    chunks = (b"<rss version='2.0'><channel>" if k == 0 else b"<!-- padding -->" * 4096 for k in range(800))
    url = server.route("/huge-stream.xml", Reply(body=chunks, content_type=RSS))
    error, _ = refresh_with_a_good_feed(server, lib, url)
    assert error == f"{url}: too large: more than 10 MB (the limit)"


def test_a_feed_that_never_ends(server: LocalServer, lib: Library) -> None:
    url = server.route("/endless.xml", Reply(body=endless(b"<item><title>again</title></item>" * 100),
                                             content_type=RSS))
    error, _ = refresh_with_a_good_feed(server, lib, url)
    assert error is not None and "too large" in error


def test_a_gzip_bomb_feed(server: LocalServer, lib: Library) -> None:
    url = server.route("/bomb.xml", Reply(body=gzip_bomb(300), content_type=RSS, headers={"Content-Encoding": "gzip"}))
    error, _ = refresh_with_a_good_feed(server, lib, url)
    assert error is not None and "too large" in error


def test_a_feed_sent_one_byte_a_second(server: LocalServer, lib: Library) -> None:
    body = rss20([Item("s", "https://n.example/s", "Slow")])
    url = server.route("/drip.xml", Reply(body=(bytes([b]) for b in body), content_type=RSS, pause=1.0))
    error, _ = refresh_with_a_good_feed(server, lib, url, FetchLimits(connect_timeout=2, read_timeout=3, deadline=2.5))
    assert error == f"{url}: took longer than 2.5 s (the time limit for one page; the server is too slow)"


def test_invalid_dates_and_relative_links(server: LocalServer, lib: Library) -> None:
    serve_story(server, "/news/rel", "Relative story")
    items = [Item("r", "/news/rel", "Relative story", date="32 Foo 20266 25:61"),
             Item("d", None, "No link, odd date", date="yesterday-ish",
                  content=f"<p>{LONG}</p>")]
    url = serve_feed(server, "/news/feed.xml", items)
    error, _ = refresh_with_a_good_feed(server, lib, url)
    assert error is None
    rows = {r.title: r for r in lib.all_rows()}
    assert rows["Relative story"].sort_date is None and rows["No link, odd date"].sort_date is None
    # undated ones sort last
    assert set(lib.ids()[-2:]) == {rows["Relative story"].id, rows["No link, odd date"].id}
    assert server.hits("/news/rel")  # the relative link was resolved against the feed and fetched
    relative = lib.article(rows["Relative story"].id)
    assert relative is not None and relative.url == server.url("/news/rel")
    assert "first paragraph of the full story" in relative.plain_text


def test_malformed_feed_and_page_html(server: LocalServer, lib: Library) -> None:
    server.route("/bad-page", Reply(body=b"<html><body><div><p>Broken <b>page " + b"<span>" * 3000
                                    + b"text that goes on long enough to be an article paragraph, maybe.</div>"))
    items = [Item("m1", server.url("/bad-page"), "Broken page"),
             Item("m2", None, "Broken content", content="<p>unclosed <i>tags <table><tr><td>cell" + LONG)]
    body = rss20(items).replace(b"</channel></rss>", b"<item><title>cut off")  # and the document is cut
    url = server.route("/malformed.xml", Reply(body=body, content_type=RSS))
    error, _ = refresh_with_a_good_feed(server, lib, url)
    assert error is None
    texts = {r.title: lib.plain_text(r.id) or "" for r in lib.all_rows()}
    # the empty item at the cut is left out; the broken markup gives what text it has
    page = [t for t in texts if t.startswith("Broken page")]  # no <title>: the page's first line heads it
    assert len(page) == 1 and set(texts) == {"Broken content", "Good story", page[0]}
    assert "unclosed tags cell" in texts["Broken content"] and LONG[:40] in texts["Broken content"]
    assert "text that goes on long enough" in texts[page[0]]


def test_a_compressed_feed_is_read(server: LocalServer, lib: Library) -> None:
    body = gzip.compress(rss20([Item("z", "https://n.example/z", "Zipped", content=f"<p>{LONG}</p>")]))
    url = server.route("/gz.xml", Reply(body=body, content_type=RSS, headers={"Content-Encoding": "gzip"}))
    error, _ = refresh_with_a_good_feed(server, lib, url)
    assert error is None and "Zipped" in {r.title for r in lib.all_rows()}
