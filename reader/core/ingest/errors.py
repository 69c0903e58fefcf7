"""The one exception the ingest layer raises."""

from __future__ import annotations

import os


class IngestError(Exception):
    """A file could not be turned into an article.

    ``str(err)`` is one line, ``"<path>: <reason>"``: it names the file and what is
    wrong with it, ready to show to the user.
    """

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        self.path = os.fspath(path)
        self.reason = " ".join(reason.split())
        shown = self.path.replace("\n", "\\n").replace("\r", "\\r")
        super().__init__(f"{shown}: {self.reason}")

    def __reduce__(self) -> tuple[type[IngestError], tuple[str, str]]:  # picklable across processes
        return (type(self), (self.path, self.reason))


class SkippedFile(IngestError):
    """A file a folder import passes over on purpose (an image, an e-book, an
    empty or hidden file): reported with its reason, but not a failure."""
