"""Reference lists on hand-made samples in Kazakh, Russian and English (the seed lost its lists)."""


import pytest
from seeds import ISSUE_TEXT

from biblio.extract.references import ReferenceEntry, ReferenceList, find_reference_lists, to_model
from biblio.model import Reference

# A Kazakh article's end: the list in the original script, then again transliterated.
KAZAKH = """\
Қорытынды мәтін осында аяқталады [3].

Әдебиеттер тізімі
1. Назарбаев Н.Ә. Тарих толқынында. – Алматы: Атамұра, 1999. – 296 б.
2. Қасымбаев Ж.Қ. Қазақстан тарихы: оқулық. – Алматы: Білім, 2002. – 
320 б.
3. Әбжанов Х.М. Ұлттық бірегейлік және тарихи сана // ҚазҰУ Хабаршысы. 
Тарих сериясы. – 2021. – №2(101). – Б. 45-57. https://doi.org/10.26577/
JH.2021.v101.i2.05

References
1. Nazarbaev N.A. Tarih tolqynynda [In the stream of history]. – Almaty: Atamura, 1999. – 296 b. 
[in Kazakh]
2. Qasymbaev Zh.Q. Qazaqstan tarihy: oqulyq [History of Kazakhstan: textbook]. – Almaty: Bilim, 
2002. – 320 b. [in Kazakh]
3. Abzhanov H.M. Ulttyq biregeilik zhane tarihi sana [National identity and historical conscious-
ness] // QazUU Habarshysy. Tarih seriyasy. – 2021. – №2(101). – B. 45-57. https://doi.org/10.26577/
JH.2021.v101.i2.05 [in Kazakh]

Information about the authors
Назарбаев Н.Ә. – профессор
"""

# A Russian list with bracketed labels, "DOI 10…" and "doi: 10…", and a hyphenated word.
RUSSIAN = """\
СПИСОК ЛИТЕРАТУРЫ:
[1] Иванов И.И., Петров П.П. Политическая модерни-
зация в Центральной Азии // Полис. Политические исследования. 2020. № 3. С. 
45–60. DOI 10.17976/jpps/2020.03.05
[2] Кузнецова А.В. Гражданское общество: теория и практика. М.: Наука, 2018. 
240 с.
[3] Конституция Республики Казахстан. Принята на республиканском референдуме 
30 августа 1995 года. – URL: https://adilet.zan.kz/rus/docs/K950001000_ (дата обращения: 
12.03.2025).
[4] Сарсембаев М.А. Партийная система Казахстана // Вестник КазНУ. Серия 
юридическая. 2019. Т. 89, № 1. doi: 10.26577/JAPJ.2019.v89.i1.03.
"""

# An English list, not numbered, APA style; one DOI printed with a stray space.
ENGLISH = """\
Bibliography
Anderson, B. (2006). Imagined communities: Reflections on the origin and spread of
nationalism. Verso.
Cummings, S. N. (2012). Understanding Central Asia: Politics and contested transfor-
mations. Routledge. https://doi.org/10.4324/9780203103838
Hale, H. E. (2015). Patronal politics: Eurasian regime dynamics in comparative perspective. Cambridge
University Press. https://doi.org/ 10.1017/CBO9781139683524
Isaacs, R. (2011). Party system formation in Kazakhstan: Between formal and informal politics.
Routledge.

THE NEXT ARTICLE'S TITLE IN CAPITALS
"""


def lists(text: str, first_line: int = 1) -> list[ReferenceList]:
    return find_reference_lists(text.split("\n"), first_line)


# --- Kazakh: numbered "1.", printed twice -----------------------------------------------------

def test_kazakh_list_and_its_transliteration_are_both_returned():
    found = lists(KAZAKH, first_line=101)
    assert [(r.heading, r.language, r.line, len(r.entries)) for r in found] == [
        ("Әдебиеттер тізімі", "kk", 103, 3), ("References", "en", 111, 3)]


def test_kazakh_entries():
    original = lists(KAZAKH, first_line=101)[0]
    assert original.entries == (
        ReferenceEntry("1", "Назарбаев Н.Ә. Тарих толқынында. – Алматы: Атамұра, 1999. – 296 б.", None, 104, 104),
        ReferenceEntry("2", "Қасымбаев Ж.Қ. Қазақстан тарихы: оқулық. – Алматы: Білім, 2002. – 320 б.", None,
                       105, 106),
        ReferenceEntry("3", "Әбжанов Х.М. Ұлттық бірегейлік және тарихи сана // ҚазҰУ Хабаршысы. Тарих сериясы. "
                       "– 2021. – №2(101). – Б. 45-57. https://doi.org/10.26577/JH.2021.v101.i2.05",
                       "10.26577/JH.2021.v101.i2.05", 107, 109),
    )


def test_transliterated_list_ends_at_the_authors_heading():
    transliterated = lists(KAZAKH, first_line=101)[1]
    third = transliterated.entries[2]
    assert third.text.startswith("Abzhanov H.M. Ulttyq biregeilik zhane tarihi sana [National identity and "
                                 "historical consciousness] //")
    assert third.text.endswith("https://doi.org/10.26577/JH.2021.v101.i2.05 [in Kazakh]")
    assert third.doi == "10.26577/JH.2021.v101.i2.05"
    assert (third.line, third.last_line) == (116, 118)
    assert transliterated.entries[0].text.endswith("– 296 b. [in Kazakh]")


# --- Russian: "[1]", capitals, DOI forms -----------------------------------------------------

def test_russian_list():
    [found] = lists(RUSSIAN)
    assert (found.heading, found.language, found.line) == ("СПИСОК ЛИТЕРАТУРЫ", "ru", 1)
    assert [e.label for e in found.entries] == ["1", "2", "3", "4"]
    assert [(e.line, e.last_line) for e in found.entries] == [(2, 4), (5, 6), (7, 9), (10, 11)]
    first = found.entries[0]
    assert first.text == ("Иванов И.И., Петров П.П. Политическая модернизация в Центральной Азии // Полис. "
                          "Политические исследования. 2020. № 3. С. 45–60. DOI 10.17976/jpps/2020.03.05")
    assert first.doi == "10.17976/jpps/2020.03.05"
    assert found.entries[1].doi is None
    assert found.entries[2].doi is None  # a URL that is not a DOI
    assert "K950001000_ (дата обращения: 12.03.2025)." in found.entries[2].text
    assert found.entries[3].doi == "10.26577/JAPJ.2019.v89.i1.03"  # the final full stop is not part of it


# --- English: not numbered -----------------------------------------------------------------

def test_english_unnumbered_list():
    [found] = lists(ENGLISH, first_line=50)
    assert (found.heading, found.language) == ("Bibliography", "en")
    assert [e.label for e in found.entries] == [None] * 4
    assert [(e.line, e.last_line) for e in found.entries] == [(51, 52), (53, 54), (55, 56), (57, 58)]
    assert found.entries[1].text == ("Cummings, S. N. (2012). Understanding Central Asia: Politics and contested "
                                     "transformations. Routledge. https://doi.org/10.4324/9780203103838")
    assert [e.doi for e in found.entries] == [None, "10.4324/9780203103838", "10.1017/CBO9781139683524", None]


def test_unnumbered_entry_starts_only_after_a_finished_entry():
    text = "References\nSmith J. A study of\nJones K. and others. 2020.\nBrown L. Another. 2021."
    [found] = lists(text)
    assert [e.text for e in found.entries] == ["Smith J. A study of Jones K. and others. 2020.",
                                               "Brown L. Another. 2021."]


def test_unnumbered_initials_first_and_title_first():
    text = ("Литература\nИ.И. Иванов. Книга. М., 2001.\nА.Б. Петров. Статья. 2002.\n"
            "Закон Республики Казахстан «О партиях». 2002.\nСидоров В.В. Очерк. 2003.")
    [found] = lists(text)
    assert [e.text for e in found.entries] == [
        "И.И. Иванов. Книга. М., 2001.",
        "А.Б. Петров. Статья. 2002. Закон Республики Казахстан «О партиях». 2002.",  # title-first joins
        "Сидоров В.В. Очерк. 2003.",
    ]


# --- numbering -----------------------------------------------------------------------------------

def test_parenthesis_labels_and_heading_variants():
    text = "Пайдаланылған әдебиеттер:\n1) Ахметов А. Кітап. 2010.\n2) Бекова Б. Мақала. 2011."
    [found] = lists(text)
    assert (found.heading, found.language) == ("Пайдаланылған әдебиеттер", "kk")
    assert [(e.label, e.text) for e in found.entries] == [("1", "Ахметов А. Кітап. 2010."),
                                                          ("2", "Бекова Б. Мақала. 2011.")]


def test_a_wrapped_line_that_starts_like_a_label_stays_in_its_entry():
    text = "References\n1. Smith J. Politics. London,\n2019. 245 p.\n2. Jones K. Power.\n15. Chapter in it.\n3. Last."
    [found] = lists(text)
    assert [e.label for e in found.entries] == ["1", "2", "3"]
    assert found.entries[0].text == "Smith J. Politics. London, 2019. 245 p."
    assert found.entries[1].text == "Jones K. Power. 15. Chapter in it."


def test_blank_lines_inside_a_list_are_ignored():
    [found] = lists("References\n\n1. One A. Text.\n\n2. Two B. Text\ncontinued.\n")
    assert [(e.text, e.line, e.last_line) for e in found.entries] == [
        ("One A. Text.", 3, 3), ("Two B. Text continued.", 5, 6)]


@pytest.mark.parametrize("heading, lang", [
    ("Әдебиеттер тізімі", "kk"), ("ӘДЕБИЕТТЕР ТІЗІМІ", "kk"), ("Пайдаланылған әдебиеттер тізімі", "kk"),
    ("Список литературы", "ru"), ("Список использованной литературы:", "ru"), ("Литература", "ru"),
    ("References", "en"), ("REFERENCES:", "en"), ("Bibliography.", "en"), ("  references  ", "en"),
])
def test_headings(heading, lang):
    [found] = lists(f"{heading}\n1. Author A. Title. 2020.")
    assert found.language == lang and len(found.entries) == 1


@pytest.mark.parametrize("line", [
    "References to earlier work are in section 2.",
    "Литература о партиях обширна [4].",
    "Әдебиеттер тізімін талдау",
])
def test_a_sentence_that_starts_with_a_heading_word_is_not_a_heading(line):
    assert lists(f"{line}\n1. Author A. Title. 2020.") == []


# --- ends of lists ----------------------------------------------------------------------------------

def test_list_ends_at_a_title_in_capitals():
    [found] = lists(ENGLISH)
    assert found.entries[-1].last_line == 9
    assert "CAPITALS" not in found.entries[-1].text


def test_list_ends_at_a_funding_heading_and_at_the_end_of_input():
    [found] = lists("References\n1. A B. T. 2020.\nFunding: grant AP12345678.")
    assert [e.text for e in found.entries] == ["A B. T. 2020."]
    [found] = lists("References\n1. A B. T. 2020.")
    assert found.entries[-1].last_line == 2


def test_heading_without_entries():
    assert lists("Body.\nReferences\n") == [ReferenceList("References", "en", 2, ())]


def test_no_heading_no_list():
    assert lists("1. Smith J. Title. 2020.\n2. Jones K. Title. 2021.") == []


# --- DOIs and the model -------------------------------------------------------------------------------

@pytest.mark.parametrize("printed, doi", [
    ("https://doi.org/10.1234/abc.5", "10.1234/abc.5"),
    ("http://dx.doi.org/10.1234/abc", "10.1234/abc"),
    ("doi: 10.1234/abc", "10.1234/abc"),
    ("DOI:10.1234/abc.", "10.1234/abc"),
    ("DOI 10.1234/abc;", "10.1234/abc"),
    ("(https://doi.org/10.1234/abc)", "10.1234/abc"),
    ("https://doi.org/10.1002/(SICI)1097-4571(199806)49:8", "10.1002/(SICI)1097-4571(199806)49:8"),
    ("https://doi.org/ 10.1234/abc", "10.1234/abc"),
])
def test_doi_forms(printed, doi):
    [found] = lists(f"References\n1. Author A. Title. 2020. {printed}")
    assert found.entries[0].doi == doi


def test_doi_broken_after_a_slash_or_a_dash():
    [found] = lists("References\n1. A B. T. https://doi.org/10.1234/abc-\ndef.2020\n2. C D. T. doi: 10.1234/\nxyz")
    assert [e.doi for e in found.entries] == ["10.1234/abc-def.2020", "10.1234/xyz"]


def test_to_model():
    entry = ReferenceEntry("3", "Smith J. Title. 2020. doi: 10.1234/abc", "10.1234/abc", 7, 8)
    assert to_model(entry, "en") == Reference(text=entry.text, label="3", language="en", doi="10.1234/abc")
    assert to_model(ReferenceEntry(None, "Text", None, 1, 1), None) == Reference(text="Text")


# --- the seed --------------------------------------------------------------------------------------

def test_the_seed_lost_its_lists():
    lines = ISSUE_TEXT.read_text(encoding="utf-8").split("\n")
    assert find_reference_lists(lines) == []
