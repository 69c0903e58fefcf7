"""Full-text search over the library (Whoosh, wrapped: nothing outside this
package imports ``whoosh``).

The public API is :class:`SearchIndex` and the plain dataclasses it returns;
:class:`SearchService` is the same API served by a process of its own (the
desktop app uses it, so no Whoosh work runs in the GUI process);
``QUERY_HELP`` is the query syntax help shown in the app and the README.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from reader.search.model import Hit, LockTimeouts, RefreshStats, RelatedHit, SearchResult
from reader.search.service import SearchService, SearchServiceError

if TYPE_CHECKING:
    from reader.search.index import SearchEngine
    from reader.store.library import IndexDoc, Library

__all__ = ["Hit", "QUERY_HELP", "RefreshStats", "RelatedHit", "SearchBackend", "SearchIndex", "SearchResult",
           "SearchService", "SearchServiceError"]


def _load_help() -> str:
    try:
        return (Path(__file__).with_name("HELP.md")).read_text(encoding="utf-8")
    except OSError:  # a bundle without the data file: still importable
        return "Search help is not available."


QUERY_HELP: str = _load_help()


@runtime_checkable
class SearchBackend(Protocol):
    """What the app and the CLI need from a search engine.  :class:`SearchIndex`
    (Whoosh, local) and :class:`SearchService` (the same in a process of its
    own) implement it; a server engine would be a new module implementing it
    too (docs/ARCHITECTURE.md, "search beyond one machine")."""

    def is_ready(self) -> bool: ...
    def doc_count(self) -> int: ...
    def refresh(self, db_path: Path, progress: Callable[[int, int], None] | None = None, *,
                full: bool = False) -> RefreshStats: ...
    def update_docs(self, docs: Iterable[IndexDoc]) -> None: ...
    def delete_docs(self, ids: Iterable[str]) -> None: ...
    def search(self, query: str, library: Library, *, limit: int = 20, sort: str = "relevance",
               offset: int = 0) -> SearchResult: ...
    def match_spans(self, query: str, text: str) -> list[tuple[int, int]]: ...
    def related(self, article_id: str, library: Library, limit: int = 10) -> list[RelatedHit]: ...


class SearchIndex(LockTimeouts):
    """Full-text search over the library, persisted in ``index_dir``.

    Construction is cheap and touches nothing on disk; :meth:`refresh` builds
    or updates the index, :meth:`search` and :meth:`related` read it.  Thread
    safety and locking: see :mod:`reader.search.index`.

    This front object imports nothing heavy: Whoosh and the engine
    (:class:`reader.search.index.SearchEngine`, 0.15-0.3 s of imports, a
    third of the app's time to show its window) are loaded by the first call
    that needs them, normally the startup refresh in a worker thread."""

    #: Seconds one search may take before it is stopped with an explanation.
    query_budget = 3.0

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = Path(index_dir)
        self._engine_obj: SearchEngine | None = None
        self._engine_lock = threading.Lock()

    def _engine(self) -> SearchEngine:
        with self._engine_lock:
            if self._engine_obj is None:
                from reader.search.index import SearchEngine

                self._engine_obj = SearchEngine(self.index_dir, owner=self)
            return self._engine_obj

    def is_ready(self) -> bool:
        """An index exists and can be searched (it may be stale)."""
        return self._engine().is_ready()

    def doc_count(self) -> int:
        """Articles in the index (0 when there is no usable index)."""
        return self._engine().doc_count()

    def refresh(self, db_path: Path, progress: Callable[[int, int], None] | None = None, *,
                full: bool = False) -> RefreshStats:
        """Bring the index up to date with the library at ``db_path`` (see
        :meth:`reader.search.index.SearchEngine.refresh`)."""
        return self._engine().refresh(db_path, progress, full=full)

    def update_docs(self, docs: Iterable[IndexDoc]) -> None:
        """Re-index a few documents now, in this thread (bookmarks, tags, notes)."""
        self._engine().update_docs(docs)

    def delete_docs(self, ids: Iterable[str]) -> None:
        """Remove articles from the index now, in this thread."""
        self._engine().delete_docs(ids)

    def search(self, query: str, library: Library, *, limit: int = 20, sort: str = "relevance",
               offset: int = 0) -> SearchResult:
        """Search; never raises.  ``sort`` is "relevance" (BM25F) or "date" (newest first);
        ``offset`` skips that many of the best matches (the next page)."""
        return self._engine().search(query, library, limit=limit, sort=sort, offset=offset)

    def match_spans(self, query: str, text: str) -> list[tuple[int, int]]:
        """Offsets in ``text`` of the query's positive words and phrases."""
        return self._engine().match_spans(query, text)

    def related(self, article_id: str, library: Library, limit: int = 10) -> list[RelatedHit]:
        """Articles sharing distinctive terms and named entities with ``article_id``."""
        return self._engine().related(article_id, library, limit)
