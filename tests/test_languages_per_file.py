"""One language per item in BibTeX, CSL-JSON and RIS (issue 16): where the language asked for has no title,
the whole item is in the article's own title language, every language field names the language written, and
each fallback is reported once per file, in the same words by the three formats."""

import json
import re

import pytest

import biblio
from biblio import derive, formats, manifest
from biblio.formats import bibtex, csl, ris
from biblio.problems import article_numbers

LANGS = [None, "kk", "ru", "en"]


@pytest.fixture(scope="module")
def example():
    from conftest import EXAMPLE
    issue, _ = biblio.load(EXAMPLE)
    return issue


def norm(text: str | None) -> str | None:
    """Paragraphs with their spacing made single, as every format keeps them."""
    return "\n\n".join(" ".join(part.split()) for part in derive.paragraphs(text)) if text else None


def written(fmt, issue, lang, tmp_path):
    """The file a format writes, saved, and the problems."""
    files, problems = formats.dumps(fmt, issue, lang=lang)
    [(name, data)] = files.items()
    (tmp_path / name).write_bytes(data)
    return tmp_path / name, problems


def expected(article, lang):
    """What an item of ``article`` asked for in ``lang`` holds: everything in one language."""
    shown = derive.item_language(article, lang or article.language)
    return shown, (norm(article.titles.get(shown)), norm(article.abstracts.get(shown)),
                   [" ".join(w.split()) for w in article.keywords.get(shown, [])])


@pytest.mark.parametrize("lang", LANGS)
def test_bibtex_and_ris_items_are_in_one_language_which_their_language_field_names(tmp_path, example, lang):
    for fmt, field in ((bibtex.FORMAT, r"^  language\s*= \{(.*)\}"), (ris.FORMAT, r"^LA  - (.*?)\r?$")):
        path, _ = written(fmt, example, lang, tmp_path)
        named = re.findall(field, path.read_text(encoding="utf-8"), re.MULTILINE)
        back, _ = fmt.read(path)
        for index, article in enumerate(example.articles):
            shown, texts = expected(article, lang)
            item = back.articles[index]
            found = (norm(item.titles.main), norm(item.abstracts.main), item.keywords.get(shown, []))
            if fmt is ris.FORMAT:  # one AB line: paragraphs joined with a space (pandoc reads one line per tag)
                texts = (texts[0], texts[1] and texts[1].replace("\n\n", " "), texts[2])
            assert found == texts and len(item.keywords) <= 1, (fmt.name, lang, index)
            tag = bibtex.language_tag(named[index]) if fmt is bibtex.FORMAT else named[index]
            assert tag == shown, (fmt.name, lang, index)


@pytest.mark.parametrize("lang", LANGS)
def test_csl_items_are_in_one_language_which_language_names(example, lang):
    items, _ = csl.items(example, lang=lang)
    for index, (item, article) in enumerate(zip(items, example.articles, strict=True)):
        shown, (title, abstract, keywords) = expected(article, lang)
        assert item["language"] == item["custom"]["metadata-language"] == shown, (lang, index)
        assert (norm(item["title"]), norm(item.get("abstract")), item.get("keyword")) == (
            title, abstract, ", ".join(keywords) or None), (lang, index)
        assert item["custom"].get("article-language", shown) == article.language


def test_article_10_in_english_is_wholly_russian_and_article_7_wholly_kazakh(tmp_path, example):
    """Article 10 (language en) has a ru title only, a kk and a ru abstract: its en item was a ru title, a kk
    abstract and `language: en`; article 7 (en) has kk and ru titles: its en item was Kazakh marked en."""
    tenth, seventh = example.articles[9], example.articles[6]
    text = written(bibtex.FORMAT, example, "en", tmp_path)[0].read_text(encoding="utf-8")
    assert "language = {russian}" in text.split("@article")[10].replace("  ", "")
    items, _ = csl.items(example, lang="en")
    assert (items[9]["language"], norm(items[9]["abstract"])) == ("ru", norm(tenth.abstracts["ru"]))
    assert items[9]["author"][0] == {"family": "Забирова", "given": "Айгүл"}
    assert (items[6]["language"], items[6]["title"]) == ("kk", seventh.titles["kk"])
    assert items[6]["author"][1]["family"] == seventh.contributors[1].names["kk"].family
    records = written(ris.FORMAT, example, "en", tmp_path)[0].read_bytes().decode("utf-8").split("ER  - ")
    assert "LA  - ru\r\n" in records[9] and f"TI  - {tenth.titles['ru']}\r\n" in records[9]
    assert "LA  - kk\r\n" in records[6] and f"KW  - {seventh.keywords['kk'][0]}\r\n" in records[6]


@pytest.mark.parametrize("lang", LANGS)
def test_each_fallback_is_reported_once_per_file_and_the_same_by_the_three_formats(example, lang):
    found = {}
    for fmt in (bibtex.FORMAT, csl.FORMAT, ris.FORMAT):
        _, problems = formats.dumps(fmt, example, lang=lang)
        fallbacks = [(p.path, p.message, p.severity) for p in problems if p.code == "lang.fallback"]
        assert len(fallbacks) == len(set(fallbacks)), fmt.name
        found[fmt.name] = set(fallbacks)
    assert found["bibtex"] == found["csl"] == found["ris"]
    no_title = {}
    for index, article in enumerate(example.articles):
        want = lang or article.language
        if want not in article.titles:
            no_title.setdefault((want, article.titles.languages[0]), []).append(index)
    said = sorted(message for path, message, _ in found["ris"] if " title: the whole item" in message)
    assert said == sorted(f"no {want} title: the whole item is written in {used}, the language of the article's "
                          f"title ({article_numbers(indexes)})" for (want, used), indexes in no_title.items())
    assert all(path in ("articles", "journal.titles") for path, _, _ in found["ris"])


def test_a_build_reports_each_fallback_once(tmp_path, example_path):
    report = biblio.build(example_path, tmp_path)
    messages = [p.message for p in report.problems if p.code == "lang.fallback"]
    assert len(messages) == len(set(messages))
    assert "no en title: the whole item is written in ru, the language of the article's title (article 10)" \
        in messages


ONE_ABSTRACT = """\
biblio: 1
journal: {language: en, titles: {en: Journal of Tests}}
issue: {year: 2025, number: '1'}
articles:
  - language: kk
    titles: {kk: Сайлау, en: Elections}
    abstracts: {kk: Аңдатпа.}
    keywords: {kk: [сайлау]}
    contributors:
      - names: {kk: {family: Бекова, given: Әлия}}
"""


def test_a_text_missing_in_the_items_language_is_left_out_not_borrowed():
    issue, _ = manifest.loads(ONE_ABSTRACT)
    for fmt in (bibtex.FORMAT, csl.FORMAT, ris.FORMAT):
        files, problems = formats.dumps(fmt, issue, lang="en")
        text = b"".join(files.values()).decode("utf-8")
        assert "Elections" in text and "Аңдатпа" not in text and "сайлау" not in text, fmt.name
        assert "Бекова" in text  # no Latin spelling: the Cyrillic one, reported
        messages = {p.message for p in problems if p.code == "lang.fallback"}
        assert messages == {"no en abstract: left out rather than taken from another language (article 1)",
                            "no en keywords: left out rather than taken from another language (article 1)",
                            "authors with no en spelling of their name: the kk spelling is written (article 1)"}
    assert json.loads(formats.dumps(csl.FORMAT, issue, lang="en")[0]["articles.en.csl.json"])[0]["language"] == "en"
    kk, _ = formats.dumps(csl.FORMAT, issue, lang="kk")
    assert json.loads(kk["articles.kk.csl.json"])[0]["abstract"] == "Аңдатпа."


def test_localize_says_why_for_one_article():
    issue, _ = manifest.loads(ONE_ABSTRACT)
    shown = derive.localize(issue, issue.articles[0], 0, "ru")
    assert (shown.lang, shown.title, shown.abstract, shown.keywords) == ("kk", "Сайлау", "Аңдатпа.", ["сайлау"])
    assert [(p.code, p.path) for p in shown.problems] == [("lang.fallback", "articles[0]")]
    assert shown.problems[0].message == "no ru title: the whole item is written in kk, the language of the " \
                                        "article's title"
