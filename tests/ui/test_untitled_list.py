"""An untitled DW page (no headline in the scrape, issue 15) in the article list."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from reader.core.ingest import load_file
from reader.store import Library
from reader.ui.models.article_list import COL_TITLE, ArticleListModel

CORPUS = Path(__file__).resolve().parents[1] / "core" / "dw_real"


def test_untitled_page_shows_as_untitled_with_source_and_date(qtmodeltester, library: Library) -> None:
    untitled = load_file(next(CORPUS.glob("014_*.txt")))  # banner, cookie text and teasers only
    titled = load_file(next(CORPUS.glob("048_*.txt")))
    library.upsert(untitled)
    library.upsert(titled)
    model = ArticleListModel(library)
    model.set_ids(library.ids())
    qtmodeltester.check(model)
    shown = {model.index(row, COL_TITLE).data() for row in range(model.rowCount())}
    assert shown == {"Untitled — DW, April 15, 2022", "Germany: The far right on the rise"}
    row = next(r for r in range(model.rowCount()) if model.id_at(r) == untitled.id)
    assert model.index(row, COL_TITLE).data(Qt.ItemDataRole.ToolTipRole) == "Untitled — DW, April 15, 2022"


def test_list_filter_finds_the_untitled_page_by_what_the_list_shows(library: Library) -> None:
    from reader.ui.list_query import ListQuery, compute_ids

    untitled = load_file(next(CORPUS.glob("014_*.txt")))
    titled = load_file(next(CORPUS.glob("048_*.txt")))
    library.upsert(untitled)
    library.upsert(titled)
    assert compute_ids(library, ListQuery(text="untitled")) == [untitled.id]
    assert compute_ids(library, ListQuery(text="far right")) == [titled.id]
