"""The review page (``biblio report``): escaping, links, problems next to their fields, the deposit checklist, the
output files of a build; then the page as headless Chromium renders it (Debian's ``chromium`` package)."""

import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import lxml.html
import pytest

import biblio
from biblio import cli
from biblio.formats.crossref import require

HOSTILE = """\
biblio: 1
journal:
  language: en
  titles: {en: 'Journal <b>of</b> Tests'}
  issns: [{value: 2049-3630, media: electronic}]
  doi_prefix: '10.1234'
issue:
  year: 2025
  number: '2'
  doi_pattern: '{prefix}/jt.{year}.{number}.{seq:03}'
articles:
  - language: en
    titles: {en: '<script>document.body.setAttribute("data-pwned", "1")</script>', ru: 'Вторая <i>статья</i>'}
    abstracts: {en: '"><img src=x onerror="document.body.setAttribute(''data-pwned'', ''2'')">'}
    keywords: {en: ['<b>bold</b>', 'x" onmouseover="alert(1)']}
    url: 'javascript:alert(1)'
    contributors:
      - names: {en: {family: '<u>Doe</u>', given: Jane}}
        orcid: 0000-0002-1825-0097
        affiliations: [{name: {en: "Uni <a href='javascript:alert(1)'>x</a>"}, ror: 'https://ror.org/05dxps055'}]
    references:
      - text: 'Ref <script>alert(1)</script>'
        doi: 10.1000/xyz
        url: 'data:text/html,<script>alert(1)</script>'
      - text: 'Second reference'
        url: 'https://example.org/paper?a=1&b=2'
"""


def _page(tmp_path: Path, text: str, name: str = "issue.yaml") -> tuple[lxml.html.HtmlElement, list[biblio.Problem]]:
    manifest = tmp_path / name
    manifest.write_text(text, encoding="utf-8")
    out = tmp_path / "report.html"
    problems = biblio.report(manifest, out)
    return lxml.html.fromstring(out.read_bytes()), problems


def _section(doc: lxml.html.HtmlElement, number: int) -> lxml.html.HtmlElement:
    return doc.get_element_by_id(f"article-{number}")


def _text(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


# --- the HTML itself (lxml) -------------------------------------------------------------------

def test_manifest_values_are_text_not_markup(tmp_path):
    doc, _ = _page(tmp_path, HOSTILE)
    assert not doc.xpath("//script | //img | //iframe | //object | //embed | //link")
    assert not [name for el in doc.iter() for name in el.attrib if name.lower().startswith("on")]
    assert not doc.xpath("//b | //i | //u")  # the manifest's tags are not the page's
    text = _text(doc)
    assert '<script>document.body.setAttribute("data-pwned", "1")</script>' in text
    assert '"><img src=x onerror=' in text and "<u>Doe</u>" in text and "Journal <b>of</b> Tests" in text
    assert 'x" onmouseover="alert(1)' in text and "Ref <script>alert(1)</script>" in text


def test_only_web_addresses_become_links(tmp_path):
    doc, _ = _page(tmp_path, HOSTILE)
    hrefs = doc.xpath("//a/@href")
    assert hrefs and all(re.match(r"(https?://|#)", h) for h in hrefs), hrefs
    assert "https://doi.org/10.1000/xyz" in hrefs  # the reference's DOI
    assert "https://doi.org/10.1234/jt.2025.2.001" in hrefs  # the article's DOI (from the pattern)
    assert "https://orcid.org/0000-0002-1825-0097" in hrefs and "https://ror.org/05dxps055" in hrefs
    assert "https://example.org/paper?a=1&b=2" in hrefs
    article = _section(doc, 1)
    assert "javascript:alert(1)" in _text(article) and "data:text/html" in _text(article)  # shown, not linked


def test_self_contained_and_prints_one_article_a_page(tmp_path):
    manifest = tmp_path / "issue.yaml"
    manifest.write_text(HOSTILE, encoding="utf-8")
    raw = (tmp_path / "report.html")
    biblio.report(manifest, raw)
    page = raw.read_text(encoding="utf-8")
    doc = lxml.html.fromstring(page)
    assert not doc.xpath("//*[@src] | //link | //script")
    css = "".join(doc.xpath("//style/text()"))
    assert "url(" not in css and "@import" not in css
    assert re.search(r"@media print\{.*section\.article\{break-before:page", css, re.DOTALL)
    assert "print-color-adjust:exact" in css


def test_texts_side_by_side_original_marked(tmp_path, example_path):
    out = tmp_path / "report.html"
    biblio.report(example_path, out)
    doc = lxml.html.fromstring(out.read_bytes())
    article = _section(doc, 1)
    heads = [_text(th) for th in article.xpath(".//table[contains(@class,'langs')]/thead/tr/th")][1:]
    assert heads == ["kk original", "ru", "en"]
    titles = article.xpath(".//tr[@class='titles']/td")
    assert [td.get("lang") for td in titles] == ["kk", "ru", "en"]
    assert _text(titles[2]).startswith("GENESIS AND FEATURES OF CULTURAL IDENTITY")
    keywords = article.xpath(".//tr[@class='keywords']/td[@lang='ru']//span[@class='kw']")
    assert [_text(k) for k in keywords][:2] == ["культурная идентичность", "разнообразие"]


def test_each_problem_shown_once_next_to_its_field(tmp_path, example_path):
    out = tmp_path / "report.html"
    problems = biblio.report(example_path, out)
    doc = lxml.html.fromstring(out.read_bytes())
    shown = doc.xpath("//li[contains(@class,'problem')]")
    assert len(shown) == len(problems) > 0
    # articles[1].keywords.en: in the en cell of article 2's keywords, with its file:line
    cell = _section(doc, 2).xpath(".//tr[@class='keywords']/td[@lang='en']")[0]
    unrelated = [_text(li) for li in cell.xpath(".//li[contains(@class,'problem')]")]
    assert len(unrelated) == 1 and "keywords.unrelated" in unrelated[0] and "warning" in unrelated[0]
    line = next(p.line for p in problems if p.code == "keywords.unrelated")
    assert f"issue.yaml:{line}" in unrelated[0]
    # a DOI assigned from the pattern is noted at the DOI, the missing reference list at the references
    second = _section(doc, 2)
    doi_row = [tr for tr in second.xpath(".//table[@class='fields']//tr") if _text(tr.xpath("th")[0]) == "DOI"][0]
    assert "doi.assigned" in _text(doi_row)
    assert "references.missing" in _text(second.xpath(".//ol[@class='refs'] | .//h3[starts-with(., 'References')]"
                                                      "/following-sibling::ul[1]")[0])
    # what names no field shown (the issue-wide 'missing.*' notes) is in the issue's list, not in an article
    general = doc.get_element_by_id("issue-problems")
    assert "missing.pages" in _text(general)
    assert not any("missing.pages" in _text(_section(doc, n)) for n in range(1, 11))
    # severities in order at one place: errors, warnings, notes
    for spot in doc.xpath("//ul[@class='problems']"):
        ranks = ["error warning info".split().index(li.get("class").split()[1]) for li in spot.xpath("li")]
        assert ranks == sorted(ranks)


def _checklist(doc: lxml.html.HtmlElement) -> dict[str, str]:
    rows = doc.xpath("//table[@class='checklist']/tbody/tr")
    return {_text(tr.xpath("td")[1]): tr.get("class") for tr in rows}


FAILING = """\
biblio: 1
journal:
  language: en
  titles: {en: Journal of Tests}
  issns: [{value: 2049-3630, media: electronic}]
  doi_prefix: '10.1234'
issue:
  year: 1300
  volume: '12345678901234567890123456789012345'
  number: '2'
  doi_pattern: '{prefix}/jt.{year}.{number}.{seq:03}'
articles:
  - language: en
    titles: {en: A first article}
    license: {url: 'javascript:alert(1)'}
    contributors:
      - names: {en: {family: Doe, given: "J4ne?"}}
    references:
      - text: Some reference
        volume: '12345678901234567890123456789012345'
"""


def test_checklist_rows_fail_on_what_the_crossref_check_reports(tmp_path):
    doc, problems = _page(tmp_path, FAILING)
    rows = _checklist(doc)
    failed = {label for label, state in rows.items() if state == "error"}
    assert failed == {"Depositor (name and e-mail)", "Registrant", "Year, volume and number",
                      "A landing page for every article", "Pages, dates and licence", "References"}
    assert rows["Contributors: names, ORCID iDs, affiliations"] == "warning"  # crossref.name-characters
    assert rows["A title for every article"] == "ok" and rows["A DOI for every article"] == "ok"
    assert rows["Nothing else stops the build"] == "ok"  # every error above is on a row of its own
    # each error that stops the Crossref writer is linked from a row
    links = set(doc.xpath("//table[@class='checklist']//a/@href"))
    ids = {p.code: li.get("id") for p in problems for li in doc.xpath("//li[contains(@class,'problem')]")
           if p.code in _text(li) and p.message[:30] in _text(li)}
    assert {"#" + ids[code] for code in ("crossref.depositor-missing", "crossref.year", "crossref.url-missing",
                                         "crossref.too-long", "crossref.pattern")} <= links


EVERY_CROSSREF_RULE = """\
biblio: 1
journal:
  language: en
  titles: {en: Journal of Tests}
  issns: [{value: 2049-3630, media: electronic}]
  doi_prefix: '10.1234'
issue:
  year: 1300
  volume: '12345678901234567890123456789012345'
  number: '2'
  doi: 10.1234/jt.issue
  doi_pattern: '{prefix}/jt.{year}.{number}.{seq:03}'
settings:
  landing_page_pattern: 'gopher://jt.org/{seq}'
articles:
  - language: en
    titles: {en: A first article}
    license: {url: 'javascript:alert(1)'}
    dates: {accepted: '1300-01-02'}
    contributors:
      - names: {en: {family: Doe, given: '%s'}}
    references:
      - {text: Some reference, volume: '12345678901234567890123456789012345'}
  - language: en
    titles: {en: Second}
    url: 'ftp:/bad'
    license: {url: 'http://x'}
""" % ("J" * 201)


def test_checklist_follows_the_crossref_check():
    """Each problem the Crossref check gives (every code it has) fails a row of its own, not the catch-all: the
    checklist is what the check requires."""
    import copy

    from biblio.model import LangText

    issue, _ = biblio.loads(EVERY_CROSSREF_RULE)
    assert issue is not None
    found = require.check(issue)
    bare = copy.deepcopy(issue)  # what only a file read from another tool lacks: a manifest requires them
    bare.journal.titles, bare.articles[0].titles, bare.articles[0].doi = LangText({"en": " "}), LangText({}), None
    found += [p for p in require.check(bare) if p.code.endswith(("doi-missing", "title-missing"))]
    source = Path(require.__file__).read_text(encoding="utf-8")
    assert {p.code for p in found} == set(re.findall(r'Problem\("(crossref\.[a-z-]+)"', source))
    from biblio import review
    for problem in found:
        rows = _checklist(lxml.html.fromstring(review.render(issue, [problem])))
        assert rows["Nothing else stops the build"] == "ok", problem
        assert list(rows.values()).count("error") == 1, (problem, rows)


def test_a_clean_issue_checks_every_row(tmp_path, minimal_text):
    text = minimal_text + ("settings:\n  depositor: {name: Office, email: office@jt.org}\n  registrant: JT\n"
                           "  landing_page_pattern: 'https://jt.org/{doi}'\n")
    doc, problems = _page(tmp_path, text.replace("doi_prefix", "issns: [{value: 2049-3630, media: print}]\n  "
                                                               "doi_prefix"))
    assert not [p for p in problems if p.severity == "error"]
    rows = _checklist(doc)
    assert rows["Depositor (name and e-mail)"] == "ok" and rows["A landing page for every article"] == "ok"
    assert "Office <office@jt.org>" in _text(doc.xpath("//table[@class='checklist']")[0])
    assert "Nothing stops the deposit" in _text(doc.xpath("//header[@class='page']")[0])


def test_optional_facts_are_counted_and_none_given_is_no_tick(tmp_path, minimal_text):
    bare = minimal_text  # no pages, dates or licence
    doc, _ = _page(tmp_path, bare)
    row = [tr for tr in doc.xpath("//table[@class='checklist']/tbody/tr") if "Pages, dates" in _text(tr)][0]
    assert row.get("class") == "none" and "0 of 2 articles with pages, 0 with a date of their own" in _text(row)
    doc, _ = _page(tmp_path, bare.replace("titles: {en: A first article}", "titles: {en: A first article}\n"
                                          "    pages: {first: '1', last: '9'}", 1))
    row = [tr for tr in doc.xpath("//table[@class='checklist']/tbody/tr") if "Pages, dates" in _text(tr)][0]
    assert row.get("class") == "ok" and "1 of 2 articles with pages" in _text(row)


def test_build_report_lists_each_file_with_its_verdict(tmp_path, example_path):
    out = tmp_path / "out"
    report = biblio.build(example_path, out)
    assert report.files
    problems = biblio.report(example_path, out / "report.html", build_report=report)
    doc = lxml.html.fromstring((out / "report.html").read_bytes())
    items = doc.xpath("//ul[@class='files']/li")
    assert len(items) == len(report.files)
    for item, written in zip(items, report.files):
        href = item.xpath("a/@href")[0]
        assert href.startswith("./") and (out / href).resolve() == written.path.resolve()
        assert "valid" in _text(item) and written.format in _text(item)
    assert _checklist(doc)["The deposit file valid against Crossref's schema"] == "ok"
    assert "crossref.xml: valid" in _text(doc.xpath("//table[@class='checklist']")[0])
    # the build's own notes are on the page too, once each
    assert any(p.code == "crossref.not-carried" for p in problems)
    assert len(doc.xpath("//li[contains(@class,'problem')]")) == len(problems)


def test_build_report_invalid_file_is_not_linked(tmp_path, example_path):
    out = tmp_path / "out"
    report = biblio.build(example_path, out)
    bad = report.files[0]
    bad.valid = False
    report.problems.append(biblio.Problem("crossref.schema", "error", "broken on purpose", file=str(bad.path),
                                          line=3))
    biblio.report(example_path, out / "report.html", build_report=report)
    doc = lxml.html.fromstring((out / "report.html").read_bytes())
    first = doc.xpath("//ul[@class='files']/li")[0]
    assert not first.xpath("a") and "INVALID" in _text(first) and "broken on purpose" in _text(first)
    assert _checklist(doc)["The deposit file valid against Crossref's schema"] == "error"


def test_unreadable_manifest_still_gives_a_page(tmp_path):
    doc, problems = _page(tmp_path, "biblio: 1\njournal: [\n")
    assert problems and any(p.severity == "error" for p in problems)
    assert "could not be read" in _text(doc.xpath("//h1")[0])
    assert len(doc.xpath("//li[contains(@class,'problem error')]")) == sum(p.severity == "error" for p in problems)


def test_page_that_cannot_be_written_is_a_problem(tmp_path, example_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    problems = biblio.report(example_path, blocker / "report.html")
    assert [p.code for p in problems if p.severity == "error"] == ["report.io"]


def test_cli_report(tmp_path, example_path, capsys):
    out = tmp_path / "page.html"
    assert cli.main(["report", str(example_path), "-o", str(out)]) == 0
    captured = capsys.readouterr()
    assert f"-> {out}" in captured.out and out.is_file()
    bad = tmp_path / "bad.yaml"
    bad.write_text(FAILING, encoding="utf-8")
    assert cli.main(["report", str(bad), "-o", str(tmp_path / "bad.html")]) == 1
    assert (tmp_path / "bad.html").is_file()  # written all the same: the editor sees why
    assert cli.main(["report", str(example_path), "-o", str(tmp_path)]) == 2  # a folder


# --- the page in a real browser (Debian's chromium) -------------------------------------------

INSTALL = "apt-get install -y chromium"


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.fail(f"headless Chromium is needed to test the review page in a browser; install it with: {INSTALL}")
    return found


def _run_chromium(tmp_path: Path, page: Path, *mode: str) -> subprocess.CompletedProcess[str]:
    command = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={tmp_path / 'profile'}", *mode, page.resolve().as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)


def _png_pixels(path: Path) -> tuple[int, int, bytes]:
    """Width, height and the decompressed scanlines of a PNG (enough to tell a blank image from a page)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    chunks, at = [], 8
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        if kind == b"IDAT":
            chunks.append(data[at + 8:at + 8 + length])
        at += 12 + length
    return width, height, zlib.decompress(b"".join(chunks))


@pytest.fixture(scope="module")
def browser_page(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    (folder / "issue.yaml").write_text(HOSTILE, encoding="utf-8")
    problems = biblio.report(folder / "issue.yaml", folder / "report.html")
    return folder, problems


def test_chromium_renders_the_page_as_text(browser_page, tmp_path):
    folder, problems = browser_page
    result = _run_chromium(tmp_path, folder / "report.html", "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    doc = lxml.html.fromstring(result.stdout)
    assert doc.xpath("//body") and doc.xpath("//body")[0].get("data-pwned") is None  # nothing injected ran
    assert not doc.xpath("//script | //img")
    assert "Journal <b>of</b> Tests" in _text(doc.xpath("//h1")[0])
    article = doc.get_element_by_id("article-1")
    assert '<script>document.body.setAttribute("data-pwned", "1")</script>' in _text(article.xpath(".//h2")[0])
    assert "Вторая <i>статья</i>" in _text(article)
    # the Crossref error about the landing page, next to the landing page
    row = [tr for tr in article.xpath(".//table[@class='fields']//tr") if _text(tr.xpath("th")[0]) == "Landing page"][0]
    assert "javascript:alert(1)" in _text(row) and "error" in _text(row) and not row.xpath(".//a")
    assert any(p.path == "articles[0].url" and p.severity == "error" for p in problems)


def test_chromium_screenshot_is_a_page(browser_page, tmp_path):
    folder, _ = browser_page
    shot = tmp_path / "page.png"
    result = _run_chromium(tmp_path, folder / "report.html", f"--screenshot={shot}", "--window-size=1280,2000")
    assert result.returncode == 0 and shot.is_file(), result.stderr[-2000:]
    width, height, pixels = _png_pixels(shot)
    assert (width, height) == (1280, 2000)
    assert len(set(pixels)) > 64  # text, badges and rules: a blank or one-colour image has a handful of values


def test_chromium_prints_each_article_on_its_own_pages(tmp_path, example_path):
    page = tmp_path / "report.html"
    biblio.report(example_path, page)
    pdf = tmp_path / "page.pdf"
    result = _run_chromium(tmp_path, page, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    assert result.returncode == 0 and pdf.is_file(), result.stderr[-2000:]
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes()))
    assert pages >= 11  # the issue's part, then each of the 10 articles from a new page
