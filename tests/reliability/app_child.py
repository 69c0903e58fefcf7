"""Child process for test_faults: does what the app does until it is SIGKILLed.

Usage: ``python app_child.py MODE DB INDEX_DIR CORPUS RUN`` with MODE one of

* ``import``   - imports each file of CORPUS (through the real importer, with a
  run-specific identity so every file adds an article), then indexes it;
* ``index``    - refreshes the search index (a full rebuild every tenth
  run), then keeps adding one article and indexing it through ``update_docs``;
* ``annotate`` - adds notes to the library's articles, pushing each into the index.

A line is printed (and flushed) only *after* the call that commits returns:
``I <article id>`` (imported), ``X <article id>`` (indexed), ``A <annotation id>``
(note saved).  Every printed line must therefore survive a kill -9 of this process.
"""

from __future__ import annotations

import sys
from pathlib import Path


def main() -> None:
    from reader.core.article import Article, Block, BlockKind, article_id, content_hash
    from reader.search import SearchIndex
    from reader.store import Library
    from reader.store.importer import import_paths

    mode, db, index_dir, corpus, run = sys.argv[1:6]
    lib = Library.open(db)
    index = SearchIndex(Path(index_dir))
    print("S started", flush=True)
    if mode == "import":
        for path in sorted(Path(corpus).iterdir()):
            report = import_paths(lib, [path], identity_for=lambda p: f"run{run}:{p.name}")
            for ident in report.changed_ids:
                print("I", ident, flush=True)
            index.update_docs(lib.index_docs(report.changed_ids))
            for ident in report.changed_ids:
                print("X", ident, flush=True)
    elif mode == "index":
        index.refresh(Path(db), full=int(run) % 10 == 0)
        print("R refreshed", flush=True)
        for i in range(10_000):
            identity = f"index:{run}:{i}"
            art = Article(id=article_id(identity), identity=identity, title=f"Indexed zzrun{run}x{i}",
                          content_hash=content_hash(identity), format="text",
                          blocks=(Block(BlockKind.PARAGRAPH, f"zzrun{run}x{i} searchable body text. " * 10),))
            lib.upsert(art)
            print("I", art.id, flush=True)
            index.update_docs(lib.index_docs([art.id]))
            print("X", art.id, flush=True)
    elif mode == "annotate":
        ids = lib.ids()
        for i in range(100_000):
            target = ids[i % len(ids)]
            text = lib.plain_text(target) or ""
            start = (i * 13) % max(1, len(text) - 30)
            ann = lib.annotate(target, start, start + 20, note=f"run {run} note {i} " + "n" * (i % 40),
                               tags=[f"t{i % 3}"], annotation_id=f"{run}-{i}")
            print("A", ann.id, flush=True)
            index.update_docs(lib.index_docs([target]))
            print("X", target, flush=True)
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    print("D done", flush=True)


if __name__ == "__main__":
    main()
