"""Problems grouped for a person (biblio.summary): one line per kind, with the articles and files it concerns."""

from biblio.problems import Problem
from biblio.summary import counted, group, lines, tally


def at(code, severity, message, index=None, **where):
    path = f"articles[{index}]" if index is not None else where.pop("path", None)
    return Problem(code, severity, message, path=path, **where)


def test_one_finding_at_many_places_is_one_line_with_its_articles():
    found = [at("references.missing", "warning", f"the text cites {n} numbered sources but no list", index=i,
                file="issue.yaml", line=10 * i) for i, n in enumerate([18, 25, 38, 21])]
    [line] = lines(found)
    assert line == ("issue.yaml articles 1-4: warning [references.missing] the text cites … numbered sources but "
                    "no list (×4)")


def test_a_word_that_varies_shows_its_values_up_to_three():
    found = [at("lang.fallback", "warning", "no en title: using the kk title", index=1),
             at("lang.fallback", "warning", "no ru title: using the kk title", index=4)]
    assert lines(found) == ["articles 2, 5: warning [lang.fallback] no en/ru title: using the kk title (×2)"]
    quoted = [at("t.x", "warning", f"the article is in '{lang}' but has none", index=i) for i, lang in
              enumerate(["kk", "en"])]
    assert "in 'kk/en' but" in lines(quoted)[0]


def test_messages_of_another_shape_stay_apart():
    found = [at("lang.fallback", "warning", "no en title: using the kk title", index=0),
             at("lang.fallback", "warning", "no en abstract: using the kk abstract", index=1),
             at("lang.fallback", "warning", "no ru keywords: using the kk keywords", index=1),
             at("lang.fallback", "warning", "authors with no en spelling of their name", index=2),
             at("lang.fallback", "warning", "authors with no ru spelling of their name", index=3)]
    printed = lines(found)
    assert [len(g.problems) for g in group(found)] == [2, 1, 2]  # at most two words (not numbers) vary
    assert printed[0] == "articles 1-2: warning [lang.fallback] no en title/abstract: using the kk title/abstract (×2)"
    assert printed[2] == "articles 3-4: warning [lang.fallback] authors with no en/ru spelling of their name (×2)"


def test_article_lists_in_messages_are_taken_out_and_joined():
    found = [at("csl.not-carried", "info", "CSL-JSON cannot carry titles in other languages (articles 1-3)",
                path="articles"),
             at("csl.not-carried", "info", "CSL-JSON cannot carry titles in other languages (article 5)",
                path="articles"),
             at("crossref.date-from-issue", "info", "no date of their own in articles 2, 4; the issue's is used",
                path="articles"),
             at("crossref.date-from-issue", "info", "no date of their own in article 7; the issue's is used",
                path="articles")]
    assert lines(found) == [
        "articles 1-3, 5: info [csl.not-carried] CSL-JSON cannot carry titles in other languages (×2)",
        "articles 2, 4, 7: info [crossref.date-from-issue] no date of their own; the issue's is used (×2)"]


def test_the_same_note_for_each_language_file_is_one_line_naming_the_files():
    """`CSL-JSON cannot carry titles in other languages` ×4, once per file, each with its own articles."""
    files = ["articles.csl.json", "articles.kk.csl.json", "articles.ru.csl.json", "articles.en.csl.json"]
    spans = ["1-5, 7-9", "1, 3-5, 7-9", "1-5, 7-8", "1-5, 7-9"]
    found = [at("csl.not-carried", "info", f"CSL-JSON cannot carry titles in other languages (articles {span})",
                path="articles", file="issue.yaml", line=45, outputs=(name,)) for name, span in zip(files, spans)]
    [line] = lines(found, source="issue.yaml")
    assert line == ("articles 1-5, 7-9: info [csl.not-carried] CSL-JSON cannot carry titles in other languages "
                    "(×4 in articles.csl.json, articles.en/kk/ru.csl.json)")
    many = [at("lang.fallback", "warning", "no kk title", index=0, outputs=(f"a.{n}.bib", f"a.{n}.ris", f"a.{n}.json"))
            for n in ("kk", "ru")]
    assert lines(many)[0].endswith("(×2 in 6 .bib, .json, .ris files)")


def test_notes_of_one_code_share_a_line_and_their_common_beginning():
    found = [at("ris.not-carried", "info", "RIS cannot carry funding (articles 1-2)", path="articles"),
             at("ris.not-carried", "info", "RIS cannot carry in-text citation numbers (article 3)", path="articles"),
             at("ris.not-carried", "info", "RIS cannot carry the language (LA names the record's) (articles 1-3)",
                path="articles")]
    assert lines(found) == ["articles 1-3: info [ris.not-carried] RIS cannot carry funding; in-text citation "
                            "numbers; the language (×3)"]
    warnings = [replace_severity(p, "warning") for p in found]
    assert len(lines(warnings)) == 3  # warnings ask for a fix each: a line per pattern


def replace_severity(problem, severity):
    from dataclasses import replace
    return replace(problem, severity=severity)


def test_errors_then_warnings_then_notes_and_a_single_problem_as_it_is():
    note = at("doi.assigned", "info", "no DOI given", index=0, file="m.yaml", line=3)
    warning = at("keywords.unrelated", "warning", "they belong elsewhere", index=1, file="m.yaml", line=9)
    error = at("ids.doi", "error", "not a DOI", index=2, file="m.yaml", line=20, column=5)
    assert lines([note, warning, error]) == [str(error), str(warning), str(note)]
    assert str(error) == "m.yaml:20:5 articles[2]: error [ids.doi] not a DOI"


def test_quiet_keeps_the_errors_and_verbose_every_problem_at_its_place():
    found = [at("a.b", "warning", "w", index=i, file="m.yaml", line=i + 1) for i in range(3)]
    found += [at("c.d", "error", "e", index=i, file="m.yaml", line=i + 10) for i in range(2)]
    found.append(at("e.f", "info", "n", index=0, file="m.yaml", line=1, outputs=("x.kk.bib",)))
    assert lines(found, level="quiet") == ["m.yaml articles 1-2: error [c.d] e (×2)"]
    verbose = lines(found, level="verbose")
    assert len(verbose) == len(found) and verbose[0].startswith("m.yaml:1 articles[0]: ")
    assert "m.yaml:1 articles[0]: info [e.f] n (in x.kk.bib)" in verbose
    assert len(lines(found)) == 3


def test_the_file_the_verdict_names_is_left_out_of_a_line_for_several():
    found = [at("a.b", "warning", "w", index=i, file="m.yaml", line=i + 1) for i in range(2)]
    assert lines(found, source="m.yaml") == ["articles 1-2: warning [a.b] w (×2)"]
    files = [at("jats.schema", "error", "bad", file=f"out/{n}.xml", line=3) for n in range(5)]
    assert lines(files)[0].startswith("out/0.xml, out/1.xml, out/2.xml and 2 more files: error [jats.schema]")


def test_check_and_build_count_the_manifests_problems_alike():
    manifest = [at("references.missing", "warning", "w", index=0), at("doi.assigned", "info", "n", index=1)]
    writing = [at("lang.fallback", "warning", "no kk title", index=0), at("csl.not-carried", "info", "x"),
               at("crossref.funding-empty", "warning", "y", index=2)]
    writers = {"crossref", "csl"}
    checked = counted(manifest, writers, built=False)
    built = counted(manifest + writing, writers, built=True)
    assert checked == "0 errors, 1 warning, 1 note, all in the manifest (a build adds what each format cannot carry)"
    assert built == ("0 errors, 3 warnings, 2 notes: 1 warning, 1 note in the manifest (what `biblio check` "
                     "counts), 2 warnings, 1 note from writing the formats")
    assert tally([]) == "0 errors, 0 warnings, 0 notes"


def test_a_long_list_of_articles_is_counted_and_begun():
    found = [at("a.b", "warning", f"w {i}", index=i) for i in range(0, 300, 2)]
    assert lines(found) == ["150 articles (1, 3, 5, 7, 9, 11, …): warning [a.b] w … (×150)"]


def test_many_problems_group_fast_enough():
    import time
    found = [at(f"c.{k % 15}", ("error", "warning", "info")[k % 3], f"kind {k} about {n} in field x{k}", index=n)
             for n in range(1000) for k in range(20)]
    started = time.perf_counter()
    printed = lines(found)
    assert len(printed) == 15 and time.perf_counter() - started < 5


def test_check_says_which_problems_come_from_the_formats_own_checks():
    found = [at("references.missing", "warning", "w", index=0), at("crossref.depositor-missing", "error", "e")]
    assert counted(found, {"crossref"}, built=False) == (
        "1 error, 1 warning, 0 notes: 1 warning in the manifest, 1 error from the formats' own checks (a build adds "
        "what each format cannot carry)")
