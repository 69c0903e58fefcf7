"""Notes out and back in: Markdown and W3C Web Annotation export, JSON import.

The fixed test library below is compared with reviewed reference files in
``tests/store/reference/``.  After an intended change of the output, rewrite
them with ``READER_UPDATE_REFERENCE=1 pytest tests/store/test_export.py`` and
review the diff before committing.
"""

from __future__ import annotations

import copy
import itertools
import json
import os
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from store_articles import paragraph_article

from reader.core.article import Article, article_id
from reader.store import Library
from reader.store.export import annotations_to_markdown, annotations_to_w3c, import_w3c

REFERENCE = Path(__file__).parent / "reference"
UPDATE = os.environ.get("READER_UPDATE_REFERENCE") == "1"

TRAM = (
    "The city council approved the new tram line on Monday after a long debate.",
    "Construction is due to start in spring and will take three years to complete.",
    "Residents along the route worry about noise, but shop owners expect more customers.",
    "The mayor called the decision a turning point for public transport in the region.",
)
TRAM_EDITED = (TRAM[0], TRAM[2], TRAM[3] + " Critics disagree.")  # the construction paragraph was cut
BUDGET = (
    "Ministers agreed on a *provisional* budget of €4.2 billion <b>late</b> on Friday.",
    "[Update] Talks will resume next week.",
)
FLOOD = ("The river rose by two metres overnight.", "Volunteers filled sandbags until dawn.")


make_article = paragraph_article


def tram(paras: tuple[str, ...] = TRAM) -> Article:
    return make_article("https://example.org/tram", "Council backs tram line", paras,
                        url="https://example.org/tram", published=datetime(2024, 4, 4, 9, 30))


def budget() -> Article:
    return make_article("dw:budget", "Budget *deal* <reached>", BUDGET, short_url="https://p.dw.com/p/4Sge",
                        published=datetime(2024, 3, 15))


def flood() -> Article:
    return make_article("/home/me/flood.txt", "Flood warning", FLOOD)


def quiet() -> Article:
    return make_article("https://example.org/quiet", "A story without notes", ("Nothing happened.",),
                        url="https://example.org/quiet")


def current_articles() -> list[Article]:
    """The articles as they are in the library at the end of :func:`fill` (flood was deleted)."""
    return [tram(TRAM_EDITED), budget(), quiet()]


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every timestamp the library takes is the next minute of 1 May 2024."""
    minutes = itertools.count()

    def fixed_now() -> str:
        m = next(minutes)
        return f"2024-05-01T{10 + m // 60:02d}:{m % 60:02d}:00+00:00"

    monkeypatch.setattr("reader.store.models.now_iso", fixed_now)
    yield


def fill(lib: Library) -> None:
    """The fixed test library: placed notes, a highlight without note, an orphan
    whose passage was cut, and an orphan whose article was deleted."""
    for art in (tram(), budget(), flood(), quiet()):
        lib.upsert(art)
    t, b, f = tram().id, budget().id, flood().id
    lib.annotate_quote(t, "turning point for public transport", note="A big claim. **Check** the numbers.",
                       colour="blue", tags=["transport", "claims"], annotation_id="0f3c6a5e9b2d4c1a8e7f6d5c4b3a2910")
    lib.annotate_quote(t, "approved the new tram line", colour="green", annotation_id="1a2b3c4d5e6f47a8b9c0d1e2f3a4b5c6")
    lib.annotate_quote(t, "will take three years", note="Three years? Other cities needed five.", colour="pink",
                       tags=["follow-up"], annotation_id="2b3c4d5e6f7a48b9c0d1e2f3a4b5c6d7")
    lib.annotate_quote(b, "*provisional* budget of €4.2 billion <b>late</b>", note="Not final yet.",
                       annotation_id="3c4d5e6f7a8b49c0d1e2f3a4b5c6d7e8")
    text = budget().plain_text
    start = text.index("on Friday.")
    lib.annotate(b, start, text.index("resume"), colour="purple", annotation_id="not-a-uuid:budget-span")
    lib.annotate_quote(f, "Volunteers filled sandbags", note="Who organised them?", tags=["people"],
                       annotation_id="4d5e6f7a8b9c4ad0e1f2a3b4c5d6e7f8")
    lib.upsert(tram(TRAM_EDITED))  # the "three years" passage is gone: an orphan
    lib.delete(f)  # its note stays, as an orphan with the title


@pytest.fixture
def lib(tmp_path: Path, clock: None) -> Iterator[Library]:
    library = Library.open(tmp_path / "notes.db")
    fill(library)
    yield library
    library.close()


def json_text(doc: object) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def check_reference(name: str, text: str) -> None:
    """``text`` equals the reviewed reference ``name``.  In update mode the
    reference is rewritten and the test fails: a rewritten reference is to be
    reviewed (``git diff``), never a pass."""
    path = REFERENCE / name
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        pytest.fail(f"{path} rewritten: review the diff, then run the tests without READER_UPDATE_REFERENCE")
    if not path.is_file():
        pytest.fail(f"{path} is missing: write it with READER_UPDATE_REFERENCE=1 and review it")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from the reviewed reference"


# ---- reference outputs -------------------------------------------------------
def test_the_reference_check_never_passes_in_update_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.modules[__name__], "REFERENCE", tmp_path / "ref")
    monkeypatch.setattr(sys.modules[__name__], "UPDATE", False)
    with pytest.raises(pytest.fail.Exception, match="missing"):
        check_reference("x.md", "new\n")
    monkeypatch.setattr(sys.modules[__name__], "UPDATE", True)
    with pytest.raises(pytest.fail.Exception, match="x.md rewritten: review the diff"):
        check_reference("x.md", "new\n")
    assert (tmp_path / "ref" / "x.md").read_text(encoding="utf-8") == "new\n"
    monkeypatch.setattr(sys.modules[__name__], "UPDATE", False)
    check_reference("x.md", "new\n")  # the rewritten reference is what is compared from now on
    with pytest.raises(AssertionError, match="x.md differs from the reviewed reference"):
        check_reference("x.md", "changed\n")


def test_markdown_matches_reference(lib: Library) -> None:
    check_reference("notes.md", annotations_to_markdown(lib))


def test_w3c_json_matches_reference(lib: Library) -> None:
    check_reference("notes.json", json_text(annotations_to_w3c(lib)))


def test_exports_are_deterministic(lib: Library, tmp_path: Path, clock: None) -> None:
    assert annotations_to_markdown(lib) == annotations_to_markdown(lib)
    assert json_text(annotations_to_w3c(lib)) == json_text(annotations_to_w3c(lib))


# ---- Markdown details ----------------------------------------------------------
def test_markdown_keeps_orphans_and_escapes_article_text(lib: Library) -> None:
    md = annotations_to_markdown(lib)
    assert "## Flood warning" in md and "Who organised them?" in md
    assert md.count("### Could not be placed") == 2  # the cut passage and the deleted article
    assert "<b>" not in md and "\\<b\\>" in md  # article text cannot inject HTML
    assert "## Budget \\*deal\\* \\<reached\\>" in md
    assert "A big claim. **Check** the numbers." in md  # the user's own Markdown is kept
    assert "A story without notes" not in md


def test_markdown_for_chosen_articles(lib: Library) -> None:
    md = annotations_to_markdown(lib, [budget().id])
    assert "## Budget" in md and "tram" not in md.lower()
    assert "*No notes.*" in annotations_to_markdown(lib, [quiet().id])
    assert annotations_to_markdown(lib, ["no-such-id"]) == "# Reader notes\n"


# ---- W3C model ------------------------------------------------------------------
def test_w3c_document_follows_the_model(lib: Library) -> None:
    doc = annotations_to_w3c(lib)
    assert doc["@context"][0] == "http://www.w3.org/ns/anno.jsonld"
    assert doc["type"] == "AnnotationCollection" and doc["id"].startswith("urn:uuid:")
    page = doc["first"]
    assert page["type"] == "AnnotationPage" and page["id"].startswith("urn:uuid:") and page["startIndex"] == 0
    items = page["items"]
    assert doc["total"] == len(items) == len(lib.annotations())
    for item in items:
        assert item["type"] == "Annotation" and item["id"].startswith(("urn:uuid:", "urn:reader:annotation:"))
        assert item["motivation"] == ("commenting" if any(b["purpose"] == "commenting" for b in item.get("body", []))
                                      else "highlighting")
        datetime.fromisoformat(item["created"])
        datetime.fromisoformat(item["modified"])
        target = item["target"]
        kinds = [s["type"] for s in target["selector"]]
        assert kinds == ["TextPositionSelector", "TextQuoteSelector"]
        assert target["styleClass"] in item["stylesheet"]["value"]
        assert item["reader:colour"] in target["styleClass"]
    by_id = {i["id"]: i for i in items}
    big = by_id["urn:uuid:0f3c6a5e-9b2d-4c1a-8e7f-6d5c4b3a2910"]
    assert [b["purpose"] for b in big["body"]] == ["commenting", "tagging", "tagging"]
    pos, quote = big["target"]["selector"]
    text = tram(TRAM_EDITED).plain_text
    assert text[pos["start"] : pos["end"]] == quote["exact"] == "turning point for public transport"
    assert big["target"]["source"] == "https://example.org/tram"
    gone = by_id["urn:uuid:4d5e6f7a-8b9c-4ad0-e1f2-a3b4c5d6e7f8"]
    assert gone["reader:orphan"] is True and gone["target"]["source"] == f"urn:reader:article:{flood().id}"
    assert gone["target"]["reader:articleTitle"] == "Flood warning"
    assert by_id["urn:reader:annotation:not-a-uuid:budget-span"]["motivation"] == "highlighting"
    assert annotations_to_w3c(lib, ["no-such-id"])["total"] == 0
    assert "first" not in annotations_to_w3c(lib, ["no-such-id"])


# ---- round trip and import --------------------------------------------------------
def fresh_library(path: Path) -> Library:
    """A new database holding the same articles and no notes."""
    library = Library.open(path)
    for art in current_articles():
        library.upsert(art)
    return library


def test_round_trip_through_json(lib: Library, tmp_path: Path) -> None:
    first = annotations_to_w3c(lib)
    data = json.loads(json_text(first))  # through real JSON text, as a file would be
    other = fresh_library(tmp_path / "other.db")
    report = import_w3c(other, data)
    assert report.skipped == [] and report.updated == []
    assert sorted(report.added) == sorted(a.id for a in lib.annotations())
    assert sorted(report.orphaned) == sorted(a.id for a in lib.annotations() if a.orphan)
    assert annotations_to_w3c(other) == first
    assert annotations_to_markdown(other) == annotations_to_markdown(lib)
    assert other.annotations() == lib.annotations()
    # importing the same file again changes nothing and duplicates nothing
    again = import_w3c(other, data)
    assert again.added == [] and again.updated == [] and len(again.unchanged) == first["total"]
    assert len(other.annotations()) == first["total"]
    other.close()


def test_import_updates_by_id_and_keeps_newer_local_edits(lib: Library) -> None:
    doc = annotations_to_w3c(lib)
    items = doc["first"]["items"]
    items[0]["body"][0]["value"] = "Edited elsewhere"
    items[0]["modified"] = "2024-06-01T00:00:00+00:00"
    items[1]["modified"] = "2020-01-01T00:00:00+00:00"  # older than the library's copy
    items[1]["reader:colour"] = "pink"
    report = import_w3c(lib, doc)
    assert report.updated == ["3c4d5e6f7a8b49c0d1e2f3a4b5c6d7e8"]
    assert len(report.skipped) == 1 and "not-a-uuid:budget-span" in report.skipped[0]
    assert "changed later" in report.skipped[0]
    assert len(report.unchanged) == doc["total"] - 2
    edited = lib.annotation("3c4d5e6f7a8b49c0d1e2f3a4b5c6d7e8")
    assert edited is not None and edited.note == "Edited elsewhere" and edited.updated.startswith("2024-06-01")
    assert lib.annotation("not-a-uuid:budget-span").colour == "purple"  # type: ignore[union-attr]
    assert len(lib.annotations()) == doc["total"]  # updated in place, not duplicated


def test_import_reanchors_on_the_current_text(lib: Library, tmp_path: Path) -> None:
    doc = annotations_to_w3c(lib, [tram().id])
    other = Library.open(tmp_path / "shifted.db")
    shifted = tram(("An editor's note was added at the top.",) + TRAM_EDITED)
    other.upsert(shifted)
    report = import_w3c(other, doc)
    placed = [a for a in other.annotations(shifted.id) if not a.orphan]
    assert len(placed) == 2 and report.skipped == []
    for ann in placed:
        assert shifted.plain_text[ann.start : ann.end] == ann.exact
    other.close()


def test_import_keeps_notes_of_unknown_articles_as_orphans(lib: Library, tmp_path: Path) -> None:
    doc = annotations_to_w3c(lib)
    empty = Library.open(tmp_path / "empty.db")
    report = import_w3c(empty, doc)
    assert len(report.added) == doc["total"] == len(report.orphaned)
    assert all(a.orphan and a.article_title for a in empty.annotations())
    # when the article arrives later, its notes find their places
    empty.upsert(tram(TRAM_EDITED))
    assert len([a for a in empty.annotations(tram().id) if not a.orphan]) == 2
    empty.close()


def test_malformed_items_are_reported_and_the_rest_imported(lib: Library, tmp_path: Path) -> None:
    doc = annotations_to_w3c(lib)
    good = doc["first"]["items"][0]
    bad_items = [
        "just a string",
        {"type": "Annotation", "id": "urn:uuid:00000000-0000-4000-8000-000000000001"},
        {"type": "Highlight", "id": "x"},
        {**copy.deepcopy(good), "id": "urn:reader:annotation:neg",
         "target": {**good["target"], "selector": [{"type": "TextPositionSelector", "start": -1, "end": 4}]}},
        {**copy.deepcopy(good), "id": "urn:reader:annotation:empty",
         "target": {**good["target"], "selector": {"type": "TextQuoteSelector", "exact": ""}}},
        {**copy.deepcopy(good), "id": "urn:reader:annotation:nowhere",
         "target": {"selector": {"type": "TextQuoteSelector", "exact": "hello"}}},
    ]
    data = {**doc, "first": {**doc["first"], "items": [*bad_items, good, copy.deepcopy(good)]}}
    other = fresh_library(tmp_path / "other.db")
    report = import_w3c(other, data)
    assert report.added == ["3c4d5e6f7a8b49c0d1e2f3a4b5c6d7e8"]  # the good item (its copy is item 8)
    messages = "\n".join(report.skipped)
    assert len(report.skipped) == 7, messages
    assert "item 1: expected an annotation object" in messages
    assert "item 2 (urn:uuid:00000000-0000-4000-8000-000000000001): no target" in messages
    assert "item 3 (x): type is 'Highlight'" in messages
    assert "item 4 (urn:reader:annotation:neg)" in messages and "non-negative" in messages
    assert "item 5 (urn:reader:annotation:empty)" in messages and "'exact' is empty" in messages
    assert "item 6 (urn:reader:annotation:nowhere)" in messages and "names no article" in messages
    assert "item 8" in messages and "same id as item 7" in messages
    assert "7 skipped" in report.summary()
    other.close()


def test_import_of_a_container_that_is_not_annotations(lib: Library) -> None:
    report = import_w3c(lib, 42)
    assert report.skipped and "nothing imported" in report.skipped[0]
    linked = {"@context": "http://www.w3.org/ns/anno.jsonld", "type": "AnnotationCollection",
              "id": "https://example.org/c", "total": 3, "first": "https://example.org/c/page1"}
    assert "not embedded" in import_w3c(lib, linked).skipped[0]


def test_import_of_another_tools_annotations(lib: Library) -> None:
    """A minimal annotation as another W3C client writes it: URL source, quote only, bodyValue."""
    count = len(lib.annotations())
    foreign = [
        {
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "id": "https://annotations.example/a/123",
            "type": "Annotation",
            "bodyValue": "Seen elsewhere",
            "target": {
                "source": "https://example.org/tram",
                "selector": {"type": "TextQuoteSelector", "exact": "shop owners expect more customers"},
            },
        },
        {
            "id": "https://annotations.example/a/124",
            "type": "Annotation",
            "target": {"source": "https://example.org/unknown-page",
                       "selector": {"type": "TextQuoteSelector", "exact": "not here"}},
        },
    ]
    report = import_w3c(lib, foreign)
    assert len(report.added) == 2 and report.skipped == []
    placed = lib.annotation(report.added[0])
    assert placed is not None and not placed.orphan and placed.note == "Seen elsewhere"
    assert placed.article_id == tram().id and placed.colour == "yellow"
    assert lib.annotation(report.added[1]).article_id == article_id("https://example.org/unknown-page")  # type: ignore[union-attr]
    assert report.orphaned == [report.added[1]]
    # the same file again updates nothing and adds nothing
    assert import_w3c(lib, foreign).added == []
    assert len(lib.annotations()) == count + 2
