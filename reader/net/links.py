"""Add by link: fetch web pages and import their articles.

The same code serves ``reader add URL...``, a GUI worker (File > Add from
link, a pasted or dropped link) and read-later exports that hold links only
(Pocket).  Fetches run a few at once in threads; every article is stored by
the calling thread, one committed transaction each.  A failed fetch adds
nothing and is reported with the URL and the reason; the rest goes on.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from reader.core.article import Article
from reader.core.ingest.errors import IngestError
from reader.core.ingest.html import parse_html as _parse_page
from reader.net.fetch import Fetcher, FetchError

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]  # done, total, current URL
Cancel = Callable[[], bool]


def parse_html(html: str, *, url: str | None, source_name: str) -> Article:
    """A fetched page as an article, by the saved-page extractor
    (:func:`reader.core.ingest.html.parse_html`).  A plain-text-fallback warning
    is logged, not stored with the article."""
    try:
        article = _parse_page(html, url=url, source_name=source_name)
    except IngestError as exc:  # named by the page's address, not "<html>"
        raise IngestError(url or source_name or exc.path, exc.reason) from None
    warning = article.extra.pop("warnings", None)
    if warning:
        log.info("%s: %s", url, warning)
    return article


Extract = Callable[..., Article]  # (html, *, url, source_name) -> Article


class Extractor:
    """Runs :func:`parse_html` for many pages: the first ``in_thread`` in the
    calling thread, then in ``processes`` spawned processes (extraction is
    pure-Python CPU work holding the GIL: a process per core is what makes a
    big refresh fast and keeps the threads beside it responsive).  Small jobs
    never start a process.  Thread-safe; close it when done."""

    def __init__(self, processes: int = 2, *, in_thread: int = 8) -> None:
        self.processes = processes
        self.in_thread = in_thread
        self._count = 0
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None

    def __call__(self, html: str, *, url: str | None, source_name: str) -> Article:
        with self._lock:
            self._count += 1
            use_pool = self.processes > 0 and self._count > self.in_thread
            if use_pool and self._pool is None:
                import multiprocessing

                self._pool = ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("spawn"),
                                                 initializer=_extract_process_init, initargs=(os.getpid(),))
            pool = self._pool if use_pool else None
        if pool is None:
            return parse_html(html, url=url, source_name=source_name)
        try:
            return pool.submit(parse_html, html, url=url, source_name=source_name).result()
        except BrokenProcessPool:
            return parse_html(html, url=url, source_name=source_name)  # a killed helper: do it here

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _extract_process_init(parent_pid: int) -> None:
    """In each extraction process: leave with the parent (kill -9 included).  Its
    priority is the parent's (inherited): a refresh the GUI runs in a niced
    process is niced here too, a refresh from the shell is not slowed down."""
    from reader import childproc

    childproc.watch_parent(parent_pid)


def fetch_article(fetcher: Fetcher, url: str, *, cancel: Cancel | None = None,
                  extract: Extract | None = None) -> Article:
    """Fetch a page and extract its article (identity: its canonical URL, else
    the URL after redirects).  Raises :class:`FetchError` or :class:`IngestError`,
    both naming ``url``.  ``extract`` replaces :func:`parse_html` (an :class:`Extractor`)."""
    result = fetcher.fetch_page(url, cancel=cancel)
    try:
        article = (extract or parse_html)(result.text(), url=result.final_url, source_name=url)
    except IngestError:
        raise
    except Exception as exc:  # an extractor bug on hostile markup must not end a batch
        raise IngestError(url, f"the page could not be read ({type(exc).__name__}: {exc})") from exc
    return article


@dataclass(frozen=True)
class LinkRequest:
    """One link to add, with what a read-later export knew about it."""

    url: str
    tags: tuple[str, ...] = ()
    time_added: datetime | None = None
    read: bool = False
    title: str | None = None  # used in messages only; the page's own title wins


@dataclass(frozen=True)
class LinkResult:
    """What happened to one link: ``outcome`` (added/updated/unchanged) or ``error``."""

    url: str
    article_id: str | None = None
    title: str | None = None
    outcome: str | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_json(self) -> dict[str, Any]:
        return {"url": self.url, "ok": self.ok, "id": self.article_id, "title": self.title,
                "outcome": self.outcome, "error": self.error}


@dataclass
class AddReport:
    """Every link's result, in the order given."""

    results: list[LinkResult] = field(default_factory=list)
    cancelled: bool = False

    @property
    def failed(self) -> list[LinkResult]:
        return [r for r in self.results if not r.ok]

    @property
    def changed_ids(self) -> list[str]:
        return [r.article_id for r in self.results if r.ok and r.article_id and r.outcome in ("added", "updated")]

    def summary(self) -> str:
        counts: dict[str, int] = {}
        for r in self.results:
            key = r.outcome if r.ok and r.outcome else "failed"
            counts[key] = counts.get(key, 0) + 1
        parts = [f"{counts.get(k, 0)} {k}" for k in ("added", "updated", "unchanged")]
        if counts.get("failed"):
            parts.append(f"{counts['failed']} failed")
        if self.cancelled:
            parts.append("cancelled")
        return ", ".join(parts)


def _with_request(article: Article, link: LinkRequest) -> Article:
    tags = tuple(dict.fromkeys((*article.tags, *link.tags)))
    extra = dict(article.extra)
    if link.time_added is not None:
        extra["time_added"] = link.time_added.isoformat()
    extra.setdefault("fetched_from", link.url)
    return article.with_changes(tags=tags, extra=extra)


def add_links(
    library: Any,
    links: Iterable[LinkRequest | str],
    *,
    fetcher: Fetcher | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    workers: int = 3,
) -> AddReport:
    """Fetch every link and store its article in ``library`` (a
    :class:`~reader.store.library.Library`).  Returns results in the order given."""
    requests = [x if isinstance(x, LinkRequest) else LinkRequest(x) for x in links]
    report = AddReport()
    own = fetcher is None
    fetcher = fetcher or Fetcher()
    total = len(requests)
    try:
        with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="reader-fetch") as pool:
            futures: list[Future[Article]] = [pool.submit(fetch_article, fetcher, r.url, cancel=cancel)
                                              for r in requests]
            for done, (link, future) in enumerate(zip(requests, futures, strict=True)):
                if progress is not None:
                    progress(done, total, link.url)
                if cancel is not None and cancel():
                    report.cancelled = True
                    for f in futures:
                        f.cancel()
                    break
                report.results.append(_store_one(library, link, future))
    finally:
        if own:
            fetcher.close()
    if progress is not None and not report.cancelled:
        progress(total, total, "")
    return report


def _store_one(library: Any, link: LinkRequest, future: Future[Article]) -> LinkResult:
    try:
        article = _with_request(future.result(), link)
    except (FetchError, IngestError) as exc:
        return LinkResult(link.url, error=str(exc))
    try:
        outcome, stored_id = library.upsert(article)
        if link.tags and outcome.value != "added":  # a re-import adds the export's tags to the stored article
            for tag in link.tags:
                library.add_tag(stored_id, tag)
        if link.read:
            library.set_read(stored_id, True)
    except sqlite3.Error as exc:
        return LinkResult(link.url, error=f"{link.url}: could not be stored ({exc})")
    return LinkResult(link.url, stored_id, article.title, outcome.value)


def split_urls(values: Sequence[str]) -> list[str]:
    """URLs from command-line arguments or pasted text (whitespace-separated)."""
    return [part for value in values for part in value.split() if part]
