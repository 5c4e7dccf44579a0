#!/usr/bin/env python3
"""emit_check.py — checks over gw-emit output folders, for the tests/check/emit-*.sh scripts.

usage: emit_check.py schema SCHEMA_FILE DIR...   every *.json and every *.jsonl line validates
       emit_check.py selfcheck SCHEMA_FILE       the schema is valid and documents every field
       emit_check.py eids DIR...                 every *.xml: eIds unique, refersTo="#x" resolve
       emit_check.py text DIR...                 every *.xml holds its record's text, each character once

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
    # each record also against its own kind, for messages that say which field is wrong
    kind = {}
    for k in ("document", "error_record"):
        kind[k] = type(v)({"$ref": "#/$defs/" + k, "$defs": v.schema["$defs"]})
    bad = n = 0
    for d in dirs:
        for where, rec in records(d):
            n += 1
            if v.is_valid(rec):
                continue
            bad += 1
            sub = kind["error_record" if isinstance(rec, dict) and "error" in rec else "document"]
            for e in list(sub.iter_errors(rec))[:10] or list(v.iter_errors(rec))[:1]:
                print("%s: %s: %s" % (where, "/".join(map(str, e.absolute_path)), e.message[:300]))
    print("schema: %d records checked, %d invalid" % (n, bad))
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


AKN = "{http://docs.oasis-open.org/legaldocml/ns/akn/3.0}"


def xml_ok(c):
    """What gw_xml_write keeps; it writes U+FFFD for anything else."""
    o = ord(c)
    if o < 0x20:
        return c in "\t\n\r"
    if 0x7F <= o <= 0x9F:
        return o == 0x85
    if 0xD800 <= o <= 0xDFFF or 0xFDD0 <= o <= 0xFDEF or (o & 0xFFFE) == 0xFFFE:
        return False
    return True


def body_text(el, out):
    """The text of every element but meta, in document order."""
    if el.tag != AKN + "meta":
        out.append(el.text or "")
        for c in el:
            body_text(c, out)
    out.append(el.tail or "")


def check_text(dirs):
    bad = n = 0
    for d in dirs:
        for p in sorted(glob.glob(os.path.join(d, "*.xml"))):
            n += 1
            rec = json.load(open(p[:-4] + ".json", encoding="utf-8"))
            out = []
            body_text(ET.parse(p).getroot(), out)
            got = "".join(c for c in "".join(out) if not c.isspace())
            want = "".join(c if xml_ok(c) else "\ufffd" for c in rec["text"] if not c.isspace())
            if got != want:
                bad += 1
                i = next((k for k, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
                print("%s: the XML text differs from the record's at character %d: %r, not %r"
                      % (p, i, got[max(0, i - 10):i + 20], want[max(0, i - 10):i + 20]))
    print("text: %d XML files checked, %d differ" % (n, bad))
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
    if what == "text":
        return 1 if check_text(sys.argv[2:]) else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
