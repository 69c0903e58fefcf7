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

from reader.core.article import Article, Block, BlockKind, Mark, clean_text

_SPECIAL = re.compile(r"([\\`*_\[\]#!{}])")
_ENTITY_LIKE = re.compile(r"&(?=#\d+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)")
_LINE_START = re.compile(r"^(\s*)([-+>]|\d+(?=\.))")
ENTRY_SEPARATOR = " — "
MEDIA_MARK = "(media)"


def _escape_piece(text: str) -> str:
    """Markdown punctuation, ``<`` and entity-like ``&`` in ``text`` made literal (no line-start rule)."""
    text = _ENTITY_LIKE.sub("&amp;", text)
    text = text.replace("<", "&lt;")
    return _SPECIAL.sub(r"\\\1", text)


def escape_markdown(text: str) -> str:
    """Escape ``text`` (one line) so that Markdown renders it literally."""
    return _escape_line_start(_escape_piece(clean_text(text)))


def _escape_line_start(text: str) -> str:
    m = _LINE_START.match(text)
    if m:
        marker = m.group(2)
        if marker.isdigit():
            text = text[: m.end()] + "\\" + text[m.end() :]
        else:
            text = text[: m.start(2)] + "\\" + text[m.start(2) :]
    return text


_DELIMITER = {Mark.STRONG: "**", Mark.EMPHASIS: "*"}
_OPEN_BEFORE = frozenset(" \t([{\"'\u201c\u2018—–-/")
_CLOSE_AFTER = frozenset(" \t)]}.,;:!?\"'\u201d\u2019—–-/")


def _safe_emphasis(text: str, mark: Mark) -> bool:
    """Whether ``*``/``**`` around ``text[mark.start:mark.end]`` reads back as emphasis
    (CommonMark's flanking rules) rather than as literal asterisks."""
    inner = text[mark.start : mark.end]
    if not inner or not inner[0].isalnum() or not inner[-1].isalnum():
        return False
    before = text[mark.start - 1] if mark.start > 0 else " "
    after = text[mark.end] if mark.end < len(text) else " "
    return (before in _OPEN_BEFORE or before.isalnum()) and (after in _CLOSE_AFTER or after.isalnum())


def _nested(marks: tuple[Mark, ...], text: str) -> list[Mark]:
    """The marks that can be written: links, and emphasis that reads back, with no
    partial overlaps (nested or apart); the others are left out (their text stays)."""
    kept: list[Mark] = []
    order = sorted(marks, key=lambda m: (m.start, -m.end, m.kind != Mark.LINK))
    for mark in order:
        if mark.kind != Mark.LINK and not _safe_emphasis(text, mark):
            continue
        if mark.kind == Mark.LINK and not re.match(r"^(?:https?://|mailto:)\S+$", mark.href):
            continue
        if any(k.start < mark.start < k.end < mark.end or mark.start < k.start < mark.end < k.end for k in kept):
            continue
        if any(k.kind == mark.kind and k.start <= mark.start and mark.end <= k.end for k in kept):
            continue  # the same style inside itself (or a link in a link)
        if mark.kind == Mark.LINK and any(k.kind == Mark.LINK and (k.start <= mark.start < k.end) for k in kept):
            continue
        if mark.kind != Mark.LINK and any(_delimiters_clash(mark, k) for k in kept):
            continue
        kept.append(mark)
    return kept


def _delimiters_clash(mark: Mark, other: Mark) -> bool:
    """Whether ``*`` delimiters of ``mark`` would run into ``other``'s markup
    (``*a**b*``, ``x*[a](u)*``): CommonMark could then read them differently."""
    if (mark.start, mark.end) == (other.start, other.end):
        return other.kind == Mark.LINK or other.kind == mark.kind  # ***both*** is fine; a link: keep it alone
    touching = mark.start == other.end or mark.end == other.start
    shared = mark.start == other.start or mark.end == other.end
    return touching or shared


def _href(url: str) -> str:
    return "<" + url.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20") + ">"


def _marked(text: str, marks: list[Mark], lo: int, hi: int) -> str:
    """``text[lo:hi]`` as escaped Markdown with the (nested) ``marks`` inside it."""
    out: list[str] = []
    at = lo
    k = 0
    inside = [m for m in marks if lo <= m.start and m.end <= hi]
    while k < len(inside):
        mark = inside[k]
        out.append(_escape_piece(text[at : mark.start]))
        children = [m for m in inside[k + 1 :] if m.end <= mark.end]
        body = _marked(text, children, mark.start, mark.end)
        if mark.kind == Mark.LINK:
            out.append(f"[{body}]({_href(mark.href)})")
        else:
            out.append(f"{_DELIMITER[mark.kind]}{body}{_DELIMITER[mark.kind]}")
        at = mark.end
        k += 1 + len(children)
    out.append(_escape_piece(text[at:hi]))
    return "".join(out)


def marked_markdown(text: str, marks: tuple[Mark, ...]) -> str:
    """One line of text with its inline marks as Markdown (``**bold**``,
    ``*italic*``, ``[link](<url>)``); without marks, :func:`escape_markdown`."""
    clean = clean_text(text)
    kept = _nested(marks, clean) if marks and clean == text else []
    if not kept:
        return escape_markdown(text)
    return _escape_line_start(_marked(clean, kept, 0, len(clean)))


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
    text = marked_markdown(block.text, block.marks)
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
