from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "issue-86" / "issue.yaml"


@pytest.fixture
def example_path() -> Path:
    return EXAMPLE


@pytest.fixture(scope="session")
def seed_lines() -> list[str]:
    """The seed issue's text as lines (line n is ``seed_lines[n - 1]``); read-only."""
    from seeds import ISSUE_TEXT

    return ISSUE_TEXT.read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="session")
def example_issue():
    """The example issue as loaded, shared by tests that only read it."""
    import biblio

    issue, problems = biblio.load(EXAMPLE)
    assert issue is not None, problems
    return issue


MINIMAL = """\
biblio: 1
journal:
  language: en
  titles: {en: Journal of Tests}
  doi_prefix: '10.1234'
issue:
  year: 2025
  number: '2'
  doi_pattern: '{prefix}/jt.{year}.{number}.{seq:03}'
articles:
  - language: en
    titles: {en: A first article}
  - language: kk
    titles: {kk: Екінші мақала, en: A second article}
"""


@pytest.fixture
def minimal_text() -> str:
    return MINIMAL
