# own-gold: the accuracy over the project's own test documents (corpus/1*.txt, written for a
# generalisation check and hand-annotated in tests/gold/ per ../shared/eval/GUIDE.md) stays at or
# above the bar in tests/gold/bar.txt (a ratchet: raise it when the figures improve, never lower
# it).  Needs only the scorer, ../shared/eval/score.py.
score="${GW_SHARED:+$GW_SHARED/eval/score.py}"
if [ -z "$score" ] || [ ! -f "$score" ]; then
	echo "skipped: ../shared/eval/score.py (the scorer) is absent"
	exit 77
fi
py=/usr/bin/python3
[ -x $py ] || py=python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/out"
"$GW_BIN/gw-normalize" --quiet corpus/1*.txt | "$GW_BIN/gw-segment" --quiet --rules rules |
	"$GW_BIN/gw-extract" --quiet --rules rules >"$tmp/out/own.jsonl" || {
	echo "the chain failed over corpus/1*.txt"
	exit 1
}
$py "$score" tests/gold "$tmp/out" --json >"$tmp/score.json" || exit 1
$py - "$tmp/score.json" tests/gold/bar.txt <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))
low = []
for line in open(sys.argv[2], encoding="utf-8"):
    f = line.split("#")[0].split()
    if len(f) == 2 and res.get(f[0], 0) < float(f[1]):
        low.append(f"{f[0]} = {res.get(f[0])} is below the bar {f[1]}")
if res.get("missing_outputs"):
    low.append(f"{res['missing_outputs']} documents have no output")
for l in low:
    print("own-gold: " + l)
sys.exit(1 if low else 0)
PY
