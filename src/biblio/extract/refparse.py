"""Structured fields of a printed reference, read only from the two layouts that say them
unambiguously: author-year (``Reid, D., & Clarke, E. (2018). Title. Journal, 19(2), 200-215.``)
and Vancouver (``Smith A, Jones B. Title. J Abbr. 2019;29(3):1-9.``). Anything else keeps
only its printed text and DOI: a field guessed wrong is worse than one left for the editor.
"""

from __future__ import annotations

import re

_PAGES = r"(?P<pages>[A-Za-z]?\d+(?:\s*[-–]\s*[A-Za-z]?\d+)?)"
_AUTHOR_YEAR = re.compile(
    r"^(?P<authors>[^()]+?)\s*\((?P<year>(?:1[6-9]|20)\d\d)[a-z]?\)\.\s*(?P<title>[^.?!]+[?!]?)\.?\s+"
    r"(?P<container>[^.,\d][^,]*?),\s*(?P<volume>\d+)(?:\s*\((?P<issue>[^)]+)\))?,\s*" + _PAGES + r"\.?(?:\s|$)")
_VANCOUVER = re.compile(
    r"^(?P<authors>[^.]+?)\.\s+(?P<title>[^.?!]+[?!]?)\.?\s+(?P<container>[^;\d][^;]*?)\.?\s+"
    r"(?P<year>(?:1[6-9]|20)\d\d)(?:\s+\w+)?;\s*(?P<volume>\d+)(?:\s*\((?P<issue>[^)]+)\))?:\s*" + _PAGES + r"\.?(?:\s|$)")
_AUTHOR_YEAR_SPLIT = re.compile(r"(?<=\.),\s*(?:&\s*)?|\s+&\s+|,?\s+and\s+")


def structured(text: str) -> dict[str, str | list[str]]:
    """The fields ``text`` gives: authors, year, title, container, volume, issue, pages; empty
    when it follows neither layout."""
    match = _AUTHOR_YEAR.match(text)
    if match:
        authors = [a.strip() for a in _AUTHOR_YEAR_SPLIT.split(match.group("authors")) if a.strip()]
    elif match := _VANCOUVER.match(text):
        authors = [a.strip() for a in match.group("authors").split(",") if a.strip()]
        if not all(re.fullmatch(r"[^\W\d_][\w'’-]*(?:\s[\w'’-]+)*\s[A-Z]{1,3}", a) for a in authors if a != "et al"):
            return {}  # not a Vancouver author list (``Smith A``)
    else:
        return {}
    fields: dict[str, str | list[str]] = {"authors": authors}
    for name in ("year", "title", "container", "volume", "issue", "pages"):
        if value := match.group(name):
            fields[name] = " ".join(value.split()).replace(" - ", "-")
    return fields
