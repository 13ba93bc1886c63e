"""A catalogue: many issues built side by side, each into ``OUT/<manifest stem>/``, in worker processes
(``concurrent.futures``) or on a Dask cluster."""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .build import BuildReport, as_worker, build, workers
from .problems import Problem, counts


@dataclass
class CatalogueReport:
    """A catalogue build: one report per issue, in the order given."""

    out_dir: Path
    issues: list[BuildReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether no issue met an error."""
        return all(report.ok for report in self.issues)

    @property
    def problems(self) -> list[Problem]:
        """Every issue's problems, issue after issue."""
        return [problem for report in self.issues for problem in report.problems]

    def to_dict(self) -> dict[str, object]:
        """The catalogue's reports as JSON-ready data, with the totals."""
        return {"out_dir": str(self.out_dir), "issues": [report.to_dict() for report in self.issues],
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
    parent folder's name in front, so no two issues write into one folder."""
    stems = [m.stem for m in manifests]
    return [out_dir / (stem if stems.count(stem) == 1 else f"{m.parent.name}-{stem}")
            for m, stem in zip(manifests, stems)]


def _build_one(manifest_path: Path, out_dir: Path, validate: bool) -> BuildReport:
    if not manifest_path.is_file():
        report = BuildReport(manifest_path, out_dir)
        report.problems.append(Problem("build.io", "error", "no such manifest", file=str(manifest_path)))
        return report
    return build(manifest_path, out_dir, validate=validate)


def build_catalogue(manifests: Iterable[str | Path], out_dir: str | Path, *, validate: bool = True,
                    jobs: int | None = 1, client: Any = None) -> CatalogueReport:
    """Build each issue into ``out_dir/<manifest stem>/``; issues side by side in ``jobs`` worker processes (0 or None:
    every usable CPU), or on a Dask cluster when ``client`` (a ``dask.distributed.Client``) is given. One bad issue does
    not stop the others; the files are the same whichever way the issues are run."""
    paths = manifests_in(manifests)
    folders = catalogue_folders(paths, Path(out_dir))
    report = CatalogueReport(Path(out_dir))
    if client is not None:
        futures = client.map(_build_one, paths, folders, [validate] * len(paths), pure=False)
        report.issues = client.gather(futures)
    elif workers(jobs) == 1 or len(paths) <= 1:
        report.issues = [_build_one(p, f, validate) for p, f in zip(paths, folders)]
    else:
        pool = ProcessPoolExecutor(max_workers=min(workers(jobs), len(paths)), initializer=as_worker)
        try:
            report.issues = list(pool.map(_build_one, paths, folders, [validate] * len(paths), chunksize=4))
        finally:  # interrupted: the issues not begun are dropped
            pool.shutdown(wait=True, cancel_futures=True)
    return report
