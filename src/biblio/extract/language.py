"""Which language a piece of text is in: Kazakh, Russian, English, Spanish, Portuguese, French, German.

Kazakh is written in Cyrillic with nine letters Russian lacks (ә ғ қ ң ө ұ ү һ і);
a Cyrillic text with a fair share of them is Kazakh, without them Russian. A mostly
Latin text is English unless another language's common words clearly outnumber English ones. The labels of a block (``Аңдатпа``, ``Аннотация``,
``Abstract``) name their language too; `label_language` reads them.
"""

from __future__ import annotations

import re

from .text import KAZAKH_LETTERS

ABSTRACT_LABELS: dict[str, str] = {"аңдатпа": "kk", "андатпа": "kk", "түйіндеме": "kk", "аннотация": "ru",
                                   "резюме": "ru", "abstract": "en", "annotation": "en", "summary": "en",
                                   "resumen": "es", "resumo": "pt", "résumé": "fr", "zusammenfassung": "de"}
KEYWORD_LABELS: dict[str, str] = {
    "түйін сөздер": "kk", "түйінді сөздер": "kk", "кілт сөздер": "kk", "кілтті сөздер": "kk", "тірек сөздер": "kk",
    "негізгі сөздер": "kk", "кілттік сөздер": "kk", "ключевые слова": "ru",
    "keywords": "en", "key words": "en", "key-words": "en", "palabras clave": "es", "palabras-clave": "es",
    "palavras-chave": "pt", "palavras chave": "pt", "mots-clés": "fr", "mots clés": "fr", "schlüsselwörter": "de",
    "schlagwörter": "de",
}
# Words frequent in one Latin-script language and rare in the others: they tell Spanish,
# Portuguese, French or German text from English where the script cannot.
_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the and of is are with for this that from".split()),
    "es": frozenset("el la de los las del y es por con para una que se fue este al".split()),
    "pt": frozenset("o os as de do da dos das e é com para uma não em foi".split()),
    "fr": frozenset("le la de les des du et est dans pour une que sur au".split()),
    "de": frozenset("der die das und ist mit für ein eine nicht den von".split()),
}


def _spelled(names: list[str]) -> str:
    return "|".join(re.escape(name).replace(r"\ ", r"\s+") for name in names)


def _label_pattern(labels: dict[str, str]) -> re.Pattern[str]:
    """A label followed by punctuation (``Abstract.``, ``Ключевые слова —``), alone on its line,
    or in capitals before the text (``ABSTRACT The article…``); not ``Summary of the debate…``."""
    names = sorted(labels, key=len, reverse=True)
    return re.compile(rf"^(?:(?i:(?P<label>{_spelled(names)}))(?:\s*[.:—–-]\s*|\s*$)"
                      rf"|(?P<caps>{_spelled([name.upper() for name in names])})\s+)")


ABSTRACT_LABEL = _label_pattern(ABSTRACT_LABELS)
KEYWORD_LABEL = _label_pattern(KEYWORD_LABELS)


def label_language(match: re.Match[str], labels: dict[str, str]) -> str:
    """The language a block label is in (``match`` of `ABSTRACT_LABEL` or `KEYWORD_LABEL` on ``labels``)."""
    return labels[re.sub(r"\s+", " ", (match.group("label") or match.group("caps")).lower())]


def script_language(text: str, *, kazakh_share: float = 0.01) -> str | None:
    """``kk``, ``ru`` or ``en`` by the letters used; None for text without letters."""
    latin = cyrillic = kazakh = 0
    for char in text:
        if not char.isalpha():
            continue
        if char in KAZAKH_LETTERS:
            kazakh += 1
            cyrillic += 1
        elif "\u0400" <= char <= "\u04ff":
            cyrillic += 1
        elif char.isascii():
            latin += 1
    if not latin and not cyrillic:
        return None
    if latin > cyrillic:
        return latin_language(text) or "en"
    return "kk" if kazakh and kazakh >= kazakh_share * cyrillic else "ru"


def latin_language(text: str, *, strict: bool = False) -> str | None:
    """``en`` unless at least two common words of Spanish, Portuguese, French or German
    outnumber the English ones in ``text``; with ``strict``, None when no English word is there either."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    counts = {lang: sum(word in stop for word in words) for lang, stop in _STOPWORDS.items()}
    if strict and not counts["en"]:
        return None
    best = max(counts, key=lambda lang: counts[lang])
    return best if best != "en" and counts[best] >= 2 and counts[best] > counts["en"] else "en"
