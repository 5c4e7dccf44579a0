#!/bin/bash
# normalize-corpus-joins: the page-break heuristic joins exactly the four split lines of the
# sample notice (协调|联动, 前期|研究, 大湿|地, 二次|开发) and the subscript PM|2.5| split off by
# HTML extraction in 010, and no line anywhere else in ../shared/corpus; every line of every
# other document stays a line of its own.
set -u
if [ -z "${GW_SHARED:-}" ] || [ ! -d "$GW_SHARED/corpus" ]; then
	echo "skipped: ../shared/corpus is absent"
	exit 77
fi
"$GW_BIN/gw-normalize" --quiet "$GW_SHARED"/corpus/*.txt | /usr/bin/python3 -c '
import json, sys
want = {"000_f05e73a007cd9b08": ["协调|联动", "前期|研究", "大湿|地及", "二次|开发"],
        "010-guangdong-2026-zhengfu-gongzuo-baogao": ["PM|2.", ".5|年平", "PM|2.", ".5|浓度"]}
bad = 0
for line in sys.stdin:
    r = json.loads(line)
    if r.get("error"):
        continue
    t, m = r["text"], r["offset_map"]
    runs = [m[i:i + 5] for i in range(0, len(m), 5)]
    src_line = [0] * len(t)
    for k, (cp, s, w, ln, col) in enumerate(runs):
        end = runs[k + 1][0] if k + 1 < len(runs) else len(t)
        src_line[cp:end] = [ln] * (end - cp)
    joins = [t[i - 2:i] + "|" + t[i:i + 2] for i in range(1, len(t))
             if t[i] != "\n" and t[i - 1] != "\n" and src_line[i] != src_line[i - 1]]
    if joins != want.get(r["id"], []):
        bad += 1
        print(r["id"], "joins", joins, "expected", want.get(r["id"], []))
print("%s: page-break joins as expected" % ("FAIL" if bad else "ok"))
sys.exit(1 if bad else 0)
'
