"""A sentence-case form for titles printed in capitals, guided by the article's own text.

Titles are kept as printed; this gives the form that indexes and reference lists want.
Lowercasing everything would lose proper nouns and acronyms, and no word list knows them
all, so each word is cased as the article's own abstract and body (``context``) write it:

1. the first word of the title (and of a sentence after ``.``, ``?``, ``!``) is capitalised;
2. a word the context writes in capitals (``ШЫҰ``, ``SCO``) stays so, unless only inside a
   run of three or more capitalised words (a heading, not an acronym);
3. a word the context capitalises away from a sentence start more often than not is a
   proper noun (``Қазақстан``) and keeps the context's spelling; otherwise it is lowercased;
4. a roman numeral (``XXI``, also with the Cyrillic look-alikes ``ХХ``) stays;
5. a form the context lacks is judged by its relatives there (see `_Lookup`); majority
   wins, and a capitalised word inside a Title Case name counts half;
6. everything else is lowercased; words already lowercase in the title are kept.

After a colon English capitalises a subtitle (APA 7, Chicago); Russian and Kazakh continue
in lowercase, as GOST 7.0.100 requires (``capitalise_after_colon`` overrides this).
Hyphenated words are cased part by part (``Қазақстан-Қытай``).
"""

from __future__ import annotations

import bisect
import functools
import os.path
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from biblio.extract.translit import fold

STEM = 5  # letters a title word must share with a context word to borrow its case
HEADING_RUN = 3  # consecutive all-caps words that make a heading, not acronyms

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_ROMAN = re.compile(r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_CYRILLIC_ROMAN = str.maketrans("ХІ", "XI")  # Cyrillic Ха and І, used for roman numerals in kk/ru text
_INITIAL_END = re.compile(r"(?:^|[^\w])[^\W\d_]\.\s*$")
_SENTENCE_END = re.compile(r"(?:[.!?…:]|\n[ \t]*\n)[\s«\"“„'(\[]*$")


def is_all_caps(title: str) -> bool:
    """Whether a title is printed in capitals: at least 70 % of its cased letters are upper case.

    A share rather than "every letter" because capital titles keep some lowercase
    (``... REFORMS (second half of 2000s)``).
    """
    cased = [char for char in title if char.isupper() or char.islower()]
    if len(cased) < 2:
        return False
    return sum(char.isupper() for char in cased) / len(cased) >= 0.7


@dataclass
class _Form:
    lower: float = 0  # written in lowercase
    capital: float = 0  # capitalised, not at a sentence start (half weight inside a Title Case name)
    caps: float = 0  # all capitals, outside headings
    spellings: Counter[str] = field(default_factory=Counter)  # capitalised spellings seen


def _is_caps(word: str) -> bool:
    return len(word) >= 2 and word.isupper() and sum(char.isalpha() for char in word) >= 2


def _sentence_start(context: str, start: int) -> bool:
    """Whether the word at ``start`` opens a sentence, a paragraph, a heading or a list item."""
    before = context[max(0, start - 80):start]
    if not before.strip():
        return True
    if _SENTENCE_END.search(before):
        # "К.К.Токаев", "Қ. Тоқаев": a period right after a lone capital letter marks an initial.
        return not _INITIAL_END.search(before)
    # A line break after a short line without final punctuation: the word follows a heading.
    line_start = before.rfind("\n")
    if line_start >= 0 and not before[line_start:].strip():
        previous = before[:line_start].rstrip()
        previous_line = previous[previous.rfind("\n") + 1:]
        return len(previous_line.strip()) < 40 and not previous_line.rstrip().endswith(("-", ","))
    return False


def _evidence(context: str) -> dict[str, _Form]:
    """How the context writes each word form (lowercased key)."""
    matches = list(_WORD.finditer(context))
    caps = [_is_caps(match.group()) for match in matches]
    capital = [match.group()[0].isupper() for match in matches]
    # A heading runs on through one-letter words ("ВВЕДЕНИЕ В ТЕОРИЮ") and numbers.
    upper = [flag or not match.group().islower() and len(match.group()) == 1 or match.group().isdigit()
             for flag, match in zip(caps, matches)]
    in_heading = [False] * len(matches)
    run_start = None
    for i in range(len(matches) + 1):
        # A comma ends a run: "АҚШ, ЕО, ҚХР" is a list of acronyms, not a heading.
        continues = i < len(matches) and upper[i] and not (
            run_start is not None and "," in context[matches[i - 1].end():matches[i].start()])
        if run_start is not None and not continues:
            if i - run_start >= HEADING_RUN:
                in_heading[run_start:i] = [True] * (i - run_start)
            run_start = None
        if run_start is None and i < len(matches) and upper[i]:
            run_start = i

    def joined(i: int, j: int) -> bool:
        """Words i and j (j = i + 1) are neighbours in one name: only spaces between them."""
        return 0 <= i and j < len(matches) and capital[i] and capital[j] and not context[
            matches[i].end():matches[j].start()].strip()

    forms: defaultdict[str, _Form] = defaultdict(_Form)
    for i, match in enumerate(matches):
        word = match.group()
        if not any(char.isalpha() for char in word):
            continue
        form = forms[word.lower()]
        if caps[i]:
            if not in_heading[i]:
                form.caps += 1
        elif word[0].islower():
            form.lower += 1
        elif len(word) > 1 and word[0].isupper() and not _sentence_start(context, match.start()):
            # (A lone capital letter is an initial or part of a heading: no evidence.)
            # "Creative Industries Clusters Programme": a word inside a Title Case name is
            # weaker evidence than a lone capital ("in Kazakhstan").
            form.capital += 0.5 if joined(i - 1, i) or joined(i, i + 1) else 1
            form.spellings[word] += 1
    return dict(forms)


def _is_roman(word: str) -> bool:
    latin = word.translate(_CYRILLIC_ROMAN)
    # a lone Cyrillic Х is a letter (2020-х)
    return bool(latin and _ROMAN.fullmatch(latin)) and (latin == word or len(word) >= 2)


class _Lookup:
    """The context's evidence, indexed for prefix look-ups, in its own script and in Latin.

    A form the context lacks is judged, in this order, by the forms it inflects or that
    inflect it (`inflected`), by the same across scripts (`transliterated`), then by the
    words sharing its longest common prefix (`siblings`).
    """

    def __init__(self, context: str) -> None:
        self.forms = _evidence(context)
        self.sorted = sorted(self.forms)
        self.latin: dict[str, _Form] = {}
        for key, form in self.forms.items():
            loose = self.latin.setdefault(fold(key), _Form())
            loose.lower += form.lower
            loose.capital += form.capital
            loose.caps += form.caps
            loose.spellings.update(form.spellings)

    def inflected(self, key: str) -> list[_Form]:
        """The closest context forms sharing ≥ STEM letters: those extending ``key`` if any, else the
        longest one ``key`` extends (``қазақстандық``, not ``қазақстан``, for ``қазақстандықтардың``)."""
        low = bisect.bisect_right(self.sorted, key)
        high = bisect.bisect_left(self.sorted, key + "\uffff")
        longer = [self.forms[form] for form in self.sorted[low:high]]
        if longer and len(key) >= STEM:
            return longer
        for end in range(len(key) - 1, STEM - 1, -1):
            if key[:end] in self.forms:
                return [self.forms[key[:end]]]
        return []

    def transliterated(self, key: str) -> _Form | None:
        """The evidence for ``key`` in another script: a loose key it equals or adds at most 3
        letters to (``Казахстане`` finds ``Kazakhstan``; ``казахский`` does not find ``Kazakh``)."""
        latin = fold(key)
        for end in range(len(latin), max(STEM, len(latin) - 3) - 1, -1):
            form = self.latin.get(latin[:end])
            if form is not None and (form.capital or form.lower or form.caps):
                return form
        return None

    def siblings(self, key: str) -> list[_Form]:
        """The context forms sharing the longest common prefix (≥ STEM letters) with ``key``."""
        at = bisect.bisect_left(self.sorted, key)
        best = max((len(os.path.commonprefix([key, other])) for other in self.sorted[max(0, at - 1):at + 1]),
                   default=0)
        if best < STEM:
            return []
        prefix = key[:best]
        low = bisect.bisect_left(self.sorted, prefix)
        high = bisect.bisect_left(self.sorted, prefix + "\uffff")
        return [self.forms[form] for form in self.sorted[low:high] if form != key]


_lookup = functools.lru_cache(maxsize=8)(_Lookup)  # an article's titles in three languages share one index


def _case_word(word: str, lookup: _Lookup) -> str:
    """The sentence-case form of one capitalised word (not yet capitalised for a sentence start)."""
    if any(char.islower() for char in word):
        return word  # typed in lowercase or mixed case on purpose: keep
    key = word.lower()
    form = lookup.forms.get(key)
    if form is not None and (form.caps or form.lower or form.capital):
        if form.caps and form.caps >= form.lower + form.capital:
            return word
        return form.spellings.most_common(1)[0][0] if form.capital > form.lower else key
    if _is_roman(word):
        return word
    for relatives in (lookup.inflected(key), [lookup.transliterated(key)], lookup.siblings(key)):
        relatives = [relative for relative in relatives if relative is not None]
        capital = sum(relative.capital for relative in relatives)
        lower = sum(relative.lower for relative in relatives)
        if capital or lower:
            return _capitalise(key) if capital > lower else key
    return key


def _capitalise(word: str) -> str:
    return word[:1].upper() + word[1:]


def sentence_case(title: str, context: str, lang: str, *, capitalise_after_colon: bool | None = None) -> str:
    """The title in sentence case, keeping what ``context`` (the article's abstract and body)
    capitalises; a title not printed in capitals is returned unchanged."""
    if not is_all_caps(title):
        return title
    after_colon = lang == "en" if capitalise_after_colon is None else capitalise_after_colon
    lookup = _lookup(context)
    out: list[str] = []
    starts = True
    for piece in re.finditer(r"[^\W_]+(?:['’][^\W_]+)*|[\W_]+", title):
        text = piece.group()
        if not _WORD.fullmatch(text):
            out.append(text)
            if re.search(r"[.?!…]\s", text) or (after_colon and re.search(r":\s", text)):
                starts = True
            continue
        cased = _case_word(text, lookup)
        out.append(_capitalise(cased) if starts else cased)
        starts = False
    return "".join(out)
