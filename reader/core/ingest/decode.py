"""Bytes -> text: encoding detection, binary refusal and text normalisation.

Accepted: UTF-8 (with or without BOM), UTF-16/UTF-32 with a BOM; anything else
is guessed by **charset-normalizer** (UTF-16 without a BOM, cp1251 Russian,
Shift-JIS, GB18030...).  Short Western texts look alike in a dozen code pages,
so among the guesses that read equally well cp1252 wins (what browsers assume
for undeclared text; Latin-1 for the five bytes cp1252 leaves undefined): a
Latin-1 "£" stays a pound sign.  NUL bytes in anything but UTF-16/32 mean a
binary file.  Anything else is refused with an
:class:`~reader.core.ingest.IngestError` naming the reason.
"""

from __future__ import annotations

import codecs
import os
import re

from reader.core.ingest.errors import IngestError

# C0 controls except tab/newline/CR/form feed/vertical tab, DEL and the C1 block.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Everything normalise_text removes (controls, stray BOMs, lone surrogates).
_STRIP = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufeff\ufffe\uffff\ud800-\udfff]")
_LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")

#: Share of control characters above which a file is called binary.
MAX_CONTROL_RATIO = 0.01


def normalise_text(text: str) -> str:
    """Normalise line endings to ``\\n`` and drop control characters, BOMs and surrogates.

    Tabs survive; every other C0/C1 control character is removed (Python-Markdown
    uses STX/ETX internally and no article text needs them), and so are the
    non-characters U+FFFE/U+FFFF (YAML front matter refuses them).
    """
    return _STRIP.sub("", _LINE_BREAKS.sub("\n", text))


#: How much worse (charset-normalizer's "chaos", 0..1) cp1252 may read than the best guess and still win.
CP1252_TOLERANCE = 0.1


def guess_encoding(data: bytes) -> str | None:
    """The encoding charset-normalizer finds for undeclared ``data`` (a Python codec
    name, ``"cp1252"`` preferred among equals); ``None`` when nothing reads as text."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        return None
    best = matches[0]
    for match in matches:
        if match.chaos > best.chaos + CP1252_TOLERANCE:
            break  # (sorted: the rest reads worse still)
        if match.coherence + CP1252_TOLERANCE >= best.coherence and (
            "cp1252" in match.could_be_from_charset or match.encoding in ("latin_1", "iso8859_15")
        ):
            return "cp1252"
    return str(best.encoding)


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
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _decode_guessed(data, path)
        else:
            if "\x00" in text:  # valid UTF-8 with NULs: UTF-16/32 without a BOM, or binary
                text = _decode_guessed(data, path)
    controls = len(_CONTROL.findall(text))
    if controls > MAX_CONTROL_RATIO * len(text) + 2:
        raise IngestError(path, f"binary file ({controls} control characters)")
    text = normalise_text(text)
    if not text.strip():
        raise IngestError(path, "file contains only whitespace")
    return text


#: charset-normalizer looks at this much of a big file (its cost grows with the size); the
#: whole file must then decode strictly with the guess, or the whole file is looked at.
GUESS_SAMPLE = 256 * 1024


def _decode_guessed(data: bytes, path: str | os.PathLike[str]) -> str:
    encoding = guess_encoding(data[: GUESS_SAMPLE - GUESS_SAMPLE % 4]) if len(data) > GUESS_SAMPLE else None
    if encoding is not None:
        decoded = _decode_as(data, encoding)
        if decoded is not None:
            return decoded
    encoding = guess_encoding(data)
    nul = b"\x00" in data
    if nul and not (encoding or "").startswith(("utf_16", "utf_32")):
        raise IngestError(path, "binary file (contains NUL bytes)")
    if encoding is None:
        raise IngestError(path, "undecodable text (no text encoding fits: not UTF-8, UTF-16, cp1252 or another)")
    decoded = _decode_as(data, encoding)
    if decoded is None:
        raise IngestError(path, f"undecodable text (not valid {encoding})")
    return decoded


def _decode_as(data: bytes, encoding: str) -> str | None:
    """``data`` decoded strictly as ``encoding`` (cp1252 with its Latin-1 fallback); ``None`` if it does not fit."""
    if encoding == "cp1252":
        return None if b"\x00" in data else _decode_8bit(data)
    if b"\x00" in data and not encoding.startswith(("utf_16", "utf_32")):
        return None
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _decode_strict(data: bytes, encoding: str, path: str | os.PathLike[str]) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        name = encoding.upper()
        raise IngestError(path, f"invalid {name} text (byte {exc.start})") from None
