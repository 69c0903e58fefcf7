"""The window's one change bus: :class:`LibraryEvents`.

Components never call each other's refresh.  A component that changes the
library (or learns that something changed it: a worker, another process)
emits what changed here; every component that shows something of it listens
and brings itself up to date.  (novelWriter keeps its app-wide signals on one
shared object; Anki broadcasts ``operation_did_execute(changes)``.)

``articles_changed(ids, what)``: ``what`` is one of :class:`What`; an empty
``ids`` list means "unknown which" (a change made by another process).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from PySide6.QtCore import QObject, Signal


class What:
    """What happened to the articles of an ``articles_changed`` event."""

    ADDED = "added"  # imported: new or changed text (ids: the stored ones)
    DELETED = "deleted"
    RESTORED = "restored"  # a delete undone
    MARKS = "marks"  # bookmarks written
    TAGS = "tags"  # tags written (the tag filter lists new ones)
    READ = "read"  # read mark written
    EXTERNAL = "external"  # another process changed the library (ids unknown)

    #: changes after which the list's rows, not only their contents, may differ
    RELOAD = frozenset({ADDED, DELETED, RESTORED, TAGS, EXTERNAL})
    #: changes the search index must follow
    INDEXED = frozenset({ADDED, DELETED, RESTORED, MARKS, TAGS, EXTERNAL})


class ListMode(IntEnum):
    """What the left pane shows; the value is the page of its stack."""

    LIBRARY = 0
    RESULTS = 1


class Kind:
    """Kinds of :attr:`LibraryEvents.status` messages."""

    INFO = "info"  # a change made, a hint: a few seconds in the status bar
    DONE = "done"  # a longer job finished: a little longer
    WARNING = "warning"  # something did not work: long
    BUSY = "busy"  # what runs now: stays (in its own field) until an empty text replaces it
    WAITING = "waiting"  # shown until the next message


#: How long each kind of message stays in the status bar (ms; 0 = until replaced).
DURATIONS = {Kind.INFO: 5000, Kind.DONE: 10000, Kind.WARNING: 15000, Kind.WAITING: 0}


@dataclass(frozen=True)
class IndexState:
    """Where the search index stands (the status bar's "Index:" field)."""

    phase: str  # "unavailable" | "checking" | "indexing" | "ready" | "failed"
    text: str
    docs: int | None = None

    @property
    def ready(self) -> bool:
        return self.phase == "ready"


class LibraryEvents(QObject):
    """App-wide signals: what changed, what is open, what the user should read.

    Emit from the GUI thread only (workers hand results to their ``on_done``
    callbacks, which run there)."""

    articles_changed = Signal(list, str)  # article ids (empty: unknown), What.*
    annotations_changed = Signal(str)  # article id whose highlights/notes changed
    entities_changed = Signal(list)  # article ids (empty: many or unknown)
    current_article = Signal(str)  # the article now open ("" when none)
    index_state = Signal(object)  # IndexState
    entities_state = Signal(str)  # the status bar's "Entities:" text
    feeds_changed = Signal()  # subscriptions added, removed or fetched
    status = Signal(str, str)  # text, Kind.*
    error = Signal(str, str)  # one-line message, detail (shown in a dialog when not empty)

    def info(self, text: str) -> None:
        self.status.emit(text, Kind.INFO)

    def done(self, text: str) -> None:
        self.status.emit(text, Kind.DONE)

    def warn(self, text: str) -> None:
        self.status.emit(text, Kind.WARNING)

    def busy(self, text: str) -> None:
        """What runs now ("" when it ended)."""
        self.status.emit(text, Kind.BUSY)

    def fail(self, text: str, detail: str = "") -> None:
        self.error.emit(text, detail)
