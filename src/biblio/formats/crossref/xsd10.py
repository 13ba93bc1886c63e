"""The XSD 1.0 form of the official Crossref 5.5.0 schema, derived from the verified files for libxml2.

The official schema declares XSD 1.1 (``vc:minVersion="1.1"``), which libxml2 cannot compile; the strict path
(xmlschema) is ten times slower. ``derive()`` removes the three ``xsd:assert`` rules (each must be one ``checks.py``
implements), ``vc:minVersion`` and the XML 1.1 declarations; points remote and location-less imports to the local
copies; gives ``xs:anyURI`` XSD 1.1's meaning (``xs:token``) and makes the ``xs:date`` / ``xs:gYear`` attributes
``xs:token`` (checked in Python); moves enumerations of 256 values or more to Python sets (libxml2 compares a value with
each in turn); and refuses any other XSD 1.1 construct. Every change is listed in ``derivation.json``.
"""

from __future__ import annotations

import collections
import functools
import hashlib
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ... import schemas
from ...problems import Problem

DERIVED_FOLDER = "derived-xsd10"  # below the schema folder
DERIVED_MAIN = schemas.SCHEMA_NAMES["crossref"]  # the main file, below DERIVED_FOLDER
DERIVATION = 2  # bump when what derive() writes changes

XSD = "http://www.w3.org/2001/XMLSchema"
VC = "http://www.w3.org/2007/XMLSchema-versioning"
WHITESPACE = re.compile(r"[ \t\n\r]+")  # XML whitespace, as the whiteSpace facet means it
_XSD11_ELEMENTS = ("assertion", "openContent", "defaultOpenContent", "alternative", "override")
_XSD11_ATTRIBUTES = ("notQName", "notNamespace", "defaultAttributes", "defaultAttributesApply", "inheritable",
                     "xpathDefaultNamespace")
_XSD11_TYPES = ("anyAtomicType", "dateTimeStamp", "dayTimeDuration", "yearMonthDuration", "error")
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


class DerivationRefused(Exception):
    """The official files are not what the derivation expects: it stops rather than guess."""


# --- Deriving -------------------------------------------------------------------------------

def derive(dir: str | Path | None = None) -> Derived:
    """The derived XSD 1.0 bundle of the verified official files (raises ``schemas.SchemasUnavailable``)."""
    return derived_for(schemas.usable(dir))


@functools.cache
def derived_for(folder: Path) -> Derived:
    """``derive`` for a folder already verified, once per folder and process."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    trees: dict[str, etree._ElementTree] = {}
    try:
        for relative in sorted(schemas.PINNED):
            if relative.endswith(".xsd"):
                try:
                    data = (folder / relative).read_bytes()
                    if hashlib.sha256(data).hexdigest() != schemas.PINNED[relative]:  # changed since verified
                        raise DerivationRefused(f"{relative} is not the official file")
                    trees[relative] = etree.fromstring(data, parser, base_url=str(folder / relative)).getroottree()
                except (etree.XMLSyntaxError, OSError) as err:
                    raise DerivationRefused(f"{relative} cannot be read ({err})") from err
        namespaces = _target_namespaces(trees)
        work = _Work()
        for relative, tree in trees.items():
            _derive_file(relative, tree, namespaces[relative], work)
        vocabularies = assert_rules(work.removed)
        ids, idrefs = _check_kinds(work)
        for key, values in work.enumerations.items():
            if work.counts.get(key) != len(values) or len({frozenset(v) for v in values}) != 1:
                raise DerivationRefused(f"attribute {key[1]} in {key[0]} has declarations other than its long enumeration")
    except DerivationRefused as refused:
        raise unusable(str(refused)) from None
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
                    raise DerivationRefused(f"{relative} is included into several namespaces")
                if owners:
                    found[relative] = owners.pop()
    return {relative: found.get(relative) for relative in trees}


def sourceline(element: etree._Element) -> int | None:
    """An element's line in its file (None when unknown), for problems and messages."""
    return element.sourceline  # type: ignore[return-value]  # lxml-stubs type sourceline as "..."


def _parent(element: etree._Element) -> etree._Element:
    parent = element.getparent()
    assert parent is not None, element.tag
    return parent


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
        owner = next((a.get("name", "") for a in element.iterancestors(f"{{{XSD}}}element") if a.get("name")), "?")
        work.removed.append(RemovedAssert(relative, sourceline(element) or 0, owner,
                                          " ".join(element.get("test", "").split())))
        _parent(element).remove(element)
    if root.get(f"{{{VC}}}minVersion") == "1.1":
        del root.attrib[f"{{{VC}}}minVersion"]
        work.changes.append(f"{relative}: removed vc:minVersion=\"1.1\" from xsd:schema")
    for element in root.iter(etree.Element):
        if any(etree.QName(name).namespace == VC for name in element.attrib):
            raise DerivationRefused(f"{relative} line {element.sourceline}: a vc: attribute is not expected here")
    if tree.docinfo.xml_version != "1.0":
        work.changes.append(f"{relative}: XML declaration version {tree.docinfo.xml_version} written as 1.0")
    for element in root.iter(f"{{{XSD}}}import", f"{{{XSD}}}include", f"{{{XSD}}}redefine"):
        location = element.get("schemaLocation")
        if location is None:
            target = schemas.NAMESPACE_LOCATIONS.get(element.get("namespace", ""))
        elif (target := schemas.REMOTE_LOCATIONS.get(location)) is None and (
                "://" in location or location.startswith("/")):
            raise DerivationRefused(f"{relative} line {element.sourceline}: no local copy of {location}")
        if target is not None:
            new = posixpath.relpath(target, here or ".")
            element.set("schemaLocation", new)
            work.changes.append(f"{relative}: import of {element.get('namespace')} from "
                                f"{location or '(no schemaLocation)'} -> {new}")
    _attribute_types(relative, root, namespace, work)
    _relax(relative, root, work)
    left = sorted(xsd11_constructs(root))
    if left:
        raise DerivationRefused(f"{relative} uses XSD 1.1 constructs the derivation does not handle: {', '.join(left)}")


# The 8,107 ISO 639 codes of ``language`` cost libxml2 about 2 ms per article; a set, almost nothing.
# The base type stays in the derived schema, and with it the lexical check.
_LONG_ENUMERATION = 256
_COLLAPSED_BASES = ("NMTOKEN", "token", "language", "Name", "NCName")  # whitespace: collapse


def _attribute_types(relative: str, root: etree._Element, namespace: str | None, work: _Work) -> None:
    """Record every attribute declaration's type: the built-in it names or restricts, else "other"."""
    qualified_default = root.get("attributeFormDefault") == "qualified"
    for element in root.iter(f"{{{XSD}}}attribute"):
        name = element.get("name")
        if name is None:
            continue  # a reference: recorded where declared
        kind = _builtin(element, element.get("type"))
        simple = element.find(f"{{{XSD}}}simpleType")
        restriction = None if simple is None else simple.find(f"{{{XSD}}}restriction")
        facets = [] if restriction is None else [c for c in restriction if isinstance(c.tag, str)
                                                  and c.tag != f"{{{XSD}}}annotation"]
        base = None if restriction is None else _builtin(restriction, restriction.get("base"))
        if kind is None and base is not None:
            kind = f"restricted {base}" if facets else base
        is_global = element.getparent() is root
        qualified = is_global or element.get("form", "qualified" if qualified_default else "unqualified") == "qualified"
        key: AttributeKey = (None, f"{{{namespace}}}{name}") if is_global else (
            namespace, f"{{{namespace}}}{name}" if qualified and namespace else name)
        work.declared.setdefault(key, set()).add(kind or "other")
        work.counts[key] = work.counts.get(key, 0) + 1
        enumerations = [c for c in facets if c.tag == f"{{{XSD}}}enumeration"]
        if len(enumerations) >= _LONG_ENUMERATION and not qualified:
            if len(enumerations) != len(facets) or base not in _COLLAPSED_BASES + ("string",):
                raise DerivationRefused(f"{relative} line {element.sourceline}: a long enumeration the derivation "
                                        "cannot move")
            if base == "string":
                values = {c.get("value", "") for c in enumerations}
                work.preserved.add(key)
            else:
                values = {WHITESPACE.sub(" ", c.get("value", "")).strip(" ") for c in enumerations}
            for facet in enumerations:
                _parent(facet).remove(facet)
            work.enumerations.setdefault(key, []).append(values)
            work.changes.append(f"{relative}: the {len(enumerations)} enumerated values of attribute {name} "
                                f"(line {element.sourceline}) checked in Python; xs:{base} kept")
        if kind in ("date", "gYear"):
            if is_global or qualified:
                raise DerivationRefused(f"{relative} line {element.sourceline}: a qualified xs:{kind} attribute")
            work.dates[key] = kind


def _relax(relative: str, root: etree._Element, work: _Work) -> None:
    """xs:anyURI -> xs:token everywhere; xs:date / xs:gYear attributes -> xs:token (checked in Python);
    the built-in list types' minLength 1 written out."""
    counts: collections.Counter[str] = collections.Counter()
    for element in root.iter(etree.Element):
        if (members := element.get("memberTypes")) and any(_builtin(element, v) in _RELAXED + _IDS + _LISTS
                                                           for v in members.split()):
            raise DerivationRefused(f"{relative} line {element.sourceline}: a union of a type the derivation changes")
        for attribute in _REFERENCES:
            value = element.get(attribute, "")
            kind = _builtin(element, value)
            if kind in _LISTS:
                if attribute != "type" or element.tag not in (f"{{{XSD}}}attribute", f"{{{XSD}}}element"):
                    raise DerivationRefused(f"{relative} line {element.sourceline}: xs:{kind} outside a declaration's type")
                restriction = etree.SubElement(etree.SubElement(element, f"{{{XSD}}}simpleType"),
                                               f"{{{XSD}}}restriction", base=value)
                etree.SubElement(restriction, f"{{{XSD}}}minLength", value="1")
                del element.attrib["type"]
                counts[f"{kind} with its minLength 1 stated"] += 1
                continue
            if kind not in _RELAXED + _IDS:
                continue
            declaration = element if element.tag == f"{{{XSD}}}attribute" else None
            if element.tag == f"{{{XSD}}}restriction" and _parent(_parent(element)).tag == f"{{{XSD}}}attribute":
                declaration = _parent(_parent(element))
            if kind != "anyURI" and (declaration is None or declaration.get("name") is None):
                raise DerivationRefused(f"{relative} line {element.sourceline}: xs:{kind} outside an attribute declaration")
            if kind in _IDS:
                continue  # kept: libxml2 checks ID syntax and uniqueness; IDREFs are resolved in Python
            prefix = value.rpartition(":")[0]
            element.set(attribute, f"{prefix}:token" if prefix else "token")
            counts[kind] += 1
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
            raise DerivationRefused(f"attribute {key[1]} in {key[0]} restricts a type the derivation relaxes or resolves")
        expected = ({work.dates[key]} if key in work.dates else {"ID"} if "ID" in kinds
                    else {"IDREF", "IDREFS"} if kinds & {"IDREF", "IDREFS"} else kinds)
        if not kinds <= expected:
            raise DerivationRefused(f"attribute {key[1]} in {key[0]} is declared with several types: {kinds}")
    ids = frozenset(key for key, kinds in work.declared.items() if "ID" in kinds)
    idrefs = frozenset(key for key, kinds in work.declared.items() if kinds & {"IDREF", "IDREFS"})
    return ids, idrefs


def xsd11_constructs(root: etree._Element) -> Iterable[str]:
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


def assert_rules(removed: list[RemovedAssert]) -> dict[str, frozenset[str]]:
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
            raise DerivationRefused(f"the derivation does not implement the assert on <{rule.element}> "
                          f"({rule.file} line {rule.line}): {rule.test}")
    if set(vocabularies) != {"crossref", "credit"} or person != 1:
        raise DerivationRefused("the official asserts are not the three rules the derivation implements: "
                      + "; ".join(f"<{r.element}> {r.test}" for r in removed))
    return vocabularies


def unusable(reason: object) -> schemas.SchemasUnavailable:
    """The error raised when the derived schema cannot be made or compiled."""
    return schemas.SchemasUnavailable([Problem(
        "schemas.compile", "error",
        f"the XSD 1.0 form of the official Crossref schema could not be derived or compiled ({reason}); "
        "check the installation with `biblio schemas status`, or validate with strict=True")])
