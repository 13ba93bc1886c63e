"""What JATS carries of an issue's article: the part of the model a JATS round trip keeps."""

from biblio import derive
from biblio.model import Issue


def _strip(value):
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (list, tuple)):
        return type(value)(_strip(item) for item in value)
    if isinstance(value, dict):
        return {key: _strip(item) for key, item in value.items()}
    return value


def _lang_text(text, with_original=True):
    if text is None or not text.texts:
        return None
    texts = _strip(dict(text.texts))
    return (texts, text.original) if with_original else texts


def view(issue: Issue, index: int) -> dict:
    """Texts compared without surrounding whitespace: XML readers strip it, as other JATS files need."""
    return _strip(_view(issue, index))


def _view(issue: Issue, index: int) -> dict:
    article = issue.articles[index]
    journal = issue.journal
    return {
        "journal": {
            "titles": _lang_text(journal.titles, with_original=False),
            "first_title": journal.titles.languages[0] if journal.titles.texts else None,
            "abbreviation": journal.abbreviation,
            "issns": [(i.value, i.media) for i in journal.issns],
            "publisher": None if journal.publisher is None else (
                _lang_text(journal.publisher.name, False), _lang_text(journal.publisher.place, False)),
        },
        "issue": {"volume": issue.volume, "number": issue.number, "doi": issue.doi,
                  "year": issue.published.year if issue.published else issue.year,
                  "title": _lang_text(issue.title, False),
                  "published": issue.published if issue.published and issue.published.month else None},
        "doi": article.doi, "language": article.language,
        "section": _lang_text(article.section),
        "titles": _lang_text(article.titles),
        "abstracts": _lang_text(type(article.abstracts)(
            {lang: "\n\n".join(derive.paragraphs(text)) for lang, text in article.abstracts.texts.items()},
            article.abstracts.original)),
        "keywords": _strip({lang: words for lang, words in article.keywords.items() if words}),
        "contributors": [
            {"role": c.role, "names": _strip({lang: (n.family, n.given, n.order) for lang, n in c.names.items()}),
             "organization": _lang_text(c.organization), "orcid": c.orcid, "email": _strip(c.email),
             "corresponding": c.corresponding, "credit": _strip(c.credit),
             "affiliations": [(_lang_text(a.name), a.ror, _strip(a.country)) for a in c.affiliations]}
            for c in article.contributors],
        "pages": article.pages, "dates": article.dates,
        "funding": [(_lang_text(f.funder), f.funder_id, _strip(f.awards), _lang_text(f.statement))
                    for f in article.funding],
        "license": article.license and (article.license.url,  # a start date without a day is not carried
                                        article.license.start if article.license.start and
                                        article.license.start.day else None),
        "url": derive.landing_page(issue, issue.articles[index], index),
        "references": [_strip(vars(r)) for r in article.references],
    }
