"""Finding articles by what a person types: an id or the start of one.

:meth:`Library.resolve_id` answers "which article?" with one id or ``None``;
:func:`id_prefix_matches` says *why* there is none (nothing starts so, or many
articles do), so the CLI can say "ambiguous: 13 articles start with '6e'" and
list a few instead of "no article".
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class PrefixMatches:
    """The articles whose id starts with ``prefix``: how many, and the first few."""

    prefix: str
    count: int
    sample: tuple[tuple[str, str], ...]  # (id, title), ordered by id
    exact: bool = False  # an id equals ``prefix`` exactly

    @property
    def unique_id(self) -> str | None:
        """The one id meant: the exact id, or the only one starting with the prefix."""
        if self.exact:
            return self.prefix
        return self.sample[0][0] if self.count == 1 else None


def _like_pattern(prefix: str) -> str:
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


def id_prefix_matches(conn: sqlite3.Connection, prefix: str, limit: int = 5) -> PrefixMatches:
    """Count the article ids starting with ``prefix`` (case-insensitive) and
    return up to ``limit`` of them with their titles.  An empty prefix matches
    nothing (it would match every article)."""
    prefix = prefix.strip()
    if not prefix:
        return PrefixMatches(prefix, 0, ())
    exact = conn.execute("SELECT 1 FROM articles WHERE id = ?", (prefix,)).fetchone() is not None
    pattern = _like_pattern(prefix)
    count = int(conn.execute(
        "SELECT count(*) FROM articles WHERE id LIKE ? ESCAPE '\\'", (pattern,)
    ).fetchone()[0])
    rows = conn.execute(
        "SELECT id, title FROM articles WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT ?", (pattern, max(0, limit))
    ).fetchall()
    return PrefixMatches(prefix, count, tuple((str(r[0]), str(r[1] or "")) for r in rows), exact)
