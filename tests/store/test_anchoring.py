"""Re-anchoring annotations after the article text changes (pure, no SQLite)."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from reader.core import anchoring
from reader.core.anchoring import Selector, anchor, make_selector

TEXT = (
    "Berlin - The government presented its budget on Tuesday.\n"
    "The finance minister said the plan would cut the deficit by half within four years.\n"
    "Opposition parties called the figures unrealistic and demanded a debate in parliament.\n"
    "Economists were divided: some praised the discipline, others feared a recession.\n"
    "The vote is expected next month."
)
PASSAGE = "the plan would cut the deficit by half"


def sel_for(text: str, quote: str, occurrence: int = 0) -> Selector:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    return make_selector(text, start, start + len(quote))


def occurrences(text: str, needle: str) -> int:
    """How often ``needle`` occurs in ``text``, overlapping copies included."""
    return sum(text.startswith(needle, i) for i in range(len(text)))


def quoted(text: str, span: tuple[int, int] | None) -> str | None:
    return None if span is None else text[span[0] : span[1]]


# ---- edits around and inside the passage --------------------------------
def test_unchanged_text_anchors_by_position() -> None:
    sel = sel_for(TEXT, PASSAGE)
    assert anchor(TEXT, sel) == (sel.start, sel.end)


def test_edit_before_the_passage_shifts_it() -> None:
    sel = sel_for(TEXT, PASSAGE)
    edited = TEXT.replace("on Tuesday", "on Tuesday morning in a long televised address")
    shift = len(edited) - len(TEXT)
    assert anchor(edited, sel) == (sel.start + shift, sel.end + shift)


def test_edit_after_the_passage_keeps_it() -> None:
    sel = sel_for(TEXT, PASSAGE)
    edited = TEXT.replace("next month", "in the first week of March")
    assert anchor(edited, sel) == (sel.start, sel.end)


def test_edit_right_next_to_the_passage() -> None:
    sel = sel_for(TEXT, PASSAGE)
    edited = TEXT.replace("finance minister said", "new finance minister, Anna Berg, told reporters")
    span = anchor(edited, sel)
    assert quoted(edited, span) == PASSAGE


def test_typo_fixed_inside_the_quote_is_found_fuzzily() -> None:
    typo_text = TEXT.replace("deficit", "defcit")
    sel = sel_for(typo_text, "the plan would cut the defcit by half")
    edited = "UPDATED: " + TEXT  # the typo fixed and the position shifted
    assert quoted(edited, anchor(edited, sel)) == PASSAGE


def test_words_inserted_inside_the_quote_extend_the_span() -> None:
    sel = sel_for(TEXT, PASSAGE)
    edited = TEXT.replace("cut the deficit", "cut the federal deficit")
    assert quoted(edited, anchor(edited, sel)) == "the plan would cut the federal deficit by half"


def test_words_removed_inside_the_quote_shrink_the_span() -> None:
    sel = sel_for(TEXT, PASSAGE)
    edited = TEXT.replace("would cut", "cuts")
    assert quoted(edited, anchor(edited, sel)) == "the plan cuts the deficit by half"


def test_duplicated_passage_context_picks_the_right_one() -> None:
    para = "Prices rose again in March, the statistics office said."
    text = f"Germany: {para} Bakers were worried.\nFrance: {para} Farmers were not.\n"
    second = sel_for(text, para, occurrence=1)
    first = sel_for(text, para, occurrence=0)
    # insert text at the start: both copies move, context tells them apart
    edited = "Summary of the week.\n" + text
    shift = len("Summary of the week.\n")
    assert anchor(edited, second) == (second.start + shift, second.end + shift)
    assert anchor(edited, first) == (first.start + shift, first.end + shift)


def test_duplicate_exact_copy_loses_to_edited_copy_in_the_right_context() -> None:
    para = "Prices rose again in March, the statistics office said."
    text = f"Germany: {para} Bakers were worried.\nFrance: {para} Farmers were not.\n"
    sel = sel_for(text, para, occurrence=1)  # the French one
    fixed = para.replace("the statistics", "the national statistics")
    edited = "Summary.\n" + text.replace(f"France: {para}", f"France: {fixed}")
    assert quoted(edited, anchor(edited, sel)) == fixed
    assert anchor(edited, sel)[0] > edited.index("France")  # type: ignore[index]


def test_deleted_passage_is_an_orphan() -> None:
    line = "Opposition parties called the figures unrealistic and demanded a debate in parliament.\n"
    sel = sel_for(TEXT, "called the figures unrealistic and demanded a debate")
    edited = TEXT.replace(line, "")
    assert anchor(edited, sel) is None


def test_deleted_short_passage_does_not_jump_to_one_of_several_copies() -> None:
    sel = sel_for(TEXT, "the deficit")
    edited = TEXT.replace("would cut the deficit by half", "would balance the books")
    edited += " Then the deficit rose. Now the deficit falls."
    assert anchor(edited, sel) is None


def test_short_passage_out_of_context_is_found_when_unique() -> None:
    sel = sel_for(TEXT, "the deficit")
    edited = TEXT.replace("said the plan would cut the deficit", "promised that they would halve the deficit")
    assert quoted(edited, anchor(edited, sel)) == "the deficit"


def test_rewritten_passage_is_an_orphan() -> None:
    sel = sel_for(TEXT, PASSAGE)
    edited = TEXT.replace(PASSAGE, "spending would stay flat until the election")
    assert anchor(edited, sel) is None


def test_long_quote_with_edits_inside() -> None:
    rng = random.Random(7)
    words = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9))) for _ in range(500)
    ]
    text = " ".join(rng.choice(words) for _ in range(4000))
    start = text.index(" ", 5000) + 1
    end = text.index(" ", start + 2000)
    sel = make_selector(text, start, end)
    passage = text[start:end]
    changed = passage[:700] + "INSERTED WORDS " + passage[700:1500] + passage[1520:]
    edited = "A new first paragraph.\n" + text[:start] + changed + text[end:]
    span = anchor(edited, sel)
    assert quoted(edited, span) == changed


def test_empty_or_missing_inputs() -> None:
    assert anchor("", Selector(0, 3, "abc")) is None
    assert anchor("abc", Selector(0, 0, "")) is None
    assert anchor("abc", Selector(0, 10, "abcdefghij")) is None


def test_negative_positions_are_not_python_slices() -> None:
    # the old code returned (-5, -1) here: a negative slice that "held" the quote
    span = anchor("hello world", Selector(-5, -1, "worl"))
    assert span == (6, 10)


class _AlignmentSpy:
    """rapidfuzz's ``fuzz`` module, noting the length of every needle aligned."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.needles: list[int] = []

    def partial_ratio_alignment(self, needle: str, haystack: str, **kwargs: Any) -> Any:
        self.needles.append(len(needle))
        return self.real.partial_ratio_alignment(needle, haystack, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


def test_long_text_aligns_only_short_probes(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 100k text with quotes that are gone: the fuzzy stages run, but what
    they align against the text is never longer than two probes, whatever the
    quote's length (aligning a whole 6000-character quote took 1.6 s).  The
    time itself is measured by benchmarks/bench_store.py."""
    spy = _AlignmentSpy(anchoring.fuzz)
    monkeypatch.setattr(anchoring, "fuzz", spy)
    rng = random.Random(3)
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9))) for _ in range(3000)]
    text = " ".join(rng.choice(words) for _ in range(25000))[:100_000]
    gone = make_selector("x" * 100 + "zq " * 2000, 100, 6100)  # a 6000-char quote nowhere in the text
    short_gone = Selector(50_000, 50_040, "the quick brown fox jumps over the dog", "p" * 32, "s" * 32)
    assert anchor(text, gone) is None
    long_calls = len(spy.needles)
    assert anchor(text, short_gone) is None
    assert long_calls >= 2 and len(spy.needles) > long_calls  # both went through the fuzzy search
    assert max(spy.needles) <= 2 * anchoring.PROBE, spy.needles


# ---- properties ---------------------------------------------------------
ALPHABET = st.characters(codec="utf-8", exclude_categories=("Cs",))
TEXTS = st.text(alphabet=st.sampled_from("abcdefghij klmnop.\n"), min_size=1, max_size=300)


@st.composite
def text_and_span(draw: st.DrawFn, texts: st.SearchStrategy[str] = TEXTS) -> tuple[str, int, int]:
    text = draw(texts)
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    return text, start, end


@given(text_and_span(st.text(ALPHABET, min_size=1, max_size=300)))
def test_property_unchanged_text_anchors_where_it_was(case: tuple[str, int, int]) -> None:
    text, start, end = case
    assert anchor(text, make_selector(text, start, end)) == (start, end)


@given(text_and_span(), st.text(alphabet=st.sampled_from("abcdefghij klmnop.\n"), min_size=1, max_size=100), st.data())
def test_property_insertion_before_shifts_the_anchor(case: tuple[str, int, int], inserted: str, data: st.DataObject) -> None:
    text, start, end = case
    at = data.draw(st.integers(0, start))
    quote = text[start:end]
    edited = text[:at] + inserted + text[at:]
    assume(occurrences(edited, quote) == 1)  # otherwise which copy is "the" passage is ambiguous
    assert anchor(edited, make_selector(text, start, end)) == (start + len(inserted), end + len(inserted))


@given(text_and_span(), st.text(alphabet=st.sampled_from("abcdefghij klmnop.\n"), max_size=100), st.data())
def test_property_edits_after_keep_the_anchor(case: tuple[str, int, int], inserted: str, data: st.DataObject) -> None:
    text, start, end = case
    at = data.draw(st.integers(end, len(text)))
    cut = data.draw(st.integers(at, len(text)))
    edited = text[:at] + inserted + text[cut:]
    assert anchor(edited, make_selector(text, start, end)) == (start, end)


@given(
    st.text(ALPHABET, max_size=200),
    st.builds(
        Selector,
        start=st.integers(-(10**12), 10**12),
        end=st.integers(-(10**12), 10**12),
        exact=st.text(ALPHABET, max_size=120),
        prefix=st.text(ALPHABET, max_size=40),
        suffix=st.text(ALPHABET, max_size=40),
    ),
)
def test_property_anchor_never_raises_and_stays_inside(text: str, sel: Selector) -> None:
    span = anchor(text, sel)
    if span is not None:
        assert 0 <= span[0] < span[1] <= len(text)


@given(text_and_span(), st.data())
def test_property_anchor_on_mutated_text_stays_inside(case: tuple[str, int, int], data: st.DataObject) -> None:
    text, start, end = case
    sel = make_selector(text, start, end)
    a = data.draw(st.integers(0, len(text)))
    b = data.draw(st.integers(a, len(text)))
    edited = text[:a] + data.draw(st.text(max_size=50)) + text[b:]
    span = anchor(edited, sel)
    if span is not None:
        assert 0 <= span[0] < span[1] <= len(edited)


@pytest.mark.parametrize("bad", [(0, 0), (3, 2), (-1, 2), (0, 99)])
def test_make_selector_rejects_bad_spans(bad: tuple[int, int]) -> None:
    with pytest.raises(ValueError):
        make_selector("some text", *bad)
