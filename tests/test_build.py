"""Building one issue, one format and a catalogue: the same files and problems whichever way the
work is shared out, nothing half-written, and one bad issue never stops the others."""

from __future__ import annotations

import importlib.util
import json
import re
import tempfile
from pathlib import Path

import pytest

import biblio
from biblio import formats
from biblio.build import build_tasks, checked_source, groups, move_into_place
from biblio.problems import Problem

ROOT = Path(__file__).resolve().parent.parent
_HEAD = re.compile(rb"<timestamp>\d+</timestamp>|<doi_batch_id>[^<]*</doi_batch_id>")


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path; the deposit's clock-made head fields blanked."""
    return {str(path.relative_to(folder)): _HEAD.sub(b"", path.read_bytes())
            for path in sorted(folder.rglob("*")) if path.is_file()}


def generated(n: int, seed: int = 0) -> biblio.Issue:
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    return generate.issue(n, seed)


def problems_of(report, folder: Path) -> list[dict]:
    return [json.loads(json.dumps(p.to_dict()).replace(str(folder), "OUT")) for p in report.problems]


def test_jobs_share_out_the_formats_and_change_nothing(example_path, tmp_path):
    serial = biblio.build(example_path, tmp_path / "serial", jobs=1)
    parallel = biblio.build(example_path, tmp_path / "parallel", jobs=2)
    assert serial.ok and parallel.ok and serial.formats == parallel.formats
    assert len(tree(tmp_path / "serial")) == 25 and "report.html" in tree(tmp_path / "serial")  # 23, the review page, the record
    assert tree(tmp_path / "serial") == tree(tmp_path / "parallel")
    assert problems_of(serial, tmp_path / "serial") == problems_of(parallel, tmp_path / "parallel")
    assert [(f.format, f.path.name, f.valid) for f in serial.files] == \
        [(f.format, f.path.name, f.valid) for f in parallel.files]


def test_a_json_manifest_is_streamed_to_the_same_files_as_the_whole_issue(tmp_path):
    issue = generated(12)
    issue.articles[3].doi = issue.articles[1].doi  # a cross-article problem the streamed check must find
    issue.articles[5].pages = None
    biblio.dump(issue, tmp_path / "issue.json")
    biblio.dump(issue, tmp_path / "issue.yaml")
    source, _ = checked_source(tmp_path / "issue.json")
    assert source is not None and source.scan is not None and source.held is None  # streamed, not held
    streamed = biblio.build(tmp_path / "issue.json", tmp_path / "streamed", jobs=2)
    whole = biblio.build(tmp_path / "issue.yaml", tmp_path / "whole")
    assert [(p.code, p.path, p.message) for p in streamed.problems] == \
        [(p.code, p.path, p.message) for p in whole.problems]
    assert "doi.duplicate" in {p.code for p in streamed.problems}
    assert all(p.line for p in streamed.problems if p.path and p.path.startswith("articles["))  # located in the JSON
    assert not streamed.ok and not whole.ok  # the repeated DOI is an error: neither build writes anything
    assert not (tmp_path / "streamed").exists() and not (tmp_path / "whole").exists()


def test_a_clean_generated_issue_streams_to_the_files_of_the_yaml_build(tmp_path):
    issue = generated(15, seed=3)
    biblio.dump(issue, tmp_path / "issue.json")
    biblio.dump(issue, tmp_path / "issue.yaml")
    whole = biblio.build(tmp_path / "issue.yaml", tmp_path / "whole", jobs=2)
    made = tree(tmp_path / "whole")
    assert whole.ok and len(made) == 15 + 1 + 3 * 4 + 2  # JATS per article, deposit, 3 x 4, review page, record
    del made["report.html"]  # names the manifest read (issue.yaml or issue.json) and its lines
    for jobs in (1, 2, 3):  # with workers, the deposit and JATS start before the check
        streamed = biblio.build(tmp_path / "issue.json", tmp_path / f"streamed-{jobs}", jobs=jobs)
        assert streamed.ok and streamed.formats == whole.formats
        assert b"issue.json" in (tmp_path / f"streamed-{jobs}" / "report.html").read_bytes()
        assert {name: data for name, data in tree(tmp_path / f"streamed-{jobs}").items()
                if name != "report.html"} == made


def test_passes_started_before_a_failing_check_are_given_up(tmp_path, monkeypatch):
    issue = generated(40, seed=5)
    issue.articles[-1].doi = issue.articles[0].doi  # found by the check at the last article
    biblio.dump(issue, tmp_path / "issue.json")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "staging"))  # the workers fork with it
    (tmp_path / "staging").mkdir()
    report = biblio.build(tmp_path / "issue.json", tmp_path / "out", jobs=2)
    assert "doi.duplicate" in {p.code for p in report.problems} and not report.files
    assert not (tmp_path / "out").exists() and not list((tmp_path / "staging").iterdir())


def test_a_manifest_with_errors_writes_nothing(tmp_path, minimal_text):
    path = tmp_path / "issue.yaml"
    path.write_text(minimal_text.replace("year: 2025", "year: twenty"), encoding="utf-8")
    report = biblio.build(path, tmp_path / "out", jobs=2)
    assert not report.ok and not report.files and not (tmp_path / "out").exists()


@pytest.fixture
def toy_format():
    """A registered format whose writer makes one good and one bad file per issue."""
    class Toy:
        def __init__(self, issue, output, lang=None):
            self.output, self.titles = output, []

        def add(self, index, article):
            self.titles.append(article.titles.main or "")

        def close(self):
            with self.output.open("titles.txt") as stream:
                stream.write("\n".join(self.titles).encode("utf-8"))
            with self.output.open("broken.txt") as stream:
                stream.write(b"BROKEN")
            return [Problem("toy.cannot-carry", "warning", "toy drops abstracts")]

    def validate(path: Path):
        if path.read_bytes() == b"BROKEN":
            return [Problem("toy.schema", "error", "not valid", file=str(path), line=1)]
        return []

    formats.register(formats.Format("toy", "a test format", Toy, validate, lambda path: False, single_file=False))
    yield
    formats.unregister("toy")


def test_an_invalid_file_is_reported_and_never_published(tmp_path, example_path, toy_format):
    report = biblio.build(example_path, tmp_path / "out", jobs=2)
    assert [(f.path.name, f.valid) for f in report.files if f.format == "toy"] == \
        [("titles.txt", True), ("broken.txt", False)]
    names = {p.name for p in (tmp_path / "out").iterdir()}
    assert "titles.txt" in names and "broken.txt" not in names
    schema = next(p for p in report.problems if p.code == "toy.schema")
    assert schema.file == str(tmp_path / "out" / "broken.txt")  # named as published, not as staged
    assert not report.ok


def test_a_failing_writer_leaves_no_staging_folder_and_no_output(example_path, tmp_path, monkeypatch):
    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))  # forked workers inherit it

    class Broken:
        def __init__(self, issue, output, lang=None):
            self.output = output

        def add(self, index, article):
            with self.output.open("half.txt") as stream:
                stream.write(b"half")
            raise RuntimeError("a broken writer")

        def close(self):
            return []

    formats.register(formats.Format("broken", "fails on purpose", Broken, lambda path: [], lambda path: False))
    try:
        for jobs in (1, 2):
            with pytest.raises(RuntimeError, match="a broken writer"):
                biblio.build(example_path, tmp_path / "out", jobs=jobs)
    finally:
        formats.unregister("broken")
    assert list(private.iterdir()) == []
    assert not (tmp_path / "out").exists()


def test_a_staged_file_on_another_file_system_is_copied_then_renamed(tmp_path, monkeypatch):
    import errno
    import os

    staged = tmp_path / "staging" / "a.xml"
    staged.parent.mkdir()
    staged.write_bytes(b"<a/>\n")
    target = tmp_path / "out" / "a.xml"
    real_replace = os.replace

    def across_devices(source, destination):
        if Path(source) == staged:
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return real_replace(source, destination)

    monkeypatch.setattr(os, "replace", across_devices)
    move_into_place(staged, target)
    assert target.read_bytes() == b"<a/>\n"
    assert [p.name for p in target.parent.iterdir()] == ["a.xml"]  # no temporary copy left behind


def test_groups_keep_a_format_s_languages_together_and_leave_no_pass_idle():
    tasks = build_tasks(["kk", "ru"])
    shares = groups(tasks, 2)
    assert sorted((t.format, t.lang or "") for share in shares for t in share) == \
        sorted((t.format, t.lang or "") for t in tasks)
    for share in shares:
        for name in {t.format for t in share}:
            assert all(t in share for t in tasks if t.format == name)
    assert len(groups(tasks, 9)) == len(formats.registered())
    assert groups(tasks, 1) == [tasks]


# --- one format -------------------------------------------------------------------------------


def test_export_of_chosen_dois_writes_only_those(example_path, tmp_path):
    issue, _ = biblio.load(example_path)
    wanted = [issue.articles[1].doi, issue.articles[4].doi]
    report = biblio.export(example_path, "ris", tmp_path / "two.ris", dois=wanted)
    assert report.ok
    text = (tmp_path / "two.ris").read_text(encoding="utf-8")
    assert text.count("ER  -") == 2 and all(doi in text for doi in wanted)


def test_export_of_an_unknown_doi_writes_nothing(example_path, tmp_path):
    report = biblio.export(example_path, "crossref", tmp_path / "d.xml", dois=["10.52536/nope"])
    assert [p.code for p in report.problems if p.severity == "error"] == ["export.doi-unknown"]
    assert not (tmp_path / "d.xml").exists()


def test_convert_reads_the_file_and_writes_another_format(example_path, tmp_path):
    built = biblio.build(example_path, tmp_path / "out")
    assert built.ok
    report = biblio.convert(tmp_path / "out" / "articles.en.ris", "csl", tmp_path / "items.json")
    assert report.ok and report.articles == 10
    items = json.loads((tmp_path / "items.json").read_text(encoding="utf-8"))
    # language names each record's text: article 7 is wholly Kazakh and article 10 wholly Russian (issue 16)
    assert len(items) == 10 and [item["language"] for item in items] == ["en"] * 6 + ["kk", "en", "en", "ru"]


# --- a catalogue ------------------------------------------------------------------------------


@pytest.fixture
def catalogue(tmp_path, example_path, minimal_text) -> Path:
    """A folder of manifests: the example, two generated issues (YAML, JSON), one with an error."""
    folder = tmp_path / "manifests"
    folder.mkdir()
    (folder / "issue-86.yaml").write_bytes(example_path.read_bytes())
    biblio.dump(generated(4, seed=1), folder / "gen-a.yaml")
    biblio.dump(generated(6, seed=2), folder / "gen-b.json")
    (folder / "broken.yaml").write_text(minimal_text.replace("year: 2025", "year: twenty"), encoding="utf-8")
    (folder / "notes.txt").write_text("not a manifest", encoding="utf-8")
    return folder


def test_a_catalogue_builds_every_issue_and_a_bad_one_stops_no_other(catalogue, tmp_path):
    serial = biblio.build_catalogue([catalogue], tmp_path / "serial", jobs=1)
    parallel = biblio.build_catalogue([catalogue], tmp_path / "parallel", jobs=2)
    assert [r.manifest.name for r in serial.issues] == ["broken.yaml", "gen-a.yaml", "gen-b.json", "issue-86.yaml"]
    assert [r.ok for r in serial.issues] == [False, True, True, True]
    assert not serial.ok and [r.articles for r in serial.issues] == [0, 4, 6, 10]
    assert sorted(p.name for p in (tmp_path / "serial").iterdir()) == ["gen-a", "gen-b", "index.html", "issue-86"]
    assert tree(tmp_path / "serial") == tree(tmp_path / "parallel")
    assert [problems_of(r, tmp_path / "serial") for r in serial.issues] == \
        [problems_of(r, tmp_path / "parallel") for r in parallel.issues]
    assert biblio.build(catalogue / "gen-b.json", tmp_path / "alone").ok
    assert tree(tmp_path / "alone") == tree(tmp_path / "serial" / "gen-b")
    summary = serial.to_dict()
    assert summary["articles"] == 20 and summary["counts"]["error"] >= 1


def test_manifests_sharing_a_name_go_to_separate_folders(tmp_path, example_path):
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "issue.yaml").write_bytes(example_path.read_bytes())
    report = biblio.build_catalogue([tmp_path / "a" / "issue.yaml", tmp_path / "b" / "issue.yaml",
                                     tmp_path / "missing.yaml"], tmp_path / "out")
    assert [r.out_dir.name for r in report.issues] == ["a-issue", "b-issue", "missing"]
    assert [p.code for p in report.issues[2].problems] == ["build.io"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a-issue", "b-issue", "index.html"]


def test_a_catalogue_on_a_dask_cluster_writes_the_same_files(catalogue, tmp_path):
    from dask import distributed  # the optional extra biblio[dask]; the test extra installs it

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        on_dask = biblio.build_catalogue([catalogue], tmp_path / "dask", client=client)
    local = biblio.build_catalogue([catalogue], tmp_path / "local", jobs=1)
    assert [r.ok for r in on_dask.issues] == [r.ok for r in local.issues]
    assert tree(tmp_path / "dask") == tree(tmp_path / "local")


def test_a_build_removes_the_files_it_wrote_before_and_no_longer_writes(tmp_path, example_path):
    out = tmp_path / "out"
    assert biblio.build(example_path, out).ok
    old_jats = sorted(p.name for p in out.glob("2788-5860.*.xml"))
    assert len(old_jats) == 10
    (out / "notes.txt").write_text("the editor's own file", encoding="utf-8")
    (out / "cover.xml").write_text("<x/>", encoding="utf-8")
    changed = tmp_path / "issue.yaml"  # the DOI pattern changes: every JATS file gets a new name
    changed.write_text(example_path.read_text(encoding="utf-8").replace("2788-5860.{year}", "j.{year}"),
                       encoding="utf-8")
    again = biblio.build(changed, out)
    assert again.ok
    new_jats = sorted(f.path.name for f in again.files if f.format == "jats")
    stale = sorted(set(old_jats) - set(new_jats))  # the articles whose DOI came from the pattern
    assert len(stale) == 7 and not [name for name in stale if (out / name).exists()]  # the stale ones are gone
    assert all((out / name).is_file() for name in new_jats) and (out / "report.html").is_file()
    assert (out / "notes.txt").is_file() and (out / "cover.xml").is_file()  # never a file the build did not write
    said = [p for p in again.problems if p.code == "output.stale-removed"]
    assert len(said) == 1 and said[0].message.startswith("removed 7 file(s) an earlier build wrote here")


def test_a_build_with_errors_removes_nothing(tmp_path, example_path):
    out = tmp_path / "out"
    assert biblio.build(example_path, out).ok
    before = sorted(p.name for p in out.iterdir())
    broken = tmp_path / "issue.yaml"
    broken.write_text(example_path.read_text(encoding="utf-8").replace("2788-5860.{year}", "j.{year}")
                      .replace("year: 2025", "year: twenty", 1), encoding="utf-8")
    assert not biblio.build(broken, out).ok
    assert sorted(p.name for p in out.iterdir()) == before


def test_an_issue_in_one_language_gets_no_per_language_copies(tmp_path, minimal_text):
    manifest = tmp_path / "issue.yaml"
    manifest.write_text(minimal_text.replace("  - language: kk\n    titles: {kk: Екінші мақала, en: A second article}",
                                             "  - language: en\n    titles: {en: A second article}"), encoding="utf-8")
    issue, _ = biblio.load(manifest)
    assert issue is not None and {lang for a in issue.articles for lang in a.languages} == {"en"}
    report = biblio.build(manifest, tmp_path / "out")
    assert {p.code.split(".")[0] for p in report.problems if p.severity == "error"} <= {"crossref", "jats"}  # no ISSN
    names = sorted(f.path.name for f in report.files if f.format in ("bibtex", "csl", "ris"))
    assert names == ["articles.bib", "articles.csl.json", "articles.ris"]  # no articles.en.* repeating them
