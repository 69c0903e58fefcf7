"""Typos: fuzzy words (``word~``) and "did you mean", on a small library where
one spelling is far more common than its neighbours (as "government" is in news)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.search import SearchIndex
from reader.search.query import Word, parse
from reader.store.library import Library
from tests.search.conftest import make_article

FILLER = "The report was published on Monday after weeks of talks between officials."


def _spelling_articles() -> list:
    arts = [make_article(f"gov{i}", f"Report {i}", f"The government said on day {i} that the plan stands.", FILLER)
            for i in range(30)]
    arts += [
        make_article("governess", "Obituary: a dancer", "She toured the world with a governess in tow.", FILLER),
        make_article("movement1", "A new party", "A protest movement grew in the north.", FILLER),
        make_article("movement2", "Marchers", "The movement marched on the capital.", FILLER),
        make_article("governs", "Who rules", "The council governs the region alone.", FILLER),
        make_article("economy", "Growth slows", "The economy grew by 1% in the last quarter.", FILLER),
        make_article("lager", "Brewer sales", "Sales of lager rose at the brewer.", FILLER),
    ]
    arts += [make_article(f"later{i}", f"Update {i}", f"More details will follow later, on day {i}.", FILLER)
             for i in range(30)]
    return arts


@pytest.fixture
def spelling(tmp_path: Path) -> tuple[SearchIndex, Library]:
    lib = Library.open(tmp_path / "db.sqlite3")
    for article in _spelling_articles():
        lib.upsert(article)
    ix = SearchIndex(tmp_path / "index")
    ix.refresh(lib.path)
    yield ix, lib
    lib.close()


@pytest.mark.parametrize(("query", "edits"), [("tax~", 1), ("budgit~", 1), ("ecomony~", 2), ("goverment~", 2)])
def test_allowed_edits_grow_with_word_length(query: str, edits: int) -> None:
    word = parse(query).node
    assert isinstance(word, Word) and word.dist == edits


def test_seven_letter_typo_with_two_edits_finds_the_word(spelling: tuple[SearchIndex, Library]) -> None:
    ix, lib = spelling
    # "ecomony" -> "economy" is two edits (a swap and a substitution)
    assert "economy" in [h.id for h in ix.search("ecomony~", lib).hits]
    assert ix.search("ecomony~1", lib).total == 0  # one edit is not enough


def test_fuzzy_ranks_the_common_close_spelling_first(spelling: tuple[SearchIndex, Library]) -> None:
    ix, lib = spelling
    result = ix.search("goverment~", lib, limit=40)
    ids = [h.id for h in result.hits]
    # "movement" is two edits away, "governs" shares the stem of "government"
    assert {"movement1", "movement2", "governs"} <= set(ids) and "governess" not in ids  # three edits
    first_other = min(ids.index(x) for x in ("movement1", "movement2"))
    # every article saying "government" comes before the farther spelling
    gov_positions = [i for i, aid in enumerate(ids) if aid.startswith("gov") and aid[3:].isdigit()]
    assert len(gov_positions) == 30 and max(gov_positions) < first_other


def test_did_you_mean_for_a_typo_that_has_hits(spelling: tuple[SearchIndex, Library]) -> None:
    ix, lib = spelling
    result = ix.search("goverment", lib)
    assert [h.id for h in result.hits] == ["governess"]  # its own stem matches "governess"...
    assert result.suggestion == "government"  # ...but the far more common spelling is offered


def test_did_you_mean_keeps_the_rest_of_the_query(spelling: tuple[SearchIndex, Library]) -> None:
    ix, lib = spelling
    assert ix.search("goverment plan", lib).suggestion == "government plan"


def test_no_suggestion_for_a_real_rare_word(spelling: tuple[SearchIndex, Library]) -> None:
    ix, lib = spelling
    # "lager" is written in an article; "later" (one edit) is in 30: not a typo
    result = ix.search("lager", lib)
    assert [h.id for h in result.hits] == ["lager"] and result.suggestion is None
    assert ix.search("government", lib).suggestion is None


def test_did_you_mean_when_nothing_matches(spelling: tuple[SearchIndex, Library]) -> None:
    ix, lib = spelling
    result = ix.search("govrnmnt", lib)
    assert result.total == 0 and result.suggestion == "government"


def test_vocabulary_after_a_small_update_has_the_new_words(spelling: tuple[SearchIndex, Library]) -> None:
    ix, lib = spelling
    assert ix.search("zanzibar~", lib).total == 0 and ix.search("econ*", lib).total == 1
    lib.upsert(make_article("zanzibar", "Island news", "Ferries to Zanzibar and the economics of tourism.", FILLER))
    ix.update_docs(lib.index_docs(["zanzibar"]))  # one small new segment
    assert [h.id for h in ix.search("zanzibr~", lib).hits] == ["zanzibar"]  # the new word is in the vocabulary
    assert {h.id for h in ix.search("econ*", lib).hits} == {"economy", "zanzibar"}
    assert "<b>Zanzibar</b>" in ix.search("zanzibar", lib).hits[0].snippet  # highlighting knows it too
    ix.delete_docs(["zanzibar"])
    assert ix.search("zanzibr~", lib).total == 0
