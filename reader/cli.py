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
    """A user-facing error: printed as one line (plus any listing), exit status 1."""


AMBIGUOUS_SHOWN = 5  # ids listed when an id prefix matches several articles
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what a shell reports for `cat big | head`


# ---------------------------------------------------------------------------
def _open_library() -> Any:
    from reader.store import Library

    return Library.open(paths.database_path())


def _resolve(lib: Any, article_id: str) -> str:
    """The full id for an id or the start of one; an unknown or ambiguous one is a clear error."""
    from reader.store.lookup import id_prefix_matches

    # not Library.resolve_id: its LIKE reads "%" and "_" as wildcards, and None says neither unknown nor ambiguous
    matches = id_prefix_matches(lib.conn, article_id, limit=AMBIGUOUS_SHOWN)
    if matches.unique_id is not None:
        return matches.unique_id
    if matches.count > 1:
        shown = "\n".join(f"  {aid}  {title}" for aid, title in matches.sample)
        more = f"\n  ... and {matches.count - len(matches.sample)} more" if matches.count > len(matches.sample) else ""
        raise CliError(f"ambiguous: {matches.count} articles start with {article_id!r}; "
                       f"give more of the id:\n{shown}{more}")
    raise CliError(f"no article with id {article_id!r} (see `reader list`)")


def _emit(text: str, chunk: int = 16384) -> None:
    """Write ``text`` to stdout in pieces: a reader that goes away mid-way
    (``| head``) then shows as BrokenPipeError on the next piece, where one
    big write would end silently half done."""
    for k in range(0, len(text), chunk):
        sys.stdout.write(text[k : k + chunk])


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
    """``reader import PATH...``: files and folders; each failed file is an ``error:``
    line on stderr, each file passed over a ``<path>: skipped (<why>)`` line after the summary."""
    from reader.jobs.imports import import_files

    lib = _open_library()
    report = import_files(lib, list(args.paths), progress=_progress_printer("importing", sys.stderr.isatty()),
                          tag_from_folder=args.tag_from_folder)
    for error in report.errors:
        print(f"error: {error}", file=sys.stderr)
    if report.changed_ids and not args.no_entities:
        _compute_entities(args.backend, quiet=False)
    if (report.changed_ids or (args.tag_from_folder and report.stored)) and not args.no_index:
        _refresh_index()
    print(f"imported: {report.summary()}")
    for line in report.skipped:
        print(line)
    for line in report.warnings:
        print(f"warning: {line}")
    # 0 only when every file given was imported or skipped on purpose (unchanged,
    # or not an article file inside a folder); any failure is reported and non-zero,
    # and so is an import that found no article at all (only skipped files)
    if report.errors or report.cancelled:
        return 1
    return 1 if report.skipped and not report.stored else 0


def _compute_entities(backend: str, quiet: bool) -> int:
    from reader.jobs.entities import compute_for_library

    return compute_for_library(
        paths.database_path(), backend=backend, progress=_progress_printer("entities", not quiet and sys.stderr.isatty())
    )


def cmd_list(args: argparse.Namespace) -> int:
    lib = _open_library()
    rows = lib.all_rows(args.sort)
    if args.json:
        _emit(json.dumps([
            {"id": r.id, "date": r.sort_date, "source": r.source, "title": r.title,
             "bookmarked": r.bookmarked, "notes": r.note_count}
            for r in rows
        ], ensure_ascii=False, indent=2) + "\n")
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
        _emit(json.dumps(article.to_json(), ensure_ascii=False, indent=2) + "\n")
    elif args.format == "text":
        _emit(article.plain_text + "\n")
    else:
        _emit(article.to_markdown() + "\n")
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
    text = lib.plain_text(article_id) or ""
    from reader.cli_quotes import choose_occurrence

    start = choose_occurrence(text, args.quote, occurrence=args.occurrence, prefix=args.prefix or "",
                              suffix=args.suffix or "")
    try:
        ann = lib.annotate(article_id, start, start + len(args.quote), note=args.note or "", colour=args.colour,
                           tags=[t for t in (args.tag or []) if t])
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    _update_index([article_id])
    print(f"annotated {article_id} at {ann.start}-{ann.end} ({ann.id})")
    return 0


def cmd_annotations(args: argparse.Namespace) -> int:
    """Notes out: Markdown or W3C JSON to a file or stdout; Obsidian notes into a folder."""
    from reader.store import export

    lib = _open_library()
    ids = [_resolve(lib, args.id)] if args.id else None
    if args.format == "obsidian":
        from reader.store.export_obsidian import write_obsidian

        if not args.output:
            raise CliError("--format obsidian writes one file per article: give the folder with -o DIR")
        try:
            written = write_obsidian(lib, Path(args.output), ids)
        except OSError as exc:
            raise CliError(f"{exc.filename or args.output}: cannot write ({exc.strerror or exc})") from exc
        print(f"wrote {len(written)} note file(s) to {args.output}")
        return 0
    text = export.notes_text(lib, args.format, ids)
    if args.output:
        _write_file(Path(args.output), text)
        print(f"wrote {args.output}")
    else:
        _emit(text)
    return 0


ARTICLE_FORMATS = ("markdown", "html", "pdf")


def cmd_export(args: argparse.Namespace) -> int:
    """``reader export ID``: the article with its highlights and notes (Markdown, HTML, PDF).
    Without an ID, or with a notes-only format (json, obsidian), it is ``reader annotations``."""
    if args.id is None or args.format not in ARTICLE_FORMATS:
        if args.format not in export_notes_formats():
            raise CliError(f"--format {args.format} exports one article: give its id (reader export ID ...)")
        return cmd_annotations(args)
    from reader.store.export_article import article_html, article_markdown

    lib = _open_library()
    article_id = _resolve(lib, args.id)
    if args.format == "pdf":
        if not args.output or args.output == "-":
            raise CliError("a PDF is not written to the terminal: give the file with -o FILE")
        from reader.ui.printing import write_pdf

        article = lib.article(article_id)
        try:
            write_pdf(article_html(lib, article_id), Path(args.output), title=article.title if article else "")
        except OSError as exc:
            raise CliError(f"{args.output}: cannot write the PDF ({exc.strerror or exc})") from None
        print(f"wrote {args.output}")
        return 0
    text = article_markdown(lib, article_id) if args.format == "markdown" else article_html(lib, article_id)
    if args.output and args.output != "-":
        _write_file(Path(args.output), text)
        print(f"wrote {args.output}")
    else:
        _emit(text)
    return 0


def export_notes_formats() -> tuple[str, ...]:
    """The formats ``reader annotations`` writes."""
    from reader.store.export import NOTE_FORMATS

    return (*NOTE_FORMATS, "obsidian")


def cmd_import_notes(args: argparse.Namespace) -> int:
    from reader.store import export

    lib = _open_library()
    try:
        data = json.loads(Path(args.file).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CliError(f"{args.file}: not a readable JSON notes file ({exc})") from exc
    report = export.import_w3c(lib, data)
    if report.not_annotations:
        raise CliError(f"{args.file}: {report.not_annotations}")
    print(report.summary())
    if report.added or report.updated:
        _update_index(lib.ids())
    if report.failed:
        print(f"reader: {args.file}: {len(report.failed)} of the notes could not be imported (listed above)",
              file=sys.stderr)
        return 1
    return 0


def _write_file(path: Path, text: str) -> None:
    """Write atomically (a failed write leaves an earlier file intact); errors as one line."""
    from reader.fsutil import atomic_write

    try:
        atomic_write(path, text)
    except OSError as exc:
        raise CliError(f"{path}: cannot write ({exc.strerror or exc})") from exc


def _positive_int(text: str) -> int:
    value = _non_negative_int(text)
    if value == 0:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {text!r}")
    return value


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {text!r}")
    return value


def cmd_search(args: argparse.Namespace) -> int:
    index = _refresh_index(quiet=True)
    lib = _open_library()
    result = index.search(" ".join(args.query), lib, limit=args.limit, sort=args.sort, offset=args.offset)
    facets = None
    if args.facets:  # over every result, not only the ones shown
        from reader.store.entity_views import facets as facet_counts

        every = index.search(" ".join(args.query), lib, limit=max(result.total, 1), sort=args.sort)
        facets = facet_counts(lib, [h.id for h in every.hits])
    if args.json:
        _emit(json.dumps({
            "query": result.query, "total": result.total, "offset": result.offset, "suggestion": result.suggestion,
            "error": result.error,
            "hits": [{"id": h.id, "title": h.title, "source": h.source,
                      "published": h.published.isoformat() if h.published else None,
                      "score": round(h.score, 4), "snippet": h.snippet,
                      "title_highlights": [list(span) for span in h.title_highlights]} for h in result.hits],
            **({"facets": {k: [[v, n] for v, n in vals] for k, vals in facets.items()}} if facets is not None else {}),
        }, ensure_ascii=False, indent=2) + "\n")
        return 0
    if result.error:
        print(f"query problem: {result.error}", file=sys.stderr)
    if result.suggestion:
        print(f"did you mean: {result.suggestion}")
    if result.hits and (result.offset or len(result.hits) < result.total):
        first = result.offset + 1
        print(f"{result.total} result(s); showing {first}-{result.offset + len(result.hits)}")
    elif not result.hits and result.offset and result.total:
        print(f"{result.total} result(s); none after the first {result.offset} (--offset {result.offset})")
    else:
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
class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose epilog may be produced when the help is shown
    (``epilog_factory``): the query syntax is read from its file only then."""

    def __init__(self, *args: Any, epilog_factory: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._epilog_factory = epilog_factory

    def format_help(self) -> str:
        if self._epilog_factory is not None:
            self.epilog = self._epilog_factory()
        return super().format_help()


BACKEND_HELP = ("entity recogniser: combined (spaCy and rules, the default when spaCy is installed), spacy, "
                "rules (fast, no model), auto (the best available)")


def build_parser() -> argparse.ArgumentParser:
    from reader import cli_help

    raw = argparse.RawDescriptionHelpFormatter
    parser = _Parser(prog="reader", formatter_class=raw,
                     description="Read, search and annotate news articles. Plain `reader` (no command) opens "
                                 "the window; the commands below work on the same library from the shell.",
                     epilog=cli_help.TOP_EPILOG)
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log to stderr too")
    parser.add_argument("--smoke", action="store_true", help="start, import seeds, index, render, search; exit")
    parser.add_argument("--debug-stalls", action="store_true", help="log GUI-thread stalls over 50 ms")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser,
                                title="commands (plain `reader` opens the window)")

    p = sub.add_parser("import", help="import files or folders (web pages, read-later exports, DW scrapes, Markdown, "
                                      "plain text)",
                       description="Import files and folders (searched recursively for web pages, Markdown and text "
                                   "files; other files are listed as skipped, with the reason). A bad file is "
                                   "reported and the rest goes on; the exit status is 0 only when every file was "
                                   "imported, was already there unchanged, or was skipped on purpose.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="a file or a folder")
    p.add_argument("--tag-from-folder", action="store_true",
                   help="tag each article with the name of the folder its file is in")
    p.add_argument("--no-entities", action="store_true", help="do not recognise entities now")
    p.add_argument("--no-index", action="store_true", help="do not update the search index now")
    p.add_argument("--backend", default="auto", choices=["auto", "combined", "spacy", "rules"], help=BACKEND_HELP)
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("list", help="list the library", description="List the library: id, date, "
                       "bookmark (*), source and title of every article.")
    p.add_argument("--json", action="store_true", help="print a JSON list (id, date, source, title, bookmarked, "
                                                       "notes) instead of text")
    p.add_argument("--sort", default="date", choices=["date", "title", "source"],
                   help="order: date (newest first, undated last; the default), title, or source")
    p.set_defaults(func=cmd_list)

    id_help = "an article id, or enough of its start to be unique (see `reader list`)"
    p = sub.add_parser("show", help="show one article", description="Print one article.")
    p.add_argument("id", help=id_help)
    p.add_argument("--format", default="markdown", choices=["markdown", "text", "json"],
                   help="markdown (the default; re-importable), text (the plain text that note and entity "
                        "offsets count in), json (every field)")
    p.set_defaults(func=cmd_show)

    for name, on in (("bookmark", True), ("unbookmark", False)):
        p = sub.add_parser(name, help=f"{name} an article", description=f"{name.capitalize()} an article.")
        p.add_argument("id", help=id_help)
        p.set_defaults(func=lambda a, on=on: _bookmark(a, on))

    p = sub.add_parser("annotate", help="highlight a passage (with an optional note)",
                       description="Highlight a passage of an article, given by its exact text. When the text "
                                   "occurs more than once, say which: --occurrence N, or --prefix/--suffix.")
    p.add_argument("id", help=id_help)
    p.add_argument("--quote", required=True, help="the exact text to highlight (as `reader show ID --format text` "
                                                  "prints it)")
    p.add_argument("--occurrence", type=int, metavar="N", help="highlight the N-th occurrence of the quote (from 1)")
    p.add_argument("--prefix", metavar="TEXT", help="the text just before the wanted occurrence")
    p.add_argument("--suffix", metavar="TEXT", help="the text just after the wanted occurrence")
    p.add_argument("--note", help="a note on the highlight (Markdown)")
    p.add_argument("--colour", "--color", default="yellow", choices=_colours(),
                   help="highlight colour (default yellow)")
    p.add_argument("--tag", action="append", metavar="TAG", help="a tag on the highlight (repeat for more)")
    p.set_defaults(func=cmd_annotate)

    notes_formats = export_notes_formats()
    p = sub.add_parser("annotations", help="export notes (all, or of one article)",
                       description="Export highlights and notes: Markdown or W3C Web Annotation JSON (to stdout "
                                   "or -o FILE), or an Obsidian folder (-o DIR: one Markdown file per article with "
                                   "YAML front matter). Each article comes with its source, link and date.")
    p.add_argument("id", nargs="?", help="only this article's notes (" + id_help + ")")
    p.add_argument("--format", default="markdown", choices=notes_formats,
                   help="markdown (the default), json (W3C Web Annotation; `reader import-notes` reads it "
                        "back), obsidian (a folder of notes, needs -o DIR)")
    p.add_argument("-o", "--output", metavar="PATH", help="write to this file (a folder for obsidian) "
                                                          "instead of stdout")
    p.set_defaults(func=cmd_annotations)

    p = sub.add_parser("export", help="export an article with its notes (Markdown, HTML, PDF)",
                       formatter_class=raw,
                       description="reader export ID --format markdown|html|pdf [-o FILE]\n"
                                   "  the article with its highlights and notes (PDF needs -o FILE)\n"
                                   "reader export [ID] --format json|obsidian [-o PATH]\n"
                                   "reader export [--format markdown] [-o FILE]   (no ID)\n"
                                   "  notes only, as `reader annotations` writes them")
    p.add_argument("id", nargs="?", help="the article (" + id_help + "); without it: every note")
    p.add_argument("--format", default="markdown", choices=sorted({*ARTICLE_FORMATS, *notes_formats}),
                   help="with an ID: markdown (the default), html or pdf for the article, json for its notes; "
                        "without: markdown, json or obsidian for every note")
    p.add_argument("-o", "--output", metavar="PATH", help="write to this file (a folder for obsidian) "
                                                          "instead of stdout")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("import-notes", help="import notes from a W3C Web Annotation JSON export",
                       description="Import highlights and notes from a W3C Web Annotation JSON file (as "
                                   "`reader annotations --format json` writes, or another tool's export: a list "
                                   "of Annotation items or an AnnotationCollection). Known notes are updated, "
                                   "never duplicated. Exit status 1 if any item could not be imported.")
    p.add_argument("file", help="the JSON file")
    p.set_defaults(func=cmd_import_notes)

    p = sub.add_parser("search", help="search the library (`reader search --help` shows the query syntax)",
                       formatter_class=raw, epilog_factory=cli_help.search_epilog,
                       description="Search the library; the index is brought up to date first.")
    p.add_argument("query", nargs="+", help="the query (words, \"phrases\", OR, -word, field:value...; see below)")
    p.add_argument("--limit", type=_positive_int, default=20, metavar="N", help="show at most N results (default 20)")
    p.add_argument("--offset", type=_non_negative_int, default=0, metavar="N",
                   help="skip the N best results first: --offset 20 shows the next page")
    p.add_argument("--sort", default="relevance", choices=["relevance", "date"],
                   help="relevance (the default) or date (newest first)")
    p.add_argument("--json", action="store_true", help="print the results as JSON (with total, offset, suggestion, "
                                                       "snippets)")
    p.add_argument("--facets", action="store_true", help="also count the results by person, org, place, source, "
                                                         "section, tag and year")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("related", help="articles related to one article",
                       description="Articles that share people, organisations, places and words with one article.")
    p.add_argument("id", help=id_help)
    p.add_argument("--limit", type=int, default=10, metavar="N", help="show at most N articles (default 10)")
    p.set_defaults(func=cmd_related)

    p = sub.add_parser("reindex", help="rebuild the search index from the library",
                       description="Rebuild the search index from the library (it is a cache: nothing is lost).")
    p.set_defaults(func=cmd_reindex)

    p = sub.add_parser("entities", help="print the named entities of a text (JSON lines)",
                       description="Print the named entities of a text file, standard input or an article, "
                                   "one per line, with offsets into the text exactly as given.")
    p.add_argument("file", nargs="?", help="a UTF-8 text file, or - for stdin (default)")
    p.add_argument("--id", help="an article id instead of a file (offsets into its plain text)")
    p.add_argument("--backend", default="auto", choices=["auto", "combined", "spacy", "rules"], help=BACKEND_HELP)
    p.add_argument("--format", default="jsonl", choices=["jsonl", "text"],
                   help="jsonl (the default: start, end, label, text per line) or text (tab-separated)")
    p.set_defaults(func=cmd_entities)

    from reader.cli_net import register as register_net  # add, feeds (network)

    register_net(sub)

    from reader import cli_entity  # `reader entity list|show|merge|retype|hide|unhide|rename ...`

    cli_entity.register(sub)
    return parser


def _colours() -> list[str]:
    from reader.store.library import COLOURS

    return list(COLOURS)


def _quiet_broken_pipe() -> int:
    """The reader of our output went away (``reader show ... | head``): stop
    quietly, as Unix tools do, with no traceback at exit either."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no real stdout (tests): nothing left to flush
        pass
    return EXIT_BROKEN_PIPE


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:
        return _quiet_broken_pipe()


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging(args.verbose)
    func = getattr(args, "func", None)
    try:
        if func is None:
            return cmd_gui(args)
        code = int(func(args))
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's exit
        return code
    except CliError as exc:
        print(f"reader: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        raise
    except Exception as exc:  # StoreError and friends: one clear line, details in the log
        from reader.store import StoreError

        if isinstance(exc, StoreError):
            print(f"reader: {exc}", file=sys.stderr)
            return 1
        raise
