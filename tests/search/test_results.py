"""What a result shows: a snippet from the body (the title is not repeated in
it), a marked title, and pages beyond the first (``offset``), through the API
and through ``reader search`` in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from reader.search import SearchIndex
from reader.store.library import Library
from tests.search.conftest import make_article

BLAIR_TITLE = "Blair 'pressing US on climate'"


@pytest.fixture
def paged(tmp_path: Path) -> tuple[SearchIndex, Library]:
    lib = Library.open(tmp_path / "db.sqlite3")
    lib.upsert(make_article(
        "blair", BLAIR_TITLE,
        "Tony Blair is pressing the US to act on climate change, his spokesman said.",
        "Talks on climate continue in London next week.",
        published=datetime(2005, 2, 1), source="BBC", section="politics"))
    for i in range(45):
        lib.upsert(make_article(f"e{i:02d}", f"Count {i} in the local election",
                                f"Voters in ward {i} went to the polls for the election on a wet day.",
                                published=datetime(2005, 1, 1 + i % 28)))
    ix = SearchIndex(tmp_path / "index")
    ix.refresh(lib.path)
    yield ix, lib
    lib.close()


def test_snippet_comes_from_the_body_not_the_title(paged: tuple[SearchIndex, Library]) -> None:
    ix, lib = paged
    hit = ix.search("blair climate", lib).hits[0]
    assert hit.id == "blair"
    assert "pressing US" not in hit.snippet  # the title is not repeated
    assert "February 1, 2005" not in hit.snippet  # nor the dateline
    assert hit.snippet.startswith("Tony <b>Blair</b> is pressing the US to act on <b>climate</b>")
    # the title match is reported as a marked title instead
    assert [hit.title[a:b] for a, b in hit.title_highlights] == ["Blair", "climate"]
    assert hit.title_html == "<b>Blair</b> &#x27;pressing US on <b>climate</b>&#x27;"


def test_title_without_a_match_has_no_highlights(paged: tuple[SearchIndex, Library]) -> None:
    ix, lib = paged
    hit = ix.search("spokesman", lib).hits[0]
    assert hit.title_highlights == () and hit.title_html == "Blair &#x27;pressing US on climate&#x27;"
    assert "<b>spokesman</b>" in hit.snippet


def test_offset_reaches_every_result(paged: tuple[SearchIndex, Library]) -> None:
    ix, lib = paged
    first = ix.search("election", lib, limit=20)
    assert first.total == 45 and len(first.hits) == 20 and first.offset == 0
    pages = [ix.search("election", lib, limit=20, offset=n) for n in (0, 20, 40)]
    ids = [h.id for page in pages for h in page.hits]
    assert len(ids) == 45 and set(ids) == {f"e{i:02d}" for i in range(45)}  # none lost, none twice
    assert [p.offset for p in pages] == [0, 20, 40] and len(pages[2].hits) == 5
    assert ids[:20] == [h.id for h in first.hits]
    assert ix.search("election", lib, limit=20, offset=100).hits == ()
    dated = [h.id for n in (0, 20, 40) for h in ix.search("election", lib, limit=20, offset=n, sort="date").hits]
    assert len(dated) == 45 and len(set(dated)) == 45


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "READER_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "reader", *args], capture_output=True, text=True, env=env,
                          timeout=120)


@pytest.fixture
def cli_home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(25):
        (folder / f"e{i:02d}.txt").write_text(
            f"Election count {i}\n\nVoters in ward {i} went to the polls for the election.\n", encoding="utf-8")
    done = _cli(home, "import", str(folder), "--no-entities")
    assert done.returncode == 0, done.stderr
    return home


def test_cli_search_pages_with_limit_and_offset(cli_home: Path) -> None:
    first = _cli(cli_home, "search", "election", "--limit", "10", "--json")
    assert first.returncode == 0, first.stderr
    data = json.loads(first.stdout)
    assert data["total"] == 25 and len(data["hits"]) == 10 and data["offset"] == 0
    assert data["hits"][0]["title_highlights"] == [[0, 8]]  # "Election" in the title
    assert "Election count" not in data["hits"][0]["snippet"]
    rest = json.loads(_cli(cli_home, "search", "election", "--limit", "10", "--offset", "20", "--json").stdout)
    assert rest["offset"] == 20 and len(rest["hits"]) == 5
    seen = {h["id"] for h in data["hits"]} | {h["id"] for h in rest["hits"]}
    middle = json.loads(_cli(cli_home, "search", "election", "--limit", "10", "--offset", "10", "--json").stdout)
    seen |= {h["id"] for h in middle["hits"]}
    assert len(seen) == 25
    text = _cli(cli_home, "search", "election", "--limit", "10", "--offset", "20")
    assert "25 result(s); showing 21-25" in text.stdout


def test_cli_search_rejects_a_bad_limit(cli_home: Path) -> None:
    bad = _cli(cli_home, "search", "election", "--offset", "-3")
    assert bad.returncode == 2 and "--offset: must be 0 or more, not '-3'" in bad.stderr
    bad = _cli(cli_home, "search", "election", "--limit", "ten")
    assert bad.returncode == 2 and "--limit: not a whole number: 'ten'" in bad.stderr
    helped = _cli(cli_home, "search", "--help")
    assert "--offset" in helped.stdout and "next page" in helped.stdout


def test_both_search_objects_implement_the_backend_protocol(tmp_path: Path) -> None:
    import inspect

    from reader.search import SearchBackend, SearchService

    wanted = {name for name in dir(SearchBackend) if not name.startswith("_")}
    for cls in (SearchIndex, SearchService):
        for name in wanted:
            ours = inspect.signature(getattr(SearchBackend, name)).parameters
            theirs = inspect.signature(getattr(cls, name)).parameters
            assert list(theirs) == list(ours), (cls.__name__, name)


def test_a_search_over_its_time_budget_stops_with_an_explanation(paged: tuple[SearchIndex, Library]) -> None:
    ix, lib = paged
    assert ix.search("election", lib).total == 45
    ix.query_budget = 1e-9  # every search is over budget
    for query in ("election", '"local election"', "elect* OR count*"):
        result = ix.search(query, lib)
        assert result.hits == () and result.total == 0
        assert result.error is not None and "took longer than 1e-09 s and was stopped" in result.error
    ix.query_budget = 3.0
    assert ix.search("election", lib).total == 45 and ix.is_ready()  # the index is not marked damaged


def test_many_word_highlights_match_the_same_words_as_few() -> None:
    from reader.search.compile import Vocabulary
    from reader.search.highlight import ALTERNATION_MAX, Matcher
    from reader.search.query import parse

    words = sorted({f"pro{chr(97 + i % 26)}{chr(97 + i // 26)}" for i in range(ALTERNATION_MAX * 2)} | {"profit"})
    vocab = Vocabulary(words)
    text = ("Profit rose. PROAB and proba, (procd) pro.ab xproab proab.cd profits e-proac; the prof said "
            "pro-ae and proaf's " * 3)
    many = Matcher.from_tree(parse("pro*").node).with_vocabulary(vocab)  # > ALTERNATION_MAX words: a set
    assert many._pattern is None and len(many._word_set) > ALTERNATION_MAX
    unresolved = Matcher.from_tree(parse("pro*").node)  # decides word by word, one alternation of the hits
    expected = unresolved.spans(text)
    got = many.spans(text)
    assert got and [text[a:b] for a, b in got] == [text[a:b] for a, b in expected if text[a:b].lower() in
                                                    set(words)]
    assert {text[a:b].lower() for a, b in got} <= set(words)
