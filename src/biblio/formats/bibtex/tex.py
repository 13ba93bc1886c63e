"""TeX in BibTeX field values: escaping what TeX needs, and its exact inverse.

Raw UTF-8 (design.md §4): letters stay letters, never LaTeX macros (``\\CYRSCHWA`` breaks
Zotero). Only what TeX needs is escaped: ``& % $ # _`` as ``\\&`` …, ``\\ ~ ^`` as
``\\textbackslash{}`` …; braces as ``\\{ \\}`` when the text's own pair up, else as
``\\textbraceleft{}`` … (BibTeX counts ``\\{`` too); ``{}`` inside the pairs TeX turns into
other characters (``--``, ``''`` …). Whitespace runs become one space. ``tex_decode`` undoes
exactly this, and reads the accents and macros other tools write.
"""

from __future__ import annotations

import functools
import itertools
import re
from typing import Any

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

    context = get_default_latex_context_db()
    texts = {"textbraceleft": "{", "textbraceright": "}", "textasciicircum": "^", "textasciitilde": "~",
             "textunderscore": "_", "textquotedbl": '"', "par": "\n\n", "url": "%s", "LaTeX": "LaTeX", "TeX": "TeX"}
    context.add_context_category("biblio-bibtex", prepend=True, macros=[
        MacroTextSpec(name, simplify_repl=text) for name, text in texts.items()
    ], specials=[SpecialsTextSpec("~", " ")])  # a tie between initials is a space in metadata
    return context, LatexNodes2Text(latex_context=context, math_mode="verbatim", strict_latex_spaces=True)


_UNESCAPED = re.compile(r"(\\*)([&%])")
_LATEX = re.compile(r"[\\{}~$%&#^_]|--|''|``|[!?]`")  # what the decoder would change: else the text is as it is
_MACRO = re.compile(r"\\(?:([A-Za-z]+)|.)")


def tex_decode(value: str) -> tuple[str, list[str]]:
    """A field value as plain Unicode text, and the LaTeX macros it had that biblio does not know: undoes
    ``tex_escape`` exactly, and reads accents (``{\\"o}``, ``\\ss`` …), dashes, quotes and braces from other
    tools. An unescaped ``&`` or ``%`` is kept as text (TeX would misread it, but the metadata is clear)."""
    if _LATEX.search(value) is None:  # most values: pylatexenc would give them back as they are
        return value, []
    from pylatexenc.latexwalker import LatexWalkerError

    context, decoder = _decoder()
    value = _UNESCAPED.sub(lambda m: m.group(1) + ("\\" if len(m.group(1)) % 2 == 0 else "") + m.group(2), value)
    unknown = sorted({m.group(1) for m in _MACRO.finditer(value)
                      if m.group(1) and context.get_macro_spec(m.group(1)) is None})
    try:
        text = decoder.latex_to_text(value)
    except LatexWalkerError:  # pylatexenc parses tolerantly; keep the raw text if it ever gives up
        text = value
    return text, unknown
