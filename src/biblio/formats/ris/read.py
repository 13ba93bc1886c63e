"""Reading RIS back into the model, one article per journal record, each read as it ends.

It takes other tools' exports too (EndNote, Mendeley, Scopus, Web of Science, Zotero): the tag
table's further tags, a page range in ``SP``, DOIs as URLs, languages as names or codes. A
record's texts are filed under its ``LA``; what is not used is reported, and so is every further
value of a tag read once (``ris.tag-repeated``: the first is read). Each record is in the issue of its journal,
volume, number and year (``formats.Grouper``), as the first record of that issue gives it; later records of the
same issue may add the journal's title, publisher and place in their language, never a key fact.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from ... import derive, ids
from ...model import (WHOLE_WORKS, Article, Contributor, Issn, Issue, Journal, LangText, Pages, PartialDate,
                      PersonName, Publisher, Reference)
from ...problems import Problem, Severity, sort_key
from .. import ArticleReading, Grouper, Work
from .mapping import (DOI_ELSEWHERE, GENERIC, JOURNAL_TYPES, LANGUAGE_NAMES, NOT_READ_BECAUSE, ONE_VALUE, READ,
                      READ_TAGS, ROLE_OF_TAG, SERIES, TAGS, WORK_FIELDS, WORK_TYPES)
from .parse import Field, Record, parse_date, scan, text_lines

# Structure problems that stop a file from being valid but not from being read.
_READABLE = {"ris.tag-syntax", "ris.record-end", "ris.record-start"}
_LANGUAGE_CODE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")
_PAGE_RANGE = re.compile(r"\s*(\S+?)\s*[-–—]+\s*(\S+)\s*")
_DOI_ADDRESS = re.compile(r"https?://(dx\.)?doi\.org/")
_ISSN_SEPARATORS = re.compile(r"[\s,;]+")
WORK_READ = {name: tags for name, _, tags in WORK_FIELDS if tags}
_WHOLE_TYPES = frozenset(kind for kind, cited in WORK_TYPES.items() if cited in WHOLE_WORKS)  # BT is their title


def language(value: str) -> str | None:
    """A language name or code as RIS files give it (``Russian``, ``rus``, ``kk``, ``en-GB``) as a BCP 47 tag."""
    first = re.split(r"[;,/]", value.strip())[0].strip()
    if known := LANGUAGE_NAMES.get(first.casefold()):
        return known
    if _LANGUAGE_CODE.fullmatch(first):
        checked = ids.language_tag(first)
        if checked.ok:
            return checked.value
    return None


def split_name(value: str) -> tuple[PersonName | None, str | None]:
    """``Family, Given`` (or ``Family,``) is a person, ``Family, Given, Suffix`` one with a suffix (``Jr.``: the RIS
    specification's third part), one word is a one-name person, several words without a comma are a group author
    (the RIS rule: persons are written family name first, with a comma)."""
    if "," in value:
        family, _, rest = value.partition(",")
        given, _, suffix = rest.partition(",")
        family, given, suffix = family.strip(), given.strip(), suffix.strip()
        if not family:
            return (PersonName(given, suffix=suffix or None), None) if given else (None, None)
        return PersonName(family, given or None, suffix=suffix or None), None
    if len(value.split()) == 1:
        return PersonName(value.strip()), None
    return None, value.strip()


def iter_read(path: Path) -> ArticleReading:
    """The file's articles one at a time. Problems are in the order found while reading, and
    sorted by line once the last record is read."""
    return ArticleReading(lambda reading: _articles(Path(path), reading), str(path))


def _articles(path: Path, reading: ArticleReading) -> Iterator[Article]:
    file = str(path)
    problems = reading.problems
    try:
        stream = open(path, "rb")  # noqa: SIM115 (closed by the with below, once opening is known to work)
    except OSError as error:
        problems.append(_io_problem(error, file))
        return
    reader = _Reader(file, problems)  # a record's notes follow the structure problems found up to its end
    structure: list[Problem] = []
    issues: dict[tuple[object, ...], tuple[Issue, Record]] = {}  # by Grouper.key: the issue and its first record
    grouper = Grouper()
    with stream:
        try:
            for number, record in enumerate(scan(text_lines(stream, file, problems), file, structure), 1):
                _take_structure(structure, problems)
                if not reader.is_article(record):
                    if (work := reader.work(record, number)) is not None:
                        reading.works.append(work)
                    continue
                article = reader.article(record)
                if article is None:
                    continue
                date = reader.dates(record, article)
                year = date.year if date else None
                key = grouper.key(article.language, reader.value(record, "journal"), reader.issns(record),
                                  reader.value(record, "volume"), reader.value(record, "number"), year)
                if key in issues:
                    reader.compare(*issues[key], record, article.language)
                else:
                    issues[key] = reader.record_issue(record, article, year), record
                reading.issue, reading.line, reading.name = issues[key][0], record.line, f"record {number}"
                if date and date.year != reading.issue.year:  # online before its issue: its own date
                    article.dates.published = date
                yield article
        except OSError as error:  # a file not read to its end is not read
            reading.issue = None
            problems[:] = [_io_problem(error, file)]
            return
    _take_structure(structure, problems)
    reader.report_not_read()
    if not issues and not reading.works:
        problems.append(Problem("ris.no-records", "error", "the file holds no record biblio can read", file=file))
    problems.sort(key=sort_key)


def _io_problem(error: OSError, file: str) -> Problem:
    return Problem("ris.io", "error", f"cannot read the file: {error.strerror or error}", file=file)


def _take_structure(structure: list[Problem], problems: list[Problem]) -> None:
    """Move the structure problems found so far to the reading's: those that do not stop reading are warnings."""
    problems += [replace(p, severity="warning") if p.code in _READABLE else p for p in structure]
    structure.clear()


def _shown(value: str) -> str:
    """A value quoted in a message: its first 60 characters."""
    return value if len(value) <= 60 else value[:60] + "…"


def _same(a: str | None, b: str | None) -> bool:
    return (a or "").casefold().strip() == (b or "").casefold().strip()


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


class _Reader:
    def __init__(self, file: str, problems: list[Problem]):
        self.file = file
        self.problems = problems
        self.not_read: dict[str, list[int]] = {}  # tag: [first line, count], so memory stays flat
        self.why_not: dict[str, str] = {}  # tag: why it was not read where the table reads it
        self.work_not_read: dict[str, list[int]] = {}  # the same, in the works

    def note(self, code: str, message: str, line: int | None, severity: Severity = "info") -> None:
        self.problems.append(Problem(code, severity, message, file=self.file, line=line))

    def skip(self, item: Field, why: str | None = None) -> None:
        self.not_read.setdefault(item.tag, [item.line, 0])[1] += 1
        if why:
            self.why_not.setdefault(item.tag, why)

    def report_not_read(self) -> None:
        for tag, (line, count) in self.work_not_read.items():
            self.note("ris.tag-not-read", f"{tag} is not read ({count} time(s)): a work (a record that is not a "
                      "journal article: a book, chapter, thesis …) keeps no such field in biblio's model", line)
        for tag, (line, count) in self.not_read.items():
            if tag in TAGS:
                because = self.why_not.get(tag) or NOT_READ_BECAUSE.get(tag)
                why = f": {because}" if because else ""
                self.note("ris.tag-not-read", f"{tag} is not read into the model ({count} time(s)){why}", line)
            else:
                self.note("ris.tag-unknown", f"{tag} is not a RIS tag ({count} time(s)); it is not read", line)

    def language(self, record: Record, title: str, abstract: str | None) -> str:
        if found := record.first(*READ["language"]):
            if tag := language(found.value):
                return tag
            self.note("ris.language", f"'{found.value}' is not a language biblio knows; the language is guessed "
                      "from the letters of the title", found.line, "warning")
        guessed = derive.guess_language(title + " " + (abstract or ""))
        self.note("ris.language-guessed", f"the record gives no language (LA); its letters say {guessed}", record.line)
        return guessed

    def is_article(self, record: Record) -> bool:
        """Whether a record is a journal article: of a journal type, or generic and naming a journal."""
        kind = record.type or "JOUR"
        return kind in JOURNAL_TYPES or (kind == GENERIC and record.first(*READ["journal"]) is not None)

    def work(self, record: Record, number: int) -> Work | None:
        """A record that is not a journal article, as a cited work (``Reference``) of the nearest citation type."""
        kind = record.type or GENERIC
        title = record.first(*WORK_READ["title"]) or (record.first("BT") if kind in _WHOLE_TYPES else None)
        if title is None:
            self.note("ris.record-skipped", f"the {kind} record has no title (TI or T1); it is not read", record.line,
                      "warning")
            return None
        cited = WORK_TYPES.get(kind)
        if kind == "CONF" and record.first("T2", "BT") is None:
            cited = "conference_proceedings"
        if cited is None:
            cited = "other"
            self.note("ris.record-type", f"the {kind} record is read as a work of the type 'other', the nearest of "
                      "the citation types biblio knows", record.line)
        whole = cited in WHOLE_WORKS
        reference = Reference(type=cited, title=title.value)
        used = {id(title)}
        for attribute, tags in WORK_READ.items():
            if attribute == "container" and (whole or kind == GENERIC):  # (a generic record's T2 is a journal)
                tags = SERIES if whole else (*SERIES, "BT")
            found = record.all(*tags) if attribute == "authors" else [f for f in [record.first(*tags)] if f]
            used |= {id(f) for f in found}
            if attribute == "authors":
                reference.authors = [name for f in found if (name := f.value.strip().rstrip(",").strip())]
            elif found and attribute == "accessed":
                reference.accessed = parse_date(found[0].value.replace("-", "/"))
            elif found and attribute != "title":
                setattr(reference, attribute, found[0].value)
        if (last := record.first("EP")) is not None and reference.pages:
            reference.pages = f"{reference.pages}-{last.value}"
            used.add(id(last))
        date = parse_date(reference.year or "")
        reference.year = str(date.year) if date else None
        if reference.isbn and re.fullmatch(r"\d{4}-?\d{3}[\dXx]", reference.isbn.strip()):
            reference.issn, reference.isbn = reference.isbn, None
        reference.doi = ids.doi(reference.doi).value if reference.doi else None
        reference.language = language(reference.language) if reference.language else None
        editors = record.all(*READ["editors"])
        used |= {id(f) for f in editors}
        for item in record.fields:
            if id(item) not in used and item.tag not in ("TY", "ER") and item.value:
                self.work_not_read.setdefault(item.tag, [item.line, 0])[1] += 1
        return Work(reference, record.line, f"record {number}", kind,
                    [name for f in editors if (name := f.value.strip().rstrip(",").strip())])

    def article(self, record: Record) -> Article | None:
        title_field = record.first(*READ["title"])
        if title_field is None:
            self.note("ris.record-skipped", "the record has no title (TI or T1); it is not read", record.line,
                      "warning")
            return None
        title = title_field.value
        abstract_field = record.first(*READ["abstract"])
        abstract = abstract_field.value if abstract_field else None
        lang = self.language(record, title, abstract)
        article = Article(language=lang, titles=LangText({lang: title}, lang))
        if abstract:
            article.abstracts = LangText({lang: abstract}, lang)
        keywords = [word.strip() for item in record.all(*READ["keywords"]) for line in item.value.split("\n")
                    for word in line.split(";") if word.strip()]
        if keywords:
            article.keywords = {lang: keywords}
        for item in record.all(*ROLE_OF_TAG):
            role = ROLE_OF_TAG[item.tag]
            person, group = split_name(item.value)
            if person is not None:
                name_lang = derive.language_of(f"{person.family} {person.given or ''}", lang)
                article.contributors.append(Contributor(role=role, names={name_lang: person}))
            elif group:
                article.contributors.append(Contributor(role=role, organization=LangText({lang: group}, lang)))
        self.identifiers(record, article)
        self.pages(record, article)
        self.extras(record, article, lang)
        self.repeated(record)
        used = {id(f) for f in (title_field, abstract_field) if f is not None}
        texts = (*READ["title"], *READ["abstract"])
        for item in record.fields:
            if item.tag in texts and id(item) not in used and item.value:
                if item.value not in (title, abstract):
                    self.skip(item)
            elif item.tag not in READ_TAGS:
                self.skip(item)
        return article

    def extras(self, record: Record, article: Article, lang: str) -> None:
        """The short title (ST), the access date (Y2, as Zotero's ``2025-07-01 10:00:00`` too) and the notes (every
        N1, in order)."""
        if (short := record.first(*READ["short title"])) and short.value.strip():
            article.short_title = LangText({lang: short.value}, lang)
        if (accessed := record.first(*READ["accessed"])) and accessed.value.strip():
            value = accessed.value.strip()
            article.accessed = parse_date(value.replace("-", "/")) or parse_date(value.split()[0].replace("-", "/"))
            if article.accessed is None:
                self.note("ris.date", f"{accessed.tag} '{_shown(value)}' is not a date (such as 2025/07/01/); it is "
                          "not read", accessed.line, "warning")
        notes = [item.value.strip() for item in record.all(*READ["note"]) if item.value.strip()]
        article.note = "\n\n".join(notes) or None

    def repeated(self, record: Record, names: tuple[str, ...] = ONE_VALUE) -> None:
        """Report each further value of a tag the reader takes one value of (the first one is read)."""
        reported: set[int] = set()  # a J2 is both a journal tag and the abbreviation's
        for name in names:
            kept = record.first(*READ[name])
            if kept is None:
                continue
            for item in record.all(kept.tag):
                if item is not kept and item.value != kept.value and id(item) not in reported:
                    reported.add(id(item))
                    self.note("ris.tag-repeated", f"{item.tag} appears again (first on line {kept.line}): this value, "
                              f"'{_shown(item.value)}', is not read; biblio reads the first one, "
                              f"'{_shown(kept.value)}'", item.line, "warning")

    def identifiers(self, record: Record, article: Article) -> None:
        doi_field = record.first(*READ["doi"])
        candidates = [doi_field] if doi_field else [f for f in record.all(*DOI_ELSEWHERE) if "doi.org/" in f.value
                                                    or f.value.startswith("10.")]
        for candidate in candidates:
            checked = ids.doi(candidate.value)
            if checked.ok:
                article.doi = checked.value
                break
            if candidate is doi_field:
                if problem := checked.problem("warning", file=self.file, line=candidate.line):
                    self.problems.append(problem)
        # The landing page: the first UR that is not the DOI's own doi.org address.
        urls = [f for f in record.all(*READ["url"]) if not (article.doi and _DOI_ADDRESS.match(f.value)
                                                            and ids.same_doi(f.value, article.doi))]
        if urls:
            article.url = urls[0].value
            for extra in urls[1:]:
                self.skip(extra)

    def pages(self, record: Record, article: Article) -> None:
        first, last = record.first(*READ["first page"]), record.first(*READ["last page"])
        number = record.first(*READ["article number"])
        start, end = (first.value if first else None), (last.value if last else None)
        if number and start == number.value and not end:  # SP repeats C7 (for Zotero): an article number, no range
            start = None
        elif start and not end and (match := _PAGE_RANGE.fullmatch(start)):
            start, end = match.groups()
        if start or number:
            article.pages = Pages(start, end if start else None, number.value if number else None)
        if last and not start:
            self.skip(last, "a last page (EP) is kept only with a first page (SP), which the record does not give")

    def dates(self, record: Record, article: Article) -> PartialDate | None:
        """Set the article's date from DA (or a full PY/Y1) when it says more than the year; the record's date."""
        found: tuple[Field, PartialDate] | None = None
        dates: list[tuple[Field, PartialDate]] = []
        for tag in READ["date"]:
            for item in record.all(tag):
                date = parse_date(item.value)
                if date is None:
                    self.note("ris.date", f"the date '{item.value}' is not understood", item.line, "warning")
                    continue
                dates.append((item, date))
                if found is None or (date.month and not found[1].month):
                    found = item, date
        if found is None:
            return None
        kept, read = found
        for item, date in dates:  # a date that says something else than the one read
            if date.year != read.year or date.month not in (None, read.month) or date.day not in (None, read.day):
                self.note("ris.tag-repeated" if item.tag == kept.tag else "ris.date-conflict",
                          f"the date '{item.value}' ({item.tag}) is not read: it differs from the record's date, "
                          f"'{kept.value}' ({kept.tag}, line {kept.line})", item.line, "warning")
        if read.month is not None:
            article.dates.published = read
        return read

    def value(self, record: Record, name: str) -> str | None:
        """The first value of the tags ``READ[name]`` (journal, volume, number)."""
        found = record.first(*READ[name])
        return found.value if found else None

    def record_issue(self, record: Record, article: Article, year: int | None) -> Issue:
        """The issue as the first record of it gives it."""
        if year is None:
            self.note("ris.year-missing", "this record gives no year (PY, DA or Y1): it is read into an issue "
                      "without a year (no other record's year is taken)", record.line, "warning")
        return Issue(journal=self.journal(record, article.language), year=year or 0,
                     volume=self.value(record, "volume"), number=self.value(record, "number"))

    def journal(self, record: Record, lang: str) -> Journal:
        title_field = record.first(*READ["journal"])
        title = title_field.value if title_field else None
        abbreviation_field = record.first(*READ["abbreviation"])
        if abbreviation_field is None and title_field is not None and title_field.tag != "JO":
            jo = record.first("JO")  # beside T2 or JF, JO is the abbreviation (as Zotero reads it)
            abbreviation_field = jo if jo and jo.value != title else None
        abbreviation = abbreviation_field.value if abbreviation_field and abbreviation_field is not title_field \
            else None
        if title_field is not None and title_field.tag in READ["abbreviation"]:
            self.note("ris.journal-title", f"the record gives no full journal title (T2, JF or JO): its abbreviation "
                      f"({title_field.tag}), '{_shown(title_field.value)}', is taken for the journal's title",
                      title_field.line)
        titles = LangText({lang: title}, lang) if title else LangText()
        if not title:
            self.note("ris.journal-missing", "this record names no journal (T2, JO or JF)", record.line, "warning")
        issns = [Issn(value) for value in self.issns(record, report=True)]
        publisher = None
        if name := record.first(*READ["publisher"]):
            publisher = Publisher(LangText({lang: name.value}, lang))
        self.place(publisher, record, lang)
        return Journal(titles=titles, language=lang if title else None, abbreviation=abbreviation,
                       issns=issns, publisher=publisher)

    def place(self, publisher: Publisher | None, record: Record, lang: str) -> None:
        """The record's CY as the place of ``publisher`` (in ``lang``); without a publisher it is not read."""
        if (place := record.first(*READ["place"])) is None:
            return
        if publisher is None:
            for item in record.all(*READ["place"]):
                self.skip(item)
            return
        self.repeated(record, ("place",))
        if publisher.place is None:
            publisher.place = LangText({lang: place.value}, lang)
        elif not _merge(publisher.place, lang, place.value):
            self.note("ris.issue-mixed", f"this record's place of publication ({place.value}) differs from the first "
                      "record's; the issue keeps the first", place.line, "warning")

    def issns(self, record: Record, report: bool = False) -> list[str]:
        values: list[str] = []
        for item in record.all(*READ["issns"]):
            for part in _ISSN_SEPARATORS.split(item.value):
                checked = ids.issn(part)
                if checked.ok and checked.value is not None and checked.value not in values:
                    values.append(checked.value)
                elif part and not checked.ok and report:
                    self.note(checked.code or "issn", checked.message or "", item.line, "warning")
        return values

    def compare(self, issue: Issue, first: Record, record: Record, lang: str) -> None:
        """A later record of the issue (same journal, volume, number and year): its journal title in another
        language, and a publisher the issue's first record does not give, are the issue's."""
        journal = record.first(*READ["journal"])
        titles = issue.journal.titles
        if journal is not None and not _merge(titles, lang, journal.value):
            self.note("ris.journal-mixed", f"this record names its journal '{journal.value}', not as the first "
                      f"record of its issue does (line {first.line}); the issue keeps the first's title",
                      journal.line, "warning")
        if (publisher := record.first(*READ["publisher"])) is not None:
            if issue.journal.publisher is None:
                issue.journal.publisher = Publisher(LangText({lang: publisher.value}, lang))
            elif not _merge(issue.journal.publisher.name, lang, publisher.value):
                self.note("ris.issue-mixed", f"this record's publisher ({publisher.value}) differs from the first "
                          "record of its issue; the issue keeps the first", publisher.line, "warning")
        self.place(issue.journal.publisher, record, lang)
        short = record.first(*READ["abbreviation"])
        if short is not None and short is not journal and short.value != issue.journal.abbreviation:
            if issue.journal.abbreviation is None:  # the journal's, which the first record did not give
                issue.journal.abbreviation = short.value
            else:
                self.note("ris.issue-mixed", f"this record abbreviates its journal '{short.value}', not as the first "
                          f"record of its issue does ('{issue.journal.abbreviation}'); the issue keeps the first's",
                          short.line, "warning")
