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
from typing import Any, ClassVar

#: The version of :meth:`Article.lines` an article is shown with.  Stored
#: articles keep the layout they were stored with (their annotations and entity
#: spans are offsets into that text); a new import or a changed file gets the
#: current one.  1: no source in the header line; 2: the source leads it.
LAYOUT_VERSION = 2


class BlockKind(str, Enum):  # noqa: UP042 - str(member) and stored values stay as they are
    """What a block of article body text is."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    CAPTION = "caption"
    QUOTE = "quote"
    LIST_ITEM = "list_item"
    ENTRY_HEADING = "entry_heading"  # a live-blog entry's heading (has ``time``)


@dataclass(frozen=True)
class Mark:
    """Inline formatting over ``text[start:end]`` of a block or line: bold
    (``strong``), italic (``em``) or a link (``link``, with ``href``).  Marks
    style the text; they never add or remove characters, so every offset into
    the plain text stays valid."""

    start: int
    end: int
    kind: str
    href: str = ""

    STRONG: ClassVar[str] = "strong"
    EMPHASIS: ClassVar[str] = "em"
    LINK: ClassVar[str] = "link"
    KINDS: ClassVar[frozenset[str]] = frozenset({"strong", "em", "link"})

    def to_json(self) -> list[Any]:
        return [self.start, self.end, self.kind, self.href] if self.href else [self.start, self.end, self.kind]

    @classmethod
    def from_json(cls, data: Any) -> Mark | None:
        """A mark from its stored form; ``None`` for anything malformed."""
        if not isinstance(data, list) or len(data) not in (3, 4):
            return None
        start, end, kind = data[0], data[1], data[2]
        href = data[3] if len(data) == 4 else ""
        if not (isinstance(start, int) and isinstance(end, int) and isinstance(kind, str) and isinstance(href, str)):
            return None
        if kind not in cls.KINDS or not 0 <= start < end:
            return None
        return cls(start, end, kind, href)


def valid_marks(marks: Iterable[Mark], text: str) -> tuple[Mark, ...]:
    """The marks that fit inside ``text``, in order."""
    return tuple(sorted((m for m in marks if 0 <= m.start < m.end <= len(text)), key=lambda m: (m.start, m.end)))


@dataclass(frozen=True)
class Block:
    """One block of body text.

    ``credit`` is the image credit of a caption (``"Geert Vanden Wijngaert/AP Photo"``),
    ``time`` the display time of a live-blog entry (``"April 4, 2024"`` or ``"21:25"``),
    ``marks`` its inline formatting (offsets into ``text``); links kept from web pages are
    marks of kind ``link`` (see :attr:`links`).
    """

    kind: BlockKind
    text: str
    credit: str | None = None
    time: str | None = None
    level: int = 2
    marks: tuple[Mark, ...] = ()

    @property
    def links(self) -> tuple[Mark, ...]:
        """The block's links: its marks of kind ``link`` (``href`` is the target)."""
        return tuple(m for m in self.marks if m.kind == Mark.LINK)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind.value, "text": self.text}
        if self.credit:
            data["credit"] = self.credit
        if self.time:
            data["time"] = self.time
        if self.kind is BlockKind.HEADING and self.level != 2:
            data["level"] = self.level
        if self.marks:
            data["marks"] = [m.to_json() for m in self.marks]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Block:
        text = str(data["text"])
        raw = data.get("marks")
        marks = [m for m in (Mark.from_json(x) for x in raw) if m is not None] if isinstance(raw, list) else []
        return cls(
            kind=BlockKind(data["kind"]),
            text=text,
            credit=data.get("credit"),
            time=data.get("time"),
            level=int(data.get("level", 2)),
            marks=valid_marks(marks, text),
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
    marks: tuple[Mark, ...] = ()  # inline formatting, offsets into ``text``

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


def untitled_label(source: str | None, published: datetime | str | None) -> str:
    """How an article without a headline is listed and found: ``Untitled — DW, April 15, 2022``.

    ``published`` may be a datetime or an ISO date string (the store's sort date).
    """
    when: datetime | None = None
    if isinstance(published, datetime):
        when = published
    elif published:
        try:
            when = datetime.fromisoformat(published[:10])
        except ValueError:
            when = None
    parts = [p for p in (source or "", format_date(when) if when else "") if p]
    return "Untitled — " + ", ".join(parts) if parts else "Untitled"


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
    #: How the ingester decided title/date/author ("title: first line after the Skip block").
    parse_notes: tuple[str, ...] = field(default=(), compare=False)
    layout: int = 1  # the lines() version (LAYOUT_VERSION); ingest builds the current one
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    # ---- derived text -------------------------------------------------
    def meta_line(self) -> str:
        """The dateline shown under the title: source (layout 2), dates and authors."""
        parts: list[str] = []
        if self.layout >= 2 and self.source:
            parts.append(self.source)
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

        def add(role: LineRole, text: str, level: int = 2, marks: tuple[Mark, ...] = ()) -> None:
            nonlocal pos
            cleaned = clean_text(text)
            if not cleaned:
                return
            if out:
                pos += 1  # the "\n" separator
            # marks index the block's (already clean) text; if cleaning changed it, they do not fit
            out.append(Line(role, cleaned, pos, level, valid_marks(marks, cleaned) if cleaned == text else ()))
            pos += len(cleaned)

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
                add(LineRole(block.kind.value), block.text, block.level, block.marks)
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
        data["parse_notes"] = list(self.parse_notes)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Article:
        kwargs = dict(data)
        kwargs["blocks"] = tuple(Block.from_json(b) for b in data.get("blocks", []))
        for key in ("published", "updated"):
            kwargs[key] = datetime.fromisoformat(data[key]) if data.get(key) else None
        kwargs["authors"] = tuple(data.get("authors", ()))
        kwargs["tags"] = tuple(data.get("tags", ()))
        kwargs["parse_notes"] = tuple(data.get("parse_notes", ()))
        kwargs["extra"] = dict(data.get("extra") or {})
        kwargs["layout"] = int(data.get("layout") or 1)  # stored before layouts were numbered: 1
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
