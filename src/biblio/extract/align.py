"""Match the author lists of one article's language blocks and split each name.

Each block prints its own author line, in its own script and sometimes its own order
(``Копежанова Данагуль`` beside ``Danagul Kopezhanova``), and may drop a name, so people
are paired by the transliterated similarity of their name tokens (:mod:`.translit`),
not by position. The pairing is then the evidence for which token is the family name:
initials and Russian patronymics never are; surname suffixes (``-ов/-ова``, ``-ский``,
``-енко`` and their Latin spellings) are strong evidence, ``-ин/-ина`` and Kazakh
``-ұлы``/``-қызы`` (often a legal surname) weak; the last token of a line, a weak vote per
block, breaks ties. The evidence is summed over the blocks, so ``Жулдыз Басыгариева``
settles that ``Bassygariyeva Zhuldyz`` is printed family first. Every PersonName keeps
the block's own spelling: nothing is transliterated into the output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from biblio.extract.translit import match_key, similarity
from biblio.model import PersonName
from biblio.problems import Problem, Severity

PERSON_MATCH = 0.6  # mean token similarity above which two printed names are one person
TOKEN_MATCH = 0.5  # token similarity above which two tokens are one name part
INITIAL_MATCH = 0.9  # an initial agreeing with a full name's first letter

_INITIALS = re.compile(r"(?:[^\W\d_]{1,3}\.-?)+")
_LEADING_INITIALS = re.compile(r"((?:[^\W\d_]{1,3}\.-?)+)(.+)")
_PATRONYMIC = re.compile(r"(?:ович|евич|ьич|овна|евна|ична|инична|ovich|evich|ovna|evna|ichna)$", re.IGNORECASE)
_STRONG = re.compile(r"(?:ов|ова|ев|ева|ёв|ёва|ский|ская|цкий|цкая|енко|"
                     r"ov|ova|ev|eva|yev|yeva|iev|ieva|sky|skiy|skii|skaya|enko)$", re.IGNORECASE)
_WEAK = re.compile(r"(?:ин|ина|ын|ына|ұлы|улы|қызы|кызы|in|ina|yn|yna|uly|uli|ulu|kyzy|qyzy|kizi)$", re.IGNORECASE)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@dataclass
class AlignResult:
    """The people of one article, each as ``{lang: PersonName}``, and what needs an editor."""

    people: list[dict[str, PersonName]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # for each person, {lang: index of the printed name} (not copied ones), for the iDs printed beside it
    sources: list[dict[str, int]] = field(default_factory=list)


def tokens(name: str) -> list[str]:
    """The parts of a printed name; glued initials come apart (``К.К.Токаев`` → ``К.К.``, ``Токаев``)."""
    out: list[str] = []
    for chunk in name.split():
        chunk = chunk.strip(",;")
        match = _LEADING_INITIALS.fullmatch(chunk)
        if match and not _INITIALS.fullmatch(chunk):
            out.extend([match.group(1), match.group(2)])
        elif chunk:
            out.append(chunk)
    return out


def is_initial(token: str) -> bool:
    """``M.``, ``М.С.``, ``Zh.``, ``Ж.-К.`` or a lone letter."""
    return bool(_INITIALS.fullmatch(token)) or (len(token) == 1 and token.isalpha())


def token_similarity(a: str, lang_a: str, b: str, lang_b: str) -> float:
    """Similarity of two name parts; an initial agrees with any part sharing its first letter."""
    if is_initial(a) or is_initial(b):
        key_a, key_b = match_key(a, lang_a), match_key(b, lang_b)
        if not key_a or not key_b:
            return 0.0
        if is_initial(a) and is_initial(b):
            return 1.0 if key_a.split()[0] == key_b.split()[0] else 0.0
        return INITIAL_MATCH if key_a[0] == key_b[0] else 0.0
    return similarity(a, lang_a, b, lang_b)


def _greedy(scored: list[tuple[float, int, int]], threshold: float = 0.0) -> list[tuple[float, int, int]]:
    """One-to-one pairs (score, i, j) from scored candidates, best first (ties by i, then j)."""
    used_i: set[int] = set()
    used_j: set[int] = set()
    pairs = []
    for score, i, j in sorted(scored, key=lambda item: (-item[0], item[1], item[2])):
        if score >= threshold and i not in used_i and j not in used_j:
            used_i.add(i)
            used_j.add(j)
            pairs.append((score, i, j))
    return pairs


def name_similarity(a: list[str], lang_a: str, b: list[str], lang_b: str) -> float:
    """How likely two printed names are one person: paired token similarity over the shorter name."""
    if not a or not b:
        return 0.0
    scored = [(token_similarity(x, lang_a, y, lang_b), i, j) for i, x in enumerate(a) for j, y in enumerate(b)]
    return sum(score for score, _, _ in _greedy(scored, TOKEN_MATCH)) / min(len(a), len(b))


def _surname_evidence(token: str) -> float:
    """How much a token's own shape says it is a family name."""
    if is_initial(token):
        return -10.0
    bare = token.strip(".-'’")
    if _PATRONYMIC.search(bare):
        return -5.0
    for suffix, evidence in ((_STRONG, 2.0), (_WEAK, 1.0)):
        match = suffix.search(bare)
        if match and len(bare) - len(match.group()) >= 3:
            return evidence
    return 0.0


def _split(parts: list[str], family_index: int) -> PersonName:
    """A PersonName from a block's tokens once the family token is known."""
    if len(parts) == 1:
        return PersonName(family=parts[0])
    if family_index == 0:
        return PersonName(family=parts[0], given=" ".join(parts[1:]), order="family-first")
    return PersonName(family=" ".join(parts[family_index:]), given=" ".join(parts[:family_index]))


def _family_indexes(person: dict[str, list[str]]) -> dict[str, int]:
    """For each block of one person, the index of the family-name token (evidence over all blocks)."""
    langs = list(person)
    # Groups of tokens that are the same name part across blocks: {lang: index}.
    groups: list[dict[str, int]] = [{langs[0]: i} for i in range(len(person[langs[0]]))]
    for lang in langs[1:]:
        scored = [(max(token_similarity(person[other][i], other, token, lang) for other, i in group.items()), g, j)
                  for g, group in enumerate(groups) for j, token in enumerate(person[lang])]
        for _, g, j in _greedy(scored, TOKEN_MATCH):
            groups[g][lang] = j
        taken = {group[lang] for group in groups if lang in group}
        groups.extend({lang: j} for j in range(len(person[lang])) if j not in taken)

    def _weight(group: dict[str, int]) -> float:
        shape = [_surname_evidence(person[lang][i]) for lang, i in group.items()]
        # An initial anywhere rules the group out; otherwise the clearest shape counts once.
        evidence = min(shape) if min(shape) < 0 else max(shape)
        votes = sum(0.4 for lang, i in group.items() if len(person[lang]) > 1 and i == len(person[lang]) - 1)
        return evidence + votes

    first, last = langs[0], len(person[langs[0]]) - 1
    # Ties go to the first block's reading: its last token (given-first, the usual order).
    ranked = sorted(range(len(groups)), key=lambda g: (-_weight(groups[g]), groups[g].get(first) != last))
    return {lang: next(groups[g][lang] for g in ranked if lang in groups[g]) for lang in langs}


def _script(lang: str, names: list[list[str]]) -> str:
    text = " ".join(" ".join(parts) for parts in names)
    if text:
        return "cyrillic" if _CYRILLIC.search(text) else "latin"
    return "cyrillic" if lang in {"kk", "ru", "ky", "tg", "uk", "be", "mn"} else "latin"


def align(names: dict[str, list[str]], lines: dict[str, int] | None = None, *, fallback: bool = False,
          file: str | None = None, path: str | None = None) -> AlignResult:
    """The people of one article, in the order of the first block that prints them.

    ``names`` maps each block's language to its printed names ([] for no author line);
    ``lines`` gives each block's author-line number for the problems. With ``fallback`` a
    block with no author line copies another block's names (same script preferred).
    """
    lines = lines or {}
    problems: list[Problem] = []

    def _report(code: str, severity: Severity, message: str, lang: str | None) -> None:
        problems.append(Problem(code, severity, message, path=path, file=file, line=lines.get(lang) if lang else None))

    parsed = {lang: [parts for parts in (tokens(name) for name in printed) if parts] for lang, printed in names.items()}
    printed_langs = [lang for lang, block in parsed.items() if block]
    missing = [lang for lang, block in parsed.items() if not block]

    # People as {lang: index into that block's names}, built block by block.
    people: list[dict[str, int]] = []
    for lang in printed_langs:
        block = parsed[lang]
        scored = []
        for p, person in enumerate(people):
            for j, parts in enumerate(block):
                score = max(name_similarity(parsed[other][i], other, parts, lang) for other, i in person.items())
                if score >= PERSON_MATCH:
                    scored.append((score + (0.05 if p == j else 0.0), p, j))
        pairs = _greedy(scored)
        for _, p, j in pairs:
            people[p][lang] = j
        taken = {j for _, _, j in pairs}
        people.extend({lang: j} for j in range(len(block)) if j not in taken)

    counts = {lang: len(parsed[lang]) for lang in printed_langs}
    if len(set(counts.values())) > 1:
        listed = ", ".join(f"{lang} {count}" for lang, count in counts.items())
        _report("extract.authors.count", "warning",
                f"the language blocks print different numbers of authors ({listed})", printed_langs[0])
    if len(printed_langs) > 1:
        for person in people:
            absent = [lang for lang in printed_langs if lang not in person]
            if not absent:
                continue
            lang, i = next(iter(person.items()))
            shown = " ".join(parsed[lang][i])
            _report("extract.authors.unmatched", "warning",
                    f"'{shown}' ({lang} block) matches no one in the {', '.join(absent)} block"
                    f"{'s' if len(absent) > 1 else ''}", lang)

    result: list[dict[str, PersonName]] = []
    for person in people:
        tokens_by_lang = {lang: parsed[lang][i] for lang, i in person.items()}
        family = _family_indexes(tokens_by_lang)
        result.append({lang: _split(tokens_by_lang[lang], family[lang]) for lang in tokens_by_lang})

    if fallback and missing and printed_langs:
        scripts = {lang: _script(lang, parsed[lang]) for lang in parsed}
        for lang in missing:
            order = sorted(printed_langs, key=lambda other: scripts[other] != scripts[lang])  # same script first
            donors: list[str] = []
            for named in result:
                donor = next((other for other in order if other in named), None)
                if donor is not None:
                    printed = named[donor]
                    named[lang] = PersonName(printed.family, printed.given, printed.order)
                    if donor not in donors:
                        donors.append(donor)
            sources = " and ".join(
                f"{donor} block" + (f" (line {lines[donor]})" if donor in lines else "") for donor in donors)
            _report("extract.authors.fallback", "warning",
                    f"the {lang} block prints no author line; its authors are copied as printed in the {sources}: "
                    "confirm or correct them", lang)
    return AlignResult(result, problems, [dict(person) for person in people])
