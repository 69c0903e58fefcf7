"""Read-later exports (Omnivore, wallabag): what they hold, recognised by content.

A service's export is a list of saved items: the article (its saved HTML
content, or only a link), its tags, whether it was read or starred, and the
highlights with their notes.  :func:`detect_readlater` says which service
wrote a file; :func:`read_export` parses it into a :class:`ReadLaterExport`
(:mod:`.readlater_omnivore`, :mod:`.readlater_wallabag`).  A broken item is
one message naming the file, the item and the reason; the others go on.

The store's importer (``reader.store.importer``) stores the articles and
places the highlights by their quotes; a highlight that cannot be placed is
kept as an orphan note.
"""

from __future__ import annotations

import json
import os
import re
import zipfile
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from reader.core.article import Article, clean_text
from reader.core.ingest.common import build_article
from reader.core.ingest.errors import IngestError

#: A member of an export zip larger than this is refused (a zip bomb stays a message).
MAX_MEMBER_BYTES = 20 * 1024 * 1024
#: At most this many members are looked at in one zip.
MAX_MEMBERS = 200_000
_OMNIVORE_METADATA = re.compile(r"(?:^|/)metadata_(\d+)_to_(\d+)\.json$")


@dataclass(frozen=True)
class Highlight:
    """A highlighted passage (``quote``) with the reader's note and tags."""

    quote: str
    note: str = ""
    tags: tuple[str, ...] = ()
    created: str = ""  # ISO 8601, or empty


@dataclass(frozen=True)
class SavedItem:
    """One saved article of an export."""

    article: Article
    read: bool = False
    starred: bool = False
    highlights: tuple[Highlight, ...] = ()
    warning: str | None = None  # e.g. "no saved content: only the link was imported"


@dataclass
class ReadLaterExport:
    """A parsed export: its items, and one message per item that could not be read."""

    service: str
    items: list[SavedItem] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def read_member(archive: zipfile.ZipFile, name: str, shown: str) -> bytes:
    """One member of an export zip, refusing huge ones before reading them."""
    info = archive.getinfo(name)
    if info.file_size > MAX_MEMBER_BYTES:
        raise IngestError(f"{shown}:{name}", f"too big ({info.file_size // (1024 * 1024)} MB uncompressed)")
    with archive.open(info) as handle:
        data = handle.read(MAX_MEMBER_BYTES + 1)
    if len(data) > MAX_MEMBER_BYTES:
        raise IngestError(f"{shown}:{name}", "too big uncompressed")
    return data


def _json_kind(data: object) -> str | None:
    items = data if isinstance(data, list) else None
    if isinstance(data, dict) and isinstance(data.get("entries"), list):
        items = data["entries"]
    if not items:
        return None
    sample = [x for x in items[:20] if isinstance(x, dict)]
    if not sample:
        return None
    keys = set().union(*(set(x) for x in sample))
    if {"slug", "url"} <= keys and keys & {"savedAt", "labels", "readingProgress"}:
        return "omnivore"
    if "url" in keys and keys & {"is_archived", "is_starred", "annotations", "reading_time", "domain_name"}:
        return "wallabag"
    return None


def detect_readlater(path: Path) -> str | None:
    """``"omnivore"``, ``"wallabag"`` or ``None``: which service's export ``path`` is,
    by its content (a zip of ``metadata_*_to_*.json`` + ``content/`` + ``highlights/``,
    Omnivore's metadata JSON, wallabag's JSON array of entries)."""
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()[:MAX_MEMBERS]
            return "omnivore" if any(_OMNIVORE_METADATA.search(n) for n in names) else None
        if path.stat().st_size > 200 * 1024 * 1024:
            return None
        with open(path, "rb") as handle:
            head = handle.read(1)
            while head in (b" ", b"\n", b"\r", b"\t", b"\xef", b"\xbb", b"\xbf"):
                head = handle.read(1)
        if head not in (b"[", b"{"):
            return None
        return _json_kind(json.loads(path.read_text(encoding="utf-8-sig")))
    except (OSError, ValueError, zipfile.BadZipFile, RecursionError):
        return None


def read_export(path: Path) -> ReadLaterExport:
    """Parse the read-later export at ``path`` (see :func:`detect_readlater`).

    Raises :class:`IngestError` when the file is not a readable export at all;
    a broken item is a message in ``errors``."""
    kind = detect_readlater(path)
    if kind == "omnivore":
        from reader.core.ingest.readlater_omnivore import read_omnivore

        return read_omnivore(path)
    if kind == "wallabag":
        from reader.core.ingest.readlater_wallabag import read_wallabag

        return read_wallabag(path)
    raise IngestError(path, "not a read-later export this app knows (Omnivore zip or metadata JSON, wallabag JSON)")


# ---- shared helpers ----------------------------------------------------------------------
def text_of(value: object) -> str:
    return clean_text(value) if isinstance(value, str) else ""


def tag_names(value: object) -> tuple[str, ...]:
    """Tags given as strings or as ``{"label"/"name": ...}`` objects."""
    out: list[str] = []
    for item in value if isinstance(value, list) else []:
        name = item if isinstance(item, str) else (item.get("label") or item.get("name")) if isinstance(item, dict) else None
        if isinstance(name, str) and clean_text(name):
            out.append(clean_text(name))
    return tuple(dict.fromkeys(out))


def item_article(
    *,
    shown: str,
    html: str | None,
    url: str | None,
    title: str,
    fmt: str,
    **fields: object,
) -> tuple[Article, str | None]:
    """The article of a saved item: its saved HTML content read with trafilatura, or
    (no content) the title and link only.  Fields the service knew (title, authors,
    dates, tags) win over what the HTML says.  Returns the article and a warning."""
    from reader.core.ingest.html import canonical_url, parse_html

    address = canonical_url(url) if url else None
    warning = None
    article: Article | None = None
    if html and html.strip():
        if not re.search(r"<html[\s>]", html[:2000], re.I):  # the article's content alone: give it its title
            html = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{escape(title)}</title></head>"
                    f"<body><article>{html}</article></body></html>")
        try:
            article = parse_html(html, url=address, path=shown, recall=True)
        except IngestError as exc:
            warning = f"its saved content could not be read ({exc.reason}); only the link was imported"
    elif address:
        warning = "no saved content; only the title and link were imported"
    if article is None:
        if not title and not address:
            raise IngestError(shown, "no title, content or address")
        article = build_article(text=f"{title}\n{address or ''}", fmt=fmt, title=title or address or "", path=None,
                                identity=None, url=address, blocks=())
    changes: dict[str, object] = {k: v for k, v in fields.items() if v}
    if title:
        changes["title"] = title
    changes["format"] = fmt
    changes["source_path"] = None
    return article.with_changes(**changes), warning


def shown_item(path: Path | str, number: int, title: str) -> str:
    """How an item is named in messages: ``export.json item 7 ("Title")``."""
    label = f' ("{title[:60]}")' if title else ""
    return f"{os.fspath(path)} item {number}{label}"
