"""biblio: a model of a journal issue, checked and written to Crossref deposit XML, JATS XML,
CSL-JSON, BibTeX and RIS, each validated against its official schema.

The public API is re-exported here; see ``biblio.api`` for what each call does, and docs/api.md for the whole API on one
page. ``biblio.cite`` formats citations and ``biblio.extract`` drafts a manifest from an issue's printed text.
"""

from .api import (ArticleStream, BuildReport, CatalogueReport, Work, WrittenFile, build, build_catalogue, check,
                  convert, dump, dumps, export, iter_read, load, load_catalogue, load_works, loads, prepare, report,
                  stream, validate, validates)
from .model import (Affiliation, Article, ArticleDates, Contributor, Depositor, Funding, Issn, Issue, Journal, LangText,
                    License, Pages, PartialDate, PersonName, Publisher, Reference, Settings)
from .problems import Problem

__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    """``biblio.cite`` and ``biblio.extract`` load on first use: the commands that need neither start faster."""
    if name in ("cite", "extract"):
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'biblio' has no attribute {name!r}")

__all__ = [
    "Affiliation", "Article", "ArticleDates", "ArticleStream", "BuildReport", "CatalogueReport", "Contributor",
    "Depositor", "Funding", "Issn", "Issue", "Journal", "LangText", "License", "Pages", "PartialDate", "PersonName",
    "Problem", "Publisher", "Reference", "Settings", "Work", "WrittenFile", "build", "build_catalogue", "check", "cite",
    "convert", "dump", "dumps", "export", "extract", "iter_read", "load", "load_catalogue", "load_works", "loads",
    "prepare", "report", "stream",
    "validate", "validates",
]
