"""`biblio extract` on the real seed: the whole issue, field by field, against the
editor's transcription in examples/issue-86, and the source's slips reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from seeds import ARTICLE_TEXT, ISSUE_TEXT

import biblio
from biblio import cli, manifest
from biblio.extract import draft, pipeline

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "issue-86" / "issue.yaml"
# The article spans an editor reads in the seed (also the comments of the example manifest).
SPANS = [(1, 786), (787, 1252), (1253, 1807), (1808, 2419), (2420, 3019), (3020, 3753),
         (3754, 4490), (4491, 4999), (5000, 5621), (5622, 6152)]


@pytest.fixture(scope="module")
def extraction():
    return pipeline.extract_file(ISSUE_TEXT)


@pytest.fixture(scope="module")
def example():
    issue, problems = biblio.load(EXAMPLE)
    assert issue is not None, problems
    return issue


@pytest.fixture(scope="module")
def reloaded(extraction, tmp_path_factory):
    """The draft as written and read back, so the comparison covers the manifest text too."""
    path = tmp_path_factory.mktemp("extract") / "issue.yaml"
    draft.write_draft(extraction, path)
    issue, problems = biblio.load(path)
    assert issue is not None, problems
    return issue


def test_ten_articles_at_the_spans_an_editor_reads(extraction):
    assert [(a.first_line, a.last_line) for a in extraction.articles] == SPANS


def test_issue_facts(reloaded, example):
    assert reloaded.journal.titles.texts == example.journal.titles.texts
    assert reloaded.journal.language == example.journal.language
    assert [i.value for i in reloaded.journal.issns] == [i.value for i in example.journal.issns]
    assert all(i.media is None for i in reloaded.journal.issns)
    assert reloaded.journal.doi_prefix == example.journal.doi_prefix
    assert (reloaded.year, reloaded.number, reloaded.whole_number) == (example.year, example.number,
                                                                       example.whole_number)
    assert reloaded.doi_pattern == example.doi_pattern


FIELDS = ["language", "titles", "abstracts", "keywords", "doi", "doi_from_pattern", "funding", "citations",
          "references"]


@pytest.mark.parametrize("index", range(10))
@pytest.mark.parametrize("name", FIELDS)
def test_every_article_field_agrees_with_the_example(reloaded, example, index, name):
    assert getattr(reloaded.articles[index], name) == getattr(example.articles[index], name)


@pytest.mark.parametrize("index", range(10))
def test_every_author_agrees_with_the_example(reloaded, example, index):
    got = [c.names for c in reloaded.articles[index].contributors]
    assert got == [c.names for c in example.articles[index].contributors]


def test_the_whole_model_agrees_with_the_example_on_what_the_text_gives(reloaded, example):
    """Besides the fields above, the example has only `settings:` (marked as not from the text)."""
    assert reloaded.articles == example.articles
    assert reloaded.settings is None and example.settings is not None


def test_sentence_case_is_offered_for_titles_in_capitals(extraction):
    first = extraction.articles[0].sentence_case
    assert set(first) == {"kk", "ru", "en"}
    assert first["en"].startswith("Genesis and features of cultural identity")
    assert extraction.articles[0].article.titles.texts["en"].startswith("GENESIS AND FEATURES")


def _codes(extraction, code):
    return [p for p in extraction.problems if p.code == code]


def test_the_sources_slips_are_reported_with_lines(extraction):
    unrelated = _codes(extraction, "keywords.unrelated")
    assert [(p.path, p.line) for p in unrelated] == [("articles[1].keywords.en", 810)]
    award = _codes(extraction, "extract.funding.award-printed")
    assert len(award) == 1 and "NoВR21882308" in award[0].message and award[0].path == "articles[5].funding"
    assert [p.line for p in _codes(extraction, "extract.doi.space")] == [36]
    assert [p.line for p in _codes(extraction, "extract.doi.inside-abstract")] == [2452]
    repeated = _codes(extraction, "extract.text.repeated")
    assert any("by the" in p.message and p.line == 87 for p in repeated)
    assert {p.path for p in _codes(extraction, "keywords.count-mismatch")} >= {"articles[3].keywords", "articles[5].keywords"}
    no_award = _codes(extraction, "extract.funding.no-award")
    assert [p.path for p in no_award] == ["articles[2].funding"]
    assert len(_codes(extraction, "extract.citations.no-references")) == 10


def test_missing_blocks_titles_and_authors_are_reported(extraction):
    missing = {(p.path, p.line) for p in _codes(extraction, "extract.block.missing")}
    assert missing == {("articles[6]", 3754), ("articles[9]", 5622)}
    no_title = {p.path for p in _codes(extraction, "extract.block.no-title")}
    assert no_title == {"articles[1].titles.kk", "articles[5].titles.kk", "articles[5].titles.ru",
                        "articles[8].titles.ru", "articles[9].titles.kk"}
    no_authors = {p.path.split(".")[0] for p in _codes(extraction, "extract.block.no-authors")}
    assert "articles[0]" in no_authors  # the Kazakh block of article 1 has no author line


def test_every_finding_names_a_line(extraction):
    assert extraction.problems
    assert all(p.line is not None and p.file == str(ISSUE_TEXT) for p in extraction.problems
               if p.code not in {"extract.journal.title", "extract.issue.year"})


def test_the_draft_passes_check_but_for_the_publisher_settings(extraction, tmp_path):
    path = tmp_path / "draft.yaml"
    draft.write_draft(extraction, path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Draft manifest written by `biblio extract`")
    assert "# Article 8: lines 4491-4999" in text
    issue, problems = biblio.check(path)
    assert issue is not None
    # only what no issue text gives: the publisher's settings for a Crossref deposit
    assert {p.code for p in problems if p.severity == "error"} == {"crossref.depositor-missing",
                                                                   "crossref.registrant-missing", "crossref.url-missing"}


def test_single_article_text(example):
    single = pipeline.extract_file(ARTICLE_TEXT)
    assert len(single.articles) == 1
    article = single.articles[0].article
    expected = example.articles[7]
    for name in ["language", "titles", "abstracts", "keywords", "doi", "funding", "citations"]:
        assert getattr(article, name) == getattr(expected, name), name
    assert [c.names for c in article.contributors] == [c.names for c in expected.contributors]
    assert [p.page for p in single.articles[0].pages] == [126]


def test_cli_extract_writes_a_draft_and_prints_findings(tmp_path, capsys):
    out = tmp_path / "m.yaml"
    code = cli.main(["extract", str(ISSUE_TEXT), "-o", str(out)])
    printed, findings = capsys.readouterr()
    assert code == 0
    assert out.is_file() and "warning [keywords.unrelated]" in findings
    assert "10 articles" in printed
    issue, _ = manifest.load(out)
    assert issue is not None and len(issue.articles) == 10


def test_cli_extract_json(capsys):
    code = cli.main(["extract", str(ARTICLE_TEXT), "--json"])
    payload = json.loads(capsys.readouterr().out)
    assert code == 0 and payload["ok"] is True
    assert payload["manifest"]["articles"][0]["doi"] == "10.52536/2788-5860.2025.86.2.008"
    assert payload["articles"][0]["pages"] == [{"page": 126, "line": 494}]
    assert all("line" in p for p in payload["problems"])


def test_cli_extract_missing_file_is_a_usage_error(tmp_path, capsys):
    assert cli.main(["extract", str(tmp_path / "nope.txt")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_cli_extract_refuses_non_utf8(tmp_path, capsys):
    bad = tmp_path / "cp1251.txt"
    bad.write_bytes("Аңдатпа".encode("utf-16"))
    assert cli.main(["extract", str(bad), "-o", str(tmp_path / "x.yaml")]) == 1
    assert "not UTF-8" in capsys.readouterr().err
    assert not (tmp_path / "x.yaml").exists()
