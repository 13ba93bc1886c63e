"""Writing BibTeX: each article's entry is made when it is added, the file when the writer closes.

A BibTeX file depends on all its entries (keys unique, values aligned after the longest
field name), so ``add`` keeps the escaped fields and ``close`` gives the keys and writes.
What BibTeX cannot carry is reported as one ``bibtex.not-carried`` note per kind.
"""

from __future__ import annotations

import functools
import re

from ... import derive
from ...model import Article, Issue, PersonName
from ...problems import Problem, article_numbers
from .. import Output
from ..notes import NotCarried
from .keys import key_base, unique_keys
from .mapping import ARTICLE_NOT_CARRIED, ISSUE_NOT_CARRIED, MONTH_MACROS, NAME_FIELDS, READ, file_name, langid
from .tex import escape_squashed, keywords_tex, paragraphs, tex_escape, whole_group

_AND = re.compile(r"(?:^|\s)and(?:\s|$)", re.IGNORECASE)
_URL_ESCAPES = str.maketrans({"{": "%7B", "}": "%7D", "\\": "%5C", " ": "%20"})  # what would unbalance a field


def _name_part(tex: str) -> str:
    """Brace a family or given name that holds a comma or the word "and" (BibTeX would split there)."""
    return "{" + tex + "}" if "," in tex or ("and" in tex.lower() and _AND.search(tex)) else tex


def _person_tex(name: PersonName) -> str:
    """``Family, Given`` as BibTeX reads it back: one-name people as one token."""
    family, given = name.family, name.given
    if given and family.isalnum() and given.isalnum() and "and" not in (family.lower(), given.lower()):
        return f"{family}, {given}"  # the usual name, one word each: as it is
    family, given = tex_escape(family), tex_escape(given or "")
    if given:
        return f"{_name_part(family)}, {_name_part(given)}"
    if family.lower() == "and":
        return "{" + family[0] + "}" + family[1:]
    token = family.replace(" ", "{ }").replace(",", "{,}")  # one name, one token
    return "{}" + token if whole_group(token) else token  # one brace group would be a group author


class _BibtexWriter:
    """The format's ``Writer`` for one file: ``articles.bib`` (lang None) or ``articles.<lang>.bib``."""

    def __init__(self, issue: Issue, output: Output, lang: str | None = None) -> None:
        self.issue, self.output, self.lang = issue, output, lang
        self.entries: list[tuple[str, dict[str, str]]] = []  # key base, fields in order
        self.problems: list[Problem] = []
        self.not_carried = NotCarried()
        self.no_langid: set[str] = set()
        self.journal_fallbacks: set[str] = set()
        self.issue_tex = functools.cache(tex_escape)  # for the values every entry repeats (journal, volume ...)
        self.issue_kinds = tuple(what for what, there in ISSUE_NOT_CARRIED if there(issue))
        self.issns = ", ".join(issn.value for issn in issue.journal.issns)

    def add(self, index: int, article: Article) -> None:
        self.entries.append((key_base(self.issue, article), self.entry(index, article)))

    def close(self) -> list[Problem]:
        keys = unique_keys([base for base, _ in self.entries])
        width = max((len(name) for _, fields in self.entries for name in fields), default=0)
        with self.output.open(file_name(self.lang)) as stream:
            for number, (key, (_, fields)) in enumerate(zip(keys, self.entries)):
                text = _layout(tuple(fields), width) % (key, *fields.values())
                stream.write((("\n" if number else "") + text).encode("utf-8"))
        self.entries = []
        self.report()
        return self.problems

    def warn(self, code: str, message: str, path: str) -> None:
        self.problems.append(Problem(code, "warning", message, path=path))

    def entry(self, index: int, article: Article) -> dict[str, str]:
        """The fields of one article's entry by name, in the order of ``READ``, escaped."""
        issue = self.issue
        shown = derive.localize(issue, article, index, self.lang)  # lang.fallback: shared by the citation formats
        self.problems += shown.problems
        dropped: list[str] = []
        titles = article.titles  # the title's language decides what langid says
        text_lang = titles.languages[0] if titles.texts and shown.lang not in titles.texts else shown.lang
        fields: dict[str, str] = {}
        people: dict[str, list[str]] = {"author": []}
        for contributor, name in shown.authors:
            role = contributor.role
            if role not in NAME_FIELDS:
                if f"contributors in the role {role}" not in dropped:
                    dropped.append(f"contributors in the role {role}")
                continue
            if name is None:  # a group author: one brace group
                tex = "{" + tex_escape(derive.organization_name(contributor, shown.lang) or "") + "}"
            else:
                tex = _person_tex(name)
            people.setdefault(role, []).append(tex)
        for variable, names in people.items():
            fields[variable] = " and ".join(names)
        if shown.title:
            fields["title"] = "{" + tex_escape(shown.title) + "}"
        else:
            self.warn("bibtex.title-missing", "the article has no title; BibTeX requires one", f"articles[{index}]")
        if shown.journal_title:
            fields["journal"] = self.issue_tex(shown.journal_title)
            if shown.lang not in issue.journal.titles.texts:
                self.journal_fallbacks.add(shown.lang)
        if issue.journal.abbreviation:
            fields["shortjournal"] = self.issue_tex(issue.journal.abbreviation)
        date, _ = derive.publication_date(issue, article)
        fields["year"] = f"{date.year:04d}"
        if date.month is not None:
            fields["month"] = MONTH_MACROS[date.month - 1]
            if date.day is not None:
                dropped.append("the day of the publication date")
        if issue.volume:
            fields["volume"] = self.issue_tex(issue.volume)
        if issue.number:
            fields["number"] = self.issue_tex(issue.number)
        pages = article.pages
        if pages and pages.first:
            fields["pages"] = tex_escape(pages.first) + ("--" + tex_escape(pages.last) if pages.last else "")
        if pages and pages.article_number:
            fields["eid"] = tex_escape(pages.article_number)
        if article.doi:
            if "{" in article.doi or "}" in article.doi or "\\" in article.doi:
                self.warn("bibtex.doi-unwritable", f"the DOI {article.doi} holds a brace or backslash, which a "
                          "BibTeX doi field cannot hold; it is left out", f"articles[{index}].doi")
            else:
                fields["doi"] = article.doi
        fields["issn"] = self.issns
        url = derive.landing_page(issue, article, index)
        if url:
            url = url.strip()
            if "{" in url or "}" in url or "\\" in url or " " in url:
                url = url.translate(_URL_ESCAPES)
            fields["url"] = url
        if shown.abstract:
            fields["abstract"] = r" \par ".join(escape_squashed(part) for part in paragraphs(shown.abstract))
        if shown.keywords:
            for word in shown.keywords:
                if "," in word or ";" in word:
                    self.warn("bibtex.keyword-separator", f"the keyword '{word}' holds a comma or semicolon: "
                              "biblio keeps it in braces, but other programs (Zotero, biber) may split it in two",
                              f"articles[{index}].keywords")
            fields["keywords"] = keywords_tex(shown.keywords)
        publisher = issue.journal.publisher
        publisher_name = derive.pick(publisher.name, shown.lang)[0] if publisher else None
        fields["publisher"] = self.issue_tex(publisher_name) if publisher_name else ""
        fields["language"] = article.language
        fields["langid"] = langid(text_lang) or ""
        if not fields["langid"]:
            self.no_langid.add(text_lang)
        kinds = (what for what, there in ARTICLE_NOT_CARRIED if there(article, text_lang))
        self.not_carried.add(index, (*dropped, *kinds, *self.issue_kinds))  # a tuple: no kind twice
        return {name: fields[name] for name in READ if fields.get(name)}

    def report(self) -> None:
        used = self.issue.journal.titles.languages[0] if self.issue.journal.titles else None
        for lang in sorted(self.journal_fallbacks):
            self.warn("lang.fallback", f"no {lang} journal title: using the {used} journal title", "journal.titles")
        if self.no_langid:
            self.problems.append(Problem(
                "bibtex.langid-unknown", "info", "biblio knows no biblatex language name for "
                + ", ".join(sorted(self.no_langid)) + "; those entries have no langid", path="articles"))
        for what, indexes in self.not_carried.items():
            self.problems.append(Problem("bibtex.not-carried", "info",
                                         f"BibTeX cannot carry {what} ({article_numbers(indexes)})", path="articles"))


writer = _BibtexWriter  # the registry's writer


@functools.lru_cache(maxsize=256)
def _layout(names: tuple[str, ...], width: int) -> str:
    """An ``@article`` with these fields as a ``%`` template of the key and the values, laid out as
    bibtexparser writes it (braces, ``month`` bare), without copying each entry through it."""
    lines = [f"  {name}{' ' * (width - len(name))} = " + ("%s" if name == "month" else "{%s}") for name in names]
    return "@article{%s,\n" + ",\n".join(lines) + "\n}\n"
