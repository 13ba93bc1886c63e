"""RIS: one ``TY  - JOUR`` record per article, one language per file.

Mapping decisions (design.md §4, "Which language?"): each record is the article seen in
one language (``derive.localize``; every fallback is a ``lang.fallback`` warning, the code
the citation formats share so that a build reports it once). Tags:
``TI`` title; ``AU`` authors, ``A2`` editors, ``A4`` translators (what Zotero reads for a
journal article), one per person as ``Family, Given`` — a person always has a comma
(``Family,`` for a one-name person), a group author never has one; ``T2`` the journal
(Zotero's publicationTitle) and ``J2`` its abbreviation (Zotero reads ``JO`` as an
abbreviation, so ``JO`` is not written); ``AB``; ``DA`` (``YYYY/MM/DD/``) when the date
is known beyond the year; ``PY`` the year; ``VL``, ``IS``, ``SP``, ``EP``; ``C7`` the
article number (EndNote's and Scopus's tag; also in ``SP`` when there is no first page,
as Zotero shows it); ``DO`` bare DOI; ``SN`` one per ISSN; ``UR`` landing page; ``LA`` the
BCP 47 tag of the record's language (the article's own, or the one asked for); ``PB``;
``KW`` one per keyword; ``ER``. A text missing in that language comes from another one
and is reported; the reader files every text of a record under its ``LA``.

Values are one line each, with runs of whitespace made one space. An abstract keeps its
paragraphs: the first follows ``AB  - ``, each further one comes after a blank line on a
line of its own, which Zotero (like this reader) joins back with line breaks, so the
reader restores exactly ``paragraph\\n\\nparagraph``. Lines end in CRLF, as the RIS
specification and Zotero's export have it; the file is UTF-8 without a byte-order mark.

The reader takes RIS from other tools too: ``T1``/``A1``/``JF``/``JO``/``Y1``/``N2``,
``SP`` holding a page range, DOIs as URLs, languages as names or codes, a byte-order mark,
CRLF, one-space tags of old EndNote exports. What it does not use is reported, never
dropped silently. No RIS library is used: rispy (the one candidate) drops a record
without ``ER``, merges a record without ``ER`` into the next, loses paragraph breaks,
splits URLs at ``;``, reads nothing after a byte-order mark, and reports no line numbers.
"""

from __future__ import annotations

import codecs
import functools
import operator
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO, TextIO

from .. import derive, ids
from ..fileio import read_head
from ..model import Article, Contributor, Issn, Issue, Journal, LangText, Pages, PartialDate, PersonName, Publisher
from ..problems import Problem, article_numbers, sort_key
from . import ArticleReading, textfiles, xmltools

FILE_NAME = "articles.ris"
NEWLINE = "\r\n"

#: Journal-like record types read as articles; anything else (BOOK, CHAP, CONF …) is reported and skipped.
JOURNAL_TYPES = frozenset({"JOUR", "EJOUR", "JFULL", "ABST", "INPR", "GEN", "MGZN", "NEWS"})
#: Record types of the RIS specification (2011) plus the older ones still exported.
TYPES = frozenset({
    "ABST", "ADVS", "AGGR", "ANCIENT", "ART", "BILL", "BLOG", "BOOK", "CASE", "CHAP", "CHART", "CLSWK", "COMP",
    "CONF", "CPAPER", "CTLG", "DATA", "DBASE", "DICT", "EBOOK", "ECHAP", "EDBOOK", "EJOUR", "ELEC", "ENCYC",
    "EQUA", "FIGURE", "GEN", "GOVDOC", "GRANT", "GRNT", "HEAR", "ICOMM", "INPR", "JFULL", "JOUR", "LEGAL",
    "MANSCPT", "MAP", "MGZN", "MPCT", "MULTI", "MUSIC", "NEWS", "PAMP", "PAT", "PCOMM", "RPRT", "SER", "SLIDE",
    "SOUND", "STAND", "STAT", "THES", "UNBILL", "UNPB", "UNPD", "VIDEO"})
#: Tags of the RIS specification (2011) and the legacy ones reference managers still write.
TAGS = frozenset({
    "TY", "ER", "A1", "A2", "A3", "A4", "AB", "AD", "AN", "AU", "AV", "BT", "C1", "C2", "C3", "C4", "C5", "C6",
    "C7", "C8", "CA", "CN", "CP", "CT", "CY", "DA", "DB", "DO", "DP", "ED", "EP", "ET", "ID", "IS", "J1", "J2",
    "JA", "JF", "JO", "KW", "L1", "L2", "L3", "L4", "LA", "LB", "LK", "M1", "M2", "M3", "N1", "N2", "NV", "OP",
    "PB", "PP", "PY", "RI", "RN", "RP", "SE", "SN", "SP", "ST", "T1", "T2", "T3", "TA", "TI", "TT", "U1", "U2",
    "U3", "U4", "U5", "UR", "VL", "VO", "Y1", "Y2"})
#: Tags whose continuation lines keep their line breaks (as Zotero reads them); others join with a space.
MULTILINE_TAGS = frozenset({"AB", "N2", "N1", "KW"})
#: Tags a record has at most once; a repeated one is kept by some readers and dropped by others.
SINGLE_TAGS = frozenset({"TY", "TI", "T1", "T2", "JO", "JF", "J2", "JA", "PY", "Y1", "DA", "VL", "IS", "SP",
                         "EP", "DO", "AB", "N2", "LA", "PB", "C7"})
_TITLE_TAGS = ("TI", "T1")
_JOURNAL_TAGS = ("T2", "JF", "JO", "J2", "JA", "J1")
_DATE_TAGS = ("DA", "PY", "Y1")
_READ_TAGS = frozenset({"TY", "ER", "TI", "T1", "AU", "A1", "A2", "ED", "A4", "T2", "JF", "JO", "J2", "JA", "J1",
                        "AB", "N2", "KW", "DO", "SN", "UR", "LA", "PB", "CY", "SP", "EP", "C7", "VL", "IS", "PY",
                        "Y1", "DA"})

# A tag line exactly as the specification writes it: two capitals or a capital and a digit,
# two spaces, a hyphen, then a space and the value (``ER  -`` may end at the hyphen).
_STRICT = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")
# What readers still take for a tag: spaces around the hyphen off by one, leading spaces.
_LOOSE = re.compile(r"^\s*([A-Z][A-Z0-9])(?:\s*-\s+|\s+-\s*|\s*-$)(.*)$")
# Not a tag here, but other readers differ: two digits (Zotero takes them for a tag) or lower case.
_TAGLIKE = re.compile(r"^\s*[A-Za-z0-9]{2} {1,2}-(?: |$)")
# A continuation line that this reader, Zotero (``^[A-Z0-9]{2} {1,2}-``) or a lenient reader could take for a
# tag line: everything _LOOSE and _TAGLIKE match, in any case.
_AMBIGUOUS = re.compile(r"^\s*[A-Za-z0-9]{2}(?:\s*-\s|\s+-|\s*-$)")

_BREAKS = re.compile(r"[ \t\n\r\f\v\x1c-\x1f\x85\u2028\u2029]+")  # ASCII whitespace, line breaks; not NBSP
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f]")
_SPACES = re.compile(" {2,}")


# --- writing ----------------------------------------------------------------------------

def one_line(text: str) -> str:
    """The text as one RIS value: runs of whitespace and line breaks made one space."""
    if text.isprintable():  # no control character, no whitespace but spaces: most values, checked fast
        return _one_printable_line(text)
    return _BREAKS.sub(" ", _CONTROL.sub("", text)).strip()


def _one_printable_line(text: str) -> str:
    """``one_line`` of a text known to be printable (checking again costs a scan of a long abstract)."""
    return (_SPACES.sub(" ", text) if "  " in text else text).strip()


_ASCII_CONTROL = bytes(range(32)) + b"\x7f"


def _printable(text: str) -> bool:
    """``text.isprintable()``, faster on a long ASCII text such as an abstract: a byte table
    instead of a Unicode look-up per character (ASCII is printable but for its controls)."""
    if text.isascii():
        data = text.encode("ascii")
        return len(data.translate(None, _ASCII_CONTROL)) == len(data)
    return text.isprintable()


def _without_control(text: str) -> str:
    return text if text.isprintable() else _CONTROL.sub("", text)


def abstract_lines(text: str) -> list[str]:
    """An abstract's paragraphs, one line each, as the writer puts them after ``AB``.

    A paragraph that a lenient reader would take for a tag line (``ER - …``, ``10 - 20 …``)
    cannot start a line of its own, so it continues the paragraph before it.
    """
    lines: list[str] = []
    for paragraph in derive.paragraphs(_without_control(text)):
        line = one_line(paragraph)
        if not line:
            continue
        if lines and _AMBIGUOUS.match(line):
            lines[-1] += " " + line
        else:
            lines.append(line)
    return lines


def _date_tag(date: PartialDate) -> str:
    month = f"{date.month:02d}" if date.month is not None else ""
    day = f"{date.day:02d}" if date.day is not None else ""
    return f"{date.year:04d}/{month}/{day}/"


@functools.lru_cache(maxsize=4096)
def _date_lines(year: int, month: int | None, day: int | None) -> tuple[str, ...]:
    """The DA (when the month is known) and PY lines of a date: the articles of an issue share a few."""
    date = PartialDate(year, month, day)
    return (f"DA  - {_date_tag(date)}", f"PY  - {year:04d}") if month is not None else (f"PY  - {year:04d}",)


_ROLE_TAGS = {"author": "AU", "editor": "A2", "translator": "A4"}
_FIRST = operator.itemgetter(0)


#: What making one record did to its writer: its events (see ``_Writer.events``), the kinds it
#: leaves out, whether it is dated from the issue. A plain tuple: one is made for every record.
_Made = tuple[list[tuple[str, object]], tuple[str, ...], bool]


@dataclass
class _Writer:
    issue: Issue
    lang: str | None
    problems: list[Problem] = field(default_factory=list)
    not_carried: textfiles.NotCarried = field(default_factory=textfiles.NotCarried)
    dropped: list[str] = field(default_factory=list)  # what the record being made leaves out
    dated_from_issue: list[int] = field(default_factory=list)
    seen: set[Problem] = field(default_factory=set)  # self.problems as a set: checks must not scan the list
    issue_parts: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    # What the record being made did to the problems, in order, for a writer of the same
    # language to take (``take``): ("add", problems), ("warn", problem), ("issue", (part, shown)).
    events: list[tuple[str, object]] = field(default_factory=list)
    made: _Made | None = None

    def add(self, problems: list[Problem]) -> None:
        if not problems:  # the usual: nothing to record or replay
            return
        self.events.append(("add", problems))
        self.problems.extend(problems)
        self.seen.update(problems)

    def warn(self, code: str, message: str, path: str, severity: str = "warning") -> None:
        self.warn_once(Problem(code, severity, message, path=path))  # type: ignore[arg-type]

    def warn_once(self, problem: Problem) -> None:
        self.events.append(("warn", problem))
        if problem not in self.seen:
            self.problems.append(problem)
            self.seen.add(problem)

    def take(self, index: int, made: _Made) -> None:
        """What another writer's record in the same language did, as if this writer had made it:
        its problems go through this writer's own checks for repeats, in the same order."""
        self.events = []  # what the replay records is this record's (kept no longer than that)
        events, dropped, dated = made
        for kind, argument in events:
            if kind == "add":
                self.add(argument)  # type: ignore[arg-type]
            elif kind == "warn":
                self.warn_once(argument)  # type: ignore[arg-type]
            else:
                self.issue_lines(*argument)  # type: ignore[misc]
        if dated:
            self.dated_from_issue.append(index)
        self.not_carried.add(index, dropped)

    def value(self, text: str | None, path: str) -> str:
        if text is None:
            return ""
        if text.isprintable():  # as one_line, checked once
            return (_SPACES.sub(" ", text) if "  " in text else text).strip()
        if _CONTROL.search(text):
            self.warn("ris.control-character", "control characters a text file should not hold were removed",
                      path)
        return one_line(text)

    def field(self, text: str | None, index: int, where: str = "", person: int | None = None) -> str:
        """``value`` of an article's text; its path (``articles[3].titles``, with ``person``
        ``articles[3].contributors[1].names``) is made only for a warning."""
        if text is None:
            return ""
        if text.isprintable():  # as one_line, checked once: no path, no call
            return (_SPACES.sub(" ", text) if "  " in text else text).strip()
        if person is not None:
            where = f".contributors[{person}]{where}"
        return self.value(text, f"articles[{index}]{where}")

    def record(self, index: int) -> list[str]:
        """The record's lines. Printable values, the usual ones, are made here as ``field`` would make
        them, without the call; the others go through it, which reports what it removes."""
        issue, article = self.issue, self.issue.articles[index]
        # lang.fallback: shared by the citation formats. A record in the article's own language is
        # localized as the file of own languages does it: without checking the tag again, twice.
        shown = derive.localize(issue, index, None if self.lang == article.language else self.lang)
        events = self.events = []
        self.add(shown.problems)
        dropped = self.dropped = []
        lines = ["TY  - JOUR"]
        append = lines.append
        self.tag(lines, "TI", shown.title, index, ".titles")
        lang = shown.lang
        others: list[tuple[str, str]] = []  # editors and translators, after the authors
        for number, (contributor, name) in enumerate(shown.authors):
            role = contributor.role
            if role == "author":
                if value := self.person(contributor, name, lang, index, number):
                    append("AU  - " + value)
            elif role in _ROLE_TAGS:
                others.append((_ROLE_TAGS[role], self.person(contributor, name, lang, index, number)))
            elif (what := f"{role}s (RIS has authors, editors and translators)") not in dropped:
                dropped.append(what)
        for ris_tag, value in sorted(others, key=_FIRST):  # stable: A2 lines, then A4, each in order
            if value:
                append(f"{ris_tag}  - {value}")
        issue_parts = self.issue_parts
        events.append(("issue", ("journal", shown)))
        lines += issue_parts.get(("journal", lang)) or self.issue_lines("journal", shown, False)
        text = shown.abstract
        if text and _printable(text):  # one paragraph, nothing to remove: the usual
            if value := _one_printable_line(text):
                append("AB  - " + value)
        elif text:
            self.abstract(text, index, lines)
        date, from_issue = derive.publication_date(issue, article)
        dated = date.month is not None and from_issue
        if dated:
            self.dated_from_issue.append(index)
        lines += _date_lines(date.year, date.month, date.day)
        events.append(("issue", ("volume", shown)))
        lines += issue_parts.get(("volume", lang)) or self.issue_lines("volume", shown, False)
        pages = article.pages
        if pages:
            first, number = pages.first, pages.article_number
            self.tag(lines, "SP", first or number, index, ".pages")
            if first:
                self.tag(lines, "EP", pages.last, index, ".pages.last")
            self.tag(lines, "C7", number, index, ".pages.article_number")
        self.tag(lines, "DO", article.doi, index, ".doi")
        events.append(("issue", ("issns", shown)))
        lines += issue_parts.get(("issns", lang)) or self.issue_lines("issns", shown, False)
        self.tag(lines, "UR", derive.landing_page(issue, index), index, ".url")
        self.tag(lines, "LA", lang, index)
        events.append(("issue", ("publisher", shown)))
        lines += issue_parts.get(("publisher", lang)) or self.issue_lines("publisher", shown, False)
        keywords = shown.keywords
        if keywords:
            joined = "".join(keywords)
            if len(keywords) == 1 or ";" in joined:  # what keywords() warns about (usually not)
                self.keywords(keywords, index)
            if joined.isprintable() and "  " not in joined:  # every keyword is: each is only stripped
                lines += ["KW  - " + value for text in keywords if (value := text.strip())]
            else:
                for text in keywords:
                    self.tag(lines, "KW", text, index, ".keywords")
        append("ER  - ")
        self.not_carried_by(article, shown)
        made = tuple(dropped)  # no kind twice: NotCarried takes a tuple as it is
        self.not_carried.add(index, made)
        self.made = (events, made, dated)
        return lines

    def tag(self, lines: list[str], name: str, text: str | None, index: int, where: str = "") -> None:
        """The line of a tag whose value is ``field`` of ``text``, if it has one (a printable text,
        the usual, is made as ``field`` makes it, without the call)."""
        if not text:
            return
        if text.isprintable():  # _one_printable_line without the call: most values are made here
            value = (text if "  " not in text else _SPACES.sub(" ", text)).strip()
        else:
            value = self.field(text, index, where)
        if value:
            lines.append(f"{name}  - {value}")

    def abstract(self, text: str, index: int, lines: list[str]) -> None:
        """An abstract with paragraphs or characters to remove: a line per paragraph, blank lines between."""
        path = f"articles[{index}].abstracts"
        self.value(text, path)  # reports control characters
        paragraphs = abstract_lines(text)
        if paragraphs:
            lines.append(f"AB  - {paragraphs[0]}")
            for paragraph in paragraphs[1:]:
                lines += ["", paragraph]
        if len(paragraphs) < len([p for p in derive.paragraphs(text) if one_line(p)]):
            self.warn("ris.paragraph-joined", "a paragraph of the abstract starts like a RIS tag line "
                      "('XX - …'), so it continues the paragraph before it instead of starting a line", path, "info")

    def issue_lines(self, part: str, shown: derive.Localized, record: bool = True) -> list[str]:
        """Lines that depend only on the issue and the record's language (journal, volume, ISSNs,
        publisher): made once per language. Their warnings would repeat, and ``warn`` keeps one.
        ``record`` False: the caller recorded the event (``record`` does, to look the lines up itself)."""
        if record:
            self.events.append(("issue", (part, shown)))
        key = (part, shown.lang)
        if key not in self.issue_parts:
            self.issue_parts[key] = self.make_issue_lines(part, shown)
        return self.issue_parts[key]

    def make_issue_lines(self, part: str, shown: derive.Localized) -> list[str]:
        issue, journal = self.issue, self.issue.journal
        if part == "journal":
            values = [("T2", self.value(shown.journal_title, "journal.titles"))]
            if journal.titles.texts and shown.lang not in journal.titles.texts:
                self.warn("lang.fallback", f"no {shown.lang} journal title: using the {journal.titles.languages[0]} "
                          "journal title", "journal.titles")
            values.append(("J2", self.value(journal.abbreviation, "journal.abbreviation")))
        elif part == "volume":
            values = [("VL", self.value(issue.volume, "issue.volume")), ("IS", self.value(issue.number, "issue.number"))]
        elif part == "issns":  # one line: Zotero keeps only the first SN line and notes the rest
            values = [("SN", self.value(", ".join(issn.value for issn in journal.issns), "journal.issns"))
                      ] if journal.issns else []
        else:
            values = [("PB", self.value(derive.pick(journal.publisher.name, shown.lang)[0], "journal.publisher.name"))
                      ] if journal.publisher else []
        return [f"{name}  - {value}" for name, value in values if value]

    def person(self, contributor: Contributor, name: PersonName | None, lang: str, index: int, number: int) -> str:
        """``Family, Given`` (``Family,``; a group author as it is), each part as ``field`` gives it."""
        if name is not None:  # the usual name, printable, without a comma to report: made without field
            family, given = name.family, name.given
            if family and family.isprintable() and "  " not in family and "," not in family \
                    and (family := family.strip()) and (given is None or (given.isprintable() and "  " not in given)):
                given = given.strip() if given else ""
                return f"{family}, {given}" if given else f"{family},"
        if name is None:  # a group author: as it is, without a comma
            value = self.field(derive.pick(contributor.organization, lang)[0], index, ".organization", number)
            if "," in value:
                self.warn("ris.name-comma", f"the group author '{value}' has a comma: RIS readers take the part "
                          "before it for a family name and the rest for a given name",
                          f"articles[{index}].contributors[{number}]")
            return value
        family, given = self.field(name.family, index, ".names", number), self.field(name.given, index, ".names", number)
        if not family:
            return given
        if "," in family:
            self.warn("ris.name-comma", f"the family name '{family}' has a comma: RIS readers split a name at its "
                      "first comma, so they will read a wrong family name",
                      f"articles[{index}].contributors[{number}]")
        return f"{family}, {given}" if given else f"{family},"

    def keywords(self, keywords: list[str], index: int) -> None:
        if ";" in "".join(keywords):  # one search instead of one per keyword
            self.warn("ris.keyword-separator", "a keyword has a ';': Zotero and biblio read it as two keywords",
                      f"articles[{index}].keywords")
        if len(keywords) == 1 and "," in keywords[0]:
            self.warn("ris.keyword-separator", "the only keyword has a comma: Zotero splits a lone keyword at "
                      "commas", f"articles[{index}].keywords", "info")

    def not_carried_by(self, article: Article, shown: derive.Localized) -> None:
        """What of the article the record leaves out, in the order ``report`` names the kinds, each
        kind once (a kind found with one contributor is not looked for with the next)."""
        drop = self.dropped.append
        if len(article.titles.texts) > 1 or len(article.abstracts.texts) > 1 or len(article.keywords) > 1:
            drop("titles, abstracts and keywords in other languages (a record holds one language; each "
                 "language gets a file of its own)")
        if shown.lang != article.language:
            drop("the language the article is written in (LA gives the language of the record)")
        spellings = order = orcid = affiliations = email = credit = False
        for contributor in article.contributors:
            if spellings and order and orcid and affiliations and email and credit:
                break
            names = contributor.names
            if not spellings and (len(names) > 1 or (contributor.organization
                                                     and len(contributor.organization.texts) > 1)):
                spellings = True
                drop("author names in other languages and scripts")
            if not order:
                for name in names.values():
                    if name.order == "family-first":
                        order = True
                        drop("the printed order of names (family name first)")
                        break
            if not orcid and contributor.orcid:
                orcid = True
                drop("ORCID iDs")
            if not affiliations and contributor.affiliations:
                affiliations = True
                drop("affiliations")
            if not email and (contributor.email or contributor.corresponding):
                email = True
                drop("e-mail addresses and the corresponding author")
            if not credit and contributor.credit:
                credit = True
                drop("CRediT roles")
        if article.funding:
            drop("funding")
        if article.references:
            drop("references")
        if article.section:
            drop("the section")
        if article.citations:
            drop("in-text citation numbers")
        if article.license:
            drop("the licence")
        dates = article.dates
        if dates.received or dates.accepted:
            drop("the dates received and accepted")
        if dates.online:
            drop("the online date beside the print date" if dates.published else
                 "that the date is the online one (DA reads back as the print date)")

    def report(self) -> None:
        issue, journal = self.issue, self.issue.journal
        issue_level = (
            (issue.whole_number, "the issue's whole number"), (issue.title, "the issue's title"),
            (issue.doi, "the issue's DOI"), (len(journal.titles.texts) > 1, "the journal's title in other languages"),
            (journal.publisher and journal.publisher.place, "the publisher's place"),
            (journal.publisher and len(journal.publisher.name.texts) > 1, "the publisher's name in other languages"),
            (any(issn.media for issn in journal.issns), "whether an ISSN is the print or the electronic one"))
        for present, what in issue_level:
            if present:
                self.problems.append(Problem("ris.not-carried", "info", f"RIS cannot carry {what}", path="issue"))
        if self.dated_from_issue:
            date = issue.published or PartialDate(issue.year)
            self.problems.append(Problem(
                "ris.date-from-issue", "info", f"no publication date of their own in "
                f"{article_numbers(self.dated_from_issue)}; DA gives them the issue's date ({date})", path="articles"))
        numbers: dict[tuple[int, ...], str] = {}  # most kinds are left out by the same articles: named once
        for what, indexes in self.not_carried.items():
            key = tuple(indexes)
            if key not in numbers:
                numbers[key] = article_numbers(indexes)
            self.problems.append(Problem("ris.not-carried", "info", f"RIS cannot carry {what} ({numbers[key]})",
                                         path="articles"))


@xmltools.gc_paused
def dumps(issue: Issue, *, lang: str | None = None, dois: list[str] | None = None) -> tuple[str, list[Problem]]:
    """The RIS text of the issue (or the articles with those DOIs) in ``lang``.

    ``lang`` None gives each article in its own language. Problems include every language
    fallback and, as ``ris.not-carried`` notes, what RIS cannot carry.
    """
    out = _Collected()
    problems = dump(issue, out, lang=lang, dois=dois)  # type: ignore[arg-type]
    return "".join(out.parts), problems


class _Collected:
    """What ``dumps`` writes, kept as the strings written and joined once: StringIO copied every
    record into a buffer of 4-byte characters, and the whole buffer back into a string."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.write = self.parts.append


@xmltools.gc_paused
def dump(issue: Issue, out: TextIO, *, lang: str | None = None, dois: list[str] | None = None) -> list[Problem]:
    """Write the RIS text ``dumps`` gives to a text stream, one record at a time."""
    return _dump_many(issue, [out], [lang], dois)[0][0]


def _checked_lang(lang: str | None) -> tuple[str | None, Problem | None]:
    """The language tag as records give it, or the error that stops its file."""
    if lang is None:
        return None, None
    checked = ids.language_tag(lang)
    if not checked.ok:
        return None, Problem("ris.lang", "error", checked.message or "", path="lang")
    return checked.value, None


@xmltools.gc_paused
def _dump_many(issue: Issue, outs: list[TextIO | None], langs: list[str | None],
               dois: list[str] | None) -> list[tuple[list[Problem], int]]:
    """``dump`` into one stream per language, reading each article once for all of them: each
    language's problems and number of records. A language that is not a tag gets its error
    and no text (its stream may be None)."""
    view, window = textfiles.windowed(issue)
    selection = textfiles.Selection(dois)
    writers: list[_Writer | None] = []
    refused: list[list[Problem]] = []
    for lang in langs:
        tag, problem = _checked_lang(lang)
        writers.append(None if problem else _Writer(view, tag))
        refused.append([problem] if problem else [])
    live = [(writer, out) for writer, out in zip(writers, outs) if writer is not None]
    count = 0
    for index, article in enumerate(issue.articles) if dois is None else selection.each(issue.articles):
        window.show(index, article)
        made: dict[str, tuple[str, _Made]] = {}  # a record per language shown
        for writer, out in live:
            shown = writer.lang or article.language  # the file of each article's own language repeats one
            if shown in made:
                text, found = made[shown]
                writer.take(index, found)
            else:
                lines = writer.record(index)
                lines.append("")  # the record's last line end, from the join
                if count:
                    lines.insert(0, "")  # the blank line between records, from the join: one write per record
                text = NEWLINE.join(lines)
                made[shown] = (text, writer.made)  # type: ignore[assignment]
            out.write(text)
        count += 1
    results = []
    for writer, problems in zip(writers, refused):
        if writer is None:
            results.append((problems, 0))
            continue
        writer.report()
        results.append((selection.problems + writer.problems, count))
    return results


def file_name(lang: str | None) -> str:
    return FILE_NAME if lang is None else f"articles.{lang}.ris"


def write(issue: Issue, folder: Path, *, dois: list[str] | None = None,
          lang: str | None = None) -> tuple[list[Path], list[Problem]]:
    """The registry's writer: ``articles.ris`` (each article in its language) or ``articles.{lang}.ris``.

    Streamed: records go to a temporary file as they are made, which replaces the target
    only when nothing went wrong.
    """
    target = Path(folder) / file_name(ids.language_tag(lang).value if lang else None)

    def produce(stream) -> list[Problem]:
        text = _CountingText(stream)
        problems = dump(issue, text, lang=lang, dois=dois)
        return _no_articles(problems, text.written)

    problems = xmltools.write_streamed(target, produce)
    if any(p.severity == "error" for p in problems):
        return [], problems
    return [target], problems


def _no_articles(problems: list[Problem], written: bool) -> list[Problem]:
    """An empty file is an error: no RIS reader takes a file without records."""
    if not written and not any(p.severity == "error" for p in problems):
        problems.append(Problem("ris.no-articles", "error", "there is no article to write", path="articles"))
    return problems


def write_many(issue: Issue, folder: Path, langs: list[str | None], *,
               dois: list[str] | None = None) -> list[tuple[list[Path], list[Problem]]]:
    """``write`` once per language in ``langs``, reading each article once for all of them (a
    spooled issue unpickles an article on every read): the same files and problems, in order."""
    paths: list[Path | None] = []
    for lang in langs:
        tag, problem = _checked_lang(lang)
        paths.append(None if problem else Path(folder) / file_name(tag))

    def dump_many(outs: list[TextIO | None]) -> list[list[Problem]]:
        return [_no_articles(problems, count > 0) for problems, count in _dump_many(issue, outs, langs, dois)]

    return textfiles.write_text_files(paths, dump_many)


class _CountingText:
    """A text stream onto a binary one (UTF-8, line ends as given) that knows whether it was written to."""

    def __init__(self, stream: BinaryIO):
        self.stream = stream
        self.written = False

    def write(self, text: str) -> int:
        if text:
            self.written = True
            self.stream.write(text.encode("utf-8"))
        return len(text)


# --- parsing (shared by validate and read) ----------------------------------------------

@dataclass(slots=True)
class _Field:
    tag: str
    line: int
    parts: list[str]

    @property
    def value(self) -> str:
        if len(self.parts) == 1:  # the usual field: one line, already stripped
            return self.parts[0]
        if self.tag in MULTILINE_TAGS:
            return "\n".join(self.parts).strip()
        return " ".join(part for part in self.parts if part).strip()


@dataclass
class _Record:
    line: int  # of its TY line, or of its first line when TY is missing
    type: str | None
    fields: list[_Field] = field(default_factory=list)
    end: int | None = None  # the line of its ER

    def all(self, *tags: str) -> list[_Field]:
        return [f for f in self.fields if f.tag in tags and f.value]

    def first(self, *tags: str) -> _Field | None:
        """The first non-empty field among ``tags``, in the order the tags are given."""
        for tag in tags:
            found = self.all(tag)
            if found:
                return found[0]
        return None


def _decode(data: bytes, file: str) -> tuple[str, list[Problem]]:
    problems = []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        problems.append(Problem("ris.encoding", "error", "the file is not UTF-8 (a byte here cannot be read); save "
                                "it as UTF-8 — unreadable characters are shown as '\ufffd'", file=file, line=line))
        text = data.decode("utf-8", errors="replace")
    return text.removeprefix("\ufeff"), problems


def _lines(text: str) -> list[str]:
    """Lines split at CRLF, CR or LF only (str.splitlines would also split at U+2028 and friends)."""
    lines = re.split(r"\r\n|\r|\n", text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


_TAG_FIRST = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_TAG_SECOND = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def _scan(lines, file: str, problems: list[Problem], start: int = 1) -> Iterator[_Record]:
    """Each record as soon as it ends, so a file is checked one record at a time; structure problems
    go to ``problems`` in the order they are found. ``start`` is the number of the first line."""
    current: _Record | None = None
    outside_from: int | None = None

    def problem(code: str, severity: str, message: str, line: int) -> None:
        problems.append(Problem(code, severity, message, file=file, line=line))  # type: ignore[arg-type]

    def close_outside() -> None:
        nonlocal outside_from
        if outside_from is not None:
            problem("ris.outside-record", "warning", "text between records (after 'ER  - ' and before the next "
                    "'TY  - ') belongs to no record and is ignored", outside_from)
            outside_from = None

    fields: list[_Field] | None = None  # the current record's, while there is one and no text outside
    for number, raw in enumerate(lines, start):
        # The usual line, a strict tag line, is recognised without a regular expression.
        if raw[2:6] == "  - " and raw[0] in _TAG_FIRST and raw[1] in _TAG_SECOND:
            tag = raw[:2]
            if fields is not None and tag != "TY" and tag != "ER":  # a field of the record: nothing else to do
                fields.append(_Field(tag, number, [raw[6:].strip()]))
                continue
            value, strict = raw[6:].strip(), True
        elif raw[2:5] == "  -" and len(raw) == 5 and raw[0] in _TAG_FIRST and raw[1] in _TAG_SECOND:
            tag = raw[:2]
            value, strict = raw[6:].strip(), True
        else:
            loose = _LOOSE.match(raw)
            if loose:
                tag, value, strict = loose.group(1), (loose.group(2) or "").strip(), False
            else:
                tag = None
        if tag is not None:
            if not strict:
                problem("ris.tag-syntax", "error", f"'{raw.strip()}' is not a tag line every reader understands: "
                        f"write the tag, two spaces, a hyphen and a space ('{tag}  - value')", number)
            if outside_from is not None:
                close_outside()
            if tag == "TY":
                if current is not None:
                    problem("ris.record-end", "error", f"the record that starts on line {current.line} has no "
                            f"'ER  - ' line before the next record (line {number})", current.line)
                    yield current
                current = _Record(number, value or None)
                fields = current.fields
                continue
            if tag == "ER":
                if current is None:
                    problem("ris.record-start", "error", "'ER  - ' ends no record: a record starts with 'TY  - '",
                            number)
                else:
                    current.end = number
                    yield current
                    current = fields = None
                continue
            if current is None:
                problem("ris.record-start", "error", f"this record has no 'TY  - ' line: a record starts with "
                        f"'TY  - JOUR' (found '{tag}' first)", number)
                current = _Record(number, None)
                fields = current.fields
            current.fields.append(_Field(tag, number, [value]))
            continue
        if _TAGLIKE.match(raw):
            problem("ris.tag-syntax", "warning", f"'{raw.strip()[:40]}' looks like a tag line but a tag is two "
                    "capital letters, or a capital and a digit; it is read as text continuing the line before "
                    "(Zotero may read it as a tag)", number)
        if current is None:
            if raw.strip() and outside_from is None:
                outside_from = number
            continue
        if current.fields:
            last = current.fields[-1]
            if raw.strip() or last.tag in MULTILINE_TAGS:
                last.parts.append(raw.strip())
        elif raw.strip():
            problem("ris.outside-record", "warning", "text right after 'TY  - ' belongs to no tag and is ignored",
                    number)
    close_outside()
    if current is not None:
        problem("ris.record-end", "error", f"the record that starts on line {current.line} has no 'ER  - ' line at "
                "its end", current.line)
        yield current


# --- values -----------------------------------------------------------------------------

_MONTHS = {name: number for number, name in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}


def parse_date(value: str) -> PartialDate | None:
    """``2020``, ``2020///``, ``2020/05/01/``, ``2020/5/1/Spring``, ``2020-05-01``, ``May 2020``."""
    text = value.strip()
    match = re.fullmatch(r"(\d{4})(?:[/-](\d{0,2})(?:[/-](\d{0,2})(?:/.*)?)?)?", text)
    if match:
        year, month, day = (int(part) if part else None for part in match.groups())
        month = month or None
        day = day if month and day else None
        return PartialDate.parse(str(PartialDate(year, month, day)))  # type: ignore[arg-type]
    match = re.fullmatch(r"([A-Za-z]{3})[A-Za-z.]*\s+(?:(\d{1,2}),?\s+)?(\d{4})", text)
    if match and match.group(1).lower() in _MONTHS:
        day = int(match.group(2)) if match.group(2) else None
        return PartialDate.parse(str(PartialDate(int(match.group(3)), _MONTHS[match.group(1).lower()], day)))
    match = re.fullmatch(r"(\d{4})\s+([A-Za-z]{3})[A-Za-z.]*", text)
    if match and match.group(2).lower() in _MONTHS:
        return PartialDate(int(match.group(1)), _MONTHS[match.group(2).lower()])
    return None


_LANGUAGES = {
    "kk": ("kazakh", "kaz", "қазақ", "қазақша", "қазақ тілі", "казахский", "казахский язык"),
    "ru": ("russian", "rus", "русский", "русский язык", "орыс", "орыс тілі"),
    "en": ("english", "eng", "английский", "ағылшын", "ағылшын тілі"),
    "de": ("german", "deu", "ger", "deutsch"), "fr": ("french", "fra", "fre", "français", "francais"),
    "uk": ("ukrainian", "ukr", "українська"), "ky": ("kyrgyz", "kirghiz", "kir"), "uz": ("uzbek", "uzb"),
    "tr": ("turkish", "tur", "türkçe"), "zh": ("chinese", "chi", "zho"), "es": ("spanish", "spa", "español"),
    "pl": ("polish", "pol", "polski"), "ar": ("arabic", "ara"), "tt": ("tatar", "tat"),
}
_LANGUAGE_NAMES = {name: tag for tag, names in _LANGUAGES.items() for name in names}


def language(value: str) -> str | None:
    """A language name or code as RIS files give it (``Russian``, ``rus``, ``kk``, ``en-GB``) as a BCP 47 tag."""
    first = re.split(r"[;,/]", value.strip())[0].strip()
    known = _LANGUAGE_NAMES.get(first.casefold())
    if known:
        return known
    if re.fullmatch(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*", first):
        checked = ids.language_tag(first)
        if checked.ok:
            return checked.value
    return None


def split_name(value: str) -> tuple[PersonName | None, str | None]:
    """``Family, Given`` (or ``Family,``) is a person, one word is a one-name person, several words without a
    comma are a group author (the RIS rule: persons are written family name first, with a comma)."""
    if "," in value:
        family, _, given = value.partition(",")
        family, given = family.strip(), given.strip()
        if not family:
            return (PersonName(given), None) if given else (None, None)
        return PersonName(family, given or None), None
    if len(value.split()) == 1:
        return PersonName(value.strip()), None
    return None, value.strip()


# --- validation -------------------------------------------------------------------------

def detect(path: Path) -> bool:
    """A RIS file: text whose first non-empty line is a ``TY  - `` line (a byte-order mark allowed)."""
    head = read_head(path)
    if head is None:
        return False
    if b"\x00" in head:
        return False
    text = head.decode("utf-8", errors="ignore").removeprefix("\ufeff")
    for line in text.splitlines():
        if line.strip():
            return bool(re.match(r"\s*TY {1,2}- ?", line))
    return False


# Every record of an issue repeats its dates and ISSNs: each value is judged once per process.
_readable_date = functools.lru_cache(maxsize=4096)(lambda value: parse_date(value) is not None)
_checked_issn = functools.lru_cache(maxsize=4096)(ids.issn)
_ISSN_SEPARATORS = re.compile(r"[\s,;]+")


def _check_record(record: _Record, file: str, unknown: dict[str, list[int]] | None = None) -> list[Problem]:
    """The record's problems: the record's own (type, required tags) first, then each field's in
    order; tags that are not RIS tags are counted in ``unknown`` (tag: [first line, count])."""
    problems: list[Problem] = []
    later: list[Problem] = []

    def problem(code: str, severity: str, message: str, line: int, to: list[Problem] = problems) -> None:
        to.append(Problem(code, severity, message, file=file, line=line))  # type: ignore[arg-type]

    kind = record.type
    journal = kind is None or kind in JOURNAL_TYPES
    firsts: dict[str, _Field] = {}  # the first field with a value, per tag
    seen: dict[str, int] = {}
    for item in record.fields:  # one pass: each value joined once
        tag, parts = item.tag, item.parts
        value = parts[0] if len(parts) == 1 else item.value
        if tag in seen:
            if tag in SINGLE_TAGS:
                problem("ris.tag-repeated", "warning", f"{tag} appears again (first on line {seen[tag]}); "
                        "readers keep only one of them", item.line, later)
        else:
            seen[tag] = item.line
            if unknown is not None and tag not in TAGS:
                unknown.setdefault(tag, [item.line, 0])
        if unknown is not None and tag in unknown:
            unknown[tag][1] += 1
        if not value:
            continue
        if tag not in firsts:
            firsts[tag] = item
        if tag in _DATE_TAGS:
            if not _readable_date(value):
                problem("ris.date", "warning", f"'{value}' is not a date RIS readers understand: write YYYY for PY "
                        "and YYYY/MM/DD/ for DA (leave unknown parts empty: 2025/06//)", item.line, later)
        elif tag == "DO":
            checked = ids.doi(value)
            if not checked.ok:
                later.append(checked.problem("warning", file=file, line=item.line))  # type: ignore[arg-type]
        elif tag == "SN" and journal:
            for part in _ISSN_SEPARATORS.split(value):
                checked = _checked_issn(part)
                if part and not checked.ok:
                    later.append(checked.problem("warning", file=file, line=item.line))  # type: ignore[arg-type]

    def first(*tags: str) -> _Field | None:  # record.first without re-reading the fields
        return next((firsts[tag] for tag in tags if tag in firsts), None)

    if kind is not None and kind not in TYPES:
        problem("ris.type", "warning", f"'{kind}' is not a RIS record type; readers will take it for a generic "
                "item (a journal article is 'JOUR')", record.line)
    if first(*_TITLE_TAGS, "CT", "BT") is None:
        problem("ris.tag-missing", "error", "the record has no title: add 'TI  - '", record.line)
    if journal:
        if first(*_JOURNAL_TAGS) is None:
            problem("ris.tag-missing", "error", "the journal article names no journal: add 'T2  - ' (or JO)",
                    record.line)
        if first(*_DATE_TAGS) is None:
            problem("ris.tag-missing", "error", "the record has no year: add 'PY  - YYYY'", record.line)
        if first("AU", "A1") is None:
            problem("ris.author-missing", "warning", "the record names no author (AU): citations will start with "
                    "the title", record.line)
    return problems + later


def validate(path: Path) -> list[Problem]:
    """Re-read the file: UTF-8, record structure, tag syntax, required tags, known tags and values.

    The file is read a megabyte at a time and each record checked when it ends, so memory does
    not grow with the file; a file that is not UTF-8 is read whole, to report where and carry on.
    """
    file = str(path)
    try:
        with open(path, "rb") as stream:
            return _validate_text(_text_pieces(stream), file)
    except UnicodeDecodeError:
        pass
    except OSError as error:
        return [Problem("ris.io", "error", f"cannot read the file: {error.strerror or error}", file=file)]
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        return [Problem("ris.io", "error", f"cannot read the file: {error.strerror or error}", file=file)]
    text, problems = _decode(data, file)
    return _validate_text(iter([text]), file, problems)


def _file_lines(stream: TextIO, size: int = 1 << 20) -> Iterator[str]:
    """The lines of a text stream (newlines already made LF), read a megabyte at a time, without a BOM."""
    rest = ""
    first = True
    while chunk := stream.read(size):
        if first:
            chunk, first = chunk.removeprefix("\ufeff"), False
        lines = (rest + chunk).split("\n")
        rest = lines.pop()
        yield from lines
    if rest:
        yield rest


def _validate_lines(lines, file: str, problems: list[Problem] | None = None) -> list[Problem]:
    """``validate`` of the file's lines, each one read by ``_scan``: what the fast path must equal."""
    problems = problems if problems is not None else []
    checks: list[Problem] = []
    unknown: dict[str, list[int]] = {}  # tag: [first line, count]
    records = 0
    for record in _scan(lines, file, problems):
        records += 1
        checks += _check_record(record, file, unknown)
    return _verdict(problems, checks, unknown, records, file)


def _verdict(problems: list[Problem], checks: list[Problem], unknown: dict[str, list[int]], records: int,
             file: str) -> list[Problem]:
    """The structure problems, then the records' own, then the unknown tags, sorted by line."""
    if not records:
        problems.append(Problem("ris.empty", "error", "the file holds no RIS record (a record starts with "
                                "'TY  - JOUR' and ends with 'ER  - ')", file=file, line=1))
    problems += checks
    problems += [Problem("ris.tag-unknown", "warning", f"{tag} is not a RIS tag ({count} time(s)); readers ignore "
                         "it or keep it as a note", file=file, line=line) for tag, (line, count) in unknown.items()]
    return sorted(problems, key=sort_key)


def _text_pieces(stream: BinaryIO, size: int = 1 << 20) -> Iterator[str]:
    """The UTF-8 text of a binary stream a megabyte at a time, without a BOM. Line ends are left
    as they are (CRLF, CR or LF): translating them cost more than decoding."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    first = True
    while True:
        data = stream.read(size)
        text = decoder.decode(data, not data)
        if first and text:
            text, first = text.removeprefix("\ufeff"), False
        if text:
            yield text
        if not data:
            return


def _plain_record(end: str, paragraphs: bool = False) -> re.Pattern[str]:
    """A record as the writer makes it, its lines ending in ``end``: ``TY`` (after blank lines),
    strict tag lines that each have a value, ``ER``; with ``paragraphs``, an abstract's (AB, N2,
    N1, KW) further lines too, when no reader could take one for a tag line (what ``_AMBIGUOUS``,
    ``_LOOSE`` and ``_TAGLIKE`` match, and more). Such a record has no structure problem and its
    checked values are one line each, so it is checked without reading it line by line.

    ``[^\\n]``, unlike ``[^\\r\\n]``, is matched without a character set, which matters over a long
    abstract; a line matches one branch at most, so a record that is not plain fails in time linear
    in its length. Without ``paragraphs`` a line is matched a third faster."""
    value = rf"  - [^\S\n]*\S[^\n]*{end}"
    if paragraphs:
        further = rf"(?:(?![^\S\n]*[A-Za-z0-9]{{2}}[^\S\n]*-)[^\n]*{end})*"
        fields = rf"(?:(?:AB|KW|N[12]){value}{further}|(?!TY|ER|AB|KW|N[12])[A-Z][A-Z0-9]{value})*"
    else:
        fields = rf"(?:(?!TY|ER)[A-Z][A-Z0-9]{value})*"
    return re.compile(rf"((?:{end})*)TY  -(?: ([^\n]*))?{end}({fields})ER  -(?: [^\n]*)?{end}")


_PLAIN_LF = _plain_record("\n")  # for text without a CR
_PLAIN_CRLF = _plain_record("\r\n")  # a CR it matches inside a line is a line end: the record is not plain
_PARAGRAPHS_LF = _plain_record("\n", paragraphs=True)
_PARAGRAPHS_CRLF = _plain_record("\r\n", paragraphs=True)
_LONE_CR = re.compile(r"\r(?!\n)")
_TAG_OF_LINE = operator.itemgetter(slice(0, 2))
_AHEAD = 1 << 16  # a plain record shorter than this is always whole in the buffer when it is tried


class _Text:
    """The file's text a piece at a time (``_text_pieces``), read by ``_PLAIN_LF``/``_PLAIN_CRLF``
    or line by line from ``pos`` up to ``end``, the end of the last whole line in the buffer;
    ``line`` is the number of the line at ``pos``."""

    def __init__(self, pieces: Iterator[str]):
        self.pieces = pieces
        self.text, self.pos, self.end, self.line, self.final = "", 0, 0, 1, False
        self.crlf = False  # whether the buffer holds a CR (its records are tried with _PLAIN_CRLF)
        self.lone_cr = False  # whether one is not in a CRLF (a plain record must then be looked at closer)
        self.batch = (0, 1)  # where the last batch of lines began: its position and line number

    def fill(self) -> bool:
        """Append the next piece to what is not read yet; False at the end of the file, whose
        last line then gets the line end it may lack."""
        piece = next(self.pieces, None)
        rest = self.text[self.pos:]
        if piece is None:
            self.final = True
            self.text = rest if not rest or rest.endswith(("\n", "\r")) else rest + "\n"
            self.end = len(self.text)
        else:
            self.text = rest + piece
            self.end = self.text.rfind("\n") + 1  # a CR at the end may begin a CRLF: it waits
        self.pos = 0
        self.crlf = "\r" in self.text
        self.lone_cr = self.crlf and _LONE_CR.search(self.text, 0, self.end) is not None
        return piece is not None

    def lines(self) -> Iterator[str]:
        """The lines from ``pos`` on (for ``_scan``), split a record's worth at a time: up to the end
        of the next line that starts with ``ER``. ``pos`` and ``line`` move past each batch as it is
        handed out; ``resume_after`` puts them right when ``_scan`` stops inside one."""
        while True:
            if self.pos >= self.end:
                if self.final:
                    return
                self.fill()
                continue
            text, start = self.text, self.pos
            stop = text.find("\nER", start, self.end)
            stop = self.end if stop < 0 else text.find("\n", stop + 1, self.end) + 1 or self.end
            lines = self.split(text[start:stop])
            lines.pop()  # a batch ends with a line end
            self.batch = (start, self.line)
            self.pos, self.line = stop, self.line + len(lines)
            yield from lines

    def split(self, text: str) -> list[str]:
        """``_LINE_END.split(text)``, by ``str.split`` when the line ends allow it (four times faster)."""
        if not self.crlf:
            return text.split("\n")
        if not self.lone_cr:
            lines = text.split("\r\n")
            if text.count("\n") == len(lines) - 1:  # no LF without its CR
                return lines
        return _LINE_END.split(text)

    def resume_after(self, number: int) -> None:
        """Read on from the line after line ``number``, the last one ``_scan`` took."""
        if number == self.line - 1:  # the last of its batch, the usual
            return
        start, first = self.batch
        ends = _LINE_END.finditer(self.text, start, self.pos)
        for _ in range(number - first + 1):
            found = next(ends)
        self.pos, self.line = found.end(), number + 1


_PLAIN = (_PLAIN_LF, _PLAIN_CRLF)


def _plain_at(source: _Text) -> re.Match[str] | None:
    """The plain record at ``source.pos``: one line per field (the usual), or with paragraphs."""
    text, pos, end = source.text, source.pos, source.end
    if source.crlf:
        return _PLAIN_CRLF.match(text, pos, end) or _PARAGRAPHS_CRLF.match(text, pos, end)
    return _PLAIN_LF.match(text, pos, end) or _PARAGRAPHS_LF.match(text, pos, end)


def _validate_text(pieces: Iterator[str], file: str, problems: list[Problem] | None = None) -> list[Problem]:
    """``_validate_lines`` of the text's lines: plain records are checked from their ``_PLAIN_RECORD``
    match, anything else by ``_scan`` until a record ends with ``ER`` (where ``_scan`` holds nothing)."""
    problems = problems if problems is not None else []
    checks: list[Problem] = []
    unknown: dict[str, list[int]] = {}
    records = 0
    source = _Text(pieces)
    backoff = wait = 0  # after matches fail in a row, the scanner takes 1, 3, 7 … 63 more records unmatched
    while True:
        if source.end - source.pos <= _AHEAD and not source.final:
            source.fill()
            continue
        if source.pos >= source.end:
            break
        found = _plain_at(source)
        if found is not None:
            lead, kind, body = found.group(1, 2, 3)
            lines = body.split("\n")
            lines.pop()
            number = source.line + lead.count("\n")
            if not source.lone_cr or source.text.count("\r", *found.span()) == number - source.line + len(lines) + 2:
                fields, at = (lines, None) if found.re in _PLAIN else _field_lines(lines)
                plan = _plan(kind.strip() or None if kind else None, "".join(map(_TAG_OF_LINE, fields)))
                checks += plan.check(fields, number, file, unknown, at)
                records += 1
                source.pos, source.line = found.end(), number + len(lines) + 2
                backoff = 0
                continue
        wait, backoff = backoff, min(2 * backoff + 1, 63)  # a file of records that are not plain is not
        for record in _scan(source.lines(), file, problems, source.line):  # matched twice per record
            records += 1
            checks += _check_record(record, file, unknown)
            if record.end is not None:
                if wait:
                    wait -= 1
                    continue
                source.resume_after(record.end)
                break
    return _verdict(problems, checks, unknown, records, file)


_REPEATED, _DATE, _DOI, _ISSN = range(4)
_BARE_DOI = re.compile(r"^10\.\d{4,9}/\S+$")


@functools.lru_cache(maxsize=4096)
def _bad_issns(value: str) -> tuple[ids.IdCheck, ...]:
    """The checks of an SN value's ISSNs that fail, in order: every record repeats the journal's."""
    return tuple(checked for part in _ISSN_SEPARATORS.split(value) if part and not (checked := _checked_issn(part)).ok)


def _plainly_bare_doi(value: str) -> bool:
    """A stripped value ``ids.doi`` takes as it is (its first test): known good without making an ``IdCheck``."""
    return value.isascii() and _BARE_DOI.match(value) is not None and len(value) <= 2048


@dataclass(frozen=True)
class _Plan:
    """What ``_check_record`` does to a plain record with these tags in this order and this type:
    its own problems, the fields to look at (offset, what, the offset of the first like it) in order,
    and its unknown tags (tag, offset of the first, count). Records of an issue share a few plans."""

    own: tuple[tuple[str, str, str], ...]
    steps: tuple[tuple[int, int, int], ...]
    unknown: tuple[tuple[str, int, int], ...]

    def check(self, lines: list[str], number: int, file: str, unknown: dict[str, list[int]],
              at: list[int] | None = None) -> list[Problem]:
        """The problems of the record starting on line ``number`` whose field lines are ``lines``,
        the one after another unless ``at`` gives each one's place among the record's lines."""
        found = [Problem(code, severity, message, file=file, line=number)  # type: ignore[arg-type]
                 for code, severity, message in self.own]
        place = at or range(len(lines))
        for offset, what, first in self.steps:
            line = number + 1 + place[offset]
            if what == _REPEATED:
                found.append(Problem("ris.tag-repeated", "warning", f"{lines[offset][:2]} appears again (first on "
                                     f"line {number + 1 + place[first]}); readers keep only one of them", file=file,
                                     line=line))
                continue
            value = lines[offset][6:].strip()
            if what == _DATE:
                if not _readable_date(value):
                    found.append(Problem("ris.date", "warning", f"'{value}' is not a date RIS readers understand: "
                                         "write YYYY for PY and YYYY/MM/DD/ for DA (leave unknown parts empty: "
                                         "2025/06//)", file=file, line=line))
            elif what == _DOI:
                if not _plainly_bare_doi(value):
                    checked = ids.doi(value)
                    if not checked.ok:
                        found.append(checked.problem("warning", file=file, line=line))  # type: ignore[arg-type]
            else:
                for checked in _bad_issns(value):
                    found.append(checked.problem("warning", file=file, line=line))  # type: ignore[arg-type]
        for tag, offset, count in self.unknown:
            unknown.setdefault(tag, [number + 1 + place[offset], 0])[1] += count
        return found


def _field_lines(lines: list[str]) -> tuple[list[str], list[int]]:
    """The tag lines among a plain record's lines (the others continue an abstract: none of them
    starts with two letters or digits and a hyphen), and the place of each."""
    at = [offset for offset, line in enumerate(lines)
          if line[2:6] == "  - " and line[:1] in _TAG_FIRST and line[1:2] in _TAG_SECOND]
    return [lines[offset] for offset in at], at


@functools.lru_cache(maxsize=1024)
def _plan(kind: str | None, tags: str) -> _Plan:
    """The plan of a plain record (every field has a value) of type ``kind`` whose tags, two
    characters each, are ``tags``: ``_check_record``'s decisions, taken once."""
    journal = kind is None or kind in JOURNAL_TYPES
    order = [tags[i:i + 2] for i in range(0, len(tags), 2)]
    seen: dict[str, int] = {}
    steps: list[tuple[int, int, int]] = []
    counts: dict[str, list[int]] = {}
    for offset, tag in enumerate(order):
        if tag in seen:
            if tag in SINGLE_TAGS:
                steps.append((offset, _REPEATED, seen[tag]))
        else:
            seen[tag] = offset
        if tag not in TAGS:
            counts.setdefault(tag, [offset, 0])[1] += 1
        if tag in _DATE_TAGS:
            steps.append((offset, _DATE, 0))
        elif tag == "DO":
            steps.append((offset, _DOI, 0))
        elif tag == "SN" and journal:
            steps.append((offset, _ISSN, 0))
    own = []
    if kind is not None and kind not in TYPES:
        own.append(("ris.type", "warning", (f"'{kind}' is not a RIS record type; readers will take it for a "
                                            "generic item (a journal article is 'JOUR')")))
    if not seen.keys() & {*_TITLE_TAGS, "CT", "BT"}:
        own.append(("ris.tag-missing", "error", "the record has no title: add 'TI  - '"))
    if journal:
        if not seen.keys() & set(_JOURNAL_TAGS):
            own.append(("ris.tag-missing", "error", "the journal article names no journal: add 'T2  - ' (or JO)"))
        if not seen.keys() & set(_DATE_TAGS):
            own.append(("ris.tag-missing", "error", "the record has no year: add 'PY  - YYYY'"))
        if not seen.keys() & {"AU", "A1"}:
            own.append(("ris.author-missing", "warning", ("the record names no author (AU): citations will "
                                                          "start with the title")))
    return _Plan(tuple(own), tuple(steps), tuple((tag, first, count) for tag, (first, count) in counts.items()))


# --- reading ----------------------------------------------------------------------------

# Structure problems that stop a file from being valid but not from being read.
_READABLE = {"ris.tag-syntax", "ris.record-end", "ris.record-start"}


class _Reader:
    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []
        self.not_read: dict[str, list[int]] = {}  # tag: [first line, count], so memory stays flat

    def note(self, code: str, message: str, line: int | None, severity: str = "info") -> None:
        self.problems.append(Problem(code, severity, message, file=self.file, line=line))  # type: ignore[arg-type]

    def skip(self, item: _Field) -> None:
        self.not_read.setdefault(item.tag, [item.line, 0])[1] += 1

    def language(self, record: _Record, title: str, abstract: str | None) -> str:
        found = record.first("LA")
        if found:
            tag = language(found.value)
            if tag:
                return tag
            self.note("ris.language", f"'{found.value}' is not a language biblio knows; the language is guessed "
                      "from the letters of the title", found.line, "warning")
        guessed = derive.guess_language(title + " " + (abstract or ""))
        self.note("ris.language-guessed", f"the record gives no language (LA); its letters say {guessed}",
                  record.line)
        return guessed

    def article(self, record: _Record) -> Article | None:
        kind = record.type or "JOUR"
        if kind not in JOURNAL_TYPES:
            self.note("ris.record-skipped", f"a {kind} record is not a journal article; it is not read",
                      record.line, "warning")
            return None
        title_field = record.first(*_TITLE_TAGS)
        if title_field is None:
            self.note("ris.record-skipped", "the record has no title (TI or T1); it is not read", record.line,
                      "warning")
            return None
        title = title_field.value
        abstract_field = record.first("AB", "N2")
        abstract = abstract_field.value if abstract_field else None
        lang = self.language(record, title, abstract)
        article = Article(language=lang, titles=LangText({lang: title}, lang))
        if abstract:
            article.abstracts = LangText({lang: abstract}, lang)
        keywords = [word.strip() for item in record.all("KW") for line in item.value.split("\n")
                    for word in line.split(";") if word.strip()]
        if keywords:
            article.keywords = {lang: keywords}
        for item in record.all("AU", "A1", "A2", "ED", "A4"):
            role = {"A2": "editor", "ED": "editor", "A4": "translator"}.get(item.tag, "author")
            person, group = split_name(item.value)
            if person is not None:
                name_lang = derive.language_of(f"{person.family} {person.given or ''}", lang)
                article.contributors.append(Contributor(role=role, names={name_lang: person}))  # type: ignore[arg-type]
            elif group:
                article.contributors.append(Contributor(role=role, organization=LangText({lang: group}, lang)))  # type: ignore[arg-type]
        self.identifiers(record, article)
        self.pages(record, article)
        used = {id(f) for f in (title_field, abstract_field) if f is not None}
        for item in record.fields:
            if item.tag in ("TI", "T1", "AB", "N2") and id(item) not in used and item.value:
                if item.value not in (title, abstract):
                    self.skip(item)
            elif item.tag not in _READ_TAGS:
                self.skip(item)
        return article

    def identifiers(self, record: _Record, article: Article) -> None:
        doi_field = record.first("DO")
        candidates = [doi_field] if doi_field else [f for f in record.all("M3", "UR") if "doi.org/" in f.value
                                                    or f.value.startswith("10.")]
        for candidate in candidates:
            checked = ids.doi(candidate.value)
            if checked.ok:
                article.doi = checked.value
                break
            if candidate is doi_field:
                problem = checked.problem("warning", file=self.file, line=candidate.line)
                if problem:
                    self.problems.append(problem)
        # The landing page: the first UR that is not the DOI's own doi.org address.
        urls = [f for f in record.all("UR") if not (article.doi and re.match(r"https?://(dx\.)?doi\.org/", f.value)
                                                    and ids.same_doi(f.value, article.doi))]
        if urls:
            article.url = urls[0].value
            for extra in urls[1:]:
                self.skip(extra)

    def pages(self, record: _Record, article: Article) -> None:
        first, last = record.first("SP"), record.first("EP")
        number = record.first("C7")
        start, end = (first.value if first else None), (last.value if last else None)
        if start and not end:
            match = re.fullmatch(r"\s*(\S+?)\s*[-–—]+\s*(\S+)\s*", start)
            if match:
                start, end = match.groups()
        if number and start == number.value:
            start, end = None, None
        if start or number:
            article.pages = Pages(start, end if start else None, number.value if number else None)

    def dates(self, record: _Record, article: Article, year: int | None) -> int | None:
        """Set the article's date from DA (or a full PY/Y1); the record's year."""
        found = None
        for tag in _DATE_TAGS:
            for item in record.all(tag):
                date = parse_date(item.value)
                if date is None:
                    self.note("ris.date", f"the date '{item.value}' is not understood", item.line, "warning")
                elif found is None or (date.month and not found.month):
                    found = date
        if found is None:
            return None
        if found.month is not None or (year is not None and found.year != year):
            article.dates.published = found
        return found.year

    def journal(self, record: _Record, lang: str) -> Journal:
        title_field = record.first("T2", "JF", "JO", "J2", "JA", "J1")
        title = title_field.value if title_field else None
        abbreviation_field = record.first("J2", "JA", "J1")
        if abbreviation_field is None and title_field is not None and title_field.tag != "JO":
            jo = record.first("JO")  # beside T2 or JF, JO is the abbreviation (as Zotero reads it)
            abbreviation_field = jo if jo and jo.value != title else None
        abbreviation = abbreviation_field.value if abbreviation_field and abbreviation_field is not title_field \
            else None
        titles = LangText({lang: title}, lang) if title else LangText()
        if not title:
            self.note("ris.journal-missing", "the first record names no journal (T2, JO or JF)", record.line,
                      "warning")
        issns = [Issn(value) for value in self.issns(record, report=True)]
        publisher = None
        name, place = record.first("PB"), record.first("CY")
        if name:
            publisher = Publisher(LangText({lang: name.value}, lang),
                                  LangText({lang: place.value}, lang) if place else None)
        return Journal(titles=titles, language=lang if title else None, abbreviation=abbreviation,
                       issns=issns, publisher=publisher)

    def issns(self, record: _Record, report: bool = False) -> list[str]:
        values: list[str] = []
        for item in record.all("SN"):
            for part in re.split(r"[\s,;]+", item.value):
                checked = ids.issn(part)
                if checked.ok and checked.value not in values:
                    values.append(checked.value)  # type: ignore[arg-type]
                elif part and not checked.ok and report:
                    self.note(checked.code or "issn", checked.message or "", item.line, "warning")
        return values

    def report_not_read(self) -> None:
        for tag, (line, count) in self.not_read.items():
            if tag in TAGS:
                self.note("ris.tag-not-read", f"{tag} is not read into the model ({count} time(s))", line)
            else:
                self.note("ris.tag-unknown", f"{tag} is not a RIS tag ({count} time(s)); it is not read", line)


def _same(a: str | None, b: str | None) -> bool:
    return (a or "").casefold().strip() == (b or "").casefold().strip()


def read(path: Path) -> tuple[Issue | None, list[Problem]]:
    """A RIS file as an issue: one article per journal record; journal, volume, issue and year from the first."""
    return iter_read(path).collect()


def iter_read(path: Path) -> ArticleReading:
    """``read`` one article at a time: the file is decoded and scanned a chunk at a time and each
    record read when it ends, so memory does not grow with the file. Problems are in the order
    found while reading and sorted, as ``read`` reports them, once the last record is read."""
    return ArticleReading(lambda reading: _read_articles(Path(path), reading))


def _read_articles(path: Path, reading: ArticleReading) -> Iterator[Article]:
    file = str(path)
    problems = reading.problems
    try:
        stream = open(path, "rb")  # noqa: SIM115 (closed by the with below, once opening is known to work)
    except OSError as error:
        problems.append(_io_problem(error, file))
        return
    reader = _Reader(file)
    reader.problems = problems  # a record's notes follow the structure problems found up to its end
    structure: list[Problem] = []
    first: _Record | None = None
    with stream:
        try:
            for record in _scan(_text_lines(_text_chunks(stream, file, problems)), file, structure):
                _take_structure(structure, problems)
                article = reader.article(record)
                if article is None:
                    continue
                if reading.issue is None or first is None:
                    first = record
                    reading.issue = _first_issue(reader, record, article)
                else:
                    reader.dates(record, article, reading.issue.year)
                    _compare(reader, reading.issue, first, record, article.language)
                yield article
        except OSError as error:  # as when the whole file was read first: a file not read to its end is not read
            reading.issue = None
            problems[:] = [_io_problem(error, file)]
            return
    _take_structure(structure, problems)
    reader.report_not_read()
    if reading.issue is None:
        problems.append(Problem("ris.no-records", "error", "the file holds no journal article biblio can read",
                                file=file))
    problems.sort(key=sort_key)


def _io_problem(error: OSError, file: str) -> Problem:
    return Problem("ris.io", "error", f"cannot read the file: {error.strerror or error}", file=file)


def _take_structure(structure: list[Problem], problems: list[Problem]) -> None:
    """Move the structure problems found so far to the reading's: those that do not stop reading are warnings."""
    problems += [replace(p, severity="warning") if p.code in _READABLE else p for p in structure]
    structure.clear()


def _first_issue(reader: _Reader, record: _Record, article: Article) -> Issue:
    """The issue as the first journal record gives it (the article's date set from the record)."""
    journal = reader.journal(record, article.language)
    issue = Issue(journal=journal, year=0, volume=_value(record, "VL"), number=_value(record, "IS"))
    year = reader.dates(record, article, None)
    if year is None:
        reader.note("ris.year-missing", "the first record gives no year (PY, DA or Y1)", record.line, "warning")
    issue.year = year or 0
    return issue


def _text_chunks(stream: BinaryIO, file: str, problems: list[Problem], size: int = 1 << 16) -> Iterator[str]:
    """The text ``_decode`` makes of the whole file, 64 KiB at a time (as fast as a megabyte at a
    time, at a fraction of the peak memory).

    The first byte that is not UTF-8 gets the same problem and line (counted in bytes read so
    far), and from there on the decoding replaces what it cannot read, as ``_decode`` does.
    """
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    newlines = 0  # in the bytes read before ``data``
    started = False
    while True:
        data = stream.read(size)
        final = not data
        pending = decoder.getstate()[0]  # the start of a character cut by the last chunk's end
        try:
            text = decoder.decode(data, final)
        except UnicodeDecodeError as error:
            line = newlines - pending.count(b"\n") + (pending + data)[:error.start].count(b"\n") + 1
            problems.append(Problem("ris.encoding", "error", "the file is not UTF-8 (a byte here cannot be read); "
                                    "save it as UTF-8 — unreadable characters are shown as '\ufffd'", file=file,
                                    line=line))
            decoder = codecs.getincrementaldecoder("utf-8")("replace")
            text = decoder.decode(pending + data, final)
        newlines += data.count(b"\n")
        if text and not started:
            text, started = text.removeprefix("\ufeff"), True
        if text:
            yield text
        if final:
            return


_LINE_END = re.compile(r"\r\n|\r|\n")


def _text_lines(chunks: Iterator[str]) -> Iterator[str]:
    """``_lines`` of the text the chunks make: a CR at a chunk's end waits, it may begin a CRLF."""
    rest = ""
    for chunk in chunks:
        text = rest + chunk
        held = ""
        if text.endswith("\r"):
            text, held = text[:-1], "\r"
        lines = _LINE_END.split(text)
        rest = lines.pop() + held
        yield from lines
    lines = _LINE_END.split(rest)
    if lines[-1] == "":
        lines.pop()
    yield from lines


def _value(record: _Record, tag: str) -> str | None:
    found = record.first(tag)
    return found.value if found else None


def _merge(text: LangText, lang: str, value: str) -> bool:
    """A later record's value of a text the first record began, filed under the record's language.

    A value already known under another language was written for want of one in this
    language: the writer then takes the original one, so that becomes the original. False
    when the language already has another value.
    """
    known = next((key for key, existing in text.texts.items() if existing == value), None)
    if known is not None:
        if lang not in text.texts:
            text.original = known
        return True
    if lang in text.texts:
        return False
    text.texts[lang] = value
    return True


def _compare(reader: _Reader, issue: Issue, first: _Record, record: _Record, lang: str) -> None:
    """A later record's journal: the same one (maybe its title in another language), or another one."""
    journal = record.first(*_JOURNAL_TAGS)
    theirs, ours = set(reader.issns(record)), {issn.value for issn in issue.journal.issns}
    titles = issue.journal.titles
    if journal is None or any(text == journal.value for text in titles.texts.values()):
        if journal is not None:
            _merge(titles, lang, journal.value)
    elif (theirs & ours or not (theirs or ours)) and _merge(titles, lang, journal.value):
        if not theirs:
            reader.note("ris.journal-title", f"'{journal.value}' is taken for the journal's {lang} title (no ISSN "
                        "says whether it is the same journal)", journal.line)
    elif not any(_same(journal.value, text) for text in [*titles.texts.values(), issue.journal.abbreviation]):
        reader.note("ris.journal-mixed", f"this record is from another journal ('{journal.value}') than the first "
                    f"one (line {first.line}); biblio reads every record as an article of the first one's issue",
                    journal.line, "warning")
        return
    publisher = record.first("PB")
    if publisher is not None:
        if issue.journal.publisher is None:
            issue.journal.publisher = Publisher(LangText({lang: publisher.value}, lang))
        elif not _merge(issue.journal.publisher.name, lang, publisher.value):
            reader.note("ris.issue-mixed", f"this record's publisher ({publisher.value}) differs from the first "
                        "record's; the issue keeps the first", publisher.line, "warning")
    for tag, have, what in (("VL", issue.volume, "volume"), ("IS", issue.number, "issue")):
        found = record.first(tag)
        if found and have is not None and not _same(found.value, have):
            reader.note("ris.issue-mixed", f"this record's {what} ({found.value}) differs from the first record's "
                        f"({have}); the issue keeps the first", found.line, "warning")
