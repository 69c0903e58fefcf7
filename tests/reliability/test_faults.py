"""Faults: kill -9 during import, indexing and note writes; a full disk at import
and index writes; an old-schema database.

The kill loop follows tests/store/test_crash_safety.py (a child prints a line
after each committed write; the parent counts the lines it read before the
kill) but drives the real importer and search index (tests/reliability/app_child.py),
and after *every* kill checks what the next start would find: the database
intact (raw ``PRAGMA integrity_check``), nothing lost that was reported saved,
and the search index repaired by a refresh, searchable, with one document per
article.  ``READER_FAULT_KILLS`` sets the kills per kind (default 50).
"""

from __future__ import annotations

import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from reader.search import SearchIndex
from reader.store import Library
from reader.store.importer import import_paths, import_seeds
from tests.child_process import ROOT, child_env, kill_and_drain

CHILD = Path(__file__).with_name("app_child.py")
KILLS = int(os.environ.get("READER_FAULT_KILLS", "50"))
SEED = int(os.environ.get("READER_FAULT_SEED", "20261130"))


def write_corpus(folder: Path, seeds: Path, run: int = 0, n: int = 22) -> list[Path]:
    """Copies of the two seeds plus ``n`` small generated articles; every ``run`` gets
    its own texts (the library would take an identical text for the same article)."""
    folder.mkdir(parents=True, exist_ok=True)
    for seed in sorted(seeds.glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        (folder / seed.name).write_text(f"{text}\n\nCopy {run} of this article.\n", encoding="utf-8")
    words = "alpha beta gamma delta summit council budget river harbour election".split()
    for i in range(n):
        body = "\n\n".join(f"{words[(i + k) % 10].title()} paragraph {k} of story {i}, run {run}." for k in range(8))
        (folder / f"gen{i:03d}.txt").write_text(f"Generated story {i} of run {run} zzr{run}s{i}\n\n{body}\n", encoding="utf-8")
    return sorted(folder.iterdir())


@dataclass
class Run:
    lines: list[tuple[str, str]] = field(default_factory=list)
    killed: bool = True


def run_and_kill(mode: str, db: Path, index_dir: Path, corpus: Path, run: int, rng: random.Random,
                 max_lines: int) -> Run:
    """Start the child, SIGKILL it after a random number of reported lines plus a
    random few milliseconds (or during start-up); return every line it reported."""
    child = subprocess.Popen([sys.executable, str(CHILD), mode, str(db), str(index_dir), str(corpus), str(run)],
                             cwd=ROOT, env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)
    result = Run()
    try:
        wanted = rng.randint(0, max_lines)
        if wanted == 0:
            time.sleep(rng.uniform(0.05, 0.6))  # during start-up, opening, the first write
        while len(result.lines) < wanted:
            line = child.stdout.readline()  # type: ignore[union-attr]
            if not line:
                break
            kind, ident = line.split()
            result.lines.append((kind, ident))
            if kind == "D":
                break
        time.sleep(rng.uniform(0.0, 0.02))  # land somewhere inside the next write
    finally:  # the child and any indexing worker it started
        rest, err = kill_and_drain(child, lambda: os.killpg(child.pid, signal.SIGKILL))
    result.lines += rest
    result.killed = child.returncode == -signal.SIGKILL and not any(k == "D" for k, _ in result.lines)
    assert "Traceback" not in err, err
    return result


def check_after_kill(db: Path, index_dir: Path, saved: list[tuple[str, str]], label: str) -> None:
    """What the next start finds: an intact database holding everything reported
    saved, and an index that a refresh repairs, with one document per article."""
    conn = sqlite3.connect(db)  # raw SQLite: no help from our own open checks
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], label
        articles = {r[0] for r in conn.execute("SELECT id FROM articles")}
        notes = {r[0] for r in conn.execute("SELECT id FROM annotations")}
    finally:
        conn.close()
    for kind, ident in saved:
        if kind in ("I", "X"):
            assert ident in articles, f"{label}: article {ident} was reported saved but is missing"
        elif kind == "A":
            assert ident in notes, f"{label}: note {ident} was reported saved but is missing"
    lib = Library.open(db)
    try:
        index = SearchIndex(index_dir)
        index.refresh(db)
        assert index.is_ready(), label
        assert index.doc_count() == lib.count(), label
        tokens = {m.group(0): ident for kind, ident in saved if kind == "I"
                  for m in [re.search(r"zz\w+", lib.article(ident).title)] if m}  # type: ignore[union-attr]
        if tokens:
            token, last = list(tokens.items())[-1]
            hits = index.search(token, lib, limit=5)
            assert hits.error is None and [h.id for h in hits.hits] == [last], (label, token, hits)
        noted = {ident.rsplit("-", 1)[0] for kind, ident in saved if kind == "A"}
        if noted:
            result = index.search("has:notes", lib, limit=100)
            with_notes = {a.article_id for a in lib.annotations()}
            assert {h.id for h in result.hits} == with_notes, label
    finally:
        lib.close()


def make_library(base: Path, seeds: Path) -> tuple[Path, Path, Path]:
    db = base / "library.sqlite3"
    index_dir = base / "index"
    corpus = base / "corpus"
    files = write_corpus(corpus / "start", seeds, 1000)
    lib = Library.open(db)
    import_seeds(lib, seeds)
    import_paths(lib, files[:6])
    lib.close()
    SearchIndex(index_dir).refresh(db)
    return db, index_dir, corpus


def kill_loop(base: Path, seeds: Path, mode: str, max_lines: int) -> str:
    """KILLS runs of one kind against its own library; returns a summary line."""
    db, index_dir, corpus = make_library(base, seeds)
    rng = random.Random(f"{SEED}-{mode}")
    saved: list[tuple[str, str]] = []
    kills = 0
    for run in range(KILLS):
        files = corpus / f"run{run}"
        if mode == "import":
            write_corpus(files, seeds, run)
        outcome = run_and_kill(mode, db, index_dir, files, run, rng, max_lines)
        kills += outcome.killed
        saved += outcome.lines
        check_after_kill(db, index_dir, saved, f"{mode} run {run}")
    assert kills >= KILLS * 0.8, (mode, kills)  # almost every run was really cut short
    kinds = {k for k, _ in saved}
    assert ("I" in kinds, "A" in kinds, "X" in kinds) == (mode in ("import", "index"), mode == "annotate", True)
    counts = {k: sum(1 for kind, _ in saved if kind == k) for k in "IXA"}
    return f"{mode}: {kills} kills, reported saved: {counts['I']} articles, {counts['A']} notes, {counts['X']} index writes"


@pytest.mark.timeout(300)
def test_kill_9_loses_nothing_reported_and_the_index_is_repaired(tmp_path: Path, seeds_dir: Path) -> None:
    """The three kinds run side by side (each its own library and child), so the
    ~150 kills take about as long as the slowest kind."""
    kinds = {"import": 16, "index": 16, "annotate": 16}
    with ThreadPoolExecutor(len(kinds)) as pool:
        futures = {mode: pool.submit(kill_loop, tmp_path / mode, seeds_dir, mode, lines)
                   for mode, lines in kinds.items()}
        summaries = [futures[mode].result() for mode in kinds]
    print("\n".join(summaries))
