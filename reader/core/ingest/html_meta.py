"""Metadata of a saved web page: JSON-LD, OpenGraph, ``<meta>``, ``<time>``, canonical URL.

:func:`page_meta` reads an lxml tree once and returns a :class:`PageMeta`.  The
page's own structured data wins (JSON-LD, then OpenGraph/``<meta>``, then
``<time>`` elements); a publication date the markup does not state plainly is
looked for by **htmldate** without its "extensive" guessing, so a date is never
made up from a copyright line or a stray number.  An "updated" date is taken
only from markup that says so.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

from lxml.html import HtmlElement

from reader.core.article import clean_text
from reader.core.ingest.common import make_date

log = logging.getLogger(__name__)

#: schema.org types whose objects describe the article itself.
ARTICLE_TYPES = frozenset(
    {
        "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
        "reviewnewsarticle", "backgroundnewsarticle", "askpublicnewsarticle", "liveblogposting",
        "blogposting", "socialmediaposting", "scholarlyarticle", "techarticle", "report", "creativework",
    }
)
_PAGE_TYPES = frozenset({"webpage", "itempage", "aboutpage", "collectionpage"})
_ISO = re.compile(
    r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?\s*$"
)
#: At most this many tags are taken from a page (keyword lists can be SEO spam).
MAX_TAGS = 20
MAX_TAG_CHARS = 60


@dataclass
class PageMeta:
    """What a page says about itself; every field may be missing."""

    title: str | None = None
    page_title: str | None = None  # og:title or <title>, often with the site's name
    title_tag: bool = False  # page_title is the <title> (which names the site more often than not)
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    updated: datetime | None = None
    site_name: str | None = None
    canonical_url: str | None = None
    language: str | None = None
    description: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)


def canonical_url(url: str | None, base: str | None = None) -> str | None:
    """``url`` made absolute (against ``base``) and normalised for use as an identity.

    Scheme and host are lower-cased, default ports, tracking parameters
    (``utm_*``, ``fbclid``...) and the ``#fragment`` dropped; other query
    parameters are kept (some sites number their articles with them).
    ``None`` for anything that is not an absolute http(s) URL.
    """
    if not url:
        return None
    url = url.strip()
    if base:
        try:
            url = urljoin(base, url)
        except ValueError:
            return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    from courlan import normalize_url

    try:
        url = normalize_url(url)
    except Exception:  # courlan on odd input: keep the URL as given
        log.debug("courlan could not normalise %r", url)
    return urldefrag(url)[0] or None


def parse_when(value: object) -> datetime | None:
    """An ISO 8601 date or date-time as a naive datetime (the wall-clock time as written).

    The time-zone offset is dropped, not converted: the date is the one the
    page shows its readers.  ``None`` for anything else or an impossible date.
    """
    if not isinstance(value, str):
        return None
    m = _ISO.match(value)
    if not m:
        return None
    day = make_date(m.group(1), m.group(2), m.group(3))
    if day is None or not m.group(4):
        return day
    try:
        return day.replace(hour=int(m.group(4)), minute=int(m.group(5)), second=int(m.group(6) or 0))
    except ValueError:
        return day


# ---- JSON-LD --------------------------------------------------------------------------
def _types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.rsplit("/", 1)[-1].lower() for k in kinds if isinstance(k, str)}


def _walk(node: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 20:
        return
    if isinstance(node, list):
        for item in node:
            yield from _walk(item, depth + 1)
    elif isinstance(node, dict):
        yield node
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "hasPart", "itemListElement"):
            if key in node:
                yield from _walk(node[key], depth + 1)


def json_ld(tree: HtmlElement) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The page's JSON-LD article object and its WebPage object (either may be ``None``)."""
    article: dict[str, Any] | None = None
    page: dict[str, Any] | None = None
    for script in tree.iterfind(".//script[@type]"):
        if "ld+json" not in (script.get("type") or "").lower() or not script.text:
            continue
        try:
            data = json.loads(script.text, strict=False)
        except (ValueError, RecursionError):
            continue  # a broken block: the rest of the page's metadata still counts
        for obj in _walk(data):
            kinds = _types(obj)
            if article is None and kinds & ARTICLE_TYPES:
                article = obj
            elif page is None and kinds & _PAGE_TYPES:
                page = obj
    return article, page


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return clean_text(value) or None
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("@value"))
    if isinstance(value, list) and value:
        return _text(value[0])
    return None


def _names(value: Any) -> list[str]:
    """Person names from a JSON-LD ``author``: a string, an object or a list of either."""
    items = value if isinstance(value, list) else [value]
    out: list[str] = []
    for item in items:
        name = _text(item.get("name")) if isinstance(item, dict) else _text(item)
        if name and not _looks_like_url(name):
            out.extend(_split_names(name))
    return out


def _looks_like_url(value: str) -> bool:
    return bool(re.match(r"^(?:https?:)?//|^www\.", value))


def _split_names(value: str) -> list[str]:
    parts = re.split(r"\s*(?:;|\||,?\s+and\s+|\s+&\s+)\s*", value)
    return [p for p in (clean_text(re.sub(r"^(?:by|von|par)\s+", "", x, flags=re.I)) for x in parts) if p]


def _keywords(value: Any) -> list[str]:
    if isinstance(value, str):
        return [clean_text(x) for x in value.split(",") if clean_text(x)]
    if isinstance(value, list):
        return [t for t in (_text(x) for x in value) if t]
    return []


# ---- <meta> and friends ---------------------------------------------------------------
def _meta_values(tree: HtmlElement) -> dict[str, list[str]]:
    """``property``/``name``/``itemprop`` (lower case) -> contents, in page order."""
    out: dict[str, list[str]] = {}
    for meta in tree.iterfind(".//meta"):
        content = meta.get("content")
        if content is None or not content.strip():
            continue
        for attr in ("property", "name", "itemprop"):
            key = meta.get(attr)
            if key:
                out.setdefault(key.strip().lower(), []).append(content.strip())
    return out


def _first(values: dict[str, list[str]], *keys: str) -> str | None:
    for key in keys:
        for value in values.get(key, ()):
            cleaned = clean_text(value)
            if cleaned:
                return cleaned
    return None


def _time_elements(tree: HtmlElement) -> tuple[datetime | None, datetime | None]:
    """(published, updated) from ``<time datetime>`` elements marked as such (or the first one)."""
    published: datetime | None = None
    updated: datetime | None = None
    plain: datetime | None = None
    for elem in tree.iterfind(".//time[@datetime]"):
        when = parse_when(elem.get("datetime"))
        if when is None:
            continue
        marks = " ".join(filter(None, (elem.get("itemprop"), elem.get("class"), elem.get("pubdate")))).lower()
        if "modified" in marks or "updated" in marks:
            updated = updated or when
        elif "published" in marks or "pubdate" in marks or elem.get("pubdate") is not None:
            published = published or when
        elif plain is None:
            plain = when
    return published or plain, updated


def _htmldate(tree: HtmlElement, original: bool) -> datetime | None:
    import htmldate

    try:
        found = htmldate.find_date(
            tree, original_date=original, extensive_search=False, outputformat="%Y-%m-%dT%H:%M:%S", verbose=False
        )
    except Exception:  # htmldate on a hostile page: no date rather than no article
        log.debug("htmldate failed", exc_info=True)
        return None
    return parse_when(found) if found else None


def page_meta(tree: HtmlElement, url: str | None = None) -> PageMeta:
    """Read the page's metadata; ``url`` (where it was fetched) resolves relative links."""
    article, page = json_ld(tree)
    art = article or {}
    metas = _meta_values(tree)
    meta = PageMeta()

    canonical = None
    for link in tree.iterfind(".//link[@rel]"):
        if "canonical" in (link.get("rel") or "").lower().split():
            canonical = canonical_url(link.get("href"), url)
            if canonical:
                break
    meta.canonical_url = (
        canonical
        or canonical_url(_first(metas, "og:url"), url)
        or canonical_url(_text(art.get("url")) or _text(art.get("mainEntityOfPage")), url)
        or canonical_url(url)
    )

    meta.title = _text(art.get("headline")) or _text(art.get("name"))
    title_elem = tree.find(".//title")
    meta.page_title = _first(metas, "og:title", "twitter:title")
    if meta.page_title is None and title_elem is not None:
        meta.page_title = clean_text(title_elem.text_content()) or None
        meta.title_tag = meta.page_title is not None
    meta.authors = _names(art.get("author")) if art.get("author") else []
    if not meta.authors:
        for key in ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author", "byl"):
            values = [v for v in metas.get(key, ()) if not _looks_like_url(v)]
            if values:
                meta.authors = [n for v in values for n in _split_names(v)]
                break
    meta.authors = list(dict.fromkeys(meta.authors))

    meta.published = (
        parse_when(art.get("datePublished"))
        or parse_when(_first(metas, "article:published_time", "datepublished", "og:published_time"))
        or parse_when(_first(metas, "date", "pubdate", "publishdate", "dc.date.issued", "dc.date", "dcterms.date",
                             "parsely-pub-date", "sailthru.date", "citation_publication_date"))
        or parse_when(art.get("dateCreated"))
    )
    meta.updated = parse_when(art.get("dateModified")) or parse_when(
        _first(metas, "article:modified_time", "og:updated_time", "datemodified", "dc.date.modified", "last-modified")
    )
    time_published, time_updated = _time_elements(tree)
    meta.published = meta.published or time_published
    meta.updated = meta.updated or time_updated
    if meta.published is None:  # no plain statement: htmldate's careful search (no guessing)
        meta.published = _htmldate(tree, original=True)
    # "updated" only when the page says so in its markup: a search would find the
    # dates of the related stories beside the article
    if meta.updated is not None and meta.published is not None and meta.updated.date() <= meta.published.date():
        meta.updated = None  # an update the same day (as the article list shows dates) says nothing

    publisher = art.get("publisher") or (page or {}).get("publisher")
    meta.site_name = _first(metas, "og:site_name", "application-name") or _text(publisher)
    if not meta.site_name and meta.canonical_url:
        meta.site_name = (urlsplit(meta.canonical_url).hostname or "").removeprefix("www.") or None

    root = tree.getroottree().getroot()
    meta.language = (
        clean_text(root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang") or "")
        or _text(art.get("inLanguage"))
        or _first(metas, "og:locale", "content-language", "language", "dc.language")
        or None
    )
    meta.description = _text(art.get("description")) or _first(metas, "og:description", "description",
                                                                "twitter:description")
    meta.section = _text(art.get("articleSection")) or _first(metas, "article:section", "section")
    tags = _keywords(art.get("keywords")) or [t for v in metas.get("article:tag", ()) for t in _keywords(v)]
    if not tags:
        tags = _keywords(_first(metas, "news_keywords", "keywords") or "")
    meta.tags = list(dict.fromkeys(t for t in tags if len(t) <= MAX_TAG_CHARS))[:MAX_TAGS]
    return meta
