"""JATS 1.3 Journal Publishing XML: one ``<article>`` file (front matter and references) per article.

``mapping`` declares the correspondences, ``write`` writes, ``read`` reads, ``validate``
checks against the official XSD; ``parse`` is the safe parsing both of the latter share.
"""

from __future__ import annotations

from .. import Format
from .mapping import file_name
from .read import iter_read
from .validate import detect, validate, validate_tree
from .write import JatsWriter, check

FORMAT = Format("jats", "JATS 1.3 Journal Publishing XML, one file per article (front matter, references)",
                JatsWriter, validate, detect, iter_read=iter_read, per_language=False, single_file=False,
                check=check)

__all__ = ["FORMAT", "detect", "file_name", "iter_read", "validate", "validate_tree"]
