"""Source lines and the small text tests every extraction step shares.

A `Line` keeps its 1-based number in the input file, so every step can say where it
found something.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import groupby
from typing import NamedTuple


class Line(NamedTuple):
    """A source line and its 1-based number in the input file, so that every finding can point to it."""

    number: int
    text: str


KAZAKH_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
_WORD = re.compile(r"[^\W\d_]+(?:[-‐][^\W\d_]+)*")
_SPACES = re.compile(r"\s+")
_HYPHENS = "-‐\u00ad"
# Second parts that make a real compound when a line ends in a hyphen before them.
_COMPOUND_TAILS = frozenset({"ақ", "ау", "то", "либо", "нибудь", "таки"})
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def source_lines(text: str) -> list[str]:
    """The lines of ``text`` as a text editor numbers them: unlike `str.splitlines`, not broken
    at a form feed (pdftotext's page break) or other separators, which would shift line numbers."""
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def is_blank(line: Line | str) -> bool:
    """Whether a line (or its text) is empty or whitespace: blank lines separate paragraphs and blocks."""
    return not (line.text if isinstance(line, Line) else line).strip()


def is_caps(text: str, *, share: float = 0.6) -> bool:
    """A line printed in capitals; a lower-case aside such as "(second half of 2000s)" may follow."""
    upper, lower = sum(map(str.isupper, text)), sum(map(str.islower, text))
    if upper + lower < 3 or upper / (upper + lower) < share:
        return False
    return next((c for c in text if c.isalpha()), "").isupper()


def is_capitals_line(text: str) -> bool:
    """Eight or more letters and none in lower case: a title or heading ends the paragraph before it."""
    return text == text.upper() and sum(char.isalpha() for char in text) >= 8


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


class Joiner:
    """Joins lines into running text, undoing line-end hyphenation.

    ``left-`` + ``right`` is a split word (``қалыптас-`` + ``уы``) or a compound (``өзін-`` +
    ``өзі``); the document decides by printing ``left-right`` or ``leftright`` elsewhere.
    Otherwise a few tails (``-ақ``, ``-то``) and digits or a capital keep the hyphen, and
    anything else is a split word, by far the commoner case in print.
    """

    def __init__(self, document: Iterable[str]) -> None:
        self.compounds: set[str] = set()
        self.words: set[str] = set()
        for text in document:
            for word in _words(text):
                lowered = word.lower()
                if "-" in lowered or "‐" in lowered:
                    self.compounds.add(lowered.replace("‐", "-"))
                else:
                    self.words.add(lowered)

    def _keeps_hyphen(self, left: str, right: str) -> bool:
        left_word = (_words(left) or [""])[-1].lower()
        right_word = (_words(right) or [""])[0].lower()
        if not left_word or not right_word or right[:1].isdigit() or left[-1:].isdigit():
            return True
        if f"{left_word}-{right_word}" in self.compounds and f"{left_word}{right_word}" not in self.words:
            return True
        if f"{left_word}{right_word}" in self.words:
            return False
        if right_word in _COMPOUND_TAILS:
            return True
        if (left_word.isascii() and min(len(left_word), len(right_word)) >= 3
                and left_word in self.words and right_word in self.words):
            return True  # English compounds of two words: socially-oriented
        return right[:1].isupper() and not left[-1:].isupper()

    def join(self, texts: Sequence[str]) -> str:
        """One paragraph from its printed lines."""
        out = ""
        for raw in texts:
            text = raw.strip()
            if not text:
                continue
            if not out:
                out = text
            elif out[-1] in _HYPHENS and len(out) > 1 and out[-2].isalnum():
                stem = out[:-1]
                out = f"{stem}-{text}" if self._keeps_hyphen(stem, text) else stem + text
            else:
                out = f"{out} {text}"
        return _SPACES.sub(" ", out.replace("\u00ad", "")).strip()

    def paragraphs(self, lines: Sequence[Line]) -> str:
        """Blank lines separate paragraphs; paragraphs are joined with an empty line."""
        runs = (run for blank, run in groupby(lines, is_blank) if not blank)
        return "\n\n".join(self.join([line.text for line in run]) for run in runs)
