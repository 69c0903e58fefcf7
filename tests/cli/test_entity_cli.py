"""``reader entity ...`` and ``reader search --facets``, run as a user runs them (a subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from child_process import ROOT, child_env

from reader import paths
from reader.core.article import Article, Block, BlockKind, article_id, content_hash
from reader.store import Library
from reader.store.models import EntitySpan

NAMES = {"Tony Blair": "PERSON", "Blair": "PERSON", "Gordon Brown": "PERSON", "Labour": "ORG",
         "Lib Dems": "ORG", "Liberal Democrats": "ORG", "Oscar": "PERSON", "Kent": "PERSON", "London": "PLACE"}
TEXTS = [
    ("Blair calls election", "Tony Blair said Labour would win in London.", "Blair thanked Gordon Brown.", (2005, 3)),
    ("Budget", "Gordon Brown and Tony Blair agreed on the budget.", "The Lib Dems objected.", (2005, 3)),
    ("Film prize", "The Oscar went to a film shot in Kent.", "Kent celebrated.", (2005, 2)),
    ("Conference", "The Liberal Democrats met in London.", "Labour watched.", (2004, 9)),
]


def article(n: int, title: str, *paras: str, when: tuple[int, int]) -> Article:
    return Article(id=article_id(f"cli:{n}"), identity=f"cli:{n}", title=title,
                   content_hash=content_hash(title + "".join(paras)), source="BBC", section="politics",
                   published=datetime(when[0], when[1], 10, tzinfo=UTC),
                   blocks=tuple(Block(BlockKind.PARAGRAPH, p) for p in paras))


@pytest.fixture
def library(reader_home: Path) -> list[str]:
    """A library in READER_HOME with entities stored as a recogniser would; returns the ids."""
    ids = []
    with Library.open(paths.database_path()) as lib:
        for n, (title, p1, p2, when) in enumerate(TEXTS):
            a = article(n, title, p1, p2, when=when)
            lib.upsert(a)
            text = lib.plain_text(a.id) or ""
            spans: list[EntitySpan] = []
            for name in sorted(NAMES, key=len, reverse=True):
                at = text.find(name)
                while at >= 0:
                    if not any(s.start < at + len(name) and at < s.end for s in spans):
                        norm = "Tony Blair" if name == "Blair" and "Tony Blair" in text else name
                        spans.append(EntitySpan(at, at + len(name), NAMES[name], name, norm))
                    at = text.find(name, at + 1)
            lib.set_entities(a.id, spans, backend="test:1", text_hash="x")
            ids.append(a.id)
        lib.recompute_canonical()
    return ids


def reader(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reader", *args], cwd=ROOT, env=child_env(),
                          capture_output=True, text=True, timeout=120)


def test_list_and_show(library: list[str]) -> None:
    out = reader("entity", "list", "--type", "person", "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert [(r["name"], r["articles"]) for r in rows][:2] == [("Tony Blair", 2), ("Gordon Brown", 2)]
    assert all(r["type"] == "PERSON" for r in rows)
    text = reader("entity", "list", "--limit", "3")
    assert text.returncode == 0 and len(text.stdout.splitlines()) == 3
    # an alias resolves to its entity
    show = reader("entity", "show", "lib dems", "--json")
    assert show.returncode == 0, show.stderr
    data = json.loads(show.stdout)
    assert data["name"] == "Liberal Democrats" and data["aliases"] == ["Lib Dems"] and data["articles"] == 2
    assert data["mentions_per_month"] == {"2004-09": 1, "2005-03": 1}
    assert {c["name"]: c["articles"] for c in data["cooccurring"]}["Labour"] == 1
    human = reader("entity", "show", "Blair")
    assert human.stdout.startswith("Tony Blair  (PERSON)\nalso called: Blair\n2 article(s), 4 mention(s)\n")
    assert "  2005-03      4  " in human.stdout


def test_corrections_from_the_command_line_stick_and_undo(library: list[str]) -> None:
    assert reader("entity", "hide", "Oscar").returncode == 0
    retype = reader("entity", "retype", "Kent", "place")
    assert retype.returncode == 0 and "type of “Kent” -> PLACE" in retype.stdout
    assert reader("entity", "merge", "Gordon Brown", "Tony Blair").returncode == 0
    assert reader("entity", "rename", "Tony Blair", "Anthony Blair").returncode == 0
    with Library.open(paths.database_path()) as lib:
        film = library[2]
        assert [(s.text, s.label) for s in lib.entities(film)] == [("Kent", "PLACE"), ("Kent", "PLACE")]
        blair = lib.find_entity("Gordon Brown")
        assert blair is not None and blair.name == "Anthony Blair" and blair.articles == 2
        # re-recognition (a new recogniser version) keeps the corrections
        lib.set_entities(film, lib.recognised_entities(film), backend="test:2", text_hash="y")
        lib.recompute_canonical()
        assert [(s.text, s.label) for s in lib.entities(film)] == [("Kent", "PLACE"), ("Kent", "PLACE")]
    listed = json.loads(reader("entity", "list", "--json").stdout)
    assert "Oscar" not in [r["name"] for r in listed]
    corrections = json.loads(reader("entity", "corrections", "--json").stdout)
    assert [c["kind"] for c in corrections] == ["hide", "retype", "merge", "rename"]
    undo = reader("entity", "undo")
    assert undo.returncode == 0 and "undone: “Tony Blair” renamed “Anthony Blair”" in undo.stdout
    unhide = reader("entity", "unhide", "oscar")
    assert unhide.returncode == 0
    listed = {r["name"] for r in json.loads(reader("entity", "list", "--json").stdout)}
    assert {"Oscar", "Tony Blair"} <= listed and "Anthony Blair" not in listed


def test_bad_input_is_one_clear_line(library: list[str]) -> None:
    for args, message in (
        (("entity", "show", "Nobody"), "reader: no entity called “Nobody” (see `reader entity list`)\n"),
        (("entity", "retype", "Kent", "city"), "reader: 'city' is not an entity type"),
        (("entity", "merge", "Kent", "Nobody"), "reader: no entity called “Nobody” in the library\n"),
        (("entity", "list", "--type", "animal"), "reader: --type 'ANIMAL' is not an entity type"),
        (("entity", "unhide", "Kent"), "reader: “Kent” is not hidden\n"),
    ):
        out = reader(*args)
        assert out.returncode == 1 and out.stderr.startswith(message), (args, out.stderr)
        assert "Traceback" not in out.stderr


def test_search_facets_json(library: list[str]) -> None:
    out = reader("search", "london OR budget OR film", "--facets", "--json", "--limit", "1")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert len(data["hits"]) == 1 and data["total"] == 4
    facets = data["facets"]
    assert facets["person"][:2] == [["Gordon Brown", 2], ["Tony Blair", 2]]
    assert ["London", 2] in facets["place"] and ["Liberal Democrats", 2] in facets["org"]
    assert facets["source"] == [["BBC", 4]] and facets["year"] == [["2005", 3], ["2004", 1]]
    assert set(facets) == {"person", "org", "place", "source", "section", "tag", "year"}
