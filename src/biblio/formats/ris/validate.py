"""Validating RIS (there is no schema): UTF-8, record structure, tag syntax, required tags, known
tags and readable values, each problem on its line. The file is read a chunk at a time by the
line scanner and each record checked when it ends, so memory does not grow with the file."""

from __future__ import annotations

import functools
import itertools
import re
from pathlib import Path

from ... import ids
from ...fileio import read_text_head
from ...problems import Problem, Severity, sort_key
from .mapping import JOURNAL_TYPES, READ, SINGLE_TAGS, TAGS, TYPES
from .parse import WOS_RECORD, Record, parse_date, scan, text_lines

_TITLE_TAGS = (*READ["title"], "CT", "BT")  # a title of any record type
_JOURNAL_TAGS = READ["journal"]
_DATE_TAGS = READ["date"]
_AUTHOR_TAGS = READ["authors"]
_ISSN_SEPARATORS = re.compile(r"[\s,;]+")
_TAG_LINE = re.compile(r"\s*[A-Z][A-Z0-9] {1,2}-(?: |$)")
_DETECT = re.compile(r"\s*TY {1,2}- ?")
_HEADER_LINES = 20  # at most this many non-empty lines before the first TY (a database's header, Ovid's "1.")

# Every record of an issue repeats its dates and ISSNs: each value is judged once per process.
_readable_date = functools.lru_cache(maxsize=4096)(lambda value: parse_date(value) is not None)


@functools.lru_cache(maxsize=4096)
def _bad_issns(value: str) -> tuple[ids.IdCheck, ...]:
    """The checks of an SN value's ISSNs that fail, in order."""
    return tuple(checked for part in _ISSN_SEPARATORS.split(value) if part and not (checked := ids.issn(part)).ok)


def detect(path: Path) -> bool:
    """A RIS file: text with a ``TY  - `` line among its first non-empty lines (a byte-order mark allowed, UTF-16 too),
    before any other tag line: header lines (``Provider: …``, a search, Web of Science's ``FN``/``VR``) and Ovid's
    record numbers (``1.``) may come first; a rare NUL too (not in the ``TY`` line). Web of Science's own tagged
    format (``PT J`` … ``ER``) is taken too, so that reading it says what it is and how to export RIS instead."""
    text = read_text_head(path, 8192)
    if text is None or text.count("\x00") * 20 > len(text):  # UTF-16 without a byte-order mark, or binary: a NUL
        return False  # here and there is a RIS file's fault, which validating and reading report at its line
    lines = (line for line in text.splitlines() if line.strip())
    for line in itertools.islice(lines, _HEADER_LINES):
        if (_DETECT.match(line) or WOS_RECORD.fullmatch(line)) and "\x00" not in line:
            return True
        if _TAG_LINE.match(line):
            return False
    return False


def validate(path: Path) -> list[Problem]:
    """The file's problems, sorted by line: structure first, then each record's, then unknown tags."""
    file = str(path)
    problems: list[Problem] = []
    checks: list[Problem] = []
    unknown: dict[str, list[int]] = {}  # tag: [first line, count]
    count = 0
    try:
        with open(path, "rb") as stream:
            for record in scan(text_lines(stream, file, problems), file, problems):
                count += 1
                checks += _check_record(record, file, unknown)
    except OSError as error:
        return [Problem("ris.io", "error", f"cannot read the file: {error.strerror or error}", file=file)]
    if not count:
        problems.append(Problem("ris.empty", "error", "the file holds no RIS record (a record starts with "
                                "'TY  - JOUR' and ends with 'ER  - ')", file=file, line=1))
    problems += checks
    problems += [Problem("ris.tag-unknown", "warning", f"{tag} is not a RIS tag ({n} time(s)); readers ignore "
                         "it or keep it as a note", file=file, line=line) for tag, (line, n) in unknown.items()]
    return sorted(problems, key=sort_key)


def _check_record(record: Record, file: str, unknown: dict[str, list[int]]) -> list[Problem]:
    """The record's problems: its own (type, required tags) first, then each field's in order; tags
    that are not RIS tags are counted in ``unknown`` (tag: [first line, count])."""
    own: list[Problem] = []
    later: list[Problem] = []
    kind = record.type
    journal = kind is None or kind in JOURNAL_TYPES
    present: set[str] = set()  # the tags with a value
    seen: dict[str, int] = {}  # the line of each tag's first field
    for item in record.fields:
        tag, line = item.tag, item.line
        if tag in seen:
            if tag in SINGLE_TAGS:
                later.append(Problem("ris.tag-repeated", "warning", f"{tag} appears again (first on line "
                                     f"{seen[tag]}); readers keep only one of them", file=file, line=line))
        else:
            seen[tag] = line
            if tag not in TAGS:
                unknown.setdefault(tag, [line, 0])
        if tag in unknown:
            unknown[tag][1] += 1
        value = item.value
        if not value:
            continue
        present.add(tag)
        if tag in _DATE_TAGS:
            if not _readable_date(value):
                later.append(Problem("ris.date", "warning", f"'{value}' is not a date RIS readers understand: "
                                     "write YYYY for PY and YYYY/MM/DD/ for DA (leave unknown parts empty: "
                                     "2025/06//)", file=file, line=line))
        elif tag == "DO":
            if problem := ids.doi(value).problem("warning", file=file, line=line):
                later.append(problem)
        elif tag == "SN" and journal:
            later += [problem for checked in _bad_issns(value)
                      if (problem := checked.problem("warning", file=file, line=line))]

    def own_problem(code: str, severity: Severity, message: str) -> None:
        own.append(Problem(code, severity, message, file=file, line=record.line))

    if kind is not None and kind not in TYPES:
        own_problem("ris.type", "warning", f"'{kind}' is not a RIS record type; readers will take it for a "
                    "generic item (a journal article is 'JOUR')")
    if present.isdisjoint(_TITLE_TAGS):
        own_problem("ris.tag-missing", "error", "the record has no title: add 'TI  - '")
    if journal:
        if present.isdisjoint(_JOURNAL_TAGS):
            own_problem("ris.tag-missing", "error", "the journal article names no journal: add 'T2  - ' (or JO)")
        if present.isdisjoint(_DATE_TAGS):
            own_problem("ris.year-missing", "warning", "the record has no year (readers take it; citations need "
                        "one): add 'PY  - YYYY'")
        if present.isdisjoint(_AUTHOR_TAGS):
            own_problem("ris.author-missing", "warning", "the record names no author (AU): citations will start "
                        "with the title")
    return own + later
