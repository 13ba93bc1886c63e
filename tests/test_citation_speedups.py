"""The shortcuts the citation writers take for speed give what the plain code gave."""

import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from biblio.formats import bibtex, csl, ris, textfiles


@pytest.mark.parametrize("seed", range(20))
def test_not_carried_groups_give_what_ordered_sets_gave(seed):
    rng = random.Random(seed)
    kinds = [f"kind {n}" for n in range(8)]
    ordered: dict[str, dict[int, None]] = {}
    grouped = textfiles.NotCarried()
    for index in range(rng.randint(0, 40)):
        met = [rng.choice(kinds) for _ in range(rng.randint(0, 6))]  # repeats, as writers drop per person
        for what in met:
            ordered.setdefault(what, {})[index] = None
        grouped.add(index, met)
    assert grouped.items() == [(what, list(indexes)) for what, indexes in ordered.items()]


@pytest.mark.parametrize("seed", range(10))
def test_not_carried_with_one_group_gives_what_ordered_sets_gave(seed):
    rng = random.Random(seed)
    met = [rng.choice(["a", "b", "c"]) for _ in range(rng.randint(1, 5))]  # may repeat a kind
    ordered: dict[str, dict[int, None]] = {}
    grouped = textfiles.NotCarried()
    for index in sorted(rng.sample(range(60), rng.randint(1, 30))):
        for what in met:
            ordered.setdefault(what, {})[index] = None
        grouped.add(index, list(met))
    assert len(grouped.groups) == 1
    assert grouped.items() == [(what, list(indexes)) for what, indexes in ordered.items()]
    first, second = grouped.items(), grouped.items()
    first[0][1].append(-1)  # each kind has a list of its own
    assert second[0][1][-1] != -1


def test_not_carried_takes_unordered_kinds():
    grouped = textfiles.NotCarried()
    grouped.add(0, {"b", "a"})
    grouped.add(2, {"a"})
    assert sorted(grouped.items()) == [("a", [0, 2]), ("b", [0])]


@pytest.mark.parametrize("text", ["a  b", " a\tb ", "a\n\nb", "a\x0bb", "a\xa0 b", "a\u2028b", "x\x01  y", "", "  "])
def test_bibtex_squash_as_the_regular_expression_does(text):
    assert bibtex.squash(text) == bibtex._SPACE.sub(" ", text).strip()


@pytest.mark.parametrize("text", ["a  b", "a\tb", "a\u2028b", "a\x7fb", "a\xa0b", " x "])
def test_ris_one_line_of_printable_text(text):
    expected = ris._BREAKS.sub(" ", ris._CONTROL.sub("", text)).strip()
    assert ris.one_line(text) == expected
    if text.isprintable():
        assert ris._one_printable_line(text) == expected


def test_not_carried_takes_a_tuple_as_it_is():
    grouped = textfiles.NotCarried()
    grouped.add(1, ("b", "a"))
    grouped.add(3, ["b", "b", "a"])
    assert grouped.items() == [("b", [1, 3]), ("a", [1, 3])]


_JSON_VALUES = st.recursive(
    st.one_of(st.text(), st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False)),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)),
    max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(value=_JSON_VALUES, depth=st.integers(0, 3))
def test_csl_json_is_what_the_standard_library_writes(value, depth):
    parts: list[str] = []
    csl._json(value, depth, parts)
    expected = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * depth)
    assert "".join(parts) == expected
