"""Writes bench/REPORT.md from bench/results.json (``run.py`` calls it; it also runs alone).

    .venv/bin/python bench/report.py [bench/results.json] [bench/REPORT.md]

The tables, the target comparison and the profiles are regenerated; the hand-written part
between ``<!-- notes -->`` and ``<!-- /notes -->`` in an existing report is kept.
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
NOTES_START, NOTES_END = "<!-- notes -->", "<!-- /notes -->"

FORMATS = ["crossref", "jats", "csl", "bibtex", "ris"]


def _mb(kb: float | None) -> str:
    return "–" if kb is None else f"{kb / 1024:,.0f}"


def _rate(n: int, seconds: float | None) -> float | None:
    return None if not seconds else n / seconds


def _fmt_rate(rate: float | None, extrapolated: bool = False) -> str:
    if rate is None:
        return "–"
    text = f"{rate:,.0f}" if rate >= 10 else f"{rate:,.1f}"
    return text + (" (extrap.)" if extrapolated else "")


def _fmt_s(seconds: float | None, extrapolated: bool = False) -> str:
    if seconds is None:
        return "–"
    text = f"{seconds:,.3f}" if seconds < 10 else f"{seconds:,.1f}"
    return text + (" (extrap.)" if extrapolated else "")


class Results:
    def __init__(self, data: dict):
        self.data = data
        self.sizes = data["sizes"]
        self.steps = {(s["step"], s["n"]): s for s in data["steps"] if "median" in s}
        self.failed = [s for s in data["steps"] if "failed" in s]
        self.builds = {b["n"]: b for b in data["builds"]}
        self.commonmeta = {c["n"]: c for c in data["commonmeta"] if "medians" in c}

    def median(self, step: str, n: int) -> tuple[float | None, bool]:
        """The median seconds of a step at N, or an extrapolation from the largest smaller N (linear)."""
        found = self.steps.get((step, n))
        if found:
            return found["median"], False
        smaller = [m for (s, m) in self.steps if s == step and m < n]
        if not smaller:
            return None, False
        base = max(smaller)
        return self.steps[(step, base)]["median"] * n / base, True

    def largest(self, step: str) -> int | None:
        measured = [m for (s, m) in self.steps if s == step]
        return max(measured) if measured else None

    def build_fit(self) -> tuple[float, float, float, float] | None:
        """Linear fits time = a + b*N and rss = c + d*N over the measured builds (two or more sizes)."""
        points = sorted(self.builds.items())
        if len(points) < 2:
            return None
        (n1, b1), (n2, b2) = points[-2], points[-1]
        slope = (b2["median"] - b1["median"]) / (n2 - n1)
        rss_slope = (b2["rss_peak_kb"] - b1["rss_peak_kb"]) / (n2 - n1)
        return b1["median"] - slope * n1, slope, b1["rss_peak_kb"] - rss_slope * n1, rss_slope

    def build_at(self, n: int) -> tuple[float | None, float | None, bool]:
        if n in self.builds:
            return self.builds[n]["median"], self.builds[n]["rss_peak_kb"], False
        fit = self.build_fit()
        if fit is None:
            return None, None, False
        a, b, c, d = fit
        return a + b * n, c + d * n, True


def _machine(results: dict) -> list[str]:
    m = results["machine"]
    packages = ", ".join(f"{k} {v}" for k, v in m.get("packages", {}).items())
    return [
        "| | |", "|---|---|",
        f"| CPU | {m.get('cpu')} ({m.get('cpus')} cores visible, {m.get('affinity', m.get('cpus'))} usable) |",
        f"| memory | {m.get('memory_gb')} GB |",
        f"| OS | {m.get('platform')} |",
        f"| Python | {m.get('python')} |",
        f"| packages | {packages}; PyYAML with libyaml: {m.get('libyaml')} |",
        f"| biblio | git {m.get('git')}{' + uncommitted changes in src/' if m.get('src_modified') else ''} |",
    ]


def _fast_status(data: dict) -> str:
    fast = data.get("fast_path", {})
    if fast.get("present"):
        return (f"`{fast['module']}.validate_fast` present ({fast.get('git', 'git state unknown')}); measured as "
                "`validate.crossref-fast`. "
                + ("`formats.crossref.validate_tree` uses it unless `strict=True`, so `biblio build` validates "
                   "Crossref with it; `validate.crossref` times the strict path explicitly."
                   if fast.get("used_by_build")
                   else "`formats.crossref` does not use it yet: `biblio build` validates with the strict path."))
    if fast.get("error"):
        return f"`{fast['module']}` exists but does not import: {fast['error']}"
    return "none (`biblio.crossref_fast` does not exist); only the strict xmlschema path is measured."


def _targets(r: Results) -> list[str]:
    rows = ["| target | measured | N | verdict |", "|---|---|---|---|"]

    def rate_row(label: str, step: str, target: float) -> None:
        n = max(r.sizes)
        seconds, extrapolated = r.median(step, n)
        if seconds is None:
            rows.append(f"| {label} ≥ {target:,.0f}/s | not measured | | – |")
            return
        rate = _rate(n, seconds)
        verdict = "**met**" if rate is not None and rate >= target else "**not met**"
        rows.append(f"| {label} ≥ {target:,.0f}/s | {_fmt_rate(rate, extrapolated)}/s | {n:,} | {verdict} |")

    rate_row("Crossref write", "write.crossref", 1000)
    fast = r.data.get("fast_path", {})
    if any(name == "validate.crossref-fast" for name, _ in r.steps):
        rate_row(f"Crossref validate, fast path (biblio.crossref_fast, {fast.get('git', '?')})",
                 "validate.crossref-fast", 1000)
        rate_row("Crossref validate, strict xmlschema path (`validate --strict`)", "validate.crossref", 1000)
    else:
        rate_row("Crossref validate (xmlschema path; no fast path exists)", "validate.crossref", 1000)
    rate_row("JATS write", "write.jats", 1000)
    rate_row("JATS validate", "validate.jats", 2500)
    rate_row("BibTeX write", "write.bibtex", 20000)
    rate_row("BibTeX validate", "validate.bibtex", 20000)
    rate_row("CSL-JSON write", "write.csl", 40000)
    rate_row("CSL-JSON validate (jsonschema)", "validate.csl", 20000)
    rate_row("CSL-JSON validate (biblio's file validator, as in build)", "validate.csl-file", 20000)
    rate_row("RIS write", "write.ris", 50000)
    rate_row("RIS validate", "validate.ris", 50000)

    seconds, rss, extrapolated = r.build_at(10000)
    mark = " (extrap.)" if extrapolated else ""
    if seconds is not None:
        rows.append(f"| `biblio build` 10,000 articles, all formats written + validated ≤ 20 s | "
                    f"{seconds:,.0f} s{mark} | 10,000 | {'**met**' if seconds <= 20 else '**not met**'} |")
        rows.append(f"| `biblio build` 10,000 articles peak RSS ≤ 600 MB (largest single process) | "
                    f"{rss / 1024:,.0f} MB{mark} | 10,000 | {'**met**' if rss / 1024 <= 600 else '**not met**'} |")
        pss = (r.builds.get(10000) or {}).get("tree_pss_peak_kb")
        if pss:
            rows.append(f"| `biblio build` 10,000 articles peak memory ≤ 600 MB (PSS summed over all its processes) | "
                        f"{pss / 1024:,.0f} MB | 10,000 | {'**met**' if pss / 1024 <= 600 else '**not met**'} |")
    else:
        rows.append("| `biblio build` 10,000 articles ≤ 20 s, ≤ 600 MB | not measured | | – |")
    builds = sorted(r.builds)
    if len(builds) >= 2:
        low, high = builds[-2], builds[-1]
        ratio = r.builds[high]["median"] / r.builds[low]["median"]
        factor = high / low
        rows.append(f"| build: {factor:.0f}× the articles costs ≤ {factor * 1.1:.0f}× the time | "
                    f"{ratio:.1f}× ({low:,} → {high:,}, measured) | {high:,} | "
                    f"{'**met**' if ratio <= factor * 1.1 else '**not met**'} |")
        if 10000 not in r.builds and high < 10000:
            t10, _, _ = r.build_at(10000)
            t1, _, _ = r.build_at(1000)
            if t10 and t1:
                rows.append(f"| build: 10× the articles (1,000 → 10,000) ≤ 11× the time | {t10 / t1:.1f}× "
                            f"(linear extrapolation, so it cannot show super-linear costs) | 10,000 | "
                            f"{'met (extrap.)' if t10 / t1 <= 11 else '**not met**'} |")
    ratios = _commonmeta_ratios(r)
    fast_ratios = _commonmeta_ratios(r, "validate.crossref-fast")
    for label, found in (("fast path", fast_ratios), ("strict path", ratios)):
        if not found:
            continue
        n, ratio, extrapolated = found[-1]
        rows.append(f"| ≥ 10× commonmeta-py on Crossref write + validate (biblio {label}) | {ratio:.1f}×"
                    f"{' (extrap.)' if extrapolated else ''} | {n:,} | {'**met**' if ratio >= 10 else '**not met**'} |")
    if not ratios and not fast_ratios:
        rows.append(f"| ≥ 10× commonmeta-py on Crossref write + validate | not measured: "
                    f"{r.data.get('commonmeta_status')} | | – |")
    return rows


def _throughput(r: Results, kind: str) -> list[str]:
    steps = [s for s in (["write.crossref", "write.jats", "write.csl", "write.bibtex", "write.ris"] if kind == "write"
                         else ["validate.crossref", "validate.crossref-fast", "validate.jats", "validate.csl",
                               "validate.csl-file",
                               "validate.bibtex", "validate.ris"])]
    header = "| step | " + " | ".join(f"N={n:,}: articles/s" for n in r.sizes) + " | " + \
             " | ".join(f"N={n:,}: median s" for n in r.sizes) + " | peak RSS MB (input MB) at largest N |"
    rows = [header, "|" + "---|" * (2 + 2 * len(r.sizes))]
    for step in steps:
        rates, seconds = [], []
        for n in r.sizes:
            median, extrapolated = r.median(step, n)
            runs = len(r.steps[(step, n)]["times"]) if (step, n) in r.steps else None
            few = f" ({runs} run{'s' if runs > 1 else ''})" if runs is not None and runs < r.data["repeats"] else ""
            rates.append(_fmt_rate(_rate(n, median), extrapolated) + few)
            seconds.append(_fmt_s(median, extrapolated))
        largest = r.largest(step)
        memory = "–"
        if not largest and not any(name == step for name, _ in r.steps):
            continue
        if largest:
            found = r.steps[(step, largest)]
            memory = f"{_mb(found['rss_peak_kb'])} ({_mb(found['rss_input_kb'])}) at {largest:,}"
        rows.append(f"| `{step}` | " + " | ".join(rates) + " | " + " | ".join(seconds) + f" | {memory} |")
    return rows


def _compile_rows(r: Results) -> list[str]:
    rows = ["| schema | compile s (median over workers) | runs |", "|---|---|---|"]
    for step, label in (("validate.crossref", "Crossref 5.5.0 (xmlschema XSD 1.1, strict path)"),
                        ("validate.crossref-fast", "Crossref 5.5.0 fast path (derive XSD 1.0 + lxml compile)"),
                        ("validate.jats", "JATS 1.3d2 (lxml)")):
        values = [s["compile_s"] for (name, _), s in r.steps.items() if name == step and "compile_s" in s]
        if values:
            rows.append(f"| {label} | {statistics.median(values):.2f} | {len(values)} |")
    return rows


def _builds(r: Results) -> list[str]:
    rows = [("| N | jobs | runs | median wall s | each run s | peak RSS MB (largest process) | peak PSS MB (all processes) "
            "| files valid | manifest MB |"),
            "|---|---|---|---|---|---|---|---|---|"]
    for n in r.sizes:
        if n in r.builds:
            b = r.builds[n]
            runs = ", ".join(f"{x:.1f}" for x in b["times"])
            valid = f"{b['runs'][-1]['valid_files']}/{b['runs'][-1]['files']}"
            source = f" (separate run, {b['source_started']})" if b.get("source") else ""
            jobs = b.get("jobs") if b.get("jobs") is not None else ("default" if "jobs" in b else "1 (serial)")
            pss = _mb(b["tree_pss_peak_kb"]) if b.get("tree_pss_peak_kb") else "–"
            rows.append(f"| {n:,}{source} | {jobs} | {len(b['runs'])} | {b['median']:.1f} | {runs} | "
                        f"{_mb(b['rss_peak_kb'])} | {pss} | {valid} | {b['manifest_bytes'] / 1e6:,.1f} |")
        else:
            seconds, rss, _ = r.build_at(n)
            if seconds is not None:
                manifest = r.data["prepared"].get(str(n), {}).get("manifest_bytes")
                rows.append(f"| {n:,} | | not run | {seconds:,.0f} (linear extrap.) | | {_mb(rss)} (extrap.) | | | "
                            f"{manifest / 1e6 if manifest else 0:,.1f} |")
    return rows


def _loads(r: Results) -> list[str]:
    rows = ["| reading | N | median s | articles/s | peak RSS MB | manifest MB |", "|---|---|---|---|---|---|"]
    for step, label in (("load", "`biblio.check` (whole issue + lint)"), ("read.stream", "`biblio.stream`")):
        for n in r.sizes:
            found = r.steps.get((step, n))
            if found:
                rows.append(f"| {label} | {n:,} | {found['median']:.2f} | {_fmt_rate(_rate(n, found['median']))} | "
                            f"{_mb(found['rss_peak_kb'])} | {found['bytes'] / 1e6:,.1f} |")
    return rows


def _validate_cli(data: dict) -> list[str]:
    found = data.get("validate_cli")
    if not found:
        return ["(not measured in this run: `--steps validate-cli`)"]
    if found.get("failed"):
        return ["failed:", "", "```", found["failed"][-1500:], "```"]
    rows = [(f"Command: `{found['command']}` (each call a new process; wall time includes Python's start-up and "
            "imports)."), "",
            ("| file | KB | first call s (fresh schema folder) | later calls s (median) | each later call s | "
            "peak RSS MB | exit |"), "|---|---|---|---|---|---|---|"]
    for row in found["rows"]:
        later = ", ".join(f"{x:.2f}" for x in row["later_s"])
        rows.append(f"| `{row['file']}` | {row['bytes'] / 1024:,.0f} | {row['first_s']:.2f} | "
                    f"{row['later_median_s']:.2f} | {later} | {_mb(row['later_rss_kb'])} | {row['exit']} |")
    return rows


def _commonmeta_ratios(r: Results, step: str = "validate.crossref") -> list[tuple[int, float, bool]]:
    """(N, commonmeta (write + validate) / biblio (write + validate), extrapolated) per N."""
    out = []
    for n, c in sorted(r.commonmeta.items()):
        med = c["medians"]
        write, _ = r.median("write.crossref", n)
        validate, extrapolated = r.median(step, n)
        cm_validate = med.get("crossref.validate")
        cm_extrapolated = False
        if cm_validate is None:
            smaller = [m for m, other in r.commonmeta.items() if m < n and "crossref.validate" in other["medians"]]
            if smaller:
                base = max(smaller)
                cm_validate = r.commonmeta[base]["medians"]["crossref.validate"] * n / base
                cm_extrapolated = True
        if write is None or validate is None or cm_validate is None or "crossref.write" not in med:
            continue
        ratio = (med["crossref.write"] + cm_validate) / (write + validate)
        out.append((n, ratio, extrapolated or cm_extrapolated))
    return out


def _commonmeta(r: Results) -> list[str]:
    status = r.data.get("commonmeta_status")
    lines = [f"Status: {status}."]
    failed = [c for c in r.data["commonmeta"] if "failed" in c]
    for c in failed:
        lines.append(f"\nN={c['n']}: the driver failed:\n\n```\n{c['failed'][-1500:]}\n```")
    if not r.commonmeta:
        return lines
    any_c = next(iter(r.commonmeta.values()))
    lines.append(f"\ncommonmeta validates CSL with jsonschema-rs (Rust): {any_c.get('jsonschema_rs')}. "
                 f"Import of `commonmeta`: {any_c.get('import_s', 0):.2f} s.\n")
    keys = ["read", "crossref.write", "crossref.validate", "bibtex.write", "csl.write", "csl.validate"]
    lines.append("| N | " + " | ".join(f"`{k}` articles/s" for k in keys) + " | Crossref compile s | "
                 "per-record API (write + validate each) articles/s | peak RSS MB | output checks |")
    lines.append("|" + "---|" * (len(keys) + 5))
    for n, c in sorted(r.commonmeta.items()):
        med = c["medians"]
        cells = [_fmt_rate(_rate(n, med.get(k))) if k in med else "skipped" for k in keys]
        single = _fmt_rate(_rate(c.get("single_n", 0), med.get("crossref.single"))) if "crossref.single" in med else "–"
        checks = (f"Crossref valid: {c.get('crossref_valid', 'not checked')}; {c.get('crossref_articles', '?')} journal_article elements; "
                  f"CSL valid: {c.get('csl_valid')}; BibTeX entries: {c.get('bibtex_entries')}")
        if c.get("single_failed"):
            checks += f"; per-record failures: {c['single_failed']}/{c.get('single_n')}"
        compile_s = c["times"].get("crossref.compile", [None])[0]
        lines.append(f"| {n:,} | " + " | ".join(cells) + f" | {_fmt_s(compile_s)} | {single} "
                     f"(on {c.get('single_n', 0)}) | {_mb(c.get('rss_peak_kb'))} | {checks} |")
    notes = sorted({note for c in r.commonmeta.values() for note in c.get("notes", [])})
    if notes:
        lines.append("\nNotes from the driver: " + "; ".join(notes))
    errors = {c.get("crossref_errors") for c in r.commonmeta.values() if c.get("crossref_errors")}
    for error in errors:
        lines.append(f"\ncommonmeta's own Crossref output fails the XSD:\n\n```\n{error}\n```")

    lines.append("\nSide by side, same articles (seconds, median; biblio validate = lxml parse + xmlschema):\n")
    lines.append("| N | biblio write | biblio validate (strict) | biblio write + validate | commonmeta write | "
                 "commonmeta validate | commonmeta write + validate | ratio (commonmeta / biblio) | biblio fast "
                 "validate | ratio with biblio's fast path | biblio BibTeX write | commonmeta BibTeX write | "
                 "biblio CSL write + jsonschema | commonmeta CSL write + validate |")
    lines.append("|" + "---|" * 14)
    ratios = {n: (ratio, extrapolated) for n, ratio, extrapolated in _commonmeta_ratios(r)}
    fast_ratios = {n: (ratio, extrapolated) for n, ratio, extrapolated in
                   _commonmeta_ratios(r, "validate.crossref-fast")}
    for n, c in sorted(r.commonmeta.items()):
        med = c["medians"]
        write, _ = r.median("write.crossref", n)
        validate, extrapolated = r.median("validate.crossref", n)
        cm_write, cm_validate = med.get("crossref.write"), med.get("crossref.validate")
        ratio = ratios.get(n)
        bib, _ = r.median("write.bibtex", n)
        csl_w, _ = r.median("write.csl", n)
        csl_v, _ = r.median("validate.csl", n)
        lines.append(
            f"| {n:,} | {_fmt_s(write)} | {_fmt_s(validate, extrapolated)} | "
            f"{_fmt_s((write or 0) + (validate or 0), extrapolated)} | {_fmt_s(cm_write)} | "
            f"{_fmt_s(cm_validate) if cm_validate is not None else 'skipped'} | "
            f"{_fmt_s(cm_write + cm_validate) if cm_validate is not None and cm_write is not None else '–'} | "
            f"{f'{ratio[0]:.2f}×' + (' (extrap.)' if ratio[1] else '') if ratio else '–'} | "
            f"{_fmt_s(r.median('validate.crossref-fast', n)[0])} | "
            f"{f'{fast_ratios[n][0]:.1f}×' if n in fast_ratios else '–'} | {_fmt_s(bib)} | "
            f"{_fmt_s(med.get('bibtex.write'))} | {_fmt_s((csl_w or 0) + (csl_v or 0))} | "
            f"{_fmt_s(med.get('csl.write', 0) + med.get('csl.validate', 0))} |")
    return lines


def _profiles(r: Results) -> list[str]:
    lines = []
    for p in r.data.get("profiles", []):
        if "failed" in p:
            lines.append(f"### `{p['step']}` N={p['n']}: profiling failed\n\n```\n{p['failed']}\n```\n")
            continue
        if not p.get("profile"):
            continue
        lines.append(f"### `{p['step']}`, N={p['n']:,} ({p.get('median', 0):.1f} s under cProfile)\n")
        for key in ("tottime", "cumulative"):
            lines.append(f"Top entries by {key}:\n\n```\n{p['profile'][key]}\n```\n")
    return lines


def render(data: dict, notes: str) -> str:
    r = Results(data)
    out = [
        "# biblio benchmarks",
        "",
        "Generated by `bench/run.py` (tables) — the notes section is written by hand and kept across runs.",
        ("Synthetic issues from `bench/generate.py`: trilingual (kk/ru/en) articles with ~200-word abstracts, "
        "3 authors with ORCID iDs and names in Cyrillic and Latin, 5 keywords per language, funding with an award "
        "number, 20 references with DOIs, pages, dates, licence; a landing-page pattern and depositor settings."),
        "",
        f"Command: `{data['command']}`",
        "",
        (f"Run on {data['started']}, {data['elapsed_s'] / 60:.1f} min in all; sizes "
         f"{', '.join(f'{n:,}' for n in r.sizes)}; "
        f"{data['repeats']} repeat(s) per step, tables give medians. Caps: strict Crossref validation up to "
        f"N={data['caps']['crossref_validate_max']:,}, `biblio build` up to N={data['caps']['build_max']:,}, "
        f"manifest load up to N={data['caps']['load_max']:,}; larger sizes are linear extrapolations, marked "
        "\"extrap.\"."),
        "",
        "## Machine",
        "",
        *_machine(data),
        "",
        f"Fast Crossref validation path: {_fast_status(data)}",
        "",
        NOTES_START,
        notes.strip("\n") or "(no notes yet)",
        NOTES_END,
        "",
        "## Targets",
        "",
        *_targets(r),
        "",
        "## Write throughput (articles/s)",
        "",
        "Each step in its own process; the input issue is unpickled first (its RSS is the \"input MB\").",
        "",
        *[f"- `{step}`: {text}" for step, text in _help().items() if step.startswith("write.")],
        "",
        *_throughput(r, "write"),
        "",
        "## Validate throughput (articles/s)",
        "",
        *[f"- `{step}`: {text}" for step, text in _help().items() if step.startswith("validate.")],
        "",
        *_throughput(r, "validate"),
        "",
        "Schema compile time, once per process (not in the rates above):",
        "",
        *_compile_rows(r),
        "",
        "## `biblio build` end to end",
        "",
        ("`.venv/bin/biblio build issue-N.json -o DIR --json` as a subprocess on a JSON manifest written with "
        "`biblio.dump`: manifest load + checks, then every format written and validated (Crossref, one JATS file "
        "per article, CSL-JSON, BibTeX and RIS in the articles' own languages and once per language). "
        "With `--jobs` above 1 the formats are written and validated in forked worker processes. Wall time; "
        "the peak RSS of the largest single process (`ru_maxrss` via `os.wait4`); and the peak of the PSS summed "
        "over the build and its workers, sampled every 0.1 s from /proc (PSS shares a copy-on-write page "
        "between the processes that map it)."),
        "",
        *_builds(r),
        *[f"\nThe {b['n']:,}-article build comes from a separate run, merged with `--merge-builds`: "
          f"`{b['source_command']}`" for b in data["builds"] if b.get("source")],
        "",
        "Reading the manifest alone, in a worker: `biblio.check` (parse, lazy positions, the whole model, lint) "
        "and `biblio.stream` (the articles one at a time, each let go once counted):",
        "",
        *_loads(r),
        "",
        "## `biblio validate` on one file, first and later calls",
        "",
        *_validate_cli(data),
        "",
        "## commonmeta-py 0.312 on the same articles",
        "",
        ("The articles are converted to commonmeta v1.0 JSON records (titles and abstracts in every language, "
        "contributors with ORCID, ROR affiliations and CRediT roles, container with ISSNs, volume, issue and "
        "pages, dates, funding with award numbers, licence, keywords, 20 references with DOI and printed text) "
        "and fed to `MetadataList(..., via=\"commonmeta\")`, then written with its own writers "
        "(`bench/commonmeta_driver.py`, run in `bench/.venv-commonmeta`). commonmeta writes one `journal` "
        "element per article (journal metadata and issue repeated); biblio writes one journal and issue with "
        "all articles and carries more (alternative names, an abstract per language with xml:lang, CRediT, "
        "the registrant)."),
        "",
        *_commonmeta(r),
        "",
        "## Profiles",
        "",
        *_profiles(r),
    ]
    if r.failed:
        out += ["## Failed steps", ""]
        for s in r.failed:
            out += [f"`{s['step']}` N={s['n']}:", "", "```", s["failed"][-1500:], "```", ""]
    return "\n".join(out).rstrip() + "\n"


def _help() -> dict:
    sys.path.insert(0, str(BENCH))
    from run import STEP_HELP

    return STEP_HELP


def write(data: dict, path: Path) -> None:
    notes = ""
    if path.exists():
        text = path.read_text(encoding="utf-8")
        if NOTES_START in text and NOTES_END in text:
            notes = text.split(NOTES_START, 1)[1].split(NOTES_END, 1)[0]
    path.write_text(render(data, notes), encoding="utf-8")


def main(argv: list[str]) -> int:
    results = Path(argv[0]) if argv else BENCH / "results.json"
    target = Path(argv[1]) if len(argv) > 1 else BENCH / "REPORT.md"
    write(json.loads(results.read_text(encoding="utf-8")), target)
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
