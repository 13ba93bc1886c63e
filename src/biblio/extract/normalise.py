"""Step 1: clean the PDF's text layer without losing where each line came from.

Running headers and the page numbers next to them are taken out (kept as page markers),
with the blank lines around them, so a paragraph broken by a page break joins up again.
Spacing is normalised; nothing is rewritten inside a line (hyphenation is undone later).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from .text import Line, source_lines

_PAGE_NUMBER = re.compile(r"^\d{1,4}$")
_ISSUE_LABEL = re.compile(r"№\s*(?P<number>[\w/-]+)\s*(?:\((?P<whole>\d+)\))?\s*(?P<year>(?:1[5-9]|20)\d\d)\b")
# A plain running header: ``Journal of …, Vol. 7, No. 1, 2025   1``, ``Т. 12, № 3, 2024``,
# ``Том 5, Выпуск 2``, with the page number printed before or after it.
_PLAIN_HEADER = re.compile(
    r"^(?:(?P<lead>\d{1,4})\s{2,})?(?P<title>[^\d]{0,150}?)[\s,.;:|–—-]*"
    r"(?:Vol\.?|Volume|Т\.|Том|Tomo|Bd\.|Band)\s*(?P<volume>\d{1,4})"
    r"(?:[\s,.;]*(?:No\.?|Nº|N°|№|Issue|Núm\.|Número|Heft|Выпуск|Вып\.)\s*(?P<number>\d{1,3}(?:[/-]\d{1,3})?))?"
    r"(?:[\s,.;]*\(?(?P<year>(?:1[5-9]|20)\d\d)\)?)?"
    r"(?:\s{2,}|\s*[|]\s*)?(?P<page>\d{1,4})?\s*$", re.IGNORECASE)
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
    volume: str | None = None
    page: int | None = None


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


def plain_header(line: Line) -> RunningHeader | None:
    """A running header that is not letter-spaced: journal name, volume, number, year (each
    optional but the volume) and the page number beside it."""
    match = _PLAIN_HEADER.match(line.text) if len(line.text) < 200 else None
    if not match:
        return None
    title = match.group("title").strip(" ,.;:|–—-") or None
    page = match.group("page") or match.group("lead")
    year = match.group("year")
    return RunningHeader(line.number, title, match.group("number"), None, int(year) if year else None,
                         match.group("volume"), int(page) if page else None)


def _plain_headers(lines: list[Line]) -> dict[int, RunningHeader]:
    """Plain headers the text repeats (same words, page number aside), or the one at its top:
    a reference printing ``Vol. 3, No. 2`` once inside an article is not a header."""
    found = {i: header for i, line in enumerate(lines) if (header := plain_header(line))}
    repeats = Counter((h.title, h.volume, h.number, h.year) for h in found.values())
    top = [i for i, line in enumerate(lines) if line.text][:2]
    return {i: h for i, h in found.items() if repeats[(h.title, h.volume, h.number, h.year)] > 1 or i in top}


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
    plain = _plain_headers(lines)
    header_at = {i for i, line in enumerate(lines) if letter_spaced_run(line.text) is not None} | set(plain)
    drop: set[int] = set(header_at)
    pages = [PageMarker(h.page, h.line) for h in plain.values() if h.page is not None]
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
    headers = [plain.get(i) or _read_header(lines[i]) for i in sorted(header_at)]
    return _Normalised(kept, sorted(pages, key=lambda p: p.line), headers)
