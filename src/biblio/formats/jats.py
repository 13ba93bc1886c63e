"""JATS 1.3 Journal Publishing XML: one ``<article>`` (front matter and references) per article.

Mapping decisions (design.md §4): ``article/@xml:lang`` is the original language; the
original title is ``article-title`` and every other language a ``trans-title-group``;
each contributor's spellings go into ``name-alternatives`` (``name/@xml:lang``, with
``name-style="eastern"`` where the family name is printed first); one ``abstract`` in
the original language and a ``trans-abstract`` per other language; one ``kwd-group``
per language; one ``funding-group`` per funding source (award group plus its statements);
references as ``mixed-citation`` (as printed) and ``element-citation`` (structured, DOI
as ``pub-id``). An article without body text is a valid front-matter article.

The reader takes what the writer writes and the common front matter of other
publishers' JATS: single-language articles, ``string-name``, ``collab``, ``aff`` as plain
text or linked with ``xref``, ``pub-type`` dates.
"""

from __future__ import annotations

import operator
import os
import re
import time
from pathlib import Path
from typing import ClassVar

from lxml import etree

from .. import derive, ids
from ..fileio import read_head, write_atomic
from ..model import (
    Affiliation,
    Article,
    Contributor,
    Funding,
    Issn,
    Issue,
    Journal,
    LangText,
    License,
    Pages,
    PartialDate,
    PersonName,
    Publisher,
    Reference,
)
from ..problems import Problem, article_numbers
from . import xmltools
from .crossref import CREDIT_ROLES
from .xmltools import Element

XLINK = "http://www.w3.org/1999/xlink"
ALI = "http://www.niso.org/schemas/ali/1.0/"
MML = "http://www.w3.org/1998/Math/MathML"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NSMAP = {"xlink": XLINK, "mml": MML, "ali": ALI}
DOCTYPE = ('<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Publishing DTD v1.3 20210610//EN" '
           '"https://jats.nlm.nih.gov/publishing/1.3/JATS-journalpublishing1-3.dtd">')

# Reference types: the model uses Crossref's names, JATS its own publication-type values.
_JATS_TYPE = {
    "journal_article": "journal", "book": "book", "book_chapter": "chapter", "conference_paper": "confproc",
    "conference_proceedings": "confproc-volume", "dissertation": "thesis", "report": "report",
    "web_resource": "web", "dataset": "data", "patent": "patent", "preprint": "preprint", "standard": "standard",
    "software": "software", "journal": "periodical", "other": "other",
}
_MODEL_TYPE = {jats: model for model, jats in _JATS_TYPE.items()}
_MODEL_TYPE.update({"webpage": "web_resource", "website": "web_resource", "conf-proc": "conference_paper",
                    "confproc": "conference_paper", "thesis": "dissertation"})


def file_name(article: Article, index: int) -> str:
    """``2788-5860.2025.86.2.001.xml``: the DOI suffix, made safe for a file name."""
    if article.doi:
        return re.sub(r"[^\w.\-]+", "_", article.doi.split("/", 1)[1]) + ".xml"
    return f"article-{index + 1:03d}.xml"


# --- writing ------------------------------------------------------------------------------

class _Writer(xmltools.Builder):
    hyphenate = True
    prefixes: ClassVar[dict[str | None, str | None]] = {uri: prefix for prefix, uri in NSMAP.items()}

    def __init__(self, issue: Issue):
        super().__init__()
        self.issue = issue
        self._journal_meta: tuple[str, list[Problem]] | None = None

    def article(self, index: int) -> Element:
        article = self.issue.articles[index]
        path = f"articles[{index}]"
        root = self.root("article", NSMAP, {"article-type": "research-article"})
        root.set("xml:lang", article.language)
        front = self.sub(root, "front")
        self.journal_meta(front)
        self.article_meta(front, article, index, path)
        if article.references:
            self.references(self.sub(root, "back"), article, path)
        if article.citations:
            self.drop("in-text citation numbers (there is no body text to link them from)", index)
        return root

    # -- journal ---------------------------------------------------------------------------

    def journal_meta(self, front: Element) -> None:
        """The journal's metadata, the same in every article: built and written once, its text then
        shared, its problems repeated."""
        if self._journal_meta is None:
            before = len(self.problems)
            self.build_journal_meta(front)
            front.children[-1] = xmltools.serialise(front.children[-1])  # type: ignore[arg-type]
            self._journal_meta = (front.children[-1], self.problems[before:])  # type: ignore[assignment]
        else:
            written, problems = self._journal_meta
            front.children.append(written)
            self.problems += problems

    def build_journal_meta(self, front: Element) -> None:
        journal = self.issue.journal
        meta = self.sub(front, "journal-meta")
        if journal.abbreviation:
            self.sub(meta, "journal-id", journal.abbreviation, journal_id_type="publisher-id")
        elif journal.issns:
            self.sub(meta, "journal-id", journal.issns[0].value, journal_id_type="issn")
        else:
            self.error("jats.journal-id", "JATS needs a journal identifier: give journal.abbreviation or an ISSN",
                       "journal")
        group = self.sub(meta, "journal-title-group")
        for position, (lang, title) in enumerate(journal.titles.items()):
            if position == 0:
                self.sub(group, "journal-title", title, path="journal.titles", attrs={XML_LANG: lang})
            else:
                trans = self.sub(group, "trans-title-group", attrs={XML_LANG: lang})
                self.sub(trans, "trans-title", title, path=f"journal.titles.{lang}")
        if journal.abbreviation:
            self.sub(group, "abbrev-journal-title", journal.abbreviation, path="journal.abbreviation")
        if not journal.issns:
            self.error("jats.issn", "JATS needs the journal's ISSN: add journal.issns", "journal.issns")
        for issn in journal.issns:
            self.sub(meta, "issn", issn.value, publication_format=issn.media or "")
        if journal.publisher:
            publisher = self.sub(meta, "publisher")
            for lang, name in journal.publisher.name.items():
                self.sub(publisher, "publisher-name", name, path="journal.publisher.name", attrs={XML_LANG: lang})
            if journal.publisher.place:
                for lang, place in journal.publisher.place.items():
                    self.sub(publisher, "publisher-loc", place, path="journal.publisher.place",
                             attrs={XML_LANG: lang})

    # -- article ---------------------------------------------------------------------------

    def article_meta(self, front: Element, article: Article, index: int, path: str) -> None:
        meta = self.sub(front, "article-meta")
        if article.doi:
            self.sub(meta, "article-id", article.doi, pub_id_type="doi")
        if article.section:
            categories = self.sub(meta, "article-categories")
            for lang, section in article.section.items():
                group = self.sub(categories, "subj-group", subj_group_type="heading", attrs={XML_LANG: lang})
                self.sub(group, "subject", section, path=f"{path}.section.{lang}")
        self.title_group(meta, article, path)
        if article.contributors:
            group = self.sub(meta, "contrib-group")
            for number, contributor in enumerate(article.contributors):
                self.contributor(group, contributor, index, f"{path}.contributors[{number}]")
        self.dates(meta, article)
        issue = self.issue
        if issue.volume:
            self.sub(meta, "volume", issue.volume, path="issue.volume")
        if issue.number:
            self.sub(meta, "issue", issue.number, path="issue.number")
        if issue.whole_number:
            self.drop("the issue's whole number", index)
        if issue.doi:
            self.sub(meta, "issue-id", issue.doi, pub_id_type="doi")
        if issue.title:
            for lang, title in issue.title.items():
                self.sub(meta, "issue-title", title, path="issue.title", attrs={XML_LANG: lang})
        if article.pages and article.pages.first:
            self.sub(meta, "fpage", article.pages.first, path=f"{path}.pages.first")
            if article.pages.last:
                self.sub(meta, "lpage", article.pages.last, path=f"{path}.pages.last")
        elif article.pages and article.pages.article_number:
            self.sub(meta, "elocation-id", article.pages.article_number, path=f"{path}.pages.article_number")
        if article.pages and article.pages.first and article.pages.article_number:
            self.drop("an article number beside pages", index)
        self.history(meta, article)
        if article.license:
            permissions = self.sub(meta, "permissions")
            license_element = self.sub(permissions, "license")
            start = article.license.start
            self.sub(license_element, "license_ref", article.license.url, namespace=ALI, path=f"{path}.license",
                     attrs={"start_date": str(start) if start and start.day is not None else ""})
            if start and start.day is None:
                self.drop("a licence start date without a day", index)
        url = derive.landing_page(issue, index)
        if url:
            self.sub(meta, "self-uri", attrs={f"{{{XLINK}}}href": url})
        for position, (lang, text) in enumerate(article.abstracts.items()):
            name = "abstract" if position == 0 and lang == article.language else "trans-abstract"
            abstract = self.sub(meta, name, attrs={XML_LANG: lang})
            for paragraph in derive.paragraphs(text):
                self.leaf(abstract, "p", paragraph, f"{path}.abstracts.{lang}")
        for lang, words in article.keywords.items():
            if words:
                group = self.sub(meta, "kwd-group", attrs={XML_LANG: lang})
                for word in words:
                    self.leaf(group, "kwd", word, f"{path}.keywords.{lang}")
        for number, source in enumerate(article.funding):
            self.funding(meta, source, f"{path}.funding[{number}]")

    def title_group(self, meta: Element, article: Article, path: str) -> None:
        group = self.sub(meta, "title-group")
        languages = article.titles.languages
        main = languages[0]
        title = self.sub(group, "article-title", article.titles[main], path=f"{path}.titles.{main}")
        if main != article.language:  # the original-language title is not printed
            title.set("xml:lang", main)
        for lang in languages[1:]:
            trans = self.sub(group, "trans-title-group", attrs={XML_LANG: lang})
            self.sub(trans, "trans-title", article.titles[lang], path=f"{path}.titles.{lang}")

    def contributor(self, group: Element, contributor: Contributor, index: int, path: str) -> None:
        attrib = {"contrib-type": contributor.role} if contributor.role else {}
        if contributor.corresponding:
            attrib["corresp"] = "yes"
        contrib = self.node(group, "contrib", attrib)
        leaf = self.leaf
        if contributor.orcid:
            leaf(contrib, "contrib-id", ids.orcid_url(contributor.orcid), "", {"contrib-id-type": "orcid"})
        if contributor.organization:
            parent = contrib
            if len(contributor.organization.texts) > 1:
                parent = self.sub(contrib, "collab-alternatives")
            for lang, name in contributor.organization.items():
                self.sub(parent, "collab", name, path=f"{path}.organization", attrs={XML_LANG: lang})
        elif contributor.names:
            parent = contrib if len(contributor.names) == 1 else self.sub(contrib, "name-alternatives")
            for lang, name in contributor.names.items():
                attrib = {"name-style": "eastern"} if name.order == "family-first" else {}
                if lang:
                    attrib[XML_LANG] = lang
                element = self.node(parent, "name", attrib)
                self.leaf(element, "surname", name.family, f"{path}.names.{lang}.family")
                if name.given:
                    self.leaf(element, "given-names", name.given, f"{path}.names.{lang}.given")
        for number, affiliation in enumerate(contributor.affiliations):
            aff = self.node(contrib, "aff", {})
            wrap = self.node(aff, "institution-wrap", {})
            for lang, name in affiliation.name.items():
                leaf(wrap, "institution", name, f"{path}.affiliations[{number}]", {XML_LANG: lang} if lang else None)
            if affiliation.ror:
                leaf(wrap, "institution-id", affiliation.ror, "", {"institution-id-type": "ror"})
            if affiliation.country:
                leaf(aff, "country", affiliation.country, "", {"country": affiliation.country})
        if contributor.email:
            leaf(contrib, "email", contributor.email, f"{path}.email")
        for role in contributor.credit:
            leaf(contrib, "role", role, f"{path}.credit", {"vocab": "credit", "vocab-term": role} if role
                 else {"vocab": "credit"})

    def dates(self, meta: Element, article: Article) -> None:
        """The article's own dates, then the issue's (``date-type="collection"``), which JATS always gets."""
        for date, fmt in ((article.dates.published, "print"), (article.dates.online, "electronic")):
            if date:
                self.date(meta, "pub-date", date, date_type="pub", publication_format=fmt)
        self.date(meta, "pub-date", self.issue.published or PartialDate(self.issue.year), date_type="collection")

    def history(self, meta: Element, article: Article) -> None:
        events = [(kind, date) for kind, date in (("received", article.dates.received),
                                                  ("accepted", article.dates.accepted)) if date]
        if events:
            history = self.sub(meta, "history")
            for kind, date in events:
                self.date(history, "date", date, date_type=kind)

    def date(self, parent: Element, tag: str, date: PartialDate, **attributes: str) -> None:
        element = self.sub(parent, tag, **attributes)
        if date.day is not None:
            self.leaf(element, "day", f"{date.day:02d}", "")
        if date.month is not None:
            self.leaf(element, "month", f"{date.month:02d}", "")
        self.leaf(element, "year", f"{date.year:04d}", "")

    def funding(self, meta: Element, source: Funding, path: str) -> None:
        group = self.sub(meta, "funding-group")
        if source.funder or source.funder_id or source.awards:
            award = self.sub(group, "award-group")
            for lang, name in (source.funder.items() if source.funder else []):
                funder = self.sub(award, "funding-source", attrs={XML_LANG: lang})
                if source.funder_id:
                    wrap = self.sub(funder, "institution-wrap")
                    self.sub(wrap, "institution", name, path=f"{path}.funder")
                    self.sub(wrap, "institution-id", source.funder_id,
                             institution_id_type="ror" if source.funder_id.startswith("https://ror.org/")
                             else "doi")
                else:
                    funder.text = self.escaped(name, f"{path}.funder")
            if source.funder_id and not source.funder:
                wrap = self.sub(self.sub(award, "funding-source"), "institution-wrap")
                self.sub(wrap, "institution-id", source.funder_id,
                         institution_id_type="ror" if source.funder_id.startswith("https://ror.org/") else "doi")
            for number in source.awards:
                self.sub(award, "award-id", number, path=f"{path}.awards")
        for lang, statement in (source.statement.items() if source.statement else []):
            self.sub(group, "funding-statement", statement, path=f"{path}.statement", attrs={XML_LANG: lang})

    def references(self, back: Element, article: Article, path: str) -> None:
        ref_list = self.sub(back, "ref-list")
        leaf = self.leaf
        level = ref_list.level + 1
        for number, reference in enumerate(article.references):
            written = _ref_text(reference, number, level)
            if written is not None:
                ref_list.children.append(written)
                continue
            ref_path = f"{path}.references[{number}]"
            attrib = {"id": f"r{number + 1}"}
            if reference.language:
                attrib[XML_LANG] = reference.language
            ref = self.node(ref_list, "ref", attrib, ref_path)
            if reference.label:
                leaf(ref, "label", reference.label, f"{ref_path}.label")
            if reference.text:
                leaf(ref, "mixed-citation", reference.text, f"{ref_path}.text")
            if not reference.text or any(_STRUCTURED(reference)):
                self.element_citation(ref, reference, ref_path)

    def element_citation(self, ref: Element, reference: Reference, path: str) -> None:
        kind = _JATS_TYPE.get(reference.type or "", reference.type or "")
        citation = self.node(ref, "element-citation", {"publication-type": kind} if kind else {}, path)
        leaf = self.leaf
        if reference.authors:
            group = self.node(citation, "person-group", {"person-group-type": "author"})
            for author in reference.authors:
                leaf(group, "string-name", author, f"{path}.authors")
        details = bool(reference.authors)
        for tag, value in zip(_CITATION_TAGS, _CITATION_FIELDS(reference)):
            if value:
                leaf(citation, tag, value, path)
                details = True
        if reference.doi:
            leaf(citation, "pub-id", reference.doi, "", {"pub-id-type": "doi"})
        if reference.url:
            leaf(citation, "uri", reference.url, f"{path}.url")
        if not (details or reference.doi or reference.url):
            leaf(citation, "comment", "no details given", path)

    # The name the tests comparing the fast way (``_ref_text``) with the careful one use.
    element_citation_careful = element_citation

    def report(self) -> None:
        for what, indexes in self.not_carried.items():
            self.note("jats.not-carried", f"JATS front matter cannot carry {what} ({article_numbers(indexes)})",
                      "articles")


# What an element-citation holds, fetched in one call per reference.
_STRUCTURED = operator.attrgetter("doi", "type", "authors", "title", "container", "year", "volume", "issue",
                                  "pages", "publisher", "url")
_CITATION_TAGS = ("article-title", "source", "year", "volume", "issue", "page-range", "publisher-name")
_CITATION_FIELDS = operator.attrgetter("title", "container", "year", "volume", "issue", "pages", "publisher")
_REFERENCE_VALUES = operator.attrgetter("label", "text", "language", "doi", "url")


def _ref_text(reference: Reference, number: int, level: int) -> str | None:
    """The ``<ref>`` that ``_Writer.references`` builds, written at ``level`` in one go, or None when
    one of its values needs cleaning or escaping (then the builder takes the careful way).

    A fifth of an article's elements are in its references; writing them straight to text
    this way takes a fraction of the builder's time.
    """
    label, text, language, doi, url = _REFERENCE_VALUES(reference)
    kind = _JATS_TYPE.get(reference.type or "", reference.type or "")
    authors = reference.authors
    fields = _CITATION_FIELDS(reference)
    values = "".join((kind, label or "", text or "", language or "", doi or "", url or "", *authors,
                      *filter(None, fields)))
    if xmltools.needs_escaping(values) or level + 3 >= xmltools.DEEPEST:
        return None
    i0, i1, i2, i3 = xmltools.indents(level, 4)
    out = [f'{i0}<ref id="r{number + 1}" xml:lang="{language}">\n' if language else f'{i0}<ref id="r{number + 1}">\n']
    if label:
        out.append(f"{i1}<label>{label}</label>\n")
    if text:
        out.append(f"{i1}<mixed-citation>{text}</mixed-citation>\n")
    if not text or any(_STRUCTURED(reference)):
        out.append(f'{i1}<element-citation publication-type="{kind}">\n' if kind else f"{i1}<element-citation>\n")
        if authors:
            out.append(f'{i2}<person-group person-group-type="author">\n')
            out += [f"{i3}<string-name>{author}</string-name>\n" for author in authors]
            out.append(f"{i2}</person-group>\n")
        details = bool(authors)
        for tag, value in zip(_CITATION_TAGS, fields):
            if value:
                out.append(f"{i2}<{tag}>{value}</{tag}>\n")
                details = True
        if doi:
            out.append(f'{i2}<pub-id pub-id-type="doi">{doi}</pub-id>\n')
        if url:
            out.append(f"{i2}<uri>{url}</uri>\n")
        if not (details or doi or url):
            out.append(f"{i2}<comment>no details given</comment>\n")
        out.append(f"{i1}</element-citation>\n")
    out.append(f"{i0}</ref>\n")
    return "".join(out)


_PROLOGUE = f"<?xml version='1.0' encoding='UTF-8'?>\n{DOCTYPE}\n"


def _serialise(root: Element) -> bytes:
    """The document as ``etree.tostring(xml_declaration=True, encoding="UTF-8", pretty_print=True,
    doctype=DOCTYPE)`` writes it."""
    return (_PROLOGUE + xmltools.serialise(root)).encode("utf-8")


def article_xml(issue: Issue, index: int) -> tuple[bytes | None, list[Problem]]:
    """One article as a JATS document (None when something JATS requires is missing)."""
    writer = _Writer(issue)
    root = writer.article(index)
    writer.report()
    if any(p.severity == "error" for p in writer.problems):
        return None, writer.problems
    return _serialise(root), writer.problems


def write(issue: Issue, folder: Path, *, dois: list[str] | None = None) -> tuple[list[Path], list[Problem]]:
    """The registry's writer: one file per article, named from the DOI suffix."""
    indexes, selection_problems = derive.select_articles(issue, dois)
    if selection_problems:
        return [], selection_problems
    writer = _Writer(issue)
    written: list[Path] = []
    for index in indexes:
        article = issue.articles[index]
        before = len(writer.problems)
        root = writer.article(index)
        if any(p.severity == "error" for p in writer.problems[before:]):
            continue
        target = folder / file_name(article, index)
        write_atomic(target, _serialise(root))
        written.append(target)
    writer.report()
    return written, _unique(writer.problems)


def _unique(problems: list[Problem]) -> list[Problem]:
    """The journal-level problems repeat for every article; keep each once."""
    return list(dict.fromkeys(problems))


# --- validation ------------------------------------------------------------------------

def detect(path: Path) -> bool:
    """A JATS article: an XML file whose root is ``<article>`` without a namespace."""
    head = read_head(path)
    if head is None:
        return False
    return bool(re.search(rb"<article[\s>]", head)) and b"<doi_batch" not in head


# The compiled schema and when its files were last verified. schemas.jats_schema() stats every
# pinned file on each call (a third of the time of validating one article), so a run of articles
# asks it again only once this many seconds have passed; the compiled schema is the same object.
_RECHECK_SECONDS = 1.0
_schema_seen: tuple[object, str | None, float] | None = None


def _jats_schema():
    global _schema_seen
    from .. import schemas

    seen, folder, now = _schema_seen, os.environ.get(schemas.ENV_VAR), time.monotonic()
    if seen is not None and seen[1] == folder and now - seen[2] < _RECHECK_SECONDS:
        return seen[0]
    schema = schemas.jats_schema()
    _schema_seen = (schema, folder, now)
    return schema


def validate_tree(tree: etree._ElementTree, file: str) -> list[Problem]:
    """Check a parsed article against the official JATS 1.3 Journal Publishing XSD, offline."""
    from .. import schemas

    try:
        schema = _jats_schema()
    except schemas.SchemasUnavailable as missing:
        return [Problem(p.code, p.severity, p.message, file=file) for p in missing.problems]
    if schema.validate(tree):
        return []
    problems = []
    for error in list(schema.error_log)[:200]:
        element = _element_at(tree, error)
        where = xmltools.element_path(element) if element is not None else (error.path or "")
        message = re.sub(r"^Element '([^']+)'", r"<\1>", error.message).strip().rstrip(".")
        problems.append(Problem("jats.schema", "error", message, path=where, file=file, line=error.line))
    return problems


def _element_at(tree: etree._ElementTree, error) -> etree._Element | None:
    try:
        found = tree.xpath(error.path) if error.path else []
    except etree.XPathError:
        return None
    return found[0] if found else None


def validate(path: Path) -> list[Problem]:
    tree, problems = xmltools.read_xml(path)
    if tree is None:
        return problems
    return validate_tree(tree, str(path))


# --- reading ---------------------------------------------------------------------------

def _text(element: etree._Element | None) -> str | None:
    """All text inside an element (inline markup flattened), stripped; None when empty."""
    if element is None:
        return None
    text = "".join(element.itertext()).strip()
    return text or None


def _lang(element: etree._Element, default: str) -> str:
    raw = element.get(XML_LANG)
    if not raw:
        return default
    checked = ids.language_tag(raw)
    return checked.value if checked.ok else default


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _children(element: etree._Element | None, *names: str) -> list[etree._Element]:
    if element is None:
        return []
    return [child for child in element if _local(child) in names]


def _child(element: etree._Element | None, *names: str) -> etree._Element | None:
    found = _children(element, *names)
    return found[0] if found else None


def _date(element: etree._Element | None) -> PartialDate | None:
    if element is None:
        return None
    year = _text(_child(element, "year"))
    if not year or not year[:4].isdigit():
        return None
    month, day = _text(_child(element, "month")), _text(_child(element, "day"))
    date = PartialDate(int(year[:4]), int(month) if month and month.isdigit() else None,
                       int(day) if day and day.isdigit() and month else None)
    return PartialDate.parse(str(date))


class _Reader:
    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def note(self, code: str, message: str, element: etree._Element | None = None, severity: str = "info") -> None:
        self.problems.append(Problem(code, severity, message, file=self.file,  # type: ignore[arg-type]
                                     line=element.sourceline if element is not None else None,
                                     path=xmltools.element_path(element) if element is not None else None))

    def issue(self, root: etree._Element) -> Issue | None:
        front = _child(root, "front")
        meta = _child(front, "article-meta")
        if meta is None:
            self.note("jats.front-missing", "this JATS file has no front/article-meta to read", root, "error")
            return None
        language = _lang(root, "en")
        journal = self.journal(_child(front, "journal-meta"), language)
        article = self.article(root, meta, language)
        collection = next((_date(d) for d in _children(meta, "pub-date")
                           if d.get("date-type") == "collection" or d.get("pub-type") == "collection"), None)
        any_date = collection or article.dates.published or article.dates.online
        issue = Issue(journal=journal, year=any_date.year if any_date else 0, articles=[article],
                      number=_text(_child(meta, "issue")), volume=_text(_child(meta, "volume")),
                      published=collection if collection and (collection.month or collection.day) else None)
        if any_date is None:
            self.note("jats.year-missing", "the file gives no publication year", meta, "warning")
        issue_doi = next((_text(e) for e in _children(meta, "issue-id") if e.get("pub-id-type") == "doi"), None)
        if issue_doi:
            issue.doi = ids.doi(issue_doi).value
        titles = {_lang(e, language): _text(e) for e in _children(meta, "issue-title") if _text(e)}
        if titles:
            issue.title = LangText.of(titles, journal.language)  # type: ignore[arg-type]
        return issue

    def journal(self, meta: etree._Element | None, language: str) -> Journal:
        titles: dict[str, str] = {}
        abbreviation = None
        for group in _children(meta, "journal-title-group"):
            for title in _children(group, "journal-title"):
                if _text(title):
                    titles.setdefault(_lang(title, language), _text(title))  # type: ignore[arg-type]
            for trans in _children(group, "trans-title-group"):
                text = _text(_child(trans, "trans-title"))
                if text:
                    titles.setdefault(_lang(trans, language), text)
            abbreviation = abbreviation or _text(_child(group, "abbrev-journal-title"))
        for title in _children(meta, "journal-title"):  # JATS 2.x / NLM style, outside a group
            if _text(title):
                titles.setdefault(_lang(title, language), _text(title))  # type: ignore[arg-type]
        issns = []
        for element in _children(meta, "issn"):
            checked = ids.issn(_text(element) or "")
            media = {"print": "print", "ppub": "print", "electronic": "electronic", "epub": "electronic"}.get(
                element.get("publication-format") or element.get("pub-type") or "")
            if checked.ok:
                issns.append(Issn(checked.value, media))  # type: ignore[arg-type]
            else:
                self.note(checked.code or "issn", checked.message or "", element, "warning")
        publisher = None
        element = _child(meta, "publisher")
        if element is not None:
            names = {_lang(e, language): _text(e) for e in _children(element, "publisher-name") if _text(e)}
            places = {_lang(e, language): _text(e) for e in _children(element, "publisher-loc") if _text(e)}
            if names:
                publisher = Publisher(LangText.of(names, next(iter(names))),  # type: ignore[arg-type]
                                      LangText.of(places, next(iter(places))) if places else None)  # type: ignore[arg-type]
        first = next(iter(titles), None)
        return Journal(titles=LangText.of(titles, first), language=first, abbreviation=abbreviation, issns=issns,
                       publisher=publisher)

    def article(self, root: etree._Element, meta: etree._Element, language: str) -> Article:
        titles: dict[str, str] = {}
        group = _child(meta, "title-group")
        main = _child(group, "article-title")
        if _text(main):
            titles[_lang(main, language)] = _text(main)  # type: ignore[assignment]
        for trans in _children(group, "trans-title-group"):
            text = _text(_child(trans, "trans-title"))
            if text:
                titles.setdefault(_lang(trans, language), text)
        if not titles:
            self.note("jats.title-missing", "the article has no title", meta, "warning")
        article = Article(language=language, titles=LangText.of(titles, language))
        for element in _children(meta, "article-id"):
            if element.get("pub-id-type") == "doi":
                checked = ids.doi(_text(element) or "")
                if checked.ok:
                    article.doi = checked.value
                else:
                    self.note(checked.code or "doi", checked.message or "", element, "warning")
        sections = {}
        for categories in _children(meta, "article-categories"):
            for subj in _children(categories, "subj-group"):
                if subj.get("subj-group-type") in ("heading", None):
                    text = _text(_child(subj, "subject"))
                    if text:
                        sections.setdefault(_lang(subj, language), text)
        article.section = LangText.of(sections, language) if sections else None
        self.contributors(meta, article, language)
        self.abstracts(meta, article, language)
        for group_element in _children(meta, "kwd-group"):
            words = [_text(k) for k in _children(group_element, "kwd", "compound-kwd") if _text(k)]
            if words:
                article.keywords.setdefault(_lang(group_element, language), []).extend(words)  # type: ignore[arg-type]
        self.dates(meta, article)
        first, last = _text(_child(meta, "fpage")), _text(_child(meta, "lpage"))
        number = _text(_child(meta, "elocation-id"))
        if first or number:
            article.pages = Pages(first, last if first else None, number if not first else None)
        permissions = _child(meta, "permissions")
        for license_element in _children(permissions, "license"):
            ref = _child(license_element, "license_ref")
            url = _text(ref) or license_element.get(f"{{{XLINK}}}href")
            if url:
                start = PartialDate.parse(ref.get("start_date", "")) if ref is not None else None
                article.license = License(url, start)
                break
        self_uri = _child(meta, "self-uri")
        if self_uri is not None and self_uri.get(f"{{{XLINK}}}href"):
            article.url = self_uri.get(f"{{{XLINK}}}href")
        for group_element in _children(meta, "funding-group"):
            article.funding.extend(self.funding(group_element, language))
        article.references = self.references(_child(_child(root, "back"), "ref-list"), language)
        return article

    def abstracts(self, meta: etree._Element, article: Article, language: str) -> None:
        texts: dict[str, str] = {}
        for element in _children(meta, "abstract", "trans-abstract"):
            if element.get("abstract-type") not in (None, "summary", "abstract"):
                continue
            paragraphs = [_text(p) for p in element.iter() if _local(p) == "p" and _text(p)]
            text = "\n\n".join(paragraphs) if paragraphs else _text(element)  # type: ignore[arg-type]
            if text:
                texts.setdefault(_lang(element, language), text)
        article.abstracts = LangText.of(texts, language)

    def contributors(self, meta: etree._Element, article: Article, language: str) -> None:
        affs = {aff.get("id"): aff for aff in meta.iter() if _local(aff) == "aff" and aff.get("id")}
        for group in _children(meta, "contrib-group"):
            for element in _children(group, "contrib"):
                contributor = self.contributor(element, affs, language)
                if contributor is not None:
                    article.contributors.append(contributor)

    def contributor(self, element: etree._Element, affs: dict, language: str) -> Contributor | None:
        role = (element.get("contrib-type") or "author").lower()
        if role not in ("author", "editor", "chair", "translator", "reviewer"):
            self.note("jats.contrib-type", f"the contributor type '{role}' is read as author", element)
            role = "author"
        contributor = Contributor(role=role, corresponding=element.get("corresp") == "yes")  # type: ignore[arg-type]
        for contrib_id in _children(element, "contrib-id"):
            if contrib_id.get("contrib-id-type") == "orcid":
                checked = ids.orcid(_text(contrib_id) or "")
                if checked.ok:
                    contributor.orcid = checked.value
                else:
                    self.note(checked.code or "orcid", checked.message or "", contrib_id, "warning")
        names = list(_children(element, "name", "string-name"))
        for alternatives in _children(element, "name-alternatives"):
            names += _children(alternatives, "name", "string-name")
        collabs = list(_children(element, "collab"))
        for alternatives in _children(element, "collab-alternatives"):
            collabs += _children(alternatives, "collab")
        for name_element in names:
            self.person_name(name_element, contributor, language)
        if collabs and not contributor.names:
            organization = {}
            for collab in collabs:
                if _text(collab):
                    organization.setdefault(_lang(collab, language), _text(collab))
            contributor.organization = LangText.of(organization, language)  # type: ignore[arg-type]
        if not contributor.names and not contributor.organization:
            self.note("jats.contrib-empty", "a contributor without a name was skipped", element, "warning")
            return None
        linked = [affs.get(rid) for xref in _children(element, "xref") if xref.get("ref-type") == "aff"
                  for rid in (xref.get("rid") or "").split()]
        for aff in [*_children(element, "aff"), *(a for a in linked if a is not None)]:
            contributor.affiliations.append(self.affiliation(aff, language))
        email = _text(_child(element, "email"))
        if email:
            contributor.email = email
        if any(x.get("ref-type") == "corresp" for x in _children(element, "xref")):
            contributor.corresponding = True
        for role_element in _children(element, "role"):
            term = role_element.get("vocab-term") or _text(role_element)
            if role_element.get("vocab") == "credit" and term:
                known = term.strip().lower().replace(" & ", "-").replace(" ", "-")
                contributor.credit.append(known if known in CREDIT_ROLES else term)
        return contributor

    def person_name(self, element: etree._Element, contributor: Contributor, language: str) -> None:
        family, given = _text(_child(element, "surname")), _text(_child(element, "given-names"))
        if family is None and _local(element) == "string-name":
            family, given = self.split_string_name(element)
        if family is None:
            if given:
                family, given = given, None
            else:
                return
        lang = _lang(element, "")
        if not lang:
            lang = "en" if derive.is_latin(family + " " + (given or "")) and language != "en" else language
        if lang in contributor.names:
            self.note("jats.name-duplicate", f"a second '{lang}' spelling of a name was skipped", element)
            return
        order = "family-first" if element.get("name-style") == "eastern" else "given-first"
        contributor.names[lang] = PersonName(family, given, order)  # type: ignore[arg-type]

    def split_string_name(self, element: etree._Element) -> tuple[str | None, str | None]:
        text = _text(element)
        if not text:
            return None, None
        if "," in text:
            family, _, given = text.partition(",")
            return family.strip() or None, given.strip() or None
        parts = text.split()
        if len(parts) == 1:
            return parts[0], None
        self.note("jats.name-guessed", f"'{text}' is read as given name(s) then family name", element)
        return parts[-1], " ".join(parts[:-1])

    def affiliation(self, aff: etree._Element, language: str) -> Affiliation:
        names: dict[str, str] = {}
        ror = None
        for wrap in [aff, *_children(aff, "institution-wrap")]:
            for institution in _children(wrap, "institution"):
                if _text(institution):
                    names.setdefault(_lang(institution, _lang(aff, language)), _text(institution))  # type: ignore[arg-type]
            for institution_id in _children(wrap, "institution-id"):
                if institution_id.get("institution-id-type", "").lower() == "ror":
                    checked = ids.ror(_text(institution_id) or "")
                    ror = checked.value if checked.ok else ror
        country_element = _child(aff, "country")
        country = country_element.get("country") or _text(country_element) if country_element is not None else None
        if not names:  # an affiliation as plain text: everything but its label
            parts = [aff.text or ""] + [(child.tail or "") if _local(child) == "label" else
                                        "".join(child.itertext()) + (child.tail or "") for child in aff]
            text = " ".join("".join(parts).split())
            if text:
                names[_lang(aff, language)] = text
        return Affiliation(LangText.of(names, language), ror, country)

    def dates(self, meta: etree._Element, article: Article) -> None:
        for element in _children(meta, "pub-date"):
            kind = element.get("date-type") or element.get("pub-type") or ""
            media = element.get("publication-format") or ""
            date = _date(element)
            if date is None or kind == "collection":
                continue
            if media == "electronic" or kind == "epub":
                article.dates.online = article.dates.online or date
            else:
                article.dates.published = article.dates.published or date
        history = _child(meta, "history")
        for element in _children(history, "date"):
            kind = element.get("date-type")
            if kind in ("received", "accepted"):
                setattr(article.dates, kind, _date(element))

    def funding(self, group: etree._Element, language: str) -> list[Funding]:
        sources: list[Funding] = []
        for award in _children(group, "award-group"):
            source = Funding()
            funders: dict[str, str] = {}
            for funding_source in _children(award, "funding-source"):
                wrap = _child(funding_source, "institution-wrap")
                name = _text(_child(wrap, "institution")) if wrap is not None else _text(funding_source)
                if name:
                    funders.setdefault(_lang(funding_source, language), name)
                for institution_id in _children(wrap, "institution-id"):
                    kind = institution_id.get("institution-id-type", "").lower()
                    raw = _text(institution_id) or ""
                    checked = ids.funder_id(raw) if kind in ("doi", "ror", "fundref", "") else None
                    if checked is not None and checked.ok:
                        source.funder_id = checked.value
            source.funder = LangText.of(funders, language)
            source.awards = [_text(a) for a in _children(award, "award-id") if _text(a)]  # type: ignore[misc]
            sources.append(source)
        statements = {_lang(s, language): _text(s) for s in _children(group, "funding-statement") if _text(s)}
        if statements:
            if not sources:
                sources.append(Funding())
            sources[0].statement = LangText.of(statements, language)  # type: ignore[arg-type]
        return sources

    def references(self, ref_list: etree._Element | None, language: str) -> list[Reference]:
        references = []
        for ref in _children(ref_list, "ref"):
            reference = Reference(label=_text(_child(ref, "label")), text=_text(_child(ref, "mixed-citation")))
            citation = _child(ref, "element-citation", "nlm-citation")
            lang = ref.get(XML_LANG) or next((c.get(XML_LANG) for c in _children(ref, "mixed-citation",
                                                                                  "element-citation")
                                              if c.get(XML_LANG)), None)
            if lang and ids.language_tag(lang).ok:
                reference.language = ids.language_tag(lang).value
            source = citation if citation is not None else _child(ref, "mixed-citation")
            if source is not None:
                self.structured(source, reference)
            if reference.text is None and citation is None:
                reference.text = _text(_child(ref, "citation"))
            references.append(reference)
        return references

    def structured(self, citation: etree._Element, reference: Reference) -> None:
        kind = citation.get("publication-type")
        if kind and _local(citation) == "element-citation":
            reference.type = _MODEL_TYPE.get(kind, kind)
        for group in _children(citation, "person-group"):
            if group.get("person-group-type", "author") == "author":
                for name in _children(group, "name", "string-name", "collab"):
                    surname, given = _text(_child(name, "surname")), _text(_child(name, "given-names"))
                    author = f"{surname}, {given}" if surname and given else surname or _text(name)
                    if author:
                        reference.authors.append(author)
        fields = {"article-title": "title", "chapter-title": "title", "source": "container", "year": "year",
                  "volume": "volume", "issue": "issue", "page-range": "pages", "publisher-name": "publisher",
                  "uri": "url", "ext-link": "url"}
        for child in citation:
            name = _local(child)
            if name in fields and getattr(reference, fields[name]) is None and _text(child):
                setattr(reference, fields[name], _text(child))
            elif name == "pub-id" and child.get("pub-id-type") == "doi":
                checked = ids.doi(_text(child) or "")
                reference.doi = checked.value if checked.ok else reference.doi
        if reference.pages is None and _text(_child(citation, "fpage")):
            last = _text(_child(citation, "lpage"))
            reference.pages = _text(_child(citation, "fpage")) + (f"-{last}" if last else "")  # type: ignore[operator]


def read(path: Path) -> tuple[Issue | None, list[Problem]]:
    """A JATS article file as an issue with one article."""
    tree, problems = xmltools.read_xml(Path(path))
    if tree is None:
        return None, problems
    reader = _Reader(str(path))
    root = tree.getroot()
    if _local(root) != "article":
        return None, [Problem("jats.root", "error", f"the root element is <{_local(root)}>, not <article>",
                              file=str(path), line=root.sourceline)]
    issue = reader.issue(root)
    return issue, problems + reader.problems
