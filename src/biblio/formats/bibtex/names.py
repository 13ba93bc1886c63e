"""Splitting one BibTeX name (an ``author`` or ``editor`` list is split at ``and`` before): BibTeX's own rules
(bibtexparser's splitter), with the two readings BibTeX gets wrong in real files: a suffix after a name written
"First Last, Jr." (BibTeX takes "Jr." for the given name) and an organisation written without braces
("Center for Disease Control": BibTeX reads given "Center", family "for Disease Control").

The jr part (BibTeX's "von Last, Jr, First", or the suffix of "First Last, Jr.") is the name's ``suffix``.
"""

from __future__ import annotations

from bibtexparser.middlewares.names import NameParts, parse_single_name_into_parts

from .tex import whole_group

# What follows the one comma of "First Last, Jr.": never a given name. A single letter ("Smith, V") is an initial.
SUFFIXES = frozenset({"jr", "jr.", "jnr", "jnr.", "sr", "sr.", "snr", "snr.", "ii", "iii", "iv", "2nd", "3rd", "4th"})
# Words that make a name without a comma an organisation's (a person is not called "… Institute").
ORGANISATION_WORDS = frozenset({
    "academy", "agency", "alliance", "association", "board", "bureau", "center", "centre", "collaboration",
    "college", "commission", "committee", "consortium", "corporation", "council", "department", "federation",
    "foundation", "group", "inc", "initiative", "institute", "institut", "laboratory", "ltd", "ministry", "network",
    "organization", "organisation", "programme", "project", "society", "university",
    "université", "universität", "universidad", "universidade", "working"})
_PUNCTUATION = ".,;:()[]{}\"'"  # around a word ("Inc.", "(WHO)"); a hyphen joins a word ("Institute-Smith": a name)


def top_commas(raw: str) -> list[int]:
    """The positions of the commas outside braces."""
    depth, found = 0, []
    for position, char in enumerate(raw):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if char == "," and depth == 0:
            found.append(position)
    return found


def split_name(raw: str, strict: bool = True) -> NameParts:
    """One person's name in BibTeX's parts (first, von, last, jr), as ``parse_single_name_into_parts`` splits it
    (and raising as it does with ``strict``), except "First von Last, Jr.": the suffix is the jr part, not the first
    name."""
    commas = top_commas(raw)
    if len(commas) == 1 and raw[commas[0] + 1:].strip().casefold() in SUFFIXES:
        parts = parse_single_name_into_parts(raw[:commas[0]], strict=strict)
        if parts.first:  # "Last, Jr." alone stays BibTeX's reading: nothing says which is which
            parts.jr = [raw[commas[0] + 1:].strip()]
            return parts
    return parse_single_name_into_parts(raw, strict=strict)


def organisation(raw: str) -> str | None:
    """The name of the organisation ``raw`` names (LaTeX not decoded), or None for a person's name: a name in one
    pair of braces (``{Center for Disease Control}``, BibTeX's way), or a name of two words or more without a comma
    that holds a word only organisations have (``Center for Disease Control``, ``World Health Organization``)."""
    text = raw.strip()
    if whole_group(text):
        return text[1:-1]
    words = [word.strip(_PUNCTUATION).casefold() for word in text.split()]
    if len(text.split()) > 1 and not top_commas(text) and not ORGANISATION_WORDS.isdisjoint(words):
        return text
    return None
