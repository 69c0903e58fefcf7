"""Omnivore exports (the service closed in November 2024).

Its export (``packages/export-handler`` in the Omnivore source) is a zip of

* ``metadata_<from>_to_<to>.json``: a JSON array of items: ``id``, ``slug``,
  ``title``, ``description``, ``author``, ``url``, ``state`` (``"archived"`` or
  ``"active"``), ``readingProgress`` (percent), ``thumbnail``, ``labels`` (names),
  ``savedAt``, ``updatedAt``, ``publishedAt``;
* ``content/<slug>.html``: the saved article;
* ``highlights/<slug>.md``: the item's highlights, each ``> quote`` (empty lines
  of a quote written as ``> ``), then a blank line and ``#label #label`` if it
  had labels, then a blank line and the note if it had one; highlights are
  separated by blank lines.

Also read: the metadata JSON alone, with ``content/`` and ``highlights/``
beside it (an unpacked export).  An archived item or one read to 100 % is read.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reader.core.article import clean_text
from reader.core.ingest.errors import IngestError
from reader.core.ingest.html_meta import parse_when
from reader.core.ingest.readlater import (
    _OMNIVORE_METADATA,
    MAX_MEMBERS,
    Highlight,
    ReadLaterExport,
    SavedItem,
    item_article,
    read_member,
    shown_item,
    tag_names,
    text_of,
)

_LABELS = re.compile(r"^(?:#[^\s#]+\s*)+$")


def parse_highlights(markdown: str) -> list[Highlight]:
    """The highlights of one ``highlights/<slug>.md`` (see the module docstring)."""
    out: list[Highlight] = []
    quote: list[str] | None = None
    labels: tuple[str, ...] = ()
    note: list[str] = []

    def flush() -> None:
        if quote is not None:
            text = "\n".join(quote).strip()
            if text:
                out.append(Highlight(quote=text, note="\n\n".join(note).strip(), tags=labels))

    for block in re.split(r"\n[ \t]*\n", markdown.replace("\r\n", "\n")):
        if not block.strip():
            continue
        if block.startswith(">"):
            flush()
            quote = [re.sub(r"^>\s?", "", line) for line in block.split("\n")]
            labels, note = (), []
        elif quote is not None and not labels and not note and _LABELS.match(block.strip()):
            labels = tuple(dict.fromkeys(t.lstrip("#") for t in block.split()))
        elif quote is not None:
            note.append(block.strip())
    flush()
    return out


def _item(raw: Any, number: int, shown_file: str, read: Callable[[str], str | None]) -> SavedItem:
    if not isinstance(raw, dict):
        raise IngestError(shown_item(shown_file, number, ""), f"not an item (a {type(raw).__name__})")
    title = text_of(raw.get("title"))
    shown = shown_item(shown_file, number, title)
    slug = raw.get("slug")
    url = raw.get("url") if isinstance(raw.get("url"), str) else None
    if not isinstance(slug, str) or not slug.strip() or "/" in slug or slug.startswith("."):
        raise IngestError(shown, f"no usable slug ({slug!r}): its content and highlights cannot be found")
    content = read(f"content/{slug}.html")
    highlights_md = read(f"highlights/{slug}.md")
    author = text_of(raw.get("author"))
    article, warning = item_article(
        shown=shown,
        html=content,
        url=url,
        title=title,
        fmt="omnivore",
        authors=tuple(a for a in (clean_text(x) for x in re.split(r"\s*(?:;|,| and )\s*", author)) if a) if author else (),
        published=parse_when(raw.get("publishedAt")),
        tags=tag_names(raw.get("labels")),
        source="Omnivore",
    )
    progress = raw.get("readingProgress")
    read_done = raw.get("state") == "archived" or (isinstance(progress, (int, float)) and progress >= 100)
    return SavedItem(
        article=article,
        read=bool(read_done),
        highlights=tuple(parse_highlights(highlights_md)) if highlights_md else (),
        warning=warning,
    )


def _decode(data: bytes) -> str:
    return data.decode("utf-8-sig", errors="replace")


def read_omnivore(path: Path) -> ReadLaterExport:
    """Read an Omnivore export: the zip, or one metadata JSON of an unpacked export."""
    export = ReadLaterExport("Omnivore")
    if zipfile.is_zipfile(path):
        try:
            archive = zipfile.ZipFile(path)
        except (OSError, zipfile.BadZipFile) as exc:
            raise IngestError(path, f"cannot open the zip ({exc})") from None
        with archive:
            names = archive.namelist()[:MAX_MEMBERS]
            members = set(names)
            metadata = sorted((n for n in names if _OMNIVORE_METADATA.search(n)),
                              key=lambda n: int(_OMNIVORE_METADATA.search(n).group(1)))  # type: ignore[union-attr]

            def in_zip(prefix: str) -> Callable[[str], str | None]:
                def read(name: str) -> str | None:
                    full = prefix + name
                    return _decode(read_member(archive, full, str(path))) if full in members else None

                return read

            for meta_name in metadata:
                prefix = meta_name[: meta_name.rfind("/") + 1]
                try:
                    items = json.loads(_decode(read_member(archive, meta_name, str(path))))
                except (IngestError, ValueError, RecursionError) as exc:
                    export.errors.append(f"{path}:{meta_name}: not readable JSON ({exc})")
                    continue
                _read_items(export, items, f"{path}:{meta_name}", in_zip(prefix))
        return export
    base = path.parent

    def on_disk(name: str) -> str | None:
        file = base / name
        try:
            if file.is_file() and file.stat().st_size <= 20 * 1024 * 1024:
                return _decode(file.read_bytes())
        except OSError:
            return None
        return None

    try:
        items = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError, RecursionError) as exc:
        raise IngestError(path, f"not readable JSON ({exc})") from None
    _read_items(export, items, str(path), on_disk)
    return export


def _read_items(export: ReadLaterExport, items: Any, shown: str, read: Callable[[str], str | None]) -> None:
    if not isinstance(items, list):
        export.errors.append(f"{shown}: not a list of items")
        return
    for number, raw in enumerate(items, start=1):
        try:
            export.items.append(_item(raw, number, shown, read))
        except IngestError as exc:
            export.errors.append(str(exc))
