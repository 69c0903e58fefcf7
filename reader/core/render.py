"""Article -> HTML for the reader pane.

The renderer emits exactly ONE HTML block element per :meth:`Article.lines`
entry, with every piece of text escaped, so that a ``QTextDocument`` built from
the HTML has one block per line and ``document().toPlainText()`` equals
``article.plain_text``.  Highlights (entities, search hits, annotations) are
applied afterwards on top of the document, never by re-rendering.

No Qt here: the stylesheet is plain CSS (the subset QTextDocument understands)
built from a small palette dict so the UI can pass light or dark colours.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from reader.core.article import Article, Line, LineRole, Mark

LIGHT_COLOURS: dict[str, str] = {
    "text": "#1f2328",
    "muted": "#5f6670",
    "accent": "#0b5cad",
    "quote_rule": "#c9ced6",
    "caption": "#5f6670",
}
DARK_COLOURS: dict[str, str] = {
    "text": "#e6e6e6",
    "muted": "#a4abb5",
    "accent": "#7ab7ff",
    "quote_rule": "#4a4f57",
    "caption": "#a4abb5",
}

# role -> CSS class (one class per role keeps the stylesheet the only place with looks)
_CLASS: dict[LineRole, str] = {role: role.value.replace("_", "-") for role in LineRole}


def stylesheet(colours: Mapping[str, str] | None = None) -> str:
    """The reader's default stylesheet (for ``QTextDocument.setDefaultStyleSheet``)."""
    c = dict(LIGHT_COLOURS)
    c.update(colours or {})
    return f"""
body {{ color: {c['text']}; }}
p {{ margin-top: 0px; margin-bottom: 10px; line-height: 140%; }}
p.section {{ color: {c['accent']}; font-size: small; font-weight: 600; margin-bottom: 4px; text-transform: uppercase; }}
h1.title {{ font-size: xx-large; font-weight: 700; margin-top: 0px; margin-bottom: 6px; }}
p.meta {{ color: {c['muted']}; font-size: small; margin-bottom: 14px; }}
p.lede {{ font-size: large; font-style: italic; margin-bottom: 16px; }}
h2.heading {{ font-size: x-large; font-weight: 700; margin-top: 18px; margin-bottom: 8px; }}
h3.heading {{ font-size: large; font-weight: 700; margin-top: 14px; margin-bottom: 6px; }}
h4.heading {{ font-size: medium; font-weight: 700; margin-top: 12px; margin-bottom: 6px; }}
p.caption {{ color: {c['caption']}; font-size: small; margin-left: 24px; margin-right: 24px; margin-bottom: 2px; }}
p.credit {{ color: {c['caption']}; font-size: small; font-style: italic; margin-left: 24px; margin-right: 24px; margin-bottom: 14px; }}
p.entry-time {{ color: {c['accent']}; font-size: small; font-weight: 600; margin-top: 18px; margin-bottom: 2px; }}
h3.entry-heading {{ font-size: large; font-weight: 700; margin-top: 0px; margin-bottom: 6px; }}
blockquote.quote {{ font-style: italic; margin-left: 24px; margin-right: 12px; color: {c['text']}; }}
li.list-item {{ margin-bottom: 4px; }}
p.signature {{ color: {c['muted']}; font-style: italic; margin-top: 12px; }}
p.link {{ color: {c['muted']}; font-size: small; margin-top: 12px; }}
a {{ color: {c['accent']}; }}
"""


def _open_tag(line: Line) -> tuple[str, str]:
    cls = _CLASS[line.role]
    role = line.role
    if role is LineRole.TITLE:
        return f'<h1 class="{cls}">', "</h1>"
    if role is LineRole.HEADING:
        level = min(max(line.level, 2), 4)
        return f'<h{level} class="{cls}">', f"</h{level}>"
    if role is LineRole.ENTRY_HEADING:
        return f'<h3 class="{cls}">', "</h3>"
    if role is LineRole.QUOTE:
        return f'<blockquote class="{cls}">', "</blockquote>"
    if role is LineRole.LIST_ITEM:
        return f'<li class="{cls}">', "</li>"
    return f'<p class="{cls}">', "</p>"


def _is_safe_link(url: str) -> bool:
    return url.lower().startswith(("http://", "https://"))


def _is_safe_href(url: str) -> bool:
    return _is_safe_link(url) or url.lower().startswith("mailto:")


@dataclass(frozen=True)
class Highlight:
    """A passage to paint in an exported document: offsets into the plain text,
    a CSS background colour, and the number of its note (0: no note)."""

    start: int
    end: int
    background: str
    note_number: int = 0


# one piece of inline style over [start, end) of a line: ("b"|"i"|"a"|"hl", value)
_Style = tuple[str, str]


def _styles_of(line: Line, highlights: Sequence[Highlight]) -> list[tuple[int, int, _Style]]:
    out: list[tuple[int, int, _Style]] = []
    for mark in line.marks:
        if mark.kind == Mark.STRONG:
            out.append((mark.start, mark.end, ("b", "")))
        elif mark.kind == Mark.EMPHASIS:
            out.append((mark.start, mark.end, ("i", "")))
        elif mark.kind == Mark.LINK and mark.href and _is_safe_href(mark.href):
            out.append((mark.start, mark.end, ("a", mark.href)))
    for hl in highlights:
        s, e = max(hl.start, line.start) - line.start, min(hl.end, line.end) - line.start
        if s < e:
            out.append((s, e, ("hl", hl.background)))
    return out


def _inline_html(text: str, styles: list[tuple[int, int, _Style]], notes_at: Mapping[int, int]) -> str:
    """``text`` escaped, with each run of characters wrapped in the tags of the
    styles over it (runs are closed and reopened at every boundary, so any
    overlap nests correctly), and a note reference after the character at each
    offset in ``notes_at``.  The text itself is never changed."""
    if not styles and not notes_at:
        return html.escape(text, quote=True)
    cuts = sorted({0, len(text), *(x for s, e, _ in styles for x in (s, e)), *notes_at})
    cuts = [c for c in cuts if 0 <= c <= len(text)]
    out: list[str] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        active = [st for s, e, st in styles if s <= a and b <= e]
        piece = html.escape(text[a:b], quote=True)
        for kind, value in sorted(active, key=lambda st: "a i b hl".split().index(st[0]), reverse=True):
            if kind == "b":
                piece = f"<b>{piece}</b>"
            elif kind == "i":
                piece = f"<i>{piece}</i>"
            elif kind == "a":
                piece = f'<a href="{html.escape(value, quote=True)}">{piece}</a>'
            else:
                piece = f'<span style="background-color: {html.escape(value, quote=True)};">{piece}</span>'
        out.append(piece)
        if b in notes_at:
            n = notes_at[b]
            out.append(f'<sup><a href="#note-{n}">[{n}]</a></sup>')
    return "".join(out)


def render_lines(lines: list[Line], highlights: Sequence[Highlight] = (), *, note_refs: bool = False) -> str:
    """The HTML body for a list of lines (one block element each), with the
    lines' inline marks (bold, italic, links) as character formats over the
    same text.  ``highlights`` (for exports) paint passages; with ``note_refs``
    a highlight's note number follows it as a superscript ``[n]`` (which adds
    text: only for exported documents, never the reader pane)."""
    out: list[str] = []
    in_list = False
    for line in lines:
        if line.role is LineRole.LIST_ITEM and not in_list:
            out.append('<ul class="list">')
            in_list = True
        elif line.role is not LineRole.LIST_ITEM and in_list:
            out.append("</ul>")
            in_list = False
        start, end = _open_tag(line)
        notes_at = {hl.end - line.start: hl.note_number for hl in highlights
                    if note_refs and hl.note_number and line.start < hl.end <= line.end}
        text = _inline_html(line.text, _styles_of(line, highlights), notes_at)
        if line.role is LineRole.LINK and _is_safe_link(line.text):
            text = f'<a href="{html.escape(line.text, quote=True)}">{text}</a>'
        out.append(f"{start}{text}{end}")
    if in_list:
        out.append("</ul>")
    return "\n".join(out)


def render_html(article: Article, colours: Mapping[str, str] | None = None, *, inline_css: bool = False) -> str:
    """The reader-pane HTML of ``article``: one block element per line.

    With ``inline_css`` the stylesheet is included in a ``<style>`` element
    (for standalone use); the reader pane sets it as the document's default
    stylesheet instead.
    """
    head = f"<style>{stylesheet(colours)}</style>" if inline_css else ""
    return f"<html><head>{head}</head><body>{render_lines(article.lines())}</body></html>"


@dataclass(frozen=True)
class ExportNote:
    """A note listed under an exported article: its number, the quoted passage,
    the note text (shown as plain text) and a short meta line (colour, tags)."""

    number: int
    quote: str
    note: str
    meta: str = ""


def render_document(
    article: Article,
    highlights: Sequence[Highlight] = (),
    notes: Iterable[ExportNote] = (),
    colours: Mapping[str, str] | None = None,
    *,
    unplaced: Iterable[ExportNote] = (),
) -> str:
    """A standalone HTML document of ``article`` for export and print: the
    reader's rendering (same lines, styles and inline marks) with the
    highlights painted, each followed by its note number, then the notes.
    Every piece of article and note text is escaped."""
    c = dict(LIGHT_COLOURS)
    c.update(colours or {})
    body = [render_lines(article.lines(), highlights, note_refs=True)]

    def note_items(items: Iterable[ExportNote]) -> list[str]:
        rows = []
        for n in items:
            text = "<br/>".join(html.escape(p, quote=True) for p in n.note.strip().split("\n")) if n.note else ""
            meta = f'<br/><span class="note-meta">{html.escape(n.meta)}</span>' if n.meta else ""
            anchor = f'<a name="note-{n.number}"></a>' if n.number else ""
            rows.append(f'<li class="note">{anchor}<span class="note-quote">\u201c{html.escape(n.quote)}\u201d</span>'
                        + (f"<br/>{text}" if text else "") + f"{meta}</li>")
        return rows

    listed = note_items(notes)
    if listed:
        body += ['<h2 class="heading">Highlights and notes</h2>', '<ol class="notes">', *listed, "</ol>"]
    lost = note_items(unplaced)
    if lost:
        body += ['<h3 class="heading">Could not be placed</h3>', '<ul class="notes">', *lost, "</ul>"]
    extra = (f"li.note {{ margin-bottom: 8px; }} span.note-quote {{ font-style: italic; }} "
             f"span.note-meta {{ color: {c['muted']}; font-size: small; }} sup {{ font-size: small; }}")
    title = html.escape(article.title, quote=True)
    return (f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"/><title>{title}</title>'
            f"<style>{stylesheet(colours)}{extra}</style></head>\n<body>\n" + "\n".join(body) + "\n</body></html>\n")
