"""Acceptance on the bundled seed articles (the two DW pages)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reader.search import SearchIndex
from reader.store.library import EntitySpan, Library

ingest = pytest.importorskip("reader.core.ingest")


@pytest.fixture
def seeded(tmp_path: Path, seeds_dir: Path) -> tuple[SearchIndex, Library, dict[str, str]]:
    if not hasattr(ingest, "load_file"):
        pytest.skip("reader.core.ingest.load_file is not available")
    lib = Library.open(tmp_path / "db.sqlite3")
    ids: dict[str, str] = {}
    for path in sorted(seeds_dir.glob("*.txt")):
        article = ingest.load_file(path)
        _, stored = lib.upsert(article)
        ids[str(article.published.year) if article.published else path.name] = stored
        text = lib.plain_text(stored) or ""
        spans = [EntitySpan(m.start(), m.end(), "PERSON", m.group(0), "Jens Stoltenberg")
                 for m in re.finditer(r"(?:Jens )?Stoltenberg", text)]
        lib.set_entities(stored, spans, backend="test:1", text_hash="x")
    ix = SearchIndex(tmp_path / "index")
    ix.refresh(tmp_path / "db.sqlite3")
    return ix, lib, ids


def test_seed_acceptance(seeded: tuple[SearchIndex, Library, dict[str, str]]) -> None:
    ix, lib, ids = seeded
    assert {"2024", "2023"} <= set(ids)
    assert [h.id for h in ix.search("patriot", lib).hits] == [ids["2024"]]
    rock = ix.search('"rock solid"', lib)
    assert [h.id for h in rock.hits] == [ids["2024"]]
    assert "<b>rock-solid</b>" in rock.hits[0].snippet
    assert [h.id for h in ix.search("person:stoltenberg date:2023", lib).hits] == [ids["2023"]]
    assert ix.search("stoltenbreg", lib).suggestion == "stoltenberg"
    assert {h.id for h in ix.search("defend", lib).hits} == {ids["2024"], ids["2023"]}
    related = ix.related(ids["2024"], lib)
    assert [r.id for r in related] == [ids["2023"]]
    assert "person: Jens Stoltenberg" in related[0].reasons


def test_seed_highlights_match_the_plain_text(seeded: tuple[SearchIndex, Library, dict[str, str]]) -> None:
    ix, lib, ids = seeded
    text = lib.plain_text(ids["2024"]) or ""
    spans = ix.match_spans("defend patriot", text)
    marked = {text[a:b].lower() for a, b in spans}
    assert "patriot" in marked
    assert marked & {"defense", "defensive", "defend"}
