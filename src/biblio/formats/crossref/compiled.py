"""The derived XSD 1.0 schema compiled with libxml2, once per schema folder and process, and its
files written out for other tools (``derived_dir``)."""

from __future__ import annotations

import functools
import json
import os
import threading
import urllib.parse
from collections.abc import Callable
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
        path = target / relative
        try:
            same = path.read_bytes() == data
        except OSError:
            same = False
        if not same:
            write_atomic(path, data)
    return target


def _derived_files(derived: Derived) -> dict[str, bytes]:
    def key(attribute: AttributeKey) -> str:
        return f"{attribute[1]} on elements of {attribute[0]}" if attribute[0] else f"{attribute[1]} anywhere"

    notes = {
        "derivation": DERIVATION,
        "from": f"{schemas.WHEEL_PROJECT} {schemas.WHEEL_VERSION}: the official files, hash-checked",
        "what": "The XSD 1.0 form of the Crossref 5.5.0 schema for libxml2 (lxml, xmllint). What it leaves out is "
                "checked by biblio.formats.crossref in Python. Generated: do not edit, do not commit.",
        "removed_asserts": [{"file": r.file, "line": r.line, "element": r.element, "test": r.test}
                            for r in derived.removed_asserts],
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
    """The compiled derived schema and what it leaves to Python.

    ``light`` has ``schemas.MATHML_STUB`` in place of MathML 3 (whose compile takes about 4 s) and
    judges every deposit without MathML as the full form, ``schema``, does (``schemas.validate_routed``).
    ``lock``: lxml keeps one error log per schema, so one validation at a time.
    """

    def __init__(self, light: etree.XMLSchema, derived: Derived, build_full: Callable[[], etree.XMLSchema]) -> None:
        self.light = light
        self.derived = derived
        self.build_full = build_full
        self.lock = threading.Lock()

    @functools.cached_property
    def schema(self) -> etree.XMLSchema:
        return self.build_full()

    def validate(self, document: etree._ElementTree | etree._Element) -> etree.XMLSchema:
        """Validate a document (or an element as a document's root); the schema whose error log counts."""
        return schemas.validate_routed(self.light, lambda: self.schema, document)


def compiled_schema(dir: str | Path | None = None) -> CompiledSchema:
    """The derived schema, compiled once per folder and process (raises ``schemas.SchemasUnavailable``);
    the first call also writes ``derived_dir()`` when it can (the compile never reads those files)."""
    return _compile(schemas.usable(dir))


class DerivedOnly(etree.Resolver):
    """Serves the derived files from memory; refuses every other location, local or remote."""

    def __init__(self, root: Path, files: dict[str, bytes]):
        super().__init__()
        self.root = root
        self.files = files
        self.refused: list[str] = []

    def resolve(self, url, pubid, context):
        path = url or ""
        if path.startswith("file:"):
            path = urllib.parse.unquote(urllib.parse.urlparse(path).path)
        relative = None
        if path and "://" not in path:
            try:
                relative = Path(os.path.normpath(path)).relative_to(self.root).as_posix()
            except ValueError:
                relative = None
        if relative in self.files:
            return self.resolve_string(self.files[relative], context, base_url=str(self.root / relative))
        self.refused.append(str(url))
        return self.resolve_string(b"", context)  # an empty document: the compile fails, nothing is read


@functools.cache
def _compile(folder: Path) -> CompiledSchema:
    derived = derived_for(folder)
    root = folder / DERIVED_FOLDER
    try:
        derived_dir(folder)
    except OSError:
        pass  # a read-only schema folder: the files on disk are a convenience only
    light_files = dict(derived.files)
    light_files[_MATHML_MAIN] = schemas.MATHML_STUB
    light = _compile_files(root, light_files)
    return CompiledSchema(light, derived, functools.partial(_compile_files, root, derived.files))


_MATHML_MAIN = "crossref/standard-modules/mathml3/mathml3.xsd"


def _compile_files(root: Path, files: dict[str, bytes]) -> etree.XMLSchema:
    resolver = DerivedOnly(root, files)
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    parser.resolvers.add(resolver)
    main = root / DERIVED_MAIN
    try:
        document = etree.fromstring(files[DERIVED_MAIN], parser, base_url=str(main))
        schema = etree.XMLSchema(document)
    except (etree.LxmlError, OSError) as err:
        reason = f"locations refused: {', '.join(resolver.refused)}" if resolver.refused else err
        raise unusable(reason) from err
    if resolver.refused:
        raise unusable(f"locations refused: {', '.join(resolver.refused)}")
    return schema


