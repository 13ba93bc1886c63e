"""The Python API: what the CLI calls, and what other programs import.

    issue, problems = biblio.load("issue.yaml")      # manifest -> model
    issue, problems = biblio.check("issue.yaml")     # load + lint
    report = biblio.build("issue.yaml", "out/")      # check, write every format, validate
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import formats, lint, manifest
from .fileio import write_atomic
from .model import Issue
from .problems import Problem, counts, has_errors


def load(path: str | Path) -> tuple[Issue | None, list[Problem]]:
    """Read a manifest into the model. The issue is None only when it cannot be built."""
    return manifest.load(path)


def check(path: str | Path) -> tuple[Issue | None, list[Problem]]:
    """Load a manifest and run the editorial checks (``lint.RULES``) on it."""
    issue, problems, doc = manifest.load_located(path)
    if issue is not None and doc is not None:
        problems = problems + manifest.locate(lint.lint(issue), doc)
    return issue, problems


def dump(issue: Issue, path: str | Path) -> None:
    """Write the issue as a manifest (JSON when the name ends in .json, else YAML)."""
    target = Path(path)
    write_atomic(target, manifest.dumps(issue, as_json=target.suffix.lower() == ".json"))


@dataclass
class WrittenFile:
    format: str
    path: Path
    valid: bool


@dataclass
class BuildReport:
    manifest: Path
    out_dir: Path
    formats: list[str] = field(default_factory=list)
    files: list[WrittenFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    articles: int = 0

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)

    def to_dict(self) -> dict:
        return {
            "manifest": str(self.manifest),
            "out_dir": str(self.out_dir),
            "articles": self.articles,
            "formats": self.formats,
            "files": [{"format": f.format, "path": str(f.path), "valid": f.valid} for f in self.files],
            "counts": counts(self.problems),
            "problems": [p.to_dict() for p in self.problems],
        }


def build(path: str | Path, out_dir: str | Path, *, validate: bool = True) -> BuildReport:
    """Check the manifest, then write and validate every registered format into ``out_dir``.

    Nothing is written when the manifest has errors. Each format writes into a staging
    folder first; only files that pass validation (or all, with ``validate=False``) are
    moved into ``out_dir``, so an invalid file is never left where a user would take it.
    """
    report = BuildReport(Path(path), Path(out_dir))
    issue, report.problems = check(path)
    if issue is None or has_errors(report.problems):
        return report
    report.articles = len(issue.articles)
    for fmt in formats.registered():
        report.formats.append(fmt.name)
        report.out_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{fmt.name}.", dir=report.out_dir))
        try:
            written, problems = fmt.write(issue, staging)
            report.problems.extend(problems)
            for file in written:
                file_problems = fmt.validate(file) if validate else []
                report.problems.extend(file_problems)
                valid = not has_errors(file_problems)
                target = report.out_dir / file.relative_to(staging)
                if valid:
                    write_atomic(target, file.read_bytes())
                report.files.append(WrittenFile(fmt.name, target, valid))
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return report
