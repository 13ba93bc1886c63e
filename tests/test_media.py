"""The medium of dates: an electronic-only journal (only an electronic ISSN) and ``dates.online`` give online dates in
the Crossref deposit and electronic pub-dates in JATS; an ISSN that does not say its medium is reported with the
medium assumed and how to say it in the manifest."""

import copy

import pytest
from lxml import etree
from regen_golden import crossref_deposit

from biblio.formats import dumps, jats
from biblio.model import Issn, PartialDate

CR = "{http://www.crossref.org/schema/5.5.0}"


@pytest.fixture
def issue(example_issue):
    issue = copy.deepcopy(example_issue)
    issue.articles = issue.articles[:2]
    issue.published = PartialDate(2025, 6, 30)
    return issue


def _deposit(issue, tmp_path):
    """The deposit's tree (checked against the official schema) and its problems."""
    from biblio.formats import crossref

    data, problems = crossref_deposit(issue, timestamp=20250101000000000, batch_id="media")
    assert data is not None, problems
    path = tmp_path / "crossref.xml"
    path.write_bytes(data)
    assert crossref.validate(path) == []
    return etree.fromstring(data), problems


def _dates(element):
    """Each publication_date child of ``element``: (media_type, the date as printed)."""
    return [(d.get("media_type"), "-".join(d.findtext(f"{CR}{part}") or "" for part in ("year", "month", "day")))
            for d in element.findall(f"{CR}publication_date")]


def _jats(issue, tmp_path):
    """Each article's pub-dates as (date-type, publication-format, year-month-day), after the DTD's check."""
    files, problems = dumps(jats.FORMAT, issue)
    found = []
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        assert jats.validate(tmp_path / name) == []
        found.append([(d.get("date-type"), d.get("publication-format"),
                       "-".join(d.findtext(part) or "" for part in ("year", "month", "day")))
                      for d in etree.fromstring(data).iter("pub-date")])
    return found, problems


def test_an_electronic_only_journal_has_online_dates(issue, tmp_path):
    issue.journal.issns = [Issn("2788-5860", "electronic")]
    issue.articles[0].dates.published = PartialDate(2025, 6, 1)
    root, problems = _deposit(issue, tmp_path)
    assert [i.get("media_type") for i in root.iter(f"{CR}issn")] == ["electronic"]
    assert _dates(root.find(f".//{CR}journal_issue")) == [("online", "2025-06-30")]
    first, second = root.iter(f"{CR}journal_article")
    assert _dates(first) == [("online", "2025-06-01")] and _dates(second) == [("online", "2025-06-30")]
    assert 'media_type="print"' not in etree.tostring(root).decode()
    assert not [p for p in problems if p.code == "crossref.issn-media"]

    dates, problems = _jats(issue, tmp_path)
    assert dates == [[("pub", "electronic", "2025-06-01"), ("collection", None, "2025-06-30")],
                     [("collection", None, "2025-06-30")]]
    assert not [p for p in problems if p.code == "jats.issn-media"]


def test_dates_online_is_an_online_date_in_a_print_journal(issue, tmp_path):
    issue.journal.issns = [Issn("2788-5860", "print")]
    issue.articles[0].dates.online = PartialDate(2025, 5, 2)
    issue.articles[1].dates.published = PartialDate(2025, 6, 30)
    issue.articles[1].dates.online = PartialDate(2025, 5, 3)
    root, _ = _deposit(issue, tmp_path)
    assert _dates(root.find(f".//{CR}journal_issue")) == [("print", "2025-06-30")]
    first, second = root.iter(f"{CR}journal_article")
    assert _dates(first) == [("online", "2025-05-02")]
    assert _dates(second) == [("print", "2025-06-30"), ("online", "2025-05-03")]
    dates, _ = _jats(issue, tmp_path)
    assert [d[:-1] for d in dates] == [[("pub", "electronic", "2025-05-02")],
                                       [("pub", "print", "2025-06-30"), ("pub", "electronic", "2025-05-03")]]


def test_an_electronic_only_journal_with_both_dates_gives_the_online_one_and_says_so(issue, tmp_path):
    issue.journal.issns = [Issn("2788-5860", "electronic")]
    issue.articles[1].dates.published = PartialDate(2025, 6, 30)
    issue.articles[1].dates.online = PartialDate(2025, 5, 3)
    root, problems = _deposit(issue, tmp_path)
    assert _dates(list(root.iter(f"{CR}journal_article"))[1]) == [("online", "2025-05-03")]
    notes = [p.message for p in problems if p.code == "crossref.not-carried" and "beside the online date" in p.message]
    assert len(notes) == 1 and notes[0].endswith("(article 2)")
    dates, problems = _jats(issue, tmp_path)
    assert dates[1][:-1] == [("pub", "electronic", "2025-05-03")]
    notes = [p.message for p in problems if p.code == "jats.not-carried" and "beside the online date" in p.message]
    assert len(notes) == 1 and notes[0].endswith("(article 2)")


def test_an_issn_without_medium_is_reported_with_the_medium_assumed(issue, tmp_path):
    issue.journal.issns = [Issn("2788-5860")]
    issue.articles[0].dates.published = PartialDate(2025, 6, 1)
    root, problems = _deposit(issue, tmp_path)
    assert [i.get("media_type") for i in root.iter(f"{CR}issn")] == ["print"]
    [said] = [p for p in problems if p.code == "crossref.issn-media"]
    assert (said.severity, said.path) == ("warning", "journal.issns[0]")
    assert "declares it the print ISSN" in said.message and "print journal" in said.message
    assert "{value: 2788-5860, media: print}" in said.message and "media: electronic" in said.message
    dates, problems = _jats(issue, tmp_path)
    assert dates[0][0] == ("pub", "print", "2025-06-01")
    [said] = [p for p in problems if p.code == "jats.issn-media"]  # once for the issue
    assert said.path == "journal.issns[0]" and "{value: 2788-5860, media: electronic}" in said.message
    issn = etree.fromstring(dumps(jats.FORMAT, issue)[0]["2788-5860.2025.86.2.001.xml"]).find(".//issn")
    assert issn.get("publication-format") is None  # JATS writes no guess

    issue.journal.issns = [Issn("1234-5679", "print"), Issn("2788-5860")]  # the other one is the electronic ISSN
    root, problems = _deposit(issue, tmp_path)
    assert [i.get("media_type") for i in root.iter(f"{CR}issn")] == ["print", "electronic"]
    [said] = [p for p in problems if p.code == "crossref.issn-media"]
    assert said.path == "journal.issns[1]" and "the electronic ISSN." in said.message
    assert "print journal" not in said.message
    assert not [p for p in _jats(issue, tmp_path)[1] if p.code == "jats.issn-media"]  # the journal is print anyway
