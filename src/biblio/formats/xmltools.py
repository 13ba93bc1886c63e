"""XML helpers shared by the XML formats: safe reading and text that XML can hold."""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from ..problems import Problem

# Characters XML 1.0 cannot hold at all (C0 controls other than tab, LF, CR; lone surrogates; U+FFFE/F).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class Builder:
    """Shared by the XML writers: elements with cleaned text, problems, and what a format drops."""

    namespace: str | None = None  # the default namespace of the format's elements
    hyphenate = False  # write keyword attribute pub_id_type as pub-id-type (JATS style)

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.not_carried: dict[str, list[int]] = {}

    def error(self, code: str, message: str, path: str) -> None:
        self.problems.append(Problem(code, "error", message, path=path))

    def note(self, code: str, message: str, path: str, severity: str = "info") -> None:
        self.problems.append(Problem(code, severity, message, path=path))  # type: ignore[arg-type]

    def drop(self, what: str, index: int) -> None:
        """Remember that article ``index`` has ``what``, which this format cannot carry."""
        indexes = self.not_carried.setdefault(what, [])
        if index not in indexes:
            indexes.append(index)

    def text(self, value: str, path: str) -> str:
        cleaned, changed = clean_text(value)
        if changed:
            self.note("xml.illegal-character", "control characters that XML cannot hold were removed",
                      path, "warning")
        return cleaned

    def sub(self, parent: etree._Element, tag: str, text: str | None = None, /, *, path: str = "",
            namespace: str | None = None, attrs: dict[str, str] | None = None,
            **attributes: str) -> etree._Element:
        """A child element. Attributes with empty values are left out; ``attrs`` takes names as
        they are (``{ns}name``, ``start_date``), keyword names are hyphenated when the format is."""
        space = namespace if namespace is not None else self.namespace
        name = f"{{{space}}}{tag}" if space else tag
        named = {(key.replace("_", "-") if self.hyphenate else key): value for key, value in attributes.items()}
        named.update(attrs or {})
        element = etree.SubElement(parent, name, {
            key: self.text(value, path) for key, value in named.items() if value})
        if text is not None:
            element.text = self.text(text, path)
        return element


def clean_text(text: str) -> tuple[str, bool]:
    """The text without characters XML cannot carry, and whether any were removed."""
    cleaned = _ILLEGAL.sub("", text)
    return cleaned, cleaned != text


def safe_parser() -> etree.XMLParser:
    """No network, no DTD loading, no entity expansion: reading a file never reaches out."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           remove_blank_text=False)


def read_xml(path: Path) -> tuple[etree._ElementTree | None, list[Problem]]:
    """Parse an XML file safely; a malformed file is a Problem with its line, not an exception."""
    try:
        return etree.parse(str(path), safe_parser()), []
    except etree.XMLSyntaxError as error:
        line, column = (error.position if error.position else (None, None))
        return None, [Problem("xml.syntax", "error", f"this is not well-formed XML: {error.msg}",
                              file=str(path), line=line, column=column)]
    except OSError as error:
        return None, [Problem("xml.io", "error", f"cannot read the file: {error}", file=str(path))]


def element_path(element: etree._Element) -> str:
    """``/doi_batch/body/journal/journal_article[3]/titles`` — positions only where siblings repeat."""
    parts = []
    node = element
    while node is not None:
        name = etree.QName(node).localname
        parent = node.getparent()
        if parent is not None:
            same = [child for child in parent if child.tag == node.tag]
            if len(same) > 1:
                name += f"[{same.index(node) + 1}]"
        parts.append(name)
        node = parent
    return "/" + "/".join(reversed(parts))
