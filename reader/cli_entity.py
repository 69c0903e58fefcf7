"""``reader entity ...``: the library's canonical entities from the shell, and the
user's corrections of them (the same store functions the window uses).

    reader entity list [--type PERSON|ORG|PLACE|...] [--limit N] [--json]
    reader entity show NAME [--json]
    reader entity merge A B          # A is the same as B (B keeps its name)
    reader entity retype NAME TYPE
    reader entity hide NAME          # not an entity, everywhere (--article ID: in one article)
    reader entity unhide NAME
    reader entity rename OLD NEW
    reader entity split ALIAS [--from NAME]
    reader entity corrections [--json]
    reader entity undo               # take back the last correction
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from reader.core.entities.spans import LABELS


def register(subparsers: Any) -> None:
    """Add the ``entity`` command and its subcommands to ``reader``'s parser."""
    p = subparsers.add_parser("entity", help="canonical entities of the library, and corrections to them")
    sub = p.add_subparsers(dest="entity_command", metavar="SUBCOMMAND", required=True)

    s = sub.add_parser("list", help="canonical entities by number of articles")
    s.add_argument("--type", dest="label", type=str.upper, help=f"only this type ({', '.join(LABELS)})")
    s.add_argument("--limit", type=int, default=50)
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_list)

    s = sub.add_parser("show", help="one entity: names, articles, mentions per month, co-occurring entities")
    s.add_argument("name", help="its name or any of its other names")
    s.add_argument("--type", dest="label", type=str.upper)
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_show)

    s = sub.add_parser("merge", help="entity A is the same as entity B (B keeps its name)")
    s.add_argument("a")
    s.add_argument("b")
    s.set_defaults(func=lambda a: _correct(a, lambda lib: lib.merge_entities(a.a, a.b)))

    s = sub.add_parser("retype", help="every mention of the entity gets another type")
    s.add_argument("name")
    s.add_argument("type")
    s.set_defaults(func=lambda a: _correct(a, lambda lib: lib.retype_entity(a.name, a.type)))

    s = sub.add_parser("hide", help="the name is not an entity (everywhere, or in one article)")
    s.add_argument("name")
    s.add_argument("--article", help="only in this article (id or id prefix)")
    s.set_defaults(func=cmd_hide)

    s = sub.add_parser("unhide", help="take back 'not an entity' for the name")
    s.add_argument("name")
    s.set_defaults(func=cmd_unhide)

    s = sub.add_parser("rename", help="give the entity another canonical name")
    s.add_argument("old")
    s.add_argument("new")
    s.set_defaults(func=lambda a: _correct(a, lambda lib: lib.rename_entity(a.old, a.new)))

    s = sub.add_parser("split", help="an other name of an entity is an entity of its own")
    s.add_argument("alias")
    s.add_argument("--from", dest="owner", help="the entity it is split off (when several have it)")
    s.set_defaults(func=lambda a: _correct(a, lambda lib: lib.split_alias(a.alias, a.owner)))

    s = sub.add_parser("corrections", help="list the corrections made, oldest first")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_corrections)

    s = sub.add_parser("undo", help="take back the last correction")
    s.set_defaults(func=cmd_undo)


def _library() -> Any:
    from reader.cli import _open_library

    return _open_library()


def _fail(message: str) -> Exception:
    from reader.cli import CliError

    return CliError(message)


def _refresh_index() -> None:
    """Bring an existing search index up to date with the changed entities."""
    from reader.cli import _refresh_index, _search_index

    try:
        if _search_index().is_ready():
            _refresh_index(quiet=True)
    except ImportError:
        pass


def _entity(lib: Any, name: str, label: str | None = None) -> Any:
    if not lib.canonical_computed():
        raise _fail("the library has no canonical entities yet; run `reader import` or start the app "
                    "to recognise entities first")
    found = lib.find_entity(name, label)
    if found is None:
        raise _fail(f"no entity called “{name}” (see `reader entity list`)")
    return found


def _correct(args: argparse.Namespace, change: Any) -> int:
    from reader.store.entity_corrections import CorrectionError

    lib = _library()
    if not lib.canonical_computed():
        raise _fail("the library has no canonical entities yet; run `reader import` or start the app first")
    try:
        correction = change(lib)
    except CorrectionError as exc:
        raise _fail(str(exc)) from exc
    _refresh_index()
    print(f"corrected: {correction.describe()} (undo: reader entity undo)")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    lib = _library()
    if args.label is not None and args.label not in LABELS and args.label not in ("GPE", "LOC", "PER"):
        raise _fail(f"--type {args.label!r} is not an entity type (one of {', '.join(LABELS)})")
    if args.limit < 1:
        raise _fail(f"--limit must be at least 1, not {args.limit}")
    rows = lib.canonical_entities([args.label] if args.label else None, args.limit)
    if args.json:
        print(json.dumps([r.to_json() for r in rows], ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("no entities" + (f" of type {args.label}" if args.label else "")
              + ("" if lib.canonical_computed() or not lib.count() else
                 " yet (entities are recognised by `reader import` and when the app starts)"))
        return 0
    for r in rows:
        also = f"  (also: {', '.join(r.aliases[:4])}{'...' if len(r.aliases) > 4 else ''})" if r.aliases else ""
        print(f"{r.articles:6d}  {r.label:<9} {r.name}{also}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from reader.store.entity_views import cooccurring, mentions_per_month

    lib = _library()
    e = _entity(lib, args.name, args.label)
    months = mentions_per_month(lib, e.id)
    together = cooccurring(lib, e.id, limit=10)
    if args.json:
        print(json.dumps({
            **e.to_json(),
            "mentions_per_month": dict(months),
            "cooccurring": [{"id": o.id, "name": o.name, "type": o.label, "articles": n} for o, n in together],
        }, ensure_ascii=False, indent=2))
        return 0
    print(f"{e.name}  ({e.label}{', ambiguous' if e.ambiguous else ''})")
    if e.aliases:
        print(f"also called: {', '.join(e.aliases)}")
    print(f"{e.articles} article(s), {e.mentions} mention(s)")
    if months:
        print("mentions per month:")
        top = max(n for _, n in months)
        for month, n in months:
            print(f"  {month}  {n:5d}  {'#' * max(1, round(30 * n / top))}")
    else:
        print("mentions per month: none (its articles have no dates)")
    if together:
        print("most often with:")
        for o, n in together:
            print(f"  {n:5d}  {o.name} ({o.label})")
    return 0


def cmd_hide(args: argparse.Namespace) -> int:
    article_id = None
    if args.article:
        from reader.cli import _resolve

        article_id = _resolve(_library(), args.article)
    return _correct(args, lambda lib: lib.hide_entity(args.name, article_id=article_id))


def cmd_unhide(args: argparse.Namespace) -> int:
    from reader.store.entity_corrections import CorrectionError

    lib = _library()
    try:
        gone = lib.unhide_entity(args.name)
    except CorrectionError as exc:
        raise _fail(str(exc)) from exc
    _refresh_index()
    for c in gone:
        print(f"taken back: {c.describe()}")
    return 0


def cmd_corrections(args: argparse.Namespace) -> int:
    lib = _library()
    found = lib.entity_corrections()
    if args.json:
        print(json.dumps([{"id": c.id, **c.to_json()} for c in found], ensure_ascii=False, indent=2))
        return 0
    if not found:
        print("no corrections")
    for c in found:
        print(f"{c.id:5d}  {c.created[:10]}  {c.describe()}")
    return 0


def cmd_undo(args: argparse.Namespace) -> int:
    lib = _library()
    found = lib.entity_corrections()
    if not found:
        raise _fail("there is no correction to undo")
    last = found[-1]
    lib.undo_correction(last)
    _refresh_index()
    print(f"undone: {last.describe()}")
    return 0
