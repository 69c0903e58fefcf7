"""Property tests: Markdown round trip, and importers raise nothing but IngestError."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.article import Article, Block, BlockKind, clean_text
from reader.core.ingest import IngestError, detect, parse_text
from reader.core.ingest.decode import decode_bytes
from reader.core.ingest.markdown_in import _ENTRY as _ENTRY_LIKE

# 100 examples in the normal run; more under `HYPOTHESIS_PROFILE=fuzz` (make fuzz).
_EXAMPLES = max(100, settings.default.max_examples if settings.default else 100)

# Printable text: letters, digits, punctuation, symbols, spaces (incl. NBSP) and
# the characters Markdown cares about.
_ALPHABET = st.characters(
    categories=("L", "M", "N", "P", "S", "Zs"),
    include_characters="*_`#[]()<>&!\\-+.|{}~=:;'\" \t",
)
_TRICKY = st.sampled_from(
    [
        "<http://x.org>",
        "<a@b.cd>",
        "&amp;",
        "&#65;",
        "&copy",
        "1. x",
        "2) y",
        "- x",
        "+ x",
        "> x",
        "# x",
        "x #",
        "***",
        "---",
        "___",
        "[a](b)",
        "![a](b)",
        "[a]: http://x",
        "`code`",
        "**b**",
        "\\*",
        "a_b_c",
        "<!-- c -->",
        "<div>x</div>",
        "{#id}",
        "| a | b |",
        "    indented",
        "~~x~~",
        "Image: A/B",
        "(media)",
        "*x*",
        "\\",
        "&",
        "<",
        ">",
        "=",
        "\u00a0",
    ]
)
_TEXT = (
    st.lists(st.text(_ALPHABET, max_size=12) | _TRICKY, min_size=1, max_size=5)
    .map(" ".join)
    .map(clean_text)
    .filter(bool)
)


@st.composite
def blocks(draw) -> Block:  # noqa: ANN001
    kind = draw(st.sampled_from(list(BlockKind)))
    text = draw(_TEXT)
    if kind is BlockKind.CAPTION:
        return Block(kind, text, credit=draw(st.none() | _TEXT))
    if kind is BlockKind.ENTRY_HEADING:
        time = draw(st.sampled_from(["21:25", "April 4, 2024", "9:05"]))
        return Block(kind, text, time=time)
    if kind is BlockKind.HEADING:
        return Block(kind, text, level=draw(st.integers(2, 6)))
    return Block(kind, text)


@st.composite
def articles(draw) -> Article:  # noqa: ANN001
    return Article(
        id="x",
        identity="x",
        title=draw(_TEXT),
        content_hash="h",
        lede=draw(st.none() | _TEXT),
        blocks=tuple(draw(st.lists(blocks(), max_size=6))),
        published=draw(
            st.none()
            | st.datetimes(datetime(1990, 1, 1), datetime(2100, 1, 1)).map(
                lambda d: d.replace(hour=0, minute=0, second=0, microsecond=0)
            )
        ),
        authors=tuple(draw(st.lists(_TEXT, max_size=2))),
        section=draw(st.none() | _TEXT),
    )


@settings(max_examples=_EXAMPLES, deadline=None)
@given(articles())
def test_property_markdown_round_trip(article: Article) -> None:
    again = parse_text(article.to_markdown(), fmt="markdown")
    assert again.title == article.title
    assert [b.text for b in again.blocks] == [b.text for b in article.blocks]
    # (a level-3 HEADING reading "21:25 — x" would come back as a live-blog entry, by design)
    assert [b.kind for b in again.blocks] == [
        BlockKind.ENTRY_HEADING
        if b.kind is BlockKind.HEADING and b.level == 3 and _ENTRY_LIKE.match(b.text)
        else b.kind
        for b in article.blocks
    ]
    assert again.lede == article.lede
    assert again.published == article.published
    assert again.section == article.section


_ANY_TEXT = st.text(max_size=400) | st.lists(
    st.sampled_from(
        [
            "Skip to content",
            "1. Skip to content",
            "Skip next section X",
            "April 4, 2024",
            "X",
            "",
            "Image: A/B",
            "captionImage: C/D",
            "mf/sms (Reuters, dpa)",
            "https://p.dw.com/p/4SgeI",
            "Published April 4, 2024last updated April 5, 2024",
            "21:25",
            " date 2024-07-11",
            "T | S | DW | 21.06.2022",
            "Date 21.06.2022",
            "Author Jane Doe",
            "Watch video 02:07",
            "---",
            "title: [x]",
            "# H",
            "> q",
            "- i",
            "<script>",
            "&amp;",
            "ConflictsUkraine",
            "Ines Pohl in Washington",
            "1 hour ago",
            "Para graph text.",
            "\u00a0",
            "\x00",
            "\r",
        ]
    ),
    max_size=30,
).map("\n".join)


@settings(max_examples=_EXAMPLES, deadline=None)
@given(_ANY_TEXT, st.sampled_from(["dw", "markdown", "text", None]))
def test_property_importers_raise_only_ingest_error(text: str, fmt: str | None) -> None:
    try:
        article = parse_text(text, fmt=fmt, path="fuzz.txt")
    except IngestError as exc:
        assert "\n" not in str(exc)
        return
    # a DW page without a headline is untitled (issue 15), but never empty
    assert article.title or (article.format == "dw" and article.plain_text)
    assert "\n\n" not in article.plain_text
    detect(text)


@settings(max_examples=_EXAMPLES, deadline=None)
@given(st.binary(max_size=300))
def test_property_decode_raises_only_ingest_error(data: bytes) -> None:
    try:
        text = decode_bytes(data, "fuzz.bin")
    except IngestError:
        return
    assert text.strip() and "\r" not in text and "\x00" not in text
