"""The command line: exit codes, human and JSON reports, and build's file handling."""

import json
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
    code, out, _ = run(capsys, "check", str(example_path))
    assert code == 0
    assert "10 articles; 0 errors" in out
    assert "keywords.unrelated" in out and "issue.yaml:" in out


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
    code, out, _ = run(capsys, "check", str(bad))
    assert code == 1 and f"{bad}:7:9 issue.year: error [manifest.type]" in out


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
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(Path(f["path"]).name for f in report["files"])


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
    assert f"issue.yaml{line} {rest}" in capsys.readouterr().out


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
