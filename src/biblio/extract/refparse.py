"""Structured fields of a printed reference, read only from layouts that say them unambiguously:
author-year (``Reid, D., & Clarke, E. (2018). Title. Journal, 19(2), 200-215.``), Vancouver
(``Smith A, Jones B. Title. J Abbr. 2019;29(3):1-9.``), and books and chapters that print place and
publisher (``Иванов И. И. История. – М.: Наука, 2010. – 320 с.``, ``Smith J. Title. London:
Routledge, 2010.``, ``Author (2010). Title. 2nd ed. Oxford University Press.``, ``… In: Editor (ed.)
Book. Place: Publisher, pp. 1–10``, ``… // Книга. – М.: Наука, 2010. – С. 10–20.``). Anything else keeps
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
    r"(?P<year>(?:1[6-9]|20)\d\d)(?:\s+\w+)?;\s*(?P<volume>\d+)(?:\s*\((?P<issue>[^)]+)\))?:\s*" + _PAGES
    + r"\.?(?:\s|$)")
_AUTHOR_YEAR_SPLIT = re.compile(r"(?<=\.),\s*(?:&\s*)?|\s+&\s+|,?\s+and\s+")


def structured(text: str) -> dict[str, str | list[str]]:
    """The fields ``text`` gives: authors, year, title, container, volume, issue, pages, and for a
    book or chapter its type, place, publisher and edition; empty when it follows no known layout."""
    return _article(text) or book(text)


def _article(text: str) -> dict[str, str | list[str]]:
    match = _AUTHOR_YEAR.match(text)
    if match:
        authors = [a.strip() for a in _AUTHOR_YEAR_SPLIT.split(match.group("authors")) if a.strip()]
    elif match := _VANCOUVER.match(text):
        authors = [a.strip() for a in match.group("authors").split(",") if a.strip()]
        if not all(re.fullmatch(r"[^\W\d_][\w'’-]*(?:\s[\w'’-]+)*\s[A-Z]{1,3}", a) for a in authors if a != "et al"):
            return {}  # not a Vancouver author list (``Smith A``)
    else:
        return {}
    return _fields(match, authors, ("year", "title", "container", "volume", "issue", "pages"))


def _fields(match: re.Match[str], authors: list[str], names: tuple[str, ...]) -> dict[str, str | list[str]]:
    fields: dict[str, str | list[str]] = {"authors": authors}
    for name in names:
        if value := match.group(name):
            fields[name] = " ".join(value.split()).replace(" - ", "-").replace(" – ", "–")
    return fields


# --- books and chapters --------------------------------------------------------------------------

_YEAR = r"(?P<year>(?:1[5-9]|20)\d\d)"
_UPPER = "A-ZА-ЯЁ"
_INITIAL = rf"[{_UPPER}](?:\.|(?=[\s,;]))"
_PERSON = (rf"[{_UPPER}][\w'’-]+,?\s+(?:[{_UPPER}]{{2,3}}(?=[\s,.;])|{_INITIAL}(?:\s?-?{_INITIAL}){{0,2}})"
           rf"|(?:{_INITIAL}\s?){{1,3}}\s?[{_UPPER}][\w'’-]+")
_NAMES = rf"(?P<authors>(?:{_PERSON})(?:(?:,\s*|\s+(?:and|&|и)\s+)(?:{_PERSON}))*(?:,?\s+(?:et\s+al|и\s+др)\.?)?)"
_PLACE = rf"(?P<place>[{_UPPER}][\w-]*\.?(?:\s[{_UPPER}][\w-]*){{0,2}}(?:\s+н/Д|,\s*[A-Z]{{2}})?)\s?:\s*"
_PUBLISHER = r"(?P<publisher>[^\s,:;.][^,:;]*?)"
_EDITION = r"(?:(?P<edition>\d+)(?:-е\s+изд\.[^–—]*?|(?:st|nd|rd|th)\s+(?:ed\.|edn\.?|edition)))"
_DASH = r"\.?\s*(?:[–—-]\s+)?"
_SEP = r"(?:\.\s*(?:[–—-]\s+)?|\s+[–—]\s+)"  # a period or a dash ends a title
_PAGES = r"(?P<pages>\d+\s*[-–]\s*\d+)"
_TAIL = r"\.?\s*(?:(?:https?://|doi:)\S+)?$"
# Иванов И. И. История. – 2-е изд. – М.: Наука, 2010. – 320 с.   Smith J. Title. London: Routledge, 2010.
_BOOK = re.compile(rf"^{_NAMES}\.?\s+(?P<title>[^/]+?)(?:\s+/\s+[^–—]+?)?{_SEP}(?:{_EDITION}{_SEP})?"
                   rf"{_PLACE}{_PUBLISHER},\s*{_YEAR}(?:{_DASH}\d+\s*(?:с|pp?)\.)?{_TAIL}")
# Author (2010). Title. 2nd ed. Oxford: Oxford University Press.
_YEAR_BOOK = re.compile(rf"^(?P<authors>[^()]+?)\s*\({_YEAR}[a-z]?\)\.\s*(?P<title>[^.?!]+[?!]?)\.\s*"
                        rf"(?:{_EDITION}\.?\s+)?(?:{_PLACE})?{_PUBLISHER}{_TAIL}")
_PRESS = re.compile(r"(?i:press|publish|verlag|books|editora|éditions|edizioni|издательство)|Routledge|Springer|"
                    r"Wiley|Elsevier|Blackwell|Pearson|Sage|Наука")
# Smith J. Chapter. In: Editor A (ed.) Book. London: Routledge, 2010, pp. 1–10.
# (also APA's "In A. Editor (Ed.), Book (pp. 1–10).")
_IN = re.compile(r"(?<=[.?!])\s+In:?\s+(?P<editors>[^()]+?)\s*\((?:[Ee]ds?|[Hh]rsg)\.?\)[,.]?\s+(?P<rest>.+)$")
_IN_REST = re.compile(rf"^(?P<container>[^()]+?)(?:\s*\(pp?\.\s*{_PAGES}\))?\.\s+{_PLACE}{_PUBLISHER}"
                      rf"(?:,\s*{_YEAR})?(?:,\s*pp?\.\s*(?P<pages2>\d+\s*[-–]\s*\d+))?{_TAIL}")
_HEAD = re.compile(rf"^(?:(?P<a1>[^()]+?)\s*\({_YEAR}[a-z]?\)\.|{_NAMES}\.?)\s*(?P<title>[^.]+?[?!]?)\.?$")
# Иванов И.И. Глава // Книга / под ред. П.П. Петрова. – М.: Наука, 2010. – С. 10–20.
_GOST_CHAPTER = re.compile(rf"^{_NAMES}\.?\s+(?P<title>[^/]+?)\s*//\s*(?P<container>[^/–—]+?)(?:\s*/\s*[^–—]+?)?"
                           rf"{_DASH}{_PLACE}{_PUBLISHER},\s*{_YEAR}{_DASH}[СсPp]p?\.\s*{_PAGES}{_TAIL}")
_BOOK_FIELDS = ("year", "title", "place", "publisher", "edition")


def _people(text: str) -> list[str]:
    return [a.strip() for a in _AUTHOR_YEAR_SPLIT.split(text) if a.strip()]


def book(text: str) -> dict[str, str | list[str]]:
    """A book or a chapter in one, when the text prints its publisher (with a place, an edition or a
    publisher's word); empty otherwise."""
    if match := _GOST_CHAPTER.match(text):
        return {"type": "book_chapter", **_fields(match, _people(match.group("authors")),
                                                  ("year", "title", "container", "place", "publisher", "pages"))}
    if (found := _IN.search(text)) and (head := _HEAD.match(text[:found.start()])) and (
            rest := _IN_REST.match(found.group("rest"))) and (head.group("year") or rest.group("year")):
        fields = {"type": "book_chapter", **_fields(head, _people(head.group("a1") or head.group("authors")),
                                                    ("year", "title"))}
        fields.update({k: v for k, v in _fields(rest, [], ("container", "place", "publisher", "year")).items()
                       if k != "authors"})
        if pages := rest.group("pages") or rest.group("pages2"):
            fields["pages"] = " ".join(pages.split())
        return fields
    match = _BOOK.match(text) or _YEAR_BOOK.match(text)
    if match is None or not (match.group("place") or match.group("edition") or _PRESS.search(match.group("publisher"))):
        return {}
    return {"type": "book", **_fields(match, _people(match.group("authors")), _BOOK_FIELDS)}
