"""A build that streams a JSON manifest article by article (spooled to disk) writes the same
bytes and reports the same problems, at the same positions, as the whole-document build."""

from __future__ import annotations

import importlib.util
import json
import random
import tempfile
from pathlib import Path

import pytest

from biblio import api, lint, manifest
from biblio.fileio import Spool
from biblio.formats import crossref

ROOT = Path(__file__).resolve().parent.parent


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def _generate(n: int):
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    return generate.issue(n)


@pytest.fixture
def fixed_timestamp(monkeypatch):
    monkeypatch.setattr(crossref, "next_timestamp", lambda: 20250101000000)


@pytest.fixture
def whole_document(monkeypatch):
    """Builds through the whole-document path (what a YAML manifest takes)."""
    def use(on: bool) -> None:
        if on:
            monkeypatch.setattr(manifest, "load_streamed", lambda path, sink: None)
        else:
            monkeypatch.undo()
            monkeypatch.setattr(crossref, "next_timestamp", lambda: 20250101000000)
    return use


def _varied(n: int):
    """A generated issue with the problems the cross-article rules find: misplaced keywords,
    a repeated DOI, missing pages, DOIs left to the pattern."""
    issue = _generate(n)
    chance = random.Random(7)
    for index, article in enumerate(issue.articles):
        if chance.random() < 0.3:
            article.keywords = {lang: list(words) for lang, words in chance.choice(issue.articles).keywords.items()}
        if chance.random() < 0.2:
            article.pages = None
        if index == 3:
            article.doi = issue.articles[1].doi
    return issue


def _compare(path: Path, tmp_path: Path, whole_document, jobs: int = 1) -> api.BuildReport:
    issue, _, _ = api._check_streamed(path)
    assert isinstance(issue.articles, Spool)  # the streamed path was taken, not handed over
    api._close(issue)
    streamed = api.build(path, tmp_path / "streamed", jobs=jobs)
    whole_document(True)
    whole = api.build(path, tmp_path / "whole", jobs=jobs)
    whole_document(False)
    assert streamed.articles == whole.articles
    assert streamed.formats == whole.formats
    assert _tree(tmp_path / "streamed") == _tree(tmp_path / "whole")
    assert [(f.format, f.path.relative_to(tmp_path / "streamed"), f.valid) for f in streamed.files] == \
        [(f.format, f.path.relative_to(tmp_path / "whole"), f.valid) for f in whole.files]
    assert [p.to_dict() for p in streamed.problems] == \
        [json.loads(json.dumps(p.to_dict()).replace("/whole/", "/streamed/")) for p in whole.problems]
    return streamed


def test_generated_issue_streams_to_the_same_build(tmp_path, fixed_timestamp, whole_document):
    path = tmp_path / "issue.json"
    api.dump(_generate(8), path)
    report = _compare(path, tmp_path, whole_document)
    assert report.ok and report.files


def test_cross_article_problems_are_found_when_streamed(tmp_path, fixed_timestamp, whole_document):
    path = tmp_path / "issue.json"
    api.dump(_varied(30), path)
    report = _compare(path, tmp_path, whole_document, jobs=2)
    codes = {p.code for p in report.problems}
    assert {"keywords.unrelated", "doi.duplicate", "missing.pages"} <= codes
    assert all(p.line for p in report.problems if p.path and p.path.startswith("articles["))


def test_example_issue_as_json_streams_to_the_same_build(example_path, tmp_path, fixed_timestamp, whole_document):
    issue, _ = api.load(example_path)
    path = tmp_path / "issue.json"
    api.dump(issue, path)  # DOIs from the pattern, several languages, the example's own problems
    report = _compare(path, tmp_path, whole_document)
    assert report.problems


def test_the_streamed_reading_hands_over_when_it_cannot_answer(tmp_path):
    issue = _generate(3)
    text = manifest.dumps(issue, as_json=True)
    data = json.loads(text)
    cases = {
        "articles first": json.dumps({"articles": data["articles"], **{k: v for k, v in data.items()
                                                                        if k != "articles"}}),
        "a repeated key": text.replace('"biblio": 1,', '"biblio": 1, "biblio": 1,'),
        "cut short": text[: len(text) // 2],
        "an unknown key": text.replace('"biblio": 1,', '"biblio": 1, "extra": 2,'),
        "no articles": json.dumps({**data, "articles": []}),
    }
    for name, case in cases.items():
        path = tmp_path / "case.json"
        path.write_text(case, encoding="utf-8")
        assert manifest.load_streamed(path, lambda *args: None) is None, name
        # and the build answers as the whole-document reading does
        issue, problems, _ = api._check_streamed(path)
        whole, whole_problems, _ = api._check_located(path)
        assert (issue is None, problems) == (whole is None, whole_problems), name
        api._close(issue)


def test_lint_by_article_equals_lint_of_the_issue():
    issue = _varied(40)
    linter = lint.Linter(issue)
    for index, article in enumerate(issue.articles):
        linter.add(index, article)
    assert linter.finish(issue.articles) == lint.lint(issue) == \
        [p for rule in lint.RULES for p in rule(issue)]


def test_spool_reads_back_what_was_written(tmp_path):
    before = set(Path(tempfile.gettempdir()).glob("biblio-spool-*"))
    spool = Spool()
    items = [{"n": n, "text": "ж" * n} for n in range(50)]
    for item in items:
        spool.append(item)
    assert len(spool) == 50
    assert list(spool) == items and spool[-1] == items[-1] and spool[3:6] == items[3:6]
    assert spool[7] == items[7] and spool[7] is spool[7]  # the last reads are kept
    with pytest.raises(IndexError):
        spool[50]
    spool.close()
    assert len(spool) == 0
    assert set(Path(tempfile.gettempdir()).glob("biblio-spool-*")) <= before  # nothing left behind
