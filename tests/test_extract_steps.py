"""Unit tests for the extraction steps biblio.extract owns directly: text joining,
normalising, blocks, article boundaries, block fields and issue facts — each on small
hand-made inputs."""

from __future__ import annotations

import pytest

from biblio.extract import fields
from biblio.extract.blocks import find_blocks, is_doi_line, is_name_line, split_names
from biblio.extract.boundaries import group_articles
from biblio.extract.issue_facts import header_facts, infer_doi_pattern, issn_from_doi
from biblio.extract.language import script_language
from biblio.extract.normalise import letter_spaced_run, normalise
from biblio.extract.text import Joiner, Line, is_caps

HEADER = "Ғ Ы Л Ы М И - С А Р А П Т А М А Л Ы Қ  Ж У Р Н А Л& № 2 (86) 2025"
EVEN_HEADER = "&№ 2 (86) 2025 Ғ Ы Л Ы М И - С А Р А П Т А М А Л Ы Қ  Ж У Р Н А Л &"


def numbered(text: str) -> list[Line]:
    return normalise(text).lines


# --- text ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("document, lines, expected", [
    ("", ["саяси қалыптас-", "уы туралы"], "саяси қалыптасуы туралы"),
    ("өзін-өзі тану", ["адамның өзін-", "өзі"], "адамның өзін-өзі"),
    ("мәдени сондай-ақ", ["кітаптар, сондай-", "ақ Нигерия"], "кітаптар, сондай-ақ Нигерия"),
    ("басқару", ["мемлекеттік бас-", "қару"], "мемлекеттік басқару"),
    ("", ["(1991-", "2023 гг.)"], "(1991-2023 гг.)"),
    ("", ["Азия-", "Тынық мұхиты"], "Азия-Тынық мұхиты"),
    ("", ["ИНТЕРПРЕТАЦИИ СОЦИАЛЬ-", "НОГО ФЕНОМЕНА"], "ИНТЕРПРЕТАЦИИ СОЦИАЛЬНОГО ФЕНОМЕНА"),
    ("socially and oriented", ["and socially-", "oriented (Canada)"], "and socially-oriented (Canada)"),
    ("", ["ресурс –", "ақпарат  пен"], "ресурс – ақпарат пен"),
    ("", [" stray leading space ", "next"], "stray leading space next"),
])
def test_joiner_undoes_hyphenation_but_keeps_compounds(document, lines, expected):
    assert Joiner([document]).join(lines) == expected


def test_joiner_keeps_paragraphs():
    lines = [Line(1, "One line"), Line(2, "goes on."), Line(3, ""), Line(4, ""), Line(5, "Second.")]
    assert Joiner([]).paragraphs(lines) == "One line goes on.\n\nSecond."


def test_caps_allows_a_lower_case_aside():
    assert is_caps("THE CONTEXT OF POLITICAL REFORMS (second half of 2000s)")
    assert not is_caps("Аңдатпа. Бұл мақалада ҚР")
    assert not is_caps("12 345")


@pytest.mark.parametrize("text, language", [
    ("Бұл мақалада саяси жүйе қарастырылады", "kk"),
    ("В данной статье рассматривается", "ru"),
    ("This article presents", "en"),
    ("12, 13", None),
])
def test_script_language(text, language):
    assert script_language(text) == language


# --- normalise ----------------------------------------------------------------------------------

def test_letter_spaced_header_reads_as_the_journal_name():
    assert letter_spaced_run(HEADER) == "ҒЫЛЫМИ-САРАПТАМАЛЫҚ ЖУРНАЛ"
    assert letter_spaced_run(EVEN_HEADER) == "ҒЫЛЫМИ-САРАПТАМАЛЫҚ ЖУРНАЛ"
    assert letter_spaced_run("a b c d") is None


def test_normalise_drops_headers_and_page_numbers_and_keeps_line_numbers():
    text = f"First para\ngoes on\n\n\n21\n{HEADER}\n\nand ends here.\n Second"
    norm = normalise(text)
    assert [(line.number, line.text) for line in norm.lines] == [
        (1, "First para"), (2, "goes on"), (8, "and ends here."), (9, "Second")]
    assert [(p.page, p.line) for p in norm.pages] == [(21, 5)]
    header = norm.headers[0]
    assert (header.title, header.number, header.whole_number, header.year, header.line) == (
        "ҒЫЛЫМИ-САРАПТАМАЛЫҚ ЖУРНАЛ", "2", "86", 2025, 6)


def test_a_number_far_from_any_header_is_kept():
    norm = normalise("Table\n\n21\n\nrow")
    assert [line.text for line in norm.lines] == ["Table", "", "21", "", "row"]
    assert norm.pages == []


# --- blocks, boundaries, fields -----------------------------------------------------------------

KK = """\
 САЯСИ ЖҮЙЕНІҢ
ДАМУЫ

Аңдатпа. Бұл мақалада саяси жүйенің даму
жолы қарастырылады.

Түйін сөздер: саясат, жүйе,
даму.
"""
RU = """\
Иван Петров, Мария Сидорова
РАЗВИТИЕ ПОЛИТИЧЕСКОЙ

СИСТЕМЫ
https://doi.org/ 10.52536/2788-5860.2025.86.2.003
 Аннотация. В статье рассматривается путь
развития политической системы.

Ключевые слова: политика; система; развитие.
"""
EN = """\
Ivan Petrov, Maria Sidorova
DEVELOPMENT OF THE POLITICAL SYSTEM

Abstract. The article considers how the political
system develops.

Keywords: politics, system, development.
"""
BODY = """\
Кіріспе
Саяси жүйе туралы көп жазылған [1]. Бұл тақырып
әлі де өзекті [2, 15-б.].
"""


def test_blocks_in_any_order_with_authors_titles_and_dois():
    lines = numbered(EN + KK + RU + BODY)
    blocks = find_blocks(lines)
    assert [b.language for b in blocks] == ["en", "kk", "ru"]
    en, kk, ru = blocks
    assert fields.author_names(en) == ["Ivan Petrov", "Maria Sidorova"]
    assert fields.author_names(kk) == []
    assert fields.author_names(ru) == ["Иван Петров", "Мария Сидорова"]
    joiner = Joiner(line.text for line in lines)
    assert fields.title_text(ru, joiner) == "РАЗВИТИЕ ПОЛИТИЧЕСКОЙ СИСТЕМЫ"
    assert fields.title_text(kk, joiner) == "САЯСИ ЖҮЙЕНІҢ ДАМУЫ"
    assert fields.abstract_text(kk, joiner) == "Бұл мақалада саяси жүйенің даму жолы қарастырылады."
    assert fields.keyword_list(kk, joiner) == ["саясат", "жүйе", "даму"]
    assert fields.keyword_list(ru, joiner) == ["политика", "система", "развитие"]
    assert [line.text for line in ru.dois] == ["https://doi.org/ 10.52536/2788-5860.2025.86.2.003"]
    articles = group_articles(lines, blocks)
    assert len(articles) == 1 and articles[0].languages() == ["en", "kk", "ru"]


def test_missing_title_and_missing_keywords():
    text = " Аңдатпа. Тақырыпсыз аңдатпа.\nТүйін сөздер: бір, екі\n Аннотация. Аннотация без\nключевых слов.\n\nBody."
    lines = numbered(text)
    kk, ru = find_blocks(lines)
    joiner = Joiner([])
    assert kk.title == [] and fields.keyword_list(kk, joiner) == ["бір", "екі"]
    assert ru.keywords == [] and fields.abstract_text(ru, joiner) == "Аннотация без ключевых слов."


def test_abstract_without_keywords_stops_at_a_heading():
    lines = numbered("Abstract. Short abstract.\n Introduction \nRegional policy matters.")
    (block,) = find_blocks(lines)
    assert fields.abstract_text(block, Joiner([])) == "Short abstract."


def test_doi_line_inside_an_abstract_is_set_aside_without_breaking_the_paragraph():
    text = "Аңдатпа. Кітаптар, сондай-\n\nhttps://doi.org/10.52536/x.1\n\nақ заңдар.\nТүйін сөздер: заң"
    lines = numbered(text)
    (block,) = find_blocks(lines)
    assert fields.abstract_text(block, Joiner(["сондай-ақ"])) == "Кітаптар, сондай-ақ заңдар."
    assert [line.number for line in block.dois] == [3]


def test_two_articles_are_split_by_body_text_and_by_a_repeated_language():
    first = KK + BODY
    second = EN + KK  # body-less, then a new article starts with a repeated language
    lines = numbered(first + second + EN)
    articles = group_articles(lines, find_blocks(lines))
    assert [a.languages() for a in articles] == [["kk"], ["en", "kk"], ["en"]]
    assert lines[articles[0].end].text.startswith("әлі де")
    assert lines[articles[1].start].text == "Ivan Petrov, Maria Sidorova"


@pytest.mark.parametrize("text, expected", [
    ("Мурат Насимов", True),
    ("Zhapsarbai Kuanyshev, Nurbek Pusyrmanov, Erkebulan Amangosov", True),
    ("Насимов М.С., Петров И.", True),
    ("Nasimov M. and Petrov I.", True),
    ("Kazakhstan", False),
    ("the article considers", False),
    ("РАЗВИТИЕ СИСТЕМЫ", False),
    ("Introduction", False),
    ("Keywords: Big Data", False),
    ("Table 1 Results", False),
])
def test_name_lines(text, expected):
    assert is_name_line(text) is expected


def test_split_names_on_commas_and_conjunctions():
    assert split_names("A Bek, C  Dov және E Fox") == ["A Bek", "C Dov", "E Fox"]


def test_doi_lines():
    assert is_doi_line("https://doi.org/ 10.52536/2788-5860.2025.86.2.001")
    assert is_doi_line("DOI: 10.1000/xyz")
    assert not is_doi_line("As shown in https://doi.org/10.1/x and elsewhere in a long sentence")


# --- issue facts --------------------------------------------------------------------------------

def test_header_facts_take_the_majority():
    norm = normalise(f"{HEADER}\ntext\n{EVEN_HEADER}\nx\ngarbled Ғ Ы Л Ы М И - С А Р № 3 (87) 2024")
    facts = header_facts(norm.headers)
    assert (facts.title, facts.number, facts.whole_number, facts.year) == (
        "ҒЫЛЫМИ-САРАПТАМАЛЫҚ ЖУРНАЛ", "2", "86", 2025)


def test_issn_from_doi_needs_a_valid_check_digit():
    assert issn_from_doi("10.52536/2788-5860.2025.86.2.001") == "2788-5860"
    assert issn_from_doi("10.52536/2788-5861.2025.86.2.001") is None
    assert issn_from_doi("10.1000/abc") is None


def test_doi_pattern_is_inferred_only_when_it_fits_every_printed_doi():
    printed = {1: "10.52536/2788-5860.2025.86.2.001", 5: "10.52536/2788-5860.2025.86.2.005"}
    assert infer_doi_pattern(printed, 2025, "2", "86") == "{prefix}/2788-5860.{year}.{whole_number}.{number}.{seq:03}"
    assert infer_doi_pattern({1: "10.52536/2788-5860.2025.86.2.004"}, 2025, "2", "86") is None
    assert infer_doi_pattern({1: "10.1/a.7", 2: "10.1/b.2"}, 2025, "2", "86") is None
    assert infer_doi_pattern({}, 2025, "2", "86") is None
