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


# ---- Markdown out and back in: the text never changes, written marks come back ----
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from reader.core.article import clean_text  # noqa: E402
from reader.core.ingest import parse_text  # noqa: E402
from reader.core.markdown_out import marked_markdown  # noqa: E402

_WORDS = st.lists(st.sampled_from(["alpha", "Beta", "2", "x_y", "*", "**", "[a]", "(b)", "`c`", "<i>", "&amp;",
                                   "é", "\"q\"", "-", "a*b", "__", "!", "#", "\\"]), min_size=1, max_size=9)


@st.composite
def marked_blocks(draw) -> Block:  # noqa: ANN001
    text = clean_text(" ".join(draw(_WORDS)))
    marks = []
    for _ in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        kind = draw(st.sampled_from(["strong", "em", "link"]))
        href = draw(st.sampled_from(["https://e.org/a_b?c=1&d=(2)", "mailto:x@e.org", "https://e.org/<x>"]))
        marks.append(Mark(start, end, kind, href if kind == "link" else ""))
    return Block(BlockKind.PARAGRAPH, text, marks=tuple(marks))


@settings(deadline=None)
@given(marked_blocks())
def test_property_marked_markdown_round_trip_keeps_the_text(block: Block) -> None:
    # (after a plain first paragraph: an all-italic first one is the lede, by design)
    source = "# Title\n\nFirst.\n\n" + marked_markdown(block.text, block.marks) + "\n"
    again = parse_text(source, fmt="markdown")
    assert [b.text for b in again.blocks] == ["First.", block.text]


def test_marks_written_as_markdown_come_back() -> None:
    text = "Some bold words, a link and italic at the end"
    marks = (Mark(5, 15, "strong"), Mark(19, 23, "link", "https://e.org/x?a=1&b=(2)"), Mark(28, 34, "em"))
    md = marked_markdown(text, marks)
    assert md == "Some **bold words**, a [link](<https://e.org/x?a=1&b=(2)>) and *italic* at the end"
    again = parse_text(f"# T\n\n{md}\n", fmt="markdown").blocks[0]
    assert again.text == text and again.marks == marks
