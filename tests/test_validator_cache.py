"""The MathML stand-in: documents without MathML get the same verdict and errors from the quick
schema as from the one with the official MathML 3 module; documents with MathML get the official one."""

from __future__ import annotations

import copy
import random

from lxml import etree
from test_crossref import BROKEN, GOLDEN_TEXT, PLACES, SURNAME, variant

from biblio import schemas
from biblio.formats import xmltools
from biblio.formats.crossref.compiled import compiled_schema


def _errors(schema: etree.XMLSchema, tree) -> list[tuple]:
    schema.validate(tree)
    return [(e.line, e.path, e.message) for e in schema.error_log]


MATH = "<mml:math xmlns:mml='http://www.w3.org/1998/Math/MathML'>{}</mml:math>"


def _mutation(seed: int) -> str:
    """The golden deposit with one random edit: an element removed, doubled, renamed, or its text changed."""
    rng = random.Random(seed)
    root = etree.fromstring(GOLDEN_TEXT.encode(), xmltools.safe_parser())
    elements = list(root.iter(etree.Element))[1:]
    element = rng.choice(elements)
    parent = element.getparent()
    action = rng.choice(("remove", "double", "rename", "text"))
    if action == "remove":
        parent.remove(element)
    elif action == "double":
        parent.insert(parent.index(element), copy.deepcopy(element))
    elif action == "rename":
        element.tag = rng.choice(elements).tag
    elif len(element) == 0:
        element.text = rng.choice(["", "x", "13", "-1", "2025-13-01", "a" * 40])
    return etree.tostring(root, encoding="unicode")


def _texts() -> list[str]:
    texts = [GOLDEN_TEXT, *BROKEN.values(), *(text for _, text in PLACES.values())]
    texts += [variant(SURNAME, SURNAME + MATH.format("<mml:bogus/>")), variant(SURNAME, "<surname>E"
                                                                                + MATH.format("<mml:mi>x</mml:mi>")
                                                                                + "</surname>")]
    texts += [_mutation(seed) for seed in range(30)]
    return texts


def test_crossref_stand_in_gives_the_same_errors_as_the_full_schema():
    compiled = compiled_schema()
    without = with_math = 0
    for text in _texts():
        tree = etree.fromstring(text.encode("utf-8"), xmltools.safe_parser()).getroottree()
        if schemas.needs_mathml(tree):
            with_math += 1
            assert compiled.validate(tree) is compiled.schema
            continue
        without += 1
        assert _errors(compiled.light, tree) == _errors(compiled.schema, tree)
    assert without > 30 and with_math > 0


def test_xsi_type_takes_the_full_schema_and_mathml_attributes_need_not():
    xsi = etree.fromstring(b"<article xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance' xsi:type='x'/>")
    assert schemas.needs_mathml(xsi.getroottree())
    # MathML 3 declares no global attribute: an attribute in its namespace meets no declaration either way
    attribute = etree.fromstring(b"<article xmlns:m='http://www.w3.org/1998/Math/MathML' m:display='block'>"
                                 b"<front/></article>").getroottree()
    assert not schemas.needs_mathml(attribute)
    routed = compiled_schema()
    assert _errors(routed.light, attribute) == _errors(routed.schema, attribute)
    assert not schemas.needs_mathml(etree.fromstring(b"<article><front/></article>").getroottree())
    # routed: an invalid document with xsi:type is judged by the full schema
    assert schemas.validate_routed(routed.light, lambda: routed.schema, xsi.getroottree()) is routed.schema


def test_long_enumerations_checked_in_python_decide_as_the_strict_path(tmp_path):
    from biblio.formats import crossref
    from biblio.formats.crossref import xsd10

    derived = xsd10.derive()
    assert {name for _, name in derived.enumerations} == {"language", "mime_type"}
    assert {name for _, name in derived.preserved} == {"mime_type"}  # xs:string: compared as written
    old = '<journal_article publication_type="full_text" language="kk">'
    path = tmp_path / "deposit.xml"
    for value, valid in ((" kk ", True), ("ru", True), ("xx", False), ("KK", False), ("k k", False), ("", False)):
        path.write_text(variant(old, old.replace('"kk"', f'"{value}"')), encoding="utf-8")
        default, strict = crossref.validate(path), crossref.validate(path, strict=True)
        assert (not strict, not default) == (valid, valid), (value, strict[:1], default[:1])
