"""The layers only point down (docs/ARCHITECTURE.md, "Layers").

Every module under ``reader/`` is parsed (``ast``, nothing is imported) and
each import it makes - at the top, inside functions, under ``TYPE_CHECKING``,
relative, or through ``importlib.import_module("...")`` with a literal name - is
checked against the order

    base (paths, settings, fsutil, logs, childproc) < core < store < search < net < feeds < jobs < ui < app (cli, __main__)

A module may import its own layer and the layers below, never one above; and
only ``reader/ui`` (and the app entry points) may import Qt.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "reader"

ORDER = ("base", "core", "store", "search", "net", "feeds", "jobs", "ui", "app")
BASE_MODULES = {"reader", "reader.paths", "reader.settings", "reader.fsutil", "reader.logs", "reader.childproc"}
APP_MODULES = {"reader.cli", "reader.cli_entity", "reader.__main__"}
QT_PACKAGES = ("PySide6", "shiboken6", "PyQt5", "PyQt6", "PySide2")
#: Layers that may import Qt.
QT_LAYERS = {"ui", "app"}


@dataclass(frozen=True)
class Violation:
    module: str
    line: int
    imported: str
    why: str

    def __str__(self) -> str:
        return f"{self.module}:{self.line} imports {self.imported}: {self.why}"


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> str | None:
    """The layer of a ``reader`` module (``None`` for anything outside ``reader``)."""
    if module in APP_MODULES or module.startswith("reader.cli_"):  # cli_net, cli_quotes...: parts of the CLI
        return "app"
    if module in BASE_MODULES:
        return "base"
    parts = module.split(".")
    if parts[0] != "reader":
        return None
    if len(parts) > 1 and parts[1] in ORDER:
        return parts[1]
    return "base"  # a new top-level helper module: it must not import any layer either


def imported_names(tree: ast.AST, module: str, is_package: bool, root: Path) -> Iterator[tuple[int, str]]:
    """(line, absolute module name) for every import in ``tree``."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            yield node.lineno, base
            for alias in node.names:  # ``from reader import ui`` imports the module reader.ui
                candidate = f"{base}.{alias.name}"
                rel = Path(*candidate.split("."))
                if (root.parent / rel).is_dir() or (root.parent / rel.with_suffix(".py")).is_file():
                    yield node.lineno, candidate
        elif (
            isinstance(node, ast.Call)
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and (
                (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
                or (isinstance(node.func, ast.Name) and node.func.id in {"import_module", "__import__"})
            )
        ):
            yield node.lineno, node.args[0].value


def violations(root: Path) -> tuple[list[Violation], dict[str, int]]:
    """Every import under ``root`` (a package folder) that points up a layer or
    brings Qt into a layer without it; and how many modules each layer has."""
    found: dict[tuple[str, int, str], Violation] = {}  # one per statement and reason
    counts: dict[str, int] = {}
    for path in sorted(root.rglob("*.py")):
        module = module_name(path, root)
        layer = layer_of(module)
        assert layer is not None
        counts[layer] = counts.get(layer, 0) + 1
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, name in imported_names(tree, module, path.name == "__init__.py", root):
            top = name.split(".")[0]
            if top in QT_PACKAGES and layer not in QT_LAYERS:
                found.setdefault((module, line, "qt"), Violation(module, line, name, f"the {layer} layer never imports Qt"))
                continue
            target = layer_of(name)
            if target is None or target == layer:
                continue
            if ORDER.index(target) > ORDER.index(layer):
                found.setdefault((module, line, target), Violation(module, line, name, f"{layer} is below {target}"))
    return list(found.values()), counts


def test_layers_only_point_down() -> None:
    found, counts = violations(ROOT)
    # the walk saw the real tree (a wrong root would find nothing and pass)
    for layer in ("base", "core", "store", "search", "jobs", "ui", "app"):
        assert counts.get(layer, 0) >= 1, f"no module found in the {layer} layer under {ROOT}"
    assert counts["core"] >= 10 and counts["ui"] >= 10
    assert not found, "imports that point up a layer:\n" + "\n".join(map(str, found))


def test_the_entities_pass_and_processes_live_in_jobs() -> None:
    assert (ROOT / "jobs" / "entities.py").is_file()
    assert (ROOT / "jobs" / "process.py").is_file()
    assert not (ROOT / "core" / "entities" / "batch.py").exists()


# ---- the checker itself finds what it must --------------------------------------
@pytest.fixture()
def fake_tree(tmp_path: Path) -> Path:
    root = tmp_path / "reader"
    for pkg in ("core", "core/entities", "store", "search", "jobs", "ui"):
        (root / pkg).mkdir(parents=True, exist_ok=True)
        (root / pkg / "__init__.py").write_text("")
    (root / "__init__.py").write_text("")
    (root / "paths.py").write_text("import os\n")
    (root / "cli.py").write_text("from reader.ui import app\nimport PySide6\n")
    (root / "ui" / "app.py").write_text("from PySide6.QtWidgets import QApplication\nfrom reader.jobs import x\n")
    (root / "jobs" / "x.py").write_text("from reader.search import y\nfrom reader.store import z\n")
    (root / "search" / "y.py").write_text("from ..store import z\n")
    (root / "store" / "z.py").write_text("from reader.core import a\nfrom reader import paths\n")
    (root / "core" / "a.py").write_text("import json\n")
    return root


def test_a_clean_tree_passes(fake_tree: Path) -> None:
    found, counts = violations(fake_tree)
    assert found == []
    assert counts == {"base": 2, "core": 3, "store": 2, "search": 2, "jobs": 2, "ui": 2, "app": 1}


@pytest.mark.parametrize(
    ("path", "source", "expected"),
    [
        ("core/entities/batch.py", "from reader.store.library import Library\n", "core is below store"),
        ("core/a.py", "def f():\n    import reader.search\n", "core is below search"),
        ("core/entities/__init__.py", "from ...store import z\n", "core is below store"),
        ("core/a.py", "from reader import jobs\n", "core is below jobs"),
        ("store/z.py", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from reader.ui import app\n",
         "store is below ui"),
        ("store/z.py", "import importlib\nm = importlib.import_module('reader.search.y')\n", "store is below search"),
        ("store/z.py", "from reader.jobs.x import run\n", "store is below jobs"),
        ("search/y.py", "from reader.jobs import x\n", "search is below jobs"),
        ("search/y.py", "from reader.ui.app import QApplication\n", "search is below ui"),
        ("jobs/x.py", "from reader.ui import app\n", "jobs is below ui"),
        ("jobs/x.py", "from reader.cli import main\n", "jobs is below app"),
        ("paths.py", "from reader.core import a\n", "base is below core"),
        ("core/a.py", "from PySide6.QtCore import QObject\n", "the core layer never imports Qt"),
        ("store/z.py", "import shiboken6\n", "the store layer never imports Qt"),
        ("search/y.py", "def f():\n    from PySide6 import QtCore\n", "the search layer never imports Qt"),
        ("jobs/x.py", "import PySide6.QtWidgets\n", "the jobs layer never imports Qt"),
    ],
)
def test_an_upward_import_is_caught(fake_tree: Path, path: str, source: str, expected: str) -> None:
    target = fake_tree / path
    target.write_text(target.read_text() + source if target.exists() else source)
    found, _ = violations(fake_tree)
    assert [v.why for v in found] == [expected], found
    assert found[0].module == module_name(target, fake_tree)
