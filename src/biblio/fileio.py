"""Writing files so that a crash or an error never leaves half a file behind."""

from __future__ import annotations

import codecs
import os
import tempfile
from pathlib import Path

NAME_BYTES = 240  # the longest file name biblio writes: file systems take 255 bytes, and a temporary name adds 14


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write to a temporary file in the same folder, then rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
        os.chmod(temporary, 0o666 & ~UMASK)  # mkstemp makes 0600; a written file gets the usual mode
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_head(path: Path, size: int = 4096) -> bytes | None:
    """The first ``size`` bytes of a file, or None when it cannot be read: what the formats'
    ``detect`` functions sniff, without parsing the file."""
    try:
        with open(path, "rb") as stream:
            return stream.read(size)
    except OSError:
        return None


# Byte-order marks and the encodings they name (UTF-32's first: its little-endian mark starts as UTF-16's).
BOMS = {codecs.BOM_UTF8: "utf-8", codecs.BOM_UTF32_LE: "utf-32", codecs.BOM_UTF32_BE: "utf-32",
        codecs.BOM_UTF16_LE: "utf-16", codecs.BOM_UTF16_BE: "utf-16"}


def bom_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark at the start of ``data`` names (``utf-8``, ``utf-16``, ``utf-32``), or None."""
    return next((encoding for bom, encoding in BOMS.items() if data.startswith(bom)), None)


def read_text_head(path: Path, size: int = 4096) -> str | None:
    """The first ``size`` bytes of a file as text without its byte-order mark, for the ``detect`` functions: decoded
    as the mark says (EndNote and Web of Science start their exports with one; Windows tools save UTF-16 with one),
    else as UTF-8; bytes that do not decode (a character cut at ``size``, another encoding) are left out."""
    head = read_head(path, size)
    if head is None:
        return None
    encoding = bom_encoding(head)
    if encoding == "utf-8":
        encoding = "utf-8-sig"
    return codecs.getincrementaldecoder(encoding or "utf-8")(errors="ignore").decode(head).removeprefix("\ufeff")


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


UMASK = _umask()  # read once at import: os.umask can only be read by setting it
