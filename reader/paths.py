"""Where Reader keeps its files.

``READER_HOME`` overrides everything (tests, portable builds): data, cache,
state and config then all live below it.  Otherwise the XDG locations from
platformdirs are used.  Nothing here imports Qt.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from platformdirs import PlatformDirs

_DIRS = PlatformDirs(appname="reader", appauthor=False)


def _home() -> Path | None:
    value = os.environ.get("READER_HOME")
    return Path(value).expanduser() if value else None


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir() -> Path:
    """User data (the library database): precious."""
    home = _home()
    return _ensure(home / "data" if home else Path(_DIRS.user_data_dir))


def cache_dir() -> Path:
    """Caches (the search index): rebuilt when lost."""
    home = _home()
    return _ensure(home / "cache" if home else Path(_DIRS.user_cache_dir))


def state_dir() -> Path:
    """Logs and other state."""
    home = _home()
    return _ensure(home / "state" if home else Path(_DIRS.user_state_dir))


def log_dir() -> Path:
    return _ensure(state_dir() / "log")


def config_dir() -> Path:
    home = _home()
    return _ensure(home / "config" if home else Path(_DIRS.user_config_dir))


def database_path() -> Path:
    return data_dir() / "library.sqlite3"


def index_dir() -> Path:
    return cache_dir() / "index"


def bundle_root() -> Path:
    """The folder holding ``resources/`` and ``seeds/``: the source tree, or the
    PyInstaller bundle (``sys._MEIPASS``) when frozen."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def resource_path(*parts: str) -> Path:
    """A file below ``resources/``, from source or from the bundle."""
    return bundle_root().joinpath("resources", *parts)


def seeds_dir() -> Path:
    """The bundled default library."""
    return bundle_root() / "seeds"
