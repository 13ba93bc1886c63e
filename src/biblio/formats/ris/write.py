"""Writing RIS: one ``TY  - JOUR`` record per article, pushed one at a time, in one language per file.

A record is the article seen in one language (``derive.localize``); the tags come from
``mapping``. Values are one line each, the abstract too: its paragraphs are joined with a space
and the lost breaks reported as not carried, since pandoc 3 reads one line per tag (it refuses a
blank line or a line without a tag inside a record). UTF-8 without a byte-order mark, CRLF line
ends (the RIS specification, Zotero's export), a blank line between records.
"""

from __future__ import annotations

import re
from typing import BinaryIO

from ... import derive, ids
from ...model import WHOLE_WORKS, Article, Contributor, Issue, PartialDate, PersonName
from ...problems import Problem, Severity, article_numbers
from .. import Output, Work, author_name, author_text
from ..notes import NotCarried
from .mapping import (CARRIED_ROLES, GENERIC, NEWLINE, PARAGRAPHS, ROLES, SERIES, WORK_FIELDS, WORK_RECORD, WRITE,
                      file_name, issue_not_carried, not_carried)

_BREAKS = re.compile(r"[ \t\n\r\f\v\x1c-\x1f\x85\u2028\u2029]+")  # ASCII whitespace, line breaks; not NBSP
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f]")
_SPACES = re.compile(" {2,}")


def one_line(text: str) -> str:
    """The text as one RIS value: control characters removed, runs of whitespace and line breaks
    made one space."""
    if text.isprintable():  # no control character, no whitespace but spaces: most values
        return (_SPACES.sub(" ", text) if "  " in text else text).strip()
    return _BREAKS.sub(" ", _CONTROL.sub("", text)).strip()


def abstract_lines(text: str) -> list[str]:
    """An abstract's paragraphs, one line each; the writer joins them with a space into one ``AB`` line."""
    cleaned = text if text.isprintable() else _CONTROL.sub("", text)
    return [line for line in map(one_line, derive.paragraphs(cleaned)) if line]


class RisWriter:
    """The format's ``Writer``: ``articles.ris`` (``lang`` None: each article in its own language) or
    ``articles.<lang>.ris``; each record is written as its article is added, the notes at ``close``.

    A language that is not a tag is a ``ris.lang`` error and no file; a file without a record is
    ``ris.no-articles`` (no RIS reader takes it).
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
        self.fallbacks = derive.Fallbacks(issue)

    def add(self, index: int, article: Article) -> None:
        """Write the article's record (the file is opened with the first one)."""
        if self.refused is not None:
            return
        lines = self._record(index, article)
        lines.append("")  # the record's last line end
        if self.records:
            lines.insert(0, "")  # the blank line between records
        if self.stream is None:
            self.stream = self.output.open(file_name(self.lang))
        self.stream.write(NEWLINE.join(lines).encode("utf-8"))
        self.records += 1

    def close(self) -> list[Problem]:
        """Close the file; the problems, then what RIS could not carry (per kind, with the articles)."""
        if self.refused is not None:
            return [self.refused]
        if self.stream is not None:
            self.stream.close()
        problems = self.problems + self.fallbacks.problems()
        for what in issue_not_carried(self.issue):
            problems.append(Problem("ris.not-carried", "info", f"RIS cannot carry {what}", path="issue"))
        if self.dated_from_issue:
            date = self.issue.published or PartialDate(self.issue.year)
            problems.append(Problem("ris.date-from-issue", "info", f"no publication date of their own in "
                                    f"{article_numbers(self.dated_from_issue)}; DA gives them the issue's date "
                                    f"({date})", path="articles"))
        for what, indexes in self.not_carried.items():
            problems.append(Problem("ris.not-carried", "info", f"RIS cannot carry {what} ({article_numbers(indexes)})",
                                    path="articles"))
        if not self.records and not any(p.severity == "error" for p in problems):
            problems.append(Problem("ris.no-articles", "error", "there is no article to write", path="articles"))
        return problems

    # --- problems ------------------------------------------------------------------------------

    def _warn(self, code: str, message: str, path: str, severity: Severity = "warning") -> None:
        problem = Problem(code, severity, message, path=path)
        if problem not in self.seen:
            self.problems.append(problem)
            self.seen.add(problem)

    def value(self, text: str | None, path: str) -> str:
        """``one_line`` of a text, reporting the control characters it removes."""
        if not text:
            return ""
        if not text.isprintable() and _CONTROL.search(text):
            self._warn("ris.control-character", "control characters a text file should not hold were removed", path)
        return one_line(text)

    # --- a record -------------------------------------------------------------------------------

    def _record(self, index: int, article: Article) -> list[str]:
        issue, journal = self.issue, self.issue.journal
        shown = derive.localize(issue, article, index, self.lang)
        self.fallbacks.add(shown)
        lang, at = shown.lang, f"articles[{index}]"
        lines = ["TY  - JOUR"]
        self.tag(lines, "title", shown.title, f"{at}.titles")
        if article.short_title:  # in the record's language only: the others are reported
            self.tag(lines, "short title", article.short_title.texts.get(lang), f"{at}.short_title")
        if len(lines) == 1:  # RIS readers need a title: the record is refused, not written for its validator to fail
            self.problems.append(Problem("ris.title-missing", "error", "the article has no title, and a RIS record "
                                         "needs one (TI): add the title", path=f"{at}.titles"))
        dropped: list[str] = []  # kinds of contributors RIS has no tag for
        people: dict[str, list[str]] = {name: [] for name in ROLES.values()}
        for number, (contributor, name) in enumerate(shown.authors):
            role = contributor.role
            if role in ROLES:
                if value := self.person(contributor, name, lang, f"{at}.contributors[{number}]"):
                    people[ROLES[role]].append(f"{WRITE[ROLES[role]]}  - {value}")
            elif (what := f"{role}s (RIS has {CARRIED_ROLES})") not in dropped:
                dropped.append(what)
        for found in people.values():
            lines += found
        before = len(lines)
        self.tag(lines, "journal", shown.journal_title, "journal.titles")
        self.tag(lines, "abbreviation", journal.abbreviation, "journal.abbreviation")
        if len(lines) == before:
            self.problems.append(Problem("ris.journal-missing", "error", "the article names no journal, and a RIS "
                                         "journal record needs one (T2): add the journal's title", path=f"{at}"))
        if shown.abstract and self.abstract(shown.abstract, f"{at}.abstracts", lines):
            dropped.append(PARAGRAPHS)
        date, from_issue = derive.publication_date(issue, article)
        if not date.year:  # 0: unknown; never written as 0000 (RIS readers take a record without PY)
            self.problems.append(Problem("ris.year-unknown", "warning", "the article has no date and its issue no "
                                         "year, so its record has no year (PY), which citations need: add the year "
                                         "the article was published", path=f"{at}.dates.published"))
        elif date.month is not None:
            if from_issue:
                self.dated_from_issue.append(index)
            month, day = f"{date.month:02d}", f"{date.day:02d}" if date.day is not None else ""
            lines.append(f"{WRITE['date']}  - {date.year:04d}/{month}/{day}/")
        if date.year:
            lines.append(f"{WRITE['year']}  - {date.year:04d}")
        self.tag(lines, "volume", issue.volume, "issue.volume")
        self.tag(lines, "number", issue.number, "issue.number")
        pages = article.pages
        if pages:
            self.tag(lines, "first page", pages.first or pages.article_number, f"{at}.pages")
            if pages.first:
                self.tag(lines, "last page", pages.last, f"{at}.pages.last")
            self.tag(lines, "article number", pages.article_number, f"{at}.pages.article_number")
        self.tag(lines, "doi", article.doi, f"{at}.doi")
        # one line: Zotero keeps only the first SN line and notes the rest
        self.tag(lines, "issns", ", ".join(issn.value for issn in journal.issns), "journal.issns")
        self.tag(lines, "url", derive.landing_page(issue, article, index), f"{at}.url")
        if seen := article.accessed:  # as the works' Y2: YYYY/MM/DD/
            lines.append(f"{WRITE['accessed']}  - {seen.year:04d}/" + (f"{seen.month:02d}/" if seen.month else "/")
                         + (f"{seen.day:02d}/" if seen.month and seen.day else "/"))
        self.tag(lines, "language", lang, at)
        publisher = derive.pick(journal.publisher.name, lang)[0] if journal.publisher else None
        self.tag(lines, "publisher", publisher, "journal.publisher.name")
        if shown.keywords:
            self._keywords(shown.keywords, f"{at}.keywords", lines)
        self.tag(lines, "note", article.note, f"{at}.note")
        lines.append("ER  - ")
        self.not_carried.add(index, tuple(dropped + not_carried(article, lang)))
        return lines

    def tag(self, lines: list[str], name: str, text: str | None, path: str) -> None:
        """The line of field ``name``, if ``text`` gives it a value."""
        if value := self.value(text, path):
            lines.append(f"{WRITE[name]}  - {value}")

    def person(self, contributor: Contributor, name: PersonName | None, lang: str, path: str) -> str:
        """``Family, Given`` (``Family,`` for a one-name person); a group author as it is, without a comma."""
        if name is None:
            value = self.value(derive.organization_name(contributor, lang), f"{path}.organization")
            if "," in value:
                self._warn("ris.name-comma", f"the group author '{value}' has a comma: RIS readers take the part "
                           "before it for a family name and the rest for a given name", path)
            return value
        family, given = self.value(name.family, f"{path}.names"), self.value(name.given, f"{path}.names")
        suffix = self.value(name.suffix, f"{path}.names")
        if not family:
            return f"{given}, , {suffix}" if suffix else given
        if "," in family:
            self._warn("ris.name-comma", f"the family name '{family}' has a comma: RIS readers split a name at its "
                       "first comma, so they will read a wrong family name", path)
        if "," in given:
            self._warn("ris.name-comma", f"the given name '{given}' has a comma: RIS readers take what follows a "
                       "name's second comma for its suffix (Jr.), so they will read a wrong given name", path)
        if suffix:  # the RIS specification's "Lastname, Firstname, Suffix"
            return f"{family}, {given}, {suffix}"
        return f"{family}, {given}" if given else f"{family},"

    def abstract(self, text: str, path: str, lines: list[str]) -> bool:
        """The one ``AB`` line; whether paragraph breaks were lost (RIS, as pandoc reads it, has none)."""
        self.value(text, path)  # reports control characters
        paragraphs = abstract_lines(text)
        if paragraphs:
            lines.append(f"{WRITE['abstract']}  - {' '.join(paragraphs)}")
        return len(paragraphs) > 1

    def _keywords(self, keywords: list[str], path: str, lines: list[str]) -> None:
        if any(";" in word for word in keywords):
            self._warn("ris.keyword-separator", "a keyword has a ';': Zotero and biblio read it as two keywords", path)
        if len(keywords) == 1 and "," in keywords[0]:
            self._warn("ris.keyword-separator", "the only keyword has a comma: Zotero splits a lone keyword at "
                       "commas", path, "info")
        for word in keywords:
            self.tag(lines, "keywords", word, path)


def work(item: Work) -> tuple[bytes, list[Problem]]:
    """A work (a record that is not a journal article) as one record of its type (``mapping.WORK_RECORD``), each
    field through ``mapping.WORK_FIELDS``; what the record cannot say is a note."""
    reference, problems = item.reference, []
    kind = WORK_RECORD.get(reference.type or "other")
    lost = [] if kind else [f"the type '{reference.type}' (no RIS record type for it: written GEN)"]
    kind = kind or GENERIC
    # The container of a whole work is its series (T3), as is a generic record's: T2 would make it a journal article.
    series = kind == GENERIC or reference.type in WHOLE_WORKS  # (a CONF without T2 is read as the proceedings)
    lines = [f"TY  - {kind}"]
    for attribute, tag, _ in WORK_FIELDS:
        value = getattr(reference, attribute)
        if attribute == "authors":
            lines += [f"AU  - {one_line(_family_first(author))}" for author in value if one_line(author)]
            lines += [f"A2  - {one_line(_family_first(editor))}" for editor in item.editors if one_line(editor)]
        elif attribute == "pages" and value:
            first, _, last = re.sub(r"\s*[–—]\s*", "-", str(value)).partition("-")
            lines += [f"SP  - {one_line(first)}"] + ([f"EP  - {one_line(last)}"] if last.strip() else [])
        elif attribute == "accessed" and value:
            lines.append(f"Y2  - {value.year:04d}/{value.month or 0:02d}/{value.day or 0:02d}/".replace("/00", "/"))
        elif attribute == "issn" and value and reference.isbn:
            lost.append("an ISSN beside the ISBN (SN holds one)")
        elif value and one_line(str(value)):
            lines.append(f"{SERIES[0] if attribute == 'container' and series else tag}  - {one_line(str(value))}")
    if reference.conference:
        lost.append("the conference's name")
    if not one_line(reference.title or ""):
        problems.append(Problem("ris.title-missing", "error", "the work has no title: it is not written"))
    if lost:
        problems.append(Problem("ris.not-carried", "info", f"RIS cannot carry {' or '.join(lost)}"))
    return NEWLINE.join([*lines, "ER  - ", ""]).encode("utf-8"), problems


def _family_first(author: str) -> str:
    """``Family, Given`` (``Family,`` for a one-name person), a group's name as it is: as the article records have."""
    name = author_name(author)
    return author_text(name) + ("," if isinstance(name, PersonName) and not name.given else "")
