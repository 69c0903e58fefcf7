"""Hostile and broken web pages: nothing crashes, no text is lost, the library is untouched."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.core.ingest import IngestError
from reader.core.ingest.html import parse_html
from reader.store import Library
from reader.store.importer import import_paths


def para(k: int) -> str:
    return f"Paragraph {k}: the council met on Tuesday and argued for hours about the cost of bridge number {k}."


def assert_all_kept(article, count: int) -> None:
    text = article.plain_text
    missing = [k for k in range(count) if para(k) not in text]
    assert missing == [], f"{len(missing)} paragraphs lost, e.g. {missing[:5]}"


def test_malformed_markup_keeps_every_paragraph() -> None:
    html = (
        "<html><body><article><h1>Unclosed <b>tags</h1><p>" + para(0) + "<p>" + para(1) + "<div><span><i>"
        + "</p></p></div></div></span><<<>>>" + "<p>" + para(2) + "&bogus; &#xFFFFFF; &#0; &#x110000;</p>"
        + "\x00<p>" + para(3) + "</td></tr></table></li></ul>" + "<p>" + para(4)
    )
    article = parse_html(html, path="broken.html")
    assert article.title.startswith("Unclosed")
    assert_all_kept(article, 5)


def test_deeply_nested_page_keeps_its_text_and_says_so() -> None:
    html = ("<html><body><article><h1>Deep page</h1><p>" + para(0) + "</p>" + "<div>" * 5000 + "<p>" + para(1)
            + "</p>" + "</div>" * 5000 + "<p>" + para(2) + "</p></article></body></html>")
    article = parse_html(html, path="deep.html")
    assert article.title == "Deep page"
    assert_all_kept(article, 3)
    assert "too deeply nested" in article.extra["warnings"]


def test_unclosed_nesting_and_tables_in_tables() -> None:
    unclosed = "<html><body><article><h1>Open</h1>" + "<div><span>" * 20000 + "".join(f"<p>{para(k)}" for k in range(3))
    assert_all_kept(parse_html(unclosed, path="open.html"), 3)
    tables = ("<html><body><article><h1>Tables</h1>" + "<table><tr><td>" * 600 + "".join(f"<p>{para(k)}</p>" for k in range(3))
              + "</td></tr></table>" * 600 + "</article></body></html>")
    assert_all_kept(parse_html(tables, path="tables.html"), 3)


def test_one_huge_paragraph_is_kept_whole() -> None:
    words = "word " * 2_000_000
    article = parse_html(f"<html><body><article><h1>One paragraph</h1><p>{words}</p></article></body></html>")
    assert article.title == "One paragraph"
    assert sum(len(b.text) for b in article.blocks) == len(words.strip())


def test_a_big_page_keeps_every_paragraph() -> None:
    body = "".join(f"<p>{para(k)}</p>" for k in range(10000))
    html = f"<html><head><title>Report</title></head><body><nav><a href='/'>Home</a></nav><article><h1>Report</h1>{body}</article></body></html>"
    article = parse_html(html)
    assert_all_kept(article, 10000)
    assert "warnings" not in article.extra


def test_entity_expansion_is_never_done() -> None:
    dtd = ("<!DOCTYPE html [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>"
           "<!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;'><!ENTITY d '&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;'>]>")
    article = parse_html(dtd + f"<html><body><article><h1>Laughs &d;</h1><p>{para(0)} &d;&d;&d;</p></article></body></html>")
    assert len(article.plain_text) < 1000
    assert para(0) in article.plain_text


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("<html><body><script>" + "var a = 1;" * 50000 + "</script></body></html>", "no article text"),
        ("<html><head><style>p { color: red }</style></head><body>   </body></html>", "no article text"),
    ],
)
def test_pages_without_text_are_one_clear_line(html: str, reason: str) -> None:
    with pytest.raises(IngestError) as info:
        parse_html(html, path="empty.html")
    assert str(info.value) == f"empty.html: {reason} found in the web page"


def test_hostile_folder_leaves_the_library_as_it_was(tmp_path: Path) -> None:
    lib = Library.open(tmp_path / "lib.sqlite")
    keep = tmp_path / "keep.txt"
    keep.write_text("Kept article\n\nThe quick brown fox jumps over the lazy dog.\n", encoding="utf-8")
    (art_id,) = import_paths(lib, [keep]).added
    note = lib.annotate_quote(art_id, "lazy dog", note="must survive")
    lib.set_bookmark(art_id)
    before = (lib.article(art_id), lib.annotations(art_id), lib.is_bookmarked(art_id))
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "binary.html").write_bytes(bytes(range(256)) * 64)
    (folder / "empty.htm").write_bytes(b"")
    (folder / "scripts.html").write_text("<html><body><script>x()</script></body></html>", encoding="utf-8")
    (folder / "deep.html").write_text("<html><body><h1>Deep</h1>" + "<div>" * 3000 + f"<p>{para(0)}</p>", encoding="utf-8")
    (folder / "soup.xhtml").write_text(f"<<html><p>>{para(1)}</b></i></html>>", encoding="utf-8")
    (folder / "bad-charset.html").write_bytes(b"<meta charset='no-such-codec'><h1>Odd charset</h1><p>" + para(2).encode() + b"</p>")
    report = import_paths(lib, [folder])
    assert sorted(e.split(": ", 1)[0] for e in report.errors) == sorted(
        str(folder / n) for n in ("binary.html", "empty.htm", "scripts.html"))
    assert all("\n" not in e for e in report.errors)
    assert len(report.added) == 3
    texts = " ".join(lib.plain_text(i) or "" for i in report.added)
    assert all(para(k) in texts for k in range(3))
    assert (lib.article(art_id), lib.annotations(art_id), lib.is_bookmarked(art_id)) == before
    assert lib.annotation(note.id) is not None
    lib.close()


TAGS = st.sampled_from(["p", "div", "span", "a", "b", "table", "tr", "td", "ul", "li", "h1", "h2", "figure",
                        "figcaption", "blockquote", "script", "style", "article", "main", "nav", "br", "img", "svg"])
PIECE = st.one_of(
    TAGS.map(lambda t: f"<{t}>"),
    TAGS.map(lambda t: f"</{t}>"),
    st.text(min_size=1, max_size=40),
    st.sampled_from(["&amp;", "&#0;", "&#xD800;", "&nosuch;", "<!--", "-->", "<![CDATA[", "]]>", "<!DOCTYPE html>",
                     "<a href='javascript:x'>", "<a href='//host/p'>", "<meta charset='utf-16'>", "\x00", "\ufeff"]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECE, max_size=80))
def test_fuzz_tag_soup_raises_only_ingest_error(pieces: list[str]) -> None:
    html = "".join(pieces)
    try:
        article = parse_html(html, path="fuzz.html")
    except IngestError as exc:
        assert "\n" not in str(exc)
        return
    assert article.title and "\n\n" not in article.plain_text
