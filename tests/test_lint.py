"""Each editorial rule fires when it should and stays quiet when it should not."""

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st

from biblio import lint, manifest
from biblio.model import Affiliation, Contributor, Funding, Issn, LangText, PersonName, Reference, Settings


@pytest.fixture
def issue(minimal_text):
    loaded, _ = manifest.loads(minimal_text)
    return loaded


def codes(problems):
    return [p.code for p in problems]


def test_duplicate_and_foreign_dois(issue):
    assert lint.dois(issue) == []
    issue.articles[1].doi = issue.articles[0].doi.upper()
    assert codes(lint.dois(issue)) == ["doi.duplicate"]
    issue.articles[1].doi = "10.9999/elsewhere"
    found = lint.dois(issue)
    assert codes(found) == ["doi.prefix"] and found[0].path == "articles[1].doi"


def test_original_title_missing(issue):
    assert lint.original_titles(issue) == []
    issue.articles[1].titles = LangText({"en": "Only English"}, "en")
    assert [p.path for p in lint.original_titles(issue)] == ["articles[1].titles"]


def test_contributor_rules(issue):
    found = lint.contributors(issue)
    assert codes(found) == ["contributors.missing", "contributors.missing"]
    issue.articles[1].contributors = [
        Contributor(names={"kk": PersonName("Сейтова", "Әйгерім"), "en": PersonName("Seitova", "Aigerim")}),
        Contributor(names={"kk": PersonName("Ахметов")}),
    ]
    found = lint.contributors(issue)
    assert codes(found)[1:] == ["names.count-mismatch"]
    issue.articles[1].contributors[1].names["en"] = PersonName("Akhmetov")
    assert codes(lint.contributors(issue))[1:] == []
    issue.articles[1].abstracts = LangText({"ru": "Аннотация"}, None)
    found = lint.contributors(issue)
    assert codes(found)[1:] == ["names.language-missing"] and "ru" in found[1].message


def test_keyword_counts(issue):
    article = issue.articles[0]
    article.keywords = {"en": ["a", "b"], "ru": ["а", "б"]}
    assert lint.keyword_counts(issue) == []
    article.keywords["kk"] = ["а"]
    assert codes(lint.keyword_counts(issue)) == ["keywords.count-mismatch"]


def test_unrelated_keywords_point_to_the_article_they_fit(issue):
    first, second = issue.articles
    first.abstracts = LangText({"en": "Cybersecurity policy and information security in the media."}, "en")
    second.abstracts = LangText({"en": "Repatriation of ethnic Poles: migration, adaptation, Poland."}, "en")
    first.keywords = {"en": ["cybersecurity", "information security", "media"]}
    second.keywords = {"en": ["repatriation", "migration", "Poland"]}
    assert lint.unrelated_keywords(issue) == []
    first.keywords = copy.deepcopy(second.keywords)
    found = lint.unrelated_keywords(issue)
    assert [p.path for p in found] == ["articles[0].keywords.en"]
    assert "fit article 2 better" in found[0].message


def test_funding_without_award(issue):
    issue.articles[0].funding = [Funding(statement=LangText({"en": "Funded by X."}, "en"))]
    assert codes(lint.funding(issue)) == ["funding.no-award"]
    issue.articles[0].funding[0].awards = ["AP19677146"]
    assert lint.funding(issue) == []


def test_citations_without_references(issue):
    issue.articles[0].citations = [1, 2]
    assert codes(lint.references(issue)) == ["references.missing"]
    issue.articles[0].references = [Reference(text="Someone. A book. 2020.")]
    assert lint.references(issue) == []


def test_missing_facts_are_summarised_once(issue):
    found = {p.code: p for p in lint.missing_facts(issue)}
    assert found["missing.pages"].message.endswith("(articles 1-2)")
    assert "missing.affiliations" not in found  # nobody to affiliate
    issue.articles[0].contributors = [Contributor(names={"en": PersonName("Lee")},
                                                  affiliations=[Affiliation(LangText({"en": "U"}, "en"))])]
    assert "missing.affiliations" not in {p.code for p in lint.missing_facts(issue)}
    issue.settings = Settings(landing_page_pattern="https://journal.kz/{suffix}")
    assert "missing.url" not in {p.code for p in lint.missing_facts(issue)}


def test_journal_rules(issue):
    assert lint.journal(issue) == []
    issue.journal.issns = [Issn("2788-5860")]
    assert lint.journal(issue) == []  # the medium assumed is the Crossref writer's warning (tests/test_media.py)
    issue.journal.issns = [Issn("2788-5860", "print")]
    issue.journal.language = "kk"
    assert codes(lint.journal(issue)) == ["journal.master-title"]


def test_settings_rules(issue):
    assert codes(lint.settings(issue)) == ["settings.missing"]
    issue.settings = Settings(registrant="Real Publisher", landing_page_pattern="https://journal.kz/{doi}")
    assert lint.settings(issue) == []
    issue.settings.landing_page_pattern = "https://example.org/{doi}"
    assert codes(lint.settings(issue)) == ["settings.example"]


def test_lint_runs_every_rule(issue):
    assert set(codes(lint.lint(issue))) >= {"contributors.missing", "settings.missing", "missing.pages"}


def test_checks_wait_for_a_clean_load(tmp_path, minimal_text):
    from biblio import api
    bad = tmp_path / "bad.yaml"
    bad.write_text(minimal_text.replace("titles: {en: A first article}", "titles: {english: A first article}"),
                   encoding="utf-8")
    _, problems = api.check(bad)
    assert "check.postponed" in codes(problems)
    assert "contributors.missing" not in codes(problems)  # would count a half-read issue
    postponed = problems[-1]  # after the errors it waits for, and says how many
    assert postponed.code == "check.postponed"
    errors = sum(p.severity == "error" for p in problems)
    assert f"once the {errors} error(s) listed are fixed" in postponed.message


def test_unrelated_keywords_name_the_articles_they_fit_without_comparing_every_pair(example_path):
    from biblio import lint as lint_module
    from biblio import manifest as manifest_module

    issue, _ = manifest_module.load(example_path)
    first = issue.articles[0]
    lang = next(lang for lang, words in first.keywords.items() if words)
    # give article 1 the keywords of every other article in turn: the reading names that article
    for other in range(1, len(issue.articles)):
        words = issue.articles[other].keywords.get(lang)
        if not words or not (issue.articles[other].titles.get(lang) or issue.articles[other].abstracts.get(lang)):
            continue
        first.keywords[lang] = list(words)
        found = [p for p in lint_module.unrelated_keywords(issue) if p.path == f"articles[0].keywords.{lang}"]
        expected = [n for n, candidate in enumerate(issue.articles) if n != 0
                    and lint_module.own_text(candidate, lang).strip()
                    and lint_module.related_share(words, lint_module.own_text(candidate, lang)) >= 0.5]
        if lint_module.related_share(words, lint_module.own_text(first, lang)) >= 1 / 3:
            assert not found
        else:
            assert len(found) == 1
            assert (lint_module.article_numbers(expected) in found[0].message) == bool(expected)


_TEXT_CHARS = st.sampled_from(list("ab12_ İıΣσς-. \n") + ["ab", "abcd", "abcde", "1234", "12345", "Аңдат", "ӘЖ", "²³"])


@given(st.lists(_TEXT_CHARS, max_size=40).map("".join), st.lists(st.lists(_TEXT_CHARS, max_size=8).map("".join),
       min_size=1, max_size=5))
def test_the_relatedness_count_is_the_number_of_keywords_sharing_a_stem_with_the_text(text, words):
    keyword_stems = [lint.stems(word) for word in words]
    own = lint.stems(text)
    assert lint.related_count(keyword_stems, text) == sum(not stems.isdisjoint(own) for stems in keyword_stems)


def test_an_article_with_no_title_at_all_is_not_said_to_lead_with_a_none_title(minimal_text):
    issue, _ = manifest.loads(minimal_text)
    issue.articles[0].titles = LangText({})
    [found] = [p for p in lint.lint(issue) if p.code == "title.original-missing"]
    assert "None" not in found.message and "no title" in found.message


def test_a_latin_script_name_serves_every_latin_script_language(minimal_text):
    """Juan de la Fuente given once under 'es' is his name in 'en' too: no count mismatch, no missing
    language, and the English outputs take it without a fallback warning (issue 18)."""
    from biblio import derive

    issue, _ = manifest.loads(minimal_text)
    article = issue.articles[0]
    article.language, article.titles = "es", LangText({"es": "Dunas", "en": "Dunes"})
    article.contributors = [Contributor(names={"es": PersonName("de la Fuente", "Juan")}),
                            Contributor(names={"es": PersonName("Núñez", "José"), "en": PersonName("Nunez", "Jose")})]
    codes = {p.code for p in lint.lint(issue) if p.path and p.path.startswith("articles[0]")}
    assert not codes & {"names.count-mismatch", "names.language-missing"}
    shown = derive.localize(issue, article, 0, "en")
    assert [p.code for p in shown.problems] == [] and shown.authors[0][1].family == "de la Fuente"
    article.contributors[0].names = {"ru": PersonName("Де ла Фуэнте", "Хуан")}  # another script: still a fallback
    assert "lang.fallback" in {p.code for p in derive.localize(issue, article, 0, "en").problems}
