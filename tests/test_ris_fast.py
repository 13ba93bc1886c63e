"""The RIS fast paths against straightforward references, on random inputs.

The validator checks a record the writer could have made from one regular-expression match
(``_PLAIN_LF``/``_PLAIN_CRLF`` and a ``_Plan``) and sends anything else to the line scanner; the
reference is the line scanner alone, reading the file as the validator did before: a text
stream with universal newlines, one line at a time.
"""

import io
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from biblio import ids
from biblio.formats import ris

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import generate  # noqa: E402  (bench/generate.py: the synthetic articles of the benchmark)

# Lines a RIS file holds, well and badly formed, and the characters that end or split lines.
_LINES = st.sampled_from([
    "TY  - JOUR", "TY  - BOOK", "TY  - WHAT", "TY  -", "TY  - ", "TY  - \u2028", "ER  - ", "ER  -", "ER  - x",
    "TI  - Title", "TI  - ", "T1  - Other title", "AU  - Family, Given", "A1  - One", "T2  - Journal",
    "JO  - J.", "PY  - 2025", "PY  - soon", "DA  - 2025/06/30/", "DA  - 2025/06//", "Y1  - May 2020",
    "DO  - 10.1234/abc", "DO  - not a doi", "DO  - https://doi.org/10.1234/x", "DO  - 10.1234/a\u00e9",
    "SN  - 2999-0114, 2999-0122", "SN  - 1234-5678; x", "SN  - ", "AB  - An abstract.", "AB  - \x85",
    "KW  - word", "XY  - custom", "ZZ  - other", "Z1  - ", "N1  - note", "LA  - kk", "UR  - https://x.test/a",
    "", " ", "\t", "\xa0", "  TI  - lead", "AU - loose", "PY  -2025", "au  - lower", "12  - digits",
    "continued text", "ER", "TY", "TI  - a\x0bb\x1cc", "TI  - x\u2028y", "\ufeffTY  - JOUR",
])
_ENDS = st.sampled_from(["\n", "\r\n", "\r"])


@st.composite
def _ris_texts(draw):
    """A file's text: lines with random line ends, now and then a BOM and no final line end."""
    lines = draw(st.lists(st.tuples(_LINES, _ENDS), max_size=40))
    text = "".join(line + end for line, end in lines)
    if draw(st.booleans()):
        text = text.rstrip("\r\n")
    if draw(st.booleans()):
        text = "\ufeff" + text
    return text


@st.composite
def _plain_texts(draw):
    """Mostly records the fast path takes, some with one flaw, one line end style per file or mixed."""
    tags = st.sampled_from(["TI", "AU", "T2", "J2", "AB", "DA", "PY", "VL", "IS", "SP", "EP", "DO", "SN", "UR",
                            "LA", "PB", "KW", "XY", "C7", "TY", "ER", "Y1", "A2"])
    values = st.sampled_from(["x", "Title  with  spaces", "2025", "2025/06/30/", "soon", "10.1234/abc",
                              "bad doi", "2999-0114, 2999-0122", "1234-5678", " ", "", "a\rb", "a\rPY  - 2020",
                              "\u2028", "x\x85", "long " * 50])
    end = draw(st.sampled_from(["\n", "\r\n", None]))
    records = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["JOUR", "BOOK", "WHAT", "", " JOUR "]))
        fields = draw(st.lists(st.tuples(tags, values), max_size=12))
        lines = [f"TY  - {kind}", *(f"{tag}  - {value}" for tag, value in fields), "ER  - "]
        lead = draw(st.sampled_from(["", "\n", " \n", "text\n"]))
        records.append(lead + "".join(line + (end or draw(_ENDS)) for line in lines))
    return "".join(records)


def _reference(path):
    """``validate`` as it was: universal newlines, one line at a time through ``_scan``."""
    file = str(path)
    try:
        with open(path, encoding="utf-8", newline=None) as stream:
            return ris._validate_lines(ris._file_lines(stream), file)
    except UnicodeDecodeError:
        text, problems = ris._decode(path.read_bytes(), file)
        return ris._validate_lines(ris._lines(text), file, problems)


_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@_SETTINGS
@given(text=st.one_of(_ris_texts(), _plain_texts()), broken=st.booleans())
def test_validate_equals_the_line_by_line_reference(tmp_path, text, broken):
    path = tmp_path / "check.ris"
    data = text.encode("utf-8")
    if broken and data:  # not UTF-8: the whole file is read again
        data = data[: len(data) // 2] + b"\xff" + data[len(data) // 2:]
    path.write_bytes(data)
    assert ris.validate(path) == _reference(path)


@_SETTINGS
@given(text=st.one_of(_ris_texts(), _plain_texts()), size=st.integers(1, 9), ahead=st.integers(0, 40))
def test_validate_equals_the_reference_across_small_pieces(tmp_path, monkeypatch, text, size, ahead):
    """Pieces of a few bytes and a short look-ahead cut records, CRLFs and characters anywhere."""
    path = tmp_path / "check.ris"
    path.write_bytes(text.encode("utf-8"))
    monkeypatch.setattr(ris, "_AHEAD", ahead)
    found = ris._validate_text(ris._text_pieces(io.BytesIO(text.encode("utf-8")), size), str(path))
    assert found == _reference(path)


@pytest.mark.parametrize("name", ["synthetic", "example"])
def test_the_writer_output_takes_the_fast_path(tmp_path, example_issue, monkeypatch, name):
    """What the writer makes never reaches the line scanner (else the fast path is dead code),
    with CRLFs as written or LFs."""
    issue = generate.issue(30) if name == "synthetic" else example_issue
    written, _ = ris.write(issue, tmp_path)
    lf = tmp_path / "lf.ris"
    lf.write_bytes(written[0].read_bytes().replace(b"\r\n", b"\n"))
    expected = [_reference(path) for path in (written[0], lf)]
    scan = ris._scan

    def scan_no_paragraphs(lines, *args):  # an abstract's further paragraphs are not plain lines
        for record in scan(lines, *args):
            assert any(len(field.parts) > 1 for field in record.fields), "a plain record was scanned"
            yield record
    monkeypatch.setattr(ris, "_scan", scan_no_paragraphs)
    assert [ris.validate(path) for path in (written[0], lf)] == expected


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from("10./abc \u00e9\n9\t"), max_size=30).map(str.strip)
       | st.from_regex(r"10\.\d{3,10}/\S{0,8}", fullmatch=True))
def test_a_plainly_bare_doi_is_one_ids_takes(value):
    if ris._plainly_bare_doi(value):
        assert ids.doi(value).ok and ids.doi(value).value == value


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["2999-0114", "2999-0115", "x", "", " ", ",", ";", "1234-5678"]), max_size=5)
       .map("".join))
def test_bad_issns_are_those_the_record_check_reports(value):
    reference = [ris._checked_issn(part) for part in ris._ISSN_SEPARATORS.split(value)
                 if part and not ris._checked_issn(part).ok]
    assert list(ris._bad_issns(value)) == reference
