"""The format registry: one entry per format, shared by the API and the CLI.

Each format is a package (``formats/crossref``, ``formats/jats`` ...) that declares its
field mapping once and registers a ``Format``:

- ``writer(issue, output, lang=None)`` opens a push-style ``Writer``. The build hands it
  the articles one at a time (``add(index, article)``, ``index`` being the article's
  0-based position in the issue, for ``{seq}`` and for messages), then ``close()``, which
  finishes the file(s) and returns the problems: language fallbacks, what the format
  cannot carry, errors that stop a file. ``issue`` gives the issue's facts (journal,
  numbers, settings); a writer never looks into ``issue.articles``, so the same writer
  serves an issue held in memory and one streamed from a large manifest.
- The writer names its own files and opens them through ``output.open(name)``: a folder
  being staged by the build, or memory for ``dumps``.
- ``validate(path)`` checks one written file against the format's official schema (or,
  without one, by re-reading it); ``detect(path)`` tells whether a file is in the format;
  ``iter_read(path)``, where the format has a reader, reads a file back one article at a
  time (``read`` collects it).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from ..model import Article, Issue
from ..problems import Problem


class Output(Protocol):
    """Where a writer puts its files: ``open(name)`` gives a binary stream for a file name."""

    def open(self, name: str) -> BinaryIO:
        """A new binary stream for the file ``name``; the writer closes it."""


class Writer(Protocol):
    """One format's writing of one issue (in one language, for the citation formats)."""

    def add(self, index: int, article: Article) -> None:
        """Write one article (``index``: its 0-based position in the issue)."""

    def close(self) -> list[Problem]:
        """Finish the file(s); what could not be carried, and any error that stops a file."""


class ArticleReading:
    """Iterate for the articles, one at a time; `problems` grows as they are read; `issue` is the issue without its
    articles (None until the first article is read, and None at the end when there was none).

    A reader of millions of records cannot hand back a whole issue: the caller keeps what it wants of each article.
    ``articles(reading)`` is the format's generator; it fills ``issue`` and ``problems`` as it goes. Later records may
    still add to ``issue`` (a journal title in another language, say), so it is complete only once the iteration is
    exhausted; then ``issue`` with the yielded articles, and ``problems``, are what ``read`` returns (``collect``). One
    pass: a second iteration yields nothing.
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
    """What biblio needs to know about one format (see the module's docstring).

    ``per_language``: the format carries one language per item, so a build writes it once in each article's own language
    (``lang=None``) and once per language of the issue. ``single_file``: the writer makes one file (the citation
    formats, Crossref); else one file per article (JATS). ``check``: the problems that stop the writer, found on the
    model (the writer reports the same ones), so that ``biblio check`` gives a build's verdict.
    """

    name: str
    description: str
    writer: Callable[..., Writer]  # writer(issue, output, lang=None)
    validate: Callable[[Path], list[Problem]]
    detect: Callable[[Path], bool]
    iter_read: Callable[[Path], ArticleReading] | None = None
    per_language: bool = False
    single_file: bool = True
    check: Callable[[Issue], list[Problem]] | None = None  # what the writer would refuse, found on the model

    def read(self, path: Path) -> tuple[Issue | None, list[Problem]]:
        """A file of this format back into the model (None when it has no reader)."""
        if self.iter_read is None:
            raise ValueError(f"the {self.name} format has no reader")
        return self.iter_read(Path(path)).collect()


class _KeptBytes(io.BytesIO):
    """A BytesIO whose bytes outlive its closing."""

    value = b""

    def close(self) -> None:
        if not self.closed:
            self.value = self.getvalue()
        super().close()


class MemoryOutput:
    """An ``Output`` kept in memory: each file's bytes by name, in the order opened."""

    def __init__(self) -> None:
        self.streams: dict[str, _KeptBytes] = {}

    def open(self, name: str) -> BinaryIO:
        """A stream kept in memory under ``name``."""
        stream = self.streams[name] = _KeptBytes()
        return stream

    def files(self) -> dict[str, bytes]:
        """Each file's bytes so far, by name."""
        return {name: stream.value if stream.closed else stream.getvalue() for name, stream in self.streams.items()}


def dumps(fmt: Format, issue: Issue, *, lang: str | None = None) -> tuple[dict[str, bytes], list[Problem]]:
    """The files a format makes of an issue held in memory, by name, and the problems."""
    output = MemoryOutput()
    writer = fmt.writer(issue, output, lang=lang)
    for index, article in enumerate(issue.articles):
        writer.add(index, article)
    problems = writer.close()
    return output.files(), problems


_REGISTRY: dict[str, Format] = {}


def register(fmt: Format, *, replace: bool = False) -> Format:
    """Add a format (at the end of the order), or with ``replace`` put it in place of the one
    registered under its name."""
    if fmt.name in _REGISTRY and not replace:
        raise ValueError(f"format {fmt.name!r} is registered twice")
    _REGISTRY[fmt.name] = fmt
    return fmt


def unregister(name: str) -> None:
    """Remove a format from the registry (a test, or a program that wants fewer formats)."""
    _REGISTRY.pop(name, None)


def registered() -> list[Format]:
    """The formats in registration order."""
    return list(_REGISTRY.values())


def get(name: str) -> Format | None:
    """The format registered under ``name``, or None."""
    return _REGISTRY.get(name)


def detect(path: Path) -> Format | None:
    """The registered format a file is written in, or None."""
    return next((fmt for fmt in _REGISTRY.values() if fmt.detect(path)), None)


def _register_builtin() -> None:
    from . import bibtex, crossref, csl, jats, ris

    for package in (crossref, jats, csl, bibtex, ris):
        register(package.FORMAT)


_register_builtin()
