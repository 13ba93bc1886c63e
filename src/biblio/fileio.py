"""Writing files so that a crash or an error never leaves half a file behind."""

from __future__ import annotations

import contextlib
import gc
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path


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
_UMASK = UMASK  # TEMPORARY (issue 14): until xmltools and textfiles go



_PAUSE_LOCK = threading.Lock()
_pauses = 0
_collecting_before = True


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block, for code that makes many objects and no
    garbage (unpickling an article, writing a file of entries, reading a manifest).

    One count for the whole process, so that threads pausing and resuming in any order leave
    collection as it was before the first of them: each saving and restoring ``gc.isenabled()``
    on its own could leave it off for good when two threads interleave.
    """
    global _pauses, _collecting_before
    with _PAUSE_LOCK:
        if _pauses == 0:
            _collecting_before = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _PAUSE_LOCK:
            _pauses -= 1
            if _pauses == 0 and _collecting_before:
                gc.enable()


