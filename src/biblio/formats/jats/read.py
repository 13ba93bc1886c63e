"""Reading JATS: one article file back into the model, one article per file.

The reader takes what the writer writes and the common front matter of other publishers'
JATS: single-language articles, ``string-name``, ``collab``, ``aff`` as plain text or
linked with ``xref``, ``pub-type`` dates, and the DTD's named character entities.
"""

from __future__ import annotations

import re
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

from lxml import etree

from ... import derive, ids, manifest_spec
from ...model import (REFERENCE_TYPES, Affiliation, Article, Contributor, ContributorRole, Funding, Issn, Issue,
                      Journal, LangText, License, NameOrder, Pages, PartialDate, PersonName, Publisher, Reference)
from ...problems import Problem, Severity
from .. import ArticleReading, xmltools
from ..crossref import CREDIT_ROLES
from .mapping import (CITATION_READ, CONTRIB_TYPES, HISTORY_DATES, ISSN_MEDIA, ISSUE_FIELDS, MODEL_TYPES, TITLE_READ,
                      XLINK, XML_LANG, citation_roles)
from .parse import parse


def iter_read(path: Path) -> ArticleReading:
    """The file's article (a JATS file holds one); ``issue`` is its journal and issue."""
    return ArticleReading(lambda reading: _articles(Path(path), reading))


def _articles(path: Path, reading: ArticleReading) -> Iterator[Article]:
    tree, problems = parse(path)
    reading.problems += problems
    if tree is None:
        return
    root = tree.getroot()
    if _local(root) != "article":
        reading.problems.append(Problem("jats.root", "error", f"the root element is <{_local(root)}>, not <article>",
                                        file=str(path), line=root.sourceline))  # type: ignore[arg-type]  # lxml-stubs
        return
    reader = _Reader(str(path))
    read = reader.issue(root)
    reading.problems += reader.problems
    if read is not None:
        reading.issue, article = read
        yield article


def _text(element: etree._Element | None) -> str | None:
    """All text inside an element (inline markup flattened), stripped; None when empty."""
    if element is None:
        return None
    return "".join(element.itertext()).strip() or None  # type: ignore[arg-type]  # lxml-stubs: str, never bytes


def _without_suffix(element: etree._Element) -> str | None:
    """A ``string-name``'s text without the text of its ``suffix`` (and the comma before it), stripped."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and _local(child) != "suffix":
            parts.append("".join(child.itertext()))  # type: ignore[arg-type]  # lxml-stubs: str, never bytes
        parts.append(child.tail or "")
    return "".join(parts).strip().rstrip(",").strip() or None


def _own_text(element: etree._Element, skipped: tuple[str, ...]) -> str | None:
    """An element's text without the text of its ``skipped`` children (a collab's member list), stripped; None
    when empty."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and _local(child) not in skipped:
            parts.append("".join(child.itertext()))  # type: ignore[arg-type]  # lxml-stubs: str, never bytes
        parts.append(child.tail or "")
    return "".join(parts).strip() or None


#: The ``alt-title-type`` values read as the short title, the first found wins (the tag library's "short", then a
#: running head, which PMC's articles give).
SHORT_TITLE_TYPES = ("short", "running-head", "right-running-head")


def _title_text(element: etree._Element | None) -> str | None:
    """A title's text without its links (SciELO's footnote marker ``<xref ref-type="fn">*</xref>``)."""
    return None if element is None else _own_text(element, ("xref",))


# Contributor types: the model's roles as they are; a group author as PMC types it; any kind of editor
# (eLife's senior_editor, a reviewing or guest editor) as an editor. Any other type is not read (reported).
_AUTHOR_TYPES = ("collab",)
# Keyword groups of the author's keywords; typed groups of anything else (research organisms, subjects,
# abbreviations) are not keywords and are reported.
_AUTHOR_KEYWORDS = (None, "", "author", "author-keywords", "author-generated", "author keywords")
_VERSION = re.compile(r"\.\d+")  # eLife's version DOIs: 10.7554/eLife.84364.2 is a version of 10.7554/eLife.84364
_COLLAB_OWN = ("contrib-group", "contrib", "xref")  # a collab's members and links are not its name


def _role(raw: str) -> ContributorRole | None:
    """The model's role of a ``contrib-type`` (none given: author), or None when the model has none for it."""
    key = re.sub(r"[\s_]+", "-", raw.strip().lower()) or "author"
    if key in _AUTHOR_TYPES:
        return "author"
    if "editor" in key.split("-"):
        return "editor"
    return next((role for role in CONTRIB_TYPES if role == key), None)


def _counted(counts: Counter[str]) -> str:
    return ", ".join(f"{count} '{name}'" for name, count in counts.items())


def _landing_page(href: str) -> bool:
    """Whether a ``self-uri`` can be a landing page: an absolute http(s) URL with a host, without spaces."""
    parts = urllib.parse.urlsplit(href)
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname) and not any(c.isspace() for c in href)


def _lang(element: etree._Element, default: str) -> str:
    raw = element.get(XML_LANG)
    return (ids.language_tag(raw).value if raw else None) or default


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _children(element: etree._Element | None, *names: str) -> list[etree._Element]:
    return [] if element is None else [child for child in element if _local(child) in names]


def _child(element: etree._Element | None, *names: str) -> etree._Element | None:
    return next(iter(_children(element, *names)), None)


def _add_texts(texts: dict[str, str], elements: list[etree._Element], language: str, inner: str | None = None,
               read: Callable[[etree._Element | None], str | None] = _text) -> dict[str, str]:
    """Each element's text (or its ``inner`` child's) under the element's language; the first one wins."""
    for element in elements:
        if text := read(_child(element, inner) if inner else element):
            texts.setdefault(_lang(element, language), text)
    return texts


def _paragraphs(element: etree._Element, out: list[str]) -> None:
    """An abstract's paragraphs, in order: each ``p`` (the paragraphs inside it are part of its text), and each
    section's title as a paragraph of its own before the section's paragraphs (the abstract's own title, a
    label such as "Abstract", is not text of the abstract)."""
    for child in element:
        name = _local(child)
        if name == "p" or (name == "title" and _local(element) == "sec"):
            if text := _text(child):
                out.append(text)
        elif name not in ("title", "label"):
            _paragraphs(child, out)


def _date(element: etree._Element | None) -> PartialDate | None:
    """The date a ``year``, ``month`` and ``day`` give, when it is a real one (a month of 5,000 digits is none)."""
    if element is None:
        return None
    year = ids.whole_number((_text(_child(element, "year")) or "")[:4], 4)
    if year is None:
        return None
    month, day = (ids.whole_number(_text(_child(element, name)) or "", 9) for name in ("month", "day"))
    for parts in ((month, day if month else None), (month, None), (None, None)):  # what is real of it
        if date := PartialDate.parse(str(PartialDate(year, *parts))):
            return date
    return None


class _Reader:
    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def note(self, code: str, message: str, element: etree._Element | None = None, severity: Severity = "info") -> None:
        self.problems.append(Problem(code, severity, message, file=self.file,  # lxml-stubs: sourceline untyped
                                     line=element.sourceline if element is not None else None,  # type: ignore[arg-type]
                                     path=xmltools.element_path(element) if element is not None else None))

    def issue(self, root: etree._Element) -> tuple[Issue, Article] | None:
        """The issue (without its articles) and the article."""
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
        issue = Issue(journal=journal, year=any_date.year if any_date else 0, articles=[],
                      published=collection if collection and (collection.month or collection.day) else None)
        for tag, field in ISSUE_FIELDS:
            setattr(issue, field, _text(_child(meta, tag)))
        if any_date is None:
            self.note("jats.year-missing", "the file gives no publication year", meta, "warning")
        if issue_doi := next((_text(e) for e in _children(meta, "issue-id") if e.get("pub-id-type") == "doi"), None):
            issue.doi = ids.doi(issue_doi).value
        titles = {_lang(e, language): text for e in _children(meta, "issue-title") if (text := _text(e))}
        if titles:
            issue.title = LangText.of(titles, journal.language)
        return issue, article

    def journal(self, meta: etree._Element | None, language: str) -> Journal:
        titles: dict[str, str] = {}
        abbreviation = None
        for group in _children(meta, "journal-title-group"):
            _add_texts(titles, _children(group, "journal-title"), language)
            _add_texts(titles, _children(group, "trans-title-group"), language, "trans-title")
            abbreviation = abbreviation or _text(_child(group, "abbrev-journal-title"))
        _add_texts(titles, _children(meta, "journal-title"), language)  # JATS 2.x / NLM style, outside a group
        issns = []
        for element in _children(meta, "issn"):
            checked = ids.issn(_text(element) or "")
            media = ISSN_MEDIA.get(element.get("publication-format") or element.get("pub-type") or "")
            if checked.value:
                issns.append(Issn(checked.value, media))
            else:
                self.note(checked.code or "issn", checked.message or "", element, "warning")
        publisher = None
        if (found := _child(meta, "publisher")) is not None:
            names = {_lang(e, language): text for e in _children(found, "publisher-name") if (text := _text(e))}
            places = {_lang(e, language): text for e in _children(found, "publisher-loc") if (text := _text(e))}
            if names:
                publisher = Publisher(LangText.of(names, next(iter(names))),
                                      LangText.of(places, next(iter(places))) if places else None)
        first = next(iter(titles), None)
        return Journal(titles=LangText.of(titles, first), language=first, abbreviation=abbreviation, issns=issns,
                       publisher=publisher)

    def article(self, root: etree._Element, meta: etree._Element, language: str) -> Article:
        group = _child(meta, "title-group")
        titles = _add_texts({}, _children(group, "article-title")[:1], language, read=_title_text)
        _add_texts(titles, _children(group, "trans-title-group"), language, "trans-title", _title_text)
        article = Article(language=language, titles=LangText.of(titles, language))
        article.doi = self.doi(meta)
        self.pubmed_ids(meta, article)
        shorts = _add_texts({}, [alt for kind in SHORT_TITLE_TYPES for alt in _children(group, "alt-title")
                                 if alt.get("alt-title-type") == kind], language, read=_title_text)
        article.short_title = LangText.of(shorts, language) if shorts else None
        headings = [subj for categories in _children(meta, "article-categories")
                    for subj in _children(categories, "subj-group") if subj.get("subj-group-type") in ("heading", None)]
        sections = _add_texts({}, headings, language, "subject")
        article.section = LangText.of(sections, language) if sections else None
        self.contributors(meta, article, language)
        self.abstracts(meta, article, language)
        not_keywords: dict[str, tuple[int, etree._Element]] = {}
        self.keywords(meta, article.keywords, language, not_keywords)
        self.translations(root, article, not_keywords)
        if not article.titles:
            self.note("jats.title-missing", "the article has no title", meta, "warning")
        for kind, (count, first_group) in not_keywords.items():
            plural = "" if count == 1 else "s"
            self.note("jats.keywords-not-read", f"the keyword group of type '{kind}' ({count} keyword{plural}) is "
                      "not read: only the author's keywords (a kwd-group without a type, or of type 'author', "
                      "'author-keywords' or 'author-generated') are the article's keywords", first_group)
        self.dates(meta, article)
        first, last = _text(_child(meta, "fpage")), _text(_child(meta, "lpage"))
        number = _text(_child(meta, "elocation-id"))
        if first or number:
            article.pages = Pages(first, last if first else None, number if not first else None)
        permissions = _child(meta, "permissions")
        for license_element in _children(permissions, "license"):
            ref = _child(license_element, "license_ref")
            if url := _text(ref) or license_element.get(f"{{{XLINK}}}href"):
                start = PartialDate.parse(ref.get("start_date", "")) if ref is not None else None
                article.license = License(url, start)
                break
        for self_uri in _children(meta, "self-uri"):
            if not (href := (self_uri.get(f"{{{XLINK}}}href") or "").strip()):
                continue
            if article.url is None and _landing_page(href):
                article.url = href
            else:
                why = ("only an absolute http(s) URL can be the article's landing page" if not _landing_page(href)
                       else f"the landing page is the first one, '{article.url}'")
                self.note("jats.self-uri", f"the self-uri '{href}' is not read: {why}", self_uri)
        for group_element in _children(meta, "funding-group"):
            article.funding.extend(self.funding(group_element, language))
        article.references = self.references(_child(_child(root, "back"), "ref-list"), language)
        return article

    def pubmed_ids(self, meta: etree._Element, article: Article) -> None:
        """The PMID and the PMCID (``pmcid``, or PMC's older ``pmc`` with the digits only): the first valid one of
        each; one that is not valid is reported."""
        for element in _children(meta, "article-id"):
            kind, value = element.get("pub-id-type"), _text(element) or ""
            if kind == "pmc" and value.isdigit():
                value = "PMC" + value
            attribute = {"pmid": "pmid", "pmcid": "pmcid", "pmc": "pmcid"}.get(kind or "")
            if attribute is None or getattr(article, attribute):
                continue
            checked = (manifest_spec.pmid if attribute == "pmid" else manifest_spec.pmcid)(value)
            if checked.ok:
                setattr(article, attribute, checked.value)
            else:
                self.note(checked.code or attribute, f"{checked.message}; it is not read", element, "warning")

    def doi(self, meta: etree._Element) -> str | None:
        """The article's DOI: the first one given, or the one a version DOI extends (eLife's ``10.7554/eLife.84364``
        beside ``10.7554/eLife.84364.2``); any other is reported."""
        found: list[tuple[str, etree._Element]] = []
        for element in _children(meta, "article-id"):
            if element.get("pub-id-type") == "doi":
                checked = ids.doi(_text(element) or "")
                if not checked.ok:
                    self.note(checked.code or "doi", checked.message or "", element, "warning")
                elif all(ids.doi_key(checked.value or "") != ids.doi_key(seen) for seen, _ in found):
                    found.append((checked.value or "", element))

        def version_of(value: str, stem: str) -> bool:
            return ids.doi_key(value).startswith(ids.doi_key(stem)) and bool(_VERSION.fullmatch(value[len(stem):]))

        if not found:
            return None
        chosen = next((value for value, _ in found if not any(version_of(value, stem) for stem, _ in found)),
                      found[0][0])
        others = [(value, element) for value, element in found if value != chosen]
        if others:
            shown = ", ".join(f"'{value}'" + (" (a version of it)" if version_of(value, chosen) else "")
                              for value, _ in others)
            self.note("jats.doi-several", f"the article has {len(found)} DOIs: '{chosen}' is read, {shown} not; "
                      "if another is the one to register, give it in the manifest", others[0][1], "warning")
        return chosen

    def keywords(self, meta: etree._Element, keywords: dict[str, list[str]], language: str,
                 not_read: dict[str, tuple[int, etree._Element]]) -> None:
        """The author's keyword groups into ``keywords``; the other typed groups counted in ``not_read`` by type."""
        for group_element in _children(meta, "kwd-group"):
            words = [text for k in _children(group_element, "kwd", "compound-kwd") if (text := _text(k))]
            kind = group_element.get("kwd-group-type")
            if (kind or "").strip().lower() not in _AUTHOR_KEYWORDS:
                count, first = not_read.get(kind or "", (0, group_element))
                not_read[kind or ""] = (count + len(words), first)
            elif words:
                keywords.setdefault(_lang(group_element, language), []).extend(words)

    def abstract_texts(self, meta: etree._Element, language: str) -> dict[str, str]:
        texts: dict[str, str] = {}
        for element in _children(meta, "abstract", "trans-abstract"):
            if element.get("abstract-type") not in (None, "summary", "abstract"):
                continue
            paragraphs: list[str] = []
            _paragraphs(element, paragraphs)
            joined = "\n\n".join(paragraphs) if paragraphs else _own_text(element, ("title", "label"))
            if joined:
                texts.setdefault(_lang(element, language), joined)
        return texts

    def abstracts(self, meta: etree._Element, article: Article, language: str) -> None:
        article.abstracts = LangText.of(self.abstract_texts(meta, language), language)
        others: Counter[str] = Counter()  # a digest, a graphical or table-of-contents abstract …: one per file
        first = None
        for element in _children(meta, "abstract", "trans-abstract"):
            if element.get("abstract-type") not in (None, "summary", "abstract"):
                others[str(element.get("abstract-type"))] += 1
                first = first if first is not None else element
        if others:
            kinds = ", ".join(f"{count} '{kind}'" for kind, count in others.items())
            self.note("jats.abstract-not-read", f"abstracts of other types are not read ({kinds}): biblio keeps "
                      "the article's abstract in each language", first)

    def translations(self, root: etree._Element, article: Article,
                     not_keywords: dict[str, tuple[int, etree._Element]]) -> None:
        """SciELO's translations (``sub-article`` of type ``translation``, with its own ``front-stub``): their title,
        abstract and keywords are the article's texts in their language, where the article gives none of its own.
        Other sub-articles (eLife's decision letters and replies) are works of their own, reported as not read."""
        others: Counter[str] = Counter()
        for sub in _children(root, "sub-article"):
            kind = sub.get("article-type") or ""
            if kind != "translation":
                others[kind or "(no type)"] += 1
                continue
            raw = sub.get(XML_LANG) or ""
            lang = ids.language_tag(raw).value if raw else None
            if not lang:
                self.note("jats.sub-article-language", f"a translation sub-article without a language ('{raw}' is not "
                          "a language tag) is not read: give it xml:lang, such as xml:lang=\"en\"", sub, "warning")
                continue
            stub = _child(sub, "front-stub")
            stub = stub if stub is not None else _child(_child(sub, "front"), "article-meta")
            if stub is None:
                self.note("jats.sub-article-empty", "a translation sub-article without a front-stub gives no title, "
                          "abstract or keywords to read", sub)
                continue
            title = _title_text(next(iter(_children(_child(stub, "title-group"), "article-title")), None))
            for doi_element in _children(stub, "article-id"):
                if doi_element.get("pub-id-type") == "doi":
                    self.note("jats.sub-article-doi", f"the '{lang}' translation's own DOI '{_text(doi_element)}' is "
                              "not read: biblio's model gives an article one DOI", doi_element)
            keywords: dict[str, list[str]] = {}
            self.keywords(stub, keywords, lang, not_keywords)
            fields = (("title", article.titles.texts, {lang: title} if title else {}),
                      ("abstract", article.abstracts.texts, self.abstract_texts(stub, lang)))
            for what, texts, given in fields:
                for key, text in given.items():
                    if texts.setdefault(key, text) != text:
                        self.note("jats.sub-article-differs", f"the translation's '{key}' {what} differs from the "
                                  f"article's own; the article's is read", sub)
            for key, words in keywords.items():
                if article.keywords.setdefault(key, words) != words:
                    self.note("jats.sub-article-differs", f"the translation's '{key}' keywords differ from the "
                              "article's own; the article's are read", sub)
            if article.titles.original is None:
                article.titles.original = next(iter(article.titles.texts), None)
            if article.abstracts.original is None:
                article.abstracts.original = next(iter(article.abstracts.texts), None)
        if others:
            self.note("jats.sub-article-not-read", f"sub-articles that are works of their own are not read: "
                      f"{_counted(others)}", root)

    def contributors(self, meta: etree._Element, article: Article, language: str) -> None:
        affs = {key: aff for aff in meta.iter() if _local(aff) == "aff" and (key := aff.get("id"))}
        left_out: Counter[str] = Counter()
        mapped: Counter[str] = Counter()
        first_left: etree._Element | None = None
        for group in _children(meta, "contrib-group"):
            for element in _children(group, "contrib"):
                kind = element.get("contrib-type") or "author"
                role = _role(kind)
                if role is None:
                    left_out[kind] += 1
                    first_left = element if first_left is None else first_left
                    continue
                if role != kind.strip().lower():
                    mapped[f"{kind}' as '{role}"] += 1
                if (contributor := self.contributor(element, affs, language, role)) is not None:
                    article.contributors.append(contributor)
        if left_out:
            self.note("jats.contrib-not-read", f"contributors of types biblio's model has no role for are not read: "
                      f"{_counted(left_out)} (the roles are {', '.join(CONTRIB_TYPES)})", first_left)
        if mapped:
            self.note("jats.contrib-type", f"contributor types read as the model's role: {_counted(mapped)}", meta)

    def contributor(self, element: etree._Element, affs: dict[str, etree._Element], lang: str,
                    role: ContributorRole) -> Contributor | None:
        corresponding = element.get("corresp") == "yes"
        contributor = Contributor(role=role, corresponding=corresponding)
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
            self.person_name(name_element, contributor, lang)
        if collabs and not contributor.names:
            contributor.organization = LangText.of(self.collab_names(collabs, lang), lang)
        if not contributor.names and not contributor.organization:
            self.note("jats.contrib-empty", "a contributor without a name was skipped", element, "warning")
            return None
        linked = [affs.get(rid) for xref in _children(element, "xref") if xref.get("ref-type") == "aff"
                  for rid in (xref.get("rid") or "").split()]
        for aff in [*_children(element, "aff"), *(a for a in linked if a is not None)]:
            contributor.affiliations.append(self.affiliation(aff, lang))
        if email := _text(_child(element, "email")):
            contributor.email = email
        if any(x.get("ref-type") == "corresp" for x in _children(element, "xref")):
            contributor.corresponding = True
        for role_element in _children(element, "role"):
            term = role_element.get("vocab-term") or _text(role_element)
            if role_element.get("vocab") == "credit" and term:
                known = term.strip().lower().replace(" & ", "-").replace(" ", "-")
                contributor.credit.append(known if known in CREDIT_ROLES else term)
        return contributor

    def collab_names(self, collabs: list[etree._Element], language: str) -> dict[str, str]:
        """A group author's name by language: the collab's own text, without the member list it may hold (whose
        members are reported, not read: the model has no place for a group's members)."""
        names: dict[str, str] = {}
        for collab in collabs:
            name = _own_text(collab, _COLLAB_OWN)
            members = [c for c in collab.iter() if _local(c) == "contrib" and c is not collab]
            if members:
                self.note("jats.collab-members", f"the {len(members)} members listed in the group author "
                          f"'{name or '(no name)'}' are not read: biblio's model has no place for a group's members",
                          collab)
            if name:
                names.setdefault(_lang(collab, language), name)
        return names

    def person_name(self, element: etree._Element, contributor: Contributor, language: str) -> None:
        family, given = _text(_child(element, "surname")), _text(_child(element, "given-names"))
        suffix = _text(_child(element, "suffix"))  # Jr., III: a part of its own, after the name
        if family is None and _local(element) == "string-name":
            family, given = self.split_string_name(element, suffix)
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
        order: NameOrder = "family-first" if element.get("name-style") == "eastern" else "given-first"
        contributor.names[lang] = PersonName(family, given, order, suffix)

    def split_string_name(self, element: etree._Element, suffix: str | None = None) -> tuple[str | None, str | None]:
        """Family and given name of a ``string-name`` without ``surname``: its text, less its ``suffix`` element."""
        text = _without_suffix(element) if suffix else _text(element)
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
            _add_texts(names, _children(wrap, "institution"), _lang(aff, language))
            for institution_id in _children(wrap, "institution-id"):
                if institution_id.get("institution-id-type", "").lower() == "ror":
                    checked = ids.ror(_text(institution_id) or "")
                    ror = checked.value if checked.ok else ror
        country_element = _child(aff, "country")
        country = country_element.get("country") or _text(country_element) if country_element is not None else None
        if not names:  # an affiliation as plain text: everything but its label
            parts = [aff.text or ""] + [(child.tail or "") if not isinstance(child.tag, str) or _local(child) == "label"
                                        else "".join(child.itertext()) + (child.tail or "")  # type: ignore[arg-type]
                                        for child in aff]  # a comment or processing instruction: its tail only
                                        # (lxml-stubs: itertext gives str here, never bytes)
            if text := " ".join("".join(parts).split()):
                names[_lang(aff, language)] = text
        return Affiliation(LangText.of(names, language), ror, country)

    def date(self, element: etree._Element) -> PartialDate | None:
        """``_date``; a part given but not read (a month 13, 5,000 digits) is reported, not dropped unsaid."""
        date = _date(element)
        parts = [_text(_child(element, name)) or "" for name in ("year", "month", "day")]
        if any(parts) and (date is None or bool(parts[1]) > bool(date.month) or bool(parts[2]) > bool(date.day)):
            shown = "-".join(part if len(part) <= 12 else part[:12] + "…" for part in parts if part)
            self.note("jats.date", f"the date '{shown}' is not a real date (a year, month 1-12, a day of that "
                      f"month); {'it is not read' if date is None else f'it is read as {date}'}", element, "warning")
        return date

    def dates(self, meta: etree._Element, article: Article) -> None:
        for element in _children(meta, "pub-date"):
            kind = element.get("date-type") or element.get("pub-type") or ""
            media = element.get("publication-format") or ""
            date = self.date(element)
            if date is None or kind == "collection":
                continue
            if media == "electronic" or kind == "epub":
                article.dates.online = article.dates.online or date
            else:
                article.dates.published = article.dates.published or date
        history = _child(meta, "history")
        for element in _children(history, "date"):
            event = element.get("date-type")
            if event in HISTORY_DATES:
                setattr(article.dates, event, self.date(element))

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
            source.awards = [text for a in _children(award, "award-id") if (text := _text(a))]
            sources.append(source)
        statements = {_lang(s, language): text for s in _children(group, "funding-statement") if (text := _text(s))}
        if statements:
            if not sources:
                sources.append(Funding())
            sources[0].statement = LangText.of(statements, language)
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
        if kind := citation.get("publication-type"):  # on the element-citation, else on the mixed-citation
            reference.type = MODEL_TYPES.get(kind, kind)
            if reference.type not in REFERENCE_TYPES:  # a manifest takes only these
                self.note("jats.reference-type", f"publication-type '{kind}' is not one of biblio's reference types;"
                          " the reference is read as 'other'", citation)
                reference.type = "other"
        for group in _children(citation, "person-group"):
            if group.get("person-group-type", "author") == "author":
                for person in _children(group, "name", "string-name", "collab"):
                    surname, given = _text(_child(person, "surname")), _text(_child(person, "given-names"))
                    author = f"{surname}, {given}" if surname and given else surname or _text(person)
                    if author:
                        reference.authors.append(author)
        if kind == "confproc" and _child(citation, "article-title") is None:
            reference.type = "conference_proceedings"  # the volume itself: its title is the source
        title_tag, container_tag = citation_roles(reference.type)
        reference.title = _text(_child(citation, title_tag)) or _text(_child(citation, *TITLE_READ))
        reference.container = _text(_child(citation, container_tag))
        for child in citation:
            name = _local(child)
            field = CITATION_READ.get(name)
            if name == "date-in-citation" and child.get("content-type") == "access-date":
                reference.accessed = PartialDate.parse(child.get("iso-8601-date") or _text(child) or "")
            if field and getattr(reference, field) is None and _text(child):
                setattr(reference, field, _text(child))
            elif name == "pub-id" and child.get("pub-id-type") == "doi":
                checked = ids.doi(_text(child) or "")
                reference.doi = checked.value if checked.ok else reference.doi
        if reference.pages is None and (first := _text(_child(citation, "fpage"))):
            last = _text(_child(citation, "lpage"))
            reference.pages = first + (f"-{last}" if last else "")
