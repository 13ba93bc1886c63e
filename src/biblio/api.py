"""The Python API: what the CLI calls, and what other programs import.

Every call takes an issue made in code or a file, and returns problems as data::

    issue, problems = biblio.load("issue.yaml")          # a manifest, or a file in any readable format
    issue, problems = biblio.loads(text, "bibtex")       # the same from text or bytes
    issues, problems = biblio.load_catalogue("refs.bib") # every issue a file of records holds
    works, problems = biblio.load_works("refs.bib")      # its books, chapters, theses, web pages …
    issue, problems = biblio.prepare(issue)              # what a manifest load derives, for an issue made in code
    issue, problems = biblio.check(issue)                # ... and the editorial checks
    report = biblio.build(issue, "out/")                 # check, write every format, validate, publish
    report = biblio.export(issue, "crossref", "deposit.xml")
    data, problems = biblio.dumps(issue, "bibtex")       # one format in memory, validated
    problems = biblio.dump(issue, "refs.bib")            # ... or into a file
    problems = biblio.validate("deposit.xml")            # a file (or several) against its schema
    problems = biblio.validates(data, "crossref")        # text or bytes against its schema
    catalogue = biblio.build_catalogue(["a.yaml", "b.yaml"], "out/", jobs=2)

A thin facade: building lives in ``biblio.build``, one-format export and convert in ``biblio.conversion``, catalogues in
``biblio.catalogue``, formats in ``biblio.formats``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Literal, Self, overload

from . import build as building
from . import conversion
from . import derive, formats, ids, manifest, manifest_spec
from .build import BuildReport, WrittenFile
from .catalogue import CatalogueReport, build_catalogue
from .conversion import convert
from .fileio import write_atomic
from .formats import Work
from .model import Article, Issue
from .problems import Problem
from .progress import Progress
from .yamlsource import Unstreamable

__all__ = ["ArticleStream", "BuildReport", "CatalogueReport", "Work", "WrittenFile", "build", "build_catalogue",
           "check", "convert", "dump", "dumps", "export", "iter_read", "load", "load_catalogue", "load_works", "loads",
           "prepare", "report", "stream", "validate", "validates"]

PathLike = str | Path
SUFFIXES = {"crossref": ".xml", "jats": ".xml", "csl": ".csl.json", "bibtex": ".bib", "ris": ".ris"}
"""The usual file name ending of each built-in format (``dump`` and ``loads`` go by it)."""

TEXT = "<text>"  # the file name problems carry for text given to loads and validates


def load(path: PathLike) -> tuple[Issue | None, list[Problem]]:
    """Read a manifest (YAML or JSON), or a file in any format biblio reads (JATS, CSL-JSON,
    BibTeX, RIS), into the model. The issue is None only when it cannot be built, or when the file's records
    belong to more than one issue (the error ``read.several-issues``: ``load_catalogue`` reads them all)."""
    target = Path(path)
    fmt = formats.detect(target) if target.is_file() else None
    if fmt is None and target.suffix.lower() in (".yaml", ".yml", ".json"):
        return manifest.load(target)
    return iter_read(target).collect()


def load_catalogue(path: PathLike) -> tuple[list[Issue], list[Problem]]:
    """Every issue a file of records (CSL-JSON, BibTeX, RIS; JATS holds one) belongs to, in the order first met, each
    with its articles: records are grouped by journal, volume, number and year (``formats.issue_key``), and nothing
    is taken from another record. A manifest gives its one issue. No issue when the file cannot be read."""
    target = Path(path)
    fmt = formats.detect(target) if target.is_file() else None
    if fmt is None and target.suffix.lower() in (".yaml", ".yml", ".json"):
        issue, problems = manifest.load(target)
        return ([issue] if issue is not None else []), problems
    return iter_read(target).catalogue()


def load_works(path: PathLike) -> tuple[list[Work], list[Problem]]:
    """The records of a file (BibTeX, RIS, CSL-JSON) that are not journal articles: books, chapters, theses, reports,
    web pages …, in the order met, each a ``formats.Work``: its ``reference`` (the cited-work model ``Reference``, with
    its citation ``type`` such as ``book`` or ``dissertation``, authors as ``Family, Given``, title, container, year,
    publisher, place, ISBN, DOI, URL …), the ``line`` where its record starts, how messages ``name`` it
    (``entry 'key'``) and its ``kind`` as the file writes it (``@phdthesis``). Such records are in no issue, so
    ``load`` and ``load_catalogue`` leave them out (with a note); the file's journal articles are left out here (with a
    note: ``load_catalogue`` reads them). A record with no title is skipped with a warning."""
    reader, problems = conversion.reader_of(Path(path))
    if reader is None or reader.iter_read is None:
        return [], problems
    return reader.iter_read(Path(path)).collect_works()


def loads(data: str | bytes, format: str = "manifest") -> tuple[Issue | None, list[Problem]]:
    """``load`` from text or bytes: a manifest (``format="manifest"``, YAML or JSON) or a
    registered format's name. Problems name the file ``<text>``."""
    if format == "manifest":
        return manifest.loads(data.decode("utf-8-sig") if isinstance(data, bytes) else data, TEXT)
    fmt = formats.get(format)
    if fmt is None or fmt.iter_read is None:
        return None, [_unknown_format(format, reading=True)]
    with tempfile.TemporaryDirectory(prefix="biblio-") as folder:
        path = _write_text(Path(folder), data, SUFFIXES.get(fmt.name, ""))
        issue, problems = fmt.read(path)
        return issue, _as_text(problems, path)


def prepare(issue: Issue) -> tuple[Issue | None, list[Problem]]:
    """An issue made in code, as a manifest load would give it: checked field by field (a wrong type is a problem naming
    the field path and what it takes), DOIs given from ``doi_pattern``, each text's original language set. The issue
    passed in is left as it is; the returned one is a new issue (None when it cannot be built). ``check``, ``build``,
    ``export`` and ``dumps`` call it for every issue they are given."""
    return manifest.from_model(issue)


def check(source: Issue | PathLike) -> tuple[Issue | None, list[Problem]]:
    """Load a manifest (or ``prepare`` an issue made in code) and run the editorial checks
    (``lint.RULES``) and every format's ``check`` (what its writer would refuse) on it: the verdict
    ``build`` gives.

    The checks run only on an issue that loaded without errors: on a partly read one they
    would point at the wrong articles.
    """
    issue, problems, _ = building.check_located(source, formats_too=True)
    return issue, problems


def report(source: Issue | PathLike, out_html: PathLike, build_report: BuildReport | None = None) -> list[Problem]:
    """Check the issue and write its review page, one self-contained HTML file (``biblio.review``): the deposit
    checklist, each article's texts side by side by language, every problem next to its field; with a build's report,
    also the files it wrote and their verdicts. Returns the problems shown (``report.io`` when it cannot be written)."""
    from . import review

    return review.write(source, out_html, build_report)


def build(source: Issue | PathLike, out_dir: PathLike, *, validate: bool = True, jobs: int | None = 1,
          progress: Progress | None = None) -> BuildReport:
    """Check the issue (a manifest or an issue made in code), then write and validate every
    registered format into ``out_dir``.

    Nothing is written when the issue has errors. Only files that pass validation (or all, with ``validate=False``)
    reach ``out_dir``, so an invalid file is never left where a user would take it. A JSON manifest is read one article
    at a time, so memory stays flat however many articles the issue has. Beside the files it writes the review page
    ``report.html`` (issues of up to ``build.REVIEW_LIMIT`` articles) and ``.biblio-files``, the list of files it
    wrote, so that the next build into the folder removes those it no longer writes.

    ``jobs``: worker processes writing formats side by side; 1 (the default) works in the
    calling process, 0 or None uses every usable CPU. The files and problems are the same
    whatever ``jobs`` is. A library call stays serial unless asked, because starting processes
    behind a caller's back is not a library's decision; ``biblio build`` uses all CPUs.

    ``progress(phase, done, total)`` is called as articles are checked and written and formats written (from this
    process only; ``biblio.progress.bar`` draws it on a terminal).
    """
    return building.build(source, out_dir, validate=validate, jobs=jobs, progress=progress)


def export(source: Issue | PathLike, format: str, output: PathLike, *, validate: bool = True,
           dois: list[str] | None = None, previous: PathLike | None = None,
           lang: str | None = None) -> BuildReport:
    """Write one format of an issue (a manifest or an issue made in code) to ``output``: a file,
    or a folder for a format with one file per article (JATS). ``dois`` chooses articles;
    ``lang`` writes a citation format in one language; ``previous`` is an earlier Crossref
    deposit of the same DOIs, and a deposit that is not newer is refused."""
    report = conversion.export(source, format, output, validate=validate, dois=dois, previous=previous, lang=lang)
    if dois is not None and report.ok:  # the articles written: those chosen
        report.articles = len({ids.doi_key(ids.doi(d).value or d) for d in dois})
    return report


@overload
def dumps(issue: Issue, format: Literal["crossref"], *, lang: str | None = None,
          validate: bool = True) -> tuple[bytes | None, list[Problem]]: ...
@overload
def dumps(issue: Issue, format: Literal["jats"], *, lang: str | None = None,
          validate: bool = True) -> tuple[dict[str, bytes] | None, list[Problem]]: ...
@overload
def dumps(issue: Issue, format: Literal["csl", "bibtex", "ris"], *, lang: str | None = None,
          validate: bool = True) -> tuple[str | None, list[Problem]]: ...
@overload
def dumps(issue: Issue, format: str, *, lang: str | None = None,
          validate: bool = True) -> tuple[str | bytes | dict[str, bytes] | None, list[Problem]]: ...


def dumps(issue: Issue, format: str, *, lang: str | None = None,
          validate: bool = True) -> tuple[str | bytes | dict[str, bytes] | None, list[Problem]]:
    """One format of an issue made in code, in memory, checked and validated as ``export``
    would: XML (Crossref) as bytes, as its declaration names the encoding; the text formats
    (CSL-JSON, BibTeX, RIS) as text; a format with one file per article (JATS) as the files'
    bytes by name. None, with the problems saying why, when nothing valid could be written."""
    fmt = formats.get(format)
    with tempfile.TemporaryDirectory(prefix="biblio-") as folder:
        target = Path(folder) / ("files" if fmt is not None and not fmt.single_file else "file")
        report = conversion.export(issue, format, target, validate=validate, lang=lang)
        written = {f.path.name: f.path.read_bytes() for f in report.files if f.valid is not False}
        problems = [replace(p, file=TEXT if p.file == str(target) else Path(p.file).name)
                    if p.file and p.file.startswith(folder) else p for p in report.problems]
    if not written or fmt is None:
        return None, problems
    if not fmt.single_file:
        return written, problems
    data = next(iter(written.values()))
    return (data if data.lstrip().startswith(b"<") else data.decode("utf-8")), problems


def dump(issue: Issue, path: PathLike, format: str | None = None, *, lang: str | None = None,
         validate: bool = True) -> list[Problem]:
    """Write an issue made in code to a file: a manifest (``.yaml``, ``.yml``, ``.json``, or
    ``format="manifest"``), or one format (``format``, else from the name's ending: ``.bib``,
    ``.ris``, ``.csl.json``; an XML file needs ``format``), checked and validated as
    ``export``. The folder must exist; nothing is written when there are errors.

    A manifest is written even for an issue that lacks what a manifest needs (one read from a file with no year, no
    journal title or no DOIs): what is unknown is left out, never written as a placeholder, and a ``dump.missing``
    warning names each field to add before the manifest loads."""
    target = Path(path)
    name = target.name.lower()
    if format is None:
        format = next((f for f, suffix in SUFFIXES.items() if name.endswith(suffix) and suffix != ".xml"), None)
        if format is None and name.endswith((".yaml", ".yml", ".json")):
            format = "manifest"
    if format is None:
        return [Problem("dump.format", "error", "cannot tell the format from the file name; give format= "
                        "(manifest, " + ", ".join(f.name for f in formats.registered()) + ")", file=str(target))]
    if not target.parent.is_dir():
        return [Problem("dump.io", "error", "the folder does not exist; create it first", file=str(target))]
    if format == "manifest":
        data = manifest.written_data(issue)
        write_atomic(target, manifest.dumps(issue, as_json=name.endswith(".json"), data=data))
        return [Problem("dump.missing", "warning", f"the manifest is written without {field} ({doc}), which it "
                        "needs before it loads: add it", path=field, file=str(target))
                for field, doc in _needed(issue, data)]
    return conversion.export(issue, format, target, validate=validate, lang=lang).problems


def _needed(issue: Issue, data: dict[str, object]) -> Iterator[tuple[str, str]]:
    """(field path, what it is) of each field a manifest load requires that ``data`` (``manifest.written_data``)
    leaves out, at any depth, and each article's DOI that no ``doi_pattern`` gives."""
    yield from _required(data, manifest_spec.TOP_FIELDS, "")
    if not issue.articles:
        yield "articles", "the articles in printed order; an issue has at least one"
    for index, article in enumerate(issue.articles):
        if not article.doi and not (issue.doi_pattern and derive.article_doi(issue, index + 1)):
            yield f"articles[{index}].doi", "the article's DOI, or issue.doi_pattern"


def _required(data: object, fields: Iterable[manifest_spec.Field], path: str) -> Iterator[tuple[str, str]]:
    if not isinstance(data, dict):
        return
    for f in fields:
        at, value = f"{path}.{f.key}" if path else f.key, data.get(f.key)
        if value is None:
            if f.required:
                yield at, f.doc.rstrip(".")
            continue
        kind, items = f.kind, [(at, value)]
        while isinstance(kind, (manifest_spec.ListOf, manifest_spec.ByLanguage)):  # down to the objects
            if isinstance(kind, manifest_spec.ListOf):
                items = [(f"{where}[{n}]", item) for where, found in items if isinstance(found, list)
                         for n, item in enumerate(found)]
            else:
                items = [(f"{where}.{lang}", item) for where, found in items if isinstance(found, dict)
                         for lang, item in found.items()]
            kind = kind.item
        if isinstance(kind, manifest_spec.Object):
            for where, item in items:
                yield from _required(item, manifest_spec.OBJECTS[kind.name].fields, where)


@overload
def validate(paths: PathLike, *, strict: bool = False) -> list[Problem]: ...
@overload
def validate(paths: Iterable[PathLike], *, strict: bool = False) -> list[Problem]: ...


def validate(paths: PathLike | Iterable[PathLike], *, strict: bool = False) -> list[Problem]:
    """Detect the format of a file (or of each of several) and validate it against that
    format's official schema; an empty list means valid. A folder stands for ``files_in(folder)``.

    ``strict``: Crossref deposits are validated with the official XSD 1.1 (xmlschema)
    instead of the fast, equivalent XSD 1.0 form.
    """
    problems: list[Problem] = []
    for raw in [paths] if isinstance(paths, (str, Path)) else paths:
        path = Path(raw)
        if path.is_dir():
            found = files_in(path)
            if not found:
                problems.append(Problem("validate.io", "error", "a folder with no file in a format biblio validates "
                                        "(" + ", ".join(f.name for f in formats.registered()) + "); give the files "
                                        "to validate", file=str(path)))
            problems += validate(found, strict=strict)
            continue
        if not path.is_file():
            problems.append(Problem("validate.io", "error", "no such file", file=str(path)))
            continue
        fmt = formats.detect(path)
        if fmt is None:
            known = ", ".join(f.name for f in formats.registered())
            problems.append(Problem("validate.format", "error", f"cannot tell which format this file is in "
                                    f"(biblio validates: {known})", file=str(path)))
            continue
        if strict and fmt.name == "crossref":
            from .formats import crossref
            problems.extend(crossref.validate(path, strict=True))
        else:
            problems.extend(fmt.validate(path))
    return problems


def files_in(folder: PathLike) -> list[Path]:
    """The files in a folder (not in its subfolders) whose format biblio detects, by name: what ``validate`` checks
    when given the folder."""
    return sorted(p for p in Path(folder).iterdir() if p.is_file() and formats.detect(p) is not None)


def validates(data: str | bytes, format: str | None = None, *, strict: bool = False) -> list[Problem]:
    """``validate`` for text or bytes (a format's name, or None to detect it). Problems name the file ``<text>``."""
    fmt = formats.get(format) if format is not None else None
    if format is not None and fmt is None:
        return [_unknown_format(format, reading=False)]
    with tempfile.TemporaryDirectory(prefix="biblio-") as folder:
        suffix = SUFFIXES.get(fmt.name, "") if fmt is not None else ""
        path = _write_text(Path(folder), data, suffix)
        if fmt is None or (strict and fmt.name == "crossref"):
            return _as_text(validate(path, strict=strict), path)
        return _as_text(fmt.validate(path), path)


def _write_text(folder: Path, data: str | bytes, suffix: str) -> Path:
    path = folder / f"text{suffix}"
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def _as_text(problems: list[Problem], path: Path) -> list[Problem]:
    return [replace(p, file=TEXT) if p.file == str(path) else p for p in problems]


def _unknown_format(name: str, *, reading: bool) -> Problem:
    known = [f.name for f in formats.registered() if f.iter_read or not reading]
    return Problem("api.format", "error", f"there is no format '{name}'; use one of: "
                   + ", ".join((["manifest"] if reading else []) + known))


class ArticleStream:
    """A manifest read one article at a time (``stream``): ``issue`` without its articles, iterate for the articles.
    ``problems`` holds the issue's problems at once and each article's as it is read (with file, line and column). The
    articles are those ``load`` keeps, except one that gives a key twice (``load`` keeps the last value): it is left
    out, with its error. Iterate once."""

    def __init__(self, issue: Issue | None, problems: list[Problem], articles: Iterator[Article]):
        self.issue, self.problems, self._articles = issue, problems, articles

    def __iter__(self) -> Iterator[Article]:
        return self._articles

    def close(self) -> None:
        """Stop before the articles run out, letting go of the open manifest file now."""
        close = getattr(self._articles, "close", None)
        if close is not None:
            close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def stream(path: PathLike) -> ArticleStream:
    """Read a manifest article by article, for a program that handles each article as it comes: a JSON manifest is never
    whole in memory, however many articles it has. YAML, and JSON that only the whole-document reading can answer (a
    mistake outside the articles, articles before the journal), are loaded whole (``load``) and then handed out one by
    one. No editorial checks (``check`` runs them; they need the whole issue)."""
    scan = manifest.scan_streamed(path)
    if scan is None:
        issue, problems = manifest.load(path)
        held = issue.articles if issue is not None else []
        if issue is not None:
            issue.articles = []
        return ArticleStream(issue, problems, iter(held))
    problems = manifest.locate(scan.before + scan.after, scan.doc)

    def articles() -> Iterator[Article]:
        try:
            for _, article, found, _ in manifest.iter_articles(scan):
                problems.extend(manifest.locate(found, scan.doc))
                if article is not None:
                    yield article
        except Unstreamable:
            problems.append(Problem("manifest.changed", "error", "the file changed while it was read; "
                                    "read it again", file=str(path)))

    scan.issue.articles = []
    return ArticleStream(scan.issue, problems, articles())


def iter_read(path: PathLike) -> formats.ArticleReading:
    """Read a JATS, CSL-JSON, BibTeX or RIS file one article at a time (``formats.ArticleReading``); ``issue`` and
    ``problems`` are complete once the iteration is done (``collect()`` gives what ``load`` does)."""
    target = Path(path)
    fmt, problems = conversion.reader_of(target)
    if fmt is not None and fmt.iter_read is not None:
        return fmt.iter_read(target)

    def nothing(reading: formats.ArticleReading) -> Iterator[Article]:
        reading.problems.extend(problems)
        yield from ()
    return formats.ArticleReading(nothing)
