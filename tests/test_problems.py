"""Problems as data, and how they are worded."""

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
