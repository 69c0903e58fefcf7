"""Notes: highlights with an optional note (annotations), anchored on the text."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import replace

from reader.core.anchoring import anchor, make_selector
from reader.store import models
from reader.store.models import COLOURS, Annotation, clean_tags, row_to_annotation
from reader.store.session import Repository


def _check_colour(colour: str) -> None:
    if colour not in COLOURS:
        raise ValueError(f"unknown colour {colour!r}; choose one of {', '.join(COLOURS)}")


class Notes(Repository):
    """The ``annotations`` table.  A note outlives its article: when the article
    is deleted it stays as an orphan (with the article's title), and finds its
    place again if the article comes back."""

    def annotate(
        self,
        article_id: str,
        start: int,
        end: int,
        *,
        note: str = "",
        colour: str = "yellow",
        tags: Iterable[str] = (),
        annotation_id: str | None = None,
    ) -> Annotation:
        """Highlight ``plain_text[start:end]`` of an article (with an optional note)."""
        _check_colour(colour)
        with self.transaction() as conn:
            row = conn.execute("SELECT plain_text, title FROM articles WHERE id=?", (article_id,)).fetchone()
            if row is None:
                raise KeyError(f"no article with id {article_id}")
            sel = make_selector(row["plain_text"], start, end)
            stamp = models.now_iso()
            ann = Annotation(
                id=annotation_id or uuid.uuid4().hex,
                article_id=article_id,
                start=sel.start,
                end=sel.end,
                exact=sel.exact,
                prefix=sel.prefix,
                suffix=sel.suffix,
                colour=colour,
                note=note,
                tags=clean_tags(tags),
                created=stamp,
                updated=stamp,
                article_title=row["title"],
            )
            self.insert(ann)
            self.library.touch(article_id)
            return ann

    def annotate_quote(self, article_id: str, quote: str, **kwargs: object) -> Annotation:
        """Highlight the first occurrence of ``quote`` in the article's plain text."""
        text = self.library.articles.plain_text(article_id)
        if text is None:
            raise KeyError(f"no article with id {article_id}")
        start = text.find(quote)
        if start < 0 or not quote:
            raise ValueError(f"the quote {quote[:60]!r} does not occur in article {article_id}")
        return self.annotate(article_id, start, start + len(quote), **kwargs)  # type: ignore[arg-type]

    def insert(self, ann: Annotation) -> None:
        """Write ``ann`` as it is (insert or replace by id), as part of the caller's transaction."""
        self.conn.execute(
            "INSERT OR REPLACE INTO annotations (id, article_id, article_title, start, end, exact, prefix, suffix,"
            " colour, note, tags, created, updated, orphan) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                ann.id,
                ann.article_id,
                ann.article_title,
                ann.start,
                ann.end,
                ann.exact,
                ann.prefix,
                ann.suffix,
                ann.colour,
                ann.note,
                json.dumps(list(ann.tags), ensure_ascii=False),
                ann.created,
                ann.updated,
                int(ann.orphan),
            ),
        )

    def restore_annotation(self, ann: Annotation) -> None:
        """Put back an annotation as it was (undo of a delete, JSON import),
        placed on the article's current text (an orphan if it cannot be)."""
        self.restore_annotations([ann])

    def restore_annotations(self, anns: Iterable[Annotation]) -> list[Annotation]:
        """Put back (insert or replace by id) many annotations in one transaction,
        each re-anchored on its article's current text; returns them as stored."""
        stored: list[Annotation] = []
        with self.transaction():
            for ann in anns:
                placed = self.place(ann)
                self.insert(placed)
                self.library.touch(placed.article_id)
                stored.append(placed)
        return stored

    def place(self, ann: Annotation) -> Annotation:
        """``ann`` anchored on its article's current text (an orphan when it cannot be)."""
        row = self.conn.execute("SELECT plain_text, title FROM articles WHERE id=?", (ann.article_id,)).fetchone()
        if row is None:
            return replace(ann, orphan=True)
        span = anchor(row["plain_text"], ann.selector)
        if span is None:
            return replace(ann, orphan=True, article_title=row["title"])
        sel = make_selector(row["plain_text"], *span)
        return replace(
            ann,
            start=sel.start,
            end=sel.end,
            exact=sel.exact,
            prefix=sel.prefix,
            suffix=sel.suffix,
            orphan=False,
            article_title=row["title"],
        )

    def reanchor(self, article_id: str, text: str, title: str) -> None:
        """Place every annotation of an article on its new text, as part of the
        caller's transaction; those that cannot be placed become orphans (their
        last selector is kept)."""
        rows = self.conn.execute("SELECT * FROM annotations WHERE article_id=?", (article_id,)).fetchall()
        for row in rows:
            ann = row_to_annotation(row)
            span = anchor(text, ann.selector)
            if span is None:
                self.conn.execute("UPDATE annotations SET orphan=1, article_title=? WHERE id=?", (title, ann.id))
                continue
            sel = make_selector(text, *span)
            self.conn.execute(
                "UPDATE annotations SET start=?, end=?, exact=?, prefix=?, suffix=?, orphan=0,"
                " article_title=? WHERE id=?",
                (sel.start, sel.end, sel.exact, sel.prefix, sel.suffix, title, ann.id),
            )

    def update_annotation(
        self, annotation_id: str, *, note: str | None = None, colour: str | None = None, tags: Iterable[str] | None = None
    ) -> Annotation:
        """Change the note, colour and/or tags of an annotation (``None`` keeps one)."""
        if colour is not None:
            _check_colour(colour)
        with self.transaction() as conn:
            ann = self.annotation(annotation_id)  # read inside the transaction: no lost update
            if ann is None:
                raise KeyError(f"no annotation with id {annotation_id}")
            conn.execute(
                "UPDATE annotations SET note=?, colour=?, tags=?, updated=? WHERE id=?",
                (
                    ann.note if note is None else note,
                    ann.colour if colour is None else colour,
                    json.dumps(list(ann.tags if tags is None else clean_tags(tags)), ensure_ascii=False),
                    models.now_iso(),
                    annotation_id,
                ),
            )
            self.library.touch(ann.article_id)
        result = self.annotation(annotation_id)
        assert result is not None
        return result

    def delete_annotation(self, annotation_id: str) -> Annotation | None:
        """Delete; returns what was deleted (so the caller can offer undo)."""
        with self.transaction() as conn:
            ann = self.annotation(annotation_id)
            if ann is None:
                return None
            conn.execute("DELETE FROM annotations WHERE id=?", (annotation_id,))
            self.library.touch(ann.article_id)
        return ann

    def annotation(self, annotation_id: str) -> Annotation | None:
        """One annotation by id, or ``None``."""
        row = self.conn.execute("SELECT * FROM annotations WHERE id=?", (annotation_id,)).fetchone()
        return row_to_annotation(row) if row else None

    def annotations(self, article_id: str | None = None) -> list[Annotation]:
        """Annotations of one article (by position) or of the whole library."""
        if article_id is None:
            rows = self.conn.execute(
                "SELECT * FROM annotations ORDER BY article_title, article_id, orphan, start, end, id"
            ).fetchall()
        else:
            rows = self.conn.execute(
                "SELECT * FROM annotations WHERE article_id=? ORDER BY orphan, start, end, id", (article_id,)
            ).fetchall()
        return [row_to_annotation(r) for r in rows]
