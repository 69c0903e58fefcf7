"""Article -> Markdown (export, ``reader show``); re-importable by :mod:`reader.core.ingest.markdown_in`.

Layout::

    ---
    section: "Conflicts"            # metadata block (front matter), JSON-quoted values
    date: 2023-06-16
    authors: ["Ines Pohl"]
    url: "https://p.dw.com/p/4SgeI"
    ---

    # Title

    *Lede*

    ## Heading
    ### April 4, 2024 — Live-blog entry heading
    *Caption* (Image: credit)       # a caption without credit: *Caption* (media)
    > Quote
    - List item

Text is escaped so that Python-Markdown gives back exactly the block texts:
Markdown punctuation is backslash-escaped, ``<`` and entity-like ``&`` become
character references (so raw HTML in an article is never rendered).
"""

from __future__ import annotations

import json
import re

from reader.core.article import Article, Block, BlockKind, clean_text

_SPECIAL = re.compile(r"([\\`*_\[\]#!{}])")
_ENTITY_LIKE = re.compile(r"&(?=#\d+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)")
_LINE_START = re.compile(r"^(\s*)([-+>]|\d+(?=\.))")
ENTRY_SEPARATOR = " — "
MEDIA_MARK = "(media)"


def escape_markdown(text: str) -> str:
    """Escape ``text`` (one line) so that Markdown renders it literally."""
    text = clean_text(text)
    text = _ENTITY_LIKE.sub("&amp;", text)
    text = text.replace("<", "&lt;")
    text = _SPECIAL.sub(r"\\\1", text)
    m = _LINE_START.match(text)
    if m:
        marker = m.group(2)
        if marker.isdigit():
            text = text[: m.end()] + "\\" + text[m.end() :]
        else:
            text = text[: m.start(2)] + "\\" + text[m.start(2) :]
    return text


def _quote(value: str) -> str:
    return json.dumps(clean_text(value), ensure_ascii=False)


def front_matter(article: Article) -> list[str]:
    """The metadata block lines (without the ``---`` fences); empty when there is nothing."""
    lines: list[str] = []
    if article.section:
        lines.append(f"section: {_quote(article.section)}")
    if article.kicker:
        lines.append(f"kicker: {_quote(article.kicker)}")
    if article.published:
        key = "crawled" if article.date_is_crawl else "date"
        lines.append(f"{key}: {_iso(article.published.isoformat())}")
    if article.updated:
        lines.append(f"updated: {_iso(article.updated.isoformat())}")
    if article.authors:
        lines.append("authors: " + json.dumps([clean_text(a) for a in article.authors], ensure_ascii=False))
    if article.url:
        lines.append(f"url: {_quote(article.url)}")
    if article.short_url:
        lines.append(f"short_url: {_quote(article.short_url)}")
    if article.source:
        lines.append(f"source: {_quote(article.source)}")
    if article.tags:
        lines.append("tags: " + json.dumps([clean_text(t) for t in article.tags], ensure_ascii=False))
    if article.signature:
        lines.append(f"signature: {_quote(article.signature)}")
    return lines


def _iso(value: str) -> str:
    return value[:10] if value.endswith("T00:00:00") else value


def block_to_markdown(block: Block) -> str:
    """One block as a Markdown paragraph (one line)."""
    text = escape_markdown(block.text)
    kind = block.kind
    if kind is BlockKind.HEADING:
        return "#" * min(6, max(1, block.level)) + " " + text
    if kind is BlockKind.ENTRY_HEADING:
        time = escape_markdown(block.time or "")
        if time and text:
            return f"### {time}{ENTRY_SEPARATOR}{text}"
        return f"### {time or text}"
    if kind is BlockKind.CAPTION:
        credit = f"(Image: {escape_markdown(block.credit)})" if block.credit else MEDIA_MARK
        return f"*{text}* {credit}"
    if kind is BlockKind.QUOTE:
        return f"> {text}"
    if kind is BlockKind.LIST_ITEM:
        return f"- {text}"
    return text


def article_to_markdown(article: Article) -> str:
    """Render ``article`` as Markdown: front matter, ``# Title``, lede in italics, then the blocks."""
    out: list[str] = []
    meta = front_matter(article)
    titled = bool(clean_text(article.title))
    if not titled:
        meta.append("untitled: true")  # a DW page without a headline (no "# " line to read back)
    if meta:
        out += ["---", *meta, "---", ""]
    if titled:
        out += [f"# {escape_markdown(article.title)}", ""]
    if article.lede and clean_text(article.lede):
        out += [f"*{escape_markdown(article.lede)}*", ""]
    previous: BlockKind | None = None
    for block in article.blocks:
        if not clean_text(block.text) and not (block.kind is BlockKind.ENTRY_HEADING and block.time):
            continue
        if block.kind is BlockKind.LIST_ITEM and previous is BlockKind.LIST_ITEM:
            out.pop()  # keep list items in one tight list
        elif block.kind is BlockKind.QUOTE and previous is BlockKind.QUOTE:
            out[-1] = ">"
        out += [block_to_markdown(block), ""]
        previous = block.kind
    return "\n".join(out).rstrip("\n") + "\n"
