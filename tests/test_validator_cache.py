"""The MathML stand-in: documents without MathML get the same verdict and errors from the quick
schema as from the one with the official MathML 3 module; documents with MathML get the official one."""

from __future__ import annotations

import test_crossref_fast as corpus
from lxml import etree

from biblio import crossref_fast, schemas
from biblio.formats import xmltools


def _errors(schema: etree.XMLSchema, tree) -> list[tuple]:
    schema.validate(tree)
    return [(e.line, e.path, e.message) for e in schema.error_log]


def _texts() -> list[str]:
    texts = [corpus.GOLDEN_TEXT] + [corpus.broken_text(name) for name in sorted(corpus.BROKEN)]
    texts += [text for text in corpus.VALID_BY_HAND.values() if isinstance(text, str)]
    texts += [corpus.mutations(corpus.GOLDEN_TEXT.encode(), seed) for seed in range(40)]
    return texts


def test_crossref_stand_in_gives_the_same_errors_as_the_full_schema():
    compiled = crossref_fast.fast_schema()
    without = with_math = 0
    for text in _texts():
        tree = etree.fromstring(text.encode("utf-8"), xmltools.safe_parser()).getroottree()
        if schemas.needs_mathml(tree):
            with_math += 1
            assert compiled.for_document(tree) is compiled.schema
            continue
        without += 1
        assert _errors(compiled.light, tree) == _errors(compiled.schema, tree)
    assert without > 30 and with_math > 0


def test_jats_stand_in_gives_the_same_errors_as_the_full_schema(example_path, tmp_path):
    from biblio import api

    report = api.build(example_path, tmp_path / "out", jobs=1)
    routed = schemas.jats_schema()
    files = [f.path for f in report.files if f.format == "jats"]
    assert files
    for path in files:
        tree = etree.parse(str(path), xmltools.safe_parser())
        assert not schemas.needs_mathml(tree)
        assert _errors(routed.light, tree) == _errors(routed.full, tree) == []
        # broken in a few ways: the same errors from both
        root = tree.getroot()
        for mutation in range(4):
            broken = etree.fromstring(etree.tostring(root), xmltools.safe_parser())
            elements = list(broken.iter(etree.Element))
            victim = elements[(mutation * 7 + 3) % len(elements)]
            if mutation == 0 and victim.getparent() is not None:
                victim.getparent().remove(victim)
            elif mutation == 1:
                victim.tag = "bogus"
            elif mutation == 2:
                victim.set("bogus", "1")
            else:
                victim.append(etree.Element("title"))
            doc = broken.getroottree()
            assert _errors(routed.light, doc) == _errors(routed.full, doc)
    math = etree.fromstring(b"<article xmlns:mml='http://www.w3.org/1998/Math/MathML'><front>"
                            b"<mml:math><mml:bogus/></mml:math></front></article>").getroottree()
    assert schemas.needs_mathml(math) and routed.for_document(math) is routed.full
    assert routed.validate(math) is False
    assert [(e.line, e.message) for e in routed.error_log] == [(line, message) for line, _, message in
                                                              _errors(routed.full, math)]


def test_xsi_type_takes_the_full_schema_and_mathml_attributes_need_not():
    xsi = etree.fromstring(b"<article xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance' xsi:type='x'/>")
    assert schemas.needs_mathml(xsi.getroottree())
    # MathML 3 declares no global attribute: an attribute in its namespace meets no declaration either way
    attribute = etree.fromstring(b"<article xmlns:m='http://www.w3.org/1998/Math/MathML' m:display='block'>"
                                 b"<front/></article>").getroottree()
    assert not schemas.needs_mathml(attribute)
    routed = schemas.jats_schema()
    assert _errors(routed.light, attribute) == _errors(routed.full, attribute)
    assert not schemas.needs_mathml(etree.fromstring(b"<article><front/></article>").getroottree())
    # routed: an invalid document with xsi:type is judged by the full schema
    assert schemas.validate_routed(routed.light, lambda: routed.full, xsi.getroottree()) is routed.full


def test_long_enumerations_checked_in_python_decide_as_the_strict_path():
    from biblio import crossref_fast

    strict = schemas.crossref_schema()
    derived = crossref_fast.derive()
    assert {name for _, name in derived.enumerations} == {"language", "mime_type"}
    assert {name for _, name in derived.preserved} == {"mime_type"}  # xs:string: compared as written
    old = '<journal_article publication_type="full_text" language="kk">'
    for value, valid in ((" kk ", True), ("ru", True), ("xx", False), ("KK", False), ("k k", False), ("", False)):
        text = corpus.variant(old, old.replace('"kk"', f'"{value}"'))
        strict_errors, fast_problems = corpus.verdicts(strict, text)
        assert (not strict_errors, not fast_problems) == (valid, valid), (value, strict_errors[:1], fast_problems)
