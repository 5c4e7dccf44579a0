# extract-sample: the sample notice (../shared/corpus/000) through the whole chain scores exactly
# against its gold: its 12 targets each in its point, the two ages as other, nothing else.
[ -n "$GW_SHARED" ] && [ -f "$GW_SHARED/gold/000_f05e73a007cd9b08.gold.json" ] ||
	{ echo "skipped: ../shared/gold is absent"; exit 77; }
py=/usr/bin/python3
[ -x $py ] || py=python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/gold" "$tmp/out"
cp "$GW_SHARED/gold/000_f05e73a007cd9b08.gold.json" "$tmp/gold/"
"$GW_BIN/gw-normalize" --quiet "$GW_SHARED/corpus/000_f05e73a007cd9b08.txt" | "$GW_BIN/gw-segment" --quiet |
	"$GW_BIN/gw-extract" --quiet >"$tmp/out/sample.jsonl" || { echo "the chain failed"; exit 1; }
$py "$GW_SHARED/eval/score.py" "$tmp/gold" "$tmp/out" --json >"$tmp/score.json" || exit 1
$py - "$tmp/score.json" "$tmp/out/sample.jsonl" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))
doc = json.loads(open(sys.argv[2], encoding="utf-8").readline())
bad = [f"{k} = {res[k]}, expected 1.0" for k in ("quantity_p", "quantity_r", "target_p", "target_r") if res[k] != 1.0]
kinds = [(q["text"], q["kind"]) for q in doc["quantities"]]
if sum(k == "target" for _, k in kinds) != 12:
    bad.append(f"{sum(k == 'target' for _, k in kinds)} targets, expected 12")
ages = [k for t, k in kinds if t.endswith(("岁", "岁以上"))]
if ages != ["other", "other"]:
    bad.append(f"ages are {ages}, expected two other")
for t, k in kinds:
    if k == "target" and any(s in t for s in ("号线", "5G", "5A", "届", "十九大", "2022年")):
        bad.append(f"{t} is a target")
for b in bad:
    print("extract-sample: " + b)
sys.exit(1 if bad else 0)
PY
