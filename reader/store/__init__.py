"""SQLite storage for the library and the user's work (no Qt here)."""

from __future__ import annotations

from reader.store.db import StoreError, StoreWriteError
from reader.store.library import (
    COLOURS,
    Annotation,
    ArticleRow,
    ArticleSnapshot,
    EntitySpan,
    ImportOutcome,
    IndexDoc,
    Library,
)

__all__ = ["COLOURS", "Annotation", "ArticleRow", "ArticleSnapshot", "EntitySpan", "ImportOutcome", "IndexDoc", "Library", "StoreError",
           "StoreWriteError"]
