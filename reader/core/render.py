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
from collections.abc import Mapping

from reader.core.article import Article, Line, LineRole

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


def render_lines(lines: list[Line]) -> str:
    """The HTML body for a list of lines (one block element each)."""
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
        text = html.escape(line.text, quote=True)
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
