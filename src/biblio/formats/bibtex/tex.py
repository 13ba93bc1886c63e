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


# TeX math the reader kept as written (``$4^{\textrm{e}}$``, which has no plain-text form): written back as math.
_KEPT_MATH = re.compile(r"(?<!\\)\$[^$]*[\\^_][^$]*(?<!\\)\$")


def escape_squashed(text: str) -> str:
    """``tex_escape`` of a text already squashed (squashing twice costs a scan of a long text). TeX math kept as
    written by the reader stays math (TeX sets it, ``tex_decode`` keeps it as written again); the rest is escaped."""
    if not _needs_escape(text):  # most text: one fast search per special character
        return text
    if "$" in text and (spans := [m for m in _KEPT_MATH.finditer(text)  # math that reads back as itself
                                  if braces_pair_up(m.group()) and tex_decode(m.group())[0] == m.group()]):
        parts, start = [], 0
        for span in spans:
            parts += [_escape_plain(text[start:span.start()]), span.group()]
            start = span.end()
        return "".join(parts) + _escape_plain(text[start:])
    return _escape_plain(text)


def _escape_plain(text: str) -> str:
    if not _needs_escape(text):
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
             "textunderscore": "_", "textquotedbl": '"', "par": "\n\n", "url": "%s", "mbox": "%s", "LaTeX": "LaTeX",
             "TeX": "TeX"}
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
    tools, and simple math (``decode_math``). An unescaped ``&`` or ``%`` is kept as text (TeX would misread it,
    but the metadata is clear)."""
    text, unknown, _, _ = decode(value)
    return text, unknown


def decode(value: str) -> tuple[str, list[str], tuple[Severity, str] | None, bool]:
    """``tex_decode``, a note when not all the TeX was read as TeX: braces nested more than ``MAX_DEPTH``
    deep lose the inner braces, their text kept (a warning: the text is right); TeX nested too deep to read
    (environments, brackets …) is kept as written (an error); and whether math was kept as written (``$…$`` that
    ``decode_math`` cannot write as plain text)."""
    if _LATEX.search(value) is None:  # most values: pylatexenc would give them back as they are
        return value, [], None, False
    from pylatexenc.latexwalker import LatexWalkerError

    context, decoder = _decoder()
    kept_math = False
    if "$" in value:
        value, kept = decode_math(value)
        kept_math = bool(kept)
    value = _UNESCAPED.sub(lambda m: m.group(1) + ("\\" if len(m.group(1)) % 2 == 0 else "") + m.group(2), value)
    scanned = _without_math(value) if kept_math else value  # kept math is kept whole: its macros are not dropped
    unknown = sorted({m.group(1) for m in _MACRO.finditer(scanned)
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
    return text, unknown, note, kept_math


# --- simple math as text: Cu$_2$O is Cu₂O, $\\alpha$ is α ---------------------------------------------------------

_SUPERSCRIPT = dict(zip("0123456789+-=()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾"))
_SUBSCRIPT = dict(zip("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎"))
_GREEK = {name: chr(code) for name, code in zip(
    ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho varsigma sigma tau "
     "upsilon phi chi psi omega").split(), range(0x3B1, 0x3CA))}
_GREEK |= {name.capitalize(): chr(ord(letter) - 0x20) for name, letter in _GREEK.items()
           if name not in ("varsigma",)}
_GREEK |= {"varepsilon": "ε", "vartheta": "θ", "varphi": "φ", "varpi": "π", "varrho": "ρ", "upmu": "μ",
           "micro": "µ"}  # the letter, whichever glyph TeX draws (\phi or \varphi: φ in text)
_BINARY = {"pm": "±", "mp": "∓", "times": "×", "div": "÷", "cdot": "·", "leq": "≤", "le": "≤", "geq": "≥",
           "ge": "≥", "neq": "≠", "ne": "≠", "approx": "≈", "sim": "∼", "simeq": "≃", "equiv": "≡", "propto": "∝",
           "to": "→", "rightarrow": "→", "leftarrow": "←", "leftrightarrow": "↔", "Rightarrow": "⇒", "ll": "≪",
           "gg": "≫", "lesssim": "≲", "gtrsim": "≳"}
_SYMBOLS = {"infty": "∞", "degree": "°", "partial": "∂", "nabla": "∇", "prime": "′", "ldots": "…", "cdots": "⋯",
            "hbar": "ℏ", "ell": "ℓ", "AA": "Å", "langle": "⟨", "rangle": "⟩", "%": "%", ",": " ", ";": " ", ":": " ",
            " ": " ", "!": ""}
_OPERATORS = frozenset("+−=<>") | frozenset(_BINARY.values())
_PLAIN_MATH = frozenset("+-=()[]<>,./:;|!?")
_TEXT_IN_MATH = frozenset({"text", "textrm", "textit", "textup", "textnormal", "mbox"})  # text: spaces count
_FONTS = frozenset({"mathrm", "mathit", "mathnormal", "mathup", "rm", "it", "left", "right", "displaystyle",
                    "textstyle"})  # upright or italic letters, and delimiter sizes: the text is the same
_ACCENTS = {"bar": "\u0304", "overline": "\u0305"}  # a Miller index (000\bar{1}): 0001̄
_MATH_TOKEN = re.compile(r"\\([A-Za-z]+)[ \t\n]*|\\(.)|(\S)|\s+", re.DOTALL)
_MATH_MARK = re.compile(r"\\.|\$\$?", re.DOTALL)  # an escaped character, or a math delimiter


def decode_math(value: str) -> tuple[str, list[str]]:
    """``value`` with each ``$…$`` that is simple math written as plain text: sub- and superscript digits and signs
    (``Cu$_2$O`` is Cu₂O, ``$^{2+}$`` ²⁺), Greek letters (``$\\alpha$`` α), common symbols (± × ≤ ≥ ∼ °), letters,
    digits and ``\\mathrm{…}``; and the math kept as written, delimiters and all (a subscript letter, a fraction …),
    for which no plain text is unambiguous."""
    pieces, kept, start, opened = [], [], 0, None
    for mark in _MATH_MARK.finditer(value):
        if mark.group()[0] != "$":
            continue
        if opened is None:
            opened = mark
            continue
        if mark.group() != opened.group():  # $$ closing $, or the reverse: not math biblio reads
            break
        text = _math_text(value[opened.end():mark.start()])
        pieces.append(value[start:opened.start()])
        if text is None:
            kept.append(value[opened.start():mark.end()])
            pieces.append(kept[-1])
        else:
            pieces.append(text)
        start, opened = mark.end(), None
    pieces.append(value[start:])
    return "".join(pieces), kept


def _without_math(value: str) -> str:
    """``value`` without its ``$…$`` segments (their macros are kept as written, not read)."""
    pieces, start, opened = [], 0, None
    for mark in _MATH_MARK.finditer(value):
        if mark.group()[0] == "$":
            if opened is None:
                pieces.append(value[start:mark.start()])
                opened = mark
            else:
                start, opened = mark.end(), None
    pieces.append(value[start:] if opened is None else value[opened.start():])
    return "".join(pieces)


_Token = tuple[str | None, str | None, str | None]  # a control word's name, a control symbol, or a character
_SPACE_TOKEN: _Token = (None, None, None)


def _math_text(math: str) -> str | None:
    """Math as plain text (see ``decode_math``); None when it is more than that."""
    tokens = [(m.group(1), m.group(2), m.group(3)) for m in _MATH_TOKEN.finditer(math)]
    out: list[str] = []  # each atom's text; operators as themselves, spaced below
    position = 0
    while position < len(tokens):
        word, symbol, char = tokens[position]
        position += 1
        if tokens[position - 1] == _SPACE_TOKEN or char in ("{", "}") or word in _FONTS:  # TeX's, not text
            continue
        if char in ("_", "^"):
            inside, position = _argument(tokens, position)
            script = _script(inside, _SUBSCRIPT if char == "_" else _SUPERSCRIPT)
            if script is None:
                return None
            out.append(script)
        elif word in _TEXT_IN_MATH or word in _ACCENTS:  # \text{ and }: its characters, spaces kept; \bar{1}: 1̄
            inside, position = _argument(tokens, position)
            if inside is None or any(t[0] or t[1] or t[2] in ("{", "}") for t in inside):
                return None
            text = "".join(t[2] or " " for t in inside)
            if word in _ACCENTS:
                if len(text) != 1 or not text.isalnum():
                    return None
                text += _ACCENTS[word]
            out.append(text)
        elif word is not None or symbol is not None:
            name = word or symbol or ""
            symbol_text = _GREEK.get(name) or _BINARY.get(name) or _SYMBOLS.get(name)
            if symbol_text is None:
                return None
            out.append(symbol_text)
        elif char is not None and (char.isalnum() or char in _PLAIN_MATH or char == "'"):
            out.append({"-": "−", "'": "′"}.get(char, char))
        else:
            return None
    return _spaced(out) if out else None


def _argument(tokens: list[_Token], position: int) -> tuple[list[_Token] | None, int]:
    """The argument of a command or script at ``position`` (one token, or a ``{…}`` group without its braces), and
    the position after it; None when there is none."""
    while position < len(tokens) and tokens[position] == _SPACE_TOKEN:
        position += 1
    if position == len(tokens) or tokens[position][2] == "}":
        return None, position
    if tokens[position][2] != "{":
        return tokens[position:position + 1], position + 1
    depth = 0
    for index in range(position, len(tokens)):
        depth += {"{": 1, "}": -1}.get(tokens[index][2] or "", 0)
        if depth == 0:
            return tokens[position + 1:index], index + 1
    return None, len(tokens)


def _script(inside: list[_Token] | None, table: dict[str, str]) -> str | None:
    """A sub- or superscript (one character, a group, ``\\circ``, ``\\prime``; font commands and their braces
    aside: ``_{\\textrm{2}}``) as Unicode characters; None when it has a character with no Unicode form."""
    if inside is None:
        return None
    inside = [t for t in inside if t != _SPACE_TOKEN and t[2] not in ("{", "}") and t[0] not in _FONTS | _TEXT_IN_MATH]
    if table is _SUPERSCRIPT and len(inside) == 1 and inside[0][0] in ("circ", "prime"):
        return "°" if inside[0][0] == "circ" else "′"
    if not inside or any(word or symbol or char not in table for word, symbol, char in inside):
        return None
    return "".join(table[char or ""] for _, _, char in inside)


def _spaced(atoms: list[str]) -> str:
    """The atoms of math joined as TeX sets them: a binary operator or relation between two operands with a space
    either side (5 ± 2), next to nothing or another operator without (∼100)."""
    text = []
    for index, atom in enumerate(atoms):
        between = 0 < index < len(atoms) - 1 and atoms[index - 1] not in _OPERATORS \
            and atoms[index + 1] not in _OPERATORS and atoms[index - 1] != " "
        text.append(f" {atom} " if atom in _OPERATORS and between else atom)
    return squash("".join(text)) if "  " in "".join(text) else "".join(text)


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
