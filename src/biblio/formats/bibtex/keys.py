"""Cite keys: ASCII, stable, unique in a file, and the same in every language's file.

A key is the first author's family name (its Latin spelling, else transliterated), the year,
and the first word of four letters or more of the English (or another Latin-script) title,
else of the original title transliterated: ``nassimov2025genesis``. It comes from the article
alone, so every language's file has the same keys; keys that collide get ``a``, ``b``, ….
"""

from __future__ import annotations

import itertools
import re
import string
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
        title = next((text for _, text in article.titles.items() if derive.is_latin(text)), article.titles.main or "")
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
    """The name ``derive.main_name`` gives, told five times faster: no script lookup for a tag
    without a subtag, and "not Latin" at a first Cyrillic letter."""
    names = contributor.names
    for lang, name in names.items():
        if "-" in lang and ids.script_of(lang) == "Latn":
            return name
    for name in names.values():
        if _CYRILLIC_LETTER.match(name.family) is None and derive.is_latin(name.family + " " + (name.given or "")):
            return name
    return names.get(article.language, next(iter(names.values()), None))


def key_base(issue: Issue, article: Article) -> str:
    """The key an article gets when no other article of the file has the same: from the article alone."""
    year = derive.publication_date(issue, article)[0].year
    return f"{_key_name(article)}{year}{_key_word(article)}"


def unique_keys(bases: list[str]) -> list[str]:
    """Bases made unique: a base used twice gets suffixes, in the order of the articles (each repeated
    base goes on through its suffixes where it stopped: the ones before stay taken)."""
    counts = Counter(bases)
    used = {base for base in bases if counts[base] == 1}
    suffixes: dict[str, Iterator[str]] = {}
    keys = []
    for base in bases:
        if counts[base] > 1:
            candidates = suffixes.setdefault(base, _suffixed(base))
            base = next(candidate for candidate in candidates if candidate not in used)
            used.add(base)
        keys.append(base)
    return keys


def _suffixed(base: str) -> Iterator[str]:
    """``base`` with a, b, ..., z, aa, ab, ..., zz, aaa, ...: never runs out."""
    for length in itertools.count(1):
        for suffix in itertools.product(string.ascii_lowercase, repeat=length):
            yield base + "".join(suffix)


def cite_keys(issue: Issue) -> list[str]:
    """The key of each article of an issue held in memory, as a file of all its articles has them."""
    return unique_keys([key_base(issue, article) for article in issue.articles])
