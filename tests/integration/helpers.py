#!/usr/bin/env python3
"""Helpers of the integration tests, run with Debian's python3:

  helpers.py sarif SCHEMA FILE   validate FILE against the SARIF JSON schema (python3-jsonschema);
                                 prints one line per violation and exits 1 when there is any
  helpers.py junit FILE          parse a JUnit XML report with xml.etree (exits 1 when it is not
                                 well-formed) and print its structure as JSON for the C++ tests
"""
import json
import sys


def sarif(schema_path, document_path):
    import jsonschema

    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    with open(document_path, encoding="utf-8") as f:
        document = json.load(f)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    errors = sorted(validator_class(schema).iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path])
    for error in errors:
        where = "/" + "/".join(str(p) for p in error.absolute_path)
        print(f"{where}: {error.message[:300]}")
    print(f"{len(errors)} schema violation(s) ({validator_class.__name__})")
    return 1 if errors else 0


def junit(path):
    import xml.etree.ElementTree as ET

    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        print(f"not well-formed XML: {e}")
        return 1

    def entries(case, tag):
        return [{"type": e.get("type"), "message": e.get("message"), "text": e.text or ""} for e in case.findall(tag)]

    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    out = {"tag": root.tag, "attrib": dict(root.attrib), "suites": []}
    for suite in suites:
        cases = [{"attrib": dict(case.attrib), "failures": entries(case, "failure"), "errors": entries(case, "error")}
                 for case in suite.findall("testcase")]
        out["suites"].append({"attrib": dict(suite.attrib), "cases": cases})
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "sarif":
        sys.exit(sarif(sys.argv[2], sys.argv[3]))
    if len(sys.argv) == 3 and sys.argv[1] == "junit":
        sys.exit(junit(sys.argv[2]))
    print(__doc__, file=sys.stderr)
    sys.exit(2)
