"""Checking a BibTeX file for what BibTeX and LaTeX would choke on, with line numbers.

BibTeX has no schema (design.md §5): the file is re-parsed with bibtexparser, and each
block and field is checked. Errors: blocks that cannot be parsed, repeated keys or fields,
braces that do not pair up, a value followed by more than a comma (a missing comma, where
bibtexparser would take the next field into the value), a closing brace that closes nothing
(an extra ``}`` that ends an entry early), TeX specials (``& % $ # _ ^``) without a
backslash outside url/doi fields. Warnings (BibTeX itself only warns): required fields missing for the entry
type, keys that are not ASCII, Cyrillic written as LaTeX macros, text outside any entry
that looks like a field list.
"""

from __future__ import annotations

import re
from pathlib import Path

from bibtexparser.model import (
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    ExplicitComment,
    ImplicitComment,
    ParsingFailedBlock,
)

from ...fileio import read_head
from ...problems import Problem, Severity
from .mapping import REQUIRED, VERBATIM
from .parse import ENTRY_LIKE, line, parse, read_text
from .tex import braces_pair_up, whole_group

_URL_ARGUMENT = re.compile(r"\\(?:url|href|path)\s*\{[^{}]*\}")
_CYRILLIC_MACRO = re.compile(r"\\(?:CYR[A-Z]+|cyr[a-z]*|cyrchar)")


def detect(path: Path) -> bool:
    """A BibTeX file: text with ``@type{key,`` entries (a ``.bib`` name needs only ``@type{``)."""
    raw = read_head(path, 65536)
    if raw is None:
        return False
    head = raw.decode("utf-8", errors="replace")
    stripped = head.lstrip("\ufeff \t\r\n")
    if stripped[:1] in ("<", "[", "{") or re.match(r"TY {2}- ", stripped):
        return False
    if Path(path).suffix.lower() == ".bib" and re.search(r"(?m)^\s*@\w+\s*[{(]", head):
        return True
    return bool(re.search(r"(?m)^\s*@\w+\s*[{(]\s*[^\s,{}()=]+\s*,\s*\w[\w-]*\s*=", head))


def validate(path: Path) -> list[Problem]:
    """The problems of a .bib file (see the module's docstring); an empty list for a good file."""
    file = str(path)
    text, problems = read_text(Path(path))
    if text is None:
        return problems
    library = parse(text, raw=True)

    def report(code: str, severity: Severity, message: str, at: int | None, where: str | None = None) -> None:
        problems.append(Problem(code, severity, message, path=where, file=file, line=line(at)))

    entries = 0
    previous = None
    for block in library.blocks:
        if isinstance(block, ImplicitComment) and _closes_nothing(block.comment) \
                and not isinstance(previous, ParsingFailedBlock):  # the rest of a block already reported
            at = block.start_line  # a "}" that closes nothing: where the entry before it ended, early
            if previous is not None and previous.start_line is not None:
                at = previous.start_line + previous.raw.count("\n")
            report("bibtex.syntax", "error", "a closing brace closes nothing here (BibTeX stops there): an extra } "
                   "that ends the entry before it early leaves the fields after it unread", at)
        elif isinstance(block, DuplicateBlockKeyBlock):
            report("bibtex.duplicate-key", "error", f"the key '{block.key}' is used again (first at line "
                   f"{line(block.previous_block.start_line)}); each entry needs its own key", block.start_line,
                   block.key)
            inner = block.ignore_error_block
            if isinstance(inner, Entry):
                entries += 1
                _check_entry(inner, report)
        elif isinstance(block, DuplicateFieldKeyBlock):
            names = ", ".join(sorted(block.duplicate_keys))
            inner = block.ignore_error_block
            key = inner.key if isinstance(inner, Entry) else None
            report("bibtex.duplicate-field", "error", f"the entry repeats the field(s) {names}; BibTeX keeps "
                   "only one", block.start_line, key)
            if isinstance(inner, Entry):
                entries += 1
                _check_entry(inner, report)
        elif isinstance(block, ParsingFailedBlock):
            reason = getattr(block.error, "abort_reason", None) or str(block.error)
            report("bibtex.syntax", "error", f"this block cannot be read: {reason.strip()}", block.start_line)
        elif isinstance(block, Entry):
            entries += 1
            _check_entry(block, report)
        elif isinstance(block, ExplicitComment | ImplicitComment) and ENTRY_LIKE.search(block.comment):
            report("bibtex.stray-text", "warning", "text outside any entry looks like a field list (a missing @ "
                   "or a commented-out entry?); BibTeX ignores it", block.start_line)
        previous = block
    if entries == 0 and not any(p.severity == "error" for p in problems):
        problems.append(Problem("bibtex.empty", "warning", "the file has no entries", file=file))
    return problems


def _check_entry(entry: Entry, report) -> None:
    key, kind = entry.key, entry.entry_type.lower()
    if not key:
        report("bibtex.key", "error", "the entry has no key", entry.start_line)
    elif not re.fullmatch(r"[!-~]+", key) or re.search(r"[,{}()=\"#%'~\\]", key):
        report("bibtex.key", "warning", f"the key '{key}' has characters BibTeX or biber may refuse; use "
               "ASCII letters, digits and - _ : .", entry.start_line, key)
    present = {f.key.lower() for f in entry.fields if f.value.strip() not in ("", "{}", '""')}
    for options in REQUIRED.get(kind, []):
        if not present & set(options):
            report("bibtex.required-missing", "warning", f"@{kind} needs {' or '.join(options)}; BibTeX warns "
                   "about the empty field and prints the entry without it", entry.start_line, key)
    for item in entry.fields:
        name, value = item.key.lower(), item.value.strip()
        where = f"{key}.{name}"
        content = _plain_group(value)
        if content is not None:  # the usual value: no brace scan needed
            if name not in VERBATIM:
                _check_content(content, name, item.start_line, where, report)
            continue
        if not braces_pair_up(value):
            report("bibtex.braces", "error", f"the braces in {name} do not pair up (BibTeX counts \\{{ and \\}} "
                   "too); close each { with a }", item.start_line, where)
            continue
        content = _content(value)
        if content is None:  # not one braced or quoted text: a number, a macro, a # join, or broken
            broken = _broken_value(entry, name, value)
            if broken is not None:
                report("bibtex.syntax", "error", broken[0], broken[1], where)
                continue
        if content is None or name in VERBATIM:
            continue
        _check_content(content, name, item.start_line, where, report)


def _plain_group(value: str) -> str | None:
    """The content of a value that is one brace group with no brace inside (but a title's protecting
    pair), told without a scan per character; None for any other value."""
    if value[:1] != "{" or value[-1:] != "}":
        return None
    inner = value[1:-1]
    core = inner[1:-1] if inner[:1] == "{" and inner[-1:] == "}" else inner
    if "{" in core or "}" in core or core.endswith("\\"):
        return None
    return inner


def _check_content(content: str, name: str, at: int | None, where: str, report) -> None:
    """TeX specials without a backslash, an open $, Cyrillic as LaTeX macros, in a field's text."""
    if "&" in content or "%" in content or "$" in content or "#" in content or "_" in content or "^" in content:
        specials, open_math = _unescaped_specials(content)
        if specials:
            shown = " ".join(specials)
            report("bibtex.unescaped", "error", f"{name} has {shown} without a backslash; TeX reads it as a "
                   "command character: write " + " ".join("\\" + s if s != "^" else "\\textasciicircum{}"
                                                          for s in specials), at, where)
        if open_math:
            report("bibtex.unescaped", "error", f"{name} opens math mode with $ and never closes it; write \\$ "
                   "for a dollar sign", at, where)
    if "\\" in content and _CYRILLIC_MACRO.search(content):
        report("bibtex.cyrillic-macro", "warning", f"{name} spells Cyrillic with LaTeX macros (\\CYR…); "
               "Zotero cannot read them: write the letters as UTF-8", at, where)


def _broken_value(entry: Entry, name: str, value: str) -> tuple[str, int | None] | None:
    """Why a value that is not one text breaks BibTeX, and the line (from 0) where BibTeX stops; None if it does not."""
    end = _value_end(value)
    if end is None:
        return None
    found = entry.raw.find(value)
    at = entry.start_line + entry.raw[:found + end].count("\n") if found >= 0 else entry.start_line
    rest = value[end:].strip().split("\n", 1)[0][:40]
    if value[:end].strip():
        return (f"the {name} value goes on after its end: BibTeX stops at '{rest}' (a missing comma?), which "
                f"bibtexparser reads as part of {name}"), at
    return f"the {name} value is not {{braced}}, \"quoted\", a number or a @string name: BibTeX stops at '{rest}'", at


def _closes_nothing(text: str) -> bool:
    """A ``}`` in text outside any entry that closes no ``{`` before it."""
    depth = 0
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return True
    return False


_MACRO_NAME = re.compile(r"[^\s\"#%'(),={}0-9][^\s\"#%'(),={}]*|[0-9]+")


def _value_end(value: str) -> int | None:
    """Where a field value stops being one: pieces (``{…}``, ``"…"``, a number, a macro name)
    joined with ``#``. None when the whole value is one (or empty); braces pair up already."""
    position, length = 0, len(value)
    while True:
        while position < length and value[position].isspace():
            position += 1
        if position == length:
            return None if position == 0 or value[:position].strip() == "" else position
        start = position
        char = value[position]
        if char == "{":
            depth = 0
            for position in range(start, length):
                depth += {"{": 1, "}": -1}.get(value[position], 0)
                if depth == 0:
                    break
            position += 1
        elif char == '"':
            depth, position = 0, start + 1
            while position < length and (value[position] != '"' or depth):
                depth += {"{": 1, "}": -1}.get(value[position], 0)
                position += 1
            if position == length:
                return start
            position += 1
        else:
            match = _MACRO_NAME.match(value, position)
            if match is None:
                return start
            position = match.end()
        while position < length and value[position].isspace():
            position += 1
        if position == length:
            return None
        if value[position] != "#":
            return position
        position += 1


def _unescaped_specials(content: str) -> tuple[list[str], bool]:
    """The TeX specials outside math that lack a backslash, and whether a ``$`` is left open."""
    content = _URL_ARGUMENT.sub("", content)
    found: list[str] = []
    math = False
    backslashes = 0
    for char in content:
        if char == "\\":
            backslashes += 1
            continue
        escaped = backslashes % 2 == 1
        backslashes = 0
        if escaped:
            continue
        if char == "$":
            math = not math
        elif not math and char in "&%#_^" and char not in found:
            found.append(char)
    return found, math


def _content(value: str) -> str | None:
    """A raw field value without its enclosing braces or quotes; None for numbers, macros and ``#`` joins."""
    value = value.strip()
    if whole_group(value):
        return value[1:-1]
    if len(value) >= 2 and value[0] == value[-1] == '"' and '"' not in _braces_removed(value[1:-1]):
        return value[1:-1]
    return None


def _braces_removed(text: str) -> str:
    """The text outside any brace group (what a quoted value's own quotes are looked for in)."""
    out, depth = [], 0
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif depth == 0:
            out.append(char)
    return "".join(out)
