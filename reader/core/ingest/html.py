"""Saved web pages (``.html``, ``.htm``, ``.xhtml``) -> Article, with **trafilatura**.

The page's own HTML is never rendered.  trafilatura finds the article in the
page (dropping navigation, footers, cookie banners, related links...) and
returns it as XML (``head``, ``p``, ``list``/``item``, ``quote``, ``table``,
``hi``, ``ref``...); :func:`xml_blocks` turns that into Reader's typed blocks:
headings, paragraphs, list items (nested lists flattened), quotes, tables (one
paragraph per row, cells joined by ``" | "``) and image captions with their
credits.  Link targets are kept as the blocks' link marks (``block.links``).

Figures are taken out before trafilatura sees the page (it has no notion of a
caption's credit): each ``<figure>`` with a caption becomes a placeholder
paragraph, which survives exactly when the figure sat in the article, and is
turned back into a CAPTION block with its credit.

Metadata (title, authors, dates, site name, canonical URL, language, tags) comes
from :mod:`.html_meta`.  The canonical URL is the article's identity: the same
story saved twice, or saved and then fetched by link, is one article.

Other code (the feed and link fetcher) calls :func:`parse_html` with the page
and its URL.
"""

from __future__ import annotations

import codecs
import json
import logging
import os
import re
import secrets
from copy import deepcopy
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml.html import HtmlElement

from reader.core.article import Article, Block, BlockKind, Mark, clean_text
from reader.core.ingest.common import build_article
from reader.core.ingest.decode import decode_bytes, normalise_text
from reader.core.ingest.errors import IngestError
from reader.core.ingest.html_meta import PageMeta, canonical_url, page_meta
from reader.core.ingest.html_text import page_text

__all__ = ["HTML_SUFFIXES", "canonical_url", "decode_html", "looks_like_html", "parse_html", "xml_blocks"]

log = logging.getLogger(__name__)

#: File name suffixes of saved web pages.
HTML_SUFFIXES: frozenset[str] = frozenset({".html", ".htm", ".xhtml"})

_HTML_START = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>])", re.I | re.S)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)["']""")
_CREDIT_MARK = re.compile(r"credit|copyright|source|attribution|photographer|byline|author|rights", re.I)
_CREDIT_PREFIX = re.compile(r"^\s*(?:(?:Image|Images|Photo|Photos|Picture|Foto|Bild|Credit|Credits|Source|"
                            r"Copyright)\s*:\s*|©\s*)", re.I)
_GLUED_CREDIT = re.compile(r"^(?P<caption>.*?\S)\s*(?:Image|Photo|Picture|Foto|Bild|Credit)s?:\s*(?P<credit>\S.*)$")
_SIGNATURE = re.compile(r"^[a-z]{1,4}(?:/[a-z]{1,4})+ \([A-Za-z][^()]{1,60}\)$")
_TITLE_SEPARATORS = re.compile(r"\s+[|–—-]\s+|\s+::\s+")
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->|Page saved with SingleFile\s+url:\s*(\S+)", re.I)
_SKIP_LINK = re.compile(r"^(?:javascript|data|vbscript|about|file):", re.I)


# ---- bytes -> text -----------------------------------------------------------------------
def decode_html(data: bytes, path: str | os.PathLike[str]) -> str:
    """Decode a saved page: a byte-order mark, else the page's declared charset
    (``<meta charset>``, ``http-equiv``, the XML declaration), else the generic
    guess of :func:`~reader.core.ingest.decode.decode_bytes`."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or not data:
        return decode_bytes(data, path)
    head = data[:4096]
    declared = _XML_ENCODING.search(head) or _CHARSET.search(head)
    if declared:
        name = declared.group(1).decode("ascii", "replace").lower()
        try:
            codec = codecs.lookup(name).name
        except LookupError:
            codec = None
        if codec is not None and not codec.startswith(("utf-16", "utf-32")):
            if codec in ("latin-1", "iso8859-1", "ascii"):
                codec = "cp1252"  # what browsers do with these labels (WHATWG encoding standard)
            try:
                return normalise_text(data.decode(codec))
            except UnicodeDecodeError:
                log.info("%s: declared charset %s does not fit; guessing", path, name)
    return decode_bytes(data, path)


def looks_like_html(text: str) -> bool:
    """Whether ``text`` starts like an HTML document (doctype, ``<html>`` or ``<head>``)."""
    return bool(_HTML_START.match(text[:4096].lstrip("\ufeff")))


# ---- figures ---------------------------------------------------------------------------
def _split_credit(caption: str, credit: str) -> tuple[str, str]:
    credit = clean_text(_CREDIT_PREFIX.sub("", credit))
    caption = clean_text(caption)
    if not credit:
        glued = _GLUED_CREDIT.match(caption)
        if glued:
            caption, credit = clean_text(glued.group("caption")), clean_text(glued.group("credit"))
    return caption, credit


def _figure_caption(figure: HtmlElement) -> tuple[str, str]:
    """(caption, credit) of a ``<figure>``; empty strings when it has none."""
    found = figure.find(".//figcaption")
    if found is None:
        found = next((e for e in figure.iter() if "caption" in (e.get("class") or "").lower()), None)
    if found is None:
        return "", ""
    caption = deepcopy(found)
    caption.tail = None
    credits: list[str] = []
    for elem in list(caption.iter()):
        if elem is caption or not isinstance(elem.tag, str):
            continue
        marks = " ".join(filter(None, (elem.get("class"), elem.get("itemprop"), elem.get("id"))))
        if elem.tag in ("small", "cite") or _CREDIT_MARK.search(marks):
            credits.append(elem.text_content())
            parent = elem.getparent()
            if parent is not None:
                keep = elem.tail
                parent.remove(elem)
                if keep:  # the text after the credit stays in the caption
                    prev = parent[-1] if len(parent) else None
                    if prev is not None:
                        prev.tail = (prev.tail or "") + keep
                    else:
                        parent.text = (parent.text or "") + keep
    return _split_credit(caption.text_content(), " ".join(credits))


def mark_figures(tree: HtmlElement) -> dict[str, tuple[str, str]]:
    """Replace each captioned ``<figure>`` by a placeholder paragraph; returns placeholder -> (caption, credit).

    Figures without a caption are removed (images are not shown); figures holding
    a table are left to trafilatura, which keeps the table.
    """
    token = secrets.token_hex(4)
    figures: dict[str, tuple[str, str]] = {}
    for k, figure in enumerate(list(tree.iter("figure"))):
        if figure.find(".//table") is not None or figure.getparent() is None:
            continue
        caption, credit = _figure_caption(figure)
        parent = figure.getparent()
        if parent is None:
            continue
        if caption:
            key = f"readerfigure{token}x{k}"
            figures[key] = (caption, credit)
            para = etree.Element("p")
            para.text = key
            para.tail = figure.tail
            parent.replace(figure, para)
        else:
            tail = figure.tail
            previous = figure.getprevious()
            parent.remove(figure)
            if tail:
                if previous is not None:
                    previous.tail = (previous.tail or "") + tail
                else:
                    parent.text = (parent.text or "") + tail
    return figures


# ---- trafilatura XML -> blocks ---------------------------------------------------------------
class _Text:
    """Inline text with link spans, collected from an element; whitespace is
    collapsed as :func:`clean_text` does, and link offsets index the result."""

    def __init__(self, base: str | None) -> None:
        self.base = base
        self.buf: list[str] = []
        self.length = 0
        self.space = False  # whitespace seen since the last word
        self.waiting: list[int] = []  # links whose start is the next word
        self.starts: dict[int, int] = {}
        self.links: list[Mark] = []

    def add(self, text: str | None) -> None:
        if not text:
            return
        for m in re.finditer(r"\S+|\s+", text):
            token = m.group()
            if token.isspace():
                self.space = self.length > 0
                continue
            if self.space:
                self.buf.append(" ")
                self.length += 1
                self.space = False
            for key in self.waiting:
                self.starts[key] = self.length
            self.waiting.clear()
            self.buf.append(token)
            self.length += len(token)

    def collect(self, elem: Any, skip: frozenset[str] = frozenset()) -> None:
        self.add(elem.text)
        for child in elem:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in skip or tag in ("lb", "graphic"):
                self.add(" ")
            elif tag == "ref":
                key = id(child)
                self.waiting.append(key)
                self.collect(child, skip)
                if key in self.waiting:  # no text inside the link
                    self.waiting.remove(key)
                target = _link_target(child.get("target"), self.base)
                start = self.starts.pop(key, None)
                if target and start is not None and self.length > start:
                    self.links.append(Mark(start, self.length, Mark.LINK, target))
            elif tag == "cell":
                self.add(" ")
                self.collect(child, skip)
                self.add(" ")
            elif tag:
                self.collect(child, skip)
            self.add(child.tail)

    def result(self) -> tuple[str, tuple[Mark, ...]]:
        return "".join(self.buf), tuple(self.links)


def _link_target(target: str | None, base: str | None) -> str | None:
    """An absolute link target, or ``None`` for scripts, data and links within the page itself."""
    if not target or _SKIP_LINK.match(target.strip()) or target.strip().startswith("#"):
        return None
    target = target.strip()
    if target.lower().startswith("mailto:"):
        return target
    if not (base or re.match(r"^https?://", target, re.I)):
        return None
    absolute = canonical_url(target, base)
    if absolute is None or (base and absolute == canonical_url(base)):
        return None
    return absolute


def _saved_from(html: str) -> str | None:
    """The address a browser noted when saving the page (``<!-- saved from url=(0041)https://... -->``,
    SingleFile's ``url:`` comment)."""
    m = _SAVED_FROM.search(html[:8192])
    return (m.group(1) or m.group(2)) if m else None


def _inline(elem: Any, base: str | None, skip: frozenset[str] = frozenset()) -> tuple[str, tuple[Mark, ...]]:
    collected = _Text(base)
    collected.collect(elem, skip)
    return collected.result()


_NESTED = frozenset({"list", "quote", "table", "p", "head"})


def xml_blocks(body: Any, *, base: str | None = None, figures: dict[str, tuple[str, str]] | None = None) -> list[Block]:
    """Reader blocks from trafilatura's XML ``body`` (``<main>``/``<body>`` element)."""
    figures = figures or {}
    out: list[Block] = []

    def para(kind: BlockKind, elem: Any, level: int = 2, skip: frozenset[str] = frozenset()) -> None:
        text, links = _inline(elem, base, skip)
        emit(kind, text, links, level)

    def emit(kind: BlockKind, text: str, links: tuple[Mark, ...] = (), level: int = 2) -> None:
        if not text:
            return
        if figures and "readerfigure" in text:
            rest = []
            for word in text.split(" "):
                if word in figures:
                    caption, credit = figures[word]
                    out.append(Block(BlockKind.CAPTION, caption, credit=credit or None))
                else:
                    rest.append(word)
            if len(rest) != len(text.split(" ")):
                emit(kind, " ".join(rest), (), level)  # (link offsets no longer fit: dropped)
                return
        out.append(Block(kind, text, level=level, marks=links))

    def loose(text: str | None) -> None:
        if text and text.strip():
            emit(BlockKind.PARAGRAPH, clean_text(text))

    def walk(elem: Any, quote: bool = False) -> None:
        tag = elem.tag if isinstance(elem.tag, str) else ""
        if tag == "head":
            rend = elem.get("rend") or ""
            level = int(rend[1]) if re.fullmatch(r"h[1-6]", rend) else 3
            para(BlockKind.QUOTE if quote else BlockKind.HEADING, elem, max(2, level))
        elif tag in ("p", "code", "item_text"):
            para(BlockKind.QUOTE if quote else BlockKind.PARAGRAPH, elem)
        elif tag == "list":
            loose(elem.text)
            for item in elem:
                if isinstance(item.tag, str) and item.tag == "item":
                    para(BlockKind.QUOTE if quote else BlockKind.LIST_ITEM, item, skip=_NESTED)
                    for nested in item:
                        if isinstance(nested.tag, str) and nested.tag in _NESTED:
                            walk(nested, quote)
                elif isinstance(item.tag, str):
                    walk(item, quote)
                loose(item.tail)
        elif tag == "quote":
            if any(isinstance(c.tag, str) and c.tag in _NESTED for c in elem):
                loose(elem.text)
                for child in elem:
                    walk(child, True)
                    loose(child.tail)
            else:
                para(BlockKind.QUOTE, elem)
        elif tag == "table":
            for row in elem.iter("row"):
                cells = [_inline(c, base)[0] for c in row if isinstance(c.tag, str) and c.tag == "cell"]
                cells = [c for c in cells if c]
                if cells:
                    emit(BlockKind.QUOTE if quote else BlockKind.PARAGRAPH, " | ".join(cells))
        elif tag == "graphic" or not tag:
            pass
        elif tag in ("hi", "ref", "lb", "del"):  # inline markup at block level: a paragraph of its own
            para(BlockKind.QUOTE if quote else BlockKind.PARAGRAPH, elem)
        else:  # div, main, body, unknown containers
            loose(elem.text)
            for child in elem:
                walk(child, quote)
                loose(child.tail)

    walk(body)
    return out


# ---- the article -------------------------------------------------------------------------
def _title_from(meta: PageMeta, doc_title: str | None, blocks: list[Block], site: str | None) -> str | None:
    if meta.title:
        return meta.title
    first_h1 = next((b.text for b in blocks[:4] if b.kind is BlockKind.HEADING), None)
    raw = clean_text(doc_title or "")
    if first_h1 and first_h1.casefold() in raw.casefold():  # "Headline - Site", "Site | Headline"
        return first_h1
    if raw:
        parts = _TITLE_SEPARATORS.split(raw)
        if len(parts) > 1:  # the site's name before or after the headline
            site_words = {w.casefold() for w in re.findall(r"\w+", site or "")}

            def is_site(part: str) -> bool:
                return bool({w.casefold() for w in re.findall(r"\w+", part)} & site_words)

            head, tail = parts[0], parts[-1]
            guess = meta.title_tag  # (og:title is the headline itself unless it names the site)
            if is_site(tail) or (guess and not is_site(head) and len(tail) < 25 and len(tail) <= len(head)):
                return clean_text(" - ".join(parts[:-1])) or raw
            if is_site(head) or (guess and len(head) < 25):
                return clean_text(" - ".join(parts[1:])) or raw
        return raw
    return first_h1


#: Short lines before the headline (kicker, breadcrumbs) are labels, not article text.
MAX_LABEL_CHARS = 100


def _drop_title(blocks: list[Block], title: str) -> tuple[list[Block], list[str]]:
    """``blocks`` without the headline repeated at the top (and the labels above it)."""
    wanted = _norm(title)
    for k, block in enumerate(blocks[:4]):
        if block.kind is BlockKind.HEADING and _norm(block.text) == wanted:
            before = blocks[:k]
            if all(len(b.text) <= MAX_LABEL_CHARS and b.kind is not BlockKind.CAPTION for b in before):
                return blocks[k + 1 :], [b.text for b in before]
            return blocks[:k] + blocks[k + 1 :], []
    return blocks, []


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text).casefold().strip()


def _lede(description: str | None, blocks: list[Block]) -> str | None:
    """The page's description as the lede, unless the body already says it."""
    if not description or len(description) > 600:
        return None
    wanted = _norm(description.rstrip(".…").removesuffix("..."))
    if not wanted:
        return None
    body = " ".join(_norm(b.text) for b in blocks[:40])
    return None if wanted in body else description


def _trafilatura(tree: HtmlElement, url: str | None, recall: bool = False) -> Any:
    import trafilatura

    options: dict[str, Any] = {
        "url": url,
        "include_formatting": True,
        "include_links": True,
        "include_tables": True,
        "include_comments": False,
        "include_images": False,
        "with_metadata": False,  # (html_meta reads the page's metadata, once)
        "deduplicate": False,
    }
    spare = deepcopy(tree)  # trafilatura prunes the tree it is given
    doc: Any = trafilatura.bare_extraction(tree, favor_recall=recall, **options)
    if doc is None or doc.body is None or not len(doc.body):
        # little text (a short note, an odd layout): ask again, favouring recall
        doc = trafilatura.bare_extraction(spare, favor_recall=True, **options)
    return doc


def _resolve_anchors(tree: HtmlElement, base: str | None) -> None:
    """Make the page's link targets absolute before trafilatura (which resolves
    them against the host only); links to scripts, data or the page itself lose
    their ``<a>`` (the text stays).  Cheap string work: most links are in menus
    trafilatura drops, and the kept ones are normalised later."""
    root = ""
    scheme = ""
    if base:
        parts = urlsplit(base)
        scheme, root = parts.scheme, f"{parts.scheme}://{parts.netloc}"
    for anchor in list(tree.iter("a")):
        href = (anchor.get("href") or "").strip()
        low = href[:11].lower()
        if not href or href.startswith("#") or _SKIP_LINK.match(low):
            if anchor.getparent() is not None:
                anchor.drop_tag()
            continue
        if low.startswith(("http://", "https://", "mailto:")):
            continue
        if not base:
            if anchor.getparent() is not None:
                anchor.drop_tag()  # relative, and nothing to resolve it against
        elif href.startswith("//"):
            anchor.set("href", f"{scheme}:{href}")
        elif href.startswith("/"):
            anchor.set("href", root + href)
        else:
            anchor.set("href", urljoin(base, href))


def _load_tree(text: str) -> HtmlElement | None:
    from trafilatura.utils import load_html

    tree = load_html(text)
    return tree if isinstance(tree, HtmlElement) else None


def parse_html(
    html: str | bytes,
    *,
    url: str | None = None,
    source_name: str | None = None,
    path: str | os.PathLike[str] | None = None,
    identity: str | None = None,
    recall: bool = False,
) -> Article:
    """Extract the article from a web page.

    ``url`` is where the page came from (resolves relative links; the identity
    when the page names no canonical URL), ``source_name`` the name shown as the
    article's source (a feed's title; default: the page's site name), ``path``
    the saved file (for messages and ``source_path``).  ``recall=True`` is for
    HTML that is already just the article (a read-later service's saved
    content): keep rather than prune.  Raises :class:`IngestError` only.
    """
    shown = os.fspath(path) if path is not None else (url or "<html>")
    if isinstance(html, bytes):
        html = decode_html(html, shown)
    html = normalise_text(html)
    if not html.strip():
        raise IngestError(shown, "file is empty")
    try:
        return _parse(html, url=url, source_name=source_name, path=path, identity=identity, shown=shown,
                      recall=recall)
    except IngestError:
        raise
    except RecursionError:
        raise IngestError(shown, "web page too deeply nested to read") from None
    except Exception as exc:  # trafilatura/lxml on a hostile page: one clear line, never a crash
        log.exception("extracting %s failed", shown)
        raise IngestError(shown, f"could not be read as a web page ({type(exc).__name__}: {exc})") from exc


#: A page without any title is still imported when it has this much text (a sentence).
MIN_UNTITLED_TEXT = 40
#: A page nested deeper than this may have been cut by libxml2 (its limit is 256 levels).
DEEP_NESTING = 200
_DEEP = f"boolean(//*[count(ancestor::*) > {DEEP_NESTING}])"


def _text_size(blocks: list[Block]) -> int:
    return sum(len(b.text) for b in blocks)


def _parse(
    html: str, *, url: str | None, source_name: str | None, path: str | os.PathLike[str] | None,
    identity: str | None, shown: str, recall: bool = False,
) -> Article:
    tree = _load_tree(html)
    meta = page_meta(tree, url or _saved_from(html)) if tree is not None else PageMeta(
        canonical_url=canonical_url(url or _saved_from(html)))
    base = meta.canonical_url or canonical_url(url)
    blocks: list[Block] = []
    deep = False
    if tree is not None:
        deep = bool(tree.xpath(_DEEP))
        figures = mark_figures(tree)
        _resolve_anchors(tree, base)
        doc = _trafilatura(tree, base, recall)
        if doc is not None and doc.body is not None:
            blocks = xml_blocks(doc.body, base=base, figures=figures)
    warning = None
    body = sum(len(b.text) for b in blocks if b.kind not in (BlockKind.HEADING, BlockKind.CAPTION))
    if tree is None or deep or body < 200:
        # lxml cut a deep page, or trafilatura found no article: keep all the text rather than lose it
        page_title, plain = page_text(html)
        found = _text_size(blocks)
        # a cut page: whenever the whole text says more; no article found: when it says much more
        if plain and (not blocks or (deep and _text_size(plain) > found * 1.1) or _text_size(plain) > 1.5 * found + 200):
            blocks = plain
            meta.page_title = meta.page_title or page_title
            why = "too deeply nested" if deep else "no article found in it"
            warning = f"read as plain text ({why}): all of the page's text was kept, menus and all"
    if not any(b.kind is not BlockKind.CAPTION for b in blocks):
        raise IngestError(shown, "no article text found in the web page")
    site = meta.site_name
    title = _title_from(meta, meta.page_title, blocks, site)
    if not title:
        if _text_size(blocks) < MIN_UNTITLED_TEXT:  # a menu or a stub ("Home"): nothing worth a title
            raise IngestError(shown, "no article text found in the web page")
        title, blocks = blocks[0].text, blocks[1:]  # as for plain text: the first line is the title
    blocks, labels = _drop_title(blocks, title)
    signature = None
    if blocks and blocks[-1].kind is BlockKind.PARAGRAPH and _SIGNATURE.match(blocks[-1].text):
        signature = blocks[-1].text
        blocks = blocks[:-1]
    authors = meta.authors
    lede = _lede(meta.description, blocks)
    extra = {k: v for k, v in (("language", meta.language), ("site_name", site), ("warnings", warning)) if v}
    source_path = os.fspath(path) if path is not None else None
    fingerprint = json.dumps(
        [title, meta.canonical_url, str(meta.published), str(meta.updated), authors, lede, signature,
         [b.to_json() for b in blocks]],
        ensure_ascii=False,
    )
    return build_article(
        text=fingerprint,
        fmt="html",
        title=title,
        path=source_path,
        identity=identity,
        url=meta.canonical_url,
        blocks=blocks,
        source=clean_text(source_name or "") or site or "",
        published=meta.published,
        updated=meta.updated,
        authors=tuple(authors),
        section=meta.section or (labels[0] if labels else None),
        lede=lede,
        signature=signature,
        tags=tuple(meta.tags),
        extra=extra,
    )
