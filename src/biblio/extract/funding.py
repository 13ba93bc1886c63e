"""Funding statements in Kazakh, Russian and English, with their award numbers and funder.

A statement is either a paragraph that opens with a funding heading (``Қаржыландыру:``,
``Funding:``, or such a heading alone on the line before; an acknowledgements heading
counts only when its paragraph speaks of funding or gives an award), taken whole; or,
anywhere else, the rest of a paragraph from a sentence that says the work was funded or
prepared within a project (``Статья подготовлена в рамках проекта``, ``This research was
funded by ...``) or gives an award number (``AP19677146``, ``грант №``).

Paragraphs end at a blank line, at a heading, or after ``MAX_LINES`` lines, so a missing
blank line cannot swallow the rest of the article. Text inside «…» and “…” (project
titles) is never read as a trigger or a funder.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .language import script_language
from .text import is_capitals_line

__all__ = ["FundingStatement", "find_funding", "join_lines", "normalise_award"]

MAX_LINES = 12


@dataclass(frozen=True)
class FundingStatement:
    """One funding statement as printed, with its award numbers and funder, for ``Article.funding``."""

    text: str
    language: str
    awards: tuple[str, ...]
    printed_awards: tuple[str, ...]
    funder: str | None
    line: int
    last_line: int


# --- joining lines ---------------------------------------------------------------

_HYPHEN_END = re.compile(r"(\w+)-$")
_WORD_START = re.compile(r"^(\w+)")
_COMPOUND = re.compile(r"(?<![\w-])\w+(?:-\w+)+")
_SPACES = re.compile(r"\s+")


def compounds(lines: Sequence[str]) -> set[str]:
    """Hyphenated words printed whole on one line somewhere in ``lines`` (lower case)."""
    return {match.group(0).lower() for line in lines if "-" in line for match in _COMPOUND.finditer(line)}


def splits_word(before: str, line: str, keep: set[str] | frozenset[str]) -> bool:
    """Whether ``before`` ends in a word split by a line-end hyphen that ``line`` finishes in lower
    case, and not a compound printed with its hyphen elsewhere (``keep``) or like ``өзін-өзі``."""
    end = _HYPHEN_END.search(before[-60:])
    start = _WORD_START.match(line)
    if not (end and start and line[0].islower() and end.group(1)[-1].isalpha()):
        return False
    left, right = end.group(1), start.group(1)
    return f"{left}-{right}".lower() not in keep and left[:3].lower() != right[:3].lower()


def join_lines(lines: Sequence[str], keep: set[str] | frozenset[str] = frozenset()) -> tuple[str, list[int]]:
    """Join PDF lines into one text, undoing line-end hyphenation (see :func:`splits_word`)
    and squeezing whitespace; also the offset of each line."""
    text = previous = ""
    offsets: list[int] = []
    for raw in lines:
        line = _SPACES.sub(" ", raw).strip()
        if text and line:
            if splits_word(previous, line, keep):
                text = text[:-1]
            elif not text.endswith("-"):
                text += " "
        offsets.append(len(text))
        text += line
        previous = line or previous
    return text, offsets


# --- awards ------------------------------------------------------------------------

_LOOKALIKES = str.maketrans("АВЕКМНОРСТХаеорсх", "ABEKMHOPCTXaeopcx")
_SIGN = r"(?:№|No\.?|N°|N)"
_SCHEME = re.compile(rf"(?<!\w)(?:{_SIGN}\s*)?(?:[AА][PР]|[BВ]R|[OО]R)\s?\d{{8}}(?!\d)")
_NUMBERED = re.compile(rf"(?<!\w){_SIGN}\s*([A-Za-zА-Яа-я]{{0,4}}-?\d[\d\-/.]*\d)")
# An award named after its word, in any funder's scheme (``grant NE/X012345/1``, ``grant No. PID2020-1234``).
_AFTER_WORD = re.compile(r"(?i:\b(?:grants?|awards?|project|contract|proyecto|projeto|projet|subvención|"
                         r"Förderkennzeichen|progetto|projekt|proje)"
                         r"(?:\s+(?:number|no\.?|n[º°.]))?)\s*:?\s*"
                         r"(?P<award>[A-Z][A-Z0-9]*(?:[/-][A-Z0-9]+)+|[A-Z]{1,6}\d{4,}[A-Z0-9]*)")
_PREFIX = re.compile(rf"^(?:(?:IRN|ИРН|IPN)\s*(?:{_SIGN}\s*)?|{_SIGN}\s*)", re.IGNORECASE)


def normalise_award(text: str) -> str:
    """An award number as registries write it: no ``№``/``No``, no spaces, and Latin letters for
    the Cyrillic look-alikes PDFs print (``NoВR21882308``), which no funder database would match."""
    value = _PREFIX.sub("", text.strip())
    value = value.translate(_LOOKALIKES)
    value = re.sub(r"^([A-Za-z]{2})\s+(\d)", r"\1\2", value)
    return value.upper() if re.fullmatch(r"[A-Za-z]{2}\d{8}", value) else value.rstrip(".")


def _awards(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    schemes = list(_SCHEME.finditer(text))
    printed = [match.group(0).strip() for match in schemes]
    for match in _NUMBERED.finditer(text):
        if any(scheme.start() <= match.start() < scheme.end() for scheme in schemes):
            continue
        if sum(char.isdigit() for char in match.group(1)) >= 4:
            printed.append(match.group(0).rstrip("."))
    awards = list(map(normalise_award, printed))
    taken = " ".join(printed)
    for match in _AFTER_WORD.finditer(text):
        award = match.group("award")  # kept as printed: a leading N is part of it (NE/X012345/1)
        if sum(char.isdigit() for char in award) >= 4 and award not in taken:
            printed.append(award)
            awards.append(award)
    return tuple(dict.fromkeys(awards)), tuple(dict.fromkeys(printed))


# --- finding statements ---------------------------------------------------------------

_UPPER = "(?=[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ])"
_HEADING = re.compile(
    r"^[*†¹\s]*" + _UPPER + r"(?:Қаржыландыру|Қаржылық\s+қолдау|Финансирование|Источники?\s+финансирования|"
    r"Funding(?:\s+information)?|Financial\s+support|Financing|Financiación|Financiamento|Financement|Förderung|"
    r"Finanziament[oi]|Finansowanie|Financiering|Finansman)\s*(?:[:.]|$)",
    re.IGNORECASE,
)
_THANKS = re.compile(r"^[*†¹\s]*" + _UPPER + r"(?:Acknowledge?ments?|Благодарност[ьи]|Алғыс)\s*(?:[:.]|$)",
                     re.IGNORECASE)
_OTHER_HEADING = re.compile(
    r"^\s*" + _UPPER + r"(?:Әдебиеттер\s+тізімі|Пайдаланылған\s+әдебиеттер|Список\s+(?:использованной\s+)?литературы|"
    r"Литература|References|Bibliography|Information\s+about\s+(?:the\s+)?authors?|"
    r"Авторлар\s+туралы|Сведения\s+об\s+авторах|Conflicts?\s+of\s+interests?|Конфликт\s+интересов|"
    r"Мүдделер\s+қақтығысы)\s*(?:[:.]|$)",
    re.IGNORECASE,
)
_ABSTRACT = re.compile(
    r"^\s*(?:Abstract|Аңдатпа|Аннотация|Keywords|Key\s+words|Түйін\s+сөздер|Түйінді\s+сөздер|Ключевые\s+слова)"
    r"\s*[.:]"
)
_FUNDING_WORD = re.compile(r"fund|financ|grant|грант|финансир|қаржылан", re.IGNORECASE)

_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[«\"“(]?[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ])")
_QUOTED = re.compile(r"«[^«»]*»|“[^“”]*”|\"[^\"]*\"")
# (subject opening the sentence, passive verb after it, a word saying what paid for it)
_TRIGGERS = {
    "kk": (
        re.compile(r"^(?:(?:Бұл|Берілген|Аталған|Осы|Ұсынылып\s+отырған)\s+)?(?:мақала|жұмыс|зерттеу)\w*",
                   re.IGNORECASE),
        re.compile(r"(?:қаржыландырыл|дайындал|әзірлен|орындал|асырыл|жариялан)(?:ды|ып)\b", re.IGNORECASE),
        re.compile(r"жоба|грант|бағдарлама|қаржыландыр", re.IGNORECASE),
    ),
    "ru": (
        re.compile(r"^(?:(?:Данная|Настоящая|Эта|Это|Представленная)\s+)?(?:стать|работ|исследовани|публикаци)\w*",
                   re.IGNORECASE),
        re.compile(r"(?:подготовлен|выполнен|проведен|финансирован|осуществлен|поддержан|написан|реализован)"
                   r"[аоы]?\b", re.IGNORECASE),
        re.compile(r"проект|грант|программ|финансир|поддержк", re.IGNORECASE),
    ),
    "en": (
        re.compile(r"^(?:(?:This|The|Our|Present|Current)\s+)?(?:research|study|work|article|paper|publication)\b",
                   re.IGNORECASE),
        re.compile(r"\b(?:was|were|is|are|has\s+been|have\s+been)\s+(?:\w+\s+)?(?:funded|financed|"
                   r"supported|sponsored|prepared|carried\s+out|conducted|performed|written|implemented)\b",
                   re.IGNORECASE),
        re.compile(r"grant|project|program|funding|funded|ministry|committee|foundation|fund\b|council",
                   re.IGNORECASE),
    ),
}
# Every trigger needs one of these words: a cheap test (on lower-cased text) that skips
# most paragraphs; the look-ahead on first letters keeps Python's regex engine fast here.
_HINT = re.compile(
    r"(?=[жгбқпфgpfmcaаbвoо])(?:жоба|грант|бағдарлама|қаржыландыр|проект|программ|финансир|поддержк|grant|"
    r"project|program|fund|ministry|committee|foundation|council|(?:[aа][pр]|[bв]r|[oо]r)\s?\d{8})"
)
_GRANT_SIGN = re.compile(rf"(?:грант\w*|grant|award)\s*{_SIGN}", re.IGNORECASE)


def _mask(text: str) -> str:
    """The text with quoted titles blanked out, offsets unchanged."""
    return _QUOTED.sub(lambda match: " " * len(match.group(0)), text)


def language_of(text: str) -> str:
    """kk, ru or en by the script, leaving quoted project titles out (a Russian statement may
    quote a Kazakh title)."""
    return script_language(_mask(text)) or "ru"


def _is_trigger(sentence: str) -> bool:
    if _SCHEME.search(sentence) or _GRANT_SIGN.search(sentence):
        return True
    masked = _mask(sentence)
    for subject, verb, context in _TRIGGERS.values():
        masked = masked.lstrip()
        found = subject.match(masked)
        if found and verb.search(masked, found.end()) and context.search(masked):
            return True
    return False


def _paragraphs(lines: Sequence[str]) -> list[tuple[int, int]]:
    """(first index, end index) of each paragraph."""
    result: list[tuple[int, int]] = []
    start: int | None = None
    for index, line in enumerate(lines):
        blank = not line.strip()
        breaks = (_HEADING.match(line) or _THANKS.match(line) or _OTHER_HEADING.match(line)
                  or _ABSTRACT.match(line) or is_capitals_line(line))
        if start is not None and (blank or breaks or index - start >= MAX_LINES):
            result.append((start, index))
            start = None
        if start is None and not blank:
            start = index
    if start is not None:
        result.append((start, len(lines)))
    return result


# --- funders ---------------------------------------------------------------------------

_FUNDER_KK = re.compile(
    r"(?:Қазақстан\s+Республикасы(?:ның)?|ҚР)\s+(?:\S+\s+){0,10}?"
    r"(?:комитеті|министрлігі|қоры|агенттігі|академиясы|орталығы)(?=[\s.,;:()№]|$)"
)
_FUNDER_RU = re.compile(
    r"(?:(?:Комитет|Министерств|Фонд|Агентств)[а-я]*)(?:\s+[^\s.,;:()«»]+){0,10}?\s+(?:Республики\s+Казахстан|РК)(?!\w)"
    r"|Российск\w+\s+научн\w+\s+фонд\w*|Российск\w+\s+фонд\w*\s+фундаментальных\s+исследований"
)
_ORG_EN = r"\b(?:Ministry|Committee|Foundation|Fund|Council|Agency|Academy|University|Institute|Programme)\b"
_TITLE_SPAN = r"[A-Z][\w'’&.-]*(?:\s+(?:(?:of|the|and|for|on|in|&)\s+)*[A-Z][\w'’&-]*)*"
_FUNDER_EN = re.compile(
    rf"(?:(?:funded|financed|supported|sponsored)\s+by|from)\s+(?:the\s+)?({_TITLE_SPAN})"
    rf"|({_TITLE_SPAN})"
)
_RU_HEAD = re.compile(r"^(Комитет|Министерств|Фонд|Агентств)(?:ом|а|у|е)\b")
_RU_NOMINATIVE = {"Комитет": "Комитет", "Министерств": "Министерство", "Фонд": "Фонд", "Агентств": "Агентство"}


def _funder(text: str, language: str) -> str | None:
    """The funding body named in the statement, as printed (Russian head noun in the nominative)."""
    masked = _mask(text)
    if language == "en":
        for match in _FUNDER_EN.finditer(masked):
            span = match.span(1) if match.group(1) else match.span(2)
            name = text[span[0]:span[1]].rstrip(".")
            if re.search(_ORG_EN, name):
                return name
        return None
    pattern = _FUNDER_KK if language == "kk" else _FUNDER_RU
    found = pattern.search(masked)
    if not found:
        return None
    return _RU_HEAD.sub(lambda head: _RU_NOMINATIVE[head.group(1)], text[found.start():found.end()])


# --- the step ----------------------------------------------------------------------------

def _statement(lines: Sequence[str], start: int, end: int, keep: set[str], first_line: int,
               whole: bool) -> FundingStatement | None:
    if not whole:
        raw = " ".join(line.strip() for line in lines[start:end]).lower()
        if not (_HINT.search(raw) or _HINT.search(raw.replace("- ", ""))):
            return None
    text, offsets = join_lines(lines[start:end], keep)
    begin = 0
    if not whole:
        sentences = [0] + [match.end() for match in _SENTENCE_BREAK.finditer(text)]
        bounds = zip(sentences, [*sentences[1:], len(text)])
        begin = next((left for left, right in bounds if _is_trigger(text[left:right])), -1)
        if begin < 0:
            return None
    text = text[begin:].strip()
    if not text:
        return None
    line = start + max(index for index, offset in enumerate(offsets) if offset <= begin)
    last = start + max(index for index, raw in enumerate(lines[start:end]) if raw.strip())
    language = language_of(text)
    awards, printed = _awards(text)
    return FundingStatement(text, language, awards, printed, _funder(text, language),
                            first_line + line, first_line + last)


def find_funding(lines: Sequence[str], first_line: int = 1) -> list[FundingStatement]:
    """Every funding statement in ``lines`` in reading order, with its source lines."""
    keep = compounds(lines)
    found: list[FundingStatement] = []
    announced: str | None = None  # a heading alone on its line announces what follows
    for start, end in _paragraphs(lines):
        first = lines[start]
        heading = _HEADING.match(first)
        opener = heading or _THANKS.match(first)
        kind = ("funding" if heading else "thanks") if opener else announced
        if opener and not first[opener.end():].strip():
            if end - start == 1:
                announced = kind
                continue
            start += 1
        announced = None
        whole = kind == "funding"
        if kind == "thanks":
            joined = " ".join(lines[start:end])
            whole = bool(_FUNDING_WORD.search(joined) or _SCHEME.search(joined))
        statement = _statement(lines, start, end, keep, first_line, whole)
        if statement:
            found.append(statement)
    return found
