"""write_many: every language of a citation format in one pass over the articles, giving
exactly what a separate ``write`` per language gives (files byte for byte, problems in order)."""

import copy
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest
from seeds import ARTICLE_TEXT, ISSUE_TEXT

import biblio
from biblio import formats
from biblio.extract import draft, pipeline
from biblio.fileio import Spool
from biblio.formats import bibtex, csl, ris, textfiles

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import generate  # bench/generate.py: the synthetic articles of the benchmark

MODULES = [csl, bibtex, ris]
IDS = ["csl", "bibtex", "ris"]


@pytest.fixture(scope="module")
def issues(tmp_path_factory, example_issue):
    """The example, the issue and the article drafted from the seed texts, a synthetic issue."""
    found = {"example": example_issue, "synthetic": generate.issue(12)}
    for name, text in (("seed-issue", ISSUE_TEXT), ("seed-article", ARTICLE_TEXT)):
        path = tmp_path_factory.mktemp(name) / "issue.yaml"
        draft.write_draft(pipeline.extract_file(text), path)
        issue, problems = biblio.load(path)
        assert issue is not None, problems
        found[name] = issue
    return found


def separately(module, issue, folder: Path, langs, dois=None):
    """What one ``write`` call per language gives: each file's bytes and the problems."""
    results = []
    for number, lang in enumerate(langs):
        target = folder / f"separate-{number}"
        written, problems = module.write(issue, target, dois=dois, lang=lang)
        results.append(([(p.name, p.read_bytes()) for p in written], problems))
    return results


def together(module, issue, folder: Path, langs, dois=None):
    results = module.write_many(issue, folder / "together", langs, dois=dois)
    assert len(results) == len(langs)
    assert not [p for p in (folder / "together").glob(".*")]  # no temporary file left
    return [([(p.name, p.read_bytes()) for p in written], problems) for written, problems in results]


def some_dois(issue):
    dois = [article.doi for article in issue.articles if article.doi]
    return [dois[-1].upper(), f"https://doi.org/{dois[0]}"]


LANG_LISTS = [[None, "kk", "ru", "en"], ["ru"], [None], ["de"], ["en", "de", None, "kk"], ["EN", None, "en"]]


@pytest.mark.parametrize("module", MODULES, ids=IDS)
@pytest.mark.parametrize("name", ["example", "synthetic", "seed-issue", "seed-article"])
@pytest.mark.parametrize("langs", LANG_LISTS, ids=["all", "one", "own", "none-has-it", "mixed", "cased"])
def test_same_files_and_problems_as_separate_writes(tmp_path, issues, module, name, langs):
    issue = issues[name]
    expected = separately(module, issue, tmp_path, langs)
    assert together(module, issue, tmp_path, langs) == expected
    assert all(files for files, _ in expected)  # every language wrote its file
    for (files, problems), lang in zip(expected, langs):  # and what the whole-text function gives
        assert (files[0][1].decode("utf-8"), problems) == module.dumps(issue, lang=lang)


@pytest.mark.parametrize("module", MODULES, ids=IDS)
@pytest.mark.parametrize("name", ["example", "synthetic", "seed-issue"])
def test_same_for_chosen_dois(tmp_path, issues, module, name):
    issue, langs = issues[name], [None, "kk", "ru", "en"]
    dois = some_dois(issue)
    expected = separately(module, issue, tmp_path, langs, dois)
    assert together(module, issue, tmp_path, langs, dois) == expected
    assert len(expected[0][0]) == 1


@pytest.mark.parametrize("module", MODULES, ids=IDS)
def test_an_unknown_doi_fails_every_language_as_separate_writes_do(tmp_path, issues, module):
    issue, langs = issues["example"], [None, "en"]
    dois = [issue.articles[0].doi, "10.9999/nowhere"]
    expected = separately(module, issue, tmp_path, langs, dois)
    assert together(module, issue, tmp_path, langs, dois) == expected
    assert all(files == [] for files, _ in expected)
    assert not list((tmp_path / "together").iterdir())


def test_one_language_refused_leaves_the_others_and_the_old_file(tmp_path, issues):
    """RIS refuses a language that is not a tag; the other languages are written all the same."""
    issue, langs = issues["example"], ["en", "not a tag", None]
    (tmp_path / "together").mkdir()
    (tmp_path / "together" / ris.FILE_NAME).write_bytes(b"old")
    expected = separately(ris, issue, tmp_path, langs)
    assert together(ris, issue, tmp_path, langs) == expected
    assert [bool(files) for files, _ in expected] == [True, False, True]
    assert [p.code for p in expected[1][1]] == ["ris.lang"]


def test_an_empty_selection_is_an_error_for_ris_only(tmp_path, issues):
    issue = copy.copy(issues["example"])
    issue.articles = []
    for module in MODULES:
        expected = separately(module, issue, tmp_path / module.__name__, [None, "en"])
        assert together(module, issue, tmp_path / module.__name__, [None, "en"]) == expected


def test_bibtex_writes_a_file_again_when_its_width_was_guessed_wrong(tmp_path, issues, monkeypatch):
    """The field names' width is guessed before the entries are made; a wrong guess costs a pass, never bytes."""
    issue, langs = issues["example"], [None, "kk", "en"]
    expected = separately(bibtex, issue, tmp_path, langs)
    passes = []
    real = bibtex._write_entries
    monkeypatch.setattr(bibtex, "_likely_width", lambda issue: 3)
    monkeypatch.setattr(bibtex, "_write_entries", lambda *args: passes.append(1) or real(*args))
    assert together(bibtex, issue, tmp_path, langs) == expected
    assert len(passes) == 1  # the second pass, for the files whose guess was wrong


class Counted(Sequence):
    """An issue's articles that count how often each is read (a spool unpickles it every time)."""

    def __init__(self, articles):
        self.articles = articles
        self.reads: Counter = Counter()

    def __len__(self):
        return len(self.articles)

    def __getitem__(self, index):
        if isinstance(index, int) and 0 <= index < len(self.articles):
            self.reads[index] += 1
        return self.articles[index]


@pytest.mark.parametrize("module", MODULES, ids=IDS)
@pytest.mark.parametrize("name", ["synthetic", "example"])
def test_each_article_is_read_once_for_all_languages(tmp_path, issues, module, name):
    issue = copy.copy(issues[name])
    counted = issue.articles = Counted(issues[name].articles)
    module.write_many(issue, tmp_path, [None, "kk", "ru", "en"])
    assert counted.reads == Counter({index: 1 for index in range(len(counted))})


@pytest.mark.parametrize("module", MODULES, ids=IDS)
def test_each_article_is_read_once_for_chosen_dois(tmp_path, issues, module):
    issue = copy.copy(issues["synthetic"])
    counted = issue.articles = Counted(issues["synthetic"].articles)
    module.write_many(issue, tmp_path, [None, "en"], dois=[issues["synthetic"].articles[3].doi])
    assert counted.reads == Counter({index: 1 for index in range(len(counted))})


def test_bibtex_reads_the_chosen_articles_again_only_for_a_wrong_width(tmp_path, issues, monkeypatch):
    issue = copy.copy(issues["synthetic"])
    counted = issue.articles = Counted(issues["synthetic"].articles)
    monkeypatch.setattr(bibtex, "_likely_width", lambda issue: 3)
    bibtex.write_many(issue, tmp_path, [None, "en"], dois=[issues["synthetic"].articles[3].doi])
    counted.reads[3] -= 1
    assert counted.reads == Counter({index: 1 for index in range(len(counted))})


@pytest.mark.parametrize("module", MODULES, ids=IDS)
def test_a_spooled_issue_gives_the_same_files(tmp_path, issues, module):
    issue = copy.copy(issues["synthetic"])
    spool = Spool()
    try:
        for article in issues["synthetic"].articles:
            spool.append(article)
        issue.articles = spool
        langs = [None, "kk", "ru", "en"]
        assert together(module, issue, tmp_path, langs) == separately(module, issues["synthetic"], tmp_path, langs)
    finally:
        spool.close()


def test_the_registry_offers_write_many_for_the_per_language_formats():
    assert {fmt.name for fmt in formats.registered() if fmt.write_many} == {"csl", "bibtex", "ris"}
    assert all(fmt.write_many for fmt in formats.registered() if fmt.per_language)


def test_an_exception_leaves_no_temporary_file(tmp_path):
    def failing(streams):
        streams[0].write("half")
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        textfiles.write_text_files([tmp_path / "a.txt", None, tmp_path / "b.txt"], failing)
    assert list(tmp_path.iterdir()) == []


def test_window_refuses_an_article_not_at_hand(issues):
    view, window = textfiles.windowed(issues["synthetic"])
    article = issues["synthetic"].articles[2]
    window.show(2, article)
    assert view.articles[2] is article and len(view.articles) == len(issues["synthetic"].articles)
    with pytest.raises(IndexError):
        view.articles[1]
    assert issues["synthetic"].articles[1] is not None  # the issue itself is untouched


def test_csl_makes_an_item_once_per_language_shown(tmp_path, issues, monkeypatch):
    """The file of each article's own language repeats the items of the language files: made once."""
    issue, made = issues["example"], []
    real = csl._item
    monkeypatch.setattr(csl, "_item", lambda *args: made.append(args[1]) or real(*args))
    csl.write_many(issue, tmp_path, [None, "kk", "ru", "en"])
    assert len(made) == 3 * len(issue.articles)


def test_bibtex_makes_an_entry_once_per_language_shown(tmp_path, issues, monkeypatch):
    issue, made = issues["example"], []
    real = bibtex._Writer.entry
    monkeypatch.setattr(bibtex._Writer, "entry", lambda self, index: made.append(index) or real(self, index))
    bibtex.write_many(issue, tmp_path, [None, "kk", "ru", "en"])
    assert len(made) == 3 * len(issue.articles)


@pytest.mark.parametrize("module", MODULES, ids=IDS)
def test_issue_level_warnings_come_where_separate_writes_give_them(tmp_path, issues, module):
    """Warnings a writer gives once per language (a journal title with a control character, one
    missing in a language) come at the same place when one language's file takes another's entries."""
    issue = copy.deepcopy(issues["example"])
    issue.journal.titles.texts = {lang: text + "\x01" for lang, text in issue.journal.titles.texts.items()
                                  if lang != "ru"}
    issue.journal.abbreviation = None
    issue.articles[2].titles.texts = {lang: text + "\x02" for lang, text in issue.articles[2].titles.texts.items()}
    langs = [None, "ru", "kk", "en", "de"]
    expected = separately(module, issue, tmp_path, langs)
    assert together(module, issue, tmp_path, langs) == expected
    assert any(p.code == "lang.fallback" and p.path == "journal.titles" for p in expected[0][1])


def test_ris_makes_a_record_once_per_language_shown(tmp_path, issues, monkeypatch):
    issue, made = issues["example"], []
    real = ris._Writer.record
    monkeypatch.setattr(ris._Writer, "record", lambda self, index: made.append(index) or real(self, index))
    ris.write_many(issue, tmp_path, [None, "kk", "ru", "en"])
    assert len(made) == 3 * len(issue.articles)


def test_ris_keeps_no_more_than_a_record_of_what_it_did(tmp_path, issues, monkeypatch):
    """The file that takes records replays what making them did; it must not keep it all (memory stays flat)."""
    writers = []
    original_init = ris._Writer.__init__

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        writers.append(self)

    monkeypatch.setattr(ris._Writer, "__init__", init)
    issue = copy.deepcopy(issues["synthetic"])
    for article in issue.articles:  # the kk file takes every record from the file of the own languages
        article.language = "kk"
    ris.write_many(issue, tmp_path, [None, "kk"])
    assert len(writers) == 2
    assert max(len(writer.events) for writer in writers) <= 12
