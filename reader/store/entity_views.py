"""The data behind the entity views: entity page, timeline, co-occurring
entities, network and search facets.

Plain functions over a :class:`~reader.store.library.Library` returning frozen
dataclasses and plain types (no Qt), so a worker thread or process runs them
and hands the result to the GUI.  They read the canonical-entity tables
(:mod:`reader.store.entity_canon`), so they follow the user's corrections.

For the window (helper "ui")::

    page = entity_page(lib, entity_id)        # KWIC snippets by article, oldest first
    bars = timeline(lib, entity_id, by="month")   # Bucket per month/week; bucket.ids filter the list
    pairs = cooccurring(lib, entity_id)      # [(EntityRow, articles together)], most first
    ids = pair_article_ids(lib, a_id, b_id)  # "Tony Blair + Gordon Brown: 61 articles"
    graph = network(lib, article_ids, top=50) # nodes with x/y (networkx layout), edges with weights
    counts = facets(lib, result_ids)         # {"person": [(name, n)...], "source": ..., "year": ...}
    query = facet_filter("person", "Tony Blair")  # 'person:"tony blair"' to add to the query box

``entity_id`` is :attr:`EntityRow.id`; find it with ``lib.find_entity(name)``
(an alias resolves to its entity) or ``lib.entity_of_span(article_id, label, norm)``
for a highlighted mention.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from reader.store.entity_canon import EntityRow

if TYPE_CHECKING:
    from reader.store.library import Library

#: Characters of context on each side of a mention in a snippet (cut at the line's ends).
CONTEXT = 60
#: Facet groups: name -> entity labels.
ENTITY_FACETS = {"person": ("PERSON", "PER"), "org": ("ORG",), "place": ("PLACE", "GPE", "LOC")}
FACET_NAMES = ("person", "org", "place", "source", "section", "tag", "year")


@dataclass(frozen=True)
class Snippet:
    """One mention as a one-line keyword-in-context snippet: ``before`` +
    ``text`` + ``after``; ``start``/``end`` open the article at the mention."""

    start: int
    end: int
    text: str
    before: str
    after: str

    @property
    def line(self) -> str:
        return f"{self.before}{self.text}{self.after}"


@dataclass(frozen=True)
class ArticleMentions:
    """The mentions of an entity in one article."""

    article_id: str
    title: str
    date: str | None  # ISO date-time as stored, None when undated
    snippets: tuple[Snippet, ...]


@dataclass(frozen=True)
class EntityPage:
    """An entity page: the entity, and every mention grouped by article, oldest first."""

    entity: EntityRow
    articles: tuple[ArticleMentions, ...]

    @property
    def mention_count(self) -> int:
        return sum(len(a.snippets) for a in self.articles)


@dataclass(frozen=True)
class Bucket:
    """One bar of a timeline: ``period`` is ``YYYY-MM`` or ``YYYY-Www`` (ISO
    week), ``first``/``last`` its days; ``ids`` the articles in it."""

    period: str
    first: date
    last: date
    mentions: int
    articles: int
    ids: tuple[str, ...]


@dataclass(frozen=True)
class Node:
    """A network node: an entity with its article count and layout position."""

    id: str
    name: str
    label: str
    articles: int
    x: float
    y: float


@dataclass(frozen=True)
class Edge:
    """Two entities that share ``weight`` articles."""

    source: str
    target: str
    weight: int


@dataclass(frozen=True)
class Network:
    """The top entities of a set of articles as a graph (positions in [-1, 1])."""

    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]


def _line_bounds(before: str, after: str) -> tuple[str, str]:
    """Context cut at the line ends (a snippet is one line)."""
    return before[before.rfind("\n") + 1:], after.split("\n", 1)[0]


def entity_page(lib: Library, entity_id: str) -> EntityPage | None:
    """Every mention of the entity across the library as a KWIC snippet, grouped
    by article, articles oldest first (undated last); ``None`` for an unknown id."""
    entity = lib.canonical_entity(entity_id)
    if entity is None:
        return None
    groups: dict[str, list[Snippet]] = defaultdict(list)
    heads: dict[str, tuple[str, str | None]] = {}
    for aid, title, when, start, end, text, before, after in lib.conn.execute(
        "SELECT l.article_id, a.title, a.sort_date, e.start, e.end, e.text,"
        " substr(a.plain_text, max(1, e.start - ? + 1), min(e.start, ?)), substr(a.plain_text, e.end + 1, ?)"
        " FROM canon_links l JOIN entities e ON e.article_id=l.article_id AND e.label=l.label AND e.norm=l.norm"
        " JOIN articles a ON a.id=l.article_id WHERE l.entity_id=?"
        " ORDER BY a.sort_date IS NULL, a.sort_date, a.id, e.start",
        (CONTEXT, CONTEXT, CONTEXT, entity_id),
    ):
        left, right = _line_bounds(before, after)
        groups[aid].append(Snippet(start, end, text, left, right))
        heads.setdefault(aid, (title, when))
    return EntityPage(entity, tuple(ArticleMentions(aid, heads[aid][0], heads[aid][1], tuple(snips))
                                    for aid, snips in groups.items()))


def _period(day: date, by: str) -> tuple[str, date, date]:
    if by == "week":
        iso = day.isocalendar()
        first = day - timedelta(days=iso.weekday - 1)
        return f"{iso.year}-W{iso.week:02d}", first, first + timedelta(days=6)
    first = day.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    return f"{day.year}-{day.month:02d}", first, nxt - timedelta(days=1)


def _buckets(rows: Iterable[tuple[str, str | None, int]], by: str, fill: bool) -> list[Bucket]:
    if by not in ("week", "month"):
        raise ValueError(f"a timeline is by 'week' or 'month', not {by!r}")
    mentions: Counter[str] = Counter()
    ids: dict[str, dict[str, None]] = defaultdict(dict)
    span: dict[str, tuple[date, date]] = {}
    for aid, when, n in rows:
        if not when:
            continue
        try:
            day = date.fromisoformat(when[:10])
        except ValueError:
            continue
        key, first, last = _period(day, by)
        mentions[key] += n
        ids[key][aid] = None
        span[key] = (first, last)
    if fill and span:  # empty periods between the first and the last, so bars keep their places
        day = min(f for f, _ in span.values())
        end = max(lst for _, lst in span.values())
        while day <= end:
            key, first, last = _period(day, by)
            span.setdefault(key, (first, last))
            day = last + timedelta(days=1)
    return [Bucket(k, span[k][0], span[k][1], mentions[k], len(ids[k]), tuple(ids[k])) for k in sorted(span)]


def timeline(lib: Library, entity_id: str | None = None, *, by: str = "month",
             article_ids: Sequence[str] | None = None, fill: bool = True) -> list[Bucket]:
    """Mentions and articles per ``week`` or ``month``: of one entity (``entity_id``),
    or the articles of ``article_ids`` (each counts as one), or the whole library.
    Undated articles are left out; ``fill`` adds the empty periods in between."""
    if entity_id is not None:
        rows = lib.conn.execute(
            "SELECT l.article_id, a.sort_date, sum(l.mentions) FROM canon_links l JOIN articles a ON a.id=l.article_id"
            " WHERE l.entity_id=? GROUP BY l.article_id", (entity_id,)
        ).fetchall()
    elif article_ids is not None:
        rows = lib.conn.execute("SELECT id, sort_date, 1 FROM articles WHERE id IN (SELECT value FROM json_each(?))",
                                (json.dumps(list(article_ids)),)).fetchall()
    else:
        rows = lib.conn.execute("SELECT id, sort_date, 1 FROM articles").fetchall()
    return _buckets(rows, by, fill)


def mentions_per_month(lib: Library, entity_id: str) -> list[tuple[str, int]]:
    """(``YYYY-MM``, mentions) for the months the entity is mentioned in."""
    return [(b.period, b.mentions) for b in timeline(lib, entity_id, by="month", fill=False)]


def cooccurring(lib: Library, entity_id: str, limit: int = 20,
                labels: Iterable[str] | None = None) -> list[tuple[EntityRow, int]]:
    """The entities most often in the same articles as ``entity_id``, with the
    number of articles they share (of the types ``labels`` if given)."""
    sql = ("SELECT o.entity_id, count(DISTINCT o.article_id) AS n FROM canon_links m"
           " JOIN canon_links o ON o.article_id=m.article_id AND o.entity_id != m.entity_id"
           " WHERE m.entity_id=?")
    params: list[object] = [entity_id]
    if labels is not None:
        wanted = sorted({x for label in labels for x in ENTITY_FACETS.get(label.lower(), (label.upper(),))})
        sql += f" AND o.entity_id IN (SELECT id FROM canon_entities WHERE label IN ({','.join('?' * len(wanted))}))"
        params.extend(wanted)
    sql += " GROUP BY o.entity_id ORDER BY n DESC, o.entity_id LIMIT ?"
    params.append(int(limit))
    pairs = lib.conn.execute(sql, params).fetchall()
    out = []
    for eid, n in pairs:
        row = lib.canonical_entity(eid)
        if row is not None:
            out.append((row, int(n)))
    return out


def pair_article_ids(lib: Library, a: str, b: str) -> list[str]:
    """The articles mentioning both entities (ids), newest first."""
    return [r[0] for r in lib.conn.execute(
        "SELECT DISTINCT x.article_id FROM canon_links x JOIN canon_links y ON y.article_id=x.article_id"
        " JOIN articles t ON t.id=x.article_id WHERE x.entity_id=? AND y.entity_id=?"
        " ORDER BY t.sort_date IS NULL, t.sort_date DESC", (a, b)
    )]


def network(lib: Library, article_ids: Sequence[str] | None = None, top: int = 50,
            labels: Iterable[str] = ("PERSON", "ORG", "PLACE"), seed: int = 7) -> Network:
    """The ``top`` entities of the articles (all when ``None``) by articles, with
    an edge for each pair sharing articles; positions from networkx's
    spring layout (weighted by shared articles, fixed seed: the same input draws
    the same picture)."""
    import networkx as nx  # (a few hundred ms to import: only when a network is asked for)
    import numpy as np

    wanted = sorted({x for label in labels for x in ENTITY_FACETS.get(label.lower(), (label.upper(),))})
    marks = ",".join("?" * len(wanted))
    conn = lib.conn
    counts: dict[str, int] = {}
    if article_ids is None:
        for eid, n in conn.execute(
            f"SELECT id, articles FROM canon_entities WHERE label IN ({marks}) ORDER BY articles DESC, id LIMIT ?",
            (*wanted, int(top)),
        ):
            counts[eid] = int(n)
    else:
        ids = json.dumps(list(article_ids))
        for eid, n in conn.execute(
            "SELECT g.entity_id, g.n FROM (SELECT entity_id, count(DISTINCT article_id) AS n FROM canon_links"
            " WHERE article_id IN (SELECT value FROM json_each(?)) GROUP BY entity_id) g"
            f" JOIN canon_entities e ON e.id=g.entity_id WHERE e.label IN ({marks})"
            " ORDER BY g.n DESC, g.entity_id LIMIT ?", (ids, *wanted, int(top)),
        ):
            counts[eid] = int(n)
    chosen = list(counts)
    weights: Counter[tuple[str, str]] = Counter()
    if chosen:
        sql = f"SELECT article_id, entity_id FROM canon_links WHERE entity_id IN ({','.join('?' * len(chosen))})"
        params: list[object] = list(chosen)
        if article_ids is not None:
            sql += " AND article_id IN (SELECT value FROM json_each(?))"
            params.append(json.dumps(list(article_ids)))
        # articles x entities incidence; its product with itself counts shared articles (numpy: C speed)
        col = {e: i for i, e in enumerate(chosen)}
        row: dict[str, int] = {}
        pairs = conn.execute(sql, params).fetchall()
        rows_ix = np.fromiter((row.setdefault(aid, len(row)) for aid, _ in pairs), dtype=np.int64, count=len(pairs))
        cols_ix = np.fromiter((col[eid] for _, eid in pairs), dtype=np.int64, count=len(pairs))
        incidence = np.zeros((len(row), len(chosen)), dtype=np.int32)  # (integers: no BLAS threads)
        incidence[rows_ix, cols_ix] = 1
        shared = incidence.T @ incidence
        for i, j in zip(*np.nonzero(np.triu(shared, k=1)), strict=True):
            a, b = sorted((chosen[int(i)], chosen[int(j)]))
            weights[(a, b)] = int(shared[i, j])
    graph = nx.Graph()
    graph.add_nodes_from(chosen)
    graph.add_weighted_edges_from((a, b, w) for (a, b), w in weights.items())
    pos = nx.spring_layout(graph, weight="weight", seed=seed, iterations=50) if chosen else {}
    rows = {e: lib.canonical_entity(e) for e in chosen}
    nodes = tuple(Node(e, r.name, r.label, counts[e], float(pos[e][0]), float(pos[e][1]))
                  for e, r in rows.items() if r is not None)
    edges = tuple(Edge(a, b, w) for (a, b), w in sorted(weights.items(), key=lambda kv: (-kv[1], kv[0])))
    return Network(nodes, edges)


def facets(lib: Library, article_ids: Sequence[str], limit: int = 10) -> dict[str, list[tuple[str, int]]]:
    """Counts by person, org, place, source, section, tag and year over the
    articles ``article_ids`` (a query's results): for each, the ``limit`` values
    in most articles, as (value, articles)."""
    conn = lib.conn
    ids = json.dumps(list(article_ids))  # one parameter, whatever the number of ids
    inside = "SELECT value FROM json_each(?)"
    entity_of = {label: facet for facet, labels in ENTITY_FACETS.items() for label in labels}
    found: dict[str, Counter[str]] = {name: Counter() for name in FACET_NAMES}
    for label, name, n in conn.execute(
        "SELECT e.label, e.name, g.n FROM (SELECT entity_id, count(DISTINCT article_id) AS n FROM canon_links"
        f" WHERE article_id IN ({inside}) GROUP BY entity_id) g JOIN canon_entities e ON e.id=g.entity_id", (ids,)
    ):
        facet = entity_of.get(label)
        if facet is not None:
            found[facet][name] += n
    for source, section, year in conn.execute(
        f"SELECT source, section, substr(sort_date, 1, 4) FROM articles WHERE id IN ({inside})", (ids,)
    ):
        for facet, value in (("source", source), ("section", section), ("year", year)):
            if value:
                found[facet][value] += 1
    for (tag,) in conn.execute(
        f"SELECT g.name FROM article_tags x JOIN tags g ON g.id=x.tag_id WHERE x.article_id IN ({inside})", (ids,)
    ):
        found["tag"][tag] += 1
    return {name: sorted(found[name].items(), key=lambda kv: (-kv[1], kv[0]))[:limit] for name in FACET_NAMES}


def facet_filter(facet: str, value: str) -> str:
    """The query filter a click on a facet adds (``person:"tony blair"``, ``year:2005``)."""
    if facet not in FACET_NAMES:
        raise ValueError(f"unknown facet {facet!r} (one of {', '.join(FACET_NAMES)})")
    if facet == "year":
        return f"date:{value}"
    clean = value.replace('"', " ").strip().lower()
    return f"{facet}:{clean}" if clean.isalnum() else f'{facet}:"{clean}"'
