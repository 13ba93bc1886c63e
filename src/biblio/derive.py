"""Facts that several writers derive from the model in the same way.

Keeping them here means BibTeX, CSL, JATS and Crossref agree on the landing page of an
article, its publication date, and which spelling of a name is the Latin one.
"""

from __future__ import annotations

import functools
import re
import unicodedata
import urllib.parse
from dataclasses import dataclass, field

from . import ids
from .model import Article, Contributor, Issue, LangText, PartialDate, PersonName
from .problems import Problem, article_numbers

# --- patterns: "{prefix}/x.{year}.{seq:03}", "https://journal.kz/{suffix}" ---------------

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_FIELD = re.compile(r"([a-z_]+)(?::0([1-9]))?")
DOI_PLACEHOLDERS = ("prefix", "year", "volume", "number", "whole_number", "seq")
URL_PLACEHOLDERS = ("doi", "suffix", "seq")


def pattern_problem(pattern: str, allowed: tuple[str, ...]) -> str | None:
    """What is wrong with a pattern's placeholders, in words; None when they are all fine."""
    for match in _PLACEHOLDER.finditer(pattern):
        field = _FIELD.fullmatch(match.group(1))
        if not field or field.group(1) not in allowed:
            return (f"{match.group(0)} is not a placeholder here; use "
                    + ", ".join("{" + name + "}" for name in allowed) + " (and {seq:03} to pad with zeros)")
    literal = _PLACEHOLDER.sub("", pattern)
    if "{" in literal or "}" in literal:
        return "the pattern has an unmatched '{' or '}'"
    return None


def placeholders(pattern: str) -> set[str]:
    """The names of a pattern's valid placeholders (``seq`` for ``{seq:03}``)."""
    return {field.group(1) for m in _PLACEHOLDER.finditer(pattern) if (field := _FIELD.fullmatch(m.group(1)))}


def fill_pattern(pattern: str, values: dict[str, str | None]) -> str:
    """Fill the placeholders; raises KeyError naming one that has no value."""
    parts = []
    for literal, name, width in _template(pattern):
        parts.append(literal)
        if name is not None:
            value = values.get(name)
            if value is None:
                raise KeyError(name)
            parts.append(value.zfill(width) if width else value)
    return "".join(parts)


@functools.lru_cache(maxsize=256)
def _template(pattern: str) -> tuple[tuple[str, str | None, int], ...]:
    """A pattern as (text before, placeholder name, zero-padded width) triples, parsed once:
    a writer fills the same pattern for every article."""
    parts, start = [], 0
    for match in _PLACEHOLDER.finditer(pattern):
        field = _FIELD.fullmatch(match.group(1))
        name, width = (field.group(1), field.group(2)) if field else (match.group(1), None)
        parts.append((pattern[start:match.start()], name, int(width) if width else 0))
        start = match.end()
    parts.append((pattern[start:], None, 0))
    return tuple(parts)


def article_doi(issue: Issue, seq: int) -> str:
    """The DOI the issue's pattern gives the article at 1-based position ``seq``."""
    return fill_pattern(issue.doi_pattern or "", {
        "prefix": issue.journal.doi_prefix, "year": str(issue.year), "volume": issue.volume,
        "number": issue.number, "whole_number": issue.whole_number, "seq": str(seq)})


def _url(issue: Issue, doi: str | None, seq: int | None) -> str | None:
    """The settings' landing-page pattern filled for ``doi``; None without a pattern, a DOI or a needed {seq}."""
    pattern = issue.settings.landing_page_pattern if issue.settings else None
    if not pattern or not doi or (seq is None and "seq" in placeholders(pattern)):
        return None
    quoted = urllib.parse.quote(doi, safe="/:;()._-")  # a DOI may hold '#', '?', '<'; '/' stays
    return fill_pattern(pattern, {"doi": quoted, "suffix": quoted.split("/", 1)[1],
                                  "seq": None if seq is None else str(seq)})


def landing_page(issue: Issue, article: Article, index: int) -> str | None:
    """The article's URL, or the settings' pattern filled with {doi}, {suffix} and {seq}
    (``index`` is the article's 0-based position in the issue)."""
    return article.url or _url(issue, article.doi, index + 1)


def issue_landing_page(issue: Issue) -> str | None:
    """The issue's page from the pattern ({doi}, {suffix}); None when the pattern needs {seq}."""
    return _url(issue, issue.doi, None)


def publication_date(issue: Issue, article: Article) -> tuple[PartialDate, bool]:
    """The article's print date, else its online date, else the issue's date or year.

    The flag says whether the date came from the issue rather than the article.
    """
    own = article.dates.published or article.dates.online
    return (own, False) if own else (issue.published or PartialDate(issue.year), True)


def is_latin(text: str) -> bool:
    """True when every letter of ``text`` is a Latin letter (accents allowed)."""
    if text.isascii():  # the common case, without a Unicode name lookup per letter
        return any(char.isalpha() for char in text)
    letters = [char for char in text if char.isalpha()]
    return bool(letters) and all(_latin_letter(char) for char in letters)


@functools.lru_cache(maxsize=4096)
def _latin_letter(char: str) -> bool:
    """Whether a letter is Latin; cached because every writer asks this of every name."""
    return "LATIN" in unicodedata.name(char, "")


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
    if found := latin_name(contributor):
        return found
    if article.language in contributor.names:
        return article.language, contributor.names[article.language]
    return next(iter(contributor.names.items()), None)


def paragraphs(text: str) -> list[str]:
    """Paragraphs of a multi-paragraph text (separated by blank lines)."""
    return [part.strip() for part in _BLANK_LINE.split(text) if part.strip()]


_BLANK_LINE = re.compile(r"\n\s*\n")


# --- one language for the citation formats (BibTeX, CSL-JSON, RIS) ------------------------

CYRILLIC_LANGS = frozenset({"kk", "ru", "uk", "be", "ky", "tg", "mn", "bg", "sr", "mk", "tt", "ba"})


def usual_script(lang: str) -> str:
    """The script a language tag is written in: its script subtag, else Cyrl or Latn by language."""
    return ids.script_of(lang) or ("Cyrl" if ids.primary_language(lang) in CYRILLIC_LANGS else "Latn")


def latin_both(one: str, other: str) -> bool:
    """Whether both languages are written in Latin script, where a person's name is spelt the same
    (``Juan de la Fuente`` under ``es`` serves ``en``); Cyrillic spellings differ by language (kk, ru)."""
    return usual_script(one) == usual_script(other) == "Latn"


def language_of(text: str, text_lang: str) -> str:
    """The language a name (or title) read from a one-language record goes under: the record's, unless its letters say
    otherwise — a Latin spelling in a Kazakh record is filed as en, a Cyrillic one in an English record as kk or ru, and
    Kazakh-only letters in a Russian record as kk (the trace of a fallback the writer reported)."""
    if not any(char.isalpha() for char in text):
        return text_lang
    latin = is_latin(text)
    if latin != (usual_script(text_lang) == "Latn"):
        return "en" if latin else guess_language(text)
    if not latin and ids.primary_language(text_lang) == "ru" and guess_language(text) == "kk":
        return "kk"
    return text_lang


@dataclass
class Localized:
    """One article seen in one language, as the single-language citation formats need it.

    An item never mixes languages (design.md §4): ``lang`` is the language of all its text, which
    every language field of the item names. ``fallbacks`` says, in words, where the item is not
    what was asked for (the whole item in another language, a text left out, a name spelt in
    another language); ``Fallbacks`` reports them once per file.
    """

    lang: str
    title: str | None
    abstract: str | None
    keywords: list[str]
    authors: list[tuple[Contributor, PersonName | None]]  # in order; None for a group author
    journal_title: str | None
    index: int = 0
    fallbacks: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        """The fallbacks of this one article as ``lang.fallback`` warnings."""
        return [Problem("lang.fallback", "warning", text, path=f"articles[{self.index}]") for text in self.fallbacks]


def pick(text: LangText | None, lang: str) -> tuple[str | None, str | None]:
    """The text in ``lang``, else in its original language, and the language used; (None, None) without text."""
    if not text:
        return None, None
    used = lang if lang in text.texts else text.languages[0]
    return text.texts[used], used


def name_in(contributor: Contributor, lang: str) -> tuple[PersonName, str] | None:
    """The spelling in ``lang``, else one in the same script (kk for ru), else any."""
    if lang in contributor.names:
        return contributor.names[lang], lang
    same_script = [other for other in contributor.names if usual_script(other) == usual_script(lang)]
    for other in [*same_script, *contributor.names]:
        return contributor.names[other], other
    return None


def item_language(article: Article, want: str) -> str:
    """The one language an item shows ``article`` in: ``want`` where the article has a title in it, else the
    language of its own title (the article's language, or that of its first title when it has none in it)."""
    titles = article.titles
    if not titles or want in titles.texts:
        return want
    return article.language if article.language in titles.texts else titles.languages[0]


def localize(issue: Issue, article: Article, index: int, lang: str | None = None) -> Localized:
    """The article's title, abstract, keywords and names in one language: ``lang`` (default: the article's own)
    where it has a title in it, else its own title's (``item_language``); a text missing in that language is left
    out, never taken from another. ``index``, its 0-based position in the issue, places the fallbacks."""
    want = (ids.language_tag(lang).value or lang) if lang else article.language  # normalised when a language tag
    shown = item_language(article, want)
    notes = [f"no {want} title: the whole item is written in {shown}, the language of the article's title"] \
        if shown != want else []
    abstract = article.abstracts.texts.get(shown)
    keywords = article.keywords.get(shown, [])
    for what, missing in (("abstract", article.abstracts and abstract is None), ("keywords", article.keywords
                                                                                 and not keywords)):
        if missing:
            notes.append(f"no {shown} {what}: left out rather than taken from another language")
    authors: list[tuple[Contributor, PersonName | None]] = []
    borrowed: list[str] = []
    for contributor in article.contributors:
        if contributor.organization:
            authors.append((contributor, None))
            continue
        found = name_in(contributor, shown)
        if found is None:
            continue
        name, used = found
        if used != shown and not latin_both(used, shown) and used not in borrowed:  # Latin serves every Latin language
            borrowed.append(used)
        authors.append((contributor, name))
    notes += [f"authors with no {shown} spelling of their name: the {used} spelling is written" for used in borrowed]
    journal_title, _ = pick(issue.journal.titles, shown)  # reported once per file (Fallbacks)
    return Localized(shown, article.titles.texts.get(shown), abstract, keywords, authors, journal_title, index, notes)


class Fallbacks:
    """The language fallbacks of one file of a citation format, each reported once with the articles it concerns
    (the same words in BibTeX, CSL-JSON and RIS, so that a build reports them once)."""

    def __init__(self, issue: Issue) -> None:
        self.journal_titles = issue.journal.titles
        self.found: dict[str, list[int]] = {}
        self.journal: set[str] = set()  # languages the journal has no title in

    def add(self, shown: Localized) -> None:
        for text in shown.fallbacks:
            self.found.setdefault(text, []).append(shown.index)
        if self.journal_titles and shown.lang not in self.journal_titles.texts:
            self.journal.add(shown.lang)

    def problems(self) -> list[Problem]:
        found = [Problem("lang.fallback", "warning", f"{text} ({article_numbers(indexes)})", path="articles")
                 for text, indexes in self.found.items()]
        used = self.journal_titles.languages[0] if self.journal_titles else None
        return found + [Problem("lang.fallback", "warning", f"no {lang} journal title: using the {used} journal "
                                "title", path="journal.titles") for lang in sorted(self.journal)]


def guess_language(text: str) -> str:
    """kk for Kazakh-only Cyrillic letters, ru for other Cyrillic, en for anything else."""
    if any(char in "ӘәҒғҚқҢңӨөҰұҮүҺһІі" for char in text):
        return "kk"
    if any("CYRILLIC" in unicodedata.name(char, "") for char in text if char.isalpha()):
        return "ru"
    return "en"


def organization_name(contributor: Contributor, lang: str) -> str | None:
    """A group author's name in ``lang``, else in its original language."""
    return pick(contributor.organization, lang)[0]
