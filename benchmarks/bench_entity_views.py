"""Benchmark the entity views' data functions on the BBC corpus at 10x.

    .venv/bin/python benchmarks/bench_entity_views.py            # 10x
    .venv/bin/python benchmarks/bench_entity_views.py --copies 1 # 1x, quicker

The library is the BBC corpus copied ``--copies`` times (dated 7 hours apart, as
``bench_search.py`` builds it); entities come from the rules backend, recognised
once per distinct text and stored for each copy (the copies have the same text).
Then it measures (median and p95 of repeated runs, in this process):

* the canonical entities' recompute (after the entities pass);
* entity page + timeline of the most frequent person (target < 200 ms);
* search p95 over the fixed queries of ``bench_search.py`` with and without
  facets over the results the app lists (200), and facets over all results
  (target: facets add < 30 ms to the p95);
* the network of the top 50 entities of the library and of a query's results
  (target < 500 ms).

Prints the figures (with the machine's load average: other work on it moves
them a lot) and writes ``benchmarks/results/entity_views.json``; ``--reuse DIR``
measures again on the library and index an earlier run left in DIR.  Never used
for assertions in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_search import bbc_articles, percentile, queries  # noqa: E402

from reader.core.entities import backend_tag, get_recogniser  # noqa: E402
from reader.search import SearchIndex  # noqa: E402
from reader.store.entity_views import entity_page, facets, network, timeline  # noqa: E402
from reader.store.library import EntitySpan, Library  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "entity_views.json"
APP_LIST_LIMIT = 200  # reader.settings DEFAULTS.search_limit


def timed(fn: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t) * 1000)
    return times, out


def summary(ms: list[float]) -> dict[str, float]:
    return {"median_ms": round(statistics.median(ms), 2), "p95_ms": round(percentile(ms, 95), 2),
            "max_ms": round(max(ms), 2)}


def build(db: Path, copies: int) -> dict[str, float]:
    arts = bbc_articles(copies)
    t = time.perf_counter()
    rec = get_recogniser("rules")
    tag = backend_tag("rules")
    spans_by_text: dict[str, list[EntitySpan]] = {}
    with Library.open(db) as lib:
        with lib.transaction():
            for a in arts:
                lib.upsert(a)
        stored = time.perf_counter() - t
        t = time.perf_counter()
        words = 0
        with lib.transaction():
            for a in arts:
                text = lib.plain_text(a.id) or ""
                if text not in spans_by_text:
                    words += len(text.split())
                    spans_by_text[text] = [EntitySpan(s.start, s.end, s.label, s.text, s.norm)
                                           for s in rec.recognise(text)]  # type: ignore[attr-defined]
                lib.set_entities(a.id, spans_by_text[text], backend=tag, text_hash="bench")
        recognised = time.perf_counter() - t
        t = time.perf_counter()
        lib.recompute_canonical()
        canon = time.perf_counter() - t
    return {"articles": len(arts), "import_s": round(stored, 1), "rules_entities_s": round(recognised, 1),
            "rules_words_per_s": round(words / recognised), "canonical_recompute_s": round(canon, 2)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--copies", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--reuse", type=Path, help="the folder of an earlier run (its library and index): measure only")
    args = ap.parse_args()
    work = args.reuse or Path(tempfile.mkdtemp(prefix="bench-entity-views-"))
    db = work / "library.sqlite3"
    result: dict[str, Any] = {"copies": args.copies, "python": platform.python_version(),
                              "machine": platform.machine(), "work": str(work)}
    if args.reuse and db.exists():
        previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
        result["build"] = previous.get("build", {})
    else:
        print(f"building {args.copies}x BBC in {work} ...", flush=True)
        result["build"] = build(db, args.copies)
    print(json.dumps(result["build"]), flush=True)
    result["load_average_before"] = [round(x, 2) for x in os.getloadavg()]
    with Library.open(db, check=False) as lib:
        top = lib.canonical_entities(["PERSON"], 1)[0]
        result["person"] = {"name": top.name, "articles": top.articles, "mentions": top.mentions}
        page_ms, page = timed(lambda: entity_page(lib, top.id), args.repeat)
        line_ms, _ = timed(lambda: timeline(lib, top.id, by="month"), args.repeat)
        week_ms, _ = timed(lambda: timeline(lib, top.id, by="week"), args.repeat)
        both_ms, _ = timed(lambda: (entity_page(lib, top.id), timeline(lib, top.id, by="month")), args.repeat)
        result["entity_page"] = summary(page_ms) | {"snippets": page.mention_count if page else 0}
        result["timeline_month"] = summary(line_ms)
        result["timeline_week"] = summary(week_ms)
        result["entity_page_plus_timeline"] = summary(both_ms) | {"target_ms": 200}

        print("indexing ...", flush=True)
        index = SearchIndex(work / "index")
        index.refresh(db)  # (nothing to do when reusing a run's index)
        qs = queries()
        index.search(qs[0], lib, limit=APP_LIST_LIMIT)  # warm
        plain, with_facets, facet_only, facet_all = [], [], [], []
        for q in qs:
            t = time.perf_counter()
            res = index.search(q, lib, limit=APP_LIST_LIMIT)
            searched = time.perf_counter()
            facets(lib, [h.id for h in res.hits])
            done = time.perf_counter()
            plain.append((searched - t) * 1000)
            with_facets.append((done - t) * 1000)
            facet_only.append((done - searched) * 1000)
        for q in qs[::8]:
            every = index.search(q, lib, limit=max(1, index.search(q, lib, limit=1).total))
            t = time.perf_counter()
            facets(lib, [h.id for h in every.hits])
            facet_all.append((time.perf_counter() - t) * 1000)
        result["search"] = {
            "queries": len(qs), "limit": APP_LIST_LIMIT,
            "search_p95_ms": round(percentile(plain, 95), 2),
            "search_plus_facets_p95_ms": round(percentile(with_facets, 95), 2),
            "facets_added_to_p95_ms": round(percentile(with_facets, 95) - percentile(plain, 95), 2),
            "facets_alone": summary(facet_only), "facets_over_all_results": summary(facet_all),
            "target_added_ms": 30,
        }
        network(lib, top=5)  # networkx imported once, as the app's worker process would have it
        net_ms, net = timed(lambda: network(lib, top=50), max(3, args.repeat // 3))
        q_ids = [h.id for h in index.search("blair OR brown", lib, limit=APP_LIST_LIMIT).hits]
        qnet_ms, _ = timed(lambda: network(lib, q_ids, top=50), max(3, args.repeat // 3))
        result["network_top50_library"] = summary(net_ms) | {"nodes": len(net.nodes), "edges": len(net.edges),
                                                             "target_ms": 500}
        result["network_top50_of_results"] = summary(qnet_ms) | {"articles": len(q_ids)}
    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(result, indent=2))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
