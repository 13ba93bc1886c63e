"""Times commonmeta-py on the benchmark's records. Runs inside commonmeta's own venv.

This script imports nothing from biblio (commonmeta pins bibtexparser 1, biblio needs 2):
``run.py`` converts the synthetic articles into commonmeta v1.0 JSON records, writes them
to a file, and starts this script with that venv's Python. It prints one JSON object:
the timings of each step (seconds, one entry per repeat) and what the output looked like.

    bench/.venv-commonmeta/bin/python bench/commonmeta_driver.py RECORDS.json --repeats 3

Steps, on N records:
- ``read``: ``MetadataList({"items": records}, via="commonmeta")`` (one ``Metadata`` per
  record; commonmeta skips its JSON-Schema check of list items by default);
- ``crossref.write``: ``MetadataList.write(to="crossref_xml")``, one ``doi_batch`` for all;
- ``crossref.compile``: commonmeta's cached ``XMLSchema11`` of the Crossref 5.5.0 XSD, first call;
- ``crossref.validate``: ``schema_utils.xml_schema_errors`` on that ``doi_batch``
  (xmlschema XSD 1.1, as biblio);
- ``bibtex.write``: ``MetadataList.write(to="bibtex")`` (commonmeta does not validate BibTeX);
- ``csl.write``: ``MetadataList.write(to="csl")``;
- ``csl.validate``: ``schema_utils.json_schema_errors(items, schema="csl")`` (jsonschema-rs
  when installed, as commonmeta does);
- ``crossref.single``: commonmeta's per-record API, ``Metadata.write(to="crossref_xml")``,
  which writes one ``doi_batch`` per record and always validates it (on at most
  ``--single-max`` records, as it is slow).

With ``--crossref-only`` (what ``run.py`` uses) only ``read`` and the ``crossref.*`` batch steps run.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time


def _rss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("records")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--single-max", type=int, default=100)
    parser.add_argument("--validate-max", type=int, default=None,
                        help="validate the Crossref batch only when N is at most this (else skipped)")
    parser.add_argument("--crossref-only", action="store_true", help="time only the Crossref read, write and validation")
    parser.add_argument("--depositor", default="Synthetic Journal Office")
    parser.add_argument("--email", default="deposits@journal.synthetic.test")
    parser.add_argument("--registrant", default="Synthetic Publishing")
    args = parser.parse_args()

    started = time.perf_counter()
    import commonmeta
    from commonmeta import Metadata, MetadataList
    from commonmeta.schema_utils import _use_jsonschema_rs, _xml_schema, json_schema_errors, xml_schema_errors
    import_s = time.perf_counter() - started

    with open(args.records, encoding="utf-8") as stream:
        records = json.load(stream)
    n = len(records)
    head = {"depositor": args.depositor, "email": args.email, "registrant": args.registrant}
    result: dict = {"n": n, "version": getattr(commonmeta, "__version__", None), "import_s": import_s,
                    "jsonschema_rs": _use_jsonschema_rs(), "times": {}, "notes": []}
    rss_input = _rss_kb()

    def timed(name: str, call):
        times, value = [], None
        for _ in range(args.repeats):
            start = time.perf_counter()
            value = call()
            times.append(time.perf_counter() - start)
        result["times"][name] = times
        return value

    metalist = timed("read", lambda: MetadataList({"items": records}, via="commonmeta", **head))
    result["read_errors"] = [e for e in metalist.errors if e][:3]
    xml = timed("crossref.write", lambda: metalist.write(to="crossref_xml"))
    if xml is None:
        result["notes"].append(f"crossref_xml write failed: {str(metalist.write_errors)[:500]}")
    else:
        if isinstance(xml, bytes):
            xml = xml.decode("utf-8")
        result["crossref_bytes"] = len(xml.encode("utf-8"))
        result["crossref_articles"] = xml.count("<journal_article")
        if args.validate_max is None or n <= args.validate_max:
            start = time.perf_counter()
            _xml_schema("crossref_xml")  # commonmeta's cached XMLSchema11 of crossref5.5.0.xsd
            result["times"]["crossref.compile"] = [time.perf_counter() - start]
            errors = timed("crossref.validate", lambda: xml_schema_errors(xml))
            result["crossref_valid"] = errors is None
            if errors:
                result["crossref_errors"] = str(errors)[:1000]
        else:
            result["notes"].append(f"crossref validation skipped at N={n} (--validate-max {args.validate_max})")
    if args.crossref_only:
        result["rss_peak_kb"] = _rss_kb()
        json.dump(result, sys.stdout)
        return 0
    bib = timed("bibtex.write", lambda: metalist.write(to="bibtex"))
    if isinstance(bib, bytes):
        bib = bib.decode("utf-8")
    result["bibtex_entries"] = (bib.count("\n@") + bib.startswith("@")) if bib else 0
    csl_text = timed("csl.write", lambda: metalist.write(to="csl"))
    csl_items = json.loads(csl_text)
    errors = timed("csl.validate", lambda: json_schema_errors(csl_items, schema="csl"))
    result["csl_items"] = len(csl_items)
    result["csl_valid"] = errors is None
    if errors:
        result["csl_errors"] = str(errors)[:1000]

    single = records[: min(n, args.single_max)]
    if single:
        def per_record():
            written = failed = 0
            for record in single:
                try:
                    Metadata(record, via="commonmeta", **head).write(to="crossref_xml", **head)
                    written += 1
                except Exception as error:  # noqa: BLE001 - commonmeta raises CrossrefError/ValueError
                    failed += 1
                    if len(result["notes"]) < 5:
                        result["notes"].append(f"per-record crossref_xml failed: {str(error)[:300]}")
            return written, failed
        _, failed = timed("crossref.single", per_record)
        result["single_n"] = len(single)
        result["single_failed"] = failed
    result["rss_input_kb"] = rss_input
    result["rss_peak_kb"] = _rss_kb()
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
