# own-gold: the accuracy over the project's own gold stays at or above its bar (a ratchet: raise
# it when the figures improve, never lower it).  Two sets, each scored by ../shared/eval/score.py:
#   tests/gold/*.gold.json       the own documents corpus/1*.txt, bar tests/gold/bar.txt;
#   tests/gold/real/*.gold.json  real documents of ../shared/realcorpus annotated here (the
#                                documents stay in ../shared), bar tests/gold/real/bar.txt.
score="${GW_SHARED:+$GW_SHARED/eval/score.py}"
if [ -z "$score" ] || [ ! -f "$score" ]; then
	echo "skipped: ../shared/eval/score.py (the scorer) is absent"
	exit 77
fi
py=/usr/bin/python3
[ -x $py ] || py=python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ratchet NAME GOLD_DIR BAR FILE…: run the chain over the files, score them against GOLD_DIR
ratchet() {
	local name=$1 gold=$2 bar=$3
	shift 3
	rm -rf "$tmp/out" && mkdir "$tmp/out"
	"$GW_BIN/gw-normalize" --quiet "$@" | "$GW_BIN/gw-segment" --quiet --rules rules |
		"$GW_BIN/gw-extract" --quiet --rules rules >"$tmp/out/gold.jsonl" || {
		echo "$name: the chain failed"
		return 1
	}
	$py "$score" "$gold" "$tmp/out" --json >"$tmp/score.json" || return 1
	$py - "$name" "$tmp/score.json" "$bar" <<'PY'
import json, sys
name, res = sys.argv[1], json.load(open(sys.argv[2]))
low = []
for line in open(sys.argv[3], encoding="utf-8"):
    f = line.split("#")[0].split()
    if len(f) == 2 and res.get(f[0], 0) < float(f[1]):
        low.append(f"{f[0]} = {res.get(f[0])} is below the bar {f[1]}")
if res.get("missing_outputs"):
    low.append(f"{res['missing_outputs']} documents have no output")
for l in low:
    print(f"{name}: {l}")
sys.exit(1 if low else 0)
PY
}

rc=0
ratchet own-gold tests/gold tests/gold/bar.txt corpus/1*.txt || rc=1
real=()
for g in tests/gold/real/*.gold.json; do
	f="$GW_SHARED/realcorpus/$(basename "$g" .gold.json).txt"
	[ -f "$f" ] || { echo "real-gold: skipped: $f is absent"; real=(); break; }
	real+=("$f")
done
[ ${#real[@]} -gt 0 ] && { ratchet real-gold tests/gold/real tests/gold/real/bar.txt "${real[@]}" || rc=1; }
exit $rc
