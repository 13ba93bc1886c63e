"""The derived XSD 1.0 schema compiled with libxml2, once per schema folder and process, and its
files written out for other tools (``derived_dir``)."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import json
import os
import threading
import urllib.parse
from pathlib import Path

from lxml import etree

from ... import schemas
from ...fileio import write_atomic
from .xsd10 import DERIVATION, DERIVED_FOLDER, DERIVED_MAIN, AttributeKey, Derived, derived_for, unusable


def derived_dir(dir: str | Path | None = None) -> Path:
    """``<schema dir>/derived-xsd10``, for other tools (``xmllint --schema``): the files that differ are
    (re)written; ``derivation.json`` lists every change. Raises ``schemas.SchemasUnavailable`` or ``OSError``."""
    folder = schemas.usable(dir)
    target = folder / DERIVED_FOLDER
    for relative, data in _derived_files(derived_for(folder)).items():
        with contextlib.suppress(OSError):
            if (target / relative).read_bytes() == data:
                continue
        write_atomic(target / relative, data)
    return target


def _derived_files(derived: Derived) -> dict[str, bytes]:
    def key(attribute: AttributeKey) -> str:
        return f"{attribute[1]} on elements of {attribute[0]}" if attribute[0] else f"{attribute[1]} anywhere"

    notes = {
        "derivation": DERIVATION,
        "from": f"{schemas.WHEEL_PROJECT} {schemas.WHEEL_VERSION}: the official files, hash-checked",
        "what": "The XSD 1.0 form of the Crossref 5.5.0 schema for libxml2 (lxml, xmllint). What it leaves out is "
                "checked by biblio.formats.crossref in Python. Generated: do not edit, do not commit.",
        "removed_asserts": [dataclasses.asdict(r) for r in derived.removed_asserts],
        "changes": list(derived.changes),
        "checked_in_python": {
            "asserts": [f"<{r.element}>: {r.test}" for r in derived.removed_asserts],
            "xsd11_dates": sorted(f"{key(a)}: xs:{kind}" for a, kind in derived.dates.items()),
            "idrefs_resolve_to_ids": sorted(key(a) for a in derived.idrefs),
            "long_enumerations": sorted(f"{key(a)}: {len(values)} values" for a, values in derived.enumerations.items()),
        },
    }
    files = dict(derived.files)
    files["derivation.json"] = (json.dumps(notes, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    return files


# --- Compiling ------------------------------------------------------------------------------

class CompiledSchema:
    """The compiled derived schema, ``light`` with ``schemas.MATHML_STUB`` and ``schema`` with MathML 3
    (``schemas.validate_routed``), and what it leaves to Python. ``lock``: lxml keeps one error log per schema."""

    def __init__(self, folder: Path, derived: Derived) -> None:
        self.folder = folder
        self.derived = derived
        self.light = _compile_files(folder, {**derived.files, _MATHML_MAIN: schemas.MATHML_STUB})
        self.lock = threading.Lock()

    @functools.cached_property
    def schema(self) -> etree.XMLSchema:
        """With the official MathML 3 module: compiled on first need (it takes seconds)."""
        return _compile_files(self.folder, self.derived.files)

    def validate(self, document: etree._ElementTree | etree._Element) -> etree.XMLSchema:
        """Validate a document (or an element as a document's root); the schema whose error log counts."""
        return schemas.validate_routed(self.light, lambda: self.schema, document)


def compiled_schema(dir: str | Path | None = None) -> CompiledSchema:
    """The derived schema, compiled once per folder and process (raises ``schemas.SchemasUnavailable``);
    the first call also writes ``derived_dir()`` when it can (the compile never reads those files)."""
    return _compile(schemas.usable(dir))


class DerivedOnly(schemas.LocalResolver):
    """Serves the derived files (paths below ``folder``) from memory; refuses every other location, local or
    remote (listed in ``refused``)."""

    def __init__(self, folder: Path, files: dict[str, bytes]) -> None:
        super().__init__(folder)
        self.files = files

    def resolve(self, url: str | None, pubid: str | None,  # type: ignore[override]  # lxml-stubs: no context
                context: object) -> object:
        """A derived file's text for its path below ``folder``; an empty document for anything else."""
        path = url or ""
        if path.startswith("file:"):
            path = urllib.parse.unquote(urllib.parse.urlparse(path).path)
        try:
            relative = Path(os.path.normpath(path)).relative_to(self.folder).as_posix()
        except ValueError:  # a remote or relative location, or one outside the folder
            relative = None
        if relative in self.files:
            return self.resolve_string(self.files[relative], context, base_url=str(self.folder / relative))
        self.refused.append(str(url))
        return self.resolve_string(b"", context, base_url=None)  # an empty document: the compile fails, reads nothing


@functools.cache
def _compile(folder: Path) -> CompiledSchema:
    derived = derived_for(folder)
    with contextlib.suppress(OSError):  # a read-only schema folder: the files on disk are a convenience only
        derived_dir(folder)
    return CompiledSchema(folder, derived)


_MATHML_MAIN = "crossref/standard-modules/mathml3/mathml3.xsd"


def _compile_files(folder: Path, files: dict[str, bytes]) -> etree.XMLSchema:
    root = folder / DERIVED_FOLDER
    return schemas.compile_offline(files[DERIVED_MAIN], str(root / DERIVED_MAIN), DerivedOnly(root, files), unusable)
