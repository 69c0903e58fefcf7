"""Run every benchmark and merge their JSON into benchmarks/results/latest.json.

Each bench_*.py script prints its own table and writes results/<name>.json; this
runner calls them in turn (each in its own process, so peak RSS figures are
per benchmark), adds the bundle size when a bundle has been built, and writes
the merged file.  Usage: ``make bench`` (or ``python benchmarks/run_all.py --quick``;
``--merge-only`` rebuilds latest.json and the summary from the results already there).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


def _dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def _get(data: dict[str, Any], path: str) -> Any:
    for key in path.split("."):
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


#: (figure, where in latest.json, target, unit); target None: reported only.
TARGETS: list[tuple[str, str, float | None, str]] = [
    ("window shown, seeds", "startup.seeds.window_shown_s", 0.5, "s"),
    ("first article, seeds", "startup.seeds.first_article_s", 0.8, "s"),
    ("window shown, 10x", "startup.bbc_x10.window_shown_s", 0.5, "s"),
    ("first article, 10x", "startup.bbc_x10.first_article_s", 0.8, "s"),
    ("peak RSS, app + search process, 10x", "startup.bbc_x10.total_rss_mb", 350, "MB"),
    ("peak RSS, app process alone, 10x", "startup.bbc_x10.peak_rss_mb", None, "MB"),
    ("full build 1x", "search.scales.1x.reader.build_s", 4.0, "s"),
    ("full build 1x, FTS5", "search.scales.1x.fts5.build_s", None, "s"),
    ("full build 10x", "search.scales.10x.reader.build_s", None, "s"),
    ("refresh unchanged 10x", "search.scales.10x.reader.refresh_unchanged_s", 0.3, "s"),
    ("refresh 1% / full build, 1x", "search.scales.1x.refresh_ratio", 0.10, ""),
    ("refresh 1% / full build, 10x", "search.scales.10x.refresh_ratio", 0.10, ""),
    ("search p95 10x (20 snippets)", "search.scales.10x.reader.query_p95_ms", 60, "ms"),
    ("search p95 10x, app's search process", "search.scales.10x.reader.app_query_p95_ms", 60, "ms"),
    ("search p95 10x, FTS5", "search.scales.10x.fts5.query_p95_ms", None, "ms"),
    ("search max 10x", "search.scales.10x.reader.query_max_ms", None, "ms"),
    ("GUI stall max, full build 10x", "stalls.full_build.max_stall_ms", 50, "ms"),
    ("GUI stall max, startup 10x", "stalls.startup.max_stall_ms", 50, "ms"),
    ("ingest+entities combined 2p", "entities.ingest.combined.2p.articles_per_s", None, "art/s"),
    ("ingest+entities combined 1p", "entities.ingest.combined.1p.articles_per_s", None, "art/s"),
    ("ingest+entities rules 2p", "entities.ingest.rules.2p.articles_per_s", None, "art/s"),
    ("DW real pages: fields right", "dw.overall", None, ""),
    ("DW real pages: crashes", "dw.crashes", 1, ""),
    ("feeds: first refresh 50x50, full text", "feeds.first.seconds", 15, "s"),
    ("feeds: second refresh, all 304", "feeds.second.seconds_median_of_3", 1, "s"),
    ("bundle size", "bundle_size_mb", None, "MB"),
]


def print_summary(merged: dict[str, Any]) -> None:
    """One table of every figure against its target (medians; see each script)."""
    for scale in ("1x", "10x"):
        data = _get(merged, f"search.scales.{scale}.reader")
        if data:
            merged["search"]["scales"][scale]["refresh_ratio"] = round(data["refresh_1pct_s"] / data["build_s"], 3)
    print(f"\n{'figure':38}{'measured':>12}{'target':>10}  ok")
    for label, path, target, unit in TARGETS:
        value = _get(merged, path)
        if value is None:
            print(f"{label:38}{'-':>12}{'':>10}  not measured")
            continue
        shown = f"{value:.3g} {unit}".strip()
        goal = f"< {target:g}" if target is not None else ""
        verdict = "" if target is None else ("yes" if value < target else "NO")
        print(f"{label:38}{shown:>12}{goal:>10}  {verdict}")


def main(argv: list[str]) -> int:
    RESULTS.mkdir(exist_ok=True)
    merge_only = "--merge-only" in argv  # rebuild latest.json from the results/*.json already there
    extra = [a for a in argv if a.startswith("--") and a != "--merge-only"]
    merged: dict[str, Any] = {"started": time.strftime("%Y-%m-%dT%H:%M:%S"),
                              "machine": {"python": sys.version, "cpus": os.cpu_count(), "load_avg": os.getloadavg()}}
    failures = []
    for script in sorted(HERE.glob("bench_*.py")):
        name = script.stem.removeprefix("bench_")
        out = RESULTS / f"{name}.json"
        if not merge_only:
            print(f"\n=== {script.name} ===", flush=True)
            proc = subprocess.run([sys.executable, str(script), *extra], cwd=HERE.parent)
            if proc.returncode != 0:
                failures.append(script.name)
        if out.exists():
            merged[name] = json.loads(out.read_text(encoding="utf-8"))
    bundle = HERE.parent / "dist" / "reader"
    if bundle.is_dir():
        merged["bundle_size_mb"] = round(_dir_size(bundle) / 1e6, 1)
        print(f"\nbundle size: {merged['bundle_size_mb']} MB ({bundle})")
    print_summary(merged)
    (RESULTS / "latest.json").write_text(json.dumps(merged, indent=2), encoding="utf-8")
    print(f"\nwrote {RESULTS / 'latest.json'}")
    if failures:
        print("failed: " + ", ".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
