#!/usr/bin/python3
"""mkinput.py — turn each CASE/input.txt into CASE/input.jsonl: one gongwen record whose text is
the file as it is (no gw-normalize), so that these tests see gw-segment alone.
Usage: /usr/bin/python3 mkinput.py [CASE ...]   (default: every folder with an input.txt)"""
import json
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
cases = sys.argv[1:] or sorted(d for d in os.listdir(here) if os.path.isfile(os.path.join(here, d, "input.txt")))
for case in cases:
    text = open(os.path.join(here, case, "input.txt"), encoding="utf-8").read()
    rec = {"schema": "gongwen/1", "id": case, "source": {"path": case + "/input.txt"}, "text": text}
    with open(os.path.join(here, case, "input.jsonl"), "w", encoding="utf-8") as f:
        f.write(json.dumps(rec, ensure_ascii=False) + "\n")
