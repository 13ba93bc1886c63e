"""The fast paths behind the writers' speed give the answers of the slow ones they replace.

No timings here (the benchmark in bench/ measures speed): these tests pin the exactness
of each shortcut, and that the work per article does not grow with the issue.
"""

import copy
import sys
from pathlib import Path

import jsonschema
import pytest

import biblio
from biblio import derive, schemas
from biblio.formats import bibtex, crossref, csl, ris

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import generate  # bench/generate.py: the synthetic articles of the benchmark


@pytest.fixture(scope="module")
def synthetic():
    return generate.issue(12)


@pytest.fixture(scope="module")
def csl_schema():
    try:
        return schemas.csl_data_schema()
    except schemas.SchemasUnavailable:
        pytest.skip("the CSL schema is not available")


def _mutations(item: dict) -> list:
    """Items that break the schema each in another way, and some that only look odd."""
    broken = []

    def variant(change):
        copied = copy.deepcopy(item)
        change(copied)
        broken.append(copied)

    variant(lambda i: i.update(type="journal-article"))  # not in the enum
    variant(lambda i: i.update(type=7))
    variant(lambda i: i.pop("id"))  # required
    variant(lambda i: i.pop("type"))
    variant(lambda i: i.update(id=True))  # a boolean is not a number
    variant(lambda i: i.update(id=3.5))  # a number is fine
    variant(lambda i: i.update(orcid="0000-0002-1825-0097"))  # no such field
    variant(lambda i: i.update(title=["a list"]))
    variant(lambda i: i["author"][0].update(affiliation="Somewhere"))  # a name has no such key
    variant(lambda i: i["author"][0].update(family=None))
    variant(lambda i: i["author"].append("Smith, J."))
    variant(lambda i: i.update(author={"family": "Smith"}))
    variant(lambda i: i["author"][0].update({"comma-suffix": False, "parse-names": 1}))  # allowed types
    variant(lambda i: i["issued"].update({"date-parts": [[2025, 1, 2, 3]]}))  # maxItems 3
    variant(lambda i: i["issued"].update({"date-parts": []}))  # minItems 1
    variant(lambda i: i["issued"].update({"date-parts": [[2025], [2026], [2027]]}))  # maxItems 2
    variant(lambda i: i["issued"].update({"date-parts": [["2025", 1.0]]}))  # strings and numbers
    variant(lambda i: i["issued"].update({"date-parts": [[True]]}))
    variant(lambda i: i["issued"].update(season={"spring": 1}))
    variant(lambda i: i.update(issued="2025-06"))  # not an object
    variant(lambda i: i["custom"].update(anything={"goes": [1, None]}))  # custom is any object
    variant(lambda i: i.update(custom=[]))
    variant(lambda i: i.update(categories=["a", 2]))
    return broken


def test_compiled_csl_check_agrees_with_jsonschema(synthetic, example_path, csl_schema):
    example, _ = biblio.load(example_path)
    items = csl.items(example)[0] + csl.items(synthetic, lang="en")[0]
    reference = jsonschema.Draft7Validator(csl_schema)
    check = csl._compiled(csl_schema)
    assert check is not None
    candidates = [items, [], {}, "text", None, *[[broken] for item in items[:3] for broken in _mutations(item)]]
    verdicts = set()
    for candidate in candidates:
        verdict = reference.is_valid(candidate)
        assert check(candidate) == verdict, candidate
        verdicts.add(verdict)
    assert verdicts == {True, False}


def test_an_invalid_file_is_still_reported_with_its_line(tmp_path, example_path):
    example, _ = biblio.load(example_path)
    text = csl.dumps(example)[0].replace('"type": "article-journal"', '"type": "journal-article"', 1)
    path = tmp_path / "articles.csl.json"
    path.write_text(text, encoding="utf-8")
    problems = csl.validate(path)
    assert [p.code for p in problems] == ["csl.schema"]
    assert problems[0].line == 4 and problems[0].path == "[0].type"


def test_unsupported_schema_keywords_fall_back_to_jsonschema():
    assert csl._compiled({"type": "array", "items": {"pattern": "^a"}}) is None
    assert csl._compiled({"type": "array", "items": {"$ref": "#/definitions/missing"}}) is None
    assert csl._compiled({"items": {"enum": [1, "a"]}}) is None


def test_fill_pattern_matches_a_regex_substitution():
    values = {"prefix": "10.1234", "year": "2025", "seq": "7", "number": None}
    assert derive.fill_pattern("{prefix}/x.{year}.{seq:03}", values) == "10.1234/x.2025.007"
    assert derive.fill_pattern("no placeholder", values) == "no placeholder"
    for pattern, missing in (("{prefix}/{number}", "number"), ("{prefix}/{nope}", "nope"), ("a{}b", "")):
        with pytest.raises(KeyError) as raised:
            derive.fill_pattern(pattern, values)
        assert raised.value.args == (missing,)


def test_tex_escape_fast_path_equals_the_character_rules():
    cases = {
        "plain text": "plain text", "Қазақ  тілі\n": "Қазақ тілі", "50% & $5 #1 a_b": r"50\% \& \$5 \#1 a\_b",
        "{paired}": r"\{paired\}", "}unpaired{": r"\textbraceright{}unpaired\textbraceleft{}",
        "a---b": "a-{}-{}-b", "''quoted'' ``x``": "'{}'quoted'{}' `{}`x`{}`", "!`?`": "!{}`?{}`",
        "back\\slash ~ ^": r"back\textbackslash{}slash \textasciitilde{} \textasciicircum{}",
        "-\t-": "- -", "\u00a0no\u00a0break\u00a0": "no\u00a0break",
    }
    for text, escaped in cases.items():
        assert bibtex.tex_escape(text) == escaped, text


def _calls(function, *args, **kwargs) -> int:
    """How many Python function calls ``function`` makes: a count of work that timing noise cannot blur."""
    count = 0

    def profiler(frame, event, arg):
        nonlocal count
        if event == "call":
            count += 1

    sys.setprofile(profiler)
    try:
        function(*args, **kwargs)
    finally:
        sys.setprofile(None)
    return count


@pytest.mark.parametrize("write", [
    lambda issue: crossref.deposit(issue, timestamp=1), lambda issue: bibtex.dumps(issue),
    lambda issue: ris.dumps(issue), lambda issue: csl.dumps(issue)], ids=["crossref", "bibtex", "ris", "csl"])
def test_work_per_article_does_not_grow_with_the_issue(write):
    small, large = generate.issue(10), generate.issue(40)
    assert _calls(write, large) <= 4.4 * _calls(write, small)
