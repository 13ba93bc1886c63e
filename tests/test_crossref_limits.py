"""The Crossref schema's length and pattern facets: ``check`` refuses what ``build`` would (issue 20, FUZZ.md #1-#11).

``require.FACETS`` is a table; the first test reads the facets of every element of a rich deposit from the pinned
official XSD and asserts the table equals them, so the numbers cannot drift from the schema.
"""

from __future__ import annotations

import json
import re

import pytest
import yaml
from lxml import etree

import biblio
from biblio import schemas
from biblio.formats import crossref
from biblio.formats.crossref import mapping, require

RICH = """\
biblio: 1
journal:
  language: en
  titles: {en: Journal of Tests, kk: Сынақ журналы}
  abbreviation: J. Tests
  doi_prefix: '10.5555'
  issns: [{value: 2049-3630, media: electronic}]
issue:
  year: 2025
  volume: '4'
  number: '2'
  doi: 10.5555/jt.2025.2
  published: 2025-06-30
  doi_pattern: '{prefix}/jt.{year}.{number}.{seq:03}'
settings:
  depositor: {name: Ann Editor, email: ann@example.org}
  registrant: Test Press
  landing_page_pattern: 'https://example.org/{suffix}'
articles:
  - language: en
    titles: {en: A first article, ru: Первая статья}
    abstracts: {en: What was found.}
    contributors:
      - names: {en: {given: Priya, family: Natarajan, suffix: Jr.}, ru: {given: Прия, family: Натараджан, suffix: мл.}}
        orcid: 0000-0002-1825-0097
        affiliations: [{name: {en: University of Tests}, ror: 'https://ror.org/05dxps055'}]
      - organization: {en: The Test Consortium}
    pages: {first: '9', last: '22'}
    dates: {published: 2025-06-01, accepted: 2025-03-01}
    license: {url: 'https://creativecommons.org/licenses/by/4.0/', start: 2025-06-01}
    funding: [{funder: {en: Science Fund}, awards: [AP-123]}]
    references:
      - {text: 'Doe J. A cited work. J Other. 2019;5(2):1-9.', doi: 10.5555/abc, authors: [Doe J], title: A cited work,
         container: J Other, year: '2019', volume: '5', issue: '2', pages: 1-9}
  - language: kk
    titles: {kk: Екінші мақала, en: A second article}
    url: https://example.org/second
    contributors:
      - names: {kk: {given: Әйгерім, family: Сейітова}}
    pages: {article_number: e7}
    pmid: '31452104'
"""
NS = {prefix or "c": uri for prefix, uri in mapping.NSMAP.items()}
PREFIXES = {uri: prefix for prefix, uri in NS.items()}
MADE_BY_THE_WRITER = {"head/doi_batch_id"}  # "biblio-<year>-…-<timestamp>", cut to 100 characters


def _facets(declaration) -> require.Facets | None:
    """The length and pattern facets of a declaration's simple type, through its whole derivation."""
    kind = declaration.type
    simple = kind if kind.is_simple() else kind.content if kind.has_simple_content() else None
    found: dict[str, object] = {}
    patterns: list[str] = []
    step = simple
    while step is not None and not (step.name or "").startswith("{http://www.w3.org/2001/XMLSchema}"):
        for name, facet in (step.facets or {}).items():
            local = (name or "").rpartition("}")[2]
            if local in ("minLength", "maxLength", "length"):
                found.setdefault(local, facet.value)
            elif local == "pattern":
                patterns += facet.regexps
        step = step.base_type
    if not found and not patterns:
        return None
    assert "length" not in found and len(patterns) <= 1
    return require.Facets(found.get("minLength", 0), found.get("maxLength"), simple.white_space == "collapse",
                          patterns[0] if patterns else None)


def test_the_facets_table_is_the_pinned_schema(tmp_path):
    issue, problems = biblio.loads(RICH)
    assert issue is not None, problems
    report = biblio.export(issue, "crossref", tmp_path / "crossref.xml")
    assert not [p for p in report.problems if p.severity == "error"]
    schema = schemas.crossref_schema()
    tree = etree.parse(str(tmp_path / "crossref.xml"))
    seen: dict[str, require.Facets] = {}
    for element in tree.getroot().iter(etree.Element):
        steps = [element, *element.iterancestors()][::-1]
        names = [f"{PREFIXES[etree.QName(e).namespace]}:{etree.QName(e).localname}" for e in steps]
        declaration = schema.find("/" + "/".join(names), NS)
        assert declaration is not None, names
        facets = _facets(declaration)
        if facets is not None:
            seen["/".join(etree.QName(e).localname for e in steps[1:])] = facets
    for key in MADE_BY_THE_WRITER:
        seen.pop(key)
    assert {key: (f.min, f.max, f.collapse, f.pattern) for key, f in seen.items()} == {
        key: (f.min, f.max, f.collapse, f.pattern) for key, f in require.FACETS.items()}
    year = schema.find("/c:doi_batch/c:body/c:journal/c:journal_issue/c:publication_date/c:year", NS).type
    assert (year.min_value, year.max_value) == (require.YEARS[0], require.YEARS[-1])


def _set(data: dict, path: str, value: object) -> None:
    keys = [int(k) if k.isdigit() else k for k in path.split(".")]
    for key in keys[:-1]:
        data = data[key]
    data[keys[-1]] = value


def _text(n: int) -> str:
    return "x" * n


def _url(n: int) -> str:
    return "https://e.org/" + "x" * (n - len("https://e.org/"))


A, C = "articles.0", "articles.0.contributors.0"
# (manifest field, value, code expected from check and build at the problem's path (None: accepted), problem path)
CASES = [
    ("settings.depositor.name", _text(131), "crossref.too-long", "settings.depositor.name"),
    ("settings.depositor.name", _text(130), None, "settings.depositor.name"),
    ("settings.depositor.name", "\x01", "manifest.empty", "settings.depositor.name"),
    ("settings.depositor.email", "a" * 195 + "@x.org", "crossref.too-long", "settings.depositor.email"),
    ("settings.depositor.email", "a@b.c", "crossref.too-short", "settings.depositor.email"),
    ("settings.registrant", _text(256), "crossref.too-long", "settings.registrant"),
    ("settings.registrant", _text(255), None, "settings.registrant"),
    ("journal.titles.en", _text(256), "crossref.too-long", "journal.titles.en"),
    ("journal.abbreviation", _text(151), "crossref.too-long", "journal.abbreviation"),
    ("issue.volume", _text(33), "crossref.too-long", "issue.volume"),
    ("issue.number", _text(33), "crossref.too-long", "issue.number"),
    ("issue.doi", "10.5555/" + _text(201), "crossref.pattern", "issue.doi"),
    ("settings.landing_page_pattern", _url(2049 - len("jt.2025.2.001")) + "{suffix}", "crossref.too-long",
     "settings.landing_page_pattern"),
    (f"{A}.url", _url(2049), "crossref.too-long", f"{A}.url"),
    (f"{A}.url", _url(2048), None, f"{A}.url"),
    (f"{A}.url", "mailto:ann@example.org", "crossref.pattern", f"{A}.url"),
    (f"{A}.doi", "10.5555/" + _text(201), "crossref.pattern", f"{A}.doi"),
    (f"{A}.doi", "10.5555/" + _text(200), None, f"{A}.doi"),
    (f"{C}.names.en.given", _text(201), "crossref.too-long", f"{C}.names.en.given"),
    (f"{C}.names.en.given", _text(200), None, f"{C}.names.en.given"),
    (f"{C}.names.en.family", _text(201), "crossref.too-long", f"{C}.names.en.family"),
    (f"{C}.names.en.family", "\x00", "manifest.empty", f"{C}.names.en.family"),
    (f"{C}.names.en.family", " \t ", "manifest.empty", f"{C}.names.en.family"),
    (f"{C}.names.en.family", "N" + " " * 300 + "atarajan", None, f"{C}.names.en.family"),  # collapsed: 10
    (f"{C}.names.ru.family", "я" * 201, "crossref.too-long", f"{C}.names.ru.family"),  # alt-name
    (f"{C}.names.ru.given", "я" * 201, "crossref.too-long", f"{C}.names.ru.given"),
    (f"{C}.names.en.suffix", _text(11), "crossref.too-long", f"{C}.names.en.suffix"),
    (f"{C}.names.en.suffix", _text(10), None, f"{C}.names.en.suffix"),
    (f"{C}.names.ru.suffix", "я" * 11, "crossref.too-long", f"{C}.names.ru.suffix"),  # alt-name
    (f"{C}.affiliations.0.name.en", _text(1025), "crossref.too-long", f"{C}.affiliations.0.name.en"),
    ("articles.0.contributors.1.organization.en", _text(512), "crossref.too-long",
     "articles[0].contributors[1].organization.en"),
    (f"{A}.pages.first", _text(33), "pages.length", f"{A}.pages"),
    (f"{A}.pages.first", _text(32), None, f"{A}.pages"),
    (f"{A}.pages.last", "\x00", "manifest.empty", f"{A}.pages.last"),
    ("articles.1.pages.article_number", _text(33), "pages.length", "articles.1.pages"),
    (f"{A}.license.url", "http://a", "crossref.too-short", f"{A}.license.url"),
    (f"{A}.license.url", "urn:isbn:0451450523", "crossref.pattern", f"{A}.license.url"),
    (f"{A}.references.0.volume", _text(33), "crossref.too-long", f"{A}.references.0.volume"),
    (f"{A}.references.0.issue", _text(33), "crossref.too-long", f"{A}.references.0.issue"),
    (f"{A}.references.0.pages", _text(33), "crossref.too-long", f"{A}.references.0.pages"),
    (f"{A}.references.0.doi", "10.5555/" + _text(201), "crossref.pattern", f"{A}.references.0.doi"),
    (f"{A}.dates.accepted", "1399-01-01", "crossref.year", f"{A}.dates.accepted"),
    ("issue.published", "2201-01-01", "crossref.year", "issue.published"),
]


def _problem_path(path: str) -> str:
    return re.sub(r"\.(\d+)(?=\.|$)", r"[\1]", path)


@pytest.mark.parametrize(("field", "value", "code", "path"), CASES,
                         ids=[f"{field}={value[:12]!r}…{len(value)}" for field, value, *_ in CASES])
def test_check_and_build_refuse_what_the_schema_refuses(tmp_path, field, value, code, path):
    data = yaml.safe_load(RICH)
    _set(data, field, value)
    manifest = tmp_path / "issue.json"
    manifest.write_text(json.dumps(data, default=str), encoding="utf-8")
    at = _problem_path(path)

    def codes(problems) -> set[str]:
        return {p.code for p in problems if p.severity == "error" and p.path == at}

    _, checked = biblio.check(manifest)
    if code is None:
        assert not codes(checked), [str(p) for p in checked if p.severity == "error"]
        assert not [p for p in checked if p.severity == "error" and p.code.startswith("crossref.")]
        return
    assert codes(checked) == {code}, [str(p) for p in checked if p.severity == "error"]
    report = biblio.build(manifest, tmp_path / "out")
    assert codes(report.problems) == {code}
    assert not (tmp_path / "out" / mapping.FILE_NAME).exists()


def test_identifiers_set_in_code_are_held_to_the_schema_patterns():
    """ISSNs, ORCID iDs and ROR IDs reach a writer normalised by the manifest reader; one set on a model by code
    after that is still refused before any XML."""
    issue, _ = biblio.loads(RICH)
    assert crossref.FORMAT.check(issue) == []
    issue.articles[0].contributors[0].orcid = "0000-0002-1825-009"
    issue.articles[0].contributors[0].affiliations[0].ror = "https://ror.org/" + "0" * 50
    issue.journal.issns[0].value = "2049-36301"
    assert [(p.code, p.path) for p in crossref.FORMAT.check(issue)] == [
        ("crossref.too-long", "journal.issns[0].value"),
        ("crossref.pattern", "articles[0].contributors[0].affiliations[0].ror"),
        ("crossref.pattern", "articles[0].contributors[0].orcid")]
