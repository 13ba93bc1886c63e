"""JSON manifests read with lazy positions: same data, problems and positions as the YAML reading."""

from __future__ import annotations

import json
import os

from biblio import api, manifest, yamlsource
from biblio.yamlsource import parse


def _paths(data, prefix=()):
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, prefix + (index,))


def _json_text(example_path) -> str:
    issue, _ = manifest.load(example_path)
    text = manifest.dumps(issue, as_json=True)
    # a little of everything JSON allows: \r\n, tabs, escapes, numbers written with a fraction
    data = json.loads(text)
    data["issue"]["volume"] = 1.10
    text = json.dumps(data, ensure_ascii=False, indent="\t").replace('"1.1"', "1.10").replace("1.1,", "1.10,")
    return text.replace("\n", "\r\n", 5)


def test_lazy_positions_equal_the_yaml_reading(example_path, tmp_path):
    text = _json_text(example_path)
    eager, eager_problems = parse(text, "issue.json")
    lazy, lazy_problems = parse(text, "issue.json", lazy=True)
    assert eager is not None and lazy is not None and lazy.locator is not None
    assert lazy.data == eager.data and lazy_problems == eager_problems == []
    paths = list(_paths(eager.data))
    assert len(paths) > 500
    for path in paths:
        assert lazy.where(path) == eager.where(path), path
        assert lazy.where(path, key=True) == eager.where(path, key=True), path
    # a path that does not exist falls back to the nearest one that does, as the YAML reading does
    for missing in [("articles", 0, "nope", "deeper"), ("articles", 99), ("nope",), ("journal", "titles", "xx")]:
        assert lazy.where(missing) == eager.where(missing)

    # top-level keys asked first
    top_level = [(key,) for key in eager.data]
    fresh, _ = parse(text, "issue.json", lazy=True)
    for path in top_level:
        assert fresh.where(path) == eager.where(path) and fresh.where(path, key=True) == eager.where(path, key=True)
    assert fresh.where(("nope",)) == eager.where(("nope",))

    # after release() the positions come from the file
    file = tmp_path / "issue.json"
    file.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    lazy2, _ = parse(text, "issue.json", lazy=True)
    lazy2.release(file)
    assert lazy2.locator.text is None
    for path in top_level:
        assert lazy2.where(path) == eager.where(path) and lazy2.where(path, key=True) == eager.where(path, key=True)
    for path in paths[::7]:
        assert lazy2.where(path) == eager.where(path), path
    # a file changed since: no line rather than a wrong one
    file.write_text(text + " ", encoding="utf-8")
    os.utime(file, ns=(1, 1))
    assert lazy2.where(paths[-1])["line"] is None


def test_json_manifest_loads_like_yaml(example_path, tmp_path):
    issue, _ = manifest.load(example_path)
    text = manifest.dumps(issue, as_json=True)
    file = tmp_path / "issue.json"
    file.write_text(text, encoding="utf-8")
    lazy_issue, lazy_problems = api.check(file)
    yaml_file = tmp_path / "issue.yaml"  # the same JSON read the YAML way (JSON is YAML)
    yaml_file.write_text(text, encoding="utf-8")
    eager_issue, eager_problems = api.check(yaml_file)
    assert lazy_issue == eager_issue
    assert [(p.code, p.line, p.column, p.path) for p in lazy_problems] == \
        [(p.code, p.line, p.column, p.path) for p in eager_problems]


def test_numbers_keep_their_text_and_repeated_keys_are_reported(minimal_text):
    data = yamlsource.parse(minimal_text, "m.yaml")[0].data
    data["issue"]["volume"] = "VOLUME"
    text = json.dumps(data, indent=2).replace('"VOLUME"', "1.10")
    issue, problems = manifest.loads(text, "m.json")
    assert issue is not None and issue.volume == "1.10"
    repeated = text.replace('"year": 2025', '"year": 2025,\n    "year": 2026')
    issue, problems = manifest.loads(repeated, "m.json")
    line = next(n for n, text in enumerate(repeated.splitlines(), 1) if '"year": 2026' in text)
    assert [(p.code, p.line) for p in problems if p.severity == "error"] == [("manifest.duplicate-key", line)]
