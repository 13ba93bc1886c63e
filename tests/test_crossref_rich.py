"""A manifest that sets every optional field the deposit can carry still gives a valid deposit."""

from lxml import etree
from regen_golden import crossref_deposit as deposit

from biblio import manifest
from biblio.formats import crossref

RICH = """\
biblio: 1
journal:
  language: kk
  titles: {kk: Қоғам және Дәуір, en: Society and Era}
  abbreviation: Qogam Dauir
  issns:
    - {value: 2788-5860, media: print}
    - {value: 0317-8471, media: electronic}
  publisher: {name: {kk: Баспа}}
  doi_prefix: '10.52536'
issue:
  year: 2025
  number: '2'
  whole_number: '86'
  volume: '12'
  published: 2025-06-30
  doi: 10.52536/2788-5860.2025.86.2
  title: {en: Special issue & more}
  doi_pattern: '{prefix}/2788-5860.{year}.{whole_number}.{number}.{seq:03}'
articles:
  - language: kk
    titles: {kk: Бірінші <мақала>, ru: Первая статья, en: "First & \\"best\\" article"}
    abstracts: {kk: "Бір.\\n\\nЕкі.", en: One paragraph.}
    keywords: {kk: [бір], en: [one]}
    contributors:
      - names:
          kk: {given: Әйгерім, family: Сейітова}
          en: {given: Aigerim, family: Seitova}
        orcid: https://orcid.org/0000-0002-1825-0097
        email: a@example.kz
        corresponding: true
        affiliations:
          - name: {en: Al-Farabi Kazakh National University, kk: Әл-Фараби атындағы ҚазҰУ}
            ror: https://ror.org/03q0vrn42
            country: KZ
        credit: [conceptualization, writing-original-draft]
      - role: editor
        organization: {en: The Editorial Board}
    pages: {first: '9', last: '22'}
    dates: {published: 2025-06-30, online: 2025-06-01, received: 2025-01-10, accepted: 2025-03-01}
    funding:
      - funder: {en: Science Committee}
        funder_id: 10.13039/501100004561
        awards: [AP19677146, BR21882308]
        statement: {en: Funded by the Science Committee (AP19677146).}
      - funder: {en: Another funder}
        funder_id: https://ror.org/05dxps055
      - funder_id: 10.13039/501100000001
        awards: [X-1]
    license: {url: 'https://creativecommons.org/licenses/by/4.0/', start: 2025-06-30}
    url: https://journal.example.kz/article/1
    references:
      - {label: '1', text: 'Smith J. A & B. J. Tests. 2020;3(2):5-9.', doi: 10.1234/abc, type: journal_article,
         authors: ['Smith, J.'], title: A & B, container: J. Tests, year: '2020', volume: '3', issue: '2',
         pages: 5-9}
      - {text: 'Иванов И. И. Книга. Алматы, 2019.', type: book, language: ru}
  - language: en
    titles: {en: Second}
    pages: {article_number: e2}
    url: https://journal.example.kz/article/2
settings:
  depositor: {name: Journal Office, email: office@journal.kz}
  registrant: Journal Publisher
  landing_page_pattern: https://journal.example.kz/{suffix}
"""

NS = {"c": crossref.NS, "fr": crossref.FR}


def test_rich_manifest_gives_a_valid_deposit(tmp_path):
    issue, problems = manifest.loads(RICH, "rich.yaml")
    assert not [p for p in problems if p.severity == "error"], [str(p) for p in problems]
    data, problems = deposit(issue, timestamp=7)
    assert data is not None, [str(p) for p in problems]
    path = tmp_path / "rich.xml"
    path.write_bytes(data)
    assert crossref.validate(path) == []
    tree = etree.fromstring(data)
    assert tree.findtext(".//c:journal_issue/c:doi_data/c:resource", namespaces=NS) == \
        "https://journal.example.kz/2788-5860.2025.86.2"
    assert tree.findtext(".//c:journal_volume/c:volume", namespaces=NS) == "12"
    funder_ids = [a.text for a in tree.iterfind(".//fr:assertion[@name='funder_identifier']", NS)]
    assert funder_ids == ["https://doi.org/10.13039/501100004561", "https://doi.org/10.13039/501100000001"]
    assert [a.text for a in tree.iterfind(".//fr:assertion[@name='ror']", NS)] == [
        "https://ror.org/05dxps055"]
    person = tree.find(".//c:person_name", NS)
    assert person.findtext("c:ORCID", namespaces=NS) == "https://orcid.org/0000-0002-1825-0097"
    assert [r.get("type") for r in person.findall("c:role", NS)] == ["conceptualization", "writing-original-draft"]
    assert person.find("c:affiliations/c:institution/c:institution_id", NS).text == "https://ror.org/03q0vrn42"
    assert tree.find(".//c:organization", NS).get("contributor_role") == "editor"
    assert tree.findtext(".//c:publisher_item/c:item_number", namespaces=NS) == "e2"
    dates = tree.findall(".//c:journal_article[1]/c:publication_date", NS)
    assert [(d.get("media_type"), d.findtext("c:day", namespaces=NS)) for d in dates] == [
        ("print", "30"), ("online", "01")]
    codes = {p.code for p in problems}
    assert "crossref.not-carried" in codes
    not_carried = " ".join(p.message for p in problems if p.code == "crossref.not-carried")
    for what in ("date received", "e-mail", "language, publisher and URL of references", "keywords",
                 "funding statements", "affiliation names in other languages"):
        assert what in not_carried
    assert any("master journal title" in p.message for p in problems)
