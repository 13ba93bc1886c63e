"""The benchmark of issue 14's speed targets, measured side by side in one run, figures as ratios.

    .venv/bin/python bench/run.py            # full: 7 runs a variant, 10,000 articles, 1,000 issues, N=1,000
    .venv/bin/python bench/run.py --quick    # smoke run: 3 runs, 200 articles, 20 issues, N=50

What each part measures, and how, is ``HOW`` below (the report quotes it). Every measurement runs
in a process of its own; this script imports neither biblio nor the generator (its ``--worker``
processes do), so a child's ``ru_maxrss`` is not inflated by a large parent. Results go to
``bench/results.json`` and ``bench/REPORT.md``, whose part between ``<!-- notes -->`` markers is kept.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PYTHON = Path(sys.executable)
_SCRIPT = PYTHON.parent / "biblio"  # the console script, as users run it
BIBLIO = [str(_SCRIPT)] if _SCRIPT.exists() else [str(PYTHON), "-m", "biblio"]
EXAMPLE = ROOT / "examples" / "issue-86" / "issue.yaml"
COMMONMETA_VERSION = "0.312"
COMMONMETA_VENV = BENCH / ".venv-commonmeta"
PARTS = ("small", "large", "catalogue", "crossref")
TARGET_N = {"small": 7, "large": 10_000, "catalogue": 1_000, "crossref": 1_000}
HOW = {
    "small": "`biblio build examples/issue-86/issue.yaml -o X` (default jobs, and `-j 1`) as a CLI process, this "
             "tree against {baseline} run from a temporary git worktree with `PYTHONPATH=<worktree>/src`; each code "
             "with its own copy of the schema folder; one warm-up round, then {repeats} runs each, interleaved (the "
             "order reversed every round). Seconds: median (min–max).",
    "large": "`biblio build issue-N.json -o X` (default jobs: every usable CPU) on a JSON manifest from "
             "`generate.write_manifest(N)`. Memory: the peak of the summed PSS (and RSS) of the whole process tree, "
             "sampled every 50 ms from `/proc/<pid>/smaps_rollup`; the largest single process's peak RSS from wait4.",
    "catalogue": "{issues:,} YAML manifests of 10 articles each (`generate.write_manifest(10, path, seed=i)`) in one "
                 "folder; `biblio build DIR -o OUT -j 1` and `-j 2`, alternating.",
    "crossref": "The same {n:,} generated articles. biblio, in a process of its own: "
                "`formats.dumps(formats.get(\"crossref\"), issue)`, then `.validate(path)` of the written file. "
                "commonmeta-py (`bench/commonmeta_driver.py --crossref-only` in `bench/.venv-commonmeta`, installed "
                "on first use) on the articles as commonmeta v1.0 records: `MetadataList.write(to=\"crossref_xml\")`, "
                "then `xml_schema_errors` (XSD 1.1); its output holds {articles_in_output} `journal_article` elements "
                "and is valid. Medians of {repeats}; schema loading (biblio: its first validation; commonmeta: its "
                "schema compile) is timed apart and left out.",
}
DEFAULT_NOTES = "- (hand-written notes on the latest full run go here; bench/run.py keeps them)\n"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- running and measuring a process tree --------------------------------------------------------

def _tree_memory_kb(pid: int) -> tuple[int, int]:
    """(summed RSS, summed PSS) of a process tree, KB; PSS counts a page shared by k processes as 1/k."""
    rss = pss = 0
    queue = [pid]
    while queue:
        member = queue.pop()
        try:
            for task in os.listdir(f"/proc/{member}/task"):
                with open(f"/proc/{member}/task/{task}/children") as stream:
                    queue += [int(child) for child in stream.read().split()]
            with open(f"/proc/{member}/smaps_rollup") as stream:
                fields = dict(line.split(":", 1) for line in stream if line[:4] in ("Rss:", "Pss:"))
            rss, pss = rss + int(fields["Rss"].split()[0]), pss + int(fields["Pss"].split()[0])
        except (OSError, KeyError, ValueError):
            continue
    return rss, pss


def run(command: list[str], env: dict | None = None, sample: bool = False, what: str = "") -> dict:
    """Run a command, output to temporary files; its wall and CPU seconds, the largest process's peak
    RSS (wait4) and, with ``sample``, the peaks of the tree's summed RSS and PSS. Raises if it fails."""
    rss_peak = pss_peak = 0
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=err, env=env)
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG if sample else 0)
            if pid:
                break
            rss, pss = _tree_memory_kb(process.pid)
            rss_peak, pss_peak = max(rss_peak, rss), max(pss_peak, pss)
            time.sleep(0.05)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)  # keeps Popen from waiting again
        if process.returncode != 0:
            err.seek(0)
            raise RuntimeError(f"{what or command[0]} failed (exit {process.returncode}): "
                               + err.read().decode("utf-8", "replace")[-1500:])
        out.seek(0)
        result = {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "largest_mb": usage.ru_maxrss / 1024,
                  "stdout": out.read().decode("utf-8", "replace")}
    return result | ({"tree_pss_mb": pss_peak / 1024, "tree_rss_mb": rss_peak / 1024} if sample else {})


def worker(*args: str) -> str:
    """This script in worker mode (it imports biblio and the generator); its stdout."""
    return run([str(PYTHON), __file__, "--worker", *args], what=f"worker {args[0]}")["stdout"]


# --- 1. a 10-article issue, this tree against the baseline ----------------------------------------

def bench_small(work: Path, rev: str, repeats: int) -> dict:
    git = lambda *a: subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True, check=True)
    short, tree = git("rev-parse", "--short", rev).stdout.strip(), work / "baseline"
    git("worktree", "add", "--detach", str(tree), rev)
    try:
        schemas = run(BIBLIO + ["schemas", "path"])["stdout"].strip()
        clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "BIBLIO_SCHEMA_DIR")}
        envs, imported = {}, {}
        for code, extra in (("old", {"PYTHONPATH": str(tree / "src")}), ("new", {})):
            folder = work / f"schemas-{code}"  # its own copy: neither code rewrites the other's derived files
            shutil.copytree(schemas, folder, ignore=shutil.ignore_patterns("derived-*"))
            envs[code] = clean | extra | {"BIBLIO_SCHEMA_DIR": str(folder)}
            where = run([str(PYTHON), "-c", "import biblio; print(biblio.__file__)"], env=envs[code])
            imported[code] = where["stdout"].strip()
        if not (imported["old"].startswith(str(tree)) and imported["new"].startswith(str(ROOT / "src"))):
            raise RuntimeError(f"the wrong biblio is imported: {imported}")
        keys = [(code, jobs) for jobs in ("default", "1") for code in ("old", "new")]
        runs: dict = {key: [] for key in keys}
        for number in range(repeats + 1):  # round 0 warms up: the worktree's bytecode, derived schemas, page cache
            for code, jobs in keys if number % 2 else reversed(keys):
                out = work / f"small-{code}"
                shutil.rmtree(out, ignore_errors=True)
                command = BIBLIO + ["build", str(EXAMPLE), "-o", str(out)] + (["-j", "1"] if jobs == "1" else [])
                result = run(command, env=envs[code], what=f"the {code} build of {EXAMPLE.name}")
                if number:
                    runs[(code, jobs)].append((result["wall_s"], result["cpu_s"]))
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, capture_output=True, check=False)
        subprocess.run(["git", "worktree", "prune"], cwd=ROOT, capture_output=True, check=False)
    rows = {}
    for jobs in ("default", "1"):
        row = {f"{code}_{kind}": [r[i] for r in runs[(code, jobs)]] for code in ("old", "new")
               for i, kind in enumerate(("s", "cpu_s"))}
        row |= {f"{key[:-2]}_median_s": median(row[key]) for key in list(row)}
        rows[jobs] = row | {"ratio": row["new_median_s"] / row["old_median_s"]}
    return {"baseline": short, "imported": imported, "repeats": repeats, "by_jobs": rows,
            "command": "biblio build examples/issue-86/issue.yaml -o X [-j 1]"}


# --- 2. one large issue ----------------------------------------------------------------------

def bench_large(work: Path, n: int, repeats: int) -> dict:
    manifest, out, runs = work / f"issue-{n}.json", work / f"large-{n}", []
    worker("manifest", str(n), str(manifest))
    for _ in range(repeats):
        shutil.rmtree(out, ignore_errors=True)
        result = run(BIBLIO + ["build", str(manifest), "-o", str(out)], sample=True, what=f"the build of {n}")
        result["files"] = sum(1 for _ in out.iterdir())
        del result["stdout"]
        runs.append(result)
        log(f"  {n} articles: {result['wall_s']:.1f} s, tree PSS {result['tree_pss_mb']:.0f} MB")
    shutil.rmtree(out, ignore_errors=True)
    size = manifest.stat().st_size / 1e6
    manifest.unlink()
    pick = sorted(runs, key=lambda r: r["wall_s"])[len(runs) // 2]  # the median run
    return {"n": n, "manifest_mb": size, "runs": runs,
            **{key: pick[key] for key in ("wall_s", "cpu_s", "files")},
            **{key: max(r[key] for r in runs) for key in ("tree_pss_mb", "tree_rss_mb", "largest_mb")}}


# --- 3. a catalogue --------------------------------------------------------------------------

def bench_catalogue(work: Path, n: int, repeats: int) -> dict:
    folder, times, peaks = work / "catalogue", {"1": [], "2": []}, {"1": 0.0, "2": 0.0}
    worker("catalogue", str(n), str(folder))
    for number in range(repeats):
        for jobs in ("1", "2") if number % 2 == 0 else ("2", "1"):
            out = work / f"catalogue-{jobs}"
            shutil.rmtree(out, ignore_errors=True)
            result = run(BIBLIO + ["build", str(folder), "-o", str(out), "-j", jobs], sample=True,
                         what=f"the catalogue build -j {jobs}")
            if (built := sum(1 for p in out.iterdir() if p.is_dir())) != n:
                raise RuntimeError(f"the catalogue build -j {jobs} made {built} issue folders, not {n}")
            times[jobs].append(result["wall_s"])
            peaks[jobs] = max(peaks[jobs], result["tree_pss_mb"])
            log(f"  {n} issues, -j {jobs}: {result['wall_s']:.1f} s")
            shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(folder)
    return {"issues": n, "manifests": "YAML", "j1_s": times["1"], "j2_s": times["2"], "j1_median_s": median(times["1"]),
            "j2_median_s": median(times["2"]), "ratio": median(times["2"]) / median(times["1"]), "tree_pss_mb": peaks}


# --- 4. Crossref write + validate against commonmeta-py -------------------------------------------

def ensure_commonmeta() -> Path:
    """The commonmeta venv's python, with commonmeta-py 0.312 installed there on first use."""
    python = COMMONMETA_VENV / "bin" / "python"
    check = [str(python), "-c", "import importlib.metadata as m, commonmeta; print(m.version('commonmeta-py'))"]
    if python.exists():
        found = subprocess.run(check, capture_output=True, text=True, check=False).stdout.strip()
        if found == COMMONMETA_VERSION:
            return python
    log(f"installing commonmeta-py=={COMMONMETA_VERSION} into {COMMONMETA_VENV.relative_to(ROOT)}")
    base = getattr(sys, "_base_executable", None) or shutil.which("python3") or sys.executable
    run([base, "-m", "venv", str(COMMONMETA_VENV)])
    run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         f"commonmeta-py=={COMMONMETA_VERSION}"])
    return python


def bench_crossref(work: Path, n: int, repeats: int) -> dict:
    records = work / f"commonmeta-{n}.json"
    ours = json.loads(worker("crossref", str(n), str(records), str(repeats)))
    # commonmeta must not reach the network: a proxy that goes nowhere makes a lookup fail fast
    env = os.environ | {name: "http://127.0.0.1:9" for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy",
                                                                "https_proxy")}
    command = [str(ensure_commonmeta()), str(BENCH / "commonmeta_driver.py"), str(records), "--repeats", str(repeats),
               "--crossref-only"]
    theirs = json.loads(run(command, env=env, what="commonmeta_driver.py")["stdout"].strip().splitlines()[-1])
    records.unlink()
    cm = {step: median(times) for step, times in theirs["times"].items()}
    if "crossref.validate" not in cm or not theirs.get("crossref_valid"):
        raise RuntimeError(f"commonmeta's Crossref output was not validated or is not valid: {theirs}"[:1500])
    ours_s = ours["write_median_s"] + ours["validate_median_s"]
    theirs_s = cm["crossref.write"] + cm["crossref.validate"]
    return {"n": n, "repeats": repeats, "biblio": ours,
            "commonmeta": {"version": theirs.get("version"), "write_median_s": cm["crossref.write"],
                           "validate_median_s": cm["crossref.validate"],
                           "first_validate_s": cm.get("crossref.compile", 0),
                           "articles_in_output": theirs.get("crossref_articles")},
            "biblio_per_s": n / ours_s, "commonmeta_per_s": n / theirs_s, "ratio": theirs_s / ours_s}


def work_crossref(n: int, records: Path, repeats: int) -> dict:
    """Worker: n generated articles; the commonmeta records to a file; biblio's Crossref write + validate timed."""
    import generate

    from biblio import formats

    issue = generate.issue(n)
    records.write_text(json.dumps(to_commonmeta(issue), ensure_ascii=False), encoding="utf-8")
    crossref, writes, validations = formats.get("crossref"), [], []
    for _ in range(repeats):
        start = time.perf_counter()
        files, problems = formats.dumps(crossref, issue)
        writes.append(time.perf_counter() - start)
    [(name, data)] = files.items()
    (path := records.parent / name).write_bytes(data)
    start = time.perf_counter()
    problems += crossref.validate(path)  # the first call loads the schema
    first = time.perf_counter() - start
    for _ in range(repeats):
        start = time.perf_counter()
        crossref.validate(path)
        validations.append(time.perf_counter() - start)
    path.unlink()
    if errors := [f"{p.code}: {p.message}" for p in problems if p.severity == "error"]:
        raise SystemExit(f"biblio's Crossref deposit of {n} articles has errors: {errors[:5]}")
    return {"write_s": writes, "validate_s": validations, "write_median_s": median(writes),
            "validate_median_s": median(validations), "first_validate_s": first, "bytes": len(data)}


def to_commonmeta(issue) -> list[dict]:
    """The articles as commonmeta v1.0 work records: what commonmeta reads for the same work."""
    from biblio import derive, ids

    journal, records = issue.journal, []
    for index, article in enumerate(issue.articles):
        lang, contributors = article.language, []
        for contributor in article.contributors:
            found = derive.latin_name(contributor)
            name = found[1] if found else next(iter(contributor.names.values()))
            person = {"given_name": name.given, "family_name": name.family,
                      "affiliations": [{"name": aff.name.get("en") or aff.name.main, "identifier": aff.ror,
                                        "identifier_type": "ROR"} for aff in contributor.affiliations]}
            if contributor.orcid:
                person["id"] = ids.orcid_url(contributor.orcid)
            roles = ["Author"] + [role.title().replace("-", "") for role in contributor.credit]  # CRediT, CamelCase
            contributors.append({"type": "Person", "person": person, "roles": roles})
        record = {
            "id": f"https://doi.org/{article.doi}", "type": "JournalArticle", "language": lang,
            "url": derive.landing_page(issue, article, index), "title": article.titles[lang],
            "additional_titles": [{"title": text, "type": "TranslatedTitle", "language": code}
                                  for code, text in article.titles.items() if code != lang],
            "description": article.abstracts[lang],
            "additional_descriptions": [{"description": text, "type": "Abstract", "language": code}
                                        for code, text in article.abstracts.items() if code != lang],
            "contributors": contributors,
            "container": {"type": "Journal", "title": journal.titles.main, "volume": issue.volume,
                          "issue": issue.number,
                          "identifiers": [{"identifier": i.value, "identifier_type": "ISSN"} for i in journal.issns],
                          "first_page": article.pages.first, "last_page": article.pages.last},
            "publisher": {"name": journal.publisher.name.get("en") or journal.publisher.name.main},
            "date_published": str(derive.publication_date(issue, article)[0]),
            "dates": {"submitted": str(article.dates.received), "accepted": str(article.dates.accepted)},
            "funding_references": [{"funder_name": source.funder.get("en") or source.funder.main, "award_number": award}
                                   for source in article.funding for award in source.awards],
            "license": {"id": "CC-BY-4.0", "url": article.license.url} if article.license else None,
            "subjects": [{"subject": word, "language": code} for code, words in article.keywords.items()
                         for word in words],
            "references": [{"key": f"ref{number}", "id": f"https://doi.org/{ref.doi}", "reference": ref.text}
                           for number, ref in enumerate(article.references, 1)],
        }
        records.append({key: value for key, value in record.items() if value not in (None, [], {})})
    return records


def work(kind: str, n: str, *args: str) -> None:
    """Worker mode (``run.py --worker KIND N ...``): the parts that import biblio and the generator."""
    sys.path.insert(0, str(BENCH))
    import generate

    if kind == "manifest":  # manifest N PATH
        generate.write_manifest(int(n), args[0])
    elif kind == "catalogue":  # catalogue N FOLDER: N YAML manifests of 10 articles, seeds 0..N-1
        for seed in range(int(n)):
            generate.write_manifest(10, Path(args[0]) / f"issue-{seed:05}.yaml", seed=seed)
    elif kind == "crossref":  # crossref N RECORDS REPEATS
        print(json.dumps(work_crossref(int(n), Path(args[0]), int(args[1]))))


# --- the report ------------------------------------------------------------------------------

def machine() -> dict:
    git = lambda *a: subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True, check=False).stdout.strip()
    info = {"cpus": os.cpu_count(), "usable_cpus": len(os.sched_getaffinity(0)), "python": platform.python_version(),
            "platform": platform.platform(), "load_at_start": os.getloadavg(),
            "git": git("rev-parse", "--short", "HEAD"),
            "src_modified": bool(git("status", "--porcelain", "src"))}
    try:
        cpuinfo, meminfo = Path("/proc/cpuinfo").read_text().splitlines(), Path("/proc/meminfo").read_text().split()
        info["cpu"] = next(line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name"))
        info["memory_gb"] = round(int(meminfo[meminfo.index("MemTotal:") + 1]) / 1024 ** 2, 1)
    except (OSError, StopIteration, ValueError):
        pass
    return info


def verdicts(r: dict) -> list[tuple[str, str, str]]:
    """(target, measured, met) rows; a target measured at a size other than its own is not judged."""
    def met(ok: bool, part: str, size: int) -> str:
        if part == "small" and size < TARGET_N[part]:
            return f"not judged ({size} runs, the target asks ≥ 7)"
        if part != "small" and size != TARGET_N[part]:
            return f"not judged (N={size:,}, the target's N={TARGET_N[part]:,})"
        return "**met**" if ok else "**not met**"

    rows = []
    if s := r.get("small"):
        for jobs, label in (("default", "default jobs"), ("1", "-j 1")):
            x = s["by_jobs"][jobs]
            rows.append((f"10-article issue, {label}: no slower than {s['baseline']} (new/old ≤ 1.00)",
                         f"{x['ratio']:.2f}× ({x['new_median_s']:.3f} s vs {x['old_median_s']:.3f} s)",
                         met(x["ratio"] <= 1.0, "small", s["repeats"])))
    for g in r.get("large", []):
        rows.append((f"{g['n']:,}-article single issue ≤ 40 s", f"{g['wall_s']:.1f} s",
                     met(g["wall_s"] <= 40, "large", g["n"])))
        memory = (f"{g['tree_pss_mb']:.0f} MB (summed RSS {g['tree_rss_mb']:.0f} MB; largest process "
                  f"{g['largest_mb']:.0f} MB)")
        rows.append((f"{g['n']:,}-article single issue ≤ 600 MB peak (summed PSS of the process tree)", memory,
                     met(g["tree_pss_mb"] <= 600, "large", g["n"])))
    if c := r.get("catalogue"):
        rows.append((f"catalogue of {c['issues']:,} issues × 10 articles: -j 2 ≤ 0.55× -j 1",
                     f"{c['ratio']:.2f}× ({c['j2_median_s']:.1f} s vs {c['j1_median_s']:.1f} s)",
                     met(c["ratio"] <= 0.55, "catalogue", c["issues"])))
    if x := r.get("crossref"):
        speed = (f"{x['ratio']:.1f}× ({x['biblio_per_s']:,.0f} vs {x['commonmeta_per_s']:,.0f} articles/s, "
                 f"N={x['n']:,})")
        rows.append(("Crossref write + validate ≥ 10× commonmeta-py", speed,
                     met(x["ratio"] >= 10, "crossref", x["n"])))
    return rows


def table(header: list[str], rows: list[list]) -> list[str]:
    return ["| " + " | ".join(map(str, row)) + " |" for row in [header, ["---"] * len(header), *rows]]


def report(r: dict, notes: str) -> str:
    m, loads = r["machine"], lambda xs: " / ".join(f"{x:.2f}" for x in xs)
    spread = lambda xs: f"{median(xs):.3f} ({min(xs):.3f}–{max(xs):.3f})"
    quick = " — **a quick run**: reduced sizes, the targets are not judged." if r["quick"] else "."
    lines = ["# biblio benchmark: issue 14's speed targets", "",
             f"Made by `bench/run.py` on {r['date']} in {r['total_s'] / 60:.1f} min: `{r['command']}`{quick}", "",
             (f"Machine: {m['cpus']} CPUs ({m['usable_cpus']} usable), {m.get('cpu', '?')}, "
              f"{m.get('memory_gb', '?')} GB; load average at start {loads(m['load_at_start'])}, at end "
              f"{loads(r['load_at_end'])}; Python {m['python']}; code {m['git']}"
              f"{' with uncommitted changes in src/' if m['src_modified'] else ''}."),
             "", "## Targets", ""]
    lines += table(["target", "measured", "met"], [list(row) for row in verdicts(r)]
                   + [[part, f"not measured: {why}", "–"] for part, why in r["failed"].items()])
    if s := r.get("small"):
        lines += ["", f"## 1. A 10-article issue: this tree against {s['baseline']}", "", HOW["small"].format(**s), ""]
        lines += table(["jobs", f"{s['baseline']} wall", "new wall", "new / old", f"{s['baseline']} CPU", "new CPU"],
                       [[jobs, spread(x["old_s"]), spread(x["new_s"]), f"{x['ratio']:.2f}×",
                         f"{x['old_cpu_median_s']:.3f}", f"{x['new_cpu_median_s']:.3f}"]
                        for jobs, x in s["by_jobs"].items()])
    if r.get("large"):
        lines += ["", "## 2. One large issue", "", HOW["large"], ""]
        lines += table(["N", "manifest MB", "wall s", "CPU s", "tree PSS MB", "tree RSS MB", "largest process MB",
                        "files"],
                       [[f"{g['n']:,}", f"{g['manifest_mb']:.1f}", f"{g['wall_s']:.1f}", f"{g['cpu_s']:.1f}",
                         f"{g['tree_pss_mb']:.0f}", f"{g['tree_rss_mb']:.0f}", f"{g['largest_mb']:.0f}",
                         f"{g['files']:,}"]
                        for g in r["large"]])
    if c := r.get("catalogue"):
        lines += ["", "## 3. A catalogue", "", HOW["catalogue"].format(**c), ""]
        lines += table(["jobs", "wall s (median)", "runs, s", "tree PSS MB"],
                       [[j, f"{c[f'j{j}_median_s']:.1f}", ", ".join(f"{t:.1f}" for t in c[f"j{j}_s"]),
                         f"{c['tree_pss_mb'][j]:.0f}"] for j in ("1", "2")])
    if x := r.get("crossref"):
        cm = x["commonmeta"]
        lines += ["", f"## 4. Crossref write + validate against commonmeta-py {cm['version']}", "",
                  HOW["crossref"].format(**x, **cm), ""]
        lines += table(["", "write s", "validate s", "write + validate s", "articles/s", "first validation s"],
                       [[name, f"{t['write_median_s']:.3f}", f"{t['validate_median_s']:.3f}",
                         f"{t['write_median_s'] + t['validate_median_s']:.3f}", f"{x[key]:,.0f}",
                         f"{t['first_validate_s']:.2f}"]
                        for name, t, key in (("biblio", x["biblio"], "biblio_per_s"),
                                             ("commonmeta-py", cm, "commonmeta_per_s"))])
    return "\n".join([*lines, "", "## Notes", "", "<!-- notes -->", notes.strip("\n"), "<!-- /notes -->", ""])


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--worker"]:
        work(*argv[1:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: 3 runs, 200 articles, 20 issues, N=50")
    parser.add_argument("--only", default=",".join(PARTS), help=f"parts to run (default all: {','.join(PARTS)})")
    parser.add_argument("--baseline", default="c0be41d", help="git revision for the 10-article build (default c0be41d)")
    parser.add_argument("--repeats", type=int, help="runs of each 10-article build (default 7; quick 3)")
    parser.add_argument("--sizes", help="articles of each large single issue, comma-separated (default 10000; "
                        "quick 200)")
    parser.add_argument("--large-repeats", type=int, default=1, help="builds of each large issue (default 1)")
    parser.add_argument("--catalogue", type=int, help="issues in the catalogue (default 1000; quick 20)")
    parser.add_argument("--catalogue-repeats", type=int, default=1, help="builds of the catalogue per -j (default 1)")
    parser.add_argument("--crossref-n", type=int, help="articles for the Crossref comparison (default 1000; quick 50)")
    parser.add_argument("--crossref-repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=BENCH, help="folder of results.json and REPORT.md (default bench)")
    args = parser.parse_args(argv)
    q = args.quick
    parts = [p for p in args.only.split(",") if p]
    if unknown := set(parts) - set(PARTS):
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that the worktree and the work folder go
    results: dict = {"date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
                     "command": " ".join([".venv/bin/python", "bench/run.py", *argv]), "quick": q,
                     "machine": machine(), "failed": {}}
    started, work_dir = time.perf_counter(), Path(tempfile.mkdtemp(prefix="biblio-bench-"))
    try:
        for part in parts:
            log(f"{part} ...")
            try:
                if part == "small":
                    results[part] = bench_small(work_dir, args.baseline, args.repeats or (3 if q else 7))
                elif part == "large":
                    results[part] = [bench_large(work_dir, int(n), args.large_repeats)
                                     for n in (args.sizes or ("200" if q else "10000")).split(",")]
                elif part == "catalogue":
                    results[part] = bench_catalogue(work_dir, args.catalogue or (20 if q else 1000),
                                                    args.catalogue_repeats)
                else:
                    results[part] = bench_crossref(work_dir, args.crossref_n or (50 if q else 1000),
                                                   args.crossref_repeats)
            except Exception as error:  # noqa: BLE001 - one part failing leaves the others measured
                results["failed"][part] = " ".join(f"{type(error).__name__}: {error}".split())[:800]
                log(f"  {part} failed: {results['failed'][part]}")
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    results |= {"total_s": time.perf_counter() - started, "load_at_end": os.getloadavg()}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    notes, previous = DEFAULT_NOTES, args.out / "REPORT.md"
    if previous.exists() and "<!-- notes -->" in (text := previous.read_text(encoding="utf-8")):
        notes = text.split("<!-- notes -->", 1)[1].split("<!-- /notes -->", 1)[0]
    previous.write_text(report(results, notes), encoding="utf-8")
    for target, measured, met in verdicts(results):
        print(f"{target}: {measured} -> {met.strip('*')}")
    for part, why in results["failed"].items():
        print(f"{part}: not measured: {why}")
    return 1 if results["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
