"""Feed entries -> Articles: item identity, the body from the feed's HTML, and
merging a fetched page with what the feed said about it.

The feed's HTML (already sanitised by feedparser) is only read for its text
structure - paragraphs, headings, list items, quotes - never rendered.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from reader.core.article import Article, Block, BlockKind, clean_text
from reader.core.ingest.common import build_article
from reader.feeds.parse import FeedEntry

#: A feed item whose own content has at least this much text is taken as the full article.
FULL_CONTENT_CHARS = 600

_BLOCK_TAGS: dict[str, BlockKind] = {
    "p": BlockKind.PARAGRAPH, "h1": BlockKind.HEADING, "h2": BlockKind.HEADING, "h3": BlockKind.HEADING,
    "h4": BlockKind.HEADING, "h5": BlockKind.HEADING, "h6": BlockKind.HEADING, "li": BlockKind.LIST_ITEM,
    "blockquote": BlockKind.QUOTE, "pre": BlockKind.PARAGRAPH, "figcaption": BlockKind.CAPTION,
    "dt": BlockKind.PARAGRAPH, "dd": BlockKind.PARAGRAPH, "tr": BlockKind.PARAGRAPH, "caption": BlockKind.CAPTION,
}
_DROP = {"script", "style", "noscript", "template", "iframe", "object", "svg", "math", "head", "title"}


def html_to_blocks(html: str) -> list[Block]:
    """The text blocks of an HTML fragment (malformed markup is fine)."""
    if not html or not html.strip():
        return []
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (lxml.etree.ParserError, ValueError, lxml.etree.XMLSyntaxError):
        return [Block(BlockKind.PARAGRAPH, t) for t in _plain_paragraphs(html)]
    for bad in list(root.iter(*_DROP)):
        bad.drop_tree()
    blocks: list[Block] = []
    loose: list[str] = []

    def flush() -> None:
        text = clean_text(" ".join(loose))
        loose.clear()
        if text:
            blocks.append(Block(BlockKind.PARAGRAPH, text))

    # an explicit stack: hostile nesting depth cannot exhaust Python's recursion
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        el, closing = stack.pop()
        if closing:
            if el.tail:
                loose.append(el.tail)
            continue
        tag = el.tag if isinstance(el.tag, str) else ""
        kind = _BLOCK_TAGS.get(tag.lower())
        if kind is not None:
            flush()
            if tag.lower() == "tr":
                text = " | ".join(c for c in (clean_text(td.text_content()) for td in el) if c)
            else:
                text = clean_text(el.text_content())
            if text:
                level = int(tag[1]) if kind is BlockKind.HEADING else 2
                blocks.append(Block(kind, text, level=max(2, min(level, 4))))
            if el.tail:
                loose.append(el.tail)
            continue
        if tag.lower() == "br":
            flush()
            if el.tail:
                loose.append(el.tail)
            continue
        if el is not root:
            stack.append((el, True))  # its tail comes after its children
        if el.text and tag:
            if tag.lower() in ("div", "section", "article", "ul", "ol", "table", "figure", "main", "body"):
                flush()
            loose.append(el.text)
        stack.extend((child, False) for child in reversed(list(el)))
    flush()
    if not blocks:  # lxml gives up on hostile nesting depth: keep the text at least
        return [Block(BlockKind.PARAGRAPH, t) for t in _plain_paragraphs(html)]
    return blocks


def _plain_paragraphs(html: str) -> list[str]:
    import re

    text = re.sub(r"<[^>]*>", " ", html)
    return [clean_text(p) for p in re.split(r"\n\s*\n", text) if clean_text(p)]


def blocks_text(blocks: Iterable[Block]) -> str:
    return "\n".join(b.text for b in blocks)


def item_keys(entries: Iterable[FeedEntry]) -> list[str]:
    """One key per entry: its GUID when that GUID is unique in the document,
    else its link, else its title and date.  Entries with the same key are the
    same item (the caller keeps the first)."""
    entries = list(entries)
    guid_counts = Counter(e.guid for e in entries if e.guid)
    keys: list[str] = []
    for e in entries:
        if e.guid and guid_counts[e.guid] == 1:
            keys.append(f"guid:{e.guid}")
        elif e.link:
            keys.append(f"link:{e.link}")
        else:
            stamp = e.published.isoformat() if e.published else ""
            keys.append(f"title:{clean_text(e.title)}|{stamp}|{clean_text(e.summary_html)[:200]}")
    return keys


def has_full_content(entry: FeedEntry) -> bool:
    """Whether the feed carries the whole article (not just a summary)."""
    content = blocks_text(html_to_blocks(entry.content_html)) if entry.content_html else ""
    if len(content) < FULL_CONTENT_CHARS:
        return False
    if entry.summary_html == entry.content_html:  # feedparser copies a lone content into summary
        return True
    summary = blocks_text(html_to_blocks(entry.summary_html)) if entry.summary_html else ""
    return len(content) > len(summary) * 1.2


def entry_article(entry: FeedEntry, *, feed_title: str, feed_url: str, note: str | None = None) -> Article:
    """An Article from the feed's own text (content, else summary); ``note``
    (why the full text is missing) becomes the last paragraph."""
    blocks = html_to_blocks(entry.content_html) or html_to_blocks(entry.summary_html)
    title = clean_text(entry.title) or (blocks[0].text[:120] if blocks else "") or "(untitled feed item)"
    if note:
        blocks.append(Block(BlockKind.PARAGRAPH, note))
    identity = entry.link or f"feed:{feed_url}#{entry.guid or title}"
    return build_article(
        text="\n".join([title, *(b.text for b in blocks)]),
        fmt="feed",
        title=title,
        path=None,
        identity=identity,
        url=entry.link,
        blocks=blocks,
        authors=list(entry.authors),
        published=entry.published or entry.updated,
        updated=entry.updated if entry.published and entry.updated and entry.updated > entry.published else None,
        source=feed_title,
        tags=entry.categories,
        extra={"feed": feed_url},
    )


def merge_page(page: Article, entry: FeedEntry, *, feed_title: str, feed_url: str) -> Article:
    """The fetched page's article, with the feed's date, authors, categories
    and link where the page has none of its own."""
    extra = {**page.extra, "feed": feed_url}
    return page.with_changes(
        title=page.title or clean_text(entry.title),
        published=page.published or entry.published or entry.updated,
        authors=page.authors or entry.authors,
        tags=tuple(dict.fromkeys((*page.tags, *entry.categories))),
        url=page.url or entry.link,
        source=feed_title or page.source,
        format="feed",
        extra=extra,
    )
