"""Helpers shared by the format parsers: article assembly, identities, dates."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

from reader.core.article import Article, Block, BlockKind, article_id, clean_text, content_hash

MONTHS = {
    name.lower(): number
    for number, names in enumerate(
        (
            ("January", "Jan"),
            ("February", "Feb"),
            ("March", "Mar"),
            ("April", "Apr"),
            ("May",),
            ("June", "Jun"),
            ("July", "Jul"),
            ("August", "Aug"),
            ("September", "Sep", "Sept"),
            ("October", "Oct"),
            ("November", "Nov"),
            ("December", "Dec"),
        ),
        start=1,
    )
    for name in names
}
#: A longer title line (a file that is one huge line, a paragraph taken for a title)
#: is cut at a word boundary with "…"; the whole line is kept as the first paragraph.
MAX_TITLE_CHARS = 300

_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))


def month_date_pattern(prefix: str = "") -> str:
    """A regex fragment for ``April 4, 2024`` / ``Sept. 4, 2024`` with groups ``<prefix>month/day/year``."""
    return rf"(?i:(?P<{prefix}month>{_MONTH_ALT}))\.?\s(?P<{prefix}day>\d{{1,2}}),\s?(?P<{prefix}year>\d{{4}})"


MONTH_DATE = month_date_pattern()
_MONTH_DATE_RE = re.compile(MONTH_DATE)
_ISO_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_DMY_DOT_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def make_date(year: int | str, month: int | str, day: int | str) -> datetime | None:
    """A naive midnight datetime, or ``None`` for an impossible date."""
    try:
        value = datetime(int(year), int(month), int(day))
    except (ValueError, OverflowError):
        return None
    return value if 1900 <= value.year <= 2200 else None


def month_date(match: re.Match[str], prefix: str = "") -> datetime | None:
    """The date of a match of :data:`MONTH_DATE` (groups may carry a ``prefix``)."""
    month = MONTHS.get(match.group(prefix + "month").lower())
    if month is None:
        return None
    return make_date(match.group(prefix + "year"), month, match.group(prefix + "day"))


def parse_date(value: str) -> datetime | None:
    """Parse ``2024-04-04[T12:00]``, ``04.04.2024`` or ``April 4, 2024``; ``None`` if none fits.

    Times are kept when given (naive); date-only values are midnight.
    """
    value = value.strip()
    iso = _ISO_RE.match(value)
    if iso:
        base = make_date(iso.group(1), iso.group(2), iso.group(3))
        if base is not None and iso.group(4):
            try:
                return base.replace(hour=int(iso.group(4)), minute=int(iso.group(5)), second=int(iso.group(6) or 0))
            except ValueError:
                return base
        return base
    dmy = _DMY_DOT_RE.match(value)
    if dmy:
        return make_date(dmy.group(3), dmy.group(2), dmy.group(1))
    md = _MONTH_DATE_RE.fullmatch(value)
    if md:
        return month_date(md)
    return None


def resolve_identity(*, url: str | None, page_id: str | None, identity: str | None, path: str | None, text: str) -> str:
    """Canonical URL, else ``dw:<pageid>``, else the caller's identity, else ``file:<abs path>``.

    Without any of them (``parse_text`` on a bare string) it is ``text:<content hash>``.
    """
    if url:
        return url
    if page_id:
        return f"dw:{page_id}"
    if identity:
        return identity
    if path:
        try:
            resolved = str(Path(path).resolve())
        except (OSError, RuntimeError, ValueError):
            resolved = str(Path(path).absolute())
        return f"file:{resolved}"
    return f"text:{content_hash(text)}"


def shorten_title(title: str) -> str:
    """``title`` cut to at most :data:`MAX_TITLE_CHARS` characters, "…" included
    (at a space if there is one in the second half): a shortened title is short."""
    cut = title[: MAX_TITLE_CHARS - 1]
    space = cut.rfind(" ")
    if space > MAX_TITLE_CHARS // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"


def build_article(
    *,
    text: str,
    fmt: str,
    title: str,
    path: str | None,
    identity: str | None,
    url: str | None = None,
    page_id: str | None = None,
    blocks: list[Block] | tuple[Block, ...] = (),
    **fields: Any,
) -> Article:
    """Assemble an :class:`Article`: clean texts, drop empty blocks, compute id and hash."""
    ident = resolve_identity(url=url, page_id=page_id, identity=identity, path=path, text=text)
    title = clean_text(title)
    if len(title) > MAX_TITLE_CHARS:
        blocks = [Block(BlockKind.PARAGRAPH, title), *blocks]
        title = shorten_title(title)
    kept: list[Block] = []
    for block in blocks:
        cleaned = clean_text(block.text)
        if not cleaned and block.kind is not BlockKind.ENTRY_HEADING:
            continue
        if block.kind is BlockKind.ENTRY_HEADING and not cleaned and not block.time:
            continue
        kept.append(
            Block(
                kind=block.kind,
                text=cleaned,
                credit=clean_text(block.credit) or None if block.credit else None,
                time=clean_text(block.time) or None if block.time else None,
                level=block.level,
                # link offsets index the text as given: kept when cleaning left it as it was
                links=block.links if cleaned == block.text else (),
            )
        )
    for key in ("lede", "signature", "section", "kicker", "short_url"):
        if key in fields and fields[key] is not None:
            fields[key] = clean_text(fields[key]) or None
    if "authors" in fields:
        fields["authors"] = tuple(a for a in (clean_text(x) for x in fields["authors"]) if a)
    return Article(
        id=article_id(ident),
        identity=ident,
        title=title,
        content_hash=content_hash(text),
        url=url or None,
        blocks=tuple(kept),
        source_path=path,
        format=fmt,
        **fields,
    )
