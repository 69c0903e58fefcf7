"""Canonical entities across the library: one entity per person, organisation, place...

The shown spans of every article (``entities``, corrections applied) are linked
to canonical entities by :func:`reader.core.entities.canonical.canonicalise`
(``Blair``/``Tony Blair`` one person, ``Lib Dems`` -> ``Liberal Democrats``),
then the user's merge, split and rename corrections are applied, and the result
is stored in three tables that are a cache of the spans:

``canon_entities``  id, canonical name, type, number of articles and mentions;
``canon_aliases``   every name of an entity (its own name too), case-folded for look-up;
``canon_links``     (article, type, norm) of stored spans -> entity, with the mention count.

:meth:`Canon.recompute_canonical` rebuilds them (after the entities pass and after each
correction); articles whose canonical names changed get a new search-index
version, so ``person:``/``org:``/``place:`` search follows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from reader.core.entities.canonical import Mention, canonicalise, clean_name
from reader.core.entities.spans import NAME_LABELS
from reader.store.entity_corrections import Correction, CorrectionError, fold
from reader.store.session import Repository

#: Type groups as the search fields and the entities panel name them.
LABEL_GROUPS: dict[str, tuple[str, ...]] = {
    "PERSON": ("PERSON", "PER"),
    "ORG": ("ORG",),
    "PLACE": ("PLACE", "GPE", "LOC"),
}


@dataclass(frozen=True)
class EntityRow:
    """A canonical entity as the store hands it out."""

    id: str
    name: str
    label: str
    articles: int
    mentions: int
    ambiguous: bool = False
    aliases: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        """A plain dict (``--json`` output, a worker's result)."""
        return {"id": self.id, "name": self.name, "type": self.label, "articles": self.articles,
                "mentions": self.mentions, "ambiguous": self.ambiguous, "aliases": list(self.aliases)}


@dataclass
class _Group:
    id: str
    name: str
    label: str
    aliases: list[str]
    ambiguous: bool
    links: dict[tuple[str, str, str], int] = field(default_factory=dict)


def _apply(groups: dict[str, _Group], rules: Sequence[Correction]) -> None:
    """The merge, split and rename corrections, in the order they were made."""

    def find(name: str, label: str = "") -> _Group | None:
        key = fold(name)
        own = [g for g in groups.values() if fold(g.name) == key]
        pool = own or [g for g in groups.values() if key in {fold(a) for a in g.aliases}]
        if label and any(g.label == label for g in pool):
            pool = [g for g in pool if g.label == label]
        return max(pool, key=lambda g: (not g.ambiguous, len({k[0] for k in g.links}), g.id)) if pool else None

    for rule in rules:
        if rule.kind == "rename":
            g = find(rule.name, rule.label)
            if g is not None and g.name != rule.value:
                g.aliases = [a for a in [g.name, *g.aliases] if a != rule.value]
                g.name = rule.value
        elif rule.kind == "merge":
            a, b = find(rule.name, rule.label), find(rule.value, rule.value_label)
            if a is None or b is None or a is b:
                continue
            for k, n in a.links.items():
                b.links[k] = b.links.get(k, 0) + n
            b.aliases = list(dict.fromkeys(x for x in [*b.aliases, a.name, *a.aliases] if x != b.name))
            b.ambiguous = False
            del groups[a.id]
        elif rule.kind == "split":
            owner = find(rule.value, rule.value_label)
            if owner is None:
                continue
            key = fold(rule.name)
            moved = {k: n for k, n in owner.links.items() if fold(k[2]) == key}
            if not moved:
                continue
            for k in moved:
                del owner.links[k]
            owner.aliases = [a for a in owner.aliases if fold(a) != key]
            new_id = f"{owner.label}:{clean_name(rule.name)}~split"
            groups[new_id] = _Group(new_id, clean_name(rule.name), owner.label, [], False, moved)
            if not owner.links:
                del groups[owner.id]


class Canon(Repository):
    """The canonical-entity tables and the questions asked of them."""

    def recompute_canonical(self) -> int:
        """Rebuild the canonical entities from the stored spans and the
        corrections; returns how many entities there are.  Articles whose
        canonical names changed are marked for the search index."""
        with self.transaction():
            return self._recompute()

    def _recompute(self) -> int:
        conn = self.conn
        counts: dict[tuple[str, str, str], int] = Counter()
        mentions: list[Mention] = []
        marks = ",".join("?" * len(NAME_LABELS))
        for aid, label, text, norm, n in conn.execute(
            f"SELECT article_id, label, text, norm, count(*) FROM entities WHERE label IN ({marks})"
            " GROUP BY article_id, label, text, norm", sorted(NAME_LABELS)
        ):
            mentions.append(Mention(aid, label, text, norm, n))
            counts[(aid, label, norm)] += n
        canon = canonicalise(mentions)
        groups: dict[str, _Group] = {
            e.id: _Group(e.id, e.name, e.label, list(e.aliases), e.ambiguous) for e in canon.entities
        }
        for key, eid in canon.links.items():
            g = groups.get(eid)
            if g is not None:
                g.links[key] = counts.get(key, 0)
        rules = [c for c in self.library.corrections.entity_corrections() if not c.changes_spans]
        _apply(groups, rules)
        before = self._names_by_article()
        conn.execute("DELETE FROM canon_entities")
        conn.execute("DELETE FROM canon_aliases")
        conn.execute("DELETE FROM canon_links")
        entity_rows: list[tuple[str, str, str, int, int, int]] = []
        alias_rows: list[tuple[str, str, str]] = []
        link_rows: list[tuple[str, str, str, str, int]] = []
        after: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for g in groups.values():
            if not g.links:
                continue
            arts = {k[0] for k in g.links}
            entity_rows.append((g.id, g.name, g.label, len(arts), sum(g.links.values()), int(g.ambiguous)))
            for alias in dict.fromkeys([g.name, *g.aliases]):
                alias_rows.append((g.id, alias, fold(alias)))
            link_rows.extend((aid, label, norm, g.id, n) for (aid, label, norm), n in g.links.items())
            named = (g.label, g.name)
            for aid in arts:
                after[aid].add(named)
        conn.executemany("INSERT INTO canon_entities VALUES (?,?,?,?,?,?)", entity_rows)
        conn.executemany("INSERT OR IGNORE INTO canon_aliases VALUES (?,?,?)", alias_rows)
        conn.executemany("INSERT OR IGNORE INTO canon_links VALUES (?,?,?,?,?)", link_rows)
        # the search documents of articles whose canonical names changed are out of date
        changed = [aid for aid in before.keys() | after.keys() if before.get(aid, frozenset()) != after.get(aid, set())]
        conn.executemany("UPDATE articles SET user_rev = user_rev + 1 WHERE id=?", [(a,) for a in changed])
        return len(entity_rows)

    def apply_correction(self, rule: Correction) -> bool:
        """Apply a new merge, split or rename to the stored canonical entities
        in place, as :meth:`recompute_canonical` would; returns ``False`` when it
        cannot (then recompute).  Articles whose entity names change are marked
        for the search index."""
        if rule.kind not in ("merge", "split", "rename"):
            return False
        with self.transaction() as conn:
            if rule.kind == "rename":
                e = self._target(rule.name, rule.label)
                if e is None:
                    return True  # (nothing of that name now: the rule waits, as in a recompute)
                conn.execute("UPDATE canon_entities SET name=? WHERE id=?", (rule.value, e.id))
                conn.execute("INSERT OR IGNORE INTO canon_aliases VALUES (?,?,?)", (e.id, rule.value, fold(rule.value)))
                self._touch_entity(e.id)
                return True
            if rule.kind == "merge":
                a, b = self._target(rule.name, rule.label), self._target(rule.value, rule.value_label)
                if a is None or b is None or a.id == b.id:
                    return True
                self._touch_entity(a.id)
                conn.execute("UPDATE canon_links SET entity_id=? WHERE entity_id=?", (b.id, a.id))
                conn.execute("INSERT OR IGNORE INTO canon_aliases SELECT ?, alias, folded FROM canon_aliases"
                             " WHERE entity_id=?", (b.id, a.id))
                conn.execute("DELETE FROM canon_aliases WHERE entity_id=?", (a.id,))
                conn.execute("DELETE FROM canon_entities WHERE id=?", (a.id,))
                conn.execute("UPDATE canon_entities SET ambiguous=0 WHERE id=?", (b.id,))
                self._recount(b.id)
                return True
            owner = self._target(rule.value, rule.value_label)
            if owner is None:
                return True
            key = fold(rule.name)
            moved = [(aid, label, norm) for aid, label, norm in conn.execute(
                "SELECT article_id, label, norm FROM canon_links WHERE entity_id=?", (owner.id,)) if fold(norm) == key]
            if not moved:
                return True
            name = clean_name(rule.name)
            new_id = f"{owner.label}:{name}~split"
            if len(moved) == len(self._links_of(owner.id)):
                return False  # (the entity would be left empty: let a recompute settle it)
            conn.execute("INSERT OR REPLACE INTO canon_entities VALUES (?,?,?,0,0,0)", (new_id, name, owner.label))
            conn.executemany("UPDATE canon_links SET entity_id=? WHERE article_id=? AND label=? AND norm=?",
                             [(new_id, *k) for k in moved])
            conn.execute("DELETE FROM canon_aliases WHERE entity_id=? AND folded=?", (owner.id, key))
            conn.execute("INSERT OR IGNORE INTO canon_aliases VALUES (?,?,?)", (new_id, name, fold(name)))
            self._recount(owner.id)
            self._recount(new_id)
            conn.executemany("UPDATE articles SET user_rev = user_rev + 1 WHERE id=?",
                             [(aid,) for aid in {k[0] for k in moved}])
            return True

    def drop_stale_links(self, article_ids: Iterable[str], hidden: Iterable[str] = ()) -> int:
        """Remove the links of the articles whose spans are gone (hidden), recount
        their entities and drop those left without articles; the names ``hidden``
        are no longer other names of them.  Returns how many links went."""
        ids = list(dict.fromkeys(article_ids))
        gone: list[tuple[str, str, str, str]] = []
        with self.transaction() as conn:
            for aid in ids:
                have = {(r[0], r[1]) for r in conn.execute(
                    "SELECT DISTINCT label, norm FROM entities WHERE article_id=?", (aid,))}
                gone.extend((aid, label, norm, eid) for label, norm, eid in conn.execute(
                    "SELECT label, norm, entity_id FROM canon_links WHERE article_id=?", (aid,))
                    if (label, norm) not in have)
            conn.executemany("DELETE FROM canon_links WHERE article_id=? AND label=? AND norm=?",
                             [g[:3] for g in gone])
            touched = {g[3] for g in gone}
            for aid in ids:  # the links left may have lost some of their mentions
                conn.execute(
                    "UPDATE canon_links SET mentions=(SELECT count(*) FROM entities e WHERE e.article_id="
                    "canon_links.article_id AND e.label=canon_links.label AND e.norm=canon_links.norm)"
                    " WHERE article_id=?", (aid,))
                touched.update(r[0] for r in conn.execute(
                    "SELECT DISTINCT entity_id FROM canon_links WHERE article_id=?", (aid,)))
            folded = {fold(n) for n in hidden}
            for eid in touched:
                self._recount(eid)
                conn.executemany("DELETE FROM canon_aliases WHERE entity_id=? AND folded=? AND alias !="
                                 " (SELECT name FROM canon_entities WHERE id=?)", [(eid, f, eid) for f in folded])
            conn.execute("DELETE FROM canon_aliases WHERE entity_id IN (SELECT id FROM canon_entities WHERE articles=0)")
            conn.execute("DELETE FROM canon_entities WHERE articles=0")
        return len(gone)

    def _target(self, name: str, label: str) -> EntityRow | None:
        """The entity a rule names, found as :func:`_apply` finds it (own name, then alias)."""
        key = fold(name)
        rows = self._rows("SELECT e.* FROM canon_aliases a JOIN canon_entities e ON e.id=a.entity_id"
                          " WHERE a.folded=?", (key,))
        own = [e for e in rows if fold(e.name) == key]
        pool = own or rows
        if label and any(e.label == label for e in pool):
            pool = [e for e in pool if e.label == label]
        return max(pool, key=lambda e: (not e.ambiguous, e.articles, e.id)) if pool else None

    def _links_of(self, entity_id: str) -> list[tuple[str, str, str]]:
        return [tuple(r) for r in self.conn.execute(
            "SELECT article_id, label, norm FROM canon_links WHERE entity_id=?", (entity_id,))]

    def _recount(self, entity_id: str) -> None:
        self.conn.execute(
            "UPDATE canon_entities SET articles=(SELECT count(DISTINCT article_id) FROM canon_links WHERE entity_id=?),"
            " mentions=(SELECT coalesce(sum(mentions), 0) FROM canon_links WHERE entity_id=?) WHERE id=?",
            (entity_id, entity_id, entity_id),
        )

    def _touch_entity(self, entity_id: str) -> None:
        self.conn.execute("UPDATE articles SET user_rev = user_rev + 1 WHERE id IN"
                          " (SELECT DISTINCT article_id FROM canon_links WHERE entity_id=?)", (entity_id,))

    def _names_by_article(self) -> dict[str, frozenset[tuple[str, str]]]:
        out: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for aid, label, name in self.conn.execute(
            "SELECT DISTINCT l.article_id, e.label, e.name FROM canon_links l JOIN canon_entities e ON e.id=l.entity_id"
        ):
            out[aid].add((label, name))
        return {k: frozenset(v) for k, v in out.items()}

    def canonical_computed(self) -> bool:
        """Whether canonical entities exist (the entities pass ran since the upgrade)."""
        return self.conn.execute("SELECT 1 FROM canon_entities LIMIT 1").fetchone() is not None

    # ---- looking entities up ------------------------------------------
    def _rows(self, sql: str, params: Sequence[object] = ()) -> list[EntityRow]:
        rows = self.conn.execute(sql, params).fetchall()
        aliases: dict[str, list[str]] = defaultdict(list)
        ids = [r["id"] for r in rows]
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for eid, alias in self.conn.execute(
                f"SELECT entity_id, alias FROM canon_aliases WHERE entity_id IN ({','.join('?' * len(chunk))})", chunk
            ):
                aliases[eid].append(alias)
        return [EntityRow(r["id"], r["name"], r["label"], r["articles"], r["mentions"], bool(r["ambiguous"]),
                          tuple(sorted(a for a in aliases[r["id"]] if a != r["name"])))
                for r in rows]

    def canonical_entities(self, labels: Iterable[str] | None = None, limit: int | None = None) -> list[EntityRow]:
        """Canonical entities, most articles first (of the types ``labels``: ``PLACE`` takes in GPE/LOC)."""
        sql = "SELECT * FROM canon_entities"
        params: list[object] = []
        if labels is not None:
            wanted = sorted({x for label in labels for x in LABEL_GROUPS.get(label.upper(), (label.upper(),))})
            sql += f" WHERE label IN ({','.join('?' * len(wanted))})"
            params.extend(wanted)
        sql += " ORDER BY articles DESC, mentions DESC, name"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return self._rows(sql, params)

    def canonical_entity(self, entity_id: str) -> EntityRow | None:
        """The entity with this id, or ``None``."""
        found = self._rows("SELECT * FROM canon_entities WHERE id=?", (entity_id,))
        return found[0] if found else None

    def find_entity(self, name: str, label: str | None = None) -> EntityRow | None:
        """The entity called ``name`` (its id, canonical name or an alias, any
        case), of type ``label`` if given; an entity's own name wins over an
        alias (unless it is an undecided bare surname), then the one in most articles."""
        by_id = self.canonical_entity(name)
        if by_id is not None:
            return by_id
        key = fold(name)
        sql = ("SELECT e.* FROM canon_aliases a JOIN canon_entities e ON e.id=a.entity_id WHERE a.folded=?")
        params: list[object] = [key]
        if label:
            wanted = LABEL_GROUPS.get(label.upper(), (label.upper(),))
            sql += f" AND e.label IN ({','.join('?' * len(wanted))})"
            params.extend(wanted)
        rows = self._rows(sql, params)
        if not rows:
            return None
        # a bare surname no article decided ("Blair", ambiguous) gives way to the person it names
        return max(rows, key=lambda e: (fold(e.name) == key and not e.ambiguous, not e.ambiguous,
                                        fold(e.name) == key, e.articles, e.id))

    def find_entity_or_fail(self, name: str, label: str | None = None) -> EntityRow:
        """:meth:`find_entity`, raising :class:`CorrectionError` naming ``name`` when there is none."""
        found = self.find_entity(name, label)
        if found is None:
            kind = f" {label}" if label else ""
            raise CorrectionError(f"no{kind} entity called “{name}” in the library")
        return found

    def alias_owners(self, alias: str) -> list[EntityRow]:
        """The entities that have ``alias`` as one of their names, most articles first."""
        return self._rows(
            "SELECT e.* FROM canon_aliases a JOIN canon_entities e ON e.id=a.entity_id WHERE a.folded=?"
            " ORDER BY e.articles DESC", (fold(alias),)
        )

    def entity_own_names(self, entity_id: str) -> tuple[str, ...]:
        """The entity's names that no other entity has (its canonical name always)."""
        rows = self.conn.execute(
            "SELECT a.alias, (SELECT count(DISTINCT b.entity_id) FROM canon_aliases b WHERE b.folded=a.folded)"
            " FROM canon_aliases a WHERE a.entity_id=?", (entity_id,)
        ).fetchall()
        entity = self.canonical_entity(entity_id)
        names = [r[0] for r in rows if r[1] == 1]
        if entity is not None and entity.name not in names:
            names.insert(0, entity.name)
        return tuple(dict.fromkeys(names))

    def entity_article_ids(self, entity_id: str) -> list[str]:
        """The articles mentioning the entity, newest first."""
        return [r[0] for r in self.conn.execute(
            "SELECT DISTINCT l.article_id FROM canon_links l JOIN articles a ON a.id=l.article_id"
            " WHERE l.entity_id=? ORDER BY a.sort_date IS NULL, a.sort_date DESC", (entity_id,)
        )]

    def article_entities(self, article_id: str) -> list[tuple[EntityRow, int]]:
        """The entity panel's data: the article's canonical entities with their
        mention counts in it, most mentioned first."""
        counts = Counter[str]()
        for eid, n in self.conn.execute(
            "SELECT entity_id, mentions FROM canon_links WHERE article_id=?", (article_id,)
        ):
            counts[eid] += n
        if not counts:
            return []
        ids = list(counts)
        rows = {e.id: e for e in self._rows(
            f"SELECT * FROM canon_entities WHERE id IN ({','.join('?' * len(ids))})", ids)}
        return sorted(((rows[i], n) for i, n in counts.items() if i in rows),
                      key=lambda pair: (-pair[1], pair[0].name))

    def entity_of_span(self, article_id: str, label: str, norm: str) -> EntityRow | None:
        """The canonical entity a stored span (its article, type and norm) belongs to."""
        row = self.conn.execute(
            "SELECT entity_id FROM canon_links WHERE article_id=? AND label=? AND norm=?", (article_id, label, norm)
        ).fetchone()
        return self.canonical_entity(row[0]) if row else None
