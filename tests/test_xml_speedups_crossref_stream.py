"""The streamed Crossref pass drops each journal_article once it is checked: it must vouch for a
deposit exactly when the whole-tree path finds nothing, wherever articles sit (misplaced, nested,
with text or other elements between them, in several journals)."""

import re

import pytest
from conftest import ROOT

from biblio import crossref_fast
from biblio.formats import crossref, xmltools

GOLDEN = (ROOT / "tests" / "golden" / "crossref-issue-86.xml").read_text(encoding="utf-8")
ARTICLES = re.findall(r"      <journal_article .*?</journal_article>\n", GOLDEN, flags=re.DOTALL)
FIRST, SECOND = ARTICLES[0], ARTICLES[1]
METADATA = re.search(r"      <journal_metadata.*?</journal_metadata>\n", GOLDEN, flags=re.DOTALL).group(0)
ISSUE = re.search(r"      <journal_issue>.*?</journal_issue>\n", GOLDEN, flags=re.DOTALL).group(0)
ABSTRACT_P = "<jats:p>"


def _without_articles(text: str) -> str:
    for article in ARTICLES:
        text = text.replace(article, "", 1)
    return text


CASES = {
    "as written": GOLDEN,
    "an article before the journal's metadata": GOLDEN.replace(FIRST, "", 1).replace(METADATA, FIRST + METADATA, 1),
    "the issue after the articles": GOLDEN.replace(ISSUE, "", 1).replace("    </journal>", ISSUE + "    </journal>"),
    "the issue between articles": GOLDEN.replace(ISSUE, "", 1).replace(SECOND, ISSUE + SECOND, 1),
    "text between articles": GOLDEN.replace(SECOND, "stray text" + SECOND, 1),
    "text after the last article": GOLDEN.replace("    </journal>", "stray\n    </journal>"),
    "a comment and a processing instruction between articles": GOLDEN.replace(
        SECOND, "<!-- c --><?pi x?>\n" + SECOND, 1),
    "an article directly in the body": GOLDEN.replace("  </body>", FIRST + "  </body>"),
    "an article inside an article": GOLDEN.replace(FIRST, FIRST.replace("</journal_article>", SECOND
                                                                        + "</journal_article>"), 1),
    "an article inside an abstract": GOLDEN.replace(ABSTRACT_P, FIRST + ABSTRACT_P, 1),
    "two journals, each with articles": GOLDEN.replace(SECOND, "    </journal>\n    <journal>\n" + METADATA + SECOND, 1),
    "a journal without articles before one with": _without_articles(GOLDEN).replace(
        "    </journal>", "    </journal>\n    <journal>\n" + METADATA + FIRST + "    </journal>"),
    "no articles at all": _without_articles(GOLDEN),
    "the same ID in two articles": GOLDEN.replace(ABSTRACT_P, '<jats:p id="same">', 2),
    "the same ID twice in one article": GOLDEN.replace(ABSTRACT_P, '<jats:p id="same">', 1).replace(
        "</jats:p>", '</jats:p><jats:p id="same">x</jats:p>', 1),
    "an article with a bad language": GOLDEN.replace(SECOND, SECOND.replace('language="', 'language="xx', 1), 1),
    "an article without its DOI data": GOLDEN.replace(SECOND, re.sub(r"<doi_data>.*?</doi_data>", "", SECOND,
                                                                     flags=re.DOTALL), 1),
}


@pytest.mark.parametrize("chunk", [1 << 20, 1000])
@pytest.mark.parametrize("name", sorted(CASES))
def test_the_streamed_pass_vouches_exactly_for_valid_deposits(tmp_path, monkeypatch, name, chunk):
    path = tmp_path / "deposit.xml"
    path.write_text(CASES[name], encoding="utf-8")
    tree, problems = xmltools.read_xml(path)
    whole = crossref.validate_tree(tree, str(path)) if tree is not None else problems
    monkeypatch.setattr(crossref_fast, "_STREAM_CHUNK", chunk)  # articles and tags split across feeds
    assert crossref_fast.validate_stream(path) == (whole == []), [str(p) for p in whole[:2]]
    assert crossref.validate(path) == whole


def test_the_cases_hold_valid_and_invalid_deposits(tmp_path):
    valid = []
    for name, text in CASES.items():
        path = tmp_path / "deposit.xml"
        path.write_text(text, encoding="utf-8")
        if crossref.validate(path) == []:
            valid.append(name)
    expected = {"as written", "two journals, each with articles",
                "a comment and a processing instruction between articles"}
    assert expected <= set(valid) and len(CASES) - len(valid) >= 10
