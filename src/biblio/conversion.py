"""Writing one format: ``export`` of an issue, and ``convert`` of a file another tool wrote.

A convert reads every record of the file, groups the records into the issues they belong to, writes each issue on
its own and joins the parts into one output (a record the target refuses is left out, with its line, and the rest
written). Both validate the output before it reaches its place, as a build does.
"""

from __future__ import annotations

import io
import json
import re
import tempfile
from dataclasses import replace
from pathlib import Path

from . import formats, ids, manifest
from .build import (BuildReport, Task, WrittenFile, add_once, checked_source, move_into_place, run_tasks,
                    staging_problem)
from .fileio import NAME_BYTES
from .model import Article, Issue, Settings
from .problems import Problem, has_errors
from .yamlsource import parse


class _Selection:
    """The articles with the given DOIs, chosen as they are read; ``problems`` names the DOIs
    no article has (after the pass)."""

    def __init__(self, dois: list[str]) -> None:
        self.wanted = {ids.doi_key(ids.doi(d).value or d): d for d in dois}
        self.found: set[str] = set()

    def __call__(self, article: Article) -> bool:
        key = ids.doi_key(article.doi) if article.doi else None
        if key is None or key not in self.wanted:
            return False
        self.found.add(key)
        return True

    @property
    def problems(self) -> list[Problem]:
        return [Problem("export.doi-unknown", "error", f"no article of the issue has the DOI {raw}", path="articles")
                for key, raw in self.wanted.items() if key not in self.found]


def _one_format(name: str, code: str, lang: str | None, source: Path | None, target: Path
                ) -> tuple[formats.Format | None, BuildReport]:
    """The format an export or a convert writes, and its report; the report already holds the
    error when there is no such format or ``lang`` does not apply to it."""
    fmt = formats.get(name)
    report = BuildReport(source, target.parent if fmt is None or fmt.single_file else target)
    if fmt is None:
        known = ", ".join(f.name for f in formats.registered())
        report.problems.append(Problem(f"{code}.format", "error", f"there is no format '{name}'; use one of: {known}"))
    elif lang is not None and not fmt.per_language:
        report.problems.append(Problem(f"{code}.lang", "error", f"--lang applies to the citation formats; "
                                       f"{fmt.name} carries every language at once"))
    return fmt, report


def export(path: Issue | str | Path, format_name: str, output: str | Path, *, validate: bool = True,
           dois: list[str] | None = None, previous: str | Path | None = None,
           lang: str | None = None) -> BuildReport:
    """Write one format: a single file at ``output`` (or a folder, for per-article formats).

    As ``build``, nothing is written when the manifest has errors, and a file that fails
    validation is not left at ``output``. ``previous`` (Crossref only) is an earlier deposit
    of the same DOIs: a deposit that is not newer is refused, because Crossref would ignore it.
    """
    target = Path(output)
    fmt, report = _one_format(format_name, "export", lang, None if isinstance(path, Issue) else Path(path), target)
    extra_check = None
    if not report.problems and previous is not None:
        if format_name != "crossref":
            report.problems.append(Problem("export.previous", "error", "--previous applies to Crossref deposits"))
        else:
            from .formats import crossref
            extra_check = lambda current: crossref.compare_with_previous(current, Path(previous))
    if report.problems or fmt is None:
        return report
    source, problems = checked_source(path)
    report.problems = list(problems)
    if source is None or has_errors(report.problems):
        return report
    report.articles = source.count
    selection = _Selection(dois) if dois is not None else None
    if selection is not None:
        for _, article in source.articles():  # unknown DOIs stop the export before anything is written
            selection(article)
        if selection.problems:
            report.problems += manifest.locate(selection.problems, source.doc) if source.doc else selection.problems
            report.formats.append(fmt.name)
            return report
    run_tasks(source, [Task(fmt.name, lang)], report, validate=validate, chosen=selection,
              rename=target if fmt.single_file else None, extra_check=extra_check)
    return report


def convert(source_path: str | Path, format_name: str, output: str | Path, *, validate: bool = True,
            lang: str | None = None, settings: str | Path | None = None) -> BuildReport:
    """Read a file in one format and write every issue it holds in another, reporting what the target cannot carry.

    Records are grouped into their issues (``formats.Grouper``); each issue is written on its own and the parts are
    joined into one file (the citation formats, a Crossref deposit with one ``<journal>`` per issue) or one file per
    article (JATS). A record the target refuses (its ``check``, or its writer's error on one article) is left out
    with a problem naming its line; the rest are written. ``settings``: a YAML or JSON file with the keys of a
    manifest's ``settings`` (depositor, registrant, landing_page_pattern …), or a manifest, whose settings are taken."""
    path, target = Path(source_path), Path(output)
    fmt, report = _one_format(format_name, "convert", lang, path, target)
    if report.problems or fmt is None:
        return report
    reader, report.problems = reader_of(path)
    if reader is None or reader.iter_read is None:
        return report
    given = None
    if settings is not None:
        given, report.problems = read_settings(Path(settings))
        if has_errors(report.problems):
            return report
    reading = reader.iter_read(path)
    records = list(reading.records())
    report.problems += reading.problems
    if reading.issue is None or has_errors(report.problems):
        return report
    report.articles = len(records)
    issues = formats.by_issue(records)
    position = {id(article): number for number, (_, article, _) in enumerate(records)}
    parts: list[tuple[list[tuple[str, bytes]], list[tuple[int, int | None]]]] = []
    for issue, lines in issues:
        issue.settings = given or issue.settings
        files, found, kept = _convert_issue(fmt, issue, lines, lang, str(path), located=len(issues) > 1)
        add_once(report.problems, found)
        parts += [(files, [(position[id(article)], line) for article, line in kept])] if files else []
    report.formats.append(fmt.name)
    try:
        with tempfile.TemporaryDirectory(prefix="biblio-convert-") as staging:
            if fmt.single_file and validate and len(parts) > 1:
                parts = [part for part in parts if _part_valid(fmt, part, Path(staging), report.problems, str(path))]
            named = _joined(fmt.name, [files for files, _ in parts]) if fmt.single_file else \
                _apart(parts, records, report.problems, str(path))
            for name, data in named.items():
                staged = Path(staging) / name
                staged.write_bytes(data)
                checked = fmt.validate(staged) if validate else []
                published = target if fmt.single_file else target / name
                report.problems += [replace(p, file=str(published)) if p.file == str(staged) else p for p in checked]
                if not has_errors(checked):
                    move_into_place(staged, published)
                report.files.append(WrittenFile(fmt.name, published, not has_errors(checked) if validate else None))
    except OSError as error:
        report.problems.append(staging_problem(error, target))
    return report


def _convert_issue(fmt: formats.Format, issue: Issue, lines: list[int | None], lang: str | None, file: str, *,
                   located: bool) -> tuple[list[tuple[str, bytes]], list[Problem], list[tuple[Article, int | None]]]:
    """One issue's files, without the records the target refuses (``fmt.check``, then the writer's errors on one
    article), the problems, and the records written. An error about the issue itself refuses it. An error names
    its record's line; so does every problem when the file holds several issues (``located``: ``articles[i]``
    would not say which record), else the rest keep their paths, as an export's do."""
    problems: list[Problem] = []
    kept = list(zip(issue.articles, lines))
    found = fmt.check(issue) if fmt.check is not None else []
    for _ in range(2):  # the check's refusals, then the writer's
        refused = {_article_index(p) for p in found if p.severity == "error"}
        whole = None in refused
        problems += [_of_record(p, kept, file, whole, located) for p in found]
        if whole:
            where = ", ".join(str(line) for _, line in kept if line is not None)
            problems.append(Problem("convert.issue-refused", "error", f"the records of {formats.describe(issue)} "
                                    f"(line{'s' * (len(kept) > 1)} {where}) are not written: see the problems above",
                                    file=file, line=kept[0][1] if kept else None))
            return [], problems, []
        kept = [record for index, record in enumerate(kept) if index not in refused]
        if not kept:
            return [], problems, []
        issue.articles = [article for article, _ in kept]
        output = formats.MemoryOutput()
        writer = fmt.writer(issue, output, lang=lang)
        for index, article in enumerate(issue.articles):
            writer.add(index, article)
        found = writer.close()
        files = output.listed()
        if not has_errors(found):
            return files, problems + [_of_record(p, kept, file, False, located) for p in found], kept
    return [], problems + [_of_record(p, kept, file, True, located) for p in found], []


def _part_valid(fmt: formats.Format, part: tuple[list[tuple[str, bytes]], list[tuple[int, int | None]]],
                staging: Path, problems: list[Problem], file: str) -> bool:
    """Whether one issue's file passes the format's validation, so that an issue the validator refuses does not
    keep the others out of the joined file; if not, a problem names its records and the validator's first reason."""
    staged = staging / "part"
    staged.write_bytes(part[0][0][1])
    refused = [p for p in fmt.validate(staged) if p.severity == "error"]
    if refused:
        lines = ", ".join(str(line) for _, line in part[1] if line is not None)
        problems.append(Problem("convert.issue-refused", "error", f"the record(s) at line(s) {lines} are not written: "
                                f"written in {fmt.name}, the validator refuses them ({refused[0].message})",
                                file=file, line=part[1][0][1]))
    return not refused


def _article_index(problem: Problem) -> int | None:
    """The article a problem is about (its path ``articles[i]…``), or None for the issue."""
    match = re.match(r"articles\[([0-9]+)\]", problem.path or "")
    return int(match.group(1)) if match else None


def _of_record(problem: Problem, kept: list[tuple[Article, int | None]], file: str, whole: bool,
               located: bool) -> Problem:
    """A problem about an article (``articles[i]``) as one about its record in the file read; an error says the
    record is not written. One about the issue's settings says how to give them to convert."""
    index = _article_index(problem)
    if (problem.path or "").startswith("settings"):
        return replace(problem, message=problem.message + "; give it to convert with --settings FILE")
    if not (located or problem.severity == "error"):
        return problem
    if index is None or index >= len(kept):  # about the issue: located at its first record
        return replace(problem, file=file, line=kept[0][1]) if problem.file is None and kept else problem
    line = kept[index][1]
    rest = re.sub(r"^articles\[[0-9]+\]\.?", "", problem.path or "") or None
    refused = problem.severity == "error" and not whole
    message = (f"the record at line {line} is not written: " if refused else "") + problem.message
    return replace(problem, message=message, file=file, line=line, column=None, path=rest)


def _joined(name: str, parts: list[list[tuple[str, bytes]]]) -> dict[str, bytes]:
    """The issues' files of a single-file format as one file: the records one after the other (CSL-JSON: one array,
    each ``id`` once), or a Crossref deposit with one ``<journal>`` per issue (its schema allows several)."""
    datas = [data for part in parts for _, data in part]
    if not datas:
        return {}
    file = parts[0][0][0]
    if name == "csl":
        items = [item for data in datas for item in json.loads(data)]
        seen: dict[str, int] = {}
        for item in items:
            seen[str(item.get("id"))] = number = seen.get(str(item.get("id")), 0) + 1
            item["id"] = item["id"] if number == 1 else f"{item['id']}-{number}"
        return {file: json.dumps(items, ensure_ascii=False, indent=2).encode("utf-8")}
    if name == "crossref" and len(datas) > 1:
        from lxml import etree
        first = etree.fromstring(datas[0])
        body = first.find("{*}body")
        assert body is not None
        for data in datas[1:]:
            other = etree.fromstring(data).find("{*}body")
            body.extend(list(other) if other is not None else [])
        return {file: etree.tostring(first, xml_declaration=True, encoding="UTF-8")}
    if name == "bibtex":
        datas = _unique_keys(datas)
    return {file: b"\n".join(data.rstrip(b"\r\n") + (b"\r\n" if b"\r\n" in data else b"\n") for data in datas)}


def _unique_keys(datas: list[bytes]) -> list[bytes]:
    """BibTeX parts whose cite keys are unique across parts: a key already used gets a letter (``mueller2019b``)."""
    seen: set[str] = set()
    result = []
    for data in datas:
        text, keys = data.decode("utf-8"), set[str]()

        def unique(match: re.Match[str]) -> str:
            key = match.group(2)
            if key in seen:
                key = next(key + letter for letter in "bcdefghijklmnopqrstuvwxyz" if key + letter not in seen | keys)
            keys.add(key)
            return f"{match.group(1)}{key},"
        text = re.sub(r"^(@\w+\{)([^,\s]+),", unique, text, flags=re.MULTILINE)
        seen |= keys
        result.append(text.encode("utf-8"))
    return result


def _apart(parts: list[tuple[list[tuple[str, bytes]], list[tuple[int, int | None]]]],
           records: list[tuple[Issue, Article, int | None]], problems: list[Problem], file: str) -> dict[str, bytes]:
    """The files of a one-file-per-article format (one per record written, in order: ``(position in the file, line)``),
    all issues together: a name met again gets a number, and two records with one DOI are an error."""
    named: dict[str, tuple[bytes, int, int | None]] = {}
    for files, kept in parts:
        for (name, data), (number, line) in zip(files, kept):
            name = "_" + name[1:] if name.startswith(".") else name  # never a hidden file
            taken, count = name, 2
            while (first := next((known for known in named if known.casefold() == name.casefold()), None)):
                name, count = f"{Path(taken).stem}-{count}{Path(taken).suffix}", count + 1
                doi, (_, before, _) = records[number][1].doi, named[first]
                their = records[before][1].doi
                same = bool(doi and their and ids.doi_key(doi) == ids.doi_key(their))
                problems.append(Problem("output.same-name", "error" if same else "warning", (
                    f"article {number + 1} has the DOI {doi} of article {before + 1}, so both would be written to "
                    f"{taken}: it is written to {name}; give each article its own DOI") if same else (
                    f"article {number + 1} would be written to {taken}, as article {before + 1} is: it is written "
                    f"to {name}"), path=f"articles[{number}]", file=file, line=line))
            if len(name.encode("utf-8")) > NAME_BYTES:
                problems.append(Problem("output.name-too-long", "error", f"article {number + 1} would be written to "
                                        f"a file whose name has {len(name.encode('utf-8'))} bytes ({name[:24]}…); a "
                                        f"file name can have {NAME_BYTES}: shorten its DOI, which names the file",
                                        path=f"articles[{number}].doi", file=file, line=line))
                continue
            named[name] = (data, number, line)
    return {name: data for name, (data, _, _) in named.items()}


def read_settings(path: Path) -> tuple[Settings | None, list[Problem]]:
    """``convert --settings``: a YAML or JSON file with the keys of a manifest's ``settings``, checked as a manifest's
    are (or a manifest, whose ``settings`` are taken)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        return None, [Problem("convert.settings", "error", f"cannot read the settings file ({error}); give a UTF-8 "
                              "YAML or JSON file", file=str(path))]
    doc, problems = parse(text, str(path), lazy=True)
    if doc is None:
        return None, problems
    data, where = doc.data, tuple[str, ...]()
    if isinstance(data, dict) and "settings" in data:
        data, where = data["settings"], ("settings",)
    reader = manifest._Reader(doc)
    reader.problems += problems
    settings = reader.obj("Settings", data, where)
    return (settings if isinstance(settings, Settings) else None), reader.problems


def reader_of(target: Path) -> tuple[formats.Format | None, list[Problem]]:
    """The format that reads this file, or the problem saying why there is none."""
    if not target.is_file():
        return None, [Problem("read.io", "error", "no such file", file=str(target))]
    fmt = formats.detect(target)
    if fmt is None or fmt.iter_read is None:
        readable = ", ".join(f.name for f in formats.registered() if f.iter_read)
        return None, [Problem("read.format", "error", f"biblio cannot read this file's format (it reads: "
                              f"{readable})", file=str(target))]
    return fmt, []
