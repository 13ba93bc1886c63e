"""Progress of long work, on standard error, as one line that overwrites itself (``\\r``) and is cleared at the end.

The Python API takes an optional callback ``progress(phase, done, total)`` (``total`` None when not known yet);
``bar()`` makes one for the command line. The bar is drawn only when standard error is a terminal (never into a pipe,
a file or a CI log), only once the work has run ``BIBLIO_PROGRESS_AFTER`` seconds (default 2: a short build prints
exactly what it did before), and at most ten times a second, so a call per article stays cheap.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TextIO, TypeVar

Progress = Callable[[str, int, int | None], None]
"""A progress callback: the phase (``checking articles``, ``writing articles`` ...), how much is done, of how much."""

T = TypeVar("T")
INTERVAL = 0.1  # seconds between two drawings


def _after() -> float:
    try:
        return max(0.0, float(os.environ.get("BIBLIO_PROGRESS_AFTER", "2")))
    except ValueError:
        return 2.0


class _Bar:
    """The line on a terminal: drawn when due, cleared by ``clear``."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.due = time.monotonic() + _after()
        self.drawn = 0  # the width of the longest line drawn

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        now = time.monotonic()
        if now < self.due:
            return
        self.due = now + INTERVAL
        try:
            width = (os.get_terminal_size(self.stream.fileno()).columns or 80) - 1  # 0: a terminal without a size
        except (OSError, ValueError):
            width = 79
        if total:
            share = min(1.0, done / total)
            filled = round(20 * share)
            text = f"{phase} {done}/{total} [{'#' * filled}{'.' * (20 - filled)}] {share:4.0%}"
        else:
            text = f"{phase} {done}"
        self.stream.write("\r" + text[:width].ljust(self.drawn))
        self.stream.flush()
        self.drawn = max(self.drawn, len(text[:width]))

    def clear(self) -> None:
        if self.drawn:
            self.stream.write("\r" + " " * self.drawn + "\r")
            self.stream.flush()
            self.drawn = 0


@contextmanager
def bar(stream: TextIO | None = None) -> Iterator[Progress | None]:
    """A progress callback drawing on ``stream`` (standard error) while the block runs, its line cleared when the
    block ends (before the summary is printed, however the block ends); None when the stream is no terminal."""
    stream = stream if stream is not None else sys.stderr
    if not stream.isatty() or os.environ.get("TERM") == "dumb":
        yield None
        return
    line = _Bar(stream)
    try:
        yield line
    finally:
        line.clear()


def counting(items: Iterable[T], progress: Progress | None, phase: str, total: int | None = None) -> Iterator[T]:
    """The items, each reported to ``progress`` as it is taken (the items as they are when there is no callback)."""
    if progress is None:
        yield from items
        return
    done = 0
    progress(phase, done, total)
    for item in items:
        yield item
        done += 1
        progress(phase, done, total)
