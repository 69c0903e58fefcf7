"""load_file / iter_files on real files: encodings, bad input, folders, the BBC corpus."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from reader.core.ingest import MAX_BYTES, SUPPORTED_SUFFIXES, IngestError, iter_files, load_file


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def assert_one_line_error(exc: IngestError, path: Path, reason_part: str) -> None:
    message = str(exc)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    assert reason_part in message
    assert exc.path == str(path)


def test_api_constants() -> None:
    assert {".txt", ".md", ".markdown", ".text"} <= SUPPORTED_SUFFIXES
    assert MAX_BYTES >= 1024 * 1024


def test_ingest_error_format() -> None:
    err = IngestError(Path("/a/b.txt"), "file is empty")
    assert str(err) == "/a/b.txt: file is empty"
    assert (err.path, err.reason) == ("/a/b.txt", "file is empty")
    assert "\n" not in str(IngestError("a\nb.txt", "two\nlines"))


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \n\t\r\n  \n", "whitespace"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        (b"Title\n\nsome text\x00with a NUL", "NUL"),
        (b"Title\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11\x12", "binary"),
        (b"Title\n" + bytes(range(0x80, 0x100)) * 4, "undecodable"),
        (codecs.BOM_UTF8 + b"Title \xff\xfe broken", "UTF-8"),
        (codecs.BOM_UTF16_LE + b"T\x00i\x00\x00\xd8", "UTF-16"),
    ],
    ids=["empty", "whitespace", "png", "nul", "controls", "undecodable", "bad-utf8-bom", "bad-utf16"],
)
def test_bad_files_give_one_line_errors(tmp_path: Path, data: bytes, reason: str) -> None:
    path = write(tmp_path / "bad.txt", data)
    with pytest.raises(IngestError) as info:
        load_file(path)
    assert_one_line_error(info.value, path, reason)


def test_huge_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    """Refused from its size alone: the message gives the file's size, which
    only the check before reading knows (a file found too big while reading is
    "over 20.0 MB").  How long the refusal takes: benchmarks/bench_store.py."""
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:  # sparse: no 50 MB written
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(IngestError) as info:
        load_file(path)
    assert_one_line_error(info.value, path, "too big")
    assert "(50.0 MB; the limit is 20.0 MB)" in str(info.value)


def test_missing_and_directory(tmp_path: Path) -> None:
    with pytest.raises(IngestError) as info:
        load_file(tmp_path / "gone.txt")
    assert_one_line_error(info.value, tmp_path / "gone.txt", "not found")
    with pytest.raises(IngestError, match="folder"):
        load_file(tmp_path)


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "locked.txt", "Title\n\nBody.")
    real_open = open

    def fake_open(file, *args, **kwargs):  # noqa: ANN001, ANN202
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", fake_open)
    with pytest.raises(IngestError) as info:
        load_file(path)
    assert_one_line_error(info.value, path, "Permission denied")


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + "Café title\n\nNaïve text.".encode(),
        "Café title\n\nNaïve text.".encode("utf-16"),
        codecs.BOM_UTF16_BE + "Café title\n\nNaïve text.".encode("utf-16-be"),
        "Café title\n\nNaïve text.".encode("utf-16-le"),  # no BOM: NULs in every other byte
        "Café title\n\nNaïve text.".encode("latin-1"),
        "Café title\r\n\r\nNaïve\rtext.\n".encode("cp1252"),
    ],
    ids=["utf8-bom", "utf16-bom", "utf16be-bom", "utf16-no-bom", "latin1", "cp1252-mixed-eol"],
)
def test_encodings_and_line_endings(tmp_path: Path, data: bytes) -> None:
    article = load_file(write(tmp_path / "enc.txt", data))
    assert article.title == "Café title"
    assert [b.text for b in article.blocks] in (["Naïve text."], ["Naïve text."])


def test_latin1_pound_sign(tmp_path: Path) -> None:
    article = load_file(write(tmp_path / "bbc.txt", b"Chelsea sack Mutu\n\nA \xa315.8m signing.\n"))
    assert article.blocks[0].text == "A £15.8m signing."


def test_content_hash_ignores_line_endings(tmp_path: Path) -> None:
    a = load_file(write(tmp_path / "a.txt", b"Title\n\nBody.\n"))
    b = load_file(write(tmp_path / "b.txt", b"Title\r\n\r\nBody.\r\n"))
    assert a.content_hash == b.content_hash
    assert a.id != b.id  # different files, different identities


# ---- iter_files --------------------------------------------------------------------------
def test_iter_files_mixed_folder(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    write(root / "b.txt", "B\n\nbody")
    write(root / "a.md", "# A\n\nbody")
    write(root / "sub" / "c.markdown", "# C")
    write(root / "sub" / "d.TEXT", "D")
    write(root / "image.png", b"\x89PNG\x00")
    write(root / "notes.docx", b"PK")
    write(root / ".hidden.txt", "hidden")
    write(root / ".git" / "x.txt", "hidden dir")
    pdf = write(tmp_path / "explicit.pdf", b"%PDF")
    missing = tmp_path / "missing.txt"
    results = list(iter_files([root, pdf, missing, root / "b.txt"]))
    files = [p for p, err in results if err is None]
    assert files == [root / "a.md", root / "b.txt", root / "sub" / "c.markdown", root / "sub" / "d.TEXT"]
    errors = {p: err for p, err in results if err is not None}
    assert set(errors) == {pdf, missing}
    assert_one_line_error(errors[pdf], pdf, "unsupported file type")
    assert_one_line_error(errors[missing], missing, "no such file")


def test_iter_files_symlink_loop(tmp_path: Path) -> None:
    root = tmp_path / "loop"
    write(root / "a.txt", "A")
    os.symlink(root, root / "self")
    os.symlink(tmp_path, root / "up")
    files = [p for p, err in iter_files([root]) if err is None]
    assert files == [root / "a.txt"]


def test_iter_files_unreadable_folder_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "bad" / "x.txt", "X")
    write(tmp_path / "good" / "y.txt", "Y")
    real_scandir = os.scandir

    def fake_scandir(path):  # noqa: ANN001, ANN202
        if Path(path).name == "bad":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", fake_scandir)
    results = list(iter_files([tmp_path]))
    assert [(p.name, err is None) for p, err in results] == [("bad", False), ("y.txt", True)]
    assert "Permission denied" in str(results[0][1])


def test_file_vanishing_between_iter_and_load(tmp_path: Path) -> None:
    path = write(tmp_path / "gone.txt", "Title\n\nBody.")
    files = [p for p, err in iter_files([tmp_path]) if err is None]
    path.unlink()
    with pytest.raises(IngestError) as info:
        load_file(files[0])
    assert_one_line_error(info.value, path, "not found")


# ---- the BBC corpus -----------------------------------------------------------------------
def test_bbc_sample_parses(bbc_dir: Path) -> None:
    files = sorted(bbc_dir.glob("*/*.txt"))
    sample = files[:: max(1, len(files) // 200)]
    for path in sample:
        article = load_file(path)
        assert article.format == "text"
        assert article.title and article.blocks
        assert "\n\n" not in article.plain_text
    mutu = load_file(bbc_dir / "sport" / "199.txt")
    assert "£15.8m" in mutu.plain_text


# ---- undeclared encodings: charset-normalizer (issue 13) ------------------------------------
@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Новости дня\n\nПравительство объявило о новых мерах поддержки экономики.", "cp1251"),
        ("Ειδήσεις\n\nΗ κυβέρνηση ανακοίνωσε νέα μέτρα για την οικονομία σήμερα.", "cp1253"),
        ("Wiadomości\n\nZażółć gęślą jaźń: rząd ogłosił nowe środki wsparcia gospodarki.", "cp1250"),
        ("ニュース\n\n政府は本日、経済を支援するための新しい措置を発表しました。", "shift_jis"),
        ("新闻\n\n政府今天宣布了支持经济的新措施。", "gb18030"),
        ("Quotes \u201cand\u201d dashes \u2013 \u20ac5\n\nHe said \u201chello\u201d \u2013 and left\u2026", "cp1252"),
        ("Köln news\n\nDie Bürger müssen Straßen säubern. Größe: 5 m².", "latin-1"),
    ],
    ids=["russian-cp1251", "greek-cp1253", "polish-cp1250", "japanese-sjis", "chinese-gb18030", "cp1252-quotes",
         "german-latin1"],
)
def test_undeclared_encodings_are_guessed(tmp_path: Path, text: str, encoding: str) -> None:
    article = load_file(write(tmp_path / "news.txt", text.encode(encoding)))
    title, _, body = text.partition("\n\n")
    assert article.title == title
    assert [b.text for b in article.blocks] == [body]


def test_big_undeclared_file_is_decoded_whole(tmp_path: Path) -> None:
    # the guess looks at the start; the rest must fit it, or the whole file is looked at
    text = "Title\n\n" + "Plain ASCII to begin with. " * 20000 + "\n\nThen Café, naïve and £15 at the end."
    article = load_file(write(tmp_path / "big.txt", text.encode("cp1252")))
    assert article.blocks[-1].text == "Then Café, naïve and £15 at the end."
