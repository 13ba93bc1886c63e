"""TeX in BibTeX field values: escaping what TeX needs, and its exact inverse.

Raw UTF-8 (design.md §4): letters stay letters, never LaTeX macros (``\\CYRSCHWA`` breaks
Zotero). Only what TeX needs is escaped: ``& % $ # _`` as ``\\&`` …, ``\\ ~ ^`` as
``\\textbackslash{}`` …; braces as ``\\{ \\}`` when the text's own pair up, else as
``\\textbraceleft{}`` … (BibTeX counts ``\\{`` too); ``{}`` inside the pairs TeX turns into
other characters (``--``, ``''`` …). Whitespace runs become one space. ``tex_decode`` undoes
exactly this, and reads the accents and macros other tools write.

Paragraphs (of an abstract) end in ``~`` before a blank line (``PARAGRAPH_BREAK``): a blank line
is TeX's paragraph break, and the tie keeps a space where others join the paragraphs: Zotero
makes the two one space, pandoc (which joins paragraphs with nothing) a no-break space, biber
one space. ``\\par`` printed itself in Zotero, and pandoc dropped the space.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from typing import Any

from ...problems import Severity

_SPACE = re.compile(r"[ \t\n\r\f\v]+")
_SPACES = re.compile(" {2,}")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")
_ESCAPES = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "\\": r"\textbackslash{}",
            "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
_TEX_SPECIAL = re.compile(r"[&%$#_\\~^{}]")
_ESCAPE_PAIRED = {**_ESCAPES, "{": r"\{", "}": r"\}"}
_ESCAPE_UNPAIRED = {**_ESCAPES, "{": r"\textbraceleft{}", "}": r"\textbraceright{}"}
_BRACE = re.compile("[{}]")
_GROUP_MARK = re.compile(r"\\.|[{}]", re.DOTALL)  # an escaped character, or a brace
_DEEP_MARK = re.compile(r"\\(?:[A-Za-z]+|.)|[{}]", re.DOTALL)  # a LaTeX command, an escaped character, or a brace
_LITERAL = frozenset("&%$#_{} ")  # the characters a backslash escapes: \& is &
_COMMAND_END = re.compile(r"\\[A-Za-z]+$")
MAX_DEPTH = 32  # brace levels handed to pylatexenc, which takes 4 to 10 stack frames a level; real values use 2 to 4
_LIGATURE_START = re.compile(r"-(?=-)|'(?=')|`(?=`)|!(?=`)|\?(?=`)")  # "{}" goes after each


def squash(text: str) -> str:
    """Whitespace runs as one space, trimmed: what BibTeX keeps of a field's spacing."""
    if "\n" in text or "\t" in text or "\r" in text or "\f" in text or "\v" in text:
        return _SPACE.sub(" ", text).strip()
    # Spaces only (the usual value): five searches for a character cost less than a regex.
    return (_SPACES.sub(" ", text) if "  " in text else text).strip()


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a text (split at blank lines), each squashed."""
    if "\n" not in text:  # one paragraph
        text = squash(text)
        return [text] if text else []
    return [part for part in (squash(p) for p in _PARAGRAPH_BREAK.split(text)) if part]


PARAGRAPH_BREAK = "~\n\n"


def paragraphs_tex(text: str) -> str:
    """A text's paragraphs escaped, each but the last ending in ``PARAGRAPH_BREAK``; ``paragraphs`` of
    ``tex_decode`` reads them back."""
    return PARAGRAPH_BREAK.join(escape_squashed(part) for part in paragraphs(text))


def brace_depths(text: str) -> list[int]:
    """The depth after each brace of ``text``, counted as BibTeX counts them (``\\{`` too)."""
    return list(itertools.accumulate(1 if brace == "{" else -1 for brace in _BRACE.findall(text)))


def braces_pair_up(text: str) -> bool:
    """Every brace closes one opened before it, and all close."""
    depths = brace_depths(text)
    return not depths or (min(depths) >= 0 and depths[-1] == 0)


def whole_group(text: str) -> bool:
    """``{…}`` where the first brace closes at the very end (escaped braces aside): one group."""
    if len(text) < 2 or text[0] != "{" or text[-1] != "}":
        return False
    depth = 0
    for mark in _GROUP_MARK.finditer(text):
        if mark.group() == "{":
            depth += 1
        elif mark.group() == "}":
            depth -= 1
            if depth == 0 and mark.start() != len(text) - 1:
                return False
    return depth == 0


def tex_escape(text: str) -> str:
    """Text as a BibTeX field value that TeX and ``tex_decode`` both read back as ``text``, squashed."""
    if text.isalnum():  # a one-word name, a page number: no space, no special, no ligature pair
        return text
    return escape_squashed(squash(text))


def escape_squashed(text: str) -> str:
    """``tex_escape`` of a text already squashed (squashing twice costs a scan of a long text)."""
    if not _needs_escape(text):  # most text: one fast search per special character
        return text
    table = _ESCAPE_PAIRED if braces_pair_up(text) else _ESCAPE_UNPAIRED
    escaped = _TEX_SPECIAL.sub(lambda match: table[match.group()], text)
    # Escapes neither hold nor border the ligature characters, so the pairs are the text's own.
    return _LIGATURE_START.sub(r"\g<0>{}", escaped)


def _needs_escape(text: str) -> bool:
    """Whether ``text`` has a character TeX treats specially or a ligature pair: a search per character
    runs at memory speed, a regular expression with the pairs twenty times slower."""
    return ("&" in text or "%" in text or "$" in text or "#" in text or "_" in text or "\\" in text
            or "~" in text or "^" in text or "{" in text or "}" in text or "`" in text
            or ("-" in text and "--" in text) or ("'" in text and "''" in text))


def keywords_tex(words: list[str]) -> str:
    """The keywords that are not blank, escaped, comma-separated; a comma or semicolon in one braced."""
    escaped = []
    for word in words:
        if not _plain_words(word):  # most keywords are: nothing to squash, escape or brace
            word = escape_squashed(squash(word))
            if "," in word or ";" in word:
                word = word.replace(",", "{,}").replace(";", "{;}")
        if word:
            escaped.append(word)
    return ", ".join(escaped)


def _plain_words(text: str) -> bool:
    """Letters, digits and single hyphens in words one space apart (most keywords): nothing to escape."""
    return (text.replace(" ", "").replace("-", "").isalnum() and text[0] != " " and text[-1] != " "
            and "  " not in text and "--" not in text)


@functools.cache
def _decoder() -> tuple[Any, Any]:  # pylatexenc is untyped: its context and its decoder
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, SpecialsTextSpec, get_default_latex_context_db
    from pylatexenc.latex2text._defaultspecs import unicode_accents_list

    context = get_default_latex_context_db()
    accents = [MacroTextSpec(name, simplify_repl=functools.partial(_accented, mark=mark))
               for name, mark in unicode_accents_list]
    texts = {"textbraceleft": "{", "textbraceright": "}", "textasciicircum": "^", "textasciitilde": "~",
             "textunderscore": "_", "textquotedbl": '"', "par": "\n\n", "url": "%s", "LaTeX": "LaTeX", "TeX": "TeX"}
    context.add_context_category("biblio-bibtex", prepend=True, macros=[
        MacroTextSpec(name, simplify_repl=text) for name, text in texts.items()
    ] + accents, specials=[SpecialsTextSpec("~", " ")])  # a tie between initials is a space in metadata
    return context, LatexNodes2Text(latex_context=context, math_mode="verbatim", strict_latex_spaces=True)


def _accented(node: Any, l2tobj: Any, mark: str) -> str:  # pylatexenc passes its decoder by that name
    """An accent macro's text: ``mark`` after each letter of its argument, as pylatexenc does, but not after the
    marks already there (pylatexenc's doubles the text at each accent nested in another: 2**400 characters)."""
    text = l2tobj.nodelist_to_text(node.nodeargs[:1]).strip() if node.nodeargs else " "
    return "".join(char if unicodedata.combining(char) else unicodedata.normalize("NFC", char + mark)
                   for char in text.replace("\u0131", "i").replace("\u0237", "j"))  # dotless i and j


_UNESCAPED = re.compile(r"(\\*)([&%])")
_LATEX = re.compile(r"[\\{}~$%&#^_]|--|''|``|[!?]`")  # what the decoder would change: else the text is as it is
_MACRO = re.compile(r"\\(?:([A-Za-z]+)|.)")


def tex_decode(value: str) -> tuple[str, list[str]]:
    """A field value as plain Unicode text, and the LaTeX macros it had that biblio does not know: undoes
    ``tex_escape`` exactly, and reads accents (``{\\"o}``, ``\\ss`` …), dashes, quotes and braces from other
    tools. An unescaped ``&`` or ``%`` is kept as text (TeX would misread it, but the metadata is clear)."""
    text, unknown, _ = decode(value)
    return text, unknown


def decode(value: str) -> tuple[str, list[str], tuple[Severity, str] | None]:
    """``tex_decode``, and a note when not all the TeX was read as TeX: braces nested more than ``MAX_DEPTH``
    deep lose the inner braces, their text kept (a warning: the text is right); TeX nested too deep to read
    (environments, brackets …) is kept as written (an error)."""
    if _LATEX.search(value) is None:  # most values: pylatexenc would give them back as they are
        return value, [], None
    from pylatexenc.latexwalker import LatexWalkerError

    context, decoder = _decoder()
    value = _UNESCAPED.sub(lambda m: m.group(1) + ("\\" if len(m.group(1)) % 2 == 0 else "") + m.group(2), value)
    unknown = sorted({m.group(1) for m in _MACRO.finditer(value)
                      if m.group(1) and context.get_macro_spec(m.group(1)) is None})
    note: tuple[Severity, str] | None = None
    if value.count("{") > MAX_DEPTH and (deepest := nesting(value)) > MAX_DEPTH:
        value = _flatten(value)
        note = "warning", f"has braces nested {deepest} deep (biblio reads {MAX_DEPTH} levels, TeX at most 255): " \
                          "the text inside is read without the deeper braces and LaTeX commands; remove the extra " \
                          "braces"
    try:
        text = decoder.latex_to_text(value)
    except LatexWalkerError:  # pylatexenc parses tolerantly; keep the raw text if it ever gives up
        text = value
    except (IndexError, KeyError, TypeError, ValueError, AttributeError):  # a pylatexenc macro spec that fails on
        # an unusual argument layout (``\\href {url} {text}`` with spaces between the arguments): keep the text
        text, note = value, ("warning", "has LaTeX that biblio could not read (a command whose arguments it could not "
                                        "take apart): it is kept as written; check the value")
    except RecursionError:  # pylatexenc recurses per level of nesting: environments, brackets …
        text, note = value, ("error", "has LaTeX nested too deep to read (environments or brackets inside each "
                                      "other): it is kept as written; simplify it")
    return text, unknown, note


def nesting(value: str) -> int:
    """The deepest nesting of the braces of ``value`` that TeX reads as groups (not ``\\{``)."""
    depth = deepest = 0
    for mark in _GROUP_MARK.finditer(value):
        if mark.group() == "{":
            depth += 1
            deepest = max(deepest, depth)
        elif mark.group() == "}":
            depth = max(depth - 1, 0)
    return deepest


def _flatten(value: str) -> str:
    """``value`` without the braces nested deeper than ``MAX_DEPTH`` and the LaTeX commands inside them (their
    text is kept, and the escaped characters)."""
    kept, depth, start = [], 0, 0
    for mark in _DEEP_MARK.finditer(value):
        token = mark.group()
        depth += token == "{"
        if depth > MAX_DEPTH:
            before = value[start:mark.start()]
            kept.append(before + ("{}" if _COMMAND_END.search(before) else ""))  # {}: where the command ends
            kept.append(token if token[:1] == "\\" and token[1:] in _LITERAL else "")  # \& stays: it is text
            start = mark.end()
        if token == "}":
            depth = max(depth - 1, 0)
    kept.append(value[start:])
    return "".join(kept)
