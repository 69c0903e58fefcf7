"""Subscribing to feeds and refreshing them.

A refresh fetches a few feeds at once (``workers``), with per-host politeness
(the :class:`~reader.net.fetch.Fetcher` lets ``per_host`` requests to one
host run at once), a conditional GET (ETag / Last-Modified), the feed's own
``ttl`` and a backoff after failures (``next_check``).  Items that carry only
a summary get their full text by fetching their link (on by default, per
feed), as "Add by link" does; a failed fetch keeps the summary and says so.

Network work runs in threads; every store happens in the calling thread, one
committed transaction per item, as soon as the item is ready.  A feed's
validators are saved only after all of its items are, so a refresh killed at
any point is done again by the next run: known items are skipped (no
duplicates) and nothing the user did (read state, notes) is touched.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from reader.core.article import Article
from reader.core.ingest.errors import IngestError
from reader.feeds.discover import find_feed_links
from reader.feeds.items import entry_article, has_full_content, item_keys, merge_page
from reader.feeds.parse import FeedEntry, FeedError, ParsedFeed, looks_like_html, parse_feed
from reader.net.fetch import Fetcher, FetchError, FetchResult
from reader.net.links import Extractor, fetch_article
from reader.store.feeds import Feed, FeedStore, KnownItems, RetryItem

Progress = Callable[[int, int, str], None]
Cancel = Callable[[], bool]

#: Minutes between refreshes of a feed when it sets no longer ``ttl`` (a GUI setting).
DEFAULT_INTERVAL_MINUTES = 30
#: How often the page of a summary-only item is tried (once per refresh, while it is in the feed).
MAX_PAGE_ATTEMPTS = 3
#: Backoff after failures: 5, 10, 20... minutes, at most this many.
MAX_BACKOFF_MINUTES = 12 * 60
BACKOFF_BASE_MINUTES = 5


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class FeedOutcome:
    """What one feed's refresh did.  ``status``: ``updated`` (fetched; ``added``
    may be empty), ``not_modified`` (304), ``failed`` or ``not_due``."""

    feed_id: int
    title: str
    url: str
    status: str
    added: tuple[str, ...] = ()
    error: str | None = None
    item_errors: tuple[str, ...] = ()
    next_check: str | None = None
    completed: tuple[str, ...] = ()  # stored summary-only items whose page was fetched this time

    def to_json(self) -> dict[str, Any]:
        return {"id": self.feed_id, "title": self.title, "url": self.url, "status": self.status,
                "new": len(self.added), "added": list(self.added), "error": self.error,
                "item_errors": list(self.item_errors), "next_check": self.next_check,
                "completed": list(self.completed)}


@dataclass
class RefreshReport:
    outcomes: list[FeedOutcome] = field(default_factory=list)
    cancelled: bool = False

    @property
    def failed(self) -> list[FeedOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def changed_ids(self) -> list[str]:
        """New articles and those that got their full text (what to index)."""
        return [aid for o in self.outcomes for aid in (*o.added, *o.completed)]

    @property
    def new_ids(self) -> list[str]:
        return [aid for o in self.outcomes for aid in o.added]

    def summary(self) -> str:
        counts = {s: sum(1 for o in self.outcomes if o.status == s)
                  for s in ("updated", "not_modified", "failed", "not_due")}
        parts = [f"{len(self.new_ids)} new items", f"{counts['updated']} feeds fetched",
                 f"{counts['not_modified']} unchanged"]
        if counts["not_due"]:
            parts.append(f"{counts['not_due']} not due")
        if counts["failed"]:
            parts.append(f"{counts['failed']} failed")
        if self.cancelled:
            parts.append("cancelled")
        return ", ".join(parts)


@dataclass(frozen=True)
class _Item:
    key: str
    entry: FeedEntry
    article: Article
    text_from: str  # feed | page | summary
    fetch_error: str | None
    retry: RetryItem | None = None  # another try at a stored summary-only item's page
    final: bool = False  # the page failed for good (not a web page, no article in it...): no more tries


@dataclass(frozen=True)
class _Done:
    result: FetchResult
    parsed: ParsedFeed | None
    item_errors: tuple[str, ...]


def _content_type(result: FetchResult) -> str:
    """The Content-Type to hand to feedparser, with the server's charset."""
    return f"{result.content_type}; charset={result.charset}" if result.charset else result.content_type


# ---- subscribing --------------------------------------------------------------------
def find_feed(fetcher: Fetcher, url: str, *, cancel: Cancel | None = None) -> tuple[str, FetchResult, ParsedFeed]:
    """The feed at ``url``, or the one a site page there announces with
    ``<link rel="alternate">``: (feed address, its fetch, its parsed document).
    Raises :class:`FetchError` or :class:`FeedError` naming ``url``."""
    result = fetcher.fetch(url, kind="feed", cancel=cancel)
    if looks_like_html(result.body):  # (by content: some servers call their feed text/html)
        links = find_feed_links(result.text(), result.final_url)
        if not links:
            raise FeedError(url, "a web page without a feed (no <link rel=\"alternate\"> to RSS, Atom or JSON Feed)")
        feed_url = links[0].url
        result = fetcher.fetch(feed_url, kind="feed", cancel=cancel)
        if looks_like_html(result.body):
            raise FeedError(url, f"the page's feed link ({feed_url}) gives a web page, not a feed")
    else:
        feed_url = result.final_url
    parsed = parse_feed(result.body, url=feed_url, content_type=_content_type(result))
    return feed_url, result, parsed


def subscribe(store: FeedStore, fetcher: Fetcher, url: str, *, name: str | None = None,
              full_text: bool = True, cancel: Cancel | None = None) -> Feed:
    """Find the feed at ``url`` (or on the page there) and subscribe to it.
    Raises :class:`FetchError`, :class:`FeedError` or ``FeedExistsError``."""
    existing = store.by_url(url)
    if existing is not None:
        from reader.store.feeds import FeedExistsError

        raise FeedExistsError(existing)
    feed_url, _result, parsed = find_feed(fetcher, url, cancel=cancel)
    return store.add(feed_url, title=parsed.title, name=name, site_url=parsed.site_url, kind=parsed.kind,
                     full_text=full_text)


# ---- refreshing -----------------------------------------------------------------------
class Refresher:
    """Refreshes a library's feeds (see the module docstring).  ``library`` is a
    :class:`~reader.store.library.Library`; it is used from the calling thread only.

    ``extract_processes`` > 0 extracts pages in that many spawned processes
    once a refresh has more than a few (:class:`~reader.net.links.Extractor`).
    Off by default: on this project's busy 2-core machine, 50 feeds x 50 items
    took a median ~13 s in threads and ~22 s with 2 processes (benchmarks/bench_feeds.py
    ``--processes``); the GUI runs the whole refresh in its own process
    (``reader.jobs.feeds.refresh_in_process``), so the GIL is not the GUI's problem either way."""

    def __init__(self, library: Any, *, fetcher: Fetcher | None = None, workers: int = 4, page_workers: int = 6,
                 interval_minutes: int = DEFAULT_INTERVAL_MINUTES, retries: int = 1, retry_delay: float = 1.0,
                 extract_processes: int = 0) -> None:
        self.library = library
        self.store = FeedStore(library.conn)
        self._fetcher = fetcher
        self.workers = max(1, workers)
        self.page_workers = max(1, page_workers)
        self.interval_minutes = interval_minutes
        self.retries = retries
        self.retry_delay = retry_delay
        self.extract_processes = extract_processes
        self._store_errors: dict[int, list[str]] = {}
        self._completed: dict[int, list[str]] = {}  # summary-only articles that got their full text

    def refresh(self, feed_ids: Sequence[int] | None = None, *, force: bool = False, progress: Progress | None = None,
                cancel: Cancel | None = None) -> RefreshReport:
        """Refresh the given feeds (all when ``None``).  Without ``force`` only
        feeds that are due (their ``ttl``/interval or backoff has passed)
        are fetched; the others are reported ``not_due``."""
        report = RefreshReport()
        feeds = self.store.all() if feed_ids is None else [f for f in (self.store.get(i) for i in feed_ids) if f]
        now = _iso(datetime.now(UTC))
        due: list[Feed] = []
        for feed in feeds:
            if force or feed.next_check is None or feed.next_check <= now:
                due.append(feed)
            else:
                report.outcomes.append(FeedOutcome(feed.id, feed.display_title, feed.url, "not_due",
                                                   next_check=feed.next_check))
        if not due:
            return report
        own = self._fetcher is None
        fetcher = self._fetcher or Fetcher()
        events: queue.Queue[tuple[str, int, Any]] = queue.Queue()
        stop = threading.Event()

        def stopped() -> bool:
            return stop.is_set() or (cancel is not None and cancel())

        added: dict[int, list[str]] = {f.id: [] for f in due}
        by_id = {f.id: f for f in due}
        extractor = Extractor(self.extract_processes)
        try:
            with ThreadPoolExecutor(self.workers, thread_name_prefix="reader-feed") as feed_pool, \
                    ThreadPoolExecutor(self.page_workers, thread_name_prefix="reader-page") as page_pool:
                for feed in due:
                    known = self.store.known(feed.id)
                    retry = self.store.retryable(feed.id, MAX_PAGE_ATTEMPTS) if feed.full_text else {}
                    feed_pool.submit(self._work, fetcher, page_pool, extractor, feed, known, retry, events, stopped)
                try:
                    self._drain(events, by_id, added, report, progress, cancel, stop)
                finally:
                    stop.set()  # (on an error here too: the workers end instead of fetching on)
                if report.cancelled:
                    feed_pool.shutdown(wait=True, cancel_futures=True)
        finally:
            stop.set()
            extractor.close()
            if own:
                fetcher.close()
        return report

    def _drain(self, events: queue.Queue[tuple[str, int, Any]], by_id: dict[int, Feed], added: dict[int, list[str]],
               report: RefreshReport, progress: Progress | None, cancel: Cancel | None,
               stop: threading.Event) -> None:
        """Store what the workers send, as it comes, until every feed is done."""
        total = remaining = len(by_id)
        if progress is not None:
            progress(0, total, "")
        while remaining:
            if cancel is not None and cancel():
                stop.set()
                report.cancelled = True
                return
            try:
                kind, feed_id, payload = events.get(timeout=0.2)
            except queue.Empty:
                continue
            feed = by_id[feed_id]
            if kind == "item":
                stored = self._store_item(feed, payload)
                if stored is not None:
                    added[feed_id].append(stored)
                continue
            remaining -= 1
            if kind == "done":
                report.outcomes.append(self._record_done(feed, payload, added[feed_id]))
            else:
                report.outcomes.append(self._record_failed(feed, payload, added[feed_id]))
            if progress is not None:
                progress(total - remaining, total, feed.display_title)

    # ---- in a worker thread ----
    def _fetch_with_retries(self, fetcher: Fetcher, feed: Feed, stopped: Cancel) -> FetchResult:
        attempt = 0
        while True:
            try:
                return fetcher.fetch(feed.url, kind="feed", etag=feed.etag, last_modified=feed.last_modified,
                                     cancel=stopped)
            except FetchError as exc:
                wait = exc.retry_after if exc.retry_after is not None else self.retry_delay * (attempt + 1)
                if not exc.transient or attempt >= self.retries or stopped() or wait > 30:
                    raise
                attempt += 1
                deadline = time.monotonic() + wait
                while time.monotonic() < deadline and not stopped():
                    time.sleep(min(0.1, wait))

    def _work(self, fetcher: Fetcher, page_pool: ThreadPoolExecutor, extractor: Extractor, feed: Feed,
              known: KnownItems, retry: dict[str, RetryItem],
              events: queue.Queue[tuple[str, int, Any]], stopped: Cancel) -> None:
        try:
            result = self._fetch_with_retries(fetcher, feed, stopped)
            if result.not_modified:
                events.put(("done", feed.id, _Done(result, None, ())))
                return
            if looks_like_html(result.body) and not result.content_type.endswith(("xml", "json")):
                links = find_feed_links(result.text(), result.final_url)
                hint = f"; the page links to the feed {links[0].url}" if links else ""
                raise FeedError(feed.url, f"the address gives a web page now, not a feed{hint}")
            parsed = parse_feed(result.body, url=result.final_url, content_type=_content_type(result))
            title = feed.display_title if feed.name else (parsed.title or feed.display_title)
            seen: set[str] = set()
            fresh: list[tuple[str, FeedEntry]] = []
            again: list[tuple[RetryItem, FeedEntry]] = []
            for key, entry in zip(item_keys(parsed.entries), parsed.entries, strict=True):
                if key in seen or (key, entry.link) in known:
                    earlier = retry.get(key) or (retry.get(f"link:{entry.link}") if entry.link else None)
                    if earlier is not None and entry.link and earlier.key not in seen:
                        seen.add(earlier.key)
                        again.append((earlier, entry))
                    continue
                seen.add(key)
                if entry.link:
                    seen.add(f"link:{entry.link}")
                fresh.append((key, entry))
            pages: dict[Future[Article], tuple[str, FeedEntry, RetryItem | None]] = {}
            for earlier, entry in again:
                pages[page_pool.submit(fetch_article, fetcher, entry.link or "", cancel=stopped,
                                       extract=extractor)] = (earlier.key, entry, earlier)
            for key, entry in fresh:
                if stopped():
                    return
                if has_full_content(entry) or not feed.full_text or not entry.link:
                    article = entry_article(entry, feed_title=title, feed_url=feed.url)
                    events.put(("item", feed.id, _Item(key, entry, article, "feed" if has_full_content(entry)
                                                       else "summary", None)))
                else:
                    pages[page_pool.submit(fetch_article, fetcher, entry.link, cancel=stopped,
                                           extract=extractor)] = (key, entry, None)
            errors: list[str] = []
            for future in as_completed(pages):
                key, entry, earlier = pages[future]
                try:
                    page = merge_page(future.result(), entry, feed_title=title, feed_url=feed.url)
                    if earlier is not None:  # the summary article becomes the full one, in place
                        page = page.with_changes(id=earlier.article_id, identity=earlier.identity)
                    item = _Item(key, entry, page, "page", None, earlier)
                except (FetchError, IngestError) as exc:
                    if stopped():
                        return
                    errors.append(str(exc))
                    note = f"Only the feed's summary is shown: the full article could not be fetched ({exc.reason})."
                    item = _Item(key, entry, entry_article(entry, feed_title=title, feed_url=feed.url, note=note),
                                 "summary", str(exc), earlier, final=not getattr(exc, "transient", False))
                events.put(("item", feed.id, item))
            if stopped():
                return
            events.put(("done", feed.id, _Done(result, parsed, tuple(errors))))
        except (FetchError, FeedError) as exc:
            events.put(("failed", feed.id, exc))
        except Exception as exc:  # a bug must not end the other feeds' refresh  # noqa: BLE001
            events.put(("failed", feed.id, FeedError(feed.url, f"refresh failed ({type(exc).__name__}: {exc})")))

    # ---- in the calling thread ----
    def _store_item(self, feed: Feed, item: _Item) -> str | None:
        """Store one item; the id when it is a new article.  A failed store (a
        full disk...) is remembered: the feed's validators are then not saved,
        so the next refresh fetches the feed in full and tries the item again."""
        try:
            if item.retry is not None:
                if item.fetch_error is None:
                    _, stored_id = self.library.upsert(item.article)  # in place: read state, notes kept
                    self._completed.setdefault(feed.id, []).append(stored_id)
                self.store.record_retry(feed.id, item.retry.key, fetch_error=item.fetch_error,
                                        give_up=item.final)
                return None
            outcome, stored_id = self.library.upsert(item.article)
            self.store.record_item(feed.id, key=item.key, guid=item.entry.guid, link=item.entry.link,
                                   article_id=stored_id, text_from=item.text_from, fetch_error=item.fetch_error,
                                   give_up=item.final)
        except sqlite3.Error as exc:
            self._store_errors.setdefault(feed.id, []).append(
                f"{item.entry.link or feed.url}: could not be stored ({exc}); the next refresh tries again")
            return None
        return stored_id if outcome.value == "added" else None

    def _next_check(self, feed: Feed, ttl: int | None) -> str:
        minutes = max(self.interval_minutes, ttl or 0)
        return _iso(datetime.now(UTC) + timedelta(minutes=minutes))

    def _record_done(self, feed: Feed, done: _Done, added: list[str]) -> FeedOutcome:
        parsed = done.parsed
        ttl = parsed.ttl_minutes if parsed else feed.ttl_minutes
        next_check = self._next_check(feed, ttl)
        unsaved = self._store_errors.pop(feed.id, [])
        # while pages are still to be tried again, the next refresh must get the whole document (no 304)
        pending = bool(feed.full_text and self.store.retryable(feed.id, MAX_PAGE_ATTEMPTS))
        etag, last_modified = (None, None) if unsaved or pending else (done.result.etag, done.result.last_modified)
        if unsaved:  # asked again soon, in full
            next_check = _iso(datetime.now(UTC) + timedelta(minutes=BACKOFF_BASE_MINUTES))
        self.store.record_success(
            feed.id, etag=etag, last_modified=last_modified, next_check=next_check,
            title=parsed.title if parsed else None, site_url=parsed.site_url if parsed else None,
            kind=parsed.kind if parsed else None, ttl_minutes=ttl, not_modified=done.result.not_modified,
        )
        title = feed.name or (parsed.title if parsed and parsed.title else feed.display_title)
        return FeedOutcome(feed.id, title, feed.url, "not_modified" if done.result.not_modified else "updated",
                           tuple(added), item_errors=(*done.item_errors, *unsaved), next_check=next_check,
                           completed=tuple(self._completed.pop(feed.id, [])))

    def _record_failed(self, feed: Feed, exc: Exception, added: list[str]) -> FeedOutcome:
        failures = feed.error_count + 1
        minutes = min(BACKOFF_BASE_MINUTES * 2 ** (failures - 1), MAX_BACKOFF_MINUTES)
        if getattr(exc, "kind", "") == "offline":  # this machine is offline, not the feed broken: ask soon
            minutes = BACKOFF_BASE_MINUTES
        retry_after = getattr(exc, "retry_after", None)
        if retry_after:
            minutes = max(minutes, int(retry_after // 60) + 1)
        next_check = _iso(datetime.now(UTC) + timedelta(minutes=minutes))
        self.store.record_failure(feed.id, str(exc), next_check=next_check)
        return FeedOutcome(feed.id, feed.display_title, feed.url, "failed", tuple(added), error=str(exc),
                           next_check=next_check)
