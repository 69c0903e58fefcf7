"""Saved web pages -> Article (reader.core.ingest.html, trafilatura underneath)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from reader.core.article import BlockKind, clean_text
from reader.core.ingest import IngestError, detect, iter_files, load_file, parse_text
from reader.core.ingest.html import canonical_url, parse_html
from reader.store import Library
from reader.store.library import ImportOutcome

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data"
DW_HTML = DATA / "dw_4SgeI.html"
SEED = ROOT / "seeds" / "004_a8836ae8919bc697.txt"


def dw_scrape_with_author() -> str:
    """Seed 004 as the DW text scrape, with the author line DW prints above the date."""
    text = SEED.read_text(encoding="utf-8")
    assert "\nJune 16, 2023\n" in text
    return text.replace("\nJune 16, 2023\n", "\nTeri Schultz\nJune 16, 2023\n")


def body(article):  # (kind, text, credit) with whitespace normalised
    return [(b.kind, clean_text(b.text), b.credit) for b in article.blocks]


def page(body_html: str, head: str = "", lang: str = "en") -> str:
    return f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'>{head}</head><body>{body_html}</body></html>"


LONG = (
    "The council met on Tuesday to discuss the budget for the coming year, and members argued for hours "
    "about the cost of the new bridge over the river. "
)


# ---- the DW pair -------------------------------------------------------------------------
def test_dw_page_saved_as_html_matches_the_dw_text_scrape() -> None:
    html = load_file(DW_HTML)
    scrape = parse_text(dw_scrape_with_author(), fmt="dw")
    assert html.format == "html"
    assert html.title == scrape.title == "NATO: Ukraine has 'moved closer' to alliance"
    assert html.published is not None and scrape.published is not None
    assert html.published.date() == scrape.published.date() == datetime(2023, 6, 16).date()
    assert html.updated is None and scrape.updated is None
    assert html.authors == scrape.authors == ("Teri Schultz",)
    assert html.lede == scrape.lede
    assert html.signature == scrape.signature == "mf/sms (Reuters, dpa)"
    assert body(html) == body(scrape)
    # the paragraphs are the real thing, not an empty match
    assert sum(1 for kind, _, _ in body(html) if kind is BlockKind.PARAGRAPH) == 14
    assert (BlockKind.CAPTION, "NATO alliance members discussed creating a new NATO-Ukraine council where Kyiv "
            "would be on equal footing with other allies", "Yves Herman/REUTERS") in body(html)


def test_dw_page_metadata_and_boilerplate() -> None:
    article = load_file(DW_HTML)
    assert article.url == article.identity == "https://www.dw.com/en/nato-ukraine-has-moved-closer-to-alliance/a-65937420"
    assert article.section == "Conflicts"
    assert article.source == "dw.com"
    assert article.extra["language"] == "en"
    assert article.tags == ("NATO", "Ukraine", "Jens Stoltenberg", "Lloyd Austin")
    text = article.plain_text
    for chrome in ("cookies", "Skip to", "Explore more", "Legal notice", "Related topics", "Advertisement",
                   "Zelenskyy urges", "Facebook", "enable JavaScript", "Learn German"):
        assert chrome not in text, chrome


def test_links_keep_their_targets() -> None:
    article = load_file(DW_HTML)
    links = [(b.text[link.start : link.end], link.href) for b in article.blocks for link in b.links]
    assert ("Vilnius Summit", "https://www.dw.com/en/nato-summit-in-vilnius/t-65500000") in links
    # a relative link is made absolute against the page's canonical URL
    assert ("Sweden's accession", "https://www.dw.com/en/sweden-nato/a-65000001") in links
    stored = type(article).from_json(article.to_json())
    assert stored.blocks == article.blocks


def test_link_offsets_survive_odd_whitespace() -> None:
    html = page(f"<article><h1>Title here</h1><p>{LONG}See   the\n<a href='/x/report'> full\n report </a>,"
                "then <a href='https://other.example/y'>this</a><a href='#top'>top</a>.</p></article>",
                "<link rel='canonical' href='https://news.example.com/a/1'>")
    article = parse_html(html)
    para = article.blocks[-1]
    found = {para.text[link.start : link.end]: link.href for link in para.links}
    assert found == {"full report": "https://news.example.com/x/report", "this": "https://other.example/y"}
    assert para.text.endswith("river. See the full report ,then thistop.")


# ---- identity -----------------------------------------------------------------------------
def test_same_story_saved_twice_is_one_article(tmp_path: Path) -> None:
    first = DW_HTML.read_text(encoding="utf-8")
    # saved again a day later: another cookie text, another ad, tracking on the canonical link
    second = first.replace("We use cookies to improve our service", "This site uses cookies to improve things").replace(
        '<div class="ad-slot" id="ad-1"></div>', '<div class="ad-slot" id="ad-7"><p>Buy now</p></div>'
    ).replace('a-65937420">', 'a-65937420?utm_source=newsletter&amp;utm_medium=email">', 1)
    assert second != first
    (tmp_path / "one.html").write_text(first, encoding="utf-8")
    (tmp_path / "two.htm").write_text(second, encoding="utf-8")
    lib = Library.open(tmp_path / "lib.sqlite")
    outcome1, id1 = lib.upsert(load_file(tmp_path / "one.html"))
    outcome2, id2 = lib.upsert(load_file(tmp_path / "two.htm"))
    assert (outcome1, outcome2) == (ImportOutcome.ADDED, ImportOutcome.UNCHANGED)
    assert id1 == id2 and lib.count() == 1
    # the story edited later: the same article, updated in place
    edited = first.replace("Finally, he expressed optimism", "Finally, he expressed cautious optimism")
    (tmp_path / "three.html").write_text(edited, encoding="utf-8")
    outcome3, id3 = lib.upsert(load_file(tmp_path / "three.html"))
    assert (outcome3, id3) == (ImportOutcome.UPDATED, id1)
    lib.close()


def test_fetched_page_without_canonical_link_is_known_by_its_url() -> None:
    html = page(f"<article><h1>Storm hits coast</h1><p>{LONG}</p></article>")
    a = parse_html(html, url="https://News.Example.com/2024/storm?utm_source=rss&id=7#comments", source_name="Example feed")
    b = parse_html(html.encode("utf-8"), url="https://news.example.com/2024/storm?id=7")
    assert a.identity == b.identity == a.url == "https://news.example.com/2024/storm?id=7"
    assert a.id == b.id
    assert a.source == "Example feed" and b.source == "news.example.com"


def test_canonical_url_rules() -> None:
    assert canonical_url("/a/b?utm_campaign=x#f", "https://www.site.org/news/") == "https://www.site.org/a/b"
    assert canonical_url("HTTP://Site.ORG:80/x") == "http://site.org/x"
    for bad in ("", "javascript:alert(1)", "ftp://site.org/x", "/relative/without/base", "mailto:a@b.c"):
        assert canonical_url(bad) is None, bad


def test_saved_from_comment_gives_the_address() -> None:
    html = "<!-- saved from url=(0041)https://www.bbc.co.uk/news/world-12345678 -->\n" + page(
        f"<article><h1>Floods in the north</h1><p>{LONG}</p></article>"
    )
    article = parse_html(html, path="floods.html")
    assert article.identity == "https://www.bbc.co.uk/news/world-12345678"


def test_page_without_any_address_is_known_by_its_file(tmp_path: Path) -> None:
    (tmp_path / "note.html").write_text(page(f"<article><h1>Local news</h1><p>{LONG}</p></article>"), "utf-8")
    article = load_file(tmp_path / "note.html")
    assert article.url is None
    assert article.identity == f"file:{(tmp_path / 'note.html').resolve()}"


# ---- metadata sources ------------------------------------------------------------------------
def test_opengraph_and_article_tags() -> None:
    head = (
        "<title>Wind farm approved | The Gazette</title>"
        "<meta property='og:title' content='Wind farm approved'>"
        "<meta property='og:site_name' content='The Gazette'>"
        "<meta property='og:url' content='https://gazette.example/energy/wind-farm'>"
        "<meta property='article:published_time' content='2024-03-02T08:15:00+01:00'>"
        "<meta property='article:modified_time' content='2024-03-05T10:00:00+01:00'>"
        "<meta property='article:author' content='https://gazette.example/staff/ann'>"
        "<meta name='author' content='Ann Lee and Bo Chen'>"
        "<meta property='article:section' content='Energy'>"
        "<meta property='article:tag' content='wind power'><meta property='article:tag' content='planning'>"
        "<meta property='og:locale' content='en_GB'>"
    )
    article = parse_html(page(f"<article><h1>Wind farm approved</h1><p>{LONG}</p><p>{LONG}</p></article>", head, lang=""))
    assert article.title == "Wind farm approved"
    assert article.published == datetime(2024, 3, 2, 8, 15)  # the wall-clock time the page shows
    assert article.updated == datetime(2024, 3, 5, 10, 0)
    assert article.authors == ("Ann Lee", "Bo Chen")
    assert article.source == "The Gazette"
    assert article.section == "Energy"
    assert article.tags == ("wind power", "planning")
    assert article.extra["language"] == "en_GB"
    assert article.identity == "https://gazette.example/energy/wind-farm"


def test_title_tag_suffix_and_time_element() -> None:
    html = page(
        f"<header><nav><a href='/'>Home</a></nav></header><main><article><h1>Rail strike called off</h1>"
        f"<p class='byline'>By <span class='author'>Sam Ortiz</span></p>"
        f"<time datetime='2019-11-20'>20 November 2019</time><p>{LONG}</p><p>{LONG}</p></article></main>",
        "<title>Rail strike called off - BBC News</title>",
    )
    article = parse_html(html)
    assert article.title == "Rail strike called off"
    assert article.published == datetime(2019, 11, 20)


def test_a_date_is_never_made_up() -> None:
    html = page(
        f"<article><h1>Undated essay</h1><p>{LONG}</p><p>{LONG}</p></article>"
        "<footer><p>© 2023 Example Media. All rights reserved. Updated 12 times since 1999.</p></footer>"
    )
    article = parse_html(html)
    assert article.published is None and article.updated is None


def test_broken_json_ld_does_not_hide_the_other_metadata() -> None:
    head = (
        "<script type='application/ld+json'>{\"@type\": \"NewsArticle\", \"headline\": </script>"
        "<script type='application/ld+json'>{\"@graph\": [{\"@type\": \"WebPage\"}, {\"@type\": \"NewsArticle\","
        " \"headline\": \"Budget passes\", \"datePublished\": \"2022-05-01\", \"author\": \"Kim Park\"}]}</script>"
    )
    article = parse_html(page(f"<article><h1>Budget passes</h1><p>{LONG}</p></article>", head))
    assert (article.title, article.published, article.authors) == ("Budget passes", datetime(2022, 5, 1), ("Kim Park",))


# ---- structure -------------------------------------------------------------------------------
def test_structure_becomes_typed_blocks() -> None:
    html = page(
        "<article><h1>Explainer: the new rules</h1>"
        f"<p>{LONG}</p>"
        "<h2>What changes</h2>"
        "<ul><li>Fees rise by 5%</li><li>Permits last longer<ul><li>Up to ten years</li></ul></li></ul>"
        "<ol><li>Apply online</li><li>Wait for a letter</li></ol>"
        "<h3>Who said what</h3>"
        "<blockquote><p>This is a fair deal for everyone.</p><p>We will watch it closely.</p></blockquote>"
        "<table><tr><th>Year</th><th>Fee</th></tr><tr><td>2023</td><td>£40</td></tr><tr><td>2024</td><td>£42</td></tr></table>"
        "<figure><img src='a.jpg' alt='A queue'><figcaption>People queue outside the office. "
        "Photo: Jo Bloggs/Agency</figcaption></figure>"
        "<figure><img src='b.jpg' alt='no caption here'></figure>"
        f"<p>{LONG} The end.</p></article>"
    )
    article = parse_html(html)
    got = [(b.kind, b.text, b.credit, b.level) for b in article.blocks]
    assert got == [
        (BlockKind.PARAGRAPH, clean_text(LONG), None, 2),
        (BlockKind.HEADING, "What changes", None, 2),
        (BlockKind.LIST_ITEM, "Fees rise by 5%", None, 2),
        (BlockKind.LIST_ITEM, "Permits last longer", None, 2),
        (BlockKind.LIST_ITEM, "Up to ten years", None, 2),
        (BlockKind.LIST_ITEM, "Apply online", None, 2),
        (BlockKind.LIST_ITEM, "Wait for a letter", None, 2),
        (BlockKind.HEADING, "Who said what", None, 3),
        (BlockKind.QUOTE, "This is a fair deal for everyone.", None, 2),
        (BlockKind.QUOTE, "We will watch it closely.", None, 2),
        (BlockKind.PARAGRAPH, "Year | Fee", None, 2),
        (BlockKind.PARAGRAPH, "2023 | £40", None, 2),
        (BlockKind.PARAGRAPH, "2024 | £42", None, 2),
        (BlockKind.CAPTION, "People queue outside the office.", "Jo Bloggs/Agency", 2),
        (BlockKind.PARAGRAPH, clean_text(LONG) + " The end.", None, 2),
    ]
    assert "no caption here" not in article.plain_text


def test_page_html_is_never_passed_through() -> None:
    html = page(f"<article><h1>Safe &lt;b&gt;title&lt;/b&gt;</h1><p>{LONG}<script>alert(1)</script>"
                "<img src='https://tracker.example/pixel.gif' onerror='steal()'>"
                "<iframe src='https://evil.example'></iframe> &lt;i&gt;literal&lt;/i&gt;</p></article>")
    article = parse_html(html)
    assert "alert(1)" not in article.plain_text and "tracker.example" not in article.plain_text
    assert "evil.example" not in article.plain_text and "steal" not in article.plain_text
    assert "<i>literal</i>" in article.plain_text  # escaped text in the page stays text


# ---- bytes, files, folders, errors ---------------------------------------------------------
def test_declared_charset_is_used(tmp_path: Path) -> None:
    html = page(f"<article><h1>Prices in Britain</h1><p>{LONG} A loaf costs £1.20 in Köln too.</p></article>")
    path = tmp_path / "old.htm"
    path.write_bytes(html.replace("utf-8", "windows-1252").encode("cp1252"))
    assert "£1.20 in Köln" in load_file(path).plain_text
    path.write_bytes(html.replace("utf-8", "iso-8859-1").encode("latin-1"))
    assert "£1.20 in Köln" in load_file(path).plain_text


def test_html_files_are_found_in_folders_and_detected(tmp_path: Path) -> None:
    for name in ("a.html", "b.htm", "c.xhtml", "d.txt", "e.jpg"):
        (tmp_path / name).write_text(page(f"<article><h1>{name}</h1><p>{LONG}</p></article>"), "utf-8")
    found = sorted(p.name for p, err in iter_files([tmp_path]) if err is None)
    assert found == ["a.html", "b.htm", "c.xhtml", "d.txt"]
    assert load_file(tmp_path / "c.xhtml").title == "c.xhtml"
    # a .txt holding a saved page is read as one
    assert detect((tmp_path / "d.txt").read_text("utf-8"), tmp_path / "d.txt") == "html"
    assert load_file(tmp_path / "d.txt").format == "html"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "file is empty"),
        (b"   \n\t ", "file contains only whitespace"),
        (b"<!DOCTYPE html><html><head><title>Nothing</title></head><body></body></html>", "no article text"),
        (b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "no article text"),
    ],
)
def test_pages_without_an_article_are_clear_errors(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "bad.html"
    path.write_bytes(content)
    with pytest.raises(IngestError) as info:
        load_file(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ") and reason in message and "\n" not in message


@pytest.mark.parametrize(
    ("head", "h1", "title"),
    [
        ("<title>Rail strike called off - BBC News</title>", "Rail strike called off", "Rail strike called off"),
        ("<title>BBC News | Rail strike called off</title>", "Rail strike called off", "Rail strike called off"),
        ("<title>Gazette | Local news</title>", "", "Local news"),
        ("<title>Local news roundup for the week - Gazette</title>", "", "Local news roundup for the week"),
        ("<meta property='og:title' content='Covid - what you need to know'>", "", "Covid - what you need to know"),
        ("<meta property='og:site_name' content='The Gazette'><meta property='og:title' content='Bridge vote | The Gazette'>",
         "", "Bridge vote"),
    ],
)
def test_title_without_structured_data(head: str, h1: str, title: str) -> None:
    heading = f"<h1>{h1}</h1>" if h1 else ""
    assert parse_html(page(f"<article>{heading}<p>{LONG}</p></article>", head)).title == title
