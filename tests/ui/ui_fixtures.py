"""Helpers for the UI tests: synthetic articles with entities, and a look into
the real search index."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from reader.core.article import Article, Block, BlockKind, article_id
from reader.search import SearchIndex
from reader.store import EntitySpan, Library


def make_article(i: int, *, title: str | None = None, body: str | None = None, emoji: bool = False) -> Article:
    identity = f"test:{i}"
    title = title or f"Article number {i} about NATO and Berlin"
    blocks = (
        Block(BlockKind.PARAGRAPH, body or f"Jens Stoltenberg met officials in Berlin on day {i}. NATO said so."),
        Block(BlockKind.HEADING, "What happened next"),
        Block(BlockKind.PARAGRAPH, "The alliance spent 2% of GDP and €5 billion." + (" Party time 😀 ok." if emoji else "")),
        Block(BlockKind.CAPTION, "Foreign ministers in Brussels", credit="AP Photo"),
        Block(BlockKind.QUOTE, "We stand together, NATO stands together."),
        Block(BlockKind.LIST_ITEM, "First point"),
        Block(BlockKind.LIST_ITEM, "Second point"),
        Block(BlockKind.ENTRY_HEADING, "Live update", time="21:25"),
        Block(BlockKind.PARAGRAPH, f"Closing paragraph number {i} with <tags> & ampersands."),
    )
    return Article(
        id=article_id(identity), identity=identity, title=title, content_hash=f"hash{i}", source="dw",
        url=f"https://www.dw.com/en/a-{i}", published=datetime(2024, 1, 1) + timedelta(days=i),
        authors=("Jane Doe",), section="News", kicker="Europe",
        lede=f"A lede {i} for the test article" + (" 😀😀" if emoji else "."), blocks=blocks, signature="jd/ab",
    )


def entity_spans(article: Article) -> list[EntitySpan]:
    text = article.plain_text
    out = []
    for label, pattern in (("PERSON", r"Jens Stoltenberg"), ("ORG", r"NATO"), ("PLACE", r"Berlin|Brussels"),
                           ("PERCENT", r"2%"), ("MONEY", r"€5 billion")):
        for m in re.finditer(pattern, text):
            out.append(EntitySpan(m.start(), m.end(), label, m.group(), m.group()))
    return sorted(out, key=lambda s: s.start)


def fill_library(lib: Library, n: int, *, entities: bool = True) -> list[Article]:
    arts = [make_article(i, emoji=(i == 1)) for i in range(n)]
    for art in arts:
        lib.upsert(art)
        if entities:
            lib.set_entities(art.id, entity_spans(art), "test", art.content_hash)
    return arts


def search_ids(index: SearchIndex, library: Library, query: str) -> set[str]:
    """Ids the real index finds for ``query`` right now (read on the test thread,
    the way the app's search job reads it)."""
    result = index.search(query, library, limit=1000)
    assert result.error is None, result.error
    return {h.id for h in result.hits}


@contextmanager
def held_write_lock(db_path: Path) -> Iterator[sqlite3.Connection]:
    """Inside the block another connection holds the library's write lock, as
    an import's transaction or a WAL checkpoint does; it commits on leaving."""
    other = sqlite3.connect(str(db_path), isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        yield other
    finally:
        other.execute("COMMIT")
        other.close()
