"""How reader/ui is put together, read from its sources: the window only
composes, nothing else imports it, and no module reaches into another
object's private attributes."""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "reader" / "ui"


def _modules() -> dict[str, ast.Module]:
    return {str(p.relative_to(UI)): ast.parse(p.read_text(encoding="utf-8"), str(p)) for p in sorted(UI.rglob("*.py"))}


def _imports(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_the_sources_are_read() -> None:
    modules = _modules()
    assert {"main_window.py", "app.py", "events.py", "menus.py"} <= modules.keys()
    assert "reader.ui.main_window" in _imports(modules["app.py"])  # (the check below can see an import)


def test_only_the_app_imports_the_main_window() -> None:
    offenders = [name for name, tree in _modules().items()
                 if name not in ("app.py", "main_window.py")
                 and any(i == "reader.ui.main_window" or i.startswith("reader.ui.main_window.") for i in _imports(tree))]
    assert offenders == []


def test_no_component_receives_the_window() -> None:
    """No module but the window and the app names ``MainWindow`` at all (not even for typing)."""
    offenders = [name for name, tree in _modules().items() if name not in ("app.py", "main_window.py")
                 and any(isinstance(n, ast.Name) and n.id == "MainWindow" for n in ast.walk(tree))]
    assert offenders == []


def _private_reaches(tree: ast.Module) -> list[str]:
    """``x._name`` where ``x`` is not ``self``/``cls`` (nor a module's own
    ``_private`` helper used by name): a reach into another object's insides."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute) or not node.attr.startswith("_") or node.attr.startswith("__"):
            continue
        owner = node.value
        if isinstance(owner, ast.Name) and owner.id in ("self", "cls", "sys", "os"):
            continue
        found.append(f"{ast.unparse(node)} (line {node.lineno})")
    return found


def test_no_module_reaches_into_private_attributes() -> None:
    assert _private_reaches(ast.parse("window.list_pane._cache = None")) != []  # (the check sees a reach)
    assert _private_reaches(ast.parse("self._cache = None")) == []
    reaches = {name: found for name, tree in _modules().items() if (found := _private_reaches(tree))}
    assert reaches == {}


def test_the_window_only_composes() -> None:
    source = (UI / "main_window.py").read_text(encoding="utf-8")
    assert len(source.splitlines()) < 300
    tree = ast.parse(source)
    window = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "MainWindow")
    methods = {n.name for n in window.body if isinstance(n, ast.FunctionDef)}
    # building, wiring, starting, its own state and Qt's event handlers - no feature logic
    assert not methods & {"open_article", "run_search", "delete_selected", "reload_list", "after_import",
                          "index_refreshed", "entities_changed", "load_related", "filter_by_entity"}
    # the list's page is a mode, not a magic number
    assert "currentIndex() == 1" not in "".join(p.read_text(encoding="utf-8") for p in UI.rglob("*.py"))


def test_a_broken_module_fails_loudly() -> None:
    """No availability probes: nothing in reader/ui catches an ImportError."""
    caught = []
    for name, tree in _modules().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.ExceptHandler) and node.type is not None:
                names = {ast.unparse(t) for t in (node.type.elts if isinstance(node.type, ast.Tuple) else [node.type])}
                if names & {"ImportError", "ModuleNotFoundError"}:
                    caught.append(f"{name}:{node.lineno}")
    assert caught == []
