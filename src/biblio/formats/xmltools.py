"""XML helpers shared by the XML formats: safe reading and text that XML can hold."""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from ..problems import Problem

# Characters XML 1.0 cannot hold at all (C0 controls other than tab, LF, CR; lone surrogates; U+FFFE/F).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


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
