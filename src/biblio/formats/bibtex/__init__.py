"""BibTeX / BibLaTeX: one ``@article`` per article, in one language per file (bibtexparser 2).

``mapping`` declares the fields and what cannot be carried, ``tex`` the escaping and its
inverse, ``keys`` the cite keys; ``write`` writes, ``read`` reads other tools' files too,
``validate`` re-parses and checks; ``parse`` is what the latter two share.
"""

from __future__ import annotations

from .. import Format
from .keys import cite_keys, unique_keys
from .mapping import FILE_NAME, file_name, langid, language_tag
from .read import iter_read, split_names
from .tex import tex_decode, tex_escape
from .validate import detect, validate
from .write import writer

FORMAT = Format("bibtex", "BibTeX/BibLaTeX entries (one language per file) for LaTeX, Zotero, JabRef",
                writer, validate, detect, iter_read=iter_read, per_language=True, single_file=True)

__all__ = ["FILE_NAME", "FORMAT", "cite_keys", "detect", "file_name", "iter_read", "langid", "language_tag",
           "split_names", "tex_decode", "tex_escape", "unique_keys", "validate", "writer"]
