"""biblio: a model of a journal issue, checked and written to Crossref deposit XML, JATS XML,
CSL-JSON, BibTeX and RIS, each validated against its official schema.

The public API is re-exported here; see ``biblio.api`` for what each call does.
"""

from .api import (
    ArticleStream,
    BuildReport,
    CatalogueReport,
    WrittenFile,
    build,
    build_catalogue,
    check,
    convert,
    dump,
    export,
    iter_read,
    load,
    read,
    stream,
    validate_files,
)
from .model import (
    Affiliation,
    Article,
    ArticleDates,
    Contributor,
    Depositor,
    Funding,
    Issn,
    Issue,
    Journal,
    LangText,
    License,
    Pages,
    PartialDate,
    PersonName,
    Publisher,
    Reference,
    Settings,
)
from .problems import Problem

__version__ = "0.1.0"

__all__ = [
    "Affiliation", "Article", "ArticleDates", "ArticleStream", "BuildReport", "CatalogueReport", "Contributor", "Depositor", "Funding",
    "Issn", "Issue", "Journal", "LangText", "License", "Pages", "PartialDate", "PersonName",
    "Problem", "Publisher", "Reference", "Settings", "WrittenFile", "build", "build_catalogue", "check", "convert", "dump", "export", "iter_read", "load",
    "read", "stream", "validate_files",
]
