"""Cite keys: ASCII, stable, unique in a file, and the same in every language's file.

A key is the first author's family name (its Latin spelling, else transliterated from
Cyrillic), the year, and the first word of four letters or more of the English (or another
Latin-script) title, else of the original title transliterated: ``nassimov2025genesis``.
The base comes from the article alone, so every language's file has the same keys; keys
that collide get ``a``, ``b``, … in article order when the file is written.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator

from ... import derive, ids
from ...model import Article, Contributor, Issue, PersonName

_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya", "ә": "a", "ғ": "g", "қ": "q", "ң": "n", "ө": "o", "ұ": "u", "ү": "u",
    "һ": "h", "і": "i", "є": "ye", "ї": "yi", "ґ": "g", "ў": "u",
}
_TITLE_WORD = re.compile(r"[^\s\-–—/]+")  # the words between white space, dashes and slashes
_CYRILLIC_LETTER = re.compile("[\u0400-\u0481\u048a-\u052f]")  # letters only, none of them Latin


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
    for match in _TITLE_WORD.finditer(title):  # folded one at a time: the key needs only the first few
        word = ascii_fold(match.group())
        if not word or word.isdigit():
            continue
        if len(word) >= 4:
            return word
        first = first or word
    return first


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
    """The name ``derive.main_name`` gives, answering "not Latin" at the first Cyrillic letter."""
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


def key_base(issue: Issue, article: Article) -> str:
    """The key an article gets when no other article of the file has the same: from the article alone."""
    year = derive.publication_date(issue, article)[0].year
    return f"{_key_name(article)}{year}{_key_word(article)}"


def unique_keys(bases: list[str]) -> list[str]:
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
    """``base`` with a, b, ..., z, aa, ab, ..., zz, aaa, ...: never runs out."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    for length in itertools.count(1):
        for suffix in itertools.product(letters, repeat=length):
            yield base + "".join(suffix)


def cite_keys(issue: Issue) -> list[str]:
    """The key of each article of an issue held in memory, as a file of all its articles has them."""
    return unique_keys([key_base(issue, article) for article in issue.articles])
