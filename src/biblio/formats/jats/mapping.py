"""The JATS field mapping, declared once: the writer, the reader and the "cannot carry" notes use it.

Decisions (design.md §4): ``article/@xml:lang`` is the original language, every other one gets
``trans-title-group``, ``trans-abstract``, its own ``kwd-group``; a contributor's spellings go into
``name-alternatives``; references are ``mixed-citation`` (as printed) and ``element-citation``.
The structural parts (names, affiliations, funding) are code in ``write.py`` and ``read.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ...model import WHOLE_WORKS, Article, ContributorRole, Issue
from ..crossref.mapping import online_only

XLINK = "http://www.w3.org/1999/xlink"
ALI = "http://www.niso.org/schemas/ali/1.0/"
MML = "http://www.w3.org/1998/Math/MathML"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NSMAP: dict[str | None, str] = {"xlink": XLINK, "mml": MML, "ali": ALI}
DOCTYPE = ('<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Publishing DTD v1.3 20210610//EN" '
           '"https://jats.nlm.nih.gov/publishing/1.3/JATS-journalpublishing1-3.dtd">')
PROLOGUE = f"<?xml version='1.0' encoding='UTF-8'?>\n{DOCTYPE}\n"
DTD_VERSION = "1.3"  # article/@dtd-version: JATS4R and others read the version (and so the licence markup) from it

# Reference types: the model uses Crossref's names, JATS its own publication-type values (JATS4R's words).
PUBLICATION_TYPES = {
    "journal_article": "journal", "book": "book", "book_chapter": "chapter", "conference_paper": "confproc",
    "conference_proceedings": "confproc", "dissertation": "thesis", "report": "report",
    "web_resource": "webpage", "dataset": "data", "patent": "patent", "preprint": "preprint", "standard": "standard",
    "software": "software", "journal": "periodical", "other": "other",
}
# Read back: the written values (confproc without a paper's title: proceedings), and what others write.
MODEL_TYPES = {jats: model for model, jats in PUBLICATION_TYPES.items()} | {
    "web": "web_resource", "website": "web_resource", "conf-proc": "conference_paper",
    "confproc": "conference_paper", "confproc-volume": "conference_proceedings"}


def citation_roles(kind: str | None) -> tuple[str, str]:
    """The element-citation children for a reference's title and container (JATS4R citations): a book, report,
    thesis or proceedings is the ``source``, in a ``series``; a chapter's ``chapter-title`` and a dataset's
    ``data-title`` are in a ``source`` (the book, the repository); anything else is an ``article-title`` in a
    ``source`` (journal, proceedings, site)."""
    if kind in WHOLE_WORKS:
        return "source", "series"
    return {"book_chapter": "chapter-title", "dataset": "data-title"}.get(kind or "", "article-title"), "source"


# element-citation children <-> Reference fields, in the order written (pages: ``citation_pages``; "title" and
# "container": ``citation_roles``; the access date: ``date-in-citation``).
CITATION_FIELDS = (("title", "title"), ("container", "container"), ("conf-name", "conference"),
                   ("edition", "edition"), ("year", "year"), ("volume", "volume"), ("issue", "issue"),
                   ("page-range", "pages"), ("publisher-loc", "place"), ("publisher-name", "publisher"),
                   ("isbn", "isbn"), ("issn", "issn"))
_PAGE_SPAN = re.compile(r"([^\s,;\-–—]+)(?:\s*[-–—]\s*([^\s,;\-–—]+))?")
# What the reader takes besides (the first of each field wins; title and container by ``citation_roles`` first).
CITATION_READ = {tag: field for tag, field in CITATION_FIELDS if field not in ("title", "container")} | {
    "uri": "url", "ext-link": "url"}
TITLE_READ = ("article-title", "chapter-title", "data-title", "part-title")

# article-meta children <-> Issue fields.
ISSUE_FIELDS = (("volume", "volume"), ("issue", "number"))

# ISSN publication-format (and the older pub-type) <-> Issn.media.
ISSN_MEDIA = {"print": "print", "ppub": "print", "electronic": "electronic", "epub": "electronic"}

# The article's own pub-dates: crossref.mapping.article_dates (by the journal's medium); the history dates.
HISTORY_DATES = ("received", "accepted")

CONTRIB_TYPES: tuple[ContributorRole, ...] = ("author", "editor", "chair", "translator", "reviewer")

# What the model has and JATS front matter cannot carry, in the order reported.
NOT_CARRIED: tuple[tuple[str, Callable[[Issue, Article], object]], ...] = (
    ("the issue's whole number", lambda issue, article: issue.whole_number),
    ("an article number beside pages",
     lambda issue, article: article.pages and article.pages.first and article.pages.article_number),
    ("a licence start date without a day",
     lambda issue, article: article.license and article.license.start and article.license.start.day is None),
    ("in-text citation numbers (there is no body text to link them from)", lambda issue, article: article.citations),
    ("an article's note", lambda issue, article: article.note),
    ("the date the landing page was accessed", lambda issue, article: article.accessed),
    ("the publication date beside the online date of an electronic-only journal (the online date is written)",
     lambda issue, article: article.dates.published and article.dates.online and online_only(issue.journal)),
)


def citation_pages(pages: str) -> tuple[str | None, str | None, str | None]:
    """A reference's pages as JATS has them: ``fpage`` (the first page), ``lpage`` (the last) and, where these two
    do not say it all as ``first-last`` (``3–4``, ``8-11, 14``, ``pp. 3``), the text in ``page-range``, which the
    tag set makes a supplement of fpage/lpage: readers (pandoc, citeproc) take fpage/lpage."""
    spans = [_PAGE_SPAN.fullmatch(span) for span in re.split(r"\s*[,;]\s*", pages.strip())]
    first, last = spans[0], spans[-1]
    if first is None or last is None:
        return None, None, pages
    fpage, lpage = first.group(1), last.group(2) or (last.group(1) if len(spans) > 1 else None)
    return fpage, lpage, None if pages == (f"{fpage}-{lpage}" if lpage else fpage) else pages


def not_carried(issue: Issue, article: Article) -> list[str]:
    """What of ``article`` (and its issue) a JATS file leaves out."""
    return [what for what, has in NOT_CARRIED if has(issue, article)]


def file_name(article: Article, index: int) -> str:
    """``2788-5860.2025.86.2.001.xml``: the DOI suffix, made safe for a file name (else the position). Two
    articles given one name (one DOI) do not share a file: the build numbers the second, ``…-2.xml``, and
    reports it (``output.same-name``)."""
    if article.doi:
        return re.sub(r"[^\w.\-]+", "_", article.doi.split("/", 1)[1]) + ".xml"
    return f"article-{index + 1:03d}.xml"
