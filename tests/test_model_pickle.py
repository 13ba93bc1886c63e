"""Model objects pickle as their class and field values (how a build spools its articles)."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from biblio import model


def _objects(value):
    """Every model object inside ``value``."""
    if dataclasses.is_dataclass(value):
        yield value
        for item in dataclasses.fields(value):
            yield from _objects(getattr(value, item.name))
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _objects(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _objects(item)


def _generated(n):
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("bench_generate", Path(__file__).parent.parent / "bench" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    return generate.issue(n)


@pytest.mark.parametrize("source", ["example", "generated"])
def test_an_issue_comes_back_equal_field_for_field(source, example_issue):
    issue = example_issue if source == "example" else _generated(3)
    again = pickle.loads(pickle.dumps(issue, protocol=pickle.HIGHEST_PROTOCOL))
    assert again == issue
    kinds = set()
    for before, after in zip(_objects(issue), _objects(again), strict=True):
        assert type(before) is type(after)
        assert vars(before) == vars(after)  # every attribute, not only what equality looks at
        kinds.add(type(before))
    assert {model.Article, model.LangText, model.Contributor} <= kinds
    if source == "generated":
        assert {model.Reference, model.Funding, model.PersonName} <= kinds


def test_an_object_shared_twice_stays_shared():
    text = model.LangText({"kk": "Атауы", "en": "Title"}, "kk")
    again = pickle.loads(pickle.dumps([text, text]))
    assert again[0] is again[1] and again[0].original == "kk"


def test_every_model_class_pickles_as_arguments():
    classes = [value for value in vars(model).values()
               if isinstance(value, type) and dataclasses.is_dataclass(value) and value.__module__ == model.__name__]
    assert len(classes) >= 17
    for cls in classes:
        assert "__reduce__" in vars(cls), cls


def test_a_class_whose_init_does_more_than_assign_is_refused():
    @dataclasses.dataclass
    class Checked:
        value: str

        def __post_init__(self):
            self.value = self.value.strip()
    with pytest.raises(TypeError, match="just assigns"):
        model._pickled_as_arguments(Checked)


def test_a_subclass_or_an_extra_attribute_pickles_and_copies_the_default_way():
    import copy

    class Marked(model.PersonName):
        pass
    marked = Marked("Doe", "J")
    plain = model.PersonName("Doe", "J")
    plain.note = "kept"
    for original in (marked, plain):
        for again in (copy.copy(original), copy.deepcopy(original)):
            assert type(again) is type(original) and vars(again) == vars(original)
    again = pickle.loads(pickle.dumps(plain))
    assert again.note == "kept" and again == plain
