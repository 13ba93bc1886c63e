"""Step 4: read the parts of one language block as text.

Titles are joined across lines (hyphenation undone, spacing squeezed) and kept in the
capitals they are printed in. Abstracts keep their paragraphs. Keyword lists are
split on semicolons when the list uses them, otherwise on commas, so a keyword that
contains a comma survives in a semicolon list.
"""

from __future__ import annotations

from .blocks import Block, split_names
from .language import ABSTRACT_LABEL, KEYWORD_LABEL
from .text import Joiner, Line


def title_text(block: Block, joiner: Joiner) -> str | None:
    return joiner.join([line.text for line in block.title]) or None


def author_names(block: Block) -> list[str]:
    """The names printed on the author line(s), one string each, as printed."""
    names: list[str] = []
    for line in block.authors:
        names.extend(split_names(line.text))
    return names


def _without_label(lines: list[Line], label) -> list[Line]:
    if not lines:
        return []
    first = lines[0]
    match = label.match(first.text)
    rest = first.text[match.end():] if match else first.text
    return [Line(first.number, rest)] + lines[1:]


def abstract_text(block: Block, joiner: Joiner) -> str | None:
    return joiner.paragraphs(_without_label(block.abstract, ABSTRACT_LABEL)) or None


def keyword_list(block: Block, joiner: Joiner) -> list[str]:
    text = joiner.join([line.text for line in _without_label(block.keywords, KEYWORD_LABEL)])
    text = text.strip().rstrip(".;,").strip()
    if not text:
        return []
    separator = ";" if ";" in text else ","
    return [item.strip().rstrip(".") for item in text.split(separator) if item.strip().rstrip(".")]
