"""Plain text -> Article: the first non-empty line is the title, blank lines split paragraphs.

Lines inside a paragraph (hard-wrapped text) are joined with spaces.  This is
the format of the BBC corpus (one paragraph per line, blank lines between).

HTML character references left in the text by whatever exported it
(``&#163;1.8m``, ``&lt;``, ``&eacute;``) are decoded in the title and the
paragraphs: plain text is shown as text, so ``&#163;`` is the pound sign the
writer meant.  Only complete references (ending in ``;``) are decoded, so
``Q&A`` or ``AT&T`` are left alone.
"""

from __future__ import annotations

import html
import re
from html.entities import html5

from reader.core.article import Article, Block, BlockKind, clean_text
from reader.core.ingest.common import build_article
from reader.core.ingest.errors import IngestError

_CHAR_REF = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def unescape_entities(text: str) -> str:
    """``text`` with its complete HTML character references decoded (``&#163;`` -> ``£``).

    A reference that names nothing (``&nosuch;``) or a code point that cannot be
    a character is left as written."""
    if "&" not in text:
        return text

    def decode(match: re.Match[str]) -> str:
        ref = match.group(0)
        if ref[1] != "#":  # a name: only an exact one (html.unescape would read "&notes;" as "&not")
            return html5.get(ref[1:], ref)
        value = html.unescape(ref)
        return ref if value in (ref, "") or "\ufffd" in value else value

    return _CHAR_REF.sub(decode, text)


def split_paragraphs(lines: list[str]) -> list[str]:
    """Join runs of non-blank lines into cleaned paragraphs."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        if line.strip():
            current.append(line)
        elif current:
            paragraphs.append(clean_text(" ".join(current)))
            current = []
    if current:
        paragraphs.append(clean_text(" ".join(current)))
    return [p for p in paragraphs if p]


def parse_plaintext(text: str, *, path: str | None = None, identity: str | None = None) -> Article:
    """Parse plain text (already decoded and normalised) into an :class:`Article`."""
    lines = text.split("\n")
    index = next((k for k, line in enumerate(lines) if clean_text(line)), None)
    if index is None:
        raise IngestError(path or "<text>", "no title (the text is empty)")
    title = clean_text(unescape_entities(lines[index]))
    paragraphs = [clean_text(unescape_entities(p)) for p in split_paragraphs(lines[index + 1 :])]
    blocks = [Block(BlockKind.PARAGRAPH, p) for p in paragraphs]
    return build_article(text=text, fmt="text", title=title, path=path, identity=identity, blocks=blocks)
