"""Every output and every report biblio gives for a fixed set of inputs, in one folder.

Made for changes that must keep behaviour (the redesign of issue 14): take a snapshot
before, one after, and compare them with ``diff -r``. The only values that differ
between runs, the deposit's timestamp and batch id, are replaced by fixed ones.

    python bench/snapshot.py /tmp/before
    ... change the code ...
    python bench/snapshot.py /tmp/after && diff -r /tmp/before /tmp/after

The inputs: the example issue, generated issues of several sizes (JSON and YAML), the
third-party BibTeX and RIS files under tests/data, and the issue text of the seeds. The
commands: check, build, export of each format, convert of every written or test file to
every format, validate, cite and extract, each with ``--json`` and as text.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import generate

FORMATS = ["crossref", "jats", "csl", "bibtex", "ris"]
SUFFIX = {"crossref": ".xml", "jats": "", "csl": ".csl.json", "bibtex": ".bib", "ris": ".ris"}
_STAMP = re.compile(rb"<timestamp>\d+</timestamp>")
_BATCH = re.compile(rb"<doi_batch_id>[^<]*</doi_batch_id>")
_JSON_STAMP = re.compile(rb"timestamp \(\d+\)")


def run(out: Path, name: str, *args: str) -> None:
    """One CLI call, run in ``out``; its exit code, stdout and stderr go to ``name``."""
    done = subprocess.run([sys.executable, "-m", "biblio", *args], cwd=out, capture_output=True, check=False)
    record = b"exit %d\n--- stdout\n%s--- stderr\n%s" % (done.returncode, done.stdout, done.stderr)
    (out / "reports" / name).write_bytes(record)


def normalise(folder: Path) -> None:
    """Fixed values where a deposit's head changes with the clock."""
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            fixed = _STAMP.sub(b"<timestamp>0</timestamp>", data)
            fixed = _BATCH.sub(b"<doi_batch_id>batch</doi_batch_id>", fixed)
            fixed = _JSON_STAMP.sub(b"timestamp (0)", fixed)
            if fixed != data:
                path.write_bytes(fixed)


def manifests(inputs: Path) -> list[Path]:
    made = [inputs / "issue-86.yaml"]
    shutil.copy(ROOT / "examples" / "issue-86" / "issue.yaml", made[0])
    for n, suffix, seed in ((1, ".json", 0), (10, ".json", 0), (100, ".json", 2), (30, ".yaml", 1)):
        made.append(generate.write_manifest(n, inputs / f"gen-{n}{suffix}", seed=seed))
    return made


def snapshot(out: Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    inputs = out / "inputs"
    inputs.mkdir(parents=True)
    (out / "reports").mkdir()
    for manifest in manifests(inputs):
        stem = manifest.stem
        rel = f"inputs/{manifest.name}"
        run(out, f"{stem}.check.txt", "check", rel)
        run(out, f"{stem}.check.json", "check", "--json", rel)
        run(out, f"{stem}.build.txt", "build", rel, "-o", f"build/{stem}")
        run(out, f"{stem}.build.json", "build", "--json", rel, "-o", f"build-json/{stem}")
        for fmt in FORMATS:
            run(out, f"{stem}.export-{fmt}.txt", "export", rel, "--to", fmt, "-o", f"export/{stem}/{fmt}{SUFFIX[fmt]}")
        run(out, f"{stem}.export-ris-en.txt", "export", rel, "--to", "ris", "--lang", "en",
            "-o", f"export/{stem}/ris-en.ris")
        run(out, f"{stem}.cite.txt", "cite", rel)
        run(out, f"{stem}.cite-apa-en.json", "cite", "--json", "--style", "apa", "--lang", "en", rel)
        run(out, f"{stem}.cite-toc.txt", "cite", "--toc", rel)
    sources = sorted(p.relative_to(out) for p in (out / "build").rglob("*") if p.is_file())
    tests_data = ROOT / "tests" / "data"
    for folder in ("bibtex", "ris"):
        for path in sorted((tests_data / folder).iterdir()):
            shutil.copy(path, inputs / path.name)
            sources.append(Path("inputs") / path.name)
    for source in sources:
        if source.suffix == ".xml" and source.name.startswith("crossref"):
            continue  # no Crossref reader
        if source.suffix == ".xml" and not source.name.endswith(".001.xml") and not source.name.endswith("1.xml"):
            continue  # one JATS file per issue is enough
        tag = str(source).replace("/", "_")
        run(out, f"validate.{tag}.json", "validate", "--json", str(source))
        for fmt in FORMATS:
            run(out, f"convert.{tag}.{fmt}.txt", "convert", str(source), "--to", fmt,
                "-o", f"convert/{tag}/{fmt}{SUFFIX[fmt]}")
    for seed in sorted((tests_data / "seeds").glob("*.txt")):
        shutil.copy(seed, inputs / seed.name)
        run(out, f"extract.{seed.stem}.txt", "extract", f"inputs/{seed.name}", "-o", f"extract/{seed.stem}.yaml")
        run(out, f"extract.{seed.stem}.json", "extract", "--json", f"inputs/{seed.name}")
    normalise(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the folder to write (replaced if it exists)")
    snapshot(parser.parse_args(argv).out.resolve())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
