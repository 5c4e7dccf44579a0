#!/usr/bin/env python3
"""archive_bulk_check.py — is a gongwen _bulk file (gw-index --bulk) well-formed against the OpenSearch mapping?

Usage: archive_bulk_check.py MAPPING BULKFILE [INDEX]
Checks: NDJSON ending in a newline; lines in pairs (an "index" action naming the index and the document's id,
then the document); with "dynamic": "strict", every field of a document is in the mapping and every mapped
field is present (gongwen leaves nothing out: null or [] when absent); each value fits its field type
(keyword/text: string, date: the mapping's formats and a real day, boolean, integer/long, double, nested:
a list of objects checked the same way).  Prints each problem; exit 0 when none, 1 otherwise."""
import datetime
import json
import sys


def date_ok(value, formats):
    for f in formats.split("||"):
        py = f.replace("yyyy", "%Y").replace("MM", "%m").replace("dd", "%d")
        try:
            datetime.datetime.strptime(value, py)
            if len(value) == len(f):
                return True
        except ValueError:
            pass
    return False


def check_value(where, v, spec, problems):
    t = spec.get("type", "object")
    if v is None:
        return
    if t in ("keyword", "text"):
        if not isinstance(v, str):
            problems.append(f"{where}: {t} field holds {type(v).__name__}")
    elif t == "date":
        if not isinstance(v, str) or not date_ok(v, spec.get("format", "strict_date_optional_time")):
            problems.append(f"{where}: {v!r} is not a date in {spec.get('format')}")
    elif t == "boolean":
        if not isinstance(v, bool):
            problems.append(f"{where}: boolean field holds {v!r}")
    elif t in ("integer", "long"):
        if isinstance(v, bool) or not isinstance(v, int):
            problems.append(f"{where}: {t} field holds {v!r}")
        elif t == "integer" and not -2**31 <= v < 2**31:
            problems.append(f"{where}: {v} does not fit an integer")
    elif t == "double":
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            problems.append(f"{where}: double field holds {v!r}")
    elif t in ("nested", "object"):
        items = v if isinstance(v, list) else [v]
        if t == "nested" and not isinstance(v, list):
            problems.append(f"{where}: nested field is not a list")
        for i, item in enumerate(items):
            check_object(f"{where}[{i}]", item, spec["properties"], problems)
    else:
        problems.append(f"{where}: the checker does not know type {t}")


def check_object(where, obj, props, problems):
    if not isinstance(obj, dict):
        problems.append(f"{where}: not an object")
        return
    for k in obj:
        if k not in props:
            problems.append(f"{where}: field {k!r} is not in the mapping (dynamic: strict)")
    for k, spec in props.items():
        if k not in obj:
            problems.append(f"{where}: mapped field {k!r} is missing")
        else:
            check_value(f"{where}.{k}", obj[k], spec, problems)


def main():
    mapping = json.load(open(sys.argv[1], encoding="utf-8"))["mappings"]
    index = sys.argv[3] if len(sys.argv) > 3 else "gongwen"
    data = open(sys.argv[2], "rb").read()
    problems = []
    if mapping.get("dynamic") != "strict":
        problems.append("the mapping is not dynamic: strict")
    if data and not data.endswith(b"\n"):
        problems.append("the bulk file does not end with a newline")
    lines = data.decode("utf-8").split("\n")[:-1] if data else []
    if len(lines) % 2:
        problems.append(f"{len(lines)} lines: actions and documents do not pair up")
    ids = set()
    for i in range(0, len(lines) - 1, 2):
        try:
            action, doc = json.loads(lines[i]), json.loads(lines[i + 1])
        except json.JSONDecodeError as e:
            problems.append(f"line {i + 1}: {e}")
            continue
        a = action.get("index") if isinstance(action, dict) and len(action) == 1 else None
        if not isinstance(a, dict) or a.get("_index") != index or not isinstance(a.get("_id"), str):
            problems.append(f"line {i + 1}: not an index action on {index} with an _id: {lines[i][:80]}")
            continue
        if not isinstance(doc, dict) or doc.get("id") != a["_id"]:
            problems.append(f"line {i + 2}: the document's id is not the action's _id {a['_id']}")
        if a["_id"] in ids:
            problems.append(f"line {i + 1}: _id {a['_id']} twice")
        ids.add(a["_id"])
        check_object(f"line {i + 2} ({a['_id']})", doc, mapping["properties"], problems)
    for p in problems[:50]:
        print(p)
    print(f"{len(ids)} documents, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
