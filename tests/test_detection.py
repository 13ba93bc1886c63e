"""Issue 17: what other tools write is recognised — a byte-order mark (UTF-8, UTF-16) before any format, Web of
Science's RIS export with its header and trailer, and Web of Science's own tagged format refused with a problem
that names it and says what to export instead. Each test failed before its fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import biblio
from biblio import formats
from biblio.cli import main

REAL = Path(__file__).parent / "data" / "real"

BIB_ONE = "@article{one,\n  author = {Smith, John},\n  title = {One},\n  journal = {J},\n  year = {2020}\n}\n"
RIS = "TY  - JOUR\nAU  - Smith, John\nTI  - One\nT2  - Journal\nPY  - 2020\nVL  - 3\nER  - \n"
CSL = json.dumps([{"id": "one", "type": "article-journal", "title": "One", "container-title": "Journal",
                   "issued": {"date-parts": [[2020]]}}])
JATS = ('<?xml version="1.0" encoding="{enc}"?>\n<article article-type="research-article"><front><journal-meta>'
        "<journal-title-group><journal-title>Journal</journal-title></journal-title-group></journal-meta>"
        "<article-meta><title-group><article-title>One</article-title></title-group>"
        "<pub-date><year>2020</year></pub-date></article-meta></front></article>\n")


def _bytes(text: str, encoding: str) -> bytes:
    """The text as a tool saves it: with a UTF-8 mark, or as UTF-16 (Python's codec writes the mark)."""
    return b"\xef\xbb\xbf" + text.encode("utf-8") if encoding == "utf-8-sig" else text.encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
@pytest.mark.parametrize(("name", "text", "fmt"), [("one.bib", BIB_ONE, "bibtex"), ("one.ris", RIS, "ris"),
                                                   ("one.json", CSL, "csl"), ("one.xml", JATS, "jats")])
def test_a_byte_order_mark_is_detected(tmp_path: Path, name: str, text: str, fmt: str, encoding: str) -> None:
    path = tmp_path / name
    path.write_bytes(_bytes(text.replace("{enc}", "UTF-16" if encoding == "utf-16" else "UTF-8"), encoding))
    found = formats.detect(path)
    assert found is not None and found.name == fmt


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
@pytest.mark.parametrize(("name", "text"), [("one.bib", BIB_ONE), ("one.ris", RIS), ("one.xml", JATS)])
def test_a_file_with_a_byte_order_mark_is_read(tmp_path: Path, name: str, text: str, encoding: str) -> None:
    path = tmp_path / name
    path.write_bytes(_bytes(text.replace("{enc}", "UTF-16" if encoding == "utf-16" else "UTF-8"), encoding))
    issue, problems = biblio.load(path)
    assert issue is not None, [str(p) for p in problems]
    assert [a.titles.main for a in issue.articles] == ["One"]
    assert not [p for p in problems if p.severity == "error"]
    if encoding == "utf-16" and name != "one.xml":  # XML names its encoding; BibTeX and RIS readers want UTF-8
        assert [p.code for p in problems if p.severity == "warning" and "UTF-16" in p.message] == \
               [f"{path.suffix[1:].replace('bib', 'bibtex')}.encoding"]


def test_a_utf16_csl_file_is_refused_as_csl_not_as_an_unknown_format(tmp_path: Path) -> None:
    path = tmp_path / "items.json"
    path.write_bytes(CSL.encode("utf-16"))
    issue, problems = biblio.load(path)
    assert issue is None
    assert [p.code for p in problems] == ["csl.encoding"] and "UTF-8" in problems[0].message


def test_a_crossref_deposit_in_utf16_is_validated(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["build", str(Path(__file__).parent.parent / "examples" / "issue-86" / "issue.yaml"), "-o", str(out),
                 "-q"]) == 0
    text = (out / "crossref.xml").read_text(encoding="utf-8")
    path = tmp_path / "deposit.xml"
    path.write_bytes(text.replace('encoding="UTF-8"', 'encoding="UTF-16"', 1).encode("utf-16"))
    assert formats.detect(path) is formats.get("crossref")
    assert not [p for p in biblio.validate(path) if p.severity == "error"]


def test_a_bib_file_with_entries_inside_a_line_is_detected() -> None:
    path = REAL / "jabref" / "logic_importer_encodingWithoutNewline.bib"  # "% Encoding: US-ASCII@PREAMBLE{…}@article{…"
    assert formats.detect(path) is formats.get("bibtex")
    assert formats.detect(REAL / "bibtexparser" / "book_bom.bib") is formats.get("bibtex")  # one entry, after a BOM


# --- Web of Science ---------------------------------------------------------------------------------------------

WOS_RIS = ("\ufeffFN Clarivate Analytics Web of Science\r\nVR 1.0\r\n" + RIS.replace("\n", "\r\n") + "\r\n"
           + RIS.replace("One", "Two").replace("\n", "\r\n") + "\r\nEF\r\n")
WOS_TAGGED = ("\ufeffFN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAU Smith, J\nAF Smith, John\nTI One\n"
              "SO JOURNAL\nPY 2020\nVL 3\nER\n\nEF\n")


def test_web_of_science_ris_is_read_without_a_word_on_its_end_mark(tmp_path: Path) -> None:
    path = tmp_path / "savedrecs.ris"
    path.write_text(WOS_RIS, encoding="utf-8")
    assert formats.detect(path) is formats.get("ris")
    issue, problems = biblio.load(path)
    assert issue is not None and [a.titles.main for a in issue.articles] == ["One", "Two"]
    ef = WOS_RIS.count("\n", 0, WOS_RIS.index("EF\r")) + 1
    assert not [p for p in problems if p.line == ef]
    assert [(p.code, p.line) for p in problems if p.severity != "info"] == [("ris.outside-record", 1)]  # FN, VR


@pytest.mark.parametrize("path", ["made", REAL / "rispy" / "example_wos.ris"])
def test_web_of_science_tagged_format_is_named_and_refused(tmp_path: Path, path: Path | str,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    if path == "made":
        path = tmp_path / "savedrecs.txt"
        path.write_text(WOS_TAGGED, encoding="utf-8")
    assert main(["convert", str(path), "--to", "csl", "-o", str(tmp_path / "out.json")]) != 0
    assert not (tmp_path / "out.json").exists()
    err = capsys.readouterr().err
    assert "read.format" in err and "Web of Science" in err and "RIS (other reference software)" in err
    assert "cannot read this file's format" not in err
    issue, problems = biblio.load(path)
    refused = [p for p in problems if p.code == "read.format"]
    assert issue is None and len(refused) == 1 and refused[0].severity == "error" and refused[0].line == 3
    assert [p for p in biblio.validate(path) if p.code == "read.format"]


def test_text_that_only_mentions_pt_is_not_taken_for_web_of_science(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Some notes\nPT is a tag of Web of Science\n", encoding="utf-8")
    assert formats.detect(path) is None
