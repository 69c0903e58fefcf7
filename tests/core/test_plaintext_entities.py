"""Plain text keeps no HTML character references: ``&#163;1.8m`` is shown as ``£1.8m``."""

from __future__ import annotations

from pathlib import Path

from reader.core.ingest import load_file, parse_text
from reader.core.ingest.plaintext import unescape_entities


def test_bbc_title_with_a_pound_reference_reads_as_a_pound_sign(bbc_dir: Path) -> None:
    article = load_file(bbc_dir / "entertainment" / "199.txt")
    assert article.title == "£1.8m indecency fine for Viacom"
    assert "&#" not in article.plain_text
    assert article.plain_text.splitlines()[0] == "£1.8m indecency fine for Viacom"


def test_no_bbc_file_keeps_a_character_reference(bbc_dir: Path) -> None:
    with_refs = [p for p in sorted(bbc_dir.glob("*/*.txt")) if "&#" in p.read_text(encoding="latin-1")]
    assert len(with_refs) >= 20  # the corpus has them: this test checks something
    for path in with_refs:
        article = load_file(path)
        assert "&#" not in article.plain_text, path


def test_body_references_are_decoded_and_text_with_ampersands_is_not() -> None:
    text = "Q&A: AT&T &amp; the &eacute;lite\n\nPrices &lt;&#163;5 &#x20AC;3, R&D &notes; &nosuch; &#0;\n"
    article = parse_text(text, fmt="text")
    assert article.title == "Q&A: AT&T & the élite"
    assert article.blocks[0].text == "Prices <£5 €3, R&D &notes; &nosuch; &#0;"


def test_unescape_decodes_once() -> None:
    assert unescape_entities("&amp;amp;") == "&amp;"
    assert unescape_entities("no refs") == "no refs"
