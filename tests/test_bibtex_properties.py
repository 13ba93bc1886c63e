"""Property: any issue -> BibTeX that the validator accepts -> read back equal on what BibTeX carries,
and every article's share of what it cannot carry is reported.

Issues come in manifest shape (languages, missing fields, rich articles) or built with TeX
specials, braces, quotes, odd whitespace and one-name authors; each is written in its own
languages and in a language view.
"""

import re

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_manifest_properties import manifests

from biblio import derive, formats, manifest
from biblio.formats import bibtex
from biblio.model import (
    Article,
    ArticleDates,
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

KAZAKH = "ӘәҒғҚқҢңӨөҰұҮүҺһІі"


def squash(text):
    return re.sub(r"[ \t\n\r\f\v]+", " ", text).strip() if text else text


def carried(issue: Issue, index: int, lang: str | None) -> dict:
    """The article as a BibTeX entry shows it in ``lang``, with BibTeX's whitespace."""
    article = issue.articles[index]
    shown = derive.localize(issue, article, index, lang)
    people: dict[str, list] = {}
    for contributor, name in shown.authors:
        entry = (("org", squash(derive.organization_name(contributor, shown.lang))) if name is None
                 else (squash(name.family), squash(name.given) or None))
        people.setdefault(contributor.role, []).append(entry)
    abstract = None
    if shown.abstract:
        abstract = "\n\n".join(p for p in (squash(p) for p in re.split(r"\n[ \t\r\f\v]*\n", shown.abstract)) if p)
    date = derive.publication_date(issue, article)[0]
    pages = article.pages
    return {
        "title": squash(shown.title), "abstract": abstract,
        "keywords": [squash(w) for w in shown.keywords if squash(w)], "people": people,
        "journal": squash(shown.journal_title), "abbreviation": squash(issue.journal.abbreviation),
        "doi": article.doi, "language": shown.lang, "url": derive.landing_page(issue, article, index),
        "pages": (squash(pages.first), squash(pages.last) if pages.first else None, squash(pages.article_number))
        if pages else None,
        "date": (date.year, date.month), "volume": squash(issue.volume), "number": squash(issue.number),
        "issns": [issn.value for issn in issue.journal.issns],
    }


# What BibTeX cannot carry: how the note names it, and which articles have it (for sure).
NOT_CARRIED = {
    "titles in other languages": lambda issue, a: len(a.titles.texts) > 1,
    "abstracts in other languages": lambda issue, a: len(a.abstracts.texts) > 1,
    "keywords in other languages": lambda issue, a: len(a.keywords) > 1,
    "ORCID iDs": lambda issue, a: any(c.orcid for c in a.contributors),
    "affiliations": lambda issue, a: any(c.affiliations for c in a.contributors),
    "CRediT roles": lambda issue, a: any(c.credit for c in a.contributors),
    "funding": lambda issue, a: a.funding,
    "reference lists": lambda issue, a: a.references,
    "sections": lambda issue, a: a.section,
    "in-text citation numbers": lambda issue, a: a.citations,
    "licences": lambda issue, a: a.license,
    "the day of the publication date": lambda issue, a: derive.publication_date(issue, a)[0].day is not None,
    "the issue's whole number": lambda issue, a: issue.whole_number,
    "the issue's DOI and title": lambda issue, a: issue.doi or issue.title,
}


def numbers(text: str) -> set[int]:
    """``articles 1-3, 7`` as 0-based positions."""
    found = set()
    for span in text.split(" ", 1)[1].split(", "):
        first, _, last = span.partition("-")
        found.update(range(int(first) - 1, int(last or first)))
    return found


TRICKY = KAZAKH + "Аяё" + "AZaz09" + " &%$#_{}~^\\\"'`«»“”’-–—!?.,;:@=<>|\n\t\xa0"
tricky_text = st.text(alphabet=TRICKY, min_size=1, max_size=30).filter(lambda t: squash(t))


@st.composite
def tricky_articles(draw):
    lang = draw(st.sampled_from(["kk", "ru", "en"]))
    people = []
    for _ in range(draw(st.integers(0, 3))):
        if draw(st.booleans()):
            people.append(Contributor(names={lang: PersonName(draw(tricky_text),
                                                              draw(st.none() | tricky_text))}))  # one-name authors too
        else:
            people.append(Contributor(organization=LangText.of({lang: draw(tricky_text)}, lang)))
    paragraphs = draw(st.lists(st.text(alphabet=TRICKY, min_size=1, max_size=300).filter(lambda t: squash(t)),
                               min_size=1, max_size=3))
    article = Article(language=lang, titles=LangText.of({lang: draw(tricky_text)}, lang), contributors=people)
    if draw(st.booleans()):
        article.abstracts = LangText.of({lang: "\n\n".join(paragraphs)}, lang)
    if draw(st.booleans()):
        article.keywords = {lang: draw(st.lists(tricky_text, min_size=1, max_size=4))}
    if draw(st.booleans()):
        first = draw(st.from_regex(r"[1-9][0-9]{0,3}", fullmatch=True))
        article.pages = Pages(first, draw(st.none() | st.from_regex(r"[1-9][0-9]{0,3}", fullmatch=True)))
    elif draw(st.booleans()):
        article.pages = Pages(article_number=draw(st.from_regex(r"e[0-9]{1,5}", fullmatch=True)))
    if draw(st.booleans()):
        article.doi = draw(st.from_regex(r"10\.[0-9]{4,6}/[a-z0-9.\-()_;]{1,12}", fullmatch=True))
    if draw(st.booleans()):
        article.dates = ArticleDates(published=PartialDate(2024, draw(st.integers(1, 12))))
    return article


@st.composite
def tricky_issues(draw):
    journal = Journal(titles=LangText.of({"kk": draw(tricky_text)}, "kk"), abbreviation=draw(st.none() | tricky_text),
                      issns=[Issn("2788-5860")])
    if draw(st.booleans()):
        journal.publisher = Publisher(LangText.of({"kk": draw(tricky_text)}, "kk"))
    articles = draw(st.lists(tricky_articles(), min_size=1, max_size=3))
    if draw(st.booleans()):
        articles = articles + articles  # the same keys: suffixed
    return Issue(journal=journal, year=2025, number=draw(st.none() | tricky_text),
                 volume=draw(st.none() | tricky_text), articles=articles)


def from_manifest(data) -> Issue:
    issue, _ = manifest.loads(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return issue


# (issue, whether reading it back may only give notes): manifests may lack what BibTeX requires.
issues = st.one_of(manifests().map(lambda data: (from_manifest(data), False)),
                   tricky_issues().map(lambda issue: (issue, True)))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(issues, st.sampled_from([None, "kk", "ru", "en", "de"]))
def test_written_files_validate_read_back_and_report_what_they_leave_out(tmp_path_factory, drawn, lang):
    issue, clean = drawn
    files, problems = formats.dumps(bibtex.FORMAT, issue, lang=lang)
    assert list(files) == [bibtex.file_name(lang)]
    path = tmp_path_factory.mktemp("bib") / bibtex.file_name(lang)
    path.write_bytes(files[path.name])
    assert [p for p in bibtex.validate(path) if p.severity == "error"] == []
    again, read_problems = bibtex.FORMAT.read(path)
    worse = {"warning", "error"} if clean else {"error"}
    assert not [p for p in read_problems if p.severity in worse], [str(p) for p in read_problems]
    for index in range(len(issue.articles)):
        assert carried(again, index, lang) == carried(issue, index, lang)
    keys = re.findall(r"^@article\{([^,]+),$", files[path.name].decode(), re.MULTILINE)
    assert keys == bibtex.cite_keys(issue) and len(set(keys)) == len(keys)
    notes = {}
    for problem in problems:
        if problem.code == "bibtex.not-carried":
            what, _, where = problem.message.removeprefix("BibTeX cannot carry ").rpartition(" (")
            notes[what] = numbers(where.rstrip(")"))
    for what, has in NOT_CARRIED.items():
        having = {index for index, article in enumerate(issue.articles) if has(issue, article)}
        assert having <= notes.get(what, set()), what
