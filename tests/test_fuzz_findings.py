"""The issue-20 fuzz campaign's findings (bench/FUZZ.md, numbered as there): each a located problem now, never a
traceback, an unlocated error, a hidden file or a silent drop. Inputs are made here, small."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import biblio
from biblio import cli, ids

import fuzzing

ROOT = Path(__file__).resolve().parent.parent

ITEM = {"id": "a", "type": "article-journal", "title": "A", "container-title": "J", "issued": {"date-parts": [[2025]]}}
BUILDABLE = """\
biblio: 1
journal:
  language: en
  titles: {en: Journal of Tests}
  doi_prefix: '10.1234'
  issns: [{value: 2049-3630, media: electronic}]
issue:
  year: 2025
  number: '2'
  doi_pattern: '{prefix}/PATTERN.{year}.{number}.{seq:03}'
settings:
  depositor: {name: Ann Editor, email: ann@example.org}
  registrant: Test Press
  landing_page_pattern: 'https://example.org/{suffix}'
articles:
  - language: en
    titles: {en: A first article}
    contributors: [{names: {en: {given: Ann, family: Lee}}}]
PAGES"""
JATS = """<?xml version="1.0" encoding="UTF-8"?>
<article xmlns:xlink="http://www.w3.org/1999/xlink" article-type="research-article" xml:lang="en">
 <front>
  <journal-meta><journal-title-group><journal-title>J</journal-title></journal-title-group></journal-meta>
  <article-meta>
   <title-group><article-title>A</article-title></title-group>
   <pub-date pub-type="epub"><day>05</day><month>MONTH</month><year>2020</year></pub-date>
  </article-meta>
 </front>
</article>
"""


def _csl(tmp_path: Path, text: str, name: str = "items.csl.json") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _errors(problems: list[biblio.Problem]) -> list[biblio.Problem]:
    return [p for p in problems if p.severity == "error"]


def _line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


# --- #37, #40, #43: numbers of over 4,300 digits -------------------------------------------------------------------

def test_whole_number_refuses_what_int_cannot_convert():
    assert ids.whole_number(" 42 ") == 42 and ids.whole_number("0012", 4) == 12
    assert ids.whole_number("9" * 5000) is None and ids.whole_number("12345", 4) is None
    assert ids.whole_number("²") is None and ids.whole_number("") is None and ids.whole_number("1a") is None


def test_37_a_csl_number_of_20000_digits_is_a_located_error(tmp_path):
    path = _csl(tmp_path, json.dumps([ITEM], indent=1).replace('"id": "a",', '"id": "a",\n "volume": ' + "7" * 20000 +
                                                                 ","))
    [problem] = biblio.validate(path)
    assert (problem.code, problem.line, problem.column) == ("csl.number", _line_of(path, '"volume"'), 12)
    assert "20,000 digits" in problem.message
    assert biblio.load(path) == (None, [problem])
    report = biblio.convert(path, "ris", tmp_path / "out.ris")
    assert report.problems == [problem] and not (tmp_path / "out.ris").exists()


def test_40_a_jats_month_of_4400_digits_is_a_warning_not_a_traceback(tmp_path):
    path = tmp_path / "a.xml"
    path.write_text(JATS.replace("MONTH", "9" * 4400), encoding="utf-8")
    issue, problems = biblio.load(path)
    assert issue is not None and issue.articles[0].dates.online == biblio.PartialDate(2020)
    [note] = [p for p in problems if p.code == "jats.date"]
    assert note.severity == "warning" and note.line == 7 and "read as 2020" in note.message
    path.write_text(JATS.replace("MONTH", "13"), encoding="utf-8")
    assert [p.message for p in biblio.load(path)[1] if p.code == "jats.date"] == [
        "the date '2020-13-05' is not a real date (a year, month 1-12, a day of that month); it is read as 2020"]
    path.write_text(JATS.replace("MONTH", "02").replace("05", "30"), encoding="utf-8")
    issue, problems = biblio.load(path)
    assert issue is not None and issue.articles[0].dates.online == biblio.PartialDate(2020, 2)
    assert [p.message.rsplit("; ", 1)[1] for p in problems if p.code == "jats.date"] == ["it is read as 2020-02"]
    path.write_text(JATS.replace("MONTH", "03"), encoding="utf-8")
    assert not [p for p in biblio.load(path)[1] if p.code == "jats.date"]


@pytest.mark.parametrize("pages", ["{first: '%s', last: '%s'}" % ("9" * 4400, "1" * 4400), "{first: '²', last: '1'}"])
def test_43_check_of_pages_that_int_cannot_convert(tmp_path, pages):
    path = tmp_path / "m.yaml"
    path.write_text(BUILDABLE.replace("PAGES", f"    pages: {pages}\n"), encoding="utf-8")
    _, problems = biblio.check(path)  # no ValueError
    assert [p.code for p in _errors(problems)] == (["pages.length", "pages.length"] if len(pages) > 100 else [])


# --- #38, #42, #44, #50: nesting too deep for the JSON decoder -----------------------------------------------------

def test_38_44_50_deep_csl_is_a_located_syntax_error(tmp_path):
    path = _csl(tmp_path, '[\n {"id": "a", "type": "article-journal", "title": "A",\n  "note": ' + "[" * 3000 +
                "]" * 3000 + "}\n]")
    assert biblio.formats.detect(path) is not None  # detect read the first keys without a RecursionError
    [problem] = biblio.validate(path)
    assert (problem.code, problem.line) == ("csl.syntax", 3) and "too deeply" in problem.message
    assert problem.column == 10 + 100  # where the nesting passes 100 levels, counted from the item
    assert biblio.load(path) == (None, [problem])
    assert biblio.convert(path, "csl", tmp_path / "out.csl.json").problems == [problem]


def test_42_a_deep_json_manifest_is_located(tmp_path):
    path = tmp_path / "m.json"
    path.write_text('{"biblio": 1,\n "journal": ' + "[" * 3000 + "]" * 3000 + "}", encoding="utf-8")
    issue, problems = biblio.load(path)  # the CSL sniffing of a .json file does not raise either
    [problem] = problems
    assert issue is None and (problem.code, problem.line, problem.column) == ("manifest.syntax", 2, 12 + 100)  # with {
    bad = tmp_path / "bad.json"  # not YAML either: JSON's own reading places it
    bad.write_text('{"biblio": 1,\n\t"journal": ' + "[" * 3000 + "]" * 3000 + "}", encoding="utf-8")
    [problem] = biblio.load(bad)[1]
    assert (problem.code, problem.line) == ("manifest.syntax", 2) and "too deep" in problem.message


def test_a_deep_yaml_manifest_is_located(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text("biblio: 1\njournal: " + "[" * 500 + "]" * 500 + "\n", encoding="utf-8")
    problem = biblio.load(path)[1][0]  # then what the reading finds in its place
    assert (problem.code, problem.line, problem.column, problem.path) == ("manifest.syntax", 2, 9 + 100, None)


# --- #39, #41: lone surrogates in CSL-JSON ---------------------------------------------------------------------------

def test_39_41_a_lone_surrogate_is_an_error_at_its_field(tmp_path):
    items = [dict(ITEM), dict(ITEM, id="b", title="B \\udfff", abstract="ok \\ud83d\\ude00")]
    text = json.dumps(items, indent=1).replace("\\\\u", "\\u")
    text = text.replace('"container-title": "J"', '"container-title": "J", "x\\ud800": 1', 1)
    path = _csl(tmp_path, text)
    problems = biblio.validate(path)
    halves = [p for p in problems if p.code == "csl.surrogate"]
    assert [(p.path, p.line) for p in halves] == [("[0].x\ufffd", _line_of(path, '"x\\ud800"')),
                                                  ("[1].title", _line_of(path, '"B \\udfff"'))]
    issue, read = biblio.load(path)
    assert [p for p in read if p.code == "csl.surrogate"] == halves
    assert issue is not None and issue.articles[1].titles.main == "B \ufffd"  # writable: the error stops a convert
    assert issue.articles[1].abstracts.main == "ok \U0001F600"  # a pair is one character
    for target in ("ris", "csl"):
        out = tmp_path / f"out.{target}"
        report = biblio.convert(path, target, out)  # no UnicodeEncodeError
        assert halves[1] in report.problems and not out.exists()
    strings = _csl(tmp_path, '["\\udfff", "\\ud83d\\ude00"]', "strings.json")  # not items; the schema still checks
    problems = biblio.formats.csl.validate(strings)
    assert [(p.code, p.path) for p in problems] == [
        ("csl.surrogate", "[0]"), ("csl.schema", "[0]"), ("csl.schema", "[1]")]


# --- #45 to #50: errors without a line ---------------------------------------------------------------------------

@pytest.mark.parametrize("before", ["a: 1\n", "a: éé 😀\n"])
def test_45_a_character_yaml_refuses_has_its_line_and_column(tmp_path, before):
    path = tmp_path / "m.yaml"
    path.write_text(f"biblio: 1\n{before}journal: x\uffffy\n", encoding="utf-8")
    [problem] = biblio.load(path)[1]
    assert (problem.code, problem.line, problem.column) == ("manifest.syntax", 3, 11)
    assert "U+FFFF" in problem.message and "position" not in problem.message


def test_45_in_a_json_manifest_json_places_it(tmp_path):
    path = tmp_path / "m.json"
    path.write_text('{"biblio": 1,\n "journal": "x\x07y"}', encoding="utf-8")
    [problem] = biblio.load(path)[1]
    assert (problem.code, problem.line, problem.column) == ("manifest.syntax", 2, 15)


@pytest.mark.parametrize("padding", [0, 70_000])  # the bad byte in the first chunk read, or a later one
def test_46_47_csl_that_is_not_utf8_is_placed_without_codec_jargon(tmp_path, padding):
    path = tmp_path / "items.csl.json"
    head = '[{"type": "article-journal", "id": "a",\n "abstract": "' + "ж" * padding + '",\n "title": "Caf'
    path.write_bytes(b"\xef\xbb\xbf" + head.encode() + b'\xe9 au lait"}]')
    [problem] = biblio.validate(path)
    assert (problem.code, problem.line, problem.column) == ("csl.encoding", 3, 15)
    assert "0xE9" in problem.message and "save the file as UTF-8" in problem.message and "codec" not in problem.message
    assert biblio.load(path) == (None, [problem])


def test_manifest_not_utf8_has_line_and_column(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_bytes(b"\xef\xbb\xbfbiblio: 1\njournal:\n  x: caf\xe9\n")
    [problem] = biblio.load(path)[1]
    assert (problem.code, problem.line, problem.column) == ("manifest.encoding", 3, 9) and "0xE9" in problem.message


def test_48_a_repeated_key_in_a_json_manifest_yaml_cannot_read_is_placed(tmp_path):  # YAML: no ':' on a new line
    path = tmp_path / "m.json"
    path.write_text('{"biblio": 1, "journal": {"titles": {"en": "A",\n "kk"\n: "B",\n  "en": "C"}}}', encoding="utf-8")
    [problem] = biblio.load(path)[1]
    assert (problem.code, problem.path, problem.line, problem.column) == (
        "manifest.duplicate-key", "journal.titles.en", 4, 3)
    assert "first on line 1" in problem.message


def test_49_a_doi_too_long_for_a_file_name_is_an_error_before_writing(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text(BUILDABLE.replace("PATTERN", "ж" * 130).replace("PAGES", ""), encoding="utf-8")  # 264 bytes
    _, problems = biblio.check(path)
    [problem] = _errors(problems)
    assert (problem.code, problem.path, problem.file) == ("output.name-too-long", "articles[0].doi", str(path))
    report = biblio.build(path, tmp_path / "out")
    assert _errors(report.problems) == [problem] and not (tmp_path / "out").exists()
    source = _csl(tmp_path, json.dumps([dict(ITEM, DOI="10.1234/" + "ж" * 130, ISSN="2049-3630")]))
    report = biblio.convert(source, "jats", tmp_path / "jats")  # convert runs no check: the output says it
    [problem] = _errors(report.problems)
    assert (problem.code, problem.path) == ("output.name-too-long", "articles[0].doi")
    assert "staging" not in str(problem) and "shorten its DOI" in problem.message


def test_36_a_doi_suffix_starting_with_a_dot_gives_no_hidden_file(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text(BUILDABLE.replace("PATTERN", "").replace("PAGES", ""), encoding="utf-8")
    report = biblio.build(path, tmp_path / "out")
    assert report.ok, [str(p) for p in _errors(report.problems)]
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert "_2025.2.001.xml" in names and [name for name in names if name.startswith(".")] == [".biblio-files"]


# --- #18: the issue's facts from a later item ---------------------------------------------------------------------

def test_18_a_journal_fact_first_given_by_a_later_item_is_read(tmp_path):
    """A later item of the same issue gives what the first does not (a publisher); one of another volume is another
    issue (issue 17), and a publisher unlike the one read is reported once, naming the items."""
    items = [dict(ITEM, volume="3"), dict(ITEM, id="b", title="B", volume="3", publisher="P"), dict(ITEM, volume="4"),
             *(dict(ITEM, id=f"c{n}", title="C", volume="3", publisher=f"Q{n}") for n in range(5, 12))]
    path = _csl(tmp_path, json.dumps(items, indent=1))
    issues, problems = biblio.api.load_catalogue(path)
    assert [(i.volume, i.journal.publisher.name.main if i.journal.publisher else None) for i in issues] == [
        ("3", "P"), ("4", None)]
    [differs] = [p for p in problems if p.code == "csl.issue-differs"]  # once for the file, as csl.not-read
    assert (differs.severity, differs.path, differs.line) == ("warning", "[3].publisher",
                                                              _line_of(path, '"id": "c5"') - 1)
    assert "(items c5, c6, c7, c8, c9 and 2 more)" in differs.message and "differs from 'P'" in differs.message


def test_the_cli_prints_a_lone_surrogate_problem(tmp_path, capsys):
    path = _csl(tmp_path, '[{"type": "article-journal", "id": "a", "title": "A \\udfff"}]')
    assert cli.main(["validate", str(path)]) == 1
    captured = capsys.readouterr()
    assert "half of a character" in captured.out + captured.err and "Traceback" not in captured.err


# --- campaign 2 (seed 24): the strict Crossref path ----------------------------------------------------------------

@pytest.fixture(scope="module")
def example_deposit(tmp_path_factory) -> bytes:
    out = tmp_path_factory.mktemp("deposit")
    assert biblio.export(ROOT / "examples" / "issue-86" / "issue.yaml", "crossref", out / "d.xml").ok
    return (out / "d.xml").read_bytes()


@pytest.mark.parametrize("old, new, refused", [
    (rb"<timestamp>\d+</timestamp>", b"<timestamp>" + b"7" * 5000 + b"</timestamp>", False),  # unbounded: valid
    (rb"<year>2025</year>", b"<year>" + b"2" * 5000 + b"</year>", True),  # xrefYear has a bound
    (rb"<journal_metadata([^>]*)>", b"<journal_metadata\\1>\xd9\xa3", True),  # an Arabic digit in complex content
])
def test_strict_and_default_agree_on_huge_numbers_and_digits_in_complex_content(tmp_path, example_deposit, old, new,
                                                                                refused):
    path = tmp_path / "deposit.xml"
    path.write_bytes(re.sub(old, new, example_deposit, count=1))
    default, strict = biblio.validate(path), biblio.validate(path, strict=True)  # neither raises
    assert bool(_errors(default)) is refused and bool(_errors(strict)) is refused
    assert all("sys.set_int_max_str_digits" not in p.message for p in default + strict)


def test_a_nul_in_a_keyword_is_removed_from_bibtex_with_a_warning_as_check_lets_it_through(tmp_path):
    issue, _ = biblio.load(ROOT / "examples" / "issue-86" / "issue.yaml")
    assert issue is not None
    issue.articles[0].keywords["en"][0] = "cultural\x00identity"
    checked, problems = biblio.check(issue)
    assert not _errors(problems)
    report = biblio.build(issue, tmp_path / "out")
    assert report.ok, [str(p) for p in _errors(report.problems)]  # check's verdict holds
    warned = [p for p in report.problems if p.code == "bibtex.control-character"]
    assert warned and warned[0].path == "articles[0]" and "keywords" in warned[0].message
    assert b"\x00" not in (tmp_path / "out" / "articles.bib").read_bytes()


def test_a_date_part_that_json_reads_as_infinity_is_a_warning_not_a_traceback(tmp_path):
    path = tmp_path / "x.csl.json"
    path.write_text('[{"id": "a", "type": "article-journal", "title": "T", "container-title": "J", "volume": "1", '
                    '"issued": {"date-parts": [[1e999]]}}]', encoding="utf-8")
    issue, problems = biblio.load(path)
    assert issue is not None and issue.articles[0].dates.published is None
    assert [(p.code, p.line) for p in problems if p.code == "csl.date"] == [("csl.date", 1)]


# --- campaign 4 (seed 26) ------------------------------------------------------------------------------------------

def test_full_width_digits_in_an_attribute_of_a_union_type_are_refused_by_both_paths(tmp_path, example_deposit):
    path = tmp_path / "deposit.xml"
    path.write_bytes(example_deposit.replace(b'<jats:abstract xml:lang="ru">',
                                             '<jats:abstract xml:lang="２０２５">'.encode(), 1))
    assert path.read_bytes() != example_deposit
    default, strict = biblio.validate(path), biblio.validate(path, strict=True)  # xml:lang: a union; neither raises
    assert _errors(default) and _errors(strict)


def test_an_affiliation_without_a_name_converts_to_crossref_without_a_traceback(tmp_path):
    seed = next(s for s in fuzzing.all_seeds(tmp_path / "seeds") if s.name == "build(small)/jt.2025.2.001.xml")
    first = tmp_path / "article.xml"
    text = seed.data.decode("utf-8")
    emptied = re.sub(r"<institution-wrap>.*?</institution-wrap>", "<institution-wrap/>", text, count=1, flags=re.S)
    assert emptied != text
    first.write_text(emptied, encoding="utf-8")
    settings = tmp_path / "settings.yaml"
    settings.write_text("depositor: {name: Office, email: office@example.org}\nregistrant: Publisher\n"
                        "landing_page_pattern: 'https://example.org/{suffix}'\n", encoding="utf-8")
    code = cli.main(["convert", str(first), "--to", "crossref", "--settings", str(settings), "-o",
                     str(tmp_path / "deposit.xml")])
    assert code in (0, 1)  # written, or refused with problems: never a traceback


def test_a_prefix_whose_declaration_is_broken_is_an_error_not_a_traceback(tmp_path, example_deposit):
    path = tmp_path / "deposit.xml"  # campaign 5: 'xmlns:fr' flipped to 'xmlnS:fr' left <fr:program> undeclared
    path.write_bytes(example_deposit.replace(b"xmlns:fr=", b"xmlnS:fr=", 1))
    assert b"xmlnS:fr=" in path.read_bytes()
    for strict in (False, True):
        problems = biblio.validate(path, strict=strict)
        assert _errors(problems) and all(p.file == str(path) for p in _errors(problems))


def test_a_field_with_a_bare_value_left_outside_its_entry_is_named(tmp_path):
    seed = next(s for s in fuzzing.all_seeds(tmp_path / "seeds") if s.name == "build(small)/articles.kk.bib")
    text = seed.data.decode("utf-8")  # campaign 6: 'month = jun,' swapped below the entry's closing brace
    month = next(line for line in text.splitlines() if line.strip().startswith("month"))
    moved = text.replace(month + "\n", "", 1).replace("\n}\n", "\n}\n" + month + "\n", 1)
    assert moved != text and moved.count(month) == text.count(month)
    path = tmp_path / "moved.bib"
    path.write_text(moved, encoding="utf-8")
    line = moved.splitlines().index(month) + 1
    for problems in (biblio.validate(path), biblio.load(path)[1]):
        assert ("bibtex.stray-text", line) in [(p.code, p.line) for p in problems]
    assert fuzzing.judge("bibtex", moved.encode("utf-8"), tmp_path / "work").verdict != "drop"


def test_a_message_never_repeats_a_lone_surrogate(tmp_path, minimal_text):
    import yaml  # campaign 6: the example in a message showed the value given, surrogate and all

    data = yaml.safe_load(minimal_text)
    data["articles"][0]["titles"] = "a\udfffb"
    path = tmp_path / "issue.json"
    path.write_text(json.dumps(data), encoding="utf-8")  # ASCII: the surrogate as an escape, as JSON allows
    problems = biblio.load(path)[1]
    assert "manifest.type" in [p.code for p in problems]
    assert not [p.message for p in problems if fuzzing._UNPRINTABLE.search(p.message)]


def test_a_namespace_with_braces_is_an_error_not_a_traceback(tmp_path, example_deposit):
    path = tmp_path / "deposit.xml"  # campaign 7: '{' * 80 appended to the JATS namespace: etree.QName refused the tags
    path.write_bytes(example_deposit.replace(b"xmlns:jats=\"http://www.ncbi.nlm.nih.gov",
                                             b"xmlns:jats=\"http://www.ncbi.nlm.nih.gov" + b"{" * 80 + b"}" * 80, 1))
    assert b"{{{{" in path.read_bytes()
    for strict in (False, True):
        problems = biblio.validate(path, strict=strict)
        assert _errors(problems) and all(p.file == str(path) for p in _errors(problems))


def test_a_text_of_control_characters_only_is_empty(minimal_text):
    text = minimal_text.replace("titles: {en: A first article}", 'titles: {en: "\\0\\x01"}')
    assert text != minimal_text  # campaign 7: check passed a NUL title, the RIS build then refused the empty title
    _, problems = biblio.loads(text)
    assert [(p.code, p.path) for p in _errors(problems)] == [("manifest.empty", "articles[0].titles.en")]


def test_a_csl_issn_that_is_no_issn_is_named(tmp_path):
    path = tmp_path / "items.json"  # campaign 7: "&ndash;2049-3630" was left out without a word
    path.write_text(json.dumps([{"id": "a", "type": "article-journal", "title": "T", "container-title": "J",
                                 "issued": {"date-parts": [[2025]]}, "ISSN": "&ndash;2049-3630"}]), encoding="utf-8")
    issue, problems = biblio.load(path)
    assert issue is not None and issue.journal.issns == []
    assert [(p.code, p.severity) for p in problems if "ISSN is not read" in p.message] == [("issn.syntax", "warning")]


def test_a_processing_instruction_in_an_affiliation_is_skipped(tmp_path):
    seed = next(s for s in fuzzing.all_seeds(tmp_path / "seeds") if s.name == "jats-other-publisher.xml")
    text = seed.data.decode("utf-8")  # campaign 8: '<?x?>' in a plain-text <aff> made itertext raise
    plain = re.search(r"<aff id=\"(\w+)\"><label>\d+</label>([^<]+)</aff>", text)
    assert plain is not None
    words = plain.group(2).split(" ", 1)
    path = tmp_path / "article.xml"
    path.write_text(text.replace(plain.group(2), f"{words[0]} <?x?> {words[1]}", 1), encoding="utf-8")
    issue, problems = biblio.load(path)
    assert issue is not None, problems
    names = [a.name.main for c in issue.articles[0].contributors for a in c.affiliations]
    assert " ".join(plain.group(2).split()) in names
