"""The RIS fast paths against straightforward references, on random inputs.

The validator checks a record the writer could have made from one regular-expression match
(``_PLAIN_LF``/``_PLAIN_CRLF`` and a ``_Plan``) and sends anything else to the line scanner; the
reference is the line scanner alone, reading the file as the validator did before: a text
stream with universal newlines, one line at a time.
"""

import io
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from biblio import derive, ids
from biblio.formats import ris

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import generate  # bench/generate.py: the synthetic articles of the benchmark

# Lines a RIS file holds, well and badly formed, and the characters that end or split lines.
_LINES = st.sampled_from([
    "TY  - JOUR", "TY  - BOOK", "TY  - WHAT", "TY  -", "TY  - ", "TY  - \u2028", "ER  - ", "ER  -", "ER  - x",
    "TI  - Title", "TI  - ", "T1  - Other title", "AU  - Family, Given", "A1  - One", "T2  - Journal",
    "JO  - J.", "PY  - 2025", "PY  - soon", "DA  - 2025/06/30/", "DA  - 2025/06//", "Y1  - May 2020",
    "DO  - 10.1234/abc", "DO  - not a doi", "DO  - https://doi.org/10.1234/x", "DO  - 10.1234/a\u00e9",
    "SN  - 2999-0114, 2999-0122", "SN  - 1234-5678; x", "SN  - ", "AB  - An abstract.", "AB  - \x85",
    "KW  - word", "XY  - custom", "ZZ  - other", "Z1  - ", "N1  - note", "LA  - kk", "UR  - https://x.test/a",
    "", " ", "\t", "\xa0", "  TI  - lead", "AU - loose", "PY  -2025", "au  - lower", "12  - digits",
    "continued text", "ER", "TY", "TI  - a\x0bb\x1cc", "TI  - x\u2028y", "\ufeffTY  - JOUR",
])
_ENDS = st.sampled_from(["\n", "\r\n", "\r"])


@st.composite
def _ris_texts(draw):
    """A file's text: lines with random line ends, now and then a BOM and no final line end."""
    lines = draw(st.lists(st.tuples(_LINES, _ENDS), max_size=40))
    text = "".join(line + end for line, end in lines)
    if draw(st.booleans()):
        text = text.rstrip("\r\n")
    if draw(st.booleans()):
        text = "\ufeff" + text
    return text


_FURTHER = st.sampled_from(["", "  ", "Second paragraph.", "ab - x", "12  - x", "  TI  - x", "\u00e91  - x",
                            "x\u2028y", "\x85", "TY  - JOUR", "ER  - ", "AB  - again", "a-b", "Q", "ab-",
                            "\tKW  - k", "\x0bXX - y"])


@st.composite
def _plain_texts(draw):
    """Mostly records the fast path takes, some with one flaw, one line end style per file or mixed."""
    tags = st.sampled_from(["TI", "AU", "T2", "J2", "AB", "DA", "PY", "VL", "IS", "SP", "EP", "DO", "SN", "UR",
                            "LA", "PB", "KW", "XY", "C7", "TY", "ER", "Y1", "A2"])
    values = st.sampled_from(["x", "x", "x", "Title  with  spaces", "2025", "2025/06/30/", "soon", "10.1234/abc",
                              "bad doi", "2999-0114, 2999-0122", "1234-5678", " ", "", "a\rb", "a\rPY  - 2020",
                              "\u2028", "x\x85", "long " * 50])
    end = draw(st.sampled_from(["\n", "\r\n", None]))
    records = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["JOUR", "BOOK", "WHAT", "", " JOUR "]))
        fields = draw(st.lists(st.tuples(tags, values), max_size=12))
        lines = [f"TY  - {kind}"]
        for tag, value in fields:
            lines.append(f"{tag}  - {value}")
            if draw(st.integers(0, 3 if tag in ("AB", "KW") else 9)) == 0:  # an abstract's paragraphs, or not
                lines += draw(st.lists(_FURTHER, min_size=1, max_size=3))
        lines.append("ER  - ")
        lead = draw(st.sampled_from(["", "\n", " \n", "text\n"]))
        records.append(lead + "".join(line + (end or draw(_ENDS)) for line in lines))
    return "".join(records)


def _reference(path):
    """``validate`` as it was: universal newlines, one line at a time through ``_scan``."""
    file = str(path)
    try:
        with open(path, encoding="utf-8", newline=None) as stream:
            return ris._validate_lines(ris._file_lines(stream), file)
    except UnicodeDecodeError:
        text, problems = ris._decode(path.read_bytes(), file)
        return ris._validate_lines(ris._lines(text), file, problems)


_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@_SETTINGS
@given(text=st.one_of(_ris_texts(), _plain_texts()), broken=st.booleans())
def test_validate_equals_the_line_by_line_reference(tmp_path, text, broken):
    path = tmp_path / "check.ris"
    data = text.encode("utf-8")
    if broken and data:  # not UTF-8: the whole file is read again
        data = data[: len(data) // 2] + b"\xff" + data[len(data) // 2:]
    path.write_bytes(data)
    assert ris.validate(path) == _reference(path)


@_SETTINGS
@given(text=st.one_of(_ris_texts(), _plain_texts()), size=st.integers(1, 9), ahead=st.integers(0, 40))
def test_validate_equals_the_reference_across_small_pieces(tmp_path, monkeypatch, text, size, ahead):
    """Pieces of a few bytes and a short look-ahead cut records, CRLFs and characters anywhere."""
    path = tmp_path / "check.ris"
    path.write_bytes(text.encode("utf-8"))
    monkeypatch.setattr(ris, "_AHEAD", ahead)
    found = ris._validate_text(ris._text_pieces(io.BytesIO(text.encode("utf-8")), size), str(path))
    assert found == _reference(path)


_RECORD = "TY  - JOUR\nTI  - T\nAU  - F, G\nT2  - J\nPY  - 2025\nDA  - 2025/06/30/\nDO  - 10.1/x\nSN  - 2999-0114\n" \
          "AB  - One.\nKW  - k\nER  - \n"


@pytest.mark.parametrize("tag", ["TI", "AU", "PY", "DA", "DO", "SN", "AB", "KW", "T2"])
@pytest.mark.parametrize("further", ["", "  ", "more text", "\u00e91  - x", "ab - x", "x\u2028y", "2025"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_validate_a_field_with_further_lines(tmp_path, tag, further, newline):
    """Only an abstract's further lines leave a record plain; after a date, DOI or ISSN they change
    the value checked, after a title they are read by the line scanner."""
    start = _RECORD.index(f"\n{tag}  - ") + 1
    cut = _RECORD.index("\n", start) + 1
    text = (_RECORD[:cut] + further + "\n" + _RECORD[cut:]) * 2
    path = tmp_path / "further.ris"
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    assert ris.validate(path) == _reference(path)


@pytest.mark.parametrize("name", ["synthetic", "example"])
def test_the_writer_output_takes_the_fast_path(tmp_path, example_issue, monkeypatch, name):
    """What the writer makes never reaches the line scanner (else the fast path is dead code),
    with CRLFs as written or LFs."""
    issue = generate.issue(30) if name == "synthetic" else example_issue
    if name == "synthetic":  # some abstracts of several paragraphs
        for article in issue.articles[::3]:
            for lang, text in article.abstracts.texts.items():
                article.abstracts.texts[lang] = text.replace(". ", ".\n\n", 2)
    written, _ = ris.write(issue, tmp_path)
    lf = tmp_path / "lf.ris"
    lf.write_bytes(written[0].read_bytes().replace(b"\r\n", b"\n"))
    expected = [_reference(path) for path in (written[0], lf)]
    monkeypatch.setattr(ris, "_scan", lambda *args: pytest.fail("a written record was not plain"))
    assert [ris.validate(path) for path in (written[0], lf)] == expected


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from("10./abc \u00e9\n9\t"), max_size=30).map(str.strip)
       | st.from_regex(r"10\.\d{3,10}/\S{0,8}", fullmatch=True))
def test_a_plainly_bare_doi_is_one_ids_takes(value):
    if ris._plainly_bare_doi(value):
        assert ids.doi(value).ok and ids.doi(value).value == value


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["2999-0114", "2999-0115", "x", "", " ", ",", ";", "1234-5678"]), max_size=5)
       .map("".join))
def test_bad_issns_are_those_the_record_check_reports(value):
    reference = [ris._checked_issn(part) for part in ris._ISSN_SEPARATORS.split(value)
                 if part and not ris._checked_issn(part).ok]
    assert list(ris._bad_issns(value)) == reference


# --- the writer: records made with fast paths against the same records made through field ----------------


class _ReferenceWriter(ris._Writer):
    """The writer as it was before its fast paths: every value through ``field``, every name through
    ``_reference_person``, each left-out kind appended as found (NotCarried removes repeats)."""

    def record(self, index):
        issue, article = self.issue, self.issue.articles[index]
        shown = derive.localize(issue, index, self.lang)
        self.events = []
        self.add(shown.problems)
        self.dropped = []
        dated = False
        lines = ["TY  - JOUR"]
        self.tag(lines, "TI", shown.title, index, ".titles")
        people = {"AU": [], "A2": [], "A4": []}
        for number, (contributor, name) in enumerate(shown.authors):
            ris_tag = {"author": "AU", "editor": "A2", "translator": "A4"}.get(contributor.role)
            if ris_tag is None:
                self.dropped.append(f"{contributor.role}s (RIS has authors, editors and translators)")
                continue
            people[ris_tag].append(self.reference_person(contributor, name, shown.lang, index, number))
        for ris_tag, names in people.items():
            lines += [f"{ris_tag}  - {value}" for value in names if value]
        lines += self.issue_lines("journal", shown)
        if shown.abstract and shown.abstract.isprintable():
            line = ris.one_line(shown.abstract)
            if line:
                lines.append("AB  - " + line)
        elif shown.abstract:
            self.abstract(shown.abstract, index, lines)
        date, from_issue = derive.publication_date(issue, article)
        if date.month is not None:
            lines.append(f"DA  - {ris._date_tag(date)}")
            if from_issue:
                dated = True
                self.dated_from_issue.append(index)
        lines.append(f"PY  - {date.year:04d}")
        lines += self.issue_lines("volume", shown)
        pages = article.pages
        if pages:
            self.reference_tag(lines, "SP", pages.first or pages.article_number, index, ".pages")
            if pages.first:
                self.reference_tag(lines, "EP", pages.last, index, ".pages.last")
            self.reference_tag(lines, "C7", pages.article_number, index, ".pages.article_number")
        self.reference_tag(lines, "DO", article.doi, index, ".doi")
        lines += self.issue_lines("issns", shown)
        self.reference_tag(lines, "UR", derive.landing_page(issue, index), index, ".url")
        self.reference_tag(lines, "LA", shown.lang, index)
        lines += self.issue_lines("publisher", shown)
        if shown.keywords:
            self.keywords(shown.keywords, index)
            for keyword in shown.keywords:
                self.reference_tag(lines, "KW", keyword, index, ".keywords")
        lines.append("ER  - ")
        self.reference_not_carried_by(article, shown)
        self.not_carried.add(index, self.dropped)
        self.made = (self.events, tuple(dict.fromkeys(self.dropped)), dated)
        return lines

    def reference_tag(self, lines, name, text, index, where=""):
        value = self.field(text, index, where)
        if value:
            lines.append(f"{name}  - {value}")

    def reference_person(self, contributor, name, lang, index, number):
        if name is None:
            value = self.field(derive.pick(contributor.organization, lang)[0], index, ".organization", number)
            if "," in value:
                self.warn("ris.name-comma", f"the group author '{value}' has a comma: RIS readers take the part "
                          "before it for a family name and the rest for a given name",
                          f"articles[{index}].contributors[{number}]")
            return value
        family, given = self.field(name.family, index, ".names", number), self.field(name.given, index, ".names", number)
        if not family:
            return given
        if "," in family:
            self.warn("ris.name-comma", f"the family name '{family}' has a comma: RIS readers split a name at its "
                      "first comma, so they will read a wrong family name",
                      f"articles[{index}].contributors[{number}]")
        return f"{family}, {given}" if given else f"{family},"

    def reference_not_carried_by(self, article, shown):
        drop = self.dropped.append
        if len(article.titles.texts) > 1 or len(article.abstracts.texts) > 1 or len(article.keywords) > 1:
            drop("titles, abstracts and keywords in other languages (a record holds one language; each "
                 "language gets a file of its own)")
        if shown.lang != article.language:
            drop("the language the article is written in (LA gives the language of the record)")
        for contributor in article.contributors:
            names = contributor.names
            if len(names) > 1 or (contributor.organization and len(contributor.organization.texts) > 1):
                drop("author names in other languages and scripts")
            if any(name.order == "family-first" for name in names.values()):
                drop("the printed order of names (family name first)")
            if contributor.orcid:
                drop("ORCID iDs")
            if contributor.affiliations:
                drop("affiliations")
            if contributor.email or contributor.corresponding:
                drop("e-mail addresses and the corresponding author")
            if contributor.credit:
                drop("CRediT roles")
        dates = article.dates
        for present, what in ((article.funding, "funding"), (article.references, "references"),
                              (article.section, "the section"), (article.citations, "in-text citation numbers"),
                              (article.license, "the licence"),
                              (dates.received or dates.accepted, "the dates received and accepted"),
                              (dates.published and dates.online, "the online date beside the print date"),
                              (dates.online and not dates.published,
                               "that the date is the online one (DA reads back as the print date)")):
            if present:
                drop(what)


# Texts that take every branch: double spaces, edge spaces, controls, breaks, NBSP, commas, ';', tag-like.
_TEXTS = st.one_of(st.sampled_from(["", " ", "Plain", "two  spaces", " edge ", "a,b", "x;y", "Ab\x07c", "tab\there",
                                    "line\nbreak", "nb\xa0sp", "\u2028", "ER  - tag", "Қазақ  тілі", "é", ","]),
                   st.text(alphabet=st.sampled_from("ab ,;\t\n\x01\xa0\u2028Ққ-"), max_size=12))


@st.composite
def _issues(draw):
    """A small synthetic issue with some of its texts, names, roles, pages and dates replaced."""
    issue = generate.issue(draw(st.integers(1, 4)), seed=draw(st.integers(0, 50)))
    for article in issue.articles:
        lang = article.language
        if draw(st.booleans()):
            article.titles.texts[lang] = draw(_TEXTS)
        if draw(st.booleans()):
            article.abstracts.texts[lang] = draw(st.one_of(_TEXTS, _TEXTS.map(lambda t: t + "\n\n" + t)))
        if draw(st.booleans()):
            article.keywords[lang] = draw(st.lists(_TEXTS, max_size=3))
        for contributor in article.contributors:
            contributor.role = draw(st.sampled_from(["author", "author", "editor", "translator", "reviewer"]))
            for name in contributor.names.values():
                if draw(st.integers(0, 3)) == 0:
                    name.family = draw(_TEXTS)
                if draw(st.integers(0, 3)) == 0:
                    name.given = draw(st.one_of(st.none(), _TEXTS))
            if draw(st.integers(0, 4)) == 0:
                contributor.orcid = contributor.email = None
                contributor.corresponding, contributor.affiliations, contributor.credit = False, [], []
        if draw(st.booleans()):
            article.pages = draw(st.one_of(st.none(), st.builds(ris.Pages, st.one_of(st.none(), _TEXTS),
                                                                 st.one_of(st.none(), _TEXTS),
                                                                 st.one_of(st.none(), _TEXTS))))
        if draw(st.booleans()):
            article.doi = draw(st.one_of(st.none(), _TEXTS.map(lambda t: " 10.1234/" + t)))  # the URL needs a /
        if draw(st.booleans()):
            article.dates.published = draw(st.one_of(st.none(), st.builds(
                ris.PartialDate, st.integers(1990, 2030), st.one_of(st.none(), st.integers(1, 12)),
                st.one_of(st.none(), st.integers(1, 28)))))
            article.dates.online = draw(st.one_of(st.none(), st.just(ris.PartialDate(2024, 1))))
    return issue


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(issue=_issues(), lang=st.sampled_from([None, "kk", "ru", "en"]))
def test_dumps_equals_the_record_made_through_field(issue, lang):
    fast = ris.dumps(issue, lang=lang)
    original = ris._Writer
    try:
        ris._Writer = _ReferenceWriter
        reference = ris.dumps(issue, lang=lang)
    finally:
        ris._Writer = original
    assert fast == reference


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(issue=_issues())
def test_write_many_equals_the_records_made_through_field(tmp_path_factory, issue):
    langs = [None, "kk", "ru", "en", "not a tag!"]
    fast, slow = tmp_path_factory.mktemp("fast"), tmp_path_factory.mktemp("slow")
    found = ris.write_many(issue, fast, langs)
    original = ris._Writer
    try:
        ris._Writer = _ReferenceWriter
        expected = ris.write_many(issue, slow, langs)
    finally:
        ris._Writer = original
    assert [problems for _, problems in found] == [problems for _, problems in expected]
    assert [[path.name for path in paths] for paths, _ in found] == [[path.name for path in paths]
                                                                      for paths, _ in expected]
    for (paths, _), (reference, _) in zip(found, expected):
        assert [path.read_bytes() for path in paths] == [path.read_bytes() for path in reference]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40) | st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
def test_printable_is_isprintable(text):
    assert ris._printable(text) == text.isprintable()


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 9999), st.one_of(st.none(), st.integers(1, 12)), st.one_of(st.none(), st.integers(1, 31)))
def test_date_lines_are_the_da_and_py_lines(year, month, day):
    date = ris.PartialDate(year, month, day)
    expected = ([f"DA  - {ris._date_tag(date)}"] if month is not None else []) + [f"PY  - {year:04d}"]
    assert list(ris._date_lines(year, month, day)) == expected


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pattern=st.lists(st.sampled_from(["plain", "paragraphs", "empty", "loose", "no ER"]), min_size=1, max_size=150))
def test_validate_runs_of_records_that_are_not_plain(tmp_path, pattern):
    """After matches fail in a row the scanner takes records unmatched for a while: the same problems,
    on the right lines, whatever the runs of plain records and others."""
    records = {"plain": _RECORD, "paragraphs": _RECORD.replace("AB  - One.\n", "AB  - One.\n\nTwo.\n"),
               "empty": _RECORD.replace("ER  - ", "N1  - \nER  - "), "loose": _RECORD.replace("TI  - ", "TI - "),
               "no ER": _RECORD.replace("ER  - \n", "")}
    path = tmp_path / "runs.ris"
    path.write_bytes("".join(records[kind] for kind in pattern).replace("\n", "\r\n").encode("utf-8"))
    assert ris.validate(path) == _reference(path)
