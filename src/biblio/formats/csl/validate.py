"""Checking a CSL-JSON file against the official ``csl-data.json`` schema, with jsonschema-rs
(a compiled validator: about 2 µs an item where the pure-Python jsonschema takes 220 µs, the
largest cost of a build's CSL-JSON files).

The file is taken item by item (``parse``), each item checked as the one member of an
array, so the official schema is used as it is and memory stays flat; every error names
the item's path, line and column.
"""

from __future__ import annotations

import functools
from pathlib import Path

import jsonschema_rs

from ... import schemas
from ...fileio import read_text_head
from ...problems import Problem
from . import parse


@functools.cache
def _validator(folder: Path) -> jsonschema_rs.Draft7Validator:
    """The official schema's validator, made once per schema folder."""
    return jsonschema_rs.Draft7Validator(schemas.csl_data_schema(folder))


def detect(path: Path) -> bool:
    """CSL-JSON: a JSON array of objects (or one object) whose first one has a text ``type`` and an ``id``,
    a ``title`` or an ``author``, sniffed from the first 64 KiB (the file is not parsed)."""
    head = read_text_head(path, parse.CHUNK)  # UTF-16 with a byte-order mark too: the reader then says to save as UTF-8
    if head is None:
        return False
    keys = parse.head_keys(head)
    return isinstance(keys.get("type"), str) and not keys.keys().isdisjoint(("id", "title", "author"))


def validate(path: Path) -> list[Problem]:
    """The file's problems: not UTF-8 JSON, repeated keys, else lone surrogates and what the schema refuses."""
    path = Path(path)
    try:
        validator: jsonschema_rs.Draft7Validator | None = _validator(schemas.usable(None))
        missing: list[Problem] = []
    except schemas.SchemasUnavailable as unavailable:
        validator = None
        missing = [Problem(p.code, p.severity, p.message, file=str(path)) for p in unavailable.problems]
    found: list[tuple[list[str], Problem]] = []
    repeated: list[Problem] = []
    try:
        for item in parse.items(path):
            repeated += item.repeated
            found += [([str(part) for part in item.prefix()], problem) for problem in item.halves]
            if validator is not None and not repeated:
                found += _errors(validator, item, str(path))
    except parse.Unreadable as unreadable:
        return [unreadable.problem]
    if repeated:
        return repeated
    return missing + [problem for _, problem in sorted(found, key=lambda pair: pair[0])]


def _errors(validator: jsonschema_rs.Draft7Validator, item: parse.Item, file: str) -> list[tuple[list[str], Problem]]:
    """An item's schema errors, each with the key they are sorted by (the path's parts as text)."""
    instance = item.value if item.number is None else [item.value]  # an item: the one member of an array
    found = []
    try:
        errors = list(validator.iter_errors(instance))
    except ValueError:  # jsonschema-rs stops at its recursion limit (an item nested hundreds deep)
        line, column = item.where(())
        return [([str(part) for part in item.prefix()], Problem(
            "csl.schema", "error", "this item nests lists or objects too deeply to be checked; no CSL field nests more "
            "than a few levels", path=parse.path_text(item.prefix()) or None, file=file, line=line, column=column))]
    for error in errors:
        error = _most_specific(error)
        extra = isinstance(error.kind, jsonschema_rs.ValidationErrorKind.AdditionalProperties)
        inner = tuple(error.instance_path)[0 if item.number is None else 1:]
        where = (*item.prefix(), *inner)
        line, column = item.where(inner)
        message = error.message if len(error.message) < 300 else error.message[:300] + " …"
        if extra:
            message = f"{message}; CSL-JSON has no such field (extras belong in 'custom')"
        found.append(([str(part) for part in where], Problem("csl.schema", "error", message, file=file, line=line,
                                                             column=column, path=parse.path_text(where) or None)))
    return found


def _most_specific(error: jsonschema_rs.ValidationError) -> jsonschema_rs.ValidationError:
    """For "not valid under any of the schemas" (anyOf, oneOf), the failing rule that reaches
    deepest into the item, which says what to fix; else the error itself."""
    branches = getattr(error.kind, "context", None) or []
    inner = [sub for branch in branches for sub in branch]
    return max(inner, key=lambda sub: len(sub.instance_path), default=error)
