"""TEMPORARY during the redesign (issue 14): a format module written for the old registry,
driven through the new ``Writer`` interface. Deleted once every format is a package."""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path

from . import ArticleReading


class LegacyWriter:
    def __init__(self, write, issue, output, lang=None, takes_lang=False):
        self.write, self.issue, self.output, self.lang, self.takes_lang = write, issue, output, lang, takes_lang
        self.articles = []

    def add(self, index, article):
        self.articles.append(article)

    def close(self):
        view = copy.copy(self.issue)
        view.articles = self.articles
        with tempfile.TemporaryDirectory() as folder:
            kwargs = {"lang": self.lang} if self.takes_lang else {}
            paths, problems = self.write(view, Path(folder), **kwargs)
            for path in sorted(Path(folder).rglob("*")) if not paths else paths:
                if path.is_file():
                    with self.output.open(path.name) as stream:
                        stream.write(path.read_bytes())
        return problems


def legacy_writer(write, takes_lang=False):
    return lambda issue, output, lang=None: LegacyWriter(write, issue, output, lang, takes_lang)


def legacy_reading(read):
    def iter_read(path):
        def articles(reading):
            issue, problems = read(path)
            reading.problems.extend(problems)
            if issue is not None:
                found = issue.articles
                issue.articles = []
                reading.issue = issue
                yield from found
        return ArticleReading(articles)
    return iter_read
