"""The writers' fast paths give the bytes and problems of their careful ones."""

import pytest
from test_crossref_rich import RICH

from biblio import manifest
from biblio.formats import jats


@pytest.mark.parametrize("field", ["title", "container", "doi", "url", "type"])
def test_jats_citation_with_a_control_character_takes_the_careful_way(monkeypatch, field):
    issue, _ = manifest.loads(RICH, "rich.yaml")
    index = next(i for i, a in enumerate(issue.articles) if a.references)
    reference = issue.articles[index].references[0]
    setattr(reference, field, (getattr(reference, field) or "x") + "\x01y")
    reference.text = None  # an element-citation is written
    fast = jats.article_xml(issue, index)
    monkeypatch.setattr(jats._Writer, "element_citation", jats._Writer.element_citation_careful)
    careful = jats.article_xml(issue, index)
    assert fast[0] == careful[0] and [str(p) for p in fast[1]] == [str(p) for p in careful[1]]
    assert any(p.code == "xml.illegal-character" for p in fast[1]) or fast[0] is None
