"""Readers sharing one spool (``biblio.lockstep``): each gets exactly the items it asks for,
an item is read once when they go forward together, memory stays a window, nobody waits for ever."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from biblio import api, lockstep
from biblio.fileio import Spool


class Counted(Sequence):
    """A source that counts its readings and notices being read by two threads at once."""

    def __init__(self, n: int) -> None:
        self.items = [f"item {i}" for i in range(n)]
        self.readings = 0
        self.inside = 0
        self.overlapped = False
        self.languages = ["kk", "ru"]

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index):
        self.inside += 1
        if self.inside > 1:
            self.overlapped = True
        self.readings += 1
        item = self.items[index]
        self.inside -= 1
        return item


def _run(source, jobs, window=4, timeout=30.0):
    """run_together in a thread, so that a deadlock fails the test instead of hanging it."""
    outcome: dict = {}

    def target():
        try:
            outcome["results"] = lockstep.run_together(source, jobs, window=window)
        except BaseException as error:  # noqa: BLE001
            outcome["error"] = error
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout)
    assert not thread.is_alive(), "the readers waited for each other for ever"
    return outcome


def test_readers_going_forward_together_read_each_item_once():
    source = Counted(200)
    outcome = _run(source, [list, lambda view: [item.upper() for item in view], lambda view: view[::-1][::-1]])
    assert outcome["results"][0] == source.items
    assert outcome["results"][1] == [item.upper() for item in source.items]
    assert outcome["results"][2] == source.items
    assert not source.overlapped


def test_forward_readers_share_every_reading():
    source = Counted(300)
    made = lockstep.Lockstep(source, 3, window=8)
    kept_most = 0

    def reader(number):
        nonlocal kept_most
        out = []
        for index in range(len(source)):
            out.append(made.get(number, index))
            kept_most = max(kept_most, len(made._kept))
        made.finish(number)
        return out
    threads = [threading.Thread(target=reader, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert made.reads == source.readings == 300
    assert kept_most <= made.window + made.KEEP_BEHIND + 2  # a window, not the whole source


def test_a_view_passes_other_attributes_and_indexes_like_a_list():
    source = Counted(10)
    view = lockstep.Lockstep(source, 1).view(0)
    assert view.languages == ["kk", "ru"]
    assert len(view) == 10 and view[-1] == "item 9" and view[2:4] == ["item 2", "item 3"]
    with pytest.raises(IndexError):
        view[10]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(0, 39), max_size=60), min_size=1, max_size=4), st.integers(1, 6))
def test_readers_in_any_order_get_their_items_and_never_wait_for_ever(orders, window):
    source = Counted(40)

    def job(order):
        return lambda view: [view[index] for index in order]
    outcome = _run(source, [job(order) for order in orders], window=window)
    assert outcome["results"] == [[source.items[index] for index in order] for order in orders]
    assert not source.overlapped


def test_a_failing_reader_stops_holding_the_others_back():
    source = Counted(100)

    def failing(view):
        view[0]
        raise ValueError("broken on purpose")
    outcome = _run(source, [list, failing, list], window=2)
    failed = outcome["error"]
    assert isinstance(failed, lockstep.RunTogetherFailed)
    assert isinstance(failed.error, ValueError)
    assert failed.results == [source.items, None, source.items]


def test_a_spool_read_together_gives_the_same_articles():
    spool = Spool()
    try:
        for number in range(50):
            spool.append({"number": number, "title": f"Article {number}"})
        outcome = _run(spool, [list, list], window=3)
        assert outcome["results"] == [list(spool), list(spool)]
    finally:
        spool.close()


def test_a_failing_writer_among_tasks_run_together_leaves_no_staging_folder(tmp_path, monkeypatch):
    import tempfile

    from test_build_parallel import _generated_manifest

    from biblio import formats

    path = _generated_manifest(tmp_path, 6)  # a JSON manifest: spooled, so the worker's tasks run together
    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    issue, _, _ = api._check_streamed(path)
    try:
        assert isinstance(issue.articles, Spool)

        def broken(issue, folder, **options):
            assert issue.articles[0].titles
            raise RuntimeError("a broken writer")
        formats.register(formats.Format("broken", "fails on purpose", broken, lambda path: [], lambda path: False))
        monkeypatch.setattr(api, "_WORKER_ISSUE", issue)
        with pytest.raises(RuntimeError, match="a broken writer"):
            api._produce_in_worker([("csl", [None]), ("broken", None), ("ris", [None])], True)
    finally:
        formats.unregister("broken")
        api._close(issue)
    assert [p for p in private.iterdir() if p.name.startswith("biblio-")] == []


def test_a_job_without_a_thread_stops_the_others_instead_of_hanging(monkeypatch):
    source = Counted(500)
    started = []
    real_start = threading.Thread.start

    def start(thread):
        if thread.name.startswith("biblio-lockstep") and started:
            raise RuntimeError("can't start new thread")
        started.append(thread)
        real_start(thread)
    monkeypatch.setattr(threading.Thread, "start", start)
    outcome = _run(source, [list, list, list], window=2)
    failed = outcome["error"]
    assert isinstance(failed, lockstep.RunTogetherFailed)
    assert isinstance(failed.error, RuntimeError)
    assert failed.results[1:] == [None, None]


class _Interrupted(BaseException):
    """Stands in for KeyboardInterrupt, so that nothing reaches the test runner."""


def test_an_interruption_stops_every_job_at_its_next_article_and_is_reported():
    import os
    import signal
    import time

    source = Counted(400)

    def slow(view):
        out = []
        for item in view:
            time.sleep(0.005)
            out.append(item)
        return out

    def handler(signum, frame):
        raise _Interrupted

    previous = signal.signal(signal.SIGALRM, handler)
    try:
        timer = threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGALRM))
        timer.start()
        began = time.perf_counter()
        with pytest.raises(lockstep.RunTogetherFailed) as raised:
            lockstep.run_together(source, [slow, slow], window=4)
        took = time.perf_counter() - began
        timer.join()
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert isinstance(raised.value.error, _Interrupted)
    assert raised.value.results == [None, None]  # both stopped (Cancelled), neither finished
    assert took < 400 * 0.005  # stopped long before the jobs would have ended
    assert source.readings < 400


def test_a_reader_going_backwards_keeps_memory_bounded():
    source = Counted(600)
    made = lockstep.Lockstep(source, 2, window=8)
    kept_most = 0

    def reader(number, order):
        nonlocal kept_most
        for index in order:
            made.get(number, index)
            kept_most = max(kept_most, len(made._kept))
        made.finish(number)
    threads = [threading.Thread(target=reader, args=(0, range(600))),
               threading.Thread(target=reader, args=(1, range(599, -1, -1)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not any(thread.is_alive() for thread in threads)
    assert kept_most <= 2 * (made.window + made.KEEP_BEHIND + 2)


def test_pauses_of_collection_in_two_threads_leave_it_as_it_was():
    import gc

    from biblio.fileio import collection_paused

    assert gc.isenabled()
    first, second = collection_paused(), collection_paused()
    first.__enter__()
    second.__enter__()
    assert not gc.isenabled()
    first.__exit__(None, None, None)  # the first to pause resumes first, as threads may
    assert not gc.isenabled()
    second.__exit__(None, None, None)
    assert gc.isenabled()
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()  # off before: off after
    finally:
        gc.enable()
