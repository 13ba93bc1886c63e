"""Regenerate the golden files (`make golden`); review the diff before committing."""

from pathlib import Path

import biblio
from biblio.formats import MemoryOutput, crossref, dumps, jats

ROOT = Path(__file__).resolve().parent.parent
CROSSREF_GOLDEN = ROOT / "tests" / "golden" / "crossref-issue-86.xml"
JATS_GOLDEN = ROOT / "tests" / "golden" / "jats"


def crossref_deposit(issue, indexes=None, **options):
    """The deposit of an issue held in memory (only the articles at ``indexes``, when given), as the
    build writes it: (its bytes, or None when there is an error; the problems). ``options``:
    ``timestamp``, ``batch_id``."""
    output = MemoryOutput()
    writer = crossref.writer(issue, output, **options)
    for index in range(len(issue.articles)) if indexes is None else indexes:
        writer.add(index, issue.articles[index])
    problems = writer.close()
    if any(p.severity == "error" for p in problems):
        return None, problems
    return output.files()[crossref.FILE_NAME], problems


def golden_crossref(issue) -> bytes:
    """The deposit with a fixed timestamp and batch id, so that its bytes are reproducible."""
    data, _ = crossref_deposit(issue, timestamp=20250101000000, batch_id="biblio-golden")
    return data


def golden_jats(issue) -> dict[str, bytes]:
    """Each article's JATS file by file name."""
    return dumps(jats.FORMAT, issue)[0]


if __name__ == "__main__":
    example, _ = biblio.load(ROOT / "examples" / "issue-86" / "issue.yaml")
    CROSSREF_GOLDEN.write_bytes(golden_crossref(example))
    JATS_GOLDEN.mkdir(exist_ok=True)
    for old in JATS_GOLDEN.glob("*.xml"):
        old.unlink()
    for name, data in golden_jats(example).items():
        (JATS_GOLDEN / name).write_bytes(data)
    print(f"wrote {CROSSREF_GOLDEN.relative_to(ROOT)} and {JATS_GOLDEN.relative_to(ROOT)}/")
