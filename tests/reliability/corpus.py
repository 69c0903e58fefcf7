"""Awkward input files, generated (never committed), and a library snapshot helper.

:func:`make_awkward_corpus` writes one folder of files every importer must
survive, each with what must happen to it: an error message naming the file
and the reason, or an article with a known title.
"""

from __future__ import annotations

import codecs
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

TEN_MB = 10 * 1024 * 1024


@dataclass(frozen=True)
class Case:
    """One awkward file and its expected outcome."""

    name: str
    path: Path
    error: str | None = None  # part of the one-line reason, when the file must be refused
    title: str | None = None  # the title, when the file must be imported
    title_prefix: bool = False  # ``title`` is only the start of a shortened title


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def make_awkward_corpus(root: Path) -> list[Case]:
    """Write the awkward corpus under ``root`` (a folder import of ``root`` sees them all)."""
    root.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []

    def add(name: str, data: bytes, **expected: object) -> Path:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        cases.append(Case(name, path, **expected))  # type: ignore[arg-type]
        return path

    add("empty.txt", b"", error="file is empty")
    add("whitespace.txt", b"   \n\t\r\n \xc2\xa0 \n  \n", error="only whitespace")
    add("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, error="binary file")
    add("nul-bytes.md", b"# Title\n\nsome text\x00with NUL\x00 bytes", error="binary file (contains NUL bytes)")
    add("controls.txt", b"Title\n\n" + b"\x01\x02\x03\x04\x05\x06" * 20, error="binary file")
    add("utf16-bom.txt", "Caf\u00e9 UTF-16\n\nNa\u00efve body.\n".encode("utf-16"), title="Caf\u00e9 UTF-16")
    add("utf16be-bom.md", codecs.BOM_UTF16_BE + "# Big endian\n\nBody.".encode("utf-16-be"), title="Big endian")
    add("latin1.txt", "Caf\u00e9 Latin-1 \u00a315m\n\nNa\u00efve body.\n".encode("latin-1"), title="Caf\u00e9 Latin-1 \u00a315m")
    add("mixed-eol.txt", b"Mixed endings\r\n\r\nFirst para\rsecond line\n\nLast para\r\n", title="Mixed endings")
    add("one-line-10mb.txt", b"word " * (TEN_MB // 5), title="word word word", title_prefix=True)
    add("tiny-paragraphs.txt", b"Tiny paragraphs\n\n" + b"p\n\n" * 100_000, title="Tiny paragraphs")
    nested = "".join("  " * i + f"- level {i}\n" for i in range(3000))
    add("nested-lists.md", f"# Nested lists\n\n{nested}".encode(), title="Nested lists")
    quotes = "".join(">" * i + f" quote {i}\n" for i in range(1, 1500))
    add("nested-quotes.md", f"# Nested quotes\n\n{quotes}".encode(), title="Nested quotes")
    add(
        "front-matter-types.md",
        b"---\ntitle: [not, a, string]\ndate: 42\nauthors: {name: x}\ntags: 3\nurl: javascript:alert(1)\n"
        b"lede:\n  nested: map\n---\n\n# Heading title\n\nBody.\n",
        title="Heading title",
    )
    add("bad-utf8-after-bom.txt", codecs.BOM_UTF8 + b"Title \xff\xfe broken", error="invalid UTF-8")
    add("new\nline.txt", b"", error="file is empty")  # the message stays one line
    big = root / "too-big.txt"
    with open(big, "wb") as handle:  # sparse: nothing written
        handle.truncate(25 * 1024 * 1024)
    cases.append(Case("too-big.txt", big, error="file is too big"))
    fifo = root / "named-pipe.txt"
    os.mkfifo(fifo)  # reading it would block forever
    cases.append(Case("named-pipe.txt", fifo, error="not a regular file"))
    locked = add("unreadable.txt", b"Locked title\n\nBody.", title="Locked title")
    os.chmod(locked, 0)
    if not is_root():  # root reads it anyway; the tests simulate the refusal then
        cases[-1] = Case("unreadable.txt", locked, error="Permission denied")
    # symlink loops in a folder import: followed once, cut, never endless
    loop = root / "loop"
    add("loop/inside.txt", b"Inside the loop\n\nBody.", title="Inside the loop")
    os.symlink(loop, loop / "self")
    os.symlink(root, loop / "up")
    os.symlink(root / "dangling-target.txt", root / "dangling.txt")
    cases.append(Case("dangling.txt", root / "dangling.txt", error="file not found"))
    return cases


STORED_TABLES = {
    "articles": "SELECT * FROM articles WHERE id IN ({ids}) ORDER BY id",
    "bookmarks": "SELECT * FROM bookmarks WHERE article_id IN ({ids}) ORDER BY article_id",
    "annotations": "SELECT * FROM annotations WHERE article_id IN ({ids}) ORDER BY id",
    "article_tags": "SELECT * FROM article_tags WHERE article_id IN ({ids}) ORDER BY article_id, tag_id",
    "entities": "SELECT * FROM entities WHERE article_id IN ({ids}) ORDER BY article_id, start, end, label",
}


def snapshot(db: Path, ids: list[str]) -> bytes:
    """Every stored row about ``ids`` (articles, bookmarks, notes, tags), as bytes."""
    conn = sqlite3.connect(db)
    try:
        marks = ",".join("?" * len(ids))
        out = []
        for table, sql in STORED_TABLES.items():
            rows = conn.execute(sql.format(ids=marks), ids).fetchall()
            out.append(f"{table}: {rows!r}")
        return "\n".join(out).encode("utf-8")
    finally:
        conn.close()
