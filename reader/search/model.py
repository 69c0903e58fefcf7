"""The plain data the search API hands out (no Whoosh objects ever leak)."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime


class LockTimeouts:
    """How long index writes wait for another writer, in seconds.  Set on the
    object callers hold (:class:`~reader.search.SearchIndex`,
    :class:`~reader.search.SearchService`); the engine reads them from there."""

    #: ``refresh`` waits this long for another writer before skipping.
    refresh_lock_timeout = 5.0
    #: ``update_docs``/``delete_docs`` wait this long, then queue their changes for the next write.
    update_lock_timeout = 0.8


@dataclass(frozen=True)
class Hit:
    """One search result.

    ``snippet`` is HTML: escaped text from the article's body (never its title
    or dateline) with ``<b>`` around matches.  ``title_highlights`` are the
    (start, end) offsets in ``title`` where the query matches it;
    :attr:`title_html` is the title marked up like the snippet."""

    id: str
    title: str
    source: str
    published: datetime | None
    score: float
    snippet: str
    title_highlights: tuple[tuple[int, int], ...] = ()

    @property
    def title_html(self) -> str:
        """The title as HTML, escaped, with ``<b>`` around ``title_highlights``."""
        parts: list[str] = []
        pos = 0
        for start, end in self.title_highlights:
            parts.append(html.escape(self.title[pos:start]))
            parts.append("<b>" + html.escape(self.title[start:end]) + "</b>")
            pos = end
        parts.append(html.escape(self.title[pos:]))
        return "".join(parts)


@dataclass(frozen=True)
class SearchResult:
    """The outcome of one query: ranked hits, the total count, maybe a spelling
    suggestion, and an explanation when (part of) the query could not be used."""

    query: str
    hits: tuple[Hit, ...]
    total: int
    suggestion: str | None = None
    error: str | None = None
    #: The rank of ``hits[0]`` among all matches (``search(offset=...)``).
    offset: int = 0


@dataclass(frozen=True)
class RelatedHit:
    """An article related to another, with the shared terms/entities that made it so."""

    id: str
    title: str
    score: float
    reasons: tuple[str, ...]  # e.g. ("person: Jens Stoltenberg", "term: nato")


@dataclass(frozen=True)
class RefreshStats:
    """What one :meth:`SearchIndex.refresh` did."""

    added: int
    updated: int
    deleted: int
    rebuilt: bool
    seconds: float
