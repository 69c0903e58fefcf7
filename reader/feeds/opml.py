"""OPML subscription lists in and out (NetNewsWire, Feedly, Miniflux, FreshRSS...).

Read with defusedxml (no entity expansion, no external entities); written as
OPML 2.0 (http://opml.org/spec2.opml).  Folders become the outline's
category and are kept in the reading order of the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element, SubElement, tostring

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException


class OpmlError(Exception):
    """The file is not a readable OPML list; ``str()`` names the file."""


@dataclass(frozen=True)
class OpmlFeed:
    """One subscription of an OPML file."""

    url: str
    title: str = ""
    site_url: str | None = None
    folder: str = ""


def read_opml(data: bytes, *, name: str) -> tuple[list[OpmlFeed], list[str]]:
    """The feeds of an OPML document and one message per outline that is not
    usable (``name`` is the file, for messages)."""
    try:
        root = SafeET.fromstring(data)
    except DefusedXmlException as exc:
        raise OpmlError(f"{name}: refused: the file declares XML entities or a DTD ({type(exc).__name__})") from exc
    except SafeET.ParseError as exc:
        raise OpmlError(f"{name}: not valid XML ({exc})") from exc
    if root.tag.lower() != "opml":
        raise OpmlError(f"{name}: not an OPML file (the root element is <{root.tag}>, not <opml>)")
    body = root.find("body")
    if body is None:
        raise OpmlError(f"{name}: not an OPML file (no <body>)")
    feeds: list[OpmlFeed] = []
    problems: list[str] = []
    seen: set[str] = set()

    def walk(node: Any, folder: str) -> None:
        for outline in node.findall("outline"):
            attrs = {k.lower(): v for k, v in outline.attrib.items()}
            title = " ".join((attrs.get("title") or attrs.get("text") or "").split())
            url = (attrs.get("xmlurl") or "").strip()
            if url:
                if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
                    problems.append(f"{name}: outline {title or url!r}: not a web address ({url})")
                elif url not in seen:
                    seen.add(url)
                    site = (attrs.get("htmlurl") or "").strip() or None
                    feeds.append(OpmlFeed(url, title, site, folder))
            elif len(outline):
                walk(outline, title if not folder else f"{folder}/{title}")
            elif attrs.get("type", "").lower() in ("rss", "atom"):
                problems.append(f"{name}: outline {title or '(untitled)'!r}: no xmlUrl")

    walk(body, "")
    return feeds, problems


def write_opml(feeds: list[tuple[str, str, str | None, str]], *, title: str = "Reader subscriptions") -> str:
    """An OPML 2.0 document of ``(url, title, site_url, folder)`` tuples."""
    root = Element("opml", version="2.0")
    head = SubElement(root, "head")
    SubElement(head, "title").text = title
    SubElement(head, "dateCreated").text = format_datetime(datetime.now(UTC))
    body = SubElement(root, "body")
    folders: dict[str, Element] = {}
    for url, feed_title, site_url, folder in feeds:
        parent = body
        if folder:
            if folder not in folders:
                folders[folder] = SubElement(body, "outline", text=folder, title=folder)
            parent = folders[folder]
        attrs = {"type": "rss", "text": feed_title or url, "title": feed_title or url, "xmlUrl": url}
        if site_url:
            attrs["htmlUrl"] = site_url
        SubElement(parent, "outline", attrs)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode") + "\n"
