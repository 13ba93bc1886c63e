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
        self._cancelled = False
        self.reads = 0  # readings of the source: what sharing saves is readers * len - reads

    def view(self, reader: int) -> LockstepView:
        return LockstepView(self, reader)

    def get(self, reader: int, index: int) -> Any:
        with self._changed:
            if self._cancelled:
                raise Cancelled
            was = self._positions[reader]
            self._positions[reader] = index
            if index > was and was <= self._slowest_other(reader):  # the slowest moved on: others may go
                self._changed.notify_all()
            while index > self._slowest_other(reader) + self.window:
                self._changed.wait()
                if self._cancelled:
                    raise Cancelled
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

    def cancel(self) -> None:
        """Every reader's next request, and any request waiting now, raises ``Cancelled``."""
        with self._changed:
            self._cancelled = True
            self._kept.clear()
            self._changed.notify_all()

    def _slowest_other(self, reader: int) -> float:
        others = [p for n, p in enumerate(self._positions) if n != reader and not self._finished[n]]
        return min(others) if others else float("inf")

    def _forget_passed(self) -> None:
        """Keep only what a live reader may still ask for: a few behind it, up to a window ahead
        (a reader going backwards leaves nothing behind it either, so memory stays bounded)."""
        live = [p for n, p in enumerate(self._positions) if not self._finished[n]]
        behind, ahead = self.KEEP_BEHIND, self.window
        for index in [i for i in self._kept if not any(p - behind <= i <= p + ahead for p in live)]:
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

    Interrupted while waiting (Ctrl-C), or unable to start a thread, it cancels the reading:
    each job stops at its next request for an article (``Cancelled``), and once every job has
    ended, ``RunTogetherFailed`` carries the interruption, so nothing a job made is left
    behind unreported.
    """
    lockstep = Lockstep(source, len(jobs), window=window)
    outcomes: list[tuple[Any, BaseException | None]] = [(None, None)] * len(jobs)
    ended = [threading.Event() for _ in jobs]

    def run(reader: int) -> None:
        try:
            outcomes[reader] = (jobs[reader](lockstep.view(reader)), None)
        except BaseException as error:  # noqa: BLE001 - handed back with the other results
            outcomes[reader] = (None, error)
        finally:
            lockstep.finish(reader)
            ended[reader].set()

    threads: list[threading.Thread] = []
    stopped: BaseException | None = None
    try:
        for reader in range(len(jobs)):
            thread = threading.Thread(target=run, args=(reader,), name=f"biblio-lockstep-{reader}")
            thread.start()
            threads.append(thread)
    except BaseException as error:  # noqa: BLE001 - no thread for a job: stop the others, then report
        stopped = error
        lockstep.cancel()
    # Waited for with events of our own: a Thread.join interrupted by Ctrl-C can take a running
    # thread for ended (CPython 3.11), and its job would go on unseen while this returns.
    for reader in range(len(threads)):
        while not ended[reader].is_set():
            try:
                ended[reader].wait()
            except BaseException as error:  # noqa: BLE001 - interrupted: stop the jobs, and still wait for them
                stopped = stopped or error
                lockstep.cancel()
    failures = [error for _, error in outcomes if error is not None and not isinstance(error, Cancelled)]
    first = stopped or (failures[0] if failures else None)
    if first is not None:
        raise RunTogetherFailed([result for result, _ in outcomes], first) from first
    return [result for result, _ in outcomes]


class Cancelled(Exception):
    """The reading was cancelled (``Lockstep.cancel``): the job is to stop and clean up."""


class RunTogetherFailed(Exception):
    """A job of ``run_together`` failed, or the run was stopped: ``results`` holds what the jobs
    returned (None for one that failed or stopped), so that the caller can clean up after them;
    ``error`` is the first failure, or the interruption."""

    def __init__(self, results: list[Any], error: BaseException) -> None:
        super().__init__(str(error))
        self.results = results
        self.error = error
