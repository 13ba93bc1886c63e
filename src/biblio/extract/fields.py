"""Step 4: read the parts of one language block as text.

Titles are joined across lines and kept in their printed capitals; abstracts keep their
paragraphs; keyword lists split on semicolons when they use them, otherwise on commas.
"""

from __future__ import annotations

import re

from .authors import PrintedAuthor, read_author_line
from .blocks import Block
from .contacts import LooseId, place
from .language import ABSTRACT_LABEL, KEYWORD_LABEL
from .text import Joiner, Line


def title_text(block: Block, joiner: Joiner) -> str | None:
    """The block's title as one line of text, capitals as printed; None without a title."""
    return joiner.join([line.text for line in block.title]) or None


def printed_authors(block: Block) -> list[PrintedAuthor]:
    """The authors on the author line(s), with the ORCID iDs and e-mails printed beside them or
    placed from the lines under them (`contacts.place`)."""
    return authors_and_loose(block)[0]


def authors_and_loose(block: Block) -> tuple[list[PrintedAuthor], list[LooseId]]:
    """`printed_authors`, and the iDs and e-mails under the names that could not be given to one of them."""
    authors = [author for line in block.authors for author in read_author_line(line.text) or []]
    return place(authors, block.id_lines, block.details)


def author_names(block: Block) -> list[str]:
    """The names printed on the author line(s), one string each, as printed (markers taken off)."""
    return [author.name for author in printed_authors(block)]


def _without_label(lines: list[Line], label: re.Pattern[str]) -> list[Line]:
    if not lines:
        return []
    first = lines[0]
    match = label.match(first.text)
    rest = first.text[match.end():] if match else first.text
    return [Line(first.number, rest)] + lines[1:]


def abstract_text(block: Block, joiner: Joiner) -> str | None:
    """The block's abstract without its label, paragraphs separated by an empty line; None if empty."""
    return joiner.paragraphs(_without_label(block.abstract, ABSTRACT_LABEL)) or None


def keyword_list(block: Block, joiner: Joiner) -> list[str]:
    """The block's keywords without their label, split on semicolons if it uses them, else on commas."""
    text = joiner.join([line.text for line in _without_label(block.keywords, KEYWORD_LABEL)])
    text = text.strip().rstrip(".;,").strip()
    if not text:
        return []
    separator = ";" if ";" in text else ","
    return [item.strip().rstrip(".") for item in text.split(separator) if item.strip().rstrip(".")]
