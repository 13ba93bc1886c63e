"""Parse YAML (or JSON) while remembering where every value came from.

PyYAML's node graph carries line/column marks; we walk it ourselves so that every
value, and every mapping key, can be traced back to ``file:line:column`` by its
path, and so that duplicate keys — which PyYAML silently overwrites — are caught.
libyaml (``yaml.CSafeLoader``) composes the nodes when PyYAML was built with it.

Large manifests are JSON (``biblio.dump``, other tools). Composing a YAML node graph
for them costs about 5 ms and 0.3 MB per article, and a position for every value about
as much again, so ``parse(..., lazy=True)`` reads a ``.json`` file with the standard
library's C decoder and finds positions only when a problem asks for one: an index of
the top-level values and of the items of top-level lists (byte offset, line, column)
is built on the first question, and a question decodes only the item it is about —
from the text while it is held, from the file after ``Located.release()``.
"""

from __future__ import annotations

import json
import os
import re
from array import array
from dataclasses import dataclass, field
from json.decoder import scanstring
from typing import Any

import yaml

from .problems import Problem

Path = tuple  # of str | int


@dataclass
class Located:
    """A parsed document: plain Python data plus the position of each path."""

    data: Any
    file: str
    positions: dict[Path, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path, tuple[int, int]] = field(default_factory=dict)
    raw_scalars: dict[Path, str] = field(default_factory=dict)  # plain scalars read as numbers, dates, bools
    locator: JsonLocator | None = field(default=None, repr=False)  # lazy positions (JSON read with lazy=True)

    def where(self, path: Path, *, key: bool = False) -> dict:
        """Keyword arguments for Problem: file, line, column and the dotted path."""
        if self.locator is not None:
            line, column = self.locator.where(path, key=key)
            return {"file": self.file, "line": line, "column": column, "path": format_path(path) or None}
        spot = None
        if key:
            spot = self.key_positions.get(path)
        if spot is None:
            probe = path
            while probe and probe not in self.positions:
                probe = probe[:-1]
            spot = self.positions.get(probe)
        line, column = spot if spot else (None, None)
        return {"file": self.file, "line": line, "column": column, "path": format_path(path) or None}

    def raw(self, path: Path, value: Any) -> str | None:
        """The text of a number, date or true/false as written in the file, when known."""
        if self.locator is not None:
            if isinstance(value, bool):
                return "true" if value else "false"
            return getattr(value, "raw", None)
        return self.raw_scalars.get(path)

    def release(self, path: str | os.PathLike | None = None, *, keep_data: bool = False) -> None:
        """Let go of the data (unless ``keep_data``) and the text: with a lazy locator, positions
        are then read from the file at ``path`` (none if it changed since)."""
        if not keep_data:
            self.data = None
        if self.locator is not None:
            self.locator.release(path)


def format_path(path: Path) -> str:
    """``("articles", 3, "doi")`` -> ``articles[3].doi``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text


_STR = "tag:yaml.org,2002:str"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML was built with it


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Walker:
    def __init__(self, loader: yaml.SafeLoader, doc: Located, problems: list[Problem]):
        self.loader = loader
        self.doc = doc
        self.problems = problems
        self.collections: set[int] = set()

    def walk(self, node: yaml.Node, path: Path) -> Any:
        self.doc.positions[path] = _mark(node)
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            # An alias (*name) hands back a node seen before: following it could loop forever
            # or multiply the document, so a reused list or mapping is refused.
            if id(node) in self.collections:
                line, column = _mark(node)
                self.problems.append(Problem(
                    "manifest.alias", "error", f"'{format_path(path)}' reuses, through a YAML alias (*name), "
                    f"the list or mapping defined on line {line}; write the value out instead",
                    path=format_path(path) or None, file=self.doc.file, line=line, column=column))
                return None
            self.collections.add(id(node))
        if isinstance(node, yaml.MappingNode):
            result: dict = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    line, column = _mark(key_node)
                    self.problems.append(Problem(
                        "manifest.key", "error", "a key must be a plain name, not a list or mapping",
                        path=format_path(path) or None, file=self.doc.file, line=line, column=column))
                    continue
                key = key_node.value
                child = path + (key,)
                if key in result:
                    line, column = _mark(key_node)
                    first_line = self.doc.key_positions[child][0]
                    self.problems.append(Problem(
                        "manifest.duplicate-key", "error",
                        f"the key '{key}' appears twice here (first on line {first_line}); keep one",
                        path=format_path(child), file=self.doc.file, line=line, column=column))
                    continue
                self.doc.key_positions[child] = _mark(key_node)
                result[key] = self.walk(value_node, child)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.walk(item, path + (index,)) for index, item in enumerate(node.value)]
        if node.tag == _STR:  # quoted, or plain text that resolves to nothing else
            return node.value
        try:
            value = self.loader.construct_object(node, deep=True)
        except ValueError:  # looks like a date or number but is not one (2025-13-01): keep the text
            return node.value
        finally:
            self.loader.constructed_objects.pop(node, None)  # the loader would keep every node alive
        if not node.style:  # plain (libyaml: ""), turned into a number, date, bool: keep what was typed
            self.doc.raw_scalars[path] = node.value
        return value


def parse(text: str, file: str, *, lazy: bool = False) -> tuple[Located | None, list[Problem]]:
    """Parse YAML or JSON text; problems instead of exceptions for malformed input.

    ``lazy``: read a ``.json`` file with the standard library and locate values only when
    asked (``Located.where``); the same data, problems and positions as the YAML reading,
    at a fraction of the time and memory. YAML, and JSON the standard library refuses or
    that repeats a key, take the YAML reading.
    """
    if lazy and file.endswith(".json"):
        doc = _parse_json_lazy(text, file)
        if doc is not None:
            return doc, []
    problems: list[Problem] = []
    if file.endswith(".json"):
        text = text.replace("\t", " ")  # JSON allows tabs between tokens, YAML not in indentation
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if file.endswith(".json"):
            return _parse_json(text, file)
        message = (error.problem or error.context or "the file is not valid YAML").strip()
        return None, [Problem(
            "manifest.syntax", "error",
            f"this is not valid YAML: {message}; check indentation, colons and quotes near here",
            file=file, line=mark.line + 1 if mark else None, column=mark.column + 1 if mark else None)]
    except yaml.YAMLError as error:
        return None, [Problem("manifest.syntax", "error", f"this is not valid YAML: {error}", file=file)]
    except RecursionError:
        return None, [_too_deep(file)]
    finally:
        loader.dispose()
    doc = Located(None, file)
    if node is None:
        return doc, problems
    try:
        doc.data = _Walker(loader, doc, problems).walk(node, ())
    except yaml.constructor.ConstructorError as error:
        mark = error.problem_mark
        return None, [Problem(
            "manifest.syntax", "error", f"this value cannot be read: {error.problem}",
            file=file, line=mark.line + 1 if mark else None, column=mark.column + 1 if mark else None)]
    except RecursionError:
        return None, [_too_deep(file)]
    return doc, problems


def _too_deep(file: str) -> Problem:
    return Problem("manifest.syntax", "error", "the file nests lists or mappings too deeply to be a manifest",
                   file=file)


def _parse_json(text: str, file: str) -> tuple[Located | None, list[Problem]]:
    try:
        data = json.loads(text)
    except RecursionError:
        return None, [_too_deep(file)]
    except json.JSONDecodeError as error:
        return None, [Problem("manifest.syntax", "error", f"this is not valid JSON: {error.msg}",
                              file=file, line=error.lineno, column=error.colno)]
    return Located(data, file), []


# --- JSON with lazy positions -------------------------------------------------------------

class _RawFloat(float):
    """A JSON number with a fraction or exponent that remembers how it was written ("1.10")."""

    __slots__ = ("raw",)

    def __new__(cls, text: str):
        value = super().__new__(cls, text)
        value.raw = text
        return value

    def __reduce__(self):  # pickles (to worker processes) as the text it came from
        return (_RawFloat, (self.raw,))


class RepeatedKey(Exception):
    pass


def _unique_keys(pairs: list) -> dict:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise RepeatedKey  # the YAML reading reports it with both lines
    return result


JSON_DECODER = json.JSONDecoder(object_pairs_hook=_unique_keys, parse_float=_RawFloat)


def _parse_json_lazy(text: str, file: str) -> Located | None:
    """The data of a JSON text and a lazy locator; None when the YAML reading must decide."""
    try:
        data = JSON_DECODER.decode(text)
    except (ValueError, RepeatedKey, RecursionError):
        return None
    return Located(data, file, locator=JsonLocator(text))


WHITESPACE = re.compile(r"[ \t\n\r]*")


class BufferedJsonText:
    """What the readers of a big JSON file piece by piece share (the manifest's articles, a
    CSL-JSON array): a text buffer ``buf`` with a committed position ``pos``, refilled by the
    subclass's ``more()`` until ``eof``."""

    buf: str
    pos: int
    eof: bool

    def more(self) -> None:
        raise NotImplementedError

    def skip(self) -> str:
        """Skip white space; the next character ('' at the end of the file)."""
        while True:
            self.pos = WHITESPACE.match(self.buf, self.pos).end()
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if self.eof:
                return ""
            self.more()
_SKIP = json.JSONDecoder()  # skips values while looking for a path


class JsonLocator:
    """Finds the line and column of a path in a JSON text, decoding only the part it needs.

    Index (built on the first question): for each top-level value, and for each item of a
    top-level list, its span in characters and bytes and the line and column it starts at.
    """

    def __init__(self, text: str):
        self.text: str | None = text
        self.source: str | None = None  # the file read after release()
        self.stamp: tuple[int, int] | None = None
        self.bom = 0
        self.keys: dict[Any, int] = {}  # top-level key or index -> entry number
        self.key_entries: dict[Any, int] = {}  # top-level key -> entry number of the key itself
        self.items: dict[int, list[int]] = {}  # entry number of a top-level list -> its items' entry numbers
        self.spans = array("q")  # per entry: char start, char end, byte start, byte end, line, column
        self.root: tuple[int, int] | None = None
        self.cache: tuple[int, str] | None = None
        self.indexed = False
        self.shallow: dict[tuple[Any, bool], tuple[int, int] | None] = {}  # top-level answers without the index

    # -- index -----------------------------------------------------------------------------

    def _index(self) -> None:
        self.indexed = True
        text = self.text
        if text is None:  # released before the first question: read the file once for the index
            text = self._read_source()
            if text is None:
                return
        marks: list[tuple[int, int]] = []  # (start, end) char spans, in order
        start = WHITESPACE.match(text, 0).end()
        if start >= len(text):
            return
        marks.append((start, start))
        if text[start] in "{[":
            closing = "}" if text[start] == "{" else "]"
            i = WHITESPACE.match(text, start + 1).end()
            number = 0
            while i < len(text) and text[i] != closing:
                key: Any = number
                if closing == "}":
                    key_start = i
                    key, i = scanstring(text, i + 1)
                    self.key_entries[key] = len(marks)
                    marks.append((key_start, i))
                    i = WHITESPACE.match(text, i).end() + 1  # the colon
                    i = WHITESPACE.match(text, i).end()
                value_start = i
                if text[i] == "[":  # a top-level list: index its items too
                    item_spans: list[tuple[int, int]] = []
                    j = WHITESPACE.match(text, i + 1).end()
                    while text[j] != "]":
                        _, end = _SKIP.raw_decode(text, j)
                        item_spans.append((j, end))
                        j = WHITESPACE.match(text, end).end()
                        if text[j] == ",":
                            j = WHITESPACE.match(text, j + 1).end()
                    end = j + 1
                    self.keys[key] = len(marks)
                    marks.append((value_start, end))
                    self.items[self.keys[key]] = list(range(len(marks), len(marks) + len(item_spans)))
                    marks.extend(item_spans)
                else:
                    _, end = _SKIP.raw_decode(text, i)
                    self.keys[key] = len(marks)
                    marks.append((value_start, end))
                i = WHITESPACE.match(text, end).end()
                if i < len(text) and text[i] == ",":
                    i = WHITESPACE.match(text, i + 1).end()
                number += 1
        self._measure(text, marks)

    def _measure(self, text: str, marks: list[tuple[int, int]]) -> None:
        """Byte offsets, lines and columns of every mark, in one pass over the text."""
        points = sorted({offset for span in marks for offset in span})
        where: dict[int, tuple[int, int, int]] = {}
        position = byte = 0
        line = 1
        last_newline = -1
        for offset in points:
            piece = text[position:offset]
            byte += len(piece.encode("utf-8", "surrogatepass"))
            breaks = piece.count("\n")
            if breaks:
                line += breaks
                last_newline = position + piece.rfind("\n")
            where[offset] = (byte, line, offset - last_newline)
            position = offset
        for start, end in marks:
            self.spans.extend((start, end, where[start][0], where[end][0], where[start][1], where[start][2]))

    # -- questions ---------------------------------------------------------------------------

    def release(self, path: str | os.PathLike | None) -> None:
        if path is None:
            if not self.indexed:
                self._index()
            return
        try:
            stat = os.stat(path)
        except OSError:
            return
        self.source = os.fspath(path)
        self.stamp = (stat.st_size, stat.st_mtime_ns)
        try:
            with open(self.source, "rb") as stream:
                self.bom = 3 if stream.read(3) == b"\xef\xbb\xbf" else 0
        except OSError:
            return
        self.text = None
        self.cache = None

    def _read_source(self) -> str | None:
        if not self._unchanged():
            return None
        try:
            with open(self.source, "rb") as stream:  # type: ignore[arg-type]
                return stream.read().decode("utf-8-sig", "surrogatepass")
        except (OSError, TypeError, UnicodeDecodeError):
            return None

    def _unchanged(self) -> bool:
        if self.text is not None:
            return True
        try:
            stat = os.stat(self.source)  # type: ignore[arg-type]
        except (OSError, TypeError):
            return False
        return (stat.st_size, stat.st_mtime_ns) == self.stamp  # else no line rather than a wrong one

    def _entry(self, number: int) -> tuple[int, ...]:
        return tuple(self.spans[number * 6:number * 6 + 6])

    def _fragment(self, number: int) -> str | None:
        if self.cache is not None and self.cache[0] == number:
            return self.cache[1]
        start, end, byte_start, byte_end, _, _ = self._entry(number)
        if self.text is not None:
            fragment = self.text[start:end]
        else:
            try:
                with open(self.source, "rb") as stream:  # type: ignore[arg-type]
                    stream.seek(self.bom + byte_start)
                    fragment = stream.read(byte_end - byte_start).decode("utf-8", "surrogatepass")
            except (OSError, TypeError, UnicodeDecodeError):
                return None
        self.cache = (number, fragment)
        return fragment

    def _spot(self, number: int, offset: int = 0) -> tuple[int, int]:
        _, _, _, _, line, column = self._entry(number)
        if offset == 0:
            return line, column
        fragment = self._fragment(number)
        assert fragment is not None
        breaks = fragment.count("\n", 0, offset)
        if not breaks:
            return line, column + offset
        return line + breaks, offset - fragment.rfind("\n", 0, offset)

    def _top_level(self, name: Any, key: bool) -> tuple[int, int] | None:
        """A top-level key's (or its value's) line and column, from as short a start of the text as
        will do: the paths most problems name (``articles``, ``issue``) need neither the index nor,
        once the text is released, more than the first part of the file."""
        if (name, key) in self.shallow:
            return self.shallow[(name, key)]
        size = 1 << 20
        found = None
        while True:
            if self.text is not None:
                text, whole = self.text, True
            else:
                try:
                    with open(self.source, "rb") as stream:  # type: ignore[arg-type]
                        stream.seek(self.bom)
                        data = stream.read(size)
                        whole = not stream.read(1)
                except (OSError, TypeError):
                    return None
                text = data.decode("utf-8", "ignore" if not whole else "surrogatepass")
            try:
                found = _find_top_level(text, name)
                break
            except (IndexError, ValueError):
                if whole:
                    return None
                size *= 4
        if found is not None:
            offset = found[0] if key and found[0] is not None else found[1]
            breaks = text.count("\n", 0, offset)
            found = (breaks + 1, offset - text.rfind("\n", 0, offset))
        self.shallow[(name, key)] = found
        return found

    def where(self, path: Path, *, key: bool = False) -> tuple[int | None, int | None]:
        if len(path) == 1 and not self.indexed and isinstance(path[0], str) and self._unchanged():
            spot = self._top_level(path[0], key)
            if spot is not None:
                return spot
        if not self.indexed:
            self._index()
        if not self.spans or not self._unchanged():
            return None, None
        if not path or path[0] not in self.keys:
            return self._spot(0)
        top = self.keys[path[0]]
        if len(path) == 1:
            if key and path[0] in self.key_entries:
                return self._spot(self.key_entries[path[0]])
            return self._spot(top)
        entry, rest = top, path[1:]
        items = self.items.get(top)
        if items is not None:  # never decode a whole top-level list
            if not (isinstance(rest[0], int) and 0 <= rest[0] < len(items)):
                return self._spot(top)
            entry, rest = items[rest[0]], rest[1:]
            if not rest:
                return self._spot(entry)
        fragment = self._fragment(entry)
        if fragment is None:
            return None, None
        reached = _descend(fragment, rest)
        if not reached:
            return self._spot(entry)
        key_offset, value_offset = reached[-1]
        if key and len(reached) == len(rest) and key_offset is not None:
            return self._spot(entry, key_offset)
        return self._spot(entry, value_offset)


def _find_top_level(text: str, name: str) -> tuple[int | None, int] | None:
    """(key offset, value offset) of a key of the top-level object, None if it has no such key;
    IndexError or ValueError when the text ends first (a start of the file: read more)."""
    i = WHITESPACE.match(text, 0).end()
    if text[i] != "{":
        return None
    i = WHITESPACE.match(text, i + 1).end()
    while text[i] != "}":
        key_offset = i
        found, i = scanstring(text, i + 1)
        i = WHITESPACE.match(text, WHITESPACE.match(text, i).end() + 1).end()
        if found == name:
            text[i]  # the value must have started within the text (else IndexError: read more)
            return key_offset, i
        _, i = _SKIP.raw_decode(text, i)
        i = WHITESPACE.match(text, i).end()
        if text[i] == ",":
            i = WHITESPACE.match(text, i + 1).end()
    return None


def _descend(text: str, path: Path) -> list[tuple[int | None, int]]:
    """(key offset, value offset) of each part of ``path`` found below the value at offset 0."""
    reached: list[tuple[int | None, int]] = []
    offset = 0
    try:
        for part in path:
            opening = text[offset]
            found = None
            if opening == "{" and isinstance(part, str):
                i = WHITESPACE.match(text, offset + 1).end()
                while text[i] != "}":
                    key_offset = i
                    name, i = scanstring(text, i + 1)
                    i = WHITESPACE.match(text, WHITESPACE.match(text, i).end() + 1).end()
                    if name == part:
                        found = (key_offset, i)
                        break
                    _, i = _SKIP.raw_decode(text, i)
                    i = WHITESPACE.match(text, i).end()
                    if text[i] == ",":
                        i = WHITESPACE.match(text, i + 1).end()
            elif opening == "[" and isinstance(part, int):
                i = WHITESPACE.match(text, offset + 1).end()
                number = 0
                while text[i] != "]":
                    if number == part:
                        found = (None, i)
                        break
                    _, i = _SKIP.raw_decode(text, i)
                    i = WHITESPACE.match(text, i).end()
                    if text[i] == ",":
                        i = WHITESPACE.match(text, i + 1).end()
                    number += 1
            if found is None:
                break
            reached.append(found)
            offset = found[1]
    except (IndexError, ValueError):
        pass
    return reached
