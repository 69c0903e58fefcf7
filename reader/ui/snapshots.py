"""Deleting articles so that the delete can be undone: a snapshot of each
(article, bookmark, tags, notes, reading state) is taken first.  These run in
the writer pool (see :mod:`reader.ui.deleting`), never on the GUI thread."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reader.core.article import Article
from reader.store import Annotation, Library


@dataclass(frozen=True)
class ArticleSnapshot:
    """Everything needed to undo the delete of one article."""

    article: Article
    bookmarked: bool
    tags: tuple[str, ...]
    annotations: tuple[Annotation, ...]
    is_read: bool
    read_position: int


def snapshot(library: Library, article_id: str) -> ArticleSnapshot | None:
    """The state of ``article_id`` to restore after a delete (``None``: no such article)."""
    article = library.article(article_id)
    if article is None:
        return None
    row = library.rows([article_id]).get(article_id)
    return ArticleSnapshot(
        article=article,
        bookmarked=library.is_bookmarked(article_id),
        tags=tuple(library.tags_of(article_id)),
        annotations=tuple(library.annotations(article_id)),
        is_read=bool(row.is_read) if row else False,
        read_position=library.read_position(article_id),
    )


def delete_articles(library: Library, ids: Sequence[str], delete_notes: bool = False) -> list[ArticleSnapshot]:
    """Delete articles, returning snapshots for :func:`restore_articles`.  Their
    notes are kept (as orphans, under Notes > All notes) unless ``delete_notes``."""
    snaps = []
    for aid in ids:
        snap = snapshot(library, aid)
        if snap is None:
            continue
        snaps.append(snap)
        library.delete(aid)
        if delete_notes:
            for ann in snap.annotations:
                library.delete_annotation(ann.id)
    return snaps


def restore_articles(library: Library, snaps: Sequence[ArticleSnapshot]) -> list[str]:
    """Undo :func:`delete_articles`: re-store each article with its bookmark,
    tags, annotations (re-attached, no longer orphans) and reading state."""
    restored = []
    for snap in snaps:
        _, stored_id = library.upsert(snap.article)
        for tag in snap.tags:
            library.add_tag(stored_id, tag)
        if snap.bookmarked:
            library.set_bookmark(stored_id, True)
        for ann in snap.annotations:
            library.restore_annotation(ann)
        library.set_read(stored_id, snap.is_read)
        library.set_read_position(stored_id, snap.read_position)
        restored.append(stored_id)
    return restored
