"""Reading BibTeX and BibLaTeX back into the model: biblio's own files and other tools' exports.

Zotero, JabRef, biblatex and Google Scholar files are read (``journaltitle``, ``date``,
``langid``, LaTeX accents, "Given Family" names, DOIs as URLs …); entries that cannot be
used are reported, never dropped silently. The whole file is parsed before the first
article is yielded: entries are grouped into the issues they belong to (journal, volume, number,
year: ``formats.Grouper``), and an issue's facts are known only once every entry is read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bibtexparser.library import Library
from bibtexparser.middlewares import RemoveEnclosingMiddleware
from bibtexparser.middlewares.names import InvalidNameError
from bibtexparser.model import Block, DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, Entry, Field, ParsingFailedBlock

from ... import derive, ids, manifest_spec
from ...model import (Article, ArticleDates, Contributor, ContributorRole, Issn, Issue, Journal, LangText, Pages,
                      PartialDate, PersonName, Publisher, Reference)
from ...problems import Problem, Severity
from .. import ArticleReading, Grouper, Work, author_text
from .mapping import ARTICLE_TYPES, DATE_FIELD, MONTHS, NAME_FIELDS, READ, WORK_TYPES, language_tag, work_fields
from .names import organisation, split_name, top_commas
from .parse import concatenate, cook, failure, line, looks_like_entry, parse, read_text, stray_brace, strings
from .tex import decode, paragraphs, squash, tex_decode, whole_group
from .validate import syntax_errors

_URL_MACRO = re.compile(r"^\\url\{(.*)\}$")
_PAGE_DASH = re.compile(r"(?<=\w)\s*[-–—]+\s*(?=\w)")  # a page range's dash, however written
_ALTERNATES = {name: names for names in READ.values() for name in names}  # the fields read in each other's place
_SHOWN = 10  # entry keys named in a note about a field not read
_FIELD_NAME = re.compile(r"[^\s\"#%'(),={}]+")  # what BibTeX takes for a field name


def _depths(value: str) -> list[int]:
    """The brace depth before each character, -1 for an escaped one (after a backslash): escaped
    braces do not count, as for bibtexparser."""
    depths, depth, escaped = [], 0, False
    for char in value:
        depths.append(-1 if escaped else depth)
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
    return depths


def split_names(value: str) -> list[str]:
    """A name list split at each "and" outside braces (bibtexparser 2.1.0's splitter loses the first two
    characters of a name that starts with a backslash: ``… and \\'Alvarez, Juan``)."""
    depths = _depths(value)
    names, start = [], 0
    for match in re.finditer(r"\s+and\s+", value, re.IGNORECASE):
        if depths[match.start()] == 0 and (match.start() == 0 or value[match.start() - 1] != "\\"):
            names.append(value[start:match.start()])
            start = match.end()
    names.append(value[start:])
    return [name.strip() for name in names if name.strip()]


def _split_top(value: str, separators: str) -> list[str]:
    """Split at separators outside braces and not escaped."""
    depths = _depths(value)
    cuts = [position for position, char in enumerate(value) if char in separators and depths[position] == 0]
    return [value[start + 1:end] for start, end in zip([-1, *cuts], [*cuts, len(value)])]


@dataclass
class _Read:
    """One usable entry, before the issue is assembled."""

    article: Article
    journal: str | None
    abbreviation: str | None
    date: PartialDate | None
    volume: str | None
    number: str | None
    issns: list[Issn]
    publisher: str | None
    shown_lang: str  # the language the writer picked the journal title and publisher for
    line: int | None
    key: str


class _Reader:
    def __init__(self, file: str, file_lang: str | None) -> None:
        self.file = file
        self.file_lang = file_lang
        self.problems: list[Problem] = []
        self.remove_enclosing = RemoveEnclosingMiddleware()
        self.strings: dict[str, str] = {}
        self.works: list[Work] = []
        self.not_read: dict[str, tuple[int | None, list[str]]] = {}  # field: its first line, the entries with it
        self.work_not_read: dict[str, tuple[int | None, list[str]]] = {}  # the same, of the works
        self.guessed: dict[str, tuple[int | None, list[str]]] = {}  # a language taken from the letters: its entries
        self.math_kept: dict[str, tuple[int | None, list[str]]] = {}  # field: its first line, the entries with it

    def note(self, code: str, severity: Severity, message: str, at: int | None, path: str | None = None) -> None:
        self.problems.append(Problem(code, severity, message, path=path, file=self.file, line=line(at)))

    def text(self, value: str, at: int | None, where: str) -> str:
        decoded, unknown, nested, kept_math = decode(value)
        if kept_math:  # one note for the file, naming the fields: see blocks
            self.math_kept.setdefault(where.rsplit(".", 1)[-1], (at, []))[1].append(where.rsplit(".", 1)[0])
        if nested is not None:
            self.note("bibtex.nesting", nested[0], f"{where.rsplit('.', 1)[-1]} {nested[1]}", at, where)
        if unknown:
            self.note("bibtex.latex-macro", "info", "biblio does not know the LaTeX command(s) "
                      + ", ".join("\\" + name for name in unknown) + f" in {where.rsplit('.', 1)[-1]}; "
                      "their text is kept without them", at, where)
        return decoded

    def blocks(self, library: Library) -> list[_Read]:
        found = []
        self.strings = strings(library)
        for block in library.blocks:
            entry: Block | None = block
            if isinstance(block, DuplicateBlockKeyBlock | DuplicateFieldKeyBlock):
                entry = block.ignore_error_block  # its values still enclosed: the parse left them as they were
                if isinstance(entry, Entry):
                    entry = self.remove_enclosing.transform_entry(entry, library)
            if isinstance(block, DuplicateBlockKeyBlock):
                self.note("bibtex.duplicate-key", "warning", f"the key '{block.key}' is used twice (first at line "
                          f"{line(block.previous_block.start_line)}); this entry is read too", block.start_line,
                          block.key)
            elif isinstance(block, DuplicateFieldKeyBlock):
                self.note("bibtex.duplicate-field", "warning", "the entry repeats the field(s) "
                          f"{', '.join(sorted(block.duplicate_keys))}; the first value is read", block.start_line)
            elif isinstance(block, ParsingFailedBlock):
                self.note("bibtex.syntax", "error", f"this block cannot be read and is skipped: {failure(block)}",
                          block.start_line)
            elif looks_like_entry(block) and not stray_brace(block):  # an extra }: a syntax error (refuse)
                self.note("bibtex.stray-text", "warning", "text outside any entry looks like a field list "
                          "(a missing @ or a commented-out entry?); it is not read", block.start_line)
            read = self.entry(entry) if isinstance(entry, Entry) else None
            if isinstance(read, Work):
                self.works.append(read)
            elif read is not None:
                found.append(read)
        for lang, (at, keys) in self.guessed.items():
            shown = ", ".join(keys[:_SHOWN]) + (f" and {len(keys) - _SHOWN} more" if len(keys) > _SHOWN else "")
            self.note("bibtex.language-guessed", "info", f"no language or langid: the language is taken as {lang} "
                      f"from the letters of the title and abstract (entr{'y' if len(keys) == 1 else 'ies'}: {shown}); "
                      "add language = {…} where it is another", at)
        for name, (at, keys) in self.not_read.items():
            shown = ", ".join(keys[:_SHOWN]) + (f" and {len(keys) - _SHOWN} more" if len(keys) > _SHOWN else "")
            entries = "entry" if len(keys) == 1 else f"{len(keys)} entries"
            others = " or ".join(other for other in _ALTERNATES.get(name, ()) if other != name)
            what = f"{name} differs from {others}, read in its place" if others else \
                f"biblio cannot carry the field {name}"
            self.note("bibtex.not-read", "info", f"{what} ({entries}: {shown}); it is not read", at)
        if self.math_kept:
            fields = "; ".join(f"{name} ({_entries(keys)})" for name, (_, keys) in self.math_kept.items())
            self.note("bibtex.math", "info", f"LaTeX math with no plain-text form (a subscript letter, a fraction …) "
                      f"is kept as written, $…$ and all, in {fields}: write it as Unicode text (Cu₂O, α, ±) where "
                      "it can be", next(iter(self.math_kept.values()))[0])
        for name, (at, keys) in self.work_not_read.items():
            shown = ", ".join(keys[:_SHOWN]) + (f" and {len(keys) - _SHOWN} more" if len(keys) > _SHOWN else "")
            self.note("bibtex.not-read", "info", f"a work (an entry that is not a journal article: a book, chapter, "
                      f"thesis …) keeps no {name} in biblio's model (entr{'y' if len(keys) == 1 else 'ies'}: {shown}); "
                      "it is not read", at)
        return found

    def refuse(self, library: Library) -> None:
        """Report the syntax errors of a raw parse that spoil an entry (what ``validate`` finds: a value that goes on
        after its end, braces that do not pair up, an extra ``}``), and take each such entry out of the library: it
        is not read (BibTeX stops there too), rather than read with one field swallowing the next or cut short."""
        refused: list[Block] = []
        for block, problem in syntax_errors(library.blocks):
            entry = block.ignore_error_block if isinstance(block, DuplicateBlockKeyBlock | DuplicateFieldKeyBlock) \
                else block
            what = f"the entry '{entry.key}'" if isinstance(entry, Entry) and entry.key else "the entry"
            message = f"{problem.message}; {what} is not read until this is fixed" if isinstance(entry, Entry) \
                else problem.message
            self.problems.append(Problem(problem.code, "error", message, path=problem.path, file=self.file,
                                         line=problem.line))
            if block is not None and all(block is not other for other in refused):
                refused.append(block)
        if refused:
            library.remove(refused)

    def entry(self, entry: Entry) -> _Read | Work | None:
        values: dict[str, Field] = {}
        for item in entry.fields:
            if _FIELD_NAME.fullmatch(item.key):
                values.setdefault(item.key.lower(), item)
                continue
            words = item.key.split() or [item.key]
            field = next((word for word in reversed(words) if word.lower() in _ALTERNATES.keys() | {DATE_FIELD}), words[-1])
            self.note("bibtex.field-name", "warning", f"'{' '.join(words)[:60]}' is not a field name (one word, "
                      "without spaces, quotes, commas, braces or #), so this field is not read (BibTeX stops here): "
                      f"remove the text around '{field}'", item.start_line, f"{entry.key}.{field.lower()}")
        kind, key, at = entry.entry_type.lower(), entry.key, entry.start_line

        def where(name: str) -> tuple[int | None, str]:
            """The line and path of a field, for its problems."""
            return values[name].start_line, f"{key}.{name}"

        used: set[str] = set()

        def raw(*names: str) -> str | None:
            for name in names:
                if name in values and str(values[name].value).strip():
                    used.add(name)
                    return str(values[name].value).strip()
            return None

        def text(*names: str) -> str | None:
            for name in names:
                if (value := raw(name)) is not None:
                    if decoded := squash(self.text(value, *where(name))):
                        return decoded
            return None

        for item in entry.fields:
            if item.enclosing == "no-enclosing" and not str(item.value).strip().isdigit() \
                    and not (item.key.lower() == "month" and str(item.value).strip().lower() in MONTHS):
                joined = concatenate(str(item.value), self.strings)
                if joined is None or joined[1]:
                    what = (f"refers to an @string the file does not define ({', '.join(joined[1])})" if joined
                            else 'is not {braced}, "quoted", a number or an @string name, or such pieces joined '
                                 "with #")
                    shown = squash(str(item.value))  # one line, however the value is spread
                    shown = shown if len(shown) <= 60 else shown[:59] + "…"
                    self.note("bibtex.string-reference", "warning", f"{item.key} = {shown} {what}; it is read "
                              "as written", item.start_line, f"{key}.{item.key}")
                if joined is not None:
                    item.value = joined[0]  # the pieces joined, as BibTeX joins them
        title = text(*READ["title"])
        if title is not None and (subtitle := text("subtitle")) is not None:  # biblatex's: "Title: Subtitle"
            title += (" " if title.endswith((":", ".", "?", "!")) else ": ") + subtitle
        if kind not in ARTICLE_TYPES:
            if title is None:
                self.note("bibtex.unusable", "warning", f"the @{kind} entry '{key}' has no title; it is skipped",
                          at, key)
                return None
            work = self.work(kind, key, at, title, raw, text, where)
            self.unread(values, used, key, at, self.work_not_read)
            return work
        if title is None:
            self.note("bibtex.title-missing", "warning", f"the entry '{key}' has no title", at, key)
        abstract_raw = raw(*READ["abstract"])
        abstract = None
        if abstract_raw is not None:
            decoded = self.text(abstract_raw, *where("abstract"))
            abstract = "\n\n".join(paragraphs(decoded)) or None
        for name in ("language", "langid"):
            value = raw(name)
            if value is not None and language_tag(tex_decode(value)[0]) is None:
                self.note("bibtex.language", "info", f"{name} = {value} is not a language biblio knows; the "
                          "entry's language is taken from elsewhere", *where(name))
        orig, text_lang = self.languages(raw(*READ["language"]), raw(*READ["langid"]),
                                         " ".join(filter(None, [title, abstract])))
        if not (raw(*READ["language"]) or raw(*READ["langid"]) or self.file_lang):  # nothing says it: a guess
            self.guessed.setdefault(text_lang, (at, []))[1].append(key or f"the entry at line {line(at)}")
        article = Article(language=orig, titles=LangText.of({text_lang: title} if title else {}, orig))
        if abstract:
            article.abstracts = LangText.of({text_lang: abstract}, orig)
        keywords_raw = raw(*READ["keywords"])
        if keywords_raw is not None:
            first = values[next(name for name in READ["keywords"] if name in values)]
            words = [squash(self.text(part, first.start_line, f"{key}.keywords"))
                     for part in _split_top(keywords_raw, ",;")]
            if any(words):
                article.keywords = {text_lang: [word for word in words if word]}
        for role in NAME_FIELDS:
            value = raw(*READ[role])
            if value is not None:
                article.contributors.extend(self.people(value, role, text_lang, *where(role)))
        if (doi := raw(*READ["doi"])) is not None:
            checked = ids.doi(_URL_MACRO.sub(r"\1", doi))
            if checked.ok:
                article.doi = checked.value
            else:
                self.note(checked.code or "doi", "warning", (checked.message or "") + "; the DOI is not read",
                          *where("doi"))
        if (url := raw(*READ["url"])) is not None:
            article.url = _URL_MACRO.sub(r"\1", url).strip()
        self.article_extras(article, text_lang, raw, text, where)
        pages = raw(*READ["pages"])
        article.pages = _pages(pages, raw(*READ["eid"]))
        if pages is not None and (article.pages is None or article.pages.first is None):
            self.note("bibtex.pages", "warning", f"the pages '{pages}' give no first page; they are not read",
                      *where(next(name for name in READ["pages"] if name in used)))
        date = self.date(raw(DATE_FIELD), raw(*READ["year"]), raw(*READ["month"]), where)
        issns = []
        issn_raw = raw(*READ["issn"])
        if issn_raw is not None:
            parts = re.findall(r"\d{4}\s*-?\s*\d{3}[\dXx]", issn_raw) or [issn_raw]
            for part in parts:
                checked = ids.issn(part)
                if checked.ok and checked.value:
                    issns.append(Issn(checked.value))
                else:
                    self.note(checked.code or "issn", "warning", (checked.message or "") + "; it is not read",
                              *where("issn"))
        read = _Read(article, text(*READ["journal"]), text(*READ["shortjournal"]), date, text(*READ["volume"]),
                     text(*READ["number"]), issns, text(*READ["publisher"]), text_lang, at, key)
        self.unread(values, used, key, at, self.not_read)
        return read

    def article_extras(self, article: Article, lang: str, raw: Callable[..., str | None],
                       text: Callable[..., str | None], where: Callable[[str], tuple[int | None, str]]) -> None:
        """An article's short title, note, access date (``urldate``), PMID and PMCID; one that is wrong is reported."""
        if short := text(*READ["shorttitle"]):
            article.short_title = LangText.of({lang: short}, article.language)
        article.note = text(*READ["note"])
        if (accessed := raw(*READ["urldate"])) is not None:
            article.accessed, why = PartialDate.read(tex_decode(accessed)[0].strip()[:10])
            if article.accessed is None:
                self.note("bibtex.date", "warning", f"urldate = {accessed[:40]} is not a date (YYYY-MM-DD)"
                          f"{': ' + why if why else ''}; it is not read", *where("urldate"))
        for name, check in (("pmid", manifest_spec.pmid), ("pmcid", manifest_spec.pmcid)):
            if (value := raw(*READ[name])) is not None:
                checked = check(tex_decode(value)[0])
                setattr(article, name, checked.value)
                if not checked.ok:
                    self.note(checked.code or name, "warning", f"{checked.message}; it is not read", *where(name))

    def unread(self, values: dict[str, Field], used: set[str], key: str, at: int | None,
               into: dict[str, tuple[int | None, list[str]]]) -> None:
        """Count what the entry gives that was not read (each field reported once per file, with its entries)."""
        for name, item in values.items():
            value = str(item.value).strip()
            if name in used or not value or any(value == str(values[other].value).strip() for other in
                                                _ALTERNATES.get(name, ()) if other in used):
                continue  # read, empty, or the same value as the field read in its place (journal, journaltitle)
            into.setdefault(name, (item.start_line, []))[1].append(key or f"the entry at line {line(at)}")

    def work(self, kind: str, key: str, at: int | None, title: str, raw: Callable[..., str | None],
             text: Callable[..., str | None], where: Callable[[str], tuple[int | None, str]]) -> Work:
        """An entry that is not a journal article, as a cited work (``Reference``) of the nearest citation type."""
        cited = WORK_TYPES.get(kind)
        if cited is None or kind == "mastersthesis":
            cited = cited or ("dissertation" if kind == "mastersthesis" else "other")
            self.note("bibtex.entry-type", "info", f"the @{kind} entry '{key}' is read as a work of the type "
                      f"'{cited}', the nearest of the citation types biblio knows (it has no '{kind}')", at, key)
        fields = work_fields(cited)
        reference = Reference(type=cited, title=title)
        editors: list[str] = []
        roles: tuple[tuple[ContributorRole, tuple[str, ...], list[str]], ...] = (
            ("author", fields["authors"], reference.authors), ("editor", ("editor",), editors))
        for role, names_read, into in roles:
            if (names := raw(*names_read)) is not None:
                for person in self.people(names, role, "und", *where(names_read[0])):
                    name = person.organization.main if person.organization else next(iter(person.names.values()))
                    if isinstance(name, PersonName) and name.suffix:  # a work's "Family, Given" has no suffix part:
                        name = PersonName(f"{name.family} {name.suffix}", name.given)  # kept with the family name
                    into.append(author_text(name or ""))
        for attribute in ("container", "conference", "edition", "volume", "issue", "pages", "publisher", "place",
                          "isbn", "issn"):
            setattr(reference, attribute, text(*fields[attribute]))
        if reference.pages:  # "10--20", read as an en dash: the range as the other formats write it
            reference.pages = _PAGE_DASH.sub("-", reference.pages)
        date = self.date(raw(DATE_FIELD), raw(*fields["year"]), None, where)
        reference.year = str(date.year) if date else None
        if (doi := raw(*fields["doi"])) is not None:
            checked = ids.doi(_URL_MACRO.sub(r"\1", doi))
            reference.doi = checked.value if checked.ok else None
            if not checked.ok:
                self.note(checked.code or "doi", "warning", (checked.message or "") + "; the DOI is not read",
                          *where("doi"))
        if (url := raw(*fields["url"])) is not None:
            reference.url = _URL_MACRO.sub(r"\1", url).strip()
        if (accessed := raw(*fields["accessed"])) is not None:
            reference.accessed = PartialDate.parse(accessed.strip()[:10])
        tags = [language_tag(tex_decode(value)[0]) for value in (raw("langid"), raw("language")) if value]
        reference.language = next((tag for tag in tags if tag), None)
        return Work(reference, line(at), f"entry '{key}'", f"@{kind}", editors)

    def languages(self, language: str | None, lang_id: str | None, sample: str) -> tuple[str, str]:
        """The article's own language and the language of the entry's text."""
        original = language_tag(tex_decode(language)[0]) if language else None
        text_lang = language_tag(tex_decode(lang_id)[0]) if lang_id else None
        if text_lang and ids.script_of(text_lang) is None and ids.primary_language(text_lang) in derive.CYRILLIC_LANGS \
                and derive.is_latin(sample):
            text_lang += "-Latn"  # langid names no script: kazakh text in Latin letters
        if text_lang and original and ids.primary_language(original) == ids.primary_language(text_lang):
            text_lang = original  # language has the full tag (kk-Latn); langid only the language
        if not (text_lang or original or self.file_lang) and any(char.isalpha() for char in sample):
            text_lang = derive.guess_language(sample)
        text_lang = text_lang or original or self.file_lang or "en"
        return original or text_lang, text_lang

    def people(self, value: str, role: ContributorRole, lang: str, at: int | None, where: str) -> list[Contributor]:
        found = []
        for raw_name in split_names(value):
            if raw_name.lower() == "others":
                self.note("bibtex.others", "info", "the name list ends in 'and others': the names left out "
                          "are not known", at, where)
                continue
            if (group := organisation(raw_name)) is not None:  # {Braced}, or a name only an organisation has
                name = squash(self.text(group, at, where))
                if name and not whole_group(raw_name):
                    self.note("bibtex.organisation", "info", f"'{name}' is read as an organisation's name (BibTeX "
                              "and other tools would read a person whose family name is the last words): put it in "
                              "braces, {" + name + "}, to say so in the file", at, where)
                if name:
                    found.append(Contributor(role=role, organization=LangText.of({lang: name}, lang)))
                continue
            try:
                parts = split_name(raw_name)
            except InvalidNameError as error:
                self.note("bibtex.name", "warning", f"the name '{raw_name}' is malformed ({error.reason}); it is "
                          "read as well as it can be", at, where)
                parts = split_name(raw_name, strict=False)
            if parts.jr and parts.first and len(top_commas(raw_name)) == 1:  # "First Last, Jr.": names.split_name
                self.note("bibtex.name-suffix", "info", f"in '{raw_name}', '{parts.jr[0]}' is read as the name's "
                          "suffix (BibTeX would take it for the given name): write "
                          f"'{' '.join(parts.von + parts.last)}, {parts.jr[0]}, {' '.join(parts.first)}', BibTeX's "
                          "form", at, where)
            family = squash(self.text(" ".join(parts.von + parts.last), at, where))
            given = squash(self.text(" ".join(parts.first), at, where)) or None
            suffix = squash(self.text(" ".join(parts.jr), at, where)) or None  # "von Last, Jr, First"
            if not family:
                family, given = given or "", None
            if not family:
                continue
            found.append(Contributor(role=role, names={derive.language_of(family + " " + (given or ""), lang):
                                                       PersonName(family, given, suffix=suffix)}))
        return found

    def date(self, date: str | None, year: str | None, month: str | None,
             where: Callable[[str], tuple[int | None, str]]) -> PartialDate | None:
        if date is not None:
            match = re.match(r"\s*(\d{4}(?:-\d{2}(?:-\d{2})?)?)", date)
            parsed = PartialDate.parse(match.group(1)) if match else None
            if parsed:
                return parsed
            self.note("bibtex.date", "warning", f"the date '{date}' is not YYYY, YYYY-MM or YYYY-MM-DD; it is not "
                      "read", *where(DATE_FIELD))
        match = re.match(r"\s*\{?(\d{4})", year) if year is not None else None
        if match is None:
            if year is not None:
                self.note("bibtex.date", "warning", f"the year '{year}' is not a number; it is not read",
                          *where("year"))
            if month is not None:
                self.note("bibtex.date", "warning", f"the month '{month}' is not read: the entry gives no year",
                          *where("month"))
            return None
        number = None
        if month is not None:
            text = month.strip().strip("{}").strip().rstrip(".").lower()
            number = ids.whole_number(text) if text.isdigit() else MONTHS.get(text)  # 5,000 digits: no int()
            number = number if number is None or 1 <= number <= 12 else None
            if number is None:
                self.note("bibtex.date", "warning", f"the month '{month}' is not a month; it is not read",
                          *where("month"))
        return PartialDate(int(match.group(1)), number)


def _entries(keys: list[str]) -> str:
    """Entry keys for a note: the first ``_SHOWN``, and how many more."""
    unique = list(dict.fromkeys(keys))
    shown = ", ".join(unique[:_SHOWN]) + (f" and {len(unique) - _SHOWN} more" if len(unique) > _SHOWN else "")
    return f"entry {shown}" if len(unique) == 1 else f"{len(unique)} entries: {shown}"


def _pages(pages: str | None, eid: str | None) -> Pages | None:
    first = last = None
    if pages is not None:
        for separator in (r"-{2,3}", r"\s*[–—]\s*", r"\s*-\s*"):
            parts = re.split(separator, pages)
            if len(parts) == 2 and all(part.strip() for part in parts):
                first, last = parts
                break
        else:
            first = pages
        first = squash(tex_decode(first)[0]) or None
        last = squash(tex_decode(last)[0]) if last else None
    number = squash(tex_decode(eid)[0]) if eid else None
    if not (first or number):
        return None
    return Pages(first, last if first else None, number or None)


def _cyrillic_language(text: str, label: str) -> str | None:
    """A better language for Cyrillic text filed under a Latin-script language (a kk journal title in the
    English file) or, with Kazakh-only letters, under Russian; None when the label fits."""
    if not any(char.isalpha() for char in text) or derive.is_latin(text):
        return None
    guess = derive.guess_language(text)
    if derive.usual_script(label) == "Latn" or (ids.primary_language(label) == "ru" and guess == "kk"):
        return guess
    return None


def _by_language(found: list[_Read], value: Callable[[_Read], str | None], file: str, what: str,
                 problems: list[Problem]) -> LangText:
    """The texts of one issue's entries (journal titles, publishers) by the language each was shown in; another
    text in a language already given is reported, not merged. A file's one text whose letters contradict its
    language (a fallback the writer reported) goes under the language they suggest."""
    texts: dict[str, str] = {}
    original = None
    for read in found:
        text = value(read)
        if text is None:
            continue
        if text in texts.values():
            # shown again for another language: a fallback, which the writer takes from the original
            lang = next(lang for lang, known in texts.items() if known == text)
            original = original or (lang if lang != read.shown_lang else None)
            continue
        if texts.setdefault(read.shown_lang, text) != text:
            problems.append(Problem("bibtex.mixed-issue", "warning", f"the entry at line {line(read.line)} names "
                                    f"another {what} ({text}) than the first entry of its issue (the same journal, "
                                    "volume, number and year); the issue takes the first's",
                                    file=file, line=line(read.line)))
    if len(texts) == 1:
        [(lang, text)] = texts.items()
        texts = {_cyrillic_language(text, lang) or lang: text}
    return LangText.of(texts, original or next(iter(texts), None))


def _file_language(path: Path) -> str | None:
    match = re.search(r"\.([a-z]{2,3}(?:-[A-Za-z]{4})?)\.bib$", Path(path).name)
    checked = ids.language_tag(match.group(1)) if match else None
    return checked.value if checked and checked.ok else None


def _issue(found: list[_Read], file: str, problems: list[Problem]) -> Issue:
    """The issue of entries that agree on journal, volume, number and year (``_key``): its journal's texts by
    language, and the publisher and abbreviation its entries give."""
    first = found[0]
    if first.date is None:
        lines = ", ".join(str(line(read.line)) for read in found)
        problems.append(Problem("bibtex.year-missing", "warning", f"the entr{'y' if len(found) == 1 else 'ies'} at "
                                f"line{'s' * (len(found) > 1)} {lines} give{'s' * (len(found) == 1)} no year; their "
                                "issue's year is unknown (no other entry's year is taken)", file=file,
                                line=line(first.line)))
    titles = _by_language(found, lambda r: r.journal, file, "journal", problems)
    publishers = _by_language(found, lambda r: r.publisher, file, "publisher", problems)
    journal = Journal(titles=titles, language=titles.original, issns=first.issns,
                      abbreviation=next((read.abbreviation for read in found if read.abbreviation), None))
    if publishers:
        journal.publisher = Publisher(publishers)
    return Issue(journal=journal, year=first.date.year if first.date else 0, number=first.number,
                 volume=first.volume)


def iter_read(path: Path) -> ArticleReading:
    """A .bib file's articles, one per usable entry, each in the issue of its journal, volume, number and year."""
    path = Path(path)

    def articles(reading: ArticleReading) -> Iterator[Article]:
        text, problems = read_text(path)
        reading.problems += problems
        if text is None:
            return
        reader = _Reader(str(path), _file_language(path))
        library = parse(text, raw=True)
        reader.refuse(library)  # the entries BibTeX cannot read, as validate finds them
        found = reader.blocks(cook(library, reader.problems, str(path)))
        reading.problems += reader.problems
        reading.works += reader.works
        if not found:
            if not reader.works:
                reading.problems.append(Problem("bibtex.no-entries", "error", "the file has no entry biblio can "
                                                "read", file=str(path)))
            return
        grouper, groups = Grouper(), dict[tuple[object, ...], list[_Read]]()
        keys = [grouper.key(read.shown_lang, read.journal, [issn.value for issn in read.issns], read.volume,
                            read.number, read.date.year if read.date else None) for read in found]
        for key, read in zip(keys, found):
            groups.setdefault(key, []).append(read)
        issues = {key: _issue(reads, str(path), reading.problems) for key, reads in groups.items()}
        for key, read in zip(keys, found):
            issue = reading.issue = issues[key]
            reading.line, reading.name = line(read.line), f"entry '{read.key}'"
            date = read.date
            if date and (date.month is not None or date.year != issue.year):
                read.article.dates = ArticleDates(published=date)
            yield read.article

    return ArticleReading(articles, str(path))
