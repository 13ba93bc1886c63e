"""The extraction pipeline on small hand-made articles: reference lists, blocks in an
unusual order, a missing block, the author fallback and a text with no articles."""

from __future__ import annotations

import biblio
from biblio.extract import draft, pipeline

ARTICLE = """\
Aigerim Zhumabaeva, Ivan Petrov
POLITICAL PARTIES IN KAZAKHSTAN

Abstract. The article studies political parties in Kazakhstan and their programmes.

Keywords: parties, elections, Kazakhstan.

Айгерим Жұмабаева, Иван Петров
ҚАЗАҚСТАНДАҒЫ САЯСИ ПАРТИЯЛАР

Аңдатпа. Мақалада Қазақстандағы саяси партиялар мен олардың бағдарламалары зерттеледі.

Түйін сөздер: партиялар, сайлау, Қазақстан.

 Аннотация. В статье изучаются политические партии Казахстана.

Ключевые слова: партии, выборы, Казахстан.

Кіріспе
Саяси партиялар туралы көп жазылған [1]. Сайлау жүйесі де зерттелген [2, 15-б.]
және [3; 1].

Қаржыландыру: Зерттеу Қазақстан Республикасы Ғылым және жоғары білім министрлігінің
Ғылым комитеті қаржыландырған AP12345678 жобасы аясында жүргізілді.

Әдебиеттер тізімі
1. Әбілов А. Саяси партиялар. – Алматы, 2020. – 200 б.
2. Petrov I. Elections in Central Asia // Journal of Politics. – 2021. – Vol. 3. –
P. 10-20. https://doi.org/10.1234/jp.2021.3
3. Смағұлов Б. Сайлау жүйесі. – Астана, 2019.
"""


def test_a_whole_article_with_a_reference_list():
    result = pipeline.extract(ARTICLE, file="article.txt")
    (one,) = result.articles
    article = one.article
    assert list(one.blocks) == ["en", "kk", "ru"]
    assert article.language == "kk"
    assert article.titles.texts == {"en": "POLITICAL PARTIES IN KAZAKHSTAN", "kk": "ҚАЗАҚСТАНДАҒЫ САЯСИ ПАРТИЯЛАР"}
    assert article.keywords["ru"] == ["партии", "выборы", "Казахстан"]
    assert [sorted(c.names) for c in article.contributors] == [["en", "kk"], ["en", "kk"]]
    assert article.contributors[1].names["kk"].family == "Петров"
    assert article.citations == [1, 2, 3]
    assert [(r.label, r.doi) for r in article.references] == [("1", None), ("2", "10.1234/jp.2021.3"),
                                                              ("3", None)]
    assert article.references[1].text.startswith("Petrov I. Elections in Central Asia")
    assert article.funding[0].awards == ["AP12345678"]
    assert one.citations[1].locators == ((2, "15-б."),)
    codes = {p.code for p in result.problems}
    assert "extract.citations.no-references" not in codes
    assert "extract.block.no-title" in codes  # the Russian block has none
    assert "extract.block.no-authors" in codes
    assert all(p.file == "article.txt" for p in result.problems)
    assert all(p.line for p in result.problems if p.code not in {"extract.journal.title", "extract.issue.year"})


def test_the_author_fallback_is_off_by_default_and_reported_when_on():
    without = pipeline.extract(ARTICLE)
    assert all("ru" not in c.names for c in without.articles[0].article.contributors)
    with_fallback = pipeline.extract(ARTICLE, fallback_authors=True)
    people = with_fallback.articles[0].article.contributors
    assert all("ru" in c.names for c in people)
    assert people[0].names["ru"].family in {"Жұмабаева", "Zhumabaeva"}  # as printed in another block
    assert any(p.code == "extract.authors.fallback" for p in with_fallback.problems)


def test_no_articles_is_an_error_not_a_traceback():
    result = pipeline.extract("Just some text.\nNo abstract label anywhere.\n", file="x.txt")
    assert result.articles == []
    assert [p.code for p in result.problems if p.severity == "error"] == [
        "extract.no-articles", "extract.journal.title", "extract.issue.year"]


def test_a_draft_without_a_running_header_says_what_the_editor_must_add(tmp_path):
    result = pipeline.extract(ARTICLE)
    path = tmp_path / "draft.yaml"
    draft.write_draft(result, path)
    text = path.read_text(encoding="utf-8")
    assert "[extract.journal.title]" in text and "[extract.issue.year]" in text
    issue, problems = biblio.load(path)
    assert issue is None or any(p.severity == "error" for p in problems)
