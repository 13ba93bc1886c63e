"""The Python API over issues made in code (issue 15): the same calls, the same verdicts, as files."""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

import pytest

import biblio
from biblio import Article, Contributor, Issue, Journal, LangText, Pages, PersonName

ROOT = Path(__file__).resolve().parent.parent


def made_in_code() -> Issue:
    """A two-article English issue with no DOIs of its own: the pattern gives them."""
    journal = Journal(titles=LangText({"en": "Journal of Coastal Ecology Letters"}), language="en",
                      issns=[biblio.Issn("2049-3630", "electronic")], doi_prefix="10.5555")
    articles = [
        Article(language="en", titles=LangText({"en": f"Salt marsh recovery, part {n}"}),
                abstracts=LangText({"en": f"Plots followed for {n} years after storm surges."}),
                keywords={"en": ["salt marsh", "storm surge"]},
                contributors=[Contributor(names={"en": PersonName("Natarajan", "Priya")})],
                pages=Pages(str(10 * n - 9), str(10 * n)))
        for n in (1, 2)
    ]
    return Issue(journal=journal, year=2025, volume="7", number="1", articles=articles,
                 doi_pattern="10.5555/jcel.{year}.{volume}.{number}.{seq:03}",
                 settings=biblio.Settings(depositor=biblio.Depositor("JCEL office", "office@example.org"),
                                          registrant="JCEL", landing_page_pattern="https://jcel.example.org/{doi}"))


def codes(problems) -> set[str]:
    return {p.code for p in problems}


def errors(problems) -> list:
    return [p for p in problems if p.severity == "error"]


def test_the_example_in_docs_api_runs_and_prints_what_it_says(tmp_path, monkeypatch):
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    monkeypatch.chdir(tmp_path)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "docs/api.md", "exec"), {})
    lines = printed.getvalue().splitlines()
    assert lines[0] == "10.5555/jcel.2025.7.1.001"
    assert lines[1] == "Salt marsh recovery after storm surges"
    assert lines[2].startswith("True [")
    assert (tmp_path / "out" / "crossref.xml").is_file()


def test_an_issue_made_in_code_is_checked_built_dumped_read_back_and_validated(tmp_path):
    issue = made_in_code()
    checked, problems = biblio.check(issue)
    assert checked is not None and not errors(problems)
    assert [a.doi for a in checked.articles] == ["10.5555/jcel.2025.7.1.001", "10.5555/jcel.2025.7.1.002"]
    assert issue.articles[0].doi is None  # the issue given is left as it is

    report = biblio.build(issue, tmp_path / "out")
    assert report.ok and report.manifest is None and all(f.valid for f in report.files)
    assert [(p.code, p.severity, p.message) for p in report.problems if p.severity != "info"] == \
        [(p.code, p.severity, p.message) for p in problems if p.severity != "info"]  # one verdict

    deposit, found = biblio.dumps(issue, "crossref")
    assert isinstance(deposit, bytes) and b"10.5555/jcel.2025.7.1.002" in deposit and not errors(found)
    assert deposit.replace(b"\r", b"")[:5] == b"<?xml"
    assert biblio.validates(deposit) == [] and biblio.validates(deposit, "crossref") == []
    jats, found = biblio.dumps(issue, "jats")
    assert isinstance(jats, dict) and len(jats) == 2 and all(biblio.validates(v, "jats") == [] for v in jats.values())
    for name in ("csl", "bibtex", "ris"):
        text, found = biblio.dumps(issue, name)
        assert isinstance(text, str) and not errors(found), name
        assert biblio.validates(text, name) == [], name
        again, read_problems = biblio.loads(text, name)
        assert again is not None and not errors(read_problems), name
        assert [a.titles["en"] for a in again.articles] == ["Salt marsh recovery, part 1",
                                                            "Salt marsh recovery, part 2"], name
        assert [a.doi for a in again.articles] == [a.doi for a in checked.articles], name
    first, _ = biblio.loads(jats[sorted(jats)[0]], "jats")
    assert first is not None and first.articles[0].doi == "10.5555/jcel.2025.7.1.001"


def test_wrong_types_in_code_are_problems_with_the_field_path_not_tracebacks():
    issue = made_in_code()
    issue.articles[0].pages = "15-27"  # type: ignore[assignment]
    issue.articles[1].contributors = "Priya Natarajan"  # type: ignore[assignment]
    issue.articles[1].titles = {"en": "A plain dict is taken as a LangText"}  # type: ignore[assignment]
    checked, problems = biblio.check(issue)
    where = {p.path for p in errors(problems)}
    assert "articles[0].pages" in where and "articles[1].contributors" in where
    assert "articles[1].titles" not in where
    data, found = biblio.dumps(issue, "bibtex")
    assert data is None and {"articles[0].pages", "articles[1].contributors"} <= {p.path for p in errors(found)}

    fixed = made_in_code()
    fixed.articles[1].titles = {"en": "A plain dict is taken as a LangText"}  # type: ignore[assignment]
    prepared, problems = biblio.prepare(fixed)
    assert prepared is not None and not errors(problems)
    assert isinstance(prepared.articles[1].titles, LangText) and prepared.articles[1].titles.main.startswith("A plain")


def test_an_error_in_code_stops_build_and_dumps_alike(tmp_path):
    issue = made_in_code()
    issue.doi_pattern = None  # no DOIs at all now
    _, checked = biblio.check(issue)
    report = biblio.build(issue, tmp_path / "out")
    text, dumped = biblio.dumps(issue, "ris")
    assert "doi.missing" in codes(errors(checked)) and text is None
    assert codes(errors(checked)) == codes(errors(report.problems)) == codes(errors(dumped))
    assert not (tmp_path / "out").exists()


def _no_settings(issue: Issue) -> None:
    issue.settings = None


def _no_issn(issue: Issue) -> None:
    issue.journal.issns = []


def _long_volume(issue: Issue) -> None:
    issue.volume = "Supplement to the seventh volume, part 1"
    issue.doi_pattern = "10.5555/jcel.{year}.{number}.{seq:03}"


@pytest.mark.parametrize("spoil", [_no_settings, _no_issn, _long_volume])
def test_check_gives_the_verdict_of_build_for_what_a_format_refuses(tmp_path, spoil):
    """What only one format's writer refuses (a deposit's settings, JATS's ISSN, a volume over the deposit
    schema's 32 characters) is an error of check too, and the build writes the other formats."""
    issue = made_in_code()
    spoil(issue)
    _, checked = biblio.check(issue)
    report = biblio.build(issue, tmp_path / "out")
    assert errors(checked) and sorted(map(str, errors(checked))) == sorted(map(str, errors(report.problems)))
    assert {f.format for f in report.files} >= {"csl", "bibtex", "ris"}


def test_dump_goes_by_the_name_and_refuses_what_it_cannot_tell(tmp_path):
    issue = made_in_code()
    assert biblio.dump(issue, tmp_path / "issue.yaml") == []
    assert biblio.dump(issue, tmp_path / "issue.json") == []
    assert biblio.load(tmp_path / "issue.json")[0] == biblio.load(tmp_path / "issue.yaml")[0]
    assert not errors(biblio.dump(issue, tmp_path / "refs.bib"))
    assert (tmp_path / "refs.bib").read_text(encoding="utf-8").startswith("@article{")
    assert not errors(biblio.dump(issue, tmp_path / "refs.csl.json"))
    assert biblio.load(tmp_path / "refs.csl.json")[0].articles[1].titles["en"] == "Salt marsh recovery, part 2"
    assert codes(biblio.dump(issue, tmp_path / "deposit.xml")) == {"dump.format"}
    assert not errors(biblio.dump(issue, tmp_path / "deposit.xml", "crossref"))
    assert codes(biblio.dump(issue, tmp_path / "no" / "such" / "refs.ris")) == {"dump.io"}
    assert not (tmp_path / "no").exists()


def test_validate_takes_one_path_or_several_and_validates_takes_text(tmp_path, example_path):
    report = biblio.build(example_path, tmp_path / "out")
    bib = str(tmp_path / "out" / "articles.bib")
    assert report.ok and biblio.validate(bib) == [] and biblio.validate([bib, Path(bib)]) == []
    assert codes(biblio.validate(str(tmp_path / "nothing.xml"))) == {"validate.io"}
    broken = Path(bib).read_text(encoding="utf-8").replace(",\n", "\n", 1)
    found = biblio.validates(broken, "bibtex")
    assert errors(found) and all(p.file == "<text>" for p in found if p.file)
    assert codes(biblio.validates("x", "docx")) == {"api.format"}


def test_load_reads_a_manifest_or_any_readable_format(tmp_path, example_path):
    issue, problems = biblio.load(example_path)
    assert issue is not None and len(issue.articles) == 10
    biblio.build(example_path, tmp_path / "out")
    for name in ("articles.bib", "articles.ris", "articles.csl.json"):
        read, problems = biblio.load(tmp_path / "out" / name)
        assert read is not None and len(read.articles) == 10, name
    assert codes(biblio.load(tmp_path / "missing.ris")[1]) == {"read.io"}
    assert codes(biblio.loads("journal: [", "manifest")[1])


def test_lang_text_is_a_read_only_mapping_with_the_original_first():
    text = LangText({"en": "Title", "kk": "Тақырып"}, original="kk")
    assert list(text) == ["kk", "en"] and len(text) == 2 and dict(text) == {"kk": "Тақырып", "en": "Title"}
    assert text.get("ru") is None and "en" in text and text == LangText({"kk": "Тақырып", "en": "Title"}, "kk")
    with pytest.raises(KeyError):
        text["ru"]


def test_the_api_is_reachable_from_the_package_and_documented():
    for name in biblio.__all__:
        assert getattr(biblio, name).__doc__, name
    assert biblio.cite.__doc__ and biblio.extract.__doc__
    assert (Path(biblio.__file__).parent / "py.typed").is_file()
    assert os.path.basename(biblio.api.__file__) == "api.py"
