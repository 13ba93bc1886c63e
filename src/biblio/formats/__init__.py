"""The format registry: one entry per output format, shared by the API and the CLI.

A format module registers a ``Format`` whose functions work on the model; ``biblio
build`` writes and validates every registered format, so the build grows as formats
are added.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..model import Article, Issue
from ..problems import Problem

Writer = Callable[..., tuple[list[Path], list[Problem]]]  # (issue, folder, *, dois=None[, lang=None])
Validator = Callable[[Path], list[Problem]]
Detector = Callable[[Path], bool]
Reader = Callable[[Path], "tuple[Issue | None, list[Problem]]"]


class ArticleReading:
    """Iterate for the articles, one at a time; `problems` grows as they are read; `issue` is the
    issue without its articles (None until the first article is read, and None at the end when
    there was none).

    A reader of millions of records cannot hand back a whole issue: the caller keeps what it
    wants of each article. ``articles(reading)`` is the format's generator; it fills ``issue``
    and ``problems`` as it goes. Later records may still add to ``issue`` (a journal title in
    another language, say), so it is complete only once the iteration is exhausted; then
    ``issue`` with the yielded articles, and ``problems``, are what the format's ``read``
    returns (``collect`` is that ``read``). One pass: a second iteration yields nothing.
    """

    def __init__(self, articles: Callable[[ArticleReading], Iterator[Article]]) -> None:
        self.issue: Issue | None = None
        self.problems: list[Problem] = []
        self._articles = articles(self)

    def __iter__(self) -> Iterator[Article]:
        return self._articles

    def collect(self) -> tuple[Issue | None, list[Problem]]:
        """Iterate, collect, assemble: the whole issue, as ``read`` returns it."""
        articles = list(self)
        if self.issue is not None:
            self.issue.articles = articles
        return self.issue, self.problems


@dataclass(frozen=True)
class Format:
    """What biblio needs to know about one output format.

    ``write(issue, folder, dois=None)`` puts the issue (or the articles with those DOIs)
    into a folder and returns the files it wrote and the problems it met, including
    fields the format cannot carry; ``validate`` checks one file against the format's
    official schema (or, without one, by re-reading it); ``detect`` tells whether a file
    is in this format. A ``per_language`` format carries one language per item, so its
    writer also takes ``lang=`` and ``build`` writes it once per language of the issue;
    its ``write_many``, where it has one, writes all those languages in one pass over the
    articles (a spooled issue unpickles an article on every read).
    """

    name: str
    description: str
    write: Writer
    validate: Validator
    detect: Detector
    file_name: str | None = None  # the one file a single-file format writes; None: one file per article
    read: Reader | None = None  # a file of this format back into the model, where the format has a reader
    per_language: bool = False
    # write_many(issue, folder, langs, *, dois=None): one result per entry of langs, each what
    # write(issue, folder, dois=dois, lang=lang) returns, the articles read once for all of them
    write_many: Callable | None = None
    # iter_read(path): the reading one article at a time, for files too big to hold whole;
    # read(path) is iter_read(path).collect() wherever both are registered
    iter_read: Callable[[Path], ArticleReading] | None = None


_REGISTRY: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    if fmt.name in _REGISTRY:
        raise ValueError(f"format {fmt.name!r} is registered twice")
    _REGISTRY[fmt.name] = fmt
    return fmt


def unregister(name: str) -> None:
    _REGISTRY.pop(name, None)


def registered() -> list[Format]:
    """The formats in registration order."""
    return list(_REGISTRY.values())


def get(name: str) -> Format | None:
    return _REGISTRY.get(name)


def detect(path: Path) -> Format | None:
    """The registered format a file is written in, or None."""
    return next((fmt for fmt in _REGISTRY.values() if fmt.detect(path)), None)


def _register_builtin() -> None:
    from . import bibtex, crossref, csl, jats, ris

    register(Format("crossref", f"Crossref deposit XML {crossref.VERSION} (one doi_batch for the issue)",
                    crossref.write, crossref.validate, crossref.detect, crossref.FILE_NAME))
    register(Format("jats", "JATS 1.3 Journal Publishing XML, one file per article (front matter, references)",
                    jats.write, jats.validate, jats.detect, read=jats.read))
    register(Format("csl", "CSL-JSON items (one language per file) for citation processors and Zotero",
                    csl.write, csl.validate, csl.detect, csl.FILE_NAME, read=csl.read, per_language=True,
                    write_many=csl.write_many, iter_read=csl.iter_read))
    register(Format("bibtex", "BibTeX/BibLaTeX entries (one language per file) for LaTeX, Zotero, JabRef",
                    bibtex.write, bibtex.validate, bibtex.detect, bibtex.FILE_NAME, read=bibtex.read,
                    per_language=True, write_many=bibtex.write_many))
    register(Format("ris", "RIS records (one language per file) for Zotero, EndNote, Mendeley",
                    ris.write, ris.validate, ris.detect, ris.FILE_NAME, read=ris.read, per_language=True,
                    write_many=ris.write_many, iter_read=ris.iter_read))


_register_builtin()
