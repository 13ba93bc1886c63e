"""CSL-JSON: items that pass the official csl-data.json, per language, read back, converted."""

import json

import pytest
import yaml
from citation_view import view
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_manifest_properties import manifests

import biblio
from biblio import api, cli, manifest
from biblio.formats import csl

KAZAKH = "ӘәҒғҚқҢңӨөҰұҮүҺһІі"


@pytest.fixture(scope="module")
def example():
    from conftest import EXAMPLE
    issue, _ = biblio.load(EXAMPLE)
    return issue


@pytest.mark.parametrize("lang", [None, "kk", "ru", "en"])
def test_example_exports_valid_items_in_each_language(tmp_path, example, lang):
    files, _ = csl.write(example, tmp_path, lang=lang)
    assert csl.validate(files[0]) == []
    items = json.loads(files[0].read_text(encoding="utf-8"))
    assert len(items) == 10 and all(i["type"] == "article-journal" for i in items)
    assert [i["DOI"] for i in items] == [f"10.52536/2788-5860.2025.86.2.{n:03d}" for n in range(1, 11)]
    text = files[0].read_text(encoding="utf-8")
    assert "\\u04" not in text  # Cyrillic written as UTF-8, not escaped
    if lang in (None, "kk"):
        shown = "".join(a.titles.get("kk", "") + a.abstracts.get("kk", "") for a in example.articles
                        if (lang or a.language) == "kk")
        assert set(KAZAKH) & set(shown) <= set(text)  # no Kazakh letter lost
        assert "МӘДЕНИ БІРЕГЕЙЛІК" in items[0]["title"]


def test_language_choice_and_fallbacks(example):
    items, problems = csl.items(example, lang="en")
    assert items[0]["title"].startswith("GENESIS AND FEATURES")
    assert items[0]["author"] == [{"family": "Nassimov", "given": "Murat"}]
    assert items[0]["original-title"].startswith("МӘДЕНИ")
    assert items[0]["language"] == "kk" and items[0]["custom"]["metadata-language"] == "en"
    fallbacks = [p for p in problems if p.code == "lang.fallback"]
    assert any(p.path == "articles[6]" and "no en title: using the kk title" in p.message for p in fallbacks)
    assert any(p.code == "csl.not-carried" and "funding" in p.message for p in problems)
    ru, _ = csl.items(example, lang="ru")
    assert ru[1]["author"][0] == {"family": "Нысанкуатова", "given": "Дамели"}


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
        files, _ = csl.write(example, tmp_path, lang=lang)
        again, problems = csl.read(files[0])
        assert not [p for p in problems if p.severity == "error"]
        for index in range(10):
            assert view(again, index, lang) == view(example, index, lang), (lang, index)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(manifests(), st.sampled_from([None, "kk", "ru", "en"]))
def test_generated_issues_round_trip(tmp_path_factory, data, lang):
    issue, _ = manifest.loads(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    assume(not any("," in w or ";" in w for a in issue.articles for ws in a.keywords.values() for w in ws))
    folder = tmp_path_factory.mktemp("csl")
    files, _ = csl.write(issue, folder, lang=lang)
    assert csl.validate(files[0]) == []
    again, _ = csl.read(files[0])
    for index in range(len(issue.articles)):
        assert view(again, index, lang) == view(issue, index, lang)


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
    issue, problems = csl.read(path)
    first = issue.articles[0]
    assert first.language == "kk" and first.titles.texts == {"kk": "Саяси қатысу"}
    assert first.contributors[0].names["kk"].given == "Әйгерім"
    assert first.contributors[1].organization.texts == {"kk": "Research Group"}
    assert (first.pages.first, first.pages.last, first.doi) == ("9", "22", "10.1234/ABC")
    assert str(first.dates.published) == "2025-06-30" and issue.year == 2025
    assert issue.journal.issns[0].value == "2788-5860"
    assert len(issue.articles) == 2  # the book is kept (as a journal article, reported); the empty item is not
    assert {p.code for p in problems} >= {"csl.type", "csl.unusable"}


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
    out = capsys.readouterr().out
    assert "csl.not-carried" in out or "jats.not-carried" in out
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
    issue, problems = csl.read(path)
    first, second = issue.articles
    assert first.titles.texts == {"en": "Crossref sends lists"} and second.titles.texts == {"en": "123"}
    assert first.contributors[0].names["en"].family == "5"
    assert "ru" in first.contributors[1].names  # a Cyrillic name in an English item is filed as Russian
    assert [i.value for i in issue.journal.issns] == ["0317-8471", "2788-5860"]
    assert first.keywords == {"en": ["a", "b"]}
    assert {"csl.list", "csl.value"} <= {p.code for p in problems}
    for target in ("bibtex", "ris", "jats", "csl"):
        report = api.convert(path, target, tmp_path / f"out-{target}")
        assert report.ok, (target, [str(p) for p in report.problems if p.severity == "error"])


def test_single_item_and_missing_year(tmp_path):
    path = tmp_path / "one.json"
    path.write_text('{"type": "article-journal", "title": "Alone", "issued": {"literal": "someday"}}')
    issue, problems = csl.read(path)
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
