"""Name suffixes (Jr., III) are a part of a person's name of their own (``PersonName.suffix``), carried by the
manifest and by every format in its own way (issue 20 item 6, issue 17): Crossref and JATS ``<suffix>``, CSL-JSON
``suffix``, BibTeX's "von Last, Jr, First", RIS "Last, First, Suffix"; every reader reads them back into ``suffix``,
never glued to the family name and never reported as not read."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from lxml import etree

import biblio
from biblio import cite, manifest
from biblio.formats import bibtex, csl, jats, ris
from biblio.formats.crossref import mapping as crossref_mapping
from biblio.manifest_spec import json_schema
from biblio.model import PersonName

MANIFEST = """\
biblio: 1
journal:
  language: en
  titles: {en: Journal of Tests}
  doi_prefix: '10.5555'
  issns: [{value: 2049-3630, media: electronic}]
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
    titles: {en: On dreams and software}
    contributors:
      - names: {en: {family: King, given: Martin Luther, suffix: Jr.}}
        orcid: 0000-0002-1825-0097
        affiliations: [{name: {en: Morehouse College}}]
        credit: [conceptualization]
      - names: {en: {family: Gates, given: William Henry, suffix: III}}
      - names: {en: {family: Doe, given: Jane}}
"""
EXPECTED = [PersonName("King", "Martin Luther", suffix="Jr."), PersonName("Gates", "William Henry", suffix="III"),
            PersonName("Doe", "Jane")]
READERS = {"jats": jats, "csl": csl, "bibtex": bibtex, "ris": ris}


def _names(issue: biblio.Issue) -> list[PersonName]:
    return [name for contributor in issue.articles[0].contributors for name in contributor.names.values()]


def _suffix_dropped(problems: list[biblio.Problem]) -> list[str]:
    """Problems that say a suffix was not read, not carried or dropped."""
    return [str(p) for p in problems if "suffix" in p.message.lower() and p.code != "doi.assigned"]


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, biblio.BuildReport]:
    source = tmp_path / "issue.yaml"
    source.write_text(MANIFEST, encoding="utf-8")
    out = tmp_path / "out"
    return out, biblio.build(source, out)


def test_the_manifest_loads_suffixes_and_writes_them_back():
    issue, problems = biblio.loads(MANIFEST)
    assert issue is not None, [str(p) for p in problems]
    assert _names(issue) == EXPECTED
    assert _names(issue)[0].printed == "Martin Luther King Jr."
    data = manifest.to_data(issue)
    assert data["articles"][0]["contributors"][1]["names"]["en"] == {
        "family": "Gates", "given": "William Henry", "suffix": "III"}
    again, problems = biblio.loads(json.dumps(data))
    assert again is not None and _names(again) == EXPECTED, [str(p) for p in problems]


def test_the_manifest_schema_accepts_a_suffix_and_refuses_one_that_is_not_text():
    published = Path(biblio.__file__).parent / "data" / "manifest.schema.json"
    assert json.loads(published.read_text(encoding="utf-8")) == json_schema(), "run `make manifest-schema`"
    validator = jsonschema.Draft202012Validator(json_schema())
    data = yaml.safe_load(MANIFEST)
    assert not list(validator.iter_errors(data))
    data["articles"][0]["contributors"][0]["names"]["en"]["suffix"] = ["Jr."]
    assert [list(error.absolute_path)[-1] for error in validator.iter_errors(data)] == ["suffix"]


@pytest.mark.parametrize("value", ["[Jr., Sr.]", "{a: Jr.}", "''"])
def test_a_suffix_that_is_not_text_is_a_clear_manifest_error(value):
    text = MANIFEST.replace("suffix: Jr.}", f"suffix: {value}}}")
    assert text != MANIFEST
    issue, problems = biblio.loads(text)
    errors = [p for p in problems if p.severity == "error"]
    assert len(errors) == 1, [str(p) for p in problems]
    assert errors[0].path == "articles[0].contributors[0].names.en.suffix"
    assert errors[0].code == ("manifest.empty" if value == "''" else "manifest.type")
    assert errors[0].line == text.splitlines().index(next(line for line in text.splitlines() if "King" in line)) + 1
    assert issue is None or _names(issue)[0].suffix is None  # never a list or a mapping where text belongs


def test_every_format_carries_the_suffix_and_every_reader_reads_it_back(built):
    out, report = built
    assert report.ok, [str(p) for p in report.problems if p.severity == "error"]
    assert not _suffix_dropped(report.problems)
    files = sorted(path for path in out.iterdir() if path.name not in ("report.html", ".biblio-files"))
    assert len(files) == 5
    assert not [str(p) for p in biblio.validate(files, strict=True) if p.severity == "error"]
    read = 0
    for path in files:
        fmt = biblio.formats.detect(path)
        assert fmt is not None, path
        if fmt.name not in READERS:
            continue
        again, problems = READERS[fmt.name].FORMAT.read(path)
        assert again is not None, (path, [str(p) for p in problems])
        assert _names(again) == EXPECTED, path
        assert not _suffix_dropped(problems), path
        read += 1
    assert read == 4


def test_each_format_writes_the_suffix_in_its_own_form(built):
    out, report = built
    assert report.ok
    text = {path.suffix if path.suffix != ".json" else ".csl.json": path.read_bytes().decode("utf-8")
            for path in out.iterdir() if path.is_file() and path.name != "report.html"}
    assert "author   = {King, Jr., Martin Luther and Gates, III, William Henry and Doe, Jane}" in text[".bib"]
    assert "AU  - King, Martin Luther, Jr.\r\nAU  - Gates, William Henry, III\r\nAU  - Doe, Jane\r\n" in text[".ris"]
    items = json.loads(text[".csl.json"])
    assert items[0]["author"][:2] == [{"family": "King", "given": "Martin Luther", "suffix": "Jr."},
                                      {"family": "Gates", "given": "William Henry", "suffix": "III"}]
    assert "suffix" not in items[0]["author"][2]
    ns = {"c": crossref_mapping.NSMAP[None]}
    deposit = etree.parse(str(out / "crossref.xml"))
    people = deposit.findall(".//c:contributors/c:person_name", ns)
    # person_name: given_name?, surname, suffix?, role*, affiliations?, ORCID?, alt-name?
    assert [etree.QName(child).localname for child in people[0]] == [
        "given_name", "surname", "suffix", "role", "affiliations", "ORCID"]
    assert [person.findtext("c:suffix", namespaces=ns) for person in people] == ["Jr.", "III", None]
    [article] = [path for path in out.glob("*.xml") if path.name != "crossref.xml"]
    names = etree.parse(str(article)).findall(".//contrib/name")
    # name: ((surname, given-names?) | given-names), prefix?, suffix?
    assert [[etree.QName(child).localname for child in name] for name in names] == [
        ["surname", "given-names", "suffix"], ["surname", "given-names", "suffix"], ["surname", "given-names"]]


def test_crossref_alt_names_carry_their_own_suffix_and_a_long_one_is_refused(tmp_path):
    text = MANIFEST.replace("{en: {family: Gates, given: William Henry, suffix: III}}",
                            "{en: {family: Gates, given: William Henry, suffix: III}, "
                            "ru: {family: Гейтс, given: Уильям Генри, suffix: Третий}}")
    issue, problems = biblio.loads(text)
    assert issue is not None, [str(p) for p in problems]
    data, problems = biblio.dumps(issue, "crossref")
    assert not [p for p in problems if p.severity == "error"]
    ns = {"c": crossref_mapping.NSMAP[None]}
    alt = etree.fromstring(data).find(".//c:person_name/c:alt-name/c:name", ns)
    assert [(etree.QName(child).localname, child.text) for child in alt] == [
        ("surname", "Гейтс"), ("given_name", "Уильям Генри"), ("suffix", "Третий")]
    assert not [p for p in biblio.validates(data, "crossref", strict=True) if p.severity == "error"]
    long_one, _ = biblio.loads(MANIFEST.replace("suffix: III", "suffix: the Third one"))
    assert long_one is not None
    _, checked = biblio.check(long_one)
    assert [(p.code, p.path) for p in checked if p.severity == "error"] == [
        ("crossref.too-long", "articles[0].contributors[1].names.en.suffix")]


def test_biblio_cite_gets_the_suffix():
    issue, _ = biblio.loads(MANIFEST)
    assert issue is not None
    [entry], problems = cite.cite(issue, style="chicago-author-date")
    assert not [p for p in problems if p.severity == "error"]
    assert "King, Martin Luther, Jr." in entry and "William Henry Gates III" in entry


# --- other tools' files ----------------------------------------------------------------------

def _read(tmp_path: Path, name: str, text: str, fmt) -> tuple[list[PersonName], list[biblio.Problem]]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    issue, problems = fmt.FORMAT.read(path)
    assert issue is not None, [str(p) for p in problems]
    return _names(issue), problems


def test_bibtex_reads_the_jr_part_of_every_form_into_the_suffix(tmp_path):
    names, problems = _read(tmp_path, "a.bib", "@article{a,\n  author = {von Hicks, III, Michael and "
                            "Martin Luther King, Jr. and van den Huevel, Jr., Johan A and King, Jr. and Doe, Jane},\n"
                            "  title = {Names}, journal = {J}, year = {2020},\n}\n", bibtex)
    assert names == [PersonName("von Hicks", "Michael", suffix="III"),
                     PersonName("King", "Martin Luther", suffix="Jr."),
                     PersonName("van den Huevel", "Johan A", suffix="Jr."),
                     PersonName("King", "Jr."),  # "Last, First" with nothing to tell: BibTeX's reading
                     PersonName("Doe", "Jane")]
    assert [p.code for p in problems if "suffix" in p.code] == ["bibtex.name-suffix"]  # only for the glued form


def test_a_one_name_person_with_a_suffix_survives_bibtex_and_ris(tmp_path):
    issue, _ = biblio.loads(MANIFEST.replace("{family: Doe, given: Jane}", "{family: Plato, suffix: II}"))
    assert issue is not None
    for fmt, name in ((bibtex, "x.bib"), (ris, "x.ris")):
        data, problems = biblio.dumps(issue, fmt.FORMAT.name)
        assert not [p for p in problems if p.severity == "error"]
        path = tmp_path / name
        path.write_text(data, encoding="utf-8", newline="")
        assert not [p for p in biblio.validate(path) if p.severity == "error"], data
        again, _ = fmt.FORMAT.read(path)
        assert again is not None and _names(again)[2] == PersonName("Plato", suffix="II"), name


def test_ris_reads_the_third_part_as_the_suffix(tmp_path):
    text = ("TY  - JOUR\r\nAU  - King, Martin Luther, Jr.\r\nAU  - Doe, Jane\r\nAU  - Smith, John, Jr., PhD\r\n"
            "TI  - Names\r\nT2  - J\r\nPY  - 2020\r\nER  - \r\n")
    names, problems = _read(tmp_path, "a.ris", text, ris)
    assert names == [PersonName("King", "Martin Luther", suffix="Jr."), PersonName("Doe", "Jane"),
                     PersonName("Smith", "John", suffix="Jr., PhD")]
    assert not _suffix_dropped(problems)


def test_ris_warns_of_a_given_name_with_a_comma(tmp_path):
    issue, _ = biblio.loads(MANIFEST.replace("given: Jane", "given: 'Jane, Mary'"))
    assert issue is not None
    _, problems = biblio.dumps(issue, "ris")
    assert [p.path for p in problems if p.code == "ris.name-comma"] == ["articles[0].contributors[2]"]


def test_csl_reads_the_suffix_of_an_article_and_reports_it_for_a_work(tmp_path):
    items = [{"id": "a", "type": "article-journal", "title": "Names", "container-title": "J",
              "issued": {"date-parts": [[2020]]},
              "author": [{"family": "King", "given": "Martin Luther", "suffix": "Jr."}, {"family": "Doe"}]},
             {"id": "b", "type": "book", "title": "A book", "author": [{"family": "Gates", "suffix": "III"}]}]
    path = tmp_path / "a.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    reading = csl.FORMAT.iter_read(path)
    articles = list(reading)
    assert [name for c in articles[0].contributors for name in c.names.values()] == [
        PersonName("King", "Martin Luther", suffix="Jr."), PersonName("Doe")]
    # a work's authors are "Family, Given" texts, without a suffix: said, not dropped silently
    assert [p.message.split("'")[1] for p in reading.problems if p.code == "csl.not-read"] == ["author.suffix"]


def test_jats_reads_the_suffix_of_a_name_and_of_a_string_name(tmp_path):
    text = """<?xml version="1.0" encoding="UTF-8"?>
<article xmlns:xlink="http://www.w3.org/1999/xlink" article-type="research-article" xml:lang="en">
<front><journal-meta><journal-title-group><journal-title>J</journal-title></journal-title-group>
<issn>2049-3630</issn></journal-meta>
<article-meta><article-id pub-id-type="doi">10.5555/x.1</article-id>
<title-group><article-title>Names</article-title></title-group>
<contrib-group>
<contrib contrib-type="author"><name><surname>King</surname><given-names>Martin Luther</given-names>
<suffix>Jr.</suffix></name></contrib>
<contrib contrib-type="author"><string-name>William Henry Gates <suffix>III</suffix></string-name></contrib>
<contrib contrib-type="author"><string-name>Doe, Jane</string-name></contrib>
</contrib-group>
<pub-date><year>2020</year></pub-date>
</article-meta></front></article>
"""
    names, problems = _read(tmp_path, "a.xml", text, jats)
    assert names == [PersonName("King", "Martin Luther", suffix="Jr."),
                     PersonName("Gates", "William Henry", suffix="III"), PersonName("Doe", "Jane")]
    assert not _suffix_dropped(problems)


def test_a_work_keeps_its_authors_suffix_with_the_family_name(tmp_path):
    """A work's authors are ``Reference.authors`` texts ("Family, Given"), which have no suffix part: the suffix stays
    in the text rather than being lost."""
    path = tmp_path / "w.bib"
    path.write_text("@book{b,\n  author = {King, Jr., Martin Luther and Doe, Jane},\n  title = {A book},\n"
                    "  publisher = {P}, year = {2000},\n}\n", encoding="utf-8")
    works, problems = biblio.load_works(path)
    assert [work.reference.authors for work in works] == [["King Jr., Martin Luther", "Doe, Jane"]]
    assert not _suffix_dropped(problems)
