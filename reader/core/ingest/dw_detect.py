"""Recognise real DW scrapes that lack the classic markers (see :func:`reader.core.ingest.detect`).

The classic markers (the "Skip to content" menu, "Skip next section", ``p.dw.com``
links, the old ``| DW | dd.mm.yyyy`` title) are missing from many real scrapes:
German pages, video pages of every era, one-line and AMP scrapes, teaser pages.
:func:`looks_like_dw` accepts a text when it shows one marker only DW pages have,
or two weaker signs (a crawler prefix, a "DW News" label line, a mention of DW,
a video duration line, a teaser's section glued to its date).
"""

from __future__ import annotations

import re

_STRONG = re.compile(
    r"^\s*(?:\d+\.\s*)?(?:Zum Inhalt springen|Zu weiteren Angeboten der DW springen)\s*$"
    r"|Take a look at the beta version of dw\.com"
    r"|To view this video please enable JavaScript, and consider upgrading to a web browser"
    r"|^\s*This browser does not support the (?:video|audio) element\.?\s*$"
    r"|^\s*Watch video \d{1,2}:\d{2}\s*$"
    r"|\|\s*DW(?: News)?\s*\|\s*\d{1,2}\.\d{1,2}\.\d{4}\s*$"
    r"|\d{2}/\d{2}/\d{4}(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r" \d{1,2}, \d{4}",
    re.MULTILINE,
)
_WEAK = (
    re.compile(r"^\s*date\s*[:=]?\s*\d{4}-\d{2}(?:-\d{2})?\b"),  # the crawler prefix, at the very start
    re.compile(r"^\s*DW News\s*$", re.MULTILINE),
    re.compile(r"\bDW['’]s\b|\btold DW\b|\bDW (?:News|correspondent|reporter)\b|Deutsche Welle|#dw[A-Za-z]"),
    re.compile(r"^\s*\d{1,2}:\d{2}\s*$", re.MULTILINE),
    # teaser meta: section glued to the date ("PoliticsNovember 10, 2022", "PoliticsMay 13, 202404:07 min")
    re.compile(
        r"^[A-Z][a-z]+(?:January|February|March|April|May|June|July|August|September|October|November|December)"
        r" \d{1,2}, \d{4}",
        re.MULTILINE,
    ),
)


def looks_like_dw(text: str) -> bool:
    """True when ``text`` (the first few KB of a file) reads like a DW page scrape."""
    if _STRONG.search(text):
        return True
    return sum(1 for pattern in _WEAK if pattern.search(text)) >= 2
