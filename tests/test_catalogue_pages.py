"""A catalogue's pages: each issue's review page in its folder, as a build of that issue writes it (same article
limit), and ``index.html`` in the catalogue's folder listing the issues; self-contained, every value escaped."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import lxml.html
import pytest

import biblio
from biblio import cli

HOSTILE_TITLE = "<script>alert(1)</script> Journal <b>of</b> Tests"


@pytest.fixture
def manifests(tmp_path: Path, example_path: Path, minimal_text: str) -> list[Path]:
    """The example, an issue whose journal title is markup, one with an error, one missing."""
    folder = tmp_path / "manifests"
    folder.mkdir()
    (folder / "example.yaml").write_bytes(example_path.read_bytes())
    (folder / "hostile.yaml").write_text(minimal_text.replace("Journal of Tests", f"'{HOSTILE_TITLE}'"),
                                         encoding="utf-8")
    (folder / "broken.yaml").write_text(minimal_text.replace("year: 2025", "year: twenty"), encoding="utf-8")
    return [folder / "example.yaml", folder / "hostile.yaml", folder / "broken.yaml", folder / "missing.yaml"]


def _rows(page: Path) -> list[list[str]]:
    doc = lxml.html.fromstring(page.read_bytes())
    return [[" ".join(td.text_content().split()) for td in tr.xpath("td")] for tr in doc.xpath("//tbody/tr")]


def test_each_issue_gets_its_review_page_and_the_catalogue_an_index(manifests, tmp_path):
    out = tmp_path / "out"
    catalogue = biblio.build_catalogue(manifests, out, jobs=2)
    assert [r.review for r in catalogue.issues] == [out / "example" / "report.html", out / "hostile" / "report.html",
                                                    None, None]
    assert all(r.review is None or r.review.is_file() for r in catalogue.issues)
    assert b"Journal &lt;b&gt;of&lt;/b&gt; Tests" in (out / "hostile" / "report.html").read_bytes()
    assert catalogue.index == out / "index.html" and catalogue.to_dict()["index"] == str(out / "index.html")
    doc = lxml.html.fromstring((out / "index.html").read_bytes())
    assert not doc.xpath("//script | //img | //b | //link | //*[@src]")  # the title's tags are text
    assert not [name for el in doc.iter() for name in el.attrib if name.lower().startswith("on")]
    assert "default-src 'none'" in doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    hrefs = doc.xpath("//a/@href")
    assert hrefs == ["./example/report.html", "./hostile/report.html"]
    assert all((out / href).is_file() for href in hrefs)
    rows = _rows(out / "index.html")
    assert [row[1:4] for row in rows] == [["no. 2 (86)", "2025", "10"], ["no. 2", "2025", "2"], ["", "", "0"],
                                          ["", "", "0"]]
    assert rows[1][0].startswith(HOSTILE_TITLE) and rows[1][0].endswith("hostile.yaml")
    assert "error" in rows[2][4] and rows[2][5] == "not built" and rows[3][0].startswith("not read")
    assert "error" not in rows[0][4] and "warning" in rows[0][4]


def test_the_review_limit_holds_in_a_catalogue_too(manifests, tmp_path, monkeypatch):
    monkeypatch.setattr(importlib.import_module("biblio.build"), "REVIEW_LIMIT", 5)
    catalogue = biblio.build_catalogue(manifests[:2], tmp_path / "out", jobs=1)  # here: the limit patched is read
    example, hostile = catalogue.issues
    assert example.review is None and not (tmp_path / "out" / "example" / "report.html").exists()
    assert "report.skipped" in {p.code for p in example.problems}
    assert hostile.review is not None and hostile.review.is_file()
    assert [row[5] for row in _rows(tmp_path / "out" / "index.html")] == ["none: see its notes", "hostile/report.html"]


def test_an_index_that_cannot_be_written_is_an_error(manifests, tmp_path):
    (tmp_path / "out" / "index.html").mkdir(parents=True)
    catalogue = biblio.build_catalogue(manifests[:2], tmp_path / "out", jobs=1)
    assert catalogue.index is None and not catalogue.ok and catalogue.issues[0].ok
    assert [(p.code, p.file) for p in catalogue.own] == [("report.io", str(tmp_path / "out" / "index.html"))]
    assert catalogue.problems[-1] == catalogue.own[0] and catalogue.to_dict()["index"] is None
    assert all(r.review is not None for r in catalogue.issues)


def test_the_command_line_names_the_index(manifests, tmp_path, capsys):
    out = tmp_path / "out"
    assert cli.main(["build", str(manifests[0]), str(manifests[1]), "-o", str(out), "-j", "1"]) == 1  # no settings
    assert f"review     {out / 'index.html'} (every issue, each linked to its review page)" in \
        capsys.readouterr().out.splitlines()
    assert cli.main(["build", str(manifests[0]), str(manifests[1]), "-o", str(out), "-j", "1", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["index"] == str(out / "index.html")


def test_a_manifest_given_twice_gets_two_folders_and_two_rows(manifests, tmp_path):
    catalogue = biblio.build_catalogue([manifests[1], manifests[1]], tmp_path / "out", jobs=2)
    assert [r.out_dir.name for r in catalogue.issues] == ["manifests-hostile", "manifests-hostile-2"]
    assert lxml.html.fromstring((tmp_path / "out" / "index.html").read_bytes()).xpath("//a/@href") == \
        ["./manifests-hostile/report.html", "./manifests-hostile-2/report.html"]
