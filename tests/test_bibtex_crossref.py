"""Issue 17, the BibTeX parse layer: an entry inherits what its ``crossref`` (and ``xdata``) entries give, as BibTeX
and biber do, and nothing from any other entry; names with a suffix or of an organisation are split as meant.
Each test failed before its fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from biblio.cli import main
from biblio.formats.bibtex import names, parse
from biblio.problems import Problem

REAL = Path(__file__).parent / "data" / "real" / "bibtexparser"

PROCEEDINGS = """@inproceedings{paper,
  author = {Smith, John},
  title = {A Paper},
  pages = {1--10},
  crossref = {proc},
}

@article{unrelated,
  author = {Roe, Ann},
  title = {Unrelated},
  journal = {Some Journal},
}

@proceedings{proc,
  title = {Proceedings of the Tenth Workshop},
  editor = {Editor, Ed},
  publisher = {ACM},
  address = {New York},
  year = 2020,
  volume = {12},
  doi = {10.1145/1234},
  url = {https://example.org/proc},
  pages = {300},
  abstract = {The proceedings' own abstract.},
}
"""


def _fields(text: str, problems: list[Problem] | None = None) -> dict[str, dict[str, str]]:
    library = parse.parse(text, problems=problems, file="refs.bib")
    return {entry.key: {field.key.lower(): str(field.value) for field in entry.fields} for entry in library.entries}


def test_inproceedings_inherits_from_its_proceedings_and_nothing_else() -> None:
    problems: list[Problem] = []
    found = _fields(PROCEEDINGS, problems)
    paper = found["paper"]
    assert paper["booktitle"] == "Proceedings of the Tenth Workshop"  # the parent's title
    assert {name: paper[name] for name in ("editor", "publisher", "address", "year", "volume")} == {
        "editor": "Editor, Ed", "publisher": "ACM", "address": "New York", "year": "2020", "volume": "12"}
    assert paper["title"] == "A Paper" and paper["pages"] == "1--10"  # its own fields kept
    assert "doi" not in paper and "url" not in paper and "abstract" not in paper  # the parent's own record
    assert found["unrelated"] == {"author": "Roe, Ann", "title": "Unrelated", "journal": "Some Journal"}
    assert "booktitle" not in found["proc"]
    assert problems == []


def test_raw_parse_keeps_the_file_as_written() -> None:
    library = parse.parse(PROCEEDINGS, raw=True)
    assert "booktitle" not in {field.key for field in library.entries[0].fields}


def test_the_inherited_facts_reach_the_converted_file(tmp_path: Path) -> None:
    source = tmp_path / "refs.bib"
    source.write_text(PROCEEDINGS, encoding="utf-8")
    out = tmp_path / "refs.json"
    main(["convert", str(source), "--to", "csl", "-o", str(out)])
    items = {item["title"]: item for item in json.loads(out.read_text(encoding="utf-8"))}
    paper = items["A Paper"]
    assert paper["issued"]["date-parts"][0][0] == 2020 and paper["volume"] == "12"
    assert "DOI" not in paper
    assert "issued" not in items["Unrelated"]  # no other entry's year


def test_a_crossref_to_a_missing_key_is_a_warning_naming_the_entry_and_line() -> None:
    problems: list[Problem] = []
    text = (REAL / "crossref_missing_entries.bib").read_text(encoding="utf-8")
    assert "booktitle" not in _fields(text, problems)["mcr"]
    assert [(p.code, p.severity, p.path, p.line) for p in problems] == [("bibtex.crossref", "warning", "mcr", 6)]
    assert "'missing1'" in problems[0].message and problems[0].file == "refs.bib"


def test_biblatex_inheritance_table_on_biber_test_data() -> None:
    found = _fields((REAL / "crossref_entries.bib").read_text(encoding="utf-8"))
    assert found["cr7"]["bookauthor"] == "Brian Bookauthor" and found["cr7"]["author"] == "Author, Firstname"
    assert (found["cr7"]["booktitle"], found["cr7"]["booksubtitle"], found["cr7"]["booktitleaddon"]) == (
        "Book Title", "Book Subtitle", "Book Titleaddon")
    assert found["cr7"]["year"] == "2010" and found["cr7"]["verba"] == "String"
    assert found["cr8"]["booktitle"] == "Book Title" and found["cr8"]["editor"] == "Brian Editor"
    assert found["cr6"]["booktitle"] == "Manual booktitle" and found["cr6"]["eventtitle"] == "Title of the event"
    assert found["cr1"]["booktitle"] == "Graphs of the Continent" and "primaryclass" not in found["cr_m"]


def test_cascading_crossrefs_and_aliases() -> None:
    found = _fields((REAL / "crossref_cascading_aliases.bib").read_text(encoding="utf-8"))
    assert found["ccr2"]["maintitle"] == "Stuff Concerning Varia"  # @mvbook -> @book, through the ids alias
    assert found["ccr3"]["booktitle"] == "Misc etc." and found["ccr3"]["maintitle"] == "Stuff Concerning Varia"
    assert found["ccr3"]["title"] == "Perhaps, Perchance, Possibilities?"


def test_a_crossref_loop_is_a_warning_and_a_long_chain_no_recursion_error() -> None:
    problems: list[Problem] = []
    found = _fields((REAL / "crossref_cascading_cycle.bib").read_text(encoding="utf-8"), problems)
    assert found["circ1"]["date"] == "1911" and [p.code for p in problems] == ["bibtex.crossref"]
    chain = "".join(f"@book{{b{n}, title = {{T{n}}}, crossref = {{b{n + 1}}}}}\n" for n in range(3000))
    found = _fields(chain + "@book{b3000, title = {Last}, publisher = {P}}\n")
    assert found["b0"]["publisher"] == "P"


def test_the_child_own_date_is_not_overridden_by_the_parent_date() -> None:
    found = _fields("@inproceedings{a, title = {A}, year = 2010, crossref = {p}}\n"
                    "@proceedings{p, title = {P}, date = {2009-05}, journal = {J}}\n"
                    "@article{b, title = {B}, journaltitle = {Own}, crossref = {p}}\n")
    assert "date" not in found["a"] and found["a"]["year"] == "2010"
    assert "journal" not in found["b"] and found["b"]["date"] == "2009-05"


def test_xdata_gives_its_fields() -> None:
    found = _fields("@xdata{acm, publisher = {ACM}, location = {New York}}\n"
                    "@xdata{year, year = 2021, xdata = {acm}}\n"
                    "@book{b, title = {B}, xdata = {year, acm}, location = {Oslo}}\n")
    assert (found["b"]["publisher"], found["b"]["year"], found["b"]["location"]) == ("ACM", "2021", "Oslo")


# --- names -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "parts"), [
    ("von Hicks, III, Michael", (["Michael"], ["von"], ["Hicks"], ["III"])),
    ("Martin Luther King, Jr.", (["Martin", "Luther"], [], ["King"], ["Jr."])),  # BibTeX: first name "Jr."
    ("van den Huevel, Jr., Johan A", (["Johan", "A"], ["van", "den"], ["Huevel"], ["Jr."])),
    ("Smith, V", (["V"], [], ["Smith"], [])),  # an initial, not a suffix
    ("King, Jr.", (["Jr."], [], ["King"], [])),  # nothing says which is the name: BibTeX's reading
])
def test_name_suffixes(raw: str, parts: tuple[list[str], ...]) -> None:
    split = names.split_name(raw)
    assert (split.first, split.von, split.last, split.jr) == parts


@pytest.mark.parametrize(("raw", "body"), [
    ("{Center for Disease Control}", "Center for Disease Control"),
    ("Center for Disease Control", "Center for Disease Control"),
    ("World Health Organization", "World Health Organization"),
    ("Ludwig van Beethoven", None), ("Group, John", None), ("Robert Service", None), ("Smith", None),
])
def test_organisations(raw: str, body: str | None) -> None:
    assert names.organisation(raw) == body
