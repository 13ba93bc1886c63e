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
from biblio.model import (
    Affiliation,
    Article,
    ArticleDates,
    Contributor,
    Funding,
    LangText,
    License,
    Pages,
    PartialDate,
    PersonName,
    Reference,
)
from biblio.problems import article_numbers

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
    for name, value in fields.items():
        text = str(value)
        start = f"  {name}{' ' * (width - len(name))} = "
        lines.append(start + text if name == "month" else start + "{" + text + "}")
    return ",\n".join(lines) + "\n}\n"


_FIELD_NAME = st.one_of(st.sampled_from(bibtex._FIELD_NAMES), st.from_regex(r"[a-z%]{1,14}", fullmatch=True))
_VALUE = st.one_of(TEXT.filter(bool), TEXT.filter(bool).map(lambda text: bibtex._Escaped(bibtex._braced, text)),
                   st.lists(TEXT, min_size=1, max_size=3).map(lambda parts: bibtex._Escaped(bibtex._abstract_tex, parts)))


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(_FIELD_NAME, _VALUE, max_size=8), st.integers(0, 16), st.text(max_size=12))
def test_entry_text_as_a_field_at_a_time(fields, width, key):
    body = reference_entry_body(fields, width)
    assert bibtex._entry_body(fields, width) == body
    assert bibtex._entry_text(key, fields, width) == f"@article{{{key},\n" + body
    assert bibtex._widest([fields, {}]) == max((len(name) for name in fields), default=0)


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


def reference_unique_keys(bases):
    """Each repeated base takes the first suffix (a, b, … aa, ab, …) no key has yet."""
    used = {base for base in bases if bases.count(base) == 1}
    keys = []
    for base in bases:
        if bases.count(base) == 1:
            keys.append(base)
            continue
        key = next(candidate for candidate in bibtex._suffixed(base) if candidate not in used)
        used.add(key)
        keys.append(key)
    return keys


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["x", "xa", "xb", "xab", "y", "ya", "xaa", "z"]), max_size=40))
def test_unique_keys_as_the_reference(bases):
    assert bibtex._unique_keys(bases) == reference_unique_keys(bases)


def reference_not_carried(article, text_lang, issue_kinds):
    """The kinds an entry leaves out, checked one by one in the order they are reported."""
    people = article.contributors
    checks = [
        ("titles in other languages", any(lang != text_lang for lang in article.titles.texts)),
        ("abstracts in other languages", len(article.abstracts.texts) > 1),
        ("keywords in other languages", len(article.keywords) > 1),
        ("author names in other languages and scripts",
         any(len(p.names) > 1 or (p.organization and len(p.organization.texts) > 1) for p in people)),
        ("the printed order of names (family name first)",
         any(name.order == "family-first" for p in people for name in p.names.values())),
        ("ORCID iDs", any(p.orcid for p in people)), ("affiliations", any(p.affiliations for p in people)),
        ("e-mail addresses and the corresponding-author flag", any(p.email or p.corresponding for p in people)),
        ("CRediT roles", any(p.credit for p in people)), ("funding", bool(article.funding)),
        ("reference lists", bool(article.references)), ("sections", bool(article.section)),
        ("in-text citation numbers", bool(article.citations)), ("licences", bool(article.license)),
        ("dates other than the publication date (received, accepted, online)",
         bool(article.dates.received or article.dates.accepted or (article.dates.online and article.dates.published))),
    ]
    return tuple(what for what, present in checks if present) + tuple(issue_kinds)


_DATE = st.one_of(st.none(), st.just(PartialDate(2024, 5)))
_PERSON = st.builds(
    Contributor, names=st.dictionaries(st.sampled_from(["en", "kk", "ru"]),
                                       st.builds(PersonName, st.just("Doe"), st.just("Jo"),
                                                 st.sampled_from(["given-first", "family-first"])), max_size=2),
    organization=st.one_of(st.none(), st.builds(LangText, st.dictionaries(st.sampled_from(["en", "kk"]),
                                                                          st.just("Org"), max_size=2))),
    orcid=st.one_of(st.none(), st.just("0000-0002-1825-0097")), email=st.one_of(st.none(), st.just("a@b.kz")),
    corresponding=st.booleans(), affiliations=st.lists(st.builds(Affiliation), max_size=1),
    credit=st.lists(st.just("writing"), max_size=1))
_TEXTS = st.dictionaries(st.sampled_from(["en", "kk", "ru"]), st.just("Text"), max_size=3)
_ARTICLE = st.builds(
    Article, language=st.sampled_from(["en", "kk"]), titles=st.builds(LangText, _TEXTS),
    abstracts=st.builds(LangText, _TEXTS), keywords=st.dictionaries(st.sampled_from(["en", "kk"]),
                                                                    st.just(["word"]), max_size=2),
    contributors=st.lists(_PERSON, max_size=4), section=st.one_of(st.none(), st.builds(LangText, _TEXTS)),
    funding=st.lists(st.builds(Funding), max_size=1), references=st.lists(st.builds(Reference), max_size=1),
    citations=st.lists(st.just(1), max_size=1), license=st.one_of(st.none(), st.builds(License, st.just("u"))),
    dates=st.builds(ArticleDates, _DATE, _DATE, _DATE, _DATE))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_ARTICLE, st.sampled_from(["en", "kk", "ru"])), min_size=1, max_size=5))
def test_not_carried_as_the_reference(example_issue, articles):
    """One writer over several articles: the kinds it remembers per combination stay right."""
    writer = bibtex._Writer(example_issue, None)
    issue_kinds = writer.not_carried_by_issue()
    for article, text_lang in articles:
        found = writer.check_not_carried(article, None, text_lang)  # type: ignore[arg-type]
        assert found == reference_not_carried(article, text_lang, issue_kinds)


def reference_key_word(title):
    first = ""
    for word in re.split(r"[\s\-–—/]+", title):
        word = bibtex.ascii_fold(word)
        if not word or word.isdigit():
            continue
        if len(word) >= 4:
            return word
        first = first or word
    return first


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["The", "of", "Қазақ", "2025", "a-b", "x/y", "—", "–", " ", "\u2003", "\n", "ab.cd",
                                 "Öl", "ﬁne", "-", "/", "data"]), max_size=8).map("".join))
def test_key_word_as_the_reference(title):
    article = Article(language="en", titles=LangText({"en": title}, "en"))
    assert bibtex._key_word(article) == reference_key_word(title)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(["", " ", "a", "a b", "a  b", " a", "a ", "\x00", "a\x00b", "қ1"]),
                          WORDS.map(" ".join)), max_size=5))
def test_a_plain_word_list_is_a_list_of_plain_words(words):
    assert bibtex._plain_word_list("\x00".join(words), len(words)) == (
        bool(words) and all(bibtex._plain_words(word) for word in words))
    assert bibtex._keywords_tex(words) == reference_keywords(words)


def test_empty_values_are_left_out(example_issue):
    issue = copy.deepcopy(example_issue)
    article = issue.articles[0]
    article.pages = Pages(" ", None, None)
    article.keywords = {lang: [" ", ""] for lang in article.keywords}
    issue.volume = " "
    fields = bibtex._Writer(issue, None).entry(0)
    assert all(fields.values()) and not {"pages", "keywords", "volume"} & set(fields)
    assert {"title", "year", "language"} <= set(fields)
    text, _ = bibtex.dumps(issue)
    assert "volume" not in text.split("\n\n")[0] and "keywords" not in text.split("\n\n")[0]


def reference_person_tex(name):
    family, given = reference_tex_escape(name.family), reference_tex_escape(name.given or "")
    if given:
        return f"{bibtex._name_part(family)}, {bibtex._name_part(given)}"
    if family.lower() == "and":
        return "{" + family[0] + "}" + family[1:]
    token = family.replace(" ", "{ }").replace(",", "{,}")
    return "{}" + token if bibtex._whole_group(token) else token


_NAME_PART = st.one_of(st.sampled_from(["And", "and", "AND", "Anders", "Ab", "A,B", "Қасым", "A-B", "", " ", "van der",
                                        "{X}", "Ｆ", "O'Neil", "x and y", "Ａnd"]), TEXT)


@settings(max_examples=500, deadline=None)
@given(_NAME_PART, st.one_of(st.none(), _NAME_PART))
def test_person_tex_as_the_reference(family, given):
    name = PersonName(family, given)
    assert bibtex.person_tex(name) == reference_person_tex(name)


def test_only_the_word_and_itself_needs_braces_among_letters_and_digits():
    """person_tex writes a one-word family and given name as they are unless one is "and" in
    some case: no other letter lower-cases to a, n or d, and "and" matches only itself."""
    assert [hex(code) for code in range(sys.maxunicode + 1)
            if chr(code).lower() in ("a", "n", "d") and chr(code) not in "aAnNdD"] == []
    for word in ("and", "AND", "aNd", "Anders", "Band", "an", "ands"):
        assert (bibtex._name_part(word) != word) == (word.lower() == "and")


@pytest.mark.parametrize("lang", [None, "en", "kk"])
def test_not_carried_wording_as_one_call_per_kind(example_issue, lang):
    issue = copy.deepcopy(example_issue)
    issue.articles[0].funding, issue.articles[2].references = [Funding()], []  # kinds left out by other articles
    writer = bibtex._Writer(issue, lang)
    for index in range(len(issue.articles)):
        writer.entry(index)
    writer.report()
    expected = [f"BibTeX cannot carry {what} ({article_numbers(indexes)})" for what, indexes in writer.not_carried.items()]
    assert len({tuple(indexes) for _, indexes in writer.not_carried.items()}) > 1  # several lists of articles
    assert [p.message for p in writer.problems if p.code == "bibtex.not-carried"] == expected
