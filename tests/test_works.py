"""Records that are not journal articles (issue 17): books, chapters, theses, web pages … are read as works
(``formats.Work``, a ``Reference`` in no issue), written as what they are to BibTeX, RIS and CSL-JSON, and reported by
the formats that carry journal articles only (Crossref, JATS)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import biblio
from biblio import cli
from biblio.formats import Work
from biblio.model import PartialDate, Reference

BIB = """\
@article{smith2020,
  author  = {Smith, John and Doe, Jane},
  title   = {An Article on Rivers},
  journal = {Journal of Rivers},
  year    = {2020},
  volume  = {12},
  number  = {3},
  pages   = {45--67},
  doi     = {10.1234/jor.2020.45},
  issn    = {0028-0836},
}

@book{knuth1984,
  author    = {Knuth, Donald E.},
  title     = {The Book of Typesetting},
  publisher = {Addison-Wesley},
  address   = {Reading, MA},
  year      = {1984},
  isbn      = {978-0-201-13447-6},
  edition   = {2},
  url       = {https://example.org/book},
}

@incollection{lamport1994,
  author    = {Lamport, Leslie},
  editor    = {Goossens, Michel and Mittelbach, Frank},
  title     = {A Chapter on Macros},
  booktitle = {The Companion to Macros},
  publisher = {Addison-Wesley},
  address   = {Boston},
  year      = {1994},
  pages     = {100--120},
  isbn      = {0-201-54199-8},
  doi       = {10.5555/chapter.1994},
}

@phdthesis{brown2010,
  author  = {Brown, Alice},
  title   = {A Thesis on Sediments},
  school  = {University of Somewhere},
  address = {Oxford},
  year    = {2010},
  url     = {https://example.org/thesis.pdf},
}

@online{who2021,
  author  = {{World Health Organization}},
  title   = {Fact Sheet on Clean Water},
  url     = {https://www.who.int/fact-sheet},
  year    = {2021},
  urldate = {2021-05-04},
}
"""

RIS = """\
TY  - JOUR
TI  - An Article on Rivers
AU  - Smith, John
AU  - Doe, Jane
T2  - Journal of Rivers
PY  - 2020
VL  - 12
IS  - 3
SP  - 45
EP  - 67
DO  - 10.1234/jor.2020.45
SN  - 0028-0836
ER  - 

TY  - BOOK
TI  - The Book of Typesetting
AU  - Knuth, Donald E.
PY  - 1984
ET  - 2
PB  - Addison-Wesley
CY  - Reading, MA
SN  - 978-0-201-13447-6
UR  - https://example.org/book
ER  - 

TY  - CHAP
TI  - A Chapter on Macros
AU  - Lamport, Leslie
A2  - Goossens, Michel
A2  - Mittelbach, Frank
T2  - The Companion to Macros
PY  - 1994
SP  - 100
EP  - 120
PB  - Addison-Wesley
CY  - Boston
SN  - 0-201-54199-8
DO  - 10.5555/chapter.1994
ER  - 

TY  - THES
TI  - A Thesis on Sediments
AU  - Brown, Alice
PY  - 2010
PB  - University of Somewhere
CY  - Oxford
UR  - https://example.org/thesis.pdf
ER  - 

TY  - ELEC
TI  - Fact Sheet on Clean Water
AU  - World Health Organization
PY  - 2021
UR  - https://www.who.int/fact-sheet
Y2  - 2021/05/04/
ER  - 
"""

CSL = [
    {"id": "smith2020", "type": "article-journal", "title": "An Article on Rivers",
     "author": [{"family": "Smith", "given": "John"}, {"family": "Doe", "given": "Jane"}],
     "container-title": "Journal of Rivers", "issued": {"date-parts": [[2020]]}, "volume": "12", "issue": "3",
     "page": "45-67", "DOI": "10.1234/jor.2020.45", "ISSN": "0028-0836"},
    {"id": "knuth1984", "type": "book", "title": "The Book of Typesetting",
     "author": [{"family": "Knuth", "given": "Donald E."}], "publisher": "Addison-Wesley",
     "publisher-place": "Reading, MA", "issued": {"date-parts": [[1984]]}, "ISBN": "978-0-201-13447-6",
     "edition": "2", "URL": "https://example.org/book"},
    {"id": "lamport1994", "type": "chapter", "title": "A Chapter on Macros",
     "author": [{"family": "Lamport", "given": "Leslie"}],
     "editor": [{"family": "Goossens", "given": "Michel"}, {"family": "Mittelbach", "given": "Frank"}],
     "container-title": "The Companion to Macros", "publisher": "Addison-Wesley", "publisher-place": "Boston",
     "issued": {"date-parts": [[1994]]}, "page": "100-120", "ISBN": "0-201-54199-8", "DOI": "10.5555/chapter.1994"},
    {"id": "brown2010", "type": "thesis", "title": "A Thesis on Sediments", "author": [{"family": "Brown",
     "given": "Alice"}], "publisher": "University of Somewhere", "publisher-place": "Oxford",
     "issued": {"date-parts": [[2010]]}, "URL": "https://example.org/thesis.pdf"},
    {"id": "who2021", "type": "webpage", "title": "Fact Sheet on Clean Water",
     "author": [{"literal": "World Health Organization"}], "URL": "https://www.who.int/fact-sheet",
     "issued": {"date-parts": [[2021]]}, "accessed": {"date-parts": [[2021, 5, 4]]}},
]

SOURCES = {"bibtex": ("works.bib", BIB), "ris": ("works.ris", RIS),
           "csl": ("works.csl.json", json.dumps(CSL, indent=2, ensure_ascii=False))}
TARGETS = {"bibtex": "out.bib", "ris": "out.ris", "csl": "out.csl.json"}

# What each work of the files above is, whatever the format it is read from: type, title, authors, year, publisher,
# place, ISBN, URL, DOI, then the container, pages, editors and the date the page was seen.
EXPECTED = [
    ("book", "The Book of Typesetting", ["Knuth, Donald E."], "1984", "Addison-Wesley", "Reading, MA",
     "978-0-201-13447-6", "https://example.org/book", None, None, None, [], None),
    ("book_chapter", "A Chapter on Macros", ["Lamport, Leslie"], "1994", "Addison-Wesley", "Boston", "0-201-54199-8",
     None, "10.5555/chapter.1994", "The Companion to Macros", "100-120", ["Goossens, Michel", "Mittelbach, Frank"],
     None),
    ("dissertation", "A Thesis on Sediments", ["Brown, Alice"], "2010", "University of Somewhere", "Oxford", None,
     "https://example.org/thesis.pdf", None, None, None, [], None),
    ("web_resource", "Fact Sheet on Clean Water", ["World Health Organization"], "2021", None, None, None,
     "https://www.who.int/fact-sheet", None, None, None, [], PartialDate(2021, 5, 4)),
]
KINDS = {"bibtex": ["@book", "@incollection", "@phdthesis", "@online"], "ris": ["BOOK", "CHAP", "THES", "ELEC"],
         "csl": ["book", "chapter", "thesis", "webpage"]}
NAMES = {"bibtex": ["entry 'knuth1984'", "entry 'lamport1994'", "entry 'brown2010'", "entry 'who2021'"],
         "ris": ["record 2", "record 3", "record 4", "record 5"],
         "csl": ["item 'knuth1984'", "item 'lamport1994'", "item 'brown2010'", "item 'who2021'"]}


def facts(work: Work) -> tuple[object, ...]:
    r = work.reference
    return (r.type, r.title, r.authors, r.year, r.publisher, r.place, r.isbn, r.url, r.doi, r.container, r.pages,
            work.editors, r.accessed)


def source(tmp_path: Path, fmt: str) -> Path:
    name, text = SOURCES[fmt]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def record_lines(path: Path, fmt: str) -> list[int]:
    """The lines where the works' records start, found in the file itself."""
    lines = path.read_text(encoding="utf-8").splitlines()
    starts = {"bibtex": "@", "ris": "TY  - ", "csl": '    "id"'}[fmt]
    found = [number for number, line in enumerate(lines, 1) if line.startswith(starts)]
    return found[1:] if fmt != "csl" else [n - 1 for n in found[1:]]  # a CSL item starts at its "{"


@pytest.mark.parametrize("fmt", sorted(SOURCES))
def test_works_are_read_as_what_they_are(tmp_path: Path, fmt: str) -> None:
    path = source(tmp_path, fmt)
    works, problems = biblio.load_works(path)
    assert [facts(work) for work in works] == EXPECTED
    assert [work.kind for work in works] == KINDS[fmt] and [work.name for work in works] == NAMES[fmt]
    assert [work.line for work in works] == record_lines(path, fmt)
    assert not [p for p in problems if p.severity != "info"], problems
    assert any(p.code == "read.articles" for p in problems)  # the article is said to be left out here ...
    [issue], problems = biblio.load_catalogue(path)  # ... and is the only article of the catalogue
    assert [a.titles.main for a in issue.articles] == ["An Article on Rivers"]
    assert any(p.code == "read.works" and NAMES[fmt][0] in p.message for p in problems)


@pytest.mark.parametrize("target", sorted(TARGETS))
@pytest.mark.parametrize("fmt", sorted(SOURCES))
def test_convert_writes_works_as_what_they_are_and_round_trips(tmp_path: Path, fmt: str, target: str) -> None:
    out = tmp_path / TARGETS[target]
    report = biblio.convert(source(tmp_path, fmt), target, out)
    assert report.ok and out.is_file(), [str(p) for p in report.problems if p.severity == "error"]
    assert not [p for p in biblio.validate(out) if p.severity == "error"]  # valid under the format's validator
    works, _ = biblio.load_works(out)
    assert [facts(work) for work in works] == EXPECTED
    assert [work.kind for work in works] == KINDS[target]
    [issue], _ = biblio.load_catalogue(out)
    [article] = issue.articles
    assert (article.titles.main, article.doi, issue.volume) == ("An Article on Rivers", "10.1234/jor.2020.45", "12")


@pytest.mark.parametrize("target", ["crossref", "jats"])
@pytest.mark.parametrize("fmt", sorted(SOURCES))
def test_journal_formats_write_the_article_and_report_each_work(tmp_path: Path, fmt: str, target: str) -> None:
    path = source(tmp_path, fmt)
    settings = tmp_path / "settings.yaml"
    settings.write_text("depositor:\n  name: Test\n  email: test@example.org\nregistrant: Test\n"
                        "landing_page_pattern: https://example.org/{doi}\n", encoding="utf-8")
    out = tmp_path / ("deposit.xml" if target == "crossref" else "jats")
    report = biblio.convert(path, target, out, settings=settings)
    assert report.ok, [str(p) for p in report.problems if p.severity == "error"]
    written = [out] if target == "crossref" else sorted(out.iterdir())
    assert len(written) == 1 and not [p for p in biblio.validate(written[0]) if p.severity == "error"]
    text = written[0].read_text(encoding="utf-8")
    assert "An Article on Rivers" in text and "Typesetting" not in text and "Sediments" not in text
    left = [p for p in report.problems if p.code == "convert.work-left-out"]
    assert [(p.severity, p.file, p.line) for p in left] == [("warning", str(path), line)
                                                           for line in record_lines(path, fmt)]
    for problem, name in zip(left, NAMES[fmt]):
        assert name in problem.message and target in problem.message and "BibTeX, RIS or CSL-JSON" in problem.message


@pytest.mark.parametrize("target", ["crossref", "jats"])
@pytest.mark.parametrize("fmt", sorted(SOURCES))
def test_a_file_of_works_only_is_a_clear_error_for_journal_formats(tmp_path: Path, fmt: str, target: str) -> None:
    works_only = tmp_path / ("only" + SOURCES[fmt][0])  # the same works without the article
    works_only.write_text({"bibtex": BIB[BIB.index("@book"):], "ris": RIS[RIS.index("TY  - BOOK"):],
                           "csl": json.dumps(CSL[1:], indent=2)}[fmt], encoding="utf-8")
    report = biblio.convert(works_only, target, tmp_path / ("x.xml" if target == "crossref" else "x"))
    errors = [p for p in report.problems if p.severity == "error"]
    assert not report.ok and [p.code for p in errors] == ["convert.works-only"]
    assert "no journal article" in errors[0].message and "BibTeX, RIS or CSL-JSON" in errors[0].message
    assert not (tmp_path / "x.xml").exists() and not (tmp_path / "x").exists()
    assert len([p for p in report.problems if p.code == "convert.work-left-out"]) == 4
    issue, problems = biblio.load(works_only)  # one issue wanted: none, and why
    assert issue is None and [p.code for p in problems if p.severity == "error"] == ["read.works-only"]
    works, _ = biblio.load_works(works_only)
    assert [facts(work) for work in works] == EXPECTED
    for citation in TARGETS:  # the citation formats write them all
        written = tmp_path / ("again." + TARGETS[citation])
        assert biblio.convert(works_only, citation, written).ok
        assert [facts(work) for work in biblio.load_works(written)[0]] == EXPECTED


def test_the_command_line_names_each_work_left_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = source(tmp_path, "bibtex")
    assert cli.main(["convert", str(path), "--to", "jats", "-o", str(tmp_path / "jats")]) == 0
    out, err = capsys.readouterr()
    assert "entry 'lamport1994'" in err and "convert.work-left-out" in err
    works = len(biblio.load_works(path)[0])
    assert works > 1 and out.startswith(f"{path}: 1 article and {works} works -> ")
    assert cli.main(["convert", str(path), "--to", "ris", "-o", str(tmp_path / "all.ris"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["works"] == works


def test_records_without_a_title_are_skipped_with_a_warning(tmp_path: Path) -> None:
    bib = tmp_path / "untitled.bib"
    bib.write_text("@book{a, author = {Doe, Jane}, year = {2000}}\n@book{b, title = {Kept}, year = {2001}}\n",
                   encoding="utf-8")
    works, problems = biblio.load_works(bib)
    assert [w.reference.title for w in works] == ["Kept"]
    assert [(p.code, p.line) for p in problems if p.severity == "warning"] == [("bibtex.unusable", 1)]
    ris = tmp_path / "untitled.ris"
    ris.write_text("TY  - BOOK\nAU  - Doe, Jane\nER  - \n\nTY  - RPRT\nTI  - Kept\nER  - \n", encoding="utf-8")
    works, problems = biblio.load_works(ris)
    assert [(w.reference.type, w.reference.title) for w in works] == [("report", "Kept")]
    assert [(p.code, p.line) for p in problems if p.severity == "warning"] == [("ris.record-skipped", 1)]
    csl = tmp_path / "untitled.json"
    csl.write_text('[{"id": "a", "type": "book"}, {"id": "b", "type": "thesis", "title": "Kept"}]', encoding="utf-8")
    works, problems = biblio.load_works(csl)
    assert [(w.reference.type, w.reference.title) for w in works] == [("dissertation", "Kept")]
    assert [p.code for p in problems if p.severity == "warning"] == ["csl.unusable"]


def test_works_alike_get_their_own_keys_and_ids(tmp_path: Path) -> None:
    path = tmp_path / "twins.bib"
    path.write_text("@book{a, author = {Doe, Jane}, title = {Rivers}, year = {2000}, publisher = {P}}\n"
                    "@book{b, author = {Doe, Jane}, title = {Rivers}, year = {2000}, publisher = {Q}}\n",
                    encoding="utf-8")
    for target in TARGETS:
        out = tmp_path / TARGETS[target]
        assert biblio.convert(path, target, out).ok
        assert [w.reference.publisher for w in biblio.load_works(out)[0]] == ["P", "Q"]
    keys = [line.split("{")[1].rstrip(",") for line in (tmp_path / "out.bib").read_text().splitlines()
            if line.startswith("@")]
    ids = [item["id"] for item in json.loads((tmp_path / "out.csl.json").read_text(encoding="utf-8"))]
    assert len(set(keys)) == 2 and len(set(ids)) == 2


def test_a_generic_record_with_a_series_stays_a_work(tmp_path: Path) -> None:
    """A @misc's howpublished is its container; in RIS a GEN record with T2 would be a journal article, so the writer
    puts the container in T3 and the reader takes it back from there."""
    path = tmp_path / "misc.bib"
    path.write_text("@misc{m, author = {Doe, Jane}, title = {A Leaflet}, howpublished = {Town Hall}, year = {2019}}\n",
                    encoding="utf-8")
    for target in TARGETS:
        out = tmp_path / TARGETS[target]
        assert biblio.convert(path, target, out).ok
        [work], _ = biblio.load_works(out)
        assert (work.reference.type, work.reference.title, work.reference.container) == (
            "other", "A Leaflet", "Town Hall"), target
    assert "T3  - Town Hall" in (tmp_path / "out.ris").read_text(encoding="utf-8")


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_a_type_the_target_lacks_is_said(tmp_path: Path, target: str) -> None:
    """A work type a format has no record type for is written as its generic type, with a note saying so."""
    from biblio.conversion import _work_writer

    writer = _work_writer(target)
    assert writer is not None
    data, problems = writer(Work(Reference(type="poster", title="A Poster", year="2020"), 3, "entry 'p'", "@misc"))
    assert [p.severity for p in problems] == ["info"] and "poster" in problems[0].message
    out = tmp_path / TARGETS[target]
    out.write_bytes(data)
    assert not [p for p in biblio.validate(out) if p.severity == "error"]
    [work], _ = biblio.load_works(out)
    assert (work.reference.type, work.reference.title, work.reference.year) == ("other", "A Poster", "2020")


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_a_work_without_a_title_is_refused_by_the_writer(target: str) -> None:
    from biblio.conversion import _work_writer

    writer = _work_writer(target)
    assert writer is not None
    _, problems = writer(Work(Reference(type="book", year="2020"), 3, "entry 'p'", "@book"))
    assert [p.severity for p in problems if p.severity == "error"] == ["error"]
