"""The official schema files: pins, install, verify, and the compiled validators (offline).

One installed folder is shared by the whole session: the default folder when `make test`
has installed the files there (``biblio schemas install``), else a temporary folder
installed from the pinned packages (the PyPI wheel and the npm tarball). Tests that modify files work on a copy.
"""

import contextlib
import dataclasses
import hashlib
import io
import posixpath
import shutil
import socket
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from biblio import schemas
from biblio.problems import Problem

LOCAL_WHEEL = Path("/tmp/cm") / schemas.WHEEL_FILENAME
LOCAL_DTDS = Path("/tmp/jatsdtd") / schemas.DTDS.file
XSD = "{http://www.w3.org/2001/XMLSchema}"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def codes(problems: list[Problem]) -> list[str]:
    return [p.code for p in problems]


# --- Session fixtures ---------------------------------------------------------------------

@pytest.fixture(scope="session")
def wheel_path(tmp_path_factory) -> Path:
    """The pinned wheel: a local copy when there is one, else downloaded once with pip."""
    if LOCAL_WHEEL.is_file() and sha256(LOCAL_WHEEL) == schemas.WHEEL_SHA256:
        return LOCAL_WHEEL
    folder = tmp_path_factory.mktemp("wheel")
    command = [sys.executable, "-m", "pip", "download", f"{schemas.WHEEL_PROJECT}=={schemas.WHEEL_VERSION}",
               "--no-deps", "--only-binary=:all:", "-d", str(folder)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if not (folder / schemas.WHEEL_FILENAME).is_file():
        pytest.skip("the pinned wheel is not available: " + done.stderr.strip())
    return folder / schemas.WHEEL_FILENAME


@pytest.fixture(scope="session")
def dtd_package(tmp_path_factory) -> Path:
    """The pinned npm package of the JATS DTDs: a local copy when there is one, else fetched once with npm."""
    if LOCAL_DTDS.is_file() and sha256(LOCAL_DTDS) == schemas.DTDS.sha256:
        return LOCAL_DTDS
    folder = tmp_path_factory.mktemp("npm")
    done = subprocess.run(schemas._fetch_command(schemas.DTDS, folder), capture_output=True, text=True, check=False)
    assert (folder / schemas.DTDS.file).is_file(), done.stderr
    return folder / schemas.DTDS.file


@pytest.fixture(scope="session")
def packages(wheel_path, dtd_package) -> dict[str, Path]:
    return {"wheel": wheel_path, "dtd_package": dtd_package}


@pytest.fixture(scope="session")
def schemas_dir(request, tmp_path_factory) -> Path:
    """A folder holding the verified official files (never modified by the tests)."""
    default = schemas.schema_dir()
    if schemas.verify(default) == []:
        return default
    folder = tmp_path_factory.mktemp("schemas")
    problems = schemas.install(folder, **request.getfixturevalue("packages"))
    assert codes(problems) == ["schemas.installed"], problems
    return folder


class NoNetwork(Exception):
    pass


@contextlib.contextmanager
def no_network():
    """Any attempt to reach the network inside the block raises NoNetwork."""
    def refuse(*args, **kwargs):
        raise NoNetwork(f"network access attempted: {args!r}")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", refuse)
        patch.setattr(socket, "create_connection", refuse)
        patch.setattr(socket, "getaddrinfo", refuse)
        yield


@pytest.fixture(scope="session")
def crossref(schemas_dir):
    with no_network():
        return schemas.crossref_schema(schemas_dir)


@pytest.fixture(scope="session")
def jats(schemas_dir):
    with no_network():
        return schemas.jats_dtd(schemas_dir)


@pytest.fixture
def copy_dir(schemas_dir, tmp_path) -> Path:
    """A private copy of the installed files, free to tamper with."""
    target = tmp_path / "copy"
    for relative in schemas.PINNED:
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(schemas_dir / relative, target / relative)
    return target


# --- Pins ---------------------------------------------------------------------------------

def test_pins_are_the_closure_of_the_deposit_schema_and_the_dtd(schemas_dir):
    """Every include/import of crossref5.5.0.xsd and every external entity of the JATS 1.3 DTD resolves to a
    pinned file, and every pinned file is reached: the pins are exactly what is needed."""
    reached, todo = set(), [schemas.SCHEMA_NAMES["crossref"]]
    while todo:
        relative = todo.pop()
        if relative in reached:
            continue
        assert relative in schemas.PINNED, f"{relative} is needed but not pinned"
        reached.add(relative)
        root = etree.parse(str(schemas_dir / relative)).getroot()
        for statement in root:
            if statement.tag not in (f"{XSD}include", f"{XSD}import", f"{XSD}redefine", f"{XSD}override"):
                continue
            location, namespace = statement.get("schemaLocation"), statement.get("namespace")
            if location is None:
                if namespace is not None:  # a bare <xsd:import/> loads nothing
                    todo.append(schemas.NAMESPACE_LOCATIONS[namespace])
            elif "://" in location:
                todo.append(schemas.REMOTE_LOCATIONS[location])
            else:
                todo.append(posixpath.normpath(posixpath.join(posixpath.dirname(relative), location)))

    class Recording(etree.Resolver):
        def resolve(self, url, pubid, context):
            reached.add(Path(url).relative_to(schemas_dir).as_posix())

    parser = etree.XMLParser(load_dtd=True, no_network=True, resolve_entities=False)
    parser.resolvers.add(Recording())
    with no_network():
        etree.fromstring(f'<!DOCTYPE article SYSTEM "{schemas.SCHEMA_NAMES["jats"]}"><article/>'.encode(), parser,
                         base_url=str(schemas_dir / "stub.xml"))
    assert reached | {"csl-data.json"} == set(schemas.PINNED)
    assert len([r for r in reached if r.startswith("jats-1.3/")]) == len(schemas.DTDS.files) == 61
    assert all(relative in schemas.PINNED for relative in schemas.REMOTE_LOCATIONS.values())
    assert all(relative in schemas.PINNED for relative in schemas.NAMESPACE_LOCATIONS.values())


def test_schema_path_by_logical_name(tmp_path):
    assert schemas.schema_path("crossref", tmp_path) == tmp_path / "crossref" / "crossref5.5.0.xsd"
    assert schemas.schema_path("jats", tmp_path) == tmp_path / "jats-1.3" / "JATS-journalpublishing1-3.dtd"
    assert schemas.schema_path("csl-data", tmp_path) == tmp_path / "csl-data.json"
    with pytest.raises(ValueError, match="crossref"):
        schemas.schema_path("datacite", tmp_path)


IMPORTER = """\
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:test" xmlns:xlink="http://www.w3.org/1999/xlink">
  <xsd:import namespace="http://www.w3.org/1999/xlink" schemaLocation="http://www.w3.org/1999/xlink.xsd"/>
  <xsd:import namespace="urn:elsewhere" schemaLocation="http://example.org/elsewhere.xsd"/>
  <xsd:element name="link"><xsd:complexType><xsd:attribute ref="xlink:href"/></xsd:complexType></xsd:element>
</xsd:schema>
"""


def test_remote_locations_map_to_local_copies_and_others_are_refused(schemas_dir, tmp_path):
    """The mapping both compilers use: a known remote schemaLocation loads the pinned copy,
    any other remote location is refused without touching the network."""
    import xmlschema
    from xmlschema.validators import XMLSchemaImportWarning

    importer = tmp_path / "importer.xsd"
    importer.write_text(IMPORTER, encoding="utf-8")
    with no_network(), pytest.warns(XMLSchemaImportWarning, match="elsewhere.xsd"):
        compiled = xmlschema.XMLSchema11(str(importer), **schemas.xmlschema_options(schemas_dir))
    xlink = (schemas_dir / "crossref" / "standard-modules" / "xlink.xsd").as_uri()
    assert xlink in {s.url for s in compiled.maps.iter_schemas()}
    assert compiled.is_valid('<t:link xmlns:t="urn:test" xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="x"/>')

    resolver = schemas.LocalResolver(schemas_dir)
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(resolver)
    with no_network(), pytest.raises(etree.XMLSchemaParseError):
        etree.XMLSchema(etree.parse(str(importer), parser))
    assert resolver.refused == ["http://example.org/elsewhere.xsd"]

    resolver = schemas.LocalResolver(schemas_dir)
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(resolver)
    local_only = IMPORTER.replace('  <xsd:import namespace="urn:elsewhere" schemaLocation="http://example.org/elsewhere.xsd"/>\n', "")
    with no_network():
        compiled = etree.XMLSchema(etree.fromstring(local_only.encode("utf-8"), parser))
    assert resolver.refused == []
    link = b'<t:link xmlns:t="urn:test" xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="x"/>'
    assert compiled.validate(etree.fromstring(link))


# --- Where --------------------------------------------------------------------------------

def test_explicit_folder_then_environment_then_default(monkeypatch, tmp_path):
    monkeypatch.setenv(schemas.ENV_VAR, str(tmp_path / "from-env"))
    assert schemas.schema_dir(tmp_path / "explicit") == tmp_path / "explicit"
    assert schemas.schema_dir(str(tmp_path / "explicit")) == tmp_path / "explicit"
    assert schemas.schema_dir() == tmp_path / "from-env"
    assert schemas.schema_path("crossref") == tmp_path / "from-env" / "crossref" / "crossref5.5.0.xsd"
    assert schemas.status()["dir"] == str(tmp_path / "from-env")

    monkeypatch.delenv(schemas.ENV_VAR)
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "venv"))
    monkeypatch.setattr(sys, "base_prefix", "/usr")
    assert schemas.schema_dir() == tmp_path / "venv" / "share" / "biblio" / "schemas"


def test_default_outside_a_virtual_environment_is_per_user(monkeypatch, tmp_path):
    monkeypatch.delenv(schemas.ENV_VAR, raising=False)
    monkeypatch.setattr(sys, "base_prefix", sys.prefix)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert schemas.schema_dir() == tmp_path / "data" / "biblio" / "schemas"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert schemas.schema_dir() == tmp_path / "home" / ".local" / "share" / "biblio" / "schemas"


# --- Install ------------------------------------------------------------------------------

def test_install_from_the_packages_is_idempotent(packages, tmp_path):
    target = tmp_path / "schemas"
    first = schemas.install(target, **packages)
    assert codes(first) == ["schemas.installed"] and first[0].severity == "info"
    assert (f"installed {len(schemas.PINNED)} official schema files from commonmeta-py 0.312 and @jats4r/dtds 0.0.10"
            in first[0].message)
    assert (target / "crossref" / "crossref5.5.0.xsd").is_file()
    assert (target / "crossref" / "standard-modules" / "mathml3" / "mathml3.xsd").is_file()
    assert (target / "csl-data.json").is_file() and (target / "jats-1.3" / "JATS-journalpublishing1-3.dtd").is_file()
    # only the pinned files, nothing else from the packages
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()) == sorted(schemas.PINNED)
    assert schemas.verify(target) == []
    assert schemas.status(target)["ok"] is True

    stamps = {relative: (target / relative).stat().st_mtime_ns for relative in schemas.PINNED}
    second = schemas.install(target, wheel=tmp_path / "no-such.whl", dtd_package=tmp_path / "no-such.tgz")  # not read
    assert codes(second) == ["schemas.up-to-date"] and "already installed" in second[0].message
    assert {relative: (target / relative).stat().st_mtime_ns for relative in schemas.PINNED} == stamps


def test_install_repairs_only_what_is_wrong_and_force_rewrites(packages, copy_dir, tmp_path):
    (copy_dir / "crossref" / "fundref.xsd").write_bytes(b"<not-official/>")
    (copy_dir / "csl-data.json").unlink()
    untouched = copy_dir / "crossref" / "crossref5.5.0.xsd"
    stamp = untouched.stat().st_mtime_ns

    done = schemas.install(copy_dir, wheel=packages["wheel"], dtd_package=tmp_path / "no-such.tgz")  # npm: not needed
    assert codes(done) == ["schemas.installed"] and done[0].message.startswith(
        "installed 2 official schema files from commonmeta-py 0.312 into")
    assert schemas.verify(copy_dir) == [] and untouched.stat().st_mtime_ns == stamp

    (copy_dir / "jats-1.3" / "iso8879" / "isocyr1.ent").unlink()
    done = schemas.install(copy_dir, wheel=tmp_path / "no-such.whl", dtd_package=packages["dtd_package"])
    assert done[0].message.startswith("installed 1 official schema file from @jats4r/dtds 0.0.10 into")

    forced = schemas.install(copy_dir, force=True, **packages)
    assert f"installed {len(schemas.PINNED)}" in forced[0].message and schemas.verify(copy_dir) == []


@pytest.mark.parametrize("kind", ["wheel", "dtd_package"])
def test_a_package_with_the_wrong_hash_is_refused(packages, tmp_path, kind):
    wrong = tmp_path / packages[kind].name
    wrong.write_bytes(packages[kind].read_bytes() + b"\0")
    target = tmp_path / "schemas"
    problems = schemas.install(target, **{**packages, kind: wrong})
    assert codes(problems) == ["schemas.package"] and problems[0].severity == "error"
    assert "is not the pinned" in problems[0].message and schemas.ENV_VAR in problems[0].message
    assert not target.exists()  # nothing written, not even the other package's files


def test_a_member_with_the_wrong_hash_is_refused(packages, tmp_path, monkeypatch):
    """Even a package accepted by its own hash has each extracted file checked (a wheel and an npm tarball)."""
    forged = tmp_path / "forged.whl"
    with zipfile.ZipFile(packages["wheel"]) as source, zipfile.ZipFile(forged, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == schemas.WHEEL.member("crossref/fundref.xsd"):
                data += b"<!-- changed -->"
            target.writestr(info, data)
    monkeypatch.setattr(schemas, "WHEEL", dataclasses.replace(schemas.WHEEL, sha256=sha256(forged)))
    problems = schemas.install(tmp_path / "schemas", wheel=forged, dtd_package=packages["dtd_package"])
    assert codes(problems) == ["schemas.package"] and "crossref/fundref.xsd differs" in problems[0].message
    assert not (tmp_path / "schemas").exists()

    monkeypatch.undo()
    forged = tmp_path / "forged.tgz"
    member = schemas.DTDS.member("jats-1.3/JATS-references1-3.ent")
    with tarfile.open(packages["dtd_package"]) as source, tarfile.open(forged, "w:gz") as target:
        for info in source.getmembers():
            data = source.extractfile(info).read() if info.isfile() else None
            if info.name == member:
                data += b"<!-- changed -->"
                info.size = len(data)
            target.addfile(info, io.BytesIO(data) if data is not None else None)
    monkeypatch.setattr(schemas, "DTDS", dataclasses.replace(schemas.DTDS, sha256=sha256(forged)))
    problems = schemas.install(tmp_path / "schemas", dtd_package=forged, force=True, wheel=packages["wheel"])
    assert codes(problems) == ["schemas.package"] and "jats-1.3/JATS-references1-3.ent differs" in problems[0].message
    assert not (tmp_path / "schemas").exists()


def test_unreadable_package_and_failed_download_are_problems(tmp_path, monkeypatch, packages):
    missing = schemas.install(tmp_path / "a", wheel=tmp_path / "nowhere.whl")
    assert codes(missing) == ["schemas.package"] and "cannot read" in missing[0].message

    def failing(command, **kwargs):
        if command[0] == "npm":
            assert command[1:3] == ["pack", "@jats4r/dtds@0.0.10"] and "--ignore-scripts" in command
            return subprocess.CompletedProcess(command, 1, "", "npm error 404 Not Found - @jats4r/dtds@0.0.10\n")
        assert command[1:4] == ["-m", "pip", "download"] and "--no-deps" in command
        return subprocess.CompletedProcess(command, 1, "", "ERROR: Could not find a version that satisfies "
                                                            "the requirement commonmeta-py==0.312\n")

    monkeypatch.setattr(subprocess, "run", failing)
    problems = schemas.install(tmp_path / "b")
    assert codes(problems) == ["schemas.download"] and problems[0].severity == "error"
    assert "Could not find a version" in problems[0].message and schemas.ENV_VAR in problems[0].message
    problems = schemas.install(tmp_path / "b", wheel=packages["wheel"])
    assert codes(problems) == ["schemas.download"]
    assert "npm could not download @jats4r/dtds 0.0.10" in problems[0].message
    assert "--dtd-package FILE" in problems[0].message
    assert not (tmp_path / "b").exists()

    def no_npm(command, **kwargs):
        raise FileNotFoundError(2, "No such file or directory", "npm")

    monkeypatch.setattr(subprocess, "run", no_npm)
    problems = schemas.install(tmp_path / "c", wheel=packages["wheel"])
    assert codes(problems) == ["schemas.download"] and "could not run npm" in problems[0].message


# --- Verify and status --------------------------------------------------------------------

def test_missing_folder(tmp_path):
    problems = schemas.verify(tmp_path / "none")
    assert codes(problems) == ["schemas.missing"]
    assert "biblio schemas install" in problems[0].message and schemas.ENV_VAR in problems[0].message
    state = schemas.status(tmp_path / "none")
    assert state["ok"] is False and set(state["files"].values()) == {"missing"}
    with pytest.raises(schemas.SchemasUnavailable) as raised:
        schemas.csl_data_schema(tmp_path / "none")
    assert codes(raised.value.problems) == ["schemas.missing"]


def test_tampered_file_is_refused(copy_dir):
    assert schemas.csl_data_schema(copy_dir)["$schema"]  # verified clean once, then tampered
    victim = copy_dir / "crossref" / "common5.5.0.xsd"
    with victim.open("ab") as stream:
        stream.write(b" ")

    problems = schemas.verify(copy_dir)
    assert codes(problems) == ["schemas.tampered"]
    assert problems[0].file == str(victim) and "biblio schemas install --force" in problems[0].message
    state = schemas.status(copy_dir)
    assert state["ok"] is False and state["files"]["crossref/common5.5.0.xsd"] == "modified"
    assert state["files"]["crossref/crossref5.5.0.xsd"] == "ok"

    for getter in (schemas.crossref_schema, schemas.jats_dtd, schemas.csl_data_schema):
        with pytest.raises(schemas.SchemasUnavailable) as raised:
            getter(copy_dir)
        assert raised.value.problems == problems


def test_deleted_file_is_missing(copy_dir):
    (copy_dir / "crossref" / "standard-modules" / "xlink.xsd").unlink()
    problems = schemas.verify(copy_dir)
    assert codes(problems) == ["schemas.missing"] and "standard-modules/xlink.xsd" in problems[0].message
    assert schemas.status(copy_dir)["files"]["crossref/standard-modules/xlink.xsd"] == "missing"
    with pytest.raises(schemas.SchemasUnavailable) as raised:
        schemas.crossref_schema(copy_dir)
    assert codes(raised.value.problems) == ["schemas.missing"]


# --- The compiled validators --------------------------------------------------------------

DEPOSIT = """\
<?xml version="1.0" encoding="UTF-8"?>
<doi_batch version="5.5.0" xmlns="http://www.crossref.org/schema/5.5.0"
           xmlns:jats="http://www.ncbi.nlm.nih.gov/JATS1">
  <head>
    <doi_batch_id>biblio-test-1</doi_batch_id>
    <timestamp>20250101120000</timestamp>
    <depositor>
      <depositor_name>Example Depositor</depositor_name>
      <email_address>deposits@example.org</email_address>
    </depositor>
    <registrant>Example Registrant</registrant>
  </head>
  <body>
    <journal>
      <journal_metadata language="en">
        <full_title>Journal of Tests</full_title>
        <issn media_type="print">1234-5679</issn>
      </journal_metadata>
      <journal_article publication_type="full_text" language="kk">
        <titles>
          <title>Бірінші мақала</title>
          <original_language_title language="en">A first article</original_language_title>
        </titles>
        <contributors>
          <person_name contributor_role="author" sequence="first" language="kk">
            <given_name>Айгерім</given_name>
            <surname>Нұрланқызы</surname>
            <alt-name>
              <name language="en">
                <surname>Nurlankyzy</surname>
                <given_name>Aigerim</given_name>
              </name>
            </alt-name>
          </person_name>
        </contributors>
        <jats:abstract xml:lang="kk"><jats:p>Аңдатпа.</jats:p></jats:abstract>
        <jats:abstract xml:lang="en"><jats:p>An abstract with <jats:italic>markup</jats:italic>.</jats:p></jats:abstract>
        <publication_date media_type="online">
          <month>03</month>
          <day>15</day>
          <year>2025</year>
        </publication_date>
        <doi_data>
          <doi>10.1234/jt.2025.2.001</doi>
          <resource>https://example.org/articles/1</resource>
        </doi_data>
      </journal_article>
    </journal>
  </body>
</doi_batch>
"""


def test_crossref_accepts_a_valid_deposit(crossref):
    assert list(crossref.iter_errors(DEPOSIT)) == []


@pytest.mark.parametrize("old, new, expected", [
    # the doi element takes a bare DOI, not a URL
    ("<doi>10.1234/jt.2025.2.001</doi>", "<doi>https://doi.org/10.1234/jt.2025.2.001</doi>", "pattern"),
    # an XSD 1.1 assertion: a person_name needs contributor_role or role
    (' contributor_role="author" sequence="first"', ' sequence="first"', "assert"),
    ("<month>03</month>", "<month>35</month>", "34"),  # xrefMonth: 1-12, seasons 21-24, quarters 31-34
    # alt-name/name: surname first, then given_name
    ("<surname>Nurlankyzy</surname>\n                <given_name>Aigerim</given_name>",
     "<given_name>Aigerim</given_name><surname>Nurlankyzy</surname>", "surname"),
    ("<jats:italic>markup</jats:italic>", "<jats:emph>markup</jats:emph>", "emph"),  # not a JATS element
])
def test_crossref_rejects_a_broken_deposit(crossref, old, new, expected):
    document = DEPOSIT.replace(old, new, 1)
    assert document != DEPOSIT
    found = [str(error) for error in crossref.iter_errors(document)]
    assert found and any(expected in error for error in found), found


def test_crossref_is_compiled_once(schemas_dir, crossref):
    assert schemas.crossref_schema(schemas_dir) is crossref
    assert schemas.crossref_schema(str(schemas_dir)) is crossref


ARTICLE = """\
<article xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:mml="http://www.w3.org/1998/Math/MathML"
         xmlns:ali="http://www.niso.org/schemas/ali/1.0/"
         article-type="research-article" dtd-version="1.3d2" xml:lang="en">
  <front>
    <journal-meta>
      <journal-id journal-id-type="publisher-id">jt</journal-id>
      <issn pub-type="epub">1234-5679</issn>
    </journal-meta>
    <article-meta>
      <article-id pub-id-type="doi">10.1234/jt.2025.2.001</article-id>
      <title-group>
        <article-title>On <inline-formula><mml:math><mml:mi>x</mml:mi></mml:math></inline-formula></article-title>
      </title-group>
      <permissions>
        <ali:free_to_read/>
        <license xlink:href="https://creativecommons.org/licenses/by/4.0/">
          <ali:license_ref>https://creativecommons.org/licenses/by/4.0/</ali:license_ref>
        </license>
      </permissions>
    </article-meta>
  </front>
</article>
"""

MINIMAL_ARTICLE = """\
<article><front>
  <journal-meta><journal-id>jt</journal-id><issn>1234-5679</issn></journal-meta>
  <article-meta><title-group><article-title>T</article-title></title-group></article-meta>
</front></article>
"""


def test_jats_accepts_valid_articles(jats):
    for text in (MINIMAL_ARTICLE, ARTICLE, MINIMAL_ARTICLE.replace("<article>", '<article dtd-version="1.3">')):
        document = etree.fromstring(text.encode("utf-8"))
        assert jats.validate(document), jats.error_log


@pytest.mark.parametrize("old, new", [
    ("<journal-meta><journal-id>jt</journal-id><issn>1234-5679</issn></journal-meta>", ""),  # journal-meta required
    ("<issn>1234-5679</issn>", ""),  # journal-meta needs an issn
    ("<title-group><article-title>T</article-title></title-group>", ""),  # article-meta needs a title-group
    ("<article>", '<article dtd-version="1.4">'),  # 1.3's DTD knows the versions up to 1.3
    ("<article>", '<article xmlns="http://www.ncbi.nlm.nih.gov/JATS1">'),  # JATS has no namespace
    ("<article-title>T</article-title>", "<article-title>T</article-title><bogus/>"),
])
def test_jats_rejects_invalid_articles(jats, old, new):
    text = MINIMAL_ARTICLE.replace(old, new, 1)
    assert text != MINIMAL_ARTICLE
    assert not jats.validate(etree.fromstring(text.encode("utf-8")))


def test_the_dtd_is_read_from_the_pinned_files_only_and_never_fetched(copy_dir, tmp_path):
    """Loaded offline from a fresh folder; a module changed after the folder was verified is refused as it is
    read, and so is any entity outside the folder."""
    with no_network():
        assert schemas.jats_dtd(copy_dir).validate(etree.fromstring(MINIMAL_ARTICLE.encode("utf-8")))
    module = copy_dir / "jats-1.3" / "JATS-notat1-3.ent"
    with module.open("ab") as stream:
        stream.write(b"<!ENTITY % changed 'x'>")
    remote, outside = "http://example.org/x.dtd", str(tmp_path / "elsewhere.dtd")
    for stub, refused in [(f'<!DOCTYPE article SYSTEM "{schemas.SCHEMA_NAMES["jats"]}"><article/>', [str(module)]),
                          (f'<!DOCTYPE article SYSTEM "{remote}"><article/>', [remote]),
                          ('<!DOCTYPE article SYSTEM "../elsewhere.dtd"><article/>', [outside])]:
        resolver = schemas.PinnedOnly(copy_dir)
        parser = etree.XMLParser(load_dtd=True, no_network=True, resolve_entities=False)
        parser.resolvers.add(resolver)
        (tmp_path / "elsewhere.dtd").write_text("<!ELEMENT article EMPTY>")
        with no_network():
            etree.fromstring(stub.encode("utf-8"), parser, base_url=str(copy_dir / "stub.xml"))
        assert resolver.refused == refused


def test_csl_data_schema(schemas_dir):
    schema = schemas.csl_data_schema(schemas_dir)
    assert schema["type"] == "array" and "title" in schema["items"]["properties"]
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft7Validator(schema)
    assert not list(validator.iter_errors([{"id": "a1", "type": "article-journal", "title": "T"}]))
    assert list(validator.iter_errors([{"id": "a1", "type": "no-such-type"}]))
