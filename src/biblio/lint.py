"""Rules beyond the manifest's shape: what an editor should fix or confirm.

Each rule is a small function ``(issue) -> list[Problem]`` in RULES. Problems point at
model paths (``articles[1].keywords.en``); facts missing from many articles are
reported once for the issue with the article numbers, not once per article.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from . import ids
from .model import Article, Issue
from .problems import Problem, article_numbers

Rule = Callable[[Issue], list[Problem]]


def _article_path(index: int, *rest: str) -> str:
    return ".".join([f"articles[{index}]", *rest])


def dois(issue: Issue) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    prefix = issue.journal.doi_prefix
    for index, article in enumerate(issue.articles):
        if not article.doi:
            continue
        key = ids.doi_key(article.doi)
        if key in seen:
            problems.append(Problem("doi.duplicate", "error", f"the DOI {article.doi} is also used by "
                                    f"article {seen[key] + 1}; every article needs its own DOI",
                                    path=_article_path(index, "doi")))
        seen.setdefault(key, index)
        if prefix and ids.doi_prefix(article.doi) != prefix:
            problems.append(Problem("doi.prefix", "error", f"the DOI {article.doi} does not start with the "
                                    f"journal's prefix {prefix}; Crossref will refuse it from this depositor",
                                    path=_article_path(index, "doi")))
    if issue.doi and ids.doi_key(issue.doi) in seen:
        problems.append(Problem("doi.duplicate", "error", "the issue DOI is also an article's DOI",
                                path="issue.doi"))
    return problems


def original_titles(issue: Issue) -> list[Problem]:
    return [
        Problem("title.original-missing", "warning",
                f"the article is in '{article.language}' but has no title in that language; "
                f"outputs will lead with the {article.titles.main and article.titles.languages[0]} title",
                path=_article_path(index, "titles"))
        for index, article in enumerate(issue.articles)
        if article.language not in article.titles
    ]


def contributors(issue: Issue) -> list[Problem]:
    problems: list[Problem] = []
    for index, article in enumerate(issue.articles):
        if not article.contributors:
            problems.append(Problem("contributors.missing", "warning", "the article has no contributors",
                                    path=_article_path(index, "contributors")))
            continue
        people = [c for c in article.contributors if c.names]
        if not people:
            continue
        blocks = [lang for lang in article.languages if lang in article.titles or lang in article.abstracts]
        missing = [lang for lang in blocks if not any(lang in person.names for person in people)]
        if missing:
            problems.append(Problem(
                "names.language-missing", "info",
                f"no author names are given in {', '.join(missing)} although the article has text in "
                f"{'that language' if len(missing) == 1 else 'those languages'}; formats that ask for "
                f"{', '.join(missing)} will fall back to another spelling", path=_article_path(index, "contributors")))
        counts = {lang: sum(lang in person.names for person in people) for lang in
                  {lang for person in people for lang in person.names}}
        if len(set(counts.values())) > 1:
            detail = ", ".join(f"{lang}: {n}" for lang, n in sorted(counts.items()))
            problems.append(Problem("names.count-mismatch", "warning",
                                    f"the number of author names differs between languages ({detail})",
                                    path=_article_path(index, "contributors")))
    return problems


def keyword_counts(issue: Issue) -> list[Problem]:
    problems: list[Problem] = []
    for index, article in enumerate(issue.articles):
        counts = {lang: len(words) for lang, words in article.keywords.items()}
        if len(set(counts.values())) > 1:
            detail = ", ".join(f"{lang}: {n}" for lang, n in counts.items())
            problems.append(Problem("keywords.count-mismatch", "info",
                                    f"the keyword lists have different lengths ({detail}); check that "
                                    "none was lost or added", path=_article_path(index, "keywords")))
    return problems


_WORD = re.compile(r"\w+")


def _stems(text: str) -> set[str]:
    """Crude stems (first five letters of words of four letters or more), good enough to
    tell whether two texts in one language talk about the same things."""
    words = {w.lower() for w in set(_WORD.findall(text))}
    return {word[:5] for word in words if len(word) >= 4 and not word.isdigit()}


def _related_share(words: list[str], text: str) -> float:
    """The share of keywords that have a word in common with ``text``."""
    return _share([_stems(word) for word in words], _stems(text))


def _share(keyword_stems: list[set[str]], own: set[str]) -> float:
    return sum(not stems.isdisjoint(own) for stems in keyword_stems) / len(keyword_stems)


def _own_text(article: Article, lang: str) -> str:
    return (article.titles.get(lang) or "") + " " + (article.abstracts.get(lang) or "")


def unrelated_keywords(issue: Issue) -> list[Problem]:
    """Keyword lists that mostly share no word with the article's own title and abstract in
    their language (the source issue has English keywords that belong to another article).

    A list is flagged when fewer than a third of its keywords relate to the article's text;
    in the example issue related lists score 0.5 or more and the misplaced one 0.17.

    Each text's stems are computed once; the articles a flagged list fits better are found
    through an index from stem to articles, not by comparing the list with every article.
    """
    problems: list[Problem] = []
    own: dict[tuple[int, str], set[str]] = {}  # (article, language) -> stems of its title and abstract
    by_stem: dict[str, dict[str, set[int]]] = {}  # language -> stem -> articles; built on the first flag

    def stems_of(index: int, lang: str) -> set[str]:
        key = (index, lang)
        if key not in own:
            text = _own_text(issue.articles[index], lang)
            own[key] = _stems(text) if text.strip() else set()
        return own[key]

    def index_for(lang: str) -> dict[str, set[int]]:
        if lang not in by_stem:
            postings: dict[str, set[int]] = {}
            for other, candidate in enumerate(issue.articles):
                if _own_text(candidate, lang).strip():
                    for stem in stems_of(other, lang):
                        postings.setdefault(stem, set()).add(other)
            by_stem[lang] = postings
        return by_stem[lang]

    for index, article in enumerate(issue.articles):
        for lang, words in article.keywords.items():
            if not words or not _own_text(article, lang).strip():
                continue
            keyword_stems = [_stems(word) for word in words]
            if _share(keyword_stems, stems_of(index, lang)) >= 1 / 3:
                continue
            postings = index_for(lang)
            related: dict[int, int] = {}  # article -> how many of the keywords relate to its text
            for stems in keyword_stems:
                for other in set().union(*(postings.get(stem, ()) for stem in stems)):
                    related[other] = related.get(other, 0) + 1
            better = sorted(other for other, count in related.items()
                            if other != index and count / len(words) >= 0.5)
            elsewhere = f"; they fit {article_numbers(better)} better" if better else ""
            problems.append(Problem(
                "keywords.unrelated", "warning",
                f"the {lang} keywords ({', '.join(words)}) hardly appear in the article's own {lang} "
                f"title or abstract{elsewhere}; they may belong to another article",
                path=_article_path(index, "keywords", lang)))
    return problems


def funding(issue: Issue) -> list[Problem]:
    return [
        Problem("funding.no-award", "info", "this funding entry has no award number",
                path=_article_path(index, f"funding[{n}]"))
        for index, article in enumerate(issue.articles)
        for n, source in enumerate(article.funding)
        if not source.awards
    ]


def references(issue: Issue) -> list[Problem]:
    return [
        Problem("references.missing", "warning",
                f"the text cites {len(article.citations)} numbered sources but the article has no "
                "reference list; add the references to deposit them", path=_article_path(index, "references"))
        for index, article in enumerate(issue.articles)
        if article.citations and not article.references
    ]


_MISSING_FACTS: dict[str, tuple[str, Callable[[Article], bool]]] = {
    "pages": ("pages (or article numbers) are", lambda a: a.pages is None),
    "published": ("the publication date is", lambda a: a.dates.published is None and a.dates.online is None),
    "url": ("the landing-page URL is", lambda a: a.url is None),
    "affiliations": ("author affiliations are",
                     lambda a: any(c.names and not c.affiliations for c in a.contributors)),
    "license": ("the licence is", lambda a: a.license is None),
}


def missing_facts(issue: Issue) -> list[Problem]:
    """Facts most outputs want, reported once for the issue with the article numbers."""
    problems: list[Problem] = []
    pattern = issue.settings.landing_page_pattern if issue.settings else None
    for key, (what, is_missing) in _MISSING_FACTS.items():
        if key == "url" and pattern:
            continue  # landing pages come from the pattern
        if key == "published" and issue.published:
            continue
        lacking = [index for index, article in enumerate(issue.articles) if is_missing(article)]
        if lacking:
            problems.append(Problem(f"missing.{key}", "info",
                                    f"{what[0].upper() + what[1:]} missing in {len(lacking)} of {len(issue.articles)} "
                                    f"articles ({article_numbers(lacking)})", path="articles"))
    return problems


def journal(issue: Issue) -> list[Problem]:
    problems = [
        Problem("issn.media-unknown", "info", f"the ISSN {issn.value} is not marked print or electronic; "
                "Crossref will take it as print", path=f"journal.issns[{n}]")
        for n, issn in enumerate(issue.journal.issns) if issn.media is None
    ]
    if issue.journal.language and issue.journal.language not in issue.journal.titles:
        problems.append(Problem("journal.master-title", "warning",
                                f"the journal's language is '{issue.journal.language}' but it has no title "
                                "in that language to serve as the master title", path="journal.titles"))
    return problems


_EXAMPLE_HOST = re.compile(r"\bexample\.(org|com|net)\b", re.IGNORECASE)


def settings(issue: Issue) -> list[Problem]:
    if issue.settings is None:
        return [Problem("settings.missing", "info", "there are no publisher settings (depositor, registrant, "
                        "landing pages); a Crossref deposit needs them", path="settings")]
    values = [issue.settings.registrant, issue.settings.landing_page_pattern]
    if issue.settings.depositor:
        values += [issue.settings.depositor.name, issue.settings.depositor.email]
    if any(value and _EXAMPLE_HOST.search(value) for value in values):
        return [Problem("settings.example", "warning", "the publisher settings hold example.org values; "
                        "replace them with the real depositor and landing pages before depositing",
                        path="settings")]
    return []


_NAME_LIMIT = 60


def names_for_crossref(issue: Issue) -> list[Problem]:
    """Names that Crossref has refused in deposits: digits or '?' in a given name, over 60 characters."""
    problems: list[Problem] = []
    for index, article in enumerate(issue.articles):
        for number, contributor in enumerate(article.contributors):
            for lang, name in contributor.names.items():
                path = _article_path(index, f"contributors[{number}]", "names", lang)
                if name.given and re.search(r"[\d?]", name.given):
                    problems.append(Problem("crossref.name-characters", "warning",
                                            f"the given name '{name.given}' contains a digit or '?'; Crossref "
                                            "refuses such names — it is probably a typing slip", path=path))
                for part in (name.given, name.family):
                    if part and len(part) > _NAME_LIMIT:
                        problems.append(Problem("crossref.name-length", "warning",
                                                f"the name part '{part[:30]}…' is {len(part)} characters long; "
                                                f"Crossref refuses name parts over {_NAME_LIMIT} characters",
                                                path=path))
    return problems




_FIELD_LIMIT = 32  # Crossref's limit for volume, issue and page values


def pages(issue: Issue) -> list[Problem]:
    """Page values Crossref would refuse or drop."""
    problems: list[Problem] = []
    for index, article in enumerate(issue.articles):
        if article.pages is None:
            continue
        path = _article_path(index, "pages")
        first, last = article.pages.first, article.pages.last
        for value in (first, last, article.pages.article_number):
            if value and len(value) > _FIELD_LIMIT:
                problems.append(Problem("pages.length", "error", f"'{value[:20]}…' is longer than the "
                                        f"{_FIELD_LIMIT} characters Crossref allows for a page", path=path))
        if first and re.search(r"\d\s*[-–—]\s*\d", first):
            problems.append(Problem("pages.range-in-first", "warning", f"the first page '{first}' looks like a "
                                    "range; put the first page in 'first' and the last in 'last'", path=path))
        elif last and not first:
            problems.append(Problem("pages.last-without-first", "warning", "a last page without a first page "
                                    "is dropped by Crossref; add 'first'", path=path))
        elif first and last and first.isdigit() and last.isdigit() and int(last) < int(first):
            problems.append(Problem("pages.order", "warning", f"the last page ({last}) comes before the first "
                                    f"({first}); Crossref would drop the range", path=path))
    return problems


def crossref_limits(issue: Issue) -> list[Problem]:
    """Values longer than Crossref's schema allows, and years outside its range."""
    problems = []
    for key in ("number", "volume"):
        value = getattr(issue, key)
        if value and len(value) > _FIELD_LIMIT:
            problems.append(Problem("crossref.too-long", "warning", f"the issue {key} '{value[:20]}…' is longer "
                                    f"than the {_FIELD_LIMIT} characters a Crossref deposit allows",
                                    path=f"issue.{key}"))
    if not 1400 <= issue.year <= 2200:
        problems.append(Problem("crossref.year", "warning", f"the year {issue.year} is outside the range a "
                                "Crossref deposit accepts (1400-2200)", path="issue.year"))
    for index, article in enumerate(issue.articles):
        for number, reference in enumerate(article.references):
            for key in ("volume", "issue"):
                value = getattr(reference, key)
                if value and len(value) > _FIELD_LIMIT:
                    problems.append(Problem("crossref.too-long", "warning", f"the reference's {key} '{value[:20]}…' "
                                            f"is longer than the {_FIELD_LIMIT} characters Crossref allows",
                                            path=_article_path(index, f"references[{number}]", key)))
    return problems


def title_count(issue: Issue) -> list[Problem]:
    from .formats.crossref import MAX_TITLES

    return [Problem("titles.too-many", "warning", f"the article has {len(article.titles.texts)} titles; a "
                    f"Crossref deposit carries the first {MAX_TITLES}", path=_article_path(index, "titles"))
            for index, article in enumerate(issue.articles) if len(article.titles.texts) > MAX_TITLES]


RULES: tuple[Rule, ...] = (dois, original_titles, contributors, keyword_counts, unrelated_keywords,
                           funding, references, journal, settings, names_for_crossref, pages, title_count,
                           crossref_limits, missing_facts)


def lint(issue: Issue) -> list[Problem]:
    """Run every rule; problems come in rule order, each rule in article order."""
    found: list[Problem] = []
    for rule in RULES:
        found.extend(rule(issue))
    return found

