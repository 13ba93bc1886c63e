"""A catalogue: many issues built side by side, each into ``OUT/<manifest stem>/`` with its review page, in worker
processes (``concurrent.futures``) or on a Dask cluster; ``OUT/index.html`` lists the issues and links their pages."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import review
from .build import BuildReport, as_worker, build, workers
from .problems import Problem, counts, has_errors
from .progress import Progress, counting


@dataclass
class CatalogueReport:
    """A catalogue build: one report per issue, in the order given."""

    out_dir: Path
    issues: list[BuildReport] = field(default_factory=list)
    index: Path | None = None  # the page listing the issues (index.html), once written
    own: list[Problem] = field(default_factory=list)  # the catalogue's own problems (its index not written)

    @property
    def ok(self) -> bool:
        """Whether no issue met an error, nor the catalogue itself."""
        return all(report.ok for report in self.issues) and not has_errors(self.own)

    @property
    def problems(self) -> list[Problem]:
        """Every issue's problems, issue after issue, then the catalogue's own."""
        return [problem for report in self.issues for problem in report.problems] + self.own

    def to_dict(self) -> dict[str, object]:
        """The catalogue's reports as JSON-ready data, with the totals."""
        return {"out_dir": str(self.out_dir), "index": str(self.index) if self.index is not None else None,
                "issues": [report.to_dict() for report in self.issues],
                "articles": sum(report.articles for report in self.issues),
                "files": sum(len(report.files) for report in self.issues), "counts": counts(self.problems)}


def manifests_in(paths: Iterable[str | Path]) -> list[Path]:
    """The manifests named, a folder standing for the ``.yaml``, ``.yml`` and ``.json`` files in it."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix.lower() in (".yaml", ".yml", ".json") and p.is_file())
        else:
            found.append(path)
    return found


def catalogue_folders(manifests: list[Path], out_dir: Path) -> list[Path]:
    """``OUT/<manifest stem>`` for each manifest; stems shared by several manifests get their
    parent folder's name in front, and a name still taken (a manifest given twice) a number after, so no two issues
    write into one folder."""
    stems = Counter(m.stem for m in manifests)
    names = [m.stem if stems[m.stem] == 1 else f"{m.parent.name}-{m.stem}" for m in manifests]
    seen: Counter[str] = Counter()
    folders = []
    for name in names:
        seen[name] += 1
        folders.append(out_dir / (name if seen[name] == 1 else f"{name}-{seen[name]}"))
    return folders


def _build_one(manifest_path: Path, out_dir: Path, validate: bool) -> BuildReport:
    if not manifest_path.is_file():
        report = BuildReport(manifest_path, out_dir)
        report.problems.append(Problem("build.io", "error", "no such manifest", file=str(manifest_path)))
        return report
    return build(manifest_path, out_dir, validate=validate)


def build_catalogue(manifests: Iterable[str | Path], out_dir: str | Path, *, validate: bool = True,
                    jobs: int | None = 1, client: Any = None, progress: Progress | None = None) -> CatalogueReport:
    """Build each issue into ``out_dir/<manifest stem>/``; issues side by side in ``jobs`` worker processes (0 or None:
    every usable CPU), or on a Dask cluster when ``client`` (a ``dask.distributed.Client``) is given. One bad issue does
    not stop the others; the files are the same whichever way the issues are run. Each issue gets its review page as a
    build does, and ``out_dir/index.html`` lists them. ``progress`` hears of the issues built (from this process)."""
    paths = manifests_in(manifests)
    folders = catalogue_folders(paths, Path(out_dir))
    report = CatalogueReport(Path(out_dir))
    if client is not None:
        futures = client.map(_build_one, paths, folders, [validate] * len(paths), pure=False)
        report.issues = client.gather(futures)
    elif workers(jobs) == 1 or len(paths) <= 1:
        report.issues = list(counting(map(_build_one, paths, folders, [validate] * len(paths)), progress,
                                      "issues built", len(paths)))
    else:
        pool = ProcessPoolExecutor(max_workers=min(workers(jobs), len(paths)), initializer=as_worker)
        try:
            report.issues = list(counting(pool.map(_build_one, paths, folders, [validate] * len(paths), chunksize=4),
                                          progress, "issues built", len(paths)))
        finally:  # interrupted: the issues not begun are dropped
            pool.shutdown(wait=True, cancel_futures=True)
    report.own = review.write_index(report.issues, Path(out_dir) / review.INDEX_PAGE)
    report.index = None if report.own else Path(out_dir) / review.INDEX_PAGE
    return report
