"""Feed refreshes in a separate process, for the window (see :mod:`reader.feeds.refresh`).

Parsing feeds and extracting pages is pure Python holding the GIL: in a thread
of the GUI process it would take turns with the GUI thread.  So the window
refreshes through :func:`refresh_in_process`, which runs
:meth:`~reader.feeds.refresh.Refresher.refresh` in a spawned process and relays
its progress and the cancel request.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reader.feeds.refresh import Cancel, Progress, Refresher, RefreshReport
from reader.jobs.process import run_in_process
from reader.store.library import Library

__all__ = ["refresh_in_process"]


def _refresh_in_child(db_path: str, feed_ids: list[int] | None, force: bool, *, progress: Progress,
                      cancel: Cancel) -> RefreshReport:
    with Library.open(db_path, check=False) as library:
        return Refresher(library).refresh(feed_ids, force=force, progress=progress, cancel=cancel)


def refresh_in_process(db_path: Path | str, feed_ids: Sequence[int] | None = None, *, force: bool = False,
                       progress: Progress | None = None, cancel: Cancel | None = None) -> RefreshReport:
    """:meth:`Refresher.refresh` in a spawned process (what a GUI worker calls).
    Every item it stored stays stored whatever happens to it; raises
    :class:`reader.jobs.process.JobProcessError` when the process fails."""
    report: RefreshReport = run_in_process(
        _refresh_in_child, (str(db_path), list(feed_ids) if feed_ids is not None else None, force),
        progress=progress, cancel=cancel, name="feed refresh")
    return report
