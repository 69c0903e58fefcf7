"""Bytes -> text: encoding detection, binary refusal and text normalisation.

Accepted: UTF-8 (with or without BOM), UTF-16/UTF-32 with a BOM, UTF-16 without a
BOM when every other byte is NUL, else cp1252 (Latin-1 for the five bytes
cp1252 leaves undefined) for text that is mostly printable.  Anything else is
refused with an :class:`~reader.core.ingest.IngestError` naming the reason.
"""

from __future__ import annotations

import codecs
import os
import re

from reader.core.ingest.errors import IngestError

# C0 controls except tab/newline/CR/form feed/vertical tab, DEL and the C1 block.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Everything normalise_text removes (controls, stray BOMs, lone surrogates).
_STRIP = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufeff\ud800-\udfff]")
_LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")

#: Share of control characters above which a file is called binary.
MAX_CONTROL_RATIO = 0.01
#: Share of bytes >= 0x80 above which non-UTF-8 bytes are not taken for Latin-1 text.
MAX_HIGH_BYTE_RATIO = 0.3


def normalise_text(text: str) -> str:
    """Normalise line endings to ``\\n`` and drop control characters, BOMs and surrogates.

    Tabs survive; every other C0/C1 control character is removed (Python-Markdown
    uses STX/ETX internally and no article text needs them).
    """
    return _STRIP.sub("", _LINE_BREAKS.sub("\n", text))


def _looks_like_utf16_without_bom(data: bytes) -> str | None:
    """``"utf-16-le"``/``"utf-16-be"`` when NULs sit in every other byte (ASCII-ish UTF-16)."""
    if len(data) < 4 or len(data) % 2:
        return None
    odd, even = data[1::2], data[0::2]
    half = len(data) // 2
    if odd.count(0) > 0.9 * half and even.count(0) < 0.1 * half:
        return "utf-16-le"
    if even.count(0) > 0.9 * half and odd.count(0) < 0.1 * half:
        return "utf-16-be"
    return None


def _decode_8bit(data: bytes) -> str:
    """cp1252, with Latin-1 for the five bytes cp1252 leaves undefined."""
    return data.decode("cp1252", errors="latin1_fallback")


def _latin1_fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return exc.object[exc.start : exc.end].decode("latin-1"), exc.end


codecs.register_error("latin1_fallback", _latin1_fallback)


def decode_bytes(data: bytes, path: str | os.PathLike[str]) -> str:
    """Decode a file's bytes to normalised text, or raise :class:`IngestError`.

    The result has ``\\n`` line endings and no control characters; it is never
    empty or whitespace-only.
    """
    if not data:
        raise IngestError(path, "file is empty")
    text: str
    if data.startswith(codecs.BOM_UTF8):
        try:
            text = data[3:].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise IngestError(path, f"invalid UTF-8 after a UTF-8 byte-order mark (byte {exc.start + 3})") from None
    elif data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        text = _decode_strict(data, "utf-32", path)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decode_strict(data, "utf-16", path)
    elif b"\x00" in data:
        encoding = _looks_like_utf16_without_bom(data)
        if encoding is None:
            raise IngestError(path, "binary file (contains NUL bytes)")
        text = _decode_strict(data, encoding, path)
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            high = sum(1 for b in data if b >= 0x80)
            if high > MAX_HIGH_BYTE_RATIO * len(data):
                raise IngestError(path, "undecodable text (not UTF-8, UTF-16 or Latin-1/cp1252)") from None
            text = _decode_8bit(data)
    controls = len(_CONTROL.findall(text))
    if controls > MAX_CONTROL_RATIO * len(text) + 2:
        raise IngestError(path, f"binary file ({controls} control characters)")
    text = normalise_text(text)
    if not text.strip():
        raise IngestError(path, "file contains only whitespace")
    return text


def _decode_strict(data: bytes, encoding: str, path: str | os.PathLike[str]) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        name = encoding.upper()
        raise IngestError(path, f"invalid {name} text (byte {exc.start})") from None
