"""Problems grouped for a person: one line per kind of problem, with the articles and files it concerns.

A build of a ten-article issue meets a hundred problems, most of them one finding at many places (a reference list
missing in ten articles, a language fallback in every citation file). Printed one per place they bury the few that
matter, so the command line prints them grouped, and each at its place only when asked (``-v``). Pure: problems in,
lines out.

A kind is the code and the message's pattern: the message with its article lists taken out and the words that vary
(numbers, language tags, quoted values) joined, ``no en/kk title: using the kk/ru title``. Errors and warnings get a
line per pattern, as each asks for a fix; notes, which only inform, a line per code.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Literal

from .problems import SEVERITIES, Problem, Severity, article_numbers, counts, sort_key

_LIST = r"articles? \d+(?:-\d+)?(?:, \d+(?:-\d+)?)*"
_ARTICLE_LIST = re.compile(rf" ?\(({_LIST})\)| in ({_LIST})(?=[;:,.)]|$)")
_ARTICLE_PATH = re.compile(r"^articles\[(\d+)\]")
_NUMBER = re.compile(r"[\d.,:;()'\"-]*\d[\d.,:;()'\"-]*")
_ASIDE = re.compile(r" \([^()]*\)")
MAX_VARYING = 2  # words (other than numbers) that may differ between messages of one pattern
MAX_SHOWN = 3  # values of a varying word shown before it reads "…"
MAX_FILES = 4  # output files named on a line; more are counted
MAX_SPANS = 6  # runs of article numbers named on a line ("1-4, 7"); more are counted
Level = Literal["quiet", "default", "verbose"]
WORDS = {"error": ("error", "errors"), "warning": ("warning", "warnings"), "info": ("note", "notes")}


@dataclass
class Group:
    """Problems of one kind: their severity and code, the pattern's words (a word that varies holds each value met),
    and where they are."""

    severity: Severity
    code: str
    words: list[list[str]]
    problems: list[Problem] = field(default_factory=list)
    articles: set[int] = field(default_factory=set)

    def text(self) -> str:
        """The pattern as a line shows it."""
        return " ".join(_joined(values) for values in self.words)

    def fits(self, words: list[str]) -> bool:
        """Whether a message of these words has this pattern: as many words, few others varying."""
        if len(words) != len(self.words):
            return False
        varying = [i for i, (values, word) in enumerate(zip(self.words, words))
                   if (len(values) > 1 or values[0] != word) and not _NUMBER.fullmatch(word)]
        return len(varying) <= MAX_VARYING

    def add(self, problem: Problem, words: list[str], articles: set[int]) -> None:
        for values, word in zip(self.words, words):
            if len(values) <= MAX_SHOWN and word not in values:  # past MAX_SHOWN values it reads "…" anyway
                values.append(word)
        self.problems.append(problem)
        self.articles |= articles


def _joined(values: list[str]) -> str:
    """One word of a pattern: the word, its values ``en/kk`` (sharing what they share: ``(en/kk:``), or ``…``."""
    if len(values) == 1:
        return values[0]
    head = _marks(os.path.commonprefix(values))
    tail = _marks(os.path.commonprefix([v[len(head):][::-1] for v in values]))[::-1]
    middles = [v[len(head):len(v) - len(tail)] for v in values]
    shown = "/".join(middles) if len(values) <= MAX_SHOWN and all(middles) else "…"
    return f"{head}{shown}{tail}"


def _marks(text: str) -> str:
    """The punctuation ``text`` begins with."""
    return text[:len(text) - len(text.lstrip("([{'\"“‘«-:;,.)]}’”»"))]


def _article_lists(message: str) -> tuple[str, set[int]]:
    """The message without its article lists ('(articles 1-4, 7)'), and the articles they name (0-based)."""
    found: set[int] = set()
    for match in _ARTICLE_LIST.finditer(message):
        for span in (match.group(1) or match.group(2)).split(" ", 1)[1].split(", "):
            first, _, last = span.partition("-")
            found.update(range(int(first) - 1, int(last or first)))
    return _ARTICLE_LIST.sub("", message), found


def group(problems: Iterable[Problem]) -> list[Group]:
    """The problems by kind: errors, then warnings, then notes; within each, in the order of the first problem
    of each kind (by file position)."""
    groups: list[Group] = []
    alike: dict[tuple[str, str, int], list[Group]] = {}  # the kinds a message may have: same code, as many words
    for problem in sorted(problems, key=sort_key):
        message, articles = _article_lists(problem.message)
        index = _ARTICLE_PATH.match(problem.path or "")
        if index:
            articles.add(int(index.group(1)))
        words = message.split()
        candidates = alike.setdefault((problem.severity, problem.code, len(words)), [])
        kind = next((g for g in candidates if g.fits(words)), None)
        if kind is None:
            kind = Group(problem.severity, problem.code, [[word] for word in words])
            groups.append(kind)
            candidates.append(kind)
        kind.add(problem, words, articles)
    return sorted(groups, key=lambda g: SEVERITIES.index(g.severity))


def _by_code(groups: list[Group]) -> list[tuple[Group, str]]:
    """Each kind with its text, the notes of one code merged into one kind (see ``_merged``)."""
    merged: dict[str, list[Group]] = {}
    for number, g in enumerate(groups):
        merged.setdefault(g.code if g.severity == "info" else str(number), []).append(g)
    lines = []
    for same in merged.values():
        if len(same) == 1:
            lines.append((same[0], same[0].text()))
        else:
            whole = Group(same[0].severity, same[0].code, [], [p for g in same for p in g.problems],
                          set().union(*(g.articles for g in same)))
            lines.append((whole, _merged([g.text() for g in same])))
    return lines


def _merged(texts: list[str]) -> str:
    """Several patterns as one text, without their asides in brackets: those that begin alike share their
    beginning (``CSL-JSON cannot carry funding; keywords``), or, when what follows it is long, the first stands for
    the others (``…, and 2 more like it``); others follow after `` · ``."""
    alike: dict[tuple[str, ...], list[list[str]]] = {}
    for text in dict.fromkeys(_ASIDE.sub("", t) for t in texts):
        alike.setdefault(tuple(text.split()[:3]), []).append(text.split())
    parts = []
    for same in alike.values():
        head = os.path.commonprefix(same) if len(same) > 1 else []
        rests = [words[len(head):] for words in same]
        if len(same) == 1 or len(head) < 2 or any(len(rest) > 10 for rest in rests):
            more = f", and {len(same) - 1} more like it" if len(same) > 1 else ""
            parts.append(" ".join(same[0]) + more)
        else:
            parts.append(" ".join(head) + " " + "; ".join(" ".join(rest) for rest in rests))
    return " · ".join(parts)


def _names(names: set[str]) -> str:
    """File names, those that differ in one part only written once (``articles.kk/ru/en.csl.json``); more than
    ``MAX_FILES`` as their count and endings (``12 .bib, .json, .ris files``)."""
    if len(names) > MAX_FILES:
        return f"{len(names)} {', '.join(sorted({'.' + name.rsplit('.', 1)[-1] for name in names}))} files"
    alike: list[list[list[str]]] = []  # each: the values met at each dot-separated part
    for parts in sorted((name.split(".") for name in names), key=lambda parts: (len(parts), parts[::-1])):
        for kind in alike:
            varying = [i for i, values in enumerate(kind) if len(values) > 1 or values[0] != parts[i]]
            if len(kind) == len(parts) and len(varying) <= 1:
                for values, part in zip(kind, parts):
                    values += [part] if part not in values else []
                break
        else:
            alike.append([[part] for part in parts])
    return ", ".join(".".join(_joined(values) for values in kind) for kind in alike)


def _where(problems: list[Problem], articles: set[int], source: str | None) -> str:
    """Where a kind of problem is: its files (but ``source``, which the verdict names), the articles (or other
    fields) it concerns."""
    files = list(dict.fromkeys(p.file for p in problems if p.file and p.file != source))
    shown = ", ".join(files[:MAX_SHOWN]) + (f" and {len(files) - MAX_SHOWN} more files" if len(files) > MAX_SHOWN
                                             else "")
    others = list(dict.fromkeys(p.path for p in problems if p.path and not _ARTICLE_PATH.match(p.path)
                                and not (articles and p.path == "articles")))
    numbers = article_numbers(articles).split(", ")
    if len(numbers) > MAX_SPANS:  # a long list: its count and its beginning
        numbers = [f"{len(articles)} articles ({numbers[0].split()[-1]}", *numbers[1:MAX_SPANS], "…)"]
    places = ([", ".join(numbers)] if articles else []) + others[:MAX_SHOWN]
    return " ".join(part for part in (shown, ", ".join(places)) if part)


def lines(problems: Iterable[Problem], *, level: Level = "default", source: str | None = None) -> list[str]:
    """The problems as lines to print: ``verbose``, each at its place (by file position); ``default``, one line per
    kind; ``quiet``, the errors only, one line per kind. A kind met once is printed as its problem is; a line for
    several leaves out ``source``, the file the verdict names."""
    if level == "verbose":
        return [str(p) for p in sorted(problems, key=sort_key)]
    groups = [g for g in group(problems) if level != "quiet" or g.severity == "error"]
    printed = []
    for kind, text in _by_code(groups):
        if len(kind.problems) == 1:
            printed.append(str(kind.problems[0]))
            continue
        outputs = _names({name for p in kind.problems for name in p.outputs})
        within = f" in {outputs}" if outputs else ""
        where = _where(kind.problems, kind.articles, source)
        printed.append(f"{where + ': ' if where else ''}{kind.severity} [{kind.code}] {text} "
                       f"(×{len(kind.problems)}{within})")
    return printed


def tally(problems: Iterable[Problem], *, all_three: bool = True) -> str:
    """``0 errors, 3 warnings, 1 note`` (without the severities not met unless ``all_three``; ``none`` for none)."""
    found = counts(problems)
    return ", ".join(f"{found[s]} {WORDS[s][found[s] != 1]}" for s in SEVERITIES if all_three or found[s]) or "none"


def writing(problem: Problem, writers: Collection[str]) -> bool:
    """Whether a problem comes from writing an output format (what it cannot carry, a language it falls back on, a
    file that failed) rather than from the manifest, which ``biblio check`` reads: ``writers`` are the formats' names.
    The same rule in ``check`` and ``build``, so their counts of the manifest's problems are the same."""
    prefix = problem.code.split(".", 1)[0]
    return prefix in writers or prefix == "output" or problem.code == "lang.fallback"


def counted(problems: list[Problem], writers: Collection[str], *, built: bool) -> str:
    """What the verdict counts: every problem, and how many are the manifest's (what ``biblio check`` counts) and how
    many the formats' (what a build adds)."""
    manifest = [p for p in problems if not writing(p, writers)]
    formats = [p for p in problems if writing(p, writers)]
    if built:
        return (f"{tally(problems)}: {tally(manifest, all_three=False)} in the manifest (what `biblio check` counts), "
                f"{tally(formats, all_three=False)} from writing the formats")
    later = "(a build adds what each format cannot carry)"
    if not formats:
        return f"{tally(manifest)}, all in the manifest {later}"
    return (f"{tally(problems)}: {tally(manifest, all_three=False)} in the manifest, "
            f"{tally(formats, all_three=False)} from the formats' own checks {later}")
