"""Application start: damaged library handling, the smoke path, and the real
search index / entity recognition once they exist."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from reader.ui.app import open_library
from reader.ui.models.search_results import SNIPPET_ROLE


def test_damaged_library_moved_aside(reader_home: Path) -> None:
    db = reader_home / "library.sqlite3"
    db.write_bytes(b"this is not a database" * 100)
    asked: list[str] = []
    assert open_library(db, ask=lambda msg: asked.append(msg) or False) is None
    assert db.read_bytes().startswith(b"this is not")  # left untouched
    assert str(db) in asked[0]
    lib = open_library(db, ask=lambda msg: True)
    assert lib is not None and lib.count() == 0
    lib.close()
    kept = [p for p in reader_home.iterdir() if p.name.startswith("library.sqlite3.damaged-")]
    assert kept and kept[0].read_bytes().startswith(b"this is not")


def test_smoke(qapp) -> None:
    from reader.ui.app import smoke

    summary = smoke(timeout=120)
    assert summary["ok"], summary
    assert summary["articles"] == 2
    assert summary["plain_text_invariant"]


def test_smoke_command_keeps_whoosh_out_of_the_app_process() -> None:
    """`reader --smoke` in a fresh process (what `make smoke` runs in the bundle):
    start, seeds, index, search; the search ran in the search process."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-m", "reader", "--smoke"], capture_output=True, text=True,
                          timeout=300, env=env, cwd=Path(__file__).resolve().parents[2])
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    assert proc.returncode == 0 and summary["ok"], (summary, proc.stderr[-2000:])
    assert summary["search_hits"] >= 1
    assert summary["whoosh_in_app_process"] is False


def test_real_search_highlights_hits(qtbot, library, settings) -> None:
    from reader.ui.app import make_main_window

    win = make_main_window(library, settings=settings, recognise=False)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.indexing.state[7:8].isdigit(), timeout=60000)
    win.search_bar.set_query("Stoltenberg")
    qtbot.waitUntil(lambda: win.list_pane.results_model.query == "Stoltenberg", timeout=10000)
    assert win.list_pane.results_model.rowCount() >= 1
    assert "<b>" in win.list_pane.results_model.index(0, 0).data(SNIPPET_ROLE)
    win.list_pane.step(1)
    qtbot.waitUntil(lambda: bool(win.reader.view.layer_spans("search")), timeout=10000)
    text = win.reader.article.plain_text
    assert all("stoltenberg" in text[s:e].lower() for s, e, _f, _t in win.reader.view.layer_spans("search"))
    win.runner.cancel_all()
    win.runner.wait(30000)


def test_real_entities_computed(qtbot, library, settings, search_index) -> None:
    from reader.ui.app import make_main_window

    win = make_main_window(library, settings=settings, index=search_index)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.reader.article is not None, timeout=5000)
    qtbot.waitUntil(lambda: not win.indexing.entities_running and win.entity_panel.model.rowCount() > 0, timeout=120000)
    assert win.reader.view.layer_spans("entities")
    win.runner.cancel_all()
    win.runner.wait(30000)

