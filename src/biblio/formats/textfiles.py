"""One pass over an issue's articles for several files at once: what the citation formats'
``write_many`` share.

A build writes each citation format once per language. On a spooled issue every read of
an article unpickles it, so the languages are written side by side, each article read
once for all of them: ``Selection`` reads the articles, ``Window`` lets the writers (and
the ``derive`` helpers they call, which take an index) find the one at hand, and
``write_text_files`` puts each language's text into its own file atomically.
``shown_language`` tells which files repeat each other's entries (the file of each
article's own language repeats a language file, article by article), and ``NotCarried``
collects what a writer leaves out at one dict operation per article.
"""

from __future__ import annotations

import copy
import io
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO, TextIO

from .. import ids
from ..fileio import _UMASK
from ..model import Article, Issue
from ..problems import Problem

Result = tuple[list[Path], list[Problem]]


class Window(Sequence):
    """An issue's articles with only the one being written in reach.

    The writers and ``derive.localize``/``derive.landing_page`` look an article up by its
    index, several times per entry; through a window that costs nothing, where a spool
    would read the article again. Any other index is an error, so a writer that strays
    from the article at hand fails loudly instead of reading the spool behind our back.
    """

    def __init__(self, length: int) -> None:
        self.length = length
        self.index = -1
        self.article: Article | None = None

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, index):  # type: ignore[override]
        if index == self.index:
            return self.article
        raise IndexError(f"article {index} is not the one being written ({self.index})")

    def show(self, index: int, article: Article) -> None:
        self.index, self.article = index, article


def windowed(issue: Issue) -> tuple[Issue, Window]:
    """A shallow copy of the issue whose ``articles`` is a window, and the window."""
    window = Window(len(issue.articles))
    view = copy.copy(issue)
    view.articles = window  # type: ignore[assignment]
    return view, window


class Selection:
    """The articles with the given DOIs (all when None), chosen while they are read.

    ``derive.select_articles`` reads every article to choose, then the writer reads the
    chosen ones again; this reads each once. After the pass, ``problems`` are the same
    unknown-DOI errors ``select_articles`` gives, in the same order.
    """

    def __init__(self, dois: list[str] | None) -> None:
        self.wanted = None if dois is None else {ids.doi_key(ids.doi(d).value or d): d for d in dois}
        self.found: set[str] = set()

    def wants(self, article: Article) -> bool:
        if self.wanted is None:
            return True
        key = ids.doi_key(article.doi) if article.doi else None
        if key is None or key not in self.wanted:
            return False
        self.found.add(key)
        return True

    def each(self, articles: Sequence[Article]) -> Iterator[tuple[int, Article]]:
        """(index, article) for each chosen article, iterating ``articles`` once."""
        for index, article in enumerate(articles):
            if self.wants(article):
                yield index, article

    @property
    def problems(self) -> list[Problem]:
        if self.wanted is None:
            return []
        return [Problem("export.doi-unknown", "error", f"no article of the issue has the DOI {raw}", path="articles")
                for key, raw in self.wanted.items() if key not in self.found]


def shown_language(lang: str | None) -> str | None:
    """The language ``derive.localize`` shows articles in for ``lang``; None: each article's own.

    In a build, the file of each article's own language repeats, article by article, one
    of the language files: writers make such an entry once and write it to both."""
    checked = ids.language_tag(lang) if lang else None
    return (checked.value if checked is not None and checked.ok else lang) or None


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity == "error" for p in problems)


def write_text_files(paths: list[Path | None],
                     dump_many: Callable[[list[TextIO | None]], list[list[Problem]]]) -> list[Result]:
    """``xmltools.write_text_file`` for several files written side by side.

    ``dump_many`` gets one UTF-8 text stream per path (None where the path is None: a file
    that is not to be written) and returns each file's problems. Each file goes to a
    temporary file next to its path and replaces the path only when its own problems hold
    no error; a failing file never stops the others. An exception removes every temporary.
    """
    temporaries: list[str | None] = []
    streams: list[TextIO | None] = []
    try:
        for path in paths:
            if path is None:
                temporaries.append(None)
                streams.append(None)
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            temporaries.append(temporary)
            binary: BinaryIO = os.fdopen(handle, "wb", buffering=1 << 16)
            streams.append(io.TextIOWrapper(binary, encoding="utf-8", newline="", write_through=True))
        problems = dump_many(streams)
        for stream in streams:
            if stream is not None:
                stream.close()
        results: list[Result] = []
        for path, temporary, found in zip(paths, temporaries, problems):
            if path is None or temporary is None or has_errors(found):
                if temporary is not None:
                    Path(temporary).unlink(missing_ok=True)
                results.append(([], found))
                continue
            os.chmod(temporary, 0o666 & ~_UMASK)
            os.replace(temporary, path)
            results.append(([path], found))
        return results
    except BaseException:
        for stream in streams:
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass
        for temporary in temporaries:
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)
        raise


class NotCarried:
    """What a writer leaves out, by kind, with the articles that have it.

    An ordered set per kind cost a dict operation per kind per article, twenty for a rich
    article; here an article costs one, as articles that leave out the same kinds share a
    list. ``items`` gives what the ordered sets gave: the kinds in the order first met (an
    unordered collection of kinds, for writers that sort them, in no particular order), each
    with its articles in increasing order (the order writers record them in).
    """

    def __init__(self) -> None:
        self.groups: dict[tuple[str, ...] | frozenset[str], list[int]] = {}

    def add(self, index: int, kinds: list[str] | tuple[str, ...] | set[str]) -> None:
        """Article ``index`` leaves out ``kinds``: a list may repeat a kind, a tuple may not."""
        if not kinds:
            return
        if type(kinds) is tuple:
            key: tuple[str, ...] | frozenset[str] = kinds
        elif isinstance(kinds, (set, frozenset)):
            key = frozenset(kinds)
        else:
            key = tuple(dict.fromkeys(kinds))
        group = self.groups.get(key)
        if group is None:
            self.groups[key] = [index]
        else:
            group.append(index)

    def items(self) -> list[tuple[str, list[int]]]:
        if len(self.groups) == 1:  # every article leaves out the same kinds: one sorting for all of them
            [(kinds, group)] = self.groups.items()
            ordered = sorted(set(group))
            return [(kind, list(ordered)) for kind in dict.fromkeys(kinds)]
        first: dict[str, tuple[int, int]] = {}
        indexes: dict[str, set[int]] = {}
        for kinds, group in self.groups.items():
            for position, kind in enumerate(kinds):
                met = (group[0], position)
                if kind not in first or met < first[kind]:
                    first[kind] = met
                indexes.setdefault(kind, set()).update(group)
        return [(kind, sorted(indexes[kind])) for kind in sorted(first, key=first.__getitem__)]
