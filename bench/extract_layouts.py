"""How much of each hand-made issue text `biblio extract` reads right, and how fast.

Texts and their truth: tests/data/extract/*.txt and expected.json (one journal layout or
language each). Prints, per field, the share found right over all texts, then the time
per issue. ORCIDs are scored where the truth lists them (one per author, null for none: an iD
given to the wrong person counts as wrong). Run: .venv/bin/python bench/extract_layouts.py
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from biblio.extract.pipeline import Extraction, extract

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "extract"


def _family(name: Any) -> str | None:
    return getattr(name, "family", None)


def score(extraction: Extraction, truth: dict[str, Any]) -> dict[str, list[bool]]:
    """Per field, one bool per expected value: was it found right."""
    issue = extraction.issue
    got_journal = next(iter(issue.journal.titles.texts.values()), None)
    hits: dict[str, list[bool]] = {"header": [got_journal == truth["journal"], issue.volume == truth["volume"],
                                              issue.number == truth["number"], (issue.year or None) == truth["year"]]}
    for name in ("titles", "authors", "orcids", "dois", "keywords", "language", "references", "awards"):
        hits[name] = []
    for k, want in enumerate(truth["articles"]):
        art = issue.articles[k] if k < len(issue.articles) else None
        lang = want["language"]
        hits["language"].append(art is not None and art.language == lang)
        hits["titles"].append(art is not None and art.titles.texts.get(lang) == want["title"])
        families = [_family(c.names.get(lang)) for c in art.contributors] if art else []
        hits["authors"] += [k2 < len(families) and families[k2] == f for k2, f in enumerate(want["authors"])]
        orcids = [c.orcid for c in art.contributors] if art else []
        hits["orcids"] += [k2 < len(orcids) and orcids[k2] == o for k2, o in enumerate(want.get("orcids", []))]
        hits["dois"].append(art is not None and art.doi == want["doi"])
        words = art.keywords.get(lang, []) if art else []
        hits["keywords"] += [w in words for w in want["keywords"]]
        hits["awards"] += [art is not None and any(a in f.awards for f in art.funding) for a in want.get("awards", [])]
        refs = art.references if art else []
        for k3, ref in enumerate(want["references"]):
            got = refs[k3] if k3 < len(refs) else None
            hits["references"].append(got is not None and all(getattr(got, key) == value for key, value in ref.items()))
    return hits


def main() -> int:
    truth = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
    totals: dict[str, list[bool]] = {}
    seconds = 0.0
    rounds = 20
    for name, want in truth.items():
        text = (DATA / name).read_text(encoding="utf-8")
        start = time.perf_counter()
        for _ in range(rounds):
            extraction = extract(text, file=name)
        seconds += (time.perf_counter() - start) / rounds
        for field_name, hits in score(extraction, want).items():
            totals.setdefault(field_name, []).extend(hits)
    print(f"{len(truth)} texts")
    for field_name, hits in totals.items():
        print(f"{field_name:11} {sum(hits):3}/{len(hits):<3} {100 * sum(hits) / max(1, len(hits)):5.1f}% right")
    print(f"time per issue: {1000 * seconds / len(truth):.2f} ms (mean of {rounds} runs each)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
