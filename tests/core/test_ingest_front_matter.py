"""YAML front matter (PyYAML safe_load) in Markdown notes: Obsidian, Hugo, Jekyll."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from reader.core.ingest import load_file
from reader.core.ingest.front_matter import MAX_VALUES, read_front_matter
from reader.core.ingest.markdown_in import parse_markdown
from reader.store import Library
from reader.store.importer import import_paths


def md(text: str):
    return parse_markdown(text, path="note.md")


def test_obsidian_note_with_lists_nested_keys_and_multiline_strings() -> None:
    article = md(
        "---\n"
        "title: Council approves the bridge\n"
        "aliases:\n  - bridge vote\n"
        "tags:\n  - local/politics\n  - transport\n"
        "created: 2024-02-03T09:15:00Z\n"
        "author:\n  name: Priya Natarajan\n  twitter: '@priya'\n"
        "summary: |\n  The council voted 7-2.\n  Work starts in May.\n"
        "source: >\n  Evening\n  Gazette\n"
        "---\n\nThe vote came after a long debate.\n"
    )
    assert article.title == "Council approves the bridge"
    assert article.tags == ("local/politics", "transport")
    assert article.authors == ("Priya Natarajan",)
    assert article.lede == "The council voted 7-2. Work starts in May."
    assert article.source == "Evening Gazette"
    assert article.published is None  # "created" is not the publication date
    assert "warnings" not in article.extra


def test_hugo_and_jekyll_shapes() -> None:
    hugo = md(
        "---\ntitle: \"Rates: what changes\"\ndate: 2023-05-01T09:00:00+02:00\nlastmod: 2023-05-03\n"
        "categories: [Economy, Banks]\nkeywords: [rates, 'central bank']\nauthors: [Ann Lee, {name: Bo Chen}]\n"
        "params:\n  source: Hugo Weekly\n---\n\nBody.\n"
    )
    assert hugo.title == "Rates: what changes"
    assert hugo.published == datetime(2023, 5, 1, 9, 0)  # the wall-clock time as written
    assert hugo.updated == datetime(2023, 5, 3)
    assert hugo.section == "Economy"
    assert hugo.tags == ("rates", "central bank")
    assert hugo.authors == ("Ann Lee", "Bo Chen")
    jekyll = md(
        "---\nlayout: post\ntitle:  Welcome to Jekyll!\ndate:   2015-11-25 16:25:06 -0500\n"
        "author:\n  name: Jo Bloggs\n  url: https://jo.example\ncategory: jekyll update\ntags: news, weekly\n---\n\nHi.\n"
    )
    assert (jekyll.title, jekyll.published) == ("Welcome to Jekyll!", datetime(2015, 11, 25, 16, 25, 6))
    assert jekyll.authors == ("Jo Bloggs",) and jekyll.section == "jekyll update"
    assert jekyll.tags == ("news", "weekly")


def test_yaml_1_1_surprises_are_off() -> None:
    fields = read_front_matter("---\ntitle: NO\ncountry: yes\nstarts: 1:20\ndraft: true\nn: 012\n---\n").fields
    assert fields == {"title": "NO", "country": "yes", "starts": "1:20", "draft": "true", "n": "012"}


def test_wrong_values_are_ignored_and_named() -> None:
    article = md("---\ntitle: [a, list]\ndate: 42\nupdated: 2024-13-45\nurl: javascript:alert(1)\n---\n# Heading\n\nBody.\n")
    assert article.title == "Heading"
    assert article.published is None and article.updated is None and article.url is None
    warning = article.extra["warnings"]
    assert "key 'title': a list, not a text" in warning
    assert "key 'date': '42' is not a date" in warning
    assert "key 'updated': '2024-13-45' is not a date" in warning
    assert "key 'url': 'javascript:alert(1)' is not a web address" in warning


def test_invalid_yaml_names_the_line_and_key_and_the_body_is_kept() -> None:
    article = md("---\ntitle: Fine\ntags: [one, two\ndate: 2024-01-01\n---\n# From the body\n\nText stays.\n")
    assert article.title == "From the body"
    assert [b.text for b in article.blocks] == ["Text stays."]
    warning = article.extra["warnings"]
    assert warning.startswith("front matter is not valid YAML at line ")
    assert "(key 'tags')" in warning and "ignored" in warning


def test_a_thematic_break_is_not_front_matter() -> None:
    article = md("---\nJust a line of text, then a rule\n---\n\nA paragraph.\n")
    assert "Just a line of text" in article.plain_text
    assert "warnings" not in article.extra


def test_billion_laughs_stays_small() -> None:
    """Ten aliases deep, the last key stands for 10**10 "lol"s: walking it all would
    never end (pytest-timeout would stop this test); each key gives at most MAX_VALUES."""
    lines = ["---", "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{k}: &a{k} [" + ", ".join([f"*a{k - 1}"] * 10) + "]" for k in range(1, 10)]
    lines += ["title: Laughs", "---", "", "Body."]
    result = read_front_matter("\n".join(lines))
    assert result.fields["title"] == "Laughs"
    assert result.fields["a0"] == ["lol"] * 10
    assert all(len(v) <= MAX_VALUES for v in result.fields.values())


def test_import_reports_front_matter_problems(tmp_path: Path) -> None:
    note = tmp_path / "notes" / "bad.md"
    note.parent.mkdir()
    note.write_text("---\ntitle: Kept\ndate: someday\n---\n\nBody.\n", encoding="utf-8")
    lib = Library.open(tmp_path / "lib.sqlite")
    report = import_paths(lib, [note])
    assert len(report.added) == 1 and report.errors == []
    assert report.warnings == [f"{note}: front matter key 'date': 'someday' is not a date; ignored"]
    assert "warnings" not in lib.article(report.added[0]).extra  # type: ignore[union-attr]
    lib.close()
    assert load_file(note).title == "Kept"
