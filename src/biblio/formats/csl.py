"""CSL-JSON: the input of citation processors (citeproc-js, citeproc-py, pandoc) and of Zotero.

Each article is one ``article-journal`` item in one language (design.md §4, "Which
language?"): title, abstract, keywords, names and journal title come from
``derive.localize``, which reports every fallback. Items pass the official
``csl-data.json`` unchanged, which rejects unknown keys: what CSL has no field for
(ORCID, titles in other languages) goes into ``custom``, the schema's place for extras,
and the rest is reported as ``csl.not-carried``.
"""

from __future__ import annotations

import json
from pathlib import Path

from .. import derive, ids
from ..fileio import write_atomic
from ..model import (
    Article,
    Contributor,
    Issn,
    Issue,
    Journal,
    LangText,
    Pages,
    PartialDate,
    PersonName,
    Publisher,
)
from ..problems import Problem, article_numbers
from ..yamlsource import Located, parse

FILE_NAME = "articles.csl.json"
ROLE_FIELDS = {"author": "author", "editor": "editor", "translator": "translator", "chair": "chair",
               "reviewer": "contributor"}
FIELD_ROLES = {field: role for role, field in ROLE_FIELDS.items()}


def file_name(lang: str | None) -> str:
    return FILE_NAME if lang is None else f"articles.{lang}.csl.json"


def _date(date: PartialDate) -> dict:
    parts = [date.year] + ([date.month] if date.month else []) + ([date.day] if date.month and date.day else [])
    return {"date-parts": [parts]}


def _name(contributor: Contributor, name: PersonName | None, lang: str) -> dict:
    if name is None:
        return {"literal": derive.organization_name(contributor, lang) or ""}
    entry = {"family": name.family}
    if name.given:
        entry["given"] = name.given
    return entry


def item(issue: Issue, index: int, lang: str | None = None) -> tuple[dict, list[Problem], set[str]]:
    """One article as a CSL-JSON item, the fallbacks taken, and the kinds of field left out."""
    article = issue.articles[index]
    view = derive.localize(issue, index, lang)
    entry: dict = {"id": article.doi or f"article-{index + 1}", "type": "article-journal"}
    if view.title:
        entry["title"] = view.title
    original = article.titles.get(article.language)
    if original and view.lang != article.language:
        entry["original-title"] = original
    for contributor, name in view.authors:
        entry.setdefault(ROLE_FIELDS[contributor.role], []).append(_name(contributor, name, view.lang))
    if view.journal_title:
        entry["container-title"] = view.journal_title
    if issue.journal.abbreviation:
        entry["container-title-short"] = issue.journal.abbreviation
    issued, from_issue = derive.publication_date(issue, article)
    entry["issued"] = _date(issued)
    for key, value in (("volume", issue.volume), ("issue", issue.number)):
        if value:
            entry[key] = value
    if article.pages and article.pages.first:
        entry["page"] = "-".join(p for p in (article.pages.first, article.pages.last) if p)
    elif article.pages and article.pages.article_number:
        entry["number"] = article.pages.article_number
    if article.doi:
        entry["DOI"] = article.doi
    if issue.journal.issns:
        entry["ISSN"] = issue.journal.issns[0].value
    url = derive.landing_page(issue, index)
    if url:
        entry["URL"] = url
    entry["language"] = article.language
    if view.abstract:
        entry["abstract"] = view.abstract
    if view.keywords:
        entry["keyword"] = ", ".join(view.keywords)
        if any("," in word or ";" in word for word in view.keywords):
            view.problems.append(Problem("csl.keyword-comma", "warning", "a keyword contains ',' or ';', which "
                                         "CSL-JSON uses between keywords; readers will split it",
                                         path=f"articles[{index}].keywords"))
    if issue.journal.publisher:
        entry["publisher"] = derive.pick(issue.journal.publisher.name, view.lang)[0]
        if issue.journal.publisher.place:
            entry["publisher-place"] = derive.pick(issue.journal.publisher.place, view.lang)[0]
    custom: dict = {"metadata-language": view.lang}
    if from_issue:
        custom["date-from-issue"] = True  # so that a reader does not take it for the article's own date
    orcids, counts = {}, {}
    for contributor, _ in view.authors:
        field = ROLE_FIELDS[contributor.role]
        position = counts.get(field, 0)
        counts[field] = position + 1
        if contributor.orcid:
            orcids[f"{field}/{position}"] = contributor.orcid  # e.g. "author/0": the first author
    if orcids:
        custom["orcid"] = orcids
    entry["custom"] = custom
    left_out = _left_out(article, issue, view.lang)
    return entry, view.problems, left_out


def _left_out(article: Article, issue: Issue, lang: str) -> set[str]:
    out = set()
    if len(article.titles.texts) > 1 + (article.language in article.titles.texts and lang != article.language):
        out.add("titles in other languages")
    if len(article.abstracts.texts) > 1:
        out.add("abstracts in other languages")
    if any(c.affiliations for c in article.contributors):
        out.add("affiliations")
    if article.funding:
        out.add("funding")
    if article.references:
        out.add("reference lists")
    if article.license:
        out.add("licences")
    if article.section:
        out.add("sections")
    if article.citations:
        out.add("in-text citation numbers")
    if any(c.email or c.credit or c.corresponding for c in article.contributors):
        out.add("e-mail addresses, CRediT roles and corresponding authors")
    if issue.whole_number:
        out.add("the issue's whole number")
    return out


def items(issue: Issue, *, lang: str | None = None, dois: list[str] | None = None) -> tuple[list[dict], list[Problem]]:
    wanted = {ids.doi_key(ids.doi(d).value or d) for d in dois} if dois is not None else None
    result, problems, left_out = [], [], {}
    for index, article in enumerate(issue.articles):
        if wanted is not None and ids.doi_key(article.doi or "") not in wanted:
            continue
        entry, found, missing = item(issue, index, lang)
        result.append(entry)
        problems += found
        for what in missing:
            left_out.setdefault(what, []).append(index)
    for what, indexes in sorted(left_out.items()):
        problems.append(Problem("csl.not-carried", "info", f"CSL-JSON cannot carry {what} "
                                f"({article_numbers(indexes)})", path="articles"))
    return result, problems


def dumps(issue: Issue, *, lang: str | None = None, dois: list[str] | None = None) -> tuple[str, list[Problem]]:
    entries, problems = items(issue, lang=lang, dois=dois)
    return json.dumps(entries, ensure_ascii=False, indent=2) + "\n", problems


def write(issue: Issue, folder: Path, *, dois: list[str] | None = None,
          lang: str | None = None) -> tuple[list[Path], list[Problem]]:
    """The registry's writer: ``articles.csl.json`` (original languages) or ``articles.<lang>.csl.json``."""
    text, problems = dumps(issue, lang=lang, dois=dois)
    target = folder / file_name(lang)
    write_atomic(target, text)
    return [target], problems


# --- validation ---------------------------------------------------------------------------

def detect(path: Path) -> bool:
    """CSL-JSON: a JSON array whose items have a CSL ``type`` (sniffed, not parsed)."""
    try:
        with open(path, "rb") as stream:
            head = stream.read(4096).lstrip()
    except OSError:
        return False
    return head.startswith(b"[") and b'"type"' in head


def _load(path: Path) -> tuple[Located | None, list[Problem]]:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        return None, [Problem("csl.io", "error", f"cannot read the file as UTF-8 text: {error}", file=str(path))]
    name = str(path) if str(path).endswith(".json") else f"{path}.json"
    doc, problems = parse(text, name)
    problems = [Problem(p.code.replace("manifest.", "csl."), p.severity, p.message, p.path, str(path), p.line,
                        p.column) for p in problems]
    if doc is not None:
        doc.file = str(path)
    return doc, problems


def validate(path: Path) -> list[Problem]:
    """Check a file against the official ``csl-data.json`` schema; errors name the item and line."""
    import jsonschema

    from .. import schemas

    doc, problems = _load(path)
    if doc is None or problems:
        return problems
    try:
        schema = schemas.csl_data_schema()
    except schemas.SchemasUnavailable as missing:
        return [Problem(p.code, p.severity, p.message, file=str(path)) for p in missing.problems]
    validator = jsonschema.Draft7Validator(schema)
    for error in sorted(validator.iter_errors(doc.data), key=lambda e: list(map(str, e.absolute_path))):
        where = tuple(error.absolute_path)
        located = doc.where(where)
        if error.context:  # "not valid under any of the given schemas": say which rule failed
            error = jsonschema.exceptions.best_match(error.context)
        message = error.message if len(error.message) < 300 else error.message[:300] + " …"
        if error.validator == "additionalProperties":
            message = f"{message}; CSL-JSON has no such field (extras belong in 'custom')"
        problems.append(Problem("csl.schema", "error", message, path=located["path"], file=str(path),
                                line=located["line"], column=located["column"]))
    return problems


# --- reading ------------------------------------------------------------------------------

def _partial(value) -> PartialDate | None:
    if not isinstance(value, dict):
        return None
    parts = (value.get("date-parts") or [[]])[0]
    try:
        numbers = [int(part) for part in parts]
    except (TypeError, ValueError):
        return None
    text = "-".join([f"{numbers[0]:04d}", *(f"{n:02d}" for n in numbers[1:3])]) if numbers else ""
    return PartialDate.parse(text) if text else PartialDate.parse(str(value.get("raw", ""))[:10])


def read(path: Path) -> tuple[Issue | None, list[Problem]]:
    """A CSL-JSON file into an issue, one article per ``article-journal`` item."""
    doc, problems = _load(path)
    if doc is None:
        return None, problems
    if not isinstance(doc.data, list):
        return None, problems + [Problem("csl.shape", "error", "CSL-JSON is a list of items", file=str(path))]
    articles, journal, year = [], None, None
    issue = Issue(journal=Journal(LangText()), year=0)
    for number, entry in enumerate(doc.data):
        where = doc.where((number,))
        if not isinstance(entry, dict) or not entry.get("title"):
            problems.append(Problem("csl.unusable", "warning", "this item has no title and was skipped", **where))
            continue
        if entry.get("type") not in ("article-journal", "article", None):
            problems.append(Problem("csl.type", "info", f"a '{entry.get('type')}' item is read as a journal "
                                    "article", **where))
        custom = entry.get("custom") if isinstance(entry.get("custom"), dict) else {}
        text_sample = str(entry.get("title", ""))
        work_lang = _lang(entry.get("language")) or derive.guess_language(text_sample)
        lang = _lang(custom.get("metadata-language")) or work_lang
        article = Article(language=work_lang, titles=LangText.of({lang: entry["title"]}, work_lang))
        if entry.get("original-title") and work_lang != lang:
            article.titles = LangText.of({work_lang: entry["original-title"], lang: entry["title"]}, work_lang)
        if entry.get("abstract"):
            article.abstracts = LangText.of({lang: entry["abstract"]}, work_lang)
        if entry.get("keyword"):
            words = [w.strip() for w in str(entry["keyword"]).replace(";", ",").split(",") if w.strip()]
            article.keywords = {lang: words}
        orcids = custom.get("orcid") if isinstance(custom.get("orcid"), dict) else {}
        for field, role in FIELD_ROLES.items():
            for position, name in enumerate(entry.get(field) or []):
                if not isinstance(name, dict):
                    continue
                contributor = Contributor(role=role)  # type: ignore[arg-type]
                if name.get("literal") and not name.get("family"):
                    contributor.organization = LangText.of({lang: name["literal"]}, work_lang)
                elif name.get("family") or name.get("given"):
                    contributor.names[lang] = PersonName(name.get("family") or name["given"],
                                                         name.get("given") if name.get("family") else None)
                else:
                    continue
                orcid = orcids.get(f"{field}/{position}")
                if orcid and ids.orcid(str(orcid)).ok:
                    contributor.orcid = ids.orcid(str(orcid)).value
                article.contributors.append(contributor)
        if entry.get("DOI"):
            checked = ids.doi(str(entry["DOI"]))
            if checked.ok:
                article.doi = checked.value
            else:
                problems.append(checked.problem("warning", **where))  # type: ignore[arg-type]
        page = str(entry.get("page") or "")
        if page:
            first, _, last = page.replace("–", "-").partition("-")
            article.pages = Pages(first.strip() or None, last.strip() or None)
        elif entry.get("number"):
            article.pages = Pages(article_number=str(entry["number"]))
        article.url = entry.get("URL")
        issued = _partial(entry.get("issued"))
        if issued and not custom.get("date-from-issue"):
            article.dates.published = issued
        if journal is None:
            titles = LangText.of({lang: entry["container-title"]}, lang) if entry.get("container-title") else LangText()
            journal = Journal(titles=titles, language=lang if titles else None,
                              abbreviation=entry.get("container-title-short") or entry.get("journalAbbreviation"))
            if entry.get("ISSN") and ids.issn(str(entry["ISSN"]).split(",")[0]).ok:
                journal.issns = [Issn(ids.issn(str(entry["ISSN"]).split(",")[0]).value)]  # type: ignore[arg-type]
            if entry.get("publisher"):
                journal.publisher = Publisher(LangText.of({lang: entry["publisher"]}, lang),
                                              LangText.of({lang: entry["publisher-place"]}, lang)
                                              if entry.get("publisher-place") else None)
            issue.volume = str(entry["volume"]) if entry.get("volume") else None
            issue.number = str(entry["issue"]) if entry.get("issue") else None
            year = issued.year if issued else None
        elif entry.get("container-title") in journal.titles.texts.values():
            if lang not in journal.titles.texts:  # a fallback: the title shown is the journal's original one
                journal.titles.original = next(k for k, v in journal.titles.texts.items()
                                               if v == entry["container-title"])
        elif entry.get("container-title"):
            if lang in journal.titles.texts:  # a different journal title in the same language
                problems.append(Problem("csl.several-journals", "warning", "this item is from another journal; "
                                        "the issue takes the journal of the first item", **where))
            else:  # the same journal, named in this item's language
                journal.titles.texts[lang] = entry["container-title"]
        articles.append(article)
    if journal is None:
        return None, problems + [Problem("csl.empty", "error", "the file has no usable items", file=str(path))]
    issue.journal, issue.articles, issue.year = journal, articles, year or 0
    return issue, problems


def _lang(value) -> str | None:
    if not value:
        return None
    checked = ids.language_tag(str(value))
    return checked.value if checked.ok else None
