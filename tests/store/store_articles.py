"""The test article of the store tests: paragraphs of fixed text, an id that
depends only on its identity (so an edited copy replaces the original)."""

from __future__ import annotations

from datetime import datetime

from reader.core.article import Article, Block, BlockKind, article_id, content_hash


def paragraph_article(identity: str, title: str, paras: tuple[str, ...], *, url: str | None = None,
                      short_url: str | None = None, published: datetime | None = None) -> Article:
    return Article(
        id=article_id(identity),
        identity=identity,
        title=title,
        content_hash=content_hash(title + "\n" + "\n".join(paras)),
        source="Example News",
        url=url,
        short_url=short_url,
        published=published,
        blocks=tuple(Block(BlockKind.PARAGRAPH, p) for p in paras),
    )
