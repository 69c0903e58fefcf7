"""Desktop integration: what `make install-desktop` puts in the user's XDG dirs.
(The bundle itself is checked by `make smoke`, which CI runs.)"""

from __future__ import annotations

import configparser
import os
import subprocess
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parent.parent


def test_install_desktop_puts_entry_and_icon_in_xdg_data_home(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path)}
    out = subprocess.run(["bash", str(ROOT / "scripts" / "install-desktop.sh")], env=env, cwd=tmp_path,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    entry = tmp_path / "applications" / "reader.desktop"
    icon = tmp_path / "icons" / "hicolor" / "scalable" / "apps" / "reader.svg"
    assert entry.is_file() and icon.is_file()
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive in desktop files
    parser.read(entry)
    section = parser["Desktop Entry"]
    assert section["Type"] == "Application" and section["Name"] == "Reader"
    assert section["Icon"] == "reader" and section["StartupWMClass"] == "Reader"
    exe = Path(section["Exec"].split()[0])
    assert exe.is_absolute() and exe.name == "reader"
    assert exe.parent in (ROOT / "dist" / "reader", ROOT / ".venv" / "bin")
    assert exe.exists(), f"the launcher points at {exe}, which does not exist"
    ElementTree.parse(icon)  # a well-formed SVG

