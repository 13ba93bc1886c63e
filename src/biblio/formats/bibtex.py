"""BibTeX / BibLaTeX: one ``@article`` per article, in one language per file.

Mapping decisions (design.md §4):

- **Raw UTF-8.** Cyrillic and Kazakh letters are written as they are, never as LaTeX
  macros (``\\CYRSCHWA`` breaks Zotero and most TeX setups). Only what TeX itself needs is
  escaped: ``& % $ # _`` as ``\\&`` …, ``\\`` ``~`` ``^`` as ``\\textbackslash{}``,
  ``\\textasciitilde{}``, ``\\textasciicircum{}``; braces as ``\\{ \\}`` when the text's own
  braces pair up, else as ``\\textbraceleft{}``/``\\textbraceright{}`` (BibTeX counts ``\\{``
  as a brace, so an unpaired one would break the file); and ``{}`` between the character
  pairs TeX turns into other characters (``--``, ``''``, `````` ``, ``!` ``, ``?` ``).
  Whitespace runs become one space (BibTeX collapses them anyway); paragraphs of an
  abstract are joined with ``\\par``. The reader undoes exactly this, so a round trip
  gives back the same text.
- **Titles are brace-protected** (``title = {{…}}``): styles that change case would
  otherwise lower-case titles printed in capitals; the title is kept as printed.
- **Names**: ``Family, Given and …``; a family name or given name holding a comma or the
  word "and" is braced; a person with one name keeps it as one token (``Abu{ }Nasr``); a
  group author is one brace group, ``{The Consortium}``.
- **language and langid**: ``language`` is the article's own language as a BCP 47 tag
  (``kk``), the form Zotero stores and CSL processors use (biblio's CSL-JSON writes the
  same); ``langid`` is the biblatex/babel name of the language the entry's text is
  in (``kazakh``, ``russian``, ``english``), which biblatex uses for hyphenation. They
  differ in a translated view: the English entry of a Kazakh article has
  ``language = {kk}`` and ``langid = {english}``.
- **Pages and article numbers**: ``pages = {9--22}``; an article number goes to ``eid``
  (biblatex's field for it, as ADS and APS write it), never into ``pages``.
- **ISSN**: every ISSN of the journal, comma-separated (as Zotero exports them).
- **Dates**: ``year``, and ``month`` as BibTeX's month macro (``month = jun``) when known;
  the day has no BibTeX field (biblatex's ``date`` would clash with ``year`` in biber).
- **Keys** are ASCII and the same in every language's file, so switching files keeps
  ``\\cite`` commands working: the first author's family name (its Latin spelling, else
  transliterated from Cyrillic), the year, and the first word of four letters or more of
  the English (or another Latin-script) title, else of the original title transliterated:
  ``nassimov2025genesis``. Keys that collide get ``a``, ``b``, … in article order; they are
  computed over the whole issue, so exporting some articles does not change them.

Whatever BibTeX cannot carry is reported as a ``bibtex.not-carried`` note per kind of
field, with the article numbers, and every language fallback as a ``lang.fallback``
warning (the code the citation formats share, so a build reports each fallback once).

The reader takes BibTeX and BibLaTeX from other tools too: ``journaltitle``, ``date``,
``issue``, ``langid``, LaTeX accents (decoded with pylatexenc, which bibtexparser depends
on), "Given Family" names, ``pages`` with ``-`` or ``--``, DOIs as URLs, keywords split at
``,`` or ``;``.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import logging
import re
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import bibtexparser
from bibtexparser.library import Library
from bibtexparser.middlewares import RemoveEnclosingMiddleware
from bibtexparser.middlewares.names import InvalidNameError, parse_single_name_into_parts
from bibtexparser.model import (
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    ExplicitComment,
    Field,
    ImplicitComment,
    ParsingFailedBlock,
)

from .. import derive, ids
from ..fileio import read_head
from ..model import (
    Article,
    ArticleDates,
    Contributor,
    Issn,
    Issue,
    Journal,
    LangText,
    Pages,
    PartialDate,
    PersonName,
    Publisher,
)
from ..problems import Problem, article_numbers
from . import textfiles, xmltools

FILE_NAME = "articles.bib"

# --- languages ------------------------------------------------------------------------

# biblatex/babel/polyglossia names for langid, by primary language subtag.
LANGID: dict[str, str] = {
    "kk": "kazakh", "ru": "russian", "en": "english", "uk": "ukrainian", "be": "belarusian", "ky": "kyrgyz",
    "uz": "uzbek", "tt": "tatar", "tr": "turkish", "az": "azerbaijani", "mn": "mongolian", "de": "ngerman",
    "fr": "french", "es": "spanish", "it": "italian", "pt": "portuguese", "pl": "polish", "cs": "czech",
    "sk": "slovak", "bg": "bulgarian", "sr": "serbian", "hr": "croatian", "sl": "slovenian", "ro": "romanian",
    "hu": "magyar", "fi": "finnish", "et": "estonian", "lv": "latvian", "lt": "lithuanian", "nl": "dutch",
    "sv": "swedish", "da": "danish", "nb": "norsk", "nn": "nynorsk", "el": "greek", "ka": "georgian",
    "hy": "armenian", "ar": "arabic", "fa": "persian", "he": "hebrew", "zh": "chinese", "ja": "japanese",
    "ko": "korean", "la": "latin",
}
_LANGID_REGIONAL = {"en-GB": "british", "en-US": "american", "de-AT": "naustrian", "de-CH": "nswissgerman",
                    "pt-BR": "brazilian"}
# Language names and codes other tools write in `language` or `langid`, to a tag.
_LANG_NAMES: dict[str, str] = {name: tag for tag, name in LANGID.items()}
_LANG_NAMES.update({
    "american": "en", "british": "en", "usenglish": "en", "ukenglish": "en", "australian": "en",
    "canadian": "en", "newzealand": "en", "german": "de", "austrian": "de", "naustrian": "de",
    "swissgerman": "de", "nswissgerman": "de", "brazil": "pt", "brazilian": "pt", "portuges": "pt",
    "kazak": "kk", "norwegian": "nb", "hungarian": "hu", "slovene": "sl",
    "eng": "en", "rus": "ru", "kaz": "kk", "ukr": "uk", "bel": "be", "kir": "ky", "uzb": "uz", "tat": "tt",
    "tur": "tr", "deu": "de", "ger": "de", "fra": "fr", "fre": "fr", "spa": "es", "ita": "it", "pol": "pl",
    "por": "pt", "chi": "zh", "zho": "zh", "jpn": "ja",
    "русский": "ru", "русский язык": "ru", "английский": "en", "казахский": "kk", "қазақ": "kk",
    "қазақша": "kk", "қазақ тілі": "kk", "орыс": "ru", "орыс тілі": "ru", "ағылшын": "en",
    "ағылшын тілі": "en",
})
_CYRILLIC_LANGS = {"kk", "ru", "uk", "be", "ky", "tg", "mn", "bg", "sr", "mk", "tt", "ba"}


def langid(tag: str) -> str | None:
    """The biblatex language name for a language tag (``kk-Latn`` -> ``kazakh``), if there is one."""
    if tag in _LANGID_REGIONAL:
        return _LANGID_REGIONAL[tag]
    return LANGID.get(ids.primary_language(tag))


def language_tag(value: str) -> str | None:
    """A tag for what other tools write in ``language``/``langid``: ``Russian``, ``rus``, ``ru``, ``kazakh``."""
    text = " ".join(value.split()).strip().lower()
    if not text:
        return None
    if text in _LANG_NAMES:
        return _LANG_NAMES[text]
    checked = ids.language_tag(value.strip())
    if checked.ok and checked.value and len(ids.primary_language(checked.value)) <= 3:
        return checked.value
    return None


# --- text: TeX escaping and its exact inverse -----------------------------------------------

_SPACE = re.compile(r"[ \t\n\r\f\v]+")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")
_ESCAPES = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "\\": r"\textbackslash{}",
            "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
_LIGATURES = {"--", "''", "``", "!`", "?`"}  # pairs TeX (and the reader) turn into other characters
_SPACES = re.compile(" {2,}")
_TEX_SPECIAL = re.compile(r"[&%$#_\\~^{}]")
_ESCAPE_PAIRED = {**_ESCAPES, "{": r"\{", "}": r"\}"}
_ESCAPE_UNPAIRED = {**_ESCAPES, "{": r"\textbraceleft{}", "}": r"\textbraceright{}"}
_LIGATURE_START = re.compile(r"-(?=-)|'(?=')|`(?=`)|!(?=`)|\?(?=`)")  # "{}" goes after each


def squash(text: str) -> str:
    """Whitespace runs as one space, trimmed: what BibTeX keeps of a field's spacing."""
    if "\n" in text or "\t" in text or "\r" in text or "\f" in text or "\v" in text:
        return _SPACE.sub(" ", text).strip()
    # No whitespace but spaces (the usual value): no regular expression. Five searches for
    # a character cost less than one str.isprintable over a long abstract.
    return (_SPACES.sub(" ", text) if "  " in text else text).strip()


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a text (split at blank lines), each squashed."""
    if "\n" not in text:  # one paragraph
        text = squash(text)
        return [text] if text else []
    return [part for part in (squash(p) for p in _PARAGRAPH_BREAK.split(text)) if part]


def _braces_pair_up(text: str) -> bool:
    depth = 0
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def tex_escape(text: str) -> str:
    """Text as a BibTeX field value that TeX and biblio's reader both read back as ``text``.

    Whitespace is squashed; letters of every script stay as they are.
    """
    if text.isalnum():  # a one-word name, a page number: no space, no special, no ligature pair
        return text
    return _escape_squashed(squash(text))


def _escape_squashed(text: str) -> str:
    """``tex_escape`` of a text already squashed (squashing twice costs a scan of a long text)."""
    if not _needs_escape(text):  # most text: one fast search per special character
        return text
    table = _ESCAPE_PAIRED if _braces_pair_up(text) else _ESCAPE_UNPAIRED
    escaped = _TEX_SPECIAL.sub(lambda match: table[match.group()], text)
    # Escapes neither hold nor border the ligature characters, so the pairs are the text's own.
    return _LIGATURE_START.sub(r"\g<0>{}", escaped)


def _plain_words(text: str) -> bool:
    """Letters, digits and single hyphens in words one space apart: a text ``tex_escape``
    returns as it is, found with a few quick tests on a short text instead of some twenty searches."""
    return (text.replace(" ", "").replace("-", "").isalnum() and text[0] != " " and text[-1] != " "
            and "  " not in text and "--" not in text)


def _plain_word_list(joined: str, count: int) -> bool:
    """Whether ``count`` texts joined with NUL are each ``_plain_words``: tested on the joined
    text at once (the NULs are exactly the ``count - 1`` joins, none of them at an end or next
    to another or to a space)."""
    return (joined.replace(" ", "").replace("\x00", "").replace("-", "").isalnum()
            and joined.count("\x00") == count - 1 and joined[0] not in " \x00" and joined[-1] not in " \x00"
            and "  " not in joined and "--" not in joined and "\x00\x00" not in joined and " \x00" not in joined
            and "\x00 " not in joined)


def _needs_escape(text: str) -> bool:
    """Whether ``text`` has a character TeX treats specially or a ligature pair.

    A pair is looked for only when its character is there: a search for one character runs at
    memory speed, one for two characters costs twenty times as much over a long abstract.
    """
    return ("&" in text or "%" in text or "$" in text or "#" in text or "_" in text or "\\" in text
            or "~" in text or "^" in text or "{" in text or "}" in text or "`" in text
            or ("-" in text and "--" in text) or ("'" in text and "''" in text))


@functools.cache
def _decoder():
    from pylatexenc.latex2text import (
        LatexNodes2Text,
        MacroTextSpec,
        SpecialsTextSpec,
        get_default_latex_context_db,
    )

    context = get_default_latex_context_db()
    context.add_context_category("biblio-bibtex", prepend=True, macros=[
        MacroTextSpec("textbraceleft", simplify_repl="{"),
        MacroTextSpec("textbraceright", simplify_repl="}"),
        MacroTextSpec("textasciicircum", simplify_repl="^"),
        MacroTextSpec("textasciitilde", simplify_repl="~"),
        MacroTextSpec("textunderscore", simplify_repl="_"),
        MacroTextSpec("textquotedbl", simplify_repl='"'),
        MacroTextSpec("par", simplify_repl="\n\n"),
        MacroTextSpec("url", simplify_repl="%s"),
        MacroTextSpec("LaTeX", simplify_repl="LaTeX"),
        MacroTextSpec("TeX", simplify_repl="TeX"),
    ], specials=[SpecialsTextSpec("~", " ")])  # a tie between initials is a space in metadata
    return context, LatexNodes2Text(latex_context=context, math_mode="verbatim", strict_latex_spaces=True)


_UNESCAPED = re.compile(r"(\\*)([&%])")
_MACRO = re.compile(r"\\(?:([A-Za-z]+)|.)")


def tex_decode(value: str) -> tuple[str, list[str]]:
    """A field value as plain Unicode text, and the LaTeX macros it had that biblio does not know.

    Undoes ``tex_escape`` exactly and reads what other tools write: accents (``{\\"o}``,
    ``\\'e``, ``{\\c c}``, ``\\ss``), dashes, quotes, braces. An unescaped ``&`` or ``%`` is
    kept as text (TeX would misread it, but the metadata is clear).
    """
    context, decoder = _decoder()
    value = _UNESCAPED.sub(lambda m: m.group(1) + ("\\" if len(m.group(1)) % 2 == 0 else "") + m.group(2), value)
    unknown = sorted({m.group(1) for m in _MACRO.finditer(value)
                      if m.group(1) and context.get_macro_spec(m.group(1)) is None})
    from pylatexenc.latexwalker import LatexWalkerError

    try:
        text = decoder.latex_to_text(value)
    except LatexWalkerError:  # pylatexenc parses tolerantly; keep the raw text if it ever gives up
        text = value
    return text, unknown


# --- cite keys ------------------------------------------------------------------------------

_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya", "ә": "a", "ғ": "g", "қ": "q", "ң": "n", "ө": "o", "ұ": "u", "ү": "u",
    "һ": "h", "і": "i", "є": "ye", "ї": "yi", "ґ": "g", "ў": "u",
}


def ascii_fold(text: str) -> str:
    """Lower-case ASCII letters and digits only: Cyrillic transliterated, accents dropped."""
    if text.isascii():  # nothing to transliterate or decompose
        text = text.lower()
        return text if text.isalnum() else "".join(filter(str.isalnum, text))
    letters = "".join(_TRANSLIT.get(char, char) for char in text.lower())
    letters = unicodedata.normalize("NFKD", letters.replace("ß", "ss").replace("ø", "o").replace("ł", "l"))
    return "".join(char for char in letters if char.isascii() and char.isalnum())


def _key_word(article: Article) -> str:
    title = article.titles.texts.get("en")
    if title is None:
        title = next((text for _, text in article.titles.items() if derive.is_latin(text)), None)
    if title is None:
        title = article.titles.main or ""
    first = ""
    for match in _TITLE_WORD.finditer(title):  # found and folded one at a time: the key needs only the first few
        word = ascii_fold(match.group())
        if not word or word.isdigit():
            continue
        if len(word) >= 4:
            return word
        first = first or word
    return first


_TITLE_WORD = re.compile(r"[^\s\-–—/]+")  # the words between white space, dashes and slashes


def _key_name(article: Article) -> str:
    for contributor in article.contributors:
        if contributor.organization:
            words = [ascii_fold(w) for w in (contributor.organization.main or "").split()]
            name = next((w for w in words if len(w) >= 3), "".join(words))
        else:
            found = _main_spelling(contributor, article)
            name = ascii_fold(found.family) if found else ""
        if name:
            return name
    return "anon"


def _main_spelling(contributor: Contributor, article: Article) -> PersonName | None:
    """The name ``derive.main_name`` gives, asking once (not twice) for a Latin spelling, and
    answering "not Latin" at the first Cyrillic letter: every article's key needs it."""
    names = contributor.names
    for lang, name in names.items():
        if "-" in lang and ids.script_of(lang) == "Latn":  # no subtag, no script
            return name
    for name in names.values():
        family, given = name.family, name.given or ""
        if family.isalpha() and family.isascii() and given.isascii():  # ASCII letters (and more ASCII)
            return name
        if _CYRILLIC_LETTER.match(family) is None and derive.is_latin(family + " " + given):  # else not Latin
            return name
    if article.language in names:
        return names[article.language]
    return next(iter(names.values()), None)


_CYRILLIC_LETTER = re.compile("[\u0400-\u0481\u048a-\u052f]")  # letters only, none of them Latin


def _key_base(issue: Issue, article: Article) -> str:
    year = derive.publication_date(issue, article)[0].year
    return f"{_key_name(article)}{year}{_key_word(article)}"


def cite_keys(issue: Issue) -> list[str]:
    """A unique ASCII key per article of the issue, the same whatever language is written."""
    return _unique_keys([_key_base(issue, article) for article in issue.articles])


def _unique_keys(bases: list[str]) -> list[str]:
    """Bases made unique: a base used twice gets suffixes, in the order of the articles.

    Each repeated base goes on through its suffixes where it stopped: the ones before were
    all taken, and stay taken, so the first free one is the same as from the start.
    """
    counts = Counter(bases)
    used = {base for base in bases if counts[base] == 1}
    keys = []
    suffixes: dict[str, Iterator[str]] = {}
    for base in bases:
        if counts[base] == 1:
            keys.append(base)
            continue
        candidates = suffixes.get(base)
        if candidates is None:
            candidates = suffixes[base] = _suffixed(base)
        key = next(candidate for candidate in candidates if candidate not in used)
        used.add(key)
        keys.append(key)
    return keys


def _suffixed(base: str) -> Iterator[str]:
    """``base`` with a, b, ..., z, aa, ab, ..., zz, aaa, ...: never runs out, however many
    articles share a base (a catalogue of unsigned editorials, say)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    for length in itertools.count(1):
        for suffix in itertools.product(letters, repeat=length):
            yield base + "".join(suffix)


# --- writing ------------------------------------------------------------------------------

# BibTeX's month macros: classic styles print "June", biber reads 6, Zotero reads both.
_MONTH_MACROS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_AND = re.compile(r"(?:^|\s)and(?:\s|$)", re.IGNORECASE)


def _name_part(tex: str) -> str:
    """Brace a family or given name that holds a comma or the word "and" (BibTeX would split there)."""
    return "{" + tex + "}" if "," in tex or ("and" in tex.lower() and _AND.search(tex)) else tex


def person_tex(name: PersonName) -> str:
    family, given = name.family, name.given
    if given and family.isalnum() and given.isalnum() and (len(family) != 3 or family.lower() != "and") \
            and (len(given) != 3 or given.lower() != "and"):  # one word each, the usual name: as it is
        return f"{family}, {given}"
    family, given = tex_escape(family), tex_escape(given or "")
    if given:
        return f"{_name_part(family)}, {_name_part(given)}"
    if family.lower() == "and":
        return "{" + family[0] + "}" + family[1:]
    token = family.replace(" ", "{ }").replace(",", "{,}")  # one name, one token
    return "{}" + token if _whole_group(token) else token  # one brace group would be a group author


def _keywords_tex(words: list[str]) -> str:
    """The keywords that are not blank, escaped, a comma or semicolon in one braced."""
    joined = "\x00".join(words)
    if _plain_word_list(joined, len(words)):  # most lists: nothing to squash, escape or brace
        return joined.replace("\x00", ", ")
    escaped = []
    for word in words:
        if _plain_words(word):  # most keywords: nothing to squash, escape or brace
            escaped.append(word)
            continue
        word = squash(word)
        if word:
            word = _escape_squashed(word)
            if "," in word or ";" in word:
                word = word.replace(",", "{,}").replace(";", "{;}")
            escaped.append(word)
    return ", ".join(escaped)


def _url(url: str) -> str:
    """A URL as BibTeX can hold it verbatim: characters that would unbalance the field percent-encoded."""
    url = url.strip()
    if "{" in url or "}" in url or "\\" in url or " " in url:  # rare: the usual URL is returned as it is
        url = "".join(_URL_ESCAPES.get(char, char) for char in url)
    return url


_URL_ESCAPES = {"{": "%7B", "}": "%7D", "\\": "%5C", " ": "%20"}


# What BibTeX cannot carry of an article, in the order check_not_carried looks for them.
_ARTICLE_KINDS = ("titles in other languages", "abstracts in other languages", "keywords in other languages",
                  "author names in other languages and scripts", "the printed order of names (family name first)",
                  "ORCID iDs", "affiliations", "e-mail addresses and the corresponding-author flag", "CRediT roles",
                  "funding", "reference lists", "sections", "in-text citation numbers", "licences",
                  "dates other than the publication date (received, accepted, online)")


@dataclass
class _Made:
    """What making one entry added to its writer: problems, kinds left out, languages to report."""

    problems: list[Problem]
    dropped: tuple[str, ...]
    journal_fallback: str | None
    no_langid: str | None


@dataclass
class _Writer:
    issue: Issue
    lang: str | None
    problems: list[Problem] = field(default_factory=list)
    not_carried: textfiles.NotCarried = field(default_factory=textfiles.NotCarried)
    dropped: list[str] = field(default_factory=list)  # what the entry being made leaves out on the way
    per_lang: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)  # publisher, langid
    issns: str | None = None  # as every entry writes them
    last: tuple[int, int, tuple[str, ...], str | None, str | None] | None = None  # for ``made``

    def __post_init__(self) -> None:
        self.shows = textfiles.shown_language(self.lang)
    no_langid: set[str] = field(default_factory=set)
    journal_fallbacks: set[str] = field(default_factory=set)
    escaped: dict[str, str] = field(default_factory=dict)
    kinds: dict[tuple[bool, ...], tuple[str, ...]] = field(default_factory=dict)  # by check_not_carried

    @property
    def made(self) -> _Made | None:
        """What the last entry found, for a writer of the same language to take: made when asked
        (``dumps`` never asks)."""
        if self.last is None:
            return None
        first, end, dropped, fallback, no_langid = self.last
        return _Made(self.problems[first:end], dropped, fallback, no_langid)

    def drop(self, what: str) -> None:
        if what not in self.dropped:  # once, so the kinds can go to NotCarried as a tuple
            self.dropped.append(what)

    def issue_tex(self, text: str) -> str:
        """``tex_escape`` of a value every entry repeats (journal, volume, publisher): escaped once."""
        escaped = self.escaped.get(text)
        if escaped is None:
            escaped = self.escaped[text] = tex_escape(text)
        return escaped

    def warn(self, code: str, message: str, path: str) -> None:
        self.problems.append(Problem(code, "warning", message, path=path))

    def entry(self, index: int) -> dict[str, _Value]:
        """The fields of one article's entry by name, in order; the long texts are escaped when written."""
        issue, article = self.issue, self.issue.articles[index]
        shown = derive.localize(issue, index, self.lang)  # lang.fallback: shared by the citation formats
        first_problem = len(self.problems)
        if shown.problems:
            self.problems += shown.problems
        self.dropped = []
        fallback = None
        text_lang = shown.lang
        titles = article.titles
        if titles.texts and text_lang not in titles.texts:
            text_lang = titles.languages[0]  # the title decides what langid says
        fields: dict[str, _Value] = {}
        authors: list[str] = []
        people = {"author": authors}
        for contributor, name in shown.authors:
            role = contributor.role
            if role not in ("author", "editor", "translator"):
                self.drop(f"contributors in the role {role}")
                continue
            if name is None:
                tex = "{" + tex_escape(derive.organization_name(contributor, shown.lang) or "") + "}"
            else:
                tex = person_tex(name)
            (authors if role == "author" else people.setdefault(role, [])).append(tex)
        if authors:
            fields["author"] = " and ".join(authors)
        if shown.title:
            fields["title"] = _Escaped(_braced, shown.title)
        else:
            self.warn("bibtex.title-missing", "the article has no title; BibTeX requires one", f"articles[{index}]")
        if shown.journal_title:
            fields["journal"] = self.issue_tex(shown.journal_title)
            if shown.lang not in issue.journal.titles.texts:
                fallback = shown.lang
                self.journal_fallbacks.add(shown.lang)
        if issue.journal.abbreviation:
            fields["shortjournal"] = self.issue_tex(issue.journal.abbreviation)
        date, _ = derive.publication_date(issue, article)
        fields["year"] = f"{date.year:04d}"
        if date.month is not None:
            fields["month"] = _MONTH_MACROS[date.month - 1]
            if date.day is not None:
                self.drop("the day of the publication date")
        if issue.volume:
            fields["volume"] = self.issue_tex(issue.volume)
        if issue.number:
            fields["number"] = self.issue_tex(issue.number)
        fields.update(self.pages(article))
        if article.doi:
            if "{" in article.doi or "}" in article.doi or "\\" in article.doi:
                self.warn("bibtex.doi-unwritable", f"the DOI {article.doi} holds a brace or backslash, which a "
                          "BibTeX doi field cannot hold; it is left out", f"articles[{index}].doi")
            else:
                fields["doi"] = article.doi
        if issue.journal.issns:
            if self.issns is None:
                self.issns = ", ".join(issn.value for issn in issue.journal.issns)
            fields["issn"] = self.issns
        url = derive.landing_page(issue, index)
        if url:
            fields["url"] = _url(url)
        abstract = paragraphs(shown.abstract) if shown.abstract else []
        if abstract:
            fields["abstract"] = _Escaped(_abstract_tex, abstract)
        if shown.keywords:
            joined = "\x00".join(shown.keywords)
            if "," in joined or ";" in joined:
                for word in shown.keywords:
                    if "," in word or ";" in word:
                        self.warn("bibtex.keyword-separator", f"the keyword '{word}' holds a comma or semicolon: "
                                  "biblio keeps it in braces, but other programs (Zotero, biber) may split it in "
                                  "two", f"articles[{index}].keywords")
            fields["keywords"] = _keywords_tex(shown.keywords)
        publisher, _ = self.language_facts(shown.lang)
        if publisher:
            fields["publisher"] = publisher
        fields["language"] = article.language
        language_name = self.language_facts(text_lang)[1]
        if language_name:
            fields["langid"] = language_name
        else:
            self.no_langid.add(text_lang)
        for role in ("editor", "translator"):
            if people.get(role):
                fields[role] = " and ".join(people[role])
        kinds = self.check_not_carried(article, shown, text_lang)
        dropped = (*self.dropped, *kinds) if self.dropped else kinds  # no kind twice: NotCarried takes a tuple
        self.not_carried.add(index, dropped)
        self.last = (first_problem, len(self.problems), dropped, fallback, None if language_name else text_lang)
        if all(fields.values()):  # the usual entry: no empty value to leave out
            return fields
        return {name: value for name, value in fields.items() if value}

    def take(self, index: int, made: _Made) -> None:
        """What another writer's entry in the same language found, as if this writer had made it."""
        self.problems += made.problems
        if made.journal_fallback is not None:
            self.journal_fallbacks.add(made.journal_fallback)
        if made.no_langid is not None:
            self.no_langid.add(made.no_langid)
        self.not_carried.add(index, made.dropped)

    def language_facts(self, lang: str) -> tuple[str | None, str | None]:
        """The publisher's name (escaped) and the langid for a language: the same for every entry in it."""
        facts = self.per_lang.get(lang)
        if facts is None:
            publisher = self.issue.journal.publisher
            name = derive.pick(publisher.name, lang)[0] if publisher else None
            facts = self.per_lang[lang] = (self.issue_tex(name) if name else None, langid(lang))
        return facts

    def pages(self, article: Article) -> list[tuple[str, str]]:
        pages = article.pages
        if pages is None:
            return []
        found = []
        if pages.first:
            text = tex_escape(pages.first)
            if pages.last:
                text += "--" + tex_escape(pages.last)
            found.append(("pages", text))
        if pages.article_number:
            found.append(("eid", tex_escape(pages.article_number)))
        return found

    def check_not_carried(self, article: Article, shown: derive.Localized, text_lang: str) -> tuple[str, ...]:
        """What of the article (and its issue) the entry leaves out, by kind, in a fixed order.

        This runs for every entry: one loop over the people, and the kinds as a tuple made once
        per combination of kinds present (articles of an issue share a few).
        """
        titles = article.titles.texts
        spellings = family_first = orcid = affiliations = email = credit = False
        for person in article.contributors:
            names = person.names
            if len(names) > 1 or (person.organization and len(person.organization.texts) > 1):
                spellings = True
            if not family_first:
                for name in names.values():
                    if name.order == "family-first":
                        family_first = True
                        break
            orcid = orcid or bool(person.orcid)
            affiliations = affiliations or bool(person.affiliations)
            email = email or bool(person.email or person.corresponding)
            credit = credit or bool(person.credit)
            if spellings and family_first and orcid and affiliations and email and credit:
                break  # the other people cannot add a kind
        dates = article.dates
        present = (len(titles) > (text_lang in titles),  # a title in another language than the entry's
                   len(article.abstracts.texts) > 1,  # the entry shows one of them
                   len(article.keywords) > 1, spellings, family_first, orcid, affiliations, email, credit,
                   bool(article.funding), bool(article.references), bool(article.section), bool(article.citations),
                   bool(article.license), bool(dates.received or dates.accepted or (dates.online and dates.published)))
        kinds = self.kinds.get(present)
        if kinds is None:
            kinds = self.kinds[present] = (*(what for what, there in zip(_ARTICLE_KINDS, present) if there),
                                           *self.not_carried_by_issue())
        return kinds

    def not_carried_by_issue(self) -> list[str]:
        """What BibTeX cannot carry of the issue and journal: the same for every entry, found once."""
        issue, kinds = self.issue, []
        if issue.whole_number:
            kinds.append("the issue's whole number")
        if issue.doi or issue.title:
            kinds.append("the issue's DOI and title")
        if any(issn.media for issn in issue.journal.issns):
            kinds.append("whether an ISSN is the print or the electronic one")
        if len(issue.journal.titles.texts) > 1:
            kinds.append("the journal's titles in other languages")
        publisher = issue.journal.publisher
        if publisher and (publisher.place or len(publisher.name.texts) > 1):
            kinds.append("the publisher's place and its names in other languages")
        return kinds

    def report(self) -> None:
        used = self.issue.journal.titles.languages[0] if self.issue.journal.titles else None
        for lang in sorted(self.journal_fallbacks):
            self.warn("lang.fallback", f"no {lang} journal title: using the {used} journal title", "journal.titles")
        if self.no_langid:
            self.problems.append(Problem(
                "bibtex.langid-unknown", "info", "biblio knows no biblatex language name for "
                + ", ".join(sorted(self.no_langid)) + "; those entries have no langid", path="articles"))
        numbers: dict[tuple[int, ...], str] = {}  # most kinds are left out by the same articles: worded once
        for what, indexes in self.not_carried.items():
            key = tuple(indexes)
            text = numbers.get(key)
            if text is None:
                text = numbers[key] = article_numbers(indexes)
            self.problems.append(Problem("bibtex.not-carried", "info", f"BibTeX cannot carry {what} ({text})",
                                         path="articles"))


@xmltools.gc_paused
def dumps(issue: Issue, *, lang: str | None = None, dois: list[str] | None = None) -> tuple[str, list[Problem]]:
    """The issue (or the articles with the given DOIs) as BibTeX text, in ``lang`` or each article's own."""
    indexes, problems = derive.select_articles(issue, dois)
    if problems:
        return "", problems
    writer = _Writer(issue, lang)
    keys = cite_keys(issue)
    entries = [(keys[index], writer.entry(index)) for index in indexes]
    writer.report()
    width = _widest(fields for _, fields in entries)
    return "\n".join(_entry_text(key, fields, width) for key, fields in entries), problems + writer.problems


@xmltools.gc_paused
def dump(issue: Issue, out: TextIO, *, lang: str | None = None, dois: list[str] | None = None) -> list[Problem]:
    """Write the text ``dumps`` gives to a text stream one entry at a time, holding no more than one.

    The values line up after the longest field name of the file, so a first pass finds the
    field names (the long texts, escaped only when written, cost nothing there).
    """
    indexes, problems = derive.select_articles(issue, dois)
    if problems:
        return problems
    # One pass for the keys (which need every article) and the field names; one to write.
    scout = _Writer(issue, lang)  # its problems are the second pass's, so they are dropped
    wanted = set(indexes)
    bases, width = [], 0
    for index, article in enumerate(issue.articles):
        bases.append(_key_base(issue, article))
        if index in wanted:
            width = max([width, *map(len, scout.entry(index))])
    keys = _unique_keys(bases)
    writer = _Writer(issue, lang)
    out.writelines(("\n" if number else "") + _entry_text(keys[index], writer.entry(index), width)
                   for number, index in enumerate(indexes))
    writer.report()
    return problems + writer.problems


class _Escaped:
    """A long text, escaped only when its entry is written (``str()`` of it): ``dump``'s first
    pass, which only needs the field names, never escapes it."""

    __slots__ = ("escape", "text")

    def __init__(self, escape: Callable[[str], str] | Callable[[list[str]], str], text) -> None:
        self.escape, self.text = escape, text

    def __str__(self) -> str:
        return self.escape(self.text)  # type: ignore[arg-type]


# A field value: text, or (for the long texts) one escaped when the entry is written.
_Value = str | _Escaped


def _braced(title: str) -> str:
    return "{" + tex_escape(title) + "}"


def _abstract_tex(paragraphs: list[str]) -> str:
    if len(paragraphs) == 1:  # the usual abstract
        return _escape_squashed(paragraphs[0])
    return r" \par ".join(_escape_squashed(paragraph) for paragraph in paragraphs)  # paragraphs() squashed them


def _widest(entries: Iterable[dict[str, _Value]]) -> int:
    """The longest field name of the entries (0 for none), without a Python step per field."""
    return max(map(len, itertools.chain.from_iterable(entries)), default=0)


def _entry_text(key: str, fields: dict[str, _Value], width: int) -> str:
    """One ``@article``, as bibtexparser writes it with its default enclosing (braces; ``month``
    bare) and the values aligned after the longest field name: written here directly, because
    bibtexparser copies every entry and runs it through its middleware first."""
    if not fields:
        return f"@article{{{key},\n}}\n"
    return _layout(tuple(fields), width, True) % (key, *fields.values())


def _entry_body(fields: dict[str, _Value], width: int) -> str:
    """``_entry_text`` after the line with the key."""
    if not fields:
        return "}\n"
    return _layout(tuple(fields), width, False) % tuple(fields.values())


@functools.lru_cache(maxsize=256)
def _layout(names: tuple[str, ...], width: int, keyed: bool) -> str:
    """The text of an entry with these fields, as a ``%`` template of the key (when ``keyed``)
    and the values: the entries of an issue have a few field lists, so one C-level formatting
    per entry replaces a Python step per field (and ``%s`` escapes the long texts)."""
    starts = _field_starts(width)
    lines = [(starts.get(name) or f"  {name}{' ' * (width - len(name))} = {{").replace("%", "%%")
             + ("%s" if name == "month" else "%s}") for name in names]
    return ("@article{%s,\n" if keyed else "") + ",\n".join(lines) + "\n}\n"


@functools.lru_cache(maxsize=64)
def _field_starts(width: int) -> dict[str, str]:
    """``  name    = {`` for the field names biblio writes, padded to ``width``: made once per width
    (``month``, whose value is a bare macro, without the brace)."""
    return {name: f"  {name}{' ' * (width - len(name))} = " + ("" if name == "month" else "{")
            for name in _FIELD_NAMES}


_FIELD_NAMES = ("author", "title", "journal", "shortjournal", "year", "month", "volume", "number", "pages", "eid",
                "doi", "issn", "url", "abstract", "keywords", "publisher", "language", "langid", "editor",
                "translator")


def file_name(lang: str | None) -> str:
    return FILE_NAME if lang is None else f"articles.{lang}.bib"


def write(issue: Issue, folder: Path, *, dois: list[str] | None = None,
          lang: str | None = None) -> tuple[list[Path], list[Problem]]:
    """The registry's writer: ``articles.bib`` (each article in its language) or ``articles.{lang}.bib``.

    Streamed to a temporary file that replaces the target only when nothing went wrong;
    ``write_many`` for one language, which reads each article once where ``dump`` reads
    it twice and makes every entry twice.
    """
    return write_many(issue, folder, [lang], dois=dois)[0]


def write_many(issue: Issue, folder: Path, langs: list[str | None], *,
               dois: list[str] | None = None) -> list[tuple[list[Path], list[Problem]]]:
    """``write`` once per language in ``langs``, with two passes over the articles for all of
    them together (a spooled issue unpickles an article on every read): the same files and
    problems, in order."""
    paths: list[Path | None] = [Path(folder) / file_name(lang) for lang in langs]
    return textfiles.write_text_files(paths, lambda outs: _dump_many(issue, outs, langs, dois))  # type: ignore[arg-type]


@xmltools.gc_paused
def _dump_many(issue: Issue, outs: list[TextIO], langs: list[str | None],
               dois: list[str] | None) -> list[list[Problem]]:
    """``dump`` into one rewindable stream per language, reading each article once for all of them.

    The keys need every article, so an entry cannot be written when it is made: its text
    after the key waits in a temporary file, and once the pass has seen every article the
    entries are copied out behind their keys. The values line up after the longest field
    name of a file, which ``dump`` finds by making every entry twice; here entries are made
    at the width the file will most likely need, and only a file whose entries needed
    another width is made again, in a second pass. An entry is made once per language
    shown: the file of each article's own language takes it from the language file.
    """
    selection = textfiles.Selection(dois)
    view, window = textfiles.windowed(issue)
    writers = [_Writer(view, lang) for lang in langs]
    guess = _likely_width(issue)
    needed = [0] * len(langs)
    bases: list[str] = []
    chosen: list[int] = []
    waiting = [_Waiting() for _ in langs]
    try:
        for index, article in enumerate(issue.articles):
            bases.append(_key_base(issue, article))
            if not selection.wants(article):
                continue
            chosen.append(index)
            window.show(index, article)
            made: dict[str, tuple[int, bytes, _Made]] = {}  # an entry per language shown
            for position, writer in enumerate(writers):
                shown = writer.shows or article.language  # the file of each article's own language repeats one
                if shown in made:
                    width, body, found = made[shown]
                    writer.take(index, found)
                else:
                    fields = writer.entry(index)
                    width = max([0, *map(len, fields)])
                    body = _entry_body(fields, guess).encode("utf-8")
                    made[shown] = (width, body, writer.made)  # type: ignore[assignment]
                needed[position] = max(needed[position], width)
                waiting[position].add(body)
        if selection.problems:
            return [list(selection.problems) for _ in outs]
        keys = _unique_keys(bases)
        wrong = [position for position in range(len(langs)) if chosen and needed[position] != guess]
        for position, out in enumerate(outs):
            if position not in wrong:
                waiting[position].copy(out, [keys[index] for index in chosen])
    finally:
        for entries in waiting:
            entries.close()
    if wrong:  # fresh writers: their problems are the first pass's
        _write_entries(issue, window, chosen, keys, [(_Writer(view, langs[n]), outs[n], needed[n]) for n in wrong])
    for writer in writers:
        writer.report()
    return [writer.problems for writer in writers]


class _Waiting:
    """Entries without their keys, kept in a temporary file (not in memory) until the keys are known."""

    def __init__(self) -> None:
        # A 256 KB buffer: an entry is a few KB, and the default 8 KB cost a system call every few entries.
        self.file = tempfile.TemporaryFile(buffering=1 << 18)  # noqa: SIM115 (closed by close(), after the pass)
        self.sizes: list[int] = []

    def add(self, body: bytes) -> None:
        self.file.write(body)
        self.sizes.append(len(body))

    def copy(self, out: TextIO, keys: list[str]) -> None:
        """Each entry behind its key, a blank line between entries, as ``dump`` writes them."""
        self.file.seek(0)
        binary = getattr(out, "buffer", None)
        if binary is not None:
            out.flush()
        for number, (key, size) in enumerate(zip(keys, self.sizes)):
            head = ("\n" if number else "") + f"@article{{{key},\n"
            if binary is not None:  # the text as it was encoded, without decoding it again
                binary.write(head.encode("utf-8") + self.file.read(size))
            else:
                out.write(head + self.file.read(size).decode("utf-8"))

    def close(self) -> None:
        self.file.close()


def _likely_width(issue: Issue) -> int:
    """The longest field name a file will most likely have, known before its entries are made:
    ``shortjournal`` when the journal has an abbreviation, else ``publisher``, else ``language``
    (in every entry); a ``translator`` is rare."""
    if issue.journal.abbreviation:
        return len("shortjournal")
    return len("publisher") if issue.journal.publisher else len("language")


def _write_entries(issue: Issue, window: textfiles.Window, chosen: list[int], keys: list[str],
                   files: list[tuple[_Writer, TextIO, int]]) -> list[int]:
    """Each chosen article's entry into each file at that file's width, reading the article
    once for all files; the width each file's entries needed."""
    needed = [0] * len(files)
    for number, index in enumerate(chosen):
        window.show(index, issue.articles[index])
        for position, (writer, out, width) in enumerate(files):
            fields = writer.entry(index)
            needed[position] = max([needed[position], *map(len, fields)])
            out.write(("\n" if number else "") + _entry_text(keys[index], fields, width))
    return needed


# --- reading files --------------------------------------------------------------------------

@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """bibtexparser logs every syntax error; biblio reports them as problems instead."""
    logger = logging.getLogger("bibtexparser")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _read_text(path: Path) -> tuple[str | None, list[Problem]]:
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        return None, [Problem("bibtex.io", "error", f"cannot read the file: {error.strerror or error}",
                              file=str(path))]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        return data.decode("cp1252", errors="replace"), [Problem(
            "bibtex.encoding", "warning", "the file is not UTF-8; it is read as Windows-1252 (Latin-1): check "
            "accented letters, and save it as UTF-8", file=str(path), line=line)]


def _parse(text: str, *, raw: bool = False) -> Library:
    with _quiet():
        return bibtexparser.parse_string(text, parse_stack=[] if raw else None)


def detect(path: Path) -> bool:
    """A BibTeX file: text with ``@type{key,`` entries (a ``.bib`` name needs only ``@type{``)."""
    raw = read_head(path, 65536)
    if raw is None:
        return False
    head = raw.decode("utf-8", errors="replace")
    stripped = head.lstrip("\ufeff \t\r\n")
    if stripped[:1] in ("<", "[", "{") or re.match(r"TY {2}- ", stripped):
        return False
    if Path(path).suffix.lower() == ".bib" and re.search(r"(?m)^\s*@\w+\s*[{(]", head):
        return True
    return bool(re.search(r"(?m)^\s*@\w+\s*[{(]\s*[^\s,{}()=]+\s*,\s*\w[\w-]*\s*=", head))


# --- validation ---------------------------------------------------------------------------------

# Required fields per entry type (BibTeX's standard styles, with the biblatex alternatives).
REQUIRED: dict[str, list[tuple[str, ...]]] = {
    "article": [("author",), ("title",), ("journal", "journaltitle"), ("year", "date")],
    "book": [("author", "editor"), ("title",), ("publisher",), ("year", "date")],
    "inbook": [("author", "editor"), ("title",), ("chapter", "pages"), ("publisher",), ("year", "date")],
    "incollection": [("author",), ("title",), ("booktitle",), ("publisher",), ("year", "date")],
    "inproceedings": [("author",), ("title",), ("booktitle",), ("year", "date")],
    "conference": [("author",), ("title",), ("booktitle",), ("year", "date")],
    "proceedings": [("title",), ("year", "date")],
    "phdthesis": [("author",), ("title",), ("school", "institution"), ("year", "date")],
    "mastersthesis": [("author",), ("title",), ("school", "institution"), ("year", "date")],
    "thesis": [("author",), ("title",), ("type",), ("institution", "school"), ("year", "date")],
    "techreport": [("author",), ("title",), ("institution",), ("year", "date")],
    "report": [("author",), ("title",), ("type",), ("institution",), ("year", "date")],
    "online": [("author", "editor"), ("title",), ("year", "date"), ("url", "doi", "eprint")],
    "manual": [("title",)],
    "booklet": [("title",)],
    "unpublished": [("author",), ("title",), ("note",)],
    "misc": [],
}
# Fields biblatex reads verbatim: no TeX escaping there.
VERBATIM = frozenset({"url", "doi", "eprint", "file", "pdf", "urlraw", "verba", "verbb", "verbc"})
_URL_ARGUMENT = re.compile(r"\\(?:url|href|path)\s*\{[^{}]*\}")
_ENTRY_LIKE = re.compile(r"(?m)^\s*@?\w+\s*\{\s*[^\s,{}]+\s*,|\b\w+\s*=\s*[{\"]")  # type{key, or field = {
_CYRILLIC_MACRO = re.compile(r"\\(?:CYR[A-Z]+|cyr[a-z]*|cyrchar)")


def _line(number: int | None) -> int | None:
    return number + 1 if number is not None else None  # bibtexparser counts lines from 0


def _brace_trouble(value: str) -> bool:
    """Braces as BibTeX counts them (an escaped ``\\{`` too) do not pair up."""
    depth = 0
    for char in value:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return True
    return depth != 0


def _unescaped_specials(content: str) -> tuple[list[str], bool]:
    """The TeX specials outside math that lack a backslash, and whether a ``$`` is left open."""
    content = _URL_ARGUMENT.sub("", content)
    found: list[str] = []
    math = False
    backslashes = 0
    for char in content:
        if char == "\\":
            backslashes += 1
            continue
        escaped = backslashes % 2 == 1
        backslashes = 0
        if escaped:
            continue
        if char == "$":
            math = not math
        elif not math and char in "&%#_^" and char not in found:
            found.append(char)
    return found, math


def _content(value: str) -> str | None:
    """A raw field value without its enclosing braces or quotes; None for numbers, macros and ``#`` joins."""
    value = value.strip()
    if _whole_group(value):
        return value[1:-1]
    if len(value) >= 2 and value[0] == value[-1] == '"' and '"' not in _braces_removed(value[1:-1]):
        return value[1:-1]
    return None


def _braces_removed(text: str) -> str:
    """The text outside any brace group (what a quoted value's own quotes are looked for in)."""
    out, depth = [], 0
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif depth == 0:
            out.append(char)
    return "".join(out)


def validate(path: Path, *, strict: bool = False) -> list[Problem]:
    """Check what BibTeX and LaTeX would choke on, with line numbers.

    Errors: blocks that cannot be parsed, repeated keys or fields, braces that do not pair
    up, TeX specials (``& % $ # _ ^``) without a backslash outside url/doi fields. Warnings
    (BibTeX itself only warns): required fields missing for the entry type, keys that are
    not ASCII, Cyrillic written as LaTeX macros.

    A file is first scanned line by line in bounded memory (``_scan_clean``); only when the
    scan finds something, or cannot vouch for the file's layout, is it re-parsed whole with
    bibtexparser, which words the problems (``strict=True`` always does).
    """
    if not strict and _scan_clean(Path(path)):
        return []
    return _validate_parsed(path)


# The layout biblio writes (and most tools do): "@type{key," alone on its line, one "name = value"
# field per line, "}" alone on its line, blank lines between entries.
_SCAN_HEAD = re.compile(r"@([A-Za-z]+)\{([A-Za-z0-9_:.+/-]+),\s*")
_SCAN_FIELD = re.compile(r"\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(\{.*\}|[0-9]+|[a-z]{3})\s*(,?)\s*")
_MONTH_NAMES = frozenset(_MONTH_MACROS)


def _scan_clean(path: Path) -> bool:
    """Whether a line-by-line scan finds the file free of every problem ``validate`` reports.

    False means "ask bibtexparser": a problem was seen, or the file is laid out in a way the scan
    does not vouch for (comments, quotes, @string, values over several lines, a non-UTF-8 byte,
    an ``@`` inside an entry, a key repeated in any case). It never says True where the parse
    would report something: each check here is the parse-based one, or a quick test that
    passes only when the exact check would find nothing.
    """
    keys: set[str] = set()
    entries = 0
    try:
        with open(path, encoding="utf-8-sig", newline=None) as stream:
            kind: str | None = None
            names: set[str] = set()
            last_comma = True
            for line in stream:
                if kind is None:
                    if not line.strip():
                        continue
                    head = _SCAN_HEAD.fullmatch(line)
                    if head is None:
                        return False
                    kind, key = head.group(1).lower(), head.group(2)
                    folded = key.lower()
                    if kind not in REQUIRED or folded in keys:
                        return False
                    keys.add(folded)
                    names, last_comma = set(), True
                    continue
                if line.rstrip() == "}":
                    for options in REQUIRED[kind]:
                        if names.isdisjoint(options):
                            return False
                    kind = None
                    entries += 1
                    continue
                found = _SCAN_FIELD.fullmatch(line)
                if found is None or not last_comma or "@" in line:
                    return False
                name, value, comma = found.groups()
                name = name.lower()
                if name in names:
                    return False
                names.add(name)
                last_comma = bool(comma)
                if value[0] != "{":
                    if not value.isdigit() and value not in _MONTH_NAMES:
                        return False
                    continue
                if value == "{}" or not value.isprintable() or not _clean_value(name, value):
                    return False
    except (OSError, UnicodeDecodeError):
        return False
    return kind is None and entries > 0


def _clean_value(name: str, value: str) -> bool:
    """A braced field value that is one brace group and has nothing ``_check_entry`` would report."""
    inner = value[1:-1]
    core = inner[1:-1] if inner[:1] == "{" and inner[-1:] == "}" else inner  # a title's protecting braces
    if ("{" in core or "}" in core or core.endswith("\\")) and (  # else no brace can close early
            _brace_trouble(value) or not _whole_group(value) or not _closes_last(value)):
        return False
    if name in VERBATIM:
        return True
    if "\\" in inner and _CYRILLIC_MACRO.search(inner):
        return False
    if not _has_scan_special(inner):  # no character _unescaped_specials looks at
        return True
    specials, open_math = _unescaped_specials(inner)
    return not specials and not open_math


def _has_scan_special(text: str) -> bool:
    """Whether ``text`` holds one of ``& % $ # _ ^``: six substring searches, which cost less than
    one search with a character class over a long abstract (a tenth of it in the benchmark)."""
    return "&" in text or "%" in text or "$" in text or "#" in text or "_" in text or "^" in text


def _closes_last(value: str) -> bool:
    """The first brace, counted as BibTeX counts (``\\{`` too), closes only at the end."""
    depth = 0
    for position, char in enumerate(value):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0 and position != len(value) - 1:
                return False
    return depth == 0


def _validate_parsed(path: Path) -> list[Problem]:
    """The whole file parsed with bibtexparser and every block checked: the problems, worded."""
    file = str(path)
    text, problems = _read_text(Path(path))
    if text is None:
        return problems
    library = _parse(text, raw=True)

    def report(code: str, severity: str, message: str, line: int | None, where: str | None = None) -> None:
        problems.append(Problem(code, severity, message, path=where, file=file, line=_line(line)))  # type: ignore[arg-type]

    entries = 0
    for block in library.blocks:
        if isinstance(block, DuplicateBlockKeyBlock):
            previous = block.previous_block.start_line
            report("bibtex.duplicate-key", "error", f"the key '{block.key}' is used again (first at line "
                   f"{_line(previous)}); each entry needs its own key", block.start_line, block.key)
            inner = block.ignore_error_block
            if isinstance(inner, Entry):
                entries += 1
                _check_entry(inner, report)
        elif isinstance(block, DuplicateFieldKeyBlock):
            names = ", ".join(sorted(block.duplicate_keys))
            inner = block.ignore_error_block
            key = inner.key if isinstance(inner, Entry) else None
            report("bibtex.duplicate-field", "error", f"the entry repeats the field(s) {names}; BibTeX keeps "
                   "only one", block.start_line, key)
            if isinstance(inner, Entry):
                entries += 1
                _check_entry(inner, report)
        elif isinstance(block, ParsingFailedBlock):
            reason = getattr(block.error, "abort_reason", None) or str(block.error)
            report("bibtex.syntax", "error", f"this block cannot be read: {reason.strip()}", block.start_line)
        elif isinstance(block, Entry):
            entries += 1
            _check_entry(block, report)
        elif isinstance(block, ExplicitComment | ImplicitComment) and _ENTRY_LIKE.search(block.comment):
            report("bibtex.stray-text", "warning", "text outside any entry looks like a field list (a missing @ "
                   "or a commented-out entry?); BibTeX ignores it", block.start_line)
    if entries == 0 and not any(p.severity == "error" for p in problems):
        problems.append(Problem("bibtex.empty", "warning", "the file has no entries", file=file))
    return problems


def _check_entry(entry: Entry, report) -> None:
    key, kind = entry.key, entry.entry_type.lower()
    if not key:
        report("bibtex.key", "error", "the entry has no key", entry.start_line)
    elif not re.fullmatch(r"[!-~]+", key) or re.search(r"[,{}()=\"#%'~\\]", key):
        report("bibtex.key", "warning", f"the key '{key}' has characters BibTeX or biber may refuse; use "
               "ASCII letters, digits and - _ : .", entry.start_line, key)
    present = {f.key.lower() for f in entry.fields if f.value.strip() not in ("", "{}", '""')}
    for options in REQUIRED.get(kind, []):
        if not present & set(options):
            report("bibtex.required-missing", "warning", f"@{kind} needs {' or '.join(options)}; BibTeX warns "
                   "about the empty field and prints the entry without it", entry.start_line, key)
    for item in entry.fields:
        name, value = item.key.lower(), item.value
        where = f"{key}.{name}"
        if _brace_trouble(value):
            report("bibtex.braces", "error", f"the braces in {name} do not pair up (BibTeX counts \\{{ and \\}} "
                   "too); close each { with a }", item.start_line, where)
            continue
        content = _content(value)
        if content is None or name in VERBATIM:
            continue
        specials, open_math = _unescaped_specials(content)
        if specials:
            shown = " ".join(specials)
            report("bibtex.unescaped", "error", f"{name} has {shown} without a backslash; TeX reads it as a "
                   "command character: write " + " ".join("\\" + s if s != "^" else "\\textasciicircum{}"
                                                          for s in specials),
                   item.start_line, where)
        if open_math:
            report("bibtex.unescaped", "error", f"{name} opens math mode with $ and never closes it; write \\$ "
                   "for a dollar sign", item.start_line, where)
        if _CYRILLIC_MACRO.search(content):
            report("bibtex.cyrillic-macro", "warning", f"{name} spells Cyrillic with LaTeX macros (\\CYR…); "
                   "Zotero cannot read them: write the letters as UTF-8", item.start_line, where)


# --- reading -----------------------------------------------------------------------------------

_MONTHS = {name: number for number, names in enumerate([
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
    ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
    ("dec", "december")], 1) for name in names}
_NAME_FIELDS = {"author": "author", "editor": "editor", "translator": "translator"}
_ARTICLE_TYPES = {"article", "periodical", "suppperiodical"}


def _whole_group(text: str) -> bool:
    """``{…}`` where the first brace closes at the very end: one protected group."""
    if len(text) < 2 or text[0] != "{" or text[-1] != "}":
        return False
    depth = 0
    escaped = False
    for position, char in enumerate(text):
        if escaped:
            escaped = False
            continue
        if char == "\\":
            escaped = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0 and position != len(text) - 1:
                return False
    return depth == 0


def _depths(value: str) -> list[int]:
    """The brace depth before each character (escaped braces do not count, as for bibtexparser)."""
    depths, depth, escaped = [], 0, False
    for char in value:
        depths.append(depth)
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
    return depths


def split_names(value: str) -> list[str]:
    """A name list split at each "and" outside braces.

    bibtexparser 2.1.0's ``split_multiple_persons_names`` loses the first two characters
    of a name that starts with a backslash (``… and \\'Alvarez, Juan``), so biblio splits
    the list itself.
    """
    depths = _depths(value)
    names, start = [], 0
    for match in re.finditer(r"\s+and\s+", value, re.IGNORECASE):
        if depths[match.start()] == 0 and (match.start() == 0 or value[match.start() - 1] != "\\"):
            names.append(value[start:match.start()])
            start = match.end()
    names.append(value[start:])
    return [name.strip() for name in names if name.strip()]


def _split_top(value: str, separators: str) -> list[str]:
    """Split at separators outside braces and not escaped."""
    parts, current, depth, escaped = [], [], 0, False
    for char in value:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif char in separators and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts


def _script_language(text: str) -> str | None:
    letters = [char for char in text if char.isalpha()]
    if not letters:
        return None
    return derive.guess_language(text)


@dataclass
class _Read:
    """One usable entry, before the issue is assembled."""

    article: Article
    journal: str | None
    abbreviation: str | None
    year: int | None
    date: PartialDate | None
    volume: str | None
    number: str | None
    issns: list[Issn]
    publisher: str | None
    text_lang: str
    shown_lang: str  # the language the writer picked the journal title and publisher for
    line: int | None


class _Reader:
    def __init__(self, file: str, file_lang: str | None):
        self.file = file
        self.file_lang = file_lang
        self.problems: list[Problem] = []
        self.remove_enclosing = RemoveEnclosingMiddleware()

    def note(self, code: str, severity: str, message: str, line: int | None, path: str | None = None) -> None:
        self.problems.append(Problem(code, severity, message, path=path, file=self.file,  # type: ignore[arg-type]
                                     line=_line(line)))

    def text(self, value: str, line: int | None, where: str) -> str:
        decoded, unknown = tex_decode(value)
        if unknown:
            self.note("bibtex.latex-macro", "info", "biblio does not know the LaTeX command(s) "
                      + ", ".join("\\" + name for name in unknown) + f" in {where.rsplit('.', 1)[-1]}; "
                      "their text is kept without them", line, where)
        return decoded

    def blocks(self, library: Library) -> list[_Read]:
        found = []
        for block in library.blocks:
            entry: Entry | None = None
            if isinstance(block, DuplicateBlockKeyBlock):
                self.note("bibtex.duplicate-key", "warning", f"the key '{block.key}' is used twice (first at line "
                          f"{_line(block.previous_block.start_line)}); this entry is read too", block.start_line,
                          block.key)
                entry = self.unwrap(block.ignore_error_block, library)
            elif isinstance(block, DuplicateFieldKeyBlock):
                self.note("bibtex.duplicate-field", "warning", "the entry repeats the field(s) "
                          f"{', '.join(sorted(block.duplicate_keys))}; the first value is read", block.start_line)
                entry = self.unwrap(block.ignore_error_block, library)
            elif isinstance(block, ParsingFailedBlock):
                reason = getattr(block.error, "abort_reason", None) or str(block.error)
                self.note("bibtex.syntax", "error", f"this block cannot be read and is skipped: {reason.strip()}",
                          block.start_line)
            elif isinstance(block, Entry):
                entry = block
            elif isinstance(block, ExplicitComment | ImplicitComment) and _ENTRY_LIKE.search(block.comment):
                self.note("bibtex.stray-text", "warning", "text outside any entry looks like a field list "
                          "(a missing @ or a commented-out entry?); it is not read", block.start_line)
            if entry is not None:
                read = self.entry(entry)
                if read is not None:
                    found.append(read)
        return found

    def unwrap(self, block, library: Library) -> Entry | None:
        if not isinstance(block, Entry):
            return None
        transformed = self.remove_enclosing.transform_block(block, library)
        return transformed if isinstance(transformed, Entry) else None

    def entry(self, entry: Entry) -> _Read | None:
        values: dict[str, Field] = {}
        for item in entry.fields:
            values.setdefault(item.key.lower(), item)
        kind, key, line = entry.entry_type.lower(), entry.key, entry.start_line

        def raw(*names: str) -> str | None:
            for name in names:
                if name in values and str(values[name].value).strip():
                    return str(values[name].value).strip()
            return None

        def text(*names: str) -> str | None:
            for name in names:
                value = raw(name)
                if value is not None:
                    decoded = squash(self.text(value, values[name].start_line, f"{key}.{name}"))
                    if decoded:
                        return decoded
            return None

        for item in entry.fields:
            if item.enclosing == "no-enclosing" and not str(item.value).strip().isdigit() \
                    and not (item.key.lower() == "month" and str(item.value).strip().lower() in _MONTHS):
                self.note("bibtex.string-reference", "warning", f"{item.key} = {item.value} refers to an @string "
                          "the file does not define (or joins strings with #); it is read as written",
                          item.start_line, f"{key}.{item.key}")
        title = text("title")
        if kind not in _ARTICLE_TYPES:
            if title is None:
                self.note("bibtex.unusable", "warning", f"the @{kind} entry '{key}' has no title; it is skipped",
                          line, key)
                return None
            self.note("bibtex.entry-type", "info", f"the @{kind} entry '{key}' is read as a journal article",
                      line, key)
        elif title is None:
            self.note("bibtex.title-missing", "warning", f"the entry '{key}' has no title", line, key)
        abstract_raw = raw("abstract")
        abstract = None
        if abstract_raw is not None:
            decoded = self.text(abstract_raw, values["abstract"].start_line, f"{key}.abstract")
            abstract = "\n\n".join(paragraphs(decoded)) or None
        for name in ("language", "langid"):
            value = raw(name)
            if value is not None and language_tag(tex_decode(value)[0]) is None:
                self.note("bibtex.language", "info", f"{name} = {value} is not a language biblio knows; the "
                          "entry's language is taken from elsewhere", values[name].start_line, f"{key}.{name}")
        orig, text_lang = self.languages(raw("language"), raw("langid"), " ".join(filter(None, [title, abstract])))
        article = Article(language=orig, titles=LangText.of({text_lang: title} if title else {}, orig))
        if abstract:
            article.abstracts = LangText.of({text_lang: abstract}, orig)
        keywords_raw = raw("keywords", "keyword")
        if keywords_raw is not None:
            where = values["keywords" if "keywords" in values else "keyword"]
            words = [squash(self.text(part, where.start_line, f"{key}.keywords"))
                     for part in _split_top(keywords_raw, ",;")]
            if any(words):
                article.keywords = {text_lang: [word for word in words if word]}
        for name, role in _NAME_FIELDS.items():
            value = raw(name)
            if value is not None:
                article.contributors.extend(self.people(value, role, text_lang, values[name].start_line,
                                                        f"{key}.{name}"))
        doi = raw("doi")
        if doi is not None:
            checked = ids.doi(re.sub(r"^\\url\{(.*)\}$", r"\1", doi))
            if checked.ok:
                article.doi = checked.value
            else:
                self.note(checked.code or "doi", "warning", (checked.message or "") + "; the DOI is not read",
                          values["doi"].start_line, f"{key}.doi")
        url = raw("url")
        if url is not None:
            article.url = re.sub(r"^\\url\{(.*)\}$", r"\1", url).strip()
        article.pages = self.pages(raw("pages"), raw("eid", "articleno", "article-number"))
        year, date = self.date(raw("date"), raw("year"), raw("month"), values, key)
        issns = []
        issn_raw = raw("issn")
        if issn_raw is not None:
            parts = re.findall(r"\d{4}\s*-?\s*\d{3}[\dXx]", issn_raw) or [issn_raw]
            for part in parts:
                checked = ids.issn(part)
                if checked.ok:
                    issns.append(Issn(checked.value))  # type: ignore[arg-type]
                else:
                    self.note(checked.code or "issn", "warning", (checked.message or "") + "; it is not read",
                              values["issn"].start_line, f"{key}.issn")
        return _Read(article, text("journal", "journaltitle"), text("shortjournal", "journalabbrev"), year, date,
                     text("volume"), text("number", "issue"), issns, text("publisher"), text_lang,
                     self.file_lang or orig, line)

    def languages(self, language: str | None, lang_id: str | None, sample: str) -> tuple[str, str]:
        """The article's own language and the language of the entry's text."""
        original = language_tag(tex_decode(language)[0]) if language else None
        text_lang = language_tag(tex_decode(lang_id)[0]) if lang_id else None
        if text_lang and ids.script_of(text_lang) is None and ids.primary_language(text_lang) in _CYRILLIC_LANGS \
                and derive.is_latin(sample):
            text_lang += "-Latn"  # langid names no script: kazakh text in Latin letters
        if text_lang and original and ids.primary_language(original) == ids.primary_language(text_lang):
            text_lang = original  # language has the full tag (kk-Latn); langid only the language
        text_lang = text_lang or original or self.file_lang or _script_language(sample) or "en"
        return original or text_lang, text_lang

    def people(self, value: str, role: str, text_lang: str, line: int | None, where: str) -> list[Contributor]:
        found = []
        for raw_name in split_names(value):
            raw_name = raw_name.strip()
            if not raw_name:
                continue
            if raw_name.lower() == "others":
                self.note("bibtex.others", "info", "the name list ends in 'and others': the names left out "
                          "are not known", line, where)
                continue
            if _whole_group(raw_name):
                name = squash(self.text(raw_name[1:-1], line, where))
                if name:
                    found.append(Contributor(role=role, organization=LangText.of({text_lang: name}, text_lang)))  # type: ignore[arg-type]
                continue
            try:
                parts = parse_single_name_into_parts(raw_name)
            except InvalidNameError as error:
                self.note("bibtex.name", "warning", f"the name '{raw_name}' is malformed ({error.reason}); it is "
                          "read as well as it can be", line, where)
                parts = parse_single_name_into_parts(raw_name, strict=False)
            family = squash(self.text(" ".join(parts.von + parts.last + parts.jr), line, where))
            given = squash(self.text(" ".join(parts.first), line, where)) or None
            if not family:
                family, given = given or "", None
            if not family:
                continue
            found.append(Contributor(role=role, names={_language_of(family + " " + (given or ""), text_lang):
                                                       PersonName(family, given)}))  # type: ignore[arg-type]
        return found

    def pages(self, pages: str | None, eid: str | None) -> Pages | None:
        first = last = None
        if pages is not None:
            for separator in (r"-{2,3}", r"\s*[–—]\s*", r"\s*-\s*"):
                parts = re.split(separator, pages)
                if len(parts) == 2 and all(part.strip() for part in parts):
                    first, last = parts
                    break
            else:
                first = pages
            first = squash(tex_decode(first)[0]) or None
            last = squash(tex_decode(last)[0]) if last else None
        number = squash(tex_decode(eid)[0]) if eid else None
        if not (first or number):
            return None
        return Pages(first, last if first else None, number or None)

    def date(self, date: str | None, year: str | None, month: str | None, values: dict[str, Field],
             key: str) -> tuple[int | None, PartialDate | None]:
        if date is not None:
            match = re.match(r"\s*(\d{4}(?:-\d{2}(?:-\d{2})?)?)", date)
            parsed = PartialDate.parse(match.group(1)) if match else None
            if parsed:
                return parsed.year, parsed
            self.note("bibtex.date", "warning", f"the date '{date}' is not YYYY, YYYY-MM or YYYY-MM-DD; it is not "
                      "read", values["date"].start_line, f"{key}.date")
        if year is None:
            return None, None
        match = re.match(r"\s*\{?(\d{4})", year)
        if not match:
            self.note("bibtex.date", "warning", f"the year '{year}' is not a number; it is not read",
                      values["year"].start_line, f"{key}.year")
            return None, None
        number = None
        if month is not None:
            text = month.strip().strip("{}").strip().rstrip(".").lower()
            number = int(text) if text.isdigit() and 1 <= int(text) <= 12 else _MONTHS.get(text)
            if number is None:
                self.note("bibtex.date", "warning", f"the month '{month}' is not a month; it is not read",
                          values["month"].start_line, f"{key}.month")
        return int(match.group(1)), PartialDate(int(match.group(1)), number)


def _usual_script(lang: str) -> str:
    return derive.usual_script(lang)


def _language_of(text: str, text_lang: str) -> str:
    return derive.language_of(text, text_lang)


def _cyrillic_language(text: str, label: str) -> str | None:
    """A better language for Cyrillic text filed under a Latin-script language or, with Kazakh-only
    letters, under Russian: the trace of a fallback the writer reported (a kk journal title in
    the English file). None when the label fits."""
    if not any(char.isalpha() for char in text) or derive.is_latin(text):
        return None
    guess = derive.guess_language(text)
    if _usual_script(label) == "Latn" or (ids.primary_language(label) == "ru" and guess == "kk"):
        return guess
    return None


def _by_language(found: list[_Read], value, file: str, what: str, problems: list[Problem]) -> LangText:
    """The texts of the entries (journal titles, publishers) by the language each was shown in.

    An entry with other ISSNs than the first is another journal: reported, not merged. In a
    file of one language, a text whose letters contradict that language (a kk journal title
    in the English file, a fallback the writer reported) is filed under the language its
    letters suggest.
    """
    first_issns = [issn.value for issn in found[0].issns]
    texts: dict[str, str] = {}
    original = None
    for read in found:
        text = value(read)
        if text is None:
            continue
        if text in texts.values():
            # shown again for another language: a fallback, which the writer takes from the original
            lang = next(lang for lang, known in texts.items() if known == text)
            original = original or (lang if lang != read.shown_lang else None)
            continue
        if [issn.value for issn in read.issns] != first_issns or texts.setdefault(read.shown_lang, text) != text:
            problems.append(Problem("bibtex.mixed-issue", "warning", f"the entry at line {_line(read.line)} names "
                                    f"another {what} ({text}) than the first entry; the issue takes the first's",
                                    file=file))
    if len(texts) > 1 and not first_issns:
        problems.append(Problem("bibtex.journal-languages", "info", f"the entries name the {what} in several "
                                f"languages ({', '.join(texts)}); without an ISSN to confirm it, they are read as "
                                "one journal's", file=file))
    if len(texts) == 1:
        [(lang, text)] = texts.items()
        texts = {_cyrillic_language(text, lang) or lang: text}
    return LangText.of(texts, original or next(iter(texts), None))


def _file_language(path: Path) -> str | None:
    match = re.search(r"\.([a-z]{2,3}(?:-[A-Za-z]{4})?)\.bib$", Path(path).name)
    if match and ids.language_tag(match.group(1)).ok:
        return ids.language_tag(match.group(1)).value
    return None


def read(path: Path) -> tuple[Issue | None, list[Problem]]:
    """A .bib file as an issue: one article per usable entry, the journal and year of the first.

    Entries that cannot be used are reported, never dropped silently.
    """
    text, problems = _read_text(Path(path))
    if text is None:
        return None, problems
    reader = _Reader(str(path), _file_language(Path(path)))
    found = reader.blocks(_parse(text))
    problems += reader.problems
    if not found:
        problems.append(Problem("bibtex.no-entries", "error", "the file has no entry biblio can read as an article",
                                file=str(path)))
        return None, problems
    first = found[0]
    year = next((read.year for read in found if read.year is not None), None)
    if year is None:
        problems.append(Problem("bibtex.year-missing", "warning", "no entry gives a year", file=str(path)))
    titles = _by_language(found, lambda r: r.journal, str(path), "journal", problems)
    publishers = _by_language(found, lambda r: r.publisher, str(path), "publisher", problems)
    numbers = {(read.volume, read.number) for read in found}
    if len(numbers) > 1:
        lines = [str(_line(read.line)) for read in found if (read.volume, read.number) != (first.volume, first.number)]
        which = f"the entry at line {lines[0]}" if len(lines) == 1 else f"the entries at lines {', '.join(lines)}"
        problems.append(Problem("bibtex.mixed-issue", "warning", f"the entries come from different volumes or issue "
                                f"numbers ({which} differ from the first); the issue takes the first entry's",
                                file=str(path)))
    journal = Journal(titles=titles, language=titles.original, issns=first.issns,
                      abbreviation=next((read.abbreviation for read in found if read.abbreviation), None))
    if publishers:
        journal.publisher = Publisher(publishers)
    issue = Issue(journal=journal, year=year or 0, number=first.number, volume=first.volume)
    for read in found:
        date = read.date
        if date and (date.month is not None or date.year != issue.year):
            read.article.dates = ArticleDates(published=date)
        issue.articles.append(read.article)
    return issue, problems
