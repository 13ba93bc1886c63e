"""Writing CSL-JSON: each article becomes one item of ``mapping.FIELDS``, in one language.

The file is the JSON array ``json.dumps(items, ensure_ascii=False, indent=2)`` would give,
written one item at a time as the articles come: an item's text is ``json.dumps`` of the
item, indented one level further.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ... import derive
from ...model import WHOLE_WORKS, Article, Issue, PersonName
from ...problems import Problem, article_numbers
from .. import Output, Work, author_name
from ..notes import NotCarried
from .mapping import (ARTICLE_NOT_CARRIED, FIELDS, ISSUE_NOT_CARRIED, WORK_ITEM, WORK_KEYS, WORK_TYPES, Shown,
                      _date_parts, file_name)


class _Items:
    """An issue's items in one language (``lang`` None: each article's own), made one at a time,
    and what to report about them: each item's problems, then, once, what CSL-JSON left out
    and the language fallbacks."""

    def __init__(self, issue: Issue, lang: str | None = None) -> None:
        self.issue, self.lang = issue, lang
        self.found: list[Problem] = []
        self.dropped = NotCarried()
        self.issue_dropped = [what for what, has in ISSUE_NOT_CARRIED if has(issue)]  # the same for every item
        self.fallbacks = derive.Fallbacks(issue)

    def item(self, index: int, article: Article) -> dict[str, Any]:
        view = derive.localize(self.issue, article, index, self.lang)
        issued, from_issue = derive.publication_date(self.issue, article)
        shown = Shown(self.issue, article, index, view, issued, from_issue, self.found)
        entry: dict[str, Any] = {}
        for field in FIELDS:
            value = field.write(shown)
            if field.key is None:
                entry.update(value)
            elif value is not None:
                entry[field.key] = value
        if "issued" not in entry and entry.get("custom", {}).pop("date-from-issue", None):  # year unknown: no date
            if not entry["custom"]:
                del entry["custom"]
        self.fallbacks.add(view)
        dropped = [what for what, has in ARTICLE_NOT_CARRIED if has(article, view.lang)]
        self.dropped.add(index, tuple(dropped + self.issue_dropped))
        return entry

    def problems(self) -> list[Problem]:
        notes = [Problem("csl.not-carried", "info", f"CSL-JSON cannot carry {what} ({article_numbers(positions)})",
                         path="articles") for what, positions in sorted(self.dropped.items())]
        return self.found + self.fallbacks.problems() + notes


def items(issue: Issue, *, lang: str | None = None,
          indexes: Sequence[int] | None = None) -> tuple[list[dict[str, Any]], list[Problem]]:
    """The CSL-JSON items of an issue's articles (those at ``indexes``, else all) in ``lang``, as
    the writer writes them, and the problems; for citation processors (``biblio.cite``)."""
    made = _Items(issue, lang)
    chosen = range(len(issue.articles)) if indexes is None else indexes
    return [made.item(index, issue.articles[index]) for index in chosen], made.problems()


def _item_text(entry: dict[str, Any]) -> str:
    """An item as the array's member: ``json.dumps(..., indent=2)`` one level in (JSON text has no
    line break inside a string, so every line break is indentation)."""
    return json.dumps(entry, ensure_ascii=False, indent=2).replace("\n", "\n  ")


class _CslWriter:
    """The format's ``Writer``: ``articles[.<lang>].csl.json``, an item written as each article is added; one
    language per file, ``lang`` None writing each article in its own language."""

    def __init__(self, issue: Issue, output: Output, lang: str | None = None) -> None:
        self.items = _Items(issue, lang)
        self.stream = output.open(file_name(lang))
        self.count = 0

    def add(self, index: int, article: Article) -> None:
        text = _item_text(self.items.item(index, article))
        self.stream.write((("[\n  " if self.count == 0 else ",\n  ") + text).encode("utf-8"))
        self.count += 1

    def close(self) -> list[Problem]:
        self.stream.write(b"\n]\n" if self.count else b"[]\n")
        self.stream.close()
        return self.items.problems()


writer = _CslWriter  # the registry's writer


def work(item: Work) -> tuple[bytes, list[Problem]]:
    """A work (a record that is not a journal article) as a one-item CSL-JSON array, of its type
    (``mapping.WORK_ITEM``), each field through ``mapping.WORK_KEYS``; what the item cannot say is a note."""
    reference, problems = item.reference, []
    kind = WORK_ITEM.get(reference.type or "other")
    if kind is None:
        problems.append(Problem("csl.not-carried", "info", f"CSL-JSON has no item type for a work of the type "
                                f"'{reference.type}': it is written as a 'document'"))
    kind = kind or "document"
    whole = WORK_TYPES.get(kind) in WHOLE_WORKS  # as a reader takes the item: its container is the series
    if not (reference.title or "").strip():
        problems.append(Problem("csl.title-missing", "error", "the work has no title: it is not written"))
    entry: dict[str, Any] = {"id": reference.doi or f"work-{item.line or 1}", "type": kind}
    for role, people in (("author", reference.authors), ("editor", item.editors)):
        names = [author_name(person) for person in people if person.strip()]
        if names:
            entry[role] = [{"family": n.family, **({"given": n.given} if n.given else {})}
                           if isinstance(n, PersonName) else {"literal": n} for n in names]
    for attribute, key in WORK_KEYS.items():
        if value := getattr(reference, attribute):
            entry["collection-title" if attribute == "container" and whole else key] = value
    year = (reference.year or "").strip()
    if year:
        entry["issued"] = {"date-parts": [[int(year)]]} if year.isdigit() and len(year) <= 4 else {"raw": year}
    if reference.accessed:
        entry["accessed"] = _date_parts(reference.accessed)
    return (json.dumps([entry], ensure_ascii=False, indent=2) + "\n").encode("utf-8"), problems
