"""The shortcuts the BibTeX writer and validator take for speed give what the plain code gives.

Each test checks a fast function against a straightforward reference written here.
"""

import copy
import re
import sys
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from biblio import derive
from biblio.formats import bibtex
from biblio.model import Article, Contributor, LangText, PersonName

# Characters the shortcuts look at, next to letters of several scripts and odd whitespace.
_TRICKY = list("aZ9 Қяё{}\\&%$#_~^`'-!?,;.\n\t\r\f\x0b\x1c\xa0\u2003\u2028\u0483\u0301éßøł")
TEXT = st.one_of(st.text(alphabet=st.sampled_from(_TRICKY), max_size=40), st.text(max_size=40))
WORDS = st.lists(st.one_of(TEXT, st.from_regex(r"[a-zа-яқ]{1,8}( [a-zа-яқ0-9]{1,8}){0,3}", fullmatch=True)),
                 max_size=6)


def reference_squash(text: str) -> str:
    return re.sub(r"[ \t\n\r\f\v]+", " ", text).strip()


def reference_tex_escape(text: str) -> str:
    """tex_escape as the module documents it: squash, escape specials, break ligature pairs."""
    text = reference_squash(text)
    depth, paired = 0, True
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        paired = paired and depth >= 0
    paired = paired and depth == 0
    table = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "\\": r"\textbackslash{}",
             "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
             "{": r"\{" if paired else r"\textbraceleft{}", "}": r"\}" if paired else r"\textbraceright{}"}
    escaped = "".join(table.get(char, char) for char in text)
    return re.sub(r"-(?=-)|'(?=')|`(?=`)|!(?=`)|\?(?=`)", r"\g<0>{}", escaped)


def reference_keywords(words: list[str]) -> str:
    escaped = []
    for word in words:
        word = reference_tex_escape(word)
        if word:
            escaped.append(word.replace(",", "{,}").replace(";", "{;}"))
    return ", ".join(escaped)


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_tex_escape_as_the_reference(text):
    assert bibtex.tex_escape(text) == reference_tex_escape(text)


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_needs_escape_as_one_regular_expression(text):
    assert bibtex._needs_escape(text) == bool(re.search(r"[&%$#_\\~^{}`]|--|''", text))


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_plain_words_are_left_as_they_are(text):
    if bibtex._plain_words(text):
        assert reference_tex_escape(text) == text and "," not in text and ";" not in text


@settings(max_examples=300, deadline=None)
@given(WORDS)
def test_keywords_as_the_reference(words):
    assert bibtex._keywords_tex(words) == reference_keywords(words)


def test_letters_and_digits_are_never_space_special_or_separator():
    """tex_escape returns a text of letters and digits (str.isalnum) as it is: no such character
    is whitespace (for squash and strip), a TeX special, half a ligature pair, or a separator."""
    special = set("&%$#_\\~^{}`'-!?,;")
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if char.isalnum():
            assert not char.isspace() and char not in special, hex(code)
            assert char.strip() == char and re.sub(r"[ \t\n\r\f\v]+", "", char) == char


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_scan_special_as_the_character_class(text):
    assert bibtex._has_scan_special(text) == (re.search(r"[&%$#_^]", text) is not None)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=30))
def test_ascii_fold_of_ascii_keeps_the_letters_and_digits(text):
    assert bibtex.ascii_fold(text) == "".join(char for char in text.lower() if char.isalnum())


def test_the_cyrillic_class_holds_only_letters_that_are_not_latin():
    for code in range(0x10000):
        if bibtex._CYRILLIC_LETTER.match(chr(code)):
            assert chr(code).isalpha() and "LATIN" not in unicodedata.name(chr(code)), hex(code)


_LANGS = st.sampled_from(["en", "kk", "ru", "kk-Latn", "ru-Cyrl", "de", "kk-latn", "x-Latn-y", "zh-Hant"])
_NAME_TEXT = st.one_of(st.sampled_from(["Nassimov", "Насимов", "Müller", "Ли", "O'Neil", "Қасым", "李", "123", "",
                                        " ", "Ivanov Иван", "ﬀ"]), st.text(max_size=8))
_NAMES = st.dictionaries(_LANGS, st.builds(PersonName, _NAME_TEXT, st.one_of(st.none(), _NAME_TEXT)), max_size=4)


@settings(max_examples=400, deadline=None)
@given(_NAMES, _LANGS)
def test_main_spelling_is_the_one_derive_gives(names, language):
    contributor, article = Contributor(names=names), Article(language=language, titles=LangText())
    found = derive.latin_name(contributor) or derive.main_name(contributor, article)
    assert bibtex._main_spelling(contributor, article) is (found[1] if found else None)


def reference_entry_body(fields, width):
    """The entry after its key line, a field at a time."""
    if not fields:
        return "}\n"
    lines = []
    for name, value in fields:
        text = str(value)
        start = f"  {name}{' ' * (width - len(name))} = "
        lines.append(start + text if name == "month" else start + "{" + text + "}")
    return ",\n".join(lines) + "\n}\n"


_FIELD_NAME = st.one_of(st.sampled_from(bibtex._FIELD_NAMES), st.from_regex(r"[a-z%]{1,14}", fullmatch=True))
_VALUE = st.one_of(TEXT.filter(bool), TEXT.filter(bool).map(lambda text: bibtex._Escaped(bibtex._braced, text)),
                   st.lists(TEXT, min_size=1, max_size=3).map(lambda parts: bibtex._Escaped(bibtex._abstract_tex, parts)))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(_FIELD_NAME, _VALUE), max_size=8), st.integers(0, 16), st.text(max_size=12))
def test_entry_text_as_a_field_at_a_time(fields, width, key):
    body = reference_entry_body(fields, width)
    assert bibtex._entry_body(fields, width) == body
    assert bibtex._entry_text(key, fields, width) == f"@article{{{key},\n" + body
    assert bibtex._widest([fields, fields[:1]]) == max((len(name) for name, _ in fields), default=0)


def test_an_escaped_value_is_escaped_when_written():
    value = bibtex._Escaped(bibtex._abstract_tex, ["50% & more", "b--c"])
    assert str(value) == r"50\% \& more \par b-{}-c"


def test_a_kind_dropped_per_person_is_reported_once_per_article(example_issue):
    issue = copy.deepcopy(example_issue)
    people = issue.articles[1].contributors
    people += [Contributor(role="chair", names={"en": PersonName("Doe", "Jane")}),
               Contributor(role="reviewer", names={"en": PersonName("Roe", "Richard")}),
               Contributor(role="chair", names={"en": PersonName("Poe", "Edgar")})]
    writer = bibtex._Writer(issue, None)
    writer.entry(1)
    assert len(writer.made.dropped) == len(set(writer.made.dropped))
    assert writer.made.dropped[:2] == ("contributors in the role chair", "contributors in the role reviewer")
    _, problems = bibtex.dumps(issue)
    messages = [p.message for p in problems if "contributors in the role" in p.message]
    assert messages == ["BibTeX cannot carry contributors in the role chair (article 2)",
                        "BibTeX cannot carry contributors in the role reviewer (article 2)"]


@pytest.mark.parametrize("value", ["{a_b}", "{x & y}", "{50%}", "{$x}", "{a#b}", "{x^2}", "{plain}", "{\\_}"])
def test_clean_value_looks_at_the_same_specials(value):
    """A value without the six specials skips the exact check; one with them gets it."""
    specials, open_math = bibtex._unescaped_specials(value[1:-1])
    assert bibtex._clean_value("title", value) == (not specials and not open_math)
