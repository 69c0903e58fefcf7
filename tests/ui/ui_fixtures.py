"""Helpers for the UI tests: synthetic articles with entities, and a fake
search index (so the search UI is tested on its own)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from reader.core.article import Article, Block, BlockKind, article_id
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


@dataclass(frozen=True)
class FakeHit:
    id: str
    title: str
    source: str
    published: datetime | None
    score: float
    snippet: str


@dataclass(frozen=True)
class FakeResult:
    query: str
    hits: tuple[FakeHit, ...]
    total: int
    suggestion: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class FakeRelated:
    id: str
    title: str
    score: float
    reasons: tuple[str, ...]


class FakeIndex:
    """A stand-in for reader.search.SearchIndex: substring search over the library."""

    def __init__(self) -> None:
        self.updated: list[str] = []
        self.docs: dict[str, object] = {}  # the latest IndexDoc handed over per id
        self.refreshed = 0
        self.searches: list[str] = []

    def refresh(self, db_path: Path, progress=None, full: bool = False) -> dict:
        self.refreshed += 1
        if progress:
            progress(1, 1)
        return {}

    def is_ready(self) -> bool:
        return True

    def doc_count(self) -> int:
        return 0

    def update_docs(self, docs) -> None:
        for d in docs:
            self.updated.append(d.id)
            self.docs[d.id] = d

    def match_spans(self, query: str, text: str) -> list[tuple[int, int]]:
        words = [w for w in re.findall(r"\w+", query) if w.lower() not in {"and", "or", "not"}]
        spans = []
        for w in words:
            spans += [(m.start(), m.end()) for m in re.finditer(re.escape(w), text, re.IGNORECASE)]
        return sorted(spans)

    def search(self, query: str, library: Library, limit: int = 20, sort: str = "relevance") -> FakeResult:
        self.searches.append(query)
        if query == "nato~":
            return FakeResult(query, (), 0, None, "bad query")
        hits = []
        for aid in library.ids("date"):
            text = library.plain_text(aid) or ""
            spans = self.match_spans(query, text)
            if spans:
                s, e = spans[0]
                snippet = f"…{text[max(0, s - 20):s]}<b>{text[s:e]}</b>{text[e:e + 30]}…"
                row = library.rows([aid])[aid]
                hits.append(FakeHit(aid, row.title, row.source, datetime(2024, 1, 1), len(spans), snippet))
        suggestion = "nato" if query == "natto" else None
        return FakeResult(query, tuple(hits[:limit]), len(hits), suggestion)

    def related(self, article_id: str, library: Library, limit: int = 10) -> list[FakeRelated]:
        return [FakeRelated(i, library.rows([i])[i].title, 1.0, ("shares NATO",))
                for i in library.ids()[:limit] if i != article_id]


