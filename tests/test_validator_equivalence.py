"""The streaming validators report exactly what the whole-file ones did: the same problems, in the
same order, with the same lines, on valid files and on files broken in every way they detect.

The references are the validators as they were before streaming (RIS: the whole text split into
records, then checked; BibTeX: bibtexparser's blocks), kept here to compare against."""

import re
from pathlib import Path

import pytest

import biblio
from biblio import ids
from biblio.formats import bibtex, ris
from biblio.formats.ris import (
    _DATE_TAGS,
    _JOURNAL_TAGS,
    _LOOSE,
    _STRICT,
    _TAGLIKE,
    _TITLE_TAGS,
    JOURNAL_TYPES,
    MULTILINE_TAGS,
    SINGLE_TAGS,
    TAGS,
    TYPES,
    _decode,
    _Field,
    _Record,
    parse_date,
)
from biblio.problems import Problem, sort_key


def _key(problems):
    return [(p.code, p.severity, p.message, p.file, p.line, p.path) for p in problems]


# --- RIS: the reference ---------------------------------------------------------------------

def _ref_lines(text: str) -> list[str]:
    """Lines split at CRLF, CR or LF only (str.splitlines would also split at U+2028 and friends)."""
    lines = re.split(r"\r\n|\r|\n", text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines



def _ref_parse(text: str, file: str) -> tuple[list[_Record], list[Problem]]:
    """Records with their fields and line numbers, and what is wrong with the file's structure."""
    records: list[_Record] = []
    problems: list[Problem] = []
    current: _Record | None = None
    outside_from: int | None = None

    def problem(code: str, severity: str, message: str, line: int) -> None:
        problems.append(Problem(code, severity, message, file=file, line=line))  # type: ignore[arg-type]

    def close_outside() -> None:
        nonlocal outside_from
        if outside_from is not None:
            problem("ris.outside-record", "warning", "text between records (after 'ER  - ' and before the next "
                    "'TY  - ') belongs to no record and is ignored", outside_from)
            outside_from = None

    for number, raw in enumerate(_ref_lines(text), 1):
        strict, loose = _STRICT.match(raw), _LOOSE.match(raw)
        if strict or loose:
            tag = (strict or loose).group(1)  # type: ignore[union-attr]
            value = ((strict.group(2) if strict else loose.group(2)) or "").strip()  # type: ignore[union-attr]
            if not strict:
                problem("ris.tag-syntax", "error", f"'{raw.strip()}' is not a tag line every reader understands: "
                        f"write the tag, two spaces, a hyphen and a space ('{tag}  - value')", number)
            close_outside()
            if tag == "TY":
                if current is not None:
                    problem("ris.record-end", "error", f"the record that starts on line {current.line} has no "
                            f"'ER  - ' line before the next record (line {number})", current.line)
                current = _Record(number, value or None)
                records.append(current)
                continue
            if tag == "ER":
                if current is None:
                    problem("ris.record-start", "error", "'ER  - ' ends no record: a record starts with 'TY  - '",
                            number)
                else:
                    current.end = number
                    current = None
                continue
            if current is None:
                problem("ris.record-start", "error", f"this record has no 'TY  - ' line: a record starts with "
                        f"'TY  - JOUR' (found '{tag}' first)", number)
                current = _Record(number, None)
                records.append(current)
            current.fields.append(_Field(tag, number, [value]))
            continue
        if _TAGLIKE.match(raw):
            problem("ris.tag-syntax", "warning", f"'{raw.strip()[:40]}' looks like a tag line but a tag is two "
                    "capital letters, or a capital and a digit; it is read as text continuing the line before "
                    "(Zotero may read it as a tag)", number)
        if current is None:
            if raw.strip() and outside_from is None:
                outside_from = number
            continue
        if current.fields:
            last = current.fields[-1]
            if raw.strip() or last.tag in MULTILINE_TAGS:
                last.parts.append(raw.strip())
        elif raw.strip():
            problem("ris.outside-record", "warning", "text right after 'TY  - ' belongs to no tag and is ignored",
                    number)
    close_outside()
    if current is not None:
        problem("ris.record-end", "error", f"the record that starts on line {current.line} has no 'ER  - ' line at "
                "its end", current.line)
    return records, problems



def _ref_check_record(record: _Record, file: str) -> list[Problem]:
    problems: list[Problem] = []

    def problem(code: str, severity: str, message: str, line: int) -> None:
        problems.append(Problem(code, severity, message, file=file, line=line))  # type: ignore[arg-type]

    kind = record.type
    if kind is not None and kind not in TYPES:
        problem("ris.type", "warning", f"'{kind}' is not a RIS record type; readers will take it for a generic "
                "item (a journal article is 'JOUR')", record.line)
    if record.first(*_TITLE_TAGS, "CT", "BT") is None:
        problem("ris.tag-missing", "error", "the record has no title: add 'TI  - '", record.line)
    if kind is None or kind in JOURNAL_TYPES:
        if record.first(*_JOURNAL_TAGS) is None:
            problem("ris.tag-missing", "error", "the journal article names no journal: add 'T2  - ' (or JO)",
                    record.line)
        if record.first(*_DATE_TAGS) is None:
            problem("ris.tag-missing", "error", "the record has no year: add 'PY  - YYYY'", record.line)
        if record.first("AU", "A1") is None:
            problem("ris.author-missing", "warning", "the record names no author (AU): citations will start with "
                    "the title", record.line)
    seen: dict[str, int] = {}
    for item in record.fields:
        if item.tag in SINGLE_TAGS and item.tag in seen:
            problem("ris.tag-repeated", "warning", f"{item.tag} appears again (first on line {seen[item.tag]}); "
                    "readers keep only one of them", item.line)
        seen.setdefault(item.tag, item.line)
        value = item.value
        if not value:
            continue
        if item.tag in _DATE_TAGS and parse_date(value) is None:
            problem("ris.date", "warning", f"'{value}' is not a date RIS readers understand: write YYYY for PY "
                    "and YYYY/MM/DD/ for DA (leave unknown parts empty: 2025/06//)", item.line)
        elif item.tag == "DO":
            checked = ids.doi(value)
            if not checked.ok:
                problems.append(checked.problem("warning", file=file, line=item.line))  # type: ignore[arg-type]
        elif item.tag == "SN" and (kind is None or kind in JOURNAL_TYPES):
            for part in re.split(r"[\s,;]+", value):
                checked = ids.issn(part)
                if part and not checked.ok:
                    problems.append(checked.problem("warning", file=file, line=item.line))  # type: ignore[arg-type]
    return problems



def _ref_unknown_tags(records: list[_Record], file: str) -> list[Problem]:
    """One problem per tag outside the specification, at its first line, with how often it appears."""
    found: dict[str, list[int]] = {}
    for record in records:
        for item in record.fields:
            if item.tag not in TAGS:
                found.setdefault(item.tag, []).append(item.line)
    return [Problem("ris.tag-unknown", "warning", f"{tag} is not a RIS tag ({len(lines)} time(s)); readers ignore "
                    "it or keep it as a note", file=file, line=lines[0]) for tag, lines in found.items()]



def ris_reference(path: Path) -> list[Problem]:
    """Re-read the file: UTF-8, record structure, tag syntax, required tags, known tags and values."""
    file = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        return [Problem("ris.io", "error", f"cannot read the file: {error.strerror or error}", file=file)]
    text, problems = _decode(data, file)
    records, structure = _ref_parse(text, file)
    problems += structure
    if not records:
        problems.append(Problem("ris.empty", "error", "the file holds no RIS record (a record starts with "
                                "'TY  - JOUR' and ends with 'ER  - ')", file=file, line=1))
    for record in records:
        problems += _ref_check_record(record, file)
    problems += _ref_unknown_tags(records, file)
    return sorted(problems, key=sort_key)



# --- RIS: the corpus --------------------------------------------------------------------------

RIS_GOOD = ("TY  - JOUR\nTI  - Title\nAU  - Family, Given\nT2  - Journal\nPY  - 2025\nDA  - 2025/06/30/\n"
            "DO  - 10.1234/abc\nSN  - 2999-0114, 2999-0122\nAB  - First paragraph.\n\nSecond one.\nKW  - word\n"
            "ER  - \n")

RIS_BROKEN = {
    "missing ER": RIS_GOOD.replace("ER  - \n", "") + RIS_GOOD,
    "missing ER at the end": RIS_GOOD + RIS_GOOD.replace("ER  - \n", ""),
    "missing TY": RIS_GOOD.replace("TY  - JOUR\n", ""),
    "ER without a record": "ER  - \n" + RIS_GOOD,
    "loose tag lines": RIS_GOOD.replace("AU  - ", "AU - ").replace("PY  - 2025", "PY  -2025"),
    "leading spaces": RIS_GOOD.replace("TI  - ", "  TI  - "),
    "lower-case tag": RIS_GOOD.replace("AU  - ", "au  - "),
    "digit tag": RIS_GOOD.replace("KW  - word", "12  - word"),
    "stray text between records": RIS_GOOD + "stray text\n\nmore\n" + RIS_GOOD,
    "text right after TY": RIS_GOOD.replace("TY  - JOUR\n", "TY  - JOUR\n\nloose words\n"),
    "continuation lines": RIS_GOOD.replace("TI  - Title\n", "TI  - Title\n  goes on\n\nand on\n"),
    "unknown tags": RIS_GOOD.replace("ER  - ", "XY  - custom\nZZ  - other\nXY  - again\nER  - ") * 2,
    "repeated tags": RIS_GOOD.replace("ER  - ", "TI  - Again\nPY  - 2024\nER  - "),
    "bad values": RIS_GOOD.replace("DO  - 10.1234/abc", "DO  - not a doi").replace(
        "SN  - 2999-0114, 2999-0122", "SN  - 1234-5678; x").replace("DA  - 2025/06/30/", "DA  - soon"),
    "missing title journal year author": RIS_GOOD.replace("TI  - Title\n", "").replace("T2  - Journal\n", "")
    .replace("PY  - 2025\n", "").replace("DA  - 2025/06/30/\n", "").replace("AU  - Family, Given\n", ""),
    "other record types": RIS_GOOD.replace("JOUR", "BOOK") + RIS_GOOD.replace("JOUR", "WHAT") + RIS_GOOD.replace(
        "TY  - JOUR", "TY  -"),
    "empty": "",
    "blank lines only": "\n\n  \n",
    "empty values": RIS_GOOD.replace("TI  - Title", "TI  - ").replace("ER  - ", "ER  -"),
    "odd whitespace": RIS_GOOD.replace("Title", "Ti\x0btle\x1c").replace("Journal", "Jour\u2028nal\x85"),
}


def _ris_texts():
    yield "good", RIS_GOOD
    yield "good twice", RIS_GOOD + "\n" + RIS_GOOD
    yield from RIS_BROKEN.items()


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize(("name", "text"), list(_ris_texts()), ids=[name for name, _ in _ris_texts()])
def test_ris_streaming_validator_agrees_with_the_whole_file_one(tmp_path, name, text, newline):
    path = tmp_path / "check.ris"
    for variant in (text, "\ufeff" + text, text.rstrip("\n")):
        path.write_bytes(variant.replace("\n", newline).encode("utf-8"))
        assert _key(ris.validate(path)) == _key(ris_reference(path)), variant
    if name != "good":
        return
    path.write_bytes(text.encode("utf-8") + b"TY  - JOUR\nTI  - \xff\xfe\nER  - \n")  # not UTF-8
    found = ris.validate(path)
    assert _key(found) == _key(ris_reference(path)) and "ris.encoding" in [p.code for p in found]


def test_ris_streaming_validator_agrees_on_the_example_and_across_chunks(tmp_path, monkeypatch):
    from conftest import EXAMPLE
    issue, _ = biblio.load(EXAMPLE)
    for lang in (None, "en", "ru", "kk"):
        files, _ = ris.write(issue, tmp_path, lang=lang)
        assert ris.validate(files[0]) == ris_reference(files[0]) == []
    path = tmp_path / "many.ris"
    text = "\ufeff" + "".join(RIS_BROKEN.values()) * 3
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    assert _key(ris.validate(path)) == _key(ris_reference(path))
    with open(path, encoding="utf-8", newline=None) as stream:  # lines, CRLFs and the BOM split across reads
        assert list(ris._file_lines(stream, 7)) == _ref_lines(text[1:])


# --- BibTeX: the scan vouches for a file only when bibtexparser finds nothing --------------------

BIB_GOOD = """\
@article{nassimov2025genesis,
  author   = {Nassimov, Murat and {The Board}},
  title    = {{Genesis of \\textit{things}: 20\\% and \\$5, R\\&D, x\\_1}},
  journal  = {Journal of Tests},
  year     = {2025},
  month    = jun,
  volume   = {15},
  pages    = {5--20},
  doi      = {10.1234/a_b%c},
  url      = {https://example.org/a_b?x=1&y=2#z},
  abstract = {One paragraph. \\par Another with $x^2$ and \\{braces\\}.},
  keywords = {one, two{,} three},
  language = {en},
  langid   = {english}
}

@book{book1,
  editor    = {Doe, Jane},
  title     = {A book},
  publisher = {P},
  year      = 2020,
}
"""

BIB_BROKEN = {
    "unescaped ampersand": ("R\\&D", "R&D"),
    "unescaped percent": ("20\\%", "20%"),
    "unescaped hash": ("x\\_1", "x#1"),
    "unescaped underscore": ("x\\_1", "x_1"),
    "unescaped caret": ("$x^2$", "x^2"),
    "open math": ("\\$5", "$5"),
    "cyrillic macro": ("Another", "\\CYRA\\cyrchar\\cyrb"),
    "unpaired brace": ("\\{braces\\}", "{braces"),
    "unpaired escaped brace": ("\\{braces\\}", "\\{braces"),
    "brace closing early": ("{Nassimov, Murat", "{Nassimov}, Murat}"),
    "trailing backslash": ("{en}", "{en\\}"),
    "duplicate key": ("@book{book1", "@book{nassimov2025genesis"),
    "duplicate field": ("  language = {en},", "  language = {en},\n  language = {kk},"),
    "missing author": ("  author   = {Nassimov, Murat and {The Board}},\n", ""),
    "missing journal": ("  journal  = {Journal of Tests},\n", ""),
    "missing year": ("  year     = {2025},\n", ""),
    "empty title": ("{{Genesis", "{}, %{{Genesis"),
    "empty journal": ("{Journal of Tests}", "{}"),
    "missing publisher": ("  publisher = {P},\n", ""),
    "no comma after the key": ("@book{book1,", "@book{book1"),
    "missing closing brace": ("  langid   = {english}\n}", "  langid   = {english}\n"),
    "stray text": ("\n@book", "\ntitle = {stray}\n@book"),
    "commented-out entry": ("\n@book", "\n@comment{x, title = {y}}\n@book"),
    "key with odd characters": ("book1", "bök1"),
    "key with a brace": ("book1", "bo}k1"),
    "no key": ("@book{book1,", "@book{,"),
    "empty file": (BIB_GOOD, ""),
    "blank file": (BIB_GOOD, "\n\n"),
}


# Layouts the scan does not vouch for although bibtexparser may find nothing wrong: the parse decides.
BIB_UNVOUCHED = {
    "duplicate key in other case": ("@book{book1", "@book{Nassimov2025Genesis"),
    "duplicate field in other case": ("  language = {en},", "  language = {en},\n  LANGUAGE = {kk},"),
    "no comma between fields": ("  volume   = {15},", "  volume   = {15}"),
    "comment": ("\n@book", "\n% a comment\n@book"),
    "string macro": ("  volume   = {15},", "  volume   = vol,"),
    "quoted value": ("{Journal of Tests}", '"Journal of Tests"'),
    "joined strings": ("{Journal of Tests}", '{Journal} # { of Tests}'),
    "value over two lines": ("One paragraph.", "One\nparagraph."),
    "unknown entry type": ("@book{", "@dataset{"),
    "at sign in a value": ("{P}", "{p@q.r}"),
    "tab in a value": ("{P}", "{P\tQ}"),
    "two fields on a line": ("  volume   = {15},", "  volume   = {15}, number = {2},"),
    "text after the closing brace": ("  langid   = {english}\n}", "  langid   = {english}\n} x"),
}


def _bib_variants():
    yield "good", BIB_GOOD
    for name, (old, new) in (BIB_BROKEN | BIB_UNVOUCHED).items():
        assert old in BIB_GOOD, name
        yield name, BIB_GOOD.replace(old, new, 1)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize(("name", "text"), list(_bib_variants()), ids=[name for name, _ in _bib_variants()])
def test_bibtex_scan_never_vouches_for_a_file_the_parse_faults(tmp_path, name, text, newline):
    path = tmp_path / "check.bib"
    for variant in (text, "\ufeff" + text):
        path.write_bytes(variant.replace("\n", newline).encode("utf-8"))
        parsed = bibtex.validate(path, strict=True)
        assert _key(bibtex.validate(path)) == _key(parsed)
        assert bibtex._scan_clean(path) == (name == "good"), (name, _key(parsed))
        if name not in BIB_UNVOUCHED:
            assert (parsed == []) == (name == "good"), _key(parsed)


def test_bibtex_scan_vouches_for_what_biblio_writes(tmp_path):
    from conftest import EXAMPLE
    issue, _ = biblio.load(EXAMPLE)
    for lang in (None, "en", "ru", "kk"):
        files, _ = bibtex.write(issue, tmp_path, lang=lang)
        assert bibtex._scan_clean(files[0]) and bibtex.validate(files[0], strict=True) == []
    path = tmp_path / "latin1.bib"
    path.write_bytes(BIB_GOOD.replace("Nassimov", "N\xe4ssimov").encode("latin-1"))
    assert not bibtex._scan_clean(path) and _key(bibtex.validate(path)) == _key(bibtex.validate(path, strict=True))


@pytest.mark.parametrize("seed", range(8))
def test_bibtex_scan_agrees_on_random_damage(tmp_path, seed):
    """Characters the checks care about, put anywhere: where the scan says clean, so does the parse."""
    import random

    rng = random.Random(seed)
    path = tmp_path / "damaged.bib"
    vouched = 0
    for _ in range(60):
        text = BIB_GOOD
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(text) + 1)
            text = text[:at] + rng.choice(["{", "}", "\\", "$", "&", "%", "#", "_", "^", "@", ",", "=", "\n", '"',
                                           "\\{", "\\}", " and ", "\\CYRA", "~"]) + text[at:]
        path.write_text(text, encoding="utf-8")
        parsed = bibtex.validate(path, strict=True)
        if bibtex._scan_clean(path):
            vouched += 1
            assert parsed == [], (text, _key(parsed))
        assert _key(bibtex.validate(path)) == _key(parsed)
    assert vouched  # some damage is harmless (a comma or a tilde inside a value)


# --- Crossref: the streamed pass agrees with the whole-tree fast path --------------------------

def _crossref_corpus(rich_text, generated):
    import test_crossref_fast as fast

    yield "golden", fast.GOLDEN_TEXT
    yield "rich", rich_text
    yield from generated.items()
    for name, text in fast.VALID_BY_HAND.items():
        yield name, text or fast.variant("<volume>12</volume>", f"<volume>{'v' * 32}</volume>", rich_text)
    for name in fast.BROKEN:
        yield name, fast.broken_text(name)
    yield "too long volume", fast.variant("<volume>12</volume>", f"<volume>{'v' * 33}</volume>", rich_text)
    for seed in range(40):
        yield f"mutation {seed}", fast.mutations([fast.GOLDEN_TEXT.encode(), rich_text.encode()][seed % 2], seed)
    yield "not XML", "<doi_batch"
    yield "a DOCTYPE", '<!DOCTYPE doi_batch [<!ENTITY e "x">]>' + fast.GOLDEN_TEXT.split("?>", 1)[1]
    yield "another namespace", fast.GOLDEN_TEXT.replace("schema/5.5.0", "schema/5.4.0")


def test_crossref_streamed_pass_vouches_exactly_for_valid_deposits(tmp_path, monkeypatch):
    import test_crossref_fast as fast

    from biblio import crossref_fast, manifest
    from biblio.formats import crossref, xmltools

    issue, _ = manifest.loads(fast.RICH, "rich.yaml")
    rich_text = crossref.deposit(issue, timestamp=7)[0].decode("utf-8")
    generated = fast.generated.__wrapped__()  # the fixture's function
    path = tmp_path / "deposit.xml"
    seen = {True: 0, False: 0}
    for name, text in _crossref_corpus(rich_text, generated):
        path.write_text(text, encoding="utf-8")
        tree, problems = xmltools.read_xml(path)
        whole = crossref.validate_tree(tree, str(path)) if tree is not None else problems
        streamed = crossref_fast.validate_stream(path)
        monkeypatch.setattr(crossref_fast, "_STREAM_CHUNK", 1000)  # articles and tags split across feeds
        assert crossref_fast.validate_stream(path) == streamed, name
        monkeypatch.undo()
        mathml = tree is not None and next(tree.iter("{http://www.w3.org/1998/Math/MathML}*"), None) is not None
        if not mathml and tree is not None and not tree.docinfo.doctype:
            assert streamed == (whole == []), (name, [str(p) for p in whole[:2]])
        else:
            assert not streamed, name  # left to the whole tree
        assert crossref.validate(path) == whole, name
        seen[streamed] += 1
    assert min(seen.values()) >= 10


def test_crossref_streamed_pass_drops_each_article(tmp_path, monkeypatch):
    """Each journal_article is checked as it ends and then removed from the tree being built."""
    from biblio import crossref_fast

    kept = []
    original = crossref_fast.check_asserts

    def spy(part, *args, **kwargs):
        kept.append(len(part.getroottree().getroot().findall(".//{*}journal_article")))
        return original(part, *args, **kwargs)

    monkeypatch.setattr(crossref_fast, "check_asserts", spy)
    monkeypatch.setattr(crossref_fast, "_STREAM_CHUNK", 4096)  # the example deposit is smaller than a chunk
    from conftest import EXAMPLE

    from biblio.formats import crossref

    issue, _ = biblio.load(EXAMPLE)
    path = tmp_path / "deposit.xml"
    path.write_bytes(crossref.deposit(issue, timestamp=1)[0])
    assert crossref_fast.validate_stream(path)
    # the articles of the chunk libxml2 read ahead are in the tree, never the whole issue's, none at the end
    assert len(kept) == len(issue.articles) + 1 and max(kept) < len(issue.articles) and kept[-1] == 0


def test_crossref_validate_fast_takes_a_path(tmp_path):
    import test_crossref_fast as fast
    from lxml import etree

    from biblio import crossref_fast
    from biblio.formats import xmltools

    path = tmp_path / "deposit.xml"
    for text in (fast.GOLDEN_TEXT, fast.broken_text("a bad ISSN"), fast.broken_text("a duplicate ID in an abstract")):
        path.write_text(text, encoding="utf-8")
        tree = etree.parse(str(path), xmltools.safe_parser())
        assert crossref_fast.validate_fast(path, str(path)) == crossref_fast.validate_fast(tree, str(path))
    path.write_text("<doi_batch", encoding="utf-8")
    assert [p.code for p in crossref_fast.validate_fast(path, str(path))] == ["xml.syntax"]


# --- JATS: the compiled schema is looked up once per run of articles -------------------------------

def test_jats_validation_follows_a_changed_schema_folder_at_once(tmp_path, monkeypatch):
    from conftest import EXAMPLE
    from lxml import etree

    from biblio import schemas
    from biblio.formats import jats

    issue, _ = biblio.load(EXAMPLE)
    data, _ = jats.article_xml(issue, 0)
    tree = etree.ElementTree(etree.fromstring(data))
    assert jats.validate_tree(tree, "a.xml") == jats.validate_tree(tree, "a.xml") == []
    monkeypatch.setenv(schemas.ENV_VAR, str(tmp_path / "nowhere"))
    assert [p.code for p in jats.validate_tree(tree, "a.xml")][:1] == ["schemas.missing"]
    monkeypatch.delenv(schemas.ENV_VAR)
    assert jats.validate_tree(tree, "a.xml") == []
