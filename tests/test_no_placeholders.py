"""No invented values (issue 17 items 2, 4, 8): an unknown year is left out, Crossref refuses up front what its
schema would, ``dump`` writes no placeholder and says what the manifest needs, convert never overwrites its input,
and a build stopped by a full disk does not blame the manifest."""

import errno
import json
import re
import sys

import pytest
import yaml

import biblio
from biblio import cli, formats
from biblio.formats import crossref
from biblio.model import Issue, Journal, LangText, Pages

ENTRY = """@article{{{key},
  author = {{Smith, John}},
  title = {{{title}}},
  journal = {{{journal}}},
{year}  volume = {{3}},
  pages = {{{pages}}}{doi}
}}
"""
SETTINGS = ("depositor: {name: Me, email: me@example.org}\nregistrant: Me\n"
            "landing_page_pattern: 'https://example.org/{doi}'\n")


def _entry(key, *, title="A title", journal="Journal of Things", year="2020", pages="1--5", doi=None):
    return ENTRY.format(key=key, title=title, journal=journal, year=f"  year = {{{year}}},\n" if year else "",
                        pages=pages, doi=f",\n  doi = {{{doi}}}" if doi is not None else "")


def _bib(tmp_path, *entries, name="in.bib"):
    path = tmp_path / name
    path.write_text("\n".join(entries), encoding="utf-8")
    return path


def _line(path, key):
    """The line of the entry ``key`` in a BibTeX file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if line.startswith(f"@article{{{key},"))


def _errors(report):
    return [p for p in report.problems if p.severity == "error"]


def _write(fmt_name, issue):
    """One format of an issue through its writer alone: the file's text and the writer's problems."""
    fmt = formats.get(fmt_name)
    output = formats.MemoryOutput()
    writer = fmt.writer(issue, output)
    for index, article in enumerate(issue.articles):
        writer.add(index, article)
    problems = writer.close()
    return b"".join(data for _, data in output.listed()).decode("utf-8"), problems


def _undated_issue():
    issue, problems = biblio.loads("biblio: 1\njournal: {titles: {en: J}}\nissue: {year: 2020}\narticles:\n"
                                   "- {doi: 10.1234/a.1, language: en, titles: {en: T},"
                                   " contributors: [{names: {en: {family: Doe, given: Jane}}}]}\n")
    assert issue is not None, problems
    issue.year = 0  # as a reader leaves an issue whose records give no year
    return issue


# --- 17.2: an unknown year is left out ------------------------------------------------------------------------

def test_bibtex_writer_leaves_an_unknown_year_out_and_says_so():
    text, problems = _write("bibtex", _undated_issue())
    assert "year" not in text and "0000" not in text
    left = [p for p in problems if p.code == "bibtex.year-unknown"]
    assert len(left) == 1 and left[0].path == "articles[0].dates.published" and "add" in left[0].message


def test_ris_writer_leaves_an_unknown_year_out_and_says_so():
    text, problems = _write("ris", _undated_issue())
    assert "PY  -" not in text and "0000" not in text and "TI  - T" in text
    said = [p for p in problems if p.code == "ris.year-unknown"]
    assert len(said) == 1 and said[0].severity == "warning" and said[0].path == "articles[0].dates.published"


def test_convert_without_a_year_writes_no_year_zero(tmp_path):
    source = _bib(tmp_path, _entry("dated", doi="10.1234/x.1"), _entry("undated", year=None, doi="10.1234/x.2"))
    bib = biblio.convert(source, "bibtex", tmp_path / "out.bib")
    assert not _errors(bib)
    written = (tmp_path / "out.bib").read_text(encoding="utf-8")
    assert "0000" not in written and written.count("year") == 1
    ris = biblio.convert(source, "ris", tmp_path / "out.ris")
    written = (tmp_path / "out.ris").read_text(encoding="utf-8")
    assert "0000" not in written and written.count("PY  -") == 1 and "10.1234/x.2" in written
    assert not _errors(ris) and [f.valid for f in ris.files] == [True]
    said = [p for p in ris.problems if p.code == "ris.year-unknown"]
    assert [p.line for p in said] == [_line(source, "undated")]
    csl = biblio.convert(source, "csl", tmp_path / "out.json")
    assert not _errors(csl)
    items = {item["DOI"]: item for item in json.loads((tmp_path / "out.json").read_text())}
    assert "issued" not in items["10.1234/x.2"]
    assert "date-from-issue" not in items["10.1234/x.2"].get("custom", {})  # there is no date to come from it


def test_crossref_says_the_record_has_no_year(tmp_path):
    source = _bib(tmp_path, _entry("undated", year=None, doi="10.1234/x.2"))
    settings = tmp_path / "settings.yaml"
    settings.write_text(SETTINGS, encoding="utf-8")
    report = biblio.convert(source, "crossref", tmp_path / "out.xml", settings=settings)
    years = [p for p in _errors(report) if p.code == "crossref.year"]
    assert len(years) == 1 and "outside" not in years[0].message and "no year" in years[0].message
    assert "add" in years[0].message and years[0].line == 1
    assert not (tmp_path / "out.xml").exists()


# --- 17.4: Crossref refuses up front what the schema would ----------------------------------------------------

def test_convert_to_crossref_refuses_each_bad_record_before_any_deposit(tmp_path):
    source = _bib(tmp_path,
                  _entry("good", doi="10.1234/x.0"),
                  _entry("nodoi"),
                  _entry("notitle", title="", doi="10.1234/x.2"),
                  _entry("longpage", pages="1" * 33, doi="10.1234/x.3"),
                  _entry("nojournal", journal=" ", year="2021", doi="10.1234/x.4"))
    settings = tmp_path / "settings.yaml"
    settings.write_text(SETTINGS, encoding="utf-8")
    report = biblio.convert(source, "crossref", tmp_path / "out.xml", settings=settings)
    errors = _errors(report)
    assert not [p for p in errors if "validator refuses" in p.message or p.code == "crossref.schema"], errors
    by_code = {p.code: p for p in errors}
    doi = by_code["crossref.doi-missing"]
    assert doi.line == _line(source, "nodoi") and "nodoi" in doi.message
    assert "crossref.url-missing" not in by_code  # the landing page is not what is missing
    assert by_code["crossref.title-missing"].line == _line(source, "notitle")
    long = by_code["crossref.too-long"]
    assert long.line == _line(source, "longpage") and "first_page" in long.message
    journal = by_code["crossref.journal-title-missing"]
    assert journal.line == _line(source, "nojournal") and "add" in journal.message
    written = (tmp_path / "out.xml").read_text(encoding="utf-8")
    assert "10.1234/x.0" in written and not re.search(r"10\.1234/x\.[1-4]", written)
    assert all(p.valid for p in report.files)


def test_check_names_the_missing_doi_title_and_journal_title():
    issue = _undated_issue()
    issue.year = 2020
    issue.settings = biblio.Settings(depositor=biblio.Depositor("Me", "me@example.org"), registrant="Me",
                                     landing_page_pattern="https://example.org/{doi}")
    assert crossref.FORMAT.check(issue) == []
    issue.articles[0].doi = None
    issue.articles[0].titles = LangText()
    issue.articles[0].pages = Pages(first="9" * 33)
    issue.journal.titles = LangText({"en": "  "})
    found = [(p.code, p.path) for p in crossref.FORMAT.check(issue)]
    assert found == [("crossref.journal-title-missing", "journal.titles"),
                     ("crossref.title-missing", "articles[0].titles"),
                     ("crossref.doi-missing", "articles[0].doi")]
    _, problems = _write("crossref", issue)  # the writer refuses the long page too (lint's, on a manifest)
    assert ("crossref.too-long", "articles[0].pages.first") in [(p.code, p.path) for p in problems]


# --- 17.8: dump writes no placeholder and names what the manifest needs ---------------------------------------

def _load_fields(problems):
    """The fields a load's errors say are missing."""
    fields = set()
    for p in problems:
        if p.severity != "error":
            continue
        assert p.code in ("manifest.missing", "doi.missing"), str(p)
        if p.code == "doi.missing":
            fields.add(f"{p.path}.doi")
        else:
            key = re.search(r"needs '([^']+)'", p.message).group(1)
            fields.add(f"{p.path}.{key}" if p.path else key)
    return fields


FILL = {"journal": {"titles": {"en": "Filled"}}, "year": 2021, "doi": "10.9999/filled"}


def _fill(data, field):
    parts = re.findall(r"[^.\[\]]+|\[\d+\]", field)
    node = data
    for part in parts[:-1]:
        node = node[int(part[1:-1])] if part.startswith("[") else node.setdefault(part, {})
    node[parts[-1]] = FILL[parts[-1]]


@pytest.mark.parametrize("records", [
    "TY  - JOUR\nTI  - Only a title\nAU  - Doe, Jane\nER  - \n",
    "TY  - JOUR\nTI  - A\nT2  - J\nPY  - 2020\nDO  - 10.1234/a\nER  - \n\nTY  - JOUR\nTI  - B\nT2  - J\nPY  - 2020\n"
    "ER  - \n",
    "TY  - JOUR\nTI  - A\nT2  - J\nPY  - 2020\nDO  - 10.1234/a\nER  - \n",
])
def test_dump_writes_no_placeholder_and_names_what_load_will_need(tmp_path, records):
    source = tmp_path / "in.ris"
    source.write_text(records.replace("\n", "\r\n"), encoding="utf-8")
    issue, _ = biblio.load(source)
    target = tmp_path / "issue.yaml"
    said = biblio.dump(issue, target)
    assert all(p.severity == "warning" and p.code == "dump.missing" and p.file == str(target) for p in said)
    told = {p.path for p in said}
    text = target.read_text(encoding="utf-8")
    assert "null" not in text and "year: 0" not in text
    found: set[str] = set()
    for _ in range(5):  # load reports in stages (the structure, then the DOIs): fill what it names, load again
        _, problems = biblio.load(target)
        fields = _load_fields(problems)
        if not fields:
            break
        assert fields <= told
        found |= fields
        data = yaml.safe_load(target.read_text(encoding="utf-8"))
        for field in fields:
            _fill(data, field)
        target.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert found == told
    assert biblio.load(target)[0] is not None


def test_dump_json_of_an_issue_without_journal_or_year(tmp_path):
    issue = Issue(journal=Journal(titles=LangText()), year=0)
    said = biblio.dump(issue, tmp_path / "issue.json")
    text = (tmp_path / "issue.json").read_text(encoding="utf-8")
    assert "null" not in text and '"year": 0' not in text
    assert {p.path for p in said} == {"journal", "issue.year", "articles"}


# --- convert never overwrites its input -------------------------------------------------------------------------

RIS = "TY  - JOUR\r\nTI  - A title\r\nAU  - Doe, Jane\r\nT2  - J\r\nPY  - 2020\r\nDO  - 10.1234/x.1\r\nER  - \r\n"


@pytest.mark.parametrize("how", ["same", "relative", "symlink"])
def test_convert_refuses_to_write_over_its_input(tmp_path, monkeypatch, how):
    source = tmp_path / "x.ris"
    source.write_bytes(RIS.encode("utf-8"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    target = {"same": source, "relative": "sub/../x.ris", "symlink": tmp_path / "link.ris"}[how]
    if how == "symlink":
        (tmp_path / "link.ris").symlink_to(source)
    report = biblio.convert("x.ris", "ris", target)
    assert [p.code for p in _errors(report)] == ["convert.same-file"]
    assert "input" in report.problems[0].message
    assert source.read_bytes() == RIS.encode("utf-8") and not report.files


# --- a build stopped by a full disk -----------------------------------------------------------------------------

def test_build_stopped_by_a_full_disk_does_not_blame_the_manifest(tmp_path, capsys, monkeypatch, example_path):
    staging = sys.modules["biblio.build"]  # the module (``biblio.build`` is also the function)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(staging.tempfile, "mkdtemp", full)
    code = cli.main(["build", str(example_path), "-o", str(tmp_path / "out")])
    out = capsys.readouterr()
    assert code != 0
    assert "manifest has errors" not in out.out
    assert "nothing written" in out.out and "error below" in out.out
    assert "No space left on device" in out.err


def test_ris_convert_refuses_each_record_without_title_or_journal_and_writes_the_rest(tmp_path):
    source = tmp_path / "mixed.bib"  # the corpus: one such record made the whole RIS file invalid, no record named
    source.write_text("@article{a, title = {No journal}, year = {2000}}\n"
                      "@article{b, journal = {J}, year = {2000}}\n"
                      "@article{c, title = {Kept}, journal = {J}, year = {2000}}\n", encoding="utf-8")
    report = biblio.convert(source, "ris", tmp_path / "out.ris")
    assert [f.valid for f in report.files] == [True]
    text = (tmp_path / "out.ris").read_text(encoding="utf-8")
    assert text.count("TY  - JOUR") == 1 and "TI  - Kept" in text
    refused = sorted((p.code, p.line) for p in report.problems if p.severity == "error")
    assert refused == [("ris.journal-missing", 1), ("ris.title-missing", 2)]
