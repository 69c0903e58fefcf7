"""Running `python -m reader` in a subprocess, as a person in a shell would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def reader(*args: str, stdin: str | None = None, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reader", *args], capture_output=True, text=True, input=stdin,
                          timeout=timeout, env=os.environ.copy(), cwd=ROOT)


def import_ok(*paths: Path | str) -> None:
    proc = reader("import", *map(str, paths), "--no-entities", "--no-index")
    assert proc.returncode == 0, proc.stderr


def listed() -> list[dict[str, object]]:
    proc = reader("list", "--json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)
