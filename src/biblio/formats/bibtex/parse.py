"""Reading a .bib file's text and parsing it with bibtexparser: what the validator and the reader share."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from bibtexparser.entrypoint import parse_string
from bibtexparser.library import Library
from bibtexparser.model import Block, ExplicitComment, ImplicitComment, ParsingFailedBlock

from ...problems import Problem
from .tex import brace_depths

_ENTRY_LIKE = re.compile(r"(?m)^\s*@?\w+\s*\{\s*[^\s,{}]+\s*,|\b\w+\s*=\s*[{\"]")


def read_text(path: Path) -> tuple[str | None, list[Problem]]:
    """The file's text (UTF-8, else Windows-1252 with a warning), or None and why not."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        return None, [Problem("bibtex.io", "error", f"cannot read the file: {error.strerror or error}", file=str(path))]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        return data.decode("cp1252", errors="replace"), [Problem(
            "bibtex.encoding", "warning", "the file is not UTF-8; it is read as Windows-1252 (Latin-1): check "
            "accented letters, and save it as UTF-8", file=str(path), line=line)]


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
