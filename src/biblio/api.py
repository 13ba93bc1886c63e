"""The Python API: what the CLI calls, and what other programs import.

    issue, problems = biblio.load("issue.yaml")      # manifest -> model
    issue, problems = biblio.check("issue.yaml")     # load + lint
    report = biblio.build("issue.yaml", "out/")      # check, write every format, validate
    catalogue = biblio.build_catalogue(["a.yaml", "b.yaml"], "out/", jobs=2)

A thin facade: building lives in ``biblio.build``, formats in ``biblio.formats``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Self

from . import build as building
from . import formats, manifest
from .build import BuildReport, CatalogueReport, WrittenFile, build_catalogue, convert, export
from .fileio import write_atomic
from .model import Article, Issue
from .problems import Problem

__all__ = ["ArticleStream", "BuildReport", "CatalogueReport", "WrittenFile", "build", "build_catalogue", "check",
           "convert", "dump", "export", "iter_read", "load", "read", "stream", "validate_files"]


def load(path: str | Path) -> tuple[Issue | None, list[Problem]]:
    """Read a manifest into the model. The issue is None only when it cannot be built."""
    return manifest.load(path)


def check(path: str | Path) -> tuple[Issue | None, list[Problem]]:
    """Load a manifest and run the editorial checks (``lint.RULES``) on it.

    The checks run only on a manifest that loaded without errors: on a partly read one
    they would point at the wrong articles.
    """
    issue, problems, _ = building.check_located(path)
    return issue, problems


class ArticleStream:
    """A manifest read one article at a time (``stream``): ``issue`` without its articles,
    iterate for the articles. ``problems`` holds the issue's problems at once and each
    article's as it is read (with file, line and column). The articles are those ``load``
    keeps, except one that gives a key twice (``load`` keeps the last value): it is left out,
    with its error. Iterate once."""

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

    def __exit__(self, *exc_info) -> None:
        self.close()


def stream(path: str | Path) -> ArticleStream:
    """Read a manifest article by article, for a program that handles each article as it comes:
    a JSON manifest is never whole in memory, however many articles it has. YAML, and JSON that
    only the whole-document reading can answer (a mistake outside the articles, articles before
    the journal), are loaded whole (``load``) and then handed out one by one. No editorial checks
    (``check`` runs them; they need the whole issue)."""
    scan = manifest.scan_streamed(path)
    if scan is None:
        issue, problems = manifest.load(path)
        articles = issue.articles if issue is not None else []
        if issue is not None:
            issue.articles = []
        return ArticleStream(issue, problems, iter(articles))
    problems = manifest.locate(scan.before + scan.after, scan.doc)

    def articles() -> Iterator[Article]:
        try:
            for _, article, found, _ in manifest.iter_articles(scan):
                problems.extend(manifest.locate(found, scan.doc))
                if article is not None:
                    yield article
        except manifest.Unstreamable:
            problems.append(Problem("manifest.changed", "error", "the file changed while it was read; "
                                    "read it again", file=str(path)))

    scan.issue.articles = []
    return ArticleStream(scan.issue, problems, articles())


def dump(issue: Issue, path: str | Path) -> None:
    """Write the issue as a manifest (JSON when the name ends in .json, else YAML)."""
    target = Path(path)
    write_atomic(target, manifest.dumps(issue, as_json=target.suffix.lower() == ".json"))


def build(path: str | Path, out_dir: str | Path, *, validate: bool = True, jobs: int | None = 1) -> BuildReport:
    """Check the manifest, then write and validate every registered format into ``out_dir``.

    Nothing is written when the manifest has errors. Only files that pass validation (or
    all, with ``validate=False``) reach ``out_dir``, so an invalid file is never left where
    a user would take it. A JSON manifest is read one article at a time, so memory stays flat
    however many articles the issue has.

    ``jobs``: worker processes writing formats side by side; 1 (the default) works in the
    calling process, 0 or None uses every usable CPU. The files and problems are the same
    whatever ``jobs`` is. A library call stays serial unless asked, because starting processes
    behind a caller's back is not a library's decision; ``biblio build`` uses all CPUs.
    """
    return building.build(path, out_dir, validate=validate, jobs=jobs)


def validate_files(paths: list[str | Path], *, strict: bool = False) -> list[Problem]:
    """Detect each file's format and validate it against that format's official schema.

    ``strict``: Crossref deposits are validated with the official XSD 1.1 (xmlschema)
    instead of the fast, equivalent XSD 1.0 form.
    """
    problems: list[Problem] = []
    for raw in paths:
        path = Path(raw)
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


def read(path: str | Path) -> tuple[Issue | None, list[Problem]]:
    """Read a file in any format that has a reader (JATS, CSL-JSON, BibTeX, RIS) into the model."""
    return iter_read(path).collect()


def iter_read(path: str | Path) -> formats.ArticleReading:
    """``read``, one article at a time (``formats.ArticleReading``); ``issue`` and ``problems``
    are complete once the iteration is done."""
    target = Path(path)
    fmt, problems = building.reader_of(target)
    if fmt is not None and fmt.iter_read is not None:
        return fmt.iter_read(target)

    def nothing(reading: formats.ArticleReading) -> Iterator[Article]:
        reading.problems.extend(problems)
        yield from ()
    return formats.ArticleReading(nothing)
