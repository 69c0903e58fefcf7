"""The body of a DW scrape: figures, live-blog entries, headings, signature, trailer.

:class:`BodyMixin` is the body half of the parser in :mod:`reader.core.ingest.dw`
(the header half and the result live there).  Every remaining line becomes a
block: image figures (alt text + caption glued to ``Image: credit``) become one
CAPTION with its credit; ``Skip next section X`` + date + repeated ``X`` one
ENTRY_HEADING; short headline-like lines HEADINGs or, when nothing follows them
but another headline-like line, the next entry or the end, the CAPTION of an
embedded video; the final ``ab/cd (Reuters, dpa)`` line is the signature.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reader.core.article import Block, BlockKind
from reader.core.ingest import dw_lines as L
from reader.core.ingest.common import make_date


@dataclass
class _Item:
    """A provisional body item; ``kind`` "head" is decided in a second pass."""

    kind: str  # "block", "head", "watch", "sig"
    block: Block | None = None
    text: str = ""


class BodyMixin:
    """Body parsing over the parser's cleaned lines (``self.lines``) and state (``self.s``)."""

    lines: list[Any]
    n: int
    s: Any
    old_layout: bool
    single_newlines: bool

    def text(self, i: int) -> str:
        raise NotImplementedError

    def _link_line(self, line: str) -> bool:
        raise NotImplementedError

    def _page_date(self, published: datetime | None, updated: datetime | None = None) -> None:
        raise NotImplementedError

    def _add_authors(self, names: list[str]) -> None:
        raise NotImplementedError

    # ---- body --------------------------------------------------------------------
    def _caption_at(self, i: int) -> tuple[int, Block] | None:
        """An image figure starting at line ``i``: (index after it, CAPTION block)."""
        lines, n = self.lines, self.n
        here = L.split_credit(self.text(i))
        if here and here[0]:
            return i + 1, Block(BlockKind.CAPTION, here[0], credit=here[1])
        if here:
            return None
        if i + 1 < n and not lines[i + 1].blank_before:
            nxt = L.split_credit(lines[i + 1].text)
            if nxt and nxt[0] and self._may_be_alt(i):
                return i + 2, Block(BlockKind.CAPTION, nxt[0], credit=nxt[1])
            if nxt and not nxt[0]:
                return i + 2, Block(BlockKind.CAPTION, self.text(i), credit=nxt[1])
            if i + 2 < n and not lines[i + 2].blank_before and self._may_be_alt(i):
                third = L.split_credit(lines[i + 2].text)
                if third and not third[0]:
                    return i + 3, Block(BlockKind.CAPTION, lines[i + 1].text, credit=third[1])
        return None

    def _may_be_alt(self, i: int) -> bool:
        line = self.text(i)
        if len(line) > 400 or L.SKIP_NEXT.match(line) or L.is_noise(line):
            return False
        return not (self.single_newlines and L.ends_sentence(line))

    def parse_body(self, i: int) -> list[Block]:
        items: list[_Item] = []
        trailer = False
        while i < self.n:
            line = self.text(i)
            if trailer:
                self._trailer_line(line)
                i += 1
                continue
            if L.WATCH.match(line):
                items.append(_Item("watch"))
                i += 1
                continue
            if L.is_noise(line) or self._link_line(line):
                i += 1
                continue
            if self._starts_trailer(line, items):
                trailer = True
                continue
            skip = L.SKIP_NEXT.match(line)
            if skip:
                i = self._entry(i, skip.group("heading").strip(), items)
                continue
            if L.TIME_LINE.match(line):
                i = self._old_entry(i, items)
                continue
            figure = self._caption_at(i)
            if figure:
                i, block = figure
                items.append(_Item("block", block))
                continue
            credit = L.split_credit(line)
            if credit:  # a lone "Image: X" line: credit of the caption before it
                if (
                    items
                    and items[-1].block
                    and items[-1].block.kind is BlockKind.CAPTION
                    and not items[-1].block.credit
                ):
                    prev = items[-1].block
                    items[-1] = _Item("block", Block(BlockKind.CAPTION, prev.text, credit=credit[1]))
                i += 1
                continue
            if L.SIGNATURE.match(line):
                items.append(_Item("sig", text=line))
            elif L.headline_like(line):
                items.append(_Item("head", text=line))
            else:
                items.append(_Item("block", Block(BlockKind.PARAGRAPH, line)))
            i += 1
        return self._resolve(items)

    def _starts_trailer(self, line: str, items: list[_Item]) -> bool:
        if not any(item.kind == "block" for item in items):
            return False
        return bool(
            L.OLD_FOOTER_DATE.match(line)
            or (
                self.old_layout
                and re.match(
                    r"^(?:Related (?:Subjects|content|topics)|Keywords|Feedback|Audios and videos on the topic)\b", line
                )
            )
        )

    def _trailer_line(self, line: str) -> None:
        m = L.OLD_FOOTER_DATE.match(line)
        if m:
            if not self.s.published or not self.s.page_date_seen:
                self._page_date(make_date(m.group("y"), m.group("m"), m.group("d")))
            return
        m = re.match(r"^Authors?:?\s+(.+)$", line)
        if m and not self.s.authors:
            self._add_authors(L.parse_authors(m.group(1)) or [])
            return
        self._link_line(line)

    def _entry(self, i: int, heading: str, items: list[_Item]) -> int:
        j = i + 1
        time = None
        if j < self.n and (t := L.entry_time(self.text(j))):
            time, j = t, j + 1
        if heading and j < self.n and L.same_text(self.text(j), heading):
            j += 1
        if time is None and j < self.n and (t := L.entry_time(self.text(j))):
            time, j = t, j + 1
        if not heading:
            if j < self.n and L.headline_like(self.text(j)):
                heading, j = self.text(j), j + 1
            elif time is None:
                return j
        kind = BlockKind.ENTRY_HEADING if time else BlockKind.HEADING
        items.append(_Item("block", Block(kind, heading, time=time)))
        return j

    def _old_entry(self, i: int, items: list[_Item]) -> int:
        time = self.text(i)
        j = i + 1
        heading = ""
        if j < self.n and L.headline_like(self.text(j)) and not L.TIME_LINE.match(self.text(j)):
            after = j + 1
            if after < self.n and not (L.headline_like(self.text(after)) and self._caption_at(after) is None):
                heading, j = self.text(j), j + 1
        items.append(_Item("block", Block(BlockKind.ENTRY_HEADING, heading, time=time)))
        return j

    def _resolve(self, items: list[_Item]) -> list[Block]:
        """Decide headline-like lines and the signature; drop doubled blocks."""
        blocks: list[Block] = []
        last_sig = max((k for k, item in enumerate(items) if item.kind == "sig"), default=None)
        if last_sig is not None and all(item.kind == "watch" for item in items[last_sig + 1 :]):
            self.s.signature = items[last_sig].text
        else:
            last_sig = None
        for k, item in enumerate(items):
            if item.kind == "watch":
                continue
            if item.kind == "sig":
                if k != last_sig:
                    blocks.append(Block(BlockKind.PARAGRAPH, item.text))
                continue
            if item.kind == "head":
                blocks.append(self._decide_head(items, k))
                continue
            assert item.block is not None
            blocks.append(item.block)
        out: list[Block] = []
        for block in blocks:
            if out and out[-1].kind is block.kind and L.same_text(out[-1].text, block.text) and block.text:
                continue
            if not out and block.kind is not BlockKind.CAPTION and L.same_text(block.text, self.s.title):
                continue
            out.append(block)
        return out

    def _decide_head(self, items: list[_Item], k: int) -> Block:
        text = items[k].text
        prev = items[k - 1] if k > 0 else None
        nxt = items[k + 1] if k + 1 < len(items) else None
        media = (
            (prev is not None and prev.kind == "watch")
            or nxt is None
            or nxt.kind in ("watch", "sig", "head")
            or (nxt.block is not None and nxt.block.kind in (BlockKind.ENTRY_HEADING, BlockKind.HEADING))
        )
        if media:
            return Block(BlockKind.CAPTION, text)
        return Block(BlockKind.HEADING, text)
