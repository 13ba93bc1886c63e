"""The official schema files: where they live, how they are installed and checked, compiled validators.

The files come from two pinned registry packages that redistribute them unchanged (``data/schema-pins.json``):
the PyPI wheel commonmeta-py 0.312 (the Crossref 5.5.0 XSD bundle with JATS 1.3d2, MathML 3, XLink, xml.xsd and
NISO ALI, and CSL's ``csl-data.json``) and the npm package @jats4r/dtds 0.0.10 (the JATS 1.3 Journal Publishing
DTD as NLM publishes it). ``install`` fetches each package with its own client (pip, npm) only when one of its
files is missing, checks the package's SHA-256, extracts only the pinned files and checks each one's SHA-256;
every reader checks the hashes again first. Validators never touch the network: remote and location-less
imports map to the local copies, any other remote location is refused. Missing or modified files are
``Problem`` values, raised only in ``SchemasUnavailable``.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from .fileio import write_atomic
from .problems import Problem, errors

if TYPE_CHECKING:  # imported lazily: only the XSD 1.1 path needs it
    import xmlschema

_Document = etree._ElementTree | etree._Element

# --- Pins -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """A registry package that redistributes official files: the client that fetches it by name, its pinned
    file and SHA-256, and the pinned files in it (path in the schema folder -> SHA-256)."""

    name: str
    version: str
    client: str  # "pip" | "npm"
    file: str
    sha256: str
    members: str  # the prefix of the files inside the package
    folder: str  # the prefix of the files in the schema folder
    files: dict[str, str]

    def member(self, relative: str) -> str:
        """The package member that holds the pinned file ``relative``."""
        return self.members + relative[len(self.folder):]


def _load_sources() -> tuple[Source, ...]:
    pins = json.loads((resources.files("biblio") / "data" / "schema-pins.json").read_text(encoding="utf-8"))
    return tuple(Source(entry["name"], entry["version"], entry["client"], entry["file"], entry["sha256"],
                        entry["members"], entry["folder"],
                        {entry["folder"] + path: digest for path, digest in entry["files"].items()})
                 for entry in pins["sources"])


SOURCES = _load_sources()
WHEEL, DTDS = SOURCES
WHEEL_PROJECT, WHEEL_VERSION, WHEEL_FILENAME, WHEEL_SHA256 = WHEEL.name, WHEEL.version, WHEEL.file, WHEEL.sha256

# Every file we extract, by path below the schema folder: the closure of the include and import statements of
# crossref/crossref5.5.0.xsd (remote and location-less imports mapped as below) and csl-data.json, and the
# closure of the external entities of the JATS 1.3 DTD. tests/test_schemas.py recomputes both closures.
PINNED: dict[str, str] = {relative: digest for source in SOURCES for relative, digest in source.files.items()}

# Logical names -> pinned paths.
SCHEMA_NAMES: dict[str, str] = {
    "crossref": "crossref/crossref5.5.0.xsd",
    "jats": "jats-1.3/JATS-journalpublishing1-3.dtd",
    "csl-data": "csl-data.json",
}

# Remote schemaLocations (as written in the official files, and their http/https twins) -> the local copy.
REMOTE_LOCATIONS: dict[str, str] = {
    f"{scheme}://www.w3.org/{remote}": f"crossref/standard-modules/{local}" for scheme in ("http", "https")
    for remote, local in (("Math/XMLSchema/mathml3/mathml3.xsd", "mathml3/mathml3.xsd"), ("2009/01/xml.xsd", "xml.xsd"),
                          ("2001/xml.xsd", "xml.xsd"), ("1999/xlink.xsd", "xlink.xsd"))
}

# Namespaces imported without a schemaLocation -> the local schema for them.
NAMESPACE_LOCATIONS: dict[str, str] = {
    "http://www.w3.org/1998/Math/MathML": "crossref/standard-modules/mathml3/mathml3.xsd",
    "http://www.w3.org/1999/xlink": "crossref/standard-modules/xlink.xsd",
    "http://www.w3.org/XML/1998/namespace": "crossref/standard-modules/xml.xsd",
    "http://www.niso.org/schemas/ali/1.0/": "crossref/standard-modules/module-ali.xsd",
}

ENV_VAR = "BIBLIO_SCHEMA_DIR"


_PACKAGES = " and ".join(f"{source.name} {source.version}" for source in SOURCES)
_HOW_TO_GET = (
    f"run `biblio schemas install` (downloads the pinned packages {_PACKAGES} once, with pip and npm, and checks "
    f"every file's SHA-256), or set {ENV_VAR} to a folder holding the official files"
)


class SchemasUnavailable(Exception):
    """The official schema files cannot be used; ``problems`` says why and what to do."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(p.message for p in self.problems) or "schemas unavailable")


# --- Where ------------------------------------------------------------------------------

def _default_dir() -> Path:
    if sys.prefix != sys.base_prefix:  # inside a virtual environment
        return Path(sys.prefix) / "share" / "biblio" / "schemas"
    xdg = os.environ.get("XDG_DATA_HOME", "")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base / "biblio" / "schemas"


def schema_dir(explicit: str | Path | None = None) -> Path:
    """The schema folder: ``explicit``, else ``$BIBLIO_SCHEMA_DIR``, else ``<venv>/share/biblio/schemas``
    in a virtual environment, else ``$XDG_DATA_HOME/biblio/schemas`` (``~/.local/share/...``)."""
    return Path(explicit or os.environ.get(ENV_VAR) or _default_dir()).expanduser().absolute()


def schema_path(name: str, dir: str | Path | None = None) -> Path:
    """The path of a schema by logical name: "crossref", "jats" or "csl-data" (not checked)."""
    try:
        relative = SCHEMA_NAMES[name]
    except KeyError:
        raise ValueError(f"unknown schema {name!r}; known: {', '.join(SCHEMA_NAMES)}") from None
    return schema_dir(dir) / relative


# --- Checking ---------------------------------------------------------------------------

def _file_state(path: Path, expected: str) -> tuple[str, str | None]:
    """("ok" | "missing" | "modified", detail)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return "missing", None
    except OSError as err:  # a folder in its place, no permission, ...
        return "missing", err.strerror or str(err)
    actual = hashlib.sha256(data).hexdigest()
    return ("ok", None) if actual == expected else ("modified", actual)


def _scan(folder: Path) -> dict[str, tuple[str, str | None]]:
    return {relative: _file_state(folder / relative, digest) for relative, digest in PINNED.items()}


def status(dir: str | Path | None = None) -> dict[str, Any]:
    """The folder, each pinned file's state ("ok", "missing" or "modified"), and overall ``ok``."""
    folder = schema_dir(dir)
    scan = _scan(folder)
    return {
        "dir": str(folder),
        "source": _PACKAGES,
        "ok": all(state == "ok" for state, _ in scan.values()),
        "files": {relative: state for relative, (state, _) in scan.items()},
    }


def verify(dir: str | Path | None = None) -> list[Problem]:
    """Check every pinned file's presence and SHA-256; an empty list means all is well."""
    folder = schema_dir(dir)
    scan = _scan(folder)
    if not folder.is_dir() or all(state == "missing" for state, _ in scan.values()):
        where = ("does not exist" if not folder.exists() else "is not a folder" if not folder.is_dir()
                 else "holds none of them")
        return [Problem("schemas.missing", "error",
                        f"the official schema files are not installed ({folder} {where}); {_HOW_TO_GET}",
                        file=str(folder))]
    found: list[Problem] = []
    for relative, (state, detail) in scan.items():
        path = folder / relative
        if state == "missing":
            why = f" ({detail})" if detail else ""
            found.append(Problem("schemas.missing", "error",
                                 f"the official schema file {relative} is missing from {folder}{why}; {_HOW_TO_GET}",
                                 file=str(path)))
        elif state == "modified":
            found.append(Problem(
                "schemas.tampered", "error",
                f"{path} is not the official file (SHA-256 {detail}, expected {PINNED[relative]}); "
                "it is refused. Reinstall the official files with `biblio schemas install --force`",
                file=str(path)))
    return found


# Folders verified clean in this process, with the (size, mtime, inode) of each file at the
# time: hashing happens once per folder, again only when a file's stat changes.
_verified: dict[Path, tuple[tuple[int, int, int], ...]] = {}


def _fingerprint(folder: Path) -> tuple[tuple[int, int, int], ...] | None:
    try:
        stats = [(folder / relative).stat() for relative in PINNED]
    except OSError:
        return None
    return tuple((s.st_size, s.st_mtime_ns, s.st_ino) for s in stats)


def usable(dir: str | Path | None) -> Path:
    """The resolved folder once its official files are verified (hashed again only when a file's
    size, time or inode changes), else SchemasUnavailable."""
    folder = schema_dir(dir).resolve()
    before = _fingerprint(folder)
    if before is not None and _verified.get(folder) == before:
        return folder
    problems = errors(verify(folder))
    if problems:
        raise SchemasUnavailable(problems)
    if before is not None and _fingerprint(folder) == before:  # unchanged while hashed
        _verified[folder] = before
    return folder


# --- Installing -------------------------------------------------------------------------

def _fetch_command(source: Source, into: Path) -> list[str]:
    if source.client == "npm":  # npm pack fetches the package's tarball by name, runs nothing
        return ["npm", "pack", f"{source.name}@{source.version}", "--pack-destination", str(into),
                "--ignore-scripts", "--silent"]
    return [sys.executable, "-m", "pip", "download", f"{source.name}=={source.version}", "--no-deps",
            "--only-binary=:all:", "--disable-pip-version-check", "--no-input", "-d", str(into)]


def _download(source: Source, into: Path) -> tuple[Path | None, list[Problem]]:
    """The package file fetched by its registry's own client into ``into``, or why not."""
    what = f"{source.name} {source.version}"
    option = "--wheel" if source.client == "pip" else "--dtd-package"
    advice = (f"check the network connection and {source.client}'s registry settings, or fetch {source.file} "
              f"yourself and install from it (`biblio schemas install {option} FILE`), or set {ENV_VAR} to a folder "
              "holding the official files")
    try:
        done = subprocess.run(_fetch_command(source, into), capture_output=True, text=True, timeout=600,
                              check=False)
    except (OSError, subprocess.SubprocessError) as err:
        return None, [Problem("schemas.download", "error", f"could not run {source.client} to download {what}: "
                              f"{err}; {advice}")]
    package = into / source.file
    if done.returncode != 0 or not package.is_file():
        lines = [line.strip() for line in (done.stderr or done.stdout or "").splitlines() if line.strip()]
        said = lines[-1] if lines else f"exit status {done.returncode}"
        return None, [Problem("schemas.download", "error", f"{source.client} could not download {what} ({said}); "
                              f"{advice}")]
    return package, []


def _members(data: bytes, names: list[str]) -> dict[str, bytes]:
    """The named regular files of a wheel (zip) or an npm package (gzipped tar); never extracts all."""
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return {name: archive.read(name) for name in names}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        found: dict[str, bytes] = {}
        for name in names:
            stream = archive.extractfile(archive.getmember(name))  # None unless a regular file
            if stream is None:
                raise KeyError(f"{name} is not a file")
            found[name] = stream.read()
        return found


def _extract(source: Source, data: bytes, origin: str, wanted: list[str]) -> tuple[dict[str, bytes], list[Problem]]:
    """The wanted pinned files from the package's bytes, each checked against its pin."""
    def refuse(message: str) -> tuple[dict[str, bytes], list[Problem]]:
        return {}, [Problem("schemas.package", "error", message, file=origin)]

    actual = hashlib.sha256(data).hexdigest()
    if actual != source.sha256:
        return refuse(f"{origin} is not the pinned {source.file} (SHA-256 {actual}, expected {source.sha256}); it is "
                      f"refused. Use the package from its registry (`biblio schemas install` downloads it), or set "
                      f"{ENV_VAR} to a folder holding the official files")
    try:
        members = _members(data, [source.member(relative) for relative in wanted])
    except (KeyError, zipfile.BadZipFile, tarfile.TarError, OSError, RuntimeError, EOFError) as err:
        return refuse(f"{origin} cannot be read as the pinned {source.file} ({err})")
    files = {relative: members[source.member(relative)] for relative in wanted}
    for relative, content in files.items():
        if hashlib.sha256(content).hexdigest() != PINNED[relative]:
            return refuse(f"{origin}: {relative} differs from its pinned SHA-256; it is refused")
    return files, []


def _read_package(source: Source, given: str | Path | None, scratch: Path) -> tuple[bytes, str, list[Problem]]:
    path, problems = (Path(given).expanduser(), []) if given is not None else _download(source, scratch)
    if path is None:
        return b"", "", problems
    try:
        return path.read_bytes(), str(path), []
    except OSError as err:
        return b"", "", [Problem("schemas.package", "error", f"cannot read {path} ({err.strerror or err}); give "
                                 f"the path of {source.file}, or run `biblio schemas install` without it to "
                                 "download it", file=str(path))]


def install(target: str | Path | None = None, *, wheel: str | Path | None = None,
            dtd_package: str | Path | None = None, force: bool = False) -> list[Problem]:
    """Install the pinned files that are missing or modified (all with ``force``; none, reading nothing, when
    all are in place) into ``schema_dir(target)``, from ``wheel`` and ``dtd_package`` (the npm tarball) or the
    packages pip and npm download, only those that hold a file to install; each hash checked, and nothing
    written unless every file needed was obtained. Info problems say what was done, errors what went wrong."""
    folder = schema_dir(target)
    scan = _scan(folder)
    if not force and all(state == "ok" for state, _ in scan.values()):
        return [Problem("schemas.up-to-date", "info",
                        f"the official schema files are already installed in {folder} "
                        f"({len(PINNED)} files from {_PACKAGES}, hashes checked)", file=str(folder))]
    files: dict[str, bytes] = {}
    used: list[str] = []
    with tempfile.TemporaryDirectory(prefix="biblio-schemas-") as scratch:
        for source, given in ((WHEEL, wheel), (DTDS, dtd_package)):
            wanted = [relative for relative in source.files if force or scan[relative][0] != "ok"]
            if not wanted:
                continue
            data, origin, problems = _read_package(source, given, Path(scratch))
            if not problems:
                extracted, problems = _extract(source, data, origin, wanted)
                files.update(extracted)
            if problems:
                return problems
            used.append(f"{source.name} {source.version}")
    for relative, content in files.items():
        path = folder / relative
        try:
            write_atomic(path, content)
        except OSError as err:
            return [Problem("schemas.write", "error",
                            f"cannot write {path} ({err.strerror or err}); choose a writable folder "
                            f"(an explicit folder or {ENV_VAR})", file=str(path))]
    _verified.pop(folder.resolve(), None)
    return [Problem("schemas.installed", "info",
                    f"installed {len(files)} official schema file{'s' if len(files) != 1 else ''} "
                    f"from {' and '.join(used)} into {folder}", file=str(folder))]


# --- Compiled validators ----------------------------------------------------------------

def _unusable(what: str, err: object) -> SchemasUnavailable:
    return SchemasUnavailable([Problem(
        "schemas.compile", "error",
        f"the official {what} schema could not be compiled offline ({err}); check the installation "
        "with `biblio schemas status`")])


def crossref_schema(dir: str | Path | None = None) -> xmlschema.XMLSchema11:
    """The Crossref 5.5.0 deposit schema (XSD 1.1), compiled once per folder and process."""
    return _compile_crossref(usable(dir))


def xmlschema_options(folder: Path) -> dict[str, Any]:
    """xmlschema options that resolve every remote or location-less import to the pinned local copies
    below ``folder`` and refuse remote access (for the schema and for documents validated with it)."""
    def local(relative: str) -> str:
        return (folder / relative).as_uri()

    remote = {url: local(relative) for url, relative in REMOTE_LOCATIONS.items()}
    return {
        "locations": [(namespace, local(relative)) for namespace, relative in NAMESPACE_LOCATIONS.items()],
        "uri_mapper": lambda uri: remote.get(uri, uri),
        "use_fallback": False,  # xmlschema's own copies of xlink.xsd etc. are not the pinned ones
        "allow": "local",  # local files only: no network
        "defuse": "always",  # parse every XML source without DTDs and entity expansion
    }


@functools.cache
def _compile_crossref(folder: Path) -> xmlschema.XMLSchema11:
    import xmlschema
    from xmlschema.validators import XMLSchemaImportWarning, XMLSchemaIncludeWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            schema = xmlschema.XMLSchema11(str(folder / SCHEMA_NAMES["crossref"]), **xmlschema_options(folder))
        except (xmlschema.XMLSchemaException, OSError, SyntaxError, ValueError) as err:
            raise _unusable("Crossref", err) from err
    failed = [str(w.message) for w in caught
              if issubclass(w.category, (XMLSchemaImportWarning, XMLSchemaIncludeWarning))]
    if failed:
        raise _unusable("Crossref", "; ".join(failed))
    return schema


# A stand-in for MathML 3 (one global element, math, with any content): libxml2 takes about 4 s to compile
# the official module, more than everything else together. That module declares elements and types in the
# MathML namespace and no global attribute, so for a document without MathML elements the two can differ
# only through an xsi:type naming a MathML type, which the stand-in cannot resolve (``validate_routed``).
MATHML_STUB = b"""\
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="http://www.w3.org/1998/Math/MathML"
            elementFormDefault="qualified">
  <xsd:element name="math">
    <xsd:complexType mixed="true">
      <xsd:sequence><xsd:any processContents="skip" minOccurs="0" maxOccurs="unbounded"/></xsd:sequence>
      <xsd:anyAttribute processContents="skip"/>
    </xsd:complexType>
  </xsd:element>
</xsd:schema>
"""
_MATHML_STUB_NAME = "biblio-mathml-stand-in.xsd"


def _has_mathml(tree: _Document) -> bool:
    return next(tree.iter("{http://www.w3.org/1998/Math/MathML}*"), None) is not None


def needs_mathml(tree: _Document) -> bool:
    """Whether the MathML stand-in could judge a document differently from the official module."""
    return _has_mathml(tree) or _has_xsi_type(tree)


def _has_xsi_type(tree: _Document) -> bool:
    return any("{http://www.w3.org/2001/XMLSchema-instance}type" in element.attrib for element in tree.iter("{*}*"))


def validate_routed(light: etree.XMLSchema, full: Callable[[], etree.XMLSchema], tree: _Document) -> etree.XMLSchema:
    """Validate with the stand-in where it decides as the official module would (no MathML element, and valid or without
    xsi:type), else with the official one (``full()``); returns the schema whose verdict and error log count."""
    if not _has_mathml(tree) and (light.validate(tree) or not _has_xsi_type(tree)):
        return light
    schema = full()
    schema.validate(tree)
    return schema


def compile_offline(data: bytes, base_url: str, resolver: LocalResolver, fail: Callable[[object], SchemasUnavailable],
                    refused: str = "locations refused") -> etree.XMLSchema:
    """The XSD ``data`` compiled with ``resolver`` as its only way to other files (it lists the locations
    it refuses in ``refused``); ``fail(reason)`` is raised when the compile fails or refused a location."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    parser.resolvers.add(resolver)
    error = None
    try:
        schema = etree.XMLSchema(etree.fromstring(data, parser, base_url=base_url))
    except (etree.LxmlError, OSError) as err:
        error = err
    if resolver.refused or error is not None:
        raise fail(f"{refused}: {', '.join(resolver.refused)}" if resolver.refused else error) from error
    return schema


class LocalResolver(etree.Resolver):
    """An lxml resolver that keeps schema compiles offline: the known remote schema URLs load the local
    copies below ``folder``, every other remote URL is refused (and listed in ``refused``)."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder
        self.refused: list[str] = []

    def resolve(self, url: str | None, pubid: str | None,  # type: ignore[override]  # lxml-stubs: no context
                context: object) -> object:
        """The stand-in or a local copy for a known location, an empty document for another remote one."""
        if url and url.endswith("/" + _MATHML_STUB_NAME):
            return self.resolve_string(MATHML_STUB, context, base_url=None)
        if url and url in REMOTE_LOCATIONS:  # (lxml-stubs lack resolve_filename)
            local = str(self.folder / REMOTE_LOCATIONS[url])
            return self.resolve_filename(local, context)  # type: ignore[attr-defined]
        if url and "://" in url and not url.startswith("file:"):
            self.refused.append(url)
            return self.resolve_string("", context, base_url=None)  # an empty document: fails the import, offline
        return None


def jats_dtd(dir: str | Path | None = None) -> etree.DTD:
    """The official JATS 1.3 Journal Publishing DTD (the one biblio's files declare), loaded once per folder and
    process. Every module it names is read from the pinned files, each hash checked as it is read; any other
    entity is refused and nothing is fetched. Documents are validated as parsed, never with entities expanded."""
    return _load_dtd(usable(dir))


class PinnedOnly(etree.Resolver):
    """An lxml resolver that serves the DTD's modules from the verified pinned files only (from memory, so a
    file changed after its check is never read) and lists any other entity in ``refused``."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder
        self.refused: list[str] = []

    def resolve(self, url: str | None, pubid: str | None,  # type: ignore[override]  # lxml-stubs: no context
                context: object) -> object:
        path = Path(url[len("file://"):] if url and url.startswith("file://") else url or "")
        relative = path.relative_to(self.folder).as_posix() if path.is_relative_to(self.folder) else ""
        data = (self.folder / relative).read_bytes() if relative in PINNED else b""
        if not data or hashlib.sha256(data).hexdigest() != PINNED[relative]:
            self.refused.append(url or str(pubid))
            return self.resolve_string("", context, base_url=None)
        return self.resolve_string(data, context, base_url=url)


@functools.cache
def _load_dtd(folder: Path) -> etree.DTD:
    resolver = PinnedOnly(folder)
    parser = etree.XMLParser(load_dtd=True, no_network=True, resolve_entities=False)
    parser.resolvers.add(resolver)
    stub = f'<!DOCTYPE article SYSTEM "{SCHEMA_NAMES["jats"]}"><article/>'.encode("ascii")
    try:
        tree = etree.fromstring(stub, parser, base_url=str(folder / "biblio-jats-stub.xml")).getroottree()
        dtd = tree.docinfo.externalDTD
    except (etree.LxmlError, OSError) as err:
        raise _unusable("JATS", err) from err
    if resolver.refused or not isinstance(dtd, etree.DTD):
        raise _unusable("JATS", f"entities refused: {', '.join(resolver.refused)}" if resolver.refused
                        else "the DTD did not load")
    return dtd


def csl_data_schema(dir: str | Path | None = None) -> dict[str, Any]:
    """The official CSL-JSON schema (csl-data.json) as a dict, for jsonschema."""
    return _load_csl(usable(dir))


@functools.cache
def _load_csl(folder: Path) -> dict[str, Any]:
    try:
        schema: dict[str, Any] = json.loads((folder / SCHEMA_NAMES["csl-data"]).read_text(encoding="utf-8"))
        return schema
    except (OSError, ValueError) as err:
        raise _unusable("CSL-JSON", err) from err
