"""Markdown import (front matter, blocks, no raw HTML), plain text import and Markdown export."""

from __future__ import annotations

from datetime import datetime

import pytest

from reader.core.article import Article, Block, BlockKind, article_id
from reader.core.ingest import IngestError, parse_text
from reader.core.ingest.markdown_in import parse_front_matter
from reader.core.markdown_out import article_to_markdown, escape_markdown


def md(text: str, **kwargs) -> Article:
    return parse_text(text, fmt="markdown", **kwargs)


def kinds(article: Article) -> list[tuple[str, str]]:
    return [(b.kind.value, b.text) for b in article.blocks]


def test_front_matter_fields() -> None:
    article = md(
        "---\ntitle: \"A: titled piece\"\ndate: 2024-04-04\nauthors:\n  - Ines Pohl\n  - 'Anna Smith'\n"
        "url: https://example.org/a\ntags: [nato, 'ukraine']\nsource: Blog\n---\n\nBody text.\n"
    )
    assert article.title == "A: titled piece"
    assert article.published == datetime(2024, 4, 4)
    assert article.authors == ("Ines Pohl", "Anna Smith")
    assert article.url == "https://example.org/a"
    assert article.identity == "https://example.org/a" and article.id == article_id("https://example.org/a")
    assert article.tags == ("nato", "ukraine")
    assert article.source == "Blog"
    assert article.format == "markdown"
    assert kinds(article) == [("paragraph", "Body text.")]


@pytest.mark.parametrize(
    "front",
    [
        "title: [a, list]\ndate: not a date",
        "title:\n  nested: map\ndate: 2024-13-45",
        "title: 42x\nurl: javascript:alert(1)\nauthor: {x: 1}",
        "date: [2024]\ntags: 5",
        ": no key\n- dangling item\n  indented: thing",
    ],
)
def test_front_matter_wrong_types_are_ignored(front: str) -> None:
    article = md(f"---\n{front}\n---\n# Heading title\n\nBody.\n")
    assert article.title in ("Heading title", "42x")
    assert article.published is None
    assert article.url is None


def test_front_matter_without_end_is_body() -> None:
    fields, body = parse_front_matter("---\ntitle: x\n\nno end")
    assert fields == {} and body.startswith("---")


def test_title_rules() -> None:
    assert md("# The heading\n\nText.").title == "The heading"
    assert md("First *line* here\nsecond line\n\nText.").title == "First line here"
    article = md("---\ntitle: Given\n---\n# Given\n\n## Sub\n\nText.")
    assert article.title == "Given"
    assert kinds(article) == [("heading", "Sub"), ("paragraph", "Text.")]


def test_blocks_lists_quotes_inline() -> None:
    article = md(
        "# T\n\nA *para* with [a link](http://x.org) and `code` and **bold**.\n\n"
        "- one\n- two\n    - nested\n- three\n\n1. first\n2. second\n\n> quoted text\n> more\n\n"
        "![an image](pic.png)\n\n### Sub heading\n"
    )
    assert kinds(article) == [
        ("paragraph", "A para with a link and code and bold."),
        ("list_item", "one"),
        ("list_item", "two"),
        ("list_item", "nested"),
        ("list_item", "three"),
        ("list_item", "first"),
        ("list_item", "second"),
        ("quote", "quoted text more"),
        ("heading", "Sub heading"),
    ]
    assert article.blocks[-1].level == 3


def test_raw_html_is_literal_text_never_markup() -> None:
    article = md(
        "# T\n\n<script>alert(1)</script>\n\n<div>block</div>\n\nInline <b>bold</b> &amp; <img src=x onerror=y>"
    )
    assert kinds(article) == [
        ("paragraph", "<script>alert(1)</script>"),
        ("paragraph", "<div>block</div>"),
        ("paragraph", "Inline <b>bold</b> & <img src=x onerror=y>"),
    ]
    out = article.to_markdown()
    assert "<script>" not in out and "&lt;script>" in out
    assert md(out).blocks == article.blocks


def test_export_conventions_come_back() -> None:
    article = md(
        "# T\n\n*The lede in italics.*\n\n### 21:25 — Entry heading\n\n"
        "*A caption* (Image: Jane Roe/AFP)\n\n*A video title* (media)\n\nText."
    )
    assert article.lede == "The lede in italics."
    assert article.blocks[0] == Block(BlockKind.ENTRY_HEADING, "Entry heading", time="21:25")
    assert article.blocks[1] == Block(BlockKind.CAPTION, "A caption", credit="Jane Roe/AFP")
    assert article.blocks[2] == Block(BlockKind.CAPTION, "A video title")


def test_markdown_only_front_matter_has_no_title() -> None:
    with pytest.raises(IngestError, match="no title"):
        md("---\ndate: 2024-01-01\n---\n")


def test_markdown_detected_by_suffix_and_heading() -> None:
    assert parse_text("# Hello\n\nWorld").format == "markdown"
    assert parse_text("Hello\n\nWorld", path="a.md").format == "markdown"


# ---- plain text ------------------------------------------------------------------------
def test_plain_text() -> None:
    article = parse_text("\n\n  Title line  \n\nPara one\ncontinues here.\n\n\n\nPara two.\n", path="x.txt")
    assert article.title == "Title line"
    assert article.format == "text"
    assert kinds(article) == [("paragraph", "Para one continues here."), ("paragraph", "Para two.")]
    assert article.source_path == "x.txt"


def test_identity_falls_back_to_text_hash() -> None:
    a = parse_text("Title\n\nBody.", fmt="text")
    b = parse_text("Title\r\n\r\nBody.  ", fmt="text")
    assert a.identity.startswith("text:")
    assert a.id == b.id and a.content_hash == b.content_hash
    assert parse_text("Title\n\nBody.", fmt="text", identity="seed:x").identity == "seed:x"


def test_unknown_format() -> None:
    with pytest.raises(IngestError, match="unknown format"):
        parse_text("x", fmt="pdf")


# ---- export ----------------------------------------------------------------------------
def test_article_to_markdown_layout() -> None:
    article = Article(
        id="x",
        identity="x",
        title="A # title",
        content_hash="h",
        source="DW",
        published=datetime(2024, 4, 4),
        authors=("Ines Pohl",),
        section="Conflicts",
        kicker="Ukraine",
        lede="Lede *text*.",
        blocks=(
            Block(BlockKind.HEADING, "Sub"),
            Block(BlockKind.ENTRY_HEADING, "Entry", time="21:25"),
            Block(BlockKind.CAPTION, "Cap", credit="X/AFP"),
            Block(BlockKind.QUOTE, "Quoted"),
            Block(BlockKind.LIST_ITEM, "- item"),
            Block(BlockKind.LIST_ITEM, "1. item"),
            Block(BlockKind.PARAGRAPH, "<b>not bold</b> & AT&T &amp;"),
        ),
    )
    out = article_to_markdown(article)
    assert out.splitlines()[:9] == [
        "---",
        'section: "Conflicts"',
        'kicker: "Ukraine"',
        "date: 2024-04-04",
        'authors: ["Ines Pohl"]',
        'source: "DW"',
        "---",
        "",
        "# A \\# title",
    ]
    for expected in (
        "*Lede \\*text\\*.*",
        "## Sub",
        "### 21:25 — Entry",
        "*Cap* (Image: X/AFP)",
        "> Quoted",
        "- \\- item\n- 1\\. item",
        "&lt;b>not bold&lt;/b> & AT&T &amp;amp;",
    ):
        assert expected in out
    again = md(out)
    assert again.title == article.title and again.blocks == article.blocks and again.lede == article.lede


def test_escape_markdown() -> None:
    assert escape_markdown("1. not a list") == "1\\. not a list"
    assert escape_markdown("+ not a list") == "\\+ not a list"
    assert escape_markdown("a_b*c`d[e]f") == "a\\_b\\*c\\`d\\[e\\]f"


@pytest.mark.parametrize(
    "body",
    ["[" * 50_000 + "x" + "]" * 50_000, "".join("  " * i + "- x\n" for i in range(1500)), "> " * 5000 + "x"],
    ids=["nested-brackets", "deep-list", "deep-quote"],
)
def test_hostile_markdown_is_kept_literal_not_slow(body: str) -> None:
    # Python-Markdown is super-linear (or recurses too deep) on these; they become literal text.
    article = md("# T\n\n" + body + "\n\nAfter.")
    assert article.blocks[-1].text == "After."
    assert article.blocks[0].kind is BlockKind.PARAGRAPH and "x" in article.blocks[0].text
