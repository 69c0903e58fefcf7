"""Notes as an Obsidian folder: one Markdown file per annotated article.

Each file has YAML front matter (title, source, url, date, authors, tags, the
Reader id, how many highlights), then the article's title as a heading, a link
line, and every highlight as a block quote with its note below (Obsidian,
Logseq and plain Markdown viewers all read this).  Highlight tags become
Obsidian ``#tags``.  File names come from the titles (characters Obsidian or
the file system refuse are replaced; two articles with one title get their id
appended), so exporting again rewrites the same files.  Values in the front
matter are JSON-quoted strings, which YAML reads as they are.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

from reader.core.article import format_date
from reader.fsutil import atomic_write
from reader.store.export import _gather, _md_escape, _md_meta, _md_quote
from reader.store.library import Annotation, Library

__all__ = ["obsidian_files", "write_obsidian"]

MAX_NAME = 80
_UNSAFE = re.compile(r'[\\/:*?"<>|#^\[\]\x00-\x1f]')


def _file_stem(title: str) -> str:
    stem = _UNSAFE.sub(" ", title)
    stem = " ".join(stem.split()).strip(". ")
    if len(stem) > MAX_NAME:
        stem = stem[:MAX_NAME].rsplit(" ", 1)[0].rstrip(". ") or stem[:MAX_NAME]
    return stem or "Untitled"


def _tag(value: str) -> str:
    """An Obsidian tag: no spaces or punctuation other than - _ /."""
    tag = re.sub(r"[^\w\-/]+", "-", value.strip(), flags=re.UNICODE).strip("-")
    return tag if tag and not tag.isdigit() else ""


def _yaml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _highlight(ann: Annotation) -> list[str]:
    out = [_md_quote(ann.exact), ""]
    if ann.note.strip():
        out += [ann.note.strip(), ""]
    tags = " ".join(f"#{t}" for t in (_tag(x) for x in ann.tags) if t)
    meta = _md_meta(ann).split(" · ")[0]  # "Colour: blue (question)"; the tags follow as #tags
    out += [meta + (f" · {tags}" if tags else ""), ""]
    return out


def obsidian_files(library: Library, article_ids: Iterable[str] | None = None) -> dict[str, str]:
    """File name -> Markdown text, one file per annotated article (or per article asked for)."""
    groups = _gather(library, article_ids)
    stems = [_file_stem(g.title) for g in groups]
    counts: dict[str, int] = {}
    for stem in stems:
        counts[stem.casefold()] = counts.get(stem.casefold(), 0) + 1
    files: dict[str, str] = {}
    for group, stem in zip(groups, stems, strict=True):
        name = f"{stem} ({group.article_id[:8]})" if counts[stem.casefold()] > 1 else stem
        art = group.article
        front = ["---", f"title: {_yaml(group.title or 'Untitled')}"]
        if art is not None:
            if art.source:
                front.append(f"source: {_yaml(art.source)}")
            link = art.url or art.short_url
            if link:
                front.append(f"url: {_yaml(link)}")
            if art.published:
                front.append(f"date: {art.published.date().isoformat()}")
            if art.authors:
                front.append("authors:")
                front += [f"  - {_yaml(a)}" for a in art.authors]
            tags = [t for t in (_tag(x) for x in art.tags) if t]
            if tags:
                front.append("tags:")
                front += [f"  - {_yaml(t)}" for t in tags]
        front += [f"reader_id: {_yaml(group.article_id)}", f"highlights: {len(group.placed) + len(group.orphans)}",
                  "---", ""]
        body = [f"# {_md_escape(group.title) or 'Untitled'}", ""]
        if art is None:
            body += ["*This article is no longer in the library.*", ""]
        else:
            parts = [x for x in (art.source, format_date(art.published) if art.published else "") if x]
            link = art.url or art.short_url
            if link:
                parts.append(f"[Original](<{link.replace('<', '%3C').replace('>', '%3E')}>)")
            if parts:
                body += [" · ".join(parts), ""]
        for ann in group.placed:
            body += _highlight(ann)
        if group.orphans:
            body += ["## Could not be placed", ""]
            for ann in group.orphans:
                body += _highlight(ann)
        files[name + ".md"] = "\n".join(front + body).rstrip("\n") + "\n"
    return files


def write_obsidian(library: Library, folder: Path, article_ids: Iterable[str] | None = None) -> list[Path]:
    """Write the notes into ``folder`` (created if needed), each file atomically;
    returns the files written.  Files already there with other names are left alone."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, text in obsidian_files(library, article_ids).items():
        path = folder / name
        atomic_write(path, text)
        written.append(path)
    return written
