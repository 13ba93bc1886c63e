"""Issue 20: hostile deposits and JATS files given to ``validate`` (default and ``--strict``) and ``load``: a located
problem that says what to do, never a traceback, and the two Crossref paths agreeing on valid or invalid."""

import re
from pathlib import Path

import pytest
from regen_golden import CROSSREF_GOLDEN, JATS_GOLDEN

import biblio
from biblio import cli
from biblio.formats import crossref

DEPOSIT = CROSSREF_GOLDEN.read_text(encoding="utf-8")
SURNAME = "<surname>Nassimov</surname>"
SURNAME_LINE = DEPOSIT[:DEPOSIT.index(SURNAME)].count("\n") + 1
ARTICLE = JATS_GOLDEN / "2788-5860.2025.86.2.001.xml"
JATS_TITLE = '<article-title>'


def variant(old: str, new: str, text: str = DEPOSIT) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def both(tmp_path: Path, text: str | bytes, name: str = "deposit.xml") -> tuple[list, list]:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return biblio.validate(path), biblio.validate(path, strict=True)


# --- 1. xsi:type naming no type -------------------------------------------------------------

@pytest.mark.parametrize("value", ["nosuchtype", "jats:nosuch", "nope:x", "1bad", "", " person_name_t ", " 1bad "])
def test_an_unknown_xsi_type_is_the_same_located_error_in_both_paths(tmp_path, value):
    """``--strict`` raised XMLSchemaKeyError (xmlschema 4.3 lets it through); 884 fuzz hits."""
    default, strict = both(tmp_path, variant(SURNAME, f'<surname xsi:type="{value}">Nassimov</surname>'))
    assert [p.message for p in strict] == [p.message for p in default]
    [problem] = strict
    assert (problem.code, problem.line, problem.path.rsplit("/", 1)[-1]) == ("crossref.schema", SURNAME_LINE, "surname")
    assert "attribute xsi:type:" in problem.message and "remove the attribute" in problem.message


def test_an_unknown_xsi_type_on_the_root_and_on_a_complex_element(tmp_path):
    text = variant("<titles>", '<titles xsi:type="t">', variant('version="5.5.0"', 'version="5.5.0" xsi:type="x"'))
    default, strict = both(tmp_path, text)
    assert [(p.line, p.message) for p in strict] == [(p.line, p.message) for p in default]
    assert [p.path.rsplit("/", 1)[-1] for p in strict] == ["doi_batch", "titles[1]"]


def test_the_cli_reports_an_unknown_xsi_type_under_strict(tmp_path, capsys):
    path = tmp_path / "deposit.xml"
    path.write_text(variant(SURNAME, '<surname xsi:type="nosuchtype">Nassimov</surname>'), encoding="utf-8")
    assert cli.main(["validate", "--strict", str(path)]) == 1
    out = capsys.readouterr()
    assert f"{path}:{SURNAME_LINE}" in out.err and "nosuchtype" in out.err and "Traceback" not in out.err


# --- 2. Unicode spaces are not XML whitespace ----------------------------------------------

NBSP, IDEOGRAPHIC = "\u00a0", "\u3000"
AGREE = {
    "a surname that is only U+00A0 (length 1)": (False, SURNAME, f"<surname>{NBSP}</surname>"),
    "a surname of two U+3000": (False, SURNAME, f"<surname>{IDEOGRAPHIC * 2}</surname>"),
    "a surname of 200 letters and U+00A0 (maxLength 200)": (True, SURNAME, f"<surname>{'N' * 200}{NBSP}</surname>"),
    "U+00A0 runs inside a 200-letter surname": (True, SURNAME, f"<surname>{'N' * 99}{NBSP * 3}{'N' * 99}</surname>"),
    "an enumerated attribute with U+00A0": (True, 'media_type="print"', f'media_type="print{NBSP}"'),
    "a contributor role with U+2003": (True, 'contributor_role="author"', 'contributor_role="author\u2003"'),
    "a language with U+0085": (True, 'language="kk"', 'language="\u0085kk"'),
    "U+00A0 between elements (element-only content)": (True, "<titles>\n", f"<titles>{NBSP}\n"),
    "a year with U+00A0": (True, "<year>2025</year>", f"<year>2025{NBSP}</year>"),
    "a licence date with U+00A0": (True, "<doi_data>", '<ai:program name="AccessIndicators"><ai:license_ref '
                                   f'start_date="2025-01-01{NBSP}">https://creativecommons.org/licenses/by/4.0/'
                                   "</ai:license_ref></ai:program><doi_data>"),
}


@pytest.mark.parametrize("name", AGREE)
def test_both_paths_read_unicode_spaces_as_xsd_does(tmp_path, name):
    """XSD's whiteSpace facet and element-only content know #x20, #x9, #xA and #xD only (libxml2 too); xmlschema
    strips and collapses every Unicode space: the strict path said a U+00A0 surname was empty, took 201 letters
    for 200."""
    invalid, old, new = AGREE[name]
    default, strict = both(tmp_path, variant(old, new))
    assert (bool(default), bool(strict)) == (invalid, invalid), (default, strict)
    assert all(p.line for p in default + strict)


def test_strict_messages_show_the_characters_of_the_file(tmp_path):
    _, strict = both(tmp_path, variant(SURNAME, f"<surname>{'N' * 200}{NBSP}</surname>"))
    assert [p.message for p in strict] == ["value length cannot be greater than 200 (in <surname>)"]
    _, strict = both(tmp_path, variant('media_type="print"', f'media_type="print{NBSP}"'))
    assert "print\xa0" in strict[0].message or "print\\xa0" in strict[0].message
    assert not any(0x10FF00 <= ord(char) for char in strict[0].message)


def test_comments_and_processing_instructions_in_a_value_are_not_content(tmp_path):
    for inside in ("<!-- a note -->", "<?pi x?>"):
        assert both(tmp_path, variant(SURNAME, f"<surname>Nass{inside}imov</surname>")) == ([], [])


# --- 3. Messages that say where and what to do ---------------------------------------------

def _at_surname(data: bytes, inserted: bytes) -> bytes:
    at = data.index(b"<surname>") + len(b"<surname>")
    return data[:at] + inserted + data[at:]


def _in_jats_title(data: bytes, inserted: bytes) -> bytes:
    at = data.index(JATS_TITLE.encode()) + len(JATS_TITLE)
    return data[:at] + inserted + data[at:]


BAD_BYTES = {
    "NUL": (b"\x00", "U+0000", "remove it"),
    "a control character": (b"\x07", "U+0007", "remove it"),
    "a control character as a reference": (b"&#1;", "U+0001", "remove it"),
    "a byte that is not UTF-8": (b"\xb0", "Invalid bytes in character encoding", "save the file as UTF-8"),
    "a lone surrogate in UTF-8": (b"\xed\xa0\x80", "Invalid bytes in character encoding", "save the file as UTF-8"),
}


@pytest.mark.parametrize("name", BAD_BYTES)
@pytest.mark.parametrize("kind", ["crossref", "jats"])
def test_characters_xml_cannot_hold_are_named_with_their_line(tmp_path, kind, name):
    inserted, said, advice = BAD_BYTES[name]
    if kind == "crossref":
        data, line = _at_surname(CROSSREF_GOLDEN.read_bytes(), inserted), SURNAME_LINE
    else:
        original = ARTICLE.read_bytes()
        data = _in_jats_title(original, inserted)
        line = original[:original.index(JATS_TITLE.encode())].count(b"\n") + 1
    for problems in both(tmp_path, data, f"{kind}.xml"):
        [problem] = problems
        assert (problem.code, problem.line) == ("xml.syntax", line) and problem.column, problem
        assert said in problem.message and advice in problem.message
        assert "\n" not in problem.message and not re.search(r"line \d+, column", problem.message)  # in the location


def test_a_crossref_date_message_names_no_python_class(tmp_path):
    text = variant("<doi_data>", '<ai:program name="AccessIndicators"><ai:license_ref start_date="soon">'
                   "https://creativecommons.org/licenses/by/4.0/</ai:license_ref></ai:program><doi_data>")
    default, strict = both(tmp_path, text)
    assert [p.message for p in strict] == [p.message for p in default]
    assert "<class" not in default[0].message and "write a date as YYYY-MM-DD" in default[0].message
    assert default[0].line


def test_a_year_past_2_31_is_a_located_error_under_strict(tmp_path):
    """elementpath raises OverflowError, which xmlschema let through as a traceback."""
    text = variant("<doi_data>", '<ai:program name="AccessIndicators"><ai:license_ref start_date="99999999999-01-01">'
                   "https://creativecommons.org/licenses/by/4.0/</ai:license_ref></ai:program><doi_data>")
    default, strict = both(tmp_path, text)
    assert [(p.line, p.message) for p in strict] == [(p.line, p.message) for p in default]
    assert "year overflow" in strict[0].message


def test_an_undefined_entity_in_a_deposit_is_located(tmp_path):
    """The default path said "no element found" with no line (lxml's feed parser)."""
    default, strict = both(tmp_path, variant(SURNAME, "<surname>A&ndash;B</surname>"))
    for problems in (default, strict):
        [problem] = problems
        assert (problem.code, problem.line) == ("xml.syntax", SURNAME_LINE)
        assert "Entity 'ndash' not defined" in problem.message and "&#8211;" in problem.message


def test_an_entity_reference_is_refused_alike_by_both_paths(tmp_path):
    text = variant("<doi_batch ", '<!DOCTYPE doi_batch [<!ENTITY e "Nassimov">]>\n<doi_batch ').replace(
        SURNAME, "<surname>&e;</surname>", 1)
    default, strict = both(tmp_path, text)
    assert [(p.line, p.message) for p in strict] == [(p.line, p.message) for p in default]
    assert "&e; is not expanded" in strict[0].message


def test_a_bad_character_near_the_start_is_not_called_a_cut_short_file(tmp_path):
    data = CROSSREF_GOLDEN.read_bytes()
    [problem] = crossref.validate(_write(tmp_path, data[:5] + b"\x00" + data[5:]))
    assert (problem.code, problem.line) == ("xml.syntax", 1) and "cut short" not in problem.message


def _write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "deposit.xml"
    path.write_bytes(data)
    return path


# --- 4. A deposit cut short anywhere ---------------------------------------------------------

def test_a_deposit_cut_at_every_offset_is_a_located_problem(tmp_path):
    data = CROSSREF_GOLDEN.read_bytes()
    path = tmp_path / "cut.xml"
    path.write_bytes(b"")
    sizes = [*range(2048), *range(2048, len(data) - 1, len(data) // 7), len(data) - 2]
    with open(path, "r+b") as stream:  # rewritten in place: creating thousands of files is slow on some disks
        for size in sizes:
            stream.seek(0)
            stream.write(data[:size])
            stream.truncate()
            stream.flush()
            for strict in (False, True):
                problems = crossref.validate(path, strict=strict)
                assert problems and problems[0].severity == "error", (size, strict)
                assert problems[0].line or size == 0, (size, strict, problems[0])
            if size in (300, 2000, sizes[-1]):  # detected as a deposit by biblio validate from its head on
                assert biblio.validate(path)[0].code == "crossref.truncated"
                assert biblio.validate(path, strict=True)[0].line


# --- 5. JATS with a DOCTYPE and character entities ------------------------------------------------

def _jats(tmp_path: Path, title: str, doctype: str | None = None) -> Path:
    text = ARTICLE.read_text(encoding="utf-8")
    assert text.count("<!DOCTYPE article PUBLIC") == 1
    start = text.index(JATS_TITLE) + len(JATS_TITLE)
    text = text[:start] + title + text[text.index("</article-title>", start):]
    if doctype is not None:  # in place of the PUBLIC one
        start = text.index("<!DOCTYPE")
        text = text[:start] + doctype + text[text.index(">", start) + 1:]
    path = tmp_path / "article.xml"
    path.write_text(text, encoding="utf-8")
    return path


def test_jats_character_entities_validate_and_read(tmp_path):
    """Issue 20 item 3 (fixed before): a JATS PUBLIC DOCTYPE with &ndash; crashed validate; read kept it literally."""
    path = _jats(tmp_path, "Before&ndash;after&nbsp;and&mdash;more")
    assert biblio.validate(path) == [] and biblio.validate(path, strict=True) == []
    issue, problems = biblio.load(path)
    assert issue is not None and not [p for p in problems if p.severity == "error"]
    assert "Before\u2013after\u00a0and\u2014more" in issue.articles[0].titles.values()


def test_an_unknown_jats_entity_is_located_and_never_fetched(tmp_path):
    title_line = ARTICLE.read_text(encoding="utf-8").split(JATS_TITLE)[0].count("\n") + 1
    leak = tmp_path / "leak.dtd"
    leak.write_text('<!ENTITY nosuch "LEAKED">\n', encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET", encoding="utf-8")
    doctypes = [None, f'<!DOCTYPE article SYSTEM "{leak.as_uri()}">',
                f'<!DOCTYPE article [<!ENTITY nosuch SYSTEM "{secret.as_uri()}">]>']
    for doctype in doctypes:
        path = _jats(tmp_path, "Before&nosuch;after", doctype)
        for problems in (biblio.validate(path), biblio.validate(path, strict=True)):
            [problem] = problems
            assert (problem.code, problem.line) == ("jats.entity", title_line) and "&nosuch;" in problem.message
        issue, problems = biblio.load(path)
        assert [(p.code, p.line) for p in problems if p.severity == "error"] == [("jats.entity", title_line)]
        assert issue is not None and "LEAKED" not in str(issue) and "SECRET" not in str(issue)
