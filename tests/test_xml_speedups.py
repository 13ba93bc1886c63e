"""The XML writers build text, not lxml trees: the bytes and notes must be those lxml gives.

lxml is the oracle: random trees of random strings (control characters, ``&<>"``, CR, tab,
astral characters, lone surrogates) are built with ``xmltools.Builder`` and with lxml (values
lxml refuses cleaned with ``clean_text``); the serialisations must match.
"""

from typing import ClassVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from biblio.formats import xmltools

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NSMAP = {None: "urn:default", "x": "urn:x", "y": "urn:y"}

SPECIAL = list("&<>\"'\r\n\t \x00\x01\x08\x0b\x0c\x1f\x7f\x85\u2028\ufeff\ufffe\uffff\ud800\udfff") + [
    "\U0001F600", "]]>", "&amp;", "é"]
pieces = st.one_of(st.sampled_from(SPECIAL), st.integers(0, 0x10FFFF).map(chr))
strings = st.lists(pieces, max_size=8).map("".join)
tags = st.sampled_from(["{urn:default}a", "{urn:default}b-c", "{urn:x}d", "{urn:y}e"])
attribute_names = st.sampled_from(["k", "m-n", XML_LANG, "{urn:x}z"])


@st.composite
def specs(draw, depth=0):
    """(how it is added, tag, attributes, text, children)."""
    children = draw(st.lists(specs(depth=depth + 1), max_size=3)) if depth < 4 and draw(st.booleans()) else []
    text = draw(st.one_of(st.none(), strings))
    how = "leaf" if not children and text is not None and draw(st.booleans()) else draw(
        st.sampled_from(["sub", "node"]))
    attributes = draw(st.dictionaries(attribute_names, strings, max_size=3))
    return how, draw(tags), attributes, text, children


class _Builder(xmltools.Builder):
    namespace = "urn:default"
    prefixes: ClassVar[dict[str | None, str | None]] = {uri: prefix for prefix, uri in NSMAP.items()}


def _build_text(spec, parent, builder):
    how, tag, attributes, text, children = spec
    if how == "leaf":
        builder.leaf(parent, tag, text, "p", attributes or None)
        return
    if how == "sub":
        namespace, local = tag[1:].split("}")
        element = builder.sub(parent, local, text, path="p", namespace=namespace, attrs=attributes)
    else:
        element = builder.node(parent, tag, attributes, "p")
        if text is not None:
            element.text = builder.escaped(text, "p")
    for child in children:
        _build_text(child, element, builder)


def _clean(value, notes):
    cleaned, changed = xmltools.clean_text(value)
    notes.append(changed)
    return cleaned


def _build_lxml(spec, parent, notes):
    how, tag, attributes, text, children = spec
    if how == "sub":
        attributes = {key: value for key, value in attributes.items() if value}
    element = etree.SubElement(parent, tag, {key: _clean(value, notes) for key, value in attributes.items()})
    if text is not None:
        element.text = _clean(text, notes)
    for child in children:
        _build_lxml(child, element, notes)


@settings(max_examples=300, deadline=None)
@given(st.lists(specs(), max_size=4), st.dictionaries(attribute_names, strings, max_size=2))
def test_built_text_is_what_lxml_serialises(children, root_attributes):
    builder = _Builder()
    root = builder.root("{urn:default}root", NSMAP, root_attributes)
    for child in children:
        _build_text(child, root, builder)
    notes: list[bool] = []
    expected = etree.Element("{urn:default}root", {k: _clean(v, notes) for k, v in root_attributes.items()},
                             nsmap=NSMAP)
    for child in children:
        _build_lxml(child, expected, notes)
    assert xmltools.serialise(root).encode("utf-8") == etree.tostring(expected, encoding="UTF-8", pretty_print=True)
    assert [p.code for p in builder.problems] == ["xml.illegal-character"] * sum(notes)


@settings(max_examples=300, deadline=None)
@given(strings)
def test_lxml_refuses_exactly_what_clean_text_removes(value):
    element = etree.Element("a")
    try:
        element.text = value
        refused = False
    except ValueError:
        refused = True
    assert refused == xmltools.clean_text(value)[1]
    with pytest.raises(ValueError) if refused else _nothing():
        xmltools.Element("a").set("b", value)


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@pytest.mark.parametrize("depth", [1, 29, 30, 31, 40, 70])
def test_deep_trees_are_indented_as_libxml2_indents(depth):
    builder = _Builder()
    root = parent = builder.root("{urn:default}root", NSMAP, {})
    expected = expected_parent = etree.Element("{urn:default}root", nsmap=NSMAP)
    for _ in range(depth):
        parent = builder.sub(parent, "a")
        expected_parent = etree.SubElement(expected_parent, "{urn:default}a")
    builder.leaf(parent, "{urn:x}d", "t", "p", {"k": "v"})
    builder.sub(parent, "b-c")
    etree.SubElement(expected_parent, "{urn:x}d", k="v").text = "t"
    etree.SubElement(expected_parent, "{urn:default}b-c")
    assert xmltools.serialise(root).encode("utf-8") == etree.tostring(expected, encoding="UTF-8", pretty_print=True)
