"""TeX in BibTeX field values: escaping what TeX needs, and its exact inverse.

Raw UTF-8 (design.md §4): letters of every script are written as they are, never as LaTeX
macros (``\\CYRSCHWA`` breaks Zotero and most TeX setups). Only what TeX itself needs is
escaped: ``& % $ # _`` as ``\\&`` …, ``\\`` ``~`` ``^`` as ``\\textbackslash{}``,
``\\textasciitilde{}``, ``\\textasciicircum{}``; braces as ``\\{ \\}`` when the text's own
braces pair up, else as ``\\textbraceleft{}``/``\\textbraceright{}`` (BibTeX counts ``\\{``
as a brace, so an unpaired one would break the file); and ``{}`` between the character
pairs TeX turns into other characters (``--``, ``''``, `````` ``, ``!` ``, ``?` ``).
Whitespace runs become one space (BibTeX collapses them anyway). ``tex_decode`` undoes
exactly this, and reads the accents and macros other tools write.
"""

from __future__ import annotations

import functools
import re

_SPACE = re.compile(r"[ \t\n\r\f\v]+")
_SPACES = re.compile(" {2,}")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")
_ESCAPES = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "\\": r"\textbackslash{}",
            "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
_TEX_SPECIAL = re.compile(r"[&%$#_\\~^{}]")
_ESCAPE_PAIRED = {**_ESCAPES, "{": r"\{", "}": r"\}"}
_ESCAPE_UNPAIRED = {**_ESCAPES, "{": r"\textbraceleft{}", "}": r"\textbraceright{}"}
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


def braces_pair_up(text: str) -> bool:
    """Every brace, counted as BibTeX counts them (``\\{`` too), closes one opened before, and all close."""
    depth = 0
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def whole_group(text: str) -> bool:
    """``{…}`` where the first brace closes at the very end (escaped braces aside): one group."""
    if len(text) < 2 or text[0] != "{" or text[-1] != "}":
        return False
    depth = 0
    escaped = False
    for position, char in enumerate(text):
        if escaped:
            escaped = False
            continue
        if char == "\\":
            escaped = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0 and position != len(text) - 1:
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
    """Whether ``text`` has a character TeX treats specially or a ligature pair (a search for one
    character runs at memory speed, one for two characters twenty times slower: pairs only when
    their character is there)."""
    return ("&" in text or "%" in text or "$" in text or "#" in text or "_" in text or "\\" in text
            or "~" in text or "^" in text or "{" in text or "}" in text or "`" in text
            or ("-" in text and "--" in text) or ("'" in text and "''" in text))


def _plain_words(text: str) -> bool:
    """Letters, digits and single hyphens in words one space apart: what ``tex_escape`` keeps as it is."""
    return (text.replace(" ", "").replace("-", "").isalnum() and text[0] != " " and text[-1] != " "
            and "  " not in text and "--" not in text)


def keywords_tex(words: list[str]) -> str:
    """The keywords that are not blank, escaped, comma-separated; a comma or semicolon in one braced."""
    escaped = []
    for word in words:
        if _plain_words(word):  # most keywords: nothing to squash, escape or brace
            escaped.append(word)
            continue
        word = squash(word)
        if word:
            word = escape_squashed(word)
            if "," in word or ";" in word:
                word = word.replace(",", "{,}").replace(";", "{;}")
            escaped.append(word)
    return ", ".join(escaped)


def abstract_tex(parts: list[str]) -> str:
    """Paragraphs (already squashed) joined with ``\\par``."""
    return r" \par ".join(escape_squashed(part) for part in parts)


@functools.cache
def _decoder():
    from pylatexenc.latex2text import (
        LatexNodes2Text,
        MacroTextSpec,
        SpecialsTextSpec,
        get_default_latex_context_db,
    )

    context = get_default_latex_context_db()
    context.add_context_category("biblio-bibtex", prepend=True, macros=[
        MacroTextSpec("textbraceleft", simplify_repl="{"),
        MacroTextSpec("textbraceright", simplify_repl="}"),
        MacroTextSpec("textasciicircum", simplify_repl="^"),
        MacroTextSpec("textasciitilde", simplify_repl="~"),
        MacroTextSpec("textunderscore", simplify_repl="_"),
        MacroTextSpec("textquotedbl", simplify_repl='"'),
        MacroTextSpec("par", simplify_repl="\n\n"),
        MacroTextSpec("url", simplify_repl="%s"),
        MacroTextSpec("LaTeX", simplify_repl="LaTeX"),
        MacroTextSpec("TeX", simplify_repl="TeX"),
    ], specials=[SpecialsTextSpec("~", " ")])  # a tie between initials is a space in metadata
    return context, LatexNodes2Text(latex_context=context, math_mode="verbatim", strict_latex_spaces=True)


_UNESCAPED = re.compile(r"(\\*)([&%])")
_LATEX = re.compile(r"[\\{}~$%&#^_]|--|''|``|[!?]`")  # what the decoder would change: else the text is as it is
_MACRO = re.compile(r"\\(?:([A-Za-z]+)|.)")


def tex_decode(value: str) -> tuple[str, list[str]]:
    """A field value as plain Unicode text, and the LaTeX macros it had that biblio does not know.

    Undoes ``tex_escape`` exactly and reads what other tools write: accents (``{\\"o}``,
    ``\\'e``, ``{\\c c}``, ``\\ss``), dashes, quotes, braces. An unescaped ``&`` or ``%`` is
    kept as text (TeX would misread it, but the metadata is clear).
    """
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
