"""The BibTeX field mapping, declared once: the writer, the reader and the "cannot carry" notes use it.

Decisions (design.md §4):

- One ``@article`` per article, in one language per file; ``READ`` gives the fields in
  the order written and the names other tools write them under (``journaltitle``, ``issue`` …).
- **Titles are brace-protected** (``title = {{…}}``), or case-changing styles lower-case them.
- **Names**: ``Family, Given and …``, braced where a comma or "and" would split them; one
  name is one token (``Abu{ }Nasr``); a group author one brace group (``{The Consortium}``).
- **language and langid**: ``language`` is the article's own language as a BCP 47 tag
  (``kk``, as Zotero stores it); ``langid`` is the biblatex name of the language the
  entry's text is in (``kazakh``, for hyphenation): ``english`` in the English file.
- ``pages = {9--22}``, an article number in ``eid``; every ISSN, comma-separated (as Zotero).
- ``year``, and ``month`` as a month macro (``jun``); no day (biblatex's ``date`` would clash
  with ``year`` in biber). Abstract paragraphs joined with ``\\par``; ``url``, ``doi`` verbatim.
"""

from __future__ import annotations

from collections.abc import Callable

from ... import ids
from ...model import Article, Contributor, ContributorRole, Issue

FILE_NAME = "articles.bib"


def file_name(lang: str | None) -> str:
    """``articles.bib`` (each article in its own language) or ``articles.<lang>.bib``."""
    return FILE_NAME if lang is None else f"articles.{lang}.bib"


# The fields in the order written, each with the names the reader takes it from (first found wins).
READ: dict[str, tuple[str, ...]] = {
    "author": ("author",), "title": ("title",), "journal": ("journal", "journaltitle"),
    "shortjournal": ("shortjournal", "journalabbrev"), "year": ("year",), "month": ("month",),
    "volume": ("volume",), "number": ("number", "issue"), "pages": ("pages",),
    "eid": ("eid", "articleno", "article-number"), "doi": ("doi",), "issn": ("issn",), "url": ("url",),
    "abstract": ("abstract",), "keywords": ("keywords", "keyword"), "publisher": ("publisher",),
    "language": ("language",), "langid": ("langid",), "editor": ("editor",), "translator": ("translator",),
}
NAME_FIELDS: tuple[ContributorRole, ...] = ("author", "editor", "translator")  # the contributor roles BibTeX carries
DATE_FIELD = "date"  # biblatex's, read before year and month
ARTICLE_TYPES = frozenset({"article", "periodical", "suppperiodical"})  # read as articles without a note


def _people(article: Article, test: Callable[[Contributor], bool]) -> bool:
    return any(test(person) for person in article.contributors)


# What BibTeX cannot carry of an article, in the order reported; the entry's text language is given.
ARTICLE_NOT_CARRIED: tuple[tuple[str, Callable[[Article, str], bool]], ...] = (
    ("titles in other languages", lambda a, lang: len(a.titles.texts) > (lang in a.titles.texts)),
    ("abstracts in other languages", lambda a, lang: len(a.abstracts.texts) > 1),
    ("keywords in other languages", lambda a, lang: len(a.keywords) > 1),
    ("author names in other languages and scripts", lambda a, lang: _people(
        a, lambda p: len(p.names) > 1 or bool(p.organization and len(p.organization.texts) > 1))),
    ("the printed order of names (family name first)", lambda a, lang: _people(
        a, lambda p: any(name.order == "family-first" for name in p.names.values()))),
    ("ORCID iDs", lambda a, lang: _people(a, lambda p: bool(p.orcid))),
    ("affiliations", lambda a, lang: _people(a, lambda p: bool(p.affiliations))),
    ("e-mail addresses and the corresponding-author flag",
     lambda a, lang: _people(a, lambda p: bool(p.email or p.corresponding))),
    ("CRediT roles", lambda a, lang: _people(a, lambda p: bool(p.credit))),
    ("funding", lambda a, lang: bool(a.funding)),
    ("reference lists", lambda a, lang: bool(a.references)),
    ("sections", lambda a, lang: bool(a.section)),
    ("in-text citation numbers", lambda a, lang: bool(a.citations)),
    ("licences", lambda a, lang: bool(a.license)),
    ("dates other than the publication date (received, accepted, online)", lambda a, lang: bool(
        a.dates.received or a.dates.accepted or (a.dates.online and a.dates.published))),
)
# ... of the issue and journal, reported for every entry after the article's kinds.
ISSUE_NOT_CARRIED: tuple[tuple[str, Callable[[Issue], bool]], ...] = (
    ("the issue's whole number", lambda issue: bool(issue.whole_number)),
    ("the issue's DOI and title", lambda issue: bool(issue.doi or issue.title)),
    ("whether an ISSN is the print or the electronic one",
     lambda issue: any(issn.media for issn in issue.journal.issns)),
    ("the journal's titles in other languages", lambda issue: len(issue.journal.titles.texts) > 1),
    ("the publisher's place and its names in other languages", lambda issue: bool(
        issue.journal.publisher and (issue.journal.publisher.place or len(issue.journal.publisher.name.texts) > 1))),
)

# BibTeX's month macros: classic styles print "June", biber reads 6, Zotero reads both.
MONTH_MACROS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# What the reader takes as a month.
MONTHS = {name: number for number, names in enumerate([
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
    ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
    ("dec", "december")], 1) for name in names}

# Required fields per entry type (BibTeX's standard styles, with the biblatex alternatives).
REQUIRED: dict[str, list[tuple[str, ...]]] = {
    "article": [("author",), ("title",), ("journal", "journaltitle"), ("year", "date")],
    "book": [("author", "editor"), ("title",), ("publisher",), ("year", "date")],
    "inbook": [("author", "editor"), ("title",), ("chapter", "pages"), ("publisher",), ("year", "date")],
    "incollection": [("author",), ("title",), ("booktitle",), ("publisher",), ("year", "date")],
    "inproceedings": [("author",), ("title",), ("booktitle",), ("year", "date")],
    "conference": [("author",), ("title",), ("booktitle",), ("year", "date")],
    "proceedings": [("title",), ("year", "date")],
    "phdthesis": [("author",), ("title",), ("school", "institution"), ("year", "date")],
    "mastersthesis": [("author",), ("title",), ("school", "institution"), ("year", "date")],
    "thesis": [("author",), ("title",), ("type",), ("institution", "school"), ("year", "date")],
    "techreport": [("author",), ("title",), ("institution",), ("year", "date")],
    "report": [("author",), ("title",), ("type",), ("institution",), ("year", "date")],
    "online": [("author", "editor"), ("title",), ("year", "date"), ("url", "doi", "eprint")],
    "manual": [("title",)],
    "booklet": [("title",)],
    "unpublished": [("author",), ("title",), ("note",)],
    "misc": [],
}
# Fields biblatex reads verbatim: no TeX escaping there.
VERBATIM = frozenset({"url", "doi", "eprint", "file", "pdf", "urlraw", "verba", "verbb", "verbc"})

# --- languages --------------------------------------------------------------------------------

# biblatex/babel/polyglossia names for langid, by primary language subtag.
LANGID: dict[str, str] = {
    "kk": "kazakh", "ru": "russian", "en": "english", "uk": "ukrainian", "be": "belarusian", "ky": "kyrgyz",
    "uz": "uzbek", "tt": "tatar", "tr": "turkish", "az": "azerbaijani", "mn": "mongolian", "de": "ngerman",
    "fr": "french", "es": "spanish", "it": "italian", "pt": "portuguese", "pl": "polish", "cs": "czech",
    "sk": "slovak", "bg": "bulgarian", "sr": "serbian", "hr": "croatian", "sl": "slovenian", "ro": "romanian",
    "hu": "magyar", "fi": "finnish", "et": "estonian", "lv": "latvian", "lt": "lithuanian", "nl": "dutch",
    "sv": "swedish", "da": "danish", "nb": "norsk", "nn": "nynorsk", "el": "greek", "ka": "georgian",
    "hy": "armenian", "ar": "arabic", "fa": "persian", "he": "hebrew", "zh": "chinese", "ja": "japanese",
    "ko": "korean", "la": "latin",
}
_LANGID_REGIONAL = {"en-GB": "british", "en-US": "american", "de-AT": "naustrian", "de-CH": "nswissgerman",
                    "pt-BR": "brazilian"}
# Language names and codes other tools write in `language` or `langid`, to a tag.
_LANG_NAMES: dict[str, str] = {name: tag for tag, name in LANGID.items()} | {
    "american": "en", "british": "en", "usenglish": "en", "ukenglish": "en", "australian": "en",
    "canadian": "en", "newzealand": "en", "german": "de", "austrian": "de", "naustrian": "de",
    "swissgerman": "de", "nswissgerman": "de", "brazil": "pt", "brazilian": "pt", "portuges": "pt",
    "kazak": "kk", "norwegian": "nb", "hungarian": "hu", "slovene": "sl",
    "eng": "en", "rus": "ru", "kaz": "kk", "ukr": "uk", "bel": "be", "kir": "ky", "uzb": "uz", "tat": "tt",
    "tur": "tr", "deu": "de", "ger": "de", "fra": "fr", "fre": "fr", "spa": "es", "ita": "it", "pol": "pl",
    "por": "pt", "chi": "zh", "zho": "zh", "jpn": "ja",
    "русский": "ru", "русский язык": "ru", "английский": "en", "казахский": "kk", "қазақ": "kk",
    "қазақша": "kk", "қазақ тілі": "kk", "орыс": "ru", "орыс тілі": "ru", "ағылшын": "en",
    "ағылшын тілі": "en",
}


def langid(tag: str) -> str | None:
    """The biblatex language name for a language tag (``kk-Latn`` -> ``kazakh``), if there is one."""
    return _LANGID_REGIONAL.get(tag) or LANGID.get(ids.primary_language(tag))


def language_tag(value: str) -> str | None:
    """A tag for what other tools write in ``language``/``langid``: ``Russian``, ``rus``, ``ru``, ``kazakh``."""
    text = " ".join(value.split()).lower()
    if not text or text in _LANG_NAMES:
        return _LANG_NAMES.get(text)
    checked = ids.language_tag(value.strip())
    if checked.ok and checked.value and len(ids.primary_language(checked.value)) <= 3:
        return checked.value
    return None
