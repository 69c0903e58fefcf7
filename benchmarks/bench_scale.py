"""A year of feeds: every issue-18 figure on a 45x BBC library (~100k articles).

    .venv/bin/python benchmarks/bench_scale.py --home /tmp/reader-x45    # prepare once, then measure
    make bench-scale                                                   # the same, then merge latest.json

The library is prepared once in ``--home`` (default ``$READER_BENCH_HOME`` or
``/tmp/reader-bench-x45``) and reused by later runs: 45 copies of the corpus
written through the store API (each copy a distinct identity, dated 7 hours
apart), entities by the rules backend (minutes, not the hours spaCy would
take; the app is configured to use it too), the search index, and an FTS5
table of the same documents as the reference.

Measured (medians of ``--runs``, default 3; load average recorded):

* full index build in the background (wall, CPU of all processes, peak RSS
  of the build's process tree, sampled every 0.1 s; ``--build-runs``, default
  1, as each takes minutes);
* startup refresh with nothing changed;
* the library list sorted by date, filtered to unread / a tag / bookmarks,
  with the first screen of rows (what the list shows);
* search p50/p95/max (top 20 with snippets) on two query mixes, with FTS5 on
  the same documents in the same run;
* with ``--app``: a fresh app process (offscreen): window shown, first
  article rendered, peak RSS of the app and its search process
  (``bench_startup.run_once``), and the GUI stalls of a start
  (``bench_stalls.run_once``).

Writes ``benchmarks/results/scale.json``; ``--into-latest`` (what ``make
bench-scale`` passes) also puts it into ``latest.json`` as its ``scale``
entry, and a full ``make bench`` merges it there too.  Never used for
assertions in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import bench_search as bs  # noqa: E402

RESULTS = HERE / "results" / "scale.json"
TARGETS = {  # figure -> (target, unit)
    "build_wall_s": (240.0, "s"), "build_tree_peak_rss_mb": (1500.0, "MB"), "refresh_unchanged_s": (0.3, "s"),
    "list_ms": (100.0, "ms"), "search_p95_ms": (100.0, "ms"), "window_shown_s": (0.5, "s"),
    "first_article_s": (0.8, "s"), "total_rss_mb": (400.0, "MB"), "max_stall_ms": (50.0, "ms"),
}


# ---- preparing the library --------------------------------------------------------
def prepare(home: Path, copies: int) -> dict[str, Any]:
    """The library, entities and app settings in ``home`` (once; reused after)."""
    from reader import paths
    from reader.store.library import Library

    marker = home / f"prepared-x{copies}"
    db = paths.database_path()
    if marker.exists():
        lib = Library.open(db, check=False)
        count = lib.count()
        lib.close()
        return json.loads(marker.read_text(encoding="utf-8")) | {"articles": count, "reused": True}
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    from reader.core.entities.batch import compute_for_library

    t = time.perf_counter()
    db.parent.mkdir(parents=True, exist_ok=True)
    # Copy c is published c minutes after the first (bench_search spreads copies
    # by hours, which moves some across midnight and changes their dateline), so
    # every copy's text equals the first's and its entities can be copied.
    articles = [a.with_changes(published=articles_1x[n % 2225].published + timedelta(minutes=n // 2225))
                for articles_1x in [bs.bbc_articles(1)] for n, a in enumerate(bs.bbc_articles(copies))]
    first = bs.make_library(db, articles[:2225])
    first.close()
    library_s = time.perf_counter() - t
    # Entities by the rules backend for the first copy; the other copies have the
    # same text (their plain text is compared below), so their entities are
    # copied in SQL, and the rules backend then recognises whatever still differs.
    t = time.perf_counter()
    compute_for_library(db, backend="rules", processes=2)
    entities_s = time.perf_counter() - t
    t = time.perf_counter()
    lib = Library.open(db, check=False)
    for article in articles[2225:]:
        lib.upsert(article)
    for aid in lib.ids()[::97]:
        lib.set_bookmark(aid, True)
    lib.set_meta("seeds_imported", "1")  # the app must not import the seeds into it
    with lib.transaction() as conn:
        conn.execute("CREATE TEMP TABLE copies (new_id TEXT PRIMARY KEY, orig_id TEXT NOT NULL)")
        conn.executemany("INSERT INTO copies VALUES (?, ?)",
                         [(a.id, articles[n % 2225].id) for n, a in enumerate(articles) if n >= 2225])
        same = ("FROM copies m JOIN articles a ON a.id = m.new_id JOIN articles o ON o.id = m.orig_id"
                " AND o.plain_text = a.plain_text")
        conn.execute("INSERT OR IGNORE INTO entities SELECT m.new_id, e.start, e.end, e.label, e.text, e.norm "
                     f"{same} JOIN entities e ON e.article_id = m.orig_id")
        conn.execute("INSERT OR IGNORE INTO entity_runs SELECT m.new_id, r.backend, r.text_hash, r.computed_at "
                     f"{same} JOIN entity_runs r ON r.article_id = m.orig_id")
    count = lib.count()
    lib.close()
    library_s += time.perf_counter() - t
    print(f"{copies}x: {count:,} articles written in {library_s:.0f} s", file=sys.stderr, flush=True)
    t = time.perf_counter()
    redone = compute_for_library(db, backend="rules", processes=2)
    entities_s += time.perf_counter() - t
    print(f"entities (rules, 2 processes) in {entities_s:.0f} s ({redone} recognised after the copy)",
          file=sys.stderr, flush=True)
    paths.config_dir().mkdir(parents=True, exist_ok=True)
    (paths.config_dir() / "reader.ini").write_text("[entities]\nbackend=rules\n", encoding="utf-8")
    info = {"articles": count, "library_s": round(library_s, 1), "entities_rules_s": round(entities_s, 1),
            "db_mb": round(db.stat().st_size / 1e6, 1)}
    marker.write_text(json.dumps(info), encoding="utf-8")
    return info | {"reused": False}


# ---- the process tree's memory --------------------------------------------------------
def _tree_rss_kb(root: int) -> int:
    """Resident memory of ``root`` and all its descendants (from /proc)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status", encoding="ascii", errors="replace") as f:
                fields = dict(line.split(":", 1) for line in f if ":" in line)
        except OSError:
            continue
        pid = int(entry)
        parents[pid] = int(fields.get("PPid", "0").strip() or 0)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0]) if "VmRSS" in fields else 0
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(child for child, parent in parents.items() if parent == pid)
    return total


class TreeSampler:
    """The peak of :func:`_tree_rss_kb` for this process, sampled in a thread."""

    def __init__(self, every: float = 0.1) -> None:
        self.every, self.peak_kb = every, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_kb = max(self.peak_kb, _tree_rss_kb(os.getpid()))
            self._stop.wait(self.every)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


# ---- measurements ----------------------------------------------------------------
def measure_build(index_dir: Path, db: Path) -> dict[str, float]:
    from reader.search import SearchIndex

    shutil.rmtree(index_dir, ignore_errors=True)
    cpu = bs.cpu_seconds()
    t = time.perf_counter()
    with TreeSampler() as sampler:
        SearchIndex(index_dir).refresh(db)
    wall = time.perf_counter() - t
    return {"build_wall_s": wall, "build_cpu_s": bs.cpu_seconds() - cpu,
            "build_tree_peak_rss_mb": sampler.peak_kb / 1024,
            "build_worker_peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            "index_mb": bs.dir_size(index_dir) / 1e6}


def measure_refresh(index_dir: Path, db: Path) -> float:
    from reader.search import SearchIndex

    t = time.perf_counter()
    stats = SearchIndex(index_dir).refresh(db)
    assert not (stats.added or stats.updated or stats.deleted or stats.rebuilt), stats
    return time.perf_counter() - t


def measure_list(db: Path) -> dict[str, float]:
    """The list as the app fills it: the ordered, filtered ids (the list
    worker's ``compute_ids``) and the rows of its first screen (50)."""
    from reader.ui.controller import ListQuery, compute_ids

    from reader.store.library import Library

    lib = Library.open(db, check=False)
    ids = lib.ids()
    if not lib.all_tags():  # a tag on every 50th article, once
        for aid in ids[::50]:
            lib.add_tag(aid, "follow up")
    if lib.conn.execute("SELECT count(*) FROM articles WHERE is_read=1").fetchone()[0] == 0:
        with lib.transaction() as conn:  # two thirds read, as after a while of reading
            conn.executemany("UPDATE articles SET is_read=1 WHERE id=?", [(i,) for n, i in enumerate(ids) if n % 3])
    out: dict[str, float] = {}
    for name, query in {"date": ListQuery(), "unread": ListQuery(unread=True), "tag": ListQuery(tag="follow up"),
                        "bookmarked": ListQuery(bookmarked=True), "title": ListQuery(order="title")}.items():
        t = time.perf_counter()
        shown = compute_ids(lib, query)
        lib.rows(shown[:50])
        out[f"list_{name}_ms"] = (time.perf_counter() - t) * 1000
    lib.close()
    return out


def measure_search(home: Path, db: Path, files: list[Path], passes: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path in files:
        items = bs.read_queries(path) if path.suffix == ".tsv" else [("fixed", q, None) for q in bs.queries()]
        print(f"search: {path.stem} ({len(items)} queries)", file=sys.stderr, flush=True)
        raw = bs.run_mix(home, db, items, passes)
        report = bs.mix_report(items, raw, passes)
        out[path.stem] = {"queries": len(items), "overall": report["overall"], "kinds": report["kinds"],
                          "slowest": sorted(report["queries"], key=lambda r: -r["reader"]["p50_ms"])[:10]}
    return out


def median(runs: list[dict[str, float]]) -> dict[str, float]:
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", default=os.environ.get("READER_BENCH_HOME", "/tmp/reader-bench-x45"))
    parser.add_argument("--copies", type=int, default=45)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--build-runs", type=int, default=1,
                        help="measured full builds (default 1: each takes minutes at 45x; 0: none)")
    parser.add_argument("--passes", type=int, default=3, help="runs of each query")
    parser.add_argument("--app", action="store_true", help="also start the app: window, RSS, stalls")
    parser.add_argument("--prepare-only", action="store_true")
    parser.add_argument("--quick", action="store_true", help="1x, one run (a smoke test; run_all.py --quick)")
    parser.add_argument("--into-latest", action="store_true", help="also put the figures into results/latest.json")
    args = parser.parse_args(argv)
    if args.quick:
        args.copies, args.runs, args.passes = 1, 1, 1
        args.home = str(Path(args.home).with_name(Path(args.home).name + "-quick"))
    if not bs.BBC.is_dir():
        print(f"BBC corpus not found at {bs.BBC}", file=sys.stderr)
        return 2
    home = Path(args.home)
    os.environ["READER_HOME"] = str(home)
    from reader import paths

    report: dict[str, Any] = {"when": datetime.now().isoformat(timespec="seconds"), "copies": args.copies,
                              "runs": args.runs, "load_avg_at_start": os.getloadavg()[0]}
    report["library"] = prepare(home, args.copies)
    db, index_dir = paths.database_path(), paths.index_dir()
    if args.prepare_only or not index_dir.exists():
        from reader.search import SearchIndex

        cpu = bs.cpu_seconds()
        t = time.perf_counter()
        SearchIndex(index_dir).refresh(db)
        first = {"build_wall_s": time.perf_counter() - t, "build_cpu_s": bs.cpu_seconds() - cpu,
                 "load_avg": os.getloadavg()[0]}
        print(f"first build: {first}", file=sys.stderr, flush=True)
        if args.prepare_only:
            return 0
    runs = args.build_runs
    if runs:
        builds = [measure_build(index_dir, db) for _ in range(runs)]
        report["build"] = median(builds) | {"runs": builds}
        print(f"build: {report['build']}", file=sys.stderr, flush=True)
    report["refresh_unchanged_s"] = statistics.median(measure_refresh(index_dir, db) for _ in range(args.runs))
    lists = [measure_list(db) for _ in range(args.runs)]
    report["list"] = median(lists)
    # the search mixes: the project's 240 fixed queries and the realistic list (FTS5 in the same run)
    link = home / "index"
    if not link.exists():
        link.symlink_to(index_dir)  # run_mix reads <home>/index and <home>/fts.sqlite3
    report["search"] = measure_search(home, db, [Path("fixed-240"), HERE / "queries" / "realistic.tsv"], args.passes)
    if args.app:
        import bench_stalls
        import bench_startup

        starts = [bench_startup.run_once(home) for _ in range(args.runs)]
        report["startup"] = median(starts) | {"runs": starts}
        stalls = [bench_stalls.run_once(home) for _ in range(args.runs)]
        report["stalls_startup"] = bench_stalls.summarise(stalls)
    report["load_avg_at_end"] = os.getloadavg()[0]
    print_report(report)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    if args.into_latest:
        merge_into_latest(report)
    return 0


def merge_into_latest(report: dict[str, Any]) -> None:
    """Put ``report`` into results/latest.json as its ``scale`` entry, keeping
    the other benchmarks' figures (``run_all.py --merge-only`` rebuilds the file
    from the per-script JSON files, which only a full ``make bench`` leaves)."""
    latest = RESULTS.with_name("latest.json")
    merged = json.loads(latest.read_text(encoding="utf-8")) if latest.exists() else {}
    merged["scale"] = report
    latest.write_text(json.dumps(merged, indent=2), encoding="utf-8")
    print(f"merged into {latest.relative_to(ROOT)}")


def print_report(report: dict[str, Any]) -> None:
    lib = report["library"]
    print(f"\n{report['copies']}x BBC: {lib['articles']:,} articles; load {report['load_avg_at_start']:.1f} -> "
          f"{report['load_avg_at_end']:.1f}; medians of {report['runs']}")
    rows: list[tuple[str, float, str, str]] = []
    build = report.get("build")
    if build:
        rows.append(("full index build, wall (s)", build["build_wall_s"], "build_wall_s",
                     f"CPU {build['build_cpu_s']:.0f} s"))
        rows.append(("peak RSS of the build's processes (MB)", build["build_tree_peak_rss_mb"],
                     "build_tree_peak_rss_mb", f"one worker {build['build_worker_peak_rss_mb']:.0f} MB"))
    rows.append(("startup refresh, unchanged (s)", report["refresh_unchanged_s"], "refresh_unchanged_s", ""))
    for key, value in report["list"].items():
        rows.append((f"list: {key.removeprefix('list_').removesuffix('_ms')} + first rows (ms)", value, "list_ms", ""))
    for name, data in report["search"].items():
        ours, ref = data["overall"]["reader"], data["overall"]["fts5"]
        rows.append((f"search p95, {name} ({data['queries']} q) (ms)", ours["p95_ms"], "search_p95_ms",
                     f"FTS5 {ref['p95_ms']:.1f} ms, ratio {data['overall']['ratio_p95']:.1f}x; p50 {ours['p50_ms']:.0f}"))
    for key in ("window_shown_s", "first_article_s", "total_rss_mb"):
        if "startup" in report:
            rows.append((key, report["startup"][key], key, ""))
    if "stalls_startup" in report:
        rows.append(("GUI stall max, startup (ms)", report["stalls_startup"]["max_stall_ms"], "max_stall_ms", ""))
    print(f"{'figure':46}{'measured':>10}{'target':>10}  ok  reference")
    for label, value, key, ref in rows:
        target, _unit = TARGETS[key]
        print(f"{label:46}{value:>10.3g}{'< ' + format(target, 'g'):>10}  {'yes' if value < target else 'NO ':3} {ref}")


if __name__ == "__main__":
    raise SystemExit(main())
