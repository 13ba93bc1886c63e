"""CSL-JSON: the input of citation processors (citeproc-js, citeproc-py, pandoc) and of Zotero.

Each article is one ``article-journal`` item in one language (design.md §4, "Which
language?"). ``mapping`` declares the keys once; ``write`` writes the file (and gives
``items`` to ``biblio.cite``), ``read`` reads it back, ``validate`` checks it against the
official ``csl-data.json``; ``parse`` takes a file's items one at a time for both.
"""

from __future__ import annotations

from .. import Format
from .mapping import file_name
from .read import iter_read
from .validate import detect, validate
from .write import items, writer

FORMAT = Format("csl", "CSL-JSON items (one language per file) for citation processors and Zotero", writer,
                validate, detect, iter_read=iter_read, per_language=True, single_file=True)

__all__ = ["FORMAT", "detect", "file_name", "items", "iter_read", "validate", "writer"]
