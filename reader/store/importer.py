"""Importing files into the library: ingest each file, store it, report.

The same code runs for the CLI (``reader import``), the GUI's import dialog and
drag-and-drop, and the first-start import of the bundled seeds (a big import
runs this in a process of its own: :mod:`reader.jobs.imports`).  A bad file
never stops an import: it is reported with its reason and the rest goes on;
nothing already stored changes because of it.
"""

from __future__ import annotations

import hashlib
import logging
import re
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reader.core.article import clean_text
from reader.core.ingest import IngestError, SkippedFile, iter_files, load_file
from reader.core.ingest.readlater import SavedItem, detect_readlater, read_export
from reader.store.library import Annotation, ImportOutcome, Library, now_iso

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]  # done, total, current file name

#: A content hook, tried on every file before the format parsers:
#: ``hook(library, path, head_bytes, progress, cancel)`` returns an
#: :class:`ImportReport` for a file it handles, else ``None``.  The store knows no
#: hooks of its own: the layers above pass theirs (``reader.jobs.imports``
#: passes the Pocket export reader of ``reader.net``, whose links are fetched).
FileHook = Callable[["Library", Path, bytes, "Progress | None", "Callable[[], bool] | None"], "ImportReport | None"]


def _run_file_hooks(hooks: Sequence[FileHook], library: Library, path: Path, report: ImportReport,
                    progress: Progress | None, cancel: Callable[[], bool] | None) -> bool:
    """Whether a hook took ``path`` (its results then merged into ``report``)."""
    if not hooks:
        return False
    try:
        if not path.is_file():
            return False
        with open(path, "rb") as handle:
            head = handle.read(8192)
    except OSError:
        return False  # the format parsers report it
    for hook in hooks:
        result = hook(library, path, head, progress, cancel)
        if result is not None:
            for key in ("added", "updated", "unchanged", "errors"):
                getattr(report, key).extend(getattr(result, key))
            report.cancelled = report.cancelled or result.cancelled
            return True
    return False


@dataclass
class ImportReport:
    """What an import did: ids per outcome, one message per failed file and one
    per file passed over on purpose (``skipped``: images, e-books, empty or
    hidden files... each ``"<path>: skipped (<why>)"``)."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    cancelled: bool = False
    skipped: list[str] = field(default_factory=list)
    #: files imported with something ignored (a front matter key of the wrong type...)
    warnings: list[str] = field(default_factory=list)
    #: highlights brought in from read-later exports, and how many of them found no place
    highlights: int = 0
    orphaned: int = 0

    @property
    def stored(self) -> int:
        return len(self.added) + len(self.updated) + len(self.unchanged)

    @property
    def changed_ids(self) -> list[str]:
        return self.added + self.updated

    def summary(self) -> str:
        if not (self.stored or self.errors or self.skipped or self.cancelled):
            return "nothing to import (no files found)"
        parts = [f"{len(self.added)} added", f"{len(self.updated)} updated", f"{len(self.unchanged)} unchanged"]
        if self.errors:
            parts.append(f"{len(self.errors)} failed")
        if self.skipped:
            parts.append(f"{len(self.skipped)} skipped")
        if self.highlights:
            parts.append(f"{self.highlights} highlights" + (
                f" ({self.orphaned} could not be placed, kept as notes)" if self.orphaned else ""))
        if self.cancelled:
            parts.append("cancelled")
        return ", ".join(parts)


def import_paths(
    library: Library,
    paths: Iterable[Path | str],
    *,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
    identity_for: Callable[[Path], str | None] | None = None,
    tag_from_folder: bool = False,
    hooks: Sequence[FileHook] = (),
) -> ImportReport:
    """Import files and folders into ``library``.

    ``identity_for`` may give a file a fixed identity (the bundled seeds use
    ``seed:<name>`` so their ids do not depend on where the app is installed).
    ``tag_from_folder`` tags every article with the name of the folder its file
    is in (``bbc/business/001.txt`` -> ``business``), also when it was stored
    before.  ``hooks`` (see :data:`FileHook`) may take files before the parsers.  Files a folder holds but no format reads are listed in
    ``report.skipped`` with the reason.
    """
    report = ImportReport()
    files: list[Path] = []
    exports: list[Path] = []
    local: list[Path] = []
    for raw in paths:
        if isinstance(raw, str) and _WEB_ADDRESS.match(raw):  # (Path() would mangle it to "https:/...")
            report.errors.append(f"{raw}: a web address, not a file or folder; fetch it with `reader add URL`"
                                 " (File > Add from link in the app)")
        else:
            local.append(Path(raw))
    local = [p for p in local if not _run_file_hooks(hooks, library, p, report, progress, cancel)]  # named files
    for path, error in iter_files(local, skipped=True):
        if error is not None and path.suffix.lower() in _EXPORT_SUFFIXES and detect_readlater(path):
            exports.append(path)  # an Omnivore or wallabag export, recognised by its content
        elif isinstance(error, SkippedFile):
            report.skipped.append(str(error))
        elif error is not None:
            report.errors.append(str(error))
        else:
            files.append(path)
    # an unpacked Omnivore export: its content/ and highlights/ come in with their metadata
    parts = {str(e.parent / sub) for e in exports for sub in ("content", "highlights")}
    files = [f for f in files if str(f.parent) not in parts]
    total = len(files)
    for done, path in enumerate(files):
        if cancel is not None and cancel():
            report.cancelled = True
            break
        if progress is not None:
            progress(done, total, path.name)
        if _run_file_hooks(hooks, library, path, report, None, cancel):  # (files found in folders)
            continue
        try:
            identity = identity_for(path) if identity_for else None
            article = load_file(path, identity=identity)
            warning = article.extra.get("warnings")
            if warning:  # said in the report, not stored with the article
                article = article.with_changes(extra={k: v for k, v in article.extra.items() if k != "warnings"})
            folder_tag = _folder_tag(path) if tag_from_folder else None
            if folder_tag:
                article = article.with_changes(tags=(*article.tags, folder_tag))
            outcome, stored_id = library.upsert(article)
            if folder_tag and outcome is not ImportOutcome.ADDED and folder_tag.casefold() not in {
                t.casefold() for t in library.tags_of(stored_id)
            }:
                library.add_tag(stored_id, folder_tag)
        except IngestError as exc:
            report.errors.append(str(exc))
            continue
        except sqlite3.Error as exc:  # disk full, locked for too long...
            report.errors.append(f"{path}: could not be stored ({exc})")
            # the report carries the message to the user; the log file keeps a copy
            # (not WARNING+, which the CLI also prints: the user would read it twice)
            log.info("storing %s failed: %s", path, exc)
            continue
        if warning:
            report.warnings.append(f"{path}: {warning}")
        {
            ImportOutcome.ADDED: report.added,
            ImportOutcome.UPDATED: report.updated,
            ImportOutcome.UNCHANGED: report.unchanged,
        }[outcome].append(stored_id)
    for export in exports:
        if cancel is not None and cancel():
            report.cancelled = True
            break
        if progress is not None:
            progress(total, total, export.name)
        import_export(library, export, report, cancel=cancel)
    if progress is not None and not report.cancelled:
        progress(total, total, "")
    return report


_EXPORT_SUFFIXES = frozenset({".zip", ".json"})
_WEB_ADDRESS = re.compile(r"^\s*(?:https?|ftp)://", re.I)


def import_export(
    library: Library, path: Path, report: ImportReport, *, cancel: Callable[[], bool] | None = None
) -> None:
    """Import a read-later export (Omnivore, wallabag) into ``library``, adding to
    ``report``: each article with its tags, read state (read is never undone),
    star (a bookmark) and highlights placed by their quotes - or kept as orphan
    notes when the quote is not in the article.  A broken item is one error."""
    try:
        export = read_export(path)
    except IngestError as exc:
        report.errors.append(str(exc))
        return
    report.errors.extend(export.errors)
    for item in export.items:
        if cancel is not None and cancel():
            report.cancelled = True
            return
        article = item.article
        try:
            outcome, stored_id = library.upsert(article)
            if outcome is not ImportOutcome.ADDED:
                have = {t.casefold() for t in library.tags_of(stored_id)}
                for tag in article.tags:
                    if tag.casefold() not in have:
                        library.add_tag(stored_id, tag)
            if item.read:
                library.set_read(stored_id, True)
            if item.starred and not library.is_bookmarked(stored_id):
                library.set_bookmark(stored_id, True)
            placed = _add_highlights(library, stored_id, item, export.service)
        except sqlite3.Error as exc:
            report.errors.append(f"{path}: {article.title[:60]!r} could not be stored ({exc})")
            log.info("storing an item of %s failed: %s", path, exc)
            continue
        report.highlights += len(placed)
        report.orphaned += sum(1 for ann in placed if ann.orphan)
        if item.warning:
            report.warnings.append(f"{path}: {article.title[:60]!r}: {item.warning}")
        {
            ImportOutcome.ADDED: report.added,
            ImportOutcome.UPDATED: report.updated,
            ImportOutcome.UNCHANGED: report.unchanged,
        }[outcome].append(stored_id)


def _quote_as_text(quote: str) -> str:
    """A highlight's quote in the article's text coordinates: one line per paragraph, spaces collapsed."""
    return "\n".join(p for p in (clean_text(x) for x in quote.split("\n")) if p)


def _add_highlights(library: Library, article_id: str, item: SavedItem, service: str) -> list[Annotation]:
    """Store the item's highlights not stored before (ids come from their content, so a
    second import of the same export adds nothing and keeps the user's edits)."""
    identity = item.article.identity
    stamp = now_iso()
    new: list[Annotation] = []
    for highlight in item.highlights:
        # a note without a quote is about the whole article: it goes on the title
        exact = _quote_as_text(highlight.quote) or clean_text(item.article.title)
        key = "\x1f".join((service, identity, highlight.quote, highlight.note))
        ann_id = hashlib.sha1(key.encode("utf-8")).hexdigest()[:32]
        if not exact or library.annotation(ann_id) is not None:
            continue
        new.append(Annotation(
            id=ann_id, article_id=article_id, start=0, end=len(exact), exact=exact, note=highlight.note,
            tags=highlight.tags, created=highlight.created or stamp, updated=highlight.created or stamp,
        ))
    return library.restore_annotations(new) if new else []


def _folder_tag(path: Path) -> str | None:
    """The tag ``--tag-from-folder`` gives a file: its folder's name (``None`` at the root)."""
    try:
        name = path.absolute().parent.name
    except OSError:
        name = path.parent.name
    return " ".join(name.split()) or None


def seed_identity(path: Path) -> str:
    return f"seed:{path.name}"


def import_seeds(library: Library, seeds: Path, progress: Progress | None = None) -> ImportReport | None:
    """Import the bundled seeds once (first start); ``None`` when already done."""
    if library.get_meta("seeds_imported") == "1":
        return None
    report = import_paths(library, [seeds], progress=progress, identity_for=seed_identity)
    library.set_meta("seeds_imported", "1")
    return report
