"""The window's search engine: the search process (:class:`reader.search.SearchService`),
started and stopped here, seen through :class:`reader.search.SearchBackend`
(which :class:`reader.search.SearchIndex`, the same engine in this process, also
satisfies)."""

from __future__ import annotations

import logging
from pathlib import Path

from reader.search import QUERY_HELP, SearchBackend, SearchService

log = logging.getLogger(__name__)

__all__ = ["QUERY_HELP", "SearchBackend", "open_search_backend"]


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
