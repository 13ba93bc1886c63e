"""ORCID iDs and e-mails printed off the author line, given to one author each.

They stand on affiliation lines (``¹ University of Lisbon, Portugal; ORCID 0000-…``), on an
``ORCID:`` line under the affiliations, or on a line of only iDs. One goes to an author by the
name printed beside it, by the affiliation marker only that author carries, or by order when
the lines hold exactly one per author. Any other is returned loose, for a finding: a wrong iD on
a person is worse than none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .authors import EMAIL_IN_TEXT, ORCID_IN_TEXT, PrintedAuthor, affiliation_marker, id_line
from .text import Line

KINDS = ("orcid", "email")


@dataclass(frozen=True)
class LooseId:
    """An iD or e-mail that could not be given to one author, and why: for a finding."""

    kind: str
    value: str
    line: int
    why: str


def _ids(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, kind, value) of each ORCID iD and e-mail on a line, in order."""
    found = [(m.start(), m.end(), "orcid", m.group(1) or m.group(2)) for m in ORCID_IN_TEXT.finditer(text)]
    found += [(m.start(), m.end(), "email", m.group(0)) for m in EMAIL_IN_TEXT.finditer(text)]
    return sorted(found)


def _named(text: str, authors: list[PrintedAuthor]) -> list[int]:
    """The authors whose name (a word of three letters or more of it) ``text`` prints."""
    return [k for k, author in enumerate(authors)
            if any(len(word) >= 3 and re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)
                   for word in re.findall(r"[^\W\d_][\w'’-]*", author.name))]


def _by_name(text: str, ids: list[tuple[int, int, str, str]], n: int, authors: list[PrintedAuthor]) -> int | None:
    """The one author named beside id ``n``: before it when the line names someone before its first id, else after."""
    before = bool(_named(text[:ids[0][0]], authors))
    left = (ids[n - 1][1] if n else 0) if before else ids[n][1]
    right = ids[n][0] if before else (ids[n + 1][0] if n + 1 < len(ids) else len(text))
    named = _named(text[left:right], authors)
    return named[0] if len(named) == 1 else None


def _with(author: PrintedAuthor, kind: str, value: str) -> PrintedAuthor:
    return replace(author, orcid=value) if kind == "orcid" else replace(author, email=value)


def _give(authors: list[PrintedAuthor], k: int, kind: str, value: str, line: int, loose: list[LooseId]) -> None:
    held = getattr(authors[k], kind)
    if held is None:
        authors[k] = _with(authors[k], kind, value)
    elif held.lower() != value.lower():
        loose.append(LooseId(kind, value, line, f"{authors[k].name} is already printed with {held}"))


def place(authors: list[PrintedAuthor], id_lines: list[Line],
          details: list[Line]) -> tuple[list[PrintedAuthor], list[LooseId]]:
    """The authors with the iDs and e-mails of the lines under them, and those that could not be placed."""
    authors, loose = list(authors), []
    listed = [(kind, value, line.number) for line in id_lines for kind, value in id_line(line.text) or []]
    for kind in KINDS:  # a line of only iDs: one per author, in order
        values = [(value, number) for k, value, number in listed if k == kind]
        held = {str(getattr(a, kind)).lower() for a in authors}
        if values and len(values) == len(authors) and not any(getattr(a, kind) for a in authors):
            authors = [_with(a, kind, value) for a, (value, _) in zip(authors, values)]
        else:
            loose += [LooseId(kind, value, number, f"the lines give {len(values)} for {len(authors)} author(s)")
                      for value, number in values if value.lower() not in held]
    pending: list[tuple[str, str, int]] = []
    marked = any(a.marks for a in authors)
    for line in details:
        ids = _ids(line.text)
        marker = affiliation_marker(line.text)
        for n, (_, _, kind, value) in enumerate(ids):
            who = _by_name(line.text, ids, n, authors)
            holders = [k for k, a in enumerate(authors) if marker in a.marks] if marker and marked else []
            if who is None and len(holders) == 1:
                who = holders[0]
            if who is not None:
                _give(authors, who, kind, value, line.number, loose)
            elif holders or (marker and marked):
                loose.append(LooseId(kind, value, line.number, f"affiliation {marker} is marked on "
                                     f"{len(holders)} authors and the line names none of them"))
            else:
                pending.append((kind, value, line.number))
    for kind in KINDS:  # unmarked lines naming no one: one per author, in order
        held = {str(getattr(a, kind)).lower() for a in authors}
        values = [(value, number) for k, value, number in pending if k == kind and value.lower() not in held]
        lines = {number for _, number in values}
        if values and len(values) == len(authors) == len(lines) and not any(getattr(a, kind) for a in authors):
            authors = [_with(a, kind, value) for a, (value, _) in zip(authors, values)]
        else:
            loose += [LooseId(kind, value, number, f"its line names no author and carries no marker an author has, "
                              f"and the lines give {len(values)} for {len(authors)} author(s)")
                  for value, number in values]
    return authors, loose
