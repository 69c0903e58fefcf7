"""Getting things out from the shell: an article with its notes (Markdown, HTML,
PDF), note exports with source/URL/date, and an Obsidian folder."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from cli_helpers import import_ok, listed, reader
from pdf_text import font_sizes_pt, pdf_text

POST = """---
title: "Budget: the deal / what it means"
source: Example Blog
date: 2024-03-15
url: https://example.org/budget
tags: [economy, "public money"]
---

Ministers agreed on a **provisional** budget late on Friday.

Talks will resume next week, said the [finance ministry](https://example.org/fm).
"""


@pytest.fixture
def post(tmp_path: Path) -> str:
    path = tmp_path / "budget.md"
    path.write_text(POST, encoding="utf-8")
    import_ok(path)
    article = str(listed()[0]["id"])
    assert reader("annotate", article, "--quote", "provisional budget", "--note", "Not final yet.",
                  "--colour", "blue", "--tag", "follow up").returncode == 0
    assert reader("annotate", article, "--quote", "resume next week", "--colour", "green").returncode == 0
    return article


def test_export_an_article_as_markdown_with_its_notes(post: str, tmp_path: Path) -> None:
    out = tmp_path / "budget-out.md"
    proc = reader("export", post, "--format", "markdown", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("---\n") and "# Budget: the deal / what it means" in text
    assert "Ministers agreed on a" in text and "## Highlights and notes" in text
    notes = text.split("## Highlights and notes", 1)[1]
    assert notes.index("> provisional budget") < notes.index("Not final yet.") < notes.index("> resume next week")
    assert "Colour: blue (question)" in notes and "Tags: follow up" in notes
    # stdout by default, the same text
    assert reader("export", post).stdout == text


def test_export_an_article_as_html_with_painted_highlights(post: str, tmp_path: Path) -> None:
    out = tmp_path / "budget.html"
    assert reader("export", post, "--format", "html", "-o", str(out)).returncode == 0
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "<title>Budget: the deal / what it means</title>" in html
    painted = re.findall(r'background-color: (#[0-9a-f]{6});">([^<]*)<', html)
    colours = {colour for colour, _ in painted}
    assert colours == {"#c4dcff", "#c8f0c0"}
    assert "".join(t for c, t in painted if c == "#c8f0c0") == "resume next week"
    assert "<b>" in html  # the Markdown bold kept
    assert '<a href="https://example.org/fm">' in html
    assert "Not final yet." in html and 'href="#note-1"' in html


def test_export_an_article_as_pdf(post: str, tmp_path: Path) -> None:
    out = tmp_path / "budget.pdf"
    proc = reader("export", post, "--format", "pdf", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    text = "".join(pdf_text(out).split())  # lines wrap without a space glyph: compare without spaces

    def has(phrase: str) -> bool:
        return "".join(phrase.split()) in text

    assert has("Budget: the deal / what it means") and has("Example Blog · March 15, 2024")
    assert has("Ministers agreed on a provisional budget[1] late on Friday.")  # [1]: its note's number
    assert has("Highlights and notes") and has("Not final yet.")
    assert not list(tmp_path.glob(".budget.pdf*"))  # no temp file left behind
    sizes = font_sizes_pt(out)
    body = max(set(sizes), key=sizes.count)  # the most used size is the body text's
    assert 10 <= body <= 12  # readable on paper, not a screen pixel size shrunk to print resolution
    assert max(sizes) > 1.5 * body  # the title stands out
    proc = reader("export", post, "--format", "pdf")
    assert proc.returncode == 1 and "-o FILE" in proc.stderr


def test_pdf_into_a_folder_that_does_not_exist_is_one_clear_line(post: str, tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "a.pdf"
    proc = reader("export", post, "--format", "pdf", "-o", str(target))
    assert proc.returncode == 1
    assert str(target) in proc.stderr and "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_old_export_forms_still_export_notes(post: str) -> None:
    everything = reader("export")
    assert everything.returncode == 0 and everything.stdout.startswith("# Reader notes")
    assert everything.stdout == reader("annotations").stdout
    as_json = json.loads(reader("export", "--format", "json").stdout)
    assert as_json["type"] == "AnnotationCollection" and as_json["total"] == 2
    one = json.loads(reader("export", post, "--format", "json").stdout)
    assert one["total"] == 2


def test_note_exports_carry_source_url_and_date(post: str) -> None:
    md = reader("annotations", "--format", "markdown").stdout
    dateline = md.split("\n\n")[2]
    assert "Source: Example Blog" in dateline and "<https://example.org/budget>" in dateline
    assert "March 15, 2024" in dateline
    doc = json.loads(reader("annotations", "--format", "json").stdout)
    for item in doc["first"]["items"]:
        target = item["target"]
        assert target["source"] == "https://example.org/budget"
        assert target["reader:articleSource"] == "Example Blog"
        assert target["reader:articleUrl"] == "https://example.org/budget"
        assert target["reader:articlePublished"].startswith("2024-03-15")


def test_obsidian_export_one_file_per_article(post: str, tmp_path: Path, bbc_dir: Path) -> None:
    other = tmp_path / "bbc.txt"
    shutil.copy(bbc_dir / "entertainment" / "199.txt", other)
    import_ok(other)
    bbc_id = next(str(r["id"]) for r in listed() if str(r["title"]).startswith("£1.8m"))
    assert reader("annotate", bbc_id, "--quote", "Viacom", "--occurrence", "1", "--note", "who?").returncode == 0
    vault = tmp_path / "vault" / "Reader"
    proc = reader("annotations", "--format", "obsidian", "-o", str(vault))
    assert proc.returncode == 0, proc.stderr
    assert "wrote 2 note file(s)" in proc.stdout
    files = sorted(p.name for p in vault.iterdir())
    assert files == ["Budget the deal what it means.md", "£1.8m indecency fine for Viacom.md"]
    text = (vault / "Budget the deal what it means.md").read_text(encoding="utf-8")
    front, body = text.split("---\n", 2)[1:]
    meta = yaml.safe_load(front)
    assert meta["title"] == "Budget: the deal / what it means"
    assert meta["source"] == "Example Blog" and meta["url"] == "https://example.org/budget"
    assert str(meta["date"]) == "2024-03-15" and meta["tags"] == ["economy", "public-money"]
    assert meta["reader_id"] == post and meta["highlights"] == 2
    blocks = body.split("\n\n")
    quote = blocks.index("> provisional budget")
    assert blocks[quote + 1] == "Not final yet."
    assert blocks[quote + 2] == "Colour: blue (question) · #follow-up"
    assert "> resume next week" in blocks
    assert proc.returncode == 0
    # again: the same files, rewritten
    assert reader("annotations", "--format", "obsidian", "-o", str(vault)).returncode == 0
    assert sorted(p.name for p in vault.iterdir()) == files
    proc = reader("annotations", "--format", "obsidian")
    assert proc.returncode == 1 and "-o DIR" in proc.stderr
