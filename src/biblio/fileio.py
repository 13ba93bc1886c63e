"""Writing files so that a crash or an error never leaves half a file behind; a spool on disk."""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import pickle
import sys
import tempfile
import threading
from array import array
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write to a temporary file in the same folder, then rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
        os.chmod(temporary, 0o666 & ~_UMASK)  # mkstemp makes 0600; a written file gets the usual mode
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


_UMASK = _umask()  # read once at import: os.umask can only be read by setting it


# as biblio.api's parallel build: worker processes are forked where the system allows it
_FORKING = hasattr(os, "fork") and sys.platform != "darwin" and "fork" in multiprocessing.get_all_start_methods()


_PAUSE_LOCK = threading.Lock()
_pauses = 0  # how many callers, in any thread, have collection paused now
_collecting_before = True  # whether collection was on when the first of them paused it


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


def _fresh_pause_lock() -> None:  # a forked child has one thread: a lock another thread held is not held
    global _PAUSE_LOCK
    _PAUSE_LOCK = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_fresh_pause_lock)


def lazy_item(sequence: Sequence, index, read: Callable[[int], object]):
    """List-like indexing of a sequence whose items are read one at a time by ``read(position)``:
    a slice gives a list, a negative index counts from the end, one beyond raises IndexError."""
    if isinstance(index, slice):
        return [read(number) for number in range(*index.indices(len(sequence)))]
    if index < 0:
        index += len(sequence)
    if not 0 <= index < len(sequence):
        raise IndexError(f"{type(sequence).__name__} index out of range")
    return read(index)


class Spool(Sequence):
    """Objects pickled one after another into a temporary file and read back one at a time.

    A build keeps its articles here instead of in memory: the writers index and iterate it
    like the list it stands for, and each read costs one unpickling (the last few reads are
    kept, as writers ask for the same article several times in a row). Reads use ``os.pread``,
    so processes forked from the owner share the open file without sharing a file position.
    """

    _KEEP = 4

    def __init__(self) -> None:
        handle, path = tempfile.mkstemp(prefix="biblio-spool-", suffix=".pickle")
        self._fd = handle
        self._owner = os.getpid()
        self._path: str | None = path
        if _FORKING:  # workers inherit the open file: remove its name now, so a killed build leaves nothing
            os.unlink(path)
            self._path = None
        self._offsets = array("q", [0])
        self._recent: dict[int, object] = {}
        self._pending: list[bytes] = []
        self._pending_size = 0

    def append(self, item: object) -> None:
        data = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
        self._pending.append(data)
        self._pending_size += len(data)
        self._offsets.append(self._offsets[-1] + len(data))
        if self._pending_size > 1 << 20:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            os.pwrite(self._fd, b"".join(self._pending), self._offsets[-1] - self._pending_size)
            self._pending, self._pending_size = [], 0

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def offsets(self) -> array:
        """Where each item ends in the file (after writing what is pending): what ``adopt``
        takes in the process that shares this spool's file with a forked writer."""
        self._flush()
        return self._offsets

    def adopt(self, offsets: array) -> None:
        """Take the items a forked process wrote into this spool's (shared) file."""
        self._offsets = array("q", offsets)
        self._recent.clear()

    def extend(self, other: Spool) -> None:
        """Append ``other``'s items (copied file to file, never unpickled)."""
        self._flush()
        other._flush()
        base, size = self._offsets[-1], other._offsets[-1]
        done = 0
        while done < size:
            chunk = os.pread(other._fd, min(1 << 24, size - done), done)
            if not chunk:
                raise OSError("the spool file ended early")
            os.pwrite(self._fd, chunk, base + done)
            done += len(chunk)
        self._offsets.extend(base + end for end in other._offsets[1:])

    def __getitem__(self, index):  # type: ignore[override]
        return lazy_item(self, index, self._read)

    def _read(self, index: int) -> object:
        if index in self._recent:
            return self._recent[index]
        self._flush()
        start, end = self._offsets[index], self._offsets[index + 1]
        data = os.pread(self._fd, end - start, start)
        with collection_paused():  # hundreds of new objects per item, none of them garbage
            item = pickle.loads(data)
        if len(self._recent) >= self._KEEP:
            del self._recent[next(iter(self._recent))]
        self._recent[index] = item
        return item

    def __iter__(self):
        for index in range(len(self)):
            yield self[index]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None  # type: ignore[assignment]

    def __getstate__(self) -> dict:  # to a spawned worker: the file's name, opened again there
        if self._path is None:
            raise TypeError("a spool without a file name (where processes fork) is shared by forking, not pickled")
        self._flush()
        return {"_path": self._path, "_offsets": self._offsets}

    def __setstate__(self, state: dict) -> None:
        self._path, self._offsets = state["_path"], state["_offsets"]
        self._fd = os.open(self._path, os.O_RDONLY)
        self._owner = -1  # not the owner: never removes the file
        self._recent, self._pending, self._pending_size = {}, [], 0

    def close(self) -> None:
        """Remove the file (the owner only); the spool is empty afterwards."""
        if self._fd < 0:
            return
        os.close(self._fd)
        self._fd = -1
        if self._owner == os.getpid() and self._path is not None:
            with contextlib.suppress(OSError):
                os.unlink(self._path)
        self._offsets = array("q", [0])
        self._recent.clear()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.close()
