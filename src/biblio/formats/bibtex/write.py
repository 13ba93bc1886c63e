"""Writing BibTeX: each article's entry is made when it is added, the file when the writer closes.

A BibTeX file depends on all its entries: keys must be unique (a base used twice gets
suffixes), and the values line up after the file's longest field name. So ``add`` makes
the entry's fields (escaped text, kept instead of the article) and ``close`` gives the
keys, finds the width and writes the file.

Whatever BibTeX cannot carry is reported as a ``bibtex.not-carried`` note per kind of
field, with the article numbers, and every language fallback as a ``lang.fallback``
warning (the code the citation formats share, so a build reports each fallback once).
"""

from __future__ import annotations

import functools
import re

from ... import derive
from ...model import Article, Issue, Pages, PersonName
from ...problems import Problem, article_numbers
from .. import Output
from ..notes import NotCarried
from .keys import key_base, unique_keys
from .mapping import (
    ARTICLE_NOT_CARRIED,
    DAY_NOT_CARRIED,
    FIELD_NAMES,
    ISSUE_NOT_CARRIED,
    MONTH_MACROS,
    file_name,
    langid,
    role_not_carried,
)
from .tex import abstract_tex, keywords_tex, paragraphs, tex_escape, whole_group

_AND = re.compile(r"(?:^|\s)and(?:\s|$)", re.IGNORECASE)
_URL_ESCAPES = {"{": "%7B", "}": "%7D", "\\": "%5C", " ": "%20"}


def _name_part(tex: str) -> str:
    """Brace a family or given name that holds a comma or the word "and" (BibTeX would split there)."""
    return "{" + tex + "}" if "," in tex or ("and" in tex.lower() and _AND.search(tex)) else tex


def person_tex(name: PersonName) -> str:
    """``Family, Given`` as BibTeX reads it back: one-name people as one token."""
    family, given = name.family, name.given
    if given and family.isalnum() and given.isalnum() and (len(family) != 3 or family.lower() != "and") \
            and (len(given) != 3 or given.lower() != "and"):  # one word each, the usual name: as it is
        return f"{family}, {given}"
    family, given = tex_escape(family), tex_escape(given or "")
    if given:
        return f"{_name_part(family)}, {_name_part(given)}"
    if family.lower() == "and":
        return "{" + family[0] + "}" + family[1:]
    token = family.replace(" ", "{ }").replace(",", "{,}")  # one name, one token
    return "{}" + token if whole_group(token) else token  # one brace group would be a group author


def _url(url: str) -> str:
    """A URL as BibTeX can hold it verbatim: characters that would unbalance the field percent-encoded."""
    url = url.strip()
    if "{" in url or "}" in url or "\\" in url or " " in url:
        url = "".join(_URL_ESCAPES.get(char, char) for char in url)
    return url


def _pages(pages: Pages | None) -> dict[str, str]:
    if pages is None:
        return {}
    found = {}
    if pages.first:
        found["pages"] = tex_escape(pages.first) + ("--" + tex_escape(pages.last) if pages.last else "")
    if pages.article_number:
        found["eid"] = tex_escape(pages.article_number)
    return found


class BibtexWriter:
    """The format's ``Writer`` for one file: ``articles.bib`` (lang None) or ``articles.<lang>.bib``."""

    def __init__(self, issue: Issue, output: Output, lang: str | None = None) -> None:
        self.issue, self.output, self.lang = issue, output, lang
        self.entries: list[tuple[str, dict[str, str]]] = []  # key base, fields in order
        self.problems: list[Problem] = []
        self.not_carried = NotCarried()
        self.no_langid: set[str] = set()
        self.journal_fallbacks: set[str] = set()
        self.escaped: dict[str, str] = {}  # values every entry repeats (journal, volume, publisher)
        self.per_lang: dict[str, tuple[str | None, str | None]] = {}  # publisher, langid
        self.kinds: dict[tuple[bool, ...], tuple[str, ...]] = {}  # not carried, by the kinds present
        self.issue_kinds = tuple(what for what, there in ISSUE_NOT_CARRIED if there(issue))
        self.issns = ", ".join(issn.value for issn in issue.journal.issns)

    def add(self, index: int, article: Article) -> None:
        self.entries.append((key_base(self.issue, article), self.entry(index, article)))

    def close(self) -> list[Problem]:
        keys = unique_keys([base for base, _ in self.entries])
        width = max((len(name) for _, fields in self.entries for name in fields), default=0)
        with self.output.open(file_name(self.lang)) as stream:
            chunk: list[str] = []
            for number, (key, (_, fields)) in enumerate(zip(keys, self.entries)):
                chunk.append(("\n" if number else "") + _entry_text(key, fields, width))
                if len(chunk) == 64:
                    stream.write("".join(chunk).encode("utf-8"))
                    chunk = []
            stream.write("".join(chunk).encode("utf-8"))
        self.entries = []
        self.report()
        return self.problems

    def issue_tex(self, text: str) -> str:
        """``tex_escape`` of a value every entry repeats: escaped once."""
        escaped = self.escaped.get(text)
        if escaped is None:
            escaped = self.escaped[text] = tex_escape(text)
        return escaped

    def warn(self, code: str, message: str, path: str) -> None:
        self.problems.append(Problem(code, "warning", message, path=path))

    def entry(self, index: int, article: Article) -> dict[str, str]:
        """The fields of one article's entry by name, in the order of ``FIELD_NAMES``, escaped."""
        issue = self.issue
        shown = derive.localize(issue, article, index, self.lang)  # lang.fallback: shared by the citation formats
        self.problems += shown.problems
        dropped: list[str] = []
        text_lang = shown.lang
        titles = article.titles
        if titles.texts and text_lang not in titles.texts:
            text_lang = titles.languages[0]  # the title decides what langid says
        fields: dict[str, str] = {}
        people: dict[str, list[str]] = {"author": []}
        for contributor, name in shown.authors:
            role = contributor.role
            if role not in ("author", "editor", "translator"):
                if role_not_carried(role) not in dropped:
                    dropped.append(role_not_carried(role))
                continue
            if name is None:
                tex = "{" + tex_escape(derive.organization_name(contributor, shown.lang) or "") + "}"
            else:
                tex = person_tex(name)
            people.setdefault(role, []).append(tex)
        for role, names in people.items():
            fields[role] = " and ".join(names)
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
                dropped.append(DAY_NOT_CARRIED)
        if issue.volume:
            fields["volume"] = self.issue_tex(issue.volume)
        if issue.number:
            fields["number"] = self.issue_tex(issue.number)
        fields.update(_pages(article.pages))
        if article.doi:
            if "{" in article.doi or "}" in article.doi or "\\" in article.doi:
                self.warn("bibtex.doi-unwritable", f"the DOI {article.doi} holds a brace or backslash, which a "
                          "BibTeX doi field cannot hold; it is left out", f"articles[{index}].doi")
            else:
                fields["doi"] = article.doi
        fields["issn"] = self.issns
        url = derive.landing_page(issue, article, index)
        if url:
            fields["url"] = _url(url)
        if shown.abstract:
            fields["abstract"] = abstract_tex(paragraphs(shown.abstract))
        if shown.keywords:
            for word in shown.keywords:
                if "," in word or ";" in word:
                    self.warn("bibtex.keyword-separator", f"the keyword '{word}' holds a comma or semicolon: "
                              "biblio keeps it in braces, but other programs (Zotero, biber) may split it in two",
                              f"articles[{index}].keywords")
            fields["keywords"] = keywords_tex(shown.keywords)
        fields["publisher"] = self.language_facts(shown.lang)[0] or ""
        fields["language"] = article.language
        language_name = self.language_facts(text_lang)[1]
        if language_name:
            fields["langid"] = language_name
        else:
            self.no_langid.add(text_lang)
        kinds = self.check_not_carried(article, text_lang)
        self.not_carried.add(index, (*dropped, *kinds) if dropped else kinds)  # a tuple: no kind twice
        return {name: fields[name] for name in FIELD_NAMES if fields.get(name)}

    def language_facts(self, lang: str) -> tuple[str | None, str | None]:
        """The publisher's name (escaped) and the langid for a language: the same for every entry in it."""
        facts = self.per_lang.get(lang)
        if facts is None:
            publisher = self.issue.journal.publisher
            name = derive.pick(publisher.name, lang)[0] if publisher else None
            facts = self.per_lang[lang] = (self.issue_tex(name) if name else None, langid(lang))
        return facts

    def check_not_carried(self, article: Article, text_lang: str) -> tuple[str, ...]:
        """What of the article (and its issue) the entry leaves out, by kind, in the order of the mapping;
        the tuple is made once per combination of kinds (articles of an issue share a few)."""
        present = tuple(there(article, text_lang) for _, there in ARTICLE_NOT_CARRIED)
        kinds = self.kinds.get(present)
        if kinds is None:
            kinds = self.kinds[present] = (*(what for (what, _), there in zip(ARTICLE_NOT_CARRIED, present)
                                             if there), *self.issue_kinds)
        return kinds

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


def writer(issue: Issue, output: Output, lang: str | None = None) -> BibtexWriter:
    """The registry's writer: ``articles.bib`` (each article in its language) or ``articles.<lang>.bib``."""
    return BibtexWriter(issue, output, lang)


def _entry_text(key: str, fields: dict[str, str], width: int) -> str:
    """One ``@article``, as bibtexparser writes it with its default enclosing (braces; ``month``
    bare) and the values aligned after the longest field name of the file: written here
    directly, one C-level formatting per entry, as bibtexparser copies every entry and runs it
    through its middleware first."""
    if not fields:
        return f"@article{{{key},\n}}\n"
    return _layout(tuple(fields), width) % (key, *fields.values())


@functools.lru_cache(maxsize=256)
def _layout(names: tuple[str, ...], width: int) -> str:
    """The text of an entry with these fields, as a ``%`` template of the key and the values (an
    issue's entries have a few field lists)."""
    lines = [f"  {name}{' ' * (width - len(name))} = " + ("%s" if name == "month" else "{%s}") for name in names]
    return "@article{%s,\n" + ",\n".join(lines) + "\n}\n"
