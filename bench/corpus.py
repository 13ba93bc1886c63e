"""The real-file corpus (issue 17): every file under tests/data/real read, converted to each format, judged.

    .venv/bin/python bench/corpus.py            # all files; prints the figures and writes bench/CORPUS.md
    .venv/bin/python bench/corpus.py --no-write # print only

For each input and each of the five formats, first what ``biblio convert FILE --to FMT`` does (``convert_file``: the
whole file converted as the command does it, each record read written, refused with a problem at its line, or dropped
silently; the output validated again and checked for values taken from another record). Then the manifest-build path:
does ``biblio.load`` return without raising; for each issue it gives and each format, does ``biblio.dumps`` give a
valid file (checked again with ``biblio.validates``), refuse with an error problem that says why, raise (crashed),
or give nothing without an error / an invalid file (invalid). Where an oracle exists (the
``*.expected.json`` next to a Zotero or Better BibTeX test input: the items those tools expect), title, first author's
family name, year, volume and DOI are compared. Cross-record values: each output record (parsed back independently,
not with biblio's readers) is matched to its input record by title, and its journal, volume and year must be its own
input record's; a value that belongs to another record of the same file is counted, as is a value the input lacks.

``tests/test_real_corpus.py`` imports this module, so the test and the report judge the same way.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
import time
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
REAL = ROOT / "tests" / "data" / "real"
FORMATS = ("crossref", "jats", "csl", "bibtex", "ris")
FIELDS = ("title", "author", "year", "volume", "doi")
OUTCOMES = ("validated", "refused", "crashed", "invalid")

sys.path.insert(0, str(ROOT / "src"))
import biblio  # noqa: E402
from biblio.model import Depositor, Settings  # noqa: E402

SETTINGS = Settings(depositor=Depositor("Corpus test", "corpus@example.org"), registrant="Corpus test",
                    landing_page_pattern="https://example.org/{doi}")
"""What a Crossref deposit needs and no other format gives; supplied so the Crossref writer itself is exercised."""


def inputs() -> list[Path]:
    """Every corpus input file (oracles and SOURCES.md excluded), in a stable order."""
    return sorted(p for p in REAL.rglob("*") if p.is_file() and not p.name.endswith(".expected.json")
                  and p.name != "SOURCES.md")


def kind(path: Path) -> str:
    """The input's format, by its name."""
    name = path.name.lower()
    return ("csl" if name.endswith(".json") else "bibtex" if name.endswith(".bib") else
            "ris" if name.endswith(".ris") else "jats" if name.endswith(".xml") else "other")


# ---- reading, tolerant of the reader returning one issue or a catalogue of several


def issues_of(result: Any) -> list[Any]:
    """The issues a load gave: one Issue, None, a list of issues, or a catalogue object with ``issues``."""
    value = result[0] if isinstance(result, tuple) else result
    if value is None:
        return []
    if hasattr(value, "articles"):
        return [value]
    if hasattr(value, "issues"):
        return list(value.issues)
    return [v for v in value if hasattr(v, "articles")] if isinstance(value, Iterable) else []


def problems_of(result: Any) -> list[Any]:
    """The problems a load gave, wherever the result keeps them."""
    if isinstance(result, tuple) and len(result) > 1:
        return list(result[1])
    return list(getattr(result, "problems", []))


def load_works(path: Path) -> list[Any]:
    """The records of one file that are not journal articles (books, chapters, theses …: ``biblio.load_works``, each a
    ``formats.Work``), or none where biblio has no such reader."""
    loader = getattr(biblio, "load_works", None)
    return list(loader(path)[0]) if loader is not None else []


def load(path: Path) -> tuple[list[Any], list[Any]]:
    """Every issue of one file and the problems (raises what biblio raises): ``biblio.load_catalogue`` when it exists,
    else the file's reading's ``catalogue()``, else ``biblio.load`` (which reads one issue)."""
    loader = getattr(biblio, "load_catalogue", None)
    if loader is not None:
        result = loader(path)
    else:
        reading = biblio.iter_read(path)
        result = reading.catalogue() if hasattr(reading, "catalogue") else reading.collect()
    return issues_of(result), problems_of(result)


# ---- converting


@dataclass
class Conversion:
    """One issue written to one format."""

    outcome: str
    data: Any = None
    why: str = ""  # the first error (refused), or the traceback's last line (crashed/invalid)
    by_validator: bool = False  # refused only because the written file failed its schema


def convert(issue: Any, fmt: str) -> Conversion:
    """``biblio.dumps`` judged: validated, refused with a clear error, crashed, or invalid."""
    if fmt == "crossref" and getattr(issue, "settings", None) is None:
        issue = replace(issue, settings=SETTINGS)
    try:
        data, problems = biblio.dumps(issue, fmt)
    except Exception as exc:  # noqa: BLE001 - a crash is what is being counted
        return Conversion("crashed", why=f"{type(exc).__name__}: {exc}"[:300])
    errors = [p for p in problems if p.severity == "error"]
    if data is None:
        if errors and all(p.message.strip() for p in errors):
            by_validator = all(p.code.endswith(".schema") for p in errors)
            return Conversion("refused", why=f"{errors[0].code}: {errors[0].message}"[:300], by_validator=by_validator)
        return Conversion("invalid", why="no output and no error problem")
    files = data if isinstance(data, dict) else {"file": data}
    for name, content in files.items():
        bad = [p for p in biblio.validates(content, fmt) if p.severity == "error"]
        if bad:
            return Conversion("invalid", data, why=f"{name}: {bad[0].code}: {bad[0].message}"[:300])
    return Conversion("validated", data)


SETTINGS_YAML = ("depositor:\n  name: Corpus test\n  email: corpus@example.org\nregistrant: Corpus test\n"
                 "landing_page_pattern: https://example.org/{doi}\n")



# ---- what `biblio convert` does with each file (the command's path, not the manifest build's)


@dataclass
class FileConversion:
    """``biblio convert FILE --to FMT`` of one whole file, judged record by record. ``records``: what biblio reads in
    the file (journal articles and works); each is *written* (its title is in the output, which is validated again and
    parsed back both independently and with biblio), *refused* (not written, and a problem says so at its line: an
    error there, a warning that it is not written, or an error whose message names its line), *refused with the
    file* (not written, nothing at all written, and an error about the whole file says why: a syntax error …),
    *lost to invalid output* (convert's own validation refused the joined file, so nothing is written and no problem
    names the record), or *dropped* (none of these: silently). ``outcome``: ok, crashed (convert raised) or invalid
    (a file convert wrote, or refused to place, fails validation). ``cross``: output records with a journal, volume
    or year that is not their own input record's (both parsed independently of biblio)."""

    records: int = 0
    written: int = 0
    refused: int = 0
    refused_file: int = 0
    lost: int = 0
    dropped: list[str] = field(default_factory=list)  # how each silently dropped record is named
    outcome: str = "ok"  # ok, crashed, invalid
    why: str = ""
    compared: int = 0
    cross: list[str] = field(default_factory=list)
    works: int = 0  # of the records, those that are not journal articles (books, chapters …)
    works_written: int = 0
    works_refused: int = 0
    works_dropped: list[str] = field(default_factory=list)


LINE_NAMED = re.compile(r"\blines? ([0-9]+)")


def _output_files(target: Path) -> dict[str, bytes]:
    """What a convert left at its target: the file, or (JATS) every file in the folder."""
    if target.is_file():
        return {target.name: target.read_bytes()}
    if target.is_dir():
        return {p.name: p.read_bytes() for p in sorted(target.iterdir()) if p.is_file()}
    return {}


def _titles_read_back(target: Path) -> collections.Counter[str]:
    """The titles of every record biblio reads in a convert's output (journal articles and works)."""
    found: collections.Counter[str] = collections.Counter()
    paths = [target] if target.is_file() else sorted(p for p in target.iterdir() if p.is_file())
    for path in paths:
        reading = biblio.iter_read(path)
        found.update(norm(_lang_text(article.titles)) for _, article, _ in reading.records())
        found.update(norm(work.reference.title) for work in reading.works)
    return found


def convert_file(path: Path, fmt: str) -> FileConversion:
    """``biblio.convert(path, fmt, out)`` as the command runs it (Crossref with ``SETTINGS_YAML`` as ``--settings``),
    judged record by record (see ``FileConversion``)."""
    import tempfile

    result = FileConversion()
    try:
        reading = biblio.iter_read(path)
        source = [(norm(_lang_text(article.titles)), line, reading.name or f"record at line {line}", False)
                  for _, article, line in reading.records()]
        source += [(norm(work.reference.title), work.line, work.name, True) for work in reading.works]
    except Exception as exc:  # noqa: BLE001 - a crash is what is being counted
        result.outcome, result.why = "crashed", f"reading: {type(exc).__name__}: {exc}"[:300]
        return result
    result.records, result.works = len(source), sum(is_work for *_, is_work in source)
    with tempfile.TemporaryDirectory(prefix="corpus-") as folder:
        settings = Path(folder) / "settings.yaml"
        settings.write_text(SETTINGS_YAML, encoding="utf-8")
        target = Path(folder) / ("out" if fmt == "jats" else f"out.{fmt}")
        try:
            report = biblio.convert(path, fmt, target, settings=settings)
        except Exception as exc:  # noqa: BLE001 - a crash is what is being counted
            result.outcome, result.why = "crashed", f"{type(exc).__name__}: {exc}"[:300]
            return result
        files = _output_files(target)
        placed_bad = [f for f in report.files if f.valid is False]
        bad = [p for p in biblio.validate(target) if p.severity == "error"] if files else []
        if placed_bad or bad:
            first = bad[0] if bad else next((p for p in report.problems if p.severity == "error"
                                             and p.file == str(placed_bad[0].path)), None)
            result.outcome = "invalid"
            result.why = f"{first.code}: {first.message}"[:300] if first else "its validation failed"
        available: collections.Counter[str] = collections.Counter()
        output: list[Record] = []
        if files and not bad:
            output = records(files if fmt == "jats" else next(iter(files.values())), fmt)
            available = collections.Counter(r.title for r in output) | _titles_read_back(target)
    own = [p for p in report.problems if p.file == str(path) and p.severity in ("warning", "error")]
    refusing = {p.line for p in own if p.severity == "error" or "not written" in p.message}
    refusing |= {int(n) for p in own if p.severity == "error" for n in LINE_NAMED.findall(p.message)}
    lines = {line for _, line, _, _ in source}
    whole = not files and any(p.severity == "error" and p.line not in lines for p in report.problems
                              if p.file in (None, str(path)))
    # records nothing refuses take their titles first, so that a refused record of the same title takes none
    for title, line, name, is_work in sorted(source, key=lambda record: record[1] in refusing):
        if available[title] > 0:
            available[title] -= 1
            result.written += 1
            result.works_written += is_work
        elif line in refusing:
            result.refused += 1
            result.works_refused += is_work
        elif whole:
            result.refused_file += 1
        elif result.outcome == "invalid":
            result.lost += 1
        else:
            result.dropped.append(f"{name} (line {line})")
            if is_work:
                result.works_dropped.append(result.dropped[-1])
    if output:
        try:
            given = records(path.read_bytes(), kind(path))
        except Exception:  # noqa: BLE001 - an input the independent parser cannot read is not cross-checked
            given = []
        if given:
            result.compared, _, result.cross = cross_values(given, output)
    return result


# ---- independent record parsing (never biblio's readers), for the cross-record check


@dataclass
class Record:
    """What a record says, each field as the set of its normalised values."""

    title: str = ""
    journal: set[str] = field(default_factory=set)
    volume: set[str] = field(default_factory=set)
    year: set[str] = field(default_factory=set)


def norm(text: Any) -> str:
    """Letters and digits only, lower case, accents and LaTeX commands and markup removed."""
    text = str(text or "")
    if "\\" in text or "{" in text:
        try:
            from pylatexenc.latex2text import LatexNodes2Text

            text = LatexNodes2Text().latex_to_text(text)
        except Exception:  # noqa: BLE001 - best effort
            pass
    text = re.sub(r"<[^>]+>", "", text)
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text.lower() if c.isalnum())


def year(text: Any) -> str:
    """The first four-digit year in a date value, or '' ('0000' too: Zotero's oracle writes it for a date it could
    not read, such as the RIS template's 'PY  - Year', where biblio rightly reads no year)."""
    found = re.search(r"(?<!\d)(\d{4})(?!\d)", str(text or ""))
    return found.group(1) if found and found.group(1) != "0000" else ""


def values(*items: Any, how: Callable[[Any], str] = norm) -> set[str]:
    """The non-empty normalised values."""
    return {v for v in (how(i) for i in items) if v}


def bib_records(text: str) -> list[Record]:
    """BibTeX entries, read with bibtexparser (another implementation than biblio's); ``#`` joins of strings resolved
    and the fields a ``crossref`` parent gives inherited (its title as the ``booktitle``), as BibTeX and biber do. The
    container is any of journal, journaltitle, booktitle, howpublished and series: each is the record's own."""
    import logging

    import bibtexparser

    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)

    library = bibtexparser.parse_string(text)  # type: ignore[attr-defined]
    strings = {s.key.lower(): str(s.value).strip('{}"') for s in library.strings}
    entries = [{k.lower(): _joined_value(str(f.value), strings) for k, f in e.fields_dict.items()}
               for e in library.entries]
    by_key = {e.key.lower(): got for e, got in zip(library.entries, entries)}
    out = []
    for got in entries:
        parent = by_key.get(got.get("crossref", "").strip().lower(), {})
        inherited = {**{k: v for k, v in parent.items() if k not in ("title", "crossref")},
                     **({"booktitle": parent["title"]} if "title" in parent else {}), **got}
        containers = (inherited.get(k) for k in ("journal", "journaltitle", "booktitle", "howpublished", "series"))
        out.append(Record(norm(got.get("title")), values(*containers), values(inherited.get("volume")),
                          values(inherited.get("year"), inherited.get("date"), how=year)))
    return out


def _joined_value(value: str, strings: dict[str, str]) -> str:
    """A field value with ``#`` joins of quoted, braced, numeric and @string pieces resolved (as written otherwise)."""
    if "#" not in value:
        return value
    pieces, depth, quoted, start = [], 0, False, 0
    for i, char in enumerate(value):
        depth += (char == "{") - (char == "}")
        quoted ^= char == '"' and depth == 0
        if char == "#" and depth == 0 and not quoted:
            pieces.append(value[start:i].strip())
            start = i + 1
    pieces.append(value[start:].strip())
    resolved = []
    for piece in pieces:
        if len(piece) > 1 and piece[0] + piece[-1] in ('""', "{}"):
            resolved.append(piece[1:-1])
        else:
            resolved.append(strings.get(piece.lower(), piece))
    return "".join(resolved)


RIS_LINE = re.compile(r"^\s*([A-Z][A-Z0-9])\s{1,2}-\s?(.*?)\s*$")


def ris_records(text: str) -> list[Record]:
    """RIS records, split on their tag lines."""
    out, tags = [], collections.defaultdict(list)  # type: ignore[var-annotated]
    for line in text.splitlines():
        match = RIS_LINE.match(line)
        if not match:
            continue
        tag, value = match.groups()
        if tag == "ER":
            out.append(tags)
            tags = collections.defaultdict(list)
        else:
            tags[tag].append(value)
    if tags.get("TY"):
        out.append(tags)
    return [Record(norm((t.get("TI") or t.get("T1") or [""])[0]),
                   values(*(v for k in ("T2", "JF", "JO", "JA", "J2", "BT", "T3") for v in t.get(k, []))),
                   values(*t.get("VL", [])), values(*(v for k in ("PY", "Y1", "DA") for v in t.get(k, [])), how=year))
            for t in out]


def csl_records(text: str) -> list[Record]:
    """CSL-JSON items (a list, one item, or items by id)."""
    data = json.loads(text)
    items = data if isinstance(data, list) else list(data.values()) if isinstance(data, dict) and all(
        isinstance(v, dict) for v in data.values()) and "type" not in data else [data]
    out = []
    for item in items:
        if not isinstance(item, dict):
            continue
        issued = item.get("issued") or {}
        when = issued.get("date-parts", [[None]])[0][0] if isinstance(issued, dict) and issued.get("date-parts") \
            else (issued.get("raw") or issued.get("literal")) if isinstance(issued, dict) else issued
        out.append(Record(norm(item.get("title")), values(item.get("container-title"), item.get("collection-title"),
                                                          item.get("container-title-short"),
                                                          item.get("journalAbbreviation")),
                          values(item.get("volume")), values(when, how=year)))
    return out


def _text(node: ET.Element | None) -> str:
    return "".join(node.itertext()) if node is not None else ""


def _local(root: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in root.iter() if isinstance(e.tag, str) and e.tag.rsplit("}", 1)[-1] == name]


def jats_records(data: bytes | str) -> list[Record]:
    """One JATS article (its front matter only, not its references)."""
    root = ET.fromstring(data.encode() if isinstance(data, str) else data)
    journal = next(iter(_local(root, "journal-meta")), None)
    meta = next(iter(_local(root, "article-meta")), None)
    if meta is None:
        return []
    titles = _local(journal, "journal-title") + _local(journal, "abbrev-journal-title") if journal is not None else []
    dates = [_text(next(iter(_local(d, "year")), None)) for d in _children(meta, "pub-date")]
    return [Record(norm(_text(next(iter(_local(meta, "article-title")), None))), values(*map(_text, titles)),
                   values(*map(_text, _children(meta, "volume"))), values(*dates, how=year))]


def _children(node: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in node if e.tag.rsplit("}", 1)[-1] == name]


def crossref_records(data: bytes) -> list[Record]:
    """The journal articles of a Crossref deposit, each with its journal's and issue's values."""
    out = []
    for journal in _local(ET.fromstring(data), "journal"):
        titles = values(*map(_text, _local(journal, "full_title") + _local(journal, "abbrev_title")))
        issue = next(iter(_local(journal, "journal_issue")), None)
        volume = values(*map(_text, _local(issue, "volume"))) if issue is not None else set()
        issue_years = values(*map(_text, _local(issue, "year")), how=year) if issue is not None else set()
        for article in _local(journal, "journal_article"):
            dates = [_text(next(iter(_local(d, "year")), None)) for d in _local(article, "publication_date")]
            title = next(iter(_local(article, "title")), None)
            out.append(Record(norm(_text(title)), titles, volume, values(*dates, how=year) or issue_years))
    return out


def records(data: Any, fmt: str) -> list[Record]:
    """The records of one input file or one conversion's output."""
    if fmt == "jats" and isinstance(data, dict):
        return [r for content in data.values() for r in jats_records(content)]
    text = data.decode("utf-8-sig", "replace") if isinstance(data, bytes) and fmt != "crossref" else data
    parse = {"bibtex": bib_records, "ris": ris_records, "csl": csl_records, "jats": jats_records,
             "crossref": crossref_records}[fmt]
    return parse(text)  # type: ignore[no-any-return, operator]


def model_records(issues: list[Any]) -> list[Record]:
    """What biblio's reading gives each record: its issue's journal and volume, its own year (else its issue's)."""
    out = []
    for issue in issues:
        journal = values(*getattr(issue.journal.titles, "texts", {}).values(), issue.journal.abbreviation)
        for article in issue.articles:
            published = getattr(article.dates, "published", None)
            out.append(Record(norm(_lang_text(article.titles)), journal, values(issue.volume),
                              values(published.year if published else issue.year, how=year)))
    return out


def cross_values(source: list[Record], output: list[Record]) -> tuple[int, int, list[str]]:
    """(records compared, records with a journal, volume or year not their own, what each was)."""
    by_title = collections.defaultdict(list)
    for i, record in enumerate(source):
        by_title[record.title].append(i)
    compared, wrong, notes = 0, 0, []
    for position, record in enumerate(output):
        mine = by_title.get(record.title, [])
        index = mine[0] if len(mine) == 1 else position if len(output) == len(source) and not record.title else None
        if index is None:
            continue
        compared += 1
        own = source[index]
        others = [r for i, r in enumerate(source) if i != index]
        bad = []
        for name in ("journal", "volume", "year"):
            got, expected = getattr(record, name), getattr(own, name)
            if got and not got & expected:
                theirs = any(got & getattr(r, name) for r in others)
                bad.append(f"{name} {sorted(got)[0]!r} ({'another record' if theirs else 'not in the input'})")
        if bad:
            wrong += 1
            notes.append(f"record {index + 1}: " + ", ".join(bad))
    return compared, wrong, notes


# ---- oracles


def stem(path: Path) -> str:
    """The file's name without its format's ending (names may hold other dots)."""
    name = path.name
    for ending in (".expected.json", ".csl.json", ".json", ".bib", ".ris", ".xml"):
        if name.lower().endswith(ending):
            return name[: -len(ending)]
    return name


def oracle(path: Path) -> list[dict[str, Any]] | None:
    """The expected items next to an input (Zotero's or Better BibTeX's own test expectations), if any."""
    expected = path.with_name(stem(path) + ".expected.json")
    return json.loads(expected.read_text(encoding="utf-8")) if expected.is_file() else None


def expected_fields(item: dict[str, Any]) -> dict[str, str]:
    """The compared fields of one expected item, normalised; absent fields left out."""
    creators = [c for c in item.get("creators", []) if isinstance(c, dict)]
    first = creators[0] if creators else {}
    extra = item.get("extra", "")
    extra = "\n".join(extra) if isinstance(extra, list) else str(extra)
    doi = item.get("DOI") or next(iter(re.findall(r"^DOI:\s*(\S+)", extra, re.M | re.I)), "")
    got = {"title": norm(item.get("title")), "author": norm(first.get("lastName") or first.get("name")),
           "year": year(item.get("date")), "volume": norm(item.get("volume")), "doi": str(doi).strip().lower()}
    return {k: v for k, v in got.items() if v}


def _lang_text(text: Any) -> str:
    if not text:
        return ""
    texts = getattr(text, "texts", {}) or {}
    return str(texts.get(getattr(text, "original", None)) or next(iter(texts.values()), ""))


def read_fields(issue: Any, article: Any) -> dict[str, str]:
    """The compared fields of one article as biblio read it (volume and year from its issue when it has none; the
    first author, else the first contributor, as Zotero's first creator)."""
    people = [c for c in article.contributors if c.role == "author"] or list(article.contributors)
    name = next(iter(people[0].names.values()), None) if people else None
    author = norm(name.family if name else _lang_text(people[0].organization)) if people else ""
    published = getattr(article.dates, "published", None)
    when = published.year if published else getattr(issue, "year", "")
    return {"title": norm(_lang_text(article.titles)), "author": author, "year": year(when),
            "volume": norm(getattr(article, "volume", None) or issue.volume), "doi": (article.doi or "").lower()}


def work_fields(work: Any) -> dict[str, str]:
    """The compared fields of one work (a record that is not a journal article) as biblio read it: its
    ``Reference``'s title, first author's (else editor's) family name (``Family, Given``; a group's whole name),
    year, volume, DOI."""
    reference = work.reference
    people = reference.authors or getattr(work, "editors", [])  # the first creator, as Zotero's: else an editor
    first = people[0] if people else ""
    family = first.partition(",")[0] if "," in first else first
    return {"title": norm(reference.title), "author": norm(family), "year": year(reference.year),
            "volume": norm(reference.volume), "doi": (reference.doi or "").lower()}


def agreement(path: Path, notes: list[str] | None = None) -> collections.Counter[str]:
    """Per field: how many oracle values there were (``<field>``) and how many biblio matched (``<field>.ok``), among
    the file's journal articles and its works (what the oracle's items of other types are read as: books, chapters,
    theses …); ``notes`` gets each disagreement. Records are matched by title (items of one title in the order of the
    file), else, when as many were read as expected, by position."""
    tally: collections.Counter[str] = collections.Counter()
    expected = oracle(path) or []
    read = read_in_order(path)
    by_title: dict[str, list[dict[str, str]]] = collections.defaultdict(list)  # records of one title, in file order
    for record in read:
        by_title[record["title"]].append(record)
    for position, item in enumerate(expected):
        want = expected_fields(item)
        same = by_title.get(want.get("title", ""), []) if want.get("title") else []
        match = same.pop(0) if same else None  # the n-th item of a title is the n-th record of it (both in file order)
        if match is None and len(read) == len(expected):
            match = read[position]
        for name, value in want.items():
            tally[name] += 1
            ok = bool(match and match[name] == value)
            tally[name + ".ok"] += ok
            if not ok and notes is not None:
                notes.append(f"item {position + 1} {name}: expected {value!r}, read "
                             + (repr(match[name]) if match else "no matching record"))
    return tally


def read_in_order(path: Path) -> list[dict[str, str]]:
    """The compared fields of every record biblio reads in a file, journal articles (of every issue) and works alike,
    in the order of their lines in the file, as an oracle lists its items (records without a line last)."""
    reading = biblio.iter_read(path)
    read = [(line, read_fields(issue, article)) for issue, article, line in reading.records()]
    read += [(work.line, work_fields(work)) for work in getattr(reading, "works", [])]
    return [fields for _, fields in sorted(read, key=lambda pair: (pair[0] is None, pair[0] or 0))]


# ---- one file, judged


@dataclass
class Verdict:
    """Everything measured on one input file."""

    path: Path
    read: bool = True
    read_error: str = ""
    issues: int = 0
    records: int = 0
    problems: list[str] = field(default_factory=list)  # the load's error codes
    conversions: dict[str, list[Conversion]] = field(default_factory=dict)
    works: int = 0  # records that are not journal articles (biblio.load_works)
    work_types: list[str] = field(default_factory=list)
    converted: dict[str, FileConversion] = field(default_factory=dict)  # biblio convert of the whole file
    cross_read: list[str] = field(default_factory=list)  # as read, before any conversion
    cross: list[str] = field(default_factory=list)
    compared: int = 0
    agree: collections.Counter[str] = field(default_factory=collections.Counter)
    disagree: list[str] = field(default_factory=list)


def judge(path: Path, formats: Iterable[str] = FORMATS) -> Verdict:
    """Read, convert to each format, and check one file."""
    verdict = Verdict(path)
    try:
        issues, problems = load(path)
    except Exception as exc:  # noqa: BLE001
        verdict.read, verdict.read_error = False, f"{type(exc).__name__}: {exc}"[:300]
        return verdict
    verdict.issues = len(issues)
    verdict.problems = [p.code for p in problems if p.severity == "error"]
    verdict.records = sum(len(i.articles) for i in issues)
    if oracle(path) is not None:
        verdict.agree = agreement(path, verdict.disagree)
    try:
        source = records(path.read_bytes(), kind(path))
    except Exception:  # noqa: BLE001 - an input the independent parser cannot read is not cross-checked
        source = []
    if source:
        verdict.cross_read = cross_values(source, model_records(issues))[2]
    works = load_works(path)
    verdict.works, verdict.work_types = len(works), [str(w.reference.type) for w in works]
    for fmt in formats:
        verdict.converted[fmt] = convert_file(path, fmt)
        verdict.conversions[fmt] = [convert(issue, fmt) for issue in issues]
        for conversion in verdict.conversions[fmt]:
            if conversion.outcome != "validated" or not source:
                continue
            try:
                output = records(conversion.data, fmt)
            except Exception as exc:  # noqa: BLE001
                verdict.cross.append(f"{fmt}: output not parsable independently ({type(exc).__name__})")
                continue
            compared, _, notes = cross_values(source, output)
            verdict.compared += compared
            verdict.cross += [f"{fmt}: {note}" for note in notes]
    return verdict


# ---- the report


def convert_report(by_kind: dict[str, list[Verdict]], verdicts: list[Verdict]) -> list[str]:
    """The first section of bench/CORPUS.md: what ``biblio convert`` does with each file, record by record."""
    lines = ["## What `biblio convert` does with each file", "",
             "Each file converted whole to each format as `biblio convert FILE --to FMT --settings S` does "
             "(`biblio.convert`; the settings give Crossref its depositor, registrant and landing-page pattern). "
             "*records*: what biblio reads in the file (journal articles and other works). Each record is *written* "
             "(its title is in the output, validated again with `biblio.validate` and parsed back both "
             "independently and with biblio), *refused* (not written, and a problem at its line says so), "
             "*refused with the file* (nothing written, and an error about the whole file, e.g. a syntax error, says "
             "why), *lost* (convert's own validation refused the file it wrote, so nothing is written and no problem "
             "names the record), or *dropped* (none of these: silently). *invalid*: conversions whose output fails "
             "validation (placed, or refused by convert's own check after writing); *crashed*: convert raised.", "",
             "| input | files | records | to | written | refused | refused with the file | lost | dropped | "
             "crashed | invalid | conversions neither crashed nor invalid |", "|---" * 12 + "|"]
    totals: collections.Counter[str] = collections.Counter()
    for name, group in sorted(by_kind.items()):
        for i, fmt in enumerate(FORMATS):
            done = [v.converted[fmt] for v in group if fmt in v.converted]
            row = collections.Counter(records=sum(c.records for c in done), written=sum(c.written for c in done),
                                      refused=sum(c.refused for c in done),
                                      refused_file=sum(c.refused_file for c in done), lost=sum(c.lost for c in done),
                                      dropped=sum(len(c.dropped) for c in done),
                                      crashed=sum(c.outcome == "crashed" for c in done),
                                      invalid=sum(c.outcome == "invalid" for c in done), conversions=len(done))
            totals.update(row)
            good = row["conversions"] - row["crashed"] - row["invalid"]
            head = f"| {name} | {len(group)} | {row['records']} |" if i == 0 else "| | | |"
            lines.append(f"{head} {fmt} | {row['written']} | {row['refused']} | {row['refused_file']} | "
                         f"{row['lost']} | {row['dropped']} | {row['crashed']} | {row['invalid']} | "
                         f"{100 * good / (row['conversions'] or 1):.1f} % |")
    records = totals["records"] or 1
    clear = totals["written"] + totals["refused"] + totals["refused_file"]
    good = totals["conversions"] - totals["crashed"] - totals["invalid"]
    lines += ["", f"All: {totals['conversions']} conversions ({len(verdicts)} files × {len(FORMATS)} formats), "
              f"{totals['crashed']} crashed, {totals['invalid']} invalid: "
              f"**{100 * good / (totals['conversions'] or 1):.1f} % neither crashed nor invalid** (target ≥ 99 %). "
              f"Of {totals['records']} records × format: "
              f"{totals['written']} written ({100 * totals['written'] / records:.1f} %), "
              f"{totals['refused']} refused at their line, {totals['refused_file']} refused with their file, "
              f"{totals['lost']} lost to invalid output, {totals['dropped']} dropped silently: "
              f"**{100 * clear / records:.1f} % written or refused with a clear problem**.", ""]
    compared = sum(c.compared for v in verdicts for c in v.converted.values())
    crossed = [(v, fmt, c) for v in verdicts for fmt, c in v.converted.items() if c.cross]
    lines += ["Records given a journal, volume or year that is not their own (input and output parsed independently "
              "of biblio, matched by title, as in the section on such records below): "
              f"{compared} output records compared, "
              f"**{sum(len(c.cross) for _, _, c in crossed)}** with a value not their own (target 0).", ""]
    lines += [f"- `{v.path.relative_to(REAL)}` → {fmt}: " + "; ".join(c.cross[:3])
              + (" …" if len(c.cross) > 3 else "")
              for v, fmt, c in crossed[:40]]
    failed = [(v, fmt, c) for v in verdicts for fmt, c in v.converted.items() if c.outcome != "ok" or c.dropped]
    lines += ([""] if crossed else []) + ["Crashed, invalid, or with records dropped silently:", ""]
    lines += [f"- `{v.path.relative_to(REAL)}` → {fmt}: {c.outcome}" + (f" ({c.why})" if c.why else "")
              + (f"; dropped {', '.join(c.dropped[:3])}" + (" …" if len(c.dropped) > 3 else "") if c.dropped else "")
              for v, fmt, c in failed[:80]] or ["None."]
    lines += ["", "### Why this differs from the manifest-build table below", "",
              "`biblio.dumps(issue, fmt)` is the path of `biblio build` and `export`: it writes a publisher's issue "
              "from its manifest and applies the issue's editorial checks (every article needs a DOI, …), so it "
              "refuses whole issues to CSL-JSON, BibTeX and RIS for `doi.missing`. `biblio convert` writes the "
              "records of a reference file as they are: a record without a DOI is written to the citation formats; "
              "it refuses a record only where the target format needs what the record lacks (a Crossref deposit "
              "needs a DOI, JATS an ISSN), one record at a time, naming its line, and writes the other records; "
              "and it writes the works (books, chapters …) the issues leave out. The figures above are what a user "
              "converting a file gets.", ""]
    return lines


def report(verdicts: list[Verdict], seconds: float) -> str:
    """bench/CORPUS.md."""
    by_kind: dict[str, list[Verdict]] = collections.defaultdict(list)
    for v in verdicts:
        by_kind[kind(v.path)].append(v)
    lines = ["# The real-file corpus (issue 17)", "",
             f"`.venv/bin/python bench/corpus.py` over `tests/data/real/` ({len(verdicts)} files, "
             f"{sum(v.records for v in verdicts)} journal articles and {sum(v.works for v in verdicts)} other works, "
             f"{seconds:.0f} s). Sources and licences: `tests/data/real/SOURCES.md`.", ""]
    lines += convert_report(by_kind, verdicts)
    lines += ["## The manifest-build path: each issue written with `biblio.dumps` (issue checks)", "",
              "A conversion is one issue read from the file written to one format with `biblio.dumps`, the path of "
              "`biblio build`/`export`, which applies a publisher's issue checks (see above why it refuses more) "
              "(Crossref with depositor, registrant and landing-page pattern supplied); *validated* output is "
              "validated again with `biblio.validates`; *refused* = no output and at least one error problem with a "
              "message (*by schema* = refused only by the schema check after writing, not up front).", "",
             "| input | files | read OK (giving an issue) | journal articles | to | validated | refused (by schema) "
             "| crashed "
             "| invalid | validated or refused |", "|---|---|---|---|---|---|---|---|---|---|"]
    totals: collections.Counter[str] = collections.Counter()
    for name, group in sorted(by_kind.items()):
        ok = f"{sum(v.read for v in group)} ({sum(bool(v.issues) for v in group)})"
        for i, fmt in enumerate(FORMATS):
            counted = collections.Counter(c.outcome for v in group for c in v.conversions.get(fmt, []))
            schema = sum(c.by_validator for v in group for c in v.conversions.get(fmt, []))
            totals.update(counted)
            total = sum(counted.values()) or 1
            good = counted["validated"] + counted["refused"]
            head = f"| {name} | {len(group)} | {ok} | {sum(v.records for v in group)} |" if i == 0 else "| | | | |"
            lines.append(f"{head} {fmt} | {counted['validated']} | {counted['refused']} ({schema}) | "
                         f"{counted['crashed']} | {counted['invalid']} | {100 * good / total:.1f} % |")
    all_conv = sum(totals.values()) or 1
    lines += ["", f"All: {totals['validated']} validated, {totals['refused']} refused, {totals['crashed']} crashed, "
              f"{totals['invalid']} invalid of {sum(totals.values())} conversions: "
              f"**{100 * (totals['validated'] + totals['refused']) / all_conv:.1f} % validated or refused** "
              f"(target ≥ 99 %); {100 * totals['validated'] / all_conv:.1f} % validated.", ""]
    lines += ["## Works: records that are not journal articles", "",
              "Books, chapters, theses, reports, web pages … (`biblio.load_works`) are in no issue; `biblio convert` "
              "writes them as what they are to BibTeX, RIS and CSL-JSON and reports each one it leaves out of Crossref "
              "and JATS, which carry journal articles only. These are the works' share of the table above (each file "
              "converted whole): a work is *written* when the output (validated again) holds its title, *reported* "
              "when a problem at its line says it is not written, else *dropped*.", "",
              "| input | files with works | works | to | written | reported | dropped | crashed or invalid files |",
              "|---|---|---|---|---|---|---|---|"]
    for name, group in sorted(by_kind.items()):
        with_works = [v for v in group if v.works]
        if not with_works:
            continue
        for i, fmt in enumerate(FORMATS):
            done = [v.converted[fmt] for v in with_works if fmt in v.converted]
            head = f"| {name} | {len(with_works)} | {sum(v.works for v in with_works)} |" if i == 0 else "| | | |"
            lines.append(f"{head} {fmt} | {sum(c.works_written for c in done)} | {sum(c.works_refused for c in done)} "
                         f"| {sum(len(c.works_dropped) for c in done)} | {sum(c.outcome != 'ok' for c in done)} |")
    kinds = collections.Counter(k for v in verdicts for k in v.work_types)
    lines += ["", "Their types: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common()) + ".", ""]
    work_failures = [(v, fmt, c) for v in verdicts if v.works for fmt, c in v.converted.items()
                     if c.outcome != "ok" or c.works_dropped]
    lines += [f"- `{v.path.relative_to(REAL)}` → {fmt}: {c.outcome} {c.why} {', '.join(c.works_dropped[:3])}".rstrip()
              for v, fmt, c in work_failures[:40]]
    lines += [""] if work_failures else []
    lines += ["## Agreement with the oracles", "",
              "Zotero's translator test cases (`zotero/`) and Better BibTeX's import fixtures (`bbt/`) carry the items "
              "those tools expect; biblio's reading is compared field by field (letters and digits, case and accents "
              "ignored; volume and year from the issue when the article has none). The oracle's items of other "
              "types than a journal article are compared with the works read.", "",
              "| source | files | " + " | ".join(FIELDS) + " | all |", "|---|---|" + "---|" * (len(FIELDS) + 1)]
    for source in ("zotero", "bbt"):
        group = [v for v in verdicts if v.path.parent.name == source and v.agree]
        tally: collections.Counter[str] = collections.Counter()
        for v in group:
            tally.update(v.agree)
        cells = [f"{tally[f + '.ok']}/{tally[f]}" for f in FIELDS]
        fields, matched = sum(tally[f] for f in FIELDS), sum(tally[f + ".ok"] for f in FIELDS)
        share = 100 * matched / (fields or 1)
        lines.append(f"| {source} | {len(group)} | " + " | ".join(cells) + f" | {share:.1f} % |")
    lines += ["", "Disagreements (normalised values; *no matching record*: biblio read no record with that title, "
              "e.g. a record without a title, skipped with a warning):", ""]
    lines += [f"- `{v.path.relative_to(REAL)}`: " + "; ".join(v.disagree[:3]) + (
        f" … ({len(v.disagree)})" if len(v.disagree) > 3 else "") for v in verdicts if v.disagree]
    crossed = [v for v in verdicts if v.cross]
    read_crossed = [v for v in verdicts if v.cross_read]
    lines += ["", "## Records given a journal, volume or year that is not their own", "",
              "Input and output records are parsed independently of biblio (bibtexparser, a RIS tag splitter, JSON, "
              "ElementTree) and matched by title. *another record*: the value is another record's of the same file; "
              "*not in the input*: the input record has no such value (or a different one no record has).", "",
              f"- In the output: {sum(v.compared for v in verdicts)} output records matched; "
              f"**{sum(len(v.cross) for v in verdicts)}** with a value that is not their own, in {len(crossed)} files "
              "(target 0).",
              f"- As read (biblio's model before writing; most of these records are then refused, so they do not "
              f"reach an output): **{sum(len(v.cross_read) for v in verdicts)}** records in {len(read_crossed)} "
              "files.", "", "In the output:", ""]
    lines += [f"- `{v.path.relative_to(REAL)}`: " + "; ".join(v.cross[:4]) + (" …" if len(v.cross) > 4 else "")
              for v in crossed[:60]] or ["None."]
    lines += ["", "As read:", ""]
    lines += [f"- `{v.path.relative_to(REAL)}`: " + "; ".join(v.cross_read[:3])
              + (" …" if len(v.cross_read) > 3 else "") for v in read_crossed[:60]] or ["None."]
    only_works = [v for v in verdicts if v.read and not v.issues and v.works]
    empty = [v for v in verdicts if v.read and not v.issues and not v.works]
    codes = collections.Counter(code for v in empty for code in set(v.problems) or {"(no error)"})
    lines += ["", "## Files read without raising but giving no issue", "",
              f"{len(only_works)} files hold works only (no journal article: `read.works-only` for a caller that "
              "wants an issue; converted above, under Works). "
              f"{len(empty)} files give nothing to convert; their errors: "
              + ", ".join(f"`{c}` {n}" for c, n in codes.most_common()) + ".", ""]
    lines += [f"- `{v.path.relative_to(REAL)}`: {', '.join(sorted(set(v.problems))) or '(no error)'}"
              for v in empty if v.path.parent.name not in ("elife",)]
    lines.append("- (and the eLife fragments: elife-tools' test fixtures are mostly article fragments; "
                 f"{sum(v.path.parent.name == 'elife' for v in empty)} of them give no issue.)")
    failures = [(v, fmt, c) for v in verdicts for fmt, cs in v.conversions.items() for c in cs
                if c.outcome in ("crashed", "invalid")]
    lines += ["", "## Crashes and invalid output", ""]
    lines += [f"- `{v.path.relative_to(REAL)}` → {fmt}: {c.outcome}: {c.why}" for v, fmt, c in failures[:80]]
    lines += [f"- `{v.path.relative_to(REAL)}`: load raised {v.read_error}" for v in verdicts if not v.read]
    if not failures and all(v.read for v in verdicts):
        lines.append("None.")
    reasons = collections.Counter(c.why.split(":")[0] for v in verdicts for cs in v.conversions.values() for c in cs
                                  if c.outcome == "refused")
    lines += ["", "## Why conversions were refused (first error's code)", ""]
    lines += [f"- `{code}`: {n}" for code, n in reasons.most_common(25)]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-write", action="store_true", help="print the report, do not write bench/CORPUS.md")
    args = parser.parse_args(argv)
    start = time.monotonic()
    verdicts = [judge(path) for path in inputs()]
    text = report(verdicts, time.monotonic() - start)
    print(text)
    if not args.no_write:
        (BENCH / "CORPUS.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
