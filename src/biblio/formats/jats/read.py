"""Reading JATS: one article file back into the model, one article per file.

The reader takes what the writer writes and the common front matter of other publishers'
JATS: single-language articles, ``string-name``, ``collab``, ``aff`` as plain text or
linked with ``xref``, ``pub-type`` dates, and the DTD's named character entities.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from ... import derive, ids
from ...model import (REFERENCE_TYPES, Affiliation, Article, Contributor, Funding, Issn, Issue, Journal, LangText,
                      License, NameOrder, Pages, PartialDate, PersonName, Publisher, Reference)
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


def _lang(element: etree._Element, default: str) -> str:
    raw = element.get(XML_LANG)
    return (ids.language_tag(raw).value if raw else None) or default


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _children(element: etree._Element | None, *names: str) -> list[etree._Element]:
    return [] if element is None else [child for child in element if _local(child) in names]


def _child(element: etree._Element | None, *names: str) -> etree._Element | None:
    return next(iter(_children(element, *names)), None)


def _add_texts(texts: dict[str, str], elements: list[etree._Element], language: str,
               inner: str | None = None) -> dict[str, str]:
    """Each element's text (or its ``inner`` child's) under the element's language; the first one wins."""
    for element in elements:
        if text := _text(_child(element, inner) if inner else element):
            texts.setdefault(_lang(element, language), text)
    return texts


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
        titles = _add_texts({}, _children(group, "article-title")[:1], language)
        _add_texts(titles, _children(group, "trans-title-group"), language, "trans-title")
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
        headings = [subj for categories in _children(meta, "article-categories")
                    for subj in _children(categories, "subj-group") if subj.get("subj-group-type") in ("heading", None)]
        sections = _add_texts({}, headings, language, "subject")
        article.section = LangText.of(sections, language) if sections else None
        self.contributors(meta, article, language)
        self.abstracts(meta, article, language)
        for group_element in _children(meta, "kwd-group"):
            words = [text for k in _children(group_element, "kwd", "compound-kwd") if (text := _text(k))]
            if words:
                article.keywords.setdefault(_lang(group_element, language), []).extend(words)
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
            paragraphs = [text for p in element.iter() if _local(p) == "p" and (text := _text(p))]
            joined = "\n\n".join(paragraphs) if paragraphs else _text(element)
            if joined:
                texts.setdefault(_lang(element, language), joined)
        article.abstracts = LangText.of(texts, language)

    def contributors(self, meta: etree._Element, article: Article, language: str) -> None:
        affs = {key: aff for aff in meta.iter() if _local(aff) == "aff" and (key := aff.get("id"))}
        for group in _children(meta, "contrib-group"):
            for element in _children(group, "contrib"):
                if (contributor := self.contributor(element, affs, language)) is not None:
                    article.contributors.append(contributor)

    def contributor(self, element: etree._Element, affs: dict[str, etree._Element], lang: str) -> Contributor | None:
        role = (element.get("contrib-type") or "author").lower()
        if role not in CONTRIB_TYPES:
            self.note("jats.contrib-type", f"the contributor type '{role}' is read as author", element)
        corresponding = element.get("corresp") == "yes"
        contributor = Contributor(role=role if role in CONTRIB_TYPES else "author", corresponding=corresponding)
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
            contributor.organization = LangText.of(_add_texts({}, collabs, lang), lang)
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
            parts = [aff.text or ""] + [(child.tail or "") if _local(child) == "label" else
                                        "".join(child.itertext()) + (child.tail or "")  # type: ignore[arg-type]
                                        for child in aff]  # (lxml-stubs: itertext gives str here, never bytes)
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
