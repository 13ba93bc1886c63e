"""What a deposit cannot be made without, or what its schema refuses: checked on the model before any XML.

One set of rules with two callers: the writer (which then writes nothing) and ``biblio check`` (through
``FORMAT.check``), so that ``check`` gives the verdict a build will give.
"""

from __future__ import annotations

from ... import derive
from ...model import Article, Issue
from ...problems import Problem

FIELD_LIMIT = 32  # the schema's maximum length of volume, issue and page values
YEARS = range(1400, 2201)  # the schema's range of a year


def _too_long(what: str, value: str | None, path: str) -> list[Problem]:
    if not value or len(value) <= FIELD_LIMIT:
        return []
    return [Problem("crossref.too-long", "error", f"the {what} '{value[:20]}…' is {len(value)} characters long; a "
                    f"Crossref deposit allows {FIELD_LIMIT}: shorten it", path=path)]


def issue_problems(issue: Issue) -> list[Problem]:
    """The batch head and the issue: depositor, registrant, the issue DOI's landing page, lengths, the year."""
    problems = []
    settings = issue.settings
    if settings is None or settings.depositor is None:
        problems.append(Problem("crossref.depositor-missing", "error", "a deposit names its depositor: add "
                                "settings.depositor (name and email) to the manifest", path="settings.depositor"))
    if not (settings and settings.registrant) and not issue.journal.publisher:
        problems.append(Problem("crossref.registrant-missing", "error", "a deposit names its registrant: add "
                                "settings.registrant or journal.publisher", path="settings.registrant"))
    if issue.doi and not derive.issue_landing_page(issue):
        problems.append(Problem("crossref.url-missing", "error", "the issue DOI needs a landing page: give "
                                "settings.landing_page_pattern without {seq}", path="issue.doi"))
    for key in ("volume", "number"):
        problems += _too_long(f"issue {key}", getattr(issue, key), f"issue.{key}")
    if issue.year not in YEARS:
        problems.append(Problem("crossref.year", "error", f"the year {issue.year} is outside the range a Crossref "
                                f"deposit accepts ({YEARS[0]}-{YEARS[-1]})", path="issue.year"))
    return problems


def article_problems(issue: Issue, index: int, article: Article) -> list[Problem]:
    """One article: its landing page, and reference values longer than the schema allows."""
    path = f"articles[{index}]"
    problems = []
    if not derive.landing_page(issue, article, index):
        problems.append(Problem("crossref.url-missing", "error", "Crossref needs the article's landing page: give "
                                "'url' or settings.landing_page_pattern", path=path))
    for number, reference in enumerate(article.references):
        for key in ("volume", "issue"):
            problems += _too_long(f"reference's {key}", getattr(reference, key),
                                  f"{path}.references[{number}].{key}")
    return problems


def check(issue: Issue) -> list[Problem]:
    """Every problem above for the whole issue (``Format.check``)."""
    return issue_problems(issue) + [p for index, article in enumerate(issue.articles)
                                    for p in article_problems(issue, index, article)]
