"""What reference managers keep of a journal article beside its metadata (issue 20 item 6): PMID, PMCID, short title,
note and access date. The manifest carries them (checked), every format carries what it has a place for (CSL-JSON
``PMID``/``PMCID``/``title-short``/``note``/``accessed``; BibTeX ``pmid``/``pmcid``/``shorttitle``/``note``/
``urldate``; RIS ``ST``/``N1``/``Y2``; JATS ``article-id`` and ``alt-title``; Crossref the PMID as a
``publisher_item`` identifier), reports the rest by name, and the readers keep them instead of reporting them."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from lxml import etree

import biblio
from biblio import manifest
from biblio.formats import bibtex, csl, jats, ris
from biblio.formats.crossref import mapping as crossref_mapping
from biblio.manifest_spec import json_schema
from biblio.model import PartialDate

MANIFEST = """\
biblio: 1
journal:
  language: en
  titles: {en: Journal of Tests}
  doi_prefix: '10.5555'
  issns: [{value: 2049-3630}]
issue:
  year: 2025
  volume: '4'
  number: '2'
  doi_pattern: '{prefix}/jt.{year}.{number}.{seq:03}'
settings:
  depositor: {name: Ann Editor, email: ann@journal.kz}
  registrant: Test Press
  landing_page_pattern: 'https://journal.kz/{suffix}'
articles:
  - language: en
    titles: {en: On dreams and software in the long run}
    contributors:
      - names: {en: {family: Doe, given: Jane}}
    pages: {first: '1', last: '9'}
    short_title: {en: Dreams and software}
    pmid: '31452104'
    pmcid: PMC6713934
    note: Read with the erratum.
    accessed: 2025-07-01
"""
READERS = {"jats": jats, "csl": csl, "bibtex": bibtex, "ris": ris}
# What each format carries of the five fields; the rest it reports as not carried.
CARRIED = {"csl": {"pmid", "pmcid", "short_title", "note", "accessed"},
           "bibtex": {"pmid", "pmcid", "short_title", "note", "accessed"},
           "ris": {"short_title", "note", "accessed"},
           "jats": {"pmid", "pmcid", "short_title"}}
EXPECTED = {"pmid": "31452104", "pmcid": "PMC6713934", "short_title": {"en": "Dreams and software"},
            "note": "Read with the erratum.", "accessed": PartialDate(2025, 7, 1)}


def _fields(article: biblio.Article) -> dict[str, object]:
    return {"pmid": article.pmid, "pmcid": article.pmcid, "note": article.note, "accessed": article.accessed,
            "short_title": dict(article.short_title.texts) if article.short_title else None}


def _not_read(problems: list[biblio.Problem]) -> list[str]:
    return [str(p) for p in problems if p.code.endswith(("not-read", "tag-not-read"))]


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, biblio.BuildReport]:
    source = tmp_path / "issue.yaml"
    source.write_text(MANIFEST, encoding="utf-8")
    out = tmp_path / "out"
    return out, biblio.build(source, out)


# --- the manifest ----------------------------------------------------------------------------------------------

def test_the_manifest_loads_the_fields_and_writes_them_back():
    issue, problems = biblio.loads(MANIFEST)
    assert issue is not None, [str(p) for p in problems]
    assert _fields(issue.articles[0]) == EXPECTED
    data = manifest.to_data(issue)
    assert {key: data["articles"][0][key] for key in EXPECTED} == {
        "pmid": "31452104", "pmcid": "PMC6713934", "short_title": {"en": "Dreams and software"},
        "note": "Read with the erratum.", "accessed": "2025-07-01"}
    again, problems = biblio.loads(json.dumps(data))
    assert again is not None and _fields(again.articles[0]) == EXPECTED, [str(p) for p in problems]


def test_the_published_schema_has_the_fields():
    published = Path(biblio.__file__).parent / "data" / "manifest.schema.json"
    assert json.loads(published.read_text(encoding="utf-8")) == json_schema(), "run `make manifest-schema`"
    validator = jsonschema.Draft202012Validator(json_schema())
    data = yaml.safe_load(MANIFEST)
    data["articles"][0]["accessed"] = "2025-07-01"  # YAML read it as a date; the schema is for the text
    assert not list(validator.iter_errors(data))
    data["articles"][0]["short_title"] = "not by language"
    assert [list(error.absolute_path)[-1] for error in validator.iter_errors(data)] == ["short_title"]


@pytest.mark.parametrize(("line", "code", "words"), [
    ("pmid: '3145210A'", "pmid.syntax", "digits only"),
    ("pmid: 'PMC6713934'", "pmid.syntax", "digits only"),
    ("pmcid: '6713934'", "pmcid.syntax", "PMC and its digits"),
    ("pmcid: PMC67-13934", "pmcid.syntax", "PMC and its digits"),
])
def test_a_wrong_pmid_or_pmcid_is_a_clear_manifest_error(line, code, words):
    key = line.split(":")[0]
    old = next(text for text in MANIFEST.splitlines() if text.strip().startswith(f"{key}:"))
    text = MANIFEST.replace(old, f"    {line}")
    issue, problems = biblio.loads(text)
    errors = [p for p in problems if p.severity == "error"]
    assert [(p.code, p.path) for p in errors] == [(code, f"articles[0].{key}")], [str(p) for p in problems]
    assert words in errors[0].message
    assert errors[0].line == text.splitlines().index(f"    {line}") + 1


def test_prefixed_ids_are_normalised():
    text = MANIFEST.replace("pmid: '31452104'", "pmid: 'PMID: 31452104'").replace("pmcid: PMC6713934",
                                                                                    "pmcid: pmc6713934")
    issue, problems = biblio.loads(text)
    assert issue is not None, [str(p) for p in problems]
    assert (issue.articles[0].pmid, issue.articles[0].pmcid) == ("31452104", "PMC6713934")


# --- build, validate, read back ----------------------------------------------------------------------------------

def test_each_format_keeps_what_it_carries_and_reports_the_rest(built):
    out, report = built
    assert report.ok, [str(p) for p in report.problems if p.severity == "error"]
    files = sorted(path for path in out.iterdir() if path.name not in ("report.html", ".biblio-files"))
    assert not [str(p) for p in biblio.validate(files, strict=True) if p.severity == "error"]
    read = set()
    for path in files:
        fmt = biblio.formats.detect(path)
        assert fmt is not None, path
        if fmt.name not in READERS:
            continue
        again, problems = READERS[fmt.name].FORMAT.read(path)
        assert again is not None, (path, [str(p) for p in problems])
        found = _fields(again.articles[0])
        assert {key: found[key] for key in CARRIED[fmt.name]} == {key: EXPECTED[key] for key in CARRIED[fmt.name]}
        assert all(found[key] is None for key in EXPECTED.keys() - CARRIED[fmt.name]), (fmt.name, found)
        assert not _not_read(problems), path
        read.add(fmt.name)
    assert read == set(READERS)
    ris_notes = " ".join(p.message for p in report.problems if p.code == "ris.not-carried")
    assert "PubMed and PubMed Central IDs (PMID, PMCID" in ris_notes
    crossref = [p.message for p in report.problems if p.code == "crossref.not-carried"]
    assert {what for what in ("PMCID", "short titles", "note", "accessed") if any(what in m for m in crossref)} == {
        "PMCID", "short titles", "note", "accessed"}
    jats_notes = " ".join(p.message for p in report.problems if p.code == "jats.not-carried")
    assert "an article's note" in jats_notes and "accessed" in jats_notes


def test_each_format_writes_the_fields_in_its_own_form(built):
    out, report = built
    assert report.ok
    bib = (out / "articles.bib").read_text(encoding="utf-8")
    for line in ("shorttitle = {{Dreams and software}}", "pmid       = {31452104}", "pmcid      = {PMC6713934}",
                 "urldate    = {2025-07-01}", "note       = {Read with the erratum.}"):
        assert line in bib
    records = (out / "articles.ris").read_bytes().decode("utf-8")
    for line in ("ST  - Dreams and software\r\n", "Y2  - 2025/07/01/\r\n", "N1  - Read with the erratum.\r\n"):
        assert line in records
    assert "31452104" not in records
    [item] = json.loads((out / "articles.csl.json").read_text(encoding="utf-8"))
    assert {key: item[key] for key in ("PMID", "PMCID", "title-short", "note", "accessed")} == {
        "PMID": "31452104", "PMCID": "PMC6713934", "title-short": "Dreams and software",
        "note": "Read with the erratum.", "accessed": {"date-parts": [[2025, 7, 1]]}}
    [article] = [path for path in out.glob("*.xml") if path.name != "crossref.xml"]
    meta = etree.parse(str(article)).find(".//article-meta")
    assert [(e.get("pub-id-type"), e.text) for e in meta.findall("article-id")] == [
        ("doi", "10.5555/jt.2025.2.001"), ("pmid", "31452104"), ("pmcid", "PMC6713934")]
    assert [(e.get("alt-title-type"), e.text) for e in meta.findall("title-group/alt-title")] == [
        ("short", "Dreams and software")]
    ns = {"c": crossref_mapping.NSMAP[None]}
    deposit = etree.parse(str(out / "crossref.xml"))
    [identifier] = deposit.findall(".//c:journal_article/c:publisher_item/c:identifier", ns)
    assert (identifier.get("id_type"), identifier.text) == ("pmid", "31452104")


def test_a_short_title_in_another_language_is_reported_by_the_one_language_formats():
    text = MANIFEST.replace("short_title: {en: Dreams and software}", "short_title: {ru: Мечты и программы}")
    issue, _ = biblio.loads(text)
    assert issue is not None
    for name in ("csl", "bibtex", "ris"):
        data, problems = biblio.dumps(issue, name)
        assert "Мечты" not in str(data), name  # an item never mixes languages
        assert any("short titles in other languages" in p.message for p in problems), name
    files, _ = biblio.dumps(issue, "jats")
    assert files is not None
    [xml] = files.values()
    assert '<alt-title alt-title-type="short" xml:lang="ru">Мечты и программы</alt-title>' in xml.decode("utf-8")


# --- other tools' files ----------------------------------------------------------------------------------------

def _read(tmp_path: Path, name: str, text: str, fmt) -> tuple[biblio.Article, list[biblio.Problem]]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    issue, problems = fmt.FORMAT.read(path)
    assert issue is not None, [str(p) for p in problems]
    return issue.articles[0], problems


ZOTERO_ITEM = {
    "id": "http://zotero.org/users/1/items/ABCD1234", "type": "article-journal",
    "title": "Effect of alcohol on recurrence of Crohn's disease", "container-title": "Gut",
    "title-short": "Alcohol and Crohn's disease", "note": "PMID: 31452104\nPMCID: PMC6713934",
    "PMID": "31452104", "PMCID": "PMC6713934", "accessed": {"date-parts": [["2025", 7, 1]]},
    "author": [{"family": "Gaillard", "given": "Anne"}], "issued": {"date-parts": [[2019, 8]]}, "language": "en"}


def test_csl_reads_a_zotero_item_with_pmid_and_short_title(tmp_path):
    article, problems = _read(tmp_path, "zotero.json", json.dumps([ZOTERO_ITEM]), csl)
    assert _fields(article) == {"pmid": "31452104", "pmcid": "PMC6713934",
                                "short_title": {"en": "Alcohol and Crohn's disease"},
                                "note": "PMID: 31452104\nPMCID: PMC6713934", "accessed": PartialDate(2025, 7, 1)}
    assert not _not_read(problems) and not [p for p in problems if p.severity != "info"]


def test_csl_reports_a_wrong_pmid_and_keeps_nothing_of_it(tmp_path):
    item = ZOTERO_ITEM | {"PMID": "31452104, 1234", "PMCID": "6713934", "accessed": {"date-parts": [["soon"]]}}
    article, problems = _read(tmp_path, "bad.json", json.dumps([item]), csl)
    assert (article.pmid, article.pmcid, article.accessed) == (None, None, None)
    said = [p.message for p in problems if p.severity == "warning"]
    assert any("'PMID'" in m and "digits only" in m for m in said), said
    assert any("'PMCID'" in m and "PMC and its digits" in m for m in said), said
    assert any("'accessed'" in m for m in said), said
    assert all(p.file for p in problems if p.severity == "warning")


BIBTEX_ENTRY = """\
@article{gaillard_effect_2019,
  title = {Effect of Alcohol on Recurrence of {Crohn}'s Disease},
  shorttitle = {Alcohol and {Crohn}'s Disease},
  author = {Gaillard, Anne},
  journal = {Gut},
  year = {2019},
  pmid = {31452104},
  pmcid = {PMC6713934},
  urldate = {2025-07-01},
  note = {Epub ahead of print},
  langid = {english},
}
"""


def test_bibtex_reads_shorttitle_urldate_note_and_pmid(tmp_path):
    article, problems = _read(tmp_path, "zotero.bib", BIBTEX_ENTRY, bibtex)
    assert _fields(article) == {"pmid": "31452104", "pmcid": "PMC6713934",
                                "short_title": {"en": "Alcohol and Crohn's Disease"}, "note": "Epub ahead of print",
                                "accessed": PartialDate(2025, 7, 1)}
    assert not _not_read(problems), [str(p) for p in problems]


def test_bibtex_reports_a_wrong_pmid_and_urldate_with_their_line(tmp_path):
    text = BIBTEX_ENTRY.replace("pmid = {31452104}", "pmid = {n/a}").replace("urldate = {2025-07-01}",
                                                                            "urldate = {2025-13-01}")
    article, problems = _read(tmp_path, "bad.bib", text, bibtex)
    assert (article.pmid, article.accessed, article.pmcid) == (None, None, "PMC6713934")
    said = {p.code: p for p in problems if p.severity == "warning"}
    assert said["pmid.syntax"].line == 7 and said["pmid.syntax"].path == "gaillard_effect_2019.pmid"
    assert said["bibtex.date"].line == 9 and "month 13 does not exist" in said["bibtex.date"].message


RIS_RECORD = ("TY  - JOUR\r\nTI  - Effect of alcohol on recurrence of Crohn's disease\r\nST  - Alcohol and Crohn's"
              " disease\r\nAU  - Gaillard, Anne\r\nT2  - Gut\r\nPY  - 2019\r\nY2  - 2025-07-01 10:30:00\r\n"
              "N1  - <p>First note</p>\r\nN1  - Second note\r\nLA  - en\r\nER  - \r\n")


def test_ris_reads_st_y2_and_every_n1(tmp_path):
    article, problems = _read(tmp_path, "zotero.ris", RIS_RECORD, ris)
    assert _fields(article) == {"pmid": None, "pmcid": None, "short_title": {"en": "Alcohol and Crohn's disease"},
                                "note": "<p>First note</p>\n\nSecond note", "accessed": PartialDate(2025, 7, 1)}
    assert not _not_read(problems), [str(p) for p in problems]


def test_ris_reports_an_access_date_it_cannot_read(tmp_path):
    article, problems = _read(tmp_path, "bad.ris", RIS_RECORD.replace("2025-07-01 10:30:00", "yesterday"), ris)
    assert article.accessed is None
    [said] = [p for p in problems if p.code == "ris.date"]
    assert said.line == 7 and "'yesterday'" in said.message


PUBMED_JATS = """\
<?xml version="1.0" encoding="UTF-8"?>
<article xmlns:xlink="http://www.w3.org/1999/xlink" article-type="research-article" xml:lang="en">
<front>
<journal-meta><journal-title-group><journal-title>Gut</journal-title></journal-title-group>
<issn pub-type="epub">1468-3288</issn></journal-meta>
<article-meta>
<article-id pub-id-type="pmid">31452104</article-id>
<article-id pub-id-type="pmc">6713934</article-id>
<article-id pub-id-type="doi">10.1136/gutjnl-2019-318000</article-id>
<title-group>
<article-title>Effect of Alcohol on Recurrence of Crohn's Disease</article-title>
<alt-title alt-title-type="left-running-head">Gaillard et al.</alt-title>
<alt-title alt-title-type="running-head">Alcohol and Crohn's disease</alt-title>
</title-group>
<pub-date pub-type="epub"><day>1</day><month>8</month><year>2019</year></pub-date>
<volume>68</volume><fpage>1</fpage><lpage>9</lpage>
</article-meta>
</front>
</article>
"""


def test_jats_reads_a_pubmed_article_ids_and_its_running_head(tmp_path):
    article, problems = _read(tmp_path, "pubmed.xml", PUBMED_JATS, jats)
    assert (article.doi, article.pmid, article.pmcid) == ("10.1136/gutjnl-2019-318000", "31452104", "PMC6713934")
    assert article.short_title is not None and article.short_title.texts == {"en": "Alcohol and Crohn's disease"}
    assert not [p for p in problems if p.severity != "info"], [str(p) for p in problems]


def test_jats_prefers_a_short_alt_title_and_reports_a_wrong_pmid(tmp_path):
    text = PUBMED_JATS.replace('<article-id pub-id-type="pmid">31452104', '<article-id pub-id-type="pmid">PMID-1')
    text = text.replace("</title-group>", '<alt-title alt-title-type="short">Alcohol</alt-title></title-group>')
    article, problems = _read(tmp_path, "bad.xml", text, jats)
    assert article.pmid is None and article.pmcid == "PMC6713934"
    assert article.short_title is not None and article.short_title.texts == {"en": "Alcohol"}
    [said] = [p for p in problems if p.code == "pmid.syntax"]
    assert said.severity == "warning" and said.line == 7
