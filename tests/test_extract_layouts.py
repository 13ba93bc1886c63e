"""`biblio extract` on layouts other than the seed's: plain running headers (``Vol. 7, No. 1``,
``Т. 12, № 3``, ``Том 5, Выпуск 2``), DOIs above the title, title-case titles, award numbers of
other funders, Spanish, Portuguese, French, German, Italian, Polish, Dutch and Turkish labels, ORCID iDs
printed under the names, and reference lists (journal articles, books, chapters) read into fields. Texts and their
truth: tests/data/extract/ (also what bench/extract_layouts.py scores)."""

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
    ("Journal of Coastal Ecology Letters, Vol. 7, No. 1, 2025   1", "Journal of Coastal Ecology Letters", "7", "1",
     2025),
    ("12   Journal of Coastal Ecology Letters, Vol. 7, No. 1, 2025", "Journal of Coastal Ecology Letters", "7", "1",
     2025),
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


@pytest.mark.parametrize("text", [
    "Иванов И.И. Статья // Журнал. – 2010. – № 3. – С. 10–20.",  # a GOST article: no place and publisher
    "Bird, E. (2008). Coastal geomorphology. Marine Geology.",  # no place, edition or publisher's word
    "Holm P. Bays. Coastal Research, Vol. 3, No. 2, 2019",
])
def test_reference_in_an_unknown_layout_keeps_only_its_text(text):
    ref = references.to_model(references.ReferenceEntry("1", text, None, 1, 1), "ru")
    assert ref.text == text
    assert (ref.type, ref.title, ref.year, ref.authors, ref.container, ref.publisher) == \
        (None, None, None, [], None, None)


@pytest.mark.parametrize(("text", "fields"), [
    ("Иванов И. И. История. – М.: Наука, 2010. – 320 с.",
     {"type": "book", "authors": ["Иванов И. И."], "title": "История", "place": "М.", "publisher": "Наука",
      "year": "2010", "edition": None, "pages": None}),
    ("Иванов И. И., Петров П. П. История края : монография / И. И. Иванов. – 2-е изд., перераб. и доп. – СПб. : "
     "Питер, 2015. – 412 с.",
     {"type": "book", "authors": ["Иванов И. И.", "Петров П. П."], "title": "История края : монография",
      "place": "СПб.", "publisher": "Питер", "year": "2015", "edition": "2"}),
    ("Smith J. Coastal Geomorphology. London: Routledge, 2010.",
     {"type": "book", "authors": ["Smith J."], "title": "Coastal Geomorphology", "place": "London",
      "publisher": "Routledge", "year": "2010"}),
    ("Bird, E. (2008). Coastal geomorphology: an introduction. 2nd ed. Oxford University Press.",
     {"type": "book", "authors": ["Bird, E."], "title": "Coastal geomorphology: an introduction", "place": None,
      "publisher": "Oxford University Press", "year": "2008", "edition": "2"}),
    ("Smith J. Beaches. In: Brown A (ed.) Coasts of Europe. London: Routledge, 2010, pp. 1–10.",
     {"type": "book_chapter", "authors": ["Smith J."], "title": "Beaches", "container": "Coasts of Europe",
      "place": "London", "publisher": "Routledge", "year": "2010", "pages": "1–10"}),
    ("Smith, J. (2015). Beaches in winter. In A. Brown & K. Green (Eds.), Coasts of Europe (pp. 15–30). London: "
     "Routledge.",
     {"type": "book_chapter", "authors": ["Smith, J."], "title": "Beaches in winter", "container": "Coasts of Europe",
      "place": "London", "publisher": "Routledge", "year": "2015", "pages": "15–30"}),
    ("Иванов И.И. Берега Балтики // Моря России / под ред. П.П. Петрова. – М.: Наука, 2010. – С. 10–20.",
     {"type": "book_chapter", "authors": ["Иванов И.И."], "title": "Берега Балтики", "container": "Моря России",
      "place": "М.", "publisher": "Наука", "year": "2010", "pages": "10–20"}),
])
def test_books_and_chapters_are_read_into_fields(text, fields):
    ref = references.to_model(references.ReferenceEntry("1", text, None, 1, 1), "ru")
    assert {k: getattr(ref, k) for k in fields} == fields and ref.text == text


def test_book_references_of_an_issue_load_with_their_fields(tmp_path):
    out = tmp_path / "books.yaml"
    draft.write_draft(pipeline.extract_file(DATA / "books.txt"), out)
    issue, _ = biblio.load(out)
    refs = [r for article in issue.articles for r in article.references]
    assert [r.type for r in refs] == ["book", "book", "book_chapter"] * 2
    assert refs[1].edition == "2" and refs[5].container == "Coastal Systems" and refs[5].pages == "101–120"
    assert all(r.text and r.publisher for r in refs)


# --- ORCID iDs off the author line ----------------------------------------------------------------

def _orcids(name):
    extraction = pipeline.extract_file(DATA / name)
    return [[c.orcid for c in a.contributors] for a in extraction.issue.articles], extraction.problems


def test_orcid_on_an_affiliation_line_goes_to_the_author_with_its_marker():
    orcids, _ = _orcids("orcid_affil.txt")
    assert orcids[0] == ["0000-0002-1825-0097", "0000-0001-5109-3700"]


def test_orcid_line_under_the_affiliations_goes_by_the_names_it_prints():
    orcids, _ = _orcids("orcid_affil.txt")
    assert orcids[1] == [None, "0000-0003-1234-5674", "0000-0002-9079-593X"]


def test_orcids_on_unmarked_affiliation_lines_go_in_order():
    orcids, _ = _orcids("orcid_affil.txt")
    assert orcids[2] == ["0000-0001-7654-3210", "0000-0002-4444-555X"]


def test_orcid_of_a_shared_affiliation_is_a_finding_not_a_guess():
    orcids, problems = _orcids("orcid_affil.txt")
    assert orcids[3] == [None, None]
    unplaced = [p for p in problems if p.code == "extract.authors.orcid-unplaced"]
    assert len(unplaced) == 1 and unplaced[0].line == 52 and unplaced[0].path == "articles[3].contributors"
    assert "0000-0003-5555-111X" in unplaced[0].message and "affiliation 1" in unplaced[0].message


def test_single_author_takes_the_orcid_and_email_of_the_affiliation_line():
    extraction = pipeline.extract_file(DATA / "affil_orcid.txt")
    (kent,) = extraction.issue.articles[0].contributors
    assert (kent.orcid, kent.email) == ("0000-0002-1825-0097", "laura.kent@example.org")
    assert not [p for p in extraction.problems if p.code.endswith("-unplaced")]


@pytest.mark.parametrize(("names", "details", "orcids", "loose"), [
    ("Anna Berg, Peter Holm", "ORCID: 0000-0002-1825-0097", [None, None], 1),  # one iD for two: by whom?
    ("Anna Berg¹, Peter Holm²", "² Bay Institute, Hobart, Australia, 0000-0002-1825-0097",
     [None, "0000-0002-1825-0097"], 0),
    ("Anna Berg, Peter Holm", "Bay Institute, Hobart, Australia; Holm: 0000-0002-1825-0097",
     [None, "0000-0002-1825-0097"], 0),
    ("Anna Berg 0000-0001-5109-3700, Peter Holm", "Bay Institute, Hobart, Australia, ORCID 0000-0002-1825-0097 (Berg)",
     ["0000-0001-5109-3700", None], 1),  # the name already has another iD
])
def test_orcid_off_the_author_line_is_placed_or_reported(names, details, orcids, loose):
    text = f"{names}\n{details}\n\nSEAGRASS AND SEDIMENT\n\nAbstract. Seagrass traps sediment.\nKeywords: seagrass\n"
    extraction = pipeline.extract(text)
    assert [c.orcid for c in extraction.issue.articles[0].contributors] == orcids
    unplaced = [p for p in extraction.problems if p.code == "extract.authors.orcid-unplaced"]
    assert len(unplaced) == loose and all(p.line == 2 and "add it as the orcid" in p.message for p in unplaced)


# --- Italian, Polish, Dutch, Turkish --------------------------------------------------------------

def test_italian_labels_set_blocks_references_funding_and_language():
    extraction = pipeline.extract_file(DATA / "italian.txt")
    assert [a.language for a in extraction.issue.articles] == ["it", "it"]
    assert [list(d.blocks) for d in extraction.articles] == [["it"], ["it"]]
    assert [d.reference_lists[0].language for d in extraction.articles] == ["it", "it"]
    assert [s.language for s in extraction.articles[0].funding] == ["it"]
    assert extraction.issue.journal.titles.texts == {"it": "Rivista di Studi Costieri"}
    assert not [p for p in extraction.problems if p.code.startswith(("extract.block", "extract.funding"))]


@pytest.mark.parametrize(("label", "keywords", "heading", "body", "lang"), [
    ("Streszczenie.", "Słowa kluczowe:", "Bibliografia", "Wydmy są badane od dawna i zmieniają się co roku.", "pl"),
    ("Samenvatting.", "Trefwoorden:", "Literatuur", "Het duin is een van de oudste van de kust.", "nl"),
    ("Özet.", "Anahtar kelimeler:", "Kaynaklar", "Kumullar bu kıyıda her yıl değişir.", "tr"),
    ("Sommario.", "Parole chiave:", "Bibliografia", "Dune costiere.", "it"),  # too short to tell: the label decides
])
def test_other_latin_script_labels_are_not_read_as_english(label, keywords, heading, body, lang):
    text = (f"Anna Berg, Peter Holm\n\nSEAGRASS\n\n{label} {body}\n{keywords} dune; coast\n\nIntro\n{body}\n\n"
            f"{heading}\n1. Holm P. Dunes. Coast J. 2019;3:1-9.\n")
    extraction = pipeline.extract(text)
    assert list(extraction.articles[0].blocks) == [lang] and extraction.issue.articles[0].language == lang
    assert extraction.articles[0].reference_lists[0].language == lang
    assert not [p for p in extraction.problems if p.code == "extract.block.language"]


def test_a_shared_reference_heading_takes_the_articles_language():
    text = ("Ana Silva, Rui Costa\n\nDUNAS\n\nResumo. As dunas do litoral são estudadas para a gestão da costa.\n"
            "Palavras-chave: dunas\n\nBibliografia\n1. Silva A. Dunas. Rev Lit. 2019;3:1-9.\n")
    assert pipeline.extract(text).articles[0].reference_lists[0].language == "pt"


def test_an_english_abstract_under_an_italian_label_is_still_reported():
    text = ("Anna Berg, Peter Holm\n\nSEAGRASS\n\nRiassunto. The seagrass of the bay is the subject of this study "
            "and the sediment that it traps.\nParole chiave: seagrass\n")
    found = [p.code for p in pipeline.extract(text).problems if p.code == "extract.block.language"]
    assert found == ["extract.block.language"]


def test_drafts_load_with_only_deposit_settings_or_dois_missing(tmp_path):
    for name in TRUTH:
        if TRUTH[name]["journal"] is None:
            continue
        out = tmp_path / f"{name}.yaml"
        draft.write_draft(pipeline.extract_file(DATA / name), out)
        issue, problems = biblio.load(out)
        assert issue is not None
        assert {p.code for p in problems if p.severity == "error"} <= {"doi.missing"}, name
