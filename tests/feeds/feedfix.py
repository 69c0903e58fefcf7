"""Feed documents for the tests, written from each format's specification:
RSS 2.0 (https://www.rssboard.org/rss-specification), RSS 0.91, RSS 1.0 (RDF),
Atom (RFC 4287) and JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html import escape

from tests.net.httpserver import LocalServer, Reply, page


@dataclass
class Item:
    guid: str | None
    link: str | None
    title: str
    summary: str = "A short summary of the story."
    content: str | None = None  # full HTML content (content:encoded / atom content)
    date: str | None = "Wed, 02 Dec 2026 09:30:00 GMT"
    author: str | None = None
    categories: list[str] = field(default_factory=list)


def rss20(items: list[Item], *, title: str = "Example News", link: str = "https://news.example/",
          ttl: int | None = None) -> bytes:
    parts = [f"<title>{escape(title)}</title><link>{link}</link><description>News</description>"]
    if ttl is not None:
        parts.append(f"<ttl>{ttl}</ttl>")
    for it in items:
        x = [f"<title>{escape(it.title)}</title>"]
        if it.link:
            x.append(f"<link>{escape(it.link)}</link>")
        if it.guid:
            x.append(f'<guid isPermaLink="false">{escape(it.guid)}</guid>')
        if it.date:
            x.append(f"<pubDate>{it.date}</pubDate>")
        if it.author:
            x.append(f"<dc:creator>{escape(it.author)}</dc:creator>")
        x += [f"<category>{escape(c)}</category>" for c in it.categories]
        x.append(f"<description>{escape(it.summary)}</description>")
        if it.content:
            x.append(f"<content:encoded><![CDATA[{it.content}]]></content:encoded>")
        parts.append("<item>" + "".join(x) + "</item>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<channel>{''.join(parts)}</channel></rss>").encode()


def rss091(items: list[Item]) -> bytes:
    body = "".join(f"<item><title>{escape(i.title)}</title><link>{escape(i.link or '')}</link>"
                   f"<description>{escape(i.summary)}</description></item>" for i in items)
    return ('<?xml version="1.0" encoding="ISO-8859-1"?>\n'
            '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
            '"http://my.netscape.com/publish/formats/rss-0.91.dtd">\n'
            '<rss version="0.91"><channel><title>Old News</title><link>https://old.example/</link>'
            f'<description>d</description><language>en</language>{body}</channel></rss>').encode("latin-1", "xmlcharrefreplace")


def rss10(items: list[Item]) -> bytes:
    seq = "".join(f'<rdf:li resource="{escape(i.link or "")}"/>' for i in items)
    body = "".join(f'<item rdf:about="{escape(i.link or "")}"><title>{escape(i.title)}</title>'
                   f"<link>{escape(i.link or '')}</link><description>{escape(i.summary)}</description>"
                   f"<dc:date>2026-12-02T09:30:00Z</dc:date>"
                   + (f"<dc:creator>{escape(i.author)}</dc:creator>" if i.author else "") + "</item>"
                   for i in items)
    return ('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            '<channel rdf:about="https://rdf.example/"><title>RDF News</title><link>https://rdf.example/</link>'
            f"<description>d</description><items><rdf:Seq>{seq}</rdf:Seq></items></channel>{body}</rdf:RDF>").encode()


def atom(items: list[Item], *, title: str = "Atom News") -> bytes:
    entries = []
    for it in items:
        x = [f"<title>{escape(it.title)}</title>", f"<id>{escape(it.guid or it.link or it.title)}</id>",
             "<updated>2026-12-02T09:30:00Z</updated>", "<published>2026-12-01T08:00:00+01:00</published>"]
        if it.link:
            x.append(f'<link rel="alternate" href="{escape(it.link)}"/>')
        if it.author:
            x.append(f"<author><name>{escape(it.author)}</name></author>")
        x += [f'<category term="{escape(c)}"/>' for c in it.categories]
        x.append(f'<summary type="html">{escape(it.summary)}</summary>')
        if it.content:
            x.append(f'<content type="html">{escape(it.content)}</content>')
        entries.append("<entry>" + "".join(x) + "</entry>")
    return ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
            f'<title>{escape(title)}</title><link href="https://atom.example/"/><id>urn:atom-example</id>'
            f"<updated>2026-12-02T09:30:00Z</updated>{''.join(entries)}</feed>").encode()


def json_feed(items: list[Item], *, title: str = "JSON News") -> bytes:
    data = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": "https://json.example/",
        "authors": [{"name": "The Desk"}],
        "items": [
            {k: v for k, v in {
                "id": it.guid, "url": it.link, "title": it.title, "summary": it.summary,
                "content_html": it.content, "date_published": "2026-12-02T09:30:00Z",
                "authors": [{"name": it.author}] if it.author else None, "tags": it.categories or None,
            }.items() if v is not None}
            for it in items
        ],
    }
    return json.dumps(data).encode()


LONG = " ".join(["The council met for four hours and agreed the budget after a long debate."] * 12)


def serve_feed(server: LocalServer, path: str, items: list[Item], *, kind: str = "rss", etag: str | None = None,
               **kwargs: object) -> str:
    """Serve a feed at ``path`` (answering 304 to its ETag); returns its URL."""
    builders = {"rss": rss20, "atom": atom, "json": json_feed, "rss10": rss10, "rss091": rss091}
    body = builders[kind](items, **kwargs)  # type: ignore[operator]
    ctype = {"rss": "application/rss+xml", "atom": "application/atom+xml", "json": "application/feed+json",
             "rss10": "application/rdf+xml", "rss091": "text/xml"}[kind]
    tag = etag or f'"{abs(hash(body))}"'

    def route(seen: object) -> Reply:
        if seen.headers.get("if-none-match") == tag:  # type: ignore[attr-defined]
            return Reply(304, b"", content_type=None, headers={"ETag": tag})
        return Reply(body=body, content_type=ctype, headers={"ETag": tag})

    return server.route(path, route)


def serve_story(server: LocalServer, path: str, title: str, *, author: str | None = "Ana Ruiz") -> str:
    """An article page with boilerplate at ``path``; returns its URL."""
    paragraphs = [f"{title}: the first paragraph of the full story tells what happened in detail today.",
                  "A second paragraph quotes the officials who spoke to reporters outside the building.",
                  "The third paragraph explains what happens next and when the next meeting is due."]
    return server.route(path, Reply(body=page(title, paragraphs, canonical=server.url(path), author=author)))
