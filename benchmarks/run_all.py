"""Run every benchmark and merge their JSON into benchmarks/results/latest.json.

Each bench_*.py script prints its own table and writes results/<name>.json; this
runner calls them in turn (each in its own process, so peak RSS figures are
per benchmark), adds the bundle size when a bundle has been built, and writes
the merged file.  Usage: ``make bench`` (or ``python benchmarks/run_all.py --quick``).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


def _dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def main(argv: list[str]) -> int:
    RESULTS.mkdir(exist_ok=True)
    extra = [a for a in argv if a.startswith("--")]
    merged: dict[str, object] = {"started": time.strftime("%Y-%m-%dT%H:%M:%S"), "machine": {"python": sys.version}}
    failures = []
    for script in sorted(HERE.glob("bench_*.py")):
        name = script.stem.removeprefix("bench_")
        print(f"\n=== {script.name} ===", flush=True)
        proc = subprocess.run([sys.executable, str(script), *extra], cwd=HERE.parent)
        out = RESULTS / f"{name}.json"
        if proc.returncode != 0:
            failures.append(script.name)
        if out.exists():
            merged[name] = json.loads(out.read_text(encoding="utf-8"))
    bundle = HERE.parent / "dist" / "reader"
    if bundle.is_dir():
        merged["bundle_size_mb"] = round(_dir_size(bundle) / 1e6, 1)
        print(f"\nbundle size: {merged['bundle_size_mb']} MB ({bundle})")
    (RESULTS / "latest.json").write_text(json.dumps(merged, indent=2), encoding="utf-8")
    print(f"\nwrote {RESULTS / 'latest.json'}")
    if failures:
        print("failed: " + ", ".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
