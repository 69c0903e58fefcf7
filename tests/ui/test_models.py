"""Every model passes pytest-qt's qtmodeltester."""

from __future__ import annotations

from datetime import datetime

from ui_fixtures import entity_spans, make_article

from reader.search import Hit, RelatedHit
from reader.store import Library
from reader.ui.models.article_list import COL_STAR, COL_TITLE, ArticleListModel
from reader.ui.models.entities import ArticleEntitiesModel, TopEntitiesModel
from reader.ui.models.related import CHIPS_ROLE, RelatedModel
from reader.ui.models.search_results import SearchResultsModel


def test_article_list_model(qtmodeltester, filled_library: Library) -> None:
    model = ArticleListModel(filled_library)
    qtmodeltester.check(model)
    model.set_ids(filled_library.ids())
    qtmodeltester.check(model)
    assert model.rowCount() == 12
    assert model.index(0, COL_TITLE).data() == "Article number 11 about NATO and Berlin"
    assert model.index(0, COL_STAR).data() == "☆"
    filled_library.set_bookmark(model.id_at(0), True)
    model.refresh_ids([model.id_at(0)])
    assert model.index(0, COL_STAR).data() == "★"
    model.remove_ids([model.id_at(3)])
    assert model.rowCount() == 11
    qtmodeltester.check(model)


def test_article_list_lazy_pages(filled_library: Library) -> None:
    model = ArticleListModel(filled_library)
    model.set_ids(filled_library.ids())
    assert model.fetches == 0
    model.index(5, COL_TITLE).data()
    model.index(6, COL_TITLE).data()
    assert model.fetches == 1


def test_entity_models(qtmodeltester) -> None:
    art = make_article(0)
    model = ArticleEntitiesModel()
    qtmodeltester.check(model)
    model.set_spans(entity_spans(art))
    qtmodeltester.check(model)
    assert model.labels()[:3] == ["PERSON", "ORG", "PLACE"]
    top = TopEntitiesModel()
    top.set_rows([("PERSON", "Jens Stoltenberg", 3), ("ORG", "NATO", 2)])
    qtmodeltester.check(top)


def test_results_and_related_models(qtmodeltester) -> None:
    results = SearchResultsModel()
    qtmodeltester.check(results)
    results.set_hits("nato", [Hit("a", "Title", "dw", datetime(2024, 1, 2), 1.0, "<b>NATO</b> x")], 1)
    qtmodeltester.check(results)
    related = RelatedModel()
    related.set_hits([RelatedHit("a", "Title", 0.5, ("shares NATO",))])
    qtmodeltester.check(related)
    assert related.index(0, 0).data() == "Title"  # the reasons are chips (issue 17)
    assert related.index(0, 0).data(CHIPS_ROLE) == [("term", "shares NATO")]
