"""What the window needs of a search engine: :class:`SearchBackend`.

Both :class:`reader.search.SearchService` (the search process the app uses)
and :class:`reader.search.SearchIndex` (the same engine in this process)
satisfy it.  (It lives here rather than in ``reader.search`` because only the
UI needs the abstraction; the search layer has its two concrete classes.)
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Protocol, runtime_checkable

from reader.search import QUERY_HELP, RefreshStats, RelatedHit, SearchResult, SearchService
from reader.store import IndexDoc, Library

log = logging.getLogger(__name__)

__all__ = ["QUERY_HELP", "SearchBackend", "open_search_backend"]


@runtime_checkable
class SearchBackend(Protocol):
    """Full-text search over the library: refreshed from the database, queried by workers."""

    def doc_count(self) -> int:
        """Articles in the index (0 when there is none)."""
        ...

    def refresh(self, db_path: Path, progress: Callable[[int, int], None] | None = None, *,
                full: bool = False) -> RefreshStats:
        """Bring the index up to date with the library at ``db_path``."""
        ...

    def update_docs(self, docs: Iterable[IndexDoc]) -> None:
        """Re-index a few documents now."""
        ...

    def search(self, query: str, library: Library, *, limit: int = 20, sort: str = "relevance") -> SearchResult:
        """Search; never raises (a bad query comes back as ``SearchResult.error``)."""
        ...

    def match_spans(self, query: str, text: str) -> list[tuple[int, int]]:
        """Offsets in ``text`` of the query's words and phrases."""
        ...

    def related(self, article_id: str, library: Library, limit: int = 10) -> list[RelatedHit]:
        """Articles sharing distinctive terms and entities with ``article_id``."""
        ...


def open_search_backend(index_dir: Path) -> SearchBackend | None:
    """The search process over ``index_dir``; ``None`` (the app runs on without
    search, and says so) when it cannot be started - the index is a cache."""
    try:
        return SearchService(index_dir)
    except Exception as exc:  # noqa: BLE001 - any failure to start: no search, never no app
        log.warning("cannot open the search index %s: %s", index_dir, exc)
        return None


def close_backend(backend: SearchBackend | None) -> None:
    """Stop the search process, if ``backend`` is one."""
    close = getattr(backend, "close", None)
    if close is not None:
        close()
