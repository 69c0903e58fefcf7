"""User corrections of entities: stored as rules, applied to every article (now
and later imports), surviving re-recognition and re-import, undoable, exported."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from store_articles import paragraph_article

from reader.core.article import Article
from reader.store import Library
from reader.store import db as dbmod
from reader.store.entity_corrections import Correction, CorrectionError
from reader.store.export import annotations_to_markdown, annotations_to_w3c, import_w3c
from reader.store.models import EntitySpan

#: What "the recogniser" found: name -> type, looked up in each article's text.
FOUND = {"Tony Blair": "PERSON", "Blair": "PERSON", "Oscar": "PERSON", "Vera Drake": "ORG", "Kent": "PERSON",
         "BBC": "ORG", "Beeb": "ORG", "George W Bush": "PERSON", "Bush": "PERSON", "Walter van": "PERSON",
         "Vijver": "PERSON", "Labour": "ORG"}


def art(n: int, *paras: str) -> Article:
    return paragraph_article(f"https://example.org/{n}", f"Story {n}", paras)


def recognise(lib: Library, article_id: str, backend: str = "rules:1") -> None:
    """Store spans for every FOUND name in the text, as a recogniser would."""
    text = lib.plain_text(article_id)
    assert text is not None
    spans = []
    taken: list[tuple[int, int]] = []
    for name in sorted(FOUND, key=len, reverse=True):
        at = text.find(name)
        while at >= 0:
            end = at + len(name)
            boundary = (at == 0 or not text[at - 1].isalnum()) and (end == len(text) or not text[end].isalnum())
            if boundary and not any(s < end and at < e for s, e in taken):
                spans.append(EntitySpan(at, end, FOUND[name], name, name))
                taken.append((at, end))
            at = text.find(name, at + 1)
    lib.set_entities(article_id, spans, backend=backend, text_hash=f"h{len(text)}")


def shown(lib: Library, article_id: str) -> list[tuple[str, str]]:
    return [(s.text, s.label) for s in lib.entities(article_id)]


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    with Library.open(tmp_path / "lib.db") as library:
        arts = [
            art(1, "Oscar nominee Vera Drake opened in Kent.", "Tony Blair went to the BBC."),
            art(2, "The Oscar went to Vera Drake.", "Blair said the Beeb was wrong."),
            art(3, "George W Bush met Tony Blair.", "Bush praised Labour."),
        ]
        for a in arts:
            library.upsert(a)
            recognise(library, a.id)
        library.recompute_canonical()
        yield library


def test_hide_everywhere_applies_to_existing_and_future_articles_and_undoes(lib: Library) -> None:
    a1, a2 = art(1).id, art(2).id
    assert ("Oscar", "PERSON") in shown(lib, a1) and ("Oscar", "PERSON") in shown(lib, a2)
    c = lib.hide_entity("Oscar")
    assert all(t != "Oscar" for t, _ in shown(lib, a1) + shown(lib, a2))
    assert lib.find_entity("Oscar") is None
    # a later import is corrected too
    new = art(4, "Another Oscar for Kent.")
    lib.upsert(new)
    recognise(lib, new.id)
    assert shown(lib, new.id) == [("Kent", "PERSON")]
    # the recogniser's own spans are kept as found
    assert ("Oscar", "PERSON") in [(s.text, s.label) for s in lib.recognised_entities(a1)]
    lib.undo_correction(c)
    assert ("Oscar", "PERSON") in shown(lib, a1) and ("Oscar", "PERSON") in shown(lib, new.id)
    assert lib.entity_corrections() == []
    assert lib.find_entity("oscar") is not None and lib.find_entity("oscar").articles == 3  # type: ignore[union-attr]
    again = lib.restore_correction(c)
    assert again.id == c.id and all(t != "Oscar" for t, _ in shown(lib, a1))


def test_hide_here_only_in_one_article(lib: Library) -> None:
    a1, a2 = art(1).id, art(2).id
    lib.hide_entity("Vera Drake", article_id=a1)
    assert ("Vera Drake", "ORG") not in shown(lib, a1)
    assert ("Vera Drake", "ORG") in shown(lib, a2)
    assert lib.find_entity("Vera Drake").articles == 1  # type: ignore[union-attr]


def test_unhide_removes_every_hide_of_the_name_and_can_be_undone(lib: Library) -> None:
    a1 = art(1).id
    lib.hide_entity("Kent", article_id=a1)
    lib.hide_entity("Oscar")
    gone = lib.unhide_entity("kent")
    assert [c.name for c in gone] == ["Kent"] and ("Kent", "PERSON") in shown(lib, a1)
    lib.restore_corrections(gone)
    assert ("Kent", "PERSON") not in shown(lib, a1)
    with pytest.raises(CorrectionError, match="“Vera Drake” is not hidden"):
        lib.unhide_entity("Vera Drake")


def test_retype_one_mention_survives_re_recognition_and_an_edited_re_import(lib: Library) -> None:
    a1 = art(1).id
    text = lib.plain_text(a1) or ""
    start = text.index("Kent")
    lib.retype_mention(a1, start, start + 4, "place")
    assert ("Kent", "PLACE") in shown(lib, a1)
    # re-recognition by a newer recogniser version: the correction applies again
    recognise(lib, a1, backend="rules:2")
    assert ("Kent", "PLACE") in shown(lib, a1)
    # the article is imported again with more text before the mention: found at its new place
    edited = art(1, "Update: more news.", "Oscar nominee Vera Drake opened in Kent.", "Tony Blair went to the BBC.")
    lib.upsert(edited)
    recognise(lib, a1)
    new_text = lib.plain_text(a1) or ""
    kent = [s for s in lib.entities(a1) if s.text == "Kent"]
    assert [(s.label, s.start) for s in kent] == [("PLACE", new_text.index("Kent"))]


def test_retype_an_entity_everywhere_and_in_future_imports(lib: Library) -> None:
    lib.retype_entity("Vera Drake", "WORK")
    assert ("Vera Drake", "WORK") in shown(lib, art(1).id) and ("Vera Drake", "WORK") in shown(lib, art(2).id)
    assert lib.find_entity("Vera Drake").label == "WORK"  # type: ignore[union-attr]
    later = art(5, "Vera Drake won again.")
    lib.upsert(later)
    recognise(lib, later.id)
    assert shown(lib, later.id) == [("Vera Drake", "WORK")]
    assert [e.name for e in lib.canonical_entities(["ORG"])].count("Vera Drake") == 0


def test_add_a_missed_mention_replaces_the_split_pieces(lib: Library) -> None:
    a = art(6, "Shell chairman Walter van der Vijver resigned.")
    lib.upsert(a)
    recognise(lib, a.id)
    assert ("Walter van", "PERSON") in shown(lib, a.id) and ("Vijver", "PERSON") in shown(lib, a.id)
    text = lib.plain_text(a.id) or ""
    start = text.index("Walter")
    end = text.index("Vijver") + len("Vijver")
    c = lib.add_mention(a.id, start, end, "PERSON")
    assert shown(lib, a.id) == [("Walter van der Vijver", "PERSON")]
    recognise(lib, a.id, backend="rules:3")
    assert shown(lib, a.id) == [("Walter van der Vijver", "PERSON")]
    assert lib.find_entity("Walter van der Vijver") is not None
    lib.undo_correction(c)
    assert shown(lib, a.id) == [("Walter van", "PERSON"), ("Vijver", "PERSON")]


def test_merge_split_and_rename_canonical_entities(lib: Library) -> None:
    bbc, beeb = lib.find_entity("BBC"), lib.find_entity("Beeb")
    assert bbc is not None and beeb is not None and bbc.id != beeb.id
    merge = lib.merge_entities("Beeb", "BBC")
    merged = lib.find_entity("Beeb")
    assert merged is not None and merged.name == "BBC" and "Beeb" in merged.aliases and merged.articles == 2
    assert sorted(lib.entity_article_ids(merged.id)) == sorted([art(1).id, art(2).id])
    # bare "Bush" is linked to George W Bush; the user says it is someone else
    bush = lib.find_entity("George W Bush")
    assert bush is not None and "Bush" in bush.aliases
    split = lib.split_alias("Bush")
    alone = lib.find_entity("Bush")
    assert alone is not None and alone.name == "Bush" and alone.id != bush.id
    assert "Bush" not in lib.find_entity("George W Bush").aliases  # type: ignore[union-attr]
    rename = lib.rename_entity("Tony Blair", "Anthony Blair")
    blair = lib.find_entity("tony blair")
    assert blair is not None and blair.name == "Anthony Blair" and "Tony Blair" in blair.aliases
    assert ("PERSON", "Anthony Blair", 3) in lib.top_entities(["PERSON"])
    # made in place, they are what a full recompute (the entities pass does one) gives
    in_place = lib.canonical_entities()
    lib.recompute_canonical()
    assert lib.canonical_entities() == in_place
    assert lib.find_entity("Anthony Blair") is not None and lib.find_entity("Beeb").name == "BBC"  # type: ignore[union-attr]
    for c in (rename, split, merge):
        lib.undo_correction(c)
    assert lib.find_entity("Tony Blair").name == "Tony Blair"  # type: ignore[union-attr]
    assert lib.find_entity("Beeb").name == "Beeb"  # type: ignore[union-attr]
    assert lib.find_entity("Bush").name == "George W Bush"  # type: ignore[union-attr]


def test_bad_corrections_say_what_is_wrong_and_change_nothing(lib: Library) -> None:
    a1 = art(1).id
    with pytest.raises(CorrectionError, match="'city' is not an entity type"):
        lib.retype_entity("Kent", "city")
    with pytest.raises(CorrectionError, match="no entity called “Nobody Atall”"):
        lib.merge_entities("Nobody Atall", "BBC")
    with pytest.raises(CorrectionError, match=r"500-510 is outside its text"):
        lib.add_mention(a1, 500, 510, "PERSON")
    with pytest.raises(CorrectionError, match="no article with the id 'nope'"):
        lib.add_mention("nope", 0, 3, "PERSON")
    with pytest.raises(CorrectionError, match="already one entity"):
        lib.merge_entities("Blair", "Tony Blair")
    assert lib.entity_corrections() == []


def test_corrections_go_into_the_notes_export_and_come_back(lib: Library, tmp_path: Path) -> None:
    lib.hide_entity("Oscar")
    lib.retype_entity("Kent", "PLACE")
    lib.merge_entities("Beeb", "BBC")
    doc = json.loads(json.dumps(annotations_to_w3c(lib)))
    assert [c["kind"] for c in doc["reader:entityCorrections"]] == ["hide", "retype", "merge"]
    assert "“Oscar” is not an entity anywhere" in annotations_to_markdown(lib)
    with Library.open(tmp_path / "other.db") as other:
        for n, paras in ((1, ("Oscar nominee Vera Drake opened in Kent.", "Tony Blair went to the BBC.")),
                         (2, ("The Oscar went to Vera Drake.", "Blair said the Beeb was wrong."))):
            other.upsert(art(n, *paras))
            recognise(other, art(n).id)
        other.recompute_canonical()
        report = import_w3c(other, doc)
        assert (report.corrections_added, report.corrections_unchanged) == (3, 0)
        assert "entity corrections: 3 added" in report.summary()
        assert ("Kent", "PLACE") in shown(other, art(1).id)
        assert all(t != "Oscar" for t, _ in shown(other, art(2).id))
        assert other.find_entity("Beeb").name == "BBC"  # type: ignore[union-attr]
        again = import_w3c(other, doc)
        assert (again.corrections_added, again.corrections_unchanged) == (0, 3)
        doc["reader:entityCorrections"].append({"kind": "explode"})
        bad = import_w3c(other, doc)
        assert bad.skipped == ["entity correction 4: unknown correction kind 'explode'"]


def test_deleted_article_comes_back_with_its_corrections(lib: Library) -> None:
    a1 = art(1).id
    lib.hide_entity("Kent", article_id=a1)
    snaps = lib.delete_articles([a1])
    lib.restore_articles(snaps)
    assert ("Kent", "PERSON") not in shown(lib, a1)
    assert ("Kent", "PERSON") in [(s.text, s.label) for s in lib.recognised_entities(a1)]
    lib.unhide_entity("Kent")
    assert ("Kent", "PERSON") in shown(lib, a1)


def test_upgrade_from_schema_1_keeps_the_entities_as_recognised(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.db"
    monkeypatch.setattr(dbmod, "SCHEMA_VERSION", 1)
    conn = dbmod.connect(path)
    a = art(1, "Tony Blair spoke.")
    conn.execute("INSERT INTO articles (id, identity, content_hash, title, format, data, plain_text, imported_at)"
                 " VALUES (?,?,?,?,?,?,?,?)", (a.id, a.identity, a.content_hash, a.title, "text",
                                               json.dumps(a.to_json()), a.plain_text, "2024-01-01"))
    start = a.plain_text.index("Tony")
    conn.execute("INSERT INTO entities VALUES (?,?,?,?,?,?)", (a.id, start, start + 10, "PERSON", "Tony Blair",
                                                               "Tony Blair"))
    conn.execute("INSERT INTO entity_runs VALUES (?,?,?,?)", (a.id, "rules:1", "x", "2024-01-01"))
    conn.close()
    monkeypatch.setattr(dbmod, "SCHEMA_VERSION", 3)
    with Library.open(path) as lib:
        assert lib.recognised_entities(a.id) == lib.entities(a.id) != []
        lib.recompute_canonical()
        lib.hide_entity("Tony Blair")
        assert lib.entities(a.id) == []
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 3


def test_a_correction_round_trips_through_json() -> None:
    c = Correction(7, "retype", name="Kent", article_id="a1", start=3, end=7, exact="Kent", value="PLACE",
                   created="2024-01-01T00:00:00+00:00")
    back = Correction.from_json(c.to_json())
    assert back.same_rule(c) and back.id == 0
    with pytest.raises(CorrectionError, match="'start' must be a position"):
        Correction.from_json({"kind": "add", "start": -1})


def test_hiding_an_other_name_hides_that_name_only(lib: Library) -> None:
    tony = lib.find_entity("Blair")
    assert tony is not None and tony.name == "Tony Blair" and "Blair" in tony.aliases
    lib.hide_entity("Blair")
    assert ("Blair", "PERSON") not in shown(lib, art(2).id)
    assert ("Tony Blair", "PERSON") in shown(lib, art(1).id) and ("Tony Blair", "PERSON") in shown(lib, art(3).id)
    after = lib.find_entity("Tony Blair")
    assert after is not None and after.articles == 2 and "Blair" not in after.aliases
    in_place = lib.canonical_entities()
    lib.recompute_canonical()  # what the entities pass does: the same
    assert lib.canonical_entities() == in_place


def test_hide_one_mention_keeps_the_others(lib: Library) -> None:
    a1 = art(1).id
    text = lib.plain_text(a1) or ""
    first = text.index("Kent")
    c = lib.hide_mention(a1, first, first + 4)
    assert c.describe() == f"“Kent” at {first} is not an entity in article {a1}"
    assert [s.start for s in lib.entities(a1) if s.text == "Kent"] == []  # (Kent is there once)
    with pytest.raises(CorrectionError, match="no entity at"):
        lib.hide_mention(a1, 0, 3)
    lib.undo_correction(c)
    assert [s.start for s in lib.entities(a1) if s.text == "Kent"] == [first]
