"""``is:undated``: articles without a publication date (plain-text corpora, pages without dates)."""

from __future__ import annotations

from datetime import datetime

from reader.search import SearchIndex
from reader.store.library import Library
from tests.search.conftest import make_article


def test_is_undated_finds_articles_without_a_date(index: SearchIndex, lib: Library, ids_of) -> None:
    assert ids_of(index, "is:undated", lib) == ["tech"]
    assert set(ids_of(index, "-is:undated", lib)) == {"nato24", "nato23", "budget", "football"}
    assert ids_of(index, "phone is:undated", lib) == ["tech"]
    assert ids_of(index, "nato is:undated", lib) == []
    assert set(ids_of(index, "is:undated OR date:2023", lib)) == {"tech", "nato23", "budget"}


def test_is_undated_follows_the_library(index: SearchIndex, lib: Library, ids_of) -> None:
    lib.upsert(make_article("memo", "Undated memo", "A memo without any date on it."))
    lib.upsert(make_article("dated", "Dated memo", "A memo with a date.", published=datetime(2001, 2, 3)))
    index.refresh(lib.path)
    assert set(ids_of(index, "is:undated", lib)) == {"tech", "memo"}
    assert "dated" in ids_of(index, "date:2001", lib)


def test_an_index_of_only_undated_articles(tmp_path, ids_of) -> None:
    lib = Library.open(tmp_path / "only.sqlite")
    lib.upsert(make_article("a", "First note", "Nothing dated here."))
    lib.upsert(make_article("b", "Second note", "Nor here."))
    index = SearchIndex(tmp_path / "ix")
    index.refresh(lib.path)
    assert set(ids_of(index, "is:undated", lib)) == {"a", "b"}
    assert ids_of(index, "-is:undated", lib) == []
    lib.close()


def test_undated_articles_sort_last(lib: Library) -> None:
    ids = lib.ids("date")
    assert ids[-1] == "tech"
    assert ids[:-1] == ["nato24", "budget", "nato23", "football"]
