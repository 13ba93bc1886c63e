"""Writing files so that a crash or an error never leaves half a file behind."""

from __future__ import annotations

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


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


UMASK = _umask()  # read once at import: os.umask can only be read by setting it
