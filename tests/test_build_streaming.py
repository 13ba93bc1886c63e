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
            monkeypatch.setattr(manifest, "scan_streamed", lambda path: None)
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


@pytest.fixture
def split_small(monkeypatch):
    """Split the reading over two processes from two articles on (a real build waits for 1,000)."""
    monkeypatch.setattr(api, "SPLIT_FROM", 2)
    monkeypatch.setattr(api, "SPLIT_FROM_BYTES", 0)
    taken = []
    real = api._check_split

    def counted(path):
        checked = real(path)
        taken.append("whole" if checked is api._WHOLE else "one process" if checked is None else "split")
        return checked
    monkeypatch.setattr(api, "_check_split", counted)
    return taken


def _split_equals_one_process(path: Path) -> tuple:
    split = api._check_streamed(path, split=True)
    single = api._check_streamed(path)
    try:
        assert (split[0] is None) == (single[0] is None)
        assert [p.to_dict() for p in split[1]] == [p.to_dict() for p in single[1]]
        if split[0] is not None:
            assert list(split[0].articles) == list(single[0].articles)
            assert api.issue_languages(split[0]) == api.issue_languages(single[0])
            assert split[0].settings == single[0].settings and split[0].journal == single[0].journal
        return split[1]
    finally:
        api._close(split[0])
        api._close(single[0])


@pytest.mark.skipif(not api._FORKS, reason="the reading is split only where processes fork")
def test_a_reading_split_over_two_processes_equals_one(tmp_path, split_small):
    issue = _varied(31)
    issue.articles[25].doi = issue.articles[2].doi  # repeated across the halves
    issue.articles[20].doi = None  # assigned from the pattern, in the second half
    path = tmp_path / "issue.json"
    api.dump(issue, path)
    problems = _split_equals_one_process(path)
    assert split_small == ["split"]
    codes = [p.code for p in problems]
    assert "doi.duplicate" in codes and "doi.assigned" in codes and "keywords.unrelated" in codes
    assert any(p.code == "doi.duplicate" and p.path == "articles[25].doi" for p in problems)


@pytest.mark.skipif(not api._FORKS, reason="the reading is split only where processes fork")
def test_a_split_reading_of_the_example_builds_the_same_files(example_path, tmp_path, fixed_timestamp,
                                                               whole_document, split_small):
    issue, _ = api.load(example_path)
    path = tmp_path / "issue.json"
    api.dump(issue, path)
    _split_equals_one_process(path)
    _compare(path, tmp_path, whole_document, jobs=2)  # the build itself splits its reading
    assert split_small[:2] == ["split", "split"]


@pytest.mark.skipif(not api._FORKS, reason="the reading is split only where processes fork")
def test_a_split_reading_hands_over_when_a_half_has_an_error(tmp_path, split_small):
    data = json.loads(manifest.dumps(_generate(10), as_json=True))
    for index in (2, 8):  # an error in the first half, then in the second
        case = json.loads(json.dumps(data))
        case["articles"][index]["pages"] = {"first": "x", "last": []}
        path = tmp_path / f"case{index}.json"
        path.write_text(json.dumps(case), encoding="utf-8")
        split, problems, _ = api._check_streamed(path, split=True)
        whole, whole_problems, _ = api._check_located(path)
        assert (split is None, problems) == (whole is None, whole_problems)
        assert any(p.severity == "error" and p.path.startswith(f"articles[{index}]") for p in problems)
        api._close(split)
    assert split_small == ["whole", "whole"]  # straight to the whole-document reading


def test_a_spool_takes_in_another_spool_s_items_in_order():
    first, second = Spool(), Spool()
    try:
        for number in range(3):
            first.append({"n": number})
        for number in range(3, 7):
            second.append(["item", number])
        first.extend(second)
        assert len(first) == 7
        assert list(first) == [{"n": 0}, {"n": 1}, {"n": 2}] + [["item", n] for n in range(3, 7)]
        assert first[-1] == ["item", 6]
    finally:
        first.close()
        second.close()


@pytest.mark.skipif(not api._FORKS, reason="the reading is split only where processes fork")
def test_an_export_with_a_split_reading_writes_the_same_deposit(tmp_path, fixed_timestamp, split_small):
    path = tmp_path / "issue.json"
    issue = _generate(9)
    issue.articles[7].pages = None  # a problem in the second half
    api.dump(issue, path)
    split = api.export(path, "crossref", tmp_path / "split.xml", jobs=2)
    single = api.export(path, "crossref", tmp_path / "single.xml")
    assert split_small == ["split"] and split.ok and any(p.code == "missing.pages" for p in split.problems)
    assert (tmp_path / "split.xml").read_bytes() == (tmp_path / "single.xml").read_bytes()
    assert [p.to_dict() for p in split.problems] == \
        [json.loads(json.dumps(p.to_dict()).replace("single.xml", "split.xml")) for p in single.problems]


@pytest.mark.skipif(not api._FORKS, reason="the reading is split only where processes fork")
@pytest.mark.parametrize("variant", ["bom", "crlf", "one line"])
def test_a_split_reading_finds_the_articles_in_any_json_layout(tmp_path, split_small, variant):
    issue = _varied(12)
    issue.articles[3].doi = None  # reported (assigned from the pattern) with its position
    text = manifest.dumps(issue, as_json=True)
    if variant == "one line":
        text = json.dumps(json.loads(text), ensure_ascii=False)
    path = tmp_path / "issue.json"
    data = text.replace("\n", "\r\n").encode() if variant == "crlf" else text.encode()
    path.write_bytes(b"\xef\xbb\xbf" + data if variant == "bom" else data)
    problems = _split_equals_one_process(path)
    assert split_small == ["split"]
    assert any(p.code == "doi.assigned" and p.line for p in problems)


@pytest.mark.skipif(not api._FORKS, reason="the reading is split only where processes fork")
@pytest.mark.parametrize(("failing", "nth"), [("append", 2), ("extend", 1)])
def test_a_full_disk_during_a_split_reading_falls_back_to_one_process(tmp_path, split_small, monkeypatch, failing,
                                                                      nth):
    import errno

    path = tmp_path / "issue.json"
    api.dump(_generate(6), path)
    real = getattr(Spool, failing)
    calls = []

    def full(self, *args):
        calls.append(1)
        if len(calls) == nth:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, *args)

    monkeypatch.setattr(Spool, failing, full)
    issue, problems, _ = api._check_streamed(path, split=True)
    try:
        assert split_small == ["one process"] and issue is not None and not problems
        assert len(issue.articles) == 6
    finally:
        api._close(issue)
