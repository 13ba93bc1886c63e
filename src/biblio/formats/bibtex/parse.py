"""Reading a .bib file's text and parsing it with bibtexparser: what the validator and the reader share."""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Mapping
from pathlib import Path

from bibtexparser.entrypoint import parse_string
from bibtexparser.library import Library
from bibtexparser.middlewares.parsestack import default_parse_stack
from bibtexparser.model import Block, Entry, ExplicitComment, Field, ImplicitComment, ParsingFailedBlock

from ...fileio import bom_encoding
from ...problems import Problem, Severity
from .mapping import MONTH_MACROS
from .tex import brace_depths

# "type{key,", "field = {" or "field = \"" anywhere, or a line "field = value," with a bare number or macro
# (month = jun,)
_ENTRY_LIKE = re.compile(r"(?m)^\s*@?\w+\s*\{\s*[^\s,{}]+\s*,|\b\w+\s*=\s*[{\"]|^\s*\w+\s*=\s*\w+\s*,?\s*$")


def read_text(path: Path, bom_severity: Severity = "warning") -> tuple[str | None, list[Problem]]:
    """The file's text (UTF-8; UTF-16 or UTF-32 with a byte-order mark, reported with ``bom_severity``; else
    Windows-1252 with a warning), or None and why not."""
    file = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        return None, [Problem("bibtex.io", "error", f"cannot read the file: {error.strerror or error}", file=file)]
    problems = []
    if (encoding := bom_encoding(data)) not in (None, "utf-8"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as error:
            line = data[:error.start].decode(encoding, errors="replace").count("\n") + 1
            return None, [Problem("bibtex.encoding", "error", f"the file starts as {encoding.upper()} but is not "
                                  f"{encoding.upper()} here: save it as UTF-8", file=file, line=line)]
        problems.append(Problem("bibtex.encoding", bom_severity, f"the file is {encoding.upper()}; biblio reads it, "
                                "but BibTeX and biber read UTF-8: save it as UTF-8", file=file, line=1))
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            text = data.decode("cp1252", errors="replace")
            problems.append(Problem(
                "bibtex.encoding", "warning", "the file is not UTF-8; it is read as Windows-1252 (Latin-1): check "
                "accented letters, and save it as UTF-8", file=file, line=data[:error.start].count(b"\n") + 1))
    if (nul := text.find("\0")) >= 0:  # never in a .bib file: UTF-16 without a byte-order mark, or not text
        return None, [Problem("bibtex.encoding", "error", "the file has NUL characters: it is not a text file, or "
                              "UTF-16 without a byte-order mark; save it as UTF-8", file=file,
                              line=text.count("\n", 0, nul) + 1)]
    return text, problems


def parse(text: str, *, raw: bool = False, problems: list[Problem] | None = None, file: str | None = None) -> Library:
    """The blocks of a text; ``raw`` keeps the values as written (enclosing braces or quotes included), else each
    entry has what it inherits (``inherit``; its warnings go to ``problems``, naming ``file``).
    bibtexparser logs every syntax error: silenced, as biblio reports them as problems."""
    logger = logging.getLogger("bibtexparser")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        library = parse_string(text, parse_stack=[])
    finally:
        logger.setLevel(level)
    return library if raw else cook(library, problems, file)


def cook(library: Library, problems: list[Problem] | None = None, file: str | None = None) -> Library:
    """A raw parse's library (``parse(raw=True)``) as ``parse`` gives it: @string names resolved, values without
    their enclosing braces or quotes, each entry with what it inherits (its warnings go to ``problems``)."""
    for middleware in default_parse_stack(allow_inplace_modification=True):
        library = middleware.transform(library=library)
    found = inherit(library, file)
    if problems is not None:
        problems += found
    return library


# --- crossref and xdata: the fields an entry inherits ---------------------------------------------

# What biblatex never inherits (its \noinherit list for every pair of types), and what names the parent record
# itself rather than the book or proceedings that hold the child: a paper is not its proceedings' DOI or abstract.
_NOT_INHERITED = frozenset({
    "ids", "crossref", "xref", "xdata", "entryset", "entrysubtype", "execute", "label", "options", "presort", "related",
    "relatedoptions", "relatedstring", "relatedtype", "shorthand", "shorthandintro", "sortkey"})
_OWN = frozenset({"doi", "url", "urldate", "eprint", "eprinttype", "eprintclass", "archiveprefix", "primaryclass",
                  "abstract", "keywords", "file", "annotation", "pages", "pagetotal"})
# Names of one fact (biber's aliases; a date gives the year and month): a child with one of them takes none of them.
_ALIASES = ({"date", "year", "month", "day"}, {"journal", "journaltitle"}, {"address", "location"},
            {"school", "institution"}, {"annote", "annotation"})
_TITLES = ("title", "subtitle", "titleaddon")
_SHORT_TITLES = ("shorttitle", "sorttitle", "indextitle", "indexsorttitle")  # the parent's, never the child's
_PARTS = frozenset({"inbook", "bookinbook", "suppbook", "incollection", "inreference", "suppcollection",
                    "inproceedings", "conference"})  # conference: BibTeX's other name for inproceedings


def _renamed(parent: str, child: str) -> dict[str, tuple[str, ...]]:
    """biblatex's inheritance table for a parent and a child type (BibTeX's ``@incollection`` of a ``@book`` as
    biblatex's of a ``@collection``): the parent fields that go to other fields of the child, and those not taken."""
    prefix = None
    if parent.startswith("mv") and child in _PARTS | {"book", "collection", "reference", "proceedings"}:
        prefix = "main"
    elif parent in ("book", "collection", "reference", "proceedings") and child in _PARTS:
        prefix = "book"
    elif parent == "periodical" and child in ("article", "suppperiodical"):
        prefix = "journal"
    if prefix is None:
        return {}
    renamed: dict[str, tuple[str, ...]] = {name: (prefix + name,) for name in _TITLES}
    if parent in ("book", "mvbook") and child in ("inbook", "bookinbook", "suppbook"):
        renamed["author"] = ("author", "bookauthor")
    return renamed | {name: () for name in _SHORT_TITLES}


def _field(entry: Entry, name: str) -> Field | None:
    return next((item for item in entry.fields if item.key.lower() == name and str(item.value).strip()), None)


def _take(child: Entry, parent: Entry, renamed: Mapping[str, tuple[str, ...]], skip: frozenset[str]) -> None:
    """Copy to ``child`` the fields of ``parent`` it lacks: the renamed ones first, then each under its own name."""
    have = {item.key.lower() for item in child.fields if str(item.value).strip()}
    have.update(*(group for group in _ALIASES if not have.isdisjoint(group)))
    for pass_renamed in (True, False):
        for item in list(parent.fields):
            name = item.key.lower()
            if (name in renamed) != pass_renamed or not str(item.value).strip():
                continue
            for target in renamed[name] if pass_renamed else () if name in skip else (name,):
                if target not in have:
                    have.add(target)
                    taken = copy.copy(item)  # its line stays the parent's: where the value is written
                    taken.key = target
                    child.fields = [other for other in child.fields if other.key.lower() != target] + [taken]


def inherit(library: Library, file: str | None = None) -> list[Problem]:
    """Give each entry the fields it lacks from the entries it names, as biber does, before anything is read:
    from each ``@xdata`` entry of its ``xdata`` list (every field), then from its ``crossref`` entry (biblatex's
    inheritance table: a ``@proceedings`` title is an ``@inproceedings`` booktitle; the publisher, year, editor,
    address, volume … as they are; never the parent's own DOI, URL, pages or abstract). A parent inherits first. A key
    the file lacks, or entries naming each other in a loop, are warnings; nothing is taken from another entry."""
    entries = library.entries
    by_key: dict[str, Entry] = {}
    for entry in entries:  # by its key, and by the other keys biblatex's ids field gives it
        ids = _field(entry, "ids")
        for key in [entry.key, *(str(ids.value).split(",") if ids else [])]:
            by_key.setdefault(key.strip(), entry)
            by_key.setdefault(key.strip().casefold(), entry)  # BibTeX's keys ignore case
    problems: list[Problem] = []

    def warn(entry: Entry, message: str, at: int | None) -> None:
        problems.append(Problem("bibtex.crossref", "warning", message, path=entry.key, file=file, line=line(at)))

    def named(entry: Entry) -> list[tuple[Entry, str]]:
        found = []
        for kind in ("xdata", "crossref"):
            if (item := _field(entry, kind)) is None:
                continue
            for key in str(item.value).split(",") if kind == "xdata" else [str(item.value)]:
                key = key.strip()
                parent = by_key.get(key) or by_key.get(key.casefold())
                if parent is None:
                    warn(entry, f"the entry '{entry.key}' names '{key}' in its {kind} field, but the file has no "
                         f"entry '{key}': the fields it would inherit from it are missing; add that entry or remove "
                         f"the {kind} field", item.start_line)
                else:
                    found.append((parent, kind))
        return found

    state: dict[int, int] = {}  # 1: its parents are being resolved; 2: done
    parents: dict[int, list[tuple[Entry, str]]] = {}
    for root in entries:
        stack = [root]
        while stack:  # depth first without recursion: a chain of crossrefs may be long
            entry = stack[-1]
            if state.get(id(entry)) == 2:
                stack.pop()
            elif state.get(id(entry)) is None:
                state[id(entry)] = 1
                parents[id(entry)] = named(entry)
                for parent, kind in parents[id(entry)]:
                    if state.get(id(parent)) == 1:
                        warn(entry, f"the entry '{entry.key}' inherits from itself through {kind} (by way of "
                             f"'{parent.key}'): it takes nothing from '{parent.key}'", entry.start_line)
                    else:
                        stack.append(parent)
            else:
                for parent, kind in parents[id(entry)]:
                    if state.get(id(parent)) == 2:
                        crossref = kind == "crossref"
                        renamed = _renamed(parent.entry_type.lower(), entry.entry_type.lower()) if crossref else {}
                        _take(entry, parent, renamed, _NOT_INHERITED | _OWN if crossref else _NOT_INHERITED)
                state[id(entry)] = 2
                stack.pop()
    return problems


def failure(block: ParsingFailedBlock) -> str:
    """Why bibtexparser could not read a block."""
    return (getattr(block.error, "abort_reason", None) or str(block.error)).strip()


def looks_like_entry(block: Block) -> bool:
    """Text outside any entry that looks like one: "type{key," or "field = {"."""
    return isinstance(block, ExplicitComment | ImplicitComment) and bool(_ENTRY_LIKE.search(block.comment))


def stray_brace(block: Block) -> bool:
    """Text outside any entry with a ``}`` that closes nothing: an extra one, which ended the entry before early."""
    return isinstance(block, ImplicitComment) and min(brace_depths(block.comment), default=0) < 0


def line(number: int | None) -> int | None:
    """A bibtexparser line (counted from 0) as a 1-based line."""
    return number + 1 if number is not None else None


# --- values made of pieces joined with # ---------------------------------------------------------

MACRO_NAME = re.compile(r"[^\s\"#%'(),={}0-9][^\s\"#%'(),={}]*|[0-9]+")
_QUOTE_MARK = re.compile(r'[{}"]')
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December")  # what BibTeX's standard styles define jan ... dec as


def past_space(value: str, position: int) -> int:
    """Where the white space at ``position`` ends (as far as \\s* matches)."""
    return len(value) - len(value[position:].lstrip())


def group_end(value: str, start: int) -> int | None:
    """The end of the ``{…}`` or ``"…"`` that opens at ``start``; None for a quote never closed."""
    quoted, depth = value[start] == '"', 0
    for mark in _QUOTE_MARK.finditer(value, start + quoted):
        if quoted and mark.group() == '"' and depth == 0:
            return mark.end()
        depth += {"{": 1, "}": -1}.get(mark.group(), 0)
        if depth == 0 and not quoted:
            return mark.end()
    return None if quoted else len(value)


def concatenate(value: str, strings: Mapping[str, str]) -> tuple[str, list[str]] | None:
    """The text of a value made of pieces joined with ``#`` (``{braced}``, ``"quoted"``, numbers, @string names,
    month macros), as BibTeX joins them, and the names no @string defines (kept as written); None when the
    value is not such pieces."""
    pieces, undefined, position = [], [], 0
    while True:
        position = past_space(value, position)
        if position == len(value):
            return None
        if value[position] in '{"':
            end = group_end(value, position)
            if end is None:
                return None
            pieces.append(value[position + 1:end - 1])
        elif (match := MACRO_NAME.match(value, position)) is not None:
            end, name = match.end(), match.group()
            month = _MONTH_NAMES[MONTH_MACROS.index(name.lower())] if name.lower() in MONTH_MACROS else None
            known = strings.get(name.lower(), month)
            if known is None and not name.isdigit():
                undefined.append(name)
            pieces.append(name if known is None else known)
        else:
            return None
        position = past_space(value, end)
        if position == len(value):
            return "".join(pieces), undefined
        if value[position] != "#":
            return None
        position += 1


def strings(library: Library) -> dict[str, str]:
    """The file's @string values by lower-case name, each joined as BibTeX would (a @string may join earlier ones)."""
    known: dict[str, str] = {}
    for string in library.strings:
        value = str(string.value)
        joined = concatenate(value, known) if string.enclosing == "no-enclosing" and "#" in value else None
        known[string.key.lower()] = joined[0] if joined is not None else value
    return known
