"""Array scoring (topk.py) against Whoosh's matchers: the same hits in the same
order with the same scores and totals, over many posting blocks, several
segments and deleted documents; and the fast phrase matcher against Whoosh's
``Phrase``."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from whoosh import query as wq
from whoosh.collectors import TopCollector

from reader.search import SearchIndex
from reader.search import writer as w
from reader.search.compile import Compiler, ReaderBM25F, Vocabulary, stems
from reader.search.phrase import FastPhrase
from reader.search.query import parse
from reader.search.storage import IndexFolder
from reader.search.topk import prunable, search_top
from reader.store.library import Library
from tests.search.conftest import make_article

WORDS = ("market bank shares profit growth election labour tory minister court police film music award band "
         "phone software internet games chelsea arsenal coach injury oil price dollar euro china tax budget").split()


def _corpus(n: int, seed: int) -> list:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 6)))
        body = " ".join(rng.choice(WORDS[: rng.randint(5, len(WORDS))]) for _ in range(rng.randint(5, 120)))
        out.append(make_article(f"d{i:04d}", title.capitalize(), body, "prime minister said the oil price rose"
                                if i % 7 == 0 else "the minister said prime time",
                                tags=("follow up",) if i % 5 == 0 else ("followers",) if i % 11 == 0 else (),
                                authors=("Ann Smith",) if i % 3 == 0 else ("Bo Smythe",)))
    return out


@pytest.fixture(scope="module")
def index_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("topk")
    lib = Library.open(tmp / "db.sqlite3")
    for article in _corpus(900, 1):
        lib.upsert(article)
    ix = SearchIndex(tmp / "index")
    ix.refresh(lib.path)  # a parallel build: two segments
    # a few small updates: another segment, and deleted (replaced) documents in the first ones
    ix.update_docs(lib.index_docs([f"d{i:04d}" for i in range(0, 900, 37)]))
    ix.delete_docs([f"d{i:04d}" for i in range(5, 900, 101)])
    lib.close()
    path = IndexFolder(tmp / "index").current()
    assert path is not None
    return path


QUERIES = ["market", "said", "oil price", "market OR bank OR shares", "(film OR music) award", "chelsea -arsenal",
           "tax -budget -oil", "-market", "title:market", "title:oil body:price", "election labour tory minister",
           "zzz", "market zzz", "zzz OR bank", "(court OR police) -(phone OR software)", "growth growth",
           '"prime minister"', '"prime minister" oil', '"oil price" OR market', 'market -"prime minister"',
           "mar*", "ch* -china", "tag:foll*", "tag:folow~ market", "author:smyth~", "elect* tax",
           '"prime minister" -oil', '"minister said" "prime time"', '(market OR "oil price") bank',
           'tax -(budget OR "prime minister")']


def _matcher_top(searcher, q, limit: int) -> tuple[list[tuple[int, float]], int]:
    collector = TopCollector(limit, usequality=False, replace=0)
    searcher.search_with_collector(q, collector)
    results = collector.results()
    return [(h.docnum, float(h.score)) for h in results], len(results)


def _matcher_ids(searcher, q) -> set[int]:
    return {docnum for docnum, _ in _matcher_top(searcher, q, 100000)[0]}


@pytest.mark.parametrize("text", QUERIES)
def test_array_scoring_equals_the_matchers(index_path: Path, text: str) -> None:
    with w.open_index(index_path).searcher(weighting=ReaderBM25F()) as searcher:
        assert len(searcher.leaf_searchers()) >= 2 and any(s.reader().has_deletions() for s, _ in
                                                            searcher.leaf_searchers())
        q = Compiler(searcher.reader(), Vocabulary.from_reader(searcher.reader())).compile(parse(text).node)
        assert prunable(q)
        # what should match, from sets of the positive and negative parts (Whoosh's
        # AND NOT matcher lets a document through now and then; the arrays do not)
        if isinstance(q, wq.AndNot):
            wanted = _matcher_ids(searcher, q.a) - _matcher_ids(searcher, q.b)
        else:
            wanted = _matcher_ids(searcher, q)
        ranked = [hit for hit in _matcher_top(searcher, q, 100000)[0] if hit[0] in wanted]
        for limit in (1, 20, 2000):
            top, total = search_top(searcher, q, limit)
            assert total == len(wanted)
            assert [d for d, _ in top] == [d for d, _ in ranked[:limit]]
            assert [round(s, 9) for _, s in top] == [round(s, 9) for _, s in ranked[:limit]]


@pytest.mark.parametrize("words", ["prime minister", "oil price", "minister said", "said prime", "market bank",
                                   "price rose", "prime time", "minister minister", "prime minister said oil"])
def test_fast_phrase_equals_whoosh_phrase(index_path: Path, words: str) -> None:
    with w.open_index(index_path).searcher(weighting=ReaderBM25F()) as searcher:
        for field in ("title", "body"):
            tokens = stems(words)
            mine, n_mine = _matcher_top(searcher, FastPhrase(field, tokens), 100000)
            theirs, n_theirs = _matcher_top(searcher, wq.Phrase(field, tokens), 100000)
            assert n_mine == n_theirs and [d for d, _ in mine] == [d for d, _ in theirs]
            assert [round(s, 9) for _, s in mine] == [round(s, 9) for _, s in theirs]  # sums in another order
        assert _matcher_top(searcher, FastPhrase("body", stems("prime minister")), 1000)[1] > 100


def test_without_numpy_every_query_uses_the_matchers(index_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import reader.search.topk as topk

    with w.open_index(index_path).searcher(weighting=ReaderBM25F()) as searcher:
        q = Compiler(searcher.reader(), Vocabulary.from_reader(searcher.reader())).compile(parse("oil price").node)
        with_arrays = search_top(searcher, q, 20)
        monkeypatch.setattr(topk, "np", None)  # the slim bundle leaves numpy out
        without = search_top(searcher, q, 20)
    assert [d for d, _ in without[0]] == [d for d, _ in with_arrays[0]] and without[1] == with_arrays[1]
