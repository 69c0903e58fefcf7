"""The job functions of the Feeds sidebar and Add from link (run by the
window's :class:`~reader.ui.workers.TaskRunner`; see :mod:`reader.ui.jobs`).
Network work and extraction run in processes of their own (the GUI never
waits for their GIL)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from reader.feeds.opml import OpmlError, read_opml, write_opml
from reader.feeds.refresh import RefreshReport, subscribe
from reader.jobs.feeds import refresh_in_process
from reader.jobs.links import add_links_in_process
from reader.net.fetch import Fetcher
from reader.net.links import AddReport
from reader.store.feeds import Feed, FeedSnapshot
from reader.ui.jobs import library_at
from reader.ui.workers import JobContext

#: the sidebar's two views (see :mod:`reader.ui.panels.feeds_panel`)
ALL_UNREAD, TODAY = "all_unread", "today"


def today_start() -> str:
    """Local midnight today, as the ISO UTC time ``FeedStore.article_ids(since=)`` takes."""
    local = datetime.now().astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
    return local.astimezone(UTC).isoformat(timespec="seconds")


def job_feed_state(ctx: JobContext, db_path: Path) -> tuple[list[Feed], int, int]:
    """(every feed with its counts, unread feed articles, feed articles first seen today)."""
    with library_at(db_path) as lib:
        store = lib.feeds
        return (store.all(), len(store.article_ids(unread_only=True)),
                len(store.article_ids(since=today_start())))


def job_feed_view_ids(ctx: JobContext, db_path: Path, view: object) -> list[str]:
    """The article ids a sidebar view lists."""
    with library_at(db_path) as lib:
        if view == ALL_UNREAD:
            return lib.feeds.article_ids(unread_only=True)
        if view == TODAY:
            return lib.feeds.article_ids(since=today_start())
        return lib.feeds.article_ids(int(view))  # type: ignore[call-overload]


def job_refresh(ctx: JobContext, db_path: Path, feed_ids: tuple[int, ...] | None, force: bool) -> RefreshReport:
    return refresh_in_process(db_path, feed_ids, force=force,
                              progress=lambda d, t, n: ctx.progress(d, t, n), cancel=ctx.cancelled)


def job_subscribe(ctx: JobContext, db_path: Path, url: str, name: str | None) -> Feed:
    """Find the feed at ``url`` (or the one its page announces) and subscribe."""
    with library_at(db_path) as lib, Fetcher() as fetcher:
        return subscribe(lib.feeds, fetcher, url, name=name, cancel=ctx.cancelled)


def job_remove_feed(ctx: JobContext, db_path: Path, feed_id: int) -> FeedSnapshot | None:
    with library_at(db_path) as lib:
        return lib.feeds.remove_for_undo(feed_id)


def job_restore_feed(ctx: JobContext, db_path: Path, snapshot: FeedSnapshot) -> Feed:
    with library_at(db_path) as lib:
        return lib.feeds.restore(snapshot)


def job_mark_read(ctx: JobContext, db_path: Path, ids: tuple[str, ...], read: bool) -> list[str]:
    """Mark ``ids`` read (or unread); returns them."""
    with library_at(db_path) as lib:
        lib.feeds.mark_read(ids, read)
    return list(ids)


def job_mark_view_read(ctx: JobContext, db_path: Path, view: object) -> list[str]:
    """Mark every unread article of a view (a feed, All unread, Today; ``None``: all feeds) read."""
    with library_at(db_path) as lib:
        if isinstance(view, int):
            ids = lib.feeds.article_ids(view, unread_only=True)
        elif view == TODAY:
            ids = lib.feeds.article_ids(unread_only=True, since=today_start())
        else:
            ids = lib.feeds.article_ids(unread_only=True)
        lib.feeds.mark_read(ids, True)
        return ids


def job_import_opml(ctx: JobContext, db_path: Path, path: str) -> tuple[int, int, list[str]]:
    """(feeds added, already subscribed, problems) of an OPML file."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise OpmlError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    found, problems = read_opml(data, name=path)
    added = known = 0
    with library_at(db_path) as lib:
        for item in found:
            if lib.feeds.by_url(item.url) is not None:
                known += 1
                continue
            lib.feeds.add(item.url, name=item.title or None, site_url=item.site_url, folder=item.folder)
            added += 1
    return added, known, problems


def job_export_opml(ctx: JobContext, db_path: Path, path: str) -> int:
    with library_at(db_path) as lib:
        feeds = lib.feeds.all()
    text = write_opml([(f.url, f.display_title, f.site_url, f.folder) for f in feeds])
    Path(path).write_text(text, encoding="utf-8")
    return len(feeds)


def job_add_links(ctx: JobContext, db_path: Path, urls: tuple[str, ...]) -> AddReport:
    return add_links_in_process(db_path, urls, progress=lambda d, t, n: ctx.progress(d, t, n), cancel=ctx.cancelled)


__all__ = ["ALL_UNREAD", "TODAY", "job_add_links", "job_export_opml", "job_feed_state", "job_feed_view_ids",
           "job_import_opml", "job_mark_read", "job_mark_view_read", "job_refresh", "job_remove_feed",
           "job_restore_feed", "job_subscribe"]
