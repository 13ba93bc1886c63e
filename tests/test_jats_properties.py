"""Property: any issue -> JATS files that the official JATS 1.3 DTD accepts -> read back equal on what JATS
carries, and every article's share of what it cannot carry is reported.

Issues are generated in manifest shape (languages, missing fields, markup characters), and the
first article's references get odd strings (control characters, lone surrogates, ``&<>"``, CR):
what XML cannot hold is removed with a note, the rest must come back as written.
"""

import copy
import io
import re

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jats_view import view
from test_manifest_properties import manifests

from biblio import manifest
from biblio.formats import jats
from biblio.formats.xmltools import clean_text
from biblio.model import PartialDate, Reference
from biblio.problems import article_numbers

SPECIAL = list("&<>\"'\r\n\t \x00\x01\x0b\x1f\x7f\x85\u2028\ufeff\ufffe\ud800") + ["\U0001F600", "]]>", "&amp;"]
odd = st.lists(st.one_of(st.sampled_from(SPECIAL), st.characters(min_codepoint=0x20, max_codepoint=0x2FFF)),
               max_size=6).map("".join)
maybe = st.one_of(st.none(), odd)
references = st.lists(st.builds(
    Reference, text=maybe, label=maybe, language=st.sampled_from([None, "kk", "ru", "en"]),
    doi=st.sampled_from([None, "10.1234/ab.c"]),
    type=st.sampled_from([None, "book", "book_chapter", "report", "dataset", "web_resource", "journal_article",
                          "unknown"]),  # not conference_paper: one without a title reads back as proceedings
    authors=st.lists(odd, max_size=2), title=maybe, container=maybe, year=maybe, volume=maybe, issue=maybe,
    pages=maybe, publisher=maybe, url=maybe, isbn=maybe, issn=maybe, edition=maybe, place=maybe, conference=maybe,
    accessed=st.sampled_from([None, PartialDate(2024), PartialDate(2024, 5, 1)])), max_size=3)

TEXT_FIELDS = ("text", "label", "title", "container", "year", "volume", "issue", "pages", "publisher", "url",
               "isbn", "issn", "edition", "place", "conference")

# What JATS front matter cannot carry: how the note names it, and which articles have it.
NOT_CARRIED = {
    "the issue's whole number": lambda issue, article: issue.whole_number,
    "an article number beside pages": lambda issue, article: (article.pages and article.pages.first
                                                              and article.pages.article_number),
    "a licence start date without a day": lambda issue, article: (article.license and article.license.start
                                                                  and article.license.start.day is None),
    "in-text citation numbers": lambda issue, article: article.citations,
    "the publication date beside the online date of an electronic-only journal": lambda issue, article: (
        article.dates.published and article.dates.online and _online_only(issue)),
}


def _online_only(issue) -> bool:
    return bool(issue.journal.issns) and all(issn.media == "electronic" for issn in issue.journal.issns)


class Files:
    """An ``Output`` that keeps every file opened, in order (two articles may share a DOI, so a name)."""

    def __init__(self):
        self.opened = []

    def open(self, name):
        self.opened.append((name, io.BytesIO()))
        stream = self.opened[-1][1]
        stream.close = lambda: None
        return stream


DETAILS = ("doi", "authors", "title", "container", "year", "volume", "issue", "pages", "publisher", "url", "isbn",
           "issn", "edition", "place", "conference", "accessed")


def _citable(reference: Reference) -> bool:
    return bool(reference.text or any(getattr(reference, field) for field in DETAILS))


def _as_read(reference: Reference) -> Reference:
    """A reference as it comes back: what XML cannot hold removed, text stripped, empty text absent. With no
    details there is no element-citation: the type is on the mixed-citation, and read from there."""
    read = copy.deepcopy(reference)
    for field in TEXT_FIELDS:
        value = getattr(read, field)
        setattr(read, field, (clean_text(value)[0].strip() or None) if value else None)
    read.authors = [clean_text(a)[0].strip() for a in read.authors if clean_text(a)[0].strip()]
    read.type = "other" if read.type == "unknown" else read.type  # not a reference type: read as 'other'
    return read


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(manifests(), references)
def test_written_files_are_valid_read_back_and_report_what_they_leave_out(tmp_path_factory, data, drawn):
    publisher = data["journal"].get("publisher", {})
    if len(publisher.get("place", {})) > len(publisher.get("name", {})):  # a place beyond the names is left out
        publisher["place"] = dict(list(publisher["place"].items())[-len(publisher["name"]):])
    issue, _ = manifest.loads(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    assert issue is not None
    issue.articles[0].references = drawn
    output = Files()
    writer = jats.FORMAT.writer(issue, output)
    for index, article in enumerate(issue.articles):
        writer.add(index, article)
    problems = writer.close()
    assert len(problems) == len(set(problems))

    if not issue.journal.issns:
        assert output.opened == [] and {p.code for p in problems if p.severity == "error"} == {"jats.issn"}
    else:
        assert [name for name, _ in output.opened] == [jats.file_name(a, i) for i, a in enumerate(issue.articles)]
        folder = tmp_path_factory.mktemp("jats")
        expected = copy.deepcopy(issue)
        for article in expected.articles:
            article.references = [_as_read(r) for r in article.references if _citable(r)]
        if _online_only(issue):  # one electronic pub-date, read back as the online date
            for article in expected.articles:
                article.dates.online, article.dates.published = article.dates.online or article.dates.published, None
        for index, (_, stream) in enumerate(output.opened):
            path = folder / f"{index}.xml"
            path.write_bytes(stream.getvalue())
            assert jats.validate(path) == []
            again, read_problems = jats.FORMAT.read(path)
            assert not [p for p in read_problems if p.severity == "error"]
            assert view(again, 0) == view(expected, index)

    skipped = [f"articles[{i}].references[{n}]" for i, article in enumerate(issue.articles)
               for n, r in enumerate(article.references) if not _citable(r)]
    assert [p.path for p in problems if p.code == "jats.reference-empty"] == skipped
    cleaned = any(clean_text(value)[1] for r in drawn if _citable(r) for value in
                  [*(getattr(r, f) or "" for f in TEXT_FIELDS), *r.authors])
    assert cleaned == any(p.code == "xml.illegal-character" for p in problems)
    notes = [p.message for p in problems if p.code == "jats.not-carried"]
    for what, has in NOT_CARRIED.items():
        indexes = [i for i, a in enumerate(issue.articles) if has(issue, a)]
        said = [n for n in notes if what in n]
        if indexes:
            assert len(said) == 1 and said[0].endswith(f"({article_numbers(indexes)})")
        else:
            assert said == []
    assert len(notes) == sum(1 for what, has in NOT_CARRIED.items()
                             if any(has(issue, a) for a in issue.articles))
    assert all(re.match(r"JATS front matter cannot carry ", n) for n in notes)
