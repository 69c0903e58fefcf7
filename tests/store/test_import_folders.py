"""Folder imports: every file passed over is reported with why; folder names as tags."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.ingest import iter_files
from reader.core.ingest.errors import SkippedFile
from reader.store import Library
from reader.store.importer import import_paths


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    library = Library.open(tmp_path / "lib.sqlite")
    yield library
    library.close()


def test_a_folder_of_non_articles_says_why_for_each_file(tmp_path: Path, lib: Library) -> None:
    folder = tmp_path / "Downloads"
    write(folder / "book.epub", b"PK\x03\x04epub")
    write(folder / "photo.JPG", b"\xff\xd8\xff\xe0jpeg")
    write(folder / "scan", b"\x89PNG\r\n\x1a\n")  # no suffix: recognised by its bytes
    write(folder / "report.pdf", b"%PDF-1.7")
    write(folder / "blank.rtf", b"")
    write(folder / "data.xyz", b"something")
    write(folder / ".DS_Store", b"\x00\x00\x00\x01Bud1")
    write(folder / ".git" / "HEAD", "ref: refs/heads/main\n")
    (folder / "empty-sub").mkdir()
    report = import_paths(lib, [folder])
    assert report.stored == 0 and report.errors == []
    assert report.skipped == [
        f"{folder / '.DS_Store'}: skipped (hidden file)",
        f"{folder / '.git'}: skipped (hidden folder, not searched)",
        f"{folder / 'blank.rtf'}: skipped (empty)",
        f"{folder / 'book.epub'}: skipped (.epub: not a supported format, an e-book)",
        f"{folder / 'data.xyz'}: skipped (.xyz: not a supported format)",
        f"{folder / 'empty-sub'}: skipped (empty folder)",
        f"{folder / 'photo.JPG'}: skipped (image file)",
        f"{folder / 'report.pdf'}: skipped (.pdf: not a supported format, a PDF)",
        f"{folder / 'scan'}: skipped (image file)",
    ]
    assert report.summary() == "0 added, 0 updated, 0 unchanged, 9 skipped"


def test_saved_pages_in_a_folder_are_imported_beside_the_skipped(tmp_path: Path, lib: Library) -> None:
    folder = tmp_path / "saved"
    text = "The council met on Tuesday and argued for hours about the cost of the new bridge. " * 3
    write(folder / "saved-page.html", f"<html><head><title>Bridge costs rise</title></head><body><article>"
                                      f"<h1>Bridge costs rise</h1><p>{text}</p></article></body></html>")
    write(folder / "page.htm", f"<!DOCTYPE html><html><body><main><h1>Second page</h1><p>{text}</p>"
                               "<p>Another paragraph of the second page.</p></main></body></html>")
    write(folder / "saved-page_files" / "logo.png", b"\x89PNG\r\n\x1a\n")  # what browsers save beside a page
    write(folder / "saved-page_files" / "style.css", "body { color: red }")
    report = import_paths(lib, [folder])
    assert len(report.added) == 2, report
    assert report.skipped == [
        f"{folder / 'saved-page_files' / 'logo.png'}: skipped (image file)",
        f"{folder / 'saved-page_files' / 'style.css'}: skipped (.css: not a supported format)",
    ]
    assert sorted(r.title for r in lib.all_rows()) == ["Bridge costs rise", "Second page"]


def test_nothing_found_is_said(tmp_path: Path, lib: Library) -> None:
    report = import_paths(lib, [])
    assert report.summary() == "nothing to import (no files found)"
    empty = tmp_path / "nothing"
    empty.mkdir()
    report = import_paths(lib, [empty])
    assert report.skipped == [f"{empty}: skipped (empty folder)"]


def test_iter_files_stays_quiet_unless_asked(tmp_path: Path) -> None:
    root = tmp_path / "files"
    write(root / "a.txt", "A\n\nbody")
    write(root / "b.png", b"\x89PNG")
    assert list(iter_files([root])) == [(root / "a.txt", None)]
    found = list(iter_files([root], skipped=True))
    assert [p for p, _ in found] == [root / "a.txt", root / "b.png"]
    assert isinstance(found[1][1], SkippedFile)


def test_tag_from_folder(tmp_path: Path, lib: Library) -> None:
    corpus = tmp_path / "bbc"
    write(corpus / "business" / "001.txt", "Ad sales boost Time Warner profit\n\nQuarterly profits rose.\n")
    write(corpus / "sport" / "001.txt", "Claxton hunting first major medal\n\nShe won the trials.\n")
    write(corpus / "top.txt", "A note at the top\n\nIt lives in the corpus folder itself.\n")
    report = import_paths(lib, [corpus], tag_from_folder=True)
    assert len(report.added) == 3
    tags = {lib.article(i).title: lib.tags_of(i) for i in report.added}  # type: ignore[union-attr]
    assert tags == {
        "Ad sales boost Time Warner profit": ["business"],
        "Claxton hunting first major medal": ["sport"],
        "A note at the top": ["bbc"],
    }
    # plain text has no date: nothing is made up, and the articles are undated
    assert all(lib.article(i).published is None for i in report.added)  # type: ignore[union-attr]


def test_tag_from_folder_on_a_second_import_tags_what_is_there(tmp_path: Path, lib: Library) -> None:
    path = write(tmp_path / "politics" / "001.txt", "Labour plans maternity pay rise\n\nBody.\n")
    first = import_paths(lib, [path])
    assert lib.tags_of(first.added[0]) == []
    again = import_paths(lib, [path], tag_from_folder=True)
    assert again.unchanged == first.added
    assert lib.tags_of(first.added[0]) == ["politics"]
    version = lib.index_versions()[first.added[0]]
    import_paths(lib, [path], tag_from_folder=True)  # already tagged: nothing changes
    assert lib.index_versions()[first.added[0]] == version


def test_tag_from_folder_in_the_import_process(tmp_path: Path) -> None:
    from reader.jobs.imports import import_paths_in_process

    write(tmp_path / "corpus" / "tech" / "001.txt", "Mobile gig aids\n\nA gadget story.\n")
    db = tmp_path / "proc.sqlite"
    Library.open(db).close()
    report = import_paths_in_process(db, [tmp_path / "corpus"], tag_from_folder=True)
    lib = Library.open(db)
    try:
        assert [lib.tags_of(i) for i in report.added] == [["tech"]]
    finally:
        lib.close()
