"""Feed formats, discovery, item identity and the feed's HTML as blocks."""

from __future__ import annotations

from datetime import datetime

import pytest

from reader.core.article import BlockKind
from reader.feeds.discover import find_feed_links
from reader.feeds.items import entry_article, has_full_content, html_to_blocks, item_keys
from reader.feeds.parse import FeedEntry, FeedError, parse_feed
from tests.feeds.feedfix import LONG, Item, atom, json_feed, rss091, rss10, rss20

ITEMS = [
    Item("g-1", "https://news.example/a", "Café owners protest – “rent” rises", author="Zoë Brontë",
         categories=["Business", "Paris"]),
    Item("g-2", "https://news.example/b", "Second story", content=f"<p>{LONG}</p><p>End.</p>"),
]


@pytest.mark.parametrize("builder, kind", [(rss20, "rss20"), (atom, "atom10"), (json_feed, "json1.1"),
                                           (rss10, "rss10"), (rss091, "rss091n")])
def test_every_format_gives_entries_with_title_link_and_date(builder: object, kind: str) -> None:
    parsed = parse_feed(builder(ITEMS), url="https://news.example/feed")  # type: ignore[operator]
    assert parsed.kind == kind
    assert [e.title for e in parsed.entries] == [i.title for i in ITEMS]
    assert [e.link for e in parsed.entries] == ["https://news.example/a", "https://news.example/b"]
    if kind != "rss091n":  # RSS 0.91 items have no dates
        assert parsed.entries[0].published is not None and parsed.entries[0].published.year == 2026


def test_rss_authors_categories_content_and_ttl() -> None:
    parsed = parse_feed(rss20(ITEMS, ttl=90), url="https://news.example/feed")
    first, second = parsed.entries
    assert parsed.title == "Example News" and parsed.ttl_minutes == 90
    assert first.authors == ("Zoë Brontë",) and first.categories == ("Business", "Paris")
    assert first.published == datetime(2026, 12, 2, 9, 30)
    assert first.guid == "g-1" and "A short summary" in first.summary_html
    assert LONG[:50] in second.content_html


def test_atom_dates_are_utc() -> None:
    parsed = parse_feed(atom(ITEMS), url="https://atom.example/feed")
    assert parsed.entries[0].published == datetime(2026, 12, 1, 7, 0)  # 08:00+01:00
    assert parsed.entries[0].updated == datetime(2026, 12, 2, 9, 30)


def test_json_feed_authors_fall_back_to_the_feed_and_tags_are_kept() -> None:
    parsed = parse_feed(json_feed(ITEMS), url="https://json.example/feed.json")
    assert parsed.entries[0].authors == ("Zoë Brontë",)
    assert parsed.entries[1].authors == ("The Desk",)
    assert parsed.entries[0].categories == ("Business", "Paris")
    assert parsed.site_url == "https://json.example/"


def test_relative_links_are_resolved_against_the_feed() -> None:
    items = [Item("r1", "/2026/12/story.html", "Relative"), Item("r2", "other.html", "Also relative")]
    parsed = parse_feed(rss20(items), url="https://news.example/feeds/all.xml")
    assert [e.link for e in parsed.entries] == ["https://news.example/2026/12/story.html",
                                                "https://news.example/feeds/other.html"]
    assert parse_feed(json_feed(items), url="https://json.example/f/feed.json").entries[0].link == \
        "https://json.example/2026/12/story.html"


def test_links_that_are_not_web_addresses_are_dropped() -> None:
    items = [Item("x", "javascript:alert(1)", "Bad link")]
    assert parse_feed(rss20(items), url="https://news.example/feed").entries[0].link is None


@pytest.mark.parametrize("date", ["not a date", "Mon, 99 Foo 2026 99:99:99 GMT", "0000-00-00", ""])
def test_invalid_dates_are_left_out_never_made_up(date: str) -> None:
    parsed = parse_feed(rss20([Item("d", "https://news.example/d", "Dated", date=date)]),
                        url="https://news.example/feed")
    assert parsed.entries[0].published is None


def test_billion_laughs_is_refused_before_any_xml_parser_sees_it() -> None:
    lol = (b'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY lol "lol">'
           + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i else b"&lol;") * 10)
                      for i in range(1, 10))
           + b']>\n<rss version="2.0"><channel><title>&lol9;</title></channel></rss>')
    with pytest.raises(FeedError) as info:
        parse_feed(lol, url="https://evil.example/feed")
    assert str(info.value).startswith("https://evil.example/feed: the feed declares XML entities")


@pytest.mark.parametrize("body, words", [
    (b"", "empty"),
    (b"<html><body>hello</body></html>", "not an RSS, Atom or JSON feed"),
    (b"just some text", "not an RSS, Atom or JSON feed"),
    (b'{"version": "1", "items": []}', "not a JSON Feed"),
    (b'{"version": "https://jsonfeed.org/version/1.1", "items": 3}', "\"items\" is not a list"),
    (b"{not json", "not a valid JSON feed"),
])
def test_not_feeds(body: bytes, words: str) -> None:
    with pytest.raises(FeedError) as info:
        parse_feed(body, url="https://x.example/f")
    assert words in str(info.value) and str(info.value).startswith("https://x.example/f: ")


def test_a_truncated_feed_still_gives_the_items_before_the_cut() -> None:
    body = rss20(ITEMS)
    parsed = parse_feed(body[: body.index(b"<item>", body.index(b"<item>") + 1) + 40], url="https://n.example/f")
    assert parsed.entries[0].title == ITEMS[0].title


def test_discovery_prefers_atom_then_rss_and_resolves_relative_links() -> None:
    html = """<html><head><base href="https://site.example/news/">
    <link rel="stylesheet" href="/s.css">
    <link rel="alternate" type="application/rss+xml" title="RSS" href="rss.xml">
    <link rel="alternate" type="application/atom+xml" title="Atom" href="/atom.xml">
    <link rel="alternate" type="text/html" href="/other">
    <link rel="alternate" hreflang="de" type="application/rss+xml" href="javascript:x">
    </head><body></body></html>"""
    links = find_feed_links(html, "https://site.example/news/index.html")
    assert [(x.url, x.title) for x in links] == [("https://site.example/atom.xml", "Atom"),
                                                 ("https://site.example/news/rss.xml", "RSS")]
    assert find_feed_links("<html><p>no feeds", "https://x.example/") == []


def test_duplicate_guids_fall_back_to_links() -> None:
    entries = [FeedEntry("same", "https://n.example/1", "One"), FeedEntry("same", "https://n.example/2", "Two"),
               FeedEntry("solo", "https://n.example/3", "Three"), FeedEntry(None, None, "No id")]
    keys = item_keys(entries)
    assert keys[:3] == ["link:https://n.example/1", "link:https://n.example/2", "guid:solo"]
    assert keys[3].startswith("title:No id|")


def test_feed_html_becomes_blocks_without_scripts() -> None:
    blocks = html_to_blocks("<h2>Head</h2><p>One <b>bold</b> word</p><script>alert(1)</script>"
                            "<ul><li>first</li><li>second</li></ul><blockquote>Said so</blockquote>"
                            "loose text<br>after break<table><tr><td>a</td><td>b</td></tr></table>")
    assert [(b.kind, b.text) for b in blocks] == [
        (BlockKind.HEADING, "Head"), (BlockKind.PARAGRAPH, "One bold word"), (BlockKind.LIST_ITEM, "first"),
        (BlockKind.LIST_ITEM, "second"), (BlockKind.QUOTE, "Said so"), (BlockKind.PARAGRAPH, "loose text"),
        (BlockKind.PARAGRAPH, "after break"), (BlockKind.PARAGRAPH, "a | b")]


def test_malformed_and_deeply_nested_html_does_not_break() -> None:
    assert [b.text for b in html_to_blocks("<p>unclosed <i>italic <p>next</div></span>")] == \
        ["unclosed italic", "next"]
    deep = "<div>" * 5000 + "<p>deep text</p>" + "</div>" * 5000
    assert "deep text" in [b.text for b in html_to_blocks(deep)]


def test_full_content_versus_summary_only() -> None:
    full = FeedEntry("a", "https://n.example/a", "A", summary_html="<p>short</p>", content_html=f"<p>{LONG}</p>")
    short = FeedEntry("b", "https://n.example/b", "B", summary_html="<p>short</p>", content_html="<p>short too</p>")
    assert has_full_content(full) and not has_full_content(short)
    article = entry_article(full, feed_title="Example", feed_url="https://n.example/feed")
    assert article.url == "https://n.example/a" and article.identity == "https://n.example/a"
    assert LONG in article.plain_text and article.source == "Example"


@pytest.mark.parametrize("builder", [rss20, atom])
def test_content_without_a_summary_is_the_full_text(builder: object) -> None:
    body = builder([Item("a", "https://x.example/a", "T", content=f"<p>{LONG}</p>")])  # type: ignore[operator]
    for tag in (b'<summary type="html">A short summary of the story.</summary>',
                b"<description>A short summary of the story.</description>"):
        body = body.replace(tag, b"")
    (entry,) = parse_feed(body, url="https://x.example/f").entries
    assert has_full_content(entry)
    short = builder([Item("b", "https://x.example/b", "T", content="<p>Just a teaser.</p>")])  # type: ignore[operator]
    assert not has_full_content(parse_feed(short, url="https://x.example/f").entries[0])
