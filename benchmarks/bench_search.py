"""Benchmark the search index on the BBC corpus (1x and 10x), with SQLite FTS5
on the same documents in the same run as the reference.

    .venv/bin/python benchmarks/bench_search.py            # 1x and 10x, median of 3
    .venv/bin/python benchmarks/bench_search.py --quick    # 1x only, 1 run
    .venv/bin/python benchmarks/bench_search.py --queries benchmarks/queries/realistic.tsv \
        --scale 10 --home /tmp/bench-x10 --json /tmp/mix.json   # any query mix

With ``--queries FILE`` only query latency is measured, on a library of
``--scale`` copies of the corpus kept in ``--home`` (built there on the first
run, reused after): FILE has one Reader query per line, optionally a TAB and
the FTS5 MATCH expression used as that query's reference (without one, the
query is translated by :func:`fts_query`); ``# kind`` comment lines name the
kind of the queries below them.  Each query runs ``--passes`` times (default
3) on Reader and on FTS5 in the same run; p50/p95/max are printed overall
(median over passes), per kind and per query.

Measures: cold full build, startup refresh with nothing changed and with 1 %
changed, query latency (p50/p95/max over >= 200 fixed queries, snippets for
the top 20 included; in this process, and p50/p95 through the app's search
process), index size and peak RSS.  Prints a table and writes
``benchmarks/results/search.json``.  Never used for assertions in tests.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.core.article import Article, Block, BlockKind, article_id  # noqa: E402
from reader.search import SearchIndex, SearchService  # noqa: E402
from reader.store.library import IndexDoc, Library  # noqa: E402

BBC = ROOT.parent / "shared" / "data" / "bbc"
RESULTS = ROOT / "benchmarks" / "results" / "search.json"
BASE_DATE = datetime(2004, 1, 1, 9, 0)

WORDS = [
    "government", "election", "labour", "tory", "economy", "growth", "profit", "shares", "market", "bank",
    "football", "chelsea", "arsenal", "injury", "coach", "champion", "film", "music", "award", "oscar",
    "album", "band", "mobile", "phone", "software", "internet", "broadband", "games", "microsoft", "apple",
    "blair", "brown", "howard", "kennedy", "tax", "budget", "oil", "dollar", "euro", "china",
    "defend", "defence", "security", "police", "court", "minister", "school", "health", "pensions", "jobs",
]
PHRASES = ['"prime minister"', '"interest rates"', '"chancellor gordon brown"', '"world cup"', '"box office"',
           '"mobile phone"', '"general election"', '"six nations"', '"chief executive"', '"record label"']
TEMPLATES = [
    "{w}", "{w} {v}", "{w} OR {v}", "{w} -{v}", "{p}", "{p} {w}", "title:{w}", "{w} date:2004",
    "{w} date:2004-03..2004-09", "{w} after:2005-01", "{pre}*", "{fz}~", "section:{sec} {w}", "({w} OR {v}) {u}",
    "{w} is:bookmarked", "source:bbc {w}",
]
SECTIONS = ["business", "politics", "sport", "tech", "entertainment"]


def _typo(word: str) -> str:
    return word[:2] + word[3] + word[2] + word[4:] if len(word) > 5 else word + "e"


def queries(n: int = 240) -> list[str]:
    """A fixed list of realistic queries of every form."""
    out = []
    for i in range(n):
        w, v, u = WORDS[i % len(WORDS)], WORDS[(i * 7 + 3) % len(WORDS)], WORDS[(i * 13 + 5) % len(WORDS)]
        out.append(TEMPLATES[i % len(TEMPLATES)].format(
            w=w, v=v, u=u, p=PHRASES[i % len(PHRASES)], pre=w[: max(3, len(w) - 3)], fz=_typo(w),
            sec=SECTIONS[i % len(SECTIONS)]))
    return out


def load_bbc(path: Path) -> tuple[str, list[str]]:
    """A tiny local reader: title = first line, paragraphs by blank lines."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    paras = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    first, _, rest = paras[0].partition("\n")
    return first.strip(), ([rest.strip()] if rest.strip() else []) + paras[1:]


def bbc_articles(copies: int) -> list[Article]:
    files = sorted(BBC.glob("*/*.txt"))
    loaded = [(f, *load_bbc(f)) for f in files]
    out = []
    for c in range(copies):
        for i, (f, title, paras) in enumerate(loaded):
            identity = f"bbc:{c}:{f.parent.name}/{f.name}"
            out.append(Article(
                id=article_id(identity), identity=identity, title=title,
                content_hash=hashlib.sha1(f"{identity}\n{title}\n{paras}".encode()).hexdigest()[:32],
                source="BBC", section=f.parent.name, published=BASE_DATE + timedelta(hours=7 * i + c),
                blocks=tuple(Block(BlockKind.PARAGRAPH, p) for p in paras)))
    return out


def make_library(db: Path, articles: list[Article]) -> Library:
    lib = Library.open(db)
    for article in articles:
        lib.upsert(article)
    for aid in lib.ids()[::97]:
        lib.set_bookmark(aid, True)
    return lib


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[k]


def run_reader(work: Path, db: Path, lib: Library, qs: list[str]) -> dict[str, float]:
    index_dir = work / "index"
    shutil.rmtree(index_dir, ignore_errors=True)
    ix = SearchIndex(index_dir)
    cpu = cpu_seconds()
    t = time.perf_counter()
    ix.refresh(db)
    build = time.perf_counter() - t
    build_cpu = cpu_seconds() - cpu
    t = time.perf_counter()
    SearchIndex(index_dir).refresh(db)
    unchanged = time.perf_counter() - t
    # 1 % changed: bookmarks/tags on some, edited text on others
    ids = lib.ids()
    step = max(1, len(ids) // max(1, len(ids) // 100))
    for n, aid in enumerate(ids[::step][: max(1, len(ids) // 100)]):
        if n % 2:
            lib.add_tag(aid, f"bench{n}")
        else:
            article = lib.article(aid)
            assert article is not None
            lib.upsert(article.with_changes(blocks=article.blocks + (Block(BlockKind.PARAGRAPH, f"edit {n}"),),
                                            content_hash=article.content_hash[:-4] + f"{n:04d}"))
    t = time.perf_counter()
    SearchIndex(index_dir).refresh(db)
    changed = time.perf_counter() - t
    lat = latencies(SearchIndex(index_dir), lib, qs)
    # The same queries as the app sends them: through its search process (a pipe each way).
    service = SearchService(index_dir)
    try:
        app_lat = latencies(service, lib, qs)
    finally:
        service.close()
    return {"build_s": build, "build_cpu_s": build_cpu, "refresh_unchanged_s": unchanged, "refresh_1pct_s": changed,
            "query_p50_ms": percentile(lat, 50) * 1000, "query_p95_ms": percentile(lat, 95) * 1000,
            "query_max_ms": max(lat) * 1000, "app_query_p50_ms": percentile(app_lat, 50) * 1000,
            "app_query_p95_ms": percentile(app_lat, 95) * 1000, "index_mb": dir_size(index_dir) / 1e6}


def latencies(searcher: SearchIndex | SearchService, lib: Library, qs: list[str]) -> list[float]:
    """Seconds each query takes (top 20 with snippets), after one warm-up query."""
    searcher.search("warm up", lib)
    out = []
    for q in qs:
        t = time.perf_counter()
        searcher.search(q, lib, limit=20)
        out.append(time.perf_counter() - t)
    return out


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (the build workers):
    steadier than wall time on a shared machine; on 2 idle cores a two-worker
    build takes about half of it plus the serial start and commit."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def fts_query(q: str) -> str | None:
    """Our query forms in FTS5 syntax (close enough for a reference timing)."""
    terms = []
    for tok in q.replace("(", " ").replace(")", " ").split():
        if ":" in tok and not tok.startswith('"'):
            continue  # fields/filters: skipped in the reference
        if tok == "OR":
            terms.append("OR")
        elif tok.startswith("-"):
            terms.append(f'NOT "{tok[1:]}"')
        elif tok.endswith("~"):
            terms.append(f'"{tok[:-1]}"')
        elif tok.endswith("*"):
            terms.append(f'"{tok[:-1]}"*')
        else:
            terms.append(tok if tok.startswith('"') or tok.endswith('"') else f'"{tok}"')
    text = " ".join(terms).strip()
    if not text or text.startswith(("OR", "NOT")) or text.endswith("OR"):
        return None
    return text


#: The reference query: top 20 by bm25 with a body snippet.  bm25() takes one
#: weight per column, the UNINDEXED id (column 0) included: titles count 3x.
FTS_SQL = ("SELECT id, title, snippet(docs, 2, '<b>', '</b>', '…', 30) FROM docs WHERE docs MATCH ?"
           " ORDER BY bm25(docs, 0.0, 3.0, 1.0) LIMIT 20")


def build_fts(path: Path, docs: list[IndexDoc]) -> sqlite3.Connection:
    """A new FTS5 table of ``docs`` at ``path``."""
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path)
    conn.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, tokenize='porter')")
    with conn:
        conn.executemany("INSERT INTO docs VALUES (?,?,?)", [(d.id, d.title, d.body) for d in docs])
    return conn


def run_fts(work: Path, lib: Library, qs: list[str]) -> dict[str, float]:
    path = work / "fts.sqlite3"
    docs = list(lib.index_docs())
    cpu = cpu_seconds()
    t = time.perf_counter()
    conn = build_fts(path, docs)
    build = time.perf_counter() - t
    build_cpu = cpu_seconds() - cpu
    lat = []
    for q in qs:
        fq = fts_query(q)
        t = time.perf_counter()
        if fq:
            try:
                conn.execute(FTS_SQL, (fq,)).fetchall()
            except sqlite3.OperationalError:
                pass
        lat.append(time.perf_counter() - t)
    conn.close()
    return {"build_s": build, "build_cpu_s": build_cpu, "query_p50_ms": percentile(lat, 50) * 1000,
            "query_p95_ms": percentile(lat, 95) * 1000, "query_max_ms": max(lat) * 1000,
            "index_mb": path.stat().st_size / 1e6}


def median_runs(runs: list[dict[str, float]]) -> dict[str, float]:
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return max(own, kids)


# ---- any query mix (--queries FILE) --------------------------------------------
def read_queries(path: Path) -> list[tuple[str, str, str | None]]:
    """(kind, Reader query, FTS5 reference or None) for each query line of ``path``."""
    out: list[tuple[str, str, str | None]] = []
    kind = "queries"
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        if line.startswith("#"):
            text = line[1:].strip()
            if text and len(text) < 40:  # "# phrases": the kind of what follows; longer ones are remarks
                kind = text
            continue
        query, tab, ref = line.partition("\t")
        out.append((kind, query.strip(), ref.strip() or None if tab else None))
    return out


def prepare_home(home: Path, scale: int, with_entities: bool = False) -> Path:
    """The library of ``scale`` copies of the corpus in ``home`` (built on the
    first call, reused after) with its search index up to date; its path."""
    home.mkdir(parents=True, exist_ok=True)
    db = home / "db.sqlite3"
    marker = home / f"library-x{scale}.done"
    if not marker.exists():
        for stale in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            stale.unlink(missing_ok=True)
        t = time.perf_counter()
        lib = make_library(db, bbc_articles(scale))
        print(f"{scale}x: library of {lib.count()} articles in {time.perf_counter() - t:.1f} s", file=sys.stderr)
        lib.close()
        (home / "fts.sqlite3").unlink(missing_ok=True)
        marker.write_text(f"{scale}\n", encoding="utf-8")
    t = time.perf_counter()
    stats = SearchIndex(home / "index").refresh(db)
    if stats.rebuilt or stats.added or stats.updated or stats.deleted:
        print(f"{scale}x: index refreshed in {time.perf_counter() - t:.1f} s ({stats})", file=sys.stderr)
    return db


def run_mix(home: Path, db: Path, items: list[tuple[str, str, str | None]], passes: int) -> dict[str, object]:
    """Each query ``passes`` times on Reader and on FTS5; seconds per query and pass."""
    lib = Library.open(db, check=False)
    fts_path = home / "fts.sqlite3"
    if fts_path.exists():
        conn = sqlite3.connect(fts_path)
    else:
        t = time.perf_counter()
        conn = build_fts(fts_path, list(lib.index_docs()))
        print(f"FTS5 table built in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    ix = SearchIndex(home / "index")
    ix.search("warm up", lib)
    conn.execute(FTS_SQL, ('"warm"',)).fetchall()
    refs = [ref if ref is not None else fts_query(q) for _, q, ref in items]
    ours: list[list[float]] = [[] for _ in items]
    theirs: list[list[float]] = [[] for _ in items]
    totals: list[int] = [0] * len(items)
    fts_errors: dict[str, str] = {}
    for _ in range(passes):
        for i, (_, q, _) in enumerate(items):
            t = time.perf_counter()
            result = ix.search(q, lib, limit=20)
            ours[i].append(time.perf_counter() - t)
            totals[i] = result.total
            ref = refs[i]
            t = time.perf_counter()
            if ref:
                try:
                    conn.execute(FTS_SQL, (ref,)).fetchall()
                except sqlite3.OperationalError as exc:
                    fts_errors[ref] = str(exc)
            theirs[i].append(time.perf_counter() - t)
    conn.close()
    lib.close()
    return {"ours": ours, "fts": theirs, "totals": totals, "refs": refs, "fts_errors": fts_errors}


def _stats(values: list[float]) -> dict[str, float]:
    return {"p50_ms": percentile(values, 50) * 1000, "p95_ms": percentile(values, 95) * 1000,
            "max_ms": max(values) * 1000}


def _pass_stats(samples: list[list[float]], rows: list[int], passes: int) -> dict[str, float]:
    """p50/p95/max over ``rows`` for each pass, then the median over passes."""
    per_pass = [_stats([samples[i][p] for i in rows]) for p in range(passes)]
    return {k: statistics.median(s[k] for s in per_pass) for k in per_pass[0]}


def mix_report(items: list[tuple[str, str, str | None]], raw: dict[str, object], passes: int) -> dict[str, object]:
    ours, fts = raw["ours"], raw["fts"]
    assert isinstance(ours, list) and isinstance(fts, list)
    everything = list(range(len(items)))
    kinds: dict[str, list[int]] = {}
    for i, (kind, _, _) in enumerate(items):
        kinds.setdefault(kind, []).append(i)

    def both(rows: list[int]) -> dict[str, object]:
        mine, ref = _pass_stats(ours, rows, passes), _pass_stats(fts, rows, passes)
        return {"reader": mine, "fts5": ref, "ratio_p95": mine["p95_ms"] / max(ref["p95_ms"], 1e-6)}

    totals, refs = raw["totals"], raw["refs"]
    assert isinstance(totals, list) and isinstance(refs, list)
    return {
        "overall": both(everything),
        "kinds": {kind: both(rows) for kind, rows in kinds.items()},
        "queries": [{"kind": kind, "query": q, "fts5_query": refs[i], "total": totals[i],
                     "reader": _stats(ours[i]), "fts5": _stats(fts[i])} for i, (kind, q, _) in enumerate(items)],
        "fts5_errors": raw["fts_errors"],
    }


def print_mix(report: dict[str, object], slowest: int | None = None) -> None:
    def line(label: str, data: dict[str, object]) -> str:
        mine, ref = data["reader"], data["fts5"]
        assert isinstance(mine, dict) and isinstance(ref, dict)
        return (f"{label[:44]:44} {mine['p50_ms']:7.1f} {mine['p95_ms']:7.1f} {mine['max_ms']:7.1f}"
                f"   {ref['p50_ms']:6.1f} {ref['p95_ms']:6.1f} {ref['max_ms']:6.1f}")

    print(f"{'':44} {'Reader p50':>10} {'p95':>6} {'max':>7}   {'FTS5 p50':>8} {'p95':>6} {'max':>6}  (ms)")
    overall = report["overall"]
    assert isinstance(overall, dict)
    print(line("overall", overall) + f"   ratio p95 {overall['ratio_p95']:.1f}x")
    kinds = report["kinds"]
    assert isinstance(kinds, dict)
    for kind, data in kinds.items():
        print(line(f"  {kind}", data) + f"   ratio p95 {data['ratio_p95']:.1f}x")
    queries = report["queries"]
    assert isinstance(queries, list)
    shown = sorted(queries, key=lambda r: -r["reader"]["p50_ms"])[:slowest] if slowest else queries
    print("per query" + (f" (the {slowest} slowest)" if slowest else "") + ":")
    for row in shown:
        print(line(f"  {row['query']}  [{row['total']}]", row))
    errors = report["fts5_errors"]
    assert isinstance(errors, dict)
    for ref, err in errors.items():
        print(f"FTS5 reference failed: {ref!r}: {err}", file=sys.stderr)


def main_mix(args: argparse.Namespace) -> int:
    if args.queries == "fixed":  # the 240 fixed queries of the default mode
        items: list[tuple[str, str, str | None]] = [("fixed", q, None) for q in queries()]
    else:
        items = read_queries(Path(args.queries))
    if not items:
        print(f"{args.queries}: no queries in the file", file=sys.stderr)
        return 2
    scale = args.scale or 10
    with tempfile.TemporaryDirectory(prefix="bench-mix-") as tmp:
        home = Path(args.home) if args.home else Path(tmp)
        db = prepare_home(home, scale)
        load = os.getloadavg()[0]
        raw = run_mix(home, db, items, args.passes)
    report: dict[str, object] = {
        "when": datetime.now().isoformat(timespec="seconds"), "queries_file": str(args.queries),
        "queries": len(items), "scale": scale, "passes": args.passes, "load_avg_at_start": load,
        "load_avg_at_end": os.getloadavg()[0], **mix_report(items, raw, args.passes),
    }
    print(f"{scale}x BBC, {len(items)} queries, {args.passes} passes, load {load:.1f} -> "
          f"{report['load_avg_at_end']:.1f}")
    print_mix(report, None if args.all_queries else 25)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1x only, one run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scales", default="1,10")
    parser.add_argument("--scale", type=int, help="one scale (copies of the corpus) instead of --scales")
    parser.add_argument("--queries", help="measure this query mix only (see above; 'fixed': the 240 fixed ones)")
    parser.add_argument("--home", help="with --queries: keep the library, index and FTS5 table here")
    parser.add_argument("--json", help="with --queries: write the figures here")
    parser.add_argument("--passes", type=int, default=3, help="with --queries: runs of each query")
    parser.add_argument("--all-queries", action="store_true", help="with --queries: print every query, "
                        "not only the 25 slowest")
    args = parser.parse_args(argv)
    if not BBC.is_dir():
        print(f"BBC corpus not found at {BBC}", file=sys.stderr)
        return 2
    if args.queries:
        return main_mix(args)
    scales = [1] if args.quick else ([args.scale] if args.scale else [int(s) for s in args.scales.split(",")])
    runs = 1 if args.quick else args.runs
    qs = queries()
    report: dict[str, object] = {
        "when": datetime.now().isoformat(timespec="seconds"), "python": platform.python_version(),
        "cpus": os.cpu_count(), "queries": len(qs), "runs": runs, "scales": {},
        "load_avg_at_start": os.getloadavg()[0],
    }
    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
        for scale in scales:
            work = Path(tmp) / f"x{scale}"
            work.mkdir()
            db = work / "db.sqlite3"
            t = time.perf_counter()
            lib = make_library(db, bbc_articles(scale))
            print(f"{scale}x: library of {lib.count()} articles in {time.perf_counter() - t:.1f} s", file=sys.stderr)
            ours, fts = [], []
            for r in range(runs):
                lib.close()
                shutil.copy(db, work / "db-clean.sqlite3") if r == 0 else shutil.copy(work / "db-clean.sqlite3", db)
                for suffix in ("-wal", "-shm"):
                    Path(str(db) + suffix).unlink(missing_ok=True)
                lib = Library.open(db)
                ours.append(run_reader(work, db, lib, qs))
                fts.append(run_fts(work, lib, qs))
                print(f"  run {r + 1}: {ours[-1]}", file=sys.stderr)
            lib.close()
            mine, ref = median_runs(ours), median_runs(fts)
            report["scales"][f"{scale}x"] = {  # type: ignore[index]
                "articles": 2225 * scale, "reader": mine, "fts5": ref,
                "ratio_query_p95": mine["query_p95_ms"] / max(ref["query_p95_ms"], 1e-6),
                "ratio_build": mine["build_s"] / max(ref["build_s"], 1e-6),
            }
    report["peak_rss_mb"] = peak_rss_mb()
    print_table(report)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


def print_table(report: dict[str, object]) -> None:
    rows = [("full build (s)", "build_s", "{:.2f}"), ("full build CPU (s)", "build_cpu_s", "{:.2f}"),
            ("refresh unchanged (s)", "refresh_unchanged_s", "{:.3f}"),
            ("refresh 1% changed (s)", "refresh_1pct_s", "{:.3f}"), ("query p50 (ms)", "query_p50_ms", "{:.1f}"),
            ("query p95 (ms)", "query_p95_ms", "{:.1f}"), ("query max (ms)", "query_max_ms", "{:.1f}"),
            ("query p50, app path (ms)", "app_query_p50_ms", "{:.1f}"),
            ("query p95, app path (ms)", "app_query_p95_ms", "{:.1f}"),
            ("index size (MB)", "index_mb", "{:.1f}")]
    scales = report["scales"]
    assert isinstance(scales, dict)
    header = f"{'':26}" + "".join(f"{name + ' reader':>16}{name + ' fts5':>14}" for name in scales)
    print(header)
    for label, key, fmt in rows:
        line = f"{label:26}"
        for data in scales.values():
            ref = data["fts5"].get(key)
            line += f"{fmt.format(data['reader'][key]):>16}{(fmt.format(ref) if ref is not None else '-'):>14}"
        print(line)
    print(f"peak RSS {report['peak_rss_mb']:.0f} MB; {report['queries']} queries; median of {report['runs']} run(s)")


if __name__ == "__main__":
    raise SystemExit(main())
