"""The Crossref 5.5.0 field mapping: what a deposit cannot carry (``LEFT_OUT``, ``ARTICLE_LEFT_OUT``) and
how a reference becomes a ``citation`` (``CITATION_FIELDS``), shared by ``write.py`` and the property
test; and the medium of ISSNs and dates (``issn_media``, ``article_dates``), which JATS follows too. There is
no Crossref reader: a deposit is written, never read back into the model.
"""

from __future__ import annotations

from collections.abc import Callable

from ...model import Article, ArticleDates, Journal, PartialDate, Reference

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

CITATION_TYPES = frozenset({
    "blog", "blog_post", "book", "book_chapter", "collection", "conference_paper", "conference_proceedings",
    "dataset", "dissertation", "journal", "journal_article", "other", "patent", "peer_review", "poster",
    "preprint", "protocol", "registered_report", "report", "software", "standard", "web_resource"})
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
    "reference-extras": "the language, publisher and URL of references",
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


# A reference -> the children of its <citation>, in the schema's order: (element, the reference's
# field that makes it present, the field a problem points at (None: not worth pointing at), the value).
CITATION_FIELDS: tuple[tuple[str, str, str | None, Callable[[Reference], str | None]], ...] = (
    ("journal_title", "container", "container", lambda r: r.container),
    ("author", "authors", "authors", _first_author),
    ("volume", "volume", "volume", lambda r: r.volume),
    ("issue", "issue", "issue", lambda r: r.issue),
    ("first_page", "pages", "pages", _first_page),
    ("cYear", "year", "year", lambda r: r.year),
    ("doi", "doi", None, lambda r: r.doi),
    ("article_title", "title", "title", lambda r: r.title),
    ("unstructured_citation", "text", "text", lambda r: r.text),
)


def citation_values(reference: Reference) -> list[tuple[str, str, str | None]]:
    """What a ``citation`` holds, in order: (element, value, the field a problem points at)."""
    return [(element, value, pointed) for element, field, pointed, value_of in CITATION_FIELDS
            if getattr(reference, field) and (value := value_of(reference)) is not None]
