"""Reading a .bib file's text and parsing it with bibtexparser: what the validator and the reader share."""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Mapping
from pathlib import Path

from bibtexparser.entrypoint import parse_string
from bibtexparser.library import Library
from bibtexparser.model import Block, ExplicitComment, ImplicitComment, ParsingFailedBlock

from ...problems import Problem, Severity
from .mapping import MONTH_MACROS
from .tex import brace_depths

_ENTRY_LIKE = re.compile(r"(?m)^\s*@?\w+\s*\{\s*[^\s,{}]+\s*,|\b\w+\s*=\s*[{\"]")


# Byte-order marks of the encodings other than UTF-8 that editors save text in (UTF-32's first: it starts as UTF-16's).
BOMS = {codecs.BOM_UTF32_LE: "utf-32", codecs.BOM_UTF32_BE: "utf-32", codecs.BOM_UTF16_LE: "utf-16",
        codecs.BOM_UTF16_BE: "utf-16"}


def bom_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark at the start of ``data`` names (UTF-16 or UTF-32), or None."""
    return next((encoding for bom, encoding in BOMS.items() if data.startswith(bom)), None)


def read_text(path: Path, bom_severity: Severity = "warning") -> tuple[str | None, list[Problem]]:
    """The file's text (UTF-8; UTF-16 or UTF-32 with a byte-order mark, reported with ``bom_severity``; else
    Windows-1252 with a warning), or None and why not."""
    file = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        return None, [Problem("bibtex.io", "error", f"cannot read the file: {error.strerror or error}", file=file)]
    problems = []
    if (encoding := bom_encoding(data)) is not None:
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


def parse(text: str, *, raw: bool = False) -> Library:
    """The blocks of a text; ``raw`` keeps the values as written (enclosing braces or quotes included).
    bibtexparser logs every syntax error: silenced, as biblio reports them as problems."""
    logger = logging.getLogger("bibtexparser")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        return parse_string(text, parse_stack=[] if raw else None)
    finally:
        logger.setLevel(level)


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
