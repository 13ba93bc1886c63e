"""What a one-language citation format (CSL-JSON, BibTeX, RIS) carries of an article."""

from biblio import derive
from biblio.model import Issue


def view(issue: Issue, index: int, lang: str | None) -> dict:
    """The article as the format shows it in ``lang``: the part a round trip must keep."""
    article = issue.articles[index]
    shown = derive.localize(issue, article, index, lang)
    people: dict[str, list] = {}
    for contributor, name in shown.authors:
        entry = ((name.family.strip(), (name.given or "").strip() or None) if name
                 else derive.organization_name(contributor, shown.lang).strip())
        people.setdefault(contributor.role, []).append((entry, contributor.orcid))
    issn = issue.journal.issns[0].value if issue.journal.issns else None
    own_date = derive.publication_date(issue, article)  # the issue's date is not the article's to carry
    pages = article.pages
    carried_pages = ((pages.first, pages.last) if pages.first else pages.article_number) if pages else None
    return {
        "title": shown.title, "abstract": shown.abstract,
        "keywords": [w.strip() for w in shown.keywords],
        "people": people, "journal": shown.journal_title, "doi": article.doi, "language": article.language,
        "pages": carried_pages, "volume": issue.volume, "issue": issue.number, "issn": issn,
        "url": derive.landing_page(issue, article, index),
        "date": None if own_date[1] else own_date[0],
    }
