"""A CSL-JSON file as a stream of items, parsed with the standard library's ``json``.

A file is one JSON array of items (or, as DOI content negotiation returns it, one item on
its own). The reader and the validator take the items one at a time from here, so memory
does not grow with the file: the text is decoded from 64 KiB chunks and each item is taken
off the buffer with ``json.JSONDecoder.raw_decode``. An item keeps its text, which places a
problem inside it only when there is one. Lines count CRLF and CR as LF.

A file that is not UTF-8 JSON raises ``Unreadable`` with the one problem to report (for
JSON, json's own message and position), as does a number too long for Python (over 4,300
digits) or nesting too deep for its decoder. A repeated key is an error here though not in
JSON (the first value is kept), and so is a lone surrogate escape (``"\\udfff"``: half a
character, which no file can hold; it is read as U+FFFD).
"""

from __future__ import annotations

import codecs
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...ids import MAX_DIGITS
from ...problems import Problem
from ...yamlsource import json_members, json_repeated, nesting_spot

CHUNK = 1 << 16  # bytes read at a time: as fast as larger ones, and the buffer stays small
_BOM = codecs.BOM_UTF8
_WS = re.compile(r"[ \t\n\r]*")
_SKIP = json.JSONDecoder(parse_int=lambda text: int(text) if len(text) <= MAX_DIGITS else text)  # for detect
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")  # in the file's text: a surrogate, perhaps one of a pair


class Unreadable(Exception):
    """The file is not UTF-8 text or not JSON: ``problem`` says where."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


class _LongNumber(Exception):
    """A number of more than ``MAX_DIGITS`` digits, which Python may refuse to convert (``args[0]``: its text)."""


def _int(text: str) -> int:
    if len(text) > MAX_DIGITS:
        raise _LongNumber(text)
    return int(text)


def path_text(path: tuple[str | int, ...]) -> str:
    """``(3, "author", 0)`` -> ``[3].author[0]``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else ("." if text else "") + str(part)
    return text


def _past_space(text: str, offset: int) -> int:
    match = _WS.match(text, offset)  # it always matches, if only no white space
    return match.end() if match else offset


def _advance(text: str, start: int, end: int, line: int, column: int) -> tuple[int, int]:
    """The line and column of ``text[end]``, given those of ``text[start]``."""
    breaks = text.count("\n", start, end)
    if not breaks:
        return line, column + end - start
    return line + breaks, end - text.rfind("\n", start, end)


@dataclass
class Item:
    """One value of the file: ``number`` is its position in the array (None for a file that is
    one value, not an array); ``line`` and ``column`` where it starts; ``repeated``: the
    problems of its repeated keys; ``halves``: of its texts with a lone surrogate."""

    number: int | None
    value: object
    line: int
    column: int
    text: str = field(repr=False)
    repeated: list[Problem] = field(default_factory=list)
    halves: list[Problem] = field(default_factory=list)

    def prefix(self) -> tuple[int, ...]:
        """The item's path in the file: its position in the array (none for a file that is one value)."""
        return () if self.number is None else (self.number,)

    def where(self, path: tuple[str | int, ...]) -> tuple[int, int]:
        """Line and column of the deepest part of ``path`` (below the item) found in its text."""
        offset = 0
        try:
            for part in path:
                offset = next(value for name, _, value in json_members(self.text, offset) if name == part)
        except (StopIteration, IndexError, ValueError, RecursionError):
            pass
        return self.spot(offset)

    def spot(self, offset: int) -> tuple[int, int]:
        """Line and column of an offset into the item's text."""
        return _advance(self.text, 0, offset, self.line, self.column)


def items(path: Path) -> Iterator[Item]:
    """The items of the file in order; ``Unreadable`` where it stops being readable."""
    try:
        source = open(path, "rb")  # noqa: SIM115 - closed below
    except OSError as error:
        raise Unreadable(_io_problem(path, error)) from error
    with source:
        yield from _Stream(path, source).items()


def _io_problem(path: Path, error: OSError) -> Problem:
    return Problem("csl.io", "error", f"cannot read the file: {error.strerror or error}", file=str(path))


class _Stream:
    """The text buffer ``buf`` (``pos``: what is consumed), refilled from the file."""

    def __init__(self, path: Path, source: io.BufferedReader) -> None:
        self.path, self.source = path, source
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.newlines = io.IncrementalNewlineDecoder(None, translate=True)
        self.bytes_read = 0
        self.buf, self.pos, self.eof = "", 0, False
        self.counted = (0, 1, 1)  # an offset into buf and its line and column: counting goes forward
        self.repeated = False
        self.decode = json.JSONDecoder(object_pairs_hook=self._first_wins, parse_int=_int).raw_decode

    def _first_wins(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)
        if len(result) != len(pairs):  # a repeated key: keep the first value, report it later
            self.repeated = True
            result = {}
            for key, value in pairs:
                result.setdefault(key, value)
        return result

    def more(self) -> None:
        """Read the next chunk, letting go of what is consumed."""
        if self.eof:
            return
        self.counted = (0, *self.at(self.pos))
        chunk = data = self.source.read(CHUNK)
        if not self.bytes_read and chunk.startswith(_BOM):
            data = chunk[len(_BOM):]
        self.bytes_read += len(chunk)
        try:
            text = self.decoder.decode(data, final=not chunk)
        except UnicodeDecodeError as error:
            raise Unreadable(self._not_utf8(error)) from error
        self.eof = not chunk
        self.buf = self.buf[self.pos:] + self.newlines.decode(text, final=self.eof)
        self.pos = 0

    def _not_utf8(self, error: UnicodeDecodeError) -> Problem:
        """Where the first byte that is not UTF-8 is: ``object`` holds the bytes decoded last (after what
        ``buf`` holds), which are good up to ``start``."""
        good = self.newlines.decode(error.object[:error.start].decode("utf-8", "replace"), final=True)
        text = self.buf[self.pos:] + good
        line, column = _advance(text, 0, len(text), *self.counted[1:])
        return Problem("csl.encoding", "error", f"the file is not UTF-8 text: the byte "
                       f"0x{error.object[error.start]:02X} here is not part of a UTF-8 character; save the file as "
                       "UTF-8 (in an editor: save as, encoding UTF-8)", file=str(self.path), line=line, column=column)

    def at(self, offset: int) -> tuple[int, int]:
        """Line and column of a buffer offset at or after the last one asked for."""
        start, line, column = self.counted
        line, column = _advance(self.buf, start, offset, line, column)
        self.counted = (offset, line, column)
        return line, column

    def skip(self) -> str:
        """Skip white space; the next character ('' at the end of the file)."""
        while True:
            self.pos = _past_space(self.buf, self.pos)
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if self.eof:
                return ""
            self.more()

    def fail(self, message: str, offset: int) -> Unreadable:
        return self.refuse("csl.syntax", f"this is not valid JSON: {message}", offset)

    def refuse(self, code: str, message: str, offset: int) -> Unreadable:
        line, column = self.at(max(offset, self.pos))
        return Unreadable(Problem(code, "error", message, file=str(self.path), line=line, column=column))

    def items(self) -> Iterator[Item]:
        if self.skip() != "[":  # one value: an item on its own, or not CSL-JSON at all
            item = self.value(None)
            self.end()
            yield item
            return
        self.pos += 1
        number = 0
        while (char := self.skip()) != "]":
            if number:
                if char != ",":
                    raise self.fail("Expecting ',' delimiter", self.pos)
                self.pos += 1
                if self.skip() == "]":  # a comma before the end: json says what it expected
                    raise self.fail("Expecting value", self.pos)
            yield self.value(number)
            number += 1
        self.pos += 1
        self.end()

    def end(self) -> None:
        if self.skip() != "":
            raise self.fail("Extra data", self.pos)

    def value(self, number: int | None) -> Item:
        """The value at ``pos`` (after white space), which it consumes."""
        while True:
            self.repeated = False
            try:
                value, end = self.decode(self.buf, self.pos)
                # What follows too, so that a number is not cut short ("2." of "2.50").
                if _past_space(self.buf, end) < len(self.buf) or self.eof:
                    break
            except json.JSONDecodeError as error:
                # Final unless the text may just have run out: a string to the end, or near the end.
                if self.eof or (not error.msg.startswith("Unterminated string") and error.pos < len(self.buf) - 16):
                    if error.msg.startswith("Invalid control character") and error.pos < len(self.buf):
                        raise self.refuse("csl.syntax", _control_message(self.buf[error.pos]), error.pos) from None
                    raise self.fail(error.msg, error.pos) from None
            except RecursionError:
                raise self.refuse("csl.syntax", "lists or objects nest too deeply to be read (hundreds of levels, from "
                                  "here); no CSL field nests more than a few levels",
                                  nesting_spot(self.buf, self.pos)) from None
            except _LongNumber as long:
                raise self.refuse("csl.number", f"this number has {len(long.args[0]):,} digits, more than biblio reads "
                                  f"({MAX_DIGITS}); no CSL field takes such a number: shorten it",
                                  self.buf.find(long.args[0], self.pos)) from None
            self.more()
        item = Item(number, value, *self.at(self.pos), self.buf[self.pos:end])
        if self.repeated:
            item.repeated = self._repeated(item)
        if _SURROGATE_ESCAPE.search(self.buf, self.pos, end):
            item.halves = _halves(item, str(self.path))
        self.pos = end
        return item

    def _repeated(self, item: Item) -> list[Problem]:
        found: list[tuple[tuple[str | int, ...], int, int]] = []
        try:
            json_repeated(item.text, 0, item.prefix(), found)
        except (RecursionError, IndexError, ValueError):
            pass
        problems = []
        for path, offset, first in found:
            line, column = item.spot(offset)
            problems.append(Problem("csl.duplicate-key", "error", f"the key '{path[-1]}' appears twice here (first "
                                    f"on line {item.spot(first)[0]}); keep one", path=path_text(path),
                                    file=str(self.path), line=line, column=column))
        return problems


_CONTROL_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r", "\b": "\\b", "\f": "\\f"}


def _control_message(char: str) -> str:
    """What is wrong with a control character inside a JSON string, and the fix (json says only "Invalid control
    character at")."""
    code = f"U+{ord(char):04X}"
    name = {"\n": "a line break", "\t": "a tab", "\r": "a carriage return", "\0": "a NUL character"}.get(
        char, "the control character")
    escape = _CONTROL_ESCAPES.get(char, f"\\u{ord(char):04x}")
    return (f"this is not valid JSON: {name} ({code}) inside a string; JSON allows none there: remove it, or write "
            f"it as the escape {escape}")


def head_keys(text: str) -> dict[str, object]:
    """The keys of the first item in the first part of a file (``text``, cut anywhere): of the array's
    first object, or of the one object; each with its value when the text holds all of it (else None).
    Empty when the text does not start like a JSON object or an array of objects."""
    offset = _past_space(text, 0)
    if text[offset:offset + 1] == "[":
        offset = _past_space(text, offset + 1)
    if text[offset:offset + 1] != "{":
        return {}
    keys: dict[str, object] = {}
    try:
        for name, _, value in json_members(text, offset):
            if isinstance(name, str):
                keys[name] = None
                keys[name] = _SKIP.raw_decode(text, value)[0]
    except (IndexError, ValueError, RecursionError):  # the text ends (or stops being JSON) inside the object
        pass
    return keys


def _halves(item: Item, file: str) -> list[Problem]:
    """The item's texts (and keys) with a lone surrogate, each an error at its path; in the item, each such
    character becomes U+FFFD, which can be written. The walk is a loop: the item may nest hundreds deep."""
    if isinstance(item.value, str):  # not an item (reported so), but no text that cannot be written goes on
        halved, item.value = bool(_SURROGATE.search(item.value)), _SURROGATE.sub("\ufffd", item.value)
        return [_half(item, (), (), file)] if halved else []
    problems: list[Problem] = []
    pending: list[tuple[tuple[str | int, ...], tuple[str | int, ...], Any]] = [((), (), item.value)]
    while pending and isinstance(item.value, (dict, list)):
        path, shown, value = pending.pop()
        members = list(value.items()) if isinstance(value, dict) else list(enumerate(value))
        if isinstance(value, dict):
            value.clear()
        for key, member in members:
            where = (*path, key)
            if isinstance(key, str) and _SURROGATE.search(key):
                key = _SURROGATE.sub("\ufffd", key)
                problems.append(_half(item, where, (*shown, key), file))
            if isinstance(member, str) and _SURROGATE.search(member):
                member = _SURROGATE.sub("\ufffd", member)
                problems.append(_half(item, where, (*shown, key), file))
            value[key] = member
            if isinstance(member, (dict, list)):
                pending.append((where, (*shown, key), member))
    return sorted(problems, key=lambda problem: (problem.line or 0, problem.column or 0))


def _half(item: Item, path: tuple[str | int, ...], shown: tuple[str | int, ...], file: str) -> Problem:
    line, column = item.where(path)
    return Problem("csl.surrogate", "error", "this text holds a lone surrogate escape (\\ud800 to \\udfff), half of a "
                   "character, which cannot be written out; remove it or give the whole character (read as U+FFFD)",
                   path=path_text((*item.prefix(), *shown)), file=file, line=line, column=column)
