"""The CSL-JSON field mapping, declared once: the writer, the reader and the "cannot carry" notes use it.

``FIELDS`` lists an item's keys in the order written, each with how the writer fills it
from an article shown in one language (``Shown``) and how the reader puts it back into the
model (``Reading``). ``first_only`` keys hold facts of the issue and the journal: every item
repeats them, the reader takes them from the first item. What no key carries is in
``ARTICLE_NOT_CARRIED`` and ``ISSUE_NOT_CARRIED`` (reported as ``csl.not-carried``). Reading
another tool's items, any key outside ``READ_KEYS`` (a name's outside ``NAME_KEYS``, ``custom``'s
outside ``CUSTOM_KEYS``) is reported as ``csl.not-read``, so the table decides that too.

Decisions (design.md §4): an item is an ``article-journal`` in one language, which ``language``
names (``derive.localize``: citeproc-js picks title case and terms by it). No ``original-title``:
APA and Chicago in citeproc-js and pandoc print it as "(Original work published as …)", and
``biblio cite`` leaves it out too; it is read from other tools' items. Items pass the official
``csl-data.json``, which refuses unknown keys, so ORCID iDs, the language shown and the article's
own language (where the item is in another) go into ``custom``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from ... import derive, ids, manifest_spec
from ...model import (Article, Contributor, ContributorRole, Issn, Issue, LangText, Pages, PartialDate, PersonName,
                      Publisher)
from ...problems import Problem

# Model contributor roles <-> CSL name variables, in the order the reader reads them.
ROLES: dict[ContributorRole, str] = {"author": "author", "editor": "editor", "translator": "translator",
                                     "chair": "chair", "reviewer": "contributor"}
NAME_ROLES = {variable: role for role, variable in ROLES.items()}
TYPES_READ = ("article-journal", "article", None)  # read as journal articles without a note
ARTICLE_TYPES = (*TYPES_READ, "article-magazine", "article-newspaper", "review", "review-book")  # these with a note
# Other item types are works (a ``Reference`` in no issue): CSL types -> the model's citation types; a type not here
# is read as "other", reported.
WORK_TYPES: dict[str, str] = {
    "book": "book", "chapter": "book_chapter", "paper-conference": "conference_paper", "report": "report",
    "thesis": "dissertation", "webpage": "web_resource", "post": "web_resource", "post-weblog": "blog_post",
    "dataset": "dataset", "software": "software", "patent": "patent", "standard": "standard",
    "collection": "collection", "periodical": "journal", "document": "other",
}
# Citation types -> the item type written (a type not here is a "document", reported).
WORK_ITEM: dict[str, str] = {
    "journal_article": "article-journal", "book": "book", "book_chapter": "chapter",
    "conference_paper": "paper-conference", "report": "report", "dissertation": "thesis",
    "web_resource": "webpage", "blog_post": "post-weblog", "dataset": "dataset", "software": "software",
    "patent": "patent", "standard": "standard", "collection": "collection", "journal": "periodical",
    "preprint": "article", "peer_review": "review", "other": "document",
}
# A work's keys: the ``Reference`` attribute and the CSL key (``container``: a whole work's series is its
# ``collection-title``; the dates and names are handled apart).
WORK_KEYS: dict[str, str] = {
    "title": "title", "container": "container-title", "conference": "event-title", "edition": "edition",
    "volume": "volume", "issue": "issue", "pages": "page", "publisher": "publisher", "place": "publisher-place",
    "isbn": "ISBN", "issn": "ISSN", "doi": "DOI", "url": "URL", "language": "language",
}
#: Every key of a work's item the reader reads; any other is reported as not read.
WORK_READ_KEYS = frozenset({*WORK_KEYS.values(), "collection-title", "event", "author", "editor", "issued", "accessed",
                            "type", "id", "custom"})
#: Where a convert's advice points for a part of the model (a problem's path): the key that gives it.
MODEL_FIELDS: dict[str, str] = {
    "journal.issns": "ISSN", "journal.titles": "container-title", "journal.publisher": "publisher",
    "issue.year": "issued", "issue.volume": "volume", "issue.number": "issue", "titles": "title", "doi": "DOI",
    "url": "URL", "pages": "page", "contributors": "author", "abstracts": "abstract", "keywords": "keyword",
    "dates": "issued", "language": "language",
}


def file_name(lang: str | None) -> str:
    """``articles.csl.json`` (each article in its own language) or ``articles.<lang>.csl.json``."""
    return "articles.csl.json" if lang is None else f"articles.{lang}.csl.json"


@dataclass
class Shown:
    """An article as its item shows it: in the language of ``view`` (``derive.localize``)."""

    issue: Issue
    article: Article
    index: int
    view: derive.Localized
    issued: PartialDate
    from_issue: bool  # the date is the issue's: the article has none of its own
    problems: list[Problem]  # where a key reports what is wrong with its value


@dataclass
class Reading:
    """One item being read back: the article made so far, and the issue (from the first item)."""

    entry: dict[str, Any]  # the item, parsed JSON
    where: dict[str, Any]  # file, line, column and path of the item, for its problems
    problems: list[Problem]
    article: Article
    lang: str  # the language the item shows
    custom: dict[str, Any]
    issue: Issue
    first: bool  # the first item read: it gives the issue's and the journal's facts

    def text(self, key: str) -> str | None:
        """The text of the item's ``key``, read as ``text_value`` reads it."""
        return text_value(self.entry.get(key), key, self.problems, self.where)


@dataclass(frozen=True)
class Field:
    """A CSL key: ``write`` gives its value (None: left out), ``read`` puts it into the model
    (None: read before the others, or not read). ``key`` None: the name variables."""

    key: str | None
    write: Callable[[Shown], Any]  # JSON data (for key None, the name variables: a dict of them)
    read: Callable[[Reading, str], None] | None = None
    first_only: bool = False


def text_value(value: object, key: str, problems: list[Problem], where: dict[str, Any]) -> str | None:
    """A CSL text value: strings as they are, numbers as text, a list's first string (Crossref's
    API sends titles as lists); anything else is reported and left out."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        strings = [str(v) for v in value if isinstance(v, (str, int)) and str(v).strip()]
        if len(strings) > 1:
            problems.append(Problem("csl.list", "info", f"'{key}' holds {len(strings)} values; the first is read",
                                    **where))
        return strings[0] if strings else None
    if isinstance(value, str):
        return value if value.strip() else None  # kept exactly; only blank text counts as missing
    problems.append(Problem("csl.value", "warning", f"'{key}' is not text and was not read", **where))
    return None


def language(value: object) -> str | None:
    """An item's language (or the one ``custom`` says it shows) as a checked tag; None if it is not one."""
    return ids.language_tag(str(value)).value if value else None


# --- each key, written and read -----------------------------------------------------------

def _read_original_title(r: Reading, key: str) -> None:
    original = r.text(key)
    work = r.article.language
    if original and work != r.lang:
        r.article.titles = LangText.of({work: original, r.lang: r.article.titles.texts[r.lang]}, work)


def _names(s: Shown) -> dict[str, list[dict[str, str]]]:
    names: dict[str, list[dict[str, str]]] = {}
    for contributor, name in s.view.authors:
        if name is None:
            entry = {"literal": derive.organization_name(contributor, s.view.lang) or ""}
        else:
            entry = {"family": name.family}
            if name.given:
                entry["given"] = name.given
            if name.suffix:  # "Jr.", "III": CSL's own part, printed after the name
                entry["suffix"] = name.suffix
        names.setdefault(ROLES[contributor.role], []).append(entry)
    return names


def _read_names(r: Reading, key: str) -> None:
    found = orcids if isinstance(orcids := r.custom.get("orcid"), dict) else {}
    work = r.article.language
    for variable, role in NAME_ROLES.items():
        names = r.entry.get(variable) or []
        if not isinstance(names, list):
            r.problems.append(Problem("csl.value", "warning", f"'{variable}' is not a list of names and was not "
                                      "read", **r.where))
            continue
        for position, name in enumerate(names):
            if not isinstance(name, dict):
                r.problems.append(Problem("csl.value", "warning", f"a name in '{variable}' is not an object and "
                                          "was not read", **r.where))
                continue
            family = _family([text_value(name.get(key), f"{variable}.{key}", r.problems, r.where)
                              for key in NAME_PARTS])
            given = text_value(name.get("given"), f"{variable}.given", r.problems, r.where)
            literal = text_value(name.get("literal"), f"{variable}.literal", r.problems, r.where)
            suffix = text_value(name.get("suffix"), f"{variable}.suffix", r.problems, r.where)
            contributor = Contributor(role=role)
            if literal and not family:
                contributor.organization = LangText.of({r.lang: literal}, work)
                if suffix:
                    r.problems.append(Problem("csl.value", "warning", f"'{variable}.suffix' ('{suffix}') of the "
                                              f"organisation '{literal}' is not read: an organisation's name has "
                                              "no suffix", **r.where))
            elif family or given:
                person = PersonName(family or given or "", given if family else None, suffix=suffix)
                contributor.names[derive.language_of(f"{person.family} {person.given or ''}", r.lang)] = person
            else:
                continue
            orcid = found.get(f"{variable}/{position}")
            contributor.orcid = ids.orcid(str(orcid)).value if orcid else None
            r.article.contributors.append(contributor)


#: A name's parts in the order printed after the given name: "João dos Santos", "Ludwig van Beethoven".
NAME_PARTS = ("dropping-particle", "non-dropping-particle", "family")
#: The keys of a name the reader reads: the family name keeps its particles as printed ("dos Santos"); the suffix
#: ("Jr.") is the name's own. A work's names (``Reference.authors``, "Family, Given") have no suffix:
#: ``WORK_NAME_KEYS``.
NAME_KEYS = frozenset({*NAME_PARTS, "given", "literal", "suffix"})
WORK_NAME_KEYS = NAME_KEYS - {"suffix"}


def _family(parts: list[str | None]) -> str | None:
    """The family name with its particles as printed: "dos Santos"; "d'" and "al-" join without a space."""
    text = ""
    for part in filter(None, (part.strip() if part else None for part in parts)):
        text += part if not text or text.endswith(("'", "’", "-")) else f" {part}"
    return text or None


def _read_container(r: Reading, key: str) -> None:
    container = r.text(key)
    journal = r.issue.journal
    if r.first:
        journal.titles = LangText.of({r.lang: container}, r.lang) if container else LangText()
        journal.language = r.lang if container else None
    elif container in journal.titles.texts.values():
        if r.lang not in journal.titles.texts:  # a fallback: the title shown is the journal's original one
            journal.titles.original = next(k for k, v in journal.titles.texts.items() if v == container)
    elif container:
        if r.lang in journal.titles.texts:  # a different journal title in the same language
            r.problems.append(Problem("csl.several-journals", "warning", "this item is from another journal; the "
                                      "issue takes the journal of the first item", **r.where))
        else:  # the same journal, named in this item's language
            journal.titles.texts[r.lang] = container


def _read_abbreviation(r: Reading, key: str) -> None:
    r.issue.journal.abbreviation = r.text(key) or r.text("journalAbbreviation")


def _date_parts(date: PartialDate) -> dict[str, list[list[int]]]:
    parts = [date.year] + ([date.month] if date.month else []) + ([date.day] if date.month and date.day else [])
    return {"date-parts": [parts]}


def _partial_date(value: object) -> PartialDate | None:
    if not isinstance(value, dict):
        return None
    parts = (value.get("date-parts") or [[]])[0]
    try:
        numbers = [int(part) for part in parts]
    except (TypeError, ValueError, OverflowError):  # 1e999 reads as infinity
        return None
    text = "-".join([f"{numbers[0]:04d}", *(f"{n:02d}" for n in numbers[1:3])]) if numbers else ""
    return PartialDate.parse(text) if text else PartialDate.parse(str(value.get("raw", ""))[:10])


def _read_issued(r: Reading, key: str) -> None:
    issued = _partial_date(r.entry.get(key))
    if r.entry.get(key) is not None and issued is None:
        r.problems.append(Problem("csl.date", "warning", "the 'issued' date cannot be read", **r.where))
    if issued and not r.custom.get("date-from-issue"):
        r.article.dates.published = issued
    if r.first:
        r.issue.year = issued.year if issued else 0


def _set(owner: str, attribute: str) -> Callable[[Reading, str], None]:
    """A reader that sets the text of the key as ``attribute`` of the issue or the article."""
    return lambda r, key: setattr(getattr(r, owner), attribute, r.text(key))


def _page(s: Shown) -> str | None:
    pages = s.article.pages
    if pages and pages.first:
        return f"{pages.first}-{pages.last}" if pages.last else pages.first
    return None


def _number(s: Shown) -> str | None:
    pages = s.article.pages
    return pages.article_number if pages and not pages.first else None


def _read_page(r: Reading, key: str) -> None:
    if page := r.text(key):
        first, _, last = page.replace("–", "-").partition("-")
        r.article.pages = Pages(first.strip() or None, last.strip() or None)


def _read_number(r: Reading, key: str) -> None:
    if number := r.text(key):
        if r.article.pages is None:
            r.article.pages = Pages(article_number=number)
        else:  # beside pages (another tool's item: the writer writes one or the other)
            r.article.pages.article_number = number


def _read_doi(r: Reading, key: str) -> None:
    if doi := r.text(key):
        checked = ids.doi(doi)
        if checked.ok:
            r.article.doi = checked.value
        elif problem := checked.problem("warning", **r.where):
            r.problems.append(problem)


def _read_issns(r: Reading, key: str) -> None:
    value = r.entry.get(key)
    journal = r.issue.journal
    for raw in value if isinstance(value, list) else str(value or "").split(","):
        checked = ids.issn(str(raw))
        if checked.value and all(issn.value != checked.value for issn in journal.issns):
            journal.issns.append(Issn(checked.value))
        elif not checked.value and str(raw).strip() and (problem := checked.problem("warning", **r.where)):
            r.problems.append(replace(problem, message=problem.message + "; the ISSN is not read"))


def _read_abstract(r: Reading, key: str) -> None:
    if abstract := r.text(key):
        r.article.abstracts = LangText.of({r.lang: abstract}, r.article.language)


def _keyword(s: Shown) -> str | None:
    """The keywords joined by commas, which readers split on: a keyword holding one is reported."""
    keywords = s.view.keywords
    if not keywords:
        return None
    joined = ", ".join(keywords)
    if joined.count(",") >= len(keywords) or ";" in joined:  # a comma beyond the ones between them
        s.problems.append(Problem("csl.keyword-comma", "warning", "a keyword contains ',' or ';', which "
                                       "CSL-JSON uses between keywords; readers will split it",
                                       path=f"articles[{s.index}].keywords"))
    return joined


def _read_keyword(r: Reading, key: str) -> None:
    value = r.entry.get(key)
    if isinstance(value, list):
        words = [str(w).strip() for w in value if str(w).strip()]
    else:
        words = [w.strip() for w in str(r.text(key) or "").replace(";", ",").split(",") if w.strip()]
    if words:
        r.article.keywords = {r.lang: words}


def _publisher(attribute: str) -> Callable[[Shown], str | None]:
    """The publisher's ``name`` or ``place`` in the language shown (or another)."""
    return lambda s: derive.pick(getattr(s.issue.journal.publisher, attribute, None), s.view.lang)[0]


def _read_publisher(r: Reading, key: str) -> None:
    if name := r.text(key):
        r.issue.journal.publisher = Publisher(LangText.of({r.lang: name}, r.lang))


def _read_publisher_place(r: Reading, key: str) -> None:
    place = r.text(key)
    publisher = r.issue.journal.publisher
    if place and publisher:
        publisher.place = LangText.of({r.lang: place}, r.lang)


def _short_title(s: Shown) -> str | None:
    """The short title in the language shown: an item never mixes languages (others are reported)."""
    return s.article.short_title.texts.get(s.view.lang) if s.article.short_title else None


def _read_short_title(r: Reading, key: str) -> None:
    if short := r.text(key):
        r.article.short_title = LangText.of({r.lang: short}, r.article.language)


def _read_id(check: Callable[[str], ids.IdCheck], attribute: str) -> Callable[[Reading, str], None]:
    """A reader of a checked identifier (``PMID``, ``PMCID``): one that is not is reported and left out."""
    def read(r: Reading, key: str) -> None:
        if text := r.text(key):
            checked = check(text)
            if checked.ok:
                setattr(r.article, attribute, checked.value)
            else:
                r.problems.append(Problem("csl.value", "warning", f"'{key}': {checked.message}; it is not read",
                                          **r.where))
    return read


def _read_accessed(r: Reading, key: str) -> None:
    accessed = _partial_date(r.entry.get(key))
    if r.entry.get(key) is not None and accessed is None:
        r.problems.append(Problem("csl.date", "warning", "the 'accessed' date cannot be read", **r.where))
    r.article.accessed = accessed


#: The keys of ``custom`` the writer writes and the reader reads.
CUSTOM_KEYS = frozenset({"metadata-language", "article-language", "date-from-issue", "orcid"})


def _custom(s: Shown) -> dict[str, object]:
    custom: dict[str, object] = {"metadata-language": s.view.lang}
    if s.view.lang != s.article.language:
        custom["article-language"] = s.article.language  # the item shows a translation, or a fallback
    if s.from_issue:
        custom["date-from-issue"] = True  # so that a reader does not take it for the article's own date
    orcids: dict[str, str] = {}  # by name variable and position: "author/0" is the first author
    counts: Counter[str] = Counter()
    for contributor, _ in s.view.authors:
        variable = ROLES[contributor.role]
        if contributor.orcid:
            orcids[f"{variable}/{counts[variable]}"] = contributor.orcid
        counts[variable] += 1
    if orcids:
        custom["orcid"] = orcids
    return custom


def _read_custom(r: Reading, key: str) -> None:
    """The article's own language, where the item shows it in another (read last: the texts are filed already)."""
    if own := language(r.custom.get("article-language")):
        r.article.language = own


# The item's keys in the order written. Read first, by the reader itself: ``READ_FIRST`` (they decide
# whether and in which language the item is read).
READ_FIRST = ("type", "title", "language", "custom")
FIELDS: tuple[Field, ...] = (
    Field("id", lambda s: s.article.doi or f"article-{s.index + 1}"),
    Field("type", lambda s: "article-journal"),
    Field("title", lambda s: s.view.title or None),
    Field("title-short", _short_title, _read_short_title),
    Field("original-title", lambda s: None, _read_original_title),  # not written: see the docstring
    Field(None, _names, _read_names),
    Field("container-title", lambda s: s.view.journal_title or None, _read_container),
    Field("container-title-short", lambda s: s.issue.journal.abbreviation or None, _read_abbreviation, True),
    Field("issued", lambda s: _date_parts(s.issued) if s.issued.year else None, _read_issued),  # 0: year unknown
    Field("volume", lambda s: s.issue.volume or None, _set("issue", "volume"), True),
    Field("issue", lambda s: s.issue.number or None, _set("issue", "number"), True),
    Field("page", _page, _read_page),
    Field("number", _number, _read_number),
    Field("DOI", lambda s: s.article.doi or None, _read_doi),
    Field("PMID", lambda s: s.article.pmid, _read_id(manifest_spec.pmid, "pmid")),
    Field("PMCID", lambda s: s.article.pmcid, _read_id(manifest_spec.pmcid, "pmcid")),
    Field("ISSN", lambda s: s.issue.journal.issns[0].value if s.issue.journal.issns else None, _read_issns, True),
    Field("URL", lambda s: derive.landing_page(s.issue, s.article, s.index) or None, _set("article", "url")),
    Field("accessed", lambda s: _date_parts(s.article.accessed) if s.article.accessed else None, _read_accessed),
    Field("language", lambda s: s.view.lang),
    Field("abstract", lambda s: s.view.abstract or None, _read_abstract),
    Field("keyword", _keyword, _read_keyword),
    Field("publisher", _publisher("name"), _read_publisher, True),
    Field("publisher-place", _publisher("place"), _read_publisher_place, True),
    Field("note", lambda s: s.article.note, _set("article", "note")),
    Field("custom", _custom, _read_custom),
)
#: Every key of an item the reader reads (``journalAbbreviation`` is Zotero's older name of ``container-title-short``;
#: ``id`` only names the item in messages, and the writer makes it again). Any other key is reported as not read.
READ_KEYS = frozenset({field.key for field in FIELDS if field.key and field.read} | set(READ_FIRST) | set(NAME_ROLES)
                      | {"journalAbbreviation", "id"})


# --- what no key carries: (what, does the article shown in ``lang`` have it), reported sorted by what

ARTICLE_NOT_CARRIED: tuple[tuple[str, Callable[[Article, str], object]], ...] = (
    ("titles in other languages", lambda article, lang: len(article.titles.texts) > (lang in article.titles.texts)),
    ("abstracts in other languages",
     lambda article, lang: len(article.abstracts.texts) > (lang in article.abstracts.texts)),
    ("affiliations", lambda article, lang: any(person.affiliations for person in article.contributors)),
    ("funding", lambda article, lang: article.funding),
    ("reference lists", lambda article, lang: article.references),
    ("licences", lambda article, lang: article.license),
    ("sections", lambda article, lang: article.section),
    ("in-text citation numbers", lambda article, lang: article.citations),
    ("e-mail addresses, CRediT roles and corresponding authors",
     lambda article, lang: any(p.email or p.credit or p.corresponding for p in article.contributors)),
    ("an article number beside pages",
     lambda article, lang: article.pages and article.pages.first and article.pages.article_number),
    ("other spellings of names and the printed name order",
     lambda article, lang: any(len(p.names) > 1 or any(name.order == "family-first" for name in p.names.values())
                               for p in article.contributors)),
    ("keywords in other languages", lambda article, lang: len(article.keywords) > (lang in article.keywords)),
    ("short titles in other languages",
     lambda article, lang: article.short_title and len(article.short_title.texts) > (lang in article.short_title)),
    ("dates received and accepted, and an online date beside the print date",
     lambda article, lang: article.dates.received or article.dates.accepted
     or (article.dates.online and article.dates.published)),
)

ISSUE_NOT_CARRIED: tuple[tuple[str, Callable[[Issue], object]], ...] = (
    ("the issue's whole number", lambda issue: issue.whole_number),
    ("the issue's DOI and title", lambda issue: issue.doi or issue.title),
    ("ISSNs after the first and whether an ISSN is print or electronic",
     lambda issue: len(issue.journal.issns) > 1 or any(issn.media for issn in issue.journal.issns)),
    ("the journal's and publisher's names in other languages",
     lambda issue: len(issue.journal.titles.texts) > 1
     or (issue.journal.publisher and len(issue.journal.publisher.name.texts) > 1)),
)
