"""Streaming writers: the same bytes as the whole-issue functions, one article at a time."""

import io
import sys
from pathlib import Path

import pytest

import biblio
from biblio import manifest
from biblio.formats import bibtex, crossref, csl, jats, ris

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import generate  # bench/generate.py: the synthetic articles of the benchmark


class _Chunks(io.BytesIO):
    """A binary stream that remembers how many writes it got (streaming means many)."""

    def __init__(self):
        super().__init__()
        self.writes = 0

    def write(self, data) -> int:
        self.writes += 1
        return super().write(data)


EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "issue-86" / "issue.yaml"


@pytest.fixture(scope="module")
def issues():
    example, _ = biblio.load(EXAMPLE)
    return {"example": example, "synthetic": generate.issue(15)}


@pytest.mark.parametrize("name", ["example", "synthetic"])
def test_crossref_stream_equals_deposit_and_is_written_per_article(issues, name):
    issue = issues[name]
    data, problems = crossref.deposit(issue, timestamp=42, batch_id="b")
    out = _Chunks()
    streamed_problems = crossref.write_deposit(issue, out, timestamp=42, batch_id="b")
    assert out.getvalue() == data and streamed_problems == problems
    assert out.writes == len(issue.articles) + 2  # the head, each article, the end
    again, _ = crossref.deposit(issue, timestamp=42, batch_id="b")
    assert again == data  # deterministic


def test_crossref_stream_of_some_articles_and_of_none(issues):
    issue = issues["synthetic"]
    dois = [issue.articles[3].doi, issue.articles[1].doi]
    out = io.BytesIO()
    crossref.write_deposit(issue, out, dois=dois, timestamp=5)
    assert out.getvalue() == crossref.deposit(issue, dois=dois, timestamp=5)[0]
    assert out.getvalue().count(b"<journal_article ") == 2


def test_crossref_stream_stops_writing_at_an_error(minimal_text):
    issue, _ = manifest.loads(minimal_text)  # no depositor, no landing page
    out = io.BytesIO()
    problems = crossref.write_deposit(issue, out, timestamp=1)
    assert any(p.severity == "error" for p in problems) and out.getvalue() == b""


def test_crossref_streaming_writer_leaves_the_same_file(tmp_path, issues):
    issue = issues["synthetic"]
    plain, _ = crossref.write(issue, tmp_path / "plain")
    streamed, _ = crossref.write(issue, tmp_path / "streamed")
    assert [p.name for p in streamed] == [crossref.FILE_NAME]
    data = streamed[0].read_bytes()
    assert b"<timestamp>" in data and crossref.validate(streamed[0]) == []
    # the timestamps differ; everything else is the same
    strip = crossref.re.compile(rb"<timestamp>\d+</timestamp>|<doi_batch_id>[^<]*</doi_batch_id>")
    assert strip.sub(b"", data) == strip.sub(b"", plain[0].read_bytes())
    assert sorted(p.name for p in (tmp_path / "streamed").iterdir()) == [crossref.FILE_NAME]  # no temporary left


def test_crossref_streaming_writer_keeps_the_old_file_on_error(tmp_path, minimal_text):
    issue, _ = manifest.loads(minimal_text)
    (tmp_path / crossref.FILE_NAME).write_bytes(b"old")
    written, problems = crossref.write(issue, tmp_path)
    assert written == [] and any(p.severity == "error" for p in problems)
    assert [p.name for p in tmp_path.iterdir()] == [crossref.FILE_NAME]
    assert (tmp_path / crossref.FILE_NAME).read_bytes() == b"old"


@pytest.mark.parametrize("module", [bibtex, ris, csl], ids=["bibtex", "ris", "csl"])
@pytest.mark.parametrize("name", ["example", "synthetic"])
@pytest.mark.parametrize("lang", [None, "en", "de"])
def test_text_stream_equals_dumps(issues, module, name, lang):
    issue = issues[name]
    text, problems = module.dumps(issue, lang=lang)
    out = io.StringIO()
    streamed_problems = module.dump(issue, out, lang=lang)
    assert out.getvalue() == text and streamed_problems == problems
    assert module.dumps(issue, lang=lang) == (text, problems)  # deterministic


@pytest.mark.parametrize("module", [bibtex, ris, csl], ids=["bibtex", "ris", "csl"])
def test_text_stream_of_some_articles(issues, module):
    issue = issues["synthetic"]
    dois = [issue.articles[7].doi, issue.articles[2].doi]
    out = io.StringIO()
    module.dump(issue, out, dois=dois)
    assert out.getvalue() == module.dumps(issue, dois=dois)[0]


@pytest.mark.parametrize("module", [bibtex, ris, csl], ids=["bibtex", "ris", "csl"])
def test_registry_writers_write_what_dumps_gives(tmp_path, issues, module):
    issue = issues["synthetic"]
    for lang in (None, "ru"):
        written, problems = module.write(issue, tmp_path, lang=lang)
        assert written[0].read_bytes() == module.dumps(issue, lang=lang)[0].encode("utf-8")
        assert problems == module.dumps(issue, lang=lang)[1]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary left


def test_jats_files_are_the_articles_documents(tmp_path, issues):
    """jats.write builds the journal metadata once and copies it into every article."""
    issue = issues["synthetic"]
    written, problems = jats.write(issue, tmp_path)
    assert len(written) == len(issue.articles)
    expected = []
    for index, path in enumerate(written):
        data, found = jats.article_xml(issue, index)
        assert path.read_bytes() == data
        expected += found
    def per_article(found):  # the not-carried notes sum up all articles in one writer
        return [p for p in dict.fromkeys(found) if p.code != "jats.not-carried"]
    assert per_article(problems) == per_article(expected)
