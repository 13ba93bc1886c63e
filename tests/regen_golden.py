"""Regenerate the golden files (`make golden`); review the diff before committing."""

from pathlib import Path

import biblio
from biblio.formats import crossref

ROOT = Path(__file__).resolve().parent.parent
CROSSREF_GOLDEN = ROOT / "tests" / "golden" / "crossref-issue-86.xml"


def golden_crossref(issue) -> bytes:
    """The deposit with a fixed timestamp and batch id, so that its bytes are reproducible."""
    data, _ = crossref.deposit(issue, timestamp=20250101000000, batch_id="biblio-golden")
    return data


if __name__ == "__main__":
    example, _ = biblio.load(ROOT / "examples" / "issue-86" / "issue.yaml")
    CROSSREF_GOLDEN.write_bytes(golden_crossref(example))
    print(f"wrote {CROSSREF_GOLDEN.relative_to(ROOT)}")
