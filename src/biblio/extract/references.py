"""Reference lists: a heading, then entries numbered ``1.``, ``1)``, ``[1]`` or not numbered.

A list starts at a line that is only a reference heading (``_HEADINGS``). The first line
after it decides the numbering. Numbered: a new entry starts at a label of the same form
and a number one or two above the previous one, so a wrapped line that starts with
``2019.`` stays in its entry. Not numbered: a new entry starts at a line that opens with a
family name and initials (``Smith, J.``, ``И.И. Иванов``) after a line that ended an entry
(with ``.``, ``]``, a DOI or URL); an entry that opens with a title joins the one before.

A list ends at the next reference heading (articles often print the list twice, the
second time transliterated), at another heading, at a line in capitals after a finished
entry or a blank line (the next article's title), or at the end of the input. DOIs and
URLs broken at a line end are joined without a space.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .. import ids
from ..model import Reference
from .funding import compounds, splits_word
from .refparse import structured
from .text import is_capitals_line

__all__ = ["ReferenceEntry", "ReferenceList", "find_reference_lists", "to_model"]


@dataclass(frozen=True)
class ReferenceEntry:
    """One entry of a reference list: its label (``1``), text, DOI and source lines, for ``Article.references``."""

    label: str | None
    text: str
    doi: str | None
    line: int
    last_line: int


@dataclass(frozen=True)
class ReferenceList:
    """A headed reference list, its language (from the heading) and its entries; articles may print two."""

    heading: str
    language: str
    line: int
    entries: tuple[ReferenceEntry, ...]


_HEADINGS = (
    ("kk", r"Әдебиеттер\s+тізімі|Пайдаланылған\s+әдебиеттер(?:\s+тізімі)?|Әдебиеттер"),
    ("ru", (r"Список\s+(?:использованной\s+)?литературы|Список\s+использованных\s+источников|"
            r"Библиографический\s+список|Литература")),
    ("en", r"References|Bibliography|List\s+of\s+references|Reference\s+list"),
    ("es", r"Referencias(?:\s+bibliogr[aá]ficas)?|Bibliografía"),
    ("pt", r"Refer[eê]ncias(?:\s+bibliogr[aá]ficas)?"),
    ("fr", r"R[ée]f[ée]rences(?:\s+bibliographiques)?|Bibliographie"),
    ("de", r"Literatur(?:verzeichnis)?"),
    ("it", r"Riferimenti(?:\s+bibliografici)?|Bibliografia"),  # also Portuguese and Polish: see _SHARED
    ("pl", r"Literatura|Piśmiennictwo"),
    ("nl", r"Literatuur(?:lijst)?|Referenties"),
    ("tr", r"Kaynaklar|Kaynakça"),
)
# Headings several languages print: the list takes the first of them the article's blocks are in.
_SHARED = {"bibliografia": ("it", "pt", "pl"), "literatura": ("pl", "es", "pt")}
_HEADING = re.compile(r"^\s*(?:" + "|".join(f"(?P<{lang}>{pattern})" for lang, pattern in _HEADINGS)
                      + r")\s*[:.]?\s*$", re.IGNORECASE)
_STOP = re.compile(
    r"^\s*(?:Information\s+about\s+(?:the\s+)?authors?|Authors?\s+information|Авторлар\s+туралы|Автор\s+туралы|"
    r"Сведения\s+об\s+авторах?|Қаржыландыру|Финансирование|Funding|Conflicts?\s+of\s+interests?|"
    r"Конфликт\s+интересов|Мүдделер\s+қақтығысы|Abstract|Аңдатпа|Аннотация|Keywords|Түйін\s+сөздер|"
    r"Түйінді\s+сөздер|Ключевые\s+слова|Received|Поступила|Редакцияға\s+түсті)\b", re.IGNORECASE)
_LABEL = re.compile(r"^\s*(?:\[(?P<bracket>\d{1,3})\]|(?P<number>\d{1,3})(?P<mark>[.)]))\s*(?=\S)")
_UP = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІ"
_NAME = rf"[{_UP}][\w'’-]+"
_AUTHOR_START = re.compile(rf"^\s*(?:{_NAME}(?:\s+{_NAME})?,?\s+(?:[{_UP}]\.\s?-?){{1,3}}"
                           rf"|(?:[{_UP}]\.\s?){{1,3}}\s*{_NAME})")
_URL_TOKEN = re.compile(r"(?:https?://|www\.|doi\.org/|doi:|10\.\d{4,9}/)\S*$", re.IGNORECASE)
_DOI = re.compile(r"(?:https?://(?:dx\.)?doi\.org/\s?|\bdoi:?\s*|\bDOI\s+)?(10\.\d{4,9}/[^\s\"<>«»]+)", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


def _heading(line: str, languages: Sequence[str] = ()) -> tuple[str, str] | None:
    match = _HEADING.match(line)
    if not match:
        return None
    lang = next(name for name, _ in _HEADINGS if match.group(name))
    shared = _SHARED.get(match.group(lang).lower(), ())
    return match.group(lang), next((name for name in languages if name in shared), lang)


def _ends_entry(line: str) -> bool:
    line = line.rstrip()
    return line.endswith((".", "]")) or bool(_URL_TOKEN.search(line))


def _join(lines: Sequence[str], keep: set[str]) -> str:
    """One entry's lines as one text: hyphenation undone, DOIs and URLs joined without a space."""
    text = ""
    for raw in lines:
        line = _SPACES.sub(" ", raw).strip()
        if not line:
            continue
        if text:
            if text.endswith(("/", "-", ".", "_", "=", "?", "&")) and _URL_TOKEN.search(text[-200:]):
                pass  # a DOI or URL broken at a line end
            elif splits_word(text, line, keep):
                text = text[:-1]
            elif not text.endswith("-"):
                text += " "
        text += line
    return text


def _doi(text: str) -> str | None:
    """The first DOI in an entry, normalised; trailing punctuation is not part of it."""
    for match in _DOI.finditer(text):
        value = match.group(1).rstrip(".,;:")
        while value.endswith(")") and value.count("(") < value.count(")"):
            value = value[:-1].rstrip(".,;:")
        check = ids.doi(value)
        if check.ok:
            return check.value
    return None


def _label(line: str) -> tuple[str, int] | None:
    """(form, number) of a numbered entry's label: form is "[]", "." or ")"."""
    match = _LABEL.match(line)
    if not match:
        return None
    if match.group("bracket"):
        return "[]", int(match.group("bracket"))
    return match.group("mark"), int(match.group("number"))


def _entries(lines: Sequence[str], start: int, keep: set[str], first_line: int) -> tuple[list[ReferenceEntry], int]:
    """The entries of the list whose first line is ``lines[start]``, and the index where the list ends."""
    chunks: list[tuple[int, int]] = []  # (first index, last index) of each entry
    form: str | None = None
    previous_number = 0
    previous_text = ""
    index = start
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            index += 1
            continue
        if _heading(line) or _STOP.match(line):
            break
        label = _label(line)
        if chunks and is_capitals_line(line) and not label and (_ends_entry(previous_text) or not lines[index - 1].strip()):
            break  # the next article's title
        if not chunks:
            form = label[0] if label else None
            if label:
                previous_number = label[1]
            chunks.append((index, index))
        elif form is not None:
            if label and label[0] == form and previous_number < label[1] <= previous_number + 2:
                previous_number = label[1]
                chunks.append((index, index))
            else:
                chunks[-1] = (chunks[-1][0], index)
        elif _ends_entry(previous_text) and _AUTHOR_START.match(line):
            chunks.append((index, index))
        else:
            chunks[-1] = (chunks[-1][0], index)
        previous_text = line
        index += 1
    entries = []
    for first, last in chunks:
        text = _join(lines[first:last + 1], keep)
        label_text = None
        if form is not None and (match := _LABEL.match(text)):
            label_text = match.group("bracket") or match.group("number")
            text = text[match.end():]
        entries.append(ReferenceEntry(label_text, text, _doi(text), first_line + first, first_line + last))
    return entries, index


def find_reference_lists(lines: Sequence[str], first_line: int = 1,
                         languages: Sequence[str] = ()) -> list[ReferenceList]:
    """Every headed reference list in ``lines``, in order; a list printed twice gives two. ``languages``
    (the article's, first the likeliest) decides a heading several languages print (``Bibliografia``)."""
    keep = compounds(lines)
    found: list[ReferenceList] = []
    index = 0
    while index < len(lines):
        heading = _heading(lines[index], languages)
        if not heading:
            index += 1
            continue
        entries, end = _entries(lines, index + 1, keep, first_line)
        found.append(ReferenceList(heading[0], heading[1], first_line + index, tuple(entries)))
        index = max(end, index + 1)
    return found


def to_model(entry: ReferenceEntry, language: str | None) -> Reference:
    """The entry as the model's Reference: printed text, label, DOI, the list's language, and
    the fields `refparse.structured` reads from a layout it knows."""
    fields = structured(entry.text)

    def text(name: str) -> str | None:
        value = fields.get(name)
        return value if isinstance(value, str) else None

    return Reference(text=entry.text, label=entry.label, language=language, doi=entry.doi, type=text("type"),
                     authors=list(fields.get("authors", [])), title=text("title"), container=text("container"),
                     year=text("year"), volume=text("volume"), issue=text("issue"), pages=text("pages"),
                     publisher=text("publisher"), place=text("place"), edition=text("edition"))
