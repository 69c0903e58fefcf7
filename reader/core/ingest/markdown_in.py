"""Markdown -> Article.

* Front matter (``---`` ... ``---`` at the very top) is YAML, read with PyYAML's
  safe loader (:mod:`.front_matter`): lists, nested keys, multi-line strings.
  Known keys: title, date, updated, author/authors, url, short_url, tags (or
  keywords), source, section (or category/categories), kicker, lede (or
  summary/description), signature.  A value of the wrong type (a list for the
  title, an unparseable date, a non-http url) or a block that is not valid
  YAML is ignored, and said: each problem names the key, in
  ``article.extra["warnings"]`` (the importer reports them).
* Title: front matter ``title``, else the first ``# `` heading, else the first line;
  ``untitled: true`` (how an untitled DW page is exported) keeps it untitled.
* The body goes through Python-Markdown **with raw HTML handling removed**
  (``html_block`` preprocessor and ``html`` inline pattern), so any HTML in the
  file is escaped and ends up as literal text in the blocks.  The HTML is then
  walked with :mod:`html.parser`: headings, paragraphs, list items (nested lists
  flattened), block quotes (QUOTE), code blocks (PARAGRAPH); images are
  dropped.  Inline bold, italic and (http/https/mailto) links are kept as
  :class:`~reader.core.article.Mark` s over the block's text, which is the
  text alone: marks style it, never change it.
* What :mod:`reader.core.markdown_out` writes comes back: an all-italic first
  paragraph after the title is the lede, ``*caption* (Image: credit)`` /
  ``*caption* (media)`` a CAPTION, ``### <time> — heading`` an ENTRY_HEADING.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from html.parser import HTMLParser
from typing import NamedTuple

import markdown

from reader.core.article import Article, Block, BlockKind, Mark, clean_text, valid_marks
from reader.core.ingest.common import build_article, month_date_pattern, parse_date
from reader.core.ingest.errors import IngestError
from reader.core.ingest.front_matter import FrontMatter, parse_front_matter, read_front_matter

__all__ = ["markdown_blocks", "parse_front_matter", "parse_markdown"]
_ENTRY = re.compile(
    rf"^(?P<time>\d{{1,2}}:\d{{2}}(?: UTC| CET| CEST| GMT)?|{month_date_pattern()})(?: — (?P<text>.*))?$"
)
_CAPTION_TAIL = re.compile(r"^\s*(?:\(Image: (?P<credit>.+)\)|\(media\))\s*$")
_BLOCK_TAGS = frozenset("p h1 h2 h3 h4 h5 h6 li ul ol blockquote pre hr div table tr dl dt dd".split())


class _Fields:
    """Typed access to flattened front matter; each wrong value becomes a problem naming its key."""

    def __init__(self, fields: FrontMatter, problems: list[str]) -> None:
        self.fields = fields
        self.problems = problems

    def text(self, *keys: str) -> str | None:
        for key in keys:
            value = self.fields.get(key)
            if isinstance(value, str) and clean_text(value):
                return clean_text(value)
            if isinstance(value, list) and value:
                self.problems.append(f"front matter key {key!r}: a list, not a text; ignored")
        return None

    def items(self, *keys: str) -> tuple[str, ...]:
        for key in keys:
            value = self.fields.get(key)
            if isinstance(value, list):
                cleaned = [clean_text(v) for v in value if isinstance(v, str)]
                return tuple(dict.fromkeys(v for v in cleaned if v))
            if isinstance(value, str) and clean_text(value):
                return tuple(dict.fromkeys(v for v in (clean_text(x) for x in value.split(",")) if v))
        return ()

    def url(self, key: str) -> str | None:
        value = self.text(key)
        if value and re.match(r"^https?://\S+$", value):
            return value
        if value:
            self.problems.append(f"front matter key {key!r}: {value[:60]!r} is not a web address (http/https); ignored")
        return None

    def when(self, *keys: str) -> datetime | None:
        for key in keys:
            value = self.fields.get(key)
            if isinstance(value, str) and value.strip():
                parsed = parse_date(value)
                if parsed is not None:
                    return parsed
                self.problems.append(f"front matter key {key!r}: {value[:60]!r} is not a date; ignored")
            elif isinstance(value, list):
                self.problems.append(f"front matter key {key!r}: a list, not a date; ignored")
        return None


# ---- Markdown -> blocks -----------------------------------------------------------------
def _markdown() -> markdown.Markdown:
    md = markdown.Markdown(output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


class _Seg(NamedTuple):
    """A run of inline text and the inline markup it is inside."""

    text: str
    em: bool = False
    strong: bool = False
    href: str = ""  # inside a link to this (safe) address


_SAFE_HREF = re.compile(r"^(?:https?://|mailto:)\S+$", re.IGNORECASE)


class _Walker(HTMLParser):
    """Collects blocks from Python-Markdown's HTML; each block as (kind, level, segments)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.segments: list[_Seg] = []
        self.em = 0
        self.strong = 0
        self.links: list[str] = []  # the open <a> elements' hrefs ("" when unsafe)
        self.out: list[tuple[BlockKind, int, list[_Seg]]] = []

    def _kind(self) -> tuple[BlockKind, int]:
        if "blockquote" in self.stack:
            return BlockKind.QUOTE, 2
        for tag in reversed(self.stack):
            if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
                return BlockKind.HEADING, int(tag[1])
            if tag == "li":
                return BlockKind.LIST_ITEM, 2
        return BlockKind.PARAGRAPH, 2

    def _seg(self, text: str) -> _Seg:
        return _Seg(text, self.em > 0, self.strong > 0, self.links[-1] if self.links else "")

    def flush(self) -> None:
        if "".join(seg.text for seg in self.segments).strip():
            kind, level = self._kind()
            self.out.append((kind, level, self.segments))
        self.segments = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.flush()
            if tag != "hr":
                self.stack.append(tag)
        elif tag in ("em", "i"):
            self.em += 1
        elif tag in ("strong", "b"):
            self.strong += 1
        elif tag == "a":
            href = (dict(attrs).get("href") or "").strip()
            self.links.append(href if _SAFE_HREF.match(href) else "")
        elif tag == "br":
            self.segments.append(self._seg(" "))

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.flush()
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
        elif tag in ("em", "i"):
            self.em = max(0, self.em - 1)
        elif tag in ("strong", "b"):
            self.strong = max(0, self.strong - 1)
        elif tag == "a" and self.links:
            self.links.pop()

    def handle_data(self, data: str) -> None:
        self.segments.append(self._seg(data))

    def close(self) -> None:
        super().close()
        self.flush()


def _segments_text(segments: list[_Seg]) -> str:
    return "".join(seg.text for seg in segments)


def _marks(segments: list[_Seg], text: str) -> tuple[Mark, ...]:
    """Inline marks (bold, italic, links) over ``text``, the cleaned text of
    ``segments``: each maximal run of segments with a style becomes one mark,
    its offsets mapped through the whitespace cleaning and trimmed to words."""
    raw = _segments_text(segments)
    if clean_text(raw) != text:
        return ()
    # position in the cleaned text of every raw character (spaces: where they collapse to)
    pos: list[int] = []
    size, pending = 0, False
    for ch in raw:
        if ch.isspace():
            pending = size > 0
            pos.append(size)
        else:
            if pending:
                size += 1
                pending = False
            pos.append(size)
            size += 1
    bounds: list[tuple[int, int, _Seg]] = []
    at = 0
    for seg in segments:
        bounds.append((at, at + len(seg.text), seg))
        at += len(seg.text)

    def span(lo: int, hi: int) -> tuple[int, int] | None:
        chars = [k for k in range(lo, hi) if not raw[k].isspace()]
        return (pos[chars[0]], pos[chars[-1]] + 1) if chars else None

    marks: list[Mark] = []
    for kind, key in ((Mark.STRONG, lambda s: "x" if s.strong else ""), (Mark.EMPHASIS, lambda s: "x" if s.em else ""),
                      (Mark.LINK, lambda s: s.href)):
        k = 0
        while k < len(bounds):
            value = key(bounds[k][2])
            if not value:
                k += 1
                continue
            j = k
            while j + 1 < len(bounds) and key(bounds[j + 1][2]) == value:
                j += 1
            found = span(bounds[k][0], bounds[j][1])
            if found is not None:
                marks.append(Mark(found[0], found[1], kind, value if kind == Mark.LINK else ""))
            k = j + 1
    return valid_marks(marks, text)


#: Python-Markdown is super-linear on some inputs (nested brackets, very deep lists or
#: quotes).  A blank-line-separated chunk beyond these limits is not given to it: it
#: becomes one PARAGRAPH of its literal text, so hostile files stay fast.
MAX_BRACKETS_PER_CHUNK = 200
MAX_CHUNK_CHARS = 200_000
_DEEP = re.compile(r"^(?:[ \t]{64,}|(?:>[ \t]*){32,})", re.MULTILINE)


def _hostile(chunk: str) -> bool:
    return len(chunk) > MAX_CHUNK_CHARS or chunk.count("[") > MAX_BRACKETS_PER_CHUNK or _DEEP.search(chunk) is not None


def _set_aside_hostile(body: str) -> tuple[str, dict[str, str]]:
    """Replace hostile chunks by unique marker words; return the body and marker -> chunk."""
    saved: dict[str, str] = {}
    parts = re.split(r"(\n[ \t]*\n)", body)
    for k in range(0, len(parts), 2):
        if _hostile(parts[k]):
            key = f"readerliteral{secrets.token_hex(8)}x{k}"
            saved[key] = parts[k]
            parts[k] = key
    return "".join(parts), saved


def markdown_blocks(body: str) -> list[tuple[BlockKind, int, list[_Seg]]]:
    """Render ``body`` with raw HTML disabled and collect its blocks."""
    body, saved = _set_aside_hostile(body)
    html = _markdown().convert(body)
    walker = _Walker()
    walker.feed(html)
    walker.close()
    if not saved:
        return walker.out
    out = []
    for kind, level, segments in walker.out:
        text = _segments_text(segments).strip()
        if text in saved:
            out.append((BlockKind.PARAGRAPH, 2, [_Seg(saved[text])]))
        else:
            out.append((kind, level, segments))
    return out


def _inline_text(line: str) -> str:
    """The plain text of one Markdown line (markers and inline markup removed)."""
    found = markdown_blocks(line)
    return clean_text(" ".join(_segments_text(segs) for _, _, segs in found)) or clean_text(line)


def _to_block(kind: BlockKind, level: int, segments: list[_Seg]) -> Block:
    text = clean_text(_segments_text(segments))
    if kind is BlockKind.PARAGRAPH and segments and segments[0].em:
        k = 0
        while k < len(segments) and segments[k].em:
            k += 1
        tail = _CAPTION_TAIL.match(_segments_text(segments[k:]))
        caption = clean_text(_segments_text(segments[:k]))
        if tail and caption:
            return Block(BlockKind.CAPTION, caption, credit=clean_text(tail.group("credit") or "") or None)
    if kind is BlockKind.HEADING and level == 3:
        m = _ENTRY.match(text)
        if m:
            return Block(BlockKind.ENTRY_HEADING, clean_text(m.group("text") or ""), time=m.group("time"))
    return Block(kind, text, level=level if kind is BlockKind.HEADING else 2, marks=_marks(segments, text))


def parse_markdown(text: str, *, path: str | None = None, identity: str | None = None) -> Article:
    """Parse Markdown (decoded, normalised text) into an :class:`Article`."""
    front = read_front_matter(text)
    problems = list(front.problems)
    fm = _Fields(front.fields, problems)
    body = front.body
    title = fm.text("title")
    untitled = title is None and front.fields.get("untitled") in (True, "true")  # exported untitled DW page
    if (
        title is None
        and not untitled
        and not any(kind is BlockKind.HEADING and level == 1 for kind, level, _ in markdown_blocks(body))
    ):
        lines = body.split("\n")
        first = next((k for k, line in enumerate(lines) if line.strip()), None)
        if first is not None:
            title = _inline_text(lines[first])
            body = "\n".join(lines[first + 1 :])
    raw_blocks = markdown_blocks(body)
    blocks: list[Block] = []
    lede = fm.text("lede", "summary", "description")
    for kind, level, segments in raw_blocks:
        if kind is BlockKind.HEADING and level == 1 and title is None and not untitled:
            title = clean_text(_segments_text(segments))
            continue
        block = _to_block(kind, level, segments)
        if (
            not blocks
            and title
            and kind is BlockKind.HEADING
            and level == 1
            and block.text.casefold() == title.casefold()
        ):
            continue  # the front matter title repeated as the heading
        if lede is None and not blocks and kind is BlockKind.PARAGRAPH and all(s.em for s in segments if s.text.strip()):
            lede = block.text
            continue
        blocks.append(block)
    if not title and not untitled:
        raise IngestError(path or "<text>", "no title (no front matter title, heading or text)")
    given = fm.when("date", "published")
    published = given or fm.when("crawled")
    short_url = fm.url("short_url")
    page = re.match(r"^https?://p\.dw\.com/p/([\w-]+)/?$", short_url or "")
    section = fm.text("section", "category")
    if section is None and fm.items("categories"):
        section = fm.items("categories")[0]
    article = build_article(
        text=text,
        fmt="markdown",
        title=title or "",
        path=path,
        identity=identity,
        url=fm.url("url"),
        page_id=page.group(1) if page else None,
        blocks=blocks,
        source=fm.text("source") or "",
        published=published,
        updated=fm.when("updated", "lastmod", "modified"),
        date_is_crawl=published is not None and given is None,
        authors=fm.items("authors", "author"),
        tags=fm.items("tags", "keywords"),
        section=section,
        kicker=fm.text("kicker"),
        lede=lede,
        signature=fm.text("signature"),
        short_url=short_url,
    )
    if problems:
        article.extra["warnings"] = "; ".join(dict.fromkeys(problems))
    return article
