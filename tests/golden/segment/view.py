#!/usr/bin/python3
"""view.py — print what gw-segment put in each record (header, attachments, node tree, warnings)
in a stable, diffable form for the golden tests: one line per item, spans shown as the text
they cover (first and last characters)."""
import json
import sys

KEYS = ("issuer", "doc_number", "title", "doc_type", "addressees", "date", "date_text", "copy_no",
        "secrecy", "urgency", "issuer_mark", "signer", "attachment_note", "signature", "note", "cc",
        "printer", "print_date")


def clip(text, span):
    if not span:
        return "-"
    s = text[span[0]:span[1]].replace("\n", "⏎")
    return s if len(s) <= 16 else s[:8] + "…" + s[-7:]


def tree(text, nodes, depth):
    for n in nodes:
        print("  " * depth + "%s %s %d %s | %s | %s" % (n["id"], n["kind"], n["ordinal"], n["num"],
              n["heading"], clip(text, n["span"])))
        tree(text, n["children"], depth + 1)


for line in sys.stdin:
    d = json.loads(line)
    if "error" in d:
        print("error", d["id"], d["error"]["code"])
        continue
    text = d["text"]
    print("record", d["id"], "is_notice", json.dumps(d["is_notice"]), "stages", ",".join(d["stages"]))
    h = d["header"]
    for k in KEYS:
        if h.get(k) not in (None, []):
            print("header", k, json.dumps(h[k], ensure_ascii=False))
    tree(text, d["body"], 1)
    for k, a in enumerate(d["attachments"], 1):
        print("attachment", k, a["title"], "|", clip(text, a["title_span"]), "|", clip(text, a["span"]))
        tree(text, a["body"], 1)
    for w in d["warnings"]:
        print("warning", w["code"], w.get("detail") or "", "|", clip(text, w.get("span")))
