"""Several writers reading one spool of articles together, each article unpickled once.

A worker of a parallel build runs two or three formats. Run one after the other, each
reads every spooled article back, and reading one (unpickling ~20 KB of model objects)
costs about as much as a citation format takes to write it. Run side by side in threads,
they can share each reading: ``Lockstep`` hands out the articles, keeps those still
wanted, and holds back a reader that runs too far ahead of the others, so memory stays a
few dozen articles whatever the issue's size.

Readers may ask for any index, in any order (a BibTeX writer goes through the articles
twice); only the gain depends on their going forward together. The rule that holds a
reader back (more than ``window`` articles ahead of the slowest other reader) never holds
back the reader furthest behind, so the readers cannot wait for each other for ever.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from .fileio import lazy_item

Result = TypeVar("Result")


class Lockstep:
    """Reads ``source[index]`` once for ``readers`` readers asking for it at about the same time.

    ``source`` is read only here, under one lock, so a source that is not thread-safe (a
    ``fileio.Spool`` keeps recent reads in a dict) is safe to share.
    """

    KEEP_BEHIND = 4  # writers ask for the article they are on several times; keep a few behind

    def __init__(self, source: Sequence, readers: int, *, window: int = 32) -> None:
        self.source = source
        self.window = window
        self._positions: list[float] = [0] * readers  # index each reader asked for last
        self._finished = [False] * readers
        self._kept: dict[int, Any] = {}
        self._changed = threading.Condition()
        self.reads = 0  # readings of the source: what sharing saves is readers * len - reads

    def view(self, reader: int) -> LockstepView:
        return LockstepView(self, reader)

    def get(self, reader: int, index: int) -> Any:
        with self._changed:
            was = self._positions[reader]
            self._positions[reader] = index
            if index > was and was <= self._slowest_other(reader):  # the slowest moved on: others may go
                self._changed.notify_all()
            while index > self._slowest_other(reader) + self.window:
                self._changed.wait()
            item = self._kept.get(index, _MISSING)
            if item is _MISSING:
                item = self.source[index]
                self.reads += 1
                self._kept[index] = item
                self._forget_passed()
            return item

    def finish(self, reader: int) -> None:
        """The reader wants nothing more: it holds nobody back from now on."""
        with self._changed:
            self._finished[reader] = True
            self._positions[reader] = float("inf")
            self._forget_passed()
            self._changed.notify_all()

    def _slowest_other(self, reader: int) -> float:
        others = [p for n, p in enumerate(self._positions) if n != reader and not self._finished[n]]
        return min(others) if others else float("inf")

    def _forget_passed(self) -> None:
        live = [p for n, p in enumerate(self._positions) if not self._finished[n]]
        if not live:
            self._kept.clear()
            return
        oldest = min(live) - self.KEEP_BEHIND
        for index in [i for i in self._kept if i < oldest]:
            del self._kept[index]


_MISSING = object()


class LockstepView(Sequence):
    """What one reader sees: the source's items (through the ``Lockstep``) and its other attributes."""

    def __init__(self, lockstep: Lockstep, reader: int) -> None:
        self._lockstep = lockstep
        self._reader = reader

    def __len__(self) -> int:
        return len(self._lockstep.source)

    def __getitem__(self, index):  # type: ignore[override]
        return lazy_item(self, index, self._get)

    def _get(self, index: int) -> Any:
        return self._lockstep.get(self._reader, index)

    def __iter__(self):
        for index in range(len(self)):
            yield self[index]

    def __getattr__(self, name: str) -> Any:  # e.g. the spool's ``languages``
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self._lockstep.source, name)


def run_together(source: Sequence, jobs: list[Callable[[Sequence], Result]], *,
                 window: int = 32) -> list[Result]:
    """Run each job on its own view of ``source``, side by side in threads; results in order.

    A job that fails stops holding the others back. When every job has ended and one has
    failed, ``RunTogetherFailed`` carries every job's result (None for a failed one), so that
    the caller can clean up after the others, and the first failure in the jobs' order.
    """
    lockstep = Lockstep(source, len(jobs), window=window)

    def run(reader: int) -> Result:
        try:
            return jobs[reader](lockstep.view(reader))
        finally:
            lockstep.finish(reader)

    with ThreadPoolExecutor(max_workers=len(jobs), thread_name_prefix="biblio-lockstep") as pool:
        futures = [pool.submit(run, reader) for reader in range(len(jobs))]
        outcomes = [_outcome(future) for future in futures]
    failures = [error for _, error in outcomes if error is not None]
    if failures:
        raise RunTogetherFailed([result for result, _ in outcomes], failures[0]) from failures[0]
    return [result for result, _ in outcomes]  # type: ignore[misc]


def _outcome(future) -> tuple[Any, BaseException | None]:
    try:
        return future.result(), None
    except BaseException as error:  # noqa: BLE001 - handed back to the caller with the results
        return None, error


class RunTogetherFailed(Exception):
    """A job of ``run_together`` failed: ``results`` holds what the others returned (None for a
    failed one), so that the caller can clean up after them; ``error`` is the first failure."""

    def __init__(self, results: list[Any], error: BaseException) -> None:
        super().__init__(str(error))
        self.results = results
        self.error = error
