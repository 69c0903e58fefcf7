"""Finding a site's feed from one of its pages: ``<link rel="alternate">``."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

#: Feed types in the order they are preferred when a page offers several.
FEED_LINK_TYPES = ("application/atom+xml", "application/rss+xml", "application/feed+json", "application/json",
                   "application/rdf+xml", "text/xml", "application/xml")


@dataclass(frozen=True)
class FeedLink:
    """A feed a page points to."""

    url: str
    type: str
    title: str


class _LinkFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[dict[str, str]] = []
        self.base: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "base" and values.get("href") and self.base is None:
            self.base = values["href"]
        elif tag == "link":
            self.links.append(values)

    handle_startendtag = handle_starttag


def find_feed_links(html: str, page_url: str) -> list[FeedLink]:
    """The feeds a page announces, best first (Atom, RSS, JSON Feed, then others)."""
    finder = _LinkFinder()
    try:
        finder.feed(html[:2_000_000])
        finder.close()
    except Exception:  # html.parser is lenient; anything it still refuses ends the search  # noqa: BLE001
        pass
    base = urljoin(page_url, finder.base) if finder.base else page_url
    found: list[FeedLink] = []
    seen: set[str] = set()
    for link in finder.links:
        rels = link.get("rel", "").lower().split()
        kind = link.get("type", "").split(";")[0].strip().lower()
        if "alternate" not in rels or kind not in FEED_LINK_TYPES or not link.get("href"):
            continue
        url = urljoin(base, link["href"].strip())
        if urlsplit(url).scheme not in ("http", "https") or url in seen:
            continue
        seen.add(url)
        found.append(FeedLink(url, kind, " ".join(link.get("title", "").split())))
    return sorted(found, key=lambda f: FEED_LINK_TYPES.index(f.type))
