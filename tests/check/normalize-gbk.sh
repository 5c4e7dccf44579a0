#!/bin/bash
# normalize-gbk: the GBK news file 031 of ../shared/corpus decodes to readable text with the
# encoding recorded as GB18030 (GBK and GB2312 are subsets of GB18030).
set -u
if [ -z "${GW_SHARED:-}" ] || ! ls "$GW_SHARED"/corpus/031-*.txt >/dev/null 2>&1; then
	echo "skipped: ../shared/corpus (031, the GBK file) is absent"
	exit 77
fi
"$GW_BIN/gw-normalize" "$GW_SHARED"/corpus/031-*.txt | /usr/bin/python3 -c '
import json, sys
r = json.load(sys.stdin)
t = r.get("text") or ""
problems = []
if r["source"]["encoding"] != "GB18030":
    problems.append("encoding is %s, not GB18030" % r["source"]["encoding"])
for words in ("发改委", "阶梯电价", "居民", "<contenttitle>"):
    if words not in t:
        problems.append("text lacks %s" % words)
if "\ufffd" in t:
    problems.append("text holds U+FFFD")
han = sum(1 for c in t if "\u4e00" <= c <= "\u9fff")
if han < 1500:
    problems.append("only %d Han characters" % han)
print(r["id"], r["source"]["encoding"], len(t), "code points,", han, "Han")
print("\n".join(problems) or "readable")
sys.exit(1 if problems else 0)
'
