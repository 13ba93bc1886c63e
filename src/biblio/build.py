"""Building: one issue into every format, validated and published atomically.

An issue's articles come from a ``Source``: an issue held in memory, or a JSON manifest read one article at a time (so a
large issue never sits whole in memory). A build checks the source, then makes *passes* over its articles: each pass
feeds every article to the writers of some formats (every language of a citation format included), then closes them and
validates each file in a staging folder. With ``jobs`` > 1 the passes run side by side in worker processes, one per
group of formats; otherwise one pass writes every format. Only valid files reach the output folder, each moved into
place in one rename.
(``export`` and ``convert``, one format at a time, are in ``convert``; ``build_catalogue``, in ``catalogue``.)
"""

from __future__ import annotations

import errno
import io
import json
import os
import shutil
import signal
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from multiprocessing.synchronize import Event as EventType
from typing import BinaryIO

from . import formats, ids, lint, manifest
from .fileio import NAME_BYTES, UMASK, write_atomic
from .model import Article, Issue
from .problems import Problem, counts, has_errors
from .progress import Progress
from .yamlsource import Located, Unstreamable


# --- reports --------------------------------------------------------------------------------

@dataclass
class WrittenFile:
    """One file a build wrote: its format, where it is published (or would be), whether it is valid."""

    format: str
    path: Path
    valid: bool | None  # None: not validated (--no-validate)


@dataclass
class BuildReport:
    """What a build, export or convert did: the files it published and every problem met.
    ``manifest``: the file read (None for an issue made in code)."""

    manifest: Path | None
    out_dir: Path
    formats: list[str] = field(default_factory=list)
    files: list[WrittenFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    articles: int = 0
    works: int = 0  # a convert's records that are not journal articles (books, chapters …), written or reported
    review: Path | None = None  # the review page a build writes beside its outputs (report.html)
    issue: Issue | None = None  # the issue's facts, its articles left out (a catalogue's index shows them)

    @property
    def ok(self) -> bool:
        """Whether the build met no error."""
        return not has_errors(self.problems)

    def to_dict(self) -> dict[str, object]:
        """The report as JSON-ready data (what ``--json`` prints)."""
        return {
            "manifest": str(self.manifest) if self.manifest is not None else None,
            "out_dir": str(self.out_dir),
            "articles": self.articles,
            "works": self.works,
            "formats": self.formats,
            "files": [{"format": f.format, "path": str(f.path), "valid": f.valid} for f in self.files],
            "review": str(self.review) if self.review is not None else None,
            "counts": counts(self.problems),
            "problems": [p.to_dict() for p in self.problems],
        }


# --- sources --------------------------------------------------------------------------------

@dataclass
class Source:
    """An issue's facts (``issue``; its ``articles`` are left empty when streamed) and where its
    articles are, to be read as often as needed: ``articles()`` starts a new pass. Held in
    memory (``held``) or in a scanned JSON manifest (``scan``). Plain data, so it pickles to a worker."""

    issue: Issue
    problems: list[Problem]
    doc: Located | None = None
    count: int = 0
    languages: list[str] = field(default_factory=list)
    held: list[Article] | None = None
    scan: manifest.StreamScan | None = None

    def articles(self) -> Iterator[tuple[int, Article]]:
        """A new pass over the articles: (position in the issue, article), read as they are needed."""
        if self.scan is not None:
            return ((index, article) for index, article, _, _ in manifest.iter_articles(self.scan)
                    if article is not None)
        return enumerate(self.held or [])


def checked_source(source: Issue | str | Path, scan: manifest.StreamScan | None = None,
                   progress: Progress | None = None) -> tuple[Source | None, list[Problem]]:
    """The manifest (or issue made in code) checked, as a source of articles, and ``check``'s
    problems; no source when the issue cannot be built at all. A JSON manifest is streamed: its
    articles are read, checked and let go one at a time, and each later pass reads them from the
    file again (``scan``: the manifest's ``manifest.scan_streamed``, when already made)."""
    streamed = None if isinstance(source, Issue) else _checked_stream(source, scan, progress)
    if streamed is not None:
        return streamed, streamed.problems
    issue, problems, doc = check_located(source)
    if issue is None:
        return None, problems
    if progress is not None:
        progress("articles checked", len(issue.articles), len(issue.articles))
    held = Source(issue, problems, doc, len(issue.articles), issue_languages(issue.articles), held=issue.articles)
    return held, problems


def check_located(source: Issue | str | Path, *,
                  formats_too: bool = False) -> tuple[Issue | None, list[Problem], Located | None]:
    """Load the whole manifest (or prepare an issue made in code: ``manifest.from_model``), then
    (when it has no errors) run the editorial checks, and with ``formats_too`` every format's
    ``check`` (a build leaves those to the writers, which report the same problems)."""
    if isinstance(source, Issue):
        (issue, problems), doc = manifest.from_model(source), None
    else:
        issue, problems, doc = manifest.load_located(source)
        if doc is None:
            return issue, problems, doc
    if issue is None:
        return issue, problems, doc
    if has_errors(problems):
        errors = sum(p.severity == "error" for p in problems)
        problems.append(Problem("check.postponed", "info", f"the editorial checks (DOIs, pages, dates, languages, "
                                f"each format's rules) have not run: they run once the {errors} error(s) listed "
                                "are fixed", file=None if isinstance(source, Issue) else str(source)))
        return issue, problems, doc
    found = lint.lint(issue)
    if formats_too:
        found += [p for fmt in formats.registered() if fmt.check is not None for p in fmt.check(issue)]
    return issue, problems + (manifest.locate(found, doc) if doc is not None else found), doc


def _checked_stream(path: str | Path, scan: manifest.StreamScan | None = None,
                    progress: Progress | None = None) -> Source | None:
    """``checked_source`` for a JSON manifest read one article at a time, or None where only the
    whole-document reading can report it (YAML, a mistake, a key given twice)."""
    if lint.RULES is not lint.BUILTIN_RULES:  # rules changed by a caller need the whole issue
        return None
    scan = scan or manifest.scan_streamed(path)
    if scan is None:
        return None
    linter = lint.Linter(scan.issue)
    found: list[Problem] = list(scan.before)
    languages: list[str] = []
    count = 0
    try:
        for index, article, problems, clean in manifest.iter_articles(scan):
            if article is None or not clean or has_errors(problems):
                return None
            found += problems
            linter.add(index, article)
            languages += [lang for lang in article.languages if lang not in languages]
            count += 1
            if progress is not None:
                progress("articles checked", count, len(scan.spans))
    except Unstreamable:
        return None

    source = Source(scan.issue, [], scan.doc, count, languages, scan=scan)
    checks = linter.finish(article for _, article in source.articles())
    source.problems = manifest.locate(found + scan.after, scan.doc) + manifest.locate(checks, scan.doc)
    return source


def issue_languages(articles: Iterable[Article]) -> list[str]:
    """Every language the articles are printed in, in order of first appearance."""
    seen: list[str] = []
    for article in articles:
        seen += [lang for lang in article.languages if lang not in seen]
    return seen


# --- one pass: writers fed article by article, files validated in a staging folder ----------

class _FolderOutput:
    """A ``formats.Output`` into one folder: the files opened, in order. A name opened again (two
    articles with one DOI give one JATS file name) gets a number, ``x-2.xml``, rather than
    overwrite the first file, and a problem says so. A name is never hidden (a DOI suffix
    ``.2025.1`` gives ``_2025.1.xml``); one too long for a file system is an error naming the
    article, and nothing is written for it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.paths: list[Path] = []
        self.article: tuple[int, str | None] = (0, None)  # the article being written: position, DOI
        self.owners: dict[str, tuple[int, str | None]] = {}  # each name opened (case-folded): its article
        self.problems: list[Problem] = []

    def open(self, name: str) -> BinaryIO:
        if not name or Path(name).name != name:
            raise ValueError(f"a writer may only name a file in its folder, not {name!r}")
        name = "_" + name[1:] if name.startswith(".") else name
        first = self.owners.get(name.casefold())
        if first is not None:
            taken, number = name, 2
            while (name := f"{Path(taken).stem}-{number}{Path(taken).suffix}").casefold() in self.owners:
                number += 1
            self.problems.append(self._clash(first, taken, name))
        if len(name.encode("utf-8")) > NAME_BYTES:
            index, doi = self.article
            self.problems.append(Problem("output.name-too-long", "error", f"article {index + 1} would be written to "
                                         f"a file whose name has {len(name.encode('utf-8'))} bytes ({name[:24]}…); a "
                                         f"file name can have {NAME_BYTES}" + ": shorten its DOI, which names the file"
                                         * bool(doi), path=f"articles[{index}]" + ".doi" * bool(doi)))
            return io.BytesIO()  # written to nowhere: the error says the file is missing
        self.owners[name.casefold()] = self.article
        path = self.folder / name
        self.paths.append(path)
        return open(path, "wb", buffering=1 << 16)

    def _clash(self, first: tuple[int, str | None], taken: str, name: str) -> Problem:
        (index, doi), (before, their_doi) = self.article, first
        if doi and their_doi and ids.doi_key(doi) == ids.doi_key(their_doi):
            return Problem("output.same-name", "error", f"article {index + 1} has the DOI {doi} of article "
                           f"{before + 1}, so both would be written to {taken}: it is written to {name}; "
                           f"give each article its own DOI", path=f"articles[{index}]")
        return Problem("output.same-name", "warning", f"article {index + 1} would be written to {taken}, as "
                       f"article {before + 1} is: it is written to {name}", path=f"articles[{index}]")


@dataclass(frozen=True)
class Task:
    """One writer run: a format (by name, so that a task pickles small), in one language
    (None: each article in its own) — one file, or one per article."""

    format: str
    lang: str | None = None


@dataclass
class Produced:
    """One task's result in its staging folder: the writer's problems, each file with its checks."""

    task: Task
    problems: list[Problem]
    files: list[tuple[Path, list[Problem]]]


def run_pass(source: Source, tasks: Sequence[Task], staging: Path, *, validate: bool,
             chosen: Callable[[Article], bool] | None = None, progress: Progress | None = None) -> list[Produced]:
    """Feed every article of the source (those ``chosen``) to one writer per task, close them,
    then validate each file they wrote. Files stay in ``staging`` (the caller publishes them).
    A pass in a worker stops at its next article once its build has given it up (and reports no progress)."""
    opened = []
    for number, task in enumerate(tasks):
        folder = staging / str(number)
        folder.mkdir()
        output = _FolderOutput(folder)
        fmt = formats.get(task.format)
        assert fmt is not None, task.format
        opened.append((fmt, output, fmt.writer(source.issue, output, lang=task.lang)))
    for index, article in source.articles():
        _stop_if_given_up()
        if chosen is None or chosen(article):
            for _, output, writer in opened:
                output.article = (index, article.doi)
                writer.add(index, article)
        if progress is not None:
            progress("articles written", index + 1, source.count or None)
    results = []
    for task, (fmt, output, writer) in zip(tasks, opened):
        problems = writer.close() + output.problems
        files = [path for path in output.paths if path.is_file()]
        if fmt.single_file and has_errors(problems):
            for path in files:
                path.unlink()
            files = []
        checked = []
        for path in files:
            _stop_if_given_up()
            checked.append((path, fmt.validate(path) if validate else []))
        results.append(Produced(task, problems, checked))
        if progress is not None:
            progress("formats written", len(results), len(tasks))
    return results


class GivenUp(Exception):
    """A pass its build no longer needs (the manifest turned out to have errors, or the build was interrupted)."""


def _stop_if_given_up() -> None:
    if _given_up is not None and _given_up.is_set():
        raise GivenUp


# A build's staging folder (each pass stages its files in a folder inside it) is named after the build's process and
# host, ``biblio-staging-<host>-<pid>-…``: a later build removes it when a build was killed before it could.
_STAGING = "biblio-staging-" + socket.gethostname()


def _remove_stale_stagings() -> None:
    """Remove the staging folders this host's builds left when they were killed (their process is gone)."""
    if os.name != "posix":  # os.kill(pid, 0) tells whether a process lives on POSIX only
        return
    folder = tempfile.gettempdir()
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        head, _, pid = name.rpartition("-")[0].rpartition("-")
        if head == _STAGING and pid.isdecimal() and not _alive(int(pid)):
            shutil.rmtree(os.path.join(folder, name), ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):  # someone else's process, or no pid at all: leave its folder alone
        return True
    try:  # on Linux, a zombie (ended, not yet reaped) has ended too
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


_given_up: EventType | None = None  # in a worker process: set when its build gives its passes up
_used: set[Path] = set()  # in a worker process: the staging folders of its passes


def _worker_started(given_up: EventType) -> None:
    """A pass worker leaves Ctrl-C to the build's process, which gives the passes up and removes their
    staging folder."""
    global _given_up
    _given_up = given_up
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    as_worker()


def as_worker() -> None:
    """In a worker: SIGTERM ends the process at once (not the CLI's handler, which a forked worker inherits),
    and a thread ends it, removing the staging folders it used, once the process that started it is gone
    (killed, say), rather than let it live on, orphaned."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.25)
        for staging in list(_used):
            shutil.rmtree(staging, ignore_errors=True)
        os._exit(1)
    threading.Thread(target=watch, name="biblio-parent-watch", daemon=True).start()


def _pass_in_worker(source: Source, tasks: list[Task], validate: bool, staging: Path) -> list[Produced]:
    _used.add(staging)
    return run_pass(source, tasks, Path(tempfile.mkdtemp(dir=staging)), validate=validate)


class _Passes:
    """Passes over a source's articles, in ``jobs`` worker processes side by side, or here when
    one pass does (``here``); their results; their staging folder, removed by ``close``."""

    def __init__(self, jobs: int, *, here: bool = True) -> None:
        self.jobs = jobs
        self.here = here
        self.tasks: list[Task] = []
        self.results: dict[Task, Produced] = {}
        self.staging: Path | None = None
        self.running: list[Future[list[Produced]]] = []
        self.given_up = multiprocessing.get_context().Event()
        self.pool: ProcessPoolExecutor | None = None
        _remove_stale_stagings()

    def start(self, source: Source, tasks: list[Task], *, validate: bool,
              chosen: Callable[[Article], bool] | None = None, progress: Progress | None = None) -> None:
        self.tasks += tasks
        if self.staging is None:
            self.staging = Path(tempfile.mkdtemp(prefix=f"{_STAGING}-{os.getpid()}-"))
        shares = groups(tasks, self.jobs)
        if self.here and len(shares) == 1:
            folder = Path(tempfile.mkdtemp(dir=self.staging))
            self.results.update((p.task, p) for p in run_pass(source, tasks, folder, validate=validate, chosen=chosen,
                                                              progress=progress))
            return
        assert chosen is None, "a choice of articles is made by a one-format export, written here"
        if self.pool is None:
            self.pool = ProcessPoolExecutor(self.jobs, initializer=_worker_started, initargs=(self.given_up,))
        self.running += [self.pool.submit(_pass_in_worker, source, share, validate, self.staging) for share in shares]

    def finished(self, progress: Progress | None = None) -> dict[Task, Produced]:
        """Every task's result, once its pass has ended (each pass's end reported to ``progress``, from here: the
        workers report nothing)."""
        while self.running:
            self.results.update((p.task, p) for p in self.running[0].result())
            self.running.pop(0)
            if progress is not None:
                progress("formats written", len(self.results), len(self.tasks))
        return self.results

    def close(self, *, give_up: bool = False) -> None:
        """Wait for the workers (told to stop at their next article when ``give_up``), then
        remove the staging folder."""
        if give_up:
            self.given_up.set()
        try:
            if self.pool is not None:
                self.pool.shutdown(wait=True, cancel_futures=True)
        finally:
            if self.staging is not None:
                shutil.rmtree(self.staging, ignore_errors=True)


# --- publishing -----------------------------------------------------------------------------

def publish(produced: Produced, report: BuildReport, doc: Located | None, *, validate: bool,
            rename: Path | None = None) -> None:
    """Report one task's problems and move its valid files into ``report.out_dir`` (or to
    ``rename``, a single file's own name). Problems name the published file, not the staged one."""
    if produced.task.format not in report.formats:
        report.formats.append(produced.task.format)
    located = manifest.locate(produced.problems, doc) if doc is not None else produced.problems
    fmt = formats.get(produced.task.format)
    if fmt is not None and fmt.per_language:  # one file per language: say which file each problem is about
        names = tuple(file.name for file, _ in produced.files)
        located = [replace(p, outputs=names) for p in located]
    add_once(report.problems, located)
    single = rename is not None and len(produced.files) == 1
    for file, file_problems in produced.files:
        target = rename if single and rename is not None else report.out_dir / file.name
        report.problems.extend(replace(p, file=str(target)) if p.file == str(file) else p for p in file_problems)
        valid = not has_errors(file_problems) if validate else None
        if valid is not False:
            try:
                move_into_place(file, target)
            except OSError as error:
                report.problems.append(Problem("output.io", "error", f"cannot write the file: "
                                               f"{error.strerror or error}; check the output path",
                                               file=str(target)))
                continue
        report.files.append(WrittenFile(produced.task.format, target, valid))


def add_once(problems: list[Problem], found: list[Problem]) -> None:
    """Add the problems not reported yet; one already reported for another file (the citation formats share their
    language fallbacks) names that file too, in ``outputs``."""
    known = {replace(p, outputs=()): number for number, p in enumerate(problems)}
    for problem in found:
        number = known.setdefault(replace(problem, outputs=()), len(problems))
        if number == len(problems):
            problems.append(problem)
        else:
            was = problems[number]
            problems[number] = replace(was, outputs=tuple(dict.fromkeys(was.outputs + problem.outputs)))


def move_into_place(source: Path, target: Path) -> None:
    """Publish a staged file atomically: a rename on the same file system, else a copy next to
    the target, then a rename. The file gets the usual mode for a written file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(source, 0o666 & ~UMASK)
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
        os.chmod(temporary, 0o666 & ~UMASK)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# --- one issue ------------------------------------------------------------------------------

def build_tasks(languages: list[str]) -> list[Task]:
    """Every registered format; a per-language format in each article's own language, then in
    each language of the issue when it has several (in an issue of one language those files would be the same)."""
    return [Task(fmt.name, lang) for fmt in formats.registered()
            for lang in ([None, *languages] if fmt.per_language and len(languages) > 1 else [None])]


def groups(tasks: list[Task], workers: int) -> list[list[Task]]:
    """The tasks shared out among ``workers`` passes, format by format in turn (a format's languages stay together, as
    they cost alike): registry order puts the costly XML formats first, so each pass gets one of them."""
    names = list(dict.fromkeys(task.format for task in tasks))
    shares: list[list[Task]] = [[] for _ in range(min(workers, len(names)) or 1)]
    for number, name in enumerate(names):
        shares[number % len(shares)] += [task for task in tasks if task.format == name]
    return shares


def run_tasks(source: Source, tasks: list[Task], report: BuildReport, *, validate: bool, jobs: int = 1,
              chosen: Callable[[Article], bool] | None = None, rename: Path | None = None,
              extra_check: Callable[[Path], list[Problem]] | None = None, started: _Passes | None = None,
              progress: Progress | None = None) -> None:
    """Write the tasks (in ``jobs`` passes side by side; those ``started`` already are left to
    them), then publish them in task order; ``progress`` hears of the articles and formats
    written. Nothing is published when the staging folder cannot take
    the files (a full disk, say): a problem says so."""
    passes = _Passes(jobs)
    try:
        try:
            passes.start(source, [task for task in tasks if started is None or task not in started.tasks],
                         validate=validate, chosen=chosen, progress=progress)
            results = passes.finished(progress) | (started.finished() if started is not None else {})
        except OSError as error:
            report.problems.append(staging_problem(error, report.out_dir))
            return
        for task in tasks:
            produced = results[task]
            if extra_check is not None:
                produced.files = [(f, found if has_errors(found) else found + extra_check(f))
                                  for f, found in produced.files]
            publish(produced, report, source.doc, validate=validate, rename=rename)
    finally:
        passes.close(give_up=True)  # passes still running (after an error or an interrupt) stop at their next article


def staging_problem(error: OSError, out_dir: Path) -> Problem:
    folder = tempfile.gettempdir()
    return Problem("output.staging", "error", f"cannot write the files in the staging folder {folder} before "
                   f"publishing them: {error.strerror or error}; nothing was written to {out_dir}. Free space "
                   f"there, or set TMPDIR to a folder with room", file=str(error.filename or folder))


def build(source: Issue | str | Path, out_dir: str | Path, *, validate: bool = True,
          jobs: int | None = 1, progress: Progress | None = None) -> BuildReport:
    """Check the manifest (or issue made in code), then write and validate every registered format into ``out_dir``.

    Nothing is written when the manifest has errors; only files that pass validation (or all,
    with ``validate=False``) reach ``out_dir``. ``jobs``: worker processes writing formats side
    by side (0 or None: every usable CPU); the files and problems are the same whatever it is.

    A JSON manifest built with several workers does not wait for its check: the formats that
    carry every language at once (they need not know the issue's languages, which the check
    finds) start in workers while the check reads the manifest, and are given up if it fails.
    ``progress`` (``biblio.progress``) hears of the articles checked and written and the formats written.
    """
    report = BuildReport(None if isinstance(source, Issue) else Path(source), Path(out_dir))
    count = workers(jobs)
    scan = manifest.scan_streamed(source) if count > 1 and not isinstance(source, Issue) else None
    early = _Passes(max(1, count // 2), here=False) if scan is not None else None
    try:
        if early is not None and scan is not None:
            whole = [Task(fmt.name) for fmt in formats.registered() if not fmt.per_language]
            try:
                early.start(Source(scan.issue, [], scan.doc, scan=scan), whole, validate=validate)
            except OSError:  # no room to stage them: the passes after the check meet it again, and report it
                early.close(give_up=True)
                early = None
        checked, report.problems = checked_source(source, scan, progress)
        report.issue = replace(checked.issue, articles=[]) if checked is not None else None
        if checked is None or has_errors(report.problems):
            return report
        if early is not None and checked.scan is None:  # checked from the whole manifest: written from it too
            early.close(give_up=True)
            early = None
        report.articles = checked.count
        run_tasks(checked, build_tasks(checked.languages), report, validate=validate,
                  jobs=count - (early.jobs if early is not None else 0), started=early, progress=progress)
        _review(source, report, checked.issue if checked.held is not None else None)
        _forget_stale(report)
        return report
    finally:
        if early is not None:
            early.close(give_up=True)


REVIEW_PAGE = "report.html"
REVIEW_LIMIT = 500
"""Articles up to which a build writes the review page: a longer page is not read, and would cost a large
issue's build half its time again (``biblio report`` still writes one)."""


def _review(source: Issue | str | Path, report: BuildReport, checked: Issue | None) -> None:
    """The review page beside the outputs (report.html), or a note saying why there is none."""
    if not report.files:
        return
    if report.articles > REVIEW_LIMIT:
        report.problems.append(Problem("report.skipped", "info", f"no review page for {report.articles} articles "
                                       f"(a build writes one up to {REVIEW_LIMIT}); run biblio report for one"))
        return
    from . import review  # review reads BuildReport from here
    page = report.out_dir / REVIEW_PAGE
    failed = [p for p in review.write(source, page, report, checked=checked)
              if p.code == "report.io"]
    report.problems += failed
    report.review = None if failed else page


RECORD = ".biblio-files"
"""The file in an output folder that lists the files the last build wrote there: a build removes only files it
wrote itself."""


def _forget_stale(report: BuildReport) -> None:
    """Remove the files the folder's previous build wrote and this one did not (a changed DOI pattern, a format or a
    language fewer), and record what this one wrote. A build with errors removes nothing: the files it could not
    write again are still the last good ones."""
    record = report.out_dir / RECORD
    written = {f.path.name for f in report.files if f.valid is not False and f.path.parent == report.out_dir}
    written |= {report.review.name} if report.review is not None else set()
    try:
        before = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        before = []
    before = [name for name in before if isinstance(name, str) and name == Path(name).name and name != RECORD] \
        if isinstance(before, list) else []
    removed, recorded = [], sorted(before)
    if not has_errors(report.problems):
        for name in sorted(set(before) - written):
            path = report.out_dir / name
            try:
                if path.is_file() and not path.is_symlink():
                    path.unlink()
                    removed.append(name)
            except OSError as error:
                report.problems.append(Problem("output.stale", "warning", f"cannot remove {name}, which an earlier "
                                               f"build wrote here and this one did not: {error.strerror or error}",
                                               file=str(path)))
        before = []
    try:
        if sorted(written | set(before)) != recorded:  # nothing written and nothing known: no record either
            write_atomic(record, json.dumps(sorted(written | set(before)), ensure_ascii=False, indent=0) + "\n")
    except OSError as error:
        report.problems.append(Problem("output.record", "warning", f"cannot record the files written "
                                       f"({error.strerror or error}): the next build cannot remove those it no "
                                       "longer writes", file=str(record)))
    if removed:
        shown = ", ".join(removed[:5]) + (f" and {len(removed) - 5} more" if len(removed) > 5 else "")
        report.problems.append(Problem("output.stale-removed", "info", f"removed {len(removed)} file(s) an earlier "
                                       f"build wrote here and this one does not: {shown}", file=str(report.out_dir)))


def workers(jobs: int | None) -> int:
    """Worker processes when asked for ``jobs`` (0 or None: every CPU this process may run on, by its
    affinity mask where the system has one)."""
    if jobs:
        return max(1, jobs)
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
