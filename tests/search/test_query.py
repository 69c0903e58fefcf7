"""The query parser: forgiving on bad input, exact on good input."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import reader.search
from reader.search import QUERY_HELP, SearchIndex
from reader.search.query import MAX_QUERY_CHARS, And, Dates, Flag, Not, Or, Phrase, Word, parse
from reader.store.library import Library


def test_parse_shapes() -> None:
    assert parse("nato").node == Word("nato", None, "term", 0, 0, 4)
    node = parse('"rock solid" -nato (a OR b)').node
    assert isinstance(node, And)
    assert isinstance(node.nodes[0], Phrase) and node.nodes[0].text == "rock solid"
    assert isinstance(node.nodes[1], Not)
    assert isinstance(node.nodes[2], Or)
    assert parse("is:bookmarked").node == Flag("bookmarked")
    assert parse("has:notes").node == Flag("notes")
    assert parse("date:2024-04").node == Dates(datetime(2024, 4, 1), datetime(2024, 5, 1))
    assert parse("date:2024-12").node == Dates(datetime(2024, 12, 1), datetime(2025, 1, 1))
    assert parse("date:2023..2024-06-30").node == Dates(datetime(2023, 1, 1), datetime(2024, 7, 1))
    assert parse("after:2024-01-01").node == Dates(datetime(2024, 1, 1), None)
    assert parse("before:2024-06").node == Dates(None, datetime(2024, 6, 1))
    word = parse("goverment~").node
    assert isinstance(word, Word) and word.mode == "fuzzy" and word.dist == 2  # 8+ letters
    word = parse("gov~1").node
    assert isinstance(word, Word) and word.dist == 1
    word = parse("Title:defen*").node
    assert isinstance(word, Word) and (word.field, word.mode, word.text) == ("title", "prefix", "defen")


@pytest.mark.parametrize(
    "query",
    ['"unbalanced quote', "((nato", "nato))", ")(", "*", "**", "-", "OR", "AND OR NOT", "~", "a~~~",
     "\x00\x01nato\x7f", "unknown:field", "title:", "date:", "is:", "\u202enato", "nato^2", "[x TO y]",
     "-(-(-nato))", "(" * 200 + "nato" + ")" * 200, "\"\"", "'", "🙂", "title:\"\"", "x" * 5000],
)
def test_bad_queries_never_raise(index: SearchIndex, lib: Library, query: str) -> None:
    result = index.search(query, lib)
    assert result.query == query
    assert isinstance(result.total, int)
    assert result.hits == () or result.total >= len(result.hits)
    index.match_spans(query, "NATO and the unbalanced field")


def test_bad_queries_are_searched_as_words_or_explained(index: SearchIndex, lib: Library) -> None:
    assert {h.id for h in index.search('"patriot', lib).hits} == {"nato24"}
    assert {h.id for h in index.search("(patriot", lib).hits} == {"nato24"}
    assert {h.id for h in index.search("patriot)", lib).hits} == {"nato24"}
    assert {h.id for h in index.search("ukraine:patriot", lib).hits} == {"nato24"}  # unknown field -> words
    assert index.search("*", lib).error == "nothing to search for"
    long = index.search("nato " * 2000, lib)
    assert long.hits == () and "too long" in (long.error or "")
    assert index.search("is:famous", lib).error == "unknown filter is:famous (use is:bookmarked, is:undated)"
    assert {h.id for h in index.search("patriot\x00\x07", lib).hits} == {"nato24"}


def test_only_stop_words(index: SearchIndex, lib: Library) -> None:
    result = index.search("the of and", lib)
    assert result.hits == () and result.error


def test_query_length_limit_is_documented() -> None:
    """The search help (HELP.md, what the app's help shows) states the limit the
    parser applies, and the parser refuses exactly what the help says."""
    help_file = Path(reader.search.__file__).with_name("HELP.md")
    text = help_file.read_text(encoding="utf-8")
    assert QUERY_HELP == text  # the app shows this file
    found = re.findall(r"Queries longer than ([\d,]+) characters are refused", " ".join(text.split()))
    assert len(found) == 1, f"{help_file} does not state the query length limit"
    documented = int(found[0].replace(",", ""))
    assert documented == MAX_QUERY_CHARS
    assert not any("too long" in e for e in parse("a" * documented).errors)
    assert parse("a" * (documented + 1)).errors == [
        f"the query is too long ({documented + 1:,} characters; at most {documented:,})"]


@given(st.text(max_size=200))
def test_property_parse_never_raises(text: str) -> None:
    parse(text)


@given(st.text(alphabet=st.sampled_from(list('ab "()-*~:OR NOT date:2024 is:x title:')), max_size=60))
def test_property_search_never_raises_on_syntax_soup(index_for_fuzz: tuple[SearchIndex, Library], text: str) -> None:
    index, lib = index_for_fuzz
    result = index.search(text, lib)
    assert result.total >= len(result.hits)


@pytest.fixture(scope="module")
def index_for_fuzz(tmp_path_factory: pytest.TempPathFactory) -> tuple[SearchIndex, Library]:
    from tests.search.conftest import fill

    base = tmp_path_factory.mktemp("fuzz")
    library = Library.open(base / "db.sqlite3")
    fill(library)
    ix = SearchIndex(base / "index")
    ix.refresh(base / "db.sqlite3")
    return ix, library
