"""The second issue of tools/interop.py (tools/interop/other-journal.yaml), and the checks that script
applies to what the tools print. Fast: biblio only, no external tool."""

import importlib.util
import json
import sys
from pathlib import Path

import pytest

import biblio

ROOT = Path(__file__).resolve().parent.parent
OTHER = ROOT / "tools" / "interop" / "other-journal.yaml"


@pytest.fixture(scope="module")
def checked():
    return biblio.check(OTHER)


@pytest.fixture(scope="module")
def interop():
    spec = importlib.util.spec_from_file_location("interop", ROOT / "tools" / "interop.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["interop"] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    yield module
    del sys.modules["interop"]


def test_other_journal_loads_and_checks_without_errors(checked):
    issue, problems = checked
    assert issue is not None
    assert [p for p in problems if p.severity == "error"] == []


def test_other_journal_is_unlike_the_example(checked):
    """What it is there for: an online-only es/en journal with the facts the example lacks."""
    issue, _ = checked
    assert [(i.value, i.media) for i in issue.journal.issns] == [("2953-8130", "electronic")]
    assert sorted(issue.journal.titles.texts) == ["en", "es"] and issue.journal.publisher is not None
    assert {a.language for a in issue.articles} == {"es", "en"} and 3 <= len(issue.articles) <= 4
    assert any(a.pages and a.pages.article_number for a in issue.articles)
    assert any(a.pages and a.pages.first and a.pages.last for a in issue.articles)
    people = [c for a in issue.articles for c in a.contributors if c.names]
    assert all(c.orcid and c.affiliations for c in people)
    assert all(a.license and a.license.url for a in issue.articles)
    assert any(f.funder_id and f.awards for a in issue.articles for f in a.funding)
    kinds = {r.type for a in issue.articles for r in a.references}
    assert {"journal_article", "book", "book_chapter", "web_resource"} <= kinds
    assert any(r.doi for a in issue.articles for r in a.references if r.type == "journal_article")


def test_other_journal_builds_valid_files_in_every_format(tmp_path):
    report = biblio.build(OTHER, tmp_path)
    assert report.ok, [p for p in report.problems if p.severity == "error"]
    assert report.files and all(f.valid for f in report.files)
    names = {f.path.name for f in report.files}
    assert {"crossref.xml", "articles.bib", "articles.csl.json", "articles.ris", "articles.es.bib",
            "articles.en.csl.json"} <= names
    assert len([n for n in names if n.startswith("rica.")]) == 4  # one JATS file per article
    items = json.loads((tmp_path / "articles.csl.json").read_text(encoding="utf-8"))
    assert [i["DOI"] for i in items] == [f"10.5555/rica.2024.12.3.0{n}" for n in range(1, 5)]


def test_printed_entry_checks_catch_what_users_see(interop):
    run = interop.Run("x.bib", "test")
    text = "Насимов, М. (2025). “МӘДЕНИ БІРЕГЕЙЛІК”. kk. In: ЖУРНАЛ 2. Abstract \\par text"
    interop.entry_flags(run, "k", text, "Насимов", "МӘДЕНИ БІРЕГЕЙЛІК", ["kk"])
    assert {f.code for f in run.findings} == {"raw-language-code", "control-word"}
    run = interop.Run("x.bib", "test")
    interop.entry_flags(run, "k", "Nassimov, M. (2025). Kazakh. In: J 2.", "Насимов", "GENESIS", ["Kazakh"])
    assert {f.code for f in run.findings} == {"author-missing", "title-missing"}  # a language name is no code


def test_a_lost_paragraph_break_is_shown_where_it_was(interop):
    run = interop.Run("x.bib", "test")
    written = [{"DOI": "10.1/x", "title": "T", "abstract": "One ends here.\n\nTwo starts here."}]
    interop.compare_read(run, [{"DOI": "10.1/X", "title": "T", "abstract": "One ends here.Two starts here."}], written)
    assert [(f.code, f.entry) for f in run.findings] == [("abstract-paragraphs-lost", "10.1/x")]
    assert "here.Two" in run.findings[0].text
    run = interop.Run("x.bib", "test")
    interop.compare_read(run, [{"DOI": "10.1/x", "title": "T", "abstract": "One ends here.\n\nTwo starts here."}],
                         written)
    assert run.findings == []


def test_differences_name_the_part_that_differs(interop):
    assert interop.difference("№ 2. DOI: 10.1", "№ 2 (86). DOI: 10.1", context=3) == "“№ 2. D” ≠ “№ 2 (86). D”"
    assert interop.file_lang(Path("articles.ru.csl.json")) == "ru" and interop.file_lang(Path("articles.bib")) is None


def test_the_documented_latex_preambles_are_the_ones_the_harness_runs(interop):
    """docs/formats.md gives one preamble per case; tools/interop.py runs those (on the example, 0 errors)."""
    import re
    blocks = re.findall(r"```latex\n(.*?)```", (ROOT / "docs" / "formats.md").read_text(encoding="utf-8"), re.S)
    cases = interop.latex_setups(cyrillic=True)
    assert cases == [("xelatex", "english"), ("pdflatex", "english"), ("pdflatex", "russian")]
    assert blocks == [interop.latex_preamble(engine, "authoryear", ["russian"], main, kazakh=True)
                      for engine, main in cases]
    assert "\\usepackage[T1,T2A]{fontenc}" in blocks[1]  # T2A last: Cyrillic without langid in English
    # babel gives kazakh no encoding while T2A is the default: under pdflatex the preamble sets it (in a
    # Russian document leaving russian switches to T1: 376 errors on the example without this line)
    assert [interop.KAZAKH_T2A in block for block in blocks] == [False, True, True]
    assert interop.latex_setups(cyrillic=False) == cases[:2]
    document = interop.latex_document("a.bib", "pdflatex", "numeric", ["spanish"])
    assert "[spanish,english]{babel}" in document and "kazakh" not in document
    assert "\\pagestyle{empty}" in document  # no page number read into an entry across a page break


def test_t2a_latin_i_is_named_not_reported_as_a_lost_title(interop):
    printed = "Насимов, Мурат (2025). «МӘДЕНИ БIРЕГЕЙЛIК ГЕНЕЗИСI». Kazakh."  # Latin I, as pdftotext reads T2A
    assert interop.latin_i_only(printed, "Насимов", "МӘДЕНИ БІРЕГЕЙЛІК ГЕНЕЗИСІ")
    assert not interop.latin_i_only(printed, "Насимов", "МӘДЕНИ")  # found as it is
    assert not interop.latin_i_only(printed, "Насимов", "БІЛІМ")  # not there in either form


def test_pandoc_jats_losses_are_named_by_cause(interop):
    from lxml import etree
    citation = etree.fromstring("<element-citation><person-group><string-name>UNESCO</string-name></person-group>"
                                "<chapter-title>Steppe</chapter-title><source>Grass</source></element-citation>")
    assert interop.jats_cause("author", citation, "3.9") == interop.PANDOC_JATS["author"]
    assert interop.jats_cause("title", citation, "3.9") == interop.PANDOC_JATS["title"]
    assert interop.jats_cause("DOI", citation, "2.17.1.1") == interop.PANDOC_JATS["old"]
    assert interop.jats_cause("DOI", citation, "3.9") == ""
    plain = etree.fromstring("<element-citation><article-title>T</article-title></element-citation>")
    assert interop.jats_cause("title", plain, "3.9") == ""
    lone = etree.fromstring("<element-citation><fpage>588</fpage></element-citation>")
    assert interop.jats_cause("page", lone, "3.9") == interop.PANDOC_JATS["fpage"]
    assert interop.jats_cause("page", lone, "2.17.1.1") == ""
    ranged = etree.fromstring("<element-citation><fpage>1</fpage><lpage>9</lpage></element-citation>")
    assert interop.jats_cause("page", ranged, "3.9") == ""


def test_kazakh_initials_citeproc_js_leaves_whole_are_reported(interop):
    items = interop.initials_items()
    assert [i["id"] for i in items] == list("ҚӨҮҰҒҺӘІҢК")
    entries = {i["id"]: f"Асанов, {i['id']}. Е. (2025). Мақала." for i in items} | {
        "Қ": "Асанов,  Қуат Е. (2025). Мақала.", "Ң": "Асанов,  Ңуат Е. (2025). Мақала."}
    run = interop.initials_run(entries)
    assert [(f.code, f.entry) for f in run.findings] == [("initial-not-abbreviated", "Қ Ң")]
    assert run.passed == ["abbreviated: Ө Ү Ұ Ғ Һ Ә І К"]
    want = "Какимов, Қ., & Өмірзақова, Д."
    assert "Kazakh letter" in interop.cause("Какимов, Қуандық, & Өмірзақова, Д.", want, None)
