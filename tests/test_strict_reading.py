"""Reading as strict as validating: issue 20 items 1 and 11, issue 17 item 6b."""

from __future__ import annotations

from pathlib import Path

import pytest

import biblio
from biblio.formats import bibtex

SECOND = ("@article{two,\n  author = {Roe, Rick},\n  title = {Second paper},\n  journal = {Journal of Tests},\n"
          "  volume = 12,\n  year = 2020,\n}\n")


def write(tmp_path: Path, text: str, name: str = "in.bib") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- issue 20 item 1: the reader refuses the entries the validator finds broken ------------------------------

MISSING_COMMA = ("@article{one,\n  author = {Doe, Jane},\n  title = {A study of things}\n  volume = 12,\n"
                 "  journal = {Journal of Tests},\n  year = 2020,\n}\n\n" + SECOND)
EXTRA_BRACE = ("@article{one,\n  author = {Doe, Jane},\n  title = {A study of things}},\n"
               "  journal = {Journal of Tests},\n  volume = 12,\n  year = 2020,\n}\n\n" + SECOND)


@pytest.mark.parametrize(("text", "at", "path"), [(MISSING_COMMA, 4, "one.title"), (EXTRA_BRACE, 3, "one")])
def test_an_entry_bibtex_stops_in_is_refused_and_the_rest_read(tmp_path, text, at, path):
    issue, problems = biblio.load(write(tmp_path, text))
    errors = [p for p in problems if p.severity == "error"]
    assert [(p.code, p.line, p.path) for p in errors] == [("bibtex.syntax", at, path)]
    assert "the entry 'one' is not read" in errors[0].message and "\n" not in errors[0].message
    assert [article.titles.main for article in issue.articles] == ["Second paper"]  # not "… volume = 12"
    assert issue.year == 2020 and issue.journal.titles.main == "Journal of Tests"
    assert not [p for p in problems if p.code in ("bibtex.stray-text", "bibtex.string-reference")]


def test_convert_writes_nothing_from_a_broken_file(tmp_path):
    report = biblio.convert(write(tmp_path, MISSING_COMMA), "ris", tmp_path / "out.ris")
    assert any(p.code == "bibtex.syntax" and p.line == 4 for p in report.problems)
    assert not (tmp_path / "out.ris").exists()


def test_the_reader_finds_the_errors_the_validator_finds(tmp_path):
    """One file with each syntax error validate reports: read reports each at the same line, refusing its entry."""
    text = ("@article{a,\n  author = {Doe, Jane},\n  title = {A study of things}\n  volume = 12,\n"
            "  journal = {J},\n  year = 2025 # {}\n}\n\n"
            "@article{b,\n  author = {Doe, Jane},\n  title = {B}},\n  journal = {J},\n  year = {2025},\n}\n\n"
            "@article{c,\n  author = {Doe, Jane},\n  title = {C},\n  journal = {J},\n  year = {2025},\n  "
            "month = jun,\n  volume = # {7},\n}\n\n"
            "@article{d,\n  title = {D \\{ open},\n  journal = {J},\n  year = {2025},\n}\n\n"
            "@article{e,\n  title = {Fine},\n  journal = {J},\n  year = {2025},\n}\n")
    path = write(tmp_path, text)
    validated = {(p.code, p.line) for p in bibtex.validate(path) if p.severity == "error"}
    issue, problems = biblio.load(path)
    read = {(p.code, p.line) for p in problems if p.severity == "error"}
    assert len(validated) == 4 and read == validated
    assert [article.titles.main for article in issue.articles] == ["Fine"]


def test_a_value_shown_in_a_warning_stays_on_one_line(tmp_path):
    text = ("@article{a,\n  title = {T},\n  journal = nowhere #\n     { of things},\n  year = 2020,\n}\n")
    _, problems = biblio.load(write(tmp_path, text))
    [found] = [p for p in problems if p.code == "bibtex.string-reference"]
    assert "\n" not in found.message and "nowhere # { of things}" in found.message


# --- issue 17 item 6b: simple math in titles as Unicode text ---------------------------------------------------

@pytest.mark.parametrize(("tex", "text"), [
    ("Cu$_2$O thin films", "Cu₂O thin films"),
    ("$\\alpha$-particles and $\\Gamma$ points", "α-particles and Γ points"),
    ("Ca$^{2+}$ and SO$_4^{2-}$ ions", "Ca²⁺ and SO₄²⁻ ions"),
    ("At 300$^\\circ$C, $\\pm$0.1\\%, $\\sim$100 and $T \\leq 4$ K", "At 300°C, ±0.1%, ∼100 and T ≤ 4 K"),
    ("$5 \\times 10^{3}$ cells, $x \\geq 2$", "5 × 10³ cells, x ≥ 2"),
    ("$\\mathrm{Cu}_{2}$O and DNA$_{\\textrm{2}}$", "Cu₂O and DNA₂"),
    ("N-polar ${\\rm GaN}(000\\bar{1})$", "N-polar GaN(0001\u0304)"),
    ("200\\,{\\mbox{$\\mu$}}m", "200 μm"),
    ("A price of \\$5 and \\$6", "A price of $5 and $6"),  # escaped dollars are no math
])
def test_simple_math_is_read_as_unicode_text(tex, text):
    assert bibtex.tex_decode(tex) == (text, [])


@pytest.mark.parametrize("tex", ["The $T_c$ of $\\frac{1}{2}$-spin chains", "$a^$ and $_{x}$", "$\\bar{xy}$"])
def test_math_with_no_plain_text_form_is_kept_as_written(tex):
    assert bibtex.tex_decode(tex)[0] == tex


def test_math_kept_as_written_is_one_note_naming_the_fields(tmp_path):
    text = ("@article{a,\n  title = {Cu$_2$O at $T_c$},\n  abstract = {We find $x_i$.},\n  journal = {J},\n"
            "  year = 2020,\n}\n@article{b,\n  title = {The $\\frac{1}{2}$ rule},\n  journal = {J},\n"
            "  year = 2020,\n}\n"
            "@article{c,\n  title = {Only Cu$_2$O},\n  journal = {J},\n  year = 2020,\n}\n")
    issue, problems = biblio.load(write(tmp_path, text))
    assert [a.titles.main for a in issue.articles] == ["Cu₂O at $T_c$", "The $\\frac{1}{2}$ rule", "Only Cu₂O"]
    [note] = [p for p in problems if p.code == "bibtex.math"]
    assert note.severity == "info" and note.line == 2
    assert "title (2 entries: a, b)" in note.message and "abstract (entry a)" in note.message
    assert not [p for p in problems if p.code == "bibtex.latex-macro"]  # \frac is kept, not dropped


def test_unicode_math_survives_a_round_trip(tmp_path):
    text = ("@article{a,\n  title = {Cu$_2$O and $\\alpha$ rays},\n  journal = {J},\n  year = 2020,\n"
            "  doi = {10.1234/abc},\n}\n")
    issue, _ = biblio.load(write(tmp_path, text))
    written, problems = biblio.dumps(issue, "bibtex")
    assert written is not None and "Cu₂O and α rays" in written, problems
    again, _ = biblio.load(write(tmp_path, written, "again.bib"))
    assert again.articles[0].titles.main == "Cu₂O and α rays"


# --- issue 20 item 11: messages that say what, where and what to do -------------------------------------------

@pytest.mark.parametrize(("char", "said", "escape"), [
    ("\x01", "the control character (U+0001)", "\\u0001"),
    ("\n", "a line break (U+000A)", "\\n"),
    ("\t", "a tab (U+0009)", "\\t"),
])
def test_a_control_character_in_csl_json_is_named_with_its_place_and_fix(tmp_path, char, said, escape):
    text = ('[\n  {"id": "a", "type": "article-journal",\n   "title": "Bad' + char + ' title"}\n]\n')
    path = write(tmp_path, text, "items.json")
    for problems in (biblio.validate(path), biblio.load(path)[1]):
        [problem] = [p for p in problems if p.severity == "error"]
        assert (problem.code, problem.line, problem.column) == ("csl.syntax", 3, 17), problem
        assert said in problem.message and f"escape {escape}" in problem.message
        assert not problem.message.rstrip().endswith(" at")


RIS_WITH_NUL = ("TY  - JOUR\nTI  - A first ti\x00tle\nAU  - Doe, Jane\nT2  - Journal of Tests\nPY  - 2020\n"
                "ER  - \n\nTY  - JOUR\nTI  - Second\x00 title\x00\nAU  - Roe, Rick\nT2  - Journal of Tests\n"
                "PY  - 2020\nER  - \n")


def test_a_nul_in_a_ris_file_is_reported_at_its_line(tmp_path):
    path = write(tmp_path, RIS_WITH_NUL, "refs.ris")
    assert biblio.validate(path)  # not "cannot tell which format"
    for problems in (biblio.validate(path), biblio.load(path)[1]):
        [problem] = [p for p in problems if p.severity == "error"]
        assert (problem.code, problem.line) == ("ris.encoding", 2)
        assert "NUL character (U+0000)" in problem.message and "1 more line" in problem.message
        assert "remove it" in problem.message
    issue, _ = biblio.load(path)
    assert [a.titles.main for a in issue.articles] == ["A first title", "Second title"]


def test_a_file_mostly_of_nuls_is_still_no_ris(tmp_path):
    path = tmp_path / "wide.ris"
    path.write_bytes("TY  - JOUR\nTI  - A\nER  - \n".encode("utf-16-le"))  # UTF-16 without a byte-order mark
    assert not __import__("biblio.formats.ris", fromlist=["detect"]).detect(path)


def test_strict_crossref_validation_words_a_bad_number_as_the_default_path_does(tmp_path):
    from regen_golden import CROSSREF_GOLDEN

    deposit = CROSSREF_GOLDEN.read_text(encoding="utf-8")
    path = write(tmp_path, deposit.replace("<year>2025</year>", "<year>x6</year>", 1), "deposit.xml")
    [strict] = biblio.validate(path, strict=True)
    [default] = biblio.validate(path)
    assert (strict.line, strict.path) == (default.line, default.path)
    assert "'x6' is not a valid value" in strict.message and "int()" not in strict.message
