"""Checking a JATS file against the official JATS 1.3 Journal Publishing XSD (1.3d2), offline, with lxml."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

from lxml import etree

from ... import schemas
from ...fileio import read_head
from ...problems import Problem
from .. import xmltools
from .parse import parse

MAX_ERRORS = 200


def detect(path: Path) -> bool:
    """A JATS article: an XML file whose root is ``<article>`` without a namespace."""
    head = read_head(path)
    return head is not None and bool(re.search(rb"<article[\s>]", head)) and b"<doi_batch" not in head


# The compiled schema and when its files were last verified. schemas.jats_schema() stats every
# pinned file on each call (a third of the time of validating one article), so a run of articles
# asks it again only once this many seconds have passed; the compiled schema is the same object.
_RECHECK_SECONDS = 1.0
_schema_seen: tuple[schemas.MathRouted, str | None, float] | None = None


def _jats_schema() -> schemas.MathRouted:
    global _schema_seen
    seen, folder, now = _schema_seen, os.environ.get(schemas.ENV_VAR), time.monotonic()
    if seen is not None and seen[1] == folder and now - seen[2] < _RECHECK_SECONDS:
        return seen[0]
    schema = schemas.jats_schema()
    _schema_seen = (schema, folder, now)
    return schema


def validate_tree(tree: etree._ElementTree, file: str) -> list[Problem]:
    """Check a parsed article against the schema: each error with its line and element path."""
    try:
        schema = _jats_schema()
    except schemas.SchemasUnavailable as missing:
        return [Problem(p.code, p.severity, p.message, file=file) for p in missing.problems]
    try:
        if schema.validate(tree):
            return []
    except etree.XMLSchemaValidateError as error:
        return [Problem("jats.schema", "error", f"libxml2 could not validate this document ({error})", file=file)]
    problems = []
    for entry in list(schema.error_log)[:MAX_ERRORS]:  # type: ignore[call-overload]  # lxml-stubs: _ErrorLog iterates
        element = _element_at(tree, entry.path)
        where = xmltools.element_path(element) if element is not None else (entry.path or "")
        message = re.sub(r"^Element '([^']+)'", r"<\1>", entry.message).strip().rstrip(".")
        problems.append(Problem("jats.schema", "error", message, path=where, file=file, line=entry.line))
    return problems


def _element_at(tree: etree._ElementTree, path: str | None) -> etree._Element | None:
    try:
        found = tree.xpath(path) if path else []
    except etree.XPathError:
        return None
    return found[0] if isinstance(found, list) and found and isinstance(found[0], etree._Element) else None


def validate(path: Path) -> list[Problem]:
    """The file's problems: not well-formed, an entity that is not a standard character, or the schema's."""
    tree, problems = parse(Path(path))
    if tree is None:
        return problems
    return problems + validate_tree(tree, str(path))
