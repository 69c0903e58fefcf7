"""Glued and indirect header text of real DW scrapes (see :mod:`reader.core.ingest.dw`).

Real scrapes lose the markup between elements, so several header fields arrive
glued together or only indirectly:

* new-layout video pages scraped onto one line:
  ``ClimateEuropeHeadlineTo view this video ... HTML5 videoClimateEuropeAuthor07/17/2024July 17, 2024Lede``
  (:func:`unglue_line` splits them back into header lines);
* the portrait alt text of opinion pieces (:func:`reader.core.ingest.dw_lines.opinion_photo_name`);
* old opinion pages that name their author only in the lede
  (``..., says DW's Volker Wagener.``; :func:`lede_author`).

Every function is pure and looks at one line.
"""

from __future__ import annotations

import re

from reader.core.ingest.common import month_date_pattern
from reader.core.ingest.dw_lines import CRAWL_DATE, DE_MONTHS, is_name, parse_authors

# ---- one-line video pages -------------------------------------------------------
_PLAYER = re.compile(
    r"\s*(?:To view this video please enable JavaScript, and consider upgrading to a web browser that supports"
    r" HTML5 video|This browser does not support the (?:video|audio) element\.?)\s*"
)
#: The new layout shows the date twice, numeric then long: ``07/17/2024July 17, 2024``,
#: on German pages ``18.12.201518. Dezember 2015``.
_NUM_LONG = re.compile(
    rf"(?P<num>\d{{2}}/\d{{2}}/\d{{4}})\s*(?P<long>{month_date_pattern()})"
    rf"|(?P<num_de>\d{{2}}\.\d{{2}}\.\d{{4}})\s*(?P<long_de>\d{{1,2}}\.\s?(?i:{'|'.join(DE_MONTHS)})\s\d{{4}})"
)
_LINK_TAIL = re.compile(r"\s*(?P<link>https?://p\.dw\.com/p/[A-Za-z0-9]+?)(?P<ad>Advertisement|Anzeige)?$")
_AD_TAIL = re.compile(r"(?<=[.!?\"”])\s*(?:Advertisement|Anzeige)$")
_JOIN = re.compile(r"(?<=[a-zà-ÿ])(?=[A-ZÀ-Þ])")


def unglue_line(line: str) -> list[str] | None:
    """Split a glued one-line video page into header lines, or ``None`` if ``line`` is not one.

    The trigger is the new layout's doubled date (``MM/DD/YYYY`` directly followed
    by ``Month D, YYYY``).  Returns, in order: the crawler prefix, the glued
    section/kicker labels, the headline, the author, the long date, the lede and
    the short link (each only when present).
    """
    m = _NUM_LONG.search(line)
    if not m:
        return None
    out: list[str] = []
    text = line.strip()
    crawl = CRAWL_DATE.match(text)
    if crawl and crawl.group("rest").strip():
        rest = crawl.group("rest").strip()
        out.append(text[: len(text) - len(rest)].strip())
        text = rest
    m = _NUM_LONG.search(text)
    if not m:  # the date was inside the crawler prefix only
        return None
    head, tail = text[: m.start()], text[m.end() :]
    segments = [s.strip() for s in _PLAYER.split(head) if s.strip()]
    out.extend(_header_segments(segments))
    out.append(m.group("long") or m.group("long_de"))
    tail_segments = [s.strip() for s in _PLAYER.split(tail) if s.strip()]
    for segment in tail_segments:
        link = _LINK_TAIL.search(segment)
        if link:
            body = segment[: link.start()].strip()
            if body:
                out.append(body)
            out.append(link.group("link"))
            continue
        out.append(_AD_TAIL.sub("", segment).strip())
    return [line for line in out if line]


def _header_segments(segments: list[str]) -> list[str]:
    """``[labels+headline, labels+author]`` or ``[labels+headline+author]`` -> separate lines."""
    if not segments:
        return []
    labels = ""
    if len(segments) >= 2:
        labels = _common_label_prefix(segments[0], segments[-1])
    if not labels:
        labels = _leading_labels(segments[0])
    cut = [s[len(labels) :].strip() if labels and s.startswith(labels) else s for s in segments]
    out = [labels] if labels else []
    if len(cut) >= 2:
        out.append(" ".join(cut[:-1]))
        if cut[-1] and parse_authors(cut[-1]):
            out.append(cut[-1])
        elif cut[-1]:
            out[-1] = out[-1] + " " + cut[-1]
        return out
    headline, author = _split_trailing_author(cut[0])
    out.append(headline)
    if author:
        out.append(author)
    return out


def _common_label_prefix(a: str, b: str) -> str:
    """The glued labels both segments start with, ending at a lower->Upper join."""
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    while n > 2:
        if a[n - 1].islower() and n < len(a) and a[n].isupper():
            prefix = a[:n]
            if " " not in prefix or len(prefix.split()) <= 6:
                return prefix
        n -= 1
    return ""


def _leading_labels(segment: str) -> str:
    """``PoliticsKenyaFresh protests`` -> ``PoliticsKenya`` (the first word's glued label parts)."""
    first = segment.split(" ", 1)[0]
    joins = [j.start() for j in _JOIN.finditer(first)]
    if not joins:
        return ""
    parts = [first[i:j] for i, j in zip([0, *joins], joins, strict=False)]
    if any(len(p) < 3 or not p.isalpha() for p in parts):
        return ""
    return first[: joins[-1]]


def _split_trailing_author(text: str) -> tuple[str, str | None]:
    """``... Kenyan capitalCraig Crowther`` -> (``... Kenyan capital``, ``Craig Crowther``)."""
    for join in reversed(list(_JOIN.finditer(text))):
        left, right = text[: join.start()].rstrip(), text[join.start() :].strip()
        if left and parse_authors(right):
            return left, right
    return text, None


# ---- authors named in an opinion lede ---------------------------------------------
_NAME = r"(?P<name>[A-ZÀ-Þ][\w'’-]+(?:\s+(?:von|van|de|der|al|el)\s+[A-ZÀ-Þ][\w'’-]+|\s+[A-ZÀ-Þ][\w'’-]+){1,2})"
_ROLE = r"(?:(?:editor-in-chief|chief editor|editor|columnist|(?:[A-Z][a-z]+ )?correspondent|[a-z]+ reporter)\s+)?"
_VERB = r"(?:writes|says|asks|argues|comments|thinks|believes|warns|notes)"
_LEDE_PATTERNS = (
    re.compile(rf"\bDW['’]s\s+{_ROLE}{_NAME}\s+{_VERB}\b"),
    re.compile(rf"\b{_VERB}\s+(?:DW['’]s\s+|DW\s+)?{_ROLE}{_NAME}\s*[.!]?\s*$"),
    re.compile(rf"\b{_VERB}\s+(?:DW['’]s\s+|DW\s+){_ROLE}{_NAME}\b"),
    re.compile(rf"(?:(?<=[a-z] )|(?<=[a-z], )){_NAME}\s+{_VERB}\b"),
)


def lede_author(lede: str) -> str | None:
    """The commentator an opinion lede names (``..., says DW's Volker Wagener.``), else ``None``."""
    for pattern in _LEDE_PATTERNS:
        for m in pattern.finditer(lede):
            name = m.group("name")
            if is_name(name) and not name.startswith(("The ", "This ", "But ", "And ")):
                return name
    return None
