"""Network access: fetching web pages and feeds the user asked for.

Nothing here runs unless the user adds a link or subscribes to a feed; the
reader pane never loads anything remote.  No Qt: the GUI drives these plain
functions and classes from worker threads (progress callbacks, cancel flags,
plain-data results).
"""

from __future__ import annotations

# (nothing imported here: the importer's Pocket hook imports reader.net.pocket
# for every file, and must not pull httpx in for files that are not exports)
