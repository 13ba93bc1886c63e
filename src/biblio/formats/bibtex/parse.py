"""Reading a .bib file's text and parsing it with bibtexparser: what the validator and the reader share."""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import bibtexparser
from bibtexparser.library import Library

from ...problems import Problem

# Text outside any entry that looks like one: "type{key," or "field = {".
ENTRY_LIKE = re.compile(r"(?m)^\s*@?\w+\s*\{\s*[^\s,{}]+\s*,|\b\w+\s*=\s*[{\"]")


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """bibtexparser logs every syntax error; biblio reports them as problems instead."""
    logger = logging.getLogger("bibtexparser")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def read_text(path: Path) -> tuple[str | None, list[Problem]]:
    """The file's text (UTF-8, else Windows-1252 with a warning), or None and why not."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        return None, [Problem("bibtex.io", "error", f"cannot read the file: {error.strerror or error}",
                              file=str(path))]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        return data.decode("cp1252", errors="replace"), [Problem(
            "bibtex.encoding", "warning", "the file is not UTF-8; it is read as Windows-1252 (Latin-1): check "
            "accented letters, and save it as UTF-8", file=str(path), line=line)]


def parse(text: str, *, raw: bool = False) -> Library:
    """The blocks of a text; ``raw`` keeps the values as written (enclosing braces or quotes included)."""
    with _quiet():
        return bibtexparser.parse_string(text, parse_stack=[] if raw else None)


def line(number: int | None) -> int | None:
    """A bibtexparser line (counted from 0) as a 1-based line."""
    return number + 1 if number is not None else None
