"""The manifest's shape, declared once: the reader and writer (manifest.py) and the published
JSON Schema are all driven by these declarations, so they cannot drift apart."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from . import ids, model

LANG_PATTERN = r"^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?(-([A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*$"
DATE_PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"


@dataclass(frozen=True)
class Kind:
    """What a field holds."""


@dataclass(frozen=True)
class Text(Kind):
    """A non-empty string. Numbers and dates typed without quotes are taken as printed."""


@dataclass(frozen=True)
class Integer(Kind):
    """A whole number, optionally within ``minimum`` and ``maximum``."""

    minimum: int | None = None
    maximum: int | None = None


@dataclass(frozen=True)
class Boolean(Kind):
    """true or false."""


@dataclass(frozen=True)
class Date(Kind):
    """YYYY, YYYY-MM or YYYY-MM-DD."""


@dataclass(frozen=True)
class Choice(Kind):
    """One of a fixed set of strings."""

    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class Identifier(Kind):
    """A string checked and normalised by a function of ``ids``."""

    check: Callable[[str], ids.IdCheck] = ids.doi
    example: str = ""


@dataclass(frozen=True)
class MultiText(Kind):
    """``{language tag: text}``."""


@dataclass(frozen=True)
class Keywords(Kind):
    """``{language tag: [keyword, ...]}``."""


@dataclass(frozen=True)
class ListOf(Kind):
    """A list of values of one kind."""

    item: Kind = field(default_factory=Text)


@dataclass(frozen=True)
class Object(Kind):
    """An object declared in ``OBJECTS`` under ``name``."""

    name: str = ""


@dataclass(frozen=True)
class ByLanguage(Kind):
    """``{language tag: object}`` (names per language/script)."""

    item: Object = Object()


@dataclass(frozen=True)
class Field:
    """A key of an object: what it holds, its description (in the schema too), whether it is required."""

    key: str
    kind: Kind
    doc: str = ""
    required: bool = False
    default: Any = None


@dataclass(frozen=True)
class _ObjectSpec:
    name: str
    build: Callable[..., Any]
    fields: tuple[Field, ...]
    doc: str = ""


LANG = Identifier(ids.language_tag, "kk")

OBJECTS: dict[str, _ObjectSpec] = {}


def _define(name: str, build: Callable[..., Any], doc: str, *fields: Field) -> None:
    OBJECTS[name] = _ObjectSpec(name, build, fields, doc)


_define("PersonName", model.PersonName, "A person's name as printed in one language or script.",
        Field("family", Text(), "Family name (surname) as printed.", required=True),
        Field("given", Text(), "Given name(s) or initials as printed."),
        Field("suffix", Text(), "What follows the name, part of neither the family nor the given name, as printed: "
              "Jr., Sr., III."),
        Field("order", Choice(values=model.NAME_ORDERS), "Printed order of the parts.", default="given-first"))
_define("Affiliation", model.Affiliation, "An institution the contributor belongs to.",
        Field("name", MultiText(), "Institution name by language.", required=True),
        Field("ror", Identifier(ids.ror, "https://ror.org/05dxps055"), "ROR ID of the institution."),
        Field("country", Text(), "ISO 3166-1 country code, such as KZ."))
_define("Contributor", model.Contributor, "An author, editor, ... : a person or an organisation.",
        Field("role", Choice(values=model.CONTRIBUTOR_ROLES), "Contributor role.", default="author"),
        Field("names", ByLanguage(Object("PersonName")), "The name as printed in each language/script."),
        Field("organization", MultiText(), "A group author's name by language (instead of names)."),
        Field("orcid", Identifier(ids.orcid, "0000-0002-1825-0097"), "ORCID iD."),
        Field("email", Text(), "E-mail address."),
        Field("corresponding", Boolean(), "Corresponding author.", default=False),
        Field("affiliations", ListOf(Object("Affiliation")), "Affiliations in printed order."),
        Field("credit", ListOf(Text()), "CRediT roles, such as conceptualization."))
_define("Funding", model.Funding, "One funding source of the article.",
        Field("funder", MultiText(), "Funder name by language, as printed."),
        Field("funder_id", Identifier(ids.funder_id, "10.13039/501100004561"),
              "ROR ID or Crossref Funder ID (10.13039/...)."),
        Field("awards", ListOf(Text()), "Award / grant numbers as printed."),
        Field("statement", MultiText(), "The funding statement as printed, by language."))
_ISBN_PREFIX = re.compile(r"^ISBN(?:-1[03])?:?\s*", re.IGNORECASE)


def isbn(raw: str) -> ids.IdCheck:
    """An ISBN-10 or ISBN-13 with its check digit verified, hyphens kept as printed (spaces become hyphens)."""
    text = "-".join(_ISBN_PREFIX.sub("", str(raw).strip()).upper().split())
    digits = text.replace("-", "")
    if not re.fullmatch(r"[0-9]{9}[0-9X]|97[89][0-9]{10}", digits):
        return ids.IdCheck(None, "isbn.syntax", f"{raw!r} is not an ISBN: write its 13 digits (or the 10 of an "
                           "older one), hyphens allowed, such as 978-0-306-40615-7")
    if len(digits) == 10:
        ok = sum((10 - n) * (10 if d == "X" else int(d)) for n, d in enumerate(digits)) % 11 == 0
    else:
        ok = sum((3 if n % 2 else 1) * int(d) for n, d in enumerate(digits)) % 10 == 0
    if not ok:
        return ids.IdCheck(None, "isbn.checksum", f"the ISBN {raw!r} has a wrong check digit: check it against "
                           "the book's imprint page")
    printed = len(text) <= 17 and re.fullmatch(r"[0-9]+(-[0-9X]+)*", text)  # as Crossref's isbn_t takes it
    return ids.IdCheck(text if printed else digits)


_PMID_PREFIX = re.compile(r"^(?:PMID:?\s*|https?://pubmed\.ncbi\.nlm\.nih\.gov/)", re.IGNORECASE)


def pmid(raw: str) -> ids.IdCheck:
    """A PubMed ID: digits only (a ``PMID:`` prefix or a pubmed.ncbi.nlm.nih.gov URL is taken off)."""
    text = _PMID_PREFIX.sub("", str(raw).strip()).rstrip("/")
    if not re.fullmatch(r"[1-9][0-9]{0,9}", text):
        return ids.IdCheck(None, "pmid.syntax", f"{raw!r} is not a PubMed ID (PMID): write its digits only, "
                           "such as 31452104")
    return ids.IdCheck(text)


def pmcid(raw: str) -> ids.IdCheck:
    """A PubMed Central ID: ``PMC`` and digits (the letters in capitals)."""
    text = str(raw).strip()
    if not re.fullmatch(r"PMC[1-9][0-9]{0,9}", text, re.IGNORECASE):
        return ids.IdCheck(None, "pmcid.syntax", f"{raw!r} is not a PubMed Central ID (PMCID): write PMC and its "
                           "digits, such as PMC6713934")
    return ids.IdCheck(text.upper())


_define("Reference", model.Reference, "One entry of the reference list.",
        Field("label", Text(), "Its number or label as printed."),
        Field("text", Text(), "The reference as printed."),
        Field("language", LANG, "Language of the cited work."),
        Field("doi", Identifier(ids.doi, "10.1234/abc"), "DOI of the cited work."),
        Field("type", Choice(values=model.REFERENCE_TYPES), "Kind of work (Crossref's citation types): "
              "journal_article, book, book_chapter, conference_paper, report, dissertation, web_resource, ..."),
        Field("authors", ListOf(Text()), "Authors, 'Family, Given'."),
        Field("title", Text(), "Title of the cited work (the chapter's, the paper's, the book's, the page's)."),
        Field("container", Text(), "What it appeared in: the journal of an article, the book of a chapter, the "
              "proceedings of a conference paper, the site of a web page, the repository of a dataset, the series "
              "of a book, report or thesis."),
        Field("year", Text(), "Year of publication."),
        Field("volume", Text(), "Volume."),
        Field("issue", Text(), "Issue."),
        Field("pages", Text(), "Pages."),
        Field("edition", Text(), "Edition, as a number where it has one (3, not 'third edition')."),
        Field("publisher", Text(), "Publisher (the university, for a thesis; the institution, for a report)."),
        Field("place", Text(), "Where the publisher is (city)."),
        Field("isbn", Identifier(isbn, "978-0-306-40615-7"), "ISBN of the book (or of the book a chapter is in)."),
        Field("issn", Identifier(ids.issn, "2788-5860"), "ISSN of the journal or series."),
        Field("conference", Text(), "Name of the conference, for a conference paper or proceedings."),
        Field("url", Text(), "URL."),
        Field("accessed", Date(), "Date the URL was last accessed (web pages, datasets)."))
_define("Pages", model.Pages, "Where the article is in the issue.",
        Field("first", Text(), "First page as printed."),
        Field("last", Text(), "Last page as printed."),
        Field("article_number", Text(), "Article number, for journals without pages."))
_define("ArticleDates", model.ArticleDates, "Dates in the article's history.",
        Field("published", Date(), "Publication date (print)."),
        Field("online", Date(), "Publication date (online)."),
        Field("received", Date(), "Date received."),
        Field("accepted", Date(), "Date accepted."))
_define("License", model.License, "The article's licence.",
        Field("url", Text(), "Licence URL, such as https://creativecommons.org/licenses/by/4.0/.", required=True),
        Field("start", Date(), "Date from which the licence applies."))
_define("Article", model.Article, "One article of the issue.",
        Field("doi", Identifier(ids.doi, "10.52536/2788-5860.2025.86.2.001"),
              "The article's DOI; assigned from issue.doi_pattern when left out."),
        Field("language", LANG, "The article's original language.", required=True),
        Field("section", MultiText(), "Journal section (rubric) by language."),
        Field("titles", MultiText(), "Titles by language, as printed.", required=True),
        Field("abstracts", MultiText(), "Abstracts by language."),
        Field("keywords", Keywords(), "Keywords by language."),
        Field("contributors", ListOf(Object("Contributor")), "Authors and others, in printed order."),
        Field("pages", Object("Pages"), "Pages or article number."),
        Field("dates", Object("ArticleDates"), "Dates."),
        Field("funding", ListOf(Object("Funding")), "Funding sources."),
        Field("license", Object("License"), "Licence."),
        Field("url", Text(), "Landing page URL."),
        Field("citations", ListOf(Integer(minimum=1)), "In-text citation numbers found in the body."),
        Field("short_title", MultiText(), "Short titles by language (a running head, a reference manager's "
              "short title)."),
        Field("pmid", Identifier(pmid, "31452104"), "PubMed ID (PMID): digits only."),
        Field("pmcid", Identifier(pmcid, "PMC6713934"), "PubMed Central ID (PMCID): PMC and digits."),
        Field("note", Text(), "A note about the article, as a reference manager keeps it."),
        Field("accessed", Date(), "Date the landing page was last accessed."),
        Field("references", ListOf(Object("Reference")), "The reference list in printed order."))
_define("Issn", model.Issn, "An ISSN and the medium it belongs to.",
        Field("value", Identifier(ids.issn, "2788-5860"), "The ISSN.", required=True),
        Field("media", Choice(values=model.ISSN_MEDIA), "print or electronic, when known."))
_define("Publisher", model.Publisher, "The journal's publisher.",
        Field("name", MultiText(), "Publisher name by language.", required=True),
        Field("place", MultiText(), "Place of publication by language."))
_define("Journal", model.Journal, "The journal.",
        Field("titles", MultiText(), "Journal titles by language; the journal language's one is the master title.",
              required=True),
        Field("language", LANG, "The journal's main language."),
        Field("abbreviation", Text(), "Abbreviated title."),
        Field("issns", ListOf(Object("Issn")), "ISSNs."),
        Field("publisher", Object("Publisher"), "Publisher."),
        Field("doi_prefix", Identifier(ids.doi_prefix_check, "10.52536"), "The journal's DOI prefix."))
_define("Depositor", model.Depositor, "Who sends deposits to Crossref.",
        Field("name", Text(), "Depositor name.", required=True),
        Field("email", Text(), "Depositor e-mail.", required=True))
_define("Settings", model.Settings, "Publisher settings: how to deposit and cite, not facts of the printed issue.",
        Field("depositor", Object("Depositor"), "Depositor."),
        Field("registrant", Text(), "Registrant (the organisation that owns the DOIs)."),
        Field("landing_page_pattern", Text(), "Landing page URL pattern; placeholders {doi} {suffix} {seq}."),
        Field("citation_style", Text(), "The journal's citation style for `biblio cite`: a style name (`biblio "
              "styles`) or a .csl file, a relative path being taken from the manifest's folder."))


def _issue_without_journal(**fields: Any) -> model.Issue:
    """The manifest keeps the journal beside the issue; the loader attaches it afterwards."""
    return model.Issue(journal=cast(model.Journal, None), **fields)  # a placeholder until then


_define("Issue", _issue_without_journal, "The issue.",
        Field("year", Integer(minimum=1000, maximum=9999), "Year of the issue.", required=True),
        Field("number", Text(), "Issue number as printed."),
        Field("whole_number", Text(), "Running (whole) number, the '(86)' of '№ 2 (86)'."),
        Field("volume", Text(), "Volume, if the journal has volumes."),
        Field("published", Date(), "Publication date of the issue."),
        Field("doi", Identifier(ids.doi, "10.52536/2788-5860.2025.86.2"), "The issue's own DOI."),
        Field("title", MultiText(), "Issue title by language (special issues)."),
        Field("doi_pattern", Text(),
              "How missing article DOIs are made: placeholders {prefix} {year} {volume} {number} "
              "{whole_number} {seq} {seq:03}."))

MANIFEST_VERSION = 1
TOP_FIELDS: tuple[Field, ...] = (
    Field("biblio", Integer(minimum=1, maximum=1), "Manifest format version (1).", required=True),
    Field("journal", Object("Journal"), "The journal.", required=True),
    Field("issue", Object("Issue"), "The issue.", required=True),
    Field("articles", ListOf(Object("Article")), "The articles in printed order.", required=True),
    Field("settings", Object("Settings"), "Publisher settings."),
)


# --- JSON Schema ----------------------------------------------------------------

def _kind_schema(kind: Kind, doc: str = "") -> dict[str, Any]:
    schema: dict[str, Any]
    if isinstance(kind, Text):
        schema = {"type": ["string", "number"], "minLength": 1}
    elif isinstance(kind, Integer):
        schema = {"type": "integer"}
        if kind.minimum is not None:
            schema["minimum"] = kind.minimum
        if kind.maximum is not None:
            schema["maximum"] = kind.maximum
    elif isinstance(kind, Boolean):
        schema = {"type": "boolean"}
    elif isinstance(kind, Date):
        schema = {"type": ["string", "integer"], "pattern": DATE_PATTERN}
    elif isinstance(kind, Choice):
        schema = {"enum": list(kind.values)}
    elif isinstance(kind, Identifier):
        schema = {"type": "string", "minLength": 1}
        if kind.example:
            schema["examples"] = [kind.example]
    elif isinstance(kind, MultiText):
        schema = {"type": "object", "minProperties": 1, "propertyNames": {"pattern": LANG_PATTERN},
                  "additionalProperties": {"type": "string", "minLength": 1}}
    elif isinstance(kind, Keywords):
        schema = {"type": "object", "propertyNames": {"pattern": LANG_PATTERN},
                  "additionalProperties": {"type": "array", "items": {"type": "string", "minLength": 1}}}
    elif isinstance(kind, ListOf):
        schema = {"type": "array", "items": _kind_schema(kind.item)}
    elif isinstance(kind, ByLanguage):
        schema = {"type": "object", "minProperties": 1, "propertyNames": {"pattern": LANG_PATTERN},
                  "additionalProperties": _kind_schema(kind.item)}
    elif isinstance(kind, Object):
        schema = {"$ref": f"#/$defs/{kind.name}"}
    else:  # pragma: no cover - a new kind without a schema is a programming error
        raise TypeError(f"no JSON Schema for {kind!r}")
    if doc:
        schema = {"description": doc, **schema} if "$ref" not in schema else {"description": doc, "allOf": [schema]}
    return schema


def _object_schema(fields: tuple[Field, ...], doc: str) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "description": doc, "properties": {
        f.key: _kind_schema(f.kind, f.doc) for f in fields}, "additionalProperties": False}
    required = [f.key for f in fields if f.required]
    if required:
        schema["required"] = required
    return schema


def json_schema() -> dict[str, Any]:
    """The manifest's JSON Schema (draft 2020-12), generated from the declarations above."""
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://biblio.example.org/schemas/manifest-1.json", "title": "biblio issue manifest",
            **_object_schema(TOP_FIELDS, "A biblio issue manifest: one journal issue and its articles."),
            "$defs": {name: _object_schema(spec.fields, spec.doc) for name, spec in sorted(OBJECTS.items())}}
