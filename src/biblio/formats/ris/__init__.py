"""RIS: one ``TY  - JOUR`` record per article, one language per file (UTF-8, CRLF).

``mapping`` holds the tag table; ``parse`` is the streaming line scanner ``read`` and ``validate`` share.
"""

from __future__ import annotations

from .. import Format
from .mapping import FILE_NAME, file_name
from .parse import parse_date
from .read import iter_read, language, split_name
from .validate import detect, validate
from .write import RisWriter, abstract_lines, one_line

FORMAT = Format("ris", "RIS records (one language per file) for Zotero, EndNote, Mendeley", RisWriter, validate, detect,
                iter_read=iter_read, per_language=True, single_file=True)

__all__ = ["FILE_NAME", "FORMAT", "abstract_lines", "detect", "file_name", "iter_read", "language", "one_line",
           "parse_date", "split_name", "validate"]
