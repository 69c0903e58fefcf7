"""A library from an older schema version, left by an app that was killed (its
last writes only in the WAL), is migrated by the next `reader import`: the
backup holds everything, WAL included, and so does the migrated library.

tests/store/test_db.py covers Library.open migrating a cleanly closed library
(and failed migrations, failed backups); this goes through the CLI with a
crashed writer's WAL, the state a real upgrade after a crash meets.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from reader import cli, paths
from reader.store import db as dbmod
from tests.child_process import ROOT, child_env

V2 = "ALTER TABLE annotations ADD COLUMN source TEXT NOT NULL DEFAULT '';"

OLD_APP = """
import os, signal, sys
from pathlib import Path
from reader.store import Library, db
from reader.store.importer import import_seeds
db.SCHEMA_VERSION = 1  # an old library, whatever the real schema is now
lib = Library.open(sys.argv[1])
import_seeds(lib, Path(sys.argv[2]))
ids = lib.ids()
lib.conn.execute("PRAGMA wal_autocheckpoint = 0")  # keep everything in the WAL, as a busy app may
for i in range(30):
    art = ids[i % len(ids)]
    lib.annotate(art, i, i + 10, note=f"old note {i}", annotation_id=f"old-{i}")
lib.set_bookmark(ids[0])
print("saved", flush=True)
os.kill(os.getpid(), signal.SIGKILL)  # no close, no checkpoint
"""




def notes(db: Path) -> set[str]:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return {r[0] for r in conn.execute("SELECT id FROM annotations")}
    finally:
        conn.close()


@pytest.mark.timeout(60)
def test_old_schema_with_a_crashed_wal_is_migrated_by_reader_import(
    tmp_path: Path, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = paths.database_path()
    proc = subprocess.run([sys.executable, "-c", OLD_APP, str(db), str(seeds_dir)], cwd=ROOT, env=child_env(),
                          capture_output=True, text=True, timeout=60)
    assert proc.stdout == "saved\n" and proc.returncode == -9, proc.stderr
    wal = Path(f"{db}-wal")
    assert wal.exists() and wal.stat().st_size > 0  # the notes are only in the WAL
    # the new version of the app: the next schema
    new_schema = dbmod.SCHEMA_VERSION + 1
    monkeypatch.setattr(dbmod, "SCHEMA_VERSION", new_schema)
    monkeypatch.setitem(dbmod._MIGRATIONS, new_schema, V2)
    new = tmp_path / "new"
    new.mkdir()
    (new / "after.txt").write_text("Imported after the upgrade\n\nBody.\n", encoding="utf-8")
    assert cli.main(["import", str(new), "--no-entities", "--no-index"]) == 0
    out, err = capsys.readouterr()
    assert out == "imported: 1 added, 0 updated, 0 unchanged\n" and err == ""
    (backup,) = db.parent.glob(f"{db.name}.v1-*.bak")  # the old app wrote schema 1
    expected = {f"old-{i}" for i in range(30)}
    # the backup is a complete v1 library on its own (copy it: opening must not need the original)
    alone = tmp_path / "backup-copy.sqlite3"
    shutil.copy(backup, alone)
    assert notes(alone) == expected
    conn = sqlite3.connect(alone)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM bookmarks").fetchone()[0] == 1
    conn.close()
    # the migrated library has everything too, and the new column
    assert notes(db) == expected
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == new_schema
    assert "source" in [r[1] for r in conn.execute("PRAGMA table_info(annotations)")]
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 3
    conn.close()
    # and the next start does not back up again
    assert cli.main(["list", "--json"]) == 0
    capsys.readouterr()
    assert len(list(db.parent.glob("*.bak"))) == 1
