"""JATS 1.3: the example's ten articles, validity against the official DTD, golden files, references, reading
back, other publishers' files."""


import copy
from pathlib import Path

import pytest
from jats_view import view
from lxml import etree
from regen_golden import JATS_GOLDEN, golden_jats

import biblio
from biblio import api, cli
from biblio.formats import dumps, jats
from biblio.model import LangText, License, Pages, PartialDate, Publisher, Reference

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def example():
    from conftest import EXAMPLE
    issue, _ = biblio.load(EXAMPLE)
    return issue


def test_golden_files_are_current_and_valid(example):
    current = golden_jats(example)
    assert sorted(current) == sorted(p.name for p in JATS_GOLDEN.glob("*.xml")), "run `make golden`"
    for name, data in current.items():
        assert data == (JATS_GOLDEN / name).read_bytes(), f"{name} changed: run `make golden` and review"
        assert jats.validate(JATS_GOLDEN / name) == [], name


def test_trilingual_articles_carry_every_language(example):
    root = etree.fromstring(golden_jats(example)["2788-5860.2025.86.2.001.xml"])
    assert root.get(XML_LANG) == "kk" and root.get("dtd-version") == "1.3"
    meta = root.find("front/article-meta")
    assert meta.findtext("article-id[@pub-id-type='doi']") == "10.52536/2788-5860.2025.86.2.001"
    assert meta.findtext("title-group/article-title").startswith("МӘДЕНИ БІРЕГЕЙЛІК")
    assert [g.get(XML_LANG) for g in meta.findall("title-group/trans-title-group")] == ["ru", "en"]
    assert meta.find("abstract").get(XML_LANG) == "kk"
    assert [a.get(XML_LANG) for a in meta.findall("trans-abstract")] == ["ru", "en"]
    assert [g.get(XML_LANG) for g in meta.findall("kwd-group")] == ["kk", "ru", "en"]
    names = meta.findall("contrib-group/contrib/name-alternatives/name")
    assert [(n.get(XML_LANG), n.findtext("surname")) for n in names] == [("ru", "Насимов"), ("en", "Nassimov")]
    assert meta.findtext("funding-group/award-group/award-id") == "AP19677146"


def _write(issue, folder):
    files, problems = dumps(jats.FORMAT, issue)
    paths = []
    for name, data in files.items():
        paths.append(folder / name)
        paths[-1].write_bytes(data)
    return paths, problems


def test_every_article_written_and_valid(tmp_path, example):
    files, problems = _write(example, tmp_path)
    assert len(files) == 10 and all(jats.validate(f) == [] for f in files)
    notes = {p.message for p in problems if p.code == "jats.not-carried"}
    assert any("in-text citation numbers" in n and "articles 1-10" in n for n in notes)
    assert len(problems) == len(set(problems))  # journal-level notes are not repeated per article


def test_family_first_names_keep_their_order(example):
    root = etree.fromstring(golden_jats(example)["2788-5860.2025.86.2.008.xml"])
    eastern = root.findall(".//name[@name-style='eastern']")
    assert [n.findtext("surname") for n in eastern] == ["Bassygariyeva"]


def test_example_round_trips(tmp_path, example):
    files, _ = _write(example, tmp_path)
    for index, path in enumerate(files):
        issue, problems = jats.FORMAT.read(path)
        assert not [p for p in problems if p.severity == "error"]
        assert view(issue, 0) == view(example, index), path.name


def test_a_journal_without_issn_gives_no_file(example):
    issue = copy.deepcopy(example)
    issue.journal.issns = []
    files, problems = dumps(jats.FORMAT, issue)
    assert files == {}
    assert [p.code for p in problems if p.severity == "error"] == ["jats.issn"]  # once
    assert jats.FORMAT.check(issue) == [p for p in problems if p.severity == "error"]


def test_an_article_without_title_is_an_error_not_a_crash(example):
    issue = copy.deepcopy(example)
    issue.articles[1].titles = type(issue.articles[1].titles)({}, None)
    files, problems = dumps(jats.FORMAT, issue)
    assert len(files) == 9 and [(p.code, p.path) for p in problems if p.severity == "error"] == [
        ("jats.title-missing", "articles[1].titles")]


def test_publisher_places_follow_the_names_one_each(tmp_path, example):
    """JATS has (publisher-name, publisher-loc?)+: the places follow the last names, a single one the last name."""
    issue = copy.deepcopy(example)
    issue.articles = issue.articles[:1]
    names = LangText({"kk": "Баспа", "ru": "Издательство", "en": "Press"}, "kk")
    for places, expected in [({"kk": "Алматы"}, ["name kk", "name ru", "name en", "loc kk"]),
                             ({"kk": "Алматы", "en": "Almaty"},
                              ["name kk", "name ru", "loc kk", "name en", "loc en"])]:
        issue.journal.publisher = Publisher(names, LangText(places, "kk"))
        files, problems = _write(issue, tmp_path)
        publisher = etree.parse(str(files[0])).find("front/journal-meta/publisher")
        assert [f"{e.tag.split('-')[1]} {e.get(XML_LANG)}" for e in publisher] == expected
        assert jats.validate(files[0]) == [] and not [p for p in problems if p.code == "jats.publisher-place"]
    issue.journal.publisher = Publisher(LangText({"en": "Press"}, "en"), LangText({"kk": "Алматы", "en": "Almaty"}, "kk"))
    files, problems = _write(issue, tmp_path)
    assert jats.validate(files[0]) == []
    assert [(p.code, p.severity, p.path) for p in problems if p.code == "jats.publisher-place"] == [
        ("jats.publisher-place", "warning", "journal.publisher.place")]
    assert jats.FORMAT.read(files[0])[0].journal.publisher.place.texts == {"en": "Almaty"}


def test_an_article_without_doi_is_named_by_its_position(example):
    issue = copy.deepcopy(example)
    issue.articles[2].doi = None
    assert "article-003.xml" in dumps(jats.FORMAT, issue)[0]


def test_invalid_file_is_reported_with_line_and_path(tmp_path):
    source = (JATS_GOLDEN / "2788-5860.2025.86.2.003.xml").read_text(encoding="utf-8")
    broken = source.replace("<article-id pub-id-type=\"doi\">", "<volume>1</volume><article-id pub-id-type=\"doi\">")
    path = tmp_path / "broken.xml"
    path.write_text(broken, encoding="utf-8")
    problems = jats.validate(path)
    line = next(n for n, text in enumerate(broken.splitlines(), 1) if "<article-meta>" in text)
    assert problems and problems[0].code == "jats.schema" and problems[0].line == line  # the DTD names the parent
    assert problems[0].path == "/article/front/article-meta"
    assert "it has (volume article-id " in problems[0].message and len(problems[0].message) < 400
    code = cli.main(["validate", str(path)])
    assert code == 1


def test_export_command_writes_one_file_per_article(capsys, tmp_path, example_path):
    code = cli.main(["export", str(example_path), "--to", "jats", "-o", str(tmp_path / "jats"),
                     "--doi", "10.52536/2788-5860.2025.86.2.007"])
    out = capsys.readouterr().out
    assert code == 0 and "(valid)" in out
    assert [p.name for p in (tmp_path / "jats").iterdir()] == ["2788-5860.2025.86.2.007.xml"]


def test_build_writes_jats_beside_the_other_formats(tmp_path, example_path):
    report = api.build(example_path, tmp_path / "out")
    assert report.ok and report.formats[:2] == ["crossref", "jats"]
    assert sum(f.format == "jats" and f.valid for f in report.files) == 10


OTHER_PUBLISHER = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Publishing DTD v1.2 20190208//EN" "JATS-journalpublishing1.dtd">
<article xmlns:xlink="http://www.w3.org/1999/xlink" article-type="research-article" dtd-version="1.2">
 <front>
  <journal-meta>
   <journal-id journal-id-type="nlm-ta">J Test</journal-id>
   <journal-title-group><journal-title>Journal of <italic>Tests</italic></journal-title></journal-title-group>
   <issn pub-type="epub">0317-8471</issn>
   <publisher><publisher-name>Test Press</publisher-name></publisher>
  </journal-meta>
  <article-meta>
   <article-id pub-id-type="doi">https://doi.org/10.1234/JT.2020.5</article-id>
   <title-group><article-title>Reading <italic>other</italic> JATS</article-title></title-group>
   <contrib-group>
    <contrib contrib-type="author"><string-name>Ann B. Lee</string-name><xref ref-type="aff" rid="a1"/></contrib>
    <contrib contrib-type="author"><name><surname>Smith</surname><given-names>Jo</given-names></name>
      <xref ref-type="corresp" rid="c1"/></contrib>
    <contrib contrib-type="author"><collab>The Test Consortium</collab></contrib>
    <aff id="a1"><label>1</label>Department of Tests, University of Somewhere, Almaty, Kazakhstan</aff>
   </contrib-group>
   <pub-date pub-type="epub"><day>05</day><month>03</month><year>2020</year></pub-date>
   <volume>12</volume><issue>3</issue><fpage>101</fpage><lpage>110</lpage>
   <abstract><p>First.</p><p>Second &amp; last.</p></abstract>
   <kwd-group><kwd>tests</kwd><kwd>JATS</kwd></kwd-group>
  </article-meta>
 </front>
 <back><ref-list><ref id="r1"><label>1</label>
  <element-citation publication-type="journal"><person-group person-group-type="author">
   <name><surname>Doe</surname><given-names>J</given-names></name></person-group>
   <article-title>A paper</article-title><source>J Other</source><year>2019</year>
   <fpage>5</fpage><lpage>9</lpage><pub-id pub-id-type="doi">10.5555/xyz</pub-id></element-citation>
 </ref></ref-list></back>
</article>
"""


def test_reads_other_publishers_front_matter(tmp_path):
    path = tmp_path / "other.xml"
    path.write_text(OTHER_PUBLISHER, encoding="utf-8")
    issue, problems = jats.FORMAT.read(path)
    article = issue.articles[0]
    assert issue.journal.titles.texts == {"en": "Journal of Tests"}
    assert [(i.value, i.media) for i in issue.journal.issns] == [("0317-8471", "electronic")]
    assert (issue.volume, issue.number, issue.year) == ("12", "3", 2020)
    assert article.language == "en" and article.doi == "10.1234/JT.2020.5"
    assert article.titles.texts == {"en": "Reading other JATS"}
    assert article.abstracts.texts == {"en": "First.\n\nSecond & last."}
    assert article.keywords == {"en": ["tests", "JATS"]}
    lee, smith, group = article.contributors
    assert (lee.names["en"].given, lee.names["en"].family) == ("Ann B.", "Lee")
    assert lee.affiliations[0].name.texts == {
        "en": "Department of Tests, University of Somewhere, Almaty, Kazakhstan"}
    assert smith.corresponding and smith.names["en"].family == "Smith"
    assert group.organization.texts == {"en": "The Test Consortium"}
    assert str(article.dates.online) == "2020-03-05"
    assert (article.pages.first, article.pages.last) == ("101", "110")
    reference = article.references[0]
    assert (reference.type, reference.authors, reference.title, reference.container, reference.pages,
            reference.doi) == ("journal_article", ["Doe, J"], "A paper", "J Other", "5-9", "10.5555/xyz")
    assert any(p.code == "jats.name-guessed" for p in problems)


def test_reading_a_file_that_is_not_an_article(tmp_path):
    path = tmp_path / "x.xml"
    path.write_text("<doi_batch/>")
    assert jats.FORMAT.read(path)[1][0].code == "jats.root"
    path.write_text("<article><front></front></article>")
    issue, problems = jats.FORMAT.read(path)
    assert issue is None and problems[0].code == "jats.front-missing"


def test_api_reads_by_detected_format(tmp_path):
    path = tmp_path / "other.xml"
    path.write_text(OTHER_PUBLISHER, encoding="utf-8")
    issue, _ = biblio.load(path)
    assert issue.articles[0].doi == "10.1234/JT.2020.5"
    deposit = Path(__file__).parent / "golden" / "crossref-issue-86.xml"
    issue, problems = biblio.load(deposit)
    assert issue is None and problems[0].code == "read.format"


def _with_title(tmp_path, title, doctype=True):
    source = (JATS_GOLDEN / "2788-5860.2025.86.2.003.xml").read_text(encoding="utf-8")
    if not doctype:
        source = "\n".join(line for line in source.splitlines() if not line.startswith("<!DOCTYPE"))
    path = tmp_path / "entities.xml"
    path.write_text(source.replace("<article-title>", f"<article-title>{title}", 1), encoding="utf-8")
    return path


def test_standard_character_entities_are_resolved_offline(tmp_path):
    path = _with_title(tmp_path, "Before&ndash;after&nbsp;&amp; &#8212; <![CDATA[&ndash;]]> ")
    assert jats.validate(path) == []
    issue, problems = jats.FORMAT.read(path)
    assert issue.articles[0].titles["kk"].startswith("Before\u2013after\u00a0& \u2014 &ndash; ")
    assert not [p for p in problems if p.severity == "error"]


def test_other_entities_are_a_clear_error_not_a_crash(tmp_path):
    path = _with_title(tmp_path, "x&nosuch;y ")
    problems = jats.validate(path)
    assert [(p.code, p.line, p.path) for p in problems] == [
        ("jats.entity", 15, "/article/front/article-meta/title-group/article-title")]
    assert "&nosuch;" in problems[0].message
    issue, problems = jats.FORMAT.read(path)
    assert issue.articles[0].titles["kk"].startswith("xy ") and problems[0].code == "jats.entity"


def test_entities_without_a_doctype_are_not_well_formed(tmp_path):
    path = _with_title(tmp_path, "x&ndash;y", doctype=False)
    assert [p.code for p in jats.validate(path)] == ["xml.syntax"]


def test_the_dtd_checks_the_declared_version(tmp_path):
    source = (JATS_GOLDEN / "2788-5860.2025.86.2.003.xml").read_text(encoding="utf-8")
    assert 'dtd-version="1.3"' in source and "JATS-journalpublishing1-3.dtd" in source
    path = tmp_path / "version.xml"
    path.write_text(source.replace('dtd-version="1.3"', 'dtd-version="1.4"'), encoding="utf-8")
    problems = jats.validate(path)
    assert [(p.code, p.line, p.path) for p in problems] == [("jats.schema", 3, "/article")]
    assert "dtd-version" in problems[0].message


def _with_references(example, *references):
    """The first article with ``references``, and what the example lacks: an ORCID, a publisher, a licence, pages."""
    issue = copy.deepcopy(example)
    issue.articles = issue.articles[:1]
    article = issue.articles[0]
    article.references = list(references)
    article.contributors[0].orcid = "0000-0002-1825-0097"
    article.license = License("https://creativecommons.org/licenses/by/4.0/", PartialDate(2025, 6, 30))
    article.pages = Pages("9", "22")
    issue.journal.publisher = Publisher(LangText({"kk": "Баспа", "en": "Press"}, "kk"),
                                        LangText({"kk": "Алматы"}, "kk"))
    return issue


def test_references_use_what_readers_take(tmp_path, example):
    """Names split into surname and given names, fpage/lpage (page-range only beside them where needed), the type
    on the mixed-citation when there is no element-citation (which cannot be empty)."""
    issue = _with_references(
        example,
        Reference(text="Doe J, Roe R. A paper. J Other. 2019;3:5-9.", type="journal_article",
                  authors=["Doe, Jane", "Research Consortium", "Roe,Rick"], title="A paper", pages="5-9"),
        Reference(text="Smith A. A book. 2001.", type="book"),
        Reference(type="book", authors=["Lee, Ann"], pages="8-11, 14", title="Chapters"),
        Reference(title="Dashed", pages="3\u20134"),
        Reference(title="One page", pages="e123"),
    )
    [path], problems = _write(issue, tmp_path)
    assert jats.validate(path) == [] and not [p for p in problems if p.severity != "info"]
    text = path.read_text(encoding="utf-8")
    assert all(part in text for part in ('contrib-id-type="orcid"', "<ali:license_ref", "<publisher-loc", "<lpage>22"))
    refs = etree.parse(str(path)).findall("back/ref-list/ref")
    first = refs[0].find("element-citation")
    assert [(n.findtext("surname"), n.findtext("given-names")) for n in first.iter("name")] == [("Doe", "Jane")]
    assert [s.text for s in first.iter("string-name")] == ["Research Consortium", "Roe,Rick"]
    assert [(e.tag, e.text) for e in first if "page" in e.tag] == [("fpage", "5"), ("lpage", "9")]
    assert refs[1].find("element-citation") is None
    assert refs[1].find("mixed-citation").get("publication-type") == "book"
    assert [(e.tag, e.text) for e in refs[2].find("element-citation") if "page" in e.tag] == [
        ("fpage", "8"), ("lpage", "14"), ("page-range", "8-11, 14")]
    assert [(e.tag, e.text) for e in refs[3].find("element-citation") if "page" in e.tag] == [
        ("fpage", "3"), ("lpage", "4"), ("page-range", "3\u20134")]
    assert [(e.tag, e.text) for e in refs[4].find("element-citation") if "page" in e.tag] == [("fpage", "e123")]
    read = jats.FORMAT.read(path)[0].articles[0].references
    assert [r.pages for r in read] == ["5-9", None, "8-11, 14", "3\u20134", "e123"]
    assert read[0].authors == ["Doe, Jane", "Research Consortium", "Roe,Rick"] and read[2].authors == ["Lee, Ann"]


def test_a_reference_with_nothing_to_cite_is_left_out_with_a_warning(tmp_path, example):
    issue = _with_references(example, Reference(type="book"), Reference(text="Cited as printed."),
                             Reference(label="3", language="ru"))
    [path], problems = _write(issue, tmp_path)
    assert jats.validate(path) == []
    assert "no details given" not in path.read_text(encoding="utf-8")
    assert [r.get("id") for r in etree.parse(str(path)).findall("back/ref-list/ref")] == ["r2"]
    empty = [(p.severity, p.path) for p in problems if p.code == "jats.reference-empty"]
    assert empty == [("warning", "articles[0].references[0]"), ("warning", "articles[0].references[2]")]
    assert [(p.severity, p.path) for p in jats.FORMAT.check(issue)] == empty  # check says what build will do


def test_chapter_and_group_author_read_back_in_either_form(tmp_path, example):
    """A chapter's title is written as <chapter-title> and a group author as <string-name> (JATS 1.3 also has
    <part-title> and <collab>; pandoc reads none of the four: docs/formats.md). The reader takes both forms."""
    issue = _with_references(example, Reference(type="book_chapter", authors=["UNESCO"], title="Steppe",
                                                container="Grass", year="2019"))
    [path], _ = _write(issue, tmp_path)
    citation = etree.parse(str(path)).find("back/ref-list/ref/element-citation")
    assert [(e.tag, e.text) for e in citation if e.tag in ("chapter-title", "source")] == [
        ("chapter-title", "Steppe"), ("source", "Grass")]
    assert [e.text for e in citation.iter("string-name")] == ["UNESCO"]
    newer = path.read_text(encoding="utf-8").replace("chapter-title", "part-title").replace("string-name", "collab")
    path.write_text(newer, encoding="utf-8")
    assert jats.validate(path) == []
    [read] = jats.FORMAT.read(path)[0].articles[0].references
    assert (read.type, read.title, read.container, read.authors) == ("book_chapter", "Steppe", "Grass", ["UNESCO"])
