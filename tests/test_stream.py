"""``biblio.stream`` hands a manifest's articles out one at a time, the same articles and
problems ``biblio.load`` gives, reading a JSON manifest lazily."""

from __future__ import annotations

import json

import biblio
from biblio import manifest


def _as_json(example_path, tmp_path):
    issue, _ = biblio.load(example_path)
    path = tmp_path / "issue.json"
    biblio.dump(issue, path)
    return path


def _key(problem):
    return json.dumps(problem.to_dict(), sort_keys=True)


def test_a_json_manifest_streams_the_articles_load_gives(example_path, tmp_path):
    path = _as_json(example_path, tmp_path)
    loaded, load_problems = biblio.load(path)
    streamed = biblio.stream(path)
    articles = list(streamed)
    assert articles == loaded.articles and len(articles) == 10
    assert streamed.issue.journal == loaded.journal and streamed.issue.settings == loaded.settings
    assert streamed.issue.articles == []
    assert sorted(map(_key, streamed.problems)) == sorted(map(_key, load_problems))
    assert any(p.code == "doi.assigned" and p.line for p in streamed.problems)


def test_a_yaml_manifest_is_loaded_whole_then_handed_out(example_path):
    loaded, load_problems = biblio.load(example_path)
    streamed = biblio.stream(example_path)
    assert list(streamed) == loaded.articles
    assert streamed.problems == load_problems


def test_an_article_with_a_mistake_is_kept_as_load_keeps_it_with_its_located_error(example_path, tmp_path):
    path = _as_json(example_path, tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["articles"][4]["pages"] = {"first": "x", "last": []}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    streamed = biblio.stream(path)
    first = next(iter(streamed))
    assert first.doi.endswith(".001")
    assert not any(p.path and p.path.startswith("articles[4]") for p in streamed.problems)  # not read yet
    rest = list(streamed)
    loaded, whole_problems = manifest.load(path)
    assert [first, *rest] == loaded.articles
    errors = [p for p in streamed.problems if p.severity == "error"]
    assert errors and all(p.path.startswith("articles[4].pages") and p.line for p in errors)
    assert {_key(p) for p in errors} <= {_key(p) for p in whole_problems}


def test_an_article_that_gives_a_key_twice_is_left_out_and_the_rest_are_read(example_path, tmp_path):
    path = _as_json(example_path, tmp_path)
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    third = json.dumps(data["articles"][2], ensure_ascii=False)
    data["articles"][2] = "THIRD"
    twice = third.replace('"titles":', '"titles": {"en": "a first title"}, "titles":', 1)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2).replace('"THIRD"', twice), encoding="utf-8")
    streamed = biblio.stream(path)
    articles = list(streamed)
    assert len(articles) == 9 and not any(p.code == "manifest.changed" for p in streamed.problems)
    repeated = [p for p in streamed.problems if p.code == "manifest.duplicate-key"]
    assert len(repeated) == 1 and "'titles'" in repeated[0].message
    assert repeated[0].path == "articles[2]" and repeated[0].line


def test_a_manifest_with_a_mistake_outside_the_articles_is_read_whole(example_path, tmp_path):
    path = _as_json(example_path, tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["journal"]["unknown"] = 1
    path.write_text(json.dumps(data), encoding="utf-8")
    streamed = biblio.stream(path)
    assert any(p.code == "manifest.unknown-key" for p in streamed.problems)
    assert streamed.problems == manifest.load(path)[1]


def test_iter_read_of_a_missing_or_unknown_file_is_problems_not_an_exception(tmp_path):
    reading = biblio.iter_read(tmp_path / "nothing.ris")
    assert list(reading) == [] and reading.issue is None
    assert [p.code for p in reading.problems] == ["read.io"]
    odd = tmp_path / "odd.txt"
    odd.write_text("not a bibliography\n", encoding="utf-8")
    reading = biblio.iter_read(odd)
    assert list(reading) == [] and [p.code for p in reading.problems] == ["read.format"]


def test_a_stream_closed_early_lets_go_of_the_file(example_path, tmp_path):
    import os

    path = _as_json(example_path, tmp_path)
    before = set(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None
    with biblio.stream(path) as streamed:
        first = next(iter(streamed))
    assert first.doi.endswith(".001")
    assert list(streamed) == []  # closed: nothing more is read
    if before is not None:
        assert set(os.listdir("/proc/self/fd")) <= before
