"""Parsing a JATS file for reading and validating: safely, and with its character entities.

Other systems' JATS uses the DTD's named character entities (``&ndash;``), which biblio, never
loading a DTD, resolves offline in a document with a DOCTYPE from ``html.entities.html5`` (it
holds the ISO and MathML sets the DTD uses). Any other entity reference is an error, left out.
"""

from __future__ import annotations

import html.entities
import re
from pathlib import Path

from lxml import etree

from ...problems import Problem
from .. import xmltools
from ..crossref.checks import syntax_problems

MAX_PROBLEMS = 200
_PREDEFINED = {"amp", "lt", "gt", "quot", "apos"}
# A CDATA section or a comment (kept as they are), or a named entity reference.
_REFERENCE = re.compile(rb"<!\[CDATA\[.*?\]\]>|<!--.*?-->|&([A-Za-z][A-Za-z0-9._-]*);", re.DOTALL)
_DOCTYPE = re.compile(rb"(?:\xef\xbb\xbf)?(?:\s|<\?.*?\?>|<!--.*?-->)*<!DOCTYPE", re.DOTALL)


def _character(match: re.Match[bytes]) -> bytes:
    name = match.group(1)
    if name is None or name.decode("ascii") in _PREDEFINED:
        return match.group(0)
    text = html.entities.html5.get(name.decode("ascii") + ";")
    if text is None:
        return match.group(0)
    return "".join(f"&#{ord(char)};" for char in text).encode("ascii")


def parse(path: Path) -> tuple[etree._ElementTree | None, list[Problem]]:
    """The file's tree with its standard character entities resolved, or None and why not."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError:
        return xmltools.read_xml(path)  # it reports what cannot be read
    if _DOCTYPE.match(data) and b"&" in data:
        data = _REFERENCE.sub(_character, data)
    tree, problems = xmltools.read_xml(path, data)
    problems = syntax_problems(problems)
    if tree is not None and tree.docinfo.doctype:  # type: ignore[attr-defined]  # lxml-stubs lack DocInfo.doctype
        problems += _unresolved(tree, str(path))
    return tree, problems


def _unresolved(tree: etree._ElementTree, file: str) -> list[Problem]:
    """Entity references left (not a standard character's name): each an error, each taken out, so that
    neither the reader nor the schema sees a reference it cannot know the text of."""
    problems: list[Problem] = []
    for entity in list(tree.iter(etree.Entity)):
        parent = entity.getparent()
        assert parent is not None  # the root is an element, never an entity
        if len(problems) < MAX_PROBLEMS:
            problems.append(Problem("jats.entity", "error", f"the entity reference {entity.text} is not a standard "
                                    "character entity: biblio never expands other entities; write the text itself",
                                    path=xmltools.element_path(parent), file=file,
                                    line=parent.sourceline))  # type: ignore[arg-type]  # lxml-stubs: sourceline untyped
        previous = entity.getprevious()
        if entity.tail:
            if previous is not None:
                previous.tail = (previous.tail or "") + entity.tail
            else:
                parent.text = (parent.text or "") + entity.tail
        parent.remove(entity)
    return problems
