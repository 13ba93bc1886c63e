"""Writing the deposit: one ``doi_batch`` for an issue, streamed article by article.

Mapping decisions (design.md §4, tables in ``mapping.py``): one master journal title; up to 20 ``titles`` per article,
original language first (Crossref cannot tag a title's language); Latin given/surname with the other scripts as
``alt-name``; one ``jats:abstract`` per language; funding as ``fr:program``, the licence as ``ai:program``; references
as ``citation`` with the printed text, DOI, type and the elements of its kind (``mapping.citation_roles``).
What the deposit cannot carry is reported, never dropped silently.
"""

from __future__ import annotations

import datetime
import re
from typing import BinaryIO, ClassVar

from ... import derive, ids
from ...model import Article, Contributor, Issue, PartialDate
from ...problems import Problem, article_numbers
from .. import Output, xmltools
from ..notes import NotCarried
from ..xmltools import Element
from . import mapping, require
from .mapping import AI, FR, JATS, NS

_last_timestamp = 0


def next_timestamp() -> int:
    """``YYYYMMDDhhmmssSSS`` (UTC), strictly increasing in this process. Crossref keeps a deposit only when
    its timestamp is larger than the last for the same DOI; its own tools and OJS write 17 digits, so a
    longer stamp would make their later corrections look older."""
    global _last_timestamp
    now = datetime.datetime.now(datetime.UTC)
    stamp = int(now.strftime("%Y%m%d%H%M%S") + f"{now.microsecond // 1000:03d}")
    _last_timestamp = max(stamp, _last_timestamp + 1)
    return _last_timestamp


def _q(name: str, namespace: str = NS) -> str:
    return f"{{{namespace}}}{name}"


_CITATION_TAGS = {name: _q(name) for name in mapping.CITATION_ELEMENTS}
_TITLE, _GIVEN_NAME, _SURNAME, _SUFFIX, _ROLE, _CITATION = (_q(name) for name in (
    "title", "given_name", "surname", "suffix", "role", "citation"))
_JATS_P = _q("p", JATS)
_PAGE_RANGE = re.compile(r"\d\s*[-–]\s*\S")
_MEDIA_TYPES = {"print": "print", "electronic": "online"}  # Issn.media -> a date's media_type

# The end of a pretty-printed batch after the last article; articles are written before it.
_BATCH_END = b"    </journal>\n  </body>\n</doi_batch>\n"
_ARTICLE_LEVEL = 3  # doi_batch/body/journal/journal_article
_DECLARATION = "<?xml version='1.0' encoding='UTF-8'?>\n"


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


class _CrossrefWriter(xmltools.Builder):
    """The deposit of one issue: the head, journal and issue when made, each article as it is added.

    ``crossref.xml`` is opened at once. It is complete only when ``close`` reports no error:
    after the first error nothing more is written (the build discards the file), but every
    article is still checked so that all problems are reported.
    """

    namespace = NS
    prefixes: ClassVar[dict[str | None, str | None]] = {uri: prefix for prefix, uri in mapping.NSMAP.items()}

    def __init__(self, issue: Issue, output: Output, timestamp: int, batch_id: str | None) -> None:
        super().__init__()
        self.issue = issue
        self.left_out = NotCarried()
        self.kinds: list[str] = []  # what the article being written leaves out (mapping.LEFT_OUT keys)
        self.dated_from_issue: list[int] = []
        self.no_latin_name: list[int] = []
        self.checked = 0  # problems looked at for errors
        self.error_seen = False
        self.out: BinaryIO = output.open(mapping.FILE_NAME)
        self.problems.extend(require.issue_problems(issue))
        head = (_DECLARATION + xmltools.serialise(self.start(timestamp, batch_id))).encode("utf-8")
        if not head.endswith(_BATCH_END):
            raise AssertionError("unexpected serialisation of the batch head")
        if not self._failed():
            self.out.write(head[:-len(_BATCH_END)])

    def add(self, index: int, article: Article) -> None:
        """Build one article at the depth it has in the batch and write it: memory holds one article."""
        journal = self.holder(_ARTICLE_LEVEL)
        self.kinds = []
        self.problems.extend(require.article_problems(self.issue, index, article))
        self.article(journal, index, article)
        self.left_out.add(index, self.kinds)
        if not self._failed():
            [built] = journal.children
            assert isinstance(built, Element)
            self.out.write(xmltools.serialise(built).encode("utf-8"))

    def close(self) -> list[Problem]:
        self.report_not_carried()
        if not self._failed():
            self.out.write(_BATCH_END)
        self.out.close()
        return self.problems

    def _failed(self) -> bool:
        """Whether a problem so far is an error; each problem is looked at once (asked per article)."""
        if not self.error_seen:
            self.error_seen = any(p.severity == "error" for p in self.problems[self.checked:])
            self.checked = len(self.problems)
        return self.error_seen

    def drop(self, what: str, index: int) -> None:
        """The article being written has ``what`` (a ``mapping.LEFT_OUT`` kind), which the deposit cannot carry."""
        self.kinds.append(what)

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
        root = self.root(_q("doi_batch"), mapping.NSMAP, {"version": mapping.VERSION})
        root.set("xsi:schemaLocation", mapping.SCHEMA_LOCATION)
        self.head(root, timestamp, batch_id)
        journal = self.sub(self.sub(root, "body"), "journal")
        self.journal_metadata(journal)
        self.journal_issue(journal)
        return root

    def head(self, root: Element, timestamp: int, batch_id: str | None) -> None:
        head = self.sub(root, "head")
        issue = self.issue
        default_id = "-".join(part for part in ("biblio", str(issue.year), issue.volume, issue.number,
                                                str(timestamp)) if part)
        self.sub(head, "doi_batch_id", (batch_id or default_id)[:100], path="head")
        self.sub(head, "timestamp", str(timestamp))
        settings = issue.settings
        if settings is not None and settings.depositor is not None:  # else require.issue_problems says so
            depositor = self.sub(head, "depositor")
            self.sub(depositor, "depositor_name", settings.depositor.name, path="settings.depositor.name")
            self.sub(depositor, "email_address", settings.depositor.email, path="settings.depositor.email")
        registrant = settings.registrant if settings else None
        if not registrant and issue.journal.publisher:
            registrant = issue.journal.publisher.name.main
        if registrant:
            self.sub(head, "registrant", registrant, path="settings.registrant")

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
        for number, (issn, (media, assumed)) in enumerate(zip(meta_journal.issns, mapping.issn_media(meta_journal),
                                                                 strict=True)):
            self.sub(meta, "issn", issn.value, media_type=media)
            if assumed:
                dates = " (and the journal as a print journal: its dates are print dates)" if mapping.medium_assumed(
                    meta_journal) else ""
                other = "electronic" if media == "print" else "print"
                self.note("crossref.issn-media", f"the ISSN {issn.value} does not say its medium: the deposit declares "
                          f"it the {media} ISSN{dates}. Say which it is in the manifest: journal.issns: "
                          f"[{{value: {issn.value}, media: {media}}}] (or media: {other})",
                          f"journal.issns[{number}]", "warning")
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
        medium = "online" if mapping.online_only(issue.journal) else "print"
        self.date(element, "publication_date", issue.published or PartialDate(issue.year), medium)
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

    # -- articles --------------------------------------------------------------------

    def article(self, journal: Element, index: int, article: Article) -> None:
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
        dates = mapping.article_dates(self.issue.journal, article.dates)
        for date, medium in dates:
            self.date(element, "publication_date", date, _MEDIA_TYPES[medium])
        if article.dates.published and article.dates.online and mapping.online_only(self.issue.journal):
            self.drop("published-beside-online", index)
        if not dates:
            medium = "online" if mapping.online_only(self.issue.journal) else "print"
            self.date(element, "publication_date", derive.publication_date(self.issue, article)[0], medium)
            self.dated_from_issue.append(index)
        if article.dates.accepted:
            self.date(element, "acceptance_date", article.dates.accepted)
        if article.dates.received:
            self.drop("received", index)
        self.publisher_item(element, self.pages(element, article, path), article, index, path)
        self.funding(element, article, index, path)
        self.license(element, article, index, path)
        self.doi_data(element, article, index, path)
        self.citations(element, article, index, path)
        for kind, value_of in mapping.ARTICLE_LEFT_OUT:
            if value_of(article):
                self.drop(kind, index)

    def titles(self, element: Element, article: Article, index: int, path: str) -> None:
        languages = article.titles.languages
        if len(languages) > mapping.MAX_TITLES:
            self.drop("extra-titles", index)
        for lang in languages[:mapping.MAX_TITLES]:
            titles = self.sub(element, "titles")
            self.leaf(titles, _TITLE, article.titles[lang], f"{path}.titles.{lang}")
        if len(languages) > 1:
            self.drop("title-languages", index)

    def contributor(self, parent: Element, contributor: Contributor, article: Article, number: int,
                    index: int, path: str) -> None:
        sequence = "first" if number == 0 else "additional"
        if contributor.organization:
            self.sub(parent, "organization", contributor.organization.main, path=f"{path}.organization",
                     sequence=sequence, contributor_role=contributor.role)
            if (contributor.orcid or contributor.affiliations or contributor.credit or contributor.email
                    or len(contributor.organization.texts) > 1):
                self.drop("group-author-extras", index)
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
        if name.suffix:  # person_name: given_name?, surname, suffix?, role*, affiliations?, ORCID?, alt-name?
            self.leaf(person, _SUFFIX, name.suffix, f"{path}.names.{main_lang}.suffix")
        for role in contributor.credit:
            if role in mapping.CREDIT_ROLES:
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
                    self.drop("affiliation-extras", index)
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
                if other.suffix:  # name: (surname, given_name?) | given_name, prefix?, suffix?
                    self.leaf(alt_name, _SUFFIX, other.suffix, f"{path}.names.{lang}.suffix")
        if contributor.email or contributor.corresponding:
            self.drop("email", index)
        if any(other.order == "family-first" for other in contributor.names.values()):
            self.drop("name-order", index)

    def pages(self, element: Element, article: Article, path: str) -> Element | None:
        """Pages, or the article number in a ``publisher_item`` (returned, for the PMID to follow)."""
        pages = article.pages
        if pages is None:
            return None
        if pages.first:
            block = self.sub(element, "pages")
            self.sub(block, "first_page", pages.first, path=f"{path}.pages.first")
            if pages.last:
                self.sub(block, "last_page", pages.last, path=f"{path}.pages.last")
        if pages.article_number:
            item = self.sub(element, "publisher_item")
            self.sub(item, "item_number", pages.article_number, path=f"{path}.pages.article_number",
                     item_number_type="article_number")
            return item
        return None

    def publisher_item(self, element: Element, item: Element | None, article: Article, index: int, path: str) -> None:
        """The PMID as a ``publisher_item`` identifier (after any article number); what else reference managers
        keep of an article has no place in a deposit."""
        if article.pmid:
            item = item or self.sub(element, "publisher_item")
            self.sub(item, "identifier", article.pmid, path=f"{path}.pmid", id_type="pmid")
        for kind in ("pmcid", "short_title", "note", "accessed"):
            if getattr(article, kind):
                self.drop(kind, index)

    def funding(self, element: Element, article: Article, index: int, path: str) -> None:
        groups = [source for source in article.funding if source.funder or source.funder_id or source.awards]
        if any(source.statement for source in article.funding):
            self.drop("funding-statements", index)
        for number, source in enumerate(article.funding):
            if source not in groups:
                self.note("crossref.funding-empty", "this funding entry names no funder and no award, so the "
                          "deposit cannot carry it", f"{path}.funding[{number}]", "warning")
        if not groups:
            return
        program = self.sub(element, "program", namespace=FR, name="fundref")
        for number, source in enumerate(groups):
            group = self.sub(program, "assertion", namespace=FR, name="fundgroup")
            ror = source.funder_id if source.funder_id and source.funder_id.startswith("https://ror.org/") else None
            doi = f"https://doi.org/{source.funder_id}" if source.funder_id and not ror else None
            if source.funder:
                funder = self.sub(group, "assertion", source.funder.main, namespace=FR, name="funder_name",
                                  path=f"{path}.funding[{number}].funder")
                if doi:
                    self.sub(funder, "assertion", doi, namespace=FR, name="funder_identifier")
                if len(source.funder.texts) > 1:
                    self.drop("funder-languages", index)
            if ror:
                self.sub(group, "assertion", ror, namespace=FR, name="ror")
            elif doi and not source.funder:
                self.sub(group, "assertion", doi, namespace=FR, name="funder_identifier")
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
            self.drop("license-month", index)
        self.sub(program, "license_ref", article.license.url, namespace=AI, path=f"{path}.license.url",
                 start_date=full_date, applies_to="vor")

    def doi_data(self, element: Element, article: Article, index: int, path: str) -> None:
        data = self.sub(element, "doi_data")
        self.sub(data, "doi", article.doi or "", path=f"{path}.doi")
        url = derive.landing_page(self.issue, article, index)
        if url:
            self.sub(data, "resource", url, path=f"{path}.url")

    def citations(self, element: Element, article: Article, index: int, path: str) -> None:
        if not article.references:
            return
        citations = self.sub(element, "citation_list")
        leaf = self.leaf
        level = citations.level + 1
        dropped_extra = dropped_more = dropped_refused = False
        for number, reference in enumerate(article.references):
            key = f"ref{number + 1}"  # unique by position; the printed label stays in the text
            kind = reference.type if reference.type in mapping.CITATION_TYPES else ""
            if reference.type and not kind:
                self.note("crossref.citation-type", f"'{reference.type}' is not a Crossref citation type; the "
                          "citation is deposited without a type (the types: docs/manifest.md)",
                          f"{path}.references[{number}].type", "warning")
            values = mapping.citation_values(reference)
            written = _citation_text(key, kind, values, level)
            if written is not None:
                citations.children.append(written)
            else:
                ref_path = f"{path}.references[{number}]"
                citation = self.node(citations, _CITATION, {"key": key, "type": kind} if kind else {"key": key})
                for name, value, field in values:
                    leaf(citation, _CITATION_TAGS[name], value, f"{ref_path}.{field}" if field else "")
            if not dropped_extra and (reference.language or reference.publisher or reference.url or reference.place
                                      or reference.accessed or reference.conference
                                      or (reference.container and not mapping.citation_roles(reference.type)[1])):
                self.drop("reference-extras", index)
                dropped_extra = True
            if not dropped_refused and mapping.citation_refused(reference):
                self.drop("reference-refused", index)
                dropped_refused = True
            if not dropped_more and (len(reference.authors) > 1
                                     or (reference.pages and _PAGE_RANGE.search(reference.pages))):
                self.drop("reference-more", index)
                dropped_more = True

    def report_not_carried(self) -> None:
        if self.dated_from_issue:
            date = self.issue.published or PartialDate(self.issue.year)
            self.note("crossref.date-from-issue", f"no publication date of their own in "
                      f"{article_numbers(self.dated_from_issue)}; the deposit gives them the issue's date ({date})",
                      "articles")
        if self.no_latin_name:
            self.note("crossref.no-latin-name", f"authors with no Latin spelling in "
                      f"{article_numbers(self.no_latin_name)}; a spelling in another script is deposited as given name "
                      "and surname (add an 'en' or '-Latn' spelling to the manifest to change that)", "articles")
        for kind, indexes in self.left_out.items():
            self.note("crossref.not-carried", f"the Crossref deposit cannot carry {mapping.LEFT_OUT[kind]} "
                      f"({article_numbers(indexes)})", "articles")


def writer(issue: Issue, output: Output, lang: str | None = None, *, timestamp: int | None = None,
           batch_id: str | None = None) -> _CrossrefWriter:
    """The deposit writer (``Format.writer``). ``lang`` is ignored: a deposit carries every language.

    ``timestamp`` (default ``next_timestamp()``) and ``batch_id`` (default
    ``biblio-<year>-<volume>-<number>-<timestamp>``) are injectable for reproducible bytes in tests.
    """
    return _CrossrefWriter(issue, output, timestamp if timestamp is not None else next_timestamp(), batch_id)
