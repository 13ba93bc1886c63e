"""Fuzzing biblio's public calls (issue 20): seed inputs, mutations, and the oracle that judges each outcome.

Shared by the fast slice (``tests/test_fuzz.py``, a few inputs in every test run) and the campaign
(``bench/fuzz.py``, many more, with a report). An input is a seed (a manifest, or a file in one format)
changed by a list of mutations; each mutation is ``(name, seed)`` and deterministic, so a failing input is
reproduced from its seed name and mutation list alone.

The property, for every input and every public call (``load``, ``check``, ``validate``, ``build``,
``convert``, the CLI): a result or problems, never an exception; every error names its file and, for a
file read, a line or a field path; nothing invalid or half-written in an output folder; Crossref's default
and ``--strict`` validation give the same verdict; a record that is not read is reported, not dropped.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import random
import re
import sys
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

import biblio
from biblio import cli
from biblio.build import RECORD, REVIEW_PAGE
from biblio.problems import Problem, shown

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
EXAMPLE = ROOT / "examples" / "issue-86" / "issue.yaml"
READABLE = ("jats", "csl", "bibtex", "ris")  # the formats with a reader
SUFFIX = {"manifest.yaml": ".yaml", "manifest.json": ".json", "crossref": ".xml", "jats": ".xml",
          "csl": ".csl.json", "bibtex": ".bib", "ris": ".ris"}

# --- seeds ------------------------------------------------------------------------------------------------------

SMALL = """\
biblio: 1
journal:
  language: en
  titles: {en: Journal of Tests, kk: Сынақ журналы}
  doi_prefix: '10.5555'
  issns: [{value: 2049-3630, media: electronic}]
issue:
  year: 2025
  number: '2'
  published: 2025-06-30
  doi_pattern: '{prefix}/jt.{year}.{number}.{seq:03}'
settings:
  depositor: {name: Ann Editor, email: ann@example.org}
  registrant: Test Press
  landing_page_pattern: 'https://example.org/{suffix}'
articles:
  - language: en
    titles: {en: A first article, ru: Первая статья}
    abstracts: {en: What was found., ru: Что нашли.}
    keywords: {en: [tests, fuzzing], ru: [тесты, фаззинг]}
    contributors:
      - names: {en: {given: Priya, family: Natarajan}, ru: {given: Прия, family: Натараджан}}
        orcid: 0000-0002-1825-0097
        affiliations: [{name: {en: University of Tests}, ror: 'https://ror.org/05dxps055'}]
    pages: {first: '9', last: '22'}
    dates: {published: 2025-06-01}
    funding: [{funder: {en: Science Fund}, awards: [AP-123]}]
    citations: [1]
    references:
      - {text: 'Doe J. A cited work. J Other. 2019;5:1-9.', doi: 10.5555/abc}
  - language: kk
    titles: {kk: Екінші мақала, en: A second article}
    contributors:
      - names: {kk: {given: Әйгерім, family: Сейітова}}
    pages: {article_number: e7}
"""
"""A small manifest that uses most of the model (two articles, three languages): the base of the fast slice."""

JATS_OTHER = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Publishing DTD v1.2 20190208//EN" "JATS-journalpublishing1.dtd">
<article xmlns:xlink="http://www.w3.org/1999/xlink" article-type="research-article" dtd-version="1.2" xml:lang="en">
 <front>
  <journal-meta>
   <journal-title-group><journal-title>Journal of <italic>Tests</italic></journal-title></journal-title-group>
   <issn pub-type="epub">0317-8471</issn>
   <publisher><publisher-name>Test Press</publisher-name></publisher>
  </journal-meta>
  <article-meta>
   <article-id pub-id-type="doi">https://doi.org/10.1234/JT.2020.5</article-id>
   <title-group><article-title>Reading <italic>other</italic> JATS</article-title></title-group>
   <contrib-group>
    <contrib contrib-type="author"><string-name>Ann B. Lee</string-name><xref ref-type="aff" rid="a1"/></contrib>
    <contrib contrib-type="author"><name><surname>Smith</surname><given-names>Jo</given-names></name></contrib>
    <contrib contrib-type="author"><collab>The Test Consortium</collab></contrib>
    <aff id="a1"><label>1</label>Department of Tests, University of Somewhere, Almaty, Kazakhstan</aff>
   </contrib-group>
   <pub-date pub-type="epub"><day>05</day><month>03</month><year>2020</year></pub-date>
   <volume>12</volume><issue>3</issue><fpage>101</fpage><lpage>110</lpage>
   <abstract><p>First.</p><p>Second &amp; last.</p></abstract>
   <kwd-group><kwd>tests</kwd><kwd>JATS</kwd></kwd-group>
  </article-meta>
 </front>
 <back><ref-list><ref id="r1"><label>1</label>
  <mixed-citation>Doe J. A paper. J Other. 2019;5:5-9. doi:10.5555/xyz</mixed-citation>
 </ref></ref-list></back>
</article>
"""
"""Another publisher's JATS (front matter only, DTD 1.2, string-name, collab, plain-text aff)."""

CSL_ZOTERO = """[
  {"id": "http://zotero.org/users/1/items/ABC", "type": "article-journal",
   "title": "Саяси қатысу", "container-title": "Қоғам және Дәуір", "page": "9-22", "volume": "12",
   "issue": "2", "source": "DOI.org (Crossref)", "abstract": "Аңдатпа.", "DOI": "10.1234/ABC",
   "ISSN": "2788-5860", "language": "kk", "author": [{"family": "Сейітова", "given": "Әйгерім"},
   {"literal": "Research Group"}], "issued": {"date-parts": [["2025", 6, 30]]}},
  {"id": "x", "type": "article-journal", "title": "Another", "container-title": ["J. Lists"],
   "author": [{"family": "Lee", "given": "Ann", "non-dropping-particle": "van"}],
   "issued": {"date-parts": [[2021]]}, "ISSN": ["0317-8471", "2788-5860"], "keyword": "a, b"}
]
"""
"""A Zotero-style CSL-JSON export (string years, lists where strings are expected, a particle)."""


@dataclass(frozen=True)
class Seed:
    """One starting input: a name (reported with any failure), its kind (``manifest.yaml``, ``manifest.json`` or a
    format's name) and its bytes."""

    name: str
    kind: str
    data: bytes = field(repr=False)


def manifest_seeds() -> list[Seed]:
    """The example issue and the small manifest, each as YAML and as JSON (JSON manifests are streamed)."""
    example = EXAMPLE.read_bytes()
    seeds = [Seed("examples/issue-86/issue.yaml", "manifest.yaml", example), Seed("small.yaml", "manifest.yaml",
                                                                                  SMALL.encode())]
    for seed in list(seeds):
        data = yaml.safe_load(seed.data)
        text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
        seeds.append(Seed(seed.name.rsplit(".", 1)[0] + ".json", "manifest.json", text.encode()))
    return seeds


def file_seeds(folder: Path) -> list[Seed]:
    """Files in every format: what ``biblio.build`` writes of the example and of the small manifest, one deposit of
    two articles, and third-party files (tests/data, a Zotero CSL-JSON export, another publisher's JATS)."""
    seeds: list[Seed] = []
    folder.mkdir(parents=True, exist_ok=True)
    for name, source in (("example", EXAMPLE), ("small", None)):
        if source is None:
            source = folder / "small.yaml"
            source.write_text(SMALL, encoding="utf-8")
        out = folder / f"built-{name}"
        report = biblio.build(source, out)
        assert report.ok, [str(p) for p in report.problems if p.severity == "error"]
        for path in sorted(out.iterdir()):
            kind = "crossref" if path.name == "crossref.xml" else _kind_of(path)
            seeds.append(Seed(f"build({name})/{path.name}", kind, _steady(path.read_bytes())))
    issue, _ = biblio.load(EXAMPLE)
    assert issue is not None
    two = folder / "two.xml"
    report = biblio.export(EXAMPLE, "crossref", two, dois=[a.doi for a in issue.articles[:2] if a.doi])
    assert report.ok, [str(p) for p in report.problems]
    seeds.append(Seed("export(example, 2 DOIs)/crossref.xml", "crossref", _steady(two.read_bytes())))
    for path in sorted((TESTS / "data" / "bibtex").glob("*.bib")) + sorted((TESTS / "data" / "ris").glob("*.ris")):
        seeds.append(Seed(str(path.relative_to(ROOT)), path.parent.name, path.read_bytes()))
    seeds.append(Seed("jats-other-publisher.xml", "jats", JATS_OTHER.encode()))
    seeds.append(Seed("csl-zotero.json", "csl", CSL_ZOTERO.encode()))
    return seeds


def _steady(data: bytes) -> bytes:
    """A deposit's timestamp and batch id made fixed, so that a mutation hits the same bytes in every run."""
    data = re.sub(rb"<timestamp>\d+</timestamp>", b"<timestamp>20250101000000000</timestamp>", data)
    return re.sub(rb"<doi_batch_id>[^<]*</doi_batch_id>", b"<doi_batch_id>fuzz-seed</doi_batch_id>", data)


def _kind_of(path: Path) -> str:
    name = path.name
    return ("csl" if name.endswith(".csl.json") else "bibtex" if name.endswith(".bib")
            else "ris" if name.endswith(".ris") else "jats")


# --- mutations --------------------------------------------------------------------------------------------------

CONTROL = [chr(c) for c in (*range(0, 9), 11, 12, *range(14, 32), 127)] + ["\x85", "\r", "\t"]
ODD = ["\u00a0", "\u200b", "\ufeff", "\u202e", "\u2028", "\u0301", "\U0001f600", "\uff11\uff12", "\u0130",
       "\ufffd", "\uffff", "\u0434\u0301", "\u00ad", "ǅ", "\u3000", "𝐀", "ﬁ", "\u0000"]
TOKENS = ["null", "~", "true", "no", "1e999", "-0", "NaN", "Infinity", "0x1F", "!!bool maybe", "!!timestamp x",
          "!!binary ===", "!!python/object:os.system x", "&a", "*a", "<<: *a", "? ", "- ", ": ", "%", "\\",
          '"', "'", "{", "}", "[", "]", ",", "@", "#", "&ndash;", "&#0;", "&#xD800;", "&nosuch;", "]]>", "<!--",
          "<?x?>", "\\u0000", "\\ud800", "\\uDFFF", "ER  -", "TY  - JOUR", "@article{k,", "@string{a = {b}}",
          "10.1234/ ab", "2025-00-00", "9999", "0000-0002-1825-009X", "{\\\"a}", "$x$", "\\relax", "%comment"]
NESTS = [("{", "}"), ("[", "]"), ("<a>", "</a>"), ("<italic>", "</italic>"), ("- ", ""), ("  ", ""),
         ("{\"a\": ", "}"), ("(", ")")]


def _at(rng: random.Random, data: bytes) -> int:
    return rng.randrange(len(data) + 1)


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True) or [b""]


def _flip(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data or b"\0")
    for _ in range(rng.choice((1, 1, 2, 4))):
        i = rng.randrange(len(out))
        out[i] ^= 1 << rng.randrange(8) if rng.random() < 0.7 else rng.randrange(256)
    return bytes(out)


def _truncate(rng: random.Random, data: bytes) -> bytes:
    return data[:_at(rng, data)]


def _delete_line(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    del lines[rng.randrange(len(lines))]
    return b"".join(lines)


def _duplicate_line(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    i = rng.randrange(len(lines))
    lines[i:i] = [lines[i]] * rng.choice((1, 1, 3))
    return b"".join(lines)


def _swap_lines(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return b"".join(lines)


def _insert(rng: random.Random, data: bytes, text: str) -> bytes:
    i = _at(rng, data)
    while 0 < i < len(data) and data[i] & 0xC0 == 0x80:  # not inside a UTF-8 sequence: the text stays UTF-8
        i -= 1
    return data[:i] + text.encode("utf-8", "surrogatepass") + data[i:]


def _control(rng: random.Random, data: bytes) -> bytes:
    return _insert(rng, data, rng.choice(CONTROL))


def _odd_unicode(rng: random.Random, data: bytes) -> bytes:
    return _insert(rng, data, rng.choice(ODD + ["\ud800"]))  # "\ud800": a lone surrogate, invalid UTF-8


def _token(rng: random.Random, data: bytes) -> bytes:
    return _insert(rng, data, rng.choice(TOKENS))


def _huge_number(rng: random.Random, data: bytes) -> bytes:
    runs = list(re.finditer(rb"\d+", data))
    big = b"9" * rng.choice((20, 400, 4400, 20000))
    if not runs:
        return _insert(rng, data, big.decode())
    run = rng.choice(runs)
    return data[:run.start()] + big + data[run.end():]


def _deep(rng: random.Random, data: bytes) -> bytes:
    opening, closing = rng.choice(NESTS)
    depth = rng.choice((50, 400, 3000))
    balanced = rng.random() < 0.7
    return _insert(rng, data, opening * depth + "x" + (closing * depth if balanced else ""))


def _long_text(rng: random.Random, data: bytes) -> bytes:
    return _insert(rng, data, rng.choice(("а", "x", "ә ")) * rng.choice((5_000, 60_000)))


def _word(rng: random.Random, data: bytes) -> bytes:
    """A word (letters or digits) replaced by a token or emptied."""
    words = list(re.finditer(rb"\w+", data))
    if not words:
        return data
    word = rng.choice(words)
    return data[:word.start()] + rng.choice(TOKENS + [""]).encode() + data[word.end():]


def _encoding(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8", "replace")
    choice = rng.randrange(4)
    if choice == 0:
        return text.encode("utf-16")
    if choice == 1:
        return text.encode("cp1251", "replace")
    if choice == 2:
        return b"\xef\xbb\xbf" + data
    return data.replace(b"\n", b"\r\n") if rng.random() < 0.5 else data.replace(b"\n", b"\r")


def _empty(rng: random.Random, data: bytes) -> bytes:
    return rng.choice((b"", b" ", b"\n\n", b"\xef\xbb\xbf", b"null", b"[]", b"{}", b"0"))


def _xxe(rng: random.Random, data: bytes) -> bytes:
    """An XML file with a DOCTYPE declaring an entity (a local file, a network address, or text), used in a title."""
    url = rng.choice(("SYSTEM 'file:///etc/passwd'", "SYSTEM 'http://127.0.0.1:9/x'", "SYSTEM '/etc/hostname'",
                      "'an internal entity'", "'&#38;#60;'"))
    start = data.find(b"<", data.find(b"?>") + 1 if data.startswith(b"<?xml") else 0)
    root = re.match(rb"<([\w:.-]+)", data[start:]) if start >= 0 else None
    if root is None:
        return data
    doctype = f"<!DOCTYPE {root.group(1).decode()} [<!ENTITY e {url}>]>\n".encode()
    body = data[start:]
    body = body.replace(b"<title>", b"<title>&e;", 1).replace(b"<article-title>", b"<article-title>&e;", 1)
    return data[:start] + doctype + body


XML_VALUES = ["", " ", "\u00a0", "\u200b", "２０２５", "2_025", "-1", "0", "9" * 40, "x" * 300, "2025-13-45",
              "10.1234/ ab", "<", "nosuchtype", "print\u00a0", "a:b", "http://", "\t\n"]
"""Texts and attribute values put into a well-formed XML file (``element`` mutation)."""


def _element(rng: random.Random, data: bytes, *, xsi_type: bool = False) -> bytes:
    """An XML file kept well-formed, with one element removed, doubled, renamed or emptied, or its text or an
    attribute changed (``xsi_type``: an ``xsi:type`` attribute added): what the schema, not the parser, must refuse."""
    from lxml import etree
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    except (etree.XMLSyntaxError, ValueError):
        return data
    elements = [e for e in root.iter() if isinstance(e.tag, str)][1:]
    if not elements:
        return data
    element = rng.choice(elements)
    parent = element.getparent()
    action = -1 if xsi_type else rng.randrange(5)
    if action == 0 and parent is not None:
        parent.remove(element)
    elif action == 1 and parent is not None:
        parent.insert(parent.index(element), copy.deepcopy(element))
    elif action == 2:
        namespace = etree.QName(element).namespace
        element.tag = f"{{{namespace}}}nosuch" if namespace else "nosuch"
    elif action == 4 and element.attrib:
        element.set(rng.choice(sorted(element.attrib)), rng.choice(XML_VALUES))
    elif action == -1:
        types = ["nosuchtype", "xsd:string", "c:nosuch", "", "xsd:integer"]
        element.set("{http://www.w3.org/2001/XMLSchema-instance}type", rng.choice(types))
    elif len(element):
        element.clear()
    else:
        element.text = rng.choice(XML_VALUES)
    head = data[:data.find(b"<", data.find(b"?>") + 1 if data.startswith(b"<?xml") else 0)]
    return head + etree.tostring(root, encoding="utf-8")


def _xsi_type(rng: random.Random, data: bytes) -> bytes:
    return _element(rng, data, xsi_type=True)


MUTATIONS: dict[str, Callable[[random.Random, bytes], bytes]] = {
    "flip": _flip, "truncate": _truncate, "delete-line": _delete_line, "duplicate-line": _duplicate_line,
    "swap-lines": _swap_lines, "control": _control, "odd-unicode": _odd_unicode, "token": _token,
    "huge-number": _huge_number, "deep": _deep, "long-text": _long_text, "word": _word, "encoding": _encoding,
    "empty": _empty, "xxe": _xxe, "element": _element, "xsi-type": _xsi_type,
}
"""Byte mutations, each ``(rng, data) -> data``; ``xxe``, ``element`` and ``xsi-type`` change only XML files."""

XML_ONLY = ("xxe", "element", "xsi-type")
Mutation = tuple[str, int]  # a mutation's name and the seed of its random choices


def mutate(data: bytes, mutations: list[Mutation]) -> bytes:
    """The seed's bytes after each mutation in turn: deterministic, so the list reproduces the input."""
    for name, seed in mutations:
        data = (VALUE_MUTATIONS.get(name) or MUTATIONS[name])(random.Random(seed), data)
    return data


# --- value mutations of manifests: the data is loaded, one value changed, and written back ----------------------

HOSTILE: list[object] = [
    "", " ", "\x00", "a\x00b", "\x07bell", "\ud800", "a\udfffb", "\u00a0", "\u200b", "\ufeff", "\uff11\uff12",
    "x" * 70_000, "а" * 5_000, 10**30, -1, 0, 2**63, 1.5, float("nan"), float("inf"), True, None, [], {},
    ["a", None], {"a": 1}, "2025-00-00", "2025-13-01", "9999", "10.1234/ ab", "10.1234/ab\u200b",
    "https://doi.org/10.1234/x", "not-an-email", "0000-0002-1825-009X", "００００-0002-1825-0097", "{seq}",
    "{nosuch}", "{prefix}/{seq:%}", "<b>bold</b>", "&amp;", "]]>", "\\", "{", "@", "%", "\r\nx",
]
"""Values put in place of one value of a manifest (``value`` mutation)."""


def paths_of(data: object, here: tuple[object, ...] = ()) -> Iterator[tuple[object, ...]]:
    """Every place in loaded data, as keys and indexes from the top (the top itself is ``()``)."""
    yield here
    if isinstance(data, dict):
        for key, value in data.items():
            yield from paths_of(value, (*here, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from paths_of(value, (*here, index))


def _edit(rng: random.Random, data: object, change: Callable[[random.Random, object, object], None]) -> object:
    paths = [p for p in paths_of(data) if p]
    if not paths:
        return data
    path = rng.choice(paths)
    parent = data
    for step in path[:-1]:
        parent = parent[step]  # type: ignore[index]
    change(rng, parent, path[-1])
    return data


def _set_value(rng: random.Random, parent: object, key: object) -> None:
    value = rng.choice(HOSTILE)
    if rng.random() < 0.2:  # written as text after the dump: too deep for the YAML and JSON writers
        value = f"{NEST}{rng.choice((30, 300, 3000))}{rng.choice('LM')}"
    parent[key] = value  # type: ignore[index]


NEST = "NESTING"


def _nest(match: re.Match[str]) -> str:
    depth, kind = int(match.group(1)), match.group(2)
    return "[" * depth + "x" + "]" * depth if kind == "L" else '{"a": ' * depth + '"x"' + "}" * depth


def _drop_key(rng: random.Random, parent: object, key: object) -> None:
    del parent[key]  # type: ignore[attr-defined]


def _duplicate_item(rng: random.Random, parent: object, key: object) -> None:
    if isinstance(parent, list):
        parent.insert(int(key), parent[int(key)])  # type: ignore[call-overload]
    elif isinstance(parent, dict):
        parent[f"{key}_"] = parent[key]  # a near-miss key: did-you-mean


def _value_mutation(change: Callable[[random.Random, object, object], None]) -> Callable[[random.Random, bytes],
                                                                                          bytes]:
    """A mutation on the manifest's data; the result is written back in the seed's own syntax (JSON or YAML)."""
    def mutation(rng: random.Random, data: bytes) -> bytes:
        as_json = data.lstrip()[:1] in (b"{", b"[")
        try:
            loaded = json.loads(data) if as_json else yaml.safe_load(data)
        except (ValueError, yaml.YAMLError, RecursionError, KeyError, AttributeError):
            return data  # PyYAML raises KeyError/AttributeError on '!!bool maybe', '!!timestamp x': nothing to edit
        loaded = _edit(rng, loaded, change)
        try:
            if as_json:
                text = json.dumps(loaded, ensure_ascii=rng.random() < 0.5, default=str)
            else:
                try:
                    text = yaml.safe_dump(loaded, allow_unicode=True, sort_keys=False)
                except yaml.YAMLError:  # a value YAML cannot write (a lone surrogate ...): JSON is YAML
                    text = json.dumps(loaded, default=str)
        except RecursionError:  # nested too deep by an earlier mutation
            return data
        return re.sub(f"{NEST}(\\d+)([LM])", _nest, text).encode("utf-8", "surrogatepass")
    return mutation


VALUE_MUTATIONS: dict[str, Callable[[random.Random, bytes], bytes]] = {
    "value": _value_mutation(_set_value), "drop-key": _value_mutation(_drop_key),
    "duplicate-item": _value_mutation(_duplicate_item),
}
"""Mutations of a manifest's data (``value``: one value replaced by a ``HOSTILE`` one or a deep nesting)."""


def mutations_for(kind: str) -> list[str]:
    """The mutations that fit a kind of seed."""
    names = [n for n in MUTATIONS if n not in XML_ONLY or kind in ("crossref", "jats")]
    return names + list(VALUE_MUTATIONS) if kind.startswith("manifest") else names


def random_mutations(rng: random.Random, kind: str, most: int = 3) -> list[Mutation]:
    """One to ``most`` mutations, for the campaign; the structure-aware ones (a manifest's values, an XML file's elements)
    are drawn more often than each byte mutation."""
    names = mutations_for(kind)
    weights = [4 if n in VALUE_MUTATIONS else 3 if n in XML_ONLY else 1 for n in names]
    return [(rng.choices(names, weights)[0], rng.randrange(2**32)) for _ in range(rng.choice((1, 1, 1, 2, most)))]


# --- the oracle -------------------------------------------------------------------------------------------------

FAILURES = ("traceback", "hang", "unlocated", "unclear", "partial", "disagreement", "check-build", "drop", "misread",
            "leak")
_UNPRINTABLE = re.compile("[\ud800-\udfff\x00-\x08\x0b-\x1f\x7f]")

"""The outcomes that break the property: an exception; no answer within the time limit (only the campaign, which
runs each input under a timeout, sees it); an error without a location; a half-written or invalid file in an output
folder; Crossref's default and strict validation disagreeing; ``check`` and ``build`` disagreeing; a record or field
not read and not reported; a value read from another field; an external entity's content in a result."""

WHOLE_FILE = {"validate.format", "read.format", "validate.io", "read.io", "manifest.empty", "csl.empty",
              "bibtex.no-entries", "ris.no-records", "jats.root", "schemas.missing", "crossref.truncated",
              "read.works-only", "convert.works-only"}
"""Errors about a file as a whole (its format unknown, no record in it, cut short): the file name locates them."""

LEAKS = (b"root:", b"daemon:")  # what /etc/passwd would show, were an external entity expanded


@dataclass
class Outcome:
    """What one input did: ``verdict`` is ``accepted`` (no error), ``refused`` (errors, each located) or one of
    ``FAILURES`` (the first met); ``detail`` says which call and what went wrong; ``notes`` are facts worth counting
    that break nothing."""

    verdict: str = "accepted"
    detail: str = ""
    notes: list[str] = field(default_factory=list)

    def fail(self, verdict: str, detail: str) -> None:
        if not self.failed:
            self.verdict, self.detail = verdict, detail

    def refuse(self) -> None:
        if self.verdict == "accepted":
            self.verdict = "refused"

    @property
    def failed(self) -> bool:
        return self.verdict in FAILURES


def _short(problem: Problem) -> str:
    return str(problem).replace("\n", " ")[:300]


def _errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def _call(outcome: Outcome, what: str, function: Callable[[], object]) -> object:
    """Run one public call, its printing kept; an exception is a ``traceback`` failure (and None is returned)."""
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            return function()
    except (Exception, RecursionError, SystemExit) as error:
        frames = traceback.extract_tb(error.__traceback__)
        inner = next((f for f in reversed(frames) if "/biblio/" in f.filename), frames[-1] if frames else None)
        where = f" ({Path(inner.filename).parent.name}/{Path(inner.filename).name}:{inner.lineno})" if inner else ""
        outcome.fail("traceback", f"{what}: {type(error).__name__}: {str(error)[:200]}{where}")
        return None


def _located(outcome: Outcome, what: str, problems: list[Problem], *, file_input: bool) -> None:
    """Errors make the input refused; each names its file and (reading a file) a line or a field path. A call that
    reads no file of the user's own (``convert``'s writing) may locate an error by field path alone."""
    for problem in _errors(problems):
        outcome.refuse()
        if _UNPRINTABLE.search(problem.message):  # a lone surrogate or a control character cannot be shown as given
            outcome.fail("unclear", f"{what}: {problem.code}: a message with a character that cannot be printed: "
                         f"{ascii(problem.message)[:200]}")
            continue
        if any(leak in problem.message.encode() for leak in LEAKS):
            outcome.fail("leak", f"{what}: {_short(problem)}")
        if problem.code in WHOLE_FILE and problem.file:
            continue
        if file_input:
            located = bool(problem.file) and (problem.line is not None or bool(problem.path))
        else:
            located = bool(problem.file or problem.path)
        if not located:
            outcome.fail("unlocated", f"{what}: {_short(problem)}")


def _clean_output(outcome: Outcome, what: str, out: Path, *, strict: bool) -> None:
    """Nothing half-written or invalid in an output folder (or at an output file); with ``strict``, a deposit there
    passes the strict validation too."""
    files = [out] if out.is_file() else sorted(p for p in out.rglob("*") if p.is_file()) if out.is_dir() else []
    for path in files:
        if path.suffix == ".tmp":
            outcome.fail("partial", f"{what}: a temporary file is left: {path.name}")
            continue
        if path.name.startswith("."):
            outcome.notes.append(f"{what} writes a hidden file (its name starts with a dot)")
        if path.name == RECORD:  # the build's record of the files it wrote
            continue
        if path.name == REVIEW_PAGE:  # the review page: no schema, but never cut short
            if not path.read_bytes().rstrip().endswith(b"</html>"):
                outcome.fail("partial", f"{what}: the review page is cut short")
            continue
        validated = _call(outcome, f"validate {path.name}", lambda: biblio.validate(path))
        errors = _errors(validated) if isinstance(validated, list) else []
        if errors:
            outcome.fail("partial", f"{what}: {path.name} is invalid: {_short(errors[0])}")
        elif strict and b"<doi_batch" in path.read_bytes()[:2000]:
            strictly = _call(outcome, f"validate --strict {path.name}", lambda: biblio.validate(path, strict=True))
            strict_errors = _errors(strictly) if isinstance(strictly, list) else []
            if strict_errors:
                outcome.fail("disagreement", f"{what}: {path.name}: default valid, strict: {_short(strict_errors[0])}")


def _cli(outcome: Outcome, args: list[str]) -> None:
    code = _call(outcome, f"biblio {args[0]}", lambda: cli.main(args))
    if code is not None and code not in (0, 1):
        outcome.fail("traceback", f"biblio {args[0]}: exit code {code} (0 or 1 expected)")


def judge_manifest(path: Path, work: Path, *, build: bool = True, strict: bool = False,
                   use_cli: bool = True) -> Outcome:
    """``load``, ``check``, ``build`` (into ``work/out``) and ``biblio check`` of one manifest file. ``check`` must give
    ``build``'s verdict: the same errors, save those of files that fail validation (then the build must refuse)."""
    outcome = Outcome()
    loaded = _call(outcome, "load", lambda: biblio.load(path))
    if loaded is not None:
        _located(outcome, "load", loaded[1], file_input=True)  # type: ignore[index]
    checked = _call(outcome, "check", lambda: biblio.check(path))
    check_errors: list[Problem] | None = None
    if checked is not None:
        check_errors = _errors(checked[1])  # type: ignore[index]
        _located(outcome, "check", check_errors, file_input=True)
    if build:
        out = work / "out"
        report = _call(outcome, "build", lambda: biblio.build(path, out))
        if report is not None:
            build_errors = _errors(report.problems)  # type: ignore[attr-defined]
            _located(outcome, "build", build_errors, file_input=True)
            _clean_output(outcome, "build", out, strict=strict)
            if check_errors is not None and bool(check_errors) != bool(build_errors):
                shown = _short((check_errors or build_errors)[0])
                outcome.fail("check-build", f"check {'refuses' if check_errors else 'passes'}, build "
                             f"{'refuses' if build_errors else 'passes'}: {shown}")
    if use_cli:
        _cli(outcome, ["check", str(path), "--json"])
    return outcome


def _records(kind: str, data: bytes) -> list[tuple[int, set[str]]] | None:
    """Each record's first line and fields, found independently of biblio's readers (None: it cannot tell; a CSL
    item's line is its place in the list)."""
    text = data.decode("utf-8", "replace")
    if kind in ("bibtex", "ris"):
        starts = re.compile(r"(?im)^[ \t]*@(?!comment|string|preamble)\w+\s*[{(]" if kind == "bibtex"
                            else r"(?m)^TY  - ")
        ends = re.compile(r"(?m)^[ \t]*@(?=\w+\s*[{(])" if kind == "bibtex" else r"(?m)^ER  -.*$")
        field_name = r"(?m)^\s*([A-Za-z][\w:-]*)\s*=" if kind == "bibtex" else r"(?m)^([A-Z][A-Z0-9])  - ?\S"
        records = []
        for start in starts.finditer(text):
            end = ends.search(text, start.end())
            block = text[start.start():end.start() if end else len(text)]
            names = re.findall(field_name, block)
            records.append((text.count("\n", 0, start.start()) + 1,
                            {n.lower() for n in names} if kind == "bibtex" else set(names)))
        return records
    if kind == "csl":
        try:
            items = json.loads(text)
        except (ValueError, RecursionError):
            return None
        items = items if isinstance(items, list) else [items]
        return [(number, {k for k, v in item.items() if v not in (None, "", [], {})} if isinstance(item, dict)
                 else set()) for number, item in enumerate(items)]
    return None


CARRIED_AS: dict[str, set[str]] = {
    # a field read into the model and written back under another name
    "original-title": {"title"}, "date": {"year"}, "journaltitle": {"journal"}, "issue": {"number", "IS"},
    "A1": {"AU"}, "JA": {"J2"}, "J1": {"J2"}, "JO": {"T2", "J2"}, "JF": {"T2"}, "N2": {"AB"}, "T1": {"TI"},
    "Y1": {"PY"}, "DA": {"PY"}, "UR": {"DO", "UR"}, "M3": {"DO"}, "SE": {"SP"}, "EP": {"SP", "C7"},
}


WORK_KINDS = ("bibtex", "ris", "csl")  # the formats whose records may be works (books, theses …), read by load_works


def _dropped(outcome: Outcome, kind: str, data: bytes, issue: biblio.Issue | None, problems: list[Problem],
             works: int = 0) -> None:
    """A record not read (neither an article of the issue nor a work), or a field of a read record neither written
    back by the format's own writer nor named in a problem: a silent drop. Fields are compared when every record was
    read as an article, for records no warning points into."""
    given = _records(kind, data)
    read = (len(issue.articles) if issue is not None else 0) + works
    said = [p for p in problems if p.severity in ("error", "warning")]
    if given is None:
        return
    if read < len(given):
        if not said:
            outcome.fail("drop", f"load: {len(given)} records, {read} read, and no error or warning says why")
        return
    if issue is None or read != len(given) or works or _errors(problems):  # works: records and articles misalign
        return
    if any(p.code.endswith("record-skipped") for p in said):  # the counts agree by chance: records would be misaligned
        return
    try:
        from biblio import formats
        written, wrote = formats.dumps(formats.get(kind), issue)  # type: ignore[arg-type]
    except Exception as error:  # the writer's own failure shows in convert's judgement
        outcome.notes.append(f"no field check: the {kind} writer fails: {type(error).__name__}")
        return
    back = _records(kind, next(iter(written.values()), b""))
    if back is None or len(back) != len(given):
        return
    named = " ".join(p.message for p in problems + wrote).lower()  # the reader's or the writer's (not carried)
    starts = [line for line, _ in given] + [sys.maxsize]
    for number, ((line, fields), (_, kept)) in enumerate(zip(given, back, strict=True)):
        if kind == "csl":
            pointed = any((p.path or "").startswith(f"[{line}]") for p in said)
        else:
            pointed = any(p.line is not None and line <= p.line < starts[number + 1] for p in said)
        lost = [n for n in sorted(fields - kept) if not CARRIED_AS.get(n, set()) & kept and n.lower() not in named
                and shown(n).lower() not in named]  # as a message shows it
        if lost and not pointed:
            outcome.fail("drop", f"load: record {number + 1}: the field {lost[0][:60]} is neither read nor reported")
            return


MERGED = {"bibtex": re.compile(r"\b[a-z]+\s*=\s*[{\"\d]"), "ris": re.compile(r"\b[A-Z][A-Z0-9]  - ")}
"""A field's syntax inside a read value: the reader ran two fields together (a missing comma, a lost line end)."""


def _misread(outcome: Outcome, kind: str, data: bytes, issue: biblio.Issue | None, problems: list[Problem]) -> None:
    """A title or abstract that holds what, in the file, starts a line of its own (after at most three other
    characters) as a field does: the reader took another field's line as part of this value, and no warning on
    that line says so."""
    pattern = MERGED.get(kind)
    if pattern is None or issue is None:
        return
    warned = {p.line for p in problems if p.severity in ("error", "warning") and p.line}
    lines = [line.strip() for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1)
             if number not in warned]
    for number, article in enumerate(issue.articles, 1):
        for text in [*article.titles.texts.values(), *article.abstracts.texts.values()]:
            snippets = [text[m.start():m.start() + 30].split("\n")[0] for m in pattern.finditer(text) if m.start()]
            if any(0 <= line.find(snippet) <= 3 for snippet in snippets for line in lines):
                outcome.fail("misread", f"load: article {number}: a value holds another field: {text[:120]!r}")
                return


def judge_file(path: Path, kind: str, work: Path, *, target: str | None = "ris", strict: bool | None = None,
               use_cli: bool = True) -> Outcome:
    """``validate`` (and for a deposit ``validate --strict``: the verdicts must agree), ``load`` and ``convert`` (to
    ``target``, into ``work``) of one file, and ``biblio validate``."""
    outcome = Outcome()
    data = path.read_bytes()
    validated = _call(outcome, "validate", lambda: biblio.validate(path))
    if validated is not None:
        _located(outcome, "validate", validated, file_input=True)  # type: ignore[arg-type]
    if kind == "crossref" if strict is None else strict:
        strictly = _call(outcome, "validate --strict", lambda: biblio.validate(path, strict=True))
        if strictly is not None and validated is not None:
            _located(outcome, "validate --strict", strictly, file_input=True)  # type: ignore[arg-type]
            fast, slow = _errors(validated), _errors(strictly)  # type: ignore[arg-type]
            if bool(fast) != bool(slow):
                outcome.fail("disagreement", f"validate: default {'refuses' if fast else 'accepts'}, strict "
                             f"{'refuses' if slow else 'accepts'}: {_short((fast or slow)[0])}")
    if kind in READABLE:
        loaded = _call(outcome, "load", lambda: biblio.load(path))
        if loaded is not None:
            issue, problems = loaded  # type: ignore[misc]
            _located(outcome, "load", problems, file_input=True)
            if any(p.code.startswith("manifest.") for p in problems):
                outcome.notes.append(f"a {kind} file read as a manifest")
            works = _call(outcome, "load_works", lambda: biblio.load_works(path)) if kind in WORK_KINDS else None
            _dropped(outcome, kind, data, issue, problems, len(works[0]) if works else 0)  # type: ignore[index]
            _misread(outcome, kind, data, issue, problems)
            if issue is not None and any(leak in repr(issue).encode() for leak in LEAKS):
                outcome.fail("leak", "load: the issue holds what an external entity points to")
        if target is not None:
            out = work / ("converted" + ("" if target == "jats" else SUFFIX[target]))
            report = _call(outcome, f"convert --to {target}",
                           lambda: biblio.convert(path, target, out))  # type: ignore[arg-type]
            if report is not None:
                _located(outcome, "convert", report.problems, file_input=False)  # type: ignore[attr-defined]
                _clean_output(outcome, "convert", out, strict=False)
    if use_cli:
        _cli(outcome, ["validate", str(path), "--json"])
    return outcome


def judge(kind: str, data: bytes, work: Path, *, target: str | None = "ris", build: bool = True,
          strict: bool | None = None, use_cli: bool = True) -> Outcome:
    """Write ``data`` as a file of ``kind`` (``Seed.kind``) in the new folder ``work``, and judge it."""
    work.mkdir(parents=True, exist_ok=True)
    path = work / ("input" + SUFFIX[kind])
    path.write_bytes(data)
    if kind.startswith("manifest"):
        return judge_manifest(path, work, build=build, strict=bool(strict), use_cli=use_cli)
    return judge_file(path, kind, work, target=target, strict=strict, use_cli=use_cli)


def all_seeds(folder: Path) -> list[Seed]:
    """Every seed, manifests first (``folder`` takes the files built from the example)."""
    return manifest_seeds() + file_seeds(folder)


def reproducer(seed: Seed, mutations: list[Mutation]) -> str:
    """Python that rebuilds a failing input as ``data`` (run from the repository root)."""
    return ("import sys, tempfile, pathlib; sys.path.insert(0, 'tests'); import fuzzing\n"
            f"seed = next(s for s in fuzzing.all_seeds(pathlib.Path(tempfile.mkdtemp())) if s.name == {seed.name!r})\n"
            f"data = fuzzing.mutate(seed.data, {mutations!r})\n"
            f"print(fuzzing.judge({seed.kind!r}, data, pathlib.Path(tempfile.mkdtemp()) / 'work'))")
