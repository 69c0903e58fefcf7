"""The article model: typed blocks, stable ids and the one text coordinate system.

Every highlight in the app (entity spans, search hits, annotations) is a pair of
character offsets into ``Article.plain_text``.  That string is defined here, once:
it is the article's *lines* (see :meth:`Article.lines`) joined by ``"\\n"``.  The
reader pane renders exactly one paragraph per line, so the pane's
``document().toPlainText()`` equals ``plain_text`` (a test guards this).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from enum import Enum
from typing import Any


class BlockKind(str, Enum):  # noqa: UP042 - str(member) and stored values stay as they are
    """What a block of article body text is."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    CAPTION = "caption"
    QUOTE = "quote"
    LIST_ITEM = "list_item"
    ENTRY_HEADING = "entry_heading"  # a live-blog entry's heading (has ``time``)


@dataclass(frozen=True)
class Link:
    """A link in a block: ``block.text[start:end]`` pointed at ``target`` (an absolute URL).

    Kept from imported web pages so the original's links are not lost; the
    reader pane never follows them by itself.
    """

    start: int
    end: int
    target: str


@dataclass(frozen=True)
class Block:
    """One block of body text.

    ``credit`` is the image credit of a caption (``"Geert Vanden Wijngaert/AP Photo"``),
    ``time`` the display time of a live-blog entry (``"April 4, 2024"`` or ``"21:25"``),
    ``links`` the links inside ``text`` (web pages only).
    """

    kind: BlockKind
    text: str
    credit: str | None = None
    time: str | None = None
    level: int = 2
    links: tuple[Link, ...] = ()

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind.value, "text": self.text}
        if self.credit:
            data["credit"] = self.credit
        if self.time:
            data["time"] = self.time
        if self.kind is BlockKind.HEADING and self.level != 2:
            data["level"] = self.level
        if self.links:
            data["links"] = [[link.start, link.end, link.target] for link in self.links]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Block:
        return cls(
            kind=BlockKind(data["kind"]),
            text=str(data["text"]),
            credit=data.get("credit"),
            time=data.get("time"),
            level=int(data.get("level", 2)),
            links=tuple(Link(int(s), int(e), str(t)) for s, e, t in data.get("links") or ()),
        )


class LineRole(str, Enum):  # noqa: UP042 - as BlockKind
    """The role of one line of the plain text; the renderer styles lines by role."""

    SECTION = "section"
    TITLE = "title"
    META = "meta"
    LEDE = "lede"
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    CAPTION = "caption"
    CREDIT = "credit"
    QUOTE = "quote"
    LIST_ITEM = "list_item"
    ENTRY_TIME = "entry_time"
    ENTRY_HEADING = "entry_heading"
    SIGNATURE = "signature"
    LINK = "link"


@dataclass(frozen=True)
class Line:
    """One line of an article's plain text with its role and its start offset."""

    role: LineRole
    text: str
    start: int
    level: int = 2

    @property
    def end(self) -> int:
        return self.start + len(self.text)




def clean_text(text: str) -> str:
    """Collapse all whitespace (incl. NBSP and newlines) to single spaces and strip."""
    # str.split() splits on exactly the characters re's \s matches (checked over
    # all code points), about 3x faster than _WS.sub on multi-megabyte text
    return " ".join(text.split())


def format_date(value: datetime) -> str:
    """``April 4, 2024`` (no leading zero), the house display format."""
    return f"{value.strftime('%B')} {value.day}, {value.year}"


@dataclass(frozen=True)
class Article:
    """A parsed article.  Immutable; ``replace()`` makes edited copies.

    ``id`` is stable across re-imports (derived from ``identity``: canonical URL,
    DW page id or source path), ``content_hash`` changes when the content does.
    """

    id: str
    identity: str
    title: str
    content_hash: str
    source: str = ""
    url: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    authors: tuple[str, ...] = ()
    section: str | None = None
    kicker: str | None = None
    lede: str | None = None
    blocks: tuple[Block, ...] = ()
    signature: str | None = None
    short_url: str | None = None
    source_path: str | None = None
    format: str = "text"
    tags: tuple[str, ...] = ()
    date_is_crawl: bool = False  # published came from a crawler prefix, not the page
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    # ---- derived text -------------------------------------------------
    def meta_line(self) -> str:
        """The dateline shown under the title: dates and authors."""
        parts: list[str] = []
        if self.published:
            parts.append(("Published " if self.updated else "") + format_date(self.published))
        if self.updated:
            parts.append("last updated " + format_date(self.updated))
        if self.authors:
            parts.append("By " + " and ".join(self.authors))
        return " · ".join(parts)

    def lines(self) -> list[Line]:
        """The article as displayed, one line per paragraph, with offsets."""
        out: list[Line] = []
        pos = 0

        def add(role: LineRole, text: str, level: int = 2) -> None:
            nonlocal pos
            text = clean_text(text)
            if not text:
                return
            if out:
                pos += 1  # the "\n" separator
            out.append(Line(role, text, pos, level))
            pos += len(text)

        section = " · ".join(x for x in (self.section, self.kicker) if x)
        add(LineRole.SECTION, section)
        add(LineRole.TITLE, self.title)
        add(LineRole.META, self.meta_line())
        add(LineRole.LEDE, self.lede or "")
        for block in self.blocks:
            if block.kind is BlockKind.ENTRY_HEADING:
                add(LineRole.ENTRY_TIME, block.time or "")
                add(LineRole.ENTRY_HEADING, block.text)
            elif block.kind is BlockKind.CAPTION:
                add(LineRole.CAPTION, block.text)
                add(LineRole.CREDIT, f"Image: {block.credit}" if block.credit else "")
            else:
                add(LineRole(block.kind.value), block.text, block.level)
        add(LineRole.SIGNATURE, self.signature or "")
        add(LineRole.LINK, self.url or self.short_url or "")
        return out

    @property
    def plain_text(self) -> str:
        return "\n".join(line.text for line in self.lines())

    @property
    def body_text(self) -> str:
        """Lede and blocks only (what the search index calls ``body``)."""
        parts = [self.lede or ""] + [b.text for b in self.blocks]
        return "\n".join(p for p in parts if p)

    def to_markdown(self) -> str:
        """A Markdown rendering of the article (export, ``reader show``)."""
        from reader.core.markdown_out import article_to_markdown

        return article_to_markdown(self)

    # ---- serialisation ------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["blocks"] = [b.to_json() for b in self.blocks]
        data["published"] = self.published.isoformat() if self.published else None
        data["updated"] = self.updated.isoformat() if self.updated else None
        data["authors"] = list(self.authors)
        data["tags"] = list(self.tags)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Article:
        kwargs = dict(data)
        kwargs["blocks"] = tuple(Block.from_json(b) for b in data.get("blocks", []))
        for key in ("published", "updated"):
            kwargs[key] = datetime.fromisoformat(data[key]) if data.get(key) else None
        kwargs["authors"] = tuple(data.get("authors", ()))
        kwargs["tags"] = tuple(data.get("tags", ()))
        kwargs["extra"] = dict(data.get("extra") or {})
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in kwargs.items() if k in known})

    def with_changes(self, **changes: Any) -> Article:
        return replace(self, **changes)


def content_hash(text: str) -> str:
    """Hash of an article's normalised source text (line endings, trailing space)."""
    norm = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return hashlib.sha256(norm.strip().encode("utf-8")).hexdigest()[:32]


def article_id(identity: str) -> str:
    """A short stable id from an identity string (URL, ``dw:4SgeI``, path)."""
    return hashlib.sha1(identity.encode("utf-8")).hexdigest()[:16]


def blocks_json(blocks: Iterable[Block]) -> str:
    return json.dumps([b.to_json() for b in blocks], ensure_ascii=False)
