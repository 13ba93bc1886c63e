"""Problems: errors, warnings and notes kept as data.

Loading, linting, extracting and validating never raise for bad input; they return a list of Problem values. The CLI
prints them and picks the exit code, the API hands them to the caller. Exceptions are reserved for programming errors.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
# What a message cannot show as it is: control characters (tab and newline aside) and lone surrogates, which
# messages meet when they quote the input (a terminal would act on them; UTF-8 output cannot encode a surrogate).
_UNSHOWABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")


def shown(text: str) -> str:
    """``text`` as a message shows it: control characters and lone surrogates as escapes (``\x07``, ``\udfff``)."""
    if not _UNSHOWABLE.search(text):
        return text
    return _UNSHOWABLE.sub(lambda match: ascii(match.group())[1:-1], text)  # what is there, in plain text


@dataclass(frozen=True)
class Problem:
    """One finding: a stable code, a severity, a sentence an editor understands, and where.

    `path` is a model or field path such as ``articles[3].contributors[1].orcid``;
    `file`, `line` and `column` (1-based) point into the input when known. `outputs`: the names
    of the output files a writer's problem is about (a citation format writes one per language,
    and each may leave out something else), so a summary can say which file.
    """

    code: str
    severity: Severity
    message: str
    path: str | None = None
    file: str | None = None
    line: int | None = None
    column: int | None = None
    outputs: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """A message quoting the input shows its control characters and lone surrogates as escapes."""
        if _UNSHOWABLE.search(self.message):
            object.__setattr__(self, "message", shown(self.message))

    @property
    def location(self) -> str:
        """``file:line:column`` (as much as is known), then the field path."""
        parts = []
        if self.file:
            spot = self.file
            if self.line is not None:
                spot += f":{self.line}"
                if self.column is not None:
                    spot += f":{self.column}"
            parts.append(spot)
        if self.path:
            parts.append(self.path)
        return " ".join(parts)

    def __str__(self) -> str:
        where = self.location
        prefix = f"{where}: " if where else ""
        within = f" (in {', '.join(self.outputs)})" if self.outputs else ""
        return f"{prefix}{self.severity} [{self.code}] {self.message}{within}"

    def to_dict(self) -> dict[str, str | int | list[str]]:
        """The known fields, for JSON reports."""
        known = {key: value for key, value in asdict(self).items() if value not in (None, ())}
        return {key: list(value) if isinstance(value, tuple) else value for key, value in known.items()}


def errors(problems: Iterable[Problem]) -> list[Problem]:
    """Only the errors, the problems that stop a build."""
    return [p for p in problems if p.severity == "error"]


def has_errors(problems: Iterable[Problem]) -> bool:
    """Whether any problem is an error: the check fails (the CLI exits with 1)."""
    return any(p.severity == "error" for p in problems)


def counts(problems: Iterable[Problem]) -> dict[str, int]:
    """How many problems of each severity, always with all three keys."""
    tally: dict[str, int] = {severity: 0 for severity in SEVERITIES}
    for problem in problems:
        tally[problem.severity] += 1
    return tally


def sort_key(problem: Problem) -> tuple[str, int, int]:
    """Order by file position when known, keeping the discovery order otherwise."""
    return (problem.file or "", problem.line or 0, problem.column or 0)


def article_numbers(indexes: Iterable[int]) -> str:
    """0-based article positions as editors count them: 'article 3', 'articles 1-4, 7'."""
    numbers = sorted({i + 1 for i in indexes})
    if len(numbers) > 1 and numbers[-1] - numbers[0] == len(numbers) - 1:  # one run: every article, often
        return f"articles {numbers[0]}-{numbers[-1]}"
    starts = [i for i, number in enumerate(numbers) if i == 0 or number != numbers[i - 1] + 1]  # where runs begin
    ends = [*starts[1:], len(numbers)]
    spans = [str(numbers[a]) if b - a == 1 else f"{numbers[a]}-{numbers[b - 1]}" for a, b in zip(starts, ends)]
    return ("article " if len(numbers) == 1 else "articles ") + ", ".join(spans)
