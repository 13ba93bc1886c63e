"""Property: any issue that passes the checks -> a deposit the official schema accepts (default
validation) that carries each article's DOI, titles, abstracts, contributors, funding and
references, and reports by name every field the deposit cannot carry, with its articles.

Issues are generated in manifest shape (languages, missing fields, markup characters,
Kazakh letters). Crossref has no reader: what is carried is checked in the written XML.
"""

import re

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from lxml import etree
from regen_golden import crossref_deposit as deposit
from test_manifest_properties import manifests

from biblio import manifest
from biblio.formats import crossref
from biblio.formats.crossref.mapping import ARTICLE_LEFT_OUT, LEFT_OUT, MAX_TITLES
from biblio.problems import article_numbers

NS = {"c": crossref.NS, "jats": crossref.JATS, "fr": crossref.FR}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SETTINGS = {"depositor": {"name": "D", "email": "d@example.org"}, "registrant": "R",
            "landing_page_pattern": "https://example.org/{doi}"}

# What each article may hold that the deposit leaves out (LEFT_OUT kinds), seen from the model.
HAS = {
    **{kind: (lambda article, value_of=value_of: value_of(article)) for kind, value_of in ARTICLE_LEFT_OUT},
    "received": lambda article: article.dates.received,
    "email": lambda article: any(c.email or c.corresponding for c in article.contributors if not c.organization),
    "name-order": lambda article: any(n.order == "family-first" for c in article.contributors if not c.organization
                                      for n in c.names.values()),
    "funding-statements": lambda article: any(f.statement for f in article.funding),
    "title-languages": lambda article: len(article.titles.texts) > 1,
    "affiliation-extras": lambda article: any(len(a.name.texts) > 1 or a.country for c in article.contributors
                                              if not c.organization for a in c.affiliations),
}


def _text(element) -> str:
    return "".join(element.itertext())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(manifests(), st.sampled_from([True, True, True, False]))
def test_a_deposit_is_valid_carries_the_articles_and_reports_what_it_leaves_out(tmp_path_factory, data, configured):
    if configured:  # mostly: without settings a deposit cannot be made
        data["settings"] = {**SETTINGS, **data.get("settings", {})}
    issue, loaded = manifest.loads(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    assert issue is not None, loaded
    written, problems = deposit(issue, timestamp=20250101000000000, batch_id="property")
    errors = {p.code for p in problems if p.severity == "error"}
    if written is None:  # only what a deposit cannot do without
        event("no deposit: settings missing or values too long")
        assert errors and errors <= {"crossref.depositor-missing", "crossref.registrant-missing",
                                     "crossref.url-missing", "crossref.too-long", "crossref.year"}
        assert errors == {p.code for p in crossref.FORMAT.check(issue)}
        return
    path = tmp_path_factory.mktemp("crossref") / "crossref.xml"
    path.write_bytes(written)
    event("validated")
    assert crossref.validate(path) == [], [str(p) for p in crossref.validate(path)[:3]]

    tree = etree.fromstring(written)
    articles = tree.findall(".//c:journal_article", NS)
    assert len(articles) == len(issue.articles)
    for article, element in zip(issue.articles, articles, strict=True):
        assert element.findtext("c:doi_data/c:doi", namespaces=NS) == article.doi
        titles = [_text(t) for t in element.iterfind("c:titles/c:title", NS)]
        assert len(titles) == min(len(article.titles.texts), MAX_TITLES)
        assert titles[0] == re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f]", "", article.titles.texts[article.titles.languages[0]])
        assert [a.get(XML_LANG) for a in element.iterfind("jats:abstract", NS)] == list(article.abstracts.texts)
        people = element.findall("c:contributors/*", NS)
        assert len(people) == len(article.contributors)
        awards = [a.text for a in element.iterfind(".//fr:assertion[@name='award_number']", NS)]
        assert awards == [award for f in article.funding if f.funder or f.funder_id or f.awards for award in f.awards]
        assert len(element.findall("c:citation_list/c:citation", NS)) == len(article.references)

    notes = [p.message for p in problems if p.code == "crossref.not-carried" and p.path == "articles"]
    for kind, has in HAS.items():
        indexes = [i for i, a in enumerate(issue.articles) if has(a)]
        said = [n for n in notes if f"cannot carry {LEFT_OUT[kind]} (" in n]
        if indexes:
            assert said == [f"the Crossref deposit cannot carry {LEFT_OUT[kind]} ({article_numbers(indexes)})"]
        else:
            assert said == []
    assert all(n.startswith("the Crossref deposit cannot carry ") for n in notes)
