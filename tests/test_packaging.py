"""The wheel holds what an installed biblio needs: every package, the CSL styles (from the
top-level styles/ folder), the manifest schema and the py.typed marker."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_under_src_is_listed_for_the_wheel():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {".".join(path.parent.relative_to(ROOT / "src").parts) for path in (ROOT / "src").rglob("__init__.py")}
    assert found | {"biblio.styles"} == listed


def test_the_wheel_carries_styles_schema_and_type_marker(tmp_path):
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                           "-w", str(tmp_path), str(ROOT)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    [wheel] = tmp_path.glob("biblio-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"biblio/styles/how-to-cite.csl", "biblio/styles/locales-kk-KZ.xml", "biblio/py.typed",
            "biblio/data/manifest.schema.json", "biblio/formats/crossref/__init__.py"} <= names
    assert not any(name.startswith("styles/") for name in names)  # not a top-level package of its own
