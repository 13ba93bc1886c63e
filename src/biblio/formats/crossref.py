"""Crossref deposit XML, schema 5.5.0: one ``doi_batch`` for an issue (or some of its articles).

Mapping decisions (design.md §4): one master journal title; up to 20 ``titles`` per
article, original language first (Crossref cannot tag a title's language); Latin
given/surname with the other scripts as ``alt-name``; one ``jats:abstract`` per language;
funding as ``fr:program``, the licence as ``ai:program``; references as ``citation`` with
the printed text, DOI and type. Whatever the model holds that the deposit cannot carry is
reported as a ``crossref.not-carried`` note, never dropped silently.
"""

from __future__ import annotations

import datetime
import io
import itertools
import re
from pathlib import Path
from typing import BinaryIO, ClassVar

from lxml import etree

from .. import derive, ids
from ..fileio import read_head
from ..model import Article, Contributor, Issue, PartialDate, Reference
from ..problems import Problem, article_numbers
from . import xmltools
from .xmltools import Element

VERSION = "5.5.0"
NS = f"http://www.crossref.org/schema/{VERSION}"
JATS = "http://www.ncbi.nlm.nih.gov/JATS1"
FR = "http://www.crossref.org/fundref.xsd"
AI = "http://www.crossref.org/AccessIndicators.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA_LOCATION = f"{NS} https://www.crossref.org/schemas/crossref{VERSION}.xsd"
NSMAP = {None: NS, "jats": JATS, "fr": FR, "ai": AI, "xsi": XSI}
FILE_NAME = "crossref.xml"

MAX_TITLES = 20
CITATION_TYPES = frozenset({
    "blog", "blog_post", "book", "book_chapter", "collection", "conference_paper", "conference_proceedings",
    "dataset", "dissertation", "journal", "journal_article", "other", "patent", "peer_review", "poster",
    "preprint", "protocol", "registered_report", "report", "software", "standard", "web_resource"})
CREDIT_ROLES = frozenset({
    "conceptualization", "data-curation", "formal-analysis", "funding-acquisition", "investigation",
    "methodology", "project-administration", "resources", "software", "supervision", "validation",
    "visualization", "writing-original-draft", "writing-review-editing"})

_last_timestamp = 0


def next_timestamp() -> int:
    """``YYYYMMDDhhmmssSSS`` (UTC, milliseconds): 17 digits, strictly increasing in this process.

    Crossref keeps a deposit only when its timestamp is larger than the last one it has for
    the same DOI. Its own web tools and OJS write at most 17 digits, so a longer stamp from
    biblio would make every later correction from those tools look older and be refused.
    Two deposits made within one millisecond still differ: the second takes the next number.
    """
    global _last_timestamp
    now = datetime.datetime.now(datetime.UTC)
    stamp = int(now.strftime("%Y%m%d%H%M%S") + f"{now.microsecond // 1000:03d}")
    _last_timestamp = max(stamp, _last_timestamp + 1)
    return _last_timestamp


TIMESTAMP_DIGITS = 17  # what Crossref's own tools and OJS deposit with


def _q(name: str, namespace: str = NS) -> str:
    return f"{{{namespace}}}{name}"


def _citation_values(reference: Reference) -> list[tuple[str, str, str | None]]:
    """What a ``citation`` holds, in order: (element, value, the reference's field it comes from;
    None where a note would not point at it)."""
    values = []
    if reference.container:
        values.append(("journal_title", reference.container, "container"))
    if reference.authors:
        values.append(("author", reference.authors[0].split(",")[0].strip(), "authors"))
    if reference.volume:
        values.append(("volume", reference.volume, "volume"))
    if reference.issue:
        values.append(("issue", reference.issue, "issue"))
    if reference.pages:
        values.append(("first_page", reference.pages.split("-")[0].split("–")[0].strip(), "pages"))
    if reference.year:
        values.append(("cYear", reference.year, "year"))
    if reference.doi:
        values.append(("doi", reference.doi, None))
    if reference.title:
        values.append(("article_title", reference.title, "title"))
    if reference.text:
        values.append(("unstructured_citation", reference.text, "text"))
    return values


def _citation_text(key: str, kind: str, values: list[tuple[str, str, str | None]], level: int) -> str | None:
    """The ``citation`` element written at ``level`` in one go, or None when a value needs cleaning or
    escaping (then the builder takes the careful way): references are most of a deposit's elements."""
    if xmltools.needs_escaping("".join([value for _, value, _ in values])) or level + 1 >= xmltools.DEEPEST:
        return None
    outer, inner = xmltools.indents(level, 2)
    start = f'{outer}<citation key="{key}" type="{kind}"' if kind else f'{outer}<citation key="{key}"'
    if not values:
        return start + "/>\n"
    lines = [f"{inner}<{name}>{value}</{name}>\n" for name, value, _ in values]
    return f"{start}>\n{''.join(lines)}{outer}</citation>\n"


_CITATION_TAGS = {name: _q(name) for name in (
    "journal_title", "author", "volume", "issue", "first_page", "cYear", "doi", "article_title",
    "unstructured_citation")}
_TITLE, _GIVEN_NAME, _SURNAME, _ROLE, _CITATION = (_q(name) for name in (
    "title", "given_name", "surname", "role", "citation"))
_JATS_P = _q("p", JATS)
_PAGE_RANGE = re.compile(r"\d\s*[-–]\s*\S")

# The end of a pretty-printed batch after the last article; articles are written before it.
_BATCH_END = b"    </journal>\n  </body>\n</doi_batch>\n"
_ARTICLE_LEVEL = 3  # doi_batch/body/journal/journal_article
_DECLARATION = "<?xml version='1.0' encoding='UTF-8'?>\n"


class _Deposit(xmltools.Builder):
    """Builds one doi_batch, collecting problems and what the deposit leaves out."""

    namespace = NS
    prefixes: ClassVar[dict[str | None, str | None]] = {uri: prefix for prefix, uri in NSMAP.items()}

    def __init__(self, issue: Issue, indexes: list[int]):
        super().__init__()
        self.issue = issue
        self.indexes = indexes
        self.dated_from_issue: list[int] = []
        self.no_latin_name: list[int] = []
        self.checked = 0  # problems looked at for errors
        self.error_seen = False

    def date(self, parent: Element, name: str, date: PartialDate, media: str | None = None) -> None:
        element = self.sub(parent, name, media_type=media or "")
        if date.month is not None:
            self.sub(element, "month", f"{date.month:02d}")
            if date.day is not None:
                self.sub(element, "day", f"{date.day:02d}")
        self.sub(element, "year", f"{date.year:04d}")

    # -- the batch -------------------------------------------------------------------

    def start(self, timestamp: int, batch_id: str | None) -> Element:
        """The batch without its articles: head, journal metadata and the issue."""
        root = self.root(_q("doi_batch"), NSMAP, {"version": VERSION})
        root.set("xsi:schemaLocation", SCHEMA_LOCATION)
        self.head(root, timestamp, batch_id)
        journal = self.sub(self.sub(root, "body"), "journal")
        self.journal_metadata(journal)
        self.journal_issue(journal)
        return root

    def stream(self, out: BinaryIO, timestamp: int, batch_id: str | None) -> None:
        """Write the batch to ``out`` one article at a time, in the bytes of the whole batch as one
        pretty-printed tree.

        Each article is built on its own and serialised at the depth it has in the batch, so
        memory holds one article, not the issue. Once a problem is an error
        nothing more is written (the caller discards what was), but every article is still
        checked so that all problems are reported.
        """
        head = (_DECLARATION + xmltools.serialise(self.start(timestamp, batch_id))).encode("utf-8")
        if not head.endswith(_BATCH_END):
            raise AssertionError("unexpected serialisation of the batch head")
        failed = self._failed()
        if not failed:
            out.write(head[:-len(_BATCH_END)])
        for index in self.indexes:
            journal = self.holder(_ARTICLE_LEVEL)
            self.article(journal, index)
            failed = failed or self._failed()
            if not failed:
                out.write(xmltools.serialise(journal.children[0]).encode("utf-8"))  # type: ignore[arg-type]
        self.report_not_carried()
        if not (failed or self._failed()):
            out.write(_BATCH_END)

    def _failed(self) -> bool:
        """Whether a problem so far is an error; each problem is looked at once (asked per article)."""
        if not self.error_seen:
            self.error_seen = any(p.severity == "error" for p in self.problems[self.checked:])
            self.checked = len(self.problems)
        return self.error_seen

    def head(self, root: Element, timestamp: int, batch_id: str | None) -> None:
        head = self.sub(root, "head")
        issue = self.issue
        default_id = "-".join(part for part in ("biblio", str(issue.year), issue.volume, issue.number,
                                                str(timestamp)) if part)
        self.sub(head, "doi_batch_id", (batch_id or default_id)[:100], path="head")
        self.sub(head, "timestamp", str(timestamp))
        settings = issue.settings
        if settings is None or settings.depositor is None:
            self.error("crossref.depositor-missing", "a deposit names its depositor: add settings.depositor "
                       "(name and email) to the manifest", "settings.depositor")
        else:
            depositor = self.sub(head, "depositor")
            self.sub(depositor, "depositor_name", settings.depositor.name, path="settings.depositor.name")
            self.sub(depositor, "email_address", settings.depositor.email, path="settings.depositor.email")
        registrant = settings.registrant if settings else None
        if not registrant and issue.journal.publisher:
            registrant = issue.journal.publisher.name.main
        if registrant:
            self.sub(head, "registrant", registrant, path="settings.registrant")
        else:
            self.error("crossref.registrant-missing", "a deposit names its registrant: add settings.registrant "
                       "or journal.publisher", "settings.registrant")

    def journal_metadata(self, journal: Element) -> None:
        meta_journal = self.issue.journal
        language = ids.primary_language(meta_journal.language) if meta_journal.language else ""
        meta = self.sub(journal, "journal_metadata", language=language)
        titles = meta_journal.titles
        self.sub(meta, "full_title", titles.main, path="journal.titles")
        if len(titles.texts) > 1:
            others = ", ".join(lang for lang in titles.languages[1:])
            self.note("crossref.not-carried", f"Crossref takes one master journal title; the {others} "
                      f"title(s) are not deposited", "journal.titles")
        if meta_journal.abbreviation:
            self.sub(meta, "abbrev_title", meta_journal.abbreviation, path="journal.abbreviation")
        for issn in meta_journal.issns:
            self.sub(meta, "issn", issn.value, media_type=issn.media or "print")
        if meta_journal.publisher and (meta_journal.publisher.place or self.issue.settings is None
                                       or self.issue.settings.registrant):
            self.note("crossref.not-carried", "a journal deposit has no place for the publisher's name and "
                      "place (only the registrant is named)", "journal.publisher")

    def journal_issue(self, journal: Element) -> None:
        issue = self.issue
        element = self.sub(journal, "journal_issue")
        if issue.title:
            titles = self.sub(element, "titles")
            self.sub(titles, "title", issue.title.main, path="issue.title")
            if len(issue.title.texts) > 1:
                self.note("crossref.not-carried", "an issue takes one title in Crossref; only the "
                          f"{issue.title.languages[0]} one is deposited", "issue.title")
        self.date(element, "publication_date", issue.published or PartialDate(issue.year), "print")
        if issue.volume:
            self.sub(self.sub(element, "journal_volume"), "volume", issue.volume, path="issue.volume")
        if issue.number:
            self.sub(element, "issue", issue.number, path="issue.number")
        if issue.whole_number:
            self.note("crossref.not-carried", f"Crossref has no place for the whole number ({issue.whole_number}); "
                      "the deposit carries the issue number only", "issue.whole_number")
        if issue.doi:
            url = derive.issue_landing_page(issue)
            if url:
                data = self.sub(element, "doi_data")
                self.sub(data, "doi", issue.doi)
                self.sub(data, "resource", url)
            else:
                self.error("crossref.url-missing", "the issue DOI needs a landing page: give "
                           "settings.landing_page_pattern without {seq}", "issue.doi")

    # -- articles --------------------------------------------------------------------

    def article(self, journal: Element, index: int) -> None:
        article = self.issue.articles[index]
        path = f"articles[{index}]"
        element = self.sub(journal, "journal_article", publication_type="full_text",
                           language=ids.primary_language(article.language))
        self.titles(element, article, index, path)
        if article.contributors:
            contributors = self.sub(element, "contributors")
            for number, contributor in enumerate(article.contributors):
                self.contributor(contributors, contributor, article, number, index, f"{path}.contributors[{number}]")
        for lang, text in article.abstracts.items():
            abstract = self.sub(element, "abstract", namespace=JATS)
            abstract.set("xml:lang", lang)
            for paragraph in derive.paragraphs(text):
                self.leaf(abstract, _JATS_P, paragraph, f"{path}.abstracts.{lang}")
        if article.dates.published or article.dates.online:
            if article.dates.published:
                self.date(element, "publication_date", article.dates.published, "print")
            if article.dates.online:
                self.date(element, "publication_date", article.dates.online, "online")
        else:
            self.date(element, "publication_date", derive.publication_date(self.issue, article)[0], "print")
            self.dated_from_issue.append(index)
        if article.dates.accepted:
            self.date(element, "acceptance_date", article.dates.accepted)
        if article.dates.received:
            self.drop("the date received", index)
        self.pages(element, article, path)
        self.funding(element, article, index, path)
        self.license(element, article, index, path)
        self.doi_data(element, article, index, path)
        self.citations(element, article, index, path)
        for what, present in (("keywords", bool(article.keywords)), ("the section", bool(article.section)),
                              ("in-text citation numbers", bool(article.citations))):
            if present:
                self.drop(what, index)

    def titles(self, element: Element, article: Article, index: int, path: str) -> None:
        languages = article.titles.languages
        if len(languages) > MAX_TITLES:
            self.drop(f"titles beyond the first {MAX_TITLES}", index)
        for lang in languages[:MAX_TITLES]:
            titles = self.sub(element, "titles")
            self.leaf(titles, _TITLE, article.titles[lang], f"{path}.titles.{lang}")
        if len(languages) > 1:
            self.drop("the language of each title (Crossref titles have none; the original comes first)", index)

    def contributor(self, parent: Element, contributor: Contributor, article: Article, number: int,
                    index: int, path: str) -> None:
        sequence = "first" if number == 0 else "additional"
        if contributor.organization:
            self.sub(parent, "organization", contributor.organization.main, path=f"{path}.organization",
                     sequence=sequence, contributor_role=contributor.role)
            if (contributor.orcid or contributor.affiliations or contributor.credit or contributor.email
                    or len(contributor.organization.texts) > 1):
                self.drop("a group author's other names, ORCID, affiliations, roles and e-mail", index)
            return
        latin = derive.latin_name(contributor)  # what main_name prefers: looked for once
        main = latin if latin is not None else derive.main_name(contributor, article)
        if main is None:  # the manifest reader guarantees names or organization
            return
        main_lang, name = main
        if latin is None and self.no_latin_name[-1:] != [index]:  # in article order
            self.no_latin_name.append(index)
        person = self.sub(parent, "person_name", sequence=sequence, contributor_role=contributor.role)
        if name.given:
            self.leaf(person, _GIVEN_NAME, name.given, f"{path}.names.{main_lang}.given")
        self.leaf(person, _SURNAME, name.family, f"{path}.names.{main_lang}.family")
        for role in contributor.credit:
            if role in CREDIT_ROLES:
                self.node(person, _ROLE, {"vocab": "credit", "type": role})
            else:
                self.note("crossref.credit-role", f"'{role}' is not a CRediT role Crossref knows; it is not "
                          "deposited", f"{path}.credit", "warning")
        if contributor.affiliations:
            affiliations = self.sub(person, "affiliations")
            for number_aff, affiliation in enumerate(contributor.affiliations):
                institution = self.sub(affiliations, "institution")
                self.sub(institution, "institution_name", affiliation.name.main,
                         path=f"{path}.affiliations[{number_aff}].name")
                if affiliation.ror:
                    self.sub(institution, "institution_id", affiliation.ror, type="ror")
                if len(affiliation.name.texts) > 1 or affiliation.country:
                    self.drop("affiliation names in other languages and countries", index)
        if contributor.orcid:
            self.sub(person, "ORCID", ids.orcid_url(contributor.orcid))
        others = [(lang, other) for lang, other in contributor.names.items() if lang != main_lang]
        if others:
            alt = self.sub(person, "alt-name")
            for lang, other in others:
                alt_name = self.sub(alt, "name", language=ids.primary_language(lang))
                self.leaf(alt_name, _SURNAME, other.family, f"{path}.names.{lang}.family")
                if other.given:
                    self.leaf(alt_name, _GIVEN_NAME, other.given, f"{path}.names.{lang}.given")
        if contributor.email or contributor.corresponding:
            self.drop("contributor e-mail addresses and the corresponding-author flag", index)
        if any(other.order == "family-first" for other in contributor.names.values()):
            self.drop("the printed order of names (family name first)", index)

    def pages(self, element: Element, article: Article, path: str) -> None:
        pages = article.pages
        if pages is None:
            return
        if pages.first:
            block = self.sub(element, "pages")
            self.sub(block, "first_page", pages.first, path=f"{path}.pages.first")
            if pages.last:
                self.sub(block, "last_page", pages.last, path=f"{path}.pages.last")
        if pages.article_number:
            item = self.sub(element, "publisher_item")
            self.sub(item, "item_number", pages.article_number, path=f"{path}.pages.article_number",
                     item_number_type="article_number")

    def funding(self, element: Element, article: Article, index: int, path: str) -> None:
        groups = [source for source in article.funding if source.funder or source.funder_id or source.awards]
        if any(source.statement for source in article.funding):
            self.drop("funding statements (only funders and award numbers are deposited)", index)
        for number, source in enumerate(article.funding):
            if source not in groups:
                self.note("crossref.funding-empty", "this funding entry names no funder and no award, so the "
                          "deposit cannot carry it", f"{path}.funding[{number}]", "warning")
        if not groups:
            return
        program = self.sub(element, "program", namespace=FR, name="fundref")
        for number, source in enumerate(groups):
            group = self.sub(program, "assertion", namespace=FR, name="fundgroup")
            if source.funder:
                funder = self.sub(group, "assertion", source.funder.main, namespace=FR, name="funder_name",
                                  path=f"{path}.funding[{number}].funder")
                if source.funder_id and not source.funder_id.startswith("https://ror.org/"):
                    self.sub(funder, "assertion", f"https://doi.org/{source.funder_id}", namespace=FR,
                             name="funder_identifier")
                if len(source.funder.texts) > 1:
                    self.drop("funder names in other languages", index)
            if source.funder_id and source.funder_id.startswith("https://ror.org/"):
                self.sub(group, "assertion", source.funder_id, namespace=FR, name="ror")
            elif source.funder_id and not source.funder:
                self.sub(group, "assertion", f"https://doi.org/{source.funder_id}", namespace=FR,
                         name="funder_identifier")
            for award in source.awards:
                self.sub(group, "assertion", award, namespace=FR, name="award_number",
                         path=f"{path}.funding[{number}].awards")

    def license(self, element: Element, article: Article, index: int, path: str) -> None:
        if article.license is None:
            return
        program = self.sub(element, "program", namespace=AI, name="AccessIndicators")
        start = article.license.start
        full_date = str(start) if start and start.day is not None else ""
        if start and not full_date:
            self.drop("a licence start date without a day (Crossref needs a full date)", index)
        self.sub(program, "license_ref", article.license.url, namespace=AI, path=f"{path}.license.url",
                 start_date=full_date, applies_to="vor")

    def doi_data(self, element: Element, article: Article, index: int, path: str) -> None:
        data = self.sub(element, "doi_data")
        self.sub(data, "doi", article.doi or "", path=f"{path}.doi")
        url = derive.landing_page(self.issue, index)
        if url:
            self.sub(data, "resource", url, path=f"{path}.url")
        else:
            self.error("crossref.url-missing", "Crossref needs the article's landing page: give 'url' or "
                       "settings.landing_page_pattern", path)

    def citations(self, element: Element, article: Article, index: int, path: str) -> None:
        if not article.references:
            return
        citations = self.sub(element, "citation_list")
        leaf = self.leaf
        level = citations.level + 1
        dropped_extra = dropped_more = False
        for number, reference in enumerate(article.references):
            key = f"ref{number + 1}"  # unique by position; the printed label stays in the text
            kind = reference.type if reference.type in CITATION_TYPES else ""
            if reference.type and not kind:
                self.note("crossref.citation-type", f"'{reference.type}' is not a Crossref citation type; "
                          "the citation is deposited without a type", f"{path}.references[{number}].type", "warning")
            values = _citation_values(reference)
            written = _citation_text(key, kind, values, level)
            if written is not None:
                citations.children.append(written)
            else:
                ref_path = f"{path}.references[{number}]"
                citation = self.node(citations, _CITATION, {"key": key, "type": kind} if kind else {"key": key})
                for name, value, field in values:
                    leaf(citation, _CITATION_TAGS[name], value, f"{ref_path}.{field}" if field else "")
            if not dropped_extra and (reference.language or reference.publisher or reference.url):
                self.drop("the language, publisher and URL of references", index)
                dropped_extra = True
            if not dropped_more and (len(reference.authors) > 1
                                     or (reference.pages and _PAGE_RANGE.search(reference.pages))):
                self.drop("a reference's authors after the first and its last page (the printed text keeps them)",
                          index)
                dropped_more = True

    def report_not_carried(self) -> None:
        numbers = article_numbers
        if self.dated_from_issue:
            date = self.issue.published or PartialDate(self.issue.year)
            self.note("crossref.date-from-issue", f"no publication date of their own in "
                      f"{numbers(self.dated_from_issue)}; the deposit gives them the issue's date ({date})",
                      "articles")
        if self.no_latin_name:
            self.note("crossref.no-latin-name", f"authors with no Latin spelling in {numbers(self.no_latin_name)}"
                      "; a spelling in another script is deposited as given name and surname "
                      "(add an 'en' or '-Latn' spelling to the manifest to change that)", "articles")
        for what, indexes in self.not_carried.items():
            self.note("crossref.not-carried", f"the Crossref deposit cannot carry {what} ({numbers(indexes)})",
                      "articles")


def deposit(issue: Issue, *, dois: list[str] | None = None, timestamp: int | None = None,
            batch_id: str | None = None) -> tuple[bytes | None, list[Problem]]:
    """The deposit XML for ``issue`` (or only the articles with the given DOIs).

    Returns None instead of bytes when something the schema requires is missing; the
    problems say what. ``timestamp`` is injectable for reproducible output in tests.
    """
    out = io.BytesIO()
    problems = write_deposit(issue, out, dois=dois, timestamp=timestamp, batch_id=batch_id)
    if any(p.severity == "error" for p in problems):
        return None, problems
    return out.getvalue(), problems


def write_deposit(issue: Issue, out: BinaryIO, *, dois: list[str] | None = None, timestamp: int | None = None,
                  batch_id: str | None = None) -> list[Problem]:
    """Write the deposit to a binary stream article by article, never holding the whole batch.

    The bytes are those ``deposit`` returns. When the problems include an error, what was
    written is incomplete and must be discarded (``write`` does).
    """
    indexes, problems = derive.select_articles(issue, dois)
    if problems:
        return problems
    builder = _Deposit(issue, indexes)
    builder.stream(out, timestamp if timestamp is not None else next_timestamp(), batch_id)
    return problems + builder.problems


def write(issue: Issue, folder: Path, *, dois: list[str] | None = None) -> tuple[list[Path], list[Problem]]:
    """The registry's writer: ``crossref.xml`` in ``folder``, streamed to disk article by
    article (same bytes as ``deposit``), so memory does not grow with the issue."""
    target = folder / FILE_NAME
    problems = xmltools.write_streamed(target, lambda out: write_deposit(issue, out, dois=dois))
    if any(p.severity == "error" for p in problems):
        return [], problems
    return [target], problems


# --- validation -------------------------------------------------------------------------

def detect(path: Path) -> bool:
    """A Crossref deposit: an XML file whose root is a ``doi_batch`` (sniffed, not parsed)."""
    head = read_head(path)
    if head is None:
        return False
    return b"<doi_batch" in head and b"http://www.crossref.org/schema/" in head


def validate_tree(tree: etree._ElementTree, file: str, *, strict: bool = False) -> list[Problem]:
    """Check a parsed deposit against the official 5.5.0 XSD, offline.

    By default the fast path (``biblio.crossref_fast``: the schema's XSD 1.0 form with lxml,
    its three XSD 1.1 asserts checked in Python, proved equivalent in the tests); with
    ``strict`` the official XSD 1.1 itself with xmlschema.
    """
    from .. import schemas

    root = tree.getroot()
    namespace = etree.QName(root).namespace
    if namespace != NS:
        return [Problem("crossref.version", "error", f"this deposit uses {namespace}; biblio validates "
                        f"Crossref {VERSION} ({NS})", file=file, line=root.sourceline)]
    if not strict:
        from .. import crossref_fast  # imported lazily: it imports biblio.formats

        return crossref_fast.validate_fast(tree, file)
    try:
        schema = schemas.crossref_schema()
    except schemas.SchemasUnavailable as missing:
        return [Problem(p.code, p.severity, p.message, file=file) for p in missing.problems]
    problems = []
    for error in itertools.islice(schema.iter_errors(tree), 200):
        element = error.elem if error.elem is not None and hasattr(error.elem, "getparent") else None
        where = xmltools.element_path(element) if element is not None else (error.path or "")
        line = element.sourceline if element is not None else None
        reason = (error.reason or str(error.message)).strip().rstrip(".")
        if len(reason) > 300:  # e.g. the 8,000 language codes of an enumeration
            reason = reason[:300].rsplit(" ", 1)[0] + " …"
        problems.append(Problem("crossref.schema", "error", f"{reason} (in <{where.rsplit('/', 1)[-1]}>)",
                                path=where, file=file, line=line))
    return problems


def validate(path: Path, *, strict: bool = False) -> list[Problem]:
    """The registry's validator: read the file safely, then check it against the schema.

    A valid deposit is found so in one streamed pass holding one article at a time
    (``crossref_fast.validate_stream``); the whole tree is built only to word problems, or with
    ``strict``.
    """
    if not strict:
        from .. import crossref_fast  # imported lazily: it imports biblio.formats

        if crossref_fast.validate_stream(path):
            return []
    tree, problems = xmltools.read_xml(path)
    if tree is None:
        return problems
    return validate_tree(tree, str(path), strict=strict)


def _timestamp_and_dois(tree: etree._ElementTree) -> tuple[int | None, set[str]]:
    root = tree.getroot()
    stamp = root.findtext(f"{{{root.nsmap.get(None, NS)}}}head/{{{root.nsmap.get(None, NS)}}}timestamp")
    dois = {ids.doi_key(element.text.strip()) for element in root.iter()
            if etree.QName(element).localname == "doi" and element.text
            and etree.QName(element.getparent()).localname == "doi_data"}
    return (int(stamp) if stamp and stamp.strip().isdigit() else None), dois


def compare_with_previous(current: Path, previous: Path) -> list[Problem]:
    """Crossref ignores a deposit whose timestamp is not newer than the last one for the same DOI."""
    if not Path(previous).is_file():
        return [Problem("crossref.previous-missing", "error", "the previous deposit given with --previous "
                        "does not exist", file=str(previous))]
    new_tree, problems = xmltools.read_xml(Path(current))
    old_tree, old_problems = xmltools.read_xml(Path(previous))
    if new_tree is None or old_tree is None:
        return problems + old_problems
    new_stamp, new_dois = _timestamp_and_dois(new_tree)
    old_stamp, old_dois = _timestamp_and_dois(old_tree)
    shared = new_dois & old_dois
    if shared and new_stamp is not None and old_stamp is not None and new_stamp <= old_stamp:
        return [Problem("crossref.timestamp", "error",
                        f"this deposit's timestamp ({new_stamp}) is not newer than the previous deposit's "
                        f"({old_stamp}) for {len(shared)} of the same DOIs, so Crossref would ignore it; "
                        + _timestamp_advice(old_stamp), file=str(current))]
    return []


def _timestamp_advice(old_stamp: int) -> str:
    """What to do when the previous deposit is newer: a stamp longer than 17 digits (as biblio
    wrote until December 2026) can never be overtaken by a 17-digit one."""
    if len(str(old_stamp)) > TIMESTAMP_DIGITS:
        return (f"the previous deposit's timestamp has {len(str(old_stamp))} digits (biblio wrote 19 until December 2026), "
                "larger than any YYYYMMDDhhmmssSSS stamp: ask Crossref support to accept deposits for these "
                "DOIs with 17-digit timestamps again")
    return "check the previous deposit's timestamp (biblio writes YYYYMMDDhhmmssSSS, the UTC time to the millisecond)"
