"""Startup: process start -> window shown -> first article rendered, and peak RSS
of the app process, of its search process (after the startup refresh and one
search) and of both together.

Scenarios:
  seeds      a first start on an empty READER_HOME (imports the two bundled seeds)
  bbc_x10    a library of the BBC corpus imported 10 times (~22k articles)

Each run is a fresh process (offscreen) driven by the app's timing marks
(``READER_TIMING=1``); median of 3 runs.  Prints a table and writes
benchmarks/results/startup.json.  ``--quick``: 1 run, BBC x1.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
BBC = ROOT.parent / "shared" / "data" / "bbc"

CHILD = r"""
import os, resource, sys, time
sys.path.insert(0, os.environ["READER_ROOT"])
from reader.ui.app import ensure_app, make_main_window, open_library
from reader.ui.timing import timing_mark
from reader import paths
timing_mark("imports_done")
app = ensure_app()
lib = open_library(paths.database_path(), ask=lambda m: False)
win = make_main_window(lib)
win.show()
timing_mark("window_shown")
end = time.monotonic() + 120
while win.reader.article is None and time.monotonic() < end:
    app.processEvents()
    time.sleep(0.001)
timing_mark("first_article")
# The app is two processes: this one and the search process. Let the search
# process do its usual start work (refresh, one search), then read its peak RSS.
while not win.indexing.state[7:8].isdigit() and time.monotonic() < end:
    app.processEvents()
    time.sleep(0.001)
win.search_bar.set_query("election")
while win.list_pane.results_model.query != "election" and time.monotonic() < end:
    app.processEvents()
    time.sleep(0.001)
pid = getattr(win.index, "pid", None)
if pid:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            print("SEARCH_RSS_KB", line.split()[1], flush=True)
win.runner.cancel_all()
win.close()
win.runner.wait(60000)
print("PEAK_RSS_KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
"""


def run_once(home: Path) -> dict[str, float]:
    env = dict(os.environ, READER_HOME=str(home), READER_TIMING="1", QT_QPA_PLATFORM="offscreen",
               READER_ROOT=str(ROOT))
    start = time.time()
    proc = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-2000:])
    marks: dict[str, float] = {}
    rss = search_rss = 0
    for line in proc.stdout.splitlines():
        parts = line.split()
        if parts[:1] == ["READER_TIMING"]:
            marks.setdefault(parts[1], float(parts[2]))
        elif parts[:1] == ["PEAK_RSS_KB"]:
            rss = int(parts[1])
        elif parts[:1] == ["SEARCH_RSS_KB"]:
            search_rss = int(parts[1])
    return {
        "window_shown_s": marks["window_shown"] - start,
        "first_article_s": marks["first_article"] - start,
        "imports_s": marks.get("imports_done", start) - start,
        "peak_rss_mb": rss / 1024,
        "search_process_rss_mb": search_rss / 1024,
        "total_rss_mb": (rss + search_rss) / 1024,
    }


def prepare_bbc(home: Path, copies: int) -> int:
    """Import the BBC corpus ``copies`` times (each copy's text made distinct)."""
    sys.path.insert(0, str(ROOT))
    os.environ["READER_HOME"] = str(home)
    from reader import paths
    from reader.store import Library
    from reader.store.importer import import_paths

    staging = home / "staging"
    files = sorted(BBC.glob("*/*.txt"))
    for k in range(copies):
        for path in files:
            target = staging / f"copy{k}" / path.parent.name / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            text = path.read_text(encoding="latin-1")
            target.write_text(text.rstrip() + (f"\n\n(Copy {k}.)\n" if k else "\n"), encoding="utf-8")
    lib = Library.open(paths.database_path())
    lib.set_meta("seeds_imported", "1")
    report = import_paths(lib, [staging])
    count = lib.count()
    lib.close()
    shutil.rmtree(staging)
    print(f"prepared {count:,} articles ({report.summary()})", flush=True)
    return count


def summarise(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: round(statistics.median(r[key] for r in runs), 3) for key in runs[0]}


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    repeats = 1 if quick else 3
    copies = 1 if quick else 10
    RESULTS.mkdir(exist_ok=True)
    results: dict[str, object] = {"repeats": repeats}
    # seeds: a fresh first start each run
    runs = []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory(prefix="reader-bench-") as home:
            runs.append(run_once(Path(home)))
    results["seeds"] = {"articles": 2, **summarise(runs), "runs": runs}
    # BBC library: prepared once, started N times
    if BBC.is_dir():
        with tempfile.TemporaryDirectory(prefix="reader-bench-bbc-") as home:
            count = prepare_bbc(Path(home), copies)
            run_once(Path(home))  # the first start builds the index; measure warm starts
            runs = [run_once(Path(home)) for _ in range(repeats)]
            results[f"bbc_x{copies}"] = {"articles": count, **summarise(runs), "runs": runs}
    else:
        results["bbc"] = "skipped: no BBC corpus beside the checkout"
    print(f"\n{'scenario':<12} {'articles':>9} {'window (s)':>11} {'article (s)':>12} {'app RSS (MB)':>13}"
          f" {'search RSS':>11} {'total RSS':>10}")
    for name, value in results.items():
        if isinstance(value, dict) and "window_shown_s" in value:
            print(f"{name:<12} {value['articles']:>9,} {value['window_shown_s']:>11.3f} "
                  f"{value['first_article_s']:>12.3f} {value['peak_rss_mb']:>13.1f}"
                  f" {value['search_process_rss_mb']:>11.1f} {value['total_rss_mb']:>10.1f}")
    (RESULTS / "startup.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
