"""Typed defaults for user preferences (stored by the UI in QSettings).

Kept free of Qt so the CLI and the core can read the same defaults.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Defaults:
    """Default values of user preferences."""

    theme: str = "system"  # "system" | "light" | "dark"
    entity_backend: str = "auto"  # "auto" | "combined" | "spacy" | "rules"
    reader_font_family: str = "Serif"
    reader_font_size: int = 13
    zoom_step: int = 1
    search_debounce_ms: int = 200
    search_limit: int = 200
    stall_log_ms: int = 50
    feed_refresh_minutes: int = 30  # background feed refresh (0: only at start and on request)
    read_after_ms: int = 2000  # an article open this long counts as read


DEFAULTS = Defaults()
