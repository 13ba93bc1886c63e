"""Writing BibTeX: each article's entry is made when it is added, the file when the writer closes.

A BibTeX file depends on all its entries (keys unique, values aligned after the longest
field name), so ``add`` keeps the escaped fields and ``close`` gives the keys and writes.
What BibTeX cannot carry is reported as one ``bibtex.not-carried`` note per kind, the language
fallbacks and the entries without ``langid`` once per file.
"""

from __future__ import annotations

import functools
import re

from ... import derive
from ...model import Article, Issue, PersonName
from ...problems import Problem, article_numbers
from .. import Output, Work, author_name
from ..notes import NotCarried
from .keys import ascii_fold, key_base, unique_keys
from .mapping import (ARTICLE_NOT_CARRIED, ISSUE_NOT_CARRIED, MONTH_MACROS, NAME_FIELDS, READ, WORK_ENTRY,
                      WORK_TYPES, file_name, langid, language_field, work_fields)
from .tex import keywords_tex, paragraphs_tex, tex_escape, whole_group

_AND = re.compile(r"(?:^|\s)and(?:\s|$)", re.IGNORECASE)
_URL_ESCAPES = str.maketrans({"{": "%7B", "}": "%7D", "\\": "%5C", " ": "%20"})  # what would unbalance a field


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

def _name_part(tex: str) -> str:
    """Brace a family or given name (or a suffix) that holds a comma or the word "and" (BibTeX would split there)."""
    return "{" + tex + "}" if "," in tex or ("and" in tex.lower() and _AND.search(tex)) else tex


def _person_tex(name: PersonName) -> str:
    """``Family, Given`` as BibTeX reads it back: one-name people as one token; with a suffix BibTeX's three-part form
    ``Family, Jr., Given`` (``Family, Jr., {}`` without a given name: a name may not end in a comma)."""
    family, given = name.family, name.given
    if name.suffix:
        parts = [_name_part(tex_escape(part)) for part in (family, name.suffix)]
        return f"{parts[0]}, {parts[1]}, {_name_part(tex_escape(given)) if given else '{}'}"
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
        self.fallbacks = derive.Fallbacks(issue)
        self.no_langid: dict[str, list[int]] = {}  # why, and the articles
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
        self.fallbacks.add(shown)
        dropped: list[str] = []
        text_lang = shown.lang  # the one language of the entry's text
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
        if article.short_title and (short := article.short_title.texts.get(text_lang)):
            fields["shorttitle"] = "{" + tex_escape(short) + "}"  # in the entry's language only: others reported
        if shown.journal_title:
            fields["journal"] = self.issue_tex(shown.journal_title)
        if issue.journal.abbreviation:
            fields["shortjournal"] = self.issue_tex(issue.journal.abbreviation)
        date, _ = derive.publication_date(issue, article)
        if date.year:  # 0: unknown (no date of the article's own, no year of its issue's); never written as 0000
            fields["year"] = f"{date.year:04d}"
            if date.month is not None:
                fields["month"] = MONTH_MACROS[date.month - 1]
                if date.day is not None:
                    dropped.append("the day of the publication date")
        else:
            self.warn("bibtex.year-unknown", "the article has no date and its issue no year: the entry is written "
                      "without a year, which BibTeX expects of an @article; add the year the article was published",
                      f"articles[{index}].dates.published")
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
        fields["pmid"], fields["pmcid"] = article.pmid or "", article.pmcid or ""  # checked: digits, PMC + digits
        fields["issn"] = self.issns
        url = derive.landing_page(issue, article, index)
        if url:
            url = url.strip()
            if "{" in url or "}" in url or "\\" in url or " " in url:
                url = url.translate(_URL_ESCAPES)
            fields["url"] = url
        if article.accessed:
            fields["urldate"] = str(article.accessed)  # biblatex's ISO 8601 date
        if article.note:
            fields["note"] = tex_escape(article.note)
        if shown.abstract:
            fields["abstract"] = paragraphs_tex(shown.abstract)
        if shown.keywords:
            for word in shown.keywords:
                if "," in word or ";" in word:
                    self.warn("bibtex.keyword-separator", f"the keyword '{word}' holds a comma or semicolon: "
                              "biblio keeps it in braces, but other programs (Zotero, biber) may split it in two",
                              f"articles[{index}].keywords")
            fields["keywords"] = keywords_tex(shown.keywords)
        fields["language"] = language_field(text_lang) or ""
        fields["langid"] = self.langid(index, text_lang, shown)
        kinds = (what for what, there in ARTICLE_NOT_CARRIED if there(article, text_lang))
        self.not_carried.add(index, (*dropped, *kinds, *self.issue_kinds))  # a tuple: no kind twice
        for field, value in fields.items():  # as the XML writers do: a text file holds no NUL or other C0 control
            if _CONTROL.search(value):
                fields[field] = _CONTROL.sub("", value)
                self.warn("bibtex.control-character", f"control characters (such as NUL) in the {field} field were "
                          "removed: BibTeX, biber and Zotero cannot read them", f"articles[{index}]")
        return {name: fields[name] for name in READ if fields.get(name)}

    def langid(self, index: int, lang: str, shown: derive.Localized) -> str:
        """``langid`` where biblatex has a module for the language and every letter of the entry is in its script
        (biblatex switches the entry's font encoding to the language's: pdflatex stops on another script's letter)."""
        name = langid(lang)
        if name is None:
            why = (f"biblatex has no language module for {lang}" if language_field(lang) else
                   f"biblio knows no name of {lang} that biblatex and Zotero read (no language field either)")
        elif derive.usual_script(lang) == "Latn" and not _latin_only(shown):
            why = (f"{lang} entries holding letters of another script (the journal title, a name) stop pdflatex when "
                   f"biblatex switches to {lang} (autolang=other)")
        else:
            return name
        self.no_langid.setdefault(why, []).append(index)
        return ""

    def report(self) -> None:
        self.problems += self.fallbacks.problems()
        for why, indexes in self.no_langid.items():
            self.problems.append(Problem("bibtex.no-langid", "info", f"no langid in {article_numbers(indexes)}: "
                                         + why, path="articles"))
        for what, indexes in self.not_carried.items():
            self.problems.append(Problem("bibtex.not-carried", "info",
                                         f"BibTeX cannot carry {what} ({article_numbers(indexes)})", path="articles"))


writer = _BibtexWriter  # the registry's writer


def _latin_only(shown: derive.Localized) -> bool:
    """Whether every letter of the entry's text (title, abstract, keywords, names, journal) is a Latin one."""
    names = [part for person, name in shown.authors for part in (
        (name.family, name.given or "", name.suffix or "") if name
        else (derive.organization_name(person, shown.lang),))]
    text = " ".join(filter(None, [shown.title, shown.abstract, shown.journal_title, *shown.keywords, *names]))
    return derive.is_latin(text) or not any(char.isalpha() for char in text)


@functools.lru_cache(maxsize=256)
def _layout(names: tuple[str, ...], width: int) -> str:
    """An ``@article`` with these fields as a ``%`` template of the key and the values, laid out as
    bibtexparser writes it (braces, ``month`` bare), without copying each entry through it."""
    lines = [f"  {name}{' ' * (width - len(name))} = " + ("%s" if name == "month" else "{%s}") for name in names]
    return "@article{%s,\n" + ",\n".join(lines) + "\n}\n"


def work(item: Work) -> tuple[bytes, list[Problem]]:
    """A work (a record that is not a journal article) as one entry of its type (``mapping.WORK_ENTRY``), each field
    through ``mapping.work_fields``; what the entry cannot say (its type, where BibTeX has none) is a note."""
    reference, problems = item.reference, []
    kind = WORK_ENTRY.get(reference.type or "other")
    if kind is None:
        problems.append(Problem("bibtex.not-carried", "info", f"BibTeX has no entry type for a work of the type "
                                f"'{reference.type}': it is written as @misc"))
    fields: dict[str, str] = {}
    for role, people in (("author", reference.authors), ("editor", item.editors)):
        names = [author_name(person) for person in people if person.strip()]
        if names:
            fields[role] = " and ".join(_person_tex(name) if isinstance(name, PersonName) else
                                        "{" + tex_escape(name) + "}" for name in names)
    for attribute, names_read in work_fields(WORK_TYPES.get(kind or "misc", reference.type)).items():  # as read back
        value = getattr(reference, attribute)
        if attribute == "authors" or not value:
            continue
        name, text = names_read[0], str(value).strip()
        if attribute in ("url", "doi"):
            fields[name] = text.translate(_URL_ESCAPES)
        elif attribute == "title":
            fields[name] = "{" + tex_escape(text) + "}"
        elif attribute == "pages":
            fields[name] = re.sub(r"\s*[-–—]+\s*", "--", tex_escape(text))
        elif attribute == "language":
            fields[name] = language_field(text) or ""
            fields["langid"] = langid(text) or ""
        else:
            fields[name] = tex_escape(text)
    fields = {name: _CONTROL.sub("", value) for name, value in fields.items() if value}
    if "title" not in fields:
        problems.append(Problem("bibtex.title-missing", "error", "the work has no title: it is not written"))
    width = max((len(name) for name in fields), default=0)
    lines = [f"  {name}{' ' * (width - len(name))} = {{{value}}}" for name, value in fields.items()]
    text = f"@{kind or 'misc'}{{{_work_key(item)},\n" + ",\n".join(lines) + "\n}\n"
    return text.encode("utf-8"), problems


def _work_key(item: Work) -> str:
    """The first author's family name, the year and the title's first long word, as an article's key."""
    first = author_name(item.reference.authors[0]) if item.reference.authors else None
    name = ascii_fold(first.family if isinstance(first, PersonName) else (first or "").split(" ")[0]) or "anon"
    words = [ascii_fold(word) for word in (item.reference.title or "").split()]
    word = next((w for w in words if len(w) >= 4), next((w for w in words if w), ""))
    return f"{name}{''.join(filter(str.isdigit, item.reference.year or ''))[:4]}{word}"
