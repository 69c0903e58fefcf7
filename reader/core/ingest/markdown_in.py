"""Markdown -> Article.

* Front matter (``---`` ... ``---`` at the very top) is YAML, read with PyYAML's
  safe loader (:mod:`.front_matter`): lists, nested keys, multi-line strings.
  Known keys: title, date, updated, author/authors, url, short_url, tags (or
  keywords), source, section (or category/categories), kicker, lede (or
  summary/description), signature.  A value of the wrong type (a list for the
  title, an unparseable date, a non-http url) or a block that is not valid
  YAML is ignored, and said: each problem names the key, in
  ``article.extra["warnings"]`` (the importer reports them).
* Title: front matter ``title``, else the first ``# `` heading, else the first line.
* The body goes through Python-Markdown **with raw HTML handling removed**
  (``html_block`` preprocessor and ``html`` inline pattern), so any HTML in the
  file is escaped and ends up as literal text in the blocks.  The HTML is then
  walked with :mod:`html.parser`: headings, paragraphs, list items (nested lists
  flattened), block quotes (QUOTE), code blocks (PARAGRAPH); inline markup is
  reduced to its text, images are dropped.
* What :mod:`reader.core.markdown_out` writes comes back: an all-italic first
  paragraph after the title is the lede, ``*caption* (Image: credit)`` /
  ``*caption* (media)`` a CAPTION, ``### <time> — heading`` an ENTRY_HEADING.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from html.parser import HTMLParser

import markdown

from reader.core.article import Article, Block, BlockKind, clean_text
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


class _Walker(HTMLParser):
    """Collects blocks from Python-Markdown's HTML; each block as (kind, level, segments)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.segments: list[tuple[str, bool]] = []  # (text, inside <em>)
        self.em = 0
        self.out: list[tuple[BlockKind, int, list[tuple[str, bool]]]] = []

    def _kind(self) -> tuple[BlockKind, int]:
        if "blockquote" in self.stack:
            return BlockKind.QUOTE, 2
        for tag in reversed(self.stack):
            if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
                return BlockKind.HEADING, int(tag[1])
            if tag == "li":
                return BlockKind.LIST_ITEM, 2
        return BlockKind.PARAGRAPH, 2

    def flush(self) -> None:
        if "".join(text for text, _ in self.segments).strip():
            kind, level = self._kind()
            self.out.append((kind, level, self.segments))
        self.segments = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.flush()
            if tag != "hr":
                self.stack.append(tag)
        elif tag == "em":
            self.em += 1
        elif tag == "br":
            self.segments.append((" ", self.em > 0))

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.flush()
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
        elif tag == "em":
            self.em = max(0, self.em - 1)

    def handle_data(self, data: str) -> None:
        self.segments.append((data, self.em > 0))

    def close(self) -> None:
        super().close()
        self.flush()


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


def markdown_blocks(body: str) -> list[tuple[BlockKind, int, list[tuple[str, bool]]]]:
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
        text = "".join(t for t, _ in segments).strip()
        if text in saved:
            out.append((BlockKind.PARAGRAPH, 2, [(saved[text], False)]))
        else:
            out.append((kind, level, segments))
    return out


def _inline_text(line: str) -> str:
    """The plain text of one Markdown line (markers and inline markup removed)."""
    found = markdown_blocks(line)
    return clean_text(" ".join("".join(t for t, _ in segs) for _, _, segs in found)) or clean_text(line)


def _to_block(kind: BlockKind, level: int, segments: list[tuple[str, bool]]) -> Block:
    text = clean_text("".join(t for t, _ in segments))
    if kind is BlockKind.PARAGRAPH and segments and segments[0][1]:
        k = 0
        while k < len(segments) and segments[k][1]:
            k += 1
        tail = _CAPTION_TAIL.match("".join(t for t, _ in segments[k:]))
        caption = clean_text("".join(t for t, _ in segments[:k]))
        if tail and caption:
            return Block(BlockKind.CAPTION, caption, credit=clean_text(tail.group("credit") or "") or None)
    if kind is BlockKind.HEADING and level == 3:
        m = _ENTRY.match(text)
        if m:
            return Block(BlockKind.ENTRY_HEADING, clean_text(m.group("text") or ""), time=m.group("time"))
    return Block(kind, text, level=level if kind is BlockKind.HEADING else 2)


def parse_markdown(text: str, *, path: str | None = None, identity: str | None = None) -> Article:
    """Parse Markdown (decoded, normalised text) into an :class:`Article`."""
    front = read_front_matter(text)
    problems = list(front.problems)
    fm = _Fields(front.fields, problems)
    body = front.body
    title = fm.text("title")
    if title is None and not any(kind is BlockKind.HEADING and level == 1 for kind, level, _ in markdown_blocks(body)):
        lines = body.split("\n")
        first = next((k for k, line in enumerate(lines) if line.strip()), None)
        if first is not None:
            title = _inline_text(lines[first])
            body = "\n".join(lines[first + 1 :])
    raw_blocks = markdown_blocks(body)
    blocks: list[Block] = []
    lede = fm.text("lede", "summary", "description")
    for kind, level, segments in raw_blocks:
        if kind is BlockKind.HEADING and level == 1 and title is None:
            title = clean_text("".join(t for t, _ in segments))
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
        if lede is None and not blocks and kind is BlockKind.PARAGRAPH and all(em for t, em in segments if t.strip()):
            lede = block.text
            continue
        blocks.append(block)
    if not title:
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
        title=title,
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
