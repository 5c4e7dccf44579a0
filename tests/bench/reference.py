#!/usr/bin/env python3
"""reference.py — the plain Python script gongwen's speed is compared with (make bench, issue 14).

It does less than gongwen, in the same shape: for each text file named on stdin (one path a line) it
decodes UTF-8 (else GB18030), normalises (NFKC, CR LF, white space at line ends), finds the numbered
lines (一、 （一） 1. （1） 第X章 第X条) and the quantities (a number with a unit, measure word, % or
百分点, with 以上/以下/左右 as comparator), and writes OUT/NAME.json with json.dumps. No header, no
XML, no kinds, a handful of rules: what a careful user would write in an afternoon. Standard library
only, so it runs on any python3.

Usage: reference.py OUT_DIR < list-of-paths
"""
import json
import os
import re
import sys
import unicodedata

NUMBERED = re.compile(
    r"^\s*(第[一二三四五六七八九十百零〇]+[章节条部分]|[一二三四五六七八九十]+、|"
    r"[（(][一二三四五六七八九十]+[）)]|\d{1,3}[.．、](?!\d)|[（(]\d{1,3}[）)])\s*(.*)$")
QUANTITY = re.compile(
    r"(\d+(?:,\d{3})*(?:\.\d+)?|[零一二两三四五六七八九十百千万亿]+)"
    r"(万亿|万|亿)?"
    r"(%|个百分点|百分点|平方公里|公里|万元|亿元|元|吨|亩|公顷|个|家|所|项|条|套|座|人|户|辆|台|次|张|米)"
    r"(以上|以下|左右|以内)?")
CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
            "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_SCALE = {"十": 10, "百": 100, "千": 1000, "万": 10 ** 4, "亿": 10 ** 8}
SCALE = {"万": 1e4, "亿": 1e8, "万亿": 1e12}
CMP = {"以上": "ge", "以下": "le", "左右": "approx", "以内": "le", None: "eq"}


def cn_value(s):
    total, section, digit = 0, 0, 0
    for ch in s:
        if ch in CN_DIGIT:
            digit = CN_DIGIT[ch]
        elif ch in ("万", "亿"):
            total = (total + section + digit) * CN_SCALE[ch]
            section = digit = 0
        else:
            section += (digit or 1) * CN_SCALE[ch]
            digit = 0
    return total + section + digit


def value_of(num, scale):
    if num[0].isdigit():
        v = float(num.replace(",", ""))
    else:
        v = float(cn_value(num))
    return v * SCALE.get(scale, 1)


def read(path):
    raw = open(path, "rb").read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("gb18030", errors="replace")
    text = unicodedata.normalize("NFKC", text.replace("\r\n", "\n"))
    return "\n".join(line.rstrip() for line in text.split("\n"))


def analyse(path):
    text = read(path)
    nodes, quantities, pos = [], [], 0
    for line in text.split("\n"):
        m = NUMBERED.match(line)
        if m:
            nodes.append({"num": m.group(1), "heading": m.group(2)[:40], "start": pos})
        for q in QUANTITY.finditer(line):
            quantities.append({"text": q.group(0), "value": value_of(q.group(1), q.group(2)),
                               "unit": q.group(3), "comparator": CMP[q.group(4)],
                               "start": pos + q.start(), "node": len(nodes) - 1})
        pos += len(line) + 1
    return {"source": path, "text": text, "nodes": nodes, "quantities": quantities}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for line in sys.stdin:
        path = line.rstrip("\n")
        if not path:
            continue
        doc = analyse(path)
        name = os.path.splitext(os.path.basename(path))[0]
        with open(os.path.join(out, name + ".json"), "w", encoding="utf-8") as f:
            f.write(json.dumps(doc, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
