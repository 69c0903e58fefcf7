"""Corrected details (issue 17): stored in the library, applied at once and
kept when the same article is imported again (unchanged or changed)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from reader.store import Library
from reader.store.importer import import_paths
from reader.store.overrides import MetadataError, override_of, set_metadata

TEXT = "A headline about budgets\n\nThe council agreed the budget on Tuesday after a long debate.\n"


def _import(lib: Library, path: Path) -> str:
    report = import_paths(lib, [path])
    assert not report.errors
    return lib.ids()[0]


def test_edit_kept_across_reimport(tmp_path: Path) -> None:
    src = tmp_path / "budget.txt"
    src.write_text(TEXT, encoding="utf-8")
    with Library.open(tmp_path / "lib.sqlite3") as lib:
        aid = _import(lib, src)
        assert lib.article(aid).published is None
        fixed = set_metadata(lib, aid, title="Council agrees budget", published="2024-04-05",
                             authors=["Ann Smith"], source="Local Gazette")
        assert fixed.title == "Council agrees budget" and fixed.published == datetime(2024, 4, 5)
        row = lib.rows([aid])[aid]
        assert row.title == "Council agrees budget" and row.source == "Local Gazette" and row.sort_date
        assert "Council agrees budget" in lib.plain_text(aid)
        # the same file again: nothing changes
        _import(lib, src)
        again = lib.article(aid)
        assert (again.title, again.source, again.authors) == ("Council agrees budget", "Local Gazette", ("Ann Smith",))
        # the file changed: the new text comes in, the corrections stay
        src.write_text(TEXT + "\nA second paragraph.\n", encoding="utf-8")
        _import(lib, src)
        changed = lib.article(aid)
        assert "A second paragraph." in changed.plain_text
        assert changed.title == "Council agrees budget" and changed.published == datetime(2024, 4, 5)
        assert override_of(lib, aid)["source"] == "Local Gazette"


def test_bad_date_says_what_is_wrong_and_writes_nothing(tmp_path: Path) -> None:
    src = tmp_path / "budget.txt"
    src.write_text(TEXT, encoding="utf-8")
    with Library.open(tmp_path / "lib.sqlite3") as lib:
        aid = _import(lib, src)
        title = lib.article(aid).title
        with pytest.raises(MetadataError, match=r"date '5th April' is not a date: write it as YYYY-MM-DD"):
            set_metadata(lib, aid, title="New", published="5th April")
        assert lib.article(aid).title == title and override_of(lib, aid) == {}
