"""RIS: the example in every language, round trips, other tools' exports, validation with line numbers."""

import io
import re
import tracemalloc
import unicodedata
from pathlib import Path

import pytest
from test_ris_properties import carried, one, paragraphs

import biblio
from biblio import derive, formats
from biblio.formats import ris
from biblio.formats.ris import parse
from biblio.model import (
    Article,
    ArticleDates,
    Contributor,
    Funding,
    Issn,
    Issue,
    Journal,
    LangText,
    Pages,
    PartialDate,
    PersonName,
)

DATA = Path(__file__).parent / "data" / "ris"
KAZAKH_ONLY = set("ӘәҒғҚқҢңӨөҰұҮүҺһІі")


@pytest.fixture(scope="module")
def example():
    from conftest import EXAMPLE
    issue, _ = biblio.load(EXAMPLE)
    return issue


def dumps(issue: Issue, lang: str | None = None) -> tuple[str, list]:
    """The RIS text the writer makes of an issue held in memory (one file, or none), and the problems."""
    files, problems = formats.dumps(ris.FORMAT, issue, lang=lang)
    assert len(files) <= 1
    return "".join(data.decode("utf-8") for data in files.values()), problems


def write(issue: Issue, folder: Path, lang: str | None = None) -> tuple[list[Path], list]:
    """The writer's file(s) on disk, as a build leaves them."""
    files, problems = formats.dumps(ris.FORMAT, issue, lang=lang)
    paths = []
    for name, data in files.items():
        paths.append(folder / name)
        paths[-1].write_bytes(data)
    return paths, problems


def read_back(tmp_path: Path, text: str) -> Issue:
    path = tmp_path / "back.ris"
    path.write_bytes(text.encode("utf-8"))
    issue, problems = ris.FORMAT.read(path)
    assert issue is not None and not [p for p in problems if p.severity == "error"], [str(p) for p in problems]
    return issue


# --- the example issue ---------------------------------------------------------------------

@pytest.mark.parametrize("lang", [None, "kk", "ru", "en"])
def test_example_in_each_language_validates_and_reads_back(tmp_path, example, lang):
    files, problems = write(example, tmp_path, lang=lang)
    assert [f.name for f in files] == [ris.FILE_NAME if lang is None else f"articles.{lang}.ris"]
    assert not [p for p in problems if p.severity == "error"]
    data = files[0].read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    assert ris.detect(files[0]) and ris.validate(files[0]) == []
    back, read_problems = ris.FORMAT.read(files[0])
    assert [p for p in read_problems if p.severity != "info"] == []
    assert len(back.articles) == 10 and back.year == 2025 and back.number == "2"
    for index, article in enumerate(example.articles):
        assert carried(back, index, lang) == carried(example, index, lang), index
        # LA names the record's text, as BibTeX's language and CSL's do: lang, else the article's title language
        assert back.articles[index].language == derive.item_language(article, lang or article.language)


def test_example_keeps_every_cyrillic_letter(tmp_path, example):
    files, _ = write(example, tmp_path, lang="kk")
    text = files[0].read_bytes().decode("utf-8")
    first = one(example.articles[0].titles["kk"])
    assert f"\r\nTI  - {first}\r\n" in text
    written = "".join(str(carried(example, index, "kk")) for index in range(len(example.articles)))

    def cyrillic(chars):
        return sorted(char for char in chars if "CYRILLIC" in unicodedata.name(char, ""))

    assert cyrillic(text) == cyrillic(written)  # every letter of every value, none lost or added
    assert {char for char in text if char in KAZAKH_ONLY} == {char for char in written if char in KAZAKH_ONLY}
    assert len({char for char in text if char in KAZAKH_ONLY}) >= 14


def test_example_reports_fallbacks_and_what_ris_cannot_carry(example):
    _, problems = dumps(example, lang="en")
    fallbacks = {(p.path, p.message) for p in problems if p.code == "lang.fallback"}
    assert ("articles", "no en title: the whole item is written in kk, the language of the article's title "
            "(article 7)") in fallbacks
    assert ("articles", "authors with no en spelling of their name: the ru spelling is written (article 2)") \
        in fallbacks
    notes = [p.message for p in problems if p.code == "ris.not-carried"]
    assert any("funding" in n and "articles 1, 3-4, 6-10" in n for n in notes)
    assert any("in-text citation numbers" in n and "articles 1-10" in n for n in notes)
    assert any("other languages (a record holds one language" in n for n in notes)
    assert any("whole number" in n for n in notes)
    assert all(p.severity == "info" for p in problems if p.code == "ris.not-carried")
    assert len(notes) == len(set(notes))  # one note per kind of field


def test_original_languages_file_gives_each_article_its_own(example):
    text, problems = dumps(example)
    languages = re.findall(r"^LA  - (.*)\r$", text, re.MULTILINE)
    # each article's own language, but article 6 (kk) has an en title only and article 10 (en) a ru one
    assert languages == ["kk", "en", "kk", "kk", "en", "en", "kk", "kk", "kk", "ru"]
    assert [p.message for p in problems if p.code == "lang.fallback" and "title" in p.message] == [
        "no kk title: the whole item is written in en, the language of the article's title (article 6)",
        "no en title: the whole item is written in kk, the language of the article's title (article 7)",
        "no en title: the whole item is written in ru, the language of the article's title (article 10)",
        "no en journal title: using the kk journal title", "no ru journal title: using the kk journal title"]


def test_the_writer_takes_the_articles_it_is_given(example):
    """The build hands over the articles it chose; the index only names them in messages."""
    output = formats.MemoryOutput()
    writer = ris.FORMAT.writer(example, output, lang="en")
    writer.add(4, example.articles[4])
    problems = writer.close()
    text = output.files()["articles.en.ris"].decode("utf-8")
    assert text.count("TY  - JOUR") == 1 and f"DO  - {example.articles[4].doi}" in text
    assert text.startswith("TY  - JOUR\r\n") and text.endswith("ER  - \r\n")
    assert any(p.code == "ris.not-carried" and p.message.endswith("(article 5)") for p in problems)


def test_a_language_that_is_not_a_tag_and_a_file_without_records(example):
    files, problems = formats.dumps(ris.FORMAT, example, lang="not a tag")
    assert files == {} and [p.code for p in problems] == ["ris.lang"]
    files, problems = formats.dumps(ris.FORMAT, example, lang="KK")
    assert list(files) == ["articles.kk.ris"]
    output = formats.MemoryOutput()
    problems = ris.FORMAT.writer(example, output).close()
    assert output.files() == {} and problems[-1].code == "ris.no-articles" and problems[-1].severity == "error"
    assert [p.code for p in problems if p.severity == "error"] == ["ris.no-articles"]


def _issue(**article_fields) -> Issue:
    article = Article(language="kk", titles=LangText({"kk": "Тақырып"}, "kk"), doi="10.1234/a.1", **article_fields)
    return Issue(journal=Journal(titles=LangText({"kk": "Журнал"}, "kk"), issns=[Issn("2788-5860", "print")]),
                 year=2025, number="2", articles=[article])


def test_abstract_paragraphs_make_one_line_and_their_breaks_are_reported(tmp_path):
    abstract = ("Бірінші абзац әріптері: & % { } \"quotes\" «ұзақ».\n\n"
                "Екінші абзац,\nжолдары бар.\n\n\n   Үшінші.\n\n"
                "ER  - is not the end of the record\n\n10 - 20 мың адам.\n\nСоңғы.")
    issue = _issue(abstracts=LangText({"kk": abstract}, "kk"))
    text, problems = dumps(issue)
    assert ("\r\nAB  - Бірінші абзац әріптері: & % { } \"quotes\" «ұзақ». Екінші абзац, жолдары бар. Үшінші. "
            "ER - is not the end of the record 10 - 20 мың адам. Соңғы.\r\n") in text
    assert [p.message for p in problems if "paragraph" in p.message] == [
        "RIS cannot carry paragraph breaks in abstracts (pandoc reads one line per tag) (article 1)"]
    assert [p.path for p in problems if "paragraph" in p.message] == ["articles"]
    assert read_back(tmp_path, text).articles[0].abstracts["kk"] == paragraphs(abstract)
    assert ris.abstract_lines(abstract)[-1] == "Соңғы."
    one_paragraph = _issue(abstracts=LangText({"kk": "Бір\nғана абзац."}, "kk"))
    text, problems = dumps(one_paragraph)
    assert "\r\nAB  - Бір ғана абзац.\r\n" in text and not [p for p in problems if "paragraph" in p.message]


def test_a_two_paragraph_abstract_leaves_no_blank_line_and_no_untagged_line_in_a_record():
    """pandoc 3 refuses both (``unexpected '\\n'``, ``unexpected 'e'``): every line of a record is a tag line."""
    issue = _issue(abstracts=LangText({"kk": "Бірінші абзац.\n\nекінші абзац."}, "kk"))
    issue.articles.append(Article(language="kk", titles=LangText({"kk": "Екінші"}, "kk"),
                                  abstracts=LangText({"kk": "Бір.\n\n\nЕкі,\nжолы."}, "kk")))
    text, _ = dumps(issue)
    records = text.split("\r\n\r\n")
    assert len(records) == 2 and all(record.endswith("ER  - ") or record.endswith("ER  - \r\n") for record in records)
    lines = [line for record in records for line in record.split("\r\n") if line]
    assert all(re.match(r"[A-Z][A-Z0-9]  - ", line) for line in lines), lines
    assert "AB  - Бірінші абзац. екінші абзац." in lines and "AB  - Бір. Екі, жолы." in lines


def test_the_reader_still_reads_blank_line_paragraphs_of_other_tools(tmp_path):
    text = "TY  - JOUR\r\nTI  - Т\r\nT2  - Ж\r\nAB  - Бірінші.\r\n\r\nЕкінші,\r\nжолы.\r\nPY  - 2020\r\nER  - \r\n"
    assert read_back(tmp_path, text).articles[0].abstracts.main == "Бірінші.\n\nЕкінші,\nжолы."


def test_values_are_one_line_and_keep_non_breaking_spaces(tmp_path):
    issue = _issue()
    issue.articles[0].titles = LangText({"kk": "№\u00a02 басылым\u2028жаңа\tжол\x07"}, "kk")
    text, problems = dumps(issue)
    assert "\r\nTI  - №\u00a02 басылым жаңа жол\r\n" in text
    assert [p.code for p in problems if p.severity == "warning"] == ["ris.control-character"]
    assert read_back(tmp_path, text).articles[0].titles["kk"] == "№\u00a02 басылым жаңа жол"
    assert [p.code for p in dumps(issue, lang="not a tag")[1]] == ["ris.lang"]


def test_names_persons_one_name_persons_and_groups(tmp_path):
    contributors = [
        Contributor(names={"kk": PersonName("Насимов", "Мұрат")}),
        Contributor(names={"kk": PersonName("Ким Ли")}),  # one name, two words
        Contributor(names={"kk": PersonName("Абай")}),
        Contributor(organization=LangText({"kk": "Қазақстан ғалымдары тобы"}, "kk")),
        Contributor(role="editor", names={"kk": PersonName("Редактор", "Әлия")}),
        Contributor(role="translator", names={"kk": PersonName("Аудармашы", "Ерлан")}),
        Contributor(role="reviewer", names={"kk": PersonName("Сарапшы", "Бек")}),
    ]
    text, problems = dumps(_issue(contributors=contributors))
    assert re.findall(r"^(A[U24])  - (.*)\r$", text, re.MULTILINE) == [
        ("AU", "Насимов, Мұрат"), ("AU", "Ким Ли,"), ("AU", "Абай,"), ("AU", "Қазақстан ғалымдары тобы"),
        ("A2", "Редактор, Әлия"), ("A4", "Аудармашы, Ерлан")]
    assert any(p.code == "ris.not-carried" and "reviewers" in p.message for p in problems)
    back = read_back(tmp_path, text).articles[0].contributors
    assert [c.names.get("kk") for c in back[:3]] == [PersonName("Насимов", "Мұрат"), PersonName("Ким Ли"),
                                                     PersonName("Абай")]
    assert back[3].organization.texts == {"kk": "Қазақстан ғалымдары тобы"} and not back[3].names
    assert [c.role for c in back] == ["author"] * 4 + ["editor", "translator"]


def test_writer_warns_about_what_readers_split():
    contributors = [Contributor(names={"en": PersonName("Smith, Jr", "John")}),
                    Contributor(organization=LangText({"en": "Ministry of Science, Kazakhstan"}, "en"))]
    issue = _issue(contributors=contributors, keywords={"kk": ["бір; екі"]})
    _, problems = dumps(issue)
    codes = [p.code for p in problems]
    assert codes.count("ris.name-comma") == 2 and "ris.keyword-separator" in codes


def test_dates_pages_article_numbers_and_not_carried(tmp_path):
    issue = _issue(pages=Pages(article_number="e7"),
                   dates=ArticleDates(published=PartialDate(2025, 6), online=PartialDate(2025, 5, 30),
                                      received=PartialDate(2024)),
                   funding=[Funding(awards=["AP1"])])
    issue.whole_number, issue.volume = "86", "3"
    text, problems = dumps(issue)
    for line in ("DA  - 2025/06//", "PY  - 2025", "SP  - e7", "C7  - e7", "VL  - 3", "IS  - 2", "SN  - 2788-5860",
                 "LA  - kk", "T2  - Журнал"):
        assert f"\r\n{line}\r\n" in text, line
    assert "EP  -" not in text and "JO  -" not in text
    notes = " | ".join(p.message for p in problems if p.code == "ris.not-carried")
    for what in ("whole number", "print or the electronic", "funding", "received and accepted",
                 "online date beside the print date"):
        assert what in notes
    back = read_back(tmp_path, text)
    article = back.articles[0]
    assert article.pages == Pages(None, None, "e7") and article.dates.published == PartialDate(2025, 6)
    assert (back.volume, back.number, back.year) == ("3", "2", 2025)


def test_issue_date_fills_da_and_says_so():
    issue = _issue()
    issue.published = PartialDate(2025, 6, 30)
    text, problems = dumps(issue)
    assert "\r\nDA  - 2025/06/30/\r\nPY  - 2025\r\n" in text
    assert any(p.code == "ris.date-from-issue" and "article 1" in p.message for p in problems)


# --- other tools' exports ---------------------------------------------------------------------

def _read(name):
    issue, problems = ris.FORMAT.read(DATA / name)
    assert issue is not None and not [p for p in problems if p.severity == "error"], [str(p) for p in problems]
    return issue, problems


def test_zotero_export():
    issue, problems = _read("zotero.ris")
    first, second = issue.articles
    assert first.language == "ru" and first.titles["ru"] == "Миграционная политика Казахстана: «возвращение» и адаптация"
    assert [(c.names["ru"].family, c.names["ru"].given) for c in first.contributors] == [
        ("Иванова", "Анна Сергеевна"), ("Петров", "П. П.")]
    assert first.abstracts["ru"] == ("Первый абзац аннотации, 100% о политике.\n"
                                     "Второй абзац: {фигурные} скобки и \"кавычки\".")
    assert first.keywords == {"ru": ["миграция", "адаптация"]}
    assert first.doi == "10.1234/vest.2020.5" and first.url == "https://journal.example.org/article/5"
    assert first.pages == Pages("45", "67") and first.dates.published == PartialDate(2020, 5, 1)
    assert second.language == "en" and second.dates.published is None and second.pages == Pages("68", "80")
    journal = issue.journal
    assert journal.titles.texts == {"ru": "Вестник науки & практики"} and journal.abbreviation == "Вестн. науки"
    assert [i.value for i in journal.issns] == ["2788-5860"] and (issue.year, issue.volume, issue.number) == (
        2020, "12", "3")
    assert {(p.code, p.line) for p in problems} == {("ris.tag-not-read", 11)}  # DP
    assert first.accessed == PartialDate(2024, 3, 1)  # Y2, Zotero's access date (with its time)
    assert ris.validate(DATA / "zotero.ris") == []


def test_endnote_export():
    issue, problems = _read("endnote.ris")
    article = issue.articles[0]
    assert article.language == "kk" and article.titles["kk"] == "Қазақ тіліндегі ғылыми мәтіндер"
    assert [c.names["kk"] for c in article.contributors] == [PersonName("Әлиева", "Гүлнұр"),
                                                             PersonName("Нұрланұлы", "Ерлан")]
    assert article.abstracts["kk"].startswith("Мақалада") and article.pages == Pages("12", "20")
    assert article.keywords == {"kk": ["ғылыми мәтін", "термин", "аударма"]}
    assert issue.journal.titles.texts == {"kk": "Ғылыми-сараптамалық журнал"}
    assert issue.journal.abbreviation == "Ғыл.-сар. журн." and issue.year == 2019
    assert article.dates.published is None
    assert sorted(p.message.split()[0] for p in problems if p.code == "ris.tag-not-read") == ["ID", "RP"]
    assert article.note == "Imported from the library catalogue"  # N1


def test_mendeley_export():
    issue, problems = _read("mendeley.ris")
    article = issue.articles[0]
    assert article.language == "en" and any(p.code == "ris.language-guessed" for p in problems)
    assert [c.names["en"] for c in article.contributors] == [PersonName("Doe", "Jane"), PersonName("Müller", "Jürgen")]
    assert issue.journal.titles.texts == {"en": "Journal of Eurasian Studies"} and issue.journal.abbreviation is None
    assert article.doi == "10.1016/j.euras.2018.02.001" and article.url is None  # the DOI's own address
    assert article.abstracts["en"] == "We compare energy policies." and article.pages == Pages("100", "110")
    assert article.dates.published == PartialDate(2018, 2, 15) and issue.year == 2018


def test_scopus_export_with_bom_and_two_journals():
    assert ris.detect(DATA / "scopus.ris")
    (issue, other), problems = biblio.api.load_catalogue(DATA / "scopus.ris")  # two journals: two issues
    [first], [second] = issue.articles, other.articles
    assert first.pages == Pages(None, None, "012345") and first.doi == "10.37178/ca-c.21.1.01"
    assert [c.names["en"] for c in first.contributors] == [PersonName("Nassimov", "M."), PersonName("Kadyrov", "Zh.")]
    assert issue.journal.titles.texts == {"en": "Central Asia and the Caucasus"}
    assert [i.value for i in issue.journal.issns] == ["1404-6091"]
    assert issue.journal.publisher.name.main == "CA&CC Press"
    assert second.language == "ru" and second.doi == "10.31857/0373-658X.2021.1.5-19"
    assert other.journal.titles.main == "Вопросы языкознания" and not [p for p in problems if "mixed" in p.code]
    not_read = {p.message.split()[0]: p.line for p in problems if p.code == "ris.tag-not-read"}
    assert not_read == {"AD": 13, "DB": 21, "M3": 22}
    assert (first.note, second.note) == ("Cited By :3", None)  # N1


def test_web_of_science_export():
    issue, problems = _read("wos.ris")
    article = issue.articles[0]
    assert article.titles["en"] == "PUBLIC HEALTH AND MIGRATION IN CENTRAL ASIA"  # wrapped title joined
    assert article.dates.published == PartialDate(2021, 5) and issue.year == 2021
    assert article.contributors[0].names["en"] == PersonName("Omarova", "Aigerim")
    assert article.contributors[1].organization.texts == {"en": "World Health Organization"}
    assert [(p.code, p.line, p.severity) for p in problems if p.code == "ris.tag-unknown"] == [
        ("ris.tag-unknown", 9, "info")]
    assert [(p.code, p.line) for p in ris.validate(DATA / "wos.ris")] == [("ris.tag-unknown", 9)]


@pytest.mark.parametrize(("raw", "expected"), [
    ("2020", PartialDate(2020)), ("2020///", PartialDate(2020)), ("2020/05/01/", PartialDate(2020, 5, 1)),
    ("2020/05//", PartialDate(2020, 5)), ("2020/5/1/Spring", PartialDate(2020, 5, 1)),
    ("2020-05-01", PartialDate(2020, 5, 1)), ("MAY 2021", PartialDate(2021, 5)),
    ("May 3, 2021", PartialDate(2021, 5, 3)), ("2021 Jun", PartialDate(2021, 6)), ("2020/13/01/", None),
    ("spring", None)])
def test_dates(raw, expected):
    assert ris.parse_date(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("Russian", "ru"), ("rus", "ru"), ("Kazakh", "kk"), ("kaz", "kk"), ("English", "en"), ("eng", "en"),
    ("en-GB", "en-GB"), ("kk_latn", "kk-Latn"), ("Қазақ тілі", "kk"), ("русский", "ru"), ("English; Russian", "en"),
    ("Klingon", None)])
def test_languages(raw, expected):
    assert ris.language(raw) == expected


def test_reader_reports_records_it_cannot_use(tmp_path):
    path = tmp_path / "mixed.ris"
    path.write_text("TY  - BOOK\nTI  - A book\nER  - \n\nTY  - JOUR\nAU  - Nobody, N.\nPY  - 2020\nER  - \n\n"
                    "TY  - JOUR\nTI  - Kept\nT2  - J\nPY  - 2020\nLA  - Klingon\nER  - \n\n"
                    "TY  - THES\nAU  - Nobody, N.\nPB  - A University\nER  - \n", encoding="utf-8")
    issue, problems = ris.FORMAT.read(path)
    assert [a.titles.main for a in issue.articles] == ["Kept"]
    skipped = [(p.code, p.line, p.severity) for p in problems if p.code == "ris.record-skipped"]
    assert skipped == [("ris.record-skipped", 5, "warning"), ("ris.record-skipped", 17, "warning")]  # no title
    assert any(p.code == "ris.language" and p.line == 14 for p in problems)
    assert any(p.code == "read.works" and "record 1" in p.message for p in problems)  # the book: a work, no article
    works, _ = biblio.load_works(path)
    assert [(w.reference.type, w.reference.title, w.line, w.kind) for w in works] == [("book", "A book", 1, "BOOK")]


def test_reader_tolerates_broken_structure_with_warnings(tmp_path):
    path = tmp_path / "broken.ris"
    path.write_text("junk before\nTY - JOUR\nTI  - One\nT2  - J\nPY  - 2020\nTY  - JOUR\nTI  - Two\nT2  - J\n"
                    "PY  - 2020\n",
                    encoding="utf-8")
    issue, problems = ris.FORMAT.read(path)
    assert [a.titles.main for a in issue.articles] == ["One", "Two"]
    assert {(p.code, p.line) for p in problems if p.severity == "warning"} >= {
        ("ris.outside-record", 1), ("ris.tag-syntax", 2), ("ris.record-end", 2), ("ris.record-end", 6)}
    assert not [p for p in problems if p.severity == "error"]


def test_reader_refuses_files_without_articles(tmp_path):
    path = tmp_path / "empty.ris"
    path.write_text("\n\n", encoding="utf-8")
    issue, problems = ris.FORMAT.read(path)
    assert issue is None and [p.code for p in problems] == ["ris.no-records"]


def test_not_utf8_is_an_error_with_its_line(tmp_path):
    path = tmp_path / "cp1251.ris"
    path.write_bytes("TY  - JOUR\nTI  - Заголовок\nER  - \n".encode("cp1251"))
    problems = ris.validate(path)
    assert ("ris.encoding", "error", 2) in [(p.code, p.severity, p.line) for p in problems]


# --- validation --------------------------------------------------------------------------

GOOD = "TY  - JOUR\nTI  - Title\nAU  - Family, Given\nT2  - Journal\nPY  - 2025\nER  - \n"


def _validate(tmp_path, text):
    path = tmp_path / "check.ris"
    path.write_text(text, encoding="utf-8")
    return [(p.code, p.severity, p.line) for p in ris.validate(path)], ris.validate(path)


def test_a_good_record_validates(tmp_path):
    assert _validate(tmp_path, GOOD)[0] == []
    assert _validate(tmp_path, "\ufeff" + GOOD.replace("\n", "\r\n") + "\r\n" + GOOD)[0] == []


def test_validation_catches_a_missing_er(tmp_path):
    found, problems = _validate(tmp_path, GOOD.replace("ER  - \n", "") + GOOD.replace("ER  - \n", ""))
    assert found == [("ris.record-end", "error", 1), ("ris.record-end", "error", 6)]
    assert "line 6" in problems[0].message and problems[0].file.endswith("check.ris")


def test_validation_catches_bad_tag_lines(tmp_path):
    text = GOOD.replace("AU  - Family, Given", "AU - Family, Given").replace("PY  - 2025", "PY  -2025")
    found, problems = _validate(tmp_path, text)
    assert found == [("ris.tag-syntax", "error", 3), ("ris.tag-syntax", "error", 5)]
    assert "'AU  - value'" in problems[0].message
    found, _ = _validate(tmp_path, GOOD.replace("AU  - ", "au  - "))  # read as text, flagged
    assert ("ris.tag-syntax", "warning", 3) in found and ("ris.author-missing", "warning", 1) in found


def test_validation_catches_missing_required_tags(tmp_path):
    text = GOOD + GOOD.replace("TI  - Title\n", "").replace("T2  - Journal\n", "").replace("PY  - 2025\n", "")
    found, problems = _validate(tmp_path, text)
    assert found == [("ris.tag-missing", "error", 7)] * 2 + [("ris.year-missing", "warning", 7)]  # readers take it
    assert {re.search(r"add '(..)", p.message).group(1) for p in problems} == {"TI", "T2", "PY"}
    found, _ = _validate(tmp_path, GOOD.replace("TY  - JOUR\n", ""))
    assert found == [("ris.record-start", "error", 1)]


def test_validation_warns_about_unknown_and_repeated_tags_and_bad_values(tmp_path):
    text = GOOD.replace("ER  - ", "XY  - custom\nTI  - Again\nDO  - not a doi\nSN  - 1234-5678\nDA  - soon\nER  - ")
    found, _ = _validate(tmp_path, text)
    assert found == [("ris.tag-unknown", "warning", 6), ("ris.tag-repeated", "warning", 7),
                     ("doi.syntax", "warning", 8), ("issn.checksum", "warning", 9), ("ris.date", "warning", 10)]
    found, _ = _validate(tmp_path, "")
    assert found == [("ris.empty", "error", 1)]
    found, _ = _validate(tmp_path, "ER  - \n" + GOOD + "stray text\n")
    assert found == [("ris.record-start", "error", 1), ("ris.outside-record", "warning", 8)]


def test_detect(tmp_path, example):
    files, _ = write(example, tmp_path)
    assert ris.detect(files[0])
    samples = {"bom.ris": b"\xef\xbb\xbf\r\n\r\nTY  - JOUR\r\n", "yaml.yaml": b"biblio: 1\n",
               "xml.xml": b"<?xml version='1.0'?><article/>", "empty.ris": b"", "binary.ris": b"TY  - \x00\x01"}
    for name, data in samples.items():
        (tmp_path / name).write_bytes(data)
    assert [ris.detect(tmp_path / name) for name in samples] == [True, False, False, False, False]
    assert not ris.detect(tmp_path / "missing.ris")


def test_names_are_filed_by_their_script_and_issns_share_one_line(tmp_path):
    path = tmp_path / "mixed.ris"
    path.write_text("TY  - JOUR\nTI  - English title\nAU  - Нысанкуатова, Дамели\nAU  - Lee, Ann\n"
                    "T2  - Journal\nPY  - 2025\nLA  - en\nER  - \n", encoding="utf-8")
    issue, _ = ris.FORMAT.read(path)
    first, second = issue.articles[0].contributors
    assert list(first.names) == ["ru"] and list(second.names) == ["en"]
    issue.journal.issns = [Issn("2788-5860"), Issn("0317-8471")]
    text, _ = dumps(issue)
    assert "SN  - 2788-5860, 0317-8471" in text  # Zotero keeps only the first SN line


# --- streaming ------------------------------------------------------------------------------

def test_reads_lazily(tmp_path):
    """The first article comes before the end of the file is read: a broken record near the
    end is not reported yet; problems are sorted, as ``read`` has them, only at the end."""
    good = "TY  - JOUR\r\nTI  - Title {n}\r\nT2  - J\r\nPY  - 2020\r\nLA  - en\r\nER  - \r\n"
    path = tmp_path / "late.ris"
    path.write_text("".join(good.format(n=n) for n in range(20000)) + "TY  - JOUR\r\nTI  - Last\r\nT2  - J\r\n"
                    "PY  - 2020\r\nLA  - en\r\n",
                    encoding="utf-8", newline="")
    reading = ris.iter_read(path)
    first = next(iter(reading))
    assert first.titles.texts == {"en": "Title 0"} and reading.issue is not None and reading.issue.articles == []
    assert not any(p.code == "ris.record-end" for p in reading.problems)
    rest = list(reading)
    assert len(rest) == 20000  # the last record, without its ER, is read too
    assert [p.code for p in reading.problems] == ["ris.record-end"]
    assert reading.problems == ris.FORMAT.read(path)[1]


def test_validate_and_read_in_flat_memory(tmp_path):
    record = "TY  - JOUR\r\nTI  - {n} " + "x" * 2000 + "\r\nAU  - A, B\r\nT2  - J\r\nPY  - 2020\r\nLA  - en\r\nER  - \r\n"
    path = tmp_path / "big.ris"
    path.write_text("".join(record.format(n=n) for n in range(3000)), encoding="utf-8", newline="")
    assert path.stat().st_size > 6_000_000
    tracemalloc.start()
    try:
        assert ris.validate(path) == []
        count = sum(1 for _ in ris.iter_read(path))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 3000 and peak < 2_000_000


BROKEN = {
    "no-er": b"TY  - JOUR\r\nTI  - One\r\nT2  - J\r\nPY  - 2020\r\nTY  - JOUR\r\nTI  - Two\r\nER  - \r\n",
    "not-utf8": b"TY  - JOUR\r\nTI  - Caf\xe9\r\nT2  - J\r\nER  - \r\nTY  - JOUR\r\nTI  - \xff\r\nER  - \r\n",
    "cut-character": b"TY  - JOUR\nTI  - \xd0\xb0\xd0\nER  - \n",
    "bom-cr": "\ufeffTY  - JOUR\rTI  - One\rT2  - J\rPY  - 2020\rLA  - en\rER  - \r".encode(),
    "mixed-ends": "TY  - JOUR\r\nTI  - Ә\rAB  - a\n\r\nb\u2028c\r\nER  - ".encode(),
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_lines_are_split_at_crlf_cr_and_lf_only(name):
    """Cut characters, lone CRs, a byte-order mark, U+2028: the lines and the encoding error are
    those of decoding the whole file at once."""
    data = BROKEN[name]
    problems: list = []
    lines = list(parse.text_lines(io.BytesIO(data), "f", problems))
    try:
        text, bad = data.decode("utf-8"), []
    except UnicodeDecodeError as error:
        text, bad = data.decode("utf-8", "replace"), [data[:error.start].count(b"\n") + 1]
    expected = re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff"))
    assert lines == (expected[:-1] if expected[-1] == "" else expected)
    assert [(p.code, p.line) for p in problems] == [("ris.encoding", line) for line in bad]
