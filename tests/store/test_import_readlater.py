"""Read-later exports (Omnivore, wallabag) through the real importer: articles, tags,
read state, stars and highlights placed by quote (orphans kept), broken items named."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from reader.core.ingest.readlater import detect_readlater
from reader.core.ingest.readlater_omnivore import parse_highlights
from reader.store import Library
from reader.store.importer import import_paths

DATA = Path(__file__).resolve().parents[1] / "core" / "data"
OMNIVORE = DATA / "omnivore_export"
WALLABAG = DATA / "wallabag_export.json"


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    library = Library.open(tmp_path / "lib.sqlite")
    yield library
    library.close()


def omnivore_zip(tmp_path: Path, extra: dict[str, bytes] | None = None) -> Path:
    """The fixture export zipped as Omnivore's export handler lays it out (files at the root)."""
    path = tmp_path / "omnivore-export.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(OMNIVORE.rglob("*")):
            if file.is_file():
                archive.write(file, file.relative_to(OMNIVORE).as_posix())
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


def by_title(lib: Library) -> dict[str, str]:
    return {row.title: row.id for row in lib.all_rows()}


def check_omnivore_library(lib: Library) -> None:
    ids = by_title(lib)
    assert len(ids) == 6
    bridge = ids["Why the bridge vote matters"]
    article = lib.article(bridge)
    assert article is not None
    assert article.url == article.identity == "https://www.example-gazette.co.uk/news/why-the-bridge-vote-matters"
    assert article.authors == ("Priya Natarajan",) and article.published is not None
    assert lib.tags_of(bridge) == ["local", "politics"]
    assert "£48m cost" in article.plain_text
    rows = lib.rows(list(ids.values()))
    read = {title for title, i in ids.items() if rows[i].is_read}
    assert read == {"Why the bridge vote matters", "Glaciers in retreat", "School meals plan approved"}
    notes = {a.exact: a for a in lib.annotations(bridge)}
    first = notes["cut journey times between the two halves of the town by twenty minutes"]
    assert (first.note, first.tags, first.orphan) == ("Check this figure against the council's own report.",
                                                       ("transport", "numbers"), False)
    text = lib.plain_text(bridge)
    assert text is not None and text[first.start:first.end] == first.exact
    assert "Opponents argue that the £48m cost would be better spent on buses" in notes
    # odd characters survive, and a highlight that is no longer in the text is kept as an orphan note
    cafe = ids["Café culture: ñandú, crème brûlée & 🦜 — a taster’s “notes”"]
    assert lib.tags_of(cafe) == ["food/drink", "çà & là"]
    cafe_notes = {a.exact: a for a in lib.annotations(cafe)}
    assert not cafe_notes["a parrot-shaped biscuit called “el loro” 🦜"].orphan
    orphan = cafe_notes["This sentence was in an older version of the page and is gone now."]
    assert orphan.orphan and orphan.note == "A highlight that can no longer be placed: must be kept as a note."
    # a highlight over two paragraphs spans the line break of the text
    rail = ids["Rail timetable changes from May"]
    (two,) = lib.annotations(rail)
    assert two.exact == ("The last train home will leave the city at 23:45, half an hour later than now.\n"
                         "Fares will not change before January, the operator said.") and not two.orphan
    # the item saved without content is there by its title and link
    ports = lib.article(ids["The long read: how ports run the world"])
    assert ports is not None and ports.url == "https://longreads.example.com/ports" and ports.blocks == ()


def test_omnivore_zip(tmp_path: Path, lib: Library) -> None:
    path = omnivore_zip(tmp_path)
    assert detect_readlater(path) == "omnivore"
    report = import_paths(lib, [path])
    assert len(report.added) == 6
    assert report.errors == [f'{path}:metadata_0_to_7.json item 6 ("A broken item without a slug"): '
                             "no usable slug (None): its content and highlights cannot be found"]
    assert report.warnings == [f"{path}: 'The long read: how ports run the world': "
                               "no saved content; only the title and link were imported"]
    assert (report.highlights, report.orphaned) == (6, 1)
    assert report.summary() == "6 added, 0 updated, 0 unchanged, 1 failed, 6 highlights (1 could not be placed, kept as notes)"
    check_omnivore_library(lib)


def test_omnivore_again_adds_nothing_and_keeps_edits(tmp_path: Path, lib: Library) -> None:
    path = omnivore_zip(tmp_path)
    import_paths(lib, [path])
    bridge = by_title(lib)["Why the bridge vote matters"]
    ann = lib.annotations(bridge)[0]
    lib.update_annotation(ann.id, note="my own words")
    lib.set_read(bridge, False)
    again = import_paths(lib, [path])
    assert len(again.unchanged) == 6 and again.added == [] and again.highlights == 0
    assert len(lib.annotations()) == 6  # the 6 highlights (the orphan one included), none doubled
    assert lib.annotation(ann.id).note == "my own words"  # type: ignore[union-attr]
    assert lib.rows([bridge])[bridge].is_read  # archived in the export: read again


def test_omnivore_unpacked_by_metadata_file_or_folder(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    unpacked = tmp_path / "Omnivore export 2024-11-01"
    shutil.copytree(OMNIVORE, unpacked)
    for target in (unpacked / "metadata_0_to_7.json", unpacked):
        lib = Library.open(tmp_path_factory.mktemp("lib") / "lib.sqlite")
        report = import_paths(lib, [target])
        # content/*.html and highlights/*.md come in with their items, not as articles of their own
        assert len(report.added) == 6 and len(report.errors) == 1, report
        check_omnivore_library(lib)
        lib.close()


def test_omnivore_zip_bomb_member_is_one_message(tmp_path: Path, lib: Library) -> None:
    meta = json.loads((OMNIVORE / "metadata_0_to_7.json").read_text("utf-8"))
    meta.append({"slug": "bomb", "title": "Bomb", "url": "https://bomb.example/x", "state": "active", "labels": []})
    path = omnivore_zip(tmp_path, {"metadata_7_to_8.json": json.dumps(meta[-1:]).encode(),
                                   "content/bomb.html": b"\0" * (25 * 1024 * 1024)})
    report = import_paths(lib, [path])
    assert len(report.added) == 6
    assert any("content/bomb.html: too big" in e for e in report.errors), report.errors


def test_omnivore_highlights_markdown() -> None:
    md = ("> first quote \n\n#a #b\n\nnote one\n\n> second\n> two lines \n\n> third with a note \n\n"
          "note three\n\nstill note three")
    got = [(h.quote, h.tags, h.note) for h in parse_highlights(md)]
    assert got == [("first quote", ("a", "b"), "note one"), ("second\ntwo lines", (), ""),
                   ("third with a note", (), "note three\n\nstill note three")]


def test_wallabag_json(tmp_path: Path, lib: Library) -> None:
    path = tmp_path / "wallabag-export.json"
    shutil.copy(WALLABAG, path)
    assert detect_readlater(path) == "wallabag"
    report = import_paths(lib, [path])
    assert len(report.added) == 5
    assert report.errors == [f'{path} item 5 ("Broken entry: its content is a number"): its content is not text (a int)']
    assert (report.highlights, report.orphaned) == (5, 1)
    ids = by_title(lib)
    wind = ids["Offshore wind farm gets the go-ahead"]
    article = lib.article(wind)
    assert article is not None and article.authors == ("Hannah Okafor",) and article.extra["language"] == "en_GB"
    assert article.url == "https://www.example-herald.com/energy/offshore-wind-farm"
    assert lib.is_bookmarked(wind) and lib.rows([wind])[wind].is_read
    assert lib.tags_of(wind) == ["energy", "wind power"]
    notes = {a.exact: a for a in lib.annotations(wind)}
    assert notes["enough to power around a million homes"].note == "Compare with last year's estimate."
    assert not notes["Fishing groups said they had not been consulted"].orphan
    greek = ids["Αθήνα: a weekend of “μεζέδες” & 日本酒 — notes <from> the road"]
    assert lib.tags_of(greek) == ["travel", "Ελληνικά"]
    (sake,) = lib.annotations(greek)
    assert sake.exact == "a tiny bar near the market poured 日本酒 (sake) next to ouzo" and not sake.orphan
    assert sake.note == "Find this place again ☺"
    (gone,) = lib.annotations(ids["Library opening hours extended"])
    assert gone.orphan and gone.note.startswith("The page was edited")
    keeper = ids["Interview: the last lighthouse keeper"]
    assert lib.is_bookmarked(keeper) and not lib.rows([keeper])[keeper].is_read
    (quote,) = lib.annotations(ids["Probe sends first pictures from the far side"])
    assert quote.exact == "It is like opening a book nobody has read" and not quote.orphan


def test_export_in_a_folder_is_recognised_and_other_json_is_skipped(tmp_path: Path, lib: Library) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    shutil.copy(WALLABAG, folder / "wallabag.json")
    (folder / "settings.json").write_text('{"theme": "dark"}', encoding="utf-8")
    report = import_paths(lib, [folder])
    assert len(report.added) == 5
    assert report.skipped == [f"{folder / 'settings.json'}: skipped (.json: not a supported format)"]


def test_a_json_file_that_is_no_export_is_a_clear_error(tmp_path: Path, lib: Library) -> None:
    path = tmp_path / "notes.json"
    path.write_text('[{"foo": 1}]', encoding="utf-8")
    report = import_paths(lib, [path])
    assert report.stored == 0 and len(report.errors) == 1
    assert report.errors[0].startswith(f"{path}: unsupported file type (.json;")
