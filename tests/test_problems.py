"""Problems as data, and how they are worded."""

from hypothesis import given, settings
from hypothesis import strategies as st

from biblio.problems import Problem, article_numbers, counts, has_errors


def test_article_numbers_read_like_an_editor_counts():
    assert article_numbers([2]) == "article 3"
    assert article_numbers([0, 1, 2, 3, 6]) == "articles 1-4, 7"
    assert article_numbers([9, 1, 4, 6]) == "articles 2, 5, 7, 10"


def test_problem_location_and_counts():
    problem = Problem("x.y", "warning", "msg", path="articles[0]", file="f.yaml", line=3)
    assert problem.location == "f.yaml:3 articles[0]"
    assert problem.to_dict() == {"code": "x.y", "severity": "warning", "message": "msg", "path": "articles[0]",
                                 "file": "f.yaml", "line": 3}
    assert counts([problem]) == {"error": 0, "warning": 1, "info": 0}
    assert not has_errors([problem])


def _numbers_one_by_one(indexes):
    numbers = sorted({i + 1 for i in indexes})
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    spans = [str(run[0]) if len(run) == 1 else f"{run[0]}-{run[-1]}" for run in runs]
    return ("article " if len(numbers) == 1 else "articles ") + ", ".join(spans)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 40), max_size=30) | st.integers(0, 30).flatmap(
    lambda start: st.integers(1, 30).map(lambda count: list(range(start, start + count)))))
def test_article_numbers_as_counted_one_by_one(indexes):
    assert article_numbers(indexes) == _numbers_one_by_one(indexes)


def test_a_message_quoting_control_characters_shows_them_as_escapes():
    problem = Problem("ris.tag-syntax", "error", "'AU\x07 - x\x1b[31m' is not a tag line; \ud800 here\tand\nthere\r")
    assert problem.message == "'AU\\x07 - x\\x1b[31m' is not a tag line; \\ud800 here\tand\nthere\\r"
    assert str(problem).encode("utf-8")  # printable: no lone surrogate left
    assert Problem("a", "info", "plain text, «quoted», Қазақ").message == "plain text, «quoted», Қазақ"
