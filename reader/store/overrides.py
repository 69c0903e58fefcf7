"""The user's corrections of an article's details (title, date, authors,
source), kept across re-import.

A correction is stored in the library's ``meta`` table under
``metadata:<article id>`` (JSON; no schema change) and applied to the stored
article at once and to every later import of it (:func:`apply_override`,
called by ``Articles.upsert``), as a user's correction should be.  Clearing a
field (``""``) keeps the imported value; ``published`` may be set to
``"undated"`` to remove a wrong date."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from reader.core.article import Article

if TYPE_CHECKING:
    from reader.store.library import Library

FIELDS = ("title", "published", "authors", "source")
KEY = "metadata:{}"


class MetadataError(ValueError):
    """A correction that cannot be stored (a date that is not a date)."""


def parse_date(text: str) -> datetime | None:
    """``YYYY-MM-DD`` (or a full ISO date-time) -> datetime; ``"undated"`` -> None."""
    text = text.strip()
    if text.lower() == "undated":
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise MetadataError(f"date {text!r} is not a date: write it as YYYY-MM-DD (e.g. 2024-04-05)") from None


def override_of(library: Library, article_id: str) -> dict[str, Any]:
    """The stored correction of ``article_id`` (empty: none)."""
    raw = library.get_meta(KEY.format(article_id))
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        return {}
    return {k: v for k, v in value.items() if k in FIELDS} if isinstance(value, dict) else {}


def apply_override(article: Article, override: dict[str, Any]) -> Article:
    """``article`` with the corrected fields (its content hash unchanged)."""
    changes: dict[str, Any] = {}
    if override.get("title"):
        changes["title"] = str(override["title"])
    if override.get("source"):
        changes["source"] = str(override["source"])
    if override.get("authors"):
        changes["authors"] = tuple(str(a) for a in override["authors"])
    if override.get("published"):
        changes["published"] = parse_date(str(override["published"]))
    return article.with_changes(**changes) if changes else article


def set_metadata(library: Library, article_id: str, *, title: str = "", published: str = "",
                 authors: tuple[str, ...] | list[str] = (), source: str = "") -> Article:
    """Correct an article's details (``""``/empty: keep the imported value) and
    store the correction for later imports; returns the corrected article.
    Raises :class:`MetadataError` for a bad date, ``KeyError`` for an unknown id."""
    if published:
        parse_date(published)  # fails before anything is written
    override = {"title": title.strip(), "published": published.strip(),
                "authors": [a.strip() for a in authors if a.strip()], "source": source.strip()}
    override = {k: v for k, v in override.items() if v}
    with library.transaction():
        stored = library.article(article_id)
        if stored is None:
            raise KeyError(article_id)
        if override:
            library.set_meta(KEY.format(article_id), json.dumps(override, ensure_ascii=False))
        else:
            library.conn.execute("DELETE FROM meta WHERE key=?", (KEY.format(article_id),))
        library.articles.store_corrected(article_id, apply_override(stored, override))
    return library.article(article_id) or stored
