"""Step 6: facts about the journal and the issue that the text gives only in passing.

The running header names the journal and the issue (``№ 2 (86) 2025``); the printed DOIs
give the DOI prefix, an ISSN when their suffix starts with one, and the pattern articles
are numbered by. Each fact is taken only when the text supports it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import TypeVar

from .. import ids
from .normalise import RunningHeader

_SUFFIX_ISSN = re.compile(r"^(\d{4}-\d{3}[\dX])\b")
_T = TypeVar("_T")


@dataclass(frozen=True)
class HeaderFacts:
    """What most running headers say about the journal and the issue; ``None`` where none says it."""

    title: str | None
    number: str | None
    whole_number: str | None
    year: int | None
    volume: str | None = None


def _most_common(values: list[_T | None]) -> _T | None:
    counts = Counter(v for v in values if v is not None)
    return counts.most_common(1)[0][0] if counts else None


def header_facts(headers: list[RunningHeader]) -> HeaderFacts:
    """What most running headers say (a header mangled by the extraction is outvoted)."""
    return HeaderFacts(title=_most_common([h.title for h in headers]), number=_most_common([h.number for h in headers]),
                       whole_number=_most_common([h.whole_number for h in headers]),
                       year=_most_common([h.year for h in headers]),
                       volume=_most_common([h.volume for h in headers]))


def issn_from_doi(doi: str) -> str | None:
    """The ISSN a DOI suffix starts with (``10.52536/2788-5860.…``), if its check digit holds."""
    suffix = doi.split("/", 1)[1] if "/" in doi else ""
    match = _SUFFIX_ISSN.match(suffix)
    if not match:
        return None
    check = ids.issn(match.group(1))
    return check.value if check.ok else None


def infer_doi_pattern(printed: dict[int, str], year: int | None, number: str | None,
                      whole_number: str | None) -> str | None:
    """A DOI pattern (see docs/manifest.md) that gives every printed DOI (``printed``: 1-based
    position → DOI) from the article's position, or None. The suffix's last part must be the
    position; the others become ``{year}``, ``{whole_number}`` or ``{number}`` or stay literal.
    """
    if not printed:
        return None
    # a part equal to more than one value is named by the first of year, whole number, number
    known = {value: name for name, value in (("{number}", number), ("{whole_number}", whole_number),
                                             ("{year}", None if year is None else str(year))) if value}
    candidates = set()
    for seq, doi in printed.items():
        _prefix, _, suffix = doi.partition("/")
        parts = suffix.split(".")
        last = parts[-1]
        if not last.isdigit() or int(last) != seq:
            return None
        named = [known.get(part) or part.replace("{", "{{").replace("}", "}}") for part in parts[:-1]]
        tail = f"{{seq:0{len(last)}}}" if len(last) > 1 and last.startswith("0") else "{seq}"
        candidates.add("{prefix}/" + ".".join(named + [tail]))
    return candidates.pop() if len(candidates) == 1 else None


def doi_prefix(dois: list[str]) -> str | None:
    """The DOI prefix most of the printed DOIs share: the journal's."""
    return _most_common([ids.doi_prefix(d) for d in dois])
