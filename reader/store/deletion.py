"""Deleting articles, and putting them back (undo), each as one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from reader.store.models import ArticleSnapshot
from reader.store.session import Repository


class Deletion(Repository):
    """Deletes that take an article's bookmark, tags, entities and reading
    state with it (its notes stay as orphans unless asked), all or nothing,
    and return what undo needs to put it back."""

    def snapshot(self, article_id: str) -> ArticleSnapshot | None:
        """Everything stored for one article, or ``None`` when there is no such article."""
        lib = self.library
        article = lib.articles.article(article_id)
        if article is None:
            return None
        row = self.conn.execute(
            "SELECT is_read, read_pos, imported_at FROM articles WHERE id=?", (article_id,)
        ).fetchone()
        folder = lib.marks.bookmark_folder(article_id)
        return ArticleSnapshot(
            article=article,
            bookmarked=folder is not None,
            tags=tuple(lib.marks.tags_of(article_id)),
            annotations=tuple(lib.notes.annotations(article_id)),
            is_read=bool(row["is_read"]),
            read_position=int(row["read_pos"]),
            bookmark_folder=folder or "",
            entities=tuple(lib.corrections.recognised_entities(article_id)),  # corrections apply again
            entity_run=lib.mentions.entity_backend(article_id),
            imported_at=row["imported_at"],
        )

    def delete_articles(self, ids: Iterable[str], *, delete_notes: bool = False) -> list[ArticleSnapshot]:
        """Delete the articles ``ids`` in one transaction, with their bookmarks,
        tags, entities and reading state.  Their notes are kept as orphans
        (with the article's title, listed under all notes; they find their
        places again if the article is imported again), or deleted too when
        ``delete_notes``.

        Returns a snapshot of each article that existed (unknown ids are
        skipped), for :meth:`restore_articles`.  On any error nothing at all is
        deleted."""
        snaps: list[ArticleSnapshot] = []
        with self.transaction() as conn:
            for aid in dict.fromkeys(ids):
                snap = self.snapshot(aid)
                if snap is None:
                    continue
                if delete_notes:
                    conn.execute("DELETE FROM annotations WHERE article_id=?", (aid,))
                else:
                    conn.execute("UPDATE annotations SET orphan=1, article_title=? WHERE article_id=?",
                                 (snap.article.title, aid))
                # bookmarks, article_tags, entities and entity_runs go with it (ON DELETE CASCADE)
                conn.execute("DELETE FROM articles WHERE id=?", (aid,))
                snaps.append(snap)
        return snaps

    def delete(self, article_id: str) -> None:
        """Delete one article (see :meth:`delete_articles`); its notes are kept as orphans."""
        self.delete_articles([article_id])

    def restore_articles(self, snaps: Sequence[ArticleSnapshot]) -> list[str]:
        """Undo :meth:`delete_articles`, in one transaction: each article is
        stored again with its bookmark, tags, notes (placed on its text again,
        no longer orphans), entities and reading state.  Returns the stored ids;
        on any error nothing is restored."""
        lib = self.library
        restored: list[str] = []
        with self.transaction() as conn:
            for snap in snaps:
                _, stored_id = lib.articles.upsert(snap.article)
                for tag in snap.tags:
                    lib.marks.link_tag(stored_id, tag)
                if snap.bookmarked:
                    lib.marks.set_bookmark(stored_id, True, snap.bookmark_folder)
                lib.notes.restore_annotations(snap.annotations)
                if (snap.entity_run is not None and lib.mentions.entity_backend(stored_id) is None
                        and lib.articles.plain_text(stored_id) == snap.article.plain_text):  # offsets still fit
                    lib.mentions.set_entities(stored_id, snap.entities, *snap.entity_run)
                lib.reading.set_read(stored_id, snap.is_read)
                lib.reading.set_read_position(stored_id, snap.read_position)
                if snap.imported_at:
                    conn.execute("UPDATE articles SET imported_at=? WHERE id=?", (snap.imported_at, stored_id))
                restored.append(stored_id)
        return restored
