"""Subscribing and refreshing against real servers on 127.0.0.1."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from reader.feeds.parse import FeedError
from reader.feeds.refresh import Refresher, subscribe
from reader.net.fetch import Fetcher, FetchLimits
from reader.store import Library
from reader.store.feeds import FeedExistsError
from tests.feeds.feedfix import LONG, Item, rss20, serve_feed, serve_story
from tests.net.httpserver import LocalServer, Reply


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    library = Library.open(tmp_path / "lib.sqlite3")
    yield library
    library.close()


def fast() -> Fetcher:
    return Fetcher(FetchLimits(connect_timeout=2, read_timeout=2, deadline=5))


def stories(server: LocalServer, n: int, prefix: str = "/s") -> list[Item]:
    items = []
    for k in range(n):
        url = serve_story(server, f"{prefix}{k}", f"Story number {k}")
        items.append(Item(f"guid-{prefix}{k}", url, f"Story number {k}", summary=f"Summary {k}.",
                          author="Feed Author", categories=["World", f"Tag{k}"]))
    return items


def test_subscribe_then_refresh_fetches_full_text_for_summary_only_items(server: LocalServer, lib: Library) -> None:
    items = stories(server, 3)
    url = serve_feed(server, "/feed.xml", items)
    with fast() as fetcher:
        feed = subscribe(lib.feeds, fetcher, url)
        assert feed.title == "Example News" and feed.url == url
        report = Refresher(lib, fetcher=fetcher).refresh()
    (outcome,) = report.outcomes
    assert outcome.status == "updated" and len(outcome.added) == 3
    article = lib.article(outcome.added[0])
    assert article is not None
    # the page's text, with the feed's date, categories and link kept
    assert "the first paragraph of the full story" in article.plain_text
    assert article.published is not None and article.published.year == 2026
    assert set(article.tags) >= {"World"} and article.url.startswith(server.url("/s"))
    assert article.authors == ("Ana Ruiz",)
    assert lib.feeds.get(feed.id).unread == 3  # type: ignore[union-attr]


def test_full_text_switched_off_keeps_summaries_and_fetches_no_pages(server: LocalServer, lib: Library) -> None:
    items = stories(server, 2)
    url = serve_feed(server, "/feed.xml", items)
    feed = lib.feeds.add(url, full_text=False)
    with fast() as fetcher:
        report = Refresher(lib, fetcher=fetcher).refresh()
    assert len(report.changed_ids) == 2
    assert not server.hits("/s0") and not server.hits("/s1")
    texts = sorted(lib.plain_text(i) or "" for i in report.changed_ids)
    assert "Summary 0." in texts[0]
    assert lib.feeds.item_state(report.changed_ids[0]) == ("summary", None)
    assert feed.id


def test_items_with_full_content_are_not_fetched(server: LocalServer, lib: Library) -> None:
    url = serve_feed(server, "/feed.xml", [Item("c1", server.url("/never"), "Complete", content=f"<p>{LONG}</p>")])
    lib.feeds.add(url)
    with fast() as fetcher:
        report = Refresher(lib, fetcher=fetcher).refresh()
    assert not server.hits("/never")
    assert LONG in (lib.plain_text(report.changed_ids[0]) or "")


def test_a_failed_page_keeps_the_summary_and_says_so(server: LocalServer, lib: Library) -> None:
    items = [Item("x1", server.url("/gone"), "Gone story", summary="What the feed says.")]
    server.route("/gone", Reply(404, b"no"))
    lib.feeds.add(serve_feed(server, "/feed.xml", items))
    with fast() as fetcher:
        report = Refresher(lib, fetcher=fetcher).refresh()
    (outcome,) = report.outcomes
    assert outcome.status == "updated" and outcome.item_errors == (f"{server.url('/gone')}: HTTP 404 Not Found",)
    text = lib.plain_text(outcome.added[0]) or ""
    assert "What the feed says." in text
    assert "the full article could not be fetched (HTTP 404 Not Found)" in text
    assert lib.feeds.item_state(outcome.added[0]) == ("summary", f"{server.url('/gone')}: HTTP 404 Not Found")


def test_second_refresh_uses_a_conditional_get_and_adds_nothing(server: LocalServer, lib: Library) -> None:
    url = serve_feed(server, "/feed.xml", stories(server, 2), etag='"e1"')
    lib.feeds.add(url)
    with fast() as fetcher:
        Refresher(lib, fetcher=fetcher).refresh()
        again = Refresher(lib, fetcher=fetcher).refresh(force=True)
    assert [o.status for o in again.outcomes] == ["not_modified"] and not again.changed_ids
    assert server.hits("/feed.xml")[-1].headers["if-none-match"] == '"e1"'
    assert lib.count() == 2


def test_ttl_and_next_check_are_respected_unless_forced(server: LocalServer, lib: Library) -> None:
    url = server.route("/ttl.xml", Reply(body=rss20(stories(server, 1), ttl=120), content_type="application/rss+xml"))
    feed = lib.feeds.add(url)
    with fast() as fetcher:
        first = Refresher(lib, fetcher=fetcher, interval_minutes=30).refresh()
        second = Refresher(lib, fetcher=fetcher).refresh()
    assert first.outcomes[0].status == "updated"
    stored = lib.feeds.get(feed.id)
    assert stored is not None and stored.ttl_minutes == 120
    assert second.outcomes[0].status == "not_due" and len(server.hits("/ttl.xml")) == 1
    # 120 minutes from the first refresh, not the 30-minute default
    assert stored.next_check is not None and stored.last_success is not None
    from datetime import datetime

    gap = datetime.fromisoformat(stored.next_check) - datetime.fromisoformat(stored.last_success)
    assert 119 * 60 <= gap.total_seconds() <= 121 * 60


def test_a_failing_feed_records_its_error_backs_off_and_does_not_block_others(server: LocalServer,
                                                                             lib: Library) -> None:
    server.route("/broken.xml", Reply(500, b"oops"))
    slow_release = threading.Event()

    def slow(seen: object) -> Reply:
        slow_release.wait(1.0)
        return Reply(body=b"<rss", content_type="application/rss+xml")

    server.route("/slow.xml", slow)
    good = serve_feed(server, "/good.xml", stories(server, 2))
    bad = lib.feeds.add(server.url("/broken.xml"))
    lib.feeds.add(server.url("/slow.xml"))
    lib.feeds.add(good)
    with fast() as fetcher:
        report = Refresher(lib, fetcher=fetcher, retries=1, retry_delay=0.05).refresh()
    by_url = {o.url: o for o in report.outcomes}
    assert by_url[good].status == "updated" and len(by_url[good].added) == 2
    assert by_url[server.url("/broken.xml")].error == f"{server.url('/broken.xml')}: HTTP 500 Internal Server Error"
    assert len(server.hits("/broken.xml")) == 2  # one retry in the same refresh
    stored = lib.feeds.get(bad.id)
    assert stored is not None and stored.error_count == 1 and stored.last_error and stored.last_success is None
    # backoff: not due again at once; a second failure doubles the wait
    with fast() as fetcher:
        assert Refresher(lib, fetcher=fetcher).refresh([bad.id]).outcomes[0].status == "not_due"
        Refresher(lib, fetcher=fetcher, retries=0).refresh([bad.id], force=True)
    again = lib.feeds.get(bad.id)
    from datetime import datetime

    assert again is not None and again.error_count == 2
    gap = datetime.fromisoformat(again.next_check) - datetime.fromisoformat(again.last_checked)  # type: ignore[arg-type]
    assert 9 * 60 <= gap.total_seconds() <= 11 * 60


def test_a_changing_guid_and_duplicate_guids_do_not_duplicate_items(server: LocalServer, lib: Library) -> None:
    counter = [0]
    story = serve_story(server, "/moving", "A moving story")
    dup_a = serve_story(server, "/dup-a", "Duplicate A")
    dup_b = serve_story(server, "/dup-b", "Duplicate B")

    def route(seen: object) -> Reply:
        counter[0] += 1
        items = [Item(f"random-{counter[0]}", story, "A moving story"),
                 Item("same", dup_a, "Duplicate A"), Item("same", dup_b, "Duplicate B"),
                 Item("same", dup_b, "Duplicate B again")]
        return Reply(body=rss20(items), content_type="application/rss+xml")

    lib.feeds.add(server.route("/guid.xml", route))
    with fast() as fetcher:
        first = Refresher(lib, fetcher=fetcher).refresh()
        second = Refresher(lib, fetcher=fetcher).refresh(force=True)
        third = Refresher(lib, fetcher=fetcher).refresh(force=True)
    assert len(first.changed_ids) == 3
    assert second.changed_ids == [] and third.changed_ids == []
    assert lib.count() == 3
    assert len(server.hits("/moving")) == 1


def test_discovery_from_a_site_page_and_errors(server: LocalServer, lib: Library) -> None:
    feed_url = serve_feed(server, "/feeds/main.atom", stories(server, 1), kind="atom")
    server.route("/", Reply(body=b'<html><head><link rel="alternate" type="application/atom+xml" '
                                 b'href="/feeds/main.atom"></head><body>Home</body></html>'))
    server.route("/plain", Reply(body=b"<html><head><title>x</title></head><body>no feed</body></html>"))
    with fast() as fetcher:
        feed = subscribe(lib.feeds, fetcher, server.url("/"), name="My site")
        assert feed.url == feed_url and feed.display_title == "My site"
        with pytest.raises(FeedExistsError):
            subscribe(lib.feeds, fetcher, feed_url)
        with pytest.raises(FeedError, match="a web page without a feed"):
            subscribe(lib.feeds, fetcher, server.url("/plain"))


def test_read_state_survives_refreshes_and_mark_all_read(server: LocalServer, lib: Library) -> None:
    url = serve_feed(server, "/feed.xml", stories(server, 3), etag='"x"')
    feed = lib.feeds.add(url)
    with fast() as fetcher:
        ids = Refresher(lib, fetcher=fetcher).refresh().changed_ids
        lib.set_read(ids[0])
        Refresher(lib, fetcher=fetcher).refresh(force=True)
    assert lib.feeds.get(feed.id).unread == 2  # type: ignore[union-attr]
    assert set(lib.feeds.article_ids(feed.id, unread_only=True)) == set(ids[1:])
    assert lib.feeds.mark_all_read(feed.id) == 2
    assert lib.feeds.get(feed.id).unread == 0  # type: ignore[union-attr]
    assert lib.feeds.mark_read([ids[1]], read=False) == 1


def test_cancel_stops_a_refresh_and_saves_no_validators(server: LocalServer, lib: Library) -> None:
    started = threading.Event()

    def slow_page(seen: object) -> Reply:
        started.set()
        return Reply(body=(b"<html><p>" + b"x" * 100 for _ in range(200)), pause=0.05)

    items = [Item(f"c{k}", server.url(f"/p{k}"), f"Slow {k}") for k in range(4)]
    for k in range(4):
        server.route(f"/p{k}", slow_page)
    feed = lib.feeds.add(serve_feed(server, "/feed.xml", items, etag='"c"'))
    with fast() as fetcher:
        report = Refresher(lib, fetcher=fetcher).refresh(cancel=started.is_set)
    assert report.cancelled
    stored = lib.feeds.get(feed.id)
    assert stored is not None and stored.etag is None and stored.next_check is None


def test_a_refresh_in_its_own_process_reports_progress(server: LocalServer, lib: Library) -> None:
    from reader.jobs.feeds import refresh_in_process

    assert lib.feeds.next_check_time() is None
    feed = lib.feeds.add(serve_feed(server, "/feed.xml", stories(server, 2)))
    assert lib.feeds.next_check_time() == ""  # never checked: due now
    seen: list[tuple[int, int]] = []
    report = refresh_in_process(lib.path, progress=lambda done, total, name: seen.append((done, total)))
    assert [o.status for o in report.outcomes] == ["updated"] and len(report.changed_ids) == 2
    assert seen[-1] == (1, 1)
    assert lib.count() == 2
    stored = lib.feeds.get(feed.id)
    assert stored is not None and lib.feeds.next_check_time() == stored.next_check


@pytest.mark.parametrize("kind", ["rss", "atom", "json", "rss10", "rss091"])
def test_every_feed_format_refreshes(server: LocalServer, lib: Library, kind: str) -> None:
    items = stories(server, 2)
    url = serve_feed(server, f"/feed.{kind}", items, kind=kind)
    with fast() as fetcher:
        feed = subscribe(lib.feeds, fetcher, url)
        report = Refresher(lib, fetcher=fetcher).refresh()
    assert len(report.changed_ids) == 2 and feed.kind
    titles = {r.title for r in lib.all_rows()}
    assert titles == {"Story number 0", "Story number 1"}
    for aid in report.changed_ids:
        article = lib.article(aid)
        assert article is not None and article.url in {i.link for i in items}
        assert "the first paragraph of the full story" in article.plain_text


def test_an_item_that_cannot_be_stored_is_tried_again_by_the_next_refresh(server: LocalServer, lib: Library) -> None:
    url = serve_feed(server, "/feed.xml", stories(server, 2), etag='"same"')
    feed = lib.feeds.add(url)
    # the database refuses one article (as a full disk would refuse a write)
    lib.conn.execute("CREATE TRIGGER refuse BEFORE INSERT ON articles WHEN NEW.title = 'Story number 1'"
                     " BEGIN SELECT RAISE(ABORT, 'refused for the test'); END")
    with fast() as fetcher:
        first = Refresher(lib, fetcher=fetcher).refresh()
        (outcome,) = first.outcomes
        assert len(outcome.added) == 1
        assert any("could not be stored" in e and "refused for the test" in e for e in outcome.item_errors)
        stored = lib.feeds.get(feed.id)
        assert stored is not None and stored.etag is None  # the next refresh asks in full
        lib.conn.execute("DROP TRIGGER refuse")
        second = Refresher(lib, fetcher=fetcher).refresh(force=True)
    assert "if-none-match" not in server.hits("/feed.xml")[-1].headers
    assert len(second.changed_ids) == 1 and lib.count() == 2
    assert lib.feeds.get(feed.id).etag == '"same"'  # type: ignore[union-attr]


def test_a_page_that_failed_is_tried_again_and_then_replaces_the_summary_in_place(server: LocalServer,
                                                                                  lib: Library) -> None:
    state = {"up": False}
    body = serve_story(server, "/later-real", "Back later")  # the page, once it works

    def flaky(seen: object) -> Reply:
        if not state["up"]:
            return Reply(503, b"busy")
        return Reply(body=server.routes["/later-real"](seen).body)  # type: ignore[arg-type]

    url = server.route("/later", flaky)
    assert body
    lib.feeds.add(serve_feed(server, "/feed.xml", [Item("l1", url, "Back later", summary="Only a summary.")]))
    with fast() as fetcher:
        first = Refresher(lib, fetcher=fetcher, retries=0).refresh()
        (aid,) = first.changed_ids
        assert "the full article could not be fetched (HTTP 503 Service Unavailable)" in (lib.plain_text(aid) or "")
        lib.set_read(aid)
        ann = lib.annotate_quote(aid, "Only a summary.", note="my note")
        second = Refresher(lib, fetcher=fetcher, retries=0).refresh(force=True)  # still down: tried again
        assert second.outcomes[0].item_errors and lib.feeds.item_state(aid)[1] is not None  # type: ignore[index]
        state["up"] = True
        third = Refresher(lib, fetcher=fetcher, retries=0).refresh(force=True)
        fourth = Refresher(lib, fetcher=fetcher, retries=0).refresh(force=True)
    assert third.outcomes[0].completed == (aid,) and third.new_ids == []
    assert fourth.outcomes[0].completed == ()  # done: not fetched again
    assert len(server.hits("/later")) == 3
    text = lib.plain_text(aid) or ""
    assert "the first paragraph of the full story" in text and "could not be fetched" not in text
    assert lib.count() == 1 and lib.rows([aid])[aid].is_read  # same article, read state kept
    assert lib.feeds.item_state(aid) == ("page", None)
    assert lib.annotation(ann.id) is not None and lib.annotation(ann.id).orphan  # type: ignore[union-attr]


def test_a_feed_served_as_text_html_is_still_a_feed(server: LocalServer, lib: Library) -> None:
    url = server.route("/mislabelled", Reply(body=rss20(stories(server, 1)), content_type="text/html"))
    with fast() as fetcher:
        feed = subscribe(lib.feeds, fetcher, url)
        assert feed.url == url
        assert len(Refresher(lib, fetcher=fetcher).refresh().changed_ids) == 1


def test_the_servers_charset_is_used_for_a_feed_without_an_xml_declaration(server: LocalServer,
                                                                          lib: Library) -> None:
    body = ('<rss version="2.0"><channel><title>Café Zeitung</title><item><title>Grüße aus Köln</title>'
            f'<guid>k1</guid><description>{LONG}</description></item></channel></rss>').encode("latin-1")
    url = server.route("/latin1.xml", Reply(body=body, content_type="application/rss+xml; charset=ISO-8859-1"))
    lib.feeds.add(url, full_text=False)
    with fast() as fetcher:
        report = Refresher(lib, fetcher=fetcher).refresh()
    assert report.outcomes[0].title == "Café Zeitung"
    assert [r.title for r in lib.all_rows()] == ["Grüße aus Köln"]


def test_a_page_that_is_not_a_web_page_is_not_tried_again(server: LocalServer, lib: Library) -> None:
    audio = server.route("/episode.mp3", Reply(body=b"ID3....", content_type="audio/mpeg"))
    # (no ETag: every refresh gets the whole feed and sees the item again)
    lib.feeds.add(server.route("/podcast.xml", Reply(body=rss20([Item("e1", audio, "Episode 1", summary="Show notes.")]),
                                                     content_type="application/rss+xml")))
    with fast() as fetcher:
        first = Refresher(lib, fetcher=fetcher).refresh()
        Refresher(lib, fetcher=fetcher).refresh(force=True)
    assert first.outcomes[0].item_errors == (f"{audio}: not a web page: audio/mpeg",)
    assert len(server.hits("/episode.mp3")) == 1
    assert "Show notes." in (lib.plain_text(first.changed_ids[0]) or "")


def test_a_refresh_in_its_own_process_can_be_cancelled(server: LocalServer, lib: Library) -> None:
    import threading as th

    from reader.jobs.feeds import refresh_in_process

    asked = th.Event()

    def slow(seen: object) -> Reply:
        asked.set()
        return Reply(body=(b"<html><p>" + b"x" * 50 for _ in range(400)), pause=0.05)

    items = [Item(f"c{k}", server.url(f"/slow{k}"), f"Slow {k}") for k in range(3)]
    for k in range(3):
        server.route(f"/slow{k}", slow)
    feed = lib.feeds.add(serve_feed(server, "/feed.xml", items, etag='"c"'))
    report = refresh_in_process(lib.path, cancel=asked.is_set)
    assert report.cancelled and report.outcomes == []
    stored = lib.feeds.get(feed.id)
    assert stored is not None and stored.etag is None and stored.last_success is None


def test_offline_is_not_backed_off_like_a_broken_feed(lib: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno
    import socket
    from datetime import datetime

    def unreachable(*args: object, **kwargs: object) -> object:
        raise OSError(errno.ENETUNREACH, "Network is unreachable")

    monkeypatch.setattr(socket, "create_connection", unreachable)
    feed = lib.feeds.add("http://127.0.0.1:9/feed.xml")
    with fast() as fetcher:
        for _ in range(4):
            Refresher(lib, fetcher=fetcher, retries=0).refresh(force=True)
    stored = lib.feeds.get(feed.id)
    assert stored is not None and stored.error_count == 4
    assert stored.last_error == "http://127.0.0.1:9/feed.xml: the network is unreachable (offline?)"
    gap = datetime.fromisoformat(stored.next_check) - datetime.fromisoformat(stored.last_checked)  # type: ignore[arg-type]
    assert gap.total_seconds() <= 6 * 60  # 5 minutes, not 40
