"""References of other kinds (issue 16 item 7): each type written from the manifest to a Crossref citation and a
JATS element-citation with the elements its documentation gives it, valid against both schemas, and read back
from JATS; a type the manifest does not know is an error that names the type meant."""

from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLE
from lxml import etree
from regen_golden import crossref_deposit

import biblio
from biblio import manifest
from biblio.formats import crossref, dumps, jats
from biblio.model import PartialDate

NS = {"c": crossref.NS}
CHAPTER = {"type": "book_chapter", "text": "Lee A. Steppe. In: Grass. 2nd ed. Almaty: Nauka; 2019. p. 3-9.",
           "authors": ["Lee, Ann"], "title": "Steppe", "container": "Grass", "edition": "2", "year": "2019",
           "publisher": "Nauka", "place": "Almaty", "isbn": "978-0-306-40615-7", "pages": "3-9"}
# type: (manifest fields, Crossref elements expected {element: text}, JATS (publication-type, {element: text}))
CASES = {
    "book": ({"title": "Grass", "container": "Flora series", "edition": "3", "isbn": "0-306-40615-2",
              "publisher": "Nauka", "place": "Almaty", "year": "2019"},
             {"volume_title": "Grass", "series_title": "Flora series", "edition_number": "3",
              "isbn": "0-306-40615-2", "cYear": "2019"},
             ("book", {"source": "Grass", "series": "Flora series", "edition": "3", "isbn": "0-306-40615-2",
                       "publisher-name": "Nauka", "publisher-loc": "Almaty"})),
    "book_chapter": (CHAPTER, {"article_title": "Steppe", "volume_title": "Grass", "isbn": "978-0-306-40615-7",
                               "edition_number": "2", "first_page": "3"},
                     ("chapter", {"chapter-title": "Steppe", "source": "Grass", "edition": "2", "fpage": "3",
                                  "isbn": "978-0-306-40615-7", "publisher-loc": "Almaty"})),
    "report": ({"title": "Water use", "publisher": "Ministry of Ecology", "year": "2021"},
               {"volume_title": "Water use", "cYear": "2021"},
               ("report", {"source": "Water use", "publisher-name": "Ministry of Ecology"})),
    "dissertation": ({"title": "On steppes", "publisher": "Al-Farabi Kazakh National University", "year": "2018"},
                     {"volume_title": "On steppes"},
                     ("thesis", {"source": "On steppes", "publisher-name": "Al-Farabi Kazakh National University"})),
    "web_resource": ({"title": "Census 2021", "container": "Bureau of Statistics", "url": "https://stat.gov.kz/",
                      "accessed": "2024-05-01"},
                     {"article_title": "Census 2021"},
                     ("webpage", {"article-title": "Census 2021", "source": "Bureau of Statistics",
                                  "uri": "https://stat.gov.kz/", "date-in-citation": "2024-05-01"})),
    "dataset": ({"title": "Steppe plots", "container": "Zenodo", "doi": "10.5281/zenodo.123", "year": "2022"},
                {"article_title": "Steppe plots", "doi": "10.5281/zenodo.123"},
                ("data", {"data-title": "Steppe plots", "source": "Zenodo", "pub-id": "10.5281/zenodo.123"})),
    "conference_paper": ({"title": "A method", "container": "Proceedings of KazConf", "conference": "KazConf 2020",
                          "pages": "10-12", "year": "2020"},
                         {"article_title": "A method", "volume_title": "Proceedings of KazConf", "first_page": "10"},
                         ("confproc", {"article-title": "A method", "source": "Proceedings of KazConf",
                                       "conf-name": "KazConf 2020", "fpage": "10", "lpage": "12"})),
}


def _manifest(tmp_path: Path, references: list[dict]) -> Path:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["articles"] = data["articles"][:1]
    data["articles"][0]["references"] = references
    path = tmp_path / "issue.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """The issue with one reference of each type, its deposit's citations and its JATS refs (both valid)."""
    folder = tmp_path_factory.mktemp("types")
    references = [{"type": kind, **fields} for kind, (fields, _, _) in CASES.items()]
    issue, problems = biblio.load(_manifest(folder, references))
    assert issue is not None and not [p for p in problems if p.severity == "error"], problems
    data, deposit_problems = crossref_deposit(issue, timestamp=7)
    assert data is not None, deposit_problems
    (folder / "crossref.xml").write_bytes(data)
    assert crossref.validate(folder / "crossref.xml") == []
    files, jats_problems = dumps(jats.FORMAT, issue)
    [(name, body)] = files.items()
    (folder / name).write_bytes(body)
    assert jats.validate(folder / name) == []
    citations = etree.fromstring(data).findall(".//c:citation", NS)
    refs = etree.parse(str(folder / name)).findall("back/ref-list/ref")
    read = jats.FORMAT.read(folder / name)[0].articles[0].references
    return issue, citations, refs, read, deposit_problems


@pytest.mark.parametrize("number,kind", list(enumerate(CASES)))
def test_each_type_gets_its_crossref_elements(written, number, kind):
    _, citations, _, _, _ = written
    citation = citations[number]
    assert citation.get("type") == kind
    children = {etree.QName(child).localname: child.text for child in citation}
    assert {name: children.get(name) for name in CASES[kind][1]} == CASES[kind][1]
    assert not {"journal_title"} & set(children)  # a book or a site is no journal


@pytest.mark.parametrize("number,kind", list(enumerate(CASES)))
def test_each_type_gets_its_jats_elements(written, number, kind):
    _, _, refs, _, _ = written
    citation = refs[number].find("element-citation")
    publication_type, expected = CASES[kind][2]
    assert citation.get("publication-type") == publication_type
    children = {child.tag: child.text for child in citation}
    assert {tag: children.get(tag) for tag in expected} == expected
    if kind == "web_resource":
        date = citation.find("date-in-citation")
        assert (date.get("content-type"), date.get("iso-8601-date")) == ("access-date", "2024-05-01")


def test_jats_round_trip_keeps_every_kind(written):
    issue, _, _, read, _ = written
    assert read == issue.articles[0].references


def test_what_the_deposit_cannot_carry_is_reported(written):
    *_, problems = written
    notes = [p.message for p in problems if p.code == "crossref.not-carried"]
    assert any("access date" in note and "site or repository" in note for note in notes)


def test_a_wrong_type_is_an_error_with_a_did_you_mean(tmp_path):
    path = _manifest(tmp_path, [{"type": "website", "title": "Census"}, {"type": "bok", "title": "Grass"}])
    issue, problems = biblio.check(path)
    errors = {p.path: p.message for p in problems if p.code == "manifest.choice"}
    assert set(errors) == {"articles[0].references[0].type", "articles[0].references[1].type"}
    assert "did you mean 'book'" in errors["articles[0].references[1].type"]
    assert "web_resource" in errors["articles[0].references[0].type"]  # the list of types is given


def test_a_wrong_isbn_is_refused(tmp_path):
    path = _manifest(tmp_path, [{"type": "book", "title": "Grass", "isbn": "978-0-306-40615-8"}])
    _, problems = biblio.check(path)
    assert [(p.code, p.path) for p in problems if p.severity == "error"] == [
        ("isbn.checksum", "articles[0].references[0].isbn")]


def test_a_jats_type_biblio_has_no_word_for_is_read_as_other(written, tmp_path):
    issue = written[0]
    files, _ = dumps(jats.FORMAT, issue)
    [(name, body)] = files.items()
    (tmp_path / name).write_bytes(body.replace(b'publication-type="webpage"', b'publication-type="newspaper"'))
    reading = jats.FORMAT.read(tmp_path / name)
    kinds = [r.type for r in reading[0].articles[0].references]
    assert kinds == [kind if kind != "web_resource" else "other" for kind in CASES]
    assert [p.code for p in reading[1] if "newspaper" in p.message] == ["jats.reference-type"]


def test_the_manifest_keeps_every_kind(written):
    issue = written[0]
    again, problems = biblio.loads(manifest.dumps(issue))
    assert not [p for p in problems if p.severity == "error"]
    assert again.articles[0].references == issue.articles[0].references
    assert again.articles[0].references[4].accessed == PartialDate(2024, 5, 1)
