"""BibTeX: UTF-8 entries per language that re-parse cleanly, read back, and other tools' files read."""

import re
from pathlib import Path

import bibtexparser
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from test_bibtex_properties import TRICKY, carried, squash

import biblio
from biblio import derive, formats, manifest
from biblio.formats import bibtex
from biblio.model import (
    Issn,
    Issue,
    Pages,
    PartialDate,
    PersonName,
)

KAZAKH = "ӘәҒғҚқҢңӨөҰұҮүҺһІі"
DATA = Path(__file__).parent / "data" / "bibtex"


@pytest.fixture(scope="module")
def example():
    from conftest import EXAMPLE
    issue, _ = biblio.load(EXAMPLE)
    return issue


def entries(path: Path):
    library = bibtexparser.parse_string(path.read_text(encoding="utf-8"))
    assert not library.failed_blocks
    return library.entries


def write(issue: Issue, folder: Path, lang: str | None = None) -> tuple[Path, list]:
    """The file the writer makes of an issue, saved in ``folder``, and the problems."""
    files, problems = formats.dumps(bibtex.FORMAT, issue, lang=lang)
    [(name, data)] = files.items()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    return folder / name, problems


def dumps(issue: Issue, lang: str | None = None) -> tuple[str, list]:
    files, problems = formats.dumps(bibtex.FORMAT, issue, lang=lang)
    return files[bibtex.file_name(lang)].decode("utf-8"), problems


read = bibtex.FORMAT.read


# --- the example issue ----------------------------------------------------------------------------

@pytest.mark.parametrize("lang", [None, "kk", "ru", "en"])
def test_example_exports_valid_utf8_entries_in_each_language(tmp_path, example, lang):
    path, problems = write(example, tmp_path, lang=lang)
    assert path.name == (bibtex.FILE_NAME if lang is None else f"articles.{lang}.bib")
    assert {p.severity for p in problems} <= {"warning", "info"}
    assert bibtex.validate(path) == []
    assert bibtex.detect(path)
    text = path.read_text(encoding="utf-8")
    found = entries(path)
    assert len(found) == 10 and {e.entry_type for e in found} == {"article"}
    keys = [e.key for e in found]
    assert len(set(keys)) == 10 and all(re.fullmatch(r"[a-z0-9]+", key) for key in keys)
    assert keys[0] == "nassimov2025genesis"
    for entry in found:
        assert {"author", "title", "journal", "year", "number", "doi", "issn", "url", "language"} \
            <= set(entry.fields_dict)
        assert "publisher" not in entry.fields_dict  # biblatex's @article has none: biber -V warns
    # Letters stay letters: no LaTeX macro in the whole file (paragraphs end in "~" and a blank line).
    assert set(re.findall(r"\\([A-Za-z]+)", text)) == set()
    assert not re.search(r"\\[\"'`^~=.uvHckbdr]\s*\{?[A-Za-z]", text)
    shown_kk = "".join(a.titles.get("kk", "") + a.abstracts.get("kk", "") + "".join(a.keywords.get("kk", []))
                       for a in example.articles if derive.item_language(a, lang or a.language) == "kk")
    if lang in (None, "kk"):
        assert len(set(shown_kk) & set(KAZAKH)) >= 12
        for letter in KAZAKH:  # no Kazakh letter lost: each is in the file at least as often as in the texts
            assert text.count(letter) >= shown_kk.count(letter), letter
        assert "МӘДЕНИ БІРЕГЕЙЛІК ГЕНЕЗИСІ" in found[0]["title"]
    first = found[0]
    assert first["doi"] == "10.52536/2788-5860.2025.86.2.001" and first["year"] == "2025"
    # language names the entry's text: biblatex's key where it has one, else the English name
    assert first["language"] == {None: "Kazakh", "kk": "Kazakh", "ru": "russian", "en": "english"}[lang]
    # langid: biblatex has no Kazakh module; the en entry holds the Cyrillic journal title
    assert first.fields_dict.get("langid") and first["langid"] == "russian" if lang == "ru" \
        else "langid" not in first.fields_dict


def test_keys_are_the_same_in_every_language(tmp_path, example):
    keys = {lang: [e.key for e in entries(write(example, tmp_path / str(lang), lang=lang)[0])]
            for lang in (None, "kk", "ru", "en")}
    assert keys["kk"] == keys["ru"] == keys["en"] == keys[None] == bibtex.cite_keys(example)


def test_colliding_keys_get_letters_in_article_order(example):
    issue = Issue(journal=example.journal, year=2025, articles=[example.articles[0], example.articles[0],
                                                                example.articles[1]])
    assert bibtex.cite_keys(issue) == ["nassimov2025genesisa", "nassimov2025genesisb", "nysankuatova2025information"]
    for lang in (None, "ru"):
        text, _ = dumps(issue, lang=lang)
        assert re.findall(r"@article\{([^,]+),", text) == bibtex.cite_keys(issue)


def test_language_fallbacks_are_reported(example):
    _, kk = dumps(example, lang="kk")
    assert any(p.code == "lang.fallback" and p.path == "articles" and p.message == "authors with no kk spelling "
               "of their name: the ru spelling is written (articles 1, 3-4, 8)" for p in kk)
    text, en = dumps(example, lang="en")
    assert any(p.code == "lang.fallback" and p.path == "articles" and p.message.startswith("no en title: the whole "
               "item is written in kk") and p.message.endswith("(article 7)") for p in en)
    assert any(p.code == "lang.fallback" and p.path == "journal.titles" for p in en)  # only a kk journal title
    seventh = entries_of(text)[6]
    assert seventh["language"] == "Kazakh" and "langid" not in seventh.fields_dict  # wholly in Kazakh
    assert seventh["title"].startswith("{ҚАЗАҚСТАНДАҒЫ") and seventh["abstract"].startswith("Мақалада")


def test_paragraphs_end_in_a_tie_and_a_blank_line_and_read_back(tmp_path, example):
    """Zotero printed "\\par" as text and pandoc joined paragraphs with no space (issue 16): a tie and a blank
    line is a space to Zotero, pandoc and biber, and a paragraph break to TeX and to biblio's reader."""
    path, _ = write(example, tmp_path, lang="en")
    text = path.read_text(encoding="utf-8")
    second = entries_of(text)[1]
    assert "\\par" not in text and second["abstract"].count("~\n\n") == 2
    assert "misinformation.~\n\nThis article" in second["abstract"]
    again, _ = read(path)
    assert again.articles[1].abstracts["en"] == example.articles[1].abstracts["en"]
    assert again.articles[1].abstracts["en"].count("\n\n") == 2


def test_publisher_is_left_out_and_reported(example):
    issue, _ = manifest.loads(yaml.safe_dump(RICH | {"journal": RICH["journal"] | {
        "publisher": {"name": {"en": "Science Press"}}}}, allow_unicode=True, sort_keys=False))
    text, problems = dumps(issue)
    assert "publisher" not in entries_of(text)[0].fields_dict
    assert "BibTeX cannot carry the publisher (biblatex's @article has no publisher field) (article 1)" in {
        p.message for p in problems if p.code == "bibtex.not-carried"}


@pytest.mark.parametrize(("tag", "language", "langid"), [
    ("en", "english", "english"), ("ru", "russian", "russian"), ("kk", "Kazakh", None), ("de", "german", "ngerman"),
    ("hu", "hungarian", "magyar"), ("uz", "Uzbek", None), ("ja", "japanese", None), ("en-GB", "english", "british")])
def test_language_is_a_value_biblatex_prints_and_langid_one_it_has_a_module_for(tag, language, langid):
    assert bibtex.mapping.language_field(tag) == language and bibtex.langid(tag) == langid
    assert bibtex.language_tag(language) == tag.split("-")[0]  # the reader takes both back


def test_langid_is_left_out_where_the_entry_holds_another_script(example):
    text, problems = dumps(example, lang="ru")
    langids = [entry.fields_dict.get("langid") for entry in entries_of(text)]
    assert langids[0].value == "russian" and langids[5] is None and langids[8] is None  # no ru title: en, kk
    text, problems = dumps(example, lang="en")
    langids = [entry.fields_dict["langid"].value if "langid" in entry.fields_dict else None
               for entry in entries_of(text)]
    assert langids == [None] * 9 + ["russian"]  # the journal title is Cyrillic; article 10 is wholly Russian
    notes = [p.message for p in problems if p.code == "bibtex.no-langid"]
    assert notes == ["no langid in articles 1-6, 8-9: en entries holding letters of another script (the journal "
                     "title, a name) stop pdflatex when biblatex switches to en (autolang=other)",
                     "no langid in article 7: biblatex has no language module for kk"]
    issue, _ = manifest.loads(yaml.safe_dump(RICH, allow_unicode=True, sort_keys=False))  # all Latin: langid
    assert entries_of(dumps(issue, lang="en")[0])[0]["langid"] == "english"


def entries_of(text: str):
    return bibtexparser.parse_string(text).entries


def test_what_bibtex_cannot_carry_is_reported_per_kind(example):
    _, problems = dumps(example, lang="en")
    notes = {p.message for p in problems if p.code == "bibtex.not-carried"}
    assert all(p.severity == "info" for p in problems if p.code == "bibtex.not-carried")
    assert "BibTeX cannot carry funding (articles 1, 3-4, 6-10)" in notes
    assert "BibTeX cannot carry in-text citation numbers (articles 1-10)" in notes
    assert any(n.startswith("BibTeX cannot carry titles in other languages") for n in notes)
    assert any(n.startswith("BibTeX cannot carry the printed order of names") for n in notes)


def test_rich_articles_report_orcid_affiliations_references_and_more(example):
    issue, _ = manifest.loads(yaml.safe_dump(RICH, allow_unicode=True, sort_keys=False))
    text, problems = dumps(issue)
    notes = " ".join(p.message for p in problems if p.code == "bibtex.not-carried")
    for what in ("ORCID iDs", "affiliations", "reference lists", "sections", "licences", "CRediT roles",
                 "e-mail addresses", "dates other than the publication date", "the day of the publication date",
                 "print or the electronic", "contributors in the role reviewer"):
        assert what in notes, what
    entry = entries_of(text)[0]
    assert entry["pages"] == "9--22" and entry["eid"] == "e7" and entry["month"] == "jun"
    assert entry["issn"] == "2788-5860, 0317-8471" and entry["volume"] == "12"
    assert entry["author"] == "{Research \\& Development Group} and Abu{ }Nasr and {Smith, Jr}, John"
    assert entry["editor"] == "Doe, Jane" and "reviewer" not in entry["author"]


RICH = {
    "biblio": 1,
    "journal": {"titles": {"en": "Journal of Tests"}, "doi_prefix": "10.1234",
                "issns": [{"value": "2788-5860", "media": "print"}, {"value": "0317-8471", "media": "electronic"}]},
    "issue": {"year": 2025, "number": "2", "volume": "12", "doi_pattern": "{prefix}/jt.{year}.{seq:03}"},
    "articles": [{
        "language": "en", "titles": {"en": "A rich article"}, "section": {"en": "Research"},
        "pages": {"first": "9", "last": "22", "article_number": "e7"},
        "dates": {"published": "2025-06-30", "received": "2025-01-10"},
        "license": {"url": "https://creativecommons.org/licenses/by/4.0/"},
        "contributors": [
            {"organization": {"en": "Research & Development Group"}},
            {"names": {"en": {"family": "Abu Nasr"}}, "orcid": "0000-0002-1825-0097"},
            {"names": {"en": {"family": "Smith, Jr", "given": "John"}}, "email": "j@example.org",
             "affiliations": [{"name": {"en": "A University"}}], "credit": ["writing-original-draft"]},
            {"role": "editor", "names": {"en": {"family": "Doe", "given": "Jane"}}},
            {"role": "reviewer", "names": {"en": {"family": "Roe", "given": "Richard"}}},
        ],
        "references": [{"text": "A reference."}],
    }],
}


@pytest.mark.parametrize("lang", [None, "kk", "ru", "en"])
def test_example_round_trips(tmp_path, example, lang):
    path, _ = write(example, tmp_path, lang=lang)
    again, problems = read(path)
    assert not [p for p in problems if p.severity != "info"], [str(p) for p in problems]
    assert len(again.articles) == 10 and again.year == 2025 and again.number == "2"
    for index in range(10):
        assert carried(again, index, lang) | {"language": None} == carried(example, index, lang) | {"language": None}
        shown = derive.localize(example, example.articles[index], index, lang).lang
        assert again.articles[index].language == shown, (lang, index)
    assert again.articles[0].language == (lang or "kk")  # language names the entry's text
    if lang == "en":
        assert again.articles[0].titles.texts == {"en": example.articles[0].titles["en"]}
        assert again.articles[0].contributors[0].names == {"en": PersonName("Nassimov", "Murat")}
        assert list(again.journal.titles.texts) == ["kk"]  # the fallback journal title is filed as kk


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=TRICKY + "Ö{}", max_size=40))
def test_escaping_is_undone_exactly(text):
    escaped = bibtex.tex_escape(text)
    assert bibtex.tex_decode(escaped) == (squash(text), [])
    outside_math = re.sub(r"(?<!\\)\$[^$]*(?<!\\)\$", "", escaped.replace("\\textbackslash{}", ""))
    assert not re.search(r"(?<!\\)[&%$#_^]", outside_math)  # TeX math kept as written is written as math


def test_escaping_choices():
    assert bibtex.tex_escape("R&D: 50% of $5 #1 a_b ~x^2 C:\\dir") == (
        r"R\&D: 50\% of \$5 \#1 a\_b \textasciitilde{}x\textasciicircum{}2 C:\textbackslash{}dir")
    assert bibtex.tex_escape("{ДНҚ} сөз") == r"\{ДНҚ\} сөз"  # paired braces: \{ \}
    assert bibtex.tex_escape("a } b {") == r"a \textbraceright{} b \textbraceleft{}"  # BibTeX counts \{ too
    assert bibtex.tex_escape("1990--2000 ''q'' ``q``") == "1990-{}-2000 '{}'q'{}' `{}`q`{}`"
    assert bibtex.tex_escape("Қазақ  тілі\n") == "Қазақ тілі"


# --- other tools' files -----------------------------------------------------------------------------

def test_reads_a_zotero_export():
    (issue, other), problems = biblio.api.load_catalogue(DATA / "zotero.bib")  # two journals: two issues
    [first], [second] = issue.articles, other.articles
    assert first.language == "en" and first.titles.texts == {
        "en": "Genesis and Features of Cultural Identity: Based on the Example of the Findings of Domestic Scientists"}
    assert [c.names["en"] for c in first.contributors] == [PersonName("Nassimov", "Murat"),
                                                          PersonName("Müller", "Jörg")]
    assert first.abstracts["en"].endswith("key factors & their influence on 50% of cases.")
    assert (first.doi, first.url) == ("10.52536/2788-5860.2025.86.2.001",
                                      "https://doi.org/10.52536/2788-5860.2025.86.2.001")
    assert first.pages == Pages("9", "22") and str(first.dates.published) == "2025-06"
    assert first.keywords == {"en": ["cultural identity", "diversity", "integration"]}
    assert (issue.journal.titles.texts, issue.volume, issue.number, issue.year) == (
        {"en": "Scientific-Analytical Journal"}, "86", "2", 2025)
    assert issue.journal.issns == [Issn("2788-5860")]
    assert second.language == "kk" and second.titles["kk"] == "Саяси қатысу және азаматтық қоғам"
    assert second.contributors[0].names == {"kk": PersonName("Сейітова", "Әйгерім")}
    assert second.contributors[1].organization.texts == {"kk": "Зерттеу тобы"}  # {braced} name: a group
    assert second.dates.published is None and other.year == 2024  # its own issue, with its own year
    assert other.journal.titles.main != issue.journal.titles.main and other.journal.issns != issue.journal.issns
    assert first.short_title is not None and first.short_title.texts == {  # Zotero's shorttitle and urldate: kept
        "en": "Genesis and Features of Cultural Identity"}
    assert str(first.accessed) == "2025-07-01"
    assert [p.code for p in problems] == ["bibtex.not-read"]
    assert [p.message.split(" (")[0] for p in problems] == [  # Zotero's field the model has no place for
        "biblio cannot carry the field file"]


def test_reads_a_jabref_file_with_latex_accents():
    issue, problems = read(DATA / "jabref.bib")
    assert problems == []
    article = issue.articles[0]
    assert article.language == "de"  # language = {german}
    assert article.titles["de"] == "Über die Stabilität von Netzwerken – ein Überblick"
    assert [(n.family, n.given) for c in article.contributors for n in c.names.values()] == [
        ("Müller", "Jörg"), ("Dupont", "François"), ("García", "José"), ("Straßer", "Hans"),
        ("van Beethoven", "Ludwig")]
    assert article.pages == Pages("1", "15") and article.doi == "10.5555/zfn.2019.7.1"
    assert article.keywords == {"de": ["Netzwerke", "Stabilität", "Überblick"]}
    assert str(article.dates.published) == "2019-03"
    assert issue.journal.titles["de"] == "Zeitschrift für Netzwerkforschung"
    assert issue.journal.publisher.name.texts == {"de": "Springer"}


def test_reads_biblatex_journaltitle_date_eid_and_langid():
    issue, problems = read(DATA / "biblatex.bib")
    assert problems == []
    first, second = issue.articles
    assert first.language == "kk" and first.titles["kk"] == "Цифрлық дәуірдегі медиа сауаттылық"
    assert first.pages == Pages(article_number="e1023") and str(first.dates.published) == "2023-11-15"
    assert first.abstracts["kk"] == "Мақалада медиа сауаттылық қарастырылады.\n\nЕкінші абзац: 10 % респонденттер."
    assert first.contributors[1].names == {"kk": PersonName("Иванов", "Пётр Сергеевич")}
    assert issue.journal.titles.texts == {"kk": "Қоғам және Дәуір"} and issue.journal.abbreviation == "ҚжД"
    assert (issue.volume, issue.number, issue.year) == ("5", "4", 2023)
    assert second.language == "ru" and second.titles["ru"] == "Медиаграмотность в цифровую эпоху"  # ~ is a space
    assert second.pages == Pages("23", "31") and str(second.dates.published) == "2023-11"


def test_reads_a_google_scholar_export():
    issue, problems = read(DATA / "scholar.bib")
    first, second = issue.articles
    assert first.titles["en"].startswith("Genesis and features of cultural identity")
    assert first.contributors[1].names == {"en": PersonName("Smith", "John A")}
    assert issue.journal.publisher.name.texts == {"en": "Example Publisher"}
    assert second.language == "ru"  # no language field: Cyrillic without Kazakh letters
    assert [c.names["ru"] for c in second.contributors] == [PersonName("Иванов", "ИИ"), PersonName("Петров", "ПП")]
    assert [(p.code, p.line) for p in problems if p.code != "bibtex.language-guessed"] == [("bibtex.others", 14)]


def test_given_family_names_groups_and_language_guesses(tmp_path):
    path = tmp_path / "mixed.kk.bib"
    path.write_text("@article{a, author = {Әлия Бекова and {Ғылым Орталығы} and Jane Doe}, title = {Тақырып},"
                    " journal = {J}, year = {2025}}\n", encoding="utf-8")
    issue, problems = read(path)
    assert problems == []
    article = issue.articles[0]
    assert article.language == "kk"  # from the file name
    assert article.contributors[0].names == {"kk": PersonName("Бекова", "Әлия")}
    assert article.contributors[1].organization.texts == {"kk": "Ғылым Орталығы"}
    assert article.contributors[2].names == {"en": PersonName("Doe", "Jane")}  # a Latin spelling: en


def test_reader_reports_entries_it_cannot_use():
    issues, problems = biblio.api.load_catalogue(DATA / "unusable.bib")
    issue = issues[0]
    assert [a.titles.main for i in issues for a in i.articles] == ["A usable article", "Read after the broken one"]
    assert issue.journal.titles.main == "Scientific-Analytical Journal"  # from the @string
    found = {(p.code, p.severity, p.line) for p in problems}
    assert ("bibtex.unusable", "warning", 12) in found  # @misc without a title: still skipped
    assert "bibtex.entry-type" not in {p.code for p in problems}  # the @book is no article of any journal ...
    assert any(p.code == "read.works" and "entry 'book2020'" in p.message for p in problems)  # ... but a work, said so
    works, _ = biblio.api.load_works(DATA / "unusable.bib")
    assert [(w.reference.type, w.reference.title, w.reference.publisher, w.reference.year, w.line, w.kind)
            for w in works] == [("book", "A Book", "Example Press", "2020", 17, "@book")]
    assert ("bibtex.syntax", "error", 24) in found  # the unclosed entry
    assert ("bibtex.stray-text", "warning", 35) in found  # an entry without its @
    assert len(issues) > 1  # entries of other issues are issues of their own, not the first one's


def test_a_file_without_usable_entries_gives_no_issue(tmp_path):
    path = tmp_path / "empty.bib"
    path.write_text("@comment{nothing}\n@misc{x, note = {n}}\n", encoding="utf-8")
    issue, problems = read(path)
    assert issue is None and {p.code for p in problems} == {"bibtex.unusable", "bibtex.no-entries"}
    missing, problems = read(tmp_path / "missing.bib")
    assert missing is None and problems[0].code == "bibtex.io"


def test_latin1_file_is_read_with_a_warning(tmp_path):
    path = tmp_path / "old.bib"
    path.write_bytes("@article{a, author = {Müller, Jörg}, title = {T}, journal = {J}, year = {2020}}\n"
                     .encode("cp1252"))
    issue, problems = read(path)
    assert issue.articles[0].contributors[0].names["en"] == PersonName("Müller", "Jörg")
    assert [p.code for p in problems if p.code != "bibtex.language-guessed"] == ["bibtex.encoding"]


# --- validation -------------------------------------------------------------------------------------

BROKEN = """\
@article{one,
  author  = {Doe, Jane},
  title   = {Research & Development},
  journal = {J},
  year    = {2025},
}

@article{one,
  author  = {Roe, Richard},
  title   = {Second},
  journal = {J},
  year    = {2025},
}

@article{two,
  title   = {No author, no journal},
  year    = {2025},
  url     = {https://example.org/a_b?x=1&y=50%},
}

@article{three,
  author  = {Doe, Jane},
  title   = {Unpaired \\{ brace},
  journal = {J},
  year    = {2025},
}

@article{four
  title = {No comma after the key},
}

@article{five,
  author  = {Doe, Jane},
  title   = {\\CYRA\\cyrchar\\cyrb and 5$ and 20\\% and $x_1$},
  journal = {J},
  year    = {2025},
}
"""


def test_validation_catches_each_mistake_with_its_line(tmp_path):
    path = tmp_path / "broken.bib"
    path.write_text(BROKEN, encoding="utf-8")
    found = {(p.code, p.severity, p.line) for p in bibtex.validate(path)}
    assert found == {
        ("bibtex.unescaped", "error", 3),  # & in a title
        ("bibtex.duplicate-key", "error", 8),
        ("bibtex.required-missing", "warning", 15),  # author
        ("bibtex.required-missing", "warning", 15),  # journal
        ("bibtex.braces", "error", 23),
        ("bibtex.syntax", "error", 28),
        ("bibtex.cyrillic-macro", "warning", 34),
        ("bibtex.unescaped", "error", 34),  # the lone $ opens math mode
    }
    problems = bibtex.validate(path)
    assert all(p.file == str(path) for p in problems)
    assert sum(p.code == "bibtex.required-missing" for p in problems) == 2
    duplicate = next(p for p in problems if p.code == "bibtex.duplicate-key")
    assert "first at line 1" in duplicate.message
    unescaped = next(p for p in problems if p.line == 3)
    assert unescaped.path == "one.title" and "\\&" in unescaped.message


def test_detects_bibtex_and_nothing_else(tmp_path, example):
    assert all(bibtex.detect(DATA / f"{name}.bib") for name in ("zotero", "jabref", "biblatex", "scholar"))
    text = tmp_path / "refs.txt"
    text.write_text("@article{a,\n  title = {T},\n}\n", encoding="utf-8")
    assert bibtex.detect(text)
    xml = tmp_path / "a.xml"
    xml.write_text('<?xml version="1.0"?>\n<article><front/></article>\n', encoding="utf-8")
    ris = tmp_path / "a.ris"
    ris.write_text("TY  - JOUR\nTI  - @article{x, y}\nER  - \n", encoding="utf-8")
    prose = tmp_path / "notes.bib"
    prose.write_text("just some notes\n", encoding="utf-8")
    assert not any(bibtex.detect(p) for p in (xml, ris, prose, tmp_path / "missing.bib"))


def test_cite_keys_stay_unique_beyond_the_two_letter_suffixes():
    keys = bibtex.unique_keys(["anon2025"] * 800)
    assert len(set(keys)) == 800
    assert keys[:3] == ["anon2025a", "anon2025b", "anon2025c"]
    assert keys[25:28] == ["anon2025z", "anon2025aa", "anon2025ab"]
    assert keys[701] == "anon2025zz" and keys[702] == "anon2025aaa"


def test_validation_stops_where_bibtex_stops(tmp_path):
    """Issue 20: a missing comma after a value, and an extra closing brace, are errors at their line."""
    path = tmp_path / "commas.bib"
    path.write_text("@article{a,\n  author = {Doe, Jane},\n  title = {A study of things}\n  volume = 12,\n"
                    "  journal = {J},\n  year = 2025 # {}\n}\n\n"
                    "@article{b,\n  author = {Doe, Jane},\n  title = {B}},\n  journal = {J},\n  year = {2025},\n}\n\n"
                    "@article{c,\n  author = {Doe, Jane},\n  title = {C},\n  journal = {J},\n  year = {2025},\n  "
                    "month = jun,\n  volume = # {7},\n}\n", encoding="utf-8")
    found = {(p.code, p.severity, p.line, p.path) for p in bibtex.validate(path) if p.severity == "error"}
    assert found == {("bibtex.syntax", "error", 4, "a.title"), ("bibtex.syntax", "error", 11, None),
                     ("bibtex.syntax", "error", 22, "c.volume")}
    assert not [p for p in bibtex.validate(path) if p.code == "bibtex.stray-text"]  # the brace explains it


TRILINGUAL = """\
biblio: 1
journal:
  language: kk
  titles: {kk: Саясат журналы, ru: Журнал политики, en: Journal of Politics}
issue: {year: 2025, number: '2'}
articles:
  - {language: kk, titles: {kk: Қазақстандағы сайлау, en: Elections in Kazakhstan}}
  - {language: ru, titles: {ru: Только по-русски}}
  - {language: kk-Latn, titles: {kk-Latn: Qazaqstandağy saılau}}
"""


def test_an_item_in_another_language_keeps_its_journal_title_and_reads_back(tmp_path):
    """In the en file the ru-only article is wholly Russian, its journal title too: the reader files each entry's
    journal title under the entry's language, so the issue reads back without a 'mixed issue' warning. A Latin
    Kazakh entry says so in words ("Kazakh (Latin script)"), which biblatex prints and the reader reads as kk-Latn."""
    issue, _ = manifest.loads(TRILINGUAL)
    path, problems = write(issue, tmp_path, lang="en")
    found = entries_of(path.read_text(encoding="utf-8"))
    assert [(e["journal"], e["language"]) for e in found] == [
        ("Journal of Politics", "english"), ("Журнал политики", "russian"), ("Саясат журналы", "Kazakh (Latin script)")]
    again, read_problems = read(path)
    assert [p.code for p in read_problems if p.severity != "info"] == []
    assert again.journal.titles.texts["en"] == "Journal of Politics" and again.journal.titles["ru"] == "Журнал политики"
    assert [a.language for a in again.articles] == ["en", "ru", "kk-Latn"]


def test_a_suffix_after_a_comma_and_an_unbraced_organisation_are_read_as_meant(tmp_path):
    """BibTeX reads "Martin Luther King, Jr." as given "Jr." and "Center for Disease Control" as a person whose family
    name is "for Disease Control"; the reader takes what the writer meant, and says how to write it for BibTeX."""
    path = tmp_path / "names.bib"
    path.write_text("@article{a,\n  author = {Martin Luther King, Jr. and Center for Disease Control and "
                    "Doe, Jane and King, Jr., Martin and Smith, Sr and Norman Institute-Smith},\n"
                    "  title = {Names}, journal = {J}, year = {2020},\n}\n", encoding="utf-8")
    issue, problems = read(path)
    people = issue.articles[0].contributors
    assert [next(iter(c.names.values()), None) for c in people] == [
        PersonName("King", "Martin Luther", suffix="Jr."), None, PersonName("Doe", "Jane"),
        PersonName("King", "Martin", suffix="Jr."),
        PersonName("Smith", "Sr"), PersonName("Institute-Smith", "Norman")]  # "Smith, Sr": nothing says which is which
    assert people[1].organization.main == "Center for Disease Control"
    notes = [(p.code, p.line) for p in problems if p.code in ("bibtex.name-suffix", "bibtex.organisation")]
    assert notes == [("bibtex.name-suffix", 2), ("bibtex.organisation", 2)]  # BibTeX's own forms get no note
    suffix = next(p for p in problems if p.code == "bibtex.name-suffix")
    assert "'King, Jr., Martin Luther'" in suffix.message
    written = tmp_path / "out.bib"
    assert biblio.convert(path, "bibtex", written).ok  # written in BibTeX's forms, read back the same
    again, problems = read(written)
    assert [(next(iter(c.names.values()), None), c.organization.main if c.organization else None)
            for c in again.articles[0].contributors] == [
        (next(iter(c.names.values()), None), c.organization.main if c.organization else None) for c in people]
    assert not [p for p in problems if p.code in ("bibtex.name-suffix", "bibtex.organisation")]


def test_a_language_taken_from_the_letters_is_said_once_per_file(tmp_path):
    path = tmp_path / "plain.bib"
    path.write_text("@article{a, title = {Rivers}, journal = {J}, year = {2020}}\n"
                    "@article{b, title = {Озёра}, journal = {J}, year = {2020}}\n"
                    "@article{c, title = {Seas}, journal = {J}, year = {2020}, langid = {english}}\n", encoding="utf-8")
    issue, problems = biblio.load(path)
    assert issue is not None and [a.language for a in issue.articles] == ["en", "ru", "en"]
    said = sorted(p.message for p in problems if p.code == "bibtex.language-guessed")
    assert len(said) == 2 and "as en" in said[0] and "(entry: a)" in said[0] and "(entry: b)" in said[1]
