"""Reading CSL-JSON back into the model, one item at a time (Zotero exports and Crossref's too).

Each usable item becomes an article through ``mapping.FIELDS``, in the issue of its journal,
volume, issue and year (``formats.Grouper``); the first item of an issue gives the issue's and the
journal's facts, later ones only what it does not give and no key fact. The file is read as JSON
(``parse``), so memory stays flat however many items it holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ... import derive, ids
from ...model import WHOLE_WORKS, Article, Issue, Journal, LangText, PersonName, Reference
from ...problems import Problem
from .. import ArticleReading, Grouper, Work, author_text
from . import parse
from .mapping import (ARTICLE_TYPES, CUSTOM_KEYS, FIELDS, NAME_KEYS, NAME_PARTS, NAME_ROLES, READ_KEYS, TYPES_READ,
                      WORK_KEYS, WORK_NAME_KEYS, WORK_READ_KEYS, WORK_TYPES, Reading, _family, _partial_date, language,
                      text_value)

_NAMED = 5  # items named in a "not read" note; the others are counted


def iter_read(path: Path) -> ArticleReading:
    """The articles of a CSL-JSON file, one per usable item (an item on its own counts as a list
    of one). A file that is not UTF-8 JSON gives no issue and its one problem, though articles
    before the fault were yielded."""
    return ArticleReading(lambda reading: _articles(Path(path), reading), str(path))


def _articles(path: Path, reading: ArticleReading) -> Iterator[Article]:
    problems = reading.problems
    # by Grouper.key: the issue (its first item fills it), the issue's and journal's keys (``first_only``) with the
    # value first given, such a key given otherwise by a later item of the issue (not read), where the issue begins
    issues: dict[tuple[object, ...], tuple[Issue, dict[str, object], dict[str, _NotRead], dict[str, Any]]] = {}
    count = 0
    not_read: dict[str, _NotRead] = {}  # by variable, in the order met
    work_not_read: dict[str, _NotRead] = {}  # the same, of the works
    grouper = Grouper()
    repeated = 0  # repeated keys are reported first, as a reading of the whole file found them
    try:
        for item in parse.items(path):
            if item.repeated:
                problems[repeated:repeated] = item.repeated
                repeated += len(item.repeated)
            problems += item.halves
            if item.number is None and not isinstance(item.value, dict):
                problems.append(Problem("csl.shape", "error", "CSL-JSON is a list of items", file=str(path)))
                return
            where = {"file": str(path), "line": item.line, "column": item.column,
                     "path": parse.path_text((item.number or 0,))}
            if isinstance(item.value, dict) and item.value.get("type") not in ARTICLE_TYPES:
                if (work := _work(item.value, where, problems)) is not None:
                    _unread(item, where, work_not_read, WORK_READ_KEYS, ("author", "editor"), WORK_NAME_KEYS)
                    reading.works.append(work)
                continue
            key = _key(item.value, grouper)
            issue, facts, differs, _ = group = issues.get(key) or (
                Issue(journal=Journal(titles=LangText()), year=0), {}, {}, where)
            article = _article(item.value, where, problems, issue, (facts, differs), first=key not in issues)
            if article is not None:
                _unread(item, where, not_read)
                count += 1
                issues[key] = group
                reading.issue, reading.line = issue, item.line
                reading.name = f"item '{_label(item.value, where)}'" if isinstance(item.value, dict) else None
                yield article
    except parse.Unreadable as unreadable:
        reading.issue, problems[:] = None, [unreadable.problem]
        return
    for variable, found in not_read.items():
        problems.append(Problem("csl.not-read", "info", f"'{variable}' is not read: biblio's model has no place for it "
                                f"({found.named()})", **found.where))
    for variable, found in work_not_read.items():
        problems.append(Problem("csl.not-read", "info", f"'{variable}' is not read: a work (an item that is not a "
                                f"journal article: a book, chapter, thesis …) keeps none in biblio's model "
                                f"({found.named()})", **found.where))
    for issue, facts, differs, first in issues.values():
        for name, seen in differs.items():
            problems.append(Problem("csl.issue-differs", "warning", f"'{name}' is not read here ({seen.named()}): "
                                    f"it differs from {_short(facts[name])!r}, which an earlier item of its issue (the "
                                    "same journal, volume, issue and year) gives and the issue takes", **seen.where))
        if not issue.year:
            problems.append(Problem("csl.year-missing", "warning", "this item gives no year ('issued'): it is read "
                                    "into an issue whose year is unknown (0), which writers leave out; no other "
                                    "item's year is taken", **first))
    if not count and not reading.works:
        problems.append(Problem("csl.empty", "error", "the file has no usable items", file=str(path)))


class _NotRead:
    """A CSL variable the reader leaves out: where it is first met, the first items that have it, how many."""

    def __init__(self, where: dict[str, Any]) -> None:
        self.where = where
        self.items: list[str] = []
        self.count = 0

    def add(self, label: str) -> None:
        self.count += 1
        if len(self.items) < _NAMED and label not in self.items:
            self.items.append(label)

    def named(self) -> str:
        """``items a, b and 3 more``."""
        more = f" and {self.count - len(self.items)} more" if self.count > _NAMED else ""
        return f"item{'s' if self.count > 1 else ''} {', '.join(self.items)}{more}"


def _label(entry: dict[str, Any], where: dict[str, Any]) -> str:
    """An item as a problem names it: its ``id``, else its place in the file."""
    ident = entry.get("id")
    return str(ident) if isinstance(ident, (str, int)) and not isinstance(ident, bool) else where["path"] or "the item"


def _unread(item: parse.Item, where: dict[str, Any], not_read: dict[str, _NotRead], keys: frozenset[str] = READ_KEYS,
            roles: Iterable[str] = NAME_ROLES, name_keys: frozenset[str] = NAME_KEYS) -> None:
    """Count the keys of a read item that no reader reads (``mapping.READ_KEYS``, a name's ``NAME_KEYS``, the
    ``custom`` keys biblio writes), each under the item's ``id`` (or its place in the file)."""
    entry = item.value
    if not isinstance(entry, dict):  # not read at all (and reported so)
        return
    found: list[tuple[str, tuple[str | int, ...]]] = [(key, (key,)) for key, value in entry.items()
                                                       if key not in keys and _has(value)]
    for variable in roles:
        names = entry.get(variable)
        for position, name in enumerate(names if isinstance(names, list) else []):
            if isinstance(name, dict):
                found += [(f"{variable}.{key}", (variable, position, key)) for key, value in name.items()
                          if key not in name_keys and _has(value)]
    if isinstance(custom := entry.get("custom"), dict):
        found += [(f"custom.{key}", ("custom", key)) for key, value in custom.items()
                  if (key not in CUSTOM_KEYS or keys is not READ_KEYS) and _has(value)]
    label = _label(entry, where)
    paths: dict[str, tuple[str | int, ...]] = {}  # each variable once an item, where it is first met
    for variable, path in found:
        paths.setdefault(variable, path)
    for variable, path in paths.items():
        if variable not in not_read:
            line, column = item.where(path)
            not_read[variable] = _NotRead({"file": where["file"], "line": line, "column": column,
                                           "path": parse.path_text((*item.prefix(), *path))})
        not_read[variable].add(label)


def _work(entry: dict[str, Any], where: dict[str, Any], problems: list[Problem]) -> Work | None:
    """An item that is not a journal article, as a cited work (``Reference``) of the nearest citation type."""
    title = text_value(entry.get("title"), "title", problems, where)
    if not title:
        problems.append(Problem("csl.unusable", "warning", "this item has no title and was skipped", **where))
        return None
    kind = str(entry.get("type"))
    cited = WORK_TYPES.get(kind)
    if cited is None:
        cited = "other"
        problems.append(Problem("csl.type", "info", f"a '{kind}' item is read as a work of the type 'other', the "
                                "nearest of the citation types biblio knows", **where))
    reference = Reference(type=cited)
    for attribute, key in WORK_KEYS.items():
        setattr(reference, attribute, text_value(entry.get(key), key, problems, where))
    if cited in WHOLE_WORKS:
        reference.container = text_value(entry.get("collection-title"), "collection-title", problems, where)
    reference.conference = reference.conference or text_value(entry.get("event"), "event", problems, where)
    editors: list[str] = []
    for role, into in (("author", reference.authors), ("editor", editors)):
        names = entry.get(role)
        for name in names if isinstance(names, list) else []:
            if isinstance(name, dict):
                family = _family([text_value(name.get(part), part, [], where) for part in NAME_PARTS])
                given = text_value(name.get("given"), "given", [], where)
                literal = text_value(name.get("literal"), "literal", [], where)
                if family or given or literal:
                    person = PersonName(family or given or "", given if family else None)
                    into.append(author_text(person) if family or given else literal or "")
    issued, accessed = _partial_date(entry.get("issued")), _partial_date(entry.get("accessed"))
    reference.year, reference.accessed = (str(issued.year) if issued else None), accessed
    reference.doi = ids.doi(reference.doi).value if reference.doi else None
    reference.language = language(reference.language)
    return Work(reference, where["line"], f"item '{_label(entry, where)}'", kind, editors)


def _key(entry: object, grouper: Grouper) -> tuple[object, ...]:
    """The issue an item belongs to (``formats.Grouper``), from its raw values."""
    if not isinstance(entry, dict):
        return ()
    custom = found if isinstance(found := entry.get("custom"), dict) else {}
    lang = language(custom.get("metadata-language")) or language(text_value(entry.get("language"), "", [], {})) or ""
    values = {key: text_value(entry.get(key), key, [], {}) for key in ("container-title", "volume", "issue")}
    raw = entry.get("ISSN")
    issns = [ids.issn(str(part)).value for part in (raw if isinstance(raw, list) else str(raw or "").split(","))]
    issued = _partial_date(entry.get("issued"))
    return grouper.key(lang, values["container-title"], [issn for issn in issns if issn], values["volume"],
                       values["issue"], issued.year if issued else None)


def _has(value: object) -> bool:
    """Whether a value holds something (an empty text, list or object, or null, holds nothing)."""
    return value is not None and value != "" and value != [] and value != {}


def _article(entry: object, where: dict[str, Any], problems: list[Problem], issue: Issue,
             facts: tuple[dict[str, object], dict[str, _NotRead]], first: bool) -> Article | None:
    """The item's article, or None when it is skipped (reported)."""
    if not isinstance(entry, dict):
        problems.append(Problem("csl.unusable", "warning", "this item is not an object and was skipped", **where))
        return None
    title = text_value(entry.get("title"), "title", problems, where)
    if not title:
        problems.append(Problem("csl.unusable", "warning", "this item has no title and was skipped", **where))
        return None
    if entry.get("type") not in TYPES_READ:
        problems.append(Problem("csl.type", "info", f"a '{entry.get('type')}' item is read as a journal article",
                                **where))
    custom = found if isinstance(found := entry.get("custom"), dict) else {}
    work = language(text_value(entry.get("language"), "language", problems, where)) or derive.guess_language(title)
    lang = language(custom.get("metadata-language")) or work
    article = Article(language=work, titles=LangText.of({lang: title}, work))
    reading = Reading(entry, where, problems, article, lang, custom, issue, first)
    for field in FIELDS:
        if field.read is not None and (not field.first_only or _new_fact(reading, field.key or "", facts)):
            field.read(reading, field.key or "")
    return article


def _new_fact(reading: Reading, key: str, facts: tuple[dict[str, object], dict[str, _NotRead]]) -> bool:
    """Whether to read an issue's or journal's key: from the first item, and from a later one when no item
    before gave it (it adds to the issue). A later value unlike the first given is counted (reported), not read."""
    value = reading.entry.get(key)
    if not _has(value):
        return reading.first
    value = value if isinstance(value, (list, dict)) else str(value)
    given, differs = facts
    if key not in given:
        given[key] = value
        return True
    if value != given[key]:
        if key not in differs:
            differs[key] = _NotRead({**reading.where, "path": f"{reading.where['path']}.{key}"})
        differs[key].add(_label(reading.entry, reading.where))
    return False


def _short(value: object) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"
