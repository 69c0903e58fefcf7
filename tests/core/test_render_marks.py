"""Inline marks and export highlights in reader.core.render: text unchanged, tags where the marks are."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from reader.core.article import Article, Block, BlockKind, Mark
from reader.core.render import ExportNote, Highlight, render_document, render_html


class _Text(HTMLParser):
    """The text of the body, and for each character the tags open over it."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[tuple[str, dict[str, str | None]]] = []
        self.chars: list[tuple[str, tuple[str, ...]]] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        if tag not in ("br",):
            self.open.append((tag, dict(attrs)))
        if tag == "a" and dict(attrs).get("href"):
            self.hrefs.append(str(dict(attrs)["href"]))

    def handle_endtag(self, tag):  # noqa: ANN001
        for k in range(len(self.open) - 1, -1, -1):
            if self.open[k][0] == tag:
                del self.open[k:]
                break

    def handle_data(self, data):  # noqa: ANN001
        tags = tuple(t for t, _ in self.open)
        self.chars += [(ch, tags) for ch in data]


def _article() -> Article:
    text = "Bold and a link & <tag> here"
    return Article(id="a", identity="a", title="T", content_hash="h", source="Blog", layout=2, blocks=(
        Block(BlockKind.PARAGRAPH, text, marks=(Mark(0, 8, "strong"), Mark(5, 15, "em"),
                                               Mark(11, 15, "link", 'https://e.org/?q="x"&y=1'),
                                               Mark(16, 17, "link", "javascript:alert(1)"))),
    ))


def test_marks_become_tags_over_the_same_text() -> None:
    art = _article()
    parser = _Text()
    parser.feed(render_html(art).split("<body>")[1])
    assert "".join(ch for ch, _ in parser.chars).strip("\n") == art.plain_text
    line = art.lines()[-1]
    chars = parser.chars[line.start :]
    tags_at = {k: chars[k][1] for k in range(len(line.text))}
    assert all("b" in tags_at[k] for k in range(0, 8)) and "b" not in tags_at[9]
    assert all("i" in tags_at[k] for k in range(5, 15)) and "i" not in tags_at[4]
    assert all("a" in tags_at[k] for k in range(11, 15)) and "a" not in tags_at[10]
    assert "a" not in tags_at[16]  # a javascript: link is not a link
    assert parser.hrefs == ['https://e.org/?q="x"&y=1']  # the attribute is escaped and reads back exactly
    assert art.lines()[1].text == "Blog"


def test_export_document_paints_highlights_and_numbers_notes() -> None:
    art = _article()
    text = art.plain_text
    start = text.index("and a link")
    end = start + len("and a link")
    html = render_document(art, [Highlight(start, end, "#c4dcff", 1)],
                           [ExportNote(1, text[start:end], "My <note>\nsecond line", "blue (question)")])
    parser = _Text()
    parser.feed(html.split("<body>")[1])
    body = "".join(ch for ch, _ in parser.chars)
    assert "and a link[1]" in body  # the note number follows the highlight
    assert "My <note>" in body and "second line" in body  # note text escaped, shown as text
    spans = re.findall(r'<span style="background-color: #c4dcff;">(.*?)</span>', html)
    painted = "".join(re.sub(r"<[^>]+>", "", s) for s in spans)
    assert painted == "and a link"
    assert "<title>T</title>" in html and "Highlights and notes" in html
