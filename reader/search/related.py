""""Related articles": more-like-this on distinctive body terms plus shared
named entities, with the reasons each hit was chosen."""

from __future__ import annotations

from collections import Counter
from typing import Any

from whoosh import query as wq

from reader.search.compile import names
from reader.search.model import RelatedHit
from reader.search.schema import ENTITY_FIELD_NAMES, ENTITY_FIELDS, WORD_PATTERN, stem_analyzer
from reader.store.library import Library

KEY_TERMS = 12
MAX_ENTITIES = 24
MAX_REASONS = 6
ENTITY_BOOST = 2.0
_STEM = stem_analyzer()


def _surface_forms(text: str) -> dict[str, str]:
    """stem -> the most frequent word form in ``text`` (to show "defence", not "defend")."""
    forms: dict[str, Counter[str]] = {}
    for match in WORD_PATTERN.finditer(text):
        lower = match.group(0).lower()
        stem = _STEM.word(lower)
        if stem is not None:
            forms.setdefault(stem, Counter())[lower] += 1
    return {stem: counts.most_common(1)[0][0] for stem, counts in forms.items()}


def _entities(library: Library, article_id: str) -> dict[tuple[str, str], str]:
    """(field, lower-case value) -> value as written, for the indexed entity types:
    the article's canonical entities (most mentioned first) once they are computed."""
    out: dict[tuple[str, str], str] = {}
    for entity, _n in library.article_entities(article_id):
        fld = ENTITY_FIELDS.get(entity.label.upper())
        if fld:
            out.setdefault((fld, entity.name.lower()), entity.name)
    if out:
        return out
    for span in library.entities(article_id):
        fld = ENTITY_FIELDS.get(span.label.upper())
        value = (span.norm or span.text).strip()
        if fld and value:
            out.setdefault((fld, value.lower()), value)
    return out


def find_related(searcher: Any, article_id: str, library: Library, limit: int) -> list[RelatedHit]:
    """Up to ``limit`` articles like ``article_id`` (empty if it is unknown)."""
    docs = list(library.index_docs([article_id]))
    if not docs:
        return []
    doc = docs[0]
    text = doc.title + "\n" + doc.body
    key_terms = searcher.key_terms_from_text("body", text, numterms=KEY_TERMS) if text.strip() else []
    clauses: list[Any] = [wq.Term("body", term, boost=max(0.1, float(weight))) for term, weight in key_terms]
    mine = _entities(library, article_id)
    order = {name: i for i, name in enumerate(ENTITY_FIELD_NAMES)}
    entity_list = sorted(mine.items(), key=lambda item: order.get(item[0][0], 99))[:MAX_ENTITIES]
    for (fld, _lower), value in entity_list:
        tokens = names(value)
        if tokens:
            clauses.append(
                wq.Term(fld, tokens[0], boost=ENTITY_BOOST)
                if len(tokens) == 1
                else wq.Phrase(fld, tokens, boost=ENTITY_BOOST)
            )
    if not clauses:
        return []
    results = searcher.search(wq.Or(clauses), limit=limit, mask=wq.Term("id", article_id), terms=True)
    surface = _surface_forms(text)
    out: list[RelatedHit] = []
    for hit in results:
        fields = hit.fields()
        other_id = fields["id"]
        matched = {(f, t.decode("utf-8") if isinstance(t, bytes) else str(t)) for f, t in (hit.matched_terms() or [])}
        theirs = _entities(library, other_id)
        reasons = [f"{fld}: {value}" for (fld, lower), value in entity_list if (fld, lower) in theirs]
        reasons += [f"term: {surface.get(term, term)}" for term, _w in key_terms if ("body", term) in matched]
        out.append(
            RelatedHit(
                id=other_id,
                title=fields.get("title", ""),
                score=float(hit.score or 0.0),
                reasons=tuple(dict.fromkeys(reasons))[:MAX_REASONS],
            )
        )
    return out
