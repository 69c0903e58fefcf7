"""DW parser accuracy on real page scrapes: per-field accuracy, crashes, every miss.

Parses every page listed in a labelled corpus folder (default
``tests/core/dw_real/``: real stored DW scrapes with hand-read labels in
``labels.tsv``) as a DW scrape and compares title, published date and authors
with the labels (see ``reader/core/ingest/dw_score.py``).  Prints the per-field
table and each miss, and writes ``benchmarks/results/dw.json`` (accuracies,
crashes, the misses, and the median parse time per page).

Usage: ``python benchmarks/bench_dw.py [FOLDER] [--runs N]`` -- FOLDER may be any
folder with ``.txt`` scrapes and a ``labels.tsv`` in the same format, e.g. a
held-out set.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from reader.core.ingest.dw_score import FIELDS, load_labels, score  # noqa: E402

RESULTS = HERE / "results"
DEFAULT = ROOT / "tests" / "core" / "dw_real"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--runs", type=int, default=3, help="timing runs (median reported)")
    parser.add_argument("--quick", action="store_true", help="one timing run (run_all passes it)")
    parser.add_argument("--full", action="store_true", help="accepted for run_all; same as the default")
    args = parser.parse_args(argv)
    folder: Path = args.folder
    if not (folder / "labels.tsv").is_file():
        print(f"{folder}: no labels.tsv here", file=sys.stderr)
        return 2
    labels = load_labels(folder)
    runs = 1 if args.quick else max(1, args.runs)
    times: list[float] = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = score(folder, labels)
        times.append(time.perf_counter() - start)
    assert result is not None
    for line in result.report_lines():
        print(line)
    per_page_ms = statistics.median(times) / max(1, len(labels)) * 1000
    print(f"median parse+score time per page: {per_page_ms:.2f} ms ({runs} run(s))")
    data = {
        "corpus": str(folder),
        "pages": len(result.pages),
        "crashes": result.crashes,
        "overall": round(result.overall, 4),
        "fields": {name: round(result.field_accuracy(name), 4) for name in FIELDS},
        "misses": [
            {"file": page.label.file, "field": name, "want": _want(page, name), "got": page.got.get(name)}
            for page in result.pages
            if page.error is None
            for name in page.misses
        ],
        "crash_files": [{"file": page.label.file, "error": page.error} for page in result.pages if page.error],
        "ms_per_page": round(per_page_ms, 3),
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "dw.json"
    out.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"wrote {out}")
    return 0


def _want(page, name: str) -> str:  # type: ignore[no-untyped-def]
    label = page.label
    return {"title": label.title, "published": label.published, "authors": "; ".join(label.authors)}[name]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
