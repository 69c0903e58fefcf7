"""Canonical entities in the library: one entity per person across articles,
counted by the entity lists and the panel, searched by person:/org:/place:."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from store_articles import paragraph_article

from reader.core.article import Article
from reader.search import SearchIndex
from reader.store import Library
from reader.store.models import EntitySpan

NAMES = {"Tony Blair": "PERSON", "Mark Blair": "PERSON", "Blair": "PERSON", "Gordon Brown": "PERSON",
         "Brown": "PERSON", "Labour": "ORG", "Lib Dems": "ORG", "Liberal Democrats": "ORG", "Celtic": "ORG",
         "Glasgow": "PLACE", "London": "PLACE"}


def art(n: int, title: str, *paras: str) -> Article:
    return paragraph_article(f"https://example.org/c{n}", title, paras,
                             published=datetime(2005, 1 + n % 12, 1 + n, tzinfo=UTC))


def recognise(lib: Library, aid: str) -> None:
    """Spans for every NAMES entry, longest first (as a recogniser with document memory would:
    a bare surname after the full name carries the full name as its norm)."""
    text = lib.plain_text(aid) or ""
    spans: list[EntitySpan] = []
    for name in sorted(NAMES, key=len, reverse=True):
        at = text.find(name)
        while at >= 0:
            end = at + len(name)
            if not any(s.start < end and at < s.end for s in spans) and (end == len(text) or not text[end].isalpha()):
                spans.append(EntitySpan(at, end, NAMES[name], name, name))
            at = text.find(name, at + 1)
    full = {s.text.split()[-1]: s.text for s in spans if " " in s.text and s.label == "PERSON"}
    spans = [EntitySpan(s.start, s.end, s.label, s.text, full.get(s.text, s.norm)) for s in spans]
    lib.set_entities(aid, spans, backend="test:1", text_hash="x")


ARTICLES = [
    art(1, "Blair sets election date", "Tony Blair said Labour would win.", "Blair spoke in London.",
        "Gordon Brown agreed. Blair smiled. Blair left."),
    art(2, "Budget day", "Gordon Brown presented the budget.", "Brown said Labour kept its promises.",
        "Tony Blair was in London."),
    art(3, "Schools plan", "The Lib Dems opposed the plan.", "A Labour aide quoted Blair once."),
    art(4, "Celtic win", "Mark Blair scored for Celtic in Glasgow.", "Blair was man of the match."),
    art(5, "Party conference", "The Liberal Democrats met in London."),
]


def build(tmp_path: Path) -> Path:
    path = tmp_path / "lib.db"
    with Library.open(path) as lib:
        for a in ARTICLES:
            lib.upsert(a)
            recognise(lib, a.id)
        lib.recompute_canonical()
    return path


def test_one_entity_per_person_and_a_shared_surname_left_to_the_article(tmp_path: Path) -> None:
    with Library.open(build(tmp_path)) as lib:
        tony, mark = lib.find_entity("Tony Blair"), lib.find_entity("Mark Blair")
        assert tony is not None and mark is not None and tony.id != mark.id
        assert set(lib.entity_article_ids(tony.id)) == {ARTICLES[0].id, ARTICLES[1].id}
        assert lib.entity_article_ids(mark.id) == [ARTICLES[3].id]
        # "Blair" alone in article 3: two Blairs in the library, the article does not say which
        bare = lib.entity_of_span(ARTICLES[2].id, "PERSON", "Blair")
        assert bare is not None and bare.ambiguous and bare.id not in (tony.id, mark.id)
        libdems = lib.find_entity("Lib Dems")
        assert libdems is not None and libdems.name == "Liberal Democrats" and libdems.articles == 2
        # the entity lists count canonical entities
        top = lib.top_entities(["PERSON"])
        assert ("PERSON", "Tony Blair", 2) in top and ("PERSON", "Gordon Brown", 2) in top
        assert all(name != "Brown" for _, name, _ in top)
        assert set(lib.ids_with_entity("ORG", "Liberal Democrats")) == {ARTICLES[2].id, ARTICLES[4].id}
        assert [e.name for e in lib.canonical_entities(["PLACE"])] == ["London", "Glasgow"]


def test_the_entity_panel_gets_canonical_entities_with_mention_counts(tmp_path: Path) -> None:
    with Library.open(build(tmp_path)) as lib:
        panel = [(e.name, n) for e, n in lib.article_entities(ARTICLES[0].id)]
        assert panel[0] == ("Tony Blair", 5)  # "Tony Blair" + four "Blair" (one in the title)
        assert ("Gordon Brown", 1) in panel and ("Labour", 1) in panel


def test_person_search_finds_canonical_names_and_ranks_where_he_matters(tmp_path: Path) -> None:
    path = build(tmp_path)
    index = SearchIndex(tmp_path / "index")
    index.refresh(path)
    with Library.open(path) as lib:
        hits = [h.id for h in index.search("person:blair", lib).hits]
        # article 2 calls him only "Tony Blair" once; article 1 is about him (title, lede, four mentions)
        assert hits[0] == ARTICLES[0].id
        assert hits.index(ARTICLES[0].id) < hits.index(ARTICLES[1].id)
        assert set(hits) == {a.id for a in ARTICLES[:4]}
        # the canonical name finds every article that links to him, whatever it calls him
        assert {h.id for h in index.search('person:"tony blair"', lib).hits} == {ARTICLES[0].id, ARTICLES[1].id}
        assert {h.id for h in index.search('org:"liberal democrats"', lib).hits} == {ARTICLES[2].id, ARTICLES[4].id}
        # related articles share canonical entities: article 2 calls him "Tony Blair", article 1 "Blair" too
        related = {r.id: r.reasons for r in index.related(ARTICLES[1].id, lib)}
        assert "person: Tony Blair" in related[ARTICLES[0].id]
        assert ARTICLES[3].id not in related or "person: Tony Blair" not in related[ARTICLES[3].id]
        # a rename reaches the index on its next refresh
        lib.rename_entity("Tony Blair", "Anthony Blair")
    index.refresh(path)
    with Library.open(path) as lib:
        assert {h.id for h in index.search('person:anthony', lib).hits} == {ARTICLES[0].id, ARTICLES[1].id}


def test_recompute_marks_only_articles_whose_names_changed(tmp_path: Path) -> None:
    with Library.open(build(tmp_path)) as lib:
        before = lib.index_versions()
        lib.recompute_canonical()
        assert lib.index_versions() == before
        lib.merge_entities("Celtic", "Labour")
        after = lib.index_versions()
        changed = {aid for aid in before if before[aid] != after[aid]}
        assert changed == {ARTICLES[3].id}  # Celtic's only article (Labour keeps its name)
