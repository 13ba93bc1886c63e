"""The issue model: typed values with equality, and no I/O.

Everything format-specific lives in the format modules; everything that more than one writer needs (which language to
use, how a name is printed) lives here or in a shared helper, so that the writers agree with each other.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

NameOrder = Literal["given-first", "family-first"]
ContributorRole = Literal["author", "editor", "chair", "translator", "reviewer"]
CONTRIBUTOR_ROLES: tuple[str, ...] = ("author", "editor", "chair", "translator", "reviewer")
NAME_ORDERS: tuple[str, ...] = ("given-first", "family-first")
ISSN_MEDIA: tuple[str, ...] = ("print", "electronic")


@dataclass
class LangText(Mapping[str, str]):
    """Text in several languages: ``{language tag: text}``, with an original language.

    The original is the language the text was written in (the article's language);
    the others are translations. A read-only mapping from language tag to text that
    iterates the original first; key order is not significant for equality.
    """

    texts: dict[str, str] = field(default_factory=dict)
    original: str | None = None

    @classmethod
    def of(cls, texts: dict[str, str], lang: str | None) -> LangText:
        """Texts whose original is ``lang`` when they include it, else the first one given."""
        return cls(texts, lang if lang in texts else next(iter(texts), None))

    def __bool__(self) -> bool:
        return bool(self.texts)

    def __contains__(self, lang: object) -> bool:
        return lang in self.texts

    def __getitem__(self, lang: str) -> str:
        return self.texts[lang]

    def __iter__(self) -> Iterator[str]:
        return iter(self.languages)

    def __len__(self) -> int:
        return len(self.texts)

    @property
    def languages(self) -> list[str]:
        """Languages with the original first, the rest in the order they were given."""
        langs = list(self.texts)
        if self.original in self.texts:
            langs.remove(self.original)
            langs.insert(0, self.original)
        return langs

    @property
    def main(self) -> str | None:
        """The text in the original language, or the first one given."""
        langs = self.languages
        return self.texts[langs[0]] if langs else None


_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


@dataclass
class PartialDate:
    """A date known to the year, the month or the day, as printed (``2025``, ``2025-06``)."""

    year: int
    month: int | None = None
    day: int | None = None

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text

    @classmethod
    def parse(cls, text: str) -> PartialDate | None:
        """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (ASCII digits) with a real calendar date, else None."""
        return cls.read(text)[0]

    @classmethod
    def read(cls, text: str) -> tuple[PartialDate | None, str]:
        """Like ``parse``; for text shaped like a date that is none, also why ("month 00 does not exist")."""
        match = _DATE.fullmatch(text.strip())
        if not match:
            return None, ""
        year, month, day = (int(part) if part else None for part in match.groups())
        try:
            datetime.date(year or 0, 1 if month is None else month, 1 if day is None else day)
        except ValueError:
            part = (f"year {match[1]}" if not year else f"month {match[2]}" if not 1 <= (month or 0) <= 12 else
                    f"day {match[3]} of {match[1]}-{match[2]}")
            return None, f"{part} does not exist"
        return cls(year or 0, month, day), ""


@dataclass
class PersonName:
    """A person's name as printed in one language or script. ``suffix``: what follows the name and is part of
    neither the family nor the given name (``Jr.``, ``III``), as printed."""

    family: str
    given: str | None = None
    order: NameOrder = "given-first"
    suffix: str | None = None

    @property
    def printed(self) -> str:
        """The name in its printed order (``Мурат Насимов`` or ``Насимов Мурат``), the suffix last
        (``Martin Luther King Jr.``)."""
        parts = [self.given, self.family] if self.order == "given-first" else [self.family, self.given]
        return " ".join(part for part in [*parts, self.suffix] if part)


@dataclass
class Affiliation:
    """An institution a contributor belongs to: its name by language, ROR ID and country code."""

    name: LangText = field(default_factory=LangText)
    ror: str | None = None
    country: str | None = None


@dataclass
class Contributor:
    """A person (names by language/script) or an organisation (``organization``)."""

    role: ContributorRole = "author"
    names: dict[str, PersonName] = field(default_factory=dict)
    organization: LangText | None = None
    orcid: str | None = None
    email: str | None = None
    corresponding: bool = False
    affiliations: list[Affiliation] = field(default_factory=list)
    credit: list[str] = field(default_factory=list)


@dataclass
class Funding:
    """One source of an article's funding: the funder's name by language and ID, award numbers, the statement."""

    funder: LangText = field(default_factory=LangText)
    funder_id: str | None = None
    awards: list[str] = field(default_factory=list)
    statement: LangText = field(default_factory=LangText)


# The kinds of cited work: Crossref's citation types (its 5.5.0 schema), which every format maps from.
REFERENCE_TYPES: tuple[str, ...] = (
    "journal_article", "book", "book_chapter", "conference_paper", "conference_proceedings", "report",
    "dissertation", "web_resource", "dataset", "software", "standard", "patent", "preprint", "journal", "blog",
    "blog_post", "collection", "peer_review", "poster", "protocol", "registered_report", "other")
# Types whose title names the whole published volume (a book, not a part of one); their container is the series.
WHOLE_WORKS = frozenset({"book", "conference_proceedings", "report", "dissertation", "collection"})


@dataclass
class Reference:
    """One entry of a reference list: the printed text plus what is known structurally. ``container`` is the
    work this one appeared in: the journal of an article, the book of a chapter, the proceedings of a conference
    paper, the site of a web page, the repository of a dataset, the series of a book, report or thesis."""

    text: str | None = None
    label: str | None = None
    language: str | None = None
    doi: str | None = None
    type: str | None = None
    authors: list[str] = field(default_factory=list)
    title: str | None = None
    container: str | None = None
    year: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    publisher: str | None = None
    url: str | None = None
    isbn: str | None = None
    issn: str | None = None
    edition: str | None = None
    place: str | None = None  # where the publisher is
    conference: str | None = None  # the conference's name, for a paper or proceedings
    accessed: PartialDate | None = None  # when a URL was last seen


@dataclass
class Pages:
    """Where an article sits in the issue: first and last page, or an article number."""

    first: str | None = None
    last: str | None = None
    article_number: str | None = None


@dataclass
class ArticleDates:
    """The dates of an article's history; ``published`` falls back to the issue's date."""

    published: PartialDate | None = None
    online: PartialDate | None = None
    received: PartialDate | None = None
    accepted: PartialDate | None = None


@dataclass
class License:
    """The licence an article is published under (its URL) and the date it applies from."""

    url: str
    start: PartialDate | None = None


@dataclass
class Article:
    """One article: its language (the original of its texts), titles, abstracts and keywords by language, contributors,
    pages, dates, funding, licence and references. ``doi`` may come from the issue's ``doi_pattern``
    (``doi_from_pattern``); ``citations`` numbers the references the article cites, in order. ``pmid``, ``pmcid``,
    ``short_title``, ``note`` and ``accessed`` are what reference managers keep about an article."""

    language: str
    titles: LangText
    doi: str | None = None
    doi_from_pattern: bool = False
    section: LangText | None = None
    abstracts: LangText = field(default_factory=LangText)
    keywords: dict[str, list[str]] = field(default_factory=dict)
    contributors: list[Contributor] = field(default_factory=list)
    pages: Pages | None = None
    dates: ArticleDates = field(default_factory=ArticleDates)
    funding: list[Funding] = field(default_factory=list)
    license: License | None = None
    references: list[Reference] = field(default_factory=list)
    url: str | None = None
    citations: list[int] = field(default_factory=list)
    pmid: str | None = None  # PubMed ID: digits
    pmcid: str | None = None  # PubMed Central ID: PMC and digits
    short_title: LangText | None = None  # the short form of the title, by language
    note: str | None = None  # a free note about the article, as given
    accessed: PartialDate | None = None  # when the landing page was last seen

    @property
    def languages(self) -> list[str]:
        """Every language the article has a title, abstract or keywords in; original first."""
        seen = [self.language]
        for lang in [*self.titles.texts, *self.abstracts.texts, *self.keywords]:
            if lang not in seen:
                seen.append(lang)
        return seen


@dataclass
class Issn:
    """An ISSN and the medium it identifies (``print`` or ``electronic``; None when unknown)."""

    value: str
    media: str | None = None  # "print" | "electronic" | None when the source does not say


@dataclass
class Publisher:
    """The journal's publisher: its name and place by language."""

    name: LangText
    place: LangText | None = None


@dataclass
class Journal:
    """The journal: titles by language, its main language, abbreviation, ISSNs, publisher and DOI prefix."""

    titles: LangText
    language: str | None = None
    abbreviation: str | None = None
    issns: list[Issn] = field(default_factory=list)
    publisher: Publisher | None = None
    doi_prefix: str | None = None


@dataclass
class Depositor:
    """Who deposits with Crossref: the name and e-mail address Crossref writes back to."""

    name: str
    email: str


@dataclass
class Settings:
    """Publisher settings: facts about the deposit, not about the printed issue."""

    depositor: Depositor | None = None
    registrant: str | None = None
    landing_page_pattern: str | None = None
    citation_style: str | None = None  # the journal's CSL style for ``biblio cite``: a name or a .csl file


@dataclass
class Issue:
    """One issue of a journal, the root of the model: the journal, the issue's numbering and date, its articles, a DOI
    pattern that gives articles their DOIs, and deposit settings. Made by ``biblio.load`` from a manifest, by a reader,
    or in code (``biblio.prepare`` then derives what a manifest load would)."""

    journal: Journal
    year: int
    articles: list[Article] = field(default_factory=list)
    number: str | None = None
    whole_number: str | None = None
    volume: str | None = None
    published: PartialDate | None = None
    doi: str | None = None
    title: LangText | None = None
    doi_pattern: str | None = None
    settings: Settings | None = None
