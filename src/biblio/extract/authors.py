"""Read an author line: the names as printed, and the ORCID iDs and e-mails beside them.

Affiliation markers (``Ivan Petrov1``, ``Иван Петров¹``, ``Petrov1,2*``), ORCID iDs and
e-mails are taken off first; what is left must still look like names (one to four
capitalised words each), or the line is not an author line. An iD or e-mail belongs to
the name it is printed with, or comes from a line of only iDs below the names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .language import ABSTRACT_LABEL, KEYWORD_LABEL
from .text import is_caps

ORCID_IN_TEXT = re.compile(r"(?:https?://)?(?:www\.)?orcid\.org/\s*(\d{4}-\d{4}-\d{4}-\d{3}[\dXx])\b"
                           r"|\b(\d{4}-\d{4}-\d{4}-\d{3}[\dXx])\b")
EMAIL_IN_TEXT = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_SUPERSCRIPT = "¹²³⁰⁴⁵⁶⁷⁸⁹ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ"
_MARK = rf"[\d{_SUPERSCRIPT}*†‡§#]"
# A marker glued to the end of a name (``Petrov1,2*``); the comma list needs no space.
_MARKERS = re.compile(rf"(?<=[^\W\d_{_SUPERSCRIPT}]){_MARK}+(?:,{_MARK}+)*(?=[\s,;]|$)")
_LONE_SUPERSCRIPT = re.compile(rf"[{_SUPERSCRIPT}*†‡§]+")
_DECORATION = re.compile(r"\b(?:ORCID(?:\s*iD)?|e-?mail|E-?mail)\b\s*:?|[()\[\]<>]", re.IGNORECASE)
_HOLE = "\ue000"  # stands where an iD or e-mail was, so it stays with its name
_MARKS_HELD = re.compile("\ue001([^\ue002]*)\ue002")  # where a name's markers were, kept apart from the name
_LONE_OUTSIDE_MARKS = re.compile(f"({_MARKS_HELD.pattern})|{_LONE_SUPERSCRIPT.pattern}")
_PLAIN_MARKS = str.maketrans("¹²³⁰⁴⁵⁶⁷⁸⁹ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ", "1230456789abcdefghijklmnoprstuvwxyz")
_NAME_PART = re.compile(r"^(?:[^\W\d_]\.){1,3}$|^[^\W\d_][^\W\d_’'`-]*(?:-[^\W\d_][^\W\d_’'`]*)?\.?$")
_NAME_SEPARATORS = re.compile(r"\s*(?:,|;|\band\b|\bжәне\b|\bи\b|&)\s*")


@dataclass(frozen=True)
class PrintedAuthor:
    """One name on an author line, with the ORCID iD and e-mail printed beside it, for the contributor."""

    name: str
    orcid: str | None = None  # as printed (the digits); validated later
    email: str | None = None
    marks: tuple[str, ...] = field(default=(), compare=False)  # affiliation markers: ``Petrov1,2*`` → 1, 2, *


def split_names(text: str) -> list[str]:
    """The parts of an author line between commas, semicolons and "and" (``және``, ``и``, ``&``)."""
    return [" ".join(part.split()) for part in _NAME_SEPARATORS.split(text.strip().rstrip(",;")) if part]


def _ids_out(text: str) -> tuple[str, list[tuple[str, str]]]:
    """The text with each ORCID iD and e-mail replaced by a hole, and what filled the holes."""
    found = sorted([(match.start(), "orcid", match.group(1) or match.group(2))
                    for match in ORCID_IN_TEXT.finditer(text)]
                   + [(match.start(), "email", match.group(0)) for match in EMAIL_IN_TEXT.finditer(text)])
    out = EMAIL_IN_TEXT.sub(f" {_HOLE} ", ORCID_IN_TEXT.sub(f" {_HOLE} ", text))
    return out, [(kind, value) for _, kind, value in found]


# Words of an institution's name: an affiliation line printed without a marker is not an author line.
_INSTITUTION = re.compile(r"(?i:universi|institut|cent(?:re|er|ro)\b|college|academ|school|hospital|laborator|"
                          r"department|faculty|ministry|école|escola|escuela|hochschule|uniwersytet|instytut|"
                          r"politecnico|üniversite|"
                          r"университет|институт)")


def _is_name(part: str) -> bool:
    tokens = part.split()
    return (1 <= len(tokens) <= 4 and all(_NAME_PART.match(t) and t[0].isupper() for t in tokens)
            and not _INSTITUTION.search(part))


def read_author_line(text: str) -> list[PrintedAuthor] | None:
    """The authors printed on one line, or None when the line is not an author line."""
    text = text.strip()
    if not text or len(text) > 240 or is_caps(text, share=0.9):
        return None
    if ABSTRACT_LABEL.match(text) or KEYWORD_LABEL.match(text) or text.endswith((":", "?", "!")):
        return None
    bare, ids = _ids_out(text)
    bare = _MARKERS.sub(lambda found: "\ue001" + "\ue003".join(marks(found.group(0))) + "\ue002", bare)
    bare = _DECORATION.sub(" ", _LONE_OUTSIDE_MARKS.sub(lambda found: found.group(1) or "", bare))
    if any(c.isdigit() for c in _MARKS_HELD.sub("", bare)):
        return None
    authors: list[PrintedAuthor] = []
    for part in split_names(bare):
        held = tuple(mark for group in _MARKS_HELD.findall(part) for mark in group.split("\ue003") if mark)
        part = _MARKS_HELD.sub("", part)
        holes = part.count(_HOLE)
        name = " ".join(part.replace(_HOLE, " ").split())
        taken, ids = ids[:holes], ids[holes:]
        if not name:  # an iD printed after its name's comma
            if not authors:
                return None
            authors[-1] = _with_ids(authors[-1], taken)
            continue
        if not _is_name(name):
            return None
        authors.append(_with_ids(PrintedAuthor(name, marks=held), taken))
    if not any(len(a.name.split()) >= 2 for a in authors):
        return None
    return authors


def _with_ids(author: PrintedAuthor, ids: list[tuple[str, str]]) -> PrintedAuthor:
    orcid = next((value for kind, value in ids if kind == "orcid"), author.orcid)
    email = next((value for kind, value in ids if kind == "email"), author.email)
    return PrintedAuthor(author.name, orcid, email, author.marks)


def marks(text: str) -> list[str]:
    """Affiliation markers as plain tokens: ``1,2*`` and ``¹ᵃ`` give ``1``, ``2``, ``*`` and ``1``, ``a``."""
    return re.findall(r"\d+|[^\W\d_]|[*†‡§#]", text.translate(_PLAIN_MARKS))


def is_name_line(text: str) -> bool:
    """An author line: short, and each comma-separated part one to four capitalised words
    once markers, ORCID iDs and e-mails are taken off."""
    return read_author_line(text) is not None


def id_line(text: str) -> list[tuple[str, str]] | None:
    """A line of nothing but ORCID iDs and e-mails (with their labels): what it gives, in order."""
    bare, ids = _ids_out(text)
    if not ids:
        return None
    rest = _DECORATION.sub(" ", bare).replace(_HOLE, " ")
    rest = _LONE_SUPERSCRIPT.sub("", re.sub(r"[\d,;:/\s-]", "", rest))
    return ids if not rest else None


_AFFILIATION = re.compile(rf"^(?:[{_SUPERSCRIPT}*]{{1,3}}|\d{{1,2}}(?=[^\W\d_])"
                          rf"|\d{{1,2}}\s+(?=[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]))\s*\S")


def affiliation_marker(text: str) -> str | None:
    """The marker an affiliation line opens with (``¹ University…``, ``2 Marine Institute…``), as a plain token."""
    found = _AFFILIATION.match(text.strip())
    return next(iter(marks(found.group(0)[:-1])), None) if found else None


def is_affiliation_line(text: str) -> bool:
    """A line that opens with an affiliation marker (``¹Al-Farabi Kazakh National University``,
    ``2 L.N. Gumilyov Eurasian National University``), or names an institution and a place. Only read next to an
    author line,
    where a numbered heading cannot stand."""
    text = text.strip()
    unmarked = bool(_INSTITUTION.search(text)) and "," in text  # ``Bay Research Centre, Hobart, Australia``
    return (bool(_AFFILIATION.match(text)) or unmarked) and len(text) <= 250 and not text.endswith(".")


def is_decoration(text: str) -> bool:
    """A line of the author details that is not a name: ORCID iDs, e-mails, an affiliation."""
    return bool(text.strip()) and (id_line(text) is not None or is_affiliation_line(text)
                                   or (_ORCID_LABEL.match(text) is not None and ORCID_IN_TEXT.search(text) is not None))


_ORCID_LABEL = re.compile(r"^\W*ORCID\b", re.IGNORECASE)  # ``ORCID iD: 0000-… (A. Silva)``: names with their iDs
