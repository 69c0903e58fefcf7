"""Getting notes out (Markdown, W3C Web Annotation JSON) and back in.

* :func:`annotations_to_markdown` — a readable notes file: per article its
  title, source, link and date, then each highlight as a block quote with its note,
  colour and tags; notes that could not be placed come last, never dropped.
* :func:`annotations_to_w3c` — a W3C Web Annotation Data Model document
  (https://www.w3.org/TR/annotation-model/): one ``AnnotationCollection``
  with its single ``AnnotationPage`` embedded.  Each annotation targets the
  article (its URL, else ``urn:reader:article:<id>``) through a
  ``TextPositionSelector`` (offsets into the article's plain text, in code
  points as the model says) and a ``TextQuoteSelector``.  The highlight colour
  is carried both the standard way (``stylesheet`` + ``styleClass``) and as
  the extension property ``reader:colour``; the target carries
  ``reader:articleId`` / ``reader:articleTitle`` so an import finds the article,
  and the article's ``reader:articleSource`` (publisher), ``reader:articleUrl``
  and ``reader:articlePublished`` / ``reader:articleUpdated`` (ISO dates).
* :func:`import_w3c` — the way back: annotations with known ids are updated
  (never duplicated), each is re-anchored on the article's current text, one
  whose article is unknown is kept as an orphan, and a malformed item is
  reported by its number and id while the rest goes on.

Output is deterministic: the same library gives byte-identical files.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from reader.core.article import Article, article_id, format_date
from reader.fsutil import atomic_write
from reader.store import entity_export, models
from reader.store.library import COLOURS, Annotation, Library

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
READER_NS = "urn:reader:ns:"  # JSON-LD prefix of our extension properties ("reader:colour")
CONTEXT: list[Any] = [ANNO_CONTEXT, {"reader": READER_NS}]
ARTICLE_URN = "urn:reader:article:"
ANNOTATION_URN = "urn:reader:annotation:"
CSS_COLOURS: dict[str, str] = {
    "yellow": "#fff3a0",
    "green": "#c8f0c0",
    "blue": "#c4dcff",
    "pink": "#ffc9de",
    "purple": "#e2cdf7",
}
_HEX32 = re.compile(r"[0-9a-f]{32}")


# ---- gathering ----------------------------------------------------------
@dataclass(frozen=True)
class _ArticleNotes:
    """One article's annotations (the article may be gone: ``article is None``)."""

    article_id: str
    title: str
    article: Article | None
    placed: tuple[Annotation, ...]
    orphans: tuple[Annotation, ...]


def _gather(library: Library, article_ids: Iterable[str] | None) -> list[_ArticleNotes]:
    """Articles with notes, ordered by title (case-insensitive) then id;
    explicitly requested articles are listed even without notes."""
    by_article: dict[str, list[Annotation]] = {}
    for ann in library.annotations():
        by_article.setdefault(ann.article_id, []).append(ann)
    wanted = list(dict.fromkeys(article_ids)) if article_ids is not None else list(by_article)
    groups: list[_ArticleNotes] = []
    for aid in wanted:
        anns = sorted(by_article.get(aid, []), key=lambda a: (a.start, a.end, a.id))
        article = library.article(aid)
        if article is None and not anns:
            continue
        title = article.title if article is not None else next((a.article_title for a in anns if a.article_title), "")
        groups.append(
            _ArticleNotes(
                article_id=aid,
                title=title,
                article=article,
                placed=tuple(a for a in anns if not a.orphan),
                orphans=tuple(a for a in anns if a.orphan),
            )
        )
    groups.sort(key=lambda g: (g.title.casefold(), g.article_id))
    return groups


# ---- Markdown -------------------------------------------------------------
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>])")
_MD_LINE_START = re.compile(r"^(\s*)([#+\-=>|]|\d+[.)])", re.MULTILINE)


def _md_escape(text: str) -> str:
    """Article text as literal Markdown: no emphasis, links, HTML or headings from it."""
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), _MD_SPECIAL.sub(r"\\\1", text))


def _md_quote(text: str) -> str:
    """A block quote; each line of the plain text is a paragraph, so is kept apart."""
    return "\n>\n".join(f"> {line}".rstrip() for line in _md_escape(text).split("\n"))


def _md_meta(ann: Annotation) -> str:
    parts = [f"Colour: {ann.colour} ({COLOURS.get(ann.colour, 'no meaning set')})"]
    if ann.tags:
        parts.append("Tags: " + ", ".join(_md_escape(t) for t in ann.tags))
    return " · ".join(parts)


def _md_annotation(ann: Annotation) -> list[str]:
    lines = [_md_quote(ann.exact), ""]
    if ann.note.strip():
        lines += [ann.note.strip(), ""]  # the user's own Markdown, kept as written
    lines += [_md_meta(ann), ""]
    return lines


def annotation_markdown(ann: Annotation) -> list[str]:
    """The Markdown lines of one highlight: the quote, its note, colour and tags."""
    return _md_annotation(ann)


def _md_dateline(group: _ArticleNotes) -> str:
    art = group.article
    if art is None:
        return "*This article is no longer in the library.*"
    parts = []
    if art.source:
        parts.append(f"Source: {_md_escape(art.source)}")
    link = art.url or art.short_url
    if link:
        parts.append(f"<{link}>")
    if art.published:
        parts.append(format_date(art.published))
    if art.updated:
        parts.append("updated " + format_date(art.updated))
    return " · ".join(parts)


def annotations_to_markdown(library: Library, article_ids: Iterable[str] | None = None) -> str:
    """The notes of ``article_ids`` (all annotated articles when ``None``) as Markdown."""
    out = ["# Reader notes", ""]
    for group in _gather(library, article_ids):
        out += [f"## {_md_escape(group.title) or '(untitled)'}", ""]
        dateline = _md_dateline(group)
        if dateline:
            out += [dateline, ""]
        for ann in group.placed:
            out += _md_annotation(ann)
        if group.orphans:
            out += ["### Could not be placed", ""]
            for ann in group.orphans:
                out += _md_annotation(ann)
        if not group.placed and not group.orphans:
            out += ["*No notes.*", ""]
    out += entity_export.corrections_to_markdown(library, article_ids)
    return "\n".join(out).rstrip("\n") + "\n"


# ---- W3C Web Annotation -------------------------------------------------
def _iri_for_annotation(ann_id: str) -> str:
    if _HEX32.fullmatch(ann_id):
        return f"urn:uuid:{uuid.UUID(hex=ann_id)}"
    return ANNOTATION_URN + ann_id


def _id_from_iri(iri: str) -> str:
    """Our annotation id for an annotation IRI (the inverse of :func:`_iri_for_annotation`)."""
    if iri.startswith("urn:uuid:"):
        try:
            return uuid.UUID(iri[len("urn:uuid:") :]).hex
        except ValueError:
            pass
    if iri.startswith(ANNOTATION_URN) and len(iri) > len(ANNOTATION_URN):
        return iri[len(ANNOTATION_URN) :]
    # someone else's IRI: a stable id, so importing the same file twice updates
    return hashlib.sha1(iri.encode("utf-8")).hexdigest()[:32]


def _article_properties(art: Article | None) -> dict[str, Any]:
    """The article's source (publisher), URL and dates, as our target extension properties."""
    if art is None:
        return {}
    props: dict[str, Any] = {}
    if art.source:
        props["reader:articleSource"] = art.source
    if art.url or art.short_url:
        props["reader:articleUrl"] = art.url or art.short_url
    if art.published:
        props["reader:articlePublished"] = art.published.isoformat()
    if art.updated:
        props["reader:articleUpdated"] = art.updated.isoformat()
    return props


def _annotation_to_w3c(ann: Annotation, source: str, article_props: dict[str, Any] | None = None) -> dict[str, Any]:
    body: list[dict[str, Any]] = []
    if ann.note:
        body.append({"type": "TextualBody", "value": ann.note, "format": "text/plain", "purpose": "commenting"})
    body += [{"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in ann.tags]
    quote: dict[str, Any] = {"type": "TextQuoteSelector", "exact": ann.exact}
    if ann.prefix:
        quote["prefix"] = ann.prefix
    if ann.suffix:
        quote["suffix"] = ann.suffix
    style = f"reader-{ann.colour}"
    item: dict[str, Any] = {
        "id": _iri_for_annotation(ann.id),
        "type": "Annotation",
        "motivation": "commenting" if ann.note else "highlighting",
        "created": ann.created,
        "modified": ann.updated,
    }
    if body:
        item["body"] = body
    item["target"] = {
        "type": "SpecificResource",
        "source": source,
        "styleClass": style,
        "selector": [{"type": "TextPositionSelector", "start": ann.start, "end": ann.end}, quote],
        "reader:articleId": ann.article_id,
        "reader:articleTitle": ann.article_title,
        **(article_props or {}),
    }
    item["stylesheet"] = {
        "type": "CssStylesheet",
        "value": f".{style} {{ background-color: {CSS_COLOURS.get(ann.colour, '#fff3a0')}; }}",
    }
    item["reader:colour"] = ann.colour
    if ann.orphan:
        item["reader:orphan"] = True
    return item


def annotations_to_w3c(library: Library, article_ids: Iterable[str] | None = None) -> dict[str, Any]:
    """The notes as one W3C ``AnnotationCollection`` (JSON-serialisable dict)."""
    items: list[dict[str, Any]] = []
    for group in _gather(library, article_ids):
        art = group.article
        source = (art.url or art.short_url) if art is not None else None
        source = source or ARTICLE_URN + group.article_id
        props = _article_properties(art)
        # each annotation with the title it belongs under now
        for ann in (*group.placed, *group.orphans):
            if group.title and ann.article_title != group.title:
                ann = replace(ann, article_title=group.title)
            items.append(_annotation_to_w3c(ann, source, props))
    seed = "urn:reader:notes:" + "\n".join(item["id"] for item in items)
    doc: dict[str, Any] = {
        "@context": CONTEXT,
        "id": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, seed)}",
        "type": "AnnotationCollection",
        "label": "Reader notes",
        "total": len(items),
    }
    if items:
        doc["first"] = {
            "id": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, seed + ':page:0')}",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        }
    corrections = entity_export.corrections_to_json(library, article_ids)
    if corrections:
        doc[entity_export.KEY] = corrections
    return doc


# ---- import ---------------------------------------------------------------
@dataclass
class ImportNotesReport:
    """What :func:`import_w3c` did; ``skipped`` holds one message per item not imported."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    orphaned: list[str] = field(default_factory=list)  # stored, but could not be placed in their article
    failed: list[str] = field(default_factory=list)  # the messages in ``skipped`` that are errors, not choices
    #: set when the data is not a notes export at all: what it should be, and what it is
    not_annotations: str = ""
    corrections_added: int = 0  # entity corrections (reader.store.entity_export)
    corrections_unchanged: int = 0

    def summary(self) -> str:
        parts = [f"{len(self.added)} added", f"{len(self.updated)} updated", f"{len(self.unchanged)} unchanged"]
        if self.skipped:
            parts.append(f"{len(self.skipped)} skipped")
        if self.orphaned:
            parts.append(f"{len(self.orphaned)} could not be placed")
        text = "notes: " + ", ".join(parts)
        if self.corrections_added or self.corrections_unchanged:
            text += (f"; entity corrections: {self.corrections_added} added,"
                     f" {self.corrections_unchanged} already there")
        return "\n".join([text, *("  " + message for message in self.skipped)])


class _Malformed(ValueError):
    """An item that cannot be imported (the message says why)."""


EXPECTED_NOTES = ("a W3C Web Annotation export is expected: a JSON list of items of type \"Annotation\", "
                  "or an \"AnnotationCollection\" / \"AnnotationPage\" holding them "
                  "(as `reader annotations --format json` writes)")


def _describe(data: Any) -> str:
    """What a JSON value is, for a message ("an object with keys 'foo', 'bar'")."""
    if isinstance(data, dict):
        if not data:
            return "an empty object"
        keys = ", ".join(repr(k) for k in list(data)[:5]) + (", ..." if len(data) > 5 else "")
        kind = data.get("type", data.get("@type"))
        return f"an object of type {kind!r}" if kind is not None else f"an object with keys {keys}"
    if isinstance(data, list):
        return f"a list of {len(data)} items, none of them an Annotation"
    return {str: "a string", bool: "true/false", type(None): "null"}.get(type(data), f"a number ({data!r})")


def _not_annotations(data: Any) -> str:
    """Why ``data`` as a whole is not a notes export ("" when it may be one)."""
    if isinstance(data, dict) and _types(data) & {"Annotation", "AnnotationCollection", "AnnotationPage"}:
        return ""
    if isinstance(data, list):
        if not data or any(isinstance(e, dict) and _types(e) & {"Annotation", "AnnotationCollection",
                                                                 "AnnotationPage"} for e in data):
            return ""
    return f"not a notes file: {EXPECTED_NOTES}; this is {_describe(data)}"


def _items(data: Any) -> Iterator[Any]:
    """The annotations in a collection, a page, a list, or a lone annotation."""
    if isinstance(data, list):
        for entry in data:
            if isinstance(entry, dict) and _types(entry) & {"AnnotationCollection", "AnnotationPage"}:
                yield from _items(entry)
            else:
                yield entry
        return
    if not isinstance(data, dict):
        raise _Malformed(f"expected a JSON object or list, got {type(data).__name__}")
    types = _types(data)
    if "AnnotationCollection" in types:
        page = data.get("first")
        if page is None:
            return
        if not isinstance(page, dict):
            raise _Malformed(f"the collection's first page is a link ({page!r}), not embedded; nothing to import")
        yield from _items(page)
    elif "AnnotationPage" in types:
        items = data.get("items", [])
        yield from items if isinstance(items, list) else [items]
        following = data.get("next")
        if isinstance(following, dict):
            yield from _items(following)
    else:
        yield data


def _types(obj: dict[str, Any]) -> set[str]:
    value = obj.get("type", obj.get("@type"))
    values = value if isinstance(value, list) else [value]
    return {v.rsplit("#", 1)[-1].removeprefix("oa:") for v in values if isinstance(v, str)}


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(obj: dict[str, Any], key: str) -> str:
    value = obj.get(key, "")
    if not isinstance(value, str):
        raise _Malformed(f"{key!r} should be a string")
    return value


def _int(obj: dict[str, Any], key: str) -> int:
    value = obj.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _Malformed(f"{obj.get('type', 'selector')} {key!r} should be a non-negative integer")
    return value


def _parse_target(item: dict[str, Any]) -> dict[str, Any]:
    targets = [t for t in _as_list(item.get("target")) if isinstance(t, dict) and t.get("selector") is not None]
    if not targets:
        raise _Malformed("no target with a text selector")
    return targets[0]


def _find_article(library: Library, target: dict[str, Any]) -> tuple[str, bool]:
    """(article id, whether it is in the library) for a target."""
    aid = target.get("reader:articleId")
    if isinstance(aid, str) and aid and library.plain_text(aid) is not None:
        return aid, True
    source = target.get("source")
    if isinstance(source, dict):
        source = source.get("id")
    if isinstance(source, str) and source:
        if source.startswith(ARTICLE_URN):
            sid = source[len(ARTICLE_URN) :]
            return sid, library.plain_text(sid) is not None
        row = library.conn.execute(
            "SELECT id FROM articles WHERE url = ? ORDER BY id LIMIT 1", (source,)
        ).fetchone()
        if row is not None:
            return row[0], True
        if isinstance(aid, str) and aid:
            return aid, False
        # the id the article will get when it is imported from that URL
        return article_id(source), False
    if isinstance(aid, str) and aid:
        return aid, False
    raise _Malformed("the target names no article (no source, no reader:articleId)")


def _parse_item(library: Library, item: Any) -> Annotation:
    if not isinstance(item, dict):
        raise _Malformed(f"expected an annotation object, got {type(item).__name__}")
    if "Annotation" not in _types(item):
        raise _Malformed(f"type is {item.get('type')!r}, not 'Annotation'")
    iri = item.get("id")
    if iri is not None and not isinstance(iri, str):
        raise _Malformed("'id' should be a string")
    target = _parse_target(item)
    selectors = [s for s in _as_list(target.get("selector")) if isinstance(s, dict)]
    quote = next((s for s in selectors if "TextQuoteSelector" in _types(s)), None)
    position = next((s for s in selectors if "TextPositionSelector" in _types(s)), None)
    if quote is None and position is None:
        raise _Malformed("no TextQuoteSelector or TextPositionSelector")
    aid, known = _find_article(library, target)
    start = end = 0
    if position is not None:
        start, end = _int(position, "start"), _int(position, "end")
        if end <= start:
            raise _Malformed(f"TextPositionSelector {start}..{end} is empty")
    if quote is not None:
        exact, prefix, suffix = _text(quote, "exact"), _text(quote, "prefix"), _text(quote, "suffix")
        if not exact:
            raise _Malformed("TextQuoteSelector 'exact' is empty")
        if position is None:
            start, end = 0, len(exact)
    else:
        text = library.plain_text(aid) if known else None
        if text is None or end > len(text):
            raise _Malformed("only a TextPositionSelector and the article is not in the library: nothing to keep")
        exact, prefix, suffix = text[start:end], "", ""
    note_parts: list[str] = []
    tags: list[str] = []
    if isinstance(item.get("bodyValue"), str):
        note_parts.append(item["bodyValue"])
    for body in _as_list(item.get("body")):
        if not isinstance(body, dict) or not isinstance(body.get("value"), str):
            continue
        purposes = set(_as_list(body.get("purpose")))
        if "tagging" in purposes:
            tags.append(body["value"])
        elif not purposes or purposes & {"commenting", "describing", "replying"}:
            note_parts.append(body["value"])
    colour = item.get("reader:colour")
    if colour not in COLOURS:
        style = target.get("styleClass")
        colour = style.removeprefix("reader-") if isinstance(style, str) else None
        colour = colour if colour in COLOURS else "yellow"
    stamp = models.now_iso()
    created = item.get("created") if isinstance(item.get("created"), str) else None
    modified = item.get("modified") if isinstance(item.get("modified"), str) else None
    title = target.get("reader:articleTitle")
    if iri:
        ann_id = _id_from_iri(iri)
    else:  # no id (against the model): derive one from the content so a re-import updates
        ann_id = hashlib.sha1(json.dumps(item, sort_keys=True).encode("utf-8")).hexdigest()[:32]
    return Annotation(
        id=ann_id,
        article_id=aid,
        start=start,
        end=end,
        exact=exact,
        prefix=prefix,
        suffix=suffix,
        colour=str(colour),
        note="\n\n".join(note_parts),
        tags=tuple(dict.fromkeys(t.strip() for t in tags if t.strip())),
        created=created or modified or stamp,
        updated=modified or created or stamp,
        orphan=not known,
        article_title=title if isinstance(title, str) else "",
    )


def _when(stamp: str) -> datetime | None:
    try:
        value = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo is not None else None


def _same(a: Annotation, b: Annotation) -> bool:
    keys = ("article_id", "exact", "note", "colour", "tags", "created", "updated")
    return all(getattr(a, k) == getattr(b, k) for k in keys)


def import_w3c(library: Library, data: Any) -> ImportNotesReport:
    """Import W3C Web Annotations (as :func:`annotations_to_w3c` writes them, or
    from another tool) into ``library``; all good items are stored in one transaction.

    An annotation whose id is already stored replaces it, unless the stored copy
    was modified later (then it is skipped and reported).
    """
    report = ImportNotesReport()
    report.not_annotations = _not_annotations(data)
    if report.not_annotations:
        report.skipped.append(f"nothing imported: {report.not_annotations}")
        report.failed.append(report.skipped[-1])
        return report
    try:
        raw_items = list(_items(data))
    except _Malformed as exc:
        report.skipped.append(f"nothing imported: {exc}")
        report.failed.append(report.skipped[-1])
        return report
    to_store: list[Annotation] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(raw_items, start=1):
        name = f"item {number}"
        if isinstance(raw, dict) and isinstance(raw.get("id"), str):
            name += f" ({raw['id']})"
        try:
            ann = _parse_item(library, raw)
        except _Malformed as exc:
            report.skipped.append(f"{name}: {exc}")
            report.failed.append(report.skipped[-1])
            continue
        if ann.id in seen:
            report.skipped.append(f"{name}: the same id as item {seen[ann.id]}; the first one was kept")
            report.failed.append(report.skipped[-1])
            continue
        seen[ann.id] = number
        existing = library.annotation(ann.id)
        if existing is not None:
            if _same(existing, ann):
                report.unchanged.append(ann.id)
                continue
            mine, theirs = _when(existing.updated), _when(ann.updated)
            if mine is not None and theirs is not None and mine > theirs:
                report.skipped.append(f"{name}: the copy in the library was changed later ({existing.updated})")
                continue
            report.updated.append(ann.id)
        else:
            report.added.append(ann.id)
        to_store.append(ann)
    for stored in library.restore_annotations(to_store):
        if stored.orphan:
            report.orphaned.append(stored.id)
    added, same, skipped = entity_export.import_corrections(library, data)
    report.corrections_added, report.corrections_unchanged = added, same
    report.skipped.extend(skipped)
    return report


# ---- files ----------------------------------------------------------------
NOTE_FORMATS = ("markdown", "json")


def notes_text(library: Library, fmt: str, article_ids: Iterable[str] | None = None) -> str:
    """The notes as the text of a ``markdown`` or ``json`` (W3C) notes file."""
    if fmt == "markdown":
        return annotations_to_markdown(library, article_ids)
    if fmt == "json":
        return json.dumps(annotations_to_w3c(library, article_ids), ensure_ascii=False, indent=2) + "\n"
    raise ValueError(f"unknown notes format {fmt!r}; choose one of {', '.join(NOTE_FORMATS)}")


def write_notes(library: Library, path: Path | str, fmt: str, article_ids: Iterable[str] | None = None) -> int:
    """Write a notes file atomically (temp file beside it, then ``os.replace``):
    a failed write leaves any earlier file intact.  Returns the number of
    annotations written; raises ``OSError`` when the file cannot be written."""
    ids = list(article_ids) if article_ids is not None else None
    text = notes_text(library, fmt, ids)
    path = Path(path)
    count = sum(len(g.placed) + len(g.orphans) for g in _gather(library, ids))
    atomic_write(path, text)
    return count
