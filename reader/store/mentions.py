"""Named-entity mentions of the articles, and which recogniser found them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from reader.store import models
from reader.store.entity_corrections import fold
from reader.store.models import EntitySpan
from reader.store.session import Repository


class Mentions(Repository):
    """The ``entities`` and ``entity_runs`` tables."""

    def set_entities(self, article_id: str, spans: Iterable[EntitySpan], backend: str, text_hash: str) -> None:
        """Store ``spans``, found by ``backend`` on the text hashed ``text_hash``,
        as the article's recognised entities; the shown entities are those with
        the user's corrections applied (nothing happens for an unknown article).
        Canonical entities are not recomputed here (the entities pass does it
        once at its end: :meth:`~reader.store.entity_canon.Canon.recompute_canonical`)."""
        spans = list(spans)
        with self.transaction() as conn:
            if conn.execute("SELECT 1 FROM articles WHERE id=?", (article_id,)).fetchone() is None:
                return
            conn.execute("DELETE FROM entity_recognised WHERE article_id=?", (article_id,))
            conn.executemany(
                "INSERT OR IGNORE INTO entity_recognised VALUES (?,?,?,?,?,?)",
                [(article_id, s.start, s.end, s.label, s.text, s.norm or s.text) for s in spans],
            )
            conn.execute(
                "INSERT OR REPLACE INTO entity_runs VALUES (?,?,?,?)",
                (article_id, backend, text_hash, models.now_iso()),
            )
            self.store_shown(article_id, self.library.corrections.corrected_entities(article_id, spans))

    def store_shown(self, article_id: str, spans: Iterable[EntitySpan]) -> None:
        """Replace the article's shown entities (recognised + corrections) with ``spans``."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM entities WHERE article_id=?", (article_id,))
            conn.executemany(
                "INSERT OR IGNORE INTO entities VALUES (?,?,?,?,?,?)",
                [(article_id, s.start, s.end, s.label, s.text, s.norm or s.text) for s in spans],
            )
            conn.execute("UPDATE articles SET user_rev = user_rev + 1 WHERE id=?", (article_id,))

    def entities(self, article_id: str) -> list[EntitySpan]:
        """The article's entity spans, by position."""
        return [
            EntitySpan(r["start"], r["end"], r["label"], r["text"], r["norm"])
            for r in self.conn.execute(
                "SELECT * FROM entities WHERE article_id=? ORDER BY start, end", (article_id,)
            )
        ]

    def entity_backend(self, article_id: str) -> tuple[str, str] | None:
        """(backend, text_hash) the stored entities were computed with."""
        row = self.conn.execute("SELECT backend, text_hash FROM entity_runs WHERE article_id=?", (article_id,)).fetchone()
        return (row[0], row[1]) if row else None

    def ids_needing_entities(self, backend: str) -> list[str]:
        """Articles with no entities from ``backend`` (name+version) yet."""
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT a.id FROM articles a LEFT JOIN entity_runs r ON r.article_id = a.id"
                " WHERE r.backend IS NULL OR r.backend != ?",
                (backend,),
            )
        ]

    def top_entities(self, labels: Sequence[str], limit: int = 50) -> list[tuple[str, str, int]]:
        """(label, name, number of articles) of the entities in most articles:
        canonical entities (one per person...) once they are computed, else the
        recognised names."""
        canon = self.library.canon
        if canon.canonical_computed():
            return [(e.label, e.name, e.articles) for e in canon.canonical_entities(labels, limit)]
        marks = ",".join("?" * len(labels))
        return [
            (r[0], r[1], r[2])
            for r in self.conn.execute(
                f"SELECT label, norm, count(DISTINCT article_id) AS n FROM entities WHERE label IN ({marks})"
                " GROUP BY label, norm ORDER BY n DESC, norm LIMIT ?",
                (*labels, limit),
            )
        ]

    def ids_with_entity(self, label: str, norm: str) -> list[str]:
        """The articles mentioning the entity (``label``, ``norm``): the canonical
        entity of that name and type when there is one, else the recognised name."""
        entity = self.library.canon.find_entity(norm, label)
        if entity is not None and fold(entity.name) == fold(norm):
            return self.library.canon.entity_article_ids(entity.id)
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT DISTINCT article_id FROM entities WHERE label=? AND norm=?", (label, norm)
            )
        ]
