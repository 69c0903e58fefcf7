"""The user's entity corrections: rules kept in the library and applied to every article.

The recogniser's spans of an article are kept as found (``entity_recognised``);
what the reader shows, searches and counts (``entities``) is those spans with
the corrections applied.  A correction is a rule, not an edit of one stored
row, so it applies to existing articles and to future imports alike, and it
survives re-recognition, re-import and a recogniser upgrade (the entities pass
stores new spans with :meth:`~reader.store.mentions.Mentions.set_entities`,
which applies the rules again).

Kinds of correction:

``retype``
    one mention (``article_id``, ``start``, ``end``) or every mention of an
    entity's names (``names``) gets the type ``value``;
``hide``
    "not an entity": the names' mentions in one article (``article_id``) or
    everywhere are no longer entities;
``add``
    a mention the recogniser missed (``article_id``, ``start``, ``end``, ``label``);
``merge``, ``split``, ``rename``
    work on canonical entities (see :mod:`reader.store.entity_canon`): entity
    ``name`` joins entity ``value``; alias ``name`` leaves entity ``value`` and
    becomes an entity of its own; entity ``name`` is called ``value``.

Every change returns the :class:`Correction` it made (or those it removed):
:meth:`Corrections.undo_correction` and :meth:`Corrections.restore_correction`
revert and redo it, so the GUI can put it on its undo stack.

For the window (run in a worker; each is one transaction, a bad request raises
:class:`CorrectionError` with a one-line message)::

    c = lib.retype_mention(article_id, start, end, "PLACE")   # a highlighted mention
    c = lib.hide_mention(article_id, start, end)              # this mention is not an entity
    c = lib.hide_entity("Kent", article_id=article_id)        # ... nowhere in this article
    c = lib.hide_entity("Oscar")                              # ... nowhere at all
    c = lib.add_mention(article_id, start, end, "PERSON")     # a selection the recogniser missed
    c = lib.retype_entity("Vera Drake", "WORK")               # an entity row, everywhere
    c = lib.merge_entities("Lib Dem", "Liberal Democrats")
    c = lib.split_alias("Bush", "George W Bush")
    c = lib.rename_entity("Tony Blair", "Anthony Blair")
    undo: lib.undo_correction(c)       redo: lib.restore_correction(c)
    gone = lib.unhide_entity("Oscar")  undo: lib.restore_corrections(gone)
    c.describe()                       # the undo stack's text

Span changes (retype/hide/add) take effect in the article's ``lib.entities()`` at
once; a new merge/split/rename/hide changes the canonical entities in place,
others recompute them (seconds at 10x BBC: run it off the GUI thread).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reader.core.entities.canonical import clean_name
from reader.core.entities.spans import LABELS
from reader.store import models
from reader.store.models import EntitySpan
from reader.store.session import Repository

KINDS = ("retype", "hide", "add", "merge", "split", "rename")
#: Kinds that change the spans of articles (the others change canonical entities only).
SPAN_KINDS = frozenset({"retype", "hide", "add"})
#: Type names users may give, besides :data:`LABELS` (``GPE``/``LOC`` are places).
LABEL_ALIASES = {"PER": "PERSON", "PEOPLE": "PERSON", "GPE": "PLACE", "LOC": "PLACE", "LOCATION": "PLACE",
                 "ORGANIZATION": "ORG", "ORGANISATION": "ORG", "FAC": "FACILITY", "WORK_OF_ART": "WORK"}


class CorrectionError(ValueError):
    """A correction that cannot be made (unknown entity, bad type, offsets outside the text)."""


def check_label(label: str) -> str:
    """The stored form of a type name (``person`` -> ``PERSON``); raises
    :class:`CorrectionError` naming it when it is no entity type."""
    up = label.strip().upper()
    up = LABEL_ALIASES.get(up, up)
    if up not in LABELS:
        raise CorrectionError(f"{label!r} is not an entity type (one of {', '.join(LABELS)})")
    return up


def fold(name: str) -> str:
    """A name as corrections compare it (cleaned, case-folded)."""
    return clean_name(name).casefold()


@dataclass(frozen=True)
class Correction:
    """One stored correction (see the module docstring for the kinds)."""

    id: int
    kind: str
    name: str = ""
    label: str = ""
    names: tuple[str, ...] = ()
    article_id: str | None = None
    start: int | None = None
    end: int | None = None
    exact: str = ""
    value: str = ""
    value_label: str = ""
    created: str = ""

    @property
    def changes_spans(self) -> bool:
        """Whether it changes articles' spans (else only canonical entities)."""
        return self.kind in SPAN_KINDS

    def describe(self) -> str:
        """One line for an undo menu or a list: what the correction does."""
        where = f" in article {self.article_id}" if self.article_id else ""
        if self.kind == "retype":
            what = f"“{self.exact}” at {self.start}" if self.start is not None else f"“{self.name}”"
            return f"type of {what}{where} -> {self.value}"
        if self.kind == "hide":
            at = f" at {self.start}" if self.start is not None else ""
            return f"“{self.name}”{at} is not an entity{where or ' anywhere'}"
        if self.kind == "add":
            return f"“{self.exact}” ({self.label}) added{where}"
        if self.kind == "merge":
            return f"“{self.name}” merged into “{self.value}”"
        if self.kind == "split":
            return f"“{self.name}” split off “{self.value}”"
        return f"“{self.name}” renamed “{self.value}”"

    def to_json(self) -> dict[str, object]:
        """A plain dict (the notes export), without the id."""
        data: dict[str, object] = {"kind": self.kind}
        for key in ("name", "label", "article_id", "start", "end", "exact", "value", "value_label", "created"):
            value = getattr(self, key)
            if value not in (None, ""):
                data[key] = value
        if self.names:
            data["names"] = list(self.names)
        return data

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Correction:
        """The correction of :meth:`to_json` (id 0: not stored yet); raises
        :class:`CorrectionError` for a malformed entry."""
        kind = data.get("kind")
        if kind not in KINDS:
            raise CorrectionError(f"unknown correction kind {kind!r}")

        def text(key: str) -> str:
            value = data.get(key, "")
            if not isinstance(value, str):
                raise CorrectionError(f"correction field {key!r} must be text, not {value!r}")
            return value

        def number(key: str) -> int | None:
            value = data.get(key)
            if value is None:
                return None
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise CorrectionError(f"correction field {key!r} must be a position, not {value!r}")
            return value

        names = data.get("names", [])
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise CorrectionError(f"correction field 'names' must be a list of names, not {names!r}")
        return cls(0, str(kind), text("name"), text("label"), tuple(names), text("article_id") or None,
                   number("start"), number("end"), text("exact"), text("value"), text("value_label"),
                   text("created"))

    def same_rule(self, other: Correction) -> bool:
        """Whether both say the same thing (ids and times aside)."""
        return self.to_json() | {"created": ""} == other.to_json() | {"created": ""}


def _row(r: sqlite3.Row) -> Correction:
    return Correction(r["id"], r["kind"], r["name"], r["label"], tuple(json.loads(r["names"])), r["article_id"],
                      r["start"], r["end"], r["exact"], r["value"], r["value_label"], r["created"])


def _locate(text: str, start: int, end: int, exact: str) -> tuple[int, int] | None:
    """Where the mention ``exact`` made at ``start`` is in ``text`` now: at its
    offsets, else the occurrence nearest to them (the text changed), else ``None``."""
    if text[start:end] == exact:
        return start, end
    if not exact:
        return None
    best: int | None = None
    at = text.find(exact)
    while at >= 0:
        if best is None or abs(at - start) < abs(best - start):
            best = at
        at = text.find(exact, at + 1)
    return (best, best + len(exact)) if best is not None else None


def _like(text: str) -> str:
    """``text`` as a literal inside a LIKE pattern (escape character ``\\``)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def apply_rules(text: str, spans: Iterable[EntitySpan], rules: Sequence[Correction],
                article_id: str) -> list[EntitySpan]:
    """``spans`` (the recogniser's, over ``text``) with the span rules applied, in order."""
    out = list(spans)
    rules = [r for r in rules if r.kind in SPAN_KINDS and (not r.article_id or r.article_id == article_id)]
    # rules only change labels or add mentions, so a name rule can only hit a name the
    # article has (or one a rule adds): the others are skipped at once (many rules, 20k articles)
    present = {f for x in out for f in (fold(x.norm), fold(x.text))}
    present |= {fold(r.exact) for r in rules if r.kind == "add"}
    for rule in rules:
        if rule.start is not None and rule.end is not None:
            where = _locate(text, rule.start, rule.end, rule.exact)
            if where is None:
                continue
            s, e = where
            if rule.kind == "add":
                kept = [x for x in out if x.end <= s or x.start >= e]  # the user's mention wins
                norm = clean_name(text[s:e]) or text[s:e]
                out = [*kept, EntitySpan(s, e, rule.label, text[s:e], norm)]
            elif rule.kind == "retype":
                out = [EntitySpan(x.start, x.end, rule.value, x.text, x.norm) if (x.start, x.end) == (s, e) else x
                       for x in out]
            else:  # hide one mention
                out = [x for x in out if (x.start, x.end) != (s, e)]
            continue
        names = {fold(n) for n in (rule.name, *rule.names) if n}
        if names.isdisjoint(present):
            continue

        def hit(x: EntitySpan, names: set[str] = names, label: str = rule.label) -> bool:
            return (not label or x.label == label) and (fold(x.norm) in names or fold(x.text) in names)

        if rule.kind == "hide":
            out = [x for x in out if not hit(x)]
        elif rule.kind == "retype":
            out = [EntitySpan(x.start, x.end, rule.value, x.text, x.norm) if hit(x) else x for x in out]
    out.sort(key=lambda x: (x.start, x.end, x.label))
    unique: dict[tuple[int, int, str], EntitySpan] = {}
    for x in out:
        unique.setdefault((x.start, x.end, x.label), x)
    return list(unique.values())


class Corrections(Repository):
    """The ``entity_corrections`` table and the re-application of its rules."""

    # ---- reading ------------------------------------------------------
    def entity_corrections(self, article_id: str | None = None) -> list[Correction]:
        """Every correction in the order made, or those that apply to one article
        (its own and the library-wide ones)."""
        if article_id is None:
            rows = self.conn.execute("SELECT * FROM entity_corrections ORDER BY id")
        else:
            rows = self.conn.execute(
                "SELECT * FROM entity_corrections WHERE article_id IS NULL OR article_id=? ORDER BY id", (article_id,)
            )
        return [_row(r) for r in rows]

    def recognised_entities(self, article_id: str) -> list[EntitySpan]:
        """The recogniser's spans of the article, before corrections."""
        return [
            EntitySpan(r["start"], r["end"], r["label"], r["text"], r["norm"])
            for r in self.conn.execute(
                "SELECT * FROM entity_recognised WHERE article_id=? ORDER BY start, end", (article_id,)
            )
        ]

    def corrected_entities(self, article_id: str, spans: Iterable[EntitySpan], text: str | None = None) -> list[EntitySpan]:
        """``spans`` of the article with the corrections that apply to it."""
        rules = [r for r in self.entity_corrections(article_id) if r.changes_spans]
        if not rules:
            return sorted(spans, key=lambda x: (x.start, x.end, x.label))
        if text is None:
            text = self.library.articles.plain_text(article_id) or ""
        return apply_rules(text, spans, rules, article_id)

    # ---- making corrections -------------------------------------------
    def retype_mention(self, article_id: str, start: int, end: int, label: str) -> Correction:
        """One mention (the span ``start:end`` of the article) gets the type ``label``."""
        label = check_label(label)
        exact = self._text_at(article_id, start, end)
        if not any((s.start, s.end) == (start, end) for s in self.library.mentions.entities(article_id)):
            raise CorrectionError(f"article {article_id}: no entity at {start}-{end} (“{exact}”); add it instead")
        return self._add(Correction(0, "retype", name=exact, article_id=article_id, start=start, end=end,
                                    exact=exact, value=label))

    def retype_entity(self, name: str, label: str, *, old_label: str = "") -> Correction:
        """Every mention of the entity called ``name`` (its canonical name or an
        alias) gets the type ``label``, in every article."""
        label = check_label(label)
        entity = self.library.canon.find_entity_or_fail(name, old_label or None)
        return self._add(Correction(0, "retype", name=entity.name, label=entity.label,
                                    names=self.library.canon.entity_own_names(entity.id), value=label))

    def hide_entity(self, name: str, *, article_id: str | None = None, label: str = "") -> Correction:
        """``name`` is not an entity: in one article (``article_id``), or everywhere.

        Everywhere, ``name`` may be a canonical entity's name (all its own names
        go) or any name the recogniser found (that name goes)."""
        label = check_label(label) if label else ""
        names: tuple[str, ...] = ()
        if article_id is not None:
            self._article_or_fail(article_id)
        else:
            entity = self.library.canon.find_entity(name, label or None)
            if entity is not None and fold(entity.name) == fold(name):  # the entity, with all its own names
                names = self.library.canon.entity_own_names(entity.id)
                name, label = entity.name, label or entity.label
            # (an other name alone - "Blair" of Tony Blair - hides that name only)
        if not names and not self._name_known(name, article_id):
            where = f"article {article_id}" if article_id else "the library"
            raise CorrectionError(f"no entity called “{name}” in {where}")
        return self._add(Correction(0, "hide", name=name, label=label, names=names, article_id=article_id))

    def hide_mention(self, article_id: str, start: int, end: int) -> Correction:
        """The one mention ``start:end`` of the article is not an entity (the
        name's other mentions stay)."""
        exact = self._text_at(article_id, start, end)
        if not any((s.start, s.end) == (start, end) for s in self.library.mentions.entities(article_id)):
            raise CorrectionError(f"article {article_id}: no entity at {start}-{end} (“{exact}”)")
        return self._add(Correction(0, "hide", name=exact, article_id=article_id, start=start, end=end, exact=exact))

    def unhide_entity(self, name: str) -> list[Correction]:
        """Remove the "not an entity" corrections of ``name`` (everywhere and in
        single articles); returns them (for :meth:`restore_correction`)."""
        key = fold(name)
        gone = [c for c in self.entity_corrections()
                if c.kind == "hide" and (fold(c.name) == key or key in {fold(n) for n in c.names})]
        if not gone:
            raise CorrectionError(f"“{name}” is not hidden")
        for c in gone:
            self.undo_correction(c)
        return gone

    def add_mention(self, article_id: str, start: int, end: int, label: str) -> Correction:
        """A mention the recogniser missed: ``start:end`` of the article is an entity of type ``label``."""
        label = check_label(label)
        exact = self._text_at(article_id, start, end)
        return self._add(Correction(0, "add", name=exact, label=label, article_id=article_id, start=start, end=end,
                                    exact=exact))

    def merge_entities(self, name: str, into: str) -> Correction:
        """The entity ``name`` is the same as the entity ``into`` (which keeps its name)."""
        canon = self.library.canon
        a, b = canon.find_entity_or_fail(name), canon.find_entity_or_fail(into)
        if a.id == b.id:
            raise CorrectionError(f"“{name}” and “{into}” are already one entity ({b.name})")
        return self._add(Correction(0, "merge", name=a.name, label=a.label, value=b.name, value_label=b.label))

    def split_alias(self, alias: str, entity: str | None = None) -> Correction:
        """The name ``alias`` is not the entity it was linked to (``entity``, or
        the one entity with that alias) but an entity of its own."""
        canon = self.library.canon
        owners = canon.alias_owners(alias)
        if entity is not None:
            target = canon.find_entity_or_fail(entity)
            if target.id not in {o.id for o in owners}:
                raise CorrectionError(f"“{alias}” is not a name of “{target.name}”")
        elif len(owners) == 1:
            target = owners[0]
        elif not owners:
            raise CorrectionError(f"no entity has the other name “{alias}”")
        else:
            raise CorrectionError(f"“{alias}” is a name of {len(owners)} entities; say which: "
                                  + ", ".join(f"“{o.name}”" for o in owners))
        if fold(target.name) == fold(alias):
            raise CorrectionError(f"“{alias}” is the name of the entity itself; rename it instead")
        return self._add(Correction(0, "split", name=alias, label=target.label, value=target.name,
                                    value_label=target.label))

    def rename_entity(self, name: str, new_name: str) -> Correction:
        """The entity ``name`` is called ``new_name`` from now on (the old name stays an alias)."""
        new_name = " ".join(new_name.split())
        if not new_name:
            raise CorrectionError("the new name is empty")
        entity = self.library.canon.find_entity_or_fail(name)
        return self._add(Correction(0, "rename", name=entity.name, label=entity.label, value=new_name))

    # ---- undo ---------------------------------------------------------
    def undo_correction(self, correction: Correction) -> None:
        """Revert a correction (remove it; articles and entities as if it was never made)."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM entity_corrections WHERE id=?", (correction.id,))
            self._settle(correction)

    def restore_correction(self, correction: Correction) -> Correction:
        """Make an undone correction again (same id when it is free); returns it as stored."""
        return self._add(correction, keep_id=True)

    def restore_corrections(self, corrections: Iterable[Correction]) -> list[Correction]:
        """:meth:`restore_correction` each (e.g. what :meth:`unhide_entity` removed), in one transaction."""
        with self.transaction():
            return [self.restore_correction(c) for c in corrections]

    def import_corrections(self, corrections: Iterable[Correction]) -> tuple[int, int]:
        """Add corrections from a notes export, skipping those already stored;
        returns (added, already there)."""
        have = self.entity_corrections()
        added = same = 0
        with self.transaction():
            for c in corrections:
                if any(c.same_rule(h) for h in have):
                    same += 1
                    continue
                have.append(self._add(c, settle=False))
                added += 1
            if added:
                self.reapply_corrections()
        return added, same

    # ---- applying -----------------------------------------------------
    def reapply_corrections(self, article_ids: Iterable[str] | None = None, *, recompute: bool = True) -> int:
        """Recompute the shown entities of the articles (all when ``None``) from
        the recogniser's spans and the corrections, then (``recompute``) the
        canonical entities; returns how many articles' entities changed."""
        changed = 0
        with self.transaction() as conn:
            if article_ids is None:
                ids = [r[0] for r in conn.execute("SELECT article_id FROM entity_runs")]
            else:
                wanted = list(dict.fromkeys(article_ids))
                ids = [a for a in wanted
                       if conn.execute("SELECT 1 FROM entity_runs WHERE article_id=?", (a,)).fetchone()]
            for aid in ids:
                now = self.library.mentions.entities(aid)
                new = self.corrected_entities(aid, self.recognised_entities(aid))
                if new != now:
                    self.library.mentions.store_shown(aid, new)
                    changed += 1
            if recompute:
                self.library.canon.recompute_canonical()
        return changed

    def _settle(self, c: Correction, *, added: bool = False) -> None:
        """After ``c`` was added or removed: the articles it touches, then the canonical entities."""
        if not c.changes_spans:
            # a new merge/split/rename changes the stored entities in place (fast at any size);
            # taking one back recomputes them (what the entities pass does too)
            if not (added and self.library.canon.apply_correction(c)):
                self.library.canon.recompute_canonical()
            return
        if c.article_id is not None:
            self._reapply_spans([c.article_id], c, added)
            return
        names = sorted({clean_name(n) for n in (c.name, *c.names) if clean_name(n)})
        if not names:
            return
        # a superset (LIKE ignores case and titles: "Mr Blair"); apply_rules decides exactly
        where = " OR ".join(["norm LIKE ? ESCAPE '\\' OR text LIKE ? ESCAPE '\\'"] * len(names))
        patterns = [f"%{_like(n)}%" for n in names for _ in (0, 1)]
        ids = [r[0] for r in self.conn.execute(
            f"SELECT DISTINCT article_id FROM entity_recognised WHERE {where}", patterns)]
        self._reapply_spans(ids, c, added)

    def _reapply_spans(self, ids: list[str], c: Correction, added: bool) -> None:
        """A new "not an entity" only takes mentions away: the canonical entities
        lose those links in place (fast at any size; the next entities pass
        settles what else may follow, such as a surname no longer shared).  Any
        other span change recomputes them."""
        if added and c.kind == "hide":
            with self.transaction():
                self.reapply_corrections(ids, recompute=False)
                self.library.canon.drop_stale_links(ids, () if c.article_id else (c.name, *c.names))
        else:
            self.reapply_corrections(ids)

    def _add(self, c: Correction, *, keep_id: bool = False, settle: bool = True) -> Correction:
        if c.kind in ("retype",) and c.value:
            check_label(c.value)
        created = c.created or models.now_iso()
        with self.transaction() as conn:
            taken = keep_id and c.id and conn.execute(
                "SELECT 1 FROM entity_corrections WHERE id=?", (c.id,)).fetchone()
            use_id = c.id if keep_id and c.id and not taken else None
            cur = conn.execute(
                "INSERT INTO entity_corrections (id, kind, name, label, names, article_id, start, end, exact, value,"
                " value_label, created) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (use_id, c.kind, c.name, c.label, json.dumps(list(c.names), ensure_ascii=False), c.article_id,
                 c.start, c.end, c.exact, c.value, c.value_label, created),
            )
            stored = Correction(int(cur.lastrowid or 0), c.kind, c.name, c.label, c.names, c.article_id, c.start,
                                c.end, c.exact, c.value, c.value_label, created)
            if settle:
                self._settle(stored, added=True)
        return stored

    def _article_or_fail(self, article_id: str) -> str:
        text = self.library.articles.plain_text(article_id)
        if text is None:
            raise CorrectionError(f"no article with the id {article_id!r}")
        return text

    def _text_at(self, article_id: str, start: int, end: int) -> str:
        text = self._article_or_fail(article_id)
        if not (0 <= start < end <= len(text)):
            raise CorrectionError(f"article {article_id}: {start}-{end} is outside its text (0-{len(text)})")
        exact = text[start:end]
        if not exact.strip():
            raise CorrectionError(f"article {article_id}: {start}-{end} is only white space")
        return exact

    def _name_known(self, name: str, article_id: str | None) -> bool:
        key = fold(name)
        sql = "SELECT DISTINCT text, norm FROM entity_recognised"
        if article_id:
            rows = self.conn.execute(sql + " WHERE article_id=?", (article_id,))
        else:
            pattern = f"%{_like(clean_name(name))}%"
            rows = self.conn.execute(sql + " WHERE norm LIKE ? ESCAPE '\\' OR text LIKE ? ESCAPE '\\'",
                                     (pattern, pattern))
        return any(fold(r[0]) == key or fold(r[1]) == key for r in rows)
