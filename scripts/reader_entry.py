"""Entry point of the PyInstaller bundle (``dist/reader/reader``)."""

from __future__ import annotations

import multiprocessing
import sys

if __name__ == "__main__":
    # spawned worker processes (index build, entity recognition) re-enter here
    multiprocessing.freeze_support()
    from reader.cli import main

    sys.exit(main())
