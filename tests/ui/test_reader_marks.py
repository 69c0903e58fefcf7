"""Markdown's bold, italics and links reach the reader pane as character formats
over the same text, and the front-matter source leads the header line (issue 17)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QTextCursor

from reader.core.ingest import load_file
from reader.store import Library
from reader.ui.textmap import TextMap
from reader.ui.views.reader_view import ReaderView

POST = """---
title: A post about 😀 emoji
source: Blog
date: 2024-04-04
author: Jo Writer
---

Intro 😀 with **bold  words**, *a slanted bit* and a [link text](https://example.org/x?a=1&b=2).

A [javascript link](javascript:alert(1)) and <b>raw html</b> stay plain.
"""


def _char_format_at(view: ReaderView, text: str, needle: str, within: int = 0) -> QTextCursor:
    """A cursor on the character just after the first of ``needle``'s characters (Qt positions)."""
    start = text.index(needle) + within
    qt = TextMap(text).to_qt(start)
    cursor = QTextCursor(view.document())
    cursor.setPosition(qt + 1)  # charFormat() is the format of the character before the position
    return cursor


def test_markdown_inline_formats_and_source_in_the_reader(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    path.write_text(POST, encoding="utf-8")
    lib = Library.open(tmp_path / "lib.db")
    _, article_id = lib.upsert(load_file(path))
    article = lib.article(article_id)  # through the store, as the app loads it
    assert article is not None
    view = ReaderView()
    qtbot.addWidget(view)
    view.show_article(article)
    shown = view.document().toPlainText()
    text = article.plain_text
    assert shown == text  # the invariant: markup adds no characters
    assert "**" not in shown and "[link text]" not in shown and "https://example.org" not in shown
    header = shown.split("\n")[1]
    assert header == "Blog · April 4, 2024 · By Jo Writer"

    bold = _char_format_at(view, text, "bold words", 2).charFormat()
    assert bold.fontWeight() >= QFont.Weight.Bold
    assert not bold.fontItalic()
    plain = _char_format_at(view, text, "with", 1).charFormat()
    assert plain.fontWeight() < QFont.Weight.Bold and not plain.isAnchor()
    italic = _char_format_at(view, text, "slanted", 1).charFormat()
    assert italic.fontItalic()
    link = _char_format_at(view, text, "link text", 1).charFormat()
    assert link.isAnchor() and link.anchorHref() == "https://example.org/x?a=1&b=2"
    unsafe = _char_format_at(view, text, "javascript link", 1).charFormat()
    assert not unsafe.isAnchor()
    raw = _char_format_at(view, text, "raw html", 1).charFormat()
    assert raw.fontWeight() < QFont.Weight.Bold  # raw HTML in the file is text, never markup
    assert "<b>raw html</b>" in shown
    lib.close()


def test_articles_stored_before_layout_2_keep_their_text(tmp_path: Path) -> None:
    """A stored article without a layout number is shown as it was stored: its
    notes and entities are offsets into that text."""
    path = tmp_path / "post.md"
    path.write_text(POST, encoding="utf-8")
    article = load_file(path)
    data = article.to_json()
    del data["layout"]
    from reader.core.article import Article

    old = Article.from_json(data)
    assert old.layout == 1
    assert "Blog" not in old.plain_text.split("\n")[1]
    assert old.plain_text.split("\n")[1] == article.plain_text.split("\n")[1].removeprefix("Blog · ")
