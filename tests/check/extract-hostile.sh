# extract-hostile: pathological texts neither crash gw-extract nor make it hang, and every record
# comes out as valid JSON (a 10,000-digit number, 100,000 Chinese numerals, runs of 第, %, 万,
# separators and ranges that invite backtracking).
py=/usr/bin/python3
[ -x $py ] || py=python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
$py - >"$tmp/in.jsonl" <<'PY'
import json
texts = {
    "digits": "9" * 10000 + "个",
    "zh": "一" * 100000 + "个",
    "zh-scale": "一万" * 20000 + "元",
    "di": "第" * 50000 + "一",
    "percent": "5%" * 30000,
    "wan": "1" + "万" * 50000 + "人",
    "commas": "1," * 30000 + "000元",
    "ranges": "3-" * 30000 + "5个",
    "mixed": ("完成1325套，3-11岁，一万元以上五万元以下，百分之六十，五分之一。" * 2000),
}
for k, t in texts.items():
    print(json.dumps({"schema": "gongwen/1", "id": k, "source": {"path": k + ".txt"}, "text": t}, ensure_ascii=False))
PY
timeout 300 "$GW_BIN/gw-extract" --quiet "$tmp/in.jsonl" >"$tmp/out.jsonl" 2>"$tmp/err"
rc=$?
[ $rc -le 1 ] || { echo "gw-extract exited $rc"; cat "$tmp/err" | head; exit 1; }
$py - "$tmp/out.jsonl" <<'PY'
import json, sys
n = 0
for line in open(sys.argv[1], encoding="utf-8"):
    d = json.loads(line)
    n += 1
    if d["id"] == "mixed" and len(d["quantities"]) != 10000:
        print("mixed: %d quantities, expected 10000" % len(d["quantities"]))
        sys.exit(1)
if n != 9:
    print("%d records out, expected 9" % n)
    sys.exit(1)
PY
