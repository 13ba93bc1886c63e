"""Property: any manifest in biblio's shape survives load -> dump -> load unchanged.

Generated in manifest shape (plain data), so the test also checks that what the writer
emits is exactly what was read: Kazakh-only letters, markup characters, quotes,
multi-line text, values that YAML would otherwise take for numbers, dates or booleans.
"""

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from biblio import ids, manifest

KAZAKH = "ӘәҒғҚқҢңӨөҰұҮүҺһІі"
ALPHABET = (KAZAKH + "АБВЖЩЁЪЫЭЮЯабвжщёъыэюя" + "AZaz09" + " &<>\"'«»“”’:#-{}[],%|*!?@`\\/\n\t—–")
LANGS = ["kk", "ru", "en", "kk-Latn", "de"]


def _non_blank(text: str) -> bool:
    return bool(text.strip())


text = st.text(alphabet=ALPHABET, min_size=1, max_size=40).filter(_non_blank)
long_text = st.text(alphabet=ALPHABET, min_size=1, max_size=400).filter(_non_blank)
tricky = st.sampled_from(["2", "02", "1.10", "no", "yes", "null", "~", "2025-06-30", "0x1F", "1e3", "- a", "#x"])
value = st.one_of(text, tricky)


def multitext(values=value):
    return st.dictionaries(st.sampled_from(LANGS), values, min_size=1, max_size=3)


def orcid_ids():
    def make(digits: str) -> str:
        full = digits + ids.orcid_check_digit(digits)
        return "-".join(full[i:i + 4] for i in range(0, 16, 4))
    return st.text(alphabet="0123456789", min_size=15, max_size=15).map(make)


dois = st.from_regex(r"10\.[0-9]{4,6}/[a-z0-9.\-]{1,12}", fullmatch=True)
dates = st.sampled_from(["2025", "2025-06", "2025-06-30", "1999-12-31"])


def optional(strategy):
    """Fields that may be absent: drawn as {key: value} or {}."""
    return st.one_of(st.just({}), strategy)


def record(required: dict, optional_fields: dict):
    opts = [st.one_of(st.just({}), s.map(lambda v, k=k: {k: v})) for k, s in optional_fields.items()]
    return st.tuples(st.fixed_dictionaries(required), *opts).map(
        lambda parts: {k: v for part in parts for k, v in part.items()})


person_name = record({"family": value}, {"given": value, "order": st.just("family-first")})
affiliation = record({"name": multitext()}, {"country": st.sampled_from(["KZ", "RU"])})
person = record(
    {"names": st.dictionaries(st.sampled_from(LANGS), person_name, min_size=1, max_size=3)},
    {"role": st.sampled_from(["editor", "translator"]), "orcid": orcid_ids(),
     "email": st.just("a@example.org"), "corresponding": st.just(True),
     "affiliations": st.lists(affiliation, min_size=1, max_size=2),
     "credit": st.lists(text, min_size=1, max_size=2)})
group = record({"organization": multitext()}, {})
funding = record({}, {"funder": multitext(), "awards": st.lists(value, min_size=1, max_size=2),
                      "statement": multitext(long_text)})
reference = record({}, {"label": value, "text": long_text, "language": st.sampled_from(LANGS), "doi": dois,
                        "type": st.just("journal_article"), "authors": st.lists(text, min_size=1, max_size=3),
                        "title": text, "year": st.just("2020"), "pages": st.just("3-4")})


@st.composite
def article(draw):
    lang = draw(st.sampled_from(LANGS))
    item = draw(record(
        {"language": st.just(lang), "titles": multitext()},
        {"doi": dois, "section": multitext(), "abstracts": multitext(long_text),
         "keywords": st.dictionaries(st.sampled_from(LANGS), st.lists(value, min_size=1, max_size=4),
                                     min_size=1, max_size=3),
         "contributors": st.lists(st.one_of(person, group), min_size=1, max_size=3),
         "pages": st.one_of(st.just({"first": "9", "last": "22"}), st.just({"article_number": "e7"})),
         "dates": st.just({"published": "2025-06-30", "received": "2025"}),
         "funding": st.lists(funding.filter(bool), min_size=1, max_size=2),
         "license": st.just({"url": "https://creativecommons.org/licenses/by/4.0/", "start": "2025-06"}),
         "url": st.just("https://example.org/a/1"),
         "citations": st.lists(st.integers(1, 60), min_size=1, max_size=5),
         "references": st.lists(reference.filter(bool), min_size=1, max_size=3)}))
    # Text maps are written original-language first: generate them in that order.
    for key in ("titles", "abstracts", "section"):
        if key in item and lang in item[key]:
            item[key] = {lang: item[key][lang], **{k: v for k, v in item[key].items() if k != lang}}
    return item


journal = record({"titles": multitext()},
                 {"language": st.sampled_from(LANGS), "abbreviation": value, "doi_prefix": st.just("10.1234"),
                  "issns": st.just([{"value": "2788-5860"}, {"value": "0317-8471", "media": "electronic"}]),
                  "publisher": record({"name": multitext()}, {"place": multitext()})})
issue = record({"year": st.integers(1900, 2100)},
               {"number": value, "whole_number": value, "volume": value, "published": dates, "doi": dois,
                "title": multitext(),
                "doi_pattern": st.just("{prefix}/t.{year}.{seq:03}")})
settings_part = record({}, {"depositor": st.just({"name": "D", "email": "d@example.org"}),
                            "registrant": value, "landing_page_pattern": st.just("https://example.org/{doi}")})


@st.composite
def manifests(draw):
    data = {"biblio": 1, "journal": draw(journal), "issue": draw(issue),
            "articles": draw(st.lists(article(), min_size=1, max_size=3))}
    if "doi_pattern" in data["issue"]:
        data["journal"]["doi_prefix"] = "10.1234"
    else:  # without a pattern every article needs its DOI
        for item in data["articles"]:
            item.setdefault("doi", "10.1234/x")
    journal_lang = data["journal"].get("language")
    if journal_lang in data["journal"]["titles"]:
        titles = data["journal"]["titles"]
        data["journal"]["titles"] = {journal_lang: titles[journal_lang],
                                     **{k: v for k, v in titles.items() if k != journal_lang}}
    extra = draw(settings_part)
    if extra:
        data["settings"] = extra
    return data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(manifests())
def test_manifest_round_trip(data):
    source = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    first, problems = manifest.loads(source, "generated.yaml")
    assert first is not None, [str(p) for p in problems]
    assert not [p for p in problems if p.severity == "error"], [str(p) for p in problems]
    assert manifest.to_data(first) == data          # nothing lost, nothing added
    second, _ = manifest.loads(manifest.dumps(first), "again.yaml")
    assert second == first                          # YAML writer round trip
    third, _ = manifest.loads(manifest.dumps(first, as_json=True), "again.json")
    assert third == first                           # JSON writer round trip
