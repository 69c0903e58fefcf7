"""Library as a facade: repositories on one connection, nested transactions, ``with``."""

from __future__ import annotations

import inspect
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from store_articles import paragraph_article

from reader.store import Library
from reader.store.articles import Articles
from reader.store.deletion import Deletion
from reader.store.entity_canon import Canon
from reader.store.entity_corrections import Corrections
from reader.store.indexing import Indexing
from reader.store.marks import Marks
from reader.store.mentions import Mentions
from reader.store.notes import Notes
from reader.store.reading import Reading
from reader.store.session import Repository

REPOS = {"articles": Articles, "reading": Reading, "marks": Marks, "notes": Notes, "mentions": Mentions,
         "indexing": Indexing, "deletion": Deletion, "corrections": Corrections, "canon": Canon}


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    with Library.open(tmp_path / "library.db") as library:
        yield library


def art(n: int):  # type: ignore[no-untyped-def]
    return paragraph_article(f"https://example.org/{n}", f"Title {n}", (f"Paragraph {n} about tides.",))


def test_every_repository_method_is_a_library_method(lib: Library) -> None:
    for attr, cls in REPOS.items():
        repo = getattr(lib, attr)
        assert isinstance(repo, cls) and repo.conn is lib.conn
        own = [n for n, f in vars(cls).items() if inspect.isfunction(f) and not n.startswith("_")]
        assert own, cls
        for name in own:
            # parts of another method's transaction (store_corrected: of overrides.set_metadata)
            if name in {"link_tag", "insert", "place", "reanchor", "store_corrected"}:
                continue
            bound = getattr(lib, name)
            assert bound.__self__ is repo and bound.__func__ is getattr(cls, name), (attr, name)
            assert getattr(Library, name).__doc__ == getattr(cls, name).__doc__


def test_the_repositories_see_one_connection(lib: Library) -> None:
    a = art(1)
    with lib.transaction():
        lib.articles.upsert(a)
        lib.marks.add_tag(a.id, "tides")
        assert lib.tags_of(a.id) == ["tides"]  # the same uncommitted transaction
    assert lib.article(a.id).tags == ("tides",)  # type: ignore[union-attr]


def test_a_nested_transaction_that_fails_undoes_only_its_part(lib: Library) -> None:
    a, b = art(1), art(2)
    with lib.transaction():
        lib.upsert(a)
        with pytest.raises(KeyError):
            with lib.transaction():
                lib.upsert(b)
                raise KeyError("inner")
        assert lib.in_transaction
    assert lib.ids("title") == [a.id]
    assert not lib.conn.in_transaction and not lib.in_transaction


def test_an_outer_failure_undoes_the_nested_parts(lib: Library) -> None:
    a, b = art(1), art(2)
    with pytest.raises(RuntimeError), lib.transaction():
        lib.upsert(a)  # its own transaction, now a savepoint
        lib.set_bookmark(a.id, True)
        lib.upsert(b)
        raise RuntimeError("outer")
    assert lib.count() == 0 and lib.bookmarked_ids() == []
    lib.upsert(a)  # and the next transaction is a real one again
    assert lib.count() == 1


def test_commit_happens_once_at_the_outer_end(lib: Library, tmp_path: Path) -> None:
    other = sqlite3.connect(tmp_path / "library.db")
    try:
        with lib.transaction():
            lib.upsert(art(1))
            lib.upsert(art(2))
            assert other.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
        assert other.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    finally:
        other.close()


def test_with_closes_the_connection(tmp_path: Path) -> None:
    with Library.open(tmp_path / "x.db", check=False) as lib:
        lib.upsert(art(1))
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        lib.count()
    with Library.open(tmp_path / "x.db") as again:
        assert again.count() == 1
        with again.reopen() as other:
            assert other.conn is not again.conn and other.count() == 1


def test_repository_is_the_base_of_every_part() -> None:
    assert all(issubclass(cls, Repository) for cls in REPOS.values())


def test_another_threads_call_does_not_join_a_transaction(lib: Library) -> None:
    """Only calls from the thread running a transaction nest in it; another
    thread's write on the same connection fails as SQLite makes it (it would
    otherwise be committed, or rolled back, with a stranger's change)."""
    errors: list[Exception] = []

    def other_thread() -> None:
        try:
            lib.upsert(art(2))
        except sqlite3.OperationalError as exc:
            errors.append(exc)

    with lib.transaction():
        lib.upsert(art(1))
        thread = threading.Thread(target=other_thread)
        thread.start()
        thread.join()
        assert lib.in_transaction
    assert len(errors) == 1 and "within a transaction" in str(errors[0])
    assert lib.ids() == [art(1).id]


def test_data_version_tells_changes_made_elsewhere(lib: Library) -> None:
    start = lib.data_version()
    lib.upsert(art(1))  # our own commit: not news to us
    assert lib.data_version() == start
    with lib.reopen() as other:  # another connection (a worker)
        other.upsert(art(2))
    after_worker = lib.data_version()
    assert after_worker != start
    assert lib.data_version() == after_worker  # it stays until the next change elsewhere
    # another process (``reader import`` beside an open window)
    code = ("import sys; from reader.store import Library; from tests.store.store_articles import paragraph_article\n"
            "with Library.open(sys.argv[1], check=False) as lib:\n"
            "    lib.upsert(paragraph_article('cli:3', 'Title 3', ('Paragraph 3 about tides.',)))\n")
    assert lib.path is not None
    done = subprocess.run([sys.executable, "-c", code, str(lib.path)], cwd=Path(__file__).resolve().parents[2],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert lib.data_version() != after_worker and lib.count() == 3
