"""Plain text -> Article: the first non-empty line is the title, blank lines split paragraphs.

Lines inside a paragraph (hard-wrapped text) are joined with spaces.  This is
the format of the BBC corpus (one paragraph per line, blank lines between).
"""

from __future__ import annotations

from reader.core.article import Article, Block, BlockKind, clean_text
from reader.core.ingest.common import build_article
from reader.core.ingest.errors import IngestError


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
    title = clean_text(lines[index])
    paragraphs = split_paragraphs(lines[index + 1 :])
    blocks = [Block(BlockKind.PARAGRAPH, p) for p in paragraphs]
    return build_article(text=text, fmt="text", title=title, path=path, identity=identity, blocks=blocks)
