"""XML helpers shared by the XML formats: safe reading, text that XML can hold, and elements
written as text in the bytes lxml would give."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import ClassVar
from xml.sax import saxutils

from lxml import etree

from ..problems import Problem, Severity

# Characters XML 1.0 cannot hold at all (C0 controls other than tab, LF, CR; lone surrogates; U+FFFE/F).
# lxml refuses exactly these in text and attribute values (tests/test_xml_speedups.py checks it).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# What a value needs done to it before it is written: removed (the above) or escaped.
_TEXT_WORK = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff&<>\r]")
_ATTRIBUTE_WORK = re.compile("[\x00-\x1f\ud800-\udfff\ufffe\uffff&<>\"]")
XML_NS = "http://www.w3.org/XML/1998/namespace"


class Element:
    """An element being written as libxml2 would serialise it: its prefixed name, attributes and text
    already escaped, its depth. Writers make hundreds per article: as plain objects they cost a fraction
    of lxml elements. A child that is a string is already its line(s)."""

    __slots__ = ("attributes", "children", "level", "name", "text")

    def __init__(self, name: str, attributes: str = "", text: str | None = None, level: int = 0) -> None:
        self.name = name
        self.attributes = attributes  # ' name="value"' for each, in order
        self.text = text  # escaped; None: no text node, "" an empty one (written <a></a> as lxml does)
        self.children: list[Element | str] = []
        self.level = level  # 0 for the document element

    def set(self, name: str, value: str) -> None:
        """Add an attribute (qualified name, e.g. ``xml:lang``) after the others; like lxml, refuse a
        value XML cannot hold (the builders' values go through ``Builder`` instead, which cleans them)."""
        if _ILLEGAL.search(value):
            value.encode("utf-8")  # a lone surrogate: UnicodeEncodeError, as from lxml
            raise ValueError("All strings must be XML compatible: Unicode or ASCII, no NULL bytes or control "
                             "characters")
        self.attributes += f' {name}="{escape_attribute(value)}"'


def _escape_text(text: str) -> str:
    """Text content as libxml2 writes it: ``&``, ``<``, ``>`` and CR as references."""
    return saxutils.escape(text, {"\r": "&#13;"})


def escape_attribute(value: str) -> str:
    """An attribute value as libxml2 writes it between double quotes (tab, LF and CR as references,
    so that a reader gets them back instead of spaces)."""
    return saxutils.escape(value, {'"': "&quot;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"})


_INDENTS = ["  " * min(level, 30) for level in range(64)]  # libxml2 indents up to 60 spaces
DEEPEST = len(_INDENTS)  # levels below this have their indentation at hand


def serialise(element: Element) -> str:
    """``element`` as ``etree.tostring(pretty_print=True)`` writes it at its level (newline
    included): each element on its own line, indented, except inside an element with text
    (mixed content), which libxml2 writes on one line."""
    out: list[str] = []
    _pretty(element, out)
    return "".join(out)


def indents(level: int, count: int) -> list[str]:
    """The indentation of ``count`` levels from ``level`` on (all below ``DEEPEST``), for writers
    that write a whole element to text at once."""
    return _INDENTS[level:level + count]


def needs_escaping(values: str) -> bool:
    """Whether text or an attribute value (or several joined) needs cleaning or escaping: if not,
    a writer may put it in its text as it is."""
    return _ATTRIBUTE_WORK.search(values) is not None


def _pretty(element: Element, out: list[str]) -> None:
    indent = _INDENTS[min(element.level, DEEPEST - 1)]
    if element.children and element.text is None:
        out.append(f"{indent}<{element.name}{element.attributes}>\n")
        for child in element.children:
            if isinstance(child, str):
                out.append(child)
            else:
                _pretty(child, out)
        out.append(f"{indent}</{element.name}>\n")
    else:
        out.append(indent)
        _inline(element, out)
        out.append("\n")


def _inline(element: Element | str, out: list[str]) -> None:
    if isinstance(element, str):
        out.append(element.strip(" \n"))  # a leaf's line without its indentation and newline
    elif not element.children and element.text is None:
        out.append(f"<{element.name}{element.attributes}/>")
    else:
        out.append(f"<{element.name}{element.attributes}>{element.text or ''}")
        for child in element.children:
            _inline(child, out)
        out.append(f"</{element.name}>")


class Builder:
    """Shared by the XML writers: elements with cleaned text, problems, and what a format drops.

    Elements are ``Element``s named in Clark notation (``{namespace}local``) or plainly (in
    ``namespace``); ``prefixes`` gives each namespace the prefix the format's root declares.
    """

    namespace: str | None = None  # the default namespace of the format's elements
    prefixes: ClassVar[dict[str | None, str | None]] = {}  # namespace -> prefix (None: the default namespace)

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self._names: dict[str, str] = _NAMES.setdefault(type(self), {})  # a Clark name -> as written
        self._tags: dict[str, str] = _NAMES.setdefault((type(self), "tags"), {})  # in ``namespace``

    def error(self, code: str, message: str, path: str) -> None:
        """Report an error at model ``path``: the writers write no file for what has one."""
        self.problems.append(Problem(code, "error", message, path=path))

    def note(self, code: str, message: str, path: str, severity: Severity = "info") -> None:
        """Report what the reader of the written file should know (a fallback, something left out)."""
        self.problems.append(Problem(code, severity, message, path=path))

    def text(self, value: str, path: str) -> str:
        """``value`` without the characters XML cannot hold, noting (as a warning) when some were removed."""
        cleaned, changed = clean_text(value)
        if changed:
            self.note("xml.illegal-character", "control characters that XML cannot hold were removed", path, "warning")
        return cleaned

    def escaped(self, value: str, path: str) -> str:
        """``value`` as element text: cleaned (with a note) of what XML cannot hold, then escaped."""
        return value if _TEXT_WORK.search(value) is None else _escape_text(self.text(value, path))

    def root(self, tag: str, nsmap: dict[str | None, str], attrib: dict[str, str]) -> Element:
        """The document element, declaring ``nsmap`` (in its order) before ``attrib``."""
        declared = "".join(f' xmlns:{prefix}="{escape_attribute(uri)}"' if prefix else
                           f' xmlns="{escape_attribute(uri)}"' for prefix, uri in nsmap.items())
        return Element(self.name(tag), declared + self.attributes(attrib, ""))

    def holder(self, level: int) -> Element:
        """An element standing for the parent of what is built at ``level``, to be serialised child
        by child."""
        return Element("", level=level - 1)

    def name(self, clark: str) -> str:
        """``{namespace}local`` as written (``prefix:local``, or ``local`` in the default namespace)."""
        written = self._names.get(clark)
        if written is None:
            written = clark
            if clark.startswith("{"):
                namespace, local = clark[1:].split("}", 1)
                prefix = "xml" if namespace == XML_NS else self.prefixes[namespace]
                written = f"{prefix}:{local}" if prefix else local
            self._names[clark] = written
        return written

    def attributes(self, attrib: dict[str, str], path: str) -> str:
        """``attrib`` as written after an element's name, values cleaned (each with a note) and escaped."""
        written = ""
        names = self._names
        for key, value in attrib.items():
            if _ATTRIBUTE_WORK.search(value) is not None:
                value = escape_attribute(self.text(value, path))
            written += f' {names.get(key) or self.name(key)}="{value}"'
        return written

    def sub(self, parent: Element, tag: str, text: str | None = None, /, *, path: str = "",
            namespace: str | None = None, attrs: dict[str, str] | None = None,
            **attributes: str) -> Element:
        """A child element. Attributes with empty values are left out; ``attrs`` takes names that are
        not keywords (``{ns}name``, ``pub-id-type``)."""
        if namespace is None:
            name = self._tags.get(tag)
            if name is None:
                name = self._tags[tag] = self.name(f"{{{self.namespace}}}{tag}" if self.namespace else tag)
        else:
            name = self.name(f"{{{namespace}}}{tag}")
        if attrs:
            attributes.update(attrs)  # after (and over) the keyword ones
        named = {key: value for key, value in attributes.items() if value} if attributes else None
        element = Element(name, self.attributes(named, path) if named else "", None, parent.level + 1)
        if text is not None:
            element.text = text if _TEXT_WORK.search(text) is None else _escape_text(self.text(text, path))
        parent.children.append(element)
        return element

    def leaf(self, parent: Element, name: str, text: str, path: str, attrib: dict[str, str] | None = None) -> None:
        """A child with text and no children, ``name`` in Clark notation, ``attrib`` (if any) as ``node``
        takes it: ``sub`` for hot loops, written to its line at once."""
        attributes = self.attributes(attrib, path) if attrib else ""
        if _TEXT_WORK.search(text) is not None:
            text = _escape_text(self.text(text, path))
        name = self._names.get(name) or self.name(name)
        level = parent.level + 1
        if parent.text is None and level < DEEPEST:
            parent.children.append(f"{_INDENTS[level]}<{name}{attributes}>{text}</{name}>\n")
        else:  # mixed content (no line of its own), or deep
            parent.children.append(Element(name, attributes, text, level))

    def node(self, parent: Element, name: str, attrib: dict[str, str], path: str = "") -> Element:
        """A child with attributes as they are to be written (final names, no empty values): ``sub``
        for hot loops."""
        element = Element(self._names.get(name) or self.name(name), self.attributes(attrib, path) if attrib else "",
                          None, parent.level + 1)
        parent.children.append(element)
        return element


_NAMES: dict[object, dict[str, str]] = {}  # per Builder class: its prefixes make the names


def clean_text(text: str) -> tuple[str, bool]:
    """The text without characters XML cannot carry, and whether any were removed."""
    cleaned = _ILLEGAL.sub("", text)
    return cleaned, cleaned != text


def safe_parser() -> etree.XMLParser:
    """No network, no DTD loading, no entity expansion: reading a file never reaches out."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def read_xml(path: Path, data: bytes | None = None) -> tuple[etree._ElementTree | None, list[Problem]]:
    """Parse an XML file safely (or ``data``, read from it and changed); a malformed file is a
    Problem with its line, not an exception."""
    try:
        if data is not None:
            return etree.parse(io.BytesIO(data), safe_parser(), base_url=str(path)), []
        return etree.parse(str(path), safe_parser()), []
    except etree.XMLSyntaxError as error:
        line, column = (error.position if error.position else (None, None))
        return None, [Problem("xml.syntax", "error", f"this is not well-formed XML: {error.msg}",
                              file=str(path), line=line, column=column)]
    except OSError as error:
        return None, [Problem("xml.io", "error", f"cannot read the file: {error}", file=str(path))]


def element_path(element: etree._Element) -> str:
    """``/doi_batch/body/journal/journal_article[3]/titles`` — positions only where siblings repeat."""
    tree = element.getroottree()
    below = "" if element is tree.getroot() else "/" + re.sub(r"\{[^}]*\}", "", tree.getelementpath(element))
    return f"/{etree.QName(tree.getroot()).localname}{below}"
