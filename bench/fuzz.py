"""The fuzz campaign (issue 20): the fast slice's generators (``tests/fuzzing.py``) on many more inputs, each judged
in a worker process under a time limit, with a report of inputs tried and outcomes in ``bench/FUZZ.md``.

    .venv/bin/python bench/fuzz.py                  # 15 minutes, seed 20
    .venv/bin/python bench/fuzz.py --minutes 2      # a shorter run
    .venv/bin/python bench/fuzz.py --inputs 500     # a fixed number of inputs (the same ones for the same seed)

Each input is a seed (a manifest, or a file in one format built from the example or taken from tests/data) and one
to three mutations drawn from a fixed seed, so a run is reproducible and each failure is given with the seed name and
mutation list that rebuild it. One worker process, niced, judges the inputs one at a time; an input
that takes longer than ``--timeout`` seconds is a hang, and the worker is replaced. After each input the worker's
temporary folder must be empty again (staging folders removed). A new kind of failure is shrunk to the shortest
mutation list that still gives it. The report's part between ``<!-- notes -->`` markers is kept across runs.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import multiprocessing
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
TESTS = ROOT / "tests"
KINDS = ("manifest.yaml", "manifest.json", "crossref", "jats", "csl", "bibtex", "ris")
TARGETS = ("crossref", "jats", "csl", "bibtex", "ris")
LONG_FIELD = (25_000, 100_000, 400_000, 1_600_000, 3_200_000)  # characters of a Cyrillic BibTeX abstract
DEFAULT_NOTES = "- (hand-written notes on the latest run go here; bench/fuzz.py keeps them)\n"


# --- the worker: imports biblio, judges one input at a time -------------------------------------------------------

def worker(connection: Connection, temporary: str) -> None:
    """Judge the inputs the campaign sends; every temporary file biblio makes goes to ``temporary``, which must be empty
    after each input. Inputs are written to a folder of the worker's own, outside it."""
    os.environ["TMPDIR"] = temporary
    tempfile.tempdir = temporary
    sys.path.insert(0, str(TESTS))
    import fuzzing

    import biblio

    own = Path(tempfile.mkdtemp(prefix="fuzz-work-", dir=Path(temporary).parent))
    seeds = fuzzing.all_seeds(own / "seeds")
    connection.send([(seed.name, seed.kind) for seed in seeds])
    number = 0
    while True:
        job = connection.recv()
        if job is None:
            break
        started = time.perf_counter()
        if job[0] == "long-field":
            connection.send(_long_field(biblio, own, job[1]) | {"seconds": time.perf_counter() - started})
            continue
        _, index, mutations, target, strict = job
        seed = seeds[index]
        number += 1
        work = own / str(number)
        try:
            data = fuzzing.mutate(seed.data, mutations)
            outcome = fuzzing.judge(seed.kind, data, work, target=target, strict=strict)
        except Exception as error:  # the harness's own fault (biblio's calls are judged inside): counted apart
            connection.send({"verdict": "harness", "detail": f"{type(error).__name__}: {error}"[:300], "notes": [],
                             "size": 0, "seconds": time.perf_counter() - started})
            continue
        lost = re.search(r"the field (.+) is neither", outcome.detail) if outcome.verdict == "drop" else None
        if lost and lost.group(1).lower().encode() not in seed.data.lower():  # a name the mutation made up
            outcome.detail = outcome.detail.replace(f"the field {lost.group(1)}", f"a field not in the seed "
                                                    f"({lost.group(1)[:40]!r})")
        left = sorted(p.name for p in Path(temporary).iterdir())
        if left:
            outcome.fail("partial", f"left in the temporary folder: {', '.join(left[:3])}")
            for name in left:
                shutil.rmtree(Path(temporary) / name, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
        connection.send({"verdict": outcome.verdict, "detail": outcome.detail, "notes": outcome.notes,
                         "size": len(data), "seconds": time.perf_counter() - started})


def _long_field(biblio: Any, own: Path, size: int) -> dict[str, Any]:
    """Read a BibTeX entry whose abstract is ``size`` Cyrillic characters; the seconds ``load`` takes."""
    words = "Бұл мақалада отандық ғалымдардың тұжырымдарын есепке ала отырып мәдени бірегейлік қарастырылады ".split()
    text = " ".join(words[i % len(words)] for i in range(size // 8))[:size]
    path = own / f"long-{size}.bib"
    path.write_text("@article{long2025,\n  title = {Long},\n  author = {Nassimov, Murat},\n  journal = {J},\n"
                    f"  year = {{2025}},\n  abstract = {{{text}}},\n}}\n", encoding="utf-8")
    started = time.perf_counter()
    issue, problems = biblio.load(path)
    seconds = time.perf_counter() - started
    kept = max((len(t) for a in (issue.articles if issue else []) for t in a.abstracts.texts.values()), default=0)
    return {"size": size, "load": seconds, "kept": kept, "errors": sum(p.severity == "error" for p in problems)}


class Worker:
    """One worker process and its pipe; ``ask`` returns None when the answer does not come in time (the worker is then
    killed: it is ours, by its pid)."""

    def __init__(self, temporary: Path) -> None:
        context = multiprocessing.get_context("spawn")
        self.temporary = temporary
        self.connection, child = context.Pipe()
        self.process = context.Process(target=worker, args=(child, str(temporary)), daemon=True)
        self.process.start()
        child.close()
        self.seeds: list[tuple[str, str]] = self.connection.recv()
        self.died = False

    def ask(self, job: tuple[Any, ...], timeout: float) -> dict[str, Any] | None:
        """The answer; None when it does not come in time or the worker died (then the worker is gone: start
        another)."""
        try:
            self.connection.send(job)
            if self.connection.poll(timeout):
                answer: dict[str, Any] = self.connection.recv()
                return answer
        except (EOFError, OSError):  # the worker died: a crash of the interpreter itself
            self.died = True
        self.stop(kill=True)
        return None

    def stop(self, *, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            try:
                self.connection.send(None)
            except OSError:
                pass
        self.process.join(10)
        for leftover in self.temporary.iterdir():  # a killed worker's staging folders
            shutil.rmtree(leftover, ignore_errors=True)


# --- the campaign ---------------------------------------------------------------------------------------------------

def _key(verdict: str, detail: str) -> str:
    """A failure's kind: its verdict and message with paths, numbers, code points and quoted values blanked."""
    detail = re.sub(r"/tmp/[^\s:]+", "FILE", detail)
    detail = re.sub(r"(0x|#x|\\u|\\x)[0-9a-fA-F]+", "X", detail)
    detail = re.sub(r"'[^']{0,80}'|\"[^\"]{0,80}\"", "'…'", detail)
    detail = re.sub(r"\d+", "N", detail)
    return f"{verdict}: {detail[:110]}"


def campaign(args: argparse.Namespace) -> dict[str, Any]:
    sys.path.insert(0, str(TESTS))
    import fuzzing  # the generators only: mutations are drawn here, judged in the worker

    root = Path(tempfile.mkdtemp(prefix="biblio-fuzz-"))
    temporary = root / "tmp"
    temporary.mkdir()
    rng = random.Random(args.seed)
    started = time.monotonic()
    deadline = started + args.minutes * 60
    load_before = os.getloadavg()
    pool = Worker(temporary)
    seeds = pool.seeds
    by_kind: dict[str, list[int]] = collections.defaultdict(list)
    for index, (_, kind) in enumerate(seeds):
        by_kind[kind].append(index)
    tally: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    by_mutation: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    notes: collections.Counter[str] = collections.Counter()
    failures: dict[str, dict[str, Any]] = {}
    strict_pairs = 0
    harness: list[str] = []  # inputs the harness itself failed to make or judge (not counted)
    seconds: list[float] = []

    long_fields = []
    for size in LONG_FIELD:
        answer = pool.ask(("long-field", size), args.timeout)
        if answer is None:
            long_fields.append({"size": size, "load": None})
            pool = Worker(temporary)
            break
        long_fields.append(answer)
        if answer["load"] > args.timeout / 4:
            break

    inputs = 0
    while inputs < args.inputs and time.monotonic() < deadline:
        kind = KINDS[inputs % len(KINDS)]  # the categories in turn: each gets its share of the time
        index = rng.choice(by_kind[kind])
        mutations = fuzzing.random_mutations(rng, kind)
        target = rng.choice(TARGETS)
        strict = kind == "crossref" or kind.startswith("manifest")  # deposits, and the deposit a build writes
        inputs += 1
        answer = pool.ask(("judge", index, mutations, target, strict), args.timeout)
        if answer is None:
            detail = "the worker process died" if pool.died else f"no answer in {args.timeout:.0f} s"
            answer = {"verdict": "traceback" if pool.died else "hang", "detail": detail, "notes": [], "size": 0,
                      "seconds": args.timeout}
            pool = Worker(temporary)
        verdict = answer["verdict"]
        if verdict == "harness":
            harness.append(f"{seeds[index][0]} {mutations}: {answer['detail']}")
            inputs -= 1
            continue
        tally[kind][verdict] += 1
        seconds.append(answer["seconds"])
        if kind == "crossref":
            strict_pairs += 1
        for name, _ in mutations:
            by_mutation[name]["inputs"] += 1
            if verdict in fuzzing.FAILURES:
                by_mutation[name]["failures"] += 1
        for note in answer["notes"]:
            notes[re.sub(r"\d+", "N", note)[:100]] += 1
        if verdict not in fuzzing.FAILURES:
            continue
        key = _key(verdict, answer["detail"])
        if key in failures:
            failures[key]["count"] += 1
            failures[key]["kinds"].add(kind)
            continue
        shortest = mutations
        for fewer in ([m] for m in mutations) if len(mutations) > 1 else ():  # one mutation that does it alone
            again = pool.ask(("judge", index, fewer, target, strict), args.timeout)
            if again is None:
                pool = Worker(temporary)
            elif _key(again["verdict"], again["detail"]) == key:
                shortest = fewer
                break
        failures[key] = {"count": 1, "kinds": {kind}, "verdict": verdict, "detail": answer["detail"],
                         "seed": seeds[index][0], "seed_kind": kind, "mutations": shortest, "target": target,
                         "reproducer": fuzzing.reproducer(fuzzing.Seed(seeds[index][0], kind, b""), shortest)}
        print(f"[{inputs}] {key}", flush=True)
    pool.stop()
    shutil.rmtree(root, ignore_errors=True)
    return {"inputs": inputs, "tally": tally, "by_mutation": by_mutation, "notes": notes, "failures": failures,
            "strict_pairs": strict_pairs, "long_fields": long_fields, "seconds": seconds,
            "minutes": (time.monotonic() - started) / 60, "load": (load_before, os.getloadavg()),
            "failure_names": fuzzing.FAILURES, "harness": harness}


# --- the report -----------------------------------------------------------------------------------------------------

HOW = """\
Each input is one seed and one to three mutations (`tests/fuzzing.py`). **Seeds**: the example manifest and a small
two-article manifest, each as YAML and as JSON; every file `biblio build` writes of both (Crossref deposit, the JATS
articles, CSL-JSON, BibTeX and RIS in each language) and a two-article deposit; the third-party files under
`tests/data` (Zotero, JabRef, biblatex, Google Scholar BibTeX; EndNote, Mendeley, Scopus, Web of Science, Zotero RIS),
another publisher's JATS and a Zotero CSL-JSON export. **Mutations**: bit and byte flips, truncation, a line deleted,
doubled or swapped, a control character, odd Unicode (NBSP, zero-width, BOM, RTL override, full-width digits, a lone
surrogate as invalid UTF-8, …), a syntax token (YAML tags and anchors, JSON and BibTeX punctuation, XML entities, RIS
tags), a number made 20 to 20,000 digits long, nesting 50 to 3,000 deep, 5,000 to 60,000 characters of text, a word
replaced, another encoding (UTF-16, CP1251, BOM, CR line ends), an empty file, a DOCTYPE declaring an entity (a local
file, a URL, or text) used in a title; and for manifests, one value of the loaded data replaced by a hostile one (empty,
NUL, lone surrogate, 70,000 characters, huge or negative numbers, NaN, a list or mapping, bad dates and identifiers,
3,000-deep nesting), a key removed, an item doubled.

**Calls**: a manifest goes through `biblio.load`, `biblio.check`, `biblio.build` into a new folder and `biblio check
--json`; a file through `biblio.validate` (a deposit also with `strict=True`), `biblio.load` and `biblio.convert` to a
random format (readable formats), and `biblio validate --json`. **Outcomes**: *accepted* (no error); *refused* (errors,
each naming its file and a line or field path); or a failure: *traceback* (an exception, or an exit code other than 0
or 1); *hang* (no answer within the time limit); *unlocated* (an error without file, or reading a file without line
or field path; errors about the file as a whole, such as an unknown format or no record, are located by the file);
*unclear* (an error message holding a lone surrogate or a control character, which cannot be shown as given);
*partial* (an output folder holds a temporary or invalid file, or a staging folder is left in `$TMPDIR`);
*disagreement* (default and strict validation of a deposit give different verdicts, or a built deposit that passed the
default validation fails the strict one); *check-build* (`check` and `build` give different verdicts); *drop* (a
record, or a field of a read record, neither read nor named in a problem: records counted and fields listed
independently, fields compared with what the format's own writer gives back); *misread* (a read title or abstract
holds another field's syntax); *leak* (an external entity's content in a result). One outcome per input: the first
failure met."""


def _percent(part: int, whole: int) -> str:
    return f"{part:,} ({100 * part / whole:.1f} %)" if whole else "0"


def report(r: dict[str, Any], command: str, notes: str) -> str:
    failure_names: tuple[str, ...] = r["failure_names"]
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    code = _git("rev-parse", "--short", "HEAD") or "?"
    dirty = len([line for line in (_git("status", "--porcelain", "src") or "").splitlines() if line.strip()])
    load = " / ".join(f"{x:.2f}" for x in r["load"][0]), " / ".join(f"{x:.2f}" for x in r["load"][1])
    lines = [
        "# biblio fuzz campaign (issue 20)", "",
        f"Made by `bench/fuzz.py` on {now} in {r['minutes']:.1f} min: `{command}`.", "",
        f"Machine: {os.cpu_count()} CPUs, one niced worker; load average at start {load[0]}, at end {load[1]}; "
        f"Python {platform.python_version()}; code {code}"
        + (f" with uncommitted changes in {dirty} files under src/" if dirty else "") + ".", "",
        "## Outcomes per category", "",
    ]
    columns = ["accepted", "refused", *failure_names]
    lines += ["| category | inputs | " + " | ".join(columns) + " |", "| --- | ---: | " + " | ".join("---:" for _ in
                                                                                              columns) + " |"]
    total: collections.Counter[str] = collections.Counter()
    for kind in KINDS:
        counts = r["tally"].get(kind, collections.Counter())
        total.update(counts)
        lines.append(f"| {kind} | {sum(counts.values()):,} | " + " | ".join(f"{counts[c]:,}" for c in columns) + " |")
    lines.append(f"| **all** | **{r['inputs']:,}** | " + " | ".join(f"**{total[c]:,}**" for c in columns) + " |")
    failed = sum(total[c] for c in failure_names)
    times = sorted(r["seconds"]) or [0.0]
    lines += ["", f"Inputs: {r['inputs']:,}; failures: {_percent(failed, r['inputs'])}; seconds per input: median "
              f"{times[len(times) // 2]:.2f}, max {times[-1]:.1f}. Crossref deposits validated both ways: "
              f"{r['strict_pairs']:,}, disagreements among them in the table (*disagreement* also counts built "
              "deposits that fail the strict validation).", "",
              "## Per mutation", "", "| mutation | inputs with it | failures |", "| --- | ---: | ---: |"]
    for name, counts in sorted(r["by_mutation"].items(), key=lambda kv: -kv[1]["inputs"]):
        lines.append(f"| {name} | {counts['inputs']:,} | {counts['failures']:,} |")
    lines += ["", "## Long BibTeX fields", "",
              "`biblio.load` of one entry whose abstract is N Cyrillic characters (the worker's first jobs):", "",
              "| characters | seconds | per 1,000 characters | read back |", "| ---: | ---: | ---: | ---: |"]
    for entry in r["long_fields"]:
        if entry.get("load") is None:
            lines.append(f"| {entry['size']:,} | no answer in the time limit | | |")
            continue
        lines.append(f"| {entry['size']:,} | {entry['load']:.3f} | {1000 * entry['load'] / entry['size']:.5f} | "
                     f"{entry['kept']:,} |")
    lines += ["", "## Failures", ""]
    if not r["failures"]:
        lines.append("None.")
    for number, (key, f) in enumerate(sorted(r["failures"].items(), key=lambda kv: (kv[1]["verdict"],
                                                                                       -kv[1]["count"])), 1):
        lines += [f"### {number}. {f['verdict']}: {f['count']:,} input(s) ({', '.join(sorted(f['kinds']))})", "",
                  f"- what: `{f['detail'][:400].replace('`', chr(39))}`",
                  f"- first seen: seed `{f['seed']}`, mutations `{f['mutations']}`"
                  + (f", convert to {f['target']}" if f["seed_kind"] in ("jats", "csl", "bibtex", "ris") else ""),
                  "- reproduce (from the repository root):", "", "```python", f["reproducer"], "```", ""]
    if r["harness"]:
        lines += [f"The harness itself failed on {len(r['harness'])} input(s), not counted above:", ""]
        lines += [f"- `{entry}`" for entry in r["harness"][:10]] + [""]
    lines += ["## Notes counted (not failures)", ""]
    lines += [f"- {count:,} × {note}" for note, count in r["notes"].most_common()] or ["None."]
    lines += ["", "## How", "", HOW, "", "## Notes", "", "<!-- notes -->", notes.strip("\n"), "<!-- /notes -->", ""]
    return "\n".join(lines)


def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=15.0, help="stop after this long (default 15)")
    parser.add_argument("--inputs", type=int, default=10**9, help="stop after this many inputs")
    parser.add_argument("--seed", type=int, default=20, help="the random seed (default 20)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds an input may take (default 60)")
    parser.add_argument("--out", type=Path, default=BENCH / "FUZZ.md", help="the report (default bench/FUZZ.md)")
    args = parser.parse_args()
    os.nice(10)
    results = campaign(args)
    notes = DEFAULT_NOTES
    if args.out.exists() and "<!-- notes -->" in (text := args.out.read_text(encoding="utf-8")):
        notes = text.split("<!-- notes -->", 1)[1].split("<!-- /notes -->", 1)[0]
    command = " ".join([".venv/bin/python", "bench/fuzz.py", *sys.argv[1:]])
    args.out.write_text(report(results, command, notes), encoding="utf-8")
    print(f"{results['inputs']:,} inputs in {results['minutes']:.1f} min; report in {args.out}")


if __name__ == "__main__":
    main()
