"""Step 1: clean the PDF's text layer without losing where each line came from.

Running headers and the page numbers next to them are taken out (kept as page markers),
with the blank lines around them, so a paragraph broken by a page break joins up again.
Spacing is normalised; nothing is rewritten inside a line (hyphenation is undone later).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .text import Line, source_lines

_PAGE_NUMBER = re.compile(r"^\d{1,4}$")
_ISSUE_LABEL = re.compile(r"№\s*(?P<number>[\w/-]+)\s*(?:\((?P<whole>\d+)\))?\s*(?P<year>(?:1[5-9]|20)\d\d)\b")
_NEAR = 3  # a page number is printed within this many lines of its running header


@dataclass(frozen=True)
class PageMarker:
    """A printed page number taken out of the text, and the line it stood on: pages an article spans."""

    page: int
    line: int


@dataclass(frozen=True)
class RunningHeader:
    """What the running header says: the journal's name (letter-spaced in print) and the issue."""

    line: int
    title: str | None
    number: str | None
    whole_number: str | None
    year: int | None


@dataclass
class _Normalised:
    lines: list[Line]
    pages: list[PageMarker] = field(default_factory=list)
    headers: list[RunningHeader] = field(default_factory=list)


def letter_spaced_run(text: str) -> str | None:
    """``Ғ Ы Л Ы М И - С А Р А П Т А М А Л Ы Қ  Ж У Р Н А Л`` → ``ҒЫЛЫМИ-САРАПТАМАЛЫҚ ЖУРНАЛ``.

    Letters one space apart make a word, two or more spaces separate words; None without
    a run of at least eight spaced letters."""
    match = re.search(r"(?:[^\W\d_](?: (?=[^\W\d_-])| - (?=[^\W\d_])|  +(?=[^\W\d_]))){7,}[^\W\d_]", text)
    if not match:
        return None
    return " ".join(word.replace(" - ", "-").replace(" ", "") for word in re.split(r"  +", match.group(0)))


def _read_header(line: Line) -> RunningHeader:
    label = _ISSUE_LABEL.search(line.text)
    number, whole, year = label.group("number", "whole", "year") if label else (None, None, None)
    return RunningHeader(line.number, letter_spaced_run(line.text), number, whole, int(year) if year else None)


_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060"), None)
# Control characters and odd separators inside a line (a form feed before a page's first
# line, a vertical tab, NEL, LINE SEPARATOR) are spacing, not text.
_AS_SPACE = {**dict.fromkeys(range(0x20), " "), 0x7F: " ", 0x85: " ", 0x2028: " ", 0x2029: " ",
             0xA0: " ", 0x202F: " ", 0x2007: " "}


def _clean_line(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    return text.translate(_INVISIBLE).translate(_AS_SPACE).strip()


def normalise(raw: str) -> _Normalised:
    """The cleaned lines of ``raw`` (numbered from 1), with page markers and headers taken out."""
    lines = [Line(number, _clean_line(text)) for number, text in enumerate(source_lines(raw), 1)]
    header_at = {i for i, line in enumerate(lines) if letter_spaced_run(line.text) is not None}
    drop: set[int] = set(header_at)
    pages: list[PageMarker] = []
    for i in sorted(header_at):
        for j in range(max(0, i - _NEAR), min(len(lines), i + _NEAR + 1)):
            if j not in drop and _PAGE_NUMBER.match(lines[j].text):
                pages.append(PageMarker(int(lines[j].text), lines[j].number))
                drop.add(j)
        # the blank lines around a page break are not paragraph breaks
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(lines) and (j in drop or not lines[j].text):
                drop.add(j)
                j += step
    kept = [line for i, line in enumerate(lines) if i not in drop]
    headers = [_read_header(lines[i]) for i in sorted(header_at)]
    return _Normalised(kept, sorted(pages, key=lambda p: p.line), headers)
