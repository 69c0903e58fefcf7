"""reader.core.render: one escaped block element per line, safe links, no Qt."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from reader.core.article import Article, Block, BlockKind, LineRole
from reader.core.render import render_html, stylesheet

BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "li", "blockquote"}


class _Blocks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[tuple[str, str, str]] = []  # tag, class, text
        self._open: list[tuple[str, str, list[str]]] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        self.tags.append(tag)
        if tag in BLOCK_TAGS:
            self._open.append((tag, dict(attrs).get("class", ""), []))

    def handle_endtag(self, tag):  # noqa: ANN001
        if tag in BLOCK_TAGS and self._open:
            t, cls, parts = self._open.pop()
            self.blocks.append((t, cls, "".join(parts)))

    def handle_data(self, data):  # noqa: ANN001
        if self._open:
            self._open[-1][2].append(data)


def _article() -> Article:
    return Article(
        id="a", identity="a", title="Title <script>x</script> & 😀", content_hash="h", section="World",
        lede="The lede", url="https://example.com/?a=1&b=<2>", signature="ab/cd",
        blocks=(
            Block(BlockKind.PARAGRAPH, "Para with <b>markup</b> & \"quotes\""),
            Block(BlockKind.HEADING, "Sub", level=3),
            Block(BlockKind.CAPTION, "A caption", credit="AP"),
            Block(BlockKind.LIST_ITEM, "one"),
            Block(BlockKind.LIST_ITEM, "two"),
            Block(BlockKind.QUOTE, "A quote"),
            Block(BlockKind.ENTRY_HEADING, "Entry", time="21:25"),
        ),
    )


def test_one_block_per_line_with_role_classes() -> None:
    art = _article()
    parser = _Blocks()
    parser.feed(render_html(art))
    lines = art.lines()
    assert [b[2] for b in parser.blocks] == [line.text for line in lines]
    roles = [line.role for line in lines]
    assert parser.blocks[roles.index(LineRole.TITLE)][0] == "h1"
    assert parser.blocks[roles.index(LineRole.CAPTION)][1] == "caption"
    assert parser.blocks[roles.index(LineRole.CREDIT)][1] == "credit"
    assert parser.blocks[roles.index(LineRole.HEADING)][0] == "h3"
    assert parser.blocks[roles.index(LineRole.ENTRY_TIME)][1] == "entry-time"
    assert parser.blocks[roles.index(LineRole.QUOTE)][0] == "blockquote"
    assert parser.tags.count("ul") == 1  # consecutive list items share one list


def test_text_is_escaped() -> None:
    html = render_html(_article())
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<b>markup</b>" not in html


def test_only_http_links_are_links() -> None:
    art = _article().with_changes(url="javascript:alert(1)")
    assert "href" not in render_html(art)
    assert 'href="https://example.com/?a=1&amp;b=&lt;2&gt;"' in render_html(_article())


def test_stylesheet_takes_colours() -> None:
    css = stylesheet({"text": "#123456"})
    assert "#123456" in css
    assert re.search(r"p\.caption \{[^}]*margin-left", css)
