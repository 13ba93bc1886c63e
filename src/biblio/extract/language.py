"""Which language a piece of text is in: Kazakh, Russian, English, Spanish, Portuguese, French, German,
Italian, Polish, Dutch, Turkish.

Kazakh is written in Cyrillic with nine letters Russian lacks (ә ғ қ ң ө ұ ү һ і);
a Cyrillic text with a fair share of them is Kazakh, without them Russian. A mostly
Latin text is told by its common words and the letters only some languages use (``ł``, ``ı``); when
they do not decide, the caller's hint (the language a label names) wins, and English only without one.
The labels of a block (``Аңдатпа``, ``Аннотация``, ``Abstract``, ``Riassunto``) name their language;
`label_language` reads them.
"""

from __future__ import annotations

import re

from .text import KAZAKH_LETTERS

ABSTRACT_LABELS: dict[str, str] = {"аңдатпа": "kk", "андатпа": "kk", "түйіндеме": "kk", "аннотация": "ru",
                                   "резюме": "ru", "abstract": "en", "annotation": "en", "summary": "en",
                                   "resumen": "es", "resumo": "pt", "résumé": "fr", "zusammenfassung": "de",
                                   "riassunto": "it", "sommario": "it", "streszczenie": "pl", "samenvatting": "nl",
                                   "özet": "tr", "öz": "tr"}
KEYWORD_LABELS: dict[str, str] = {
    "түйін сөздер": "kk", "түйінді сөздер": "kk", "кілт сөздер": "kk", "кілтті сөздер": "kk", "тірек сөздер": "kk",
    "негізгі сөздер": "kk", "кілттік сөздер": "kk", "ключевые слова": "ru",
    "keywords": "en", "key words": "en", "key-words": "en", "palabras clave": "es", "palabras-clave": "es",
    "palavras-chave": "pt", "palavras chave": "pt", "mots-clés": "fr", "mots clés": "fr", "schlüsselwörter": "de",
    "schlagwörter": "de", "parole chiave": "it", "parole-chiave": "it", "słowa kluczowe": "pl",
    "trefwoorden": "nl", "kernwoorden": "nl", "sleutelwoorden": "nl", "anahtar kelimeler": "tr",
    "anahtar sözcükler": "tr",
}
# Words frequent in one Latin-script language and rare in the others: they tell Spanish,
# Portuguese, French or German text from English where the script cannot.
_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the and of is are with for this that from".split()),
    "es": frozenset("el la de los las del y es por con para una que se fue este al".split()),
    "pt": frozenset("o os as de do da dos das e é com para uma não em foi".split()),
    "fr": frozenset("le la de les des du et est dans pour une que sur au".split()),
    "de": frozenset("der die das und ist mit für ein eine nicht den von".split()),
    "it": frozenset("il lo la le gli di dal della delle degli dei nel nella che per non sono questo è".split()),
    "pl": frozenset("w się nie jest że oraz przez dla jak na".split()),
    "nl": frozenset("het een van en op voor niet dat zijn wordt deze".split()),
    "tr": frozenset("ve bir bu için ile olarak olan daha gibi".split()),
}
# Letters of one Latin-script language among these: each counts as one of its common words.
_LETTERS: dict[str, frozenset[str]] = {"pl": frozenset("ąćęłńśźż"), "tr": frozenset("ğış")}


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


def script_language(text: str, *, kazakh_share: float = 0.01, hint: str | None = None) -> str | None:
    """``kk``, ``ru`` or a Latin-script language (`latin_language`, with ``hint``) by the letters used;
    None for text without letters."""
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
        return latin_language(text, hint=hint) or "en"
    return "kk" if kazakh and kazakh >= kazakh_share * cyrillic else "ru"


def latin_language(text: str, *, strict: bool = False, hint: str | None = None) -> str | None:
    """``en`` unless at least two common words (or letters) of another Latin-script language outnumber
    the English ones in ``text``; with ``strict``, None when no English word is there either. ``hint``
    (the language a label names) wins when nothing decides or when it ties for the lead."""
    lower = text.lower()
    words = re.findall(r"[^\W\d_]+", lower)
    counts = {lang: sum(word in stop for word in words) for lang, stop in _STOPWORDS.items()}
    for lang, letters in _LETTERS.items():
        counts[lang] += sum(char in letters for char in lower)
    if strict and not counts["en"]:
        return None
    top = max(counts.values())
    leaders = [lang for lang, count in counts.items() if count == top]
    if hint in counts and (hint in leaders or top < 2):
        return hint
    best = leaders[0]
    return best if best != "en" and top >= 2 and top > counts["en"] else "en"
