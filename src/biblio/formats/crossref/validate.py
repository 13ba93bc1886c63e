"""Validating a deposit against the official Crossref 5.5.0 schema, offline.

By default, one streamed pass: each ``journal_article`` of a ``journal`` is validated on its own as it ends with the
derived XSD 1.0 schema (``compiled.py``) plus the Python checks (``checks.py``), then replaced by a minimal valid
stand-in, so that the rest of the document is validated at the end as the whole would be; IDs are compared across
articles and IDREFs resolved at the end. Problems are ``crossref.schema`` errors in document order, at most 200.

``strict=True`` (``biblio validate --strict``): the unmodified official XSD 1.1 through xmlschema, the whole document in
memory, ten times slower. Where xmlschema departs from XSD, the strict path works around it on its copy of the document:
comments and processing instructions are taken out, Unicode spaces that are not XML whitespace stand as private-use
characters, unresolvable ``xsi:type`` values, the dates and numbers with digits other than 0-9 (``２０２５``, ``2_025``,
which xmlschema reads with ``int()``) are checked as the default path checks them. Where the two still differ (never on
a deposit biblio writes), the default follows XSD: it keeps XSD 1.0's name characters and Unicode classes.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from ... import ids, schemas
from ...fileio import read_text_head
from ...problems import Problem
from .. import xmltools
from . import checks
from .compiled import CompiledSchema, compiled_schema
from .mapping import NS, TIMESTAMP_DIGITS, VERSION, XSI
from .xsd10 import WHITESPACE, derived_for, sourceline

if TYPE_CHECKING:
    import xmlschema

MAX_ERRORS = 200
CHUNK = 1 << 20  # bytes parsed at a time: a few dozen articles of a deposit
_ARTICLE, _JOURNAL = f"{{{NS}}}journal_article", f"{{{NS}}}journal"
_XSI_TYPE = f"{{{XSI}}}type"


def detect(path: Path) -> bool:
    """A Crossref deposit: an XML file whose root is a ``doi_batch`` (sniffed, not parsed; UTF-16 with a byte-order mark
    too)."""
    head = read_text_head(path)
    return head is not None and "<doi_batch" in head and "http://www.crossref.org/schema/" in head


def validate(path: Path, *, strict: bool = False, dir: str | Path | None = None) -> list[Problem]:
    """The problems of a deposit file against the official schema (``dir``: the schema folder)."""
    return _strict(Path(path), dir) if strict else _Pass(Path(path), dir).run()


class _Pass:
    """The default validation: one streamed pass (see the module's docstring)."""

    def __init__(self, path: Path, dir: str | Path | None) -> None:
        self.path, self.file = path, str(path)
        self.compiled: CompiledSchema | None = None
        self.missing: list[Problem] = []
        try:
            self.compiled = compiled_schema(dir)
        except schemas.SchemasUnavailable as unavailable:
            self.missing = _in_file(unavailable, self.file)
        self.scan = checks.AttributeScan(self.compiled.derived) if self.compiled else None
        self.found: list[tuple[int, int, int, Problem]] = []  # (line, rank, order, problem)
        self.order = 0
        self.entities: list[Problem] = []

    def run(self) -> list[Problem]:
        parser = etree.XMLPullParser(events=("end",), tag=_ARTICLE, resolve_entities=False, no_network=True,
                                     load_dtd=False, huge_tree=False, remove_blank_text=False)
        size = lines = 0
        try:
            with open(self.path, "rb") as stream:
                while chunk := stream.read(CHUNK):
                    size, lines = size + len(chunk), lines + chunk.count(b"\n")
                    parser.feed(chunk)
                    self.articles(parser)
        except etree.XMLSyntaxError as error:
            return [self.syntax(error, checks.WELL_FORMED)]
        except OSError as error:
            return [Problem("xml.io", "error", f"cannot read the file: {error}", file=self.file)]
        try:
            root = parser.close()  # what libxml2 finds only now: the file ended before the document did
            self.articles(parser)  # any the last bytes completed
        except etree.XMLSyntaxError as error:
            if size == 0:
                return [Problem("xml.syntax", "error", "this is not well-formed XML: the file is empty", file=self.file)]
            problem = self.syntax(error, "the file ends before the deposit does (was it cut short while written or "
                                  "copied?): ", "crossref.truncated")
            if (problem.line or 0) <= lines:  # not on the last line, so not where the file ends
                problem = self.syntax(error, checks.WELL_FORMED)
            return [problem]
        if root is None:
            return [Problem("crossref.truncated", "error", "the file ends before the deposit does (was it cut short "
                            "while written or copied?)", file=self.file)]
        if checks.namespace(root.tag) != NS:
            return [_version(root, self.file)]
        if self.missing:
            return self.missing
        self.part(root, whole=True)
        if self.entities:
            return sorted(self.entities, key=lambda problem: problem.line or 0)[:MAX_ERRORS]
        assert self.scan is not None
        self.add(self.scan.unresolved(self.file))
        self.found.sort(key=lambda item: item[:3])
        return [problem for *_, problem in self.found[:MAX_ERRORS]]

    def syntax(self, error: etree.XMLSyntaxError, what: str, code: str = "xml.syntax") -> Problem:
        (line, column), message = error.position or (0, 0), error.msg
        logged = [entry for entry in error.error_log  # type: ignore[attr-defined]  # (lxml-stubs: not iterable)
                  if entry.level >= etree.ErrorLevels.ERROR]
        if not line and logged:  # lxml's feed parser after an undefined entity: "no element found" at 0:0
            (line, column), message = (logged[-1].line, logged[-1].column), logged[-1].message
        return Problem(code, "error", what + checks.syntax_reason(message), file=self.file, line=line or None,
                       column=column or None)

    def articles(self, parser: etree.XMLPullParser) -> None:
        """The articles that have ended: checked, then reduced to a stand-in. Articles outside a journal
        (misplaced, or inside another article) stay as they are, checked with what holds them."""
        for _, element in parser.read_events():
            assert isinstance(element, etree._Element)  # the parser reports "end" events only
            parent = element.getparent()
            if parent is None or parent.tag != _JOURNAL:
                continue
            if self.compiled is not None and checks.namespace(element.getroottree().getroot().tag) == NS:
                self.part(element, whole=False)
            element.clear(keep_tail=True)  # type: ignore[call-arg]  # lxml-stubs lack keep_tail
            _stand_in(element)

    def part(self, top: etree._Element, whole: bool) -> None:
        """Validate ``top`` as a document's root (the whole document when ``whole``), with the Python checks."""
        if self.entities or any(True for _ in itertools.islice(top.iter(etree.Entity), 1)):
            self.entities.extend(itertools.islice(checks.entity_problems(top, self.file),
                                                  MAX_ERRORS - len(self.entities)))
            return
        compiled, scan = self.compiled, self.scan
        assert compiled is not None and scan is not None
        with compiled.lock:
            try:
                schema = compiled.validate(top.getroottree() if whole else top)
            except schemas.SchemasUnavailable as missing:
                self.add([(checks.SCHEMA, p) for p in _in_file(missing, self.file)])
                return
            except etree.XMLSchemaValidateError as err:
                self.add([(checks.SCHEMA, Problem("crossref.schema", "error", f"libxml2 could not validate this "
                                                  f"document ({err})", file=self.file))])
                return
            entries = [entry for entry in schema.error_log  # type: ignore[attr-defined]  # lxml-stubs: not iterable
                       if entry.level >= etree.ErrorLevels.ERROR]
        found = []
        for entry in entries[:MAX_ERRORS]:
            element = checks.element_at(top, entry.path)
            if element is None:
                found.append((checks.SCHEMA, Problem("crossref.schema", "error", checks.reason(entry.message),
                                                     file=self.file, line=entry.line or None)))
            else:
                found.append((checks.SCHEMA, checks.problem(element, self.file, checks.reason(entry.message))))
        skipped = checks.skipped_in(top)
        found += [(checks.ASSERT, p) for p in checks.check_asserts(top, self.file, compiled.derived.vocabularies,
                                                                  skipped)]
        found += scan.check(top, self.file, skipped)
        self.add(found)

    def add(self, problems: list[tuple[int, Problem]]) -> None:
        """Keep problems; past a few hundred, only the first ``MAX_ERRORS`` by line (memory stays bounded)."""
        for rank, problem in problems:
            self.found.append((problem.line or 0, rank, self.order, problem))
            self.order += 1
        if len(self.found) > 4 * MAX_ERRORS:
            self.found.sort(key=lambda item: item[:3])
            del self.found[MAX_ERRORS:]


def _stand_in(article: etree._Element) -> None:
    """The smallest valid content of a ``journal_article``, in place of one already checked."""
    titles = etree.SubElement(article, f"{{{NS}}}titles")
    etree.SubElement(titles, f"{{{NS}}}title").text = "-"
    etree.SubElement(etree.SubElement(article, f"{{{NS}}}publication_date"), f"{{{NS}}}year").text = "2000"
    data = etree.SubElement(article, f"{{{NS}}}doi_data")
    etree.SubElement(data, f"{{{NS}}}doi").text = "10.1000/-"
    etree.SubElement(data, f"{{{NS}}}resource").text = "https://doi.org/10.1000/-"


def _in_file(unavailable: schemas.SchemasUnavailable, file: str) -> list[Problem]:
    return [Problem(p.code, p.severity, p.message, file=file) for p in unavailable.problems]


def _version(root: etree._Element, file: str) -> Problem:
    return Problem("crossref.version", "error", f"this deposit uses {checks.namespace(root.tag)}; biblio "
                   f"validates Crossref {VERSION} ({NS})", file=file, line=sourceline(root))


def _strict(path: Path, dir: str | Path | None) -> list[Problem]:
    """The unmodified official XSD 1.1 with xmlschema, over the whole parsed document."""
    try:
        data = path.read_bytes()  # parsed from memory, bytes not in the encoding are a located syntax error
    except OSError:
        data = None  # read_xml reports it
    tree, problems = xmltools.read_xml(path, data)
    if tree is None:
        return checks.syntax_problems(problems)
    file, root = str(path), tree.getroot()
    if checks.namespace(root.tag) != NS:
        return [_version(root, file)]
    entities = list(itertools.islice(checks.entity_problems(root, file), MAX_ERRORS))
    if entities:  # as the default path says (xmlschema would read each reference as no text)
        return entities
    # Comments and processing instructions are not content to XSD; xmlschema refuses them inside simple content.
    etree.strip_elements(root, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    try:
        schema = schemas.crossref_schema(dir)
    except schemas.SchemasUnavailable as missing:
        return _in_file(missing, file)
    ahead = _dates(root, dir, file) + _numbers(root, schema, file)
    _stand_in_spaces(root)
    ahead += _unresolved_types(root, schema, file)
    found = list(ahead)
    python: set[int] = set()  # the problems worded from Python's int() or Decimal() message
    try:
        for error in itertools.islice(schema.iter_errors(tree), MAX_ERRORS - len(found)):
            element = error.elem if isinstance(error.elem, etree._Element) else None
            where = xmltools.element_path(element) if element is not None else (error.path or "")
            reason = checks.shortened(_spaces_back(error.reason or str(error.message)))
            if _PYTHON_MESSAGE.search(reason):  # xmlschema passes on "invalid literal for int() with base 10: 'x6'"
                python.add(len(found))
                reason = _not_a_value(error)
            found.append(Problem("crossref.schema", "error", f"{reason} (in <{where.rsplit('/', 1)[-1]}>)", path=where,
                                 file=file, line=sourceline(element) if element is not None else None))
    except Exception as error:  # xmlschema failing on a value it should report (as those above): a problem, not a crash
        found.append(Problem("crossref.schema", "error", f"xmlschema stopped validating this deposit "
                             f"({type(error).__name__}: {_spaces_back(str(error))}), so it may have more problems; "
                             "validate it without --strict to see them", file=file))
    if python:  # a clearer message about the same element says it already
        clear = {(p.path, p.line) for index, p in enumerate(found) if index not in python}
        found = [p for index, p in enumerate(found) if index not in python or (p.path, p.line) not in clear]
    return sorted(found, key=lambda problem: problem.line or 0) if ahead else found


_PYTHON_MESSAGE = re.compile(r"invalid literal for int\(\)|could not convert string to|decimal\.|ConversionSyntax")


def _not_a_value(error: xmlschema.XMLSchemaValidationError) -> str:
    """An xmlschema error whose reason is Python's (a number that ``int()`` or ``Decimal()`` cannot read) worded as
    the default path (libxml2) words it: the value, and the type it is not a value of."""
    kind = error.validator
    name = getattr(kind, "name", None)
    local = getattr(kind, "local_name", None) or "?"
    shown = f"xs:{local}" if isinstance(name, str) and name.startswith(_XSD) else local
    value = error.obj if isinstance(error.obj, str) else getattr(error.elem, "text", None) or ""
    return f"'{_spaces_back(value)}' is not a valid value of the atomic type '{shown}'{checks.DIGITS_ADVICE}"


# xmlschema takes every Unicode space for whitespace: it collapses values with Python's ``\s`` and strips them (and the
# text between elements) with ``str.strip()``, where XSD's whiteSpace facet and element-only content mean #x20, #x9, #xA
# and #xD only, as libxml2 does. To xmlschema a surname that is only U+00A0 is empty and ``media_type="print\u00a0"``
# is ``print``. The strict path validates its tree with each such character replaced by a private-use one (one for one:
# lengths are kept; no Crossref pattern or enumeration names either), and gives the originals back in its messages.
_SPACES = [char for char in map(chr, range(0x80, 0x3001)) if char.isspace()]
_SPACE = re.compile(f"[{''.join(_SPACES)}]")
_STAND_INS = str.maketrans({space: chr(0x10FF00 + i) for i, space in enumerate(_SPACES)})
_BACK = [(chr(0x10FF00 + i), space) for i, space in enumerate(_SPACES)]
_BACK += [(repr(stand_in)[1:-1], repr(space)[1:-1]) for stand_in, space in _BACK]  # as in a message's %r


def _stand_in_spaces(root: etree._Element) -> None:
    for node in root.iter():
        if isinstance(node.tag, str):  # an element (not a comment, processing instruction or entity)
            if node.text and _SPACE.search(node.text):
                node.text = node.text.translate(_STAND_INS)
            for name, value in node.items():
                if isinstance(value, str) and _SPACE.search(value):  # (lxml-stubs: str | bytes)
                    node.set(name, value.translate(_STAND_INS))
        if node.tail and _SPACE.search(node.tail):
            node.tail = node.tail.translate(_STAND_INS)


def _spaces_back(message: str) -> str:
    if any(stand_in in message for stand_in, _ in _BACK):
        for stand_in, space in _BACK:
            message = message.replace(stand_in, space)
    return message


def _dates(root: etree._Element, dir: str | Path | None, file: str) -> list[Problem]:
    """The ``xs:date`` and ``xs:gYear`` attributes checked as the default path checks them (elementpath's types, as
    xmlschema), each wrong one then replaced by a valid date: xmlschema lets elementpath's ``OverflowError`` (a year
    past 2**31) through as a traceback, and names elementpath's classes in its messages (xmlschema 4.3)."""
    try:
        dates = derived_for(schemas.usable(dir)).dates
    except schemas.SchemasUnavailable:  # the derivation failed: xmlschema checks them alone
        return []
    names, skipped, found = {name for _, name in dates}, checks.skipped_in(root), []
    for element in root.iter(etree.Element):
        if names.isdisjoint(element.keys()) or (skipped and element in skipped):
            continue
        namespace = checks.namespace(element.tag)
        for name in names.intersection(element.keys()):
            kind = dates.get((namespace, name)) or dates.get((None, name))
            reason = kind and checks.date_reason(WHITESPACE.sub(" ", element.get(name, "")).strip(" "), kind)
            if kind and reason:
                found.append(checks.problem(element, file, f"attribute {checks.names_of(name)}: {reason}"))
                element.set(name, "2000-01-01" if kind == "date" else "2000")
    return found


# XSD writes decimals and integers with the digits 0-9 (XSD 1.1 part 2, 3.3.3 and 3.4.13; no pattern facet, so XSD
# regexes' Unicode \d does not come in); xmlschema reads them with int() and Decimal(), which also take any Unicode
# digit and '_' between digits (xmlschema 4.3).
_PYTHON_DIGITS = re.compile(r"(?![0-9])\d|[0-9]_[0-9]")
_XSD = "{http://www.w3.org/2001/XMLSchema}"
_XSD_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
_HUGE = re.compile(r"[0-9]{4000}")  # past what Python's int() reads by default (4,300 digits): xmlschema raises


def _as_text(item: tuple[str | bytes, str | bytes]) -> tuple[str | None, str]:
    """An attribute (name, value) from lxml as text (lxml-stubs: str | bytes)."""
    return str(item[0]), str(item[1])


def _numbers(root: etree._Element, schema: xmlschema.XMLSchema11, file: str) -> list[Problem]:
    """Numbers with digits only Python reads, refused as libxml2 refuses them, each then replaced by a value its
    type takes (so that xmlschema reports nothing more about it, as libxml2)."""
    found = []
    skipped = checks.skipped_in(root)
    for element in root.iter(etree.Element):
        values: list[tuple[str | None, str]] = [(None, element.text or ""), *map(_as_text, element.items())]
        odd = [(name, value) for name, value in values if _PYTHON_DIGITS.search(value) or _HUGE.search(value)]
        if not odd or (skipped and element in skipped):
            continue
        steps = [etree.QName(e) for e in [element, *element.iterancestors()][::-1]]
        declaration = schema.find("/" + "/".join(q.text for q in steps))
        for name, value in odd:
            owner = declaration if name is None else declaration.attributes.get(name) if declaration else None
            kind = getattr(owner, "type", None)
            if kind is not None and not kind.is_simple():
                kind = getattr(kind, "content", None)  # simple content; a group (complex content) has no number
            if kind is None or not callable(getattr(kind, "is_simple", None)) or not kind.is_simple() \
                    or getattr(getattr(kind, "primitive_type", None), "local_name", "") != "decimal":  # not a union
                continue
            builtin = "xs:" if kind.name and kind.name.startswith(_XSD) else ""
            what = f"the atomic type '{builtin}{kind.local_name}'" if kind.name else "the local atomic type"
            if _XSD_DECIMAL.fullmatch(WHITESPACE.sub(" ", value).strip(" ")):
                if not _HUGE.search(value) or (kind.max_value is None and not value.strip().startswith("-")):
                    pass  # a number XSD takes (however long, where the type has no bound): no problem
                else:  # a bound the number is far past
                    found.append(checks.problem(element, file, f"the value ({len(value.strip())} digits) is out of "
                                                f"the range of {what}"))
            else:
                reason = f"'{value}' is not a valid value of {what}{checks.DIGITS_ADVICE}"
                found.append(checks.problem(element, file, reason if name is None else
                                            f"attribute {checks.names_of(name)}: {reason}"))
            if not _HUGE.search(value) and _XSD_DECIMAL.fullmatch(WHITESPACE.sub(" ", value).strip(" ")):
                continue
            stand_in = next((v for v in (str(kind.min_value), "1", "0") if kind.is_valid(v)), "0")
            if name is None:
                element.text = stand_in
            else:
                element.set(name, stand_in)
    return found


def _unresolved_types(root: etree._Element, schema: xmlschema.XMLSchema11, file: str) -> list[Problem]:
    """The ``xsi:type`` values that name no type of the schema, worded as the default path (libxml2) words them, each
    then removed so that its element is validated with its declared type, as libxml2 does: xmlschema raises a
    ``KeyError`` for them instead of reporting them (xmlschema 4.3)."""
    from elementpath.datatypes import NCName  # (imported when needed, as xmlschema)

    found = []
    skipped = checks.skipped_in(root)
    for element in root.iter(etree.Element):
        value = element.get(_XSI_TYPE)
        if value is None or (skipped and element in skipped):
            continue
        qname = WHITESPACE.sub(" ", value).strip(" ")
        prefix, colon, local = qname.rpartition(":")
        namespace = element.nsmap.get(prefix or None)
        if not (NCName.is_valid(local) and (not colon or NCName.is_valid(prefix))):
            why = f"'{value}' is not a valid value of the atomic type 'xs:QName'"
        elif prefix and namespace is None:
            why = f"The QName value '{value}' has no corresponding namespace declaration in scope"
        else:
            try:
                schema.maps.types[f"{{{namespace}}}{local}" if namespace else local]
                continue
            except KeyError:
                why = f"The QName value '{value}' of the xsi:type attribute does not resolve to a type definition"
        found.append(checks.problem(element, file, checks.shortened(_spaces_back(
            f"attribute xsi:type: {why}{checks.XSI_TYPE_ADVICE}"))))
        del element.attrib[_XSI_TYPE]
    return found


# --- The previous deposit -------------------------------------------------------------------

def _timestamp_and_dois(tree: etree._ElementTree) -> tuple[int | None, set[str]]:
    root = tree.getroot()
    namespace = root.nsmap.get(None, NS)
    stamp = root.findtext(f"{{{namespace}}}head/{{{namespace}}}timestamp")
    dois = {ids.doi_key(element.text.strip()) for element in root.iter(etree.Element)
            if checks.local(element.tag) == "doi" and element.text and (parent := element.getparent()) is not None
            and checks.local(parent.tag) == "doi_data"}
    number = ids.whole_number(stamp.strip(), ids.MAX_DIGITS) if stamp else None
    return number, dois


def compare_with_previous(current: Path, previous: Path) -> list[Problem]:
    """Crossref ignores a deposit whose timestamp is not newer than the last one for the same DOI."""
    if not Path(previous).is_file():
        return [Problem("crossref.previous-missing", "error", "the previous deposit given with --previous "
                        "does not exist", file=str(previous))]
    new_tree, problems = xmltools.read_xml(Path(current))
    old_tree, old_problems = xmltools.read_xml(Path(previous))
    if new_tree is None or old_tree is None:
        return problems + old_problems
    new_stamp, new_dois = _timestamp_and_dois(new_tree)
    old_stamp, old_dois = _timestamp_and_dois(old_tree)
    shared = new_dois & old_dois
    if shared and new_stamp is not None and old_stamp is not None and new_stamp <= old_stamp:
        return [Problem("crossref.timestamp", "error",
                        f"this deposit's timestamp ({new_stamp}) is not newer than the previous deposit's "
                        f"({old_stamp}) for {len(shared)} of the same DOIs, so Crossref would ignore it; "
                        + _timestamp_advice(old_stamp), file=str(current))]
    return []


def _timestamp_advice(old_stamp: int) -> str:
    """What to do when the previous deposit is newer: a stamp longer than 17 digits (as biblio
    wrote until December 2026) can never be overtaken by a 17-digit one."""
    if len(str(old_stamp)) > TIMESTAMP_DIGITS:
        return (f"the previous deposit's timestamp has {len(str(old_stamp))} digits (biblio wrote 19 until December "
                "2026), larger than any YYYYMMDDhhmmssSSS stamp: ask Crossref support to accept deposits for these "
                "DOIs with 17-digit timestamps again")
    return "check the previous deposit's timestamp (biblio writes YYYYMMDDhhmmssSSS, the UTC time to the millisecond)"
