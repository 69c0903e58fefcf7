"""One article out, with the user's highlights and notes: Markdown and HTML.

* :func:`article_markdown` — the article as ``reader show`` writes it
  (re-importable Markdown), then a "Highlights and notes" section: each
  highlight as a block quote with its note below, in text order; notes that
  could not be placed come last.
* :func:`article_html` — a standalone HTML page: the reader's rendering of the
  article (:func:`reader.core.render.render_document`) with every highlight
  painted in its colour and numbered, then the numbered notes.  The same HTML
  is what :mod:`reader.ui.printing` turns into a PDF or prints.

Highlights are placed on the article's current text with the annotation's
selectors (position, then quote and context), so an export never paints the
wrong words.
"""

from __future__ import annotations

from reader.core.anchoring import Selector, anchor
from reader.core.article import Article
from reader.core.render import ExportNote, Highlight, render_document
from reader.store.export import CSS_COLOURS, annotation_markdown
from reader.store.library import COLOURS, Annotation, Library

__all__ = ["article_html", "article_markdown", "placed_annotations"]


def _article(library: Library, article_id: str) -> Article:
    article = library.article(article_id)
    if article is None:
        raise KeyError(f"no article with id {article_id}")
    return article


def placed_annotations(library: Library, article: Article) -> tuple[list[tuple[int, int, Annotation]],
                                                                     list[Annotation]]:
    """The article's annotations as ``(start, end, annotation)`` on its current
    text, in text order, and those that cannot be placed."""
    text = article.plain_text
    placed: list[tuple[int, int, Annotation]] = []
    lost: list[Annotation] = []
    for ann in library.annotations(article.id):
        span = None if ann.orphan else anchor(text, Selector(ann.start, ann.end, ann.exact, ann.prefix, ann.suffix))
        if span is None:
            lost.append(ann)
        else:
            placed.append((span[0], span[1], ann))
    placed.sort(key=lambda p: (p[0], p[1], p[2].id))
    return placed, lost


def _meta(ann: Annotation) -> str:
    parts = [f"{ann.colour} ({COLOURS.get(ann.colour, 'no meaning set')})"]
    if ann.tags:
        parts.append("tags: " + ", ".join(ann.tags))
    return " · ".join(parts)


def article_html(library: Library, article_id: str) -> str:
    """The article with its highlights and numbered notes, as a standalone HTML page."""
    article = _article(library, article_id)
    placed, lost = placed_annotations(library, article)
    highlights: list[Highlight] = []
    notes: list[ExportNote] = []
    for start, end, ann in placed:
        number = len(notes) + 1
        highlights.append(Highlight(start, end, CSS_COLOURS.get(ann.colour, CSS_COLOURS["yellow"]), number))
        notes.append(ExportNote(number, article.plain_text[start:end], ann.note, _meta(ann)))
    unplaced = [ExportNote(0, ann.exact, ann.note, _meta(ann)) for ann in lost]
    return render_document(article, highlights, notes, unplaced=unplaced)


def article_markdown(library: Library, article_id: str) -> str:
    """The article as Markdown, then its highlights (block quotes) with their notes."""
    article = _article(library, article_id)
    placed, lost = placed_annotations(library, article)
    out = [article.to_markdown().rstrip("\n"), ""]
    if placed or lost:
        out += ["## Highlights and notes", ""]
    for _start, _end, ann in placed:
        out += annotation_markdown(ann)
    if lost:
        out += ["### Could not be placed", ""]
        for ann in lost:
            out += annotation_markdown(ann)
    return "\n".join(out).rstrip("\n") + "\n"

