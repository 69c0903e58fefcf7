"""All the text of a web page, when the article cannot be found in it.

lxml (and so trafilatura) cuts documents nested deeper than libxml2 allows
(about 256 levels), and trafilatura gives up on some odd pages (one huge
paragraph, tables in tables).  Rather than lose the text, :func:`page_text`
reads the page with the standard library's tokenizer - no tree, no depth
limit, entities of an internal DTD never expanded - and returns its visible
text as blocks: one per paragraph-like element (headings, list items and
quotes typed as such), scripts, styles and templates left out.
"""

from __future__ import annotations

from html.parser import HTMLParser

from reader.core.article import Block, BlockKind, clean_text

_SKIP = frozenset({"script", "style", "noscript", "template", "iframe", "object", "svg", "math", "select"})
_BLOCK = frozenset(
    "p div br li ul ol dl dt dd h1 h2 h3 h4 h5 h6 blockquote section article header footer nav aside main pre "
    "table tr td th thead tbody tfoot caption figure figcaption form fieldset hr address details summary body html"
    .split()
)
_VOID = frozenset("br hr img input meta link area base col embed param source track wbr".split())
#: Text kept at most (characters); the rest of a page beyond this is cut, and said.
MAX_TEXT = 20_000_000


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.stack: list[str] = []
        self.parts: list[str] = []
        self.blocks: list[Block] = []
        self.title_parts: list[str] = []
        self.in_title = False
        self.size = 0

    def _kind(self) -> tuple[BlockKind, int]:
        for tag in reversed(self.stack[-50:]):
            if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
                return BlockKind.HEADING, max(2, int(tag[1]))
            if tag == "li":
                return BlockKind.LIST_ITEM, 2
            if tag == "blockquote":
                return BlockKind.QUOTE, 2
        return BlockKind.PARAGRAPH, 2

    def flush(self) -> None:
        text = clean_text("".join(self.parts))
        self.parts = []
        if text:
            kind, level = self._kind()
            self.blocks.append(Block(kind, text, level=level))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title = True
            return
        if tag in _SKIP:
            self.skip += 1
            return
        if tag in _BLOCK:
            self.flush()
        if tag not in _VOID:
            self.stack.append(tag)
            if len(self.stack) > 10_000:  # unclosed tags without end: keep the stack bounded
                del self.stack[:5_000]

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
            return
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if tag in _BLOCK:
            self.flush()
        for k in range(len(self.stack) - 1, max(-1, len(self.stack) - 200), -1):
            if self.stack[k] == tag:
                del self.stack[k:]
                break

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title_parts.append(data)
        elif not self.skip and self.size < MAX_TEXT:
            self.parts.append(data)
            self.size += len(data)


def page_text(html: str) -> tuple[str | None, list[Block]]:
    """``(title, blocks)``: the ``<title>`` and every paragraph of visible text of ``html``."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    parser.flush()
    return clean_text("".join(parser.title_parts)) or None, parser.blocks
