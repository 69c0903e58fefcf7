"""A minimal saved-page extractor for the network code until the "ingest"
branch's ``reader.core.ingest.html.parse_html`` lands (same signature).

It asks trafilatura for the article and its metadata and turns trafilatura's
XML body into Reader's blocks.  :func:`parse_html` in :mod:`reader.net.links`
prefers the real one when it is importable; this module is then unused and
can be deleted.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from reader.core.article import Article, Block, BlockKind, clean_text
from reader.core.ingest.common import build_article, parse_date
from reader.core.ingest.errors import IngestError


def _text(el: Any) -> str:
    return clean_text("".join(el.itertext()))


def _blocks(body: Any) -> list[Block]:
    blocks: list[Block] = []
    for el in body:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "head":
            rend = str(el.get("rend") or "h2")
            level = int(rend[1]) if len(rend) == 2 and rend[1].isdigit() else 2
            blocks.append(Block(BlockKind.HEADING, _text(el), level=max(2, min(level, 4))))
        elif tag == "list":
            blocks.extend(Block(BlockKind.LIST_ITEM, _text(item)) for item in el if item.tag == "item")
        elif tag == "quote":
            blocks.append(Block(BlockKind.QUOTE, _text(el)))
        elif tag == "table":
            for row in el.iter("row"):
                cells = [_text(c) for c in row if c.tag == "cell"]
                if any(cells):
                    blocks.append(Block(BlockKind.PARAGRAPH, " | ".join(cells)))
        elif tag == "graphic":
            title = clean_text(str(el.get("title") or el.get("alt") or ""))
            if title:
                blocks.append(Block(BlockKind.CAPTION, title))
        elif tag in ("p", "div", "code"):
            blocks.append(Block(BlockKind.PARAGRAPH, _text(el)))
        elif tag:
            blocks.append(Block(BlockKind.PARAGRAPH, _text(el)))
    return blocks


def _date(value: str | None) -> datetime | None:
    return parse_date(value) if value else None


def parse_html(html: str, *, url: str | None, source_name: str) -> Article:
    """Extract the article of a web page; :class:`IngestError` naming
    ``source_name`` when the page holds no article text."""
    import trafilatura

    try:
        doc: Any = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_tables=True,
                                          include_comments=False, output_format="python")
    except Exception as exc:  # trafilatura/lxml on hostile markup
        raise IngestError(source_name, f"the page could not be read as HTML ({type(exc).__name__}: {exc})") from exc
    if doc is None or doc.body is None:
        raise IngestError(source_name, "no article text found on the page")
    blocks = _blocks(doc.body)
    title = clean_text(doc.title or "")
    if blocks and blocks[0].kind is BlockKind.HEADING and clean_text(blocks[0].text) == title:
        blocks = blocks[1:]
    if not any(b.text for b in blocks):
        raise IngestError(source_name, "no article text found on the page")
    if not title:
        title = blocks[0].text[:120]
    authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()]
    tags = [*(doc.categories or []), *(doc.tags or [])]
    canonical = doc.url or url
    return build_article(
        text="\n".join([title, *(b.text for b in blocks)]),
        fmt="html",
        title=title,
        path=None,
        identity=None,
        url=canonical,
        blocks=blocks,
        authors=authors,
        published=_date(doc.date),
        source=clean_text(doc.sitename or doc.hostname or ""),
        tags=tuple(dict.fromkeys(t for t in (clean_text(x) for x in tags) if t)),
    )
