"""Step 3: group the language blocks into articles and find where each article ends.

An article's blocks, each in a different language, follow one another with nothing but
blank lines, DOI lines or author details between them; body text, or a second block in
a language the article has, begins a new article, which ends the one before.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .authors import is_decoration
from .blocks import Block, is_doi_line
from .text import Line, is_blank


@dataclass
class ArticleSpan:
    """One article's place in the text: its language blocks and the lines from its first to its last."""

    blocks: list[Block] = field(default_factory=list)
    start: int = 0  # index into the line list
    end: int = 0  # index of the last line (inclusive)

    @property
    def front_end(self) -> int:
        """Index of the last line of the front matter (the last block)."""
        return max(block.end for block in self.blocks)

    def languages(self) -> list[str]:
        """The languages of its blocks, in printed order: a block in one of them starts the next article."""
        return [block.language for block in self.blocks]


def _only_gap(lines: list[Line], after: int, before: int) -> bool:
    """Nothing but blank lines, DOI lines and author details (ORCID iDs, e-mails, affiliations)."""
    return all(is_blank(line) or is_doi_line(line.text) or is_decoration(line.text)
               for line in lines[after + 1:before])


def group_articles(lines: list[Line], blocks: list[Block]) -> list[ArticleSpan]:
    """Articles in printed order; text before the first block belongs to no article."""
    articles: list[ArticleSpan] = []
    for block in blocks:
        current = articles[-1] if articles else None
        if (current is not None and block.language not in current.languages()
                and _only_gap(lines, current.blocks[-1].end, block.start)):
            current.blocks.append(block)
        else:
            articles.append(ArticleSpan([block], start=block.start))
    for n, article in enumerate(articles):
        article.end = articles[n + 1].start - 1 if n + 1 < len(articles) else len(lines) - 1
    return articles
