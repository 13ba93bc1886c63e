"""Identifiers: DOI, ISSN, ORCID, ROR and language tags.

Each checker takes the text a person typed or a PDF printed and returns an ``IdCheck``: the normalised value when it is
valid, otherwise a problem code and a sentence that says what is wrong and what a valid value looks like. Callers turn
that into a Problem with their own location (see ``IdCheck.problem``).
"""

from __future__ import annotations

import functools
import re
import unicodedata
import urllib.parse
from dataclasses import dataclass
from typing import Any

from .problems import Problem, Severity


@dataclass(frozen=True)
class IdCheck:
    """What a checker found: the normalised ``value`` (None when invalid), else the problem ``code`` and ``message``."""

    value: str | None
    code: str | None = None
    message: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the identifier is valid."""
        return self.code is None

    def problem(self, severity: Severity = "error", **where: Any) -> Problem | None:
        """The failure as a Problem at ``where`` (path, file, line, column)."""
        if self.ok:
            return None
        return Problem(self.code or "id", severity, self.message or "", **where)


def _bad(code: str, message: str) -> IdCheck:
    return IdCheck(None, code, message)


def _odd_digit(text: str) -> str:
    """A note on a digit other than 0-9 in ``text`` (full-width, Arabic-Indic ...): it looks right but is refused."""
    odd = next((char for char in text if char.isdigit() and not char.isascii()), None)
    return f" ({odd!r}, U+{ord(odd):04X}, is not one of the digits 0-9: type the digits again)" if odd else ""


# --- DOI -----------------------------------------------------------------------

_DOI_PREFIXES = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/|(?:dx\.)?doi\.org/)", re.IGNORECASE)
_DOI_SYNTAX = re.compile(r"^10\.[0-9]{4,9}/\S+$")
_DOI_URL = re.compile(r"^https?://|^(dx\.)?doi\.org/", re.IGNORECASE)
_DOI_SLASH = re.compile(r"^(10\.[0-9]{4,9})\s+/\s+")  # spaced on both sides, as typeset; one side: a break
_DOI_START = re.compile(r"10\.[0-9]{4,9}\s*/\s*\S")
_SPACE = re.compile(r"\s")
_DOI_EXAMPLE = "a bare DOI such as 10.5555/12345678"


def doi(raw: str) -> IdCheck:
    """Normalise a DOI to its bare form ``10.prefix/suffix``.

    Accepts ``doi:``, ``https://doi.org/`` and ``dx.doi.org`` forms, percent-encoded
    URLs and whitespace left by line breaks (``https://doi.org/ 10.…``).
    """
    text = str(raw).strip()
    if not text:
        return _bad("doi.empty", f"the DOI is empty; write {_DOI_EXAMPLE}")
    if not text.isascii() and any(unicodedata.category(char) == "Cf" for char in text):
        return _bad("doi.invisible", f"{raw!r} contains an invisible character (a zero-width or direction "
                    "mark, often pasted from a PDF); type the DOI again")
    had_url = bool(_DOI_URL.match(text))
    text = _DOI_PREFIXES.sub("", text).lstrip()  # "https://doi.org/ 10.…" as PDFs print it
    text = _DOI_SLASH.sub(r"\1/", text)  # "10.52536 / x" around the slash
    if had_url:
        text = urllib.parse.unquote(text)
    if _DOI_START.match(text) and _SPACE.search(text):
        return _bad("doi.space", f"{raw!r} contains a space inside the DOI; a DOI has none — if a line break "
                    "split it, join the two parts")
    if not _DOI_SYNTAX.match(text):
        return _bad("doi.syntax", f"{raw!r} is not a DOI: a DOI starts with '10.', then 4 to 9 digits, "
                    f"a slash and a suffix without spaces; write {_DOI_EXAMPLE}{_odd_digit(text)}")
    if len(text) > 2048:
        return _bad("doi.syntax", f"the DOI is {len(text)} characters long; that is too long to be a DOI")
    return IdCheck(text)


def doi_key(value: str) -> str:
    """DOIs are case-insensitive: compare them through this key."""
    return value.lower()


def same_doi(a: str, b: str) -> bool:
    """Whether two texts are valid DOIs of the same work, however each is written."""
    first, second = doi(a), doi(b)
    return first.ok and second.ok and doi_key(first.value or "") == doi_key(second.value or "")


def doi_prefix(value: str) -> str:
    """The registrant prefix (``10.52536``) of a bare DOI."""
    return value.split("/", 1)[0]


_PREFIX_SYNTAX = re.compile(r"^10\.[0-9]{4,9}$")


def doi_prefix_check(raw: str) -> IdCheck:
    """Check a registrant prefix such as ``10.52536`` (white space dropped)."""
    text = "".join(str(raw).split())
    if not _PREFIX_SYNTAX.match(text):
        return _bad("doi.prefix", f"{raw!r} is not a DOI prefix: write '10.' followed by 4 to 9 digits, "
                    f"such as 10.5555{_odd_digit(text)}")
    return IdCheck(text)


# --- ISSN ----------------------------------------------------------------------

_ISSN_SYNTAX = re.compile(r"^([0-9]{4})-?([0-9]{3}[0-9X])$")


def issn_check_digit(first_seven: str) -> str:
    """The eighth character of an ISSN (MOD 11, X for 10) from its first seven digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first_seven, range(8, 1, -1)))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def issn(raw: str) -> IdCheck:
    """Normalise an ISSN to ``NNNN-NNNC`` and verify its check digit (ISO 3297)."""
    text = "".join(str(raw).split()).upper()
    if text.startswith("ISSN"):
        text = text[4:].lstrip(":")
    match = _ISSN_SYNTAX.match(text)
    if not match:
        return _bad("issn.syntax", f"{raw!r} is not an ISSN: write four digits, a hyphen and four more "
                    f"(the last may be X), such as 0317-8471{_odd_digit(text)}")
    digits = match.group(1) + match.group(2)
    expected = issn_check_digit(digits[:7])
    if digits[7] != expected:
        return _bad("issn.checksum", f"the ISSN {raw!r} has a wrong check digit: with these first seven digits "
                    f"the last must be {expected}; check the number against the ISSN register")
    return IdCheck(f"{digits[:4]}-{digits[4:]}")


# --- ORCID ---------------------------------------------------------------------

_ORCID_SYNTAX = re.compile(r"^([0-9]{4})-?([0-9]{4})-?([0-9]{4})-?([0-9]{3}[0-9X])$")
_ORCID_PREFIX = re.compile(r"^(?:https?://)?(?:www\.)?orcid\.org/", re.IGNORECASE)


def orcid_check_digit(first_fifteen: str) -> str:
    """ISO 7064 MOD 11-2, as ORCID uses it."""
    total = 0
    for digit in first_fifteen:
        total = (total + int(digit)) * 2
    check = (12 - total % 11) % 11
    return "X" if check == 10 else str(check)


def orcid(raw: str) -> IdCheck:
    """Normalise an ORCID iD to ``0000-0002-1825-0097`` (the URL form is accepted)."""
    text = _ORCID_PREFIX.sub("", "".join(str(raw).split())).upper()
    match = _ORCID_SYNTAX.match(text)
    if not match:
        return _bad("orcid.syntax", f"{raw!r} is not an ORCID iD: write 16 characters in four groups, such as "
                    f"0000-0002-1825-0097 or https://orcid.org/0000-0002-1825-0097{_odd_digit(text)}")
    digits = "".join(match.groups())
    expected = orcid_check_digit(digits[:15])
    if digits[15] != expected:
        return _bad("orcid.checksum", f"the ORCID iD {raw!r} has a wrong check character: it should end in "
                    f"{expected} with these digits; copy it again from the person's ORCID record")
    return IdCheck("-".join(digits[i : i + 4] for i in range(0, 16, 4)))


def orcid_url(value: str) -> str:
    """The URL form that deposits and JATS use for a normalised ORCID iD."""
    return f"https://orcid.org/{value}"


# --- ROR -----------------------------------------------------------------------

_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"
_ROR_SYNTAX = re.compile(r"^0[0-9a-hjkmnp-tv-z]{6}[0-9]{2}$")
_ROR_PREFIX = re.compile(r"^(?:https?://)?(?:www\.)?ror\.org/", re.IGNORECASE)


def ror_check_digits(first_seven: str) -> str:
    """ISO 7064 MOD 97-10 over the Crockford base-32 value of the first seven characters."""
    number = 0
    for char in first_seven:
        number = number * 32 + _CROCKFORD.index(char)
    return f"{98 - (number * 100) % 97:02d}"


def ror(raw: str) -> IdCheck:
    """Normalise a ROR ID to ``https://ror.org/0xxxxxxNN`` and verify its checksum."""
    text = _ROR_PREFIX.sub("", "".join(str(raw).split())).lower()
    if not _ROR_SYNTAX.match(text):
        return _bad("ror.syntax", f"{raw!r} is not a ROR ID: write https://ror.org/ followed by 9 characters "
                    "that start with 0, such as https://ror.org/05dxps055")
    expected = ror_check_digits(text[:7])
    if text[7:] != expected:
        return _bad("ror.checksum", f"the ROR ID {raw!r} has a wrong checksum (it should end in {expected}); "
                    "copy it again from ror.org")
    return IdCheck(f"https://ror.org/{text}")


# --- Funder IDs ----------------------------------------------------------------

FUNDER_DOI_PREFIX = "10.13039"


def funder_id(raw: str) -> IdCheck:
    """A funder's ROR ID (``https://ror.org/…``) or Crossref Funder ID (bare ``10.13039/…`` DOI)."""
    text = "".join(str(raw).split())
    if "ror.org/" in text.lower() or re.fullmatch(r"0[0-9a-z]{8}", text.lower()):
        return ror(text)
    checked = doi(text)
    if checked.ok and doi_prefix(checked.value or "") == FUNDER_DOI_PREFIX:
        return checked
    return _bad("funder.syntax", f"{raw!r} is neither a ROR ID (https://ror.org/05dxps055) nor a Crossref "
                "Funder ID (10.13039/501100004561)")


# --- E-mail ---------------------------------------------------------------------

def email(raw: str) -> IdCheck:
    """A loose check of an e-mail address: one @, a dot inside the domain, no spaces."""
    text = str(raw).strip()
    local, _, domain = text.partition("@")
    if not local or "@" in domain or "." not in domain.strip(".") or _SPACE.search(text):
        return _bad("email.syntax", f"{raw!r} is not an e-mail address: write one such as deposits@example.org")
    return IdCheck(text)


# --- Language tags (a BCP 47 subset) ---------------------------------------------

_LANG_SYNTAX = re.compile(
    r"^(?P<language>[a-z]{2,3})(?:-(?P<script>[a-z]{4}))?(?:-(?P<region>[a-z]{2}|[0-9]{3}))?"
    r"(?P<variants>(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*)$",
    re.IGNORECASE | re.ASCII,  # without ASCII, [a-z] would match the Kelvin sign and the long s
)


@functools.lru_cache(maxsize=1024)
def language_tag(raw: str) -> IdCheck:
    """Check and normalise a language tag: language[-Script][-REGION][-variant...].

    The subset of BCP 47 that bibliographic metadata uses (``kk``, ``ru``, ``en``,
    ``kk-Latn``, ``kk-Cyrl-KZ``, ``en-GB``); case is normalised the BCP 47 way. Cached: an
    issue has a few tags, asked for hundreds of times per article (IdCheck is frozen).
    """
    raw = str(raw)
    match = _LANG_SYNTAX.match(raw.strip().replace("_", "-"))
    if not match:
        return _bad("lang.syntax", f"{raw!r} is not a language tag: write a BCP 47 tag such as en, fr, ru, "
                    "en-GB or kk-Latn")
    language, script, region, variants = match.groups()
    script, region = f"-{script.title()}" if script else "", f"-{region.upper()}" if region else ""
    return IdCheck(language.lower() + script + region + variants.lower())


def primary_language(tag: str) -> str:
    """``kk-Latn`` -> ``kk``."""
    return tag.split("-", 1)[0].lower()


def script_of(tag: str) -> str | None:
    """The script subtag of a language tag, if it has one (``kk-Latn`` -> ``Latn``)."""
    for part in tag.split("-")[1:]:
        if len(part) == 4 and part.isalpha():
            return part.title()
    return None


# --- whole numbers ---------------------------------------------------------------

MAX_DIGITS = 640  # no field needs more; Python refuses to convert over 4,300 digits to or from an int


def whole_number(text: str, digits: int = MAX_DIGITS) -> int | None:
    """``text`` (spaces around it allowed) as a whole number when it is 1 to ``digits`` ASCII digits, else None.
    ``int()`` raises on a number of over 4,300 digits, and on a digit such as '²' that ``str.isdigit`` accepts."""
    text = text.strip()
    return int(text) if 0 < len(text) <= digits and text.isascii() and text.isdigit() else None
