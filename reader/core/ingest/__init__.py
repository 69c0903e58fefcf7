"""The ingest layer: files of four formats -> :class:`~reader.core.article.Article`.

Formats: DW page scrapes (``dw``, :mod:`.dw`), Markdown (``markdown``,
:mod:`.markdown_in`), plain text (``text``, :mod:`.plaintext`) and saved web
pages (``html``, :mod:`.html`, extracted with trafilatura).  Every failure
is an :class:`IngestError` whose ``str()`` is one line naming the file and the
reason; nothing else escapes :func:`load_file` or :func:`parse_text`.
"""

from __future__ import annotations

import logging
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from reader.core.article import Article
from reader.core.ingest.decode import decode_bytes, normalise_text
from reader.core.ingest.dw_detect import looks_like_dw
from reader.core.ingest.errors import IngestError, SkippedFile

__all__ = [
    "FORMATS",
    "MAX_BYTES",
    "SUPPORTED_SUFFIXES",
    "IngestError",
    "SkippedFile",
    "detect",
    "iter_files",
    "load_file",
    "parse_text",
]

log = logging.getLogger(__name__)

#: File name suffixes (lower case) that folders are searched for.
SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml"})
#: Files bigger than this are refused without being read (20 MiB).
MAX_BYTES: int = 20 * 1024 * 1024
#: The format names ``parse_text`` accepts.
FORMATS: frozenset[str] = frozenset({"dw", "markdown", "text", "html"})

_MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
_HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
_DW_STRONG = re.compile(
    r"^\s*(?:\d+\.\s*)?Skip to (?:content|main menu|more DW sites)\s*$"
    r"|^\s*Skip next section \S"
    r"|https?://p\.dw\.com/p/\w"
    r"|^.*\|\s*DW\s*\|\s*\d{1,2}\.\d{1,2}\.\d{4}\s*$"
    r"|^.* [–-] DW [–-] \d{2}/\d{2}/\d{4}\s*$"
    r"|^\s*Visit the new DW website\s*$",
    re.MULTILINE,
)
_DW_CREDIT = re.compile(r"\S ?Image: \S.*$", re.MULTILINE)
_DW_SIGNATURE = re.compile(
    r"^\s*[a-z]{1,4}(?:/[a-z]{1,4})+ \((?:AFP|AP|Reuters|dpa|KNA|epd|EFE)[^)]*\)\s*$", re.MULTILINE
)
_MD_HINT = re.compile(r"^(?:#{1,6} \S|---\s*$|\s*[-*+] \S|\s*\d+\. \S|> |```)", re.MULTILINE)


def detect(text: str, path: str | os.PathLike[str] | None = None) -> str:
    """Guess the format of ``text``: ``"dw"``, ``"markdown"``, ``"html"`` or ``"text"``.

    A ``.md``/``.markdown`` suffix means Markdown, ``.html``/``.htm``/``.xhtml``
    or a text starting like an HTML document a web page.  Otherwise DW markers (the
    "Skip to content" menu, "Skip next section", ``p.dw.com`` short links, the
    old ``| DW | dd.mm.yyyy`` title, or image credits together with an agency
    signature) mean a DW scrape; a Markdown heading or front matter at the top
    means Markdown; anything else is plain text.
    """
    suffix = Path(os.fspath(path)).suffix.lower() if path else ""
    if suffix in _MARKDOWN_SUFFIXES:
        return "markdown"
    if suffix in _HTML_SUFFIXES:
        return "html"
    from reader.core.ingest.html import looks_like_html

    if looks_like_html(text):
        return "html"
    head = text[:20000]
    if _DW_STRONG.search(head) or (_DW_CREDIT.search(text) and _DW_SIGNATURE.search(text)) or looks_like_dw(head):
        return "dw"
    first = next((line for line in text.lstrip("\ufeff").splitlines() if line.strip()), "")
    if first.startswith("# ") or (first.strip() == "---" and text.lstrip().startswith("---")):
        return "markdown"
    if suffix not in {".txt", ".text"} and len(_MD_HINT.findall(head)) >= 3:
        return "markdown"
    return "text"


def parse_text(
    text: str,
    *,
    path: str | os.PathLike[str] | None = None,
    fmt: str | None = None,
    identity: str | None = None,
) -> Article:
    """Parse decoded text into an :class:`Article`.

    ``fmt`` is ``"dw"``, ``"markdown"``, ``"text"``, ``"html"`` or ``None`` (then :func:`detect`).
    ``path`` is used for the error messages, ``source_path`` and the fallback
    identity.  Raises :class:`IngestError` only.
    """
    shown = os.fspath(path) if path is not None else "<text>"
    if fmt is not None and fmt not in FORMATS:
        raise IngestError(shown, f"unknown format {fmt!r} (known: {', '.join(sorted(FORMATS))})")
    text = normalise_text(text)
    if not text.strip():
        raise IngestError(shown, "file contains only whitespace" if text else "file is empty")
    kind = fmt or detect(text, path)
    source_path = os.fspath(path) if path is not None else None
    try:
        if kind == "dw":
            from reader.core.ingest.dw import parse_dw

            return parse_dw(text, path=source_path, identity=identity)
        if kind == "html":
            from reader.core.ingest.html import parse_html

            return parse_html(text, path=source_path, identity=identity)
        if kind == "markdown":
            from reader.core.ingest.markdown_in import parse_markdown

            return parse_markdown(text, path=source_path, identity=identity)
        from reader.core.ingest.plaintext import parse_plaintext

        return parse_plaintext(text, path=source_path, identity=identity)
    except IngestError as exc:
        if exc.path == shown:
            raise
        raise IngestError(shown, exc.reason) from None
    except RecursionError:
        raise IngestError(shown, f"too deeply nested to parse as {kind}") from None
    except Exception as exc:  # a parser bug must not take an import down
        log.exception("parsing %s as %s failed", shown, kind)
        raise IngestError(shown, f"could not be parsed as {kind} ({type(exc).__name__}: {exc})") from exc


def _read_bytes(path: Path) -> bytes:
    try:
        info = path.stat()
    except FileNotFoundError:
        raise IngestError(path, "file not found (moved or deleted?)") from None
    except OSError as exc:
        raise IngestError(path, f"cannot read file ({exc.strerror or exc})") from None
    if stat.S_ISDIR(info.st_mode):
        raise IngestError(path, "is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise IngestError(path, "not a regular file")
    if info.st_size > MAX_BYTES:
        raise IngestError(path, f"file is too big ({_mb(info.st_size)}; the limit is {_mb(MAX_BYTES)})")
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise IngestError(path, "file not found (moved or deleted?)") from None
    except OSError as exc:
        raise IngestError(path, f"cannot read file ({exc.strerror or exc})") from None
    if len(data) > MAX_BYTES:  # grew after stat()
        raise IngestError(path, f"file is too big (over {_mb(MAX_BYTES)})")
    return data


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def load_file(path: Path, *, identity: str | None = None) -> Article:
    """Read, decode, detect the format of and parse one file.

    Raises :class:`IngestError` only: for an empty, whitespace-only, binary,
    undecodable or too big file, one that vanished or cannot be read, or one
    without a title.
    """
    path = Path(path)
    data = _read_bytes(path)
    if path.suffix.lower() in _HTML_SUFFIXES:
        from reader.core.ingest.html import decode_html

        return parse_text(decode_html(data, path), path=path, identity=identity, fmt="html")
    text = decode_bytes(data, path)
    return parse_text(text, path=path, identity=identity)


def _supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES


_KINDS: dict[str, frozenset[str]] = {
    "image file": frozenset(".png .jpg .jpeg .gif .webp .bmp .tif .tiff .svg .heic .heif .ico .avif .raw .psd".split()),
    "audio file": frozenset(".mp3 .m4a .aac .ogg .oga .opus .flac .wav .wma .aiff".split()),
    "video file": frozenset(".mp4 .m4v .mkv .webm .mov .avi .wmv .flv .mpg .mpeg".split()),
    "an e-book": frozenset(".epub .mobi .azw .azw3 .fb2 .djvu .cbz .cbr".split()),
    "a PDF": frozenset({".pdf"}),
    "an office document": frozenset(".doc .docx .odt .rtf .pages .xls .xlsx .ods .ppt .pptx .odp .key".split()),
    "an archive": frozenset(".zip .tar .gz .tgz .bz2 .xz .7z .rar".split()),
}
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "image file"), (b"\xff\xd8\xff", "image file"), (b"GIF8", "image file"),
    (b"%PDF", "a PDF"), (b"PK\x03\x04", "an archive"), (b"ID3", "audio file"),
)


def skip_reason(path: Path) -> str:
    """Why a folder import passes over ``path`` (a file of no supported suffix), e.g.
    ``"skipped (.epub: not a supported format, an e-book)"``, ``"skipped (image file)"``,
    ``"skipped (empty)"``."""
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
    except OSError as exc:
        return f"skipped (cannot read: {exc.strerror or exc})"
    if size == 0:
        return "skipped (empty)"
    kind = next((name for name, suffixes in _KINDS.items() if suffix in suffixes), None)
    if kind is None and not suffix:
        try:
            with open(path, "rb") as handle:
                head = handle.read(8)
        except OSError:
            head = b""
        kind = next((name for magic, name in _MAGIC if head.startswith(magic)), None)
    if kind in ("image file", "audio file", "video file"):
        return f"skipped ({kind})"
    shown = suffix or "no suffix"
    return f"skipped ({shown}: not a supported format{', ' + kind if kind else ''})"


def iter_files(paths: Iterable[Path], *, skipped: bool = False) -> Iterator[tuple[Path, IngestError | None]]:
    """Expand files and folders into ``(file, None)`` or ``(path, IngestError)`` pairs.

    Folders are walked recursively in name order, skipping hidden entries and
    files with unsupported suffixes - silently, or with ``skipped=True`` as
    ``(path, SkippedFile)`` pairs saying why (:func:`skip_reason`; a hidden entry
    or an empty folder is one such line, a hidden folder is not searched).
    Symlinked folders are followed once (loops are cut).  An explicitly named
    file with an unsupported suffix, a missing path or an unreadable folder
    yields an error, and iteration goes on.  A file reached twice is yielded once.
    """
    seen_files: set[str] = set()
    for raw in paths:
        path = Path(raw)
        try:
            is_dir = path.is_dir()
            exists = is_dir or path.exists() or path.is_symlink()
        except OSError as exc:
            yield path, IngestError(path, f"cannot access ({exc.strerror or exc})")
            continue
        if not exists:
            yield path, IngestError(path, "no such file or folder")
        elif is_dir:
            yield from _walk(path, set(), seen_files, skipped)
        elif not _supported(path):
            shown = path.suffix or "no suffix"
            yield (
                path,
                IngestError(
                    path, f"unsupported file type ({shown}; supported: {', '.join(sorted(SUPPORTED_SUFFIXES))}, "
                    "and Omnivore/wallabag exports)"
                ),
            )
        elif _first_visit(path, seen_files):
            yield path, None


def _first_visit(path: Path, seen: set[str]) -> bool:
    try:
        key = str(path.resolve())
    except (OSError, RuntimeError):
        key = str(path.absolute())
    if key in seen:
        return False
    seen.add(key)
    return True


def _walk(
    folder: Path, active: set[tuple[int, int]], seen_files: set[str], skipped: bool = False
) -> Iterator[tuple[Path, IngestError | None]]:
    try:
        info = folder.stat()
        key = (info.st_dev, info.st_ino)
    except OSError as exc:
        yield folder, IngestError(folder, f"cannot read folder ({exc.strerror or exc})")
        return
    if key in active:  # a symlink back into a folder being walked
        return
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda e: e.name)
    except OSError as exc:
        yield folder, IngestError(folder, f"cannot read folder ({exc.strerror or exc})")
        return
    if skipped and not entries:
        yield folder, SkippedFile(folder, "skipped (empty folder)")
        return
    active.add(key)
    try:
        for entry in entries:
            child = Path(entry.path)
            try:
                is_dir = entry.is_dir()  # follows symlinks
            except OSError:
                is_dir = False
            if entry.name.startswith("."):
                if skipped:
                    yield child, SkippedFile(child, "skipped (hidden folder, not searched)" if is_dir
                                             else "skipped (hidden file)")
                continue
            if is_dir:
                yield from _walk(child, active, seen_files, skipped)
            elif _supported(child):
                if _first_visit(child, seen_files):
                    yield child, None
            elif skipped:
                yield child, SkippedFile(child, skip_reason(child))
    finally:
        active.discard(key)
