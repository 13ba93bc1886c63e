"""Which language a piece of text is in: Kazakh, Russian or English.

Kazakh is written in Cyrillic with nine letters Russian lacks (ә ғ қ ң ө ұ ү һ і);
a Cyrillic text with a fair share of them is Kazakh, without them Russian, and a
mostly Latin text English. The labels of a block (``Аңдатпа``, ``Аннотация``,
``Abstract``) name their language too; `label_language` reads them.
"""

from __future__ import annotations

import re

from .text import KAZAKH_LETTERS

ABSTRACT_LABELS: dict[str, str] = {"аңдатпа": "kk", "андатпа": "kk", "түйіндеме": "kk", "аннотация": "ru",
                                   "резюме": "ru", "abstract": "en", "annotation": "en", "summary": "en"}
KEYWORD_LABELS: dict[str, str] = {
    "түйін сөздер": "kk", "түйінді сөздер": "kk", "кілт сөздер": "kk", "кілтті сөздер": "kk", "тірек сөздер": "kk",
    "негізгі сөздер": "kk", "кілттік сөздер": "kk", "ключевые слова": "ru",
    "keywords": "en", "key words": "en", "key-words": "en",
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
        return "en"
    return "kk" if kazakh and kazakh >= kazakh_share * cyrillic else "ru"
