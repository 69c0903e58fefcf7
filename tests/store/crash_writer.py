"""Child process for test_crash_safety: writes to a library until it is killed.

Usage: ``python crash_writer.py DB RUN ARTICLE_ID``.  Each change is committed
by the Library call; only *after* the call returns is a line printed (and
flushed): ``A <annotation id>``, ``B <bookmarked article id>`` or
``T <tagged article id>``.  So every printed id must survive a SIGKILL.
"""

from __future__ import annotations

import sys
from datetime import datetime


def main() -> None:
    from reader.core.article import Article, Block, BlockKind, article_id, content_hash
    from reader.store import Library

    db, run, target = sys.argv[1], sys.argv[2], sys.argv[3]
    lib = Library.open(db)
    text = lib.plain_text(target)
    assert text is not None, "the parent creates the article first"
    for i in range(100_000):
        start = (i * 7) % (len(text) - 20)
        ann = lib.annotate(target, start, start + 12, note=f"run {run} note {i} " + "x" * (i % 50),
                           tags=[f"t{i % 5}"], annotation_id=f"{run}-{i}")
        print("A", ann.id, flush=True)
        if i % 3 == 0:
            identity = f"crash:{run}:{i}"
            art = Article(id=article_id(identity), identity=identity, title=f"Crash {run} {i}",
                          content_hash=content_hash(identity), published=datetime(2024, 1, 1),
                          blocks=(Block(BlockKind.PARAGRAPH, f"Body of {identity}. " * 20),))
            lib.upsert(art)
            lib.set_bookmark(art.id, True)
            print("B", art.id, flush=True)
            lib.add_tag(art.id, "crash")
            print("T", art.id, flush=True)


if __name__ == "__main__":
    main()
