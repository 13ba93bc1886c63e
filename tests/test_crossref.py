"""Crossref deposit 5.5.0: content, schema validity, golden file, errors an editor can act on."""

import dataclasses
import datetime
import itertools
import json
import re
from pathlib import Path

import pytest
from lxml import etree
from regen_golden import CROSSREF_GOLDEN as GOLDEN
from regen_golden import crossref_deposit as deposit
from regen_golden import golden_crossref as golden_bytes

import biblio
from biblio import api, cli, formats, lint, manifest
from biblio.formats import crossref, xmltools
from biblio.model import LangText, Pages, PersonName, Reference

NS = {"c": crossref.NS, "jats": crossref.JATS, "fr": crossref.FR, "ai": crossref.AI}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def example():
    from conftest import EXAMPLE
    issue, _ = biblio.load(EXAMPLE)
    return issue


@pytest.fixture(scope="module")
def deposit_tree(example):
    return etree.fromstring(golden_bytes(example))


def test_golden_file_is_current_and_valid(example):
    assert golden_bytes(example) == GOLDEN.read_bytes(), "run `make golden` and review the diff"
    assert crossref.validate(GOLDEN) == []


def test_every_article_with_its_doi_titles_and_abstracts(deposit_tree):
    articles = deposit_tree.findall(".//c:journal_article", NS)
    assert len(articles) == 10
    dois = [a.findtext("c:doi_data/c:doi", namespaces=NS) for a in articles]
    assert dois == [f"10.52536/2788-5860.2025.86.2.{n:03d}" for n in range(1, 11)]
    assert [len(a.findall("c:titles", NS)) for a in articles] == [3, 2, 3, 3, 3, 1, 2, 3, 2, 1]
    assert [a.get("language") for a in articles] == ["kk", "en", "kk", "kk", "en", "kk", "en", "kk", "kk", "en"]
    first = articles[0]
    assert first.findtext("c:titles/c:title", namespaces=NS).startswith("МӘДЕНИ БІРЕГЕЙЛІК")  # original first
    assert [a.get(XML_LANG) for a in first.findall("jats:abstract", NS)] == ["kk", "ru", "en"]
    second_abstract = articles[1].find("jats:abstract", NS)
    assert len(second_abstract.findall("jats:p", NS)) == 3  # paragraphs kept


def test_names_latin_first_with_cyrillic_alt_names(deposit_tree):
    person = deposit_tree.find(".//c:journal_article/c:contributors/c:person_name", NS)
    assert person.get("sequence") == "first" and person.get("contributor_role") == "author"
    assert (person.findtext("c:given_name", namespaces=NS), person.findtext("c:surname", namespaces=NS)) == (
        "Murat", "Nassimov")
    alt = person.find("c:alt-name/c:name", NS)
    assert alt.get("language") == "ru" and alt.findtext("c:surname", namespaces=NS) == "Насимов"
    languages = {n.get("language") for n in deposit_tree.iterfind(".//c:alt-name/c:name", NS)}
    assert languages == {"ru"}  # articles 5 and 7 print kk and ru names only: kk is the main one there
    fifth = deposit_tree.findall(".//c:journal_article", NS)[4].find("c:contributors/c:person_name", NS)
    assert fifth.findtext("c:surname", namespaces=NS) == "Якасай"


def test_missing_latin_spelling_is_reported(example):
    _, problems = deposit(example, timestamp=1)
    note = next(p for p in problems if p.code == "crossref.no-latin-name")
    assert "articles 2, 5, 7, 10" in note.message  # names printed in Cyrillic only


def test_funding_awards(deposit_tree):
    awards = [a.text for a in deposit_tree.iterfind(".//fr:assertion[@name='award_number']", NS)]
    assert awards == ["AP19677146", "AP26199617", "BR21882308", "BR21882308", "AP23488744", "BR24993082",
                      "BR21882428"]


def test_what_the_deposit_cannot_carry_is_reported(example):
    _, problems = deposit(example, timestamp=1)
    messages = " ".join(p.message for p in problems if p.code == "crossref.not-carried")
    for what in ("keywords", "funding statements", "whole number", "in-text citation numbers"):
        assert what in messages
    assert any(p.code == "crossref.date-from-issue" for p in problems)
    assert any(p.code == "crossref.funding-empty" and p.path == "articles[2].funding[0]" for p in problems)


def test_subset_of_articles(example):
    data, problems = deposit(example, [7], timestamp=2)  # the build hands the writer the articles chosen
    tree = etree.fromstring(data)
    assert [d.text for d in tree.iterfind(".//c:journal_article/c:doi_data/c:doi", NS)] == [
        "10.52536/2788-5860.2025.86.2.008"]
    assert "example.org/journal/articles/2788-5860.2025.86.2.008" in data.decode()
    assert "(article 8)" in " ".join(p.message for p in problems)  # notes count articles as in the issue


def test_missing_depositor_and_landing_page_are_errors(minimal_text):
    issue, _ = manifest.loads(minimal_text)
    data, problems = deposit(issue, timestamp=1)
    assert data is None
    assert {p.code for p in problems if p.severity == "error"} == {
        "crossref.depositor-missing", "crossref.registrant-missing", "crossref.url-missing"}


def test_markup_characters_are_escaped_and_valid(tmp_path, example):
    article = example.articles[0]
    original = article.titles.texts["en"]
    article.titles.texts["en"] = 'Tom & Jerry <b>"quoted"</b> \x0b'
    try:
        data, problems = deposit(example, timestamp=5)
    finally:
        article.titles.texts["en"] = original
    assert b"Tom &amp; Jerry &lt;b&gt;" in data
    assert any(p.code == "xml.illegal-character" for p in problems)
    path = tmp_path / "d.xml"
    path.write_bytes(data)
    assert crossref.validate(path) == []


def test_references_become_citations(tmp_path, example):
    article = example.articles[0]
    article.references = [Reference(text="Иванов И. Книга. Алматы, 2020.", label="1", doi="10.1234/abc",
                                    type="book", year="2020"),
                          Reference(text="Smith J. Paper & more. J. Tests 3(2): 5-9.", type="article")]
    try:
        data, problems = deposit(example, timestamp=6)
    finally:
        article.references = []
    tree = etree.fromstring(data)
    citations = tree.findall(".//c:citation", NS)
    assert [c.get("key") for c in citations] == ["ref1", "ref2"]
    assert citations[0].get("type") == "book" and citations[0].findtext("c:doi", namespaces=NS) == "10.1234/abc"
    assert citations[1].get("type") is None  # 'article' is not a Crossref type: reported, not guessed
    assert any(p.code == "crossref.citation-type" for p in problems)
    path = tmp_path / "refs.xml"
    path.write_bytes(data)
    assert crossref.validate(path) == []


def broken_copy(tmp_path: Path, old: str, new: str) -> Path:
    text = GOLDEN.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "broken.xml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_schema_errors_give_line_and_element_path(tmp_path):
    path = broken_copy(tmp_path, "<doi>10.52536/2788-5860.2025.86.2.005</doi>",
                       "<doi>https://doi.org/10.52536/2788-5860.2025.86.2.005</doi>")
    problems = crossref.validate(path)
    assert len(problems) >= 1
    problem = problems[0]
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if "https://doi.org/10.52536" in text)
    assert problem.code == "crossref.schema" and problem.line == line
    assert problem.path.startswith("/doi_batch/body/journal/journal_article[5]/doi_data/doi")


def test_assert_rule_is_checked(tmp_path):
    path = broken_copy(tmp_path, '<person_name sequence="first" contributor_role="author">',
                       '<person_name sequence="first">')
    problems = crossref.validate(path)
    assert problems and "person_name" in problems[0].path


def test_not_well_formed_and_wrong_version(tmp_path):
    path = tmp_path / "bad.xml"
    path.write_text("<doi_batch xmlns='http://www.crossref.org/schema/5.5.0'><head></doi_batch>")
    assert crossref.validate(path)[0].code == "xml.syntax"
    path.write_text("<doi_batch xmlns='http://www.crossref.org/schema/5.3.1' version='5.3.1'/>")
    assert crossref.validate(path)[0].code == "crossref.version"


def test_xml_is_read_without_entities(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    path = tmp_path / "evil.xml"
    path.write_text(f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM "file://{secret}">'
                    '<!ENTITY i "inner">]>'
                    '<doi_batch xmlns="http://www.crossref.org/schema/5.5.0">&e;&i;</doi_batch>')
    tree, problems = xmltools.read_xml(path)
    assert problems == []
    text = etree.tostring(tree, encoding="unicode")
    assert "TOP-SECRET" not in text and "inner" not in text  # neither entity was expanded
    assert crossref.validate(path)  # and the file is still reported invalid


def test_validate_command_on_a_broken_deposit(capsys, tmp_path):
    path = broken_copy(tmp_path, "<year>2025</year>", "<year>twenty</year>")
    code = cli.main(["validate", str(path), str(GOLDEN)])
    out, err = capsys.readouterr()  # results on standard output, problems on standard error
    assert code == 1
    assert f"{path}:" in err and "crossref.schema" in err and f"{path}: INVALID" in out
    assert f"{GOLDEN}: valid" in out


def test_export_command_writes_a_valid_deposit(capsys, tmp_path, example_path):
    target = tmp_path / "deposit.xml"
    code = cli.main(["export", str(example_path), "--to", "crossref", "-o", str(target)])
    out = capsys.readouterr().out
    assert code == 0 and target.is_file() and "(valid)" in out
    assert crossref.validate(target) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deposit.xml"]  # no staging left behind


class _Corrupting:
    """An ``Output`` whose files get their first ``<year>2025</year>`` written as ``<year>25</year>``."""

    def __init__(self, output):
        self.output = output

    def open(self, name):
        stream = self.output.open(name)
        write, done = stream.write, []

        def corrupt(data):
            if not done and b"<year>2025</year>" in data:
                done.append(True)
                data = data.replace(b"<year>2025</year>", b"<year>25</year>", 1)
            return write(data)

        stream.write = corrupt
        return stream


@pytest.fixture
def corrupting_crossref():
    original = crossref.FORMAT
    broken = dataclasses.replace(original, writer=lambda issue, output, lang=None: original.writer(
        issue, _Corrupting(output), lang))
    formats.register(broken, replace=True)
    try:
        yield
    finally:
        formats.register(original, replace=True)


def test_export_refuses_to_leave_an_invalid_file(tmp_path, example_path, corrupting_crossref):
    target = tmp_path / "deposit.xml"
    report = api.export(example_path, "crossref", target)
    assert not report.ok and not target.exists()
    assert any(p.code == "crossref.schema" and p.file == str(target) for p in report.problems)
    report = api.export(example_path, "crossref", target, validate=False)
    assert target.exists()


def test_timestamp_must_be_newer_than_a_previous_deposit(tmp_path, example):
    old, new = tmp_path / "old.xml", tmp_path / "new.xml"
    old.write_bytes(deposit(example, timestamp=200)[0])
    new.write_bytes(deposit(example, timestamp=100)[0])
    assert [p.code for p in crossref.compare_with_previous(new, old)] == ["crossref.timestamp"]
    assert crossref.compare_with_previous(old, new) == []
    other = tmp_path / "other.xml"
    other.write_bytes(deposit(example, [0], timestamp=50)[0])
    alone = tmp_path / "alone.xml"
    alone.write_bytes(deposit(example, [1], timestamp=10)[0])
    assert crossref.compare_with_previous(alone, other) == []  # no DOI in common


def test_timestamps_increase_and_have_at_most_17_digits():
    stamps = [crossref.next_timestamp() for _ in range(50)]  # many within one millisecond
    assert all(later > earlier for earlier, later in itertools.pairwise(stamps))
    assert all(len(str(stamp)) == 17 for stamp in stamps)  # YYYYMMDDhhmmssSSS, what Crossref and OJS write
    now = datetime.datetime.now(datetime.UTC)
    stamped = datetime.datetime.strptime(str(stamps[0])[:14], "%Y%m%d%H%M%S").replace(tzinfo=datetime.UTC)
    assert abs((now - stamped).total_seconds()) < 60


def test_a_previous_19_digit_deposit_is_explained(tmp_path, example):
    old, new = tmp_path / "old.xml", tmp_path / "new.xml"
    old.write_bytes(deposit(example, timestamp=2026120414271714252)[0])
    new.write_bytes(deposit(example)[0])
    [problem] = crossref.compare_with_previous(new, old)
    assert problem.code == "crossref.timestamp" and "19 digits" in problem.message
    assert "Crossref support" in problem.message


# --- pre-deposit lint ---------------------------------------------------------------------

def test_name_rules(minimal_text):
    issue, _ = manifest.loads(minimal_text)
    from biblio.model import Contributor
    issue.articles[0].contributors = [Contributor(names={"en": PersonName("Lee", "Ann")})]
    assert lint.names_for_crossref(issue) == []
    issue.articles[0].contributors[0].names["en"] = PersonName("Lee", "Ann2?")
    assert [p.code for p in lint.names_for_crossref(issue)] == ["crossref.name-characters"]
    issue.articles[0].contributors[0].names["en"] = PersonName("L" * 61, "Ann")
    assert [p.code for p in lint.names_for_crossref(issue)] == ["crossref.name-length"]


@pytest.mark.parametrize("pages, code", [
    (Pages("9", "22"), None), (Pages("iv", "x"), None), (Pages(article_number="e12"), None),
    (Pages("9-22"), "pages.range-in-first"), (Pages(None, "22"), "pages.last-without-first"),
    (Pages("22", "9"), "pages.order"), (Pages("1" * 33), "pages.length"),
])
def test_page_rules(minimal_text, pages, code):
    issue, _ = manifest.loads(minimal_text)
    issue.articles[0].pages = pages
    assert [p.code for p in lint.pages(issue)] == ([code] if code else [])


def test_title_count_rule(minimal_text):
    issue, _ = manifest.loads(minimal_text)
    assert lint.title_count(issue) == []
    issue.articles[0].titles = LangText({f"l{chr(97 + n // 26)}{chr(97 + n % 26)}": "t" for n in range(21)}, None)
    assert [p.code for p in lint.title_count(issue)] == ["titles.too-many"]


def test_a_deposit_older_than_the_previous_one_is_not_written(tmp_path, example_path, example):
    previous = tmp_path / "previous.xml"
    previous.write_bytes(deposit(example, timestamp=99999999999999999999)[0])
    target = tmp_path / "new.xml"
    report = api.export(example_path, "crossref", target, previous=previous)
    assert not report.ok and not target.exists()
    assert [p.code for p in report.problems if p.severity == "error"] == ["crossref.timestamp"]
    report = api.export(example_path, "crossref", target, previous=tmp_path / "missing.xml")
    assert not target.exists() and "crossref.previous-missing" in {p.code for p in report.problems}
    previous.write_bytes(deposit(example, timestamp=20200101000000000)[0])
    assert api.export(example_path, "crossref", target, previous=previous).ok and target.exists()


def test_unwritable_output_is_a_problem(tmp_path, example_path):
    report = api.export(example_path, "crossref", tmp_path)  # a folder, not a file
    assert [p.code for p in report.problems if p.severity == "error"] == ["output.io"]
    blocker = tmp_path / "file"
    blocker.write_text("x")
    report = api.build(example_path, blocker / "out")
    assert "output.io" in {p.code for p in report.problems}


def test_unvalidated_files_are_not_called_valid(capsys, tmp_path, example_path):
    code = cli.main(["export", str(example_path), "--to", "crossref", "-o", str(tmp_path / "d.xml"),
                     "--no-validate", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["files"][0]["valid"] is None


def test_writer_problems_point_into_the_manifest(tmp_path, example_path):
    report = api.export(example_path, "crossref", tmp_path / "d.xml")
    empty = next(p for p in report.problems if p.code == "crossref.funding-empty")
    assert empty.file == str(example_path) and empty.line is not None


def test_values_the_deposit_schema_refuses_are_errors_of_check_and_of_the_writer(minimal_text, tmp_path):
    issue, _ = manifest.loads(minimal_text + "settings:\n  depositor: {name: D, email: d@example.org}\n"
                              "  registrant: R\n  landing_page_pattern: 'https://example.org/{doi}'\n")
    assert crossref.FORMAT.check(issue) == []
    issue.volume = "v" * 33
    issue.year = 1399
    issue.articles[0].references = [Reference(text="x", issue="i" * 33)]
    expected = [("crossref.too-long", "issue.volume"), ("crossref.year", "issue.year"),
                ("crossref.too-long", "articles[0].references[0].issue")]
    assert [(p.code, p.path) for p in crossref.FORMAT.check(issue)] == expected
    assert all(p.severity == "error" for p in crossref.FORMAT.check(issue))
    report = api.export(issue, "crossref", tmp_path / "d.xml")
    assert not (tmp_path / "d.xml").exists()
    assert [(p.code, p.path) for p in report.problems if p.severity == "error"] == expected


def test_check_gives_the_verdict_of_build(tmp_path, minimal_text):
    """A manifest without publisher settings: check reports what the deposit writer will refuse."""
    path = tmp_path / "issue.yaml"
    path.write_text(minimal_text, encoding="utf-8")
    _, checked = api.check(path)
    built = api.build(path, tmp_path / "out")
    errors = lambda problems: sorted((p.code, p.path or "") for p in problems if p.severity == "error")  # noqa: E731
    assert errors(checked) == errors(built.problems)
    assert ("crossref.depositor-missing", "settings.depositor") in errors(checked)


def test_strict_and_default_validation_agree_on_a_broken_deposit(capsys, tmp_path):
    path = broken_copy(tmp_path, '<person_name sequence="first" contributor_role="author">',
                       '<person_name sequence="first">')
    assert cli.main(["validate", str(path)]) == 1
    fast = capsys.readouterr().err
    assert cli.main(["validate", "--strict", str(path)]) == 1
    strict = capsys.readouterr().err
    assert "person_name" in fast and "person_name" in strict


# --- validation: default (derived XSD 1.0 + Python, streamed) and strict (official XSD 1.1) -----

GOLDEN_TEXT = GOLDEN.read_text(encoding="utf-8") if GOLDEN.exists() else ""
PERSON = '<person_name sequence="first" contributor_role="author">'
SURNAME = "<surname>Nassimov</surname>"
ABSTRACT = '<jats:abstract xml:lang="en">'
ARTICLES = re.findall(r"      <journal_article .*?</journal_article>\n", GOLDEN_TEXT, flags=re.DOTALL)
METADATA = re.search(r"      <journal_metadata.*?</journal_metadata>\n", GOLDEN_TEXT, flags=re.DOTALL).group(0)
ISSUE = re.search(r"      <journal_issue>.*?</journal_issue>\n", GOLDEN_TEXT, flags=re.DOTALL).group(0)


def variant(old: str, new: str, text: str = GOLDEN_TEXT) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def in_abstract(inner: str) -> str:
    return variant(ABSTRACT, f"{ABSTRACT}<jats:p>{inner}</jats:p>")


def licence(start_date: str) -> str:
    return variant("<doi_data>", '<ai:program name="AccessIndicators"><ai:license_ref applies_to="vor" '
                   f'start_date="{start_date}">https://creativecommons.org/licenses/by/4.0/</ai:license_ref>'
                   "</ai:program><doi_data>")


def both(tmp_path: Path, text: str) -> tuple[list, list]:
    path = tmp_path / "deposit.xml"
    path.write_text(text, encoding="utf-8")
    return crossref.validate(path), crossref.validate(path, strict=True)


FIRST, SECOND = ARTICLES[0], ARTICLES[1]
# Where articles stand: each is validated alone, then the document around stand-ins for them.
PLACES = {
    "an article before the journal's metadata": (False, GOLDEN_TEXT.replace(FIRST, "", 1).replace(
        METADATA, FIRST + METADATA, 1)),
    "the issue after the articles": (False, GOLDEN_TEXT.replace(ISSUE, "", 1).replace("    </journal>",
                                                                                     ISSUE + "    </journal>")),
    "text between articles": (False, GOLDEN_TEXT.replace(SECOND, "stray text" + SECOND, 1)),
    "an article directly in the body": (False, GOLDEN_TEXT.replace("  </body>", FIRST + "  </body>")),
    "an article inside an article": (False, GOLDEN_TEXT.replace(FIRST, FIRST.replace(
        "</journal_article>", SECOND + "</journal_article>"), 1)),
    "the same ID in two articles": (False, GOLDEN_TEXT.replace("<jats:p>", '<jats:p id="same">', 2)),
    "two journals, each with articles": (True, GOLDEN_TEXT.replace(
        SECOND, "    </journal>\n    <journal>\n" + METADATA + SECOND, 1)),
    "a comment and a processing instruction between articles": (True, GOLDEN_TEXT.replace(
        SECOND, "<!-- c --><?pi x?>\n" + SECOND, 1)),
    "an ID and a reference to it in different articles": (True, GOLDEN_TEXT.replace(
        FIRST, FIRST.replace("<jats:p>", '<jats:p><jats:xref rid="n1">1</jats:xref>', 1), 1).replace(
        SECOND, SECOND.replace("<jats:p>", '<jats:p id="n1">', 1), 1)),
    "no articles at all": (True, "".join(GOLDEN_TEXT.split("".join(ARTICLES)))),
}


@pytest.mark.parametrize("name", sorted(PLACES))
def test_default_and_strict_agree_wherever_articles_stand(tmp_path, name):
    valid, text = PLACES[name]
    default, strict = both(tmp_path, text)
    assert (default == [], strict == []) == (valid, valid), [str(p) for p in default[:2] + strict[:2]]
    if not valid:
        assert default[0].line and default[0].path.startswith("/doi_batch")


BROKEN = {
    "assert: a person without contributor_role or role": variant(PERSON, '<person_name sequence="first">'),
    "assert: a CRediT type in the Crossref vocabulary": variant(SURNAME, SURNAME + '<role vocab="crossref" '
                                                                'type="software"/>'),
    "an unknown element": variant(SURNAME, SURNAME + "<nickname>M</nickname>"),
    "an invalid language attribute": variant('language="kk">', 'language="xx">'),
    "a bad licence date (29 February 2023)": licence("2023-02-29"),
    "a dangling IDREF in an abstract": in_abstract('<jats:xref rid="nowhere">1</jats:xref>'),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_deposit_is_refused_by_default_and_strict(tmp_path, name):
    default, strict = both(tmp_path, BROKEN[name])
    assert default and strict
    assert {p.code for p in default} == {"crossref.schema"}
    assert all(p.line and p.path and p.file == str(tmp_path / "deposit.xml") for p in default)


def test_valid_by_xsd_11_rules(tmp_path):
    """What XSD 1.1 allows and XSD 1.0 (libxml2) would not: year 0000, any string as anyURI."""
    for text in (licence("0000-02-29"), licence(" 2025-06-30 "),
                 in_abstract('See <jats:xref ref-type="fn" rid="f1">1</jats:xref>'
                             '<jats:named-content content-type="t" id="f1">a</jats:named-content>')):
        assert both(tmp_path, text) == ([], [])


def test_messages_name_the_rule_and_read_like_the_strict_ones(tmp_path):
    default, _ = both(tmp_path, BROKEN["assert: a CRediT type in the Crossref vocabulary"])
    assert "'software' is not in the 'crossref' vocabulary" in default[0].message and "translator" in default[0].message
    default, _ = both(tmp_path, variant('<issn media_type="print">', '<issn media_type="paper">'))
    assert default[0].message.startswith("attribute media_type: [facet 'enumeration'] The value 'paper'")
    assert "{http" not in default[0].message and default[0].message.endswith("(in <issn>)")
    default, _ = both(tmp_path, BROKEN["a bad licence date (29 February 2023)"])
    assert "<class" not in default[0].message and "xs:date" in default[0].message  # issue 20


def test_problems_are_in_document_order_and_capped(tmp_path):
    citations = "".join(f'<citation key="k{n}"><doi>not a DOI {n}</doi></citation>' for n in range(250))
    text = variant("</doi_data>\n      </journal_article>", f"</doi_data><citation_list>{citations}</citation_list>"
                   "</journal_article>").replace(PERSON, '<person_name sequence="first">', 1)
    path = tmp_path / "deposit.xml"
    path.write_text(text, encoding="utf-8")
    problems = crossref.validate(path)
    assert len(problems) == 200 and "person_name" in problems[0].path
    assert [p.line for p in problems] == sorted(p.line for p in problems)


@pytest.mark.parametrize("old, new", [
    ("<year>2025</year>", "<year>２０２５</year>"),  # full-width digits: Python's int() reads them (FUZZ.md #12)
    ("<year>2025</year>", "<year>٢٠٢٥</year>"),  # Arabic-Indic digits
    ("<year>2025</year>", "<year>2_025</year>"),  # int() reads digits grouped with '_'
    ("<year>2025</year>", "<year>２５</year>"),  # and out of range: one problem, as by default
    ("<timestamp>20250101000000</timestamp>", "<timestamp>２０２５０１０１０００００００</timestamp>"),
])
def test_numbers_that_only_python_reads_are_refused_by_both_paths(tmp_path, old, new):
    """XSD's integers and decimals are written with the digits 0-9 (XSD 1.1 part 2, 3.3.3 and 3.4.13: the lexical
    space of xs:decimal, xs:integer and the types derived from them); no pattern facet is involved, so Unicode digits
    are refused whatever XSD regexes' \\d means. xmlschema reads them with int(); the strict path refuses them first."""
    default, strict = both(tmp_path, variant(old, new))
    assert [(p.path, p.line) for p in default] == [(p.path, p.line) for p in strict] != []
    value = new.split(">")[1].split("<")[0]
    assert [p.message for p in default] == [p.message for p in strict]
    assert f"'{value}' is not a valid value of the atomic type" in strict[0].message
    assert "digits 0-9" in strict[0].message


def test_a_deposit_cut_short_is_a_problem_not_a_traceback(tmp_path):
    """Issue 20: a deposit cut inside ``<doi_batch`` gave an AttributeError."""
    path = tmp_path / "cut.xml"
    for size in (150, 300, len(GOLDEN_TEXT) // 2, len(GOLDEN_TEXT) - 12):
        path.write_bytes(GOLDEN.read_bytes()[:size])
        [problem] = crossref.validate(path)
        assert problem.code == "crossref.truncated" and problem.file == str(path) and problem.line
        assert "cut short" in problem.message
    path.write_bytes(b"")
    assert [p.code for p in crossref.validate(path)] == ["xml.syntax"]


def test_unexpanded_entity_references_are_refused_with_a_reason(tmp_path):
    text = variant("<doi_batch ", '<!DOCTYPE doi_batch [<!ENTITY j "Journal">]>\n<doi_batch ').replace(
        SURNAME, "<surname>&j;</surname>", 1)
    path = tmp_path / "deposit.xml"
    path.write_text(text, encoding="utf-8")
    problems = crossref.validate(path)
    assert [(p.code, p.path.rsplit("/", 1)[-1]) for p in problems] == [("crossref.schema", "surname")]
    assert "&j; is not expanded" in problems[0].message and problems[0].line


def test_missing_schema_files_are_problems_not_exceptions(tmp_path):
    from biblio.formats.crossref.validate import validate

    assert [(p.code, p.file) for p in validate(GOLDEN, dir=tmp_path / "nothing")] == [("schemas.missing",
                                                                                      str(GOLDEN))]


# --- the derivation of the XSD 1.0 form ------------------------------------------------------

def test_derivation_removes_exactly_the_three_asserts_and_vc():
    from biblio import schemas
    from biblio.formats.crossref import xsd10

    derived = xsd10.derive()
    assert [(r.file, r.element) for r in derived.removed_asserts] == [
        ("crossref/crossref5.5.0.xsd", "role"), ("crossref/crossref5.5.0.xsd", "role"),
        ("crossref/crossref5.5.0.xsd", "person_name")]
    assert derived.vocabularies["credit"] == crossref.CREDIT_ROLES
    assert "translator" in derived.vocabularies["crossref"] and len(derived.vocabularies["crossref"]) == 11
    vc_removed = sorted(c.split(":")[0] for c in derived.changes if "vc:minVersion" in c)
    assert len(vc_removed) == 5
    assert set(derived.files) == {p for p in schemas.PINNED if p.endswith(".xsd")}
    for data in derived.files.values():
        root = etree.fromstring(data)
        assert root.find(".//{http://www.w3.org/2001/XMLSchema}assert") is None and b"minVersion" not in data
    assert {name for _, name in derived.enumerations} == {"language", "mime_type"}
    assert ("http://www.ncbi.nlm.nih.gov/JATS1", "rid") in derived.idrefs


def test_derived_folder_is_written_and_matches_the_derivation():
    from biblio import schemas
    from biblio.formats.crossref import compiled, xsd10

    folder = compiled.derived_dir()
    assert folder == schemas.schema_dir().resolve() / "derived-xsd10"
    for relative, data in xsd10.derive().files.items():
        assert (folder / relative).read_bytes() == data
    notes = json.loads((folder / "derivation.json").read_text(encoding="utf-8"))
    assert len(notes["removed_asserts"]) == 3 and notes["checked_in_python"]["idrefs_resolve_to_ids"]


def test_unknown_asserts_and_xsd11_constructs_are_refused():
    from biblio.formats.crossref import xsd10

    with pytest.raises(xsd10.DerivationRefused):
        xsd10.assert_rules([xsd10.RemovedAssert("crossref/x.xsd", 1, "title", "string-length(.) lt 5")])
    schema = etree.fromstring(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:complexType name="t"><xs:openContent/>'
        '<xs:attribute name="a" type="xs:dateTimeStamp"/></xs:complexType></xs:schema>')
    found = " ".join(xsd10.xsd11_constructs(schema))
    assert "xsd:openContent" in found and "dateTimeStamp" in found


@pytest.mark.parametrize("location", ["b.xsd", "http://example.org/c.xsd"])
def test_the_compile_reads_only_the_derived_bytes(tmp_path, location):
    from biblio.formats.crossref.compiled import DerivedOnly

    resolver = DerivedOnly(tmp_path, {"a.xsd": b"<x/>"})
    (tmp_path / "b.xsd").write_text('<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:b"/>')
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    parser.resolvers.add(resolver)
    document = etree.fromstring(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        f'<xs:import namespace="urn:b" schemaLocation="{location}"/></xs:schema>'.encode(),
        parser, base_url=str(tmp_path / "main.xsd"))
    with pytest.raises(etree.XMLSchemaParseError):  # the file on disk is not read: only derived bytes are
        etree.XMLSchema(document)
    assert resolver.refused == [str(tmp_path / location) if "://" not in location else location]
