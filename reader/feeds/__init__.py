"""Feeds: parsing (RSS, Atom, JSON Feed), discovery, OPML and refreshing.

Above ``store`` and ``net``; no Qt.  The GUI runs :class:`~reader.feeds.refresh.Refresher`
from a worker (progress callback, cancel flag, plain-data report).
"""
