"""CSL-JSON: the input of citation processors (citeproc-js, citeproc-py, pandoc) and of Zotero.

Each article is one ``article-journal`` item in one language (design.md §4, "Which
language?"): title, abstract, keywords, names and journal title come from
``derive.localize``, which reports every fallback. Items pass the official
``csl-data.json`` unchanged, which rejects unknown keys: what CSL has no field for
(ORCID, titles in other languages) goes into ``custom``, the schema's place for extras,
and the rest is reported as ``csl.not-carried``.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import json.encoder
import numbers
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

from .. import derive, ids
from ..fileio import read_head
from ..model import (
    Article,
    Contributor,
    Issn,
    Issue,
    Journal,
    LangText,
    Pages,
    PartialDate,
    PersonName,
    Publisher,
)
from ..problems import Problem, article_numbers
from ..yamlsource import _JSON, _WS, BufferedJsonText, Located, _RepeatedKey, format_path, parse
from . import ArticleReading, textfiles, xmltools

FILE_NAME = "articles.csl.json"
ROLE_FIELDS = {"author": "author", "editor": "editor", "translator": "translator", "chair": "chair",
               "reviewer": "contributor"}
FIELD_ROLES = {field: role for role, field in ROLE_FIELDS.items()}


def file_name(lang: str | None) -> str:
    return FILE_NAME if lang is None else f"articles.{lang}.csl.json"


def _date(date: PartialDate) -> dict:
    parts = [date.year] + ([date.month] if date.month else []) + ([date.day] if date.month and date.day else [])
    return {"date-parts": [parts]}


def _name(contributor: Contributor, name: PersonName | None, lang: str) -> dict:
    if name is None:
        return {"literal": derive.organization_name(contributor, lang) or ""}
    entry = {"family": name.family}
    if name.given:
        entry["given"] = name.given
    return entry


def item(issue: Issue, index: int, lang: str | None = None) -> tuple[dict, list[Problem], set[str]]:
    """One article as a CSL-JSON item, the fallbacks taken, and the kinds of field left out."""
    entry, problems, left_out = _item(issue, index, lang, _issue_left_out(issue))
    return entry, problems, set(left_out)


def _item(issue: Issue, index: int, lang: str | None, issue_left_out: list[str]) -> tuple[dict, list[Problem], list[str]]:
    """``item`` with what the issue leaves out found once by the caller (it is the same for every
    article), and the kinds left out as a list."""
    article = issue.articles[index]
    view = derive.localize(issue, index, lang)
    journal = issue.journal
    entry: dict = {"id": article.doi or f"article-{index + 1}", "type": "article-journal"}
    if view.title:
        entry["title"] = view.title
    original = article.titles.texts.get(article.language)
    if original and view.lang != article.language:
        entry["original-title"] = original
    for contributor, name in view.authors:
        entry.setdefault(ROLE_FIELDS[contributor.role], []).append(_name(contributor, name, view.lang))
    if view.journal_title:
        entry["container-title"] = view.journal_title
    if journal.abbreviation:
        entry["container-title-short"] = journal.abbreviation
    issued, from_issue = derive.publication_date(issue, article)
    if issued.year:  # 0: the year is unknown (read from a file that did not give it)
        entry["issued"] = _date(issued)
    if issue.volume:
        entry["volume"] = issue.volume
    if issue.number:
        entry["issue"] = issue.number
    pages = article.pages
    if pages and pages.first:
        entry["page"] = f"{pages.first}-{pages.last}" if pages.last else pages.first
    elif pages and pages.article_number:
        entry["number"] = pages.article_number
    if article.doi:
        entry["DOI"] = article.doi
    if journal.issns:
        entry["ISSN"] = journal.issns[0].value
    url = derive.landing_page(issue, index)
    if url:
        entry["URL"] = url
    entry["language"] = article.language
    if view.abstract:
        entry["abstract"] = view.abstract
    keywords = view.keywords
    if keywords:
        joined = entry["keyword"] = ", ".join(keywords)
        if joined.count(",") >= len(keywords) or ";" in joined:  # a comma beyond the ones between them
            view.problems.append(Problem("csl.keyword-comma", "warning", "a keyword contains ',' or ';', which "
                                         "CSL-JSON uses between keywords; readers will split it",
                                         path=f"articles[{index}].keywords"))
    if journal.publisher:
        entry["publisher"] = derive.pick(journal.publisher.name, view.lang)[0]
        if journal.publisher.place:
            entry["publisher-place"] = derive.pick(journal.publisher.place, view.lang)[0]
    custom: dict = {"metadata-language": view.lang}
    if from_issue:
        custom["date-from-issue"] = True  # so that a reader does not take it for the article's own date
    orcids = _orcids(view.authors)
    if orcids:
        custom["orcid"] = orcids
    entry["custom"] = custom
    return entry, view.problems, _article_left_out(article, view.lang) + issue_left_out


def _orcids(authors: list[tuple[Contributor, PersonName | None]]) -> dict[str, str]:
    """ORCID iDs by role and position: ``author/0`` is the first author."""
    orcids, counts = {}, {}
    for contributor, _ in authors:
        field = ROLE_FIELDS[contributor.role]
        position = counts.get(field, 0)
        counts[field] = position + 1
        if contributor.orcid:
            orcids[f"{field}/{position}"] = contributor.orcid
    return orcids


def _left_out(article: Article, issue: Issue, lang: str) -> set[str]:
    return set(_article_left_out(article, lang) + _issue_left_out(issue))


def _article_left_out(article: Article, lang: str) -> list[str]:
    """What CSL-JSON cannot carry of the article (one loop over the people: this runs for every item)."""
    out = []
    if len(article.titles.texts) > 1 + (article.language in article.titles.texts and lang != article.language):
        out.append("titles in other languages")
    if len(article.abstracts.texts) > 1:
        out.append("abstracts in other languages")
    affiliations = private = spellings = False
    for person in article.contributors:
        affiliations = affiliations or bool(person.affiliations)
        private = private or bool(person.email or person.credit or person.corresponding)
        if not spellings:
            names = person.names
            spellings = len(names) > 1 or any(name.order == "family-first" for name in names.values())
    if affiliations:
        out.append("affiliations")
    if article.funding:
        out.append("funding")
    if article.references:
        out.append("reference lists")
    if article.license:
        out.append("licences")
    if article.section:
        out.append("sections")
    if article.citations:
        out.append("in-text citation numbers")
    if private:
        out.append("e-mail addresses, CRediT roles and corresponding authors")
    if article.pages and article.pages.first and article.pages.article_number:
        out.append("an article number beside pages")
    if spellings:
        out.append("other spellings of names and the printed name order")
    if len(article.keywords) > 1:
        out.append("keywords in other languages")
    if article.dates.received or article.dates.accepted or (article.dates.online and article.dates.published):
        out.append("dates received and accepted, and an online date beside the print date")
    return out


def _issue_left_out(issue: Issue) -> list[str]:
    """What CSL-JSON cannot carry of the issue and journal: the same for every item."""
    out = []
    if issue.whole_number:
        out.append("the issue's whole number")
    if issue.doi or issue.title:
        out.append("the issue's DOI and title")
    if len(issue.journal.issns) > 1 or any(i.media for i in issue.journal.issns):
        out.append("ISSNs after the first and whether an ISSN is print or electronic")
    if len(issue.journal.titles.texts) > 1 or (issue.journal.publisher and len(issue.journal.publisher.name.texts) > 1):
        out.append("the journal's and publisher's names in other languages")
    return out


def items(issue: Issue, *, lang: str | None = None, dois: list[str] | None = None) -> tuple[list[dict], list[Problem]]:
    result: list[dict] = []
    problems = _each_item(issue, result.append, lang=lang, dois=dois)
    return result, problems


def _each_item(issue: Issue, take: Callable[[dict], object], *, lang: str | None,
               dois: list[str] | None) -> list[Problem]:
    """Hand each article's item to ``take`` as it is made; the problems, with the notes that
    sum up the issue, at the end."""
    chosen, problems = _each_item_many(issue, [take], [lang], dois)
    return chosen + problems[0]


class _Items:
    """One language's items as the articles come, and what to report about them at the end."""

    def __init__(self, issue: Issue, lang: str | None, take: Callable[[dict], object]) -> None:
        self.issue, self.lang, self.take = issue, lang, take
        self.problems: list[Problem] = []
        self.left_out = textfiles.NotCarried()
        self.issue_left_out = _issue_left_out(issue)
        self.languages: set[str] = set()
        self.shows = textfiles.shown_language(lang)

    def make(self, index: int) -> tuple[dict, list[Problem], list[str]]:
        return _item(self.issue, index, self.lang, self.issue_left_out)

    def add(self, index: int, made: tuple[dict, list[Problem], list[str]] | None = None) -> None:
        """The article's item, as ``make`` gives it (``made``: made already, for a language that
        shows the article in the same language as this one)."""
        entry, found, missing = made or self.make(index)
        self.languages.add(entry["custom"]["metadata-language"])
        self.take(entry)
        if found:
            self.problems += found
        self.left_out.add(index, tuple(missing))  # the kinds are distinct

    def notes(self) -> list[Problem]:
        """What CSL-JSON left out, by kind, and the journal-title fallbacks: once per file."""
        notes = [Problem("csl.not-carried", "info", f"CSL-JSON cannot carry {what} ({article_numbers(positions)})",
                         path="articles") for what, positions in sorted(self.left_out.items())]
        titles = self.issue.journal.titles
        for shown in sorted(self.languages):
            if titles and shown not in titles.texts:
                notes.append(Problem("lang.fallback", "warning", f"no {shown} journal title: using the "
                                     f"{titles.languages[0]} journal title", path="journal.titles"))
        return notes


@xmltools.gc_paused  # many short-lived dicts, no cycles: collections would walk the issue's model again and again
def _each_item_many(issue: Issue, takers: list[Callable[[dict], object]], langs: list[str | None],
                    dois: list[str] | None) -> tuple[list[Problem], list[list[Problem]]]:
    """``_each_item`` for several languages at once, reading each article once for all of them:
    the unknown-DOI errors, and each language's problems."""
    view, window = textfiles.windowed(issue)
    selection = textfiles.Selection(dois)
    writers = [_Items(view, lang, take) for take, lang in zip(takers, langs)]
    for index, article in selection.each(issue.articles):
        window.show(index, article)
        made: dict[str, tuple[dict, list[Problem], list[str]]] = {}  # an item per language shown
        for writer in writers:
            shown = writer.shows or article.language  # the file of each article's own language repeats one
            if shown not in made:
                made[shown] = writer.make(index)
            writer.add(index, made[shown])
    return selection.problems, [writer.problems + writer.notes() for writer in writers]


def dumps(issue: Issue, *, lang: str | None = None, dois: list[str] | None = None) -> tuple[str | None, list[Problem]]:
    """The items as a JSON array, indented by two spaces (``json.dumps(..., indent=2)``); None on errors."""
    out = io.StringIO()
    problems = dump(issue, out, lang=lang, dois=dois)
    if any(p.severity == "error" for p in problems):
        return None, problems
    return out.getvalue(), problems


def dump(issue: Issue, out: TextIO, *, lang: str | None = None, dois: list[str] | None = None) -> list[Problem]:
    """Write the text ``dumps`` gives to a text stream, one item at a time.

    Nothing is written when the articles cannot be selected (unknown DOIs are errors).
    """
    if dois is not None:
        problems = derive.select_articles(issue, dois)[1]
        if any(p.severity == "error" for p in problems):
            return problems
    return _dump_many(issue, [out], [lang], dois)[0]


def _dump_many(issue: Issue, outs: list[TextIO], langs: list[str | None],
               dois: list[str] | None) -> list[list[Problem]]:
    """``dump`` into one stream per language in one pass; on unknown DOIs (found only at the end)
    every stream has partial text and the problems are the errors alone, as ``dump`` returns them."""
    texts = _Texts()
    arrays = [_JsonArray(out, texts) for out in outs]
    chosen, problems = _each_item_many(issue, [array.add for array in arrays], langs, dois)
    for array in arrays:
        array.close()
    if textfiles.has_errors(chosen):
        return [list(chosen) for _ in outs]
    return [chosen + found for found in problems]


class _JsonArray:
    """Items written one by one as the JSON array ``json.dumps(items, indent=2)`` would give."""

    def __init__(self, out: TextIO, texts: _Texts) -> None:
        self.out = out
        self.texts = texts
        self.count = 0

    def add(self, entry: dict) -> None:
        self.out.write(("[\n  " if self.count == 0 else ",\n  ") + self.texts.text(entry))
        self.count += 1

    def close(self) -> None:
        self.out.write("\n]\n" if self.count else "[]\n")


class _Texts:
    """Items as JSON text, each made once however many files write it (the file of each article's
    own language writes the same items as the language files): the last few are kept."""

    def __init__(self) -> None:
        self.recent: dict[int, tuple[dict, str]] = {}

    def text(self, entry: dict) -> str:
        kept = self.recent.get(id(entry))
        if kept is not None and kept[0] is entry:
            return kept[1]
        parts: list[str] = []
        _json(entry, 1, parts)
        text = "".join(parts)
        if len(self.recent) >= 8:
            self.recent.clear()
        self.recent[id(entry)] = (entry, text)
        return text


def _json(value: object, depth: int, parts: list[str]) -> None:
    """``value`` as ``json.dumps(value, ensure_ascii=False, indent=2)`` writes it at ``depth``.

    The standard library leaves indented output to its pure-Python encoder; this one does
    the same for the values items hold, with the C string encoder, keys encoded once per
    process and the indentation made once per depth.
    """
    kind = type(value)
    if kind is str:
        parts.append(_encode_string(value))
    elif kind is dict:
        _object(value, depth, parts)  # type: ignore[arg-type]
    elif kind is list:
        _array(value, depth, parts)  # type: ignore[arg-type]
    elif isinstance(value, str):
        parts.append(_encode_string(value))
    elif isinstance(value, dict):
        _object(value, depth, parts)
    elif isinstance(value, list):
        _array(value, depth, parts)
    elif value is True or value is False or value is None:
        parts.append(_CONSTANTS[value])
    elif kind is int:
        parts.append(int.__repr__(value))  # type: ignore[arg-type]
    else:  # other numbers: as the standard library writes them
        parts.append(json.dumps(value))


def _object(value: dict, depth: int, parts: list[str]) -> None:
    if not value:
        parts.append("{}")
        return
    opening, separator, _ = _separators(depth + 1)
    keys = _KEYS
    for key, element in value.items():
        if type(key) is not str:
            raise TypeError("CSL-JSON keys are strings")
        text = keys.get(key)
        if text is None:
            text = _encode_string(key) + ": "
            if len(keys) < 4096:
                keys[key] = text
        if type(element) is str:  # most values: no call
            parts += (opening, text, _encode_string(element))
        else:
            parts += (opening, text)
            _json(element, depth + 1, parts)
        opening = separator
    parts.append(_separators(depth)[2] + "}")


def _array(value: list, depth: int, parts: list[str]) -> None:
    if not value:
        parts.append("[]")
        return
    _, separator, inner = _separators(depth + 1)
    opening = "[" + inner
    for element in value:
        parts.append(opening)
        _json(element, depth + 1, parts)
        opening = separator
    parts.append(_separators(depth)[2] + "]")


_KEYS: dict[str, str] = {}  # a key as JSON, with the ": " after it: items repeat the same few keys


@functools.lru_cache(maxsize=64)
def _separators(depth: int) -> tuple[str, str, str]:
    """What goes before the first member of an object at ``depth``, before each further member,
    and a line break with the indentation of ``depth``."""
    inner = "\n" + "  " * depth
    return "{" + inner, "," + inner, inner


_CONSTANTS = {True: "true", False: "false", None: "null"}
_encode_string = json.encoder.encode_basestring  # the C function when available (ensure_ascii=False)


def write(issue: Issue, folder: Path, *, dois: list[str] | None = None,
          lang: str | None = None) -> tuple[list[Path], list[Problem]]:
    """The registry's writer: ``articles.csl.json`` (original languages) or ``articles.<lang>.csl.json``.

    Streamed to a temporary file that replaces the target only when nothing went wrong.
    """
    return xmltools.write_text_file(folder / file_name(lang), lambda text: dump(issue, text, lang=lang, dois=dois))


def write_many(issue: Issue, folder: Path, langs: list[str | None], *,
               dois: list[str] | None = None) -> list[tuple[list[Path], list[Problem]]]:
    """``write`` once per language in ``langs``, reading each article once for all of them (a
    spooled issue unpickles an article on every read): the same files and problems, in order."""
    paths: list[Path | None] = [Path(folder) / file_name(lang) for lang in langs]
    return textfiles.write_text_files(paths, lambda outs: _dump_many(issue, outs, langs, dois))  # type: ignore[arg-type]


# --- validation ---------------------------------------------------------------------------

def detect(path: Path) -> bool:
    """CSL-JSON: a JSON array whose items have a CSL ``type`` (sniffed, not parsed)."""
    head = read_head(path)
    if head is None:
        return False
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    return head[:1] in (b"[", b"{") and b'"type"' in head and (b'"title"' in head or b'"author"' in head)


def _load(path: Path) -> tuple[Located | None, list[Problem]]:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        return None, [Problem("csl.io", "error", f"cannot read the file as UTF-8 text: {error}", file=str(path))]
    name = str(path) if str(path).endswith(".json") else f"{path}.json"
    doc, problems = parse(text, name, lazy=True)  # positions are found only for a problem
    problems = [Problem(p.code.replace("manifest.", "csl."), p.severity, p.message, p.path, str(path), p.line,
                        p.column) for p in problems]
    if doc is not None:
        doc.file = str(path)
    return doc, problems


def validate(path: Path) -> list[Problem]:
    """Check a file against the official ``csl-data.json`` schema; errors name the item and line.

    A compiled form of the schema answers "valid?" first; jsonschema runs only for a file
    that is not, to word and place each error.
    """
    import jsonschema

    from .. import schemas

    doc, problems = _load(path)
    if doc is None or problems:
        return problems
    try:
        schema = schemas.csl_data_schema()
    except schemas.SchemasUnavailable as missing:
        return [Problem(p.code, p.severity, p.message, file=str(path)) for p in missing.problems]
    check = _compiled(schema)
    if check is not None and check(doc.data):
        return problems
    validator = jsonschema.Draft7Validator(schema)
    for error in sorted(validator.iter_errors(doc.data), key=lambda e: list(map(str, e.absolute_path))):
        where = tuple(error.absolute_path)
        located = doc.where(where)
        if error.context:  # "not valid under any of the given schemas": say which rule failed
            error = jsonschema.exceptions.best_match(error.context)
        message = error.message if len(error.message) < 300 else error.message[:300] + " …"
        if error.validator == "additionalProperties":
            message = f"{message}; CSL-JSON has no such field (extras belong in 'custom')"
        problems.append(Problem("csl.schema", "error", message, path=located["path"], file=str(path),
                                line=located["line"], column=located["column"]))
    return problems


# --- a compiled schema check ------------------------------------------------------------------
#
# jsonschema interprets the schema anew for every value (about 300 µs an item); a closure per
# schema node answers the same yes/no question some fifty times faster. Only the keywords
# csl-data.json uses are compiled, with Draft 7's meaning; a schema with any other keyword
# gets no compiled form and is checked by jsonschema alone.

_Check = Callable[[object], bool]
_ANNOTATIONS = frozenset({"title", "description", "examples", "default", "$comment"})
_KEYWORDS = frozenset({"type", "enum", "properties", "additionalProperties", "required", "items", "minItems",
                       "maxItems", "anyOf"})
_TYPES: dict[str, _Check] = {
    "string": lambda value: isinstance(value, str),
    "object": lambda value: isinstance(value, dict),
    "array": lambda value: isinstance(value, list),
    "boolean": lambda value: isinstance(value, bool),
    "null": lambda value: value is None,
    "number": lambda value: isinstance(value, numbers.Number) and not isinstance(value, bool),
    "integer": lambda value: (isinstance(value, int) and not isinstance(value, bool))
    or (isinstance(value, float) and value.is_integer()),
}


class _Unsupported(Exception):
    """The schema uses something the compiled check does not implement."""


_compiled_cache: dict[int, tuple[object, _Check | None]] = {}


def _compiled(schema: dict) -> _Check | None:
    """The schema as one function value -> bool, compiled once per schema object; None if it cannot be."""
    cached = _compiled_cache.get(id(schema))
    if cached is None or cached[0] is not schema:
        try:
            check: _Check | None = _Compiler(schema).compile(schema, root=True)
        except _Unsupported:
            check = None
        cached = _compiled_cache[id(schema)] = (schema, check)
    return cached[1]


class _Compiler:
    """Turns schema nodes into closures; ``#/definitions/…`` references are compiled once each."""

    def __init__(self, root: dict):
        self.root = root
        self.definitions: dict[str, _Check] = {}

    def compile(self, node: object, root: bool = False) -> _Check:
        if node is True:
            return lambda value: True
        if node is False:
            return lambda value: False
        if not isinstance(node, dict):
            raise _Unsupported(repr(node))
        if "$ref" in node:  # Draft 7: a reference replaces its siblings
            return self.reference(node["$ref"])
        unknown = set(node) - _KEYWORDS - _ANNOTATIONS - ({"$schema", "$id", "definitions"} if root else set())
        if unknown:
            raise _Unsupported(", ".join(sorted(unknown)))
        checks = [self.keyword(name, node[name], node) for name in _KEYWORDS if name in node]
        checks = [check for check in checks if check is not None]
        if len(checks) == 1:
            return checks[0]
        return lambda value: all(check(value) for check in checks)

    def reference(self, ref: str) -> _Check:
        if not ref.startswith("#/definitions/") or "/" in ref[len("#/definitions/"):] or "~" in ref:
            raise _Unsupported(ref)
        name = ref[len("#/definitions/"):]
        if name not in self.definitions:
            slot: list[_Check] = []
            self.definitions[name] = lambda value: slot[0](value)  # a recursive reference finds it here
            try:
                slot.append(self.compile(self.root["definitions"][name]))
            except (KeyError, TypeError) as missing:
                raise _Unsupported(ref) from missing
            self.definitions[name] = slot[0]
        return self.definitions[name]

    def keyword(self, name: str, argument: object, node: dict) -> _Check | None:
        if name == "type":
            names = [argument] if isinstance(argument, str) else argument
            if not isinstance(names, list) or any(kind not in _TYPES for kind in names):
                raise _Unsupported(f"type {argument!r}")
            kinds = [_TYPES[kind] for kind in names]
            return kinds[0] if len(kinds) == 1 else (lambda value: any(kind(value) for kind in kinds))
        if name == "enum":
            if not isinstance(argument, list) or not all(isinstance(member, str) for member in argument):
                raise _Unsupported("enum of other than strings")
            members = frozenset(argument)
            return lambda value: isinstance(value, str) and value in members
        if name == "required":
            required = tuple(argument)  # type: ignore[arg-type]
            return lambda value: not isinstance(value, dict) or all(key in value for key in required)
        if name == "properties":
            return self.properties(argument, node.get("additionalProperties", True))
        if name == "additionalProperties":
            if "properties" in node:
                return None  # checked with the properties
            return self.properties({}, argument)
        if name == "items":
            if isinstance(argument, list):
                raise _Unsupported("items as a list")
            item = self.compile(argument)
            return lambda value: not isinstance(value, list) or all(item(element) for element in value)
        if name in ("minItems", "maxItems"):
            if not isinstance(argument, int) or isinstance(argument, bool):
                raise _Unsupported(name)
            bound = argument
            if name == "minItems":
                return lambda value: not isinstance(value, list) or len(value) >= bound
            return lambda value: not isinstance(value, list) or len(value) <= bound
        if name == "anyOf":
            options = [self.compile(option) for option in argument]  # type: ignore[union-attr]
            return lambda value: any(option(value) for option in options)
        raise _Unsupported(name)

    def properties(self, declared: object, additional: object) -> _Check:
        if not isinstance(declared, dict):
            raise _Unsupported("properties")
        known = {key: self.compile(sub) for key, sub in declared.items()}
        other = self.compile(additional)
        get = known.get

        def check(value: object) -> bool:
            if not isinstance(value, dict):
                return True
            for key, item in value.items():
                if not (get(key) or other)(item):
                    return False
            return True
        return check


# --- reading ------------------------------------------------------------------------------

def _string(value, field: str, problems: list[Problem], where: dict) -> str | None:
    """A CSL text value: strings as they are, numbers as text, a list's first string (Crossref's
    API sends titles as lists); anything else is reported and left out."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        strings = [str(v) for v in value if isinstance(v, (str, int)) and str(v).strip()]
        if len(strings) > 1:
            problems.append(Problem("csl.list", "info", f"'{field}' holds {len(strings)} values; the first is "
                                    "read", **where))
        return strings[0] if strings else None
    if isinstance(value, str):
        return value if value.strip() else None  # kept exactly; only blank text counts as missing
    problems.append(Problem("csl.value", "warning", f"'{field}' is not text and was not read", **where))
    return None


def _partial(value) -> PartialDate | None:
    if not isinstance(value, dict):
        return None
    parts = (value.get("date-parts") or [[]])[0]
    try:
        numbers = [int(part) for part in parts]
    except (TypeError, ValueError):
        return None
    text = "-".join([f"{numbers[0]:04d}", *(f"{n:02d}" for n in numbers[1:3])]) if numbers else ""
    return PartialDate.parse(text) if text else PartialDate.parse(str(value.get("raw", ""))[:10])


def read(path: Path) -> tuple[Issue | None, list[Problem]]:
    """A CSL-JSON file into an issue, one article per ``article-journal`` item."""
    return iter_read(path).collect()


def iter_read(path: Path) -> ArticleReading:
    """``read`` one item at a time: the file's array is decoded item by item from a buffer of
    64 KiB chunks, so memory does not grow with the file; each item is located (line, column)
    where the whole-file reading's locator puts it.

    What only the whole-file reading can report exactly (a file that is not one JSON array,
    not UTF-8 or not JSON, a repeated key, too deep nesting) sends the reading to it where it
    is met: from then on ``issue`` and ``problems`` are that reading's, and its articles after
    those already yielded are yielded (a file that is not JSON gives no issue, as ``read`` has
    always said, though articles before the fault were yielded)."""
    return ArticleReading(lambda reading: _read_articles(Path(path), reading))


_CHUNK = 1 << 16  # characters read at a time: as fast as larger ones, and the reading stays small


class _Unstreamable(Exception):
    """The streamed reading cannot vouch for the file: the whole-file reading decides."""


def _read_articles(path: Path, reading: ArticleReading) -> Iterator[Article]:
    try:
        stream = _ItemStream(path)
    except OSError:
        yield from _read_whole(path, reading, 0)
        return
    items = _ItemReader(reading.problems)
    yielded = 0
    with contextlib.closing(stream):
        while True:
            try:
                found = stream.next()
            except (_Unstreamable, OSError, UnicodeDecodeError, RecursionError, _RepeatedKey):
                yield from _read_whole(path, reading, yielded)
                return
            if found is None:
                break
            number, entry, line, column = found
            article = items.article(entry, {"file": str(path), "line": line, "column": column,
                                            "path": format_path((number,))})
            if article is not None:
                reading.issue = items.issue
                yielded += 1
                yield article
    reading.issue = items.finish(str(path))


def _read_whole(path: Path, reading: ArticleReading, skip: int) -> Iterator[Article]:
    """The whole-file reading, which the streamed one agrees with, from its article ``skip`` on."""
    doc, problems = _load(path)
    reading.issue, reading.problems[:] = None, problems
    problems = reading.problems
    if doc is None:
        return
    if isinstance(doc.data, dict):  # one item on its own, as DOI content negotiation returns it
        doc.data = [doc.data]
        doc.positions = {(0, *key): value for key, value in doc.positions.items()}
    if not isinstance(doc.data, list):
        problems.append(Problem("csl.shape", "error", "CSL-JSON is a list of items", file=str(path)))
        return
    items = _ItemReader(problems)
    count = 0
    for number, entry in enumerate(doc.data):
        article = items.article(entry, doc.where((number,)))
        if article is not None:
            reading.issue = items.issue
            count += 1
            if count > skip:
                yield article
    reading.issue = items.finish(str(path))


class _ItemStream(BufferedJsonText):
    """The items of a JSON array, one at a time, each with the line and column it starts at.

    The file is read as ``_load`` reads it (a BOM dropped, CRLF and CR made LF), so lines and
    columns count as the locator counts them in the whole text.
    """

    def __init__(self, path: Path) -> None:
        self.stream = open(path, encoding="utf-8-sig")  # noqa: SIM115 - closed by close()
        self.buf = ""
        self.base = 0  # absolute character offset of buf[0]
        self.pos = 0
        self.eof = False
        self.counted, self.line, self.newline = 0, 1, -1  # lines counted up to an absolute offset
        self.number = -1
        self.started = False

    def close(self) -> None:
        self.stream.close()

    def more(self) -> None:
        if self.eof:
            raise _Unstreamable
        self.at(self.pos)  # count what is let go
        chunk = self.stream.read(_CHUNK)
        self.eof = not chunk
        self.buf = self.buf[self.pos:] + chunk
        self.base += self.pos
        self.pos = 0

    def at(self, offset: int) -> tuple[int, int]:
        """Line and column of a buffer offset at or after the last one counted."""
        piece = self.buf[self.counted - self.base:offset]
        breaks = piece.count("\n")
        if breaks:
            self.line += breaks
            self.newline = self.counted + piece.rfind("\n")
        self.counted = self.base + offset
        return self.line, self.counted - self.newline

    def next(self) -> tuple[int, object, int, int] | None:
        """(number, item, line, column) of the next item; None after the closing bracket."""
        char = self.skip()
        if not self.started:
            if char != "[":
                raise _Unstreamable
            self.started = True
            self.pos += 1
            char = self.skip()
        elif char == ",":
            self.pos += 1
            char = self.skip()
            if char == "]":
                raise _Unstreamable  # a comma before the end: not JSON
        elif char != "]":
            raise _Unstreamable
        if char == "]":
            self.pos += 1
            if self.skip() != "":
                raise _Unstreamable
            return None
        line, column = self.at(self.pos)
        while True:
            try:
                value, end = _JSON.raw_decode(self.buf, self.pos)
                # What follows too, so that a number is not cut short ("2." of "2.50"): a comma or
                # the closing bracket, or more text is read until the end says the file is not JSON.
                if self.buf[_WS.match(self.buf, end).end()] in ",]" or self.eof:
                    break
            except (ValueError, IndexError):
                pass
            self.more()
        self.pos = end
        self.number += 1
        return self.number, value, line, column


class _ItemReader:
    """The articles of the items, one at a time; the issue comes with the first article."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        self.journal: Journal | None = None
        self.year: int | None = None
        self.issue: Issue | None = None

    def finish(self, file: str) -> Issue | None:
        """The issue (None without an article), after the problems only the end can tell."""
        if self.issue is None:
            self.problems.append(Problem("csl.empty", "error", "the file has no usable items", file=file))
        elif not self.year:
            self.problems.append(Problem("csl.year-missing", "warning", "the first item gives no year; the "
                                         "issue's year is unknown (0) and writers leave it out", file=file))
        return self.issue

    def article(self, entry, where: dict) -> Article | None:
        """The item's article, or None when it is skipped (reported)."""
        problems = self.problems
        if not isinstance(entry, dict):
            problems.append(Problem("csl.unusable", "warning", "this item is not an object and was skipped", **where))
            return None

        def text(field: str) -> str | None:
            return _string(entry.get(field), field, problems, where)

        title = text("title")
        if not title:
            problems.append(Problem("csl.unusable", "warning", "this item has no title and was skipped", **where))
            return None
        if entry.get("type") not in ("article-journal", "article", None):
            problems.append(Problem("csl.type", "info", f"a '{entry.get('type')}' item is read as a journal "
                                    "article", **where))
        custom = entry.get("custom") if isinstance(entry.get("custom"), dict) else {}
        work_lang = _lang(text("language")) or derive.guess_language(title)
        lang = _lang(custom.get("metadata-language")) or work_lang
        article = Article(language=work_lang, titles=LangText.of({lang: title}, work_lang))
        original_title = text("original-title")
        if original_title and work_lang != lang:
            article.titles = LangText.of({work_lang: original_title, lang: title}, work_lang)
        abstract = text("abstract")
        if abstract:
            article.abstracts = LangText.of({lang: abstract}, work_lang)
        keyword = entry.get("keyword")
        words = ([str(w).strip() for w in keyword if str(w).strip()] if isinstance(keyword, list) else
                 [w.strip() for w in str(text("keyword") or "").replace(";", ",").split(",") if w.strip()])
        if words:
            article.keywords = {lang: words}
        orcids = custom.get("orcid") if isinstance(custom.get("orcid"), dict) else {}
        for field, role in FIELD_ROLES.items():
            names = entry.get(field) or []
            if not isinstance(names, list):
                problems.append(Problem("csl.value", "warning", f"'{field}' is not a list of names and was not "
                                        "read", **where))
                continue
            for position, name in enumerate(names):
                if not isinstance(name, dict):
                    problems.append(Problem("csl.value", "warning", f"a name in '{field}' is not an object and "
                                            "was not read", **where))
                    continue
                family = _string(name.get("family"), f"{field}.family", problems, where)
                given = _string(name.get("given"), f"{field}.given", problems, where)
                literal = _string(name.get("literal"), f"{field}.literal", problems, where)
                contributor = Contributor(role=role)  # type: ignore[arg-type]
                if literal and not family:
                    contributor.organization = LangText.of({lang: literal}, work_lang)
                elif family or given:
                    person = PersonName(family or given, given if family else None)  # type: ignore[arg-type]
                    contributor.names[derive.language_of(f"{person.family} {person.given or ''}", lang)] = person
                else:
                    continue
                orcid = orcids.get(f"{field}/{position}")
                if orcid and ids.orcid(str(orcid)).ok:
                    contributor.orcid = ids.orcid(str(orcid)).value
                article.contributors.append(contributor)
        doi = text("DOI")
        if doi:
            checked = ids.doi(doi)
            if checked.ok:
                article.doi = checked.value
            else:
                problems.append(checked.problem("warning", **where))  # type: ignore[arg-type]
        page = text("page") or ""
        if page:
            first, _, last = page.replace("–", "-").partition("-")
            article.pages = Pages(first.strip() or None, last.strip() or None)
        elif text("number"):
            article.pages = Pages(article_number=text("number"))
        article.url = text("URL")
        issued = _partial(entry.get("issued"))
        if entry.get("issued") is not None and issued is None:
            problems.append(Problem("csl.date", "warning", "the 'issued' date cannot be read", **where))
        if issued and not custom.get("date-from-issue"):
            article.dates.published = issued
        container = text("container-title")
        journal = self.journal
        if journal is None:
            titles = LangText.of({lang: container}, lang) if container else LangText()
            journal = Journal(titles=titles, language=lang if titles else None,
                              abbreviation=text("container-title-short") or text("journalAbbreviation"))
            issn_value = entry.get("ISSN")
            for raw in (issn_value if isinstance(issn_value, list) else str(issn_value or "").split(",")):
                checked = ids.issn(str(raw))
                if checked.ok and all(i.value != checked.value for i in journal.issns):
                    journal.issns.append(Issn(checked.value))  # type: ignore[arg-type]
            publisher, place = text("publisher"), text("publisher-place")
            if publisher:
                journal.publisher = Publisher(LangText.of({lang: publisher}, lang),
                                              LangText.of({lang: place}, lang) if place else None)
            self.year = issued.year if issued else None
            self.journal = journal
            self.issue = Issue(journal=journal, year=self.year or 0, volume=text("volume"), number=text("issue"))
        elif container in journal.titles.texts.values():
            if lang not in journal.titles.texts:  # a fallback: the title shown is the journal's original one
                journal.titles.original = next(k for k, v in journal.titles.texts.items() if v == container)
        elif container:
            if lang in journal.titles.texts:  # a different journal title in the same language
                problems.append(Problem("csl.several-journals", "warning", "this item is from another journal; "
                                        "the issue takes the journal of the first item", **where))
            else:  # the same journal, named in this item's language
                journal.titles.texts[lang] = container
        return article


def _lang(value) -> str | None:
    if not value:
        return None
    checked = ids.language_tag(str(value))
    return checked.value if checked.ok else None
