"""What a deposit cannot be made without, or what its schema refuses: checked on the model before any XML.

One set of rules with two callers: the writer (which then writes nothing) and ``biblio check`` (through
``FORMAT.check``), so that ``check`` gives the verdict a build will give. Every value written into an element
with a length or pattern facet is held to that facet here (``FACETS``), as the schema will read it: without the
characters XML cannot hold (the writer removes them) and, for ``whiteSpace="collapse"`` types, with spaces collapsed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ... import derive, ids
from ...model import Article, Issue, LangText, PartialDate
from ...problems import Problem
from ..xmltools import clean_text
from . import mapping
from .xsd10 import WHITESPACE


@dataclass(frozen=True)
class Facets:
    """The facets of an element's type in the official schema (``pattern`` as the XSD writes it) and what to do."""

    min: int
    max: int | None
    collapse: bool = False  # whiteSpace="collapse": lengths and the pattern apply to the collapsed value
    pattern: str | None = None
    fix: str = ""  # what to write instead, when the pattern refuses a value


_URL = Facets(1, 2048, True, "([hH][tT][tT][pP]|[hH][tT][tT][pP][sS]|[fF][tT][pP])://.*",
              "give an http://, https:// or ftp:// address")
_DOI = Facets(6, 2048, False, r"10\.[0-9]{4,9}/.{1,200}", "a DOI is 10.<4 to 9 digits>/<1 to 200 characters>")
_NAME = Facets(1, 200, True)
_SUFFIX = Facets(1, 10)  # Jr., III: the schema takes 10 characters, whitespace as written
_PAGE = Facets(1, 32)
_J, _A = "body/journal/", "body/journal/journal_article/"
_P = _A + "contributors/person_name/"

# The elements biblio writes text into whose type has a length or pattern facet, by path below doi_batch.
# tests/test_crossref_limits.py reads the facets of every element of a written deposit from the pinned XSD and
# asserts that they are these.
FACETS: dict[str, Facets] = {
    "head/depositor/depositor_name": Facets(1, 130),
    "head/depositor/email_address": Facets(6, 200),
    "head/registrant": Facets(1, 255),
    _J + "journal_metadata/full_title": Facets(1, 255),
    _J + "journal_metadata/abbrev_title": Facets(1, 150),
    _J + "journal_metadata/issn": Facets(8, 9, False, r"\d{4}-?\d{3}[\dX]", "write the ISSN as NNNN-NNNC"),
    _J + "journal_issue/journal_volume/volume": _PAGE,
    _J + "journal_issue/issue": _PAGE,
    _J + "journal_issue/doi_data/doi": _DOI,
    _J + "journal_issue/doi_data/resource": _URL,
    _A + "contributors/organization": Facets(1, 511, True),
    _P + "given_name": _NAME,
    _P + "surname": _NAME,
    _P + "suffix": _SUFFIX,
    _P + "alt-name/name/given_name": _NAME,
    _P + "alt-name/name/surname": _NAME,
    _P + "alt-name/name/suffix": _SUFFIX,
    _P + "affiliations/institution/institution_name": Facets(1, 1024),
    _P + "affiliations/institution/institution_id": Facets(0, None, False, "[hH][tT][tT][pP][sS]://.{1,50}",
                                                            "give the ROR ID as https://ror.org/…"),
    _P + "ORCID": Facets(0, None, False, "https?://orcid.org/[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[X0-9]{1}",
                         "give the ORCID iD as 0000-0000-0000-000X"),
    _A + "pages/first_page": _PAGE,
    _A + "pages/last_page": _PAGE,
    _A + "publisher_item/item_number": _PAGE,
    _A + "publisher_item/identifier": Facets(1, 255),  # identifier_t
    _A + "program/license_ref": Facets(10, None, True, _URL.pattern, _URL.fix),
    _A + "doi_data/doi": _DOI,
    _A + "doi_data/resource": _URL,
    _A + "citation_list/citation/volume": _PAGE,
    _A + "citation_list/citation/issue": _PAGE,
    _A + "citation_list/citation/first_page": _PAGE,
    _A + "citation_list/citation/doi": _DOI,
}
# Page values over the limit are lint's ``pages.length`` error, which ``biblio check`` and a build run first: ``check``
# leaves them to lint; the writer (the only check a convert's records get besides ``check``) holds them to the limit.
_LINT_PAGES = frozenset(_A + name for name in ("pages/first_page", "pages/last_page", "publisher_item/item_number"))
YEARS = range(1400, 2201)  # xrefYear's minInclusive and maxInclusive


def _regex(pattern: str) -> re.Pattern[str]:
    """An XSD pattern as a Python one (used with ``fullmatch``): XSD's '.' matches neither LF nor CR."""
    return re.compile(re.sub(r"(?<!\\)\.", r"[^\\n\\r]", pattern))


_PATTERNS = {facets.pattern: _regex(facets.pattern) for facets in FACETS.values() if facets.pattern}


def refused(key: str, value: str, path: str, *, lint_ran: bool = False) -> list[Problem]:
    """The problem with writing ``value`` into the element ``key`` (of ``FACETS``), if the schema would refuse it
    (``lint_ran``: page values are left to lint's ``pages.length``)."""
    facets = FACETS[key]
    written, removed = clean_text(value)
    if facets.collapse:
        written = WHITESPACE.sub(" ", written).strip(" ")
    element, length = f"<{key.rsplit('/', 1)[1]}>", len(written)
    if facets.max is not None and length > facets.max and not (lint_ran and key in _LINT_PAGES):
        return [Problem("crossref.too-long", "error", f"'{written[:20]}…' is {length} characters long; a Crossref "
                        f"deposit takes at most {facets.max} in {element}: shorten it", path=path)]
    if length < facets.min:
        how = " once the control characters XML cannot hold are removed" if removed else ""
        return [Problem("crossref.too-short", "error", f"'{written}' is {length} characters long{how}; a Crossref "
                        f"deposit needs at least {facets.min} in {element}: give the full value", path=path)]
    if facets.pattern and not _PATTERNS[facets.pattern].fullmatch(written):
        return [Problem("crossref.pattern", "error", f"'{written[:60]}' is not what a Crossref deposit takes in "
                        f"{element} (the schema's pattern is {facets.pattern}): {facets.fix}", path=path)]
    return []


def _main(texts: LangText, path: str) -> tuple[str | None, str]:
    """The text a deposit carries of ``texts`` (the original) and its path; None when there is no text."""
    if not texts.languages:  # an affiliation read with no name, say
        return None, path
    lang = texts.languages[0]
    return texts[lang], f"{path}.{lang}"


def _year(date: PartialDate, path: str, what: str) -> list[Problem]:
    if date.year in YEARS:
        return []
    if not date.year:  # 0: unknown, as a reader leaves a record without a year
        return [Problem("crossref.year", "error", f"{what} has no year, and a Crossref deposit dates it: add the year "
                        f"(from {YEARS[0]} to {YEARS[-1]})", path=path)]
    return [Problem("crossref.year", "error", f"the year {date.year} is outside the range a Crossref deposit accepts "
                    f"({YEARS[0]}-{YEARS[-1]})", path=path)]


def _issue_values(issue: Issue) -> Iterator[tuple[str, str | None, str]]:
    """(FACETS key, value written, field path) for the batch head, the journal and the issue."""
    settings, journal = issue.settings, issue.journal
    if settings is not None and settings.depositor is not None:
        yield "head/depositor/depositor_name", settings.depositor.name, "settings.depositor.name"
        yield "head/depositor/email_address", settings.depositor.email, "settings.depositor.email"
    if settings is not None and settings.registrant:
        yield "head/registrant", settings.registrant, "settings.registrant"
    elif journal.publisher and journal.publisher.name:
        yield "head/registrant", *_main(journal.publisher.name, "journal.publisher.name")
    if _text(journal.titles.main):  # else the title is missing (``issue_problems``)
        yield _J + "journal_metadata/full_title", *_main(journal.titles, "journal.titles")
    yield _J + "journal_metadata/abbrev_title", journal.abbreviation or None, "journal.abbreviation"
    for number, issn in enumerate(journal.issns):
        yield _J + "journal_metadata/issn", issn.value, f"journal.issns[{number}].value"
    yield _J + "journal_issue/journal_volume/volume", issue.volume or None, "issue.volume"
    yield _J + "journal_issue/issue", issue.number or None, "issue.number"
    url = derive.issue_landing_page(issue) if issue.doi else None
    if url:
        yield _J + "journal_issue/doi_data/doi", issue.doi, "issue.doi"
        yield _J + "journal_issue/doi_data/resource", url, "settings.landing_page_pattern"


def _article_values(issue: Issue, index: int, article: Article) -> Iterator[tuple[str, str | None, str]]:
    """(FACETS key, value written, field path) for one article."""
    path = f"articles[{index}]"
    for number, contributor in enumerate(article.contributors):
        at = f"{path}.contributors[{number}]"
        if contributor.organization:
            yield _A + "contributors/organization", *_main(contributor.organization, f"{at}.organization")
            continue
        main = derive.main_name(contributor, article)
        for lang, name in contributor.names.items():  # the main name and the alt-names have the same facets
            where = _P if main and lang == main[0] else _P + "alt-name/name/"
            yield where + "given_name", name.given or None, f"{at}.names.{lang}.given"
            yield where + "surname", name.family, f"{at}.names.{lang}.family"  # always written
            yield where + "suffix", name.suffix or None, f"{at}.names.{lang}.suffix"
        for number_aff, affiliation in enumerate(contributor.affiliations):
            at_aff = f"{at}.affiliations[{number_aff}]"
            name_aff, at_name = _main(affiliation.name, f"{at_aff}.name")
            yield _P + "affiliations/institution/institution_name", name_aff or "", at_name  # always written
            yield _P + "affiliations/institution/institution_id", affiliation.ror or None, f"{at_aff}.ror"
        if contributor.orcid:
            yield _P + "ORCID", ids.orcid_url(contributor.orcid), f"{at}.orcid"
    if article.pages is not None:
        yield _A + "pages/first_page", article.pages.first or None, f"{path}.pages.first"
        if article.pages.first:
            yield _A + "pages/last_page", article.pages.last or None, f"{path}.pages.last"
        yield _A + "publisher_item/item_number", article.pages.article_number or None, f"{path}.pages.article_number"
    yield _A + "publisher_item/identifier", article.pmid or None, f"{path}.pmid"
    if article.license is not None:
        yield _A + "program/license_ref", article.license.url, f"{path}.license.url"
    if _text(article.doi):  # else the DOI is missing (``article_problems``)
        yield _A + "doi_data/doi", article.doi, f"{path}.doi"
    yield _A + "doi_data/resource", article.url or derive.landing_page(issue, article, index) or None, (
        f"{path}.url" if article.url else "settings.landing_page_pattern")
    for number, reference in enumerate(article.references):
        for element, value, field in mapping.citation_values(reference):
            key = _A + "citation_list/citation/" + element
            if key in FACETS:
                yield key, value or None, f"{path}.references[{number}].{field or element}"


def _facet_problems(values: Iterator[tuple[str, str | None, str]], *, lint_ran: bool = False) -> list[Problem]:
    """The facets' refusals of the values the writer writes (None: not written; an empty text written is refused)."""
    return [problem for key, value, path in values if value is not None
            for problem in refused(key, value, path, lint_ran=lint_ran)]


def _text(value: str | None) -> bool:
    """Whether a text the deposit requires is given: not missing, not empty, not only spaces."""
    return bool(value and value.strip())


def issue_problems(issue: Issue) -> list[Problem]:
    """The batch head and the issue: depositor, registrant, the issue DOI's landing page, the schema's facets,
    the year."""
    problems = []
    settings = issue.settings
    if settings is None or settings.depositor is None:
        problems.append(Problem("crossref.depositor-missing", "error", "a deposit names its depositor: add "
                                "settings.depositor (name and email) to the manifest", path="settings.depositor"))
    if not (settings and settings.registrant) and not issue.journal.publisher:
        problems.append(Problem("crossref.registrant-missing", "error", "a deposit names its registrant: add "
                                "settings.registrant or journal.publisher", path="settings.registrant"))
    if issue.doi and not derive.issue_landing_page(issue):
        problems.append(Problem("crossref.url-missing", "error", "the issue DOI needs a landing page: give "
                                "settings.landing_page_pattern without {seq}", path="issue.doi"))
    if not _text(issue.journal.titles.main):
        problems.append(Problem("crossref.journal-title-missing", "error", "the journal has no title, and a Crossref "
                                "deposit names the journal (full_title): add the journal's title",
                                path="journal.titles"))
    problems += _facet_problems(_issue_values(issue))
    date = issue.published or PartialDate(issue.year)
    return problems + _year(date, "issue.published" if issue.published else "issue.year", "the issue")


def article_problems(issue: Issue, index: int, article: Article, *, lint_ran: bool = False) -> list[Problem]:
    """One article: its title, DOI and landing page, values the schema's facets refuse (``lint_ran``: not the page
    values, which lint's ``pages.length`` holds to the same limit), the years of its dates."""
    path = f"articles[{index}]"
    problems = []
    if not any(_text(title) for title in article.titles.texts.values()):
        problems.append(Problem("crossref.title-missing", "error", "the article has no title, and a Crossref deposit "
                                "needs one: add the article's title", path=f"{path}.titles"))
    if not _text(article.doi):
        problems.append(Problem("crossref.doi-missing", "error", "the article has no DOI, and a Crossref deposit "
                                "registers one: add its DOI (or set issue.doi_pattern)", path=f"{path}.doi"))
    elif not derive.landing_page(issue, article, index):
        problems.append(Problem("crossref.url-missing", "error", "Crossref needs the article's landing page: give "
                                "'url' or settings.landing_page_pattern", path=path))
    problems += _facet_problems(_article_values(issue, index, article), lint_ran=lint_ran)
    dates = article.dates
    for name, date in (("published", dates.published), ("online", dates.online), ("accepted", dates.accepted)):
        if date is not None:
            problems += _year(date, f"{path}.dates.{name}", f"the article's {name} date")
    return problems


def check(issue: Issue) -> list[Problem]:
    """Every problem above for the whole issue (``Format.check``: after lint in ``biblio check`` and a build, so
    page values are lint's; the writer holds them to the limit where lint did not run, as in a convert)."""
    return issue_problems(issue) + [p for index, article in enumerate(issue.articles)
                                    for p in article_problems(issue, index, article, lint_ran=True)]
