"""The example issue (№ 2 (86) 2025): what the source text gives, and what check reports."""

import re

import pytest
from seeds import ISSUE_TEXT

import biblio

SEED = ISSUE_TEXT


@pytest.fixture(scope="module")
def checked(request):
    from conftest import EXAMPLE
    return biblio.check(EXAMPLE)


def test_ten_articles_in_order_with_their_dois(checked):
    issue, problems = checked
    assert not [p for p in problems if p.severity == "error"]
    assert len(issue.articles) == 10
    assert [a.doi for a in issue.articles] == [f"10.52536/2788-5860.2025.86.2.{n:03d}" for n in range(1, 11)]
    printed = [n + 1 for n, a in enumerate(issue.articles) if not a.doi_from_pattern]
    assert printed == [1, 5, 8]  # the only DOIs the text prints
    assigned = [p for p in problems if p.code == "doi.assigned"]
    assert len(assigned) == 7 and all(p.line for p in assigned)


def test_issue_facts(checked):
    issue, _ = checked
    assert (issue.year, issue.number, issue.whole_number) == (2025, "2", "86")
    assert issue.journal.doi_prefix == "10.52536"
    assert [i.value for i in issue.journal.issns] == ["2788-5860"]
    assert issue.journal.issns[0].media is None  # the text does not say print or electronic


def test_languages_as_printed(checked):
    issue, _ = checked
    assert [a.language for a in issue.articles] == ["kk", "en", "kk", "kk", "en", "kk", "en", "kk", "kk", "en"]
    assert [len(a.titles.texts) for a in issue.articles] == [3, 2, 3, 3, 3, 1, 2, 3, 2, 1]
    no_english_block = [n for n, a in enumerate(issue.articles, 1) if "en" not in a.abstracts]
    assert no_english_block == [7, 10]  # English-language articles printed without an English abstract
    assert all(sorted(a.abstracts.texts) == ["en", "kk", "ru"] for n, a in enumerate(issue.articles, 1)
               if n not in (7, 10))
    trilingual = [n for n, a in enumerate(issue.articles, 1) if len(a.keywords) == 3]
    assert trilingual == [1, 2, 3, 4, 6, 8, 9]


def test_authors_as_printed_per_language(checked):
    issue, _ = checked
    first = issue.articles[0].contributors[0]
    assert first.names["ru"].printed == "Мурат Насимов" and first.names["en"].printed == "Murat Nassimov"
    assert "kk" not in first.names  # the Kazakh block prints no author line
    assert [len(a.contributors) for a in issue.articles] == [1, 3, 3, 3, 1, 3, 4, 4, 3, 2]
    name_languages = [sorted(a.contributors[0].names) for a in issue.articles]
    assert name_languages == [["en", "ru"], ["ru"], ["en", "ru"], ["en", "ru"], ["kk", "ru"], ["en"],
                              ["kk", "ru"], ["en", "ru"], ["en"], ["ru"]]
    family_first = [(n, lang) for n, a in enumerate(issue.articles, 1) for c in a.contributors
                    for lang, name in c.names.items() if name.order == "family-first"]
    assert family_first == [(4, "ru"), (8, "en")]


def test_funding_and_awards(checked):
    issue, _ = checked
    awards = {n: [award for f in a.funding for award in f.awards] for n, a in enumerate(issue.articles, 1) if a.funding}
    assert awards == {1: ["AP19677146"], 3: [], 4: ["AP26199617"], 6: ["BR21882308"], 7: ["BR21882308"],
                      8: ["AP23488744"], 9: ["BR24993082"], 10: ["BR21882428"]}


def test_nothing_invented(checked):
    issue, _ = checked
    for article in issue.articles:
        assert article.pages is None and article.url is None and article.license is None
        assert not article.references and article.dates.published is None
        assert all(not c.affiliations and c.orcid is None for c in article.contributors)
    assert issue.journal.titles.languages == ["kk"]
    assert "example.org" in issue.settings.landing_page_pattern


def test_printed_strings_occur_in_the_source(checked):
    """Titles and keywords are in the source once line breaks and hyphenation are undone."""
    issue, _ = checked
    source = SEED.read_text(encoding="utf-8")
    flat = re.sub(r"-\s*\n\s*", "", source)                  # undo line-end hyphenation
    flat = re.sub(r"\s+", " ", flat)
    loose = re.sub(r"\s+", " ", source)                    # keep hyphens (real compounds)
    for article in issue.articles:
        for text in [*article.titles.texts.values(), *(w for ws in article.keywords.values() for w in ws)]:
            assert text in flat or text in loose, text


def test_check_lists_the_sources_slips(checked):
    _, problems = checked
    codes = {(p.code, p.path) for p in problems}
    assert ("keywords.unrelated", "articles[1].keywords.en") in codes
    assert [p.path for p in problems if p.code == "keywords.unrelated"] == ["articles[1].keywords.en"]
    assert {p.path for p in problems if p.code == "title.original-missing"} == {
        "articles[5].titles", "articles[6].titles", "articles[9].titles"}
    assert ("funding.no-award", "articles[2].funding[0]") in codes
    assert ("settings.example", "settings") in codes
    assert len([p for p in problems if p.code == "references.missing"]) == 10
