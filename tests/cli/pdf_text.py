"""A small PDF text reader for tests: enough for the PDFs Qt's QPdfWriter writes.

It reads every object, inflates FlateDecode streams, maps each font resource
(``/F12``) to its ``/ToUnicode`` CMap, and decodes the ``<hex> Tj`` and
``[...] TJ`` strings of the page content streams through them.  Ligature
glyphs are expanded (NFKC), so words read as written.  Independent of the
code under test: it knows PDF, not Reader.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from pathlib import Path

_OBJ = re.compile(rb"(?s)(\d+) 0 obj(.*?)endobj")
_STREAM = re.compile(rb"(?s)stream\r?\n(.*)\r?\nendstream")


def _objects(data: bytes) -> dict[int, bytes]:
    return {int(m.group(1)): m.group(2) for m in _OBJ.finditer(data)}


def _stream(body: bytes) -> bytes | None:
    m = _STREAM.search(body)
    if m is None:
        return None
    raw = m.group(1)
    if b"/FlateDecode" in body[: m.start()]:
        try:
            return zlib.decompress(raw)
        except zlib.error:
            return None
    return raw


def _hex_codes(hexstr: bytes, width: int = 4) -> list[int]:
    text = re.sub(rb"\s", b"", hexstr).decode("ascii")
    return [int(text[k : k + width], 16) for k in range(0, len(text) - width + 1, width)]


def _utf16(hexstr: bytes) -> str:
    raw = bytes.fromhex(re.sub(rb"\s", b"", hexstr).decode("ascii"))
    return raw.decode("utf-16-be", errors="replace")


def _cmap(text: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for block in re.findall(rb"(?s)beginbfchar(.*?)endbfchar", text):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(src, 16)] = _utf16(dst)
    for block in re.findall(rb"(?s)beginbfrange(.*?)endbfrange", text):
        for lo, hi, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\[[^\]]*\]|<[0-9A-Fa-f]+>)", block):
            start, end = int(lo, 16), int(hi, 16)
            if dst.startswith(b"["):
                for k, item in enumerate(re.findall(rb"<([0-9A-Fa-f]+)>", dst)):
                    mapping[start + k] = _utf16(item)
            else:
                first = int(dst[1:-1], 16)
                for code in range(start, end + 1):
                    mapping[code] = chr(first + code - start)
    return mapping


def pdf_text(path: Path) -> str:
    """The text of every page, in content-stream order (words may run together)."""
    data = path.read_bytes()
    objects = _objects(data)
    fonts: dict[bytes, dict[int, str]] = {}
    for body in objects.values():
        for font_block in re.findall(rb"(?s)/Font\s*<<(.*?)>>", body):
            for name, ref in re.findall(rb"/(\w+)\s+(\d+) 0 R", font_block):
                font = objects.get(int(ref), b"")
                uni = re.search(rb"/ToUnicode\s+(\d+) 0 R", font)
                if uni:
                    cmap_stream = _stream(objects.get(int(uni.group(1)), b""))
                    if cmap_stream:
                        fonts[name] = _cmap(cmap_stream)
    out: list[str] = []
    for body in objects.values():
        content = _stream(body)
        if not content or b"BT" not in content:
            continue
        current: dict[int, str] = {}
        for token in re.finditer(rb"/(\w+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f\s]*)>\s*Tj|\[(.*?)\]\s*TJ", content, re.S):
            if token.group(1) is not None:
                current = fonts.get(token.group(1), {})
            else:
                hexes = [token.group(2)] if token.group(2) is not None else re.findall(rb"<([0-9A-Fa-f\s]*)>",
                                                                                        token.group(3))
                for h in hexes:
                    out.append("".join(current.get(c, "") for c in _hex_codes(h)))
        out.append("\n")
    return unicodedata.normalize("NFKC", "".join(out))


def font_sizes_pt(path: Path) -> list[float]:
    """The sizes (in points on paper) of the fonts the page content streams select:
    each ``Tf`` size times the scale of the ``cm`` matrix in force (Qt sets one
    per page)."""
    data = path.read_bytes()
    sizes: list[float] = []
    for body in _objects(data).values():
        content = _stream(body)
        if not content or b"Tf" not in content:
            continue
        scale = 1.0
        for token in re.finditer(rb"([\d.\-]+) [\d.\-]+ [\d.\-]+ ([\d.\-]+) [\d.\-]+ [\d.\-]+ cm|/\w+ ([\d.]+) Tf",
                                 content):
            if token.group(1) is not None:
                scale = abs(float(token.group(1)))
            else:
                sizes.append(round(float(token.group(3)) * scale, 1))
    return sizes
