"""The BibTeX field mapping, declared once: the writer, the reader and the "cannot carry" notes use it.

Decisions (design.md §4):

- One ``@article`` per article, in one language per file; ``READ`` gives the fields in
  the order written and the names other tools write them under (``journaltitle``, ``issue`` …).
- **Titles are brace-protected** (``title = {{…}}``), or case-changing styles lower-case them.
- **Names**: ``Family, Given and …``, braced where a comma or "and" would split them; one
  name is one token (``Abu{ }Nasr``); a group author one brace group (``{The Consortium}``).
- **language and langid** name the one language of the entry's text (design.md §4): ``language``
  as biblatex's localisation key where it has one (``russian``: printed "Russian" or "русский",
  and left out by ``clearlang`` in a document in that language; Zotero keeps it as given), else
  the English name (``Kazakh``, printed as it is). ``langid`` only where biblatex has a language
  module and the entry has no letter outside the language's script: ``langid = {english}`` on an
  entry with a Cyrillic journal title stops pdflatex under ``autolang=other``.
- ``pages = {9--22}``, an article number in ``eid``; every ISSN, comma-separated (as Zotero).
- ``year``, and ``month`` as a month macro (``jun``); no day (biblatex's ``date`` would clash
  with ``year`` in biber). No ``publisher``: biblatex's ``@article`` has none (biber warns).
  Abstract paragraphs end in ``~`` before a blank line (``tex.PARAGRAPH_BREAK``); ``url``, ``doi`` verbatim.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ... import derive, ids
from ...model import WHOLE_WORKS, Article, Contributor, ContributorRole, Issue

FILE_NAME = "articles.bib"


def file_name(lang: str | None) -> str:
    """``articles.bib`` (each article in its own language) or ``articles.<lang>.bib``."""
    return FILE_NAME if lang is None else f"articles.{lang}.bib"


# The fields in the order written, each with the names the reader takes it from (first found wins). ``pmid`` and
# ``pmcid`` are the fields Zotero (Better BibTeX) writes; ``shorttitle``, ``urldate`` and ``note`` are biblatex's.
READ: dict[str, tuple[str, ...]] = {
    "author": ("author",), "title": ("title",), "shorttitle": ("shorttitle",), "journal": ("journal", "journaltitle"),
    "shortjournal": ("shortjournal", "journalabbrev"), "year": ("year",), "month": ("month",),
    "volume": ("volume",), "number": ("number", "issue"), "pages": ("pages",),
    "eid": ("eid", "articleno", "article-number"), "doi": ("doi",), "pmid": ("pmid",), "pmcid": ("pmcid",),
    "issn": ("issn",), "url": ("url",), "urldate": ("urldate",),
    "abstract": ("abstract",), "keywords": ("keywords", "keyword"), "note": ("note",), "publisher": ("publisher",),
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
    ("abstracts in other languages", lambda a, lang: len(a.abstracts.texts) > (lang in a.abstracts.texts)),
    ("keywords in other languages", lambda a, lang: len(a.keywords) > (lang in a.keywords)),
    ("short titles in other languages",
     lambda a, lang: a.short_title is not None and len(a.short_title.texts) > (lang in a.short_title.texts)),
    ("the language the article is written in (language names the language of the entry's text)",
     lambda a, lang: lang != a.language),
    ("the region or variant of a language tag (language names the language and its script)",
     lambda a, lang: language_tag(language_field(lang) or "") not in (lang, None)),
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
    ("the publisher (biblatex's @article has no publisher field)", lambda issue: bool(issue.journal.publisher)),
)

# --- works: entries that are not journal articles (design: they are read as a ``Reference``, in no issue) ---------

# Entry types -> the model's citation types (``model.REFERENCE_TYPES``); another type is read as "other", reported.
WORK_TYPES: dict[str, str] = {
    "book": "book", "mvbook": "book", "inbook": "book_chapter", "incollection": "book_chapter",
    "bookinbook": "book_chapter", "suppbook": "book_chapter", "suppcollection": "book_chapter",
    "collection": "collection", "mvcollection": "collection", "proceedings": "conference_proceedings",
    "mvproceedings": "conference_proceedings", "inproceedings": "conference_paper", "conference": "conference_paper",
    "techreport": "report", "report": "report", "phdthesis": "dissertation", "thesis": "dissertation",
    "online": "web_resource", "electronic": "web_resource", "www": "web_resource", "webpage": "web_resource",
    "dataset": "dataset", "software": "software", "patent": "patent", "standard": "standard", "misc": "other",
}
# Citation types -> the entry type written (biblatex's where classic BibTeX has none); others are @misc, reported.
WORK_ENTRY: dict[str, str] = {
    "journal_article": "article", "book": "book", "book_chapter": "incollection", "collection": "collection",
    "conference_proceedings": "proceedings", "conference_paper": "inproceedings", "report": "techreport",
    "dissertation": "phdthesis", "web_resource": "online", "dataset": "dataset", "software": "software",
    "patent": "patent", "other": "misc",
}
PARTS = frozenset({"book_chapter", "conference_paper"})  # their container is a book or proceedings: booktitle
ARTICLE_LIKE = frozenset({"journal_article", "preprint", "peer_review", "registered_report"})  # container: journal


def work_fields(kind: str | None) -> dict[str, tuple[str, ...]]:
    """For a work of citation type ``kind``: each ``Reference`` field with the entry fields read as it, the one
    written first (``container``: the book, proceedings, journal or series; ``publisher``: a thesis's school, a
    report's institution)."""
    whole = kind in WHOLE_WORKS
    container = (("booktitle",) if kind in PARTS else ("series",) if whole else
                 ("journal", "journaltitle") if kind in ARTICLE_LIKE else ("howpublished",))
    publisher = (("school", "institution", "publisher") if kind == "dissertation" else
                 ("institution", "publisher") if kind == "report" else ("publisher", "organization", "institution"))
    return {"authors": ("author",), "title": ("title",), "container": container, "conference": ("eventtitle",),
            "edition": ("edition",), "year": ("year",), "volume": ("volume",), "issue": ("number", "issue"),
            "pages": ("pages",), "publisher": publisher, "place": ("address", "location"), "isbn": ("isbn",),
            "issn": ("issn",), "doi": ("doi",), "url": ("url",), "accessed": ("urldate",),
            "language": ("language", "langid")}


# Where a convert's advice points for a part of the model (a problem's path): the field of an entry that gives it.
MODEL_FIELDS: dict[str, str] = {
    "journal.issns": "issn", "journal.titles": "journal", "journal.publisher": "publisher", "issue.year": "year",
    "issue.volume": "volume", "issue.number": "number", "titles": "title", "doi": "doi", "url": "url",
    "pages": "pages", "contributors": "author", "abstracts": "abstract", "keywords": "keywords", "dates": "year",
    "language": "langid",
}

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

# biblatex/babel/polyglossia names of languages, by primary language subtag.
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
# Those biblatex 3.18b has a language module (.lbx) for: the others get English terms and no hyphenation.
_LBX = frozenset({"russian", "english", "ukrainian", "turkish", "ngerman", "french", "spanish", "italian",
                  "portuguese", "polish", "czech", "slovak", "bulgarian", "serbian", "croatian", "slovenian",
                  "romanian", "magyar", "finnish", "estonian", "latvian", "lithuanian", "dutch", "swedish", "danish",
                  "norsk", "nynorsk", "greek", "british", "american", "naustrian", "nswissgerman", "brazilian"})
# biblatex's localisation keys for the language field (its lang... strings), where they differ from LANGID.
_LANGUAGE_KEYS = {"de": "german", "hu": "hungarian", "nb": "norwegian", "nn": "norwegian", "sl": "slovene"}
_KEYED = frozenset({"english", "russian", "ukrainian", "bulgarian", "serbian", "croatian", "czech", "slovak",
                    "polish", "german", "french", "spanish", "italian", "portuguese", "romanian", "finnish",
                    "estonian", "latvian", "lithuanian", "dutch", "swedish", "danish", "norwegian", "greek",
                    "turkish", "japanese", "latin", "hungarian", "slovene"})
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
    """The biblatex language name for a language tag (``ru`` -> ``russian``) if biblatex has a module for it."""
    name = _LANGID_REGIONAL.get(tag) or LANGID.get(ids.primary_language(tag))
    return name if name in _LBX else None


_SCRIPTS = {"Latn": "Latin", "Cyrl": "Cyrillic", "Arab": "Arabic"}  # scripts a language may be written in apart


def language_field(tag: str) -> str | None:
    """What ``language`` holds for a language tag: biblatex's key (``russian``), else its English name (``Kazakh``);
    in a script other than the language's own, the name and the script (``Kazakh (Latin script)``), printed as such."""
    primary = ids.primary_language(tag)
    name = _LANGUAGE_KEYS.get(primary) or LANGID.get(primary)
    script = ids.script_of(tag)
    if name is None:
        return None
    if script in _SCRIPTS and script != derive.usual_script(primary):
        return f"{name.capitalize()} ({_SCRIPTS[script]} script)"
    return name if name in _KEYED else name.capitalize()


_SCRIPT_CODES = {name.lower(): code for code, name in _SCRIPTS.items()}
_NAMED_SCRIPT = re.compile(r"(.+?) \((\w+) script\)")


def language_tag(value: str) -> str | None:
    """A tag for what other tools write in ``language``/``langid``: ``Russian``, ``rus``, ``ru``, ``kazakh``."""
    text = " ".join(value.split()).lower()
    if (named := _NAMED_SCRIPT.fullmatch(text)) and (script := _SCRIPT_CODES.get(named.group(2))):
        return f"{tag}-{script}" if (tag := _LANG_NAMES.get(named.group(1))) else None
    if not text or text in _LANG_NAMES:
        return _LANG_NAMES.get(text)
    checked = ids.language_tag(value.strip())
    if checked.ok and checked.value and len(ids.primary_language(checked.value)) <= 3:
        return checked.value
    return None
