"""Desktop integration: what `make install-desktop` puts in the user's XDG dirs.
(The bundle itself is checked by `make smoke`, which CI runs.)

The script must work wherever Reader is installed: the bundle, this checkout's
venv, or a `reader` found on PATH (another venv, pipx, a fresh clone whose venv
lives elsewhere) - so the tests also run it from a copy of the checkout that
has neither ``.venv`` nor ``dist``.
"""

from __future__ import annotations

import configparser
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

ROOT = Path(__file__).resolve().parent.parent
SYSTEM_PATH = "/usr/bin:/bin"


def run_install(checkout: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(checkout / "scripts" / "install-desktop.sh")], env=env, cwd=checkout.parent,
                          capture_output=True, text=True, timeout=60)


def installed(data_home: Path) -> tuple[configparser.SectionProxy, Path]:
    """The installed desktop entry (checked for what every launcher needs) and its launcher."""
    entry = data_home / "applications" / "reader.desktop"
    icon = data_home / "icons" / "hicolor" / "scalable" / "apps" / "reader.svg"
    assert entry.is_file() and icon.is_file()
    ElementTree.parse(icon)  # a well-formed SVG
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive in desktop files
    parser.read(entry)
    section = parser["Desktop Entry"]
    assert section["Type"] == "Application" and section["Name"] == "Reader"
    assert section["Icon"] == "reader" and section["StartupWMClass"] == "Reader"
    exe = Path(shlex.split(section["Exec"])[0])
    assert exe.is_absolute() and exe.is_file() and os.access(exe, os.X_OK), f"the launcher {exe} cannot be run"
    return section, exe


def fresh_checkout(tmp_path: Path) -> Path:
    """What the script needs of a clone: itself and the resources it installs."""
    copy = tmp_path / "fresh clone"
    (copy / "scripts").mkdir(parents=True)
    shutil.copy2(ROOT / "scripts" / "install-desktop.sh", copy / "scripts")
    (copy / "resources" / "icons").mkdir(parents=True)
    shutil.copy2(ROOT / "resources" / "reader.desktop", copy / "resources")
    shutil.copy2(ROOT / "resources" / "icons" / "reader.svg", copy / "resources" / "icons")
    return copy


def launcher(folder: Path) -> Path:
    """A ``reader`` command in ``folder`` (as pip or pipx would put one on PATH)."""
    folder.mkdir(parents=True)
    exe = folder / "reader"
    exe.write_text(f"#!/bin/sh\nexec {shlex.quote(sys.executable)} -m reader \"$@\"\n")
    exe.chmod(0o755)
    return exe


def test_install_desktop_from_this_checkout(tmp_path: Path) -> None:
    """Whatever runs these tests has Reader installed: the launcher is the
    bundle, this checkout's venv, or the `reader` beside the running Python."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', SYSTEM_PATH)}"
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path), "PATH": path}
    env.pop("READER_EXE", None)
    out = run_install(ROOT, env)
    assert out.returncode == 0, out.stderr
    _, exe = installed(tmp_path)
    on_path = shutil.which("reader", path=path)
    expected = {ROOT / "dist" / "reader" / "reader", ROOT / ".venv" / "bin" / "reader"}
    if on_path:
        expected.add(Path(on_path))
    assert exe in expected, f"the launcher {exe} is none of {sorted(map(str, expected))}"


def test_a_checkout_without_a_venv_uses_the_reader_on_path(tmp_path: Path) -> None:
    checkout = fresh_checkout(tmp_path)
    exe = launcher(tmp_path / "my tools" / "bin")  # a space: Exec must quote it
    env = {"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"), "PATH": f"{exe.parent}:{SYSTEM_PATH}"}
    out = run_install(checkout, env)
    assert out.returncode == 0, out.stderr
    section, found = installed(tmp_path / "data")
    assert found == exe
    assert section["Exec"] == f'"{exe}"'
    assert f"(Exec=\"{exe}\")" in out.stdout


def test_reader_exe_chooses_the_launcher(tmp_path: Path) -> None:
    checkout = fresh_checkout(tmp_path)
    exe = launcher(tmp_path / "opt" / "reader")
    env = {"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"), "PATH": SYSTEM_PATH,
           "READER_EXE": str(exe)}
    assert run_install(checkout, env).returncode == 0
    assert installed(tmp_path / "data")[1] == exe


def test_no_launcher_anywhere_installs_nothing_and_says_why(tmp_path: Path) -> None:
    if shutil.which("reader", path=SYSTEM_PATH):
        pytest.skip("a system-wide `reader` is installed on this machine")
    checkout = fresh_checkout(tmp_path)
    env = {"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"), "PATH": SYSTEM_PATH}
    out = run_install(checkout, env)
    assert out.returncode != 0
    assert "no Reader launcher found" in out.stderr and "make setup" in out.stderr
    assert not (tmp_path / "data").exists()
    env["READER_EXE"] = str(tmp_path / "missing" / "reader")
    out = run_install(checkout, env)
    assert out.returncode != 0 and f"{tmp_path}/missing/reader is not an executable file" in out.stderr
    assert not (tmp_path / "data").exists()
