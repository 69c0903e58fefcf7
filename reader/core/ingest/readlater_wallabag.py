"""wallabag JSON exports ("Export" > JSON in wallabag 2.x).

The file is a JSON array of entries (``src/Entity/Entry.php``, serialisation
groups ``entries_for_user``/``export_all``): ``id``, ``title``, ``url``,
``content`` (the saved article's HTML), ``is_archived``/``is_starred`` (0/1),
``tags`` (label strings in an export, ``{"label": ...}`` objects from the API),
``published_at``, ``published_by`` (author names), ``created_at``,
``language``, ``domain_name``, ``annotations``: each ``{"text": note, "quote":
passage, "ranges": [...], "created_at": ...}`` (annotator.js's shape; the
``ranges`` XPaths point into wallabag's own HTML, so the quote is what places
a highlight here).  Dates come as ``2017-02-14 17:50:31`` or
``2024-01-15T10:30:00+0000``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from reader.core.article import clean_text
from reader.core.ingest.errors import IngestError
from reader.core.ingest.html_meta import parse_when
from reader.core.ingest.readlater import (
    Highlight,
    ReadLaterExport,
    SavedItem,
    item_article,
    shown_item,
    tag_names,
    text_of,
)


def _highlights(value: Any) -> tuple[Highlight, ...]:
    out: list[Highlight] = []
    for ann in value if isinstance(value, list) else []:
        if not isinstance(ann, dict):
            continue
        quote = ann["quote"] if isinstance(ann.get("quote"), str) else ""
        note = ann["text"] if isinstance(ann.get("text"), str) else ""
        if not quote.strip() and not note.strip():
            continue
        created = parse_when(ann.get("created_at"))
        out.append(Highlight(quote=quote.strip(), note=note.strip(), created=created.isoformat() if created else ""))
    return tuple(out)


def _flag(value: Any) -> bool:
    return value in (1, True, "1", "true")


def _entry(raw: Any, number: int, shown_file: str) -> SavedItem:
    if not isinstance(raw, dict):
        raise IngestError(shown_item(shown_file, number, ""), f"not an entry (a {type(raw).__name__})")
    title = text_of(raw.get("title"))
    shown = shown_item(shown_file, number, title)
    url = raw.get("url") if isinstance(raw.get("url"), str) else raw.get("given_url")
    content = raw.get("content")
    if content is not None and not isinstance(content, str):
        raise IngestError(shown, f"its content is not text (a {type(content).__name__})")
    authors = raw.get("published_by")
    article, warning = item_article(
        shown=shown,
        html=content,
        url=url if isinstance(url, str) else None,
        title=title,
        fmt="wallabag",
        authors=tuple(a for a in (clean_text(x) for x in authors if isinstance(x, str)) if a)
        if isinstance(authors, list) else (),
        published=parse_when(raw.get("published_at")),
        tags=tag_names(raw.get("tags")),
        source=text_of(raw.get("domain_name")) or "wallabag",
    )
    if isinstance(raw.get("language"), str) and raw["language"].strip():
        article.extra["language"] = raw["language"].strip()
    return SavedItem(
        article=article,
        read=_flag(raw.get("is_archived")),
        starred=_flag(raw.get("is_starred")),
        highlights=_highlights(raw.get("annotations")),
        warning=warning,
    )


def read_wallabag(path: Path) -> ReadLaterExport:
    """Read a wallabag JSON export."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError, RecursionError) as exc:
        raise IngestError(path, f"not readable JSON ({exc})") from None
    entries = data.get("entries") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise IngestError(path, "not a wallabag export (no list of entries)")
    export = ReadLaterExport("wallabag")
    for number, raw in enumerate(entries, start=1):
        try:
            export.items.append(_entry(raw, number, str(path)))
        except IngestError as exc:
            export.errors.append(str(exc))
    return export
