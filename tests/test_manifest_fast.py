"""The fast reading of clean objects (``manifest._fast_object``) gives exactly the issue and the
problems of the step-by-step reading, on clean manifests and on manifests broken at random."""

from __future__ import annotations

import copy
import importlib.util
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from biblio import manifest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def step_by_step(monkeypatch):
    """Turns the fast reading off while it is called."""
    def read(text: str, file: str = "<manifest>"):
        with monkeypatch.context() as patch:
            patch.setattr(manifest, "_fast_object", lambda name: lambda value: manifest._MISS)
            return manifest.loads(text, file)
    return read


def _generated_text(n: int) -> str:
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    return manifest.dumps(generate.issue(n), as_json=True)


def _same(text: str, step_by_step, file: str = "issue.json") -> tuple:
    fast = manifest.loads(text, file)
    slow = step_by_step(text, file)
    assert fast[0] == slow[0]
    assert [p.to_dict() for p in fast[1]] == [p.to_dict() for p in slow[1]]
    return fast


def test_the_example_reads_the_same_both_ways(example_path, step_by_step):
    text = Path(example_path).read_text(encoding="utf-8")
    issue, problems = _same(text, step_by_step, "issue.yaml")
    assert issue is not None and problems  # YAML: dates, numbers typed bare, the example's own warnings
    as_json = manifest.dumps(issue, as_json=True)
    _same(as_json, step_by_step)


def test_a_generated_issue_reads_the_same_both_ways(step_by_step):
    issue, _ = _same(_generated_text(5), step_by_step)
    assert len(issue.articles) == 5


_GENERATED = json.loads(_generated_text(2))
_ODD_VALUES = ["", " ", "x", 0, 7, -1, True, None, [], {}, ["", "a"], {"en": ""}, {"EN": "a", "en": "b"},
               {"xx-!": "a"}, "2025-13-40", "2025-06", {"first": "1"}, [{"kk": {"family": "A"}}]]


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, path + (index,))


_ALL_PATHS = [path for path in _paths(_GENERATED["articles"][0]) if path]


def _apply(data: dict, edits: list[tuple[int, int, int]]) -> dict:
    article = copy.deepcopy(data["articles"][0])
    for which, action, odd in edits:
        path = _ALL_PATHS[which % len(_ALL_PATHS)]
        parent = article
        try:
            for key in path[:-1]:
                parent = parent[key]
            last = path[-1]
            if action == 0:
                del parent[last]
            elif action == 1:
                parent[last] = copy.deepcopy(_ODD_VALUES[odd % len(_ODD_VALUES)])
            elif isinstance(parent, dict):
                parent["unknown_key"] = 1
        except (KeyError, IndexError, TypeError):
            continue
    return {**data, "articles": [article, data["articles"][1]]}


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 2), st.integers(0, 100)), min_size=1, max_size=4))
def test_articles_broken_at_random_read_the_same_both_ways(edits):
    text = json.dumps(_apply(_GENERATED, edits), ensure_ascii=False, indent=1)
    fast = manifest.loads(text, "issue.json")
    original = manifest._fast_object
    manifest._fast_object = lambda name: lambda value: manifest._MISS
    try:
        slow = manifest.loads(text, "issue.json")
    finally:
        manifest._fast_object = original
    assert fast[0] == slow[0]
    assert [p.to_dict() for p in fast[1]] == [p.to_dict() for p in slow[1]]


def test_a_reading_is_published_for_other_threads_only_once_complete(monkeypatch):
    monkeypatch.setattr(manifest, "_FAST_OBJECTS", {})
    seen_while_making = []
    real = manifest._fast_reader

    def watched(kind):
        seen_while_making.append(set(manifest._FAST_OBJECTS))
        return real(kind)

    monkeypatch.setattr(manifest, "_fast_reader", watched)
    manifest._fast_object("Article")
    assert seen_while_making and all(not seen for seen in seen_while_making)
    assert {"Article", "Contributor", "Reference"} <= set(manifest._FAST_OBJECTS)
    assert manifest._FAST_MAKING == {}
