"""The manifest: loading, one-pass error reporting with locations, DOI assignment, writing."""

import json
from pathlib import Path

import jsonschema
import pytest

from biblio import manifest
from biblio.manifest_spec import json_schema
from biblio.model import PartialDate

TEN_MISTAKES = """\
biblio: 1
journal:
  language: en
  titles: {en: Journal of Tests}
  issns:
    - value: 2788-5861
  doi_prefix: '10.1234'
issue:
  year: twenty
  number: '2'
articles:
  - language: en
    doi: https://doi.org/11.1234/x
    titles: {en: First, english: Second}
    abstract: {en: typo for abstracts}
    contributors:
      - role: autor
        names:
          en: {given: Ann}
      - names: {en: {family: Lee}}
        orcid: 0000-0002-1825-0098
        affiliations:
          - name: {en: Some University}
            ror: 05dxps056
    dates: {published: 2025-13-01}
    citations: [1, 2, 3]
    citations: [4]
"""

EXPECTED = {
    (6, "issn.checksum"),          # wrong ISSN check digit
    (9, "manifest.type"),          # year is not a number
    (13, "doi.syntax"),            # DOI does not start with 10.
    (14, "lang.syntax"),           # 'english' is not a language tag
    (15, "manifest.unknown-key"),  # abstract -> abstracts
    (17, "manifest.choice"),       # autor -> author
    (19, "manifest.missing"),      # a name without family
    (21, "orcid.checksum"),        # wrong ORCID check character
    (24, "ror.checksum"),          # wrong ROR checksum
    (25, "manifest.date"),         # month 13
    (27, "manifest.duplicate-key"),  # citations twice
}


def test_every_mistake_is_reported_in_one_pass_with_its_line():
    _, problems = manifest.loads(TEN_MISTAKES, "bad.yaml")
    found = {(p.line, p.code) for p in problems if p.severity == "error"}
    assert found == EXPECTED
    assert all(p.file == "bad.yaml" and p.column for p in problems)


def test_messages_help_the_editor():
    _, problems = manifest.loads(TEN_MISTAKES, "bad.yaml")
    by_code = {p.code: p for p in problems}
    assert "did you mean 'abstracts'" in by_code["manifest.unknown-key"].message
    assert "did you mean 'author'" in by_code["manifest.choice"].message
    assert by_code["manifest.unknown-key"].path == "articles[0].abstract"
    assert by_code["orcid.checksum"].path == "articles[0].contributors[1].orcid"
    assert "first on line 26" in by_code["manifest.duplicate-key"].message
    assert by_code["manifest.missing"].path == "articles[0].contributors[0].names.en"


def test_minimal_manifest_loads_and_assigns_dois(minimal_text):
    issue, problems = manifest.loads(minimal_text)
    assert [a.doi for a in issue.articles] == ["10.1234/jt.2025.2.001", "10.1234/jt.2025.2.002"]
    assert all(a.doi_from_pattern for a in issue.articles)
    assigned = [p for p in problems if p.code == "doi.assigned"]
    assert len(assigned) == 2 and all(p.severity == "info" for p in assigned)
    assert [p.line for p in assigned] == [11, 13]
    assert issue.articles[1].titles.original == "kk"
    assert issue.articles[1].titles.languages == ["kk", "en"]


def test_explicit_doi_that_breaks_the_pattern_is_a_warning(minimal_text):
    text = minimal_text.replace("  - language: kk\n", "  - language: kk\n    doi: 10.1234/jt.2025.2.007\n")
    issue, problems = manifest.loads(text)
    mismatch = [p for p in problems if p.code == "doi.pattern-mismatch"]
    assert len(mismatch) == 1 and mismatch[0].severity == "warning"
    assert "10.1234/jt.2025.2.002" in mismatch[0].message and mismatch[0].line == 14
    assert issue.articles[1].doi == "10.1234/jt.2025.2.007" and not issue.articles[1].doi_from_pattern


def test_explicit_doi_is_compared_case_insensitively(minimal_text):
    text = minimal_text.replace("  - language: kk\n", "  - language: kk\n    doi: 10.1234/JT.2025.2.002\n")
    _, problems = manifest.loads(text)
    assert not [p for p in problems if p.code == "doi.pattern-mismatch"]


def test_no_doi_and_no_pattern_is_an_error(minimal_text):
    text = minimal_text.replace("  doi_pattern: '{prefix}/jt.{year}.{number}.{seq:03}'\n", "")
    _, problems = manifest.loads(text)
    assert [p.code for p in problems if p.severity == "error"] == ["doi.missing", "doi.missing"]


@pytest.mark.parametrize("pattern, code", [
    ("{prefix}/jt.{volume}.{seq}", "doi.pattern-placeholder"),   # the issue has no volume
    ("{prefix}/jt.{month}.{seq}", "doi.pattern-placeholder"),    # not a placeholder
    ("jt.{year}.{seq}", "doi.pattern"),                          # does not make a DOI
    ("{prefix}/jt.{seq:3}", "doi.pattern-placeholder"),           # padding is written {seq:03}
    ("{prefix}/jt.{ seq }", "doi.pattern-placeholder"),
    ("{prefix}/jt.{year}", "doi.pattern-placeholder"),            # every article the same DOI
    ("{prefix}/jt.{seq", "doi.pattern-placeholder"),
])
def test_bad_doi_patterns(minimal_text, pattern, code):
    text = minimal_text.replace("{prefix}/jt.{year}.{number}.{seq:03}", pattern)
    _, problems = manifest.loads(text)
    errors = [p for p in problems if p.severity == "error"]
    assert errors[0].code == code and errors[0].path == "issue.doi_pattern" and errors[0].line == 9


def test_expand_pattern_pads_sequence(minimal_text):
    issue, _ = manifest.loads(minimal_text)
    assert manifest.expand_doi_pattern("{prefix}/x.{seq:04}.{seq}", issue, 7) == "10.1234/x.0007.7"


def test_values_typed_without_quotes_are_kept_as_printed(minimal_text):
    text = minimal_text.replace("number: '2'", "number: 02\n  volume: 1.10\n  whole_number: no")
    issue, problems = manifest.loads(text)
    assert not [p for p in problems if p.severity == "error"]
    assert (issue.number, issue.volume, issue.whole_number) == ("02", "1.10", "no")


def test_dates_in_every_form(minimal_text):
    text = minimal_text.replace("  number: '2'\n", "  number: '2'\n  published: 2025-06\n")
    issue, _ = manifest.loads(text)
    assert issue.published == PartialDate(2025, 6)
    issue, _ = manifest.loads(text.replace("2025-06", "2025-06-30"))
    assert issue.published == PartialDate(2025, 6, 30) and str(issue.published) == "2025-06-30"
    issue, _ = manifest.loads(text.replace("2025-06", "2025"))
    assert issue.published == PartialDate(2025)


@pytest.mark.parametrize("text, line", [
    ("biblio: 1\njournal: {titles: {en: x}\n", 3),
    ("biblio: 1\n  journal: x\n", 2),
    ("biblio: 1\njournal:\n\ttitles: x\n", 3),
])
def test_yaml_syntax_errors_have_a_line(text, line):
    issue, problems = manifest.loads(text, "broken.yaml")
    assert issue is None
    assert [(p.code, p.line) for p in problems] == [("manifest.syntax", line)]


def test_wrong_top_level_shapes():
    _, problems = manifest.loads("- just\n- a list\n")
    assert problems[0].code == "manifest.type"
    _, problems = manifest.loads("")
    assert problems[0].code == "manifest.empty"
    _, problems = manifest.loads("biblio: 2\njournal: {titles: {en: J}}\nissue: {year: 2025}\narticles: []\n")
    assert {p.code for p in problems} == {"manifest.range"}  # version 2 is not read
    _, problems = manifest.loads("biblio: 1\njournal: {titles: {en: J}}\nissue: {year: 2025}\narticles: []\n")
    assert [(p.code, p.line) for p in problems] == [("manifest.missing", 4)]


def test_contributor_needs_names_or_organization(minimal_text):
    text = minimal_text + "    contributors:\n      - role: author\n"
    _, problems = manifest.loads(text)
    assert "manifest.contributor" in {p.code for p in problems}


def test_load_reports_missing_file_and_bad_encoding(tmp_path):
    _, problems = manifest.load(tmp_path / "nope.yaml")
    assert problems[0].code == "manifest.io"
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("biblio: 1\njournal:\n  titles: {en: Caf\xe9}\n".encode("latin-1"))
    _, problems = manifest.load(latin1)
    assert (problems[0].code, problems[0].line) == ("manifest.encoding", 3)


def test_json_manifest_is_accepted_with_lines(tmp_path, minimal_text):
    issue, _ = manifest.loads(minimal_text)
    path = tmp_path / "issue.json"
    path.write_text(manifest.dumps(issue, as_json=True), encoding="utf-8")
    again, problems = manifest.load(path)
    assert again == issue
    broken = json.loads(path.read_text())
    broken["issue"]["yeer"] = 2025
    path.write_text(json.dumps(broken, indent=2, ensure_ascii=False), encoding="utf-8")
    _, problems = manifest.load(path)
    unknown = [p for p in problems if p.code == "manifest.unknown-key"]
    assert unknown and unknown[0].line is not None and "did you mean 'year'" in unknown[0].message


def test_example_round_trips(example_path):
    issue, _ = manifest.load(example_path)
    text = manifest.dumps(issue)
    again, problems = manifest.loads(text)
    assert again == issue
    assert not [p for p in problems if p.severity == "error"]
    assert "Ғылым комитеті" in text  # written as UTF-8, not escaped
    assert "10.52536/2788-5860.2025.86.2.002" not in text  # assigned DOIs stay assigned


def test_published_schema_is_the_generated_one():
    published = Path(__file__).resolve().parent.parent / "src" / "biblio" / "data" / "manifest.schema.json"
    assert json.loads(published.read_text(encoding="utf-8")) == json_schema(), "run `make manifest-schema`"
    jsonschema.Draft202012Validator.check_schema(json_schema())


def test_schema_accepts_the_example_and_rejects_mistakes(example_path):
    validator = jsonschema.Draft202012Validator(json_schema())
    issue, _ = manifest.load(example_path)
    assert not list(validator.iter_errors(json.loads(manifest.dumps(issue, as_json=True))))
    data = json.loads(manifest.dumps(issue, as_json=True))
    data["articles"][0]["titel"] = {"en": "x"}
    data["articles"][1]["contributors"][0]["role"] = "autor"
    assert len(list(validator.iter_errors(data))) == 2


def test_yaml_aliases_cannot_loop_or_multiply(minimal_text):
    cyclic = minimal_text.replace("journal:\n", "journal: &j\n").replace(
        "  doi_prefix: '10.1234'\n", "  doi_prefix: '10.1234'\n  publisher: *j\n")
    issue, problems = manifest.loads(cyclic)
    assert issue is None or any(p.code == "manifest.alias" for p in problems)
    alias = next(p for p in problems if p.code == "manifest.alias")
    assert alias.path == "journal.publisher" and "defined on line 2" in alias.message
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + n)}: &{chr(98 + n)} [*{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}]\n"
        for n in range(20))
    _, problems = manifest.loads(bomb)
    assert any(p.code == "manifest.alias" for p in problems)


def test_very_deep_nesting_is_a_problem_not_a_crash():
    _, problems = manifest.loads("[" * 5000 + "]" * 5000)
    assert problems[0].code == "manifest.syntax"
    _, problems = manifest.loads("[" * 5000 + "]" * 5000, "deep.json")
    assert problems[0].code == "manifest.syntax"


def test_json_indented_with_tabs_keeps_line_numbers(tmp_path, minimal_text):
    issue, _ = manifest.loads(minimal_text)
    data = json.loads(manifest.dumps(issue, as_json=True))
    data["issue"]["yeer"] = 1
    path = tmp_path / "tabs.json"
    path.write_text(json.dumps(data, indent="\t", ensure_ascii=False), encoding="utf-8")
    _, problems = manifest.load(path)
    unknown = [p for p in problems if p.code == "manifest.unknown-key"]
    assert unknown and unknown[0].line is not None


@pytest.mark.parametrize("pattern, fragment", [
    ("https://j.kz/{id}", "{id} is not a placeholder"),
    ("https://j.kz/articles", "no placeholder"),
    ("j.kz/{doi}", "must start with https://"),
])
def test_bad_landing_page_patterns(minimal_text, pattern, fragment):
    text = minimal_text + f"settings:\n  landing_page_pattern: '{pattern}'\n"
    _, problems = manifest.loads(text)
    errors = [p for p in problems if p.severity == "error"]
    assert len(errors) == 1 and errors[0].code == "url.pattern" and fragment in errors[0].message
    assert errors[0].line == 16


def test_landing_pages_quote_unusual_doi_characters(minimal_text):
    from biblio import derive
    text = minimal_text + "settings:\n  landing_page_pattern: 'https://j.kz/{suffix}?n={seq}'\n"
    issue, _ = manifest.loads(text)
    issue.articles[0].doi = "10.1234/a#b<c>"
    assert derive.landing_page(issue, issue.articles[0], 0) == "https://j.kz/a%23b%3Cc%3E?n=1"
