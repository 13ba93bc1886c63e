"""Rules beyond the manifest's shape: what an editor should fix or confirm.

Each rule is a small function ``(issue) -> list[Problem]`` in RULES. Problems point at
model paths (``articles[1].keywords.en``); facts missing from many articles are
reported once for the issue with the article numbers, not once per article.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable

from . import derive, ids
from .fileio import NAME_BYTES
from .model import Article, Contributor, Issue
from .problems import Problem, article_numbers

Rule = Callable[[Issue], list[Problem]]
_PER_ARTICLE: dict[Rule, Callable[[int, Article], list[Problem]]] = {}  # rule -> its check of one article


def _article_path(index: int, *rest: str) -> str:
    return ".".join([f"articles[{index}]", *rest])


def _each(check: Callable[[int, Article], list[Problem]]) -> Rule:
    """A rule on the whole issue from its check of one article (which the Linter runs alone)."""
    @functools.wraps(check)
    def _rule(issue: Issue) -> list[Problem]:
        return [problem for index, article in enumerate(issue.articles) for problem in check(index, article)]
    _PER_ARTICLE[_rule] = check
    return _rule


def _article_dois(issue: Issue, seen: dict[str, int], index: int, doi: str | None) -> list[Problem]:
    """One article's DOI against the journal's prefix and the DOIs ``seen`` before it (updated)."""
    if not doi:
        return []
    problems: list[Problem] = []
    key = ids.doi_key(doi)
    if key in seen:
        problems.append(Problem("doi.duplicate", "error", f"the DOI {doi} is also used by article {seen[key] + 1}; "
                                "every article needs its own DOI", path=_article_path(index, "doi")))
    seen.setdefault(key, index)
    prefix = issue.journal.doi_prefix
    if prefix and ids.doi_prefix(doi) != prefix:
        problems.append(Problem("doi.prefix", "error", f"the DOI {doi} does not start with the journal's prefix "
                                f"{prefix}; Crossref will refuse it from this depositor",
                                path=_article_path(index, "doi")))
    return problems


def dois(issue: Issue) -> list[Problem]:
    """DOIs used twice (by two articles, or by an article and the issue) or outside the journal's prefix."""
    seen: dict[str, int] = {}
    found = [p for index, article in enumerate(issue.articles) for p in _article_dois(issue, seen, index, article.doi)]
    if issue.doi and ids.doi_key(issue.doi) in seen:
        found.append(Problem("doi.duplicate", "error", "the issue DOI is also an article's DOI", path="issue.doi"))
    return found


@_each
def original_titles(index: int, article: Article) -> list[Problem]:
    """Articles without a title in their own language, which the outputs lead with."""
    if article.language in article.titles:
        return []
    lead = (f"outputs will lead with the {article.titles.languages[0]} title" if article.titles.languages
            else "outputs will have no title")
    return [Problem("title.original-missing", "warning", f"the article is in '{article.language}' but has no title in "
                    f"that language; {lead}", path=_article_path(index, "titles"))]


def _spelling(lang: str) -> str:
    """Languages that share one spelling of a name: every Latin-script language is one."""
    return "Latin script" if derive.usual_script(lang) == "Latn" else lang


def _spells(person: Contributor, lang: str) -> bool:
    return any(_spelling(given) == _spelling(lang) for given in person.names)


@_each
def contributors(index: int, article: Article) -> list[Problem]:
    """Articles without contributors, or whose author names are missing in a language or differ in number."""
    if not article.contributors:
        return [Problem("contributors.missing", "warning", "the article has no contributors",
                        path=_article_path(index, "contributors"))]
    people = [c for c in article.contributors if c.names]
    if not people:
        return []
    problems: list[Problem] = []
    blocks = [lang for lang in article.languages if lang in article.titles or lang in article.abstracts]
    missing = [lang for lang in blocks if not any(_spells(person, lang) for person in people)]
    if missing:
        problems.append(Problem(
            "names.language-missing", "info",
            f"no author names are given in {', '.join(missing)} although the article has text in "
            f"{'that language' if len(missing) == 1 else 'those languages'}; formats that ask for "
            f"{', '.join(missing)} will fall back to another spelling", path=_article_path(index, "contributors")))
    counts = {_spelling(lang): sum(_spells(person, lang) for person in people) for lang in
              {lang for person in people for lang in person.names}}
    if len(set(counts.values())) > 1:
        detail = ", ".join(f"{lang}: {n}" for lang, n in sorted(counts.items()))
        problems.append(Problem("names.count-mismatch", "warning", "the number of author names differs between "
                                f"languages ({detail})", path=_article_path(index, "contributors")))
    return problems


@_each
def keyword_counts(index: int, article: Article) -> list[Problem]:
    """Keyword lists of different lengths in different languages: one may have lost or gained a keyword."""
    counts = {lang: len(words) for lang, words in article.keywords.items()}
    if len(set(counts.values())) > 1:
        detail = ", ".join(f"{lang}: {n}" for lang, n in counts.items())
        return [Problem("keywords.count-mismatch", "info", f"the keyword lists have different lengths ({detail}); "
                        "check that none was lost or added", path=_article_path(index, "keywords"))]
    return []


_WORD = re.compile(r"\w+")


def stems(text: str) -> set[str]:
    """Crude stems (first five letters of the lower-cased text's words of four letters or more, numbers left out), good
    enough to tell whether two texts in one language talk about the same things."""
    return {word[:5] for word in set(_WORD.findall(text.lower())) if len(word) >= 4 and not word.isdigit()}


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"  # what ``\w`` matches in a str pattern


def _has_stem(lowered: str, stem: str) -> bool:
    """Whether ``stem`` is in ``stems(text)``, for ``lowered = text.lower()``: found with substring searches instead of
    splitting a whole abstract into words (most of the lint's time when it did)."""
    start = lowered.find(stem)
    while start >= 0:
        end = start + len(stem)
        if (start == 0 or not _is_word_char(lowered[start - 1])) and (
                len(stem) == 5 or end == len(lowered) or not _is_word_char(lowered[end])):
            word = _WORD.match(lowered, start)
            if word and not word.group().isdigit():  # a number is no stem
                return True
        start = lowered.find(stem, start + 1)
    return False


def related_count(keyword_stems: list[set[str]], text: str) -> int:
    """How many keywords have a stem in ``text``: ``sum(not s.isdisjoint(stems(text)))``, faster."""
    lowered = text.lower()
    return sum(any(_has_stem(lowered, stem) for stem in keyword) for keyword in keyword_stems)


def related_share(words: list[str], text: str) -> float:
    """The share of keywords that have a word in common with ``text``."""
    own = stems(text)
    return sum(not stems(word).isdisjoint(own) for word in words) / len(words)


def own_text(article: Article, lang: str) -> str:
    """The article's title and abstract in ``lang``, which its keywords in ``lang`` should relate to."""
    return (article.titles.get(lang) or "") + " " + (article.abstracts.get(lang) or "")


def unrelated_keywords(issue: Issue) -> list[Problem]:
    """Keyword lists that mostly share no word with the article's own title and abstract in
    their language (the source issue has English keywords that belong to another article).

    A list is flagged when fewer than a third of its keywords relate to the article's text;
    in the example issue related lists score 0.5 or more and the misplaced one 0.17.
    """
    linter = Linter(issue)
    for index, article in enumerate(issue.articles):
        linter._add_keywords(index, article)
    return _unrelated(linter.flagged, issue.articles)


@_each
def funding(index: int, article: Article) -> list[Problem]:
    """Funding entries without an award number."""
    return [Problem("funding.no-award", "info", "this funding entry has no award number",
                    path=_article_path(index, f"funding[{n}]"))
            for n, source in enumerate(article.funding) if not source.awards]


@_each
def references(index: int, article: Article) -> list[Problem]:
    """Articles that cite numbered sources but have no reference list to deposit."""
    if article.citations and not article.references:
        return [Problem("references.missing", "warning", f"the text cites {len(article.citations)} numbered sources "
                        "but the article has no reference list; add the references to deposit them",
                        path=_article_path(index, "references"))]
    return []


_MISSING_FACTS: dict[str, tuple[str, Callable[[Article], bool]]] = {
    "pages": ("pages (or article numbers) are", lambda a: a.pages is None),
    "published": ("the publication date is", lambda a: a.dates.published is None and a.dates.online is None),
    "url": ("the landing-page URL is", lambda a: a.url is None),
    "affiliations": ("author affiliations are", lambda a: any(c.names and not c.affiliations for c in a.contributors)),
    "license": ("the licence is", lambda a: a.license is None),
}


def missing_facts(issue: Issue) -> list[Problem]:
    """Facts most outputs want, reported once for the issue with the article numbers."""
    lacking = {key: [index for index, article in enumerate(issue.articles) if is_missing(article)]
               for key, (_, is_missing) in _MISSING_FACTS.items()}
    return _missing(issue, lacking, len(issue.articles))


def _missing(issue: Issue, lacking: dict[str, list[int]], total: int) -> list[Problem]:
    # the issue gives what its articles lack: landing pages from the pattern, the publication date
    given = {"url": issue.settings and issue.settings.landing_page_pattern, "published": issue.published}
    return [Problem(f"missing.{key}", "info", f"{what[0].upper() + what[1:]} missing in {len(lacking[key])} of "
                    f"{total} articles ({article_numbers(lacking[key])})", path="articles")
            for key, (what, _) in _MISSING_FACTS.items() if lacking[key] and not given.get(key)]


def journal(issue: Issue) -> list[Problem]:
    """A journal language without a master title. (An ISSN of unknown medium is the writers' to report: the medium
    they assume depends on the journal's other ISSNs, see crossref.issn-media.)"""
    problems: list[Problem] = []
    if issue.journal.language and issue.journal.language not in issue.journal.titles:
        problems.append(Problem("journal.master-title", "warning", f"the journal's language is "
                                f"'{issue.journal.language}' but it has no title in that language to serve as the "
                                "master title", path="journal.titles"))
    return problems


_EXAMPLE_HOST = re.compile(r"\bexample\.(org|com|net)\b", re.IGNORECASE)


def settings(issue: Issue) -> list[Problem]:
    """Publisher settings missing, or still holding example.org values, before a deposit."""
    if issue.settings is None:
        return [Problem("settings.missing", "info", "there are no publisher settings (depositor, registrant, "
                        "landing pages); a Crossref deposit needs them", path="settings")]
    values = [issue.settings.registrant, issue.settings.landing_page_pattern]
    if issue.settings.depositor:
        values += [issue.settings.depositor.name, issue.settings.depositor.email]
    if any(value and _EXAMPLE_HOST.search(value) for value in values):
        return [Problem("settings.example", "warning", "the publisher settings hold example.org values; replace "
                        "them with the real depositor and landing pages before depositing", path="settings")]
    return []


_NAME_LIMIT = 60


@_each
def names_for_crossref(index: int, article: Article) -> list[Problem]:
    """Names that Crossref has refused in deposits: digits or '?' in a given name, over 60 characters."""
    problems: list[Problem] = []
    for number, contributor in enumerate(article.contributors):
        for lang, name in contributor.names.items():
            path = _article_path(index, f"contributors[{number}]", "names", lang)
            if name.given and re.search(r"[\d?]", name.given):
                problems.append(Problem("crossref.name-characters", "warning",
                                        f"the given name '{name.given}' contains a digit or '?'; Crossref "
                                        "refuses such names — it is probably a typing slip", path=path))
            for part in (name.given, name.family):
                if part and len(part) > _NAME_LIMIT:
                    problems.append(Problem("crossref.name-length", "warning", f"the name part '{part[:30]}…' is "
                                            f"{len(part)} characters long; Crossref refuses name parts over "
                                            f"{_NAME_LIMIT} characters", path=path))
    return problems


_FIELD_LIMIT = 32  # Crossref's limit for page values (volume and issue: formats.crossref.require)


@_each
def pages(index: int, article: Article) -> list[Problem]:
    """Page values Crossref would refuse or drop."""
    problems: list[Problem] = []
    if article.pages is None:
        return problems
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
    elif first and last and (low := ids.whole_number(first)) is not None and (
            high := ids.whole_number(last)) is not None and high < low:  # a page of 5,000 digits is no int()
        problems.append(Problem("pages.order", "warning", f"the last page ({last}) comes before the first "
                                f"({first}); Crossref would drop the range", path=path))
    return problems


@_each
def title_count(index: int, article: Article) -> list[Problem]:
    """Articles with more titles than a Crossref deposit carries."""
    from .formats.crossref import MAX_TITLES

    if len(article.titles.texts) > MAX_TITLES:
        return [Problem("titles.too-many", "warning", f"the article has {len(article.titles.texts)} titles; a "
                        f"Crossref deposit carries the first {MAX_TITLES}", path=_article_path(index, "titles"))]
    return []


@_each
def file_name(index: int, article: Article) -> list[Problem]:
    """A DOI that would give the article's JATS file a name longer than a file system takes: refused
    before anything is written (the build would fail on it half-way)."""
    from .formats.jats.mapping import file_name as jats_file

    name = jats_file(article, index)
    if len(name.encode("utf-8")) <= NAME_BYTES:
        return []
    return [Problem("output.name-too-long", "error", f"the article's JATS file is named after its DOI, which makes "
                    f"a name of {len(name.encode('utf-8'))} bytes ({name[:24]}…); a file name can have {NAME_BYTES}: "
                    "shorten the DOI", path=_article_path(index, "doi"))]


RULES: tuple[Rule, ...] = (dois, original_titles, contributors, keyword_counts, unrelated_keywords,
                           funding, references, journal, settings, names_for_crossref, pages, title_count,
                           file_name, missing_facts)


def lint(issue: Issue) -> list[Problem]:
    """Run every rule; problems come in rule order, each rule in article order."""
    if RULES != BUILTIN_RULES:  # rules added or replaced by a caller: run them as given
        return [problem for rule in RULES for problem in rule(issue)]
    linter = Linter(issue)
    for index, article in enumerate(issue.articles):
        linter.add(index, article)
    return linter.finish(issue.articles)


BUILTIN_RULES = RULES


class Linter:
    """The rules run article by article, for a build that never holds the whole issue.

    ``add`` each article in order (its own problems, and the little the cross-article rules need: DOI keys, keyword
    lists that fit their article badly, articles lacking a fact); ``finish`` gives the problems of ``lint`` in the same
    order. Only a badly fitting keyword list makes ``finish`` read the articles again, to name those it fits better.
    """

    def __init__(self, issue: Issue):
        self.issue = issue
        self.found: dict[Rule, list[Problem]] = {rule: [] for rule in RULES}
        self.seen: dict[str, int] = {}  # DOI key -> first article with it
        self.flagged: list[tuple[int, str, list[str], list[set[str]]]] = []  # unrelated keyword lists
        self.lacking: dict[str, list[int]] = {key: [] for key in _MISSING_FACTS}
        self.count = 0

    def add(self, index: int, article: Article) -> None:
        """Run the rules on the article at ``index``, keeping what ``finish`` needs of it."""
        self.count += 1
        self.found[dois].extend(_article_dois(self.issue, self.seen, index, article.doi))
        for rule, check in _PER_ARTICLE.items():
            self.found[rule].extend(check(index, article))
        self._add_keywords(index, article)
        for key, (_, is_missing) in _MISSING_FACTS.items():
            if is_missing(article):
                self.lacking[key].append(index)

    def _add_keywords(self, index: int, article: Article) -> None:
        for lang, words in article.keywords.items():
            text = own_text(article, lang)
            if not words or not text.strip():
                continue
            keyword_stems = [stems(word) for word in words]
            if related_count(keyword_stems, text) / len(keyword_stems) < 1 / 3:
                self.flagged.append((index, lang, words, keyword_stems))

    def finish(self, articles: Iterable[Article]) -> list[Problem]:
        """The problems in rule order; ``articles`` is read once more only for flagged keywords."""
        issue = self.issue
        if issue.doi and ids.doi_key(issue.doi) in self.seen:
            self.found[dois].append(Problem("doi.duplicate", "error", "the issue DOI is also an article's DOI",
                                            path="issue.doi"))
        self.found[unrelated_keywords] = _unrelated(self.flagged, articles)
        self.found[journal] = journal(issue)
        self.found[settings] = settings(issue)
        self.found[missing_facts] = _missing(issue, self.lacking, self.count)
        return [problem for rule in RULES for problem in self.found[rule]]


def _unrelated(flagged: list[tuple[int, str, list[str], list[set[str]]]], articles: Iterable[Article]) -> list[Problem]:
    """Problems for the badly fitting keyword lists, with the articles each fits better: one pass over the articles
    through an index from the flagged keywords' stems (not every list against every article)."""
    if not flagged:
        return []
    wanted: dict[str, dict[str, list[tuple[int, int]]]] = {}  # language -> stem -> (flagged list, keyword)
    for number, (_, lang, _, keyword_stems) in enumerate(flagged):
        for position, keyword in enumerate(keyword_stems):
            for stem in keyword:
                wanted.setdefault(lang, {}).setdefault(stem, []).append((number, position))
    related: list[dict[int, int]] = [{} for _ in flagged]  # per flagged list: article -> related keywords
    for other, candidate in enumerate(articles):
        for lang, postings in wanted.items():
            hits = {hit for stem in stems(own_text(candidate, lang)) for hit in postings.get(stem, ())}
            for number, _ in hits:
                related[number][other] = related[number].get(other, 0) + 1
    problems = []
    for (index, lang, words, _), counts in zip(flagged, related):
        better = sorted(other for other, count in counts.items() if other != index and count / len(words) >= 0.5)
        elsewhere = f"; they fit {article_numbers(better)} better" if better else ""
        problems.append(Problem("keywords.unrelated", "warning", f"the {lang} keywords ({', '.join(words)}) hardly "
                                f"appear in the article's own {lang} title or abstract{elsewhere}; they may belong "
                                "to another article", path=_article_path(index, "keywords", lang)))
    return problems
