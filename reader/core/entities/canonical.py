"""Canonical entities: one entity per person, organisation or place across the library.

Pure core (no store, no Qt).  The recogniser gives every mention a ``norm``: the
name it stands for *within its article* (the document memory makes ``Blair``
after ``Tony Blair`` carry the norm ``Tony Blair``).  :func:`canonicalise`
links those per-article names across the library:

* people: the same first name and surname are one person (``George W Bush``,
  ``George W. Bush`` and ``George Bush``); a bare surname (``Bush``) joins the
  one person of the library with that surname; when two or more people share it
  (Blair: Tony, Cherie, Mark), the article decides: a full name with that
  surname in the same article, else the article's other entities compared with
  the entities each candidate appears with elsewhere (``Blair`` beside Labour
  and Gordon Brown is Tony Blair); when nothing decides, the surname stays an
  entity of its own, marked ambiguous, with its candidates;
* organisations and places: a small alias table (``Lib Dems`` -> ``Liberal
  Democrats``, ``UN`` -> ``United Nations``, ``Tories`` -> ``Conservative
  Party``), an acronym that spells the initials of exactly one longer name of the
  library (``EU`` -> ``European Union``), and the name without a legal or party
  suffix (``Microsoft Corp`` -> ``Microsoft``, ``Labour Party`` -> ``Labour``);
* other names (events, works, products...) link by their normalised name;
  values (dates, amounts) are no entities and are left out.

API for the store/search/GUI::

    from reader.core.entities.canonical import Mention, canonicalise, mentions_from_spans

    mentions = []
    for article_id, spans in library_entities():          # stored Span rows
        mentions += mentions_from_spans(article_id, spans)
    canon = canonicalise(mentions)
    canon.entities                 # CanonicalEntity tuple, most articles first
    canon.entity_id(article_id, label, norm)   # the entity of a stored span (or None)
    canon.entity(entity_id)        # CanonicalEntity by id
    canon.resolve("blair")         # entities with that name or alias, most articles first
    canon.for_article(article_id)  # entity ids mentioned in the article, with mention counts

``CanonicalEntity.id`` is ``"LABEL:Name"`` and stays the same as long as the
canonical name does (user renames belong to the store, which may keep its own
mapping from ids to names).  The function is deterministic (same input, same
output) and linear in the number of mentions plus, for shared surnames only, the
size of the candidates' co-occurrence profiles.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from reader.core.entities.spans import NAME_LABELS

#: Short forms that no rule can derive: short form -> (canonical name, label).
ALIASES: dict[str, tuple[str, str]] = {
    "Lib Dems": ("Liberal Democrats", "ORG"),
    "Lib Dem": ("Liberal Democrats", "ORG"),
    "Lib-Dems": ("Liberal Democrats", "ORG"),
    "LibDems": ("Liberal Democrats", "ORG"),
    "Liberal Democrat": ("Liberal Democrats", "ORG"),
    "Liberal Democrat Party": ("Liberal Democrats", "ORG"),
    "Tories": ("Conservative Party", "ORG"),
    "Tory": ("Conservative Party", "ORG"),
    "Tory Party": ("Conservative Party", "ORG"),
    "Conservatives": ("Conservative Party", "ORG"),
    "Labour Party": ("Labour", "ORG"),
    "UN": ("United Nations", "ORG"),
    "U.N.": ("United Nations", "ORG"),
    "EU": ("European Union", "ORG"),
    "Nato": ("NATO", "ORG"),
    "US": ("United States", "PLACE"),
    "U.S.": ("United States", "PLACE"),
    "USA": ("United States", "PLACE"),
    "America": ("United States", "PLACE"),
    "UK": ("United Kingdom", "PLACE"),
    "U.K.": ("United Kingdom", "PLACE"),
    "Britain": ("United Kingdom", "PLACE"),
    "Great Britain": ("United Kingdom", "PLACE"),
    "No 10": ("Downing Street", "FACILITY"),
    "Number 10": ("Downing Street", "FACILITY"),
}
#: Labels whose names link to each other (a party is ORG or NORP depending on use).
_LABEL_CLASS = {"NORP": "ORG"}
_LEGAL_SUFFIX = re.compile(
    r"(?:,?\s+(?:Inc|Ltd|Plc|PLC|plc|Corp|Corporation|Co|Company|Group|Holdings|AG|SA|NV|N\.V|LLC|GmbH|Party|party))\.?$"
)
_HONORIFICS = frozenset(
    "Mr Mrs Ms Miss Dr Sir Dame Lord Lady Prof Professor President Chancellor Exchequer Minister Secretary".split()
)
_INITIALS_SKIP = frozenset({"of", "the", "and", "for", "&", "de", "du", "des", "la", "le", "on", "in"})
#: How many times likelier the best candidate of a shared surname must be than the next.
CONTEXT_MARGIN = 3.0
#: Weight of a candidate's own co-occurrences against the library's entity
#: frequencies (Jelinek-Mercer smoothing: an entity never seen with any candidate
#: counts the same for all of them).
CONTEXT_WEIGHT = 0.5


@dataclass(frozen=True)
class Mention:
    """One name as an article uses it: ``text`` is the surface form, ``norm`` the
    name it stands for in the article (the document memory), ``count`` how often."""

    article_id: str
    label: str
    text: str
    norm: str
    count: int = 1


@dataclass(frozen=True)
class CanonicalEntity:
    """An entity of the library: its canonical ``name``, ``label``, the other names
    it goes by (``aliases``, most used first), the articles that mention it and the
    number of mentions.  ``ambiguous`` marks a bare surname no context decided;
    ``candidates`` are then the ids of the people it may be."""

    id: str
    name: str
    label: str
    aliases: tuple[str, ...]
    articles: frozenset[str]
    mentions: int
    ambiguous: bool = False
    candidates: tuple[str, ...] = ()

    @property
    def article_count(self) -> int:
        return len(self.articles)


@dataclass(frozen=True)
class Canonical:
    """The result of :func:`canonicalise` (see the module docstring)."""

    entities: tuple[CanonicalEntity, ...]
    links: Mapping[tuple[str, str, str], str]
    _by_id: Mapping[str, CanonicalEntity] = field(repr=False, default_factory=dict)
    _by_name: Mapping[str, tuple[str, ...]] = field(repr=False, default_factory=dict)
    _by_article: dict[str, Counter[str]] = field(repr=False, default_factory=dict, compare=False)

    def entity(self, entity_id: str) -> CanonicalEntity | None:
        """The entity with this id, or ``None``."""
        return self._by_id.get(entity_id)

    def entity_id(self, article_id: str, label: str, norm: str) -> str | None:
        """The id of the entity a stored span (its article, label and norm) belongs to."""
        return self.links.get((article_id, label, norm))

    def resolve(self, name: str, label: str | None = None) -> list[CanonicalEntity]:
        """Entities whose name or an alias is ``name`` (case-insensitive), most articles first."""
        ids = self._by_name.get(_fold(name), ())
        found = [self._by_id[i] for i in ids if label is None or self._by_id[i].label == label]
        return sorted(found, key=lambda e: (e.ambiguous, -e.article_count, e.id))

    def for_article(self, article_id: str) -> dict[str, int]:
        """Entity id -> number of the article's distinct names linked to it."""
        if not self._by_article:
            index: dict[str, Counter[str]] = defaultdict(Counter)
            for (aid, _label, _norm), eid in self.links.items():
                index[aid][eid] += 1
            self._by_article.update(index)
        return dict(self._by_article.get(article_id, {}))


def mentions_from_spans(article_id: str, spans: Iterable[object]) -> list[Mention]:
    """Aggregate one article's spans (anything with ``label``, ``text`` and ``norm``)
    into :class:`Mention` objects with counts."""
    counts: Counter[tuple[str, str, str]] = Counter()
    for span in spans:
        counts[(span.label, span.text, span.norm)] += 1  # type: ignore[attr-defined]
    return [Mention(article_id, label, text, norm, n) for (label, text, norm), n in counts.items()]


@lru_cache(maxsize=65536)
def clean_name(name: str) -> str:
    """A name as the entity lists show it: spaces collapsed, no leading title or
    punctuation, no dots after initials (``George W. Bush`` -> ``George W Bush``)."""
    name = re.sub(r"\s+", " ", name).strip(" -–—•*:;,.'\"“”‘’")
    words = name.split(" ")
    while len(words) > 1 and words[0].rstrip(".") in _HONORIFICS:
        words = words[1:]
    words = [w[:-1] if len(w) == 2 and w[1] == "." and w[0].isupper() else w for w in words]
    return " ".join(words)


def _fold(name: str) -> str:
    return clean_name(name).casefold()


def _org_key(name: str) -> str:
    base = _LEGAL_SUFFIX.sub("", name).strip()
    return (base or name).casefold()


@lru_cache(maxsize=65536)
def _initials(name: str) -> str:
    if "," in name:
        return ""
    words = [w for w in re.split(r"[\s-]+", name) if w and w.lower() not in _INITIALS_SKIP]
    return "".join(w[0] for w in words if w[0].isupper()) if len(words) > 1 else ""


class _Group:
    """Mentions gathered under one canonical entity while linking."""

    def __init__(self, key: str, label: str) -> None:
        self.key = key
        self.label = label
        self.names: Counter[str] = Counter()  # full-name forms, by articles
        self.aliases: Counter[str] = Counter()
        self.labels: Counter[str] = Counter()
        self.articles: set[str] = set()
        self.mentions = 0
        self.fixed_name: str | None = None
        self.ambiguous = False
        self.candidates: tuple[str, ...] = ()

    def add(self, m: Mention, name: str, naming: bool = True) -> None:
        """Count ``m`` in; ``naming``: ``name`` may become the entity's name."""
        if naming and (m.article_id not in self.articles or not self.names):
            self.names[name] += 1
        self.articles.add(m.article_id)
        self.aliases[clean_name(m.text)] += m.count
        self.aliases[name] += 0
        self.labels[m.label] += m.count
        self.mentions += m.count

    def name(self) -> str:
        if self.fixed_name:
            return self.fixed_name
        return max(self.names.items(), key=lambda kv: (kv[1], len(kv[0]), kv[0]))[0]


def canonicalise(mentions: Iterable[Mention], aliases: Mapping[str, tuple[str, str]] = ALIASES) -> Canonical:
    """Link the library's mentions to canonical entities (see the module docstring)."""
    mentions = [m for m in mentions if m.label in NAME_LABELS and clean_name(m.norm)]
    # a canonical name of the table is its own alias: "Liberal Democrats" (NORP or ORG)
    aliases = {**{target: (target, label) for target, label in aliases.values()}, **aliases}
    groups: dict[str, _Group] = {}
    links: dict[tuple[str, str, str], str] = {}

    def group(key: str, label: str) -> _Group:
        g = groups.get(key)
        if g is None:
            g = groups[key] = _Group(key, label)
        return g

    # 1. full names of people, and every non-person name
    people_by_surname: dict[str, set[str]] = defaultdict(set)
    bare: list[Mention] = []
    others: list[Mention] = []
    for m in mentions:
        name = clean_name(m.norm)
        if m.label == "PERSON":
            words = name.split(" ")
            if len(words) == 1:
                bare.append(m)
                continue
            key = f"PERSON:{words[0].casefold()} {words[-1].casefold()}"
            group(key, "PERSON").add(m, name)
            people_by_surname[words[-1].casefold()].add(key)
            links[(m.article_id, m.label, m.norm)] = key
        else:
            others.append(m)

    # 2. organisations, places and the rest: alias table, suffixes, then acronyms
    acronym_mentions: list[Mention] = []
    initials: dict[tuple[str, str], set[str]] = defaultdict(set)
    for m in others:
        name = clean_name(m.norm)
        label = _LABEL_CLASS.get(m.label, m.label)
        if name in aliases:
            target, label = aliases[name]
            key = f"{label}:{_org_key(target)}"
            g = group(key, label)
            g.fixed_name = target
            g.add(m, target)
            links[(m.article_id, m.label, m.norm)] = key
            continue
        if m.label == "NORP":
            label = "NORP"  # a nationality stays one; only listed parties join organisations
        if name.isupper() and 2 <= len(name) <= 6 and name.isalpha():
            acronym_mentions.append(m)
            continue
        key = f"{label}:{_org_key(name) if label in ('ORG', 'PLACE', 'FACILITY') else name.casefold()}"
        group(key, label).add(m, name)
        links[(m.article_id, m.label, m.norm)] = key
        spelled = _initials(name)
        if len(spelled) >= 2:
            initials[(label, spelled)].add(key)
    by_acronym: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    for m in acronym_mentions:
        label = "NORP" if m.label == "NORP" else _LABEL_CLASS.get(m.label, m.label)
        by_acronym[(label, clean_name(m.norm))].append(m)
    for (label, name), group_mentions in sorted(by_acronym.items()):
        # a known short form: the initials of exactly one longer name that an article
        # of the library uses together with it ("the Crown Prosecution Service (CPS)")
        used = {m.article_id for m in group_mentions}
        expansions = [k for k in sorted(initials.get((label, name), ())) if used & groups[k].articles]
        if len(expansions) == 1:
            key = expansions[0]
            groups[key].fixed_name = groups[key].fixed_name or groups[key].name()
        else:
            key = f"{label}:{name.casefold()}"
        for m in group_mentions:
            group(key, label).add(m, name)
            links[(m.article_id, m.label, m.norm)] = key

    # 3. bare surnames: the article decides, else the one person of the library
    by_article: dict[str, set[str]] = defaultdict(set)
    for (aid, _label, _norm), key in links.items():
        by_article[aid].add(key)
    profiles: dict[str, Counter[str]] = {}
    df: Counter[str] = Counter()
    for keys in by_article.values():
        df.update(keys)
    total = max(1, len(by_article))

    # the articles that name each person in full (bare surnames linked below never
    # change them, so the result does not depend on the order of the mentions)
    named_in = {k: frozenset(g.articles) for k, g in groups.items() if k.startswith("PERSON:")}

    def profile(key: str) -> Counter[str]:
        if key not in profiles:
            prof: Counter[str] = Counter()
            for aid in named_in[key]:
                prof.update(by_article.get(aid, ()))
            prof.pop(key, None)
            profiles[key] = prof
        return profiles[key]

    def context_choice(aid: str, candidates: Sequence[str]) -> str | None:
        """Naive Bayes over the article's other entities: P(candidate) from its
        articles, P(entity | candidate) from the articles it appears in, mixed
        with the entity's library frequency.  Decides only on a clear margin and
        when some entity of the article speaks for the winner."""
        context = [k for k in by_article.get(aid, ()) if not k.startswith("PERSON:") or k not in candidates]
        scored = []
        for c in candidates:
            prof = profile(c)
            n = len(named_in[c])
            score = math.log(n)
            evidence = 0
            for k in context:
                p = df[k] / total
                score += math.log(CONTEXT_WEIGHT * prof[k] / n + (1 - CONTEXT_WEIGHT) * p)
                evidence += prof[k] > 0 and p < 0.5
            scored.append((score, evidence, c))
        scored.sort(reverse=True)
        best, evidence, choice = scored[0]
        second = scored[1][0] if len(scored) > 1 else -math.inf
        if evidence and best - second >= math.log(CONTEXT_MARGIN):
            return choice
        return None

    for m in bare:
        name = clean_name(m.norm)
        surname = name.casefold()
        candidates = sorted(people_by_surname.get(surname, ()))
        in_article = [c for c in candidates if m.article_id in named_in[c]]
        chosen: str | None = None
        if len(in_article) == 1:
            chosen = in_article[0]
        elif len(candidates) == 1 and not in_article:
            chosen = candidates[0]
        elif len(candidates) > 1:
            chosen = context_choice(m.article_id, in_article or candidates)
        if chosen is None:
            chosen = f"PERSON:{surname}"
            g = group(chosen, "PERSON")
            if len(candidates) > 1:
                g.ambiguous = True
                g.candidates = tuple(candidates)
        group(chosen, "PERSON").add(m, name, naming=chosen == f"PERSON:{surname}")
        links[(m.article_id, m.label, m.norm)] = chosen

    # 4. the entities
    entities: list[CanonicalEntity] = []
    for key, g in groups.items():
        name = g.name()
        label = g.labels.most_common(1)[0][0] if g.label != "PERSON" else "PERSON"
        label = _LABEL_CLASS.get(label, label) if g.fixed_name else label
        alias_list = tuple(
            a for a, _ in sorted(g.aliases.items(), key=lambda kv: (-kv[1], kv[0])) if a and a != name
        )
        entities.append(
            CanonicalEntity(
                id=key, name=name, label=label, aliases=alias_list, articles=frozenset(g.articles),
                mentions=g.mentions, ambiguous=g.ambiguous, candidates=g.candidates,
            )
        )
    entities.sort(key=lambda e: (-e.article_count, e.id))
    by_id = {e.id: e for e in entities}
    by_name: dict[str, list[str]] = defaultdict(list)
    for e in entities:
        for n in {_fold(e.name), *(_fold(a) for a in e.aliases)}:
            by_name[n].append(e.id)
    return Canonical(tuple(entities), links, by_id, {k: tuple(v) for k, v in by_name.items()})
