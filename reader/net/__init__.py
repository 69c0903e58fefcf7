"""Network access: fetching web pages and feeds the user asked for.

Nothing here runs unless the user adds a link or subscribes to a feed; the
reader pane never loads anything remote.  No Qt: the GUI drives these plain
functions and classes from worker threads (progress callbacks, cancel flags,
plain-data results).
"""

from __future__ import annotations

from reader.net.fetch import Fetcher, FetchError, FetchLimits, FetchResult

__all__ = ["FetchError", "FetchLimits", "FetchResult", "Fetcher"]
