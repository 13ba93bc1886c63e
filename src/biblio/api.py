"""The Python API: what the CLI calls, and what other programs import.

    issue, problems = biblio.load("issue.yaml")      # manifest -> model
    issue, problems = biblio.check("issue.yaml")     # load + lint
    report = biblio.build("issue.yaml", "out/")      # check, write every format, validate
"""

from __future__ import annotations

import contextlib
import errno
import functools
import gc
import itertools
import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Self

from . import formats, lint, lockstep, manifest
from .fileio import _FORKING, _UMASK, Spool, collection_paused, write_atomic
from .model import Article, Issue
from .problems import Problem, counts, has_errors


def load(path: str | Path) -> tuple[Issue | None, list[Problem]]:
    """Read a manifest into the model. The issue is None only when it cannot be built."""
    return manifest.load(path)


def check(path: str | Path) -> tuple[Issue | None, list[Problem]]:
    """Load a manifest and run the editorial checks (``lint.RULES``) on it.

    The checks run only on a manifest that loaded without errors: on a partly read one
    they would point at the wrong articles.
    """
    issue, problems, _ = _check_located(path)
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


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a large manifest becomes millions of objects, none of
    them garbage yet: the collector would walk the growing heap again and again (a third of the
    load time at 10,000 articles)."""
    with collection_paused():
        yield


def _check_located(path: str | Path):
    with _gc_paused():
        return _check_located_now(path)


def _check_located_now(path: str | Path):
    issue, problems, doc = manifest.load_located(path)
    if issue is None or doc is None:
        return issue, problems, doc
    if has_errors(problems):
        problems.append(Problem("check.postponed", "info", "the editorial checks run once the errors above "
                                "are fixed", file=str(path)))
        return issue, problems, doc
    return issue, problems + manifest.locate(lint.lint(issue), doc), doc


def _check_streamed(path: str | Path, *, split: bool = False):
    """``_check_located`` for a build: a JSON manifest is read, checked and spooled to disk
    article by article (``manifest.load_streamed``, ``lint.Linter``), so the issue's
    ``articles`` is a ``Spool`` and the whole issue is never in memory; anything else (YAML,
    a manifest with errors, rules changed by a caller) takes the whole-document path.
    The caller closes the spool (``_close``). Same issue, problems and positions either way.

    ``split``: read the second half of a long issue's articles in a forked process while this
    one reads the first (``_check_split``), where processes fork.
    """
    if lint.RULES is not lint._BUILTIN_RULES:
        return _check_located(path)
    if split and _FORKS:
        checked = _check_split(path)
        if checked is _WHOLE:
            return _check_located(path)
        if checked is not None:
            return checked
    spool = Spool()
    sink = _Spooler(spool)
    with _gc_paused():
        loaded = manifest.load_streamed(path, sink)
    if loaded is None or sink.linter is None:
        spool.close()
        return _check_located(path)
    issue, problems, doc = loaded
    issue.articles = spool  # type: ignore[assignment]
    spool.languages = sink.languages  # type: ignore[attr-defined]
    return issue, problems + manifest.locate(sink.linter.finish(spool), doc), doc


_FORKS = _FORKING  # processes fork here (the spool counts on it too)
_WHOLE = object()  # _check_split's answer when only the whole-document reading can report the manifest
SPLIT_FROM = 1000  # articles: below this a second process costs more than it saves
SPLIT_FROM_BYTES = 1 << 22  # a smaller manifest is not even scanned for a split


def _check_split(path: str | Path):
    """``_check_streamed`` over two processes: the manifest is scanned for where each article is
    (``manifest.scan_streamed``), then this process builds, checks and spools the first half of
    the articles while a forked one does the second half into a spool of its own; the halves are
    joined in order. None when the manifest is not worth splitting or the split cannot be made
    (a process cannot start, the disk is full): the caller reads it in one process. ``_WHOLE``
    when a half meets what only the whole-document reading reports (as ``load_streamed`` would:
    the caller goes straight to that reading)."""
    try:
        if os.path.getsize(path) < SPLIT_FROM_BYTES:
            return None
    except OSError:
        return None
    scan = manifest.scan_streamed(path)
    if scan is None or len(scan.spans) < max(2, SPLIT_FROM):
        return None
    spool, later = Spool(), Spool()  # both made before the fork: the worker writes into ``later``'s file
    try:
        joined = _read_halves(scan, spool, later)
    except OSError:  # the disk is full, say: the reading in one process reports it or works
        joined = None
    except BaseException:
        spool.close()
        raise
    finally:
        later.close()
    if not isinstance(joined, tuple):
        spool.close()
        return joined
    problems, sink = joined
    issue = scan.issue
    issue.articles = spool  # type: ignore[assignment]
    spool.languages = sink.languages  # type: ignore[attr-defined]
    assert sink.linter is not None
    return issue, manifest.locate(problems, scan.doc) + manifest.locate(sink.linter.finish(spool), scan.doc), scan.doc


def _read_halves(scan, spool: Spool, later: Spool):
    """``_check_split``'s two readings: the first half here into ``spool``, the second in a forked
    process into ``later``, then joined into ``spool``; the problems and the ``_Spooler`` holding
    the joined Linter and languages (or None / ``_WHOLE`` as ``_check_split`` answers)."""
    half = len(scan.spans) // 2
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    worker = context.Process(target=_check_part, args=(scan, half, later, send), daemon=True)
    try:
        worker.start()
    except Exception:  # noqa: BLE001 - e.g. a daemon process may not start one: read in one process
        send.close()
        receive.close()
        return None
    part = None
    try:
        with _gc_paused():
            send.close()
            sink = _Spooler(spool, lint.Linter(scan.issue))
            try:
                found = manifest.build_articles(scan, 0, half, sink)
            except manifest.Unstreamable:
                return _WHOLE  # the worker is stopped below
            part = receive.recv()
        worker.join()
    except EOFError:  # the worker died without an answer
        return None
    finally:
        receive.close()
        if worker.is_alive():
            worker.kill()
            worker.join()
    if not isinstance(part, tuple):
        return _WHOLE if part == _HALF_UNREADABLE else None
    more_found, state, more_languages, offsets = part
    later.adopt(offsets)
    spool.extend(later)
    assert sink.linter is not None
    sink.linter.merge(state)
    sink.note_languages(more_languages)
    return scan.before + found + more_found + scan.after, sink


_HALF_UNREADABLE = "unreadable"  # what the forked half sends when only the whole reading can report it


def _check_part(scan, first: int, spool: Spool, send) -> None:
    """The forked half of ``_check_split``: articles ``first`` to the end, spooled into ``spool``;
    sends back their problems, the Linter's state, their languages and the spool's offsets, or
    ``_HALF_UNREADABLE`` when only the whole-document reading can report them, or None on any
    other failure (the parent then reads the manifest in one process)."""
    try:
        sink = _Spooler(spool, lint.Linter(scan.issue, later_dois=True))
        gc.disable()
        found = manifest.build_articles(scan, first, len(scan.spans), sink)
        assert sink.linter is not None
        send.send((found, sink.linter.state(), sink.languages, spool.offsets()))
    except manifest.Unstreamable:
        with contextlib.suppress(Exception):
            send.send(_HALF_UNREADABLE)
    except BaseException:  # noqa: BLE001 - any other failure: the parent reads in one process
        with contextlib.suppress(Exception):
            send.send(None)
    finally:
        send.close()


class _Spooler:
    """The sink of a streamed reading: checks each article as it is read (``lint.Linter``, made
    with the issue the first article brings unless given), notes the languages in order of first
    appearance, and spools the article."""

    def __init__(self, spool: Spool, linter: lint.Linter | None = None) -> None:
        self.spool, self.linter = spool, linter
        self.languages: list[str] = []

    def __call__(self, issue: Issue, index: int, article: Article) -> None:
        if self.linter is None:
            self.linter = lint.Linter(issue)
        self.linter.add(index, article)
        self.note_languages(article.languages)
        self.spool.append(article)

    def note_languages(self, languages: list[str]) -> None:
        self.languages.extend(lang for lang in languages if lang not in self.languages)


def _close(issue: Issue | None) -> None:
    """Remove a build's spooled articles."""
    if issue is not None and isinstance(issue.articles, Spool):
        issue.articles.close()


def dump(issue: Issue, path: str | Path) -> None:
    """Write the issue as a manifest (JSON when the name ends in .json, else YAML)."""
    target = Path(path)
    write_atomic(target, manifest.dumps(issue, as_json=target.suffix.lower() == ".json"))


@dataclass
class WrittenFile:
    format: str
    path: Path
    valid: bool | None  # None: not validated (--no-validate)


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


@dataclass
class _Produced:
    """What one writer run left in its staging folder: files, the writer's problems, each file's check."""

    staging: Path
    problems: list[Problem]
    files: list[tuple[Path, list[Problem]]]  # staged file, its validation problems


def _produce(fmt: formats.Format, issue: Issue, *, validate: bool, dois: list[str] | None = None,
             extra_check: Callable[[Path], list[Problem]] | None = None, lang: str | None = None) -> _Produced:
    """Write one format into a new staging folder and validate each file there (no publishing).

    The staging folder is in the system's temporary space, so a crash leaves nothing in the
    output folder. Runs in the calling process or in a worker process of ``build``.
    """
    options = {"lang": lang} if fmt.per_language else {}
    return _staged(lambda staging: [fmt.write(issue, staging, dois=dois, **options)], fmt, validate=validate,
                   extra_check=extra_check)[0]


def _produce_languages(fmt: formats.Format, issue: Issue, langs: list[str | None], *,
                       validate: bool) -> list[_Produced]:
    """``_produce`` for each of ``langs`` of a per-language format, in one staging folder; the
    format's ``write_many`` reads the articles once for all of them (each reading of a spooled
    article costs as much as writing it), else ``write`` runs once per language."""
    def write(staging: Path) -> list[tuple[list[Path], list[Problem]]]:
        if fmt.write_many is not None:
            return fmt.write_many(issue, staging, langs)
        return [fmt.write(issue, staging, lang=lang) for lang in langs]
    return _staged(write, fmt, validate=validate)


def _staged(write: Callable[[Path], list[tuple[list[Path], list[Problem]]]], fmt: formats.Format, *,
            validate: bool, extra_check: Callable[[Path], list[Problem]] | None = None) -> list[_Produced]:
    """Run ``write`` into a new staging folder, then validate every file it wrote; one
    ``_Produced`` per writer run (they share the folder: ``_publish`` the last one to drop it)."""
    staging = Path(tempfile.mkdtemp(prefix=f"biblio-{fmt.name}-"))
    try:
        produced = []
        for written, problems in write(staging):
            files = []
            for file in written:
                file_problems = fmt.validate(file) if validate else []
                if extra_check and not has_errors(file_problems):
                    file_problems += extra_check(file)
                files.append((file, file_problems))
            produced.append(_Produced(staging, problems, files))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return produced


def _publish(fmt: formats.Format, produced: _Produced, doc, target_dir: Path, report: BuildReport, *,
             validate: bool, rename: Path | None = None, last: bool = True) -> None:
    """Report what one writer run produced and move its valid files into place, then drop its
    staging folder (unless other runs' files are still in it: ``last=False``)."""
    if fmt.name not in report.formats:
        report.formats.append(fmt.name)
    try:
        located = manifest.locate(produced.problems, doc) if doc is not None else produced.problems
        known = set(report.problems)  # the citation formats share their language fallbacks: report once
        report.problems.extend(p for p in located if p not in known)
        single = rename is not None and len(produced.files) == 1
        for file, file_problems in produced.files:
            target = rename if single and rename is not None else target_dir / file.relative_to(produced.staging)
            # problems name the file the user asked for, not the staging copy
            report.problems.extend(_relocated(file_problems, file, target))
            valid = not has_errors(file_problems) if validate else None
            if valid is not False:
                try:
                    _move_into_place(file, target)
                except OSError as error:
                    report.problems.append(Problem("output.io", "error", f"cannot write the file: "
                                                   f"{error.strerror or error}; check the output path",
                                                   file=str(target)))
                    continue
            report.files.append(WrittenFile(fmt.name, target, valid))
    finally:
        if last:
            shutil.rmtree(produced.staging, ignore_errors=True)


def _move_into_place(source: Path, target: Path) -> None:
    """Publish a staged file atomically without reading it into memory: a rename when the staging
    folder is on the same file system, else a streamed copy next to the target, then a rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(source, 0o666 & ~_UMASK)  # as write_atomic: the usual mode for a written file
    try:
        os.replace(source, target)
        return
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    try:
        shutil.copyfile(source, temporary)
        os.chmod(temporary, 0o666 & ~_UMASK)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _write_checked(fmt: formats.Format, issue: Issue, doc, target_dir: Path, report: BuildReport, *,
                   validate: bool, dois: list[str] | None = None, rename: Path | None = None,
                   extra_check: Callable[[Path], list[Problem]] | None = None, lang: str | None = None) -> None:
    """Write one format into a staging folder, validate each file, publish only the valid ones."""
    if fmt.name not in report.formats:
        report.formats.append(fmt.name)
    produced = _produce(fmt, issue, validate=validate, dois=dois, extra_check=extra_check, lang=lang)
    _publish(fmt, produced, doc, target_dir, report, validate=validate, rename=rename)


def _relocated(problems: list[Problem], old: Path, new: Path) -> list[Problem]:
    return [replace(p, file=str(new)) if p.file == str(old) else p for p in problems]


def _workers(jobs: int | None, tasks: int) -> int:
    """Worker processes for ``tasks`` tasks when asked for ``jobs`` (0 or None: every usable CPU)."""
    return min(usable_cpus() if not jobs else max(1, jobs), tasks)


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity mask where the system has one)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


# The issue the worker processes of a parallel build write from: set in the parent before the
# pool starts, so that forked workers share it (copy-on-write) instead of unpickling a copy.
_WORKER_ISSUE: Issue | None = None


def _set_worker_issue(issue: Issue) -> None:  # the initializer where processes are spawned, not forked
    global _WORKER_ISSUE
    _WORKER_ISSUE = issue


def _produce_in_worker(group: list[tuple[str, list[str | None] | None]], validate: bool) -> list[list[_Produced]]:
    """A worker's share of the tasks: side by side in threads sharing each reading of a spooled
    article (``lockstep``) when there are several and the articles are spooled, else one after
    the other."""
    issue = _WORKER_ISSUE
    assert issue is not None
    chosen = [(formats.get(name), langs) for name, langs in group]
    if len(chosen) > 1 and isinstance(issue.articles, Spool):
        return _produce_together(issue, chosen, validate)  # type: ignore[arg-type]
    results: list[list[_Produced]] = []
    try:
        for fmt, langs in chosen:
            assert fmt is not None
            results.append(_produce_task(fmt, langs, issue, validate))
    except BaseException:
        _discard(results)
        raise
    return results


def _produce_together(issue: Issue, tasks: list[tuple[formats.Format, list[str | None] | None]],
                      validate: bool) -> list[list[_Produced]]:
    """The tasks in threads, each article read from the spool once for all of them.

    Worth it because reading a spooled article back costs about as much as a citation format
    takes to write it; the threads take turns (one interpreter lock), so nothing else is gained
    or lost. Each task has its own files, schema objects and staging folder.
    """
    def job(fmt: formats.Format, langs: list[str | None] | None) -> Callable[[Sequence], list[_Produced]]:
        return lambda articles: _produce_task(fmt, langs, replace(issue, articles=articles), validate)
    try:
        return lockstep.run_together(issue.articles, [job(fmt, langs) for fmt, langs in tasks])
    except lockstep.RunTogetherFailed as failed:
        _discard([produced for produced in failed.results if produced])
        raise failed.error from None


def _discard(results: list[list[_Produced]]) -> None:
    for produced in results:
        if produced:
            shutil.rmtree(produced[0].staging, ignore_errors=True)


def _produce_task(fmt: formats.Format, langs: list[str | None] | None, issue: Issue,
                  validate: bool) -> list[_Produced]:
    if langs is None:
        return [_produce(fmt, issue, validate=validate)]
    return _produce_languages(fmt, issue, langs, validate=validate)


def _publish_task(fmt: formats.Format, produced: list[_Produced], doc, report: BuildReport, *,
                  validate: bool) -> None:
    """Publish a task's runs in order (the order of a build writing one language at a time)."""
    try:
        for number, run in enumerate(produced):
            _publish(fmt, run, doc, report.out_dir, report, validate=validate, last=number == len(produced) - 1)
    finally:
        if produced:
            shutil.rmtree(produced[0].staging, ignore_errors=True)


def build(path: str | Path, out_dir: str | Path, *, validate: bool = True, jobs: int | None = 1) -> BuildReport:
    """Check the manifest, then write and validate every registered format into ``out_dir``.

    Nothing is written when the manifest has errors. Only files that pass validation (or
    all, with ``validate=False``) reach ``out_dir``, so an invalid file is never left where
    a user would take it.

    A JSON manifest without errors is read, checked and spooled to disk article by article,
    and the writers read the articles back one at a time: memory stays flat however many
    articles the issue has (``_check_streamed``). YAML is read whole.

    ``jobs``: worker processes writing and validating formats side by side (one task per format,
    shared out between them by cost), and, unless 1, a second process reading half of a long
    JSON manifest; 1 (the default) works in the calling process, 0 or None uses every usable
    CPU. The files, the problems and their order are the same whatever ``jobs`` is. A library
    call stays serial unless asked, because starting processes behind a caller's back (a web
    server, a notebook, a program with threads) is not a library's decision; ``biblio build``
    uses all CPUs unless told otherwise.
    """
    report = BuildReport(Path(path), Path(out_dir))
    issue, report.problems, doc = _check_streamed(path, split=jobs != 1 and _workers(jobs, 2) > 1)
    try:
        if issue is None or has_errors(report.problems):
            return report
        _build(issue, doc, report, validate=validate, jobs=jobs)
    finally:
        _close(issue)
    return report


def _build(issue: Issue, doc, report: BuildReport, *, validate: bool, jobs: int | None) -> None:
    report.articles = len(issue.articles)
    # one task per format; a per-language format writes the articles in their own languages (None)
    # and then once per language of the issue, all in one task
    tasks: list[tuple[formats.Format, list[str | None] | None]] = [
        (fmt, [None, *issue_languages(issue)] if fmt.per_language else None) for fmt in formats.registered()]
    workers = _workers(jobs, len(tasks))
    if workers <= 1:
        for fmt, langs in tasks:
            _publish_task(fmt, _produce_task(fmt, langs, issue, validate), doc, report, validate=validate)
        return
    _build_parallel(issue, doc, tasks, report, validate=validate, workers=workers)


def _build_parallel(issue: Issue, doc, tasks: list[tuple[formats.Format, list[str | None] | None]],
                    report: BuildReport, *, validate: bool, workers: int) -> None:
    """Run the tasks in worker processes, shared out by their cost, and publish the results in task order."""
    global _WORKER_ISSUE
    forked = _FORKS
    context = multiprocessing.get_context("fork" if forked else "spawn")
    _WORKER_ISSUE = issue
    gc.collect()
    gc.freeze()  # forked workers then do not write to every shared page when they collect
    try:
        options = {} if forked else {"initializer": _set_worker_issue, "initargs": (issue,)}
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, **options) as pool:
            groups = _shares([_TASK_COST.get(fmt.name, _OTHER_COST) for fmt, _ in tasks], workers)
            futures = [pool.submit(_produce_in_worker, [(tasks[n][0].name, tasks[n][1]) for n in group], validate)
                       for group in groups]
            where = {n: (number, position) for number, group in enumerate(groups) for position, n in enumerate(group)}
            published: set[int] = set()
            try:
                for n, (fmt, _) in enumerate(tasks):
                    number, position = where[n]
                    _publish_task(fmt, futures[number].result()[position], doc, report, validate=validate)
                    published.add(n)
            finally:  # a task failed: leave no staging folder behind
                for number, future in enumerate(futures):
                    future.cancel()
                    if not future.cancelled() and future.exception() is None:
                        for position, produced in enumerate(future.result()):
                            if groups[number][position] not in published and produced:
                                shutil.rmtree(produced[0].staging, ignore_errors=True)
    finally:
        _WORKER_ISSUE = None
        gc.unfreeze()


# Relative CPU cost of the built-in formats' tasks (write and validate 10,000 articles, every
# language; bench/REPORT.md), to share them out so that the workers finish close together.
_TASK_COST = {"jats": 17, "crossref": 12, "bibtex": 6, "csl": 5, "ris": 3}
_OTHER_COST = 5


def _shares(costs: list[float], workers: int) -> list[list[int]]:
    """The tasks (by number) each worker runs, in order: the split whose busiest worker has the
    least to do (every split tried while that is cheap, else the costliest task to the least
    busy worker). Each worker runs its share in the order of the tasks, so results can be
    published in order as they come."""
    count = min(workers, len(costs))
    if count <= 1:
        return [list(range(len(costs)))]
    if count ** len(costs) <= 4096:
        best: tuple[float, tuple[int, ...]] | None = None
        for assignment in itertools.product(range(count), repeat=len(costs)):
            if len(set(assignment)) < count:
                continue
            loads = [0.0] * count
            for task, worker in enumerate(assignment):
                loads[worker] += costs[task]
            if best is None or max(loads) < best[0]:
                best = (max(loads), assignment)
        assert best is not None
        chosen = best[1]
    else:
        loads = [0.0] * count
        picks = [0] * len(costs)
        for task in sorted(range(len(costs)), key=lambda n: -costs[n]):
            picks[task] = min(range(count), key=lambda w: loads[w])
            loads[picks[task]] += costs[task]
        chosen = tuple(picks)
    return [[task for task, worker in enumerate(chosen) if worker == number] for number in range(count)]


def issue_languages(issue: Issue) -> list[str]:
    """Every language the issue's articles are printed in, in order of first appearance."""
    known = getattr(issue.articles, "languages", None)  # a spool: found while it was filled
    if known is not None:
        return list(known)
    seen: list[str] = []
    for article in issue.articles:
        seen += [lang for lang in article.languages if lang not in seen]
    return seen


def export(path: str | Path, format_name: str, output: str | Path, *, validate: bool = True,
           dois: list[str] | None = None, previous: str | Path | None = None,
           lang: str | None = None, jobs: int | None = 1) -> BuildReport:
    """Write one format: a single file at ``output`` (or a folder, for per-article formats).

    Like ``build``, nothing is written when the manifest has errors, and a file that fails
    validation is not left at ``output``. ``previous`` (Crossref only) is an earlier deposit
    of the same DOIs: a deposit that is not newer is refused, because Crossref would ignore it.
    ``jobs`` other than 1 lets a second process read half of a long JSON manifest (as ``build``).
    """
    fmt = formats.get(format_name)
    target = Path(output)
    report = BuildReport(Path(path), target.parent if fmt and fmt.file_name else target)
    if fmt is None:
        known = ", ".join(f.name for f in formats.registered())
        report.problems.append(Problem("export.format", "error", f"there is no format '{format_name}'; "
                                       f"use one of: {known}"))
        return report
    extra_check = None
    if previous is not None:
        if fmt.name != "crossref":
            report.problems.append(Problem("export.previous", "error", "--previous applies to Crossref deposits"))
            return report
        from .formats import crossref
        extra_check = functools.partial(crossref.compare_with_previous, previous=Path(previous))
    if lang is not None and not fmt.per_language:
        report.problems.append(Problem("export.lang", "error", f"--lang applies to the citation formats; "
                                       f"{fmt.name} carries every language at once"))
        return report
    issue, report.problems, doc = _check_streamed(path, split=jobs != 1 and _workers(jobs, 2) > 1)
    try:
        if issue is None or has_errors(report.problems):
            return report
        report.articles = len(issue.articles)
        _write_checked(fmt, issue, doc, report.out_dir, report, validate=validate, dois=dois,
                       rename=target if fmt.file_name else None, extra_check=extra_check, lang=lang)
    finally:
        _close(issue)
    return report


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
    target = Path(path)
    fmt, problems = _reader_of(target)
    if fmt is None or fmt.read is None:
        return None, problems
    return fmt.read(target)


def iter_read(path: str | Path) -> formats.ArticleReading:
    """``read``, one article at a time (``formats.ArticleReading``): a format with an iterating
    reader never holds the whole file's articles; any other is read whole, then handed out.
    ``issue`` and ``problems`` are complete once the iteration is done."""
    target = Path(path)
    fmt, problems = _reader_of(target)
    if fmt is not None and fmt.iter_read is not None:
        return fmt.iter_read(target)

    def whole(reading: formats.ArticleReading) -> Iterator[Article]:
        issue, found = fmt.read(target) if fmt is not None and fmt.read is not None else (None, problems)
        reading.problems.extend(found)
        if issue is not None:
            articles, issue.articles = issue.articles, []
            reading.issue = issue
            yield from articles
    return formats.ArticleReading(whole)


def _reader_of(target: Path) -> tuple[formats.Format | None, list[Problem]]:
    if not target.is_file():
        return None, [Problem("read.io", "error", "no such file", file=str(target))]
    fmt = formats.detect(target)
    if fmt is None or fmt.read is None:
        readable = ", ".join(f.name for f in formats.registered() if f.read)
        return None, [Problem("read.format", "error", f"biblio cannot read this file's format (it reads: "
                              f"{readable})", file=str(target))]
    return fmt, []


def _read_spooled(path: str | Path) -> tuple[Issue | None, list[Problem]]:
    """``read`` for ``convert``: the articles spooled to disk as the reading hands them out, so a
    file of a million records is converted in flat memory (the caller closes the spool)."""
    reading = iter_read(path)
    spool = Spool()
    try:
        with _gc_paused():
            for article in reading:
                spool.append(article)
    except BaseException:
        spool.close()
        raise
    if reading.issue is None:
        spool.close()
        return None, reading.problems
    reading.issue.articles = spool  # type: ignore[assignment]
    return reading.issue, reading.problems


def convert(source: str | Path, format_name: str, output: str | Path, *, validate: bool = True,
            lang: str | None = None) -> BuildReport:
    """Read a file in one format and write it in another, reporting what the target cannot carry."""
    fmt = formats.get(format_name)
    target = Path(output)
    report = BuildReport(Path(source), target.parent if fmt and fmt.file_name else target)
    if fmt is None:
        known = ", ".join(f.name for f in formats.registered())
        report.problems.append(Problem("convert.format", "error", f"there is no format '{format_name}'; "
                                       f"use one of: {known}"))
        return report
    if lang is not None and not fmt.per_language:
        report.problems.append(Problem("convert.lang", "error", f"--lang applies to the citation formats; "
                                       f"{fmt.name} carries every language at once"))
        return report
    issue, report.problems = _read_spooled(source)
    try:
        if issue is None or has_errors(report.problems):
            return report
        report.articles = len(issue.articles)
        _write_checked(fmt, issue, None, report.out_dir, report, validate=validate,
                       rename=target if fmt.file_name else None, lang=lang)
    finally:
        _close(issue)
    return report
