"""Reading BibTeX and BibLaTeX back into the model: biblio's own files and other tools' exports.

Zotero, JabRef, biblatex and Google Scholar files are read: ``journaltitle``, ``date``,
``issue``, ``langid``, LaTeX accents (decoded with pylatexenc, which bibtexparser depends
on), "Given Family" names, ``pages`` with ``-`` or ``--``, DOIs as URLs, keywords split at
``,`` or ``;``. Entries that cannot be used are reported, never dropped silently.

``iter_read`` reads and parses the whole text before it yields the first article: the
issue's facts (the journal's title in each language, whether the entries share a volume
and number) are known only once every entry is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bibtexparser.library import Library
from bibtexparser.middlewares import RemoveEnclosingMiddleware
from bibtexparser.middlewares.names import InvalidNameError, parse_single_name_into_parts
from bibtexparser.model import (
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    ExplicitComment,
    Field,
    ImplicitComment,
    ParsingFailedBlock,
)

from ... import derive, ids
from ...model import (
    Article,
    ArticleDates,
    Contributor,
    ContributorRole,
    Issn,
    Issue,
    Journal,
    LangText,
    Pages,
    PartialDate,
    PersonName,
    Publisher,
)
from ...problems import Problem, Severity
from .. import ArticleReading
from .mapping import ARTICLE_TYPES, CYRILLIC_LANGS, DATE_FIELD, MONTHS, NAME_FIELDS, READ, language_tag
from .parse import ENTRY_LIKE, line, parse, read_text
from .tex import paragraphs, squash, tex_decode, whole_group


def _depths(value: str) -> list[int]:
    """The brace depth before each character (escaped braces do not count, as for bibtexparser)."""
    depths, depth, escaped = [], 0, False
    for char in value:
        depths.append(depth)
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
    """A name list split at each "and" outside braces.

    bibtexparser 2.1.0's ``split_multiple_persons_names`` loses the first two characters
    of a name that starts with a backslash (``… and \\'Alvarez, Juan``), so biblio splits
    the list itself.
    """
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
    parts, current, depth, escaped = [], [], 0, False
    for char in value:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif char in separators and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts


def _script_language(text: str) -> str | None:
    if not any(char.isalpha() for char in text):
        return None
    return derive.guess_language(text)


@dataclass
class _Read:
    """One usable entry, before the issue is assembled."""

    article: Article
    journal: str | None
    abbreviation: str | None
    year: int | None
    date: PartialDate | None
    volume: str | None
    number: str | None
    issns: list[Issn]
    publisher: str | None
    text_lang: str
    shown_lang: str  # the language the writer picked the journal title and publisher for
    line: int | None


class _Reader:
    def __init__(self, file: str, file_lang: str | None):
        self.file = file
        self.file_lang = file_lang
        self.problems: list[Problem] = []
        self.remove_enclosing = RemoveEnclosingMiddleware()

    def note(self, code: str, severity: Severity, message: str, at: int | None, path: str | None = None) -> None:
        self.problems.append(Problem(code, severity, message, path=path, file=self.file, line=line(at)))

    def text(self, value: str, at: int | None, where: str) -> str:
        decoded, unknown = tex_decode(value)
        if unknown:
            self.note("bibtex.latex-macro", "info", "biblio does not know the LaTeX command(s) "
                      + ", ".join("\\" + name for name in unknown) + f" in {where.rsplit('.', 1)[-1]}; "
                      "their text is kept without them", at, where)
        return decoded

    def blocks(self, library: Library) -> list[_Read]:
        found = []
        for block in library.blocks:
            entry: Entry | None = None
            if isinstance(block, DuplicateBlockKeyBlock):
                self.note("bibtex.duplicate-key", "warning", f"the key '{block.key}' is used twice (first at line "
                          f"{line(block.previous_block.start_line)}); this entry is read too", block.start_line,
                          block.key)
                entry = self.unwrap(block.ignore_error_block, library)
            elif isinstance(block, DuplicateFieldKeyBlock):
                self.note("bibtex.duplicate-field", "warning", "the entry repeats the field(s) "
                          f"{', '.join(sorted(block.duplicate_keys))}; the first value is read", block.start_line)
                entry = self.unwrap(block.ignore_error_block, library)
            elif isinstance(block, ParsingFailedBlock):
                reason = getattr(block.error, "abort_reason", None) or str(block.error)
                self.note("bibtex.syntax", "error", f"this block cannot be read and is skipped: {reason.strip()}",
                          block.start_line)
            elif isinstance(block, Entry):
                entry = block
            elif isinstance(block, ExplicitComment | ImplicitComment) and ENTRY_LIKE.search(block.comment):
                self.note("bibtex.stray-text", "warning", "text outside any entry looks like a field list "
                          "(a missing @ or a commented-out entry?); it is not read", block.start_line)
            if entry is not None:
                read = self.entry(entry)
                if read is not None:
                    found.append(read)
        return found

    def unwrap(self, block, library: Library) -> Entry | None:
        if not isinstance(block, Entry):
            return None
        transformed = self.remove_enclosing.transform_block(block, library)
        return transformed if isinstance(transformed, Entry) else None

    def entry(self, entry: Entry) -> _Read | None:
        values: dict[str, Field] = {}
        for item in entry.fields:
            values.setdefault(item.key.lower(), item)
        kind, key, at = entry.entry_type.lower(), entry.key, entry.start_line

        def raw(*names: str) -> str | None:
            for name in names:
                if name in values and str(values[name].value).strip():
                    return str(values[name].value).strip()
            return None

        def text(*names: str) -> str | None:
            for name in names:
                value = raw(name)
                if value is not None:
                    decoded = squash(self.text(value, values[name].start_line, f"{key}.{name}"))
                    if decoded:
                        return decoded
            return None

        for item in entry.fields:
            if item.enclosing == "no-enclosing" and not str(item.value).strip().isdigit() \
                    and not (item.key.lower() == "month" and str(item.value).strip().lower() in MONTHS):
                self.note("bibtex.string-reference", "warning", f"{item.key} = {item.value} refers to an @string "
                          "the file does not define (or joins strings with #); it is read as written",
                          item.start_line, f"{key}.{item.key}")
        title = text(*READ["title"])
        if kind not in ARTICLE_TYPES:
            if title is None:
                self.note("bibtex.unusable", "warning", f"the @{kind} entry '{key}' has no title; it is skipped",
                          at, key)
                return None
            self.note("bibtex.entry-type", "info", f"the @{kind} entry '{key}' is read as a journal article",
                      at, key)
        elif title is None:
            self.note("bibtex.title-missing", "warning", f"the entry '{key}' has no title", at, key)
        abstract_raw = raw(*READ["abstract"])
        abstract = None
        if abstract_raw is not None:
            decoded = self.text(abstract_raw, values["abstract"].start_line, f"{key}.abstract")
            abstract = "\n\n".join(paragraphs(decoded)) or None
        for name in ("language", "langid"):
            value = raw(name)
            if value is not None and language_tag(tex_decode(value)[0]) is None:
                self.note("bibtex.language", "info", f"{name} = {value} is not a language biblio knows; the "
                          "entry's language is taken from elsewhere", values[name].start_line, f"{key}.{name}")
        orig, text_lang = self.languages(raw(*READ["language"]), raw(*READ["langid"]),
                                         " ".join(filter(None, [title, abstract])))
        article = Article(language=orig, titles=LangText.of({text_lang: title} if title else {}, orig))
        if abstract:
            article.abstracts = LangText.of({text_lang: abstract}, orig)
        keywords_raw = raw(*READ["keywords"])
        if keywords_raw is not None:
            where = values[next(name for name in READ["keywords"] if name in values)]
            words = [squash(self.text(part, where.start_line, f"{key}.keywords"))
                     for part in _split_top(keywords_raw, ",;")]
            if any(words):
                article.keywords = {text_lang: [word for word in words if word]}
        for role in NAME_FIELDS:
            value = raw(*READ[role])
            if value is not None:
                article.contributors.extend(self.people(value, role, text_lang, values[role].start_line,
                                                        f"{key}.{role}"))
        doi = raw(*READ["doi"])
        if doi is not None:
            checked = ids.doi(re.sub(r"^\\url\{(.*)\}$", r"\1", doi))
            if checked.ok:
                article.doi = checked.value
            else:
                self.note(checked.code or "doi", "warning", (checked.message or "") + "; the DOI is not read",
                          values["doi"].start_line, f"{key}.doi")
        url = raw(*READ["url"])
        if url is not None:
            article.url = re.sub(r"^\\url\{(.*)\}$", r"\1", url).strip()
        article.pages = _pages(raw(*READ["pages"]), raw(*READ["eid"]))
        year, date = self.date(raw(DATE_FIELD), raw(*READ["year"]), raw(*READ["month"]), values, key)
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
                              values["issn"].start_line, f"{key}.issn")
        return _Read(article, text(*READ["journal"]), text(*READ["shortjournal"]), year, date,
                     text(*READ["volume"]), text(*READ["number"]), issns, text(*READ["publisher"]), text_lang,
                     self.file_lang or orig, at)

    def languages(self, language: str | None, lang_id: str | None, sample: str) -> tuple[str, str]:
        """The article's own language and the language of the entry's text."""
        original = language_tag(tex_decode(language)[0]) if language else None
        text_lang = language_tag(tex_decode(lang_id)[0]) if lang_id else None
        if text_lang and ids.script_of(text_lang) is None and ids.primary_language(text_lang) in CYRILLIC_LANGS \
                and derive.is_latin(sample):
            text_lang += "-Latn"  # langid names no script: kazakh text in Latin letters
        if text_lang and original and ids.primary_language(original) == ids.primary_language(text_lang):
            text_lang = original  # language has the full tag (kk-Latn); langid only the language
        text_lang = text_lang or original or self.file_lang or _script_language(sample) or "en"
        return original or text_lang, text_lang

    def people(self, value: str, role: ContributorRole, text_lang: str, at: int | None, where: str) -> list[Contributor]:
        found = []
        for raw_name in split_names(value):
            raw_name = raw_name.strip()
            if not raw_name:
                continue
            if raw_name.lower() == "others":
                self.note("bibtex.others", "info", "the name list ends in 'and others': the names left out "
                          "are not known", at, where)
                continue
            if whole_group(raw_name):
                name = squash(self.text(raw_name[1:-1], at, where))
                if name:
                    found.append(Contributor(role=role, organization=LangText.of({text_lang: name}, text_lang)))
                continue
            try:
                parts = parse_single_name_into_parts(raw_name)
            except InvalidNameError as error:
                self.note("bibtex.name", "warning", f"the name '{raw_name}' is malformed ({error.reason}); it is "
                          "read as well as it can be", at, where)
                parts = parse_single_name_into_parts(raw_name, strict=False)
            family = squash(self.text(" ".join(parts.von + parts.last + parts.jr), at, where))
            given = squash(self.text(" ".join(parts.first), at, where)) or None
            if not family:
                family, given = given or "", None
            if not family:
                continue
            found.append(Contributor(role=role, names={derive.language_of(family + " " + (given or ""), text_lang):
                                                       PersonName(family, given)}))
        return found

    def date(self, date: str | None, year: str | None, month: str | None, values: dict[str, Field],
             key: str) -> tuple[int | None, PartialDate | None]:
        if date is not None:
            match = re.match(r"\s*(\d{4}(?:-\d{2}(?:-\d{2})?)?)", date)
            parsed = PartialDate.parse(match.group(1)) if match else None
            if parsed:
                return parsed.year, parsed
            self.note("bibtex.date", "warning", f"the date '{date}' is not YYYY, YYYY-MM or YYYY-MM-DD; it is not "
                      "read", values[DATE_FIELD].start_line, f"{key}.date")
        if year is None:
            return None, None
        match = re.match(r"\s*\{?(\d{4})", year)
        if not match:
            self.note("bibtex.date", "warning", f"the year '{year}' is not a number; it is not read",
                      values["year"].start_line, f"{key}.year")
            return None, None
        number = None
        if month is not None:
            text = month.strip().strip("{}").strip().rstrip(".").lower()
            number = int(text) if text.isdigit() and 1 <= int(text) <= 12 else MONTHS.get(text)
            if number is None:
                self.note("bibtex.date", "warning", f"the month '{month}' is not a month; it is not read",
                          values["month"].start_line, f"{key}.month")
        return int(match.group(1)), PartialDate(int(match.group(1)), number)


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
    """A better language for Cyrillic text filed under a Latin-script language or, with Kazakh-only
    letters, under Russian: the trace of a fallback the writer reported (a kk journal title in
    the English file). None when the label fits."""
    if not any(char.isalpha() for char in text) or derive.is_latin(text):
        return None
    guess = derive.guess_language(text)
    if derive.usual_script(label) == "Latn" or (ids.primary_language(label) == "ru" and guess == "kk"):
        return guess
    return None


def _by_language(found: list[_Read], value, file: str, what: str, problems: list[Problem]) -> LangText:
    """The texts of the entries (journal titles, publishers) by the language each was shown in.

    An entry with other ISSNs than the first is another journal: reported, not merged. In a
    file of one language, a text whose letters contradict that language (a kk journal title
    in the English file, a fallback the writer reported) is filed under the language its
    letters suggest.
    """
    first_issns = [issn.value for issn in found[0].issns]
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
        if [issn.value for issn in read.issns] != first_issns or texts.setdefault(read.shown_lang, text) != text:
            problems.append(Problem("bibtex.mixed-issue", "warning", f"the entry at line {line(read.line)} names "
                                    f"another {what} ({text}) than the first entry; the issue takes the first's",
                                    file=file))
    if len(texts) > 1 and not first_issns:
        problems.append(Problem("bibtex.journal-languages", "info", f"the entries name the {what} in several "
                                f"languages ({', '.join(texts)}); without an ISSN to confirm it, they are read as "
                                "one journal's", file=file))
    if len(texts) == 1:
        [(lang, text)] = texts.items()
        texts = {_cyrillic_language(text, lang) or lang: text}
    return LangText.of(texts, original or next(iter(texts), None))


def _file_language(path: Path) -> str | None:
    match = re.search(r"\.([a-z]{2,3}(?:-[A-Za-z]{4})?)\.bib$", Path(path).name)
    if match and ids.language_tag(match.group(1)).ok:
        return ids.language_tag(match.group(1)).value
    return None


def _issue(found: list[_Read], file: str, problems: list[Problem]) -> Issue:
    """The issue the entries come from: the journal and numbers of the first, reported where they differ."""
    first = found[0]
    year = next((read.year for read in found if read.year is not None), None)
    if year is None:
        problems.append(Problem("bibtex.year-missing", "warning", "no entry gives a year", file=file))
    titles = _by_language(found, lambda r: r.journal, file, "journal", problems)
    publishers = _by_language(found, lambda r: r.publisher, file, "publisher", problems)
    numbers = {(read.volume, read.number) for read in found}
    if len(numbers) > 1:
        lines = [str(line(read.line)) for read in found if (read.volume, read.number) != (first.volume, first.number)]
        which = f"the entry at line {lines[0]}" if len(lines) == 1 else f"the entries at lines {', '.join(lines)}"
        problems.append(Problem("bibtex.mixed-issue", "warning", f"the entries come from different volumes or issue "
                                f"numbers ({which} differ from the first); the issue takes the first entry's",
                                file=file))
    journal = Journal(titles=titles, language=titles.original, issns=first.issns,
                      abbreviation=next((read.abbreviation for read in found if read.abbreviation), None))
    if publishers:
        journal.publisher = Publisher(publishers)
    return Issue(journal=journal, year=year or 0, number=first.number, volume=first.volume)


def iter_read(path: Path) -> ArticleReading:
    """A .bib file's articles, one per usable entry, in an issue with the journal and year of the first.

    The whole text is read and parsed before the first article is yielded (see the module's docstring).
    """
    path = Path(path)

    def articles(reading: ArticleReading) -> Iterator[Article]:
        text, problems = read_text(path)
        reading.problems += problems
        if text is None:
            return
        reader = _Reader(str(path), _file_language(path))
        found = reader.blocks(parse(text))
        reading.problems += reader.problems
        if not found:
            reading.problems.append(Problem("bibtex.no-entries", "error", "the file has no entry biblio can read "
                                            "as an article", file=str(path)))
            return
        issue = reading.issue = _issue(found, str(path), reading.problems)
        for read in found:
            date = read.date
            if date and (date.month is not None or date.year != issue.year):
                read.article.dates = ArticleDates(published=date)
            yield read.article

    return ArticleReading(articles)
