"""The ``reader`` command: plain ``reader`` opens the app, subcommands work on the
library from the shell (the same code paths as the GUI; tests and benchmarks
drive the app through them).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reader import __version__, paths
from reader.logs import setup_logging

NO_DISPLAY_HELP = """\
reader: no display found (DISPLAY and WAYLAND_DISPLAY are not set).
Run the app on a virtual display:      xvfb-run -a reader
or without any window (tests, smoke):  QT_QPA_PLATFORM=offscreen reader
"""


class CliError(Exception):
    """A user-facing error: printed as one line, exit status 1."""


# ---------------------------------------------------------------------------
def _open_library() -> Any:
    from reader.store import Library

    return Library.open(paths.database_path())


def _resolve(lib: Any, article_id: str) -> str:
    full = lib.resolve_id(article_id)
    if full is None:
        raise CliError(f"no article with id {article_id!r} (see `reader list`)")
    return str(full)


def _progress_printer(label: str, enabled: bool) -> Any:
    """A progress callback printing one updating line on stderr (for many items)."""
    if not enabled:
        return None

    def show(done: int, total: int, name: str = "") -> None:
        if total < 20 and done < total:
            return
        sys.stderr.write(f"\r{label} {done}/{total} {name[:40]:<40}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


def _search_index() -> Any:
    from reader.search import SearchIndex

    return SearchIndex(paths.index_dir())


def _refresh_index(quiet: bool = False) -> Any:
    """Bring the search index up to date; a failed write (a full disk...) is one
    line on stderr, not a traceback: the library is fine and the old index still
    answers, and the next refresh tries again."""
    index = _search_index()
    try:
        index.refresh(paths.database_path(), progress=_progress_printer("indexing", not quiet and sys.stderr.isatty()))
    except OSError as exc:
        where = exc.filename or paths.index_dir()
        print(f"reader: the search index could not be updated ({where}: {exc.strerror or exc}); "
              "the library is intact and the next search or start tries again", file=sys.stderr)
    return index


# ---- subcommands -----------------------------------------------------------
def cmd_import(args: argparse.Namespace) -> int:
    from reader.store.importer import import_paths

    lib = _open_library()
    report = import_paths(lib, [Path(p) for p in args.paths], progress=_progress_printer("importing", sys.stderr.isatty()))
    for error in report.errors:
        print(f"error: {error}", file=sys.stderr)
    if report.changed_ids and not args.no_entities:
        _compute_entities(args.backend, quiet=False)
    if report.changed_ids and not args.no_index:
        _refresh_index()
    print(f"imported: {report.summary()}")
    return 0 if report.stored or not report.errors else 1


def _compute_entities(backend: str, quiet: bool) -> int:
    from reader.jobs.entities import compute_for_library

    return compute_for_library(
        paths.database_path(), backend=backend, progress=_progress_printer("entities", not quiet and sys.stderr.isatty())
    )


def cmd_list(args: argparse.Namespace) -> int:
    lib = _open_library()
    rows = lib.all_rows(args.sort)
    if args.json:
        print(json.dumps([
            {"id": r.id, "date": r.sort_date, "source": r.source, "title": r.title,
             "bookmarked": r.bookmarked, "notes": r.note_count}
            for r in rows
        ], ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        date = (r.sort_date or "")[:10] or "-"
        star = "*" if r.bookmarked else " "
        print(f"{r.id}  {date:<10}  {star} {r.source or '-':<6}  {r.title}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    lib = _open_library()
    article = lib.article(_resolve(lib, args.id))
    if args.format == "json":
        print(json.dumps(article.to_json(), ensure_ascii=False, indent=2))
    elif args.format == "text":
        print(article.plain_text)
    else:
        print(article.to_markdown())
    return 0


def _bookmark(args: argparse.Namespace, on: bool) -> int:
    lib = _open_library()
    article_id = _resolve(lib, args.id)
    lib.set_bookmark(article_id, on)
    _update_index([article_id])
    print(("bookmarked " if on else "unbookmarked ") + article_id)
    return 0


def _update_index(ids: Sequence[str]) -> None:
    """Push user-data changes (bookmarks, notes, tags) into the search index, if there is one."""
    try:
        index = _search_index()
        if index.is_ready():
            lib = _open_library()
            index.update_docs(lib.index_docs(ids))
    except ImportError:
        pass


def cmd_annotate(args: argparse.Namespace) -> int:
    lib = _open_library()
    article_id = _resolve(lib, args.id)
    try:
        ann = lib.annotate_quote(article_id, args.quote, note=args.note or "", colour=args.colour,
                                 tags=[t for t in (args.tag or []) if t])
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    _update_index([article_id])
    print(f"annotated {article_id} at {ann.start}-{ann.end} ({ann.id})")
    return 0


def cmd_annotations(args: argparse.Namespace) -> int:
    from reader.store import export

    lib = _open_library()
    ids = [_resolve(lib, args.id)] if args.id else None
    if args.format == "json":
        text = json.dumps(export.annotations_to_w3c(lib, ids), ensure_ascii=False, indent=2)
    else:
        text = export.annotations_to_markdown(lib, ids)
    if args.output:
        _write_atomic(Path(args.output), text)
        print(f"wrote {args.output}")
    else:
        print(text)
    return 0


def cmd_import_notes(args: argparse.Namespace) -> int:
    from reader.store import export

    lib = _open_library()
    try:
        data = json.loads(Path(args.file).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CliError(f"{args.file}: not a readable JSON notes file ({exc})") from exc
    report = export.import_w3c(lib, data)
    print(report.summary() if hasattr(report, "summary") else report)
    _update_index(lib.ids())
    return 0


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def cmd_search(args: argparse.Namespace) -> int:
    index = _refresh_index(quiet=True)
    lib = _open_library()
    result = index.search(" ".join(args.query), lib, limit=args.limit, sort=args.sort)
    facets = None
    if args.facets:  # over every result, not only the ones shown
        from reader.store.entity_views import facets as facet_counts

        every = index.search(" ".join(args.query), lib, limit=max(result.total, 1), sort=args.sort)
        facets = facet_counts(lib, [h.id for h in every.hits])
    if args.json:
        print(json.dumps({
            "query": result.query, "total": result.total, "suggestion": result.suggestion, "error": result.error,
            "hits": [{"id": h.id, "title": h.title, "source": h.source,
                      "published": h.published.isoformat() if h.published else None,
                      "score": round(h.score, 4), "snippet": h.snippet} for h in result.hits],
            **({"facets": {k: [[v, n] for v, n in vals] for k, vals in facets.items()}} if facets is not None else {}),
        }, ensure_ascii=False, indent=2))
        return 0
    if result.error:
        print(f"query problem: {result.error}", file=sys.stderr)
    if result.suggestion:
        print(f"did you mean: {result.suggestion}")
    print(f"{result.total} result(s)")
    for h in result.hits:
        date = h.published.date().isoformat() if h.published else "-"
        print(f"{h.id}  {date:<10}  {h.title}")
        snippet = h.snippet.replace("<b>", "[").replace("</b>", "]")
        import html

        print(f"    {html.unescape(snippet)}")
    for name, values in (facets or {}).items():
        if values:
            print(f"{name}: " + ", ".join(f"{v} ({n})" for v, n in values))
    return 0


def cmd_related(args: argparse.Namespace) -> int:
    index = _refresh_index(quiet=True)
    lib = _open_library()
    for r in index.related(_resolve(lib, args.id), lib, limit=args.limit):
        print(f"{r.id}  {r.score:6.2f}  {r.title}")
        if r.reasons:
            print(f"    because: {', '.join(r.reasons)}")
    return 0


def cmd_reindex(args: argparse.Namespace) -> int:
    index = _search_index()
    stats = index.refresh(paths.database_path(), progress=_progress_printer("indexing", True), full=True)
    print(f"index rebuilt: {index.doc_count()} articles in {stats.seconds:.1f} s")
    return 0


def cmd_entities(args: argparse.Namespace) -> int:
    from reader.core.entities import entities_to_jsonl, get_recogniser

    if args.id:
        lib = _open_library()
        text = lib.plain_text(_resolve(lib, args.id))
    else:
        # bytes decoded as UTF-8 with no newline translation: the offsets index
        # the text exactly as given (CRLF included) - the evaluation's contract
        name = "standard input" if args.file in (None, "-") else args.file
        try:
            data = sys.stdin.buffer.read() if args.file in (None, "-") else Path(args.file).read_bytes()
            text = data.decode("utf-8")
        except OSError as exc:
            raise CliError(f"{name}: cannot read ({exc.strerror or exc})") from exc
        except UnicodeDecodeError as exc:
            raise CliError(f"{name}: not UTF-8 text (byte {exc.start}: {exc.reason})") from exc
    if args.format == "jsonl":
        for line in entities_to_jsonl(text, args.backend):
            print(line)
    else:
        for span in get_recogniser(args.backend).recognise(text):
            print(f"{span.start}\t{span.end}\t{span.label}\t{span.text}")
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    if args.smoke:
        return _smoke()
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")):
        sys.stderr.write(NO_DISPLAY_HELP)
        return 2
    from reader.ui.app import run_gui

    return int(run_gui(sys.argv[:1] + (["--debug-stalls"] if args.debug_stalls else [])))


def _smoke() -> int:
    """Start, import the seeds into a temporary READER_HOME, index, render, search; one JSON line."""
    import tempfile

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="reader-smoke-") as home:
        os.environ["READER_HOME"] = home
        from reader.ui.app import smoke

        summary = smoke()
    # This is a fresh process: Whoosh must have stayed in the search process
    # (its work beside the GUI thread stalls the GUI: reader/search/service.py).
    summary["whoosh_in_app_process"] = "whoosh" in sys.modules
    summary["ok"] = bool(summary.get("ok")) and not summary["whoosh_in_app_process"]
    print(json.dumps(summary, ensure_ascii=False))
    return 0 if summary.get("ok") else 1


# ---------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reader", description="Read, search and annotate news articles.")
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log to stderr too")
    parser.add_argument("--smoke", action="store_true", help="start, import seeds, index, render, search; exit")
    parser.add_argument("--debug-stalls", action="store_true", help="log GUI-thread stalls over 50 ms")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("import", help="import files or folders (DW scrapes, Markdown, plain text)")
    p.add_argument("paths", nargs="+")
    p.add_argument("--no-entities", action="store_true", help="do not recognise entities now")
    p.add_argument("--no-index", action="store_true", help="do not update the search index now")
    p.add_argument("--backend", default="auto", choices=["auto", "combined", "spacy", "rules"])
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("list", help="list the library")
    p.add_argument("--json", action="store_true")
    p.add_argument("--sort", default="date", choices=["date", "title", "source"])
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("show", help="show one article")
    p.add_argument("id")
    p.add_argument("--format", default="markdown", choices=["markdown", "text", "json"])
    p.set_defaults(func=cmd_show)

    for name, on in (("bookmark", True), ("unbookmark", False)):
        p = sub.add_parser(name, help=f"{name} an article")
        p.add_argument("id")
        p.set_defaults(func=lambda a, on=on: _bookmark(a, on))

    p = sub.add_parser("annotate", help="highlight a passage (with an optional note)")
    p.add_argument("id")
    p.add_argument("--quote", required=True, help="the exact text to highlight")
    p.add_argument("--note")
    p.add_argument("--colour", "--color", default="yellow")
    p.add_argument("--tag", action="append")
    p.set_defaults(func=cmd_annotate)

    p = sub.add_parser("annotations", aliases=["export"], help="export annotations (all, or of one article)")
    p.add_argument("id", nargs="?")
    p.add_argument("--format", default="markdown", choices=["markdown", "json"])
    p.add_argument("-o", "--output", help="write to this file instead of stdout")
    p.set_defaults(func=cmd_annotations)

    p = sub.add_parser("import-notes", help="import annotations from a W3C Web Annotation JSON export")
    p.add_argument("file")
    p.set_defaults(func=cmd_import_notes)

    p = sub.add_parser("search", help="search the library (see the query syntax in the README)")
    p.add_argument("query", nargs="+")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--sort", default="relevance", choices=["relevance", "date"])
    p.add_argument("--json", action="store_true")
    p.add_argument("--facets", action="store_true", help="counts by person, org, place, source, section, tag, year")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("related", help="articles related to one article")
    p.add_argument("id")
    p.add_argument("--limit", type=int, default=10)
    p.set_defaults(func=cmd_related)

    p = sub.add_parser("reindex", help="rebuild the search index from the library")
    p.set_defaults(func=cmd_reindex)

    p = sub.add_parser("entities", help="print the named entities of a text (JSON lines)")
    p.add_argument("file", nargs="?", help="a text file, or - for stdin (default)")
    p.add_argument("--id", help="an article id instead of a file")
    p.add_argument("--backend", default="auto", choices=["auto", "combined", "spacy", "rules"])
    p.add_argument("--format", default="jsonl", choices=["jsonl", "text"])
    p.set_defaults(func=cmd_entities)

    from reader import cli_entity  # `reader entity list|show|merge|retype|hide|unhide|rename ...`

    cli_entity.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging(args.verbose)
    func = getattr(args, "func", None)
    try:
        if func is None:
            return cmd_gui(args)
        return int(func(args))
    except CliError as exc:
        print(f"reader: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # StoreError and friends: one clear line, details in the log
        from reader.store import StoreError

        if isinstance(exc, StoreError):
            print(f"reader: {exc}", file=sys.stderr)
            return 1
        raise
