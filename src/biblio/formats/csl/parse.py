"""A CSL-JSON file as a stream of items, parsed with the standard library's ``json``.

A file is one JSON array of items (or, as DOI content negotiation returns it, one item on
its own). The reader and the validator both take the items one at a time from here, so
memory does not grow with the file: the text is decoded from 64 KiB chunks and each item
is taken off the buffer with ``json.JSONDecoder.raw_decode``. Each item comes with the
line and column it starts at and its text, which places a problem inside it (``where``)
only when there is one. Lines count as in the text with CRLF and CR read as LF.

A file that is not UTF-8 or not JSON raises ``Unreadable`` with the one problem to report
(for JSON, json's own message, line and column). A repeated key is not an error of JSON
but is one here (the first value is kept, as before): it is reported with its line.
"""

from __future__ import annotations

import codecs
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from json.decoder import scanstring
from pathlib import Path

from ...problems import Problem

CHUNK = 1 << 16  # bytes read at a time: as fast as larger ones, and the buffer stays small
_BOM = codecs.BOM_UTF8
_WS = re.compile(r"[ \t\n\r]*")
_SKIP = json.JSONDecoder()  # skips values while locating a path


class Unreadable(Exception):
    """The file is not UTF-8 text or not JSON: ``problem`` says where."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def path_text(path: tuple) -> str:
    """``(3, "author", 0)`` -> ``[3].author[0]``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else ("." if text else "") + str(part)
    return text


@dataclass
class Item:
    """One value of the file: ``number`` is its position in the array (None for a file that is
    one value, not an array); ``line`` and ``column`` where it starts; ``repeated``: the
    problems of its repeated keys."""

    number: int | None
    value: object
    line: int
    column: int
    text: str = field(repr=False)
    repeated: list[Problem] = field(default_factory=list)

    def prefix(self) -> tuple:
        return () if self.number is None else (self.number,)

    def where(self, path: tuple) -> tuple[int, int]:
        """Line and column of the deepest part of ``path`` (below the item) found in its text."""
        return self.spot(_descend(self.text, path))

    def spot(self, offset: int) -> tuple[int, int]:
        breaks = self.text.count("\n", 0, offset)
        if not breaks:
            return self.line, self.column + offset
        return self.line + breaks, offset - self.text.rfind("\n", 0, offset)


def items(path: Path) -> Iterator[Item]:
    """The items of the file in order; ``Unreadable`` where it stops being readable."""
    try:
        source = open(path, "rb")  # noqa: SIM115 - closed below
    except OSError as error:
        raise Unreadable(_io_problem(path, str(error))) from error
    with source:
        yield from _Stream(path, source).items()


def _io_problem(path: Path, reason: str) -> Problem:
    return Problem("csl.io", "error", f"cannot read the file as UTF-8 text: {reason}", file=str(path))


class _Stream:
    """The text buffer ``buf`` (``pos``: what is consumed), refilled from the file."""

    def __init__(self, path: Path, source: io.BufferedReader) -> None:
        self.path, self.source = path, source
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.newlines = io.IncrementalNewlineDecoder(None, translate=True)
        self.bytes_read = 0
        self.bom = 0
        self.buf, self.pos, self.eof = "", 0, False
        self.line, self.column = 1, 1  # of buf[0]
        self.counted = (0, 1, 1)  # an offset into buf and its line and column: counting goes forward
        self.repeated = False
        self.decode = json.JSONDecoder(object_pairs_hook=self._first_wins).raw_decode

    def _first_wins(self, pairs: list) -> dict:
        result = dict(pairs)
        if len(result) != len(pairs):  # a repeated key: keep the first value, report it later
            self.repeated = True
            result = {}
            for key, value in pairs:
                result.setdefault(key, value)
        return result

    # -- text ----------------------------------------------------------------------------

    def more(self) -> None:
        """Read the next chunk, letting go of what is consumed."""
        if self.eof:
            return
        self.line, self.column = self.at(self.pos)
        self.counted = (0, self.line, self.column)
        chunk = self.source.read(CHUNK)
        if self.bytes_read == 0 and chunk.startswith(_BOM):
            self.bom = len(_BOM)
        start = self.bom if self.bytes_read == 0 else 0
        pending = len(self.decoder.getstate()[0])
        try:
            text = self.decoder.decode(chunk[start:], final=not chunk)
        except (UnicodeDecodeError, OSError) as error:
            raise Unreadable(_io_problem(self.path, self._reason(error, pending))) from error
        self.bytes_read += len(chunk)
        self.eof = not chunk
        self.buf = self.buf[self.pos:] + self.newlines.decode(text, final=self.eof)
        self.pos = 0

    def _reason(self, error: Exception, pending: int) -> str:
        """The decoding error as decoding the whole file would word it (positions after a BOM)."""
        if not isinstance(error, UnicodeDecodeError):
            return str(error)
        start = max(self.bytes_read - self.bom, 0) - pending + error.start
        if error.end - error.start == 1:
            return (f"'{error.encoding}' codec can't decode byte 0x{error.object[error.start]:02x} in position "
                    f"{start}: {error.reason}")
        return (f"'{error.encoding}' codec can't decode bytes in position {start}-"
                f"{start + error.end - error.start - 1}: {error.reason}")

    def at(self, offset: int) -> tuple[int, int]:
        """Line and column of a buffer offset at or after the last one asked for."""
        start, line, column = self.counted
        breaks = self.buf.count("\n", start, offset)
        if breaks:
            line, column = line + breaks, offset - self.buf.rfind("\n", start, offset)
        else:
            column += offset - start
        self.counted = (offset, line, column)
        return line, column

    def skip(self) -> str:
        """Skip white space; the next character ('' at the end of the file)."""
        while True:
            self.pos = _WS.match(self.buf, self.pos).end()
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if self.eof:
                return ""
            self.more()

    def fail(self, message: str, offset: int) -> Unreadable:
        line, column = self.at(offset)
        return Unreadable(Problem("csl.syntax", "error", f"this is not valid JSON: {message}", file=str(self.path),
                                  line=line, column=column))

    # -- values --------------------------------------------------------------------------

    def value(self, number: int | None) -> Item:
        """The value at ``pos`` (after white space), which it consumes."""
        start = self.pos
        while True:
            self.repeated = False
            try:
                value, end = self.decode(self.buf, start)
                # What follows too, so that a number is not cut short ("2." of "2.50").
                if _WS.match(self.buf, end).end() < len(self.buf) or self.eof:
                    break
            except json.JSONDecodeError as error:
                # Final unless the text may just have run out: a string to the end, or near the end.
                if self.eof or (not error.msg.startswith("Unterminated string") and error.pos < len(self.buf) - 16):
                    raise self.fail(error.msg, error.pos) from None
            except RecursionError:
                raise Unreadable(Problem("csl.syntax", "error", "the file nests lists or objects too deeply to be "
                                         "read as CSL-JSON", file=str(self.path))) from None
            self.more()
            start = self.pos
        line, column = self.at(start)
        item = Item(number, value, line, column, self.buf[start:end])
        if self.repeated:
            item.repeated = self._repeated(item)
        self.pos = end
        return item

    def _repeated(self, item: Item) -> list[Problem]:
        found: list[tuple[tuple, int, int]] = []
        try:
            _walk(item.text, 0, item.prefix(), found)
        except (RecursionError, IndexError, ValueError):
            pass
        problems = []
        for path, offset, first in found:
            line, column = item.spot(offset)
            problems.append(Problem("csl.duplicate-key", "error", f"the key '{path[-1]}' appears twice here (first "
                                    f"on line {item.spot(first)[0]}); keep one", path=path_text(path),
                                    file=str(self.path), line=line, column=column))
        return problems

    def items(self) -> Iterator[Item]:
        char = self.skip()
        if char != "[":  # one value: an item on its own, or not CSL-JSON at all
            item = self.value(None)
            self.end()
            yield item
            return
        self.pos += 1
        number = 0
        if self.skip() == "]":
            self.pos += 1
            self.end()
            return
        while True:
            yield self.value(number)
            number += 1
            char = self.skip()
            if char == "]":
                self.pos += 1
                self.end()
                return
            if char != ",":
                raise self.fail("Expecting ',' delimiter", self.pos)
            self.pos += 1
            if self.skip() == "]":  # a comma before the end: json says what it expected
                raise self.fail("Expecting value", self.pos)

    def end(self) -> None:
        if self.skip() != "":
            raise self.fail("Extra data", self.pos)


def _walk(text: str, offset: int, path: tuple, found: list[tuple[tuple, int, int]]) -> int:
    """Find repeated keys in the value at ``offset`` (path, offset of the key, offset of its first
    use), in the order met, not looking into a repeated key's value; the offset after the value."""
    opening = text[offset]
    if opening not in "{[":
        return _SKIP.raw_decode(text, offset)[1]
    closing = "}" if opening == "{" else "]"
    seen: dict[str, int] = {}
    i = _WS.match(text, offset + 1).end()
    number = 0
    while text[i] != closing:
        if opening == "{":
            key_offset = i
            key, i = scanstring(text, i + 1)
            i = _WS.match(text, _WS.match(text, i).end() + 1).end()  # past the colon
            if key in seen:
                found.append(((*path, key), key_offset, seen[key]))
                i = _SKIP.raw_decode(text, i)[1]
            else:
                seen[key] = key_offset
                i = _walk(text, i, (*path, key), found)
        else:
            i = _walk(text, i, (*path, number), found)
            number += 1
        i = _WS.match(text, i).end()
        if text[i] == ",":
            i = _WS.match(text, i + 1).end()
    return i + 1


def _descend(text: str, path: tuple) -> int:
    """The offset of the value of the deepest part of ``path`` found below the value at offset 0."""
    offset = 0
    try:
        for part in path:
            opening, found = text[offset], None
            if opening == "{" and isinstance(part, str):
                i = _WS.match(text, offset + 1).end()
                while text[i] != "}":
                    name, i = scanstring(text, i + 1)
                    i = _WS.match(text, _WS.match(text, i).end() + 1).end()
                    if name == part:
                        found = i
                        break
                    i = _WS.match(text, _SKIP.raw_decode(text, i)[1]).end()
                    if text[i] == ",":
                        i = _WS.match(text, i + 1).end()
            elif opening == "[" and isinstance(part, int):
                i = _WS.match(text, offset + 1).end()
                number = 0
                while text[i] != "]":
                    if number == part:
                        found = i
                        break
                    i = _WS.match(text, _SKIP.raw_decode(text, i)[1]).end()
                    if text[i] == ",":
                        i = _WS.match(text, i + 1).end()
                    number += 1
            if found is None:
                break
            offset = found
    except (IndexError, ValueError):
        pass
    return offset
