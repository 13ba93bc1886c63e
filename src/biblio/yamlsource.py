"""Parse YAML (or JSON) while remembering where every value came from.

We walk PyYAML's node graph ourselves so that every value and mapping key can be traced back to ``file:line:column`` by
its path, and so that duplicate keys (which PyYAML silently overwrites) are caught. A node graph costs about 5 ms and
0.3 MB per article, so ``parse(..., lazy=True)`` decodes a ``.json`` file with the standard library and finds a position
only when a problem asks for one (``JsonLocator``).
"""

from __future__ import annotations

import codecs
import json
import os
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from json.decoder import scanstring  # type: ignore[attr-defined]  # there, but typeshed leaves it out
from typing import Any, BinaryIO, TypeVar

import yaml

from .ids import MAX_DIGITS
from .problems import Problem

Path = tuple[str | int, ...]
_T = TypeVar("_T")


@dataclass
class Located:
    """A parsed document: plain Python data plus the position of each path."""

    data: Any
    file: str | None
    positions: dict[Path, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path, tuple[int, int]] = field(default_factory=dict)
    raw_scalars: dict[Path, str] = field(default_factory=dict)  # plain scalars read as numbers, dates, bools
    json: bool = False  # decoded by JSON_DECODER: a number keeps its own text
    locator: JsonLocator | None = field(default=None, repr=False)  # lazy positions (JSON read with lazy=True)

    def where(self, path: Path, *, key: bool = False) -> dict[str, Any]:
        """Keyword arguments for Problem: file, line, column and the dotted path."""
        if self.locator is not None:
            line, column = self.locator.where(path, key=key)
        else:
            spot = self.key_positions.get(path) if key else None
            probe = path
            while spot is None and probe and probe not in self.positions:
                probe = probe[:-1]
            line, column = spot or self.positions.get(probe) or (None, None)
        return {"file": self.file, "line": line, "column": column, "path": format_path(path) or None}

    def raw(self, path: Path, value: Any) -> str | None:
        """The text of a number, date or true/false as written in the file, when known."""
        if not self.json:
            return self.raw_scalars.get(path)
        if isinstance(value, bool):
            return "true" if value else "false"
        return getattr(value, "raw", None)

    def release(self, path: str | os.PathLike[str]) -> None:
        """Let go of the JSON text: positions are then read from ``path`` (none if it changed since)."""
        if self.locator is not None:
            self.locator.release(path)


def format_path(path: Path) -> str:
    """``("articles", 3, "doi")`` -> ``articles[3].doi``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else ("." if text else "") + str(part)
    if not text.isascii():  # a key with a JSON "\ud800" in it: printed as such, not a character that cannot be written
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
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

    def problem(self, code: str, message: str, path: Path, node: yaml.Node) -> None:
        line, column = _mark(node)
        self.problems.append(Problem(code, "error", message, path=format_path(path) or None, file=self.doc.file,
                                     line=line, column=column))

    def _implicit(self, node: yaml.Node) -> bool:
        """Whether a scalar's type comes from its plain text (``12``, ``2025-13-01``), not from a tag written."""
        if not isinstance(node, yaml.ScalarNode) or node.style:
            return False
        resolved = self.loader.resolve(yaml.ScalarNode, node.value, (True, False))  # type: ignore[no-untyped-call]
        return bool(resolved == node.tag)

    def walk(self, node: yaml.Node, path: Path) -> Any:
        self.doc.positions[path] = _mark(node)
        if len(path) >= DEEPEST and isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            if not any(problem.message == _TOO_DEEP for problem in self.problems):  # once, where it first happens
                self.problem("manifest.syntax", _TOO_DEEP, (), node)
            return None
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            # An alias (*name) hands back a node seen before: following it could loop forever
            # or multiply the document, so a reused list or mapping is refused.
            if id(node) in self.collections:
                self.problem("manifest.alias", f"'{format_path(path)}' reuses, through a YAML alias (*name), the list "
                             f"or mapping defined on line {_mark(node)[0]}; write the value out instead", path, node)
                return None
            self.collections.add(id(node))
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    self.problem("manifest.key", "a key must be a plain name, not a list or mapping", path, key_node)
                    continue
                key = key_node.value
                child = path + (key,)
                if key in result:
                    first_line = self.doc.key_positions[child][0]
                    self.problem("manifest.duplicate-key", f"the key '{key}' appears twice here (first on line "
                                 f"{first_line}); keep one", child, key_node)
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
            if value is None and node.value and not self._implicit(node):
                raise ValueError  # "!!null x": PyYAML drops the text
        except (ValueError, LookupError, AttributeError, TypeError, yaml.YAMLError):
            if self._implicit(node):  # looks like a date or number but is not one (2025-13-01): keep the text
                return node.value
            self.problem("manifest.tag", _tag_message(node), path, node)  # "!!bool maybe", "!!int abc", "!foo"
            return None
        finally:
            self.loader.constructed_objects.pop(node, None)  # the loader would keep every node alive
        if isinstance(node, yaml.ScalarNode) and not node.style:  # plain (libyaml: "") number, date, bool: its text
            self.doc.raw_scalars[path] = node.value
        return value


def parse(text: str, file: str, *, lazy: bool = False) -> tuple[Located | None, list[Problem]]:
    """Parse YAML or JSON text; problems instead of exceptions for malformed input.

    ``lazy``: read a ``.json`` file with the standard library and locate values only when asked (``Located.where``); the
    same data, problems and positions as the YAML reading, at a fraction of the time and memory. YAML, and JSON the
    standard library refuses or that repeats a key, take the YAML reading.
    """
    if lazy and file.endswith(".json"):
        try:
            return Located(JSON_DECODER.decode(text), file, json=True, locator=JsonLocator(text)), []
        except (ValueError, RepeatedKey, RecursionError):
            pass  # the YAML reading reports it
    problems: list[Problem] = []
    if file.endswith(".json"):
        text = text.replace("\t", " ")  # JSON allows tabs between tokens, YAML not in indentation
    loader = _Loader(text)
    doc = Located(None, file)
    try:
        node = loader.get_single_node()
        if node is not None:
            doc.data = _Walker(loader, doc, problems).walk(node, ())
    except (yaml.YAMLError, RecursionError) if file.endswith(".json") else ():
        return _parse_json(text, file)  # JSON's own message and position
    except yaml.MarkedYAMLError as error:
        message = (error.problem or error.context or "the file is not valid YAML").strip()
        mark = error.problem_mark or error.context_mark
        hint = "check indentation, colons and quotes near here"
        line = text.splitlines()[mark.line] if mark is not None and mark.line < len(text.splitlines()) else ""
        if mark is not None and "\t" in line[:mark.column + 1]:
            hint = "there is a tab here: YAML indents with spaces only; replace the tab with spaces"
        return None, [_syntax(file, f"this is not valid YAML: {message}; {hint}", mark)]
    except yaml.reader.ReaderError as error:  # a character YAML cannot hold: at a position, in bytes for libyaml
        return None, [_unacceptable(text, error, bytes_counted=_Loader is not yaml.SafeLoader, file=file)]
    except yaml.YAMLError as error:
        return None, [_syntax(file, f"this is not valid YAML: {error}")]
    except RecursionError:  # PyYAML without libyaml composes nodes by recursion
        return None, [_syntax(file, _TOO_DEEP)]
    finally:
        loader.dispose()
    return doc, problems


DEEPEST = 100  # lists and mappings a manifest may nest (it needs 6): deeper, Python's recursion runs out
_TOO_DEEP = f"lists or mappings nest more than {DEEPEST} deep, too deep to be a manifest"


def _unacceptable(text: str, error: yaml.reader.ReaderError, *, bytes_counted: bool, file: str) -> Problem:
    """A character YAML refuses (a control character, U+FFFF ...), with its line and column and what to do."""
    offset = len(text.encode("utf-8", "surrogatepass")[:error.position].decode("utf-8", "ignore")) if bytes_counted \
        else error.position
    line, column = text_spot(text, offset)
    code = error.character if isinstance(error.character, int) else ord(str(error.character)[:1] or "\0")
    escape = f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"
    return Problem("manifest.syntax", "error", f"this is not valid YAML: the character U+{code:04X} cannot appear in "
                   f"YAML as it is ({error.reason}); remove it, or write it as {escape} inside double quotes",
                   file=file, line=line, column=column)


def text_spot(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of ``text[offset]`` (CRLF and CR count as one line break)."""
    before = text[:offset].replace("\r\n", "\n").replace("\r", "\n")
    return before.count("\n") + 1, len(before) - before.rfind("\n")


_TAGGED = {"bool": "true or false", "int": "a whole number", "float": "a number", "null": "an empty value (null or ~)",
           "timestamp": "a date such as 2025-06-30", "binary": "base64 text (A-Z, a-z, 0-9, + and /)"}


def _tag_message(node: yaml.Node) -> str:
    """Why a scalar with a tag written before it (``!!bool maybe``) cannot be read."""
    tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
    text = repr(node.value if len(node.value) <= 60 else node.value[:60] + "…")
    wanted = _TAGGED.get(tag[2:]) if tag.startswith("!!") else None
    if wanted:
        return f"{text} is not {wanted}, as the tag {tag} before it says; correct the value or remove the tag"
    return f"the tag {tag} cannot be used in a manifest; remove it"


def _syntax(file: str, message: str, mark: yaml.Mark | None = None) -> Problem:
    return Problem("manifest.syntax", "error", message, file=file, line=mark.line + 1 if mark else None,
                   column=mark.column + 1 if mark else None)


def _parse_json(text: str, file: str) -> tuple[Located | None, list[Problem]]:
    try:
        data = json.loads(text, parse_int=_json_int, object_pairs_hook=_unique_keys)
    except RepeatedKey as error:
        return None, [_repeated_key(text, file, error.args[0])]
    except RecursionError:
        line, column = text_spot(text, nesting_spot(text))
        return None, [Problem("manifest.syntax", "error", _TOO_DEEP, file=file, line=line, column=column)]
    except json.JSONDecodeError as error:
        return None, [Problem("manifest.syntax", "error", f"this is not valid JSON: {error.msg}",
                              file=file, line=error.lineno, column=error.colno)]
    return Located(data, file, locator=JsonLocator(text)), []


def _repeated_key(text: str, file: str, key: str) -> Problem:
    """The first key given twice in one object of a JSON text, with its path, line and column."""
    found: list[tuple[Path, int, int]] = []
    try:
        json_repeated(text, len(text) - len(text.lstrip(" \t\n\r")), (), found)
    except (IndexError, ValueError, RecursionError):
        pass
    if not found:
        return Problem("manifest.duplicate-key", "error", f"an object gives the key {key!r} twice; keep one", file=file)
    path, offset, first = found[0]
    line, column = text_spot(text, offset)
    return Problem("manifest.duplicate-key", "error", f"the key {path[-1]!r} appears twice here (first on line "
                   f"{text_spot(text, first)[0]}); keep one", path=format_path(path), file=file, line=line,
                   column=column)


def json_members(text: str, offset: int) -> Iterator[tuple[str | int, int, int]]:
    """The members of the JSON object or array at ``offset`` (none for another value): the key or index, where the
    member starts, where its value starts. ValueError or IndexError where the text stops being JSON."""
    closing = {"{": "}", "[": "]"}.get(text[offset])
    if closing is None:
        return
    i = _past_space(text, offset + 1)
    number = 0
    while text[i] != closing:
        start = i
        if closing == "}":
            if text[i] != '"':
                raise ValueError("a key is not a string")
            name, i = scanstring(text, i + 1)
            i = _past_space(text, _past_space(text, i) + 1)  # past the colon
        else:
            name, number = number, number + 1
        yield name, start, i
        i = _past_space(text, _SKIP.raw_decode(text, i)[1])
        if text[i] == ",":
            i = _past_space(text, i + 1)


def json_repeated(text: str, offset: int, path: Path, found: list[tuple[Path, int, int]]) -> None:
    """The repeated keys in the JSON value at ``offset`` (path, offset of the key, offset of its first use), in
    the order met, not looking into a repeated key's value."""
    seen: dict[str | int, int] = {}
    for name, start, value in json_members(text, offset):
        if name in seen:
            found.append(((*path, name), start, seen[name]))
        else:
            seen[name] = start
            json_repeated(text, value, (*path, name), found)


_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')  # a string (skipped), or a bracket


def nesting_spot(text: str, start: int = 0, limit: int = DEEPEST) -> int:
    """Where lists or objects in a JSON text first nest ``limit`` deep (else where they nest deepest): the
    place to point at when a decoder gives up on the nesting."""
    depth = deepest = 0
    spot = start
    for match in _TOKEN.finditer(text, start):
        char = match.group()
        if char in "[{":
            depth += 1
            if depth > deepest:
                deepest, spot = depth, match.start()
                if depth > limit:
                    break
        elif char in "]}":
            depth -= 1
    return spot


def _past_space(text: str, offset: int) -> int:
    match = _WHITESPACE.match(text, offset)  # always matches, if only no white space
    return match.end() if match else offset


# --- JSON with lazy positions -------------------------------------------------------------

class _RawFloat(float):
    """A JSON number with a fraction or exponent that remembers how it was written ("1.10")."""

    __slots__ = ("raw",)
    raw: str

    def __new__(cls, text: str) -> _RawFloat:
        value = super().__new__(cls, text)
        value.raw = text
        return value

    def __reduce__(self) -> tuple[type[_RawFloat], tuple[str]]:  # pickles (to workers) as the text it came from
        return (_RawFloat, (self.raw,))


class RepeatedKey(Exception):
    """A JSON object gives a key twice (the standard library keeps the last): the YAML reading reports it."""


class Unstreamable(Exception):
    """A JSON text cannot be read piece by piece (it is not JSON): only the whole-document reading reports it."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):  # the YAML reading reports it with both lines
        raise RepeatedKey(next(key for key, count in Counter(key for key, _ in pairs).items() if count > 1))
    return result


def _json_int(text: str) -> int | str:
    """A JSON whole number; over 640 digits (Python may refuse to convert 641 or more) its text, which a field
    reports as too long or takes as printed, rather than a ValueError."""
    return int(text) if len(text) <= MAX_DIGITS else text


JSON_DECODER = json.JSONDecoder(object_pairs_hook=_unique_keys, parse_float=_RawFloat, parse_int=_json_int)
_SKIP = json.JSONDecoder(parse_int=_json_int)  # finds where a value ends
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_CHUNK = 1 << 22


@dataclass
class JsonIndex:
    """Where the parts of a JSON text are that a question decodes (``JsonLocator``): per entry the
    span in characters and bytes and the line and column it starts at. Entry 0 is the top value."""

    spans: list[tuple[int, int, int, int, int, int]] = field(default_factory=list)
    keys: dict[Any, int] = field(default_factory=dict)  # top-level key or index -> entry of its value
    key_entries: dict[str, int] = field(default_factory=dict)  # top-level key -> entry of the key itself
    articles: list[int] | None = None  # the entries of the items of a top-level 'articles' list


class JsonScan:
    """Reads a JSON text front to back, from a string or from a file piece by piece, building its
    ``JsonIndex``; ``run(decode=True)`` also decodes the top-level values but the articles."""

    def __init__(self, text: str = "", stream: BinaryIO | None = None):
        self.stream = stream
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.buf, self.base, self.pos, self.eof = text, 0, 0, stream is None  # base: offset of buf[0]
        self.char, self.byte, self.line, self.newline = 0, 0, 1, -1  # the last position measured
        self.index = JsonIndex()

    def more(self) -> None:
        """Read the next piece of the file, letting go of what is read and measured."""
        if self.eof or self.stream is None:
            raise Unstreamable
        data = self.stream.read(_CHUNK)
        text = self.decoder.decode(data, final=not data)
        self.eof = not data
        cut = min(self.pos, self.char - self.base)
        self.buf = self.buf[cut:] + text
        self.base += cut
        self.pos -= cut

    def skip(self) -> str:
        """Skip white space; the next character ('' at the end of the text)."""
        while True:
            self.pos = self._space(self.pos)
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if self.eof:
                return ""
            self.more()

    def _space(self, offset: int) -> int:
        match = _WHITESPACE.match(self.buf, offset)  # always matches, perhaps nothing
        return match.end() if match else offset

    def attempt(self, step: Callable[[], _T]) -> _T:
        """Run ``step`` on the buffer, reading more of the file while it runs out."""
        while True:
            try:
                return step()
            except (ValueError, IndexError):
                self.more()

    def at(self, offset: int) -> tuple[int, int, int]:
        """Byte offset, line and column of a buffer offset at or after the last one measured."""
        piece = self.buf[self.char - self.base:offset]
        self.byte += len(piece.encode("utf-8", "surrogatepass"))
        breaks = piece.count("\n")
        if breaks:
            self.line += breaks
            self.newline = self.char + piece.rfind("\n")
        self.char = self.base + offset
        return self.byte, self.line, self.char - self.newline

    def mark(self, start: int, end: int) -> int:
        """Index the buffer's ``start:end`` as the next entry; its number."""
        byte_start, line, column = self.at(start)
        self.index.spans.append((self.base + start, self.base + end, byte_start, self.at(end)[0], line, column))
        return len(self.index.spans) - 1

    def _key(self) -> tuple[str, int, int]:
        key, end = scanstring(self.buf, self.pos + 1)
        colon = self._space(end)
        if self.buf[colon] != ":":
            raise Unstreamable
        value_start = self._space(colon + 1)
        self.buf[value_start]  # the value must have started within the buffer (else IndexError: read more)
        return key, end, value_start

    def _value(self, decode: Callable[[str, int], tuple[Any, int]]) -> tuple[Any, int]:
        value, end = decode(self.buf, self.pos)
        self.buf[self._space(end)]  # what follows too: a number is not cut short
        return value, end

    def _items(self, closing: str) -> Iterator[str]:
        """At each item of the list or object opening at ``pos``, its first character; then past it."""
        self.pos += 1
        first = True
        while (char := self.skip()) != closing:
            if not first:
                if char != ",":
                    raise Unstreamable
                self.pos += 1
                char = self.skip()
            first = False
            yield char
        self.pos += 1

    def find(self, part: Any) -> tuple[int | None, int] | None:
        """(key offset, value offset) of key or index ``part`` of the object or list at ``pos``, which moves there."""
        opening = self.buf[self.pos]
        if not (opening == "{" and isinstance(part, str) or opening == "[" and isinstance(part, int)):
            return None
        for number, _ in enumerate(self._items("}" if opening == "{" else "]")):
            key_offset = self.pos if opening == "{" else None
            name, _, self.pos = self._key() if key_offset is not None else (number, 0, self.pos)
            if name == part:
                return key_offset, self.pos
            self.pos = _SKIP.raw_decode(self.buf, self.pos)[1]
        return None

    def run(self, *, decode: bool = False) -> tuple[dict[str | int, Any], JsonIndex]:
        """The index, and the top-level values but a list of articles when ``decode``."""
        data: dict[str | int, Any] = {}
        opening = self.skip()
        if opening:
            self.mark(self.pos, self.pos)
        if opening not in ("{", "["):
            return data, self.index
        read = JSON_DECODER.raw_decode if decode else _SKIP.raw_decode
        for char in self._items("}" if opening == "{" else "]"):
            key: Any = len(self.index.keys)
            if opening == "{":
                if char != '"':
                    raise Unstreamable
                key, key_end, value_start = self.attempt(self._key)
                if key in self.index.keys:
                    raise RepeatedKey
                self.index.key_entries[key] = self.mark(self.pos, key_end)
                self.pos = value_start
            if key == "articles" and self.buf[self.pos] == "[":
                self.index.keys[key] = self._articles()
            else:
                value, end = self.attempt(lambda: self._value(read))
                self.index.keys[key] = self.mark(self.pos, end)
                data[key] = value
                self.pos = end
        if self.skip() != "":
            raise Unstreamable
        return data, self.index

    def _articles(self) -> int:
        """Index the list at ``pos`` item by item, without decoding it; its entry."""
        entry = self.mark(self.pos, self.pos)
        items = self.index.articles = []
        for _ in self._items("]"):
            _, end = self.attempt(lambda: self._value(_SKIP.raw_decode))
            items.append(self.mark(self.pos, end))
            self.pos = end
        start, _, byte_start, _, line, column = self.index.spans[entry]
        self.index.spans[entry] = (start, self.base + self.pos, byte_start, self.at(self.pos)[0], line, column)
        return entry


class JsonLocator:
    """Finds the line and column of a path in a JSON text, decoding only the part it needs: the
    index (built on the first question) leads to the top-level value or the article the path
    is in, and the path is followed in that part alone."""

    def __init__(self, text: str | None, index: JsonIndex | None = None):
        self.text = text
        self.index = index
        self.source: str | None = None  # the file read after release()
        self.stamp: tuple[int, int] | None = None
        self.bom = 0

    def release(self, path: str | os.PathLike[str]) -> None:
        """Drop the text: from now on fragments are read from the file at ``path`` while it is unchanged."""
        try:
            stat = os.stat(path)
            with open(path, "rb") as stream:
                self.bom = len(codecs.BOM_UTF8) if stream.read(3) == codecs.BOM_UTF8 else 0
        except OSError:
            return
        self.source, self.stamp, self.text = os.fspath(path), (stat.st_size, stat.st_mtime_ns), None

    def _unchanged(self) -> bool:
        if self.text is not None:
            return True
        try:
            stat = os.stat(self.source or "")  # none: released to a file it could not read
        except OSError:
            return False
        return (stat.st_size, stat.st_mtime_ns) == self.stamp  # else no line rather than a wrong one

    def _scan(self) -> JsonIndex:
        try:
            if self.text is not None:
                return JsonScan(self.text).run()[1]
            if self._unchanged():
                with open(self.source or "", "rb") as stream:
                    return JsonScan(stream=stream).run()[1]
        except (OSError, ValueError, Unstreamable):
            pass
        return JsonIndex()

    def _fragment(self, span: tuple[int, int, int, int, int, int]) -> str | None:
        start, end, byte_start, byte_end, _, _ = span
        if self.text is not None:
            return self.text[start:end]
        try:
            with open(self.source or "", "rb") as stream:
                stream.seek(self.bom + byte_start)
                return stream.read(byte_end - byte_start).decode("utf-8", "surrogatepass")
        except (OSError, UnicodeDecodeError):
            return None

    def where(self, path: Path, *, key: bool = False) -> tuple[int | None, int | None]:
        """Line and column of ``path`` (of its key with ``key``), or of the nearest part of it that exists."""
        if self.index is None:
            self.index = self._scan()
        index = self.index
        if not index.spans or not self._unchanged():
            return None, None
        entry = index.keys.get(path[0]) if path else None
        if entry is None:
            return index.spans[0][4:]
        rest = path[1:]
        if not rest and key and path[0] in index.key_entries:
            entry = index.key_entries[path[0]]
        if path[0] == "articles" and index.articles is not None and rest:  # never decode all the articles
            if not (isinstance(rest[0], int) and 0 <= rest[0] < len(index.articles)):
                return index.spans[entry][4:]
            entry, rest = index.articles[rest[0]], rest[1:]
        _, _, _, _, line, column = index.spans[entry]
        if not rest:
            return line, column
        fragment = self._fragment(index.spans[entry])
        if fragment is None:
            return None, None
        scan, offset = JsonScan(fragment), 0  # follow the rest of the path in the fragment
        try:
            for number, part in enumerate(rest):
                found = scan.find(part)
                if found is None:
                    break
                key_offset, offset = found
                if key and number == len(rest) - 1 and key_offset is not None:
                    offset = key_offset
        except (IndexError, ValueError, Unstreamable):
            pass
        _, lines, columns = scan.at(offset)
        return (line, column + columns - 1) if lines == 1 else (line + lines - 1, columns)
