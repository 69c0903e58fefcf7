"""Store and core timings the tests check only as behaviour.

* anchoring: re-anchoring quotes that are gone from a 100,000-character text
  (a 6,000-character quote and a 40-character one) - the fuzzy stages align
  short probes only (tests/store/test_anchoring.py checks that; this measures it);
* ingest: refusing a 50 MB file (sparse) before reading it (tests/core/test_ingest_files.py);
* writes: small committed changes per second on a library file (annotate,
  bookmark, tag - what tests/store/test_crash_safety.py kills a writer during);
* delete: deleting N articles with their bookmarks, tags, notes and entities
  as one transaction (``Library.delete_articles``) and undoing it
  (``restore_articles``), next to the former way, one article after another
  with a transaction for each change.

Median of ``--runs`` runs (3); prints a table and writes ``benchmarks/results/store.json``.
Usage: ``python benchmarks/bench_store.py [--quick] [--runs N]``.  No corpus needed.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from reader.core.anchoring import Selector, anchor, make_selector  # noqa: E402
from reader.core.article import Article, Block, BlockKind, article_id, content_hash  # noqa: E402
from reader.core.ingest import IngestError, load_file  # noqa: E402
from reader.store import EntitySpan, Library  # noqa: E402

RESULTS = HERE / "results"


def median_s(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def bench_anchoring(runs: int) -> dict[str, float]:
    rng = random.Random(3)
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9))) for _ in range(3000)]
    text = " ".join(rng.choice(words) for _ in range(25000))[:100_000]
    long_gone = make_selector("x" * 100 + "zq " * 2000, 100, 6100)
    short_gone = Selector(50_000, 50_040, "the quick brown fox jumps over the dog", "p" * 32, "s" * 32)
    moved = make_selector(text, 40_000, 40_200)
    shifted = "inserted words " * 100 + text
    return {
        "long_quote_gone_ms": round(1000 * median_s(lambda: anchor(text, long_gone), runs), 2),
        "short_quote_gone_ms": round(1000 * median_s(lambda: anchor(text, short_gone), runs), 2),
        "quote_moved_ms": round(1000 * median_s(lambda: anchor(shifted, moved), runs), 2),
    }


def bench_huge_file(runs: int, tmp: Path) -> dict[str, float]:
    path = tmp / "huge.txt"
    with open(path, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)

    def refuse() -> None:
        try:
            load_file(path)
        except IngestError:
            return
        raise AssertionError("a 50 MB file was accepted")

    return {"refuse_50mb_ms": round(1000 * median_s(refuse, runs), 3)}


def article(n: int) -> Article:
    identity = f"bench:{n}"
    paras = tuple(f"Paragraph {i} of story {n}: the harbour authority opened a terminal in Rotterdam."
                  for i in range(12))
    return Article(id=article_id(identity), identity=identity, title=f"Story {n}", url=None,
                   content_hash=content_hash("\n".join(paras)), published=None,
                   blocks=tuple(Block(BlockKind.PARAGRAPH, p) for p in paras))


def fill(lib: Library, n: int) -> list[str]:
    ids = []
    for i in range(n):
        art = article(i)
        lib.upsert(art)
        lib.set_bookmark(art.id, True)
        lib.add_tag(art.id, "ports")
        lib.annotate_quote(art.id, "harbour authority", note=f"note {i}")
        start = art.plain_text.index("Rotterdam")
        lib.set_entities(art.id, [EntitySpan(start, start + 9, "GPE", "Rotterdam")], "bench:1", "h")
        ids.append(art.id)
    return ids


def bench_writes(tmp: Path, changes: int) -> dict[str, float]:
    with Library.open(tmp / "writes.db") as lib:
        target = article(0)
        lib.upsert(target)
        text = target.plain_text
        t0 = time.perf_counter()
        for i in range(changes):
            start = (i * 7) % (len(text) - 20)
            lib.annotate(target.id, start, start + 12, note=f"note {i}")
            if i % 3 == 0:
                lib.set_bookmark(target.id, i % 2 == 0)
                lib.add_tag(target.id, f"t{i % 5}")
        elapsed = time.perf_counter() - t0
    commits = changes + 2 * len(range(0, changes, 3))
    return {"commits": commits, "commits_per_s": round(commits / elapsed, 1)}


def per_article_delete(lib: Library, ids: list[str]) -> None:
    """The former way: a snapshot and a delete per article, each change its own transaction."""
    for aid in ids:
        lib.article(aid)
        lib.is_bookmarked(aid)
        lib.tags_of(aid)
        lib.annotations(aid)
        lib.read_position(aid)
        lib.delete(aid)


def bench_delete(tmp: Path, n: int, runs: int) -> dict[str, float]:
    one_tx, undo, each = [], [], []
    for run in range(runs):
        with Library.open(tmp / f"delete-{run}.db") as lib:
            ids = fill(lib, n)
            t0 = time.perf_counter()
            snaps = lib.delete_articles(ids)
            one_tx.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            lib.restore_articles(snaps)
            undo.append(time.perf_counter() - t0)
            assert lib.count() == n
            t0 = time.perf_counter()
            per_article_delete(lib, ids)
            each.append(time.perf_counter() - t0)
    return {"articles": n, "delete_one_transaction_ms": round(1000 * statistics.median(one_tx), 1),
            "restore_one_transaction_ms": round(1000 * statistics.median(undo), 1),
            "delete_per_article_ms": round(1000 * statistics.median(each), 1)}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp_name:
        tmp = Path(tmp_name)
        results: dict[str, object] = {
            "runs": args.runs,
            "anchoring": bench_anchoring(args.runs),
            "ingest": bench_huge_file(args.runs, tmp),
            "writes": bench_writes(tmp, 100 if args.quick else 600),
            "delete": bench_delete(tmp, 50 if args.quick else 500, args.runs),
        }
    for group, figures in results.items():
        if isinstance(figures, dict):
            for name, value in figures.items():
                print(f"{group:10} {name:28} {value}")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "store.json"
    tmp_out = out.with_suffix(".tmp")
    tmp_out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    tmp_out.replace(out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
