#!/usr/bin/python3
"""view.py — print what gw-extract put in each record, one line per quantity and per rejected
candidate, in a stable, diffable form for the golden tests (the record's other fields and the
rules digest are left out, so that an edit elsewhere does not break these tests)."""
import json
import sys


def num(v):
    if v is None:
        return "-"
    return ("%.15g" % v) if isinstance(v, float) else str(v)


for line in sys.stdin:
    d = json.loads(line)
    if "error" in d:
        print("error", d["id"], d["error"]["code"])
        continue
    print("record", d["id"], "stages", ",".join(d["stages"]))
    for q in d["quantities"]:
        val = num(q["value"]) if q["value"] is not None else num(q["min"]) + ".." + num(q["max"])
        print("  %s | %s | %s %s | %s | %s | subject %s | verb %s | %s" % (
            q["id"], q["text"], val, q["unit"], q["comparator"], q["kind"], q["subject"], q["verb"],
            q["rule"]))
    for r in d["rejected"]:
        print("  rejected %s | %s | %s" % (r["reason"], r["text"], r["rule"]))
    for w in d.get("warnings") or []:
        print("  warning", w.get("code"), w.get("message", ""))
