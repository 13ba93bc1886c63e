"""Funding statements: small hand-made inputs in three languages, then every article of the seed."""


import pytest
from seeds import SEED_DIR

from biblio.extract.funding import FundingStatement, find_funding, join_lines, normalise_award

ARTICLE_LINES = [(1, 786), (787, 1252), (1253, 1807), (1808, 2419), (2420, 3019), (3020, 3753),
                 (3754, 4490), (4491, 4999), (5000, 5621), (5622, 6151)]

MINISTRY_KK = "Қазақстан Республикасы Ғылым және жоғары білім министрлігінің Ғылым комитеті"


SEEDS = SEED_DIR


def only(text: str, first_line: int = 1) -> FundingStatement:
    found = find_funding(text.split("\n"), first_line)
    assert len(found) == 1, found
    return found[0]


# --- award numbers ------------------------------------------------------------------

@pytest.mark.parametrize("printed, award", [
    ("AP19677146", "AP19677146"),
    ("NoВR21882308", "BR21882308"),  # Cyrillic В
    ("АР19677146", "AP19677146"),  # Cyrillic А and Р
    ("№AP26199617", "AP26199617"),
    ("№ BR24993082", "BR24993082"),
    ("No. BR21882308", "BR21882308"),
    ("IRN AP05132688", "AP05132688"),
    ("ИРН АР05132688", "AP05132688"),
    ("AP 19677146", "AP19677146"),
    ("ОR11465474", "OR11465474"),
    ("ap19677146", "AP19677146"),
    ("No. 075-15-2020-928", "075-15-2020-928"),
])
def test_normalise_award(printed, award):
    assert normalise_award(printed) == award


# --- Kazakh ----------------------------------------------------------------------------

def test_kazakh_heading_with_award_and_funder():
    statement = only(
        "Қаржыландыру: Берілген мақала «Қазақстанның оңтүстік өңіріндегі этникалық \n"
        "азшылықтар» ғылыми жобасы аясында дайындалып, Қазақстан Республикасы Ғылым және \n"
        "жоғары білім министрлігінің Ғылым комитеті қаржыландырды. Грант AP19677146.",
        first_line=40,
    )
    assert statement.text == (
        "Қаржыландыру: Берілген мақала «Қазақстанның оңтүстік өңіріндегі этникалық азшылықтар» ғылыми "
        "жобасы аясында дайындалып, Қазақстан Республикасы Ғылым және жоғары білім министрлігінің Ғылым "
        "комитеті қаржыландырды. Грант AP19677146."
    )
    assert statement.language == "kk"
    assert statement.awards == ("AP19677146",) and statement.printed_awards == ("AP19677146",)
    assert statement.funder == MINISTRY_KK
    assert (statement.line, statement.last_line) == (40, 42)


def test_kazakh_sentence_without_heading():
    statement = only(
        "Қорытынды абзац мұнда аяқталады.\n\n"
        "Бұл жұмыс Қазақстан Республикасының Ғылым және жоғары білім министрлігінің \n"
        "Ғылым комитеті №AP26199617 атты жобасы бойынша қаржыландырылды."
    )
    assert statement.text.startswith("Бұл жұмыс")
    assert statement.awards == ("AP26199617",) and statement.printed_awards == ("№AP26199617",)
    assert statement.funder == "Қазақстан Республикасының Ғылым және жоғары білім министрлігінің Ғылым комитеті"
    assert (statement.line, statement.last_line) == (3, 4)


def test_kazakh_statement_without_award_or_funder():
    statement = only("Қаржыландыру: Мақала «Тәуелсіз Қазақстан саяси жүйесінің институттары \n"
                     "(1991-2023 гг.)» атты ғылыми жобаны іске асыру аясында әзірленді. ")
    assert statement.awards == () and statement.funder is None
    assert statement.text.endswith("аясында әзірленді.")


def test_cyrillic_award_is_normalised_and_kept_as_printed():
    statement = only("Қаржыландыру: Зерттеу мақаласы бағдарламалық-мақсатты қаржыландыру \n"
                     "(NoВR21882308) аясында жарияланып отыр.")
    assert statement.awards == ("BR21882308",)
    assert statement.printed_awards == ("NoВR21882308",)
    assert "(NoВR21882308)" in statement.text


def test_funder_inside_a_quoted_title_is_not_the_funder():
    statement = only("Қаржыландыру: Мақала «Қазақстан Республикасы Ұлттық қоры» жобасы аясында дайындалды.")
    assert statement.funder is None


# --- Russian ------------------------------------------------------------------------------

def test_russian_heading_with_funder_in_the_genitive():
    statement = only(
        "Финансирование: Исследование выполнено при финансовой поддержке Комитета науки \n"
        "Министерства науки и высшего образования Республики Казахстан (грант № AP19677146)."
    )
    assert statement.language == "ru"
    assert statement.awards == ("AP19677146",)
    assert statement.printed_awards == ("№ AP19677146",)
    assert statement.funder == "Комитет науки Министерства науки и высшего образования Республики Казахстан"


def test_russian_sentence_with_cyrillic_award_and_instrumental_funder():
    statement = only(
        "Статья подготовлена в рамках проекта ИРН АР05132688 «Модернизация сознания», \n"
        "финансируемого Министерством образования и науки Республики Казахстан."
    )
    assert statement.language == "ru"
    assert statement.awards == ("AP05132688",)
    assert statement.printed_awards == ("АР05132688",)
    assert statement.funder == "Министерство образования и науки Республики Казахстан"


def test_russian_grant_sign_alone_is_enough():
    statement = only("Работа поддержана РНФ, грант № 22-18-00123.")
    assert statement.awards == ("22-18-00123",)


# --- English ---------------------------------------------------------------------------------

def test_english_heading():
    statement = only(
        "Funding: This research was funded by the Science Committee of the Ministry of Science and \n"
        "Higher Education of the Republic of Kazakhstan (Grant No. AP19677146)."
    )
    assert statement.language == "en"
    assert statement.awards == ("AP19677146",) and statement.printed_awards == ("No. AP19677146",)
    assert statement.funder == ("Science Committee of the Ministry of Science and Higher Education of the "
                                "Republic of Kazakhstan")


def test_english_sentence_in_the_middle_of_a_paragraph():
    statement = only("These are the conclusions of the article. This study was supported by the National \n"
                     "Science Foundation (grant No. 1234567).", first_line=9)
    assert statement.text == ("This study was supported by the National Science Foundation "
                              "(grant No. 1234567).")
    assert statement.awards == ("1234567",)
    assert statement.funder == "National Science Foundation"
    assert (statement.line, statement.last_line) == (9, 10)


def test_english_prepared_within_a_programme():
    statement = only(
        "The article was prepared as part of the implementation of program-targeted funding “Evolution \n"
        "of political institutions” financed by the Ministry of Science and Higher Education of the \n"
        "Republic of Kazakhstan as part of the program (IPN No. BR21882308)"
    )
    assert statement.funder == "Ministry of Science and Higher Education of the Republic of Kazakhstan"
    assert statement.awards == ("BR21882308",)


def test_heading_alone_on_its_line_announces_the_next_paragraph():
    found = find_funding(["Funding", "", "The work was supported by grant AP12345678."], first_line=5)
    assert [(f.text, f.line, f.awards) for f in found] == [
        ("The work was supported by grant AP12345678.", 7, ("AP12345678",))]


def test_heading_alone_followed_directly_by_text():
    found = find_funding(["Қаржыландыру", "Грант AP12345678."])
    assert [(f.text, f.line) for f in found] == [("Грант AP12345678.", 2)]


def test_acknowledgements_count_only_when_they_mention_funding():
    assert find_funding(["Acknowledgements: We thank the reviewers for their comments."]) == []
    found = find_funding(["Acknowledgements: We thank the Ministry for grant AP12345678."])
    assert found[0].awards == ("AP12345678",)


def test_award_seen_twice_is_one_award():
    statement = only("Funding: grant AP19677146 (printed again as АР19677146).")
    assert statement.awards == ("AP19677146",)
    assert statement.printed_awards == ("AP19677146", "АР19677146")


# --- where statements stop, and hyphenation --------------------------------------------------

def test_statement_stops_at_a_reference_heading():
    found = find_funding(["Funding: grant AP12345678.", "References", "1. Smith J. A book. 2020."])
    assert [(f.line, f.last_line) for f in found] == [(1, 1)]


def test_statement_stops_at_an_abstract_and_at_a_title_in_capitals():
    found = find_funding(["Қаржыландыру: Грант BR24993082.", " Аңдатпа. Философтар"])
    assert found[0].last_line == 1
    found = find_funding(["Funding: grant AP12345678.", "INFORMATION SECURITY MANAGEMENT:"])
    assert found[0].last_line == 1


def test_statement_in_front_matter_is_found():
    lines = ["ТАҚЫРЫП ЖОЛЫ МЫНАДАЙ", "Автор Авторов", "Funding: grant AP12345678.", "",
             "Abstract. Some text here.", "", "Body text goes on."]
    assert [f.line for f in find_funding(lines, first_line=100)] == [102]


def test_a_missing_blank_line_cannot_swallow_the_article():
    lines = ["Funding: grant AP12345678."] + ["more body text without a break"] * 30
    assert find_funding(lines)[0].last_line == 12


def test_line_end_hyphenation_is_undone():
    statement = only("Қаржыландыру: Зерттеу Ғылым комитеті есебінен қаржыланды-\nрылды.")
    assert statement.text == "Қаржыландыру: Зерттеу Ғылым комитеті есебінен қаржыландырылды."


def test_compound_printed_elsewhere_keeps_its_hyphen():
    lines = ["Кіріспеде бағдарламалық-мақсатты тәсіл сипатталады.", "",
             "Қаржыландыру: Мақала бағдарламалық-", "мақсатты қаржыландыру аясында дайындалды."]
    assert find_funding(lines)[0].text == (
        "Қаржыландыру: Мақала бағдарламалық-мақсатты қаржыландыру аясында дайындалды.")


def test_join_lines_keeps_reduplications_and_dashes():
    assert join_lines(["өзін-", "өзі басқару"])[0] == "өзін-өзі басқару"
    assert join_lines(["(ХІХ-", "ХХІ ғғ.)"])[0] == "(ХІХ-ХХІ ғғ.)"
    text, offsets = join_lines(["  one  two ", "three"])
    assert text == "one two three" and offsets == [0, 8]


# --- not funding ---------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Мемлекеттік қаржыландыру креативті экономиканы дамытуда шешуші рөл атқарады.",
    "қаржыландыру, тәлімгерлік қолдау және технологиялық ресурстарға қол жеткізу.",
    "Қаржылық қолдау жағынан да қиындықтар бар.",
    "Демек, осыған дейін жұмыс істеген Кеңес бағдарламасын әзірлеу мен нақты ұсыныстар әзірленді.",
    "Мақала архивтік деректер негізінде дайындалды.",
    "the budget of the LSG consisting of a program funded from the district budget.",
    "This paper is part of a broader study project, so at this stage we are giving results.",
    "The grant allocation for these programs is determined by state order.",
    "Статья подготовлена по материалам диссертации.",
    "№ 2 (86) 2025",
])
def test_not_funding(text):
    assert find_funding([text]) == []


# --- the whole seed issue ------------------------------------------------------------------------

@pytest.mark.parametrize("number", range(1, 11))
def test_every_article_of_the_seed_is_funded_as_the_example_says(number, seed_lines, example_issue):
    first, last = ARTICLE_LINES[number - 1]
    found = find_funding(seed_lines[first - 1:last], first_line=first)
    expected = example_issue.articles[number - 1].funding
    assert len(found) == len(expected)
    for statement, funding in zip(found, expected):
        assert statement.language == funding.statement.original
        assert statement.text == funding.statement[statement.language]
        assert list(statement.awards) == funding.awards
        assert statement.funder == funding.funder.get(statement.language)
        assert first <= statement.line <= statement.last_line <= last


def test_seed_statement_lines_and_printed_awards(seed_lines):
    found = []
    for first, last in ARTICLE_LINES:
        found += find_funding(seed_lines[first - 1:last], first_line=first)
    assert [(f.line, f.last_line, f.printed_awards) for f in found] == [
        (783, 786, ("AP19677146",)),
        (1806, 1807, ()),  # article 3: a project, no award number
        (2416, 2419, ("№AP26199617",)),
        (3751, 3753, ("NoВR21882308",)),
        (4487, 4490, ("No. BR21882308",)),
        (4996, 4999, ("AP23488744",)),
        (5620, 5621, ("№ BR24993082",)),
        (6148, 6151, ("BR21882428",)),
    ]


def test_single_article_file_gives_article_8(example_issue):
    lines = (SEEDS / "001_3419770898551ee2.txt").read_text(encoding="utf-8").split("\n")
    [statement] = find_funding(lines)
    funding = example_issue.articles[7].funding[0]
    assert statement.text == funding.statement["kk"]
    assert list(statement.awards) == funding.awards and statement.funder == funding.funder["kk"]


def test_whole_issue_is_fast(seed_lines):
    import time
    start = time.perf_counter()
    find_funding(seed_lines)
    assert time.perf_counter() - start < 0.5
