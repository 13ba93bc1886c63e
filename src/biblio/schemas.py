"""The official schema files: where they live, how they are installed and checked, compiled validators.

The files come from one pinned wheel on PyPI, commonmeta-py 0.312, which redistributes the official
Crossref 5.5.0 XSD bundle (with JATS 1.3d2, MathML 3, XLink, xml.xsd and NISO ALI) and CSL's
``csl-data.json``, in the wheel's layout below ``commonmeta/resources/``. ``install`` extracts only the
files in ``PINNED`` and checks each one's SHA-256; every reader checks the hashes again first. Validators
never touch the network: remote and location-less imports map to the local copies, any other remote
location is refused. Missing or modified files are ``Problem`` values, raised only in ``SchemasUnavailable``.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import subprocess
import sys
import tempfile
import threading
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from .fileio import write_atomic
from .problems import Problem, errors

if TYPE_CHECKING:  # imported lazily: only the XSD 1.1 path needs it
    import xmlschema

_Document = etree._ElementTree | etree._Element

# --- Pins -------------------------------------------------------------------------------

WHEEL_PROJECT = "commonmeta-py"
WHEEL_VERSION = "0.312"
WHEEL_FILENAME = "commonmeta_py-0.312-py3-none-any.whl"
WHEEL_SHA256 = "a62cc3010bdc69aca87d325a5bf6f51b3f7fa59fce8913dab5afafcff061d99e"
WHEEL_PREFIX = "commonmeta/resources/"  # a pinned path P is the wheel member WHEEL_PREFIX + P

# Every file we extract, by path below the schema folder. The closure of the include and
# import statements of crossref/crossref5.5.0.xsd and of the JATS 1.3d2 driver
# crossref/JATS-journalpublishing1-3d2-mathml3.xsd (remote and location-less imports
# mapped as below), plus csl-data.json. tests/test_schemas.py recomputes the closure.
PINNED: dict[str, str] = {
    "crossref/AccessIndicators.xsd": "6c07de1d6ae77da26f72d3c251eea1a35acd253df12439f6be94553a4f1ff300",
    "crossref/JATS-journalpublishing1-3d2-mathml3-elements.xsd":
        "9798c93059b8c71d3d6dabc7d8673712a21dafed0f4dfe8cf5805336951a6616",
    "crossref/JATS-journalpublishing1-3d2-mathml3.xsd":
        "8283b67249b5d9f176fa4185642fc569305d8b804add8091c1bfc44aeafc75f6",
    "crossref/clinicaltrials.xsd": "cc540947ab933a3df373d7a711bccffb5778185b245da73ff136c73ec22cb899",
    "crossref/common5.5.0.xsd": "5bcc889f15fa7a44c146ea97ddb1ae993cc45e6b792dcd916b7f12a2d001a5a3",
    "crossref/crossref5.5.0.xsd": "e5c82943dfde814e420e083465eda0a34bf121e02ac5e6c7273f7ec5e58d1aa4",
    "crossref/fundingdata5.5.0.xsd": "8b603c810e58fce4ae5a4582dde7fe30c955ec8d7eb167685293f2ba40db2183",
    "crossref/fundref.xsd": "bcd58527b2c43639201deac4fd5e6664a7ccb3a0e48b227327b753d72acd0905",
    "crossref/languages5.5.0.xsd": "6cc9b7f63c5c23ba538e79ce2f73f5fa9bd728ff533892a2376bb4aa9233a527",
    "crossref/mediatypes5.5.0.xsd": "07f7c03a46136a52dac801d8db5fbd26b5eff19cf8aa55e1dcf2f5c3a4f22b61",
    "crossref/relations.xsd": "8845e28b8d77d20d8742ac54d15fc6cfe3cece13e38e5a80689d79bf7c5e01d4",
    "crossref/standard-modules/mathml3/mathml3-common.xsd":
        "3f0ba889b16dbb2ec39eeeb799e777227c51d3129697316610f2b1d185ad1db6",
    "crossref/standard-modules/mathml3/mathml3-content.xsd":
        "7f2c679f8ac223cd59835af62dfb063b18f5b8ec2919e0a1841f8f0225455a3d",
    "crossref/standard-modules/mathml3/mathml3-presentation.xsd":
        "4919906381bff160d08186b28e0a355cd2bb3cea1ab2d4139580f635fda545f6",
    "crossref/standard-modules/mathml3/mathml3-strict-content.xsd":
        "e088d44535a774c343dea51b8cb5f2057b79af04b2adfebb95ea438728f76765",
    "crossref/standard-modules/mathml3/mathml3.xsd":
        "f7e03c16ac50574e724802cc67e42300b404d7976306d56a38091115630e2d9e",
    "crossref/standard-modules/module-ali.xsd": "73fba5884602b101d198a3c0bf6c53491b08ecb54940f1109c46a12f1fdd5234",
    "crossref/standard-modules/xlink.xsd": "84b3ca0fba2b6226af5936c13ecd9701a2c7d44c9397ae0c35e4889f98d80f40",
    "crossref/standard-modules/xml.xsd": "61960fb3131e38022caad5360e2f33a3382578ab3c80cd58bd74320ede61b20c",
    "csl-data.json": "23b2c062d7526060f4631bb04b4b3ba237e488484253e327bd00fa691861b811",
}

# Logical names -> pinned paths.
SCHEMA_NAMES: dict[str, str] = {
    "crossref": "crossref/crossref5.5.0.xsd",
    "jats": "crossref/JATS-journalpublishing1-3d2-mathml3.xsd",
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


_HOW_TO_GET = (
    f"run `biblio schemas install` (downloads the pinned wheel {WHEEL_PROJECT} {WHEEL_VERSION} from PyPI once and "
    f"checks every file's SHA-256), or set {ENV_VAR} to a folder holding the official files"
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
        "source": f"{WHEEL_PROJECT} {WHEEL_VERSION}",
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

def _download_wheel(into: Path) -> tuple[Path | None, list[Problem]]:
    command = [sys.executable, "-m", "pip", "download", f"{WHEEL_PROJECT}=={WHEEL_VERSION}",
               "--no-deps", "--only-binary=:all:", "--disable-pip-version-check", "--no-input",
               "-d", str(into)]
    advice = ("check the network connection and pip's index settings, or download the wheel yourself and install from "
              f"it (`biblio schemas install --wheel FILE`), or set {ENV_VAR} to a folder holding the official files")
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    except (OSError, subprocess.SubprocessError) as err:
        return None, [Problem("schemas.download", "error",
                              f"could not run pip to download {WHEEL_PROJECT} {WHEEL_VERSION}: {err}; {advice}")]
    wheel = into / WHEEL_FILENAME
    if done.returncode != 0 or not wheel.is_file():
        lines = [line.strip() for line in (done.stderr or done.stdout or "").splitlines() if line.strip()]
        said = lines[-1] if lines else f"exit status {done.returncode}"
        return None, [Problem("schemas.download", "error",
                              f"pip could not download {WHEEL_PROJECT} {WHEEL_VERSION} ({said}); {advice}")]
    return wheel, []


def _extract(data: bytes, source: str, wanted: list[str]) -> tuple[dict[str, bytes], list[Problem]]:
    """The wanted pinned files from the wheel's bytes, each checked against its pin."""
    def refuse(message: str) -> tuple[dict[str, bytes], list[Problem]]:
        return {}, [Problem("schemas.wheel", "error", message, file=source)]

    actual = hashlib.sha256(data).hexdigest()
    if actual != WHEEL_SHA256:
        return refuse(f"{source} is not the pinned {WHEEL_FILENAME} (SHA-256 {actual}, expected {WHEEL_SHA256}); it is "
                      f"refused. Use the wheel from PyPI (`biblio schemas install` downloads it), or set {ENV_VAR} to "
                      "a folder holding the official files")
    files: dict[str, bytes] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for relative in wanted:
                files[relative] = archive.read(WHEEL_PREFIX + relative)  # only names we chose; never extractall
    except (KeyError, zipfile.BadZipFile, OSError, RuntimeError) as err:
        return refuse(f"{source} cannot be read as the pinned wheel ({err})")
    for relative, content in files.items():
        if hashlib.sha256(content).hexdigest() != PINNED[relative]:
            return refuse(f"{source}: {relative} differs from its pinned SHA-256; it is refused")
    return files, []


def install(target: str | Path | None = None, *, wheel: str | Path | None = None, force: bool = False) -> list[Problem]:
    """Install the pinned files that are missing or modified (all with ``force``; none, reading nothing, when
    all are in place) into ``schema_dir(target)`` from ``wheel`` or the one pip downloads, each hash checked.
    Info problems say what was done, errors what went wrong and what to do."""
    folder = schema_dir(target)
    scan = _scan(folder)
    if not force and all(state == "ok" for state, _ in scan.values()):
        return [Problem("schemas.up-to-date", "info",
                        f"the official schema files are already installed in {folder} "
                        f"({len(PINNED)} files from {WHEEL_PROJECT} {WHEEL_VERSION}, hashes checked)",
                        file=str(folder))]
    wanted = list(PINNED) if force else [relative for relative, (state, _) in scan.items() if state != "ok"]

    with tempfile.TemporaryDirectory(prefix="biblio-schemas-") as scratch:
        source, problems = (Path(wheel).expanduser(), []) if wheel is not None else _download_wheel(Path(scratch))
        if source is None:
            return problems
        try:
            data = source.read_bytes()
        except OSError as err:
            return [Problem("schemas.wheel", "error",
                            f"cannot read the wheel {source} ({err.strerror or err}); give the path of "
                            f"{WHEEL_FILENAME}, or run `biblio schemas install` without a wheel to download it",
                            file=str(source))]
    files, problems = _extract(data, str(source), wanted)
    if problems:
        return problems

    for relative in wanted:
        path = folder / relative
        try:
            write_atomic(path, files[relative])
        except OSError as err:
            return [Problem("schemas.write", "error",
                            f"cannot write {path} ({err.strerror or err}); choose a writable folder "
                            f"(an explicit folder or {ENV_VAR})", file=str(path))]
    _verified.pop(folder.resolve(), None)
    return [Problem("schemas.installed", "info",
                    f"installed {len(wanted)} official schema file{'s' if len(wanted) != 1 else ''} "
                    f"from {WHEEL_PROJECT} {WHEEL_VERSION} into {folder}", file=str(folder))]


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


# The official JATS driver as redistributed by Crossref declares the JATS1 targetNamespace (for
# jats:abstract in deposits); JATS articles have no namespace, so this driver imports the same standard
# modules from the pinned copies and includes the official declarations without it.
_JATS_DRIVER = """\
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">
  <xsd:import namespace="http://www.w3.org/1999/xlink" schemaLocation="standard-modules/xlink.xsd"/>
  <xsd:import namespace="http://www.w3.org/1998/Math/MathML" schemaLocation="standard-modules/mathml3/mathml3.xsd"/>
  <xsd:import namespace="http://www.niso.org/schemas/ali/1.0/" schemaLocation="standard-modules/module-ali.xsd"/>
  <xsd:import namespace="http://www.w3.org/XML/1998/namespace" schemaLocation="standard-modules/xml.xsd"/>
  <xsd:include schemaLocation="JATS-journalpublishing1-3d2-mathml3-elements.xsd"/>
</xsd:schema>
"""


def jats_schema(dir: str | Path | None = None) -> MathRouted:
    """The JATS 1.3d2 Journal Publishing schema (MathML 3) for no-namespace articles, via lxml, used like an
    ``etree.XMLSchema`` (``validate``, ``error_log``)."""
    return _jats_routed(usable(dir))


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


class MathRouted:
    """The JATS schema as the MathML stand-in (compiled in a fraction of a second) and the official
    MathML 3 module, compiled on first need, routed by ``validate_routed``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.light = _compile_jats(folder, light=True)
        self._last: etree.XMLSchema = self.light
        self._lock = threading.Lock()

    @property
    def full(self) -> etree.XMLSchema:
        with self._lock:  # compiled once (about 4 s), even when threads ask together
            return _compile_jats(self.folder)

    def for_document(self, tree: _Document) -> etree.XMLSchema:
        return self.full if needs_mathml(tree) else self.light

    def validate(self, tree: _Document) -> bool:
        self._last = validate_routed(self.light, lambda: self.full, tree)
        log = self._last.error_log  # (lxml-stubs: an _ErrorLog is not iterable)
        return not any(entry.level >= etree.ErrorLevels.ERROR for entry in log)  # type: ignore[attr-defined]

    @property
    def error_log(self) -> etree._ErrorLog:
        return self._last.error_log


_jats_routed = functools.cache(MathRouted)


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


@functools.cache
def _compile_jats(folder: Path, light: bool = False) -> etree.XMLSchema:
    driver = _JATS_DRIVER.replace("standard-modules/mathml3/mathml3.xsd", _MATHML_STUB_NAME) if light else _JATS_DRIVER
    return compile_offline(driver.encode("utf-8"), str(folder / "crossref" / "biblio-jats-driver.xsd"),
                           LocalResolver(folder), functools.partial(_unusable, "JATS"), "remote locations refused")


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
