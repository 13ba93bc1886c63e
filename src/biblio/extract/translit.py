"""Kazakh and Russian Cyrillic to Latin, for *matching* names across language blocks.

An article prints its authors once per language block (``Мурат Насимов``, ``Murat
Nassimov``); to know that these are one person we compare Latin keys. This is never a
display transliteration: the spellings people use vary too much (Жұмабаев → Zhumabayev,
Jumabaev, Zhumabaev) for one "correct" form, so none may be invented for the manifest.
``to_latin`` follows a simplified BGN/PCGN scheme, with the Kazakh letters as Kazakh
passports render them; one table serves both languages, since a Russian block may print
``Айгүл``. ``match_key`` then folds the common spelling variants together.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z", "и": "i", "й": "y",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
    "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    # Kazakh letters, as Kazakh passports and most English-language papers write them.
    "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
    # Other Cyrillic letters met in Central Asian names.
    "ў": "u", "ј": "j", "ї": "yi", "є": "ye", "ґ": "g",
}


def to_latin(text: str, lang: str) -> str:
    """The text with every Cyrillic letter replaced by its Latin spelling (case kept).

    ``lang`` is accepted so callers need not special-case languages; the table is the same
    for ``kk`` and ``ru``.
    """
    del lang
    return _WORD.sub(_word_to_latin, text)


_WORD = re.compile(r"[^\W\d_]+")


def _word_to_latin(match: re.Match[str]) -> str:
    """One word: Ж → Zh in a capitalised word, ZH in an all-caps one (ЖҰМАБАЕВ → ZHUMABAEV)."""
    word = match.group()
    all_caps = len(word) > 1 and word.isupper()
    out: list[str] = []
    for char in word:
        lower = char.lower()
        latin = _CYRILLIC.get(lower)
        if latin is None:
            out.append(char)
        elif char != lower and latin:
            out.append(latin.upper() if all_caps else latin[0].upper() + latin[1:])
        else:
            out.append(latin)
    return "".join(out)


# Spelling variants folded by match_key, applied in this order on lowercase ASCII.
_FOLDS: tuple[tuple[str, str], ...] = (
    (r"shch|sch", "sh"),  # щ
    (r"dzh|dj", "j"),  # Джамиля / Djamila
    (r"zh", "j"),  # Жұмабаев: Zhumabayev / Jumabaev
    (r"kh", "h"),  # Ахмет: Akhmet / Ahmet
    (r"gh", "g"),  # ғ sometimes gh
    (r"ts|tz|ch", "c"),  # ц, ч
    (r"q", "k"),  # 2021 Kazakh Latin: Қ = q
    (r"w", "u"),  # 2021 Kazakh Latin: У = w
    (r"x", "ks"),  # Alexander / Aleksandr
    (r"ph", "f"),
    (r"y", "i"),  # ы/і/и are written y or i interchangeably (Kuanyshev / Kuanishev)
    (r"i+(?=[aeou])", ""),  # ya/ia → a, yu/iu → u, ye/ie → e, yo/io → o
    (r"(.)\1+", r"\1"),  # doubled letters: Nassimov / Насимов
    (r"ev(a?)\b", r"ov\1"),  # -ev/-ov, -eva/-ova
    (r"ae", "a"),  # Ә → ae in some spellings (Aeliya), after -aev has become -aov
    (r"ii\b|i\b", "i"),  # -iy/-ii/-y endings
)
# Latin letters with a háček or cedilla (ISO 9, the 2018 Kazakh Latin) before diacritics go.
_LATIN_LETTERS = str.maketrans({"ž": "zh", "š": "sh", "č": "ch", "ş": "sh", "ç": "ch", "ı": "i", "æ": "a", "ß": "ss"})
_FOLD_RE = tuple((re.compile(pattern), repl) for pattern, repl in _FOLDS)


def match_key(name: str, lang: str) -> str:
    """A lowercase ASCII key that maps the usual spellings of a name to the same string.

    ``Жұмабаев``, ``Zhumabayev`` and ``Jumabaev`` all give ``jumabaov``. Words are separated
    by single spaces; punctuation (initials' dots, hyphens) is dropped.
    """
    text = unicodedata.normalize("NFKD", to_latin(name, lang).lower().translate(_LATIN_LETTERS))
    text = "".join(char for char in text if not unicodedata.combining(char))
    words = re.findall(r"[a-z]+", text)
    for pattern, repl in _FOLD_RE:
        words = [pattern.sub(repl, word) for word in words]
    return " ".join(words)


_FOLD_TABLE = str.maketrans({**_CYRILLIC, "q": "k", "w": "u", "y": "i", "x": "ks", "ё": "e"})


def fold(word: str) -> str:
    """A fast, looser key for large vocabularies: Казахстан, Қазақстан and Kazakhstan all give
    ``kazakstan`` (kh, h and q fold into k, zh into j, ts and ch into c, y into i, no doubles)."""
    text = word.lower().translate(_FOLD_TABLE)
    for old, new in (("shch", "sh"), ("zh", "j"), ("kh", "k"), ("h", "k"), ("ts", "c"), ("ch", "c")):
        text = text.replace(old, new)
    return "".join(char for i, char in enumerate(text) if i == 0 or char != text[i - 1])


def similarity(a: str, lang_a: str, b: str, lang_b: str) -> float:
    """How alike two spellings are in [0, 1], comparing their match keys."""
    key_a, key_b = match_key(a, lang_a), match_key(b, lang_b)
    if not key_a or not key_b:
        return 0.0
    if key_a == key_b:
        return 1.0
    return SequenceMatcher(None, key_a, key_b, autojunk=False).ratio()
