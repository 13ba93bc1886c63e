"""CSL-JSON: items that pass the official csl-data.json, per language, read back, converted."""

import copy
import json
import tracemalloc

import pytest
from citation_view import view

import biblio
from biblio import api, cite, cli, derive
from biblio.formats import csl, dumps
from biblio.model import Issue

KAZAKH = "ӘәҒғҚқҢңӨөҰұҮүҺһІі"


def write(issue, folder, lang=None):
    """The file the writer makes, in ``folder``, and the problems."""
    files, problems = dumps(csl.FORMAT, issue, lang=lang)
    [(name, data)] = files.items()
    assert name == csl.file_name(lang)
    (folder / name).write_bytes(data)
    return folder / name, problems


@pytest.fixture(scope="module")
def example():
    from conftest import EXAMPLE
    issue, _ = biblio.load(EXAMPLE)
    return issue


@pytest.mark.parametrize("lang", [None, "kk", "ru", "en"])
def test_example_exports_valid_items_in_each_language(tmp_path, example, lang):
    path, _ = write(example, tmp_path, lang)
    assert csl.validate(path) == []
    items = json.loads(path.read_text(encoding="utf-8"))
    assert len(items) == 10 and all(i["type"] == "article-journal" for i in items)
    assert [i["DOI"] for i in items] == [f"10.52536/2788-5860.2025.86.2.{n:03d}" for n in range(1, 11)]
    text = path.read_text(encoding="utf-8")
    assert text == json.dumps(items, ensure_ascii=False, indent=2) + "\n"  # the standard library's layout
    assert "\\u04" not in text  # Cyrillic written as UTF-8, not escaped
    if lang in (None, "kk"):
        shown = "".join(a.titles.get("kk", "") + a.abstracts.get("kk", "") for a in example.articles
                        if derive.item_language(a, lang or a.language) == "kk")
        assert set(KAZAKH) & set(shown) <= set(text)  # no Kazakh letter lost
        assert "МӘДЕНИ БІРЕГЕЙЛІК" in items[0]["title"]


def test_language_choice_and_fallbacks(example):
    items, problems = csl.items(example, lang="en")
    assert items[0]["title"].startswith("GENESIS AND FEATURES")
    assert items[0]["author"] == [{"family": "Nassimov", "given": "Murat"}]
    assert items[0]["language"] == "en" and items[0]["custom"]["metadata-language"] == "en"
    assert items[0]["custom"]["article-language"] == "kk"  # the article's own language, for biblio's reader
    assert items[6]["language"] == "kk" and items[6]["title"].startswith("ҚАЗАҚСТАНДАҒЫ")  # no en title: all kk
    assert items[6]["abstract"].startswith("Мақалада") and items[6]["custom"]["article-language"] == "en"
    fallbacks = [p for p in problems if p.code == "lang.fallback"]
    assert any(p.path == "articles" and p.message.startswith("no en title: the whole item is written in kk")
               and p.message.endswith("(article 7)") for p in fallbacks)
    assert any(p.code == "csl.not-carried" and "funding" in p.message for p in problems)
    ru, _ = csl.items(example, lang="ru")
    assert ru[1]["author"][0] == {"family": "Нысанкуатова", "given": "Дамели"}


def test_no_original_title_so_processors_render_as_biblio_cite(example):
    """citeproc-js and pandoc print an original-title in APA as "(Original work published as …)", even where it
    equals the title after a fallback (issue 16); biblio cite leaves it out, and so do the files."""
    for lang in (None, "kk", "ru", "en"):
        items, problems = csl.items(example, lang=lang)
        assert not [item for item in items if "original-title" in item]
        notes = [p.message for p in problems if p.code == "csl.not-carried"]
        assert any(n.startswith("CSL-JSON cannot carry titles in other languages") for n in notes)
    entries, _ = cite.cite(example, style="apa", lang="en")
    assert not [e for e in entries if "Original work" in e]


def test_an_original_title_from_another_tool_is_still_read(tmp_path):
    path = tmp_path / "other.json"
    path.write_text(json.dumps([{"type": "article-journal", "title": "Elections", "original-title": "Сайлау",
                                 "language": "kk", "custom": {"metadata-language": "en"}}]), encoding="utf-8")
    issue, _ = csl.FORMAT.read(path)
    assert issue.articles[0].titles.texts == {"kk": "Сайлау", "en": "Elections"}


def test_unknown_keys_are_reported_with_line(tmp_path, example):
    items, _ = csl.items(example)
    items[2]["author"][0]["orcid"] = "0000-0002-1825-0097"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(items, ensure_ascii=False, indent=2), encoding="utf-8")
    problems = csl.validate(path)
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if '"orcid"' in text)
    assert [p.code for p in problems] == ["csl.schema"]
    assert problems[0].path == "[2].author[0]" and "custom" in problems[0].message
    assert problems[0].line is not None and problems[0].line <= line
    assert cli.main(["validate", str(path)]) == 1


def test_example_round_trips_in_every_language(tmp_path, example):
    for lang in (None, "kk", "ru", "en"):
        path, _ = write(example, tmp_path, lang)
        again, problems = csl.FORMAT.read(path)
        assert not [p for p in problems if p.severity == "error"]
        for index in range(10):
            assert view(again, index, lang) == view(example, index, lang), (lang, index)


ZOTERO_EXPORT = """[
  {"id": "http://zotero.org/users/1/items/ABC", "type": "article-journal",
   "title": "Саяси қатысу", "container-title": "Қоғам және Дәуір", "page": "9-22", "volume": "12",
   "issue": "2", "source": "DOI.org (Crossref)", "abstract": "Аңдатпа.", "DOI": "10.1234/ABC",
   "ISSN": "2788-5860", "language": "kk", "author": [{"family": "Сейітова", "given": "Әйгерім"},
   {"literal": "Research Group"}], "issued": {"date-parts": [["2025", 6, 30]]}},
  {"id": "x", "type": "book", "title": "A book", "issued": {"raw": "2020"}},
  {"id": "y", "type": "article-journal"}
]"""


def test_reads_a_zotero_export(tmp_path):
    path = tmp_path / "zotero.json"
    path.write_text(ZOTERO_EXPORT, encoding="utf-8")
    [issue], problems = api.load_catalogue(path)  # the book is no journal's article: in no issue
    first = issue.articles[0]
    assert first.language == "kk" and first.titles.texts == {"kk": "Саяси қатысу"}
    assert first.contributors[0].names["kk"].given == "Әйгерім"
    assert first.contributors[1].organization.texts == {"kk": "Research Group"}
    assert (first.pages.first, first.pages.last, first.doi) == ("9", "22", "10.1234/ABC")
    assert str(first.dates.published) == "2025-06-30" and issue.year == 2025
    assert issue.journal.issns[0].value == "2788-5860"
    assert len(issue.articles) == 1  # the empty item is skipped (reported), the book is a work (reported)
    assert {p.code for p in problems} >= {"read.works", "csl.unusable"}
    [book], problems = api.load_works(path)
    reference = book.reference
    assert (reference.type, reference.title, reference.year, book.name, book.kind) == (
        "book", "A book", "2020", "item 'x'", "book")
    assert not (reference.container or reference.publisher or reference.issn)  # nothing taken from the other item


def test_export_and_convert_commands(capsys, tmp_path, example_path):
    target = tmp_path / "items.json"
    assert cli.main(["export", str(example_path), "--to", "csl", "--lang", "ru", "-o", str(target)]) == 0
    assert json.loads(target.read_text(encoding="utf-8"))[0]["title"].startswith("ГЕНЕЗИС")
    assert cli.main(["export", str(example_path), "--to", "csl", "--lang", "russian", "-o", str(target)]) == 2
    assert cli.main(["export", str(example_path), "--to", "crossref", "--lang", "ru", "-o", str(target)]) == 1
    jats_dir = tmp_path / "jats"
    assert cli.main(["convert", str(target), "--to", "jats", "-o", str(jats_dir)]) == 0
    converted = sorted(p.name for p in jats_dir.iterdir())
    assert len(converted) == 10 and converted[0] == "2788-5860.2025.86.2.001.xml"
    back = tmp_path / "back.json"
    assert cli.main(["convert", str(jats_dir / converted[0]), "--to", "csl", "-o", str(back)]) == 0
    err = capsys.readouterr().err  # problems go to standard error
    assert "csl.not-carried" in err or "jats.not-carried" in err
    report = api.convert(tmp_path / "missing.json", "csl", back)
    assert not report.ok


MESSY = """\ufeff[
  {"type": "article-journal", "title": ["Crossref sends lists", "Subtitle"], "container-title": ["J. Lists"],
   "author": [{"family": 5, "given": "Ann"}, "not a name", {"family": "Иванов", "given": "Иван"}],
   "ISSN": ["0317-8471", "2788-5860"], "keyword": ["a", "b"], "issued": {"date-parts": [[2021]]},
   "publisher": ["P1"]},
  {"type": "article-journal", "title": 123, "author": {"family": "Oops"}}
]"""


def test_messy_csl_is_read_without_tracebacks_and_converts(tmp_path):
    path = tmp_path / "messy.json"
    path.write_text(MESSY, encoding="utf-8")
    assert csl.detect(path)  # despite the byte-order mark
    (issue, other), problems = api.load_catalogue(path)  # the second item names no journal and no year
    [first], [second] = issue.articles, other.articles
    assert first.titles.texts == {"en": "Crossref sends lists"} and second.titles.texts == {"en": "123"}
    assert other.year == 0 and not other.journal.titles  # not the first item's
    assert first.contributors[0].names["en"].family == "5"
    assert "ru" in first.contributors[1].names  # a Cyrillic name in an English item is filed as Russian
    assert [i.value for i in issue.journal.issns] == ["0317-8471", "2788-5860"]
    assert first.keywords == {"en": ["a", "b"]}
    assert {"csl.list", "csl.value"} <= {p.code for p in problems}
    for target in ("bibtex", "ris", "jats", "csl"):
        report = api.convert(path, target, tmp_path / f"out-{target}")
        errors = [p for p in report.problems if p.severity == "error"]  # only the item without a journal, refused
        assert report.files and all(p.line == 6 for p in errors), (target, errors)


def test_single_item_and_missing_year(tmp_path):
    path = tmp_path / "one.json"
    path.write_text('{"type": "article-journal", "title": "Alone", "issued": {"literal": "someday"}}')
    issue, problems = csl.FORMAT.read(path)
    assert issue.articles[0].titles.texts == {"en": "Alone"} and issue.year == 0
    assert {"csl.date", "csl.year-missing"} <= {p.code for p in problems}
    items, _ = csl.items(issue)
    assert "issued" not in items[0]  # an unknown year is left out, not written as 0


def test_lang_is_normalised_and_unknown_dois_refused(tmp_path, example_path, example):
    target = tmp_path / "en.json"
    assert cli.main(["export", str(example_path), "--to", "csl", "--lang", "EN", "-o", str(target)]) == 0
    assert json.loads(target.read_text(encoding="utf-8"))[0]["title"].startswith("GENESIS")
    report = api.export(example_path, "csl", tmp_path / "none.json", dois=["10.52536/none"])
    assert not report.ok and not (tmp_path / "none.json").exists()
    assert "export.doi-unknown" in {p.code for p in report.problems}
    assert not api.convert(target, "jats", tmp_path / "j", lang="ru").ok  # JATS carries every language


def test_an_issue_without_articles_is_an_empty_array(example):
    empty = Issue(journal=example.journal, year=2025)
    files, problems = dumps(csl.FORMAT, empty, lang="kk")
    assert files == {"articles.kk.csl.json": b"[]\n"}
    assert not [p for p in problems if p.severity == "error"]


@pytest.mark.parametrize(("text", "line", "column"), [
    ('[{"type": "article-journal", "title": "A", "author": [{"family": "X"},]},]', 1, 71),
    ('[\n  {"type": "article-journal", "title": "A"},\n]\n', 3, 1),
    ("[{'type': 'article-journal', 'title': 'A'}]", 1, 3),
    ('[\r\n {"type": "article-journal"\r\n  "title": "A"}]', 3, 3),
    ("", 1, 1),
])
def test_csl_json_is_read_as_json_not_yaml(tmp_path, text, line, column):
    path = tmp_path / "items.json"
    path.write_bytes(text.encode("utf-8"))
    [problem] = csl.validate(path)
    assert (problem.code, problem.severity, problem.file) == ("csl.syntax", "error", str(path))
    assert (problem.line, problem.column) == (line, column)
    assert "not valid JSON" in problem.message and "YAML" not in problem.message
    assert csl.FORMAT.read(path) == (None, [problem])


def test_repeated_keys_are_errors_with_both_lines(tmp_path):
    path = tmp_path / "dup.json"
    path.write_text('[{"type": "article-journal", "title": "A"},\n {"type": "article-journal", "title": "B",\n'
                    '  "author": [{"family": "X",\n   "family": "Y"}], "title": "C"}]', encoding="utf-8")
    problems = csl.validate(path)
    assert [(p.code, p.path, p.line, p.column) for p in problems] == [
        ("csl.duplicate-key", "[1].author[0].family", 4, 4), ("csl.duplicate-key", "[1].title", 4, 21)]
    assert "first on line 3" in problems[0].message and "first on line 2" in problems[1].message
    issue, read_problems = csl.FORMAT.read(path)
    assert read_problems[:2] == problems  # reported first; the first value is kept
    assert [a.titles.main for a in issue.articles] == ["A", "B"]
    assert issue.articles[1].contributors[0].names["en"].family == "X"


def test_text_that_is_not_utf8_is_placed(tmp_path):
    path = tmp_path / "latin1.json"
    data = b'\xef\xbb\xbf[{"type": "article-journal", "title": "Caf\xe9"}]'
    path.write_bytes(data)
    [problem] = csl.validate(path)
    assert (problem.code, problem.line, problem.column) == ("csl.encoding", 1, 43)  # at the é, after the BOM
    assert "byte 0xE9" in problem.message and "save the file as UTF-8" in problem.message
    assert "codec" not in problem.message  # no Python jargon
    assert csl.FORMAT.read(path) == (None, [problem])


def test_schema_errors_name_item_path_and_line(tmp_path):
    items = [{"id": str(n), "type": "article-journal", "title": f"T{n}"} for n in range(12)]
    items[3]["author"] = [{"family": "F", "orcid": "0000-0002-1825-0097"}]
    items[11]["issued"] = "2020"
    items[11]["type"] = "journal"
    path = tmp_path / "items.json"
    text = json.dumps(items, indent=2)
    path.write_text(text, encoding="utf-8")
    problems = csl.validate(path)
    lines = text.splitlines()
    assert [p.path for p in problems] == ["[11].issued", "[11].type", "[3].author[0]"]  # sorted as text
    assert lines[problems[0].line - 1].strip().startswith('"issued"')
    assert lines[problems[1].line - 1].strip().startswith('"type": "journal"')
    assert lines[problems[2].line - 1].strip() == "{" and '"family"' in lines[problems[2].line]
    assert "'orcid' was unexpected" in problems[2].message


def _big(count: int) -> list[dict]:
    return [{"id": f"i{n}", "type": "article-journal", "title": f"Тақырып «{n}» \\ \"x\"",
             "page": f"{n}-{n + 9}", "volume": "5", "container-title": "Қоғам және Дәуір",
             "author": [{"family": "Ф" * (n % 9 + 1), "given": "Ә"}], "issued": {"date-parts": [[2025, n % 12 + 1]]},
             "DOI": f"10.1234/x.{n}", "language": "kk"} for n in range(count)]


def test_reading_streams_items_across_chunks(tmp_path):
    items = _big(4000)
    path = tmp_path / "big.json"
    path.write_text(json.dumps(items, ensure_ascii=False, indent=1), encoding="utf-8")
    assert path.stat().st_size > 8 * 65536  # many chunk boundaries, inside strings and numbers
    assert csl.validate(path) == []
    tracemalloc.start()
    reading = csl.FORMAT.iter_read(path)
    count = 0
    for article in reading:
        expected = items[count]
        assert (article.titles.main, article.pages.first, article.doi) == (
            expected["title"], str(count), expected["DOI"])
        count += 1
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert count == 4000 and reading.issue is not None and not reading.problems
    assert peak < 1_000_000 < path.stat().st_size  # the file is not held: a chunk and an item at a time


def test_a_fault_late_in_a_large_file(tmp_path):
    text = json.dumps(_big(3000), ensure_ascii=False, indent=1)
    broken = text.replace('"DOI": "10.1234/x.2500"', '"DOI": "10.1234/x.2500" "x": 1')
    path = tmp_path / "broken.json"
    path.write_text(broken, encoding="utf-8")
    reading = csl.FORMAT.iter_read(path)
    assert len(list(reading)) == 2500  # the items before the fault were read, one at a time
    [problem] = reading.problems
    assert reading.issue is None and problem.code == "csl.syntax"
    error_line = next(n for n, line in enumerate(broken.splitlines(), 1) if '"x": 1' in line)
    assert problem.line == error_line and "Expecting ',' delimiter" in problem.message
    assert csl.validate(path) == [problem]
    schema_error = tmp_path / "schema.json"
    schema_error.write_text(text.replace('"DOI": "10.1234/x.2999"', '"DOI": 5'), encoding="utf-8")
    [problem] = csl.validate(schema_error)
    assert problem.path == "[2999].DOI" and '5 is not of type "string"' in problem.message
    assert '"DOI": 5' in schema_error.read_text(encoding="utf-8").splitlines()[problem.line - 1]


def test_keyword_with_a_comma_is_reported(example):
    issue = copy.deepcopy(example)
    issue.articles[0].keywords = {lang: ["one, two", "three"] for lang in issue.articles[0].keywords}
    items, problems = csl.items(issue, lang="kk", indexes=[0])
    assert len(items) == 1 and items[0]["keyword"] == "one, two, three"
    assert any(p.code == "csl.keyword-comma" and p.path == "articles[0].keywords" for p in problems)


def test_an_item_nested_too_deeply_is_a_problem_not_a_traceback(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text('[{"type": "article-journal", "id": "a", "title": "A", "author": ' + "[" * 600 + "]" * 600 + "}]",
                    encoding="utf-8")
    [problem] = csl.validate(path)
    assert problem.code == "csl.schema" and "too deeply" in problem.message and problem.path == "[0]"
