"""Time and memory of `biblio extract` on the seed issue, and on the issue repeated k
times, to show that both grow linearly with the text.

Run: .venv/bin/python bench/extract_bench.py [--seed PATH] [--repeats 5] [--out bench/EXTRACT.md]

Each size runs in a fresh process (so peak RSS is that size's own); the table gives the
median wall time of the extraction call (imports excluded) and the peak traced Python
memory (tracemalloc) of one call.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SEED = ROOT.parent / "shared" / "seeds" / "000_0ad3b409a7571561.txt"

CHILD = r"""
import json, sys, time, tracemalloc
from biblio.extract import pipeline
text = open(sys.argv[1], encoding="utf-8").read() * int(sys.argv[2])
repeats = int(sys.argv[3])
pipeline.extract(text[:20000])  # warm the regex caches
times = []
for _ in range(repeats):
    start = time.perf_counter()
    result = pipeline.extract(text)
    times.append(time.perf_counter() - start)
tracemalloc.start()
pipeline.extract(text)
peak = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
print(json.dumps({"times": times, "peak": peak, "chars": len(text), "articles": len(result.articles)}))
"""


def measure(seed: Path, copies: int, repeats: int) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(seed), str(copies), str(repeats)],
                         check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=Path, default=DEFAULT_SEED)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "EXTRACT.md")
    args = parser.parse_args()
    rows = []
    for copies in args.sizes:
        result = measure(args.seed, copies, args.repeats)
        median = statistics.median(result["times"])
        rows.append((copies, result["articles"], result["chars"], median, result["peak"]))
        print(f"x{copies}: {result['articles']} articles, {median:.3f} s, peak {result['peak'] / 2**20:.1f} MiB",
              flush=True)
    base = rows[0]
    lines = [
        "# `biblio extract`: time and memory",
        "",
        (f"Command: `.venv/bin/python bench/extract_bench.py --repeats {args.repeats} "
        f"--sizes {' '.join(map(str, args.sizes))}`; run on {time.strftime('%Y-%m-%d %H:%M')}, "
        f"Python {platform.python_version()}, {platform.machine()}."),
        "",
        (f"Input: the seed issue ({args.seed.name}), and the same text repeated k times. "
        "Median wall time of `pipeline.extract` over the repeats (imports and the first call excluded); "
        "peak traced Python memory of one call."),
        "",
        "| copies | articles | characters | median s | s per issue | peak MiB | MiB per issue |",
        "|---|---|---|---|---|---|---|",
    ]
    for copies, articles, chars, median, peak in rows:
        lines.append(f"| {copies} | {articles} | {chars:,} | {median:.3f} | {median / copies:.3f} | "
                     f"{peak / 2**20:.1f} | {peak / 2**20 / copies:.1f} |")
    last = rows[-1]
    lines += ["", (f"Growth from x{base[0]} to x{last[0]}: time ×{last[3] / base[3]:.1f}, "
              f"memory ×{last[4] / base[4]:.1f} for ×{last[0] // base[0]} the text.")]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
