"""Entity recognition quality and throughput per backend, beside spaCy-sm alone.

Quality: per-type precision, recall and F1 of each backend (rules, spaCy-sm
alone, combined = the default) on every development set, measured in the same
run: the CoNLL-2003 and OntoNotes 5 *development* samples
(``tests/core/dev_sets/``; never a test split), the DW seed gold and the BBC gold
(``tests/core/gold/``).

Corpus (``--corpus``, also part of ``--full``): recognises all 2,225 BBC articles
with the default backend in 2 processes, links them into canonical entities and
prints the top 30 people, organisations and places by article count (names as
the recogniser gives them and as canonical entities), so a person can check that
no award, party short form, place, time zone or common noun is among the people.

Recognition alone: reads the BBC news texts (``../shared/data/bbc/*/*.txt``; one
file is Latin-1) directly, runs each backend (rules, spacy, combined) in 1 and 2
worker processes (``spawn``, the model loaded once per worker before timing).
Ingest: imports the same files into a fresh library (``import_paths``) and then
runs ``compute_for_library`` with 1 and 2 processes (model loading included),
the whole path a user waits for.  Median of 3 runs; prints tables and writes
``benchmarks/results/entities.json``.

Usage: ``python benchmarks/bench_entities.py [--quick | --full] [--runs N] [--quality-only] [--corpus]``
(default: every 4th file, about a quarter of the corpus; ``--quick``: 60 files).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from reader.core.entities import get_recogniser, spacy_available  # noqa: E402

BBC = ROOT.parent / "shared" / "data" / "bbc"
RESULTS = HERE / "results"

_REC = None


def read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def corpus_files(mode: str) -> list[Path]:
    files = sorted(BBC.glob("*/*.txt"))
    if mode == "quick":
        files = files[::37][:60]
    elif mode == "sample":
        files = files[::4]
    return files


def _init(backend: str) -> None:
    global _REC
    _REC = get_recogniser(backend)


def _work(texts: list[str]) -> int:
    assert _REC is not None
    many = getattr(_REC, "recognise_many", None)
    results = many(texts) if many else [_REC.recognise(t) for t in texts]
    return sum(len(r) for r in results)


def _chunks(texts: list[str], size: int = 8) -> list[list[str]]:
    return [texts[i : i + size] for i in range(0, len(texts), size)]


def bench(backend: str, processes: int, texts: list[str], runs: int) -> dict[str, float]:
    words = sum(len(t.split()) for t in texts)
    chunks = _chunks(texts)
    times: list[float] = []
    entities = 0
    if processes == 1:
        _init(backend)
        _work(texts[:2])  # warm up
        for _ in range(runs):
            t0 = time.perf_counter()
            entities = sum(_work(c) for c in chunks)
            times.append(time.perf_counter() - t0)
    else:
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(processes, initializer=_init, initargs=(backend,)) as pool:
            pool.map(_work, [texts[:1]] * processes * 2)  # load the model in every worker
            for _ in range(runs):
                t0 = time.perf_counter()
                entities = sum(pool.imap_unordered(_work, chunks))
                times.append(time.perf_counter() - t0)
    median = statistics.median(times)
    return {
        "articles_per_s": round(len(texts) / median, 1),
        "words_per_s": round(words / median),
        "median_s": round(median, 3),
        "runs_s": [round(t, 3) for t in times],
        "words": words,
        "entities": entities,
    }


def ingest(backend: str, processes: int, files: list[Path], runs: int) -> dict[str, object]:
    """Import ``files`` into a new library, then compute entities: seconds each."""
    from reader.jobs.entities import compute_for_library
    from reader.store import Library
    from reader.store.importer import import_paths

    imports, entities, totals = [], [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
            staging = Path(tmp) / "in"
            for f in files:  # as UTF-8 (one BBC file is Latin-1), outside the repository
                target = staging / f.parent.name / f.name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(read_text(f), encoding="utf-8")
            db = Path(tmp) / "library.sqlite3"
            t0 = time.perf_counter()
            lib = Library.open(db)
            import_paths(lib, [staging])
            lib.close()
            t1 = time.perf_counter()
            compute_for_library(db, backend=backend, processes=processes)
            t2 = time.perf_counter()
        imports.append(t1 - t0)
        entities.append(t2 - t1)
        totals.append(t2 - t0)
    total = statistics.median(totals)
    words = sum(len(read_text(f).split()) for f in files)
    return {"import_s": round(statistics.median(imports), 2), "entities_s": round(statistics.median(entities), 2),
            "total_s": round(total, 2), "articles_per_s": round(len(files) / total, 1),
            "words_per_s": round(words / total), "runs_total_s": [round(t, 2) for t in totals]}


DEV = ROOT / "tests" / "core"
TOP = 30


def dev_sets() -> dict[str, tuple[list, tuple[str, ...]]]:
    """name -> (gold documents, labels scored) for every development set."""
    from reader.core.entities.evaluate import (
        CONLL_LABELS,
        CONLL_SCORED,
        GOLD_LABELS,
        ONTONOTES_LABELS,
        load_bracketed,
        load_gold,
    )

    return {
        "conll2003-dev": (load_bracketed(DEV / "dev_sets" / "conll2003_dev.txt", CONLL_LABELS), CONLL_SCORED),
        "ontonotes-dev": (load_bracketed(DEV / "dev_sets" / "ontonotes_dev.txt", ONTONOTES_LABELS), GOLD_LABELS),
        "dw-seeds": (load_gold(DEV / "gold" / "seeds.jsonl"), GOLD_LABELS),
        "bbc-gold": (load_gold(DEV / "gold" / "bbc.jsonl"), GOLD_LABELS),
    }


def quality(backends: list[str]) -> dict[str, object]:
    """Per-type P/R/F1 of each backend on each development set (printed and returned)."""
    from reader.core.entities.evaluate import evaluate, table

    out: dict[str, object] = {}
    for name, (docs, labels) in dev_sets().items():
        results = {b: evaluate(get_recogniser(b), docs, labels) for b in backends}
        gold = sum(1 for d in docs for e in d.entities if e[2] in labels)
        print(f"\n{name}: {len(docs)} documents, {gold} gold entities (P R F1 per type)")
        print(table(results, (*labels, "ALL")))
        out[name] = {
            "documents": len(docs),
            "entities": gold,
            "scores": {
                b: {lab: {"p": round(sc.precision, 4), "r": round(sc.recall, 4), "f1": round(sc.f1, 4),
                          "tp": sc.tp, "fp": sc.fp, "fn": sc.fn} for lab, sc in res.items()}
                for b, res in results.items()
            },
        }
    return out


def _corpus_work(texts: list[tuple[str, str]]) -> list[tuple[str, list[tuple[str, str, str]]]]:
    assert _REC is not None
    many = getattr(_REC, "recognise_many", None)
    found = many([t for _, t in texts]) if many else [_REC.recognise(t) for _, t in texts]
    return [(aid, [(s.label, s.text, s.norm) for s in spans]) for (aid, _), spans in zip(texts, found, strict=True)]


def corpus(backend: str = "auto") -> dict[str, object]:
    """Recognise the whole BBC corpus (2 processes), print and return the top people,
    organisations and places by article count, raw and as canonical entities."""
    from collections import defaultdict

    from reader.core.entities.canonical import Mention, canonicalise
    from reader.core.ingest import load_file

    files = sorted(BBC.glob("*/*.txt"))
    items = [(f"{f.parent.name}/{f.stem}", load_file(f).plain_text) for f in files]
    t0 = time.perf_counter()
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2, initializer=_init, initargs=(backend,)) as pool:
        results = list(pool.imap_unordered(_corpus_work, _chunks(items)))  # type: ignore[arg-type]
    recognised = time.perf_counter() - t0
    raw: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    mentions: list[Mention] = []
    for chunk in results:
        for aid, spans in chunk:
            counts: dict[tuple[str, str, str], int] = defaultdict(int)
            for label, text, norm in spans:
                raw[label][norm].add(aid)
                counts[(label, text, norm)] += 1
            mentions += [Mention(aid, lab, text, norm, n) for (lab, text, norm), n in counts.items()]
    t1 = time.perf_counter()
    canon = canonicalise(mentions)
    linked = time.perf_counter() - t1
    out: dict[str, object] = {"articles": len(items), "recognise_s": round(recognised, 1),
                              "canonicalise_s": round(linked, 2), "mentions": len(mentions)}
    print(f"\nBBC corpus: {len(items)} articles recognised in {recognised:.0f} s ({backend}, 2 processes); "
          f"{len(mentions)} distinct mentions linked in {linked:.1f} s")
    for label in ("PERSON", "ORG", "PLACE"):
        top_raw = sorted(raw[label].items(), key=lambda kv: (-len(kv[1]), kv[0]))[:TOP]
        top_canon = [e for e in canon.entities if e.label == label][:TOP]
        print(f"top {TOP} {label} (names):     " + ", ".join(f"{k} ({len(v)})" for k, v in top_raw))
        print(f"top {TOP} {label} (canonical): " + ", ".join(f"{e.name} ({e.article_count})" for e in top_canon))
        out[label] = {
            "names": [[k, len(v)] for k, v in top_raw],
            "canonical": [[e.name, e.article_count, list(e.aliases[:5])] for e in top_canon],
        }
    for name in ("Tony Blair", "Gordon Brown", "George W Bush", "Mark Blair"):
        found = canon.resolve(name, "PERSON")
        if found:
            e = found[0]
            print(f"{name}: {e.article_count} articles, aliases {list(e.aliases[:5])}")
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--quick", action="store_true")
    group.add_argument("--full", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quality-only", action="store_true", help="only the per-type quality tables")
    parser.add_argument("--corpus", action="store_true", help="also the whole-corpus top-30 check")
    args = parser.parse_args(argv)
    if not BBC.is_dir():
        print(f"no BBC corpus at {BBC}", file=sys.stderr)
        return 1
    mode = "quick" if args.quick else "full" if args.full else "sample"
    files = corpus_files(mode)
    texts = [read_text(f) for f in files]
    backends = ["rules"] + (["spacy", "combined"] if spacy_available() else [])
    results: dict[str, object] = {
        "corpus": {"mode": mode, "documents": len(texts), "words": sum(len(t.split()) for t in texts)},
        "runs": args.runs,
        "backends": {},
    }
    results["quality"] = quality(backends)
    if args.corpus or args.full:
        results["bbc_top"] = corpus()
    if args.quality_only:
        return _save(results, "entities_quality.json")
    rows = []
    for backend in backends:
        per: dict[str, object] = {}
        for processes in (1, 2):
            res = bench(backend, processes, texts, args.runs)
            per[f"{processes}p"] = res
            rows.append((backend, processes, res["articles_per_s"], res["words_per_s"], res["median_s"],
                         res["entities"]))
            print(f"{backend:9} {processes}p {res['words_per_s']:>9} words/s", flush=True)
        results["backends"][backend] = per  # type: ignore[index]
    ingest_rows = []
    results["ingest"] = {}
    for backend in backends:
        per = {}
        for processes in (1, 2):
            res = ingest(backend, processes, files, args.runs)
            per[f"{processes}p"] = res
            ingest_rows.append((backend, processes, res))
            print(f"{backend:9} {processes}p ingest {res['total_s']} s", flush=True)
        results["ingest"][backend] = per  # type: ignore[index]
    version = {b: get_recogniser(b).version for b in backends}
    results["versions"] = version
    print(f"\n{len(texts)} documents, {results['corpus']['words']} words, median of {args.runs}")  # type: ignore[index]
    print("recognition only (model loaded before timing)")
    print(f"{'backend':10}{'procs':>6}{'articles/s':>11}{'words/s':>10}{'median s':>10}{'entities':>10}")
    for backend, processes, aps, wps, med, n in rows:
        print(f"{backend:10}{processes:>6}{aps:>11}{wps:>10}{med:>10}{n:>10}")
    print("ingest: import + entities into a new library (model loading included)")
    print(f"{'backend':10}{'procs':>6}{'import s':>9}{'entities s':>11}{'total s':>9}{'articles/s':>11}{'words/s':>9}")
    for backend, processes, r in ingest_rows:
        print(f"{backend:10}{processes:>6}{r['import_s']:>9}{r['entities_s']:>11}{r['total_s']:>9}"
              f"{r['articles_per_s']:>11}{r['words_per_s']:>9}")
    speed = results["backends"]  # type: ignore[index]
    if "spacy" in speed and "combined" in speed:
        for procs in ("1p", "2p"):
            ratio = speed["combined"][procs]["words_per_s"] / max(1, speed["spacy"][procs]["words_per_s"])
            print(f"combined vs spaCy-sm alone ({procs}): {ratio:.2f}x the words/s")
    return _save(results, "entities.json")


def _save(results: dict[str, object], name: str) -> int:
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / name
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps(results, indent=2), encoding="utf-8")
    tmp.replace(out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
