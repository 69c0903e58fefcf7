"""Fixtures for the search tests: small libraries built from Article objects."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reader.core.article import Article, Block, BlockKind
from reader.search import SearchIndex
from reader.store.library import EntitySpan, Library


def make_article(
    aid: str,
    title: str,
    *paragraphs: str,
    published: datetime | None = None,
    authors: tuple[str, ...] = (),
    source: str = "DW",
    section: str | None = None,
    tags: tuple[str, ...] = (),
) -> Article:
    text = title + "\n".join(paragraphs)
    return Article(
        id=aid,
        identity=f"test:{aid}",
        title=title,
        content_hash=hashlib.sha1(text.encode()).hexdigest()[:32],
        published=published,
        authors=authors,
        source=source,
        section=section,
        tags=tags,
        blocks=tuple(Block(BlockKind.PARAGRAPH, p) for p in paragraphs),
    )


CORPUS = [
    make_article(
        "nato24",
        "NATO stresses unity as foreign ministers wrap up summit",
        "The US and Europe still need each other, NATO chief Jens Stoltenberg said.",
        "Ukraine appealed for more Patriot air defense systems.",
        "Antony Blinken reiterated his country's \"rock-solid\" support for Kyiv.",
        published=datetime(2024, 4, 4, 12, 30, tzinfo=UTC),
        authors=("Anna Smith",),
        section="Conflicts",
    ),
    make_article(
        "nato23",
        "NATO: Ukraine has 'moved closer' to alliance",
        "NATO General Secretary Jens Stoltenberg outlined a NATO-Ukraine council.",
        "There is no agreement yet on a new plan to defend the eastern flank.",
        published=datetime(2023, 6, 16, 9, 0),
        authors=("Ben Jones",),
    ),
    make_article(
        "budget",
        "Government unveils budget",
        "The government said spending on schools and hospitals will rise.",
        "Critics called the plan <b>reckless</b> & unfunded.",
        published=datetime(2023, 11, 2),
        source="BBC",
        section="politics",
    ),
    make_article(
        "football",
        "Chelsea win the derby",
        "Chelsea defenders kept a clean sheet as the derby ended 2-0.",
        "The manager praised the team's education in tactics.",
        published=datetime(2022, 1, 15),
        source="BBC",
        section="sport",
        tags=("football", "follow up"),
    ),
    make_article(
        "tech",
        "New phone launched",
        "The company launched a phone with a faster chip and an educational app.",
        published=None,
        source="BBC",
        section="tech",
    ),
]

ENTITIES = {
    "nato24": [
        EntitySpan(0, 1, "PERSON", "Jens Stoltenberg", "Jens Stoltenberg"),
        EntitySpan(1, 2, "PERSON", "Antony Blinken", "Antony Blinken"),
        EntitySpan(2, 3, "ORG", "NATO", "NATO"),
        EntitySpan(3, 4, "PLACE", "Kyiv", "Kyiv"),
    ],
    "nato23": [
        EntitySpan(0, 1, "PERSON", "Jens Stoltenberg", "Jens Stoltenberg"),
        EntitySpan(2, 3, "ORG", "NATO", "NATO"),
        EntitySpan(3, 4, "GPE", "Ukraine", "Ukraine"),
    ],
    "budget": [EntitySpan(0, 1, "ORG", "Treasury", "Treasury")],
}


def fill(lib: Library, articles: list[Article] = CORPUS, entities: dict[str, list[EntitySpan]] = ENTITIES) -> None:
    for article in articles:
        lib.upsert(article)
    for aid, spans in entities.items():
        lib.set_entities(aid, spans, backend="test:1", text_hash="x")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "db.sqlite3"
    lib = Library.open(path)
    fill(lib)
    lib.close()
    return path


@pytest.fixture
def lib(db_path: Path) -> Library:
    library = Library.open(db_path)
    yield library
    library.close()


@pytest.fixture
def index(tmp_path: Path, db_path: Path) -> SearchIndex:
    ix = SearchIndex(tmp_path / "index")
    ix.refresh(db_path)
    return ix


@pytest.fixture
def ids_of() -> Callable[..., list[str]]:
    def ids(index: SearchIndex, query: str, lib: Library, **kwargs: object) -> list[str]:
        return [h.id for h in index.search(query, lib, **kwargs).hits]  # type: ignore[arg-type]

    return ids


def many_articles(n: int, prefix: str = "gen", start: int = 0) -> list[Article]:
    """``n`` generated articles (to push refresh over the in-process threshold)."""
    words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"]
    out = []
    for i in range(start, start + n):
        body = " ".join(words[(i + k) % len(words)] for k in range(40)) + f" unique{i} number {i}"
        out.append(make_article(f"{prefix}{i}", f"Generated article {i} {words[i % 10]}", body,
                                published=datetime(2020, 1 + i % 12, 1 + i % 28)))
    return out
