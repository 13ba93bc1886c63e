"""Step 4: read the parts of one language block as text.

Titles are joined across lines and kept in their printed capitals; abstracts keep their
paragraphs; keyword lists split on semicolons when they use them, otherwise on commas.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .authors import PrintedAuthor, id_line, read_author_line
from .blocks import Block
from .language import ABSTRACT_LABEL, KEYWORD_LABEL
from .text import Joiner, Line


def title_text(block: Block, joiner: Joiner) -> str | None:
    """The block's title as one line of text, capitals as printed; None without a title."""
    return joiner.join([line.text for line in block.title]) or None


def printed_authors(block: Block) -> list[PrintedAuthor]:
    """The authors on the author line(s), with the ORCID iDs and e-mails printed beside them.

    A line of only iDs (or e-mails) below the names gives one per name, in order, only when it
    has exactly as many as there are names: otherwise it is left to the editor."""
    authors = [author for line in block.authors for author in read_author_line(line.text) or []]
    listed = [pair for line in block.id_lines for pair in id_line(line.text) or []]
    for kind in ("orcid", "email"):
        values = [value for k, value in listed if k == kind]
        if values and len(values) == len(authors) and not any(getattr(a, kind) for a in authors):
            authors = [replace(a, **{kind: value}) for a, value in zip(authors, values)]
    return authors


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
