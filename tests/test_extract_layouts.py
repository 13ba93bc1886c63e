"""`biblio extract` on layouts other than the seed's: plain running headers (``Vol. 7, No. 1``,
``Т. 12, № 3``, ``Том 5, Выпуск 2``), DOIs above the title, title-case titles, award numbers of
other funders, Spanish, Portuguese, French and German labels, and reference lists read into
fields. Texts and their truth: tests/data/extract/ (also what bench/extract_layouts.py scores)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

import biblio
from biblio import cli
from biblio.extract import draft, funding, pipeline, references

DATA = Path(__file__).resolve().parent / "data" / "extract"
TRUTH = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from extract_layouts import score  # noqa: E402


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_each_layout_is_read_field_by_field(name):
    extraction = pipeline.extract_file(DATA / name)
    wrong = {field: hits for field, hits in score(extraction, TRUTH[name]).items() if not all(hits)}
    assert not wrong
    assert len(extraction.issue.articles) == len(TRUTH[name]["articles"])


@pytest.mark.parametrize(("header", "title", "volume", "number", "year"), [
    ("Journal of Coastal Ecology Letters, Vol. 7, No. 1, 2025   1", "Journal of Coastal Ecology Letters", "7", "1", 2025),
    ("12   Journal of Coastal Ecology Letters, Vol. 7, No. 1, 2025", "Journal of Coastal Ecology Letters", "7", "1", 2025),
    ("Т. 12, № 3, 2024", None, "12", "3", 2024),
    ("Том 5, Выпуск 2", None, "5", "2", None),
])
def test_plain_running_header_gives_the_issue(header, title, volume, number, year):
    text = f"{header}\n\nAnna Berg, Peter Holm\n\nSEAGRASS AND SEDIMENT\n\nAbstract. Seagrass traps sediment.\n" \
           "Keywords: seagrass; sediment\n"
    issue = pipeline.extract(text).issue
    assert (issue.journal.titles.texts.get("en"), issue.volume, issue.number, issue.year or None) == \
        (title, volume, number, year)


def test_header_repeated_on_the_next_page_is_not_glued_to_the_last_reference():
    extraction = pipeline.extract_file(DATA / "coastal_en.txt")
    texts = [ref.text or "" for art in extraction.issue.articles for ref in art.references]
    assert texts and not any("Vol." in t or "Journal of Coastal" in t for t in texts)
    assert [p.page for p in extraction.articles[0].pages] == [1]


def test_a_reference_citing_a_volume_once_is_not_a_header():
    text = ("Anna Berg, Peter Holm\n\nSEAGRASS AND SEDIMENT\n\nAbstract. Seagrass traps sediment.\n"
            "Keywords: seagrass; sediment\n\nReferences\n1. Holm P. Bays. Coastal Research, Vol. 3, No. 2, 2019\n")
    extraction = pipeline.extract(text)
    assert extraction.issue.volume is None
    assert "Vol. 3" in (extraction.issue.articles[0].references[0].text or "")


def test_no_header_leaves_journal_and_year_out_with_findings(tmp_path):
    out = tmp_path / "draft.yaml"
    assert cli.main(["extract", str(DATA / "noheader.txt"), "-o", str(out)]) == 1
    text = out.read_text(encoding="utf-8")
    body = [line for line in text.splitlines() if not line.startswith("#")]
    assert "journal: null" not in body and "  year: 0" not in body
    assert "[extract.journal.title]" in text and "[extract.issue.year]" in text and "add issue.year" in text
    issue, problems = biblio.load(out)
    errors = [p for p in problems if p.severity == "error"]  # only what the text did not give
    assert len(errors) == 2 and all(p.code == "manifest.missing" for p in errors)
    assert "'journal'" in errors[0].message and "'year'" in errors[1].message


def test_json_draft_also_leaves_out_what_is_missing(tmp_path):
    out = tmp_path / "draft.json"
    draft.write_draft(pipeline.extract_file(DATA / "noheader.txt"), out, as_json=True)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert "journal" not in data and "year" not in (data["issue"] or {})


def test_doi_printed_above_the_title_is_the_articles():
    extraction = pipeline.extract_file(DATA / "marine_en.txt")
    assert [a.doi for a in extraction.issue.articles] == ["10.5555/mpr.2023.12.4.1", "10.5555/mpr.2023.12.4.2"]
    last = extraction.issue.articles[0].references[-1].text or ""
    assert "Harbour" not in last and "doi.org" not in last


def test_title_that_reads_as_names_is_taken_and_reported():
    extraction = pipeline.extract_file(DATA / "marine_en.txt")
    assert extraction.issue.articles[1].titles.texts["en"] == "Harbour Seals and Offshore Wind Farms"
    guesses = [p for p in extraction.problems if p.code == "extract.block.title-guess"]
    assert [p.path for p in guesses] == ["articles[1].titles.en"]


def test_affiliation_with_orcid_is_not_a_title_nor_an_author():
    extraction = pipeline.extract_file(DATA / "affil_orcid.txt")
    article = extraction.issue.articles[0]
    assert not article.titles.texts
    assert [c.names["en"].family for c in article.contributors] == ["Kent"]
    assert any(p.code == "extract.block.no-title" for p in extraction.problems)


@pytest.mark.parametrize(("text", "award"), [
    ("Funding. This work was supported by the Natural Environment Research Council under grant NE/X012345/1.",
     "NE/X012345/1"),
    ("Financiación. Este trabajo fue financiado por la Agencia Estatal de Investigación, proyecto "
     "PID2020-112345GB-I00.", "PID2020-112345GB-I00"),
])
def test_award_numbers_of_other_funders(text, award):
    statements = funding.find_funding([text], 1)
    assert [s.awards for s in statements] == [(award,)]


def test_spanish_funding_statement_is_spanish_and_not_reported_as_misprinted():
    extraction = pipeline.extract_file(DATA / "spanish.txt")
    assert [s.language for s in extraction.articles[0].funding] == ["es"]
    assert not [p for p in extraction.problems if p.code.startswith("extract.funding")]


@pytest.mark.parametrize(("name", "lang"), [("spanish.txt", "es"), ("portuguese.txt", "pt"), ("french.txt", "fr"),
                                            ("german.txt", "de")])
def test_labels_set_the_block_and_the_article_language(name, lang):
    extraction = pipeline.extract_file(DATA / name)
    article = extraction.issue.articles[0]
    assert list(extraction.articles[0].blocks) == [lang] and article.language == lang
    assert extraction.articles[0].reference_lists[0].language == lang
    assert not [p for p in extraction.problems if p.code in ("extract.block.language", "extract.block.label-language")]


def test_journal_name_takes_the_articles_language_when_too_short_to_tell():
    issue = pipeline.extract_file(DATA / "spanish.txt").issue
    assert issue.journal.titles.texts == {"es": "Revista de Estudios Costeros"} and issue.journal.language == "es"


@pytest.mark.parametrize(("text", "fields"), [
    ("Reid, D., & Clarke, E. (2018). North Sea fisheries. Fish and Fisheries, 19(2), 200-215.",
     {"authors": ["Reid, D.", "Clarke, E."], "year": "2018", "title": "North Sea fisheries",
      "container": "Fish and Fisheries", "volume": "19", "issue": "2", "pages": "200-215"}),
    ("Smith A, Jones B. Wind farms and wildlife. Ecol Appl. 2019;29:e01234.",
     {"authors": ["Smith A", "Jones B"], "year": "2019", "title": "Wind farms and wildlife", "container": "Ecol Appl",
      "volume": "29", "pages": "e01234"}),
])
def test_reference_fields_read_from_known_layouts(text, fields):
    entry = references.ReferenceEntry("1", text, None, 1, 1)
    ref = references.to_model(entry, "en")
    assert {k: getattr(ref, k) for k in fields} == fields and ref.text == text


def test_reference_in_an_unknown_layout_keeps_only_its_text():
    text = "Иванов И.И. Берега моря. М.: Наука, 2010. 200 с."
    ref = references.to_model(references.ReferenceEntry("1", text, None, 1, 1), "ru")
    assert ref.text == text and (ref.title, ref.year, ref.authors, ref.container) == (None, None, [], None)


def test_drafts_load_with_only_deposit_settings_or_dois_missing(tmp_path):
    for name in TRUTH:
        if TRUTH[name]["journal"] is None:
            continue
        out = tmp_path / f"{name}.yaml"
        draft.write_draft(pipeline.extract_file(DATA / name), out)
        issue, problems = biblio.load(out)
        assert issue is not None
        assert {p.code for p in problems if p.severity == "error"} <= {"doi.missing"}, name
