"""Reader: a desktop application for reading, searching and annotating news articles."""

from __future__ import annotations

from importlib import metadata

APP_NAME = "Reader"
ORG_NAME = "Reader"
ORG_DOMAIN = "reader.example.org"

try:
    __version__ = metadata.version("reader")
except metadata.PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.1.0"
