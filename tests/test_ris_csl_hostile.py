"""Issue 20, RIS and CSL-JSON: what the fuzz campaign found getting through.

Article numbers that look like page ranges, repeated RIS tags and a place without a publisher read
without a word, CSL variables and name particles dropped, and CSL and RIS files that were not
recognised. Each test failed before its fix.
"""

import json
from pathlib import Path

import pytest

import biblio
from biblio import formats
from biblio.formats import csl, ris
from biblio.model import Article, Issue, Journal, LangText, Pages


def _issue(*pages: Pages) -> Issue:
    articles = [Article(language="en", titles=LangText({"en": f"Title {n}"}, "en"), pages=p)
                for n, p in enumerate(pages, 1)]
    return Issue(journal=Journal(titles=LangText({"en": "Journal"}, "en")), year=2025, articles=articles)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _load(path: Path):
    issue, problems = biblio.load(path)
    assert issue is not None, [str(p) for p in problems]
    return issue, problems


# --- 1. RIS article numbers -----------------------------------------------------------------

ARTICLE_NUMBERS = ["A-7", "e-12", "12-19", "S1–S4", "e7", "1 - 2"]


def test_ris_article_numbers_that_look_like_ranges_round_trip(tmp_path):
    pages = [Pages(article_number=number) for number in ARTICLE_NUMBERS]
    issue = _issue(*pages, Pages("12", "19"), Pages("9", "22", "e5"), Pages("iv"))
    files, _ = formats.dumps(ris.FORMAT, issue)
    text = files[ris.FILE_NAME].decode("utf-8")
    assert "\r\nC7  - A-7\r\n" in text and "\r\nSP  - 12\r\nEP  - 19\r\n" in text
    path = tmp_path / ris.FILE_NAME
    path.write_bytes(files[ris.FILE_NAME])
    assert not [p for p in biblio.validate(path) if p.severity == "error"]
    back, _ = _load(path)
    assert [article.pages for article in back.articles] == [*pages, Pages("12", "19"), Pages("9", "22", "e5"),
                                                            Pages("iv")]


def test_ris_page_range_in_sp_alone_is_still_a_range(tmp_path):
    path = _write(tmp_path, "range.ris", "TY  - JOUR\nTI  - T\nT2  - J\nPY  - 2020\nSP  - 12-19\nER  - \n")
    back, _ = _load(path)
    assert back.articles[0].pages == Pages("12", "19")


# --- 2. RIS: repeated tags, a place without a publisher --------------------------------------

REPEATED = """TY  - JOUR
TI  - Title
T2  - Journal
T2  - Another journal
PY  - 2020
VL  - 3
VL  - 4
IS  - 1
IS  - 1
IS  - 2
SP  - 5
SP  - 6
DO  - 10.1234/first
DO  - 10.1234/second
LA  - en
LA  - ru
PB  - Publisher
PB  - Other publisher
CY  - Almaty
CY  - Astana
ER  - 
"""


def test_ris_repeated_tags_are_reported_with_the_value_read(tmp_path):
    path = _write(tmp_path, "repeated.ris", REPEATED)
    issue, problems = _load(path)
    article = issue.articles[0]
    assert (issue.journal.titles.main, issue.volume, issue.number, article.pages, article.doi, article.language) == (
        "Journal", "3", "1", Pages("5"), "10.1234/first", "en")
    assert issue.journal.publisher is not None and issue.journal.publisher.name.main == "Publisher"
    assert issue.journal.publisher.place == LangText({"en": "Almaty"}, "en")
    repeated = {p.line: p for p in problems if p.code == "ris.tag-repeated"}
    # every repeat with another value, on its own line; the repeated IS 1 (line 9) loses nothing
    assert sorted(repeated) == [4, 7, 10, 12, 14, 16, 18, 20]
    for line, kept, dropped in [(4, "Journal", "Another journal"), (7, "3", "4"), (10, "1", "2"), (12, "5", "6"),
                                (14, "10.1234/first", "10.1234/second"), (16, "en", "ru"),
                                (18, "Publisher", "Other publisher"), (20, "Almaty", "Astana")]:
        problem = repeated[line]
        assert problem.severity == "warning" and problem.file == str(path)
        assert f"'{dropped}', is not read" in problem.message and f"reads the first one, '{kept}'" in problem.message


def test_ris_dates_that_disagree_are_reported(tmp_path):
    path = _write(tmp_path, "dates.ris", "TY  - JOUR\nTI  - T\nT2  - J\nPY  - 2020\nPY  - 2021\nDA  - 2020/06//\n"
                                         "DA  - 2020/07//\nER  - \n")
    issue, problems = _load(path)
    assert issue.year == 2020 and str(issue.articles[0].dates.published) == "2020-06"
    found = {(p.code, p.line) for p in problems if p.severity == "warning"}
    assert found == {("ris.date-conflict", 5), ("ris.tag-repeated", 7)}


def test_ris_place_without_publisher_is_reported_and_kept_with_one(tmp_path):
    alone = _write(tmp_path, "alone.ris", "TY  - JOUR\nTI  - T\nT2  - J\nPY  - 2020\nCY  - Almaty\nER  - \n")
    issue, problems = _load(alone)
    assert issue.journal.publisher is None
    said = [p for p in problems if p.code == "ris.tag-not-read" and p.line == 5]
    assert len(said) == 1 and "PB" in said[0].message
    # a later record's place, in its own language, is kept beside the first one's
    later = _write(tmp_path, "later.ris", "TY  - JOUR\nTI  - T\nT2  - J\nPY  - 2020\nLA  - en\nPB  - P\nER  - \n\n"
                                          "TY  - JOUR\nTI  - Т\nT2  - Ж\nPY  - 2020\nLA  - ru\nPB  - П\nCY  - Алматы\n"
                                          "ER  - \n")
    issue, problems = _load(later)
    assert issue.journal.publisher is not None and issue.journal.publisher.place == LangText({"ru": "Алматы"}, "ru")
    assert not [p for p in problems if p.code == "ris.tag-not-read"]


def test_ris_places_without_a_publisher_are_all_counted(tmp_path):
    path = _write(tmp_path, "places.ris", "TY  - JOUR\nTI  - T\nT2  - J\nPY  - 2020\nCY  - Almaty\nCY  - Astana\n"
                                          "ER  - \n")
    _, problems = _load(path)
    assert [(p.code, p.line) for p in problems if p.code.startswith("ris.tag")] == [("ris.tag-not-read", 5)]
    assert "(2 time(s))" in next(p.message for p in problems if p.code == "ris.tag-not-read")


# --- 6. RIS: numbered exports and header lines ----------------------------------------------

OVID = """1. 
TY  - JOUR
TI  - First
T2  - Journal
PY  - 2020
ER  - 

2. 
TY  - JOUR
TI  - Second
T2  - Journal
PY  - 2020
ER  - 
"""
WILEY = """Provider: John Wiley & Sons, Ltd
Content: text/plain; charset="UTF-8"

TY  - JOUR
TI  - First
T2  - Journal
PY  - 2020
ER  - 
"""


@pytest.mark.parametrize("text", [OVID, WILEY, "\ufeff" + OVID.replace("1. \n", "<1. >\n").replace("2. \n", "<2. >\n")])
def test_ris_numbered_and_headed_exports_are_detected_and_read(tmp_path, text):
    path = _write(tmp_path, "export.ris", text)
    assert formats.detect(path) is ris.FORMAT
    assert not [p for p in biblio.validate(path) if p.severity == "error"]
    issue, problems = _load(path)
    assert [a.titles.main for a in issue.articles] == ["First", "Second"][:len(issue.articles)]
    assert len(issue.articles) == text.count("TY  -")
    if "Provider" in text:
        header = [p for p in problems if p.code == "ris.outside-record"]
        assert [(p.line, p.severity) for p in header] == [(1, "warning")]
        assert "before the first record" in header[0].message
    else:  # the numbers are said once, not once a record
        assert [(p.code, p.line) for p in problems if p.severity != "info" or p.code == "ris.numbered"] == [
            ("ris.numbered", 1)]


@pytest.mark.parametrize("text", ["Some notes\nabout RIS\n", "AU  - Smith, J\nTY  - JOUR\nER  - \n",
                                  "\n".join(f"line {n}" for n in range(30)) + "\nTY  - JOUR\nER  - \n"])
def test_ris_detection_still_wants_a_record_first(tmp_path, text):
    assert not ris.detect(_write(tmp_path, "notes.txt", text))


# --- 3. CSL: variables the model has no place for --------------------------------------------

DROPPED = ["submitted", "archive", "edition", "ISBN", "collection-title", "original-date", "citation-key",
           "author.comma-suffix", "custom.zotero-key"]  # a suffix, accessed, note, PMID, PMCID, title-short: read


def _csl_items() -> list[dict]:
    date = {"date-parts": [[2024, 5, 1]]}
    first = {"id": "smith2020", "type": "article-journal", "title": "First", "container-title": "Journal",
             "issued": {"date-parts": [[2020]]}, "author": [{"family": "Smith", "given": "John", "suffix": "Jr.",
                                                                   "comma-suffix": True}],
             "accessed": date, "submitted": date, "archive": "A", "edition": "2", "ISBN": "978-3-16-148410-0",
             "PMID": "123", "PMCID": "PMC123", "collection-title": "Series", "title-short": "First",
             "original-date": date, "citation-key": "smith2020", "custom": {"zotero-key": "ABC"}}
    second = {"id": "doe2021", "type": "article-journal", "title": "Second", "archive": "B", "ISBN": "",
              "edition": None}
    third = {"type": "article-journal", "title": "Third", "archive": "C"}
    same_issue = {"container-title": "Journal", "issued": {"date-parts": [[2020]]}}  # else each is an issue of its own
    return [first, second | same_issue, third | same_issue]


def test_csl_variables_not_read_are_reported_once_each_with_their_items(tmp_path):
    text = json.dumps(_csl_items(), indent=1)
    path = _write(tmp_path, "items.json", text)
    issue, problems = _load(path)
    assert len(issue.articles) == 3
    said = {p.message.split("'")[1]: p for p in problems if p.code == "csl.not-read"}
    assert sorted(said) == sorted(DROPPED)
    assert said["archive"].message.endswith("(items smith2020, doe2021, [2])")  # the one without an id: its place
    assert said["ISBN"].message.endswith("(item smith2020)")  # an empty value loses nothing
    assert said["author.comma-suffix"].path == "[0].author[0].comma-suffix" and said["author.comma-suffix"].line == (
        text.split("\n").index('    "comma-suffix": true') + 1)
    assert all(p.file == str(path) and p.severity == "info" for p in said.values())


def test_csl_not_read_names_a_few_items_and_counts_the_rest(tmp_path):
    items = [{"id": f"item{n}", "type": "article-journal", "title": f"T{n}", "archive": "n",
              "author": [{"family": "A", "comma-suffix": True}, {"family": "B", "comma-suffix": True}]}
             for n in range(8)]
    _, problems = _load(_write(tmp_path, "many.json", json.dumps(items)))
    said = [p.message for p in problems if p.code == "csl.not-read"]
    assert [message.split("'")[1] for message in said] == ["archive", "author.comma-suffix"]
    assert all(message.endswith("(items item0, item1, item2, item3, item4 and 3 more)") for message in said)


def test_csl_round_trip_of_the_writers_own_items_reads_every_key(tmp_path, example_issue):
    files, _ = formats.dumps(csl.FORMAT, example_issue)
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        _, problems = csl.FORMAT.read(path)
        assert not [p for p in problems if p.code == "csl.not-read"], name


def test_csl_article_number_beside_pages_is_kept(tmp_path):
    items = [{"id": "a", "type": "article-journal", "title": "T", "page": "9-22", "number": "e7"}]
    issue, _ = _load(_write(tmp_path, "number.json", json.dumps(items)))
    assert issue.articles[0].pages == Pages("9", "22", "e7")


# --- 4. CSL name particles --------------------------------------------------------------------

def test_csl_name_particles_stay_in_the_family_name(tmp_path):
    names = [{"family": "Santos", "non-dropping-particle": "dos", "given": "João"},
             {"family": "Beethoven", "dropping-particle": "van", "given": "Ludwig"},
             {"family": "Alembert", "non-dropping-particle": "d'", "given": "Jean"},
             {"family": "Fontaine", "dropping-particle": "de", "non-dropping-particle": "la", "given": "Jean"}]
    items = [{"id": "a", "type": "article-journal", "title": "T", "author": names}]
    issue, problems = _load(_write(tmp_path, "names.json", json.dumps(items)))
    families = [next(iter(c.names.values())).family for c in issue.articles[0].contributors]
    assert families == ["dos Santos", "van Beethoven", "d'Alembert", "de la Fontaine"]
    assert not [p for p in problems if p.code == "csl.not-read"]


# --- 5. CSL detection by shape ----------------------------------------------------------------

def test_csl_detected_by_shape_when_the_title_comes_late(tmp_path):
    items = [{"id": "a", "type": "article-journal", "abstract": "Long. " * 2000, "title": "T"}]
    path = _write(tmp_path, "late.json", json.dumps(items))
    assert formats.detect(path) is csl.FORMAT
    issue, _ = _load(path)
    assert issue.articles[0].titles.main == "T"
    one = _write(tmp_path, "one.json", json.dumps({"type": "article-journal", "id": "x", "note": "n" * 9000}))
    assert formats.detect(one) is csl.FORMAT


@pytest.mark.parametrize("data", [
    {"journal": {"titles": {"en": "J"}}, "articles": [{"type": "article-journal", "title": "T"}]},  # a manifest
    [{"title": "T", "author": []}],  # no type
    [["type", "id"]],
    "type title author",
])
def test_csl_detection_wants_an_item_with_a_type(tmp_path, data):
    assert not csl.detect(_write(tmp_path, "other.json", json.dumps(data)))


def test_csl_detection_reads_only_the_head_of_a_large_file(tmp_path, monkeypatch):
    path = _write(tmp_path, "big.json", json.dumps([{"id": str(n), "type": "book", "title": "T" * 100}
                                                    for n in range(5000)]))
    assert path.stat().st_size > 500_000
    read: list[int] = []
    real_open = open

    def counting_open(file, mode="r", *args, **kwargs):
        stream = real_open(file, mode, *args, **kwargs)
        if str(file) == str(path):
            real_read = stream.read
            stream = _Counted(stream, real_read, read)
        return stream

    monkeypatch.setattr("builtins.open", counting_open)
    assert csl.detect(path)
    assert 0 < sum(read) <= 1 << 16


class _Counted:
    def __init__(self, stream, real_read, read):
        self.stream, self.real_read, self.read_sizes = stream, real_read, read

    def read(self, size=-1):
        data = self.real_read(size)
        self.read_sizes.append(len(data))
        return data

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stream.close()

