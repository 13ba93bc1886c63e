"""Writing RIS: one ``TY  - JOUR`` record per article, pushed one at a time, in one language per file.

Each record is the article seen in one language (``derive.localize``; every fallback is a
``lang.fallback`` warning, the code the citation formats share so that a build reports it
once); the tags come from the table in ``mapping``. Values are one line each, with runs of
whitespace made one space. An abstract keeps its paragraphs: the first follows ``AB  - ``, each
further one comes after a blank line on a line of its own, which Zotero (like the reader) joins
back with line breaks. Lines end in CRLF, as the RIS specification and Zotero's export have it;
records are separated by a blank line; the file is UTF-8 without a byte-order mark.
"""

from __future__ import annotations

import re
from typing import BinaryIO

from ... import derive, ids
from ...model import Article, Contributor, Issue, PartialDate, PersonName
from ...problems import Problem, Severity, article_numbers
from .. import Output
from ..notes import NotCarried
from .mapping import CARRIED_ROLES, NEWLINE, ROLES, WRITE, file_name, issue_not_carried, not_carried

_BREAKS = re.compile(r"[ \t\n\r\f\v\x1c-\x1f\x85\u2028\u2029]+")  # ASCII whitespace, line breaks; not NBSP
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f]")
_SPACES = re.compile(" {2,}")
# A line that this reader, Zotero (``^[A-Z0-9]{2} {1,2}-``) or a lenient reader could take for a tag line.
_AMBIGUOUS = re.compile(r"^\s*[A-Za-z0-9]{2}(?:\s*-\s|\s+-|\s*-$)")


def one_line(text: str) -> str:
    """The text as one RIS value: runs of whitespace and line breaks made one space."""
    if text.isprintable():  # no control character, no whitespace but spaces: most values
        return _one_printable_line(text)
    return _BREAKS.sub(" ", _CONTROL.sub("", text)).strip()


def _one_printable_line(text: str) -> str:
    """``one_line`` of a text known to be printable."""
    return (_SPACES.sub(" ", text) if "  " in text else text).strip()


def abstract_lines(text: str) -> list[str]:
    """An abstract's paragraphs, one line each, as the writer puts them after ``AB``.

    A paragraph that a lenient reader would take for a tag line (``ER - …``, ``10 - 20 …``)
    cannot start a line of its own, so it continues the paragraph before it.
    """
    lines: list[str] = []
    for paragraph in derive.paragraphs(text if text.isprintable() else _CONTROL.sub("", text)):
        line = one_line(paragraph)
        if not line:
            continue
        if lines and _AMBIGUOUS.match(line):
            lines[-1] += " " + line
        else:
            lines.append(line)
    return lines


def writer(issue: Issue, output: Output, lang: str | None = None) -> RisWriter:
    """``articles.ris`` (``lang`` None: each article in its own language) or ``articles.<lang>.ris``."""
    return RisWriter(issue, output, lang)


class RisWriter:
    """The format's ``Writer``: each record is written as its article is added; the notes at ``close``.

    A language that is not a tag is a ``ris.lang`` error and no file; a file without a record is
    ``ris.no-articles`` (no RIS reader takes it). The issue's parts of a record (journal, volume,
    ISSNs, publisher) are made once per language, so their warnings come once.
    """

    def __init__(self, issue: Issue, output: Output, lang: str | None = None) -> None:
        self.issue, self.output = issue, output
        self.lang: str | None = None
        self.refused: Problem | None = None
        if lang is not None:
            checked = ids.language_tag(lang)
            if checked.ok:
                self.lang = checked.value
            else:
                self.refused = Problem("ris.lang", "error", checked.message or "", path="lang")
        self.problems: list[Problem] = []
        self.seen: set[Problem] = set()  # self.problems as a set: a warning is given once
        self.stream: BinaryIO | None = None
        self.records = 0
        self.not_carried = NotCarried()
        self.dated_from_issue: list[int] = []
        self.issue_parts: dict[tuple[str, str], list[str]] = {}

    def add(self, index: int, article: Article) -> None:
        if self.refused is not None:
            return
        lines = self.record(index, article)
        lines.append("")  # the record's last line end
        if self.records:
            lines.insert(0, "")  # the blank line between records
        if self.stream is None:
            self.stream = self.output.open(file_name(self.lang))
        self.stream.write(NEWLINE.join(lines).encode("utf-8"))
        self.records += 1

    def close(self) -> list[Problem]:
        if self.refused is not None:
            return [self.refused]
        if self.stream is not None:
            self.stream.close()
        problems = self.problems
        for what in issue_not_carried(self.issue):
            problems.append(Problem("ris.not-carried", "info", f"RIS cannot carry {what}", path="issue"))
        if self.dated_from_issue:
            date = self.issue.published or PartialDate(self.issue.year)
            problems.append(Problem("ris.date-from-issue", "info", f"no publication date of their own in "
                                    f"{article_numbers(self.dated_from_issue)}; DA gives them the issue's date "
                                    f"({date})", path="articles"))
        numbers: dict[tuple[int, ...], str] = {}  # most kinds are left out by the same articles: named once
        for what, indexes in self.not_carried.items():
            key = tuple(indexes)
            if key not in numbers:
                numbers[key] = article_numbers(indexes)
            problems.append(Problem("ris.not-carried", "info", f"RIS cannot carry {what} ({numbers[key]})",
                                    path="articles"))
        if not self.records and not any(p.severity == "error" for p in problems):
            problems.append(Problem("ris.no-articles", "error", "there is no article to write", path="articles"))
        return problems

    # --- problems ------------------------------------------------------------------------------

    def warn(self, code: str, message: str, path: str, severity: Severity = "warning") -> None:
        problem = Problem(code, severity, message, path=path)
        if problem not in self.seen:
            self.problems.append(problem)
            self.seen.add(problem)

    def value(self, text: str | None, path: str) -> str:
        """``one_line`` of a text, reporting the control characters it removes."""
        if text is None:
            return ""
        if not text.isprintable() and _CONTROL.search(text):
            self.warn("ris.control-character", "control characters a text file should not hold were removed",
                      path)
        return one_line(text)

    def field(self, text: str | None, index: int, where: str = "", person: int | None = None) -> str:
        """``value`` of an article's text; its path (``articles[3].titles``, with ``person``
        ``articles[3].contributors[1].names``) is made only for a warning."""
        if text is None:
            return ""
        if text.isprintable():
            return _one_printable_line(text)
        if person is not None:
            where = f".contributors[{person}]{where}"
        return self.value(text, f"articles[{index}]{where}")

    # --- a record -------------------------------------------------------------------------------

    def record(self, index: int, article: Article) -> list[str]:
        issue = self.issue
        shown = derive.localize(issue, article, index, None if self.lang == article.language else self.lang)
        self.problems += shown.problems
        self.seen.update(shown.problems)
        lang = shown.lang
        lines = ["TY  - JOUR"]
        self.tag(lines, "title", shown.title, index, ".titles")
        dropped: list[str] = []  # kinds of contributors RIS has no tag for
        people: dict[str, list[str]] = {name: [] for name in ROLES.values()}
        for number, (contributor, name) in enumerate(shown.authors):
            role = contributor.role
            if role in ROLES:
                if value := self.person(contributor, name, lang, index, number):
                    people[ROLES[role]].append(f"{WRITE[ROLES[role]]}  - {value}")
            elif (what := f"{role}s (RIS has {CARRIED_ROLES})") not in dropped:
                dropped.append(what)
        for found in people.values():
            lines += found
        lines += self.issue_lines("journal", lang)
        if shown.abstract:
            self.abstract(shown.abstract, index, lines)
        date, from_issue = derive.publication_date(issue, article)
        if date.month is not None and from_issue:
            self.dated_from_issue.append(index)
        if date.month is not None:
            month, day = f"{date.month:02d}", f"{date.day:02d}" if date.day is not None else ""
            lines.append(f"{WRITE['date']}  - {date.year:04d}/{month}/{day}/")
        lines.append(f"{WRITE['year']}  - {date.year:04d}")
        lines += self.issue_lines("volume", lang)
        pages = article.pages
        if pages:
            self.tag(lines, "first page", pages.first or pages.article_number, index, ".pages")
            if pages.first:
                self.tag(lines, "last page", pages.last, index, ".pages.last")
            self.tag(lines, "article number", pages.article_number, index, ".pages.article_number")
        self.tag(lines, "doi", article.doi, index, ".doi")
        lines += self.issue_lines("issns", lang)
        self.tag(lines, "url", derive.landing_page(issue, article, index), index, ".url")
        self.tag(lines, "language", lang, index)
        lines += self.issue_lines("publisher", lang)
        if shown.keywords:
            self.keywords(shown.keywords, index, lines)
        lines.append("ER  - ")
        self.not_carried.add(index, tuple(dropped + not_carried(article, lang)))
        return lines

    def tag(self, lines: list[str], name: str, text: str | None, index: int, where: str = "") -> None:
        """The line of field ``name``, if ``text`` gives it a value."""
        if text and (value := self.field(text, index, where)):
            lines.append(f"{WRITE[name]}  - {value}")

    def person(self, contributor: Contributor, name: PersonName | None, lang: str, index: int, number: int) -> str:
        """``Family, Given`` (``Family,`` for a one-name person); a group author as it is, without a comma."""
        where = f"articles[{index}].contributors[{number}]"
        if name is None:
            value = self.field(derive.organization_name(contributor, lang), index, ".organization", number)
            if "," in value:
                self.warn("ris.name-comma", f"the group author '{value}' has a comma: RIS readers take the part "
                          "before it for a family name and the rest for a given name", where)
            return value
        family, given = self.field(name.family, index, ".names", number), self.field(name.given, index, ".names", number)
        if not family:
            return given
        if "," in family:
            self.warn("ris.name-comma", f"the family name '{family}' has a comma: RIS readers split a name at its "
                      "first comma, so they will read a wrong family name", where)
        return f"{family}, {given}" if given else f"{family},"

    def abstract(self, text: str, index: int, lines: list[str]) -> None:
        """A line per paragraph, blank lines between."""
        path = f"articles[{index}].abstracts"
        self.value(text, path)  # reports control characters
        paragraphs = abstract_lines(text)
        if paragraphs:
            lines.append(f"{WRITE['abstract']}  - {paragraphs[0]}")
            for paragraph in paragraphs[1:]:
                lines += ["", paragraph]
        if "\n" in text and len(paragraphs) < len([p for p in derive.paragraphs(text) if one_line(p)]):
            self.warn("ris.paragraph-joined", "a paragraph of the abstract starts like a RIS tag line "
                      "('XX - …'), so it continues the paragraph before it instead of starting a line", path,
                      "info")

    def keywords(self, keywords: list[str], index: int, lines: list[str]) -> None:
        path = f"articles[{index}].keywords"
        if any(";" in word for word in keywords):
            self.warn("ris.keyword-separator", "a keyword has a ';': Zotero and biblio read it as two keywords", path)
        if len(keywords) == 1 and "," in keywords[0]:
            self.warn("ris.keyword-separator", "the only keyword has a comma: Zotero splits a lone keyword at "
                      "commas", path, "info")
        for word in keywords:
            self.tag(lines, "keywords", word, index, ".keywords")

    def issue_lines(self, part: str, lang: str) -> list[str]:
        """The lines of the issue's facts in a record of ``lang``: made once per language."""
        key = (part, lang)
        if key not in self.issue_parts:
            self.issue_parts[key] = self.make_issue_lines(part, lang)
        return self.issue_parts[key]

    def make_issue_lines(self, part: str, lang: str) -> list[str]:
        issue, journal = self.issue, self.issue.journal
        if part == "journal":
            title = derive.pick(journal.titles, lang)[0]
            values = [("journal", self.value(title, "journal.titles"))]
            if journal.titles.texts and lang not in journal.titles.texts:
                self.warn("lang.fallback", f"no {lang} journal title: using the {journal.titles.languages[0]} "
                          "journal title", "journal.titles")
            values.append(("abbreviation", self.value(journal.abbreviation, "journal.abbreviation")))
        elif part == "volume":
            values = [("volume", self.value(issue.volume, "issue.volume")),
                      ("number", self.value(issue.number, "issue.number"))]
        elif part == "issns":  # one line: Zotero keeps only the first SN line and notes the rest
            values = [("issns", self.value(", ".join(issn.value for issn in journal.issns), "journal.issns"))]
        else:
            name = derive.pick(journal.publisher.name, lang)[0] if journal.publisher else None
            values = [("publisher", self.value(name, "journal.publisher.name"))]
        return [f"{WRITE[name]}  - {value}" for name, value in values if value]
