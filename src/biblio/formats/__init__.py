"""The format registry: one entry per format, shared by the API and the CLI.

Each format is a package (``formats/crossref``, ``formats/jats`` ...) that declares its
field mapping once and registers a ``Format``:

- ``writer(issue, output, lang=None)`` opens a push-style ``Writer``. The build hands it
  the articles one at a time (``add(index, article)``, ``index`` being the article's
  0-based position in the issue, for ``{seq}`` and for messages), then ``close()``, which
  finishes the file(s) and returns the problems: language fallbacks, what the format
  cannot carry, errors that stop a file. ``issue`` gives the issue's facts (journal,
  numbers, settings); a writer never looks into ``issue.articles``, so the same writer
  serves an issue held in memory and one streamed from a large manifest.
- The writer names its own files and opens them through ``output.open(name)``: a folder
  being staged by the build, or memory for ``dumps``.
- ``validate(path)`` checks one written file against the format's official schema (or,
  without one, by re-reading it); ``detect(path)`` tells whether a file is in the format;
  ``iter_read(path)``, where the format has a reader, reads a file back one article at a
  time (``read`` collects it). A record that is not a journal article (a book, chapter, thesis, report, web page …)
  is no article of any issue: the reader keeps it as a ``Work`` (``ArticleReading.works``).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol

from ..model import Article, Issue, PersonName, Reference
from ..problems import Problem


class Output(Protocol):
    """Where a writer puts its files: ``open(name)`` gives a binary stream for a file name."""

    def open(self, name: str) -> BinaryIO:
        """A new binary stream for the file ``name``; the writer closes it."""


class Writer(Protocol):
    """One format's writing of one issue (in one language, for the citation formats)."""

    def add(self, index: int, article: Article) -> None:
        """Write one article (``index``: its 0-based position in the issue)."""

    def close(self) -> list[Problem]:
        """Finish the file(s); what could not be carried, and any error that stops a file."""


@dataclass
class Work:
    """A record that is not a journal article, read as the cited-work model ``Reference`` (its ``type`` one of
    ``model.REFERENCE_TYPES``; ``authors`` as ``Family, Given``, a group without a comma): it belongs to no issue.
    ``line``: where its record starts; ``name``: how a message names it (``entry 'key'``, ``record 3``, ``item 'id'``);
    ``kind``: the record's own type, as the file writes it (``@phdthesis``, ``THES``, ``thesis``); ``editors``: its
    editors, as ``authors`` (``Reference`` has none: a book of collected papers is known by its editors)."""

    reference: Reference
    line: int | None
    name: str
    kind: str
    editors: list[str] = field(default_factory=list)


def author_name(author: str) -> PersonName | str:
    """A work's author (``Reference.authors``) as a person, or a group's name (several words without a comma)."""
    family, comma, given = author.partition(",")
    if comma and family.strip():
        return PersonName(family.strip(), given.strip() or None)
    text = (given if comma else author).strip()
    return PersonName(text) if len(text.split()) == 1 else text


def author_text(name: PersonName | str) -> str:
    """``author_name`` turned back into a ``Reference.authors`` entry."""
    if isinstance(name, str):
        return name
    return f"{name.family}, {name.given}" if name.given else name.family


def _listed(works: list[Work], shown: int = 5) -> str:
    """``book at line 3 (entry 'a'), …`` for the first few works."""
    text = ", ".join(f"{w.reference.type} at line {w.line} ({w.name})" for w in works[:shown])
    return text + (f" and {len(works) - shown} more" if len(works) > shown else "")


class ArticleReading:
    """Iterate for the articles, one at a time; `problems` grows as they are read; `issue` is the issue of the article
    just read, without its articles (None before the first, and None at the end when the reader gave up or read none).

    A reader of millions of records cannot hand back a whole issue: the caller keeps what it wants of each article.
    ``articles(reading)`` is the format's generator; before yielding an article it sets ``issue`` to the issue the
    record belongs to (one ``Issue`` object per issue: ``issue_key``) and ``line`` to the record's line. Later records
    may still add to an issue (its journal title in another language), so it is complete only once the iteration is
    exhausted. Iterating gives the articles of one issue: a record of another issue stops it with the error
    ``read.several-issues`` (``records`` and ``catalogue`` give every issue). One pass: a second iteration yields
    nothing. ``works``: the records that are not journal articles, read as they come (none is in an issue); ``name``:
    how messages name the record just read (``entry 'key'``, ``record 3``, ``item 'id'``), as ``line`` its line.
    """

    def __init__(self, articles: Callable[[ArticleReading], Iterator[Article]], file: str | None = None) -> None:
        self.issue: Issue | None = None
        self.line: int | None = None
        self.name: str | None = None
        self.file = file
        self.problems: list[Problem] = []
        self.works: list[Work] = []
        self._articles = articles(self)

    def records(self) -> Iterator[tuple[Issue, Article, int | None]]:
        """Every article with the issue it belongs to and its record's line, whatever the issue."""
        for article in self._articles:
            assert self.issue is not None, "a reader sets the issue before it yields an article"
            yield self.issue, article, self.line

    def __iter__(self) -> Iterator[Article]:
        first = None
        for issue, article, line in self.records():
            if first is not None and issue is not first:
                self.problems.append(Problem(
                    "read.several-issues", "error", f"the file holds records of more than one issue: this record is "
                    f"of {describe(issue)}, the first one of {describe(first)}; one issue is read here (biblio.load), "
                    "so read the file with biblio.load_catalogue, or convert it with biblio convert, which writes "
                    "every issue", file=self.file, line=line))
                self.issue = None
                close = getattr(self._articles, "close", None)
                if close is not None:
                    close()
                return
            first = issue
            yield article
        self._note_works()

    def _note_works(self) -> None:
        """Say what became of the works for a caller that wanted issues: none is in one (an error when there is no
        issue at all, since the file then gives none)."""
        if not self.works:
            return
        where = _listed(self.works)
        if self.issue is None and not any(p.severity == "error" for p in self.problems):
            self.problems.append(Problem("read.works-only", "error", f"the file holds no journal article, only "
                                         f"{len(self.works)} other work(s) ({where}), which are in no issue: read them "
                                         "with biblio.load_works, or convert the file to BibTeX, RIS or CSL-JSON",
                                         file=self.file))
        elif self.issue is not None:
            self.problems.append(Problem("read.works", "info", f"{len(self.works)} record(s) are not journal articles "
                                         f"({where}) and are in no issue; biblio.load_works reads them, and convert "
                                         "writes them to BibTeX, RIS or CSL-JSON as what they are", file=self.file))

    def collect(self) -> tuple[Issue | None, list[Problem]]:
        """Iterate, collect, assemble: the whole issue, as ``read`` returns it."""
        articles = list(self)
        if self.issue is not None:
            self.issue.articles = articles
        return self.issue, self.problems

    def collect_works(self) -> tuple[list[Work], list[Problem]]:
        """Read the whole file for its works (``load_works``): the journal articles are counted, not kept (a note says
        how many, and how to read them)."""
        articles = sum(1 for _ in self.records())
        if articles:
            self.problems.append(Problem("read.articles", "info", f"the file also holds {articles} journal article(s), "
                                         "which are not works: biblio.load_catalogue reads them", file=self.file))
        elif not self.works and not any(p.severity == "error" for p in self.problems):
            self.problems.append(Problem("read.no-works", "info", "the file holds no record that is not a journal "
                                         "article", file=self.file))
        return self.works, self.problems

    def catalogue(self) -> tuple[list[Issue], list[Problem]]:
        """Every issue the file holds, each with its articles, in the order first met (none when the reader gave up)."""
        found = by_issue(self.records())
        self._note_works()
        return ([issue for issue, _ in found] if self.issue is not None else []), self.problems


def by_issue(records: Iterable[tuple[Issue, Article, int | None]]) -> list[tuple[Issue, list[int | None]]]:
    """The records' issues in the order first met, each with its articles set, and the lines of its records."""
    found: dict[int, tuple[Issue, list[int | None]]] = {}
    for issue, article, line in records:
        if id(issue) not in found:
            issue.articles = []
            found[id(issue)] = (issue, [])
        issue.articles.append(article)
        found[id(issue)][1].append(line)
    return list(found.values())


def issue_key(titles: Iterable[str | None], issns: Iterable[str], volume: str | None, number: str | None,
              year: int | None) -> tuple[object, ...]:
    """Which issue a record belongs to: its journal (its ISSNs when it gives any, else its title, case aside), volume
    and number, each as the record gives it, and whether it gives a year. Records that agree on these but give other
    years (an article online the year before its issue) are one issue, whose year is its first record's; each keeps
    its own date. A record that lacks one of them (no year, say) is in an issue with the records that lack it too and
    agree on the rest, never in one that has it: nothing is taken from another record."""
    journal: object = tuple(sorted(set(issns))) or next((t.casefold().strip() for t in titles if t), "")
    return (journal, *((value or "").casefold().strip() for value in (volume, number)), bool(year))


class Grouper:
    """``issue_key`` as records come, with one more rule for a journal without ISSNs: a record naming it in a
    language its issue has no title in yet joins that issue when exactly one such issue agrees on volume, number and
    year (biblio's own files show each article's journal title in the article's language); else it is alone."""

    def __init__(self) -> None:
        # by volume, number and year: each issue's key, the languages and the titles it is named in
        self.titled: dict[tuple[object, ...], list[tuple[tuple[object, ...], set[str], set[object]]]] = {}

    def key(self, lang: str, title: str | None, issns: Iterable[str], volume: str | None, number: str | None,
            year: int | None) -> tuple[object, ...]:
        """The issue of a record whose journal title is shown in ``lang``."""
        key = issue_key([title], issns, volume, number, year)
        if not isinstance(key[0], str) or not key[0]:
            return key
        issues = self.titled.setdefault(key[1:], [])
        named = next((known for known, _, titles in issues if key[0] in titles), None)
        if named is not None:
            return named
        if len(issues) == 1 and lang not in issues[0][1]:
            issues[0][1].add(lang)
            issues[0][2].add(key[0])
            return issues[0][0]
        issues.append((key, {lang}, {key[0]}))
        return key


def describe(issue: Issue) -> str:
    """An issue as a problem names it: ``Journal vol. 3 no. 2 (2024)``."""
    parts = [f"'{issue.journal.titles.main}'" if issue.journal.titles.main else "no journal title"]
    parts += [f"{name} {value}" for name, value in (("vol.", issue.volume), ("no.", issue.number)) if value]
    return " ".join(parts) + (f" ({issue.year})" if issue.year else " (no year)")


@dataclass(frozen=True)
class Format:
    """What biblio needs to know about one format (see the module's docstring).

    ``per_language``: the format carries one language per item, so a build writes it once in each article's own language
    (``lang=None``) and once per language of the issue. ``single_file``: the writer makes one file (the citation
    formats, Crossref); else one file per article (JATS). ``check``: the problems that stop the writer, found on the
    model (the writer reports the same ones), so that ``biblio check`` gives a build's verdict.
    """

    name: str
    description: str
    writer: Callable[..., Writer]  # writer(issue, output, lang=None)
    validate: Callable[[Path], list[Problem]]
    detect: Callable[[Path], bool]
    iter_read: Callable[[Path], ArticleReading] | None = None
    per_language: bool = False
    single_file: bool = True
    check: Callable[[Issue], list[Problem]] | None = None  # what the writer would refuse, found on the model

    def read(self, path: Path) -> tuple[Issue | None, list[Problem]]:
        """A file of this format back into the model (None when it has no reader)."""
        if self.iter_read is None:
            raise ValueError(f"the {self.name} format has no reader")
        return self.iter_read(Path(path)).collect()


class _KeptBytes(io.BytesIO):
    """A BytesIO whose bytes outlive its closing."""

    value = b""

    def close(self) -> None:
        if not self.closed:
            self.value = self.getvalue()
        super().close()


class MemoryOutput:
    """An ``Output`` kept in memory: each file's bytes by name, in the order opened."""

    def __init__(self) -> None:
        self.streams: dict[str, _KeptBytes] = {}
        self.opened: list[tuple[str, _KeptBytes]] = []  # every stream, a name opened twice included

    def open(self, name: str) -> BinaryIO:
        """A stream kept in memory under ``name``."""
        stream = self.streams[name] = _KeptBytes()
        self.opened.append((name, stream))
        return stream

    def listed(self) -> list[tuple[str, bytes]]:
        """Every file's name and bytes, in the order opened, a name opened again listed again."""
        return [(name, stream.value if stream.closed else stream.getvalue()) for name, stream in self.opened]

    def files(self) -> dict[str, bytes]:
        """Each file's bytes so far, by name."""
        return {name: stream.value if stream.closed else stream.getvalue() for name, stream in self.streams.items()}


def dumps(fmt: Format, issue: Issue, *, lang: str | None = None) -> tuple[dict[str, bytes], list[Problem]]:
    """The files a format makes of an issue held in memory, by name, and the problems."""
    output = MemoryOutput()
    writer = fmt.writer(issue, output, lang=lang)
    for index, article in enumerate(issue.articles):
        writer.add(index, article)
    problems = writer.close()
    return output.files(), problems


_REGISTRY: dict[str, Format] = {}


def register(fmt: Format, *, replace: bool = False) -> Format:
    """Add a format (at the end of the order), or with ``replace`` put it in place of the one
    registered under its name."""
    if fmt.name in _REGISTRY and not replace:
        raise ValueError(f"format {fmt.name!r} is registered twice")
    _REGISTRY[fmt.name] = fmt
    return fmt


def unregister(name: str) -> None:
    """Remove a format from the registry (a test, or a program that wants fewer formats)."""
    _REGISTRY.pop(name, None)


def registered() -> list[Format]:
    """The formats in registration order."""
    return list(_REGISTRY.values())


def get(name: str) -> Format | None:
    """The format registered under ``name``, or None."""
    return _REGISTRY.get(name)


def detect(path: Path) -> Format | None:
    """The registered format a file is written in, or None."""
    return next((fmt for fmt in _REGISTRY.values() if fmt.detect(path)), None)


def _register_builtin() -> None:
    from . import bibtex, crossref, csl, jats, ris

    for package in (crossref, jats, csl, bibtex, ris):
        register(package.FORMAT)


_register_builtin()
