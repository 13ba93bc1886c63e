"""Checking a BibTeX file for what BibTeX and LaTeX would choke on, with line numbers.

BibTeX has no schema (design.md §5): one bibtexparser parse, each block and field checked.
Errors: blocks that cannot be parsed, repeated keys or fields, braces that do not pair up,
a value followed by more than a comma (a missing comma), a ``}`` that closes nothing (it
ends an entry early), TeX specials (``& % $ # _ ^``) without a backslash outside verbatim
fields. Warnings (BibTeX itself only warns): missing required fields, keys that are not
ASCII, Cyrillic as LaTeX macros, text outside any entry that looks like a field list.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from bibtexparser.model import Block, DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, Entry, Field, ParsingFailedBlock

from ...fileio import read_text_head
from ...problems import Problem, Severity
from .mapping import REQUIRED, VERBATIM
from .parse import (MACRO_NAME, failure, group_end, line, looks_like_entry, parse, past_space, read_text,
                    stray_brace)
from .tex import braces_pair_up, nesting, whole_group

_URL_ARGUMENT = re.compile(r"\\(?:url|href|path)\s*\{[^{}]*\}")
_CYRILLIC_MACRO = re.compile(r"\\(?:CYR[A-Z]+|cyr[a-z]*|cyrchar)")
_TEX_GROUPS = 255  # TeX's limit on groups inside each other ("grouping levels=255")
_SPECIAL = re.compile(r"\\.|[$&%#_^]", re.DOTALL)  # an escaped character, or a TeX special


def detect(path: Path) -> bool:
    """A BibTeX file: text with ``@type{key,`` entries at the start of a line (a ``.bib`` name needs only ``@type{``,
    anywhere, as BibTeX itself finds entries)."""
    head = read_text_head(path, 65536)  # UTF-16 or UTF-32 with a byte-order mark too (read, with a warning)
    if head is None:
        return False
    stripped = head.lstrip(" \t\r\n")
    if stripped[:1] in ("<", "[", "{") or re.match(r"TY {2}- ", stripped):
        return False
    if Path(path).suffix.lower() == ".bib" and re.search(r"@\w+\s*[{(]", head.replace("\0", "")):
        return True
    return bool(re.search(r"(?m)^\s*@\w+\s*[{(]\s*[^\s,{}()=]+\s*,\s*\w[\w-]*\s*=", head))


def validate(path: Path) -> list[Problem]:
    """The problems of a .bib file (see the module's docstring); an empty list for a good file."""
    file = str(path)
    text, problems = read_text(Path(path), bom_severity="error")  # BibTeX reads bytes; UTF-16 is half NULs
    if text is None:
        return problems

    def report(code: str, severity: Severity, message: str, at: int | None, where: str | None = None) -> None:
        problems.append(Problem(code, severity, message, path=where, file=file, line=line(at)))

    entries = 0
    previous = None
    for block in parse(text, raw=True).blocks:
        duplicate = block if isinstance(block, DuplicateBlockKeyBlock | DuplicateFieldKeyBlock) else None
        entry = duplicate.ignore_error_block if duplicate is not None else block  # a duplicate's entry is checked too
        if (stray := stray_brace_error(block, previous)) is not None:
            report("bibtex.syntax", "error", stray[0], stray[1])
        elif isinstance(block, DuplicateBlockKeyBlock):
            report("bibtex.duplicate-key", "error", f"the key '{block.key}' is used again (first at line "
                   f"{line(block.previous_block.start_line)}); each entry needs its own key", block.start_line,
                   block.key)
        elif isinstance(block, DuplicateFieldKeyBlock):
            report("bibtex.duplicate-field", "error", f"the entry repeats the field(s) "
                   f"{', '.join(sorted(block.duplicate_keys))}; BibTeX keeps only one", block.start_line,
                   entry.key if isinstance(entry, Entry) else None)
        elif isinstance(block, ParsingFailedBlock):
            report("bibtex.syntax", "error", f"this block cannot be read: {failure(block)}", block.start_line)
        elif looks_like_entry(block):
            report("bibtex.stray-text", "warning", "text outside any entry looks like a field list (a missing @ "
                   "or a commented-out entry?); BibTeX ignores it", block.start_line)
        if isinstance(entry, Entry):
            entries += 1
            _check_entry(entry, report)
        previous = block
    if entries == 0 and not any(p.severity == "error" for p in problems):
        problems.append(Problem("bibtex.empty", "warning", "the file has no entries", file=file))
    return problems


def _check_entry(entry: Entry, report: Callable[..., None]) -> None:
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
        content = _plain_group(value)  # the usual value, told without a scan
        if content is None:
            if (error := value_error(entry, item)) is not None:
                report(*error, where)
                continue
            inner = value[1:-1] if value[:1] == "{" else value  # the enclosing braces are BibTeX's, not a group
            if value.count("{") > _TEX_GROUPS and (deepest := nesting(inner)) > _TEX_GROUPS:
                report("bibtex.braces", "error", f"the braces in {name} are nested {deepest} deep; TeX stops at "
                       f"{_TEX_GROUPS} levels (TeX capacity exceeded): remove the extra braces", item.start_line,
                       where)
                continue
            content = _content(value)
        if content is not None and name not in VERBATIM:
            _check_content(content, name, item.start_line, where, report)


# --- the syntax errors BibTeX stops at: shared with the reader, which refuses the entries they spoil ------------

def stray_brace_error(block: Block, previous: Block | None) -> tuple[str, int | None] | None:
    """For text outside any entry that starts with a ``}`` closing nothing (not the rest of a block that failed):
    the error, and the line (from 0) where the entry before it ended early; None for any other block."""
    if not stray_brace(block) or isinstance(previous, ParsingFailedBlock):
        return None
    at = block.start_line  # where the entry before it ended, early
    if previous is not None and previous.start_line is not None:
        at = previous.start_line + (previous.raw or "").count("\n")
    return ("a closing brace closes nothing here (BibTeX stops there): an extra } that ends the entry before it "
            "early leaves the fields after it unread; remove it (or add the { it should close)"), at


def value_error(entry: Entry, item: Field) -> tuple[str, Severity, str, int | None] | None:
    """The syntax error of a field's raw value (as written, enclosing braces or quotes included): braces that do not
    pair up, or a value that goes on after its end (a missing comma); its code, severity, message and line (from 0).
    None for a good value."""
    name, value = item.key.lower(), str(item.value).strip()
    if _plain_group(value) is not None:
        return None
    if not braces_pair_up(value):
        return ("bibtex.braces", "error", f"the braces in {name} do not pair up (BibTeX counts \\{{ and \\}} too); "
                "close each { with a }", item.start_line)
    if _content(value) is None and (broken := _broken_value(entry, name, value)) is not None:
        return "bibtex.syntax", "error", broken[0], broken[1]
    return None


def syntax_errors(blocks: list[Block]) -> list[tuple[Block | None, Problem]]:
    """The syntax errors of a raw parse's blocks that spoil an entry (a value that goes on after its end, braces
    that do not pair up, an extra ``}`` that ended the entry before it early), each with the block to refuse (the
    entry, or None when the ``}`` follows no entry), as problems without a file."""
    found: list[tuple[Block | None, Problem]] = []
    previous: Block | None = None
    for block in blocks:
        entry = block.ignore_error_block if isinstance(block, DuplicateBlockKeyBlock | DuplicateFieldKeyBlock) \
            else block
        if (stray := stray_brace_error(block, previous)) is not None:
            spoiled = previous.ignore_error_block if isinstance(previous, DuplicateBlockKeyBlock |
                                                                 DuplicateFieldKeyBlock) else previous
            found.append((previous if isinstance(spoiled, Entry) else None,
                          Problem("bibtex.syntax", "error", stray[0], path=spoiled.key if isinstance(spoiled, Entry)
                                  else None, line=line(stray[1]))))
        if isinstance(entry, Entry):
            for item in entry.fields:
                if (error := value_error(entry, item)) is not None:
                    code, severity, message, at = error
                    found.append((block, Problem(code, severity, message, path=f"{entry.key}.{item.key.lower()}",
                                                 line=line(at))))
        previous = block
    return found


def _plain_group(value: str) -> str | None:
    """The content of a value that is one brace group with no brace inside (but a title's
    protecting pair); None for any other value."""
    if value[:1] != "{" or value[-1:] != "}":
        return None
    inner = value[1:-1]
    core = inner[1:-1] if inner[:1] == "{" and inner[-1:] == "}" else inner
    return None if "{" in core or "}" in core or core.endswith("\\") else inner


def _check_content(content: str, name: str, at: int | None, where: str, report: Callable[..., None]) -> None:
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
    raw, start = entry.raw or "", entry.start_line
    found = raw.find(value)
    at = start + raw[:found + end].count("\n") if found >= 0 and start is not None else start
    rest = value[end:].strip().split("\n", 1)[0][:40]
    if value[:end].strip():
        return (f"the {name} value goes on after its end: BibTeX stops at '{rest}' (a missing comma?), which "
                f"bibtexparser reads as part of {name}"), at
    return f"the {name} value is not {{braced}}, \"quoted\", a number or a @string name: BibTeX stops at '{rest}'", at


def _value_end(value: str) -> int | None:
    """Where a field value stops being one: pieces (``{…}``, ``"…"``, a number, a macro name)
    joined with ``#``. None when the whole value is one (or empty); braces pair up already."""
    position = 0
    while True:
        start = position = past_space(value, position)
        if position == len(value):  # empty, or a "#" joins nothing
            return position if value[:position].strip() else None
        if value[start] in '{"':
            end = group_end(value, start)
        else:
            match = MACRO_NAME.match(value, start)
            end = match.end() if match else None
        if end is None:
            return start
        position = past_space(value, end)
        if position == len(value) or value[position] != "#":
            return None if position == len(value) else position
        position += 1


def _unescaped_specials(content: str) -> tuple[list[str], bool]:
    """The TeX specials outside math that lack a backslash, and whether a ``$`` is left open."""
    found: list[str] = []
    math = False
    for mark in _SPECIAL.findall(_URL_ARGUMENT.sub("", content)):
        if mark == "$":
            math = not math
        elif not math and len(mark) == 1 and mark not in found:  # not escaped
            found.append(mark)
    return found, math


def _content(value: str) -> str | None:
    """A field value (its braces paired) without its enclosing braces or quotes; None for numbers,
    macros and ``#`` joins."""
    if whole_group(value) or (len(value) >= 2 and value[0] == value[-1] == '"' and group_end(value, 0) == len(value)):
        return value[1:-1]
    return None
