"""A file of records from several journals is read as a catalogue of issues, and converted with each record's own
journal, volume, number, ISSN and year: nothing is taken from another record (issue 17)."""

import json

import pytest
from lxml import etree

import biblio
from biblio import api, cli

# doi: journal, volume, number, ISSN, year (None: the record gives none)
RECORDS = {
    "10.1234/jt.1": ("Journal of Tests", "3", "2", "2049-3630", 2024),
    "10.1234/ac.1": ("Annals of Checks", "44", "1", "1308-8734", 2021),
    "10.1234/ac.2": ("Annals of Checks", "44", "1", "1308-8734", None),
}
AUTHORS = ["Smith", "Jones", "Lee"]
SETTINGS = ("depositor: {name: Test Press, email: deposits@example.org}\nregistrant: Test Press\n"
            "landing_page_pattern: \"https://example.org/{doi}\"\n")


def _bibtex() -> str:
    entries = []
    for (doi, (journal, volume, number, issn, year)), author in zip(RECORDS.items(), AUTHORS):
        year_line = f"  year    = {{{year}}},\n" if year else ""
        entries.append(f"@article{{{author.lower()},\n  author  = {{{author}, Ann}},\n  title   = {{Article by "
                       f"{author}}},\n  journal = {{{journal}}},\n  volume  = {{{volume}}},\n"
                       f"  number  = {{{number}}},\n{year_line}  issn    = {{{issn}}},\n  doi     = {{{doi}}},\n  pages   = {{1--10}},\n}}\n")
    return "\n".join(entries)


def _ris() -> str:
    records = []
    for (doi, (journal, volume, number, issn, year)), author in zip(RECORDS.items(), AUTHORS):
        year_line = f"PY  - {year}\n" if year else ""
        records.append(f"TY  - JOUR\nTI  - Article by {author}\nAU  - {author}, Ann\nT2  - {journal}\nVL  - {volume}\n"
                       f"IS  - {number}\n{year_line}SN  - {issn}\nDO  - {doi}\nSP  - 1\nEP  - 10\nLA  - en\nER  - \n")
    return "\n".join(records)


def _csl() -> str:
    items = []
    for (doi, (journal, volume, number, issn, year)), author in zip(RECORDS.items(), AUTHORS):
        item = {"id": author.lower(), "type": "article-journal", "title": f"Article by {author}",
                "author": [{"family": author, "given": "Ann"}], "container-title": journal, "volume": volume,
                "issue": number, "ISSN": issn, "DOI": doi, "page": "1-10", "language": "en"}
        if year:
            item["issued"] = {"date-parts": [[year]]}
        items.append(item)
    return json.dumps(items, indent=1)


SOURCES = {"two.bib": _bibtex, "two.ris": _ris, "two.json": _csl}


def _source(tmp_path, name):
    path = tmp_path / name
    path.write_text(SOURCES[name](), encoding="utf-8")
    return path


def _line_of(path, doi):
    """The line where the record with this DOI begins (its @article, TY or {)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    at = next(number for number, text in enumerate(lines) if doi in text)
    starts = ("@article", "TY  -", " {")
    return max(number for number, text in enumerate(lines[:at + 1]) if text.startswith(starts)) + 1


def _facts(issues):
    """Each record's journal, volume, number, ISSN and year, by DOI, as read back."""
    found = {}
    for issue in issues:
        for article in issue.articles:
            year = article.dates.published.year if article.dates.published else issue.year or None
            found[article.doi] = (issue.journal.titles.main, issue.volume, issue.number,
                                  ",".join(i.value for i in issue.journal.issns), year)
    return found


@pytest.mark.parametrize("name", SOURCES)
def test_a_file_of_two_journals_is_read_as_a_catalogue(tmp_path, name):
    path = _source(tmp_path, name)
    issues, problems = api.load_catalogue(path)
    assert not [p for p in problems if p.severity == "error"]
    assert [len(issue.articles) for issue in issues] == [1, 1, 1]  # the undated record is an issue of its own
    assert _facts(issues) == RECORDS
    issue, problems = biblio.load(path)  # load gives one issue: it says why it cannot
    [several] = [p for p in problems if p.code == "read.several-issues"]
    assert issue is None and several.severity == "error" and several.line == _line_of(path, "10.1234/ac.1")
    assert "load_catalogue" in several.message and "'Annals of Checks' vol. 44 no. 1 (2021)" in several.message


@pytest.mark.parametrize("name", SOURCES)
@pytest.mark.parametrize("target", ["bibtex", "ris", "csl"])
def test_a_list_format_holds_every_record_with_its_own_issue(tmp_path, name, target):
    out = tmp_path / f"out.{target}"
    report = biblio.convert(_source(tmp_path, name), target, out)
    assert report.ok and [f.valid for f in report.files] == [True], [str(p) for p in report.problems]
    issues, problems = api.load_catalogue(out)
    assert _facts(issues) == RECORDS  # the undated record is not given another's year
    assert not [p for p in problems if p.code in ("bibtex.mixed-issue", "ris.issue-mixed", "csl.issue-differs")]


@pytest.mark.parametrize("name", SOURCES)
def test_jats_files_keep_each_record_s_journal(tmp_path, name):
    report = biblio.convert(_source(tmp_path, name), "jats", tmp_path / "jats")
    assert report.ok and len(report.files) == 3 and all(f.valid for f in report.files)
    issues = [biblio.load(f.path)[0] for f in report.files]
    assert _facts(issues) == RECORDS


def _journals(deposit):
    """Each <journal> of a deposit: its title, volume, issue, ISSN, year and DOIs."""
    tree = etree.parse(str(deposit))
    found = []
    for journal in tree.iterfind(".//{*}journal"):
        def text(path, element=journal):
            found_element = element.find(path)
            return found_element.text if found_element is not None else None
        found.append((text("{*}journal_metadata/{*}full_title"), text(".//{*}journal_volume/{*}volume"),
                      text("{*}journal_issue/{*}issue"), text("{*}journal_metadata/{*}issn"),
                      text("{*}journal_issue/{*}publication_date/{*}year"),
                      [d.text for d in journal.iterfind("{*}journal_article/{*}doi_data/{*}doi")]))
    return found


@pytest.mark.parametrize("name", SOURCES)
def test_crossref_with_settings_is_one_valid_deposit_of_each_dated_issue(tmp_path, name):
    path = _source(tmp_path, name)
    settings = tmp_path / "settings.yaml"
    settings.write_text(SETTINGS, encoding="utf-8")
    out = tmp_path / "deposit.xml"
    report = biblio.convert(path, "crossref", out, settings=settings)
    assert [f.valid for f in report.files] == [True] and biblio.validate(out) == []
    assert _journals(out) == [("Journal of Tests", "3", "2", "2049-3630", "2024", ["10.1234/jt.1"]),
                              ("Annals of Checks", "44", "1", "1308-8734", "2021", ["10.1234/ac.1"])]
    errors = [p for p in report.problems if p.severity == "error"]
    assert errors and {p.line for p in errors} == {_line_of(path, "10.1234/ac.2")}  # the undated record, refused
    assert any("year" in p.message for p in errors)


@pytest.mark.parametrize("name", SOURCES)
def test_crossref_without_settings_says_what_to_give(tmp_path, name, capsys):
    out = tmp_path / "deposit.xml"
    code = cli.main(["convert", str(_source(tmp_path, name)), "--to", "crossref", "-o", str(out)])
    assert code == 1 and not out.exists()
    captured = capsys.readouterr()
    printed = captured.out + captured.err
    assert "crossref.depositor-missing" in printed and "--settings FILE" in printed


def test_settings_are_checked_as_a_manifest_s(tmp_path):
    settings = tmp_path / "settings.yaml"
    settings.write_text("depositor: {name: Test Press, email: not-an-address}\n", encoding="utf-8")
    report = biblio.convert(_source(tmp_path, "two.bib"), "crossref", tmp_path / "d.xml", settings=settings)
    assert not report.ok and not report.files
    assert [p.file for p in report.problems if p.severity == "error"] == [str(settings)]


def test_a_record_the_target_refuses_is_named_and_the_rest_are_written(tmp_path):
    path = _source(tmp_path, "two.bib")
    path.write_text(path.read_text(encoding="utf-8").replace("  doi     = {10.1234/jt.1},\n", ""), encoding="utf-8")
    settings = tmp_path / "settings.yaml"
    settings.write_text(SETTINGS, encoding="utf-8")
    report = biblio.convert(path, "crossref", tmp_path / "d.xml", settings=settings)
    refused = [p for p in report.problems if p.severity == "error" and p.line == 1]
    assert refused and all(p.file == str(path) for p in refused)
    assert [f.valid for f in report.files] == [True]
    assert [doi for *_, dois in _journals(tmp_path / "d.xml") for doi in dois] == ["10.1234/ac.1"]
