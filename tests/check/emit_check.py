#!/usr/bin/env python3
"""emit_check.py — checks over gw-emit output folders, for the tests/check/emit-*.sh scripts.

usage: emit_check.py schema SCHEMA_FILE DIR...   every *.json and every *.jsonl line validates
       emit_check.py selfcheck SCHEMA_FILE       the schema is valid and documents every field
       emit_check.py eids DIR...                 every *.xml: eIds unique, refersTo="#x" resolve

Prints one line per problem; exit 0 when none, 1 when some, 77 when python3-jsonschema is absent.
"""
import glob
import json
import os
import sys
import xml.etree.ElementTree as ET


def validator(schema_file):
    try:
        import jsonschema
    except ImportError:
        print("skipped: python3-jsonschema is absent (apt-get install python3-jsonschema)")
        sys.exit(77)
    schema = json.load(open(schema_file, encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def records(d):
    for p in sorted(glob.glob(os.path.join(d, "*.json"))):
        yield p, json.load(open(p, encoding="utf-8"))
    for p in sorted(glob.glob(os.path.join(d, "*.jsonl"))):
        for n, line in enumerate(open(p, encoding="utf-8"), 1):
            yield "%s:%d" % (p, n), json.loads(line)


def check_schema(schema_file, dirs):
    v = validator(schema_file)
    bad = n = 0
    for d in dirs:
        for where, rec in records(d):
            n += 1
            for e in v.iter_errors(rec):
                bad += 1
                print("%s: %s: %s" % (where, "/".join(map(str, e.absolute_path)), e.message[:300]))
    print("schema: %d records checked, %d problems" % (n, bad))
    return bad


def undocumented(node, path, out):
    """Every property, $defs entry and the root carry a description."""
    if isinstance(node, dict):
        for key in ("properties", "$defs"):
            for name, sub in (node.get(key) or {}).items():
                if isinstance(sub, dict) and "description" not in sub:
                    out.append("%s/%s/%s" % (path, key, name))
        for k, sub in node.items():
            undocumented(sub, path + "/" + k, out)
    elif isinstance(node, list):
        for i, sub in enumerate(node):
            undocumented(sub, "%s/%d" % (path, i), out)


def selfcheck(schema_file):
    validator(schema_file)
    schema = json.load(open(schema_file, encoding="utf-8"))
    out = []
    if "description" not in schema:
        out.append("(root)")
    undocumented(schema, "", out)
    for p in out:
        print("no description: %s" % p)
    const = schema["$defs"]["document"]["properties"]["schema"].get("const")
    if const != "gongwen/1":
        print("the schema's version is %r, not gongwen/1" % const)
        out.append("version")
    print("selfcheck: %d problems" % len(out))
    return len(out)


def check_eids(dirs):
    bad = n = 0
    for d in dirs:
        for p in sorted(glob.glob(os.path.join(d, "*.xml"))):
            n += 1
            seen = {}
            refs = []
            for el in ET.parse(p).iter():
                eid = el.get("eId")
                if eid is not None:
                    if eid in seen:
                        bad += 1
                        print("%s: eId %s is used twice" % (p, eid))
                    seen[eid] = el.tag
                for att in ("refersTo", "href", "source"):
                    val = el.get(att)
                    if val and val.startswith("#"):
                        refs.append((att, val[1:]))
            for att, target in refs:
                if target not in seen:
                    bad += 1
                    print("%s: %s=\"#%s\" names no element" % (p, att, target))
    print("eids: %d XML files checked, %d problems" % (n, bad))
    return bad


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    what = sys.argv[1]
    if what == "schema":
        return 1 if check_schema(sys.argv[2], sys.argv[3:]) else 0
    if what == "selfcheck":
        return 1 if selfcheck(sys.argv[2]) else 0
    if what == "eids":
        return 1 if check_eids(sys.argv[2:]) else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
