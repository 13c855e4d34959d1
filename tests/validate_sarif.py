#!/usr/bin/env python3
"""validate_sarif.py SCHEMA SARIF — checks a SARIF log against the official
SARIF 2.1.0 JSON schema with a real JSON-schema validator (python3-jsonschema),
then the cross-references the schema cannot express (ruleIndex, artifact
indexes, 1-based regions). Prints one line per problem.

Exit status: 0 valid, 1 invalid, 77 when jsonschema is not installed (the
test suite reports a skip)."""
import json
import sys


def main():
    if len(sys.argv) != 3:
        print("usage: validate_sarif.py SCHEMA SARIF", file=sys.stderr)
        return 2
    try:
        import jsonschema
    except ImportError:
        print("python3-jsonschema is not installed", file=sys.stderr)
        return 77
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    with open(sys.argv[2], encoding="utf-8") as f:
        log = json.load(f)

    # The schema says which draft it is written in ($schema: draft-04).
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema, format_checker=jsonschema.FormatChecker())
    problems = []
    for err in sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in err.absolute_path) or "(root)"
        problems.append("schema: %s: %s" % (where, err.message))

    if not problems:
        problems += cross_checks(log)
    for p in problems:
        print(p)
    return 1 if problems else 0


def cross_checks(log):
    out = []
    if log.get("version") != "2.1.0":
        out.append("version is not 2.1.0")
    runs = log.get("runs", [])
    if len(runs) != 1:
        out.append("expected one run, got %d" % len(runs))
    for run in runs:
        driver = run["tool"]["driver"]
        if driver.get("name") != "dockwright":
            out.append("tool.driver.name is %r" % driver.get("name"))
        if run.get("columnKind") != "unicodeCodePoints":
            out.append("columnKind is %r" % run.get("columnKind"))
        rules = driver.get("rules", [])
        ids = [r["id"] for r in rules]
        if len(set(ids)) != len(ids):
            out.append("a rule is described twice")
        for r in rules:
            for key in ("shortDescription", "fullDescription", "help"):
                if key not in r:
                    out.append("rule %s has no %s" % (r["id"], key))
            if "aliases" not in r.get("properties", {}):
                out.append("rule %s has no properties.aliases" % r["id"])
        nart = len(run.get("artifacts", []))
        for i, res in enumerate(run.get("results", [])):
            ri = res.get("ruleIndex")
            if ri is None or ri >= len(rules) or rules[ri]["id"] != res.get("ruleId"):
                out.append("result %d: ruleIndex %r does not name %r" % (i, ri, res.get("ruleId")))
            if res.get("level") not in ("error", "warning", "note"):
                out.append("result %d: level %r" % (i, res.get("level")))
            locs = list(res.get("locations", [])) + list(res.get("relatedLocations", []))
            regions = [l["physicalLocation"] for l in locs]
            for fix in res.get("fixes", []):
                for ch in fix["artifactChanges"]:
                    regions += [{"artifactLocation": ch["artifactLocation"], "region": rp["deletedRegion"]}
                                for rp in ch["replacements"]]
            for pl in regions:
                idx = pl["artifactLocation"].get("index")
                if idx is not None and idx >= nart:
                    out.append("result %d: artifact index %d out of range" % (i, idx))
                reg = pl.get("region", {})
                for k in ("startLine", "startColumn", "endLine", "endColumn"):
                    if k not in reg or reg[k] < 1:
                        out.append("result %d: region.%s missing or below 1" % (i, k))
                if (reg.get("endLine", 0), reg.get("endColumn", 0)) < (reg.get("startLine", 0), reg.get("startColumn", 0)):
                    out.append("result %d: region ends before it starts" % i)
    return out


if __name__ == "__main__":
    sys.exit(main())
