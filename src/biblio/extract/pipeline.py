"""The extraction pipeline: issue text in, a draft `Issue` and findings out.

Steps, each its own module: normalise → find blocks → group into articles → read
fields → align authors → DOIs, funding, citations, reference lists → issue facts →
findings. Every finding carries the source line an editor has to look at. Nothing
the text does not give is filled in; what is missing is reported instead.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Any

from .. import ids, lint
from ..manifest import expand_doi_pattern, set_originals
from ..model import Article, Contributor, Funding, Issn, Issue, Journal, LangText, PersonName
from ..problems import Problem, Severity
from . import align as align_step
from . import casing, citations, fields, funding, references
from .authors import PrintedAuthor
from .blocks import DOI_IN_TEXT, Block, find_blocks
from .boundaries import ArticleSpan, group_articles
from .contacts import LooseId
from .issue_facts import HeaderFacts, doi_prefix, header_facts, infer_doi_pattern, issn_from_doi
from .language import latin_language, script_language
from .normalise import PageMarker, normalise
from .text import Joiner, Line

LANGUAGE_NAMES = {"kk": "Kazakh", "ru": "Russian", "en": "English", "es": "Spanish", "pt": "Portuguese",
                  "fr": "French", "de": "German", "it": "Italian", "pl": "Polish", "nl": "Dutch", "tr": "Turkish"}


@dataclass
class ArticleDraft:
    """One article as extracted, with where its parts were found."""

    article: Article
    first_line: int
    last_line: int
    blocks: dict[str, Block] = field(default_factory=dict)
    citations: list[citations.Citation] = field(default_factory=list)
    funding: list[funding.FundingStatement] = field(default_factory=list)
    reference_lists: list[references.ReferenceList] = field(default_factory=list)
    pages: list[PageMarker] = field(default_factory=list)
    printed_dois: list[tuple[str, Line]] = field(default_factory=list)
    sentence_case: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Where each part was found, as JSON data: what ``biblio extract --json`` reports per article."""
        return {
            "lines": [self.first_line, self.last_line],
            "blocks": {lang: {"first_line": b.first_line, "last_line": b.last_line,
                              "label_line": b.label.number} for lang, b in self.blocks.items()},
            "pages": [{"page": p.page, "line": p.line} for p in self.pages],
            "citations": [{"text": c.text, "numbers": list(c.numbers),
                           "locators": [{"number": n, "pages": text} for n, text in c.locators],
                           "line": c.line} for c in self.citations],
            "funding": [{"language": f.language, "text": f.text, "awards": list(f.awards),
                         "printed_awards": list(f.printed_awards), "funder": f.funder,
                         "lines": [f.line, f.last_line]} for f in self.funding],
            "reference_lists": [{"heading": r.heading, "language": r.language, "line": r.line,
                                 "entries": len(r.entries)} for r in self.reference_lists],
            "sentence_case_titles": dict(self.sentence_case),
        }


@dataclass
class Extraction:
    """What `extract` gives: the draft issue, each article's draft, and the findings."""

    issue: Issue
    articles: list[ArticleDraft]
    problems: list[Problem]
    file: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The articles' drafts and the findings as JSON data (the issue itself is the manifest)."""
        return {"file": self.file, "articles": [a.to_dict() for a in self.articles],
                "problems": [p.to_dict() for p in self.problems]}


class _Findings:
    """Collects problems with the source file filled in."""

    def __init__(self, file: str | None) -> None:
        self.file = file
        self.items: list[Problem] = []

    def add(self, code: str, severity: Severity, message: str, line: int | None = None,
            path: str | None = None) -> None:
        self.items.append(Problem(code, severity, message, path=path, file=self.file, line=line))


def extract_file(path: str | Path, **options: bool) -> Extraction:
    """`extract` on a UTF-8 text file; the file name goes into every finding."""
    text = Path(path).read_text(encoding="utf-8-sig")
    return extract(text, file=str(path), **options)


def extract(text: str, *, file: str | None = None, fallback_authors: bool = False) -> Extraction:
    """A draft issue from the text of a printed issue (or of one article)."""
    found = _Findings(file)
    norm = normalise(text)
    lines = norm.lines
    joiner = Joiner(line.text for line in lines)
    spans = group_articles(lines, find_blocks(lines))
    if not spans:
        found.add("extract.no-articles", "error", "no article found: an article is recognised by its labelled abstract "
                  "('Аңдатпа.', 'Аннотация.' or 'Abstract.'); check that the file is the issue's text")
    contiguous = _contiguous_view(lines)
    drafts = [_article(n, span, lines, contiguous, joiner, found, fallback_authors) for n, span in enumerate(spans, 1)]
    _place_pages(norm.pages, drafts)
    issue = _issue(drafts, header_facts(norm.headers), found)
    set_originals(issue)  # as loading the draft would: each text's original language
    _findings(issue, drafts, found)
    return Extraction(issue, drafts, found.items, file)


def _place_pages(pages: list[PageMarker], drafts: list[ArticleDraft]) -> None:
    """Each page number to the article it is printed in; one printed above the first
    article (the header and page number that open a single article's text) is its first page."""
    for page in pages:
        for n, draft in enumerate(drafts):
            if draft.first_line <= page.line <= draft.last_line or (n == 0 and page.line < draft.first_line):
                draft.pages.append(page)
                break


def _contiguous_view(kept: list[Line]) -> list[str]:
    """The normalised text at its original line numbers; dropped lines (headers, page
    numbers) are empty, so later steps can number what they find."""
    view = [""] * (kept[-1].number + 1 if kept else 1)
    for line in kept:
        view[line.number] = line.text
    return view


def _article(n: int, span: ArticleSpan, lines: list[Line], contiguous: list[str], joiner: Joiner,
             found: _Findings, fallback_authors: bool) -> ArticleDraft:
    path = f"articles[{n - 1}]"
    first, last = lines[span.start].number, lines[span.end].number
    blocks = {block.language: block for block in span.blocks}
    body_text = " ".join(line.text for line in lines[span.front_end + 1:span.end + 1])
    language = script_language(body_text, hint=span.blocks[0].language) or span.blocks[0].language
    titles = {lang: title for lang, block in blocks.items() if (title := fields.title_text(block, joiner))}
    abstracts = {lang: text for lang, block in blocks.items() if (text := fields.abstract_text(block, joiner))}
    keywords = {lang: words for lang, block in blocks.items() if (words := fields.keyword_list(block, joiner))}
    read = {lang: fields.authors_and_loose(block) for lang, block in blocks.items()}
    printed = {lang: authors for lang, (authors, _) in read.items()}
    names = {lang: [author.name for author in authors] for lang, authors in printed.items()}  # []: no author line
    name_lines = {lang: (block.authors[0] if block.authors else block.label).number for lang, block in blocks.items()}
    aligned = align_step.align(names, name_lines, fallback=fallback_authors, file=found.file,
                               path=f"{path}.contributors")
    found.items.extend(aligned.problems)
    contributors = [_contributor(person, sources, printed, blocks, found, f"{path}.contributors[{k}]")
                    for k, (person, sources) in enumerate(zip(aligned.people, aligned.sources))]
    _loose_ids(n, [item for _, loose in read.values() for item in loose], contributors, found)
    article = Article(language=language, titles=LangText(titles), abstracts=LangText(abstracts),
                      keywords=keywords, contributors=contributors)
    draft = ArticleDraft(article, first, last, blocks)

    window = contiguous[first:last + 1]
    draft.printed_dois = _printed_dois(span)
    article.doi = next((check.value for shown, _ in draft.printed_dois if (check := ids.doi(shown)).ok), None)
    draft.funding = funding.find_funding(window, first)
    article.funding = _funding_model(draft.funding)
    draft.reference_lists = references.find_reference_lists(window, first, [language, *blocks])
    if draft.reference_lists:
        chosen = draft.reference_lists[0]
        article.references = [references.to_model(entry, chosen.language) for entry in chosen.entries]
    body_window = _without_reference_lists(window, first, draft.reference_lists)
    draft.citations = citations.find_citations(body_window, first)
    article.citations = citations.citation_numbers(draft.citations)
    context = "\n".join([*abstracts.values(), body_text])
    for lang, title in titles.items():
        if casing.is_all_caps(title):
            draft.sentence_case[lang] = casing.sentence_case(title, context, lang)
    return draft


def _contributor(person: dict[str, PersonName], sources: dict[str, int], printed: dict[str, list[PrintedAuthor]],
                 blocks: dict[str, Block], found: _Findings, path: str) -> Contributor:
    """A person, with the ORCID iD and e-mail printed beside their name in any block; an iD that
    fails its check digit, or two different iDs (or e-mails), are reported and not kept."""
    contributor = Contributor(names=person)
    orcids: dict[str, int] = {}
    emails: dict[str, int] = {}
    for lang, index in sources.items():
        author, line = printed[lang][index], blocks[lang].authors[0].number
        if author.orcid:
            check = ids.orcid(author.orcid)
            if check.value is not None:
                orcids.setdefault(check.value, line)
            else:
                found.add("extract.authors.orcid", "warning",
                          f"{author.name}: {check.message}", line, f"{path}.orcid")
        if author.email:
            emails.setdefault(author.email.lower(), line)
    for kind, values in (("orcid", orcids), ("email", emails)):
        if len(values) == 1:
            setattr(contributor, kind, next(iter(values)))
        elif values:
            found.add(f"extract.authors.{kind}-conflict", "warning",
                      f"{_first_name(person)} is printed with different {kind} values ({', '.join(values)}); none was "
                      "kept — write the right one", min(values.values()), f"{path}.{kind}")
    return contributor


def _loose_ids(n: int, loose: list[LooseId], contributors: list[Contributor], found: _Findings) -> None:
    """A finding for each iD or e-mail under the names that no block could give to one author."""
    kept = {str(value).lower() for c in contributors for value in (c.orcid, c.email) if value}
    for kind, items in groupby(sorted(loose, key=lambda item: (item.kind, item.value.lower(), item.line)),
                               key=lambda item: (item.kind, item.value.lower())):
        item = next(items)
        if kind[1] in kept or (kind[0] == "orcid" and (ids.orcid(item.value).value or "").lower() in kept):
            continue
        what = "ORCID iD" if item.kind == "orcid" else "e-mail"
        found.add(f"extract.authors.{item.kind}-unplaced", "warning", f"article {n}: the {what} {item.value} printed "
                  f"under the authors was not given to anyone ({item.why}); add it as the {item.kind} of the author it "
                  "belongs to", item.line, f"articles[{n - 1}].contributors")


def _first_name(person: dict[str, PersonName]) -> str:
    name = next(iter(person.values()))
    return " ".join(part for part in (name.given, name.family) if part)


def _printed_dois(span: ArticleSpan) -> list[tuple[str, Line]]:
    found = [(match.group(0), line) for block in span.blocks for line in block.dois
             if (match := DOI_IN_TEXT.search(line.text))]
    return sorted(found, key=lambda item: item[1].number)


def _without_reference_lists(window: list[str], first: int, lists: list[references.ReferenceList]) -> list[str]:
    """The article's lines with its reference lists blanked, so ``[1]`` labels are not citations."""
    out = list(window)
    for ref_list in lists:
        last = max([ref_list.line] + [e.last_line for e in ref_list.entries])
        out[ref_list.line - first:last + 1 - first] = [""] * (last + 1 - ref_list.line)
    return out


def _funding_model(statements: list[funding.FundingStatement]) -> list[Funding]:
    """One Funding per award set; statements of it in several languages go together."""
    grouped: dict[tuple[str, ...], Funding] = {}
    for statement in statements:
        entry = grouped.setdefault(statement.awards, Funding(awards=list(statement.awards)))
        if statement.language not in entry.statement.texts:
            entry.statement.texts[statement.language] = statement.text
        if statement.funder and statement.language not in entry.funder.texts:
            entry.funder.texts[statement.language] = statement.funder
    return list(grouped.values())


def _title_language(title: str, drafts: list[ArticleDraft]) -> str:
    """The journal name's language: a Latin-script name too short to tell (``Revista de Estudios
    Costeros``) and without English words is taken to be in the articles' own language."""
    lang = script_language(title) or "und"
    common = Counter(d.article.language for d in drafts).most_common(1)
    if lang == "en" and common and common[0][0] not in ("en", "kk", "ru", None) and not latin_language(title, strict=True):
        return str(common[0][0])
    return lang


def _issue(drafts: list[ArticleDraft], facts: HeaderFacts, found: _Findings) -> Issue:
    dois = [d.article.doi for d in drafts if d.article.doi]
    prefix = doi_prefix(dois)
    journal_titles = {}
    if facts.title:
        journal_titles[_title_language(facts.title, drafts)] = facts.title
    else:
        found.add("extract.journal.title", "error", "the text names no journal (no running header such as 'Journal "
                  "of …, Vol. 7, No. 1, 2025' was found); the draft leaves it out: add journal.titles (and the "
                  "journal's language) to the manifest", path="journal.titles")
    issn_values = {v for v in (issn_from_doi(d) for d in dois) if v}
    issns = [Issn(issn_values.pop())] if len(issn_values) == 1 else []
    journal = Journal(titles=LangText(journal_titles), language=next(iter(journal_titles), None),
                      issns=issns, doi_prefix=prefix)
    if facts.year is None:
        found.add("extract.issue.year", "error", "the text gives no year for the issue (no running header like "
                  "'№ 2 (86) 2025' or 'Vol. 7, No. 1, 2025' was found); the draft leaves it out: add issue.year to "
                  "the manifest", path="issue.year")
    issue = Issue(journal=journal, year=facts.year or 0, number=facts.number, volume=facts.volume,
                  whole_number=facts.whole_number, articles=[d.article for d in drafts])
    printed = {n: d.article.doi for n, d in enumerate(drafts, 1) if d.article.doi}
    pattern = infer_doi_pattern(printed, facts.year, facts.number, facts.whole_number) if prefix else None
    if pattern and len(printed) < len(drafts):
        issue.doi_pattern = pattern
    return issue


# --- findings ------------------------------------------------------------------------------------

_NUMBER_SIGN = re.compile(r"^\s*(?:№|No\.?)\s*", re.IGNORECASE)
_REPEAT = re.compile(r"\b(\w+(?:\s+\w+){0,2})\s+\1\b", re.IGNORECASE)


def _findings(issue: Issue, drafts: list[ArticleDraft], found: _Findings) -> None:
    printed_languages = Counter(lang for d in drafts for lang in d.blocks)
    issue_languages = [lang for lang, count in printed_languages.items() if count * 2 > len(drafts)]
    for n, draft in enumerate(drafts, 1):
        _block_findings(n, draft, issue_languages, found)
        _doi_findings(n, draft, issue, found)
        _content_findings(n, draft, found)
    _lint_findings(issue, drafts, found)


def _name(lang: str) -> str:
    return LANGUAGE_NAMES.get(lang, lang)


def _block_findings(n: int, draft: ArticleDraft, issue_languages: list[str], found: _Findings) -> None:
    where = f"articles[{n - 1}]"
    for lang in issue_languages:
        if lang not in draft.blocks:
            found.add("extract.block.missing", "warning", f"article {n} has no {_name(lang)} block (no labelled "
                      f"abstract in {_name(lang)}), while most articles print one; add it or confirm that the print "
                      "lacks it", draft.first_line, where)
    for lang, block in draft.blocks.items():
        name = _name(lang)
        if not block.title:
            found.add("extract.block.no-title", "warning", f"article {n}: the {name} block has no title above its "
                      "abstract; add the title or confirm that the print lacks it", block.label.number,
                      f"{where}.titles.{lang}")
        if not block.authors:
            found.add("extract.block.no-authors", "warning",
                      f"article {n}: the {name} block has no author line; add the authors as printed in "
                      f"{name} or confirm that the print lacks them", block.first_line, f"{where}.contributors")
        if block.title_guessed:
            found.add("extract.block.title-guess", "warning", f"article {n}: the {name} title "
                      f"'{' '.join(line.text for line in block.title)}' was taken from a line that could also be "
                      "an author or affiliation line; confirm it", block.title[0].number, f"{where}.titles.{lang}")
        if not block.keywords:
            found.add("extract.block.no-keywords", "warning",
                      f"article {n}: the {name} block has no keyword line; add the keywords or confirm that "
                      "the print lacks them", block.label.number, f"{where}.keywords.{lang}")
        elif block.keyword_language and block.keyword_language != lang:
            found.add("extract.block.label-language", "warning", f"article {n}: the {name} block's keywords are "
                      f"labelled in {_name(block.keyword_language)}", block.keywords[0].number,
                      f"{where}.keywords.{lang}")
        written = script_language(" ".join(line.text for line in block.abstract), hint=lang)
        if written and written != lang:
            found.add("extract.block.language", "warning", f"article {n}: the abstract labelled in {name} is written "
                      f"in {_name(written)}; check the label and the text", block.label.number,
                      f"{where}.abstracts.{lang}")
        if block.dois and block.abstract and block.abstract[0].number < block.dois[0].number < block.abstract[-1].number:
            found.add("extract.doi.inside-abstract", "info", f"article {n}: a DOI line interrupts the {name} abstract; "
                      "it was taken out of the abstract", block.dois[0].number, f"{where}.abstracts.{lang}")


def _doi_findings(n: int, draft: ArticleDraft, issue: Issue, found: _Findings) -> None:
    where = f"articles[{n - 1}].doi"
    seen = set()
    for printed, line in draft.printed_dois:
        check = ids.doi(printed)
        if not check.ok:
            found.add("extract.doi.invalid", "error", f"article {n}: {check.message}", line.number, where)
            continue
        if re.search(r"doi\.org/\s+10\.", printed, re.IGNORECASE):
            found.add("extract.doi.space", "info",
                      f"article {n}: the DOI is printed with a space after 'doi.org/' ({printed!r}); "
                      f"read as {check.value}", line.number, where)
        if check.value in seen:
            continue
        seen.add(check.value)
        if check.value != draft.article.doi:
            found.add("extract.doi.conflict", "warning", f"article {n} prints a second DOI {check.value}; the first, "
                      f"{draft.article.doi}, was kept", line.number, where)
    expected = expand_doi_pattern(issue.doi_pattern, issue, n) if issue.doi_pattern else None
    if expected is not None and draft.article.doi and not ids.same_doi(expected, draft.article.doi):
        at = draft.printed_dois[0][1].number if draft.printed_dois else draft.first_line
        found.add("extract.doi.pattern", "warning",
                  f"article {n}: the printed DOI {draft.article.doi} breaks the issue's pattern, which "
                  f"gives {expected} for position {n}; check which is right", at, where)
    if not draft.article.doi:
        if issue.doi_pattern:
            found.add("extract.doi.missing", "info", f"article {n} prints no DOI; the issue's pattern gives "
                      f"{expected} — confirm it was registered", draft.first_line, where)
        else:
            found.add("extract.doi.missing", "warning", f"article {n} prints no DOI and no pattern fits the issue's "
                      "printed DOIs; add it", draft.first_line, where)


def _content_findings(n: int, draft: ArticleDraft, found: _Findings) -> None:
    where = f"articles[{n - 1}]"
    article = draft.article
    if article.citations and not article.references:
        found.add("extract.citations.no-references", "warning", f"article {n} cites sources "
                  f"[{_ranges(article.citations)}] but the text has no reference list; add the references from the "
                  "publisher's copy", draft.citations[0].line, f"{where}.references")
    for statement in draft.funding:
        if not statement.awards:
            found.add("extract.funding.no-award", "warning", f"article {n}: the funding statement names no award "
                      "number; add it if the grant has one", statement.line, f"{where}.funding")
        for shown in dict.fromkeys(statement.printed_awards):
            award = funding.normalise_award(shown)
            if shown not in statement.awards and _NUMBER_SIGN.sub("", shown).replace(" ", "") != award:
                found.add("extract.funding.award-printed", "warning", f"article {n}: the award number is printed "
                          f"{shown!r}; read as {award} — confirm it", statement.line, f"{where}.funding")
    if draft.pages:
        pages = ", ".join(str(p.page) for p in draft.pages)
        found.add("extract.pages", "info", f"article {n} spans printed page(s) {pages} (from the page numbers that "
                  "survive in the text); its first and last page are not given — add pages from the print",
                  draft.pages[0].line, f"{where}.pages")
    if len(draft.reference_lists) > 1:
        others = ", ".join(f"'{r.heading}' (line {r.line})" for r in draft.reference_lists[1:])
        found.add("extract.references.more-lists", "info",
                  f"article {n} prints more than one reference list; the first, '{draft.reference_lists[0].heading}', "
                  f"was taken, not {others}", draft.reference_lists[0].line, f"{where}.references")
    for lang, block in draft.blocks.items():
        for part, field_name, block_lines in (("title", "titles", block.title), ("abstract", "abstracts", block.abstract),
                                              ("keywords", "keywords", block.keywords)):
            _repeats(n, lang, part, block_lines, found, f"{where}.{field_name}.{lang}")
    for statement in draft.funding:
        for match in _REPEAT.finditer(statement.text):
            found.add("extract.text.repeated", "warning", f"article {n}: the funding statement repeats "
                      f"'{match.group(1)}'; check the print", statement.line, f"{where}.funding")


def _repeats(n: int, lang: str, part: str, block_lines: list[Line], found: _Findings, path: str) -> None:
    text = "\n".join(line.text for line in block_lines)
    for match in _REPEAT.finditer(text):
        phrase = match.group(1)
        if phrase.isdigit():
            continue
        line = block_lines[text.count("\n", 0, match.start())].number
        found.add("extract.text.repeated", "warning", f"article {n}: the {_name(lang)} {part} repeats '{phrase}' "
                  f"('{' '.join(match.group(0).split())}'); check the print", line, path)


def _ranges(numbers: list[int]) -> str:
    """``1-3, 5`` for distinct sorted numbers."""
    runs = [[number for _, number in run] for _, run in groupby(enumerate(numbers), lambda item: item[1] - item[0])]
    return ", ".join(str(run[0]) if len(run) == 1 else f"{run[0]}-{run[-1]}" for run in runs)


def _lint_findings(issue: Issue, drafts: list[ArticleDraft], found: _Findings) -> None:
    """The manifest's own editorial rules on keywords and titles, placed at source lines."""
    for problem in [*lint.keyword_counts(issue), *lint.unrelated_keywords(issue), *lint.original_titles(issue)]:
        found.items.append(Problem(problem.code, problem.severity, problem.message, path=problem.path,
                                   file=found.file, line=_source_line(problem.path, drafts)))


_PATH = re.compile(r"^articles\[(\d+)\](?:\.(\w+)(?:\.(\w+))?)?")


def _source_line(path: str | None, drafts: list[ArticleDraft]) -> int | None:
    match = _PATH.match(path or "")
    if not match:
        return None
    draft = drafts[int(match.group(1))]
    part, lang = match.group(2), match.group(3)
    block = draft.blocks.get(lang or "")
    if block is not None:
        lines = {"keywords": block.keywords, "titles": block.title, "abstracts": block.abstract}.get(part or "")
        return lines[0].number if lines else block.label.number
    return draft.first_line
