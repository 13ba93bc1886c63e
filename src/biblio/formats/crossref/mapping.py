"""The Crossref 5.5.0 field mapping: what a deposit cannot carry (``LEFT_OUT``, ``ARTICLE_LEFT_OUT``) and
how a reference becomes a ``citation`` (``CITATION_FIELDS``), shared by ``write.py`` and the property
test; and the medium of ISSNs and dates (``issn_media``, ``article_dates``), which JATS follows too. There is
no Crossref reader: a deposit is written, never read back into the model.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ...model import REFERENCE_TYPES, WHOLE_WORKS, Article, ArticleDates, Journal, PartialDate, Reference

VERSION = "5.5.0"
NS = f"http://www.crossref.org/schema/{VERSION}"
JATS = "http://www.ncbi.nlm.nih.gov/JATS1"
FR = "http://www.crossref.org/fundref.xsd"
AI = "http://www.crossref.org/AccessIndicators.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{NS} https://www.crossref.org/schemas/crossref{VERSION}.xsd"
NSMAP: dict[str | None, str] = {None: NS, "jats": JATS, "fr": FR, "ai": AI, "xsi": XSI}
FILE_NAME = "crossref.xml"

MAX_TITLES = 20  # <titles> per journal_article
TIMESTAMP_DIGITS = 17  # YYYYMMDDhhmmssSSS: what Crossref's own tools and OJS deposit with

CITATION_TYPES = frozenset(REFERENCE_TYPES)  # the schema's citation/@type values, the manifest's reference types
CREDIT_ROLES = frozenset({
    "conceptualization", "data-curation", "formal-analysis", "funding-acquisition", "investigation",
    "methodology", "project-administration", "resources", "software", "supervision", "validation",
    "visualization", "writing-original-draft", "writing-review-editing"})

# What an article can hold that the deposit cannot carry: kind -> how a note names it.
LEFT_OUT = {
    "extra-titles": f"titles beyond the first {MAX_TITLES}",
    "title-languages": "the language of each title (Crossref titles have none; the original comes first)",
    "group-author-extras": "a group author's other names, ORCID, affiliations, roles and e-mail",
    "affiliation-extras": "affiliation names in other languages and countries",
    "email": "contributor e-mail addresses and the corresponding-author flag",
    "name-order": "the printed order of names (family name first)",
    "received": "the date received",
    "funding-statements": "funding statements (only funders and award numbers are deposited)",
    "funder-languages": "funder names in other languages",
    "license-month": "a licence start date without a day (Crossref needs a full date)",
    "pmcid": "PubMed Central IDs (PMCID; the PMID is deposited as a publisher_item identifier)",
    "short_title": "short titles",
    "note": "an article's note",
    "accessed": "the date a landing page was accessed",
    "reference-extras": "the language, publisher and URL of references, their publisher's place, access date and "
                        "conference name, and the site or repository of web pages, datasets and the like",
    "reference-refused": "a reference's ISBN, ISSN or edition in a form the schema refuses (edition_number holds "
                         "a number only, such as 3)",
    "reference-more": "a reference's authors after the first and its last page (the printed text keeps them)",
    "published-beside-online": "the publication date beside the online date of an electronic-only journal's "
                               "article (its online date, dates.online, is deposited)",
    "keywords": "keywords",
    "section": "the section",
    "citations": "in-text citation numbers",
}

# Article fields the deposit has no element for at all, checked after each article (in this order).
ARTICLE_LEFT_OUT: tuple[tuple[str, Callable[[Article], object]], ...] = (
    ("keywords", lambda article: article.keywords),
    ("section", lambda article: article.section),
    ("citations", lambda article: article.citations),
)


def issn_media(journal: Journal) -> list[tuple[str, bool]]:
    """Each ISSN's medium ("print" or "electronic") and whether it is assumed: an ISSN that does not say takes the
    medium no other ISSN has, print first (a deposit's default), since a journal has one ISSN per medium."""
    taken = {issn.media for issn in journal.issns}
    media: list[tuple[str, bool]] = []
    for issn in journal.issns:
        if issn.media:
            media.append((issn.media, False))
        else:
            guess = "electronic" if "print" in taken else "print"
            taken.add(guess)
            media.append((guess, True))
    return media


def online_only(journal: Journal) -> bool:
    """An electronic-only journal: it has ISSNs and every one is (or is taken as) the electronic ISSN."""
    media = issn_media(journal)
    return bool(media) and all(medium == "electronic" for medium, _ in media)


def medium_assumed(journal: Journal) -> bool:
    """Whether the journal's medium rests on an assumed ISSN medium: one does not say, and none says print."""
    media = issn_media(journal)
    return any(assumed for _, assumed in media) and not any(m == "print" and not a for m, a in media)


def article_dates(journal: Journal, dates: ArticleDates) -> list[tuple[PartialDate, str]]:
    """An article's publication dates with their medium ("print" or "electronic"): ``published`` in the journal's
    medium, ``online`` electronic. An electronic-only journal has one electronic date: ``online`` when both are
    given (the first appearance online), and ``published`` is left out (``published-beside-online``)."""
    medium = "electronic" if online_only(journal) else "print"
    published = dates.published if not (dates.online and medium == "electronic") else None
    return [(date, kind) for date, kind in ((published, medium), (dates.online, "electronic")) if date]


def _first_author(reference: Reference) -> str:
    return reference.authors[0].split(",")[0].strip()


def _first_page(reference: Reference) -> str:
    return str(reference.pages).split("-")[0].split("–")[0].strip()


def citation_roles(kind: str | None) -> tuple[str, str | None]:
    """The ``citation`` elements for a reference's title and its container, by type (Crossref's reference
    deposit docs): a chapter or conference paper is an ``article_title`` in the book or proceedings
    (``volume_title``); a book, report, thesis or proceedings is the ``volume_title``, in a ``series_title``;
    web pages, datasets and the like have a title and no element for their site or repository (None)."""
    if kind in WHOLE_WORKS:
        return "volume_title", "series_title"
    if kind in ("book_chapter", "conference_paper"):
        return "article_title", "volume_title"
    if kind == "journal":
        return "journal_title", None
    if kind in ("web_resource", "dataset", "software", "standard", "patent", "blog", "blog_post", "poster"):
        return "article_title", None
    return "article_title", "journal_title"


# What the schema takes (isbn_t, issn_t, edition_number): a value that does not fit is left out and noted.
_FITS = {"isbn": re.compile(r"(97(8|9)-)?\d[\d \-]+[\dX]"), "issn": re.compile(r"\d{4}-?\d{3}[\dX]"),
         "edition_number": re.compile(r"[0-9]{1,15}|[IVXLCDMivxlcdm]{1,15}")}
_LENGTHS = {"isbn": range(10, 18), "issn": range(8, 10), "edition_number": range(1, 16)}

# A reference -> the children of its <citation> (order is free: citation_t is an xsd:all): (element, the
# reference's field that makes it present, the field a problem points at (None: not worth pointing at), the
# value). Title and container take their element from ``citation_roles``; "title"/"container" stand for them.
CITATION_FIELDS: tuple[tuple[str, str, str | None, Callable[[Reference], str | None]], ...] = (
    ("container", "container", "container", lambda r: r.container),
    ("issn", "issn", "issn", lambda r: r.issn),
    ("author", "authors", "authors", _first_author),
    ("volume", "volume", "volume", lambda r: r.volume),
    ("issue", "issue", "issue", lambda r: r.issue),
    ("first_page", "pages", "pages", _first_page),
    ("cYear", "year", "year", lambda r: r.year),
    ("doi", "doi", None, lambda r: r.doi),
    ("isbn", "isbn", "isbn", lambda r: r.isbn),
    ("edition_number", "edition", "edition", lambda r: r.edition),
    ("title", "title", "title", lambda r: r.title),
    ("unstructured_citation", "text", "text", lambda r: r.text),
)
CITATION_ELEMENTS = ("journal_title", "article_title", "volume_title", "series_title",
                     *(name for name, *_ in CITATION_FIELDS if name not in ("title", "container")))


def _fits(element: str, value: str) -> bool:
    pattern = _FITS.get(element)
    return pattern is None or (bool(pattern.fullmatch(value.strip())) and len(value.strip()) in _LENGTHS[element])


def citation_values(reference: Reference) -> list[tuple[str, str, str | None]]:
    """What a ``citation`` holds: (element, value, the field a problem points at). An ISBN, ISSN or edition the
    schema would refuse is not among them (``citation_refused``), nor a container with no element."""
    roles = dict(zip(("title", "container"), citation_roles(reference.type), strict=True))
    values = []
    for element, field, pointed, value_of in CITATION_FIELDS:
        name = roles.get(element, element)
        if name and getattr(reference, field) and (value := value_of(reference)) is not None and _fits(name, value):
            values.append((name, value.strip() if name in _FITS else value, pointed))
    return values


def citation_refused(reference: Reference) -> bool:
    """Whether the reference has an ISBN, ISSN or edition the schema would refuse (so left out)."""
    pairs = (("isbn", reference.isbn), ("issn", reference.issn), ("edition_number", reference.edition))
    return any(value and not _fits(element, value) for element, value in pairs)
