"""The entities pass: entity recognition for a whole library, in worker processes.

Recognition is CPU-bound pure Python (plus spaCy), so it runs in a ``spawn``
process pool (never ``fork``: the GUI process runs Qt threads); each worker
loads the recogniser (and the spaCy model) once.  Articles go to the workers
in chunks; results come back as plain tuples and the parent process is the
single writer to the library.

(This was ``reader.core.entities.batch``; it reads and writes the store, so it
lives above it, in the jobs layer.)
"""

from __future__ import annotations

import hashlib
import multiprocessing
from collections.abc import Callable, Iterator
from pathlib import Path

from reader import childproc
from reader.core.entities.spans import Span
from reader.store.library import EntitySpan, Library

CHUNK = 8  # articles per task: big enough to amortise IPC, small enough for progress

_WORKER_REC: object | None = None

Row = tuple[int, int, str, str, str]


def text_hash(text: str) -> str:
    """The hash stored with the entities (which text they were computed on)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _init_worker(backend: str) -> None:
    global _WORKER_REC
    from reader.core.entities import get_recogniser

    childproc.lower_priority()  # not the GUI thread's CPU
    _WORKER_REC = get_recogniser(backend)


def _recognise_chunk(items: list[tuple[str, str]]) -> list[tuple[str, str, list[Row]]]:
    """(id, text hash, spans as tuples) for each (id, text) of a chunk (in a worker)."""
    rec = _WORKER_REC
    assert rec is not None, "worker not initialised"
    texts = [t for _, t in items]
    many = getattr(rec, "recognise_many", None)
    results: list[list[Span]] = many(texts) if many else [rec.recognise(t) for t in texts]  # type: ignore[attr-defined]
    return [
        (aid, text_hash(text), [(s.start, s.end, s.label, s.text, s.norm) for s in spans])
        for (aid, text), spans in zip(items, results, strict=True)
    ]


def _chunks(lib: Library, ids: list[str], size: int) -> Iterator[list[tuple[str, str]]]:
    for i in range(0, len(ids), size):
        chunk = []
        for aid in ids[i : i + size]:
            text = lib.plain_text(aid)
            if text is not None:
                chunk.append((aid, text))
        if chunk:
            yield chunk


def compute_for_library(
    db_path: Path | str,
    backend: str = "auto",
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    processes: int = 2,
    force: bool = False,
) -> int:
    """Recognise entities for every article whose stored entities are missing or
    were computed by another backend version; returns how many were processed.

    ``progress(done, total)`` is called from this (the parent) process as results
    arrive; ``cancel()`` returning true stops after the chunks under way (what
    was written stays written).  ``force``: every article again, current or not
    (the window's "Recognise entities again" when all are current).
    """
    from reader.core.entities import backend_tag, get_recogniser

    # Resolves "auto" and fails early when spaCy is missing, without loading the
    # model here: this runs in a thread of the GUI process, the workers load it.
    tag = backend_tag(backend)
    name = tag.split(":", 1)[0]
    # No integrity check: whoever calls this (the app at start, ``reader import``)
    # opened and checked the library already; a second PRAGMA quick_check reads
    # the whole file again (0.2-0.3 s of disk at 10x, beside the first render).
    with Library.open(db_path, check=False) as lib:
        ids = lib.ids() if force else lib.ids_needing_entities(tag)
        total = len(ids)
        if progress:
            progress(0, total)
        if not ids:
            if not lib.canon.canonical_computed():
                lib.recompute_canonical()  # (a library upgraded from before canonical entities)
            return 0
        done = 0

        def store(results: list[tuple[str, str, list[Row]]]) -> None:
            nonlocal done
            for aid, thash, rows in results:
                lib.set_entities(aid, [EntitySpan(*row) for row in rows], backend=tag, text_hash=thash)
                done += 1
            if progress:
                progress(done, total)

        if processes <= 1:
            global _WORKER_REC
            _WORKER_REC = get_recogniser(name)
            for chunk in _chunks(lib, ids, CHUNK):
                if cancel and cancel():
                    break
                store(_recognise_chunk(chunk))
            lib.recompute_canonical()  # one entity per person across the library, corrections applied
            return done

        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(processes, initializer=_init_worker, initargs=(name,)) as pool:
            # read the texts here: the pool feeds tasks from another thread, and the
            # SQLite connection belongs to this one
            pending = pool.imap_unordered(_recognise_chunk, list(_chunks(lib, ids, CHUNK)))
            for results in pending:
                store(results)
                if cancel and cancel():
                    pool.terminate()
                    break
        lib.recompute_canonical()  # one entity per person across the library, corrections applied
        return done
