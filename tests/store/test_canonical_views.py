"""The data behind the entity page, timeline, co-occurrence, network and facets."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from store_articles import paragraph_article

from reader.core.article import Article
from reader.store import Library
from reader.store.entity_views import (
    cooccurring,
    entity_page,
    facet_filter,
    facets,
    network,
    pair_article_ids,
    timeline,
)
from reader.store.models import EntitySpan

NAMES = {"Tony Blair": "PERSON", "Blair": "PERSON", "Gordon Brown": "PERSON", "Labour": "ORG", "London": "PLACE",
         "Paris": "PLACE", "Michael Howard": "PERSON"}


def art(n: int, day: datetime | None, title: str, *paras: str) -> Article:
    return paragraph_article(f"https://example.org/v{n}", title, paras, published=day)


ARTS = [
    art(1, datetime(2005, 1, 3, tzinfo=UTC), "Cabinet", "Tony Blair met Gordon Brown in London.",
        "Later Blair said Labour was united."),
    art(2, datetime(2005, 1, 5, tzinfo=UTC), "Budget", "Gordon Brown spoke.", "Tony Blair listened in London."),
    art(3, datetime(2005, 3, 20, tzinfo=UTC), "Visit", "Tony Blair flew to Paris.", "Michael Howard stayed."),
    art(4, None, "Undated", "Tony Blair, Gordon Brown and Labour."),
]


@pytest.fixture
def lib(tmp_path: Path):  # type: ignore[no-untyped-def]
    with Library.open(tmp_path / "v.db") as library:
        for a in ARTS:
            library.upsert(a)
            text = library.plain_text(a.id) or ""
            spans: list[EntitySpan] = []
            for name in sorted(NAMES, key=len, reverse=True):
                at = text.find(name)
                while at >= 0:
                    if not any(s.start < at + len(name) and at < s.end for s in spans):
                        norm = "Tony Blair" if name == "Blair" else name
                        spans.append(EntitySpan(at, at + len(name), NAMES[name], name, norm))
                    at = text.find(name, at + 1)
            library.set_entities(a.id, spans, backend="test:1", text_hash="x")
        library.add_tag(ARTS[0].id, "politics")
        library.recompute_canonical()
        yield library


def blair(lib: Library) -> str:
    found = lib.find_entity("Blair")
    assert found is not None and found.name == "Tony Blair"
    return found.id


def test_entity_page_snippets_by_article_oldest_first(lib: Library) -> None:
    page = entity_page(lib, blair(lib))
    assert page is not None and page.entity.name == "Tony Blair"
    assert [a.article_id for a in page.articles] == [a.id for a in ARTS]  # by date, undated last
    first = page.articles[0]
    assert [s.text for s in first.snippets] == ["Tony Blair", "Blair"]
    assert first.snippets[1].line == "Later Blair said Labour was united."
    # a snippet is one line, and its offsets open the article at the mention
    second = page.articles[1].snippets[0]
    assert second.line == "Tony Blair listened in London." and second.before == ""
    text = lib.plain_text(ARTS[1].id) or ""
    assert text[second.start:second.end] == "Tony Blair"
    assert page.mention_count == 5
    assert entity_page(lib, "PERSON:nobody") is None


def test_timeline_by_month_and_week_with_article_ids(lib: Library) -> None:
    months = timeline(lib, blair(lib), by="month")
    assert [(b.period, b.mentions, b.articles) for b in months] == [("2005-01", 3, 2), ("2005-02", 0, 0),
                                                                   ("2005-03", 1, 1)]
    assert set(months[0].ids) == {ARTS[0].id, ARTS[1].id}
    assert (months[0].first.isoformat(), months[0].last.isoformat()) == ("2005-01-01", "2005-01-31")
    weeks = timeline(lib, blair(lib), by="week", fill=False)
    assert [b.period for b in weeks] == ["2005-W01", "2005-W11"]
    library_wide = timeline(lib, by="month", fill=False)
    assert [(b.period, b.articles) for b in library_wide] == [("2005-01", 2), ("2005-03", 1)]
    some = timeline(lib, article_ids=[ARTS[2].id], fill=False)
    assert [b.period for b in some] == ["2005-03"]
    with pytest.raises(ValueError, match="'day'"):
        timeline(lib, by="day")


def test_cooccurring_entities_and_the_articles_of_a_pair(lib: Library) -> None:
    pairs = [(e.name, n) for e, n in cooccurring(lib, blair(lib))]
    assert pairs[0] == ("Gordon Brown", 3)
    assert ("London", 2) in pairs and ("Michael Howard", 1) in pairs
    assert [(e.name, n) for e, n in cooccurring(lib, blair(lib), labels=["PLACE"])] == [("London", 2), ("Paris", 1)]
    brown = lib.find_entity("Gordon Brown")
    assert brown is not None
    assert pair_article_ids(lib, blair(lib), brown.id) == [ARTS[1].id, ARTS[0].id, ARTS[3].id]


def test_network_of_a_set_of_articles(lib: Library) -> None:
    net = network(lib, [a.id for a in ARTS[:2]], top=3)
    assert {n.name: n.articles for n in net.nodes} == {"Tony Blair": 2, "Gordon Brown": 2, "London": 2}
    assert all(-1.0 <= n.x <= 1.0 and -1.0 <= n.y <= 1.0 for n in net.nodes)
    assert {(e.weight) for e in net.edges} == {2} and len(net.edges) == 3
    again = network(lib, [a.id for a in ARTS[:2]], top=3)
    assert again == net  # the same picture for the same articles
    everything = network(lib, top=50)
    assert len(everything.nodes) == 6 and network(lib, [], top=5).nodes == ()


def test_facets_of_result_ids_and_the_filters_they_add(lib: Library) -> None:
    counts = facets(lib, [a.id for a in ARTS[:3]])
    assert counts["person"][:2] == [("Tony Blair", 3), ("Gordon Brown", 2)]
    assert counts["place"] == [("London", 2), ("Paris", 1)]
    assert counts["org"] == [("Labour", 1)]
    assert counts["source"] == [("Example News", 3)] and counts["year"] == [("2005", 3)]
    assert counts["tag"] == [("politics", 1)] and counts["section"] == []
    assert facet_filter("person", "Tony Blair") == 'person:"tony blair"'
    assert facet_filter("org", "Labour") == "org:labour" and facet_filter("year", "2005") == "date:2005"
