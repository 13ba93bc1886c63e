"""The progress of long work: a bar on standard error when it is a terminal (a pseudo-terminal here), never in a pipe;
the API's callback hears counts that only grow and end at the total, from the calling process even with workers."""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import biblio
from biblio import progress

ROOT = Path(__file__).resolve().parent.parent
BAR = re.compile(rb"(articles checked|articles written|formats written|issues built) \d+")


def _run(args: list[str], *, terminal: bool, after: str) -> tuple[bytes, bytes, int]:
    """``python -m biblio ARGS`` with standard error on a pseudo-terminal (or a pipe); stdout, stderr, exit code."""
    env = {**os.environ, "BIBLIO_PROGRESS_AFTER": after, "TERM": "xterm", "COLUMNS": "100"}
    master, slave = pty.openpty() if terminal else (None, None)
    proc = subprocess.Popen([sys.executable, "-m", "biblio", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=slave if slave is not None else subprocess.PIPE, stdin=subprocess.DEVNULL)
    chunks: list[bytes] = []
    reader = None
    if master is not None and slave is not None:
        os.close(slave)

        def read() -> None:
            while True:
                try:
                    data = os.read(master, 65536)
                except OSError:  # the other end closed (EIO on Linux)
                    return
                if not data:
                    return
                chunks.append(data)
        reader = threading.Thread(target=read)
        reader.start()
    out, err = proc.communicate(timeout=300)
    if reader is not None and master is not None:
        reader.join(timeout=30)
        os.close(master)
        err = b"".join(chunks)
    return out, err, proc.returncode


def test_the_bar_shows_on_a_terminal_and_is_cleared_before_the_problems(example_path, tmp_path):
    out, err, code = _run(["build", str(example_path), "-o", str(tmp_path / "out"), "-j", "1"],
                          terminal=True, after="0")
    assert code == 0
    assert b"\rarticles checked 10/10 [####################] 100%" in err and b"\rformats written " in err
    drawn, _, rest = err.replace(b"\r\n", b"\n").rpartition(b"\r")  # the last one ends the clearing (CRLF: the tty's)
    assert drawn.rsplit(b"\r", 1)[-1].strip() == b""  # the bar's line overwritten by blanks
    _, piped, _ = _run(["build", str(example_path), "-o", str(tmp_path / "out"), "-j", "1"], terminal=False, after="0")
    assert not rest[:1].isspace() and len(rest.splitlines()) == len(piped.splitlines()) > 5  # the problems, whole
    assert b"\r" not in out and out.startswith(str(example_path).encode() + b": 10 articles")


def test_no_bar_in_a_pipe_nor_for_short_work(example_path, tmp_path):
    _, piped, _ = _run(["build", str(example_path), "-o", str(tmp_path / "a"), "-j", "1"], terminal=False, after="0")
    _, short, _ = _run(["build", str(example_path), "-o", str(tmp_path / "b"), "-j", "1"], terminal=True, after="60")
    assert not BAR.search(piped) and b"\r" not in piped and b"problems in" in piped
    assert not BAR.search(short) and b"\r\n" in short and b"\r" not in short.replace(b"\r\n", b"")  # CRLF: the tty's


def test_a_catalogue_shows_the_issues_built(example_path, tmp_path):
    for name in ("a", "b"):
        (tmp_path / f"{name}.yaml").write_bytes(example_path.read_bytes())
    _, err, code = _run(["build", str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml"), "-o", str(tmp_path / "out"),
                         "-j", "2"], terminal=True, after="0")
    assert code == 0 and b"\rissues built 0/2 [....................]   0%" in err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_bar_draws_at_most_ten_times_a_second_and_clears_its_line(monkeypatch):
    monkeypatch.setenv("BIBLIO_PROGRESS_AFTER", "0")
    monkeypatch.setenv("TERM", "xterm")
    stream = _Terminal()
    start = time.monotonic()
    with progress.bar(stream) as bar:
        assert bar is not None
        for done in range(1, 200_001):
            bar("articles written", done, 200_000)
    elapsed = time.monotonic() - start
    text = stream.getvalue()
    assert 1 <= text.count("\r") - 2 <= elapsed * 10 + 2  # the drawings, then the clearing's two
    assert text.endswith("\r") and text.rsplit("\r", 2)[1].strip() == ""
    assert "articles written 1/200000" in text


def test_no_callback_without_a_terminal(monkeypatch):
    monkeypatch.setenv("BIBLIO_PROGRESS_AFTER", "0")
    with progress.bar(io.StringIO()) as bar:
        assert bar is None
    monkeypatch.setenv("TERM", "dumb")
    with progress.bar(_Terminal()) as bar:
        assert bar is None


def _recorder() -> tuple[dict[str, list[tuple[int, int | None]]], progress.Progress]:
    heard: dict[str, list[tuple[int, int | None]]] = {}

    def record(phase: str, done: int, total: int | None) -> None:  # a closure: it would not pickle to a worker
        heard.setdefault(phase, []).append((done, total))
    return heard, record


def _grows_to_its_total(calls: list[tuple[int, int | None]]) -> bool:
    counts = [done for done, _ in calls]
    return counts == sorted(counts) and calls[-1][0] == calls[-1][1] and len({t for _, t in calls}) == 1


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_the_callback_hears_counts_that_grow_to_the_total(example_path, tmp_path, jobs, suffix):
    manifest = tmp_path / f"issue{suffix}"
    issue, _ = biblio.load(example_path)
    assert issue is not None
    biblio.dump(issue, manifest)
    heard, record = _recorder()
    report = biblio.build(manifest, tmp_path / "out", jobs=jobs, progress=record)
    assert report.ok and all(_grows_to_its_total(calls) for calls in heard.values()), heard
    assert heard["articles checked"][-1] == (10, 10)
    if jobs == 1:  # one task per file, JATS's ten files one task: 14
        assert heard["formats written"][-1][0] == len([f for f in report.files if f.format != "jats"]) + 1 == 14
        assert [done for done, _ in heard["articles written"]] == list(range(1, 11))
    quiet = biblio.build(manifest, tmp_path / "quiet", jobs=jobs)  # without a callback: the same files
    assert [f.path.name for f in quiet.files] == [f.path.name for f in report.files]


def test_a_catalogue_reports_its_issues_from_the_calling_process(example_path, tmp_path):
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.yaml").write_bytes(example_path.read_bytes())
    heard, record = _recorder()
    catalogue = biblio.build_catalogue([tmp_path / f"{n}.yaml" for n in "abc"], tmp_path / "out", jobs=2,
                                       progress=record)
    assert catalogue.ok and heard == {"issues built": [(0, 3), (1, 3), (2, 3), (3, 3)]}


def test_counting_passes_the_items_through():
    heard, record = _recorder()
    assert list(progress.counting("abc", record, "letters", 3)) == ["a", "b", "c"]
    assert heard["letters"] == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert list(progress.counting("abc", None, "letters")) == ["a", "b", "c"]


def test_a_convert_reports_records_read_and_issues_written(tmp_path):
    bib = tmp_path / "two-journals.bib"
    bib.write_text("@article{a, title = {One}, author = {Doe, J.}, journal = {Journal A}, year = {2020},\n"
                   "  volume = {1}}\n"
                   "@article{b, title = {Two}, author = {Roe, R.}, journal = {Journal B}, year = {2021},\n"
                   "  volume = {2}}\n"
                   "@article{c, title = {Three}, author = {Poe, E.}, journal = {Journal A}, year = {2020}, "
                   "volume = {1}}\n", encoding="utf-8")
    heard, record = _recorder()
    report = biblio.convert(bib, "csl", tmp_path / "out.json", progress=record)
    assert report.ok and report.articles == 3
    assert heard["records read"] == [(0, None), (1, None), (2, None), (3, None)]
    assert heard["issues written"] == [(0, 2), (1, 2), (2, 2)]
