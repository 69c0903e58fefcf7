"""The library: articles and the user's work on them, in SQLite.

One :class:`Library` wraps one connection.  Every change is its own committed
transaction, so a crash loses at most the change under way.  Connections are
cheap: each worker thread opens its own ``Library`` on the same file (WAL lets
readers run beside the one writer)::

    with Library.open(path, check=False) as lib:
        ids = lib.ids()

``Library`` is a facade over focused repositories that share its connection:
``lib.articles`` (:class:`~reader.store.articles.Articles`), ``lib.reading``
(:class:`~reader.store.reading.Reading`), ``lib.marks`` (bookmarks and tags,
:class:`~reader.store.marks.Marks`), ``lib.notes`` (annotations,
:class:`~reader.store.notes.Notes`), ``lib.mentions`` (entities,
:class:`~reader.store.mentions.Mentions`), ``lib.indexing`` (search index
feed and meta, :class:`~reader.store.indexing.Indexing`) and ``lib.deletion``
(:class:`~reader.store.deletion.Deletion`).  Each of their public methods is
also a method of the library itself (``lib.upsert`` is ``lib.articles.upsert``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, overload

from reader.store.articles import Articles
from reader.store.db import connect
from reader.store.deletion import Deletion
from reader.store.entity_canon import Canon
from reader.store.entity_corrections import Corrections
from reader.store.feeds import FeedStore
from reader.store.indexing import Indexing
from reader.store.marks import Marks
from reader.store.mentions import Mentions
from reader.store.models import (
    COLOURS,
    Annotation,
    ArticleRow,
    ArticleSnapshot,
    EntitySpan,
    ImportOutcome,
    IndexDoc,
    now_iso,
)
from reader.store.notes import Notes
from reader.store.reading import Reading
from reader.store.session import Session

__all__ = ["COLOURS", "Annotation", "ArticleRow", "ArticleSnapshot", "EntitySpan", "ImportOutcome", "IndexDoc",
           "Library", "now_iso"]

P = ParamSpec("P")
R = TypeVar("R")


class _Forward(Generic[P, R]):
    """A library method that is a repository's method (``lib.x`` -> ``lib.<repo>.x``)."""

    def __init__(self, repo: str, method: Callable[Concatenate[Any, P], R]) -> None:
        self.repo = repo
        self.method = method
        self.__doc__ = method.__doc__

    @overload
    def __get__(self, obj: None, owner: type) -> _Forward[P, R]: ...

    @overload
    def __get__(self, obj: object, owner: type) -> Callable[P, R]: ...

    def __get__(self, obj: object | None, owner: type) -> _Forward[P, R] | Callable[P, R]:
        if obj is None:
            return self
        bound: Callable[P, R] = getattr(getattr(obj, self.repo), self.method.__name__)
        return bound


def _forward(repo: str, method: Callable[Concatenate[Any, P], R]) -> _Forward[P, R]:
    return _Forward(repo, method)


class Library(Session):
    """The article library and the user's bookmarks, tags and annotations."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None = None) -> None:
        super().__init__(conn, path)
        self.articles = Articles(self)
        self.reading = Reading(self)
        self.marks = Marks(self)
        self.notes = Notes(self)
        self.mentions = Mentions(self)
        self.corrections = Corrections(self)
        self.canon = Canon(self)
        self.indexing = Indexing(self)
        self.deletion = Deletion(self)

    @classmethod
    def open(cls, path: Path | str, *, check: bool = True) -> Library:
        """Open (creating or migrating) the library; ``check=False`` skips the
        integrity check, for a caller that runs :func:`~reader.store.db.check_integrity`
        itself or opens a library the app checked already (a worker's own
        connection; a file needing migration is always checked first).

        Use it as a context manager to close it afterwards:
        ``with Library.open(path, check=False) as lib: ...``."""
        return cls(connect(path, check=check), Path(path) if str(path) != ":memory:" else None)

    def reopen(self) -> Library:
        """A new connection on the same file (for another thread); no integrity check again."""
        if self.path is None:
            raise ValueError("an in-memory library cannot be reopened")
        return type(self).open(self.path, check=False)

    def close(self) -> None:
        """Close the connection (an open transaction is rolled back)."""
        self.conn.close()

    def __enter__(self) -> Library:
        return self

    @property
    def feeds(self) -> FeedStore:
        """Feed subscriptions and their items, on this library's connection."""
        return FeedStore(self.conn)

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- articles -----------------------------------------------------
    find_existing = _forward("articles", Articles.find_existing)
    upsert = _forward("articles", Articles.upsert)
    article = _forward("articles", Articles.article)
    plain_text = _forward("articles", Articles.plain_text)
    resolve_id = _forward("articles", Articles.resolve_id)
    count = _forward("articles", Articles.count)
    ids = _forward("articles", Articles.ids)
    rows = _forward("articles", Articles.rows)
    all_rows = _forward("articles", Articles.all_rows)

    # ---- delete and undo ----------------------------------------------
    snapshot = _forward("deletion", Deletion.snapshot)
    delete = _forward("deletion", Deletion.delete)
    delete_articles = _forward("deletion", Deletion.delete_articles)
    restore_articles = _forward("deletion", Deletion.restore_articles)

    # ---- reading state ------------------------------------------------
    set_read = _forward("reading", Reading.set_read)
    is_read = _forward("reading", Reading.is_read)
    set_read_position = _forward("reading", Reading.set_read_position)
    read_position = _forward("reading", Reading.read_position)

    # ---- bookmarks and tags -------------------------------------------
    set_bookmark = _forward("marks", Marks.set_bookmark)
    is_bookmarked = _forward("marks", Marks.is_bookmarked)
    bookmark_folder = _forward("marks", Marks.bookmark_folder)
    bookmarked_ids = _forward("marks", Marks.bookmarked_ids)
    add_tag = _forward("marks", Marks.add_tag)
    remove_tag = _forward("marks", Marks.remove_tag)
    tags_of = _forward("marks", Marks.tags_of)
    all_tags = _forward("marks", Marks.all_tags)
    ids_with_tag = _forward("marks", Marks.ids_with_tag)

    # ---- annotations --------------------------------------------------
    annotate = _forward("notes", Notes.annotate)
    annotate_quote = _forward("notes", Notes.annotate_quote)
    restore_annotation = _forward("notes", Notes.restore_annotation)
    restore_annotations = _forward("notes", Notes.restore_annotations)
    update_annotation = _forward("notes", Notes.update_annotation)
    delete_annotation = _forward("notes", Notes.delete_annotation)
    annotation = _forward("notes", Notes.annotation)
    annotations = _forward("notes", Notes.annotations)

    # ---- entities -----------------------------------------------------
    set_entities = _forward("mentions", Mentions.set_entities)
    store_shown = _forward("mentions", Mentions.store_shown)
    entities = _forward("mentions", Mentions.entities)
    entity_backend = _forward("mentions", Mentions.entity_backend)
    ids_needing_entities = _forward("mentions", Mentions.ids_needing_entities)
    top_entities = _forward("mentions", Mentions.top_entities)
    ids_with_entity = _forward("mentions", Mentions.ids_with_entity)

    # ---- entity corrections (undo: lib.undo_correction / restore_correction) ----
    entity_corrections = _forward("corrections", Corrections.entity_corrections)
    recognised_entities = _forward("corrections", Corrections.recognised_entities)
    corrected_entities = _forward("corrections", Corrections.corrected_entities)
    retype_mention = _forward("corrections", Corrections.retype_mention)
    retype_entity = _forward("corrections", Corrections.retype_entity)
    hide_entity = _forward("corrections", Corrections.hide_entity)
    hide_mention = _forward("corrections", Corrections.hide_mention)
    unhide_entity = _forward("corrections", Corrections.unhide_entity)
    add_mention = _forward("corrections", Corrections.add_mention)
    merge_entities = _forward("corrections", Corrections.merge_entities)
    split_alias = _forward("corrections", Corrections.split_alias)
    rename_entity = _forward("corrections", Corrections.rename_entity)
    undo_correction = _forward("corrections", Corrections.undo_correction)
    restore_correction = _forward("corrections", Corrections.restore_correction)
    restore_corrections = _forward("corrections", Corrections.restore_corrections)
    import_corrections = _forward("corrections", Corrections.import_corrections)
    reapply_corrections = _forward("corrections", Corrections.reapply_corrections)

    # ---- canonical entities -------------------------------------------
    recompute_canonical = _forward("canon", Canon.recompute_canonical)
    apply_correction = _forward("canon", Canon.apply_correction)
    drop_stale_links = _forward("canon", Canon.drop_stale_links)
    canonical_computed = _forward("canon", Canon.canonical_computed)
    canonical_entities = _forward("canon", Canon.canonical_entities)
    canonical_entity = _forward("canon", Canon.canonical_entity)
    find_entity = _forward("canon", Canon.find_entity)
    find_entity_or_fail = _forward("canon", Canon.find_entity_or_fail)
    alias_owners = _forward("canon", Canon.alias_owners)
    entity_own_names = _forward("canon", Canon.entity_own_names)
    entity_article_ids = _forward("canon", Canon.entity_article_ids)
    article_entities = _forward("canon", Canon.article_entities)
    entity_of_span = _forward("canon", Canon.entity_of_span)

    # ---- search index feed and meta -----------------------------------
    index_versions = _forward("indexing", Indexing.index_versions)
    index_docs = _forward("indexing", Indexing.index_docs)
    get_meta = _forward("indexing", Indexing.get_meta)
    set_meta = _forward("indexing", Indexing.set_meta)
