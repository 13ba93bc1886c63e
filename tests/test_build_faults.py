"""Faults during a build (issue 20): signals to ``biblio build -j 2``, a full staging disk, two
records that would share a file. Never a traceback, an orphaned worker, a staging folder left
behind, a half-written output folder or a lost file."""

from __future__ import annotations

import errno
import importlib
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

import biblio
from biblio import cli

ROOT = Path(__file__).resolve().parent.parent
BIBLIO = [sys.executable, "-m", "biblio"]
build_module = importlib.import_module("biblio.build")  # ``biblio.build`` is also the function

on_linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads processes from /proc")


def generated(n: int, folder: Path) -> Path:
    """A JSON manifest of ``n`` generated articles."""
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    return generate.write_manifest(n, folder / "issue.json")


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> Path:
    """300 articles: a -j 2 build takes a few seconds, time to signal it while a worker writes."""
    return generated(300, tmp_path_factory.mktemp("large"))


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    return generated(20, tmp_path_factory.mktemp("small"))


def children(pid: int) -> list[int]:
    """The live (not zombie) child processes of ``pid``."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, parent = stat.read_text().rsplit(")", 1)[1].split()[:2]
        except (OSError, ValueError):
            continue
        if int(parent) == pid and state != "Z":
            found.append(int(stat.parent.name))
    return found


def leftovers(folder: Path) -> list[str]:
    """What is left in a TMPDIR: each entry with the first few files under it."""
    return [f"{entry.name}: {sorted(str(p.relative_to(entry)) for p in entry.rglob('*'))[:4]}"
            for entry in sorted(folder.iterdir())]


def running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_for(condition, seconds: float = 30.0) -> bool:
    """Whether ``condition()`` holds within ``seconds`` (generous: a loaded machine is slow to start Python)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


@pytest.fixture
def workers():
    """The workers of the builds a test starts: any still running at its end (a failed test) are killed."""
    found: list[int] = []
    yield found
    for pid in filter(running, found):
        os.kill(pid, signal.SIGKILL)


def start_build(command: list[str], staging: Path, workers: list[int], **popen) -> subprocess.Popen[bytes]:
    """Start a build with its own TMPDIR; once a worker is writing into a staging folder there, the
    build's process (its workers in ``workers``)."""
    staging.mkdir(exist_ok=True)
    env = dict(os.environ, TMPDIR=str(staging), PYTHONPATH=str(ROOT / "src"))
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **popen)
    assert wait_for(lambda: bool(children(process.pid)) and any(staging.iterdir()) or process.poll() is not None)
    assert process.poll() is None, "the build ended before it could be signalled"
    workers += children(process.pid)
    return process


@on_linux
def test_sigterm_stops_the_workers_and_removes_every_staging_folder(large, tmp_path, workers):
    process = start_build([*BIBLIO, "build", str(large), "-o", str(tmp_path / "out"), "-j", "2"],
                          tmp_path / "tmp", workers)
    process.send_signal(signal.SIGTERM)  # the build's process only, as `kill PID` does
    _, err = process.communicate(timeout=30)
    assert process.returncode == 143
    assert "terminated" in err.decode() and "Traceback" not in err.decode()
    assert wait_for(lambda: not any(running(pid) for pid in workers), 10)
    assert leftovers(tmp_path / "tmp") == []


@on_linux
def test_sigterm_to_the_whole_group_ends_the_workers_without_a_trace(large, tmp_path, workers):
    process = start_build([*BIBLIO, "build", str(large), "-o", str(tmp_path / "out"), "-j", "2"],
                          tmp_path / "tmp", workers, start_new_session=True)
    os.killpg(process.pid, signal.SIGTERM)  # as a service manager stopping the build does
    _, err = process.communicate(timeout=30)
    assert process.returncode == 143 and "Traceback" not in err.decode()
    assert wait_for(lambda: not any(running(pid) for pid in workers), 10)
    assert leftovers(tmp_path / "tmp") == []


@on_linux
def test_sigkill_ends_the_workers_and_the_next_build_removes_the_staging_left(
        large, tmp_path, example_path, monkeypatch, workers):
    staging = tmp_path / "tmp"
    process = start_build([*BIBLIO, "build", str(large), "-o", str(tmp_path / "out"), "-j", "2"], staging, workers)
    process.kill()
    process.wait(timeout=30)
    process.stderr.close()  # an orphaned worker would hold it open
    assert workers and wait_for(lambda: not any(running(pid) for pid in workers), 10), "orphaned workers live on"

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a process that has ended: its pid names a dead build's staging folder
    host = socket.gethostname()
    (staging / f"biblio-staging-{host}-{gone.pid}-abcd1234" / "0").mkdir(parents=True)
    alive = staging / f"biblio-staging-{host}-{os.getpid()}-efgh5678"  # a build still running: left alone
    alive.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(staging))
    report = biblio.build(example_path, tmp_path / "next", jobs=1)
    assert report.ok
    assert list(staging.iterdir()) == [alive]


@on_linux
def test_sigkill_of_a_catalogue_build_ends_its_workers_too(large, tmp_path, monkeypatch, workers):
    staging = tmp_path / "tmp"
    (tmp_path / "other").mkdir()
    other = (tmp_path / "other" / "issue.json")
    other.write_bytes(large.read_bytes())
    process = start_build([*BIBLIO, "build", str(large), str(other), "-o", str(tmp_path / "out"), "-j", "2"],
                          staging, workers)
    process.kill()
    process.wait(timeout=30)
    process.stderr.close()
    assert wait_for(lambda: not any(running(pid) for pid in workers), 10), "orphaned workers live on"
    monkeypatch.setattr(tempfile, "tempdir", str(staging))
    biblio.export(ROOT / "examples" / "issue-86" / "issue.yaml", "ris", tmp_path / "next.ris")
    assert leftovers(staging) == []  # the staging folders of the killed workers' builds: removed


LATE = """\
import importlib, signal, sys, time
from pathlib import Path
signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C, even when started with it ignored
build = importlib.import_module("biblio.build")
from biblio import cli
publish, marker = build.publish, Path(sys.argv[1])
def slow_publish(*args, **kwargs):  # every pass has ended: the worker waits for work, idle
    if not marker.exists():
        marker.touch()
        time.sleep(8)
    return publish(*args, **kwargs)
build.publish = slow_publish
sys.exit(cli.main(sys.argv[2:]))
"""


@on_linux
def test_a_late_ctrl_c_prints_no_worker_traceback_and_leaves_no_staging(small, tmp_path, workers):
    staging, marker = tmp_path / "tmp", tmp_path / "publishing"
    staging.mkdir()
    env = dict(os.environ, TMPDIR=str(staging), PYTHONPATH=str(ROOT / "src"))
    process = subprocess.Popen([sys.executable, "-c", LATE, str(marker), "build", str(small), "-o",
                                str(tmp_path / "out"), "-j", "2"], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, start_new_session=True)
    assert wait_for(lambda: marker.exists() or process.poll() is not None) and process.poll() is None
    workers += children(process.pid)
    assert workers
    os.killpg(process.pid, signal.SIGINT)  # Ctrl-C reaches every process of the terminal's group
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "Traceback" not in err.decode() and "KeyboardInterrupt" not in err.decode()
    assert "unfinished ones were removed" in err.decode()
    assert leftovers(staging) == []  # as the message says
    assert wait_for(lambda: not any(running(pid) for pid in workers), 10)


# --- a full staging disk ----------------------------------------------------------------------

def full() -> OSError:
    return OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture(params=["write", "folder"])
def full_disk(request, tmp_path, monkeypatch):
    """The staging folders' disk is full: every write into a staging folder fails, or even making
    one does. The staging folders are in the returned folder."""
    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))  # forked workers inherit it, and the fault
    if request.param == "folder":
        def no_room(*args, **kwargs):
            raise full()
        monkeypatch.setattr(tempfile, "mkdtemp", no_room)
        return private
    opened = build_module._FolderOutput.open

    class Full:
        def __init__(self, stream):
            self.stream = stream

        def write(self, data):
            raise full()

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.stream.close()

        def __getattr__(self, name):
            return getattr(self.stream, name)

    monkeypatch.setattr(build_module._FolderOutput, "open", lambda self, name: Full(opened(self, name)))
    return private


@pytest.mark.parametrize("kind, jobs", [("yaml", 1), ("yaml", 2), ("json", 2)])  # json -j 2: passes before the check
def test_a_full_staging_disk_is_a_problem_and_the_output_folder_is_left_as_it_was(
        full_disk, example_path, tmp_path, kind, jobs):
    manifest = example_path
    if kind == "json":
        issue, _ = biblio.load(example_path)
        manifest = tmp_path / "issue.json"
        biblio.dump(issue, manifest)
    out = tmp_path / "out"
    out.mkdir()
    (out / "crossref.xml").write_bytes(b"an earlier deposit")
    report = biblio.build(manifest, out, jobs=jobs)
    [full] = [p for p in report.problems if p.code == "output.staging"]
    assert full.severity == "error" and full.file == str(full_disk)
    assert str(full_disk) in full.message and "No space left on device" in full.message
    assert "TMPDIR" in full.message and str(out) in full.message
    assert not report.ok and not report.files
    assert [p.name for p in out.iterdir()] == ["crossref.xml"]
    assert (out / "crossref.xml").read_bytes() == b"an earlier deposit"
    assert leftovers(full_disk) == []


def test_a_full_staging_disk_on_the_command_line_is_a_line_not_a_traceback(full_disk, example_path, tmp_path,
                                                                         capsys):
    assert cli.main(["build", str(example_path), "-o", str(tmp_path / "out"), "-j", "1"]) == 1
    out = capsys.readouterr().err
    assert f"{full_disk}: error [output.staging]" in out and "set TMPDIR" in out
    assert not (tmp_path / "out").exists()


# --- two records, one file name ---------------------------------------------------------------

RECORD = """@article{{{key},
  author = {{{author}}},
  title = {{{title}}},
  journal = {{Journal of Things}},
  issn = {{2788-5860}},
  year = {{2025}}, volume = {{3}}, number = {{2}}, pages = {{{pages}}},
  doi = {{{doi}}},
}}
"""


def two_records(path: Path, first_doi: str, second_doi: str) -> Path:
    path.write_text(RECORD.format(key="first", author="Ivanov, Ivan", title="The first study", pages="1--10",
                                  doi=first_doi)
                    + RECORD.format(key="second", author="Petrov, Petr", title="The second study", pages="11--20",
                                    doi=second_doi), encoding="utf-8")
    return path


def titles(folder: Path) -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8").split("<article-title>")[1].split("<")[0]
            for path in sorted(folder.iterdir())}


@pytest.mark.parametrize("second_doi", ["10.1234/x", "10.1234/X"])  # DOIs are case-insensitive; some file systems too
def test_two_records_with_one_doi_keep_both_files_and_get_an_error(tmp_path, second_doi):
    source = two_records(tmp_path / "x.bib", "10.1234/x", second_doi)
    report = biblio.convert(source, "jats", tmp_path / "jats")
    [clash] = [p for p in report.problems if p.severity == "error"]
    assert clash.code == "output.same-name" and clash.path == "articles[1]"
    assert f"article 2 has the DOI {second_doi} of article 1" in clash.message
    second = f"{second_doi[-1]}-2.xml"
    assert f"it is written to {second}" in clash.message and "give each article its own DOI" in clash.message
    assert not any(p.code == "output.io" for p in report.problems)  # not the old "No such file or directory"
    assert titles(tmp_path / "jats") == {"x.xml": "The first study", second: "The second study"}
    assert sorted(f.path.name for f in report.files) == sorted([second, "x.xml"])
    assert all(f.valid for f in report.files)


def test_two_dois_with_one_file_name_keep_both_files_with_a_warning(tmp_path):
    source = two_records(tmp_path / "x.bib", "10.1234/x", "10.5678/x")
    report = biblio.convert(source, "jats", tmp_path / "jats")
    [clash] = [p for p in report.problems if p.code == "output.same-name"]
    assert clash.severity == "warning" and "x-2.xml" in clash.message
    assert titles(tmp_path / "jats") == {"x.xml": "The first study", "x-2.xml": "The second study"}
