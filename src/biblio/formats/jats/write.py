"""Writing JATS: one ``<article>`` file (front matter and references) per article, pushed one at a time.

The elements are ``xmltools.Element``s serialised by hand (about twice as fast as lxml trees,
and the same bytes); a reference, a fifth of an article's elements, is written straight to its lines.
"""

from __future__ import annotations

import re
from typing import ClassVar

from ... import derive, ids
from ...model import Article, Contributor, Funding, Issue, LangText, PartialDate, Publisher, Reference
from ...problems import Problem, article_numbers
from .. import Output, xmltools
from ..crossref.mapping import article_dates, issn_media, medium_assumed
from ..notes import NotCarried
from ..xmltools import Element
from .mapping import (ALI, CITATION_FIELDS, DTD_VERSION, HISTORY_DATES, ISSUE_FIELDS, NSMAP, PROLOGUE,
                      PUBLICATION_TYPES, XLINK, XML_LANG, citation_pages, citation_roles, file_name, not_carried)

# What an element-citation holds.
_DETAILS = ("doi", "authors", *(field for _, field in CITATION_FIELDS), "url", "accessed")
# "Family, Given" (one comma, no space around the parts): a name JATS can split into surname and given-names.
_FAMILY_GIVEN = re.compile(r"(\S(?:[^,]*\S)?), (\S(?:[^,]*\S)?)")


def check_article(issue: Issue, index: int, article: Article) -> list[Problem]:
    """What stops the article's file, found on the model: the schema needs the journal's ISSN (its
    ``journal-id`` falls back to it) and the article's title. The writer and ``check`` both ask."""
    problems = [] if issue.journal.issns else [
        Problem("jats.issn", "error", "JATS needs the journal's ISSN: add journal.issns", path="journal.issns")]
    if not article.titles.languages:
        problems.append(Problem("jats.title-missing", "error", "JATS needs the article's title: add titles",
                                path=f"articles[{index}].titles"))
    for number, reference in enumerate(article.references):
        if not _citable(reference):
            problems.append(Problem(
                "jats.reference-empty", "warning", "this reference has neither its printed text nor any detail to "
                "cite (authors, title, source, year, pages, DOI, URL), so JATS leaves it out: give its text as printed "
                "(`text`)", path=f"articles[{index}].references[{number}]"))
    return problems


def _citable(reference: Reference) -> bool:
    """Whether a reference has something to write: its printed text or a detail (a type or label alone is not)."""
    return bool(reference.text or any(getattr(reference, field) for field in _DETAILS))


def check(issue: Issue) -> list[Problem]:
    """``check_article`` over the issue, each problem once (``Format.check``)."""
    return list(dict.fromkeys(p for index, article in enumerate(issue.articles)
                              for p in check_article(issue, index, article)))


class JatsWriter(xmltools.Builder):
    """The format's ``Writer``: each article's file is written as it is added; the problems at ``close``.
    JATS carries every language of an article in one file: ``lang`` changes nothing.

    An article with an error (the journal lacks what JATS requires, say) gets no file. The
    journal's problems repeat for every article and are reported once.
    """

    prefixes: ClassVar[dict[str | None, str | None]] = {uri: prefix for prefix, uri in NSMAP.items()}

    def __init__(self, issue: Issue, output: Output, lang: str | None = None) -> None:
        super().__init__()
        self.issue, self.output = issue, output
        self.dropped = NotCarried()

    def add(self, index: int, article: Article) -> None:
        """Build the article's file and write it, unless building it found an error."""
        before = len(self.problems)
        self.problems += check_article(self.issue, index, article)
        root = self._article(article, index)
        self.dropped.add(index, not_carried(self.issue, article))
        if any(p.severity == "error" for p in self.problems[before:]):
            return
        with self.output.open(file_name(article, index)) as stream:
            stream.write((PROLOGUE + xmltools.serialise(root)).encode("utf-8"))

    def close(self) -> list[Problem]:
        """The problems of every article, each once, then what JATS could not carry."""
        for what, indexes in self.dropped.items():
            self.problems.append(Problem("jats.not-carried", "info", f"JATS front matter cannot carry {what} "
                                         f"({article_numbers(indexes)})", path="articles"))
        return list(dict.fromkeys(self.problems))

    def _article(self, article: Article, index: int) -> Element:
        path = f"articles[{index}]"
        root = self.root("article", NSMAP, {"article-type": "research-article", "dtd-version": DTD_VERSION})
        root.set("xml:lang", article.language)
        front = self.sub(root, "front")
        self._journal_meta(front)
        self._article_meta(front, article, index, path)
        if article.references:
            self._references(self.sub(root, "back"), article, path)
        return root

    # -- journal ---------------------------------------------------------------------------

    def _journal_meta(self, front: Element) -> None:
        journal = self.issue.journal
        meta = self.sub(front, "journal-meta")
        if journal.abbreviation:
            self.sub(meta, "journal-id", journal.abbreviation, attrs={"journal-id-type": "publisher-id"})
        elif journal.issns:
            self.sub(meta, "journal-id", journal.issns[0].value, attrs={"journal-id-type": "issn"})
        group = self.sub(meta, "journal-title-group")
        for position, (lang, title) in enumerate(journal.titles.items()):
            if position == 0:
                self.sub(group, "journal-title", title, path="journal.titles", attrs={XML_LANG: lang})
            else:
                trans = self.sub(group, "trans-title-group", attrs={XML_LANG: lang})
                self.sub(trans, "trans-title", title, path=f"journal.titles.{lang}")
        if journal.abbreviation:
            self.sub(group, "abbrev-journal-title", journal.abbreviation, path="journal.abbreviation")
        for issn in journal.issns:
            self.sub(meta, "issn", issn.value, attrs={"publication-format": issn.media or ""})
        if journal.publisher:
            self._publisher(meta, journal.publisher)

    def _publisher(self, meta: Element, publisher: Publisher) -> None:
        """JATS has (publisher-name, publisher-loc?)+: the places follow the last names, one each (a single
        place follows the last name); a place beyond the names has none to follow and is left out."""
        element = self.sub(meta, "publisher")
        names, places = list(publisher.name.items()), list(publisher.place.items()) if publisher.place else []
        skip = len(names) - len(places)
        for lang, _ in places[:max(-skip, 0)]:
            self.note("jats.publisher-place", f"JATS writes a publisher's place after a publisher name, one each: "
                      f"the {lang} place has no name to follow and is left out", "journal.publisher.place", "warning")
        for number, (lang, name) in enumerate(names):
            self.sub(element, "publisher-name", name, path="journal.publisher.name", attrs={XML_LANG: lang})
            if number >= skip:
                lang, place = places[number - skip]
                self.sub(element, "publisher-loc", place, path="journal.publisher.place", attrs={XML_LANG: lang})

    # -- article ---------------------------------------------------------------------------

    def _article_meta(self, front: Element, article: Article, index: int, path: str) -> None:
        meta = self.sub(front, "article-meta")
        issue = self.issue
        if article.doi:
            self.sub(meta, "article-id", article.doi, attrs={"pub-id-type": "doi"})
        for kind in ("pmid", "pmcid"):  # JATS 1.3 pub-id-types; article-id* in any order
            if value := getattr(article, kind):
                self.sub(meta, "article-id", value, attrs={"pub-id-type": kind}, path=f"{path}.{kind}")
        if article.section:
            categories = self.sub(meta, "article-categories")
            for lang, section in article.section.items():
                group = self.sub(categories, "subj-group", attrs={"subj-group-type": "heading", XML_LANG: lang})
                self.sub(group, "subject", section, path=f"{path}.section.{lang}")
        self._title_group(meta, article, path)
        if article.contributors:
            group = self.sub(meta, "contrib-group")
            for number, contributor in enumerate(article.contributors):
                self._contributor(group, contributor, f"{path}.contributors[{number}]")
        self._dates(meta, article)
        for tag, field in ISSUE_FIELDS:
            if getattr(issue, field):
                self.sub(meta, tag, getattr(issue, field), path=f"issue.{field}")
        if issue.doi:
            self.sub(meta, "issue-id", issue.doi, attrs={"pub-id-type": "doi"})
        if issue.title:
            for lang, title in issue.title.items():
                self.sub(meta, "issue-title", title, path="issue.title", attrs={XML_LANG: lang})
        if article.pages and article.pages.first:
            self.sub(meta, "fpage", article.pages.first, path=f"{path}.pages.first")
            if article.pages.last:
                self.sub(meta, "lpage", article.pages.last, path=f"{path}.pages.last")
        elif article.pages and article.pages.article_number:
            self.sub(meta, "elocation-id", article.pages.article_number, path=f"{path}.pages.article_number")
        self._history(meta, article)
        if article.license:
            license_element = self.sub(self.sub(meta, "permissions"), "license")
            start = article.license.start
            self.sub(license_element, "license_ref", article.license.url, namespace=ALI, path=f"{path}.license",
                     attrs={"start_date": str(start) if start and start.day is not None else ""})
        if url := derive.landing_page(issue, article, index):
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
            self._funding(meta, source, f"{path}.funding[{number}]")

    def _title_group(self, meta: Element, article: Article, path: str) -> None:
        languages = article.titles.languages
        if not languages:  # the schema requires a title: check() reports it, and no file is written
            return
        group = self.sub(meta, "title-group")
        main = languages[0]
        title = self.sub(group, "article-title", article.titles[main], path=f"{path}.titles.{main}")
        if main != article.language:  # the original-language title is not printed
            title.set("xml:lang", main)
        for lang in languages[1:]:
            trans = self.sub(group, "trans-title-group", attrs={XML_LANG: lang})
            self.sub(trans, "trans-title", article.titles[lang], path=f"{path}.titles.{lang}")
        short = article.short_title or LangText()
        for lang in short.languages:  # after trans-title-group
            self.sub(group, "alt-title", short.texts[lang], path=f"{path}.short_title.{lang}",
                     attrs={"alt-title-type": "short", XML_LANG: lang})

    def _contributor(self, group: Element, contributor: Contributor, path: str) -> None:
        attrib: dict[str, str] = {"contrib-type": contributor.role} if contributor.role else {}
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
            for lang, person in contributor.names.items():
                attrib = {"name-style": "eastern"} if person.order == "family-first" else {}
                if lang:
                    attrib[XML_LANG] = lang
                element = self.node(parent, "name", attrib)
                leaf(element, "surname", person.family, f"{path}.names.{lang}.family")
                if person.given:
                    leaf(element, "given-names", person.given, f"{path}.names.{lang}.given")
                if person.suffix:  # name: ((surname, given-names?) | given-names), prefix?, suffix?
                    leaf(element, "suffix", person.suffix, f"{path}.names.{lang}.suffix")
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

    def _dates(self, meta: Element, article: Article) -> None:
        """The article's own dates in the journal's medium (``online`` electronic), then the issue's
        (``date-type="collection"``), which JATS always gets."""
        journal = self.issue.journal
        own = article_dates(journal, article.dates)
        for date, media in own:
            self._date(meta, "pub-date", date, {"date-type": "pub", "publication-format": media})
        if article.dates.published and medium_assumed(journal):
            for number, (issn, (_, assumed)) in enumerate(zip(journal.issns, issn_media(journal), strict=True)):
                if assumed:
                    self.note("jats.issn-media", f"the ISSN {issn.value} does not say its medium, so the journal is "
                              "taken as a print journal: publication dates are written with "
                              'publication-format="print" (the ISSN without one). Say which it is in the manifest: '
                              f"journal.issns: [{{value: {issn.value}, media: electronic}}] (or media: print)",
                              f"journal.issns[{number}]", "warning")
        issued = self.issue.published or (PartialDate(self.issue.year) if self.issue.year else None)  # 0: not known
        if issued is not None:
            self._date(meta, "pub-date", issued, {"date-type": "collection"})
        elif not own:  # never a made-up year 0000: JATS says the date is not known
            self.sub(meta, "pub-date-not-available")
            self.note("jats.date-missing", "the article and its issue give no publication date: the file says "
                      "<pub-date-not-available/>; add the issue's year (issue.year) or the article's date",
                      "issue.year", "warning")

    def _history(self, meta: Element, article: Article) -> None:
        events = [(kind, getattr(article.dates, kind)) for kind in HISTORY_DATES if getattr(article.dates, kind)]
        if events:
            history = self.sub(meta, "history")
            for kind, date in events:
                self._date(history, "date", date, {"date-type": kind})

    def _date(self, parent: Element, tag: str, date: PartialDate, attrs: dict[str, str]) -> None:
        element = self.sub(parent, tag, attrs=attrs)
        if date.day is not None:
            self.leaf(element, "day", f"{date.day:02d}", "")
        if date.month is not None:
            self.leaf(element, "month", f"{date.month:02d}", "")
        self.leaf(element, "year", f"{date.year:04d}", "")

    def _funding(self, meta: Element, source: Funding, path: str) -> None:
        group = self.sub(meta, "funding-group")
        id_type = "ror" if source.funder_id and source.funder_id.startswith("https://ror.org/") else "doi"
        if source.funder or source.funder_id or source.awards:
            award = self.sub(group, "award-group")
            for lang, name in (source.funder.items() if source.funder else []):
                funder = self.sub(award, "funding-source", attrs={XML_LANG: lang})
                if source.funder_id:
                    wrap = self.sub(funder, "institution-wrap")
                    self.sub(wrap, "institution", name, path=f"{path}.funder")
                    self.sub(wrap, "institution-id", source.funder_id, attrs={"institution-id-type": id_type})
                else:
                    funder.text = self.escaped(name, f"{path}.funder")
            if source.funder_id and not source.funder:
                wrap = self.sub(self.sub(award, "funding-source"), "institution-wrap")
                self.sub(wrap, "institution-id", source.funder_id, attrs={"institution-id-type": id_type})
            for number in source.awards:
                self.sub(award, "award-id", number, path=f"{path}.awards")
        for lang, statement in (source.statement.items() if source.statement else []):
            self.sub(group, "funding-statement", statement, path=f"{path}.statement", attrs={XML_LANG: lang})

    # -- references ------------------------------------------------------------------------

    def _references(self, back: Element, article: Article, path: str) -> None:
        ref_list = self.sub(back, "ref-list")
        level = ref_list.level + 1
        for number, reference in enumerate(article.references):
            if _citable(reference):  # else check_article reports it
                ref_list.children.append(self._reference(reference, number, level, f"{path}.references[{number}]"))

    def _author(self, author: str, path: str, indent: str) -> str:
        """``name`` with surname and given-names for "Family, Given" (pandoc and citeproc read no other form),
        else ``string-name`` with the name as given."""
        text = self.text(author, path).strip()
        if match := _FAMILY_GIVEN.fullmatch(text):
            family, given = (self.escaped(part, path) for part in match.groups())
            return f"{indent}<name><surname>{family}</surname><given-names>{given}</given-names></name>\n"
        return f"{indent}<string-name>{self.escaped(text, path)}</string-name>\n"

    def _pages(self, pages: str, path: str, indent: str) -> list[str]:
        """``fpage``, ``lpage`` and, where they do not say it all, ``page-range`` (``citation_pages``)."""
        text = self.text(pages, path).strip()
        parts = zip(("fpage", "lpage", "page-range"), citation_pages(text), strict=True)
        return [f"{indent}<{tag}>{self.escaped(value, path)}</{tag}>\n" for tag, value in parts if value] or [
            f"{indent}<page-range>{self.escaped(text, path)}</page-range>\n"]  # nothing left of the pages

    def _attribute(self, value: str, path: str) -> str:
        """An attribute value cleaned (with a note) and escaped, as ``Builder.attributes`` does."""
        return xmltools.escape_attribute(self.text(value, path)) if xmltools.needs_escaping(value) else value

    def _reference(self, reference: Reference, number: int, level: int, path: str) -> str:
        """``<ref>``: its label, its printed text (``mixed-citation``), and an ``element-citation`` with the details
        known, as lines at ``level``. The type goes on the element-citation, else on the mixed-citation (an
        element-citation cannot be empty)."""
        i0, i1, i2, i3 = xmltools.indents(level, 4)
        escaped = self.escaped
        language = f' xml:lang="{self._attribute(reference.language, path)}"' if reference.language else ""
        kind = PUBLICATION_TYPES.get(reference.type or "", reference.type or "")
        kind = f' publication-type="{self._attribute(kind, path)}"' if kind else ""
        details = any(getattr(reference, field) for field in _DETAILS)
        out = [f'{i0}<ref id="r{number + 1}"{language}>\n']
        if reference.label:
            out.append(f"{i1}<label>{escaped(reference.label, f'{path}.label')}</label>\n")
        if reference.text:
            out.append(f"{i1}<mixed-citation{'' if details else kind}>{escaped(reference.text, f'{path}.text')}"
                       "</mixed-citation>\n")
        if details:
            out.append(f"{i1}<element-citation{kind}>\n")
            if reference.authors:
                out.append(f'{i2}<person-group person-group-type="author">\n')
                out += [self._author(author, f"{path}.authors", i3) for author in reference.authors]
                out.append(f"{i2}</person-group>\n")
            roles = dict(zip(("title", "container"), citation_roles(reference.type), strict=True))
            for tag, field in CITATION_FIELDS:
                tag = roles.get(tag, tag)
                if field == "pages" and reference.pages:
                    out += self._pages(reference.pages, f"{path}.pages", i2)
                elif field != "pages" and (value := getattr(reference, field)):
                    out.append(f"{i2}<{tag}>{escaped(value, path)}</{tag}>\n")
            if reference.doi:
                out.append(f'{i2}<pub-id pub-id-type="doi">{escaped(reference.doi, "")}</pub-id>\n')
            if reference.url:
                out.append(f"{i2}<uri>{escaped(reference.url, f'{path}.url')}</uri>\n")
            if reference.accessed:
                out.append(f'{i2}<date-in-citation content-type="access-date" iso-8601-date="{reference.accessed}">'
                           f"{reference.accessed}</date-in-citation>\n")
            out.append(f"{i1}</element-citation>\n")
        out.append(f"{i0}</ref>\n")
        return "".join(out)
