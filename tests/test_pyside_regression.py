"""Guard against PySide6 6.12.0's ``Fatal Python error: none_dealloc`` on Python 3.11.

That release decrements Py_None's refcount once per Qt call returning None; after
a few thousand calls the interpreter aborts.  We pin PySide6-Essentials==6.11.3;
this test makes ~200k such calls in a subprocess so that an upgrade bringing the
bug back fails loudly here instead of crashing users' sessions.
"""

from __future__ import annotations

import os
import subprocess
import sys

CALLS = 200_000

SCRIPT = f"""
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
obj = QObject()
label = QLabel()
for i in range({CALLS} // 2):
    obj.setObjectName("x")          # returns None
    label.setText("y")              # returns None
print("calls done", {CALLS})
"""


def test_many_qt_calls_returning_none_do_not_crash() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=240)
    assert "none_dealloc" not in proc.stderr, proc.stderr[-2000:]
    assert proc.returncode == 0, f"exit {proc.returncode}: {proc.stderr[-2000:]}"
    assert f"calls done {CALLS}" in proc.stdout


def test_pinned_pyside_version() -> None:
    import PySide6

    assert PySide6.__version__ != "6.12.0", "PySide6 6.12.0 crashes Python 3.11 (none_dealloc); keep 6.11.3"
