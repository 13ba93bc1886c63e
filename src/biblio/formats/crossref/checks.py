"""What the derived XSD 1.0 schema leaves to Python, checked one part of a deposit at a time, and
libxml2's messages worded like the strict path's.

The checks: the three XSD 1.1 asserts, the XSD 1.1 dates and the long enumerations (``xsd10.py``),
IDs unique across parts and every ``IDREF`` naming an ``ID`` of the document (which libxml2 does not
check). They skip the foreign content of MathML ``annotation-xml``, as the schema does, and compare
values as written, as xmlschema evaluates the asserts (``type=" author "`` is not ``'author'``).
"""

from __future__ import annotations

import dataclasses
import html.entities
import re
from collections.abc import Iterable

from lxml import etree

from ...problems import Problem
from .. import xmltools
from .mapping import AI, FR, JATS, NS, XSI
from .xsd10 import WHITESPACE, Derived, sourceline

MATHML = "http://www.w3.org/1998/Math/MathML"

# Conventional prefixes for the namespaces a message may name ({ns}local -> prefix:local).
_PREFIXES = {
    NS: "", JATS: "jats:", FR: "fr:", "http://www.crossref.org/fundingdata5.5.0.xsd": "fd:", AI: "ai:",
    "http://www.crossref.org/relations.xsd": "rel:", "http://www.crossref.org/clinicaltrials.xsd": "ct:",
    MATHML: "mml:", xmltools.XML_NS: "xml:", "http://www.w3.org/1999/xlink": "xlink:", XSI: "xsi:",
    "http://www.niso.org/schemas/ali/1.0/": "ali:",
}

# Ranks among problems on one line, as the whole-document validation ordered them.
SCHEMA, ASSERT, ENUMERATION, DATE, IDREF = range(5)
XSI_TYPE_ADVICE = "; a deposit needs no xsi:type: remove the attribute (or name a type the schema declares)"


def local(tag: str) -> str:
    """An element's name without its namespace; from the tag's text, because ``etree.QName`` refuses a name such
    as ``fr:program`` that libxml2 keeps when a document's prefix has no declaration, or a namespace with braces."""
    return tag.rsplit("}", 1)[-1]


def namespace(tag: str) -> str | None:
    """An element's namespace, from the tag's text (see ``_local``)."""
    return tag[1:tag.rindex("}")] if tag.startswith("{") and "}" in tag else None


def problem(element: etree._Element, file: str, reason: str) -> Problem:
    """A ``crossref.schema`` error at ``element``: its path and line, the reason naming its tag."""
    return Problem("crossref.schema", "error", f"{reason} (in <{local(element.tag)}>)",
                   path=xmltools.element_path(element), file=file, line=sourceline(element))


def _attribute_problem(element: etree._Element, file: str, name: str, reason: str) -> Problem:
    return problem(element, file, f"attribute {names_of(name)}: {reason}")


def skipped_in(part: etree._Element) -> set[etree._Element]:
    """The elements the schema does not validate: the foreign content of MathML annotation-xml
    (``processContents="skip"``), the only wildcard of the bundle that admits Crossref or JATS elements."""
    skipped: set[etree._Element] = set()
    for annotation in part.iter(f"{{{MATHML}}}annotation-xml"):
        for child in annotation.iterchildren(etree.Element):
            if namespace(child.tag) != MATHML:
                skipped.update(child.iter(etree.Element))
    return skipped


def check_asserts(part: etree._Element, file: str, vocabularies: dict[str, frozenset[str]],
                  skipped: set[etree._Element]) -> list[Problem]:
    """The three XSD 1.1 asserts of the official schema, as xmlschema evaluates them: on every ``role``
    and ``person_name`` of the Crossref namespace that the schema validates, values as written."""
    problems = []
    for element in part.iter(f"{{{NS}}}person_name", f"{{{NS}}}role"):
        if skipped and element in skipped:
            continue
        if element.tag == f"{{{NS}}}person_name":
            if element.get("contributor_role") is None and not any(
                    local(child.tag) == "role" for child in element.iterchildren(etree.Element)):
                problems.append(problem(
                    element, file, "assertion failed (exists(@contributor_role) or exists(*:role)): a person_name "
                    "needs a contributor_role attribute or at least one role element"))
            continue
        vocab, kind = element.get("vocab"), element.get("type")
        allowed = vocabularies.get(vocab or "")
        if allowed is not None and kind not in allowed:
            what = f"type '{kind}' is" if kind is not None else "a role without a type is"
            problems.append(problem(
                element, file, f"assertion failed (not(@vocab='{vocab}') or @type = (...)): {what} not in the "
                f"'{vocab}' vocabulary ({', '.join(sorted(allowed))})"))
    return problems


class AttributeScan:
    """The attributes the derived schema leaves to Python (dates, IDs, IDREFs, long enumerations), checked
    one part of the document at a time; IDREFs are resolved once every part is in (``unresolved``)."""

    def __init__(self, derived: Derived):
        self.derived = derived
        self.keys = set(derived.dates) | derived.ids | derived.idrefs | set(derived.enumerations)
        self.names = {name for _, name in self.keys}
        self.known: set[str] = set()  # the IDs of the parts checked so far
        # (line, path, element, attribute, tokens) of each IDREF
        self.references: list[tuple[int | None, str, str, str, list[str]]] = []

    def check(self, part: etree._Element, file: str, skipped: set[etree._Element]) -> list[tuple[int, Problem]]:
        """The problems of one part as (rank, problem). libxml2 validated the part on its own, so it found
        IDs repeated within it; an ID of an earlier part given again is found here."""
        derived, keys, names = self.derived, self.keys, self.names
        found: list[tuple[int, Problem]] = []
        part_ids: list[str] = []
        for element in part.iter(etree.Element):
            attributes = element.keys()
            if not attributes or names.isdisjoint(attributes) or (skipped and element in skipped):
                continue
            space = namespace(element.tag)
            for name in names.intersection(attributes):
                key = (space, name) if (space, name) in keys else (None, name)
                value = element.get(name, "")
                collapsed = WHITESPACE.sub(" ", value).strip(" ")
                if key in derived.dates:
                    reason = date_reason(collapsed, derived.dates[key])
                    if reason:
                        found.append((DATE, _attribute_problem(element, file, name, reason)))
                if key in derived.ids:
                    part_ids.append(collapsed)
                    if collapsed in self.known:
                        found.append((SCHEMA, _attribute_problem(element, file, name, f"'{collapsed}' is not a valid "
                                                                "value of the atomic type 'xs:ID'")))
                if key in derived.idrefs:
                    self.references.append((sourceline(element), xmltools.element_path(element),
                                            local(element.tag), name, value.split()))
                if key in derived.enumerations:
                    allowed = derived.enumerations[key]
                    if key not in derived.preserved:
                        value = collapsed
                    if value not in allowed:
                        reason = f"'{value}' is not one of the {len(allowed):,} values the schema enumerates"
                        found.append((ENUMERATION, _attribute_problem(element, file, name, reason)))
        self.known.update(part_ids)
        return found

    def unresolved(self, file: str) -> list[tuple[int, Problem]]:
        """An IDREF that names no ID of the document, once the whole document has been checked."""
        return [(IDREF, Problem("crossref.schema", "error", f"attribute {names_of(name)}: IDREF '{token}' does not "
                                f"name an ID of the document (in <{local}>)", path=path, file=file, line=line))
                for line, path, local, name, tokens in self.references for token in tokens if token not in self.known]


def date_reason(collapsed: str, kind: str) -> str | None:
    """Why a value (whitespace collapsed) is not an ``xs:date`` or ``xs:gYear`` as XSD 1.1 reads it (elementpath's
    types, as the strict path), or None."""
    from elementpath.datatypes import Date, GregorianYear

    try:
        if collapsed != collapsed.strip():  # elementpath strips U+00A0 and other spaces that XSD keeps
            raise ValueError("a date has no space characters")
        (Date if kind == "date" else GregorianYear).fromstring(collapsed)
    except (ValueError, TypeError, ArithmeticError) as err:  # (OverflowError for a year past 2**31)
        return (f"'{collapsed}' is not a valid value of the atomic type 'xs:{kind}' ({_classes(str(err))}); write "
                + ("a date as YYYY-MM-DD" if kind == "date" else "a year as YYYY"))
    return None


def _classes(text: str) -> str:
    """``<class 'elementpath.datatypes.datetime.Date'>`` in a message as ``Date``."""
    return re.sub(r"<class '(?:[\w.]+\.)?(\w+)'>", r"\1", text)


def entity_problems(part: etree._Element, file: str) -> Iterable[Problem]:
    """Unexpanded entity references (``&name;`` from an internal DTD): libxml2 cannot validate them, and what
    they stand for is unknown without expanding them, which biblio never does."""
    for entity in part.iter(etree.Entity):
        parent = entity.getparent()
        assert parent is not None  # an entity reference in ``part`` sits in one of its elements
        yield Problem("crossref.schema", "error", f"the entity reference {entity.text} is not expanded: biblio "
                      "reads XML without expanding entities, so it cannot check what the reference stands for; "
                      "write the text itself", path=xmltools.element_path(parent), file=file, line=sourceline(parent))


# --- libxml2's messages ---------------------------------------------------------------------

_CLARK = re.compile(r"\{([^}]*)\}")
_SUBJECT = re.compile(r"^Element '[^']*'(?:, attribute '([^']*)')?: ")
_STEP = re.compile(r"^(?:(\*)|(?:([^:\[\]]+):)?([^:\[\]]+))(?:\[(\d+)\])?$")


def names_of(text: str) -> str:
    """``{namespace}local`` -> ``prefix:local`` for the namespaces of a deposit (crossref's own: no prefix)."""
    return _CLARK.sub(lambda m: _PREFIXES.get(m.group(1), f"{{{m.group(1)}}}"), text)


# libxml2's reason for a number written with digits other than 0-9 (as the strict path words it, with the advice).
_ODD_NUMBER = re.compile(r"(?:attribute [^ ]*: )?'[^']*(?:(?![0-9])\d|[0-9]_[0-9])[^']*' is not a valid value of "
                         r"the (?:local )?atomic type(?: '[^']*')?")
DIGITS_ADVICE = ": write numbers with the digits 0-9"


def reason(message: str) -> str:
    """libxml2's message without the element it names (the path says that), like the strict path's reasons."""
    text = message.strip()
    subject = _SUBJECT.match(text)
    if subject:
        text = (f"attribute {names_of(subject.group(1))}: " if subject.group(1) else "") + text[subject.end():]
        if subject.group(1) == f"{{{XSI}}}type":
            text = text.strip().rstrip(".") + XSI_TYPE_ADVICE
        elif number := _ODD_NUMBER.match(text):
            text = number.group(0) + DIGITS_ADVICE
    return shortened(names_of(text))


def shortened(reason: str) -> str:
    """A reason without its final full stop, cut near 300 characters (an enumeration can list 8,000 values)."""
    reason = _classes(reason.strip().rstrip("."))
    return reason[:300].rsplit(" ", 1)[0] + " …" if len(reason) > 300 else reason


def element_at(top: etree._Element, path: str | None) -> etree._Element | None:
    """The element of a libxml2 node path (``/*/*[2]/jats:abstract[1]``) below ``top``, the element
    validated as the document's root, walked as libxml2 wrote it."""
    if not path or not path.startswith("/"):
        return None
    node: etree._Element | None = None
    for step in path[1:].split("/"):
        match = _STEP.match(step)
        if match is None:
            return node  # text(), comment(), an attribute: the element so far
        generic, prefix, name, index = match.group(1), match.group(2), match.group(3), int(match.group(4) or 1)
        candidates = [top] if node is None else list(node.iterchildren(etree.Element))
        if not generic:
            candidates = [c for c in candidates if local(c.tag) == name and c.prefix == prefix
                          and (prefix is not None or not c.tag.startswith("{"))]
        if index > len(candidates):
            return node
        node = candidates[index - 1]
    return node


# --- Files that are not well-formed ---------------------------------------------------------

_AT = re.compile(r"\s*,? line \d+, column \d+\s*$")
_CHARACTER = re.compile(r"Char 0x([0-9A-Fa-f]+) out of allowed range|invalid (?:xml)?Char value (\d+)")
WELL_FORMED = "this is not well-formed XML: "


def syntax_reason(message: str) -> str:
    """libxml2's reason why a file is not well-formed, without the line and column it repeats (the problem's location
    gives them), and what to do where it is a character XML cannot hold or bytes that are not in the file's encoding."""
    text = _AT.sub("", message.replace("\n", " ")).strip()
    character = _CHARACTER.search(text)
    if character or "invalid character in attribute value" in text:
        code = int(character[1], 16) if character and character[1] else int(character[2]) if character else None
        return (f"{text}: XML cannot hold {f'U+{code:04X}' if code is not None else 'this character'}, not even as "
                "a reference like &#1; (of the control characters, only tab, line feed and carriage return; nor "
                "U+FFFE, U+FFFF): remove it")
    entity = re.search(r"Entity '([^']*)' not defined", text)
    if entity:
        written = "".join(f"&#{ord(char)};" for char in html.entities.html5.get(entity[1] + ";", ""))
        return (f"{text}: without a DTD, XML knows only &amp; &lt; &gt; &quot; &apos;: write the character itself"
                + (f" or {written} for &{entity[1]};" if written else " or the text it stands for"))
    if "Invalid bytes in character encoding" in text:
        return (f"{text}: these bytes are not a character in the file's encoding (UTF-8 unless its XML declaration "
                "names another): save the file as UTF-8, or declare the encoding it is written in")
    return text


def syntax_problems(problems: list[Problem]) -> list[Problem]:
    """``xmltools.read_xml``'s problems, each syntax error worded by ``syntax_reason``."""
    return [dataclasses.replace(p, message=WELL_FORMED + syntax_reason(p.message[len(WELL_FORMED):]))
            if p.code == "xml.syntax" and p.message.startswith(WELL_FORMED) else p for p in problems]
