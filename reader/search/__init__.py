"""Full-text search over the library (Whoosh, wrapped: nothing outside this
package imports ``whoosh``).

The public API is :class:`SearchIndex` and the plain dataclasses it returns;
``QUERY_HELP`` is the query syntax help shown in the app and the README.
"""

from __future__ import annotations

from pathlib import Path

from reader.search.model import Hit, RefreshStats, RelatedHit, SearchResult

__all__ = ["Hit", "QUERY_HELP", "RefreshStats", "RelatedHit", "SearchIndex", "SearchResult"]


def _load_help() -> str:
    try:
        return (Path(__file__).with_name("HELP.md")).read_text(encoding="utf-8")
    except OSError:  # a bundle without the data file: still importable
        return "Search help is not available."


QUERY_HELP: str = _load_help()

from reader.search.index import SearchIndex  # noqa: E402  (after the dataclasses it uses)
