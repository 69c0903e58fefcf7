"""The entities pass (reader.jobs.entities): recognition over a library in spawned worker processes."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.article import Article, Block, BlockKind, article_id
from reader.core.entities import get_recogniser, spacy_available
from reader.jobs.entities import compute_for_library, text_hash
from reader.store.library import Library

TEXTS = [
    "German Defense Minister Boris Pistorius visited Kyiv on Friday. Pistorius pledged €6.5 billion.",
    "NATO Secretary General Jens Stoltenberg said 2% of GDP is a floor. Stoltenberg's remarks in Brussels.",
    "Nothing to see here.",
]


def _library(tmp_path: Path) -> Path:
    db = tmp_path / "db.sqlite3"
    lib = Library.open(db)
    for n, text in enumerate(TEXTS):
        identity = f"test:{n}"
        lib.upsert(
            Article(
                id=article_id(identity),
                identity=identity,
                title=f"Article {n}",
                content_hash=f"hash{n}",
                blocks=(Block(BlockKind.PARAGRAPH, text),),
            )
        )
    lib.close()
    return db


@pytest.mark.parametrize("processes", [1, 2])
def test_compute_for_library_rules(tmp_path: Path, processes: int) -> None:
    db = _library(tmp_path)
    seen: list[tuple[int, int]] = []
    n = compute_for_library(db, backend="rules", progress=lambda d, t: seen.append((d, t)), processes=processes)
    assert n == len(TEXTS)
    assert seen[0] == (0, 3) and seen[-1] == (3, 3)
    lib = Library.open(db)
    rec = get_recogniser("rules")
    for aid in lib.ids_needing_entities("other:1"):
        text = lib.plain_text(aid)
        assert text is not None
        stored = lib.entities(aid)
        assert [(s.start, s.end, s.label, s.text) for s in stored] == [
            (s.start, s.end, s.label, s.text) for s in rec.recognise(text)
        ]
        for s in stored:
            assert text[s.start : s.end] == s.text
        assert lib.entity_backend(aid) == (f"rules:{rec.version}", text_hash(text))
    pistorius = [s for aid in lib.ids_needing_entities("x") for s in lib.entities(aid) if s.text == "Pistorius"]
    assert pistorius and all(s.norm == "Boris Pistorius" for s in pistorius)
    assert lib.ids_needing_entities(f"rules:{rec.version}") == []
    lib.close()
    # nothing left to do: a second run processes nothing
    assert compute_for_library(db, backend="rules", processes=processes) == 0


def test_compute_for_library_cancel(tmp_path: Path) -> None:
    db = _library(tmp_path)
    assert compute_for_library(db, backend="rules", cancel=lambda: True, processes=1) == 0


@pytest.mark.skipif(not spacy_available(), reason="spaCy not installed")
def test_compute_for_library_combined_in_processes(tmp_path: Path) -> None:
    db = _library(tmp_path)
    assert compute_for_library(db, backend="auto", processes=2) == len(TEXTS)
    lib = Library.open(db)
    rec = get_recogniser("combined")
    assert lib.ids_needing_entities(f"combined:{rec.version}") == []
    labels = {(s.text, s.label) for aid in lib.ids_needing_entities("x") for s in lib.entities(aid)}
    assert ("Boris Pistorius", "PERSON") in labels and ("NATO", "ORG") in labels
    lib.close()
