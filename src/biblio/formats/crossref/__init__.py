"""Crossref deposit XML, schema 5.5.0: one ``doi_batch`` per issue (``write.py``), the field mapping
(``mapping.py``), and validation (``validate.py``: the derived XSD 1.0 form of the official schema
with lxml plus Python checks, streamed; ``strict=True``: the official XSD 1.1 with xmlschema).

Tests inject the deposit's timestamp and batch id through the writer's keyword-only arguments:
``writer(issue, output, timestamp=..., batch_id=...)``.
"""

from __future__ import annotations

from .. import Format
from .mapping import AI, CREDIT_ROLES, FILE_NAME, FR, JATS, MAX_TITLES, NS, TIMESTAMP_DIGITS, VERSION
from .validate import compare_with_previous, detect, validate
from .require import check
from .write import next_timestamp, writer

FORMAT = Format("crossref", f"Crossref deposit XML {VERSION} (one doi_batch for the issue)", writer, validate,
                detect, iter_read=None, per_language=False, single_file=True, check=check)

__all__ = [
    "AI", "CREDIT_ROLES", "FILE_NAME", "FORMAT", "FR", "JATS", "MAX_TITLES", "NS", "TIMESTAMP_DIGITS", "VERSION",
    "compare_with_previous", "detect", "next_timestamp", "validate", "writer",
]
