"""Fields the fuzz campaign saw readers drop or misread (issue 20, bench/FUZZ.md): each is read, or reported by name
with its line. RIS (#17-#24, #33-#35): a tag that some readers would start a new line at is never read into another
value. BibTeX (#15, #16, #26-#28): a month without a year, pages without a first page, a field whose name holds other
text, an entry of another journal."""

from __future__ import annotations

import pytest

import biblio
from biblio import api
from biblio.model import Pages, PartialDate

FIRST = ["TY  - JOUR", "TI  - A first article", "AU  - Natarajan, Priya", "T2  - Journal of Tests", "PY  - 2025",
         "VL  - 4", "IS  - 2", "SP  - 9", "EP  - 22", "SN  - 2049-3630", "LA  - en", "ER  - "]
SECOND = ["TY  - JOUR", "TI  - A second article", "AU  - Smith, John", "T2  - Journal of Tests", "PY  - 2025",
          "VL  - 4", "IS  - 2", "SP  - 23", "EP  - 30", "SN  - 2049-3630", "LA  - en", "ER  - "]


def _file(tmp_path, *records: list[str]):
    path = tmp_path / "records.ris"
    path.write_text("\r\n".join(line for record in records for line in [*record, ""]), encoding="utf-8")
    return path


def _without(record: list[str], tag: str) -> list[str]:
    return [line for line in record if not line.startswith(f"{tag}  - ")]


def _with(record: list[str], tag: str, value: str) -> list[str]:
    return [f"{tag}  - {value}" if line.startswith(f"{tag}  - ") else line for line in record]


def test_a_last_page_without_a_first_page_is_reported_by_name(tmp_path):
    """#19: EP without SP was neither read nor reported."""
    issue, problems = biblio.load(_file(tmp_path, _without(FIRST, "SP")))
    assert issue is not None and issue.articles[0].pages is None
    [note] = [p for p in problems if "EP" in p.message]
    assert note.code == "ris.tag-not-read" and note.line == 8 and "SP" in note.message


@pytest.mark.parametrize("tag, field", [("IS", "number"), ("VL", "volume")])
def test_a_later_record_gives_the_issue_what_the_first_does_not(tmp_path, tag, field):
    """#21: the second record's IS was dropped when the first had none. Issue 17: nor is it the first record's: each
    record is in the issue it gives."""
    (first, second), problems = api.load_catalogue(_file(tmp_path, _without(FIRST, tag), SECOND))
    assert not [p for p in problems if p.severity == "error"]
    assert (getattr(first, field), getattr(second, field)) == (None, {"IS": "2", "VL": "4"}[tag])


def test_a_later_record_adds_issns_or_says_it_gives_others(tmp_path):
    """#17: the second record's SN was dropped when the first had none. Issue 17: a record with other ISSNs is of
    another issue, and keeps its own."""
    for first_record, second_record, expected in (
            (_without(FIRST, "SN"), SECOND, [[], ["2049-3630"]]),
            (FIRST, _with(SECOND, "SN", "2049-3630; 1308-8734"), [["2049-3630"], ["2049-3630", "1308-8734"]]),
            (FIRST, _with(SECOND, "SN", "1308-8734"), [["2049-3630"], ["1308-8734"]])):
        issues, problems = api.load_catalogue(_file(tmp_path, first_record, second_record))
        assert [[issn.value for issn in issue.journal.issns] for issue in issues] == expected
        assert not [p for p in problems if "mixed" in p.code]


@pytest.mark.parametrize("tag", ["J2", "JA", "J1"])
def test_an_abbreviation_taken_for_the_journal_title_is_said(tmp_path, tag):
    """#22, #24: without T2, JF or JO, the abbreviation became the title without a word."""
    record = [f"{tag}  - J. Tests" if line.startswith("T2  - ") else line for line in FIRST]
    issue, problems = biblio.load(_file(tmp_path, record))
    assert issue.journal.titles.main == "J. Tests"
    [note] = [p for p in problems if p.code == "ris.journal-title"]
    assert tag in note.message and note.line == 4


ODD = ["\ufffd", "\u0301", "\x0b", "\x0c", "\x1e", "\x85", "\u2028", "\u200b", "\ufeff", "\x01"]


@pytest.mark.parametrize("odd", ODD, ids=[f"U+{ord(c):04X}" for c in ODD])
@pytest.mark.parametrize("where", ["line start", "inside a line"])
def test_a_tag_after_an_odd_character_is_read_as_its_own_field_and_refused_by_validate(tmp_path, odd, where):
    """#33: 'TI  - Екінші мақала' and '\ufffdAU  - Сейітова, Әйгерім' were read as one title. Readers that split
    lines as Python's str.splitlines does (VT, FF, U+001C-U+001E, U+0085, U+2028) see a tag line there; a control
    character, an unreadable byte or an invisible character stands where a line end was lost."""
    lines = list(SECOND)
    if where == "line start":
        lines[2] = odd + lines[2]
    else:
        lines[1:3] = [lines[1] + odd + lines[2]]
    path = _file(tmp_path, FIRST, lines)
    line = 16 if where == "line start" else 15  # the second record starts on line 14
    issue, problems = biblio.load(path)
    article = issue.articles[1]
    assert article.titles.main == "A second article"
    assert [c.names["en"].family for c in article.contributors] == ["Smith"]
    [read] = [p for p in problems if p.code == "ris.tag-syntax"]
    assert read.severity == "warning" and read.line == line and f"U+{ord(odd):04X}" in read.message
    [refused] = [p for p in biblio.validate(path) if p.code == "ris.tag-syntax"]
    assert refused.severity == "error" and refused.line == line and "AU" in refused.message


def test_a_tag_after_ordinary_text_stays_text_and_is_said(tmp_path):
    """#35: 'Kazakhstan’s TY  - JOUR strategic resource' in an abstract: a tag starts a line, so it is text; but a
    line end may have been lost, so read and validate say so."""
    abstract = "In the face of global challenges, Kazakhstan’s TY  - JOUR strategic resource"
    path = _file(tmp_path, FIRST[:5] + [f"AB  - {abstract}", "ә ә ә ә AU  - Smith, John"] + FIRST[5:])
    issue, problems = biblio.load(path)
    assert issue.articles[0].abstracts.main == abstract + "\nә ә ә ә AU  - Smith, John"
    assert [(p.code, p.line) for p in problems if p.code == "ris.tag-inside"] == [("ris.tag-inside", 6),
                                                                                  ("ris.tag-inside", 7)]
    assert {(p.code, p.severity) for p in biblio.validate(path)} == {("ris.tag-inside", "warning")}


# --- BibTeX ------------------------------------------------------------------------------------------------------

ENTRY = """@article{mueller2019,
  author  = {M{\\"u}ller, J{\\"o}rg},
  title   = {{\\"U}ber Netzwerke},
  journal = {Zeitschrift f{\\"u}r Netzwerkforschung},
  year    = {2019},
  month   = mar,
  volume  = {7},
  pages   = {1--15},
  issn    = {2049-3630},
}
"""


def _bib(tmp_path, text: str):
    path = tmp_path / "entries.bib"
    path.write_text(text, encoding="utf-8")
    return biblio.load(path)


def test_bibtex_entry_as_given_is_read_whole(tmp_path):
    issue, problems = _bib(tmp_path, ENTRY)
    assert [p.code for p in problems] == ["bibtex.language-guessed"]  # no language given: the only note
    assert issue.articles[0].dates.published == PartialDate(2019, 3)
    assert issue.articles[0].pages == Pages("1", "15") and issue.volume == "7"


def test_a_month_without_a_year_is_reported(tmp_path):
    """#15: 'year İ= {2019}' left the month unread without a word (the year's name is reported as not read)."""
    issue, problems = _bib(tmp_path, ENTRY.replace("year    =", "year    İ="))
    [month] = [p for p in problems if "month" in p.message and p.code == "bibtex.date"]
    assert month.severity == "warning" and month.line == 6 and "no year" in month.message


def test_pages_without_a_first_page_are_reported(tmp_path):
    """#26: 'pages = {\\--22}' gave no pages and no problem."""
    issue, problems = _bib(tmp_path, ENTRY.replace("{1--15}", "{\\--22}"))
    assert issue.articles[0].pages is None
    [pages] = [p for p in problems if p.code == "bibtex.pages"]
    assert pages.severity == "warning" and pages.line == 8 and "\\--22" in pages.message


@pytest.mark.parametrize("junk", ["NaN", "<italic><italic>", "[[x]]"])
def test_text_before_a_field_name_is_a_warning_naming_the_field(tmp_path, junk):
    """#27, #28, #31: text after a field's closing brace ran into the next field's name ('NaN\\n journal'); the field
    was reported only as 'the field nan journal'."""
    issue, problems = _bib(tmp_path, ENTRY.replace("mar,", "mar," + junk))
    assert issue.volume is None
    [named] = [p for p in problems if p.code == "bibtex.field-name"]
    assert named.severity == "warning" and named.line == 7 and named.path == "mueller2019.volume"
    assert "'volume'" in named.message and not [p for p in problems if p.code == "bibtex.not-read"]


def test_text_after_a_field_name_is_a_warning_naming_the_field(tmp_path):
    """#15: 'year İ= {2019}' was reported as 'the field year i̇' not read; the month then went without a word."""
    issue, problems = _bib(tmp_path, ENTRY.replace("year    =", "year    İ="))
    [named] = [p for p in problems if p.code == "bibtex.field-name"]
    assert named.line == 5 and named.path == "mueller2019.year" and "'year'" in named.message
    assert issue.year == 0 and issue.articles[0].dates.published is None


def test_an_entry_of_another_journal_is_located_and_its_issn_named(tmp_path):
    """#16: the second entry's ISSN was left out under a warning with no line that did not name it."""
    second = ENTRY.replace("mueller2019", "other").replace("Netzwerkforschung", "Graphen").replace("2049-3630",
                                                                                                  "1308-8734")
    path = tmp_path / "two.bib"
    path.write_text(ENTRY + "\n" + second, encoding="utf-8")
    issues, problems = api.load_catalogue(path)  # issue 17: another journal is another issue, with its own ISSN
    assert [[issn.value for issn in issue.journal.issns] for issue in issues] == [["2049-3630"], ["1308-8734"]]
    assert "Graphen" in (issues[1].journal.titles.main or "") and not [p for p in problems if "mixed" in p.code]


def test_the_journal_takes_the_issn_of_a_later_entry_when_the_first_gives_none(tmp_path):
    """As #16 with the first entry's issn deleted: the second entry's ISSN was dropped without a word."""
    second = ENTRY.replace("mueller2019", "other")
    path = tmp_path / "two.bib"
    for text, expected in ((ENTRY.replace("  issn    = {2049-3630},\n", "") + "\n" + second, [[], ["2049-3630"]]),
                           (ENTRY + "\n" + second.replace("2049-3630", "1308-8734"), [["2049-3630"], ["1308-8734"]])):
        path.write_text(text, encoding="utf-8")
        issues, problems = api.load_catalogue(path)  # issue 17: nothing is taken from another entry
        assert [[issn.value for issn in issue.journal.issns] for issue in issues] == expected
        assert not [p for p in problems if p.code == "bibtex.mixed-issue"]


def test_a_journal_abbreviation_only_a_later_record_gives_is_the_journals_and_one_unlike_it_is_reported(tmp_path):
    record = "TY  - JOUR\nTI  - {title}\nAU  - Smith, John\nT2  - Journal of Tests\n{short}PY  - 2020\nVL  - 12\n" \
             "IS  - 3\nSN  - 2788-5860\nER  - \n\n"
    path = tmp_path / "x.ris"
    path.write_text(record.format(title="First", short="") + record.format(title="Second", short="J2  - J. Tests\n")
                    + record.format(title="Third", short="J2  - JT\n"), encoding="utf-8")
    issue, problems = biblio.load(path)
    assert issue is not None and issue.journal.abbreviation == "J. Tests"  # the journal's, given by record 2
    [mixed] = [p for p in problems if p.code == "ris.issue-mixed"]
    assert mixed.line == 26 and "'JT'" in mixed.message and "'J. Tests'" in mixed.message


def test_a_month_of_five_thousand_digits_is_a_warning_not_a_traceback(tmp_path):
    path = tmp_path / "x.bib"
    path.write_text("@article{a, title = {T}, journal = {J}, year = {2020}, month = {" + "1" * 5000 + "}}\n",
                    encoding="utf-8")
    issue, problems = biblio.load(path)
    assert issue is not None and issue.year == 2020
    assert [p.code for p in problems if p.code == "bibtex.date"] == ["bibtex.date"]
