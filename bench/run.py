"""biblio benchmarks: write and validate throughput per format, `biblio build` end to end, peak
memory, and commonmeta-py 0.312 doing the same Crossref, BibTeX and CSL-JSON work.

    .venv/bin/python bench/run.py                       # N = 100, 1,000, 10,000; 3 repeats; medians
    .venv/bin/python bench/run.py --quick               # smoke run: N = 50, 1 repeat (about a minute)
    .venv/bin/python bench/run.py --sizes 100,1000 --repeats 5 --no-commonmeta

Every measured step runs in a subprocess of its own (``run.py --worker STEP``), so each step's
peak RSS is that process's own high-water mark (``VmHWM``). The peak includes the
synthetic issue the worker loads first; ``input MB`` in the tables is that baseline.

Results go to ``bench/results.json`` and ``bench/REPORT.md`` (tables regenerated from the
results; the hand-written part between ``<!-- notes -->`` and ``<!-- /notes -->`` is kept).

Slow steps have caps, so that the default run stays near 15 minutes on two cores:
- strict Crossref validation (xmlschema, XSD 1.1) runs up to ``--crossref-validate-max``
  articles (1,000); larger sizes are extrapolated from it and marked so;
- ``biblio build`` runs up to ``--build-max`` articles (10,000) with ``--build-repeats``
  (default 3 up to 100 articles, 1 above), ``--jobs`` from ``--build-jobs`` (default: biblio's,
  every usable CPU); above the cap it is extrapolated, and ``--merge-builds`` adds the builds of
  a separate run. Its memory is reported twice: the peak RSS of the largest single process
  (wait4) and the peak of the summed PSS of the whole process tree (sampled from /proc);
- loading the manifest (``biblio.check``, part of every build) runs up to ``--load-max`` (10,000);
- ``validate-cli`` times ``biblio validate FILE`` on the example issue's outputs as separate CLI
  processes: the first call on a fresh copy of the schema files, then later calls;
- any step whose repeats together would exceed ``--step-budget`` seconds (60, predicted from
  the previous size) gets fewer repeats, and one predicted above ``--skip-above`` (240) is
  skipped and extrapolated.
The write steps leave their output in the work folder, and the validate steps read it from
there instead of writing it again (untimed either way).

commonmeta-py is installed into ``bench/.venv-commonmeta`` (git-ignored)
with ``pip install commonmeta-py==0.312`` on first use, and driven by
``bench/commonmeta_driver.py`` on commonmeta v1.0 records converted from the same articles.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import importlib
import inspect
import json
import os
import pickle
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

COMMONMETA_VERSION = "0.312"
COMMONMETA_VENV = BENCH / ".venv-commonmeta"
FIXED_TIMESTAMP = 2025063012000000000  # deposits are compared byte for byte across repeats

WRITE_STEPS = ["write.crossref", "write.jats", "write.csl", "write.bibtex", "write.ris"]
VALIDATE_STEPS = ["validate.crossref", "validate.crossref-fast", "validate.jats", "validate.csl", "validate.csl-file", "validate.bibtex",
                  "validate.ris"]
STEP_HELP = {
    "write.crossref": "formats.crossref.deposit(issue) -> bytes (one doi_batch)",
    "write.jats": "formats.jats.article_xml(issue, i) for every article",
    "write.csl": "formats.csl.dumps(issue) (each article in its own language)",
    "write.bibtex": "formats.bibtex.dumps(issue)",
    "write.ris": "formats.ris.dumps(issue)",
    "validate.crossref": "lxml parse + formats.crossref.validate_tree(strict=True): the strict path, "
                         "schemas.crossref_schema(), xmlschema XSD 1.1",
    "validate.crossref-fast": "lxml parse + biblio.crossref_fast.validate_fast (derived XSD 1.0 with libxml2 + "
                              "the XSD 1.1 asserts in Python), when that module exists",
    "validate.jats": "lxml parse + formats.jats.validate_tree per article (schemas.jats_schema(), lxml XSD)",
    "validate.csl": "json.loads + jsonschema Draft7Validator(schemas.csl_data_schema()).iter_errors",
    "validate.csl-file": "formats.csl.validate(path): what `biblio build` runs (line-located errors)",
    "validate.bibtex": "formats.bibtex.validate(path)",
    "validate.ris": "formats.ris.validate(path)",
    "load": "biblio.check(manifest.json): parse the JSON manifest with positions, build the model, lint",
    "read.stream": "biblio.stream(manifest.json): every article built and let go, one at a time",
}


# --- the worker: one step, in a process of its own ---------------------------------------

def _rss_kb() -> int:
    """This process's own peak RSS (VmHWM). ``ru_maxrss`` is not used: Linux carries the
    parent's memory at fork into the child's ``ru_maxrss`` across exec."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _timed(repeats: int, call, profile: bool = False) -> tuple[list[float], object]:
    times, value = [], None
    for number in range(repeats):
        if profile and number == repeats - 1:
            import cProfile
            import io
            import pstats

            profiler = cProfile.Profile()
            start = time.perf_counter()
            profiler.enable()
            value = call()
            profiler.disable()
            times.append(time.perf_counter() - start)
            for key in ("tottime", "cumulative"):
                out = io.StringIO()
                stats = pstats.Stats(profiler, stream=out)
                stats.sort_stats(key).print_stats(18)
                _PROFILE[key] = _trim_profile(out.getvalue())
            continue
        start = time.perf_counter()
        value = call()
        times.append(time.perf_counter() - start)
    return times, value


_PROFILE: dict[str, str] = {}


def _trim_profile(text: str) -> str:
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls")), 0)
    keep = [re.sub(r"/work/main/(\.venv/lib/python3\.\d+/site-packages/|src/)", "", line)
            for line in lines[start:] if line.strip()]
    return "\n".join(keep)


def _errors(problems) -> list[str]:
    return [f"{p.code}: {p.message}" for p in problems if p.severity == "error"]


def _load_validator(spec: str):
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def _deposit(issue, work: Path) -> bytes:
    """The deposit the write.crossref step left, or a new one (same timestamp, same bytes)."""
    from biblio.formats import crossref

    saved = work / f"crossref-{len(issue.articles)}.xml"
    if saved.exists():
        return saved.read_bytes()
    data, problems = crossref.deposit(issue, timestamp=FIXED_TIMESTAMP)
    assert data is not None, _errors(problems)
    return data


def _text(issue, work: Path, name: str) -> str:
    """The text the write.<name> step left, or a new one."""
    from biblio.formats import bibtex, csl, ris

    saved = work / f"{name}-{len(issue.articles)}.txt"
    if saved.exists():
        return saved.read_text(encoding="utf-8")
    return {"csl": csl, "bibtex": bibtex, "ris": ris}[name].dumps(issue)[0]


def worker(step: str, issue_path: Path, repeats: int, options: dict) -> dict:
    from lxml import etree

    from biblio.formats import bibtex, crossref, csl, jats, ris, xmltools

    start = time.perf_counter()
    if step in ("load", "read.stream"):
        issue = None
    else:
        with open(issue_path, "rb") as stream:
            issue = pickle.load(stream)
    out: dict = {"step": step, "load_input_s": time.perf_counter() - start, "rss_input_kb": _rss_kb()}
    profile = options.get("profile", False)
    n = len(issue.articles) if issue is not None else None

    work = issue_path.parent  # the write steps leave their output here for the validate steps (untimed)
    if step == "write.crossref":
        times, (data, problems) = _timed(repeats, lambda: crossref.deposit(issue, timestamp=FIXED_TIMESTAMP),
                                         profile)
        out.update(errors=_errors(problems), bytes=len(data or b""))
        if data:
            (work / f"crossref-{n}.xml").write_bytes(data)
    elif step == "write.jats":
        def write_all():
            documents, errors = [], []
            for index in range(n):
                data, problems = jats.article_xml(issue, index)
                documents.append(data)
                errors += _errors(problems)
            return documents, errors
        times, (documents, errors) = _timed(repeats, write_all, profile)
        out.update(errors=errors[:5], bytes=sum(len(d or b"") for d in documents))
        with open(work / f"jats-{n}.pickle", "wb") as stream:
            pickle.dump(documents, stream, protocol=pickle.HIGHEST_PROTOCOL)
    elif step in ("write.csl", "write.bibtex", "write.ris"):
        module = {"write.csl": csl, "write.bibtex": bibtex, "write.ris": ris}[step]
        times, (text, problems) = _timed(repeats, lambda: module.dumps(issue), profile)
        out.update(errors=_errors(problems), bytes=len((text or "").encode("utf-8")))
        if text:
            (work / f"{step.split('.')[1]}-{n}.txt").write_text(text, encoding="utf-8")
    elif step == "validate.crossref":
        from biblio import schemas

        data = _deposit(issue, work)
        start = time.perf_counter()
        schemas.crossref_schema()
        out["compile_s"] = time.perf_counter() - start
        validate_tree = _load_validator(options.get("crossref_validator") or "biblio.formats.crossref:validate_tree")
        out["validator"] = options.get("crossref_validator") or "biblio.formats.crossref:validate_tree"
        if not options.get("crossref_validator") and "strict" in inspect.signature(validate_tree).parameters:
            validate_tree = functools.partial(validate_tree, strict=True)  # the fast path is the default since d6478f5
            out["validator"] += "(strict=True)"

        def check():
            tree = etree.ElementTree(etree.fromstring(data, xmltools.safe_parser()))
            return validate_tree(tree, "crossref.xml")
        times, problems = _timed(repeats, check, profile)
        out.update(errors=_errors(problems)[:5], bytes=len(data))
    elif step == "validate.crossref-fast":
        from biblio import crossref_fast

        data = _deposit(issue, work)
        start = time.perf_counter()
        crossref_fast.fast_schema()
        out["compile_s"] = time.perf_counter() - start

        def check():
            tree = etree.ElementTree(etree.fromstring(data, xmltools.safe_parser()))
            return crossref_fast.validate_fast(tree, "crossref.xml")
        times, problems = _timed(repeats, check, profile)
        out.update(errors=_errors(problems)[:5], bytes=len(data))
    elif step == "validate.jats":
        from biblio import schemas

        saved = work / f"jats-{n}.pickle"
        if saved.exists():
            with open(saved, "rb") as stream:
                documents = pickle.load(stream)
        else:
            documents = [jats.article_xml(issue, index)[0] for index in range(n)]
        start = time.perf_counter()
        schemas.jats_schema()
        out["compile_s"] = time.perf_counter() - start

        def check():
            errors = []
            for data in documents:
                tree = etree.ElementTree(etree.fromstring(data, xmltools.safe_parser()))
                errors += _errors(jats.validate_tree(tree, "article.xml"))
            return errors
        times, errors = _timed(repeats, check, profile)
        out.update(errors=errors[:5], bytes=sum(len(d) for d in documents))
    elif step == "validate.csl":
        import jsonschema

        from biblio import schemas

        text = _text(issue, work, "csl")
        schema = schemas.csl_data_schema()

        def check():
            data = json.loads(text)
            return [error.message for error in jsonschema.Draft7Validator(schema).iter_errors(data)]
        times, errors = _timed(repeats, check, profile)
        out.update(errors=errors[:5], bytes=len(text.encode("utf-8")))
    elif step in ("validate.csl-file", "validate.bibtex", "validate.ris"):
        module = {"validate.csl-file": csl, "validate.bibtex": bibtex, "validate.ris": ris}[step]
        text = _text(issue, work, {"validate.csl-file": "csl", "validate.bibtex": "bibtex",
                                   "validate.ris": "ris"}[step])
        folder = Path(tempfile.mkdtemp(prefix="biblio-bench-"))
        try:
            name = {"validate.csl-file": "articles.csl.json", "validate.bibtex": "articles.bib",
                    "validate.ris": "articles.ris"}[step]
            path = folder / name
            path.write_bytes(text.encode("utf-8"))
            times, problems = _timed(repeats, lambda: module.validate(path), profile)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        out.update(errors=_errors(problems)[:5], warnings=sum(p.severity == "warning" for p in problems),
                   bytes=len(text.encode("utf-8")))
    elif step == "load":
        import biblio

        manifest = options["manifest"]
        times, (loaded, problems) = _timed(repeats, lambda: biblio.check(manifest), profile)
        n = len(loaded.articles) if loaded else 0
        out.update(errors=_errors(problems)[:5], bytes=os.path.getsize(manifest))
    elif step == "read.stream":
        import biblio

        manifest = options["manifest"]

        def read_all():
            streamed = biblio.stream(manifest)
            return sum(1 for _ in streamed), streamed.problems
        times, (n, problems) = _timed(repeats, read_all, profile)
        out.update(errors=_errors(problems)[:5], bytes=os.path.getsize(manifest))
    else:
        raise SystemExit(f"unknown step {step}")
    out.update(n=n, times=times, median=statistics.median(times), rss_peak_kb=_rss_kb())
    if _PROFILE:
        out["profile"] = dict(_PROFILE)
    return out


# --- the orchestrator ----------------------------------------------------------------------

def _descendants(pid: int) -> list[int]:
    """The process and its descendants (Linux /proc/PID/task/*/children)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as stream:
                    queue += [int(child) for child in stream.read().split()]
        except OSError:
            continue
    return found


def _tree_memory_kb(pid: int) -> tuple[int, int]:
    """(sum of RSS, sum of PSS) in KB over a process tree; PSS counts a page shared by k processes as 1/k."""
    rss = pss = 0
    for member in _descendants(pid):
        try:
            with open(f"/proc/{member}/smaps_rollup") as stream:
                for line in stream:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
        except OSError:
            continue
    return rss, pss


def run_measured(command: list[str], *, cwd: Path = ROOT, timeout: float | None = None,
                 env: dict | None = None, tree: dict | None = None) -> tuple[int, str, str, float, int]:
    """Run a command; return its exit code, stdout, stderr, wall time and peak RSS (KB).

    The peak is the largest ``VmHWM`` (a process's own high-water mark) seen in the process
    tree, sampled every 0.1 s. wait4's ``ru_maxrss`` is only a fallback for a process that
    ends before the first sample: Linux carries this (large) benchmark process's memory at
    fork into a child's ``ru_maxrss`` across exec, so it overstates the child. With ``tree``
    (a dict), the tree's summed RSS and PSS peaks are also put in ``tree`` (``rss_kb``, ``pss_kb``).
    """
    hwm_kb = 0
    with tempfile.TemporaryFile() as out_file, tempfile.TemporaryFile() as err_file:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=out_file, stderr=err_file, env=env)
        deadline = None if timeout is None else start + timeout
        next_sample = start
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() >= next_sample:
                hwm_kb = max(hwm_kb, _tree_hwm_kb(process.pid))
                if tree is not None:
                    rss_kb, pss_kb = _tree_memory_kb(process.pid)
                    tree["rss_kb"] = max(tree.get("rss_kb", 0), rss_kb)
                    tree["pss_kb"] = max(tree.get("pss_kb", 0), pss_kb)
                next_sample = time.perf_counter() + 0.1
            if deadline is not None and time.perf_counter() > deadline:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.02)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)  # keeps Popen from waiting again
        out_file.seek(0)
        err_file.seek(0)
        stdout = out_file.read().decode("utf-8", "replace")
        stderr = err_file.read().decode("utf-8", "replace")
    return process.returncode, stdout, stderr, wall, hwm_kb or usage.ru_maxrss


def _tree_hwm_kb(pid: int) -> int:
    """The largest own peak RSS (VmHWM, KB) among the live processes of a tree."""
    peak = 0
    for member in _descendants(pid):
        try:
            with open(f"/proc/{member}/status", encoding="ascii") as stream:
                for line in stream:
                    if line.startswith("VmHWM:"):
                        peak = max(peak, int(line.split()[1]))
                        break
        except OSError:
            continue
    return peak


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run_step(step: str, n: int, work: Path, repeats: int, options: dict) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", step, "--input", str(work / f"issue-{n}.pickle"),
               "--repeats", str(repeats)]
    if step in ("load", "read.stream"):
        command += ["--manifest", str(work / f"issue-{n}.json")]
    if options.get("crossref_validator") and step == "validate.crossref":
        command += ["--crossref-validator", options["crossref_validator"]]
    if options.get("profile"):
        command += ["--worker-profile"]
    code, stdout, stderr, wall, rss = run_measured(command)
    if code != 0:
        log(f"  {step} N={n} failed ({code}): {stderr[-600:]}")
        return {"step": step, "n": n, "failed": stderr[-2000:], "rss_peak_kb": rss, "wall_s": wall}
    result = json.loads(stdout.strip().splitlines()[-1])
    result["rss_peak_kb"] = max(result["rss_peak_kb"], rss)  # the worker's own VmHWM, and the sampled one
    result["wall_s"] = wall
    rate = n / result["median"] if result["median"] else float("inf")
    log(f"  {step:<18} N={n:<6} median {result['median']:.3f}s  {rate:,.0f}/s  peak {rss / 1024:.0f} MB"
        + (f"  ERRORS {result['errors'][:2]}" if result.get("errors") else ""))
    return result


def run_build(n: int, work: Path, repeats: int, timeout: float | None, jobs: int | None = None) -> dict:
    manifest = work / f"issue-{n}.json"
    runs = []
    for _ in range(repeats):
        out_dir = work / f"out-{n}"
        shutil.rmtree(out_dir, ignore_errors=True)
        command = [str(ROOT / ".venv" / "bin" / "biblio"), "build", str(manifest), "-o", str(out_dir), "--json"]
        if jobs is not None:
            command += ["--jobs", str(jobs)]
        tree: dict = {}
        code, stdout, stderr, wall, rss = run_measured(command, timeout=timeout, tree=tree)
        report = {}
        try:
            report = json.loads(stdout)
        except ValueError:
            pass
        files = report.get("files", [])
        runs.append({"exit": code, "wall_s": wall, "rss_peak_kb": rss, "files": len(files),
                     "tree_rss_peak_kb": tree.get("rss_kb"), "tree_pss_peak_kb": tree.get("pss_kb"),
                     "valid_files": sum(1 for f in files if f.get("valid")), "counts": report.get("counts"),
                     "timed_out": timeout is not None and wall >= timeout, "stderr": stderr[-500:]})
        shutil.rmtree(out_dir, ignore_errors=True)
        log(f"  build              N={n:<6} {wall:.1f}s  peak {rss / 1024:.0f} MB (one process), "
            f"{tree.get('pss_kb', 0) / 1024:.0f} MB PSS (all)  exit {code}  "
            f"{runs[-1]['valid_files']}/{runs[-1]['files']} files valid")
    walls = [r["wall_s"] for r in runs]
    return {"step": "build", "n": n, "runs": runs, "times": walls, "median": statistics.median(walls),
            "rss_peak_kb": max(r["rss_peak_kb"] for r in runs), "jobs": jobs,
            "tree_pss_peak_kb": max((r["tree_pss_peak_kb"] or 0) for r in runs),
            "tree_rss_peak_kb": max((r["tree_rss_peak_kb"] or 0) for r in runs),
            "command": " ".join(command[:2]) + f" {manifest.name} -o out-{n} --json"
            + (f" --jobs {jobs}" if jobs is not None else ""), "manifest_bytes": manifest.stat().st_size}


def run_validate_cli(work: Path, repeats: int) -> dict:
    """`biblio validate FILE` as a user runs it: wall time and peak RSS of the whole CLI process.

    "first call": a fresh copy of the official schema files (no derived files yet), so the call
    derives and compiles everything; "later calls": the same folder again (median of the repeats).
    The files are the example issue's outputs (examples/issue-86, 10 articles).
    """
    from biblio import schemas

    biblio_cli = str(ROOT / ".venv" / "bin" / "biblio")
    out_dir = work / "validate-cli-out"
    shutil.rmtree(out_dir, ignore_errors=True)
    code, _, stderr, _, _ = run_measured([biblio_cli, "build", str(ROOT / "examples" / "issue-86" / "issue.yaml"),
                                          "-o", str(out_dir), "--jobs", "1"])
    if code not in (0, 1):
        return {"failed": stderr[-2000:]}
    jats_files = [path for path in sorted(out_dir.rglob("*.xml")) if path.name != "crossref.xml"]
    files = {"crossref": out_dir / "crossref.xml", "jats": jats_files[0]}
    csl = sorted(out_dir.rglob("*.json"))
    if csl:
        files["csl"] = csl[0]
    cases = [(name, [str(path)]) for name, path in files.items()] + [("crossref --strict",
                                                                      ["--strict", str(files["crossref"])])]
    source = schemas.schema_dir()
    rows = []
    for name, arguments in cases:
        fresh = work / f"schemas-{name.replace(' ', '').replace('-', '')}"
        shutil.rmtree(fresh, ignore_errors=True)
        for relative in schemas.PINNED:
            (fresh / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source / relative, fresh / relative)
        env = dict(os.environ, BIBLIO_SCHEMA_DIR=str(fresh))
        command = [biblio_cli, "validate", *arguments]
        first = run_measured(command, env=env)
        later = [run_measured(command, env=env) for _ in range(max(1, repeats))]
        row = {"file": name, "bytes": Path(arguments[-1]).stat().st_size, "exit": first[0],
               "first_s": first[3], "first_rss_kb": first[4], "later_s": [r[3] for r in later],
               "later_median_s": statistics.median(r[3] for r in later), "later_rss_kb": max(r[4] for r in later),
               "later_exit": [r[0] for r in later]}
        rows.append(row)
        log(f"  validate-cli {name:<18} first {row['first_s']:.2f}s  later {row['later_median_s']:.2f}s  "
            f"exit {row['exit']}  peak {row['later_rss_kb'] / 1024:.0f} MB")
        shutil.rmtree(fresh, ignore_errors=True)
    shutil.rmtree(out_dir, ignore_errors=True)
    return {"rows": rows, "command": "BIBLIO_SCHEMA_DIR=<fresh copy> .venv/bin/biblio validate FILE"}


# --- commonmeta ---------------------------------------------------------------------------

def ensure_commonmeta() -> tuple[Path | None, str | None]:
    """The commonmeta venv's python, installing commonmeta-py 0.312 there on first use; or the reason it failed."""
    python = COMMONMETA_VENV / "bin" / "python"
    check = [str(python), "-c", "import importlib.metadata as m, commonmeta; print(m.version('commonmeta-py'))"]
    if python.exists():
        done = subprocess.run(check, check=False, capture_output=True, text=True)
        if done.returncode == 0 and done.stdout.strip() == COMMONMETA_VERSION:
            return python, None
    log(f"installing commonmeta-py=={COMMONMETA_VERSION} into {COMMONMETA_VENV.relative_to(ROOT)}")
    base = getattr(sys, "_base_executable", None) or shutil.which("python3") or sys.executable
    steps = [[base, "-m", "venv", str(COMMONMETA_VENV)],
             [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
              f"commonmeta-py=={COMMONMETA_VERSION}"]]
    for command in steps:
        done = subprocess.run(command, check=False, capture_output=True, text=True)
        if done.returncode != 0:
            lines = [line for line in (done.stderr or done.stdout).splitlines() if not line.startswith("WARNING: ")]
            return None, f"`{' '.join(command)}` failed (exit {done.returncode}): " + " ".join(lines[-5:])
    done = subprocess.run(check, check=False, capture_output=True, text=True)
    if done.returncode != 0:
        return None, f"commonmeta does not import after the install: {done.stderr.strip()[-500:]}"
    return python, None


def to_commonmeta(issue) -> list[dict]:
    """The articles as commonmeta v1.0 work records: what commonmeta reads for the same work."""
    from biblio import derive, ids

    journal = issue.journal
    credit = {role: "".join(part.capitalize() for part in role.split("-")) for role in (
        "conceptualization", "data-curation", "formal-analysis", "funding-acquisition", "investigation",
        "methodology", "project-administration", "resources", "software", "supervision", "validation",
        "visualization", "writing-original-draft", "writing-review-editing")}
    records = []
    for index, article in enumerate(issue.articles):
        lang = article.language
        contributors = []
        for contributor in article.contributors:
            found = derive.latin_name(contributor)
            name = found[1] if found else next(iter(contributor.names.values()))
            person = {"given_name": name.given, "family_name": name.family}
            if contributor.orcid:
                person["id"] = ids.orcid_url(contributor.orcid)
            person["affiliations"] = [{"name": aff.name.get("en") or aff.name.main, "identifier": aff.ror,
                                       "identifier_type": "ROR"} for aff in contributor.affiliations]
            roles = ["Author"] + [credit[role] for role in contributor.credit if role in credit]
            contributors.append({"type": "Person", "person": person, "roles": roles})
        date, _ = derive.publication_date(issue, article)
        record = {
            "id": f"https://doi.org/{article.doi}",
            "type": "JournalArticle",
            "url": derive.landing_page(issue, issue.articles[index], index),
            "language": lang,
            "title": article.titles[lang],
            "additional_titles": [{"title": text, "type": "TranslatedTitle", "language": code}
                                  for code, text in article.titles.items() if code != lang],
            "description": article.abstracts[lang],
            "additional_descriptions": [{"description": text, "type": "Abstract", "language": code}
                                        for code, text in article.abstracts.items() if code != lang],
            "contributors": contributors,
            "container": {
                "type": "Journal", "title": journal.titles.main,
                "identifiers": [{"identifier": issn.value, "identifier_type": "ISSN"} for issn in journal.issns],
                "volume": issue.volume, "issue": issue.number,
                "first_page": article.pages.first, "last_page": article.pages.last},
            "publisher": {"name": journal.publisher.name.get("en") or journal.publisher.name.main},
            "date_published": str(date),
            "dates": {"submitted": str(article.dates.received), "accepted": str(article.dates.accepted)},
            "funding_references": [{"funder_name": source.funder.get("en") or source.funder.main,
                                    "award_number": award} for source in article.funding for award in source.awards],
            "license": {"id": "CC-BY-4.0", "url": article.license.url} if article.license else None,
            "subjects": [{"subject": word, "language": code} for code, words in article.keywords.items()
                         for word in words],
            "references": [{"key": f"ref{number}", "id": f"https://doi.org/{ref.doi}", "reference": ref.text}
                           for number, ref in enumerate(article.references, 1)],
        }
        records.append({key: value for key, value in record.items() if value not in (None, [], {})})
    return records


def run_commonmeta(python: Path, n: int, work: Path, repeats: int, validate_max: int) -> dict:
    records = work / f"commonmeta-{n}.json"
    command = [str(python), str(BENCH / "commonmeta_driver.py"), str(records), "--repeats", str(repeats),
               "--validate-max", str(validate_max)]
    # commonmeta must not reach the network: nothing here should need it, and a proxy that goes
    # nowhere turns an unexpected lookup into a fast failure instead of a 10-second timeout.
    env = dict(os.environ, HTTP_PROXY="http://127.0.0.1:9", HTTPS_PROXY="http://127.0.0.1:9",
               http_proxy="http://127.0.0.1:9", https_proxy="http://127.0.0.1:9")
    code, stdout, stderr, wall, rss = run_measured(command, env=env)
    if code != 0:
        log(f"  commonmeta N={n} failed: {stderr[-800:]}")
        return {"n": n, "failed": stderr[-3000:], "rss_peak_kb": rss}
    result = json.loads(stdout.strip().splitlines()[-1])
    result["rss_peak_kb"] = max(result.get("rss_peak_kb", 0), rss)
    result["wall_s"] = wall
    result["medians"] = {name: statistics.median(times) for name, times in result["times"].items()}
    log(f"  commonmeta         N={n:<6} " + "  ".join(f"{k} {v:.3f}s" for k, v in result["medians"].items())
        + f"  peak {rss / 1024:.0f} MB" + (f"  notes {result['notes']}" if result.get("notes") else ""))
    return result


def fast_path_status() -> dict:
    """Whether biblio has a fast Crossref validation path (biblio.crossref_fast.validate_fast), and its git state."""
    import importlib.util

    spec = importlib.util.find_spec("biblio.crossref_fast")
    status = {"present": False, "module": "biblio.crossref_fast"}
    if spec is None or not spec.origin:
        return status
    try:
        module = importlib.import_module("biblio.crossref_fast")
    except Exception as error:  # noqa: BLE001 - a half-written module in a working tree
        status["error"] = f"{type(error).__name__}: {error}"
        return status
    status["present"] = hasattr(module, "validate_fast")
    crossref_source = Path(importlib.import_module("biblio.formats.crossref").__file__).read_text(encoding="utf-8")
    status["used_by_build"] = "crossref_fast" in crossref_source
    path = Path(spec.origin)
    try:
        tracked = subprocess.run(["git", "ls-files", "--error-unmatch", str(path)], cwd=ROOT, capture_output=True,
                                 check=False)
        changed = subprocess.run(["git", "status", "--porcelain", str(path)], cwd=ROOT, capture_output=True,
                                 text=True, check=False)
        status["git"] = ("untracked (work in progress)" if tracked.returncode != 0
                         else "modified, uncommitted" if changed.stdout.strip() else "committed")
    except OSError:
        pass
    return status


# --- machine ------------------------------------------------------------------------------

def machine_info() -> dict:
    info = {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()}
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        model = re.search(r"model name\s*:\s*(.+)", cpuinfo)
        info["cpu"] = model.group(1).strip() if model else None
        meminfo = Path("/proc/meminfo").read_text()
        total = re.search(r"MemTotal:\s*(\d+)", meminfo)
        info["memory_gb"] = round(int(total.group(1)) / 1024 / 1024, 1) if total else None
    except OSError:
        pass
    try:
        info["affinity"] = len(os.sched_getaffinity(0))
    except AttributeError:
        pass
    from importlib.metadata import version
    info["packages"] = {name: version(name) for name in ("lxml", "xmlschema", "elementpath", "jsonschema",
                                                          "bibtexparser", "PyYAML")}
    import yaml
    info["libyaml"] = bool(getattr(yaml, "__with_libyaml__", False))
    try:
        info["git"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                     text=True, check=False).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "src"], cwd=ROOT, capture_output=True, text=True,
                               check=False)
        info["src_modified"] = bool(dirty.stdout.strip())
    except OSError:
        pass
    return info


# --- main ---------------------------------------------------------------------------------

def prepare(n: int, work: Path, seed: int, commonmeta: bool) -> dict:
    import generate

    import biblio

    start = time.perf_counter()
    issue = generate.issue(n, seed)
    generated = time.perf_counter() - start
    with open(work / f"issue-{n}.pickle", "wb") as stream:
        pickle.dump(issue, stream, protocol=pickle.HIGHEST_PROTOCOL)
    biblio.dump(issue, work / f"issue-{n}.json")
    if commonmeta:
        (work / f"commonmeta-{n}.json").write_text(json.dumps(to_commonmeta(issue), ensure_ascii=False),
                                                   encoding="utf-8")
    return {"generate_s": generated, "manifest_bytes": (work / f"issue-{n}.json").stat().st_size}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="biblio benchmarks", formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--sizes", default="100,1000,10000", help="article counts, comma-separated")
    parser.add_argument("--repeats", type=int, default=3, help="runs per step; tables give the median")
    parser.add_argument("--quick", action="store_true", help="smoke run: N=50, 1 repeat, every step")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--steps", help="only these steps (comma-separated; write.*, validate.*, load, read.stream, build, "
                        "validate-cli, commonmeta)")
    parser.add_argument("--crossref-validate-max", type=int, default=1000,
                        help="largest N for strict Crossref validation; above it the rate is extrapolated")
    parser.add_argument("--crossref-validator", help="module:function(tree, file) -> problems to time instead of "
                        "biblio.formats.crossref:validate_tree (e.g. a fast path)")
    parser.add_argument("--build-max", type=int, default=10000, help="largest N for `biblio build`")
    parser.add_argument("--build-jobs", type=int, default=None,
                        help="`biblio build --jobs N` (default: biblio's default, every usable CPU)")
    parser.add_argument("--build-repeats", type=int, help="runs of `biblio build` per N (default: --repeats up "
                        "to 100 articles, 1 above)")
    parser.add_argument("--build-timeout", type=float, default=1800, help="seconds before a build is stopped")
    parser.add_argument("--load-max", type=int, default=10000, help="largest N for the manifest load step "
                        "(`biblio build` includes it)")
    parser.add_argument("--no-commonmeta", action="store_true")
    parser.add_argument("--step-budget", type=float, default=60,
                        help="seconds one step may take at one N, all repeats together: fewer repeats above it "
                        "(predicted from the previous N)")
    parser.add_argument("--skip-above", type=float, default=240,
                        help="skip a step (and extrapolate) when one run is predicted to take longer")
    parser.add_argument("--profile", default="load:100,validate.crossref:100,validate.csl-file:1000,write.crossref:1000",
                        help="STEP:N pairs to profile with cProfile ('' for none)")
    parser.add_argument("--merge-builds", nargs="*", default=[], metavar="RESULTS",
                        help="add the `biblio build` measurements of other results files (e.g. a separate "
                        "--build-max 10000 run) to this run's tables")
    parser.add_argument("--results", default=str(BENCH / "results.json"))
    parser.add_argument("--report", default=str(BENCH / "REPORT.md"), help="'' to skip writing the report")
    parser.add_argument("--work", help="folder for manifests and outputs (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    # worker mode
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--input", help=argparse.SUPPRESS)
    parser.add_argument("--manifest", help=argparse.SUPPRESS)
    parser.add_argument("--worker-profile", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        options = {"profile": args.worker_profile, "crossref_validator": args.crossref_validator, "manifest": args.manifest}
        print(json.dumps(worker(args.worker, Path(args.input), args.repeats, options)))
        return 0

    command_line = "cd /work/main && .venv/bin/python bench/run.py " + " ".join(argv if argv is not None
                                                                                 else sys.argv[1:])
    if args.quick:
        sizes, repeats = [50], 1
        args.crossref_validate_max = max(args.crossref_validate_max, 50)
        args.build_max, args.load_max = max(args.build_max, 50), max(args.load_max, 50)
        if args.profile == parser.get_default("profile"):
            args.profile = "validate.crossref:50"
    else:
        sizes, repeats = [int(size.replace("_", "")) for size in args.sizes.split(",") if size], args.repeats
    wanted = set(args.steps.split(",")) if args.steps else None

    def selected(step: str) -> bool:
        return wanted is None or step in wanted or step.split(".")[0] in wanted

    profiles = {tuple(pair.split(":")) for pair in args.profile.split(",") if pair} if args.profile else set()
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="biblio-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict = {"command": command_line, "started": datetime.datetime.now().isoformat(timespec="seconds"),
                     "machine": machine_info(), "sizes": sizes, "repeats": repeats, "steps": [], "builds": [],
                     "commonmeta": [], "prepared": {}, "profiles": [], "skipped": [],
                     "fast_path": fast_path_status(), "caps": {
                         "crossref_validate_max": args.crossref_validate_max, "build_max": args.build_max,
                         "load_max": args.load_max, "step_budget_s": args.step_budget, "build_jobs": args.build_jobs,
                         "skip_above_s": args.skip_above}}
    fast_path = results["fast_path"]["present"]
    python = None
    if not args.no_commonmeta and selected("commonmeta"):
        python, reason = ensure_commonmeta()
        results["commonmeta_status"] = reason or f"commonmeta-py {COMMONMETA_VERSION} in {COMMONMETA_VENV.name}"
        if reason:
            log(f"commonmeta unavailable: {reason}")
    else:
        results["commonmeta_status"] = "not run (--no-commonmeta)"
    started = time.perf_counter()
    if selected("validate-cli"):
        log("validate-cli: `biblio validate FILE`, first call on a fresh schema folder and later calls")
        results["validate_cli"] = run_validate_cli(work, repeats)
    try:
        last: dict[str, tuple[int, float]] = {}  # step -> (N, median seconds) of the last size measured

        def plan(step: str, n: int, wanted: int) -> int:
            """Repeats for a step at N within --step-budget; 0: skip (one run would exceed --skip-above)."""
            if step not in last:
                return wanted
            base_n, base_s = last[step]
            predicted = base_s * n / base_n
            if predicted > args.skip_above:
                log(f"  {step} N={n}: skipped, one run would take about {predicted:.0f}s (> --skip-above "
                    f"{args.skip_above:.0f}); extrapolated")
                results["skipped"].append({"step": step, "n": n, "predicted_s": predicted})
                return 0
            return max(1, min(wanted, int(args.step_budget // max(predicted, 1e-9))))

        for n in sizes:
            log(f"N={n}: generating the issue, the manifest and the commonmeta records")
            results["prepared"][str(n)] = prepare(n, work, args.seed, python is not None)
            for step in WRITE_STEPS + VALIDATE_STEPS + ["load", "read.stream"]:
                if not selected(step):
                    continue
                if step == "validate.crossref-fast" and not fast_path:
                    continue
                if step == "validate.crossref" and n > args.crossref_validate_max:
                    log(f"  {step} N={n}: skipped (above --crossref-validate-max); extrapolated")
                    results["skipped"].append({"step": step, "n": n, "reason": "--crossref-validate-max"})
                    continue
                if step == "load" and n > args.load_max:
                    log(f"  load N={n}: skipped (above --load-max); extrapolated")
                    results["skipped"].append({"step": step, "n": n, "reason": "--load-max"})
                    continue
                reps = plan(step, n, repeats if step != "load" or n <= 100 else 1)
                if not reps:
                    continue
                result = run_step(step, n, work, reps, {"crossref_validator": args.crossref_validator})
                results["steps"].append(result)
                if "median" in result:
                    last[step] = (n, result["median"])
                if (step, str(n)) in profiles:
                    log(f"  profiling {step} N={n}")
                    profiled = run_step(step, n, work, 1, {"crossref_validator": args.crossref_validator,
                                                           "profile": True})
                    results["profiles"].append({"step": step, "n": n, "median": profiled.get("median"),
                                                "profile": profiled.get("profile")})
            if selected("build") and n <= args.build_max:
                build_repeats = args.build_repeats or (repeats if n <= 100 else 1)
                results["builds"].append(run_build(n, work, build_repeats, args.build_timeout, args.build_jobs))
                if ("build", str(n)) in profiles:
                    results["profiles"].append(profile_build(n, work))
            elif selected("build"):
                log(f"  build N={n}: skipped (above --build-max {args.build_max}); extrapolated")
            if python is not None:
                reps = plan("commonmeta", n, repeats)
                if reps:
                    found = run_commonmeta(python, n, work, reps, args.crossref_validate_max)
                    results["commonmeta"].append(found)
                    if "medians" in found:  # what grows with N (the Crossref validation only up to its cap)
                        grows = sum(seconds for name, seconds in found["medians"].items()
                                    if name not in ("crossref.compile", "crossref.single", "crossref.validate"))
                        validate = found["medians"].get("crossref.validate", 0)
                        last["commonmeta"] = (n, grows + (validate if n * 10 <= args.crossref_validate_max else 0))
            for name in (f"issue-{n}.pickle", f"commonmeta-{n}.json", f"crossref-{n}.xml", f"jats-{n}.pickle",
                         f"csl-{n}.txt", f"bibtex-{n}.txt", f"ris-{n}.txt"):
                (work / name).unlink(missing_ok=True)
            results["elapsed_s"] = time.perf_counter() - started
            Path(args.results).write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    finally:
        if not args.keep and not args.work:
            shutil.rmtree(work, ignore_errors=True)
    results["elapsed_s"] = time.perf_counter() - started
    for other in args.merge_builds:
        merged = json.loads(Path(other).read_text(encoding="utf-8"))
        for build in merged.get("builds", []):
            if build["n"] not in {b["n"] for b in results["builds"]}:
                results["builds"].append({**build, "source": other, "source_command": merged.get("command"),
                                          "source_started": merged.get("started")})
    Path(args.results).write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    log(f"done in {results['elapsed_s']:.0f}s; results in {args.results}")
    if args.report:
        import report

        report.write(results, Path(args.report))
        log(f"report: {args.report}")
    return 0


def profile_build(n: int, work: Path) -> dict:
    """cProfile of biblio.build (in-process, in a subprocess) on the N-article manifest."""
    log(f"  profiling build N={n}")
    code = "\n".join([
        "import cProfile, io, pstats, sys, json, time, biblio",
        f"sys.path.insert(0, {str(BENCH)!r})",
        "from run import _trim_profile",
        "p = cProfile.Profile(); t = time.perf_counter(); p.enable()",
        f"biblio.build({str(work / f'issue-{n}.json')!r}, {str(work / f'out-profile-{n}')!r})",
        "p.disable(); t = time.perf_counter() - t",
        "out = {}",
        "for key in ('tottime', 'cumulative'):",
        "    s = io.StringIO(); pstats.Stats(p, stream=s).sort_stats(key).print_stats(22)",
        "    out[key] = _trim_profile(s.getvalue())",
        "print(json.dumps({'median': t, 'profile': out}))",
    ])
    status, stdout, stderr, _, _ = run_measured([sys.executable, "-c", code])
    shutil.rmtree(work / f"out-profile-{n}", ignore_errors=True)
    if status != 0:
        return {"step": "build", "n": n, "failed": stderr[-1000:]}
    return {"step": "build", "n": n, **json.loads(stdout.strip().splitlines()[-1])}


if __name__ == "__main__":
    sys.exit(main())
