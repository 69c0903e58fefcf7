"""Bookkeeping for the search index (what it must contain) and the ``meta`` table."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from reader.core.article import Article
from reader.store.models import IndexDoc
from reader.store.session import Repository

_CHUNK = 200


class Indexing(Repository):
    """What the search index is fed from, and small key/value facts (``meta``)."""

    def index_versions(self) -> dict[str, str]:
        """id -> version token for every article (what the index compares against)."""
        # one covering index scan (schema 4), the token built by SQLite
        return dict(self.conn.execute("SELECT id, content_hash || ':' || user_rev FROM articles"))

    def index_docs(self, ids: Iterable[str] | None = None) -> Iterator[IndexDoc]:
        """IndexDocs for the given ids (all articles when ``None``).

        Every read of a chunk is finished before its documents are yielded: a
        cursor left open across a ``yield`` is a read transaction lasting as long
        as the consumer (Whoosh) takes over 200 documents, and readers that never
        leave keep the WAL from being restarted while others write (see
        :meth:`~reader.store.session.Session.restart_wal`)."""
        if ids is None:
            id_list = [r[0] for r in self.conn.execute("SELECT id FROM articles")]
        else:
            id_list = list(ids)
        for chunk_start in range(0, len(id_list), _CHUNK):
            yield from self._docs(id_list[chunk_start : chunk_start + _CHUNK])

    def _docs(self, chunk: list[str]) -> list[IndexDoc]:
        marks = ",".join("?" * len(chunk))
        bookmarked = {
            r[0] for r in self.conn.execute(f"SELECT article_id FROM bookmarks WHERE article_id IN ({marks})", chunk)
        }
        tags: dict[str, list[str]] = {}
        for r in self.conn.execute(
            f"SELECT a.article_id, t.name FROM article_tags a JOIN tags t ON t.id=a.tag_id"
            f" WHERE a.article_id IN ({marks})",
            chunk,
        ):
            tags.setdefault(r[0], []).append(r[1])
        notes: dict[str, list[str]] = {}
        for r in self.conn.execute(
            f"SELECT article_id, exact, note FROM annotations WHERE orphan=0 AND article_id IN ({marks})", chunk
        ):
            notes.setdefault(r[0], []).extend(x for x in (r[1], r[2]) if x)
        ents: dict[str, dict[str, list[str]]] = {}
        for r in self.conn.execute(
            f"SELECT article_id, label, norm FROM entities WHERE article_id IN ({marks})", chunk
        ):
            ents.setdefault(r[0], {}).setdefault(r[1], []).append(r[2])
        rows = self.conn.execute(
            f"SELECT id, content_hash, user_rev, data FROM articles WHERE id IN ({marks})", chunk
        ).fetchall()
        docs = []
        for r in rows:
            art = Article.from_json(json.loads(r["data"]))
            docs.append(IndexDoc(
                id=r["id"],
                version=f"{r['content_hash']}:{r['user_rev']}",
                title=art.title,
                body=art.body_text,
                source=art.source,
                section=" ".join(x for x in (art.section, art.kicker) if x),
                authors=art.authors,
                published=art.published,
                bookmarked=r["id"] in bookmarked,
                tags=tuple(tags.get(r["id"], ())),
                notes=tuple(notes.get(r["id"], ())),
                entities={k: tuple(dict.fromkeys(v)) for k, v in ents.get(r["id"], {}).items()},
            ))
        return docs

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        """A stored fact (``seeds_imported``...), or ``default``."""
        row = self.conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        """Store a fact (replacing the one under ``key``)."""
        self.conn.execute("INSERT OR REPLACE INTO meta VALUES (?,?)", (key, value))
