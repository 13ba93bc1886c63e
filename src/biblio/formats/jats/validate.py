"""Checking a JATS file against the official JATS 1.3 Journal Publishing DTD, offline, with lxml.

The DTD is the one validator: it is the schema the files declare, and the only official one for 1.3 (the
1.3d2 draft XSD, which Crossref imports for ``jats:`` abstracts, refuses ``dtd-version="1.3"``). The file is
parsed without a DTD and without expanding entities; the pinned DTD then validates the tree.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

from lxml import etree

from ... import schemas
from ...fileio import read_text_head
from ...problems import Problem
from .. import xmltools
from .parse import parse

MAX_ERRORS = 200


def detect(path: Path) -> bool:
    """A JATS article: an XML file whose root is ``<article>`` without a namespace (UTF-16 with a byte-order mark
    too)."""
    head = read_text_head(path)
    return head is not None and bool(re.search(r"<article[\s>]", head)) and "<doi_batch" not in head


# The loaded DTD and when its files were last verified. schemas.jats_dtd() stats every pinned file on
# each call (longer than validating one article), so a run of articles asks it again only once this many
# seconds have passed; the DTD is the same object.
_RECHECK_SECONDS = 1.0
_schema_seen: tuple[etree.DTD, str | None, float] | None = None
# libxml2 spells out an element's whole content model (cut in the middle when long, "got" included): the
# message says what the element has, from the tree, and the start of the model.
_CONTENT_MODEL = re.compile(r"Element (\S+) content does not follow the DTD, expecting (.*)", re.DOTALL)
_SHOWN = 12


def _jats_dtd() -> etree.DTD:
    global _schema_seen
    seen, folder, now = _schema_seen, os.environ.get(schemas.ENV_VAR), time.monotonic()
    if seen is not None and seen[1] == folder and now - seen[2] < _RECHECK_SECONDS:
        return seen[0]
    dtd = schemas.jats_dtd()
    _schema_seen = (dtd, folder, now)
    return dtd


def validate_tree(tree: etree._ElementTree, file: str) -> list[Problem]:
    """Check a parsed article against the DTD: each error with its line and element path."""
    try:
        dtd = _jats_dtd()
    except schemas.SchemasUnavailable as missing:
        return [Problem(p.code, p.severity, p.message, file=file) for p in missing.problems]
    try:
        if dtd.validate(tree):
            return []
    except etree.DTDValidateError as error:
        return [Problem("jats.schema", "error", f"libxml2 could not validate this document ({error})", file=file)]
    problems = []
    for entry in list(dtd.error_log)[:MAX_ERRORS]:  # type: ignore[call-overload]  # lxml-stubs: _ErrorLog iterates
        element = _element_at(tree, entry.path)
        where = xmltools.element_path(element) if element is not None else (entry.path or "")
        problems.append(Problem("jats.schema", "error", _message(entry.message, element), path=where, file=file,
                                line=entry.line or None))
    return problems


def _message(message: str, element: etree._Element | None) -> str:
    """libxml2's message, a content-model error made short: what the element has and the start of its model."""
    message = message.strip().rstrip(".")
    model = _CONTENT_MODEL.fullmatch(message)
    if model is None or element is None:
        return message
    names = [f"{child.prefix}:{etree.QName(child).localname}" if child.prefix else etree.QName(child).localname
             for child in element.iterchildren(etree.Element)]
    has = " ".join(names[:_SHOWN]) + (" …" if len(names) > _SHOWN else "")
    expected = model.group(2).split(", got ")[0]
    expected = expected if len(expected) <= 100 else expected[:100] + " …"
    return f"<{model.group(1)}> content does not follow the DTD: it has ({has}), the DTD expects {expected}"


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
