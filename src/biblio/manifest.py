"""The manifest: a YAML (or JSON) file <-> the issue model.

``load`` reports every mistake in one pass — unknown keys with a did-you-mean, wrong types, bad identifiers, missing
required fields — each with file, line, column and field path. ``dumps`` writes the model back so that loading it again
gives an equal model. The shape itself is declared in ``manifest_spec``.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import functools
import json
import re
from pathlib import Path as FsPath
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import yaml

from . import derive, ids, model
from . import manifest_spec as spec
from .model import Article, Issue, LangText, PartialDate
from .problems import Problem
from .yamlsource import (JSON_DECODER, JsonLocator, JsonScan, Located, Path, RepeatedKey, Unstreamable, format_path,
                         parse)

_INVALID = object()  # a value that was reported and must not reach the model
_LONGEST_INT_BITS = 2000  # about 600 digits; Python converts up to 640 (at least) to and from text
_HUGE = "a number of over 600 digits"
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")  # what the writers remove from a text (with a warning)


def _journal_language(data: Any) -> str:
    """The journal's own language as the manifest gives it (``journal.language``, a plain tag), else ``en``: the
    language a message's example is written in."""
    journal = data.get("journal") if isinstance(data, dict) else None
    lang = journal.get("language") if isinstance(journal, dict) else None
    return lang if isinstance(lang, str) and re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{1,8})*", lang) else "en"


class _Reader:
    """Walks parsed data along the declarations, collecting problems as it goes."""

    def __init__(self, doc: Located):
        self.doc = doc
        self.problems: list[Problem] = []
        self.example_lang = _journal_language(doc.data)

    def lang_example(self, value: Any) -> str:
        """``'it: …'``: a mapping by language as the editor would write it here, in the journal's own language (what
        was given in place of it, when that was a short text)."""
        text = value.strip() if isinstance(value, str) else ""
        shown = text if 0 < len(text) <= 60 and text.isprintable() and "'" not in text else "..."  # plain text only
        return f"'{self.example_lang}: {shown}'"

    def report(self, code: str, message: str, path: Path, *, key: bool = False) -> None:
        self.problems.append(Problem(code, "error", message, **self.doc.where(path, key=key)))

    def fields(self, value: Any, known: dict[str, spec.Field], path: Path) -> Any:
        """``known``: the fields by key."""
        if not isinstance(value, dict):
            keys = [f.key for f in known.values() if f.required] or [f.key for f in known.values()][:3]
            shape = "{" + ", ".join(f"{key}: …" for key in keys) + (", …" if len(keys) < len(known) else "") + "}"
            self.report("manifest.type", f"{_name(path)} must be a mapping of keys to values, such as {shape} "
                        f"(keys: {', '.join(known)}), not {_describe(value)}", path)
            return _INVALID
        for key in value:
            if key not in known:
                close = difflib.get_close_matches(str(key), list(known), n=1, cutoff=0.6)
                hint = f"did you mean '{close[0]}'?" if close else "allowed keys here: " + ", ".join(known)
                self.report("manifest.unknown-key", f"unknown key {_describe(str(key))} in {_name(path)}; {hint}",
                            path + (key,), key=True)
        result: dict[str, Any] = {}
        failed = False
        for f in known.values():
            item = value.get(f.key)
            if item is None:
                if f.required:
                    self.report("manifest.missing", f"{_name(path)} needs '{f.key}' ({f.doc.rstrip('.')})", path)
                    failed = True
                continue
            converted = self.value(item, f.kind, path + (f.key,))
            if converted is _INVALID:
                failed = failed or f.required
                continue
            result[f.key] = converted
        return _INVALID if failed else result

    def obj(self, name: str, value: Any, path: Path) -> Any:
        data = self.fields(value, _FIELDS[name], path)
        if data is _INVALID:
            return _INVALID
        if name == "Contributor":
            if bool(value.get("names")) == bool(value.get("organization")):
                self.report("manifest.contributor", "a contributor needs either 'names' (a person) or "
                            "'organization' (a group), and not both", path)
                return _INVALID
            if not (data.get("names") or data.get("organization")):
                return _INVALID  # a bad name was reported already
        elif name == "Depositor" and not (checked := ids.email(data["email"])).ok:
            self.report(checked.code or "id", checked.message or "", path + ("email",))
            return _INVALID
        elif name == "Pages" and not data:
            self.report("manifest.empty", "give 'first' (and 'last') or 'article_number', or leave 'pages' out", path)
            return _INVALID
        return spec.OBJECTS[name].build(**data)

    def value(self, value: Any, kind: spec.Kind, path: Path) -> Any:
        return _VALUE_READERS[type(kind)](self, value, kind, path)

    def boolean(self, value: Any, kind: spec.Boolean, path: Path) -> Any:
        if isinstance(value, bool):
            return value
        self.report("manifest.type", f"expected true or false, found {_describe(value)}", path)
        return _INVALID

    def choice(self, value: Any, kind: spec.Choice, path: Path) -> Any:
        text = self.text(value, path)
        if text is not _INVALID and text not in kind.values:
            close = difflib.get_close_matches(text, kind.values, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            self.report("manifest.choice", f"'{text}' is not allowed here; {hint}"
                        f"use one of: {', '.join(kind.values)}", path)
            return _INVALID
        return text

    def identifier(self, value: Any, kind: spec.Identifier, path: Path) -> Any:
        text = self.text(value, path)
        if text is _INVALID:
            return _INVALID
        checked = kind.check(text)
        if not checked.ok:
            self.report(checked.code or "id", checked.message or "", path)
            return _INVALID
        return checked.value

    def list_of(self, value: Any, kind: spec.ListOf, path: Path) -> Any:
        if not isinstance(value, list):
            self.report("manifest.type", f"expected a list (lines starting with '- '), found {_describe(value)}", path)
            return _INVALID
        items = []
        for index, item in enumerate(value):
            items.append(self.value(item, kind.item, path + (index,)))
            value[index] = None  # let go of what is read: the parsed articles and the model are never both whole
        return [item for item in items if item is not _INVALID]

    def text(self, value: Any, path: Path) -> Any:
        if isinstance(value, str):
            if not value or value.isspace():
                self.report("manifest.empty", "this text is empty; give a value or leave the key out", path)
                return _INVALID
            if not value.isprintable() and not _CONTROLS.sub("", value).strip():  # "\0": nothing a format can write
                self.report("manifest.empty", "this text holds only control characters (such as NUL), which no output "
                            "format can carry: give a value or leave the key out", path)
                return _INVALID
            if not value.isascii() and not _writable(value):  # JSON "\ud800": half a character
                self.report("manifest.surrogate", "this text holds an unpaired surrogate escape (\\ud800 to "
                            "\\udfff), which is half of a character and cannot be written out; remove it or give "
                            "the whole character", path)
                return _INVALID
            return value
        if isinstance(value, (int, float, datetime.date)) and not isinstance(value, bool):
            if isinstance(value, int) and value.bit_length() > _LONGEST_INT_BITS:
                self.report("manifest.type", f"expected text, found {_describe(value)}", path)
                return _INVALID
            return self.doc.raw(path, value) or str(value)  # as typed: "2", "1.10", "2025-06-30"
        if isinstance(value, bool) and self.doc.raw(path, value):
            return self.doc.raw(path, value)  # "no", "yes", "on" typed without quotes
        self.report("manifest.type", f"expected text, found {_describe(value)}", path)
        return _INVALID

    def integer(self, value: Any, kind: spec.Integer, path: Path) -> Any:
        if isinstance(value, str) and re.fullmatch(r"\s*[0-9]+\s*", value):
            number = ids.whole_number(value)
            value = number if number is not None else 10 ** ids.MAX_DIGITS  # past MAX_DIGITS: out of every range
        if not isinstance(value, int) or isinstance(value, bool):
            self.report("manifest.type", f"expected a whole number, found {_describe(value)}", path)
            return _INVALID
        huge = value.bit_length() > _LONGEST_INT_BITS  # out of range anywhere, and too long to print
        if huge or (kind.minimum is not None and value < kind.minimum) or (
                kind.maximum is not None and value > kind.maximum):
            expected = (str(kind.minimum) if kind.minimum == kind.maximum else
                        f"a number from {kind.minimum} to {kind.maximum}" if kind.maximum is not None else
                        f"at least {kind.minimum}")
            shown = _HUGE if huge else str(value)
            self.report("manifest.range", f"{shown} is out of range here; expected {expected}", path)
            return _INVALID
        return value

    def date(self, value: Any, path: Path) -> Any:
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            return PartialDate(value.year, value.month, value.day)
        bare = type(value) is int and value.bit_length() < 64  # a year typed without quotes (not true, not 10**5000)
        text = value if isinstance(value, str) else str(value) if bare else ""
        parsed, why = PartialDate.read(text) if text else (None, "")
        if parsed is None:
            self.report("manifest.date", f"{_describe(value)} is not a date{': ' + why if why else ''}; write YYYY, "
                        "YYYY-MM or YYYY-MM-DD, such as 2025-06-30", path)
            return _INVALID
        return parsed

    def by_language(self, value: Any, path: Path, convert: Callable[[Any, Path], Any]) -> Any:
        if not isinstance(value, dict):
            self.report("manifest.type", "expected a mapping from language tag to value "
                        f"(such as {self.lang_example(value)}), found {_describe(value)}", path)
            return _INVALID
        result: dict[str, Any] = {}
        for key, item in value.items():
            checked = ids.language_tag(str(key))  # cached: the same few tags on every article
            if (lang := checked.value) is None:  # not a language tag
                self.report(checked.code or "id", checked.message or "", path + (key,), key=True)
                continue
            if lang in result:
                self.report("manifest.duplicate-key", f"the language '{lang}' is given twice", path + (key,), key=True)
                continue
            converted = convert(item, path + (key,))
            if converted is not _INVALID:
                result[lang] = converted
        return result

    def multitext(self, value: Any, path: Path) -> Any:
        texts = self.by_language(value, path, self.text)
        if texts is _INVALID or not texts:
            if isinstance(value, dict) and not value:
                self.report("manifest.empty", f"give at least one language, such as {self.lang_example(None)}", path)
            return _INVALID
        return LangText(texts)

    def keyword_list(self, value: Any, path: Path) -> Any:
        if not isinstance(value, list):
            self.report("manifest.type", f"keywords must be a list, found {_describe(value)}", path)
            return _INVALID
        words = [self.text(item, path + (index,)) for index, item in enumerate(value)]
        return [word for word in words if word is not _INVALID]


_VALUE_READERS: dict[type[spec.Kind], Callable[[_Reader, Any, Any, Path], Any]] = {
    spec.Text: lambda reader, value, kind, path: reader.text(value, path),
    spec.Integer: _Reader.integer,
    spec.Boolean: _Reader.boolean,
    spec.Date: lambda reader, value, kind, path: reader.date(value, path),
    spec.Choice: _Reader.choice,
    spec.Identifier: _Reader.identifier,
    spec.MultiText: lambda reader, value, kind, path: reader.multitext(value, path),
    spec.Keywords: lambda reader, value, kind, path: reader.by_language(value, path, reader.keyword_list),
    spec.ListOf: _Reader.list_of,
    spec.ByLanguage: lambda reader, value, kind, path: reader.by_language(
        value, path, functools.partial(reader.obj, kind.item.name)),
    spec.Object: lambda reader, value, kind, path: reader.obj(kind.name, value, path),
}
_FIELDS = {name: {f.key: f for f in declared.fields} for name, declared in spec.OBJECTS.items()}
_TOP = {f.key: f for f in spec.TOP_FIELDS}


def _writable(text: str) -> bool:
    """Whether ``text`` can be written as UTF-8: it holds no lone surrogate (faster to try than to search)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _name(path: Path) -> str:
    return format_path(path) or "the manifest"


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"'{str(value).lower()}' (true/false)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int) and value.bit_length() > _LONGEST_INT_BITS:
        return _HUGE
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return repr(value if len(value) <= 80 else value[:80] + "…")
    return f"a {type(value).__name__} object"  # made in code: the type says more than its text


# --- DOI assignment -------------------------------------------------------------

def expand_doi_pattern(pattern: str, issue: Issue, seq: int) -> str:
    """Fill ``{prefix}/….{seq:03}`` for the article at 1-based position ``seq`` (KeyError: no value)."""
    return derive.article_doi(dataclasses.replace(issue, doi_pattern=pattern), seq)


def _pattern_problems(issue: Issue, doc: Located) -> list[Problem]:
    pattern = issue.doi_pattern
    if not pattern:
        return []
    where = doc.where(("issue", "doi_pattern"))
    wrong = derive.pattern_problem(pattern, derive.DOI_PLACEHOLDERS)
    if wrong:
        return [Problem("doi.pattern-placeholder", "error", f"in the DOI pattern, {wrong}", **where)]
    if "seq" not in derive.placeholders(pattern):
        return [Problem("doi.pattern-placeholder", "error", "the DOI pattern has no {seq}, so every article "
                        "would get the same DOI; add {seq} (or {seq:03})", **where)]
    try:
        sample = derive.article_doi(issue, 1)
    except KeyError as missing:
        return [Problem("doi.pattern-placeholder", "error", f"the DOI pattern uses {{{missing.args[0]}}} "
                        f"but the manifest gives no value for it", **where)]
    checked = ids.doi(sample)
    if not checked.ok:
        return [Problem("doi.pattern", "error", f"the DOI pattern makes {sample!r}, which is not a DOI: "
                        f"{checked.message}", **where)]
    return []


def _settings_problems(issue: Issue, doc: Located) -> list[Problem]:
    pattern = issue.settings.landing_page_pattern if issue.settings else None
    if not pattern:
        return []
    where = doc.where(("settings", "landing_page_pattern"))
    wrong = derive.pattern_problem(pattern, derive.URL_PLACEHOLDERS)
    if wrong:
        return [Problem("url.pattern", "error", f"in the landing page pattern, {wrong}", **where)]
    if not derive.placeholders(pattern):
        return [Problem("url.pattern", "error", "the landing page pattern has no placeholder, so every article "
                        "would get the same page; add {doi}, {suffix} or {seq}", **where)]
    if not re.match(r"https?://", pattern, re.IGNORECASE):
        return [Problem("url.pattern", "error", "the landing page pattern must start with https:// "
                        "(or http://)", **where)]
    return []


def _assign_doi(issue: Issue, index: int, article: Article, doc: Located, pattern_ok: bool) -> list[Problem]:
    """Give a DOI-less article its DOI from the pattern; warn when an explicit DOI breaks it."""
    path = ("articles", index)
    expected = derive.article_doi(issue, index + 1) if pattern_ok else None
    if article.doi is None:
        if expected:
            article.doi = expected
            article.doi_from_pattern = True
            return [Problem("doi.assigned", "info", f"no DOI given; assigned {expected} "
                            "from the issue's DOI pattern", **doc.where(path))]
        return [Problem("doi.missing", "error", "this article has no DOI; give 'doi' or "
                        "set issue.doi_pattern so that biblio can assign one", **doc.where(path))]
    if expected and ids.doi_key(article.doi) != ids.doi_key(expected):
        return [Problem("doi.pattern-mismatch", "warning", f"the DOI {article.doi} does not follow the issue's "
                        f"pattern, which gives {expected} for article {index + 1}; check the DOI or the order of the "
                        "articles", **doc.where(path + ("doi",)))]
    return []


def _mark_original(text: LangText | None, lang: str | None) -> None:
    if text is not None:
        text.original = LangText.of(text.texts, lang).original


def set_originals(issue: Issue) -> None:
    """A text's original language is the language of the object that holds it."""
    _set_issue_originals(issue)
    for article in issue.articles:
        _set_article_originals(article)


def _set_issue_originals(issue: Issue) -> None:
    _mark_original(issue.journal.titles, issue.journal.language)
    if issue.journal.publisher:
        _mark_original(issue.journal.publisher.name, issue.journal.language)
        _mark_original(issue.journal.publisher.place, issue.journal.language)
    _mark_original(issue.title, issue.journal.language)


def _set_article_originals(article: Article) -> None:
    for text in (article.titles, article.abstracts, article.section, article.short_title):
        _mark_original(text, article.language)
    for funding in article.funding:
        _mark_original(funding.funder, article.language)
        _mark_original(funding.statement, article.language)
    for contributor in article.contributors:
        _mark_original(contributor.organization, article.language)
        for affiliation in contributor.affiliations:
            _mark_original(affiliation.name, article.language)


# --- loading --------------------------------------------------------------------

def loads(text: str, file: str = "<manifest>") -> tuple[Issue | None, list[Problem]]:
    """Read manifest text. Returns the issue (None when it cannot be built) and all problems."""
    return _read_parsed(*parse(text, file, lazy=True))[:2]


def _read_parsed(doc: Located | None, problems: list[Problem]) -> tuple[Issue | None, list[Problem], Located | None]:
    if doc is None:
        return None, problems, None
    reader = _Reader(doc)
    reader.problems.extend(problems)
    if doc.data is None:
        reader.report("manifest.empty", "the manifest is empty; it needs 'biblio: 1', 'journal', 'issue' and "
                      "'articles' (see docs/manifest.md)", ())
        return None, reader.problems, doc
    top = reader.fields(doc.data, _TOP, ())
    if top is _INVALID:
        return None, reader.problems, doc
    if doc.data.get("articles") == []:
        reader.report("manifest.missing", "the issue has no articles; list them under 'articles'", ("articles",))
    issue = _issue(top)
    issue.articles = top.get("articles", [])
    for article in issue.articles:
        _set_article_originals(article)
    if len(issue.articles) == len(doc.data.get("articles") or []):  # DOIs by position: none is missing
        found = _pattern_problems(issue, doc)
        pattern_ok = bool(issue.doi_pattern) and not found
        for index, article in enumerate(issue.articles):
            found += _assign_doi(issue, index, article, doc, pattern_ok)
        reader.problems.extend(found)
    reader.problems.extend(_settings_problems(issue, doc))
    return issue, reader.problems, doc


def _issue(top: dict[str, Any]) -> Issue:
    """The issue of the manifest's top-level values, without its articles."""
    issue: Issue = top["issue"]
    issue.journal = top["journal"]
    issue.settings = top.get("settings")
    _set_issue_originals(issue)
    return issue


def load(path: str | FsPath) -> tuple[Issue | None, list[Problem]]:
    """Read a manifest file (YAML or JSON)."""
    return load_located(path)[:2]


def load_located(path: str | FsPath) -> tuple[Issue | None, list[Problem], Located | None]:
    """Like ``load``, and also the parsed document (see ``locate``)."""
    name = str(path)
    try:
        raw = FsPath(path).read_bytes()
    except OSError as error:
        return None, [Problem("manifest.io", "error", f"cannot read the manifest: {error.strerror}", file=name)], None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:  # ``object``: the bytes after a BOM
        before = error.object[:error.start]
        line, column = before.count(b"\n") + 1, len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
        return None, [Problem("manifest.encoding", "error", f"the file is not UTF-8 text: the byte "
                              f"0x{error.object[error.start]:02X} here is not part of a UTF-8 character; save the "
                              "file as UTF-8", file=name, line=line, column=column)], None
    del raw
    doc, problems = parse(text, name, lazy=True)
    del text  # positions come from the file from now on (lint, writers): not a copy of its text in memory
    if doc is not None:
        doc.release(path)
    issue, problems, doc = _read_parsed(doc, problems)
    if doc is not None:
        doc.data = None  # the model has it all
    return issue, problems, doc


_PATH_PART = re.compile(r"([^.\[\]]+)|\[([0-9]+)\]")


def locate(problems: list[Problem], doc: Located) -> list[Problem]:
    """Give problems found on the model (a field path, no file) the manifest's file:line:column."""
    located = []
    for problem in problems:
        if problem.file is None and problem.path:
            where = doc.where(tuple(int(index) if index else name for name, index in _PATH_PART.findall(problem.path)))
            problem = dataclasses.replace(problem, file=where["file"], line=where["line"], column=where["column"])
        located.append(problem)
    return located


# --- writing --------------------------------------------------------------------

def _plain(value: Any, kind: spec.Kind) -> Any:
    """A model value as plain data for YAML/JSON, or None when there is nothing to write.

    A value of the wrong type is passed through as it is, so that reading the data back
    (``from_model``) reports it with its field path and the shape it should have."""
    if value is None:
        return None
    if isinstance(kind, (spec.MultiText, spec.Keywords, spec.ByLanguage)) and not isinstance(value, Mapping):
        return value
    if isinstance(kind, spec.MultiText):
        return dict(value.items()) or None
    if isinstance(kind, spec.Keywords):
        return {lang: list(words) if isinstance(words, (list, tuple)) else words
                for lang, words in value.items()} or None
    if isinstance(kind, spec.Date):
        return str(value) if isinstance(value, PartialDate) else value
    if isinstance(kind, spec.ListOf):
        if not isinstance(value, (list, tuple)):
            return value
        return [_plain(item, kind.item) for item in value] or None
    if isinstance(kind, spec.ByLanguage):
        return {lang: _plain(item, kind.item) for lang, item in value.items()} or None
    if not isinstance(kind, spec.Object) or not isinstance(value, getattr(model, kind.name)):
        return value
    result: dict[str, Any] = {}
    for f in spec.OBJECTS[kind.name].fields:
        field_value = getattr(value, f.key)
        if f.default is not None and field_value == f.default:
            continue
        if isinstance(value, Article) and f.key == "doi" and value.doi_from_pattern:
            continue  # it came from the pattern; writing it would hide that
        plain = _plain(field_value, f.kind)
        if plain is not None:
            result[f.key] = plain
    return result or None


_ARTICLE = spec.Object("Article")


def to_data(issue: Issue) -> dict[str, Any]:
    """The issue as plain data in manifest shape (what the YAML/JSON file holds)."""
    data = {"biblio": spec.MANIFEST_VERSION, "journal": _plain(issue.journal, spec.Object("Journal")),
            "issue": _plain(issue, spec.Object("Issue")),
            "articles": [_plain(article, _ARTICLE) for article in issue.articles]}
    if settings := _plain(issue.settings, spec.Object("Settings")):
        data["settings"] = settings
    return data


def from_model(issue: Issue) -> tuple[Issue | None, list[Problem]]:
    """An issue made in code, read as its manifest would be: every field checked (a wrong type
    is a problem with the field path and the shape expected, no file or line), DOIs given from
    ``doi_pattern``, originals marked. Returns a new issue; the one given is not changed."""
    if not isinstance(issue, Issue):
        return None, [Problem("manifest.type", "error", f"expected an Issue, not {_describe(issue)}")]
    return _read_parsed(Located(to_data(issue), None), [])[:2]


class _Dumper(yaml.SafeDumper):
    """Block style, UTF-8 as is, multi-line text as literal blocks."""

    def text(self, value: str) -> yaml.Node:
        return self.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)

    def sequence(self, value: list[Any]) -> yaml.Node:
        flow = bool(value) and all(isinstance(item, int) for item in value)  # citation numbers on one line
        return self.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)

    def mapping(self, value: dict[Any, Any]) -> yaml.Node:
        short = (len(value) <= 3 and all(isinstance(v, str) and "\n" not in v for v in value.values())
                 and sum(len(str(k)) + len(v) for k, v in value.items()) < 60)  # a name on one line
        return self.represent_mapping("tag:yaml.org,2002:map", value, flow_style=short)


_Dumper.add_representer(str, _Dumper.text)
_Dumper.add_representer(list, _Dumper.sequence)
_Dumper.add_representer(dict, _Dumper.mapping)


def written_data(issue: Issue) -> dict[str, Any]:
    """``to_data`` as ``dumps`` writes it: without a placeholder for what is unknown (no ``journal: null``, no
    ``year: 0``, no ``null`` article), so that a load names each gap (``biblio.dump`` says which)."""
    data = to_data(issue)
    if data["journal"] is None:
        del data["journal"]
    if not issue.year and isinstance(data["issue"], dict):  # year 0: unknown
        data["issue"] = {key: value for key, value in data["issue"].items() if key != "year"}
    data["articles"] = [{} if article is None else article for article in data["articles"]]
    return data


def dumps(issue: Issue, *, as_json: bool = False, data: dict[str, Any] | None = None) -> str:
    """The manifest text for ``issue`` (or for its ``written_data``, when given); ``loads(dumps(issue))`` gives an
    equal issue when the issue is complete."""
    data = written_data(issue) if data is None else data
    if as_json:
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)


# --- streamed loading (JSON) ------------------------------------------------------

@dataclasses.dataclass
class StreamScan:
    """A JSON manifest read except for its articles, which are only located (``scan_streamed``):
    the issue (journal, issue, settings), the problems before and after the articles, each
    article's byte range in the file, and the document for positions."""

    issue: Issue
    before: list[Problem]  # found before the articles (the DOI pattern)
    after: list[Problem]  # found after them (the settings)
    spans: list[tuple[int, int]]
    doc: Located


def scan_streamed(path: str | FsPath) -> StreamScan | None:
    """The first step of reading a JSON manifest one article at a time (``iter_articles``): read
    everything but the articles, which are only located.

    None when only the whole-document reading (``load``) can answer: not JSON, a mistake outside
    the articles, no articles, the articles before the journal and the issue.
    """
    if not str(path).endswith(".json"):
        return None
    try:
        with open(path, "rb") as stream:
            data, index = JsonScan(stream=stream).run(decode=True)
    except (Unstreamable, RepeatedKey, OSError, RecursionError, UnicodeError):
        return None
    keys = list(index.keys)
    if not index.articles or not {"journal", "issue"} <= set(keys[:keys.index("articles")]):
        return None
    pending = Located(None, None, json=True)  # problems get their path now, their line once located
    reader = _Reader(pending)
    top = reader.fields(data, {key: f for key, f in _TOP.items() if key != "articles"}, ())
    if top is _INVALID or reader.problems:
        return None
    issue = _issue(top)
    before = _pattern_problems(issue, pending)
    after = _settings_problems(issue, pending)
    if any(problem.severity == "error" for problem in before + after):
        return None
    locator = JsonLocator(None, index)
    doc = Located(None, str(path), json=True, locator=locator)
    locator.release(path)
    spans = [(index.spans[entry][2] + locator.bom, index.spans[entry][3] + locator.bom) for entry in index.articles]
    return StreamScan(issue, before, after, spans, doc)


def iter_articles(scan: StreamScan) -> Iterator[tuple[int, Article | None, list[Problem], bool]]:
    """``(index, article, problems, clean)`` for each article of a scanned manifest, built one at a time as ``load``
    builds it (DOI assigned, original languages set). ``article`` is None when it cannot be built; ``problems`` have
    paths only (``locate`` them with ``scan.doc``); ``clean``: the reading reported nothing. A key given twice in an
    article is reported for that article, which is then left out. Raises ``Unstreamable`` when the file no longer holds
    the scanned articles (it changed since the scan)."""
    reader = _Reader(Located(None, None, json=True))
    try:
        with open(scan.doc.file or "", "rb") as stream:
            for index, (start, end) in enumerate(scan.spans):
                stream.seek(start)
                text = stream.read(end - start).decode("utf-8")
                try:
                    item = JSON_DECODER.decode(text)
                except RepeatedKey:
                    yield index, None, [_repeated_key(text, index)], False
                    continue
                article = reader.value(item, _ARTICLE, ("articles", index))
                del item
                problems, reader.problems = reader.problems, []
                if article is _INVALID:
                    yield index, None, problems, False
                    continue
                _set_article_originals(article)
                doi_problems = _assign_doi(scan.issue, index, article, reader.doc, bool(scan.issue.doi_pattern))
                yield index, article, problems + doi_problems, not problems
    except (ValueError, OSError, RecursionError) as error:
        raise Unstreamable from error


def _repeated_key(text: str, index: int) -> Problem:
    """The problem of an article that gives a key twice (the JSON decoder keeps the last silently)."""
    repeated: list[str] = []

    def _note(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [key for key, _ in pairs]
        repeated.extend(key for number, key in enumerate(keys) if key in keys[:number])
        return dict(pairs)

    json.loads(text, object_pairs_hook=_note, parse_int=str)
    named = ", ".join(f"'{key}'" for key in dict.fromkeys(repeated))
    return Problem("manifest.duplicate-key", "error", f"this article gives the key {named} twice; keep one",
                   path=format_path(("articles", index)))
