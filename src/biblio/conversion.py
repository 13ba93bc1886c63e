"""Writing one format: ``export`` of an issue, and ``convert`` of a file another tool wrote.

A convert reads every record of the file, groups the records into the issues they belong to, writes each issue on
its own and joins the parts into one output (a record the target refuses is left out, with its line, and the rest
written). Both validate the output before it reaches its place, as a build does.
"""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import formats, ids, manifest
from .build import (BuildReport, Task, WrittenFile, add_once, checked_source, move_into_place, run_tasks,
                    staging_problem)
from .fileio import NAME_BYTES
from .model import Article, Issue, Settings
from .problems import Problem, has_errors
from .progress import Progress, counting
from .yamlsource import parse


def _model_fields() -> dict[str, dict[str, str]]:
    from .formats.bibtex.mapping import MODEL_FIELDS as bibtex
    from .formats.csl.mapping import MODEL_FIELDS as csl
    from .formats.ris.mapping import MODEL_FIELDS as ris

    return {"bibtex": bibtex, "ris": ris, "csl": csl}


_MODEL_FIELDS = _model_fields()  # by the format read: the field of a record that gives a part of the model
_FIELD_WORD = {"bibtex": "the field", "ris": "the tag", "csl": "the key"}


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
            lang: str | None = None, settings: str | Path | None = None,
            progress: Progress | None = None) -> BuildReport:
    """Read a file in one format and write every issue it holds in another, reporting what the target cannot carry.

    Records are grouped into their issues (``formats.Grouper``); each issue is written on its own and the parts are
    joined into one file (the citation formats, a Crossref deposit with one ``<journal>`` per issue) or one file per
    article (JATS). A record the target refuses (its ``check``, or its writer's error on one article) is left out
    with a problem naming its line; the rest are written. ``settings``: a YAML or JSON file with the keys of a
    manifest's ``settings`` (depositor, registrant, landing_page_pattern …), or a manifest, whose settings are taken.
    ``progress`` (``biblio.progress``) hears of the records read and the issues written."""
    path, target = Path(source_path), Path(output)
    fmt, report = _one_format(format_name, "convert", lang, path, target)
    if report.problems or fmt is None:
        return report
    if _same_file(path, target):
        report.problems.append(Problem("convert.same-file", "error", f"the output {target} is the input file itself: "
                                       "writing it would overwrite what is being converted; give another output (-o)",
                                       file=str(path)))
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
    source = _Source(str(path), reader.name)
    records = []
    for record in counting(reading.records(), progress, "records read"):
        records.append(record)
        source.names[record[2]] = reading.name or ""
    report.problems += reading.problems
    if (reading.issue is None and not reading.works) or has_errors(report.problems):
        return report
    source.names.update((work.line, work.name) for work in reading.works)
    report.articles, report.works = len(records), len(reading.works)
    issues = formats.by_issue(records)
    position = {id(article): number for number, (_, article, _) in enumerate(records)}
    parts: list[tuple[list[tuple[str, bytes]], list[tuple[int, int | None]]]] = []
    for issue, lines in counting(issues, progress, "issues written", len(issues)):
        issue.settings = given or issue.settings
        files, found, kept = _convert_issue(fmt, issue, lines, lang, source, located=len(issues) > 1)
        add_once(report.problems, found)
        parts += [(files, [(position[id(article)], line) for article, line in kept])] if files else []
    parts += _work_parts(fmt, reading.works, source, report.problems)
    if not parts and not records and _work_writer(fmt.name) is None:
        report.problems.append(Problem("convert.works-only", "error", f"the file holds no journal article, only "
                                       f"{len(reading.works)} other work(s) (books, chapters, theses, web pages …), "
                                       f"and {fmt.name} carries journal articles only: nothing is written; convert it "
                                       "to BibTeX, RIS or CSL-JSON", file=source.file))
    elif not parts and not has_errors(report.problems):
        report.problems.append(Problem("convert.nothing", "error", f"no record of the file can be written in "
                                       f"{fmt.name}: see the problems above", file=source.file))
    report.formats.append(fmt.name)
    try:
        with tempfile.TemporaryDirectory(prefix="biblio-convert-") as staging:
            if fmt.single_file and validate and len(parts) > 1:
                parts = [part for part in parts if _part_valid(fmt, part, Path(staging), report.problems, source)]
            named = _joined(fmt.name, [files for files, _ in parts]) if fmt.single_file else \
                _apart(parts, records, report.problems, source.file)
            for name, data in named.items():
                staged = Path(staging) / name
                staged.write_bytes(data)
                checked = fmt.validate(staged) if validate else []
                published = target if fmt.single_file else target / name
                report.problems += [replace(p, file=str(published)) if p.file == str(staged) else p for p in checked]
                if not fmt.single_file and _same_file(path, published):  # a JATS file named as the input beside it
                    report.problems.append(Problem("convert.same-file", "error", f"{published} is the input file "
                                                   "itself: it is not overwritten; write into another folder (-o)",
                                                   file=str(path)))
                    continue
                if not has_errors(checked):
                    move_into_place(staged, published)
                report.files.append(WrittenFile(fmt.name, published, not has_errors(checked) if validate else None))
    except OSError as error:
        report.problems.append(staging_problem(error, target))
    return report


def _same_file(source: Path, target: Path) -> bool:
    """Whether ``target`` is ``source`` (by another relative path, a symbolic or a hard link)."""
    try:
        return source.exists() and target.exists() and os.path.samefile(source, target)
    except OSError:  # one cannot be looked at: it is not the other one
        return False


@dataclass
class _Source:
    """The file a convert reads: its name, its format, and how a message names each record (by its line)."""

    file: str
    format: str
    names: dict[int | None, str] = field(default_factory=dict)

    def record(self, line: int | None) -> str:
        """``the record at line 15 (entry 'three')``."""
        name = self.names.get(line)
        return f"the record at line {line}" + (f" ({name})" if name else "")

    def records(self, lines: list[int | None]) -> str:
        """``line 1 (entry 'a'), line 7 (entry 'b')``: the first ten."""
        shown = [f"line {line}" + (f" ({self.names[line]})" if self.names.get(line) else "") for line in lines[:10]]
        return ", ".join(shown) + (f" and {len(lines) - 10} more" if len(lines) > 10 else "")

    def advice(self, path: str | None) -> str:
        """Where in the file read the fact a problem's path names is given: `` (in the file read: the field issn)``."""
        fields: dict[str, str] = _MODEL_FIELDS.get(self.format, {})
        known = max((key for key in fields if (path or "").startswith(key)), key=len, default=None)
        return f" (in the file read: {_FIELD_WORD[self.format]} {fields[known]})" if known else ""


def _work_parts(fmt: formats.Format, works: list[formats.Work], source: _Source,
                problems: list[Problem]) -> list[tuple[list[tuple[str, bytes]], list[tuple[int, int | None]]]]:
    """The works (records that are not journal articles), each as a part of its own written by the target's
    ``work`` writer, or, where the target carries journal articles only (Crossref, JATS), each reported once."""
    write = _work_writer(fmt.name)
    if write is None:
        for work in works:
            problems.append(Problem("convert.work-left-out", "warning", f"{source.record(work.line)} is not written: "
                                    f"it is a {work.reference.type} ({work.kind}), not a journal article, and "
                                    f"{fmt.name} carries journal articles only; convert it to BibTeX, RIS or CSL-JSON",
                                    file=source.file, line=work.line))
        return []
    parts = []
    for work in works:
        data, found = write(work)
        refused = has_errors(found)
        problems += [replace(p, file=source.file, line=work.line, path=work.name,
                             message=(f"{source.record(work.line)} is not written: " if p.severity == "error" else "")
                             + p.message) for p in found]
        if not refused:
            parts.append(([("works", data)], [(-1, work.line)]))
    if works:
        kinds = ", ".join(dict.fromkeys(str(work.reference.type) for work in works))
        problems.append(Problem("convert.works", "info", f"{len(works)} record(s) are not journal articles ({kinds}); "
                                "they are written as what they are", file=source.file, line=works[0].line))
    return parts


def _work_writer(name: str) -> Callable[[formats.Work], tuple[bytes, list[Problem]]] | None:
    """The function that writes one work in a citation format (None: the format carries journal articles only)."""
    from .formats.bibtex import write as bibtex
    from .formats.csl import write as csl
    from .formats.ris import write as ris

    return {"bibtex": bibtex.work, "ris": ris.work, "csl": csl.work}.get(name)


def _convert_issue(fmt: formats.Format, issue: Issue, lines: list[int | None], lang: str | None, source: _Source, *,
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
        problems += [_of_record(p, kept, source, whole, located) for p in found]
        if whole:
            where = source.records([line for _, line in kept if line is not None])
            problems.append(Problem("convert.issue-refused", "error", f"the records of {formats.describe(issue)} "
                                    f"({where}) are not written: see the problems above",
                                    file=source.file, line=kept[0][1] if kept else None))
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
            return files, problems + [_of_record(p, kept, source, False, located) for p in found], kept
    return [], problems + [_of_record(p, kept, source, True, located) for p in found], []


def _part_valid(fmt: formats.Format, part: tuple[list[tuple[str, bytes]], list[tuple[int, int | None]]],
                staging: Path, problems: list[Problem], source: _Source) -> bool:
    """Whether one issue's (or work's) file passes the format's validation, so that one the validator refuses does not
    keep the others out of the joined file; if not, a problem names its records and the validator's first reason."""
    staged = staging / "part"
    staged.write_bytes(part[0][0][1])
    refused = [p for p in fmt.validate(staged) if p.severity == "error"]
    if refused:
        lines = source.records([line for _, line in part[1] if line is not None])
        problems.append(Problem("convert.issue-refused", "error", f"the record(s) at {lines} are not written: "
                                f"written in {fmt.name}, the validator refuses them ({refused[0].message})",
                                file=source.file, line=part[1][0][1]))
    return not refused


def _article_index(problem: Problem) -> int | None:
    """The article a problem is about (its path ``articles[i]…``), or None for the issue."""
    match = re.match(r"articles\[([0-9]+)\]", problem.path or "")
    return int(match.group(1)) if match else None


def _of_record(problem: Problem, kept: list[tuple[Article, int | None]], source: _Source, whole: bool,
               located: bool) -> Problem:
    """A problem about an article (``articles[i]``) as one about its record in the file read; an error names the
    record (line, and its key or number), says it is not written and which field of the file to add. One about the
    issue's settings says how to give them to convert."""
    index = _article_index(problem)
    if (problem.path or "").startswith("settings"):
        return replace(problem, message=problem.message + "; give it to convert with --settings FILE")
    error = problem.severity == "error"
    if not (located or error):
        return problem
    if index is None or index >= len(kept):  # about the issue: located at its first record
        advice = source.advice(problem.path) if error else ""
        return replace(problem, file=source.file, line=kept[0][1], message=problem.message + advice) \
            if problem.file is None and kept else problem
    line = kept[index][1]
    rest = re.sub(r"^articles\[[0-9]+\]\.?", "", problem.path or "") or None
    refused = error and not whole
    message = (f"{source.record(line)} is not written: " if refused else "") + problem.message
    message += source.advice(rest) if error else ""
    return replace(problem, message=message, file=source.file, line=line, column=None, path=rest)


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
