"""Facts that several writers derive from the model in the same way.

Keeping them here means BibTeX, CSL, JATS and Crossref agree on the landing page of an
article, its publication date, and which spelling of a name is the Latin one.
"""

from __future__ import annotations

import re
import unicodedata

from . import ids
from .model import Article, Contributor, Issue, PartialDate, PersonName


def _fill(pattern: str, doi: str, seq: int | None) -> str | None:
    if seq is None and "{seq}" in pattern:
        return None
    filled = pattern.replace("{doi}", doi).replace("{suffix}", doi.split("/", 1)[1])
    return filled.replace("{seq}", str(seq)) if seq is not None else filled


def landing_page(issue: Issue, index: int) -> str | None:
    """The article's URL, or the settings' pattern filled with {doi}, {suffix} and {seq}."""
    article = issue.articles[index]
    if article.url:
        return article.url
    pattern = issue.settings.landing_page_pattern if issue.settings else None
    if not pattern or not article.doi:
        return None
    return _fill(pattern, article.doi, index + 1)


def issue_landing_page(issue: Issue) -> str | None:
    """The issue's page from the pattern ({doi}, {suffix}); None when the pattern needs {seq}."""
    pattern = issue.settings.landing_page_pattern if issue.settings else None
    if not pattern or not issue.doi:
        return None
    return _fill(pattern, issue.doi, None)


def publication_date(issue: Issue, article: Article) -> tuple[PartialDate, bool]:
    """The article's print date, else its online date, else the issue's date or year.

    The flag says whether the date came from the issue rather than the article.
    """
    if article.dates.published:
        return article.dates.published, False
    if article.dates.online:
        return article.dates.online, False
    return (issue.published or PartialDate(issue.year)), True


def is_latin(text: str) -> bool:
    """True when every letter of ``text`` is a Latin letter (accents allowed)."""
    letters = [char for char in text if char.isalpha()]
    return bool(letters) and all("LATIN" in unicodedata.name(char, "") for char in letters)


def latin_name(contributor: Contributor) -> tuple[str, PersonName] | None:
    """The spelling in Latin script: a ``-Latn`` tag first, then any name written in Latin letters."""
    for lang, name in contributor.names.items():
        if ids.script_of(lang) == "Latn":
            return lang, name
    for lang, name in contributor.names.items():
        if is_latin(name.family + " " + (name.given or "")):
            return lang, name
    return None


def main_name(contributor: Contributor, article: Article) -> tuple[str, PersonName] | None:
    """The Latin spelling if there is one, else the article-language spelling, else the first."""
    found = latin_name(contributor)
    if found:
        return found
    if article.language in contributor.names:
        return article.language, contributor.names[article.language]
    return next(iter(contributor.names.items()), None)


def paragraphs(text: str) -> list[str]:
    """Paragraphs of a multi-paragraph text (separated by blank lines)."""
    return [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]
