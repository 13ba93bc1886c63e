"""The review page: one self-contained HTML file in which an editor reads an issue before depositing it.

The page shows the issue's header, a deposit checklist, the output files a build wrote with their verdicts, then each
article with its texts side by side, one column per language. Every problem is shown next to the field its ``path``
names; what names no field shown on the page goes in the issue's list, so nothing is dropped.

The checklist is not a second implementation of Crossref's rules: each row is what ``formats.crossref.require`` and the
manifest's checks report on (depositor, registrant, a DOI and a landing page for every article ...), and its state is
read from the problems ``check`` (and the build) found there. An error no row names still fails the last row.

Every value from the manifest is escaped; only ``http(s)`` URLs (and DOIs, ORCIDs, ROR IDs as their URLs) become links.
No scripts, no fonts or images from the network: the page opens offline and prints one article per page.
"""

from __future__ import annotations

import html
import os
import re
import urllib.parse
from collections.abc import Callable, Iterable
from pathlib import Path

from . import derive, ids
from .build import BuildReport, check_located
from .fileio import write_atomic
from .model import Article, Contributor, Funding, Issue, LangText, Pages, PartialDate
from .problems import SEVERITIES, Problem, counts

LABELS = {"error": "error", "warning": "warning", "info": "note"}
TEXT_FIELDS = (("titles", "Title"), ("abstracts", "Abstract"), ("keywords", "Keywords"))
FACTS = ("doi", "url", "pages", "dates", "section", "license", "funding")
HEADER = (("journal.titles", "Journal"), ("journal.abbreviation", "Abbreviation"), ("journal.issns", "ISSN"),
          ("journal.publisher", "Publisher"), ("journal.doi_prefix", "DOI prefix"), ("issue.volume", "Volume"),
          ("issue.number", "Number"), ("issue.whole_number", "Whole number"), ("issue.year", "Year"),
          ("issue.published", "Published"), ("issue.title", "Issue title"), ("issue.doi", "Issue DOI"),
          ("issue.doi_pattern", "DOI pattern"), ("settings", "Deposit settings"), ("settings.depositor", "Depositor"),
          ("settings.registrant", "Registrant"), ("settings.landing_page_pattern", "Landing pages"))
# A problem about a whole article (or the issue DOI) whose code says which field it concerns.
CODE_FIELDS = {"crossref.url-missing": "url", "doi.assigned": "doi", "doi.missing": "doi", "doi.duplicate": "doi",
               "doi.prefix": "doi", "doi.pattern-mismatch": "doi"}


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


# --- links: only http(s), DOIs, ORCIDs and ROR IDs become href -----------------------------------

_HTTP = re.compile(r"https?://[^\s<>\"'`\\\x00-\x1f\x7f]+", re.IGNORECASE)


def link(url: str | None, text: str | None = None) -> str:
    """An ``<a>`` for an http(s) URL; anything else (``javascript:``, ``data:``, a typo) is shown as text."""
    if not url:
        return ""
    label = _e(text if text is not None else url)
    return f'<a href="{_e(url)}">{label}</a>' if _HTTP.fullmatch(url) else f'<span class="raw">{label}</span>'


def doi_link(doi: str | None) -> str:
    """A DOI shown as itself, linked to doi.org."""
    if not doi:
        return ""
    return link("https://doi.org/" + urllib.parse.quote(doi, safe="/:;()._-"), doi) if doi.startswith("10.") \
        else _e(doi)


def _id_link(value: str) -> str:
    """A funder ID: a ROR URL or a Crossref Funder ID (a DOI)."""
    return link(value) if value.startswith("http") else doi_link(value)


# --- where each problem goes -----------------------------------------------------------------

def _parent(key: str) -> str:
    """``articles[2].titles.en`` → ``articles[2].titles`` → ``articles[2]`` → ``articles`` → ``""``."""
    shorter = re.sub(r"(\.[^.\[\]]*|\[\d+\])$", "", key)
    return "" if shorter == key else shorter


def field_keys(issue: Issue) -> set[str]:
    """Every place on the page a problem can be shown next to: header fields, each article and its fields."""
    keys = {key for key, _ in HEADER}
    for index, article in enumerate(issue.articles):
        base = f"articles[{index}]"
        keys |= {base, f"{base}.contributors", f"{base}.references"}
        keys |= {f"{base}.{name}" for name in FACTS}
        keys |= {f"{base}.{name}{suffix}" for name, _ in TEXT_FIELDS for suffix in ["", *(f".{lang}" for lang in
                                                                                         article.languages)]}
        keys |= {f"{base}.contributors[{n}]" for n in range(len(article.contributors))}
        keys |= {f"{base}.references[{n}]" for n in range(len(article.references))}
    return keys


def place(problem: Problem, keys: set[str], files: dict[str, str]) -> str | None:
    """The key of the field a problem is shown next to (``file:NAME`` for an output file); None: the issue's list."""
    if problem.file and problem.file in files:
        return "file:" + files[problem.file]
    key = _refined(problem)
    while key and key not in keys:
        key = _parent(key)
    return key or None


class Page:
    """The problems of one page, by the place they are shown; ``at`` hands each out once, so none shows twice."""

    def __init__(self, problems: list[Problem], keys: set[str], files: dict[str, str]):
        order = {severity: rank for rank, severity in enumerate(SEVERITIES)}
        self.problems = sorted(problems, key=lambda p: (order[p.severity], p.line or 0))
        self.ids = {id(p): f"p{n}" for n, p in enumerate(self.problems, 1)}
        self.spots = {id(p): place(p, keys, files) for p in self.problems}
        self.waiting: dict[str | None, list[Problem]] = {}
        self.articles: dict[int, list[Problem]] = {}  # each article's problems, by its 0-based position
        for p in self.problems:
            self.waiting.setdefault(self.spots[id(p)], []).append(p)
            if match := re.match(r"articles\[(\d+)\]", p.path or ""):
                self.articles.setdefault(int(match[1]), []).append(p)

    def has(self, key: str) -> bool:
        """Whether problems are still to be shown at ``key``."""
        return key in self.waiting

    def at(self, key: str) -> list[Problem]:
        """The problems shown at ``key``, taken off the list."""
        return self.waiting.pop(key, [])

    @property
    def left(self) -> list[Problem]:
        """The problems not shown yet, most severe first."""
        rank = {id(p): n for n, p in enumerate(self.problems)}
        return sorted((p for waiting in self.waiting.values() for p in waiting), key=lambda p: rank[id(p)])

    def show(self, key: str, tag: str = "ul") -> str:
        """The problems at ``key`` as a list, most severe first; empty when there are none."""
        return self.render(self.at(key), tag)

    def render(self, problems: Iterable[Problem], tag: str = "ul") -> str:
        items = "".join(self.item(p) for p in problems)
        return f'<{tag} class="problems">{items}</{tag}>' if items else ""

    def item(self, p: Problem) -> str:
        where = (f"{p.file}:{p.line}" if p.file and p.line else p.file or "")
        spot = (f'<span class="at">{_e(where)}{" · " if where else ""}{_e(p.path or "")} '
                f'<code>{_e(p.code)}</code></span>')
        return (f'<li class="problem {p.severity}" id="{self.ids[id(p)]}"><span class="badge {p.severity}">'
                f'{LABELS[p.severity]}</span> <span class="msg">{_e(p.message)}</span> {spot}</li>')


# --- the deposit checklist -----------------------------------------------------------------

def _count(issue: Issue, has: Callable[[int, Article], object], what: str = "") -> str:
    return f"{sum(bool(has(n, a)) for n, a in enumerate(issue.articles))} of {len(issue.articles)} articles{what}"


def _optional_counts(issue: Issue) -> tuple[int, int, int]:
    """How many articles give pages, a date of their own, a licence."""
    return (sum(bool(a.pages) for a in issue.articles),
            sum(bool(a.dates.published or a.dates.online) for a in issue.articles),
            sum(bool(a.license) for a in issue.articles))


def _optional(issue: Issue) -> str:
    """How many articles give pages, a date and a licence: a deposit goes without them (a row is marked only by
    problems), so the counts say what is there."""
    pages, dates, licences = _optional_counts(issue)
    return (f"{pages} of {len(issue.articles)} articles with pages, {dates} with a date of their own, "
            f"{licences} with a licence (a deposit may go without them)")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _depositor(issue: Issue) -> str:
    depositor = issue.settings.depositor if issue.settings else None
    return f"{depositor.name} <{depositor.email}>" if depositor else ""


def _registrant(issue: Issue) -> str:
    if issue.settings and issue.settings.registrant:
        return issue.settings.registrant
    return (issue.journal.publisher.name.main or "") if issue.journal.publisher else ""


# The fields Crossref's check (formats/crossref/require.py: presence, the schema's facets, the year) and the manifest's
# checks report on, as field paths; a row's state comes from the problems found there that concern a deposit.
CHECKLIST: tuple[tuple[str, str, Callable[[Issue], str]], ...] = (
    ("Depositor (name and e-mail)", r"settings\.depositor", _depositor),
    ("Registrant", r"settings\.registrant|journal\.publisher", _registrant),
    ("Publisher settings, not examples", r"settings$",
     lambda i: i.settings.landing_page_pattern or "" if i.settings else ""),
    ("Journal title", r"journal\.(titles|abbreviation)", lambda i: i.journal.titles.main or ""),
    ("ISSN and its medium", r"journal\.issns",
     lambda i: ", ".join(f"{s.value} ({s.media or 'medium not given'})" for s in i.journal.issns)),
    ("Year, volume and number", r"issue\.(year|published|volume|number)",
     lambda i: " · ".join(x for x in (str(i.year), i.volume and f"vol. {i.volume}", i.number and f"no. {i.number}")
                          if x)),
    ("A DOI for every article", r"issue\.doi(_pattern)?$|articles\[\d+\]\.doi$",
     lambda i: _count(i, lambda n, a: a.doi, f" ({sum(a.doi_from_pattern for a in i.articles)} from the pattern)")),
    ("A landing page for every article", r"articles\[\d+\]\.url$|issue\.doi\.url$|settings\.landing_page_pattern",
     lambda i: _count(i, lambda n, a: derive.landing_page(i, a, n))),
    ("A title for every article", r"articles\[\d+\]\.titles", lambda i: _count(i, lambda n, a: a.titles)),
    ("Contributors: names, ORCID iDs, affiliations", r"articles\[\d+\]\.contributors",
     lambda i: _plural(sum(len(a.contributors) for a in i.articles), "contributor")),
    ("Pages, dates and licence", r"articles\[\d+\]\.(pages|dates|license)",
     _optional),
    ("References", r"articles\[\d+\]\.references",
     lambda i: _plural(sum(len(a.references) for a in i.articles), "reference")),
)
DEPOSIT_CODES = ("crossref.", "doi.", "settings.", "issn.", "journal.", "title", "pages.", "references.")
CATCH_ALL = "Nothing else stops the build"


def _refined(p: Problem) -> str:
    """The problem's field path, made precise for a whole-article problem whose code names the field."""
    path = p.path or ""
    whole = re.fullmatch(r"articles\[\d+\]", path) or (path == "issue.doi" and p.code == "crossref.url-missing")
    return f"{path}.{CODE_FIELDS[p.code]}" if whole and p.code in CODE_FIELDS else path


def checklist(issue: Issue, page: Page, report: BuildReport | None) -> str:
    """The deposit checklist: each row's state is the worst problem found on its fields (errors and what concerns a
    deposit; an error no row names fails the last row). The problems are shown at their fields; a row links to them."""
    relevant = [p for p in page.problems if p.severity == "error" or p.code.startswith(DEPOSIT_CODES)]
    rows, claimed = [], set()
    for label, fields, value in CHECKLIST:
        found = [p for p in relevant
                 if re.match(fields, _refined(p)) and not (page.spots[id(p)] or "").startswith("file:")]
        claimed |= {id(p) for p in found}
        bare = value is _optional and not any(_optional_counts(issue))  # nothing given to check: not a tick
        rows.append(_row(page, label, value(issue), found, "none" if bare and not found else None))
    deposits = [f for f in report.files if f.format == "crossref"] if report else []
    found = [p for p in relevant if page.spots[id(p)] in {f"file:{f.path.name}" for f in deposits}]
    claimed |= {id(p) for p in found}
    verdicts = {True: "valid", False: "INVALID", None: "not validated"}
    shown = "; ".join(f"{f.path.name}: {verdicts[f.valid]}" for f in deposits) or "not built (run biblio build)"
    rows.append(_row(page, "The deposit file valid against Crossref's schema", shown, found,
                     "error" if any(f.valid is False for f in deposits) else None if deposits else "none"))
    rows.append(_row(page, CATCH_ALL, "", [p for p in relevant if p.severity == "error" and id(p) not in claimed]))
    return ('<table class="checklist"><thead><tr><th></th><th>What Crossref needs</th><th>In this issue</th>'
            f'<th>Problems</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')


def _row(page: Page, label: str, value: str, found: list[Problem], state: str | None = None) -> str:
    tally = counts(found)
    state = state or ("error" if tally["error"] else "warning" if tally["warning"] else "ok")
    mark = {"error": "✗", "warning": "!", "ok": "✓", "none": "–"}[state]
    links = " ".join(f'<a class="badge {p.severity}" href="#{page.ids[id(p)]}">{_e(_short(p))}</a>'
                     for p in found[:8]) + (f" … {len(found) - 8} more" if len(found) > 8 else "")
    return (f'<tr class="{state}"><td class="mark">{mark}</td><td>{_e(label)}</td>'
            f'<td>{_e(value) or "<span class=none>—</span>"}</td><td>{links}</td></tr>')


def _short(p: Problem) -> str:
    match = re.match(r"articles\[(\d+)\]", p.path or "")
    return f"article {int(match[1]) + 1}" if match else (p.path or p.code)


# --- the page ---------------------------------------------------------------------------------

def _none(text: str = "not given") -> str:
    return f'<span class="none">{_e(text)}</span>'


def _langtext(text: LangText | None, sep: str = " / ") -> str:
    if not text:
        return ""
    return sep.join(f'<span lang="{_e(lang)}">{_e(text[lang])}</span> <span class="tag">{_e(lang)}</span>'
                    for lang in text)


def _date(date: PartialDate | None) -> str:
    return str(date) if date else ""


def header(issue: Issue, page: Page) -> str:
    """The journal, the issue and the deposit settings as a table of fields, each with its problems."""
    journal, settings = issue.journal, issue.settings
    publisher = journal.publisher
    values = {
        "journal.titles": _langtext(journal.titles, "<br>"),
        "journal.abbreviation": _e(journal.abbreviation or ""),
        "journal.issns": "<br>".join(f"{_e(s.value)} <span class=tag>{_e(s.media or 'medium not given')}</span>"
                                     for s in journal.issns),
        "journal.publisher": (_langtext(publisher.name) + (f" · {_langtext(publisher.place)}" if publisher.place
                                                          else "")) if publisher else "",
        "journal.doi_prefix": _e(journal.doi_prefix or ""),
        "issue.volume": _e(issue.volume or ""), "issue.number": _e(issue.number or ""),
        "issue.whole_number": _e(issue.whole_number or ""), "issue.year": _e(issue.year),
        "issue.published": _e(_date(issue.published)), "issue.title": _langtext(issue.title),
        "issue.doi": doi_link(issue.doi), "issue.doi_pattern": f"<code>{_e(issue.doi_pattern or '')}</code>"
        if issue.doi_pattern else "",
        "settings": _e(", ".join(name for name, given in (("depositor", settings.depositor), ("registrant",
                    settings.registrant), ("landing-page pattern", settings.landing_page_pattern)) if given) or
                    "none") if settings else "",
        "settings.depositor": _e(_depositor(issue)),
        "settings.registrant": _e(settings.registrant or "") if settings else "",
        "settings.landing_page_pattern": f"<code>{_e(settings.landing_page_pattern)}</code>"
        if settings and settings.landing_page_pattern else "",
    }
    rows = [f'<tr><th>{label}</th><td>{values[key] or _none()}{page.show(key)}</td></tr>'
            for key, label in HEADER if values[key] or page.has(key)]
    return f'<table class="fields">{"".join(rows)}</table>'


def texts(article: Article, base: str, page: Page) -> str:
    """Titles, abstracts and keywords: one column per language, the article's own language first and marked."""
    langs = article.languages
    mark = " <span class=orig>original</span>"
    head = "".join(f'<th lang="{_e(lang)}">{_e(lang)}{mark if lang == article.language else ""}</th>' for lang in langs)
    rows = []
    for name, label in TEXT_FIELDS:
        cells = []
        for lang in langs:
            value: str
            if name == "keywords":
                words = article.keywords.get(lang, [])
                value = "".join(f'<span class="kw">{_e(word)}</span>' for word in words)
            else:
                text: LangText = getattr(article, name)
                value = "".join(f"<p>{_e(part)}</p>" for part in derive.paragraphs(text[lang])) \
                    if lang in text else ""
            cls = "text abstract" if name == "abstracts" else "text"
            cells.append(f'<td lang="{_e(lang)}" class="{cls}">{value or _none()}'
                         f'{page.show(f"{base}.{name}.{lang}")}</td>')
        below = page.show(f"{base}.{name}")
        rows.append(f'<tr class="{name}"><th>{label}</th>{"".join(cells)}</tr>')
        if below:
            rows.append(f'<tr class="below"><th></th><td colspan="{len(langs)}">{below}</td></tr>')
    return f'<table class="langs"><thead><tr><th></th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _contributor(contributor: Contributor) -> tuple[str, str, str]:
    names = "<br>".join(f'<span lang="{_e(lang)}">{_e(name.printed)}</span> <span class="tag">{_e(lang)}</span>'
                        for lang, name in contributor.names.items()) or _langtext(contributor.organization, "<br>")
    notes: list[str] = [contributor.role] if contributor.role != "author" else []
    notes += ["corresponding"] * contributor.corresponding + ([contributor.email] if contributor.email else [])
    notes += [", ".join(contributor.credit)] if contributor.credit else []
    if notes:
        names += f'<div class="small">{_e(" · ".join(notes))}</div>'
    orcid = link(ids.orcid_url(contributor.orcid), contributor.orcid) if contributor.orcid else ""
    affiliations = "".join(
        f'<div>{_langtext(a.name)}{" · " + link(a.ror) if a.ror else ""}'
        f'{" · " + _e(a.country) if a.country else ""}</div>' for a in contributor.affiliations)
    return names or _none("no name"), orcid or _none(), affiliations or _none()


def contributors(article: Article, base: str, page: Page) -> str:
    """The authors: names in every script, ORCID, affiliations; each row with its problems."""
    rows = []
    for n, contributor in enumerate(article.contributors):
        names, orcid, affiliations = _contributor(contributor)
        rows.append(f'<tr><td class="n">{n + 1}</td><td>{names}</td><td>{orcid}</td><td>{affiliations}'
                    f'{page.show(f"{base}.contributors[{n}]")}</td></tr>')
    table = ('<table class="people"><thead><tr><th></th><th>Names</th><th>ORCID</th><th>Affiliations</th></tr>'
             f'</thead><tbody>{"".join(rows)}</tbody></table>') if rows else _none("no contributors")
    return table + page.show(f"{base}.contributors")


def facts(issue: Issue, article: Article, index: int, page: Page) -> str:
    """DOI, landing page, pages, dates, section, licence, funding: each with its problems."""
    base = f"articles[{index}]"
    url = derive.landing_page(issue, article, index)
    published, from_issue = derive.publication_date(issue, article)
    dates = [f"published {published}{' (the issue’s date)' if from_issue else ''}"]
    dates += [f"{what} {value}" for what in ("online", "received", "accepted")
              if (value := getattr(article.dates, what))]
    pages = article.pages
    funding = "".join(f"<div>{_funding(f)}</div>" for f in article.funding)
    values = {
        "doi": doi_link(article.doi) + (' <span class="tag">from the DOI pattern</span>' if article.doi_from_pattern
                                        else ""),
        "url": link(url) + (' <span class="tag">from the landing-page pattern</span>' if url and not article.url
                            else ""),
        "pages": _e(article_pages(pages)) if pages else "",
        "dates": _e(", ".join(dates)),
        "section": _langtext(article.section),
        "license": (link(article.license.url) + (f" from {article.license.start}" if article.license.start else ""))
        if article.license else "",
        "funding": funding,
    }
    labels = {"doi": "DOI", "url": "Landing page", "pages": "Pages", "dates": "Dates", "section": "Section",
              "license": "Licence", "funding": "Funding"}
    rows = [f'<tr><th>{labels[key]}</th><td>{values[key] or _none()}{page.show(f"{base}.{key}")}</td></tr>'
            for key in FACTS]
    return f'<table class="fields">{"".join(rows)}</table>'


def _funding(f: Funding) -> str:
    parts = [_langtext(f.funder) or _none("no funder named")]
    parts += [_id_link(f.funder_id)] if f.funder_id else []
    parts += ["award " + _e(", ".join(f.awards))] if f.awards else []
    statement = f'<br><span class="small">{_langtext(f.statement, "<br>")}</span>' if f.statement else ""
    return " · ".join(parts) + statement


def article_pages(pages: Pages) -> str:
    """``12–19``, or ``article e123``."""
    if pages.article_number:
        return f"article {pages.article_number}"
    return "–".join(v for v in (pages.first, pages.last) if v)


def references(article: Article, base: str, page: Page) -> str:
    """The reference list as printed, each with its DOI and URL as links."""
    items = []
    for n, ref in enumerate(article.references):
        text = ref.text or ". ".join(v for v in (", ".join(ref.authors), ref.title, ref.container, ref.year) if v)
        extra = " ".join(x for x in (doi_link(ref.doi), link(ref.url)) if x)
        items.append(f'<li{f" lang={chr(34)}{_e(ref.language)}{chr(34)}" if ref.language else ""}>{_e(text)} {extra}'
                     f'{page.show(f"{base}.references[{n}]")}</li>')
    listed = f'<ol class="refs">{"".join(items)}</ol>' if items else _none("no reference list")
    return listed + page.show(f"{base}.references")


def article_section(issue: Issue, index: int, article: Article, page: Page) -> str:
    """One article: its number and title, its problems, texts side by side, authors, facts, references."""
    base = f"articles[{index}]"
    title = article.titles.main or ""
    body = (f'<h3>Titles, abstracts and keywords</h3>{texts(article, base, page)}'
            f'<h3>Authors</h3>{contributors(article, base, page)}'
            f'<h3>Publication</h3>{facts(issue, article, index, page)}'
            f'<h3>References ({len(article.references)})</h3>{references(article, base, page)}')
    mine = page.articles.get(index, [])
    general = page.show(base)
    return (f'<section class="article" id="article-{index + 1}"><header><span class="num">{index + 1}</span>'
            f'<div><h2 lang="{_e(article.titles.original or article.language)}">{_e(title) or _none("no title")}</h2>'
            f'<div class="sub">{doi_link(article.doi)} · {_e(article.language)} · {_badges(mine) or "no problems"}'
            f'</div></div></header>{general}{body}</section>')


def _badges(problems: Iterable[Problem]) -> str:
    tally = counts(problems)
    return " ".join(f'<span class="badge {s}">{tally[s]} {LABELS[s]}{"s" if tally[s] != 1 else ""}</span>'
                    for s in SEVERITIES if tally[s])


def outputs(report: BuildReport, page: Page, folder: Path) -> str:
    """The files the build wrote, as links relative to the page's ``folder``, with their verdicts and problems."""
    items = []
    verdict = {True: ("ok", "valid"), False: ("error", "INVALID, not written"), None: ("warning", "not validated")}
    for f in report.files:
        state, word = verdict[f.valid]
        name = f.path.name
        href = "./" + urllib.parse.quote(Path(os.path.relpath(f.path, folder)).as_posix())  # ':' quoted: no scheme
        shown = f'<a href="{_e(href)}">{_e(name)}</a>' if f.valid is not False else _e(name)
        items.append(f'<li class="{state}"><span class="badge {state}">{word}</span> <span class="tag">'
                     f'{_e(f.format)}</span> {shown}{page.show("file:" + name)}</li>')
    return f'<ul class="files">{"".join(items)}</ul>' if items else _none("no file was written")


def _title(issue: Issue) -> str:
    number = " ".join(x for x in (f"no. {issue.number}" if issue.number else "",
                                  f"({issue.whole_number})" if issue.whole_number else "") if x)
    parts = [issue.journal.titles.main or "", f"vol. {issue.volume}" if issue.volume else "", number, str(issue.year)]
    return " · ".join(part for part in parts if part)


def _identity(issue: Issue) -> str:
    """ISSNs, DOI prefix and publisher on one line under the title."""
    journal = issue.journal
    parts = [f"ISSN {_e(s.value)} ({_e(s.media or 'medium not given')})" for s in journal.issns]
    parts += [f"DOI prefix {_e(journal.doi_prefix)}"] if journal.doi_prefix else []
    parts += [_e(journal.publisher.name.main or "")] if journal.publisher else []
    return " · ".join(parts)


def render(issue: Issue | None, problems: list[Problem], report: BuildReport | None = None,
           source: str = "", folder: Path = Path(".")) -> str:
    """The whole page as text; ``folder``: where it is written (output files are linked relative to it)."""
    files = {str(f.path): f.path.name for f in report.files} if report else {}
    page = Page(problems, field_keys(issue) if issue else set(), files)
    title, top, toc, articles, identity = "The manifest could not be read", "", "", "", ""
    if issue is not None:
        title, identity = _title(issue), _identity(issue)
        top = (f'<h2>Deposit checklist</h2>{checklist(issue, page, report)}'
               + (f'<h2>Output files</h2>{outputs(report, page, folder)}' if report else "")
               + f'<h2>Journal and issue</h2>{header(issue, page)}')
        articles = "".join(article_section(issue, n, a, page) for n, a in enumerate(issue.articles))
        toc = "".join(f'<li><a href="#article-{n + 1}">{_e(a.titles.main or "")}</a> '
                      f'{_badges(page.articles.get(n, []))}</li>' for n, a in enumerate(issue.articles))
        toc = f'<h2>Articles</h2><ol class="toc">{toc}</ol>'
    serious = page.render(p for p in page.left if p.severity != "info")  # what names no field on the page
    notes = [p for p in page.left if p.severity == "info"]
    if notes:
        serious += f'<details open><summary>{len(notes)} notes</summary>{page.render(notes)}</details>'
    top += f'<h2>Problems of the whole issue</h2><div id="issue-problems">{serious or _none("none")}</div>{toc}'
    tally = counts(problems)
    stop = " stops the deposit" if tally["error"] == 1 else " stop the deposit"
    verdict = ("error", _plural(tally["error"], "error") + stop) \
        if tally["error"] else ("warning", "Nothing stops the deposit; review the warnings") if tally["warning"] \
        else ("ok", "Nothing stops the deposit")
    count = f"{len(issue.articles)} articles · " if issue else ""
    return _document(f"Review: {title}", f'<header class="page"><div class="kicker">Issue review'
                     f'{" · " + _e(source) if source else ""}</div><h1>{_e(title)}</h1><div class="identity">'
                     f'{identity}</div><p class="verdict {verdict[0]}">{verdict[1]}</p> <p>{count}'
                     f'{_badges(problems) or "no problems"}</p></header><section class="top">{top}</section>{articles}')


def _document(title: str, body: str) -> str:
    """A whole page: the body with the inline CSS, and a policy that lets nothing else load or run."""
    return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{_e(title)}</title>'
            f'<style>{CSS}</style></head><body>{body}</body></html>\n')


INDEX_PAGE = "index.html"


def index(issues: list[BuildReport], folder: Path) -> str:
    """A catalogue's page: one row per issue (journal, numbering, year, articles, problems, its review page, linked
    relative to ``folder``)."""
    rows = []
    for report in issues:
        facts = report.issue
        numbering = " ".join(x for x in (f"vol. {facts.volume}" if facts and facts.volume else "",
                                         f"no. {facts.number}" if facts and facts.number else "",
                                         f"({facts.whole_number})" if facts and facts.whole_number else "") if x)
        journal = _e(facts.journal.titles.main or "") if facts else _none("not read")
        page = _none("not built" if not report.files else "none: see its notes")
        if report.review is not None:
            name = Path(os.path.relpath(report.review, folder)).as_posix()
            page = f'<a href="{_e("./" + urllib.parse.quote(name))}">{_e(name)}</a>'
        rows.append(f'<tr><td>{journal}<div class="small">{_e(report.manifest or "")}</div></td><td>{_e(numbering)}'
                    f'</td><td>{_e(facts.year) if facts else ""}</td><td>{report.articles}</td>'
                    f'<td>{_badges(report.problems) or _none("none")}</td><td>{page}</td></tr>')
    failed = sum(not report.ok for report in issues)
    every = [p for report in issues for p in report.problems]
    verdict = ("error", f"{_plural(failed, 'issue')} with errors") if failed else ("ok", "No issue has an error")
    return _document(f"Catalogue: {_plural(len(issues), 'issue')}",
                     f'<header class="page"><div class="kicker">Catalogue</div><h1>{_plural(len(issues), "issue")}, '
                     f'{_plural(sum(r.articles for r in issues), "article")}</h1><p class="verdict {verdict[0]}">'
                     f'{verdict[1]}</p> <p>{_badges(every) or "no problems"}</p></header><table>'
                     '<thead><tr><th>Journal</th><th>Issue</th><th>Year</th><th>Articles</th><th>Problems</th>'
                     f'<th>Review page</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')


def write_index(issues: list[BuildReport], target: Path) -> list[Problem]:
    """Write a catalogue's index page; a ``report.io`` problem when it cannot be written."""
    try:
        write_atomic(target, index(issues, target.absolute().parent))
    except OSError as error:
        return [Problem("report.io", "error", f"cannot write the catalogue's index page: {error.strerror}; check the "
                        "folder exists and is writable", file=str(target))]
    return []


def write(source: Issue | str | Path, out_html: str | Path,
          build_report: BuildReport | None = None, *, checked: Issue | None = None) -> list[Problem]:
    """Check the issue (a manifest or an issue made in code) and write its review page to ``out_html``; with a build's
    report, also its files, verdicts and problems. Returns every problem shown (plus ``report.io`` when the page
    cannot be written). ``checked``: the issue a build has checked already, whose problems are in its report (the
    manifest is then not read a second time)."""
    if checked is not None and build_report is not None:
        issue: Issue | None = checked
        problems: list[Problem] = []
    else:
        issue, problems, _ = check_located(source, formats_too=True)
    if build_report is not None:
        seen = {(p.code, p.path, p.message) for p in problems}
        problems += [p for p in build_report.problems if (p.code, p.path, p.message) not in seen]
    target = Path(out_html)
    text = render(issue, problems, build_report, "" if isinstance(source, Issue) else str(source),
                  target.absolute().parent)
    try:
        write_atomic(target, text)
    except OSError as error:
        problems.append(Problem("report.io", "error", f"cannot write the review page: {error.strerror}; check the "
                                "folder exists and is writable", file=str(target)))
    return problems


CSS = """
:root{--ink:#1c2230;--muted:#667085;--faint:#98a2b3;--line:#e4e7ec;--band:#f5f6f8;--link:#1d5bbf;
--err:#b42318;--err-bg:#fef3f2;--err-line:#fda29b;--warn:#93370d;--warn-bg:#fffaeb;--warn-line:#fec84b;
--note:#175cd3;--note-bg:#eff8ff;--note-line:#b2ddff;--ok:#067647;--ok-bg:#ecfdf3;--ok-line:#abefc6}
*{box-sizing:border-box}html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{margin:0 auto;max-width:1280px;padding:28px 40px 64px;color:var(--ink);background:#fff;
font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",sans-serif}
h1{font-size:27px;line-height:1.25;margin:2px 0 12px}h2{font-size:19px;margin:36px 0 10px}
h3{font-size:12px;text-transform:uppercase;letter-spacing:.07em;color:var(--muted);margin:26px 0 6px}
.kicker{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.08em}
a{color:var(--link);text-decoration:none;border-bottom:1px solid #c6d6f1;overflow-wrap:anywhere}
code{font:12.5px/1.4 ui-monospace,"DejaVu Sans Mono",monospace;overflow-wrap:anywhere}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:7px 10px;border-bottom:1px solid var(--line)}
thead th{font-size:12px;color:var(--muted);font-weight:600;border-bottom:2px solid var(--line)}
table.fields th{width:150px;color:var(--muted);font-weight:500}
.tag{display:inline-block;font-size:11px;line-height:1.5;color:var(--muted);border:1px solid var(--line);
border-radius:3px;padding:0 4px;white-space:nowrap;vertical-align:1px}
.orig{font-size:10.5px;background:var(--ink);color:#fff;border-radius:3px;padding:1px 5px;margin-left:6px;
text-transform:uppercase;letter-spacing:.05em;vertical-align:1px}
.none{color:var(--faint);font-style:italic}.small{font-size:13px;color:var(--muted)}.raw{color:var(--err)}
.badge{display:inline-block;font-size:11.5px;font-weight:600;line-height:1.6;padding:0 8px;border-radius:999px;
border:1px solid;white-space:nowrap;margin:1px 2px 1px 0}
.badge.error{color:var(--err);background:var(--err-bg);border-color:var(--err-line)}
.badge.warning{color:var(--warn);background:var(--warn-bg);border-color:var(--warn-line)}
.badge.info{color:var(--note);background:var(--note-bg);border-color:var(--note-line)}
.badge.ok{color:var(--ok);background:var(--ok-bg);border-color:var(--ok-line)}
.verdict{display:inline-block;margin:0 10px 0 0;padding:5px 12px;border-radius:6px;font-weight:600}
.verdict.ok{color:var(--ok);background:var(--ok-bg)}
.verdict.warning{color:var(--warn);background:var(--warn-bg)}.verdict.error{color:var(--err);background:var(--err-bg)}
header.page{border-bottom:1px solid var(--line);padding-bottom:16px}header.page p{display:inline-block;margin:0}
.problems{list-style:none;margin:6px 0 2px;padding:0}
.problem{margin:4px 0;padding:4px 10px 5px;border-left:3px solid;border-radius:0 4px 4px 0;font-size:13.5px;
line-height:1.45;break-inside:avoid}
.problem.error{background:var(--err-bg);border-color:var(--err)}
.problem.warning{background:var(--warn-bg);border-color:#f79009}
.problem.info{background:var(--band);border-color:var(--note-line)}
.problem .badge{margin-right:4px}.problem .at{color:var(--muted);font-size:11.5px;margin-left:6px}
summary{cursor:pointer;color:var(--muted);font-size:13px;margin:8px 0 4px}
.problem code{font-size:11.5px}
.checklist td.mark{width:34px;font-weight:700;text-align:center;font-size:16px}
.checklist tr.ok .mark{color:var(--ok)}.checklist tr.none{color:var(--muted)}.checklist tr.warning .mark{color:#dc6803}
.checklist tr.error{background:var(--err-bg)}.checklist tr.error .mark{color:var(--err)}
.checklist a.badge{border-bottom:1px solid}
.identity{color:var(--muted);margin:-6px 0 12px}
ul.files{list-style:none;padding:0;columns:3 340px;column-gap:24px;margin:0}
ul.files li{break-inside:avoid;padding:3px 0;font-size:14px}
ol.toc{padding-left:24px}ol.toc li{margin:3px 0}
section.article{border-top:3px solid var(--ink);margin-top:56px;padding-top:14px}
section.article>header{display:flex;gap:14px;align-items:flex-start}
section.article>header h2{margin:0;font-size:21px;line-height:1.3}
.num{flex:none;width:34px;height:34px;border-radius:50%;background:var(--ink);color:#fff;font-weight:700;
display:flex;align-items:center;justify-content:center}
.sub{color:var(--muted);font-size:13px;margin-top:4px}section.article>header>div{flex:1}
table.langs{table-layout:fixed}table.langs th:first-child{width:92px;color:var(--muted);font-weight:500}
table.langs td p{margin:0 0 .6em}table.langs td p:last-child{margin:0}
table.langs tr.titles td{font-weight:600;font-size:15.5px;line-height:1.4}
td.abstract{font-size:13.5px;line-height:1.55;hyphens:auto}tr.below td{border-bottom:1px solid var(--line)}
.kw{display:inline-block;background:var(--band);border:1px solid var(--line);border-radius:4px;padding:0 7px;
margin:0 4px 4px 0;font-size:13px}
table.people td.n{width:28px;color:var(--muted)}table.people th:nth-child(3){width:190px}
ol.refs{padding-left:28px;font-size:13.5px}ol.refs li{margin:3px 0}
@media print{body{max-width:none;padding:0;font-size:10pt}@page{size:A4;margin:14mm 12mm}
section.article{break-before:page;margin-top:0;border-top:none}
a{border:none;color:inherit}tr,.kw,.problem{break-inside:avoid}tr.abstracts{break-inside:auto}
h2,h3{break-after:avoid}table.langs th:first-child{width:64px}td.abstract{font-size:9pt}}
"""
