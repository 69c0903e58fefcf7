"""Every query form of HELP.md against a small library."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from reader.search import QUERY_HELP, Hit, SearchIndex, SearchResult
from reader.store.library import Library


def test_plain_words_are_anded(index: SearchIndex, lib: Library, ids_of) -> None:
    assert set(ids_of(index, "nato stoltenberg", lib)) == {"nato24", "nato23"}
    assert ids_of(index, "nato patriot", lib) == ["nato24"]
    assert ids_of(index, "nato chelsea", lib) == []


def test_case_and_title_boost(index: SearchIndex, lib: Library, ids_of) -> None:
    # "government" is in the budget title and body; nowhere else
    assert ids_of(index, "GOVERNMENT", lib) == ["budget"]


@pytest.mark.parametrize("query", ["defend", "defense", "defence", "defended", "defending"])
def test_stemming_conflates_defend_and_defense(index: SearchIndex, lib: Library, ids_of, query: str) -> None:
    found = set(ids_of(index, query, lib))
    assert {"nato24", "nato23"} <= found  # "defense systems" and "to defend"
    assert "football" in found  # "defenders"


def test_phrase(index: SearchIndex, lib: Library, ids_of) -> None:
    assert ids_of(index, '"rock solid"', lib) == ["nato24"]
    assert ids_of(index, '"solid rock"', lib) == []
    assert ids_of(index, '"air defence systems"', lib) == ["nato24"]


def test_or_not_and_parentheses(index: SearchIndex, lib: Library, ids_of) -> None:
    assert set(ids_of(index, "chelsea OR budget", lib)) == {"football", "budget"}
    assert ids_of(index, "nato -patriot", lib) == ["nato23"]
    assert ids_of(index, "nato NOT patriot", lib) == ["nato23"]
    assert ids_of(index, 'nato -"rock solid"', lib) == ["nato23"]
    assert set(ids_of(index, "(chelsea OR phone) BBC", lib)) == {"football", "tech"}
    assert set(ids_of(index, "-nato", lib)) == {"budget", "football", "tech"}
    # lower-case "or" is a (stop) word, not an operator
    assert ids_of(index, "chelsea or budget", lib) == []


def test_prefix_uses_unstemmed_words(index: SearchIndex, lib: Library, ids_of) -> None:
    # "education"/"educational" stem to "educ": a stemmed prefix "educat" would miss them
    assert set(ids_of(index, "educat*", lib)) == {"football", "tech"}
    assert set(ids_of(index, "stolt*", lib)) == {"nato24", "nato23"}
    assert ids_of(index, "zzz*", lib) == []


def test_fuzzy_uses_unstemmed_words(index: SearchIndex, lib: Library, ids_of) -> None:
    assert ids_of(index, "goverment~", lib) == ["budget"]
    assert ids_of(index, "goverment~1", lib) == ["budget"]
    assert set(ids_of(index, "stoltenbreg~", lib)) == {"nato24", "nato23"}
    assert ids_of(index, "goverment", lib) == []


def test_field_filters(index: SearchIndex, lib: Library, ids_of) -> None:
    assert ids_of(index, "title:summit", lib) == ["nato24"]
    assert ids_of(index, "title:stoltenberg", lib) == []
    assert ids_of(index, 'title:"foreign ministers"', lib) == ["nato24"]
    assert set(ids_of(index, "title:(chelsea OR phone)", lib)) == {"football", "tech"}
    assert ids_of(index, "author:smith", lib) == ["nato24"]
    assert ids_of(index, 'author:"ben jones"', lib) == ["nato23"]
    assert set(ids_of(index, "source:bbc", lib)) == {"budget", "football", "tech"}
    assert ids_of(index, "section:sport", lib) == ["football"]
    assert set(ids_of(index, "person:stoltenberg", lib)) == {"nato24", "nato23"}
    assert ids_of(index, "person:blinken", lib) == ["nato24"]
    assert ids_of(index, 'person:"antony blinken"', lib) == ["nato24"]
    assert set(ids_of(index, "org:nato", lib)) == {"nato24", "nato23"}
    assert ids_of(index, "org:treasury", lib) == ["budget"]
    assert ids_of(index, "place:kyiv", lib) == ["nato24"]
    assert ids_of(index, "place:ukraine", lib) == ["nato23"]  # GPE is indexed as place
    assert ids_of(index, "tag:football", lib) == ["football"]
    assert ids_of(index, 'tag:"follow up"', lib) == ["football"]
    assert ids_of(index, "person:stolt*", lib) != []
    assert set(ids_of(index, "person:stoltenbreg~", lib)) == {"nato24", "nato23"}


def test_acceptance_person_and_year(index: SearchIndex, lib: Library, ids_of) -> None:
    assert ids_of(index, "person:stoltenberg date:2023", lib) == ["nato23"]
    assert ids_of(index, "patriot", lib) == ["nato24"]


def test_date_ranges(index: SearchIndex, lib: Library, ids_of) -> None:
    assert ids_of(index, "date:2024-04", lib) == ["nato24"]
    assert ids_of(index, "date:2024-04-04", lib) == ["nato24"]
    assert ids_of(index, "date:2024-04-05", lib) == []
    assert set(ids_of(index, "date:2023", lib)) == {"nato23", "budget"}
    assert set(ids_of(index, "date:2023..2024-06-30", lib)) == {"nato23", "budget", "nato24"}
    assert set(ids_of(index, "date:2022..2023-06", lib)) == {"football", "nato23"}
    assert set(ids_of(index, "date:..2022", lib)) == {"football"}
    assert set(ids_of(index, "date:2023-07..", lib)) == {"budget", "nato24"}
    assert set(ids_of(index, "after:2024-01-01", lib)) == {"nato24"}
    assert set(ids_of(index, "after:2023-06-16", lib)) == {"nato23", "budget", "nato24"}
    assert set(ids_of(index, "before:2023-06", lib)) == {"football"}
    assert set(ids_of(index, "nato after:2023 before:2024", lib)) == {"nato23"}


def test_bad_date_is_explained_and_rest_searched(index: SearchIndex, lib: Library) -> None:
    result = index.search("nato date:yesterday", lib)
    assert result.error and "date" in result.error
    assert {h.id for h in result.hits} == {"nato24", "nato23"}
    assert index.search("date:2024-13", lib).error


def test_bookmarks_and_notes_reach_the_index(index: SearchIndex, lib: Library, ids_of) -> None:
    assert ids_of(index, "is:bookmarked", lib) == []
    assert ids_of(index, "has:notes", lib) == []
    lib.set_bookmark("budget", True)
    lib.annotate_quote("football", "clean sheet", note="Remember the goalkeeper")
    lib.add_tag("tech", "gadgets")
    index.update_docs(lib.index_docs(["budget", "football", "tech"]))
    assert ids_of(index, "is:bookmarked", lib) == ["budget"]
    assert ids_of(index, "has:notes", lib) == ["football"]
    assert ids_of(index, "goalkeeper", lib) == ["football"]  # note text is searchable
    assert ids_of(index, "notes:goalkeeper", lib) == ["football"]
    assert ids_of(index, "tag:gadgets", lib) == ["tech"]
    assert set(ids_of(index, "-is:bookmarked", lib)) == {"nato24", "nato23", "football", "tech"}
    assert ids_of(index, "is:bookmarked has:notes", lib) == []
    lib.set_bookmark("budget", False)
    index.update_docs(lib.index_docs(["budget"]))
    assert ids_of(index, "is:bookmarked", lib) == []
    # the refresh after those updates has nothing left to do
    stats = index.refresh(lib.path)
    assert (stats.added, stats.updated, stats.deleted, stats.rebuilt) == (0, 0, 0, False)


def test_delete_docs(index: SearchIndex, lib: Library, ids_of) -> None:
    index.delete_docs(["budget"])
    assert ids_of(index, "government", lib) == []
    assert index.doc_count() == 4


def test_suggestion(index: SearchIndex, lib: Library) -> None:
    result = index.search("stoltenbreg", lib)
    assert result.total == 0 and result.suggestion == "stoltenberg"
    result = index.search("nato goverment", lib)
    assert result.suggestion == "nato government"
    assert index.search("stoltenberg", lib).suggestion is None
    assert index.search("xqzwv", lib).suggestion is None


def test_sort_by_date_and_limit(index: SearchIndex, lib: Library) -> None:
    result = index.search("the -zzz", lib, sort="date")
    dates = [h.published for h in result.hits]
    assert [d for d in dates if d is not None] == sorted([d for d in dates if d is not None],
                                                         key=lambda d: d.replace(tzinfo=None), reverse=True)
    limited = index.search("nato OR bbc", lib, limit=2)
    assert len(limited.hits) == 2 and limited.total == 5


def test_hits_are_plain_data(index: SearchIndex, lib: Library) -> None:
    result = index.search("patriot", lib)
    assert isinstance(result, SearchResult)
    (hit,) = result.hits
    assert isinstance(hit, Hit)
    assert hit.title.startswith("NATO stresses unity")
    assert hit.source == "DW"
    assert hit.published == datetime(2024, 4, 4, 12, 30, tzinfo=UTC)
    assert hit.score > 0
    assert "<b>Patriot</b>" in hit.snippet


def test_snippet_escapes_article_text(index: SearchIndex, lib: Library) -> None:
    (hit,) = index.search("reckless", lib).hits
    assert "&lt;b&gt;<b>reckless</b>&lt;/b&gt; &amp; unfunded" in hit.snippet
    assert "<b>" not in hit.snippet.replace("<b>reckless</b>", "")


def test_match_spans(index: SearchIndex, lib: Library) -> None:
    text = lib.plain_text("nato24") or ""
    marked = [text[a:b] for a, b in index.match_spans('defend "rock solid" stolt* kyev~ -nato', text)]
    assert "defense" in marked
    assert "rock-solid" in marked
    assert "Stoltenberg" in marked
    assert "Kyiv" in marked
    assert "NATO" not in marked  # negated words are not highlighted
    assert index.match_spans("", text) == []
    assert index.match_spans("author:smith", "By Anna Smith.") == [(8, 13)]


def test_related(index: SearchIndex, lib: Library) -> None:
    related = index.related("nato24", lib)
    assert related and related[0].id == "nato23"
    assert "person: Jens Stoltenberg" in related[0].reasons
    assert any(r.startswith("term: ") for r in related[0].reasons)
    assert all(r.id != "nato24" for r in related)
    assert index.related("no-such-article", lib) == []


def test_help_text_documents_every_form() -> None:
    for form in ('"', " OR ", "NOT", "-", "*", "~", "title:", "author:", "source:", "person:", "org:",
                 "place:", "tag:", "is:bookmarked", "has:notes", "date:2024-04", "date:2023..2024-06-30",
                 "after:", "before:"):
        assert form in QUERY_HELP, form


def test_search_before_any_index(tmp_path, lib: Library) -> None:
    ix = SearchIndex(tmp_path / "nothing-here")
    assert not ix.is_ready()
    assert ix.doc_count() == 0
    result = ix.search("nato", lib)
    assert result.hits == () and result.error
    assert ix.related("nato24", lib) == []
    ix.update_docs(lib.index_docs(["nato24"]))  # no index yet: left to the first refresh
    assert not ix.is_ready()


def test_field_length_lists_score_exactly_as_whoosh(tmp_path, lib: Library, index: SearchIndex, monkeypatch) -> None:
    """ReaderBM25F reads document lengths from a list per segment; over two
    segments with a deletion, every length and every score equals Whoosh's own
    per-document look-up."""
    from whoosh.scoring import BM25F

    from reader.search import compile as comp
    from reader.search import writer

    lib.set_bookmark("budget", True)
    index.update_docs(lib.index_docs(["budget", "tech"]))  # a second segment, old versions deleted
    ix = writer.open_index(index._engine()._folder.current())
    checked = 0
    with ix.reader() as reader:
        segment_readers = [r for r, _offset in reader.leaf_readers()]
        assert len(segment_readers) >= 2
        for seg in segment_readers:
            for field in ("title", "body", "person", "notes"):
                lengths = comp.field_lengths(seg, field)
                if lengths is None:
                    continue
                for doc in range(seg.doc_count_all()):
                    whoosh = seg.doc_field_length(doc, field)
                    if whoosh:  # (Whoosh answers None for a document without the field)
                        assert lengths[doc] == whoosh
                        checked += 1
    assert checked > 10
    queries = ["nato", "stoltenberg ukraine", '"rock solid"', "government OR chelsea", "is:bookmarked", "educ*"]
    ours = [index.search(q, lib) for q in queries]
    monkeypatch.setattr(comp.ReaderBM25F, "scorer", BM25F.scorer)
    comp._LENGTHS.clear()
    plain = [index.search(q, lib) for q in queries]
    assert ours == plain
    assert any(r.hits for r in ours)
