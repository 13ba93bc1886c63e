"""The command line: exit codes, human and JSON reports, and build's file handling."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from biblio import api, cli, formats
from biblio.problems import Problem


def run(capsys, *argv):
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_check_example_has_no_errors(capsys, example_path):
    code, out, err = run(capsys, "check", str(example_path))
    assert code == 0
    assert "10 articles; 0 errors" in out
    assert "keywords.unrelated" in err and "issue.yaml:" in err and "keywords.unrelated" not in out


def test_check_json_report(capsys, example_path):
    code, out, _ = run(capsys, "check", str(example_path), "--json")
    report = json.loads(out)
    assert code == 0 and report["ok"] and report["articles"] == 10
    assert report["counts"]["error"] == 0 and report["counts"]["warning"] > 0
    first = report["problems"][0]
    assert {"code", "severity", "message", "file", "line", "path"} <= set(first)


def test_check_errors_exit_1(capsys, tmp_path, minimal_text):
    bad = tmp_path / "bad.yaml"
    bad.write_text(minimal_text.replace("year: 2025", "year: soon"), encoding="utf-8")
    code, _, err = run(capsys, "check", str(bad))
    assert code == 1 and f"{bad}:7:9 issue.year: error [manifest.type]" in err


def test_usage_errors_exit_2(capsys, tmp_path):
    code, _, err = run(capsys, "check", str(tmp_path / "missing.yaml"))
    assert code == 2 and "no such file" in err
    code, out, _ = run(capsys, "check", str(tmp_path / "missing.yaml"), "--json")
    assert code == 2 and "usage_error" in json.loads(out)
    with pytest.raises(SystemExit) as stop:
        cli.main(["check"])
    assert stop.value.code == 2
    with pytest.raises(SystemExit) as stop:
        cli.main(["frobnicate"])
    assert stop.value.code == 2


def test_build_writes_every_registered_format_validated(capsys, tmp_path, example_path):
    out_dir = tmp_path / "out"
    code, out, _ = run(capsys, "build", str(example_path), "-o", str(out_dir), "--json")
    report = json.loads(out)
    assert code == 0 and report["ok"] and report["articles"] == 10
    assert report["formats"] == [f.name for f in formats.registered()]
    assert all(f["valid"] for f in report["files"]) and report["files"]
    assert sorted(p.name for p in out_dir.iterdir()) == sorted([Path(f["path"]).name for f in report["files"]]
                                                                + [".biblio-files", "report.html"])
    assert report["review"] == str(out_dir / "report.html")


def test_build_with_no_formats_only_checks(capsys, tmp_path, example_path, monkeypatch):
    monkeypatch.setattr(formats, "registered", list)
    out_dir = tmp_path / "out"
    code, out, _ = run(capsys, "build", str(example_path), "-o", str(out_dir))
    assert code == 0 and "no output formats are registered" in out
    assert not out_dir.exists()


def test_build_refuses_a_manifest_with_errors(capsys, tmp_path, minimal_text):
    bad = tmp_path / "bad.yaml"
    bad.write_text(minimal_text.replace("language: kk", "language: kazakh"), encoding="utf-8")
    code, out, _ = run(capsys, "build", str(bad), "-o", str(tmp_path / "out"), "--json")
    report = json.loads(out)
    assert code == 1 and not report["ok"] and report["files"] == []
    assert not (tmp_path / "out").exists()


@pytest.fixture
def toy_format():
    """A registered format that writes one bad file, to test what build prints."""
    class Toy:
        def __init__(self, issue, output, lang=None):
            self.output = output

        def add(self, index, article):
            pass

        def close(self):
            with self.output.open("broken.txt") as stream:
                stream.write(b"BROKEN")
            return []

    def validate(path: Path):
        return [Problem("toy.schema", "error", "not valid", file=str(path), line=1)]

    formats.register(formats.Format("toy", "a test format", Toy, validate, lambda path: False))
    yield
    formats.unregister("toy")


def test_build_cli_summary(capsys, tmp_path, example_path, toy_format):
    code, out, _ = run(capsys, "build", str(example_path), "-o", str(tmp_path / "out"))
    assert code == 1
    assert "INVALID, not written" in out and f"in {len(formats.registered())} formats" in out


def test_a_format_that_writes_nothing_still_gets_its_line(capsys, tmp_path, example_path):
    class Refusing:
        def __init__(self, issue, output, lang=None):
            pass

        def add(self, index, article):
            pass

        def close(self):
            return [Problem("mute.refused", "error", "refuses every issue")]

    formats.register(formats.Format("mute", "writes nothing", Refusing, lambda path: [], lambda path: False))
    try:
        code, out, err = run(capsys, "build", str(example_path), "-o", str(tmp_path / "out"))
    finally:
        formats.unregister("mute")
    assert code == 1
    assert [line for line in out.splitlines() if line.startswith("mute ")] == [
        "mute       nothing written (its errors are listed below)"]
    assert "[mute.refused] refuses every issue" in err


def test_formats_and_manifest_schema(capsys):
    code, out, _ = run(capsys, "formats", "--json")
    assert code == 0 and "crossref" in [f["name"] for f in json.loads(out)["formats"]]
    code, out, _ = run(capsys, "manifest-schema")
    assert json.loads(out)["title"] == "biblio issue manifest"
    code, out, _ = run(capsys, "manifest-schema", "--path")
    assert Path(out.strip()).is_file()


@pytest.mark.parametrize("command", ["check", "build", "export", "validate", "schemas", "manifest-schema",
                                     "formats"])
def test_every_command_has_help_and_json(capsys, command):
    with pytest.raises(SystemExit) as stop:
        cli.main([command, "--help"])
    out = capsys.readouterr().out
    assert stop.value.code == 0 and "--json" in out and len(out) > 150


def test_console_script_is_installed():
    biblio = shutil.which("biblio", path=str(Path(sys.executable).parent))
    assert biblio, "the `biblio` console script should be installed beside python"
    result = subprocess.run([biblio, "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and "Exit codes" in result.stdout


def test_dump_writes_yaml_or_json(tmp_path, example_path):
    issue, _ = api.load(example_path)
    api.dump(issue, tmp_path / "copy.yaml")
    api.dump(issue, tmp_path / "copy.json")
    assert api.load(tmp_path / "copy.yaml")[0] == issue
    assert api.load(tmp_path / "copy.json")[0] == issue
    assert json.loads((tmp_path / "copy.json").read_text(encoding="utf-8"))["biblio"] == 1


def test_written_files_get_the_usual_permissions(tmp_path):
    import os
    old = os.umask(0o022)
    try:
        import importlib

        from biblio import fileio
        importlib.reload(fileio)
        fileio.write_atomic(tmp_path / "x.txt", "x")
    finally:
        os.umask(old)
        importlib.reload(fileio)
    assert (tmp_path / "x.txt").stat().st_mode & 0o777 == 0o644


def test_readme_example_output_is_what_check_prints(capsys, example_path):
    import re
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    line, rest = re.search(r"examples/issue-86/issue\.yaml(:\d+:\d+) (\S+: \w+ \[[\w.-]+\])", readme).groups()
    cli.main(["check", str(example_path)])
    assert f"issue.yaml{line} {rest}" in capsys.readouterr().err


def test_cite_and_styles_commands(capsys, example_path):
    assert cli.main(["styles", "--json"]) == 0
    names = [s["name"] for s in json.loads(capsys.readouterr().out)["styles"]]
    assert {"how-to-cite", "apa", "gost-r-7-0-5-2008", "vancouver", "ieee"} <= set(names)
    code = cli.main(["cite", str(example_path), "--lang", "en", "--doi", "10.52536/2788-5860.2025.86.2.001"])
    out = capsys.readouterr().out
    assert code == 0 and out.startswith("Nassimov M. GENESIS AND FEATURES")
    assert cli.main(["cite", str(example_path), "--toc", "--format", "md", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["entries"][0].startswith("#") and "№ 2 (86)" in report["entries"][0]
    assert cli.main(["cite", str(example_path), "--style", "no-such-style"]) == 1


def test_ctrl_c_ends_with_a_line_and_status_130_not_a_traceback(monkeypatch, capsys, example_path, tmp_path):
    from biblio import api as api_module

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(api_module, "build", interrupted)
    monkeypatch.setattr(cli.api, "build", interrupted, raising=False)
    assert cli.main(["build", str(example_path), "-o", str(tmp_path / "out")]) == 130
    err = capsys.readouterr().err
    assert "interrupted" in err and "Traceback" not in err


# --- the output: verdict first, problems grouped on stderr, -q, -v (issue 19) ------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The example built once (files, JSON report) for the tests that read its output."""
    from biblio import cli as command
    out = tmp_path_factory.mktemp("built") / "out"
    example = Path(__file__).resolve().parent.parent / "examples" / "issue-86" / "issue.yaml"
    assert command.main(["build", str(example), "-o", str(out), "-j", "1"]) in (0, 1)
    return out


def test_build_prints_the_verdict_first_then_one_line_per_kind(capsys, tmp_path, example_path):
    code, out, err = run(capsys, "build", str(example_path), "-o", str(tmp_path / "x"))
    report = json.loads(run(capsys, "build", str(example_path), "-o", str(tmp_path / "x"), "--json")[1])
    assert code == 0 and len(out.splitlines()) + len(err.splitlines()) <= 40  # fits a screen
    first, counted = out.splitlines()[:2]
    assert first == f"{example_path}: 10 articles, 23 files written and valid in 5 formats -> {tmp_path / 'x'}"
    tally = report["counts"]
    assert counted.startswith(f"0 errors, {tally['warning']} warnings, {tally['info']} notes: ")
    assert "[" not in out  # no problem on standard output
    problems = err.splitlines()
    assert problems[-1].startswith(f"({len(report['problems'])} problems in {len(problems) - 1} lines")
    severities = [re.search(r"(error|warning|info) \[", line).group(1) for line in problems[:-1]]
    assert severities == sorted(severities, key=["error", "warning", "info"].index)  # errors, warnings, notes
    assert sum("[references.missing]" in line for line in problems) == 1
    assert sum("CSL-JSON cannot carry titles in other languages" in line for line in problems) <= 1
    assert sum("csl.not-carried" in line for line in problems) == 1


def test_quiet_prints_the_verdict_and_errors_only(capsys, tmp_path, example_path, minimal_text):
    code, out, err = run(capsys, "build", str(example_path), "-o", str(tmp_path / "x"), "-q")
    assert code == 0 and len(out.splitlines()) == 2 and err == ""
    bad = tmp_path / "bad.yaml"
    bad.write_text(minimal_text.replace("year: 2025", "year: soon") + "\nextra_key: 1\n", encoding="utf-8")
    code, out, err = run(capsys, "check", str(bad), "-q")
    assert code == 1 and "2 errors" in out
    assert err.splitlines() and all("error [" in line for line in err.splitlines())


def test_verbose_prints_every_problem_at_its_place_as_json_has_them(capsys, tmp_path, example_path):
    code, out, err = run(capsys, "build", str(example_path), "-o", str(tmp_path / "x"), "-v")
    every = json.loads(run(capsys, "build", str(example_path), "-o", str(tmp_path / "x"), "--json")[1])["problems"]
    assert code == 0 and len(err.splitlines()) == len(every)
    assert sum(" (valid)" in line for line in out.splitlines()) == 23  # every file on its line
    assert "no DOI given; assigned 10.52536/2788-5860.2025.86.2.002" in err


def test_check_and_build_count_the_manifest_alike(capsys, tmp_path, example_path):
    import re
    checked = run(capsys, "check", str(example_path))[1]
    built_out = run(capsys, "build", str(example_path), "-o", str(tmp_path / "x"))[1]
    in_check = re.search(r"(\d+ errors, \d+ warnings, \d+ notes), all in the manifest", checked).group(1)
    in_build = re.search(r": ([^:]*) in the manifest \(what `biblio check` counts\)", built_out).group(1)
    assert in_build == in_check.removeprefix("0 errors, ")


@pytest.mark.parametrize("command", ["check", "build", "export", "convert", "validate", "cite", "extract",
                                     "schemas"])
def test_problems_go_to_stderr_and_results_to_stdout(capsys, tmp_path, example_path, built, command):
    broken = tmp_path / "broken.ris"
    broken.write_text("TY  - JOUR\nTI  - no end\n", encoding="utf-8")
    text = tmp_path / "issue.txt"
    text.write_text("Аңдатпа. Бір мақала.\nКілт сөздер: бір, екі\n", encoding="utf-8")
    argv = {"check": [str(example_path)], "build": [str(example_path), "-o", str(tmp_path / "o")],
            "export": [str(example_path), "--to", "ris", "-o", str(tmp_path / "x.ris")],
            "convert": [str(built / "articles.bib"), "--to", "ris", "-o", str(tmp_path / "y.ris")],
            "validate": [str(broken)], "cite": [str(example_path), "--lang", "kk"],
            "extract": [str(text), "-o", str(tmp_path / "draft.yaml")],
            "schemas": ["status", "--dir", str(tmp_path / "none")]}[command]
    code, out, err = run(capsys, command, *argv)
    assert code in (0, 1) and err.strip(), f"{command}: no problem reported"
    assert not any(f"{s} [" in line for line in out.splitlines() for s in ("error", "warning", "info"))
    assert all(re.search(r"(error|warning|info) \[[\w.-]+\]", line) for line in err.splitlines()
               if not line.startswith("(") and not line.startswith(str(text)))
    assert out.strip()


def test_export_jats_to_a_file_name_is_refused_with_a_usage_message(capsys, tmp_path, example_path):
    target = tmp_path / "x.xml"
    code, out, err = run(capsys, "export", str(example_path), "--to", "jats", "-o", str(target))
    assert code == 2 and not target.exists() and out == ""
    assert "jats writes one file per article into a folder" in err and f"-o {tmp_path / 'x'}" in err
    code, _, err = run(capsys, "export", str(example_path), "--to", "crossref", "-o", str(tmp_path))
    assert code == 2 and "is a folder" in err


def test_export_by_doi_counts_the_articles_written(capsys, tmp_path, example_path):
    argv = ["export", str(example_path), "--to", "crossref", "--doi", "10.52536/2788-5860.2025.86.2.001",
            "-o", str(tmp_path / "d.xml")]
    code, out, _ = run(capsys, *argv)
    assert code == 0 and out.startswith(f"{example_path}: 1 article chosen by DOI -> ")
    assert json.loads(run(capsys, *argv, "--json")[1])["articles"] == 1
    assert api.export(example_path, "crossref", tmp_path / "all.xml").articles == 10


def test_validate_a_folder_validates_each_file_biblio_knows(capsys, tmp_path, built):
    code, out, err = run(capsys, "validate", str(built))
    assert code == 0 and out.startswith("23 files validated: 23 valid, 0 INVALID") and err == ""
    assert f"{built}: 23 files valid" in out
    folder = tmp_path / "some"
    folder.mkdir()
    shutil.copy(built / "crossref.xml", folder)
    (folder / "broken.ris").write_text("TY  - JOUR\nTI  - no end\n", encoding="utf-8")
    (folder / "notes.txt").write_text("not a bibliographic file", encoding="utf-8")
    code, out, err = run(capsys, "validate", str(folder))
    assert code == 1 and f"{folder / 'broken.ris'}: INVALID" in out and "2 files validated" in out
    assert f"{folder}: 1 file valid of 2" in out and "broken.ris" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run(capsys, "validate", str(empty))
    assert code == 1 and "a folder with no file in a format biblio validates" in err and "no such file" not in err
    assert [p.code for p in api.validate(folder)] == [p.code for p in api.validate(folder / "broken.ris")]


def test_build_into_an_existing_file_is_one_clear_message(capsys, tmp_path, example_path):
    target = tmp_path / "taken"
    target.write_text("mine", encoding="utf-8")
    code, out, err = run(capsys, "build", str(example_path), "-o", str(target))
    assert code == 2 and out == "" and len(err.splitlines()) == 1
    assert "is a file" in err and "give a folder" in err and target.read_text(encoding="utf-8") == "mine"


def test_format_names_are_taken_in_any_case(capsys, tmp_path, example_path):
    code, out, _ = run(capsys, "export", str(example_path), "--to", "JATS", "-o", str(tmp_path / "jats"),
                       "--doi", "10.52536/2788-5860.2025.86.2.001")
    assert code == 0 and "(jats)" in out and len(list((tmp_path / "jats").iterdir())) == 1
    code, _, _ = run(capsys, "convert", str(tmp_path / "jats" / "2788-5860.2025.86.2.001.xml"), "--to", "BibTeX",
                     "-o", str(tmp_path / "a.bib"))
    assert code == 0 and (tmp_path / "a.bib").is_file()


def test_validate_help_names_every_format_it_validates(capsys):
    with pytest.raises(SystemExit):
        cli.main(["validate", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for name in ("Crossref", "JATS", "CSL-JSON", "BibTeX", "RIS"):
        assert name in text
    assert "folder" in text


def test_convert_groups_its_warnings_and_names_the_file_read(capsys, tmp_path, built):
    source = built / "articles.bib"
    code, _, err = run(capsys, "convert", str(source), "--to", "ris", "-o", str(tmp_path / "x.ris"))
    verbose = run(capsys, "convert", str(source), "--to", "ris", "-o", str(tmp_path / "x.ris"), "-v")[2]
    fallbacks = [line for line in verbose.splitlines() if "[lang.fallback]" in line]
    assert code == 0 and fallbacks and all(line.startswith(f"{source} ") for line in fallbacks)
    grouped = [line for line in err.splitlines() if "[lang.fallback]" in line]
    assert len(grouped) < len(fallbacks) and all(line.startswith(f"{source} ") for line in grouped)


def test_readme_and_the_example_point_to_the_seed_text_a_clone_has():
    import re
    root = Path(__file__).resolve().parent.parent
    for path in (root / "README.md", root / "examples" / "issue-86" / "issue.yaml"):
        text = path.read_text(encoding="utf-8").split("\nbiblio: 1\n")[0]  # the example's header
        assert "shared/seeds" not in text, path
        named = re.search(r"tests/data/seeds/[\w.]+\.txt", text)
        assert named and (root / named.group(0)).is_file(), path


def test_readme_quick_start_shows_what_build_prints(capsys, tmp_path, example_path):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    shown = readme.split("It prints the verdict first", 1)[1].split("```", 2)[1].strip().splitlines()
    code, out, err = run(capsys, "build", str(example_path), "-o", str(tmp_path / "issue-86"))
    out = out.replace(str(example_path), "examples/issue-86/issue.yaml").replace(str(tmp_path), "out")
    assert code == 0 and shown[:len(out.splitlines())] == out.splitlines()
    for line in shown[len(out.splitlines()):]:
        assert line == "…" or line.split(" (×")[0] in err.replace(str(example_path), "examples/issue-86/issue.yaml")


def test_a_build_stopped_by_errors_says_so_first(capsys, tmp_path, minimal_text):
    bad = tmp_path / "bad.yaml"
    bad.write_text(minimal_text.replace("year: 2025", "year: soon"), encoding="utf-8")
    code, out, err = run(capsys, "build", str(bad), "-o", str(tmp_path / "out"))
    assert code == 1 and out.startswith(f"{bad}: not built, as the manifest has errors; nothing written")
    assert f"{bad}:7:9 issue.year: error [manifest.type]" in err and not (tmp_path / "out").exists()


def test_a_note_of_each_language_file_names_its_files(capsys, tmp_path, example_path):
    """Needs build.publish to set Problem.outputs (/tmp/issue19-build.patch)."""
    report = api.build(example_path, tmp_path / "out")
    csl = {f.path.name for f in report.files if f.format == "csl"}
    titles = [p for p in report.problems if p.code == "csl.not-carried" and "titles in other languages" in p.message]
    assert titles and all(p.outputs and set(p.outputs) <= csl for p in titles)
    assert all(not p.outputs for p in report.problems if p.code.startswith(("crossref.", "jats.")))
    err = run(capsys, "build", str(example_path), "-o", str(tmp_path / "x"))[2]
    [line] = [line for line in err.splitlines() if "[csl.not-carried]" in line]
    assert line.endswith("in articles.csl.json, articles.en/kk/ru.csl.json)")
