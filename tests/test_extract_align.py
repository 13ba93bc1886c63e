"""Pairing the author lines of an article's language blocks, and splitting given from family names."""

import pytest
from conftest import EXAMPLE

import biblio
from biblio.extract.align import AlignResult, align, is_initial, name_similarity, tokens
from biblio.model import PersonName


def given_first(family, given=None):
    return PersonName(family, given, "given-first")


def family_first(family, given=None):
    return PersonName(family, given, "family-first")


def codes(result: AlignResult) -> list[str]:
    return [problem.code for problem in result.problems]


# -- tokens and initials -----------------------------------------------------------------------

@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("Мурат Насимов", ["Мурат", "Насимов"]),
        ("  Бауржан  Шериязданов ", ["Бауржан", "Шериязданов"]),
        ("Насимов М.С.", ["Насимов", "М.С."]),
        ("К.К.Токаев", ["К.К.", "Токаев"]),
        ("Ж.-К. Әбенов", ["Ж.-К.", "Әбенов"]),
        ("M. Nasimov", ["M.", "Nasimov"]),
    ],
)
def test_tokens(name, parts):
    assert tokens(name) == parts


def test_initials():
    assert all(is_initial(token) for token in ["M.", "М.С.", "Zh.", "Ж.-К.", "K"])
    assert not any(is_initial(token) for token in ["Murat", "Насимов", "Dzhamilya"])


def test_name_similarity_ignores_token_order():
    assert name_similarity(["Копежанова", "Данагуль"], "ru", ["Danagul", "Kopezhanova"], "en") == 1.0
    assert name_similarity(["Гульнар", "Насимова"], "ru", ["Gulmira", "Ileuova"], "en") < 0.6


# -- the given/family split ---------------------------------------------------------------------

def test_one_person_two_scripts_same_order():
    result = align({"ru": ["Мурат Насимов"], "en": ["Murat Nassimov"]})
    assert result.people == [{"ru": given_first("Насимов", "Мурат"), "en": given_first("Nassimov", "Murat")}]
    assert result.problems == []


def test_printed_order_differs_between_blocks():
    result = align({"ru": ["Жулдыз Басыгариева"], "en": ["Bassygariyeva Zhuldyz"]})
    assert result.people == [{"ru": given_first("Басыгариева", "Жулдыз"),
                              "en": family_first("Bassygariyeva", "Zhuldyz")}]


def test_without_suffix_evidence_the_first_block_settles_a_tie():
    # No surname suffix anywhere: each block votes for its last token; the votes tie, so
    # the first block printed decides, and the other block is read as family-first.
    result = align({"kk": ["Башир Якасай"], "en": ["Yakasai Bashir"]})
    assert result.people == [{"kk": given_first("Якасай", "Башир"), "en": family_first("Yakasai", "Bashir")}]


def test_surname_suffix_wins_over_position_in_a_single_block():
    result = align({"ru": ["Копежанова Данагуль", "Амина Урпекова", "Нуралина Бота"]})
    assert result.people == [
        {"ru": family_first("Копежанова", "Данагуль")},
        {"ru": given_first("Урпекова", "Амина")},
        {"ru": family_first("Нуралина", "Бота")},
    ]


def test_initials_are_given_names():
    result = align({"ru": ["Насимов М.С."], "en": ["M. Nasimov"]})
    assert result.people == [{"ru": family_first("Насимов", "М.С."), "en": given_first("Nasimov", "M.")}]


def test_russian_patronymic_is_never_the_family_name():
    result = align({"ru": ["Иванов Сергей Петрович", "Ольга Викторовна Смирнова"]})
    assert result.people == [
        {"ru": family_first("Иванов", "Сергей Петрович")},
        {"ru": given_first("Смирнова", "Ольга Викторовна")},
    ]


def test_kazakh_kyzy_uly_serve_as_surnames_unless_another_surname_is_printed():
    result = align({
        "kk": ["Айгерим Жұмабайқызы", "Жанар Сейтқасымқызы Әбдіқадырова", "Ерлан Серікұлы"],
        "en": ["Zhumabaikyzy Aigerim", "Zhanar Abdikadyrova", "Yerlan Serikuly"],
    })
    assert result.people == [
        {"kk": given_first("Жұмабайқызы", "Айгерим"), "en": family_first("Zhumabaikyzy", "Aigerim")},
        {"kk": given_first("Әбдіқадырова", "Жанар Сейтқасымқызы"), "en": given_first("Abdikadyrova", "Zhanar")},
        {"kk": given_first("Серікұлы", "Ерлан"), "en": given_first("Serikuly", "Yerlan")},
    ]
    assert result.problems == []


def test_multi_word_given_name_and_single_token():
    result = align({"kk": ["Башир Алию Якасай", "Madonna"]})
    assert result.people == [{"kk": given_first("Якасай", "Башир Алию")}, {"kk": PersonName("Madonna")}]


# -- pairing people -----------------------------------------------------------------------------

def test_people_are_paired_by_name_not_position():
    result = align({
        "ru": ["Гульнар Насимова", "Гульмира Илеуова"],
        "en": ["Gulmira Ileuova", "Gulnar Nassimova"],
    })
    assert result.people == [
        {"ru": given_first("Насимова", "Гульнар"), "en": given_first("Nassimova", "Gulnar")},
        {"ru": given_first("Илеуова", "Гульмира"), "en": given_first("Ileuova", "Gulmira")},
    ]
    assert result.problems == []


def test_three_blocks_with_kazakh_and_russian_spellings():
    result = align({
        "kk": ["Бауыржан Шериязданов", "Теңгеш Қаленова"],
        "ru": ["Бауржан Шериязданов", "Тенгеш Каленова"],
        "en": ["Tengesh Kalenova", "Baurzhan Sheriyazdanov"],
    })
    assert [sorted(person) for person in result.people] == [["en", "kk", "ru"], ["en", "kk", "ru"]]
    assert result.people[1]["en"] == given_first("Kalenova", "Tengesh")
    assert result.people[1]["kk"] == given_first("Қаленова", "Теңгеш")


def test_unmatched_names_and_counts_are_reported_with_lines():
    result = align(
        {"ru": ["Мурат Насимов", "Бота Нуралина"], "en": ["Murat Nassimov", "John Smith", "Alena Gabdusheva"]},
        {"ru": 10, "en": 20},
        file="issue.txt",
        path="articles[0].contributors",
    )
    assert len(result.people) == 4
    assert result.people[0] == {"ru": given_first("Насимов", "Мурат"), "en": given_first("Nassimov", "Murat")}
    assert codes(result) == ["extract.authors.count"] + ["extract.authors.unmatched"] * 3
    count = result.problems[0]
    assert (count.severity, count.line, count.file, count.path) == ("warning", 10, "issue.txt", "articles[0].contributors")
    unmatched = {problem.message: problem.line for problem in result.problems[1:]}
    assert unmatched == {
        "'Бота Нуралина' (ru block) matches no one in the en block": 10,
        "'John Smith' (en block) matches no one in the ru block": 20,
        "'Alena Gabdusheva' (en block) matches no one in the ru block": 20,
    }


def test_similar_surnames_of_different_people_are_kept_apart():
    result = align({"ru": ["Мурат Насимов", "Гульнар Насимова"], "en": ["Gulnar Nassimova", "Murat Nassimov"]})
    assert result.people == [
        {"ru": given_first("Насимов", "Мурат"), "en": given_first("Nassimov", "Murat")},
        {"ru": given_first("Насимова", "Гульнар"), "en": given_first("Nassimova", "Gulnar")},
    ]


# -- blocks with no author line -----------------------------------------------------------------

def test_missing_block_stays_empty_without_fallback():
    result = align({"kk": [], "ru": ["Мурат Насимов"], "en": ["Murat Nassimov"]})
    assert result.people == [{"ru": given_first("Насимов", "Мурат"), "en": given_first("Nassimov", "Murat")}]
    assert result.problems == []


def test_fallback_copies_the_same_script_block_as_printed():
    result = align({"kk": [], "en": ["Murat Nassimov"], "ru": ["Насимов Мурат"]}, {"ru": 31, "en": 67},
                   fallback=True)
    assert result.people == [{
        "en": given_first("Nassimov", "Murat"),
        "ru": family_first("Насимов", "Мурат"),
        "kk": family_first("Насимов", "Мурат"),  # the Russian spelling, never a transliteration
    }]
    [problem] = result.problems
    assert (problem.code, problem.severity) == ("extract.authors.fallback", "warning")
    assert "ru block (line 31)" in problem.message and problem.message.startswith("the kk block")


def test_fallback_to_another_script_when_no_same_script_block():
    result = align({"en": [], "kk": ["Башир Алию Якасай"]}, fallback=True)
    assert result.people == [{"kk": given_first("Якасай", "Башир Алию"), "en": given_first("Якасай", "Башир Алию")}]
    assert codes(result) == ["extract.authors.fallback"]


def test_no_author_line_anywhere():
    result = align({"kk": [], "ru": []}, fallback=True)
    assert result == AlignResult([], [])


# -- the whole example issue --------------------------------------------------------------------

# Author lines as printed in ../shared/seeds/000_0ad3b409a7571561.txt, per article, per
# language block in the order the blocks are printed (None: the block prints no author
# line; a language absent from the dict has no block at all). The author line sits just
# before the title of its block.
SEED_AUTHOR_LINES: list[dict[str, tuple[int, str] | None]] = [
    # 1: the kk block has no author line
    {"kk": None, "ru": (31, "Мурат Насимов"), "en": (67, "Murat Nassimov")},
    # 2: the en block (printed first) and the kk block (no title either) have none
    {"en": None, "kk": None, "ru": (836, "Дамели Нысанкуатова, Нургуль Исматуллаева, Бота Нуралина")},
    {"kk": None, "ru": (1272, "Талгатбек Аминов, Нуржан Конрбаев, Алена Габдушева "),
     "en": (1292, "Talgatbek Aminov, Nurzhan Konrbayev, Alena Gabdusheva ")},
    {"kk": None, "ru": (1828, "Амина Урпекова, Копежанова Данагуль, Бибигуль Бюлегенова"),
     "en": (1850, "Amina Urpekova, Danagul Kopezhanova, Bibigul Byulegenova")},
    # 5: en block first, without an author line
    {"en": None, "kk": (2436, " Башир Алию Якасай"), "ru": (2462, "Башир Алию Якасай ")},
    # 6: kk and ru blocks have neither title nor author line
    {"kk": None, "ru": None, "en": (3056, "Zhapsarbai Kuanyshev, Nurbek Pusyrmanov, Erkebulan Amangosov ")},
    # 7: no en block; both author lines run over two lines
    {"kk": (3754, " Бауыржан Шериязданов, Теңгеш Қаленова, Қуандық Какимов,  \nДинара Өмірзақова"),
     "ru": (3781, "Бауржан  Шериязданов, Тенгеш Каленова,  Куандык Какимов, \nДинара Омирзакова")},
    {"kk": None, "ru": (4523, "Гульнар Насимова, Гульмира Илеуова, Жулдыз Басыгариева, \nАйгерим Жунусова"),
     "en": (4560, "Gulnar Nassimova, Gulmira Ileuova, Bassygariyeva Zhuldyz,  \nAigerim Zhunussova ")},
    {"kk": None, "ru": None, "en": (5051, "Maira Dyussembekova, Eldos Zhumagulov, Yerzhan Ibraev  ")},
    # 10: no en block
    {"kk": None, "ru": (5641, "Айгүл Забирова, Наталья Сейтахметова ")},
]


def _names(line: str) -> list[str]:
    """What the pipeline hands over: the author line split on commas."""
    return [name.strip() for name in line.replace("\n", " ").split(",") if name.strip()]


@pytest.fixture(scope="module")
def example_articles():
    issue, _ = biblio.load(EXAMPLE)
    return issue.articles


@pytest.mark.parametrize("number", range(1, 11))
def test_whole_issue_matches_the_example(number, example_articles):
    blocks = SEED_AUTHOR_LINES[number - 1]
    names = {lang: _names(printed[1]) if printed else [] for lang, printed in blocks.items()}
    lines = {lang: printed[0] for lang, printed in blocks.items() if printed}
    result = align(names, lines)
    expected = [contributor.names for contributor in example_articles[number - 1].contributors]
    assert len(result.people) == len(expected)
    assert result.people == expected
    assert result.problems == []


def test_whole_issue_seed_lines_are_the_author_lines():
    from seeds import ISSUE_TEXT as SEED

    text = SEED.read_text(encoding="utf-8").splitlines()
    for blocks in SEED_AUTHOR_LINES:
        for printed in blocks.values():
            if printed:
                line, author_line = printed
                assert "\n".join(text[line - 1:line - 1 + author_line.count("\n") + 1]) == author_line


def test_whole_issue_fallback_fills_article_1_kazakh_block_from_russian(example_articles):
    blocks = SEED_AUTHOR_LINES[0]
    names = {lang: _names(printed[1]) if printed else [] for lang, printed in blocks.items()}
    result = align(names, {"ru": 31, "en": 67}, fallback=True)
    assert result.people[0]["kk"] == example_articles[0].contributors[0].names["ru"]
    assert [problem.line for problem in result.problems] == [None]  # the kk block has no author line to point at
