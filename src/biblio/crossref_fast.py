"""A fast, exact validation path for Crossref 5.5.0 deposits: XSD 1.0 with lxml, the rest in Python.

The official Crossref 5.5.0 schema declares itself XSD 1.1 (``vc:minVersion="1.1"`` on
crossref5.5.0.xsd, common5.5.0.xsd, languages5.5.0.xsd, mediatypes5.5.0.xsd and
fundingdata5.5.0.xsd). The only XSD 1.1 constructs in the whole bundle are three
``xsd:assert`` rules in crossref5.5.0.xsd:

- ``role`` with ``vocab="crossref"``: ``type`` must be one of the 11 Crossref contributor roles;
- ``role`` with ``vocab="credit"``: ``type`` must be one of the 14 CRediT roles;
- ``person_name``: ``exists(@contributor_role) or exists(*:role)``.

The strict path (``schemas.crossref_schema()``: xmlschema, pure Python) validates the official
XSD 1.1 as it is. This module *derives* an XSD 1.0 form of the same verified official files,
compiles it once per process with libxml2 (``etree.XMLSchema``), and checks in Python what the
XSD 1.0 form leaves out. The derivation (``derive()``; every step is listed in ``derivation.json``):

- removes the three ``xsd:assert`` elements; each must be one of the rules implemented here
  (an unknown assert makes the derivation fail rather than be lost), and the role vocabularies
  are read from the asserts themselves;
- removes ``vc:minVersion="1.1"`` from the five ``xsd:schema`` elements, and writes the
  ``<?xml version="1.1"?>`` declarations as 1.0 (the files use nothing of XML 1.1);
- points remote ``schemaLocation``s and location-less imports to the local copies, as relative
  paths (``schemas.REMOTE_LOCATIONS`` / ``NAMESPACE_LOCATIONS``), so the folder is self-contained;
- gives the three built-in types whose meaning XSD 1.1 changed XSD 1.1's meaning:
  ``xs:anyURI`` becomes ``xs:token`` (in XSD 1.1 any string is an anyURI; XSD 1.0 and libxml2
  demand RFC 2396 syntax), and the ``xs:date`` / ``xs:gYear`` attributes (license and policy
  dates, ``approvedYear``) become ``xs:token`` and are checked in Python with XSD 1.1's
  definition (year 0000 exists in XSD 1.1; libxml2 also refuses a date with trailing
  whitespace, which both XSD versions allow);
- takes the enumerations of 256 values or more out of the derived schema (the 8,107 ISO 639 codes of
  ``language`` and the 2,112 media types of ``mime_type``), keeping their base type: libxml2 compares
  a value with each enumerated value in turn, which was most of a deposit's validation time; the
  values are checked in Python with a set, with the whitespace rule of the base type;
- refuses to go on if any other XSD 1.1-only construct is present (``xsd:openContent``,
  ``xsd:alternative``, ``xsd:override``, ``xsd:assertion``, ``notQName``, XSD 1.1-only types, ...).

Python checks, over the parsed deposit, reported like schema errors (code ``crossref.schema``,
XML line, element path): the three asserts, the XSD 1.1 dates, the long enumerations, and that every ``IDREF`` /
``IDREFS`` value (``rid`` ... inside ``jats:abstract``) names an ``ID`` of the document, which
XSD requires and libxml2's schema validator does not check. They skip what the schema skips:
the foreign content of MathML ``annotation-xml``. Attribute values are compared as written, as
xmlschema evaluates the asserts: ``type=" author "`` is not ``'author'``.

The compile reads nothing from disk or the network but the derived bytes held in memory (a
resolver serves only those). The derived files are also written to
``<schema dir>/derived-xsd10/`` (``derived_dir()``: made on first use, refreshed where a file
differs, never read back), for other tools::

    xmllint --noout --schema <schema dir>/derived-xsd10/crossref/crossref5.5.0.xsd deposit.xml

which checks everything but what this module checks in Python.

Known differences from the strict path, none in a deposit biblio writes (tests/test_crossref_fast.py
shows that both paths accept and reject the same deposits otherwise). Where xmlschema departs
from XSD, this path follows XSD:

- xmlschema reads integers with Python's ``int()``: it accepts ``<year>２０２５</year>`` (full-width
  or other non-ASCII digits), ``2_025`` or a no-break space around the digits; XSD does not;
- xmlschema refuses a comment or processing instruction inside an element of simple content
  (``<year>2025<!-- print --></year>``); XSD ignores them;
- an unexpanded entity reference (``&name;`` declared in an internal DTD; biblio never expands
  entities) is refused here: what it stands for cannot be checked. xmlschema ignores it in
  mixed and element content and refuses it in simple content.

Where XSD 1.0 (libxml2) and XSD 1.1 (xmlschema) differ and this path keeps XSD 1.0:

- names (``ID``, ``IDREF``, ``NCName``, ``NMTOKEN`` values) with characters that XML 1.0 fifth
  edition allows but the fourth edition's classes do not, e.g. ``id="a⁰"``: refused here;
- ``\\d`` and other Unicode classes in patterns follow libxml2's older Unicode tables, so an ISSN
  written with e.g. Balinese digits is refused here.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import os
import posixpath
import re
import threading
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from . import schemas
from .fileio import write_atomic
from .formats import xmltools
from .problems import Problem

__all__ = [
    "DERIVED_FOLDER", "DERIVED_MAIN", "Derived", "FastSchema", "RemovedAssert", "check_asserts", "derive",
    "derived_dir", "fast_schema", "python_checks", "validate_fast",
]

DERIVED_FOLDER = "derived-xsd10"  # below the schema folder
DERIVED_MAIN = schemas.SCHEMA_NAMES["crossref"]  # the main file, below DERIVED_FOLDER
DERIVATION = 2  # bump when what derive() writes changes
MAX_ERRORS = 200  # as the strict path

NS = "http://www.crossref.org/schema/5.5.0"
XSD = "http://www.w3.org/2001/XMLSchema"
VC = "http://www.w3.org/2007/XMLSchema-versioning"
MATHML = "http://www.w3.org/1998/Math/MathML"
XML = "http://www.w3.org/XML/1998/namespace"

# Conventional prefixes for the namespaces a message may name ({ns}local -> prefix:local).
_PREFIXES = {
    NS: "", "http://www.ncbi.nlm.nih.gov/JATS1": "jats:", "http://www.crossref.org/fundref.xsd": "fr:",
    "http://www.crossref.org/fundingdata5.5.0.xsd": "fd:", "http://www.crossref.org/AccessIndicators.xsd": "ai:",
    "http://www.crossref.org/relations.xsd": "rel:", "http://www.crossref.org/clinicaltrials.xsd": "ct:",
    MATHML: "mml:", XML: "xml:", "http://www.w3.org/1999/xlink": "xlink:",
    "http://www.w3.org/2001/XMLSchema-instance": "xsi:", "http://www.niso.org/schemas/ali/1.0/": "ali:",
}

# XSD 1.1-only syntax: the derivation removes xsd:assert and vc:minVersion and refuses the rest.
_XSD11_ELEMENTS = ("assertion", "openContent", "defaultOpenContent", "alternative", "override")
_XSD11_ATTRIBUTES = ("notQName", "notNamespace", "defaultAttributes", "defaultAttributesApply", "inheritable",
                     "xpathDefaultNamespace")
_XSD11_TYPES = ("anyAtomicType", "dateTimeStamp", "dayTimeDuration", "yearMonthDuration", "error")
_VC_ATTRIBUTES = ("minVersion", "maxVersion", "typeAvailable", "typeUnavailable", "facetAvailable",
                  "facetUnavailable")
_REFERENCES = ("type", "base", "itemType")  # attributes of schema components that name a type

# Built-in types XSD 1.1 reads differently: replaced by xs:token; dates are then checked in Python.
_RELAXED = ("anyURI", "date", "gYear")
_IDS = ("ID", "IDREF", "IDREFS")
# Built-in list types have minLength 1, which libxml2 does not apply: the derivation states it.
_LISTS = ("NMTOKENS", "IDREFS", "ENTITIES")

# The shapes of the asserts the Python checks implement (whitespace collapsed).
_VOCABULARY_ASSERT = re.compile(r"not\(@vocab='([a-z]+)'\) or @type = \(\s*((?:'[a-z-]+'\s*,\s*)*'[a-z-]+')\s*\)")
_PERSON_ASSERT = "exists(@contributor_role) or exists(*:role)"

# An attribute kind is keyed by (namespace of the element that carries it, attribute name in Clark
# notation); None as namespace: any element (a global, qualified attribute such as xml:id).
AttributeKey = tuple[str | None, str]


@dataclass(frozen=True)
class RemovedAssert:
    """An ``xsd:assert`` of the official files that the derived schema leaves to Python."""

    file: str  # below the schema folder
    line: int
    element: str  # the global element whose type holds it
    test: str  # the XPath 2.0 test, whitespace collapsed


@dataclass(frozen=True)
class Derived:
    """The XSD 1.0 form of the official bundle, what was changed, and what Python must check."""

    files: dict[str, bytes]  # relative path (as in schemas.PINNED) -> derived XSD 1.0 text
    removed_asserts: tuple[RemovedAssert, ...]
    changes: tuple[str, ...]  # every other change, one line each
    vocabularies: dict[str, frozenset[str]]  # role vocabulary -> its types, from the asserts
    dates: dict[AttributeKey, str]  # attribute -> "date" | "gYear", relaxed to xs:token
    ids: frozenset[AttributeKey]  # attributes of type xs:ID
    idrefs: frozenset[AttributeKey]  # attributes of type xs:IDREF or xs:IDREFS
    # attribute -> its enumerated values, where the derived schema keeps only the base type
    enumerations: dict[AttributeKey, frozenset[str]] = field(default_factory=dict)
    preserved: frozenset[AttributeKey] = frozenset()  # of those, the ones compared as written (xs:string)


class _Refuse(Exception):
    pass


# --- Deriving -------------------------------------------------------------------------------

def derive(dir: str | Path | None = None) -> Derived:
    """The derived XSD 1.0 bundle of the verified official files (raises ``schemas.SchemasUnavailable``)."""
    return _derive(schemas._usable(dir))


@functools.cache
def _derive(folder: Path) -> Derived:
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    trees: dict[str, etree._ElementTree] = {}
    try:
        for relative in sorted(schemas.PINNED):
            if relative.endswith(".xsd"):
                try:
                    data = (folder / relative).read_bytes()
                    if hashlib.sha256(data).hexdigest() != schemas.PINNED[relative]:  # changed since verified
                        raise _Refuse(f"{relative} is not the official file")
                    trees[relative] = etree.fromstring(data, parser, base_url=str(folder / relative)).getroottree()
                except (etree.XMLSyntaxError, OSError) as err:
                    raise _Refuse(f"{relative} cannot be read ({err})") from err
        namespaces = _target_namespaces(trees)
        work = _Work()
        for relative, tree in trees.items():
            _derive_file(relative, tree, namespaces[relative], work)
        vocabularies = _rules(work.removed)
        ids, idrefs = _check_kinds(work)
        for key, values in work.enumerations.items():
            if work.counts.get(key) != len(values) or len({frozenset(v) for v in values}) != 1:
                raise _Refuse(f"attribute {key[1]} in {key[0]} has declarations other than its long enumeration")
    except _Refuse as refused:
        raise _unusable(str(refused)) from None
    files = {relative: b"<?xml version='1.0' encoding='UTF-8'?>\n" + etree.tostring(tree, encoding="UTF-8")
             for relative, tree in trees.items()}
    enumerations = {key: frozenset(values[0]) for key, values in work.enumerations.items()}
    return Derived(files, tuple(work.removed), tuple(work.changes), vocabularies, dict(work.dates), ids, idrefs,
                   enumerations, frozenset(work.preserved))


@dataclass
class _Work:
    removed: list[RemovedAssert] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    dates: dict[AttributeKey, str] = field(default_factory=dict)
    declared: dict[AttributeKey, set[str]] = field(default_factory=dict)  # every attribute's type(s)
    counts: dict[AttributeKey, int] = field(default_factory=dict)  # declarations per attribute
    enumerations: dict[AttributeKey, list[set[str]]] = field(default_factory=dict)  # long ones, moved to Python
    preserved: set[AttributeKey] = field(default_factory=set)  # of those, xs:string ones (whitespace kept)


def _target_namespaces(trees: dict[str, etree._ElementTree]) -> dict[str, str | None]:
    """Each file's target namespace; a file without one (a chameleon include) takes its includer's."""
    found: dict[str, str | None] = {}
    included: dict[str, set[str]] = {}  # file -> the files that include it
    for relative, tree in trees.items():
        root = tree.getroot()
        if root.get("targetNamespace") is not None:
            found[relative] = root.get("targetNamespace")
        for include in root.iter(f"{{{XSD}}}include"):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(relative), include.get("schemaLocation", "")))
            included.setdefault(target, set()).add(relative)
    for _ in range(len(trees)):
        for relative in trees:
            if relative not in found and included.get(relative):
                owners = {found[o] for o in included[relative] if o in found}
                if len(owners) > 1:
                    raise _Refuse(f"{relative} is included into several namespaces")
                if owners:
                    found[relative] = owners.pop()
    return {relative: found.get(relative) for relative in trees}


def _builtin(element: etree._Element, value: str | None) -> str | None:
    """The local name of a built-in XSD type named by the QName ``value`` in ``element``'s scope."""
    if not value:
        return None
    prefix, _, local = value.rpartition(":")
    return local if element.nsmap.get(prefix or None) == XSD else None


def _derive_file(relative: str, tree: etree._ElementTree, namespace: str | None, work: _Work) -> None:
    root = tree.getroot()
    here = posixpath.dirname(relative)
    for element in list(root.iter(f"{{{XSD}}}assert")):
        owner = next((a.get("name") for a in element.iterancestors(f"{{{XSD}}}element") if a.get("name")), "?")
        work.removed.append(RemovedAssert(relative, element.sourceline or 0, owner,
                                          " ".join(element.get("test", "").split())))
        if element.tail and element.tail.strip():
            raise _Refuse(f"{relative}: text after the assert on line {element.sourceline}")
        element.getparent().remove(element)
    for element in root.iter(etree.Element):
        for name in _VC_ATTRIBUTES:
            if f"{{{VC}}}{name}" in element.attrib:
                if element is not root or name != "minVersion" or element.get(f"{{{VC}}}{name}") != "1.1":
                    raise _Refuse(f"{relative} line {element.sourceline}: vc:{name} is not expected here")
                del element.attrib[f"{{{VC}}}{name}"]
                work.changes.append(f"{relative}: removed vc:minVersion=\"1.1\" from xsd:schema")
    if tree.docinfo.xml_version != "1.0":
        work.changes.append(f"{relative}: XML declaration version {tree.docinfo.xml_version} written as 1.0")
    for element in root.iter(f"{{{XSD}}}import", f"{{{XSD}}}include", f"{{{XSD}}}redefine"):
        location = element.get("schemaLocation")
        target = None
        if location in schemas.REMOTE_LOCATIONS:
            target = schemas.REMOTE_LOCATIONS[location]
        elif location is None and element.get("namespace") in schemas.NAMESPACE_LOCATIONS:
            target = schemas.NAMESPACE_LOCATIONS[element.get("namespace")]
        elif location is not None and ("://" in location or location.startswith("/")):
            raise _Refuse(f"{relative} line {element.sourceline}: no local copy of {location}")
        if target is not None:
            new = posixpath.relpath(target, here or ".")
            element.set("schemaLocation", new)
            work.changes.append(f"{relative}: import of {element.get('namespace')} from "
                                f"{location or '(no schemaLocation)'} -> {new}")
    _attribute_types(relative, root, namespace, work)
    _relax(relative, root, work)
    left = sorted(_xsd11_constructs(root))
    if left:
        raise _Refuse(f"{relative} uses XSD 1.1 constructs the fast path does not handle: {', '.join(left)}")


def _attribute_types(relative: str, root: etree._Element, namespace: str | None, work: _Work) -> None:
    """Record every attribute declaration's type: the built-in it names or restricts, else "other"."""
    qualified_default = root.get("attributeFormDefault") == "qualified"
    for element in root.iter(f"{{{XSD}}}attribute"):
        name = element.get("name")
        if name is None:
            continue  # a reference: recorded where declared
        kind = _builtin(element, element.get("type"))
        simple = element.find(f"{{{XSD}}}simpleType")
        if kind is None and simple is not None:
            restriction = simple.find(f"{{{XSD}}}restriction")
            facets = [] if restriction is None else [c for c in restriction if isinstance(c.tag, str)
                                                      and c.tag != f"{{{XSD}}}annotation"]
            base = _builtin(restriction, restriction.get("base")) if restriction is not None else None
            kind = base if base is not None and not facets else f"restricted {base}" if base else None
        is_global = element.getparent() is root
        qualified = is_global or element.get("form", "qualified" if qualified_default else "unqualified") == "qualified"
        key: AttributeKey = (None, f"{{{namespace}}}{name}") if is_global else (
            namespace, f"{{{namespace}}}{name}" if qualified and namespace else name)
        work.declared.setdefault(key, set()).add(kind or "other")
        work.counts[key] = work.counts.get(key, 0) + 1
        if simple is not None and not is_global and not qualified:
            _long_enumeration(relative, element, simple, key, work)
        if kind in ("date", "gYear"):
            if is_global or qualified:
                raise _Refuse(f"{relative} line {element.sourceline}: a qualified xs:{kind} attribute")
            work.dates[key] = kind


# libxml2 checks an enumeration facet by comparing the value with each enumerated value in turn:
# the 8,107 ISO 639 codes of Crossref's ``language`` attribute cost about 2 ms per article, most
# of a deposit's validation. An enumeration this long is taken out of the derived schema (its
# base type stays, so the lexical check stays in libxml2) and checked in Python with a set.
_LONG_ENUMERATION = 256
_COLLAPSED_BASES = ("NMTOKEN", "token", "language", "Name", "NCName")  # whitespace: collapse


def _long_enumeration(relative: str, declaration: etree._Element, simple: etree._Element, key: AttributeKey,
                      work: _Work) -> None:
    restriction = simple.find(f"{{{XSD}}}restriction")
    if restriction is None:
        return
    facets = [c for c in restriction if isinstance(c.tag, str) and c.tag != f"{{{XSD}}}annotation"]
    enumerations = [c for c in facets if c.tag == f"{{{XSD}}}enumeration"]
    if len(enumerations) < _LONG_ENUMERATION:
        return
    base = _builtin(restriction, restriction.get("base"))
    if len(enumerations) != len(facets) or base not in _COLLAPSED_BASES + ("string",):
        raise _Refuse(f"{relative} line {declaration.sourceline}: a long enumeration the fast path cannot move")
    if base == "string":
        values = {c.get("value", "") for c in enumerations}
        work.preserved.add(key)
    else:
        values = {_WHITESPACE.sub(" ", c.get("value", "")).strip(" ") for c in enumerations}
    for facet in enumerations:
        restriction.remove(facet)
    work.enumerations.setdefault(key, []).append(values)
    work.changes.append(f"{relative}: the {len(enumerations)} enumerated values of attribute "
                        f"{declaration.get('name')} (line {declaration.sourceline}) checked in Python; "
                        f"xs:{base} kept")


def _relax(relative: str, root: etree._Element, work: _Work) -> None:
    """xs:anyURI -> xs:token everywhere; xs:date / xs:gYear attributes -> xs:token (checked in Python);
    the built-in list types' minLength 1 written out."""
    counts: dict[str, int] = {}
    for element in root.iter(etree.Element):
        if element.get("memberTypes") and any(_builtin(element, v) in _RELAXED + _IDS + _LISTS
                                              for v in element.get("memberTypes").split()):
            raise _Refuse(f"{relative} line {element.sourceline}: a union of a type the fast path changes")
        for attribute in _REFERENCES:
            kind = _builtin(element, element.get(attribute))
            if kind in _LISTS:
                if attribute != "type" or element.tag not in (f"{{{XSD}}}attribute", f"{{{XSD}}}element"):
                    raise _Refuse(f"{relative} line {element.sourceline}: xs:{kind} outside a declaration's type")
                restriction = etree.SubElement(etree.SubElement(element, f"{{{XSD}}}simpleType"),
                                               f"{{{XSD}}}restriction", base=element.get("type"))
                etree.SubElement(restriction, f"{{{XSD}}}minLength", value="1")
                del element.attrib["type"]
                counts[f"{kind} with its minLength 1 stated"] = counts.get(f"{kind} with its minLength 1 stated", 0) + 1
                continue
            if kind not in _RELAXED + _IDS:
                continue
            declaration = element if element.tag == f"{{{XSD}}}attribute" else None
            if element.tag == f"{{{XSD}}}restriction" and element.getparent().getparent().tag == f"{{{XSD}}}attribute":
                declaration = element.getparent().getparent()
            if kind != "anyURI" and (declaration is None or declaration.get("name") is None):
                raise _Refuse(f"{relative} line {element.sourceline}: xs:{kind} outside an attribute declaration")
            if kind in _IDS:
                continue  # kept: libxml2 checks ID syntax and uniqueness; IDREFs are resolved in Python
            prefix = element.get(attribute).rpartition(":")[0]
            element.set(attribute, f"{prefix}:token" if prefix else "token")
            counts[kind] = counts.get(kind, 0) + 1
    notes = {"anyURI": " -> xs:token (XSD 1.1: any string is an anyURI)",
             "date": " -> xs:token (checked in Python with XSD 1.1's definition)",
             "gYear": " -> xs:token (checked in Python with XSD 1.1's definition)"}
    for kind, count in sorted(counts.items()):
        what = "references" if count > 1 else "reference"
        work.changes.append(f"{relative}: {count} {what} to xs:{kind}{notes.get(kind, '')}")


def _check_kinds(work: _Work) -> tuple[frozenset[AttributeKey], frozenset[AttributeKey]]:
    """Every declaration of a date, ID or IDREF attribute must have that type, so that an attribute's
    name and its element's namespace are enough to tell its type in a document."""
    for key, kinds in work.declared.items():
        if any(kind.startswith("restricted ") and kind.split()[1] in _RELAXED + _IDS for kind in kinds):
            raise _Refuse(f"attribute {key[1]} in {key[0]} restricts a type the fast path relaxes or resolves")
    for key, kind in work.dates.items():
        if work.declared[key] != {kind}:
            raise _Refuse(f"attribute {key[1]} in {key[0]} is declared with several types: {work.declared[key]}")
    ids = frozenset(key for key, kinds in work.declared.items() if "ID" in kinds)
    idrefs = frozenset(key for key, kinds in work.declared.items() if kinds & {"IDREF", "IDREFS"})
    for key in ids:
        if work.declared[key] != {"ID"}:
            raise _Refuse(f"attribute {key[1]} in {key[0]} is declared with several types: {work.declared[key]}")
    for key in idrefs:
        if not work.declared[key] <= {"IDREF", "IDREFS"}:
            raise _Refuse(f"attribute {key[1]} in {key[0]} is declared with several types: {work.declared[key]}")
    return ids, idrefs


def _xsd11_constructs(root: etree._Element) -> Iterable[str]:
    """The XSD 1.1-only constructs in one schema document (after the derivation's changes)."""
    for element in root.iter(etree.Element):
        qname = etree.QName(element)
        line = f"line {element.sourceline}"
        if qname.namespace == XSD:
            if qname.localname in _XSD11_ELEMENTS or qname.localname == "assert":
                yield f"xsd:{qname.localname} ({line})"
            for name in _XSD11_ATTRIBUTES:
                if name in element.attrib:
                    yield f"@{name} ({line})"
            if qname.localname in ("element", "attribute") and element.get("targetNamespace") is not None:
                yield f"targetNamespace on a local declaration ({line})"
            if qname.localname == "all" and element.get("maxOccurs", "1") != "1":
                yield f"xsd:all with maxOccurs > 1 ({line})"
            if qname.localname == "all" and any(
                    etree.QName(c).localname in ("any", "group", "all", "choice", "sequence")
                    or c.get("maxOccurs", "1") not in ("0", "1") for c in element.iterchildren(etree.Element)):
                yield f"an xsd:all particle that XSD 1.0 does not allow ({line})"
            if qname.localname == "any" and "##definedSibling" in element.get("notNamespace", "") + element.get(
                    "namespace", ""):
                yield f"##definedSibling ({line})"
        for value in [element.get(a) for a in _REFERENCES] + (element.get("memberTypes") or "").split():
            if _builtin(element, value) in _XSD11_TYPES:
                yield f"the XSD 1.1 type {value} ({line})"


def _rules(removed: list[RemovedAssert]) -> dict[str, frozenset[str]]:
    """Check that the removed asserts are exactly the three rules implemented here; the role vocabularies."""
    vocabularies: dict[str, frozenset[str]] = {}
    person = 0
    for rule in removed:
        match = _VOCABULARY_ASSERT.fullmatch(rule.test)
        if rule.element == "role" and match and match.group(1) not in vocabularies:
            vocabularies[match.group(1)] = frozenset(re.findall(r"'([a-z-]+)'", match.group(2)))
        elif rule.element == "person_name" and rule.test == _PERSON_ASSERT:
            person += 1
        else:
            raise _Refuse(f"the fast path does not implement the assert on <{rule.element}> "
                          f"({rule.file} line {rule.line}): {rule.test}")
    if set(vocabularies) != {"crossref", "credit"} or person != 1:
        raise _Refuse("the official asserts are not the three rules the fast path implements: "
                      + "; ".join(f"<{r.element}> {r.test}" for r in removed))
    return vocabularies


def _unusable(reason: object) -> schemas.SchemasUnavailable:
    return schemas.SchemasUnavailable([Problem(
        "schemas.compile", "error",
        f"the XSD 1.0 form of the official Crossref schema could not be derived or compiled ({reason}); "
        "check the installation with `biblio schemas status`, or validate with strict=True")])


def derived_dir(dir: str | Path | None = None) -> Path:
    """``<schema dir>/derived-xsd10``, written (or refreshed where a file differs) from the verified official files.

    Only what differs is written, atomically; ``derivation.json`` lists every change. Raises
    ``schemas.SchemasUnavailable`` when the official files are unusable and ``OSError`` when the
    folder cannot be written.
    """
    folder = schemas._usable(dir)
    target = folder / DERIVED_FOLDER
    for relative, data in _derived_files(_derive(folder)).items():
        path = target / relative
        try:
            same = path.read_bytes() == data
        except OSError:
            same = False
        if not same:
            write_atomic(path, data)
    return target


def _derived_files(derived: Derived) -> dict[str, bytes]:
    def key(attribute: AttributeKey) -> str:
        return f"{attribute[1]} on elements of {attribute[0]}" if attribute[0] else f"{attribute[1]} anywhere"

    notes = {
        "derivation": DERIVATION,
        "from": f"{schemas.WHEEL_PROJECT} {schemas.WHEEL_VERSION}: the official files, hash-checked",
        "what": "The XSD 1.0 form of the Crossref 5.5.0 schema for libxml2 (lxml, xmllint). What it leaves out is "
                "checked by biblio.crossref_fast in Python. Generated: do not edit, do not commit.",
        "removed_asserts": [{"file": r.file, "line": r.line, "element": r.element, "test": r.test}
                            for r in derived.removed_asserts],
        "changes": list(derived.changes),
        "checked_in_python": {
            "asserts": [f"<{r.element}>: {r.test}" for r in derived.removed_asserts],
            "xsd11_dates": sorted(f"{key(a)}: xs:{kind}" for a, kind in derived.dates.items()),
            "idrefs_resolve_to_ids": sorted(key(a) for a in derived.idrefs),
            "long_enumerations": sorted(f"{key(a)}: {len(values)} values" for a, values in derived.enumerations.items()),
        },
    }
    files = dict(derived.files)
    files["derivation.json"] = (json.dumps(notes, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    return files


# --- Compiling ------------------------------------------------------------------------------

@dataclass
class FastSchema:
    """The compiled derived schema and what it leaves to Python.

    ``light`` is the derived schema with ``schemas.MATHML_STUB`` in place of MathML 3, whose
    compile takes libxml2 about 4 s of the 4.5; it judges every deposit without MathML exactly
    as the full form does (``schemas.needs_mathml``). ``schema``, the full form, is compiled
    on first need.
    """

    light: etree.XMLSchema
    derived: Derived
    main: Path  # where the derived main file is (or would be) written
    build_full: Callable[[], etree.XMLSchema] = field(repr=False, default=lambda: None)  # type: ignore[assignment,return-value]
    lock: threading.Lock = field(default_factory=threading.Lock)  # lxml keeps one error log per schema
    _full: etree.XMLSchema | None = field(default=None, repr=False)

    @property
    def schema(self) -> etree.XMLSchema:
        if self._full is None:
            self._full = self.build_full()
        return self._full

    def for_document(self, tree: etree._ElementTree) -> etree.XMLSchema:
        return self.schema if schemas.needs_mathml(tree) else self.light

    def validate(self, tree: etree._ElementTree) -> etree.XMLSchema:
        """Validate, with the stand-in where it decides as the full form; the schema whose error log counts."""
        return schemas.validate_routed(self.light, lambda: self.schema, tree)


def fast_schema(dir: str | Path | None = None) -> FastSchema:
    """The derived schema, compiled once per folder and process (raises ``schemas.SchemasUnavailable``).

    The first call also writes ``derived_dir()`` when it can; a read-only folder is fine, the
    compile never reads those files.
    """
    return _compile(schemas._usable(dir))


class _DerivedOnly(etree.Resolver):
    """Serves the derived files from memory; refuses every other location, local or remote."""

    def __init__(self, root: Path, files: dict[str, bytes]):
        super().__init__()
        self.root = root
        self.files = files
        self.refused: list[str] = []

    def resolve(self, url, pubid, context):
        path = url or ""
        if path.startswith("file:"):
            path = urllib.parse.unquote(urllib.parse.urlparse(path).path)
        relative = None
        if path and "://" not in path:
            try:
                relative = Path(os.path.normpath(path)).relative_to(self.root).as_posix()
            except ValueError:
                relative = None
        if relative in self.files:
            return self.resolve_string(self.files[relative], context, base_url=str(self.root / relative))
        self.refused.append(str(url))
        return self.resolve_string(b"", context)  # an empty document: the compile fails, nothing is read


@functools.cache
def _compile(folder: Path) -> FastSchema:
    derived = _derive(folder)
    root = folder / DERIVED_FOLDER
    try:
        derived_dir(folder)
    except OSError:
        pass  # a read-only schema folder: the files on disk are a convenience only
    light_files = dict(derived.files)
    light_files[_MATHML_MAIN] = schemas.MATHML_STUB
    light = _compile_files(root, light_files)
    return FastSchema(light, derived, root / DERIVED_MAIN, functools.partial(_compile_files, root, derived.files))


_MATHML_MAIN = "crossref/standard-modules/mathml3/mathml3.xsd"


def _compile_files(root: Path, files: dict[str, bytes]) -> etree.XMLSchema:
    resolver = _DerivedOnly(root, files)
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    parser.resolvers.add(resolver)
    main = root / DERIVED_MAIN
    try:
        document = etree.fromstring(files[DERIVED_MAIN], parser, base_url=str(main))
        schema = etree.XMLSchema(document)
    except (etree.LxmlError, OSError) as err:
        reason = f"locations refused: {', '.join(resolver.refused)}" if resolver.refused else err
        raise _unusable(reason) from err
    if resolver.refused:
        raise _unusable(f"locations refused: {', '.join(resolver.refused)}")
    return schema


# --- Validating -----------------------------------------------------------------------------

def validate_fast(tree: etree._ElementTree | str | Path, file: str, *, dir: str | Path | None = None) -> list[Problem]:
    """Check a deposit against the official 5.5.0 schema: XSD 1.0 with libxml2, the rest in Python.

    Accepts and rejects what the strict path (xmlschema, XSD 1.1) does. Problems are
    ``crossref.schema`` errors with the XML line and the element path, in document order, at most
    200; unusable schema files are reported as the strict path reports them. Given a file's path
    instead of a tree, a valid deposit is found so without building its tree (``validate_stream``).
    """
    if isinstance(tree, str | Path):
        if validate_stream(tree, dir=dir):
            return []
        parsed, problems = xmltools.read_xml(Path(tree))
        if parsed is None:
            return problems
        tree = parsed
    try:
        compiled = fast_schema(dir)
    except schemas.SchemasUnavailable as missing:
        return [Problem(p.code, p.severity, p.message, file=file) for p in missing.problems]
    if tree.docinfo.doctype:
        entities = list(itertools.islice(tree.iter(etree.Entity), MAX_ERRORS))
        if entities:  # libxml2 cannot validate them, and what they stand for is unknown without expanding them
            return [Problem("crossref.schema", "error", f"the entity reference {entity.text} is not expanded: biblio "
                            "reads XML without expanding entities, so it cannot check what the reference stands for; "
                            "write the text itself", path=xmltools.element_path(entity.getparent()), file=file,
                            line=entity.getparent().sourceline) for entity in entities]
    with compiled.lock:
        try:
            schema = compiled.validate(tree)
        except schemas.SchemasUnavailable as missing:
            return [Problem(p.code, p.severity, p.message, file=file) for p in missing.problems]
        except etree.XMLSchemaValidateError as err:
            return [Problem("crossref.schema", "error", f"libxml2 could not validate this document ({err})",
                            file=file)]
        entries = list(schema.error_log)
    found: list[tuple[int, int, Problem]] = []
    errors = [entry for entry in entries if entry.level >= etree.ErrorLevels.ERROR]
    for order, entry in enumerate(errors[:MAX_ERRORS]):
        element = _element_at(tree, entry.path)
        if element is None:
            problem = Problem("crossref.schema", "error", _reason(entry.message), file=file, line=entry.line or None)
        else:
            where = xmltools.element_path(element)
            problem = Problem("crossref.schema", "error", f"{_reason(entry.message)} (in <{etree.QName(element).localname}>)",
                              path=where, file=file, line=element.sourceline)
        found.append((problem.line or 0, order, problem))
    for order, problem in enumerate(python_checks(tree, file, compiled.derived), start=len(found)):
        found.append((problem.line or 0, order, problem))
    found.sort(key=lambda item: (item[0], item[1]))
    return [problem for _, _, problem in found[:MAX_ERRORS]]


def python_checks(tree: etree._ElementTree, file: str, derived: Derived | None = None) -> list[Problem]:
    """What the derived XSD 1.0 schema leaves out: the three asserts, XSD 1.1 dates, IDREFs that resolve.

    One pass over the document; elements the schema does not validate are left out as the schema
    leaves them out.
    """
    derived = derived if derived is not None else derive()
    skipped = _skipped(tree)
    scan = _AttributeScan(derived)
    scan.feed(tree.iter(etree.Element), skipped)
    problems = check_asserts(tree, file, derived.vocabularies, skipped=skipped)
    problems += scan.value_problems(file)
    for element, name in scan.references:
        for token in element.get(name).split():
            if token not in scan.known:
                problems.append(_problem(element, file, f"attribute {_names(name)}: IDREF '{token}' does not name "
                                                        "an ID of the document"))
    return problems


class _AttributeScan:
    """The attributes the derived schema leaves to Python (dates, IDs, IDREFs, long enumerations),
    gathered from elements as they are fed, so a deposit can be checked a part at a time."""

    def __init__(self, derived: Derived):
        self.derived = derived
        self.keys = set(derived.dates) | derived.ids | derived.idrefs | set(derived.enumerations)
        self.names = {name for _, name in self.keys}
        self.values: list[tuple[etree._Element, str, frozenset[str]]] = []
        self.dates: list[tuple[etree._Element, str, str]] = []
        self.known: set[str] = set()
        self.repeated = False  # an ID given twice (libxml2 reports it on a whole tree, not when streaming)
        self.references: list[tuple[etree._Element, str]] = []

    def feed(self, elements: Iterable[etree._Element], skipped: set[etree._Element]) -> None:
        derived, keys, names = self.derived, self.keys, self.names
        for element in elements:
            attributes = element.keys()
            if not attributes or names.isdisjoint(attributes) or (skipped and element in skipped):
                continue
            namespace = etree.QName(element).namespace
            for name in names.intersection(attributes):
                key = (namespace, name) if (namespace, name) in keys else (None, name)
                if key in derived.dates:
                    self.dates.append((element, name, derived.dates[key]))
                if key in derived.ids:
                    value = _WHITESPACE.sub(" ", element.get(name)).strip(" ")
                    self.repeated = self.repeated or value in self.known
                    self.known.add(value)
                if key in derived.idrefs:
                    self.references.append((element, name))
                if key in derived.enumerations:
                    self.values.append((element, name, derived.enumerations[key]))

    def value_problems(self, file: str) -> list[Problem]:
        """Enumerated values and dates found so far that the schema would refuse; both lists are emptied."""
        derived, problems = self.derived, []
        for element, name, values in self.values:
            value = element.get(name)
            namespace = etree.QName(element).namespace
            if (namespace, name) not in derived.preserved and (None, name) not in derived.preserved:
                value = _WHITESPACE.sub(" ", value).strip(" ")
            if value not in values:
                problems.append(_problem(element, file, f"attribute {_names(name)}: '{value}' is not one of the "
                                                        f"{len(values):,} values the schema enumerates"))
        if self.dates:
            from elementpath.datatypes import Date, GregorianYear  # the XSD 1.1 datatypes the strict path uses

            for element, name, kind in self.dates:
                value = _WHITESPACE.sub(" ", element.get(name)).strip(" ")
                try:
                    (Date if kind == "date" else GregorianYear).fromstring(value)
                except (ValueError, TypeError, ArithmeticError) as err:
                    problems.append(_problem(element, file, f"attribute {_names(name)}: '{value}' is not a valid "
                                                            f"value of the atomic type 'xs:{kind}' ({err})"))
        self.values, self.dates = [], []
        return problems


_STREAM_CHUNK = 1 << 20  # bytes fed to libxml2 at a time: a few dozen articles of a deposit


def validate_stream(path: str | Path, *, dir: str | Path | None = None) -> bool:
    """Whether a deposit file is valid, found in one streamed pass that keeps one journal_article at a time.

    libxml2 validates while it parses (the MathML stand-in schema); each journal_article is
    checked in Python as it ends (asserts, dates, enumerations, IDs) and then dropped; IDREFs are
    resolved at the end. True only when ``validate_fast`` on the whole tree would find nothing;
    False when the pass found a problem or cannot decide alone (MathML, a DOCTYPE, another
    namespace): the caller then parses the whole file and ``validate_fast`` words the problems.
    """
    try:
        compiled = fast_schema(dir)
    except schemas.SchemasUnavailable:
        return False
    derived = compiled.derived
    scan = _AttributeScan(derived)
    tokens: set[str] = set()
    no_skip: set[etree._Element] = set()
    article = f"{{{NS}}}journal_article"

    def clean(part) -> bool:
        if next(part.iter(f"{{{MATHML}}}*"), None) is not None:  # the full MathML module would decide
            return False
        scan.feed(part.iter(etree.Element), no_skip)
        if check_asserts(part, "", derived.vocabularies, skipped=no_skip) or scan.value_problems("") \
                or scan.repeated:
            return False
        for element, name in scan.references:
            tokens.update(element.get(name).split())
        scan.references = []
        return True

    with compiled.lock:
        try:
            parser = etree.XMLPullParser(events=("end",), tag=article, schema=compiled.light,
                                         resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                                         remove_blank_text=False)
            with open(path, "rb") as stream:
                while chunk := stream.read(_STREAM_CHUNK):
                    parser.feed(chunk)
                    for _, element in parser.read_events():
                        if not clean(element):
                            return False
                        element.getparent().remove(element)  # checked: let it go
            root = parser.close()
            for _, element in parser.read_events():  # any the last bytes completed
                if not clean(element):
                    return False
                element.getparent().remove(element)
        except (etree.XMLSyntaxError, OSError):  # a schema error, malformed XML: worded by the whole-tree path
            return False
    tree = root.getroottree()
    if etree.QName(root).namespace != NS or tree.docinfo.doctype or not clean(root):
        return False
    return tokens <= scan.known


_WHITESPACE = re.compile(r"[ \t\n\r]+")


def _skipped(tree: etree._ElementTree) -> set[etree._Element]:
    """The elements the schema does not validate: the foreign content of MathML annotation-xml
    (``processContents="skip"``), the only wildcard of the bundle that admits Crossref or JATS elements."""
    skipped: set[etree._Element] = set()
    for annotation in tree.iter(f"{{{MATHML}}}annotation-xml"):
        for child in annotation.iterchildren(etree.Element):
            if etree.QName(child).namespace != MATHML:
                skipped.update(child.iter(etree.Element))
    return skipped


def check_asserts(tree: etree._ElementTree, file: str, vocabularies: dict[str, frozenset[str]] | None = None, *,
                  skipped: set[etree._Element] | None = None) -> list[Problem]:
    """The three XSD 1.1 asserts of the official schema, checked over ``tree``, as schema errors.

    Evaluated as xmlschema evaluates them: on every ``role`` and ``person_name`` of the Crossref
    namespace that the schema validates, with attribute values compared as written.
    """
    if vocabularies is None:
        vocabularies = derive().vocabularies
    if skipped is None:
        skipped = _skipped(tree)
    problems = []
    for element in tree.iter(f"{{{NS}}}person_name", f"{{{NS}}}role"):
        if skipped and element in skipped:
            continue
        if element.tag == f"{{{NS}}}person_name":
            if element.get("contributor_role") is None and not any(
                    etree.QName(child).localname == "role" for child in element.iterchildren(etree.Element)):
                problems.append(_problem(
                    element, file, "assertion failed (exists(@contributor_role) or exists(*:role)): a person_name "
                    "needs a contributor_role attribute or at least one role element"))
            continue
        vocab, kind = element.get("vocab"), element.get("type")
        allowed = vocabularies.get(vocab or "")
        if allowed is not None and kind not in allowed:
            what = f"type '{kind}' is" if kind is not None else "a role without a type is"
            problems.append(_problem(
                element, file, f"assertion failed (not(@vocab='{vocab}') or @type = (...)): {what} not in the "
                f"'{vocab}' vocabulary ({', '.join(sorted(allowed))})"))
    return problems


def _problem(element: etree._Element, file: str, reason: str) -> Problem:
    return Problem("crossref.schema", "error", f"{reason} (in <{etree.QName(element).localname}>)",
                   path=xmltools.element_path(element), file=file, line=element.sourceline)


# --- Messages -------------------------------------------------------------------------------

_CLARK = re.compile(r"\{([^}]*)\}")
_SUBJECT = re.compile(r"^Element '[^']*'(?:, attribute '([^']*)')?: ")
_STEP = re.compile(r"^(?:(\*)|(?:([^:\[\]]+):)?([^:\[\]]+))(?:\[(\d+)\])?$")


def _names(text: str) -> str:
    """``{namespace}local`` -> ``prefix:local`` for the namespaces of a deposit (crossref's own: no prefix)."""
    return _CLARK.sub(lambda m: _PREFIXES.get(m.group(1), f"{{{m.group(1)}}}"), text)


def _reason(message: str) -> str:
    """libxml2's message without the element it names (the path says that), like the strict path's reasons."""
    text = message.strip()
    subject = _SUBJECT.match(text)
    if subject:
        text = (f"attribute {_names(subject.group(1))}: " if subject.group(1) else "") + text[subject.end():]
    text = _names(text).strip().rstrip(".")
    if len(text) > 300:  # e.g. the 8,000 language codes of an enumeration
        text = text[:300].rsplit(" ", 1)[0] + " …"
    return text


def _element_at(tree: etree._ElementTree, path: str | None) -> etree._Element | None:
    """The element of a libxml2 node path (``/*/*[2]/jats:abstract[1]``), walked as libxml2 wrote it."""
    if not path or not path.startswith("/"):
        return None
    node: etree._Element | None = None
    for step in path[1:].split("/"):
        match = _STEP.match(step)
        if match is None:
            return node  # text(), comment(), an attribute: the element so far
        generic, prefix, name, index = match.group(1), match.group(2), match.group(3), int(match.group(4) or 1)
        candidates = [tree.getroot()] if node is None else list(node.iterchildren(etree.Element))
        if not generic:
            candidates = [c for c in candidates if etree.QName(c).localname == name and c.prefix == prefix
                          and (prefix is not None or etree.QName(c).namespace is None)]
        if index > len(candidates):
            return node
        node = candidates[index - 1]
    return node
