"""Property: any issue -> a RIS file (in each article's language, or in one language) that the
validator accepts -> read back equal on what a record carries, and everything it cannot carry
is reported (``ris.not-carried`` for each kind, naming exactly the articles; ``lang.fallback``
for a text taken from another language).

Issues are generated in manifest shape (languages, missing fields, markup characters, several
articles), then the first article gets odd strings: control characters, tabs, line and paragraph
separators, non-breaking spaces, paragraphs that look like tag lines, a role RIS has no tag for.
"""

import re

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_manifest_properties import manifests

from biblio import derive, formats, manifest
from biblio.formats import ris
from biblio.model import Issue
from biblio.problems import article_numbers

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f]")  # removed (with a warning)
_BREAKS = re.compile(r"[ \t\n\r\f\v\x1c-\x1f\x85\u2028\u2029]+")  # one space; a non-breaking space stays


def one(text):
    """A text as one RIS value, as the format promises it: no control characters, whitespace and line
    breaks one space (independently of the writer)."""
    return _BREAKS.sub(" ", _CONTROL.sub("", text)).strip() if text else None


def paragraphs(text):
    """The abstract as RIS keeps it: one line, its paragraphs joined with a space (pandoc reads one line per tag)."""
    return one(" ".join(derive.paragraphs(_CONTROL.sub("", text or "")))) or None


def _paragraphs_in_record(article, lang):
    """Whether the record's abstract has paragraph breaks to lose (several paragraphs with text)."""
    text = article.abstracts.texts.get(derive.item_language(article, lang or article.language)) or ""
    return len([p for p in derive.paragraphs(_CONTROL.sub("", text)) if one(p)]) > 1


def carried(issue: Issue, index: int, lang: str | None) -> dict:
    """What a RIS record in ``lang`` carries of article ``index``: the oracle of the round trips."""
    article = issue.articles[index]
    shown = derive.localize(issue, article, index, lang)
    people: dict[str, list] = {}
    for contributor, name in shown.authors:
        if contributor.role not in ("author", "editor", "translator"):
            continue
        if name is None:
            entry = (one(derive.organization_name(contributor, shown.lang)), None)
        else:
            entry = (one(name.family), one(name.given) or None)
        people.setdefault(contributor.role, []).append(entry)
    date, _ = derive.publication_date(issue, article)
    journal = issue.journal
    publisher = journal.publisher.name if journal.publisher else None
    return {
        "title": one(shown.title), "abstract": paragraphs(shown.abstract),
        "keywords": [word for word in map(one, shown.keywords) if word], "people": people,
        "journal": one(shown.journal_title), "abbreviation": one(journal.abbreviation) or None,
        "issns": [issn.value for issn in journal.issns],
        "publisher": one(publisher.get(shown.lang) or publisher.main) if publisher else None,
        "volume": one(issue.volume) or None, "issue": one(issue.number) or None,
        "year": date.year, "date": date if date.month else None,
        "pages": article.pages, "doi": article.doi, "url": derive.landing_page(issue, article, index),
    }


# What a record cannot carry: how the note names it, and which articles (in a record of ``lang``) have it.
NOT_CARRIED = {
    "titles, abstracts and keywords in other languages": lambda a, lang: any(
        len(texts) > (derive.item_language(a, lang or a.language) in texts)
        for texts in (a.titles.texts, a.abstracts.texts, a.keywords)),
    "the language the article is written in": lambda a, lang: derive.item_language(a, lang or a.language) != a.language,
    "author names in other languages and scripts":
        lambda a, lang: any(len(c.names) > 1 or (c.organization and len(c.organization.texts) > 1)
                            for c in a.contributors),
    "the printed order of names": lambda a, lang: any(n.order == "family-first" for c in a.contributors
                                                      for n in c.names.values()),
    "ORCID iDs": lambda a, lang: any(c.orcid for c in a.contributors),
    "affiliations": lambda a, lang: any(c.affiliations for c in a.contributors),
    "e-mail addresses": lambda a, lang: any(c.email or c.corresponding for c in a.contributors),
    "CRediT roles": lambda a, lang: any(c.credit for c in a.contributors),
    "reviewers (RIS has authors, editors and translators)":
        lambda a, lang: any(c.role == "reviewer" for c in a.contributors),
    "funding": lambda a, lang: a.funding,
    "references": lambda a, lang: a.references,
    "the section": lambda a, lang: a.section,
    "in-text citation numbers": lambda a, lang: a.citations,
    "the licence": lambda a, lang: a.license,
    "the dates received and accepted": lambda a, lang: a.dates.received or a.dates.accepted,
    "paragraph breaks in abstracts (pandoc reads one line per tag)": _paragraphs_in_record,
}
ISSUE_NOT_CARRIED = {
    "the issue's whole number": lambda i: i.whole_number,
    "the issue's title": lambda i: i.title,
    "the issue's DOI": lambda i: i.doi,
    "the journal's title in other languages": lambda i: len(i.journal.titles.texts) > 1,
    "the publisher's place": lambda i: i.journal.publisher and i.journal.publisher.place,
    "the publisher's name in other languages": lambda i: i.journal.publisher and len(i.journal.publisher.name.texts) > 1,
    "whether an ISSN is the print or the electronic one": lambda i: any(x.media for x in i.journal.issns),
}


def _no_commas(data):
    """A comma in a name cannot survive RIS (readers split a name at it; the writer warns): leave it out."""
    for item in data["articles"]:
        for contributor in item.get("contributors", []):
            for name in contributor.get("names", {}).values():
                for key in ("family", "given"):
                    if key in name:
                        name[key] = name[key].replace(",", " ").strip() or "X"
            if "organization" in contributor:
                contributor["organization"] = {lang: text.replace(",", " ").strip() or "X"
                                               for lang, text in contributor["organization"].items()}
    return data


ODD = st.text(alphabet=st.sampled_from(list("aбқ ,\t\n\x01\x07\x0b\x1c\x7f\x85\xa0\u2028\u2000-")), max_size=10)
odd = ODD.map(lambda text: "ә" + text + "z")  # something is left once the value is made one line
tag_like = st.sampled_from(["AB  - again", "10 - 20 мың", "ER  -", "ab-c", "Q"])
odd_abstract = st.lists(st.one_of(odd, tag_like), min_size=1, max_size=4).map("\n\n".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(data=manifests().map(_no_commas), oddities=st.fixed_dictionaries({
    "title": st.none() | odd, "abstract": st.none() | odd_abstract, "keywords": st.none() | st.lists(odd, max_size=3),
    "family": st.none() | odd.map(lambda t: t.replace(",", "")), "role": st.sampled_from([None, "reviewer"])}),
    choice=st.integers(0, 6))
def test_write_validate_read_and_what_is_not_carried(tmp_path, data, oddities, choice):
    issue, problems = manifest.loads(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    assert issue is not None, [str(p) for p in problems]
    first = issue.articles[0]
    if oddities["title"]:
        first.titles.texts[first.language] = oddities["title"]
    if oddities["abstract"]:
        first.abstracts.texts[first.language] = oddities["abstract"]
    if oddities["keywords"] is not None:
        first.keywords[first.language] = oddities["keywords"]
    people = [c for c in first.contributors if c.names]
    if people and oddities["family"]:
        next(iter(people[0].names.values())).family = oddities["family"]
    if first.contributors and oddities["role"]:
        first.contributors[-1].role = oddities["role"]
    languages = [None, *dict.fromkeys(lang for a in issue.articles for lang in a.languages), "de"]
    lang = languages[choice % len(languages)]

    files, problems = formats.dumps(ris.FORMAT, issue, lang=lang)
    assert list(files) == [ris.file_name(lang)] and not [p for p in problems if p.severity == "error"]
    data = files[ris.file_name(lang)]
    assert not data.startswith(b"\xef\xbb\xbf") and b"\n" not in data.replace(b"\r\n", b"")
    assert data.count(b"TY  - JOUR\r\n") == len(issue.articles) and data.endswith(b"ER  - \r\n")
    path = tmp_path / "generated.ris"
    path.write_bytes(data)
    assert ris.detect(path)
    assert {p.code for p in ris.validate(path)} <= {"ris.author-missing"}

    back, read_problems = ris.FORMAT.read(path)
    assert back is not None and not [p for p in read_problems if p.severity == "error"]
    assert len(back.articles) == len(issue.articles)
    for index, article in enumerate(issue.articles):
        assert carried(back, index, lang) == carried(issue, index, lang)
        assert back.articles[index].language == derive.item_language(article, lang or article.language)

    notes = [p.message for p in problems if p.code == "ris.not-carried"]
    assert all(n.startswith("RIS cannot carry ") for n in notes) and len(notes) == len(set(notes))
    for what, has in NOT_CARRIED.items():
        indexes = [i for i, a in enumerate(issue.articles) if has(a, lang)]
        said = [n for n in notes if what in n]
        if indexes:
            assert len(said) == 1 and said[0].endswith(f"({article_numbers(indexes)})"), what
        else:
            assert said == [], what
    for what, has in ISSUE_NOT_CARRIED.items():
        assert (f"RIS cannot carry {what}" in notes) == bool(has(issue)), what
    fallbacks = [p for p in problems if p.code == "lang.fallback" and " title: the whole item" in p.message]
    missing = [index for index, article in enumerate(issue.articles) if (lang or article.language) not in article.titles]
    ranges = [found for p in fallbacks for found in re.findall(r"(\d+)(?:-(\d+))?", p.message.rpartition("(")[2])]
    said_numbers = [number for first, last in ranges for number in range(int(first), int(last or first) + 1)]
    assert sorted(said_numbers) == [index + 1 for index in missing] and all(p.path == "articles" for p in fallbacks)
    controls = any(_CONTROL.search(text) for text in [oddities["title"] or "", oddities["abstract"] or "",
                                                      *(oddities["keywords"] or [])])
    if controls and derive.item_language(first, lang or first.language) == first.language:
        assert any(p.code == "ris.control-character" and p.path.startswith("articles[0]") for p in problems)
