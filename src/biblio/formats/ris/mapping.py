"""The RIS tag table, declared once: the writer's tags, the reader's tag -> field mapping and
what a record cannot carry all come from here (in the spirit of rispy's ``TAG_KEY_MAPPING``).

A record is the article seen in one language (design.md §4), which ``LA`` names, as BibTeX's
``language`` and CSL's do. Authors, editors and translators
are ``Family, Given``; ``T2`` is the journal (Zotero's publicationTitle) and ``J2`` its
abbreviation (Zotero reads ``JO`` as one, so it is not written); ``DA`` (``YYYY/MM/DD/``) only
when the date is known beyond the year; ``C7`` the article number (EndNote's and Scopus's tag),
which ``SP`` repeats for Zotero (it has no tag for one): an ``SP`` equal to ``C7`` (and no ``EP``)
reads back as the article number, never as a page range (``A-7`` is not pages A to 7).
"""

from __future__ import annotations

from collections.abc import Callable

from ...model import Article, Contributor, ContributorRole, Issue

FILE_NAME = "articles.ris"
NEWLINE = "\r\n"


def file_name(lang: str | None) -> str:
    """``articles.ris`` (each article in its own language) or ``articles.<lang>.ris``."""
    return FILE_NAME if lang is None else f"articles.{lang}.ris"


#: The tag table, in the order a record has the tags: model field, the tag written (None: only
#: read), then every tag read as that field, the preferred first.
FIELDS: tuple[tuple[str, str | None, tuple[str, ...]], ...] = (
    ("title", "TI", ("TI", "T1")),
    ("short title", "ST", ("ST",)),
    ("authors", "AU", ("AU", "A1")),
    ("editors", "A2", ("A2", "ED")),
    ("translators", "A4", ("A4",)),
    ("journal", "T2", ("T2", "JF", "JO", "J2", "JA", "J1")),
    ("abbreviation", "J2", ("J2", "JA", "J1")),
    ("abstract", "AB", ("AB", "N2")),
    ("date", "DA", ("DA", "PY", "Y1")),
    ("year", "PY", ()),  # read with the date
    ("volume", "VL", ("VL",)),
    ("number", "IS", ("IS",)),
    ("first page", "SP", ("SP",)),
    ("last page", "EP", ("EP",)),
    ("article number", "C7", ("C7",)),
    ("doi", "DO", ("DO",)),
    ("issns", "SN", ("SN",)),
    ("url", "UR", ("UR",)),
    ("accessed", "Y2", ("Y2",)),
    ("language", "LA", ("LA",)),
    ("publisher", "PB", ("PB",)),
    ("place", None, ("CY",)),
    ("keywords", "KW", ("KW",)),
    ("note", "N1", ("N1",)),  # every N1 is read: Zotero writes one per note
)
WRITE: dict[str, str] = {name: tag for name, tag, _ in FIELDS if tag}
READ: dict[str, tuple[str, ...]] = {name: tags for name, _, tags in FIELDS if tags}
#: Every tag the reader uses; the others are reported as not read.
READ_TAGS = frozenset({"TY", "ER"}.union(*READ.values()))
#: Fields the reader takes one value of, the first among their tags: another value of that tag is reported
#: (for the place, only where it is read: with a publisher).
ONE_VALUE = ("journal", "abbreviation", "volume", "number", "first page", "last page", "article number", "doi",
             "language", "publisher", "short title", "accessed")
#: Why a tag the table reads may still be left out (said where it is reported as not read).
NOT_READ_BECAUSE = {"CY": "a place of publication is kept only with the publisher's name (PB), which the record "
                          "does not give"}
#: Where a DOI is looked for when there is no DO (Scopus puts it in M3 or a doi.org UR).
DOI_ELSEWHERE = ("M3", "UR")

#: Contributor roles a record carries, and the field (so the tags) of each, in the order written.
ROLES: dict[ContributorRole, str] = {"author": "authors", "editor": "editors", "translator": "translators"}
ROLE_OF_TAG: dict[str, ContributorRole] = {tag: role for role, name in ROLES.items() for tag in READ[name]}
_CARRIED_ROLES = [f"{role}s" for role in ROLES]
CARRIED_ROLES = ", ".join(_CARRIED_ROLES[:-1]) + " and " + _CARRIED_ROLES[-1]

#: Journal-like record types read as articles; anything else (BOOK, CHAP, CONF …) is read as a work (``WORK_TYPES``).
JOURNAL_TYPES = frozenset({"JOUR", "EJOUR", "JFULL", "ABST", "INPR", "MGZN", "NEWS"})
#: The generic type: an article when it names a journal (Zotero reads it as one), else a work of the type "other".
GENERIC = "GEN"

# --- works: records that are not journal articles, read as a ``Reference`` in no issue --------------------------

#: Record types -> the model's citation types (``model.REFERENCE_TYPES``); another type is read as "other", reported.
#: CONF is a conference paper as Zotero writes it, or the proceedings when it names no T2.
WORK_TYPES: dict[str, str] = {
    "BOOK": "book", "EBOOK": "book", "EDBOOK": "collection", "SER": "book", "CLSWK": "book", "CHAP": "book_chapter",
    "ECHAP": "book_chapter", "CONF": "conference_paper", "CPAPER": "conference_paper", "THES": "dissertation",
    "RPRT": "report", "GOVDOC": "report", "ELEC": "web_resource", "WEB": "web_resource", "BLOG": "blog_post",
    "DATA": "dataset", "DBASE": "dataset", "COMP": "software", "PAT": "patent", "STAND": "standard",
    "GEN": "other",
}
#: Citation types -> the record type written (a type not here is written GEN, reported).
WORK_RECORD: dict[str, str] = {
    "journal_article": "JOUR", "book": "BOOK", "collection": "EDBOOK", "book_chapter": "CHAP",
    "conference_paper": "CPAPER", "conference_proceedings": "CONF", "dissertation": "THES", "report": "RPRT",
    "web_resource": "ELEC", "blog": "BLOG", "blog_post": "BLOG", "dataset": "DATA", "software": "COMP",
    "patent": "PAT", "standard": "STAND", "other": "GEN",
}
#: A work's fields: the ``Reference`` attribute, the tag written, every tag read as it (``container``: T2 for the book,
#: proceedings or site of a part, T3 for the series of a whole work, as ``model.WHOLE_WORKS`` says).
WORK_FIELDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("title", "TI", ("TI", "T1")), ("authors", "AU", ("AU", "A1")), ("container", "T2", ("T2", "BT", "JO", "JF")),
    ("year", "PY", ("PY", "Y1", "DA")), ("volume", "VL", ("VL",)), ("issue", "IS", ("IS",)), ("pages", "SP", ("SP",)),
    ("edition", "ET", ("ET",)), ("publisher", "PB", ("PB",)), ("place", "CY", ("CY",)), ("isbn", "SN", ("SN",)),
    ("issn", "SN", ()), ("doi", "DO", ("DO",)), ("url", "UR", ("UR",)), ("accessed", "Y2", ("Y2",)),
    ("language", "LA", ("LA",)),
)
SERIES = ("T3",)  # the container of a whole work (a book's series)
#: Where a convert's advice points for a part of the model (a problem's path): the tag that gives it.
MODEL_FIELDS: dict[str, str] = {
    "journal.issns": "SN", "journal.titles": "T2", "journal.publisher": "PB", "issue.year": "PY",
    "issue.volume": "VL", "issue.number": "IS", "titles": "TI", "doi": "DO", "url": "UR", "pages": "SP",
    "contributors": "AU", "abstracts": "AB", "keywords": "KW", "dates": "DA", "language": "LA",
}
#: Record types of the RIS specification (2011) plus the older ones still exported.
TYPES = frozenset({
    "ABST", "ADVS", "AGGR", "ANCIENT", "ART", "BILL", "BLOG", "BOOK", "CASE", "CHAP", "CHART", "CLSWK", "COMP",
    "CONF", "CPAPER", "CTLG", "DATA", "DBASE", "DICT", "EBOOK", "ECHAP", "EDBOOK", "EJOUR", "ELEC", "ENCYC",
    "EQUA", "FIGURE", "GEN", "GOVDOC", "GRANT", "GRNT", "HEAR", "ICOMM", "INPR", "JFULL", "JOUR", "LEGAL",
    "MANSCPT", "MAP", "MGZN", "MPCT", "MULTI", "MUSIC", "NEWS", "PAMP", "PAT", "PCOMM", "RPRT", "SER", "SLIDE",
    "SOUND", "STAND", "STAT", "THES", "UNBILL", "UNPB", "UNPD", "VIDEO"})
#: Tags of the RIS specification (2011) and the legacy ones reference managers still write.
TAGS = frozenset({
    "TY", "ER", "A1", "A2", "A3", "A4", "AB", "AD", "AN", "AU", "AV", "BT", "C1", "C2", "C3", "C4", "C5", "C6",
    "C7", "C8", "CA", "CN", "CP", "CT", "CY", "DA", "DB", "DO", "DP", "ED", "EP", "ET", "ID", "IS", "J1", "J2",
    "JA", "JF", "JO", "KW", "L1", "L2", "L3", "L4", "LA", "LB", "LK", "M1", "M2", "M3", "N1", "N2", "NV", "OP",
    "PB", "PP", "PY", "RI", "RN", "RP", "SE", "SN", "SP", "ST", "T1", "T2", "T3", "TA", "TI", "TT", "U1", "U2",
    "U3", "U4", "U5", "UR", "VL", "VO", "Y1", "Y2"})
#: Tags whose continuation lines keep their line breaks (as Zotero reads them); others join with a space.
MULTILINE_TAGS = frozenset({"AB", "N2", "N1", "KW"})
#: Tags a record has at most once; a repeated one is kept by some readers and dropped by others.
SINGLE_TAGS = frozenset({"TY", "TI", "T1", "T2", "JO", "JF", "J2", "JA", "PY", "Y1", "DA", "VL", "IS", "SP",
                         "EP", "DO", "AB", "N2", "LA", "PB", "C7"})

#: Language names and codes found in LA, as BCP 47 tags (codes that are tags are read as tags).
LANGUAGE_NAMES = {name: tag for tag, names in {
    "kk": ("kazakh", "kaz", "қазақ", "қазақша", "қазақ тілі", "казахский", "казахский язык"),
    "ru": ("russian", "rus", "русский", "русский язык", "орыс", "орыс тілі"),
    "en": ("english", "eng", "английский", "ағылшын", "ағылшын тілі"),
    "de": ("german", "deu", "ger", "deutsch"), "fr": ("french", "fra", "fre", "français", "francais"),
    "uk": ("ukrainian", "ukr", "українська"), "ky": ("kyrgyz", "kirghiz", "kir"), "uz": ("uzbek", "uzb"),
    "tr": ("turkish", "tur", "türkçe"), "zh": ("chinese", "chi", "zho"), "es": ("spanish", "spa", "español"),
    "pl": ("polish", "pol", "polski"), "ar": ("arabic", "ara"), "tt": ("tatar", "tat"),
}.items() for name in names}


# --- what a record cannot carry ----------------------------------------------------------------

#: Of the issue, reported once per file.
ISSUE_NOT_CARRIED: tuple[tuple[str, Callable[[Issue], object]], ...] = (
    ("the issue's whole number", lambda issue: issue.whole_number),
    ("the issue's title", lambda issue: issue.title),
    ("the issue's DOI", lambda issue: issue.doi),
    ("the journal's title in other languages", lambda issue: len(issue.journal.titles.texts) > 1),
    ("the publisher's place", lambda issue: issue.journal.publisher and issue.journal.publisher.place),
    ("the publisher's name in other languages",
     lambda issue: issue.journal.publisher and len(issue.journal.publisher.name.texts) > 1),
    ("whether an ISSN is the print or the electronic one", lambda issue: any(i.media for i in issue.journal.issns)),
)

#: Of a contributor, looked for person by person: a kind is named where the first contributor with it
#: is met (in the place of the ``PEOPLE`` row of ``ARTICLE_NOT_CARRIED``).
PERSON_NOT_CARRIED: tuple[tuple[str, Callable[[Contributor], object]], ...] = (
    ("author names in other languages and scripts",
     lambda c: len(c.names) > 1 or (c.organization and len(c.organization.texts) > 1)),
    ("the printed order of names (family name first)",
     lambda c: any(name.order == "family-first" for name in c.names.values())),
    ("ORCID iDs", lambda c: c.orcid),
    ("affiliations", lambda c: c.affiliations),
    ("e-mail addresses and the corresponding author", lambda c: c.email or c.corresponding),
    ("CRediT roles", lambda c: c.credit),
)
PEOPLE = "what PERSON_NOT_CARRIED finds"
#: Of an abstract of several paragraphs, which the writer joins into one ``AB`` line.
PARAGRAPHS = "paragraph breaks in abstracts (pandoc reads one line per tag)"
#: Of an article in a record of language ``lang``, in the order reported.
ARTICLE_NOT_CARRIED: tuple[tuple[str, Callable[[Article, str], object] | None], ...] = (
    (("titles, abstracts and keywords in other languages (a record holds one language; each language gets a "
      "file of its own)"),
     lambda a, lang: any(len(texts) > (lang in texts) for texts in (a.titles.texts, a.abstracts.texts, a.keywords))),
    ("the language the article is written in (LA names the language of the record's text)",
     lambda a, lang: lang != a.language),
    ("short titles in other languages",
     lambda a, lang: a.short_title and len(a.short_title.texts) > (lang in a.short_title.texts)),
    ("PubMed and PubMed Central IDs (PMID, PMCID: RIS has no tag for them)", lambda a, lang: a.pmid or a.pmcid),
    ("line breaks in notes (N1 is written as one line)", lambda a, lang: a.note and "\n" in a.note.strip()),
    (PEOPLE, None),
    ("funding", lambda a, lang: a.funding),
    ("references", lambda a, lang: a.references),
    ("the section", lambda a, lang: a.section),
    ("in-text citation numbers", lambda a, lang: a.citations),
    ("the licence", lambda a, lang: a.license),
    ("the dates received and accepted", lambda a, lang: a.dates.received or a.dates.accepted),
    ("the online date beside the print date", lambda a, lang: a.dates.online and a.dates.published),
    ("that the date is the online one (DA reads back as the print date)",
     lambda a, lang: a.dates.online and not a.dates.published),
)


def not_carried(article: Article, lang: str) -> list[str]:
    """What a record in ``lang`` leaves out of ``article`` (beside roles it has no tag for)."""
    kinds: list[str] = []
    for what, has in ARTICLE_NOT_CARRIED:
        if has is None:  # PEOPLE: each kind where the first contributor with it is met
            kinds += dict.fromkeys(kind for contributor in article.contributors
                                   for kind, person_has in PERSON_NOT_CARRIED if person_has(contributor))
        elif has(article, lang):
            kinds.append(what)
    return kinds


def issue_not_carried(issue: Issue) -> list[str]:
    """What a RIS file leaves out of the issue."""
    return [what for what, has in ISSUE_NOT_CARRIED if has(issue)]
