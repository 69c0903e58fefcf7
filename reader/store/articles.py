"""The articles themselves: store (add/update), look up, list."""

from __future__ import annotations

import json
from collections.abc import Sequence

from reader.core.article import Article
from reader.store import models
from reader.store.models import ArticleRow, ImportOutcome
from reader.store.overrides import apply_override, override_of
from reader.store.session import Repository

_ORDERS = {
    "date": "sort_date IS NULL, sort_date DESC, title",
    "title": "title COLLATE NOCASE",
    "source": "source, sort_date DESC",
}


class Articles(Repository):
    """The ``articles`` table: what is stored and what the list shows."""

    def find_existing(self, article: Article) -> tuple[str, str] | None:
        """(id, content_hash) of the stored article this one is, by identity or content."""
        row = self.conn.execute(
            "SELECT id, content_hash FROM articles WHERE identity = ?", (article.identity,)
        ).fetchone()
        if row is None:
            row = self.conn.execute(
                "SELECT id, content_hash FROM articles WHERE content_hash = ?", (article.content_hash,)
            ).fetchone()
        return (row["id"], row["content_hash"]) if row else None

    def upsert(self, article: Article) -> tuple[ImportOutcome, str]:
        """Store ``article``: add it, update it in place (re-anchoring its
        annotations) or do nothing when the same content is already stored.
        Returns the outcome and the stored id."""
        notes = self.library.notes
        with self.transaction() as conn:
            existing = self.find_existing(article)
            if existing and existing[1] == article.content_hash:
                return ImportOutcome.UNCHANGED, existing[0]
            # the user's corrections of title, date, authors, source outlive a re-import
            article = apply_override(article, override_of(self.library, existing[0] if existing else article.id))
            sort_date = article.published.isoformat() if article.published else None
            values = (
                article.title,
                article.source,
                article.url,
                article.published.isoformat() if article.published else None,
                article.updated.isoformat() if article.updated else None,
                sort_date,
                " · ".join(x for x in (article.section, article.kicker) if x),
                article.format,
                article.source_path,
                json.dumps(article.to_json(), ensure_ascii=False),
                article.plain_text,
                article.content_hash,
            )
            if existing is None:
                conn.execute(
                    "INSERT INTO articles (title, source, url, published, updated, sort_date, section, format,"
                    " source_path, data, plain_text, content_hash, id, identity, imported_at)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (*values, article.id, article.identity, models.now_iso()),
                )
                for tag in article.tags:
                    self.library.marks.link_tag(article.id, tag)
                # notes kept as orphans when this article was deleted find their places again
                notes.reanchor(article.id, article.plain_text, article.title)
                return ImportOutcome.ADDED, article.id
            stored_id = existing[0]
            conn.execute(
                "UPDATE articles SET title=?, source=?, url=?, published=?, updated=?, sort_date=?, section=?,"
                " format=?, source_path=?, data=?, plain_text=?, content_hash=?, user_rev=user_rev+1"
                " WHERE id=?",
                (*values, stored_id),
            )
            conn.execute("DELETE FROM entities WHERE article_id=?", (stored_id,))
            conn.execute("DELETE FROM entity_runs WHERE article_id=?", (stored_id,))
            notes.reanchor(stored_id, article.plain_text, article.title)
            return ImportOutcome.UPDATED, stored_id

    def store_corrected(self, article_id: str, article: Article) -> None:
        """Store ``article`` (the stored one with corrected details) in place:
        its text now differs in the header, so its notes find their places
        again and its entities are recognised again; the content hash stays
        (a re-import of the same file changes nothing)."""
        with self.transaction() as conn:
            sort_date = article.published.isoformat() if article.published else None
            conn.execute(
                "UPDATE articles SET title=?, source=?, published=?, sort_date=?, data=?, plain_text=?,"
                " user_rev=user_rev+1 WHERE id=?",
                (article.title, article.source, sort_date, sort_date, json.dumps(article.to_json(), ensure_ascii=False),
                 article.plain_text, article_id),
            )
            conn.execute("DELETE FROM entities WHERE article_id=?", (article_id,))
            conn.execute("DELETE FROM entity_runs WHERE article_id=?", (article_id,))
            self.library.notes.reanchor(article_id, article.plain_text, article.title)

    def article(self, article_id: str) -> Article | None:
        """The stored article with its current tags, or ``None``."""
        row = self.conn.execute("SELECT data FROM articles WHERE id=?", (article_id,)).fetchone()
        if row is None:
            return None
        article = Article.from_json(json.loads(row["data"]))
        return article.with_changes(tags=tuple(self.library.marks.tags_of(article_id)))

    def plain_text(self, article_id: str) -> str | None:
        """The article's plain text (what every stored offset points into)."""
        row = self.conn.execute("SELECT plain_text FROM articles WHERE id=?", (article_id,)).fetchone()
        return row["plain_text"] if row else None

    def resolve_id(self, prefix: str) -> str | None:
        """The full id for an id or a unique id prefix (as the CLI accepts)."""
        rows = self.conn.execute(
            "SELECT id FROM articles WHERE id = ? OR id LIKE ? LIMIT 2", (prefix, prefix.replace("%", "") + "%")
        ).fetchall()
        exact = [r["id"] for r in rows if r["id"] == prefix]
        if exact:
            return exact[0]
        return rows[0]["id"] if len(rows) == 1 else None

    def count(self) -> int:
        """How many articles are stored."""
        return int(self.conn.execute("SELECT count(*) FROM articles").fetchone()[0])

    def ids(self, order: str = "date") -> list[str]:
        """All article ids, newest first (``date``), or by ``title``/``source``."""
        order_sql = _ORDERS[order]
        return [r[0] for r in self.conn.execute(f"SELECT id FROM articles ORDER BY {order_sql}")]

    def rows(self, ids: Sequence[str]) -> dict[str, ArticleRow]:
        """List rows for the given ids (the list model fetches them lazily)."""
        out: dict[str, ArticleRow] = {}
        for chunk_start in range(0, len(ids), 500):
            chunk = list(ids[chunk_start : chunk_start + 500])
            marks = ",".join("?" * len(chunk))
            query = (
                "SELECT a.id, a.title, a.source, a.sort_date, a.is_read,"
                " (b.article_id IS NOT NULL) AS bookmarked,"
                " (SELECT count(*) FROM annotations n WHERE n.article_id = a.id AND n.orphan = 0) AS notes"
                f" FROM articles a INDEXED BY articles_list_row LEFT JOIN bookmarks b ON b.article_id = a.id"
                f" WHERE a.id IN ({marks})"
            )
            for r in self.conn.execute(query, chunk):
                out[r["id"]] = ArticleRow(
                    r["id"], r["title"], r["source"], r["sort_date"], bool(r["bookmarked"]), r["notes"], bool(r["is_read"])
                )
        return out

    def all_rows(self, order: str = "date") -> list[ArticleRow]:
        """Every article's list row, in ``order`` (see :meth:`ids`)."""
        ids = self.ids(order)
        rows = self.rows(ids)
        return [rows[i] for i in ids]
