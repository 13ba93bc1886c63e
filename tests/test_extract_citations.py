"""In-text citations: small hand-made inputs, then every article of the seed issue."""


import pytest
from seeds import SEED_DIR

from biblio.extract.citations import Citation, citation_numbers, find_citations

ARTICLE_LINES = [(1, 786), (787, 1252), (1253, 1807), (1808, 2419), (2420, 3019), (3020, 3753),
                 (3754, 4490), (4491, 4999), (5000, 5621), (5622, 6151)]


SEEDS = SEED_DIR


def one(text: str) -> Citation:
    found = find_citations([text])
    assert len(found) == 1, found
    return found[0]


# --- forms that are citations -------------------------------------------------

def test_single_number():
    citation = one("as shown earlier [1].")
    assert citation == Citation("[1]", (1,), (), 1)


def test_number_glued_to_a_word():
    assert one("айтуға бола-ды[18], соның").numbers == (18,)


def test_kazakh_page_range_after_number():
    citation = one("негізіне жатады [4, 182-223-бб.]. Мәдени")
    assert citation.text == "[4, 182-223-бб.]"
    assert citation.numbers == (4,)
    assert citation.locators == ((4, "182-223-бб."),)


def test_kazakh_single_page():
    assert one("[21, 137-б.]").locators == ((21, "137-б."),)


@pytest.mark.parametrize("inside, page", [
    ("3, p. 45", "p. 45"), ("3, pp. 3-5", "pp. 3-5"), ("3, с. 45", "с. 45"), ("3, С. 12", "С. 12"),
    ("3, Б. 12", "Б. 12"), ("3, 18 p.", "18 p."), ("3, p. 44–46", "p. 44–46"), ("3, стр. 7", "стр. 7"),
])
def test_page_forms(inside, page):
    citation = one(f"text [{inside}] text")
    assert citation.numbers == (3,)
    assert citation.locators == ((3, page),)


@pytest.mark.parametrize("inside, numbers", [
    ("13-17", (13, 14, 15, 16, 17)),
    ("13–17", (13, 14, 15, 16, 17)),
    ("13 – 15", (13, 14, 15)),
    ("2; 5", (2, 5)),
    ("1, 2, 3", (1, 2, 3)),
    ("1,2,3", (1, 2, 3)),
    ("2, 5; 7", (2, 5, 7)),
    ("2; 5-7", (2, 5, 6, 7)),
])
def test_number_lists_and_ranges(inside, numbers):
    assert one(f"[{inside}]").numbers == numbers


def test_lost_comma_between_two_numbers():
    # the seed's line 3300 prints "[16 23]" in an article that cites 1 to 30
    found = find_citations(["[30] earlier", "later [16 23]."])
    assert found[1].numbers == (16, 23)
    assert one("[4 5]").numbers == (4, 5)


def test_page_belongs_to_the_number_before_it():
    citation = one("[2, p. 5; 7, p. 9]")
    assert citation.numbers == (2, 7)
    assert citation.locators == ((2, "p. 5"), (7, "p. 9"))


def test_large_bare_number_after_a_comma_is_a_page():
    citation = one("шыңдалуда» [32, 163].")
    assert citation.numbers == (32,)
    assert citation.locators == ((32, "163"),)


def test_bare_number_counts_as_citation_when_cited_elsewhere():
    found = find_citations(["[40] and later [12, 38]"])
    assert citation_numbers(found) == [12, 38, 40]


def test_smaller_bare_number_after_a_comma_is_a_page():
    assert one("[12, 5]").locators == ((12, "5"),)


def test_several_on_one_line_in_order():
    found = find_citations(["first [3], then [1] and [2; 4]."], first_line=10)
    assert [c.text for c in found] == ["[3]", "[1]", "[2; 4]"]
    assert all(c.line == 10 for c in found)
    assert citation_numbers(found) == [1, 2, 3, 4]


def test_line_numbers_follow_first_line():
    found = find_citations(["no citation", "one [5]", "", "two [6]"], first_line=100)
    assert [(c.numbers, c.line) for c in found] == [((5,), 101), ((6,), 103)]


# --- brackets split by a line break ---------------------------------------------

def test_range_split_after_the_dash():
    found = find_citations(["as several studies show [13-", "17]. Next sentence."], first_line=7)
    assert found == [Citation("[13-17]", (13, 14, 15, 16, 17), (), 7)]


def test_list_split_after_a_comma():
    found = find_citations(["see [4,", "5] too"])
    assert [(c.text, c.numbers) for c in found] == [("[4, 5]", (4, 5))]


def test_page_split_inside_the_locator():
    found = find_citations(["жатады [4, 182-", "223-бб.]. Мәдени"])
    assert [(c.text, c.locators) for c in found] == [("[4, 182-223-бб.]", ((4, "182-223-бб."),))]


def test_page_split_before_the_page_number():
    found = find_citations(["[3, p.", "45]"])
    assert found[0].text == "[3, p. 45]" and found[0].locators == ((3, "p. 45"),)


def test_open_bracket_at_the_end_of_the_input():
    assert find_citations(["dangling [4,"]) == []


def test_split_bracket_does_not_hide_later_ones_on_the_next_line():
    found = find_citations(["[1,", "2] and [3]"])
    assert [c.text for c in found] == ["[1, 2]", "[3]"]


# --- what is not a citation -------------------------------------------------------

@pytest.mark.parametrize("text", [
    "the word [sic] as printed",
    "a cut [...] in the quote",
    "a cut […] in the quote",
    "the year [2020] in brackets",
    "an empty [] bracket",
    "a note [see 4] with words",
    "[4, see above]",
    "[a]",
    "[0]",
    "[p. 45]",  # a page with no source
    "[17-13]",  # a descending range
    "[1-500]",  # too wide to be a range of sources
    "[1.2]",
    "(1) parentheses are not brackets",
    "[4 5 6x]",
])
def test_not_citations(text):
    assert find_citations([text]) == []


def test_unclosed_and_unopened_brackets():
    assert find_citations(["text [4 and more", "words 5] there"]) == []


def test_citation_numbers_are_sorted_and_unique():
    found = find_citations(["[3] [1] [3] [2-4]"])
    assert citation_numbers(found) == [1, 2, 3, 4]
    assert citation_numbers([]) == []


# --- the whole seed issue ------------------------------------------------------------

@pytest.mark.parametrize("number", range(1, 11))
def test_every_article_of_the_seed_cites_what_the_example_says(number, seed_lines, example_issue):
    first, last = ARTICLE_LINES[number - 1]
    found = find_citations(seed_lines[first - 1:last], first_line=first)
    assert citation_numbers(found) == example_issue.articles[number - 1].citations
    assert all(first <= c.line <= last for c in found)
    for citation in found:
        assert citation.text in seed_lines[citation.line - 1]


def test_seed_page_references(seed_lines):
    found = find_citations(seed_lines)
    located = {(c.line, c.text): c.locators for c in found if c.locators}
    assert located == {
        (100, "[1, 1-17-бб.]"): ((1, "1-17-бб."),),
        (122, "[4, 182-223-бб.]"): ((4, "182-223-бб."),),
        (1444, "[32, 163]"): ((32, "163"),),
        (1475, "[32, 163]"): ((32, "163"),),
        (3978, "[5, p. 3]"): ((5, "p. 3"),),
        (4109, "[12, p. 132]"): ((12, "p. 132"),),
        (4206, "[15, 18 p.]"): ((15, "18 p."),),
        (4246, "[16, p. 44-46]"): ((16, "p. 44-46"),),
        (4258, "[16, p. 58]"): ((16, "p. 58"),),
        (4301, "[16, p. 58]"): ((16, "p. 58"),),
        (4887, "[21, 137-б.]"): ((21, "137-б."),),
    }
    spaced = [c for c in found if c.text == "[16 23]"]
    assert [(c.line, c.numbers) for c in spaced] == [(3300, (16, 23))]


def test_single_article_file_gives_article_8(example_issue):
    lines = (SEEDS / "001_3419770898551ee2.txt").read_text(encoding="utf-8").split("\n")
    assert citation_numbers(find_citations(lines)) == example_issue.articles[7].citations


def test_whole_issue_is_fast(seed_lines):
    import time
    start = time.perf_counter()
    find_citations(seed_lines)
    assert time.perf_counter() - start < 0.5
