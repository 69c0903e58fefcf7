"""The network commands of ``reader``: ``add URL...`` and ``feeds ...``.

Registered by :func:`register` from :mod:`reader.cli`; the handlers use the
same library code as the GUI's workers (:mod:`reader.net.links`,
:mod:`reader.feeds.refresh`).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from typing import Any


def _cli() -> Any:
    from reader import cli

    return cli


def _after_changes(args: argparse.Namespace, changed: list[str]) -> None:
    """Entities and the search index for new articles, as ``reader import`` does."""
    cli = _cli()
    if changed and not getattr(args, "no_entities", False):
        cli._compute_entities(getattr(args, "backend", "auto"), quiet=False)
    if changed and not getattr(args, "no_index", False):
        cli._refresh_index()


# ---- reader add ------------------------------------------------------------------
def cmd_add(args: argparse.Namespace) -> int:
    from reader.net.links import add_links, split_urls

    urls = split_urls(args.urls)
    if not urls:
        raise _cli().CliError("no URL given")
    lib = _cli()._open_library()
    show = _cli()._progress_printer("fetching", not args.json and sys.stderr.isatty())
    report = add_links(lib, urls, progress=show)
    if args.json:
        print(json.dumps([r.to_json() for r in report.results], ensure_ascii=False, indent=2))
    else:
        for r in report.results:
            if r.ok:
                print(f"{r.outcome}: {r.article_id}  {r.title}  ({r.url})")
    for r in report.failed:
        print(f"error: {r.error}", file=sys.stderr)
    _after_changes(args, report.changed_ids)
    if not args.json:
        print(f"links: {report.summary()}")
    return 1 if report.failed else 0


# ---- reader import with web addresses among the paths ------------------------------
_URL = re.compile(r"^https?:/", re.IGNORECASE)


def cmd_import(args: argparse.Namespace) -> int:
    """``reader import``: web addresses among the paths are fetched as by
    ``reader add``; the files and folders are imported as always."""
    urls = [p for p in args.paths if _URL.match(p)]
    if not urls:
        return int(_cli().cmd_import(args))
    from reader.net.links import add_links

    lib = _cli()._open_library()
    report = add_links(lib, urls)
    for r in report.results:
        if r.ok:
            print(f"{r.outcome}: {r.article_id}  {r.title}  ({r.url})")
        else:
            print(f"error: {r.error}", file=sys.stderr)
    print(f"links: {report.summary()}")
    files = [p for p in args.paths if not _URL.match(p)]
    code = 0
    if files:
        args.paths = files
        code = int(_cli().cmd_import(args))
    else:
        _after_changes(args, report.changed_ids)
    return 1 if report.failed or code else 0


# ---- reader list --json with url, feed, read --------------------------------------
def cmd_list(args: argparse.Namespace) -> int:
    """``reader list``; with ``--json`` each article also has ``url``, ``feed`` and ``read``."""
    if not args.json:
        return int(_cli().cmd_list(args))
    from reader.store.feeds import FeedStore

    lib = _cli()._open_library()
    rows = lib.all_rows(args.sort)
    extra = FeedStore(lib.conn).article_links()
    out = []
    for r in rows:
        url, feed = extra.get(r.id, (None, None))
        out.append({"id": r.id, "date": r.sort_date, "source": r.source, "title": r.title,
                    "bookmarked": r.bookmarked, "notes": r.note_count, "url": url, "feed": feed, "read": r.is_read})
    print(json.dumps(out, ensure_ascii=False, indent=2))
    return 0


# ---- reader feeds ... ----------------------------------------------------------------
def _feed_id(store: Any, value: str) -> int:
    cli = _cli()
    if not value.strip().isdigit() or store.get(int(value)) is None:
        raise cli.CliError(f"no feed with id {value!r} (see `reader feeds list`)")
    return int(value)


def _print_refresh(report: Any, as_json: bool) -> None:
    if as_json:
        print(json.dumps({"summary": report.summary(), "feeds": [o.to_json() for o in report.outcomes]},
                         ensure_ascii=False, indent=2))
        return
    for o in report.outcomes:
        if o.status == "failed":
            print(f"error: feed {o.feed_id}: {o.error}", file=sys.stderr)
        elif o.status == "not_due":
            print(f"feed {o.feed_id} {o.title}: not due before {o.next_check} (use --force)")
        elif o.status == "not_modified":
            print(f"feed {o.feed_id} {o.title}: nothing new (not modified)")
        else:
            print(f"feed {o.feed_id} {o.title}: {len(o.added)} new")
        for problem in o.item_errors:
            print(f"warning: kept the summary only: {problem}", file=sys.stderr)
    print(f"feeds: {report.summary()}")


def cmd_feeds_add(args: argparse.Namespace) -> int:
    from reader.feeds.parse import FeedError
    from reader.feeds.refresh import Refresher, subscribe
    from reader.net.fetch import Fetcher, FetchError
    from reader.store.feeds import FeedExistsError

    cli = _cli()
    lib = cli._open_library()
    with Fetcher() as fetcher:
        try:
            feed = subscribe(lib.feeds, fetcher, args.url, name=args.name, full_text=not args.no_full_text)
        except (FetchError, FeedError, FeedExistsError) as exc:
            raise cli.CliError(str(exc)) from exc
        print(f"subscribed: feed {feed.id} {feed.display_title} ({feed.url})")
        if args.no_refresh:
            return 0
        report = Refresher(lib, fetcher=fetcher).refresh([feed.id], force=True)
    _print_refresh(report, args.json)
    _after_changes(args, report.changed_ids)
    return 1 if report.failed else 0


def cmd_feeds_list(args: argparse.Namespace) -> int:
    lib = _cli()._open_library()
    feeds = lib.feeds.all()
    if args.json:
        print(json.dumps([f.to_json() for f in feeds], ensure_ascii=False, indent=2))
        return 0
    if not feeds:
        print("no feeds (add one with `reader feeds add URL`)")
    for f in feeds:
        state = f"last success {f.last_success or 'never'}"
        if f.last_error:
            state = f"error: {f.last_error} ({state})"
        print(f"{f.id:>4}  {f.unread:>4} unread  {f.display_title}  <{f.url}>  {state}")
    return 0


def cmd_feeds_refresh(args: argparse.Namespace) -> int:
    from reader.feeds.refresh import Refresher

    lib = _cli()._open_library()
    ids = [_feed_id(lib.feeds, v) for v in args.ids] if args.ids else None
    show = _cli()._progress_printer("feeds", not args.json and sys.stderr.isatty())
    report = Refresher(lib, extract_processes=args.processes).refresh(ids, force=args.force or bool(ids),
                                                                      progress=show)
    _print_refresh(report, args.json)
    _after_changes(args, report.changed_ids)
    return 1 if report.failed else 0


def cmd_feeds_remove(args: argparse.Namespace) -> int:
    lib = _cli()._open_library()
    feed = lib.feeds.remove(_feed_id(lib.feeds, args.id))
    print(f"removed feed {feed.id} {feed.display_title} (its {feed.total} articles stay in the library)")
    return 0


def cmd_feeds_set(args: argparse.Namespace) -> int:
    lib = _cli()._open_library()
    feed_id = _feed_id(lib.feeds, args.id)
    full_text = None if args.full_text is None else args.full_text == "on"
    lib.feeds.update(feed_id, name=args.name, full_text=full_text)
    feed = lib.feeds.get(feed_id)
    print(f"feed {feed.id} {feed.display_title}: full text {'on' if feed.full_text else 'off'}")
    return 0


def cmd_feeds_mark_read(args: argparse.Namespace) -> int:
    lib = _cli()._open_library()
    feed_id = _feed_id(lib.feeds, args.id) if args.id else None
    print(f"marked {lib.feeds.mark_all_read(feed_id)} articles read")
    return 0


def cmd_feeds_import_opml(args: argparse.Namespace) -> int:
    from pathlib import Path

    from reader.feeds.opml import OpmlError, read_opml

    cli = _cli()
    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        raise cli.CliError(f"{args.file}: cannot read ({exc.strerror or exc})") from exc
    try:
        found, problems = read_opml(data, name=args.file)
    except OpmlError as exc:
        raise cli.CliError(str(exc)) from exc
    lib = cli._open_library()
    added = skipped = 0
    for item in found:
        if lib.feeds.by_url(item.url) is not None:
            skipped += 1
            continue
        lib.feeds.add(item.url, name=item.title or None, site_url=item.site_url, folder=item.folder)
        added += 1
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    print(f"opml: {added} feeds added, {skipped} already subscribed, {len(problems)} failed"
          + ("; `reader feeds refresh` fetches them" if added else ""))
    return 1 if problems and not added else 0


def cmd_feeds_export_opml(args: argparse.Namespace) -> int:
    from pathlib import Path

    from reader.feeds.opml import write_opml

    lib = _cli()._open_library()
    text = write_opml([(f.url, f.display_title, f.site_url, f.folder) for f in lib.feeds.all()])
    if args.output:
        _cli()._write_file(Path(args.output), text)
        print(f"wrote {args.output}")
    else:
        sys.stdout.write(text)
    return 0


def register_feeds(sub: Any) -> None:
    """``reader feeds add|list|refresh|remove|set|mark-read|import-opml|export-opml``."""
    feeds = sub.add_parser("feeds", help="subscribe to RSS, Atom and JSON feeds and refresh them")
    fsub = feeds.add_subparsers(dest="feeds_command", metavar="ACTION", required=True)

    def network_options(p: Any) -> None:
        p.add_argument("--json", action="store_true")
        p.add_argument("--no-entities", action="store_true", help="do not recognise entities now")
        p.add_argument("--no-index", action="store_true", help="do not update the search index now")
        p.add_argument("--backend", default="auto", choices=["auto", "combined", "spacy", "rules"])

    p = fsub.add_parser("add", help="subscribe to a feed (or the feed a site's page announces)")
    p.add_argument("url")
    p.add_argument("--name", help="the name to show instead of the feed's title")
    p.add_argument("--no-full-text", action="store_true", help="keep summaries; do not fetch items' pages")
    p.add_argument("--no-refresh", action="store_true", help="do not fetch its items now")
    network_options(p)
    p.set_defaults(func=cmd_feeds_add)

    p = fsub.add_parser("list", help="the feeds with unread counts, last success and last error")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_feeds_list)

    p = fsub.add_parser("refresh", help="fetch new items (all feeds that are due, or the given ones)")
    p.add_argument("ids", nargs="*", metavar="ID")
    p.add_argument("--force", action="store_true", help="also feeds whose ttl or backoff has not passed")
    p.add_argument("--processes", type=int, default=0, metavar="N",
                   help="extract fetched pages in N extra processes (for big refreshes on idle cores)")
    network_options(p)
    p.set_defaults(func=cmd_feeds_refresh)

    p = fsub.add_parser("remove", help="unsubscribe (the articles stay in the library)")
    p.add_argument("id")
    p.set_defaults(func=cmd_feeds_remove)

    p = fsub.add_parser("set", help="rename a feed or switch fetching full text")
    p.add_argument("id")
    p.add_argument("--name", help="a new name (\"\" for the feed's own title)")
    p.add_argument("--full-text", choices=["on", "off"], help="fetch the page of summary-only items")
    p.set_defaults(func=cmd_feeds_set)

    p = fsub.add_parser("mark-read", help="mark all articles of a feed (or of all feeds) read")
    p.add_argument("id", nargs="?")
    p.set_defaults(func=cmd_feeds_mark_read)

    p = fsub.add_parser("import-opml", help="subscribe to the feeds of an OPML file")
    p.add_argument("file")
    p.set_defaults(func=cmd_feeds_import_opml)

    p = fsub.add_parser("export-opml", help="write the subscriptions as OPML")
    p.add_argument("-o", "--output", help="write to this file instead of stdout")
    p.set_defaults(func=cmd_feeds_export_opml)


def register(sub: Any) -> None:
    """Add ``add`` and ``feeds`` to the ``reader`` command's subparsers (and
    give ``list --json`` its network fields)."""
    p = sub.add_parser("add", help="fetch web pages by their links and import their articles")
    p.add_argument("urls", nargs="+", metavar="URL")
    p.add_argument("--json", action="store_true", help="print one JSON result per URL")
    p.add_argument("--no-entities", action="store_true", help="do not recognise entities now")
    p.add_argument("--no-index", action="store_true", help="do not update the search index now")
    p.add_argument("--backend", default="auto", choices=["auto", "combined", "spacy", "rules"])
    p.set_defaults(func=cmd_add)

    if "list" in sub.choices:
        sub.choices["list"].set_defaults(func=cmd_list)
    if "import" in sub.choices:
        sub.choices["import"].set_defaults(func=cmd_import)
    register_feeds(sub)
