"""Step 2: find the language blocks of the front matter.

A block is what one language prints for an article: author line, title, labelled abstract
(``Аңдатпа.`` / ``Аннотация.`` / ``Abstract.``) and labelled keywords. The abstract label,
the one part every block has, is the anchor: the step walks forward to the keywords and
back over the title to the author line, never past the previous block. DOI lines anywhere
in this stretch, even inside the abstract, are set aside.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .authors import EMAIL_IN_TEXT, ORCID_IN_TEXT, id_line, is_decoration, is_name_line, split_names  # noqa: F401 (split_names: re-exported)
from .language import ABSTRACT_LABEL, ABSTRACT_LABELS, KEYWORD_LABEL, KEYWORD_LABELS, label_language
from .text import Line, is_blank, is_caps

DOI_IN_TEXT = re.compile(r"(?:https?://)?(?:dx\.)?doi\.org/\s*(?P<a>10\.\d{4,9}/\S+)"
                         r"|\bdoi\s*:?\s*(?P<b>10\.\d{4,9}/\S+)", re.IGNORECASE)
_MAX_ABSTRACT_LINES = 120
_MAX_KEYWORD_LINES = 6
_MAX_AUTHOR_LINES = 8  # one name a line in some journals
_MAX_PLAIN_TITLE_LINES = 3


@dataclass
class Block:
    """The lines of one language block, by part. `language` comes from its abstract label."""

    language: str
    label: Line
    authors: list[Line] = field(default_factory=list)
    title: list[Line] = field(default_factory=list)
    abstract: list[Line] = field(default_factory=list)
    keywords: list[Line] = field(default_factory=list)
    keyword_language: str | None = None
    dois: list[Line] = field(default_factory=list)
    id_lines: list[Line] = field(default_factory=list)  # lines of only ORCID iDs / e-mails by the authors
    details: list[Line] = field(default_factory=list)  # the authors' affiliation (or ``ORCID …``) lines, not id-only
    title_guessed: bool = False  # a title-case title that could also be read as names
    start: int = 0  # index into the line list of the block's first line
    end: int = 0  # index of its last line

    @property
    def first_line(self) -> int:
        """The number of the block's first source line (its authors or title, else its label)."""
        return min(line.number for line in self.authors + self.title + [self.label])

    @property
    def last_line(self) -> int:
        """The number of the block's last source line (its abstract, keywords or DOI)."""
        return max(line.number for line in [self.label] + self.abstract + self.keywords + self.dois)


def is_doi_line(text: str) -> bool:
    """A line that is nothing but a DOI (as a link or bare)."""
    match = DOI_IN_TEXT.search(text)
    return match is not None and len(text.strip()) - len(match.group(0)) < 6


def _title_like(text: str) -> bool:
    """A line in capitals that is not a DOI or an ``ORCID: …`` line."""
    return is_caps(text) and not is_doi_line(text) and id_line(text) is None


def find_blocks(lines: list[Line]) -> list[Block]:
    """All blocks, in the order printed."""
    anchors = [(i, match) for i, line in enumerate(lines) if (match := ABSTRACT_LABEL.match(line.text))]
    blocks: list[Block] = []
    floor = 0  # the first index the next block may claim
    for n, (anchor, match) in enumerate(anchors):
        ceiling = anchors[n + 1][0] if n + 1 < len(anchors) else len(lines)
        block = Block(label_language(match, ABSTRACT_LABELS), lines[anchor])
        block.end = _read_forward(lines, anchor, ceiling, block)
        block.start = _read_backward(lines, anchor, floor, block)
        blocks.append(block)
        floor = block.end + 1
    return blocks


def _read_forward(lines: list[Line], anchor: int, ceiling: int, block: Block) -> int:
    """Abstract up to the keyword label, then the keyword lines; returns the last index used."""
    limit = min(ceiling, anchor + _MAX_ABSTRACT_LINES)
    found = next(((i, match) for i in range(anchor + 1, limit) if (match := KEYWORD_LABEL.match(lines[i].text))), None)
    if found is None:
        # no keywords: the abstract is the labelled paragraph
        i = anchor + 1
        while i < limit and not _ends_paragraph(lines[i], lines[i - 1]):
            i += 1
        _set_abstract(block, lines[anchor:i])
        return i - 1
    keyword_at, label = found
    _set_abstract(block, lines[anchor:keyword_at])
    block.keyword_language = label_language(label, KEYWORD_LABELS)
    block.keywords.append(lines[keyword_at])
    i = keyword_at + 1
    while (i < ceiling and len(block.keywords) < _MAX_KEYWORD_LINES
           and not block.keywords[-1].text.rstrip().endswith(".")
           and not is_blank(lines[i]) and not _title_like(lines[i].text)
           and not is_name_line(lines[i].text)):
        if is_doi_line(lines[i].text):
            block.dois.append(lines[i])
        else:
            block.keywords.append(lines[i])
        i += 1
    # a DOI printed right after the keywords still belongs to the front matter
    j = i
    while j < ceiling and is_blank(lines[j]):
        j += 1
    if j < ceiling and is_doi_line(lines[j].text):
        block.dois.append(lines[j])
        i = j + 1
    return i - 1


def is_heading(text: str) -> bool:
    """A short section heading such as ``Introduction`` or ``Кіріспе``."""
    text = text.strip()
    return (0 < len(text) <= 40 and len(text.split()) <= 4 and text[0].isupper()
            and not text.endswith((".", ",", ";", ":")) and not any(c.isdigit() for c in text))


def _ends_paragraph(line: Line, previous: Line) -> bool:
    """Where an abstract without keywords stops: a blank line, the next block's author
    line or title, or a section heading after a finished sentence."""
    return (is_blank(line) or _title_like(line.text) or is_name_line(line.text)
            or (previous.text.endswith(".") and is_heading(line.text)))


def _set_abstract(block: Block, stretch: list[Line]) -> None:
    """The abstract's lines; a DOI line inside it is set aside with the blank lines
    around it, because it interrupts a paragraph rather than ending one."""
    kept: list[Line] = []
    after_doi = False
    for line in stretch:
        if is_doi_line(line.text):
            block.dois.append(line)
            while kept and is_blank(kept[-1]):
                kept.pop()
            after_doi = True
        elif is_blank(line) and after_doi:
            continue
        else:
            after_doi = False
            kept.append(line)
    while kept and is_blank(kept[-1]):
        kept.pop()
    block.abstract = kept


def _read_backward(lines: list[Line], anchor: int, floor: int, block: Block) -> int:
    """DOI lines, the title and the author line(s) above or below it, over the abstract label;
    returns the first index used. A title in ordinary case is taken only next to an author
    line, so that body text is never read as one."""
    i = _skip_gap(lines, anchor - 1, floor, block)
    start = next((j for j in range(i + 1, anchor) if not is_blank(lines[j])), anchor)
    below = _authors_upward(lines, i, floor, block)
    if below is not None:
        start = below
        i = _above_blanks(lines, below - 1, floor)
    else:  # affiliation lines under the title, the authors above it
        top, details = _details_upward(lines, i, floor)
        if details:
            _keep_details(block, details)
            start = top
            i = _above_blanks(lines, top - 1, floor)
    title_at = _caps_title(lines, i, floor, block)
    if title_at is None:
        title_at = _plain_title(lines, i, floor, block, after_authors=bool(block.authors))
    if title_at is None:
        return start
    i = title_at - 1
    if block.authors:
        return _dois_above(lines, title_at, floor, block)
    # the author line(s), directly above the title (one blank line allowed)
    if i >= floor and is_blank(lines[i]) and i - 1 >= floor and (is_name_line(lines[i - 1].text)
                                                                  or is_decoration(lines[i - 1].text)):
        i -= 1
    first = _authors_upward(lines, i, floor, block)
    return _dois_above(lines, first if first is not None else title_at, floor, block)


def _above_blanks(lines: list[Line], i: int, floor: int) -> int:
    while i >= floor and is_blank(lines[i]):
        i -= 1
    return i


def _details_upward(lines: list[Line], i: int, floor: int) -> tuple[int, list[Line]]:
    """Decoration lines (affiliations, iDs) ending at index ``i``, blank lines among them; their first index."""
    found: list[Line] = []
    top = i + 1
    while i >= floor and (is_decoration(lines[i].text) or (found and is_blank(lines[i]))):
        if not is_blank(lines[i]):
            found.insert(0, lines[i])
            top = i
        i -= 1
    return top, found


def _keep_details(block: Block, details: list[Line]) -> None:
    """Decoration lines by the authors: lines of only iDs apart from affiliation lines, in printed order."""
    block.id_lines = sorted(block.id_lines + [line for line in details if id_line(line.text) is not None])
    block.details = sorted(block.details + [line for line in details if id_line(line.text) is None])


def _dois_above(lines: list[Line], top: int, floor: int, block: Block) -> int:
    """A DOI line printed above the title or authors (blank lines between): the block's; returns its first index."""
    i = top - 1
    while i >= floor and is_blank(lines[i]):
        i -= 1
    if i >= floor and is_doi_line(lines[i].text):
        block.dois.insert(0, lines[i])
        return i
    return top


def _skip_gap(lines: list[Line], i: int, floor: int, block: Block) -> int:
    """Blank lines and DOI lines between the title (or authors) and the label; returns the index above them."""
    while i >= floor and (is_blank(lines[i]) or is_doi_line(lines[i].text)):
        if not is_blank(lines[i]):
            block.dois.insert(0, lines[i])
        i -= 1
    return i


def _authors_upward(lines: list[Line], i: int, floor: int, block: Block) -> int | None:
    """Author lines ending at index ``i`` (with ORCID, e-mail and affiliation lines among them), read upward;
    returns the first index taken, or None when line ``i`` starts no author lines."""
    first = None
    ids: list[Line] = []
    while i >= floor and len(block.authors) < _MAX_AUTHOR_LINES:
        text = lines[i].text
        if is_decoration(text):
            ids.insert(0, lines[i])
        elif is_name_line(text):
            block.authors.insert(0, lines[i])
            _keep_details(block, ids)
            ids = []
            first = i
        elif not (is_blank(lines[i]) and ids and first is None):  # a blank line may part names and affiliations
            break
        i -= 1
    return first


def _caps_title(lines: list[Line], i: int, floor: int, block: Block) -> int | None:
    """The title printed in capitals ending at index ``i`` (single blank lines may split it)."""
    first = None
    while i >= floor:
        if _title_like(lines[i].text):
            block.title.insert(0, lines[i])
            first = i
            i -= 1
        elif is_blank(lines[i]) and i - 1 >= floor and _title_like(lines[i - 1].text) and block.title:
            i -= 1
        else:
            break
    return first


def _plain_title(lines: list[Line], i: int, floor: int, block: Block, *, after_authors: bool) -> int | None:
    """A title in ordinary case ending at index ``i``: a short run of lines that does not end a
    sentence, standing alone (a blank line or the block's floor above it) and next to an
    author line, below it or above it."""
    top = i
    while top >= floor and not is_blank(lines[top]) and i - top < _MAX_PLAIN_TITLE_LINES:
        # with the authors found below, a title-case line that reads as names (``Seals and Wind Farms``)
        # is the title; it is reported as a guess
        if (is_name_line(lines[top].text) and not after_authors) or is_doi_line(lines[top].text):
            break
        if top < i and lines[top].text.endswith("."):
            break  # a finished line (the last reference of the article before) is not part of a title
        top -= 1
    run = lines[top + 1:i + 1]
    if not run or run[-1].text.endswith((".", ",", ";", ":")) or not run[0].text[:1].isupper():
        return None
    if any(ORCID_IN_TEXT.search(line.text) or EMAIL_IN_TEXT.search(line.text) for line in run):
        return None  # an affiliation or contact line, not a title
    above = top
    if above >= floor and not is_blank(lines[above]) and not is_name_line(lines[above].text):
        return None  # part of a longer paragraph
    has_authors = after_authors or (above >= floor and is_name_line(lines[above].text)) or (
        above >= floor + 1 and is_blank(lines[above]) and is_name_line(lines[above - 1].text))
    if not has_authors:
        return None
    block.title[:0] = run
    block.title_guessed = any(is_name_line(line.text) or is_decoration(line.text) for line in run)
    return top + 1
