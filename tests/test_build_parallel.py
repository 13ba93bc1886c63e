"""A parallel build writes the same bytes, and reports the same problems, as a serial one."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from biblio import api, manifest
from biblio.formats import crossref

ROOT = Path(__file__).resolve().parent.parent


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def _generated_manifest(tmp_path: Path, n: int) -> Path:
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    target = tmp_path / f"issue-{n}.json"
    api.dump(generate.issue(n), target)
    return target


@pytest.fixture
def fixed_timestamp(monkeypatch):
    # forked workers inherit the patched module, so every deposit carries the same timestamp
    monkeypatch.setattr(crossref, "next_timestamp", lambda: 20250101000000)


@pytest.mark.parametrize("source", ["example", "generated"])
def test_parallel_build_is_byte_identical_to_serial(source, example_path, tmp_path, fixed_timestamp):
    path = example_path if source == "example" else _generated_manifest(tmp_path, 12)
    serial = api.build(path, tmp_path / "serial", jobs=1)
    parallel = api.build(path, tmp_path / "parallel", jobs=2)
    assert serial.ok and parallel.ok
    assert serial.formats == parallel.formats
    files = _tree(tmp_path / "serial")
    assert len(files) > 5
    assert files == _tree(tmp_path / "parallel")
    assert [(f.format, f.path.relative_to(tmp_path / "serial"), f.valid) for f in serial.files] == \
        [(f.format, f.path.relative_to(tmp_path / "parallel"), f.valid) for f in parallel.files]
    assert [(p.code, p.message, p.line, p.path) for p in serial.problems] == \
        [(p.code, p.message.replace("/parallel/", "/serial/"), p.line, p.path) for p in parallel.problems]


def test_jobs_zero_uses_every_cpu_and_invalid_files_stay_out(example_path, tmp_path, fixed_timestamp):
    report = api.build(example_path, tmp_path / "out", jobs=0)
    assert report.ok
    assert all(f.valid for f in report.files)
    assert not list((tmp_path / "out").rglob(".*.tmp"))  # nothing half-published


def test_a_manifest_with_errors_writes_nothing_in_parallel(tmp_path, minimal_text):
    path = tmp_path / "issue.yaml"
    path.write_text(minimal_text.replace("year: 2025", "year: twenty"), encoding="utf-8")
    report = api.build(path, tmp_path / "out", jobs=2)
    assert not report.ok and not report.files and not (tmp_path / "out").exists()
    issue, _ = manifest.load(path)
    assert issue is None or report.problems


def test_a_staged_file_on_another_file_system_is_copied_then_renamed(tmp_path, monkeypatch):
    import errno
    import os

    staged = tmp_path / "staging" / "a.xml"
    staged.parent.mkdir()
    staged.write_bytes(b"<a/>\n")
    target = tmp_path / "out" / "a.xml"
    real_replace = os.replace
    moves = []

    def across_devices(source, destination):
        moves.append((Path(source).parent.name, Path(destination).name))
        if Path(source) == staged:
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return real_replace(source, destination)

    monkeypatch.setattr(api.os, "replace", across_devices)
    api._move_into_place(staged, target)
    assert target.read_bytes() == b"<a/>\n"
    assert moves[0] == ("staging", "a.xml") and moves[-1][1] == "a.xml" and moves[-1][0] == "out"
    assert [p.name for p in target.parent.iterdir()] == ["a.xml"]  # no temporary copy left behind
    assert oct(target.stat().st_mode & 0o777) == oct(0o666 & ~api._UMASK)


def test_the_tasks_are_shared_out_so_the_busiest_worker_has_least_to_do():
    costs = [11, 12, 6, 8, 5]
    shares = api._shares(costs, 2)
    assert sorted(n for share in shares for n in share) == list(range(5))
    assert all(share == sorted(share) for share in shares)  # each worker keeps the tasks' order
    assert max(sum(costs[n] for n in share) for share in shares) == 22  # the best split of 42
    assert api._shares(costs, 1) == [[0, 1, 2, 3, 4]]
    assert sorted(map(len, api._shares(costs, 9))) == [1, 1, 1, 1, 1]  # no idle share
    many = api._shares([1.0] * 12 + [6.0], 4)  # too many splits to try: the costliest first
    assert sorted(n for share in many for n in share) == list(range(13))
    assert max(sum(6.0 if n == 12 else 1.0 for n in share) for share in many) == 6.0


def test_a_failing_writer_in_a_worker_leaves_no_staging_folder(example_path, tmp_path, fixed_timestamp,
                                                               monkeypatch):
    import tempfile

    from biblio import formats

    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))  # forked workers inherit it

    def broken(issue, folder, **options):
        raise RuntimeError("a broken writer")

    formats.register(formats.Format("broken", "fails on purpose", broken, lambda path: [], lambda path: False))
    try:
        with pytest.raises(RuntimeError, match="a broken writer"):
            api.build(example_path, tmp_path / "out", jobs=2)
    finally:
        formats.unregister("broken")
    assert list(private.iterdir()) == []
