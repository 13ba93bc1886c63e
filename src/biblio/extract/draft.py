"""Step 8: the draft manifest an editor reviews.

An ordinary manifest (``biblio check`` reads it) with the findings at the top as comments,
and before each article comments on what the manifest has no field for: its source lines,
the printed pages inside it and the sentence-case form offered for a title in capitals.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import yaml

from .. import manifest
from ..fileio import write_atomic
from ..problems import sort_key
from .pipeline import LANGUAGE_NAMES, ArticleDraft, Extraction

_WIDTH = 100


def _comment(text: str, indent: str = "") -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        wrapped = textwrap.wrap(paragraph, _WIDTH - len(indent) - 2, subsequent_indent="  ",
                                break_long_words=False, break_on_hyphens=False) or [""]
        lines.extend(f"{indent}# {part}".rstrip() for part in wrapped)
    return lines


def _header(extraction: Extraction) -> list[str]:
    source = Path(extraction.file).name if extraction.file else "the text given"
    problems = sorted(extraction.problems, key=sort_key)
    out = _comment(f"Draft manifest written by `biblio extract` from {source}. Everything below is read from that "
                   "text; nothing it does not give has been added. Review the findings, add the publisher settings a "
                   "Crossref deposit needs (settings: depositor, registrant, landing_page_pattern; see "
                   "docs/manifest.md), then run `biblio check`.")
    out.append("#")
    if problems:
        out += _comment(f"Findings ({len(problems)}), by severity; line numbers are lines of {source}:")
        for problem in problems:
            where = f"line {problem.line}: " if problem.line is not None else ""
            out += _comment(f"- {where}{problem.severity} [{problem.code}] {problem.message}")
    else:
        out += _comment("No findings.")
    return out


def _article_comment(n: int, draft: ArticleDraft, source: str) -> list[str]:
    out = ["", *_comment(f"Article {n}: lines {draft.first_line}-{draft.last_line} of {source}")]
    if draft.pages:
        out += _comment("printed page(s) inside it: " + ", ".join(f"{p.page} (line {p.line})" for p in draft.pages))
    for lang, text in draft.sentence_case.items():
        out += _comment(f"title in sentence case ({LANGUAGE_NAMES.get(lang, lang)}), suggested: {text}")
    return out


def manifest_text(extraction: Extraction, *, as_json: bool = False) -> str:
    """The manifest without what the text did not give: no ``journal: null`` and no
    ``year: 0`` placeholder (findings say what to add), so `biblio check` names the gap."""
    text = manifest.dumps(extraction.issue, as_json=as_json)
    data = manifest.to_data(extraction.issue)
    if data["journal"] is not None and extraction.issue.year:
        return text
    if data["journal"] is None:
        del data["journal"]
    if not extraction.issue.year:
        data["issue"] = {k: v for k, v in (data["issue"] or {}).items() if k != "year"}
    if as_json:
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return yaml.dump(data, Dumper=manifest._Dumper, allow_unicode=True, sort_keys=False, width=100,
                     default_flow_style=False)


def draft_text(extraction: Extraction) -> str:
    """The draft manifest as YAML text."""
    source = Path(extraction.file).name if extraction.file else "the text"
    out = _header(extraction) + [""]
    n, in_articles = 0, False
    for line in manifest_text(extraction).splitlines():
        if line.startswith("articles:"):
            in_articles = True
        elif in_articles and line.startswith("- "):
            out += _article_comment(n + 1, extraction.articles[n], source)
            n += 1
        elif line and not line.startswith((" ", "-")):
            in_articles = False
        out.append(line)
    return "\n".join(out) + "\n"


def write_draft(extraction: Extraction, path: str | Path, *, as_json: bool = False) -> None:
    """Write the draft (YAML, or JSON without comments) atomically."""
    text = manifest_text(extraction, as_json=True) if as_json else draft_text(extraction)
    write_atomic(Path(path), text)
