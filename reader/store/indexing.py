"""Bookkeeping for the search index (what it must contain) and the ``meta`` table."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from reader.core.article import Article, LineRole
from reader.store.models import IndexDoc
from reader.store.session import Repository

_CHUNK = 200


#: A canonical entity's name is indexed once per mention up to this many times...
MENTION_WEIGHT_CAP = 5
#: ...and this many times more when it is in the title, or in the lede (the first paragraph).
TITLE_WEIGHT, LEDE_WEIGHT = 3, 2


def _entity_terms(art: Article, found: dict[str, list[str]],
                  canonical: list[tuple[str, str, int]]) -> dict[str, list[str]]:
    """The entity values of an index document: each recognised name once, and
    each canonical entity's name (``person:blair`` finds Tony Blair's articles
    whatever they call him) repeated by how much the article is about it -
    mentions (capped), title, lede - so that term frequency ranks the articles
    where it matters above a passing mention."""
    title = lede = (0, 0)
    for line in art.lines():
        if line.role is LineRole.TITLE and title == (0, 0):
            title = (line.start, line.end)
        elif line.text and line.role in (LineRole.LEDE, LineRole.PARAGRAPH) and lede == (0, 0) and title != (0, 0):
            lede = (line.start, line.end)
    weights: dict[tuple[str, str], int] = {}
    bonus: dict[tuple[str, str], int] = {}
    for label, name, start in canonical:
        key = (label, name)
        weights[key] = min(MENTION_WEIGHT_CAP, weights.get(key, 0) + 1)
        extra = TITLE_WEIGHT if title[0] <= start < title[1] else LEDE_WEIGHT if lede[0] <= start < lede[1] else 0
        bonus[key] = max(bonus.get(key, 0), extra)
    out = {label: list(dict.fromkeys(values)) for label, values in found.items()}
    for (label, name), n in weights.items():
        out.setdefault(label, []).extend([name] * (n + bonus[(label, name)]))
    return out


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
        canonical = self._canonical_mentions(chunk, marks)
        rows = self.conn.execute(
            f"SELECT id, content_hash, user_rev, data FROM articles WHERE id IN ({marks})", chunk
        ).fetchall()
        docs = []
        for r in rows:
            art = Article.from_json(json.loads(r["data"]))
            found = ents.get(r["id"], {})
            if r["id"] in canonical:
                found = _entity_terms(art, found, canonical[r["id"]])
            else:
                found = {k: list(dict.fromkeys(v)) for k, v in found.items()}
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
                entities={k: tuple(v) for k, v in found.items()},
            ))
        return docs

    def _canonical_mentions(self, chunk: list[str], marks: str) -> dict[str, list[tuple[str, str, int]]]:
        """article id -> (label, canonical name, start) of each mention linked to a canonical entity."""
        out: dict[str, list[tuple[str, str, int]]] = {}
        for aid, label, name, start in self.conn.execute(
            "SELECT e.article_id, c.label, c.name, e.start FROM entities e"
            " JOIN canon_links l ON l.article_id=e.article_id AND l.label=e.label AND l.norm=e.norm"
            f" JOIN canon_entities c ON c.id=l.entity_id WHERE e.article_id IN ({marks})", chunk
        ):
            out.setdefault(aid, []).append((label, name, start))
        return out

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        """A stored fact (``seeds_imported``...), or ``default``."""
        row = self.conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        """Store a fact (replacing the one under ``key``)."""
        self.conn.execute("INSERT OR REPLACE INTO meta VALUES (?,?)", (key, value))
