"""Adding links from the GUI in a process of its own (see
:func:`reader.jobs.process.run_in_process`): extracting pages holds the GIL,
and the GUI thread must not wait for it."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reader.jobs.process import Progress, run_in_process
from reader.net.links import AddReport, add_links
from reader.store.library import Library

__all__ = ["add_links_in_process"]


def _add_in_child(db_path: str, urls: list[str], *, progress: Progress, cancel: Callable[[], bool]) -> AddReport:
    with Library.open(db_path, check=False) as library:
        return add_links(library, urls, progress=progress, cancel=cancel)


def add_links_in_process(db_path: object, urls: Sequence[str], *, progress: Progress | None = None,
                         cancel: Callable[[], bool] | None = None) -> AddReport:
    """:func:`~reader.net.links.add_links` over ``urls`` in a spawned process;
    each page it stored stays stored.  Raises ``JobProcessError`` when the process fails."""
    report: AddReport = run_in_process(_add_in_child, (str(db_path), list(urls)), progress=progress,
                                       cancel=cancel, name="add links")
    return report
