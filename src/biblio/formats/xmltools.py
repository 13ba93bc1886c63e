"""XML helpers shared by the XML formats (safe reading, text that XML can hold), and the atomic
streamed file output every format writer shares."""

from __future__ import annotations

import functools
import gc
import io
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, TextIO, TypeVar

from lxml import etree

from ..fileio import _UMASK
from ..problems import Problem

# Characters XML 1.0 cannot hold at all (C0 controls other than tab, LF, CR; lone surrogates; U+FFFE/F).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class Builder:
    """Shared by the XML writers: elements with cleaned text, problems, and what a format drops."""

    namespace: str | None = None  # the default namespace of the format's elements
    hyphenate = False  # write keyword attribute pub_id_type as pub-id-type (JATS style)

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.not_carried: dict[str, dict[int, None]] = {}  # an ordered set per kind

    def error(self, code: str, message: str, path: str) -> None:
        self.problems.append(Problem(code, "error", message, path=path))

    def note(self, code: str, message: str, path: str, severity: str = "info") -> None:
        self.problems.append(Problem(code, severity, message, path=path))  # type: ignore[arg-type]

    def drop(self, what: str, index: int) -> None:
        """Remember that article ``index`` has ``what``, which this format cannot carry.

        A dict keeps the indexes in order and makes the check constant-time: a list scan
        here made a whole-issue deposit quadratic.
        """
        self.not_carried.setdefault(what, {})[index] = None

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
        they are (``{ns}name``, ``start_date``), keyword names are hyphenated when the format is.

        lxml refuses exactly the characters ``clean_text`` removes, so values are handed to it
        as they are and cleaned (with a note) only when it refuses: the writers' hot path.
        """
        space = namespace if namespace is not None else self.namespace
        name = f"{{{space}}}{tag}" if space else tag
        if attributes or attrs:
            if self.hyphenate:
                named = {key.replace("_", "-"): value for key, value in attributes.items() if value}
            else:
                named = {key: value for key, value in attributes.items() if value}
            for key, value in (attrs or {}).items():  # as given, after (and over) the keyword ones
                if value:
                    named[key] = value
                else:
                    named.pop(key, None)
            try:
                element = _SubElement(parent, name, named)
            except ValueError:
                element = _SubElement(parent, name, {key: self.text(value, path) for key, value in named.items()})
        else:
            element = _SubElement(parent, name)
        if text is not None:
            try:
                element.text = text
            except ValueError:
                element.text = self.text(text, path)
        return element

    def leaf(self, parent: etree._Element, name: str, text: str, path: str,
             attrib: dict[str, str] | None = None) -> etree._Element:
        """A child with text, ``name`` already qualified, ``attrib`` (if any) as ``node`` takes it:
        ``sub`` for hot loops."""
        element = self.node(parent, name, attrib, path) if attrib else _SubElement(parent, name)
        try:
            element.text = text
        except ValueError:
            element.text = self.text(text, path)
        return element

    def node(self, parent: etree._Element, name: str, attrib: dict[str, str], path: str = "") -> etree._Element:
        """A child with attributes as they are to be written (final names, no empty values): ``sub``
        for hot loops."""
        try:
            return _SubElement(parent, name, attrib)
        except ValueError:
            return _SubElement(parent, name, {key: self.text(value, path) for key, value in attrib.items()})


_SubElement = etree.SubElement


_F = TypeVar("_F", bound=Callable)


def gc_paused(function: _F) -> _F:
    """Run ``function`` without cyclic garbage collection. A text writer makes many short-lived
    objects and no cycles; with a large issue model in memory, the collections they trigger
    walked the model again and again (a third of BibTeX's and RIS's writing time)."""
    @functools.wraps(function)
    def paused(*args, **kwargs):
        if not gc.isenabled():
            return function(*args, **kwargs)
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            gc.enable()
    return paused  # type: ignore[return-value]


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


def write_text_file(path: Path, dump: Callable[[TextIO], list[Problem]]) -> tuple[list[Path], list[Problem]]:
    """A text format's registry writer: ``dump`` writes UTF-8 text (newlines as given) into
    ``write_streamed``'s temporary file; the written path, or none when there was an error."""
    def produce(stream: BinaryIO) -> list[Problem]:
        text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=True)
        try:
            return dump(text)
        finally:
            text.detach()

    problems = write_streamed(path, produce)
    if any(p.severity == "error" for p in problems):
        return [], problems
    return [path], problems


def write_streamed(path: Path, produce: Callable[[BinaryIO], list[Problem]]) -> list[Problem]:
    """Let ``produce`` write to a temporary file next to ``path``; rename it over ``path`` unless
    the problems it returns include an error (then the file is removed, the old one kept).

    Shared by the streaming writers of every format: the output is never whole in memory,
    and, as with ``fileio.write_atomic``, a failure never leaves half a file behind.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb", buffering=1 << 16) as stream:
            problems = produce(stream)
        if any(p.severity == "error" for p in problems):
            Path(temporary).unlink(missing_ok=True)
            return problems
        os.chmod(temporary, 0o666 & ~_UMASK)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return problems
