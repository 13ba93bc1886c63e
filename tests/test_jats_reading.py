"""Reading other publishers' JATS (issue 17 item 5, issue 20 item 6): contributor types, typed keyword groups,
several DOIs, SciELO translation sub-articles, group authors with member lists, abstract section headings and
self-uri. Each test reads a small file written here, in the markup eLife, PLOS, SciELO and PMC use."""

from pathlib import Path

import pytest

from biblio.formats import jats

REAL = Path(__file__).parent / "data" / "real"


def _article(meta: str, after_front: str = "", lang: str = "en") -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<article xmlns:xlink="http://www.w3.org/1999/xlink" xml:lang="{lang}">
<front>
<journal-meta><journal-title-group><journal-title>Journal of Tests</journal-title></journal-title-group>
<issn publication-format="electronic">0317-8471</issn></journal-meta>
<article-meta>
<article-id pub-id-type="doi">10.1234/jt.1</article-id>
<title-group><article-title>Main title</article-title></title-group>
<contrib-group><contrib contrib-type="author"><name><surname>Lee</surname><given-names>Ann</given-names></name>
</contrib></contrib-group>
<pub-date date-type="pub" publication-format="electronic"><day>5</day><month>3</month><year>2020</year></pub-date>
<volume>1</volume><elocation-id>e1</elocation-id>
{meta}
</article-meta>
</front>
{after_front}
</article>
"""


def _read(tmp_path, text):
    path = tmp_path / "a.xml"
    path.write_text(text, encoding="utf-8")
    issue, problems = jats.FORMAT.read(path)
    assert issue is not None, problems
    return issue.articles[0], problems


def _codes(problems, code):
    return [p for p in problems if p.code == code]


def test_contributor_types_read_by_role_and_the_others_reported_once(tmp_path):
    non_byline = "".join(f'<contrib contrib-type="author non-byline"><name><surname>M{i}</surname></name></contrib>'
                         for i in range(3))
    meta = f"""<contrib-group content-type="section">
    <contrib contrib-type="editor"><name><surname>Ed</surname><given-names>A</given-names></name></contrib>
    <contrib contrib-type="senior_editor"><name><surname>Senior</surname><given-names>B</given-names></name></contrib>
    <contrib contrib-type="reviewer"><name><surname>Rev</surname><given-names>C</given-names></name></contrib>
    <contrib contrib-type="curator"><name><surname>Cur</surname></name></contrib>
    </contrib-group>
    <contrib-group>{non_byline}</contrib-group>"""
    article, problems = _read(tmp_path, _article(meta))
    assert [(c.role, c.names["en"].family) for c in article.contributors] == [
        ("author", "Lee"), ("editor", "Ed"), ("editor", "Senior"), ("reviewer", "Rev")]
    [left] = _codes(problems, "jats.contrib-not-read")
    assert "3 'author non-byline'" in left.message and "1 'curator'" in left.message
    assert left.file and left.file.endswith("a.xml")
    [mapped] = _codes(problems, "jats.contrib-type")
    assert "1 'senior_editor' as 'editor'" in mapped.message


def test_group_author_of_type_collab_is_an_author(tmp_path):
    meta = ('<contrib-group><contrib contrib-type="collab"><collab>APPLE investigators</collab></contrib>'
            '</contrib-group>')
    article, problems = _read(tmp_path, _article(meta))
    assert [c.role for c in article.contributors] == ["author", "author"]
    assert article.contributors[1].organization.texts == {"en": "APPLE investigators"}
    assert not _codes(problems, "jats.contrib-not-read")
    assert "1 'collab' as 'author'" in _codes(problems, "jats.contrib-type")[0].message


@pytest.mark.parametrize("nested", [
    "<collab>The Big <italic>Test</italic> Consortium\n <contrib-group><contrib contrib-type=\"author non-byline\">"
    "<name><surname>Member</surname><given-names>Mo</given-names></name></contrib>"
    "<contrib><name><surname>Other</surname></name></contrib></contrib-group></collab>",
    "<collab><contrib-group><contrib><name><surname>Member</surname></name></contrib><contrib><name>"
    "<surname>Other</surname></name></contrib></contrib-group>The Big <italic>Test</italic> Consortium</collab>",
])
def test_group_author_takes_only_its_own_name_and_reports_its_members(tmp_path, nested):
    meta = f"<contrib-group><contrib contrib-type=\"author\">{nested}</contrib></contrib-group>"
    article, problems = _read(tmp_path, _article(meta))
    assert [c.organization.texts for c in article.contributors if c.organization] == [
        {"en": "The Big Test Consortium"}]
    assert len(article.contributors) == 2
    [members] = _codes(problems, "jats.collab-members")
    assert "2 members" in members.message and "The Big Test Consortium" in members.message


def test_only_author_keywords_are_keywords(tmp_path):
    meta = """<kwd-group kwd-group-type="author-keywords"><title>Author keywords</title><kwd>one</kwd></kwd-group>
    <kwd-group><kwd>two</kwd></kwd-group>
    <kwd-group kwd-group-type="author"><kwd>three</kwd></kwd-group>
    <kwd-group kwd-group-type="author-generated"><kwd>four</kwd></kwd-group>
    <kwd-group kwd-group-type="research-organism"><title>Research organism</title><kwd>Human</kwd>
    <kwd><italic>S. cerevisiae</italic></kwd></kwd-group>
    <kwd-group kwd-group-type="research-organism"><kwd>Mouse</kwd></kwd-group>
    <kwd-group kwd-group-type="abbreviations"><kwd>DNA</kwd></kwd-group>"""
    article, problems = _read(tmp_path, _article(meta))
    assert article.keywords == {"en": ["one", "two", "three", "four"]}
    reported = _codes(problems, "jats.keywords-not-read")
    assert len(reported) == 2
    organism = next(p for p in reported if "'research-organism'" in p.message)
    assert "3 keywords" in organism.message
    assert any("'abbreviations'" in p.message for p in reported)


@pytest.mark.parametrize("dois, kept, dropped", [
    (["10.7554/eLife.84364", "10.7554/eLife.84364.2"], "10.7554/eLife.84364", ["10.7554/eLife.84364.2"]),
    (["10.7554/eLife.84364.2", "10.7554/eLife.84364"], "10.7554/eLife.84364", ["10.7554/eLife.84364.2"]),
    (["10.1234/first", "10.1234/second"], "10.1234/first", ["10.1234/second"]),
])
def test_several_dois_keep_the_first_or_the_unversioned_and_report_the_others(tmp_path, dois, kept, dropped):
    text = _article("").replace('<article-id pub-id-type="doi">10.1234/jt.1</article-id>', "".join(
        f'<article-id pub-id-type="doi">{doi}</article-id>' for doi in dois))
    article, problems = _read(tmp_path, text)
    assert article.doi == kept
    [several] = _codes(problems, "jats.doi-several")
    assert all(f"'{doi}'" in several.message for doi in dropped) and f"'{kept}' is read" in several.message


def test_the_same_doi_twice_is_no_problem(tmp_path):
    text = _article("").replace('<article-id pub-id-type="doi">10.1234/jt.1</article-id>',
                                '<article-id pub-id-type="doi">10.1234/JT.1</article-id>'
                                '<article-id pub-id-type="doi">10.1234/jt.1</article-id>')
    article, problems = _read(tmp_path, text)
    assert article.doi == "10.1234/JT.1" and not _codes(problems, "jats.doi-several")


SCIELO_SUB = """<sub-article article-type="translation" id="s1" xml:lang="en">
<front-stub>
<title-group><article-title>The <italic>translated</italic> title</article-title></title-group>
<abstract><title>ABSTRACT</title><p>English abstract.</p></abstract>
<kwd-group xml:lang="en"><title>Keywords:</title><kwd>health</kwd><kwd>policy</kwd></kwd-group>
</front-stub>
<body><p>Body text is not read.</p></body>
</sub-article>"""


def test_scielo_translation_sub_article_gives_the_other_language_texts(tmp_path):
    meta = """<abstract><title>RESUMO</title><p>Resumo em português.</p></abstract>
    <kwd-group xml:lang="pt"><title>Palavras-chave:</title><kwd>saúde</kwd></kwd-group>"""
    text = _article(meta, f"<body><p>Texto.</p></body>{SCIELO_SUB}", lang="pt")
    text = text.replace("Main title", "Título principal")
    article, problems = _read(tmp_path, text)
    assert article.titles.texts == {"pt": "Título principal", "en": "The translated title"}
    assert article.titles.original == "pt"
    assert article.abstracts.texts == {"pt": "Resumo em português.", "en": "English abstract."}
    assert article.keywords == {"pt": ["saúde"], "en": ["health", "policy"]}
    assert not [p for p in problems if p.severity != "info"]


def test_translation_sub_article_does_not_override_the_main_texts(tmp_path):
    meta = """<title-group><trans-title-group xml:lang="en"><trans-title>Kept title</trans-title></trans-title-group>
    </title-group>"""
    text = _article("", f"{SCIELO_SUB}", lang="pt").replace(
        "<title-group><article-title>Main title</article-title></title-group>",
        f"<title-group><article-title>Título</article-title>{meta[len('<title-group>'):-len('</title-group>')]}"
        "</title-group>")
    article, problems = _read(tmp_path, text)
    assert article.titles.texts == {"pt": "Título", "en": "Kept title"}
    assert article.abstracts.texts == {"en": "English abstract."}
    assert _codes(problems, "jats.sub-article-differs")


def test_a_translation_without_a_language_is_reported(tmp_path):
    text = _article("", SCIELO_SUB.replace(' xml:lang="en"', ""), lang="pt")
    article, problems = _read(tmp_path, text)
    assert set(article.titles.texts) == {"pt"}
    [missing] = _codes(problems, "jats.sub-article-language")
    assert missing.severity == "warning" and missing.line


def test_other_sub_articles_are_reported_not_read(tmp_path):
    subs = ('<sub-article article-type="decision-letter"><front-stub><title-group><article-title>Decision letter'
            '</article-title></title-group></front-stub></sub-article>'
            '<sub-article article-type="reply"><front-stub><title-group><article-title>Author response'
            '</article-title></title-group></front-stub></sub-article>')
    article, problems = _read(tmp_path, _article("", subs))
    assert article.titles.texts == {"en": "Main title"}
    [note] = _codes(problems, "jats.sub-article-not-read")
    assert "'decision-letter'" in note.message and "'reply'" in note.message


def test_abstract_section_headings_are_kept_as_paragraphs(tmp_path):
    meta = """<abstract><title>Abstract</title>
    <sec><title>Background</title><p>Why.</p><p>And more.</p></sec>
    <sec><title>Methods</title><p>How.</p></sec>
    <sec><p>Untitled section.</p></sec></abstract>"""
    article, _ = _read(tmp_path, _article(meta))
    assert article.abstracts.texts == {"en": "Background\n\nWhy.\n\nAnd more.\n\nMethods\n\nHow.\n\nUntitled section."}


def test_a_paragraph_inside_a_paragraph_is_not_read_twice(tmp_path):
    meta = "<abstract><p>Items:<list><list-item><p>one</p></list-item></list></p></abstract>"
    article, _ = _read(tmp_path, _article(meta))
    assert article.abstracts.texts == {"en": "Items:one"}


@pytest.mark.parametrize("href, url", [
    ("https://example.org/articles/1", "https://example.org/articles/1"),
    ("http://example.org/a?b=1", "http://example.org/a?b=1"),
    ("elife-84364-v1.pdf", None),
    ("info:doi/10.1371/journal.ppat.1005207", None),
    ("https://", None),
    ("/articles/1", None),
])
def test_only_an_absolute_http_self_uri_is_the_landing_page(tmp_path, href, url):
    article, problems = _read(tmp_path, _article(f'<self-uri content-type="pdf" xlink:href="{href}"/>'))
    assert article.url == url
    reported = _codes(problems, "jats.self-uri")
    assert (len(reported), bool(url)) in ((0, True), (1, False))
    if reported:
        assert href in reported[0].message


def test_the_first_absolute_self_uri_wins_after_a_relative_one(tmp_path):
    meta = '<self-uri xlink:href="a.pdf"/><self-uri xlink:href="https://example.org/a"/>'
    article, problems = _read(tmp_path, _article(meta))
    assert article.url == "https://example.org/a" and len(_codes(problems, "jats.self-uri")) == 1


def test_real_elife_file_keeps_author_keywords_and_no_pdf_url():
    issue, problems = jats.FORMAT.read(REAL / "elife" / "sample-xml_elife09853.xml")
    article = issue.articles[0]
    assert "human" not in article.keywords["en"] and "phase separation" in article.keywords["en"]
    assert article.url is None
    assert _codes(problems, "jats.keywords-not-read") and _codes(problems, "jats.self-uri")


def test_scielo_footnote_markers_are_not_part_of_titles_and_a_translation_doi_is_reported(tmp_path):
    """SciELO's titles carry a footnote marker (``<xref ref-type="fn">*</xref>``) and its translations a DOI of
    their own (the model has one per article)."""
    sub = SCIELO_SUB.replace("<title-group><article-title>The <italic>translated</italic> title</article-title>",
                             '<article-id pub-id-type="doi">10.1234/jt.1en</article-id><title-group><article-title>\n'
                             'The translated title\n<xref ref-type="fn" rid="fn2">*</xref>\n</article-title>')
    text = _article("", sub, lang="pt").replace(
        "<article-title>Main title</article-title>",
        '<article-title>Título <italic>principal</italic><xref ref-type="fn" rid="fn1">*</xref></article-title>')
    article, problems = _read(tmp_path, text)
    assert article.titles.texts == {"pt": "Título principal", "en": "The translated title"}
    [doi] = _codes(problems, "jats.sub-article-doi")
    assert "10.1234/jt.1en" in doi.message and article.doi == "10.1234/jt.1"


def test_a_translation_gives_the_title_the_article_lacks(tmp_path):
    text = _article("", SCIELO_SUB, lang="pt").replace(
        "<title-group><article-title>Main title</article-title></title-group>", "")
    article, problems = _read(tmp_path, text)
    assert article.titles.texts == {"en": "The translated title"} and article.titles.original == "en"
    assert not _codes(problems, "jats.title-missing")
    text = _article("", lang="pt").replace("<title-group><article-title>Main title</article-title></title-group>", "")
    assert _codes(_read(tmp_path, text)[1], "jats.title-missing")


def test_an_article_without_any_date_is_written_without_a_made_up_year(tmp_path):
    import biblio  # the corpus: an eLife article with no pub-date came out as <year>0000</year>

    source = tmp_path / "undated.xml"
    source.write_text(_article("").replace(
        '<pub-date date-type="pub" publication-format="electronic"><day>5</day><month>3</month><year>2020</year>'
        "</pub-date>", ""), encoding="utf-8")
    assert "<pub-date" not in source.read_text(encoding="utf-8")
    report = biblio.convert(source, "jats", tmp_path / "out")
    written = [f.path for f in report.files if f.valid]
    assert len(written) == 1, report.problems
    text = written[0].read_text(encoding="utf-8")
    assert "<pub-date-not-available/>" in text and "0000" not in text and "<year>" not in text
    assert "jats.date-missing" in {p.code for p in report.problems}


def test_abstracts_of_other_types_are_reported_not_dropped_unsaid(tmp_path):
    article, problems = _read(tmp_path, _article(
        '<abstract><p>What was found.</p></abstract>'
        '<abstract abstract-type="executive-summary"><title>eLife digest</title><p>In plain words.</p></abstract>'
        '<abstract abstract-type="graphical"><p>A picture.</p></abstract>'))
    assert article.abstracts.texts == {"en": "What was found."}
    said = [p.message for p in problems if p.code == "jats.abstract-not-read"]
    assert len(said) == 1 and "1 'executive-summary'" in said[0] and "1 'graphical'" in said[0]


def test_a_jats_convert_never_writes_over_its_input(tmp_path):
    import biblio

    source = tmp_path / "jt.1.xml"  # the name the JATS writer gives the article of DOI 10.1234/jt.1
    source.write_text(_article(""), encoding="utf-8")
    before = source.read_bytes()
    report = biblio.convert(source, "jats", tmp_path)
    assert source.read_bytes() == before
    assert [(p.code, p.file) for p in report.problems if p.severity == "error"] == [("convert.same-file", str(source))]
    assert biblio.convert(source, "jats", tmp_path / "out").ok  # into another folder: written
