"""Whoosh stays inside reader/search; reader/search never imports Qt."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
IMPORT = re.compile(r"^\s*(?:from|import)\s+(whoosh|PySide6)\b", re.M)


def test_only_reader_search_imports_whoosh() -> None:
    offenders = []
    for path in (ROOT / "reader").rglob("*.py"):
        for match in IMPORT.finditer(path.read_text(encoding="utf-8")):
            inside_search = path.is_relative_to(ROOT / "reader" / "search")
            if (match.group(1) == "whoosh" and not inside_search) or (match.group(1) == "PySide6" and inside_search):
                offenders.append(f"{path.relative_to(ROOT)}: {match.group(0).strip()}")
    assert offenders == []


def test_importing_search_does_not_load_qt() -> None:
    code = "import sys, reader.search; print(any(m.startswith('PySide6') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
