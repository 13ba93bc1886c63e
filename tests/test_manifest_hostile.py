"""Hostile manifests (issue 20): each is a located problem, never a traceback, a value taken as something else,
or a file written from text that cannot be written."""

import json

import pytest
import yaml

import biblio
from biblio import ids, manifest
from biblio.model import PartialDate

BASE = """\
biblio: 1
journal:
  language: en
  titles: {en: Journal of Tests}
  doi_prefix: '10.5555'
  issns: [{value: 2049-3630, media: electronic}]
issue:
  year: 2025
  number: '2'
  doi_pattern: '{prefix}/jt.{year}.{number}.{seq:03}'
settings:
  depositor: {name: Ann Editor, email: ann@example.org}
  registrant: Test Press
  landing_page_pattern: 'https://example.org/{suffix}'
articles:
  - language: en
    titles: {en: A first article}
    contributors:
      - names: {en: {given: Priya, family: Natarajan}}
        orcid: 0000-0002-1825-0097
    dates: {published: 2025-06-01}
    citations: [1]
    references:
      - {text: A cited work, doi: 10.5555/abc}
  - language: en
    titles: {en: A second article}
"""
HUGE = "9" * 5000


def errors(problems):
    return [p for p in problems if p.severity == "error"]


def line_of(text, needle):
    return next(number for number, line in enumerate(text.split("\n"), 1) if needle in line)


def load_yaml(text):
    issue, problems = biblio.loads(text)
    return issue, errors(problems)


def as_json(tmp_path, edit, name="issue.json"):
    """BASE as a JSON manifest file, after ``edit(text)`` on its JSON text."""
    data = yaml.safe_load(BASE)
    data["articles"][0]["dates"]["published"] = "2025-06-01"
    path = tmp_path / name
    path.write_text(edit(json.dumps(data, indent=2, ensure_ascii=False)), encoding="utf-8")
    return path


def streamed(path):
    """The errors of the streamed JSON reading (None: it leaves the file to the whole-document reading)."""
    scan = manifest.scan_streamed(path)
    if scan is None:
        return None
    return errors([problem for _, _, problems, _ in manifest.iter_articles(scan) for problem in problems])


def test_the_base_manifest_is_clean(tmp_path):
    assert load_yaml(BASE)[1] == []
    path = as_json(tmp_path, lambda text: text)
    assert errors(biblio.check(path)[1]) == [] and streamed(path) is not None


# --- 1. whole numbers over 4,300 digits ------------------------------------------------

def test_a_huge_year_in_yaml_is_out_of_range():
    text = BASE.replace("year: 2025", f"year: {HUGE}")
    _, problems = load_yaml(text)
    assert [(p.code, p.path, p.line) for p in problems] == [("manifest.range", "issue.year", line_of(text, "year:"))]
    assert len(problems[0].message) < 200  # the number is not printed in full


def test_huge_numbers_in_json_are_problems_whole_and_streamed(tmp_path):
    path = as_json(tmp_path, lambda text: text.replace('"year": 2025', f'"year": {HUGE}'))
    problems = errors(biblio.check(path)[1])
    line = line_of(path.read_text(encoding="utf-8"), '"year"')
    assert [(p.code, p.path, p.line) for p in problems] == [("manifest.range", "issue.year", line)]
    assert streamed(path) is None  # a mistake outside the articles: the whole-document reading reports it
    path = as_json(tmp_path, lambda text: text.replace('"citations": [\n        1', f'"citations": [\n        {HUGE}'))
    expected = ("manifest.range", "articles[0].citations[0]")
    assert [(p.code, p.path) for p in errors(biblio.check(path)[1])] == [expected]
    assert [(p.code, p.path) for p in streamed(path)] == [expected]
    path = as_json(tmp_path, lambda text: text.replace('"number": "2"', f'"number": {HUGE}'))
    problems = errors(biblio.check(path)[1])  # a text field takes the number as printed; the deposit refuses it
    assert problems and all(p.line for p in problems)


def test_a_huge_number_made_in_code_is_a_problem():
    issue, _ = biblio.loads(BASE)
    issue.year = 10 ** 5000
    issue.number = 10 ** 5000
    _, problems = biblio.prepare(issue)
    assert {(p.code, p.path) for p in errors(problems)} >= {("manifest.range", "issue.year"),
                                                            ("manifest.type", "issue.number")}


# --- 2. YAML tags that cannot be read --------------------------------------------------

@pytest.mark.parametrize("tagged, code, says", [
    ("!!bool maybe", "manifest.tag", "true or false"),
    ("!!timestamp not-a-date", "manifest.tag", "a date"),
    ("!!int abc", "manifest.tag", "a whole number"),
    ("!!float x", "manifest.tag", "a number"),
    ("!!binary 'ЖЖЖЖ'", "manifest.tag", "base64"),
    ("!!binary '@@@@'", "manifest.type", "bytes"),  # PyYAML skips what is not base64: no text
    ("!!null x", "manifest.tag", "an empty value"),
    ("!unknown x", "manifest.tag", "cannot be used"),
    ("!!python/name:os.system x", "manifest.tag", "cannot be used"),
])
def test_a_tag_the_value_does_not_fit_is_a_located_problem(tagged, code, says):
    text = BASE.replace("number: '2'", f"number: {tagged}")
    _, problems = load_yaml(text)
    found = [p for p in problems if p.path == "issue.number"]
    assert [(p.code, p.line, p.column) for p in found] == [(code, line_of(text, "number:"), 11)]
    assert says in found[0].message and "codec" not in found[0].message


def test_tags_that_fit_are_read():
    _, problems = load_yaml(BASE.replace("number: '2'", "number: !!int 2").replace("year: 2025", "year: !!int 2025"))
    assert problems == []
    issue, problems = load_yaml(BASE.replace("published: 2025-06-01", "published: !!timestamp 2025-06-01"))
    assert problems == [] and issue.articles[0].dates.published == PartialDate(2025, 6, 1)


# --- 3. lone surrogates in JSON --------------------------------------------------------

def test_a_lone_surrogate_is_refused_at_load_whole_and_streamed(tmp_path):
    path = as_json(tmp_path, lambda text: text.replace('"A first article"', '"A first \\ud800article"'))
    problems = errors(biblio.check(path)[1])
    text = path.read_text(encoding="utf-8")
    line = line_of(text, "\\ud800")
    column = text.split("\n")[line - 1].index('"A first') + 1
    assert [(p.code, p.path, p.line, p.column) for p in problems] == [
        ("manifest.surrogate", "articles[0].titles.en", line, column)]
    assert "surrogate" in problems[0].message
    assert [(p.code, p.path) for p in streamed(path)] == [("manifest.surrogate", "articles[0].titles.en")]
    path = as_json(tmp_path, lambda text: text.replace('"Journal of Tests"', '"Journal \\udc00of Tests"'))
    assert [(p.code, p.path) for p in errors(biblio.check(path)[1])] == [("manifest.surrogate", "journal.titles.en")]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_lone_surrogate_writes_nothing(tmp_path, jobs):
    path = as_json(tmp_path, lambda text: text.replace('"A second article"', '"A second \\ud800article"'))
    report = biblio.build(path, tmp_path / "out", jobs=jobs)
    assert not report.ok and not report.files and not list((tmp_path / "out").glob("**/*.*"))
    assert any(p.code == "manifest.surrogate" for p in report.problems)


def test_a_surrogate_pair_is_a_character(tmp_path):
    path = as_json(tmp_path, lambda text: text.replace('"A first article"', '"A first \\ud83d\\ude00 article"'))
    issue, problems = biblio.check(path)
    assert errors(problems) == [] and issue.articles[0].titles["en"] == "A first \U0001f600 article"


def test_a_surrogate_in_a_key_can_be_printed(tmp_path):
    path = as_json(tmp_path, lambda text: text.replace('"titles": {\n        "en": "A first article"',
                                                       '"titl\\ud800es": {\n        "e\\udfffn": "A first article"'))
    problems = errors(biblio.check(path)[1])
    assert {p.code for p in problems} == {"manifest.unknown-key", "manifest.missing"}
    for problem in problems:
        str(problem).encode("utf-8")  # printable: no half character in the path or the message
    line = line_of(path.read_text(encoding="utf-8"), "titl\\ud800es")
    assert any(p.path == "articles[0].titl\\ud800es" and p.line == line for p in problems)


# --- 4. dates that do not exist --------------------------------------------------------

@pytest.mark.parametrize("date, why", [
    ("2025-00", "month 00 does not exist"),
    ("2025-00-00", "month 00 does not exist"),
    ("2025-13", "month 13 does not exist"),
    ("2025-02-30", "day 30 of 2025-02 does not exist"),
    ("2025-06-00", "day 00 of 2025-06 does not exist"),
])
@pytest.mark.parametrize("quote", ["", "'"])
def test_a_date_that_does_not_exist_is_refused(date, why, quote):
    text = BASE.replace("published: 2025-06-01", f"published: {quote}{date}{quote}")
    _, problems = load_yaml(text)
    assert [(p.code, p.path, p.line) for p in problems] == [
        ("manifest.date", "articles[0].dates.published", line_of(text, "published:"))]
    assert why in problems[0].message
    assert PartialDate.parse(date) is None


def test_dates_need_ascii_digits():
    assert PartialDate.parse("２０２５-06") is None and PartialDate.parse("2024-02-29") == PartialDate(2024, 2, 29)
    _, problems = load_yaml(BASE.replace("published: 2025-06-01", "published: '２０２５'"))
    assert [p.code for p in problems] == ["manifest.date"]


# --- 5. digits other than 0-9 in identifiers ------------------------------------------

@pytest.mark.parametrize("old, new, code", [
    ("orcid: 0000-0002-1825-0097", "orcid: ０000-0002-1825-0097", "orcid.syntax"),
    ("value: 2049-3630", "value: ２049-3630", "issn.syntax"),
    ("doi_prefix: '10.5555'", "doi_prefix: '10.５555'", "doi.prefix"),
    ("doi: 10.5555/abc", "doi: 10.５555/abc", "doi.syntax"),
    ("year: 2025", "year: '２０２５'", "manifest.type"),
    ("citations: [1]", "citations: ['١']", "manifest.type"),
])
def test_identifiers_and_numbers_need_ascii_digits(old, new, code):
    text = BASE.replace(old, new)
    _, problems = load_yaml(text)
    assert code in [p.code for p in problems if p.line == line_of(text, new)]


def test_a_look_alike_digit_is_named():
    message = ids.orcid("０000-0002-1825-0097").message
    assert "U+FF10" in message and "0-9" in message
    assert ids.language_tag("\u212ak").code == "lang.syntax"  # the Kelvin sign is not a k


# --- 6. the depositor's e-mail ----------------------------------------------------------

@pytest.mark.parametrize("email", ["not-an-email", "ann@example", "ann@@example.org", "ann smith@example.org",
                                   "@example.org", "ann@.org"])
def test_a_depositor_email_that_is_no_address_is_refused(email):
    text = BASE.replace("email: ann@example.org", f"email: '{email}'")
    _, problems = load_yaml(text)
    assert [(p.code, p.path, p.line) for p in problems] == [
        ("email.syntax", "settings.depositor.email", line_of(text, "email:"))]
    assert "e-mail address" in problems[0].message


def test_a_plain_depositor_email_is_taken():
    issue, problems = load_yaml(BASE.replace("ann@example.org", "deposits+jt@mail.example.ac.uk"))
    assert problems == [] and issue.settings.depositor.email == "deposits+jt@mail.example.ac.uk"


# --- 7. a space inside a reference's DOI --------------------------------------------------

@pytest.mark.parametrize("doi", ["10.5555/ abc", "10.5555 /abc", "10.5555/a bc"])
def test_a_space_inside_a_reference_doi_is_refused(doi):
    text = BASE.replace("doi: 10.5555/abc", f"doi: '{doi}'")
    issue, problems = load_yaml(text)
    assert [(p.code, p.path, p.line) for p in problems] == [
        ("doi.space", "articles[0].references[0].doi", line_of(text, "doi: '"))]
    assert ids.doi(doi).code == "doi.space"


# --- examples in messages -----------------------------------------------------------------

def test_a_language_mapping_is_shown_in_the_journals_own_language():
    text = BASE.replace("titles: {en: A second article}", "titles: Un segundo artículo")
    assert "language: es" not in text
    text = text.replace("journal:\n", "journal:\n  language: es\n", 1)
    _, problems = load_yaml(text)
    assert [p.message for p in problems if p.path == "articles[1].titles"] == [
        "expected a mapping from language tag to value (such as 'es: Un segundo artículo'), found "
        "'Un segundo artículo'"]
    _, problems = load_yaml(text.replace("titles: Un segundo artículo", "titles: {}"))
    assert [p.message for p in problems if p.path == "articles[1].titles"] == [
        "give at least one language, such as 'es: ...'"]
    _, problems = load_yaml(text.replace("titles: Un segundo artículo", 'titles: "a\\ab"'))
    assert "such as 'es: ...'" in [p.message for p in problems if p.path == "articles[1].titles"][0]


def test_messages_show_no_example_of_one_journal():
    _, problems = load_yaml(BASE.replace("titles: {en: A second article}", "titles: A second article"))
    assert "such as 'en: A second article'" in problems[0].message
    shown = [ids.doi("x").message, ids.doi("").message, ids.doi_prefix_check("x").message, ids.issn("x").message,
             manifest.loads("", "empty.yaml")[1][0].message]
    assert not [message for message in shown if "52536" in message or "2788-5860" in message or "86" in message]


def test_a_repeated_key_is_reported_when_only_the_json_reading_can_read_the_file(tmp_path):
    def edit(text):  # YAML refuses the surrogate escapes, so the file is read as JSON alone
        text = text.replace('"A first article"', '"A first \\ud83d\\ude00 article"')
        return text.replace('"number": "2"', '"number": "2", "number": "3"')

    problems = errors(biblio.check(as_json(tmp_path, edit))[1])
    assert [p.code for p in problems] == ["manifest.duplicate-key"] and "'number'" in problems[0].message


@pytest.mark.parametrize("text", ["biblio: 1\njournal:\n\ttitles: {en: J}\n", "biblio: 1\njournal:\n  \t titles: x\n"])
def test_a_tab_in_yaml_is_named(text):
    _, problems = biblio.loads(text)
    assert [p.code for p in problems] == ["manifest.syntax"]
    assert "tab" in problems[0].message and problems[0].line is not None


@pytest.mark.parametrize("text", ['a: "x\n', "biblio: 1\njournal: [\n", "biblio: 1\njournal: [", '"'])
def test_yaml_cut_short_is_a_syntax_problem(text):
    _, problems = biblio.loads(text)
    assert [p.code for p in problems] == ["manifest.syntax"] and "tab" not in problems[0].message


def test_a_wrong_shape_shows_the_right_one(tmp_path, minimal_text):
    """An editor who writes a licence or pages as text is shown the keys they need (issue 18)."""
    path = tmp_path / "issue.yaml"
    path.write_text(minimal_text.replace("    titles: {en: A first article}\n",
                                         "    titles: {en: A first article}\n    license: CC BY 4.0\n"
                                         "    pages: 15-27\n", 1), encoding="utf-8")
    _, problems = biblio.check(path)
    messages = {p.path: p.message for p in problems if p.code == "manifest.type"}
    assert "such as {url: …" in messages["articles[0].license"] and "(keys: url, start)" in messages[
        "articles[0].license"]
    assert "(keys: first, last, article_number)" in messages["articles[0].pages"]
