#!/usr/bin/python3
r"""summary.py DIR — one line per document gongwen or gw-emit wrote into DIR, sorted by id, for the
expected outcomes of the hostile corpus (tests/hostile/expected):

  ID ok ENCODING nodes=N attachments=N quantities=N cps=N warnings=CODE*COUNT,… TEXT
  ID error CODE: MESSAGE

TEXT is the whole text when it has at most 300 characters, else its first 30, with controls,
noncharacters, surrogates, private use characters and U+FFFD written \uXXXX.
"""
import glob
import json
import os
import sys


def esc(t):
    out = []
    for c in t:
        o = ord(c)
        if c == "\n":
            out.append("\\n")
        elif o < 0x20 or 0x7F <= o <= 0x9F or 0xD800 <= o <= 0xDFFF or 0xFDD0 <= o <= 0xFDEF \
                or (o & 0xFFFE) == 0xFFFE or o == 0xFFFD or 0xE000 <= o <= 0xF8FF or c == "\\":
            out.append("\\u%04x" % o)
        else:
            out.append(c)
    return "".join(out)


d = sys.argv[1]
lines = []
for p in glob.glob(os.path.join(d, "*.json")):
    r = json.load(open(p, encoding="utf-8"))

    def count(nodes):
        return sum(1 + count(n["children"]) for n in nodes)

    nodes = count(r["body"]) + sum(count(a["body"]) for a in r["attachments"])
    warn = {}
    for w in r["warnings"]:
        warn[w["code"]] = warn.get(w["code"], 0) + 1
    t = r["text"]
    head = esc(t) if len(t) <= 300 else esc(t[:30]) + "…"
    lines.append("%s ok %s nodes=%d attachments=%d quantities=%d cps=%d warnings=%s %s" % (
        r["id"], r["source"]["encoding"], nodes, len(r["attachments"]), len(r["quantities"]), len(t),
        ",".join("%s*%d" % kv for kv in warn.items()) or "-", head))
errs = os.path.join(d, "errors.jsonl")
if os.path.exists(errs):
    for line in open(errs, encoding="utf-8"):
        r = json.loads(line)
        lines.append("%s error %s: %s" % (r["id"], r["error"]["code"], r["error"]["message"]))
for line in sorted(lines):
    print(line)
