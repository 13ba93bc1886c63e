"""Readers that iterate: ``iter_read`` gives the articles one at a time, and once exhausted its
issue and problems are exactly what ``read`` returns; it reads lazily, and a big file is read
in flat memory."""

import functools
import sys
import tracemalloc
from pathlib import Path

import pytest

from biblio import formats
from biblio.formats import csl, ris

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import generate  # bench/generate.py: the synthetic articles of the benchmark

DATA = Path(__file__).parent / "data"
MODULES = {"ris": ris, "csl": csl}
SUFFIX = {"ris": ".ris", "csl": ".json"}


def collected(module, path):
    """What the iteration gives, assembled as ``read`` assembles it; checks ``issue`` on the way."""
    reading = module.iter_read(path)
    assert reading.issue is None
    articles = []
    for article in reading:
        assert reading.issue is not None and reading.issue.articles == []  # the issue without its articles
        articles.append(article)
    if reading.issue is not None:
        reading.issue.articles = articles
    return reading.issue, reading.problems


@pytest.fixture(scope="module")
def written(tmp_path_factory, example_issue):
    """Per format, files its writer made: the example in every language and a synthetic issue."""
    folder = tmp_path_factory.mktemp("written")
    found: dict[str, list[Path]] = {}
    for name, module in MODULES.items():
        for label, issue in (("example", example_issue), ("synthetic", generate.issue(9))):
            langs = sorted({a.language for a in issue.articles} | {"kk", "ru", "en"})
            for lang in [*langs, None]:
                paths, _ = module.write(issue, folder / f"{name}-{label}-{lang}", lang=lang)
                found.setdefault(name, []).extend(paths)
    return found


BROKEN_RIS = {
    "no-er": "TY  - JOUR\r\nTI  - One\r\nT2  - J\r\nPY  - 2020\r\nTY  - JOUR\r\nTI  - Two\r\nER  - \r\n",
    "not-utf8": b"TY  - JOUR\r\nTI  - Caf\xe9\r\nT2  - J\r\nPY  - 2020\r\nER  - \r\nTY  - JOUR\r\nTI  - \xff\r\nER  - \r\n",
    "cut-character": b"TY  - JOUR\nTI  - \xd0\xb0\xd0\nER  - \n",
    "bom-cr": "\ufeffTY  - JOUR\rTI  - One\rT2  - J\rPY  - 2020\rLA  - en\rER  - \r",
    "outside": "junk\r\nTY  - JOUR\r\nTI  - One\r\nXX  - what\r\nER  - \r\nmore junk\r\nER  - \r\nTI  - Two\r\n",
    "loose-tags": "TY - JOUR\nTI - One\nAU  - Doe, J.\nN1  - a note\n  continued\nPY - 2021///\nER -\n",
    "book-only": "TY  - BOOK\r\nTI  - A book\r\nER  - \r\n",
    "empty": "",
    "several-journals": "TY  - JOUR\nTI  - One\nT2  - Journal A\nSN  - 0000-0000\nVL  - 1\nER  - \n"
                        "TY  - JOUR\nTI  - Two\nT2  - Journal B\nSN  - 1234-5678\nVL  - 2\nPB  - P\nER  - \n",
}


ITEM = ('{"type": "article-journal", "title": "T%d", "container-title": "J", "issued": {"date-parts": [[2020, 1]]}, '
        '"language": "en", "volume": 1.10}')
ITEMS = ",\n".join(ITEM % n for n in range(5))
BROKEN_CSL = {  # the streamed reading, and each way of handing over to the whole-file reading
    "crlf-bom": "\ufeff[\r\n" + ITEMS.replace("\n", "\r\n") + "\r\n]\r\n",
    "cr-tabs": "[\r\t" + ITEMS.replace("\n", "\r\t") + "]",
    "not-objects": "[1, \"x\", null, [1, 2], " + ITEM % 1 + ", 2.50, true, NaN]",
    "odd-items": '[{"type": "book"}, {"title": ""}, {"title": "x", "author": "me", "editor": [1, {"family": "A"}, {}], '
                 '"issued": {"date-parts": [["x"]]}, "DOI": "nope", "page": "3-4"}, '
                 '{"title": "y", "container-title": "K", "language": "en"}]',
    "no-year": '[{"title": 12.50, "issue": 2, "container-title": ["A", "B"]}]',
    "empty-array": "[]",
    "one-item": ITEM % 0,
    "trailing-comma": "[" + ITEMS + ",]",
    "repeated-key": "[" + ITEM % 0 + ', {"title": "a", "title": "b"}]',
    "garbage-after": "[" + ITEMS + "] x",
    "missing-comma": "[" + ITEM % 0 + " " + ITEM % 1 + "]",
    "cut-short": "[" + ITEMS,
    "yaml-comment": "# c\n[" + ITEMS + "]",
    "too-deep": "[" + "[" * 5000 + "]" * 5000 + "]",
    "not-utf8": ("[" + ITEMS + "]").encode()[:-30] + b"\xff" + ("[" + ITEMS + "]").encode()[-30:],
    "empty": "",
    "null": "null",
}


def broken_files(name, folder: Path) -> list[Path]:
    cases = {"ris": BROKEN_RIS, "csl": BROKEN_CSL}[name]
    paths = []
    for label, content in cases.items():
        path = folder / f"{label}{SUFFIX[name]}"
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        paths.append(path)
    return paths


def test_registered():
    assert formats.get("ris").iter_read is ris.iter_read
    assert formats.get("csl").iter_read is csl.iter_read


@pytest.mark.parametrize("name", list(MODULES))
def test_equal_to_read(name, written, tmp_path):
    module = MODULES[name]
    paths = [*sorted((DATA / name).glob(f"*{SUFFIX[name]}")), *written[name], *broken_files(name, tmp_path),
             tmp_path / f"missing{SUFFIX[name]}"]
    assert len(paths) > 20
    for path in paths:
        assert collected(module, path) == module.read(path), path


def test_ris_chunks_do_not_matter(written, tmp_path, monkeypatch):
    """Chunks of a few bytes cut characters, CRLFs and lines: the reading is the same."""
    paths = [*sorted((DATA / "ris").glob("*.ris")), *written["ris"][:6], *broken_files("ris", tmp_path)]
    whole = [ris.read(path) for path in paths]
    chunks = ris._text_chunks
    for size in (1, 2, 5):
        monkeypatch.setattr(ris, "_text_chunks", functools.partial(chunks, size=size))
        assert [collected(ris, path) for path in paths] == whole


def test_ris_reads_lazily(tmp_path):
    """The first article comes before the end of the file is read: a broken record near the
    end is not reported yet; problems are sorted, as ``read`` has them, only at the end."""
    good = "TY  - JOUR\r\nTI  - Title {n}\r\nT2  - J\r\nPY  - 2020\r\nLA  - en\r\nER  - \r\n"
    records = [good.format(n=n) for n in range(20000)]
    path = tmp_path / "late.ris"
    path.write_text("".join(records) + "TY  - JOUR\r\nTI  - Last\r\nLA  - en\r\n", encoding="utf-8", newline="")
    reading = ris.iter_read(path)
    first = next(iter(reading))
    assert first.titles.texts == {"en": "Title 0"}
    assert not any(p.code == "ris.record-end" for p in reading.problems)
    rest = list(reading)
    assert len(rest) == 20000  # the last record, without its ER, is read too
    assert [p.code for p in reading.problems] == ["ris.record-end"]
    assert reading.problems == ris.read(path)[1]


def test_csl_chunks_do_not_matter(written, tmp_path, monkeypatch):
    """Chunks of a few characters cut items, numbers and line ends: the reading is the same."""
    paths = [*written["csl"][:6], *broken_files("csl", tmp_path)]
    whole = [csl.read(path) for path in paths]
    for size in (1, 2, 5):
        monkeypatch.setattr(csl, "_CHUNK", size)
        assert [collected(csl, path) for path in paths] == whole


def test_csl_reads_lazily(tmp_path):
    """The first article comes before the end of the file is decoded: an unusable item near the
    end is not reported yet. A file that turns out not to be JSON ends as ``read`` says."""
    items = [ITEM % n for n in range(5000)]
    path = tmp_path / "late.json"
    path.write_text("[" + ",\n".join([*items, '{"type": "book"}']) + "]", encoding="utf-8")
    reading = csl.iter_read(path)
    assert next(iter(reading)).titles.texts == {"en": "T0"}
    assert reading.problems == []
    assert len(list(reading)) == 4999
    assert [(p.code, p.line, p.column, p.path) for p in reading.problems] == [("csl.unusable", 5001, 1, "[5000]")]
    assert reading.problems == csl.read(path)[1]
    path.write_text("[" + ",\n".join([*items, '{"title": "a" "b"}']) + "]", encoding="utf-8")
    reading = csl.iter_read(path)
    assert next(iter(reading)).titles.texts == {"en": "T0"}
    assert reading.issue is not None
    assert len(list(reading)) == 4999
    assert reading.issue is None and [p.code for p in reading.problems] == ["csl.syntax"]
    assert (reading.issue, reading.problems) == csl.read(path)


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """3,000 synthetic articles (trilingual abstracts, 20 references each), per format."""
    issue = generate.issue(3000)
    folder = tmp_path_factory.mktemp("big")
    return {name: module.write(issue, folder, lang="en")[0][0] for name, module in MODULES.items()}


def peak(action) -> int:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("name", list(MODULES))
def test_memory_stays_flat(name, big):
    module = MODULES[name]
    path = big[name]
    count = 0

    def iterate():
        nonlocal count
        for _ in module.iter_read(path):
            count += 1

    iterating = peak(iterate)
    whole = peak(lambda: module.read(path))
    assert count == 3000
    assert iterating * 10 < whole, (iterating, whole)
    assert iterating < path.stat().st_size / 4, (iterating, path.stat().st_size)
