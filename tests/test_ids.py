"""Identifiers: each valid form normalises, each invalid form says what is wrong."""

import pytest

from biblio import ids


@pytest.mark.parametrize("raw, expected", [
    ("10.52536/2788-5860.2025.86.2.001", "10.52536/2788-5860.2025.86.2.001"),
    ("https://doi.org/ 10.52536/2788-5860.2025.86.2.001", "10.52536/2788-5860.2025.86.2.001"),
    ("https://doi.org/10.52536/2788-5860.2025.86.2.005", "10.52536/2788-5860.2025.86.2.005"),
    ("http://dx.doi.org/10.1000/xyz", "10.1000/xyz"),
    ("doi:10.1000/xyz", "10.1000/xyz"),
    ("DOI: 10.1000/xyz", "10.1000/xyz"),
    ("  10.1000/ABC  ", "10.1000/ABC"),
    ("https://doi.org/10.1000/a%2Fb", "10.1000/a/b"),
    ("doi.org/10.1000/x", "10.1000/x"),
    ("10.1000 / xyz", "10.1000/xyz"),
])
def test_doi_valid(raw, expected):
    checked = ids.doi(raw)
    assert checked.ok and checked.value == expected


@pytest.mark.parametrize("raw, code", [
    ("", "doi.empty"),
    ("11.1000/xyz", "doi.syntax"),
    ("10.12/xyz", "doi.syntax"),
    ("10.1000", "doi.syntax"),
    ("10.1000/", "doi.syntax"),
    ("https://example.org/10.1000/x", "doi.syntax"),
    ("ISBN 978-3-16-148410-0", "doi.syntax"),
    ("10.1234/a b", "doi.space"),
    ("10.1234/ab\u200b", "doi.invisible"),
    ("\u202a10.1234/ab", "doi.invisible"),
])
def test_doi_invalid(raw, code):
    checked = ids.doi(raw)
    assert not checked.ok and checked.code == code
    assert "10." in checked.message or "DOI" in checked.message  # says what a valid DOI looks like


def test_doi_comparison_ignores_case_and_form():
    assert ids.same_doi("10.1000/ABC", "https://doi.org/10.1000/abc")
    assert not ids.same_doi("10.1000/abc", "10.1000/abd")
    assert not ids.same_doi("junk", "junk")


@pytest.mark.parametrize("raw, expected", [
    ("2788-5860", "2788-5860"),
    ("27885860", "2788-5860"),
    ("ISSN 2788-5860", "2788-5860"),
    ("0317-8471", "0317-8471"),
    ("2049-3630", "2049-3630"),
    ("0000-006x", "0000-006X"),
])
def test_issn_valid(raw, expected):
    checked = ids.issn(raw)
    assert checked.ok and checked.value == expected


@pytest.mark.parametrize("raw, code", [
    ("2788-5861", "issn.checksum"),
    ("0317-8472", "issn.checksum"),
    ("2788-586", "issn.syntax"),
    ("ABCD-EFGH", "issn.syntax"),
    ("2788-58600", "issn.syntax"),
])
def test_issn_invalid(raw, code):
    checked = ids.issn(raw)
    assert checked.code == code and checked.value is None


@pytest.mark.parametrize("raw, expected", [
    ("0000-0002-1825-0097", "0000-0002-1825-0097"),
    ("https://orcid.org/0000-0001-5109-3700", "0000-0001-5109-3700"),
    ("orcid.org/0000-0002-1694-233X", "0000-0002-1694-233X"),
    ("0000000218250097", "0000-0002-1825-0097"),
    ("0000-0002-1694-233x", "0000-0002-1694-233X"),
])
def test_orcid_valid(raw, expected):
    checked = ids.orcid(raw)
    assert checked.ok and checked.value == expected


@pytest.mark.parametrize("raw, code", [
    ("0000-0002-1825-0098", "orcid.checksum"),
    ("0000-0002-1694-2330", "orcid.checksum"),
    ("0000-0002-1825", "orcid.syntax"),
    ("https://example.org/0000-0002-1825-0097", "orcid.syntax"),
])
def test_orcid_invalid(raw, code):
    assert ids.orcid(raw).code == code


@pytest.mark.parametrize("raw, expected", [
    ("https://ror.org/05dxps055", "https://ror.org/05dxps055"),
    ("ror.org/03yrm5c26", "https://ror.org/03yrm5c26"),
    ("00f54p054", "https://ror.org/00f54p054"),
    ("https://ror.org/02MHBDP94", "https://ror.org/02mhbdp94"),
])
def test_ror_valid(raw, expected):
    checked = ids.ror(raw)
    assert checked.ok and checked.value == expected


@pytest.mark.parametrize("raw, code", [
    ("https://ror.org/05dxps056", "ror.checksum"),
    ("03yrm5c27", "ror.checksum"),
    ("15dxps055", "ror.syntax"),      # must start with 0
    ("05dxpu055", "ror.syntax"),      # 'u' is not Crockford base 32
    ("05dxps05", "ror.syntax"),
])
def test_ror_invalid(raw, code):
    assert ids.ror(raw).code == code


@pytest.mark.parametrize("raw, expected", [
    ("kk", "kk"), ("RU", "ru"), ("en-gb", "en-GB"), ("kk-latn", "kk-Latn"),
    ("kk-Cyrl-KZ", "kk-Cyrl-KZ"), ("kaz", "kaz"), ("es-419", "es-419"), ("en_US", "en-US"),
])
def test_language_valid(raw, expected):
    checked = ids.language_tag(raw)
    assert checked.ok and checked.value == expected


@pytest.mark.parametrize("raw", ["english", "k", "kk-", "kk-Latin-KZ-", "123", "русский", ""])
def test_language_invalid(raw):
    checked = ids.language_tag(raw)
    assert checked.code == "lang.syntax" and "kk-Latn" in checked.message


def test_problem_carries_location():
    problem = ids.issn("2788-5861").problem(path="journal.issns[0].value", file="m.yaml", line=3, column=9)
    assert problem.severity == "error"
    assert str(problem).startswith("m.yaml:3:9 journal.issns[0].value: error [issn.checksum]")
    assert ids.issn("2788-5860").problem() is None


def test_helpers():
    assert ids.doi_prefix("10.52536/x.y") == "10.52536"
    assert ids.primary_language("kk-Latn") == "kk"
    assert ids.script_of("kk-Latn") == "Latn" and ids.script_of("kk") is None
    assert ids.orcid_url("0000-0002-1825-0097") == "https://orcid.org/0000-0002-1825-0097"


@pytest.mark.parametrize("raw, expected", [
    ("10.13039/501100004561", "10.13039/501100004561"),
    ("https://doi.org/10.13039/501100004561", "10.13039/501100004561"),
    ("https://ror.org/05dxps055", "https://ror.org/05dxps055"),
    ("05dxps055", "https://ror.org/05dxps055"),
])
def test_funder_id_valid(raw, expected):
    checked = ids.funder_id(raw)
    assert checked.ok and checked.value == expected


@pytest.mark.parametrize("raw, code", [
    ("10.1234/not-a-funder", "funder.syntax"), ("Science Committee", "funder.syntax"),
    ("https://ror.org/05dxps056", "ror.checksum"),
])
def test_funder_id_invalid(raw, code):
    assert ids.funder_id(raw).code == code
