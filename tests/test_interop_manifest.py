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
