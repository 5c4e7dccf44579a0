#!/usr/bin/python3
"""html_check.py — the HTML pages gongwen writes (issue 17).

  html_check.py valid PAGE...      each page parses as HTML5 with no parse error (html5lib, strict),
                                   and its ids are unique
  html_check.py marks DIR          each DIR/ID.html is valid as above and has exactly one mark per
                                   quantity of DIR/ID.json, of the same kind and id, and every target
                                   links to its table row
  html_check.py counts DIR DOM...  each DOM (chromium --dump-dom of DIR/ID.html, named ID.dom) has as
                                   many marks of each kind as DIR/ID.json has quantities of that kind
"""
import json
import os
import sys
import xml.etree.ElementTree as ET

import html5lib

NS = "{http://www.w3.org/1999/xhtml}"


def parse(path):
    with open(path, "rb") as f:
        data = f.read()
    p = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True)
    try:
        return p.parse(data, transport_encoding="utf-8"), None
    except html5lib.html5parser.ParseError as e:
        return None, "%s: not valid HTML5: %s (line %s)" % (path, e, p.errors[-1][0] if p.errors else "?")


def marks(tree):
    out = []
    for el in tree.iter():
        cls = (el.get("class") or "").split()
        if "q" in cls:
            out.append(el)
    return out


def ids_unique(path, tree):
    ids = [el.get("id") for el in tree.iter() if el.get("id") is not None]
    if len(ids) == len(set(ids)) and "" not in ids:
        return True
    seen, dup = set(), set()
    for i in ids:
        (dup if i in seen else seen).add(i)
    print("%s: repeated or empty ids: %s" % (path, sorted(dup)[:5]))
    return False


def valid(pages):
    bad = 0
    for path in pages:
        tree, err = parse(path)
        if err:
            print(err)
        bad += bool(err) or not ids_unique(path, tree)
    print("html: %d pages, %d invalid" % (len(pages), bad))
    return bad == 0


def check_marks(out):
    bad = n = 0
    for name in sorted(os.listdir(out)):
        if not name.endswith(".json"):
            continue
        stem = name[:-5]
        with open(os.path.join(out, name), encoding="utf-8") as f:
            rec = json.load(f)
        tree, err = parse(os.path.join(out, stem + ".html"))
        if err:
            print(err)
        if err or not ids_unique(stem, tree):
            bad += 1
            continue
        n += 1
        got = {}
        rows = {el.get("id") for el in tree.iter(NS + "tr")}
        for el in marks(tree):
            kind = [c[2:] for c in el.get("class").split() if c.startswith("q-")][0]
            got.setdefault(el.get("id"), []).append(kind)
            if kind == "target" and el.get("href") != "#row-" + el.get("id"):
                print("%s: target %s does not link to its row" % (stem, el.get("id")))
                bad += 1
            if kind == "target" and "row-" + el.get("id") not in rows:
                print("%s: target %s has no row" % (stem, el.get("id")))
                bad += 1
        want = {q["id"].replace(" ", "_"): [q["kind"]] for q in rec.get("quantities", [])}
        if got != want:
            extra = sorted(set(got) ^ set(want))[:5]
            print("%s: marks %d, quantities %d (differ at %s)" % (stem, sum(map(len, got.values())), len(want), extra))
            bad += 1
    print("marks: %d pages, %d with a problem" % (n, bad))
    return bad == 0


def counts(out, doms):
    bad = 0
    for dom in doms:
        stem = os.path.basename(dom)[:-4]
        with open(os.path.join(out, stem + ".json"), encoding="utf-8") as f:
            rec = json.load(f)
        want = {"target": 0, "fact": 0, "other": 0}
        for q in rec.get("quantities", []):
            want[q["kind"]] += 1
        tree, _ = parse_lenient(dom)
        got = {"target": 0, "fact": 0, "other": 0}
        for el in marks(tree):
            for c in el.get("class").split():
                if c.startswith("q-"):
                    got[c[2:]] += 1
        shown = {k: int(tree.find(".//*[@id='n-%s']" % k.replace("'", "")).get("data-n")) for k in want}
        print("%s: rendered marks %s, JSON %s" % (stem, got, want))
        if got != want or shown != want:
            print("%s: the counts differ (legend says %s)" % (stem, shown))
            bad += 1
    return bad == 0


def parse_lenient(path):
    with open(path, "rb") as f:
        return html5lib.parse(f.read(), transport_encoding="utf-8", namespaceHTMLElements=False), None


if __name__ == "__main__":
    what, args = sys.argv[1], sys.argv[2:]
    if what == "valid":
        ok = valid(args)
    elif what == "marks":
        ok = check_marks(args[0])
    elif what == "counts":
        ok = counts(args[0], args[1:])
    else:
        sys.exit(__doc__)
    sys.exit(0 if ok else 1)
