"""Feed documents -> plain data: RSS 0.9x/1.0/2.0 and Atom with feedparser
(which also sanitises their HTML and resolves relative links), JSON Feed 1.0/1.1
with :mod:`json` (feedparser 6 does not read it; https://www.jsonfeed.org/version/1.1/).

Hostile documents are refused with a one-line :class:`FeedError`: an XML
document declaring entities (the "billion laughs" expansion) is never handed
to an XML parser; dates that cannot be read are left out, never guessed.
"""

from __future__ import annotations

import calendar
import json
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser


class FeedError(Exception):
    """A document is not a usable feed; ``str()`` is ``"<url>: <reason>"``."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = " ".join(reason.split())
        super().__init__(f"{url}: {self.reason}")

    def __reduce__(self) -> tuple[type[FeedError], tuple[str, str]]:
        return (type(self), (self.url, self.reason))


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed (links absolute, dates naive UTC or ``None``)."""

    guid: str | None
    link: str | None
    title: str
    published: datetime | None = None
    updated: datetime | None = None
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    summary_html: str = ""
    content_html: str = ""


@dataclass(frozen=True)
class ParsedFeed:
    """A feed document's channel data and its entries, in document order."""

    title: str
    site_url: str | None
    kind: str  # feedparser's version ("rss20", "atom10", "rss10"...) or "json1"/"json1.1"
    entries: tuple[FeedEntry, ...]
    ttl_minutes: int | None = None


_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
_MIN_YEAR, _MAX_YEAR = 1970, 2100


def looks_like_json(body: bytes) -> bool:
    return body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"


def looks_like_html(body: bytes) -> bool:
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<?xml"):
        return b"<html" in head[:400]
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<!--")) and \
        b"<rss" not in head and b"<feed" not in head and b"<rdf:rdf" not in head


def _datetime(value: Any) -> datetime | None:
    """A naive UTC datetime from feedparser's struct_time, or ``None``."""
    if not value:
        return None
    try:
        stamp = calendar.timegm(value) if isinstance(value, time.struct_time) else None
        if stamp is None:
            return None
        result = datetime.fromtimestamp(stamp, UTC).replace(tzinfo=None)
    except (OverflowError, ValueError, OSError, TypeError):
        return None
    return result if _MIN_YEAR <= result.year <= _MAX_YEAR else None


def _iso_datetime(value: Any) -> datetime | None:
    """RFC 3339 (JSON Feed) -> naive UTC, or ``None`` when it is not a date."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed if _MIN_YEAR <= parsed.year <= _MAX_YEAR else None


def _http_link(value: Any, base: str) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    link = urljoin(base, value.strip())
    return link if urlsplit(link).scheme in ("http", "https") else None


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value else ""


def parse_feed(body: bytes, *, url: str, content_type: str = "") -> ParsedFeed:
    """Parse a feed document fetched from ``url``; :class:`FeedError` when it is not one."""
    if not body.strip():
        raise FeedError(url, "the feed is empty")
    if looks_like_json(body) or "json" in content_type:
        return parse_json_feed(body, url=url)
    if _ENTITY_DECL.search(body[:1_000_000]):
        raise FeedError(url, "the feed declares XML entities, which feeds never need; it was not read "
                             "(an entity-expansion attack such as 'billion laughs' looks like this)")
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    try:
        parsed = feedparser.parse(body, response_headers=headers, resolve_relative_uris=True, sanitize_html=True)
    except Exception as exc:  # feedparser's loose parser on very broken input
        raise FeedError(url, f"the feed could not be read ({type(exc).__name__}: {exc})") from exc
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        detail = f" ({_text(problem)[:120]})" if problem else ""
        raise FeedError(url, f"not an RSS, Atom or JSON feed{detail}")
    channel = parsed.feed
    ttl: int | None = None
    raw_ttl = str(channel.get("ttl") or "").strip()
    if raw_ttl.isdigit() and 0 < int(raw_ttl) <= 7 * 24 * 60:
        ttl = int(raw_ttl)
    entries: list[FeedEntry] = []
    for e in parsed.entries:
        content = ""
        for part in e.get("content") or ():
            if part.get("value"):
                content = str(part["value"])
                break
        authors = tuple(dict.fromkeys(_text(a.get("name")) for a in (e.get("authors") or ()) if a.get("name")))
        if not authors and e.get("author"):
            authors = (_text(e.get("author")),)
        categories = tuple(dict.fromkeys(_text(t.get("label") or t.get("term")) for t in (e.get("tags") or ())
                                         if t.get("label") or t.get("term")))
        guid = _text(e.get("id")) or None
        published = _datetime(dict.get(e, "published_parsed")) or _datetime(dict.get(e, "created_parsed"))
        updated = _datetime(dict.get(e, "updated_parsed"))  # (dict.get: no feedparser fallback warning)
        link = _http_link(e.get("link"), url)
        title = _text(e.get("title"))
        summary = str(e.get("summary") or "")
        if not (title or link or summary.strip() or content.strip()):
            continue  # an empty item (a cut-off document ends in one)
        entries.append(FeedEntry(
            guid=guid,
            link=link,
            title=title,
            published=published or updated,  # RSS 1.0's dc:date is an "updated" to feedparser
            updated=updated if published and updated and updated > published else None,
            authors=tuple(a for a in authors if a),
            categories=tuple(c for c in categories if c),
            summary_html=summary,
            content_html=content,
        ))
    return ParsedFeed(
        title=_text(channel.get("title")),
        site_url=_http_link(channel.get("link"), url),
        kind=str(parsed.get("version") or "xml"),
        entries=tuple(entries),
        ttl_minutes=ttl,
    )


def parse_json_feed(body: bytes, *, url: str) -> ParsedFeed:
    """Parse a JSON Feed (version 1 or 1.1)."""
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise FeedError(url, f"not a valid JSON feed ({exc})") from exc
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith("https://jsonfeed.org/version/"):
        raise FeedError(url, "not a JSON Feed (no \"version\": \"https://jsonfeed.org/version/...\")")
    items = data.get("items")
    if not isinstance(items, list):
        raise FeedError(url, "not a JSON Feed (\"items\" is not a list)")
    version = str(data["version"]).rsplit("/", 1)[-1]
    base = _http_link(data.get("feed_url"), url) or url

    def names(obj: Any) -> tuple[str, ...]:
        people = obj.get("authors") if isinstance(obj.get("authors"), list) else (
            [obj["author"]] if isinstance(obj.get("author"), dict) else [])
        return tuple(dict.fromkeys(_text(p.get("name")) for p in people if isinstance(p, dict) and p.get("name")))

    feed_authors = names(data)
    entries: list[FeedEntry] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        content = item.get("content_html")
        if not isinstance(content, str) or not content.strip():
            text = item.get("content_text")
            content = _text_to_html(text) if isinstance(text, str) else ""
        summary = item.get("summary") if isinstance(item.get("summary"), str) else ""
        raw_tags = item.get("tags")
        tags: list[Any] = raw_tags if isinstance(raw_tags, list) else []
        raw_id = item.get("id")
        entries.append(FeedEntry(
            guid=_text(raw_id) or None if isinstance(raw_id, (str, int)) else None,
            link=_http_link(item.get("url"), base) or _http_link(item.get("external_url"), base),
            title=_text(item.get("title")),
            published=_iso_datetime(item.get("date_published")),
            updated=_iso_datetime(item.get("date_modified")),
            authors=names(item) or feed_authors,
            categories=tuple(dict.fromkeys(_text(t) for t in tags if isinstance(t, str) and t.strip())),
            summary_html=_text_to_html(summary) if summary else "",
            content_html=content,
        ))
    return ParsedFeed(
        title=_text(data.get("title")),
        site_url=_http_link(data.get("home_page_url"), base),
        kind=f"json{version}",
        entries=tuple(entries),
    )


def _text_to_html(text: str) -> str:
    import html

    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
