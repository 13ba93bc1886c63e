"""The RIS line scanner of ``validate`` and ``read``: each record handed over as soon as it ends,
so memory does not grow with the file; structure problems carry their line numbers.

Not rispy: it drops a record without ``ER`` or merges it into the next, loses paragraph breaks,
splits URLs at ``;``, reads nothing after a byte-order mark, and gives no line numbers.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from ...fileio import bom_encoding
from ...model import PartialDate
from ...problems import Problem, Severity
from .mapping import MULTILINE_TAGS

# What readers still take for a tag: spaces around the hyphen off by one, leading spaces.
_LOOSE = re.compile(r"^\s*([A-Z][A-Z0-9])(?:\s*-\s+|\s+-\s*|\s*-$)(.*)$")
# Not a tag here, but other readers differ: two digits (Zotero takes them for a tag) or lower case.
_TAGLIKE = re.compile(r"^\s*[A-Za-z0-9]{2} {1,2}-(?: |$)")
# Ovid numbers its records on a line before each: "1." in its RIS export, "<1. >" in its EndNote one.
_NUMBERED = re.compile(r"\s*<?\s*[0-9]+\.\s*>?\s*")
# Web of Science's own tagged export starts each record "PT J" (J journal, B book, S series, P patent): not RIS.
WOS_RECORD = re.compile(r"\s*PT [A-Z]\s*")
_WOS = ("this is Web of Science's tagged plain-text format ('PT J' … 'ER' records), not RIS: biblio does not read it; "
        "in Web of Science, export the records again as RIS (Export → RIS (other reference software)) and read that "
        "file")
_NOT_UTF8 = re.compile("[\udc80-\udcff]")  # the bytes that are not UTF-8, as surrogateescape keeps them
_OUTSIDE = "text between records (after 'ER  - ' and before the next 'TY  - ') belongs to no record and is ignored"
_BEFORE = ("text before the first record (its 'TY  - ' line) belongs to no record and is ignored (a database's "
           "header, say)")
# Characters that may stand where a line end was: controls (VT, FF, U+001C-U+001E and U+0085 end a line for Python's
# str.splitlines, so for some readers), invisible format characters, line and paragraph separators, marks with no
# letter to sit on, and U+FFFD for an unreadable byte. A tag after them is read as the start of a line, and reported
# (``ris.tag-syntax``: an error in validate).
_ODD_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Mn", "Me"})
_TAG = re.compile(r"([A-Z][A-Z0-9])  -(?: |$)")
_TAG_FIRST = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_TAG_SECOND = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


@dataclass(slots=True)
class Field:
    """One tag's value: its line, and the parts (its first line's value, then continuation lines)."""

    tag: str
    line: int
    parts: list[str]

    @property
    def value(self) -> str:
        """The value as readers take it: continuation lines joined (with line breaks in ``MULTILINE_TAGS``)."""
        if len(self.parts) == 1:  # the usual field: one line, already stripped
            return self.parts[0]
        if self.tag in MULTILINE_TAGS:
            return "\n".join(self.parts).strip()
        return " ".join(part for part in self.parts if part).strip()


@dataclass
class Record:
    """One record as scanned: its type (None without ``TY``), its fields in order, and its lines."""

    line: int  # of its TY line, or of its first line when TY is missing
    type: str | None
    fields: list[Field] = field(default_factory=list)
    end: int | None = None  # the line of its ER

    def all(self, *tags: str) -> list[Field]:
        """The non-empty fields with any of ``tags``, in the record's order."""
        return [f for f in self.fields if f.tag in tags and f.value]

    def first(self, *tags: str) -> Field | None:
        """The first non-empty field among ``tags``, in the order the tags are given."""
        return next((f for tag in tags for f in self.fields if f.tag == tag and f.value), None)

    def value(self, tag: str) -> str | None:
        """The value of the first non-empty ``tag`` field, if any."""
        return found.value if (found := self.first(tag)) else None


def text_lines(stream: BinaryIO, file: str, problems: list[Problem]) -> Iterator[str]:
    """The file's UTF-8 lines without a byte-order mark, split at CRLF, CR or LF only (str.splitlines
    would also split at U+2028 and friends), read a chunk at a time.

    The first byte that is not UTF-8 is a ``ris.encoding`` error on its line (counted in LFs);
    what cannot be read is shown as U+FFFD, as the "replace" decoding shows it. A file with a UTF-16 or
    UTF-32 byte-order mark (saved so by a Windows tool) is read as such, with a warning.
    """
    encoding = bom_encoding(stream.read(4)) if stream.seekable() else None
    if stream.seekable():
        stream.seek(0)
    wide = encoding in ("utf-16", "utf-32")
    if wide:
        problems.append(Problem("ris.encoding", "warning", f"the file is {str(encoding).upper()}; biblio reads it, "
                                "but RIS readers expect UTF-8: save it as UTF-8", file=file, line=1))
    newlines = 0  # in the lines before this one
    reported = False
    nul_lines: list[int] = []
    for line in io.TextIOWrapper(stream, encoding=encoding if wide else "utf-8-sig",
                                 errors="replace" if wide else "surrogateescape", newline=""):
        if wide and not reported and "\ufffd" in line:
            problems.append(Problem("ris.encoding", "error", f"the file starts as {str(encoding).upper()} but "
                                    "a character here cannot be read: save it as UTF-8", file=file, line=newlines + 1))
            reported = True
        elif _NOT_UTF8.search(line):
            if not reported:  # first among the problems of its line once they are sorted
                problems.insert(0, Problem("ris.encoding", "error", "the file is not UTF-8 (a byte here cannot be "
                                           "read); save it as UTF-8 — unreadable characters are shown as '\ufffd'",
                                           file=file, line=newlines + 1))
                reported = True
            line = line.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        if "\x00" in line:  # never in a text file: reported at its first line, and removed
            nul_lines.append(newlines + 1)
            line = line.replace("\x00", "")
        newlines += line.endswith("\n")
        yield line.rstrip("\r\n")
    if nul_lines:
        more = f" (and on {len(nul_lines) - 1} more line(s))" if len(nul_lines) > 1 else ""
        problems.append(Problem("ris.encoding", "error", f"this line holds a NUL character (U+0000){more}, which no "
                                "text file holds (a binary file, or one saved as UTF-16 without a byte-order mark?): "
                                "remove it; it is read without it", file=file, line=nul_lines[0]))


def _odd(char: str) -> bool:
    """A character that may stand where a line end was (``_ODD_CATEGORIES``), or an unreadable byte's U+FFFD."""
    return unicodedata.category(char) in _ODD_CATEGORIES or char == "\ufffd"


def _cut(raw: str, number: int, problem: Callable[[str, Severity, str, int], None]) -> list[str]:
    """A line holding a tag (``XX  - ``) after its start: cut where odd characters (``_odd``) stand before the tag,
    which then starts a line of its own. A tag after ordinary text stays text (a tag starts a line), and is said."""
    pieces, start, inside = [], 0, None
    for tag in _TAG.finditer(raw, 1):
        cut = tag.start()
        while cut > start and (raw[cut - 1].isspace() or _odd(raw[cut - 1])):
            cut -= 1
        odd = [char for char in dict.fromkeys(raw[cut:tag.start()]) if _odd(char)]
        before = raw[start:cut]
        if not odd:
            inside = inside or (tag.group() if before.strip() else None)
            continue
        shown = ", ".join(f"U+{ord(char):04X}" for char in odd)
        problem("ris.tag-syntax", "error", f"{shown} {'inside' if before.strip() else 'at the start of'} this line "
                f"stands before the tag '{tag.group(1)}  - ': some readers start a new line there, others read on "
                "(biblio reads a new field): remove it, and start the tag on a line of its own", number)
        if before.strip():
            pieces.append(before)
        start, inside = tag.start(), None
    if inside:
        problem("ris.tag-inside", "warning", f"'{inside}' inside this line is read as text (a tag starts a line): if "
                "it starts a field whose line end was lost, put it on a line of its own", number)
    return [*pieces, raw[start:]]


def scan(lines: Iterable[str], file: str, problems: list[Problem]) -> Iterator[Record]:
    """Each record as soon as it ends; structure problems go to ``problems`` in the order found."""
    current: Record | None = None
    fields: list[Field] | None = None  # the current record's, while there is one
    outside_from: int | None = None
    numbered = False
    started = False  # a record has begun: text outside one is between records, not before the first

    def problem(code: str, severity: Severity, message: str, line: int) -> None:
        problems.append(Problem(code, severity, message, file=file, line=line))

    for number, whole in enumerate(lines, 1):
        for raw in (whole,) if whole.rfind("  -") < 3 else _cut(whole, number, problem):  # usually: the line
            # The usual line, a strict tag line (two spaces, a hyphen, a space), without a regular expression.
            if (raw[2:6] == "  - " or raw[2:] == "  -") and raw[0] in _TAG_FIRST and raw[1] in _TAG_SECOND:
                tag, value, strict = raw[:2], raw[6:].strip(), True
                if fields is not None and tag != "TY" and tag != "ER":  # a field of the record: nothing else to do
                    fields.append(Field(tag, number, [value]))
                    continue
            elif loose := _LOOSE.match(raw):
                tag, value, strict = loose.group(1), (loose.group(2) or "").strip(), False
            else:
                tag = None
            if tag is not None:
                if not strict:
                    problem("ris.tag-syntax", "error", f"'{raw.strip()}' is not a tag line every reader understands: "
                            f"write the tag, two spaces, a hyphen and a space ('{tag}  - value')", number)
                if outside_from is not None:
                    problem("ris.outside-record", "warning", _OUTSIDE if started else _BEFORE, outside_from)
                    outside_from = None
                if tag == "TY":
                    if current is not None:
                        problem("ris.record-end", "error", f"the record that starts on line {current.line} has no "
                                f"'ER  - ' line before the next record (line {number})", current.line)
                        yield current
                    current, started = Record(number, value or None), True
                    fields = current.fields
                elif tag == "ER":
                    if current is None:
                        problem("ris.record-start", "error", "'ER  - ' ends no record: a record starts with 'TY  - '",
                                number)
                    else:
                        current.end = number
                        yield current
                        current = fields = None
                else:
                    if current is None:
                        problem("ris.record-start", "error", f"this record has no 'TY  - ' line: a record starts with "
                                f"'TY  - JOUR' (found '{tag}' first)", number)
                        current, started = Record(number, None), True
                        fields = current.fields
                    current.fields.append(Field(tag, number, [value]))
                continue
            if _TAGLIKE.match(raw):
                problem("ris.tag-syntax", "warning", f"'{raw.strip()[:40]}' looks like a tag line but a tag is two "
                        "capital letters, or a capital and a digit; it is read as text continuing the line before "
                        "(Zotero may read it as a tag)", number)
            if current is None:
                if not started and WOS_RECORD.fullmatch(raw):
                    problem("read.format", "error", _WOS, number)
                    return
                if _NUMBERED.fullmatch(raw):
                    if not numbered:
                        problem("ris.numbered", "info", "the records are numbered (a line such as '1.' before each, as "
                                "Ovid exports them); the numbers are not read", number)
                        numbered = True
                elif raw.strip() and outside_from is None and not (started and raw.strip() == "EF"):
                    outside_from = number  # (EF: Web of Science's end of file, after its last record)
            elif current.fields:
                last = current.fields[-1]
                if raw.strip() or last.tag in MULTILINE_TAGS:
                    last.parts.append(raw.strip())
            elif raw.strip():
                problem("ris.outside-record", "warning", "text right after 'TY  - ' belongs to no tag and is ignored",
                        number)
    if outside_from is not None:
        problem("ris.outside-record", "warning", _OUTSIDE if started else _BEFORE, outside_from)
    if current is not None:
        problem("ris.record-end", "error", f"the record that starts on line {current.line} has no 'ER  - ' line at "
                "its end", current.line)
        yield current


_MONTHS = {name: number for number, name in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
_NUMERIC_DATE = re.compile(r"(\d{4})(?:[/-](\d{0,2})(?:[/-](\d{0,2})(?:/.*)?)?)?")
_MONTH_FIRST = re.compile(r"([A-Za-z]{3})[A-Za-z.]*\s+(?:(\d{1,2}),?\s+)?(\d{4})")
_YEAR_FIRST = re.compile(r"(\d{4})\s+([A-Za-z]{3})[A-Za-z.]*")


def parse_date(value: str) -> PartialDate | None:
    """``2020``, ``2020///``, ``2020/05/01/``, ``2020/5/1/Spring``, ``2020-05-01``, ``May 2020``."""
    text = value.strip()
    if match := _NUMERIC_DATE.fullmatch(text):
        month, day = (int(part) if part else None for part in match.groups()[1:])
        month = month or None
        day = day if month and day else None
        return PartialDate.parse(str(PartialDate(int(match.group(1)), month, day)))
    if (match := _MONTH_FIRST.fullmatch(text)) and match.group(1).lower() in _MONTHS:
        day = int(match.group(2)) if match.group(2) else None
        return PartialDate.parse(str(PartialDate(int(match.group(3)), _MONTHS[match.group(1).lower()], day)))
    if (match := _YEAR_FIRST.fullmatch(text)) and match.group(2).lower() in _MONTHS:
        return PartialDate(int(match.group(1)), _MONTHS[match.group(2).lower()])
    return None
