"""In-text citations: numbered brackets such as ``[4]``, ``[13-17]``, ``[4, 182-223-бб.]``.

A bracket is a citation only when everything inside it reads as citation numbers and
page references (not ``[sic]``, ``[...]``, ``[2020]``). Items are separated by ``;`` or ``,``:

- the first item is a citation number (1-999) or an ascending range (``13-17``, ``13–17``);
  an item after ``;`` is always another one;
- a page reference (``p. 45``, ``С. 12``, ``137-б.``, ``182-223-бб.``, ``18 p.``) belongs
  to the citation number before it;
- a bare number after ``,`` is ambiguous (``[1, 2, 3]`` against ``[32, 163]``, page 163 of
  source 32): it is another citation when larger than the number before it and either no
  larger than the largest number cited unambiguously in the same input, or at most 5
  above the number before it; otherwise a page reference;
- ``[16 23]`` (a lost comma) reads like ``[16, 23]``.

A bracket split by a line break is joined, directly after a dash and with one space
otherwise. Pass the body's lines, not a reference list numbered ``[1]``, ``[2]``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["Citation", "citation_numbers", "find_citations"]


@dataclass(frozen=True)
class Citation:
    """One bracket as printed, the source numbers it cites and their page locators: ``Article.citations``."""

    text: str
    numbers: tuple[int, ...]
    locators: tuple[tuple[int, str], ...]
    line: int


# At most 80 characters inside a bracket: a citation is short, and the bound keeps the scan linear.
_BRACKET = re.compile(r"\[([^\[\]]{1,80})\]")
_OPEN_TAIL = re.compile(r"\[([^\[\]]{0,80})$")
_CLOSE_HEAD = re.compile(r"^([^\[\]]{0,80})\]")
_DASH = "-\u2010\u2011\u2012\u2013\u2014\u2212"
_D = f"[{_DASH}]"
_NUMBER = re.compile(r"\d{1,3}")
_RANGE = re.compile(r"(\d{1,3})\s*" + _D + r"\s*(\d{1,3})")
_SPACED = re.compile(r"\d{1,3}(?:\s+\d{1,3})+")
# "p. 45", "pp. 3-5", "с. 45", "С. 12", "Б. 12", "стр. 7", "s. 9"
_PAGE_BEFORE = re.compile(r"(?:pp?|Pp?|с|С|c|C|стр|Стр|б|Б|бб|бет|s|S)\.?\s*\d+(?:\s*" + _D + r"\s*\d+)?")
# "137-б.", "182-223-бб.", "18 p.", "45 с."
_PAGE_AFTER = re.compile(r"\d+(?:\s*" + _D + r"\s*\d+)?\s*" + _D + r"?\s*(?:бб|б|бет|беттер|pp|p|с|стр)\.?")
_MAX_RANGE = 100
_SMALL_GAP = 5


def _item(text: str) -> tuple[str, tuple[int, ...]] | None:
    """Classify one item: ("num", numbers), ("spaced", numbers), ("range", (a, b)), ("page", ())."""
    if _NUMBER.fullmatch(text):
        return "num", (int(text),)
    span = _RANGE.fullmatch(text)
    if span and 1 <= int(span.group(1)) < int(span.group(2)) <= int(span.group(1)) + _MAX_RANGE:
        return "range", (int(span.group(1)), int(span.group(2)))
    if _SPACED.fullmatch(text):
        return "spaced", tuple(int(part) for part in text.split())
    if _PAGE_BEFORE.fullmatch(text) or _PAGE_AFTER.fullmatch(text):
        return "page", ()
    return None


# A parsed bracket: groups (split on ";") of items (split on ","): (kind, numbers, raw text).
_Parsed = list[list[tuple[str, tuple[int, ...], str]]]


def _parse(inside: str) -> _Parsed | None:
    groups: _Parsed = []
    for group_text in inside.split(";"):
        group = []
        for raw in group_text.split(","):
            raw = raw.strip()
            kind = _item(raw) if raw else None
            if kind is None:
                return None
            group.append((kind[0], kind[1], raw))
        first_kind, first_numbers, _ = group[0]
        if first_kind == "page" or any(number < 1 for number in first_numbers):
            return None
        groups.append(group)
    return groups


def _sure_numbers(parsed: _Parsed) -> Iterable[int]:
    """Numbers that are citations whatever the rest of the input says: each group's first item."""
    for kind, numbers, _ in (group[0] for group in parsed):
        yield numbers[0] if kind == "spaced" else numbers[-1]


def _resolve(text: str, parsed: _Parsed, line: int, known_max: int) -> Citation:
    numbers: list[int] = []
    locators: list[tuple[int, str]] = []
    for group in parsed:
        previous: int | None = None
        for position, (kind, values, raw) in enumerate(group):
            if kind == "page":
                if previous is not None:
                    locators.append((previous, raw))
                continue
            candidates = [(values, raw)] if kind == "range" else [((value,), str(value)) for value in values]
            for index, (value, value_raw) in enumerate(candidates):
                sure = position == 0 and index == 0
                low, high = value[0], value[-1]
                if sure or (previous is not None and low > previous
                            and (high <= known_max or low - previous <= _SMALL_GAP)):
                    numbers.extend(range(low, high + 1))
                    previous = high
                elif previous is not None:
                    locators.append((previous, value_raw))
    return Citation(text, tuple(numbers), tuple(locators), line)


def _join(head: str, tail: str) -> str:
    head, tail = head.rstrip(), tail.lstrip()
    if not head or not tail or head[-1] in _DASH:
        return head + tail
    return f"{head} {tail}"


def find_citations(lines: Sequence[str], first_line: int = 1) -> list[Citation]:
    """Every numbered in-text citation in ``lines``, in reading order, with its source line."""
    found: list[tuple[str, _Parsed, int]] = []
    for index, line in enumerate(lines):
        number = first_line + index
        for match in _BRACKET.finditer(line):
            if parsed := _parse(match.group(1)):
                found.append((match.group(0), parsed, number))
        tail = _OPEN_TAIL.search(line)
        if tail and index + 1 < len(lines) and (head := _CLOSE_HEAD.match(lines[index + 1])):
            inside = _join(tail.group(1), head.group(1))
            if parsed := _parse(inside):
                found.append((f"[{inside}]", parsed, number))
    known_max = max((n for _, parsed, _ in found for n in _sure_numbers(parsed)), default=0)
    return [_resolve(text, parsed, line, known_max) for text, parsed, line in found]


def citation_numbers(citations: Iterable[Citation]) -> list[int]:
    """The distinct citation numbers, sorted: what ``Article.citations`` holds."""
    return sorted({number for citation in citations for number in citation.numbers})
