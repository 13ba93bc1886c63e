"""BibTeX given hostile or unusual input (issue 20): deep nesting, fields biblio has no place for, ``#`` joins,
subtitles, UTF-16 files, very long fields. A clear problem with a location, or a correct result: never a
traceback, a hang or a silent drop."""

import time
from pathlib import Path

import pytest

import biblio
from biblio.cli import main

HEAD = "@article{a,\n  author = {Doe, Jane},\n"
TAIL = "  journal = {J},\n  year = {2020}\n}\n"


def bib(tmp_path: Path, text: str, name: str = "in.bib") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def codes(problems) -> list[str]:
    return [p.code for p in problems]


# --- item 1: nesting ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("depth", [400, 2000, 100_000])
def test_braces_nested_deep_are_read_with_a_located_warning(tmp_path, depth):
    path = bib(tmp_path, HEAD + "  title = {" + "{" * depth + "Deep" + "}" * depth + "},\n" + TAIL)
    issue, problems = biblio.load(path)
    assert issue.articles[0].titles.main == "Deep"  # braces around text are only groups: the text is right
    [nested] = [p for p in problems if p.code == "bibtex.nesting"]
    assert (nested.severity, nested.line, nested.path) == ("warning", 3, "a.title")
    assert f"nested {depth} deep" in nested.message
    [error] = biblio.validate(path)  # LaTeX stops at 255 grouping levels
    assert (error.code, error.severity, error.line, error.path) == ("bibtex.braces", "error", 3, "a.title")
    assert f"nested {depth} deep" in error.message


def test_braces_nested_within_what_tex_takes_are_valid(tmp_path):
    path = bib(tmp_path, HEAD + "  title = {" + "{" * 200 + "Deep" + "}" * 200 + "},\n" + TAIL)
    assert biblio.validate(path) == []
    issue, _ = biblio.load(path)
    assert issue.articles[0].titles.main == "Deep"


@pytest.mark.parametrize("value", [
    "\\begin{quote}" * 400 + "x" + "\\end{quote}" * 400,  # environments: one brace deep, 400 groups
    "\\item[" * 400 + "x" + "]" * 400,  # optional arguments
    "\\textbf{" * 400 + "x" + "}" * 400,
])
def test_latex_nested_too_deep_is_an_error_not_a_traceback(tmp_path, value):
    path = bib(tmp_path, HEAD + "  title = {" + value + "},\n" + TAIL)
    issue, problems = biblio.load(path)
    assert [(p.severity, p.line, p.path) for p in problems if p.code == "bibtex.nesting"] in (
        [("error", 3, "a.title")], [("warning", 3, "a.title")])
    assert "x" in issue.articles[0].titles.main  # kept (as written when it cannot be read): never dropped silently


def test_accents_nested_deep_take_linear_time_and_memory(tmp_path):
    # pylatexenc doubles the text at each accent inside another: 2**400 characters (MemoryError, or a hang)
    path = bib(tmp_path, HEAD + "  title = {" + "{\\'{" * 400 + "e" + "}}" * 400 + "},\n" + TAIL)
    start = time.perf_counter()
    issue, problems = biblio.load(path)
    assert time.perf_counter() - start < 5
    assert len(issue.articles[0].titles.main) < 1000 and "bibtex.nesting" in codes(problems)
    accents = bib(tmp_path, HEAD + "  title = {\\'{\\'{\\'{\\'{\\'{\\'{\\'{\\'{\\'{\\'{e}}}}}}}}}}},\n" + TAIL, "a.bib")
    assert biblio.load(accents)[0].articles[0].titles.main == "é" + "\u0301" * 9


def test_accents_read_as_before(tmp_path):
    path = bib(tmp_path, HEAD + "  title = {{\\'e} \\\"{o} \\c{c} {\\'\\i} \\v{s} \\'{}x},\n" + TAIL)
    assert biblio.load(path)[0].articles[0].titles.main == "é ö ç í š x"


@pytest.mark.parametrize("command", ["convert", "validate"])
def test_the_cli_reports_deep_braces_without_a_traceback(tmp_path, capsys, command):
    path = bib(tmp_path, HEAD + "  title = {" + "{" * 2000 + "x" + "}" * 2000 + "},\n" + TAIL)
    args = [command, str(path)] + (["--to", "csl", "-o", str(tmp_path / "out.json")] if command == "convert" else [])
    code = main(args)
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err and "RecursionError" not in out.out + out.err
    assert ("bibtex.nesting" if command == "convert" else "bibtex.braces") in out.out + out.err
    assert code == (0 if command == "convert" else 1)


def test_unbalanced_deep_braces_are_a_syntax_error(tmp_path):
    path = bib(tmp_path, HEAD + "  title = {" + "{" * 400 + "x" + "}" * 397 + "},\n" + TAIL)
    issue, problems = biblio.load(path)
    assert ("bibtex.syntax", "error", 1) in [(p.code, p.severity, p.line) for p in problems]
    assert "bibtex.syntax" in codes(biblio.validate(path))


# --- item 2: fields biblio cannot carry ------------------------------------------------------------------------

DROPPED = ["address", "series", "edition", "isbn", "eprint", "howpublished", "titleaddon", "mycustom", "note2"]


def test_each_field_not_read_is_reported_once_with_its_entries(tmp_path):
    fields = "".join(f"  {name} = {{some {name}}},\n" for name in DROPPED)
    text = (HEAD + "  title = {One},\n" + fields + TAIL
            + "@article{b,\n  author = {Roe, R.},\n  title = {Two},\n  note2 = {Another note},\n  note3 = {},\n"
            + TAIL)
    issue, problems = biblio.load(bib(tmp_path, text))
    assert len(issue.articles) == 2
    notes = [p for p in problems if p.code == "bibtex.not-read"]
    assert [p.message.split("field ")[1].split(" ")[0] for p in notes] == DROPPED  # in the order met, once each
    assert all(p.severity == "info" and p.file and p.line for p in notes)
    [note] = [p for p in notes if "field note2 " in p.message]
    assert "(2 entries: a, b)" in note.message and note.line == 12
    [isbn] = [p for p in notes if "field isbn " in p.message]
    assert "(entry: a)" in isbn.message and isbn.line == 7


def test_many_entries_are_named_up_to_ten(tmp_path):
    text = "".join(f"@article{{k{i},\n  title = {{T{i}}},\n  mynote = {{n}},\n" + TAIL[2:] for i in range(25))
    issue, problems = biblio.load(bib(tmp_path, text))
    [note] = [p for p in problems if p.code == "bibtex.not-read"]
    assert "25 entries: k0, k1" in note.message and "k9 and 15 more" in note.message


def test_a_second_name_for_a_field_is_reported_only_when_it_differs(tmp_path):
    text = ("@article{a,\n  title = {T},\n  journal = {J},\n  journaltitle = {J},\n  number = {3},\n  issue = {4},\n"
            "  year = {2020}\n}\n")
    issue, problems = biblio.load(bib(tmp_path, text))
    [note] = [p for p in problems if p.code == "bibtex.not-read"]
    assert note.message.startswith("issue differs from number, read in its place") and note.line == 6
    assert issue.number == "3"


def test_biblios_own_files_read_back_without_notes(tmp_path):
    from conftest import EXAMPLE
    issue, _ = biblio.load(EXAMPLE)
    text, _ = biblio.dumps(issue, "bibtex")
    _, problems = biblio.loads(text, "bibtex")
    assert "bibtex.not-read" not in codes(problems)


# --- item 3: # joins ------------------------------------------------------------------------------------------

def test_string_joins_are_read_as_bibtex_joins_them(tmp_path):
    text = ('@string{ja = "Doe, Jane"}\n@STRING{jb = {Roe, Richard}}\n@string{both = ja # " and " # JB}\n'
            '@string{jn = "Journal of " # {Things}}\n'
            '@article{a,\n  author = ja # " and " # jb,\n  title = "A" # {B} # " " # 12,\n  journal = jn,\n'
            '  year = 2020,\n}\n'
            '@article{b,\n  author = both,\n  title = {Two},\n  journal = jn,\n  year = 2020,\n}\n')
    issue, problems = biblio.load(bib(tmp_path, text))
    assert [p.code for p in problems] == ["bibtex.language-guessed"]  # no language given: the only note
    first, second = issue.articles
    assert first.titles.main == "AB 12"
    for article in (first, second):
        assert [(n.family, n.given) for c in article.contributors for n in c.names.values()] == [
            ("Doe", "Jane"), ("Roe", "Richard")]
    assert issue.journal.titles.main == "Journal of Things"


def test_a_join_with_an_undefined_string_names_it(tmp_path):
    text = ('@string{ja = "Doe, Jane"}\n'
            '@article{a,\n  author = ja # " and " # nobody,\n  title = "A" # {B},\n  journal = {J},\n'
            '  year = 2020,\n}\n')
    issue, problems = biblio.load(bib(tmp_path, text))
    found = [(p.severity, p.line, p.path, p.message) for p in problems if p.code == "bibtex.string-reference"]
    assert len(found) == 1 and found[0][:3] == ("warning", 3, "a.author") and "does not define (nobody)" in found[0][3]
    assert issue.articles[0].contributors[0].names["en"].family == "Doe" and issue.articles[0].titles.main == "AB"
    _, problems = biblio.load(bib(tmp_path, text.replace('"A" # {B}', '"A" # ')))  # a join with nothing after it
    assert [(p.code, p.line) for p in problems if p.severity == "error"][:1] == [("bibtex.syntax", 4)]


# --- item 4: subtitles -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("title", "subtitle", "read"), [
    ("Media literacy", "A study", "Media literacy: A study"),
    ("Why read?", "An answer", "Why read? An answer"),
    ("Медиа", "{Әдіс} және тәсіл", "Медиа: Әдіс және тәсіл"),
])
def test_the_subtitle_is_appended_to_the_title(tmp_path, title, subtitle, read):
    path = bib(tmp_path, HEAD + f"  title = {{{title}}},\n  subtitle = {{{subtitle}}},\n" + TAIL)
    issue, problems = biblio.load(path)
    assert issue.articles[0].titles.main == read
    assert "bibtex.not-read" not in codes(problems)


def test_a_subtitle_without_a_title_is_reported(tmp_path):
    _, problems = biblio.load(bib(tmp_path, HEAD + "  subtitle = {Only this},\n" + TAIL))
    assert any(p.code == "bibtex.not-read" and "field subtitle" in p.message for p in problems)


# --- item 5: UTF-16 and UTF-32 ---------------------------------------------------------------------------------

TEXT = HEAD + "  title = {Қазақ тілі},\n" + TAIL


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_a_file_with_a_byte_order_mark_is_read_and_reported(tmp_path, encoding):
    data = TEXT.encode(encoding)
    if encoding.endswith(("-le", "-be")):  # these codecs write no mark: add it
        data = ("\ufeff" + TEXT).encode(encoding)
    path = tmp_path / "in.bib"
    path.write_bytes(data)
    issue, problems = biblio.load(path)
    assert issue.articles[0].titles.main == "Қазақ тілі"
    [note] = [p for p in problems if p.code != "bibtex.language-guessed"]
    assert (note.code, note.severity) == ("bibtex.encoding", "warning") and "save it as UTF-8" in note.message
    [error] = biblio.validate(path)  # BibTeX itself reads bytes: it cannot read it
    assert (error.code, error.severity) == ("bibtex.encoding", "error")
    assert main(["convert", str(path), "--to", "csl", "-o", str(tmp_path / "out.json")]) == 0


def test_utf16_without_a_mark_is_refused_with_a_clear_problem(tmp_path):
    path = tmp_path / "in.bib"
    path.write_bytes(TEXT.encode("utf-16-le"))
    issue, problems = biblio.load(path)
    assert [(p.code, p.severity, p.line) for p in problems if p.code == "bibtex.encoding"] == [
        ("bibtex.encoding", "error", 1)]
    assert "UTF-16 without a byte-order mark" in problems[0].message
    assert codes(biblio.validate(path)) == ["bibtex.encoding"]


def test_a_broken_utf16_file_is_refused_with_its_line(tmp_path):
    path = tmp_path / "in.bib"
    path.write_bytes(TEXT.encode("utf-16") + b"\x00\xd8\x00")  # a lone surrogate after the last line
    _, problems = biblio.load(path)
    assert [(p.code, p.severity, p.line) for p in problems] == [("bibtex.encoding", "error", 7)]


# --- long fields: linear time -----------------------------------------------------------------------------------

def _abstract(size: int) -> str:
    words = ["медиа", "сауаттылық", "қоғам", "Дәуір", "цифрлық", "--", "{Әдіс}", "зерттеу", "\\par"]
    text, total = [], 0
    while total < size:
        word = words[len(text) % len(words)]
        text.append(word)
        total += len(word) + 1
    return " ".join(text)


def test_reading_a_long_field_takes_linear_time(tmp_path):
    def seconds(size: int) -> float:
        path = bib(tmp_path, HEAD + "  title = {T},\n  abstract = {" + _abstract(size) + "},\n" + TAIL)
        best = float("inf")
        for _ in range(2):
            start = time.perf_counter()
            issue, _ = biblio.load(path)
            best = min(best, time.perf_counter() - start)
        assert len(issue.articles[0].abstracts.main) > size * 0.8
        return best
    small, large = seconds(25_000), seconds(100_000)
    assert large < 8 * small + 0.05  # 4x the text: ~4x the time (quadratic was 16x)
