"""GUI-thread stalls of the real app while it starts and while it builds the index.

A heartbeat timer in the GUI thread (the app's own ``StallMonitor``, every
20 ms) measures how late each beat fires; a late beat is a stall.  Scenarios,
each a fresh app process (offscreen) over a BBC library imported 10 times
(``--quick``: once), entities already computed (rules backend):

  full_build   the index folder removed: the start builds the whole index
  startup      everything up to date: a normal start (refresh finds nothing)

Each run goes from window shown until the index is ready, the entities pass
is done and the first article is shown, then searches 5 queries one after
another and idles 0.5 s.  Reports the longest stall, how many beats were over
50 ms, the most CPU the GUI thread itself used during one stall ("GUI busy":
near the stall's length = our code was slow on the GUI thread; far below = it
waited for the GIL or for a CPU) and the time to index ready; median of 3
runs (``--runs N``).  Writes ``benchmarks/results/stalls.json``.
``BENCH_STALL_TRACE=1`` prints every thread's stack during each stall;
``--home DIR`` keeps the prepared library in DIR and reuses it next time.
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
sys.path.insert(0, str(HERE))

from bench_startup import BBC, prepare_bbc  # noqa: E402

QUERIES = ["election", "chelsea injury", '"prime minister"', "mobile OR broadband", "econom*"]

CHILD = r"""
import json, os, sys, time
sys.path.insert(0, os.environ["READER_ROOT"])
from PySide6.QtCore import QTimer
from reader.ui.app import ensure_app, make_main_window, open_library
from reader.ui.workers import StallMonitor
from reader import paths

QUERIES = json.loads(os.environ["BENCH_QUERIES"])
app = ensure_app()
lib = open_library(paths.database_path(), ask=lambda m: False)
win = make_main_window(lib)
monitor = StallMonitor(threshold_ms=50, interval_ms=20)  # the app's --debug-stalls: stalls over 50 ms
# A second heartbeat notes how much CPU the GUI thread itself used during each
# stall: much = our code was busy on the GUI thread; little = it waited (for the
# GIL held by a worker thread, or for a CPU on a loaded machine).
busy = []
late = [0]
clock = {"wall": time.perf_counter(), "cpu": time.thread_time()}
def attribute():
    wall, cpu = time.perf_counter(), time.thread_time()
    lateness = (wall - clock["wall"]) * 1000 - 20
    late.append(round(lateness))
    if lateness > 50:
        busy.append(round((cpu - clock["cpu"]) * 1000))
    clock["wall"], clock["cpu"] = wall, cpu
beat = QTimer()
beat.timeout.connect(attribute)
win.show()
monitor.start()
beat.start(20)
clock["wall"] = time.perf_counter()
t0 = time.perf_counter()
state = {"phase": "start", "index_ready_s": None, "queries": list(QUERIES), "until": 0.0}
if os.environ.get("BENCH_STALL_TRACE") == "1":  # print the stacks of every thread during a stall
    import threading, traceback
    last = {"t": time.perf_counter()}
    monitor._timer.timeout.connect(lambda: last.__setitem__("t", time.perf_counter()))
    def watch():
        dumped = 0.0
        while True:
            time.sleep(0.01)
            now = time.perf_counter()
            if now - last["t"] > 0.06 and dumped != last["t"]:
                dumped = last["t"]
                print(f"--- stall at {now - t0:.2f} s, phase {state['phase']}", file=sys.stderr)
                main = threading.main_thread().ident
                for tid, frame in sys._current_frames().items():
                    if tid != threading.get_ident():
                        name = "GUI thread" if tid == main else "worker thread"
                        print(f"[{name}]\n" + "".join(traceback.format_stack(frame)[-8:]), file=sys.stderr)
    threading.Thread(target=watch, daemon=True).start()

def ready():
    return (win.indexing.state.startswith("Index:") and win.indexing.state[7:8].isdigit()
            and not win.indexing.entities_running and win.reader.article is not None)

def tick():
    now = time.perf_counter()
    if now - t0 > 600:
        state["phase"] = "timeout"
        app.quit()
    elif state["phase"] == "start" and ready():
        state["index_ready_s"] = now - t0
        state["phase"] = "search"
    elif state["phase"] == "search":
        results = win.list_pane.results_model
        if state["queries"] and (results.query == win.search_bar.text() or not win.search_bar.text()):
            win.search_bar.set_query(state["queries"].pop(0))
        elif not state["queries"] and results.query == win.search_bar.text():
            state["phase"], state["until"] = "idle", now + 0.5
    elif state["phase"] == "idle" and now > state["until"]:
        app.quit()

poll = QTimer()
poll.timeout.connect(tick)
poll.start(25)
app.exec()
monitor.stop()
win.runner.cancel_all()
win.close()
win.runner.wait(60000)
print("STALLS " + json.dumps({"phase": state["phase"], "index_ready_s": state["index_ready_s"],
                              "max_stall_ms": max(late), "beats_over_50ms": len(monitor.stalls),
                              "over_50ms": sorted(monitor.stalls)[-10:],
                              "gui_cpu_in_stalls_ms": sorted(busy)[-10:]}), flush=True)
"""


def run_once(home: Path) -> dict[str, object]:
    env = dict(os.environ, READER_HOME=str(home), QT_QPA_PLATFORM="offscreen", READER_ROOT=str(ROOT),
               BENCH_QUERIES=json.dumps(QUERIES))
    proc = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, timeout=900)
    if env.get("BENCH_STALL_TRACE") == "1":
        print(proc.stderr, file=sys.stderr)
    for line in proc.stdout.splitlines():
        if line.startswith("STALLS "):
            result: dict[str, object] = json.loads(line[7:])
            if result["phase"] != "idle":
                raise RuntimeError(f"run did not finish: {result}")
            return result
    raise RuntimeError(proc.stderr[-2000:])


def summarise(runs: list[dict[str, object]]) -> dict[str, object]:
    out: dict[str, object] = {}
    for run in runs:
        run["max_gui_cpu_in_a_stall_ms"] = max(run["gui_cpu_in_stalls_ms"], default=0)  # type: ignore[call-overload]
    for key in ("max_stall_ms", "beats_over_50ms", "max_gui_cpu_in_a_stall_ms", "index_ready_s"):
        out[key] = round(statistics.median(float(r[key]) for r in runs), 3)  # type: ignore[arg-type]
    out["runs"] = runs
    return out


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    runs = 1 if quick else int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 3
    copies = 1 if quick else 10
    if not BBC.is_dir():
        print(f"BBC corpus not found at {BBC}", file=sys.stderr)
        return 2
    results: dict[str, object] = {"copies": copies, "runs": runs, "load_avg_at_start": os.getloadavg()[0]}
    keep = Path(argv[argv.index("--home") + 1]) if "--home" in argv else None
    with tempfile.TemporaryDirectory(prefix="reader-bench-stalls-") as tmp:
        home = keep or Path(tmp)
        sys.path.insert(0, str(ROOT))
        os.environ["READER_HOME"] = str(home)
        from reader import paths

        if (home / "prepared").exists():  # --home DIR of an earlier run: reuse its library
            from reader.store import Library

            lib = Library.open(paths.database_path())
            results["articles"] = lib.count()
            lib.close()
        else:
            t = time.perf_counter()
            results["articles"] = prepare_bbc(home, copies)
            from reader.jobs.entities import compute_for_library

            # The rules backend keeps preparing 22k articles to minutes (combined: ~20 min);
            # the app is told to use it too, so no start recomputes entities.
            compute_for_library(paths.database_path(), backend="rules", processes=2)
            (paths.config_dir() / "reader.ini").write_text("[entities]\nbackend=rules\n", encoding="utf-8")
            print(f"prepared in {time.perf_counter() - t:.0f} s", file=sys.stderr, flush=True)
            run_once(home)  # first start: builds the index, settles everything
            (home / "prepared").touch()
        index_dir = paths.index_dir()
        build_runs, start_runs = [], []
        for _ in range(runs):
            shutil.rmtree(index_dir, ignore_errors=True)
            build_runs.append(run_once(home))
            start_runs.append(run_once(home))
            print(f"  full build {build_runs[-1]}\n  startup {start_runs[-1]}", file=sys.stderr, flush=True)
        results["full_build"] = summarise(build_runs)
        results["startup"] = summarise(start_runs)
    print(f"\n{'scenario':<12} {'articles':>9} {'max stall (ms)':>15} {'beats > 50 ms':>14} {'GUI busy (ms)':>14}"
          f" {'index ready (s)':>16}")
    for name in ("full_build", "startup"):
        data = results[name]
        assert isinstance(data, dict)
        print(f"{name:<12} {results['articles']:>9,} {data['max_stall_ms']:>15.0f} {data['beats_over_50ms']:>14.0f}"
              f" {data['max_gui_cpu_in_a_stall_ms']:>14.0f} {data['index_ready_s']:>16.2f}")
    print("GUI busy: the most CPU the GUI thread itself used during one stall (the rest of a stall is waiting)")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "stalls.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
