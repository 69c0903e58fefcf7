"""The `reader` command as a person runs it in a shell: pipes, ids, help, exit codes, quotes.

Every test runs `python -m reader` in a subprocess (READER_HOME points into the
test's tmp dir, so each test has a library of its own).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from cli_helpers import ROOT, import_ok, listed, reader


@pytest.fixture
def politics(tmp_path: Path, bbc_dir: Path) -> Path:
    """60 BBC politics articles in a folder of their own."""
    folder = tmp_path / "politics"
    folder.mkdir()
    for path in sorted((bbc_dir / "politics").glob("*.txt"))[:60]:
        shutil.copy(path, folder / path.name)
    return folder


# ---- 1. pipes closed early ------------------------------------------------------------
@pytest.fixture
def big_article(tmp_path: Path) -> str:
    """An article far longer than a pipe's buffer (64 KiB), imported; its id."""
    paras = [f"Paragraph {k}: Angela Merkel met Tony Blair in Berlin on 4 April 2024 about £{k}m." for k in range(4000)]
    path = tmp_path / "long.txt"
    path.write_text("A very long article\n\n" + "\n\n".join(paras) + "\n", encoding="utf-8")
    import_ok(path)
    return next(str(row["id"]) for row in listed() if row["title"] == "A very long article")


def read_one_line_then_close(args: list[str]) -> tuple[str, int, str]:
    """What `reader ARGS | head -1` does: read one line, close the pipe, wait."""
    proc = subprocess.Popen([sys.executable, "-m", "reader", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=os.environ.copy(), cwd=ROOT)
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline().decode("utf-8")
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8")
    return first, proc.wait(timeout=180), err


@pytest.mark.parametrize("fmt", ["json", "markdown", "text"])
def test_show_into_a_pipe_closed_early_exits_quietly(big_article: str, fmt: str) -> None:
    first, code, err = read_one_line_then_close(["show", big_article, "--format", fmt])
    assert first.strip()  # the reader got the start of the output
    assert err == ""  # no traceback, no "Exception ignored ... BrokenPipeError"
    assert code == 141  # 128 + SIGPIPE, as a shell reports for `cat big | head`


def test_entities_into_a_pipe_closed_early_exits_quietly(big_article: str, tmp_path: Path) -> None:
    first, code, err = read_one_line_then_close(["entities", "--id", big_article, "--backend", "rules"])
    assert json.loads(first)["text"]
    assert err == "" and code == 141
    text = tmp_path / "long.txt"
    first, code, err = read_one_line_then_close(["entities", str(text), "--backend", "rules", "--format", "text"])
    assert first.count("\t") == 3
    assert err == "" and code == 141


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_export_into_a_pipe_closed_early_exits_quietly(big_article: str, fmt: str) -> None:
    first, code, err = read_one_line_then_close(["export", big_article, "--format", fmt])
    assert first.strip() and err == "" and code == 141


# ---- 2. ids: ambiguous, unknown --------------------------------------------------------
def test_an_ambiguous_id_says_how_many_match_and_lists_some(politics: Path) -> None:
    import_ok(politics)
    ids = [str(row["id"]) for row in listed()]
    prefix, count = Counter(i[0] for i in ids).most_common(1)[0]
    assert count > 1
    proc = reader("show", prefix)
    assert proc.returncode == 1
    assert f"ambiguous: {count} articles start with '{prefix}'" in proc.stderr
    assert "no article" not in proc.stderr
    shown = [line.split()[0] for line in proc.stderr.splitlines()[1:] if line.startswith("  ") and "more" not in line]
    assert 1 < len(shown) <= 5 and all(i in ids and i.startswith(prefix) for i in shown)
    if count > 5:
        assert f"and {count - 5} more" in proc.stderr
    # one more character of one of them is enough
    wanted = next(i for i in ids if i.startswith(prefix))
    unique = next(wanted[:n] for n in range(2, 17) if sum(i.startswith(wanted[:n]) for i in ids) == 1)
    proc = reader("show", unique, "--format", "json")
    assert proc.returncode == 0 and json.loads(proc.stdout)["id"] == wanted


def test_an_unknown_id_says_so(politics: Path) -> None:
    import_ok(politics)
    proc = reader("show", "zzzz")
    assert proc.returncode == 1
    assert proc.stderr.strip() == "reader: no article with id 'zzzz' (see `reader list`)"
    first = str(listed()[0]["id"])
    for wildcard in ("%", "_", first[0] + "_", first[:5] + "%"):  # LIKE wildcards are characters, not "any id"
        proc = reader("bookmark", wildcard)
        assert proc.returncode == 1 and f"no article with id '{wildcard}'" in proc.stderr


def test_a_one_article_library_is_not_reached_by_a_wildcard(tmp_path: Path, bbc_dir: Path) -> None:
    import_ok(bbc_dir / "politics" / "001.txt")
    (only,) = [str(r["id"]) for r in listed()]
    assert reader("show", "%").returncode == 1
    assert reader("show", only[:3] + "%").returncode == 1
    proc = reader("show", only[:3].upper(), "--format", "json")  # case does not matter
    assert proc.returncode == 0 and json.loads(proc.stdout)["id"] == only


# ---- 3. help --------------------------------------------------------------------------
def test_top_level_help_says_plain_reader_opens_the_window() -> None:
    proc = reader("--help")
    assert proc.returncode == 0
    assert "Plain `reader` (no command) opens the window" in " ".join(proc.stdout.split())
    for command in ("import", "list", "show", "search", "annotate", "annotations", "export", "import-notes"):
        assert f"\n    {command} " in proc.stdout or f"\n    {command}\n" in proc.stdout, command


def test_search_help_prints_the_query_syntax_as_plain_text() -> None:
    proc = reader("search", "--help")
    assert proc.returncode == 0
    out = proc.stdout
    assert "see the README" not in out
    syntax = (ROOT / "reader" / "search" / "HELP.md").read_text(encoding="utf-8")
    examples = [row.split("|")[1].strip().strip("`") for row in syntax.splitlines()
                if row.startswith("| `")]
    assert len(examples) > 10
    for example in examples:
        first = example.split("`")[0]  # "nato NOT russia`, `nato -russia" -> its first example
        assert first in out, first
    assert "**" not in out and "|---" not in out and "`" not in out and "# Searching" not in out
    assert "--limit N" in out and "show at most N results" in out


@pytest.mark.parametrize("command", ["import", "list", "show", "annotate", "annotations", "export", "import-notes",
                                     "search", "related", "entities", "bookmark"])
def test_every_option_of_every_command_has_help(command: str) -> None:
    proc = reader(command, "--help")
    assert proc.returncode == 0
    from reader.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for action in sub.choices[command]._actions:  # type: ignore[union-attr]
        assert action.help, f"reader {command}: {action.option_strings or action.dest} has no help"
        assert action.help.split()[0] in " ".join(proc.stdout.split()), action.dest


# ---- 4. exit codes --------------------------------------------------------------------
def test_a_folder_with_three_failures_exits_non_zero_and_keeps_the_rest(politics: Path) -> None:
    (politics / "empty.txt").write_text("", encoding="utf-8")
    (politics / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (politics / "blank.md").write_text("   \n\n", encoding="utf-8")
    (politics / "photo.jpg").write_bytes(b"\xff\xd8\xff")  # not an article file: skipped on purpose
    proc = reader("import", str(politics), "--no-entities", "--no-index")
    assert proc.returncode == 1
    assert "60 added" in proc.stdout and "3 failed" in proc.stdout
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 3 and not any("photo.jpg" in e for e in errors)
    assert len(listed()) == 60


def test_a_missing_file_exits_non_zero_and_a_clean_reimport_exits_zero(politics: Path, tmp_path: Path) -> None:
    proc = reader("import", str(politics), str(tmp_path / "missing.txt"), "--no-entities", "--no-index")
    assert proc.returncode == 1 and "missing.txt: no such file or folder" in proc.stderr
    (politics / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    proc = reader("import", str(politics), "--no-entities", "--no-index")
    assert proc.returncode == 0, proc.stderr
    assert "0 added" in proc.stdout and "60 unchanged" in proc.stdout


def test_import_notes_of_something_else_says_what_the_file_should_be(tmp_path: Path, politics: Path) -> None:
    import_ok(politics)
    bogus = tmp_path / "bogus.json"
    bogus.write_text('{"foo":1}', encoding="utf-8")
    proc = reader("import-notes", str(bogus))
    assert proc.returncode == 1
    message = proc.stderr.strip()
    assert "\n" not in message and str(bogus) in message
    assert "W3C Web Annotation" in message and '"Annotation"' in message and "AnnotationCollection" in message
    assert "keys 'foo'" in message
    assert "type is None" not in message
    listing = tmp_path / "list.json"
    listing.write_text('[{"foo": 1}, {"bar": 2}]', encoding="utf-8")
    proc = reader("import-notes", str(listing))
    assert proc.returncode == 1 and "none of them an Annotation" in proc.stderr


def test_import_notes_round_trip_exits_zero_and_a_bad_item_exits_non_zero(politics: Path, tmp_path: Path) -> None:
    import_ok(politics)
    article = str(listed()[0]["id"])
    text = reader("show", article, "--format", "text").stdout
    quote = text.splitlines()[2][:30]
    assert reader("annotate", article, "--quote", quote, "--note", "n1").returncode == 0
    notes = tmp_path / "notes.json"
    assert reader("annotations", "--format", "json", "-o", str(notes)).returncode == 0
    proc = reader("import-notes", str(notes))
    assert proc.returncode == 0 and "1 unchanged" in proc.stdout
    data = json.loads(notes.read_text(encoding="utf-8"))
    data["first"]["items"].append({"type": "Annotation", "id": "urn:x:1"})
    notes.write_text(json.dumps(data), encoding="utf-8")
    proc = reader("import-notes", str(notes))
    assert proc.returncode == 1
    assert "item 2 (urn:x:1): no target" in proc.stdout and "1 of the notes could not be imported" in proc.stderr


# ---- 5. a quote that occurs more than once ----------------------------------------------
@pytest.fixture
def blair(bbc_dir: Path) -> tuple[str, str]:
    """(id, plain text) of a BBC article with several "Mr Blair"s."""
    path = bbc_dir / "politics" / "257.txt"
    import_ok(path)
    article = str(listed()[0]["id"])
    proc = reader("show", article, "--format", "text")
    return article, proc.stdout[:-1]


def starts_of(text: str, quote: str) -> list[int]:
    out, at = [], text.find(quote)
    while at >= 0:
        out.append(at)
        at = text.find(quote, at + 1)
    return out


def test_an_ambiguous_quote_says_how_many_match_and_annotates_nothing(blair: tuple[str, str]) -> None:
    article, text = blair
    count = len(starts_of(text, "Mr Blair"))
    assert count >= 5
    proc = reader("annotate", article, "--quote", "Mr Blair")
    assert proc.returncode == 1
    assert f"occurs {count} times" in proc.stderr and "--occurrence N" in proc.stderr and "--prefix" in proc.stderr
    assert proc.stderr.count("[Mr Blair]") == count  # each occurrence listed in its context
    notes = json.loads(reader("annotations", "--format", "json").stdout)
    assert notes["total"] == 0


def test_occurrence_prefix_and_suffix_choose_the_passage(blair: tuple[str, str]) -> None:
    article, text = blair
    starts = starts_of(text, "Mr Blair")
    proc = reader("annotate", article, "--quote", "Mr Blair", "--occurrence", "3", "--note", "third")
    assert proc.returncode == 0, proc.stderr
    assert f"at {starts[2]}-{starts[2] + 8}" in proc.stdout
    # the text just after the 2nd occurrence picks it
    after = text[starts[1] + 8 : starts[1] + 20]
    assert sum(text[s + 8 :].startswith(after) for s in starts) == 1
    proc = reader("annotate", article, "--quote", "Mr Blair", "--suffix", after)
    assert proc.returncode == 0, proc.stderr
    assert f"at {starts[1]}-{starts[1] + 8}" in proc.stdout
    before = text[starts[0] - 10 : starts[0]]
    proc = reader("annotate", article, "--quote", "Mr Blair", "--prefix", before)
    assert proc.returncode == 0 and f"at {starts[0]}-{starts[0] + 8}" in proc.stdout
    proc = reader("annotate", article, "--quote", "Mr Blair", "--occurrence", str(len(starts) + 1))
    assert proc.returncode == 1 and f"there are {len(starts)} matching" in proc.stderr
    proc = reader("annotate", article, "--quote", "Mr Blair", "--prefix", "nowhere before ")
    assert proc.returncode == 1 and "none with 'nowhere before ' before it" in proc.stderr
    items = json.loads(reader("annotations", "--format", "json").stdout)["first"]["items"]
    starts_saved = sorted(next(s["start"] for s in i["target"]["selector"] if s["type"] == "TextPositionSelector")
                          for i in items)
    assert starts_saved == sorted([starts[0], starts[1], starts[2]])


def test_a_quote_that_occurs_once_just_works(blair: tuple[str, str]) -> None:
    article, text = blair
    line = text.splitlines()[3]
    quote = next(line[k : k + 25] for k in range(len(line)) if len(starts_of(text, line[k : k + 25])) == 1)
    proc = reader("annotate", article, "--quote", quote)
    assert proc.returncode == 0, proc.stderr
    start = text.index(quote)
    assert f"at {start}-{start + len(quote)}" in proc.stdout
