"""Step 2: find the language blocks of the front matter.

A block is what one language prints for an article: an author line, a title in
capitals, a labelled abstract (``Аңдатпа.`` / ``Аннотация.`` / ``Abstract.``) and a
labelled keyword list. The abstract label is the anchor: it is the one part every
block of the source has. From it the step walks forward to the keywords and back
over the title to the author line, never past the previous block. A DOI line may
stand anywhere in this stretch, even inside the abstract; it is set aside.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .language import ABSTRACT_LABEL, ABSTRACT_LABELS, KEYWORD_LABEL, KEYWORD_LABELS, label_language
from .text import Line, is_blank, is_caps

DOI_IN_TEXT = re.compile(
    r"(?:https?://)?(?:dx\.)?doi\.org/\s*(?P<a>10\.\d{4,9}/\S+)|\bdoi\s*:?\s*(?P<b>10\.\d{4,9}/\S+)",
    re.IGNORECASE,
)
_MAX_ABSTRACT_LINES = 120
_MAX_KEYWORD_LINES = 6
_MAX_AUTHOR_LINES = 3
_NAME_PART = re.compile(r"^(?:[^\W\d_]\.){1,3}$|^[^\W\d_][^\W\d_’'`-]*(?:-[^\W\d_][^\W\d_’'`]*)?\.?$")
_NAME_SEPARATORS = re.compile(r"\s*(?:,|;|\band\b|\bжәне\b|\bи\b|&)\s*")


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
    start: int = 0  # index into the line list of the block's first line
    end: int = 0  # index of its last line

    @property
    def first_line(self) -> int:
        return min(line.number for line in self.authors + self.title + [self.label])

    @property
    def last_line(self) -> int:
        return max(line.number for line in [self.label] + self.abstract + self.keywords + self.dois)


def is_doi_line(text: str) -> bool:
    """A line that is nothing but a DOI (as a link or bare)."""
    match = DOI_IN_TEXT.search(text)
    return bool(match) and len(text.strip()) - len(match.group(0)) < 6


def split_names(text: str) -> list[str]:
    return [" ".join(part.split()) for part in _NAME_SEPARATORS.split(text.strip().rstrip(",;")) if part]


def is_name_line(text: str) -> bool:
    """An author line: short, no digits, each comma-separated part one to four capitalised words."""
    text = text.strip()
    if not text or len(text) > 160 or any(c.isdigit() for c in text) or is_caps(text, share=0.9):
        return False
    if ABSTRACT_LABEL.match(text) or KEYWORD_LABEL.match(text) or text.endswith((":", "?", "!")):
        return False
    parts = split_names(text)
    if not parts:
        return False
    for part in parts:
        tokens = part.split()
        if not 1 <= len(tokens) <= 4 or not all(_NAME_PART.match(t) and t[0].isupper() for t in tokens):
            return False
    return any(len(part.split()) >= 2 for part in parts)


def _title_like(text: str) -> bool:
    return is_caps(text) and not is_doi_line(text)


def find_blocks(lines: list[Line]) -> list[Block]:
    """All blocks, in the order printed."""
    anchors = [i for i, line in enumerate(lines) if ABSTRACT_LABEL.match(line.text)]
    blocks: list[Block] = []
    floor = 0  # the first index the next block may claim
    for n, anchor in enumerate(anchors):
        ceiling = anchors[n + 1] if n + 1 < len(anchors) else len(lines)
        label = lines[anchor]
        block = Block(label_language(ABSTRACT_LABEL.match(label.text), ABSTRACT_LABELS), label)
        end = _read_forward(lines, anchor, ceiling, block)
        start = _read_backward(lines, anchor, floor, block)
        block.start, block.end = start, end
        blocks.append(block)
        floor = end + 1
    return blocks


def _read_forward(lines: list[Line], anchor: int, ceiling: int, block: Block) -> int:
    """Abstract up to the keyword label, then the keyword lines; returns the last index used."""
    limit = min(ceiling, anchor + _MAX_ABSTRACT_LINES)
    keyword_at = next((i for i in range(anchor + 1, limit) if KEYWORD_LABEL.match(lines[i].text)), None)
    if keyword_at is None:
        # no keywords: the abstract is the labelled paragraph
        i = anchor + 1
        while i < limit and not _ends_paragraph(lines[i], lines[i - 1]):
            i += 1
        _set_abstract(block, lines[anchor:i])
        return i - 1
    _set_abstract(block, lines[anchor:keyword_at])
    block.keyword_language = label_language(KEYWORD_LABEL.match(lines[keyword_at].text), KEYWORD_LABELS)
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
    """DOI lines, the title and the author line above the abstract label; returns the first index used."""
    i = anchor - 1
    start = anchor
    # blank lines and DOI lines between the title and the label
    while i >= floor and (is_blank(lines[i]) or is_doi_line(lines[i].text)):
        if not is_blank(lines[i]):
            block.dois.insert(0, lines[i])
            start = i
        i -= 1
    # the title: lines in capitals, possibly with single blank lines between them
    while i >= floor:
        if _title_like(lines[i].text):
            block.title.insert(0, lines[i])
            start = i
            i -= 1
        elif is_blank(lines[i]) and i - 1 >= floor and _title_like(lines[i - 1].text) and block.title:
            i -= 1
        else:
            break
    # the author line(s), directly above the title (one blank line allowed)
    if block.title and i >= floor and is_blank(lines[i]) and i - 1 >= floor and is_name_line(lines[i - 1].text):
        i -= 1
    while i >= floor and len(block.authors) < _MAX_AUTHOR_LINES and is_name_line(lines[i].text):
        block.authors.insert(0, lines[i])
        start = i
        i -= 1
    return start
