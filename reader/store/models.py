"""The plain data the store hands out (frozen dataclasses, no SQLite, no Qt)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum

from reader.core.anchoring import Selector
from reader.core.article import Article

COLOURS: dict[str, str] = {
    # name -> meaning shown to the user
    "yellow": "important",
    "green": "agree",
    "blue": "question",
    "pink": "disagree",
    "purple": "follow up",
}


def now_iso() -> str:
    """The time stamp stored with a change (UTC, to the second).

    The repositories call it as ``models.now_iso()``, so a test can fix the
    clock with ``monkeypatch.setattr("reader.store.models.now_iso", ...)``."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class ImportOutcome(str, Enum):  # noqa: UP042 - StrEnum would change str() of members
    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class ArticleRow:
    """What the article list shows for one article (no body text)."""

    id: str
    title: str
    source: str
    sort_date: str | None
    bookmarked: bool
    note_count: int
    is_read: bool


@dataclass(frozen=True)
class Annotation:
    """A highlight with an optional note over ``article.plain_text[start:end]``."""

    id: str
    article_id: str
    start: int
    end: int
    exact: str
    prefix: str = ""
    suffix: str = ""
    colour: str = "yellow"
    note: str = ""
    tags: tuple[str, ...] = ()
    created: str = ""
    updated: str = ""
    orphan: bool = False
    article_title: str = ""

    @property
    def selector(self) -> Selector:
        return Selector(self.start, self.end, self.exact, self.prefix, self.suffix)


@dataclass(frozen=True)
class EntitySpan:
    """A named entity mention over the article's plain text."""

    start: int
    end: int
    label: str
    text: str
    norm: str = ""


@dataclass(frozen=True)
class IndexDoc:
    """Everything the search index needs for one article (no Qt, no SQLite)."""

    id: str
    version: str  # content hash + user revision: changes when the doc must be reindexed
    title: str
    body: str
    source: str
    section: str
    authors: tuple[str, ...]
    published: datetime | None
    bookmarked: bool
    tags: tuple[str, ...]
    notes: tuple[str, ...]  # annotation notes and quotes
    entities: dict[str, tuple[str, ...]] = field(default_factory=dict)  # label -> texts


@dataclass(frozen=True)
class ArticleSnapshot:
    """Everything a delete removed from one article, so that undo can put it
    back as it was (see ``Library.delete_articles``/``restore_articles``)."""

    article: Article
    bookmarked: bool
    tags: tuple[str, ...]
    annotations: tuple[Annotation, ...]
    is_read: bool
    read_position: int
    bookmark_folder: str = ""
    entities: tuple[EntitySpan, ...] = ()
    entity_run: tuple[str, str] | None = None  # (backend, text_hash) of ``entities``
    imported_at: str = ""


def clean_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Tags stripped, without empties and duplicates, in the order given."""
    return tuple(dict.fromkeys(t.strip() for t in tags if t and t.strip()))


def row_to_annotation(row: sqlite3.Row) -> Annotation:
    """An :class:`Annotation` from a row of the ``annotations`` table."""
    return Annotation(
        id=row["id"],
        article_id=row["article_id"],
        start=row["start"],
        end=row["end"],
        exact=row["exact"],
        prefix=row["prefix"],
        suffix=row["suffix"],
        colour=row["colour"],
        note=row["note"],
        tags=tuple(json.loads(row["tags"])),
        created=row["created"],
        updated=row["updated"],
        orphan=bool(row["orphan"]),
        article_title=row["article_title"],
    )
