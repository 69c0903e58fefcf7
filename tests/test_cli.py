"""The `reader` command, driven as a user would from the shell."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reader import __version__
from reader.cli import main

NATO_TITLE = "NATO stresses unity as foreign ministers wrap up summit"
UKRAINE_TITLE = "NATO: Ukraine has 'moved closer' to alliance"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def listed(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    code, out, _ = run(capsys, "list", "--json")
    assert code == 0
    return json.loads(out)


@pytest.fixture
def mixed_folder(tmp_path: Path, seeds_dir: Path) -> Path:
    folder = tmp_path / "mixed"
    folder.mkdir()
    for seed in seeds_dir.glob("*.txt"):
        shutil.copy(seed, folder / seed.name)
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (folder / "notes.md").write_text("---\ntitle: My notes\ndate: 2024-05-01\n---\n\nSome *text* here.\n", encoding="utf-8")
    (folder / "plain.txt").write_text("A plain headline\n\nFirst paragraph.\n\nSecond one.\n", encoding="utf-8")
    return folder


def test_import_mixed_folder_reports_bad_files_and_keeps_good(
    capsys: pytest.CaptureFixture[str], mixed_folder: Path
) -> None:
    code, out, err = run(capsys, "import", str(mixed_folder), "--no-entities", "--no-index")
    assert code == 1  # not everything given was imported (issue 17: exit 0 only when all was)
    assert "4 added" in out and "2 failed" in out
    error_lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(error_lines) == 2
    assert any("empty.txt" in line for line in error_lines)
    assert any("binary.txt" in line for line in error_lines)
    titles = {row["title"] for row in listed(capsys)}
    assert titles == {NATO_TITLE, UKRAINE_TITLE, "My notes", "A plain headline"}


def test_import_of_only_bad_files_exits_non_zero(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_text("   \n", encoding="utf-8")
    code, _, err = run(capsys, "import", str(bad), "--no-entities", "--no-index")
    assert code == 1
    assert "empty.txt" in err
    assert listed(capsys) == []


def test_reimport_is_a_no_op_and_same_content_from_two_paths_is_one_article(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, seeds_dir: Path
) -> None:
    seed = next(seeds_dir.glob("000_*.txt"))
    copy = tmp_path / "elsewhere" / "copy.txt"
    copy.parent.mkdir()
    shutil.copy(seed, copy)
    assert run(capsys, "import", str(seed), "--no-entities", "--no-index")[1].startswith("imported: 1 added")
    code, out, _ = run(capsys, "import", str(seed), str(copy), "--no-entities", "--no-index")
    assert code == 0 and "0 added" in out and "2 unchanged" in out
    assert len(listed(capsys)) == 1


def test_show_formats(capsys: pytest.CaptureFixture[str], seeds_dir: Path) -> None:
    run(capsys, "import", str(seeds_dir), "--no-entities", "--no-index")
    rows = {row["title"]: row for row in listed(capsys)}
    article_id = str(rows[UKRAINE_TITLE]["id"])
    code, out, _ = run(capsys, "show", article_id[:6], "--format", "json")
    data = json.loads(out)
    assert data["title"] == UKRAINE_TITLE and data["published"].startswith("2023-06-16")
    _, text, _ = run(capsys, "show", article_id, "--format", "text")
    assert text.splitlines()[1] == UKRAINE_TITLE  # the section line comes first
    _, md, _ = run(capsys, "show", article_id)
    assert md.startswith(f"# {UKRAINE_TITLE}") or f"# {UKRAINE_TITLE}" in md
    code, _, err = run(capsys, "show", "nosuchid")
    assert code == 1 and "nosuchid" in err


def test_bookmarks_and_annotations_survive_reimport_of_edited_article(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, seeds_dir: Path
) -> None:
    seed = tmp_path / "nato.txt"
    shutil.copy(next(seeds_dir.glob("000_*.txt")), seed)
    run(capsys, "import", str(seed), "--no-entities", "--no-index")
    article_id = str(listed(capsys)[0]["id"])
    assert run(capsys, "bookmark", article_id)[0] == 0
    quote = "rock-solid"
    code, out, _ = run(capsys, "annotate", article_id, "--quote", quote, "--note", "strong words")
    assert code == 0

    # edit the file: a new paragraph before the quoted passage, a typo fixed elsewhere
    text = seed.read_text(encoding="utf-8")
    text = text.replace("What you need to know\n\nNATO foreign ministers",
                        "What you need to know\n\nAn editor's note added later.\n\nNATO foreign ministers")
    seed.write_text(text, encoding="utf-8")
    code, out, _ = run(capsys, "import", str(seed), "--no-entities", "--no-index")
    assert "1 updated" in out
    rows = listed(capsys)
    assert len(rows) == 1 and rows[0]["id"] == article_id
    assert rows[0]["bookmarked"] is True and rows[0]["notes"] == 1

    code, out, _ = run(capsys, "annotations", article_id, "--format", "json")
    data = json.loads(out)
    items = data["first"]["items"]
    assert len(items) == 1
    selectors = {s["type"]: s for s in items[0]["target"]["selector"]}
    _, plain, _ = run(capsys, "show", article_id, "--format", "text")
    start, end = selectors["TextPositionSelector"]["start"], selectors["TextPositionSelector"]["end"]
    assert plain.rstrip("\n")[start:end] == quote
    code, md, _ = run(capsys, "annotations", "--format", "markdown")
    assert "strong words" in md and quote in md


def test_annotate_with_a_missing_quote_is_a_clear_error(capsys: pytest.CaptureFixture[str], seeds_dir: Path) -> None:
    run(capsys, "import", str(seeds_dir), "--no-entities", "--no-index")
    article_id = str(listed(capsys)[0]["id"])
    code, _, err = run(capsys, "annotate", article_id, "--quote", "words that are not there")
    assert code == 1 and "does not occur" in err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"reader {__version__}"


def test_python_m_reader_without_display_explains_instead_of_aborting(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["READER_HOME"] = str(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "reader"], capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 2
    assert "xvfb-run" in proc.stderr and "QT_QPA_PLATFORM=offscreen" in proc.stderr


def test_core_store_and_search_do_not_import_qt() -> None:
    code = (
        "import sys, reader.core.article, reader.core.anchoring, reader.store, reader.store.importer, reader.cli\n"
        "import reader.search\n"
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt imported'\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr


ENTITY_TEXT = ("Boris Pistorius met Jens Stoltenberg in Brüssels.\r\n"
               "NATO pledged €100 billion ($108.6 billion), 2% more, on April 4, 2024.\r\n")


@pytest.mark.parametrize("backend", ["rules", "spacy", "auto"])
@pytest.mark.parametrize("source", ["stdin", "file"])
def test_entities_cli_offsets_index_the_input_as_given(backend: str, source: str, tmp_path: Path) -> None:
    data = ENTITY_TEXT.encode("utf-8")
    cmd = [sys.executable, "-m", "reader", "entities", "--backend", backend]
    if source == "file":
        path = tmp_path / "text.txt"
        path.write_bytes(data)
        proc = subprocess.run([*cmd, str(path)], capture_output=True, timeout=180)
    else:
        proc = subprocess.run([*cmd, "-"], input=data, capture_output=True, timeout=180)
    assert proc.returncode == 0, proc.stderr.decode()
    spans = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    assert spans, "no entities at all"
    for span in spans:
        assert set(span) == {"start", "end", "label", "text"}
        # the contract: offsets into the text exactly as given (CRLF and non-ASCII included)
        assert ENTITY_TEXT[span["start"]:span["end"]] == span["text"], span
    found = {(s["label"], s["text"]) for s in spans}
    assert ("PERSON", "Jens Stoltenberg") in found
    assert ("ORG", "NATO") in found
    assert ("PERCENT", "2%") in found
    assert any(label == "DATE" and "2024" in text for label, text in found)
    assert any(label == "MONEY" and "100 billion" in text for label, text in found)


def test_entities_cli_by_article_id(capsys: pytest.CaptureFixture[str], seeds_dir: Path) -> None:
    run(capsys, "import", str(seeds_dir), "--no-entities", "--no-index")
    article = next(a for a in listed(capsys) if a["title"] == NATO_TITLE)
    code, out, _ = run(capsys, "show", str(article["id"]), "--format", "text")
    text = out[:-1] if out.endswith("\n") else out
    code, out, err = run(capsys, "entities", "--id", str(article["id"])[:8], "--backend", "rules")
    assert code == 0, err
    spans = [json.loads(line) for line in out.splitlines()]
    assert all(text[s["start"]:s["end"]] == s["text"] for s in spans)
    persons = {s["text"] for s in spans if s["label"] == "PERSON"}
    assert "Jens Stoltenberg" in persons and "Patriot" not in persons


def test_entities_cli_unreadable_file_is_one_clear_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("caf\xe9".encode("latin-1"))
    code, _, err = run(capsys, "entities", str(bad))
    assert code != 0
    assert str(bad) in err and "\n" not in err.strip()


# ---- import: skipped files, --tag-from-folder, saved web pages (issue 13) ------------------------
def test_import_of_a_folder_without_articles_lists_every_file_and_why(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "stuff"
    folder.mkdir()
    (folder / "book.epub").write_bytes(b"PK\x03\x04")
    (folder / "cat.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "nothing.doc").write_bytes(b"")
    code, out, err = run(capsys, "import", str(folder), "--no-entities", "--no-index")
    assert code == 1 and err == ""
    assert out.splitlines() == [
        "imported: 0 added, 0 updated, 0 unchanged, 3 skipped",
        f"{folder / 'book.epub'}: skipped (.epub: not a supported format, an e-book)",
        f"{folder / 'cat.png'}: skipped (image file)",
        f"{folder / 'nothing.doc'}: skipped (empty)",
    ]


def test_import_saved_pages_and_tag_from_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "Saved articles"
    folder.mkdir()
    body = "<p>" + "Ministers agreed a new plan for the railways after a long night of talks. " * 4 + "</p>"
    (folder / "saved-page.html").write_text(
        "<html><head><link rel='canonical' href='https://news.example.org/rail'></head>"
        f"<body><article><h1>Rail plan agreed</h1>{body}</article></body></html>", encoding="utf-8")
    (folder / "page.htm").write_text(f"<html><body><article><h1>Second story</h1>{body}</article></body></html>",
                                     encoding="utf-8")
    (folder / "plain.txt").write_text("Undated note\n\nNo date anywhere.\n", encoding="utf-8")
    code, out, err = run(capsys, "import", str(folder), "--tag-from-folder", "--no-entities", "--no-index")
    assert code == 0, err
    assert out.splitlines() == ["imported: 3 added, 0 updated, 0 unchanged"]
    rows = {row["title"]: row for row in listed(capsys)}
    assert set(rows) == {"Rail plan agreed", "Second story", "Undated note"}
    from reader import paths
    from reader.store import Library

    lib = Library.open(paths.database_path())
    try:
        assert all(lib.tags_of(str(row["id"])) == ["Saved articles"] for row in rows.values())
        assert lib.article(str(rows["Rail plan agreed"]["id"])).url == "https://news.example.org/rail"  # type: ignore[union-attr]
    finally:
        lib.close()
    assert rows["Undated note"]["date"] is None
    # the same page again: one article, nothing new
    code, out, _ = run(capsys, "import", str(folder / "saved-page.html"), "--no-entities", "--no-index")
    assert (code, out.strip()) == (0, "imported: 0 added, 0 updated, 1 unchanged")


def test_import_read_later_export(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    export = tmp_path / "wallabag-export.json"
    shutil.copy(Path(__file__).parent / "core" / "data" / "wallabag_export.json", export)
    code, out, err = run(capsys, "import", str(export), "--no-entities", "--no-index")
    assert code == 1  # one item failed (issue 17: 0 only when everything was imported); the rest is in
    assert err.splitlines() == [f'error: {export} item 5 ("Broken entry: its content is a number"): '
                                "its content is not text (a int)"]
    lines = out.splitlines()
    assert lines[0] == "imported: 5 added, 0 updated, 0 unchanged, 1 failed, 5 highlights (1 could not be placed, kept as notes)"
    assert lines[1:] == [f"warning: {export}: 'Interview: the last lighthouse keeper': "
                         "no saved content; only the title and link were imported"]
    rows = {row["title"]: row for row in listed(capsys)}
    assert rows["Offshore wind farm gets the go-ahead"]["bookmarked"] is True
    assert rows["Offshore wind farm gets the go-ahead"]["notes"] == 2


def test_import_front_matter_warning_is_printed(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    note = tmp_path / "note.md"
    note.write_text("---\ntitle: A note\ndate: next week\n---\n\nText.\n", encoding="utf-8")
    code, out, err = run(capsys, "import", str(note), "--no-entities", "--no-index")
    assert (code, err) == (0, "")
    assert out.splitlines() == ["imported: 1 added, 0 updated, 0 unchanged",
                                f"warning: {note}: front matter key 'date': 'next week' is not a date; ignored"]


def test_import_paths_never_fetches_a_web_address(tmp_path: Path, seeds_dir: Path) -> None:
    """The importer (files only) names a web address as one and imports the rest;
    `reader import URL` fetches it through reader.cli_net (tests/net/test_add.py)."""
    from reader.store import Library
    from reader.store.importer import import_paths

    seed = next(seeds_dir.glob("*.txt"))
    with Library.open(tmp_path / "lib.sqlite3") as lib:
        report = import_paths(lib, ["https://www.bbc.co.uk/news", str(seed)])
    assert len(report.added) == 1
    assert report.errors == ["https://www.bbc.co.uk/news: a web address, not a file or folder; "
                             "fetch it with `reader add URL` (File > Add from link in the app)"]
